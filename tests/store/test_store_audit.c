/* The audit chain detects an edited, removed or reordered entry and names it; retention deletes
 * old records and logs it; the passphrase changes without touching records; notes are sealed
 * and bound to their record; the schema migrates forward from version 1 and is append-only. */
#include "store_test.h"

#include <jansson.h>
#include <sys/stat.h>
#include <time.h>

static char base[512];

static store *audited_store(const char *name, char dir[600])
{
    store *s = test_make_store(base, name, dir);
    its_err err = {0};
    for (int i = 0; i < 5; i++) {
        char detail[32];
        snprintf(detail, sizeof detail, "record %d", i);
        CHECK(store_audit(s, "view", detail, &err) == 0);
    }
    return s; /* entries: 1 init, 2 device_pin, 3..7 view */
}

static void verify_says(store *s, int want_bad, const char *want_what)
{
    int entries = 0, bad = 0;
    char what[300];
    its_err err = {0};
    int rc = store_audit_verify(s, &entries, &bad, what, sizeof what, &err);
    CHECK_EQ_INT(rc, want_bad ? 1 : 0);
    CHECK_EQ_INT(bad, want_bad);
    CHECK_EQ_STR(what, want_what);
}

static void tamper(const char *dir, const char *sql)
{
    char full[600];
    snprintf(full, sizeof full,
             "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; %s",
             sql);
    CHECK(test_sql(dir, full) == 0);
}

