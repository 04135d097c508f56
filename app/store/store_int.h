/* store_int.h — what the store's own files share and its tests may reach: the store struct,
 * the envelope (seal/open of one record, no SQL), the database helpers (pragmas, migrations,
 * error sentences), the key files and the 0600 file writer. Not for the UI or the CLI. */
#ifndef ITS_STORE_INT_H
#define ITS_STORE_INT_H

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include "envelope.h"
#include "store.h"
#include "store_clock.h"

#define STORE_PATH_MAX 1024
/* A data folder's path is at most STORE_DIR_MAX characters (store_dir_check), so that DIR/NAME
 * for every file the store keeps there (names under 128 characters) fits STORE_PATH_MAX and
 * store_path never cuts. */
#define STORE_DIR_MAX (STORE_PATH_MAX - 128)
#define STORE_SCHEMA_VERSION 6
#define STORE_BUSY_MS_DEFAULT 5000

#define STORE_CONFIG_FILE "config.json"
#define STORE_DB_FILE "store.db"
#define STORE_DRAFT_KEY_FILE "draft.key"
#define STORE_DRAFT_LOCK_FILE "draft.lock"
#define STORE_WORKER_KEY_FILE "worker.key"
#define STORE_RECOVERY_FILE "recovery-key.json"
#define STORE_DEMO_PASS_FILE "demo-passphrase.txt"
#define STORE_DEVICE_KEY_FILE "device-sign.key"

typedef struct store_legacy_row store_legacy_row;

struct store {
    char dir[STORE_PATH_MAX];
    sqlite3 *db;
    store_mode mode;
    char device[STORE_DEVICE_MAX + 1];
    int idle_seconds;
    int draft_expiry;
    unsigned char worker_pk[crypto_box_PUBLICKEYBYTES];
    unsigned char recovery_pk[crypto_box_PUBLICKEYBYTES];
    unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES]; /* config device_sign_public_key */
    bool has_sign_pk;                     /* false: a folder made before signatures */
    bool has_worker_sign_pk;              /* config worker_sign_public_key (worker folders) */
    char worker_key_file[STORE_PATH_MAX]; /* empty: this device holds no worker key */
    char **questionnaires;
    int n_questionnaires;
    unsigned char *draft_key;             /* sodium_malloc: the draft session's key, while one runs */
    unsigned char *tx_sign_sk;            /* device signing key, loaded once per write transaction */
    int draft_lock_fd;                    /* > 0: this process owns the draft (flock held) */
    long long fixed_now;
    unsigned char worker_sign_pk[32];     /* worker folder: config worker_sign_public_key */
    char worker_team[64];                 /* worker folder: config "team" (set by pull) */
    bool enrolled;                        /* config.json has "fleet": records go to the outbox */
    store_fleet fleet;
    store_legacy_row *legacy;             /* the verified list of format 1 envelopes (legacy.c) */
    int n_legacy;
    bool legacy_loaded;
    unsigned char programme_pk[crypto_box_PUBLICKEYBYTES]; /* config programme_public_key */
    bool has_programme;                   /* results are summarised for the programme (programme.c) */
};

typedef enum { STORE_KEY_WORKER, STORE_KEY_RECOVERY, STORE_KEY_PROGRAMME } store_key_kind;

typedef struct store_team_key {
    long long epoch;
    unsigned char id[STORE_KEYID_BYTES];
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    unsigned char sk[crypto_box_SECRETKEYBYTES];
} store_team_key;

struct store_key {
    store_key_kind kind;
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    unsigned char sk[crypto_box_SECRETKEYBYTES];
    int n_team;                                  /* team epochs opened from team-keys.json */
    store_team_key team[STORE_TEAM_EPOCHS_MAX];
};

/* ---- envelope.c: envelope.h (public: the ingest server uses it without the store) ---------- */

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
/* The chain hash of one audit entry (see audit.c). */
void store_audit_hash(const unsigned char prev[crypto_generichash_BYTES], long long at, const char *event,
                      const char *detail, unsigned char out[crypto_generichash_BYTES]);
/* The hash of audit entry seq: 0, or -1 when there is none. */
int store_audit_hash_at(store *s, long long seq, unsigned char out[crypto_generichash_BYTES]);
/* 1 when sig is this folder's device signature over the head of audit entry seq with hash. */
int store_audit_signed(store *s, long long seq, const unsigned char hash[crypto_generichash_BYTES],
                       const unsigned char sig[crypto_sign_BYTES]);
/* Appends an audit entry inside the caller's write transaction. */
int store_audit_append(store *s, const char *event, const char *detail, its_err *err);

/* ---- device.c: the device signing key and the pinned keys of devices ------------------ */

/* Makes DIR/device-sign.key (the 32-byte Ed25519 seed, 0600, never replaced); pk gets its
 * public half. given_seed: the seed an enrolment made before the server saw its public half;
 * NULL: a new random one. */
