/* ui_app.h — what every screen program (the client kiosk, the worker's screens) does the same way
 * around its own screens: opening the locale, the script and the window in that order and closing
 * them in reverse, and a pool for the texts made while one screen is laid out.
 *
 * Owns the pool: texts kept with ui_app_keep live until ui_app_keep_reset, which each layout
 * calls first (widgets copy their texts, so nothing on screen points into the pool). */
#ifndef ITS_UI_APP_H
#define ITS_UI_APP_H

#include "ui_draw.h"
#include "ui_script.h"

typedef struct ui_app {
    ui_script script;
    ui_script *sp; /* &script while a script runs, else NULL */
} ui_app;

/* Loads DATA/locale and sets `lang`, loads the script when script_path is not NULL, takes the
 * stop signals (ui_stop.h: loops end when ui_stop_requested()) and opens the window with the
 * fonts in DATA/assets/fonts (d.font_dir is filled in). On failure -1 with a plain sentence and
 * nothing left open. */
int ui_app_open(ui_app *a, const char *data_dir, const char *lang, const char *script_path,
                ui_draw_opts d, its_err *err);
/* Puts the signal handlers back, closes the window, the locale and the script. */
void ui_app_close(ui_app *a);

/* A copy of s kept until the next ui_app_keep_reset ("" when the pool is full). */
const char *ui_app_keep(const char *s);
void ui_app_keep_reset(void);

#endif
