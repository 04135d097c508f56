/* programme.c — the de-identified programme summary (docs/storage.md, "Programme summaries").
 *
 * When a folder has a programme key (config.json programme_public_key, and the pseudonym secret
 * DIR/programme-pseudonym.key), every result saved is followed, in the same transaction, by a
 * summary sealed to the programme key alone (envelope magic ITSP, its own sequence numbers, row
 * in table `programme`): the worker and recovery keys cannot open it, the programme key opens
 * nothing else. A referral decision recorded later adds a sealed update linked to the summary by
 * `ref`, a keyed hash of the record id that the analyst cannot turn back into the id.
 *
 * The summary names no client: the client code becomes a pseudonym, BLAKE2b-128 keyed with the
 * programme's pseudonym secret, so reassessments of one client link across devices while the
 * code itself never leaves the record. The kiosk cannot read a client's earlier results, so the
 * assessment's number for that client is worked out by the report from the pseudonym and the
 * sealed time, never counted on the device (a per-client counter would be a readable list of
 * visits on a stolen kiosk). */
#include "store_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PSEUDONYM_BYTES 16

/* ---- the summary of one result ------------------------------------------------------------ */

/* A keyed hash (hex) of a context word and a text: the pseudonym of a client code, or the ref of
 * a record id. */
static void keyed_hex(const unsigned char *secret, const char *context, const char *text,
                      char out[2 * PSEUDONYM_BYTES + 1])
{
    unsigned char h[PSEUDONYM_BYTES];
    crypto_generichash_state st;
    crypto_generichash_init(&st, secret, STORE_PROGRAMME_SECRET_BYTES, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)context, strlen(context));
    crypto_generichash_update(&st, (const unsigned char *)text, strlen(text));
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 2 * PSEUDONYM_BYTES + 1, h, sizeof h);
}

const char *store_programme_band(double difficulty)
{
    return difficulty < 5    ? "none"
           : difficulty < 25 ? "mild"
           : difficulty < 50 ? "moderate"
           : difficulty < 96 ? "severe"
                             : "complete";
}

/* A computed score's band on the 0-100 "how much difficulty" scale (percent for sum scores,
 * the value for recode and mean100, turned round when higher is better); NULL for the others. */
static const char *score_band(json_t *sc)
{
    const char *method = json_string_value(json_object_get(sc, "method"));
    json_t *v = json_object_get(sc, method && !strcmp(method, "sum") ? "percent" : "value");
    if (!method || !strcmp(method, "item") || !json_is_number(v))
        return NULL;
    double d = json_number_value(v);
    return store_programme_band(json_is_true(json_object_get(sc, "higher_is_better")) ? 100 - d
                                                                                      : d);
}

/* research consent as the consent screen stores it ("consent": {"research": "yes"|"no"} or a
 * boolean); "not_asked" before it exists. */
static const char *consent_of(json_t *result)
{
    json_t *r = json_object_get(json_object_get(result, "consent"), "research");
    const char *t = json_string_value(r);
    if (json_is_boolean(r))
        return json_is_true(r) ? "yes" : "no";
    return t && (!strcmp(t, "yes") || !strcmp(t, "no")) ? t : "not_asked";
}

/* Total (the first score of the questionnaire, its headline) and domain bands. */
static void add_scores(json_t *sum, json_t *scores)
{
    json_t *domains = json_object(), *total = json_null();
    const char *id;
    json_t *sc;
    bool first = true;
    json_object_foreach(scores, id, sc)
    {
        const char *status = json_string_value(json_object_get(sc, "status"));
        bool ok = status && !strcmp(status, "ok");
        const char *band = ok ? score_band(sc) : NULL;
        if (!first) {
            json_object_set_new(domains, id, band ? json_string(band) : json_null());
            continue;
        }
        first = false;
        json_t *v = json_object_get(sc, "value");
        total = json_pack("{s:s, s:s?}", "score", id, "band", band);
        /* the value (one decimal) for the instrument's change rule (change_error) */
        if (total && ok && json_is_number(v))
            json_object_set_new(total, "value", json_real(round(json_number_value(v) * 10) / 10));
    }
    json_object_set_new(sum, "total", total ? total : json_null());
    json_object_set_new(sum, "domains", domains);
}

