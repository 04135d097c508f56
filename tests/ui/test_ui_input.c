/* test_ui_input.c — one physical tap is one pointer press: finger events synthesised from the
 * mouse and mouse events synthesised from touch are dropped; real fingers and a real mouse
 * count once each; a second finger is ignored. Also press/release on widgets: act on release
 * inside, sliding off cancels. No video needed: events are plain structs. */
#include <string.h>

#include "check.h"
#include "ui_input.h"
#include "ui_widget.h"

static SDL_Event mouse(Uint32 type, Uint32 which, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.which = which;
        e.motion.x = x;
        e.motion.y = y;
    } else {
        e.button.which = which;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = x;
        e.button.y = y;
    }
    return e;
}

static SDL_Event finger(Uint32 type, SDL_TouchID touch, SDL_FingerID id, float x, float y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.touchId = touch;
    e.tfinger.fingerId = id;
    e.tfinger.x = x;
    e.tfinger.y = y;
    return e;
}

/* Counts presses and releases that get through for a sequence of events. */
static void count(ui_input *in, const SDL_Event *ev, int n, int *downs, int *ups)
{
    *downs = *ups = 0;
    for (int i = 0; i < n; i++) {
        ui_ptr p = ui_input_pointer(in, &ev[i], 1280, 800);
        *downs += p.kind == UI_PTR_DOWN;
        *ups += p.kind == UI_PTR_UP;
    }
}

int main(void)
{
    ui_input in = {0};
    int d, u;
    /* a mouse click reported also as a finger (SDL_MOUSE_TOUCH_EVENTS, Xvfb): counted once */
    SDL_Event click[] = {
        mouse(SDL_MOUSEBUTTONDOWN, 0, 640, 400),
        finger(SDL_FINGERDOWN, SDL_MOUSE_TOUCHID, 0, 0.5f, 0.5f),
        finger(SDL_FINGERUP, SDL_MOUSE_TOUCHID, 0, 0.5f, 0.5f),
        mouse(SDL_MOUSEBUTTONUP, 0, 640, 400),
    };
    count(&in, click, 4, &d, &u);
    CHECK_EQ_INT(d, 1);
    CHECK_EQ_INT(u, 1);
    /* a real touch reported also as a mouse (SDL_TOUCH_MOUSE_EVENTS): counted once, in pixels */
    SDL_Event touch[] = {
        finger(SDL_FINGERDOWN, 3, 7, 0.25f, 0.5f),
        mouse(SDL_MOUSEBUTTONDOWN, SDL_TOUCH_MOUSEID, 320, 400),
        mouse(SDL_MOUSEBUTTONUP, SDL_TOUCH_MOUSEID, 320, 400),
        finger(SDL_FINGERUP, 3, 7, 0.25f, 0.5f),
    };
    count(&in, touch, 4, &d, &u);
    CHECK_EQ_INT(d, 1);
    CHECK_EQ_INT(u, 1);
    ui_input fresh = {0};
    ui_ptr p = ui_input_pointer(&fresh, &touch[0], 1280, 800);
    CHECK_EQ_INT(p.x, 320);
    CHECK_EQ_INT(p.y, 400);
    /* a second finger while the first is down is ignored; its release too */
    SDL_Event two[] = {
        finger(SDL_FINGERDOWN, 3, 1, 0.1f, 0.1f), finger(SDL_FINGERDOWN, 3, 2, 0.9f, 0.9f),
        finger(SDL_FINGERUP, 3, 2, 0.9f, 0.9f),   finger(SDL_FINGERUP, 3, 1, 0.1f, 0.1f),
    };
    count(&in, two, 4, &d, &u);
    CHECK_EQ_INT(d, 1);
    CHECK_EQ_INT(u, 1);
    /* mouse while a finger is down is ignored (and vice versa) */
    SDL_Event mixed[] = {
        finger(SDL_FINGERDOWN, 3, 1, 0.1f, 0.1f), mouse(SDL_MOUSEBUTTONDOWN, 0, 5, 5),
        mouse(SDL_MOUSEBUTTONUP, 0, 5, 5),         finger(SDL_FINGERUP, 3, 1, 0.1f, 0.1f),
    };
    count(&in, mixed, 4, &d, &u);
    CHECK_EQ_INT(d, 1);
    CHECK_EQ_INT(u, 1);
    /* motion without a press is nothing; right button is nothing */
    SDL_Event hover = mouse(SDL_MOUSEMOTION, 0, 10, 10);
    CHECK_EQ_INT(ui_input_pointer(&in, &hover, 1280, 800).kind, UI_PTR_NONE);
    SDL_Event right = mouse(SDL_MOUSEBUTTONDOWN, 0, 10, 10);
    right.button.button = SDL_BUTTON_RIGHT;
    CHECK_EQ_INT(ui_input_pointer(&in, &right, 1280, 800).kind, UI_PTR_NONE);

    /* press/release on widgets (no drawing involved) */
    ui_list l;
    ui_list_init(&l, (ui_measure){0}); /* nothing here is laid out */
    l.w = calloc(2, sizeof *l.w);
    l.cap = 2;
    l.n = 2;
    l.w[0] = (ui_widget){UI_BUTTON, {0, 0, 100, 100}, NULL, 32, 0, 1, 0, NULL, 0};
    l.w[1] = (ui_widget){UI_BUTTON, {200, 0, 100, 100}, NULL, 32, 0, 2, 0, NULL, 0};
    /* release inside: fires on release, not on press */
    CHECK_EQ_INT(ui_list_pointer(&l, (ui_ptr){UI_PTR_DOWN, 50, 50}), -1);
    CHECK_EQ_INT(ui_list_pointer(&l, (ui_ptr){UI_PTR_UP, 60, 60}), 0);
    /* slide off: cancelled, even if it comes back or ends on another button */
    ui_list_pointer(&l, (ui_ptr){UI_PTR_DOWN, 50, 50});
    ui_list_pointer(&l, (ui_ptr){UI_PTR_MOVE, 150, 50});
    ui_list_pointer(&l, (ui_ptr){UI_PTR_MOVE, 50, 50});
    CHECK_EQ_INT(ui_list_pointer(&l, (ui_ptr){UI_PTR_UP, 50, 50}), -1);
    ui_list_pointer(&l, (ui_ptr){UI_PTR_DOWN, 50, 50});
    CHECK_EQ_INT(ui_list_pointer(&l, (ui_ptr){UI_PTR_UP, 250, 50}), -1);
    /* a press that began before the list was rebuilt never fires on the new list */
    ui_list_pointer(&l, (ui_ptr){UI_PTR_DOWN, 250, 50});
    l.pressed = -1; /* what ui_list_clear does */
    CHECK_EQ_INT(ui_list_pointer(&l, (ui_ptr){UI_PTR_UP, 250, 50}), -1);
    /* modal layer: only buttons from l.modal on can be hit */
    l.modal = 1;
    ui_list_pointer(&l, (ui_ptr){UI_PTR_DOWN, 50, 50});
    CHECK_EQ_INT(ui_list_pointer(&l, (ui_ptr){UI_PTR_UP, 50, 50}), -1);
    ui_list_pointer(&l, (ui_ptr){UI_PTR_DOWN, 250, 50});
    CHECK_EQ_INT(ui_list_pointer(&l, (ui_ptr){UI_PTR_UP, 250, 50}), 1);
    free(l.w);
    return check_summary();
}
