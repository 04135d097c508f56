/* fleet_tool — what the fleet test scripts need besides curl: request bodies made with the real
 * wire code (app/fleet) from real data folders (app/store), and a reader of pull pages.
 *
 *   fleet_tool bundle WORKER_DIR PASSFILE          write WORKER_DIR/keys-bundle.json (protocol 3)
 *   fleet_tool enrollreq DIR TOKEN                 print an enrolment body for folder DIR
 *   fleet_tool batches DIR PREFIX SIZE HEAD TAMPER write PREFIX.1.json ... from DIR's records;
 *              HEAD: an audit head seq to send ("-": none); TAMPER: "-", "badsig" (first record's
 *              signature broken) or "conflict" (first record's bytes changed and signed again by
 *              the device: same id, other bytes). Prints the number of files.
 *   fleet_tool pullreq WORKER_DIR PASSFILE TEAM AFTER LIMIT   print a signed pull body
 *   fleet_tool teamreq WORKER_DIR PASSFILE TEAM ACTION PAYLOAD   print a signed team request
 *              (protocol 9) whose payload is the JSON text PAYLOAD, as a member would send it
 *   fleet_tool page FILE                           print "N NEXT MORE" of a pull page answer
 *   fleet_tool answer FILE                         print "stored duplicate conflict refused AUDIT"
 *
 * Exit 0 on success, 1 with a message on stderr. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fleet.h"
#include "store_int.h"

static int die(const char *what)
{
    fprintf(stderr, "fleet_tool: %s\n", what);
    return 1;
}

/* A string of the config, "" when absent. */
static const char *cfg_str(const json_t *cfg, const char *name)
{
    const char *v = json_string_value(json_object_get(cfg, name));
    return v ? v : "";
}

static json_t *read_config(const char *dir)
{
    char path[600];
    snprintf(path, sizeof path, "%s/config.json", dir);
    return json_load_file(path, 0, NULL);
}

/* The worker's signing keys from its unlocked key; on failure says why, locks and closes. */
static int sign_keys(store *s, store_key *key, unsigned char spk[32], unsigned char ssk[64])
{
    its_err err;
    if (store_worker_sign_keypair(key, spk, ssk, &err) == 0)
        return 0;
    fprintf(stderr, "fleet_tool: %s\n", err.msg);
    store_lock(key);
    store_close(s);
    return -1;
}

/* The worker's box secret key from its folder and passphrase file. */
static store_key *unlock(const char *dir, const char *pass_file, store **s)
{
    its_err err;
    size_t len;
    store_key *key = NULL;
    char *pass = its_read_file(pass_file, &len, &err);
    if (pass)
        pass[strcspn(pass, "\n")] = '\0';
    if (!pass || store_open(dir, s, &err) != 0 || store_unlock(*s, pass, &key, &err) != 0)
        fprintf(stderr, "fleet_tool: %s\n", err.msg);
    free(pass);
    return key;
}

static int cmd_bundle(const char *dir, const char *pass_file)
{
    store *s = NULL;
    store_key *key = unlock(dir, pass_file, &s);
    if (!key)
        return 1;
    unsigned char spk[32], ssk[64];
    if (sign_keys(s, key, spk, ssk) != 0)
        return 1;
    json_t *cfg = read_config(dir);
    fleet_bundle b = {.epoch = 1};
    int rc = fleet_b64_decode(cfg_str(cfg, "worker_public_key"), b.worker_pk, 32) ||
             fleet_b64_decode(cfg_str(cfg, "recovery_public_key"), b.recovery_pk, 32);
    fleet_bundle_sign(&b, ssk);
    sodium_memzero(ssk, sizeof ssk);
    char path[600];
    snprintf(path, sizeof path, "%s/keys-bundle.json", dir);
    json_t *bj = fleet_bundle_to_json(&b);
    if (rc == 0)
        rc = json_dump_file(bj, path, JSON_INDENT(2));
    json_decref(bj);
    json_decref(cfg);
    store_lock(key);
    store_close(s);
    return rc ? die("cannot write the bundle") : 0;
}

