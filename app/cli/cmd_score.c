/* cmd_score.c — `itsearvio score`: scores answer files or the test vectors' notation and prints
 * the result as JSON (or a readable table), so anyone can check a case by hand. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "result.h"

typedef struct score_opts {
    const char *questionnaire, *answers, *works, *previous, *rules, *lang;
    bool table;
    const char *files[64];
    int n_files;
    const char *reader; /* the table's language (cli_lang: --lang, else $LANG, else fi) */
} score_opts;

static const char *const score_help =
    "usage: itsearvio score --questionnaire FILE --answers \"1 0 x na ...\" [--works yes|no]\n"
    "       itsearvio score --questionnaire FILE ANSWERS.json...\n"
    "options: --previous RESULT.json (for the change rule), --rules OVERRIDE.json,\n"
    "         --lang fi|sv|en (reason texts and the table's labels; default $LANG, else fi),\n"
    "         --table (readable table instead of JSON)\n\n"
    "--answers lists the scored items' values in file order: a number, x (missing),\n"
    "na (not applicable) or r (did not want to answer). An answers file is\n"
    "{\"answers\": {\"D1.1\": 2, \"D1.2\": \"x\", ...}, \"client\": \"...\"}: see "
    "docs/answers-format.md.";

static int parse_args(int argc, char **argv, score_opts *o)
{
    const cli_opt opts[] = {{"--questionnaire", &o->questionnaire}, {"--answers", &o->answers},
                            {"--works", &o->works},                 {"--previous", &o->previous},
                            {"--rules", &o->rules},                 {"--lang", &o->lang}};
    const cli_flag flags[] = {{"--table", &o->table}};
    if (cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], flags, 1, o->files, 64, &o->n_files) != 0)
        return -1;
    if (!o->questionnaire || (!o->answers && o->n_files == 0) || (o->answers && o->n_files)) {
        fprintf(stderr, "itsearvio score: give --questionnaire and either --answers or answer files\n");
        return -1;
    }
    if (o->works && strcmp(o->works, "yes") && strcmp(o->works, "no")) {
        fprintf(stderr, "itsearvio score: --works takes yes or no\n");
        return -1;
    }
    o->reader = cli_lang(o->lang, NULL);
    return 0;
}

/* s after two spaces, padded to `width` characters. */
static void print_padded(const char *s, int width)
{
    printf("  ");
    cli_print_cell(s, width);
}

/* "red" -> the reader's word for it (level_red). */
static const char *level_word(const char *lang, const char *level)
{
    const char *key = !level ? "" : !strcmp(level, "red") ? "level_red"
                               : !strcmp(level, "yellow") ? "level_yellow" : "level_none";
    return words_get(cli_words(), lang, key);
}

/* One score's line: its value, item set and imputed items, or why it was not scored. */
static void print_score_row(const char *lang, json_t *v)
{
    const char *label = json_string_value(json_object_get(v, "label"));
    json_t *value = json_object_get(v, "value");
    print_padded(label ? label : "?", 48);
    if (!value) {
        char why[300];
        if (!result_why_words(cli_words(), lang, v, why, sizeof why))
            its_strlcpy(why, "?", sizeof why);
        printf("%s\n", cli_say(lang, "cli_not_scored", why, (const char *)NULL));
        return;
    }
    char num[32], imputed[512] = "";
    words_number(cli_words(), lang, num, sizeof num, json_number_value(value), 2);
    const char *set = json_string_value(json_object_get(v, "item_set"));
    printf("%8s  %s", num, cli_say(lang, "cli_item_set", set ? set : "?", (const char *)NULL));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "imputed"), i, x)
        its_appendf(imputed, sizeof imputed, "%s%s", i ? ", " : "", json_string_value(x));
    if (imputed[0])
        printf("%s", cli_say(lang, "cli_imputed", imputed, (const char *)NULL));
    printf("\n");
}

static void print_table(const char *lang, const qn *q, json_t *r)
{
    printf("%s %s\n", q->id, q->version);
    const char *id;
    json_t *v;
    json_object_foreach(json_object_get(r, "scores"), id, v) print_score_row(lang, v);
    const char *level = json_string_value(json_object_get(r, "level"));
    printf("%s\n", cli_say(lang, "cli_level", level_word(lang, level), (const char *)NULL));
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "flags"), i, f)
        printf("  [%s] %s %s — %s\n", level_word(lang, json_string_value(json_object_get(f, "level"))),
               json_string_value(json_object_get(f, "rule")), json_string_value(json_object_get(f, "reason")),
               json_string_value(json_object_get(f, "detail")));
}

