/* db.c — PostgreSQL through libpq: connecting with the schema check, queries with text
 * parameters, bytea in hex, and the connection pool of the request threads.
 *
 * Messages from the database are passed on in the sentence ("... : <first line of libpq's
 * message>"); they name tables and constraints, never parameter values, so no record bytes or
 * tokens reach an error text. */
#include "srv_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The first line of libpq's message, without the trailing newline. */
static const char *pq_message(PGconn *c, char *buf, size_t n)
{
    its_strlcpy(buf, PQerrorMessage(c), n);
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    return buf;
}

/* The server's sessions are short and never wait long on a lock held by a stuck client. */
static int session_setup(PGconn *c, its_err *err)
{
    return srv_exec(c, "SET lock_timeout = '30s'", 0, NULL, err);
}

void srv_reconnect(PGconn *c)
{
    its_err ignored; /* a failed setup shows as a failed request, with the database's words */
    PQreset(c);
    if (PQstatus(c) == CONNECTION_OK)
        (void)session_setup(c, &ignored);
}

int srv_connect_raw(const char *dsn, PGconn **out, its_err *err)
{
    char m[300];
    PGconn *c = PQconnectdb(dsn);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        its_fail(err, "Cannot connect to the database (%s); check --dsn and that PostgreSQL runs.",
                 c ? pq_message(c, m, sizeof m) : "out of memory");
        PQfinish(c);
        return -1;
    }
    if (session_setup(c, err) != 0) {
        PQfinish(c);
        return -1;
    }
    *out = c;
    return 0;
}

int srv_connect(const char *dsn, PGconn **out, its_err *err)
{
    PGconn *c;
    if (srv_connect_raw(dsn, &c, err) != 0)
        return -1;
    int v = srv_schema_version(c, err);
    if (v >= 0 && v != SERVER_SCHEMA_VERSION) {
        if (v > SERVER_SCHEMA_VERSION)
            srv_schema_newer(v, err);
        else
            its_fail(err,
                     "The database schema is version %d; run `itsearvio server migrate` first.", v);
        v = -1;
    }
    if (v < 0) {
        PQfinish(c);
        return -1;
    }
    *out = c;
    return 0;
}

static PGresult *run(PGconn *c, const char *sql, int n, const char *const *params)
{
    return PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
}

int srv_exec(PGconn *c, const char *sql, int n, const char *const *params, its_err *err)
{
    char m[300];
    PGresult *r = run(c, sql, n, params);
    ExecStatusType st = PQresultStatus(r);
    PQclear(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return 0;
    return its_fail(err, "The database refused a command: %s.", pq_message(c, m, sizeof m));
}

PGresult *srv_query_bin(PGconn *c, const char *sql, int n, const char *const *params,
                        const int *lengths, const int *formats, its_err *err)
{
    char m[300];
    PGresult *r = PQexecParams(c, sql, n, NULL, params, lengths, formats, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        return r;
    PQclear(r);
    its_fail(err, "The database refused a query: %s.", pq_message(c, m, sizeof m));
    return NULL;
}

PGresult *srv_query(PGconn *c, const char *sql, int n, const char *const *params, its_err *err)
{
    return srv_query_bin(c, sql, n, params, NULL, NULL, err);
}

bool srv_conn_lost(PGconn *c)
{
    return PQstatus(c) != CONNECTION_OK;
}

void srv_rollback(PGconn *c)
{
    if (PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE)
        PQclear(PQexec(c, "ROLLBACK"));
}

void srv_hex(const unsigned char *p, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[p[i] >> 4];
        out[2 * i + 1] = hex[p[i] & 15];
    }
    out[2 * n] = '\0';
}

void srv_bytea_hex(const unsigned char *p, size_t n, char *out)
{
    out[0] = '\\';
    out[1] = 'x';
    srv_hex(p, n, out + 2);
}

int srv_bytea_get(const PGresult *r, int row, int col, unsigned char *out, size_t n)
{
    size_t len = 0;
    unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, col), &len);
    int rc = b && len == n ? 0 : -1;
    if (rc == 0)
        memcpy(out, b, n);
    PQfreemem(b);
    return rc;
}

/* ---- the pool ----------------------------------------------------------------------------- */

struct srv_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int n, n_free;
    PGconn **all, **free_list;
};

int srv_pool_open(const char *dsn, int n, srv_pool **out, its_err *err)
{
    srv_pool *p = calloc(1, sizeof *p);
    if (!p)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory starting the server.");
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (!(p->all = calloc((size_t)n, sizeof *p->all)) ||
        !(p->free_list = calloc((size_t)n, sizeof *p->free_list))) {
        srv_pool_close(p);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory starting the server.");
    }
    for (; p->n < n; p->n++) {
        if (srv_connect(dsn, &p->all[p->n], err) != 0) {
            srv_pool_close(p);
            return -1;
        }
        p->free_list[p->n_free++] = p->all[p->n];
    }
    *out = p;
    return 0;
}

PGconn *srv_pool_take(srv_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->n_free == 0)
        pthread_cond_wait(&p->freed, &p->lock);
    PGconn *c = p->free_list[--p->n_free];
    pthread_mutex_unlock(&p->lock);
    return c;
}

void srv_pool_give(srv_pool *p, PGconn *c)
{
    pthread_mutex_lock(&p->lock);
    p->free_list[p->n_free++] = c;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

void srv_pool_close(srv_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        PQfinish(p->all[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    free(p->all);
    free(p->free_list);
    free(p);
}
