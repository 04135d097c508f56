/* admin.c — the administrator's commands: register a team from a worker folder's signed keys
 * bundle, issue one-time enrolment tokens, revoke a device. Each is one transaction. */
#include "srv_int.h"
#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- shared with the endpoints ------------------------------------------------------------ */

json_t *srv_team_bundle(PGconn *c, const char *team, its_err *err)
{
    const char *p[1] = {team};
    PGresult *r = srv_query(c, "SELECT bundle::text FROM teams WHERE team = $1", 1, p, err);
    if (!r)
        return NULL;
    json_t *b = PQntuples(r) == 1 ? json_loads(PQgetvalue(r, 0, 0), 0, NULL) : NULL;
    if (!b && PQntuples(r) == 0)
        its_fail(err, "There is no team %s on this server.", team);
    else if (!b)
        its_fail(err, "The stored bundle of team %s cannot be read.", team);
    PQclear(r);
    return b;
}

int srv_as_team(PGconn *c, const char *team, its_err *err)
{
    const char *p[1] = {team};
    if (srv_exec(c, "SET LOCAL ROLE itsearvio_app", 0, NULL, err) != 0)
        return -1;
    return srv_exec(c, "SELECT set_config('itsearvio.team', $1, true)", 1, p, err);
}

/* ---- team-add ---------------------------------------------------------------------------- */

/* Reads DIR/NAME as a JSON object. */
static json_t *read_json(const char *dir, const char *name, its_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (access(path, F_OK) != 0) {
        its_fail(err,
                 "%s has no %s: give a worker data folder made by `itsearvio init --mode worker`.",
                 dir, name);
        return NULL;
    }
    size_t len;
    char *text = its_read_file(path, &len, err);
    if (!text)
        return NULL;
    json_t *o = json_loadb(text, len, 0, NULL);
    free(text);
    if (!json_is_object(o)) {
        json_decref(o);
        its_fail(err, "%s is not a JSON object.", path);
        return NULL;
    }
    return o;
}

/* True when config member `name` is the base64 of key. */
static bool config_key_is(const json_t *cfg, const char *name, const unsigned char key[32])
{
    unsigned char k[32];
    return fleet_b64_decode(json_string_value(json_object_get(cfg, name)), k, 32) == 0 &&
           !memcmp(k, key, 32);
}

/* What team-add registers: the founding folder's signed bundle, its own worker key, and its
 * wrap of epoch 1 when it made a team (`team create`; none: a team of one, its own key). */
typedef struct founder {
    fleet_bundle b;
    unsigned char box_pk[32];
    store_team_epoch first;
    int n_epochs;
} founder;

/* The bundle of a worker folder, checked against the folder's own config.json (and its team
 * key of epoch 1, when it made one). */
static int worker_bundle(const char *dir, founder *f, its_err *err)
{
    fleet_bundle *b = &f->b;
    json_t *cfg = read_json(dir, "config.json", err);
    json_t *bj = cfg ? read_json(dir, "keys-bundle.json", err) : NULL;
    int rc = bj ? fleet_bundle_from_json(bj, b, err) : -1;
    bool has_signer = json_object_get(cfg, "worker_sign_public_key") != NULL;
    store_team_epoch e[STORE_TEAM_EPOCHS_MAX] = {{0}};
    f->n_epochs = 0;
    if (rc == 0)
        rc = store_team_file_read(dir, e, &f->n_epochs, err);
    f->first = e[0];
    bool keyed = rc == 0 && f->n_epochs == 1 && e[0].epoch == 1 && b->epoch == 1 &&
                 !memcmp(e[0].pk, b->worker_pk, 32);
    if (rc == 0 && fleet_b64_decode(json_string_value(json_object_get(cfg, "worker_public_key")), f->box_pk,
                                    32) != 0)
        rc = its_fail(err, "%s/config.json has no worker_public_key.", dir);
    bool own = config_key_is(cfg, "worker_public_key", b->worker_pk); /* a team of one */
    if (rc == 0 && ((f->n_epochs ? !keyed : !own) ||
                    !config_key_is(cfg, "recovery_public_key", b->recovery_pk) ||
                    (has_signer && !config_key_is(cfg, "worker_sign_public_key", b->signer_pk))))
        rc = its_fail(err,
                      "The keys bundle in %s does not hold the folder's own public keys; make the "
                      "folder again with `itsearvio init --mode worker`.",
                      dir);
    json_decref(cfg);
    json_decref(bj);
    return rc;
}

/* 1 when team p[0] exists with signer p[1], 0 when there is no such team, -1 refused or failed. */
static int team_known(PGconn *c, const char *const *p, its_err *err)
{
    PGresult *r = srv_query(
        c, "SELECT signer_public_key = $2 FROM teams WHERE team = $1 FOR UPDATE", 2, p, err);
    if (!r)
        return -1;
    int rc = PQntuples(r) == 0 ? 0 : 1;
    if (rc == 1 && PQgetvalue(r, 0, 0)[0] != 't')
        rc = its_fail(err,
                      "Team %s is registered already with another signer; a team's keys are not "
                      "replaced (choose another team name).",
                      p[0]);
    PQclear(r);
    return rc;
}

