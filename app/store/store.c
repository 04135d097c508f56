/* store.c — an open data folder: its config, saving sealed results and notes, listing and
 * opening them, retention and the integrity check.
 *
 * Invariants kept here (numbered as in docs/storage.md):
 *   I1. store_save_result returns 0 only after the COMMIT that holds the record has returned,
 *       with synchronous=FULL (db.c): the record is on disk when the UI says "Kiitos".
 *   I2. A record row is inserted whole in one transaction: an interrupted save leaves no row.
 *   I4. The only clear columns are id, created_at, device, key_ids and seq; they are repeated
 *       inside the authenticated header, and a row whose columns disagree with it is refused on open.
 *   I12. A record's seq is taken, sealed, signed and the counter advanced inside the one write
 *       transaction that inserts it: no gaps, no number used twice, none used by a failed save.
 *   I13. A record is opened only after its signature verifies with the key pinned for the
 *       device its header names (device.c); anything else is named, never shown as genuine. */
#include "store_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- config ----------------------------------------------------------------------------- */

static int config_int(json_t *cfg, const char *name, int def, int lo, int hi, int *out, const char *path,
                      its_err *err)
{
    json_t *v = json_object_get(cfg, name);
    if (!v) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return its_fail(err, "%s: %s must be a whole number from %d to %d.", path, name, lo, hi);
    *out = (int)json_integer_value(v);
    return 0;
}

static int config_key(json_t *cfg, const char *name, unsigned char pk[32], const char *path, its_err *err)
{
    if (store_b64_decode(json_string_value(json_object_get(cfg, name)), pk, crypto_box_PUBLICKEYBYTES) != 0)
        return its_fail(err, "%s: %s is missing or is not a valid public key.", path, name);
    return 0;
}

static int config_parse(store *s, json_t *cfg, const char *path, its_err *err)
{
    const char *mode = json_string_value(json_object_get(cfg, "mode"));
    if (mode && !strcmp(mode, "kiosk"))
        s->mode = STORE_KIOSK;
    else if (mode && !strcmp(mode, "tablet"))
        s->mode = STORE_TABLET;
    else if (mode && !strcmp(mode, "worker"))
        s->mode = STORE_WORKER;
    else
        return its_fail(err, "%s: mode must be \"kiosk\", \"tablet\" or \"worker\".", path);
    const char *dev = json_string_value(json_object_get(cfg, "device_id"));
    if (!dev || !*dev || strlen(dev) > STORE_DEVICE_MAX)
        return its_fail(err, "%s: device_id must be 1 to %d characters.", path, STORE_DEVICE_MAX);
    its_strlcpy(s->device, dev, sizeof s->device);
    if (config_int(cfg, "idle_seconds", 120, 10, 3600, &s->idle_seconds, path, err) ||
        config_int(cfg, "draft_expiry_seconds", s->mode == STORE_KIOSK ? 300 : 12 * 3600, 0, 7 * 24 * 3600,
                   &s->draft_expiry, path, err) ||
        config_key(cfg, "worker_public_key", s->worker_pk, path, err) ||
        config_key(cfg, "recovery_public_key", s->recovery_pk, path, err) ||
        store_fleet_parse(s, cfg, path, err) || store_programme_config_parse(s, cfg, path, err))
        return -1;
    /* Absent in folders made before signatures: store_open makes the key (device.c). */
    s->has_sign_pk = json_object_get(cfg, "device_sign_public_key") != NULL;
    if (s->has_sign_pk && config_key(cfg, "device_sign_public_key", s->sign_pk, path, err) != 0)
        return -1;
    const char *wk = json_string_value(json_object_get(cfg, "worker_key_file"));
    if (wk && *wk) {
        int fits = wk[0] == '/'
                       ? its_path(s->worker_key_file, sizeof s->worker_key_file, err, "%s", wk)
                       : its_path(s->worker_key_file, sizeof s->worker_key_file, err, "%s/%s", s->dir, wk);
        if (fits != 0)
            return -1;
    }
    json_t *qs = json_object_get(cfg, "questionnaires");
    size_t n = json_array_size(qs);
    s->questionnaires = calloc(n + 1, sizeof *s->questionnaires);
    if (!s->questionnaires)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    for (size_t i = 0; i < n; i++) {
        const char *q = json_string_value(json_array_get(qs, i));
        if (!q)
            return its_fail(err, "%s: questionnaires must be a list of file names.", path);
        s->questionnaires[s->n_questionnaires++] = its_strdup(q);
    }
    return 0;
}

