/* complete.c — are all records there? Missing records (a sequence gap, a deleted row) and a
 * rolled-back database (an older store.db put back), told from what the folder itself says and
 * from what the worker saw before.
 *
 * Per device and kind (records, notes), the numbers 1 .. highest must each be either a row
 * (records.seq / notes.seq) or a signed "retire" audit entry (retention). The highest comes from
 * the rows, the signed "save" and "retire" entries, this device's own counter in meta, and,
 * with a worker key, the worker-side memory: a file sealed with a key derived from the unlocked
 * key (store_cache_*), holding the audit head and the highest seq per device seen at the last
 * unlock. A number below that memory's and gone now is a rollback; a "save" entry names the id.
 * The memory only grows: a damaged or rolled-back folder keeps being reported. */
#include "store_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define SEEN_CACHE "seen"
#define SEQ_LIMIT 50000000LL /* a larger number is itself damage: never walked */

enum { HAS_ROW = 1, HAS_RETIRE = 2, HAS_SAVE = 4 };

typedef struct item {
    char kind; /* 'r' record, 'n' note */
    char device[STORE_DEVICE_MAX + 1];
    long long seq;
    char id[37];
    long long at; /* save entries: when it was saved */
    int how;
} item;

typedef struct items {
    item *v;
    int n, cap;
} items;

typedef struct damages {
    store_damage *v;
    int n, cap;
} damages;

/* Room for one more element of a growing array: the array (perhaps moved), NULL without memory. */
static void *array_room(void *v, int n, int *cap, size_t elem)
{
    if (n < *cap)
        return v;
    int bigger_cap = *cap ? *cap * 2 : 64;
    void *bigger = realloc(v, (size_t)bigger_cap * elem);
    if (bigger)
        *cap = bigger_cap;
    return bigger;
}

static item *items_add(items *a)
{
    item *v = array_room(a->v, a->n, &a->cap, sizeof *v);
    if (!v)
        return NULL;
    a->v = v;
    memset(&v[a->n], 0, sizeof *v);
    return &v[a->n++];
}

static store_damage *damage_add(damages *d, const char *device, long long seq, const char *id)
{
    store_damage *v = array_room(d->v, d->n, &d->cap, sizeof *v);
    if (!v)
        return NULL;
    d->v = v;
    store_damage *x = &v[d->n++];
    memset(x, 0, sizeof *x);
    its_strlcpy(x->device, device ? device : "", sizeof x->device);
    its_strlcpy(x->id, id ? id : "", sizeof x->id);
    x->seq = seq;
    return x;
}

/* "record|note ID seq N device D" (the details of save and retire entries) into it. */
static bool parse_detail(const char *detail, item *it)
{
    const char *p = detail;
    if (!strncmp(p, "record ", 7))
        it->kind = 'r', p += 7;
    else if (!strncmp(p, "note ", 5))
        it->kind = 'n', p += 5;
    else
        return false;
    if (strlen(p) < STORE_UUID_LEN + 5 || strncmp(p + STORE_UUID_LEN, " seq ", 5))
        return false;
    memcpy(it->id, p, STORE_UUID_LEN);
    it->id[STORE_UUID_LEN] = '\0';
    char *end;
    it->seq = strtoll(p + STORE_UUID_LEN + 5, &end, 10);
    if (strncmp(end, " device ", 8) || it->seq < 1)
        return false;
    its_strlcpy(it->device, end + 8, sizeof it->device);
    return it->device[0] != '\0';
}

static int collect_audit(store *s, items *a, its_err *err)
{
    store_audit_entry *log = NULL;
    int n = 0;
    if (store_audit_list(s, &log, &n, err) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        bool save = !strcmp(log[i].event, "save"), retire = !strcmp(log[i].event, "retire");
        item it;
        memset(&it, 0, sizeof it);
        if (!(save || retire) || !parse_detail(log[i].detail, &it))
            continue;
        it.how = save ? HAS_SAVE : HAS_RETIRE;
        it.at = log[i].at;
        item *slot = items_add(a);
        if (!slot) {
            free(log);
            return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory while checking the records.");
        }
        *slot = it;
    }
    free(log);
    return 0;
}

static void fill_row(sqlite3_stmt *st, void *p)
{
    item *it = p;
    memset(it, 0, sizeof *it);
    const char *kind = (const char *)sqlite3_column_text(st, 0);
    const char *id = (const char *)sqlite3_column_text(st, 1);
    const char *dev = (const char *)sqlite3_column_text(st, 2);
    it->kind = kind ? kind[0] : 'r';
    its_strlcpy(it->id, id ? id : "", sizeof it->id);
    its_strlcpy(it->device, dev ? dev : "", sizeof it->device);
    it->seq = sqlite3_column_int64(st, 3);
    it->how = HAS_ROW;
}