static void test_chain(void)
{
    char dir[600];
    its_err err = {0};
    store *s = audited_store("chain-ok", dir);
    verify_says(s, 0, "7 entries, chain intact and signed");
    CHECK(store_audit(s, "View", "", &err) == -1);
    CHECK(test_sql(dir, "UPDATE audit SET detail = 'x' WHERE seq = 3") == -1);
    CHECK(test_sql(dir, "DELETE FROM audit WHERE seq = 3") == -1);
    store_close(s);

    /* Each tampering, done with the triggers dropped, and what verify must say. */
    static const struct {
        const char *name, *sql;
        int bad;
        const char *what;
    } cases[] = {
        {"edited", "UPDATE audit SET detail = 'record 99' WHERE seq = 4",
         4, "entry 4 (view) was edited: its contents do not match its hash"},
        {"removed", "DELETE FROM audit WHERE seq = 3", 3, "entry 3 is missing (removed) before entry 4"},
        {"removed-two", "DELETE FROM audit WHERE seq IN (2, 3)",
         2, "entries 2 to 3 are missing (removed) before entry 4"},
        {"reordered", "UPDATE audit SET seq = 100 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 4;"
                      "UPDATE audit SET seq = 4 WHERE seq = 100;",
         3, "entry 3 is out of order: it was written after entry 4 (reordered)"},
        /* removed and renumbered so that no number is missing */
        {"renumbered", "DELETE FROM audit WHERE seq = 3; UPDATE audit SET seq = seq - 1 WHERE seq > 3;",
         3, "entry 3 does not follow entry 2: an entry between them was removed or entry 2 was rewritten"},
        {"rehashed", "UPDATE audit SET hash = zeroblob(32) WHERE seq = 6",
         6, "entry 6 (view) was edited: its contents do not match its hash"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s = audited_store(cases[i].name, dir);
        tamper(dir, cases[i].sql);
        verify_says(s, cases[i].bad, cases[i].what);
        store_close(s);
    }

    /* Edited with its hash recomputed (the algorithm is public): the next entry no longer
     * follows it. */
    s = audited_store("rehashed-by-hand", dir);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(s->db, "SELECT prev, at FROM audit WHERE seq = 4", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    unsigned char hash[32], hex[65];
    store_audit_hash(sqlite3_column_blob(st, 0), sqlite3_column_int64(st, 1), "view", "record 99", hash);
    sqlite3_finalize(st);
    sodium_bin2hex((char *)hex, sizeof hex, hash, sizeof hash);
    char sql[300];
    snprintf(sql, sizeof sql, "UPDATE audit SET detail = 'record 99', hash = x'%s' WHERE seq = 4", hex);
    tamper(dir, sql);
    verify_says(s, 5,
                "entry 5 does not follow entry 4: an entry between them was removed or entry 4 was "
                "rewritten");
    store_close(s);

    /* Edited and every later hash recomputed too: the chain holds, but the signatures (keyed by
     * the device key, which the editor lacks) do not. */
    s = audited_store("rehashed-to-the-end", dir);
    tamper(dir, "UPDATE audit SET detail = 'record 99' WHERE seq = 4");
    unsigned char prev[32];
    for (int seq = 4; seq <= 7; seq++) {
        CHECK(sqlite3_prepare_v2(s->db, "SELECT prev, at, event, detail FROM audit WHERE seq = ?", -1, &st,
                                 NULL) == SQLITE_OK);
        sqlite3_bind_int(st, 1, seq);
        CHECK(sqlite3_step(st) == SQLITE_ROW);
        if (seq == 4)
            memcpy(prev, sqlite3_column_blob(st, 0), 32);
        store_audit_hash(prev, sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2),
                         (const char *)sqlite3_column_text(st, 3), hash);
        sqlite3_finalize(st);
        char pv[65];
        sodium_bin2hex(pv, sizeof pv, prev, 32);
        sodium_bin2hex((char *)hex, sizeof hex, hash, sizeof hash);
        snprintf(sql, sizeof sql, "UPDATE audit SET prev = x'%s', hash = x'%s' WHERE seq = %d", pv, hex, seq);
        CHECK(sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK);
        memcpy(prev, hash, 32);
    }
    verify_says(s, 4,
                "entry 4 (view) is not signed by this device's key: the log was rewritten from there by "
                "someone without the device key");
    store_close(s);
}

static void test_retention(void)
{
    char dir[600];
    store *s = test_make_store(base, "retention", dir);
    its_err err = {0};
    long long day = 86400, now = 1800000000;
    char ids[10][37];
    for (int i = 0; i < 10; i++) /* ages 0, 40, 80, ... 360 days */
        CHECK(store_save_result_at(s, now - i * 40 * day, (const unsigned char *)"{}", 2, ids[i], &err) == 0);
    CHECK(store_save_note(s, ids[9], (const unsigned char *)"agree", 5, &err) == 0);
    store_set_now(s, now);
    int deleted = -1;
    CHECK(store_delete_older_than(s, NULL, 100, &deleted, &err) == -1);
    CHECK_EQ_STR(err.msg, "Unlock with the worker or recovery key before deleting records.");
    store_key *k = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    CHECK(store_delete_older_than(s, k, -1, &deleted, &err) == -1);
    CHECK(store_delete_older_than(s, k, 100, &deleted, &err) == 0);
    CHECK_EQ_INT(deleted, 7); /* 120 ... 360 days */
    store_record_info *list = NULL, *notes = NULL;
    int n = 0, nn = -1;
    CHECK(store_list(s, &list, &n, &err) == 0);
    CHECK_EQ_INT(n, 3);
    free(list);
    CHECK(store_list_notes(s, ids[9], &notes, &nn, &err) == 0);
    CHECK_EQ_INT(nn, 0);
    free(notes);
    store_audit_entry *log = NULL;
    CHECK(store_audit_list(s, &log, &n, &err) == 0);
    CHECK(n > 0 && !strcmp(log[n - 1].event, "delete"));
    if (n > 0)
        CHECK_EQ_STR(log[n - 1].detail, "retention: 7 records older than 100 days");
    free(log);
    /* init, device_pin, 11 saves, unlock, 8 retire (7 records, 1 note), delete */
    verify_says(s, 0, "23 entries, chain intact and signed");
    /* What retention deleted is logged, so it is not reported missing, with or without a key. */
    store_damage *d = NULL;
    int nd = -1;
    CHECK(store_check_complete(s, NULL, &d, &nd, &err) == 0);
    CHECK_EQ_INT(nd, 0);
    free(d);
    CHECK(store_check_complete(s, k, &d, &nd, &err) == 0);
    CHECK_EQ_INT(nd, 0);
    free(d);
    store_lock(k);
    store_close(s);
}

/* A listing and the records it names are one moment's (issue 15, point 10): retention in
 * another connection deletes records after the list was read, and every listed one still opens
 * inside the read snapshot; after it, the list is the new one. */
static void test_read_snapshot(void)
{
    char dir[600];
    store *s = test_make_store(base, "snapshot", dir), *other = NULL;
    its_err err = {0};
    long long day = 86400, now = (long long)time(NULL);
    for (int i = 0; i < 10; i++)
        CHECK(store_save_result_at(s, now - i * 40 * day, (const unsigned char *)"{}", 2, NULL, &err) == 0);
    store_key *k = NULL, *k2 = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    CHECK(store_open(dir, &other, &err) == 0);
    CHECK(store_unlock(other, TEST_PASS, &k2, &err) == 0);
    store_record_info *list = NULL;
    int n = 0, deleted = 0, opened = 0;
    CHECK(store_read_begin(s, &err) == 0);
    CHECK(store_list(s, &list, &n, &err) == 0);
    CHECK_EQ_INT(n, 10);
    CHECK(store_delete_older_than(other, k2, 100, &deleted, &err) == 0);
    CHECK_EQ_INT(deleted, 7);
    for (int i = 0; i < n; i++) {
        unsigned char *p = NULL;
        size_t len = 0;
        opened += store_open_record(s, k, list[i].id, &p, &len, &err) == 0;
        store_payload_free(p, len);
    }
    CHECK_EQ_INT(opened, 10);
    store_read_end(s);
    free(list);
    CHECK(store_list(s, &list, &n, &err) == 0);
    CHECK_EQ_INT(n, 3);
    free(list);
    store_lock(k);
    store_lock(k2);
    store_close(other);
    store_close(s);
}

static void test_passphrase_and_notes(void)
{
    char dir[600];
    store *s = test_make_store(base, "passwd", dir);
    its_err err = {0};
    char id[37];
    CHECK(store_save_result(s, (const unsigned char *)"{\"r\":1}", 7, id, &err) == 0);
    CHECK(store_save_note(s, id, (const unsigned char *)"{\"agree\":true}", 14, &err) == 0);
    CHECK(store_save_note(s, "not-an-id", (const unsigned char *)"x", 1, &err) == -1);
    CHECK_EQ_STR(err.msg, "The note was not saved: \"not-an-id\" is not a record id.");

    CHECK(store_change_passphrase(s, "wrong passphrase", "new passphrase 2", STORE_KDF_MIN, &err) == -1);
    CHECK_EQ_STR(err.msg, "Wrong passphrase.");
    CHECK(store_change_passphrase(s, TEST_PASS, "short", STORE_KDF_MIN, &err) == -1);
    CHECK_EQ_STR(err.msg, "The new passphrase must be at least 8 characters long.");
    CHECK(store_change_passphrase(s, TEST_PASS, "new passphrase 2", STORE_KDF_MIN, &err) == 0);
    store_key *k = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == -1);
    CHECK(store_unlock(s, "new passphrase 2", &k, &err) == 0);
    unsigned char *p = NULL;
    size_t len = 0;
    CHECK(store_open_record(s, k, id, &p, &len, &err) == 0);
    CHECK(len == 7 && memcmp(p, "{\"r\":1}", 7) == 0);
    store_payload_free(p, len);

    store_record_info *notes = NULL;
    int n = 0;
    CHECK(store_list_notes(s, id, &notes, &n, &err) == 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK(store_open_note(s, k, notes[0].id, &p, &len, &err) == 0);
        CHECK(len == 14 && memcmp(p, "{\"agree\":true}", 14) == 0);
        store_payload_free(p, len);
        /* A note moved to another record is refused. */
        char other[37], sql[300], want[300];
        CHECK(store_save_result(s, (const unsigned char *)"{}", 2, other, &err) == 0);
        snprintf(sql, sizeof sql, "DROP TRIGGER notes_append_only; UPDATE notes SET record_id = '%s'", other);
        CHECK(test_sql(dir, sql) == 0);
        CHECK(store_open_note(s, k, notes[0].id, &p, &len, &err) == -1);
        snprintf(want, sizeof want, "Note %s cannot be opened: it was moved to another record.", notes[0].id);
        CHECK_EQ_STR(err.msg, want);
        /* A note is not a record. */
        CHECK(store_open_record(s, k, notes[0].id, &p, &len, &err) == -1);
    }
    free(notes);
    store_lock(k);
    store_close(s);
}