int store_config_load(store *s, const char *dir, its_err *err)
{
    if (store_dir_check(dir, err) != 0)
        return -1;
    its_strlcpy(s->dir, dir, sizeof s->dir);
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, dir, STORE_CONFIG_FILE);
    json_error_t je;
    json_t *cfg = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!cfg) {
        if (access(path, F_OK) != 0 && errno == ENOENT)
            return its_fail(err,
                            "%s is not an Itsearvio data folder (it has no %s); run `itsearvio "
                            "init --dir %s` first.",
                            dir, STORE_CONFIG_FILE, dir);
        return its_fail(err, "%s:%d:%d: the config file is damaged: %s.", path, je.line, je.column,
                        its_json_reason(&je));
    }
    int rc = json_is_object(cfg) ? config_parse(s, cfg, path, err)
                                 : its_fail(err, "%s: the config file must hold a JSON object.", path);
    json_decref(cfg);
    return rc;
}

int store_config_set(const char *dir, const char *name, const char *value, its_err *err)
{
    char path[STORE_PATH_MAX];
    if (store_dir_check(dir, err) != 0)
        return -1;
    store_path(path, sizeof path, dir, STORE_CONFIG_FILE);
    json_error_t je;
    json_t *cfg = json_load_file(path, 0, &je);
    if (!json_is_object(cfg)) {
        json_decref(cfg);
        return its_fail(err, "%s: the config file could not be read to add %s.", path, name);
    }
    json_object_set_new(cfg, name, json_string(value));
    char *text = json_dumps(cfg, JSON_INDENT(2));
    json_decref(cfg);
    if (!text)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    int rc = store_file_write(path, text, strlen(text), true, err);
    free(text);
    return rc;
}

/* ---- opening and closing ------------------------------------------------------------------ */

int store_open(const char *dir, store **out, its_err *err)
{
    *out = NULL;
    if (sodium_init() < 0)
        return its_fail(err, "The cryptography library could not start.");
    store *s = calloc(1, sizeof *s);
    if (!s)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    char db[STORE_PATH_MAX];
    store_path(db, sizeof db, dir, STORE_DB_FILE);
    if (store_config_load(s, dir, err) != 0 || store_db_open(db, false, &s->db, err) != 0 ||
        store_device_key_ensure(s, err) != 0) {
        store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void store_close(store *s)
{
    if (!s)
        return;
    if (s->db)
        sqlite3_close(s->db);
    for (int i = 0; i < s->n_questionnaires; i++)
        free(s->questionnaires[i]);
    free(s->questionnaires);
    sodium_free(s->draft_key);
    sodium_free(s->tx_sign_sk);
    store_legacy_free(s);
    store_draft_release(s);
    free(s);
}

store_mode store_get_mode(const store *s) { return s->mode; }
int store_idle_seconds(const store *s) { return s->idle_seconds; }
int store_draft_expiry_seconds(const store *s) { return s->draft_expiry; }
const char *store_device_id(const store *s) { return s->device; }
const char *store_dir(const store *s) { return s->dir; }
const unsigned char *store_device_sign_public_key(const store *s) { return s->sign_pk; }
void store_set_now(store *s, long long now) { s->fixed_now = now; }

int store_questionnaires(const store *s, const char *const **files)
{
    *files = (const char *const *)s->questionnaires;
    return s->n_questionnaires;
}

const char *store_mode_name(store_mode m)
{
    return m == STORE_KIOSK ? "kiosk" : m == STORE_TABLET ? "tablet" : "worker";
}

/* ---- statements and transactions ---------------------------------------------------------- */

int store_prepare(store *s, const char *sql, sqlite3_stmt **st, const char *what, its_err *err)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : store_db_fail(s->db, rc, err, what);
}

unsigned char *store_column_copy(sqlite3_stmt *st, int col, size_t *len)
{
    *len = (size_t)sqlite3_column_bytes(st, col);
    unsigned char *copy = malloc(*len ? *len : 1);
    if (copy && *len) /* an empty blob's pointer is NULL: nothing to copy */
        memcpy(copy, sqlite3_column_blob(st, col), *len);
    return copy;
}

int store_step_done(store *s, sqlite3_stmt *st, const char *what, its_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : store_db_fail(s->db, rc, err, what);
}

int store_tx(store *s, int (*body)(store *, void *, const char *, its_err *), void *ctx, const char *what,
             its_err *err)
{
    if (store_db_exec(s->db, "BEGIN IMMEDIATE", err, what) != 0)
        return -1;
    int rc = 0;
    if (body(s, ctx, what, err) != 0 || store_db_exec(s->db, "COMMIT", err, what) != 0) {
        store_db_rollback(s->db);
        rc = -1;
    }
    sodium_free(s->tx_sign_sk); /* wipes the device key loaded for this transaction */
    s->tx_sign_sk = NULL;
    return rc;
}

/* ---- saving -------------------------------------------------------------------------------- */

typedef struct insert_ctx {
    const char *record_id;        /* notes only */
    store_env_header *h;          /* seq is assigned inside the transaction */
    const unsigned char *plain;
    size_t plain_len;
    char id[37];
} insert_ctx;

/* Refuses a note for a record that is not there. */
static int note_target_exists(store *s, const char *record_id, const char *what, its_err *err)
{
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT 1 FROM records WHERE id = ?", &st, what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, record_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? its_fail_code(err, ITS_E_NOT_FOUND, "%s: there is no record with id %s.", what,
                                             record_id)
                             : store_db_fail(s->db, rc, err, what);
}

