/* team.c — team keys with epochs (docs/fleet-protocol.md section 9): the wraps a worker keeps in
 * DIR/team-keys.json, opening them after unlock, choosing the key an envelope names, making a
 * team (epoch 1) and a new epoch, wrapping every epoch to a new member, and a device following
 * the team's newest signed bundle.
 *
 * Why a worker keeps the wraps as received (sealed to its own worker key) rather than the team
 * secrets: the file then opens only after the Argon2id unlock, like the records, and a copied
 * folder gives nothing more than the records themselves. Team secrets live in the unlocked
 * store_key (sodium_malloc, wiped by store_lock). */
#include "store_int.h"
#include "fleet.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- DIR/team-keys.json -------------------------------------------------------------------- */

static int team_file_fail(const char *path, its_err *err)
{
    return its_fail_code(
        err, ITS_E_DAMAGED,
        "The team key file %s is damaged; run `itsearvio pull` to fetch the team's keys "
        "again.",
        path);
}

static int epoch_from_json(const json_t *o, store_team_epoch *e)
{
    const json_t *ep = json_object_get(o, "epoch");
    if (!json_is_integer(ep) || json_integer_value(ep) < 1)
        return -1;
    e->epoch = json_integer_value(ep);
    return store_b64_decode(json_string_value(json_object_get(o, "public_key")), e->pk, 32) ||
                   store_b64_decode(json_string_value(json_object_get(o, "wrap")), e->wrap,
                                    STORE_WRAP_BYTES)
               ? -1
               : 0;
}

int store_team_file_read(const char *dir, store_team_epoch *out, int *n, its_err *err)
{
    char path[STORE_PATH_MAX];
    *n = 0;
    if (store_dir_check(dir, err) != 0)
        return -1;
    store_path(path, sizeof path, dir, STORE_TEAM_KEYS_FILE);
    if (access(path, F_OK) != 0)
        return 0;
    json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
    const char *kind = json_string_value(json_object_get(o, "itsearvio"));
    json_t *list = json_object_get(o, "epochs");
    int rc = kind && !strcmp(kind, "team-keys") && json_is_array(list) &&
                     json_array_size(list) <= STORE_TEAM_EPOCHS_MAX
                 ? 0
                 : -1;
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++)
        rc = epoch_from_json(json_array_get(list, i), &out[i]);
    if (rc == 0)
        *n = (int)json_array_size(list);
    json_decref(o);
    return rc == 0 ? 0 : team_file_fail(path, err);
}

static int team_file_write(const char *dir, const store_team_epoch *e, int n, its_err *err)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        char pk[64], wrap[128];
        store_b64_encode(e[i].pk, 32, pk, sizeof pk);
        store_b64_encode(e[i].wrap, STORE_WRAP_BYTES, wrap, sizeof wrap);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "epoch", (json_int_t)e[i].epoch,
                                              "public_key", pk, "wrap", wrap));
    }
    json_t *o =
        json_pack("{s:s, s:i, s:s, s:o}", "itsearvio", "team-keys", "format", 1, "note",
                  "Each team key is sealed to this worker's own key: it opens only after unlock.",
                  "epochs", list);
    return store_json_file_write(dir, STORE_TEAM_KEYS_FILE, o, err);
}

/* ---- opening wraps ------------------------------------------------------------------------------- */

/* Opens one wrap with the worker key into t; -1 when it does not open or is not the secret of
 * its epoch's public key. */
static int wrap_open(const store_key *key, const store_team_epoch *e, store_team_key *t)
{
    unsigned char derived[32];
    if (crypto_box_seal_open(t->sk, e->wrap, STORE_WRAP_BYTES, key->pk, key->sk) != 0)
        return -1;
    crypto_scalarmult_base(derived, t->sk);
    if (sodium_memcmp(derived, e->pk, 32) != 0) {
        sodium_memzero(t->sk, sizeof t->sk);
        return -1;
    }
    t->epoch = e->epoch;
    memcpy(t->pk, e->pk, 32);
    store_key_id(t->pk, t->id);
    return 0;
}

