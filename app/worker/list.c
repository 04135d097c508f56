/* list.c — the list view over the session index: filters, order and counts (worker.h). */
#include "worker_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "evidence.h"

worker_filter worker_filter_all(void)
{
    return (worker_filter){.level = -1};
}

static bool matches(const worker_entry *e, int i, const worker_filter *f)
{
    if (f->no_referral && (e->status != WORKER_ENTRY_OK || e->level == QN_LEVEL_NONE ||
                           f->no_referral[i] != 0))
        return false;
    if (f->device && strcmp(f->device, e->device) != 0) /* the clear header: known for every row */
        return false;
    if (e->status !=
        WORKER_ENTRY_OK) /* cannot tell its client or level: only in unfiltered lists */
        return !f->client && f->level < 0 && !f->questionnaire && !f->from && !f->to && !f->site;
    if (f->site && strcmp(f->site, e->site) != 0)
        return false;
    if (f->client && strcasecmp(f->client, e->client) != 0)
        return false;
    if (f->level >= 0 && (int)e->level != f->level)
        return false;
    if (f->questionnaire && strcmp(f->questionnaire, e->qid) != 0)
        return false;
    if (f->from && e->completed_at < f->from)
        return false;
    if (f->to && e->completed_at >= f->to)
        return false;
    return true;
}

/* qsort has no context argument: the entries being sorted are passed through this. */
static _Thread_local const worker_entry *sort_entries;
static _Thread_local bool sort_flagged_first;

static int cmp_rows(const void *a, const void *b)
{
    const worker_entry *x = &sort_entries[*(const int *)a], *y = &sort_entries[*(const int *)b];
    if (sort_flagged_first && x->level != y->level)
        return x->level > y->level ? -1 : 1;
    if (x->completed_at != y->completed_at)
        return x->completed_at > y->completed_at ? -1 : 1;
    return strcmp(y->id, x->id);
}

int worker_list(const worker_session *ws, const worker_filter *f, int **rows, worker_counts *counts,
                its_err *err)
{
    worker_filter all = worker_filter_all();
    if (!f)
        f = &all;
    *rows = malloc((size_t)(ws->n_entries ? ws->n_entries : 1) * sizeof **rows);
    if (!*rows)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the list.");
    worker_counts c = {.total = ws->n_entries};
    for (int i = 0; i < ws->n_entries; i++) {
        const worker_entry *e = &ws->entries[i];
        if (!matches(e, i, f))
            continue;
        (*rows)[c.shown++] = i;
        if (e->status != WORKER_ENTRY_OK)
            c.unreadable++;
        else if (e->level == QN_LEVEL_RED)
            c.red++;
        else if (e->level == QN_LEVEL_YELLOW)
            c.yellow++;
        else
            c.none++;
    }
    sort_entries = ws->entries;
    sort_flagged_first = f->flagged_first;
    qsort(*rows, (size_t)c.shown, sizeof **rows, cmp_rows);
    if (counts)
        *counts = c;
    return 0;
}

void worker_format_headline(const worker_session *ws, char *dst, size_t n, const worker_entry *e)
{
    if (!e->has_headline) {
        its_strlcpy(dst, "\u2013", n);
        return;
    }
    /* a 0-100 score reads as its value; a sum score with its top: "24/48" */
    words_score(ws->words, ws->lang, dst, n, e->headline, e->headline_max == 100.0 ? 0 : e->headline_max,
                WORDS_SCORE_PLAIN);
}

void worker_format_change(const worker_session *ws, char *dst, size_t n, double change)
{
    char v[40];
    its_format_number(v, sizeof v, fabs(change), 1);
    const char *sign = !strcmp(v, "0.0") ? "" : change > 0 ? "+" : "-";
    words_number(ws->words, ws->lang, v, sizeof v, fabs(change), 1);
    snprintf(dst, n, "%s%s", sign, v);
}

void worker_format_change_error(const worker_session *ws, const worker_entry *e, double change,
                                char *dst, size_t n)
{
    worker_format_change(ws, dst, n, change);
    const qn *q = worker_session_qn(ws, e);
    char words[160];
    if (q && evidence_change_error(ws->words, q, worker_headline_score(q), change, worker_session_lang(ws, q),
                                   words, sizeof words) > 0)
        its_appendf(dst, n, ", %s", words);
}

const char *worker_level_word(const worker_session *ws, qn_level level)
{
    return worker_word(ws, level == QN_LEVEL_RED      ? "level_red"
                           : level == QN_LEVEL_YELLOW ? "level_yellow"
                                                      : "level_none");
}
