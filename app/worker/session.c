/* session.c — the worker session and its index (worker.h).
 *
 * Invariants:
 *   1. Decrypted payload bytes live only inside index_one(): they are parsed, the few list fields
 *      copied out, and wiped (store_payload_free) before the next record is opened.
 *   2. The index holds no answers; the whole index is wiped on lock anyway, because client codes,
 *      levels and flags are personal data too.
 *   3. Questionnaires are loaded before the decryption threads start and are read-only after. */
#include "export.h"
#include "worker.h"
#include "worker_int.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- questionnaires -------------------------------------------------------------------------- */

/* Loads every questionnaire file of `folder`; a missing folder is an error only when `needed`. */
static int load_folder(worker_session *ws, const char *folder, bool needed, its_err *err)
{
    DIR *d = opendir(folder);
    if (!d && !needed)
        return 0;
    if (!d)
        return its_fail(err, "The questionnaires folder %s could not be opened.", folder);
    struct dirent *de;
    while ((de = readdir(d)) != NULL && ws->n_qns < WORKER_MAX_QNS) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char path[1024];
        if (snprintf(path, sizeof path, "%s/%s", folder, de->d_name) >= (int)sizeof path)
            continue;
        qn *q = qn_load(path, NULL);
        if (q) /* a broken file is the validator's business; its records show as "unknown" */
            ws->qns[ws->n_qns++] = q;
    }
    closedir(d);
    return 0;
}

/* The questionnaires in use, then the earlier versions in its `previous` folder: a record is read
 * with the version it was answered and scored with (an item may change its wording or direction
 * between versions), and the version in use is found first for any other. */
static int load_questionnaires(worker_session *ws, const char *folder, its_err *err)
{
    char previous[1024];
    if (load_folder(ws, folder, true, err) != 0)
        return -1;
    if (snprintf(previous, sizeof previous, "%s/previous", folder) < (int)sizeof previous)
        load_folder(ws, previous, false, err);
    return 0;
}

int worker_qn_by_id(const worker_session *ws, const char *id, const char *version)
{
    int first = -1;
    for (int i = 0; id && i < ws->n_qns; i++)
        if (!strcmp(ws->qns[i]->id, id)) {
            if (version && !strcmp(ws->qns[i]->version, version))
                return i;
            if (first < 0)
                first = i;
        }
    return first;
}

/* The first whole-instrument score of q (overall, or simple for a sum-only instrument). */
int worker_headline_score(const qn *q)
{
    for (int i = 0; q && i < q->n_scores; i++)
        if (q->scores[i].domain < 0)
            return i;
    return q && q->n_scores ? 0 : -1;
}

/* ---- time --------------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

long long worker_parse_iso(const char *s)
{
    if (!s || strlen(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' '))
        return -1;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        se < 0 || se > 60)
        return -1;
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

long long worker_parse_date(const char *date)
{
    if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-')
        return -1;
    int y = digits(date, 4), mo = digits(date + 5, 2), d = digits(date + 8, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_isdst = -1};
    time_t t = mktime(&tm);
    return t == (time_t)-1 ? -1 : (long long)t;
}

long long worker_parse_date_end(const char *date)
{
    long long start = worker_parse_date(date);
    if (start < 0)
        return -1;
    time_t t = (time_t)start;
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += 1; /* mktime normalises the month and the daylight-saving change */
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (long long)mktime(&tm);
}

void worker_format_time(char *dst, size_t n, long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || strftime(dst, n, "%Y-%m-%d %H:%M", &tm) == 0)
        its_strlcpy(dst, "?", n);
}

/* ---- the index ----------------------------------------------------------------------------- */

/* A record that cannot be listed; a failure without a kind of its own means it was altered. */
static void entry_fail(worker_entry *e, its_code code, const char *msg)
{
    e->status = WORKER_ENTRY_UNREADABLE;
    e->error_code = code > ITS_E_OTHER ? code : ITS_E_DAMAGED;
    free(e->error);
    e->error = its_strdup(msg);
}

