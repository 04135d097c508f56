/* ep_members.c — POST /v1/team (docs/fleet-protocol.md 9): a member's signed requests about the
 * team's keys. "wraps": the epochs with their signed bundles, the asker's wraps and the current
 * members; "add-member": a member wraps every epoch to a newcomer; "remove-member": the team's
 * signer removes a member and starts the next epoch, wrapped to every remaining member.
 *
 * The server never sees a team secret: wraps are sealed to members' worker keys and stored as
 * they came. It checks who asks (signature, membership, the clock), shape, that epochs exist and
 * follow each other, that a new bundle is signed by the team's signer and covers exactly the
 * remaining members. One transaction per request: a refused request stores nothing. */
#include "srv_int.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEX32 (2 * 32 + 3)
#define HEXWRAP (2 * FLEET_WRAP_BYTES + 3)
#define B64_32 64
#define B64_WRAP 128

typedef struct team_ctx {
    PGconn *c;
    const fleet_team_req *rq;
    char by_hex[HEX32];
    json_t *payload;
    srv_reply *out;
} team_ctx;

int srv_member_state(PGconn *c, const char *team, const unsigned char pk[FLEET_PK_BYTES],
                     its_err *err)
{
    char hex[HEX32];
    srv_bytea_hex(pk, FLEET_PK_BYTES, hex);
    const char *p[2] = {team, hex};
    PGresult *r = srv_query(c,
                            "SELECT removed_at IS NOT NULL FROM team_members"
                            " WHERE team = $1 AND sign_public_key = $2",
                            2, p, err);
    if (!r)
        return -1;
    int state = PQntuples(r) == 0 ? 0 : PQgetvalue(r, 0, 0)[0] == 't' ? 2 : 1;
    PQclear(r);
    return state;
}

int srv_member_refuse(srv_reply *out, int state, const char *team)
{
    char m[240];
    if (state == 2)
        snprintf(m, sizeof m,
                 "This worker key was removed from team %s; it can no longer pull the team's "
                 "records or keys.",
                 team);
    else
        snprintf(m, sizeof m, "This worker key is not a member of team %s on this server.", team);
    return srv_refuse(out, 403, m);
}