static int add_team(PGconn *c, const char *team, const founder *f, its_err *err)
{
    const fleet_bundle *b = &f->b;
    char spk[2 * 32 + 3], bpk[2 * 32 + 3], tpk[2 * 32 + 3], wrap[2 * STORE_WRAP_BYTES + 3];
    srv_bytea_hex(b->signer_pk, 32, spk);
    srv_bytea_hex(f->box_pk, 32, bpk);
    srv_bytea_hex(b->worker_pk, 32, tpk);
    srv_bytea_hex(f->first.wrap, STORE_WRAP_BYTES, wrap);
    json_t *bj = fleet_bundle_to_json(b);
    char *text = json_dumps(bj, JSON_COMPACT);
    json_decref(bj);
    const char *p[3] = {team, spk, text}, *m[3] = {team, spk, bpk}, *e[3] = {team, tpk, text},
               *w[3] = {team, spk, wrap};
    int known = srv_exec(c, "BEGIN", 0, NULL, err) == 0 ? team_known(c, p, err) : -1;
    int rc = known < 0 ? -1 : 0;
    if (known == 0 &&
        (srv_exec(c,
                  "INSERT INTO teams (team, signer_public_key, bundle) VALUES ($1, $2, $3::jsonb)",
                  3, p, err) != 0 ||
         srv_exec(c, "INSERT INTO team_members (team, sign_public_key, box_public_key) VALUES ($1, $2, $3)",
                  3, m, err) != 0 ||
         srv_exec(c,
                  "INSERT INTO team_epochs (team, epoch, public_key, bundle) VALUES ($1, 1, $2, $3::jsonb)",
                  3, e, err) != 0 ||
         (f->n_epochs > 0 &&
          srv_exec(c, "INSERT INTO team_wraps (team, epoch, sign_public_key, wrap) VALUES ($1, 1, $2, $3)", 3,
                   w, err) != 0)))
        rc = -1;
    free(text);
    if (rc == 0 && srv_exec(c, "COMMIT", 0, NULL, err) == 0)
        return 0;
    srv_rollback(c);
    return -1;
}

int server_team_add(const char *dsn, const char *team, const char *worker_dir, its_err *err)
{
    founder f;
    PGconn *c;
    if (!fleet_name_ok(team))
        return its_fail(err, "A team name is 1 to %d of A-Z a-z 0-9 . _ -.", FLEET_NAME_MAX);
    if (worker_bundle(worker_dir, &f, err) != 0 || srv_connect(dsn, &c, err) != 0)
        return -1;
    its_strlcpy(f.b.team, team, sizeof f.b.team);
    int rc = add_team(c, team, &f, err);
    PQfinish(c);
    /* So the worker station knows which team it pulls for (protocol 6); a read-only copy of the
     * folder is fine: the station is then told its team once with `pull --team`. */
    its_err ignored;
    if (rc == 0)
        (void)store_bundle_set_team(worker_dir, team, &ignored);
    return rc;
}

/* ---- enroll ------------------------------------------------------------------------------ */

int server_enroll(const char *dsn, const char *team, const char *site, char token[40], its_err *err)
{
    if (!fleet_name_ok(site))
        return its_fail(err, "A site name is 1 to %d of A-Z a-z 0-9 . _ -.", FLEET_NAME_MAX);
    PGconn *c;
    if (srv_connect(dsn, &c, err) != 0)
        return -1;
    fleet_bundle b;
    json_t *bj = srv_team_bundle(c, team, err);
    int rc = bj ? fleet_bundle_from_json(bj, &b, err) : -1;
    json_decref(bj);
    unsigned char secret[FLEET_TOKEN_SECRET_BYTES], hash[32];
    char hash_hex[2 * 32 + 3];
    if (rc == 0) {
        fleet_token_make(b.signer_pk, token, secret);
        crypto_generichash(hash, sizeof hash, secret, sizeof secret, NULL, 0);
        sodium_memzero(secret, sizeof secret);
        srv_bytea_hex(hash, sizeof hash, hash_hex);
        const char *p[3] = {team, site, hash_hex};
        rc = srv_exec(c, "BEGIN", 0, NULL, err) ||
                     srv_exec(
                         c, "INSERT INTO sites (team, site) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                         2, p, err) ||
                     srv_exec(c,
                              "INSERT INTO enrol_tokens (token_hash, team, site, expires_at)"
                              " VALUES ($3, $1, $2, now() + interval '24 hours')",
                              3, p, err) ||
                     srv_exec(c, "COMMIT", 0, NULL, err)
                 ? -1
                 : 0;
        if (rc != 0) {
            srv_rollback(c);
            sodium_memzero(token, 40);
        }
    }
    PQfinish(c);
    return rc;
}

/* ---- revoke ------------------------------------------------------------------------------ */

int server_revoke(const char *dsn, const char *device, its_err *err)
{
    PGconn *c;
    if (srv_connect(dsn, &c, err) != 0)
        return -1;
    const char *p[1] = {device};
    PGresult *r = srv_query(c,
                            "WITH d AS (UPDATE devices SET revoked_at = coalesce(revoked_at, now())"
                            " WHERE device_id = $1 RETURNING device_id)"
                            " INSERT INTO server_log (event, device, detail)"
                            " SELECT 'revoke', device_id, 'revoked by the administrator' FROM d"
                            " RETURNING device",
                            1, p, err);
    int rc = r ? 0 : -1;
    if (r && PQntuples(r) == 0)
        rc = its_fail(err, "No device %s is enrolled on this server; check the device id.", device);
    PQclear(r);
    PQfinish(c);
    return rc;
}
