/* cache.c — a sealed cache the worker side keeps beside the records (the list index), so that an
 * unlock does not have to open every record again.
 *
 * Invariant (see docs/storage.md, invariant 11): a cache is exactly as readable as the records:
 * it is encrypted with a key derived from the unlocked secret key (worker or recovery), which the
 * kiosk never has. A cache that does not open (another key, damaged, altered) is simply absent:
 * the caller rebuilds it from the records, which stay the only source of truth.
 *
 * File DIR/cache-NAME-KEYID.sealed: "ITSC" | version 1 | key id (8) | nonce (24) | ciphertext. */
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_MAGIC "ITSC"
enum { CACHE_HEADER = 4 + 1 + STORE_KEYID_BYTES + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES };

static int cache_path(const store *s, const store_key *key, const char *name, char *out, size_t n,
                      its_err *err)
{
    for (const char *c = name; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789-", *c))
            return its_fail(err, "a cache name may hold only a-z, 0-9 and '-'");
    unsigned char id[STORE_KEYID_BYTES];
    store_key_id(key->pk, id);
    char hex[2 * STORE_KEYID_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    return its_path(out, n, err, "%s/cache-%s-%s.sealed", store_dir(s), name, hex);
}

/* The cache key: BLAKE2b keyed with the secret key over a purpose string and the cache name. */
static void cache_key(const store_key *key, const char *name,
                      unsigned char out[crypto_aead_xchacha20poly1305_ietf_KEYBYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, key->sk, sizeof key->sk, crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    crypto_generichash_update(&st, (const unsigned char *)"itsearvio cache v1:", 19);
    crypto_generichash_update(&st, (const unsigned char *)name, strlen(name));
    crypto_generichash_final(&st, out, crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    sodium_memzero(&st, sizeof st); /* the state was keyed with the secret key */
}

int store_cache_write(store *s, const store_key *key, const char *name, const unsigned char *data,
                      size_t len, its_err *err)
{
    char path[STORE_PATH_MAX];
    if (!key || cache_path(s, key, name, path, sizeof path, err) != 0)
        return key ? -1 : its_fail(err, "unlock first");
    size_t total = CACHE_HEADER + len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    unsigned char *buf = malloc(total);
    if (!buf)
        return its_fail_code(err, ITS_E_NO_MEMORY, "out of memory writing the %s cache", name);
    memcpy(buf, CACHE_MAGIC, 4);
    buf[4] = 1;
    store_key_id(key->pk, buf + 5);
    unsigned char *nonce = buf + 5 + STORE_KEYID_BYTES;
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned char k[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    cache_key(key, name, k);
    unsigned long long clen;
    crypto_aead_xchacha20poly1305_ietf_encrypt(buf + CACHE_HEADER, &clen, data, len, buf, CACHE_HEADER,
                                               NULL, nonce, k);
    sodium_memzero(k, sizeof k);
    int rc = store_file_write(path, buf, CACHE_HEADER + (size_t)clen, true, err);
    free(buf);
    return rc;
}

int store_cache_read(store *s, const store_key *key, const char *name, unsigned char **data,
                     size_t *len, its_err *err)
{
    char path[STORE_PATH_MAX];
    *data = NULL;
    *len = 0;
    if (!key || cache_path(s, key, name, path, sizeof path, err) != 0)
        return key ? -1 : its_fail(err, "unlock first");
    size_t n;
    its_err ignored;
    unsigned char *buf = (unsigned char *)its_read_file(path, &n, &ignored);
    if (!buf)
        return 0; /* no cache yet */
    unsigned char id[STORE_KEYID_BYTES];
    store_key_id(key->pk, id);
    int found = 0;
    if (n >= CACHE_HEADER + crypto_aead_xchacha20poly1305_ietf_ABYTES && !memcmp(buf, CACHE_MAGIC, 4) &&
        buf[4] == 1 && !memcmp(buf + 5, id, sizeof id)) {
        size_t plen = n - CACHE_HEADER - crypto_aead_xchacha20poly1305_ietf_ABYTES;
        unsigned char *plain = malloc(plen + 1);
        unsigned char k[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
        cache_key(key, name, k);
        unsigned long long got;
        if (plain && crypto_aead_xchacha20poly1305_ietf_decrypt(
                         plain, &got, NULL, buf + CACHE_HEADER, n - CACHE_HEADER, buf, CACHE_HEADER,
                         buf + 5 + STORE_KEYID_BYTES, k) == 0) {
            plain[got] = '\0';
            *data = plain;
            *len = (size_t)got;
            found = 1;
        } else {
            free(plain);
        }
        sodium_memzero(k, sizeof k);
    }
    free(buf);
    return found;
}

int store_cache_remove_all(store *s, its_err *err)
{
    DIR *d = opendir(store_dir(s));
    if (!d)
        return its_fail(err, "%s: cannot read the folder: %s", store_dir(s), strerror(errno));
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        /* The worker's memory of what it saw (complete.c) is not a summary of records: it must
         * outlive retention, or a rollback after a retention run would go unnoticed. */
        if (strncmp(e->d_name, "cache-", 6) || n < 7 || strcmp(e->d_name + n - 7, ".sealed") ||
            !strncmp(e->d_name, "cache-seen-", 11))
            continue;
        char path[STORE_PATH_MAX];
        if (its_path(path, sizeof path, err, "%s/%s", store_dir(s), e->d_name) != 0)
            rc = -1;
        else if (unlink(path) != 0 && errno != ENOENT)
            rc = its_fail(err, "%s: cannot remove the cache: %s", path, strerror(errno));
    }
    closedir(d);
    return rc;
}
