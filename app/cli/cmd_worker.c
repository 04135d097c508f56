/* cmd_worker.c — the worker's commands: list, show, trend, note, referral, due, export.
 *
 * Each opens the data folder with the passphrase (from a file or asked on the terminal, never on
 * the command line) or the recovery key, does one thing, locks and exits. Messages are plain
 * sentences on stderr; listings go to stdout. Every word a worker reads comes from the catalogue
 * (cli_ keys, locale/README.md) in the reader's language (cli_lang: --lang, the folder's config,
 * $LANG); usage lines and option errors stay in English like the rest of the command line. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "clientcode.h"
#include "flags.h"
#include "export.h"
#include "worker.h"
#include "worker_detail.h"
#include "worker_due.h"
#include "worker_note.h"
#include "util.h"

typedef struct wopts {
    const char *dir, *pass_file, *recovery, *lang;
    const char *client, *level, *questionnaire, *from, *to, *record, *format, *out, *rule, *text;
    const char *reason, *outcome, *date, *as_of, *site, *device;
    bool flagged_first, agree, disagree, no_referral, referred, not_referred, withdraw;
    const char *args[4];
    int n_args;
} wopts;

static const char *const common_help =
    "  --dir DIR                the data folder\n"
    "  --passphrase-file FILE   a file whose first line is the worker passphrase (else asked)\n"
    "  --recovery-key FILE      the recovery key file instead of the passphrase\n"
    "  --lang fi|sv|en          language of the texts (default: \"lang\" in DIR/config.json,\n"
    "                           else $LANG, else fi)\n";

static const char *const filter_help =
    "  --client CODE            one client's records\n"
    "  --level red|yellow|none  records with this flag level\n"
    "  --questionnaire ID       records of one questionnaire\n"
    "  --site SITE              records made at one site of the team (fleet)\n"
    "  --device ID              records made by one device\n"
    "  --from DATE --to DATE    completed on these days (YYYY-MM-DD, local time, inclusive)\n";

static int parse(int argc, char **argv, wopts *o)
{
    const cli_opt opts[] = {
        {"--dir", &o->dir},         {"--passphrase-file", &o->pass_file},
        {"--recovery-key", &o->recovery}, {"--lang", &o->lang},
        {"--client", &o->client},   {"--level", &o->level},
        {"--questionnaire", &o->questionnaire}, {"--from", &o->from},
        {"--to", &o->to},           {"--record", &o->record},
        {"--format", &o->format},   {"--out", &o->out},
        {"--rule", &o->rule},       {"--text", &o->text},
        {"--reason", &o->reason},   {"--outcome", &o->outcome},
        {"--date", &o->date},       {"--as-of", &o->as_of},
        {"--site", &o->site},       {"--device", &o->device}};
    const cli_flag flags[] = {
        {"--flagged-first", &o->flagged_first}, {"--agree", &o->agree}, {"--disagree", &o->disagree},
        {"--no-referral", &o->no_referral},     {"--referred", &o->referred},
        {"--not-referred", &o->not_referred}, {"--withdraw", &o->withdraw}};
    if (cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], flags,
                  sizeof flags / sizeof flags[0], o->args, 4, &o->n_args) != 0)
        return -1;
    if (!o->dir) {
        fprintf(stderr, "itsearvio %s: give the data folder with --dir\n", argv[0]);
        return -1;
    }
    if (o->lang && strcmp(o->lang, "fi") && strcmp(o->lang, "sv") && strcmp(o->lang, "en")) {
        fprintf(stderr, "itsearvio %s: --lang takes fi, sv or en\n", argv[0]);
        return -1;
    }
    o->lang = cli_lang(o->lang, o->dir);
    return 0;
}

/* The start of every worker command: --help prints `usage` and the options (returns 0), bad
 * options return 2; -1 means go on. */
static int begin(int argc, char **argv, wopts *o, const char *usage, bool filters)
{
    if (cli_wants_help(argc, argv)) {
        printf("%s%s%s", usage, common_help, filters ? filter_help : "");
        return 0;
    }
    return parse(argc, argv, o) != 0 ? 2 : -1;
}

static const char *say(const wopts *o, const char *key, ...);

