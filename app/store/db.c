/* db.c — the SQLite side: opening with the durability pragmas, the versioned schema and its
 * forward migrations, and plain sentences for SQLite failures.
 *
 * Invariants kept here (numbered as in docs/storage.md):
 *   I1. The database is opened only with journal_mode=WAL and synchronous=FULL, so a COMMIT
 *       has reached the disk (the WAL is fsynced) before sqlite3_step returns SQLITE_DONE.
 *   I5. user_version is the schema version. A database newer than STORE_SCHEMA_VERSION is never
 *       written to (not even the journal mode): it is refused before the first write.
 *   I6. Migrations run forward only, each one complete inside one IMMEDIATE transaction
 *       together with its user_version bump, so a crash leaves either the old or the new schema.
 *   I3. Rows of records and notes are never updated (triggers refuse it); the audit log is never
 *       updated or deleted; a pinned device key is never changed. */
#include "store_int.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* migrations[i] takes the schema from version i to i + 1. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: records, the draft slot, the audit log */
    "CREATE TABLE records("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  device TEXT NOT NULL,"
    "  key_ids TEXT NOT NULL,"
    "  envelope BLOB NOT NULL);"
    "CREATE INDEX records_created ON records(created_at);"
    "CREATE TRIGGER records_append_only BEFORE UPDATE ON records"
    "  BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;"
    "CREATE TABLE draft("
    "  slot INTEGER PRIMARY KEY CHECK (slot = 1),"
    "  saved_at INTEGER NOT NULL,"
    "  nonce BLOB NOT NULL,"
    "  box BLOB NOT NULL);"
    "CREATE TABLE audit("
    "  seq INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  event TEXT NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  prev BLOB NOT NULL,"
    "  hash BLOB NOT NULL);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    /* 1 -> 2: worker notes, and counters that must survive a restart (failed unlocks) */
    "CREATE TABLE notes("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  record_id TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  device TEXT NOT NULL,"
    "  key_ids TEXT NOT NULL,"
    "  envelope BLOB NOT NULL);"
    "CREATE INDEX notes_record ON notes(record_id);"
    "CREATE TRIGGER notes_append_only BEFORE UPDATE ON notes"
    "  BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;"
    "CREATE TABLE meta(name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);",
    /* 2 -> 3: signed envelopes (format 2): each record and note keeps its device's sequence
     * number (NULL for format 1 rows written before), and the pinned signing keys of devices.
     * The counters next_record_seq / next_note_seq live in meta, created on first use. */
    "ALTER TABLE records ADD COLUMN seq INTEGER;"
    "ALTER TABLE notes ADD COLUMN seq INTEGER;"
    "CREATE INDEX records_device_seq ON records(device, seq);"
    "CREATE INDEX notes_device_seq ON notes(device, seq);"
    "CREATE TABLE devices("
    "  device TEXT PRIMARY KEY NOT NULL,"
    "  sign_public_key BLOB NOT NULL,"
    "  source TEXT NOT NULL,"
    "  first_seen INTEGER NOT NULL);"
    "CREATE TRIGGER devices_no_update BEFORE UPDATE ON devices"
    "  BEGIN SELECT RAISE(ABORT, 'a pinned device key is never changed'); END;"
    /* the device's signature over each audit entry's head (NULL for entries written before) */
    "ALTER TABLE audit ADD COLUMN sig BLOB;",
    /* 3 -> 4: the fleet (docs/fleet-protocol.md section 8): the outbox of an enrolled device,
     * records waiting for the server's stored/duplicate (a worker station's pull cursor is the
     * meta counter pull_cursor). */
    "CREATE TABLE outbox("
    "  record_id TEXT PRIMARY KEY NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  added_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_status TEXT,"
    "  last_message TEXT);",
    /* 4 -> 5: the format 1 records and notes present when the folder got its device key, each
     * with the BLAKE2b-256 of its envelope; the list is vouched for by the signed audit entry
     * "legacy" (legacy.c). */
    "CREATE TABLE legacy("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  digest BLOB NOT NULL);",
    /* 5 -> 6: programme summaries and referral updates, sealed to the programme key only
     * (programme.c); record_id is the record they summarise; seq counts them apart (meta
     * next_programme_seq). */
    "CREATE TABLE programme("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  record_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  device TEXT NOT NULL,"
    "  key_ids TEXT NOT NULL,"
    "  seq INTEGER,"
    "  envelope BLOB NOT NULL);"
    "CREATE INDEX programme_record ON programme(record_id);"
    "CREATE TRIGGER programme_append_only BEFORE UPDATE ON programme"
    "  BEGIN SELECT RAISE(ABORT, 'programme summaries are append-only'); END;",
};

