/* wui_int.h — what the worker screens share inside its_wui: the screens' state (one wui, passed
 * to every function as `wk`; nothing is file-scope), the actions buttons carry, sizes, and the
 * small drawing layer (level badges, bars, lines) that is drawn around the toolkit's widgets.
 * Not for use outside app/wui. */
#ifndef ITS_WUI_INT_H
#define ITS_WUI_INT_H

#include <SDL.h>
#include <stdbool.h>

#include "export.h"
#include "ui_app.h"
#include "ui_idle.h"
#include "ui_input.h"
#include "ui_widget.h"
#include "worker.h"
#include "worker_detail.h"
#include "worker_due.h"
#include "worker_note.h"
#include "wui.h"

typedef enum wui_screen { W_UNLOCK, W_LIST, W_DETAIL, W_TREND } wui_screen;

typedef enum wui_action {
    WA_NONE, WA_UNLOCK, WA_CLOSE, WA_LOCK, WA_FIELD, WA_LEVEL, WA_QN, WA_PERIOD, WA_FLAGGED,
    WA_CLIENT_APPLY, WA_CLIENT_CLEAR, WA_PAGE, WA_ROW, WA_BACK, WA_TREND, WA_EXPORT, WA_NOTE,
    WA_NOTE_SAVE, WA_NOTE_CANCEL, WA_SCROLL, WA_CONTINUE, WA_PLACE,
    WA_CONSENT_WITHDRAW, /* the client took back research consent (today) */
    WA_REFERRAL,         /* arg: the worker_referral decision to record */
    WA_INTERVIEW         /* start an interview on the kiosk (wui_run_in_window only) */
} wui_action;

/* The typed fields; one has the keyboard at a time. */
typedef enum wui_field { WF_NONE, WF_PASS, WF_CLIENT, WF_NOTE, WF_FROM, WF_TO } wui_field;

enum { WUI_PASS_MAX = 256, WUI_DECO_MAX = 4096, WUI_PERIODS = 4 };

/* Something drawn around the widgets: under them (backgrounds) or over them (icons, charts). */
typedef enum wui_deco_kind { WD_FILL, WD_FRAME, WD_BADGE, WD_LINE, WD_MARK } wui_deco_kind;

typedef struct wui_deco {
    wui_deco_kind kind;
    bool body;       /* in the scrolled area: clipped to it */
    bool over;       /* drawn after the widgets */
    SDL_Rect r;      /* FILL, FRAME; BADGE/MARK: the icon's box */
    int x0, y0, x1, y1, t; /* LINE */
    int shape;       /* MARK: 0 disc, 1 square, 2 triangle, 3 diamond; BADGE: the qn_level */
    SDL_Color c;
} wui_deco;

/* Sizes for the window: body text, small text, heading, spacing, control height. */
typedef struct wui_size {
    int w, h, px, small, head, gap, pad, margin, ctl, ctl_small;
} wui_size;

typedef struct wui {
    const wui_opts *o;
    ui_app *ui;            /* the context: window, fonts, clock, the text pool (ui_app.h) */
    ui_locale loc;         /* the worker's language (a view of ui->loc) */
    const ui_theme *theme; /* always the usual colours */
    bool own_window;
    wui_screen screen;
    worker_session *ws;
    wui_size z;
    /* unlock */
    char pass[WUI_PASS_MAX];
    char message[512];  /* a plain message on the current screen */
    bool message_alert; /* shown as a problem (icon and words, not only colour) */
    /* list */
    worker_filter filter;
    char client[WORKER_CLIENT_MAX]; /* the typed client code */
    char client_on[WORKER_CLIENT_MAX]; /* ... and the one the list is filtered by */
    int period;                     /* WUI_PERIODS presets: all, 30 days, 90 days, a year; -1
                                       typed dates */
    char date_from[16], date_to[16]; /* typed "YYYY-MM-DD" */
    long long from_on, to_on;        /* ... as the list is filtered by (period -1) */
    int qn_filter;                   /* -1 all, else an index into wk->qids */
    char qids[8][WORKER_QID_MAX];
    int n_qids;
    /* the sites [0] and devices [1] of the team that occur in the records, and the one the list
     * is filtered by (-1 all); their buttons show only when there are two or more */
    char places[2][8][64];
    int n_places[2], place_filter[2];
    int *rows;
    worker_due_state *due; /* every entry's reassessment state (worker_due.h), NULL unknown */
    worker_counts counts;
    int first;        /* the first row shown */
    int page_rows;    /* rows that fit */
    int selected;     /* row with the keyboard selection, -1 none */
    SDL_Rect row_r[64];
    int row_of[64];   /* row index of each drawn row */
    int n_row_r;
    /* one assessment */
    int entry;
    worker_detail detail;
    bool has_detail;
    worker_note *notes;
    int n_notes;
    int note_flag;    /* the flag a note is being written for, -1 none */
    worker_referral note_referral; /* or the referral decision whose reason / outcome, 0 none */
    worker_consent consent;        /* the record's research consent with its notes */
    char consent_date[11];         /* the day it was withdrawn */
    bool note_agree;
    char note[WORKER_NOTE_TEXT_MAX + 1];
    /* trend */
    worker_trend trend;
    bool has_trend;
    /* the scrolled area of detail and trend */
    int scroll, content_h;
    SDL_Rect view;
    /* the screen */
    ui_list top, body; /* fixed widgets, and the scrolled ones */
    wui_deco deco[WUI_DECO_MAX];
    int n_deco;
    bool deco_body; /* decorations added now belong to the scrolled area */
    wui_field field;
    ui_idle idle;
    bool warning;
    int warning_secs;
    bool relayout, redraw, quit, closed;
    char *interview; /* the kiosk's: where an interview's worker fingerprint goes; NULL none */
    bool interview_started;
    uint64_t shown_at;
} wui;

