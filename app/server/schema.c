/* schema.c — the central database's schema and its migrations.
 *
 * Rules: migrations only go forward; each runs in its own transaction with the version row it
 * adds, under an advisory lock, so two `migrate` runs at once apply each step once; a server
 * refuses a database whose schema_version is newer than SERVER_SCHEMA_VERSION (srv_connect).
 *
 * Row-level security is a second line behind the service's own checks: the request threads
 * read and write records and quarantine as role itsearvio_app with `itsearvio.team` set to the
 * team of the device or worker (srv_as_team), so a bug in a query cannot reach another team's
 * rows. The administrator's commands run as the DSN's user, the tables' owner. */
#include "srv_int.h"

#include <stdio.h>
#include <stdlib.h>

#define MIGRATE_LOCK "7275616271" /* pg_advisory_xact_lock key: any fixed number */

/* Version 1: teams, sites, tokens, devices, records, quarantine, audit heads, server log. */
static const char schema_v1[] =
    "CREATE TABLE teams ("
    "  team text PRIMARY KEY,"
    "  bundle jsonb NOT NULL," /* as the worker signed it, team set by us */
    "  signer_public_key bytea NOT NULL,"
    "  added_at timestamptz NOT NULL DEFAULT now());"
    "CREATE TABLE team_members (" /* worker signing keys that may pull */
    "  team text NOT NULL REFERENCES teams,"
    "  sign_public_key bytea NOT NULL,"
    "  added_at timestamptz NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (team, sign_public_key));"
    "CREATE TABLE sites ("
    "  team text NOT NULL REFERENCES teams,"
    "  site text NOT NULL,"
    "  PRIMARY KEY (team, site));"
    "CREATE TABLE enrol_tokens (" /* only a hash of the token, never the token */
    "  token_hash bytea PRIMARY KEY,"
    "  team text NOT NULL, site text NOT NULL,"
    "  created_at timestamptz NOT NULL DEFAULT now(),"
    "  expires_at timestamptz NOT NULL,"
    "  used_at timestamptz, device_id text,"
    "  FOREIGN KEY (team, site) REFERENCES sites);"
    "CREATE TABLE devices ("
    "  device_id text PRIMARY KEY,"
    "  team text NOT NULL, site text NOT NULL, mode text NOT NULL,"
    "  sign_public_key bytea NOT NULL UNIQUE,"
    "  enrolled_at timestamptz NOT NULL DEFAULT now(),"
    "  revoked_at timestamptz,"
    "  FOREIGN KEY (team, site) REFERENCES sites);"
    "CREATE TABLE records (" /* immutable: nothing updates or deletes */
    "  cursor bigserial PRIMARY KEY,"
    "  record_id uuid NOT NULL UNIQUE,"
    "  team text NOT NULL REFERENCES teams,"
    "  device text NOT NULL REFERENCES devices,"
    "  kind text NOT NULL," /* ITSR record, ITSN worker note */
    "  seq bigint NOT NULL,"
    "  created_at bigint NOT NULL,"
    "  key_ids bytea NOT NULL,"
    "  size integer NOT NULL,"
    "  envelope bytea NOT NULL,"
    "  hash bytea NOT NULL," /* BLAKE2b-256 of envelope */
    "  received_at timestamptz NOT NULL DEFAULT now());"
    /* sealed bytes do not compress: store them out of line without trying */
    "ALTER TABLE records ALTER envelope SET STORAGE EXTERNAL;"
    "CREATE INDEX records_team_cursor ON records (team, cursor);"
    "CREATE INDEX records_device_seq ON records (device, seq);"
    "CREATE TABLE quarantine (" /* other bytes under a stored id */
    "  id bigserial PRIMARY KEY,"
    "  record_id uuid NOT NULL,"
    "  team text NOT NULL, device text NOT NULL,"
    "  envelope bytea NOT NULL, hash bytea NOT NULL,"
    "  received_at timestamptz NOT NULL DEFAULT now(),"
    "  UNIQUE (record_id, hash));"
    "CREATE TABLE audit_heads (" /* every audit chain head a device reported */
    "  device text NOT NULL REFERENCES devices,"
    "  seq bigint NOT NULL, hash bytea NOT NULL, signature bytea NOT NULL,"
    "  received_at timestamptz NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (device, seq, hash));"
    "CREATE TABLE server_log (" /* events a person must look at */
    "  id bigserial PRIMARY KEY,"
    "  at timestamptz NOT NULL DEFAULT now(),"
    "  event text NOT NULL, device text, detail text NOT NULL);"
    "DO $$ BEGIN"
    "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'itsearvio_app') THEN"
    "    CREATE ROLE itsearvio_app NOLOGIN;"
    "  END IF;"
    "END $$;"
    "GRANT itsearvio_app TO CURRENT_USER;"
    "GRANT SELECT, INSERT ON records, quarantine, audit_heads, server_log TO itsearvio_app;"
    "GRANT USAGE ON SEQUENCE records_cursor_seq, quarantine_id_seq, server_log_id_seq TO "
    "itsearvio_app;"
    "ALTER TABLE records ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE quarantine ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY team_only ON records"
    "  USING (team = current_setting('itsearvio.team', true))"
    "  WITH CHECK (team = current_setting('itsearvio.team', true));"
    "CREATE POLICY team_only ON quarantine"
    "  USING (team = current_setting('itsearvio.team', true))"
    "  WITH CHECK (team = current_setting('itsearvio.team', true));";

