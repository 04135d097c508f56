/* ui_widget.h — what is on the screen: a list of text blocks and buttons, laid out, drawn and
 * hit-tested. Owns press/release logic and the page layout that fits any screen size.
 *
 * Like microui the screen code does not draw: it describes a page (heading, paragraphs, a
 * group of choices, a row of navigation buttons) and ui_page_layout places it. Every widget
 * keeps its full text, so scripts find buttons by label and check what is visible.
 *
 * Buttons act on release inside the button that was pressed; sliding off cancels the press
 * (WCAG 2.5.2). A press that began on an earlier screen never fires on a new one, because
 * rebuilding the list forgets it. */
#ifndef ITS_UI_WIDGET_H
#define ITS_UI_WIDGET_H

#include <stdbool.h>
#include <SDL.h>
#include "ui_draw.h"
#include "ui_input.h"
#include "ui_text.h"

enum ui_flags {
    UI_PRIMARY = 1 << 0,  /* filled dark blue: the main way forward */
    UI_SELECTED = 1 << 1, /* a chosen answer: filled, thick border and a check mark */
    UI_CHOICE = 1 << 2,   /* shows a box on the left: empty, or checked when selected */
    UI_BOLD = 1 << 3,
    UI_CENTER = 1 << 4,   /* label centred (keys, numbers) */
    UI_FRAME = 1 << 5,    /* a text block with a border (the typed code) */
    UI_MUTED = 1 << 6,    /* secondary text colour */
    UI_ALERT = 1 << 7,    /* message text colour (never the only signal: always words) */
    UI_LARGE = 1 << 8,    /* heading size */
    UI_WIDE = 1 << 9,     /* on a grid page: a full row under the keys ("En halua vastata") */
    UI_BAR = 1 << 10,     /* a paragraph with a bar under it, filled `arg` percent, one neutral
                             colour: the client's simple picture of their areas */
    UI_SPEAKER = 1 << 11, /* a speaker drawn before the label (read-aloud): known without reading */
    UI_GHOST = 1 << 12,   /* a bottom-row button that keeps its place but is not shown (the main
                             button of a page not yet seen to its end), so the others stay put */
    UI_DISABLED = 1 << 13, /* drawn faint, keeps its place, never fires nor takes focus (a scroll
                              button at its end) */
    UI_ARROW_UP = 1 << 14, /* an arrow drawn before the label: scroll buttons, known without */
    UI_ARROW_DOWN = 1 << 15, /* reading */
    UI_COMPACT = 1 << 16  /* set by the layout, not by screens: less padding, a smaller answer box
                             and closer lines, for large text on a screen that holds little */
};

typedef enum ui_kind { UI_TEXT, UI_BUTTON } ui_kind;

typedef struct ui_widget {
    ui_kind kind;
    SDL_Rect r;
    char *text;
    int px;
    unsigned flags;
    int action, arg;   /* what the screen does when the button fires */
    ui_line *lines;
    int n_lines;
} ui_widget;

typedef struct ui_list {
    ui_widget *w;
    int n, cap;
    int modal;          /* widgets before this index are behind a modal layer; 0 none */
    int pressed;        /* index of the pressed button, -1 none */
    int focus;          /* keyboard focus, index or -1 */
    int focus_action, focus_arg; /* kept across rebuilds */
    int max_chars;      /* line length limit for text, in characters */
    ui_measure measure; /* how text is measured for layout (ui_text.h) */
    bool compact;       /* while ui_page_layout tries the compact layout: adds UI_COMPACT */
    bool rtl;           /* mirrored for a right-to-left language (ui_list_mirror) */
} ui_list;

/* An empty list that lays out with `measure` (ui_draw_measure, or a test's fixed widths). */
void ui_list_init(ui_list *l, ui_measure measure);
void ui_list_free(ui_list *l);
/* Empties the list for a new layout; forgets the press, keeps the focused action. */
void ui_list_clear(ui_list *l);

/* Adds a paragraph at (x, y) wrapped to width w; returns its height. */
int ui_list_text(ui_list *l, int x, int y, int w, const char *text, int px, unsigned flags);
/* Adds a button filling r. */
void ui_list_button(ui_list *l, SDL_Rect r, const char *label, int px, unsigned flags, int action,
                    int arg);
/* Adds an empty framed panel (a background for a modal box). */
void ui_list_panel(ui_list *l, SDL_Rect r);
/* Everything added from now on is a modal layer over the rest. */
void ui_list_begin_modal(ui_list *l);

/* Draws the list in the theme's colours (its texts in the list's direction). */
void ui_list_draw(const ui_list *l, ui_draw *d, const ui_theme *t);

/* The mirror step for a right-to-left language, after the page is laid out (ui_mirror.c): every
 * widget's x becomes screen_w - x - w, so the first of a row is at the right; lines are then
 * drawn from the right, and a choice's box, the speaker and a key's check mark sit on the right.
 * The reading order inside a line is the text's own (ui_bidi.h): numbers and Latin words stay
 * left to right. Cleared by ui_list_clear. */
