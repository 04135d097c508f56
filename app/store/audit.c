/* audit.c — the append-only, hash-chained audit log and its verification.
 *
 * Entry n stores prev = hash of entry n-1 (32 zero bytes for the first) and
 *   hash = BLAKE2b-256(prev || at as 8 bytes big-endian || u32 len || event || u32 len || detail).
 * Invariant I8: entries are only ever appended inside a write transaction (BEGIN IMMEDIATE), so
 * two processes cannot both chain onto the same head; triggers refuse UPDATE and DELETE. The
 * sequence number is not hashed: a renumbered row breaks the prev link instead, which is how a
 * reordering is told apart from an edit.
 *
 * The chain is keyed by signatures (invariant I14): each entry also stores the device's Ed25519
 * signature over its head, the text "itsearvio-audit-head-v1\n<device>\n<seq>\n<hash b64>\n"
 * (docs/fleet-protocol.md section 5, so the newest entry's signature is the head a fleet upload
 * sends). Whoever edits an entry and recomputes every later hash cannot sign them without the
 * device key; entries older than signatures have none and may only come first. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#define HASH_BYTES crypto_generichash_BYTES

static void put_be(unsigned char *b, unsigned long long v, int n)
{
    for (int i = 0; i < n; i++)
        b[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

void store_audit_hash(const unsigned char prev[HASH_BYTES], long long at, const char *event,
                      const char *detail, unsigned char out[HASH_BYTES])
{
    crypto_generichash_state st;
    unsigned char num[8];
    crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
    crypto_generichash_update(&st, prev, HASH_BYTES);
    put_be(num, (unsigned long long)at, 8);
    crypto_generichash_update(&st, num, 8);
    const char *parts[2] = {event, detail};
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(parts[i]);
        put_be(num, n, 4);
        crypto_generichash_update(&st, num, 4);
        crypto_generichash_update(&st, (const unsigned char *)parts[i], n);
    }
    crypto_generichash_final(&st, out, HASH_BYTES);
}

/* The bytes a device signs for the head of its chain at entry seq. */
static size_t head_text(char *out, size_t n, const char *device, long long seq,
                        const unsigned char hash[HASH_BYTES])
{
    char b64[64];
    store_b64_encode(hash, HASH_BYTES, b64, sizeof b64);
    int len = snprintf(out, n, "itsearvio-audit-head-v1\n%s\n%lld\n%s\n", device, seq, b64);
    return len < 0 ? 0 : (size_t)len < n ? (size_t)len : n - 1;
}

int store_audit_append(store *s, const char *event, const char *detail, its_err *err)
{
    const char *what = "The audit log could not be written";
    unsigned char prev[HASH_BYTES] = {0}, hash[HASH_BYTES], sig[crypto_sign_BYTES];
    const unsigned char *sk;
    sqlite3_stmt *st;
    if (store_tx_sign_key(s, &sk, err) != 0 ||
        store_prepare(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st, what, err) != 0)
        return -1;
    int rc = sqlite3_step(st);
    long long seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) + 1 : 1;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == HASH_BYTES)
        memcpy(prev, sqlite3_column_blob(st, 1), HASH_BYTES);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s->db, rc, err, what);
    long long at = store_now(s);
    store_audit_hash(prev, at, event, detail, hash);
    char text[256];
    size_t tlen = head_text(text, sizeof text, s->device, seq, hash);
    crypto_sign_detached(sig, NULL, (const unsigned char *)text, tlen, sk);
    if (store_prepare(s,
                      "INSERT INTO audit(seq, at, event, detail, prev, hash, sig) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?)",
                      &st, what, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, event, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, prev, HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, hash, HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, sig, sizeof sig, SQLITE_STATIC);
    return store_step_done(s, st, what, err);
}

int store_audit_signed(store *s, long long seq, const unsigned char hash[HASH_BYTES],
                       const unsigned char sig[crypto_sign_BYTES])
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    its_err ignored;
    if (store_device_pinned(s, s->device, pk, &ignored) != 1)
        return 0;
    char text[256];
    size_t tlen = head_text(text, sizeof text, s->device, seq, hash);
    return crypto_sign_verify_detached(sig, (const unsigned char *)text, tlen, pk) == 0;
}

int store_audit_hash_at(store *s, long long seq, unsigned char out[HASH_BYTES])
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT hash FROM audit WHERE seq = ?", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, seq);
    int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == HASH_BYTES;
    if (found)
        memcpy(out, sqlite3_column_blob(st, 0), HASH_BYTES);
    sqlite3_finalize(st);
    return found ? 0 : -1;
}

