/* wire.c — the JSON bodies of upload and pull (docs/fleet-protocol.md 5 and 6), both ways.
 *
 * Parsing is strict and total: any shape other than the protocol's is refused with one sentence
 * and nothing stays allocated. Envelopes are carried as base64 and decoded to their bytes here;
 * what is inside an envelope is app/store's business (envelope.h). */
#include "fleet.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define B64 sodium_base64_VARIANT_ORIGINAL

bool fleet_name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > FLEET_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

bool fleet_uuid_ok(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        bool hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
        if (dash ? s[i] != '-' : !hex)
            return false;
    }
    return true;
}

int fleet_b64_decode(const char *b64, unsigned char *out, size_t n)
{
    size_t got = 0;
    if (!b64 || sodium_base642bin(out, n, b64, strlen(b64), NULL, &got, NULL, B64) != 0 || got != n)
        return -1;
    return 0;
}

void fleet_b64_encode(const unsigned char *in, size_t n, char *out, size_t out_len)
{
    sodium_bin2base64(out, out_len, in, n, B64);
}

/* Decodes a base64 string of any length up to max into a malloc'd buffer. */
static int b64_decode_alloc(const char *b64, size_t max, unsigned char **out, size_t *len)
{
    size_t slen = strlen(b64);
    size_t cap = slen / 4 * 3 + 3;
    if (slen == 0 || cap > max + 3)
        return -1;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return -1;
    if (sodium_base642bin(buf, cap, b64, slen, NULL, len, NULL, B64) != 0 || *len == 0 ||
        *len > max) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

/* Sets a base64 member from bytes. */
static int set_b64(json_t *o, const char *name, const unsigned char *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, B64);
    char *s = malloc(cap);
    if (!s)
        return -1;
    fleet_b64_encode(p, n, s, cap);
    int rc = json_object_set_new(o, name, json_string(s));
    free(s);
    return rc;
}

/* A string member, or NULL when absent or not a string. */
static const char *get_str(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

/* An integer member in [lo, hi]; false when absent, not an integer or outside. */
static bool get_int(const json_t *o, const char *name, long long lo, long long hi, long long *v)
{
    const json_t *j = json_object_get(o, name);
    if (!json_is_integer(j))
        return false;
    *v = json_integer_value(j);
    return *v >= lo && *v <= hi;
}

static json_t *load_object(const char *body, size_t len, const char *what, its_err *err)
{
    json_error_t je;
    json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(o)) {
        /* The position only: jansson's text may quote the body, and bodies never reach a log. */
        if (o)
            its_fail(err, "The %s is not a JSON object.", what);
        else
            its_fail(err, "The %s is not a JSON object (invalid JSON at byte %d).", what, je.position);
        json_decref(o);
        return NULL;
    }
    return o;
}