static worker_session *open_session(const wopts *o, const char *cmd)
{
    if (o->pass_file && o->recovery) {
        fprintf(stderr,
                "itsearvio %s: give --passphrase-file FILE or --recovery-key FILE, not both\n",
                cmd);
        return NULL;
    }
    const char *prompt = say(o, "cli_pass_prompt", (const char *)NULL);
    char *pass = o->recovery ? NULL : cli_pass_read(o->pass_file, prompt, cmd);
    if (!o->recovery && !pass)
        return NULL;
    /* the questionnaires are read from DATA/questionnaires (worker_session_open's default) */
    worker_open_opts wo = {.data = cli_data_dir(),
                           .dir = o->dir,
                           .passphrase = pass,
                           .recovery_key_file = o->recovery,
                           .lang = o->lang};
    worker_session *ws = NULL;
    its_err err = {0};
    int rc = worker_session_open(&wo, &ws, &err);
    cli_pass_free(pass);
    if (rc != 0) {
        fprintf(stderr, "itsearvio %s: %s\n", cmd, cli_error(o->lang, &err));
        return NULL;
    }
    return ws;
}

/* The reader's word for a catalogue key; "-" for no key. */
static const char *word(const wopts *o, const char *key)
{
    return key[0] ? words_get(cli_words(), o->lang, key) : "-";
}

/* A catalogue text with its placeholders filled (a NULL-terminated list), cli_say's. */
static const char *say(const wopts *o, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    const char *out = cli_vsay(o->lang, key, ap);
    va_end(ap);
    return out;
}

/* An integer as a placeholder's text, in one of four buffers. */
static const char *num(int v)
{
    static char ring[8][16];
    static int next;
    char *out = ring[next++ % 8];
    snprintf(out, sizeof ring[0], "%d", v);
    return out;
}

/* The list filter from the options; -1 with a message when a value is not understood. */
static int make_filter(const wopts *o, const char *cmd, worker_filter *f)
{
    *f = worker_filter_all();
    f->client = o->client;
    f->questionnaire = o->questionnaire;
    f->site = o->site;
    f->device = o->device;
    f->flagged_first = o->flagged_first;
    if (o->level) {
        if (!strcmp(o->level, "red"))
            f->level = QN_LEVEL_RED;
        else if (!strcmp(o->level, "yellow"))
            f->level = QN_LEVEL_YELLOW;
        else if (!strcmp(o->level, "none"))
            f->level = QN_LEVEL_NONE;
        else {
            fprintf(stderr, "itsearvio %s: --level takes red, yellow or none\n", cmd);
            return -1;
        }
    }
    if (o->from && (f->from = worker_parse_date(o->from)) < 0) {
        fprintf(stderr, "itsearvio %s: --from takes a date like 2025-03-04\n", cmd);
        return -1;
    }
    if (o->to) {
        if (worker_parse_date(o->to) < 0) {
            fprintf(stderr, "itsearvio %s: --to takes a date like 2025-03-31\n", cmd);
            return -1;
        }
        f->to = worker_parse_date_end(o->to); /* the whole day */
    }
    return 0;
}

static void print_unreadable(const worker_session *ws, const int *rows, int n)
{
    for (int i = 0; i < n; i++) {
        const worker_entry *e = worker_entry_at(ws, rows[i]);
        if (e->status != WORKER_ENTRY_OK)
            fprintf(stderr, "itsearvio: %s\n", e->error);
    }
}

/* ---- list ---------------------------------------------------------------------------------- */

/* One line of a table: each cell padded to its width (negative: right-aligned); the cells are
 * catalogue keys when o is given, else the texts themselves. */
static void print_row(const wopts *o, const char *const *cells, const int *widths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *text = o ? word(o, cells[i]) : cells[i];
        if (i + 1 == n)
            printf("%s\n", text);
        else
            cli_print_cell(text, widths[i]);
    }
}

static const char *const list_heads[] = {"cli_col_completed", "cli_col_client", "cli_col_qn",
                                         "cli_col_total",     "cli_col_level",  "cli_col_flags",
                                         "cli_col_referral",  "cli_col_due",    "cli_col_entered",
                                         "cli_col_record"};
static const int list_widths[] = {18, 10, 17, -7, 10, 16, 16, 15, 13, 0};