json_t *store_programme_summary(const json_t *result_doc, const char *site, long long at,
                                const char *record_id,
                                const unsigned char secret[STORE_PROGRAMME_SECRET_BYTES])
{
    json_t *result = (json_t *)result_doc;
    json_t *qn = json_object_get(result, "questionnaire");
    const char *client = json_string_value(json_object_get(result, "client"));
    char pseudonym[2 * PSEUDONYM_BYTES + 1], ref[2 * PSEUDONYM_BYTES + 1], month[8];
    keyed_hex(secret, "itsearvio-pseudonym-v1\n", client ? client : "", pseudonym);
    if (!client || !client[0]) { /* no code: a pseudonym of its own, linked to nothing */
        unsigned char r[PSEUDONYM_BYTES];
        randombytes_buf(r, sizeof r);
        sodium_bin2hex(pseudonym, sizeof pseudonym, r, sizeof r);
    }
    keyed_hex(secret, "itsearvio-programme-ref-v1\n", record_id, ref);
    store_programme_month(at, month);
    const char *level = json_string_value(json_object_get(result, "level"));
    const char *qid = json_string_value(json_object_get(qn, "id"));
    const char *qver = json_string_value(json_object_get(qn, "version"));
    json_t *sum =
        json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "format", 1, "kind",
                  "summary", "questionnaire", qid ? qid : "", "version", qver ? qver : "", "month",
                  month, "site", site, "level", level ? level : "none", "research_consent",
                  consent_of(result), "pseudonym", pseudonym, "ref", ref);
    if (!sum)
        return NULL;
    json_t *flags = json_array(), *f;
    size_t i;
    json_array_foreach(json_object_get(result, "flags"), i, f)
    {
        const char *rule = json_string_value(json_object_get(f, "rule"));
        if (rule)
            json_array_append_new(flags, json_string(rule));
    }
    json_object_set_new(sum, "flags", flags);
    add_scores(sum, json_object_get(result, "scores"));
    sodium_memzero(pseudonym, sizeof pseudonym);
    return sum;
}

void store_programme_month(long long at, char out[8])
{
    time_t t = (time_t)at;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    strftime(out, 8, "%Y-%m", &tm);
}

/* ---- sealing -----------------------------------------------------------------------------------
 */

/* The site a summary names: the fleet's site of an enrolled device, else the device id. */
static const char *site_of(const store *s)
{
    return s->enrolled ? s->fleet.site : s->device;
}

static int secret_load(const store *s, unsigned char **secret, its_err *err)
{
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, s->dir, STORE_PSEUDONYM_FILE);
    *secret = sodium_malloc(STORE_PROGRAMME_SECRET_BYTES);
    if (!*secret)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    int rc = store_secret_file_read(path, *secret, STORE_PROGRAMME_SECRET_BYTES,
                                    "programme pseudonym", err);
    if (rc == -2)
        rc = its_fail(err,
                      "The programme pseudonym file %s is missing; copy it again with `itsearvio "
                      "programme join`.",
                      path);
    if (rc != 0) {
        sodium_free(*secret);
        *secret = NULL;
    }
    return rc;
}

/* Seals one programme payload (kind "summary", "referral" or "consent") and inserts its row, inside the
 * caller's write transaction; its seq comes from its own counter, like records and notes (I12). */
