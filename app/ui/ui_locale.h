/* ui_locale.h — the screens' language and their catalogue of words.
 *
 * Owns the catalogue the screens loaded (locale/CODE.json, app/core/words.h: fi.json, sv.json,
 * en.json, and any language a clinic adds as another file) and the current language. Finnish
 * is the reference: a key missing in the current language falls back to Finnish, and a key
 * missing there too gives an empty string (and one line on stderr for the developer), so a raw
 * key is never shown to a client.
 * Placeholders are {1}, {2}, ... filled by ui_locale_format. */
#ifndef ITS_UI_LOCALE_H
#define ITS_UI_LOCALE_H

#include <stddef.h>
#include "util.h"
#include "words.h"

#define UI_LOCALE_MAX 8

/* Loads every DIR/CODE.json: Finnish first (required), then Swedish, English, then the rest. */
int ui_locale_load(const char *dir, its_err *err);
void ui_locale_free(void);
/* The loaded catalogue (NULL before ui_locale_load), for the worker side and errors. */
const words_catalogue *ui_locale_words(void);

/* Sets the current language ("fi", "sv", "en"); unknown codes keep the current one. */
void ui_locale_set(const char *lang);
const char *ui_locale_lang(void);

/* The text for key in the current language. Never NULL, never the key itself. */
const char *ui_tr(const char *key);

/* The text for key with {1}..{n} replaced by the given strings (NULL-terminated list). */
void ui_locale_format(char *dst, size_t n, const char *key, ...);

/* The language codes offered on the start screen, in order; count returned. */
int ui_locale_langs(const char *const **codes);

/* A language's own name for itself ("Suomi", "Svenska"): its file's "lang_name", else the code. */
const char *ui_locale_name(const char *code);

#endif
