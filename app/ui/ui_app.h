/* ui_app.h — the context of a screen program (the client kiosk, the worker's screens): what
 * every screen reads and nothing keeps as process state — the window and renderer with its fonts
 * and text cache (ui_draw), the texts (ui_locale), the idle clock (ui_clock), the sound device
 * (ui_audio), the script being replayed, and a pool for the texts made while a screen is laid
 * out. Like microui's context, it is passed to what needs it.
 *
 * Opening the locale, the script and the window happens in that order, closing in reverse.
 * Texts kept with ui_app_keep live until ui_app_keep_reset, which each layout calls first
 * (widgets copy their texts, so nothing on screen points into the pool). */
#ifndef ITS_UI_APP_H
#define ITS_UI_APP_H

#include "ui_audio.h"
#include "ui_draw.h"
#include "ui_idle.h"
#include "ui_locale.h"
#include "ui_script.h"

enum { UI_APP_POOL = 65536 };

typedef struct ui_app {
    ui_draw *draw;     /* the window, renderer, fonts and text cache */
    ui_locale loc;     /* every text, and the language chosen */
    ui_clock clock;    /* the idle clock; scripts move it forward */
    ui_audio audio;    /* read-aloud and the idle chime */
    ui_script script;
    ui_script *sp;     /* &script while a script runs, else NULL */
    char pool[UI_APP_POOL];
    size_t pool_used;
} ui_app;

/* Loads DATA/locale and sets `lang`, loads the script when script_path is not NULL, takes the
 * stop signals (ui_stop.h: loops end when ui_stop_requested()) and opens the window with the
 * fonts in DATA/assets/fonts (d.font_dir is filled in). On failure -1 with a plain sentence and
 * nothing left open. */
int ui_app_open(ui_app *a, const char *data_dir, const char *lang, const char *script_path,
                ui_draw_opts d, its_err *err);
/* Puts the signal handlers back, closes the sound, the window, the locale and the script. */
void ui_app_close(ui_app *a);

/* A copy of s kept until the next ui_app_keep_reset ("" when the pool is full). */
const char *ui_app_keep(ui_app *a, const char *s);
void ui_app_keep_reset(ui_app *a);
/* The text for key in l with {1}..{3} filled (NULL: none), kept like ui_app_keep. */
const char *ui_app_tr(ui_app *a, const ui_locale *l, const char *key, const char *a1,
                      const char *a2, const char *a3);

#endif
