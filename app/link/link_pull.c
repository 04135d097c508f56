/* link_pull.c — a worker station's pull of its team's sealed records (docs/fleet-protocol.md
 * section 6): signed requests page by page from the station's cursor, each page committed with
 * the cursor after it (store I11), then the team's device keys pinned for signature checks.
 * The station opens nothing here: records are opened later, as ever, with the worker key. */
#include "link.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PULL_PAGE FLEET_PULL_MAX /* records per request: ~3 MB of JSON for 2 KiB records */

/* GET /v1/devices: {"devices": [{"device", "sign_public_key"}, …]}, each entry checked; *list
 * gets the array (decref *doc). */
static int devices_fetch(link_conn *c, const char *team, json_t **doc, json_t **list, its_err *err)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/devices?team=%s", team);
    link_reply r = {0};
    *doc = *list = NULL;
    if (link_request(c, path, NULL, 0, &r, err) != 0)
        return -1;
    int rc = r.status == 200 ? 0 : link_reply_error(c, &r, "The device list of", err);
    *doc = rc == 0 ? json_loadb(r.body, r.len, 0, NULL) : NULL;
    *list = json_object_get(*doc, "devices");
    link_reply_free(&r);
    if (rc == 0 && !json_is_array(*list))
        rc = its_fail(err, "The server %s sent a device list that is not what the protocol says.",
                      link_conn_url(c));
    for (size_t i = 0; rc == 0 && i < json_array_size(*list); i++) {
        json_t *d = json_array_get(*list, i);
        unsigned char pk[FLEET_PK_BYTES];
        if (!fleet_name_ok(json_string_value(json_object_get(d, "device"))) ||
            fleet_b64_decode(json_string_value(json_object_get(d, "sign_public_key")), pk,
                             sizeof pk) != 0)
            rc = its_fail(err, "The server %s sent a device list entry without a device or key.",
                          link_conn_url(c));
    }
    return rc;
}

/* The signing key of device in a checked device list; false when it is not listed. */
static bool device_key(const json_t *list, const char *device, unsigned char pk[FLEET_PK_BYTES])
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *d = json_array_get(list, i);
        if (!strcmp(json_string_value(json_object_get(d, "device")), device))
            return fleet_b64_decode(json_string_value(json_object_get(d, "sign_public_key")), pk,
                                    FLEET_PK_BYTES) == 0;
    }
    return false;
}

/* Pins every device key of the team's device list. */
static int pull_devices(store *s, link_conn *c, const char *team, link_pull_counts *n, its_err *err)
{
    json_t *doc, *list;
    int rc = devices_fetch(c, team, &doc, &list, err);
    n->devices = 0;
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++) {
        json_t *d = json_array_get(list, i);
        unsigned char pk[FLEET_PK_BYTES];
        const char *dev = json_string_value(json_object_get(d, "device"));
        if (device_key(list, dev, pk) && (rc = store_device_pin(s, dev, pk, "server", err)) == 0)
            n->devices++;
    }
    json_decref(doc);
    return rc;
}

/* Fetches the page after `after` into p (free it with fleet_page_free, then r). */
static int page_fetch(store_key *key, link_conn *c, const char *team, long long after,
                      fleet_pull_page *p, link_reply *r, its_err *err)
{
    fleet_pull_req q;
    memset(&q, 0, sizeof q);
    memset(p, 0, sizeof *p);
    its_strlcpy(q.team, team, sizeof q.team);
    q.limit = PULL_PAGE;
    q.time = (long long)time(NULL);
    q.after = after;
    if (store_pull_sign(key, &q, err) != 0)
        return -1;
    char *body = fleet_pull_encode(&q);
    int rc = body ? link_request(c, "/v1/pull", body, strlen(body), r, err)
                  : its_fail_code(err, ITS_E_NO_MEMORY, "The pull request could not be made: out of memory.");
    free(body);
    if (rc == 0 && r->status != 200)
        rc = link_reply_error(c, r, "Pull from", err);
    if (rc == 0 && (rc = fleet_page_parse(r->body, r->len, p, err)) == 0 && p->n > 0 &&
        p->next <= after)
        rc = its_fail(
            err,
            "The server %s sent a page that does not move its cursor forward; nothing of it "
            "was stored.",
            link_conn_url(c));
    return rc;
}

/* Fetches and commits one page; 1 when the server said there is more. */
static int pull_page(store *s, store_key *key, link_conn *c, const char *team, link_pull_counts *n,
                     its_err *err)
{
    long long after = 0;
    if (store_pull_cursor(s, &after, err) != 0)
        return -1;
    fleet_pull_page p;
    link_reply r = {0};
    int added = 0;
    int rc = page_fetch(key, c, team, after, &p, &r, err);
    if (rc == 0 && (p.n > 0 || p.next > after))
        rc = store_pull_commit(s, &p, &added, err);
    n->records += added;
    n->cursor = rc == 0 && p.next > after ? p.next : after;
    bool more = rc == 0 && p.more && p.n > 0;
    fleet_page_free(&p);
    link_reply_free(&r);
    return rc != 0 ? -1 : more;
}

int link_pull_each(store_key *key, const char *server_url, const char *ca_file, const char *team,
                   link_record_fn each, void *ctx, its_err *err)
{
    link_conn *c = NULL;
    if (!fleet_name_ok(team))
        return its_fail(err, "A team name is 1 to %d letters, digits, '.', '_' or '-'.",
                        FLEET_NAME_MAX);
    if (link_conn_open(server_url, ca_file, &c, err) != 0)
        return -1;
    json_t *doc = NULL, *list = NULL;
    int rc = devices_fetch(c, team, &doc, &list, err);
    bool more = rc == 0;
    for (long long after = 0; rc == 0 && more;) {
        fleet_pull_page p;
        link_reply r = {0};
        rc = page_fetch(key, c, team, after, &p, &r, err);
        for (int i = 0; rc == 0 && i < p.n; i++) {
            unsigned char pk[FLEET_PK_BYTES];
            bool known = device_key(list, p.records[i].device, pk);
            rc = each(ctx, &p.records[i], known ? pk : NULL);
        }
        more = rc == 0 && p.more && p.n > 0;
        after = p.next;
        fleet_page_free(&p);
        link_reply_free(&r);
    }
    json_decref(doc);
    link_conn_close(c);
    return rc;
}

int link_pull(store *s, store_key *key, const char *server_url, const char *ca_file,
              const char *team, link_pull_counts *n, its_err *err)
{
    memset(n, 0, sizeof *n);
    if (!fleet_name_ok(team))
        return its_fail(err, "A team name is 1 to %d letters, digits, '.', '_' or '-'.",
                        FLEET_NAME_MAX);
    link_conn *c = NULL;
    if (link_conn_open(server_url, ca_file, &c, err) != 0)
        return -1;
    /* Device keys first, so every pulled record can be checked as soon as it is here; and
     * again after the pages, for a device enrolled during the pull. */
    int rc = link_team_keys_pull(s, key, c, team, &n->epochs, err);
    if (rc == 0)
        rc = pull_devices(s, c, team, n, err);
    int more = rc == 0;
    while (more == 1)
        more = pull_page(s, key, c, team, n, err);
    rc = more < 0 ? -1 : rc;
    if (rc == 0)
        rc = pull_devices(s, c, team, n, err);
    link_conn_close(c);
    return rc;
}
