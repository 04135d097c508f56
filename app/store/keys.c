/* keys.c — the key files: the worker secret key under the passphrase (Argon2id + secretbox)
 * and the recovery key written once for offline keeping. (The draft key is draft.c's.) */
#include "store_int.h"
#include "fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
        return its_fail_code(err, ITS_E_NO_MEMORY,
                             "Not enough memory to derive the key from the passphrase.");
    return 0;
}

/* jansson's allocations are wiped when freed, from the first key file on: its parser keeps
 * copies of every token (a secret's base64 included) in buffers it frees itself. */
static void *wiping_malloc(size_t n)
{
    return malloc(n);
}

static void wiping_free(void *p)
{
    if (p)
        sodium_memzero(p, malloc_usable_size(p));
    free(p);
}

static void json_wipe_on_free(void)
{
    static bool set;
    if (!set)
        json_set_alloc_funcs(wiping_malloc, wiping_free);
    set = true;
}

/* Adds "name": base64(bytes) to o; the stack copy of the base64 is wiped. */
static void json_set_b64(json_t *o, const char *name, const unsigned char *p, size_t n)
{
    char b[256];
    store_b64_encode(p, n, b, sizeof b);
    json_object_set_new(o, name, json_string(b));
    sodium_memzero(b, sizeof b);
}

static int json_get_b64(json_t *o, const char *name, unsigned char *p, size_t n)
{
    return store_b64_decode(json_string_value(json_object_get(o, name)), p, n);
}

/* The JSON text of a key file (free with store_secret_free); drops o. */
static char *key_json_text(json_t *o)
{
    json_wipe_on_free();
    char *text = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    return text;
}

void store_secret_free(char *text)
{
    if (text)
        sodium_memzero(text, strlen(text));
    free(text);
}

/* Writes a JSON object as a 0600 file and drops it. */
static int write_json(const char *path, json_t *o, bool replace, its_err *err)
{
    json_wipe_on_free();
    char *text = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    if (!text)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory while writing %s.", path);
    size_t n = strlen(text);
    int rc = store_file_write(path, text, n, replace, err);
    sodium_memzero(text, n);
    free(text);
    return rc;
}

#define KEY_FILE_MAX 8192

/* Reads a key file into a wiped-after-use buffer (no stdio buffer keeps a copy). A secret key
 * file that others can read is refused: it is as good as published. */
static int read_key_bytes(const char *path, const char *what, bool private, char *buf, size_t *n,
                          its_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (e == ENOENT)
            return its_fail_key(err, ITS_E_OTHER, "err_key_missing", path, "The %s file %s is missing.", what,
                                path);
        return its_fail_key(err, ITS_E_OTHER, "err_key_unreadable", path,
                            "The %s file %s cannot be read: %s.", what, path, strerror(e));
    }
    if (private && (st.st_mode & 077)) {
        close(fd);
        return its_fail_key(err, ITS_E_OTHER, "err_key_not_private", path,
                            "The %s file %s can be read by other users of this computer (mode %04o); "
                            "make it private with `chmod 600` and try again.",
                            what, path, (unsigned)(st.st_mode & 0777));
    }
    ssize_t got = read(fd, buf, KEY_FILE_MAX);
    close(fd);
    if (got < 0 || got >= KEY_FILE_MAX)
        return its_fail_code(err, ITS_E_DAMAGED, "The %s file %s is damaged (not a key file).", what, path);
    *n = (size_t)got;
    return 0;
}

/* Wipes the text of a secret string member before the object is freed. */
static void json_wipe_member(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    if (json_is_string(v))
        sodium_memzero((char *)json_string_value(v), json_string_length(v));
}

