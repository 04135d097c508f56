/* ui_locale.c — see ui_locale.h. The texts are the catalogue's (app/core/words.h); this file
 * keeps the screen's current language beside it. */
#include "ui_locale.h"

#include <stdio.h>
#include <string.h>

/* The offered list, in catalogue order; `quiet`: say nothing of the ones left out. */
static void offer(ui_locale *l, bool allow_unreviewed, bool quiet)
{
    const char *const *codes;
    int n = words_langs(l->cat, &codes);
    l->n_offered = 0;
    for (int i = 0; i < n; i++) {
        its_err why = {0};
        if (words_offered(l->cat, codes[i], allow_unreviewed, &why) == 0)
            l->offered[l->n_offered++] = codes[i];
        else if (!quiet)
            fprintf(stderr, "itsearvio: %s\n", why.msg);
    }
}

int ui_locale_load(ui_locale *l, const char *dir, its_err *err)
{
    memset(l, 0, sizeof *l);
    if (words_load(dir, &l->cat, err) != 0)
        return -1;
    l->owner = true;
    if (words_left_out(l->cat)[0])
        fprintf(stderr, "itsearvio: %s\n", words_left_out(l->cat));
    offer(l, false, true);
    return 0;
}

void ui_locale_offer(ui_locale *l, bool allow_unreviewed)
{
    offer(l, allow_unreviewed, false);
}

bool ui_locale_rtl(const ui_locale *l)
{
    return words_rtl(l->cat, ui_locale_lang(l));
}

void ui_locale_free(ui_locale *l)
{
    if (l->owner)
        words_free(l->cat);
    memset(l, 0, sizeof *l);
}

ui_locale ui_locale_view(const ui_locale *l)
{
    ui_locale v = *l;
    v.owner = false;
    return v;
}

const words_catalogue *ui_locale_words(const ui_locale *l)
{
    return l->cat;
}

void ui_locale_set(ui_locale *l, const char *lang)
{
    for (int i = 0; i < l->n_offered; i++)
        if (lang && !strcmp(lang, l->offered[i]))
            l->current = l->offered[i];
}

const char *ui_locale_lang(const ui_locale *l)
{
    return l->current ? l->current : "fi";
}

const char *ui_locale_name(const ui_locale *l, const char *code)
{
    return words_name(l->cat, code);
}

const char *ui_tr(const ui_locale *l, const char *key)
{
    const char *s = words_get(l->cat, ui_locale_lang(l), key);
    if (!s[0])
        fprintf(stderr, "itsearvio: no text for \"%s\" in locale/fi.json\n", key);
    return s;
}

const char *ui_locale_error(const ui_locale *l, const its_err *err)
{
    static char text[ITS_ERR_LEN + 200];
    words_error(l->cat, ui_locale_lang(l), err, text, sizeof text);
    return text;
}

void ui_locale_format(const ui_locale *l, char *dst, size_t n, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    if (!words_get(l->cat, ui_locale_lang(l), key)[0])
        fprintf(stderr, "itsearvio: no text for \"%s\" in locale/fi.json\n", key);
    words_vformat(l->cat, ui_locale_lang(l), dst, n, key, ap);
    va_end(ap);
}

int ui_locale_langs(const ui_locale *l, const char *const **out)
{
    *out = l->offered;
    return l->n_offered;
}
