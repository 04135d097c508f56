/* ui_locale.c — see ui_locale.h. */
#include "ui_locale.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>

static const char *const codes[UI_LOCALE_MAX] = {"fi", "sv", "en"};
static json_t *tables[UI_LOCALE_MAX];
static int current;

int ui_locale_load(const char *dir, its_err *err)
{
    ui_locale_free();
    for (int i = 0; i < UI_LOCALE_MAX; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.json", dir, codes[i]);
        json_error_t je;
        tables[i] = json_load_file(path, 0, &je);
        if (tables[i] && !json_is_object(tables[i])) {
            json_decref(tables[i]);
            tables[i] = NULL;
            snprintf(je.text, sizeof je.text, "not a JSON object");
        }
        if (!tables[i] && i == 0)
            return its_fail(err, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    }
    return 0;
}

void ui_locale_free(void)
{
    for (int i = 0; i < UI_LOCALE_MAX; i++) {
        json_decref(tables[i]);
        tables[i] = NULL;
    }
    current = 0;
}

void ui_locale_set(const char *lang)
{
    for (int i = 0; i < UI_LOCALE_MAX; i++)
        if (lang && !strcmp(lang, codes[i]) && tables[i])
            current = i;
}

const char *ui_locale_lang(void)
{
    return codes[current];
}

static const char *lookup(int table, const char *key)
{
    const char *s = tables[table] ? json_string_value(json_object_get(tables[table], key)) : NULL;
    return (s && *s) ? s : NULL;
}

const char *ui_tr(const char *key)
{
    const char *s = lookup(current, key);
    if (!s)
        s = lookup(0, key);
    if (!s) {
        fprintf(stderr, "itsearvio: no text for \"%s\" in locale/fi.json\n", key);
        return "";
    }
    return s;
}

void ui_locale_format(char *dst, size_t n, const char *key, ...)
{
    const char *args[9] = {0};
    int n_args = 0;
    va_list ap;
    va_start(ap, key);
    for (const char *a; n_args < 9 && (a = va_arg(ap, const char *)) != NULL;)
        args[n_args++] = a;
    va_end(ap);
    const char *s = ui_tr(key);
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

int ui_locale_langs(const char *const **out)
{
    *out = codes;
    return UI_LOCALE_MAX;
}