/* Refuses the request (400) with one sentence; returns 1 so a caller stops. */
static int bad(team_ctx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(team_ctx *t, const char *fmt, ...)
{
    char m[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    srv_refuse(t->out, 400, m);
    return 1;
}

/* A base64 member of o decoded to exactly n bytes, as bytea hex in hex (2n + 3). */
static bool b64_hex(const json_t *o, const char *name, unsigned char *buf, size_t n, char *hex)
{
    if (fleet_b64_decode(json_string_value(json_object_get(o, name)), buf, n) != 0)
        return false;
    srv_bytea_hex(buf, n, hex);
    return true;
}

/* Answers 200 with the JSON text of o, which it drops. */
static void answer_json(team_ctx *t, json_t *o)
{
    srv_answer(t->out, o ? json_dumps(o, JSON_COMPACT) : NULL);
    json_decref(o);
}

/* ---- wraps ---------------------------------------------------------------------------------- */

static json_t *b64_json(const PGresult *r, int row, int col, size_t n)
{
    unsigned char b[FLEET_WRAP_BYTES];
    char s[B64_WRAP];
    if (PQgetisnull(r, row, col) || srv_bytea_get(r, row, col, b, n) != 0)
        return json_null();
    fleet_b64_encode(b, n, s, sizeof s);
    return json_string(s);
}

static int answer_wraps(team_ctx *t, its_err *err)
{
    const char *p[2] = {t->rq->team, t->by_hex};
    PGresult *e =
        srv_query(t->c,
                  "SELECT e.epoch, e.bundle::text, w.wrap FROM team_epochs e LEFT JOIN team_wraps w"
                  " ON w.team = e.team AND w.epoch = e.epoch AND w.sign_public_key = $2"
                  " WHERE e.team = $1 ORDER BY e.epoch",
                  2, p, err);
    PGresult *m = e ? srv_query(t->c,
                                "SELECT sign_public_key, box_public_key FROM team_members"
                                " WHERE team = $1 AND removed_at IS NULL ORDER BY added_at",
                                1, p, err)
                    : NULL;
    if (!m) {
        PQclear(e);
        return -1;
    }
    json_t *epochs = json_array(), *members = json_array();
    for (int i = 0; i < PQntuples(e); i++)
        json_array_append_new(epochs, json_pack("{s:I, s:o, s:o}", "epoch",
                                                (json_int_t)strtoll(PQgetvalue(e, i, 0), NULL, 10),
                                                "bundle", json_loads(PQgetvalue(e, i, 1), 0, NULL),
                                                "wrap", b64_json(e, i, 2, FLEET_WRAP_BYTES)));
    for (int i = 0; i < PQntuples(m); i++)
        json_array_append_new(members,
                              json_pack("{s:o, s:o}", "sign_public_key", b64_json(m, i, 0, 32),
                                        "box_public_key", b64_json(m, i, 1, 32)));
    answer_json(
        t, json_pack("{s:s, s:o, s:o}", "team", t->rq->team, "epochs", epochs, "members", members));
    snprintf(t->out->note, sizeof t->out->note, "team %s: %d epochs, %d members", t->rq->team,
             PQntuples(e), PQntuples(m));
    PQclear(e);
    PQclear(m);
    return 0;
}

/* ---- add-member ------------------------------------------------------------------------------ */

/* The epochs a new member must be given: every epoch anyone holds a wrap of. *missing gets the
 * first one not in the request's wraps (0 when all are there). */
static int epochs_covered(team_ctx *t, const json_t *wraps, long long *missing, its_err *err)
{
    const char *p[1] = {t->rq->team};
    PGresult *r = srv_query(
        t->c, "SELECT DISTINCT epoch FROM team_wraps WHERE team = $1 ORDER BY epoch", 1, p, err);
    if (!r)
        return -1;
    *missing = 0;
    for (int i = 0; i < PQntuples(r) && !*missing; i++) {
        long long want = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        bool have = false;
        for (size_t k = 0; k < json_array_size(wraps); k++)
            have |= json_integer_value(json_object_get(json_array_get(wraps, k), "epoch")) == want;
        if (!have)
            *missing = want;
    }
    PQclear(r);
    return 0;
}

/* Stores one wrap of the request; 1 when its epoch is unknown (nothing stored by the caller). */
static int store_wrap(team_ctx *t, long long epoch, const char *member_hex, const char *wrap_hex,
                      its_err *err)
{
    char ep[24];
    snprintf(ep, sizeof ep, "%lld", epoch);
    const char *p[4] = {t->rq->team, ep, member_hex, wrap_hex};
    PGresult *r =
        srv_query(t->c,
                  "INSERT INTO team_wraps (team, epoch, sign_public_key, wrap)"
                  " SELECT $1, $2::integer, $3, $4 WHERE EXISTS (SELECT 1 FROM team_epochs"
                  " WHERE team = $1 AND epoch = $2::integer) RETURNING 1",
                  4, p, err);
    if (!r)
        return -1;
    int unknown = PQntuples(r) == 0;
    PQclear(r);
    return unknown;
}

/* Stores every wrap of `wraps` for member_hex; 0 done, 1 refused (out filled), -1 failure. */
static int store_member_wraps(team_ctx *t, const json_t *wraps, const char *member_hex,
                              its_err *err)
{
    for (size_t i = 0; i < json_array_size(wraps); i++) {
        const json_t *w = json_array_get(wraps, i);
        json_int_t epoch = json_integer_value(json_object_get(w, "epoch"));
        unsigned char wrap[FLEET_WRAP_BYTES];
        char wrap_hex[HEXWRAP];
        if (epoch < 1 || !b64_hex(w, "wrap", wrap, sizeof wrap, wrap_hex))
            return bad(
                t, "A wrap for team %s needs an epoch and 80 bytes of wrap; nothing was stored.",
                t->rq->team);
        int rc = store_wrap(t, epoch, member_hex, wrap_hex, err);
        if (rc != 0)
            return rc < 0 ? -1
                          : bad(t, "Team %s has no epoch %lld; nothing was stored.", t->rq->team,
                                (long long)epoch);
    }
    return 0;
}

static int add_member(team_ctx *t, its_err *err)
{
    const json_t *m = json_object_get(t->payload, "member"),
                 *wraps = json_object_get(t->payload, "wraps");
    unsigned char spk[32], bpk[32];
    char s_hex[HEX32], b_hex[HEX32];
    if (!b64_hex(m, "sign_public_key", spk, 32, s_hex) ||
        !b64_hex(m, "box_public_key", bpk, 32, b_hex) || !json_is_array(wraps) ||
        json_array_size(wraps) > FLEET_EPOCHS_MAX)
        return bad(
            t,
            "An add-member request for team %s needs member (sign_public_key, box_public_key) and "
            "wraps.",
            t->rq->team);
    long long missing = 0;
    const char *lock[1] = {t->rq->team};
    /* one change of a team's members at a time: a new epoch cannot pass a join unseen */
    int state = srv_exec(t->c, "SELECT 1 FROM teams WHERE team = $1 FOR UPDATE", 1, lock, err) == 0
                    ? srv_member_state(t->c, t->rq->team, spk, err)
                    : -1;
    if (state < 0 || epochs_covered(t, wraps, &missing, err) != 0)
        return -1;
    if (state == 1)
        return srv_refuse(t->out, 409,
                          "This worker is a member of the team already; nothing was changed.");
    if (missing)
        return bad(
            t,
            "The new member of team %s must get every epoch's key; epoch %lld is missing (pull "
            "first); nothing was stored.",
            t->rq->team, missing);
    const char *p[3] = {t->rq->team, s_hex, b_hex};
    if (srv_exec(
            t->c,
            "INSERT INTO team_members (team, sign_public_key, box_public_key) VALUES ($1, $2, $3)"
            " ON CONFLICT (team, sign_public_key) DO UPDATE SET box_public_key = $3,"
            " removed_at = NULL, added_at = now()",
            3, p, err) != 0)
        return -1;
    int rc = store_member_wraps(t, wraps, s_hex, err);
    if (rc == 0) {
        char fp[FLEET_FINGERPRINT_LEN + 1];
        fleet_member_fingerprint(spk, bpk, fp);
        answer_json(t, json_pack("{s:s, s:I}", "fingerprint", fp, "epochs",
                                 (json_int_t)json_array_size(wraps)));
        snprintf(t->out->note, sizeof t->out->note, "team %s: member %s added", t->rq->team, fp);
    }
    return rc;
}

/* ---- remove-member ------------------------------------------------------------------------------- */

/* The team's signer and newest epoch with its recovery key. */
static int team_state(team_ctx *t, unsigned char signer[32], long long *epoch,
                      unsigned char recovery[32], its_err *err)
{
    const char *p[1] = {t->rq->team};
    PGresult *r = srv_query(t->c,
                            "SELECT t.signer_public_key, e.epoch, e.bundle->>'recovery_public_key'"
                            " FROM teams t JOIN team_epochs e USING (team) WHERE team = $1"
                            " ORDER BY e.epoch DESC LIMIT 1 FOR UPDATE OF t",
                            1, p, err);
    if (!r)
        return -1;
    int rc = PQntuples(r) == 1 && srv_bytea_get(r, 0, 0, signer, 32) == 0 &&
                     fleet_b64_decode(PQgetvalue(r, 0, 2), recovery, 32) == 0
                 ? 0
                 : its_fail(err, "Team %s has no epoch stored.", t->rq->team);
    *epoch = rc == 0 ? strtoll(PQgetvalue(r, 0, 1), NULL, 10) : 0;
    PQclear(r);
    return rc;
}

/* 1 when the request's wraps name exactly the remaining members (every current one but the
 * leaver, each once), 0 when not, -1 failure. */
static int wraps_cover_members(team_ctx *t, const json_t *wraps, const char *leaver_hex,
                               its_err *err)
{
    const char *p[2] = {t->rq->team, leaver_hex};
    PGresult *r =
        srv_query(t->c,
                  "SELECT sign_public_key FROM team_members WHERE team = $1 AND removed_at IS NULL"
                  " AND sign_public_key <> $2",
                  2, p, err);
    if (!r)
        return -1;
    bool ok = (size_t)PQntuples(r) == json_array_size(wraps);
    for (int i = 0; ok && i < PQntuples(r); i++) {
        unsigned char pk[32], got[32];
        int found = 0;
        ok = srv_bytea_get(r, i, 0, pk, 32) == 0;
        for (size_t k = 0; ok && k < json_array_size(wraps); k++)
            found += fleet_b64_decode(json_string_value(json_object_get(json_array_get(wraps, k),
                                                                        "sign_public_key")),
                                      got, 32) == 0 &&
                     !memcmp(got, pk, 32);
        ok = ok && found == 1;
    }
    PQclear(r);
    return ok;
}

/* Checks the new epoch's bundle: signed by the team's signer, the next epoch, same recovery key. */
static int check_bundle(team_ctx *t, const fleet_bundle *b, long long *epoch, its_err *err)
{
    unsigned char signer[32], recovery[32];
    if (team_state(t, signer, epoch, recovery, err) != 0)
        return -1;
    if (memcmp(t->rq->by_pk, signer, 32) != 0)
        return srv_refuse(t->out, 403,
                          "Only the team's signer (the founding worker folder) can remove a "
                          "member and start a new epoch; nothing was changed.") +
               1;
    if (memcmp(b->signer_pk, signer, 32) != 0)
        return bad(
            t,
            "The new bundle of team %s is not signed by the team's signer: it is forged; nothing "
            "was stored.",
            t->rq->team);
    if (b->epoch != *epoch + 1)
        return bad(t,
                   "Team %s is at epoch %lld, so its new epoch is %lld, not %lld (an unknown "
                   "epoch); nothing "
                   "was stored.",
                   t->rq->team, *epoch, *epoch + 1, b->epoch);
    if (memcmp(b->recovery_pk, recovery, 32) != 0)
        return bad(t, "The new bundle of team %s names another recovery key; nothing was stored.",
                   t->rq->team);
    return 0;
}

static int new_epoch(team_ctx *t, const fleet_bundle *b, const char *leaver_hex, its_err *err)
{
    char ep[24], pk_hex[HEX32];
    snprintf(ep, sizeof ep, "%lld", b->epoch);
    srv_bytea_hex(b->worker_pk, 32, pk_hex);
    fleet_bundle named = *b;
    its_strlcpy(named.team, t->rq->team, sizeof named.team);
    json_t *bj = fleet_bundle_to_json(&named);
    char *text = bj ? json_dumps(bj, JSON_COMPACT) : NULL;
    json_decref(bj);
    const char *p[4] = {t->rq->team, ep, pk_hex, text};
    const char *q[2] = {t->rq->team, leaver_hex}, *u[2] = {t->rq->team, text};
    int rc =
        text &&
                srv_exec(t->c,
                         "UPDATE team_members SET removed_at = now() WHERE team = $1 AND"
                         " sign_public_key = $2",
                         2, q, err) == 0 &&
                srv_exec(t->c, "DELETE FROM team_wraps WHERE team = $1 AND sign_public_key = $2", 2,
                         q, err) == 0 &&
                srv_exec(t->c,
                         "INSERT INTO team_epochs (team, epoch, public_key, bundle)"
                         " VALUES ($1, $2::integer, $3, $4::jsonb)",
                         4, p, err) == 0 &&
                srv_exec(t->c, "UPDATE teams SET bundle = $2::jsonb WHERE team = $1", 2, u, err) ==
                    0 &&
                srv_exec(
                    t->c,
                    "INSERT INTO server_log (event, detail) VALUES ('team-epoch', 'team ' || $1"
                    " || ': a member was removed, epoch ' || $2 || ' started')",
                    2, p, err) == 0
            ? 0
            : -1;
    free(text);
    return rc;
}

static int remove_member(team_ctx *t, its_err *err)
{
    const json_t *wraps = json_object_get(t->payload, "wraps");
    unsigned char leaver[32];
    char l_hex[HEX32];
    fleet_bundle b;
    its_err why;
    if (!b64_hex(t->payload, "member", leaver, 32, l_hex) || !json_is_array(wraps) ||
        json_array_size(wraps) > FLEET_MEMBERS_MAX)
        return bad(t, "A remove-member request for team %s needs member, bundle and wraps.",
                   t->rq->team);
    if (fleet_bundle_from_json(json_object_get(t->payload, "bundle"), &b, &why) != 0)
        return bad(t, "The new bundle of team %s was refused: %s Nothing was stored.", t->rq->team,
                   why.msg);
    long long epoch = 0;
    int rc = check_bundle(t, &b, &epoch, err);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    int state = srv_member_state(t->c, t->rq->team, leaver, err);
    if (state < 0)
        return -1;
    if (state != 1 || !memcmp(leaver, t->rq->by_pk, 32))
        return bad(
            t,
            "The worker to remove is not a current member of team %s, or is the team's signer "
            "(which cannot leave); nothing was changed.",
            t->rq->team);
    int covered = wraps_cover_members(t, wraps, l_hex, err);
    if (covered <= 0)
        return covered < 0
                   ? -1
                   : bad(t,
                         "The new epoch of team %s must be wrapped to every remaining member, "
                         "each once; nothing was stored.",
                         t->rq->team);
    if (new_epoch(t, &b, l_hex, err) != 0)
        return -1;
    for (size_t i = 0; i < json_array_size(wraps); i++) {
        const json_t *w = json_array_get(wraps, i);
        unsigned char pk[32], wrap[FLEET_WRAP_BYTES];
        char pk_hex[HEX32], wrap_hex[HEXWRAP];
        if (!b64_hex(w, "sign_public_key", pk, 32, pk_hex) ||
            !b64_hex(w, "wrap", wrap, sizeof wrap, wrap_hex))
            return bad(t, "A wrap of team %s's new epoch is not 80 bytes; nothing was stored.",
                       t->rq->team);
        if (store_wrap(t, b.epoch, pk_hex, wrap_hex, err) != 0)
            return -1;
    }
    answer_json(t, json_pack("{s:I}", "epoch", (json_int_t)b.epoch));
    snprintf(t->out->note, sizeof t->out->note, "team %s: a member removed, epoch %lld",
             t->rq->team, b.epoch);
    return 0;
}

/* ---- the endpoint ---------------------------------------------------------------------------- */

static int dispatch(team_ctx *t, its_err *err)
{
    int state = srv_member_state(t->c, t->rq->team, t->rq->by_pk, err);
    if (state < 0)
        return -1;
    if (state != 1)
        return srv_member_refuse(t->out, state, t->rq->team) + 1;
    if (!strcmp(t->rq->action, "wraps"))
        return answer_wraps(t, err);
    if (!strcmp(t->rq->action, "add-member"))
        return add_member(t, err);
    if (!strcmp(t->rq->action, "remove-member"))
        return remove_member(t, err);
    return srv_refuse(t->out, 400,
                      "A team request's action is wraps, add-member or remove-member.") +
           1;
}

int srv_ep_team(PGconn *c, const srv_request *rq, srv_reply *out)
{
    fleet_team_req r;
    its_err err;
    if (fleet_team_parse(rq->body, rq->len, &r, &err) != 0) {
        fleet_team_free(&r);
        return srv_refuse(out, 400, err.msg);
    }
    team_ctx t = {c, &r, "", json_loads(r.payload, JSON_REJECT_DUPLICATES, NULL), out};
    srv_bytea_hex(r.by_pk, 32, t.by_hex);
    long long skew = (long long)time(NULL) - r.time;
    int rc = 0;
    if (!json_is_object(t.payload))
        srv_refuse(out, 400, "A team request's payload is not a JSON object.");
    else if (!fleet_team_verify(&r))
        srv_refuse(out, 403,
                   "The team request's signature does not verify with the worker key it names.");
    else if (skew > FLEET_CLOCK_SKEW || skew < -FLEET_CLOCK_SKEW)
        srv_refuse(out, 403,
                   "The worker station's clock is more than 5 minutes off the server's; set the "
                   "clock and try again.");
    else if (srv_exec(c, "BEGIN", 0, NULL, &err) != 0 || (rc = dispatch(&t, &err)) < 0)
        rc = -1;
    else if (out->status == 200) /* a refusal inside the transaction stores nothing */
        rc = srv_exec(c, "COMMIT", 0, NULL, &err) != 0 ? -1 : 0;
    srv_rollback(c);
    if (rc < 0)
        its_strlcpy(out->note, err.msg, sizeof out->note);
    json_decref(t.payload);
    fleet_team_free(&r);
    return rc < 0 ? -1 : 0;
}
