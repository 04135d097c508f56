/* kiosk.h — the client-facing kiosk and tablet: the screens of the assessment state machine
 * (app/core/flow.h, where its transitions are described) on the common loop (ui_loop.h), idle
 * deadlines, lockdown and scripted runs.
 *
 * kiosk_run owns the window for as long as it runs and returns when a script ends, or (only
 * with `windowed`) when the window is closed. A kiosk never exits on its own. */
#ifndef ITS_KIOSK_H
#define ITS_KIOSK_H

#include <stdbool.h>
#include "kiosk_sink.h"
#include "qn.h"

#define KIOSK_WHO_MAX 65 /* a worker key fingerprint, as flow.h FLOW_WHO_MAX */

struct ui_app;
struct ui_script;

typedef struct kiosk_opts {
    bool tablet;               /* tablet: drafts are kept over idle time and resumed for hours */
    bool windowed;             /* a normal window that can be closed (development) */
    int w, h;                  /* window size; 0: the whole screen */
    qn **qns;                  /* enabled questionnaires, loaded */
    int n_qns;
    const char *script;        /* scripted run (tests, demos); NULL for people */
    const char *lang;          /* first language: "fi", "sv" or "en" */
    bool allow_unreviewed;     /* offer translations marked unreviewed too (certify.h): tests
                                  and demos only, never for clients */
    const char *data_dir;      /* folder with assets/ and locale/ */
    int idle_seconds;          /* quiet time before the warning; 0: 120 */
    int countdown_seconds;     /* warning countdown; 0: 30 (never under 20) */
    kiosk_sink *sink;          /* where results and drafts go */
    /* The worker's screens for the hidden gesture (app/wui: wui_run_in_window), run in this
     * window (the kiosk's context) with the running script; returns 0 closed, 1 the script
     * ended, -1 failed. NULL: a placeholder screen. */
    /* the worker's screens; 2: closed to start an interview by the worker named in `interview`
     * (a key fingerprint: the next result is marked assisted) */
    int (*worker)(void *ctx, struct ui_app *app, struct ui_script *script,
                  char interview[KIOSK_WHO_MAX], its_err *err);
    void *worker_ctx;
    int bench_question;        /* benchmark: open on this question of qns[0], anonymous; 0: no */
    const char *bench_shot;    /* benchmark: write the first frame here as PNG, then return */
} kiosk_opts;

/* Runs until a script ends or a windowed kiosk is closed. 0 ok, -1 with a plain message
 * (including a failed script line as FILE:LINE: ...). */
int kiosk_run(const kiosk_opts *o, its_err *err);

#endif
