/* ep_upload.c — POST /v1/upload (docs/fleet-protocol.md 5): a device's batch of sealed records.
 *
 * One transaction per batch, in this order:
 *   1. the device row, locked FOR SHARE (a revoke waits for the batch; a revoked or unknown
 *      device is refused whole with 403 and nothing is written);
 *   2. each envelope checked without any secret key (store_env_verify): format 2, signature by
 *      the device's registered key, header device = batch device, header id = record id;
 *      a failure makes that record `refused`, the others go on;
 *   3. as the device's team (row-level security) and under the team's lock (so cursors of a team
 *      grow in commit order, see ep_pull.c):
 *      INSERT ... SELECT FROM unnest(...) ON CONFLICT (record_id) DO NOTHING RETURNING record_id
 *      -> returned ids are `stored`; for the others the stored hash is compared: the same is
 *      `duplicate`, another (or a row of another team) is `conflict` and the new bytes go to
 *      quarantine; the stored row is never touched;
 *   4. the audit head, if sent and signed by the device: kept; a lower seq than one seen, or
 *      the same seq with another hash, is answered "rollback: ..." and logged for a person;
 *   5. COMMIT, then the answer. A lost connection anywhere before the COMMIT leaves nothing;
 *      the device sends the batch again and gets `duplicate` for what had been stored. */
#include "srv_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"

#define HEX32 (2 * 32 + 3)

