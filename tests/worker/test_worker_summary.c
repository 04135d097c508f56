/* test_worker_summary.c — the sealed list summary (envelope format 3) and the list built on it:
 *   - the summary and the whole record agree, field by field, for every record of a varied set;
 *   - a summary altered or moved from another record is named, as an altered record is;
 *   - a record without a summary (format 2, from a device of another version) is still listed;
 *   - the list cache notices a new record and a retention;
 *   - the list filters by site and device, and a client's trend and "worse than last time"
 *     join assessments from two devices. */
#include <time.h>

#include "worker_detail.h"
#include "worker_test.h"

#define DAY 86400LL

/* A second device of the team: its own signing key, pinned as the fleet server would pin it. */
typedef struct other_device {
    const char *name, *site;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    long long seq;
} other_device;

/* Seals a result on `d` (with its summary, or as format 2 without one) and inserts the row as a
 * pull would. Returns the result (new reference). */
static json_t *add_on(store *s, other_device *d, const qn *q, const char *client, long long at,
                      const char *answers, bool summary, char id[37])
{
    qn_session ss;
    its_err err = {0};
    char started[32], completed[32];
    time_t t1 = (time_t)at;
    strftime(completed, sizeof completed, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t1));
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t1));
    if (session_init(&ss, q, &err) != 0 || session_from_notation(&ss, answers, 1, &err) != 0)
        exit(2);
    result_meta meta = {.client = client, .started = started, .completed = completed, .device = d->name};
    json_t *res = result_build(&ss, &meta, NULL, 0, 0, &err);
    session_wipe(&ss);
    char *text = json_dumps(res, JSON_COMPACT), sum[STORE_ENV_SUMMARY_BYTES];
    size_t sum_len = store_summary_build((unsigned char *)text, strlen(text), d->site, sum);
    store_env_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, STORE_ENV_MAGIC_RECORD, 4);
    randombytes_buf(h.uuid, 16);
    h.uuid[6] = (unsigned char)((h.uuid[6] & 0x0f) | 0x40);
    h.created_at = at;
    h.seq = ++d->seq;
    its_strlcpy(h.device, d->name, sizeof h.device);
    const unsigned char *pks[2] = {s->worker_pk, s->recovery_pk};
    unsigned char *env = NULL;
    size_t len = 0;
    const unsigned char *with = summary ? (unsigned char *)sum : NULL;
    CHECK(store_env_seal_summary(&h, pks, 2, (unsigned char *)text, strlen(text), with, sum_len, d->sk, &env,
                                 &len, &err) == 0);
    CHECK_EQ_INT(h.version, summary ? 3 : 2);
    CHECK(env && test_insert_row(s->dir, &h, env, len, id) == 0);
    free(env);
    free(text);
    return res;
}

static void other_device_init(store *s, other_device *d, const char *name, const char *site)
{
    its_err err = {0};
    d->name = name;
    d->site = site;
    d->seq = 0;
    crypto_sign_keypair(d->pk, d->sk);
    CHECK(store_device_pin(s, name, d->pk, "server", &err) == 0);
}

static json_t *open_json(store *s, const store_key *k, const char *id, bool summary)
{
    unsigned char *p = NULL;
    size_t len = 0;
    its_err err = {0};
    int rc = summary ? store_open_record_summary(s, k, id, &p, &len, &err)
                     : store_open_record(s, k, id, &p, &len, &err);
    if (!CHECK(rc == 0)) {
        printf("  %s\n", err.msg);
        return NULL;
    }
    json_t *doc = json_loadb((const char *)p, len, 0, NULL);
    store_payload_free(p, len);
    return doc;
}

static bool same_member(const json_t *a, const json_t *b, const char *name)
{
    return json_equal(json_object_get(a, name), json_object_get(b, name)) ||
           (!json_object_get(a, name) && !json_object_get(b, name));
}

/* Every field the list reads, in the summary exactly as in the whole document. */
static void agree(const json_t *sum, const json_t *doc, const char *site)
{
    const json_t *sq = json_object_get(sum, "questionnaire"), *dq = json_object_get(doc, "questionnaire");
    CHECK(json_integer_value(json_object_get(sum, "summary")) == 1);
    CHECK(same_member(sq, dq, "id") && same_member(sq, dq, "version"));
    CHECK(same_member(sum, doc, "client") && same_member(sum, doc, "completed"));
    CHECK(same_member(sum, doc, "device") && same_member(sum, doc, "level"));
    CHECK_EQ_STR(json_string_value(json_object_get(sum, "site")), site);
    const json_t *sf = json_object_get(sum, "flags"), *df = json_object_get(doc, "flags");
    CHECK_EQ_INT((int)json_array_size(sf), (int)json_array_size(df));
    for (size_t i = 0; i < json_array_size(df); i++)
        CHECK(same_member(json_array_get(sf, i), json_array_get(df, i), "rule"));
    const json_t *ss = json_object_get(sum, "scores"), *ds = json_object_get(doc, "scores");
    const char *name;
    json_t *d;
    void *it = json_object_iter((json_t *)ss);
    json_object_foreach((json_t *)ds, name, d) {
        /* the same scores in the same order (an unknown questionnaire's headline is its first) */
        if (!CHECK(it && !strcmp(json_object_iter_key(it), name)))
            return;
        json_t *s = json_object_iter_value(it);
        CHECK(same_member(s, d, "value") && same_member(s, d, "percent"));
        const char *method = json_string_value(json_object_get(d, "method"));
        if (method && !strcmp(method, "sum") && json_is_integer(json_object_get(d, "divisor")))
            CHECK(same_member(s, d, "method") && same_member(s, d, "divisor"));
        it = json_object_iter_next((json_t *)ss, it);
    }
    CHECK(it == NULL);
}