void store_team_keys_load(store *s, store_key *key)
{
    store_team_epoch e[STORE_TEAM_EPOCHS_MAX];
    int n = 0;
    its_err ignored;
    sodium_memzero(key->team, sizeof key->team);
    key->n_team = 0;
    if (key->kind != STORE_KEY_WORKER || store_team_file_read(s->dir, e, &n, &ignored) != 0)
        return;
    for (int i = 0; i < n; i++)
        if (wrap_open(key, &e[i], &key->team[key->n_team]) == 0)
            key->n_team++;
}

/* Adds to all[0..*n) the epochs this folder kept that the server no longer sent, so a server
 * cannot make a worker forget a key it held; a kept epoch sent with another key is refused. */
static int team_keys_merge(const char *dir, store_team_epoch *all, int *n, its_err *err)
{
    store_team_epoch kept[STORE_TEAM_EPOCHS_MAX];
    int m = 0, sent = *n;
    if (store_team_file_read(dir, kept, &m, err) != 0)
        return -1;
    for (int i = 0; i < m; i++) {
        int j = 0;
        while (j < sent && all[j].epoch != kept[i].epoch)
            j++;
        if (j < sent && memcmp(all[j].pk, kept[i].pk, 32) != 0)
            return its_fail(err,
                            "The server sent another key for epoch %lld than the one this worker "
                            "holds: it is forged; nothing was stored.",
                            kept[i].epoch);
        if (j == sent && *n < STORE_TEAM_EPOCHS_MAX)
            all[(*n)++] = kept[i];
    }
    return 0;
}

int store_team_keys_accept(store *s, store_key *key, const store_team_epoch *e, int n, its_err *err)
{
    if (key->kind != STORE_KEY_WORKER)
        return its_fail(err, "Team keys are opened with a worker key, not the recovery key.");
    if (n > STORE_TEAM_EPOCHS_MAX)
        return its_fail(err, "The server sent %d team epochs, more than %d; nothing was stored.", n,
                        STORE_TEAM_EPOCHS_MAX);
    store_team_key *t = sodium_malloc(sizeof *t);
    if (!t)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        for (int j = 0; j < i && rc == 0; j++)
            if (e[j].epoch == e[i].epoch)
                rc = its_fail(err,
                              "The server sent epoch %lld of the team twice; nothing was stored.",
                              e[i].epoch);
        if (rc == 0 && wrap_open(key, &e[i], t) != 0)
            rc = its_fail(
                err,
                "The team key of epoch %lld sent by the server does not open with this "
                "worker's key (a wrap for another key); nothing was stored. Ask the member "
                "who added you to add you again.",
                e[i].epoch);
    }
    sodium_free(t);
    store_team_epoch *all = rc == 0 ? calloc(STORE_TEAM_EPOCHS_MAX, sizeof *all) : NULL;
    int k = n;
    if (rc == 0 && !all)
        rc = its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    if (rc == 0) {
        memcpy(all, e, (size_t)n * sizeof *e);
        rc = team_keys_merge(s->dir, all, &k, err);
    }
    if (rc == 0)
        rc = team_file_write(s->dir, all, k, err);
    free(all);
    if (rc == 0)
        store_team_keys_load(s, key);
    return rc;
}

/* ---- choosing the key an envelope names ------------------------------------------------------ */

void store_key_pair_for(const store_key *key, const store_env_header *h, const unsigned char **pk,
                        const unsigned char **sk)
{
    *pk = key->pk;
    *sk = key->sk;
    for (int t = 0; t < key->n_team; t++)
        for (int i = 0; i < h->n_recipients; i++)
            if (sodium_memcmp(h->key_ids[i], key->team[t].id, STORE_KEYID_BYTES) == 0) {
                *pk = key->team[t].pk;
                *sk = key->team[t].sk;
            }
}

int store_key_open(const store_key *key, const unsigned char *env, size_t len,
                   unsigned char **payload, size_t *plen, its_err *why)
{
    store_env_header h;
    const unsigned char *pk, *sk;
    if (store_env_parse(env, len, &h, why) != 0)
        return -1;
    store_key_pair_for(key, &h, &pk, &sk);
    int rc = store_env_open(env, len, pk, sk, payload, plen, why);
    if (rc != 0 && key->kind == STORE_KEY_WORKER && why->code == ITS_E_NO_TEAM_KEY)
        its_fail_code(why, ITS_E_NO_TEAM_KEY, "it is sealed to a team key this worker does not hold (an "
                      "epoch it is not a member of, or one it has not pulled yet)");
    return rc;
}

