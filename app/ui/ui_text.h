/* ui_text.h — line breaking by measured width on the screens. The rule itself is the one the
 * printable report uses too, app/core/wrap.h (break at spaces, keep hard line breaks, never
 * exceed a pixel width or a character count, split a word only when it alone is too wide); these
 * are its names in pixels for the toolkit. */
#ifndef ITS_UI_TEXT_H
#define ITS_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "wrap.h"

/* The measuring interface every layout uses (ui_widget, the worker's screens): text width and
 * line height in pixels for a font size and weight. ui_draw_measure gives SDL_ttf's; tests give
 * a fixed width per character, so layouts are checked without a window or a font. */
typedef struct ui_measure {
    void *ctx;
    int (*width)(void *ctx, const char *s, size_t len, int px, bool bold);
    int (*height)(void *ctx, int px, bool bold);
} ui_measure;

/* Width in pixels of the first `len` bytes of `s` (UTF-8). */
typedef wrap_measure_fn ui_text_measure_fn;
typedef wrap_line ui_line;

/* A ui_measure at one font size and weight: what the wrap rule measures with (ui_text_width). */
typedef struct ui_text_font {
    const ui_measure *by;
    int px;
    bool bold;
} ui_text_font;

static inline int ui_text_width(void *font, const char *s, size_t len)
{
    const ui_text_font *f = font;
    return f->by->width(f->by->ctx, s, len, f->px, f->bold);
}

/* wrap_lines in pixels: lines no wider than max_w and no longer than max_chars code points. */
static inline int ui_text_wrap(const char *text, int max_w, int max_chars, ui_text_measure_fn measure,
                               void *ctx, ui_line *lines, int max_lines)
{
    return wrap_lines(text, max_w, max_chars, measure, ctx, lines, max_lines);
}

/* wrap_fit in pixels: s cut to max_w with "…" when it does not fit, into out (size n). */
static inline size_t ui_text_fit(const ui_measure *m, const char *s, int max_w, int px, bool bold,
                                 char *out, size_t n)
{
    ui_text_font f = {m, px, bold};
    return wrap_fit(s, strlen(s), max_w, ui_text_width, &f, out, n);
}

/* Number of UTF-8 code points in the first len bytes of s. */
static inline size_t ui_text_chars(const char *s, size_t len)
{
    return wrap_chars(s, len);
}

#endif
