/* speech_words.h — the pronunciation table: what read-aloud says instead of what the screen
 * shows, per language, applied to every text before espeak-ng (speech_synthesise does it).
 *
 * A person who does not read hears "Kysymys 3, kaikkiaan 15", not "kolme kautta viisitoista";
 * "0–30" as "nollasta kolmeenkymmeneen", not two bare numbers; "%" as a word; "WHODAS" spelled
 * or left out. The rules are data, one file per language: DIR/<code>.json (locale/speech/):
 *
 *   "of":           "{1}, kaikkiaan {2}"        for "N / M" (progress)
 *   "range":        "{1} {2}"                   for "N–M" (en dash), with {1} from "from" and
 *   "from", "to":   {"0": "nollasta", ...}      {2} from "to" when both numbers are listed,
 *   "range_digits": "luvusta {1} lukuun {2}"    else this with the digits (default: "range")
 *   "replace":      [["%", "prosenttia"], ...]  literal replacements, in order, after numbers
 *
 * Owns the loaded tables (module state, like espeak-ng's: one UI thread). A language without a
 * file is spoken as shown. */
#ifndef ITS_SPEECH_WORDS_H
#define ITS_SPEECH_WORDS_H

#include <stddef.h>

#include "util.h"

/* Loads every DIR/<code>.json, replacing what was loaded. A missing folder loads nothing (0);
 * a file that is not a valid table: -1 with its name and the problem, and nothing loaded. */
int speech_words_load(const char *dir, its_err *err);

/* Writes text as it is to be spoken in lang into out (size n, always terminated; a result that
 * does not fit is cut at a character boundary). */
void speech_words_apply(const char *lang, const char *text, char *out, size_t n);

void speech_words_free(void);

#endif