int cmd_list(int argc, char **argv)
{
    wopts o = {0};
    int early =
        begin(argc, argv, &o,
              "usage: itsearvio list --dir DIR --passphrase-file FILE [filters] [--flagged-first]\n"
              "Lists the assessments, newest first, with counts at the top. REFERRAL shows the\n"
              "referral decision of a flagged assessment, DUE whether the client's newest one is due\n"
              "for reassessment (itsearvio due).\n"
              "  --flagged-first          red first, then yellow, then the rest\n"
              "  --no-referral            only flagged assessments with no referral decision\n"
              "  --as-of DATE             judge DUE as on that day (default today)\n",
              true);
    if (early >= 0)
        return early;
    worker_filter f;
    if (make_filter(&o, "list", &f) != 0)
        return 2;
    if (o.as_of && worker_parse_date(o.as_of) < 0) {
        fprintf(stderr, "itsearvio list: --as-of takes a date like 2025-03-04\n");
        return 2;
    }
    worker_session *ws = open_session(&o, "list");
    if (!ws)
        return 1;
    int *rows = NULL;
    worker_counts c;
    its_err err;
    int *ref = NULL;
    worker_due_state *due = NULL;
    worker_due_opts dopts = worker_due_defaults();
    if (o.as_of)
        dopts.as_of = worker_parse_date(o.as_of); /* checked before the session opened */
    if (worker_referral_states(ws, &ref, &err) != 0 || worker_due_states(ws, &dopts, &due, &err) != 0 ||
        (f.no_referral = o.no_referral ? ref : NULL, worker_list(ws, &f, &rows, &c, &err)) != 0) {
        fprintf(stderr, "itsearvio list: %s\n", cli_error(o.lang, &err));
        free(ref);
        free(due);
        worker_session_lock(ws);
        return 1;
    }
    if (worker_audit_view(ws, &err, "list of %d records", c.shown) != 0) {
        fprintf(stderr, "itsearvio list: %s\n", cli_error(o.lang, &err));
        free(rows);
        worker_session_lock(ws);
        return 1;
    }
    printf("%s", say(&o, "cli_counts", num(c.shown), num(c.total), num(c.red), num(c.yellow),
                     num(c.none), (const char *)NULL));
    if (c.unreadable)
        printf("%s", say(&o, "cli_counts_unreadable", num(c.unreadable), (const char *)NULL));
    printf("\n\n");
    print_row(&o, list_heads, list_widths, sizeof list_widths / sizeof list_widths[0]);
    for (int i = 0; i < c.shown; i++) {
        const worker_entry *e = worker_entry_at(ws, rows[i]);
        char when[32], total[32];
        worker_format_time(when, sizeof when, e->completed_at);
        if (e->status != WORKER_ENTRY_OK) {
            /* MISSING / UNREADABLE: the marks the README names, for a person and for grep */
            const char *row[] = {e->completed_at ? when : "?", "?", "?", "", "?",
                                 e->status == WORKER_ENTRY_MISSING ? "MISSING" : "UNREADABLE", "", "", "",
                                 e->id[0] ? e->id : "-"};
            print_row(NULL, row, list_widths, sizeof list_widths / sizeof list_widths[0]);
            continue;
        }
        worker_format_headline(ws, total, sizeof total, e);
        cli_print_cell(when, 18);
        cli_print_cell(e->client[0] ? e->client : "-", 10);
        cli_print_cell(e->qid, 17);
        cli_print_cell(total, -7);
        cli_print_cell(worker_level_word(ws, e->level), 10);
        cli_print_cell(e->flags[0] ? e->flags : "-", 16);
        cli_print_cell(e->level == QN_LEVEL_NONE
                       ? "-"
                       : word(&o, worker_referral_key((worker_referral)ref[rows[i]])),
                   16);
        cli_print_cell(word(&o, worker_due_key(due[rows[i]])), 15);
        cli_print_cell(e->assisted_by[0] ? word(&o, "wk_assisted_mark") : "-", 13); /* an interview */
        printf("%s\n", e->id);
    }
    free(ref);
    free(due);
    print_unreadable(ws, rows, c.shown);
    free(rows);
    worker_session_lock(ws);
    /* Damage found (altered, forged, missing, rolled back) is named above and is never a success. */
    if (c.unreadable)
        fprintf(stderr, "itsearvio list: %s\n", say(&o, "cli_unreadable_count", num(c.unreadable),
                                                      (const char *)NULL));
    return c.unreadable ? 1 : 0;
}

/* ---- show ---------------------------------------------------------------------------------- */

