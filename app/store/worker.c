/* worker.c — unlocking the worker or recovery key, the growing delay after wrong passphrases,
 * locking, and changing the passphrase.
 *
 * Invariant I9: the count of wrong passphrases since the last success and the time of the last
 * one live in the database (table meta), so a restart does not reset the delay. An unlock is
 * refused if it cannot be logged in the audit log. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FAILS "failed_unlocks"
#define LAST_FAIL "last_failed_unlock"
#define MAX_DELAY 900
#define MAX_FAILS 1000000000LL /* a count beyond this (a damaged row) is read as this */

static long long meta_get(store *s, const char *name)
{
    long long v = 0;
    return store_meta_get(s, name, 0, &v, NULL) == 0 ? v : 0;
}

/* The stored count, clamped to 0..MAX_FAILS: the row is data, and adding one to whatever it holds
 * must not overflow. */
static long long fails_get(store *s)
{
    long long n = meta_get(s, FAILS);
    return n < 0 ? 0 : n > MAX_FAILS ? MAX_FAILS : n;
}

/* No wait after one or two mistakes; then 2, 4, 8 ... seconds, at most 15 minutes. */
static int delay_after(long long fails)
{
    if (fails < 3)
        return 0;
    long long d = fails - 2 >= 10 ? MAX_DELAY : 1LL << (fails - 2);
    return d > MAX_DELAY ? MAX_DELAY : (int)d;
}

int store_unlock_wait(store *s)
{
    int delay = delay_after(fails_get(s));
    long long last = meta_get(s, LAST_FAIL), now = store_now(s);
    /* A clock set back (or a stored time in the future) must not lock the worker out for longer
     * than the delay itself. Any two times are compared without signed overflow: the elapsed
     * time is taken in unsigned arithmetic only once last < now. */
    if (last >= now)
        return delay;
    unsigned long long elapsed = (unsigned long long)now - (unsigned long long)last;
    return elapsed >= (unsigned long long)delay ? 0 : delay - (int)elapsed;
}

typedef struct unlock_ctx {
    bool failed;
    const char *event;
} unlock_ctx;

static int unlock_log_body(store *s, void *p, const char *what, its_err *err)
{
    unlock_ctx *c = p;
    long long fails = c->failed ? fails_get(s) + 1 : 0;
    char detail[64] = "";
    if (c->failed)
        snprintf(detail, sizeof detail, "wrong passphrase, attempt %lld", fails);
    if (store_meta_set(s, FAILS, fails, what, err) != 0 ||
        (c->failed && store_meta_set(s, LAST_FAIL, store_now(s), what, err) != 0))
        return -1;
    return store_audit_append(s, c->event, detail, err);
}

static store_key *key_new(store_key_kind kind, its_err *err)
{
    store_key *k = sodium_malloc(sizeof *k);
    if (!k) {
        its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the key.");
        return NULL;
    }
    k->kind = kind;
    k->n_team = 0;
    return k;
}

/* Opens the worker key file with the passphrase; on a wrong one records the failure. Logs
 * `event` on success unless it is NULL; ops/mem get the file's KDF parameters. */
static int unlock_worker(store *s, const char *passphrase, store_key **key, const char *event,
                         unsigned long long *ops, size_t *mem, its_err *err)
{
    *key = NULL;
    if (!s->worker_key_file[0])
        return its_fail_key(err, ITS_E_OTHER, "err_no_worker_key", NULL,
                            "This %s holds only public keys: the worker key is not on this device.",
                        store_mode_name(s->mode));
    int wait = store_unlock_wait(s);
    char seconds[16];
    snprintf(seconds, sizeof seconds, "%d", wait);
    if (wait > 0)
        return its_fail_key(err, ITS_E_LOCKED_OUT, "err_locked_out", seconds,
                            "Too many wrong passphrases: wait %d seconds before the next try.", wait);
    store_key *k = key_new(STORE_KEY_WORKER, err);
    if (!k)
        return -1;
    int rc = store_worker_key_read(s->worker_key_file, passphrase ? passphrase : "", k->pk, k->sk,
                                   ops, mem, err);
    if (rc == 0 && sodium_memcmp(k->pk, s->worker_pk, sizeof k->pk) != 0)
        rc = its_fail_key(err, ITS_E_OTHER, "err_key_not_this_folder", s->worker_key_file,
                          "The worker key file %s does not belong to this data folder.", s->worker_key_file);
    if (rc == -2) {
        sodium_free(k);
        unlock_ctx c = {true, "unlock_failed"};
        its_err why;
        if (store_tx(s, unlock_log_body, &c, "The failed attempt could not be recorded", &why) != 0)
            return its_fail_code(err, ITS_E_WRONG_PASSPHRASE, "Wrong passphrase. %s", why.msg);
        wait = store_unlock_wait(s);
        snprintf(seconds, sizeof seconds, "%d", wait);
        if (wait > 0)
            return its_fail_key(err, ITS_E_WRONG_PASSPHRASE, "err_wrong_passphrase_wait", seconds,
                                "Wrong passphrase. Wait %d seconds before the next try.", wait);
        return its_fail_code(err, ITS_E_WRONG_PASSPHRASE, "Wrong passphrase.");
    }
    unlock_ctx c = {false, event};
    if (rc != 0 ||
        (event && store_tx(s, unlock_log_body, &c,
                           "The unlock was refused because it could not be logged", err) != 0)) {
        sodium_free(k);
        return -1;
    }
    *key = k;
    return 0;
}