/* ---- making keys ----------------------------------------------------------------------------- */

/* A fresh team key pair: pk, and its secret sealed to each of the n worker keys. */
static int team_keypair_wrapped(const unsigned char (*to)[32], int n, unsigned char pk[32],
                                unsigned char (*wraps)[STORE_WRAP_BYTES], its_err *err)
{
    unsigned char *sk = sodium_malloc(32);
    if (!sk)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    crypto_box_keypair(pk, sk);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        if (crypto_box_seal(wraps[i], sk, 32, to[i]) != 0)
            rc = its_fail(err, "The worker key of member %d is not a valid public key.", i + 1);
    sodium_free(sk);
    return rc;
}

/* Signs a bundle of epoch with team public key pk and this folder's recovery key. */
static int bundle_sign(const store *s, const store_key *key, long long epoch,
                       const unsigned char pk[32], fleet_bundle *b, its_err *err)
{
    memset(b, 0, sizeof *b);
    b->epoch = epoch;
    memcpy(b->worker_pk, pk, 32);
    memcpy(b->recovery_pk, s->recovery_pk, 32);
    unsigned char *sk = sodium_malloc(FLEET_SK_BYTES);
    if (!sk)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    unsigned char spk[32];
    int rc = store_worker_sign_keypair(key, spk, sk, err);
    if (rc == 0)
        fleet_bundle_sign(b, sk);
    sodium_free(sk);
    return rc;
}

int store_team_create(store *s, store_key *key, its_err *err)
{
    store_team_epoch e;
    int n = 0;
    if (s->mode != STORE_WORKER || key->kind != STORE_KEY_WORKER)
        return its_fail(err, "A team is made from a worker folder, unlocked with its passphrase.");
    if (store_team_file_read(s->dir, &e, &n, err) != 0)
        return -1;
    if (n > 0 || key->n_team > 0)
        return its_fail(err,
                        "%s holds team keys already; a team is made once (new epochs come with "
                        "`itsearvio team remove-member`).",
                        s->dir);
    e.epoch = 1;
    fleet_bundle b;
    if (team_keypair_wrapped((const unsigned char(*)[32])key->pk, 1, e.pk, &e.wrap, err) != 0 ||
        bundle_sign(s, key, 1, e.pk, &b, err) != 0 || team_file_write(s->dir, &e, 1, err) != 0 ||
        store_json_file_write(s->dir, STORE_BUNDLE_FILE, fleet_bundle_to_json(&b), err) != 0)
        return -1;
    store_team_keys_load(s, key);
    return 0;
}

int store_team_epoch_new(store *s, const store_key *key, long long epoch,
                         const unsigned char (*members)[32], int n,
                         unsigned char (*wraps)[STORE_WRAP_BYTES], fleet_bundle *b, its_err *err)
{
    unsigned char pk[32];
    if (key->kind != STORE_KEY_WORKER)
        return its_fail(err, "A new epoch is signed with a worker key, not the recovery key.");
    if (team_keypair_wrapped(members, n, pk, wraps, err) != 0)
        return -1;
    return bundle_sign(s, key, epoch, pk, b, err);
}

int store_team_wrap_for(const store_key *key, const unsigned char box_pk[32], store_team_epoch *out,
                        int *n, its_err *err)
{
    *n = 0;
    for (int i = 0; i < key->n_team; i++) {
        out[i].epoch = key->team[i].epoch;
        memcpy(out[i].pk, key->team[i].pk, 32);
        if (crypto_box_seal(out[i].wrap, key->team[i].sk, 32, box_pk) != 0)
            return its_fail(err, "The new member's worker key is not a valid public key.");
    }
    *n = key->n_team;
    if (*n == 0)
        return its_fail(err,
                        "This worker holds no team keys: run `itsearvio pull` first (or, for the "
                        "founding worker, `itsearvio team create`).");
    return 0;
}

/* ---- a device following the team's epochs ---------------------------------------------------- */

