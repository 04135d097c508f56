/* result.h — a scored assessment as one JSON document: the payload that the store seals and the
 * worker side opens, and what `itsearvio score` prints.
 *
 * Shape (documented in docs/result-format.md):
 *   {"format": 2, "questionnaire": {"id", "version", "rules_version"}, "lang": "fi",
 *    "client": "…", "started": "…", "completed": "…", "consent": {"research": "yes"},
 *    "assisted": {"worker_key": "…"}, "answers": {…},
 *    "scores": {"overall": {"status": "ok", "value": 40.566, "method": "recode", "item_set": "36",
 *               "imputed": [], "divisor": 106, "sum": 43},
 *               "mind": {"status": "not_scored", "reason": "3 answers missing (…); at most 2 allowed",
 *                        "why": {"code": "too_many_missing", "args": ["3", "S1, S3, S5", "2"]}}, …},
 *    "flags": [{"rule": "R1", "level": "red", "reason": "…", "evidence": […]}],
 *    "level": "red"}  */
#ifndef ITS_RESULT_H
#define ITS_RESULT_H

#include "flags.h"
#include "words.h"

typedef struct result_meta {
    const char *client;     /* client code or pickup code; may be NULL */
    const char *started;    /* ISO 8601 UTC */
    const char *completed;
    const char *device;
    const char *research;    /* "yes" / "no": the client's research consent; NULL not asked */
    const char *assisted_by; /* a worker entered the answers with the client: the worker key's
                              * fingerprint; NULL the client answered alone */
} result_meta;

/* Scores the session, evaluates flags against `prev` and builds the payload (json_t*, new
 * reference). Returns NULL with a message only when out of memory. */
void *result_build(const qn_session *s, const result_meta *meta,
                   const flag_previous *prev, int n_prev, int lang, its_err *err);

/* Reads the score values of an earlier payload (json_t*) into prev[0..max-1]; returns count.
 * The strings point into `payload`, which must outlive prev. */
int result_previous_scores(const void *payload, flag_previous *prev, int max);

/* Adds the test vectors' view of a result to it: "status" ("scored" / "not_scored" with
 * "reason"), "overall_irt" and "domains_irt" (the recode scores, by domain id), "simple_sum" and
 * "simple_percent" (the first whole-instrument sum score), rounded to four decimals. */
void result_add_summary(void *result, const qn *q);

/* Adds to each flag of a result (json_t*) its evidence in words, "detail", in the result's
 * language: for `itsearvio score`, which prints it. A sealed record holds the evidence as data
 * only; the worker side words it in the worker's language (evidence.h). */
void result_add_details(void *result, const qn *q, const words_catalogue *w);

/* Why a stored score (json_t*, one entry of "scores") was not computed, in lang: its "why" code
 * and arguments through the catalogue ("wk_why_" + code), else the stored "reason" sentence (a
 * record from before reason codes, or a code from a newer program); "" when it has neither.
 * Returns the length written; dst is always terminated. */
size_t result_why_words(const words_catalogue *w, const char *lang, const void *score, char *dst, size_t n);

#endif
