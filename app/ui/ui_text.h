/* ui_text.h — line breaking by measured width on the screens. The rule itself is the one the
 * printable report uses too, app/core/wrap.h (break at spaces, keep hard line breaks, never
 * exceed a pixel width or a character count, split a word only when it alone is too wide); these
 * are its names in pixels for the toolkit. */
#ifndef ITS_UI_TEXT_H
#define ITS_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

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

/* wrap_lines in pixels: lines no wider than max_w and no longer than max_chars code points. */
static inline int ui_text_wrap(const char *text, int max_w, int max_chars, ui_text_measure_fn measure,
                               void *ctx, ui_line *lines, int max_lines)
{
    return wrap_lines(text, max_w, max_chars, measure, ctx, lines, max_lines);
}

/* Number of UTF-8 code points in the first len bytes of s. */
static inline size_t ui_text_chars(const char *s, size_t len)
{
    return wrap_chars(s, len);
}

#endif