/* Fills a session from one answers document (object with "answers"); a problem is said in lang. */
static int session_from_file(qn_session *s, json_t *doc, const char *name, const char *lang)
{
    its_err err;
    json_t *answers = json_object_get(doc, "answers");
    if (!json_is_object(doc) || !answers) {
        fprintf(stderr, "%s\n", cli_say(lang, "cli_answers_shape", cli_safe(name), (const char *)NULL));
        return -1;
    }
    json_t *qid = json_object_get(doc, "questionnaire");
    if (json_is_string(qid) && strcmp(json_string_value(qid), s->q->id)) {
        fprintf(stderr, "%s\n", cli_say(lang, "cli_answers_other", cli_safe(name),
                                        cli_safe(json_string_value(qid)), s->q->id, (const char *)NULL));
        return -1;
    }
    if (session_from_answers(s, answers, &err) < 0) {
        fprintf(stderr, "%s: %s\n", name, err.msg);
        return -1;
    }
    return 0;
}

static json_t *load_json(const char *path, const char *lang)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        char line[16], column[16];
        snprintf(line, sizeof line, "%d", jerr.line);
        snprintf(column, sizeof column, "%d", jerr.column);
        fprintf(stderr, "%s\n", cli_say(lang, "cli_malformed_json", cli_safe(path), line, column,
                                        words_get(cli_words(), lang, its_json_reason_key(&jerr)),
                                        (const char *)NULL));
    }
    return doc;
}

/* Previous result for the change rule: a result document, or an answers file scored here. */
static json_t *load_previous(const qn *q, const char *path, int lang, const char *reader)
{
    json_t *doc = load_json(path, reader);
    if (!doc || json_object_get(doc, "scores"))
        return doc;
    qn_session s;
    its_err err;
    json_t *result = NULL;
    if (session_init(&s, q, &err) == 0 && session_from_file(&s, doc, path, reader) == 0)
        result = result_build(&s, NULL, NULL, 0, lang, &err);
    session_wipe(&s);
    json_decref(doc);
    return result;
}

static int emit(const qn *q, const qn_session *s, json_t *doc, json_t *prev_doc, int lang,
                const score_opts *o)
{
    flag_previous prev[64];
    int n_prev = prev_doc ? result_previous_scores(prev_doc, prev, 64) : 0;
    its_err err;
    result_meta meta = {0};
    if (doc)
        meta.client = json_string_value(json_object_get(doc, "client"));
    json_t *r = result_build(s, &meta, prev, n_prev, lang, &err);
    if (!r) {
        fprintf(stderr, "itsearvio score: %s\n", err.msg);
        return 1;
    }
    result_add_summary(r, q);
    result_add_details(r, q, cli_words()); /* the evidence in words, in the answers' language */
    if (o->table)
        print_table(o->reader, q, r);
    else
        json_dumpf(r, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10)), putchar('\n');
    json_decref(r);
    return 0;
}

static int score_notation(const qn *q, const score_opts *o, json_t *prev, int lang)
{
    qn_session s;
    its_err err;
    int works = !o->works ? -1 : !strcmp(o->works, "yes");
    if (session_init(&s, q, &err) < 0 || session_from_notation(&s, o->answers, works, &err) < 0) {
        fprintf(stderr, "itsearvio score: %s\n", err.msg);
        session_wipe(&s);
        return 1;
    }
    int rc = emit(q, &s, NULL, prev, lang, o);
    session_wipe(&s);
    return rc;
}

static int score_file(const qn *q, const char *path, const score_opts *o, json_t *prev, int lang)
{
    json_t *doc = load_json(path, o->reader);
    if (!doc)
        return 1;
    qn_session s;
    its_err err;
    int rc = 1;
    if (session_init(&s, q, &err) == 0 && session_from_file(&s, doc, path, o->reader) == 0)
        rc = emit(q, &s, doc, prev, lang, o);
    session_wipe(&s);
    json_decref(doc);
    return rc;
}

int cmd_score(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts(score_help);
        return 0;
    }
    score_opts o = {0};
    if (parse_args(argc, argv, &o) < 0)
        return 2;
    qn_report report = {0};
    qn *q = qn_load(o.questionnaire, &report);
    if (!q || (o.rules && qn_load_rules_override(q, o.rules, &report) < 0)) {
        qn_report_print(&report, q ? o.rules : o.questionnaire, stderr);
        qn_report_free(&report);
        qn_free(q);
        return 1;
    }
    /* the reason texts in the reader's language when the questionnaire has it */
    int lang = o.lang ? qn_lang_index(q, o.lang) : qn_lang_index(q, o.reader);
    lang = !o.lang && lang < 0 ? 0 : lang;
    if (lang < 0) {
        fprintf(stderr, "itsearvio score: --lang %s: %s has no such language\n", o.lang, o.questionnaire);
        qn_free(q);
        return 2;
    }
    json_t *prev = o.previous ? load_previous(q, o.previous, lang, o.reader) : NULL;
    int rc = (o.previous && !prev) ? 1 : 0;
    if (!rc && o.answers)
        rc = score_notation(q, &o, prev, lang);
    for (int i = 0; !rc && i < o.n_files; i++)
        rc |= score_file(q, o.files[i], &o, prev, lang);
    json_decref(prev);
    qn_free(q);
    return rc;
}
