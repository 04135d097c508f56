/* envelope.c — one sealed record as bytes: header, nonce, sealed record keys, AEAD ciphertext.
 *
 *   offset      size  field
 *   0           4     magic "ITSR" (record) or "ITSN" (worker note)
 *   4           1     format version (1)
 *   5           16    record UUID
 *   21          8     created-at, seconds since 1970 UTC, signed big-endian
 *   29          1     device id length D (1..63)
 *   30          D     device id
 *   30+D        1     recipient count R (1..4)
 *   31+D        8R    recipient key ids
 *   H=31+D+8R   24    XChaCha20-Poly1305 nonce
 *   H+24        80R   crypto_box_seal(record key) per recipient, in key-id order
 *   A=H+24+80R  n+16  crypto_aead_xchacha20poly1305_ietf(payload), associated data = bytes [0, A)
 *
 * Everything before the ciphertext is associated data, so a changed byte anywhere (a sealed key
 * of another recipient included) makes the open fail for every recipient. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#define SEALED_KEY_BYTES (crypto_aead_xchacha20poly1305_ietf_KEYBYTES + crypto_box_SEALBYTES)
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

static size_t header_len(const store_env_header *h)
{
    return 31 + strlen(h->device) + (size_t)STORE_KEYID_BYTES * (size_t)h->n_recipients;
}

void store_key_id(const unsigned char pk[crypto_box_PUBLICKEYBYTES], unsigned char id[STORE_KEYID_BYTES])
{
    unsigned char h[crypto_generichash_BYTES_MIN];
    crypto_generichash(h, sizeof h, pk, crypto_box_PUBLICKEYBYTES, NULL, 0);
    memcpy(id, h, STORE_KEYID_BYTES);
}

void store_uuid_format(const unsigned char u[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[u[i] >> 4];
        out[o++] = hex[u[i] & 15];
    }
    out[o] = '\0';
}

int store_uuid_parse(const char *s, unsigned char u[16])
{
    if (!s || strlen(s) != STORE_UUID_LEN)
        return -1;
    char hex[33];
    int k = 0;
    for (int i = 0; i < STORE_UUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return -1;
        } else
            hex[k++] = s[i];
    }
    hex[k] = '\0';
    size_t got = 0;
    if (sodium_hex2bin(u, 16, hex, 32, NULL, &got, NULL) != 0 || got != 16)
        return -1;
    return 0;
}

int store_env_seal(store_env_header *h, const unsigned char *const *pks, int n,
                   const unsigned char *payload, size_t len, unsigned char **out, size_t *out_len,
                   its_err *err)
{
    size_t dlen = strlen(h->device);
    if (dlen < 1 || dlen > STORE_DEVICE_MAX)
        return its_fail(err, "The device id must be 1 to %d characters long.", STORE_DEVICE_MAX);
    if (n < 1 || n > STORE_MAX_RECIPIENTS)
        return its_fail(err, "A record needs 1 to %d recipient keys.", STORE_MAX_RECIPIENTS);
    h->version = STORE_ENV_VERSION;
    h->n_recipients = n;
    for (int i = 0; i < n; i++)
        store_key_id(pks[i], h->key_ids[i]);

    size_t hl = header_len(h);
    size_t ad_len = hl + NONCE_BYTES + (size_t)n * SEALED_KEY_BYTES;
    size_t total = ad_len + len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    unsigned char *b = malloc(total);
    if (!b)
        return its_fail(err, "Out of memory while sealing a record.");

    memcpy(b, h->magic, 4);
    b[4] = h->version;
    memcpy(b + 5, h->uuid, 16);
    unsigned long long t = (unsigned long long)h->created_at;
    for (int i = 0; i < 8; i++)
        b[21 + i] = (unsigned char)(t >> (56 - 8 * i));
    b[29] = (unsigned char)dlen;
    memcpy(b + 30, h->device, dlen);
    b[30 + dlen] = (unsigned char)n;
    for (int i = 0; i < n; i++)
        memcpy(b + 31 + dlen + (size_t)i * STORE_KEYID_BYTES, h->key_ids[i], STORE_KEYID_BYTES);

    unsigned char *nonce = b + hl;
    randombytes_buf(nonce, NONCE_BYTES);
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = crypto_box_seal(nonce + NONCE_BYTES + (size_t)i * SEALED_KEY_BYTES, key, sizeof key, pks[i]);
    unsigned long long clen = 0;
    if (rc == 0)
        rc = crypto_aead_xchacha20poly1305_ietf_encrypt(b + ad_len, &clen, payload, len, b, ad_len,
                                                        NULL, nonce, key);
    sodium_memzero(key, sizeof key);
    if (rc != 0) {
        free(b);
        return its_fail(err, "Sealing the record failed (a recipient public key is not valid).");
    }
    *out = b;
    *out_len = total;
    return 0;
}

int store_env_parse(const unsigned char *b, size_t len, store_env_header *h, its_err *err)
{
    memset(h, 0, sizeof *h);
    if (len < 31 || (memcmp(b, STORE_ENV_MAGIC_RECORD, 4) && memcmp(b, STORE_ENV_MAGIC_NOTE, 4)))
        return its_fail(err, "it is not a sealed Itsearvio record");
    memcpy(h->magic, b, 4);
    h->version = b[4];
    if (h->version != STORE_ENV_VERSION)
        return its_fail(err, "its format version %d is unknown to this program", h->version);
    memcpy(h->uuid, b + 5, 16);
    unsigned long long t = 0;
    for (int i = 0; i < 8; i++)
        t = (t << 8) | b[21 + i];
    h->created_at = (long long)t;
    size_t dlen = b[29];
    if (dlen < 1 || dlen > STORE_DEVICE_MAX || 31 + dlen > len)
        return its_fail(err, "its header is damaged (device id length)");
    memcpy(h->device, b + 30, dlen);
    h->device[dlen] = '\0';
    if (memchr(h->device, '\0', dlen))
        return its_fail(err, "its header is damaged (device id)");
    h->n_recipients = b[30 + dlen];
    if (h->n_recipients < 1 || h->n_recipients > STORE_MAX_RECIPIENTS)
        return its_fail(err, "its header is damaged (recipient count)");
    size_t hl = header_len(h);
    if (len < hl + NONCE_BYTES + (size_t)h->n_recipients * SEALED_KEY_BYTES +
                  crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return its_fail(err, "it is truncated");
    for (int i = 0; i < h->n_recipients; i++)
        memcpy(h->key_ids[i], b + 31 + dlen + (size_t)i * STORE_KEYID_BYTES, STORE_KEYID_BYTES);
    return 0;
}

int store_env_open(const unsigned char *b, size_t len, const unsigned char *pk, const unsigned char *sk,
                   unsigned char **payload, size_t *plen, its_err *err)
{
    store_env_header h;
    if (store_env_parse(b, len, &h, err) != 0)
        return -1;
    size_t hl = header_len(&h);
    const unsigned char *nonce = b + hl;
    const unsigned char *sealed = nonce + NONCE_BYTES;
    size_t ad_len = hl + NONCE_BYTES + (size_t)h.n_recipients * SEALED_KEY_BYTES;

    unsigned char id[STORE_KEYID_BYTES];
    store_key_id(pk, id);
    int mine = -1;
    for (int i = 0; i < h.n_recipients; i++)
        if (sodium_memcmp(h.key_ids[i], id, STORE_KEYID_BYTES) == 0)
            mine = i;
    /* With a damaged key id, still try every sealed key: a success then fails the AEAD check
     * below and is reported as an alteration rather than as "not for this key". */
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    int opened = -1;
    for (int i = 0; i < h.n_recipients && opened < 0; i++) {
        int k = mine >= 0 ? mine : i;
        if (crypto_box_seal_open(key, sealed + (size_t)k * SEALED_KEY_BYTES, SEALED_KEY_BYTES, pk, sk) == 0)
            opened = k;
        if (mine >= 0)
            break;
    }
    if (opened < 0)
        return its_fail(err, mine >= 0 ? "it has been altered or damaged (its sealed key does not open)"
                                       : "it is not sealed to this key");

    size_t clen = len - ad_len;
    unsigned char *p = malloc(clen > 0 ? clen : 1);
    if (!p) {
        sodium_memzero(key, sizeof key);
        return its_fail(err, "out of memory");
    }
    unsigned long long got = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(p, &got, NULL, b + ad_len, clen, b, ad_len,
                                                        nonce, key);
    sodium_memzero(key, sizeof key);
    if (rc != 0) {
        free(p);
        return its_fail(err, "it has been altered or damaged (authentication failed)");
    }
    *payload = p;
    *plen = (size_t)got;
    return 0;
}