int store_audit_head(store *s, long long *seq, unsigned char hash[32], unsigned char sig[64], its_err *err)
{
    const char *what = "The audit log could not be read";
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT seq, hash, sig FROM audit ORDER BY seq DESC LIMIT 1", &st, what, err) != 0)
        return -1;
    int rc = sqlite3_step(st);
    bool ok = rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == HASH_BYTES &&
              sqlite3_column_bytes(st, 2) == crypto_sign_BYTES;
    if (ok) {
        *seq = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_blob(st, 1), HASH_BYTES);
        memcpy(sig, sqlite3_column_blob(st, 2), crypto_sign_BYTES);
    }
    sqlite3_finalize(st);
    if (ok)
        return 0;
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? its_fail(err, "The audit log has no signed entry yet; open the folder once on the device.")
               : store_db_fail(s->db, rc, err, what);
}

typedef struct audit_args {
    const char *event, *detail;
} audit_args;

static int audit_body(store *s, void *p, const char *what, its_err *err)
{
    audit_args *a = p;
    return store_audit_append(s, a->event, a->detail, err);
}

int store_audit(store *s, const char *event, const char *detail, its_err *err)
{
    if (!detail)
        detail = "";
    size_t n = event ? strlen(event) : 0;
    if (n == 0 || n >= sizeof((store_audit_entry *)0)->event ||
        strspn(event, "abcdefghijklmnopqrstuvwxyz_") != n)
        return its_fail(err, "An audit event name is 1 to 31 lower-case letters or '_'.");
    if (strlen(detail) >= sizeof ((store_audit_entry *)0)->detail)
        return its_fail(err, "An audit detail is at most 255 characters.");
    audit_args a = {event, detail};
    return store_tx(s, audit_body, &a, "The audit log could not be written", err);
}

/* ---- reading and verifying ----------------------------------------------------------------- */

typedef struct row {
    store_audit_entry e;
    unsigned char prev[HASH_BYTES], hash[HASH_BYTES], sig[crypto_sign_BYTES];
    bool sizes_ok;
    bool has_sig;
} row;

static void fill_row(sqlite3_stmt *st, void *p)
{
    row *r = p;
    memset(r, 0, sizeof *r);
    r->e.seq = sqlite3_column_int64(st, 0);
    r->e.at = sqlite3_column_int64(st, 1);
    const char *ev = (const char *)sqlite3_column_text(st, 2);
    const char *de = (const char *)sqlite3_column_text(st, 3);
    its_strlcpy(r->e.event, ev ? ev : "", sizeof r->e.event);
    its_strlcpy(r->e.detail, de ? de : "", sizeof r->e.detail);
    r->sizes_ok = sqlite3_column_bytes(st, 4) == HASH_BYTES && sqlite3_column_bytes(st, 5) == HASH_BYTES &&
                  (!ev || strlen(ev) < sizeof r->e.event) && (!de || strlen(de) < sizeof r->e.detail);
    if (r->sizes_ok) {
        memcpy(r->prev, sqlite3_column_blob(st, 4), HASH_BYTES);
        memcpy(r->hash, sqlite3_column_blob(st, 5), HASH_BYTES);
    }
    r->has_sig = sqlite3_column_bytes(st, 6) == crypto_sign_BYTES;
    if (r->has_sig)
        memcpy(r->sig, sqlite3_column_blob(st, 6), crypto_sign_BYTES);
}

static int load_rows(store *s, row **out, int *n, its_err *err)
{
    const char *what = "The audit log could not be read";
    sqlite3_stmt *st;
    if (store_prepare(s, "SELECT seq, at, event, detail, prev, hash, sig FROM audit ORDER BY seq", &st,
                      what, err) != 0)
        return -1;
    void *v = NULL;
    int rc = store_collect(s, st, sizeof **out, fill_row, &v, n, what, err);
    *out = v;
    return rc;
}

int store_audit_list(store *s, store_audit_entry **out, int *n, its_err *err)
{
    row *rows;
    if (load_rows(s, &rows, n, err) != 0)
        return -1;
    store_audit_entry *v = malloc((size_t)(*n > 0 ? *n : 1) * sizeof *v);
    if (!v) {
        free(rows);
        return its_fail_code(err, ITS_E_NO_MEMORY, "The audit log could not be read: out of memory.");
    }
    for (int i = 0; i < *n; i++)
        v[i] = rows[i].e;
    free(rows);
    *out = v;
    return 0;
}

/* Returns 0 when rows[i] follows rows[i-1] correctly; otherwise 1, with what is wrong in what[]
 * and the number of the entry at fault (a removed one for a gap) in *bad. */
