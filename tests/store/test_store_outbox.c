/* test_store_outbox.c — the store's side of the fleet (docs/fleet-protocol.md 3, 5, 6, 8):
 * an enrolled kiosk folder queues each record in the transaction that saves it (I9); a record
 * leaves the outbox only on stored/duplicate, a conflict stays with its sentence (I10);
 * keep_uploaded false deletes after upload; retention never deletes a waiting record; the
 * signed audit head verifies; a pulled page and its cursor commit together and a page sent
 * again adds nothing (I11); a worker folder gets a signed keys bundle at init and again at
 * unlock when it was lost. Real SQLite, real libsodium, temporary folders. */
#include "store_test.h"
#include "fleet.h"

#include <jansson.h>

static int outbox_count(store *s)
{
    int n = -1;
    its_err err;
    CHECK(store_outbox_count(s, &n, &err) == 0);
    return n;
}

static int record_count(const char *dir)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_DB_FILE);
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM records", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

/* An enrolled kiosk folder sealing to the worker folder's keys, as link_enrol makes it. */
static store *make_enrolled(const char *base, store *worker, char dir[600])
{
    store_enrolment e;
    memset(&e, 0, sizeof e);
    memcpy(e.worker_pk, worker->worker_pk, 32);
    memcpy(e.recovery_pk, worker->recovery_pk, 32);
    store *s = test_make_enrolled(base, &e, "kiosk-test", dir);
    unsigned char pk[32], sk[64];
    crypto_sign_seed_keypair(pk, sk, e.sign_seed);
    CHECK(memcmp(store_device_sign_public_key(s), pk, 32) == 0); /* the key the server was given */
    return s;
}

static void save(store *s, int i, char id[37])
{
    char p[512];
    size_t n = test_payload(p, sizeof p, i);
    its_err err;
    CHECK(store_save_result(s, (const unsigned char *)p, n, id, &err) == 0);
}

static void test_enrolled_config(const char *dir, store *k)
{
    const store_fleet *f = store_fleet_get(k);
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_EQ_STR(f->team, "north");
    CHECK_EQ_STR(f->site, "clinic-a");
    CHECK(f->keep_uploaded);
    char ca[700];
    snprintf(ca, sizeof ca, "%s/server-ca.pem", dir);
    CHECK_EQ_STR(f->ca_file, ca);
    CHECK(test_file_has(ca, "synthetic", 9) == 1);
}

static void test_outbox(store *k, const char *dir)
{
    char a[37], b[37], c[37];
    save(k, 1, a);
    CHECK_EQ_INT(outbox_count(k), 1);
    its_err err;
    char id[37];
    CHECK(store_save_result(k, (const unsigned char *)"", 0, id, &err) != 0); /* refused save */
    CHECK_EQ_INT(outbox_count(k), 1);
    save(k, 2, b);
    save(k, 3, c);
    store_outbox_item *it = NULL;
    int n = 0;
    CHECK(store_outbox_take(k, 2, &it, &n, &err) == 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_STR(it[0].id, a); /* oldest first */
        store_env_header h;
        CHECK(store_env_parse(it[0].env, it[0].len, &h, &err) == 0);
    }
    store_outbox_items_free(it, n);
    store_outbox_result r[3] = {{a, "stored", ""}, {b, "conflict", "Another record has this id."},
                                {c, "duplicate", ""}};
    CHECK(store_outbox_settle(k, r, 3, &err) == 0);
    CHECK_EQ_INT(outbox_count(k), 1);
    CHECK_EQ_INT(record_count(dir), 3); /* keep_uploaded: nothing deleted */
    CHECK(store_outbox_take(k, 200, &it, &n, &err) == 0);
    CHECK_EQ_INT(n, 0); /* the conflict waits for a person, it is not sent again */
    store_outbox_items_free(it, n);
    store_outbox_entry *e = NULL;
    CHECK(store_outbox_problems(k, &e, &n, &err) == 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK_EQ_STR(e[0].id, b);
        CHECK_EQ_STR(e[0].status, "conflict");
        CHECK_EQ_STR(e[0].message, "Another record has this id.");
    }
    free(e);
}

static void test_audit_head(store *k)
{
    fleet_audit_head h = {0};
    its_err err;
    CHECK(store_audit_head(k, &h.seq, h.hash, h.sig, &err) == 0);
    h.present = true;
    CHECK(h.seq > 0);
    CHECK(fleet_audit_head_verify(store_device_id(k), &h, store_device_sign_public_key(k)));
    h.seq++;
    CHECK(!fleet_audit_head_verify(store_device_id(k), &h, store_device_sign_public_key(k)));
}

/* keep_uploaded false: a stored record is deleted with its outbox row, and that is logged. */
static void test_delete_after_upload(const char *dir)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_CONFIG_FILE);
    json_t *cfg = json_load_file(path, 0, NULL);
    json_object_set_new(json_object_get(cfg, "fleet"), "keep_uploaded", json_false());
    CHECK(json_dump_file(cfg, path, 0) == 0);
    json_decref(cfg);
    store *k = NULL;
    its_err err;
    CHECK(store_open(dir, &k, &err) == 0);
    if (!k)
        return;
    int before = record_count(dir);
    char id[37];
    save(k, 4, id);
    store_outbox_result r = {id, "stored", ""};
    CHECK(store_outbox_settle(k, &r, 1, &err) == 0);
    CHECK_EQ_INT(record_count(dir), before);
    store_audit_entry *a = NULL;
    int n = 0;
    CHECK(store_audit_list(k, &a, &n, &err) == 0);
    CHECK(n > 1 && !strcmp(a[n - 1].event, "delete") && !strcmp(a[n - 2].event, "retire"));
    free(a);
    /* deleted on purpose, with its signed "retire" entry: not reported missing */
    store_damage *d = NULL;
    CHECK(store_check_complete(k, NULL, &d, &n, &err) == 0);
    CHECK_EQ_INT(n, 0);
    free(d);
    store_close(k);
}

