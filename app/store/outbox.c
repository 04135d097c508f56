/* outbox.c — the store's side of the fleet (docs/fleet-protocol.md section 8): the enrolment
 * settings of a kiosk or tablet, its outbox of records waiting for the server, and on a worker
 * station the records pulled from the server with their cursor. (The signed audit head that
 * goes with each batch is audit.c's store_audit_head.)
 *
 * Invariants kept here (numbered as in docs/storage.md):
 *   I15. On an enrolled folder a record enters the outbox in the transaction that stores it
 *        (store.c insert_body calls store_outbox_add_in_tx), so no saved record is forgotten.
 *        A record leaves the outbox only in the transaction that records the server's
 *        `stored` or `duplicate` for it; a conflict or refusal stays, with the server's sentence.
 *   I16. A pulled page and the cursor after it are committed in one transaction: a cut pull
 *        resumes exactly where the last committed page ended. */
#include "store_int.h"
#include "fleet.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- enrolment settings (config.json "fleet") ------------------------------------------- */

int store_fleet_parse(store *s, json_t *cfg, const char *path, its_err *err)
{
    json_t *wsk = json_object_get(cfg, "worker_sign_public_key");
    if (wsk && store_b64_decode(json_string_value(wsk), s->worker_sign_pk, FLEET_PK_BYTES) != 0)
        return its_fail(err, "%s: worker_sign_public_key is not a valid public key.", path);
    s->has_worker_sign_pk = wsk != NULL;
    const char *wteam = json_string_value(json_object_get(cfg, "team"));
    if (wteam)
        its_strlcpy(s->worker_team, wteam, sizeof s->worker_team);
    json_t *f = json_object_get(cfg, "fleet");
    if (!f)
        return 0;
    const char *url = json_string_value(json_object_get(f, "server"));
    const char *ca = json_string_value(json_object_get(f, "ca_file"));
    const char *team = json_string_value(json_object_get(f, "team"));
    const char *site = json_string_value(json_object_get(f, "site"));
    json_t *keep = json_object_get(f, "keep_uploaded");
    if (!json_is_object(f) || !url || !ca || !team || !site || (keep && !json_is_boolean(keep)))
        return its_fail(err, "%s: fleet must name server, ca_file, team and site (keep_uploaded is true "
                             "or false).", path);
    store_fleet *d = &s->fleet;
    its_strlcpy(d->server, url, sizeof d->server);
    if (ca[0] == '/')
        its_strlcpy(d->ca_file, ca, sizeof d->ca_file);
    else
        store_path(d->ca_file, sizeof d->ca_file, s->dir, ca);
    its_strlcpy(d->team, team, sizeof d->team);
    its_strlcpy(d->site, site, sizeof d->site);
    d->keep_uploaded = !keep || json_is_true(keep);
    /* Enrolled before team epochs: no signer pinned, and the device keeps its enrolment's keys. */
    json_t *signer = json_object_get(f, "signer_public_key"), *epoch = json_object_get(f, "epoch");
    d->has_signer = signer != NULL;
    d->epoch = json_is_integer(epoch) ? json_integer_value(epoch) : 1;
    if ((signer && store_b64_decode(json_string_value(signer), d->signer_pk, 32) != 0) || d->epoch < 1)
        return its_fail(err, "%s: fleet signer_public_key or epoch is not valid.", path);
    s->enrolled = true;
    return 0;
}

const store_fleet *store_fleet_get(const store *s) { return s->enrolled ? &s->fleet : NULL; }

/* ---- the outbox --------------------------------------------------------------------------- */

int store_outbox_add_in_tx(store *s, const char *record_id, const char *what, its_err *err)
{
    return store_outbox_add_kind_in_tx(s, record_id, "record", what, err);
}