/* Rewrites config.json with the new team key and epoch (one durable replace). */
static int config_epoch_write(store *s, const fleet_bundle *b, its_err *err)
{
    char path[STORE_PATH_MAX], pk[64];
    store_path(path, sizeof path, s->dir, STORE_CONFIG_FILE);
    json_t *cfg = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
    json_t *f = json_object_get(cfg, "fleet");
    if (!json_is_object(f)) {
        json_decref(cfg);
        return its_fail(
            err, "%s: the config file could not be read to follow the team's new epoch.", path);
    }
    store_b64_encode(b->worker_pk, 32, pk, sizeof pk);
    json_object_set_new(cfg, "worker_public_key", json_string(pk));
    json_object_set_new(f, "epoch", json_integer((json_int_t)b->epoch));
    char *text = json_dumps(cfg, JSON_INDENT(2));
    json_decref(cfg);
    int rc = text ? store_file_write(path, text, strlen(text), true, err)
                  : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    free(text);
    return rc;
}

int store_fleet_bundle_apply(store *s, const fleet_bundle *b, its_err *err)
{
    if (!s->enrolled || !s->fleet.has_signer)
        return 0; /* enrolled before epochs: keeps the keys of its enrolment (protocol 9) */
    char want[FLEET_PIN_LEN + 1], got[FLEET_PIN_LEN + 1];
    fleet_signer_pin(s->fleet.signer_pk, want);
    fleet_signer_pin(b->signer_pk, got);
    if (sodium_memcmp(b->signer_pk, s->fleet.signer_pk, 32) != 0)
        return its_fail(
            err,
            "The team's keys bundle is signed by another key than the team's signer this "
            "device was enrolled with (%s, not %s): it is forged; nothing was changed.",
            got, want);
    if (sodium_memcmp(b->recovery_pk, s->recovery_pk, 32) != 0)
        return its_fail(err,
                        "The team's keys bundle of epoch %lld names another recovery key; a team's "
                        "recovery key is never changed, so nothing was changed.",
                        b->epoch);
    if (b->epoch < s->fleet.epoch)
        return 0; /* an older bundle (a stale copy): this device keeps the newer epoch it has */
    bool same = sodium_memcmp(b->worker_pk, s->worker_pk, 32) == 0;
    if (b->epoch == s->fleet.epoch)
        return same ? 0
                    : its_fail(
                          err,
                          "The team's keys bundle names another key for epoch %lld than the one "
                          "this device has: it is forged; nothing was changed.",
                          b->epoch);
    if (config_epoch_write(s, b, err) != 0)
        return -1;
    memcpy(s->worker_pk, b->worker_pk, 32);
    s->fleet.epoch = b->epoch;
    return 1;
}

/* ---- fingerprints and the recovery drill --------------------------------------------------------- */

int store_worker_card(const char *dir, unsigned char *sign_pk, unsigned char *box_pk, char fp[20],
                      its_err *err)
{
    store tmp;
    memset(&tmp, 0, sizeof tmp);
    int rc = store_config_load(&tmp, dir, err);
    if (rc == 0 && (tmp.mode != STORE_WORKER || !tmp.has_worker_sign_pk))
        rc = its_fail(
            err,
            "%s is not a worker folder with a signing key yet: unlock it once (for example "
            "with `itsearvio list`) and try again.",
            dir);
    if (rc == 0) {
        fleet_member_fingerprint(tmp.worker_sign_pk, tmp.worker_pk, fp);
        if (sign_pk)
            memcpy(sign_pk, tmp.worker_sign_pk, 32);
        if (box_pk)
            memcpy(box_pk, tmp.worker_pk, 32);
    }
    for (int i = 0; i < tmp.n_questionnaires; i++)
        free(tmp.questionnaires[i]);
    free(tmp.questionnaires);
    return rc;
}

int store_recovery_key_load(const char *path, store_key **key, its_err *err)
{
    if (sodium_init() < 0) /* the drill may read the key before opening any folder */
        return its_fail(err, "The cryptography library could not start.");
    store_key *k = sodium_malloc(sizeof *k);
    if (!k)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the key.");
    memset(k, 0, sizeof *k);
    k->kind = STORE_KEY_RECOVERY;
    if (store_recovery_key_read(path, k->pk, k->sk, err) != 0) {
        sodium_free(k);
        return -1;
    }
    *key = k;
    return 0;
}