static int cmd_enrollreq(const char *dir, const char *token)
{
    json_t *cfg = read_config(dir);
    fleet_enroll_req r = {0};
    its_strlcpy(r.token, token, sizeof r.token);
    its_strlcpy(r.mode, cfg_str(cfg, "mode"), sizeof r.mode);
    its_strlcpy(r.device, cfg_str(cfg, "device_id"), sizeof r.device);
    int rc = fleet_b64_decode(cfg_str(cfg, "device_sign_public_key"), r.device_pk, 32);
    json_decref(cfg);
    if (rc != 0)
        return die("the folder's config.json has no device_sign_public_key");
    char *body = fleet_enroll_encode(&r);
    puts(body);
    free(body);
    return 0;
}

/* The device's Ed25519 secret key from DIR/device-sign.key (the 32-byte seed). */
static int device_sk(const char *dir, unsigned char sk[64])
{
    char path[600];
    unsigned char pk[32];
    size_t len = 0;
    its_err err;
    snprintf(path, sizeof path, "%s/device-sign.key", dir);
    char *seed = its_read_file(path, &len, &err);
    int rc = seed && len == 32 ? crypto_sign_seed_keypair(pk, sk, (unsigned char *)seed) : -1;
    free(seed);
    return rc;
}

static int tamper(const char *dir, fleet_record *r, const char *how)
{
    if (!strcmp(how, "badsig")) {
        r->env[r->len - 1] ^= 1;
        return 0;
    }
    unsigned char sk[64];
    if (device_sk(dir, sk) != 0)
        return -1;
    r->env[r->len - 64 - 1] ^=
        1; /* the last byte of the AEAD tag: other bytes, still well formed */
    crypto_sign_detached(r->env + r->len - 64, NULL, r->env, r->len - 64, sk);
    sodium_memzero(sk, sizeof sk);
    return 0;
}

static int write_batch(fleet_batch *b, const char *prefix, int k)
{
    char path[600];
    snprintf(path, sizeof path, "%s.%d.json", prefix, k);
    char *text = fleet_batch_encode(b);
    FILE *f = text ? fopen(path, "w") : NULL;
    int rc = f && fputs(text, f) >= 0 ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(text);
    return rc;
}

static void set_head(fleet_batch *b, const char *dir, long long seq)
{
    unsigned char sk[64];
    if (device_sk(dir, sk) != 0)
        return;
    b->head.seq = seq;
    crypto_generichash(b->head.hash, sizeof b->head.hash, (unsigned char *)&seq, sizeof seq, NULL,
                       0);
    fleet_audit_head_sign(b->device, &b->head, sk);
    sodium_memzero(sk, sizeof sk);
}

