/* words.h — the catalogue of words: every text a client or a worker reads that is not part of a
 * questionnaire file, in every language, and the few ways of putting numbers among them.
 *
 * Owns the texts loaded from locale/CODE.json (one flat object key -> text per language; the
 * sections and the rules for translators are in locale/README.md) and the one score formatter
 * ("38/48 (79 %)"). The kiosk and the worker's screens (through ui_locale), the worker side
 * (PDF, flag evidence, answer words), the command line and error messages (words_error) all read
 * the same catalogue, so a word lives in one place per language.
 *
 * Finnish is the reference: a key missing in a language falls back to Finnish, and a key missing
 * there too gives "" (never the key: a raw key is never shown). A test (test_words) fails when a
 * key or a placeholder is missing in fi, sv or en, or a client key in a further language. A
 * further language is offered to clients only with its certification record (certify.h). A
 * catalogue is immutable once loaded, so threads may share it. Placeholders are {1}..{9}. */
#ifndef ITS_WORDS_H
#define ITS_WORDS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define WORDS_MAX_LANGS 8

typedef struct words_catalogue words_catalogue;

/* Loads every DIR/CODE.json: Finnish first (required), then Swedish, English, then the rest in
 * alphabetical order. A broken extra language is left out and named in words_left_out(). */
int words_load(const char *dir, words_catalogue **out, its_err *err) ITS_MUST_CHECK;
void words_free(words_catalogue *w);
/* "" or one sentence naming the languages left out at load, for the caller to show. */
const char *words_left_out(const words_catalogue *w);

/* The language codes loaded, in the order above; count returned. */
int words_langs(const words_catalogue *w, const char *const **codes);
/* Whether a language is loaded. */
bool words_has_lang(const words_catalogue *w, const char *lang);
/* A language's own name for itself ("Suomi"): its "lang_name", else the code. */
const char *words_name(const words_catalogue *w, const char *code);

/* The text for key in lang (Finnish when lang lacks it). Never NULL; "" when w is NULL or no
 * language has the key. */
const char *words_get(const words_catalogue *w, const char *lang, const char *key);
/* Whether lang itself (not the fallback) has the key. */
bool words_has(const words_catalogue *w, const char *lang, const char *key);
/* The text with {1}..{n} replaced by the given strings (a NULL-terminated list). Returns the
 * length written; dst is always terminated. */
size_t words_format(const words_catalogue *w, const char *lang, char *dst, size_t n, const char *key, ...);
size_t words_vformat(const words_catalogue *w, const char *lang, char *dst, size_t n, const char *key,
                     va_list ap);
/* The same over a text of one's own (args[0..n_args-1]; an unknown placeholder stays): for the
 * English log sentence beside a catalogue text with the same placeholders. */
size_t words_fill(char *dst, size_t n, const char *text, const char *const *args, int n_args);

/* A number for people in lang: `decimals` places, the language's decimal mark ("decimal_mark"). */
void words_number(const words_catalogue *w, const char *lang, char *dst, size_t n, double v, int decimals);

/* The one score formatter, everywhere a score is shown: "38/48 (79 %)" with the percent of a sum
 * score (WORDS_SCORE_PERCENT; never for a 0-100 score), "41/100", "6/10"; "40,6" when max is 0
 * (a score shown without its top).
 * Whole numbers show whole, others with one decimal, in lang's decimal mark. */
enum { WORDS_SCORE_PLAIN = 0, WORDS_SCORE_PERCENT = 1 };
void words_score(const words_catalogue *w, const char *lang, char *dst, size_t n, double value, double max,
                 int style);

/* An error in the reader's language: its key (its_fail_key) with its argument, else the sentence
 * for its code ("err_wrong_passphrase" ...), else "err_other" around the log sentence. */
size_t words_error(const words_catalogue *w, const char *lang, const its_err *err, char *dst, size_t n);
/* The catalogue key for an error code ("err_busy"; "err_other" around the log sentence for
 * ITS_E_OTHER), NULL for ITS_E_NONE: every code has one (test_words checks it in fi, sv, en). */
const char *words_error_key(its_code code);

/* Checks that every key of any of `langs` is in all of them, with the same placeholders; fails
 * naming the first few gaps ("sv.json lacks pdf_title; en.json: wk_counts has {3}, fi.json not"). */
int words_check(const words_catalogue *w, const char *const *langs, int n_langs, its_err *err);
/* The same for a further language offered to clients only (ar.json): every key a client reads
 * (no wk_, cli_, pdf_ or ev_ prefix: the worker's side is in fi, sv and en) both ways;
 * missing_ok: only the keys lang has (an unreviewed test translation may lag behind Finnish,
 * never disagree with it). */
int words_check_client(const words_catalogue *w, const char *lang, bool missing_ok, its_err *err);

/* Whether a language may be offered to clients (certify.h): 0 when it is the program's own or
 * certified, or marked unreviewed and allow_unreviewed is set (tests and demos only); else -1
 * with one plain sentence naming its file. */
int words_offered(const words_catalogue *w, const char *code, bool allow_unreviewed, its_err *err);
/* Whether a language is written right to left (its file says "lang_dir": "rtl"). */
bool words_rtl(const words_catalogue *w, const char *code);

#endif