/* The key ids as the clear column holds them: hex, comma separated. */
void store_key_ids_text(const store_env_header *h, char out[STORE_KEY_IDS_TEXT])
{
    out[0] = '\0';
    for (int i = 0; i < h->n_recipients && i < STORE_MAX_RECIPIENTS; i++) {
        char hex[2 * STORE_KEYID_BYTES + 1];
        sodium_bin2hex(hex, sizeof hex, h->key_ids[i], STORE_KEYID_BYTES);
        its_appendf(out, STORE_KEY_IDS_TEXT, "%s%s", i ? "," : "", hex);
    }
}

/* Inside the write transaction: takes the next sequence number of this device, seals and signs
 * with it, inserts the row and advances the counter, so numbers have no gaps and survive a crash
 * (a rolled-back save uses none). */
static int insert_body(store *s, void *p, const char *what, its_err *err)
{
    insert_ctx *c = p;
    bool note = c->record_id != NULL;
    const char *counter = note ? "next_note_seq" : "next_record_seq";
    if (note && note_target_exists(s, c->record_id, what, err) != 0)
        return -1;
    const unsigned char *sign_sk;
    if (store_meta_get(s, counter, 1, &c->h->seq, err) != 0 || store_tx_sign_key(s, &sign_sk, err) != 0)
        return -1;
    const unsigned char *pks[2] = {s->worker_pk, s->recovery_pk};
    unsigned char *env = NULL;
    size_t env_len = 0;
    /* A result carries its list summary (format 3); a note does not need one. */
    char summary[STORE_ENV_SUMMARY_BYTES];
    const char *site = s->enrolled ? s->fleet.site : "";
    size_t summary_len = note ? 0 : store_summary_build(c->plain, c->plain_len, site, summary);
    int sealed = store_env_seal_summary(c->h, pks, 2, c->plain, c->plain_len,
                                        note ? NULL : (unsigned char *)summary, summary_len, sign_sk, &env,
                                        &env_len, err);
    sodium_memzero(summary, sizeof summary);
    if (sealed != 0)
        return -1;
    char key_ids[STORE_KEY_IDS_TEXT];
    store_key_ids_text(c->h, key_ids);
    const char *sql =
        note ? "INSERT INTO notes(id, created_at, device, key_ids, envelope, seq, record_id) "
               "VALUES(?, ?, ?, ?, ?, ?, ?)"
             : "INSERT INTO records(id, created_at, device, key_ids, envelope, seq) VALUES(?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, what, err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, c->h->created_at);
        sqlite3_bind_text(st, 3, c->h->device, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, key_ids, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 5, env, (int)env_len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, c->h->seq);
        if (note)
            sqlite3_bind_text(st, 7, c->record_id, -1, SQLITE_STATIC);
        rc = store_step_done(s, st, what, err);
    }
    free(env);
    /* Every save is in the signed audit chain with its id and seq (I14), in this transaction. */
    char detail[200];
    snprintf(detail, sizeof detail, "%s %s seq %lld device %s", note ? "note" : "record", c->id, c->h->seq,
             c->h->device);
    if (rc != 0 || store_meta_set(s, counter, c->h->seq + 1, what, err) != 0 ||
        store_audit_append(s, "save", detail, err) != 0)
        return -1;
    if (note)
        return 0;
    /* Submitting a result ends the draft, in the same transaction (I7); an enrolled device
     * queues it for the server in the same transaction too (I15). */
    return store_db_exec(s->db, "DELETE FROM draft", err, what) ||
           store_outbox_add_in_tx(s, c->id, what, err) ||
           store_programme_seal_in_tx(s, c->id, c->plain, c->plain_len, c->h->created_at, what, err);
}

