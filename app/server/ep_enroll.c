/* ep_enroll.c — POST /v1/enroll (docs/fleet-protocol.md 4): a one-time token becomes a device.
 *
 * One transaction: the token row is locked, checked (known, unused, unexpired, its pin names
 * this team's bundle signer), the device is registered with its signing public key and the
 * token is marked used. Only the token's BLAKE2b-256 is ever looked up or stored. A device whose
 * answer was lost may ask again with the same token and the same key and gets the same answer. */
#include "srv_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define HEX32 (2 * 32 + 3)

typedef struct token_row {
    char team[FLEET_NAME_MAX + 1], site[FLEET_NAME_MAX + 1], device[FLEET_NAME_MAX + 1];
    bool used, expired;
} token_row;

/* 1 found (row filled), 0 unknown, -1 database failure. */
static int lock_token(PGconn *c, const char *hash_hex, token_row *t, its_err *err)
{
    const char *p[1] = {hash_hex};
    PGresult *r = srv_query(
        c,
        "SELECT team, site, used_at IS NOT NULL, expires_at < now(), coalesce(device_id, '')"
        " FROM enrol_tokens WHERE token_hash = $1 FOR UPDATE",
        1, p, err);
    if (!r)
        return -1;
    int found = PQntuples(r) == 1;
    if (found) {
        its_strlcpy(t->team, PQgetvalue(r, 0, 0), sizeof t->team);
        its_strlcpy(t->site, PQgetvalue(r, 0, 1), sizeof t->site);
        t->used = PQgetvalue(r, 0, 2)[0] == 't';
        t->expired = PQgetvalue(r, 0, 3)[0] == 't';
        its_strlcpy(t->device, PQgetvalue(r, 0, 4), sizeof t->device);
    }
    PQclear(r);
    return found;
}

/* The device already holding this signing key ("" when none); -1 on failure. */
static int device_of_key(PGconn *c, const char *pk_hex, char device[FLEET_NAME_MAX + 1],
                         its_err *err)
{
    const char *p[1] = {pk_hex};
    PGresult *r =
        srv_query(c, "SELECT device_id FROM devices WHERE sign_public_key = $1", 1, p, err);
    if (!r)
        return -1;
    its_strlcpy(device, PQntuples(r) ? PQgetvalue(r, 0, 0) : "", FLEET_NAME_MAX + 1);
    PQclear(r);
    return 0;
}

/* Registers the device under the requested id, or the id with a random suffix when it is taken.
 * 1 registered (device filled), 0 both ids taken, -1 failure. */
static int add_device(PGconn *c, const fleet_enroll_req *rq, const token_row *t, const char *pk_hex,
                      char device[FLEET_NAME_MAX + 1], its_err *err)
{
    unsigned char rnd[4];
    char hex[9];
    for (int attempt = 0; attempt < 2; attempt++) {
        randombytes_buf(rnd, sizeof rnd);
        sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
        if (!rq->device[0])
            snprintf(device, FLEET_NAME_MAX + 1, "%s-%s", rq->mode, hex);
        else if (attempt == 0)
            its_strlcpy(device, rq->device, FLEET_NAME_MAX + 1);
        else
            snprintf(device, FLEET_NAME_MAX + 1, "%.54s-%s", rq->device, hex);
        const char *p[5] = {device, t->team, t->site, rq->mode, pk_hex};
        PGresult *r = srv_query(c,
                                "INSERT INTO devices (device_id, team, site, mode, sign_public_key)"
                                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (device_id) DO NOTHING"
                                " RETURNING device_id",
                                5, p, err);
        if (!r)
            return -1;
        int added = PQntuples(r);
        PQclear(r);
        if (added)
            return 1;
    }
    return 0;
}

