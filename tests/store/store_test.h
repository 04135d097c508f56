/* store_test.h — what the store tests share: a temporary data folder made through store_init
 * (fast KDF), a result-shaped synthetic payload, byte search in files, and clean-up. */
#ifndef ITS_STORE_TEST_H
#define ITS_STORE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

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

/* An enrolled kiosk folder BASE/kiosk as link_enrol makes it: e holds the keys (and team, site,
 * signer, epoch); the server address, a synthetic CA file and a new device seed are filled in. */
static inline store *test_make_enrolled(const char *base, store_enrolment *e, const char *device,
                                        char dir[600])
{
    char ca[600];
    snprintf(ca, sizeof ca, "%s/ca.pem", base);
    FILE *f = fopen(ca, "w");
    fputs("-----BEGIN CERTIFICATE-----\nsynthetic\n-----END CERTIFICATE-----\n", f);
    fclose(f);
    e->server = "https://127.0.0.1:1";
    e->ca_source = ca;
    its_strlcpy(e->team, "north", sizeof e->team);
    its_strlcpy(e->site, "clinic-a", sizeof e->site);
    randombytes_buf(e->sign_seed, sizeof e->sign_seed);
    snprintf(dir, 600, "%s/kiosk", base);
    store_init_opts o = {.mode = STORE_KIOSK, .device_id = device, .enrolment = e};
    its_err err = {0};
    store *s = NULL;
    if (store_init(dir, &o, &err) != 0 || store_open(dir, &s, &err) != 0) {
        fprintf(stderr, "enrolled folder: %s\n", err.msg);
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

/* Inserts a row straight into the database (as a person with write access would): into notes,
 * linked to record_id, when record_id is given, else into records; seq <= 0 is NULL, as in a row
 * from before signatures. */
static inline int test_insert_sealed(const char *dir, const char *record_id, const store_env_header *h,
                                     const unsigned char *env, size_t len, char id[37])
{
    char path[STORE_PATH_MAX + 16], key_ids[40], sql[200];
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
    bool seq = h->seq > 0;
    snprintf(sql, sizeof sql, "INSERT INTO %s(id, created_at, device, key_ids, envelope%s%s) "
             "VALUES(?, ?, ?, ?, ?%s%s)", record_id ? "notes" : "records", seq ? ", seq" : "",
             record_id ? ", record_id" : "", seq ? ", ?" : "", record_id ? ", ?" : "");
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, h->created_at);
        sqlite3_bind_text(st, 3, h->device, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, key_ids, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 5, env, (int)len, SQLITE_TRANSIENT);
        int col = 6;
        if (seq)
            sqlite3_bind_int64(st, col++, h->seq);
        if (record_id)
            sqlite3_bind_text(st, col, record_id, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

static inline int test_insert_row(const char *dir, const store_env_header *h, const unsigned char *env,
                                  size_t len, char id[37])
{
    return test_insert_sealed(dir, NULL, h, env, len, id);
}

/* Seals payload as a format 1 envelope with header h (its key ids are filled in) to wpk and rpk
 * and inserts it as a record, or as a note of record_id; id gets its id. */
static inline int test_insert_v1(const char *dir, const char *record_id, store_env_header *h,
                                 const unsigned char wpk[32], const unsigned char rpk[32],
                                 const void *payload, size_t plen, char id[37])
{
    const unsigned char *pks[2] = {wpk, rpk};
    size_t len;
    unsigned char *env = test_seal_v1(h, pks, payload, plen, &len);
    store_key_id(wpk, h->key_ids[0]);
    store_key_id(rpk, h->key_ids[1]);
    int rc = test_insert_sealed(dir, record_id, h, env, len, id);
    free(env);
    return rc;
}

/* A folder as made before signatures: config.json without device_sign_public_key (nor the
 * worker's), no device key file, an empty schema 2 database. wpk, rpk get the worker and
 * recovery public keys, to seal format 1 records for it with test_seal_v1. */
static inline void test_make_old_folder(const char *base, const char *name, char dir[600],
                                        unsigned char wpk[32], unsigned char rpk[32])
{
    char path[700];
    store *s = test_make_store(base, name, dir);
    memcpy(wpk, s->worker_pk, 32);
    memcpy(rpk, s->recovery_pk, 32);
    store_close(s);
    snprintf(path, sizeof path, "%s/config.json", dir);
    json_t *cfg = json_load_file(path, 0, NULL);
    json_object_del(cfg, "device_sign_public_key");
    json_object_del(cfg, "worker_sign_public_key");
    CHECK(json_dump_file(cfg, path, JSON_INDENT(2)) == 0);
    json_decref(cfg);
    snprintf(path, sizeof path, "%s/device-sign.key", dir);
    CHECK(remove(path) == 0);
    snprintf(path, sizeof path, "%s/store.db", dir);
    remove(path);
    its_err err = {0};
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(store_db_migrate(db, 2, &err) == 0);
    sqlite3_close(db);
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