int store_outbox_add_kind_in_tx(store *s, const char *id, const char *kind, const char *what,
                                its_err *err)
{
    if (!s->enrolled)
        return 0;
    sqlite3_stmt *st;
    if (store_prepare(s, "INSERT INTO outbox(record_id, kind, added_at, attempts) VALUES(?, ?, ?, 0)", &st,
                      what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, store_now(s));
    return store_step_done(s, st, what, err);
}

static void fill_item(sqlite3_stmt *st, void *p)
{
    store_outbox_item *it = p;
    const char *id = (const char *)sqlite3_column_text(st, 0);
    its_strlcpy(it->id, id ? id : "", sizeof it->id);
    it->env = store_column_copy(st, 1, &it->len);
}

int store_outbox_take(store *s, int max, store_outbox_item **items, int *n, its_err *err)
{
    const char *what = "The outbox could not be read";
    sqlite3_stmt *st;
    /* Conflicts and refusals wait for a person: they are not sent again on their own. */
    if (store_prepare(s,
                      "SELECT o.record_id, coalesce(r.envelope, p.envelope) FROM outbox o "
                      "LEFT JOIN records r ON r.id = o.record_id "
                      "LEFT JOIN programme p ON p.id = o.record_id AND o.kind = 'programme' "
                      "WHERE (r.id IS NOT NULL OR p.id IS NOT NULL) AND "
                      "(o.last_status IS NULL OR o.last_status NOT IN ('conflict', 'refused')) "
                      "ORDER BY o.added_at, o.rowid LIMIT ?",
                      &st, what, err) != 0)
        return -1;
    sqlite3_bind_int(st, 1, max);
    void *v = NULL;
    if (store_collect(s, st, sizeof **items, fill_item, &v, n, what, err) != 0)
        return -1;
    *items = v;
    for (int i = 0; i < *n; i++)
        if (!(*items)[i].env) {
            store_outbox_items_free(*items, *n);
            return its_fail_code(err, ITS_E_NO_MEMORY, "%s: out of memory.", what);
        }
    return 0;
}

void store_outbox_items_free(store_outbox_item *items, int n)
{
    for (int i = 0; items && i < n; i++)
        free(items[i].env);
    free(items);
}

typedef struct settle_ctx {
    const store_outbox_result *r;
    int n;
    int removed;
} settle_ctx;

static int settle_one(store *s, const store_outbox_result *r, const char *what, its_err *err)
{
    sqlite3_stmt *st;
    bool done = !strcmp(r->status, "stored") || !strcmp(r->status, "duplicate");
    if (done) {
        if (store_prepare(s, "DELETE FROM outbox WHERE record_id = ?", &st, what, err) != 0)
            return -1;
        sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
        if (store_step_done(s, st, what, err) != 0)
            return -1;
        if (s->fleet.keep_uploaded)
            return 0;
        const char *row = "SELECT 'record', id, seq, device FROM records WHERE id = ?";
        if (store_prepare(s, row, &st, what, err) != 0)
            return -1;
        sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
        if (store_retire_log(s, st, what, err) != 0 ||
            store_prepare(s, "DELETE FROM records WHERE id = ?", &st, what, err) != 0)
            return -1;
        sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
        return store_step_done(s, st, what, err);
    }
    if (store_prepare(s,
                      "UPDATE outbox SET attempts = attempts + 1, last_status = ?, last_message = ? "
                      "WHERE record_id = ?",
                      &st, what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, r->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->message ? r->message : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->id, -1, SQLITE_STATIC);
    return store_step_done(s, st, what, err);
}

static int settle_body(store *s, void *p, const char *what, its_err *err)
{
    settle_ctx *c = p;
    for (int i = 0; i < c->n; i++) {
        if (settle_one(s, &c->r[i], what, err) != 0)
            return -1;
        /* a programme summary stays on the device: only deleted records count */
        c->removed += !s->fleet.keep_uploaded &&
                      (!strcmp(c->r[i].status, "stored") || !strcmp(c->r[i].status, "duplicate")) &&
                      sqlite3_changes(s->db) > 0;
    }
    if (!c->removed)
        return 0;
    char detail[128];
    snprintf(detail, sizeof detail, "uploaded: %d records deleted after the server stored them", c->removed);
    return store_audit_append(s, "delete", detail, err);
}

int store_outbox_settle(store *s, const store_outbox_result *r, int n, its_err *err)
{
    settle_ctx c = {r, n, 0};
    return store_tx(s, settle_body, &c, "The server's answer could not be recorded", err);
}

static int count_where(store *s, const char *sql, int *n, its_err *err)
{
    const char *what = "The outbox could not be read";
    sqlite3_stmt *st;
    if (store_prepare(s, sql, &st, what, err) != 0)
        return -1;
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : store_db_fail(s->db, rc, err, what);
}

int store_outbox_count(store *s, int *waiting, its_err *err)
{
    return count_where(s, "SELECT count(*) FROM outbox", waiting, err);
}

static void fill_entry(sqlite3_stmt *st, void *p)
{
    store_outbox_entry *e = p;
    const char *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = (const char *)sqlite3_column_text(st, i);
    its_strlcpy(e->id, t[0] ? t[0] : "", sizeof e->id);
    its_strlcpy(e->status, t[1] ? t[1] : "", sizeof e->status);
    its_strlcpy(e->message, t[2] ? t[2] : "", sizeof e->message);
    e->attempts = sqlite3_column_int(st, 3);
}

int store_outbox_problems(store *s, store_outbox_entry **out, int *n, its_err *err)
{
    const char *what = "The outbox could not be read";
    sqlite3_stmt *st;
    if (store_prepare(s,
                      "SELECT record_id, last_status, last_message, attempts FROM outbox "
                      "WHERE last_status IN ('conflict', 'refused') ORDER BY added_at, rowid",
                      &st, what, err) != 0)
        return -1;
    void *v = NULL;
    int rc = store_collect(s, st, sizeof **out, fill_entry, &v, n, what, err);
    *out = v;
    return rc;
}

/* ---- pulled records on a worker station --------------------------------------------------- */

int store_pull_cursor(store *s, long long *cursor, its_err *err)
{
    return store_meta_get(s, "pull_cursor", 0, cursor, err);
}

typedef struct pull_ctx {
    const fleet_pull_page *p;
    int added;
} pull_ctx;

/* Inserts one pulled envelope as a record row (a programme summary: a programme row), its
 * columns read from its own header (the same checks as a record sealed here: open_sealed and
 * the report compare them again). */
static int pull_insert(store *s, const fleet_pulled *r, const char *what, its_err *err)
{
    store_env_header h;
    its_err why;
    int rc = store_env_parse(r->env, r->len, &h, &why);
    bool summary = rc == 0 && !memcmp(h.magic, STORE_ENV_MAGIC_PROGRAMME, 4);
    if (rc != 0 || (memcmp(h.magic, STORE_ENV_MAGIC_RECORD, 4) && !summary) || strcmp(h.device, r->device))
        return its_fail(err, "%s: the server sent an envelope (cursor %lld) that is not a record of device "
                             "%s; nothing of this page was stored.", what, r->cursor, r->device);
    char id[37], key_ids[STORE_KEY_IDS_TEXT];
    store_uuid_format(h.uuid, id);
    store_key_ids_text(&h, key_ids);
    sqlite3_stmt *st;
    /* A pulled summary's record is not known here (its ref is a keyed hash): its own id stands in. */
    if (store_prepare(s,
                      summary ? "INSERT OR IGNORE INTO programme(id, created_at, device, key_ids, envelope, "
                                "seq, record_id, kind) VALUES(?, ?, ?, ?, ?, ?, ?1, 'summary')"
                              : "INSERT OR IGNORE INTO records(id, created_at, device, key_ids, envelope, "
                                "seq) VALUES(?, ?, ?, ?, ?, ?)",
                      &st, what, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, h.created_at);
    sqlite3_bind_text(st, 3, h.device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, key_ids, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 5, r->env, (int)r->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, h.seq);
    return store_step_done(s, st, what, err);
}

static int pull_body(store *s, void *p, const char *what, its_err *err)
{
    pull_ctx *c = p;
    for (int i = 0; i < c->p->n; i++) {
        if (pull_insert(s, &c->p->records[i], what, err) != 0)
            return -1;
        c->added += sqlite3_changes(s->db);
    }
    return store_meta_set(s, "pull_cursor", c->p->next, what, err);
}

int store_pull_commit(store *s, const fleet_pull_page *page, int *added, its_err *err)
{
    pull_ctx c = {page, 0};
    if (store_tx(s, pull_body, &c, "The pulled records were not stored", err) != 0)
        return -1;
    *added = c.added;
    /* The worker's list cache summarises records: a pulled page makes it stale. */
    return c.added ? store_cache_remove_all(s, err) : 0;
}
