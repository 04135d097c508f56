/* qn.h — the questionnaire model: what one instrument file declares, loaded and validated.
 *
 * A questionnaire is immutable once loaded. Everything an instrument is (texts per language,
 * answer scales, items with domain / ICF code / show-if condition, scores, missing-data rules and
 * flag rules) comes from a JSON file in questionnaires/; nothing about a particular instrument
 * is written in C. The file format is documented in docs/questionnaire-format.md.
 *
 * Invariants after a successful qn_load():
 *   - every index stored in the model (scale, domain, item, score) is in range;
 *   - every text declared for the instrument exists and is non-empty in every declared language;
 *   - every sum/recode score's divisor equals the sum of its items' maxima (and so does every
 *     alternate path's divisor for the items that remain);
 *   - show-if conditions only refer to items that come earlier in the file, so answering in
 *     order never depends on the future. */
#ifndef ITS_QN_H
#define ITS_QN_H

#include <stdbool.h>
#include <stdio.h>
#include "util.h"

#define QN_MAX_LANGS 8
#define QN_MAX_COND_VALUES 8
#define QN_MAX_OPTIONS 30 /* a multi-choice answer is a bitmask of option indices in an int */

/* One string per declared language; index = position in qn.langs. */
typedef struct qn_text {
    char *s[QN_MAX_LANGS];
} qn_text;

typedef enum qn_scale_kind {
    QN_SCALE_SINGLE, /* one option: difficulty 0-4, 0-10 ratings, yes/no */
    QN_SCALE_MULTI,  /* several options may be chosen ("what would you like to change?") */
    QN_SCALE_NUMBER  /* a whole number in [min, max], e.g. days in the past 30 */
} qn_scale_kind;

typedef struct qn_option {
    int value;
    qn_text label;
} qn_option;

typedef struct qn_scale {
    char *id;
    qn_scale_kind kind;
    qn_option *options;
    int n_options;
    int min, max;        /* smallest and largest value (options or number range) */
    qn_text unit;        /* number scales: "päivää"; may be empty */
    qn_text min_label;   /* optional words at the ends of a 0-10 row */
    qn_text max_label;
    bool allow_refuse;   /* shows "en halua vastata"; a refusal counts as missing */
    bool allow_na;       /* offers an explicit "not applicable" answer with na_label */
    qn_text na_label;
    int line;
} qn_scale;

/* show-if: the item is asked only when item `item` has one of `values`. item < 0: always. */
typedef struct qn_cond {
    int item;
    int values[QN_MAX_COND_VALUES];
    int n_values;
} qn_cond;

typedef struct qn_domain {
    char *id;  /* "1", "2", "51", "mind" ... */
    qn_text name;
    int line;
} qn_domain;

typedef struct qn_item {
    char *id;          /* "D1.1", "S6", "WORK" */
    int line;
    int scale;         /* index into qn.scales */
    int domain;        /* index into qn.domains, -1 for none */
    char *icf;         /* ICF code such as "d450"; may be NULL */
    qn_text text;      /* the question as the client sees it */
    qn_text short_text;/* a few words for the worker's lists and flag reasons */
    qn_text help;      /* optional example or explanation; may be empty */
    bool scored;       /* counts in scores and item flag rules */
    bool reverse;      /* reverse-keyed: value v counts as (min + max - v) */
    bool no_recall;    /* "recall": false — asks about now, so the recall period is not shown */
    int *recode;       /* complex recode table indexed by (value - scale min); NULL if none */
    int n_recode;
    qn_cond show_if;
} qn_item;

typedef enum qn_method {
    QN_METHOD_SUM,    /* sum of raw values; percent = sum * 100 / divisor */
    QN_METHOD_RECODE, /* WHODAS complex: sum of recoded values * 100 / divisor */
    QN_METHOD_MEAN100,/* mean of answered items rescaled to 0-100 (reverse keys applied) */
    QN_METHOD_ITEM    /* the value of one item (work ability 0-10) */
} qn_method;

typedef enum qn_impute {
    QN_IMPUTE_NONE,
    QN_IMPUTE_DOMAIN_MEAN /* a missing item gets the mean of answered items in its domain */
} qn_impute;