/* Copies what the list needs out of one parsed payload. */
static void entry_from_payload(const worker_session *ws, worker_entry *e, json_t *doc)
{
    json_t *qo = json_object_get(doc, "questionnaire");
    its_strlcpy(e->qid,
                json_string_value(json_object_get(qo, "id"))
                    ? json_string_value(json_object_get(qo, "id"))
                    : "",
                sizeof e->qid);
    const char *ver = json_string_value(json_object_get(qo, "version"));
    its_strlcpy(e->qversion, ver ? ver : "", sizeof e->qversion);
    const char *client = json_string_value(json_object_get(doc, "client"));
    its_strlcpy(e->client, client ? client : "", sizeof e->client);
    const char *site = json_string_value(json_object_get(doc, "site")); /* summaries only */
    its_strlcpy(e->site, site ? site : "", sizeof e->site);
    long long done = worker_parse_iso(json_string_value(json_object_get(doc, "completed")));
    e->completed_at = done >= 0 ? done : e->created_at;
    worker_entry_flags(e, doc);
    const char *by = json_string_value(json_object_get(json_object_get(doc, "assisted"), "worker_key"));
    its_strlcpy(e->assisted_by, by ? by : "", sizeof e->assisted_by);
    e->qn = worker_qn_by_id(ws, e->qid, e->qversion);
    json_t *scores = json_object_get(doc, "scores"), *head = NULL;
    int hs = e->qn >= 0 ? worker_headline_score(ws->qns[e->qn]) : -1;
    if (hs >= 0)
        head = json_object_get(scores, ws->qns[e->qn]->scores[hs].id);
    else if (json_object_size(scores)) /* unknown questionnaire: the first score it lists */
        head = json_object_iter_value(json_object_iter(scores));
    json_t *value = json_object_get(head, "value");
    e->has_headline = json_is_number(value);
    e->headline = e->has_headline ? json_number_value(value) : NAN;
    e->headline_max = worker_score_max(e->qn >= 0 ? ws->qns[e->qn] : NULL, hs, head);
    worker_entry_scores(ws, e, scores);
}

void worker_entry_flags(worker_entry *e, const json_t *doc)
{
    const char *level = json_string_value(json_object_get(doc, "level"));
    e->level = level && !strcmp(level, "red")      ? QN_LEVEL_RED
               : level && !strcmp(level, "yellow") ? QN_LEVEL_YELLOW
                                                   : QN_LEVEL_NONE;
    size_t i;
    json_t *f;
    e->flags[0] = '\0';
    json_array_foreach(json_object_get(doc, "flags"), i, f)
    {
        const char *rule = json_string_value(json_object_get(f, "rule"));
        if (rule)
            its_appendf(e->flags, sizeof e->flags, "%s%s", e->flags[0] ? " " : "", rule);
    }
}

void worker_entry_scores(const worker_session *ws, worker_entry *e, const json_t *scores)
{
    e->score_ok = 0;
    const qn *q = e->qn >= 0 ? ws->qns[e->qn] : NULL;
    for (int i = 0; q && i < q->n_scores && i < WORKER_MAX_SCORES; i++) {
        json_t *v = json_object_get(scores, q->scores[i].id);
        json_t *value = json_object_get(v, "value"), *percent = json_object_get(v, "percent");
        if (!json_is_number(value))
            continue;
        e->score_value[i] = json_number_value(value);
        e->score_percent[i] = json_is_number(percent) ? json_number_value(percent) : e->score_value[i];
        e->score_ok |= 1u << i;
    }
}

double worker_score_max(const qn *q, int score, const json_t *stored)
{
    const char *method = json_string_value(json_object_get(stored, "method"));
    json_t *divisor = json_object_get(stored, "divisor");
    if (method && !strcmp(method, "sum") && json_is_integer(divisor))
        return (double)json_integer_value(divisor);
    if (q && score >= 0 && q->scores[score].method == QN_METHOD_ITEM && q->scores[score].n_items > 0)
        return (double)q->scales[q->items[q->scores[score].items[0]].scale].max;
    return 100.0;
}

