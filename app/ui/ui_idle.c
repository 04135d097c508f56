/* ui_idle.c — see ui_idle.h. */
#include "ui_idle.h"

#include <time.h>

void ui_idle_init(ui_idle *t, uint64_t limit_ms, uint64_t countdown_ms)
{
    t->limit_ms = limit_ms;
    t->countdown_ms = countdown_ms;
    t->last = 0;
    t->armed = false;
}

void ui_idle_arm(ui_idle *t, uint64_t now)
{
    t->armed = true;
    t->last = now;
}

void ui_idle_disarm(ui_idle *t)
{
    t->armed = false;
}

void ui_idle_touch(ui_idle *t, uint64_t now)
{
    if (t->armed && ui_idle_state_at(t, now) != UI_IDLE_EXPIRED)
        t->last = now;
}

ui_idle_state ui_idle_state_at(const ui_idle *t, uint64_t now)
{
    if (!t->armed)
        return UI_IDLE_OFF;
    uint64_t quiet = now > t->last ? now - t->last : 0;
    if (quiet < t->limit_ms)
        return UI_IDLE_ACTIVE;
    if (quiet < t->limit_ms + t->countdown_ms)
        return UI_IDLE_WARNING;
    return UI_IDLE_EXPIRED;
}

int ui_idle_seconds_left(const ui_idle *t, uint64_t now)
{
    uint64_t end = t->last + t->limit_ms + t->countdown_ms;
    if (!t->armed || now >= end)
        return 0;
    return (int)((end - now + 999) / 1000);
}

int64_t ui_idle_wait_ms(const ui_idle *t, uint64_t now)
{
    switch (ui_idle_state_at(t, now)) {
    case UI_IDLE_ACTIVE:
        return (int64_t)(t->last + t->limit_ms - now);
    case UI_IDLE_WARNING: {
        /* the next whole-second boundary of the countdown */
        uint64_t left = t->last + t->limit_ms + t->countdown_ms - now;
        uint64_t step = left % 1000;
        return (int64_t)(step ? step : 1000);
    }
    default:
        return -1;
    }
}

static uint64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t ui_clock_now(const ui_clock *c)
{
    return (c->source ? c->source() : monotonic_ms()) + c->offset;
}

void ui_clock_advance(ui_clock *c, uint64_t ms)
{
    c->offset += ms;
}
