/* link_enrol.c — enrolment of a kiosk or tablet (docs/fleet-protocol.md section 4).
 *
 * Order, so that a failure leaves nothing behind and a token is not spent on a folder that
 * cannot be written: check the folder is free, make the signing key in memory, POST /v1/enroll,
 * check the bundle's signature and its signer against the token's pin, and only then write the
 * data folder (store_init, config.json last). */
#include "link.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *enrol_request(const link_enrol_opts *o, const char *device, const unsigned char pk[32])
{
    char b64[64];
    fleet_b64_encode(pk, 32, b64, sizeof b64);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "token", o->token, "mode", store_mode_name(o->mode),
                          "device_sign_public_key", b64, "requested_device_id", device);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return text;
}

/* Reads the answer: device id, team, site and the bundle, whose signer must match the pin. */
static int enrol_answer(const link_reply *r, const char *pin, store_enrolment *e,
                        char device[STORE_DEVICE_MAX + 1],
                        its_err *err)
{
    json_error_t je;
    json_t *j = json_loadb(r->body, r->len, 0, &je);
    const char *dev = json_string_value(json_object_get(j, "device_id"));
    const char *team = json_string_value(json_object_get(j, "team"));
    const char *site = json_string_value(json_object_get(j, "site"));
    fleet_bundle b;
    int rc = 0;
    if (!fleet_name_ok(dev) || !fleet_name_ok(team) || !fleet_name_ok(site))
        rc = its_fail(err, "The server's answer to the enrolment is not what the protocol says (device_id, "
                           "team, site); nothing was written.");
    else if (fleet_bundle_from_json(json_object_get(j, "bundle"), &b, err) != 0)
        rc = -1;
    if (rc == 0) {
        char got[FLEET_PIN_LEN + 1];
        fleet_signer_pin(b.signer_pk, got);
        if (strcmp(got, pin) != 0)
            rc = its_fail(err, "The server sent keys signed by another key than the one this token names "
                               "(%s, not %s): it may not be your team's server. Nothing was written.",
                          got, pin);
    }
    if (rc == 0) {
        its_strlcpy(device, dev, STORE_DEVICE_MAX + 1);
        its_strlcpy(e->team, team, sizeof e->team);
        its_strlcpy(e->site, site, sizeof e->site);
        memcpy(e->worker_pk, b.worker_pk, 32);
        memcpy(e->recovery_pk, b.recovery_pk, 32);
        memcpy(e->signer_pk, b.signer_pk, 32);
        e->epoch = b.epoch;
    }
    json_decref(j);
    return rc;
}

static int folder_free(const link_enrol_opts *o, its_err *err)
{
    char path[LINK_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/config.json", o->dir);
    struct stat st;
    if (!o->force && (stat(path, &st) == 0 || errno != ENOENT))
        return its_fail(err, "%s already exists, so nothing was changed and the token was not used. To "
                             "start over, add --force (old files are kept, renamed *.replaced-TIME).", path);
    if (access(o->ca_file, R_OK) != 0)
        return its_fail(err, "The CA file %s cannot be read: %s.", o->ca_file, strerror(errno));
    return 0;
}

static int enrol_post(const link_enrol_opts *o, const char *want, const char *pin, store_enrolment *e,
                      char device[STORE_DEVICE_MAX + 1], its_err *err)
{
    unsigned char pk[32], sk[64];
    crypto_sign_seed_keypair(pk, sk, e->sign_seed);
    sodium_memzero(sk, sizeof sk);
    char *body = enrol_request(o, want, pk);
    link_conn *c = NULL;
    link_reply r = {0};
    int rc = body ? link_conn_open(o->server_url, o->ca_file, &c, err)
                  : its_fail_code(err, ITS_E_NO_MEMORY,
                                  "The enrolment could not be prepared: out of memory.");
    if (rc == 0)
        rc = link_request(c, "/v1/enroll", body, strlen(body), &r, err);
    if (rc == 0 && r.status != 200)
        rc = link_reply_error(c, &r, "Enrolment at", err);
    if (rc == 0)
        rc = enrol_answer(&r, pin, e, device, err);
    link_reply_free(&r);
    link_conn_close(c);
    free(body);
    return rc;
}

int link_enrol(const link_enrol_opts *o, char device[STORE_DEVICE_MAX + 1], its_err *err)
{
    if (o->mode == STORE_WORKER)
        return its_fail(err, "Only a kiosk or a tablet is enrolled; a worker station pulls with its key.");
    unsigned char secret[FLEET_TOKEN_SECRET_BYTES];
    char pin[FLEET_PIN_LEN + 1], want[STORE_DEVICE_MAX + 1];
    if (fleet_token_split(o->token, secret, pin, err) != 0 || folder_free(o, err) != 0)
        return -1;
    sodium_memzero(secret, sizeof secret);
    if (o->device_id)
        its_strlcpy(want, o->device_id, sizeof want);
    else
        store_device_id_make(o->mode, want);
    store_enrolment e;
    memset(&e, 0, sizeof e);
    randombytes_buf(e.sign_seed, sizeof e.sign_seed);
    e.server = o->server_url;
    e.ca_source = o->ca_file;
    int rc = enrol_post(o, want, pin, &e, device, err);
    if (rc == 0) {
        store_init_opts io = {.mode = o->mode, .device_id = device, .force = o->force, .enrolment = &e};
        its_err why;
        if (store_init(o->dir, &io, &why) != 0)
            rc = its_fail(err, "The server enrolled this device as %s, but the data folder could not be "
                               "written: %s Ask for a new token (this one is used).", device, why.msg);
    }
    sodium_memzero(&e, sizeof e);
    return rc;
}
