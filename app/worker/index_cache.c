/* index_cache.c — keeps the list index (one line per record: client, questionnaire, headline
 * score, level, flags) in a sealed cache (store_cache_*), so that an unlock opens only the
 * records stored since the last one. Records are append-only, so an id in the cache never goes
 * stale; a record deleted by retention simply is not listed by the store any more.
 *
 * Each line keeps the digest of the record's whole row (envelope and every clear column: id,
 * time, device, key ids, seq): a record altered since it was cached, its envelope or only a
 * clear column, no longer matches and is opened again, so tampering is still found at unlock
 * exactly as `show` finds it.
 *
 * The cache also names the questionnaire files it was built with (id and version of each): the
 * headline score depends on them, so a changed set of files means a rebuild. */
#include "worker_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_NAME "list-index"

static json_t *fingerprint(const worker_session *ws)
{
    json_t *arr = json_array();
    for (int i = 0; i < ws->n_qns; i++)
        json_array_append_new(arr, json_sprintf("%s %s", ws->qns[i]->id, ws->qns[i]->version));
    return arr;
}

static void digest_hex(const store_record_info *r, char out[2 * STORE_DIGEST_BYTES + 1])
{
    sodium_bin2hex(out, 2 * STORE_DIGEST_BYTES + 1, r->digest, STORE_DIGEST_BYTES);
}

static json_t *entry_json(const worker_entry *e, const store_record_info *r)
{
    char digest[2 * STORE_DIGEST_BYTES + 1];
    digest_hex(r, digest);
    json_t *scores = json_array();
    for (int i = 0; i < WORKER_MAX_SCORES; i++)
        if (e->score_ok & (1u << i))
            json_array_append_new(scores, json_pack("[i,f,f]", i, e->score_value[i], e->score_percent[i]));
    return json_pack("[s,s,I,I,s,s,s,s,o,f,i,s,s,o]", e->id, digest, e->created_at, e->completed_at,
                     e->device, e->client, e->qid, e->qversion,
                     e->has_headline ? json_real(e->headline) : json_null(), e->headline_max,
                     (int)e->level, e->flags, e->flagged_against, scores);
}

static bool entry_from_json(const worker_session *ws, json_t *a, const store_record_info *r,
                            worker_entry *e)
{
    const char *id, *digest, *device, *client, *qid, *qversion, *flags, *against;
    json_t *scores;
    json_int_t created, completed;
    json_t *headline;
    double max;
    int level;
    char now[2 * STORE_DIGEST_BYTES + 1];
    digest_hex(r, now);
    if (json_unpack(a, "[s,s,I,I,s,s,s,s,o,f,i,s,s,o]", &id, &digest, &created, &completed, &device,
                    &client, &qid, &qversion, &headline, &max, &level, &flags, &against, &scores) != 0 ||
        strcmp(id, e->id) != 0 || strcmp(digest, now) != 0 || created != e->created_at)
        return false;
    e->completed_at = completed;
    its_strlcpy(e->client, client, sizeof e->client);
    its_strlcpy(e->qid, qid, sizeof e->qid);
    its_strlcpy(e->qversion, qversion, sizeof e->qversion);
    e->has_headline = json_is_number(headline);
    e->headline = e->has_headline ? json_number_value(headline) : 0;
    e->headline_max = max;
    e->level = level == QN_LEVEL_RED      ? QN_LEVEL_RED
               : level == QN_LEVEL_YELLOW ? QN_LEVEL_YELLOW
                                          : QN_LEVEL_NONE;
    its_strlcpy(e->flags, flags, sizeof e->flags);
    its_strlcpy(e->flagged_against, against, sizeof e->flagged_against);
    e->qn = worker_qn_by_id(ws, e->qid, e->qversion);
    size_t k;
    json_t *sc;
    e->score_ok = 0;
    json_array_foreach(scores, k, sc) {
        int i;
        double value, percent;
        if (json_unpack(sc, "[i,f,f]", &i, &value, &percent) == 0 && i >= 0 && i < WORKER_MAX_SCORES) {
            e->score_value[i] = value;
            e->score_percent[i] = percent;
            e->score_ok |= 1u << i;
        }
    }
    return true;
}

static int by_id(const void *a, const void *b)
{
    const char *x = json_string_value(json_array_get(*(json_t *const *)a, 0));
    const char *y = json_string_value(json_array_get(*(json_t *const *)b, 0));
    return strcmp(x ? x : "", y ? y : "");
}

int worker_cache_load(worker_session *ws, const store_record_info *info, bool *done, int *cache_size)
{
    *cache_size = 0;
    unsigned char *data;
    size_t len;
    its_err err;
    if (store_cache_read(ws->store, ws->key, CACHE_NAME, &data, &len, &err) != 1)
        return 0;
    json_t *doc = json_loadb((const char *)data, len, 0, NULL);
    store_payload_free(data, len);
    json_t *fp = fingerprint(ws), *entries = json_object_get(doc, "entries");
    int found = 0;
    if (json_equal(fp, json_object_get(doc, "questionnaires")) && json_is_array(entries)) {
        size_t n = json_array_size(entries);
        *cache_size = (int)n;
        json_t **sorted = malloc((n + 1) * sizeof *sorted);
        for (size_t i = 0; sorted && i < n; i++)
            sorted[i] = json_array_get(entries, i);
        if (sorted)
            qsort(sorted, n, sizeof *sorted, by_id);
        for (int i = 0; sorted && i < ws->n_entries; i++) {
            json_t *key = json_pack("[s]", ws->entries[i].id);
            json_t **hit = bsearch(&key, sorted, n, sizeof *sorted, by_id);
            json_decref(key);
            if (hit && entry_from_json(ws, *hit, &info[i], &ws->entries[i])) {
                done[i] = true;
                found++;
            }
        }
        free(sorted);
    }
    json_decref(fp);
    worker_doc_wipe(doc);
    return found;
}

void worker_cache_save(worker_session *ws, const store_record_info *info)
{
    json_t *entries = json_array();
    for (int i = 0; i < ws->n_entries; i++)
        if (ws->entries[i].status == WORKER_ENTRY_OK)
            json_array_append_new(entries, entry_json(&ws->entries[i], &info[i]));
    json_t *doc = json_pack("{s:i,s:o,s:o}", "format", 1, "questionnaires", fingerprint(ws),
                            "entries", entries);
    char *text = json_dumps(doc, JSON_COMPACT);
    its_err err;
    /* A cache that cannot be written only makes the next unlock slower: nothing to report. */
    if (text && store_cache_write(ws->store, ws->key, CACHE_NAME, (const unsigned char *)text,
                                  strlen(text), &err) != 0) {
        /* deliberately ignored */
    }
    if (text) {
        its_wipe(text, strlen(text));
        free(text);
    }
    worker_doc_wipe(doc);
}