/* A page as the server sends it, from the kiosk's stored envelopes. */
static void page_from(const char *kdir, fleet_pull_page *p, long long first)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", kdir, STORE_DB_FILE);
    sqlite3 *db;
    sqlite3_stmt *st;
    memset(p, 0, sizeof *p);
    p->records = calloc(16, sizeof *p->records);
    sqlite3_open(path, &db);
    sqlite3_prepare_v2(db, "SELECT device, envelope FROM records ORDER BY rowid", -1, &st, NULL);
    while (p->n < 16 && sqlite3_step(st) == SQLITE_ROW) {
        fleet_pulled *r = &p->records[p->n++];
        r->cursor = first + p->n - 1;
        its_strlcpy(r->device, (const char *)sqlite3_column_text(st, 0), sizeof r->device);
        r->len = (size_t)sqlite3_column_bytes(st, 1);
        r->env = malloc(r->len);
        memcpy(r->env, sqlite3_column_blob(st, 1), r->len);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    p->next = first + p->n;
}

static void test_pull(store *w, const char *wdir, const char *kdir, const unsigned char kpk[32])
{
    its_err err;
    fleet_pull_page p;
    page_from(kdir, &p, 10);
    int added = -1;
    long long cursor = -1;
    CHECK(store_pull_cursor(w, &cursor, &err) == 0 && cursor == 0);
    CHECK(store_pull_commit(w, &p, &added, &err) == 0);
    CHECK_EQ_INT(added, p.n);
    CHECK(store_pull_cursor(w, &cursor, &err) == 0 && cursor == p.next);
    CHECK(store_pull_commit(w, &p, &added, &err) == 0); /* the same page again: nothing twice */
    CHECK_EQ_INT(added, 0);
    CHECK_EQ_INT(record_count(wdir), p.n);
    store_key *key = NULL;
    CHECK(store_unlock(w, TEST_PASS, &key, &err) == 0);
    unsigned char *payload = NULL;
    size_t len = 0;
    char id[37];
    store_env_header h;
    CHECK(store_env_parse(p.records[0].env, p.records[0].len, &h, &err) == 0);
    store_uuid_format(h.uuid, id);
    CHECK(store_open_record(w, key, id, &payload, &len, &err) != 0); /* no pinned key yet */
    CHECK(store_device_pin(w, "kiosk-test", kpk, "server", &err) == 0);
    CHECK(store_open_record(w, key, id, &payload, &len, &err) == 0);
    bool found = false;
    for (size_t i = 0; payload && i + 20 <= len && !found; i++)
        found = !memcmp(payload + i, "SECRET-ANSWER-MARKER", 20);
    CHECK(found);
    store_payload_free(payload, len);
    store_lock(key);
    /* a page whose envelope is not the named device's is refused whole, the cursor unmoved */
    its_strlcpy(p.records[0].device, "kiosk-other", sizeof p.records[0].device);
    p.next += 100;
    CHECK(store_pull_commit(w, &p, &added, &err) != 0);
    CHECK(store_pull_cursor(w, &cursor, &err) == 0 && cursor == p.next - 100);
    fleet_page_free(&p);
}

static void test_bundle(store *w, const char *wdir)
{
    char path[700];
    snprintf(path, sizeof path, "%s/keys-bundle.json", wdir);
    size_t len = 0;
    char *text = its_read_file(path, &len, NULL);
    fleet_bundle b;
    its_err err;
    CHECK(text && fleet_bundle_parse(text, len, &b, &err) == 0);
    free(text);
    CHECK(memcmp(b.worker_pk, w->worker_pk, 32) == 0);
    CHECK(w->has_worker_sign_pk && memcmp(b.signer_pk, w->worker_sign_pk, 32) == 0);
    /* lost: written again at the next unlock, the same signer */
    CHECK(remove(path) == 0);
    store_key *key = NULL;
    CHECK(store_unlock(w, TEST_PASS, &key, &err) == 0);
    store_lock(key);
    text = its_read_file(path, &len, NULL);
    fleet_bundle again;
    CHECK(text && fleet_bundle_parse(text, len, &again, &err) == 0 &&
          !memcmp(again.signer_pk, b.signer_pk, 32));
    free(text);
    CHECK(store_bundle_set_team(wdir, "north", &err) == 0);
    char team[64];
    CHECK(store_team(w, team, sizeof team, &err) == 0);
    CHECK_EQ_STR(team, "north");
}

int main(void)
{
    char base[512], wdir[600], kdir[600];
    test_tmpdir(base);
    store *w = test_make_store(base, "worker", wdir);
    test_bundle(w, wdir);
    store *k = make_enrolled(base, w, kdir);
    test_enrolled_config(kdir, k);
    test_outbox(k, kdir);
    test_audit_head(k);
    unsigned char kpk[32];
    memcpy(kpk, store_device_sign_public_key(k), 32);
    store_close(k);
    test_delete_after_upload(kdir);
    test_pull(w, wdir, kdir, kpk);
    /* a folder that is not enrolled has no outbox traffic */
    char id[37];
    save(w, 9, id);
    CHECK_EQ_INT(outbox_count(w), 0);
    store_close(w);
    test_rm_rf(base);
    return check_summary();
}
