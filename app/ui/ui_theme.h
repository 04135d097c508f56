/* ui_theme.h — the colours of the client's screens, as data: the usual light theme, a
 * high-contrast one (white on black, yellow for the way forward) and a dark one, chosen on the
 * start screen. Every colour a screen draws comes from the theme it holds (ui_list_draw takes
 * it), so a theme is one table row in ui_theme.c.
 *
 * What a theme must meet (tests/ui/test_ui_theme.c computes it from these values): every text
 * against what it is drawn on at least 7:1 (WCAG AAA), every button edge (its face or its
 * border) and mark against what is around it at least 4.5:1.
 *
 * Owns the table only: which theme is on is the screen's state (the kiosk's client chooses; the
 * worker's screens always use the usual one). */
#ifndef ITS_UI_THEME_H
#define ITS_UI_THEME_H

#include <SDL.h>

typedef enum ui_theme_id { UI_THEME_LIGHT, UI_THEME_CONTRAST, UI_THEME_DARK, UI_THEME_COUNT } ui_theme_id;

typedef struct ui_theme {
    const char *name;     /* "light", "contrast", "dark": the locale key is theme_<name> */
    SDL_Color paper;      /* the page; also text on accent */
    SDL_Color ink;        /* text on the page; the selected button's border; the focus ring */
    SDL_Color muted;      /* secondary text on the page */
    SDL_Color alert;      /* message text on the page */
    SDL_Color accent;     /* the main button and a chosen answer (filled), button borders, bars */
    SDL_Color face;       /* a button's face */
    SDL_Color label;      /* text on a button's face */
    SDL_Color track;      /* the empty part of a bar */
    SDL_Color box, check; /* an answer's box (framed in `label`) and the check mark in it */
    SDL_Color pressed_accent, pressed_face; /* while a finger is on the button */
    SDL_Color shade;      /* over the page behind the idle warning */
} ui_theme;

/* The theme's colours; an unknown id gives the usual (light) theme. */
const ui_theme *ui_theme_at(ui_theme_id id);

#endif
