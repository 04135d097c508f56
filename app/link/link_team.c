/* link_team.c — a worker station's team requests (docs/fleet-protocol.md section 9): fetching
 * its wraps of the team's epoch keys (at every pull), adding a member (wrapping every epoch to
 * the newcomer) and removing one (the team's signer starts the next epoch, wrapped to everyone
 * who stays); and a device following the team's newest signed bundle before an upload.
 *
 * What is checked here, on top of the server's checks: every epoch's bundle verifies, all are
 * signed by one signer, and each wrap opens with this worker's key to the secret of its
 * bundle's public key (store_team_keys_accept); otherwise nothing is stored. */
#include "link.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Signs and sends one team request; *answer gets the parsed JSON of a 200 answer. */
static int team_post(link_conn *c, const store_key *key, const char *team, const char *action,
                     json_t *payload, json_t **answer, its_err *err)
{
    fleet_team_req q;
    memset(&q, 0, sizeof q);
    its_strlcpy(q.team, team, sizeof q.team);
    its_strlcpy(q.action, action, sizeof q.action);
    q.time = (long long)time(NULL);
    q.payload = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    unsigned char *sk = sodium_malloc(FLEET_SK_BYTES);
    unsigned char pk[FLEET_PK_BYTES];
    int rc = q.payload && sk ? store_worker_sign_keypair(key, pk, sk, err)
                             : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    if (rc == 0)
        fleet_team_sign(&q, sk);
    sodium_free(sk);
    char *body = rc == 0 ? fleet_team_encode(&q) : NULL;
    fleet_team_free(&q);
    link_reply r = {0};
    if (rc == 0)
        rc = body ? link_request(c, "/v1/team", body, strlen(body), &r, err)
                  : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    free(body);
    if (rc == 0 && r.status != 200)
        rc = link_reply_error(c, &r, "The team request to", err);
    *answer = rc == 0 ? json_loadb(r.body, r.len, 0, NULL) : NULL;
    if (rc == 0 && !json_is_object(*answer))
        rc = its_fail(err, "The server %s answered a team request with something that is not JSON.",
                      link_conn_url(c));
    link_reply_free(&r);
    return rc;
}

/* One epoch of the wraps answer: its bundle checked (signature, epoch, the team's one signer). */
static int epoch_read(const json_t *o, unsigned char signer[32], bool *first, store_team_epoch *e,
                      bool *has_wrap, its_err *err)
{
    fleet_bundle b;
    json_int_t epoch = json_integer_value(json_object_get(o, "epoch"));
    if (fleet_bundle_from_json(json_object_get(o, "bundle"), &b, err) != 0)
        return -1;
    if (b.epoch != epoch || epoch < 1)
        return its_fail(
            err,
            "The server sent the bundle of epoch %lld as epoch %lld (an unknown epoch); "
            "nothing was stored.",
            b.epoch, (long long)epoch);
    if (!*first && memcmp(signer, b.signer_pk, 32) != 0)
        return its_fail(
            err,
            "The server sent a bundle of epoch %lld signed by another key than the team's "
            "signer: it is forged; nothing was stored.",
            b.epoch);
    memcpy(signer, b.signer_pk, 32);
    *first = false;
    e->epoch = epoch;
    memcpy(e->pk, b.worker_pk, 32);
    const json_t *w = json_object_get(o, "wrap");
    *has_wrap = !json_is_null(w);
    if (*has_wrap && fleet_b64_decode(json_string_value(w), e->wrap, STORE_WRAP_BYTES) != 0)
        return its_fail(
            err, "The server sent a wrap of epoch %lld that is not 80 bytes; nothing was stored.",
            b.epoch);
    return 0;
}

