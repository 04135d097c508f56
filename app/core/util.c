/* util.c — see util.h. */
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void its_escape_controls(char *dst, size_t n, const char *src)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (const unsigned char *c = (const unsigned char *)src; n > 0 && *c; c++) {
        bool ctl = *c < 0x20 || *c == 0x7f;
        if (o + (ctl ? 4 : 1) >= n)
            break;
        if (ctl) {
            dst[o++] = '\\';
            dst[o++] = 'x';
            dst[o++] = hex[*c >> 4];
            dst[o++] = hex[*c & 15];
        } else {
            dst[o++] = (char)*c;
        }
    }
    if (n > 0)
        dst[o] = '\0';
}

static int fail_v(its_err *err, its_code code, const char *fmt, va_list ap) ITS_PRINTF(3, 0);

static int fail_v(its_err *err, its_code code, const char *fmt, va_list ap)
{
    if (err) {
        /* A message is one line for a person: a path or value holding a newline or a terminal
         * escape is shown escaped, never acted on. */
        char raw[ITS_ERR_LEN];
        vsnprintf(raw, sizeof raw, fmt, ap);
        its_escape_controls(err->msg, sizeof err->msg, raw);
        err->key = NULL; /* its_fail_key sets them after */
        err->arg[0] = '\0';
        err->code = code == ITS_E_NONE ? ITS_E_OTHER : code; /* a failure always has a kind */
    }
    return -1;
}

int its_fail(its_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(err, ITS_E_OTHER, fmt, ap);
    va_end(ap);
    return -1;
}

int its_fail_code(its_err *err, its_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

int its_fail_key(its_err *err, its_code code, const char *key, const char *arg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(err, code, fmt, ap);
    va_end(ap);
    if (err) {
        err->key = key;
        its_escape_controls(err->arg, sizeof err->arg, arg ? arg : "");
    }
    return -1;
}

/* jansson's error codes in plain words: the log's English and the catalogue key a reader sees;
 * the last entry stands for every other code (a syntax error). */
static const struct {
    enum json_error_code code;
    const char *key, *english;
} json_reasons[] = {
    {json_error_out_of_memory, "cli_json_memory", "out of memory"},
    {json_error_stack_overflow, "cli_json_nested", "it is nested too deeply"},
    {json_error_cannot_open_file, "cli_json_unreadable", "the file cannot be read"},
    {json_error_invalid_utf8, "cli_json_utf8", "it is not valid UTF-8 text"},
    {json_error_premature_end_of_input, "cli_json_cut_off",
     "it is empty or ends too early (was it cut off?)"},
    {json_error_end_of_input_expected, "cli_json_trailing", "there is more text after the end"},
    {json_error_null_character, "cli_json_zero_byte", "it holds a zero byte"},
    {json_error_null_byte_in_key, "cli_json_zero_byte", "it holds a zero byte"},
    {json_error_duplicate_key, "cli_json_duplicate_key", "a key appears twice in the same object"},
    {json_error_numeric_overflow, "cli_json_number", "a number is too large"},
    {json_error_unknown, "cli_json_syntax", "a comma, quote or bracket is missing or out of place"},
};

static size_t json_reason_index(const json_error_t *je)
{
    size_t last = sizeof json_reasons / sizeof json_reasons[0] - 1, i = 0;
    while (i < last && json_reasons[i].code != json_error_code(je))
        i++;
    return i;
}

const char *its_json_reason(const json_error_t *je)
{
    return json_reasons[json_reason_index(je)].english;
}

const char *its_json_reason_key(const json_error_t *je)
{
    return json_reasons[json_reason_index(je)].key;
}

size_t its_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = strlen(src);
    if (n > 0) {
        size_t k = len < n - 1 ? len : n - 1;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return len;
}

int its_path(char *out, size_t n, its_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    if (len >= 0 && (size_t)len < n)
        return 0;
    /* out holds the cut path: show its start, enough to recognise the folder */
    its_fail(err, "The path %.48s\u2026 is too long (%d characters, at most %zu): use a shorter "
                  "folder or file name.", out, len, n - 1);
    if (n > 0)
        out[0] = '\0';
    return -1;
}

void its_appendf(char *dst, size_t n, const char *fmt, ...)
{
    size_t used = strnlen(dst, n);
    if (used + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst + used, n - used, fmt, ap);
    va_end(ap);
}

char *its_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void its_wipe(void *p, size_t n)
{
    /* A volatile pointer stops the compiler from proving the stores dead. */
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

char *its_read_file(const char *path, size_t *len, its_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        its_fail(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (cap - n - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        free(buf);
        its_fail(err, "%s: cannot read the file", path);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void its_format_number(char *dst, size_t n, double v, int decimals)
{
    /* printf may print "-0.0000" for tiny negatives created by rounding; scores are never < 0. */
    if (v < 0 && v > -0.5e-12)
        v = 0;
    snprintf(dst, n, "%.*f", decimals, v);
}
