/* test_ui_idle.c — idle deadlines: warning, countdown, expiry, touches, and how long the event
 * loop may sleep. Times are plain numbers: the rule is pure. */
#include "check.h"
#include "ui_idle.h"

static uint64_t fake_now;
static uint64_t fake_clock(void)
{
    return fake_now;
}

int main(void)
{
    ui_idle t;
    ui_idle_init(&t, 120000, 30000);
    /* not armed: off, nothing to wait for */
    CHECK_EQ_INT(ui_idle_state_at(&t, 5000), UI_IDLE_OFF);
    CHECK_EQ_INT(ui_idle_wait_ms(&t, 5000), -1);

    ui_idle_arm(&t, 1000);
    CHECK_EQ_INT(ui_idle_state_at(&t, 1000), UI_IDLE_ACTIVE);
    CHECK_EQ_INT(ui_idle_wait_ms(&t, 1000), 120000);
    CHECK_EQ_INT(ui_idle_state_at(&t, 120999), UI_IDLE_ACTIVE);
    CHECK_EQ_INT(ui_idle_wait_ms(&t, 120999), 1);
    /* the warning starts exactly at the limit, with the whole countdown */
    CHECK_EQ_INT(ui_idle_state_at(&t, 121000), UI_IDLE_WARNING);
    CHECK_EQ_INT(ui_idle_seconds_left(&t, 121000), 30);
    CHECK_EQ_INT(ui_idle_seconds_left(&t, 121001), 30);
    CHECK_EQ_INT(ui_idle_seconds_left(&t, 122000), 29);
    /* during the countdown the loop wakes at each whole second */
    CHECK_EQ_INT(ui_idle_wait_ms(&t, 121000), 1000);
    CHECK_EQ_INT(ui_idle_wait_ms(&t, 121250), 750);
    CHECK_EQ_INT(ui_idle_seconds_left(&t, 150999), 1);
    CHECK_EQ_INT(ui_idle_state_at(&t, 150999), UI_IDLE_WARNING);
    /* expiry after limit + countdown */
    CHECK_EQ_INT(ui_idle_state_at(&t, 151000), UI_IDLE_EXPIRED);
    CHECK_EQ_INT(ui_idle_seconds_left(&t, 151000), 0);
    CHECK_EQ_INT(ui_idle_wait_ms(&t, 151000), -1);
    /* a touch after expiry does not bring the session back */
    ui_idle_touch(&t, 152000);
    CHECK_EQ_INT(ui_idle_state_at(&t, 152000), UI_IDLE_EXPIRED);

    /* a touch during the warning ("Jatka") starts the whole wait again, many times over */
    ui_idle_arm(&t, 0);
    for (int round = 1; round <= 5; round++) {
        uint64_t at = (uint64_t)round * 130000;
        CHECK_EQ_INT(ui_idle_state_at(&t, at), UI_IDLE_WARNING);
        ui_idle_touch(&t, at);
        CHECK_EQ_INT(ui_idle_state_at(&t, at + 119999), UI_IDLE_ACTIVE);
    }
    /* a touch while active moves the deadline */
    ui_idle_arm(&t, 0);
    ui_idle_touch(&t, 100000);
    CHECK_EQ_INT(ui_idle_state_at(&t, 200000), UI_IDLE_ACTIVE);
    CHECK_EQ_INT(ui_idle_wait_ms(&t, 200000), 20000);
    /* disarm: off */
    ui_idle_disarm(&t);
    CHECK_EQ_INT(ui_idle_state_at(&t, 10000000), UI_IDLE_OFF);
    /* time before arming (clock went backwards) counts as no time */
    ui_idle_arm(&t, 5000);
    CHECK_EQ_INT(ui_idle_state_at(&t, 4000), UI_IDLE_ACTIVE);

    /* the injectable clock: a source plus advances */
    ui_clock c = {fake_clock, 0};
    fake_now = 1000;
    CHECK_EQ_INT(ui_clock_now(&c), 1000);
    ui_clock_advance(&c, 125000);
    CHECK_EQ_INT(ui_clock_now(&c), 126000);
    fake_now = 2000;
    CHECK_EQ_INT(ui_clock_now(&c), 127000);
    ui_clock real = {0};
    uint64_t a = ui_clock_now(&real), b = ui_clock_now(&real);
    CHECK(b >= a);
    return check_summary();
}
