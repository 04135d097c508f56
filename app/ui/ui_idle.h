/* ui_idle.h — the idle rule and the clock it reads. Owns the deadlines and the clock value.
 *
 * While armed, `limit_ms` without a touch shows the warning ("Oletko vielä siellä?") with a
 * countdown of `countdown_ms`; when that runs out the state is EXPIRED and the caller wipes the
 * session. A touch (ui_idle_touch) before expiry starts the wait again.
 *
 * Pure: every function takes `now` in milliseconds. The clock (ui_clock_now) is monotonic and
 * injectable: tests and scripts move it forward with ui_clock_advance instead of sleeping. */
#ifndef ITS_UI_IDLE_H
#define ITS_UI_IDLE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum ui_idle_state {
    UI_IDLE_OFF,     /* not armed (start screen) */
    UI_IDLE_ACTIVE,  /* someone touched the screen recently */
    UI_IDLE_WARNING, /* show the countdown */
    UI_IDLE_EXPIRED  /* wipe and return to the start */
} ui_idle_state;

typedef struct ui_idle {
    uint64_t limit_ms;     /* quiet time before the warning */
    uint64_t countdown_ms; /* length of the warning countdown */
    uint64_t last;         /* time of the last touch */
    bool armed;
} ui_idle;

void ui_idle_init(ui_idle *t, uint64_t limit_ms, uint64_t countdown_ms);

/* Starts (or restarts) counting from `now`. */
void ui_idle_arm(ui_idle *t, uint64_t now);

void ui_idle_disarm(ui_idle *t);

/* A touch: counting starts again, unless the time is already up. */
void ui_idle_touch(ui_idle *t, uint64_t now);

ui_idle_state ui_idle_state_at(const ui_idle *t, uint64_t now);

/* Whole seconds left on the countdown (rounded up); 0 when expired. */
int ui_idle_seconds_left(const ui_idle *t, uint64_t now);

/* Milliseconds until the state or the shown countdown second changes next, -1 for never
 * (not armed or already expired). The event loop sleeps this long. */
int64_t ui_idle_wait_ms(const ui_idle *t, uint64_t now);

/* The clock: a monotonic millisecond count (or `source`, for unit tests) plus an offset moved
 * by ui_clock_advance. A value in the screen program's context (ui_app), zero-initialised: the
 * real monotonic clock, no offset. */
typedef struct ui_clock {
    uint64_t (*source)(void); /* NULL: the real monotonic clock */
    uint64_t offset;
} ui_clock;

uint64_t ui_clock_now(const ui_clock *c);
void ui_clock_advance(ui_clock *c, uint64_t ms);

#endif