/* A growing text buffer for the array literals of the unnest() parameters. */
typedef struct text {
    char *s;
    size_t len, cap;
    bool oom;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            t->oom = true;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/* Adds one array element: a separator (none right after the opening "{"), then the value;
 * a bytea element is written "\\x..." inside the literal. */
static void text_elem(text *t, const char *s)
{
    text_add(t, t->len > 1 ? "," : "", t->len > 1);
    text_add(t, s, strlen(s));
}

static void text_elem_bytea(text *t, const unsigned char *p, size_t n)
{
    text_add(t, t->len > 1 ? ",\"\\\\x" : "\"\\\\x", t->len > 1 ? 5 : 4);
    char chunk[257];
    for (size_t i = 0; i < n; i += 128) {
        size_t k = n - i < 128 ? n - i : 128;
        srv_hex(p + i, k, chunk);
        text_add(t, chunk, 2 * k);
    }
    text_add(t, "\"", 1);
}

/* The arrays handed to unnest(): one element per record that passed its checks. */
enum { A_ID, A_KIND, A_SEQ, A_CREATED, A_KEYS, A_HASH, N_ARRAYS };

/* The envelopes go as one binary bytea[] parameter (PostgreSQL's array_send layout: ndim,
 * has-null, element type, then per dimension size and lower bound, then length + bytes per
 * element), so the largest part of a batch is neither hex-encoded nor parsed as text. */
#define BYTEA_OID 17
#define ENV_HEADER 20

static void put_be32(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void env_add(text *t, const unsigned char *p, size_t n)
{
    unsigned char len[4];
    put_be32(len, (unsigned)n);
    text_add(t, (const char *)len, 4);
    text_add(t, (const char *)p, n);
}

typedef struct batch_state {
    const fleet_batch *b;
    char team[FLEET_NAME_MAX + 1];
    unsigned char pk[32];
    fleet_result *res;
    unsigned char (*hash)[32];
    text arr[N_ARRAYS];
    text env; /* binary bytea[] */
    int n_valid, n_inserted, counts[4];
    char audit[256];
} batch_state;

static void arrays_open(batch_state *st)
{
    unsigned char h[ENV_HEADER];
    put_be32(h, 1);     /* one dimension */
    put_be32(h + 4, 0); /* no NULLs */
    put_be32(h + 8, BYTEA_OID);
    put_be32(h + 12, 0); /* its size: set by arrays_close */
    put_be32(h + 16, 1); /* lower bound */
    text_add(&st->env, (const char *)h, sizeof h);
    for (int i = 0; i < N_ARRAYS; i++)
        text_add(&st->arr[i], "{", 1);
}

/* False when any buffer ran out of memory. */
static bool arrays_close(batch_state *st)
{
    bool ok = !st->env.oom;
    if (ok)
        put_be32((unsigned char *)st->env.s + 12, (unsigned)st->n_valid);
    for (int i = 0; i < N_ARRAYS; i++) {
        text_add(&st->arr[i], "}", 1);
        ok = ok && !st->arr[i].oom;
    }
    return ok;
}

static void arrays_free(batch_state *st)
{
    for (int i = 0; i < N_ARRAYS; i++)
        free(st->arr[i].s);
    free(st->env.s);
}

/* ---- 1. the device ------------------------------------------------------------------------ */

/* 1 heard (team and key filled), 0 refused (out filled), -1 database failure. */
static int device_row(PGconn *c, batch_state *st, srv_reply *out, its_err *err)
{
    const char *p[1] = {st->b->device};
    PGresult *r = srv_query(c,
                            "SELECT team, sign_public_key, revoked_at IS NOT NULL FROM devices"
                            " WHERE device_id = $1 FOR SHARE",
                            1, p, err);
    if (!r)
        return -1;
    int heard = PQntuples(r) == 1 && PQgetvalue(r, 0, 2)[0] != 't' &&
                srv_bytea_get(r, 0, 1, st->pk, 32) == 0;
    if (heard)
        its_strlcpy(st->team, PQgetvalue(r, 0, 0), sizeof st->team);
    else if (PQntuples(r) == 1)
        srv_refuse(
            out, 403,
            "This device has been revoked; its records stay on it until a person collects them.");
    else
        srv_refuse(out, 403,
                   "This device is not enrolled on this server; enrol it with `itsearvio init "
                   "--server URL --ca FILE --token TOKEN`.");
    PQclear(r);
    return heard;
}

/* ---- 2. each envelope --------------------------------------------------------------------- */

static void refuse_record(batch_state *st, int i, const char *why)
{
    st->res[i].status = FLEET_REFUSED;
    snprintf(st->res[i].message, sizeof st->res[i].message, "Record refused: %.160s.", why);
}

static void check_record(batch_state *st, int i)
{
    const fleet_record *r = &st->b->records[i];
    store_env_header h;
    its_err err;
    char id[37];
    memcpy(st->res[i].id, r->id, 37);
    if (store_env_verify(r->env, r->len, st->pk, &h, &err) != 0)
        return refuse_record(st, i, err.msg);
    store_uuid_format(h.uuid, id);
    if (h.version < 2)
        return refuse_record(st, i, "it is unsigned (envelope format 1)");
    if (strcmp(h.device, st->b->device))
        return refuse_record(st, i, "it was sealed by another device than the batch names");
    if (strcmp(id, r->id))
        return refuse_record(st, i, "its id differs from the id inside the envelope");
    crypto_generichash(st->hash[i], 32, r->env, r->len, NULL, 0);
    char num[24];
    text_elem(&st->arr[A_ID], r->id);
    text_elem(&st->arr[A_KIND], h.magic);
    snprintf(num, sizeof num, "%lld", h.seq);
    text_elem(&st->arr[A_SEQ], num);
    snprintf(num, sizeof num, "%lld", h.created_at);
    text_elem(&st->arr[A_CREATED], num);
    text_elem_bytea(&st->arr[A_KEYS], h.key_ids[0], (size_t)h.n_recipients * STORE_KEYID_BYTES);
    env_add(&st->env, r->env, r->len);
    text_elem_bytea(&st->arr[A_HASH], st->hash[i], 32);
    st->res[i].status = FLEET_STORED; /* provisional: step 3 decides */
    st->n_valid++;
}

/* ---- 3. insert, then duplicates and conflicts --------------------------------------------- */

static int find_result(const batch_state *st, const char *id)
{
    for (int i = 0; i < st->b->n; i++)
        if (!strcmp(st->res[i].id, id))
            return i;
    return -1;
}

static int insert_records(PGconn *c, batch_state *st, its_err *err)
{
    const char *p[9] = {st->team,          st->b->device,    st->arr[A_ID].s,
                        st->arr[A_KIND].s, st->arr[A_SEQ].s, st->arr[A_CREATED].s,
                        st->arr[A_KEYS].s, st->env.s,        st->arr[A_HASH].s};
    int lengths[9] = {[7] = (int)st->env.len}, formats[9] = {[7] = 1};
    PGresult *r = srv_query_bin(
        c,
        "INSERT INTO records (record_id, team, device, kind, seq, created_at, key_ids, size,"
        " envelope, hash)"
        " SELECT u.id, $1, $2, u.kind, u.seq, u.created, u.keys, octet_length(u.env), u.env,"
        " u.hash FROM unnest($3::uuid[], $4::text[], $5::bigint[], $6::bigint[],"
        " $7::bytea[], $8::bytea[], $9::bytea[]) AS u(id, kind, seq, created, keys, env, hash)"
        " ON CONFLICT (record_id) DO NOTHING RETURNING record_id::text",
        9, p, lengths, formats, err);
    if (!r)
        return -1;
    /* Every valid record is provisionally "stored"; those not returned were there already. */
    for (int i = 0; i < st->b->n; i++)
        if (st->res[i].status == FLEET_STORED)
            st->res[i].status = FLEET_DUPLICATE;
    for (int k = 0; k < PQntuples(r); k++) {
        int i = find_result(st, PQgetvalue(r, k, 0));
        if (i >= 0)
            st->res[i].status = FLEET_STORED;
    }
    st->n_inserted = PQntuples(r);
    PQclear(r);
    return 0;
}

/* The records not inserted: the same hash is a duplicate, anything else a conflict. */
static int sort_out_existing(PGconn *c, batch_state *st, its_err *err)
{
    const char *p[2] = {st->arr[A_ID].s, st->arr[A_HASH].s};
    PGresult *r = srv_query(c,
                            "SELECT u.id::text FROM unnest($1::uuid[], $2::bytea[]) AS u(id, hash)"
                            " JOIN records ON records.record_id = u.id AND records.hash = u.hash",
                            2, p, err);
    if (!r)
        return -1;
    for (int i = 0; i < st->b->n; i++)
        if (st->res[i].status == FLEET_DUPLICATE)
            st->res[i].status = FLEET_CONFLICT; /* unless the query below finds the same bytes */
    for (int k = 0; k < PQntuples(r); k++) {
        int i = find_result(st, PQgetvalue(r, k, 0));
        if (i >= 0 && st->res[i].status == FLEET_CONFLICT)
            st->res[i].status = FLEET_DUPLICATE;
    }
    PQclear(r);
    return 0;
}

static int quarantine(PGconn *c, batch_state *st, int i, its_err *err)
{
    const fleet_record *rec = &st->b->records[i];
    char hash[HEX32], *env = malloc(2 * rec->len + 3);
    if (!env)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory keeping a conflicting record.");
    srv_bytea_hex(st->hash[i], 32, hash);
    srv_bytea_hex(rec->env, rec->len, env);
    const char *p[5] = {rec->id, st->team, st->b->device, env, hash};
    int rc = srv_exec(c,
                      "INSERT INTO quarantine (record_id, team, device, envelope, hash)"
                      " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                      5, p, err);
    free(env);
    const char *log[2] = {st->b->device, rec->id};
    if (rc == 0)
        rc = srv_exec(c,
                      "INSERT INTO server_log (event, device, detail) VALUES ('conflict', $1,"
                      " 'record ' || $2 || ' sent with other bytes; kept in quarantine')",
                      2, log, err);
    snprintf(st->res[i].message, sizeof st->res[i].message,
             "Record %s is stored already with other bytes; this copy was kept aside for a person.",
             rec->id);
    return rc;
}

static int store_records(PGconn *c, batch_state *st, its_err *err)
{
    char key[80];
    snprintf(key, sizeof key, "SELECT pg_advisory_xact_lock(hashtext('records:' || $1))");
    const char *p[1] = {st->team};
    if (srv_as_team(c, st->team, err) != 0 || srv_exec(c, key, 1, p, err) != 0)
        return -1;
    if (st->n_valid == 0)
        return 0;
    if (insert_records(c, st, err) != 0)
        return -1;
    if (st->n_inserted < st->n_valid && sort_out_existing(c, st, err) != 0)
        return -1; /* only when something was there already */
    for (int i = 0; i < st->b->n; i++)
        if (st->res[i].status == FLEET_CONFLICT && quarantine(c, st, i, err) != 0)
            return -1;
    return 0;
}

/* ---- 4. the audit head -------------------------------------------------------------------- */

static int audit_head(PGconn *c, batch_state *st, its_err *err)
{
    const fleet_audit_head *h = &st->b->head;
    if (!h->present)
        return 0;
    if (!fleet_audit_head_verify(st->b->device, h, st->pk)) {
        its_strlcpy(st->audit,
                    "refused: the audit head's signature does not match the device's key",
                    sizeof st->audit);
        return 0;
    }
    char seq[24], hash[HEX32], sig[2 * 64 + 3];
    snprintf(seq, sizeof seq, "%lld", h->seq);
    srv_bytea_hex(h->hash, 32, hash);
    srv_bytea_hex(h->sig, 64, sig);
    const char *p[4] = {st->b->device, seq, hash, sig};
    PGresult *r =
        srv_query(c,
                  "SELECT coalesce(max(seq), -1), bool_or(seq = $2::bigint AND hash <> $3::bytea)"
                  " FROM audit_heads WHERE device = $1",
                  3, p, err);
    if (!r)
        return -1;
    long long max_seen = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    bool forked = PQgetvalue(r, 0, 1)[0] == 't';
    PQclear(r);
    if (max_seen > h->seq || forked)
        snprintf(st->audit, sizeof st->audit,
                 "rollback: the device reported audit entry %lld%s, but entry %lld "
                 "was seen before; a person should look at this device",
                 h->seq, forked ? " with another hash than before" : "", max_seen);
    else
        its_strlcpy(st->audit, "ok", sizeof st->audit);
    const char *log[2] = {st->b->device, st->audit};
    if (srv_exec(c,
                 "INSERT INTO audit_heads (device, seq, hash, signature) VALUES ($1, $2, $3, $4)"
                 " ON CONFLICT DO NOTHING",
                 4, p, err) != 0 ||
        (strcmp(st->audit, "ok") &&
         srv_exec(c, "INSERT INTO server_log (event, device, detail) VALUES ('rollback', $1, $2)",
                  2, log, err)))
        return -1;
    return 0;
}

/* ---- the batch ----------------------------------------------------------------------------- */

static void answer(batch_state *st, srv_reply *out)
{
    fleet_answer a = {st->b->n, st->res, ""};
    its_strlcpy(a.audit, st->audit, sizeof a.audit);
    for (int i = 0; i < st->b->n; i++)
        st->counts[st->res[i].status]++;
    srv_answer(out, fleet_answer_encode(&a));
    snprintf(out->note, sizeof out->note,
             "%s: %d stored, %d duplicate, %d conflict, %d refused%s%.60s", st->b->device,
             st->counts[FLEET_STORED], st->counts[FLEET_DUPLICATE], st->counts[FLEET_CONFLICT],
             st->counts[FLEET_REFUSED], st->audit[0] ? "; audit " : "", st->audit);
}

static int upload(PGconn *c, batch_state *st, srv_reply *out, its_err *err)
{
    if (srv_exec(c, "BEGIN", 0, NULL, err) != 0)
        return -1;
    int heard = device_row(c, st, out, err);
    if (heard <= 0) {
        srv_rollback(c);
        return heard;
    }
    arrays_open(st);
    for (int i = 0; i < st->b->n; i++)
        check_record(st, i);
    if (!arrays_close(st))
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory storing a batch.");
    if (store_records(c, st, err) != 0 || audit_head(c, st, err) != 0 ||
        srv_exec(c, "COMMIT", 0, NULL, err) != 0)
        return -1;
    answer(st, out);
    return 0;
}

int srv_ep_upload(PGconn *c, const srv_request *rq, srv_reply *out)
{
    fleet_batch b;
    its_err err;
    if (fleet_batch_parse(rq->body, rq->len, &b, &err) != 0)
        return srv_refuse(out, 400, err.msg);
    batch_state st = {
        .b = &b, .res = calloc((size_t)b.n, sizeof *st.res), .hash = calloc((size_t)b.n, 32)};
    int rc = st.res && st.hash ? upload(c, &st, out, &err)
                               : its_fail_code(&err, ITS_E_NO_MEMORY, "Out of memory storing a batch.");
    if (rc != 0)
        its_strlcpy(out->note, err.msg, sizeof out->note);
    arrays_free(&st);
    free(st.res);
    free(st.hash);
    fleet_batch_free(&b);
    return rc;
}