void store_header_new(const store *s, store_env_header *h, const char *magic, long long at)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, magic, 4);
    randombytes_buf(h->uuid, sizeof h->uuid);
    h->uuid[6] = (unsigned char)((h->uuid[6] & 0x0f) | 0x40); /* UUID version 4 */
    h->uuid[8] = (unsigned char)((h->uuid[8] & 0x3f) | 0x80);
    h->created_at = at;
    its_strlcpy(h->device, s->device, sizeof h->device);
}

/* Seals payload (a note: prefixed with its record id) and inserts it; id gets the new UUID. */
static int seal_insert(store *s, const char *magic, const char *record_id, long long at,
                       const unsigned char *payload, size_t len, char id[37], its_err *err)
{
    const char *what = record_id ? "The note was not saved" : "The result was not saved";
    if (!payload || len == 0 || len > 16 * 1024 * 1024)
        return its_fail(err, "%s: it is empty or larger than 16 MiB.", what);
    store_env_header h;
    store_header_new(s, &h, magic, at);

    /* A note carries its record id inside the sealed payload, so it cannot be moved. */
    unsigned char *plain = (unsigned char *)payload;
    size_t plain_len = len;
    if (record_id) {
        plain_len = STORE_UUID_LEN + len;
        plain = malloc(plain_len);
        if (!plain)
            return its_fail_code(err, ITS_E_NO_MEMORY, "%s: out of memory.", what);
        memcpy(plain, record_id, STORE_UUID_LEN);
        memcpy(plain + STORE_UUID_LEN, payload, len);
    }
    insert_ctx c = {record_id, &h, plain, plain_len, ""};
    store_uuid_format(h.uuid, c.id);
    int rc = store_tx(s, insert_body, &c, what, err);
    if (plain != payload)
        store_payload_free(plain, plain_len);
    if (rc == 0 && id)
        memcpy(id, c.id, 37);
    return rc;
}

int store_save_result(store *s, const unsigned char *payload, size_t len, char record_id[37], its_err *err)
{
    if (seal_insert(s, STORE_ENV_MAGIC_RECORD, NULL, store_now(s), payload, len, record_id, err) != 0)
        return -1;
    /* Durable now: a failed shred must not make the UI send it twice; the next start retries. */
    store_draft_after_result(s, NULL);
    return 0;
}

int store_save_result_at(store *s, long long created_at, const unsigned char *payload, size_t len,
                         char record_id[37], its_err *err)
{
    return seal_insert(s, STORE_ENV_MAGIC_RECORD, NULL, created_at, payload, len, record_id, err);
}

int store_save_note(store *s, const char *record_id, const unsigned char *payload, size_t len, its_err *err)
{
    if (store_uuid_parse(record_id, (unsigned char[16]){0}) != 0)
        return its_fail(err, "The note was not saved: \"%s\" is not a record id.",
                        record_id ? record_id : "");
    return seal_insert(s, STORE_ENV_MAGIC_NOTE, record_id, store_now(s), payload, len, NULL, err);
}

/* ---- listing and opening ------------------------------------------------------------------- */

