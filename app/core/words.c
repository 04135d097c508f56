/* words.c — see words.h. */
#include "words.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certify.h"

/* Every DIR/<code>.json is a language: Finnish first (the reference), then Swedish and English,
 * then any other language a clinic added, in alphabetical order. Adding a language is adding a
 * file; no code changes. */
struct words_catalogue {
    char codes[WORDS_MAX_LANGS][9];
    const char *code_list[WORDS_MAX_LANGS];
    json_t *tables[WORDS_MAX_LANGS];
    certify_state state[WORDS_MAX_LANGS];       /* may it be offered to clients (certify.h) */
    char refusal[WORDS_MAX_LANGS][ITS_ERR_LEN]; /* why not, naming the file */
    int n;
    char left_out[256];
};

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

/* One language file as an object of strings (and its "certification" record, certify.h), or
 * NULL with the reason in err. */
static json_t *load_table(const char *path, its_err *err)
{
    json_error_t je;
    json_t *t = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!t) {
        its_fail(err, "%s:%d:%d: %s", path, je.line, je.column, its_json_reason(&je));
        return NULL;
    }
    const char *key, *bad = NULL;
    json_t *v;
    json_object_foreach(t, key, v) /* a non-object has no members: caught below */
        if (!bad && !json_is_string(v) && strcmp(key, "certification"))
            bad = key;
    if (!json_is_object(t) || bad) {
        its_fail(err, bad ? "%s: \"%s\" is not a text" : "%s: not a JSON object%s", path, bad ? bad : "");
        json_decref(t);
        return NULL;
    }
    return t;
}

int words_load(const char *dir, words_catalogue **out, its_err *err)
{
    *out = NULL;
    words_catalogue *w = calloc(1, sizeof *w);
    if (!w)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the texts.");
    char found[WORDS_MAX_LANGS][9];
    int n = find_codes(dir, found, WORDS_MAX_LANGS);
    if (n == 0 || strcmp(found[0], "fi")) {
        free(w);
        return its_fail(err, "%s/fi.json: the Finnish texts are missing", dir);
    }
    for (int i = 0; i < n; i++) {
        char path[1024];
        its_err why = {0};
        json_t *t = its_path(path, sizeof path, &why, "%s/%s.json", dir, found[i]) == 0
                        ? load_table(path, &why)
                        : NULL;
        if (!t && i == 0) {
            words_free(w);
            return its_fail(err, "%s", why.msg);
        }
        if (!t) { /* a broken extra language is left out, and said so, not fatal for a kiosk */
            its_appendf(w->left_out, sizeof w->left_out, "%s%s (language left out)",
                        w->left_out[0] ? "; " : "", why.msg);
            continue;
        }
        its_err cert = {0};
        w->state[w->n] = certify_read(json_object_get(t, "certification"), path, found[i], &cert);
        its_strlcpy(w->refusal[w->n], cert.msg, sizeof w->refusal[w->n]);
        json_object_del(t, "certification"); /* the rest is texts only */
        memcpy(w->codes[w->n], found[i], sizeof found[i]);
        w->code_list[w->n] = w->codes[w->n];
        w->tables[w->n++] = t;
    }
    *out = w;
    return 0;
}

void words_free(words_catalogue *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->n; i++)
        json_decref(w->tables[i]);
    free(w);
}

const char *words_left_out(const words_catalogue *w)
{
    return w ? w->left_out : "";
}

int words_langs(const words_catalogue *w, const char *const **codes)
{
    *codes = w ? w->code_list : NULL;
    return w ? w->n : 0;
}

static int lang_index(const words_catalogue *w, const char *lang)
{
    for (int i = 0; w && lang && i < w->n; i++)
        if (!strcmp(lang, w->codes[i]))
            return i;
    return -1;
}

bool words_has_lang(const words_catalogue *w, const char *lang)
{
    return lang_index(w, lang) >= 0;
}

static const char *lookup(const words_catalogue *w, int table, const char *key)
{
    const char *s = table >= 0 ? json_string_value(json_object_get(w->tables[table], key)) : NULL;
    return (s && *s) ? s : NULL;
}

