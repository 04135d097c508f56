/* reflag.c — flags that compare an assessment with the same client's previous one ("worse than
 * last time") are evaluated here, on the worker side: the kiosk seals each result without being
 * able to read the earlier ones, so what it stored was evaluated with no previous assessment.
 *
 * The entries are linked client by client (same client code, same questionnaire, in time order);
 * a record whose previous assessment differs from the one its flags were computed against is
 * opened and its rules evaluated again with the previous scores (result_build). Only records whose
 * questionnaire has a change rule, and whose questionnaire version is the one loaded now, are
 * re-evaluated: a record scored with another version keeps the flags it was stored with. */
#include "worker_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flags.h"
#include "result.h"

/* Client, questionnaire, then time: a client's assessments of one questionnaire stand together,
 * oldest first. */
static int by_chain(const void *a, const void *b)
{
    const worker_entry *x = *(const worker_entry *const *)a, *y = *(const worker_entry *const *)b;
    int c = strcasecmp(x->client, y->client);
    if (!c)
        c = strcmp(x->qid, y->qid);
    if (!c)
        c = x->completed_at < y->completed_at ? -1 : x->completed_at > y->completed_at;
    return c ? c : strcmp(x->id, y->id);
}

static void link_previous(worker_session *ws)
{
    const worker_entry **order = malloc(((size_t)ws->n_entries + 1) * sizeof *order);
    int n = 0;
    for (int i = 0; order && i < ws->n_entries; i++) {
        ws->entries[i].prev = -1;
        if (ws->entries[i].status == WORKER_ENTRY_OK && ws->entries[i].client[0])
            order[n++] = &ws->entries[i];
    }
    if (!order)
        return;
    qsort(order, (size_t)n, sizeof *order, by_chain);
    for (int k = 1; k < n; k++)
        if (!strcasecmp(order[k]->client, order[k - 1]->client) && !strcmp(order[k]->qid, order[k - 1]->qid))
            ws->entries[order[k] - ws->entries].prev = (int)(order[k - 1] - ws->entries);
    free(order);
}

/* Scores of an entry as scoring reported them, for flags_change_fires. */
static int entry_as_scores(const qn *q, const worker_entry *e, score_value *out)
{
    int n = q->n_scores < WORKER_MAX_SCORES ? q->n_scores : WORKER_MAX_SCORES;
    for (int i = 0; i < n; i++)
        out[i] = (score_value){.score = i,
                               .status = (e->score_ok & (1u << i)) ? SCORE_OK : SCORE_NOT_SCORED,
                               .value = e->score_value[i],
                               .percent = e->score_percent[i]};
    return n;
}

/* Must the record be opened to evaluate its flags against its previous assessment? Not when no
 * change term holds against it and the flags listed now owe nothing to a change term: then the
 * rules give exactly the flags listed (the kiosk evaluated them with no previous one). */
static bool needs_opening(const worker_session *ws, const worker_entry *e)
{
    const qn *q = ws->qns[e->qn];
    if (q->n_scores > WORKER_MAX_SCORES)
        return true;
    for (int r = 0; r < q->n_rules; r++) {
        size_t len = strlen(q->rules[r].id);
        for (const char *f = strstr(e->flags, q->rules[r].id); f; f = strstr(f + 1, q->rules[r].id))
            if ((f == e->flags || f[-1] == ' ') && (f[len] == ' ' || !f[len]) &&
                qn_expr_uses(&q->rules[r].when, QN_EXPR_CHANGE))
                return true;
    }
    if (e->prev < 0)
        return false;
    score_value now[WORKER_MAX_SCORES];
    flag_previous prev[WORKER_MAX_SCORES];
    int n = entry_as_scores(q, e, now), n_prev = 0;
    const worker_entry *p = &ws->entries[e->prev];
    for (int i = 0; i < n; i++)
        if (p->score_ok & (1u << i))
            prev[n_prev++] =
                (flag_previous){q->scores[i].id, p->score_value[i], p->score_percent[i], NULL};
    return flags_change_fires(q, now, prev, n_prev);
}

