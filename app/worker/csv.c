/* csv.c — CSV export: one row per assessment, RFC 4180 quoting, UTF-8, CRLF (export.h).
 *
 * The columns are the fixed ones below, then for every score and every item of the questionnaires
 * in the export (in order of first appearance, file order within one) the score and answer
 * columns; a row leaves the columns of other questionnaires empty. docs/export-formats.md lists
 * them. */
#include "export.h"
#include "worker_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flags.h"
#include "worker_note.h"

static const char *const fixed_columns[] = {"record_id",
                                            "created_at",
                                            "device",
                                            "client",
                                            "questionnaire_id",
                                            "questionnaire_version",
                                            "questionnaire_title",
                                            "lang",
                                            "started",
                                            "completed",
                                            "level",
                                            "flags",
                                            "flag_details",
                                            "research_consent",
                                            "consent_withdrawn",
                                            "assisted_by"};
#define N_FIXED (sizeof fixed_columns / sizeof fixed_columns[0])

/* Score columns are "score.ID", "score.ID.percent", "score.ID.status", "score.ID.item_set",
 * "score.ID.imputed"; item columns "item.ID". */
static const char *const score_parts[] = {"", ".percent", ".status", ".item_set", ".imputed"};
#define N_SCORE_PARTS 5

typedef struct columns {
    char **score_ids;
    int n_scores;
    char **item_ids;
    int n_items;
    int cap_s, cap_i;
} columns;

static int add_id(char ***ids, int *n, int *cap, const char *id)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp((*ids)[i], id))
            return 0;
    if (*n == *cap) {
        int c = *cap ? *cap * 2 : 64;
        char **bigger = realloc(*ids, (size_t)c * sizeof *bigger);
        if (!bigger)
            return -1;
        *ids = bigger;
        *cap = c;
    }
    return ((*ids)[(*n)++] = its_strdup(id)) ? 0 : -1;
}

static void columns_free(columns *c)
{
    for (int i = 0; i < c->n_scores; i++)
        free(c->score_ids[i]);
    for (int i = 0; i < c->n_items; i++)
        free(c->item_ids[i]);
    free(c->score_ids);
    free(c->item_ids);
}

/* The union of the questionnaires' score and item ids; records of an unknown questionnaire add
 * the ids their payload holds. */
static int collect_columns(worker_session *ws, const int *rows, int n, columns *c, its_err *err)
{
    memset(c, 0, sizeof *c);
    bool seen[WORKER_MAX_QNS] = {false};
    int rc = 0;
    for (int r = 0; r < n && rc == 0; r++) {
        const worker_entry *e = worker_entry_at(ws, rows[r]);
        if (!e || e->status != WORKER_ENTRY_OK)
            continue;
        const qn *q = worker_session_qn(ws, e);
        if (q && !seen[e->qn]) {
            seen[e->qn] = true;
            for (int i = 0; i < q->n_scores && rc == 0; i++)
                rc = add_id(&c->score_ids, &c->n_scores, &c->cap_s, q->scores[i].id);
            for (int i = 0; i < q->n_items && rc == 0; i++)
                rc = add_id(&c->item_ids, &c->n_items, &c->cap_i, q->items[i].id);
        } else if (!q) {
            json_t *doc;
            if (worker_open_doc(ws, e, &doc, err) != 0)
                continue;
            const char *id;
            json_t *v;
            json_object_foreach(json_object_get(doc, "scores"), id, v) if (rc == 0) rc =
                add_id(&c->score_ids, &c->n_scores, &c->cap_s, id);
            json_object_foreach(json_object_get(doc, "answers"), id, v) if (rc == 0) rc =
                add_id(&c->item_ids, &c->n_items, &c->cap_i, id);
            worker_doc_wipe(doc);
        }
    }
    if (rc != 0) {
        columns_free(c);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    }
    return 0;
}

/* A plain decimal number such as -2 or -0.5: safe in a spreadsheet as it is. */
static bool plain_number(const char *s)
{
    const char *p = s + (*s == '-');
    if (!(*p >= '0' && *p <= '9'))
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.' && p[1] >= '0' && p[1] <= '9')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    return *p == '\0';
}

/* One field, quoted when it holds a comma, quote, line break or outer space. Against
 * spreadsheet formula injection (OWASP "CSV injection"), a field that begins with = + - @, a
 * tab or a carriage return (or with the ' that marks it) gets a ' in front, unless it is a
 * plain number; a reader drops one leading ' to get the value back (docs/export-formats.md). */
