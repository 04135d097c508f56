/* speech_words.c — see speech_words.h. */
#include "speech_words.h"

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TABLES = 16, NUM_MAX = 15 };

static struct {
    char lang[9];
    json_t *t;
} tables[MAX_TABLES];
static int n_tables;

void speech_words_free(void)
{
    for (int i = 0; i < n_tables; i++)
        json_decref(tables[i].t);
    n_tables = 0;
}

/* NULL when the table is well formed, else what is wrong with it. */
static const char *table_problem(const json_t *t)
{
    if (!json_is_object(t))
        return "not a JSON object";
    static const char *const patterns[] = {"of", "range", "range_digits"};
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        const json_t *v = json_object_get(t, patterns[i]);
        if (v && !json_is_string(v))
            return "\"of\", \"range\" and \"range_digits\" must be strings";
    }
    static const char *const maps[] = {"from", "to"};
    for (size_t i = 0; i < 2; i++) {
        const json_t *m = json_object_get(t, maps[i]), *v;
        const char *k;
        if (m && !json_is_object(m))
            return "\"from\" and \"to\" must be objects of number words";
        json_object_foreach((json_t *)m, k, v)
            if (!json_is_string(v))
                return "\"from\" and \"to\" must be objects of number words";
    }
    const json_t *r = json_object_get(t, "replace"), *pair;
    size_t i;
    if (r && !json_is_array(r))
        return "\"replace\" must be a list of [\"shown\", \"spoken\"] pairs";
    json_array_foreach(r, i, pair)
        if (json_array_size(pair) != 2 || !json_is_string(json_array_get(pair, 0)) ||
            !json_is_string(json_array_get(pair, 1)) || !*json_string_value(json_array_get(pair, 0)))
            return "\"replace\" must be a list of [\"shown\", \"spoken\"] pairs";
    return NULL;
}

static int load_one(const char *dir, const char *name, its_err *err)
{
    char path[1024];
    if (its_path(path, sizeof path, err, "%s/%s", dir, name) != 0)
        return -1;
    json_error_t je;
    json_t *t = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    const char *why = t ? table_problem(t) : its_json_reason(&je);
    if (why) {
        json_decref(t);
        return its_fail(err, "%s: %s; fix the file or remove it.", path, why);
    }
    size_t len = strlen(name) - 5;
    memcpy(tables[n_tables].lang, name, len);
    tables[n_tables].lang[len] = '\0';
    tables[n_tables++].t = t;
    return 0;
}

int speech_words_load(const char *dir, its_err *err)
{
    speech_words_free();
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && n_tables < MAX_TABLES) {
        size_t len = strlen(e->d_name);
        if (len < 7 || len > 13 || strcmp(e->d_name + len - 5, ".json"))
            continue;
        if (load_one(dir, e->d_name, err) != 0) {
            closedir(d);
            speech_words_free();
            return -1;
        }
    }
    if (d)
        closedir(d);
    return 0;
}

static const json_t *table_for(const char *lang)
{
    for (int i = 0; lang && i < n_tables; i++)
        if (!strcmp(tables[i].lang, lang))
            return tables[i].t;
    return NULL;
}

/* ---- writing into a bounded buffer ----------------------------------------------------------- */

typedef struct out_buf {
    char *s;
    size_t n, len;
} out_buf;

