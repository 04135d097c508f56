/* draft.c — the one current draft of this device: its per-session key (crypto-shredding), the
 * lock that makes one process its owner, and the rule that says when it may be offered back.
 *
 * Invariant I7 (docs/storage.md, "Drafts"):
 *   a. A draft row holds only secretbox(saved-at || the UI's snapshot) under the draft key of
 *      its session: DIR/draft.key, 32 random bytes, 0600, made at the session's first save.
 *   b. When the session ends (result saved, wipe on idle or "start over", a stale or unreadable
 *      draft found) the key file is overwritten, fsynced, unlinked and the folder fsynced
 *      before anything else; then the row is deleted (secure_delete zeroes it) and the WAL is
 *      checkpointed with TRUNCATE. An old draft copy left anywhere (WAL frames, free pages, a
 *      checkpoint another reader held back) then opens with no key that exists.
 *   c. One live process owns the draft: an exclusive flock on DIR/draft.lock, taken on first
 *      use and held until store_close. A draft whose owner is alive is never offered, and a
 *      process that is not the owner cannot save or wipe it.
 *   d. A draft is offered only while now - saved-at (the time inside the box) is within the
 *      window: the draft expiry, and on a kiosk at most the idle limit plus 60 s (a running
 *      kiosk would have wiped it by then, so a restart never hands it to the next person). */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define DRAFT_MAX (1024 * 1024)
#define STAMP 8
#define KIOSK_COUNTDOWN_MAX 60 /* the idle warning's countdown, at most */

/* ---- the owner lock (I7c) ---------------------------------------------------------------- */

/* 1 this process owns the draft, 0 another live process does, -1 error. */
static int draft_owner(store *s, its_err *err)
{
    if (s->draft_lock_fd > 0)
        return 1;
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, s->dir, STORE_DRAFT_LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return its_fail(err, "The draft lock %s cannot be opened: %s.", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return 0;
        return its_fail(err, "The draft lock %s cannot be taken: %s.", path, strerror(e));
    }
    if (fd == 0) { /* fd 0 means "none" in the struct: keep the lock on another number */
        int again = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        if (again < 0)
            return its_fail(err, "The draft lock %s cannot be kept: %s.", path, strerror(errno));
        fd = again;
    }
    s->draft_lock_fd = fd;
    return 1;
}

int store_draft_claim(store *s, its_err *err)
{
    int rc = draft_owner(s, err);
    if (rc == 0)
        return its_fail(err, "Another kiosk or tablet program is running on the data folder %s; "
                             "close it first (two programs on one folder would share one draft).",
                        s->dir);
    return rc == 1 ? 0 : -1;
}

void store_draft_release(store *s)
{
    if (s->draft_lock_fd > 0)
        close(s->draft_lock_fd); /* closing drops the flock */
    s->draft_lock_fd = 0;
}

/* ---- the session key (I7a, I7b) ----------------------------------------------------------- */

static void key_path(const store *s, char path[STORE_PATH_MAX])
{
    store_path(path, STORE_PATH_MAX, s->dir, STORE_DRAFT_KEY_FILE);
}

static int key_shred(store *s, its_err *err);