static int seal_row(store *s, const char *record_id, const char *kind, long long at,
                    const char *text, const char *what, its_err *err)
{
    store_env_header h;
    store_header_new(s, &h, STORE_ENV_MAGIC_PROGRAMME, at);
    const unsigned char *sign_sk;
    if (store_meta_get(s, "next_programme_seq", 1, &h.seq, err) != 0 ||
        store_tx_sign_key(s, &sign_sk, err) != 0)
        return -1;
    const unsigned char *pks[1] = {s->programme_pk};
    unsigned char *env = NULL;
    size_t env_len = 0;
    if (store_env_seal(&h, pks, 1, (const unsigned char *)text, strlen(text), sign_sk, &env,
                       &env_len, err) != 0)
        return -1;
    char id[37], key_ids[STORE_KEY_IDS_TEXT];
    store_uuid_format(h.uuid, id);
    store_key_ids_text(&h, key_ids);
    sqlite3_stmt *st;
    int rc = store_prepare(
        s,
        "INSERT INTO programme(id, record_id, kind, created_at, device, key_ids, seq, envelope) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
        &st, what, err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, record_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, at);
        sqlite3_bind_text(st, 5, h.device, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, key_ids, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, h.seq);
        sqlite3_bind_blob(st, 8, env, (int)env_len, SQLITE_STATIC);
        rc = store_step_done(s, st, what, err);
    }
    free(env);
    /* On an enrolled device the summary goes to the server with its record (same outbox). */
    return rc == 0 && store_meta_set(s, "next_programme_seq", h.seq + 1, what, err) == 0 &&
                   (strcmp(kind, "summary") ||
                    store_outbox_add_kind_in_tx(s, id, "programme", what, err) == 0)
               ? 0
               : -1;
}

int store_programme_seal_in_tx(store *s, const char *record_id, const unsigned char *payload,
                               size_t len, long long at, const char *what, its_err *err)
{
    if (!s->has_programme)
        return 0;
    /* Nothing to summarise in a payload that is not a result document (a test's bytes): the
     * record is saved without a summary rather than not at all. */
    json_t *result = json_loadb((const char *)payload, len, 0, NULL);
    if (!json_is_object(result) || !json_is_object(json_object_get(result, "questionnaire"))) {
        json_decref(result);
        return 0;
    }
    unsigned char *secret;
    json_t *sum = NULL;
    if (secret_load(s, &secret, err) == 0) {
        sum = store_programme_summary(result, site_of(s), at, record_id, secret);
        sodium_free(secret);
    } else {
        json_decref(result);
        return -1;
    }
    json_decref(result);
    char *text = sum ? json_dumps(sum, JSON_COMPACT) : NULL;
    json_decref(sum);
    int rc = text ? seal_row(s, record_id, "summary", at, text, what, err)
                  : its_fail_code(err, ITS_E_NO_MEMORY, "%s: out of memory for the programme summary.", what);
    free(text);
    return rc;
}

/* A later update of a summary, linked by its ref: {"kind": kind, "ref", key: value, "month"}
 * (a referral's "decision", a consent withdrawal's "research"). */
typedef struct update_ctx {
    const char *record_id;
    const char *kind, *key, *value;
    long long at;
    const unsigned char *secret;
} update_ctx;

static int update_body(store *s, void *p, const char *what, its_err *err)
{
    update_ctx *c = p;
    char ref[2 * PSEUDONYM_BYTES + 1], month[8];
    keyed_hex(c->secret, "itsearvio-programme-ref-v1\n", c->record_id, ref);
    store_programme_month(c->at, month);
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s}", "format", 1, "kind", c->kind, "ref", ref,
                          c->key, c->value, "month", month);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    int rc = text ? seal_row(s, c->record_id, c->kind, c->at, text, what, err)
                  : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    free(text);
    return rc;
}

static int seal_update(store *s, update_ctx *c, const char *what, its_err *err)
{
    unsigned char *secret;
    if (secret_load(s, &secret, err) != 0)
        return -1;
    c->at = store_now(s);
    c->secret = secret;
    int rc = store_tx(s, update_body, c, what, err);
    sodium_free(secret);
    return rc;
}

