/* util.c — see util.h. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int its_fail(its_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
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