long long store_now(const store *s)
{
    return s && s->fixed_now ? s->fixed_now : (long long)time(NULL);
}

int store_db_fail(sqlite3 *db, int rc, its_err *err, const char *what)
{
    const char *why;
    its_code code = ITS_E_OTHER;
    switch (rc & 0xff) {
    case SQLITE_FULL:
        code = ITS_E_DISK_FULL;
        why = "the disk is full (or the database reached its size limit); free some space and try again";
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = ITS_E_BUSY;
        why = "the database is in use by another program; try again when it has finished";
        break;
    case SQLITE_READONLY:
        code = ITS_E_NOT_WRITABLE;
        why = "the database is read-only; check the file permissions and the disk";
        break;
    case SQLITE_CORRUPT:
        code = ITS_E_DAMAGED;
        why = "the database file is damaged; restore it from a backup";
        break;
    case SQLITE_NOTADB:
        code = ITS_E_DAMAGED;
        why = "the file is not an Itsearvio database (or it is badly damaged); restore it from a backup";
        break;
    case SQLITE_ERROR: /* "no such table: meta": a table or column was removed or renamed */
        code = ITS_E_DAMAGED;
        why = "the database is not an Itsearvio database, or its tables were changed or removed; "
              "restore it from a backup";
        break;
    case SQLITE_CONSTRAINT: /* the append-only triggers */
        code = ITS_E_DATABASE;
        why = "the database refused the change because stored records are protected";
        break;
    case SQLITE_PERM:
    case SQLITE_AUTH:
        code = ITS_E_NOT_WRITABLE;
        why = "the database file cannot be written: check its permissions";
        break;
    case SQLITE_TOOBIG:
        code = ITS_E_DATABASE;
        why = "the data is too large for the database";
        break;
    case SQLITE_IOERR:
        code = ITS_E_IO;
        why = "the disk could not be read or written";
        break;
    case SQLITE_CANTOPEN:
        code = ITS_E_NOT_WRITABLE;
        why = "the database file cannot be opened; check that the folder exists and can be written";
        break;
    case SQLITE_NOMEM:
        code = ITS_E_NO_MEMORY;
        why = "out of memory";
        break;
    default: /* never SQLite's own text: it names tables and quotes SQL */
        return its_fail_code(err, ITS_E_DATABASE,
                             "%s: the database reported an unexpected problem (SQLite code %d); if it "
                             "happens again, restore the database from a backup.", what, rc & 0xff);
    }
    (void)db;
    return its_fail_code(err, code, "%s: %s.", what, why);
}

int store_meta_get(store *s, const char *name, long long def, long long *v, its_err *err)
{
    const char *what = "The database could not be read";
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT value FROM meta WHERE name = ?", &st, what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : def;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(s->db, rc, err, what);
}

int store_meta_set(store *s, const char *name, long long v, const char *what, its_err *err)
{
    sqlite3_stmt *st;
    if (store_prepare(s, "INSERT OR REPLACE INTO meta(name, value) VALUES(?, ?)", &st, what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, v);
    return store_step_done(s, st, what, err);
}

int store_db_exec(sqlite3 *db, const char *sql, its_err *err, const char *what)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : store_db_fail(db, rc, err, what);
}

void store_db_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static int db_user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