/* 120 results of both WHODAS forms with pseudo-random answers (some refused), sealed the kiosk's
 * way (store_save_result builds the summary), each compared with its summary. */
static void test_agreement(wt_fixture *f, const store_key *k)
{
    unsigned r = 4242;
    char answers[200], id[37], client[16];
    for (int n = 0; n < 120; n++) {
        const qn *q = n % 3 == 0 ? f->q12 : f->q36;
        int items = q == f->q12 ? 12 : 36, base = n % 5;
        answers[0] = '\0';
        for (int i = 0; i < items; i++) {
            r = r * 1103515245u + 12345u;
            int v = base + (int)((r >> 16) % 3) - 1;
            static const char *const values[] = {"0", "1", "2", "3", "4"};
            its_appendf(answers, sizeof answers, "%s%s", i ? " " : "",
                        (r >> 8) % 23 == 0 ? "r" : values[v < 0 ? 0 : v > 4 ? 4 : v]);
        }
        snprintf(client, sizeof client, "AGR%03d", n % 17);
        json_decref(wt_add(f->s, q, client, 1700000000LL + n * DAY, answers, 1, NULL, id));
        json_t *sum = open_json(f->s, k, id, true), *doc = open_json(f->s, k, id, false);
        if (sum && doc)
            agree(sum, doc, "");
        json_decref(sum);
        json_decref(doc);
    }
}

static const worker_entry *entry_of(worker_session *ws, const char *id)
{
    return ws ? worker_entry_at(ws, worker_find(ws, id)) : NULL;
}

/* Flips one byte of the summary ciphertext of `id` (just after the sealed keys), or copies the
 * summary of `from` over it: either way the device signature no longer matches. */
static void alter_summary(const char *dir, const char *device, const char *id, const char *from)
{
    /* A = header 38 + D + 1 + 8R, nonce 24, sealed keys 80R (R = 2); SQL counts from 1 */
    int a = 38 + (int)strlen(device) + 1 + 16 + 24 + 160, sum = STORE_ENV_SUMMARY_BYTES + 16;
    char sql[700];
    if (from)
        snprintf(sql, sizeof sql,
                 "DROP TRIGGER IF EXISTS records_append_only;"
                 "UPDATE records SET envelope = substr(envelope, 1, %d) || "
                 "(SELECT substr(envelope, %d, %d) FROM records WHERE id = '%s') || "
                 "substr(envelope, %d) WHERE id = '%s';",
                 a, a + 1, sum, from, a + sum + 1, id);
    else
        snprintf(sql, sizeof sql,
                 "DROP TRIGGER IF EXISTS records_append_only;"
                 "UPDATE records SET envelope = substr(envelope, 1, %d) || "
                 "(CASE WHEN substr(envelope, %d, 1) = x'00' THEN x'01' ELSE x'00' END) || "
                 "substr(envelope, %d) WHERE id = '%s';",
                 a + 50, a + 51, a + 52, id);
    CHECK(test_sql(dir, sql) == 0);
}

static void test_forged_summary(void)
{
    wt_fixture f;
    wt_begin(&f, "forged-summary");
    char ids[3][37], buf[200];
    json_t *res[3];
    for (int i = 0; i < 3; i++)
        res[i] = wt_add(f.s, f.q12, "FORGE01", 1700000000LL + i * DAY,
                        wt_same(buf, sizeof buf, 12, i ? "3" : "0"), 1, NULL, ids[i]);
    alter_summary(f.dir, store_device_id(f.s), ids[0], NULL);
    alter_summary(f.dir, store_device_id(f.s), ids[1], ids[2]);
    its_err err = {0};
    worker_session *ws = wt_open(f.dir, TEST_PASS, &err);
    for (int i = 0; i < 2; i++) {
        const worker_entry *e = entry_of(ws, ids[i]);
        CHECK(e && e->status == WORKER_ENTRY_UNREADABLE && e->error &&
              strstr(e->error, ids[i]) && strstr(e->error, "signature does not match"));
    }
    const worker_entry *e = entry_of(ws, ids[2]);
    CHECK(e && e->status == WORKER_ENTRY_OK);
    worker_session_lock(ws);
    store_close(f.s);
    wt_end(&f, res, 3);
}