int store_collect(store *s, sqlite3_stmt *st, size_t elem, void (*fill)(sqlite3_stmt *, void *), void **out,
                  int *n, const char *what, its_err *err)
{
    int cap = 64, k = 0, rc = SQLITE_ROW;
    unsigned char *v = malloc((size_t)cap * elem);
    while (v && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            unsigned char *bigger = realloc(v, (size_t)cap * 2 * elem);
            if (!bigger)
                break;
            v = bigger;
            cap *= 2;
        }
        fill(st, v + (size_t)k++ * elem);
    }
    sqlite3_finalize(st);
    if (!v || rc == SQLITE_ROW) {
        free(v);
        return its_fail_code(err, ITS_E_NO_MEMORY, "%s: out of memory.", what);
    }
    if (rc != SQLITE_DONE) {
        free(v);
        return store_db_fail(s->db, rc, err, what);
    }
    *out = v;
    *n = k;
    return 0;
}

/* The digest covers every column of the row (id, created_at, device, key_ids, seq, envelope,
 * each length-prefixed), so a cache notices a changed clear column as an open does (I4). */
static void fill_info(sqlite3_stmt *st, void *p)
{
    store_record_info *r = p;
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *dev = (const char *)sqlite3_column_text(st, 2);
    its_strlcpy(r->id, id ? id : "", sizeof r->id);
    r->created_at = sqlite3_column_int64(st, 1);
    its_strlcpy(r->device, dev ? dev : "", sizeof r->device);
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, sizeof r->digest);
    for (int c = 0; c < 6; c++) {
        const unsigned char *v = sqlite3_column_blob(st, c); /* integers as their text */
        unsigned char len[4];
        size_t n = v ? (size_t)sqlite3_column_bytes(st, c) : 0;
        for (int i = 0; i < 4; i++)
            len[i] = (unsigned char)(n >> (24 - 8 * i));
        crypto_generichash_update(&h, len, sizeof len);
        crypto_generichash_update(&h, v ? v : len, n);
    }
    crypto_generichash_final(&h, r->digest, sizeof r->digest);
}

static int collect_info(store *s, sqlite3_stmt *st, store_record_info **out, int *n,
                        const char *what, its_err *err)
{
    void *v = NULL;
    int rc = store_collect(s, st, sizeof **out, fill_info, &v, n, what, err);
    *out = v;
    return rc;
}

/* Newest first, then by id, descending. */
static int newest_first(const void *a, const void *b)
{
    const store_record_info *x = a, *y = b;
    if (x->created_at != y->created_at)
        return x->created_at > y->created_at ? -1 : 1;
    return strcmp(y->id, x->id);
}

int store_list(store *s, store_record_info **out, int *n, its_err *err)
{
    const char *what = "The records could not be listed";
    sqlite3_stmt *st;
    /* Read in table order and sorted here: every envelope is read for its digest, and reading
     * them through the time index would jump to each row's pages in turn. */
    if (store_prepare(s, "SELECT id, created_at, device, envelope, key_ids, seq FROM records", &st, what,
                      err) != 0 ||
        collect_info(s, st, out, n, what, err) != 0)
        return -1;
    qsort(*out, (size_t)*n, sizeof **out, newest_first);
    return 0;
}

static void fill_record_id(sqlite3_stmt *st, void *p)
{
    const char *id = (const char *)sqlite3_column_text(st, 0);
    its_strlcpy(p, id ? id : "", 37);
}

int store_noted_records(store *s, char (**ids)[37], int *n, its_err *err)
{
    const char *what = "The notes could not be listed";
    sqlite3_stmt *st;
    void *v = NULL;
    if (store_prepare(s, "SELECT DISTINCT record_id FROM notes ORDER BY record_id", &st, what, err) != 0 ||
        store_collect(s, st, 37, fill_record_id, &v, n, what, err) != 0)
        return -1;
    *ids = v;
    return 0;
}

