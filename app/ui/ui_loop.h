/* ui_loop.h — the one event loop of every screen program (the client's kiosk and the worker's
 * screens), and the one script host that replays scripts into it.
 *
 * A program hands the loop a ui_screen: a small table of functions over its own state (`self`),
 * in the manner of LVGL's display driver and microui's host callbacks:
 *   tick    the idle policy: applies the idle rule now; returns the ms until it must look again
 *           (-1: never), which is how long the loop may sleep
 *   render  lays out what changed and draws what must be drawn (`force`: draw even if nothing did)
 *   pointer a press, move or release: one pointer out of SDL's finger and mouse events (the
 *           loop keeps the dedupe state, ui_input.h)
 *   event   any other SDL event: key, text, wheel, window, quit
 *   done    true when the loop must end (closed, quit)
 *   frame   optional, after each render: work that belongs between frames (the kiosk reads a new
 *           screen aloud, hands over to the worker's screens); UI_LOOP_GO, UI_LOOP_AGAIN (loop
 *           again before sleeping), UI_LOOP_STOP, or -1 with err filled
 * and, for the script host, where the widgets are: `top` (fixed; a modal layer on it hides the
 * rest), `body` (scrolled, clipped to `view`; NULL when there is none), and two finders.
 *
 * Event-driven: without a script the loop sleeps in SDL_WaitEvent(Timeout) until input or the
 * deadline tick gave, so an idle screen takes no CPU. With one, what is queued is handled first
 * and a script line runs only when nothing is. A stop signal (ui_stop.h) ends the loop between two
 * events. Owns the pointer's dedupe state for one run; the rest is the screen's (its state) or
 * the context's (the window, the clock). */
#ifndef ITS_UI_LOOP_H
#define ITS_UI_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>

#include "ui_app.h"
#include "ui_input.h"
#include "ui_widget.h"

enum { UI_LOOP_GO = 0, UI_LOOP_STOP = 1, UI_LOOP_AGAIN = 2 };

typedef struct ui_screen {
    void *self;
    ui_app *app;
    int64_t (*tick)(void *self);
    void (*render)(void *self, bool force);
    void (*pointer)(void *self, ui_ptr p);
    void (*event)(void *self, const SDL_Event *e);
    bool (*done)(void *self);
    int (*frame)(void *self, ui_script *script, its_err *err); /* NULL: none */
    /* the script host */
    ui_list *top;
    ui_list *body;
    const SDL_Rect *view;
    /* The "scroll down" control of a page that scrolls; -1 if none. */
    int (*find_more)(void *self, SDL_Rect *r);
    /* Where a label is that is not a widget's (a row of a table drawn by the screen); -1 none. */
    int (*find_other)(void *self, const char *label, SDL_Rect *r); /* NULL: none */
    const char *name; /* "the screen", "the worker's screen": for a failed script's dump */
} ui_screen;

/* Runs until done(), a stop signal, or the script's end. 0: done or stopped, 1: the script
 * ended (`quit` or its last line), -1: a script line or frame failed (err says which). On `hold`
 * the script is dropped and the loop goes on as for people. */
int ui_loop_run(const ui_screen *s, ui_script *script, its_err *err);

#endif
