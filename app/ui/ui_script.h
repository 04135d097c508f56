/* ui_script.h — scripted runs: a small line-based language replayed into the real event loop.
 *
 *   # comment
 *   tap "Seuraava"        tap the button with this label (mouse down + up at its centre)
 *   tap 640 400           tap a point
 *   seek "Ei"             scroll a page down until the label is on screen
 *   touch 640 400         the same with finger events (a touch screen); touch "label" too
 *   press 10 10           put a finger down and keep it there (release 10 10 lifts it): with
 *                         `advance 3` between, a long press
 *   dtap "Lähetä"         two taps at once (a double tap), without the human pause
 *   drag "Seuraava" 10 10 press on the button, slide to a point, release there (cancels)
 *   key Return            a key; modifiers as ctrl+alt+w; names as SDL_GetKeyFromName
 *   type K7M4QXR          text input, one character at a time
 *   wait 100              sleep milliseconds (real time)
 *   advance 125           move the idle clock forward by seconds without sleeping
 *   shot out/start.png    write the screen as PNG
 *   expect "Kysymys 3 / 12"   fail unless some visible widget shows this text
 *   expect_not "Jatka"    fail if some visible widget shows it
 *   crash                 end the process with SIGKILL at once (crash tests)
 *   quit                  end the run (exit 0)
 *   hold                  stop reading the script and go on as a normal kiosk (benchmarks)
 *
 * Owns the parser and the player. Input is pushed with SDL_PushEvent, so it goes through the
 * same event handling as a person's touch. Before each `tap` the clock moves 300 ms, the pace
 * of a quick person, so the double-tap guard does not swallow scripted taps. */
#ifndef ITS_UI_SCRIPT_H
#define ITS_UI_SCRIPT_H

#include <stdbool.h>
#include <SDL.h>
#include "util.h"

typedef enum ui_script_op {
    UI_SCRIPT_TAP, UI_SCRIPT_TAP_AT, UI_SCRIPT_SEEK, UI_SCRIPT_TOUCH_AT, UI_SCRIPT_TOUCH,
    UI_SCRIPT_PRESS_AT, UI_SCRIPT_RELEASE_AT, UI_SCRIPT_DTAP, UI_SCRIPT_DRAG,
    UI_SCRIPT_KEY, UI_SCRIPT_TYPE, UI_SCRIPT_WAIT, UI_SCRIPT_ADVANCE, UI_SCRIPT_SHOT,
    UI_SCRIPT_EXPECT, UI_SCRIPT_EXPECT_NOT, UI_SCRIPT_CRASH, UI_SCRIPT_QUIT, UI_SCRIPT_HOLD
} ui_script_op;

typedef struct ui_script_cmd {
    ui_script_op op;
    int line;
    char arg[256];  /* label, key name, text or path */
    int x, y;       /* points; wait/advance amount in x */
} ui_script_cmd;

typedef struct ui_script {
    ui_script_cmd *cmds;
    int n;
    int next;
    int tries;      /* seek: pages shown so far */
    char path[512];
} ui_script;

/* What the player needs from the application. */
typedef struct ui_script_host {
    void *ctx;
    /* Rectangle of the button with this label on the current screen; -1 if none. */
    int (*find)(void *ctx, const char *label, SDL_Rect *r);
    bool (*shows)(void *ctx, const char *text);
    /* Rectangle of the "scroll down" button of a page that scrolls; -1 if none. */
    int (*find_more)(void *ctx, SDL_Rect *r);
    int (*shot)(void *ctx, const char *path, its_err *err);
    void (*advance)(void *ctx, int ms);
    void (*dump)(void *ctx); /* prints what is on the screen, after a failure */
    const struct ui_draw *draw; /* the window input is pushed to (its size for touches) */
} ui_script_host;

/* Parses one line. 0: a command, 1: blank or comment, -1: error (err says why). */
int ui_script_parse_line(const char *line, int line_no, ui_script_cmd *cmd, its_err *err);

/* Loads a script file; errors name the file and line. */
int ui_script_load(const char *path, ui_script *s, its_err *err);
void ui_script_free(ui_script *s);

/* Runs the next command. 0: more to do, 1: finished (end or quit), 2: hold (carry on without
 * the script), -1: failed (err has "FILE:LINE: ..."). */
int ui_script_step(ui_script *s, const ui_script_host *h, its_err *err);

#endif