int store_list_notes(store *s, const char *record_id, store_record_info **out, int *n, its_err *err)
{
    const char *what = "The notes could not be listed";
    sqlite3_stmt *st;
    if (store_prepare(
            s,
            "SELECT id, created_at, device, envelope, key_ids, seq FROM notes WHERE record_id = ? "
            "ORDER BY created_at, id",
            &st, what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, record_id, -1, SQLITE_TRANSIENT);
    return collect_info(s, st, out, n, what, err);
}

/* The clear columns of a row must repeat its authenticated header (I4). */
static int row_matches(const store_env_header *h, bool note, const char *id, sqlite3_stmt *st, its_err *why)
{
    char hid[37];
    store_uuid_format(h->uuid, hid);
    const char *dev = (const char *)sqlite3_column_text(st, 1);
    const char *ids = (const char *)sqlite3_column_text(st, 5);
    char want_ids[STORE_KEY_IDS_TEXT];
    store_key_ids_text(h, want_ids);
    bool seq_ok = h->version == 1 ? sqlite3_column_type(st, 4) == SQLITE_NULL
                                  : sqlite3_column_type(st, 4) == SQLITE_INTEGER &&
                                        sqlite3_column_int64(st, 4) == h->seq;
    if (memcmp(h->magic, note ? STORE_ENV_MAGIC_NOTE : STORE_ENV_MAGIC_RECORD, 4) || strcmp(hid, id) ||
        h->created_at != sqlite3_column_int64(st, 0) || !dev || strcmp(h->device, dev) || !seq_ok || !ids ||
        strcmp(ids, want_ids))
        return its_fail(why, "its header does not match its database row (id, time, device, key ids or "
                             "sequence number was changed)");
    return 0;
}

/* The pinned key of one device, remembered across the records of one batch (store_open_summaries):
 * pins never change (a trigger refuses UPDATE), so a batch asks the database once per device. */
typedef struct pin_memo {
    char device[STORE_DEVICE_MAX + 1];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    int pinned; /* 1 pinned, 0 not */
} pin_memo;

static int device_pin(store *s, const char *device, pin_memo *memo, its_err *why)
{
    if (memo->device[0] && !strcmp(memo->device, device))
        return memo->pinned;
    memo->device[0] = '\0';
    int pinned = store_device_pinned(s, device, memo->pk, why);
    if (pinned >= 0) {
        its_strlcpy(memo->device, device, sizeof memo->device);
        memo->pinned = pinned;
    }
    return pinned;
}

/* Genuine means signed by the key pinned for the device its header names, or (format 1) on the
 * list this folder's device signed when it got its key, with the same bytes. */
static int signature_ok(store *s, const char *id, const unsigned char *env, size_t len,
                        const store_env_header *h, pin_memo *memo, its_err *why)
{
    int listed = h->version == 1 ? store_legacy_listed(s, id, env, len, why) : 0;
    if (listed != 0)
        return listed < 0 ? -1 : 0;
    int pinned = h->version == 1 ? 0 : device_pin(s, h->device, memo, why);
    if (pinned < 0)
        return -1;
    if (h->version >= 2 && !pinned)
        return its_fail(why, "no signing key is pinned for its device %s, so it cannot be told apart from "
                             "a forgery", h->device);
    return store_env_verify(env, len, memo->pk, NULL, why);
}

/* The list summary of a format 3 envelope, else (formats 1 and 2) the whole payload. */
static int open_summary(const unsigned char *env, size_t env_len, const store_key *key,
                        unsigned char **payload, size_t *len, its_err *why)
{
    unsigned char *out = malloc(STORE_ENV_SUMMARY_BYTES);
    if (!out)
        return its_fail_code(why, ITS_E_NO_MEMORY, "out of memory");
    store_env_header h;
    const unsigned char *pk, *sk; /* the worker's own key, a team epoch key, or the recovery key */
    int rc = store_env_parse(env, env_len, &h, why);
    if (rc == 0) {
        store_key_pair_for(key, &h, &pk, &sk);
        rc = store_env_open_summary(env, env_len, pk, sk, out, len, why);
    }
    if (rc == 0) {
        *payload = out;
        return 0;
    }
    free(out); /* nothing was decrypted into it */
    /* no summary (formats 1, 2), or it does not open: the whole record, which names why as
     * store_open_record does (a team epoch this worker does not hold, say) */
    return store_key_open(key, env, env_len, payload, len, why);
}

static const char *const open_sql[2] = {
    "SELECT created_at, device, envelope, NULL, seq, key_ids FROM records WHERE id = ?",
    "SELECT created_at, device, envelope, record_id, seq, key_ids FROM notes WHERE id = ?"};

/* Reads the row of id through st (open_sql, reset after) and opens its envelope after checking it
 * against the row and its signature against the pinned key of its device. */
static int open_row(store *s, const store_key *key, bool note, bool summary, sqlite3_stmt *st, const char *id,
                    pin_memo *memo, unsigned char **payload, size_t *len, its_err *err)
{
    const char *kind = note ? "Note" : "Record";
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        char what[128];
        snprintf(what, sizeof what, "%s %s could not be read", kind, id);
        return rc == SQLITE_DONE ? its_fail_code(err, ITS_E_NOT_FOUND, "There is no %s with id %s.",
                                                 note ? "note" : "record", id)
                                 : store_db_fail(s->db, rc, err, what);
    }
    const unsigned char *env = sqlite3_column_blob(st, 2);
    size_t env_len = (size_t)sqlite3_column_bytes(st, 2);
    const char *rec = (const char *)sqlite3_column_text(st, 3);
    store_env_header h;
    its_err why;
    rc = store_env_parse(env, env_len, &h, &why);
    if (rc == 0)
        rc = row_matches(&h, note, id, st, &why);
    if (rc == 0)
        rc = signature_ok(s, id, env, env_len, &h, memo, &why);
    if (rc == 0 && summary)
        rc = open_summary(env, env_len, key, payload, len, &why);
    else if (rc == 0)
        rc = store_key_open(key, env, env_len, payload, len, &why);
    if (rc == 0 && note && (*len < STORE_UUID_LEN || !rec || memcmp(*payload, rec, STORE_UUID_LEN))) {
        store_payload_free(*payload, *len);
        rc = its_fail(&why, "it was moved to another record");
    } else if (rc == 0 && note) {
        *len -= STORE_UUID_LEN;
        memmove(*payload, *payload + STORE_UUID_LEN, *len);
        sodium_memzero(*payload + *len, STORE_UUID_LEN); /* the moved tail's old copy */
    }
    sqlite3_reset(st);
    if (rc != 0)
        /* a database failure keeps its kind; any other reason means the record was altered */
        return its_fail_code(err, why.code > ITS_E_OTHER ? why.code : ITS_E_DAMAGED,
                             "%s %s cannot be opened: %s.", kind, id, why.msg);
    return 0;
}

