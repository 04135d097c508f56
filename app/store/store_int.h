/* store_int.h — what the store's own files share and its tests may reach: the store struct,
 * the envelope (seal/open of one record, no SQL), the database helpers (pragmas, migrations,
 * error sentences), the key files and the 0600 file writer. Not for the UI or the CLI. */
#ifndef ITS_STORE_INT_H
#define ITS_STORE_INT_H

#include <sodium.h>
#include <sqlite3.h>
#include "store.h"

#define STORE_PATH_MAX 1024
#define STORE_KEYID_BYTES 8
#define STORE_MAX_RECIPIENTS 4
#define STORE_SCHEMA_VERSION 2
#define STORE_BUSY_MS_DEFAULT 5000

#define STORE_CONFIG_FILE "config.json"
#define STORE_DB_FILE "store.db"
#define STORE_DRAFT_KEY_FILE "draft.key"
#define STORE_DRAFT_LOCK_FILE "draft.lock"
#define STORE_WORKER_KEY_FILE "worker.key"
#define STORE_RECOVERY_FILE "recovery-key.json"
#define STORE_DEMO_PASS_FILE "demo-passphrase.txt"

struct store {
    char dir[STORE_PATH_MAX];
    sqlite3 *db;
    store_mode mode;
    char device[STORE_DEVICE_MAX + 1];
    int idle_seconds;
    int draft_expiry;
    unsigned char worker_pk[crypto_box_PUBLICKEYBYTES];
    unsigned char recovery_pk[crypto_box_PUBLICKEYBYTES];
    char worker_key_file[STORE_PATH_MAX]; /* empty: this device holds no worker key */
    char **questionnaires;
    int n_questionnaires;
    unsigned char *draft_key;             /* sodium_malloc: the draft session's key, while one runs */
    int draft_lock_fd;                    /* > 0: this process owns the draft (flock held) */
    long long fixed_now;
};

typedef enum { STORE_KEY_WORKER, STORE_KEY_RECOVERY } store_key_kind;

struct store_key {
    store_key_kind kind;
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    unsigned char sk[crypto_box_SECRETKEYBYTES];
};

/* ---- envelope.c: one sealed record as bytes (format in docs/storage.md) ---------------- */

#define STORE_ENV_MAGIC_RECORD "ITSR"
#define STORE_ENV_MAGIC_NOTE "ITSN"
#define STORE_ENV_VERSION 1

typedef struct store_env_header {
    char magic[5];
    unsigned char version;
    unsigned char uuid[16];
    long long created_at;
    char device[STORE_DEVICE_MAX + 1];
    int n_recipients;
    unsigned char key_ids[STORE_MAX_RECIPIENTS][STORE_KEYID_BYTES];
} store_env_header;

/* The 8-byte id of a public key: BLAKE2b-128 of the key, first 8 bytes. */
void store_key_id(const unsigned char pk[crypto_box_PUBLICKEYBYTES], unsigned char id[STORE_KEYID_BYTES]);
/* Seals payload to pks[0..n-1] (key ids in h are filled from them). *out is malloc'd. */
int store_env_seal(store_env_header *h, const unsigned char *const *pks, int n,
                   const unsigned char *payload, size_t len, unsigned char **out, size_t *out_len,
                   its_err *err);
int store_env_parse(const unsigned char *env, size_t len, store_env_header *h, its_err *err);
/* Opens with one key pair; *payload is malloc'd (free with store_payload_free). */
int store_env_open(const unsigned char *env, size_t len, const unsigned char *pk, const unsigned char *sk,
                   unsigned char **payload, size_t *plen, its_err *err);
void store_uuid_format(const unsigned char uuid[16], char out[37]);
int store_uuid_parse(const char *s, unsigned char uuid[16]);

/* ---- db.c: SQLite connection, migrations, errors ---------------------------------------- */

/* Opens an existing database with the durability pragmas and migrates it forward. An empty
 * database (user_version 0) is refused unless `create` (init). */
