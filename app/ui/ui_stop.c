/* ui_stop.c — see ui_stop.h. */
#include "ui_stop.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>

static const int stop_signals[] = {SIGTERM, SIGINT, SIGHUP};
enum { N_SIGNALS = sizeof stop_signals / sizeof stop_signals[0] };

static volatile sig_atomic_t stop_flag;
static int stop_pipe[2] = {-1, -1};
static struct sigaction old_actions[N_SIGNALS];
static pthread_t watcher;
static bool watching;

static void on_signal(int sig)
{
    (void)sig;
    int saved = errno;
    stop_flag = 1;
    if (write(stop_pipe[1], "s", 1) < 0) { /* full pipe: a byte is already waiting */
    }
    errno = saved;
}

/* Wakes the screen loop once per signal; ends on 'q' (ui_stop_end) or a closed pipe. */
static void *watch(void *unused)
{
    (void)unused;
    Uint32 wake_type = SDL_RegisterEvents(1);
    char c;
    for (;;) {
        ssize_t n = read(stop_pipe[0], &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || c == 'q')
            return NULL;
        SDL_Event e = {.type = wake_type != (Uint32)-1 ? wake_type : SDL_USEREVENT};
        if (SDL_WasInit(SDL_INIT_EVENTS))
            SDL_PushEvent(&e);
    }
}

static void close_pipe(void)
{
    for (int i = 0; i < 2; i++) {
        if (stop_pipe[i] >= 0)
            close(stop_pipe[i]);
        stop_pipe[i] = -1;
    }
}

int ui_stop_watch(its_err *err)
{
    if (watching)
        return 0;
    stop_flag = 0;
    if (pipe(stop_pipe) != 0 || fcntl(stop_pipe[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(stop_pipe[1], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(stop_pipe[1], F_SETFL, O_NONBLOCK) != 0) {
        close_pipe();
        return its_fail(err, "The program could not prepare for a clean stop (%s).",
                        strerror(errno));
    }
    if (pthread_create(&watcher, NULL, watch, NULL) != 0) {
        close_pipe();
        return its_fail(err, "The program could not prepare for a clean stop (no thread).");
    }
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* the pipe wakes the loop; other calls need not see EINTR */
    for (int i = 0; i < N_SIGNALS; i++)
        sigaction(stop_signals[i], &sa, &old_actions[i]);
    watching = true;
    return 0;
}

bool ui_stop_requested(void)
{
    return stop_flag != 0;
}

void ui_stop_end(void)
{
    if (!watching)
        return;
    for (int i = 0; i < N_SIGNALS; i++)
        sigaction(stop_signals[i], &old_actions[i], NULL);
    /* a blocking write: 'q' must reach the watcher even behind unread 's' bytes */
    int fl = fcntl(stop_pipe[1], F_GETFL);
    if (fl >= 0)
        fcntl(stop_pipe[1], F_SETFL, fl & ~O_NONBLOCK);
    while (write(stop_pipe[1], "q", 1) < 0 && errno == EINTR) {
    }
    pthread_join(watcher, NULL);
    close_pipe();
    watching = false;
}