int link_team_state_get(link_conn *c, const store_key *key, const char *team, link_team_state *t,
                        its_err *err)
{
    memset(t, 0, sizeof *t);
    json_t *a = NULL;
    if (team_post(c, key, team, "wraps", json_object(), &a, err) != 0)
        return -1;
    const json_t *epochs = json_object_get(a, "epochs"), *members = json_object_get(a, "members");
    int rc =
        json_array_size(epochs) <= STORE_TEAM_EPOCHS_MAX &&
                json_array_size(members) <= FLEET_MEMBERS_MAX
            ? 0
            : its_fail(
                  err,
                  "The server sent more epochs or members than a team has; nothing was stored.");
    bool first = true;
    for (size_t i = 0; rc == 0 && i < json_array_size(epochs); i++) {
        store_team_epoch e;
        bool has_wrap = false;
        rc = epoch_read(json_array_get(epochs, i), t->signer_pk, &first, &e, &has_wrap, err);
        if (rc == 0 && e.epoch > t->newest)
            t->newest = e.epoch;
        if (rc == 0 && has_wrap)
            t->mine[t->n_mine++] = e;
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(members); i++) {
        const json_t *m = json_array_get(members, i);
        const char *box = json_string_value(json_object_get(m, "box_public_key"));
        if (fleet_b64_decode(json_string_value(json_object_get(m, "sign_public_key")),
                             t->sign_pk[i], 32) ||
            (box && fleet_b64_decode(box, t->box_pk[i], 32)))
            rc = its_fail(err, "The server sent a team member without a signing key; nothing was "
                               "changed.");
        t->has_box[i] = box != NULL; /* none: registered before team keys */
        t->n_members = (int)i + 1;
    }
    json_decref(a);
    return rc;
}

int link_team_keys_pull(store *s, store_key *key, link_conn *c, const char *team, int *epochs,
                        its_err *err)
{
    link_team_state *t = calloc(1, sizeof *t);
    if (!t)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    int rc = link_team_state_get(c, key, team, t, err);
    /* A team of one from before team keys has no wraps: its records open with the worker's key. */
    if (rc == 0 && t->n_mine > 0)
        rc = store_team_keys_accept(s, key, t->mine, t->n_mine, err);
    *epochs = rc == 0 ? t->n_mine : 0;
    free(t);
    return rc;
}

int link_team_add_member(link_conn *c, store_key *key, const char *team,
                         const unsigned char sign_pk[32], const unsigned char box_pk[32],
                         int *epochs, its_err *err)
{
    store_team_epoch e[STORE_TEAM_EPOCHS_MAX];
    int n = 0;
    if (store_team_wrap_for(key, box_pk, e, &n, err) != 0)
        return -1;
    char b64[64], wrap[128];
    json_t *wraps = json_array();
    for (int i = 0; i < n; i++) {
        fleet_b64_encode(e[i].wrap, STORE_WRAP_BYTES, wrap, sizeof wrap);
        json_array_append_new(
            wraps, json_pack("{s:I, s:s}", "epoch", (json_int_t)e[i].epoch, "wrap", wrap));
    }
    json_t *member = json_object();
    fleet_b64_encode(sign_pk, 32, b64, sizeof b64);
    json_object_set_new(member, "sign_public_key", json_string(b64));
    fleet_b64_encode(box_pk, 32, b64, sizeof b64);
    json_object_set_new(member, "box_public_key", json_string(b64));
    json_t *a = NULL;
    int rc = team_post(c, key, team, "add-member",
                       json_pack("{s:o, s:o}", "member", member, "wraps", wraps), &a, err);
    json_decref(a);
    *epochs = n;
    return rc;
}

/* The index of the member whose fingerprint is fp, or -1. */
static int member_find(const link_team_state *t, const char *fp)
{
    for (int i = 0; i < t->n_members; i++) {
        char got[FLEET_FINGERPRINT_LEN + 1];
        fleet_member_fingerprint(t->sign_pk[i], t->box_pk[i], got);
        if (!strcmp(got, fp))
            return i;
    }
    return -1;
}

