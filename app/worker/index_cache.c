/* index_cache.c — keeps the list index (one line per record: client, questionnaire, site, scores,
 * level, flags) in a sealed cache (store_cache_*), so that an unlock opens only the records stored
 * since the last one. A record deleted by retention simply is not listed by the store any more.
 *
 * Each line keeps the digest of the record's whole row (envelope and every clear column: id,
 * time, device, key ids, seq): a record altered since it was cached, its envelope or only a
 * clear column, no longer matches and is opened again, so tampering is still found at unlock
 * exactly as `show` finds it. The cache only saves decrypting; which records exist is always
 * read from the store (store_list, store_check_complete).
 *
 * Binary, to load 100,000 lines in milliseconds (a JSON cache took seconds to parse):
 *   "ITSLIX03" | u32 line size | u32 fingerprint length | fingerprint | u32 lines | lines
 * A line is the record's digest and its worker_entry as this build lays it out (without its
 * pointer and its links, which are recomputed); a build with another layout has another line
 * size and rebuilds. The fingerprint names the questionnaire files (id and version of each): the
 * headline score depends on them, so a changed set of files means a rebuild. */
#include "worker_int.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_NAME "list-index"
#define CACHE_MAGIC "ITSLIX03"

typedef struct cache_line {
    unsigned char digest[STORE_DIGEST_BYTES];
    worker_entry e; /* error NULL, qn and prev -1: set again on load */
} cache_line;

static size_t fingerprint(const worker_session *ws, char *out, size_t n)
{
    out[0] = '\0';
    for (int i = 0; i < ws->n_qns; i++)
        its_appendf(out, n, "%s %s\n", ws->qns[i]->id, ws->qns[i]->version);
    return strlen(out);
}

static int by_id(const void *a, const void *b)
{
    return strcmp((*(const cache_line *const *)a)->e.id, (*(const cache_line *const *)b)->e.id);
}

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Fills ws->entries[i] from its line when the digest still matches the row. */
static bool entry_from_line(const worker_session *ws, const cache_line *l, const store_record_info *r,
                            worker_entry *e)
{
    if (sodium_memcmp(l->digest, r->digest, STORE_DIGEST_BYTES) != 0 || l->e.created_at != e->created_at ||
        l->e.status != WORKER_ENTRY_OK)
        return false;
    *e = l->e;
    e->error = NULL;
    e->prev = -1;
    e->qn = worker_qn_by_id(ws, e->qid, e->qversion);
    return true;
}

int worker_cache_load(worker_session *ws, const store_record_info *info, bool *done, int *cache_size)
{
    *cache_size = 0;
    unsigned char *data;
    size_t len;
    its_err err;
    if (store_cache_read(ws->store, ws->key, CACHE_NAME, &data, &len, &err) != 1)
        return 0;
    char fp[WORKER_MAX_QNS * 80];
    size_t fp_len = fingerprint(ws, fp, sizeof fp), head = 8 + 4 + 4 + fp_len + 4;
    int found = 0;
    if (len >= head && !memcmp(data, CACHE_MAGIC, 8) && get_u32(data + 8) == sizeof(cache_line) &&
        get_u32(data + 12) == fp_len && !memcmp(data + 16, fp, fp_len) &&
        (len - head) / sizeof(cache_line) == get_u32(data + 16 + fp_len) &&
        (len - head) % sizeof(cache_line) == 0) {
        size_t n = (len - head) / sizeof(cache_line);
        cache_line *lines = malloc((n + 1) * sizeof *lines); /* an aligned copy */
        const cache_line **by = malloc((n + 1) * sizeof *by); /* the same, sorted by id */
        if (lines && by) {
            memcpy(lines, data + head, n * sizeof *lines);
            for (size_t k = 0; k < n; k++)
                by[k] = &lines[k];
            qsort(by, n, sizeof *by, by_id);
            *cache_size = (int)n;
        }
        for (int i = 0; lines && by && i < ws->n_entries; i++) {
            /* lines were saved in list order: the same position first, else by id */
            const cache_line *hit = NULL;
            if ((size_t)i < n && !strcmp(lines[i].e.id, ws->entries[i].id))
                hit = &lines[i];
            if (!hit) {
                cache_line key;
                const cache_line *kp = &key, **found_at;
                memcpy(key.e.id, ws->entries[i].id, sizeof key.e.id);
                found_at = bsearch(&kp, by, n, sizeof *by, by_id);
                hit = found_at ? *found_at : NULL;
            }
            if (hit && entry_from_line(ws, hit, &info[i], &ws->entries[i])) {
                done[i] = true;
                found++;
            }
        }
        if (lines)
            its_wipe(lines, n * sizeof *lines);
        free(lines);
        free(by);
    }
    store_payload_free(data, len);
    return found;
}

void worker_cache_save(worker_session *ws, const store_record_info *info)
{
    char fp[WORKER_MAX_QNS * 80];
    size_t fp_len = fingerprint(ws, fp, sizeof fp), head = 8 + 4 + 4 + fp_len + 4;
    uint32_t n = 0;
    for (int i = 0; i < ws->n_entries; i++)
        n += ws->entries[i].status == WORKER_ENTRY_OK;
    size_t len = head + (size_t)n * sizeof(cache_line);
    unsigned char *data = calloc(1, len); /* zeroed: the struct padding holds nothing */
    if (!data)
        return; /* a cache that cannot be written only makes the next unlock slower */
    uint32_t words[2] = {(uint32_t)sizeof(cache_line), (uint32_t)fp_len};
    memcpy(data, CACHE_MAGIC, 8);
    memcpy(data + 8, words, sizeof words);
    memcpy(data + 16, fp, fp_len);
    memcpy(data + 16 + fp_len, &n, sizeof n);
    unsigned char *out = data + head; /* lines are copied in: data + head need not be aligned */
    cache_line line;
    for (int i = 0, k = 0; i < ws->n_entries; i++) {
        if (ws->entries[i].status != WORKER_ENTRY_OK)
            continue;
        memset(&line, 0, sizeof line);
        memcpy(line.digest, info[i].digest, sizeof line.digest);
        line.e = ws->entries[i];
        line.e.error = NULL;
        line.e.qn = line.e.prev = -1;
        memcpy(out + (size_t)k++ * sizeof line, &line, sizeof line);
    }
    its_wipe(&line, sizeof line);
    its_err err;
    /* A cache that cannot be written only makes the next unlock slower: nothing to report. */
    if (store_cache_write(ws->store, ws->key, CACHE_NAME, data, len, &err) != 0) {
        /* deliberately ignored */
    }
    its_wipe(data, len);
    free(data);
}
