/* wrap.h — line breaking and fitting by measured width, the one rule for the screens (ui_text,
 * ui_widget) and the printable report (app/worker/pdf.c).
 *
 * Owns only the rule: break at spaces, keep hard line breaks, never exceed a width or a character
 * count (selkokieli: lines of at most ~60 characters), split a word only when it alone is wider
 * than the line; a text that must stay on one line is cut with "…", never inside a character.
 * Pure: the caller supplies the measuring function (SDL_ttf on the screens, cairo in the PDF, a
 * fixed width per character in the unit tests), so the rule is tested without a window or font. */
#ifndef ITS_WRAP_H
#define ITS_WRAP_H

#include <stddef.h>

/* Width of the first `len` bytes of `s` (UTF-8), in the caller's unit (pixels, 1/100 points). */
typedef int (*wrap_measure_fn)(void *ctx, const char *s, size_t len);

typedef struct wrap_line {
    size_t start; /* byte offset into the text */
    size_t len;   /* bytes, trailing spaces excluded */
} wrap_line;

/* Breaks `text` into lines no wider than max_w and no longer than max_chars code points (0: no
 * character limit). Stores at most max_lines lines and returns how many lines the text needs
 * (which may be more than max_lines). An empty text has zero lines. */
int wrap_lines(const char *text, int max_w, int max_chars, wrap_measure_fn measure, void *ctx,
               wrap_line *lines, int max_lines);

/* The first `len` bytes of s, cut to max_w with "…" when they do not fit, into out (size n,
 * always terminated). Returns the bytes written. */
size_t wrap_fit(const char *s, size_t len, int max_w, wrap_measure_fn measure, void *ctx, char *out,
                size_t n);

/* Number of UTF-8 code points in the first len bytes of s. */
size_t wrap_chars(const char *s, size_t len);

#endif
