/* its_worker_bench — figures for the worker side, printed, never pass/fail:
 *   - unlock (Argon2id, INTERACTIVE) on its own, then the time from unlocked to the list shown:
 *     decrypting every record into the index (1 and 2 threads) and sorting / counting the list;
 *   - export of 10,000 records as CSV and as FHIR (generation, to /dev/null, and to a file);
 *   - beside them the floor, measured in the same run: opening one crypto_box_seal (the sealed
 *     record key) per record, one thread, and each figure as a multiple of it;
 *   for stores of 10,000 and 100,000 records (real result documents, about 2-3 KB each).
 * usage: its_worker_bench [--records N]... [--dir DIR]
 * DIR (default /dev/shm when it exists, else $TMPDIR): where the stores are made and removed. */
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "worker_test.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Fills a store with `records` sealed results: 400 real documents from the engine (two
 * questionnaires, varied answers, 60 clients) sealed over and over with their own times. */
static void fill(store *s, const qn *q36, const qn *q12, int records)
{
    enum { DOCS = 400 };
    char *docs[DOCS];
    unsigned r = 12345;
    for (int d = 0; d < DOCS; d++) {
        const qn *q = d % 4 == 3 ? q12 : q36;
        char answers[400] = "", client[16];
        int n = q == q36 ? 36 : 12, level = d % 5;
        for (int i = 0; i < n; i++) {
            r = r * 1103515245u + 12345u;
            int v = level + (int)((r >> 16) % 3) - 1;
            its_appendf(answers, sizeof answers, "%s%d", i ? " " : "", v < 0 ? 0 : v > 4 ? 4 : v);
        }
        snprintf(client, sizeof client, "C%05d", d % 60);
        qn_session ss;
        its_err err;
        if (session_init(&ss, q, &err) != 0 || session_from_notation(&ss, answers, 1, &err) != 0)
            exit(2);
        result_meta meta = {client, "2025-01-01T10:00:00Z", "2025-01-01T10:10:00Z", "bench", NULL, NULL};
        json_t *res = result_build(&ss, &meta, NULL, 0, 0, &err);
        session_wipe(&ss);
        docs[d] = json_dumps(res, JSON_COMPACT);
        json_decref(res);
    }
    sqlite3_exec(s->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL); /* filling, not measuring */
    its_err err;
    for (int i = 0; i < records; i++) {
        const char *p = docs[i % DOCS];
        if (store_save_result_at(s, 1700000000LL + i * 600LL, (const unsigned char *)p, strlen(p),
                                 NULL, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
    }
    for (int d = 0; d < DOCS; d++)
        free(docs[d]);
}

/* The floor: one crypto_box_seal_open per record (the record key sealed to the worker key), the
 * least any first unlock must do; 256 distinct boxes opened in turn. */
static double floor_seconds(int records)
{
    enum { BOXES = 256 };
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES], key[32];
    static unsigned char boxes[BOXES][32 + crypto_box_SEALBYTES];
    crypto_box_keypair(pk, sk);
    for (int i = 0; i < BOXES; i++) {
        randombytes_buf(key, sizeof key);
        if (crypto_box_seal(boxes[i], key, sizeof key, pk) != 0)
            exit(2);
    }
    double t0 = now_s();
    int bad = 0;
    for (int i = 0; i < records; i++)
        bad += crypto_box_seal_open(key, boxes[i % BOXES], sizeof boxes[0], pk, sk) != 0;
    double t = now_s() - t0;
    if (bad)
        exit(2);
    return t;
}

static worker_session *open_timed(const char *dir, int threads, double *kdf, double *index)
{
    const char *src = getenv("ITS_SOURCE_DIR");
    char qdir[700];
    snprintf(qdir, sizeof qdir, "%s/questionnaires", src ? src : ".");
    worker_open_opts o = {.dir = dir,
                          .passphrase = STORE_DEMO_PASSPHRASE,
                          .data = src ? src : ".",
                          .questionnaires = qdir,
                          .threads = threads};
    worker_session *ws = NULL;
    its_err err;
    if (worker_session_open(&o, &ws, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    *kdf = worker_session_unlock_seconds(ws);
    *index = worker_session_index_seconds(ws);
    return ws;
}

static void export_figures(worker_session *ws, const char *base)
{
    int *rows = NULL;
    worker_counts c;
    its_err err;
    worker_filter all = worker_filter_all();
    if (worker_list(ws, &all, &rows, &c, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    int n = c.shown < 10000 ? c.shown : 10000, skipped;
    int (*writers[2])(worker_session *, const int *, int, FILE *, int *, its_err *) = {export_csv,
                                                                                       export_fhir};
    const export_format fmts[2] = {EXPORT_CSV, EXPORT_FHIR};
    for (int k = 0; k < 2; k++) {
        FILE *null = fopen("/dev/null", "w");
        double t0 = now_s();
        writers[k](ws, rows, n, null, &skipped, &err);
        double t1 = now_s();
        fclose(null);
        char path[700];
        snprintf(path, sizeof path, "%s/export.%s", base, k ? "json" : "csv");
        double t2 = now_s();
        int rc = export_run(ws, fmts[k], rows, n, path, &skipped, &err);
        double t3 = now_s();
        struct stat st;
        stat(path, &st);
        printf("  export %d records as %-4s: %.2f s generating (to /dev/null), %.2f s to a file "
               "(%.1f MB, fsync + rename)%s\n",
               n, k ? "FHIR" : "CSV", t1 - t0, t3 - t2, st.st_size / 1e6, rc ? " FAILED" : "");
        unlink(path);
    }
    free(rows);
}

static void run(const char *where, int records, bool exports)
{
    char base[600], dir[700];
    snprintf(base, sizeof base, "%s/its-wbench-XXXXXX", where);
    if (!mkdtemp(base))
        exit(2);
    its_err err = {0};
    store *s = test_make_bench_store(base, "data", dir);
    qn *q36 = wt_questionnaire("whodas36-style"), *q12 = wt_questionnaire("whodas12-style");
    double t0 = now_s();
    fill(s, q36, q12, records);
    store_close(s);
    printf("%d records (filled in %.1f s, not a figure)\n", records, now_s() - t0);
    /* Runs 1 and 2: a first unlock on this station (no cache), 1 and 2 threads.
     * Run 3: a later unlock, with the sealed list-index cache the earlier ones wrote. */
    static const struct { int threads; bool cached; const char *label; } runs[] = {
        {1, false, "first unlock, 1 thread "},
        {2, false, "first unlock, 2 threads"},
        {2, true, "later unlock (cache)   "},
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        if (!runs[r].cached && (store_open(dir, &s, &err) != 0 || store_cache_remove_all(s, &err) != 0)) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        if (!runs[r].cached)
            store_close(s);
        double kdf, index, floor = floor_seconds(records); /* just before, under the same load */
        worker_session *ws = open_timed(dir, runs[r].threads, &kdf, &index);
        int *rows = NULL;
        worker_counts c;
        worker_filter f = worker_filter_all();
        f.flagged_first = true;
        double l0 = now_s();
        if (worker_list(ws, &f, &rows, &c, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        double list = now_s() - l0;
        printf("  %s: unlock (Argon2id) %.2f s; then decrypt + index %.2f s, list "
               "(flagged first, counts) %.3f s => list shown %.2f s after the unlock; floor %.2f s "
               "(%.0f us a record): %.1fx (%d red, %d yellow, %d none, %d unreadable)\n",
               runs[r].label, kdf, index, list, index + list, floor, floor / records * 1e6,
               (index + list) / floor, c.red, c.yellow, c.none, c.unreadable);
        free(rows);
        if (exports && r == 2)
            export_figures(ws, base);
        worker_session_lock(ws);
    }
    qn_free(q36);
    qn_free(q12);
    test_rm_rf(base);
}

int main(int argc, char **argv)
{
    int sizes[8], n = 0;
    struct stat st;
    const char *where = stat("/dev/shm", &st) == 0 ? "/dev/shm" : getenv("TMPDIR");
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--records") && n < 8)
            sizes[n++] = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--dir"))
            where = argv[i + 1];
    }
    if (!n) {
        sizes[n++] = 10000;
        sizes[n++] = 100000;
    }
    if (sodium_init() < 0)
        return 2;
    for (int i = 0; i < n; i++)
        run(where ? where : "/tmp", sizes[i], sizes[i] <= 10000);
    return 0;
}
