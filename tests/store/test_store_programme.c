/* test_store_programme.c — programme summaries (store/programme.c, docs/storage.md "Programme
 * summaries"): sealed with every result to the programme key only; opened by that key and no
 * other; the worker key and the programme key each open only their own; a wrong passphrase is
 * refused; no client code inside; one pseudonym per client across devices that share the
 * pseudonym secret, and a different one with another secret; a referral update linked by ref;
 * an altered summary left out; the kiosk cannot read what it sealed. */
#include "store_test.h"

#define PKEY_PASS "programme passphrase"

static char base[512];

static json_t *result_doc(const char *client, const char *level, double value)
{
    return json_pack("{s:i, s:{s:s, s:s}, s:s, s:[{s:s, s:s}], s:s, s:{s:{s:s, s:s, s:f, s:f, s:b},"
                     " s:{s:s, s:s, s:f}, s:{s:s, s:s}}, s:{s:s}}",
                     "format", 1, "questionnaire", "id", "whodas12-style", "version", "1.0.0",
                     "client", client, "flags", "rule", "R1", "level", level, "level", level,
                     "scores", "simple", "status", "ok", "method", "sum", "value", value, "percent",
                     value * 100 / 48, "higher_is_better", 0, "d1", "status", "ok", "method",
                     "recode", "value", 60.0, "d2", "status", "not_scored", "method", "sum",
                     "consent", "research", "yes");
}

static void save(store *s, const char *client, const char *level, double value, long long at,
                 char id[37])
{
    json_t *r = result_doc(client, level, value);
    char *text = json_dumps(r, JSON_COMPACT);
    its_err err = {0};
    CHECK(store_save_result_at(s, at, (unsigned char *)text, strlen(text), id, &err) == 0);
    free(text);
    json_decref(r);
}

