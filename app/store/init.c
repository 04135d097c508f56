/* init.c — creating a data folder: keys, config and an empty database; and process hardening.
 *
 * Order of writing: recovery key, worker key, device signing key, database (which pins the
 * device key), demo passphrase, and config.json last, so a folder with a config is complete.
 * (No draft key: each draft session makes its own, draft.c.) Nothing existing is replaced
 * unless the caller forces it, and then the old files are renamed, never deleted. */
#include "store_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const owned_files[] = {
    STORE_CONFIG_FILE, STORE_DB_FILE, STORE_DB_FILE "-wal", STORE_DB_FILE "-shm",
    STORE_WORKER_KEY_FILE, STORE_DRAFT_KEY_FILE, STORE_DRAFT_LOCK_FILE, STORE_DEVICE_KEY_FILE,
    STORE_DEMO_PASS_FILE, STORE_BUNDLE_FILE, STORE_SERVER_CA_FILE,
};
#define N_OWNED (sizeof owned_files / sizeof owned_files[0])

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 || errno != ENOENT;
}

/* Refuses (or with force renames aside) whatever init would write. */
static int clear_the_way(const char *dir, const char *recovery, bool force, its_err *err)
{
    char path[STORE_PATH_MAX], aside[STORE_PATH_MAX + 40];
    long long stamp = (long long)time(NULL);
    for (size_t i = 0; i <= N_OWNED; i++) {
        if (i < N_OWNED)
            store_path(path, sizeof path, dir, owned_files[i]);
        else if (recovery)
            its_strlcpy(path, recovery, sizeof path);
        else
            break;
        if (!exists(path))
            continue;
        if (!force)
            return its_fail(err, "%s already exists, so nothing was changed. To start over, add --force "
                                 "(old files are kept, renamed *.replaced-TIME).", path);
        snprintf(aside, sizeof aside, "%s.replaced-%lld", path, stamp);
        if (rename(path, aside) != 0)
            return its_fail(err, "%s could not be moved aside: %s.", path, strerror(errno));
    }
    return 0;
}

static int keys_from_folder(const char *from, unsigned char wpk[32], unsigned char rpk[32], its_err *err)
{
    if (!from)
        return its_fail(err, "A kiosk or tablet needs the public keys of the worker station: give the "
                             "worker's data folder with --keys-from.");
    store tmp;
    memset(&tmp, 0, sizeof tmp);
    int rc = store_config_load(&tmp, from, err);
    memcpy(wpk, tmp.worker_pk, 32);
    memcpy(rpk, tmp.recovery_pk, 32);
    for (int i = 0; i < tmp.n_questionnaires; i++)
        free(tmp.questionnaires[i]);
    free(tmp.questionnaires);
    return rc;
}

/* An enrolled device: the keys of the team's checked bundle, and the CA that vouches for the
 * server kept in the folder (so moving or losing the original changes nothing). */
static int copy_enrolment(const char *dir, const store_enrolment *e, unsigned char wpk[32],
                          unsigned char rpk[32], its_err *err)
{
    memcpy(wpk, e->worker_pk, 32);
    memcpy(rpk, e->recovery_pk, 32);
    size_t len = 0;
    char *pem = its_read_file(e->ca_source, &len, err);
    if (!pem)
        return -1;
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, dir, STORE_SERVER_CA_FILE);
    int rc = store_file_write(path, pem, len, false, err);
    free(pem);
    return rc;
}

