/* bench_worker — worker-side figures on real result documents, printed, never pass/fail:
 *   - save latency per completed assessment: result_build + JSON text + seal + commit with
 *     synchronous=FULL (the kiosk's work after "send"), median and p99, in a new folder under
 *     $TMPDIR (S saves; --samples 0 skips it);
 *   - unlock-to-list of a folder of N records: worker_session_open (Argon2id, reported on its own,
 *     then decrypting every record into the index) and worker_list, repeated;
 *   - export of every record to CSV and to FHIR (safe write: temp file, fsync, rename).
 * The folder (DIR/worker-N) is filled once with random 12- and 36-item assessments of N/4 clients
 * (fixed seed) without fsync, and kept for later runs.
 * usage: bench_worker --dir DIR [--records N] [--samples S] [--repeat R] [--export]
 * Output: key=value lines (tests/bench/run.sh reads them). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_util.h"
#include "clientcode.h"
#include "export.h"
#include "result.h"
#include "store_int.h"
#include "worker.h"

enum { MAX_REPEAT = 20 };

typedef struct opts {
    const char *dir;
    int records, samples, repeat;
    bool export_all;
} opts;

static qn *load_bundled(const char *name)
{
    char path[1024];
    const char *data = getenv("ITSEARVIO_DATA");
    snprintf(path, sizeof path, "%s/questionnaires/%s", data ? data : ".", name);
    qn *q = qn_load(path, NULL);
    if (!q)
        fprintf(stderr, "bench_worker: %s cannot be loaded (set ITSEARVIO_DATA)\n", path);
    return q;
}

/* One random completed assessment as the kiosk seals it; the JSON text, malloc'd. */
static char *make_payload(qn *const qns[2], int i, int records, its_err *err)
{
    const qn *q = qns[i % 3 == 2]; /* two 12-item assessments for every 36-item one */
    qn_session s;
    if (bench_random_session(&s, q, err) != 0)
        return NULL;
    char client[CLIENTCODE_LEN + 1], started[32], completed[32];
    clientcode_make((uint32_t)(i % (records / 4 + 1)) * 2654435761u, client);
    time_t t = (time_t)1700000000 + (time_t)i * 600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", &tm);
    t += 420;
    gmtime_r(&t, &tm);
    strftime(completed, sizeof completed, "%Y-%m-%dT%H:%M:%SZ", &tm);
    result_meta meta = {client, started, completed, "bench"};
    json_t *doc = result_build(&s, &meta, NULL, 0, 0, err);
    session_wipe(&s);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text;
}

/* Saves one assessment; its time in ms in *ms (building, serialising, sealing, committing). */
static int save_one(store *s, qn *const qns[2], int i, int records, double *ms, its_err *err)
{
    double t0 = bench_now();
    char *text = make_payload(qns, i, records, err);
    if (!text)
        return -1;
    int rc = store_save_result_at(s, 1700000000LL + (long long)i * 600 + 420, (unsigned char *)text,
                                  strlen(text), NULL, err);
    *ms = (bench_now() - t0) * 1e3;
    free(text);
    return rc;
}

/* A new kiosk folder (demo: it also holds the worker key) at `folder`. */
static store *new_folder(const char *folder, its_err *err)
{
    char rec[1200];
    snprintf(rec, sizeof rec, "%s.recovery.json", folder);
    store_init_opts io = {.mode = STORE_KIOSK, .demo = true, .recovery_out = rec,
                          .kdf = STORE_KDF_INTERACTIVE, .force = true};
    store *s = NULL;
    if (store_init(folder, &io, err) != 0 || store_open(folder, &s, err) != 0)
        return NULL;
    return s;
}

