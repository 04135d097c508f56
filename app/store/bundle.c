/* bundle.c — a worker folder's signing side (docs/fleet-protocol.md sections 1, 3, 6): the
 * worker signing key, derived from the worker box key and never stored; the keys bundle it
 * signs (DIR/keys-bundle.json, what `server team-add` reads and devices seal to); and signed
 * pull requests. The signing secret lives only in guarded memory for one call. */
#include "store_int.h"
#include "fleet.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>


int store_pull_sign(const store_key *key, struct fleet_pull_req *r, its_err *err)
{
    unsigned char *sk = sodium_malloc(FLEET_SK_BYTES);
    unsigned char pk[FLEET_PK_BYTES];
    if (!sk)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    int rc = store_worker_sign_keypair(key, pk, sk, err);
    if (rc == 0)
        fleet_pull_sign(r, sk);
    sodium_free(sk);
    return rc;
}

int store_bundle_write(const char *dir, const unsigned char wpk[32], const unsigned char rpk[32],
                       const unsigned char box_sk[32], its_err *err)
{
    fleet_bundle b;
    memset(&b, 0, sizeof b);
    b.epoch = 1;
    memcpy(b.worker_pk, wpk, FLEET_PK_BYTES);
    memcpy(b.recovery_pk, rpk, FLEET_PK_BYTES);
    unsigned char *sk = sodium_malloc(FLEET_SK_BYTES);
    if (!sk)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    store_worker_sign_derive(box_sk, b.signer_pk, sk);
    fleet_bundle_sign(&b, sk);
    sodium_free(sk);
    return store_json_file_write(dir, STORE_BUNDLE_FILE, fleet_bundle_to_json(&b), err);
}

/* True when DIR/keys-bundle.json holds these keys signed by this signer. */
static bool bundle_current(const store *s, const unsigned char spk[FLEET_PK_BYTES])
{
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, s->dir, STORE_BUNDLE_FILE);
    size_t len = 0;
    char *text = its_read_file(path, &len, NULL);
    fleet_bundle had;
    bool same = text && fleet_bundle_parse(text, len, &had, NULL) == 0 &&
                !memcmp(had.signer_pk, spk, FLEET_PK_BYTES) && !memcmp(had.worker_pk, s->worker_pk, 32) &&
                !memcmp(had.recovery_pk, s->recovery_pk, 32);
    free(text);
    return same;
}

int store_worker_bundle_ensure(store *s, const store_key *key, its_err *err)
{
    if (s->mode != STORE_WORKER || !key || key->kind != STORE_KEY_WORKER)
        return 0;
    unsigned char spk[FLEET_PK_BYTES];
    store_worker_sign_derive(key->sk, spk, NULL);
    bool config_ok = s->has_worker_sign_pk && !memcmp(s->worker_sign_pk, spk, FLEET_PK_BYTES);
    /* A founding worker's bundle names the team key (team.c), not its own: it stays as made. */
    char team_keys[STORE_PATH_MAX];
    store_path(team_keys, sizeof team_keys, s->dir, STORE_TEAM_KEYS_FILE);
    if (access(team_keys, F_OK) != 0 && !bundle_current(s, spk) &&
        store_bundle_write(s->dir, s->worker_pk, s->recovery_pk, key->sk, err) != 0)
        return -1;
    if (config_ok)
        return 0;
    char b64[64];
    store_b64_encode(spk, FLEET_PK_BYTES, b64, sizeof b64);
    if (store_config_set(s->dir, "worker_sign_public_key", b64, err) != 0)
        return -1;
    memcpy(s->worker_sign_pk, spk, FLEET_PK_BYTES);
    s->has_worker_sign_pk = true;
    return 0;
}

/* ---- the team a worker station pulls for -------------------------------------------------- */

int store_team(store *s, char *out, size_t n, its_err *err)
{
    out[0] = '\0';
    if (s->enrolled || s->worker_team[0]) {
        its_strlcpy(out, s->enrolled ? s->fleet.team : s->worker_team, n);
        return 0;
    }
    /* `server team-add` may have written the team it registered into the folder's bundle (the
     * team is not covered by the bundle's signature: protocol section 3). */
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, s->dir, STORE_BUNDLE_FILE);
    json_t *j = json_load_file(path, 0, NULL);
    const char *team = json_string_value(json_object_get(j, "team"));
    if (team && fleet_name_ok(team))
        its_strlcpy(out, team, n);
    json_decref(j);
    (void)err;
    return 0;
}

int store_team_set(store *s, const char *team, its_err *err)
{
    if (!fleet_name_ok(team))
        return its_fail(err, "A team name is 1 to %d letters, digits, '.', '_' or '-'.", FLEET_NAME_MAX);
    if (store_config_set(s->dir, "team", team, err) != 0)
        return -1;
    its_strlcpy(s->worker_team, team, sizeof s->worker_team);
    return 0;
}

int store_bundle_set_team(const char *dir, const char *team, its_err *err)
{
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, dir, STORE_BUNDLE_FILE);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!json_is_object(j) || !fleet_name_ok(team)) {
        json_decref(j);
        return its_fail(err, "%s cannot be read, or the team name is not valid.", path);
    }
    json_object_set_new(j, "team", json_string(team));
    char *text = json_dumps(j, JSON_INDENT(2));
    json_decref(j);
    int rc = text ? store_file_write(path, text, strlen(text), true, err)
                  : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    free(text);
    return rc;
}