const char *words_name(const words_catalogue *w, const char *code)
{
    int i = lang_index(w, code);
    const char *name = i >= 0 ? lookup(w, i, "lang_name") : NULL;
    return name ? name : code;
}

bool words_has(const words_catalogue *w, const char *lang, const char *key)
{
    return lookup(w, lang_index(w, lang), key) != NULL;
}

const char *words_get(const words_catalogue *w, const char *lang, const char *key)
{
    if (!w || !key)
        return "";
    const char *s = lookup(w, lang_index(w, lang), key);
    if (!s)
        s = lookup(w, 0, key);
    return s ? s : "";
}

size_t words_fill(char *dst, size_t n, const char *s, const char *const *args, int n_args)
{
    if (n == 0)
        return 0;
    dst[0] = '\0';
    while (*s) {
        if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}' && s[1] - '1' < n_args) {
            its_appendf(dst, n, "%s", args[s[1] - '1']);
            s += 3;
        } else {
            its_appendf(dst, n, "%c", *s++);
        }
    }
    return strlen(dst);
}

size_t words_vformat(const words_catalogue *w, const char *lang, char *dst, size_t n, const char *key,
                     va_list ap)
{
    const char *args[9] = {0};
    int n_args = 0;
    for (const char *a; n_args < 9 && (a = va_arg(ap, const char *)) != NULL;)
        args[n_args++] = a;
    return words_fill(dst, n, words_get(w, lang, key), args, n_args);
}

size_t words_format(const words_catalogue *w, const char *lang, char *dst, size_t n, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    size_t len = words_vformat(w, lang, dst, n, key, ap);
    va_end(ap);
    return len;
}

void words_number(const words_catalogue *w, const char *lang, char *dst, size_t n, double v, int decimals)
{
    its_format_number(dst, n, v, decimals);
    const char *mark = words_get(w, lang, "decimal_mark");
    char *dot = strchr(dst, '.');
    if (dot && mark[0] && !mark[1])
        *dot = mark[0];
}

/* Whole when it is (within rounding), else one decimal. */
static void score_number(const words_catalogue *w, const char *lang, char *dst, size_t n, double v)
{
    words_number(w, lang, dst, n, v, fabs(v - round(v)) < 0.05 ? 0 : 1);
}

void words_score(const words_catalogue *w, const char *lang, char *dst, size_t n, double value, double max,
                 int style)
{
    char v[32], m[32], p[32];
    score_number(w, lang, v, sizeof v, value);
    if (!(max > 0)) {
        its_strlcpy(dst, v, n);
        return;
    }
    score_number(w, lang, m, sizeof m, max);
    words_number(w, lang, p, sizeof p, value * 100.0 / max, 0);
    bool percent = style == WORDS_SCORE_PERCENT && fabs(max - 100.0) > 1e-9; /* 41/100 is its own */
    words_format(w, lang, dst, n, percent ? "score_percent" : "score_plain", v, m, p, (const char *)NULL);
}

const char *words_error_key(its_code code)
{
    switch (code) {
    case ITS_E_OTHER: return "err_other";
    case ITS_E_WRONG_PASSPHRASE: return "err_wrong_passphrase";
    case ITS_E_LOCKED_OUT: return "err_locked_out";
    case ITS_E_BUSY: return "err_busy";
    case ITS_E_DISK_FULL: return "err_disk_full";
    case ITS_E_DAMAGED: return "err_damaged";
    case ITS_E_NOT_FOUND: return "err_not_found";
    case ITS_E_NO_MEMORY: return "err_no_memory";
    case ITS_E_NOT_WRITABLE: return "err_not_writable";
    case ITS_E_IO: return "err_io";
    case ITS_E_DATABASE: return "err_database";
    case ITS_E_NO_TEAM_KEY: return "err_no_team_key";
    case ITS_E_NONE: case ITS_E_COUNT: break;
    }
    return NULL;
}

