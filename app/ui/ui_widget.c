/* ui_widget.c — see ui_widget.h. */
#include "ui_widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_draw.h"

enum { MAX_LINES = 64 };

static int text_width(const ui_list *l, const char *s, size_t len, int px, bool bold)
{
    return l->measure.width(l->measure.ctx, s, len, px, bold);
}

/* Compact (large text on a screen that holds little): lines closer, but never closer than
 * 6/5 of the text size, so an accent of one line does not touch the descender above it. */
static int pitch(int line_h, int px, unsigned flags)
{
    int cap = px * 6 / 5;
    return (flags & UI_COMPACT) && line_h > cap ? cap : line_h;
}

/* The flags a widget gets on this list: UI_COMPACT while the compact layout is tried. */
static unsigned cf(const ui_list *l, unsigned flags)
{
    return flags | (l->compact ? UI_COMPACT : 0);
}

static int line_height(const ui_list *l, int px, bool bold)
{
    return pitch(l->measure.height(l->measure.ctx, px, bold), px, cf(l, 0));
}

static int pad_for(int px, unsigned flags)
{
    return (flags & UI_COMPACT) ? px / 5 : px * 2 / 5;
}

static int box_for(int px, unsigned flags)
{
    return (flags & UI_COMPACT) ? px * 3 / 4 : px;
}

void ui_list_init(ui_list *l, ui_measure measure)
{
    memset(l, 0, sizeof *l);
    l->measure = measure;
    l->pressed = -1;
    l->focus = -1;
    l->focus_action = 0;
    l->max_chars = 60;
}

static void widgets_free(ui_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->w[i].text);
        free(l->w[i].lines);
    }
    l->n = 0;
}

void ui_list_free(ui_list *l)
{
    widgets_free(l);
    free(l->w);
    l->w = NULL;
    l->cap = 0;
}

void ui_list_clear(ui_list *l)
{
    if (l->focus >= 0 && l->focus < l->n) {
        l->focus_action = l->w[l->focus].action;
        l->focus_arg = l->w[l->focus].arg;
    }
    widgets_free(l);
    l->modal = 0;
    l->pressed = -1;
    l->focus = -1;
    l->rtl = false;
}

static ui_widget *push(ui_list *l, ui_kind kind, SDL_Rect r, const char *text, int px,
                       unsigned flags)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 32;
        ui_widget *w = realloc(l->w, (size_t)cap * sizeof *w);
        if (!w)
            return NULL;
        l->w = w;
        l->cap = cap;
    }
    ui_widget *w = &l->w[l->n];
    memset(w, 0, sizeof *w);
    flags = cf(l, flags);
    w->text = its_strdup(text ? text : "");
    if (!w->text)
        return NULL;
    l->n++;
    w->kind = kind;
    w->r = r;
    w->px = px;
    w->flags = flags;
    return w;
}

/* Wraps w->text into w->lines for an inner width. */
static void wrap(const ui_list *l, ui_widget *w, int inner_w)
{
    ui_text_font m = {&l->measure, w->px, (w->flags & UI_BOLD) != 0};
    ui_line lines[MAX_LINES];
    int n = ui_text_wrap(w->text, inner_w, l->max_chars, ui_text_width, &m, lines, MAX_LINES);
    if (n > MAX_LINES)
        n = MAX_LINES;
    w->lines = n ? malloc((size_t)n * sizeof *w->lines) : NULL;
    if (w->lines)
        memcpy(w->lines, lines, (size_t)n * sizeof *lines);
    w->n_lines = w->lines ? n : 0;
}

static int bar_label_width(int w, int px);

/* A paragraph, or only its lines [first, first + count) when it continues on another page. */
static int text_part(ui_list *l, int x, int y, int w, const char *text, int px, unsigned flags,
                     int first, int count)
{
    SDL_Rect r = {x, y, w, 0};
    ui_widget *wd = push(l, UI_TEXT, r, text, px, flags);
    if (!wd)
        return 0;
    int pad = (flags & UI_FRAME) ? pad_for(px, wd->flags) : 0;
    wrap(l, wd, (flags & UI_BAR) ? bar_label_width(w, px) : w - 2 * pad);
    if (count >= 0 && wd->lines) {
        if (first > wd->n_lines)
            first = wd->n_lines;
        if (count > wd->n_lines - first)
            count = wd->n_lines - first;
        memmove(wd->lines, wd->lines + first, (size_t)count * sizeof *wd->lines);
        wd->n_lines = count;
    }
    wd->r.h = wd->n_lines * line_height(l, px, flags & UI_BOLD) + 2 * pad;
    if (flags & UI_BAR)
        wd->r.h += ui_bar_height(px, w);
    return wd->r.h;
}

/* On a wide column the label and its bar share a row; on a narrow one the bar goes under it. */
static bool bar_beside(int w, int px)
{
    return w >= 24 * px;
}

static int bar_label_width(int w, int px)
{
    return bar_beside(w, px) ? w * 45 / 100 : w;
}

int ui_bar_height(int px, int w)
{
    return bar_beside(w, px) ? 0 : px; /* under: 3/4 of the text size, a quarter above it */
}

int ui_list_text(ui_list *l, int x, int y, int w, const char *text, int px, unsigned flags)
{
    return text_part(l, x, y, w, text, px, flags, 0, -1);
}

/* The width of what is drawn before a label: the answer box, or the speaker. */
static int lead_for(int px, unsigned flags)
{
    return (flags & (UI_CHOICE | UI_SPEAKER | UI_ARROW_UP | UI_ARROW_DOWN))
               ? box_for(px, flags) + pad_for(px, flags)
               : 0;
}

static int inner_width(int w, int px, unsigned flags)
{
    return w - 2 * pad_for(px, flags) - lead_for(px, flags);
}

/* A scroll button too narrow for its word shows the arrow alone (the word stays its label,
 * for scripts and read-aloud). */
static bool arrow_only(const ui_widget *w)
{
    return (w->flags & (UI_ARROW_UP | UI_ARROW_DOWN)) &&
           inner_width(w->r.w, w->px, w->flags) < w->px;
}

void ui_list_button(ui_list *l, SDL_Rect r, const char *label, int px, unsigned flags, int action,
                    int arg)
{
    ui_widget *w = push(l, UI_BUTTON, r, label, px, flags);
    if (!w)
        return;
    w->action = action;
    w->arg = arg;
    if (!arrow_only(w))
        wrap(l, w, inner_width(r.w, px, w->flags));
    if (l->focus < 0 && l->focus_action && action == l->focus_action && arg == l->focus_arg)
        l->focus = l->n - 1;
}

void ui_list_panel(ui_list *l, SDL_Rect r)
{
    push(l, UI_TEXT, r, "", 32, UI_FRAME);
}

void ui_list_begin_modal(ui_list *l)
{
    l->modal = l->n;
    l->focus = -1;
}

int ui_text_height(const ui_list *l, const char *text, int w, int px, bool bold)
{
    ui_text_font m = {&l->measure, px, bold};
    int n = ui_text_wrap(text, w, l->max_chars, ui_text_width, &m, NULL, 0);
    return n * line_height(l, px, bold);
}

int ui_button_height(const ui_list *l, const char *label, int w, int px, unsigned flags, int min_h)
{
    /* less room above and below than beside: the line height already has some, and at large
     * text every pixel of height decides whether a whole answer scale fits on one screen */
    flags = cf(l, flags);
    int h = ui_text_height(l, label, inner_width(w, px, flags), px, flags & UI_BOLD) +
            ((flags & UI_COMPACT) ? px / 4 : px / 2);
    return h > min_h ? h : min_h;
}