static int collect_rows(store *s, items *a, its_err *err)
{
    const char *what = "The records could not be checked";
    sqlite3_stmt *st;
    if (store_prepare(s,
                      "SELECT 'r', id, device, seq FROM records WHERE seq IS NOT NULL UNION ALL "
                      "SELECT 'n', id, device, seq FROM notes WHERE seq IS NOT NULL",
                      &st, what, err) != 0)
        return -1;
    void *v = NULL;
    int n = 0;
    if (store_collect(s, st, sizeof(item), fill_row, &v, &n, what, err) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        item *slot = items_add(a);
        if (!slot) {
            free(v);
            return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory while checking the records.");
        }
        *slot = ((item *)v)[i];
    }
    free(v);
    return 0;
}

static int by_group_seq(const void *x, const void *y)
{
    const item *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = strcmp(a->device, b->device);
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ---- the worker-side memory ------------------------------------------------------------- */

static void group_key(char *out, size_t n, char kind, const char *device)
{
    snprintf(out, n, "%c %s", kind, device);
}

static long long memory_max(json_t *mem, char kind, const char *device)
{
    char k[80];
    group_key(k, sizeof k, kind, device);
    return (long long)json_integer_value(json_object_get(json_object_get(mem, "max"), k));
}

static void memory_raise(json_t *mem, char kind, const char *device, long long v)
{
    char k[80];
    group_key(k, sizeof k, kind, device);
    json_t *max = json_object_get(mem, "max");
    if (v > (long long)json_integer_value(json_object_get(max, k)))
        json_object_set_new(max, k, json_integer((json_int_t)v));
}

static json_t *memory_load(store *s, const store_key *key)
{
    unsigned char *data = NULL;
    size_t len = 0;
    json_t *mem = NULL;
    if (key && store_cache_read(s, key, SEEN_CACHE, &data, &len, NULL) == 1)
        mem = json_loadb((const char *)data, len, 0, NULL);
    store_payload_free(data, len);
    if (!json_is_object(mem) || !json_is_object(json_object_get(mem, "max"))) {
        json_decref(mem);
        mem = json_pack("{s:i,s:I,s:s,s:{}}", "format", 1, "head_seq", (json_int_t)0, "head_hash", "", "max");
    }
    return mem;
}

/* ---- the walk ----------------------------------------------------------------------------- */

static const char *kind_word(char kind, bool plural)
{
    return kind == 'n' ? (plural ? "Notes" : "Note") : (plural ? "Records" : "Record");
}

/* Reports seq first..last of one group as missing: one entry per number whose id a save entry
 * names, one per run of unnamed numbers. `rolled_back`: known only from the worker's memory. */
static int report_run(damages *d, char kind, const char *device, long long first, long long last,
                      bool rolled_back)
{
    store_damage *x = damage_add(d, device, first, NULL);
    if (!x)
        return -1;
    const char *why = rolled_back ? "this worker saw them before: an older store.db was put back (rolled "
                                    "back) or they were deleted"
                                  : "their numbers have a gap that retention did not make";
    if (first == last)
        snprintf(x->what, sizeof x->what, "%s seq %lld of device %s is missing: %s.", kind_word(kind, false),
                 first, device, why);
    else
        snprintf(x->what, sizeof x->what, "%s seq %lld to %lld of device %s are missing: %s.",
                 kind_word(kind, true), first, last, device, why);
    return 0;
}

static int report_named(damages *d, const item *it)
{
    store_damage *x = damage_add(d, it->device, it->seq, it->id);
    if (!x)
        return -1;
    x->at = it->at;
    snprintf(x->what, sizeof x->what,
             "%s %s (seq %lld of device %s) is missing: it was saved, its row is gone and retention did not "
             "delete it.", kind_word(it->kind, false), it->id, it->seq, it->device);
    return 0;
}

/* One group (kind, device) = v[0..n-1], sorted by seq. */
static int walk_group(store *s, const item *v, int n, json_t *mem, damages *d)
{
    char kind = v[0].kind;
    const char *device = v[0].device;
    long long here = v[n - 1].seq; /* the highest this folder knows of */
    long long counter = 0;
    if (!strcmp(device, s->device) &&
        store_meta_get(s, kind == 'n' ? "next_note_seq" : "next_record_seq", 1, &counter, NULL) == 0 &&
        counter - 1 > here)
        here = counter - 1;
    long long seen = memory_max(mem, kind, device), top = here > seen ? here : seen;
    if (top > SEQ_LIMIT) {
        store_damage *x = damage_add(d, device, top, NULL);
        if (x)
            snprintf(x->what, sizeof x->what, "The sequence numbers of device %s are damaged (%lld).", device,
                     top);
        return x ? 0 : -1;
    }
    long long run = 0;
    int k = 0;
    for (long long q = 1; q <= top + 1; q++) {
        int how = 0;
        const item *named = NULL;
        for (; k < n && v[k].seq == q; k++) {
            how |= v[k].how;
            if (v[k].id[0] && (v[k].how & HAS_SAVE))
                named = &v[k];
        }
        bool missing = q <= top && !(how & (HAS_ROW | HAS_RETIRE));
        bool unnamed_gap = missing && !named;
        /* A run of unnamed numbers ends where the number is present, named, or past `here`. */
        if (run && (!unnamed_gap || (q > here) != (run > here))) {
            if (report_run(d, kind, device, run, q - 1, run > here) != 0)
                return -1;
            run = 0;
        }
        if (unnamed_gap && !run)
            run = q;
        if (missing && named && report_named(d, named) != 0)
            return -1;
    }
    memory_raise(mem, kind, device, top);
    return 0;
}

/* The audit head against the worker's memory: a shorter or different log is a rollback. */
static int check_head(store *s, json_t *mem, damages *d, its_err *err)
{
    long long seq = 0;
    unsigned char hash[crypto_generichash_BYTES], sig[crypto_sign_BYTES];
    if (store_audit_head(s, &seq, hash, sig, err) != 0)
        return -1;
    long long seen = (long long)json_integer_value(json_object_get(mem, "head_seq"));
    const char *seen_b64 = json_string_value(json_object_get(mem, "head_hash"));
    unsigned char seen_hash[crypto_generichash_BYTES], at[crypto_generichash_BYTES];
    int rc = 0;
    if (seen > 0 && store_b64_decode(seen_b64, seen_hash, sizeof seen_hash) == 0) {
        store_damage *x = NULL;
        if (seen > seq && (x = damage_add(d, s->device, seen, NULL)))
            snprintf(x->what, sizeof x->what,
                     "The audit log ends at entry %lld, but this worker saw entry %lld before: an older "
                     "store.db was put back (rolled back) or entries were removed.", seq, seen);
        else if (seen <= seq && (store_audit_hash_at(s, seen, at) != 0 ||
                                 sodium_memcmp(at, seen_hash, sizeof at) != 0) &&
                 (x = damage_add(d, s->device, seen, NULL)))
            snprintf(x->what, sizeof x->what,
                     "Audit entry %lld is not the one this worker saw before: the log was rewritten or an "
                     "older store.db was put back.", seen);
        rc = x ? 1 : 0;
    }
    if (rc == 0) { /* the memory moves on only from a head that agrees with it */
        char b64[64];
        store_b64_encode(hash, sizeof hash, b64, sizeof b64);
        json_object_set_new(mem, "head_seq", json_integer((json_int_t)seq));
        json_object_set_new(mem, "head_hash", json_string(b64));
    }
    return 0;
}

int store_check_complete(store *s, const store_key *key, store_damage **out, int *n_out, its_err *err)
{
    *out = NULL;
    *n_out = 0;
    items a = {0};
    damages d = {0};
    json_t *mem = memory_load(s, key);
    int rc = collect_rows(s, &a, err) == 0 && collect_audit(s, &a, err) == 0 ? 0 : -1;
    if (rc == 0 && !mem)
        rc = its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory while checking the records.");
    if (rc == 0 && a.n)
        qsort(a.v, (size_t)a.n, sizeof *a.v, by_group_seq);
    for (int i = 0; rc == 0 && i < a.n;) {
        int j = i;
        while (j < a.n && a.v[j].kind == a.v[i].kind && !strcmp(a.v[j].device, a.v[i].device))
            j++;
        if (walk_group(s, a.v + i, j - i, mem, &d) != 0)
            rc = its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory while checking the records.");
        i = j;
    }
    if (rc == 0 && key)
        rc = check_head(s, mem, &d, err);
    free(a.v);
    if (rc == 0 && key) {
        char *text = json_dumps(mem, JSON_COMPACT);
        its_err ignored;
        if (text && store_cache_write(s, key, SEEN_CACHE, (const unsigned char *)text, strlen(text),
                                      &ignored) != 0) {
            /* a memory that cannot be written only weakens the next check: not a failure here */
        }
        free(text);
    }
    json_decref(mem);
    if (rc != 0) {
        free(d.v);
        return -1;
    }
    *out = d.v;
    *n_out = d.n;
    return 0;
}
