/* ui_draw.h — the window, the software renderer, fonts and a cache of rendered text.
 *
 * Owns every SDL and SDL_ttf object of the process. Rendering is in software (both hints from
 * shared/bench: SDL_HINT_RENDER_DRIVER "software", SDL_HINT_FRAMEBUFFER_ACCELERATION "0"), which
 * is fast enough for these screens and needs no GPU. Text textures are cached by
 * (text, size, weight, colour) so a redraw without new text rasterises nothing. */
#ifndef ITS_UI_DRAW_H
#define ITS_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <SDL.h>
#include "ui_theme.h"
#include "util.h"

/* Colours of the current theme (ui_theme.h: the values and the contrast they meet). */
#define UI_INK      (ui_theme_get()->ink)
#define UI_PAPER    (ui_theme_get()->paper)
#define UI_BLUE     (ui_theme_get()->accent)
#define UI_PALE     (ui_theme_get()->face)
#define UI_LABEL    (ui_theme_get()->label)
#define UI_TRACK    (ui_theme_get()->track)
#define UI_GREY     (ui_theme_get()->muted)
#define UI_SHADE    (ui_theme_get()->shade)
#define UI_ERROR    (ui_theme_get()->alert)

typedef struct ui_draw_opts {
    int w, h;             /* window size; 0: the whole desktop */
    bool fullscreen;      /* full screen on the desktop */
    bool borderless;      /* no window decorations (a kiosk of a given size) */
    const char *font_dir; /* folder with NotoSans-Regular.ttf and NotoSans-Bold.ttf */
    const char *title;
} ui_draw_opts;

/* Initialises SDL video, SDL_ttf and the window. -1 with a plain sentence on failure. */
int ui_draw_open(const ui_draw_opts *o, its_err *err);
void ui_draw_close(void);

/* Output size in pixels. */
void ui_draw_size(int *w, int *h);
SDL_Window *ui_draw_window(void);

/* Text measuring (pixels) for a font size in px and weight. */
int ui_draw_text_width(const char *s, size_t len, int px, bool bold);
int ui_draw_line_height(int px, bool bold);

/* Draws the first len bytes of s with its top-left corner at (x, y). */
void ui_draw_text(const char *s, size_t len, int x, int y, int px, bool bold, SDL_Color c);

void ui_draw_clear(SDL_Color c);
void ui_draw_fill(SDL_Rect r, SDL_Color c);
void ui_draw_frame(SDL_Rect r, int thickness, SDL_Color c);
/* A check mark inside r, strokes `thickness` px wide. */
void ui_draw_check(SDL_Rect r, int thickness, SDL_Color c);
/* A loudspeaker with two sound waves, fitted in r (the read-aloud button). */
void ui_draw_speaker(SDL_Rect r, SDL_Color c);
void ui_draw_present(void);

/* Writes what was last drawn as PNG, making its folder (one level) if it is missing. */
int ui_draw_save_png(const char *path, its_err *err);

/* Cache statistics, for the benchmark: textures made since start, and currently held. */
void ui_draw_cache_stats(long *made, int *held);

#endif