/* The remove-member payload: the leaver, the signed bundle of the new epoch and its wraps. */
static json_t *remove_payload(const link_team_state *t, int leaver, const fleet_bundle *b,
                              unsigned char (*wraps)[STORE_WRAP_BYTES], const int *to)
{
    char b64[64], wrap[128];
    json_t *list = json_array();
    for (int i = 0; i < t->n_members - 1; i++) {
        fleet_b64_encode(t->sign_pk[to[i]], 32, b64, sizeof b64);
        fleet_b64_encode(wraps[i], STORE_WRAP_BYTES, wrap, sizeof wrap);
        json_array_append_new(list, json_pack("{s:s, s:s}", "sign_public_key", b64, "wrap", wrap));
    }
    fleet_b64_encode(t->sign_pk[leaver], 32, b64, sizeof b64);
    return json_pack("{s:s, s:o, s:o}", "member", b64, "bundle", fleet_bundle_to_json(b), "wraps",
                     list);
}

int link_team_remove_member(store *s, link_conn *c, store_key *key, const char *team,
                            const char *fingerprint, link_team_state *t, long long *epoch,
                            its_err *err)
{
    if (link_team_state_get(c, key, team, t, err) != 0)
        return -1;
    int leaver = member_find(t, fingerprint);
    if (leaver < 0)
        return its_fail(err,
                        "No current member of team %s has the fingerprint %s; nothing was changed.",
                        team, fingerprint);
    unsigned char(*box)[32] = calloc((size_t)t->n_members, 32);
    unsigned char(*wraps)[STORE_WRAP_BYTES] = calloc((size_t)t->n_members, STORE_WRAP_BYTES);
    int *to = calloc((size_t)t->n_members, sizeof *to);
    int rc = box && wraps && to ? 0 : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    int n = 0;
    for (int i = 0; rc == 0 && i < t->n_members; i++)
        if (i != leaver && !t->has_box[i])
            rc = its_fail(err,
                          "A member of team %s was registered before team keys (no worker key "
                          "on the server), so a new epoch cannot be wrapped to it; nothing "
                          "was changed.",
                          team);
        else if (i != leaver) {
            memcpy(box[n], t->box_pk[i], 32);
            to[n++] = i;
        }
    fleet_bundle b;
    *epoch = t->newest + 1;
    if (rc == 0)
        rc = store_team_epoch_new(s, key, *epoch, (const unsigned char(*)[32])box, n, wraps, &b,
                                  err);
    json_t *a = NULL;
    if (rc == 0)
        rc = team_post(c, key, team, "remove-member", remove_payload(t, leaver, &b, wraps, to), &a,
                       err);
    json_decref(a);
    free(box);
    free(wraps);
    free(to);
    return rc;
}

/* ---- a device follows the team's epochs
 * ---------------------------------------------------------- */

int link_bundle_follow(store *s, link_conn *c, long long *epoch, its_err *err)
{
    const store_fleet *f = store_fleet_get(s);
    *epoch = f ? f->epoch : 0;
    if (!f || !f->has_signer)
        return 0; /* enrolled before team epochs: keeps its enrolment's keys (protocol 9) */
    char path[128];
    snprintf(path, sizeof path, "/v1/bundle?team=%s", f->team);
    link_reply r = {0};
    if (link_request(c, path, NULL, 0, &r, err) != 0)
        return -1;
    int rc = r.status == 200 ? 0 : link_reply_error(c, &r, "The team's keys bundle from", err);
    fleet_bundle b;
    its_err why;
    if (rc == 0 && fleet_bundle_parse(r.body, r.len, &b, &why) != 0)
        rc = its_fail(
            err,
            "The team's keys bundle from %s does not verify (it was changed after the team's "
            "signer signed it): it is forged; nothing was changed.",
            link_conn_url(c));
    if (rc == 0 && store_fleet_bundle_apply(s, &b, err) < 0)
        rc = -1;
    *epoch = f->epoch;
    link_reply_free(&r);
    return rc;
}
