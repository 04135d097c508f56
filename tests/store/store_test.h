/* store_test.h — what the store tests share: a temporary data folder made through store_init
 * (fast KDF), a result-shaped synthetic payload, byte search in files, and clean-up. */
#ifndef ITS_STORE_TEST_H
#define ITS_STORE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store_int.h"

#define TEST_PASS "correct horse battery"

/* A new empty folder under $TMPDIR (or /tmp); path in buf. */
static inline const char *test_tmpdir(char buf[512])
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, 512, "%s/its-store-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        exit(2);
    }
    return buf;
}

static inline void test_rm_rf(const char *path)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
}

/* Creates DIR/name as a worker-mode folder (keys here, fast KDF) and opens it. */
static inline store *test_make_store(const char *base, const char *name, char dir[600])
{
    snprintf(dir, 600, "%s/%s", base, name);
    its_err err = {""};
    char rec[700];
    snprintf(rec, sizeof rec, "%s/%s-recovery.json", base, name);
    store_init_opts o = {.mode = STORE_WORKER, .device_id = "test-station", .passphrase = TEST_PASS,
                         .recovery_out = rec, .kdf = STORE_KDF_MIN};
    store *s = NULL;
    if (store_init(dir, &o, &err) != 0 || store_open(dir, &s, &err) != 0) {
        fprintf(stderr, "setting up %s: %s\n", dir, err.msg);
        exit(2);
    }
    return s;
}

/* Creates BASE/NAME as the benchmarks' folder (kiosk mode, demo keys, the real Argon2id
 * setting) and opens it; exits with a message on failure. */
static inline store *test_make_bench_store(const char *base, const char *name, char dir[700])
{
    char rec[800];
    snprintf(dir, 700, "%s/%s", base, name);
    snprintf(rec, sizeof rec, "%s/recovery.json", base);
    its_err err = {""};
    store_init_opts o = {
        .mode = STORE_KIOSK, .demo = true, .recovery_out = rec, .kdf = STORE_KDF_INTERACTIVE};
    store *s = NULL;
    if (store_init(dir, &o, &err) != 0 || store_open(dir, &s, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    return s;
}

/* A result-shaped payload (synthetic client) with a marker that must never appear in the clear. */
static inline size_t test_payload(char *buf, size_t n, int i)
{
    return (size_t)snprintf(
        buf, n,
        "{\"format\": 1, \"questionnaire\": {\"id\": \"whodas-12\", \"version\": \"1\"}, \"lang\": "
        "\"fi\", "
        "\"client\": \"SYN%04d\", \"started\": \"2024-01-01T10:00:00Z\", \"completed\": "
        "\"2024-01-01T10:09:00Z\", "
        "\"answers\": {\"S1\": %d, \"S2\": 3, \"NOTE\": \"SECRET-ANSWER-MARKER\"}, "
        "\"scores\": {\"overall\": {\"status\": \"ok\", \"value\": %d.5}}, \"flags\": [], "
        "\"level\": \"none\"}",
        i, i % 5, i % 100);
}

/* Does the file hold the bytes? (-1 if it cannot be read) */
static inline int test_file_has(const char *path, const void *needle, size_t n)
{
    size_t len;
    char *b = its_read_file(path, &len, NULL);
    if (!b)
        return -1;
    int found = 0;
    for (size_t i = 0; !found && n <= len && i <= len - n; i++)
        found = memcmp(b + i, needle, n) == 0;
    free(b);
    return found;
}

/* Runs one SQL statement on the database file directly (as an attacker or another tool would). */
static inline int test_sql(const char *dir, const char *sql)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_DB_FILE);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "(test_sql: %s)\n", msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

#endif
