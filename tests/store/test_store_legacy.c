/* test_store_legacy.c — records from before signatures stay readable after the upgrade, and
 * only those: a folder written the old way (format 1 envelopes, no device key) is opened by the
 * new code, which lists its records in a signed "legacy" audit entry; the worker and recovery
 * keys open them, marked as made before signing; a format 1 record added afterwards, one whose
 * bytes were replaced, or one added to the list by hand is named unsigned. */
#include <sys/stat.h>

#include "store_test.h"

static char base[512];

static void opens(store *s, store_key *k, const char *id, bool note, bool before)
{
    unsigned char *p = NULL;
    size_t len = 0;
    its_err err = {0};
    int rc = note ? store_open_note(s, k, id, &p, &len, &err) : store_open_record(s, k, id, &p, &len, &err);
    if (!CHECK_EQ_INT(rc, 0))
        fprintf(stderr, "  %s\n", err.msg);
    store_payload_free(p, len);
    if (!note)
        CHECK_EQ_INT(store_record_made_before_signing(s, id), before);
}

static void named_unsigned(store *s, store_key *k, const char *id)
{
    unsigned char *p = NULL;
    size_t len = 0;
    its_err err = {0};
    char want[300];
    CHECK(store_open_record(s, k, id, &p, &len, &err) == -1);
    snprintf(want, sizeof want, "Record %s cannot be opened: it is unsigned (envelope format 1).", id);
    CHECK_EQ_STR(err.msg, want);
}

static store_env_header old_header(const char *magic, long long at)
{
    store_env_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, magic, 4);
    randombytes_buf(h.uuid, 16);
    h.created_at = at;
    its_strlcpy(h.device, "test-station", sizeof h.device);
    return h;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The detail of the first "legacy" audit entry ("" when there is none); how many there are. */
static int legacy_entries(store *s, char *detail, size_t n)
{
    store_audit_entry *log = NULL;
    int count = 0, found = 0;
    its_err err = {0};
    CHECK(store_audit_list(s, &log, &count, &err) == 0);
    detail[0] = '\0';
    for (int i = 0; i < count; i++)
        if (!strcmp(log[i].event, "legacy") && found++ == 0)
            its_strlcpy(detail, log[i].detail, n);
    free(log);
    return found;
}

/* Inserts audit entry 0, "legacy", naming the list hash (docs/storage.md) of the legacy table as
 * it is now, hashed correctly but signed with a key that is not the device's. */
static void forge_statement(const char *dir)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_DB_FILE);
    sqlite3 *db;
    sqlite3_stmt *st;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "SELECT id, digest FROM legacy ORDER BY id", -1, &st, NULL) == SQLITE_OK);
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, 32);
    crypto_generichash_update(&hs, (const unsigned char *)"itsearvio-legacy-v1\n", 20);
    int n = 0;
    for (; sqlite3_step(st) == SQLITE_ROW; n++) {
        crypto_generichash_update(&hs, sqlite3_column_text(st, 0), 36);
        crypto_generichash_update(&hs, (const unsigned char *)"\n", 1);
        crypto_generichash_update(&hs, sqlite3_column_blob(st, 1), 32);
    }
    sqlite3_finalize(st);
    unsigned char list[32], prev[32] = {0}, hash[32], sig[64], pk[32], sk[64];
    crypto_generichash_final(&hs, list, 32);
    char b64[64], detail[200];
    store_b64_encode(list, 32, b64, sizeof b64);
    snprintf(detail, sizeof detail, "%d records and notes made before signatures, list hash %s", n, b64);
    store_audit_hash(prev, 1600000000, "legacy", detail, hash);
    crypto_sign_keypair(pk, sk);
    crypto_sign_detached(sig, NULL, hash, 32, sk);
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO audit(seq, at, event, detail, prev, hash, sig) "
                                 "VALUES(0, 1600000000, 'legacy', ?, ?, ?, ?)", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, prev, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, sig, 64, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_upgrade_keeps_old_records(void)
{
    char dir[600], rec[700], ids[3][37], note[37], late[37], detail[256];
    unsigned char wpk[32], rpk[32];
    test_make_old_folder(base, "old", dir, wpk, rpk);
    for (int i = 0; i < 3; i++) {
        store_env_header h = old_header(STORE_ENV_MAGIC_RECORD, 1600000000 + i);
        char payload[1024];
        size_t n = test_payload(payload, sizeof payload, i);
        CHECK(test_insert_v1(dir, NULL, &h, wpk, rpk, payload, n, ids[i]) == 0);
    }
    char npay[64];
    snprintf(npay, sizeof npay, "%sagree", ids[0]); /* a note's payload starts with its record id */
    store_env_header nh = old_header(STORE_ENV_MAGIC_NOTE, 1600000100);
    CHECK(test_insert_v1(dir, ids[0], &nh, wpk, rpk, npay, strlen(npay), note) == 0);

    /* The first open by the new code: device key, and the signed list of the 4 old envelopes. */
    store *s = NULL;
    its_err err = {0};
    CHECK(store_open(dir, &s, &err) == 0);
    if (!s)
        return;
    CHECK_EQ_INT(legacy_entries(s, detail, sizeof detail), 1);
    CHECK(starts(detail, "4 records and notes made before signatures, list hash "));
    char saved[37];
    CHECK(store_save_result(s, (const unsigned char *)"{}", 2, saved, &err) == 0);
    store_close(s);

    /* Worker and recovery keys both open every old record and the old note, marked legacy. */
    CHECK(store_open(dir, &s, &err) == 0);
    store_key *k = NULL, *r = NULL;
    snprintf(rec, sizeof rec, "%s/old-recovery.json", base);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    CHECK(store_unlock_recovery(s, rec, &r, &err) == 0);
    for (int i = 0; i < 3; i++) {
        opens(s, k, ids[i], false, true);
        opens(s, r, ids[i], false, true);
    }
    opens(s, k, note, true, true);
    opens(s, r, saved, false, false);

    /* A format 1 record written after the upgrade (same device, old time) is not on the list. */
    store_env_header h = old_header(STORE_ENV_MAGIC_RECORD, 1600000003);
    CHECK(test_insert_v1(dir, NULL, &h, wpk, rpk, "{}", 2, late) == 0);
    named_unsigned(s, k, late);

    /* An old record replaced by other format 1 bytes under the same id, time and device. */
    char sql[200], same[37];
    snprintf(sql, sizeof sql, "DELETE FROM records WHERE id = '%s'", ids[1]);
    CHECK(test_sql(dir, sql) == 0);
    h = old_header(STORE_ENV_MAGIC_RECORD, 1600000001);
    CHECK(store_uuid_parse(ids[1], h.uuid) == 0);
    CHECK(test_insert_v1(dir, NULL, &h, wpk, rpk, "{}", 2, same) == 0);
    CHECK_EQ_STR(same, ids[1]);
    named_unsigned(s, k, ids[1]);
    opens(s, k, ids[0], false, true); /* the others still open */
    store_lock(k);
    store_lock(r);
    store_close(s);

    /* The late record added to the list by hand: the list no longer matches its signed hash, so
     * it vouches for nothing (the late one stays unsigned; so do the genuine old ones). */
    bool got = false;
    snprintf(sql, sizeof sql, "INSERT INTO legacy(id, digest) SELECT id, zeroblob(32) FROM records WHERE "
             "id = '%s'", late);
    CHECK(test_sql(dir, sql) == 0);
    CHECK(store_open(dir, &s, &err) == 0);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(s->db, "SELECT envelope FROM records WHERE id = ?", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, late, -1, SQLITE_STATIC);
    if (CHECK(sqlite3_step(st) == SQLITE_ROW)) {
        unsigned char digest[32];
        crypto_generichash(digest, 32, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), NULL,
                           0);
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, digest, 32);
        snprintf(sql, sizeof sql, "UPDATE legacy SET digest = x'%s' WHERE id = '%s'", hex, late);
        got = true;
    }
    sqlite3_finalize(st);
    CHECK(got && test_sql(dir, sql) == 0); /* the right digest: still not vouched for */
    named_unsigned(s, k, late);
    named_unsigned(s, k, ids[2]);
    store_lock(k);
    store_close(s);

    /* ... nor by a "legacy" entry put in front of the chain for the edited list, with its hash
     * right (the formula is public) but without the device's signature. */
    forge_statement(dir);
    CHECK(store_open(dir, &s, &err) == 0);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    named_unsigned(s, k, late);
    store_lock(k);
    store_close(s);
}