static char *dump(json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

/* ---- upload batch ---------------------------------------------------------------------- */

void fleet_batch_free(fleet_batch *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        free(b->records[i].env);
    free(b->records);
    b->records = NULL;
    b->n = 0;
}

static int parse_head(const json_t *j, fleet_audit_head *h, its_err *err)
{
    if (!j || json_is_null(j))
        return 0;
    if (!json_is_object(j) || !get_int(j, "seq", 0, (1LL << 53), &h->seq) ||
        fleet_b64_decode(get_str(j, "hash"), h->hash, sizeof h->hash) != 0 ||
        fleet_b64_decode(get_str(j, "signature"), h->sig, sizeof h->sig) != 0)
        return its_fail(err, "The batch's audit_head needs seq, a 32-byte hash and a signature.");
    h->present = true;
    return 0;
}

static int parse_record(const json_t *j, int i, fleet_batch *b, its_err *err)
{
    const char *id = get_str(j, "id"), *env = get_str(j, "envelope");
    if (!json_is_object(j) || !fleet_uuid_ok(id))
        return its_fail(err, "Record %d of the batch has no valid id (a lower-case UUID).", i + 1);
    for (int k = 0; k < i; k++)
        if (!strcmp(b->records[k].id, id))
            return its_fail(err, "Record %s is twice in the batch.", id);
    fleet_record *r = &b->records[i];
    memcpy(r->id, id, 37);
    if (!env || b64_decode_alloc(env, FLEET_ENVELOPE_MAX, &r->env, &r->len) != 0)
        return its_fail(err, "Record %s has no envelope in base64 of at most %u bytes.", id,
                        FLEET_ENVELOPE_MAX);
    return 0;
}

int fleet_batch_parse(const char *body, size_t len, fleet_batch *b, its_err *err)
{
    memset(b, 0, sizeof *b);
    json_t *o = load_object(body, len, "upload batch", err);
    if (!o)
        return -1;
    const char *device = get_str(o, "device");
    const json_t *recs = json_object_get(o, "records");
    int rc = -1;
    if (!fleet_name_ok(device))
        its_fail(err, "The batch names no valid device (1 to %d of A-Z a-z 0-9 . _ -).",
                 FLEET_NAME_MAX);
    else if (!json_is_array(recs) || json_array_size(recs) < 1 ||
             json_array_size(recs) > FLEET_BATCH_MAX)
        its_fail(err, "A batch holds 1 to %d records.", FLEET_BATCH_MAX);
    else if ((b->records = calloc(json_array_size(recs), sizeof *b->records)) == NULL)
        its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory reading the batch.");
    else {
        its_strlcpy(b->device, device, sizeof b->device);
        rc = parse_head(json_object_get(o, "audit_head"), &b->head, err);
        for (size_t i = 0; rc == 0 && i < json_array_size(recs); i++) {
            b->n = (int)i + 1; /* so free releases what this record allocated */
            rc = parse_record(json_array_get(recs, i), (int)i, b, err);
        }
    }
    json_decref(o);
    if (rc != 0)
        fleet_batch_free(b);
    return rc;
}

char *fleet_batch_encode(const fleet_batch *b)
{
    json_t *o = json_object(), *recs = json_array();
    if (!o || !recs || json_object_set_new(o, "device", json_string(b->device)) != 0 ||
        json_object_set_new(o, "records", recs) != 0) {
        json_decref(o);
        return NULL;
    }
    for (int i = 0; i < b->n; i++) {
        json_t *r = json_object();
        if (!r || json_array_append_new(recs, r) != 0 ||
            json_object_set_new(r, "id", json_string(b->records[i].id)) != 0 ||
            set_b64(r, "envelope", b->records[i].env, b->records[i].len) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    if (b->head.present) {
        json_t *h = json_object();
        json_object_set_new(o, "audit_head", h);
        json_object_set_new(h, "seq", json_integer(b->head.seq));
        set_b64(h, "hash", b->head.hash, sizeof b->head.hash);
        set_b64(h, "signature", b->head.sig, sizeof b->head.sig);
    }
    return dump(o);
}

/* ---- upload answer --------------------------------------------------------------------- */

static const char *const status_names[] = {"stored", "duplicate", "conflict", "refused"};

const char *fleet_status_name(fleet_status s)
{
    return (unsigned)s < 4 ? status_names[s] : "refused";
}

char *fleet_answer_encode(const fleet_answer *a)
{
    json_t *o = json_object(), *res = json_array();
    json_object_set_new(o, "results", res);
    for (int i = 0; i < a->n; i++) {
        const fleet_result *r = &a->results[i];
        json_t *j = json_object();
        json_array_append_new(res, j);
        json_object_set_new(j, "id", json_string(r->id));
        json_object_set_new(j, "status", json_string(fleet_status_name(r->status)));
        if (r->message[0])
            json_object_set_new(j, "message", json_string(r->message));
    }
    if (a->audit[0])
        json_object_set_new(o, "audit", json_string(a->audit));
    return dump(o);
}

void fleet_answer_free(fleet_answer *a)
{
    if (!a)
        return;
    free(a->results);
    a->results = NULL;
    a->n = 0;
}

static int parse_result(const json_t *j, fleet_result *r, its_err *err)
{
    const char *id = get_str(j, "id"), *st = get_str(j, "status"), *msg = get_str(j, "message");
    if (!fleet_uuid_ok(id) || !st)
        return its_fail(err, "The server's answer holds a result without id or status.");
    memcpy(r->id, id, 37);
    int k = 0;
    while (k < 4 && strcmp(st, status_names[k]))
        k++;
    if (k == 4)
        return its_fail(err, "The server's answer holds an unknown status.");
    r->status = (fleet_status)k;
    its_strlcpy(r->message, msg ? msg : "", sizeof r->message);
    return 0;
}

int fleet_answer_parse(const char *body, size_t len, fleet_answer *a, its_err *err)
{
    memset(a, 0, sizeof *a);
    json_t *o = load_object(body, len, "server's answer", err);
    if (!o)
        return -1;
    const json_t *res = json_object_get(o, "results");
    const char *audit = get_str(o, "audit");
    int rc = -1;
    if (!json_is_array(res) || json_array_size(res) > FLEET_BATCH_MAX)
        its_fail(err, "The server's answer has no list of results.");
    else if (json_array_size(res) &&
             !(a->results = calloc(json_array_size(res), sizeof *a->results)))
        its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory reading the server's answer.");
    else {
        rc = 0;
        a->n = (int)json_array_size(res);
        for (int i = 0; rc == 0 && i < a->n; i++)
            rc = parse_result(json_array_get(res, (size_t)i), &a->results[i], err);
        its_strlcpy(a->audit, audit ? audit : "", sizeof a->audit);
    }
    json_decref(o);
    if (rc != 0)
        fleet_answer_free(a);
    return rc;
}

char *fleet_error_encode(const char *sentence)
{
    json_t *o = json_object();
    json_object_set_new(o, "error", json_string(sentence));
    return dump(o);
}

bool fleet_error_parse(const char *body, size_t len, char *out, size_t out_len)
{
    json_t *o = json_loadb(body, len, 0, NULL);
    const char *s = get_str(o, "error");
    if (s)
        its_strlcpy(out, s, out_len);
    json_decref(o);
    return s != NULL;
}

/* ---- enrolment ------------------------------------------------------------------------- */

char *fleet_enroll_encode(const fleet_enroll_req *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "token", json_string(r->token));
    json_object_set_new(o, "mode", json_string(r->mode));
    set_b64(o, "device_sign_public_key", r->device_pk, sizeof r->device_pk);
    if (r->device[0])
        json_object_set_new(o, "requested_device_id", json_string(r->device));
    return dump(o);
}

int fleet_enroll_parse(const char *body, size_t len, fleet_enroll_req *r, its_err *err)
{
    memset(r, 0, sizeof *r);
    json_t *o = load_object(body, len, "enrolment request", err);
    if (!o)
        return -1;
    const char *token = get_str(o, "token"), *mode = get_str(o, "mode");
    const char *device = get_str(o, "requested_device_id");
    int rc = 0;
    if (!token || strlen(token) != FLEET_TOKEN_LEN || !mode ||
        (strcmp(mode, "kiosk") && strcmp(mode, "tablet")) ||
        fleet_b64_decode(get_str(o, "device_sign_public_key"), r->device_pk, sizeof r->device_pk) !=
            0 ||
        (device && !fleet_name_ok(device)))
        rc = its_fail(
            err, "An enrolment request needs token, mode (kiosk or tablet), device_sign_public_key "
                 "and may name a requested_device_id.");
    else {
        its_strlcpy(r->token, token, sizeof r->token);
        its_strlcpy(r->mode, mode, sizeof r->mode);
        its_strlcpy(r->device, device ? device : "", sizeof r->device);
    }
    json_decref(o);
    return rc;
}

char *fleet_enrolled_encode(const fleet_enrolled *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "device_id", json_string(e->device));
    json_object_set_new(o, "team", json_string(e->team));
    json_object_set_new(o, "site", json_string(e->site));
    json_object_set_new(o, "bundle", fleet_bundle_to_json(&e->bundle));
    return dump(o);
}

int fleet_enrolled_parse(const char *body, size_t len, fleet_enrolled *e, its_err *err)
{
    memset(e, 0, sizeof *e);
    json_t *o = load_object(body, len, "server's enrolment answer", err);
    if (!o)
        return -1;
    const char *dev = get_str(o, "device_id"), *team = get_str(o, "team"),
               *site = get_str(o, "site");
    int rc = 0;
    if (!fleet_name_ok(dev) || !fleet_name_ok(team) || !fleet_name_ok(site))
        rc = its_fail(err, "The server's enrolment answer needs device_id, team, site and bundle.");
    else if ((rc = fleet_bundle_from_json(json_object_get(o, "bundle"), &e->bundle, err)) == 0) {
        its_strlcpy(e->device, dev, sizeof e->device);
        its_strlcpy(e->team, team, sizeof e->team);
        its_strlcpy(e->site, site, sizeof e->site);
    }
    json_decref(o);
    return rc;
}

/* ---- pull ------------------------------------------------------------------------------ */

char *fleet_pull_encode(const fleet_pull_req *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "team", json_string(r->team));
    set_b64(o, "worker_sign_public_key", r->worker_pk, sizeof r->worker_pk);
    json_object_set_new(o, "after", json_integer(r->after));
    json_object_set_new(o, "limit", json_integer(r->limit));
    json_object_set_new(o, "time", json_integer(r->time));
    set_b64(o, "signature", r->sig, sizeof r->sig);
    return dump(o);
}