/* One record into its entry, from its sealed list summary (envelope format 3) or, for an older
 * record, its whole document (store_open_summaries gives whichever it has): the summary has the
 * document's names for what the list reads, so entry_from_payload takes either. A summary too
 * long to seal says "full": then the whole record is opened. */
static void index_payload(const worker_session *ws, worker_entry *e, unsigned char *payload, size_t len,
                          const its_err *why)
{
    if (!payload) {
        entry_fail(e, why->code, why->msg);
        return;
    }
    json_t *doc = json_loadb((const char *)payload, len, 0, NULL);
    store_payload_free(payload, len);
    if (json_is_true(json_object_get(doc, "full"))) {
        worker_doc_wipe(doc);
        its_err err = {0};
        if (store_open_record(ws->store, ws->key, e->id, &payload, &len, &err) != 0) {
            entry_fail(e, err.code, err.msg);
            return;
        }
        doc = json_loadb((const char *)payload, len, 0, NULL);
        store_payload_free(payload, len);
    }
    if (!json_is_object(doc)) {
        char msg[200];
        snprintf(msg, sizeof msg, "Record %s opened but does not hold a result.", e->id);
        entry_fail(e, ITS_E_DAMAGED, msg);
    } else {
        entry_from_payload(ws, e, doc);
    }
    worker_doc_wipe(doc);
}

/* Every thread reads through the session's one connection, inside build_index's read snapshot:
 * the list and the records opened are the same moment's (a retention running meanwhile does not
 * turn listed records into "could not be opened"). Decryption runs in parallel; each thread
 * opens its share (every step-th entry not in the cache) with one statement. */
static void index_each(void *ctx, int i, unsigned char *payload, size_t len, const its_err *why)
{
    index_payload(ctx, &((worker_session *)ctx)->entries[i], payload, len, why);
}

static void index_slice(worker_session *ws, int first, int step, void *ctx)
{
    const bool *done = ctx; /* entries filled from the cache */
    const char **ids = calloc((size_t)ws->n_entries + 1, sizeof *ids);
    its_err err;
    for (int i = first; ids && i < ws->n_entries; i += step)
        if (!done[i])
            ids[i] = ws->entries[i].id;
    if (!ids)
        its_fail_code(&err, ITS_E_NO_MEMORY, "Out of memory for the list.");
    if (!ids || store_open_summaries(ws->store, ws->key, ids, ws->n_entries, index_each, ws, &err) != 0)
        for (int i = first; i < ws->n_entries; i += step)
            if (!done[i])
                entry_fail(&ws->entries[i], err.code, err.msg);
    free(ids);
}

typedef struct par_job {
    worker_session *ws;
    worker_slice_fn slice;
    void *ctx;
    int first, step;
} par_job;

static void *par_thread(void *p)
{
    par_job *j = p;
    j->slice(j->ws, j->first, j->step, j->ctx);
    return NULL;
}

void worker_parallel(worker_session *ws, int todo, worker_slice_fn slice, void *ctx)
{
    int threads = ws->threads;
    if (threads < 1) { /* one per processor: decryption and parsing are CPU-bound */
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus < 2 ? 2 : cpus > 8 ? 8 : (int)cpus;
    }
    if (threads > 16)
        threads = 16;
    if (todo < 64)
        threads = 1;
    par_job jobs[16];
    pthread_t tids[16];
    int started = 1;
    for (int t = 0; t < threads; t++)
        jobs[t] = (par_job){ws, slice, ctx, t, threads};
    for (; started < threads; started++)
        if (pthread_create(&tids[started], NULL, par_thread, &jobs[started]) != 0)
            break;
    if (started < threads) /* a thread could not start: this one does the shares of those */
        for (int t = started; t < threads; t++)
            par_thread(&jobs[t]);
    par_thread(&jobs[0]);
    for (int t = 1; t < started; t++)
        pthread_join(tids[t], NULL);
}

