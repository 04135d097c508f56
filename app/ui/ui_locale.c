/* ui_locale.c — see ui_locale.h. The texts are the catalogue's (app/core/words.h); this file
 * keeps the screen's current language beside it. */
#include "ui_locale.h"

#include <stdio.h>
#include <string.h>

static words_catalogue *cat;
static char current[9] = "fi";

int ui_locale_load(const char *dir, its_err *err)
{
    ui_locale_free();
    if (words_load(dir, &cat, err) != 0)
        return -1;
    if (words_left_out(cat)[0])
        fprintf(stderr, "itsearvio: %s\n", words_left_out(cat));
    return 0;
}

void ui_locale_free(void)
{
    words_free(cat);
    cat = NULL;
    its_strlcpy(current, "fi", sizeof current);
}

const words_catalogue *ui_locale_words(void)
{
    return cat;
}

void ui_locale_set(const char *lang)
{
    if (words_has_lang(cat, lang))
        its_strlcpy(current, lang, sizeof current);
}

const char *ui_locale_lang(void)
{
    return current;
}

const char *ui_locale_name(const char *code)
{
    return words_name(cat, code);
}

const char *ui_tr(const char *key)
{
    const char *s = words_get(cat, current, key);
    if (!s[0])
        fprintf(stderr, "itsearvio: no text for \"%s\" in locale/fi.json\n", key);
    return s;
}

void ui_locale_format(char *dst, size_t n, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    if (!words_get(cat, current, key)[0])
        fprintf(stderr, "itsearvio: no text for \"%s\" in locale/fi.json\n", key);
    words_vformat(cat, current, dst, n, key, ap);
    va_end(ap);
}

int ui_locale_langs(const char *const **out)
{
    return words_langs(cat, out);
}