int store_db_open(const char *path, bool create, sqlite3 **out, its_err *err);
/* Applies forward migrations up to `target` (<= STORE_SCHEMA_VERSION) in one transaction. */
int store_db_migrate(sqlite3 *db, int target, its_err *err);
/* Fills err with a plain sentence for an SQLite failure: "<what>: <why>". Returns -1. */
int store_db_fail(sqlite3 *db, int rc, its_err *err, const char *what);
/* Runs one statement without results; -1 with store_db_fail(what) on failure. */
int store_db_exec(sqlite3 *db, const char *sql, its_err *err, const char *what);
void store_db_rollback(sqlite3 *db);
long long store_now(const store *s);
/* The chain hash of one audit entry (see audit.c). */
void store_audit_hash(const unsigned char prev[crypto_generichash_BYTES], long long at, const char *event,
                      const char *detail, unsigned char out[crypto_generichash_BYTES]);
/* Appends an audit entry inside the caller's write transaction. */
int store_audit_append(store *s, const char *event, const char *detail, its_err *err);

/* ---- keys.c: key files ------------------------------------------------------------------ */

int store_b64_decode(const char *b64, unsigned char *out, size_t n);
void store_b64_encode(const unsigned char *in, size_t n, char *out, size_t out_len);
/* The worker key file: the secret key under the passphrase (Argon2id + secretbox), as JSON. */
void store_kdf_params(store_kdf kdf, unsigned long long *ops, size_t *mem);
int store_worker_key_write(const char *path, const unsigned char pk[32], const unsigned char sk[32],
                           const char *passphrase, unsigned long long ops, size_t mem, bool replace,
                           its_err *err);
/* 0 opened, -1 error, -2 wrong passphrase (err says so). ops/mem (may be NULL) get the KDF
 * parameters stored in the file. */
int store_worker_key_read(const char *path, const char *passphrase, unsigned char pk[32],
                          unsigned char sk[32], unsigned long long *ops, size_t *mem, its_err *err);
int store_recovery_key_write(const char *path, const unsigned char pk[32], const unsigned char sk[32],
                             its_err *err);
/* The recovery key file's text, to be shown once (free with store_secret_free); NULL: no memory. */
char *store_recovery_key_text(const unsigned char pk[32], const unsigned char sk[32]);
int store_recovery_key_read(const char *path, unsigned char pk[32], unsigned char sk[32], its_err *err);
/* ---- draft.c ---------------------------------------------------------------------------- */

/* After a result was committed (its transaction deleted the draft row): shreds the session's
 * draft key if this process owns the draft, and checkpoints the WAL (TRUNCATE). */
int store_draft_after_result(store *s, its_err *err);
/* Drops the draft lock (store_close). */
void store_draft_release(store *s);

/* ---- store.c ---------------------------------------------------------------------------- */

/* Reads DIR/config.json into s (no database). */
int store_config_load(store *s, const char *dir, its_err *err);
/* Runs body(s, ctx, err) inside BEGIN IMMEDIATE ... COMMIT; rolls back on failure. `what` starts
 * the sentence for an SQLite failure ("The result was not saved"). */
int store_tx(store *s, int (*body)(store *, void *, const char *, its_err *), void *ctx, const char *what,
             its_err *err);
/* Prepares sql (failure: store_db_fail with what). */
int store_prepare(store *s, const char *sql, sqlite3_stmt **st, const char *what, its_err *err);
/* Steps st to the end, filling one elem-sized array element per row; finalizes st; *out is
 * malloc'd. */
int store_collect(store *s, sqlite3_stmt *st, size_t elem, void (*fill)(sqlite3_stmt *, void *), void **out,
                  int *n, const char *what, its_err *err);
/* Steps a statement that returns no row and finalizes it. */
int store_step_done(store *s, sqlite3_stmt *st, const char *what, its_err *err);

/* ---- files.c ---------------------------------------------------------------------------- */

/* Writes a file with mode 0600 whatever the umask: temp file, fsync, then link (no replace) or
 * rename (replace), then fsync of the folder. */
int store_file_write(const char *path, const void *data, size_t len, bool replace, its_err *err);
int store_fsync_dir(const char *dir, its_err *err);
/* Creates dir and any missing parents (0700 each), like `mkdir -p`; an existing folder is fine. */
int store_mkdirs(const char *dir, its_err *err);
void store_path(char *out, size_t n, const char *dir, const char *name);

#endif
