/* http.c — the HTTPS side of `itsearvio server run`: libmicrohttpd with GnuTLS, a pool of
 * request threads each with its own database connection, routing, body limits, the log, and a
 * clean stop on SIGTERM.
 *
 * A request's life (MHD calls on_request() several times per request):
 *
 *   first call   route known? Content-Length <= FLEET_BODY_MAX?  no -> 404/405/413 at once
 *                yes -> a body buffer (in_flight + 1)
 *   data calls   append to the buffer; past FLEET_BODY_MAX the rest is dropped (-> 413)
 *   last call    run the endpoint on a pooled connection [run_endpoint]; if the connection was
 *                lost (PostgreSQL restarted), reset it and run the endpoint once more: every
 *                endpoint is one transaction and safe to repeat
 *   completed    free the buffer (in_flight - 1)   [completed()]
 *
 * Stopping: SIGTERM or SIGINT -> stop accepting (MHD_quiesce_daemon) -> wait until in_flight
 * is 0 (each batch in flight commits and is answered) -> MHD_stop_daemon -> exit 0. */
#include "srv_int.h"

#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_LIMIT_MS 120000 /* a batch in flight gets this long to finish at SIGTERM */

typedef struct server {
    srv_pool *pool;
    FILE *log;
    pthread_mutex_t log_lock;
    atomic_int in_flight;
} server;

typedef struct body {
    char *buf;
    size_t len, cap;
    bool too_big;
} body;

static const struct route {
    const char *method, *path;
    srv_endpoint run;
} routes[] = {
    {"POST", "/v1/enroll", srv_ep_enroll}, {"POST", "/v1/upload", srv_ep_upload},
    {"POST", "/v1/pull", srv_ep_pull},     {"GET", "/v1/devices", srv_ep_devices},
    {"GET", "/v1/bundle", srv_ep_bundle},  {"POST", "/v1/team", srv_ep_team},
};

static const char too_big_sentence[] =
    "The request is larger than the server accepts (8 MiB); send fewer records per batch.";

/* ---- replies ---------------------------------------------------------------------------- */

int srv_refuse(srv_reply *out, unsigned status, const char *sentence)
{
    out->status = status;
    out->body = fleet_error_encode(sentence);
    its_strlcpy(out->note, sentence, sizeof out->note);
    return 0;
}

int srv_answer(srv_reply *out, char *json)
{
    if (!json)
        return srv_refuse(out, 500, "The server ran out of memory making its answer; try again.");
    out->status = 200;
    out->body = json;
    return 0;
}

static void log_line(server *s, const char *method, const char *url, const srv_reply *r)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    pthread_mutex_lock(&s->log_lock);
    fprintf(s->log, "%s %s %s %u %s\n", when, method, url, r->status, r->note);
    fflush(s->log);
    pthread_mutex_unlock(&s->log_lock);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, srv_reply *r)
{
    if (!r->body)
        r->body = its_strdup("{}");
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(r->body), r->body, MHD_RESPMEM_MUST_FREE);
    r->body = NULL; /* MHD frees it */
    MHD_add_response_header(resp, "Content-Type", "application/json");
    enum MHD_Result ok = MHD_queue_response(conn, r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* ---- running an endpoint ----------------------------------------------------------------- */

static void run_endpoint(server *s, srv_endpoint fn, const srv_request *rq, srv_reply *out)
{
    PGconn *c = srv_pool_take(s->pool);
    for (int attempt = 0; attempt < 2; attempt++) {
        if (srv_conn_lost(c))
            srv_reconnect(c); /* PostgreSQL restarted: the next try runs on a new session */
        memset(out, 0, sizeof *out);
        if (fn(c, rq, out) == 0) {
            srv_pool_give(s->pool, c);
            return;
        }
        srv_rollback(c);
        free(out->body);
        out->body = NULL;
        if (!srv_conn_lost(c))
            break;
    }
    srv_pool_give(s->pool, c);
    char why[sizeof out->note];
    its_strlcpy(why, out->note, sizeof why);
    srv_refuse(
        out, 503,
        "The server cannot use its database right now; nothing was stored, try again later.");
    its_strlcpy(out->note, why, sizeof out->note); /* the log says what the database said */
}

static const struct route *find_route(const char *method, const char *url, bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (!strcmp(url, routes[i].path)) {
            *path_known = true;
            if (!strcmp(method, routes[i].method))
                return &routes[i];
        }
    return NULL;
}

/* The first call of a request: refuse what cannot be served before reading any body. */
static enum MHD_Result first_call(server *s, struct MHD_Connection *conn, const char *method,
                                  const char *url, void **state)
{
    bool path_known;
    srv_reply r = {0};
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!find_route(method, url, &path_known))
        srv_refuse(&r, path_known ? 405 : 404,
                   path_known ? "This address does not take that method."
                              : "There is no such address on this server.");
    else if (cl && strtoull(cl, NULL, 10) > FLEET_BODY_MAX)
        srv_refuse(&r, 413, too_big_sentence);
    else {
        body *b = calloc(1, sizeof *b);
        if (!b)
            return MHD_NO;
        *state = b;
        atomic_fetch_add(&s->in_flight, 1);
        return MHD_YES;
    }
    log_line(s, method, url, &r);
    return send_reply(conn, &r);
}

