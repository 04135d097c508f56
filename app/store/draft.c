/* draft.c — the one current draft of this device, encrypted with the device-local draft key.
 *
 * Invariant I7: a draft row holds only secretbox(saved-at || the UI's snapshot) under the
 * draft key (DIR/draft.key, 0600). It is offered back only while now - saved-at is within the
 * configured expiry (the saved-at inside the box counts, not the clear column); an expired or
 * unreadable draft is deleted when found, and store_save_result deletes the draft in the
 * transaction that stores the result. secure_delete is on, so deleted rows are zeroed in the
 * database file; a checkpoint follows each wipe so the WAL does not keep the old pages. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#define DRAFT_MAX (1024 * 1024)
#define STAMP 8

int store_draft_wipe(store *s, its_err *err)
{
    if (store_db_exec(s->db, "DELETE FROM draft", err, "The draft could not be wiped") != 0)
        return -1;
    sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return 0;
}

int store_draft_save(store *s, const unsigned char *data, size_t len, its_err *err)
{
    const char *what = "The draft was not saved";
    if (!data || len == 0 || len > DRAFT_MAX)
        return its_fail(err, "%s: it is empty or larger than 1 MiB.", what);
    if (store_draft_key_load(s, err) != 0)
        return -1;
    long long now = store_now(s);
    size_t plen = STAMP + len;
    unsigned char *plain = malloc(plen);
    unsigned char *box = malloc(plen + crypto_secretbox_MACBYTES);
    if (!plain || !box) {
        free(plain);
        free(box);
        return its_fail(err, "%s: out of memory.", what);
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

int store_draft_load(store *s, unsigned char **data, size_t *len, its_err *err)
{
    const char *what = "The draft could not be read";
    *data = NULL;
    *len = 0;
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT nonce, box FROM draft WHERE slot = 1", &st, what, err) != 0)
        return -1;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : store_db_fail(s->db, rc, err, what);
    }
    size_t blen = (size_t)sqlite3_column_bytes(st, 1);
    const unsigned char *nonce = sqlite3_column_blob(st, 0);
    const unsigned char *box = sqlite3_column_blob(st, 1);
    unsigned char *plain = NULL;
    int opened = sqlite3_column_bytes(st, 0) == crypto_secretbox_NONCEBYTES &&
                 blen >= crypto_secretbox_MACBYTES + STAMP && store_draft_key_load(s, err) == 0 &&
                 (plain = malloc(blen)) != NULL &&
                 crypto_secretbox_open_easy(plain, box, blen, nonce, s->draft_key) == 0;
    sqlite3_finalize(st);
    size_t plen = blen - crypto_secretbox_MACBYTES;
    if (!opened) {
        free(plain);
        store_draft_wipe(s, NULL);
        return its_fail(err, "The saved draft could not be opened (damaged, or made with another draft key); "
                             "it was discarded.");
    }
    unsigned long long at = 0;
    for (int i = 0; i < STAMP; i++)
        at = (at << 8) | plain[i];
    long long age = store_now(s) - (long long)at;
    if (age > s->draft_expiry || age < -60) {
        store_payload_free(plain, plen);
        return store_draft_wipe(s, err) == 0 ? 0 : -1;
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
