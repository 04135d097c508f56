/* its_store_bench — figures for the store, printed, never pass/fail:
 *   - save latency per record (seal + INSERT + COMMIT with synchronous=FULL): median and p99;
 *   - time to unlock (Argon2id, INTERACTIVE, reported on its own) and to list and decrypt
 *     every record of a store holding N records (default 10,000).
 * usage: its_store_bench [--records N] [--samples M] [--dir DIR]
 * DIR (default: a new folder under $TMPDIR) should be on the disk being measured. */
#include <time.h>

#include "store_test.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A payload about the size of a 36-item result document (~1.7 KB). */
static size_t bench_payload(char *buf, size_t n, int i)
{
    size_t len = test_payload(buf, n, i);
    for (int k = 0; k < 36 && len + 40 < n; k++)
        len +=
            (size_t)snprintf(buf + len, n - len, "{\"D%d.%d\": %d, \"pad\": \"................\"}",
                             k / 6, k % 6, (i + k) % 5);
    return len;
}

int main(int argc, char **argv)
{
    int records = 10000, samples = 500;
    const char *where = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--records"))
            records = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--samples"))
            samples = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--dir"))
            where = argv[i + 1];
    }
    if (records < 1 || samples < 1 || samples > records || sodium_init() < 0) {
        fprintf(stderr, "usage: its_store_bench [--records N] [--samples M<=N] [--dir DIR]\n");
        return 2;
    }
    char base[512], dir[700];
    if (where) {
        snprintf(base, sizeof base, "%s/its-bench-XXXXXX", where);
        if (!mkdtemp(base))
            return 2;
    } else
        test_tmpdir(base);
    its_err err = {0};
    store *s = test_make_bench_store(base, "bench", dir);
    char payload[4096];
    double *lat = malloc((size_t)samples * sizeof *lat);
    size_t plen = 0;
    for (int i = 0; i < samples; i++) {
        plen = bench_payload(payload, sizeof payload, i);
        double t0 = now_ms();
        if (store_save_result(s, (unsigned char *)payload, plen, NULL, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        lat[i] = now_ms() - t0;
    }
    qsort(lat, (size_t)samples, sizeof *lat, cmp_double);
    printf("save (seal + commit, synchronous=FULL, %zu-byte payload): median %.3f ms, p99 %.3f ms, "
           "max %.3f ms over %d saves\n",
           plen, lat[samples / 2], lat[(int)(samples * 0.99)], lat[samples - 1], samples);

    /* The rest only fills the store for the read figures: same sealing, without fsync. */
    double t0 = now_ms();
    sqlite3_exec(s->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
    for (int i = samples; i < records; i++) {
        size_t n = bench_payload(payload, sizeof payload, i);
        if (store_save_result(s, (unsigned char *)payload, n, NULL, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    }
    double fill = now_ms() - t0;
    printf("filled to %d records (sealing without fsync, not a durability figure): %.0f ms\n", records, fill);
    store_close(s);

    /* A worker session: open, unlock, list, decrypt everything. */
    double t1 = now_ms();
    store_key *k = NULL;
    if (store_open(dir, &s, &err) != 0)
        return 1;
    double t2 = now_ms();
    if (store_unlock(s, STORE_DEMO_PASSPHRASE, &k, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double t3 = now_ms();
    store_record_info *list = NULL;
    int n = 0, bad = 0;
    size_t bytes = 0;
    if (store_list(s, &list, &n, &err) != 0)
        return 1;
    for (int i = 0; i < n; i++) {
        unsigned char *p = NULL;
        size_t len = 0;
        bad += store_open_record(s, k, list[i].id, &p, &len, &err) != 0;
        bytes += len;
        store_payload_free(p, len);
    }
    double t4 = now_ms();
    printf("unlock: Argon2id (opslimit %llu, memlimit %zu MiB) %.0f ms\n",
           (unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE,
           (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE >> 20, t3 - t2);
    printf("list + decrypt %d records (%.1f MB of payload): %.0f ms (%.1f us per record), %d failed\n", n,
           (double)bytes / 1e6, t4 - t3, (t4 - t3) * 1e3 / (n > 0 ? n : 1), bad);
    printf("open + unlock + decrypt all: %.0f ms\n", t4 - t1);
    free(list);
    free(lat);
    store_lock(k);
    store_close(s);
    test_rm_rf(base);
    return bad ? 1 : 0;
}
