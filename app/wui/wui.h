/* wui.h — the worker's screens: unlock, the list of assessments, one assessment, a client's
 * trend, flag notes and exports, on the same SDL toolkit as the kiosk (app/ui).
 *
 * Owns the worker's screen state machine (run by the common loop, ui_loop.h). Everything the
 * screens show comes from the worker data layer (app/worker: worker.h, worker_detail.h,
 * worker_note.h, export.h); nothing here reads the store or formats scores on its own. The
 * unlocked index lives only between a successful unlock and the next lock: the lock button,
 * Ctrl+L, idle time and closing all go through worker_session_lock(), which wipes it.
 *
 * wui_run owns the window (`itsearvio worker`); wui_run_in_window runs the same screens in a
 * window someone else opened (the kiosk's hidden worker gesture) and returns when the worker
 * closes them, so the kiosk goes on where it was. */
#ifndef ITS_WUI_H
#define ITS_WUI_H

#include <stdbool.h>
#include "ui_script.h"
#include "util.h"

typedef struct wui_opts {
    const char *dir;        /* the data folder */
    const char *data_dir;   /* assets/, locale/ and questionnaires/ */
    const char *lang;       /* the worker's language: "fi" (default), "sv" or "en" */
    const char *export_dir; /* where exports go; NULL: ./itsearvio-vienti */
    int idle_seconds;       /* quiet time before the lock; 0: 300 */
    int w, h;               /* window size; 0: the whole screen (wui_run only) */
    bool windowed;          /* an ordinary window (wui_run only) */
    const char *script;     /* scripted run (wui_run only); see ui_script.h */
    const char *hint;       /* demo folders: the published passphrase, shown on the unlock screen */
} wui_opts;

/* Opens the window, runs the worker's screens until closed (or the script ends), locks.
 * 0 ok, -1 with a plain message (a failed script line as FILE:LINE: ...). */
int wui_run(const wui_opts *o, its_err *err);

struct ui_app;

/* The same screens in the window that is already open, with that program's context (the
 * worker's language is set on a view of its texts, the colours are the usual ones; the
 * client's stay as they were), starting at the unlock screen. `script` is the caller's running
 * script (NULL for people): it goes on here and the caller continues it afterwards. Returns 0
 * when the worker closed the screens, 1 when the script ended here (the caller stops too), -1
 * on a failed script line.
 *
 * With `interview` (the kiosk), the list has a "Haastattelu" button: the worker sits with a
 * client and enters the answers on the kiosk. It closes the screens and returns 2 with the
 * unlocked key's fingerprint in `interview` (the kiosk marks the next result assisted by it). */
#define WUI_WHO_MAX 65
int wui_run_in_window(const wui_opts *o, struct ui_app *app, ui_script *script,
                      char interview[WUI_WHO_MAX], its_err *err);

#endif
