/* evidence.h — the evidence of a fired flag as data, and its words in a reader's language.
 *
 * Owns the shape of `flags[].evidence` in the result document (docs/result-format.md) and the
 * phrases that turn it into words ("Pistesumma 38/48 (79 %); raja 24/48 (50 %)"). Evidence is
 * stored as data — item ids and values, scores with their maximum, thresholds, previous and
 * current values with the previous date, the unanswered questions and the missing-data rule —
 * so that the worker reads it in the worker's language, not the client's. The flag rules build
 * it (flags.c); the worker side words it when a record is shown. */
#ifndef ITS_EVIDENCE_H
#define ITS_EVIDENCE_H

#include <stddef.h>

#include "qn.h"
#include "words.h"

/* Words for an evidence array (json_t*) in language `lang` (an index in q: its texts, and the
 * catalogue's ev_ phrases in that language, Finnish where the catalogue lacks it). Entries naming
 * items or scores that q lacks are skipped. Returns the length written (always terminated). */
size_t evidence_words(const words_catalogue *w, const qn *q, const void *evidence, int lang, char *out,
                      size_t n);

/* A whole-instrument score's label without its range: "Pistesumma 0–48" -> "Pistesumma"; a
 * domain score is called by its domain's name ("Liikkuminen"). */
void evidence_score_name(const qn *q, int score, int lang, char *out, size_t n);

/* Whether a change of the score is larger than its measurement error (qn_score.change_error), in
 * words: "suurempi kuin mittausvirhe (9)" / "mittausvirheen rajoissa (9)". Empty (0) when the
 * questionnaire gives no figure for the score. */
size_t evidence_change_error(const words_catalogue *w, const qn *q, int score, double change, int lang,
                             char *out, size_t n);

#endif
