/* srv_int.h — what the server's files share inside app/server: database helpers (db.c), the
 * schema check (schema.c), and the request/reply shape every endpoint (ep_*.c) works with. */
#ifndef ITS_SRV_INT_H
#define ITS_SRV_INT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include "fleet.h"
#include "server.h"

/* ---- db.c: connections and queries ------------------------------------------------------- */

/* Connects and checks the schema is exactly SERVER_SCHEMA_VERSION (older: migrate first; newer:
 * upgrade the server). */
int srv_connect(const char *dsn, PGconn **out, its_err *err);
/* Connects without the schema check (migrate). */
int srv_connect_raw(const char *dsn, PGconn **out, its_err *err);
/* Runs a command with text parameters; 0 when it succeeded. */
int srv_exec(PGconn *c, const char *sql, int n, const char *const *params, its_err *err);
/* A query with text parameters that returns rows; NULL (and err) on failure. PQclear the result. */
PGresult *srv_query(PGconn *c, const char *sql, int n, const char *const *params, its_err *err);
/* The same with some parameters in binary (formats[i] 1, lengths[i] its size). */
PGresult *srv_query_bin(PGconn *c, const char *sql, int n, const char *const *params,
                        const int *lengths, const int *formats, its_err *err);
/* True when the connection is gone (database restarted, network cut): reset and retry. */
bool srv_conn_lost(PGconn *c);
/* Connects again with the same settings (after srv_conn_lost); check srv_conn_lost after. */
void srv_reconnect(PGconn *c);
/* Runs ROLLBACK when a transaction is open (after a failure), ignoring errors. */
void srv_rollback(PGconn *c);
/* Lower-case hex of p; out holds 2 * n + 1 bytes. */
void srv_hex(const unsigned char *p, size_t n, char *out);
/* "\x0a1b..." for a bytea parameter; out holds 2 * n + 3 bytes. */
void srv_bytea_hex(const unsigned char *p, size_t n, char *out);
/* Reads a bytea column (text format "\x..") of exactly n bytes; -1 otherwise. */
int srv_bytea_get(const PGresult *r, int row, int col, unsigned char *out, size_t n);

/* A fixed set of connections, one per request thread; take blocks until one is free. */
typedef struct srv_pool srv_pool;
int srv_pool_open(const char *dsn, int n, srv_pool **out, its_err *err);
PGconn *srv_pool_take(srv_pool *p);
void srv_pool_give(srv_pool *p, PGconn *c);
void srv_pool_close(srv_pool *p);

/* ---- schema.c ---------------------------------------------------------------------------- */

/* The schema version of the database (0: none yet); -1 on error. */
int srv_schema_version(PGconn *c, its_err *err);
/* Fills err with the "schema is newer than this server" sentence; returns -1. */
int srv_schema_newer(int version, its_err *err);

/* ---- endpoints --------------------------------------------------------------------------- */

typedef struct srv_request {
    const char *body; /* NUL-terminated, may be empty */
    size_t len;
    const char *team; /* ?team= of a GET, or NULL */
} srv_request;

typedef struct srv_reply {
    unsigned status; /* HTTP status */
    char *body;      /* malloc'd JSON */
    char note[200];  /* for the log line: counts and names, never contents or tokens */
} srv_reply;

/* Each endpoint runs its whole work on c and fills *out. It returns -1 only when the database
 * failed (the caller resets the connection and runs it once more: every endpoint is safe to
 * repeat), else 0 with any refusal in *out. */
typedef int (*srv_endpoint)(PGconn *c, const srv_request *rq, srv_reply *out);
int srv_ep_enroll(PGconn *c, const srv_request *rq, srv_reply *out);
int srv_ep_upload(PGconn *c, const srv_request *rq, srv_reply *out);
int srv_ep_pull(PGconn *c, const srv_request *rq, srv_reply *out);
int srv_ep_devices(PGconn *c, const srv_request *rq, srv_reply *out);
int srv_ep_bundle(PGconn *c, const srv_request *rq, srv_reply *out);
int srv_ep_team(PGconn *c, const srv_request *rq, srv_reply *out);

/* A worker signing key's standing in team: 1 a member, 0 unknown, 2 removed, -1 failure. */
int srv_member_state(PGconn *c, const char *team, const unsigned char pk[FLEET_PK_BYTES], its_err *err);
/* Refuses (403) a key that is not (or no longer) a member of team, with a plain sentence. */
int srv_member_refuse(srv_reply *out, int state, const char *team);

/* Fills out with status and {"error": sentence}; returns 0 (a refusal is not a failure). */
int srv_refuse(srv_reply *out, unsigned status, const char *sentence);
/* Fills out with 200 and the JSON text (taken over; NULL becomes a 500). */
int srv_answer(srv_reply *out, char *json);

/* The team's bundle as stored (the JSON object, with team set), or NULL when there is no such
 * team. Shared by team-add, enrol and GET /v1/bundle. Caller decrefs. */
json_t *srv_team_bundle(PGconn *c, const char *team, its_err *err);
/* Makes the rest of the open transaction see only `team`'s rows (row-level security). */
int srv_as_team(PGconn *c, const char *team, its_err *err);

#endif