/* ---- wui.c: the frame every unlocked screen shares -------------------------------------- */

/* A locale text with up to three placeholders, kept until the next layout. */
const char *wui_tr(wui *wk, const char *key, const char *a, const char *b, const char *c);
/* A copy of s kept until the next layout. */
const char *wui_keep(wui *wk, const char *s);
/* Adds a button of its natural width at (x, y) to list l; returns its width. */
int wui_button(wui *wk, ui_list *l, int x, int y, const char *label, unsigned flags, wui_action a,
               int arg);
int wui_button_width(wui *wk, const char *label, unsigned flags);
/* The same at text size px and height h (the list's compact filter buttons). */
int wui_button_px(wui *wk, ui_list *l, SDL_Rect at, const char *label, unsigned flags, wui_action a,
                  int arg, int px);
int wui_button_width_px(wui *wk, const char *label, unsigned flags, int px);
/* Adds a paragraph; returns its height. */
int wui_text(wui *wk, ui_list *l, int x, int y, int w, const char *text, int px, unsigned flags);
/* The top band: heading at the left, "Lukitse" at the right, a back button when `back`. Returns
 * the y below it. */
int wui_top_band(wui *wk, const char *heading, bool back);
/* Shortens s with "…" to fit w pixels at px (one line). */
const char *wui_fit(wui *wk, const char *s, int w, int px, bool bold);
/* A typed field as a box that takes the keyboard when clicked; `mask` shows dots, `placeholder`
 * (or NULL) is shown while it is empty and not being typed in. Returns its height. */
int wui_field_box(wui *wk, ui_list *l, SDL_Rect r, wui_field f, const char *value, bool mask,
                  const char *placeholder);
/* "Vieritä ylös" / "Vieritä alas" at the bottom right while there is more to see (after the
 * scrolled content is laid out: it needs wk->content_h). */
void wui_scroll_buttons(wui *wk, int y);
/* Marks the scrolled area (detail, trend): content is laid out from view.y - scroll. */
void wui_set_view(wui *wk, SDL_Rect view);
void wui_go(wui *wk, wui_screen s);
void wui_say(wui *wk, const char *text, bool alert);

/* ---- wui_paint.c: drawing around the widgets --------------------------------------------- */

wui_deco *wui_deco_add(wui *wk, wui_deco_kind kind, bool over);
void wui_deco_fill(wui *wk, SDL_Rect r, SDL_Color c, bool over);
/* The flag level as icon + word (colour never alone): a filled circle with "!" (red), a
 * triangle with "!" (yellow), an open circle (none). Adds the word (NULL: the level's own
 * word) as a text widget at the icon's right; returns the total width. */
int wui_badge(wui *wk, ui_list *l, int x, int y, qn_level level, int px, const char *word);
/* The word for a level in the worker's language ("Punainen", "Keltainen", "Ei merkintää"). */
const char *wui_level_word(wui *wk, qn_level level);
/* Draws the decorations under or over the widgets, of the scrolled area or the fixed one. */
void wui_deco_draw(wui *wk, bool over, bool body);
/* Colours of the level icons and of chart series. */
SDL_Color wui_level_color(wui *wk, qn_level level);
SDL_Color wui_series_color(int i);

/* ---- the screens ------------------------------------------------------------------------- */

void wui_list_reload(wui *wk); /* worker_list with the current filter */
/* The typed field wk->field (and its size), or NULL. */
char *wui_field_text(wui *wk, size_t *cap);
void wui_list_build(wui *wk);
void wui_list_key(wui *wk, SDL_Keycode k);
bool wui_list_click(wui *wk, int x, int y); /* a click on a row: true if it opened one */
int wui_list_find_row(wui *wk, const char *label, SDL_Rect *r);
bool wui_list_act(wui *wk, wui_action a, int arg);

void wui_detail_open(wui *wk, int entry);
void wui_detail_close(wui *wk);
void wui_detail_build(wui *wk);
bool wui_detail_act(wui *wk, wui_action a, int arg);

void wui_trend_open(wui *wk);
void wui_trend_close(wui *wk);
void wui_trend_build(wui *wk);

#endif