void ui_list_mirror(ui_list *l, int screen_w);

/* Feeds a pointer event; returns the index of the button that fired, or -1. */
int ui_list_pointer(ui_list *l, ui_ptr p);
/* Moves keyboard focus by +1/-1 among the active buttons; returns the focused index. */
int ui_list_focus_move(ui_list *l, int step);
/* The button with exactly this label (topmost layer first), or -1. */
int ui_list_find(const ui_list *l, const char *label);
/* The primary button (UI_PRIMARY) of the top layer, the last one if several; -1 none. */
int ui_list_find_primary(const ui_list *l);
/* Is some widget on the top layer showing this text (as a whole or within a paragraph)? */
bool ui_list_shows(const ui_list *l, const char *text);
/* Prints the visible texts, one a line (for a failed script `expect`). */
void ui_list_dump(const ui_list *l, void *stdio_file);

/* Extra height a UI_BAR paragraph of width w needs for its bar (0 when it fits beside). */
int ui_bar_height(int px, int w);

/* Height a paragraph / button needs at width w. */
int ui_text_height(const ui_list *l, const char *text, int w, int px, bool bold);
int ui_button_height(const ui_list *l, const char *label, int w, int px, unsigned flags, int min_h);

/* ---- page layout ----------------------------------------------------------------------- */

#define UI_PAGE_TEXTS 16
#define UI_PAGE_CHOICES 64
#define UI_PAGE_NAV 6 /* four of the page and the two scroll buttons */
/* The scroll buttons' actions, handled by ui_page_layout's caller: the button's arg is the new
 * page state to pass back (ui_page_layout's `page`). A disabled one has UI_ACT_NONE. */
enum { UI_ACT_MORE = -2, UI_ACT_LESS = -3, UI_ACT_NONE = -4 };
/* In the page state: the end of the page has been on screen (main_on_last). */
#define UI_PAGE_SEEN (1 << 20)

typedef struct ui_item {
    const char *text;
    unsigned flags;
    int action, arg;
} ui_item;

typedef struct ui_page {
    const char *heading; unsigned heading_flags;
    ui_item texts[UI_PAGE_TEXTS]; int n_texts;
    ui_item choices[UI_PAGE_CHOICES]; int n_choices;
    bool grid;             /* choices are equal keys in a grid (keypads, 0-10) */
    bool wide;             /* a list under the text, full width (REVIEW rows) */
    ui_item nav[UI_PAGE_NAV]; int n_nav; /* bottom row: first at the left, last at the right */
    ui_item corner;        /* optional button at the top right, beside the heading */
    const char *more_label, *less_label; /* the scroll buttons: down, up */
    const char *part_text; /* unused (pages are no longer cut into parts) */
    bool main_on_last;     /* when it scrolls: the main button only once the end has been on
                              screen ("Lähetä vastaukset" on the review, "Aloita kysely") */
    const char *message;   /* non-NULL: the page has a message place, kept even while empty
                              (""), so a message never moves a button (see ui_page_layout) */
    unsigned message_flags;
    int message_lines;     /* lines its longest message needs (0: one) */
} ui_page;

typedef struct ui_metrics {
    int w, h;     /* screen */
    int px;       /* body text size */
    int margin, gap, min_target;
} ui_metrics;

/* Adding to a page (texts without words are left out; a full list ignores more). */
void ui_page_add_text(ui_page *p, const char *text, unsigned flags);
void ui_page_add_choice(ui_page *p, const char *text, unsigned flags, int action, int arg);
void ui_page_add_nav(ui_page *p, const char *text, unsigned flags, int action);
/* The page's message place (kept while empty, so the keys never move under a finger). */
void ui_page_set_message(ui_page *p, const char *text, unsigned flags);

/* Sizes for a w×h screen and a text scale in percent (100-200). Body text is 32 px and touch
 * targets 64 px at 1280×800 and 800×1280 at 100 %. */
ui_metrics ui_metrics_for(int w, int h, int text_percent);

/* Lays the page out on the list. The heading (and the corner button) stay at the top and the
 * bottom row at the bottom; between them texts and answers go side by side (landscape) or
 * stacked, answers in one to three columns filled row by row, whichever fits first without
 * splitting a word; then the same with less padding (UI_COMPACT). If it still does not fit:
 *   - a page of answers keeps all its answers on screen and its texts (the question) become a
 *     band above them that scrolls by whole lines;
 *   - any other page (or when even that does not fit) scrolls its whole middle by whole lines,
 *     rows of answers and framed blocks.
 * Scrolling adds "up" and "down" to the bottom row, before the main button, in places that never
 * change; at either end the one that cannot act is shown faint (UI_DISABLED). `*page` is the
 * scroll state (0 at the top; clamped and written back; UI_PAGE_SEEN once the end was shown);
 * a scroll button's arg is the state to pass next. The message place is between the bottom
 * row's two buttons, or a band over the row when they leave too little room. */
void ui_page_layout(ui_list *l, const ui_page *p, const ui_metrics *m, int *page);

#endif