static void print_score(const wopts *o, const worker_session *ws, const worker_score *s)
{
    printf("  ");
    cli_print_cell(s->label, 44);
    if (!s->ok) {
        printf("%s\n", say(o, "cli_not_scored", s->reason[0] ? s->reason : s->status ? s->status : "?",
                           (const char *)NULL));
        return;
    }
    char v[64];
    worker_score_words(ws, s, v, sizeof v);
    printf("%s   %s", v, say(o, "cli_score_method", worker_method_word(ws, s->method),
                             s->item_set ? s->item_set : "?", (const char *)NULL));
    if (s->imputed[0])
        printf("%s", say(o, "cli_imputed", s->imputed, (const char *)NULL));
    if (s->band)
        printf("   [%s: %s]", worker_level_word(ws, s->band_level), s->band);
    printf("\n");
}

static void print_notes(const wopts *o, worker_session *ws, const char *id, const char *rule)
{
    worker_note *notes;
    int n;
    its_err err;
    if (worker_note_list(ws, id, &notes, &n, &err) != 0) {
        fprintf(stderr, "itsearvio: %s\n", cli_error(o->lang, &err));
        return;
    }
    for (int i = 0; i < n; i++)
        if (!strcmp(notes[i].rule, rule))
            printf("        %s%s%s\n",
                   say(o, notes[i].agree ? "cli_note_agree" : "cli_note_disagree", notes[i].at,
                       (const char *)NULL),
                   notes[i].text[0] ? ": " : "", notes[i].text);
    worker_notes_free(notes, n);
}

/* The referral history of a flagged record, oldest first, and the decision that stands. */
static void print_referrals(const wopts *o, worker_session *ws, const char *id)
{
    worker_note *notes;
    int n;
    its_err err;
    if (worker_note_list(ws, id, &notes, &n, &err) != 0) {
        fprintf(stderr, "itsearvio: %s\n", cli_error(o->lang, &err));
        return;
    }
    printf("\n%s\n", say(o, "cli_referral", word(o, worker_referral_key(worker_referral_state(notes, n))),
                         (const char *)NULL));
    for (int i = 0; i < n; i++)
        if (notes[i].kind == WORKER_NOTE_REFERRAL)
            printf("  %s  %s%s%s%s%s\n", notes[i].at, word(o, worker_referral_key(notes[i].referral)),
                   notes[i].date[0] ? " " : "", notes[i].date, notes[i].text[0] ? ": " : "",
                   notes[i].text);
    worker_notes_free(notes, n);
}

/* Research consent (with a withdrawal's day) and who entered the answers. */
static void print_consent(const wopts *o, worker_session *ws, const worker_detail *d)
{
    worker_consent c;
    char date[11];
    its_err err;
    if (worker_consent_read(ws, d->entry->id, d->research, &c, date, &err) != 0) {
        fprintf(stderr, "itsearvio: %s\n", err.msg);
        return;
    }
    printf("%s\n", say(o, "wk_consent", say(o, worker_consent_key(c), date, (const char *)NULL),
                       (const char *)NULL));
    if (d->assisted_by)
        printf("%s\n", say(o, "cli_assisted", d->assisted_by, (const char *)NULL));
}

static void print_previous(const wopts *o, worker_session *ws, int entry)
{
    int p = worker_trend_previous(ws, entry);
    if (p < 0) {
        printf("%s\n", word(o, "cli_previous_none"));
        return;
    }
    const worker_entry *e = worker_entry_at(ws, entry), *pe = worker_entry_at(ws, p);
    char when[32], total[32];
    worker_format_time(when, sizeof when, pe->completed_at);
    worker_format_headline(ws, total, sizeof total, pe);
    printf("%s", say(o, "cli_previous", when, total, worker_level_word(ws, pe->level), (const char *)NULL));
    if (e->has_headline && pe->has_headline) {
        char d[200];
        worker_format_change_error(ws, e, e->headline - pe->headline, d, sizeof d);
        printf("%s", say(o, "cli_previous_change", d, (const char *)NULL));
    }
    printf("\n");
}