int store_programme_referral(store *s, const char *record_id, const char *decision, its_err *err)
{
    if (!s->has_programme)
        return 0;
    if (strcmp(decision, "referred") && strcmp(decision, "not_referred") &&
        strcmp(decision, "outcome"))
        return its_fail(err, "A referral decision is referred, not_referred or outcome.");
    update_ctx c = {record_id, "referral", "decision", decision, 0, NULL};
    return seal_update(s, &c, "The referral was not sent to the programme", err);
}

int store_programme_consent_withdrawn(store *s, const char *record_id, its_err *err)
{
    if (!s->has_programme)
        return 0;
    update_ctx c = {record_id, "consent", "research", "withdrawn", 0, NULL};
    return seal_update(s, &c, "The consent withdrawal was not sent to the programme", err);
}

bool store_programme_enabled(const store *s)
{
    return s->has_programme;
}

/* ---- the programme key ------------------------------------------------------------------------
 */

int store_programme_config_parse(store *s, json_t *cfg, const char *path, its_err *err)
{
    json_t *v = json_object_get(cfg, "programme_public_key");
    s->has_programme = v != NULL;
    if (v &&
        store_b64_decode(json_string_value(v), s->programme_pk, crypto_box_PUBLICKEYBYTES) != 0)
        return its_fail(err, "%s: programme_public_key is not a valid public key.", path);
    return 0;
}

/* Writes the pseudonym secret and the public key into a data folder (init, join). */
static int install(const char *dir, const unsigned char pk[32], const unsigned char *secret,
                   its_err *err)
{
    char path[STORE_PATH_MAX], b[64];
    store_path(path, sizeof path, dir, STORE_PSEUDONYM_FILE);
    if (store_file_write(path, secret, STORE_PROGRAMME_SECRET_BYTES, true, err) != 0)
        return -1;
    store_b64_encode(pk, 32, b, sizeof b);
    return store_config_set(dir, "programme_public_key", b, err);
}

int store_programme_init(const char *dir, const char *key_file, const char *passphrase,
                         store_kdf kdf, its_err *err)
{
    if (sodium_init() < 0)
        return its_fail(err, "The cryptography library could not start.");
    if (!passphrase || strlen(passphrase) < 8)
        return its_fail(err, "The programme passphrase must be at least 8 characters long.");
    unsigned char pk[32], *sk = sodium_malloc(32 + STORE_PROGRAMME_SECRET_BYTES);
    if (!sk)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    unsigned char *secret = sk + 32;
    crypto_box_keypair(pk, sk);
    randombytes_buf(secret, STORE_PROGRAMME_SECRET_BYTES);
    unsigned long long ops;
    size_t mem;
    store_kdf_params(kdf, &ops, &mem);
    int rc = store_pass_key_write(key_file, STORE_PASS_KEY_PROGRAMME, pk, sk, passphrase, ops, mem,
                                  false, err);
    if (rc == 0)
        rc = install(dir, pk, secret, err);
    sodium_free(sk);
    return rc;
}

int store_programme_join(const char *dir, const char *from_dir, its_err *err)
{
    if (sodium_init() < 0)
        return its_fail(err, "The cryptography library could not start.");
    store from;
    memset(&from, 0, sizeof from);
    if (store_config_load(&from, from_dir, err) != 0)
        return -1;
    for (int i = 0; i < from.n_questionnaires; i++)
        free(from.questionnaires[i]);
    free(from.questionnaires);
    if (!from.has_programme)
        return its_fail(err, "The data folder %s has no programme key to copy.", from_dir);
    unsigned char *secret;
    if (secret_load(&from, &secret, err) != 0)
        return -1;
    int rc = install(dir, from.programme_pk, secret, err);
    sodium_free(secret);
    return rc;
}

