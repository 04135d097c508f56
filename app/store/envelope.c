/* envelope.c — one sealed record as bytes (envelope.h): header, nonce, sealed record keys,
 * AEAD ciphertext of the padded payload, device signature.
 *
 *   offset      size  field (format 2; format 1 has no seq, no padding and no signature)
 *   0           4     magic "ITSR" (record) or "ITSN" (worker note)
 *   4           1     format version (2, or 3 with the list summary)
 *   5           16    record UUID
 *   21          8     created-at, seconds since 1970 UTC, signed big-endian
 *   29          8     seq: the device's sequence number (1, 2, 3 ... per device and magic)
 *   37          1     device id length D (1..63)
 *   38          D     device id
 *   38+D        1     recipient count R (1..4)
 *   39+D        8R    recipient key ids
 *   H=39+D+8R   24    XChaCha20-Poly1305 nonce
 *   H+24        80R   crypto_box_seal(record key) per recipient, in key-id order
 *   A=H+24+80R  S+16  format 3 only: AEAD of the list summary padded to S = 1024 bytes, under
 *                     the subkey crypto_kdf(1, "itssumm1", record key), associated data = [0, A)
 *   A(+S+16)    m+16  AEAD of sodium_pad(payload, 512), associated data = bytes [0, A)
 *   end-64      64    Ed25519 signature by the device key over bytes [0, end-64)
 *
 * Everything before the ciphertext is associated data, so a changed byte anywhere (a sealed key
 * of another recipient included) makes the open fail for every recipient; the signature covers
 * every byte, so anyone holding the device's public key can tell a forged or altered envelope
 * without opening it. The padding hides the payload length to within 512 bytes. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#define SEALED_KEY_BYTES (crypto_aead_xchacha20poly1305_ietf_KEYBYTES + crypto_box_SEALBYTES)
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES

/* Bytes of the sealed list summary in a format 3 envelope, 0 in the others. */
static size_t summary_ct_len(int version)
{
    return version == 3 ? STORE_ENV_SUMMARY_BYTES + AEAD_ABYTES : 0;
}

/* Where the device id length byte sits: format 2 has the 8-byte seq before it. */
static size_t device_off(int version)
{
    return version == 1 ? 29 : 37;
}

static size_t header_len(const store_env_header *h)
{
    return device_off(h->version) + 2 + strlen(h->device) +
           (size_t)STORE_KEYID_BYTES * (size_t)h->n_recipients;
}

static void put_be64(unsigned char *b, long long v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((unsigned long long)v >> (56 - 8 * i));
}