static int answer(PGconn *c, const token_row *t, const char *device, srv_reply *out)
{
    its_err err;
    fleet_enrolled e = {0};
    json_t *bj = srv_team_bundle(c, t->team, &err);
    int rc = bj ? fleet_bundle_from_json(bj, &e.bundle, &err) : -1;
    json_decref(bj);
    if (rc != 0) {
        its_strlcpy(out->note, err.msg, sizeof out->note);
        return -1;
    }
    its_strlcpy(e.bundle.team, t->team, sizeof e.bundle.team);
    its_strlcpy(e.device, device, sizeof e.device);
    its_strlcpy(e.team, t->team, sizeof e.team);
    its_strlcpy(e.site, t->site, sizeof e.site);
    srv_answer(out, fleet_enrolled_encode(&e));
    snprintf(out->note, sizeof out->note, "%s enrolled in team %s, site %s", device, t->team,
             t->site);
    return 0;
}

/* The checks and writes inside the transaction; 0 with out filled, -1 on database failure. */
static int enroll(PGconn *c, const fleet_enroll_req *rq, const char *hash_hex, const char *pk_hex,
                  srv_reply *out, its_err *err)
{
    token_row t = {0};
    char holder[FLEET_NAME_MAX + 1], device[FLEET_NAME_MAX + 1];
    int found = lock_token(c, hash_hex, &t, err);
    if (found < 0 || device_of_key(c, pk_hex, holder, err) != 0)
        return -1;
    if (!found)
        return srv_refuse(out, 403,
                          "This enrolment token is not known to the server; ask the administrator "
                          "for a new one (`itsearvio server enroll`).");
    if (t.used && holder[0] && !strcmp(holder, t.device))
        return answer(c, &t, holder, out); /* the same device asking again: its answer was lost */
    if (t.used)
        return srv_refuse(
            out, 403,
            "This enrolment token was used already; ask the administrator for a new one.");
    if (t.expired)
        return srv_refuse(out, 403,
                          "This enrolment token has expired (tokens work for 24 hours); ask the "
                          "administrator for a new one.");
    if (holder[0])
        return srv_refuse(
            out, 409,
            "This device's signing key is enrolled already; make the data folder again "
            "with `itsearvio init --force` to enrol it anew.");
    int added = add_device(c, rq, &t, pk_hex, device, err);
    if (added <= 0)
        return added < 0 ? -1
                         : srv_refuse(out, 409, "The device id is taken; try again without one.");
    const char *p[2] = {hash_hex, device};
    if (srv_exec(c, "UPDATE enrol_tokens SET used_at = now(), device_id = $2 WHERE token_hash = $1",
                 2, p, err) ||
        srv_exec(c,
                 "INSERT INTO server_log (event, device, detail) VALUES ('enrol', $1, 'enrolled "
                 "with a token')",
                 1, p + 1, err))
        return -1;
    return answer(c, &t, device, out);
}

int srv_ep_enroll(PGconn *c, const srv_request *rq, srv_reply *out)
{
    fleet_enroll_req r;
    its_err err;
    unsigned char secret[FLEET_TOKEN_SECRET_BYTES], hash[32];
    char pin[FLEET_PIN_LEN + 1], hash_hex[HEX32],
        pk_hex[HEX32]; /* the pin is the device's to check */
    if (fleet_enroll_parse(rq->body, rq->len, &r, &err) != 0 ||
        fleet_token_split(r.token, secret, pin, &err) != 0)
        return srv_refuse(out, 400, err.msg);
    crypto_generichash(hash, sizeof hash, secret, sizeof secret, NULL, 0);
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(r.token, sizeof r.token);
    srv_bytea_hex(hash, sizeof hash, hash_hex);
    srv_bytea_hex(r.device_pk, sizeof r.device_pk, pk_hex);
    if (srv_exec(c, "BEGIN", 0, NULL, &err) != 0 ||
        enroll(c, &r, hash_hex, pk_hex, out, &err) != 0 ||
        srv_exec(c, out->status == 200 ? "COMMIT" : "ROLLBACK", 0, NULL, &err) != 0) {
        if (!out->note[0])
            its_strlcpy(out->note, err.msg, sizeof out->note);
        return -1;
    }
    return 0;
}
