/* sign.c — the signed texts of the fleet (docs/fleet-protocol.md 3, 4, 5, 6): the keys bundle,
 * enrolment tokens, audit heads and pull requests.
 *
 * The worker signing key itself is derived in app/store (store_worker_sign_keypair).
 * Every signature is Ed25519 (crypto_sign_detached) over a canonical text of lines, each value
 * written as it travels (base64 as sent), so both sides build the same bytes without a JSON
 * canonicalisation. */
#include "fleet.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 512
#define B64_32 sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)

static void sign_text(const char *text, const unsigned char sk[FLEET_SK_BYTES],
                      unsigned char sig[FLEET_SIG_BYTES])
{
    crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), sk);
}

static bool verify_text(const char *text, const unsigned char sig[FLEET_SIG_BYTES],
                        const unsigned char pk[FLEET_PK_BYTES])
{
    return crypto_sign_verify_detached(sig, (const unsigned char *)text, strlen(text), pk) == 0;
}

/* ---- audit heads -------------------------------------------------------------------------- */

static void head_text(const char *device, const fleet_audit_head *h, char text[TEXT_MAX])
{
    char hash[B64_32];
    fleet_b64_encode(h->hash, sizeof h->hash, hash, sizeof hash);
    text[0] = '\0';
    its_appendf(text, TEXT_MAX, "itsearvio-audit-head-v1\n%s\n%lld\n%s\n", device, h->seq, hash);
}

void fleet_audit_head_sign(const char *device, fleet_audit_head *h,
                           const unsigned char sk[FLEET_SK_BYTES])
{
    char text[TEXT_MAX];
    head_text(device, h, text);
    sign_text(text, sk, h->sig);
    h->present = true;
}

bool fleet_audit_head_verify(const char *device, const fleet_audit_head *h,
                             const unsigned char pk[FLEET_PK_BYTES])
{
    char text[TEXT_MAX];
    head_text(device, h, text);
    return verify_text(text, h->sig, pk);
}

/* ---- keys bundle ------------------------------------------------------------------------- */

/* The team line is always empty in format 1: the worker signs before any team exists and the
 * server sets the team (protocol 3); the token's pin binds the team to the signer instead. */
static void bundle_text(const fleet_bundle *b, char text[TEXT_MAX])
{
    char w[B64_32], r[B64_32], s[B64_32];
    fleet_b64_encode(b->worker_pk, 32, w, sizeof w);
    fleet_b64_encode(b->recovery_pk, 32, r, sizeof r);
    fleet_b64_encode(b->signer_pk, 32, s, sizeof s);
    text[0] = '\0';
    its_appendf(text, TEXT_MAX, "itsearvio-keys-bundle-v1\n%s\n%lld\n%s\n%s\n%s\n", "", b->epoch, w,
                r, s);
}

void fleet_bundle_sign(fleet_bundle *b, const unsigned char sk[FLEET_SK_BYTES])
{
    char text[TEXT_MAX];
    crypto_sign_ed25519_sk_to_pk(b->signer_pk, sk);
    bundle_text(b, text);
    sign_text(text, sk, b->sig);
}

int fleet_bundle_from_json(const json_t *o, fleet_bundle *b, its_err *err)
{
    memset(b, 0, sizeof *b);
    const json_t *team = json_object_get(o, "team"), *epoch = json_object_get(o, "epoch");
    const char *kind = json_string_value(json_object_get(o, "itsearvio"));
    if (!json_is_object(o) || !kind || strcmp(kind, "keys-bundle") || !json_is_integer(epoch) ||
        json_integer_value(epoch) < 1 ||
        (team && !json_is_null(team) && !fleet_name_ok(json_string_value(team))) ||
        fleet_b64_decode(json_string_value(json_object_get(o, "worker_public_key")), b->worker_pk,
                         32) ||
        fleet_b64_decode(json_string_value(json_object_get(o, "recovery_public_key")),
                         b->recovery_pk, 32) ||
        fleet_b64_decode(json_string_value(json_object_get(o, "signer_public_key")), b->signer_pk,
                         32) ||
        fleet_b64_decode(json_string_value(json_object_get(o, "signature")), b->sig, 64))
        return its_fail(err,
                        "The keys bundle is not shaped as docs/fleet-protocol.md section 3 says.");
    b->epoch = json_integer_value(epoch);
    if (json_is_string(team))
        its_strlcpy(b->team, json_string_value(team), sizeof b->team);
    char text[TEXT_MAX];
    bundle_text(b, text);
    if (!verify_text(text, b->sig, b->signer_pk))
        return its_fail(err,
                        "The keys bundle's signature does not verify: it was changed after the "
                        "worker signed it; make it again with `itsearvio init` in worker mode.");
    return 0;
}

int fleet_bundle_parse(const char *text, size_t len, fleet_bundle *b, its_err *err)
{
    json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    int rc = fleet_bundle_from_json(o, b, err);
    json_decref(o);
    return rc;
}