static int write_config(const char *dir, const store_init_opts *o, const char *device,
                        const unsigned char wpk[32], const unsigned char rpk[32],
                        const unsigned char spk[32], const unsigned char *wspk, its_err *err)
{
    char b[64], path[STORE_PATH_MAX];
    json_t *c = json_object();
    json_object_set_new(c, "format", json_integer(1));
    json_object_set_new(c, "mode", json_string(store_mode_name(o->mode)));
    json_object_set_new(c, "device_id", json_string(device));
    json_object_set_new(c, "idle_seconds", json_integer(120));
    json_object_set_new(c, "draft_expiry_seconds", json_integer(o->mode == STORE_KIOSK ? 300 : 12 * 3600));
    json_object_set_new(c, "questionnaires", json_array());
    store_b64_encode(wpk, 32, b, sizeof b);
    json_object_set_new(c, "worker_public_key", json_string(b));
    store_b64_encode(rpk, 32, b, sizeof b);
    json_object_set_new(c, "recovery_public_key", json_string(b));
    store_b64_encode(spk, 32, b, sizeof b);
    json_object_set_new(c, "device_sign_public_key", json_string(b));
    if (wspk) {
        json_object_set_new(c, "worker_key_file", json_string(STORE_WORKER_KEY_FILE));
        store_b64_encode(wspk, 32, b, sizeof b);
        json_object_set_new(c, "worker_sign_public_key", json_string(b));
    }
    if (o->demo)
        json_object_set_new(c, "demo", json_true());
    const store_enrolment *e = o->enrolment;
    if (e) {
        store_b64_encode(e->signer_pk, 32, b, sizeof b);
        json_object_set_new(c, "fleet", json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:I}", "server", e->server,
                                                  "ca_file", STORE_SERVER_CA_FILE, "team", e->team, "site",
                                                  e->site, "keep_uploaded", 1, "signer_public_key", b,
                                                  "epoch", (json_int_t)(e->epoch > 0 ? e->epoch : 1)));
    }
    char *text = json_dumps(c, JSON_INDENT(2));
    json_decref(c);
    if (!text)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    store_path(path, sizeof path, dir, STORE_CONFIG_FILE);
    int rc = store_file_write(path, text, strlen(text), false, err);
    free(text);
    return rc;
}

/* Creates the key pairs, writes the recovery key (once) and the passphrase-protected worker key. */
static int make_keys(const char *dir, const store_init_opts *o, const char *pass, const char *recovery,
                     unsigned char wpk[32], unsigned char rpk[32], unsigned char wspk[32], its_err *err)
{
    unsigned char *sk = sodium_malloc(2 * crypto_box_SECRETKEYBYTES);
    if (!sk)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    unsigned char *rsk = sk + crypto_box_SECRETKEYBYTES;
    crypto_box_keypair(wpk, sk);
    crypto_box_keypair(rpk, rsk);
    store_worker_sign_derive(sk, wspk, NULL);
    unsigned long long ops;
    size_t mem;
    store_kdf_params(o->kdf, &ops, &mem);
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, dir, STORE_WORKER_KEY_FILE);
    int rc = 0;
    if (recovery[0])
        rc = store_recovery_key_write(recovery, rpk, rsk, err);
    else if (!(*o->recovery_text = store_recovery_key_text(rpk, rsk)))
        rc = its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    if (rc == 0)
        rc = store_worker_key_write(path, wpk, sk, pass, ops, mem, false, err);
    /* What `server team-add` reads: the public keys, signed by the worker (protocol 3). */
    if (rc == 0 && o->mode == STORE_WORKER)
        rc = store_bundle_write(dir, wpk, rpk, sk, err);
    sodium_free(sk);
    return rc;
}

static int init_body(store *s, void *p, const char *what, its_err *err)
{
    (void)what;
    char detail[128];
    snprintf(detail, sizeof detail, "data folder created for device %s", s->device);
    if (store_audit_append(s, "init", detail, err) != 0 ||
        store_device_pin_in_tx(s, s->device, p, "config", err) != 0)
        return -1;
    return store_legacy_sign_in_tx(s, err); /* empty: no record can be added to it later */
}

static int make_db(const char *dir, const char *device, const unsigned char spk[32], its_err *err)
{
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, dir, STORE_DB_FILE);
    /* An empty file is an empty database; creating it here makes it (and so its -wal and -shm,
     * which SQLite gives the same mode) 0600 whatever the umask. */
    if (store_file_write(path, "", 0, false, err) != 0)
        return -1;
    store s;
    memset(&s, 0, sizeof s);
    its_strlcpy(s.dir, dir, sizeof s.dir);
    its_strlcpy(s.device, device, sizeof s.device);
    memcpy(s.sign_pk, spk, sizeof s.sign_pk);
    s.has_sign_pk = true;
    if (store_db_open(path, true, &s.db, err) != 0)
        return -1;
    int rc = store_tx(&s, init_body, (void *)spk, "The database could not be set up", err);
    sqlite3_close(s.db);
    return rc;
}

/* A demo folder gets its own programme key (demo passphrase); a kiosk made from a worker folder
 * that takes part in a programme takes part too. */
static int programme_keys(const char *dir, const store_init_opts *o, its_err *err)
{
    char path[STORE_PATH_MAX];
    if (o->demo) {
        store_path(path, sizeof path, dir, STORE_PROGRAMME_KEY_FILE);
        return store_programme_init(dir, path, STORE_DEMO_PASSPHRASE, o->kdf, err);
    }
    if (!o->keys_from || o->mode == STORE_WORKER)
        return 0;
    store_path(path, sizeof path, o->keys_from, STORE_PSEUDONYM_FILE);
    return access(path, F_OK) == 0 ? store_programme_join(dir, o->keys_from, err) : 0;
}

