/* ui_app.c — see ui_app.h. */
#include "ui_app.h"

#include <stdio.h>
#include <string.h>

#include "ui_stop.h"

int ui_app_open(ui_app *a, const char *data_dir, const char *lang, const char *script_path,
                ui_draw_opts d, its_err *err)
{
    char path[1024];
    memset(a, 0, sizeof *a);
    if (its_path(path, sizeof path, err, "%s/locale", data_dir) != 0 ||
        ui_locale_load(&a->loc, path, err) != 0)
        return -1;
    ui_locale_set(&a->loc, lang);
    if (script_path) {
        if (ui_script_load(script_path, &a->script, err) != 0) {
            ui_locale_free(&a->loc);
            return -1;
        }
        a->sp = &a->script;
    }
    d.font_dir = path;
    if (its_path(path, sizeof path, err, "%s/assets/fonts", data_dir) != 0 ||
        ui_stop_watch(err) != 0 || ui_draw_open(&a->draw, &d, err) != 0) {
        ui_app_close(a);
        return -1;
    }
    return 0;
}

void ui_app_close(ui_app *a)
{
    ui_stop_end(); /* its watcher pushes SDL events: gone before SDL is */
    ui_audio_close(&a->audio);
    ui_draw_close(a->draw);
    a->draw = NULL;
    ui_locale_free(&a->loc);
    if (a->sp)
        ui_script_free(a->sp);
    a->sp = NULL;
}

const char *ui_app_keep(ui_app *a, const char *s)
{
    size_t n = strlen(s) + 1;
    if (a->pool_used + n > sizeof a->pool)
        return "";
    char *d = a->pool + a->pool_used;
    memcpy(d, s, n);
    a->pool_used += n;
    return d;
}

void ui_app_keep_reset(ui_app *a)
{
    a->pool_used = 0;
}

const char *ui_app_tr(ui_app *a, const ui_locale *l, const char *key, const char *a1,
                      const char *a2, const char *a3)
{
    char buf[4096];
    ui_locale_format(l, buf, sizeof buf, key, a1, a2, a3, (const char *)NULL);
    return ui_app_keep(a, buf);
}
