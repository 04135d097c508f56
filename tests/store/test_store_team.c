/* test_store_team.c — team keys with epochs in the store (app/store/team.c, docs/fleet-protocol.md
 * section 9), without a server: the founder makes epoch 1 and its signed bundle; a member accepts
 * a wrap and opens a record sealed to the team key; a wrap for a wrong key is refused and stores
 * nothing; an enrolled kiosk follows a newer signed epoch and refuses a forged bundle, another
 * signer and another recovery key (config unchanged); a record of the new epoch is closed to a
 * worker without its key and open to the recovery key. Real SQLite, real libsodium. */
#include "store_test.h"
#include "fleet.h"

#include <jansson.h>

static store_key *unlock(store *s)
{
    store_key *k = NULL;
    its_err err;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    return k;
}

static char *slurp(const char *dir, const char *name)
{
    char path[700];
    size_t n;
    its_err err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return its_read_file(path, &n, &err);
}

/* The newest record's envelope of a folder (malloc'd). */
static unsigned char *newest_env(const char *dir, size_t *len)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_DB_FILE);
    sqlite3 *db;
    sqlite3_stmt *st;
    unsigned char *env = NULL;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT envelope FROM records ORDER BY seq DESC LIMIT 1", -1, &st,
                           NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            *len = (size_t)sqlite3_column_bytes(st, 0);
            env = malloc(*len);
            memcpy(env, sqlite3_column_blob(st, 0), *len);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return env;
}

/* 0 when key opens the newest record of dir; why gets the reason otherwise. */
static int opens(const store_key *key, const char *dir, its_err *why)
{
    size_t len = 0, plen = 0;
    unsigned char *env = newest_env(dir, &len), *p = NULL;
    int rc = env ? store_key_open(key, env, len, &p, &plen, why) : -1;
    if (rc == 0)
        store_payload_free(p, plen);
    free(env);
    return rc;
}

static store *make_kiosk(const char *base, const fleet_bundle *b, char dir[600])
{
    store_enrolment e;
    memset(&e, 0, sizeof e);
    memcpy(e.worker_pk, b->worker_pk, 32);
    memcpy(e.recovery_pk, b->recovery_pk, 32);
    memcpy(e.signer_pk, b->signer_pk, 32);
    e.epoch = b->epoch;
    return test_make_enrolled(base, &e, "kiosk-team", dir);
}

static void save(store *s, int i)
{
    char p[512], id[37];
    size_t n = test_payload(p, sizeof p, i);
    its_err err;
    CHECK(store_save_result(s, (const unsigned char *)p, n, id, &err) == 0);
}

/* A new epoch bundle the kiosk must refuse, with the config left as it was. */
static void refused(store *k, const char *kdir, const fleet_bundle *b, const char *words)
{
    char *before = slurp(kdir, STORE_CONFIG_FILE), *after;
    its_err err = {0};
    CHECK_EQ_INT(store_fleet_bundle_apply(k, b, &err), -1);
    CHECK(strstr(err.msg, words) != NULL);
    after = slurp(kdir, STORE_CONFIG_FILE);
    CHECK(before && after && strcmp(before, after) == 0);
    free(before);
    free(after);
}

