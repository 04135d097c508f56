/* ui_locale.h — every text the client sees that is not part of a questionnaire file.
 *
 * Owns the strings loaded from locale/CODE.json (flat objects key -> text; fi.json, sv.json,
 * en.json, and any language a clinic adds as another file) and the current language. Finnish
 * is the reference: a key missing in the current language falls back to Finnish, and a key
 * missing there too gives an empty string (and one line on stderr for the developer), so a raw
 * key is never shown to a client.
 * Placeholders are {1}, {2}, ... filled by ui_locale_format.
 *
 * The tables and the current language are a value (ui_locale), not process state: the worker's
 * screens inside the kiosk take a copy with their own language (ui_locale_view) instead of
 * changing the client's and putting it back. */
#ifndef ITS_UI_LOCALE_H
#define ITS_UI_LOCALE_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

#define UI_LOCALE_MAX 8

struct json_t;

typedef struct ui_locale {
    char codes[UI_LOCALE_MAX][9];
    const char *code_list[UI_LOCALE_MAX];
    struct json_t *tables[UI_LOCALE_MAX];
    int n_tables;
    int current;
    bool owner; /* frees the tables (a view does not) */
} ui_locale;

/* Loads every DIR/CODE.json: Finnish first (required), then Swedish, English, then the rest. */
int ui_locale_load(ui_locale *l, const char *dir, its_err *err);
/* Frees the tables of a loaded locale (a view: forgets them). */
void ui_locale_free(ui_locale *l);
/* A copy that reads the same tables with its own current language; valid while l is loaded. */
ui_locale ui_locale_view(const ui_locale *l);

/* Sets the current language ("fi", "sv", "en"); unknown codes keep the current one. */
void ui_locale_set(ui_locale *l, const char *lang);
const char *ui_locale_lang(const ui_locale *l);

/* The text for key in the current language. Never NULL, never the key itself. */
const char *ui_tr(const ui_locale *l, const char *key);

/* The text for key with {1}..{n} replaced by the given strings (NULL-terminated list). */
void ui_locale_format(const ui_locale *l, char *dst, size_t n, const char *key, ...);

/* The language codes offered on the start screen, in order; count returned. */
int ui_locale_langs(ui_locale *l, const char *const **codes);

/* A language's own name for itself ("Suomi", "Svenska"): its file's "lang_name", else the code. */
const char *ui_locale_name(const ui_locale *l, const char *code);

#endif