/* "  did not want to answer: 2 (D1.2, D6.8)" — refusals and "does not apply" kept apart. */
static void print_kind_count(const worker_detail *d, worker_answer_kind kind, const char *words)
{
    char ids[400] = "";
    int n = 0;
    for (int i = 0; i < d->n_answers; i++)
        if (d->answers[i].kind == kind && d->answers[i].scored)
            its_appendf(ids, sizeof ids, "%s%s", n++ ? ", " : "", d->answers[i].id);
    if (n)
        printf("  %s: %d (%s)\n", words, n, ids);
}

int cmd_show(int argc, char **argv)
{
    wopts o = {0};
    int early =
        begin(argc, argv, &o,
              "usage: itsearvio show --dir DIR --passphrase-file FILE RECORD_ID\n"
              "Shows one assessment: flags with reasons, scores, every question and answer.\n",
              false);
    if (early >= 0)
        return early;
    if (o.n_args != 1) {
        fprintf(stderr, "itsearvio show: give one record id\n");
        return 2;
    }
    worker_session *ws = open_session(&o, "show");
    if (!ws)
        return 1;
    worker_detail d;
    its_err err;
    if (worker_detail_open(ws, o.args[0], &d, &err) != 0) {
        fprintf(stderr, "itsearvio show: %s\n", cli_error(o.lang, &err));
        worker_session_lock(ws);
        return 1;
    }
    const worker_entry *e = d.entry;
    char when[32];
    worker_format_time(when, sizeof when, e->completed_at);
    printf("%s\n", say(&o, "cli_record", e->id, (const char *)NULL));
    printf("%s\n", say(&o, "cli_record_meta", e->client[0] ? e->client : "-", d.title, e->qid, e->qversion,
                       when, d.record_lang ? d.record_lang : "?", e->device, (const char *)NULL));
    if (d.before_signing)
        printf("%s\n", word(&o, "wk_before_signing"));
    printf("%s\n", say(&o, "cli_level", worker_level_word(ws, d.level), (const char *)NULL));
    print_consent(&o, ws, &d);
    print_previous(&o, ws, worker_find(ws, e->id));
    printf("\n%s\n", word(&o, d.n_flags ? "cli_flags" : "cli_flags_none"));
    for (int i = 0; i < d.n_flags; i++) {
        printf("  [%s] %s  %s\n", worker_level_word(ws, d.flags[i].level), d.flags[i].rule,
               d.flags[i].reason);
        if (d.flags[i].detail[0])
            printf("        %s\n", d.flags[i].detail);
        print_notes(&o, ws, e->id, d.flags[i].rule);
    }
    if (d.n_flags)
        print_referrals(&o, ws, e->id);
    printf("\n%s\n", word(&o, "cli_scores"));
    for (int i = 0; i < d.n_scores; i++)
        print_score(&o, ws, &d.scores[i]);
    if (d.crisis_help)
        printf("\n%s\n", word(&o, "cli_crisis_help"));
    if (d.n_checks)
        printf("\n%s\n", word(&o, "cli_answer_checks"));
    for (int i = 0; i < d.n_checks; i++)
        printf("  ! %s\n", d.checks[i]);
    printf("\n%s\n", word(&o, "cli_answers"));
    print_kind_count(&d, WORKER_ANS_REFUSED, worker_answer_kind_word(ws, WORKER_ANS_REFUSED));
    print_kind_count(&d, WORKER_ANS_NA, worker_answer_kind_word(ws, WORKER_ANS_NA));
    const char *domain = NULL;
    for (int i = 0; i < d.n_answers; i++) {
        const worker_answer *a = &d.answers[i];
        if (a->domain && (!domain || strcmp(domain, a->domain)))
            printf("  %s\n", a->domain);
        domain = a->domain;
        printf("    %-6s %s\n           -> %s\n", a->id, a->text, a->words);
    }
    worker_detail_free(&d);
    worker_session_lock(ws);
    return 0;
}

/* ---- trend --------------------------------------------------------------------------------- */

