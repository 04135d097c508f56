/* ui_stop.h — a clean stop on SIGTERM, SIGINT and SIGHUP (`systemctl stop`, Ctrl+C) for every
 * screen program (the kiosk, the tablet, the worker's screens).
 *
 * Why not SDL's own handlers: they post SDL_QUIT, which a kiosk must ignore (closing its window
 * is no way out of the lockdown), so `systemctl stop` waited 90 s for SIGKILL. Here the handler
 * only sets a flag and writes one byte to a pipe (both async-signal-safe); a watcher thread
 * reads the byte and pushes an SDL event, so a loop asleep in SDL_WaitEventTimeout wakes at
 * once and sees ui_stop_requested().
 *
 * Owns the handlers, the pipe and the watcher thread, between ui_stop_watch and ui_stop_end.
 * ui_app_open / ui_app_close call these; screen loops only ask ui_stop_requested(). */
#ifndef ITS_UI_STOP_H
#define ITS_UI_STOP_H

#include <stdbool.h>

#include "util.h"

/* Installs the handlers (SDL is told not to install its own) and starts the watcher. Call
 * before SDL_Init. -1 with a plain sentence if the pipe or the thread cannot be made. */
int ui_stop_watch(its_err *err);
/* Has a stop signal come since ui_stop_watch? */
bool ui_stop_requested(void);
/* Stops the watcher and puts the previous handlers back. Call before SDL_Quit. */
void ui_stop_end(void);

#endif
