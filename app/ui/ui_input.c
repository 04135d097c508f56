/* ui_input.c — see ui_input.h. */
#include "ui_input.h"

static ui_ptr make(ui_ptr_kind kind, int x, int y)
{
    ui_ptr p = {kind, x, y};
    return p;
}

static ui_ptr from_finger(ui_input *in, const SDL_TouchFingerEvent *f, int w, int h)
{
    ui_ptr none = {UI_PTR_NONE, 0, 0};
    if (f->touchId == SDL_MOUSE_TOUCHID)
        return none; /* the mouse, reported again as a finger */
    int x = (int)(f->x * (float)w), y = (int)(f->y * (float)h);
    switch (f->type) {
    case SDL_FINGERDOWN:
        if (in->down)
            return none;
        in->down = true;
        in->by_finger = true;
        in->finger = f->fingerId;
        return make(UI_PTR_DOWN, x, y);
    case SDL_FINGERMOTION:
        return (in->down && in->by_finger && in->finger == f->fingerId) ? make(UI_PTR_MOVE, x, y)
                                                                         : none;
    case SDL_FINGERUP:
        if (!(in->down && in->by_finger && in->finger == f->fingerId))
            return none;
        in->down = false;
        return make(UI_PTR_UP, x, y);
    default:
        return none;
    }
}

ui_ptr ui_input_pointer(ui_input *in, const SDL_Event *e, int w, int h)
{
    ui_ptr none = {UI_PTR_NONE, 0, 0};
    switch (e->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
        return from_finger(in, &e->tfinger, w, h);
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT || in->down)
            return none;
        in->down = true;
        in->by_finger = false;
        return make(UI_PTR_DOWN, e->button.x, e->button.y);
    case SDL_MOUSEMOTION:
        if (e->motion.which == SDL_TOUCH_MOUSEID || !in->down || in->by_finger)
            return none;
        return make(UI_PTR_MOVE, e->motion.x, e->motion.y);
    case SDL_MOUSEBUTTONUP:
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT ||
            !in->down || in->by_finger)
            return none;
        in->down = false;
        return make(UI_PTR_UP, e->button.x, e->button.y);
    default:
        return none;
    }
}
