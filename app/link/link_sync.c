/* link_sync.c — uploading an enrolled folder's outbox (docs/fleet-protocol.md section 5), and
 * starting that upload in the background after a result is saved.
 *
 * Why it is safe to cut anywhere: a batch is only a copy of rows that stay in the outbox until
 * the transaction that records the server's `stored`/`duplicate` commits (store I10), and the
 * server answers an id it already holds with the same bytes as `duplicate`. A killed upload is
 * sent again whole and nothing is lost or stored twice. */
#include "link.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define LINK_SYNC_RETRIES 3 /* waits of 0.1, 0.2 and 0.4 s */

/* Builds the JSON of one batch from outbox items (envelopes are borrowed, not copied). */
static char *batch_encode(store *s, store_outbox_item *items, int n, its_err *err)
{
    fleet_batch b;
    memset(&b, 0, sizeof b);
    its_strlcpy(b.device, store_device_id(s), sizeof b.device);
    b.n = n;
    b.records = n > 0 ? calloc((size_t)n, sizeof *b.records) : NULL;
    if (!b.records) {
        its_fail_code(err, ITS_E_NO_MEMORY, "The upload could not be prepared: out of memory.");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        its_strlcpy(b.records[i].id, items[i].id, sizeof b.records[i].id);
        b.records[i].env = items[i].env;
        b.records[i].len = items[i].len;
    }
    /* A folder whose log has no signed entry yet sends no head; the records still go. */
    its_err no_head;
    b.head.present = store_audit_head(s, &b.head.seq, b.head.hash, b.head.sig, &no_head) == 0;
    char *json = fleet_batch_encode(&b);
    if (!json)
        its_fail_code(err, ITS_E_NO_MEMORY, "The upload could not be prepared: out of memory.");
    free(b.records);
    return json;
}

/* Matches the server's answer to the batch: every id sent must have exactly one status. */
static int answer_settle(store *s, const store_outbox_item *items, int n, const fleet_answer *a,
                         link_sync_counts *c, its_err *err)
{
    if (a->n != n)
        return its_fail(err, "The server answered %d records of a batch of %d; the batch stays in the "
                             "outbox and is sent again.", a->n, n);
    store_outbox_result *r = calloc((size_t)n, sizeof *r);
    if (!r)
        return its_fail_code(err, ITS_E_NO_MEMORY,
                             "The server's answer could not be recorded: out of memory.");
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const fleet_result *x = &a->results[i];
        if (strcmp(x->id, items[i].id) != 0)
            rc = its_fail(err, "The server answered about record %s where %s was sent; the batch stays "
                               "in the outbox and is sent again.", x->id, items[i].id);
        r[i] = (store_outbox_result){items[i].id, fleet_status_name(x->status), x->message};
    }
    if (rc == 0)
        rc = store_outbox_settle(s, r, n, err);
    free(r);
    if (rc != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        fleet_status st = a->results[i].status;
        c->stored += st == FLEET_STORED;
        c->duplicate += st == FLEET_DUPLICATE;
        c->conflict += st == FLEET_CONFLICT;
        c->refused += st == FLEET_REFUSED;
    }
    its_strlcpy(c->audit, a->audit, sizeof c->audit);
    return 0;
}

/* How many of the items fit in one request body (base64 grows by 4/3, plus room for the JSON
 * around them): at least one, so a large record is still sent (the server says 413 when even
 * that one is too large, and it waits in the outbox). */
static int batch_fit(const store_outbox_item *items, int n)
{
    size_t total = 4096;
    for (int i = 0; i < n; i++) {
        total += items[i].len / 3 * 4 + 128;
        if (i > 0 && total > FLEET_BODY_MAX / 4 * 3)
            return i;
    }
    return n;
}

/* Sends one batch; 1 when the outbox had nothing more to send, 0 sent, -2 no answer came,
 * -1 another error. */
static int sync_batch(store *s, link_conn *conn, link_sync_counts *c, its_err *err)
{
    store_outbox_item *items = NULL;
    int n = 0;
    if (store_outbox_take(s, FLEET_BATCH_MAX, &items, &n, err) != 0)
        return -1;
    if (n == 0) {
        free(items);
        return 1;
    }
    int fit = batch_fit(items, n);
    char *body = batch_encode(s, items, fit, err);
    link_reply r = {0};
    int rc = body ? link_request(conn, "/v1/upload", body, strlen(body), &r, err) : -1;
    if (body && rc != 0)
        rc = -2; /* no answer: the batch may or may not be stored; sending it again is safe */
    free(body);
    if (rc == 0 && r.status != 200)
        rc = link_reply_error(conn, &r, "Upload to", err);
    if (rc == 0) {
        fleet_answer a;
        memset(&a, 0, sizeof a);
        rc = fleet_answer_parse(r.body, r.len, &a, err);
        if (rc == 0)
            rc = answer_settle(s, items, fit, &a, c, err);
        fleet_answer_free(&a);
    }
    link_reply_free(&r);
    store_outbox_items_free(items, n);
    return rc;
}

int link_sync(store *s, link_sync_counts *c, its_err *err)
{
    memset(c, 0, sizeof *c);
    const store_fleet *f = store_fleet_get(s);
    if (!f)
        return its_fail(err, "%s is not enrolled with a server; enrol it with `itsearvio init --server "
                             "URL --ca FILE --token TOKEN`.", store_dir(s));
    link_conn *conn = NULL;
    c->epoch_before = f->epoch;
    int rc = link_conn_open(f->server, f->ca_file, &conn, err);
    /* The team's newest epoch first: results saved from now on are sealed to it. Results already
     * sealed to an older epoch go as they are (the remaining members hold that epoch's key). */
    if (rc == 0 && link_bundle_follow(s, conn, &c->epoch, err) != 0)
        rc = -1;
    /* A connection that breaks is tried again a few times, a little later each time; a batch
     * that got an answer (even a refusal) is never retried in a loop. */
    int retries = 0;
    while (rc == 0 || (rc == -2 && retries < LINK_SYNC_RETRIES)) {
        if (rc == -2) {
            struct timespec pause = {0, 100000000L << retries};
            nanosleep(&pause, NULL);
            retries++;
        }
        rc = sync_batch(s, conn, c, err);
        if (rc == 0)
            retries = 0;
    }
    if (rc == -2)
        rc = -1;
    link_conn_close(conn);
    its_err e2;
    if (store_outbox_count(s, &c->waiting, rc < 0 ? &e2 : err) != 0 && rc >= 0)
        return -1;
    return rc < 0 ? -1 : 0;
}

/* ---- background upload ---------------------------------------------------------------------- */

int link_sync_spawn(const char *exe, const char *dir, its_err *err)
{
    /* The child holds an exclusive lock on DIR/sync.lock while it runs (cmd_sync); a second
     * start finds it taken and leaves at once. The kiosk never waits for a child: the ones that
     * have finished are reaped here, without blocking, so none is left a zombie for long. */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return its_fail_code(err, ITS_E_NO_MEMORY, "The background upload could not start: out of memory.");
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {(char *)exe, "sync", "--dir", (char *)dir, "--background", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return its_fail(err, "The background upload could not start: %s; the results wait in the "
                             "outbox for the next one.", strerror(rc));
    return 0;
}