static json_t **open_all(store *s, const store_key *k, int *n)
{
    store_programme_item *items;
    its_err err = {0};
    if (store_programme_read(s, k, &items, n, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        *n = 0;
        return NULL;
    }
    json_t **docs = calloc((size_t)*n + 1, sizeof *docs);
    for (int i = 0; i < *n; i++)
        docs[i] =
            items[i].payload ? json_loadb((char *)items[i].payload, items[i].len, 0, NULL) : NULL;
    store_programme_items_free(items, *n);
    return docs;
}

static void docs_free(json_t **d, int n)
{
    for (int i = 0; i < n; i++)
        json_decref(d[i]);
    free(d);
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The summary's fields, and nothing of the client code. */
static void test_fields(json_t *d)
{
    CHECK_EQ_STR(str(d, "kind"), "summary");
    CHECK_EQ_STR(str(d, "questionnaire"), "whodas12-style");
    CHECK_EQ_STR(str(d, "version"), "1.0.0");
    CHECK_EQ_STR(str(d, "month"), "2026-03");
    CHECK_EQ_STR(str(d, "site"), "kiosk-a");
    CHECK_EQ_STR(str(d, "level"), "red");
    CHECK_EQ_STR(str(d, "research_consent"), "yes");
    CHECK_EQ_STR(json_string_value(json_array_get(json_object_get(d, "flags"), 0)), "R1");
    json_t *total = json_object_get(d, "total");
    CHECK_EQ_STR(str(total, "score"), "simple");
    CHECK_EQ_STR(str(total, "band"), "moderate"); /* 20/48 = 41.7 % */
    CHECK_NEAR(json_number_value(json_object_get(total, "value")), 20.0, 1e-9);
    CHECK_EQ_STR(str(json_object_get(d, "domains"), "d1"), "severe");
    CHECK(json_is_null(json_object_get(json_object_get(d, "domains"), "d2")));
    CHECK_EQ_INT(strlen(str(d, "pseudonym")), 32);
    char *text = json_dumps(d, JSON_COMPACT);
    CHECK(strstr(text, "SYN7KQ4") == NULL && strstr(text, "syn7kq4") == NULL);
    free(text);
}

/* The summary of a result on its own: consent not asked yet, bands at their edges, a score where
 * higher is better turned round, no client code, no pseudonym of "". */
static void test_summary_alone(void)
{
    unsigned char secret[STORE_PROGRAMME_SECRET_BYTES] = {1};
    json_t *r =
        json_pack("{s:{s:s, s:s}, s:s, s:s, s:{s:{s:s, s:s, s:f, s:b}}}", "questionnaire", "id",
                  "q", "version", "2", "client", "SYN7KQ4", "level", "none", "scores", "wa",
                  "status", "ok", "method", "mean100", "value", 80.0, "higher_is_better", 1);
    json_t *sum = store_programme_summary(r, "site-x", 1772409600,
                                          "00000000-0000-4000-8000-000000000001", secret);
    CHECK_EQ_STR(str(sum, "research_consent"), "not_asked");
    CHECK_EQ_STR(str(json_object_get(sum, "total"), "band"), "mild"); /* 100 - 80 = 20 */
    char *text = json_dumps(sum, JSON_COMPACT);
    CHECK(text && !strstr(text, "SYN7KQ4"));
    free(text);
    json_object_set_new(r, "client", json_string(""));
    json_t *a = store_programme_summary(r, "x", 0, "id", secret),
           *b = store_programme_summary(r, "x", 0, "id", secret);
    CHECK(strcmp(str(a, "pseudonym"), str(b, "pseudonym")) != 0); /* no code: linked to nothing */
    json_decref(a);
    json_decref(b);
    json_decref(sum);
    json_decref(r);
    CHECK_EQ_STR(store_programme_band(4.99), "none");
    CHECK_EQ_STR(store_programme_band(5), "mild");
    CHECK_EQ_STR(store_programme_band(25), "moderate");
    CHECK_EQ_STR(store_programme_band(50), "severe");
    CHECK_EQ_STR(store_programme_band(95.99), "severe");
    CHECK_EQ_STR(store_programme_band(96), "complete");
}

int main(void)
{
    test_summary_alone();
    test_tmpdir(base);
    its_err err = {0};
    char wdir[600], kdir[600], key_file[700], other_key[700], id[37], id2[37];
    store *w = test_make_store(base, "worker", wdir);
    snprintf(key_file, sizeof key_file, "%s/programme.key", base);
    CHECK(store_programme_init(wdir, key_file, "short", STORE_KDF_MIN, &err) == -1);
    CHECK(store_programme_init(wdir, key_file, PKEY_PASS, STORE_KDF_MIN, &err) == 0);
    store_close(w);

    /* A kiosk made from the worker folder takes part too (init --keys-from). */
    snprintf(kdir, sizeof kdir, "%s/kiosk", base);
    store_init_opts ko = {
        .mode = STORE_KIOSK, .device_id = "kiosk-a", .keys_from = wdir, .kdf = STORE_KDF_MIN};
    CHECK(store_init(kdir, &ko, &err) == 0);
    store *k = NULL;
    CHECK(store_open(kdir, &k, &err) == 0 && store_programme_enabled(k));
    long long march = 1772409600; /* 2026-03-02 */
    save(k, "SYN7KQ4", "red", 20, march, id);
    save(k, "SYN7KQ4", "red", 20, march + 86400, id2);
    save(k, "OTHER99", "red", 20, march + 2 * 86400, id2);
    store_close(k);
    /* the kiosk's own data is in the worker folder's db only when copied: read the kiosk folder */
    CHECK(store_open(kdir, &k, &err) == 0);

    store_key *pk = NULL, *bad = NULL;
    CHECK(store_programme_unlock(key_file, "wrong passphrase", &bad, &err) == -1);
    CHECK_EQ_INT(err.code, ITS_E_WRONG_PASSPHRASE);
    CHECK(bad == NULL);
    CHECK(store_programme_unlock(key_file, PKEY_PASS, &pk, &err) == 0);

    int n = 0;
    json_t **d = open_all(k, pk, &n);
    CHECK_EQ_INT(n, 3);
    for (int i = 0; d && i < n; i++)
        CHECK(d[i] != NULL);
    if (d && d[0]) {
        test_fields(d[0]);
        /* One client, one pseudonym; another client, another. */
        CHECK_EQ_STR(str(d[0], "pseudonym"), str(d[1], "pseudonym"));
        CHECK(strcmp(str(d[0], "pseudonym"), str(d[2], "pseudonym")) != 0);
        CHECK(strcmp(str(d[0], "ref"), str(d[1], "ref")) != 0);
    }

    /* The programme key opens no record; the worker key opens no summary. */
    unsigned char *payload = NULL;
    size_t len = 0;
    CHECK(store_open_record(k, pk, id, &payload, &len, &err) == -1);
    store *ws = NULL;
    store_key *wk = NULL;
    CHECK(store_open(wdir, &ws, &err) == 0 && store_unlock(ws, TEST_PASS, &wk, &err) == 0);
    store_programme_item *items = NULL;
    int ni = 0;
    CHECK(store_programme_read(k, wk, &items, &ni, &err) == -1);
    /* The raw envelope does not open with the worker key either (it is not a recipient). */
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(k->db, "SELECT envelope FROM programme LIMIT 1", -1, &st, NULL) ==
          SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK(store_env_open(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), wk->pk,
                         wk->sk, &payload, &len, &err) == -1);
    sqlite3_finalize(st);
    /* A worker key file is not a programme key (and the other way round). */
    char wkey[700];
    snprintf(wkey, sizeof wkey, "%s/worker.key", wdir);
    CHECK(store_programme_unlock(wkey, TEST_PASS, &bad, &err) == -1 && err.code == ITS_E_DAMAGED);

    /* The same client on another kiosk of the programme: the same pseudonym. */
    char k2dir[600];
    snprintf(k2dir, sizeof k2dir, "%s/kiosk2", base);
    store_init_opts ko2 = {
        .mode = STORE_KIOSK, .device_id = "kiosk-b", .keys_from = wdir, .kdf = STORE_KDF_MIN};
    store *k2 = NULL;
    CHECK(store_init(k2dir, &ko2, &err) == 0 && store_open(k2dir, &k2, &err) == 0);
    save(k2, "SYN7KQ4", "yellow", 10, march, id2);
    int n2 = 0;
    json_t **d2 = open_all(k2, pk, &n2);
    CHECK_EQ_INT(n2, 1);
    if (d && d2 && d2[0] && d[0])
        CHECK_EQ_STR(str(d2[0], "pseudonym"), str(d[0], "pseudonym"));
    docs_free(d2, n2);
    store_close(k2);

    /* Another programme (another secret): another pseudonym for the same code. */
    char k3dir[600];
    snprintf(k3dir, sizeof k3dir, "%s/kiosk3", base);
    snprintf(other_key, sizeof other_key, "%s/other.key", base);
    store_init_opts ko3 = {
        .mode = STORE_KIOSK, .device_id = "kiosk-c", .keys_from = kdir, .kdf = STORE_KDF_MIN};
    store *k3 = NULL;
    CHECK(store_init(k3dir, &ko3, &err) == 0);
    CHECK(store_programme_init(k3dir, other_key, PKEY_PASS, STORE_KDF_MIN, &err) == 0);
    store_key *pk3 = NULL;
    CHECK(store_open(k3dir, &k3, &err) == 0 &&
          store_programme_unlock(other_key, PKEY_PASS, &pk3, &err) == 0);
    save(k3, "SYN7KQ4", "red", 20, march, id2);
    int n3 = 0;
    json_t **d3 = open_all(k3, pk3, &n3);
    CHECK_EQ_INT(n3, 1);
    if (d && d3 && d3[0] && d[0])
        CHECK(strcmp(str(d3[0], "pseudonym"), str(d[0], "pseudonym")) != 0);
    docs_free(d3, n3);
    /* The first programme's key opens nothing of the other programme. */
    d3 = open_all(k3, pk, &n3);
    CHECK(n3 == 1 && d3 && d3[0] == NULL);
    docs_free(d3, n3);
    store_lock(pk3);
    store_close(k3);

    /* A referral: an update with the same ref as the record's summary, the decision only. */
    CHECK(store_programme_referral(k, id, "maybe", &err) == -1);
    CHECK(store_programme_referral(k, id, "referred", &err) == 0);
    docs_free(d, n);
    d = open_all(k, pk, &n);
    CHECK_EQ_INT(n, 4);
    json_t *upd = NULL;
    for (int i = 0; d && i < n; i++)
        if (d[i] && !strcmp(str(d[i], "kind"), "referral"))
            upd = d[i];
    CHECK(upd != NULL);
    if (upd && d[0]) {
        CHECK_EQ_STR(str(upd, "ref"), str(d[0], "ref"));
        CHECK_EQ_STR(str(upd, "decision"), "referred");
    }

    /* An altered summary is left out (no payload); the others still open. */
    CHECK(sqlite3_exec(k->db, "DROP TRIGGER programme_append_only", NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(k->db,
                       "UPDATE programme SET envelope = substr(envelope, 1, 200) || x'00' || "
                       "substr(envelope, 202) WHERE seq = 1",
                       NULL, NULL, NULL) == SQLITE_OK);
    docs_free(d, n);
    d = open_all(k, pk, &n);
    int opened = 0;
    for (int i = 0; d && i < n; i++)
        opened += d[i] != NULL;
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_INT(opened, 3);
    docs_free(d, n);

    /* Nothing in the kiosk folder holds the client code in the clear. */
    char path[700];
    snprintf(path, sizeof path, "%s/store.db", kdir);
    CHECK_EQ_INT(test_file_has(path, "SYN7KQ4", 7), 0);
    snprintf(path, sizeof path, "%s/config.json", kdir);
    CHECK_EQ_INT(test_file_has(path, "programme_public_key", 20), 1);

    store_lock(wk);
    store_close(ws);
    store_lock(pk);
    store_close(k);
    test_rm_rf(base);
    return check_summary();
}
