/* ui_input.h — one pointer out of SDL's mouse and finger events. Owns the dedupe rule.
 *
 * SDL may report one physical tap twice: as a finger event synthesised from the mouse
 * (touchId == SDL_MOUSE_TOUCHID, with SDL_MOUSE_TOUCH_EVENTS) and as a mouse event synthesised
 * from a finger (which == SDL_TOUCH_MOUSEID, with SDL_TOUCH_MOUSE_EVENTS). Both synthetic kinds
 * are dropped here, so a real finger and a real mouse each count once. Only the first finger
 * down is followed; a second finger while it is down is ignored (palm, second hand). */
#ifndef ITS_UI_INPUT_H
#define ITS_UI_INPUT_H

#include <stdbool.h>
#include <SDL.h>

typedef enum ui_ptr_kind { UI_PTR_NONE, UI_PTR_DOWN, UI_PTR_MOVE, UI_PTR_UP } ui_ptr_kind;

typedef struct ui_ptr {
    ui_ptr_kind kind;
    int x, y;          /* window pixels */
} ui_ptr;

typedef struct ui_input {
    bool down;            /* a pointer is pressed */
    bool by_finger;       /* ...and it is a finger, with this id */
    SDL_FingerID finger;
} ui_input;

/* Translates one event for a window of w×h pixels (finger coordinates are 0..1). Returns a
 * pointer event, or kind UI_PTR_NONE for events that are not pointer input or are dropped. */
ui_ptr ui_input_pointer(ui_input *in, const SDL_Event *e, int w, int h);

#endif
