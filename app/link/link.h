/* link.h — the device's and the worker station's side of the fleet (docs/fleet-protocol.md):
 * HTTPS to the ingest server (libcurl, the server checked against one CA file only), enrolment
 * of a kiosk or tablet, upload of its outbox, and a worker station's pull of its team's records.
 *
 * Owns the conversation with the server; the wire format is app/fleet's (fleet.h), the records,
 * the outbox and the cursor are the store's (store.h). Nothing here prints or exits: every
 * function returns 0 or -1 with one plain sentence in *err. */
#ifndef ITS_LINK_H
#define ITS_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include "fleet.h"
#include "store.h"
#include "util.h"

#define LINK_URL_MAX 512
#define LINK_PATH_MAX 1024

/* ---- HTTPS (link_http.c) ---------------------------------------------------------------- */

typedef struct link_conn link_conn;  /* one server, one CA file, one kept-alive connection */

typedef struct link_reply {
    long status;  /* HTTP status */
    char *body;   /* malloc'd, NUL-terminated */
    size_t len;
} link_reply;

/* Checks the address (https only) and the CA file name; does not connect yet. */
int  link_conn_open(const char *server_url, const char *ca_file, link_conn **out, its_err *err);
void link_conn_close(link_conn *c);
const char *link_conn_url(const link_conn *c);
/* POSTs the JSON body to server + path (GET when body is NULL). 0 when an HTTP answer came,
 * whatever its status; -1 with a sentence naming the server or the CA file when none did. */
int  link_request(link_conn *c, const char *path, const char *body, size_t len, link_reply *r, its_err *err);
void link_reply_free(link_reply *r);
/* "<what> <server> refused: <the server's sentence>"; returns -1. */
int  link_reply_error(const link_conn *c, const link_reply *r, const char *what, its_err *err);

/* ---- enrolment (link_enrol.c, protocol section 4) --------------------------------------- */

typedef struct link_enrol_opts {
    store_mode mode;        /* kiosk or tablet */
    const char *dir;
    const char *server_url;
    const char *ca_file;
    const char *token;
    const char *device_id;  /* requested; NULL: "<mode>-<8 random hex>" */
    bool force;
} link_enrol_opts;

/* Makes the device key, enrols it, checks the team's bundle against the token's pin and only
 * then writes the data folder. device gets the id the server gave. Nothing is written on error. */
int link_enrol(const link_enrol_opts *o, char device[STORE_DEVICE_MAX + 1], its_err *err);

/* ---- upload (link_sync.c, protocol section 5) ------------------------------------------- */

typedef struct link_sync_counts {
    int stored;     /* the server stored them now */
    int duplicate;  /* the server had them already */
    int waiting;    /* still in the outbox (conflict, refused, or not sent) */
    int conflict;
    int refused;
    char audit[256]; /* the server's word on the audit head of the last batch */
    long long epoch_before, epoch; /* the team epoch the device sealed to before and after */
} link_sync_counts;

/* Uploads the outbox of an enrolled folder in batches of at most FLEET_BATCH_MAX, each with the
 * audit head; a record leaves the outbox only on stored or duplicate. -1 when the server could
 * not be reached or refused the device (counts still tell what was done before). */
int link_sync(store *s, link_sync_counts *n, its_err *err);

/* Starts `exe sync --dir DIR --quiet` in the background (a detached child; the caller never
 * waits). At most one runs per folder (a lock file); a killed one loses nothing. */
int link_sync_spawn(const char *exe, const char *dir, its_err *err);

/* ---- pull (link_pull.c, protocol section 6) --------------------------------------------- */

typedef struct link_pull_counts {
    int epochs;    /* team epochs this worker holds a key of */
    int records;   /* new records stored locally */
    int devices;   /* device keys pinned (new) */
    long long cursor;
} link_pull_counts;

/* Pulls team's records since the folder's cursor into an unlocked worker folder, one page per
 * transaction with the cursor, then pins the device keys the server lists for the team. */
int link_pull(store *s, store_key *key, const char *server_url, const char *ca_file, const char *team,
              link_pull_counts *n, its_err *err);

/* Every record of the team on the server, page by page, handed to each(ctx, record, the device's
 * signing key as the server registered it or NULL): nothing is stored (the recovery drill).
 * A non-zero return of each stops the walk and is returned. */
typedef int (*link_record_fn)(void *ctx, const fleet_pulled *rec, const unsigned char *device_pk);
int link_pull_each(store_key *key, const char *server_url, const char *ca_file, const char *team,
                   link_record_fn each, void *ctx, its_err *err);

/* ---- teams (link_team.c, protocol section 9) --------------------------------------------- */

/* What POST /v1/team "wraps" told: this worker's wraps (their bundles checked), the newest
 * epoch, the team's signer and its current members' keys. */
typedef struct link_team_state {
    int n_mine;
    store_team_epoch mine[STORE_TEAM_EPOCHS_MAX];
    long long newest;
    unsigned char signer_pk[32];
    int n_members;
    unsigned char sign_pk[FLEET_MEMBERS_MAX][32], box_pk[FLEET_MEMBERS_MAX][32];
    bool has_box[FLEET_MEMBERS_MAX]; /* false: a member registered before team keys */
} link_team_state;

int link_team_state_get(link_conn *c, const store_key *key, const char *team, link_team_state *t,
                        its_err *err);
/* Fetches this worker's wraps and keeps them (store_team_keys_accept); *epochs gets how many.
 * A removed member is refused here with the server's sentence. */
int link_team_keys_pull(store *s, store_key *key, link_conn *c, const char *team, int *epochs, its_err *err);
/* Wraps every epoch this worker holds to a new member (whose fingerprint the caller checked). */
int link_team_add_member(link_conn *c, store_key *key, const char *team, const unsigned char sign_pk[32],
                         const unsigned char box_pk[32], int *epochs, its_err *err);
/* The team's signer removes the member with this fingerprint and starts epoch *epoch, wrapped to
 * every remaining member (t gets the team as it was, to name them). */
int link_team_remove_member(store *s, link_conn *c, store_key *key, const char *team, const char *fingerprint,
                            link_team_state *t, long long *epoch, its_err *err);
/* An enrolled device fetches the team's bundle and follows a newer epoch signed by the signer it
 * pinned at enrolment (store_fleet_bundle_apply); *epoch gets the epoch it now seals to. */
int link_bundle_follow(store *s, link_conn *c, long long *epoch, its_err *err);

#endif
