/* fleet.h — the fleet's wire format (docs/fleet-protocol.md): the JSON of an upload batch and
 * its answer, the keys bundle, a pull request and its page, the enrolment token, and the
 * canonical texts that devices and workers sign. Devices, worker stations and the ingest server
 * all use this one parser.
 *
 * Owns bytes <-> structs and signatures (libsodium) only: no network, no SQL, no files, and no
 * envelope parsing (that is app/store's envelope.h). Every parse checks sizes and shapes and
 * fails with one plain sentence; a struct filled by a parse is freed with its _free, which is
 * also safe on a zeroed struct and after a failed parse. */
#ifndef ITS_FLEET_H
#define ITS_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "util.h"

#define FLEET_BATCH_MAX 200           /* records in one upload */
#define FLEET_BODY_MAX (8u << 20)     /* bytes in one request body (413 above) */
#define FLEET_ENVELOPE_MAX (1u << 20) /* bytes in one sealed envelope */
#define FLEET_PULL_MAX 1000           /* records in one pull page */
#define FLEET_NAME_MAX 63             /* device, team and site names */
#define FLEET_PK_BYTES 32             /* Ed25519 / X25519 public key */
#define FLEET_SK_BYTES 64             /* Ed25519 secret key */
#define FLEET_SIG_BYTES 64            /* Ed25519 signature */
#define FLEET_HASH_BYTES 32           /* BLAKE2b-256 */
#define FLEET_TOKEN_SECRET_BYTES 16
#define FLEET_TOKEN_LEN 39   /* 22 base64url + "." + 16 hex */
#define FLEET_PIN_LEN 16     /* hex characters of the signer pin */
#define FLEET_CLOCK_SKEW 300 /* seconds a signed pull request may be off the clock */

/* ---- names ------------------------------------------------------------------------------- */

/* A device, team or site name: 1..63 of [A-Za-z0-9._-]. */
bool fleet_name_ok(const char *s);
/* A UUID in its 36-character text form, lower case. */
bool fleet_uuid_ok(const char *s);

/* ---- upload batch (protocol 5) -------------------------------------------------------- */

typedef struct fleet_record {
    char id[37];
    unsigned char *env; /* the sealed envelope, byte for byte */
    size_t len;
} fleet_record;

typedef struct fleet_audit_head {
    bool present;
    long long seq;
    unsigned char hash[FLEET_HASH_BYTES];
    unsigned char sig[FLEET_SIG_BYTES];
} fleet_audit_head;

typedef struct fleet_batch {
    char device[FLEET_NAME_MAX + 1];
    int n;
    fleet_record *records;
    fleet_audit_head head;
} fleet_batch;

/* Reads an upload body. Refuses (nothing allocated) a body that is not JSON, a bad device name,
 * 0 or more than FLEET_BATCH_MAX records, an id that is not a UUID, an id given twice, an
 * envelope that is not base64 or is larger than FLEET_ENVELOPE_MAX, a malformed audit head. */
int fleet_batch_parse(const char *body, size_t len, fleet_batch *b, its_err *err);
void fleet_batch_free(fleet_batch *b);
/* The JSON text of a batch (malloc'd), or NULL when out of memory. */
char *fleet_batch_encode(const fleet_batch *b);

/* Signs / checks an audit head with the device key over
 * "itsearvio-audit-head-v1\n<device>\n<seq>\n<hash b64>\n". */
void fleet_audit_head_sign(const char *device, fleet_audit_head *h,
                           const unsigned char sk[FLEET_SK_BYTES]);
bool fleet_audit_head_verify(const char *device, const fleet_audit_head *h,
                             const unsigned char pk[FLEET_PK_BYTES]);

/* ---- upload answer ------------------------------------------------------------------------ */

typedef enum { FLEET_STORED, FLEET_DUPLICATE, FLEET_CONFLICT, FLEET_REFUSED } fleet_status;

typedef struct fleet_result {
    char id[37];
    fleet_status status;
    char message[200]; /* refused and conflict: why, one sentence; else empty */
} fleet_result;

typedef struct fleet_answer {
    int n;
    fleet_result *results;
    char audit[256]; /* "ok" or "rollback: ..." or "" when no head was sent */
} fleet_answer;

const char *fleet_status_name(fleet_status s);    /* "stored", "duplicate", "conflict", "refused" */
char *fleet_answer_encode(const fleet_answer *a); /* malloc'd JSON, NULL when out of memory */
int fleet_answer_parse(const char *body, size_t len, fleet_answer *a, its_err *err);
void fleet_answer_free(fleet_answer *a);

/* {"error": "sentence"} as malloc'd JSON. */
char *fleet_error_encode(const char *sentence);
/* The sentence of an error body (copied into out), or false when the body is not one. */
bool fleet_error_parse(const char *body, size_t len, char *out, size_t out_len);

/* ---- keys bundle (protocol 3) ------------------------------------------------------------ */

typedef struct fleet_bundle {
    char team[FLEET_NAME_MAX + 1]; /* "" when not set (not covered by the signature) */
    long long epoch;
    unsigned char worker_pk[FLEET_PK_BYTES];
    unsigned char recovery_pk[FLEET_PK_BYTES];
    unsigned char signer_pk[FLEET_PK_BYTES];
    unsigned char sig[FLEET_SIG_BYTES];
} fleet_bundle;

/* Sets signer_pk from sk (the worker signing key: store_worker_sign_keypair) and signs the
 * canonical text. */
void fleet_bundle_sign(fleet_bundle *b, const unsigned char sk[FLEET_SK_BYTES]);
/* Reads a bundle object and checks its signature; refuses a forged or malformed one. */
int fleet_bundle_from_json(const json_t *o, fleet_bundle *b, its_err *err);
int fleet_bundle_parse(const char *text, size_t len, fleet_bundle *b, its_err *err);
json_t *fleet_bundle_to_json(const fleet_bundle *b);

