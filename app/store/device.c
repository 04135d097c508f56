/* device.c — the device signing key (Ed25519) and the pinned signing keys of devices.
 *
 * Every data folder has DIR/device-sign.key: the 32-byte Ed25519 seed, 0600, written once by
 * init (or, for a folder made before signatures, at its first open) through store_file_write.
 * Its public half is config.json's device_sign_public_key. The secret is read only to sign,
 * into sodium_malloc memory, and freed (wiped) right after.
 *
 * The devices table pins one signing key per device id. A record is genuine only when its
 * signature verifies with the key pinned for the device named in its header. Pins are never
 * changed (a trigger refuses UPDATE) and every pin is logged in the audit chain. The folder's
 * own config.json key is pinned when the folder is made, or at the first open after an upgrade:
 * trust on first use, because nothing else on a lone device can vouch for it (docs/storage.md). */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SEED_BYTES crypto_sign_SEEDBYTES

int store_device_key_make(const char *dir, const unsigned char *given_seed,
                          unsigned char pk[crypto_sign_PUBLICKEYBYTES], its_err *err)
{
    unsigned char *seed = sodium_malloc(SEED_BYTES + crypto_sign_SECRETKEYBYTES);
    if (!seed)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    if (given_seed)
        memcpy(seed, given_seed, SEED_BYTES);
    else
        randombytes_buf(seed, SEED_BYTES);
    crypto_sign_seed_keypair(pk, seed + SEED_BYTES, seed);
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, dir, STORE_DEVICE_KEY_FILE);
    int rc = store_file_write(path, seed, SEED_BYTES, false, err);
    sodium_free(seed);
    return rc;
}

/* Reads the seed and derives the key pair into guarded memory; pk gets the public half. */
static int key_read(const char *dir, unsigned char **sk, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                    its_err *err)
{
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, dir, STORE_DEVICE_KEY_FILE);
    unsigned char *buf = sodium_malloc(SEED_BYTES + crypto_sign_SECRETKEYBYTES);
    if (!buf)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    int rc = store_secret_file_read(path, buf, SEED_BYTES, "device signing key", err);
    if (rc == -2)
        rc = its_fail(err, "The device signing key file %s is missing: this device cannot sign records. "
                           "Restore it from a backup.", path);
    if (rc != 0) {
        sodium_free(buf);
        return -1;
    }
    crypto_sign_seed_keypair(pk, buf + SEED_BYTES, buf);
    sodium_memzero(buf, SEED_BYTES);
    *sk = buf;
    return 0;
}

int store_device_key_load(const store *s, unsigned char **sk, its_err *err)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], *buf = NULL;
    *sk = NULL;
    if (key_read(s->dir, &buf, pk, err) != 0)
        return -1;
    if (!s->has_sign_pk || sodium_memcmp(pk, s->sign_pk, sizeof pk) != 0) {
        sodium_free(buf);
        return its_fail(err, "The device signing key %s/%s does not belong to this data folder (it "
                             "does not match device_sign_public_key in config.json).", s->dir,
                        STORE_DEVICE_KEY_FILE);
    }
    /* The secret key sits after the (wiped) seed: hand out the whole guarded block. */
    memmove(buf, buf + SEED_BYTES, crypto_sign_SECRETKEYBYTES);
    sodium_memzero(buf + crypto_sign_SECRETKEYBYTES, SEED_BYTES);
    *sk = buf;
    return 0;
}

int store_tx_sign_key(store *s, const unsigned char **sk, its_err *err)
{
    if (!s->tx_sign_sk && store_device_key_load(s, &s->tx_sign_sk, err) != 0)
        return -1;
    *sk = s->tx_sign_sk;
    return 0;
}

int store_device_sign(const store *s, const unsigned char *msg, size_t len,
                      unsigned char sig[crypto_sign_BYTES], its_err *err)
{
    unsigned char *sk;
    if (store_device_key_load(s, &sk, err) != 0)
        return -1;
    crypto_sign_detached(sig, NULL, msg, len, sk);
    sodium_free(sk);
    return 0;
}

void store_worker_sign_derive(const unsigned char box_sk[32], unsigned char pk[32], unsigned char *sk)
{
    unsigned char *buf = sodium_malloc(crypto_sign_SEEDBYTES + crypto_sign_SECRETKEYBYTES);
    if (!buf)
        abort(); /* 96 bytes of guarded memory: nothing sensible to go on with */
    crypto_kdf_derive_from_key(buf, crypto_sign_SEEDBYTES, 1, "itswsign", box_sk);
    crypto_sign_seed_keypair(pk, buf + crypto_sign_SEEDBYTES, buf);
    if (sk)
        memcpy(sk, buf + crypto_sign_SEEDBYTES, crypto_sign_SECRETKEYBYTES);
    sodium_free(buf);
}

int store_worker_sign_keypair(const store_key *key, unsigned char pk[32], unsigned char *sk, its_err *err)
{
    if (!key || key->kind != STORE_KEY_WORKER)
        return its_fail(err, "The worker signing key comes from the worker key: unlock with the passphrase.");
    store_worker_sign_derive(key->sk, pk, sk);
    return 0;
}

int store_worker_sign_public_write(const char *dir, const unsigned char box_sk[32], its_err *err)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char b64[64];
    store_worker_sign_derive(box_sk, pk, NULL);
    store_b64_encode(pk, sizeof pk, b64, sizeof b64);
    return store_config_set(dir, "worker_sign_public_key", b64, err);
}