/* Loads a key file as a JSON object of the given kind; names the file and the problem. */
static json_t *read_key_json(const char *path, const char *kind, const char *what, its_err *err)
{
    json_error_t je;
    json_wipe_on_free();
    char *buf = sodium_malloc(KEY_FILE_MAX);
    size_t n = 0;
    if (!buf) {
        its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
        return NULL;
    }
    json_t *o = NULL;
    if (read_key_bytes(path, what, strcmp(kind, "recovery-key") != 0, buf, &n, err) == 0)
        o = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
    else
        n = (size_t)-1;
    sodium_free(buf);
    if (n == (size_t)-1)
        return NULL;
    const char *k = json_string_value(json_object_get(o, "itsearvio"));
    if (!o || !json_is_object(o) || !k || strcmp(k, kind) != 0) {
        its_fail_code(err, ITS_E_DAMAGED, "The %s file %s is damaged (not a %s file).", what, path, kind);
        json_decref(o);
        return NULL;
    }
    return o;
}

int store_worker_key_write(const char *path, const unsigned char pk[32], const unsigned char sk[32],
                           const char *passphrase, unsigned long long ops, size_t mem, bool replace,
                           its_err *err)
{
    return store_pass_key_write(path, STORE_PASS_KEY_WORKER, pk, sk, passphrase, ops, mem, replace, err);
}

/* What the two kinds of passphrase-protected key file are called, in the file and in sentences. */
static const char *pass_key_kind(store_pass_key kind)
{
    return kind == STORE_PASS_KEY_PROGRAMME ? "programme-key" : "worker-key";
}

static const char *pass_key_what(store_pass_key kind)
{
    return kind == STORE_PASS_KEY_PROGRAMME ? "programme key" : "worker key";
}

int store_pass_key_write(const char *path, store_pass_key kind, const unsigned char pk[32],
                         const unsigned char sk[32], const char *passphrase, unsigned long long ops,
                         size_t mem, bool replace, its_err *err)
{
    wrapped w;
    w.ops = ops;
    w.mem = mem;
    randombytes_buf(w.salt, sizeof w.salt);
    randombytes_buf(w.nonce, sizeof w.nonce);
    memcpy(w.pk, pk, sizeof w.pk);
    unsigned char *key = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (!key)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    if (derive(key, passphrase, &w, err) != 0) {
        sodium_free(key);
        return -1;
    }
    crypto_secretbox_easy(w.box, sk, crypto_box_SECRETKEYBYTES, w.nonce, key);
    sodium_free(key);
    unsigned char check[CHECK_BYTES];
    wrapped_check(&w, check);

    json_t *o = json_object();
    json_object_set_new(o, "itsearvio", json_string(pass_key_kind(kind)));
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
    return store_pass_key_read(path, STORE_PASS_KEY_WORKER, passphrase, pk, sk, ops_out, mem_out, err);
}

int store_pass_key_read(const char *path, store_pass_key kind, const char *passphrase, unsigned char pk[32],
                        unsigned char sk[32], unsigned long long *ops_out, size_t *mem_out, its_err *err)
{
    const char *what = pass_key_what(kind);
    json_t *o = read_key_json(path, pass_key_kind(kind), what, err);
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
    json_wipe_member(o, "box");
    json_decref(o);
    if (!bad) {
        w.ops = (unsigned long long)ops;
        w.mem = (unsigned long long)mem;
        wrapped_check(&w, want);
        bad = sodium_memcmp(check, want, CHECK_BYTES) != 0;
    }
    if (bad)
        return its_fail_code(err, ITS_E_DAMAGED, "The %s file %s is damaged; restore it from a backup%s.",
                             what, path, kind == STORE_PASS_KEY_WORKER ? " or use the recovery key" : "");

    unsigned char *key = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (!key)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    int rc = derive(key, passphrase, &w, err);
    if (rc == 0 && crypto_secretbox_open_easy(sk, w.box, sizeof w.box, w.nonce, key) != 0)
        rc = -2;
    sodium_free(key);
    if (rc == -2) {
        its_fail_code(err, ITS_E_WRONG_PASSPHRASE, "Wrong passphrase.");
        return -2;
    }
    if (rc != 0)
        return -1;
    unsigned char derived[crypto_box_PUBLICKEYBYTES];
    crypto_scalarmult_base(derived, sk);
    if (sodium_memcmp(derived, w.pk, sizeof derived) != 0) {
        sodium_memzero(sk, crypto_box_SECRETKEYBYTES);
        return its_fail_code(err, ITS_E_DAMAGED, "The %s file %s is damaged (its keys do not match).", what,
                             path);
    }
    memcpy(pk, w.pk, sizeof w.pk);
    if (ops_out)
        *ops_out = w.ops;
    if (mem_out)
        *mem_out = (size_t)w.mem;
    return 0;
}