static void body_append(body *b, const char *data, size_t n)
{
    if (b->too_big || b->len + n > FLEET_BODY_MAX) {
        b->too_big = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->buf, cap);
        if (!p) {
            b->too_big = true;
            return;
        }
        b->buf = p;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, data, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **state)
{
    server *s = cls;
    body *b = *state;
    if (!b)
        return first_call(s, conn, method, url, state);
    if (*data_size) {
        body_append(b, data, *data_size);
        *data_size = 0;
        return MHD_YES;
    }
    bool path_known;
    srv_reply r = {0};
    if (b->too_big)
        srv_refuse(&r, 413, too_big_sentence);
    else {
        srv_request rq = {b->buf ? b->buf : "", b->len,
                          MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "team")};
        run_endpoint(s, find_route(method, url, &path_known)->run, &rq, &r);
    }
    log_line(s, method, url, &r);
    return send_reply(conn, &r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **state,
                      enum MHD_RequestTerminationCode tc)
{
    server *s = cls;
    body *b = *state;
    if (!b)
        return;
    free(b->buf);
    free(b);
    *state = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* ---- starting and stopping ---------------------------------------------------------------- */

/* "HOST:PORT" or "[V6]:PORT" to a socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *sa, its_err *err)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    size_t hl = colon ? (size_t)(colon - listen) : 0;
    if (hl >= 2 && listen[0] == '[' && listen[hl - 1] == ']') {
        listen++;
        hl -= 2;
    }
    if (!colon || hl == 0 || hl >= sizeof host || !colon[1])
        return its_fail(err, "--listen takes HOST:PORT, for example 127.0.0.1:8443.");
    memcpy(host, listen, hl);
    host[hl] = '\0';
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM},
                    *ai;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
        return its_fail(err, "Cannot listen on %s: no such address or port.", listen);
    memcpy(sa, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    return 0;
}

static struct MHD_Daemon *start_daemon(server *s, const server_opts *o, const char *cert,
                                       const char *key, its_err *err)
{
    struct sockaddr_storage sa = {0};
    if (parse_listen(o->listen, &sa, err) != 0)
        return NULL;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_TLS | MHD_USE_ITC;
    if (sa.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(o->threads > 0 ? o->threads : 4), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_END);
    if (!d)
        its_fail(err,
                 "Cannot start HTTPS on %s: the address is in use or not this machine's, or the "
                 "certificate and key do not belong together.",
                 o->listen);
    return d;
}

/* Waits for SIGTERM or SIGINT (blocked in every thread, so only this wait sees them). */
static void wait_for_stop(const sigset_t *set)
{
    int sig;
    while (sigwait(set, &sig) != 0)
        ;
}

static void drain(server *s)
{
    for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < DRAIN_LIMIT_MS; waited += 10)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
}

static int serve(server *s, const server_opts *o, const char *cert, const char *key, its_err *err)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before MHD makes its threads: they inherit it */
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = start_daemon(s, o, cert, key, err);
    if (!d)
        return -1;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    srv_reply hello = {.status = 0};
    snprintf(hello.note, sizeof hello.note, "listening on port %u (schema version %d)",
             info ? info->port : 0, SERVER_SCHEMA_VERSION);
    log_line(s, "START", o->listen, &hello);
    wait_for_stop(&set);
    MHD_socket listener = MHD_quiesce_daemon(d); /* ours to close, after the stop */
    snprintf(hello.note, sizeof hello.note, "stopping: finishing %d request(s) in flight",
             atomic_load(&s->in_flight));
    log_line(s, "STOP", o->listen, &hello);
    drain(s);
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    return 0;
}

int server_run(const server_opts *o, its_err *err)
{
    size_t cert_len, key_len;
    char *cert = its_read_file(o->tls_cert, &cert_len, err);
    char *key = cert ? its_read_file(o->tls_key, &key_len, err) : NULL;
    server s = {.log = o->log ? o->log : stderr};
    int rc = -1;
    pthread_mutex_init(&s.log_lock, NULL);
    atomic_init(&s.in_flight, 0);
    if (key && srv_pool_open(o->dsn, o->threads > 0 ? o->threads : 4, &s.pool, err) == 0) {
        rc = serve(&s, o, cert, key, err);
        srv_pool_close(s.pool);
    }
    if (key)
        its_wipe(key, key_len);
    free(key);
    free(cert);
    pthread_mutex_destroy(&s.log_lock);
    return rc;
}