int store_unlock(store *s, const char *passphrase, store_key **key, its_err *err)
{
    if (unlock_worker(s, passphrase, key, "unlock", NULL, NULL, err) != 0)
        return -1;
    /* A worker folder made before the fleet gets its signed keys bundle now (protocol 1). A
     * folder that cannot be written still unlocks: the bundle is written at a later unlock. */
    its_err later;
    (void)store_worker_bundle_ensure(s, *key, &later);
    store_team_keys_load(s, *key); /* the team epochs this worker holds (protocol 9) */
    return 0;
}

int store_unlock_recovery(store *s, const char *recovery_key_file, store_key **key, its_err *err)
{
    *key = NULL;
    store_key *k = key_new(STORE_KEY_RECOVERY, err);
    if (!k)
        return -1;
    int rc = store_recovery_key_read(recovery_key_file, k->pk, k->sk, err);
    if (rc == 0 && sodium_memcmp(k->pk, s->recovery_pk, sizeof k->pk) != 0)
        rc = its_fail_key(err, ITS_E_OTHER, "err_key_not_this_folder", recovery_key_file,
                          "The recovery key %s does not belong to this data folder.", recovery_key_file);
    unlock_ctx c = {false, "unlock_recovery"};
    if (rc != 0 || store_tx(s, unlock_log_body, &c,
                            "The unlock was refused because it could not be logged", err) != 0) {
        sodium_free(k);
        return -1;
    }
    *key = k;
    return 0;
}

void store_lock(store_key *key)
{
    if (key)
        sodium_free(key); /* sodium_free wipes the memory before releasing it */
}

/* Locks the folder that holds the key file (flock on the folder itself), so two passphrase
 * changes run one after the other; waits up to 60 s. The folder's fd, or -1. */
static int key_folder_lock(const char *key_file, its_err *err)
{
    char dir[STORE_PATH_MAX];
    its_strlcpy(dir, key_file, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int fd = open(slash ? (dir[0] ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (int i = 0; fd >= 0 && i < 600; i++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        if (errno != EWOULDBLOCK)
            break;
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    if (fd >= 0)
        close(fd);
    return its_fail(err, "Another passphrase change is still running; nothing was changed. Try again "
                         "when it has finished.");
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Under the folder lock: the key file is the one seen before waiting (compare-and-swap), opened
 * with the old passphrase and written under the new one with limits at least `kdf`'s. */
static int change_locked(store *s, const struct stat *seen, const char *old_pass, const char *new_pass,
                         store_kdf kdf, its_err *err)
{
    struct stat now;
    if (stat(s->worker_key_file, &now) == 0 && !same_file(seen, &now))
        return its_fail(err, "The worker key file %s was changed by another program while this one "
                             "waited; nothing was changed. Run passwd again with the current passphrase.",
                        s->worker_key_file);
    store_key *k;
    unsigned long long ops, want_ops;
    size_t mem, want_mem;
    if (unlock_worker(s, old_pass, &k, NULL, &ops, &mem, err) != 0 || !k)
        return -1;
    store_kdf_params(kdf, &want_ops, &want_mem); /* weaker limits are upgraded, never lowered */
    int rc = store_worker_key_write(s->worker_key_file, k->pk, k->sk, new_pass,
                                    ops > want_ops ? ops : want_ops, mem > want_mem ? mem : want_mem, true,
                                    err);
    store_lock(k);
    return rc;
}

int store_change_passphrase(store *s, const char *old_pass, const char *new_pass, store_kdf kdf,
                            its_err *err)
{
    if (!new_pass || strlen(new_pass) < 8)
        return its_fail(err, "The new passphrase must be at least 8 characters long.");
    store_key *none;
    if (!s->worker_key_file[0]) /* says the key is not on this device */
        return unlock_worker(s, old_pass, &none, NULL, NULL, NULL, err);
    struct stat seen;
    memset(&seen, 0, sizeof seen);
    stat(s->worker_key_file, &seen);
    int fd = key_folder_lock(s->worker_key_file, err);
    if (fd < 0)
        return -1;
    int rc = change_locked(s, &seen, old_pass, new_pass, kdf, err);
    close(fd); /* drops the lock */
    if (rc != 0)
        return -1;
    its_err why;
    if (store_audit(s, "passwd", "worker passphrase changed", &why) != 0)
        return its_fail(err, "The passphrase was changed, but %s", why.msg);
    return 0;
}
