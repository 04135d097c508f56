/* ui_draw.h — the window, the software renderer, fonts and a cache of rendered text.
 *
 * Owns every SDL and SDL_ttf object of the process. Rendering is in software (both hints from
 * shared/bench: SDL_HINT_RENDER_DRIVER "software", SDL_HINT_FRAMEBUFFER_ACCELERATION "0"), which
 * is fast enough for these screens and needs no GPU. Text textures are cached by
 * (text, size, weight, colour) so a redraw without new text rasterises nothing.
 *
 * All of it is one ui_draw object (made by ui_draw_open, held in the screen program's context,
 * ui_app), so nothing here is process state; layouts measure through ui_draw_measure. */
#ifndef ITS_UI_DRAW_H
#define ITS_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <SDL.h>
#include "ui_text.h"
#include "ui_theme.h"
#include "util.h"

typedef struct ui_draw ui_draw;

typedef struct ui_draw_opts {
    int w, h;             /* window size; 0: the whole desktop */
    bool fullscreen;      /* full screen on the desktop */
    bool borderless;      /* no window decorations (a kiosk of a given size) */
    const char *font_dir; /* folder with NotoSans-Regular.ttf and NotoSans-Bold.ttf, and for
                             Arabic NotoSansArabic-Regular.ttf and -Bold.ttf */
    const char *title;
} ui_draw_opts;

/* Initialises SDL video, SDL_ttf and the window. -1 with a plain sentence on failure. */
int ui_draw_open(ui_draw **out, const ui_draw_opts *o, its_err *err);
/* Closes the window and SDL; NULL is fine. */
void ui_draw_close(ui_draw *d);

/* Output size in pixels. */
void ui_draw_size(const ui_draw *d, int *w, int *h);
SDL_Window *ui_draw_window(const ui_draw *d);
SDL_Renderer *ui_draw_renderer(const ui_draw *d);

/* The paragraph direction of every text from now on (the language's "lang_dir"): right to left
 * puts neutral signs and the order of runs the Arabic way (ui_bidi.h). Left to right at start. */
void ui_draw_set_rtl(ui_draw *d, bool rtl);
bool ui_draw_rtl(const ui_draw *d);

/* Text measuring (pixels) for a font size in px and weight: one shaping path with drawing (runs
 * split by FriBidi, each shaped by SDL_ttf's HarfBuzz, Arabic in Noto Sans Arabic). */
int ui_draw_text_width(ui_draw *d, const char *s, size_t len, int px, bool bold);
int ui_draw_line_height(ui_draw *d, int px, bool bold);
/* The same as the measuring interface the layouts take. */
ui_measure ui_draw_measure(ui_draw *d);

/* Draws the first len bytes of s (one line, logical order) with its top-left corner at (x, y). */
void ui_draw_text(ui_draw *d, const char *s, size_t len, int x, int y, int px, bool bold,
                  SDL_Color c);

void ui_draw_clear(ui_draw *d, SDL_Color c);
void ui_draw_fill(ui_draw *d, SDL_Rect r, SDL_Color c);
void ui_draw_frame(ui_draw *d, SDL_Rect r, int thickness, SDL_Color c);
/* A check mark inside r, strokes `thickness` px wide. */
void ui_draw_check(ui_draw *d, SDL_Rect r, int thickness, SDL_Color c);
/* A loudspeaker with two sound waves, fitted in r (the read-aloud button); mirrored: the
 * waves face left, towards the label of a right-to-left button. */
void ui_draw_speaker(ui_draw *d, SDL_Rect r, bool mirrored, SDL_Color c);
void ui_draw_present(ui_draw *d);

/* Writes what was last drawn as PNG, making its folder (one level) if it is missing. */
int ui_draw_save_png(ui_draw *d, const char *path, its_err *err);

/* Cache statistics, for the benchmark: textures made since start, and currently held. */
void ui_draw_cache_stats(const ui_draw *d, long *made, int *held);

#endif