int store_device_key_make(const char *dir, const unsigned char *given_seed,
                          unsigned char pk[crypto_sign_PUBLICKEYBYTES], its_err *err);
/* The device signing key for the current write transaction: loaded on first use, wiped and
 * freed by store_tx when the transaction ends. */
int store_tx_sign_key(store *s, const unsigned char **sk, its_err *err);
/* Signs msg with the device key: the secret is loaded into guarded memory, checked against the
 * config's public key, used once and wiped. */
int store_device_sign(const store *s, const unsigned char *msg, size_t len,
                      unsigned char sig[crypto_sign_BYTES], its_err *err);
/* The device key for sealing: *sk is sodium_malloc'd (free with sodium_free, which wipes it). */
int store_device_key_load(const store *s, unsigned char **sk, its_err *err);
/* On open: gives a folder made before signatures its key (durably, logged) and pins the
 * folder's own key (trust on first use). */
int store_device_key_ensure(store *s, its_err *err);
/* Inside a write transaction: pins pk for device (logged), or checks it against the pinned one. */
int store_device_pin_in_tx(store *s, const char *device, const unsigned char pk[32], const char *source,
                           its_err *err);
/* 1 and pk filled when a key is pinned for device, 0 when none is, -1 on error. */
int store_device_pinned(store *s, const char *device, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                        its_err *err);
/* The worker signing key pair from a worker secret key (docs/fleet-protocol.md section 1); sk
 * (64 bytes, guarded memory) may be NULL. */
void store_worker_sign_derive(const unsigned char box_sk[32], unsigned char pk[32], unsigned char *sk);
/* Writes worker_sign_public_key (derived from the worker secret key) into DIR/config.json. */
int store_worker_sign_public_write(const char *dir, const unsigned char box_sk[32], its_err *err);
/* Rewrites one string field of DIR/config.json (durably, replacing the file). */
int store_config_set(const char *dir, const char *name, const char *value, its_err *err);

/* ---- legacy.c: format 1 records listed when the folder got its key ---------------------- */
/* Inside the write transaction that gives the folder its device key (or makes it): lists every
 * format 1 record and note now present and signs the list as audit entry "legacy", unless the
 * folder already has one. */
int store_legacy_sign_in_tx(store *s, its_err *err);
/* 1 when the format 1 envelope env of record or note id is on the signed list with the same
 * bytes, 0 when not, -1 on a read error. */
int store_legacy_listed(store *s, const char *id, const unsigned char *env, size_t len, its_err *err);
void store_legacy_free(store *s);

/* ---- meta counters (db.c) ---------------------------------------------------------------- */
/* The value of a meta counter, or def when it is absent; -1 on error. */
int store_meta_get(store *s, const char *name, long long def, long long *v, its_err *err);
int store_meta_set(store *s, const char *name, long long v, const char *what, its_err *err);

/* ---- keys.c: key files ------------------------------------------------------------------ */

int store_b64_decode(const char *b64, unsigned char *out, size_t n);
void store_b64_encode(const unsigned char *in, size_t n, char *out, size_t out_len);
/* The worker key file: the secret key under the passphrase (Argon2id + secretbox), as JSON. */
void store_kdf_params(store_kdf kdf, unsigned long long *ops, size_t *mem);
int store_worker_key_write(const char *path, const unsigned char pk[32], const unsigned char sk[32],
                           const char *passphrase, unsigned long long ops, size_t mem, bool replace,
                           its_err *err);
/* The same file format holds the programme's secret key ("itsearvio": "programme-key"). */
typedef enum { STORE_PASS_KEY_WORKER, STORE_PASS_KEY_PROGRAMME } store_pass_key;
int store_pass_key_write(const char *path, store_pass_key kind, const unsigned char pk[32],
                         const unsigned char sk[32], const char *passphrase, unsigned long long ops,
                         size_t mem, bool replace, its_err *err);
int store_pass_key_read(const char *path, store_pass_key kind, const char *passphrase, unsigned char pk[32],
                        unsigned char sk[32], unsigned long long *ops, size_t *mem, its_err *err);
/* 0 opened, -1 error, -2 wrong passphrase (err says so). ops/mem (may be NULL) get the KDF
 * parameters stored in the file. */
int store_worker_key_read(const char *path, const char *passphrase, unsigned char pk[32],
                          unsigned char sk[32], unsigned long long *ops, size_t *mem, its_err *err);
int store_recovery_key_write(const char *path, const unsigned char pk[32], const unsigned char sk[32],
                             its_err *err);
/* The recovery key file's text, to be shown once (free with store_secret_free); NULL: no memory. */
char *store_recovery_key_text(const unsigned char pk[32], const unsigned char sk[32]);
int store_recovery_key_read(const char *path, unsigned char pk[32], unsigned char sk[32], its_err *err);
/* Reads exactly n secret bytes from path into out: 0, -2 when the file does not exist (err
 * untouched), -1 with a sentence naming the file ("The <what> file ... is damaged."). */