/* When is a score computed at all, given missing answers. */
typedef struct qn_missing {
    int max_missing;            /* -1: no limit */
    int max_missing_per_domain; /* -1: no limit */
    double min_answered;        /* fraction 0..1 of the score's applicable items; 0: no rule */
    bool scope_all;             /* count missing over every scored item, not only the score's */
    qn_impute impute;
} qn_missing;

/* An alternate item set: when exactly these items are not applicable (e.g. the work items for a
 * person who neither works nor studies), the score uses this divisor and item-set name. */
typedef struct qn_path {
    char *name;
    int *na_items;
    int n_na_items;
    int divisor;
    int line;
} qn_path;

/* A worker-facing band of a score ("Heikko", "Kohtalainen", "Hyvä"): level gives the colour and
 * icon, label the word. The first band whose range holds the value applies. */
#define QN_MAX_BANDS 6
typedef struct qn_band {
    double lo, hi;      /* inclusive; -INFINITY / INFINITY when open ("below" stores just under) */
    int level;          /* qn_level: 0 none, 1 yellow, 2 red */
    qn_text label;
} qn_band;

typedef struct qn_score {
    char *id;
    int line;
    qn_text label;
    qn_method method;
    int *items;
    int n_items;
    int domain;            /* the domain the score covers, -1 if several */
    char *item_set;        /* name of the full item set, e.g. "36" */
    int divisor;           /* SUM and RECODE */
    qn_path *paths;
    int n_paths;
    bool higher_is_better; /* direction, for "worse than last time" and pictures */
    double change_error;   /* smallest change beyond measurement error (the minimal detectable
                            * change), in the score's own units; 0: not known (docs/flag-defaults.md) */
    qn_missing missing;
    qn_band bands[QN_MAX_BANDS];
    int n_bands;
} qn_score;

typedef enum qn_level { QN_LEVEL_NONE = 0, QN_LEVEL_YELLOW = 1, QN_LEVEL_RED = 2 } qn_level;

typedef enum qn_expr_kind {
    QN_EXPR_ITEMS,        /* answered items of a set with a value in [lo, hi]: count in range */
    QN_EXPR_SCORE,        /* a computed score in [lo, hi] */
    QN_EXPR_COUNT_SCORES, /* computed scores of a set in [lo, hi]: count in [count_min, count_max] */
    QN_EXPR_CHANGE,       /* score worse than the previous result by >= lo points */
    QN_EXPR_NOT_COMPUTED, /* any score in a set could not be computed */
    QN_EXPR_OTHER_FLAGS,  /* a rule without this kind of term has fired (refs: rules excepted) */
    QN_EXPR_ALL,
    QN_EXPR_ANY,
    QN_EXPR_NOT
} qn_expr_kind;

typedef struct qn_expr {
    qn_expr_kind kind;
    int line;
    int *refs;          /* item or score indices, per kind */
    int n_refs;
    double lo, hi;      /* thresholds; -INFINITY / INFINITY when open */
    bool hi_strict;     /* the upper bound came from "below": shown as "< x" */
    double hi_shown;    /* the bound as written, for the evidence text */
    int count_min, count_max;
    bool on_percent;    /* compare a SUM score's percent instead of its raw sum */
    struct qn_expr *kids;
    int n_kids;
} qn_expr;

typedef struct qn_rule {
    char *id;
    int line;
    qn_level level;
    qn_expr when;
    qn_text reason;
    bool uses_other_flags; /* evaluated in a second pass */
} qn_rule;

/* An answer check ("checks"): the sum of `items` must be at most `at_most`, or at most the sum
 * of `than` when n_than > 0 (days H2 + H3 <= 30, H2 <= H1). It only warns: the client sees `text`
 * and may go on; the worker sees `short_text` with the numbers. Checked when every item named
 * has a value. */
typedef struct qn_check {
    char *id;
    int line;
    int *items;   int n_items;
    int *than;    int n_than;
    int at_most;
    qn_text text;       /* the client's gentle words */
    qn_text short_text; /* the worker's few words */
} qn_check;

#define QN_REASSESS_MAX 3650 /* ten years */