int fleet_pull_parse(const char *body, size_t len, fleet_pull_req *r, its_err *err)
{
    memset(r, 0, sizeof *r);
    json_t *o = load_object(body, len, "pull request", err);
    if (!o)
        return -1;
    long long limit = 0;
    const char *team = get_str(o, "team");
    int rc = 0;
    if (!fleet_name_ok(team) || !get_int(o, "after", 0, 1LL << 62, &r->after) ||
        !get_int(o, "limit", 1, FLEET_PULL_MAX, &limit) ||
        !get_int(o, "time", 0, 1LL << 40, &r->time) ||
        fleet_b64_decode(get_str(o, "worker_sign_public_key"), r->worker_pk, sizeof r->worker_pk) !=
            0 ||
        fleet_b64_decode(get_str(o, "signature"), r->sig, sizeof r->sig) != 0)
        rc = its_fail(err,
                      "A pull request needs team, worker_sign_public_key, after, limit (1 to %d), "
                      "time and signature.",
                      FLEET_PULL_MAX);
    else {
        its_strlcpy(r->team, team, sizeof r->team);
        r->limit = (int)limit;
    }
    json_decref(o);
    return rc;
}

void fleet_page_free(fleet_pull_page *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        free(p->records[i].env);
    free(p->records);
    p->records = NULL;
    p->n = 0;
}