int store_programme_unlock(const char *key_file, const char *passphrase, store_key **key,
                           its_err *err)
{
    *key = NULL;
    if (sodium_init() < 0)
        return its_fail(err, "The cryptography library could not start.");
    store_key *k = sodium_malloc(sizeof *k);
    if (!k)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    k->kind = STORE_KEY_PROGRAMME;
    k->n_team = 0; /* a programme key holds no team epochs (team.c) */
    if (store_pass_key_read(key_file, STORE_PASS_KEY_PROGRAMME, passphrase, k->pk, k->sk, NULL,
                            NULL, err) != 0) {
        sodium_free(k);
        return -1;
    }
    *key = k;
    return 0;
}

/* ---- reading every summary and update ---------------------------------------------------------
 */

typedef struct row {
    unsigned char *env; /* NULL once it was taken from the cache or opened */
    size_t len;
    char device[STORE_DEVICE_MAX + 1];
    unsigned char digest[STORE_DIGEST_BYTES]; /* of the device column and the envelope */
} row;

typedef struct open_job {
    row *rows;
    store_programme_item *items;
    int n, first, step;
    const store_key *key;
    const char (*devices)[STORE_DEVICE_MAX + 1];
    const unsigned char (*pks)[crypto_sign_PUBLICKEYBYTES];
    int n_devices;
    int opened;
} open_job;

/* Opens rows first, first + step, … not taken from the cache: the signature with the pinned key
 * of its device, then the box; the time is the authenticated header's. */
static void *open_rows(void *p)
{
    open_job *j = p;
    for (int i = j->first; i < j->n; i += j->step) {
        row *r = &j->rows[i];
        store_programme_item *it = &j->items[i];
        if (!r->env)
            continue;
        int d = 0;
        while (d < j->n_devices && strcmp(j->devices[d], r->device))
            d++;
        store_env_header h;
        its_err why;
        if (d == j->n_devices || store_env_verify(r->env, r->len, j->pks[d], &h, &why) != 0 ||
            memcmp(h.magic, STORE_ENV_MAGIC_PROGRAMME, 4) ||
            store_env_open(r->env, r->len, j->key->pk, j->key->sk, &it->payload, &it->len, &why) !=
                0)
            it->payload = NULL;
        else
            it->created_at = h.created_at;
        j->opened += it->payload != NULL;
        free(r->env);
        r->env = NULL;
    }
    return NULL;
}

static void fill_row(sqlite3_stmt *st, void *p)
{
    row *r = p;
    const char *dev = (const char *)sqlite3_column_text(st, 0);
    its_strlcpy(r->device, dev ? dev : "", sizeof r->device);
    r->env = store_column_copy(st, 1, &r->len);
    if (!r->env)
        return;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, sizeof r->digest);
    crypto_generichash_update(&h, (const unsigned char *)r->device, strlen(r->device) + 1);
    crypto_generichash_update(&h, r->env, r->len);
    crypto_generichash_final(&h, r->digest, sizeof r->digest);
}

/* The pinned key of every device that sealed a row (looked up once, not per row). */
static int pinned_keys(store *s, const row *rows, int n, char (**devs)[STORE_DEVICE_MAX + 1],
                       unsigned char (**pks)[crypto_sign_PUBLICKEYBYTES], int *nd, its_err *err)
{
    *nd = 0;
    *devs = NULL;
    *pks = NULL;
    for (int i = 0; i < n; i++) {
        int d = 0;
        while (d < *nd && strcmp((*devs)[d], rows[i].device))
            d++;
        if (d < *nd || !rows[i].env)
            continue;
        void *a = realloc(*devs, (size_t)(*nd + 1) * sizeof **devs);
        if (a)
            *devs = a;
        void *b = a ? realloc(*pks, (size_t)(*nd + 1) * sizeof **pks) : NULL;
        if (b)
            *pks = b;
        if (!a || !b)
            return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
        its_strlcpy((*devs)[*nd], rows[i].device, STORE_DEVICE_MAX + 1);
        int found = store_device_pinned(s, rows[i].device, (*pks)[*nd], err);
        if (found < 0)
            return -1;
        if (!found) /* no pin: nothing of this device verifies (a key of zeros verifies nothing) */
            memset((*pks)[*nd], 0, crypto_sign_PUBLICKEYBYTES);
        (*nd)++;
    }
    return 0;
}

