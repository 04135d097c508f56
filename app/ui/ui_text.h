/* ui_text.h — line breaking by measured width. Owns only the wrapping rule: break at spaces,
 * keep hard line breaks, never exceed a pixel width or a character count (selkokieli: lines of
 * at most ~60 characters), split a word only when it alone is wider than the line.
 *
 * Pure: the caller supplies the measuring function (TTF_SizeUTF8 in the app, a fixed width per
 * character in the unit tests), so the rule is tested without a window. */
#ifndef ITS_UI_TEXT_H
#define ITS_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The measuring interface every layout uses (ui_widget, the worker's screens): text width and
 * line height in pixels for a font size and weight. ui_draw_measure gives SDL_ttf's; tests give
 * a fixed width per character, so layouts are checked without a window or a font. */
typedef struct ui_measure {
    void *ctx;
    int (*width)(void *ctx, const char *s, size_t len, int px, bool bold);
    int (*height)(void *ctx, int px, bool bold);
} ui_measure;

/* Width in pixels of the first `len` bytes of `s` (UTF-8). */
typedef int (*ui_text_measure_fn)(void *ctx, const char *s, size_t len);

typedef struct ui_line {
    size_t start; /* byte offset into the text */
    size_t len;   /* bytes, trailing spaces excluded */
} ui_line;

/* Breaks `text` into lines no wider than max_w pixels and no longer than max_chars code points
 * (0: no character limit). Stores at most max_lines lines and returns how many lines the text
 * needs (which may be more than max_lines). An empty text has zero lines. */
int ui_text_wrap(const char *text, int max_w, int max_chars, ui_text_measure_fn measure, void *ctx,
                 ui_line *lines, int max_lines);

/* Number of UTF-8 code points in the first len bytes of s. */
size_t ui_text_chars(const char *s, size_t len);

#endif