json_t *fleet_bundle_to_json(const fleet_bundle *b)
{
    char w[B64_32], r[B64_32], s[B64_32],
        sig[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    fleet_b64_encode(b->worker_pk, 32, w, sizeof w);
    fleet_b64_encode(b->recovery_pk, 32, r, sizeof r);
    fleet_b64_encode(b->signer_pk, 32, s, sizeof s);
    fleet_b64_encode(b->sig, 64, sig, sizeof sig);
    return json_pack("{s:s, s:i, s:o, s:I, s:s, s:s, s:s, s:s}", "itsearvio", "keys-bundle",
                     "format", 1, "team", b->team[0] ? json_string(b->team) : json_null(), "epoch",
                     (json_int_t)b->epoch, "worker_public_key", w, "recovery_public_key", r,
                     "signer_public_key", s, "signature", sig);
}

/* ---- enrolment tokens --------------------------------------------------------------------- */

void fleet_signer_pin(const unsigned char signer_pk[FLEET_PK_BYTES], char pin[FLEET_PIN_LEN + 1])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, signer_pk, FLEET_PK_BYTES, NULL, 0);
    sodium_bin2hex(pin, FLEET_PIN_LEN + 1, h, FLEET_PIN_LEN / 2);
}

void fleet_token_make(const unsigned char signer_pk[FLEET_PK_BYTES],
                      char token[FLEET_TOKEN_LEN + 1],
                      unsigned char secret[FLEET_TOKEN_SECRET_BYTES])
{
    char pin[FLEET_PIN_LEN + 1];
    randombytes_buf(secret, FLEET_TOKEN_SECRET_BYTES);
    sodium_bin2base64(token, 23, secret, FLEET_TOKEN_SECRET_BYTES,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    fleet_signer_pin(signer_pk, pin);
    token[22] = '.';
    memcpy(token + 23, pin, FLEET_PIN_LEN + 1);
}

int fleet_token_split(const char *token, unsigned char secret[FLEET_TOKEN_SECRET_BYTES],
                      char pin[FLEET_PIN_LEN + 1], its_err *err)
{
    size_t got = 0;
    bool ok = token && strlen(token) == FLEET_TOKEN_LEN && token[22] == '.' &&
              sodium_base642bin(secret, FLEET_TOKEN_SECRET_BYTES, token, 22, NULL, &got, NULL,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
              got == FLEET_TOKEN_SECRET_BYTES;
    for (int i = 23; ok && i < FLEET_TOKEN_LEN; i++)
        ok = (token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f');
    if (!ok)
        return its_fail(
            err, "This is not an enrolment token: it is 22 letters, a dot and 16 hex digits, "
                 "as printed by `itsearvio server enroll`.");
    memcpy(pin, token + 23, FLEET_PIN_LEN + 1);
    return 0;
}

/* ---- pull requests ------------------------------------------------------------------------ */

static void pull_text(const fleet_pull_req *r, char text[TEXT_MAX])
{
    text[0] = '\0';
    its_appendf(text, TEXT_MAX, "itsearvio-pull-v1\n%s\n%lld\n%d\n%lld\n", r->team, r->after,
                r->limit, r->time);
}

void fleet_pull_sign(fleet_pull_req *r, const unsigned char sk[FLEET_SK_BYTES])
{
    char text[TEXT_MAX];
    crypto_sign_ed25519_sk_to_pk(r->worker_pk, sk);
    pull_text(r, text);
    sign_text(text, sk, r->sig);
}

bool fleet_pull_verify(const fleet_pull_req *r)
{
    char text[TEXT_MAX];
    pull_text(r, text);
    return verify_text(text, r->sig, r->worker_pk);
}

/* ---- teams -------------------------------------------------------------------------------- */

void fleet_member_fingerprint(const unsigned char sign_pk[FLEET_PK_BYTES],
                              const unsigned char box_pk[FLEET_PK_BYTES],
                              char out[FLEET_FINGERPRINT_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char both[2 * FLEET_PK_BYTES], h[16];
    memcpy(both, sign_pk, FLEET_PK_BYTES);
    memcpy(both + FLEET_PK_BYTES, box_pk, FLEET_PK_BYTES);
    crypto_generichash(h, sizeof h, both, sizeof both, NULL, 0);
    int o = 0;
    for (int i = 0; i < 8; i++) {
        if (i && i % 2 == 0)
            out[o++] = '-';
        out[o++] = hex[h[i] >> 4];
        out[o++] = hex[h[i] & 15];
    }
    out[o] = '\0';
}

static void team_text(const fleet_team_req *r, char text[TEXT_MAX])
{
    unsigned char h[FLEET_HASH_BYTES];
    const char *p = r->payload ? r->payload : "{}";
    crypto_generichash(h, sizeof h, (const unsigned char *)p, strlen(p), NULL, 0);
    char hb[B64_32];
    fleet_b64_encode(h, sizeof h, hb, sizeof hb);
    text[0] = '\0';
    its_appendf(text, TEXT_MAX, "itsearvio-team-v1\n%s\n%s\n%lld\n%s\n", r->action, r->team, r->time, hb);
}

void fleet_team_sign(fleet_team_req *r, const unsigned char sk[FLEET_SK_BYTES])
{
    char text[TEXT_MAX];
    crypto_sign_ed25519_sk_to_pk(r->by_pk, sk);
    team_text(r, text);
    sign_text(text, sk, r->sig);
}

bool fleet_team_verify(const fleet_team_req *r)
{
    char text[TEXT_MAX];
    team_text(r, text);
    return verify_text(text, r->sig, r->by_pk);
}