static int open_sealed(store *s, const store_key *key, bool note, bool summary, const char *id,
                       unsigned char **payload, size_t *len, its_err *err)
{
    char what[128];
    snprintf(what, sizeof what, "%s %s could not be read", note ? "Note" : "Record", id ? id : "");
    if (!key || !id)
        return its_fail(err, "%s: unlock first.", what);
    sqlite3_stmt *st;
    if (store_prepare(s, open_sql[note], &st, what, err) != 0)
        return -1;
    pin_memo memo = {0};
    int rc = open_row(s, key, note, summary, st, id, &memo, payload, len, err);
    sqlite3_finalize(st);
    return rc;
}

int store_open_summaries(store *s, const store_key *key, const char *const *ids, int n,
                         store_summary_fn each, void *ctx, its_err *err)
{
    if (!key)
        return its_fail(err, "The records could not be read: unlock first.");
    sqlite3_stmt *st;
    if (store_prepare(s, open_sql[0], &st, "The records could not be read", err) != 0)
        return -1;
    pin_memo memo = {0};
    for (int i = 0; i < n; i++) {
        unsigned char *payload = NULL;
        size_t len = 0;
        its_err why = {0};
        if (ids[i] && open_row(s, key, false, true, st, ids[i], &memo, &payload, &len, &why) != 0)
            payload = NULL;
        if (ids[i])
            each(ctx, i, payload, len, &why);
    }
    sqlite3_finalize(st);
    return 0;
}

int store_open_record(store *s, const store_key *key, const char *id, unsigned char **payload, size_t *len,
                      its_err *err)
{
    return open_sealed(s, key, false, false, id, payload, len, err);
}

int store_open_record_summary(store *s, const store_key *key, const char *id, unsigned char **payload,
                              size_t *len, its_err *err)
{
    return open_sealed(s, key, false, true, id, payload, len, err);
}

int store_open_note(store *s, const store_key *key, const char *note_id, unsigned char **payload, size_t *len,
                    its_err *err)
{
    return open_sealed(s, key, true, false, note_id, payload, len, err);
}