int cmd_trend(int argc, char **argv)
{
    wopts o = {0};
    int early = begin(
        argc, argv, &o,
        "usage: itsearvio trend --dir DIR --passphrase-file FILE --client CODE\n"
        "Shows every assessment of one client over time: total and domain scores, the change\n"
        "since the previous one, and which flags are new.\n",
        false);
    if (early >= 0)
        return early;
    if (!o.client) {
        fprintf(stderr, "itsearvio trend: give --client CODE\n");
        return 2;
    }
    worker_session *ws = open_session(&o, "trend");
    if (!ws)
        return 1;
    worker_trend t;
    its_err err;
    if (worker_trend_build(ws, o.client, &t, &err) != 0) {
        fprintf(stderr, "itsearvio trend: %s\n", cli_error(o.lang, &err));
        worker_session_lock(ws);
        return 1;
    }
    if (!t.n_series)
        printf("%s\n", say(&o, "cli_trend_none", o.client, (const char *)NULL));
    for (int k = 0; k < t.n_series; k++) {
        const worker_trend_series *s = &t.series[k];
        printf("%s%s\n", k ? "\n" : "",
               say(&o, s->n_points == 1 ? "cli_series_one" : "cli_series", o.client, s->qid,
                   num(s->n_points), (const char *)NULL));
        cli_print_cell(word(&o, "cli_col_completed"), 17);
        for (int j = 0; j < s->n_scores; j++)
            cli_print_cell(s->score_id[j] ? s->score_id[j] : word(&o, "cli_col_total"), -7);
        static const char *const heads[] = {"cli_col_change", "cli_col_level", "cli_col_flags",
                                            "cli_col_new_flags"};
        static const int widths[] = {-7, 10, 16, 0};
        print_row(&o, heads, widths, 4);
        for (int i = 0; i < s->n_points; i++) {
            const worker_trend_point *p = &s->points[i];
            char when[32], v[32];
            worker_format_time(when, sizeof when, p->completed_at);
            cli_print_cell(when, 17);
            for (int j = 0; j < s->n_scores; j++) {
                if (p->has[j])
                    words_score(cli_words(), o.lang, v, sizeof v, p->value[j], 0, WORDS_SCORE_PLAIN);
                cli_print_cell(p->has[j] ? v : "-", -7);
            }
            if (p->has_change)
                worker_format_change(ws, v, sizeof v, p->change);
            const char *row[] = {p->has_change ? v : "", worker_level_word(ws, p->level),
                                 p->flags[0] ? p->flags : "-",
                                 i == 0            ? word(&o, "cli_first")
                                 : p->new_flags[0] ? p->new_flags
                                                   : "-"};
            print_row(NULL, row, widths, 4);
        }
        for (int j = 0; j < s->n_scores; j++)
            if (s->score_id[j])
                printf("  %-7s %s\n", s->score_id[j], s->score_label[j]);
        printf("  %s\n", word(&o, s->higher_is_better ? "cli_higher_better" : "cli_higher_worse"));
    }
    if (t.unreadable)
        fprintf(stderr, "itsearvio trend: %s\n",
                say(&o, "cli_trend_unreadable", num(t.unreadable), (const char *)NULL));
    worker_trend_free(&t);
    worker_session_lock(ws);
    return 0;
}

/* The end of a command that saved a note: the message when it failed, then lock; exit code. */
static int finish_save(const wopts *o, worker_session *ws, const char *cmd, int rc, const its_err *err)
{
    if (rc != 0)
        fprintf(stderr, "itsearvio %s: %s\n", cmd, cli_error(o->lang, err));
    worker_session_lock(ws);
    return rc ? 1 : 0;
}

/* ---- note ---------------------------------------------------------------------------------- */

int cmd_note(int argc, char **argv)
{
    wopts o = {0};
    int early =
        begin(argc, argv, &o,
              "usage: itsearvio note --dir DIR --passphrase-file FILE RECORD_ID --rule R1 "
              "--agree|--disagree\n"
              "                      [--text \"a short note\"]\n"
              "Records whether the worker agrees with a flag; stored sealed like the record.\n",
              false);
    if (early >= 0)
        return early;
    if (o.n_args != 1 || !o.rule || o.agree == o.disagree) {
        fprintf(stderr,
                "itsearvio note: give one record id, --rule and either --agree or --disagree\n");
        return 2;
    }
    worker_session *ws = open_session(&o, "note");
    if (!ws)
        return 1;
    its_err err;
    int rc = worker_note_save(ws, o.args[0], o.rule, o.agree, o.text, &err);
    if (rc == 0)
        printf("%s\n", say(&o, o.agree ? "cli_note_saved_agree" : "cli_note_saved_disagree", o.rule,
                           o.args[0], (const char *)NULL));
    return finish_save(&o, ws, "note", rc, &err);
}

/* ---- referral ------------------------------------------------------------------------------ */