static long long get_be64(const unsigned char *b)
{
    unsigned long long t = 0;
    for (int i = 0; i < 8; i++)
        t = (t << 8) | b[i];
    return (long long)t;
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

/* Writes the header of h (format 2 or 3) into b; returns its length. */
static size_t header_write(const store_env_header *h, unsigned char *b)
{
    size_t dlen = strlen(h->device), off = device_off(2);
    memcpy(b, h->magic, 4);
    b[4] = h->version;
    memcpy(b + 5, h->uuid, 16);
    put_be64(b + 21, h->created_at);
    put_be64(b + 29, h->seq);
    b[off] = (unsigned char)dlen;
    memcpy(b + off + 1, h->device, dlen);
    b[off + 1 + dlen] = (unsigned char)h->n_recipients;
    for (int i = 0; i < h->n_recipients; i++)
        memcpy(b + off + 2 + dlen + (size_t)i * STORE_KEYID_BYTES, h->key_ids[i], STORE_KEYID_BYTES);
    return header_len(h);
}

/* The payload padded to whole blocks (ISO/IEC 7816-4, sodium_pad), in memory wiped on free. */
static unsigned char *pad_payload(const unsigned char *payload, size_t len, size_t *padded_len)
{
    size_t max = len + STORE_ENV_PAD_BLOCK;
    unsigned char *p = malloc(max);
    if (!p)
        return NULL;
    memcpy(p, payload, len);
    if (sodium_pad(padded_len, p, len, STORE_ENV_PAD_BLOCK, max) != 0) {
        store_payload_free(p, max);
        return NULL;
    }
    return p;
}

/* The subkey that seals the list summary: derived from the record key, so the summary and the
 * payload share the nonce without ever sharing a key. */
static void summary_key(const unsigned char key[crypto_kdf_KEYBYTES], unsigned char sub[crypto_kdf_KEYBYTES])
{
    crypto_kdf_derive_from_key(sub, crypto_kdf_KEYBYTES, 1, "itssumm1", key);
}

/* Seals the summary (padded to STORE_ENV_SUMMARY_BYTES) at out under the record key. */
static int seal_summary(unsigned char *out, const unsigned char *summary, size_t len, const unsigned char *ad,
                        size_t ad_len, const unsigned char *nonce, const unsigned char *key)
{
    unsigned char padded[STORE_ENV_SUMMARY_BYTES], sub[crypto_kdf_KEYBYTES];
    size_t padded_len;
    memcpy(padded, summary, len);
    int rc = sodium_pad(&padded_len, padded, len, sizeof padded, sizeof padded);
    summary_key(key, sub);
    if (rc == 0)
        rc = crypto_aead_xchacha20poly1305_ietf_encrypt(out, NULL, padded, padded_len, ad, ad_len, NULL,
                                                        nonce, sub);
    sodium_memzero(padded, sizeof padded);
    sodium_memzero(sub, sizeof sub);
    return rc;
}

int store_env_seal(store_env_header *h, const unsigned char *const *pks, int n,
                   const unsigned char *payload, size_t len,
                   const unsigned char sign_sk[STORE_SIGN_SECRET_BYTES], unsigned char **out,
                   size_t *out_len, its_err *err)
{
    return store_env_seal_summary(h, pks, n, payload, len, NULL, 0, sign_sk, out, out_len, err);
}

int store_env_seal_summary(store_env_header *h, const unsigned char *const *pks, int n,
                           const unsigned char *payload, size_t len, const unsigned char *summary,
                           size_t summary_len, const unsigned char sign_sk[STORE_SIGN_SECRET_BYTES],
                           unsigned char **out, size_t *out_len, its_err *err)
{
    size_t dlen = strlen(h->device);
    if (dlen < 1 || dlen > STORE_DEVICE_MAX)
        return its_fail(err, "The device id must be 1 to %d characters long.", STORE_DEVICE_MAX);
    if (n < 1 || n > STORE_MAX_RECIPIENTS)
        return its_fail(err, "A record needs 1 to %d recipient keys.", STORE_MAX_RECIPIENTS);
    if (h->seq < 1)
        return its_fail(err, "A record needs a sequence number of 1 or more.");
    if (summary && summary_len >= STORE_ENV_SUMMARY_BYTES)
        return its_fail(err, "A list summary must be shorter than %d bytes.", STORE_ENV_SUMMARY_BYTES);
    h->version = summary ? 3 : 2;
    h->n_recipients = n;
    for (int i = 0; i < n; i++)
        store_key_id(pks[i], h->key_ids[i]);

    size_t padded_len = 0;
    unsigned char *padded = pad_payload(payload, len, &padded_len);
    size_t ad_len = header_len(h) + NONCE_BYTES + (size_t)n * SEALED_KEY_BYTES;
    size_t sum_len = summary_ct_len(h->version);
    size_t signed_len = ad_len + sum_len + padded_len + AEAD_ABYTES;
    unsigned char *b = padded ? malloc(signed_len + crypto_sign_BYTES) : NULL;
    if (!b) {
        if (padded)
            store_payload_free(padded, padded_len);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory while sealing a record.");
    }
    unsigned char *nonce = b + header_write(h, b);
    randombytes_buf(nonce, NONCE_BYTES);
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = crypto_box_seal(nonce + NONCE_BYTES + (size_t)i * SEALED_KEY_BYTES, key, sizeof key, pks[i]);
    if (rc == 0 && summary)
        rc = seal_summary(b + ad_len, summary, summary_len, b, ad_len, nonce, key);
    unsigned long long clen = 0;
    if (rc == 0)
        rc = crypto_aead_xchacha20poly1305_ietf_encrypt(b + ad_len + sum_len, &clen, padded, padded_len, b,
                                                        ad_len, NULL, nonce, key);
    sodium_memzero(key, sizeof key);
    store_payload_free(padded, padded_len);
    if (rc == 0)
        rc = crypto_sign_detached(b + signed_len, NULL, b, signed_len, sign_sk);
    if (rc != 0) {
        free(b);
        return its_fail(err, "Sealing the record failed (a recipient public key is not valid).");
    }
    *out = b;
    *out_len = signed_len + crypto_sign_BYTES;
    return 0;
}

/* Bytes after the sealed keys: the ciphertext, and in format 2 the signature. */
static size_t tail_len(const store_env_header *h, size_t len)
{
    return len - header_len(h) - NONCE_BYTES - (size_t)h->n_recipients * SEALED_KEY_BYTES;
}

int store_env_parse(const unsigned char *b, size_t len, store_env_header *h, its_err *err)
{
    memset(h, 0, sizeof *h);
    if (!b || len < 31 || (memcmp(b, STORE_ENV_MAGIC_RECORD, 4) && memcmp(b, STORE_ENV_MAGIC_NOTE, 4) &&
                            memcmp(b, STORE_ENV_MAGIC_PROGRAMME, 4)))
        return its_fail(err, "it is not a sealed Itsearvio record");
    memcpy(h->magic, b, 4);
    h->version = b[4];
    if (h->version < 1 || h->version > 3)
        return its_fail(err, "its format version %d is unknown to this program", h->version);
    bool signed_env = h->version >= 2;
    memcpy(h->uuid, b + 5, 16);
    h->created_at = get_be64(b + 21);
    size_t off = device_off(h->version);
    if (signed_env && len < off + 2)
        return its_fail(err, "it is truncated");
    h->seq = signed_env ? get_be64(b + 29) : 0;
    size_t dlen = b[off];
    if (dlen < 1 || dlen > STORE_DEVICE_MAX || off + 2 + dlen > len)
        return its_fail(err, "its header is damaged (device id length)");
    memcpy(h->device, b + off + 1, dlen);
    h->device[dlen] = '\0';
    if (memchr(h->device, '\0', dlen))
        return its_fail(err, "its header is damaged (device id)");
    h->n_recipients = b[off + 1 + dlen];
    if (h->n_recipients < 1 || h->n_recipients > STORE_MAX_RECIPIENTS)
        return its_fail(err, "its header is damaged (recipient count)");
    size_t fixed = header_len(h) + NONCE_BYTES + (size_t)h->n_recipients * SEALED_KEY_BYTES;
    size_t tail_min = AEAD_ABYTES + summary_ct_len(h->version) +
                      (signed_env ? STORE_ENV_PAD_BLOCK + crypto_sign_BYTES : 0);
    if (len < fixed + tail_min)
        return its_fail(err, "it is truncated");
    if (signed_env && (tail_len(h, len) - tail_min) % STORE_ENV_PAD_BLOCK != 0)
        return its_fail(err, "it is truncated or extended (its padded length is not whole blocks)");
    if (signed_env && h->seq < 1)
        return its_fail(err, "its header is damaged (sequence number)");
    for (int i = 0; i < h->n_recipients; i++)
        memcpy(h->key_ids[i], b + off + 2 + dlen + (size_t)i * STORE_KEYID_BYTES, STORE_KEYID_BYTES);
    return 0;
}

int store_env_verify(const unsigned char *b, size_t len, const unsigned char sign_pk[STORE_SIGN_PUBLIC_BYTES],
                     store_env_header *h, its_err *err)
{
    store_env_header mine;
    if (!h)
        h = &mine;
    if (store_env_parse(b, len, h, err) != 0)
        return -1;
    if (h->version == 1)
        return its_fail(err, "it is unsigned (envelope format 1)");
    if (crypto_sign_verify_detached(b + len - crypto_sign_BYTES, b, len - crypto_sign_BYTES, sign_pk) != 0)
        return its_fail(err,
                        "its signature does not match the device's signing key: it was altered or forged");
    return 0;
}

/* Opens the record key sealed to (pk, sk); fills h and ad_len (where the ciphertexts start). */
static int open_key(const unsigned char *b, size_t len, const unsigned char *pk, const unsigned char *sk,
                    store_env_header *h, size_t *ad_len, unsigned char key[crypto_kdf_KEYBYTES], its_err *err)
{
    if (store_env_parse(b, len, h, err) != 0)
        return -1;
    const unsigned char *sealed = b + header_len(h) + NONCE_BYTES;
    *ad_len = header_len(h) + NONCE_BYTES + (size_t)h->n_recipients * SEALED_KEY_BYTES;
    unsigned char id[STORE_KEYID_BYTES];
    store_key_id(pk, id);
    int mine = -1;
    for (int i = 0; i < h->n_recipients; i++)
        if (sodium_memcmp(h->key_ids[i], id, STORE_KEYID_BYTES) == 0)
            mine = i;
    /* With a damaged key id, still try every sealed key: a success then fails the AEAD check
     * below and is reported as an alteration rather than as "not for this key". */
    for (int i = 0; i < h->n_recipients; i++) {
        int k = mine >= 0 ? mine : i;
        if (crypto_box_seal_open(key, sealed + (size_t)k * SEALED_KEY_BYTES, SEALED_KEY_BYTES, pk, sk) == 0)
            return 0;
        if (mine >= 0)
            break;
    }
    if (mine >= 0)
        return its_fail_code(err, ITS_E_DAMAGED,
                             "it has been altered or damaged (its sealed key does not open)");
    return its_fail_code(err, ITS_E_NO_TEAM_KEY, "it is not sealed to this key");
}

int store_env_open(const unsigned char *b, size_t len, const unsigned char *pk, const unsigned char *sk,
                   unsigned char **payload, size_t *plen, its_err *err)
{
    store_env_header h;
    size_t ad_len;
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    if (open_key(b, len, pk, sk, &h, &ad_len, key, err) != 0)
        return -1;
    size_t start = ad_len + summary_ct_len(h.version);
    size_t clen = len - start - (h.version >= 2 ? crypto_sign_BYTES : 0);
    unsigned char *p = malloc(clen > 0 ? clen : 1);
    if (!p) {
        sodium_memzero(key, sizeof key);
        return its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
    }
    unsigned long long got = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(p, &got, NULL, b + start, clen, b, ad_len,
                                                        b + header_len(&h), key);
    sodium_memzero(key, sizeof key);
    size_t unpadded = (size_t)got;
    if (rc != 0 || (h.version >= 2 && sodium_unpad(&unpadded, p, (size_t)got, STORE_ENV_PAD_BLOCK) != 0)) {
        store_payload_free(p, clen);
        return its_fail(err, rc != 0 ? "it has been altered or damaged (authentication failed)"
                                     : "it has been altered or damaged (its padding is wrong)");
    }
    sodium_memzero(p + unpadded, (size_t)got - unpadded);
    *payload = p;
    *plen = unpadded;
    return 0;
}

int store_env_open_summary(const unsigned char *b, size_t len, const unsigned char *pk,
                           const unsigned char *sk, unsigned char out[STORE_ENV_SUMMARY_BYTES],
                           size_t *out_len, its_err *err)
{
    store_env_header h;
    size_t ad_len;
    unsigned char key[crypto_kdf_KEYBYTES], sub[crypto_kdf_KEYBYTES];
    if (store_env_parse(b, len, &h, err) != 0)
        return -1;
    if (h.version != 3)
        return 1;
    if (open_key(b, len, pk, sk, &h, &ad_len, key, err) != 0)
        return -1;
    summary_key(key, sub);
    sodium_memzero(key, sizeof key);
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, b + ad_len, summary_ct_len(3), b,
                                                        ad_len, b + header_len(&h), sub);
    sodium_memzero(sub, sizeof sub);
    if (rc != 0 || sodium_unpad(out_len, out, STORE_ENV_SUMMARY_BYTES, STORE_ENV_SUMMARY_BYTES) != 0) {
        sodium_memzero(out, STORE_ENV_SUMMARY_BYTES);
        return its_fail(err, "it has been altered or damaged (its list summary does not open)");
    }
    return 0;
}