int worker_reflag_doc(const worker_session *ws, const worker_entry *e, json_t *doc, its_err *err)
{
    const qn *q = e->qn >= 0 ? ws->qns[e->qn] : NULL;
    const char *version =
        json_string_value(json_object_get(json_object_get(doc, "questionnaire"), "version"));
    if (!q || !qn_rules_use(q, QN_EXPR_CHANGE) || !version || strcmp(version, q->version) ||
        !needs_opening(ws, e))
        return 0; /* the stored flags are what the rules give against the previous one */
    flag_previous prev[WORKER_MAX_SCORES];
    int n_prev = 0;
    const worker_entry *p = e->prev >= 0 ? &ws->entries[e->prev] : NULL;
    char date[32] = ""; /* the evidence names the previous date: "10.1.2025" */
    if (p)
        worker_format_time(date, sizeof date, p->completed_at);
    for (int i = 0; p && i < q->n_scores && i < WORKER_MAX_SCORES; i++)
        if (p->score_ok & (1u << i))
            prev[n_prev++] =
                (flag_previous){q->scores[i].id, p->score_value[i], p->score_percent[i], date};
    qn_session s;
    if (session_init(&s, q, err) != 0)
        return -1;
    json_t *result = NULL;
    if (session_from_json(&s, json_object_get(doc, "answers"), err) == 0)
        result = result_build(&s, NULL, prev, n_prev, worker_session_lang(ws, q), err);
    session_wipe(&s);
    if (!result)
        return -1;
    /* copies: wiping the result (it holds answers) must not wipe what doc now refers to */
    json_object_set_new(doc, "flags", json_deep_copy(json_object_get(result, "flags")));
    json_object_set_new(doc, "level", json_deep_copy(json_object_get(result, "level")));
    worker_doc_wipe(result);
    return 0;
}

typedef struct reflag_todo {
    const int *rows; /* entries whose flags need their record opened */
    int n;
} reflag_todo;

/* A thread's share of the records to open again (worker_parallel): each one is opened, its
 * flags evaluated against e->prev (worker_open_doc does), and copied into its entry. */
static void reflag_slice(worker_session *ws, int first, int step, void *ctx)
{
    const reflag_todo *t = ctx;
    for (int k = first; k < t->n; k += step) {
        worker_entry *e = &ws->entries[t->rows[k]];
        json_t *doc = NULL;
        its_err err;
        if (worker_open_doc(ws, e, &doc, &err) != 0)
            continue; /* it stays as listed; the detail view will name the problem */
        worker_entry_flags(e, doc);
        worker_doc_wipe(doc);
    }
}

int worker_reflag_all(worker_session *ws)
{
    link_previous(ws);
    int changed = 0, *rows = malloc(((size_t)ws->n_entries + 1) * sizeof *rows);
    reflag_todo todo = {rows, 0};
    for (int i = 0; i < ws->n_entries; i++) {
        worker_entry *e = &ws->entries[i];
        const char *against = e->prev >= 0 ? ws->entries[e->prev].id : "";
        if (e->status != WORKER_ENTRY_OK || !strcmp(e->flagged_against, against) ||
            !qn_rules_use(e->qn >= 0 ? ws->qns[e->qn] : NULL, QN_EXPR_CHANGE))
            continue;
        /* Opened only when a change term can alter its flags: rules evaluated lazily, from the
         * scores the index keeps, for the rows that need them. */
        if (needs_opening(ws, e) && rows)
            rows[todo.n++] = i;
        its_strlcpy(e->flagged_against, against, sizeof e->flagged_against);
        changed++;
    }
    /* worker_open_doc asks needs_opening again (cheap) and reads e->prev's scores, which no
     * thread changes: only flags and level are written, each entry by one thread. */
    worker_parallel(ws, todo.n, reflag_slice, &todo);
    free(rows);
    return changed;
}