typedef struct qn {
    char *path;          /* the file it came from, for messages */
    char *id;
    char *version;
    char *langs[QN_MAX_LANGS];
    int n_langs;
    bool unreviewed[QN_MAX_LANGS]; /* marked not reviewed (certify.h): never shown to clients */
    qn_text title;       /* the instrument's name, for the worker, exports and results */
    qn_text client_title; /* optional: the plain name the client sees; see qn_client_title */
    qn_text intro;       /* instructions shown before the first question */
    qn_text recall;      /* "Ajattele viimeistä 30 päivää." */
    qn_text licence;     /* optional licence note (content packs) */
    int reassess_days;   /* reassess this client after so many days; 0: no interval */
    char *rules_version;
    qn_scale *scales;    int n_scales;
    qn_domain *domains;  int n_domains;
    qn_item *items;      int n_items;
    qn_score *scores;    int n_scores;
    qn_rule *rules;      int n_rules;
    qn_check *checks;    int n_checks;
    bool has_crisis;     /* "crisis_help": crisis_when decides when crisis_text is shown */
    qn_expr crisis_when; /* a flag condition (no other_flags, no change) */
    qn_text crisis_text; /* where to get help now, on the thank-you screen */
} qn;

/* One problem found in a file, as `file:line:column: message`. */
typedef struct qn_problem {
    int line, column;
    char msg[256];
} qn_problem;

/* At most QN_REPORT_MAX problems are kept with their position; the rest are only counted in
 * `more`, so a file of 40,000 unknown keys is reported in milliseconds, not seconds. */
enum { QN_REPORT_MAX = 100 };

typedef struct qn_report {
    qn_problem *problems;
    int n, cap;
    int more; /* problems found beyond the first QN_REPORT_MAX */
} qn_report;

/* Loads and validates a questionnaire file. On any problem returns NULL and (if report is not
 * NULL) lists every problem found, not only the first. */
qn *qn_load(const char *path, qn_report *report);

/* Same, from a buffer; `name` is used in messages. */
qn *qn_load_buffer(const char *name, const char *json, size_t len, qn_report *report);

/* Replaces the flag rules of q with those of a clinic override file (same "flags" shape). */
int qn_load_rules_override(qn *q, const char *path, qn_report *report);

void qn_free(qn *q);

/* Frees only the flag rules (a clinic override file replaces them). */
void qn_free_rules(qn *q);
void qn_report_free(qn_report *r);

/* Prints every kept problem as `path:line:column: message` to the given stdio FILE*, then
 * `path: …and N more problems` when some were only counted. */
void qn_report_print(const qn_report *r, const char *path, FILE *to);

/* Lookups; return -1 when not found. */
int qn_lang_index(const qn *q, const char *lang);
int qn_item_index(const qn *q, const char *id);
int qn_score_index(const qn *q, const char *id);
int qn_domain_index(const qn *q, const char *id);

/* A text in language `lang` (index), falling back to the first language; never NULL. */
const char *qn_text_get(const qn_text *t, int lang);
/* The title the client sees: client_title when the file has one, else title. */
const qn_text *qn_client_title(const qn *q);

/* The label of `value` on an item's scale, or NULL if the value is not an option. */
const char *qn_option_label(const qn *q, int item, int value, int lang);

/* The option a typed number picks on a single or multi scale (a keyboard's digits): with
 * `by_value` (a row of keys that show their values, 0-10) the option whose value is `number`,
 * else the option at that place as a person counts the buttons (1 the first, 10 the tenth),
 * whatever the values behind them. Returns the option's index, or -1. */
int qn_scale_pick(const qn_scale *sc, int number, bool by_value);

/* The band of `value` on score `score` (compared as its percent for sum scores), or NULL. */
const qn_band *qn_score_band(const qn *q, int score, double value);

/* Does the condition (or any part of it) / any rule of q have a term of this kind? */
bool qn_expr_uses(const qn_expr *e, qn_expr_kind kind);
bool qn_rules_use(const qn *q, qn_expr_kind kind);

/* The largest value an item can contribute to a SUM (raw=true) or RECODE (raw=false) score. */
int qn_item_max(const qn *q, int item, bool raw);

#endif
