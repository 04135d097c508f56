/* worker_int.h — what the worker modules share inside its_worker (not for the UI). */
#ifndef ITS_WORKER_INT_H
#define ITS_WORKER_INT_H

#include <jansson.h>

#include "worker.h"

#define WORKER_MAX_QNS 32

struct worker_session {
    char *dir;
    char *data;
    char lang[8];
    words_catalogue *words; /* DATA/locale: every word the worker reads */
    store *store;
    store_key *key;
    qn *qns[WORKER_MAX_QNS];
    int n_qns;
    worker_entry *entries;
    int n_entries;
    int threads; /* worker_open_opts.threads */
    double unlock_seconds, index_seconds;
};

typedef void (*worker_slice_fn)(worker_session *ws, int first, int step, void *ctx);
/* Runs slice(ws, t, threads, ctx) for t = 0 .. threads-1 in parallel (ws->threads; 0: one per
 * processor; one thread when todo is small): each slice takes every threads-th item from t. */
void worker_parallel(worker_session *ws, int todo, worker_slice_fn slice, void *ctx);
/* Index of the loaded questionnaire with this id and version; with another version (or NULL) the
 * version in use; -1 when no file has the id. */
int worker_qn_by_id(const worker_session *ws, const char *id, const char *version);
/* The first whole-instrument score of q, or -1. */
int worker_headline_score(const qn *q);
/* The space-separated words of `a` that are not in `b` (rule ids), into out. */
void worker_words_not_in(const char *a, const char *b, char *out, size_t n);
/* The top of a score's range: a sum score's divisor, a single item's scale maximum, else 100. */
double worker_score_max(const qn *q, int score, const json_t *stored);
/* "2025-03-04T10:09:00Z" to seconds since 1970 UTC; -1 if not such a time. */
long long worker_parse_iso(const char *s);

/* Opens and parses one record (decrypted bytes wiped before return); free with worker_doc_wipe. */
int worker_open_doc(worker_session *ws, const worker_entry *e, json_t **doc, its_err *err);
/* Overwrites the values of a parsed payload and releases it; NULL is fine. */
void worker_doc_wipe(json_t *doc);

/* Fills e->level and e->flags from a result document. */
void worker_entry_flags(worker_entry *e, const json_t *doc);
/* Fills e->score_value/percent/ok from a result's "scores" object (e->qn must be set). */
void worker_entry_scores(const worker_session *ws, worker_entry *e, const json_t *scores);

/* reflag.c: links each entry to the same client's previous assessment (e->prev) and evaluates
 * again, against it, the flags of every record whose previous changed (rules such as "worse than
 * last time", which the kiosk cannot evaluate). */
int worker_reflag_all(worker_session *ws); /* returns how many entries were flagged again */
/* Re-evaluates the flags of an opened record against e->prev, in place ("flags", "level"). */
int worker_reflag_doc(const worker_session *ws, const worker_entry *e, json_t *doc, its_err *err);

/* The sealed list-index cache (index_cache.c): load marks done[i] for every entry it filled and
 * returns how many (*cache_size: how many lines the cache held); save writes the readable entries. */
int worker_cache_load(worker_session *ws, const store_record_info *info, bool *done, int *cache_size);
void worker_cache_save(worker_session *ws, const store_record_info *info);

#endif