/* ---- the report's cache (docs/storage.md invariant 11) ----------------------------------------
 * What the programme key opened before, sealed with a key derived from it (store_cache_*), so a
 * report opens only the summaries that are new. An entry: digest (16) | created-at (8, big-endian)
 * | length (4) | payload. A row is taken from the cache only when the digest of its device and
 * envelope bytes is there: a changed row is opened (and checked) again. */
#define CACHE_NAME "programme"
#define ENTRY_HEAD (STORE_DIGEST_BYTES + 12)

typedef struct hit {
    const unsigned char *digest;
    const unsigned char *entry;
} hit;

static int hit_cmp(const void *a, const void *b)
{
    return memcmp(((const hit *)a)->digest, ((const hit *)b)->digest, STORE_DIGEST_BYTES);
}

static unsigned long long get_be(const unsigned char *p, int n)
{
    unsigned long long v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Fills items from the cache; returns how many of its entries were not used (stale). */
static int cache_apply(store *s, const store_key *key, row *rows, store_programme_item *items,
                       int n)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (store_cache_read(s, key, CACHE_NAME, &data, &len, NULL) != 1)
        return 0;
    int cap = 1024, k = 0, used = 0;
    hit *h = malloc((size_t)cap * sizeof *h);
    for (size_t off = 0; h && off + ENTRY_HEAD <= len;) {
        size_t plen = (size_t)get_be(data + off + STORE_DIGEST_BYTES + 8, 4);
        if (plen > len - off - ENTRY_HEAD)
            break;
        if (k == cap) {
            hit *bigger = realloc(h, (size_t)(cap *= 2) * sizeof *h);
            if (!bigger)
                break;
            h = bigger;
        }
        h[k++] = (hit){data + off, data + off};
        off += ENTRY_HEAD + plen;
    }
    if (h)
        qsort(h, (size_t)k, sizeof *h, hit_cmp);
    for (int i = 0; h && i < n; i++) {
        hit want = {rows[i].digest, NULL}, *got = bsearch(&want, h, (size_t)k, sizeof *h, hit_cmp);
        size_t plen = got ? (size_t)get_be(got->entry + STORE_DIGEST_BYTES + 8, 4) : 0;
        if (!got || !(items[i].payload = malloc(plen ? plen : 1)))
            continue;
        memcpy(items[i].payload, got->entry + ENTRY_HEAD, plen);
        items[i].len = plen;
        items[i].created_at = (long long)get_be(got->entry + STORE_DIGEST_BYTES, 8);
        free(rows[i].env);
        rows[i].env = NULL;
        used++;
    }
    free(h);
    store_payload_free(data, len);
    return k - used;
}

/* Writes every opened item to the cache (a failure only means the next report opens more). */
static void cache_save(store *s, const store_key *key, const row *rows,
                       const store_programme_item *items, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += items[i].payload ? ENTRY_HEAD + items[i].len : 0;
    unsigned char *buf = malloc(total ? total : 1), *p = buf;
    for (int i = 0; buf && i < n; i++) {
        if (!items[i].payload)
            continue;
        memcpy(p, rows[i].digest, STORE_DIGEST_BYTES);
        for (int b = 0; b < 8; b++)
            p[STORE_DIGEST_BYTES + b] =
                (unsigned char)((unsigned long long)items[i].created_at >> (56 - 8 * b));
        for (int b = 0; b < 4; b++)
            p[STORE_DIGEST_BYTES + 8 + b] = (unsigned char)(items[i].len >> (24 - 8 * b));
        memcpy(p + ENTRY_HEAD, items[i].payload, items[i].len);
        p += ENTRY_HEAD + items[i].len;
    }
    int kept = buf ? store_cache_write(s, key, CACHE_NAME, buf, total, NULL) : -1;
    (void)kept; /* not kept: the next report opens every summary again */
    if (buf)
        store_payload_free(buf, total);
}