/* A second upgrade (config.json stripped of its key again, as someone with write access could)
 * signs no second list: the record added after the first one stays unsigned. */
static void test_no_second_list(void)
{
    char dir[600], old[37], late[37], detail[256];
    unsigned char wpk[32], rpk[32];
    test_make_old_folder(base, "twice", dir, wpk, rpk);
    store_env_header h = old_header(STORE_ENV_MAGIC_RECORD, 1600000000);
    CHECK(test_insert_v1(dir, NULL, &h, wpk, rpk, "{}", 2, old) == 0);
    store *s = NULL;
    its_err err = {0};
    CHECK(store_open(dir, &s, &err) == 0);
    store_close(s);
    h = old_header(STORE_ENV_MAGIC_RECORD, 1600000001);
    CHECK(test_insert_v1(dir, NULL, &h, wpk, rpk, "{}", 2, late) == 0);
    char path[700];
    snprintf(path, sizeof path, "%s/config.json", dir);
    json_t *cfg = json_load_file(path, 0, NULL);
    json_object_del(cfg, "device_sign_public_key");
    CHECK(json_dump_file(cfg, path, JSON_INDENT(2)) == 0);
    json_decref(cfg);
    CHECK(store_open(dir, &s, &err) == 0);
    if (!s)
        return;
    CHECK_EQ_INT(legacy_entries(s, detail, sizeof detail), 1);
    store_key *k = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    opens(s, k, old, false, true);
    named_unsigned(s, k, late);
    store_lock(k);
    store_close(s);
}

/* A folder made by init signs an empty list: a format 1 record put in later never opens. */
static void test_new_folder_empty_list(void)
{
    char dir[600], forged[37], detail[256];
    store *s = test_make_store(base, "new", dir);
    CHECK_EQ_INT(legacy_entries(s, detail, sizeof detail), 1);
    CHECK(starts(detail, "0 records and notes made before signatures, list hash "));
    store_env_header h = old_header(STORE_ENV_MAGIC_RECORD, 1600000000);
    CHECK(test_insert_v1(dir, NULL, &h, s->worker_pk, s->recovery_pk, "{}", 2, forged) == 0);
    store_key *k = NULL;
    its_err err = {0};
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    named_unsigned(s, k, forged);
    store_lock(k);
    store_close(s);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    test_tmpdir(base);
    test_upgrade_keeps_old_records();
    test_no_second_list();
    test_new_folder_empty_list();
    test_rm_rf(base);
    return check_summary();
}