/* Version 2: team keys with epochs (protocol 9). Each epoch's public key and signed bundle; each
 * member's worker (box) key and the wraps of the epochs they may open; a removed member's row
 * stays with removed_at set, so its pulls get a plain refusal. A team registered before this
 * version gets its bundle as epoch 1 (its key is the founding worker's own: a team of one). */
static const char schema_v2[] =
    "ALTER TABLE team_members ADD COLUMN box_public_key bytea,"
    "  ADD COLUMN removed_at timestamptz;"
    "CREATE TABLE team_epochs ("
    "  team text NOT NULL REFERENCES teams,"
    "  epoch integer NOT NULL CHECK (epoch >= 1),"
    "  public_key bytea NOT NULL,"
    "  bundle jsonb NOT NULL," /* signed by the team's signer */
    "  added_at timestamptz NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (team, epoch));"
    "CREATE TABLE team_wraps (" /* an epoch's secret key sealed to one member's worker key */
    "  team text NOT NULL,"
    "  epoch integer NOT NULL,"
    "  sign_public_key bytea NOT NULL,"
    "  wrap bytea NOT NULL CHECK (length(wrap) = 80),"
    "  added_at timestamptz NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (team, epoch, sign_public_key),"
    "  FOREIGN KEY (team, epoch) REFERENCES team_epochs,"
    "  FOREIGN KEY (team, sign_public_key) REFERENCES team_members);"
    "INSERT INTO team_epochs (team, epoch, public_key, bundle)"
    "  SELECT team, (bundle->>'epoch')::integer, decode(bundle->>'worker_public_key', 'base64'),"
    "         bundle FROM teams;"
    /* the founder of such a team sealed to its own worker key: that is its box key */
    "UPDATE team_members m SET box_public_key = decode(t.bundle->>'worker_public_key', 'base64')"
    "  FROM teams t WHERE m.team = t.team AND m.sign_public_key = t.signer_public_key;";

static const char *const migrations[SERVER_SCHEMA_VERSION] = {schema_v1, schema_v2};

int srv_schema_newer(int version, its_err *err)
{
    return its_fail(err,
                    "The database schema is version %d, newer than this server knows (%d): run a "
                    "newer itsearvio server; nothing was changed.",
                    version, SERVER_SCHEMA_VERSION);
}

int srv_schema_version(PGconn *c, its_err *err)
{
    PGresult *r = srv_query(c, "SELECT to_regclass('schema_version') IS NOT NULL", 0, NULL, err);
    if (!r)
        return -1;
    bool exists = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!exists)
        return 0;
    r = srv_query(c, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, err);
    if (!r)
        return -1;
    long v = strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return (int)v;
}

/* Applies the step to version `to` if the database is still below it; *now gets the version. */
static int migrate_step(PGconn *c, int to, int *now, its_err *err)
{
    char v[16];
    snprintf(v, sizeof v, "%d", to);
    const char *p[1] = {v};
    if (srv_exec(c, "BEGIN", 0, NULL, err) != 0 ||
        srv_exec(c, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")", 0, NULL, err) != 0 ||
        srv_exec(c,
                 "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY,"
                 " applied_at timestamptz NOT NULL DEFAULT now())",
                 0, NULL, err) != 0 ||
        (*now = srv_schema_version(c, err)) < 0)
        goto fail;
    if (*now > SERVER_SCHEMA_VERSION) {
        srv_schema_newer(*now, err);
        goto fail;
    }
    if (*now < to) {
        /* PQexec: a migration is several statements and takes no parameters. */
        PGresult *r = PQexec(c, migrations[to - 1]);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok ||
            srv_exec(c, "INSERT INTO schema_version (version) VALUES ($1)", 1, p, err) != 0) {
            if (!ok)
                its_fail(err, "Migration to schema version %d failed: %s", to, PQerrorMessage(c));
            goto fail;
        }
        *now = to;
    }
    if (srv_exec(c, "COMMIT", 0, NULL, err) == 0)
        return 0;
fail:
    srv_rollback(c);
    return -1;
}

int server_migrate(const char *dsn, int *from, int *to, its_err *err)
{
    PGconn *c;
    if (srv_connect_raw(dsn, &c, err) != 0)
        return -1;
    /* Notices (IF NOT EXISTS, GRANT to oneself) are not for the administrator. */
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    int rc = (*from = srv_schema_version(c, err)) < 0 ? -1 : 0;
    *to = *from;
    for (int v = 1; rc == 0 && v <= SERVER_SCHEMA_VERSION; v++)
        rc = migrate_step(c, v, to, err);
    PQfinish(c);
    return rc;
}