int store_db_migrate(sqlite3 *db, int target, its_err *err)
{
    const char *what = "The database could not be upgraded";
    if (store_db_exec(db, "BEGIN IMMEDIATE", err, what) != 0)
        return -1;
    int v = 0, rc = db_user_version(db, &v);
    if (rc != SQLITE_OK) {
        store_db_rollback(db);
        return store_db_fail(db, rc, err, what);
    }
    for (; v < target; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (store_db_exec(db, migrations[v], err, what) != 0 || store_db_exec(db, bump, err, what) != 0) {
            store_db_rollback(db);
            return -1;
        }
    }
    if (store_db_exec(db, "COMMIT", err, what) != 0) {
        store_db_rollback(db);
        return -1;
    }
    return 0;
}

/* Schema 3 as first merged (envelope format 2 alone) had no audit.sig; a database made then gets
 * the column here, in one transaction, so both roads end at the same schema 3. */
static int db_audit_sig_column(sqlite3 *db, its_err *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('audit') WHERE name = 'sig'", -1, &st,
                                NULL);
    if (rc != SQLITE_OK)
        return store_db_fail(db, rc, err, "The database could not be upgraded");
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return store_db_fail(db, rc, err, "The database could not be upgraded");
    return store_db_exec(db, "ALTER TABLE audit ADD COLUMN sig BLOB", err,
                         "The database could not be upgraded");
}

int store_db_open(const char *path, bool create, sqlite3 **out, its_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return its_fail(err, "The database %s is missing: %s.", path,
                        errno == ENOENT ? "run `itsearvio init` to create a data folder" : strerror(errno));
    if (access(path, W_OK) != 0 && errno != ENOENT)
        return its_fail(err,
                        "The database %s is read-only; check the file permissions and the disk. "
                        "Nothing was changed.",
                        path);
    sqlite3 *db = NULL;
    char what[STORE_PATH_MAX + 64];
    snprintf(what, sizeof what, "The database %s cannot be used", path);
    /* FULLMUTEX: the worker's index threads share one connection, so they share one read
     * snapshot (store_read_begin). */
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        store_db_fail(db, rc, err, what);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, STORE_BUSY_MS_DEFAULT);
    int v = 0;
    if (sqlite3_db_readonly(db, "main") == 1)
        rc = SQLITE_READONLY;
    else
        rc = db_user_version(db, &v);
    if (rc != SQLITE_OK) {
        store_db_fail(db, rc, err, what);
        sqlite3_close(db);
        return -1;
    }
    if (v == 0 && !create) {
        /* Only init makes a new database: an empty one here was truncated or replaced. */
        sqlite3_close(db);
        return its_fail_code(err, ITS_E_DAMAGED,
                             "The database %s is empty: it was damaged or replaced. Restore it from a "
                             "backup; nothing was changed.", path);
    }
    if (v > STORE_SCHEMA_VERSION) {
        sqlite3_close(db);
        return its_fail(err, "The database %s was written by a newer version of Itsearvio (schema %d; "
                        "this program knows up to %d). Update the program; nothing was changed.",
                        path, v, STORE_SCHEMA_VERSION);
    }
    if (store_db_exec(db, "PRAGMA journal_mode=WAL", err, what) != 0 ||
        store_db_exec(db, "PRAGMA synchronous=FULL", err, what) != 0 ||
        store_db_exec(db, "PRAGMA secure_delete=ON", err, what) != 0 ||
        (v < STORE_SCHEMA_VERSION && store_db_migrate(db, STORE_SCHEMA_VERSION, err) != 0) ||
        db_audit_sig_column(db, err) != 0) {
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

int store_read_begin(store *s, its_err *err)
{
    /* BEGIN is deferred: the snapshot is taken by the first read, and kept until COMMIT. */
    return store_db_exec(s->db, "BEGIN", err, "The records could not be read");
}

void store_read_end(store *s)
{
    store_db_rollback(s->db); /* nothing was written: ending the read is all it does */
}
