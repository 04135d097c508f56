/* ui_loop.c — see ui_loop.h. */
#include "ui_loop.h"

#include <stdio.h>
#include <string.h>

#include "ui_stop.h"

/* ---- the script host ------------------------------------------------------------------------ */

static bool visible(const ui_screen *s, const ui_widget *w)
{
    SDL_Rect in;
    return !s->view || SDL_IntersectRect(&w->r, s->view, &in) || w->r.h == 0;
}

static bool whole_in_view(const ui_screen *s, const ui_widget *w)
{
    return !s->view || (w->r.y >= s->view->y && w->r.y + w->r.h <= s->view->y + s->view->h);
}

/* The button under a fixed text with this label (a field's grey placeholder), or -1. */
static int find_under_text(const ui_list *l, const char *label)
{
    for (int i = l->n - 1; i >= l->modal; i--) {
        const ui_widget *t = &l->w[i];
        if (t->kind != UI_TEXT || strcmp(t->text, label) != 0)
            continue;
        for (int k = i - 1; k >= l->modal; k--)
            if (l->w[k].kind == UI_BUTTON && SDL_HasIntersection(&t->r, &l->w[k].r))
                return k;
    }
    return -1;
}

/* Buttons, then (so `seek` can scroll to an answer) whole texts, of the scrolled area. */
static int find_in_body(const ui_screen *s, const char *label, SDL_Rect *r)
{
    for (int pass = 0; pass < 2 && s->body && !s->top->modal; pass++)
        for (int k = s->body->n - 1; k >= 0; k--) {
            const ui_widget *w = &s->body->w[k];
            if ((w->kind == UI_BUTTON) == (pass == 0) && !strcmp(w->text, label) &&
                (pass == 0 ? visible(s, w) : whole_in_view(s, w))) {
                *r = w->r;
                return 0;
            }
        }
    return -1;
}

static int host_find(void *ctx, const char *label, SDL_Rect *r)
{
    const ui_screen *s = ctx;
    int i = ui_list_find(s->top, label);
    if (i < 0)
        i = find_under_text(s->top, label);
    if (i >= 0) {
        *r = s->top->w[i].r;
        return 0;
    }
    if (find_in_body(s, label, r) == 0)
        return 0;
    return s->find_other && !s->top->modal ? s->find_other(s->self, label, r) : -1;
}

static int host_find_more(void *ctx, SDL_Rect *r)
{
    const ui_screen *s = ctx;
    return s->find_more(s->self, r);
}

static bool host_shows(void *ctx, const char *text)
{
    const ui_screen *s = ctx;
    if (ui_list_shows(s->top, text))
        return true;
    for (int i = 0; s->body && i < s->body->n && !s->top->modal; i++)
        if (visible(s, &s->body->w[i]) && strstr(s->body->w[i].text, text))
            return true;
    return false;
}

static int host_shot(void *ctx, const char *path, its_err *err)
{
    const ui_screen *s = ctx;
    s->render(s->self, true);
    return ui_draw_save_png(s->app->draw, path, err);
}

static void host_advance(void *ctx, int ms)
{
    const ui_screen *s = ctx;
    ui_clock_advance(&s->app->clock, (uint64_t)ms);
}

static void host_dump(void *ctx)
{
    const ui_screen *s = ctx;
    fprintf(stderr, "on %s:\n", s->name);
    ui_list_dump(s->top, stderr);
    for (int i = 0; s->body && i < s->body->n; i++)
        if (visible(s, &s->body->w[i]))
            fprintf(stderr, "  %s \"%s\"\n", s->body->w[i].kind == UI_BUTTON ? "button" : "text",
                    s->body->w[i].text);
}

/* The script host on the screen's widgets; its ctx is the ui_screen. */
static ui_script_host loop_host(const ui_screen *s)
{
    return (ui_script_host){(void *)s, host_find,    host_shows, host_find_more,
                            host_shot, host_advance, host_dump,  s->app->draw};
}

/* ---- the loop ---------------------------------------------------------------------------- */

/* One event to the screen: a pointer (deduplicated) or anything else. */
static void deliver(const ui_screen *s, ui_input *in, const SDL_Event *e)
{
    int w = 0, h = 0;
    if (s->app->draw)
        ui_draw_size(s->app->draw, &w, &h);
    ui_ptr p = ui_input_pointer(in, e, w, h);
    if (p.kind != UI_PTR_NONE)
        s->pointer(s->self, p);
    else
        s->event(s->self, e);
}

/* Handles what is queued, one event at a time, until the screen is done. */
static bool drain(const ui_screen *s, ui_input *in)
{
    SDL_Event e;
    bool any = false;
    while (!s->done(s->self) && SDL_PollEvent(&e)) {
        deliver(s, in, &e);
        any = true;
    }
    return any;
}

/* People: sleep until an event or the screen's next deadline (no polling). */
static void sleep_until_input(const ui_screen *s, ui_input *in, int64_t wait)
{
    SDL_Event e;
    int got = wait < 0 ? SDL_WaitEvent(&e)
                       : SDL_WaitEventTimeout(&e, wait > INT32_MAX ? INT32_MAX : (int)wait);
    if (got) {
        deliver(s, in, &e);
        drain(s, in); /* what came with it, before the next frame */
    }
}

int ui_loop_run(const ui_screen *s, ui_script *script, its_err *err)
{
    ui_script_host host = loop_host(s);
    ui_input in = {0};
    while (!s->done(s->self) && !ui_stop_requested()) {
        int64_t wait = s->tick(s->self);
        s->render(s->self, false);
        int rc = s->frame ? s->frame(s->self, script, err) : UI_LOOP_GO;
        if (rc != UI_LOOP_GO) {
            if (rc == UI_LOOP_AGAIN)
                continue;
            return rc < 0 ? -1 : 0;
        }
        if (drain(s, &in))
            continue;
        if (!script) {
            sleep_until_input(s, &in, wait);
            continue;
        }
        rc = ui_script_step(script, &host, err);
        if (rc == 2)
            script = NULL; /* hold: on as for people */
        else if (rc != 0)
            return rc;
    }
    return 0;
}