/* Opens every row not taken from the cache, in threads; returns how many were opened. */
static int open_all(row *rows, store_programme_item *items, int nr, const store_key *key,
                    char (*devs)[STORE_DEVICE_MAX + 1],
                    unsigned char (*pks)[crypto_sign_PUBLICKEYBYTES], int nd)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int todo = 0;
    for (int i = 0; i < nr; i++)
        todo += rows[i].env != NULL;
    int threads = todo < 256 ? 1 : cpus < 2 ? 2 : cpus > 8 ? 8 : (int)cpus, started = 1, opened = 0;
    open_job jobs[8];
    pthread_t tids[8];
    for (int t = 0; t < threads; t++)
        jobs[t] = (open_job){rows,
                             items,
                             nr,
                             t,
                             threads,
                             key,
                             (const char(*)[STORE_DEVICE_MAX + 1]) devs,
                             (const unsigned char(*)[crypto_sign_PUBLICKEYBYTES])pks,
                             nd,
                             0};
    for (;
         started < threads && pthread_create(&tids[started], NULL, open_rows, &jobs[started]) == 0;
         started++)
        ;
    for (int t = started; t <= threads; t++) /* jobs[0], and any whose thread did not start */
        open_rows(&jobs[t == threads ? 0 : t]);
    for (int t = 1; t < started; t++)
        pthread_join(tids[t], NULL);
    for (int t = 0; t < threads; t++)
        opened += jobs[t].opened;
    return opened;
}

int store_programme_read(store *s, const store_key *key, store_programme_item **out, int *n,
                         its_err *err)
{
    const char *what = "The programme summaries could not be read";
    *out = NULL;
    *n = 0;
    if (!key || key->kind != STORE_KEY_PROGRAMME)
        return its_fail(err, "%s: unlock the programme key first.", what);
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT device, envelope FROM programme ORDER BY created_at, id", &st,
                      what, err) != 0)
        return -1;
    void *v = NULL;
    int nr = 0;
    if (store_collect(s, st, sizeof(row), fill_row, &v, &nr, what, err) != 0)
        return -1;
    row *rows = v;
    char(*devs)[STORE_DEVICE_MAX + 1] = NULL;
    unsigned char(*pks)[crypto_sign_PUBLICKEYBYTES] = NULL;
    int nd = 0;
    store_programme_item *items = calloc((size_t)nr + 1, sizeof *items);
    int rc = items ? 0 : its_fail_code(err, ITS_E_NO_MEMORY, "%s: out of memory.", what);
    for (int i = 0; rc == 0 && i < nr; i++)
        if (!rows[i].env)
            rc = its_fail_code(err, ITS_E_NO_MEMORY, "%s: out of memory.", what);
    int stale = rc == 0 ? cache_apply(s, key, rows, items, nr) : 0;
    if (rc == 0)
        rc = pinned_keys(s, rows, nr, &devs, &pks, &nd, err);
    if (rc == 0 && (open_all(rows, items, nr, key, devs, pks, nd) > 0 || stale > 0))
        cache_save(s, key, rows, items, nr);
    for (int i = 0; i < nr; i++)
        free(rows[i].env);
    free(rows);
    free(devs);
    free(pks);
    if (rc != 0) {
        store_programme_items_free(items, nr);
        return -1;
    }
    *out = items;
    *n = nr;
    return 0;
}

void store_programme_items_free(store_programme_item *items, int n)
{
    for (int i = 0; items && i < n; i++)
        store_payload_free(items[i].payload, items[i].len);
    free(items);
}