int store_secret_file_read(const char *path, unsigned char *out, size_t n, const char *what, its_err *err);
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
/* Appends a signed "retire" audit entry for each row (kind, id, seq, device) of st, inside the
 * caller's write transaction, for records and notes deleted on purpose; finalizes st. */
int store_retire_log(store *s, sqlite3_stmt *st, const char *what, its_err *err);
/* A new envelope header of this device: magic, a random version 4 UUID, the time; seq is set
 * inside the write transaction. */
void store_header_new(const store *s, store_env_header *h, const char *magic, long long at);
/* A malloc'd copy of blob column `col` of the current row and its length in *len (an empty
 * blob gives a 1-byte block, so NULL means only "out of memory"). */
unsigned char *store_column_copy(sqlite3_stmt *st, int col, size_t *len);
/* Steps a statement that returns no row and finalizes it. */
int store_step_done(store *s, sqlite3_stmt *st, const char *what, its_err *err);

/* ---- outbox.c ---------------------------------------------------------------------------- */

/* summary.c: the list summary of a result payload (JSON, shorter than STORE_ENV_SUMMARY_BYTES,
 * NUL-terminated) for a format 3 envelope; site is the device's fleet site ("" when not
 * enrolled). Returns its length. */
size_t store_summary_build(const unsigned char *payload, size_t len, const char *site,
                           char out[STORE_ENV_SUMMARY_BYTES]);
/* Reads config.json "fleet" (absent: not enrolled). */
int store_fleet_parse(store *s, json_t *cfg, const char *path, its_err *err);
/* Inside the transaction that stores record_id: puts it in the outbox when enrolled. */
int store_outbox_add_in_tx(store *s, const char *record_id, const char *what, its_err *err);
/* The same for a row of another kind ("programme": a summary, sent in the batch after its record). */
int store_outbox_add_kind_in_tx(store *s, const char *id, const char *kind, const char *what, its_err *err);
/* "hex8,hex8": the key_ids column of a records row, from the envelope header. */
#define STORE_KEY_IDS_TEXT (STORE_MAX_RECIPIENTS * (2 * STORE_KEYID_BYTES + 1))
void store_key_ids_text(const store_env_header *h, char out[STORE_KEY_IDS_TEXT]);

/* ---- bundle.c --------------------------------------------------------------------------- */

/* Worker folder, unlocked with the worker key: writes keys-bundle.json and config.json's
 * worker_sign_public_key when they are missing or stale (init, and every unlock). */
int store_worker_bundle_ensure(store *s, const store_key *key, its_err *err);
/* Writes DIR/keys-bundle.json signed by the signing key derived from box_sk (init). */
int store_bundle_write(const char *dir, const unsigned char wpk[32], const unsigned char rpk[32],
                       const unsigned char box_sk[32], its_err *err);
#define STORE_BUNDLE_FILE "keys-bundle.json"

/* ---- team.c ----------------------------------------------------------------------------- */
#define STORE_TEAM_KEYS_FILE "team-keys.json"
/* After an unlock: opens the wraps of DIR/team-keys.json into key->team (a wrap that does not
 * open is left out: records of its epoch then say so). */
void store_team_keys_load(store *s, store_key *key);
/* The key pair of key that an envelope's header names: one of its team epoch keys, else its own
 * (the worker's key, or the recovery key). Anything that opens a part of an envelope uses it. */
void store_key_pair_for(const store_key *key, const store_env_header *h, const unsigned char **pk,
                        const unsigned char **sk);

#define STORE_SERVER_CA_FILE "server-ca.pem"

/* ---- programme.c ------------------------------------------------------------------------ */

/* Reads config.json programme_public_key (absent: no programme summaries). */
int store_programme_config_parse(store *s, json_t *cfg, const char *path, its_err *err);
/* Inside the transaction that stores record_id: seals its programme summary (when the folder
 * has a programme key). */
int store_programme_seal_in_tx(store *s, const char *record_id, const unsigned char *payload, size_t len,
                               long long at, const char *what, its_err *err);

/* ---- files.c ---------------------------------------------------------------------------- */

/* Writes a file with mode 0600 whatever the umask: temp file, fsync, then link (no replace) or
 * rename (replace), then fsync of the folder. */
int store_file_write(const char *path, const void *data, size_t len, bool replace, its_err *err);
/* Writes the JSON object o (taken over) as DIR/NAME, indented, replacing it (store_file_write). */
int store_json_file_write(const char *dir, const char *name, json_t *o, its_err *err);
int store_fsync_dir(const char *dir, its_err *err);
/* Creates dir and any missing parents (0700 each), like `mkdir -p`; an existing folder is fine. */
int store_mkdirs(const char *dir, its_err *err);
/* DIR/NAME into out; dir has passed store_dir_check and name is one of the store's own. */
void store_path(char *out, size_t n, const char *dir, const char *name);
/* Refuses a data folder path longer than STORE_DIR_MAX with a message. */
int store_dir_check(const char *dir, its_err *err);

#endif