static int index_snapshot(worker_session *ws, its_err *err);

/* The list and every record it names are read in one read snapshot. */
static int build_index(worker_session *ws, its_err *err)
{
    if (store_read_begin(ws->store, err) != 0)
        return -1;
    int rc = index_snapshot(ws, err);
    store_read_end(ws->store);
    return rc;
}

static int index_snapshot(worker_session *ws, its_err *err)
{
    store_record_info *info = NULL;
    int n = 0;
    if (store_list(ws->store, &info, &n, err) != 0)
        return -1;
    ws->entries = calloc(n ? (size_t)n : 1, sizeof *ws->entries);
    if (!ws->entries) {
        free(info);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the list of %d records.", n);
    }
    ws->n_entries = n;
    for (int i = 0; i < n; i++) {
        worker_entry *e = &ws->entries[i];
        memcpy(e->id, info[i].id, sizeof e->id);
        e->created_at = e->completed_at = info[i].created_at;
        its_strlcpy(e->device, info[i].device, sizeof e->device);
        e->qn = -1;
        e->prev = -1;
        e->level = QN_LEVEL_NONE;
    }
    bool *done = calloc((size_t)n + 1, sizeof *done);
    if (!done) {
        free(info);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the list of %d records.", n);
    }
    int cache_size;
    int cached = worker_cache_load(ws, info, done, &cache_size);
    json_object_seed(0); /* jansson's hash seed is set once here, not raced by the threads */
    worker_parallel(ws, n - cached, index_slice, done);
    int reflagged = worker_reflag_all(ws);
    /* Rewrite the cache when records were opened now (new, or changed since cached, or flagged
     * again against a new previous assessment), and when it still lists records that are gone:
     * a deleted record leaves no trace in the cache. */
    if (cached != n || cache_size != cached || reflagged)
        worker_cache_save(ws, info);
    free(done);
    free(info);
    return 0;
}

/* Adds an entry for every missing record and rollback the store finds (never hidden). */
static int add_missing(worker_session *ws, its_err *err)
{
    store_damage *d = NULL;
    int n = 0;
    if (store_check_complete(ws->store, ws->key, &d, &n, err) != 0)
        return -1;
    size_t total = (size_t)(ws->n_entries + n);
    worker_entry *bigger = n ? realloc(ws->entries, total * sizeof *bigger) : ws->entries;
    if (!bigger) {
        free(d);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the list.");
    }
    ws->entries = bigger;
    for (int i = 0; i < n; i++) {
        worker_entry *e = &ws->entries[ws->n_entries++];
        memset(e, 0, sizeof *e);
        its_strlcpy(e->id, d[i].id, sizeof e->id);
        its_strlcpy(e->device, d[i].device, sizeof e->device);
        e->status = WORKER_ENTRY_MISSING;
        e->error_code = ITS_E_DAMAGED;
        e->created_at = e->completed_at = d[i].at; /* 0: unknown, listed last */
        e->error = its_strdup(d[i].what);
        e->qn = -1;
        e->prev = -1;
    }
    free(d);
    return 0;
}

/* ---- open / lock ----------------------------------------------------------------------------- */

