/* ui_locale.c — see ui_locale.h. */
#include "ui_locale.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>

/* Every DIR/<code>.json is a language: Finnish first (the reference), then Swedish and English,
 * then any other language a clinic added, in alphabetical order. Adding a language is adding a
 * file; no code changes. */
static int rank(const char *code)
{
    static const char *const first[] = {"fi", "sv", "en"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(code, first[i]))
            return i;
    return 3;
}

static int by_rank(const void *a, const void *b)
{
    const char *x = a, *y = b;
    int d = rank(x) - rank(y);
    return d ? d : strcmp(x, y);
}

/* Language codes of the DIR/CODE.json files (2-8 letters, digits or '-'), sorted; returns how many. */
static int find_codes(const char *dir, char out[][9], int max)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);
        if (len < 7 || len > 13 || strcmp(e->d_name + len - 5, ".json") ||
            strspn(e->d_name, "abcdefghijklmnopqrstuvwxyz0123456789-") != len - 5)
            continue;
        memcpy(out[n], e->d_name, len - 5);
        out[n++][len - 5] = '\0';
    }
    if (d)
        closedir(d);
    qsort(out, (size_t)n, sizeof out[0], by_rank);
    return n;
}

int ui_locale_load(ui_locale *l, const char *dir, its_err *err)
{
    memset(l, 0, sizeof *l);
    l->owner = true;
    int found = find_codes(dir, l->codes, UI_LOCALE_MAX);
    if (found == 0 || strcmp(l->codes[0], "fi"))
        return its_fail(err, "%s/fi.json: the Finnish texts are missing", dir);
    for (int i = 0; i < found; i++) {
        char path[1024];
        if (its_path(path, sizeof path, err, "%s/%s.json", dir, l->codes[i]) != 0) {
            ui_locale_free(l);
            return -1;
        }
        json_error_t je;
        json_t *t = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
        const char *why = t ? "not a JSON object" : its_json_reason(&je);
        if (t && !json_is_object(t)) {
            json_decref(t);
            t = NULL;
        }
        if (!t && i == 0) /* nothing loaded yet */
            return its_fail(err, "%s:%d:%d: %s", path, je.line, je.column, why);
        if (!t) { /* a broken extra language is left out, and said so, not fatal for a kiosk */
            fprintf(stderr, "itsearvio: %s:%d:%d: %s (language left out)\n", path, je.line, je.column,
                    why);
            continue;
        }
        memmove(l->codes[l->n_tables], l->codes[i], sizeof l->codes[i]);
        l->tables[l->n_tables++] = t;
    }
    return 0;
}

ui_locale ui_locale_view(const ui_locale *l)
{
    ui_locale v = *l;
    v.owner = false;
    return v;
}

void ui_locale_free(ui_locale *l)
{
    for (int i = 0; i < UI_LOCALE_MAX && l->owner; i++)
        json_decref(l->tables[i]);
    memset(l, 0, sizeof *l);
}


void ui_locale_set(ui_locale *l, const char *lang)
{
    for (int i = 0; i < l->n_tables; i++)
        if (lang && !strcmp(lang, l->codes[i]))
            l->current = i;
}

const char *ui_locale_lang(const ui_locale *l)
{
    return l->n_tables ? l->codes[l->current] : "fi";
}

const char *ui_locale_name(const ui_locale *l, const char *code)
{
    for (int i = 0; i < l->n_tables; i++)
        if (!strcmp(code, l->codes[i])) {
            const char *name = json_string_value(json_object_get(l->tables[i], "lang_name"));
            return name && *name ? name : l->codes[i];
        }
    return code;
}

static const char *lookup(const ui_locale *l, int table, const char *key)
{
    json_t *t = l->tables[table];
    const char *s = t ? json_string_value(json_object_get(t, key)) : NULL;
    return (s && *s) ? s : NULL;
}

const char *ui_tr(const ui_locale *l, const char *key)
{
    const char *s = lookup(l, l->current, key);
    if (!s)
        s = lookup(l, 0, key);
    if (!s) {
        fprintf(stderr, "itsearvio: no text for \"%s\" in locale/fi.json\n", key);
        return "";
    }
    return s;
}

void ui_locale_format(const ui_locale *l, char *dst, size_t n, const char *key, ...)
{
    const char *args[9] = {0};
    int n_args = 0;
    va_list ap;
    va_start(ap, key);
    for (const char *a; n_args < 9 && (a = va_arg(ap, const char *)) != NULL;)
        args[n_args++] = a;
    va_end(ap);
    const char *s = ui_tr(l, key);
    if (n == 0)
        return;
    dst[0] = '\0';
    while (*s) {
        if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}' && s[1] - '1' < n_args) {
            its_appendf(dst, n, "%s", args[s[1] - '1']);
            s += 3;
        } else {
            its_appendf(dst, n, "%c", *s++);
        }
    }
}

int ui_locale_langs(ui_locale *l, const char *const **out)
{
    for (int i = 0; i < l->n_tables; i++) /* here, not at load: a copied value points to its own */
        l->code_list[i] = l->codes[i];
    *out = l->code_list;
    return l->n_tables;
}