/* ---- enrolment token (protocol 4) -------------------------------------------------------- */

/* The first 16 hex of BLAKE2b-128(signer public key). */
void fleet_signer_pin(const unsigned char signer_pk[FLEET_PK_BYTES], char pin[FLEET_PIN_LEN + 1]);
/* A new token "<secret b64url>.<pin>"; secret gets its random bytes. */
void fleet_token_make(const unsigned char signer_pk[FLEET_PK_BYTES],
                      char token[FLEET_TOKEN_LEN + 1],
                      unsigned char secret[FLEET_TOKEN_SECRET_BYTES]);
/* Splits a token into its secret and pin; -1 with a sentence when it is not shaped like one. */
int fleet_token_split(const char *token, unsigned char secret[FLEET_TOKEN_SECRET_BYTES],
                      char pin[FLEET_PIN_LEN + 1], its_err *err);

/* ---- enrolment (protocol 4) ------------------------------------------------------------- */

typedef struct fleet_enroll_req {
    char token[FLEET_TOKEN_LEN + 1];
    char mode[8]; /* "kiosk" or "tablet" */
    unsigned char device_pk[FLEET_PK_BYTES];
    char device[FLEET_NAME_MAX + 1]; /* requested_device_id; "" lets the server choose */
} fleet_enroll_req;

typedef struct fleet_enrolled {
    char device[FLEET_NAME_MAX + 1];
    char team[FLEET_NAME_MAX + 1];
    char site[FLEET_NAME_MAX + 1];
    fleet_bundle bundle;
} fleet_enrolled;

char *fleet_enroll_encode(const fleet_enroll_req *r);
int fleet_enroll_parse(const char *body, size_t len, fleet_enroll_req *r, its_err *err);
char *fleet_enrolled_encode(const fleet_enrolled *e);
/* Also checks the bundle's signature (not yet its pin: the device compares fleet_signer_pin). */
int fleet_enrolled_parse(const char *body, size_t len, fleet_enrolled *e, its_err *err);

/* ---- pull (protocol 6) ------------------------------------------------------------------- */

typedef struct fleet_pull_req {
    char team[FLEET_NAME_MAX + 1];
    unsigned char worker_pk[FLEET_PK_BYTES];
    long long after;
    int limit;
    long long time;
    unsigned char sig[FLEET_SIG_BYTES];
} fleet_pull_req;

/* Sets worker_pk from sk and signs "itsearvio-pull-v1\n<team>\n<after>\n<limit>\n<time>\n". */
void fleet_pull_sign(fleet_pull_req *r, const unsigned char sk[FLEET_SK_BYTES]);
bool fleet_pull_verify(const fleet_pull_req *r);
char *fleet_pull_encode(const fleet_pull_req *r);
int fleet_pull_parse(const char *body, size_t len, fleet_pull_req *r, its_err *err);

typedef struct fleet_pulled {
    long long cursor;
    char device[FLEET_NAME_MAX + 1];
    unsigned char *env;
    size_t len;
} fleet_pulled;

typedef struct fleet_pull_page {
    int n;
    fleet_pulled *records;
    long long next;
    bool more;
} fleet_pull_page;

char *fleet_page_encode(const fleet_pull_page *p);
int fleet_page_parse(const char *body, size_t len, fleet_pull_page *p, its_err *err);
void fleet_page_free(fleet_pull_page *p);

/* ---- teams (protocol 9) ------------------------------------------------------------------ */

#define FLEET_WRAP_BYTES 80       /* crypto_box_seal of a 32-byte team secret key */
#define FLEET_EPOCHS_MAX 64       /* epochs of one team */
#define FLEET_MEMBERS_MAX 256     /* members of one team */
#define FLEET_FINGERPRINT_LEN 19  /* "xxxx-xxxx-xxxx-xxxx" */

/* A worker's fingerprint, read aloud when a member is added: the first 8 bytes of
 * BLAKE2b-128(sign_pk || box_pk) as four groups of hex, so both keys are checked at once. */
void fleet_member_fingerprint(const unsigned char sign_pk[FLEET_PK_BYTES],
                              const unsigned char box_pk[FLEET_PK_BYTES],
                              char out[FLEET_FINGERPRINT_LEN + 1]);

/* A signed team request (POST /v1/team): a worker signing key asks for its wraps, or adds or
 * removes a member. The payload is JSON carried as a string, so its exact bytes are signed:
 * "itsearvio-team-v1\n<action>\n<team>\n<time>\n<BLAKE2b-256(payload) b64>\n". */
typedef struct fleet_team_req {
    char team[FLEET_NAME_MAX + 1];
    char action[16]; /* "wraps", "add-member", "remove-member" */
    unsigned char by_pk[FLEET_PK_BYTES];
    long long time;
    char *payload;   /* malloc'd JSON text */
    unsigned char sig[FLEET_SIG_BYTES];
} fleet_team_req;

/* Sets by_pk from sk and signs; the payload must be set. */
void fleet_team_sign(fleet_team_req *r, const unsigned char sk[FLEET_SK_BYTES]);
bool fleet_team_verify(const fleet_team_req *r);
char *fleet_team_encode(const fleet_team_req *r);
int fleet_team_parse(const char *body, size_t len, fleet_team_req *r, its_err *err);
void fleet_team_free(fleet_team_req *r);

/* ---- base64 (the original alphabet, with padding, as in config.json) --------------------- */
int fleet_b64_decode(const char *b64, unsigned char *out, size_t n); /* exactly n bytes or -1 */
void fleet_b64_encode(const unsigned char *in, size_t n, char *out, size_t out_len);

#endif
