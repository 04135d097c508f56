/* ui_locale.h — the screens' language and their catalogue of words.
 *
 * Owns the catalogue the screens loaded (locale/CODE.json, app/core/words.h: fi.json, sv.json,
 * en.json, and any language a clinic adds as another file) and the current language. Finnish
 * is the reference: a key missing in the current language falls back to Finnish, and a key
 * missing there too gives an empty string (and one line on stderr for the developer), so a raw
 * key is never shown to a client.
 * Placeholders are {1}, {2}, ... filled by ui_locale_format.
 *
 * The catalogue and the current language are a value (ui_locale, in the screen program's
 * context), not process state: the worker's screens inside the kiosk take a view with their own
 * language (ui_locale_view) instead of changing the client's and putting it back. */
#ifndef ITS_UI_LOCALE_H
#define ITS_UI_LOCALE_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"
#include "words.h"

typedef struct ui_locale {
    words_catalogue *cat; /* NULL before ui_locale_load */
    const char *current;  /* the language shown: the catalogue's own code string, which stays
                             the same while loaded (callers keep it as a default); NULL: "fi" */
    bool owner;           /* frees the catalogue (a view does not) */
    const char *offered[WORDS_MAX_LANGS]; /* the languages clients may choose (certify.h) */
    int n_offered;
} ui_locale;

/* Loads every DIR/CODE.json: Finnish first (required), then Swedish, English, then the rest.
 * Clients are offered only the program's own languages and certified ones (certify.h). */
int ui_locale_load(ui_locale *l, const char *dir, its_err *err);
/* The kiosk's choice of languages, said on stderr: one line for each language not offered, and
 * why. allow_unreviewed offers the ones marked unreviewed (machine-made) too: for tests and
 * demos, never for clients (--allow-unreviewed); a language without any record stays out. */
void ui_locale_offer(ui_locale *l, bool allow_unreviewed);
/* Whether the current language is written right to left (the screens are then mirrored). */
bool ui_locale_rtl(const ui_locale *l);
/* Frees the catalogue of a loaded locale (a view: forgets it). */
void ui_locale_free(ui_locale *l);
/* A copy that reads the same catalogue in its own language; valid while l is loaded. */
ui_locale ui_locale_view(const ui_locale *l);
/* The loaded catalogue (NULL before ui_locale_load), for the worker side and errors. */
const words_catalogue *ui_locale_words(const ui_locale *l);

/* Sets the current language ("fi", "sv", "en"); unknown or not offered codes keep the current one. */
void ui_locale_set(ui_locale *l, const char *lang);
const char *ui_locale_lang(const ui_locale *l);

/* The text for key in the current language. Never NULL, never the key itself. */
const char *ui_tr(const ui_locale *l, const char *key);

/* A failure in the current language (words_error): the sentence of its key or code. Kept until
 * the next call. */
const char *ui_locale_error(const ui_locale *l, const its_err *err);

/* The text for key with {1}..{n} replaced by the given strings (NULL-terminated list). */
void ui_locale_format(const ui_locale *l, char *dst, size_t n, const char *key, ...);

/* The language codes offered on the start screen, in order; count returned. */
int ui_locale_langs(const ui_locale *l, const char *const **codes);

/* A language's own name for itself ("Suomi", "Svenska"): its file's "lang_name", else the code. */
const char *ui_locale_name(const ui_locale *l, const char *code);

#endif