/* Appends len bytes, never a partial UTF-8 character. */
static void put(out_buf *o, const char *s, size_t len)
{
    if (o->len + len >= o->n) {
        len = o->n - 1 - o->len;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(o->s + o->len, s, len);
    o->len += len;
    o->s[o->len] = '\0';
}

static void put_str(out_buf *o, const char *s)
{
    put(o, s, strlen(s));
}

/* The pattern with {1} and {2} filled in. */
static void put_pattern(out_buf *o, const char *pattern, const char *a, const char *b)
{
    for (const char *p = pattern; *p;) {
        if (p[0] == '{' && (p[1] == '1' || p[1] == '2') && p[2] == '}') {
            put_str(o, p[1] == '1' ? a : b);
            p += 3;
        } else {
            put(o, p++, 1);
        }
    }
}

/* ---- numbers ------------------------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_word_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == ',' || (unsigned char)c >= 0x80;
}

/* The digit run at s (at most NUM_MAX digits, not followed by a word character) into num; its
 * length, or 0. */
static size_t number_at(const char *s, char num[NUM_MAX + 1])
{
    size_t n = 0;
    while (is_digit(s[n]) && n < NUM_MAX)
        n++;
    if (n == 0 || is_digit(s[n]) || ((s[n] == '.' || s[n] == ',') && is_digit(s[n + 1])))
        return 0; /* too long, or a decimal such as 2.0: spoken as it is */
    memcpy(num, s, n);
    num[n] = '\0';
    return n;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

static const char *str_at(const json_t *t, const char *key)
{
    return json_string_value(json_object_get(t, key));
}

/* "N / M" or "N–M" at s, spoken by the table into o; the text after it, or NULL if none. */
static const char *put_number_pair(const json_t *t, const char *s, out_buf *o)
{
    char a[NUM_MAX + 1], b[NUM_MAX + 1];
    size_t la = number_at(s, a);
    const char *p = la ? skip_spaces(s + la) : s;
    const char *kind = NULL;
    if (la && *p == '/')
        kind = "of", p++;
    else if (la && !strncmp(p, "\xE2\x80\x93", 3)) /* en dash */
        kind = "range", p += 3;
    if (!kind)
        return NULL;
    p = skip_spaces(p);
    size_t lb = number_at(p, b);
    const char *pattern = str_at(t, kind);
    if (!lb || !pattern)
        return NULL;
    if (!strcmp(kind, "range")) {
        const char *wa = str_at(json_object_get(t, "from"), a);
        const char *wb = str_at(json_object_get(t, "to"), b);
        if (wa && wb) {
            put_pattern(o, pattern, wa, wb);
            return p + lb;
        }
        if (str_at(t, "range_digits"))
            pattern = str_at(t, "range_digits");
    }
    put_pattern(o, pattern, a, b);
    return p + lb;
}

static void put_numbers(const json_t *t, const char *in, out_buf *o)
{
    for (const char *s = in; *s;) {
        bool starts = is_digit(*s) && (s == in || !is_word_char(s[-1]));
        const char *after = starts ? put_number_pair(t, s, o) : NULL;
        if (after) {
            s = after;
            continue;
        }
        size_t run = 1;
        while (is_digit(s[0]) && is_digit(s[run])) /* the rest of a number is not a start */
            run++;
        put(o, s, run);
        s += run;
    }
}

/* ---- replacements --------------------------------------------------------------------------- */

static void put_replaced(const char *in, const char *from, const char *to, out_buf *o)
{
    size_t lf = strlen(from);
    for (const char *s = in; *s;) {
        const char *hit = strstr(s, from);
        if (!hit) {
            put_str(o, s);
            return;
        }
        put(o, s, (size_t)(hit - s));
        put_str(o, to);
        s = hit + lf;
    }
}

void speech_words_apply(const char *lang, const char *text, char *out, size_t n)
{
    if (n == 0)
        return;
    out_buf o = {out, n, 0};
    out[0] = '\0';
    const json_t *t = table_for(lang);
    if (!t) {
        put_str(&o, text);
        return;
    }
    put_numbers(t, text, &o);
    const json_t *r = json_object_get(t, "replace"), *pair;
    size_t i;
    char *tmp = malloc(n);
    json_array_foreach(r, i, pair) {
        if (!tmp) /* without memory the numbers are still spoken as words */
            break;
        memcpy(tmp, out, o.len + 1);
        o.len = 0;
        out[0] = '\0';
        put_replaced(tmp, json_string_value(json_array_get(pair, 0)),
                     json_string_value(json_array_get(pair, 1)), &o);
    }
    if (tmp)
        its_wipe(tmp, n); /* it may hold answers (review) */
    free(tmp);
}