int main(void)
{
    char base[512], d1[600], d2[600], kdir[600], rec[700];
    its_err err;
    test_tmpdir(base);
    store *w1 = test_make_store(base, "w1", d1), *w2 = test_make_store(base, "w2", d2);
    store_key *k1 = unlock(w1), *k2 = unlock(w2);

    /* the founder: epoch 1, its bundle names the team key (not its own), made once */
    CHECK_EQ_INT(store_team_create(w1, k1, &err), 0);
    CHECK_EQ_INT(store_team_create(w1, k1, &err), -1);
    CHECK(strstr(err.msg, "holds team keys already") != NULL);
    char *text = slurp(d1, "keys-bundle.json");
    fleet_bundle b1;
    CHECK(text && fleet_bundle_parse(text, strlen(text), &b1, &err) == 0);
    free(text);
    CHECK(b1.epoch == 1 && memcmp(b1.worker_pk, w1->worker_pk, 32) != 0);
    store_team_epoch e[STORE_TEAM_EPOCHS_MAX], f[STORE_TEAM_EPOCHS_MAX];
    int n = 0, m = 0;
    CHECK(store_team_file_read(d1, e, &n, &err) == 0 && n == 1 && !memcmp(e[0].pk, b1.worker_pk, 32));
    store_lock(k1); /* an unlock opens the founder's wrap again */
    k1 = unlock(w1);

    /* a wrap for a wrong key (sealed to w1's key, given to w2): refused, nothing stored */
    CHECK_EQ_INT(store_team_wrap_for(k1, w1->worker_pk, f, &m, &err), 0);
    CHECK_EQ_INT(store_team_keys_accept(w2, k2, f, m, &err), -1);
    CHECK(strstr(err.msg, "a wrap for another key); nothing was stored") != NULL);
    CHECK(store_team_file_read(d2, e, &n, &err) == 0 && n == 0);
    /* the right wrap: kept, and opened into the key */
    CHECK_EQ_INT(store_team_wrap_for(k1, w2->worker_pk, f, &m, &err), 0);
    CHECK_EQ_INT(store_team_keys_accept(w2, k2, f, m, &err), 0);
    CHECK(store_team_file_read(d2, e, &n, &err) == 0 && n == 1);

    /* a kiosk sealing to epoch 1: both members and the recovery key open its record */
    store *k = make_kiosk(base, &b1, kdir);
    save(k, 1);
    CHECK_EQ_INT(opens(k1, kdir, &err), 0);
    CHECK_EQ_INT(opens(k2, kdir, &err), 0);
    store_key *rk = NULL;
    snprintf(rec, sizeof rec, "%s/w1-recovery.json", base);
    CHECK_EQ_INT(store_recovery_key_load(rec, &rk, &err), 0);
    CHECK_EQ_INT(opens(rk, kdir, &err), 0);

    /* epoch 2, wrapped to the founder only (w2 left) */
    unsigned char wraps[1][STORE_WRAP_BYTES];
    fleet_bundle b2;
    CHECK_EQ_INT(store_team_epoch_new(w1, k1, 2, (const unsigned char(*)[32])w1->worker_pk, 1, wraps,
                                      &b2, &err),
                 0);
    CHECK(b2.epoch == 2 && !memcmp(b2.signer_pk, b1.signer_pk, 32));
    fleet_bundle forged = b2;
    randombytes_buf(forged.worker_pk, 32); /* another key for epoch 2, same signer */
    CHECK_EQ_INT(store_fleet_bundle_apply(k, &b1, &err), 0); /* the epoch it has: nothing to do */
    fleet_bundle other = b2;
    unsigned char osk[64];
    crypto_sign_keypair(other.signer_pk, osk);
    fleet_bundle_sign(&other, osk);
    refused(k, kdir, &other, "signed by another key");
    fleet_bundle rec_changed = b2;
    randombytes_buf(rec_changed.recovery_pk, 32);
    refused(k, kdir, &rec_changed, "another recovery key");
    CHECK_EQ_INT(store_fleet_bundle_apply(k, &b2, &err), 1);
    CHECK_EQ_INT(store_fleet_bundle_apply(k, &b2, &err), 0);
    refused(k, kdir, &forged, "it is forged");
    CHECK_EQ_INT(store_fleet_bundle_apply(k, &b1, &err), 0); /* an older epoch is ignored */
    store_close(k);
    CHECK_EQ_INT(store_open(kdir, &k, &err), 0);
    CHECK(store_fleet_get(k)->epoch == 2);
    save(k, 2);

    /* the record of epoch 2: closed to w2, open to the founder once it holds the wrap, and to the
     * recovery key */
    CHECK_EQ_INT(opens(k2, kdir, &err), -1);
    CHECK(strstr(err.msg, "sealed to a team key this worker does not hold") != NULL);
    CHECK_EQ_INT(err.code, ITS_E_NO_TEAM_KEY); /* the reader is told so in words, not "damaged" */
    memset(f, 0, sizeof f);
    CHECK(store_team_file_read(d1, f, &m, &err) == 0 && m == 1);
    f[1].epoch = 2;
    memcpy(f[1].pk, b2.worker_pk, 32);
    memcpy(f[1].wrap, wraps[0], STORE_WRAP_BYTES);
    CHECK_EQ_INT(store_team_keys_accept(w1, k1, f, 2, &err), 0);
    CHECK_EQ_INT(opens(k1, kdir, &err), 0);
    CHECK_EQ_INT(opens(rk, kdir, &err), 0);
    f[1].epoch = 1; /* the same epoch twice */
    CHECK_EQ_INT(store_team_keys_accept(w1, k1, f, 2, &err), -1);
    /* a server that sends fewer epochs cannot make the worker forget one it holds */
    f[1].epoch = 2;
    CHECK_EQ_INT(store_team_keys_accept(w1, k1, &f[1], 1, &err), 0);
    CHECK(store_team_file_read(d1, e, &n, &err) == 0 && n == 2);
    CHECK_EQ_INT(opens(k1, kdir, &err), 0);
    /* nor swap the key of an epoch it holds (a wrap of epoch 2's key sent as epoch 1) */
    f[1].epoch = 1;
    char *keys_before = slurp(d1, "team-keys.json");
    CHECK_EQ_INT(store_team_keys_accept(w1, k1, &f[1], 1, &err), -1);
    CHECK(strstr(err.msg, "it is forged; nothing was stored") != NULL);
    char *keys_after = slurp(d1, "team-keys.json");
    CHECK(keys_before && keys_after && !strcmp(keys_before, keys_after));
    free(keys_before);
    free(keys_after);

    char fp[20];
    CHECK_EQ_INT(store_worker_card(d2, NULL, NULL, fp, &err), 0);
    CHECK_EQ_INT(strlen(fp), 19);
    CHECK_EQ_INT(store_worker_card(kdir, NULL, NULL, fp, &err), -1);

    store_lock(rk);
    store_lock(k1);
    store_lock(k2);
    store_close(k);
    store_close(w1);
    store_close(w2);
    test_rm_rf(base);
    return check_summary();
}