int store_device_pinned(store *s, const char *device, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                        its_err *err)
{
    const char *what = "The pinned device keys could not be read";
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT sign_public_key FROM devices WHERE device = ?", &st, what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == crypto_sign_PUBLICKEYBYTES) {
        memcpy(pk, sqlite3_column_blob(st, 0), crypto_sign_PUBLICKEYBYTES);
        found = 1;
    } else if (rc == SQLITE_ROW) {
        found = its_fail(err, "The pinned signing key of device %s is damaged; restore the database from "
                              "a backup.", device);
    } else if (rc != SQLITE_DONE) {
        found = store_db_fail(s->db, rc, err, what);
    }
    sqlite3_finalize(st);
    return found;
}

int store_device_pin_in_tx(store *s, const char *device, const unsigned char pk[32], const char *source,
                           its_err *err)
{
    unsigned char have[crypto_sign_PUBLICKEYBYTES];
    int found = store_device_pinned(s, device, have, err);
    if (found < 0)
        return -1;
    if (found)
        return sodium_memcmp(have, pk, sizeof have) == 0
                   ? 0
                   : its_fail(err, "Device %s already has another signing key pinned; the new key "
                                   "(from %s) was refused. A device keeps its key for life: another key "
                                   "means another device or a forgery.", device, source);
    const char *what = "The device key could not be pinned";
    sqlite3_stmt *st;
    if (store_prepare(s,
                      "INSERT INTO devices(device, sign_public_key, source, first_seen) VALUES(?, ?, ?, ?)",
                      &st, what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 2, pk, crypto_sign_PUBLICKEYBYTES, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, store_now(s));
    if (store_step_done(s, st, what, err) != 0)
        return -1;
    char b64[64], detail[200];
    store_b64_encode(pk, crypto_sign_PUBLICKEYBYTES, b64, sizeof b64);
    snprintf(detail, sizeof detail, "device %s signing key %s pinned from %s", device, b64, source);
    return store_audit_append(s, "device_pin", detail, err);
}

typedef struct pin_args {
    const char *device, *source;
    const unsigned char *pk;
} pin_args;

static int pin_body(store *s, void *p, const char *what, its_err *err)
{
    (void)what;
    pin_args *a = p;
    return store_device_pin_in_tx(s, a->device, a->pk, a->source, err);
}

int store_device_pin(store *s, const char *device, const unsigned char pk[32], const char *source,
                     its_err *err)
{
    size_t n = device ? strlen(device) : 0;
    if (n < 1 || n > STORE_DEVICE_MAX || !source || !*source || strlen(source) > 64)
        return its_fail(err, "A device id is 1 to %d characters and a key needs its source named.",
                        STORE_DEVICE_MAX);
    pin_args a = {device, source, pk};
    return store_tx(s, pin_body, &a, "The device key was not pinned", err);
}

static int upgrade_body(store *s, void *p, const char *what, its_err *err)
{
    (void)p;
    (void)what;
    char detail[160];
    snprintf(detail, sizeof detail, "device signing key made for device %s (folder made before "
             "signatures)", s->device);
    if (store_audit_append(s, "device_key", detail, err) != 0 ||
        store_device_pin_in_tx(s, s->device, s->sign_pk, "config", err) != 0)
        return -1;
    return store_legacy_sign_in_tx(s, err); /* after the pin: the reader checks it with that key */
}

/* A folder made before signatures: make its key (or take the one a cut-short upgrade left) and
 * name it in config.json. The key file is written before the config, so a crash in between
 * leaves a key that the next open finds and uses. */
static int upgrade(store *s, its_err *err)
{
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, s->dir, STORE_DEVICE_KEY_FILE);
    struct stat st;
    unsigned char *sk = NULL;
    int rc = stat(path, &st) == 0 ? key_read(s->dir, &sk, s->sign_pk, err)
                                  : store_device_key_make(s->dir, NULL, s->sign_pk, err);
    sodium_free(sk);
    char b64[64];
    store_b64_encode(s->sign_pk, sizeof s->sign_pk, b64, sizeof b64);
    if (rc != 0 || store_config_set(s->dir, "device_sign_public_key", b64, err) != 0)
        return -1;
    s->has_sign_pk = true;
    return store_tx(s, upgrade_body, NULL, "The device signing key could not be logged", err);
}

/* 1 when no device key is pinned at all (a database from before signatures), 0 if some are. */
static int none_pinned(store *s, its_err *err)
{
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT count(*) FROM devices", &st, "The pinned device keys could not be read",
                      err) != 0)
        return -1;
    int rc = sqlite3_step(st), none = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? none
                            : store_db_fail(s->db, rc, err, "The pinned device keys could not be read");
}

int store_device_key_ensure(store *s, its_err *err)
{
    if (!s->has_sign_pk)
        return upgrade(s, err);
    unsigned char have[crypto_sign_PUBLICKEYBYTES];
    int found = store_device_pinned(s, s->device, have, err);
    if (found == 1 && sodium_memcmp(have, s->sign_pk, sizeof have) != 0)
        return its_fail(err, "The device signing key in %s/config.json is not the one pinned for device %s "
                             "in the database: config.json or the database was replaced. Restore both from "
                             "the same backup.", s->dir, s->device);
    if (found != 0)
        return found < 0 ? -1 : 0;
    /* Pinned only into an empty table (a database older than the config): a table that pins
     * other devices but not this one was edited or is damaged, and its records say so. */
    int none = none_pinned(s, err);
    if (none != 1)
        return none;
    pin_args a = {s->device, "config", s->sign_pk};
    return store_tx(s, pin_body, &a, "The device key was not pinned", err);
}