char *fleet_page_encode(const fleet_pull_page *p)
{
    json_t *o = json_object(), *recs = json_array();
    json_object_set_new(o, "records", recs);
    for (int i = 0; i < p->n; i++) {
        json_t *j = json_object();
        json_array_append_new(recs, j);
        json_object_set_new(j, "cursor", json_integer(p->records[i].cursor));
        json_object_set_new(j, "device", json_string(p->records[i].device));
        if (set_b64(j, "envelope", p->records[i].env, p->records[i].len) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    json_object_set_new(o, "next", json_integer(p->next));
    json_object_set_new(o, "more", json_boolean(p->more));
    return dump(o);
}

static int parse_pulled(const json_t *j, fleet_pulled *r, its_err *err)
{
    const char *dev = get_str(j, "device"), *env = get_str(j, "envelope");
    if (!get_int(j, "cursor", 1, 1LL << 62, &r->cursor) || !fleet_name_ok(dev) || !env ||
        b64_decode_alloc(env, FLEET_ENVELOPE_MAX, &r->env, &r->len) != 0)
        return its_fail(
            err, "The server's pull page holds a record without cursor, device or envelope.");
    its_strlcpy(r->device, dev, sizeof r->device);
    return 0;
}

int fleet_page_parse(const char *body, size_t len, fleet_pull_page *p, its_err *err)
{
    memset(p, 0, sizeof *p);
    json_t *o = load_object(body, len, "server's pull page", err);
    if (!o)
        return -1;
    const json_t *recs = json_object_get(o, "records");
    int rc = -1;
    if (!json_is_array(recs) || json_array_size(recs) > FLEET_PULL_MAX ||
        !get_int(o, "next", 0, 1LL << 62, &p->next) || !json_is_boolean(json_object_get(o, "more")))
        its_fail(err, "The server's pull page needs records, next and more.");
    else if (json_array_size(recs) &&
             !(p->records = calloc(json_array_size(recs), sizeof *p->records)))
        its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory reading the server's pull page.");
    else {
        rc = 0;
        p->more = json_is_true(json_object_get(o, "more"));
        for (size_t i = 0; rc == 0 && i < json_array_size(recs); i++) {
            p->n = (int)i + 1;
            rc = parse_pulled(json_array_get(recs, i), &p->records[i], err);
        }
    }
    json_decref(o);
    if (rc != 0)
        fleet_page_free(p);
    return rc;
}

/* ---- team requests (protocol 9) ------------------------------------------------------------ */

void fleet_team_free(fleet_team_req *r)
{
    if (r) {
        free(r->payload);
        r->payload = NULL;
    }
}

char *fleet_team_encode(const fleet_team_req *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "team", json_string(r->team));
    json_object_set_new(o, "action", json_string(r->action));
    set_b64(o, "worker_sign_public_key", r->by_pk, sizeof r->by_pk);
    json_object_set_new(o, "time", json_integer(r->time));
    json_object_set_new(o, "payload", json_string(r->payload ? r->payload : "{}"));
    set_b64(o, "signature", r->sig, sizeof r->sig);
    return dump(o);
}

int fleet_team_parse(const char *body, size_t len, fleet_team_req *r, its_err *err)
{
    memset(r, 0, sizeof *r);
    json_t *o = load_object(body, len, "team request", err);
    if (!o)
        return -1;
    const char *team = get_str(o, "team"), *action = get_str(o, "action");
    const char *payload = get_str(o, "payload");
    int rc = 0;
    if (!fleet_name_ok(team) || !action || strlen(action) >= sizeof r->action || !payload ||
        !get_int(o, "time", 0, 1LL << 40, &r->time) ||
        fleet_b64_decode(get_str(o, "worker_sign_public_key"), r->by_pk, sizeof r->by_pk) != 0 ||
        fleet_b64_decode(get_str(o, "signature"), r->sig, sizeof r->sig) != 0)
        rc = its_fail(err, "A team request needs team, action, worker_sign_public_key, time, payload "
                           "and signature.");
    else {
        its_strlcpy(r->team, team, sizeof r->team);
        its_strlcpy(r->action, action, sizeof r->action);
        r->payload = its_strdup(payload);
        if (!r->payload)
            rc = its_fail_code(err, ITS_E_NO_MEMORY, "The server ran out of memory reading a team request.");
    }
    json_decref(o);
    return rc;
}