size_t words_error(const words_catalogue *w, const char *lang, const its_err *err, char *dst, size_t n)
{
    const char *key = err->key && words_get(w, lang, err->key)[0] ? err->key : words_error_key(err->code);
    if (key && strcmp(key, "err_other") && words_get(w, lang, key)[0])
        return words_format(w, lang, dst, n, key, err->arg, err->msg, (const char *)NULL);
    if (words_get(w, lang, "err_other")[0])
        return words_format(w, lang, dst, n, "err_other", err->msg, (const char *)NULL);
    its_strlcpy(dst, err->msg, n);
    return strlen(dst);
}

/* The placeholders of a text as a bit set ({1} -> bit 1). */
static unsigned placeholders(const char *s)
{
    unsigned bits = 0;
    for (; s && *s; s++)
        if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}')
            bits |= 1u << (s[1] - '0');
    return bits;
}

/* Keys of the worker's side: its screens, commands, report and flag evidence. */
static bool worker_key(const char *key)
{
    static const char *const prefixes[] = {"wk_", "cli_", "pdf_", "ev_"};
    for (int i = 0; i < 4; i++)
        if (!strncmp(key, prefixes[i], strlen(prefixes[i])))
            return true;
    return false;
}

enum { CMP_ALL = 0, CMP_CLIENT = 1 /* only keys a client reads */, CMP_PRESENT = 2 /* only keys
                                                                          b has */ };

/* Adds to `gaps` what table b lacks or words differently from a's key (one direction), within
 * the keys `how` says. */
static void compare(const words_catalogue *w, int a, int b, unsigned how, char *gaps, size_t n,
                    int *count)
{
    const char *key;
    json_t *v;
    json_object_foreach(w->tables[a], key, v) {
        const char *other = json_string_value(json_object_get(w->tables[b], key));
        if (((how & CMP_CLIENT) && worker_key(key)) || ((how & CMP_PRESENT) && !other))
            continue;
        if (other && placeholders(other) == placeholders(json_string_value(v)))
            continue;
        if ((*count)++ < 6)
            its_appendf(gaps, n, "%s%s.json %s %s", gaps[0] ? "; " : "", w->codes[b],
                        other ? "has other placeholders than" : "lacks", key);
    }
}

int words_check(const words_catalogue *w, const char *const *langs, int n_langs, its_err *err)
{
    char gaps[ITS_ERR_LEN - 64] = "";
    int count = 0;
    for (int i = 0; i < n_langs; i++) {
        int a = lang_index(w, langs[i]);
        if (a < 0)
            return its_fail(err, "%s.json is missing or broken", langs[i]);
        for (int j = 0; j < n_langs; j++) {
            int b = lang_index(w, langs[j]);
            if (b >= 0 && b != a && a < b)
                compare(w, a, b, CMP_ALL, gaps, sizeof gaps, &count),
                    compare(w, b, a, CMP_ALL, gaps, sizeof gaps, &count);
        }
    }
    return count ? its_fail(err, "%d gaps between the languages: %s", count, gaps) : 0;
}

int words_check_client(const words_catalogue *w, const char *lang, bool missing_ok, its_err *err)
{
    char gaps[ITS_ERR_LEN - 64] = "";
    int count = 0, b = lang_index(w, lang);
    if (b < 0)
        return its_fail(err, "%s.json is missing or broken", lang);
    compare(w, 0, b, CMP_CLIENT | (missing_ok ? CMP_PRESENT : 0), gaps, sizeof gaps, &count);
    compare(w, b, 0, CMP_CLIENT, gaps, sizeof gaps, &count);
    return count ? its_fail(err, "%d gaps between fi.json and %s.json: %s", count, lang, gaps) : 0;
}

int words_offered(const words_catalogue *w, const char *code, bool allow_unreviewed, its_err *err)
{
    int i = lang_index(w, code);
    if (i < 0)
        return its_fail(err, "There is no language %s in the catalogue.", code ? code : "");
    if (w->state[i] == CERTIFY_OK || (w->state[i] == CERTIFY_UNREVIEWED && allow_unreviewed))
        return 0;
    return its_fail(err, "%s", w->refusal[i]);
}

bool words_rtl(const words_catalogue *w, const char *code)
{
    const char *dir = lookup(w, lang_index(w, code), "lang_dir");
    return dir && !strcmp(dir, "rtl");
}
