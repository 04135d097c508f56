/* keys.c — the key files: the worker secret key under the passphrase (Argon2id + secretbox),
 * the recovery key written once for offline keeping, and the device-local draft key. */
#include "store_int.h"
#include "fleet.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define CHECK_BYTES 16

/* One base64 for the data folder and the fleet's wire format (app/fleet). */
int store_b64_decode(const char *b64, unsigned char *out, size_t n)
{
    return fleet_b64_decode(b64, out, n);
}

void store_b64_encode(const unsigned char *in, size_t n, char *out, size_t out_len)
{
    fleet_b64_encode(in, n, out, out_len);
}

void store_kdf_params(store_kdf kdf, unsigned long long *ops, size_t *mem)
{
    switch (kdf) {
    case STORE_KDF_MODERATE:
        *ops = crypto_pwhash_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_MEMLIMIT_MODERATE;
        break;
    case STORE_KDF_MIN:
        *ops = crypto_pwhash_OPSLIMIT_MIN;
        *mem = crypto_pwhash_MEMLIMIT_MIN;
        break;
    default:
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
}

typedef struct wrapped {
    unsigned long long ops;
    unsigned long long mem;
    unsigned char salt[crypto_pwhash_SALTBYTES];
    unsigned char nonce[crypto_secretbox_NONCEBYTES];
    unsigned char box[crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES];
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
} wrapped;

/* A checksum over every field so a damaged file is told apart from a wrong passphrase. */
static void wrapped_check(const wrapped *w, unsigned char out[CHECK_BYTES])
{
    crypto_generichash_state st;
    unsigned char num[16];
    for (int i = 0; i < 8; i++) {
        num[i] = (unsigned char)(w->ops >> (8 * i));
        num[8 + i] = (unsigned char)(w->mem >> (8 * i));
    }
    crypto_generichash_init(&st, NULL, 0, CHECK_BYTES);
    crypto_generichash_update(&st, num, sizeof num);
    crypto_generichash_update(&st, w->salt, sizeof w->salt);
    crypto_generichash_update(&st, w->nonce, sizeof w->nonce);
    crypto_generichash_update(&st, w->box, sizeof w->box);
    crypto_generichash_update(&st, w->pk, sizeof w->pk);
    crypto_generichash_final(&st, out, CHECK_BYTES);
}

static int derive(unsigned char key[crypto_secretbox_KEYBYTES], const char *pass, const wrapped *w,
                  its_err *err)
{
    if (crypto_pwhash(key, crypto_secretbox_KEYBYTES, pass, strlen(pass), w->salt, w->ops,
                      (size_t)w->mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return its_fail(err, "Not enough memory to derive the key from the passphrase.");
    return 0;
}

/* Adds "name": base64(bytes) to o. */
static void json_set_b64(json_t *o, const char *name, const unsigned char *p, size_t n)
{
    char b[256];
    store_b64_encode(p, n, b, sizeof b);
    json_object_set_new(o, name, json_string(b));
}

static int json_get_b64(json_t *o, const char *name, unsigned char *p, size_t n)
{
    return store_b64_decode(json_string_value(json_object_get(o, name)), p, n);
}

/* Writes a JSON object as a 0600 file and drops it. */
static int write_json(const char *path, json_t *o, bool replace, its_err *err)
{
    char *text = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    if (!text)
        return its_fail(err, "Out of memory while writing %s.", path);
    size_t n = strlen(text);
    int rc = store_file_write(path, text, n, replace, err);
    sodium_memzero(text, n);
    free(text);
    return rc;
}

/* Loads a key file as a JSON object of the given kind; names the file and the problem. */
static json_t *read_key_json(const char *path, const char *kind, const char *what, its_err *err)
{
    json_error_t je;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            its_fail(err, "The %s file %s is missing.", what, path);
        else
            its_fail(err, "The %s file %s cannot be read: %s.", what, path, strerror(errno));
        return NULL;
    }
    json_t *o = json_loadf(f, 0, &je);
    fclose(f);
    const char *k = json_string_value(json_object_get(o, "itsearvio"));
    if (!o || !json_is_object(o) || !k || strcmp(k, kind) != 0) {
        its_fail(err, "The %s file %s is damaged (not a %s file).", what, path, kind);
        json_decref(o);
        return NULL;
    }
    return o;
}

int store_worker_key_write(const char *path, const unsigned char pk[32], const unsigned char sk[32],
                           const char *passphrase, unsigned long long ops, size_t mem, bool replace,
                           its_err *err)
{
    wrapped w;
    w.ops = ops;
    w.mem = mem;
    randombytes_buf(w.salt, sizeof w.salt);
    randombytes_buf(w.nonce, sizeof w.nonce);
    memcpy(w.pk, pk, sizeof w.pk);
    unsigned char *key = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (!key)
        return its_fail(err, "Out of memory.");
    if (derive(key, passphrase, &w, err) != 0) {
        sodium_free(key);
        return -1;
    }
    crypto_secretbox_easy(w.box, sk, crypto_box_SECRETKEYBYTES, w.nonce, key);
    sodium_free(key);
    unsigned char check[CHECK_BYTES];
    wrapped_check(&w, check);

    json_t *o = json_object();
    json_object_set_new(o, "itsearvio", json_string("worker-key"));
    json_object_set_new(o, "format", json_integer(1));
    json_object_set_new(o, "kdf", json_string("argon2id13"));
    json_object_set_new(o, "opslimit", json_integer((json_int_t)w.ops));
    json_object_set_new(o, "memlimit", json_integer((json_int_t)w.mem));
    json_set_b64(o, "salt", w.salt, sizeof w.salt);
    json_set_b64(o, "nonce", w.nonce, sizeof w.nonce);
    json_set_b64(o, "box", w.box, sizeof w.box);
    json_set_b64(o, "public", w.pk, sizeof w.pk);
    json_set_b64(o, "check", check, sizeof check);
    return write_json(path, o, replace, err);
}

int store_worker_key_read(const char *path, const char *passphrase, unsigned char pk[32],
                          unsigned char sk[32], unsigned long long *ops_out, size_t *mem_out, its_err *err)
{
    json_t *o = read_key_json(path, "worker-key", "worker key", err);
    if (!o)
        return -1;
    wrapped w;
    unsigned char check[CHECK_BYTES], want[CHECK_BYTES];
    json_int_t ops = json_integer_value(json_object_get(o, "opslimit"));
    json_int_t mem = json_integer_value(json_object_get(o, "memlimit"));
    const char *kdf = json_string_value(json_object_get(o, "kdf"));
    int bad = !kdf || strcmp(kdf, "argon2id13") != 0 || ops < (json_int_t)crypto_pwhash_OPSLIMIT_MIN ||
              ops > (json_int_t)crypto_pwhash_OPSLIMIT_SENSITIVE * 4 ||
              mem < (json_int_t)crypto_pwhash_MEMLIMIT_MIN ||
              mem > (json_int_t)crypto_pwhash_MEMLIMIT_SENSITIVE * 4 ||
              json_get_b64(o, "salt", w.salt, sizeof w.salt) ||
              json_get_b64(o, "nonce", w.nonce, sizeof w.nonce) ||
              json_get_b64(o, "box", w.box, sizeof w.box) ||
              json_get_b64(o, "public", w.pk, sizeof w.pk) ||
              json_get_b64(o, "check", check, sizeof check);
    json_decref(o);
    if (!bad) {
        w.ops = (unsigned long long)ops;
        w.mem = (unsigned long long)mem;
        wrapped_check(&w, want);
        bad = sodium_memcmp(check, want, CHECK_BYTES) != 0;
    }
    if (bad)
        return its_fail(
            err,
            "The worker key file %s is damaged; restore it from a backup or use the recovery key.",
            path);

    unsigned char *key = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (!key)
        return its_fail(err, "Out of memory.");
    int rc = derive(key, passphrase, &w, err);
    if (rc == 0 && crypto_secretbox_open_easy(sk, w.box, sizeof w.box, w.nonce, key) != 0)
        rc = -2;
    sodium_free(key);
    if (rc == -2) {
        its_fail(err, "Wrong passphrase.");
        return -2;
    }
    if (rc != 0)
        return -1;
    unsigned char derived[crypto_box_PUBLICKEYBYTES];
    crypto_scalarmult_base(derived, sk);
    if (sodium_memcmp(derived, w.pk, sizeof derived) != 0) {
        sodium_memzero(sk, crypto_box_SECRETKEYBYTES);
        return its_fail(err, "The worker key file %s is damaged (its keys do not match).", path);
    }
    memcpy(pk, w.pk, sizeof w.pk);
    if (ops_out)
        *ops_out = w.ops;
    if (mem_out)
        *mem_out = (size_t)w.mem;
    return 0;
}

int store_recovery_key_write(const char *path, const unsigned char pk[32], const unsigned char sk[32],
                             its_err *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "itsearvio", json_string("recovery-key"));
    json_object_set_new(o, "format", json_integer(1));
    json_object_set_new(o, "note", json_string(
        "Recovery key: it opens every assessment. Keep it offline (a USB stick in a safe, or "
        "printed), never on a kiosk or tablet. Anyone with this file can read the records."));
    json_set_b64(o, "public", pk, crypto_box_PUBLICKEYBYTES);
    json_set_b64(o, "secret", sk, crypto_box_SECRETKEYBYTES);
    return write_json(path, o, false, err);
}

int store_recovery_key_read(const char *path, unsigned char pk[32], unsigned char sk[32], its_err *err)
{
    json_t *o = read_key_json(path, "recovery-key", "recovery key", err);
    if (!o)
        return -1;
    int bad = json_get_b64(o, "public", pk, crypto_box_PUBLICKEYBYTES) ||
              json_get_b64(o, "secret", sk, crypto_box_SECRETKEYBYTES);
    json_decref(o);
    unsigned char derived[crypto_box_PUBLICKEYBYTES];
    if (!bad) {
        crypto_scalarmult_base(derived, sk);
        bad = sodium_memcmp(derived, pk, sizeof derived) != 0;
    }
    if (bad) {
        sodium_memzero(sk, crypto_box_SECRETKEYBYTES);
        return its_fail(err, "The recovery key file %s is damaged.", path);
    }
    return 0;
}

int store_secret_file_read(const char *path, unsigned char *out, size_t n, const char *what, its_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f && errno == ENOENT)
        return -2;
    if (!f)
        return its_fail(err, "The %s file %s cannot be read: %s.", what, path, strerror(errno));
    unsigned char extra;
    size_t got = fread(out, 1, n, f);
    size_t more = fread(&extra, 1, 1, f);
    fclose(f);
    if (got != n || more != 0) {
        sodium_memzero(out, n);
        return its_fail(err, "The %s file %s is damaged.", what, path);
    }
    return 0;
}

int store_draft_key_load(store *s, its_err *err)
{
    if (s->draft_key)
        return 0;
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, s->dir, STORE_DRAFT_KEY_FILE);
    unsigned char *k = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (!k)
        return its_fail(err, "Out of memory.");
    int rc = store_secret_file_read(path, k, crypto_secretbox_KEYBYTES, "draft key", err);
    if (rc == -2) {
        /* First draft on this device (or the key was removed: older drafts then cannot open). */
        crypto_secretbox_keygen(k);
        rc = store_file_write(path, k, crypto_secretbox_KEYBYTES, false, err);
    }
    if (rc != 0) {
        sodium_free(k);
        return -1;
    }
    s->draft_key = k;
    return 0;
}