int cmd_referral(int argc, char **argv)
{
    wopts o = {0};
    int early = begin(
        argc, argv, &o,
        "usage: itsearvio referral --dir DIR --passphrase-file FILE RECORD_ID\n"
        "         --referred | --not-referred --reason \"why\" | --outcome \"what\" [--date DATE]\n"
        "Records on a flagged assessment whether the client was referred to a specialist\n"
        "assessment (or why not), or the outcome when it is known (--date: the outcome's day,\n"
        "default today). Stored sealed like the record; `show` prints the history.\n",
        false);
    if (early >= 0)
        return early;
    int picked = o.referred + o.not_referred + (o.outcome != NULL);
    if (o.n_args != 1 || picked != 1 || (o.reason && !o.not_referred) ||
        (o.date && !o.outcome)) {
        fprintf(stderr, "itsearvio referral: give one record id and one of --referred, "
                        "--not-referred --reason \"...\" or --outcome \"...\" [--date DATE]\n");
        return 2;
    }
    if (o.not_referred && (!o.reason || !o.reason[0])) {
        fprintf(stderr, "itsearvio referral: --not-referred needs --reason \"why not\"\n");
        return 2;
    }
    worker_session *ws = open_session(&o, "referral");
    if (!ws)
        return 1;
    worker_referral r = o.referred       ? WORKER_REFERRAL_REFERRED
                        : o.not_referred ? WORKER_REFERRAL_NOT_REFERRED
                                         : WORKER_REFERRAL_OUTCOME;
    char today[32];
    worker_format_time(today, sizeof today, store_now(worker_session_store(ws)));
    today[10] = '\0'; /* the day of "2025-03-04 14:05" */
    const char *text = o.referred ? NULL : o.not_referred ? o.reason : o.outcome;
    const char *date = r != WORKER_REFERRAL_OUTCOME ? NULL : o.date ? o.date : today;
    its_err err;
    int rc = worker_referral_save(ws, o.args[0], r, text, date, &err);
    if (rc == 0)
        printf("%s\n", say(&o, "cli_referral_saved", word(&o, worker_referral_key(r)), o.args[0],
                           (const char *)NULL));
    return finish_save(&o, ws, "referral", rc, &err);
}

/* ---- consent ------------------------------------------------------------------------------- */

int cmd_consent(int argc, char **argv)
{
    wopts o = {0};
    int early = begin(
        argc, argv, &o,
        "usage: itsearvio consent --dir DIR --passphrase-file FILE RECORD_ID --withdraw [--date DATE]\n"
        "Records that the client took back the research consent given on the kiosk for this\n"
        "assessment (--date: the day they did, default today). Stored sealed like the record;\n"
        "`show` and the exports then say \"withdrawn\". Nothing else about the record changes.\n",
        false);
    if (early >= 0)
        return early;
    if (o.n_args != 1 || !o.withdraw) {
        fprintf(stderr, "itsearvio consent: give one record id and --withdraw [--date DATE]\n");
        return 2;
    }
    worker_session *ws = open_session(&o, "consent");
    if (!ws)
        return 1;
    its_err err;
    int rc = worker_consent_withdraw(ws, o.args[0], o.date, &err);
    if (rc == 0)
        printf("%s\n", say(&o, "cli_consent_saved", o.args[0], (const char *)NULL));
    return finish_save(&o, ws, "consent", rc, &err);
}

/* ---- due ----------------------------------------------------------------------------------- */

