/* bench_report.c — the programme report over N sealed programme summaries (default 100,000),
 * beside a floor measured in the same run: verifying and opening the same N envelopes and
 * nothing else (the crypto every report must do), in the same number of threads.
 *
 *   ./build/its_report_bench [N] [FOLDER]
 *
 * Setup (not timed): a demo folder with a programme key; N synthetic result documents (random
 * questionnaire, level, flags, score; clients seen one to six times over 24 months) sealed as
 * summaries through the store's own sealing (store_programme_seal_in_tx, one transaction).
 * Timed: the programme key's Argon2id unlock; the floor; then what `itsearvio report --format
 * csv` does after the unlock: read and open every summary (store_programme_read), build the
 * tables with their suppression (progreport_build) and write the CSV (to /dev/null). Prints
 * figures only; never fails on time. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progreport.h"
#include "store_int.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct fill {
    long n;
    unsigned long long rng;
} fill;

static unsigned rnd(fill *f, unsigned n)
{
    f->rng = f->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((f->rng >> 33) % n);
}

static int fill_body(store *s, void *p, const char *what, its_err *err)
{
    fill *f = p;
    static const char *const qids[] = {"whodas12-style", "whodas36-style", "oma-tilanne"};
    static const char *const levels[] = {"none", "yellow", "red"};
    long long t0 = 1735689600; /* 2025-01-01 */
    for (long i = 0; i < f->n; i++) {
        char doc[1024], rid[64];
        unsigned level = rnd(f, 3), q = rnd(f, 3);
        snprintf(
            doc, sizeof doc,
            "{\"format\":1,\"questionnaire\":{\"id\":\"%s\",\"version\":\"1.0.0\"},\"client\":\"C%"
            "06u\","
            "\"level\":\"%s\",\"flags\":[%s],\"scores\":{\"total\":{\"status\":\"ok\",\"method\":"
            "\"recode\",\"value\":%u.5},\"d1\":{\"status\":\"ok\",\"method\":\"sum\",\"value\":3,"
            "\"percent\":%u}}}",
            qids[q], (unsigned)(i / 3 + rnd(f, 1000)) % 40000, levels[level],
            level == 2   ? "{\"rule\":\"R1\"},{\"rule\":\"R3\"}"
            : level == 1 ? "{\"rule\":\"Y1\"}"
                         : "",
            rnd(f, 100), rnd(f, 100));
        snprintf(rid, sizeof rid, "00000000-0000-4000-8000-%012ld", i);
        long long at = t0 + (long long)rnd(f, 730) * 86400;
        if (store_programme_seal_in_tx(s, rid, (unsigned char *)doc, strlen(doc), at, what, err) !=
            0)
            return -1;
    }
    return 0;
}

typedef struct env_row {
    unsigned char *env;
    size_t len;
} env_row;

typedef struct floor_job {
    env_row *rows;
    long n;
    int first, step;
    const unsigned char *sign_pk;
    const store_key *key;
    long opened;
} floor_job;

static void *floor_thread(void *p)
{
    floor_job *j = p;
    for (long i = j->first; i < j->n; i += j->step) {
        unsigned char *payload = NULL;
        size_t len = 0;
        if (store_env_verify(j->rows[i].env, j->rows[i].len, j->sign_pk, NULL, NULL) == 0 &&
            store_env_open(j->rows[i].env, j->rows[i].len, j->key->pk, j->key->sk, &payload, &len,
                           NULL) == 0)
            j->opened++;
        store_payload_free(payload, len);
    }
    return NULL;
}

