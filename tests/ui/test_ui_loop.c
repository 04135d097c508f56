/* test_ui_loop.c — the common loop and script host (ui_loop.h) in-process, without a window:
 * a fake screen (a table of functions over a counter) gets the script's keys through SDL's
 * event queue, the host finds its widgets, the idle deadline its tick gives wakes the loop, and
 * frame() can stop it or run it again. SDL's event queue works without a video driver. */
#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ui_loop.h"

typedef struct fake {
    ui_list top;
    int ticks, renders, forced, keys, taps, frames;
    int64_t wait;      /* what tick returns */
    int stop_after;    /* frame: stop at this frame (0: never) */
    bool done;
} fake;

static int64_t fake_tick(void *self)
{
    fake *f = self;
    f->ticks++;
    return f->wait;
}

static void fake_render(void *self, bool force)
{
    fake *f = self;
    f->renders++;
    f->forced += force;
}

static void fake_event(void *self, const SDL_Event *e)
{
    fake *f = self;
    if (e->type == SDL_KEYDOWN)
        f->keys++;
    if (e->type == SDL_KEYDOWN && e->key.keysym.sym == SDLK_ESCAPE)
        f->done = true;
}

static void fake_pointer(void *self, ui_ptr p)
{
    fake *f = self;
    f->taps += p.kind == UI_PTR_UP;
}

static bool fake_done(void *self)
{
    return ((fake *)self)->done;
}

static int fake_frame(void *self, ui_script *script, its_err *err)
{
    fake *f = self;
    f->frames++;
    if (f->frames == 1)
        return UI_LOOP_AGAIN; /* the kiosk's first-frame probe: round again before input */
    return f->stop_after && f->frames >= f->stop_after ? UI_LOOP_STOP : UI_LOOP_GO;
}

static int fake_more(void *self, SDL_Rect *r)
{
    return -1;
}

static int width(void *ctx, const char *s, size_t len, int px, bool bold)
{
    return (int)len * px / 2;
}

static int height(void *ctx, int px, bool bold)
{
    return px;
}

static ui_screen screen_for(fake *f, ui_app *app)
{
    return (ui_screen){.self = f, .app = app, .tick = fake_tick, .render = fake_render,
                       .pointer = fake_pointer, .event = fake_event, .done = fake_done, .frame = fake_frame,
                       .top = &f->top, .find_more = fake_more, .name = "the fake screen"};
}

/* Replays the script lines into the loop on the fake screen; ui_loop_run's result. */
static int run(ui_app *app, fake *f, const char *const *lines, int n, its_err *err)
{
    ui_script s;
    memset(&s, 0, sizeof s);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT); /* nothing left from the run before */
    s.cmds = calloc((size_t)n, sizeof *s.cmds);
    for (int i = 0; i < n; i++)
        CHECK_EQ_INT(ui_script_parse_line(lines[i], i + 1, &s.cmds[s.n++], err), 0);
    its_strlcpy(s.path, "test.txt", sizeof s.path);
    ui_screen sc = screen_for(f, app);
    int rc = ui_loop_run(&sc, &s, err);
    ui_script_free(&s);
    return rc;
}

int main(void)
{
    if (!CHECK(SDL_Init(SDL_INIT_EVENTS) == 0))
        return check_summary();
    ui_measure m = {NULL, width, height};
    its_err err;
    ui_app *app = calloc(1, sizeof *app); /* no window: the host pushes events to window 0 */

    /* keys reach the screen through the queue; the host sees the widgets; quit ends the run */
    fake f = {.wait = -1};
    ui_list_init(&f.top, m);
    ui_list_text(&f.top, 0, 0, 400, "Hello there", 20, 0);
    ui_list_button(&f.top, (SDL_Rect){0, 40, 200, 64}, "Next", 20, 0, 1, 0);
    const char *const ok[] = {"key Return", "key Tab", "expect \"Hello\"", "expect_not \"Bye\"",
                              "quit"};
    CHECK_EQ_INT(run(app, &f, ok, 5, &err), 1);
    CHECK_EQ_INT(f.keys, 2);
    CHECK(f.renders >= 5 && f.ticks == f.renders); /* one tick and one render a round */
    CHECK_EQ_INT(f.forced, 0);

    /* a failed expectation names the file and line */
    const char *const bad[] = {"key Return", "expect \"Bye\""};
    CHECK_EQ_INT(run(app, &f, bad, 2, &err), -1);
    CHECK(strstr(err.msg, "test.txt:2:") != NULL);

    /* a tap finds the button by label and comes as one pointer (a press and a release); a
     * missing one fails */
    const char *const tap_ok[] = {"tap \"Next\"", "tap 10 10", "quit"};
    CHECK_EQ_INT(run(app, &f, tap_ok, 3, &err), 1);
    CHECK_EQ_INT(f.taps, 2);
    CHECK_EQ_INT(f.keys, 3); /* the pointer is not an event too */
    const char *const tap[] = {"tap \"Nope\""};
    CHECK_EQ_INT(run(app, &f, tap, 1, &err), -1);
    CHECK(strstr(err.msg, "no button \"Nope\"") != NULL);

    /* the screen ends the loop (Escape sets done): the rest of the script is not run */
    fake g = {.wait = -1};
    ui_list_init(&g.top, m);
    const char *const esc[] = {"key Escape", "key Return", "quit"};
    CHECK_EQ_INT(run(app, &g, esc, 3, &err), 0);
    CHECK_EQ_INT(g.keys, 1);

    /* frame() stops the loop (the benchmark's first frame) */
    fake h = {.wait = -1, .stop_after = 3};
    ui_list_init(&h.top, m);
    const char *const many[] = {"key a", "key b", "key c", "key d", "quit"};
    CHECK_EQ_INT(run(app, &h, many, 5, &err), 0);
    CHECK_EQ_INT(h.frames, 3);
    CHECK_EQ_INT(h.keys, 0); /* "key a" was pushed, the stop came first */

    /* without a script the loop sleeps until the deadline tick gave, then looks again */
    fake p = {.wait = 30};
    ui_list_init(&p.top, m);
    p.stop_after = 4;
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    ui_screen sc = screen_for(&p, app);
    CHECK_EQ_INT(ui_loop_run(&sc, NULL, &err), 0); /* returns: the sleeps ended */
    CHECK_EQ_INT(p.frames, 4);
    CHECK_EQ_INT(p.keys, 0);

    ui_list_free(&f.top);
    ui_list_free(&g.top);
    ui_list_free(&h.top);
    ui_list_free(&p.top);
    free(app);
    SDL_Quit();
    return check_summary();
}
