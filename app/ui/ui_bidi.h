/* ui_bidi.h — one line of text as runs in visual order, for right-to-left languages.
 *
 * Owns the split of a line (UTF-8, logical order, as wrap_lines cut it) into bidi runs with GNU
 * FriBidi: each run has one embedding level (odd: right to left) and one font (Arabic script or
 * not), and the runs come out in the order they are drawn, left to right (rule L2 of the Unicode
 * bidi algorithm). Shaping the runs is ui_draw's job (SDL_ttf with HarfBuzz); this module has no
 * SDL, so the order is tested without a window.
 *
 * A line wholly left to right in a left-to-right paragraph needs none of this (ui_bidi_needed is
 * false), so Latin text keeps the path it always had. Numbers and Latin words inside Arabic stay
 * left to right: FriBidi gives them an even level. */
#ifndef ITS_UI_BIDI_H
#define ITS_UI_BIDI_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ui_bidi_run {
    size_t start, len;   /* bytes of the line, logical order */
    unsigned char level; /* odd: right to left */
    bool arabic;         /* Arabic script: drawn with the Arabic font */
} ui_bidi_run;

/* Whether the first len bytes of s need the bidi path: the paragraph is right to left, or some
 * character is right to left or Arabic script. */
bool ui_bidi_needed(const char *s, size_t len, bool rtl);

/* Splits the first len bytes of s (one line of a paragraph whose direction is rtl) into runs in
 * visual order, left to right. Returns the number of runs, or -1 when there are more than max
 * (or no memory): the caller then draws the line as it is. */
int ui_bidi_runs(const char *s, size_t len, bool rtl, ui_bidi_run *runs, int max);

/* A right-to-left run drawn with a font that does not shape it (brackets, signs between Arabic
 * words): its characters reversed and mirrored ("(" becomes ")"), into out (cap bytes, always
 * terminated). Returns the length written. */
size_t ui_bidi_reverse(const char *s, size_t len, char *out, size_t cap);

#endif