/* Loads DIR/draft.key into s->draft_key: 1 loaded (or already), 0 there is none, -1 error. */
static int key_load(store *s, its_err *err)
{
    if (s->draft_key)
        return 1;
    char path[STORE_PATH_MAX];
    key_path(s, path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;
    if (fd < 0)
        return its_fail(err, "The draft key file %s cannot be read: %s.", path, strerror(errno));
    unsigned char *k = sodium_malloc(crypto_secretbox_KEYBYTES + 1);
    ssize_t got = k ? read(fd, k, crypto_secretbox_KEYBYTES + 1) : -1;
    close(fd);
    /* A short or all-zero file is a shredding that a crash or power cut interrupted (the zeros
     * were flushed, the unlink was not): its session is over and nothing can open its draft, so
     * finish the shredding instead of leaving the kiosk stuck on a "damaged" key. */
    if (got != crypto_secretbox_KEYBYTES || (k && sodium_is_zero(k, crypto_secretbox_KEYBYTES))) {
        sodium_free(k);
        return key_shred(s, err) == 0 ? 0 : -1;
    }
    s->draft_key = k;
    return 1;
}

/* A fresh key for a new session, written before the first draft that uses it. */
static int key_create(store *s, its_err *err)
{
    char path[STORE_PATH_MAX];
    key_path(s, path);
    unsigned char *k = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (!k)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    crypto_secretbox_keygen(k);
    if (store_file_write(path, k, crypto_secretbox_KEYBYTES, true, err) != 0) {
        sodium_free(k);
        return -1;
    }
    s->draft_key = k;
    return 0;
}

/* Overwrites the key file in place, flushes it, unlinks it and flushes the folder; forgets the
 * key in memory. A missing file is fine. */
static int key_shred(store *s, its_err *err)
{
    sodium_free(s->draft_key);
    s->draft_key = NULL;
    char path[STORE_PATH_MAX];
    key_path(s, path);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;
    int rc = 0;
    if (fd >= 0) {
        unsigned char zero[crypto_secretbox_KEYBYTES] = {0};
        ssize_t w = write(fd, zero, sizeof zero);
        if (w != (ssize_t)sizeof zero || fsync(fd) != 0)
            rc = its_fail(err, "The draft key file %s could not be overwritten: %s.", path, strerror(errno));
        close(fd);
    }
    /* removed even when the overwrite failed: then only the file system's old block remains */
    if (unlink(path) != 0 && errno != ENOENT)
        return its_fail(err, "The draft key file %s could not be removed: %s.", path, strerror(errno));
    return store_fsync_dir(s->dir, rc ? NULL : err) == 0 ? rc : -1;
}

/* Empties the WAL if no reader holds it; never waits (a worker station reading the folder must
 * not freeze the kiosk): with another reader it checkpoints what it can and leaves the rest,
 * which the shredded key keeps closed. */
static void wal_truncate(store *s)
{
    sqlite3_busy_timeout(s->db, 0);
    sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_busy_timeout(s->db, STORE_BUSY_MS_DEFAULT);
}

/* Ends the session's draft: key first (I7b), then the row, then the WAL. */
static int draft_end(store *s, bool delete_row, its_err *err)
{
    int rc = key_shred(s, err);
    if (delete_row && store_db_exec(s->db, "DELETE FROM draft", rc ? NULL : err,
                                    "The draft could not be wiped") != 0)
        rc = -1;
    wal_truncate(s);
    return rc;
}

int store_draft_wipe(store *s, its_err *err)
{
    int owner = draft_owner(s, err);
    if (owner == 0)
        return store_draft_claim(s, err);
    return owner < 0 ? -1 : draft_end(s, true, err);
}

int store_draft_after_result(store *s, its_err *err)
{
    /* The row went in the result's transaction; only the owner holds the key to shred. */
    int owner = draft_owner(s, err);
    if (owner < 0)
        return -1;
    if (owner == 0) {
        wal_truncate(s);
        return 0;
    }
    return draft_end(s, false, err);
}

/* ---- saving and offering -------------------------------------------------------------------- */

int store_draft_window_seconds(const store *s)
{
    int w = s->draft_expiry;
    if (s->mode == STORE_KIOSK && s->idle_seconds + KIOSK_COUNTDOWN_MAX < w)
        w = s->idle_seconds + KIOSK_COUNTDOWN_MAX;
    return w;
}

int store_draft_save(store *s, const unsigned char *data, size_t len, its_err *err)
{
    const char *what = "The draft was not saved";
    if (!data || len == 0 || len > DRAFT_MAX)
        return its_fail(err, "%s: it is empty or larger than 1 MiB.", what);
    int owner = draft_owner(s, err);
    if (owner <= 0)
        return owner == 0 ? store_draft_claim(s, err) : -1;
    /* The session's key: the one in memory, a resumed session's file, or a new one. */
    int have = key_load(s, err);
    if (have < 0 || (have == 0 && key_create(s, err) != 0))
        return -1;
    long long now = store_now(s);
    size_t plen = STAMP + len;
    unsigned char *plain = malloc(plen);
    unsigned char *box = malloc(plen + crypto_secretbox_MACBYTES);
    if (!plain || !box) {
        free(plain);
        free(box);
        return its_fail_code(err, ITS_E_NO_MEMORY, "%s: out of memory.", what);
    }
    for (int i = 0; i < STAMP; i++)
        plain[i] = (unsigned char)((unsigned long long)now >> (56 - 8 * i));
    memcpy(plain + STAMP, data, len);
    unsigned char nonce[crypto_secretbox_NONCEBYTES];
    randombytes_buf(nonce, sizeof nonce);
    crypto_secretbox_easy(box, plain, plen, nonce, s->draft_key);
    store_payload_free(plain, plen);

    sqlite3_stmt *st;
    int rc = store_prepare(
        s, "INSERT OR REPLACE INTO draft(slot, saved_at, nonce, box) VALUES(1, ?, ?, ?)", &st, what,
        err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_blob(st, 2, nonce, sizeof nonce, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, box, (int)(plen + crypto_secretbox_MACBYTES), SQLITE_STATIC);
        rc = store_step_done(s, st, what, err);
    }
    free(box);
    return rc;
}

/* Opens the row's box with the session key: 1 opened (*plain malloc'd, *plen), 0 there is no key
 * (a session already shredded), -1 it does not open. */
static int draft_open(store *s, sqlite3_stmt *st, unsigned char **plain, size_t *plen)
{
    size_t blen = (size_t)sqlite3_column_bytes(st, 1);
    const unsigned char *nonce = sqlite3_column_blob(st, 0);
    const unsigned char *box = sqlite3_column_blob(st, 1);
    int have = key_load(s, NULL);
    if (have == 0)
        return 0;
    if (have < 0 || sqlite3_column_bytes(st, 0) != crypto_secretbox_NONCEBYTES ||
        blen < crypto_secretbox_MACBYTES + STAMP || !(*plain = malloc(blen)))
        return -1;
    *plen = blen - crypto_secretbox_MACBYTES;
    if (crypto_secretbox_open_easy(*plain, box, blen, nonce, s->draft_key) != 0) {
        free(*plain);
        *plain = NULL;
        return -1;
    }
    return 1;
}

int store_draft_load(store *s, unsigned char **data, size_t *len, its_err *err)
{
    const char *what = "The draft could not be read";
    *data = NULL;
    *len = 0;
    int owner = draft_owner(s, err);
    if (owner <= 0)
        return owner; /* a draft whose owner is alive is not offered (I7c) */
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT nonce, box FROM draft WHERE slot = 1", &st, what, err) != 0)
        return -1;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return store_db_fail(s->db, rc, err, what);
        return draft_end(s, false, err) == 0 ? 0 : -1; /* a key left by a crash after a save */
    }
    unsigned char *plain = NULL;
    size_t plen = 0;
    int opened = draft_open(s, st, &plain, &plen);
    sqlite3_finalize(st);
    if (opened <= 0) {
        draft_end(s, true, NULL);
        if (opened == 0) /* its session ended before the row went: nothing to offer */
            return 0;
        return its_fail_code(err, ITS_E_DAMAGED,
                             "The saved draft could not be opened (damaged, or made with another "
                             "draft key); it was discarded.");
    }
    unsigned long long at = 0;
    for (int i = 0; i < STAMP; i++)
        at = (at << 8) | plain[i];
    long long age = store_now(s) - (long long)at;
    if (age > store_draft_window_seconds(s) || age < -60) {
        store_payload_free(plain, plen);
        return draft_end(s, true, err) == 0 ? 0 : -1;
    }
    memmove(plain, plain + STAMP, plen - STAMP);
    sodium_memzero(plain + plen - STAMP, STAMP); /* the moved tail's old copy */
    *data = plain;
    *len = plen - STAMP;
    return 1;
}

void store_draft_free(unsigned char *data, size_t len)
{
    store_payload_free(data, len);
}