/* ---- drawing ---------------------------------------------------------------------------- */

/* Lines start at the left, or at the right in a mirrored (right-to-left) list. */
static void draw_lines(ui_draw *d, const ui_widget *w, int x, int y, int inner_w, SDL_Color c,
                       bool rtl)
{
    bool bold = (w->flags & UI_BOLD) != 0;
    int lh = pitch(ui_draw_line_height(d, w->px, bold), w->px, w->flags);
    for (int i = 0; i < w->n_lines; i++) {
        const char *s = w->text + w->lines[i].start;
        size_t len = w->lines[i].len;
        int lx = x;
        if (w->flags & UI_CENTER)
            lx = x + (inner_w - ui_draw_text_width(d, s, len, w->px, bold)) / 2;
        else if (rtl)
            lx = x + inner_w - ui_draw_text_width(d, s, len, w->px, bold);
        ui_draw_text(d, s, len, lx, y + i * lh, w->px, bold, c);
    }
}

static void draw_text(ui_draw *d, const ui_theme *t, const ui_widget *w, bool rtl)
{
    SDL_Color c = (w->flags & UI_ALERT) ? t->alert : (w->flags & UI_MUTED) ? t->muted : t->ink;
    int pad = 0;
    if (w->flags & UI_FRAME) {
        pad = pad_for(w->px, w->flags);
        ui_draw_fill(d, w->r, t->paper);
        ui_draw_frame(d, w->r, 3, t->ink);
    }
    draw_lines(d, w, w->r.x + pad, w->r.y + pad, w->r.w - 2 * pad, c, rtl);
    if (w->flags & UI_BAR) { /* track, then the filled part: blue only, no colour that judges */
        int value = w->arg < 0 ? 0 : w->arg > 100 ? 100 : w->arg;
        int bar_h = w->px * 3 / 4;
        int lh = pitch(ui_draw_line_height(d, w->px, w->flags & UI_BOLD), w->px, w->flags);
        SDL_Rect track = {w->r.x, w->r.y + w->r.h - bar_h, w->r.w, bar_h};
        if (bar_beside(w->r.w, w->px)) { /* the text's other half: the right, or the left */
            int x = rtl ? w->r.x : w->r.x + w->r.w / 2;
            track = (SDL_Rect){x, w->r.y + (lh - bar_h) / 2, w->r.w - w->r.w / 2, bar_h};
        }
        int fill = track.w * value / 100; /* grows the way the text reads */
        ui_draw_fill(d, track, t->track);
        ui_draw_fill(d, (SDL_Rect){rtl ? track.x + track.w - fill : track.x, track.y, fill, track.h},
                     t->accent);
        ui_draw_frame(d, track, 2, t->accent);
    }
}

/* A solid triangle pointing up or down in r, drawn as one-pixel rows (no polygon primitive). */
static void draw_arrow(ui_draw *d, SDL_Rect r, bool up, SDL_Color c)
{
    int h = r.h * 2 / 3, top = r.y + (r.h - h) / 2;
    for (int i = 0; i < h; i++) {
        int row = up ? i : h - 1 - i, half = r.w * (row + 1) / (2 * h);
        ui_draw_fill(d, (SDL_Rect){r.x + r.w / 2 - half, top + i, 2 * half, 1}, c);
    }
}

static void draw_button(ui_draw *d, const ui_theme *t, const ui_widget *w, bool pressed,
                        bool focused, bool rtl)
{
    bool filled = (w->flags & (UI_PRIMARY | UI_SELECTED)) != 0;
    bool off = (w->flags & UI_DISABLED) != 0; /* faint: the page around it, a thin muted edge */
    SDL_Color face = off ? t->paper : filled ? t->accent : t->face;
    if (pressed)
        face = filled ? t->pressed_accent : t->pressed_face;
    SDL_Color ink = off ? t->muted : filled ? t->paper : t->label;
    ui_draw_fill(d, w->r, face);
    int edge = (w->flags & UI_SELECTED) ? 6 : off ? 2 : 3;
    ui_draw_frame(d, w->r, edge, (w->flags & UI_SELECTED) || off ? (off ? t->muted : t->ink)
                                                                  : t->accent);
    if (focused) {
        SDL_Rect f = {w->r.x - 7, w->r.y - 7, w->r.w + 14, w->r.h + 14};
        ui_draw_frame(d, f, 4, t->ink);
    }
    int pad = pad_for(w->px, w->flags);
    int x = w->r.x + pad;
    bool bold = (w->flags & UI_BOLD) != 0;
    int font_h = ui_draw_line_height(d, w->px, bold), lh = pitch(font_h, w->px, w->flags);
    int text_h = w->n_lines > 0 ? (w->n_lines - 1) * lh + font_h : 0; /* centred on the glyphs */
    int y = w->r.y + (w->r.h - text_h) / 2;
    /* the box or the speaker leads the label: on its left, or its right when mirrored */
    int b = box_for(w->px, w->flags), lead_x = rtl ? w->r.x + w->r.w - pad - b : x;
    if (w->flags & UI_CHOICE) {
        SDL_Rect box = {lead_x, w->r.y + (w->r.h - b) / 2, b, b};
        ui_draw_fill(d, box, t->box);
        ui_draw_frame(d, box, 3, t->label);
        if (w->flags & UI_SELECTED)
            ui_draw_check(d, box, b / 7 > 3 ? b / 7 : 3, t->check);
        x += rtl ? 0 : b + pad;
    } else if (w->flags & UI_SPEAKER) {
        ui_draw_speaker(d, (SDL_Rect){lead_x, w->r.y + (w->r.h - b) / 2, b, b}, rtl, ink);
        x += rtl ? 0 : b + pad;
    } else if (arrow_only(w)) {
        int a = w->r.h * 3 / 4 < w->r.w * 3 / 4 ? w->r.h * 3 / 4 : w->r.w * 3 / 4;
        draw_arrow(d, (SDL_Rect){w->r.x + (w->r.w - a) / 2, w->r.y + (w->r.h - a) / 2, a, a},
                   w->flags & UI_ARROW_UP, ink);
        return;
    } else if (w->flags & (UI_ARROW_UP | UI_ARROW_DOWN)) {
        draw_arrow(d, (SDL_Rect){lead_x, w->r.y + (w->r.h - b) / 2, b, b}, w->flags & UI_ARROW_UP,
                   ink);
        x += rtl ? 0 : b + pad;
    } else if (w->flags & UI_SELECTED) { /* a key: the check mark in its (leading) corner */
        int k = w->px * 2 / 3;
        int kx = rtl ? w->r.x + w->r.w - edge - 2 - k : w->r.x + edge + 2;
        ui_draw_check(d, (SDL_Rect){kx, w->r.y + edge + 2, k, k}, k / 6 > 3 ? k / 6 : 3, t->paper);
    }
    draw_lines(d, w, x, y, inner_width(w->r.w, w->px, w->flags), ink, rtl);
}

