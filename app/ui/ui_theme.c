/* ui_theme.c — see ui_theme.h. The ratios in the comments are against the theme's page
 * (test_ui_theme prints them all). */
#include "ui_theme.h"

#define RGB(r, g, b) ((SDL_Color){(r), (g), (b), 0xFF})

static const ui_theme themes[UI_THEME_COUNT] = {
    [UI_THEME_LIGHT] = {
        .name = "light",
        .paper = RGB(0xFF, 0xFF, 0xFF),
        .ink = RGB(0x11, 0x11, 0x11),    /* 18.9:1 */
        .muted = RGB(0x4A, 0x4A, 0x4A),  /* 8.9:1 */
        .alert = RGB(0x8A, 0x1C, 0x00),  /* 9.3:1 */
        .accent = RGB(0x0B, 0x3D, 0x91), /* 10.0:1: the border carries the button's edge */
        .face = RGB(0xE9, 0xEF, 0xF8),
        .label = RGB(0x11, 0x11, 0x11),
        .track = RGB(0xE9, 0xEF, 0xF8),
        .box = RGB(0xFF, 0xFF, 0xFF),
        .check = RGB(0x0B, 0x3D, 0x91),
        .pressed_accent = RGB(0x06, 0x24, 0x5A),
        .pressed_face = RGB(0xC6, 0xD4, 0xEA),
        .shade = {0x00, 0x00, 0x00, 0xB0},
    },
    [UI_THEME_CONTRAST] = { /* white buttons on black: the face itself is the edge */
        .name = "contrast",
        .paper = RGB(0x00, 0x00, 0x00),
        .ink = RGB(0xFF, 0xFF, 0xFF),    /* 21:1 */
        .muted = RGB(0xE0, 0xE0, 0xE0),  /* 15.9:1 */
        .alert = RGB(0xFF, 0x9E, 0x80),  /* 10.4:1 */
        .accent = RGB(0xFF, 0xE0, 0x00), /* 15.9:1: yellow, the way forward */
        .face = RGB(0xFF, 0xFF, 0xFF),
        .label = RGB(0x00, 0x00, 0x00),
        .track = RGB(0x00, 0x00, 0x00),
        .box = RGB(0xFF, 0xFF, 0xFF), /* hollow: a filled square would read as chosen */
        .check = RGB(0x00, 0x00, 0x00),
        .pressed_accent = RGB(0xFF, 0xF3, 0x99),
        .pressed_face = RGB(0xC8, 0xC8, 0xC8),
        .shade = {0x00, 0x00, 0x00, 0xC8},
    },
    [UI_THEME_DARK] = {
        .name = "dark",
        .paper = RGB(0x12, 0x14, 0x17),
        .ink = RGB(0xF2, 0xF2, 0xF2),
        .muted = RGB(0xC9, 0xCD, 0xD2),
        .alert = RGB(0xFF, 0xA8, 0x94),
        .accent = RGB(0x9C, 0xC3, 0xFF),
        .face = RGB(0x26, 0x2B, 0x33),
        .label = RGB(0xF2, 0xF2, 0xF2),
        .track = RGB(0x26, 0x2B, 0x33),
        .box = RGB(0x12, 0x14, 0x17),
        .check = RGB(0x9C, 0xC3, 0xFF),
        .pressed_accent = RGB(0xC4, 0xDA, 0xFF),
        .pressed_face = RGB(0x3A, 0x42, 0x4E),
        .shade = {0x00, 0x00, 0x00, 0xB0},
    },
};

const ui_theme *ui_theme_at(ui_theme_id id)
{
    return &themes[id >= 0 && id < UI_THEME_COUNT ? id : UI_THEME_LIGHT];
}
