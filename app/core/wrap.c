/* wrap.c — see wrap.h. */
#include "wrap.h"

#include <string.h>

#include "util.h"

size_t wrap_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Length in bytes of the UTF-8 sequence starting at s. */
static size_t utf8_step(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < n; i++)
        if (!s[i])
            return i;
    return n;
}

static int fits(const char *s, size_t len, int max_w, int max_chars, wrap_measure_fn measure,
                void *ctx)
{
    if (max_chars > 0 && wrap_chars(s, len) > (size_t)max_chars)
        return 0;
    return measure(ctx, s, len) <= max_w;
}

static void put_line(wrap_line *lines, int max_lines, int n, size_t start, size_t len)
{
    if (n < max_lines) {
        lines[n].start = start;
        lines[n].len = len;
    }
}

/* A word too long for a line on its own: cut it where the next character no longer fits (at
 * least one character per line, so the loop always advances). Returns the bytes that fit. */
static size_t split_word(const char *s, size_t len, int max_w, int max_chars,
                         wrap_measure_fn measure, void *ctx)
{
    size_t cut = utf8_step(s);
    while (cut < len) {
        size_t next = cut + utf8_step(s + cut);
        if (!fits(s, next, max_w, max_chars, measure, ctx))
            break;
        cut = next;
    }
    return cut;
}

int wrap_lines(const char *text, int max_w, int max_chars, wrap_measure_fn measure, void *ctx,
               wrap_line *lines, int max_lines)
{
    int n = 0;
    const char *p = text;
    while (*p) {
        /* One paragraph: up to a newline or the end. */
        size_t para = strcspn(p, "\n");
        size_t i = 0;
        if (para == 0)
            put_line(lines, max_lines, n++, (size_t)(p - text), 0);
        while (i < para) {
            while (i < para && p[i] == ' ')
                i++;
            if (i == para)
                break;
            size_t start = i, end = i; /* [start, end) is the line so far */
            for (;;) {
                size_t w = end;
                while (w < para && p[w] == ' ')
                    w++;
                size_t we = w;
                while (we < para && p[we] != ' ')
                    we++;
                if (w == para)
                    break;
                if (fits(p + start, we - start, max_w, max_chars, measure, ctx)) {
                    end = we;
                    continue;
                }
                if (end == start) /* the first word alone is too wide */
                    end = start + split_word(p + start, we - start, max_w, max_chars, measure, ctx);
                break;
            }
            put_line(lines, max_lines, n++, (size_t)(p + start - text), end - start);
            i = end;
        }
        p += para;
        if (*p == '\n')
            p++;
    }
    return n;
}

size_t wrap_fit(const char *s, size_t len, int max_w, wrap_measure_fn measure, void *ctx, char *out,
                size_t n)
{
    if (n == 0)
        return 0;
    if (len >= n)
        len = n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
    if (measure(ctx, out, len) <= max_w)
        return len;
    static const char dots[] = "\u2026";
    while (len > 0) {
        do /* whole characters only */
            len--;
        while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80);
        if (len + sizeof dots > n)
            continue;
        memcpy(out + len, dots, sizeof dots);
        if (measure(ctx, out, len + sizeof dots - 1) <= max_w)
            break;
    }
    if (len == 0)
        its_strlcpy(out, dots, n);
    return strlen(out);
}