/* Times o->samples saves with fsync on, in a new folder under $TMPDIR. */
static int time_saves(const opts *o, qn *const qns[2], its_err *err)
{
    const char *tmp = getenv("TMPDIR");
    char folder[1024];
    snprintf(folder, sizeof folder, "%s/its-save-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(folder))
        return its_fail(err, "%s cannot be made", folder);
    its_strlcpy(folder + strlen(folder), "/data", sizeof folder - strlen(folder));
    store *s = new_folder(folder, err);
    double *lat = malloc((size_t)o->samples * sizeof *lat);
    int rc = s && lat ? 0 : -1;
    for (int i = 0; rc == 0 && i < o->samples; i++)
        rc = save_one(s, qns, i, o->records, &lat[i], err);
    if (rc == 0)
        printf("save_samples=%d save_median_ms=%.3f save_p99_ms=%.3f save_max_ms=%.3f dir=%s\n", o->samples,
               bench_quantile(lat, o->samples, 0.5), bench_quantile(lat, o->samples, 0.99),
               bench_quantile(lat, o->samples, 1.0), folder);
    free(lat);
    store_close(s);
    return rc;
}

/* Fills a new folder with o->records assessments, without fsync (a fill, not a durability
 * figure), and leaves a .bench-complete marker so later runs reuse it. */
static int fill(const opts *o, const char *folder, qn *const qns[2], its_err *err)
{
    char marker[1200];
    store *s = new_folder(folder, err);
    if (!s)
        return -1;
    sqlite3_exec(s->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
    double t0 = bench_now(), ms;
    int rc = 0;
    for (int i = 0; rc == 0 && i < o->records; i++)
        rc = save_one(s, qns, i, o->records, &ms, err);
    store_close(s);
    if (rc != 0)
        return -1;
    printf("filled=%d fill_s=%.1f\n", o->records, bench_now() - t0);
    snprintf(marker, sizeof marker, "%s/.bench-complete", folder);
    FILE *f = fopen(marker, "w");
    return f && fclose(f) == 0 ? 0 : its_fail(err, "%s cannot be written", marker);
}

/* Opens, unlocks and lists; prints the figures of one repeat. Keeps the session for export. */
static int unlock_to_list(const opts *o, const char *folder, worker_session **out, int **rows,
                          int *n, double *total_ms, its_err *err)
{
    worker_open_opts wo = {.dir = folder, .passphrase = STORE_DEMO_PASSPHRASE};
    double t0 = bench_now();
    if (worker_session_open(&wo, out, err) != 0)
        return -1;
    double t1 = bench_now();
    worker_filter f = worker_filter_all();
    f.flagged_first = true;
    worker_counts c;
    if (worker_list(*out, &f, rows, &c, err) != 0)
        return -1;
    double t2 = bench_now();
    *n = c.shown;
    *total_ms = (t2 - t0) * 1e3;
    printf("records=%d unlock_to_list_ms=%.1f argon2id_ms=%.1f index_ms=%.1f list_ms=%.2f open_ms=%.1f "
           "red=%d yellow=%d unreadable=%d\n", c.total, *total_ms,
           worker_session_unlock_seconds(*out) * 1e3, worker_session_index_seconds(*out) * 1e3,
           (t2 - t1) * 1e3, (t1 - t0) * 1e3, c.red, c.yellow, c.unreadable);
    return 0;
}

static int export_one(worker_session *ws, export_format fmt, const int *rows, int n,
                      const char *folder, its_err *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s.export.%s", folder, export_format_name(fmt));
    int skipped = 0;
    double t0 = bench_now();
    if (export_run(ws, fmt, rows, n, path, &skipped, err) != 0)
        return -1;
    double ms = (bench_now() - t0) * 1e3;
    struct stat st;
    long long bytes = stat(path, &st) == 0 ? (long long)st.st_size : -1;
    printf("export=%s records=%d export_ms=%.1f bytes=%lld skipped=%d\n", export_format_name(fmt), n, ms,
           bytes, skipped);
    remove(path);
    return 0;
}

static int parse(int argc, char **argv, opts *o)
{
    *o = (opts){NULL, 10000, 300, 3, false};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--export")) {
            o->export_all = true;
            continue;
        }
        if (i + 1 >= argc)
            return -1;
        const char *key = argv[i], *v = argv[++i];
        if (!strcmp(key, "--dir"))
            o->dir = v;
        else if (!strcmp(key, "--records"))
            o->records = (int)strtol(v, NULL, 10);
        else if (!strcmp(key, "--samples"))
            o->samples = (int)strtol(v, NULL, 10);
        else if (!strcmp(key, "--repeat"))
            o->repeat = (int)strtol(v, NULL, 10);
        else
            return -1;
    }
    return o->dir && o->records >= 1 && o->samples >= 0 && o->repeat >= 1 &&
                   o->repeat <= MAX_REPEAT
               ? 0
               : -1;
}

int main(int argc, char **argv)
{
    opts o;
    if (parse(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: bench_worker --dir DIR [--records N] [--samples S] [--repeat 1-%d] "
                        "[--export]\n", MAX_REPEAT);
        return 2;
    }
    qn *qns[2] = {load_bundled("whodas12-style.json"), load_bundled("whodas36-style.json")};
    its_err err = {""};
    char folder[1024], marker[1100];
    snprintf(folder, sizeof folder, "%s/worker-%d", o.dir, o.records);
    snprintf(marker, sizeof marker, "%s/.bench-complete", folder);
    struct stat st;
    int rc = qns[0] && qns[1] && sodium_init() >= 0 ? 0 : -1;
    if (rc == 0 && o.samples > 0)
        rc = time_saves(&o, qns, &err);
    if (rc == 0 && stat(marker, &st) != 0)
        rc = fill(&o, folder, qns, &err);
    double totals[MAX_REPEAT];
    for (int r = 0; rc == 0 && r < o.repeat; r++) {
        worker_session *ws = NULL;
        int *rows = NULL, n = 0;
        rc = unlock_to_list(&o, folder, &ws, &rows, &n, &totals[r], &err);
        if (rc == 0 && o.export_all && r == o.repeat - 1)
            rc = export_one(ws, EXPORT_CSV, rows, n, folder, &err) != 0 ||
                 export_one(ws, EXPORT_FHIR, rows, n, folder, &err) != 0 ? -1 : 0;
        free(rows);
        worker_session_lock(ws);
    }
    if (rc == 0)
        printf("summary records=%d unlock_to_list_median_ms=%.1f min_ms=%.1f max_ms=%.1f repeat=%d\n",
               o.records, bench_quantile(totals, o.repeat, 0.5), bench_quantile(totals, o.repeat, 0.0),
               bench_quantile(totals, o.repeat, 1.0), o.repeat);
    else
        fprintf(stderr, "bench_worker: %s\n", err.msg[0] ? err.msg : "failed");
    qn_free(qns[0]);
    qn_free(qns[1]);
    return rc == 0 ? 0 : 1;
}