/* Verifies and opens every envelope (already in memory) in `threads` threads. */
static double measure_floor(store *s, const store_key *key, int threads, long *opened)
{
    sqlite3_stmt *st;
    long n = 0, cap = 1024;
    env_row *rows = malloc((size_t)cap * sizeof *rows);
    sqlite3_prepare_v2(s->db, "SELECT envelope FROM programme", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap)
            rows = realloc(rows, (size_t)(cap *= 2) * sizeof *rows);
        rows[n].len = (size_t)sqlite3_column_bytes(st, 0);
        rows[n].env = malloc(rows[n].len);
        memcpy(rows[n].env, sqlite3_column_blob(st, 0), rows[n].len);
        n++;
    }
    sqlite3_finalize(st);
    floor_job jobs[8];
    pthread_t tids[8];
    double t = now_s();
    for (int i = 0; i < threads; i++) {
        jobs[i] = (floor_job){rows, n, i, threads, store_device_sign_public_key(s), key, 0};
        if (i > 0)
            pthread_create(&tids[i], NULL, floor_thread, &jobs[i]);
    }
    floor_thread(&jobs[0]);
    *opened = jobs[0].opened;
    for (int i = 1; i < threads; i++) {
        pthread_join(tids[i], NULL);
        *opened += jobs[i].opened;
    }
    t = now_s() - t;
    for (long i = 0; i < n; i++)
        free(rows[i].env);
    free(rows);
    return t;
}

/* What `itsearvio report --format csv` does after the unlock, timed in its three parts. */
/* The legend's words do not matter to the timing: the key itself. */
static const char *bench_word(const char *key)
{
    return key;
}

static int report_once(store *s, const store_key *key, double floor_s, const char *label)
{
    store_programme_item *items = NULL;
    int ni = 0;
    progreport *r = NULL;
    progreport_opts po = {NULL, 0, PROGREPORT_MIN_CELL};
    its_err err = {0};
    FILE *null = fopen("/dev/null", "w");
    double t0 = now_s();
    int rc = !null || store_programme_read(s, key, &items, &ni, &err);
    double t1 = now_s();
    rc = rc || progreport_build(items, ni, &po, &r, &err);
    double t2 = now_s();
    rc = rc || progreport_csv(r, null, bench_word, &err);
    double t3 = now_s();
    if (rc == 0)
        printf("%s: read + open %.2f s, tables + suppression %.2f s, CSV %.3f s: total %.2f s "
               "(%.2f x the floor; "
               "%d summaries, %d left out)\n",
               label, t1 - t0, t2 - t1, t3 - t2, t3 - t0, (t3 - t0) / floor_s,
               progreport_summaries(r), progreport_unreadable(r));
    else
        fprintf(stderr, "%s\n", err.msg);
    if (null)
        fclose(null);
    progreport_free(r);
    store_programme_items_free(items, ni);
    return rc;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    char base[512], dir[700], key_file[800];
    snprintf(base, sizeof base, "%s", argc > 2 ? argv[2] : "/tmp/its-report-bench-XXXXXX");
    if (argc <= 2 && !mkdtemp(base))
        return 1;
    snprintf(dir, sizeof dir, "%s/data", base);
    snprintf(key_file, sizeof key_file, "%s/%s", dir, STORE_PROGRAMME_KEY_FILE);
    its_err err = {0};
    char rec[800];
    snprintf(rec, sizeof rec, "%s/recovery.json", base);
    store_init_opts o = {
        .mode = STORE_KIOSK, .demo = true, .recovery_out = rec, .kdf = STORE_KDF_INTERACTIVE};
    store *s = NULL;
    fill f = {n, 42};
    double t = now_s();
    if (store_init(dir, &o, &err) != 0 || store_open(dir, &s, &err) != 0 ||
        store_tx(s, fill_body, &f, "The summaries were not stored", &err) != 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    printf("setup: %ld summaries sealed in %.1f s (not part of the figures)\n", n, now_s() - t);

    store_key *key = NULL;
    t = now_s();
    if (store_programme_unlock(key_file, STORE_DEMO_PASSPHRASE, &key, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double unlock = now_s() - t;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cpus < 2 ? 2 : cpus > 8 ? 8 : (int)cpus;
    long opened = 0;
    double floor_s = measure_floor(s, key, threads, &opened);

    printf("programme key unlock (Argon2id, interactive limits): %.2f s\n", unlock);
    printf("floor: verify + open %ld sealed summaries, %d threads: %.2f s (%ld opened)\n", n,
           threads, floor_s, opened);
    for (int run = 0; run < 2; run++)
        if (report_once(s, key, floor_s,
                        run ? "report, warm (the sealed cache of the first run)"
                            : "report, cold (opens every summary, writes the cache)") != 0)
            return 1;
    store_lock(key);
    store_close(s);
    if (argc <= 2) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
        if (system(cmd) != 0)
            return 1;
    }
    return 0;
}