static json_t *recovery_json(const unsigned char pk[32], const unsigned char sk[32])
{
    json_t *o = json_object();
    json_object_set_new(o, "itsearvio", json_string("recovery-key"));
    json_object_set_new(o, "format", json_integer(1));
    json_object_set_new(o, "note", json_string(
        "Recovery key: it opens every assessment. Keep it offline (a USB stick in a safe, or "
        "printed), never on a kiosk or tablet. Anyone with this file can read the records."));
    json_set_b64(o, "public", pk, crypto_box_PUBLICKEYBYTES);
    json_set_b64(o, "secret", sk, crypto_box_SECRETKEYBYTES);
    return o;
}

int store_recovery_key_write(const char *path, const unsigned char pk[32], const unsigned char sk[32],
                             its_err *err)
{
    return write_json(path, recovery_json(pk, sk), false, err);
}

char *store_recovery_key_text(const unsigned char pk[32], const unsigned char sk[32])
{
    return key_json_text(recovery_json(pk, sk));
}

int store_recovery_key_read(const char *path, unsigned char pk[32], unsigned char sk[32], its_err *err)
{
    json_t *o = read_key_json(path, "recovery-key", "recovery key", err);
    if (!o)
        return -1;
    int bad = json_get_b64(o, "public", pk, crypto_box_PUBLICKEYBYTES) ||
              json_get_b64(o, "secret", sk, crypto_box_SECRETKEYBYTES);
    json_wipe_member(o, "secret");
    json_decref(o);
    unsigned char derived[crypto_box_PUBLICKEYBYTES];
    if (!bad) {
        crypto_scalarmult_base(derived, sk);
        bad = sodium_memcmp(derived, pk, sizeof derived) != 0;
    }
    if (bad) {
        sodium_memzero(sk, crypto_box_SECRETKEYBYTES);
        return its_fail_code(err, ITS_E_DAMAGED, "The recovery key file %s is damaged.", path);
    }
    return 0;
}

int store_secret_file_read(const char *path, unsigned char *out, size_t n, const char *what, its_err *err)
{
    /* read(2), not stdio: no library buffer keeps a copy of the secret */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return -2;
    if (fd < 0)
        return its_fail(err, "The %s file %s cannot be read: %s.", what, path, strerror(errno));
    unsigned char extra;
    ssize_t got = read(fd, out, n);
    ssize_t more = read(fd, &extra, 1);
    close(fd);
    if (got != (ssize_t)n || more != 0) {
        sodium_memzero(out, n);
        return its_fail_code(err, ITS_E_DAMAGED, "The %s file %s is damaged.", what, path);
    }
    return 0;
}

static void fingerprint_of(const unsigned char pk[crypto_box_PUBLICKEYBYTES],
                           char out[STORE_FINGERPRINT_LEN + 1])
{
    unsigned char id[STORE_KEYID_BYTES];
    store_key_id(pk, id);
    sodium_bin2hex(out, STORE_FINGERPRINT_LEN + 1, id, sizeof id);
}

void store_key_fingerprint(const store_key *key, char out[STORE_FINGERPRINT_LEN + 1])
{
    fingerprint_of(key->pk, out);
}

void store_worker_fingerprint(const store *s, char out[STORE_FINGERPRINT_LEN + 1])
{
    fingerprint_of(s->worker_pk, out);
}
