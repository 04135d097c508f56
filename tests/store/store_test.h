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
    its_err err = {0};
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
    its_err err = {0};
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

/* What a person holding only the public keys of config.json can write: a format 1 envelope
 * (docs/storage.md), built here by hand, with no signature. *out_len gets its length. */
static inline unsigned char *test_seal_v1(const store_env_header *h, const unsigned char *const pks[2],
                                          const void *payload, size_t len, size_t *out_len)
{
    size_t dlen = strlen(h->device), hl = 31 + dlen + 16, ad = hl + 24 + 2 * 80;
    unsigned char *b = malloc(ad + len + 16), key[32];
    memcpy(b, h->magic, 4);
    b[4] = 1;
    memcpy(b + 5, h->uuid, 16);
    for (int i = 0; i < 8; i++)
        b[21 + i] = (unsigned char)((unsigned long long)h->created_at >> (56 - 8 * i));
    b[29] = (unsigned char)dlen;
    memcpy(b + 30, h->device, dlen);
    b[30 + dlen] = 2;
    for (int i = 0; i < 2; i++)
        store_key_id(pks[i], b + 31 + dlen + 8 * i);
    randombytes_buf(b + hl, 24);
    randombytes_buf(key, sizeof key);
    for (int i = 0; i < 2; i++)
        crypto_box_seal(b + hl + 24 + 80 * i, key, sizeof key, pks[i]);
    unsigned long long clen;
    crypto_aead_xchacha20poly1305_ietf_encrypt(b + ad, &clen, payload, len, b, ad, NULL, b + hl, key);
    *out_len = ad + (size_t)clen;
    return b;
}

/* Inserts a row straight into the database (as a person with write access would); seq <= 0 is
 * NULL, as in a row from before signatures. */
static inline int test_insert_row(const char *dir, const store_env_header *h, const unsigned char *env,
                                  size_t len, char id[37])
{
    char path[STORE_PATH_MAX + 16], key_ids[40];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_DB_FILE);
    store_uuid_format(h->uuid, id);
    sodium_bin2hex(key_ids, 17, h->key_ids[0], 8);
    key_ids[16] = ',';
    sodium_bin2hex(key_ids + 17, 17, h->key_ids[1], 8);
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    /* Without a seq the statement also fits a schema 2 database (from before signatures). */
    const char *sql = h->seq > 0 ? "INSERT INTO records(id, created_at, device, key_ids, envelope, seq) "
                                   "VALUES(?, ?, ?, ?, ?, ?)"
                                 : "INSERT INTO records(id, created_at, device, key_ids, envelope) "
                                   "VALUES(?, ?, ?, ?, ?)";
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, h->created_at);
        sqlite3_bind_text(st, 3, h->device, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, key_ids, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 5, env, (int)len, SQLITE_TRANSIENT);
        if (h->seq > 0)
            sqlite3_bind_int64(st, 6, h->seq);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
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
