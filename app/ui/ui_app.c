/* ui_app.c — see ui_app.h. */
#include "ui_app.h"

#include <stdio.h>
#include <string.h>

#include "ui_locale.h"
#include "ui_stop.h"

static char pool[65536];
static size_t pool_used;

int ui_app_open(ui_app *a, const char *data_dir, const char *lang, const char *script_path,
                ui_draw_opts d, its_err *err)
{
    char path[1024];
    a->sp = NULL;
    if (its_path(path, sizeof path, err, "%s/locale", data_dir) != 0 || ui_locale_load(path, err) != 0)
        return -1;
    ui_locale_set(lang);
    if (script_path) {
        if (ui_script_load(script_path, &a->script, err) != 0) {
            ui_locale_free();
            return -1;
        }
        a->sp = &a->script;
    }
    d.font_dir = path;
    if (its_path(path, sizeof path, err, "%s/assets/fonts", data_dir) != 0 ||
        ui_stop_watch(err) != 0 || ui_draw_open(&d, err) != 0) {
        ui_app_close(a);
        return -1;
    }
    return 0;
}

void ui_app_close(ui_app *a)
{
    ui_stop_end(); /* its watcher pushes SDL events: gone before SDL is */
    ui_draw_close();
    ui_locale_free();
    if (a->sp)
        ui_script_free(a->sp);
    a->sp = NULL;
}

const char *ui_app_keep(const char *s)
{
    size_t n = strlen(s) + 1;
    if (pool_used + n > sizeof pool)
        return "";
    char *d = pool + pool_used;
    memcpy(d, s, n);
    pool_used += n;
    return d;
}

void ui_app_keep_reset(void)
{
    pool_used = 0;
}
