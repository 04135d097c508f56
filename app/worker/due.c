/* due.c — reassessment due dates (worker_due.h). */
#include "worker_due.h"
#include "worker_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

worker_due_opts worker_due_defaults(void)
{
    return (worker_due_opts){.as_of = 0, .window_days = -1, .grace_days = -1};
}

/* Days since 1970-01-01 of the local calendar day holding t (so "180 days later" counts
 * calendar days, whatever the hour of the assessment or a daylight-saving change). */
static long long local_day(long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    long long y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
    y -= m <= 2; /* days_from_civil (H. Hinnant): March-based years */
    long long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void format_day(long long z, char out[11])
{
    z += 719468; /* civil_from_days (H. Hinnant) */
    long long era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    long long y = yoe + era * 400 + (m <= 2);
    char buf[64];
    snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", y, m, d);
    its_strlcpy(out, buf, 11);
}

static worker_due_state state_on(long long today, long long due, int window, int grace)
{
    if (today > due + grace)
        return WORKER_DUE_OVERDUE;
    if (today >= due)
        return WORKER_DUE_DUE;
    return today >= due - window ? WORKER_DUE_SOON : WORKER_DUE_NONE;
}

/* qsort has no context argument: the entries being sorted are passed through this. */
static _Thread_local const worker_entry *sort_entries;

/* Groups a client's assessments of one questionnaire together, newest first. */
static int cmp_client_qn(const void *a, const void *b)
{
    const worker_entry *x = &sort_entries[*(const int *)a], *y = &sort_entries[*(const int *)b];
    int c = strcmp(x->client, y->client);
    if (!c)
        c = strcmp(x->qid, y->qid);
    if (!c && x->completed_at != y->completed_at)
        c = x->completed_at > y->completed_at ? -1 : 1;
    return c;
}

static int cmp_due(const void *a, const void *b)
{
    const worker_due_row *x = a, *y = b;
    if (x->state != y->state)
        return x->state > y->state ? -1 : 1;
    int c = strcmp(x->due_date, y->due_date);
    return c ? c : strcmp(sort_entries[x->entry].client, sort_entries[y->entry].client);
}

int worker_due_list(worker_session *ws, const worker_due_opts *o, worker_due_row **out, int *n,
                    its_err *err)
{
    worker_due_opts def = worker_due_defaults();
    if (!o)
        o = &def;
    int window = o->window_days < 0 ? WORKER_DUE_WINDOW_DAYS : o->window_days;
    int grace = o->grace_days < 0 ? WORKER_DUE_GRACE_DAYS : o->grace_days;
    long long today = local_day(o->as_of ? o->as_of : store_now(ws->store));
    *out = NULL;
    *n = 0;
    int *idx = malloc((size_t)(ws->n_entries ? ws->n_entries : 1) * sizeof *idx);
    worker_due_row *rows = malloc((size_t)(ws->n_entries ? ws->n_entries : 1) * sizeof *rows);
    if (!idx || !rows) {
        free(idx);
        free(rows);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the due list.");
    }
    int m = 0;
    for (int i = 0; i < ws->n_entries; i++) {
        const worker_entry *e = &ws->entries[i];
        if (e->status == WORKER_ENTRY_OK && e->client[0] && e->qn >= 0 &&
            ws->qns[e->qn]->reassess_days > 0)
            idx[m++] = i;
    }
    sort_entries = ws->entries;
    qsort(idx, (size_t)m, sizeof *idx, cmp_client_qn);
    for (int k = 0; k < m; k++) {
        const worker_entry *e = &ws->entries[idx[k]];
        if (k && !strcmp(e->client, ws->entries[idx[k - 1]].client) &&
            !strcmp(e->qid, ws->entries[idx[k - 1]].qid))
            continue; /* an older assessment of the same client and questionnaire */
        long long due = local_day(e->completed_at) + ws->qns[e->qn]->reassess_days;
        worker_due_row *r = &rows[(*n)++];
        r->entry = idx[k];
        r->state = state_on(today, due, window, grace);
        format_day(due, r->due_date);
    }
    free(idx);
    qsort(rows, (size_t)*n, sizeof *rows, cmp_due);
    *out = rows;
    return 0;
}

int worker_due_states(worker_session *ws, const worker_due_opts *o, worker_due_state **out,
                      its_err *err)
{
    worker_due_row *rows;
    int n;
    *out = calloc((size_t)(ws->n_entries ? ws->n_entries : 1), sizeof **out);
    if (!*out)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the due list.");
    if (worker_due_list(ws, o, &rows, &n, err) != 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    for (int i = 0; i < n; i++)
        (*out)[rows[i].entry] = rows[i].state;
    free(rows);
    return 0;
}

const char *worker_due_key(worker_due_state s)
{
    return s == WORKER_DUE_SOON      ? "wk_due_soon"
           : s == WORKER_DUE_DUE     ? "wk_due"
           : s == WORKER_DUE_OVERDUE ? "wk_overdue"
                                     : "";
}