static void test_schema(void)
{
    char dir[600], path[700];
    store *s = test_make_store(base, "schema", dir);
    /* Durability settings as promised. */
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "wal"));
    sqlite3_finalize(st);
    CHECK(sqlite3_prepare_v2(s->db, "PRAGMA synchronous", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 2); /* FULL */
    sqlite3_finalize(st);
    store_close(s);

    /* A version-1 database (made by an older program) migrates forward on open, data kept. */
    snprintf(path, sizeof path, "%s/store.db", dir);
    remove(path);
    its_err err = {0};
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(store_db_migrate(db, 1, &err) == 0);
    sqlite3_close(db);
    CHECK(test_sql(dir, "INSERT INTO audit(at, event, detail, prev, hash) VALUES(1, 'x', '', "
                        "zeroblob(32), zeroblob(32))") == 0);
    CHECK(store_open(dir, &s, &err) == 0);
    if (!s)
        return;
    CHECK(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == STORE_SCHEMA_VERSION);
    sqlite3_finalize(st);
    /* The config's device key is pinned into the new, empty devices table, and logged. */
    CHECK(sqlite3_prepare_v2(s->db, "SELECT group_concat(event) FROM audit", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW &&
          !strcmp((const char *)sqlite3_column_text(st, 0), "x,device_pin"));
    sqlite3_finalize(st);
    char id[37];
    CHECK(store_save_result(s, (const unsigned char *)"{}", 2, id, &err) == 0);
    CHECK(store_save_note(s, id, (const unsigned char *)"{}", 2, &err) == 0);
    store_close(s);

    /* Schema 3 as first merged had no audit.sig: such a database gets it on open, and works. */
    CHECK(test_sql(dir, "ALTER TABLE audit DROP COLUMN sig") == 0);
    CHECK(store_open(dir, &s, &err) == 0);
    if (!s)
        return;
    CHECK(store_save_result(s, (const unsigned char *)"{}", 2, id, &err) == 0);
    long long head = 0;
    unsigned char hash[32], sig[64];
    CHECK(store_audit_head(s, &head, hash, sig, &err) == 0 && head > 1);
    /* The head is signed as docs/fleet-protocol.md section 5 says, checkable with the public key. */
    char b64[64], text[256];
    sodium_bin2base64(b64, sizeof b64, hash, 32, sodium_base64_VARIANT_ORIGINAL);
    int tlen = snprintf(text, sizeof text, "itsearvio-audit-head-v1\ntest-station\n%lld\n%s\n", head, b64);
    CHECK(crypto_sign_verify_detached(sig, (const unsigned char *)text, (size_t)tlen,
                                      store_device_sign_public_key(s)) == 0);
    store_close(s);
}

/* A folder made before signatures: config.json without device_sign_public_key, no key file, a
 * schema 2 database holding a format 1 record. The first open gives it a key (0600, in the
 * config, pinned, logged); the old record is named unsigned; new records are signed, seq 1, 2. */
static void test_upgrade_to_signatures(void)
{
    char dir[600], path[700], keyfile[700], rec[37];
    store *s = test_make_store(base, "upgrade", dir);
    unsigned char wpk[32], rpk[32];
    memcpy(wpk, s->worker_pk, 32);
    memcpy(rpk, s->recovery_pk, 32);
    store_close(s);
    snprintf(path, sizeof path, "%s/config.json", dir);
    json_t *cfg = json_load_file(path, 0, NULL);
    json_object_del(cfg, "device_sign_public_key");
    json_object_del(cfg, "worker_sign_public_key");
    CHECK(json_dump_file(cfg, path, JSON_INDENT(2)) == 0);
    json_decref(cfg);
    snprintf(keyfile, sizeof keyfile, "%s/device-sign.key", dir);
    CHECK(remove(keyfile) == 0);
    snprintf(path, sizeof path, "%s/store.db", dir);
    remove(path);
    its_err err = {0};
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(store_db_migrate(db, 2, &err) == 0);
    sqlite3_close(db);
    store_env_header h = {.magic = "ITSR", .created_at = 1600000000, .device = "test-station"};
    randombytes_buf(h.uuid, 16);
    const unsigned char *pks[2] = {wpk, rpk};
    size_t len;
    unsigned char *env = test_seal_v1(&h, pks, "{}", 2, &len);
    store_key_id(wpk, h.key_ids[0]);
    store_key_id(rpk, h.key_ids[1]);
    CHECK(test_insert_row(dir, &h, env, len, rec) == 0);
    free(env);

    CHECK(store_open(dir, &s, &err) == 0);
    if (!s)
        return;
    struct stat st;
    CHECK(stat(keyfile, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size == 32);
    CHECK(s->has_sign_pk);
    unsigned char pinned[32];
    CHECK(store_device_pinned(s, "test-station", pinned, &err) == 1 && !memcmp(pinned, s->sign_pk, 32));
    store_audit_entry *log = NULL;
    int n = 0, made = 0;
    CHECK(store_audit_list(s, &log, &n, &err) == 0);
    for (int i = 0; i < n; i++)
        made += !strcmp(log[i].event, "device_key");
    free(log);
    CHECK_EQ_INT(made, 1);
    char id1[37], id2[37], want[300];
    CHECK(store_save_result(s, (const unsigned char *)"{}", 2, id1, &err) == 0);
    CHECK(store_save_result(s, (const unsigned char *)"{}", 2, id2, &err) == 0);
    store_close(s);
    /* A second open changes nothing; the key is read back from config.json. */
    CHECK(store_open(dir, &s, &err) == 0);
    if (!s)
        return;
    store_key *k = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    unsigned char *p = NULL;
    size_t plen = 0;
    CHECK(store_open_record(s, k, rec, &p, &plen, &err) == -1);
    snprintf(want, sizeof want, "Record %s cannot be opened: it is unsigned (envelope format 1).", rec);
    CHECK_EQ_STR(err.msg, want);
    CHECK(store_open_record(s, k, id2, &p, &plen, &err) == 0);
    store_payload_free(p, plen);
    /* The unlock wrote the worker signing key's public half, derived from the worker key. */
    unsigned char wspk[32], *wssk = sodium_malloc(64), got[32];
    CHECK(store_worker_sign_keypair(k, wspk, wssk, &err) == 0);
    sodium_free(wssk);
    snprintf(path, sizeof path, "%s/config.json", dir);
    cfg = json_load_file(path, 0, NULL);
    CHECK(store_b64_decode(json_string_value(json_object_get(cfg, "worker_sign_public_key")), got, 32) == 0 &&
          !memcmp(got, wspk, 32));
    json_decref(cfg);
    sqlite3_stmt *q;
    CHECK(sqlite3_prepare_v2(s->db, "SELECT group_concat(seq) FROM (SELECT seq FROM records WHERE seq "
                                    "IS NOT NULL ORDER BY seq)", -1, &q, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(q) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(q, 0), "1,2"));
    sqlite3_finalize(q);
    store_lock(k);
    store_close(s);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    test_tmpdir(base);
    test_chain();
    test_retention();
    test_read_snapshot();
    test_passphrase_and_notes();
    test_schema();
    test_upgrade_to_signatures();
    test_rm_rf(base);
    return check_summary();
}
