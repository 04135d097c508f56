/* legacy.c — records written before signatures (envelope format 1) that stay readable.
 *
 * When a folder made before signatures gets its device key (device.c, upgrade), the same
 * transaction lists every format 1 record and note then present in the table
 * legacy(id, digest = BLAKE2b-256 of the envelope) and appends one signed audit entry "legacy"
 * whose detail carries the count and
 *   list hash = BLAKE2b-256("itsearvio-legacy-v1\n" || for each row by id: id || "\n" || digest).
 * A folder made by init signs an empty list. Only the first such entry whose hash and device
 * signature verify counts, and it is signed at most once per folder, so a list cannot be grown
 * after the fact without the device key and a rewritten chain (docs/storage.md,
 * "Records from before signatures").
 * The worker side loads the list once per store, checks it against that entry, and opens a
 * format 1 envelope only when its id and digest are on it. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#define LEGACY_EVENT "legacy"
#define LEGACY_DOMAIN "itsearvio-legacy-v1\n"
#define HASH_BYTES crypto_generichash_BYTES

struct store_legacy_row {
    char id[37];
    unsigned char digest[HASH_BYTES];
};

static int row_cmp(const void *a, const void *b)
{
    return strcmp(((const store_legacy_row *)a)->id, ((const store_legacy_row *)b)->id);
}

/* Rows in id order (SQLite's BINARY collation is the byte order strcmp uses). */
static int rows_load(store *s, store_legacy_row **out, int *n, its_err *err)
{
    const char *what = "The list of records made before signatures could not be read";
    sqlite3_stmt *st;
    *out = NULL;
    *n = 0;
    if (store_prepare(s, "SELECT id, digest FROM legacy ORDER BY id", &st, what, err) != 0)
        return -1;
    int rc, cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!id || strlen(id) != 36 || sqlite3_column_bytes(st, 1) != HASH_BYTES) {
            rc = SQLITE_CORRUPT;
            break;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            store_legacy_row *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                rc = SQLITE_NOMEM;
                break;
            }
            *out = v;
        }
        memcpy((*out)[*n].id, id, 37);
        memcpy((*out)[*n].digest, sqlite3_column_blob(st, 1), HASH_BYTES);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    free(*out);
    *out = NULL;
    *n = 0;
    return store_db_fail(s->db, rc, err, what);
}

static void list_hash(const store_legacy_row *rows, int n, unsigned char out[HASH_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)LEGACY_DOMAIN, strlen(LEGACY_DOMAIN));
    for (int i = 0; i < n; i++) {
        crypto_generichash_update(&st, (const unsigned char *)rows[i].id, strlen(rows[i].id));
        crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
        crypto_generichash_update(&st, rows[i].digest, HASH_BYTES);
    }
    crypto_generichash_final(&st, out, HASH_BYTES);
}

/* 1 when some "legacy" entry exists (signed or not: the writer side never adds a second). */
static int statement_exists(store *s, const char *what, its_err *err)
{
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT 1 FROM audit WHERE event = '" LEGACY_EVENT "' LIMIT 1", &st, what, err) != 0)
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_db_fail(s->db, rc, err, what);
}

/* Copies the id and envelope digest of every format 1 record and note into the legacy table. */
static int list_fill(store *s, const char *what, its_err *err)
{
    sqlite3_stmt *sel, *ins;
    if (store_db_exec(s->db, "DELETE FROM legacy", err, what) != 0 ||
        store_prepare(s, "SELECT id, envelope FROM records WHERE seq IS NULL UNION ALL "
                         "SELECT id, envelope FROM notes WHERE seq IS NULL", &sel, what, err) != 0)
        return -1;
    if (store_prepare(s, "INSERT OR IGNORE INTO legacy(id, digest) VALUES(?, ?)", &ins, what, err) != 0) {
        sqlite3_finalize(sel);
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        const unsigned char *env = sqlite3_column_blob(sel, 1);
        size_t len = (size_t)sqlite3_column_bytes(sel, 1);
        store_env_header h;
        its_err ignored;
        if (store_env_parse(env, len, &h, &ignored) != 0 || h.version != 1)
            continue; /* damaged rows stay damaged: listing them would not make them open */
        unsigned char digest[HASH_BYTES];
        crypto_generichash(digest, HASH_BYTES, env, len, NULL, 0);
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, (const char *)sqlite3_column_text(sel, 0), -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(ins, 2, digest, HASH_BYTES, SQLITE_TRANSIENT);
        if ((rc = sqlite3_step(ins)) != SQLITE_DONE)
            break;
    }
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc == SQLITE_DONE ? 0 : store_db_fail(s->db, rc, err, what);
}

