/* trend.c — one client's assessments over time (worker_detail.h). */
#include "worker_detail.h"
#include "worker_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Is `word` one of the space-separated words of `list`? */
static bool has_word(const char *list, const char *word, size_t wlen)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if (n == wlen && !strncmp(p, word, n))
            return true;
        p += n;
        p += *p == ' ';
    }
    return false;
}

void worker_words_not_in(const char *a, const char *b, char *out, size_t n)
{
    out[0] = '\0';
    for (const char *p = a; *p;) {
        size_t len = strcspn(p, " ");
        if (len && !has_word(b, p, len))
            its_appendf(out, n, "%s%.*s", out[0] ? " " : "", (int)len, p);
        p += len;
        p += *p == ' ';
    }
}

int worker_trend_previous(const worker_session *ws, int entry)
{
    const worker_entry *e = worker_entry_at(ws, entry);
    int best = -1;
    for (int i = 0; e && i < ws->n_entries; i++) {
        const worker_entry *x = &ws->entries[i];
        if (i == entry || x->status != WORKER_ENTRY_OK || strcasecmp(x->client, e->client) ||
            strcmp(x->qid, e->qid))
            continue;
        bool before = x->completed_at < e->completed_at ||
                      (x->completed_at == e->completed_at && strcmp(x->id, e->id) < 0);
        if (before && (best < 0 || x->completed_at > ws->entries[best].completed_at ||
                       (x->completed_at == ws->entries[best].completed_at &&
                        strcmp(x->id, ws->entries[best].id) > 0)))
            best = i;
    }
    return best;
}

static void series_scores(worker_trend_series *s, int lang)
{
    const qn *q = s->q;
    int head = worker_headline_score(q);
    if (!q || head < 0) {
        s->n_scores = 1;
        s->score_id[0] = NULL; /* the index's headline */
        s->score_label[0] = "";
        return;
    }
    s->score_id[s->n_scores] = q->scores[head].id;
    s->score_label[s->n_scores++] = qn_text_get(&q->scores[head].label, lang);
    s->higher_is_better = q->scores[head].higher_is_better;
    for (int i = 0; i < q->n_scores && s->n_scores < WORKER_TREND_MAX_SCORES; i++)
        if (q->scores[i].domain >= 0) {
            s->score_id[s->n_scores] = q->scores[i].id;
            s->score_label[s->n_scores++] = qn_text_get(&q->scores[i].label, lang);
        }
}

static int cmp_points(const void *a, const void *b)
{
    const worker_trend_point *x = a, *y = b;
    return x->completed_at < y->completed_at ? -1 : x->completed_at > y->completed_at;
}

/* Reads the series' score values of one point from its record. */
static int fill_point(worker_session *ws, worker_trend_series *s, worker_trend_point *p,
                      its_err *err)
{
    const worker_entry *e = &ws->entries[p->entry];
    if (!s->score_id[0]) {
        p->has[0] = e->has_headline;
        p->value[0] = e->headline;
        return 0;
    }
    json_t *doc;
    if (worker_open_doc(ws, e, &doc, err) != 0)
        return -1;
    json_t *scores = json_object_get(doc, "scores");
    for (int k = 0; k < s->n_scores; k++) {
        json_t *v = json_object_get(json_object_get(scores, s->score_id[k]), "value");
        p->has[k] = json_is_number(v);
        p->value[k] = p->has[k] ? json_number_value(v) : NAN;
    }
    worker_doc_wipe(doc);
    return 0;
}

static worker_trend_series *series_for(worker_session *ws, worker_trend *t, const worker_entry *e)
{
    for (int i = 0; i < t->n_series; i++)
        if (!strcmp(t->series[i].qid, e->qid))
            return &t->series[i];
    worker_trend_series *s = &t->series[t->n_series++];
    memset(s, 0, sizeof *s);
    its_strlcpy(s->qid, e->qid, sizeof s->qid);
    s->q = worker_session_qn(ws, e);
    series_scores(s, worker_session_lang(ws, s->q));
    s->points = calloc((size_t)ws->n_entries, sizeof *s->points);
    return s;
}

int worker_trend_build(worker_session *ws, const char *client, worker_trend *t, its_err *err)
{
    memset(t, 0, sizeof *t);
    if (!client || !*client)
        return its_fail(err, "Give a client code.");
    its_strlcpy(t->client, client, sizeof t->client);
    int n = 0;
    for (int i = 0; i < ws->n_entries; i++)
        n += !strcasecmp(ws->entries[i].client, client);
    t->series = calloc(n ? (size_t)n : 1, sizeof *t->series);
    if (!t->series)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    for (int i = 0; i < ws->n_entries; i++) {
        const worker_entry *e = &ws->entries[i];
        if (strcasecmp(e->client, client))
            continue;
        if (e->status != WORKER_ENTRY_OK) {
            t->unreadable++;
            continue;
        }
        worker_trend_series *s = series_for(ws, t, e);
        if (!s->points) {
            worker_trend_free(t);
            return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
        }
        worker_trend_point *p = &s->points[s->n_points++];
        p->entry = i;
        p->completed_at = e->completed_at;
        p->level = e->level;
        its_strlcpy(p->flags, e->flags, sizeof p->flags);
    }
    for (int k = 0; k < t->n_series; k++) {
        worker_trend_series *s = &t->series[k];
        qsort(s->points, (size_t)s->n_points, sizeof *s->points, cmp_points);
        for (int i = 0; i < s->n_points; i++) {
            worker_trend_point *p = &s->points[i];
            if (fill_point(ws, s, p, err) != 0) {
                worker_trend_free(t);
                return -1;
            }
            if (i == 0)
                continue;
            const worker_trend_point *prev = &s->points[i - 1];
            p->has_change = p->has[0] && prev->has[0];
            p->change = p->has_change ? p->value[0] - prev->value[0] : 0;
            worker_words_not_in(p->flags, prev->flags, p->new_flags, sizeof p->new_flags);
            worker_words_not_in(prev->flags, p->flags, p->gone_flags, sizeof p->gone_flags);
        }
    }
    if (worker_audit_view(ws, err, "trend of %d records", n) != 0) {
        worker_trend_free(t);
        return -1;
    }
    return 0;
}

void worker_trend_free(worker_trend *t)
{
    for (int i = 0; t && i < t->n_series; i++) {
        its_wipe(t->series[i].points, (size_t)t->series[i].n_points * sizeof *t->series[i].points);
        free(t->series[i].points);
    }
    if (t) {
        free(t->series);
        its_wipe(t, sizeof *t);
    }
}