int cmd_due(int argc, char **argv)
{
    wopts o = {0};
    int early = begin(
        argc, argv, &o,
        "usage: itsearvio due --dir DIR --passphrase-file FILE [--as-of DATE]\n"
        "Lists clients whose newest assessment with a questionnaire that sets \"reassess_days\"\n"
        "is overdue (more than 30 days past the due date), due, or due within 14 days; overdue\n"
        "first. --as-of DATE judges as on that day (default today).\n",
        false);
    if (early >= 0)
        return early;
    worker_due_opts dopts = worker_due_defaults();
    if (o.as_of && (dopts.as_of = worker_parse_date(o.as_of)) < 0) {
        fprintf(stderr, "itsearvio due: --as-of takes a date like 2025-03-04\n");
        return 2;
    }
    worker_session *ws = open_session(&o, "due");
    if (!ws)
        return 1;
    worker_due_row *rows;
    int n, shown = 0;
    its_err err;
    if (worker_due_list(ws, &dopts, &rows, &n, &err) != 0 ||
        worker_audit_view(ws, &err, "due list") != 0) {
        fprintf(stderr, "itsearvio due: %s\n", cli_error(o.lang, &err));
        worker_session_lock(ws);
        return 1;
    }
    static const char *const heads[] = {"cli_col_client", "cli_col_qn", "cli_col_last",
                                        "cli_col_due_date", "cli_col_state"};
    static const int widths[] = {10, 17, 12, 12, 0};
    print_row(&o, heads, widths, 5);
    for (int i = 0; i < n && rows[i].state != WORKER_DUE_NONE; i++, shown++) {
        const worker_entry *e = worker_entry_at(ws, rows[i].entry);
        char last[32];
        worker_format_time(last, sizeof last, e->completed_at);
        last[10] = '\0';
        cli_print_cell(e->client, 10);
        cli_print_cell(e->qid, 17);
        cli_print_cell(last, 12);
        cli_print_cell(rows[i].due_date, 12);
        printf("%s\n", word(&o, worker_due_key(rows[i].state)));
    }
    if (!shown)
        printf("%s\n", word(&o, "cli_due_none"));
    free(rows);
    worker_session_lock(ws);
    return 0;
}

/* ---- export -------------------------------------------------------------------------------- */

int cmd_export(int argc, char **argv)
{
    wopts o = {0};
    int early = begin(
        argc, argv, &o,
        "usage: itsearvio export --dir DIR --passphrase-file FILE --format csv|fhir|pdf\n"
        "                        [--record ID | filters] [--out PATH]\n"
        "Exports assessments (all, one record, or those matching the filters). CSV and FHIR go to\n"
        "standard output without --out; a PDF needs --out. A file is written completely or not at\n"
        "all. Formats: docs/export-formats.md.\n",
        true);
    if (early >= 0)
        return early;
    worker_filter f;
    export_format fmt;
    if (make_filter(&o, "export", &f) != 0)
        return 2;
    if (export_format_parse(o.format, &fmt) != 0) {
        fprintf(stderr, "itsearvio export: --format takes csv, fhir or pdf\n");
        return 2;
    }
    if (fmt == EXPORT_PDF && (!o.out || !strcmp(o.out, "-"))) {
        fprintf(stderr, "itsearvio export: a PDF needs --out FILE.pdf\n");
        return 2;
    }
    worker_session *ws = open_session(&o, "export");
    if (!ws)
        return 1;
    int *rows = NULL, n = 0, rc = 1;
    worker_counts c;
    its_err err;
    if (o.record) {
        int i = worker_find(ws, o.record);
        rows = malloc(sizeof *rows);
        if (i < 0 || !rows)
            fprintf(stderr, "itsearvio export: %s\n",
                    say(&o, "cli_no_record", cli_safe(o.record), (const char *)NULL));
        else
            rows[n++] = i;
    } else if (worker_list(ws, &f, &rows, &c, &err) != 0) {
        fprintf(stderr, "itsearvio export: %s\n", cli_error(o.lang, &err));
    } else {
        n = c.shown;
    }
    if (n == 0 && !o.record)
        fprintf(stderr, "itsearvio export: %s\n", word(&o, "cli_export_none"));
    int skipped = 0;
    if (n > 0) {
        if (export_run(ws, fmt, rows, n, o.out, &skipped, &err) != 0)
            fprintf(stderr, "itsearvio export: %s\n", cli_error(o.lang, &err));
        else
            rc = 0;
    }
    if (skipped) { /* the rest is exported; the exit status says it is not everything */
        fprintf(stderr, "itsearvio export: %s\n",
                say(&o, skipped == 1 ? "cli_export_skipped_one" : "cli_export_skipped", num(skipped),
                    (const char *)NULL));
        print_unreadable(ws, rows, n);
        rc = 1;
    }
    if (n > 0 && (rc == 0 || skipped))
        fprintf(stderr, "%s\n",
                o.out && strcmp(o.out, "-")
                    ? say(&o, "cli_exported_to", num(n - skipped), cli_safe(o.out), (const char *)NULL)
                    : say(&o, "cli_exported", num(n - skipped), (const char *)NULL));
    free(rows);
    worker_session_lock(ws);
    return rc;
}