void store_device_id_make(store_mode mode, char out[STORE_DEVICE_MAX + 1])
{
    unsigned char r[4];
    char hex[9];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(hex, sizeof hex, r, sizeof r);
    snprintf(out, STORE_DEVICE_MAX + 1, "%s-%s", store_mode_name(mode), hex);
}

int store_init(const char *dir, const store_init_opts *o, its_err *err)
{
    if (sodium_init() < 0)
        return its_fail(err, "The cryptography library could not start.");
    bool holds_worker_key = o->mode == STORE_WORKER || o->demo;
    const char *pass = o->demo && !o->passphrase ? STORE_DEMO_PASSPHRASE : o->passphrase;
    if (holds_worker_key && (!pass || strlen(pass) < 8))
        return its_fail(err, "The worker passphrase must be at least 8 characters long.");
    char device[STORE_DEVICE_MAX + 1], recovery[STORE_PATH_MAX];
    if (o->device_id &&
        (!*o->device_id || strlen(o->device_id) > STORE_DEVICE_MAX ||
         strspn(o->device_id,
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
             strlen(o->device_id)))
        return its_fail(err, "A device id is 1 to %d letters, digits, '-', '_' or '.'.", STORE_DEVICE_MAX);
    if (o->device_id)
        its_strlcpy(device, o->device_id, sizeof device);
    else
        store_device_id_make(o->mode, device);
    if (store_dir_check(dir, err) != 0)
        return -1;
    /* The recovery key never stays in a real data folder: a file the user names, or the text
     * handed back to be shown once. Only a demo folder keeps its own. */
    recovery[0] = '\0';
    if (o->recovery_out) {
        if (its_path(recovery, sizeof recovery, err, "%s", o->recovery_out) != 0)
            return -1;
    } else if (o->demo)
        store_path(recovery, sizeof recovery, dir, STORE_RECOVERY_FILE);
    else if (holds_worker_key && !o->recovery_text)
        return its_fail(err, "Say where the recovery key goes (a file on a USB stick) or let it be "
                             "shown once.");
    if (o->recovery_text)
        *o->recovery_text = NULL;

    if (store_mkdirs(dir, err) != 0)
        return -1;
    if (clear_the_way(dir, holds_worker_key && recovery[0] ? recovery : NULL, o->force, err) != 0)
        return -1;
    unsigned char wpk[32], rpk[32], wspk[32];
    int rc = holds_worker_key ? make_keys(dir, o, pass, recovery, wpk, rpk, wspk, err)
             : o->enrolment   ? copy_enrolment(dir, o->enrolment, wpk, rpk, err)
                              : keys_from_folder(o->keys_from, wpk, rpk, err);
    char path[STORE_PATH_MAX];
    /* No draft key here: each draft session makes its own (draft.c). */
    unsigned char spk[crypto_sign_PUBLICKEYBYTES];
    if (rc == 0)
        rc = store_device_key_make(dir, o->enrolment ? o->enrolment->sign_seed : NULL, spk, err);
    if (rc == 0)
        rc = make_db(dir, device, spk, err);
    if (rc == 0 && o->demo) {
        static const char demo[] = STORE_DEMO_PASSPHRASE "\n"
            "# DEMO ONLY. This folder holds synthetic data and a published passphrase. Never use it\n"
            "# for real clients: run `itsearvio init` without --demo for a real data folder.\n";
        store_path(path, sizeof path, dir, STORE_DEMO_PASS_FILE);
        rc = store_file_write(path, demo, sizeof demo - 1, false, err);
    }
    if (rc == 0)
        rc = write_config(dir, o, device, wpk, rpk, spk, holds_worker_key ? wspk : NULL, err);
    if (rc == 0)
        rc = programme_keys(dir, o, err);
    if (rc != 0 && o->recovery_text) { /* no folder, so no key to keep */
        store_secret_free(*o->recovery_text);
        *o->recovery_text = NULL;
    }
    return rc;
}

int store_harden_process(its_err *err)
{
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return its_fail(err, "Core dumps could not be turned off: %s.", strerror(errno));
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return its_fail(err, "The process could not be made non-dumpable: %s.", strerror(errno));
    return 0;
}
