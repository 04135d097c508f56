/* ep_team.c — the public data of a team: GET /v1/devices?team=T (each device's signing key as
 * registered at enrolment, so a worker station can check signatures) and GET /v1/bundle?team=T
 * (the team's keys bundle as its worker signed it). Neither holds anything secret. */
#include "srv_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int no_team(srv_reply *out, const char *team)
{
    char m[200];
    snprintf(m, sizeof m, "There is no team %s on this server.",
             team ? team : "(none given: add ?team=T)");
    return srv_refuse(out, 404, m);
}

int srv_ep_bundle(PGconn *c, const srv_request *rq, srv_reply *out)
{
    its_err err;
    if (!fleet_name_ok(rq->team))
        return no_team(out, NULL);
    json_t *b = srv_team_bundle(c, rq->team, &err);
    if (!b) {
        its_strlcpy(out->note, err.msg, sizeof out->note);
        return srv_conn_lost(c) ? -1 : no_team(out, rq->team);
    }
    srv_answer(out, json_dumps(b, JSON_COMPACT));
    json_decref(b);
    snprintf(out->note, sizeof out->note, "team %s", rq->team);
    return 0;
}

static json_t *device_json(const PGresult *r, int i)
{
    unsigned char pk[32];
    char b64[64];
    if (srv_bytea_get(r, i, 3, pk, sizeof pk) != 0)
        return NULL;
    fleet_b64_encode(pk, sizeof pk, b64, sizeof b64);
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:o}", "device", PQgetvalue(r, i, 0), "site",
        PQgetvalue(r, i, 1), "mode", PQgetvalue(r, i, 2), "sign_public_key", b64, "enrolled_at",
        (json_int_t)strtoll(PQgetvalue(r, i, 4), NULL, 10), "revoked_at",
        PQgetisnull(r, i, 5) ? json_null() : json_integer(strtoll(PQgetvalue(r, i, 5), NULL, 10)));
}

int srv_ep_devices(PGconn *c, const srv_request *rq, srv_reply *out)
{
    its_err err;
    if (!fleet_name_ok(rq->team))
        return no_team(out, NULL);
    const char *p[1] = {rq->team};
    PGresult *r = srv_query(
        c,
        "SELECT device_id, site, mode, sign_public_key, extract(epoch FROM enrolled_at)::bigint,"
        " extract(epoch FROM revoked_at)::bigint FROM devices WHERE team = $1"
        " ORDER BY device_id",
        1, p, &err);
    if (!r) {
        its_strlcpy(out->note, err.msg, sizeof out->note);
        return -1;
    }
    json_t *list = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(list, device_json(r, i));
    json_t *o = json_pack("{s:s, s:o}", "team", rq->team, "devices", list);
    srv_answer(out, json_dumps(o, JSON_COMPACT));
    snprintf(out->note, sizeof out->note, "team %s: %d devices", rq->team, PQntuples(r));
    json_decref(o);
    PQclear(r);
    return 0;
}