void ui_list_draw(const ui_list *l, ui_draw *d, const ui_theme *t)
{
    ui_draw_set_rtl(d, l->rtl);
    for (int i = 0; i < l->n; i++) {
        if (l->modal && i == l->modal) {
            int sw, sh;
            ui_draw_size(d, &sw, &sh);
            ui_draw_fill(d, (SDL_Rect){0, 0, sw, sh}, t->shade);
        }
        const ui_widget *w = &l->w[i];
        if (w->kind == UI_TEXT)
            draw_text(d, t, w, l->rtl);
        else
            draw_button(d, t, w, i == l->pressed, i == l->focus, l->rtl);
    }
}

/* ---- input ------------------------------------------------------------------------------ */

static bool inside(SDL_Rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static int hit(const ui_list *l, int x, int y)
{
    for (int i = l->n - 1; i >= l->modal; i--)
        if (l->w[i].kind == UI_BUTTON && !(l->w[i].flags & UI_DISABLED) &&
            inside(l->w[i].r, x, y))
            return i;
    return -1;
}

int ui_list_pointer(ui_list *l, ui_ptr p)
{
    int fired = -1;
    switch (p.kind) {
    case UI_PTR_DOWN:
        l->pressed = hit(l, p.x, p.y);
        break;
    case UI_PTR_MOVE:
        if (l->pressed >= 0 && !inside(l->w[l->pressed].r, p.x, p.y))
            l->pressed = -1; /* slid off: cancelled */
        break;
    case UI_PTR_UP:
        if (l->pressed >= 0 && inside(l->w[l->pressed].r, p.x, p.y))
            fired = l->pressed;
        l->pressed = -1;
        break;
    default:
        break;
    }
    return fired;
}

int ui_list_focus_move(ui_list *l, int step)
{
    int n = l->n - l->modal;
    if (n <= 0)
        return -1;
    int i = l->focus >= l->modal ? l->focus : (step > 0 ? l->n - 1 : l->modal);
    for (int k = 0; k < n; k++) {
        i = l->modal + ((i - l->modal + step) % n + n) % n;
        if (l->w[i].kind == UI_BUTTON && !(l->w[i].flags & UI_DISABLED)) {
            l->focus = i;
            return i;
        }
    }
    return -1;
}

int ui_list_find(const ui_list *l, const char *label)
{
    for (int i = l->n - 1; i >= l->modal; i--)
        if (l->w[i].kind == UI_BUTTON && strcmp(l->w[i].text, label) == 0)
            return i;
    return -1;
}

int ui_list_find_primary(const ui_list *l)
{
    for (int i = l->n - 1; i >= l->modal; i--)
        if (l->w[i].kind == UI_BUTTON && (l->w[i].flags & UI_PRIMARY))
            return i;
    return -1;
}

bool ui_list_shows(const ui_list *l, const char *text)
{
    for (int i = l->modal; i < l->n; i++)
        if (strstr(l->w[i].text, text))
            return true;
    return false;
}

void ui_list_dump(const ui_list *l, void *stdio_file)
{
    for (int i = l->modal; i < l->n; i++)
        fprintf(stdio_file, "  %s \"%s\"\n", l->w[i].kind == UI_BUTTON ? "button" : "text",
                l->w[i].text);
}

/* ---- page layout ------------------------------------------------------------------------ */

void ui_page_add_text(ui_page *p, const char *text, unsigned flags)
{
    if (text && *text && p->n_texts < UI_PAGE_TEXTS)
        p->texts[p->n_texts++] = (ui_item){text, flags, 0, 0};
}

void ui_page_add_choice(ui_page *p, const char *text, unsigned flags, int action, int arg)
{
    if (p->n_choices < UI_PAGE_CHOICES)
        p->choices[p->n_choices++] = (ui_item){text, flags, action, arg};
}

void ui_page_add_nav(ui_page *p, const char *text, unsigned flags, int action)
{
    if (p->n_nav < UI_PAGE_NAV)
        p->nav[p->n_nav++] = (ui_item){text, flags, action, 0};
}

void ui_page_set_message(ui_page *p, const char *text, unsigned flags)
{
    p->message = text;
    p->message_flags = UI_BOLD | flags;
}

ui_metrics ui_metrics_for(int w, int h, int text_percent)
{
    /* 800 px on the short side is the reference (a 10" 1280×800 tablet either way round). */
    double s = (double)(w < h ? w : h) / 800.0;
    ui_metrics m;
    m.w = w;
    m.h = h;
    m.px = (int)(32.0 * s * text_percent / 100.0 + 0.5);
    m.margin = (int)(32.0 * s + 0.5);
    m.gap = (int)(16.0 * s + 0.5);
    m.min_target = (int)(64.0 * s + 0.5);
    return m;
}

/* The narrowest a button may be without splitting a word of its label. */
static int min_button_width(const ui_list *l, const ui_item *it, int px)
{
    bool bold = (it->flags & UI_BOLD) != 0;
    int widest = 0;
    for (const char *p = it->text; *p;) {
        size_t n = strcspn(p, " \n");
        int w = text_width(l, p, n, px, bold);
        widest = w > widest ? w : widest;
        p += n;
        p += strspn(p, " \n");
    }
    unsigned f = cf(l, it->flags);
    int extra = 2 * pad_for(px, f) + lead_for(px, f);
    return widest + extra;
}

/* A button wide enough for its whole label on one line, at least `min_w`. */
static int natural_width(const ui_list *l, const ui_item *it, int px, int min_w)
{
    /* the speaker takes the place of the spare padding, so the heading beside keeps its room */
    unsigned f = cf(l, it->flags);
    int spare = (f & UI_SPEAKER) ? 0 : 2 * pad_for(px, f);
    int w = text_width(l, it->text, strlen(it->text), px, f & UI_BOLD) + 2 * pad_for(px, f) +
            spare + lead_for(px, f);
    return w > min_w ? w : min_w;
}

/* Space between answer buttons: less than between blocks, still a clear edge between them. */
static int choice_gap(const ui_metrics *m)
{
    return m->gap * 3 / 4;
}

/* How the choices are arranged in a region of width w: cells (all choices, or on a grid page
 * the keys) in rows and columns, each row as tall as its tallest label, then on a grid page the
 * wide choices ("En halua vastata") under the keys, side by side while they fit. */
typedef struct choice_shape {
    int cells;         /* choices placed as cells; the rest are wide rows */
    int cols, rows;
    int cell_w;
    int row_h[UI_PAGE_CHOICES]; /* height of each row of cells */
    int wide_w[UI_PAGE_CHOICES]; /* width of each wide choice (indexed from `cells`) */
    int wide_h;        /* height of a row of wide choices */
    int wide_rows;     /* wide choices sit side by side while they fit */
    bool ok;           /* no label has to split a word */
} choice_shape;

static int count_cells(const ui_page *p)
{
    int k = 0;
    while (k < p->n_choices && !(p->grid && (p->choices[k].flags & UI_WIDE)))
        k++;
    return k;
}

/* The keys of a grid page: as many equal keys a row as fit, in as few and as evenly filled
 * rows as possible (0-10 as 6 + 5, not 9 + 2). */
static int grid_cols(int n, int w, int need, const ui_metrics *m)
{
    int cols = (w + m->gap) / (need + m->gap);
    cols = cols < 1 ? 1 : cols > n ? (n ? n : 1) : cols;
    if (n)
        cols = (n + (n + cols - 1) / cols - 1) / ((n + cols - 1) / cols);
    return cols;
}

static void shape_wide(const ui_list *l, const ui_page *p, int w, const ui_metrics *m,
                       choice_shape *c)
{
    int row_w = 0;
    for (int i = c->cells; i < p->n_choices; i++) {
        const ui_item *it = &p->choices[i];
        int ww = natural_width(l, it, m->px, 4 * m->min_target);
        ww = ww < w ? ww : w;
        c->wide_w[i - c->cells] = ww;
        c->ok = c->ok && min_button_width(l, it, m->px) <= w;
        int h = ui_button_height(l, it->text, ww, m->px, it->flags, m->min_target);
        c->wide_h = h > c->wide_h ? h : c->wide_h;
        if (row_w == 0 || row_w + m->gap + ww > w) { /* a new row of wide choices */
            c->wide_rows++;
            row_w = ww;
        } else {
            row_w += m->gap + ww;
        }
    }
}

static choice_shape shape_choices(const ui_list *l, const ui_page *p, int w, int cols,
                                  const ui_metrics *m)
{
    int n = count_cells(p);
    choice_shape c;
    memset(&c, 0, sizeof c);
    c.cells = n;
    int need = m->min_target;
    for (int i = 0; i < n; i++) {
        int mw = min_button_width(l, &p->choices[i], m->px);
        need = mw > need ? mw : need;
    }
    cols = p->grid ? grid_cols(n, w, need, m) : cols < 1 ? 1 : cols > n ? (n ? n : 1) : cols;
    c.cols = cols;
    c.rows = (n + cols - 1) / cols;
    c.cell_w = (w - (cols - 1) * m->gap) / cols;
    c.ok = c.cell_w >= need;
    int min_h = p->grid ? m->min_target * 5 / 4 : m->min_target; /* keys: a little taller */
    for (int i = 0; i < n; i++) {
        int h = ui_button_height(l, p->choices[i].text, c.cell_w, m->px, p->choices[i].flags,
                                 min_h);
        int *row = &c.row_h[i / cols];
        *row = h > *row ? h : *row;
    }
    shape_wide(l, p, w, m, &c);
    return c;
}

static int rows_height(const choice_shape *c, const ui_metrics *m)
{
    int h = 0;
    for (int r = 0; r < c->rows; r++)
        h += c->row_h[r] + (r ? choice_gap(m) : 0);
    return h;
}

static int shape_height(const choice_shape *c, const ui_page *p, const ui_metrics *m)
{
    (void)p;
    int h = rows_height(c, m);
    if (c->wide_rows > 0)
        h += (h ? m->gap : 0) + c->wide_rows * c->wide_h + (c->wide_rows - 1) * choice_gap(m);
    return h;
}

/* The fixed top band: the heading, and "Lue ääneen" (the corner button) at its right. */
typedef struct top_band {
    int h;          /* height including the space under it */
    int heading_y;  /* below the corner button when a word would not fit beside it */
    int heading_w;
    int heading_px;
    int corner_w, corner_h;
} top_band;

static top_band measure_top(const ui_list *l, const ui_page *p, const ui_metrics *m)
{
    top_band t = {0, m->margin, m->w - 2 * m->margin, m->px, 0, 0};
    /* headings are a quarter bigger, but never over 1.5 x the 100 % text size */
    int cap = m->min_target * 3 / 4;
    t.heading_px = (p->heading_flags & UI_LARGE) ? m->px * 5 / 4 : m->px;
    t.heading_px = t.heading_px > cap && cap > m->px ? cap : t.heading_px;
    t.heading_px = t.heading_px < m->px ? m->px : t.heading_px;
    if (p->corner.text) {
        t.corner_w = natural_width(l, &p->corner, m->px, 3 * m->min_target);
        t.corner_h = ui_button_height(l, p->corner.text, t.corner_w, m->px, p->corner.flags,
                                      m->min_target);
        t.heading_w -= t.corner_w + m->gap;
        ui_item h = {p->heading ? p->heading : "", p->heading_flags, 0, 0};
        bool bold = p->heading_flags & UI_BOLD, large = p->heading_flags & UI_LARGE;
        int full = m->w - 2 * m->margin, one = line_height(l, t.heading_px, bold);
        /* a line such as "Kysymys 1 / 15" is never broken beside the corner: it goes under */
        bool whole = !large && ui_text_height(l, h.text, full, t.heading_px, bold) == one &&
                     ui_text_height(l, h.text, t.heading_w, t.heading_px, bold) > one;
        if (whole ||
            min_button_width(l, &h, t.heading_px) - 2 * pad_for(t.heading_px, cf(l, 0)) >
                t.heading_w) {
            t.heading_w = m->w - 2 * m->margin;
            t.heading_y = m->margin + t.corner_h + m->gap;
        }
    }
    int hh = p->heading ? ui_text_height(l, p->heading, t.heading_w, t.heading_px,
                                         p->heading_flags & UI_BOLD)
                        : 0;
    t.h = t.heading_y - m->margin + hh;
    t.h = t.h > t.corner_h ? t.h : t.corner_h;
    t.h += t.h ? m->gap : 0;
    return t;
}

static void place_top(ui_list *l, const ui_page *p, const ui_metrics *m, const top_band *t)
{
    if (p->heading)
        ui_list_text(l, m->margin, t->heading_y, t->heading_w, p->heading, t->heading_px,
                     p->heading_flags);
    if (p->corner.text)
        ui_list_button(l, (SDL_Rect){m->w - m->margin - t->corner_w, m->margin, t->corner_w,
                                     t->corner_h},
                       p->corner.text, m->px, p->corner.flags | UI_CENTER, p->corner.action,
                       p->corner.arg);
}

static int texts_height(const ui_list *l, const ui_page *p, int w, const ui_metrics *m)
{
    int h = 0;
    for (int i = 0; i < p->n_texts; i++) {
        unsigned f = p->texts[i].flags;
        int pad = (f & UI_FRAME) ? 2 * pad_for(m->px, cf(l, 0)) : 0;
        int tw = (f & UI_BAR) ? bar_label_width(w, m->px) : w - pad;
        h += ui_text_height(l, p->texts[i].text, tw, m->px, f & UI_BOLD) + pad + m->gap +
             ((f & UI_BAR) ? ui_bar_height(m->px, w) : 0);
    }
    return h;
}

static void place_texts(ui_list *l, const ui_page *p, int x, int y, int w, const ui_metrics *m)
{
    for (int i = 0; i < p->n_texts; i++) {
        int before = l->n;
        y += ui_list_text(l, x, y, w, p->texts[i].text, m->px, p->texts[i].flags) + m->gap;
        if (l->n > before) /* a bar's value */
            l->w[l->n - 1].arg = p->texts[i].arg;
    }
}

static void add_choice_button(ui_list *l, const ui_item *it, SDL_Rect r, const ui_metrics *m)
{
    ui_list_button(l, r, it->text, m->px, it->flags, it->action, it->arg);
}

/* One row of cells at (x, y): reading order is row by row, left to right (never column by
 * column). */
static void place_row(ui_list *l, const ui_page *p, const choice_shape *c, int row, int x, int y,
                      const ui_metrics *m)
{
    for (int k = row * c->cols; k < (row + 1) * c->cols && k < c->cells; k++) {
        int col = k - row * c->cols;
        add_choice_button(l, &p->choices[k],
                          (SDL_Rect){x + col * (c->cell_w + m->gap), y, c->cell_w, c->row_h[row]},
                          m);
    }
}

/* The wide choices from index `from` that fit in one row of width w; returns how many. */
static int wide_row(const choice_shape *c, int from, int total, int w, const ui_metrics *m)
{
    int k = from, row_w = 0;
    while (k < total && (k == from || row_w + m->gap + c->wide_w[k - c->cells] <= w)) {
        row_w += (k == from ? 0 : m->gap) + c->wide_w[k - c->cells];
        k++;
    }
    return k - from;
}

static void place_wide_row(ui_list *l, const ui_page *p, const choice_shape *c, int from,
                           int count, int x, int y, const ui_metrics *m)
{
    for (int k = from; k < from + count; k++) {
        int ww = c->wide_w[k - c->cells];
        add_choice_button(l, &p->choices[k], (SDL_Rect){x, y, ww, c->wide_h}, m);
        x += ww + m->gap;
    }
}

/* All the choices at (x, y) in width w: the cells, then the rows of wide choices. */
static void place_choices(ui_list *l, const ui_page *p, int x, int y, int w, const choice_shape *c,
                          const ui_metrics *m)
{
    for (int r = 0; r < c->rows; r++) {
        place_row(l, p, c, r, x, y, m);
        y += c->row_h[r] + (r + 1 < c->rows ? choice_gap(m) : m->gap);
    }
    for (int k = c->cells; k < p->n_choices;) {
        int count = wide_row(c, k, p->n_choices, w, m);
        place_wide_row(l, p, c, k, count, x, y, m);
        k += count;
        y += c->wide_h + choice_gap(m);
    }
}

/* The bottom row: first at the left, last at the right; more rows when words would split;
 * at least `min_h` tall. Returns its height; adds the buttons only when `emit`. A row of exactly
 * two buttons leaves the space between them in *free (else free->w is 0). An empty place
 * (UI_GHOST) is as wide and as tall as its button would be, so nothing moves when it shows. */
/* Buttons a row of the bottom row holds: all while no word splits in equal slots. */
static int nav_per_row(const ui_list *l, const ui_page *p, const ui_metrics *m)
{
    int n = p->n_nav, cw = m->w - 2 * m->margin, per_row = n;
    for (int rows = 1; rows <= n; rows++) {
        per_row = (n + rows - 1) / rows;
        int slot = (cw - (per_row - 1) * m->gap) / per_row;
        bool ok = true;
        for (int i = 0; i < n; i++)
            ok = ok && min_button_width(l, &p->nav[i], m->px) <= slot;
        if (ok)
            break;
    }
    return per_row;
}

static int place_nav_row(ui_list *l, const ui_page *p, const ui_metrics *m, bool emit, int min_h,
                         SDL_Rect *free);

/* Does the bottom row hold all its buttons in one row at the page's text size (compact
 * padding allowed)? */
static bool nav_one_row(ui_list *l, const ui_page *p, const ui_metrics *m)
{
    bool was = l->compact;
    l->compact = true;
    bool one = nav_per_row(l, p, m) == p->n_nav;
    l->compact = was;
    return one;
}

/* The bottom row stays one row while less padding, then its words a step smaller (never under
 * the 100 % size), let it: a second row would move its buttons ("Isompi teksti" away from the
 * finger that tapped it at the size before). */
static int place_nav(ui_list *l, const ui_page *p, const ui_metrics *m, bool emit, int min_h,
                     SDL_Rect *free)
{
    bool was = l->compact;
    ui_metrics nm = *m;
    int floor = m->min_target / 2; /* min_target is twice the 100 % text size */
    if (p->n_nav > 1 && nav_per_row(l, p, m) < p->n_nav) {
        l->compact = true;
        while (nav_per_row(l, p, &nm) < p->n_nav && nm.px > floor) {
            nm.px -= m->px / 8 > 0 ? m->px / 8 : 1;
            nm.px = nm.px < floor ? floor : nm.px;
        }
        if (nav_per_row(l, p, &nm) < p->n_nav) { /* no help: as it was, in rows */
            l->compact = was;
            nm = *m;
        }
    }
    int h = place_nav_row(l, p, &nm, emit, min_h, free);
    l->compact = was;
    return h;
}

static int place_nav_row(ui_list *l, const ui_page *p, const ui_metrics *m, bool emit, int min_h,
                         SDL_Rect *free)
{
    *free = (SDL_Rect){0, 0, 0, 0};
    int n = p->n_nav, px = m->px;
    if (n == 0)
        return 0;
    int cw = m->w - 2 * m->margin, per_row = nav_per_row(l, p, m);
    int slot = (cw - (per_row - 1) * m->gap) / per_row;
    int rows = (n + per_row - 1) / per_row, total = 0;
    int bw[UI_PAGE_NAV], bh[UI_PAGE_NAV];
    for (int i = 0; i < n; i++) {
        int want = natural_width(l, &p->nav[i], px, 4 * m->min_target);
        bw[i] = want < slot && rows == 1 ? want : slot; /* several rows: equal, aligned */
        bh[i] = ui_button_height(l, p->nav[i].text, bw[i], px, p->nav[i].flags, m->min_target);

    }
    int y = m->h - m->margin;
    for (int r = rows - 1; r >= 0; r--) { /* from the bottom up */
        int first = r * per_row, count = n - first < per_row ? n - first : per_row, h = min_h;
        for (int k = 0; k < count; k++)
            h = bh[first + k] > h ? bh[first + k] : h;
        y -= h;
        for (int k = 0; k < count; k++) {
            int i = first + k, x;
            bool right = k == count - 1 && (count > 1 || (p->nav[i].flags & UI_PRIMARY));
            if (right)
                x = m->w - m->margin - bw[i];
            else if (k == 0)
                x = m->margin;
            else
                x = m->margin + k * (slot + m->gap) + (slot - bw[i]) / 2;
            unsigned f = p->nav[i].flags | ((p->nav[i].flags & UI_CHOICE) ? 0 : UI_CENTER);
            if (emit && !(p->nav[i].flags & UI_GHOST))
                ui_list_button(l, (SDL_Rect){x, y, bw[i], h}, p->nav[i].text, m->px, f,
                               p->nav[i].action, p->nav[i].arg);
        }
        if (rows == 1 && n == 2)
            *free = (SDL_Rect){m->margin + bw[0] + m->gap, y,
                               m->w - 2 * m->margin - bw[0] - bw[1] - 2 * m->gap, h};
        total += h + (r > 0 ? m->gap : 0);
        y -= m->gap;
    }
    return total;
}

/* The message's text size: the page's, or a step smaller at a time (to 5/8) when a message
 * longer than its place was made for would otherwise spill out of it. */
static int message_px(const ui_list *l, const ui_page *p, int w, int room, int px)
{
    int fit = px;
    while (fit > px * 5 / 8 &&
           ui_text_height(l, p->message, w, fit, p->message_flags & UI_BOLD) > room)
        fit -= px / 8 > 0 ? px / 8 : 1;
    return fit;
}

/* The bottom of the page: the bottom row, and the page's message in a place of its own kept
 * whether or not there is a message (message_lines tall), so nothing moves when one appears:
 * between the two buttons of the row when there is room for some 20 characters, else a band
 * over the row. Returns the height of both; adds them only when `emit`. */
static int place_bottom(ui_list *l, const ui_page *p, const ui_metrics *m, bool emit)
{
    SDL_Rect free;
    int room = (p->message_lines > 1 ? p->message_lines : 1) * line_height(l, m->px, true);
    if (!p->message)
        return place_nav(l, p, m, emit, 0, &free);
    place_nav(l, p, m, false, room, &free);
    if (free.w >= 10 * m->px) { /* beside the way forward, where the eyes go to tap it */
        int h = place_nav(l, p, m, emit, room, &free);
        if (emit)
            ui_list_text(l, free.x, free.y + (free.h - room) / 2, free.w, p->message,
                         message_px(l, p, free.w, room, m->px),
                         p->message_flags | UI_CENTER); /* not read as a button's label */
        return h;
    }
    int h = place_nav(l, p, m, emit, 0, &free), w = m->w - 2 * m->margin;
    if (emit)
        ui_list_text(l, m->margin, m->h - m->margin - h - m->gap - room, w, p->message,
                     message_px(l, p, w, room, m->px), p->message_flags);
    return h + m->gap + room;
}

/* ---- the whole page on one screen --------------------------------------------------------- */

/* Tries the arrangements, best first: side by side only on landscape screens (text left,
 * choices right), then stacked; one column of choices before two or three. Places the page and
 * returns true when one fits. */
static bool layout_whole(ui_list *l, const ui_page *p, const ui_metrics *m, const top_band *top)
{
    int x = m->margin, cw = m->w - 2 * m->margin, y = m->margin + top->h;
    int nav_h = place_bottom(l, p, m, false);
    int body_h = m->h - m->margin - (nav_h ? nav_h + 2 * m->gap : 0) - y, n = p->n_choices;
    /* a readable width for a single column of answers */
    int list_w = cw < m->px * 28 || p->wide ? cw : m->px * 28;
    bool landscape = m->w > m->h && !p->wide && n > 0 && p->n_texts > 0;
    for (int cols = 1; cols <= 3; cols++) {
        if (landscape) {
            int tw = (cw - 2 * m->gap) * 9 / 20, chw = cw - tw - 2 * m->gap;
            choice_shape c = shape_choices(l, p, chw, cols, m);
            if (c.ok && texts_height(l, p, tw, m) - m->gap <= body_h &&
                shape_height(&c, p, m) <= body_h) {
                place_top(l, p, m, top);
                place_texts(l, p, x, y, tw, m);
                place_choices(l, p, x + tw + 2 * m->gap, y, chw, &c, m);
                place_bottom(l, p, m, true);
                return true;
            }
        }
        int th = texts_height(l, p, cw, m);
        int chw = cols == 1 && !p->grid ? list_w : cw;
        choice_shape c = shape_choices(l, p, chw, cols, m);
        if (c.ok && th + shape_height(&c, p, m) <= body_h + (n ? 0 : m->gap)) {
            place_top(l, p, m, top);
            place_texts(l, p, x, y, cw, m);
            place_choices(l, p, x, y + th, chw, &c, m);
            place_bottom(l, p, m, true);
            return true;
        }
        if (p->grid)
            break;
    }
    return false;
}

/* ---- when it does not fit: a region that scrolls by whole units ------------------------- */

/* A unit is what scrolling moves by: a line of text (a framed block or a label with its bar
 * stays whole), a row of cells, a row of wide choices. */
typedef struct unit {
    int block;      /* -1 heading, 0.. texts, UI_PAGE_TEXTS + k row of cells k, after them rows
                       of wide choices */
    int line;       /* text: which line, -1 a block kept whole; wide row: its first choice */
    int h;
} unit;

enum { MAX_UNITS = 512 };

static int text_lines(const ui_list *l, const char *text, int w, int px, bool bold)
{
    return ui_text_height(l, text, w, px, bold) / line_height(l, px, bold);
}

static int add_unit(unit *u, int n, unit v)
{
    if (n < MAX_UNITS)
        u[n++] = v;
    return n;
}

/* The texts (and a heading that flows with them) as units, in width cw. */
static int text_units(const ui_list *l, const ui_page *p, const ui_metrics *m, int cw,
                      const top_band *heading, unit *u)
{
    int n = 0;
    if (heading) { /* a long heading flows with the text instead of staying at the top */
        bool bold = p->heading_flags & UI_BOLD;
        int lines = text_lines(l, p->heading, cw, heading->heading_px, bold);
        for (int i = 0; i < lines; i++)
            n = add_unit(u, n, (unit){-1, i, line_height(l, heading->heading_px, bold)});
    }
    for (int t = 0; t < p->n_texts; t++) {
        const ui_item *it = &p->texts[t];
        bool bold = it->flags & UI_BOLD;
        if (it->flags & (UI_FRAME | UI_BAR)) { /* kept whole: a frame or a label with its bar */
            int pad = (it->flags & UI_FRAME) ? 2 * pad_for(m->px, cf(l, 0)) : 0;
            int bar = (it->flags & UI_BAR) ? ui_bar_height(m->px, cw) : 0;
            int tw = (it->flags & UI_BAR) ? bar_label_width(cw, m->px) : cw - pad;
            n = add_unit(u, n, (unit){t, -1, ui_text_height(l, it->text, tw, m->px, bold) + pad + bar});
            continue;
        }
        int lines = text_lines(l, it->text, cw, m->px, bold);
        for (int i = 0; i < lines; i++)
            n = add_unit(u, n, (unit){t, i, line_height(l, m->px, bold)});
    }
    return n;
}

/* The choices as units after n others: rows of cells, then rows of wide choices. */
static int choice_units(const ui_page *p, const ui_metrics *m, int cw, const choice_shape *c,
                        unit *u, int n)
{
    for (int r = 0; r < c->rows; r++)
        n = add_unit(u, n, (unit){UI_PAGE_TEXTS + r, 0, c->row_h[r]});
    for (int k = c->cells; k < p->n_choices;) {
        n = add_unit(u, n, (unit){UI_PAGE_TEXTS + c->rows, k, c->wide_h});
        k += wide_row(c, k, p->n_choices, cw, m);
    }
    return n;
}

/* Space before unit i (none between lines of one paragraph). */
static int unit_space(const unit *u, int i, const ui_metrics *m)
{
    if (i == 0)
        return 0;
    if (u[i].block == u[i - 1].block && u[i].block < UI_PAGE_TEXTS)
        return 0;
    if (u[i].block >= UI_PAGE_TEXTS && u[i - 1].block >= UI_PAGE_TEXTS)
        return choice_gap(m);
    return m->gap;
}

/* Height of units [from, to] shown together (no space before the first). */
static int span_height(const unit *u, int from, int to, const ui_metrics *m)
{
    int h = 0;
    for (int i = from; i <= to; i++)
        h += (i > from ? unit_space(u, i, m) : 0) + u[i].h;
    return h;
}

/* Where a scrolled region stands: the first unit shown, the last, and where "up" and "down"
 * go (the unit at the edge stays on screen, so the eye finds its place again). */
typedef struct scroll {
    int first, last;
    int up, down;   /* -1: that way is at its end */
} scroll;

static scroll scroll_at(const unit *u, int n, int avail, int offset, const ui_metrics *m)
{
    scroll s = {0, -1, -1, -1};
    if (n == 0)
        return s;
    int max_first = n - 1;
    while (max_first > 0 && span_height(u, max_first - 1, n - 1, m) <= avail)
        max_first--;
    s.first = offset < 0 ? 0 : offset > max_first ? max_first : offset;
    s.last = s.first;
    while (s.last + 1 < n && span_height(u, s.first, s.last + 1, m) <= avail)
        s.last++;
    if (s.first > 0) { /* up: the first unit shown now becomes the last */
        s.up = s.first - 1;
        while (s.up > 0 && span_height(u, s.up - 1, s.first, m) <= avail)
            s.up--;
    }
    if (s.last < n - 1)
        s.down = s.last > s.first ? s.last : s.first + 1;
    return s;
}

/* Places units [s->first, s->last] from y in column x, cw. */
static void place_units(ui_list *l, const ui_page *p, const ui_metrics *m, const unit *u,
                        const scroll *s, const choice_shape *c, int x, int y, int cw,
                        const top_band *heading)
{
    for (int i = s->first; i <= s->last; i++) {
        y += i > s->first ? unit_space(u, i, m) : 0;
        int b = u[i].block;
        if (b >= UI_PAGE_TEXTS + c->rows) { /* a row of wide choices */
            int from = u[i].line;
            place_wide_row(l, p, c, from, wide_row(c, from, p->n_choices, cw, m), x, y, m);
        } else if (b >= UI_PAGE_TEXTS) {
            place_row(l, p, c, b - UI_PAGE_TEXTS, x, y, m);
        } else { /* consecutive lines of one paragraph become one widget */
            int count = 1, first_y = y;
            while (u[i].line >= 0 && i + count <= s->last && u[i + count].block == b)
                count++;
            for (int k = 1; k < count; k++)
                y += u[i + k].h;
            const char *text = b < 0 ? p->heading : p->texts[b].text;
            unsigned flags = b < 0 ? p->heading_flags : p->texts[b].flags;
            int px = b < 0 ? heading->heading_px : m->px;
            int before = l->n;
            text_part(l, x, first_y, cw, text, px, flags, u[i].line < 0 ? 0 : u[i].line,
                      u[i].line < 0 ? -1 : count);
            if (l->n > before) /* a bar's value */
                l->w[l->n - 1].arg = b < 0 ? 0 : p->texts[b].arg;
            i += count - 1;
        }
        y += u[i].h;
    }
}

/* The bottom row with "up" and "down" added before its main button (after all others). Both
 * are always there, the one at its end faint (UI_DISABLED), so neither ever takes the other's
 * place under a repeated tap. The main button is an empty place (UI_GHOST) while `main` is
 * false (main_on_last, before the end has been on screen). */
static ui_page with_scroller(const ui_page *p, const scroll *s, int seen, bool main)
{
    ui_page q = *p;
    int last = q.n_nav - 1;
    if (last >= 0 && !(q.nav[last].flags & UI_PRIMARY))
        last = -1;
    ui_item keep = last >= 0 ? q.nav[last] : (ui_item){0};
    q.n_nav = last >= 0 ? last : q.n_nav;
    ui_item up = {p->less_label ? p->less_label : "", UI_ARROW_UP, UI_ACT_LESS, s->up | seen};
    ui_item down = {p->more_label ? p->more_label : "", UI_ARROW_DOWN, UI_ACT_MORE,
                    s->down | seen};
    if (s->up < 0)
        up = (ui_item){up.text, UI_ARROW_UP | UI_DISABLED, UI_ACT_NONE, 0};
    if (s->down < 0)
        down = (ui_item){down.text, UI_ARROW_DOWN | UI_DISABLED, UI_ACT_NONE, 0};

    if (q.n_nav + 2 <= UI_PAGE_NAV) {
        q.nav[q.n_nav++] = up;
        q.nav[q.n_nav++] = down;
    }
    if (last >= 0 && q.n_nav < UI_PAGE_NAV) {
        q.nav[q.n_nav++] = keep;
        q.nav[q.n_nav - 1].flags |= main ? 0 : UI_GHOST;
    }
    return q;
}

/* The scroll state after this layout: the offset, and UI_PAGE_SEEN once the end was shown. */
static int scroll_state(const scroll *s, int n, int page)
{
    int seen = (page & UI_PAGE_SEEN) || s->last >= n - 1 ? UI_PAGE_SEEN : 0;
    return s->first | seen;
}

/* A side scroll button: a finger's size, and as big as a line of the text beside it. */
static int arrow_size(const ui_metrics *m)
{
    return m->min_target > m->px * 5 / 4 ? m->min_target : m->px * 5 / 4;
}

/* The band's own scroll buttons, arrows only, at its right: one over the other when the band
 * is tall enough, else side by side. Returns the width they take (with the gap before them). */
static int band_buttons(ui_list *l, const ui_page *p, const ui_metrics *m, SDL_Rect band,
                        const scroll *s, int seen, bool emit)
{
    int t = arrow_size(m), right = band.x + band.w;
    bool column = band.h >= 2 * t + m->gap;
    SDL_Rect up = {right - t, band.y, t, t};
    SDL_Rect down = column ? (SDL_Rect){right - t, band.y + band.h - t, t, t}
                           : (SDL_Rect){right - 2 * t - m->gap, band.y, t, t};
    if (!column) { /* reading order: up first, at the left */
        up.x = down.x;
        down.x = right - t;
    }
    if (emit) {
        ui_list_button(l, up, p->less_label ? p->less_label : "",
                       m->px, UI_ARROW_UP | (s->up < 0 ? UI_DISABLED : 0),
                       s->up < 0 ? UI_ACT_NONE : UI_ACT_LESS, s->up | seen);
        ui_list_button(l, down, p->more_label ? p->more_label : "",
                       m->px, UI_ARROW_DOWN | (s->down < 0 ? UI_DISABLED : 0),
                       s->down < 0 ? UI_ACT_NONE : UI_ACT_MORE, s->down | seen);
    }
    return (column ? t : 2 * t + m->gap) + m->gap;
}

/* The main button as an empty place until the end has been on screen (main_on_last). */
static ui_page gate_main(const ui_page *p, int page)
{
    ui_page q = *p;
    if (p->main_on_last && !(page & UI_PAGE_SEEN) && q.n_nav &&
        (q.nav[q.n_nav - 1].flags & UI_PRIMARY))
        q.nav[q.n_nav - 1].flags |= UI_GHOST;
    return q;
}

/* The scrolled page: units from `top` down to the bottom row; texts, then the choices in one
 * column (a grid keeps its keys), `heading` when the heading flows with them. "Up" and "down"
 * go in the bottom row with their words while that costs the row no height, else as arrows at
 * the right of the region (as the question's band has them). */
static void layout_scrolled(ui_list *l, const ui_page *p, const ui_metrics *m, int top,
                            const top_band *heading, int *page)
{
    unit u[MAX_UNITS]; /* 6 KB on the stack: no state kept between layouts */
    int x = m->margin, cw = m->w - 2 * m->margin;
    scroll probe = {0, 0, 0, 0}; /* the row's height does not depend on which are faint */
    ui_page q = with_scroller(p, &probe, 0, true);
    int bottom_h = place_bottom(l, &q, m, false), bw = 0;
    bool in_row = bottom_h <= place_bottom(l, p, m, false) && nav_one_row(l, &q, m);
    if (!in_row)
        bottom_h = place_bottom(l, p, m, false);
    SDL_Rect region = {x, top, cw, m->h - m->margin - m->gap - bottom_h - top};
    if (!in_row)
        bw = band_buttons(l, p, m, region, &probe, 0, false);
    choice_shape c = shape_choices(l, p, cw - bw, 1, m);
    int n = text_units(l, p, m, cw - bw, heading, u);
    n = choice_units(p, m, cw - bw, &c, u, n);
    scroll s = scroll_at(u, n, region.h, *page & (UI_PAGE_SEEN - 1), m);
    *page = scroll_state(&s, n, *page);
    place_units(l, p, m, u, &s, &c, x, top, cw - bw, heading);
    if (in_row) {
        q = with_scroller(p, &s, *page & UI_PAGE_SEEN, !p->main_on_last || (*page & UI_PAGE_SEEN));
    } else {
        band_buttons(l, p, m, region, &s, *page & UI_PAGE_SEEN, true);
        q = gate_main(p, *page);
    }
    place_bottom(l, &q, m, true);
}

/* The tallest the band is at any scroll position: the answers go right under it, and stay
 * there whatever the band shows. */
static int band_used(const unit *u, int n, int avail, const ui_metrics *m)
{
    int used = 0;
    for (int f = 0; f < n; f++) {
        scroll s = scroll_at(u, n, avail, f, m);
        int h = span_height(u, s.first, s.last, m);
        used = h > used ? h : used;
        if (s.down < 0)
            break;
    }
    return used;
}

/* The page split for the band: `band` keeps the texts that scroll; `pinned` the framed ones
 * (the typed code, the number typed so far), which belong with the keys and stay in view. */
static void split_pinned(const ui_page *p, ui_page *band, ui_page *pinned)
{
    *band = *p;
    *pinned = *p;
    band->n_texts = pinned->n_texts = 0;
    for (int i = 0; i < p->n_texts; i++) {
        ui_page *to = (p->texts[i].flags & UI_FRAME) ? pinned : band;
        to->texts[to->n_texts++] = p->texts[i];
    }
}

/* Places the band page: its top, the band's lines shown and its arrows; returns the band's
 * height (0 without texts). */
static int place_band(ui_list *l, const ui_page *bp, const ui_metrics *m, const top_band *top,
                      const unit *u, int n, SDL_Rect band, int bw, int *page)
{
    choice_shape none_c;
    memset(&none_c, 0, sizeof none_c);
    scroll s = scroll_at(u, n, band.h, *page & (UI_PAGE_SEEN - 1), m);
    *page = scroll_state(&s, n, *page);
    place_top(l, bp, m, top);
    if (n == 0)
        return 0;
    place_units(l, bp, m, u, &s, &none_c, band.x, band.y, band.w - bw, NULL);
    int used = band_used(u, n, band.h, m);
    if (bw) { /* the arrows beside the lines shown, as tall as they were measured */
        int t = arrow_size(m), arrows = bw == t + m->gap ? 2 * t + m->gap : t;
        band.h = used > arrows ? used : arrows;
        band_buttons(l, bp, m, band, &s, *page & UI_PAGE_SEEN, true);
        used = band.h;
    }
    return used;
}

/* A page of answers that does not fit: every answer stays on screen, their labels at
 * `answer_px`, with the framed texts over them; the other texts above are a band that scrolls
 * by whole lines with its own arrow buttons. False when the answers and one line of text do not
 * fit. */
static bool layout_band(ui_list *l, const ui_page *p, const ui_metrics *m, const top_band *top,
                        int answer_px, bool may_scroll, int *page)
{
    unit u[MAX_UNITS]; /* 6 KB on the stack: no state kept between layouts */
    if (p->n_choices == 0 || p->wide)
        return false;
    ui_metrics am = *m;
    am.px = answer_px;
    ui_page bp, pinned;
    split_pinned(p, &bp, &pinned);
    int x = m->margin, cw = m->w - 2 * m->margin, y = m->margin + top->h;
    int bottom = m->h - m->margin - m->gap - place_bottom(l, p, m, false);
    int ph = texts_height(l, &pinned, cw, m);
    for (int cols = 1; cols <= 3; cols++) {
        choice_shape c = shape_choices(l, p, cw, cols, &am);
        int ch = shape_height(&c, p, &am);
        SDL_Rect band = {x, y, cw, bottom - y - ch - ph - m->gap};
        int n = text_units(l, &bp, m, cw, NULL, u), bw = 0;
        if (n && span_height(u, 0, n - 1, m) > band.h) { /* it scrolls: room for the arrows */
            scroll none = {0, 0, -1, -1};
            bw = band_buttons(l, &bp, m, band, &none, 0, false);
            n = text_units(l, &bp, m, cw - bw, NULL, u);
        }
        if (c.ok && band.h >= (n ? u[0].h : 0) && (!bw || (may_scroll && band.h >= arrow_size(m)))) {
            int used = place_band(l, &bp, m, top, u, n, band, bw, page);
            int cy = y + used + (n ? m->gap : 0);
            place_texts(l, &pinned, x, cy, cw, m);
            place_choices(l, p, x, cy + ph, cw, &c, &am);
            ui_page q = gate_main(p, *page);
            place_bottom(l, &q, m, true);
            return true;
        }
        if (p->grid)
            break;
    }
    return false;
}

/* Less room around things, for large text: half the margin and the gaps, and UI_COMPACT on
 * every widget (ui_list.compact). Touch targets keep min_target. */
static ui_metrics compact_metrics(const ui_metrics *m)
{
    ui_metrics c = *m;
    c.margin = m->margin / 2;
    c.gap = m->gap / 2;
    return c;
}

void ui_page_layout(ui_list *l, const ui_page *p, const ui_metrics *m, int *page)
{
    for (int compact = 0; compact < 2; compact++) {
        ui_metrics cm = compact ? compact_metrics(m) : *m;
        l->compact = compact;
        top_band top = measure_top(l, p, &cm);
        if (top.h <= (cm.h - 2 * cm.margin) / 3 && layout_whole(l, p, &cm, &top)) {
            *page = 0;
            l->compact = false;
            return;
        }
    }
    /* the answers all on screen: first at the page's text size, then compact, then (large
     * text on a low screen, where a scale of seven labels is taller than the screen) with the
     * answers' labels a step smaller at a time, down to 3/4 of the page's size. The texts
     * whole (normal or compact) come before any of it: a band that scrolls is the last resort
     * after compact, smaller answers after that. */
    for (int pass = 0; pass < 2; pass++)
        for (int step = 0; step <= (pass ? 3 : 1); step++) {
            ui_metrics cm = step ? compact_metrics(m) : *m;
            l->compact = step > 0;
            top_band top = measure_top(l, p, &cm);
            int answer_px = step < 2 ? m->px : m->px * (9 - step) / 8;
            if (top.h <= (cm.h - 2 * cm.margin) / 3 &&
                layout_band(l, p, &cm, &top, answer_px, pass == 1, page)) {
                l->compact = false;
                return;
            }
        }
    /* everything scrolls: compact from 150 % on (more on each screen) */
    l->compact = m->px * 8 > m->min_target * 5; /* text over 125 % (min_target is 2 x 100 %) */
    ui_metrics cm = l->compact ? compact_metrics(m) : *m;
    top_band top = measure_top(l, p, &cm);
    if (top.h > (cm.h - 2 * cm.margin) / 3) { /* a heading this tall flows with the text */
        ui_page q = *p;
        q.heading = NULL;
        top_band corner = measure_top(l, &q, &cm);
        place_top(l, &q, &cm, &corner);
        layout_scrolled(l, p, &cm, cm.margin + corner.h, &top, page);
    } else {
        place_top(l, p, &cm, &top);
        layout_scrolled(l, p, &cm, cm.margin + top.h, NULL, page);
    }
    l->compact = false;
}