static int cmd_batches(const char *dir, const char *prefix, int size, const char *head,
                       const char *how)
{
    char path[600];
    sqlite3 *db;
    sqlite3_stmt *st;
    json_t *cfg = read_config(dir);
    fleet_batch b = {.records = calloc((size_t)size, sizeof(fleet_record))};
    its_strlcpy(b.device, cfg_str(cfg, "device_id"), sizeof b.device);
    json_decref(cfg);
    snprintf(path, sizeof path, "%s/store.db", dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT id, envelope FROM records ORDER BY rowid", -1, &st, NULL) !=
            SQLITE_OK)
        return die("cannot read the folder's store.db");
    int files = 0, rc = 0;
    bool more = true;
    while (more && rc == 0) {
        more = sqlite3_step(st) == SQLITE_ROW;
        if (more) {
            fleet_record *r = &b.records[b.n++];
            its_strlcpy(r->id, (const char *)sqlite3_column_text(st, 0), sizeof r->id);
            r->len = (size_t)sqlite3_column_bytes(st, 1);
            r->env = malloc(r->len);
            memcpy(r->env, sqlite3_column_blob(st, 1), r->len);
            if (files == 0 && b.n == 1 && strcmp(how, "-"))
                rc = tamper(dir, r, how);
        }
        if (b.n == size || (!more && b.n)) {
            if (strcmp(head, "-"))
                set_head(&b, dir, strtoll(head, NULL, 10));
            rc = rc ? rc : write_batch(&b, prefix, ++files);
            for (int i = 0; i < b.n; i++)
                free(b.records[i].env);
            b.n = 0;
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(b.records);
    if (rc != 0)
        return die("cannot write the batches");
    printf("%d\n", files);
    return 0;
}

/* The worker signing key of a folder (unlocked with the passphrase file, then locked again). */
static int worker_signing_key(const char *dir, const char *pass_file, unsigned char ssk[64])
{
    store *s = NULL;
    store_key *key = unlock(dir, pass_file, &s);
    unsigned char spk[32];
    if (!key) {
        store_close(s);
        return -1;
    }
    if (sign_keys(s, key, spk, ssk) != 0)
        return -1;
    store_lock(key);
    store_close(s);
    return 0;
}

static int cmd_pullreq(const char *dir, const char *pass_file, const char *team, const char *after,
                       const char *limit)
{
    unsigned char ssk[64];
    if (worker_signing_key(dir, pass_file, ssk) != 0)
        return 1;
    fleet_pull_req r = {.after = strtoll(after, NULL, 10),
                        .limit = (int)strtol(limit, NULL, 10),
                        .time = (long long)time(NULL)};
    its_strlcpy(r.team, team, sizeof r.team);
    fleet_pull_sign(&r, ssk);
    sodium_memzero(ssk, sizeof ssk);
    char *body = fleet_pull_encode(&r);
    puts(body);
    free(body);
    return 0;
}

static int cmd_teamreq(const char *dir, const char *pass_file, const char *team, const char *action,
                       const char *payload)
{
    unsigned char ssk[64];
    if (worker_signing_key(dir, pass_file, ssk) != 0)
        return 1;
    fleet_team_req r = {.time = (long long)time(NULL), .payload = its_strdup(payload)};
    its_strlcpy(r.team, team, sizeof r.team);
    its_strlcpy(r.action, action, sizeof r.action);
    fleet_team_sign(&r, ssk);
    sodium_memzero(ssk, sizeof ssk);
    char *body = fleet_team_encode(&r);
    puts(body);
    free(body);
    fleet_team_free(&r);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    its_err err;
    char *t = its_read_file(path, len, &err);
    if (!t)
        fprintf(stderr, "fleet_tool: %s\n", err.msg);
    return t;
}

static int cmd_page(const char *file)
{
    size_t len;
    char *t = slurp(file, &len);
    fleet_pull_page p;
    its_err err;
    if (!t || fleet_page_parse(t, len, &p, &err) != 0) {
        free(t);
        return die(t ? err.msg : "no page");
    }
    printf("%d %lld %d\n", p.n, p.next, p.more ? 1 : 0);
    fleet_page_free(&p);
    free(t);
    return 0;
}

static int cmd_answer(const char *file)
{
    size_t len;
    char *t = slurp(file, &len);
    fleet_answer a;
    its_err err;
    if (!t || fleet_answer_parse(t, len, &a, &err) != 0) {
        free(t);
        return die(t ? err.msg : "no answer");
    }
    int counts[4] = {0};
    for (int i = 0; i < a.n; i++)
        counts[a.results[i].status]++;
    printf("%d %d %d %d %s\n", counts[0], counts[1], counts[2], counts[3],
           a.audit[0] ? a.audit : "-");
    fleet_answer_free(&a);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    const char *c = argc > 1 ? argv[1] : "";
    if (!strcmp(c, "bundle") && argc == 4)
        return cmd_bundle(argv[2], argv[3]);
    if (!strcmp(c, "enrollreq") && argc == 4)
        return cmd_enrollreq(argv[2], argv[3]);
    if (!strcmp(c, "batches") && argc == 7)
        return cmd_batches(argv[2], argv[3], (int)strtol(argv[4], NULL, 10), argv[5], argv[6]);
    if (!strcmp(c, "pullreq") && argc == 7)
        return cmd_pullreq(argv[2], argv[3], argv[4], argv[5], argv[6]);
    if (!strcmp(c, "teamreq") && argc == 7)
        return cmd_teamreq(argv[2], argv[3], argv[4], argv[5], argv[6]);
    if (!strcmp(c, "page") && argc == 3)
        return cmd_page(argv[2]);
    if (!strcmp(c, "answer") && argc == 3)
        return cmd_answer(argv[2]);
    return die("usage: see the comment at the top of tests/fleet/fleet_tool.c");
}
