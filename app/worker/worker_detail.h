/* worker_detail.h — one assessment in words, and one client's assessments over time.
 *
 * Owns: the opened payload of one record while it is looked at (worker_detail), and the trend
 * of one client (worker_trend). Both open records again through the store and wipe the payload
 * when freed. Texts come from the questionnaire file in the worker's language, the flag evidence
 * too: it is stored as data and worded here (evidence.h); records from before that keep the words
 * they were stored with, in the language the client used.
 *
 * Opening a detail writes "view" with the record id to the audit log; a trend writes one "view"
 * naming the client's record count (no client code in the log). */
#ifndef ITS_WORKER_DETAIL_H
#define ITS_WORKER_DETAIL_H

#include "worker.h"

typedef enum worker_answer_kind {
    WORKER_ANS_VALUE,   /* words: the option label, or "12 päivää" */
    WORKER_ANS_MISSING, /* the question was shown but not answered */
    WORKER_ANS_REFUSED, /* "did not want to answer" */
    WORKER_ANS_NA,      /* answered "not applicable" */
    WORKER_ANS_SKIPPED  /* not asked (its show-if condition did not hold) */
} worker_answer_kind;

typedef struct worker_answer {
    int item; /* index into q->items */
    const char *id, *text, *short_text;
    const char *domain; /* domain name, NULL if none */
    bool scored;
    bool number; /* a number scale (days): value is the number */
    worker_answer_kind kind;
    int value;
    char words[256];
} worker_answer;

typedef struct worker_score {
    const char *id, *label, *method, *status;
    char reason[300]; /* why not scored, in the worker's language; "" when scored */
    const char *item_set;
    const char *domain; /* domain name, NULL for a whole-instrument score */
    bool ok, higher_is_better;
    double value, percent, max; /* max: 100, or the divisor of a sum score */
    char imputed[160];          /* imputed item ids, "D1.2, D3.4"; empty if none */
    const char *band;           /* the questionnaire's word for the value ("Vaikeaa"), or NULL */
    qn_level band_level;        /* its colour and icon */
} worker_score;

typedef struct worker_flag {
    const char *rule, *reason, *detail;
    qn_level level;
} worker_flag;

/* Answer checks (answercheck.h) that fail in a record: "Päiviä yhteensä yli 30: H2 + H3 = 35 > 30". */
#define WORKER_DETAIL_CHECKS 4

typedef struct worker_detail {
    const worker_entry *entry;
    const qn *q; /* NULL if the questionnaire file is missing */
    int lang;    /* index in q of the worker's language */
    const char *title, *client, *started, *completed, *record_lang;
    qn_level level;
    worker_answer *answers;
    int n_answers;
    worker_score *scores;
    int n_scores;
    worker_flag *flags;
    int n_flags;
    void *doc; /* the parsed payload (json_t*), owned */
    bool before_signing; /* an unsigned record from before signatures, on its folder's signed list */
    const char *research;    /* the client's research consent on the kiosk: "yes", "no"; NULL not
                              * asked (worker_consent_state adds a later withdrawal) */
    const char *assisted_by; /* interviewer-assisted: the worker key's fingerprint; NULL not */
    char checks[WORKER_DETAIL_CHECKS][256]; /* failed answer checks in the worker's words */
    int n_checks;
    bool crisis_help; /* the answers called for the crisis-help text on the thank-you screen */
} worker_detail;

/* Opens record `record_id` and describes it. Logs "view". */
int worker_detail_open(worker_session *ws, const char *record_id, worker_detail *d, its_err *err);
/* Same without the audit entry, for exports that log their own event. */
int worker_detail_load(worker_session *ws, int entry, worker_detail *d, its_err *err);
void worker_detail_free(worker_detail *d);
/* The answer for item id, or NULL. */
const worker_answer *worker_detail_answer(const worker_detail *d, const char *item_id);
/* A score as the worker reads it everywhere (words_score): "38/48 (79 %)" for a sum with a top
 * above 10, "6/8", "40,6/100"; the method's word: "summa", "WHODAS-pisteytys (0–100)". */
void worker_score_words(const worker_session *ws, const worker_score *s, char *dst, size_t n);
const char *worker_method_word(const worker_session *ws, const char *method);
/* The worker-language word for an answer kind ("ei vastausta", "ei halunnut vastata" ...). */
const char *worker_answer_kind_word(const worker_session *ws, worker_answer_kind k);

/* ---- trend ------------------------------------------------------------------------------ */

#define WORKER_TREND_MAX_SCORES 16

typedef struct worker_trend_point {
    int entry; /* index in the session */
    long long completed_at;
    qn_level level;
    bool has[WORKER_TREND_MAX_SCORES]; /* per series score */
    double value[WORKER_TREND_MAX_SCORES];
    bool has_change;
    double change;                     /* headline minus the previous point's */
    char flags[WORKER_FLAGS_MAX];      /* fired rules */
    char new_flags[WORKER_FLAGS_MAX];  /* fired now, not in the previous point */
    char gone_flags[WORKER_FLAGS_MAX]; /* fired in the previous point, not now */
} worker_trend_point;

/* One questionnaire's assessments of the client, oldest first. Score 0 is the headline; the
 * others are the domain/area scores in file order. */
typedef struct worker_trend_series {
    const qn *q;
    char qid[WORKER_QID_MAX];
    int n_scores;
    const char *score_id[WORKER_TREND_MAX_SCORES];
    const char *score_label[WORKER_TREND_MAX_SCORES];
    bool higher_is_better;
    worker_trend_point *points;
    int n_points;
} worker_trend_series;

typedef struct worker_trend {
    char client[WORKER_CLIENT_MAX];
    worker_trend_series *series;
    int n_series;
    int unreadable; /* the client's records that could not be opened */
} worker_trend;

/* Every assessment of `client` (case-insensitive), grouped by questionnaire. No records: 0
 * with n_series 0. Logs "view". */
int worker_trend_build(worker_session *ws, const char *client, worker_trend *t, its_err *err);
void worker_trend_free(worker_trend *t);
/* The point before `entry` in its series (same client and questionnaire), or -1. */
int worker_trend_previous(const worker_session *ws, int entry);

#endif
