/* envelope.h — one sealed record as bytes (docs/fleet-protocol.md section 2, docs/storage.md):
 * the header, sealing, opening, and the device signature check.
 *
 * Owns the byte format only: no database, no files, no key storage. It needs libsodium and
 * nothing else, so code outside the store (the ingest server) checks an envelope with
 * store_env_verify using the device's public signing key alone, without any secret key.
 *
 * Format 2 (written for notes): header with the device's sequence number, the payload padded to
 * 512-byte blocks, an Ed25519 signature over every byte before it. Format 3 (written for results)
 * adds the list summary, sealed under a subkey of the record key before the payload. Format 1
 * (read only) has no seq, no padding and no signature: it is reported as unsigned.
 *
 * Error texts are the end of a sentence ("it is unsigned (envelope format 1)"), so a caller
 * writes "Record ID cannot be opened: <text>." or "Upload refused: <text>." */
#ifndef ITS_ENVELOPE_H
#define ITS_ENVELOPE_H

#include <stddef.h>
#include "store.h"
#include "util.h"

#define STORE_ENV_MAGIC_RECORD "ITSR"
#define STORE_ENV_MAGIC_NOTE "ITSN"
#define STORE_ENV_MAGIC_PROGRAMME "ITSP" /* a programme summary or update (programme.c) */
#define STORE_ENV_VERSION 2        /* what store_env_seal writes; parse reads 1, 2 and 3 */
#define STORE_ENV_SUMMARY_BYTES 1024 /* format 3: the sealed list summary, always padded to this */
#define STORE_KEYID_BYTES 8
#define STORE_MAX_RECIPIENTS 4
#define STORE_SIGN_PUBLIC_BYTES 32 /* Ed25519 public key (crypto_sign_PUBLICKEYBYTES) */
#define STORE_SIGN_SECRET_BYTES 64 /* Ed25519 secret key (crypto_sign_SECRETKEYBYTES) */
#define STORE_SIGNATURE_BYTES 64   /* crypto_sign_BYTES */
#define STORE_ENV_PAD_BLOCK 512

typedef struct store_env_header {
    char magic[5];
    unsigned char version; /* 1, 2, or 3 (2 with the sealed list summary) */
    unsigned char uuid[16];
    long long created_at;
    long long seq;         /* the device's sequence number; 0 in format 1 */
    char device[STORE_DEVICE_MAX + 1];
    int n_recipients;
    unsigned char key_ids[STORE_MAX_RECIPIENTS][STORE_KEYID_BYTES];
} store_env_header;

/* The 8-byte id of a public key: BLAKE2b-128 of the key, first 8 bytes. */
void store_key_id(const unsigned char pk[32], unsigned char id[STORE_KEYID_BYTES]);
/* Seals payload to pks[0..n-1] as format 2 (h->version and the key ids are filled in) and signs
 * it with the device's Ed25519 secret key. *out is malloc'd. */
int store_env_seal(store_env_header *h, const unsigned char *const *pks, int n,
                   const unsigned char *payload, size_t len,
                   const unsigned char sign_sk[STORE_SIGN_SECRET_BYTES], unsigned char **out,
                   size_t *out_len, its_err *err);
/* The same as format 3, with a list summary (shorter than STORE_ENV_SUMMARY_BYTES, padded to
 * it so its length tells nothing) sealed under a subkey of the record key and covered by the
 * same signature. summary NULL: format 2. */
int store_env_seal_summary(store_env_header *h, const unsigned char *const *pks, int n,
                           const unsigned char *payload, size_t len, const unsigned char *summary,
                           size_t summary_len, const unsigned char sign_sk[STORE_SIGN_SECRET_BYTES],
                           unsigned char **out, size_t *out_len, its_err *err);
/* Reads the header of a format 1, 2 or 3 envelope and checks its lengths; no key needed. */
int store_env_parse(const unsigned char *env, size_t len, store_env_header *h, its_err *err);
/* Parses (h may be NULL) and checks the Ed25519 signature with the device's public key. Fails
 * with "it is not a sealed Itsearvio record", "it is unsigned (envelope format 1)" or "its
 * signature does not match the device's signing key: it was altered or forged". Needs no
 * secret key and no store. */
int store_env_verify(const unsigned char *env, size_t len,
                     const unsigned char sign_pk[STORE_SIGN_PUBLIC_BYTES], store_env_header *h,
                     its_err *err);
/* Opens with one X25519 key pair (does not check the signature: call store_env_verify first).
 * *payload is malloc'd, padding removed (free with store_payload_free). */
int store_env_open(const unsigned char *env, size_t len, const unsigned char *pk, const unsigned char *sk,
                   unsigned char **payload, size_t *plen, its_err *err);

/* Opens only the list summary of a format 3 envelope (no signature check: store_env_verify
 * first): 0 with out (wipe it after use), 1 when the envelope has no summary (format 1 or 2),
 * -1 when it does not open. */
int store_env_open_summary(const unsigned char *env, size_t len, const unsigned char *pk,
                           const unsigned char *sk, unsigned char out[STORE_ENV_SUMMARY_BYTES],
                           size_t *out_len, its_err *err);

void store_uuid_format(const unsigned char uuid[16], char out[37]);
int store_uuid_parse(const char *s, unsigned char uuid[16]);

#endif