static int check_row(const row *rows, int n, int i, char *what, size_t what_len, int *bad)
{
    static const unsigned char zero[HASH_BYTES];
    const row *r = &rows[i];
    unsigned char h[HASH_BYTES];
    if (r->sizes_ok)
        store_audit_hash(r->prev, r->e.at, r->e.event, r->e.detail, h);
    if (!r->sizes_ok || sodium_memcmp(h, r->hash, HASH_BYTES) != 0) {
        snprintf(what, what_len, "entry %lld (%s) was edited: its contents do not match its hash", r->e.seq,
                 r->e.event);
        *bad = (int)r->e.seq;
        return 1;
    }
    long long want_seq = i == 0 ? 1 : rows[i - 1].e.seq + 1;
    const unsigned char *want_prev = i == 0 ? zero : rows[i - 1].hash;
    if (sodium_memcmp(r->prev, want_prev, HASH_BYTES) == 0) {
        if (r->e.seq == want_seq)
            return 0;
        snprintf(what, what_len, "entry %lld is numbered out of sequence (expected %lld)", r->e.seq,
                 want_seq);
        *bad = (int)r->e.seq;
        return 1;
    }
    /* The link is broken: find the entry this one was written after. */
    for (int j = i + 1; j < n; j++)
        if (sodium_memcmp(r->prev, rows[j].hash, HASH_BYTES) == 0) {
            snprintf(what, what_len,
                     "entry %lld is out of order: it was written after entry %lld (reordered)",
                     r->e.seq, rows[j].e.seq);
            *bad = (int)r->e.seq;
            return 1;
        }
    if (r->e.seq > want_seq) {
        if (r->e.seq == want_seq + 1)
            snprintf(what, what_len, "entry %lld is missing (removed) before entry %lld", want_seq, r->e.seq);
        else
            snprintf(what, what_len, "entries %lld to %lld are missing (removed) before entry %lld", want_seq,
                     r->e.seq - 1, r->e.seq);
        *bad = (int)want_seq;
        return 1;
    }
    if (i == 0)
        snprintf(what, what_len,
                 "entry %lld does not start the chain: earlier entries were removed", r->e.seq);
    else
        snprintf(what, what_len,
                 "entry %lld does not follow entry %lld: an entry between them was removed or "
                 "entry %lld was rewritten",
                 r->e.seq, rows[i - 1].e.seq, rows[i - 1].e.seq);
    *bad = (int)r->e.seq;
    return 1;
}

/* With the chain intact: 0 when every entry from the first signed one on carries a valid
 * signature of this folder's device key; otherwise 1 and what[] names the first entry that
 * does not (an unsigned entry there, or one re-hashed by someone without the key). */
static int check_signatures(store *s, const row *rows, int n, char *what, size_t what_len, int *bad,
                            its_err *err)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    int pinned = store_device_pinned(s, s->device, pk, err);
    if (pinned < 0)
        return -1;
    bool signing = false;
    for (int i = 0; i < n; i++) {
        const row *r = &rows[i];
        char text[256];
        size_t tlen = head_text(text, sizeof text, s->device, r->e.seq, r->hash);
        if (!r->has_sig && !signing)
            continue; /* written before signatures */
        signing = true;
        if (!r->has_sig || !pinned ||
            crypto_sign_verify_detached(r->sig, (const unsigned char *)text, tlen, pk) != 0) {
            snprintf(what, what_len,
                     "entry %lld (%s) %s: the log was rewritten from there by someone without the device key",
                     r->e.seq, r->e.event,
                     !r->has_sig ? "is not signed" : !pinned ? "cannot be checked (no pinned device key)"
                                                           : "is not signed by this device's key");
            *bad = (int)r->e.seq;
            return 1;
        }
    }
    return 0;
}

int store_audit_verify(store *s, int *entries, int *bad_entry, char *what, size_t what_len, its_err *err)
{
    row *rows;
    int n;
    if (load_rows(s, &rows, &n, err) != 0)
        return -1;
    int result = 0;
    if (entries)
        *entries = n;
    if (bad_entry)
        *bad_entry = 0;
    for (int i = 0; i < n && result == 0; i++) {
        int bad = 0;
        result = check_row(rows, n, i, what, what_len, &bad);
        if (result && bad_entry)
            *bad_entry = bad;
    }
    if (result == 0) {
        int bad = 0;
        result = check_signatures(s, rows, n, what, what_len, &bad, err);
        if (result == 1 && bad_entry)
            *bad_entry = bad;
    }
    if (result == 0 && what_len > 0)
        snprintf(what, what_len, "%d entries, chain intact and signed", n);
    free(rows);
    return result;
}