static worker_counts list_filtered(worker_session *ws, const char *site, const char *device)
{
    worker_filter flt = worker_filter_all();
    flt.site = site;
    flt.device = device;
    int *rows = NULL;
    worker_counts c = {0};
    its_err err = {0};
    CHECK(worker_list(ws, &flt, &rows, &c, &err) == 0);
    free(rows);
    return c;
}

/* A format 2 record (no summary) from a device of an older version, a format 3 one from another
 * site, the cache after a new record and after retention, the site and device filters, and one
 * client's trend across the two devices. */
static void test_two_devices(void)
{
    wt_fixture f;
    wt_begin(&f, "two-devices");
    other_device b;
    other_device_init(f.s, &b, "kiosk-b", "north");
    char ids[6][37], buf[200];
    long long now = (long long)time(NULL);
    json_t *res[6];
    res[0] = wt_add(f.s, f.q36, "TWO0001", now - 30 * DAY, wt_same(buf, sizeof buf, 36, "0"), 1, NULL,
                    ids[0]);
    res[1] = add_on(f.s, &b, f.q36, "TWO0001", now - 20 * DAY, wt_same(buf, sizeof buf, 36, "2"), true,
                    ids[1]);
    res[2] = add_on(f.s, &b, f.q12, "OLD0002", now - 10 * DAY, wt_same(buf, sizeof buf, 12, "1"), false,
                    ids[2]);

    its_err err = {0};
    worker_session *ws = wt_open(f.dir, TEST_PASS, &err);
    if (!CHECK(ws != NULL)) {
        printf("  %s\n", err.msg);
        return;
    }
    const worker_entry *e = entry_of(ws, ids[2]); /* format 2: listed from the whole record */
    CHECK(e && e->status == WORKER_ENTRY_OK && !strcmp(e->client, "OLD0002") &&
          !strcmp(e->qid, "whodas12-style"));
    CHECK(e && e->site[0] == '\0' && !strcmp(e->device, "kiosk-b"));
    e = entry_of(ws, ids[1]);
    CHECK(e && !strcmp(e->site, "north") && !strcmp(e->device, "kiosk-b"));
    /* worse than last time across devices: overall 0 on this kiosk, then 50 on kiosk-b */
    CHECK(e && strstr(e->flags, "Y5") != NULL);
    CHECK_EQ_INT(list_filtered(ws, "north", NULL).shown, 1);
    CHECK_EQ_INT(list_filtered(ws, NULL, "kiosk-b").shown, 2);
    CHECK_EQ_INT(list_filtered(ws, NULL, store_device_id(f.s)).shown, 1);
    CHECK_EQ_INT(list_filtered(ws, "south", NULL).shown, 0);
    worker_trend t;
    CHECK(worker_trend_build(ws, "two0001", &t, &err) == 0);
    CHECK_EQ_INT(t.n_series, 1);
    CHECK(t.n_series == 1 && t.series[0].n_points == 2);
    worker_trend_free(&t);
    worker_session_lock(ws);

    /* the cache: a later unlock lists the same; a new record and a retention are noticed */
    res[3] = add_on(f.s, &b, f.q12, "NEW0003", now - DAY, wt_same(buf, sizeof buf, 12, "4"), true,
                    ids[3]);
    ws = wt_open(f.dir, TEST_PASS, &err);
    e = entry_of(ws, ids[3]);
    CHECK(ws && worker_count(ws) == 4 && e && e->status == WORKER_ENTRY_OK && !strcmp(e->client, "NEW0003"));
    worker_session_lock(ws);
    store_key *key = NULL;
    int deleted = 0;
    CHECK(store_unlock(f.s, TEST_PASS, &key, &err) == 0);
    CHECK(store_delete_older_than(f.s, key, 25, &deleted, &err) == 0);
    CHECK_EQ_INT(deleted, 1);
    store_lock(key);
    ws = wt_open(f.dir, TEST_PASS, &err);
    CHECK(ws && worker_count(ws) == 3 && worker_find(ws, ids[0]) < 0);
    worker_session_lock(ws);
    /* a row deleted behind the store's back stays named, cache or not */
    char sql[300];
    snprintf(sql, sizeof sql, "DELETE FROM records WHERE id = '%s';", ids[3]);
    CHECK(test_sql(f.dir, sql) == 0);
    ws = wt_open(f.dir, TEST_PASS, &err);
    int missing = 0;
    for (int i = 0; ws && i < worker_count(ws); i++)
        missing += worker_entry_at(ws, i)->status == WORKER_ENTRY_MISSING &&
                   !strcmp(worker_entry_at(ws, i)->device, "kiosk-b");
    CHECK_EQ_INT(missing, 1);
    worker_session_lock(ws);
    store_close(f.s);
    wt_end(&f, res, 4);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    wt_fixture f;
    wt_begin(&f, "summary");
    its_err err = {0};
    store_key *k = NULL;
    CHECK(store_unlock(f.s, TEST_PASS, &k, &err) == 0);
    test_agreement(&f, k);
    store_lock(k);
    store_close(f.s);
    wt_end(&f, NULL, 0);
    test_forged_summary();
    test_two_devices();
    return check_summary();
}