int store_legacy_sign_in_tx(store *s, its_err *err)
{
    const char *what = "The records made before signatures could not be listed";
    int exists = statement_exists(s, what, err);
    if (exists != 0)
        return exists < 0 ? -1 : 0;
    store_legacy_row *rows;
    int n;
    if (list_fill(s, what, err) != 0 || rows_load(s, &rows, &n, err) != 0)
        return -1;
    unsigned char hash[HASH_BYTES];
    list_hash(rows, n, hash);
    free(rows);
    char b64[64], detail[200];
    store_b64_encode(hash, HASH_BYTES, b64, sizeof b64);
    snprintf(detail, sizeof detail, "%d records and notes made before signatures, list hash %s", n, b64);
    return store_audit_append(s, LEGACY_EVENT, detail, err);
}

/* 1 when the detail names a list hash equal to that of rows (and the count agrees). */
static int detail_matches(const char *detail, const store_legacy_row *rows, int n)
{
    const char *h = detail ? strstr(detail, "list hash ") : NULL;
    char count[16];
    snprintf(count, sizeof count, "%d ", n);
    unsigned char want[HASH_BYTES], have[HASH_BYTES];
    if (!h || strncmp(detail, count, strlen(count)) != 0 || store_b64_decode(h + 10, want, HASH_BYTES) != 0)
        return 0;
    list_hash(rows, n, have);
    return sodium_memcmp(want, have, HASH_BYTES) == 0;
}

/* Loads the list and keeps it only when the first genuine "legacy" entry vouches for it. */
static int list_verify(store *s, its_err *err)
{
    const char *what = "The list of records made before signatures could not be read";
    store_legacy_row *rows;
    int n;
    sqlite3_stmt *st;
    if (rows_load(s, &rows, &n, err) != 0)
        return -1;
    if (store_prepare(s, "SELECT seq, at, detail, prev, hash, sig FROM audit WHERE event = '" LEGACY_EVENT
                         "' ORDER BY seq", &st, what, err) != 0) {
        free(rows);
        return -1;
    }
    int rc = SQLITE_DONE, found = 0;
    while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 2);
        if (!detail || sqlite3_column_bytes(st, 3) != HASH_BYTES ||
            sqlite3_column_bytes(st, 4) != HASH_BYTES ||
            sqlite3_column_bytes(st, 5) != crypto_sign_BYTES)
            continue;
        unsigned char h[HASH_BYTES];
        store_audit_hash(sqlite3_column_blob(st, 3), sqlite3_column_int64(st, 1), LEGACY_EVENT, detail, h);
        if (sodium_memcmp(h, sqlite3_column_blob(st, 4), HASH_BYTES) != 0 ||
            store_audit_signed(s, sqlite3_column_int64(st, 0), h, sqlite3_column_blob(st, 5)) != 1)
            continue; /* not written by this device: an insertion, never trusted */
        found = 1;
        if (!detail_matches(detail, rows, n)) { /* the table was edited after it was signed */
            free(rows);
            rows = NULL;
            n = 0;
        }
    }
    sqlite3_finalize(st);
    if (!found && rc != SQLITE_DONE) {
        free(rows);
        return store_db_fail(s->db, rc, err, what);
    }
    if (!found) {
        free(rows);
        rows = NULL;
        n = 0;
    }
    s->legacy = rows;
    s->n_legacy = n;
    s->legacy_loaded = true;
    return 0;
}

/* Under the connection's (recursive) mutex: the worker's index threads share this store, and
 * the first of them loads the list for all. */
int store_legacy_listed(store *s, const char *id, const unsigned char *env, size_t len, its_err *err)
{
    if (!id || strlen(id) != 36)
        return 0;
    sqlite3_mutex *m = sqlite3_db_mutex(s->db);
    sqlite3_mutex_enter(m);
    int listed = s->legacy_loaded ? 0 : list_verify(s, err);
    store_legacy_row key;
    memcpy(key.id, id, 37);
    const store_legacy_row *r = NULL;
    if (listed == 0 && s->n_legacy)
        r = bsearch(&key, s->legacy, (size_t)s->n_legacy, sizeof key, row_cmp);
    if (r) {
        crypto_generichash(key.digest, HASH_BYTES, env, len, NULL, 0);
        listed = sodium_memcmp(key.digest, r->digest, HASH_BYTES) == 0;
    }
    sqlite3_mutex_leave(m);
    return listed;
}

void store_legacy_free(store *s)
{
    free(s->legacy);
    s->legacy = NULL;
    s->n_legacy = 0;
    s->legacy_loaded = false;
}