int store_record_made_before_signing(store *s, const char *id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT seq IS NULL FROM records WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int before = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return before;
}

void store_payload_free(unsigned char *payload, size_t len)
{
    if (!payload)
        return;
    sodium_memzero(payload, len);
    free(payload);
}

/* ---- retention and checks ------------------------------------------------------------------ */

typedef struct retention_ctx {
    long long cutoff;
    int days;
    int deleted;
} retention_ctx;

/* One signed "retire" entry per row of st (kind, id, seq, device): a record or note deleted on
 * purpose (retention, or uploaded on a folder that does not keep uploaded records), so a
 * missing seq is told apart from a row deleted by someone else (I14). Finalizes st. */
int store_retire_log(store *s, sqlite3_stmt *st, const char *what, its_err *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char detail[200];
        const char *id = (const char *)sqlite3_column_text(st, 1);
        const char *dev = (const char *)sqlite3_column_text(st, 3);
        snprintf(detail, sizeof detail, "%s %s seq %lld device %s", sqlite3_column_text(st, 0), id ? id : "",
                 sqlite3_column_int64(st, 2), dev ? dev : "");
        if (store_audit_append(s, "retire", detail, err) != 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : store_db_fail(s->db, rc, err, what);
}

/* What retention deletes: records older than the cutoff that do not wait in the outbox. */
#define RETENTION_RECORDS \
    "SELECT id FROM records WHERE created_at < ?1 AND id NOT IN (SELECT record_id FROM outbox)"

static int retention_log(store *s, long long cutoff, const char *what, its_err *err)
{
    sqlite3_stmt *st;
    if (store_prepare(s,
                      "SELECT 'record', id, seq, device FROM records WHERE id IN (" RETENTION_RECORDS ") "
                      "UNION ALL SELECT 'note', id, seq, device FROM notes WHERE record_id IN ("
                      RETENTION_RECORDS ")",
                      &st, what, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, cutoff);
    return store_retire_log(s, st, what, err);
}

static int retention_body(store *s, void *p, const char *what, its_err *err)
{
    retention_ctx *c = p;
    sqlite3_stmt *st;
    if (retention_log(s, c->cutoff, what, err) != 0)
        return -1;
    /* A record still waiting for the server is never deleted here (I15). */
    if (store_prepare(s, "DELETE FROM notes WHERE record_id IN (" RETENTION_RECORDS ")", &st, what, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, c->cutoff);
    if (store_step_done(s, st, what, err) != 0 ||
        store_prepare(s, "DELETE FROM records WHERE id IN (" RETENTION_RECORDS ")", &st, what, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, c->cutoff);
    if (store_step_done(s, st, what, err) != 0)
        return -1;
    c->deleted = sqlite3_changes(s->db);
    char detail[128];
    snprintf(detail, sizeof detail, "retention: %d records older than %d days", c->deleted, c->days);
    return store_audit_append(s, "delete", detail, err);
}

int store_delete_older_than(store *s, const store_key *key, int days, int *deleted, its_err *err)
{
    if (!key)
        return its_fail(err, "Unlock with the worker or recovery key before deleting records.");
    if (days < 0 || days > 100 * 366)
        return its_fail(err, "The number of days must be from 0 to 36600.");
    retention_ctx c = {store_now(s) - (long long)days * 86400, days, 0};
    if (store_tx(s, retention_body, &c, "No records were deleted", err) != 0)
        return -1;
    if (deleted)
        *deleted = c.deleted;
    /* Caches summarise records: none may outlive the records it came from. */
    return c.deleted ? store_cache_remove_all(s, err) : 0;
}

int store_check_integrity(store *s, its_err *err)
{
    const char *what = "The database check could not run";
    sqlite3_stmt *st;
    if (store_prepare(s, "PRAGMA integrity_check", &st, what, err) != 0)
        return -1;
    int rc = sqlite3_step(st);
    const char *first = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    int ok = first && !strcmp(first, "ok");
    if (!ok && first)
        its_fail_code(err, ITS_E_DAMAGED, "The database is damaged: %s.", first);
    else if (!ok)
        store_db_fail(s->db, rc, err, what);
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}