int worker_session_open(const worker_open_opts *o, worker_session **out, its_err *err)
{
    *out = NULL;
    if (!o || !o->dir)
        return its_fail(err, "No data folder was given.");
    if ((!o->passphrase) == (!o->recovery_key_file))
        return its_fail(err, "Give either the worker passphrase or the recovery key file.");
    worker_session *ws = calloc(1, sizeof *ws);
    if (!ws)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    ws->dir = its_strdup(o->dir);
    ws->threads = o->threads;
    its_strlcpy(ws->lang, o->lang ? o->lang : "fi", sizeof ws->lang);
    const char *data = o->data ? o->data : getenv("ITSEARVIO_DATA");
#ifdef ITS_DATA_DIR
    if (!data || !*data)
        data = ITS_DATA_DIR;
#endif
    ws->data = its_strdup(data && *data ? data : ".");
    char qdir[1024];
    const char *base = ws->data ? ws->data : ".";
    char ldir[1024];
    int fits = o->questionnaires ? its_path(qdir, sizeof qdir, err, "%s", o->questionnaires)
                                 : its_path(qdir, sizeof qdir, err, "%s/questionnaires", base);
    if (fits != 0 || !ws->dir || its_path(ldir, sizeof ldir, err, "%s/locale", base) != 0 ||
        words_load(ldir, &ws->words, err) != 0 || store_open(o->dir, &ws->store, err) != 0 ||
        load_questionnaires(ws, qdir, err) != 0) {
        worker_session_lock(ws);
        return -1;
    }
    export_clean_stale(ws->dir, NULL); /* a killed export's plaintext temporary (export.h) */
    double t0 = now_seconds();
    int rc = o->passphrase ? store_unlock(ws->store, o->passphrase, &ws->key, err)
                           : store_unlock_recovery(ws->store, o->recovery_key_file, &ws->key, err);
    double t1 = now_seconds();
    ws->unlock_seconds = t1 - t0;
    if (rc != 0 || build_index(ws, err) != 0 || add_missing(ws, err) != 0) {
        worker_session_lock(ws);
        return -1;
    }
    ws->index_seconds = now_seconds() - t1;
    *out = ws;
    return 0;
}

void worker_session_lock(worker_session *ws)
{
    if (!ws)
        return;
    for (int i = 0; i < ws->n_entries; i++)
        free(ws->entries[i].error);
    if (ws->entries)
        its_wipe(ws->entries, (size_t)ws->n_entries * sizeof *ws->entries);
    free(ws->entries);
    store_lock(ws->key);
    store_close(ws->store);
    for (int i = 0; i < ws->n_qns; i++)
        qn_free(ws->qns[i]);
    words_free(ws->words);
    free(ws->dir);
    free(ws->data);
    its_wipe(ws, sizeof *ws);
    free(ws);
}

int worker_audit_view(worker_session *ws, its_err *err, const char *fmt, ...)
{
    char detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return store_audit(ws->store, "view", detail, err);
}

store *worker_session_store(worker_session *ws)
{
    return ws->store;
}
const store_key *worker_session_key(const worker_session *ws)
{
    return ws->key;
}
const char *worker_session_data_dir(const worker_session *ws)
{
    return ws->data;
}

const char *worker_session_lang_code(const worker_session *ws)
{
    return ws->lang;
}

const words_catalogue *worker_session_words(const worker_session *ws)
{
    return ws->words;
}

const char *worker_word(const worker_session *ws, const char *key)
{
    return words_get(ws->words, ws->lang, key);
}
double worker_session_unlock_seconds(const worker_session *ws)
{
    return ws->unlock_seconds;
}
double worker_session_index_seconds(const worker_session *ws)
{
    return ws->index_seconds;
}
int worker_count(const worker_session *ws)
{
    return ws->n_entries;
}

int worker_session_lang(const worker_session *ws, const qn *q)
{
    int i = q ? qn_lang_index(q, ws->lang) : -1;
    return i < 0 ? 0 : i;
}

const qn *worker_session_qn(const worker_session *ws, const worker_entry *e)
{
    return e && e->qn >= 0 && e->qn < ws->n_qns ? ws->qns[e->qn] : NULL;
}

const worker_entry *worker_entry_at(const worker_session *ws, int i)
{
    return i >= 0 && i < ws->n_entries ? &ws->entries[i] : NULL;
}

int worker_find(const worker_session *ws, const char *record_id)
{
    for (int i = 0; record_id && i < ws->n_entries; i++)
        if (!strcmp(ws->entries[i].id, record_id))
            return i;
    return -1;
}
