/* server.h — the central server (docs/fleet-protocol.md): the PostgreSQL schema and its
 * migrations, the administrator's commands (team-add, enroll, revoke) and the HTTPS ingest
 * service that devices upload to and worker stations pull from.
 *
 * What the server guarantees, and what it can never do:
 *   1. It stores sealed envelopes byte for byte and never holds a key that opens one: the
 *      database, its dumps and the server log hold no answer, score, flag or client code.
 *   2. Nothing is overwritten: a record id is stored once; other bytes under a stored id go to
 *      the quarantine table, the stored row is never touched. Nothing is deleted by the service.
 *   3. One PostgreSQL transaction per upload batch: a batch is stored whole or not at all, so a
 *      cut connection, a killed server or a restarted database leaves nothing half-done, and
 *      resending the batch is always safe (duplicates are recognised by their hash).
 *   4. Only enrolled, unrevoked devices are heard; every envelope's Ed25519 signature is checked
 *      against the key the device registered at enrolment before it is stored.
 *   5. The log names requests, devices, counts and statuses; never bodies or tokens.
 *
 * Every function returns 0 on success and -1 with one plain sentence in *err; nothing here
 * prints except server_run's log lines (to the FILE it is given). */
#ifndef ITS_SERVER_H
#define ITS_SERVER_H

#include <stdio.h>
#include "util.h"

#define SERVER_SCHEMA_VERSION 2 /* the newest schema this server knows */

/* Creates or upgrades the schema (forward only, each step in one transaction). Refuses a
 * database whose schema is newer than this server. *from / *to get the versions. */
int server_migrate(const char *dsn, int *from, int *to, its_err *err);

/* Registers team `team` with the keys bundle of worker folder `worker_dir` (its config.json and
 * keys-bundle.json), after checking the bundle's signature and that its keys are the folder's.
 * The bundle's signer becomes the team's first member (it may pull). Adding the same bundle
 * again is fine; another bundle under an existing team name is refused. */
int server_team_add(const char *dsn, const char *team, const char *worker_dir, its_err *err);

/* Stores a one-time enrolment token for (team, site), valid 24 hours, and writes it to token
 * (only its hash is stored). */
int server_enroll(const char *dsn, const char *team, const char *site, char token[40],
                  its_err *err);

/* Refuses device `device` from now on (its stored records stay). Revoking twice is fine. */
int server_revoke(const char *dsn, const char *device, its_err *err);

typedef struct server_opts {
    const char *dsn;
    const char *listen;   /* "HOST:PORT"; port 0 picks a free one (printed in the log) */
    const char *tls_cert; /* PEM files */
    const char *tls_key;
    int threads; /* request threads, each with its own database connection; 0: 4 */
    FILE *log;   /* one line per request; NULL: stderr */
} server_opts;

/* Runs the ingest service until SIGTERM or SIGINT, then finishes the requests in flight and
 * returns 0. -1 when it cannot start (schema, certificate, address). */
int server_run(const server_opts *o, its_err *err);

#endif
