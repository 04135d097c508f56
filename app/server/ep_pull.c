/* ep_pull.c — POST /v1/pull (docs/fleet-protocol.md 6): a worker station fetches its team's
 * sealed records after its cursor.
 *
 * The request is signed by the worker signing key and carries the time, so a copied request
 * works for FLEET_CLOCK_SKEW seconds only and only for the key's own team. Records are read as
 * the team (row-level security) in cursor order. Cursors of a team grow in commit order (the
 * upload holds a per-team lock until it commits), so a station that stores `next` never skips a
 * record that commits later with a smaller cursor. */
#include "srv_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A big-endian int8 of a binary result. */
static long long get_int8(const PGresult *r, int row, int col)
{
    const unsigned char *p = (const unsigned char *)PQgetvalue(r, row, col);
    unsigned long long v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return (long long)v;
}

/* Fills the page from rows (binary: cursor, device, envelope); the extra row says "more". */
static int fill_page(const PGresult *r, const fleet_pull_req *rq, fleet_pull_page *p)
{
    int n = PQntuples(r);
    p->more = n > rq->limit;
    p->n = p->more ? rq->limit : n;
    p->next = rq->after;
    p->records = p->n ? calloc((size_t)p->n, sizeof *p->records) : NULL;
    if (p->n && !p->records)
        return -1;
    for (int i = 0; i < p->n; i++) {
        fleet_pulled *rec = &p->records[i];
        rec->cursor = p->next = get_int8(r, i, 0);
        its_strlcpy(rec->device, PQgetvalue(r, i, 1), sizeof rec->device);
        rec->env = (unsigned char *)PQgetvalue(r, i, 2); /* borrowed from the result */
        rec->len = (size_t)PQgetlength(r, i, 2);
    }
    return 0;
}

static int read_page(PGconn *c, const fleet_pull_req *rq, srv_reply *out, its_err *err)
{
    char after[24], limit[16];
    snprintf(after, sizeof after, "%lld", rq->after);
    snprintf(limit, sizeof limit, "%d", rq->limit + 1);
    const char *p[3] = {rq->team, after, limit};
    PGresult *r =
        PQexecParams(c,
                     "SELECT cursor, device, envelope FROM records WHERE team = $1 AND cursor > $2"
                     " ORDER BY cursor LIMIT $3",
                     3, NULL, p, NULL, NULL, 1);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        its_fail(err, "Reading records failed: %s", PQerrorMessage(c));
        PQclear(r);
        return -1;
    }
    fleet_pull_page page = {0};
    int rc = fill_page(r, rq, &page);
    if (rc == 0) {
        srv_answer(out, fleet_page_encode(&page));
        snprintf(out->note, sizeof out->note, "team %s: %d records after %lld%s", rq->team, page.n,
                 rq->after, page.more ? ", more" : "");
    }
    free(page.records); /* the envelopes belong to r */
    PQclear(r);
    return rc;
}

static int pull(PGconn *c, const fleet_pull_req *rq, srv_reply *out, its_err *err)
{
    int state = srv_member_state(c, rq->team, rq->worker_pk, err);
    if (state < 0)
        return -1;
    if (state != 1)
        return srv_member_refuse(out, state, rq->team);
    return srv_as_team(c, rq->team, err) == 0 ? read_page(c, rq, out, err) : -1;
}

int srv_ep_pull(PGconn *c, const srv_request *rq, srv_reply *out)
{
    fleet_pull_req r;
    its_err err;
    if (fleet_pull_parse(rq->body, rq->len, &r, &err) != 0)
        return srv_refuse(out, 400, err.msg);
    if (!fleet_pull_verify(&r))
        return srv_refuse(
            out, 403, "The pull request's signature does not verify with the worker key it names.");
    long long skew = (long long)time(NULL) - r.time;
    if (skew > FLEET_CLOCK_SKEW || skew < -FLEET_CLOCK_SKEW)
        return srv_refuse(out, 403,
                          "The worker station's clock is more than 5 minutes off the server's; "
                          "set the clock and pull again.");
    if (srv_exec(c, "BEGIN READ ONLY", 0, NULL, &err) != 0 || pull(c, &r, out, &err) != 0 ||
        srv_exec(c, "COMMIT", 0, NULL, &err) != 0) {
        its_strlcpy(out->note, err.msg, sizeof out->note);
        return -1;
    }
    return 0;
}