static void field(FILE *out, bool first, const char *s)
{
    if (!first)
        fputc(',', out);
    if (!s)
        return;
    size_t n = strlen(s);
    bool guard = n && strchr("=+-@\t\r'", s[0]) && !plain_number(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        if (guard)
            fputc('\'', out);
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (guard)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void export_csv_field(FILE *out, bool first, const char *s)
{
    field(out, first, s);
}

static void number_field(FILE *out, json_t *v)
{
    char num[48] = "";
    if (json_is_integer(v))
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
    else if (json_is_number(v))
        its_format_number(num, sizeof num, json_number_value(v), 4);
    field(out, false, num);
}

/* An answer as the payload stores it: a number, "r", "na", or values joined with ";". */
static void answer_field(FILE *out, json_t *v)
{
    if (json_is_array(v)) {
        char buf[256] = "";
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
            its_appendf(buf, sizeof buf, "%s%lld", i ? ";" : "", (long long)json_integer_value(x));
        field(out, false, buf);
    } else if (json_is_string(v)) {
        field(out, false, json_string_value(v));
    } else {
        number_field(out, v);
    }
}

static void iso_utc(char *dst, size_t n, long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(dst, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        its_strlcpy(dst, "", n);
}

/* research_consent (yes / no / not_asked / withdrawn), the withdrawal's day, assisted_by. */
static void consent_fields(FILE *out, worker_session *ws, const worker_entry *e, json_t *doc)
{
    const char *research = json_string_value(json_object_get(json_object_get(doc, "consent"), "research"));
    worker_consent c;
    char date[11];
    its_err why;
    bool known = worker_consent_read(ws, e->id, research, &c, date, &why) == 0;
    field(out, false, known ? worker_consent_code(c) : "");
    field(out, false, known ? date : "");
    field(out, false, e->assisted_by);
}

static void write_row(FILE *out, worker_session *ws, const worker_entry *e, json_t *doc,
                      const columns *c)
{
    char created[32], flags_detail[4096] = "";
    iso_utc(created, sizeof created, e->created_at);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "flags"), i, f)
        its_appendf(flags_detail, sizeof flags_detail, "%s%s: %s", i ? " | " : "",
                    json_string_value(json_object_get(f, "rule")),
                    json_string_value(json_object_get(f, "detail")));
    json_t *qo = json_object_get(doc, "questionnaire");
    field(out, true, e->id);
    field(out, false, created);
    field(out, false, e->device);
    field(out, false, e->client);
    field(out, false, e->qid);
    field(out, false, e->qversion);
    field(out, false, json_string_value(json_object_get(qo, "title")));
    field(out, false, json_string_value(json_object_get(doc, "lang")));
    field(out, false, json_string_value(json_object_get(doc, "started")));
    field(out, false, json_string_value(json_object_get(doc, "completed")));
    field(out, false, flags_level_name(e->level));
    field(out, false, e->flags);
    field(out, false, flags_detail);
    consent_fields(out, ws, e, doc);
    json_t *scores = json_object_get(doc, "scores");
    for (int k = 0; k < c->n_scores; k++) {
        json_t *s = json_object_get(scores, c->score_ids[k]);
        number_field(out, json_object_get(s, "value"));
        number_field(out, json_object_get(s, "percent"));
        field(out, false, json_string_value(json_object_get(s, "status")));
        field(out, false, json_string_value(json_object_get(s, "item_set")));
        char imputed[512] = "";
        json_t *x;
        json_array_foreach(json_object_get(s, "imputed"), i, x)
            its_appendf(imputed, sizeof imputed, "%s%s", i ? " " : "", json_string_value(x));
        field(out, false, imputed);
    }
    json_t *answers = json_object_get(doc, "answers");
    for (int k = 0; k < c->n_items; k++)
        answer_field(out, json_object_get(answers, c->item_ids[k]));
    fputs("\r\n", out);
}

int export_csv(worker_session *ws, const int *rows, int n, FILE *out, int *skipped, its_err *err)
{
    columns c;
    if (collect_columns(ws, rows, n, &c, err) != 0)
        return -1;
    for (size_t i = 0; i < N_FIXED; i++)
        field(out, i == 0, fixed_columns[i]);
    char name[200];
    for (int k = 0; k < c.n_scores; k++)
        for (int p = 0; p < N_SCORE_PARTS; p++) {
            snprintf(name, sizeof name, "score.%s%s", c.score_ids[k], score_parts[p]);
            field(out, false, name);
        }
    for (int k = 0; k < c.n_items; k++) {
        snprintf(name, sizeof name, "item.%s", c.item_ids[k]);
        field(out, false, name);
    }
    fputs("\r\n", out);
    for (int r = 0; r < n; r++) {
        const worker_entry *e = worker_entry_at(ws, rows[r]);
        json_t *doc;
        its_err why;
        if (!e || worker_open_doc(ws, e, &doc, &why) != 0) {
            (*skipped)++;
            continue;
        }
        write_row(out, ws, e, doc, &c);
        worker_doc_wipe(doc);
        if (ferror(out))
            break;
    }
    columns_free(&c);
    return 0;
}
