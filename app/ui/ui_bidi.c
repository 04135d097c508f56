/* ui_bidi.c — see ui_bidi.h. */
#include "ui_bidi.h"

#include <stdint.h>
#include <stdlib.h>
#include <fribidi.h>

/* Lines up to about 390 bytes (21 bytes of arrays each) are worked on the stack. */
enum { STACK_BYTES = 8192 };

/* The code point at s[*i] (advancing *i); a broken byte reads as itself, one byte long. */
static uint32_t utf8_next(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    uint32_t c = s[*i];
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    bool whole = *i + (size_t)more < len;
    for (int k = 1; whole && k <= more; k++)
        whole = (s[*i + (size_t)k] & 0xC0) == 0x80;
    (*i)++;
    if (!more || !whole)
        return c;
    c &= more == 3 ? 0x07u : more == 2 ? 0x0Fu : 0x1Fu;
    for (int k = 0; k < more; k++)
        c = c << 6 | (s[(*i)++] & 0x3Fu);
    return c;
}

static size_t utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* The Arabic blocks: letters, digits, signs and presentation forms, all in Noto Sans Arabic. */
static bool is_arabic(uint32_t c)
{
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
           (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFF);
}

bool ui_bidi_needed(const char *s, size_t len, bool rtl)
{
    if (rtl)
        return true;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)s[i] < 0x80) { /* ASCII is left to right or neutral */
            i++;
            continue;
        }
        uint32_t c = utf8_next(s, len, &i);
        FriBidiCharType t = fribidi_get_bidi_type(c);
        if (is_arabic(c) || FRIBIDI_IS_RTL(t) || FRIBIDI_IS_ARABIC(t) || FRIBIDI_IS_EXPLICIT(t) ||
            FRIBIDI_IS_ISOLATE(t))
            return true;
    }
    return false;
}

/* The line as code points with their byte offsets, bidi types and resolved levels. */
typedef struct line_cps {
    FriBidiChar *cp;
    FriBidiCharType *type;
    FriBidiBracketType *bracket;
    FriBidiLevel *level;
    size_t *at;
    int n;
    void *heap;
} line_cps;

static int line_decode(line_cps *l, const char *s, size_t len, void *small, size_t small_size)
{
    size_t each = sizeof(FriBidiChar) + sizeof(FriBidiCharType) + sizeof(FriBidiBracketType) +
                  sizeof(FriBidiLevel) + sizeof(size_t);
    char *mem = small;
    l->heap = NULL;
    if (len * each > small_size) {
        mem = l->heap = malloc(len * each);
        if (!mem)
            return -1;
    }
    /* the widest members first, so every array is aligned */
    l->at = (size_t *)(void *)mem;
    l->cp = (FriBidiChar *)(void *)(l->at + len);
    l->type = (FriBidiCharType *)(void *)(l->cp + len);
    l->bracket = (FriBidiBracketType *)(void *)(l->type + len);
    l->level = (FriBidiLevel *)(void *)(l->bracket + len);
    l->n = 0;
    for (size_t i = 0; i < len;) {
        l->at[l->n] = i;
        l->cp[l->n++] = utf8_next(s, len, &i);
    }
    return 0;
}

/* The font of character i: Arabic script, or not; spaces go with the character before them, so
 * Arabic words and the spaces between them stay one run, shaped together. */
static bool font_arabic(const line_cps *l, int i, bool before)
{
    uint32_t c = l->cp[i];
    if ((c == ' ' || c == 0xA0) && i > 0)
        return before;
    return is_arabic(c);
}

/* Rule L2: from the highest level down to the lowest odd one, reverse every sequence of runs at
 * that level or higher. */
static void runs_reorder(ui_bidi_run *r, int n)
{
    unsigned char hi = 0, lo_odd = 255;
    for (int i = 0; i < n; i++) {
        if (r[i].level > hi)
            hi = r[i].level;
        if ((r[i].level & 1) && r[i].level < lo_odd)
            lo_odd = r[i].level;
    }
    for (int lev = hi; lev >= lo_odd && lev > 0; lev--)
        for (int i = 0; i < n;) {
            if (r[i].level < lev) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && r[j].level >= lev)
                j++;
            for (int a = i, b = j - 1; a < b; a++, b--) {
                ui_bidi_run t = r[a];
                r[a] = r[b];
                r[b] = t;
            }
            i = j;
        }
}

static int runs_split(const line_cps *l, size_t len, ui_bidi_run *runs, int max)
{
    int n = 0;
    bool prev_arabic = false;
    for (int i = 0; i < l->n; i++) {
        bool ar = font_arabic(l, i, prev_arabic);
        prev_arabic = ar;
        if (n > 0 && runs[n - 1].level == l->level[i] && runs[n - 1].arabic == ar)
            continue;
        if (n == max)
            return -1;
        if (n > 0)
            runs[n - 1].len = l->at[i] - runs[n - 1].start;
        runs[n++] = (ui_bidi_run){l->at[i], 0, (unsigned char)l->level[i], ar};
    }
    if (n > 0)
        runs[n - 1].len = len - runs[n - 1].start;
    return n;
}

int ui_bidi_runs(const char *s, size_t len, bool rtl, ui_bidi_run *runs, int max)
{
    if (len == 0)
        return 0;
    _Alignas(max_align_t) char small[STACK_BYTES];
    line_cps l;
    if (len > (size_t)INT32_MAX || line_decode(&l, s, len, small, sizeof small) != 0)
        return -1;
    FriBidiParType dir = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    fribidi_get_bidi_types(l.cp, l.n, l.type);
    fribidi_get_bracket_types(l.cp, l.n, l.type, l.bracket);
    int n = -1;
    if (fribidi_get_par_embedding_levels_ex(l.type, l.bracket, l.n, &dir, l.level)) {
        n = runs_split(&l, len, runs, max);
        if (n > 0)
            runs_reorder(runs, n);
    }
    free(l.heap);
    return n;
}

size_t ui_bidi_reverse(const char *s, size_t len, char *out, size_t cap)
{
    size_t w = 0, i = len;
    while (i > 0) {
        size_t start = i - 1;
        while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
            start--;
        size_t at = start;
        FriBidiChar c = utf8_next(s, len, &at), m;
        if (fribidi_get_mirror_char(c, &m))
            c = m;
        char buf[4];
        size_t k = utf8_put(c, buf);
        if (w + k >= cap)
            break;
        for (size_t j = 0; j < k; j++)
            out[w++] = buf[j];
        i = start;
    }
    if (cap > 0)
        out[w] = '\0';
    return w;
}
