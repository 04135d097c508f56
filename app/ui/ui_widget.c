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

static int line_height(const ui_list *l, int px, bool bold)
{
    return l->measure.height(l->measure.ctx, px, bold);
}

static int pad_for(int px)
{
    return px * 2 / 5;
}

static int box_for(int px)
{
    return px;
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
    int pad = (flags & UI_FRAME) ? pad_for(px) : 0;
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
    return (flags & (UI_CHOICE | UI_SPEAKER)) ? box_for(px) + pad_for(px) : 0;
}

static int inner_width(int w, int px, unsigned flags)
{
    return w - 2 * pad_for(px) - lead_for(px, flags);
}

void ui_list_button(ui_list *l, SDL_Rect r, const char *label, int px, unsigned flags, int action,
                    int arg)
{
    ui_widget *w = push(l, UI_BUTTON, r, label, px, flags);
    if (!w)
        return;
    w->action = action;
    w->arg = arg;
    wrap(l, w, inner_width(r.w, px, flags));
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
    int h = ui_text_height(l, label, inner_width(w, px, flags), px, flags & UI_BOLD) + px / 2;
    return h > min_h ? h : min_h;
}

/* ---- drawing ---------------------------------------------------------------------------- */

/* Lines start at the left, or at the right in a mirrored (right-to-left) list. */
static void draw_lines(ui_draw *d, const ui_widget *w, int x, int y, int inner_w, SDL_Color c,
                       bool rtl)
{
    bool bold = (w->flags & UI_BOLD) != 0;
    int lh = ui_draw_line_height(d, w->px, bold);
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
        pad = pad_for(w->px);
        ui_draw_fill(d, w->r, t->paper);
        ui_draw_frame(d, w->r, 3, t->ink);
    }
    draw_lines(d, w, w->r.x + pad, w->r.y + pad, w->r.w - 2 * pad, c, rtl);
    if (w->flags & UI_BAR) { /* track, then the filled part: blue only, no colour that judges */
        int value = w->arg < 0 ? 0 : w->arg > 100 ? 100 : w->arg;
        int bar_h = w->px * 3 / 4, lh = ui_draw_line_height(d, w->px, w->flags & UI_BOLD);
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

static void draw_button(ui_draw *d, const ui_theme *t, const ui_widget *w, bool pressed,
                        bool focused, bool rtl)
{
    bool filled = (w->flags & (UI_PRIMARY | UI_SELECTED)) != 0;
    SDL_Color face = filled ? t->accent : t->face;
    if (pressed)
        face = filled ? t->pressed_accent : t->pressed_face;
    SDL_Color ink = filled ? t->paper : t->label;
    ui_draw_fill(d, w->r, face);
    int edge = (w->flags & UI_SELECTED) ? 6 : 3;
    ui_draw_frame(d, w->r, edge, (w->flags & UI_SELECTED) ? t->ink : t->accent);
    if (focused) {
        SDL_Rect f = {w->r.x - 7, w->r.y - 7, w->r.w + 14, w->r.h + 14};
        ui_draw_frame(d, f, 4, t->ink);
    }
    int pad = pad_for(w->px);
    int x = w->r.x + pad;
    bool bold = (w->flags & UI_BOLD) != 0;
    int lh = ui_draw_line_height(d, w->px, bold);
    int text_h = w->n_lines * lh;
    int y = w->r.y + (w->r.h - text_h) / 2;
    /* the box or the speaker leads the label: on its left, or its right when mirrored */
    int b = box_for(w->px), lead_x = rtl ? w->r.x + w->r.w - pad - b : x;
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
        if (l->w[i].kind == UI_BUTTON && inside(l->w[i].r, x, y))
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
        if (l->w[i].kind == UI_BUTTON) {
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
    int extra = 2 * pad_for(px) + lead_for(px, it->flags);
    return widest + extra;
}

/* A button wide enough for its whole label on one line, at least `min_w`. */
static int natural_width(const ui_list *l, const ui_item *it, int px, int min_w)
{
    /* the speaker takes the place of the spare padding, so the heading beside keeps its room */
    int spare = (it->flags & UI_SPEAKER) ? 0 : 2 * pad_for(px);
    int w = text_width(l, it->text, strlen(it->text), px, it->flags & UI_BOLD) +
            2 * pad_for(px) + spare + lead_for(px, it->flags);
    return w > min_w ? w : min_w;
}

/* Space between answer buttons: less than between blocks, still a clear edge between them. */
static int choice_gap(const ui_metrics *m)
{
    return m->gap * 3 / 4;
}

/* How the choices are arranged in a region of width w: cells (all choices, or on a grid page
 * the keys) in rows and columns, then on a grid page the wide choices ("En halua vastata")
 * one a row under the keys. */
typedef struct choice_shape {
    int cells;         /* choices placed as cells; the rest are wide rows */
    int cols, rows;
    int cell_w, cell_h;
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

static choice_shape shape_choices(const ui_list *l, const ui_page *p, int w, int cols,
                                  const ui_metrics *m)
{
    int n = count_cells(p);
    choice_shape c;
    memset(&c, 0, sizeof c);
    c.cells = n;
    c.cell_w = w;
    c.ok = true;
    int need = m->min_target;
    for (int i = 0; i < n; i++) {
        int mw = min_button_width(l, &p->choices[i], m->px);
        need = mw > need ? mw : need;
    }
    if (p->grid) /* as many equal keys per row as fit */
        cols = (w + m->gap) / (need + m->gap);
    cols = cols < 1 ? 1 : cols > n ? (n ? n : 1) : cols;
    if (p->grid && n) /* as few rows, as evenly filled, as possible: 0-10 as 6 + 5, not 9 + 2 */
        cols = (n + (n + cols - 1) / cols - 1) / ((n + cols - 1) / cols);
    c.cols = cols;
    c.rows = (n + cols - 1) / cols;
    c.cell_w = (w - (cols - 1) * m->gap) / cols;
    c.ok = c.cell_w >= need;
    int min_h = p->grid ? m->min_target * 5 / 4 : m->min_target; /* keys: a little taller */
    for (int i = 0; i < n; i++) {
        int h = ui_button_height(l, p->choices[i].text, c.cell_w, m->px, p->choices[i].flags,
                                 min_h);
        c.cell_h = h > c.cell_h ? h : c.cell_h;
    }
    int row_w = 0;
    for (int i = n; i < p->n_choices; i++) {
        const ui_item *it = &p->choices[i];
        int ww = natural_width(l, it, m->px, 4 * m->min_target);
        ww = ww < w ? ww : w;
        c.wide_w[i - n] = ww;
        c.ok = c.ok && min_button_width(l, it, m->px) <= w;
        int h = ui_button_height(l, it->text, ww, m->px, it->flags, m->min_target);
        c.wide_h = h > c.wide_h ? h : c.wide_h;
        if (row_w == 0 || row_w + m->gap + ww > w) { /* a new row of wide choices */
            c.wide_rows++;
            row_w = ww;
        } else {
            row_w += m->gap + ww;
        }
    }
    return c;
}

static int shape_height(const choice_shape *c_, const ui_page *p, const ui_metrics *m)
{
    choice_shape c = *c_;
    int h = c.rows ? c.rows * c.cell_h + (c.rows - 1) * choice_gap(m) : 0;
    if (c.wide_rows > 0)
        h += (h ? m->gap : 0) + c.wide_rows * c.wide_h + (c.wide_rows - 1) * choice_gap(m);
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
        if (min_button_width(l, &h, t.heading_px) - 2 * pad_for(t.heading_px) > t.heading_w) {
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
        int pad = (f & UI_FRAME) ? 2 * pad_for(m->px) : 0;
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

static SDL_Rect cell_rect(const ui_page *p, int k, int x, int y, choice_shape c, const ui_metrics *m)
{
    (void)p; /* reading order: row by row, left to right (never column by column) */
    int col = k % c.cols, row = k / c.cols;
    SDL_Rect r = {x + col * (c.cell_w + m->gap), y + row * (c.cell_h + choice_gap(m)), c.cell_w,
                  c.cell_h};
    return r;
}

static void add_choice_button(ui_list *l, const ui_item *it, SDL_Rect r, const ui_metrics *m)
{
    ui_list_button(l, r, it->text, m->px, it->flags, it->action, it->arg);
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
static void place_choices(ui_list *l, const ui_page *p, int x, int y, int w, choice_shape c,
                          const ui_metrics *m)
{
    for (int k = 0; k < c.cells; k++)
        add_choice_button(l, &p->choices[k], cell_rect(p, k, x, y, c, m), m);
    y += c.rows ? c.rows * (c.cell_h + choice_gap(m)) - choice_gap(m) + m->gap : 0;
    for (int k = c.cells; k < p->n_choices;) {
        int count = wide_row(&c, k, p->n_choices, w, m);
        place_wide_row(l, p, &c, k, count, x, y, m);
        k += count;
        y += c.wide_h + choice_gap(m);
    }
}

/* The bottom row: first at the left, last at the right; more rows when words would split;
 * at least `min_h` tall. Returns its height; adds the buttons only when `emit`. A row of exactly
 * two buttons leaves the space between them in *free (else free->w is 0). */
static int place_nav(ui_list *l, const ui_page *p, const ui_metrics *m, bool emit, int min_h,
                     SDL_Rect *free)
{
    *free = (SDL_Rect){0, 0, 0, 0};
    int n = p->n_nav, px = m->px;
    if (n == 0)
        return 0;
    int cw = m->w - 2 * m->margin, per_row = n, slot = cw;
    for (int rows = 1; rows <= n; rows++) {
        per_row = (n + rows - 1) / rows;
        slot = (cw - (per_row - 1) * m->gap) / per_row;
        bool ok = true;
        for (int i = 0; i < n; i++)
            ok = ok && min_button_width(l, &p->nav[i], px) <= slot;
        if (ok)
            break;
    }
    int rows = (n + per_row - 1) / per_row, total = 0;
    int bw[UI_PAGE_NAV], bh[UI_PAGE_NAV];
    for (int i = 0; i < n; i++) {
        int want = natural_width(l, &p->nav[i], px, 4 * m->min_target);
        bw[i] = want < slot && rows == 1 ? want : slot; /* several rows: equal, aligned */
        bool ghost = p->nav[i].flags & UI_GHOST; /* not shown: only its width is kept */
        bh[i] = ghost ? 0 : ui_button_height(l, p->nav[i].text, bw[i], px, p->nav[i].flags,
                                             m->min_target);
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
            ui_list_text(l, free.x, free.y + (free.h - room) / 2, free.w, p->message, m->px,
                         p->message_flags | UI_CENTER); /* not read as a button's label */
        return h;
    }
    int h = place_nav(l, p, m, emit, 0, &free);
    if (emit)
        ui_list_text(l, m->margin, m->h - m->margin - h - m->gap - room, m->w - 2 * m->margin,
                     p->message, m->px, p->message_flags);
    return h + m->gap + room;
}

/* ---- the fallback: everything in one column, in parts ------------------------------------ */

typedef struct flow_unit {
    int block;      /* -1 heading, 0.. texts, UI_PAGE_TEXTS + k row of choices k */
    int line;       /* text: which line; -1 a framed text kept whole */
    int h;
} flow_unit;

enum { MAX_UNITS = 512 };

static int text_lines(const ui_list *l, const char *text, int w, int px, bool bold)
{
    return ui_text_height(l, text, w, px, bold) / line_height(l, px, bold);
}

/* Cuts the body into units: lines of text (a framed text stays whole), rows of cells, and
 * wide rows. */
static int flow_units(const ui_list *l, const ui_page *p, const ui_metrics *m, int cw,
                      choice_shape c, const top_band *heading, flow_unit *u)
{
    int n = 0;
    if (heading) { /* a long heading flows with the text instead of staying at the top */
        bool bold = p->heading_flags & UI_BOLD;
        int lines = text_lines(l, p->heading, cw, heading->heading_px, bold);
        for (int i = 0; i < lines && n < MAX_UNITS; i++)
            u[n++] = (flow_unit){-1, i, line_height(l, heading->heading_px, bold)};
    }
    for (int t = 0; t < p->n_texts; t++) {
        const ui_item *it = &p->texts[t];
        bool bold = it->flags & UI_BOLD;
        if (it->flags & (UI_FRAME | UI_BAR)) { /* kept whole: a frame or a label with its bar */
            int pad = (it->flags & UI_FRAME) ? 2 * pad_for(m->px) : 0;
            int bar = (it->flags & UI_BAR) ? ui_bar_height(m->px, cw) : 0;
            int tw = (it->flags & UI_BAR) ? bar_label_width(cw, m->px) : cw - pad;
            if (n < MAX_UNITS)
                u[n++] = (flow_unit){t, -1, ui_text_height(l, it->text, tw, m->px, bold) + pad + bar};
            continue;
        }
        int lines = text_lines(l, it->text, cw, m->px, bold);
        for (int i = 0; i < lines && n < MAX_UNITS; i++)
            u[n++] = (flow_unit){t, i, line_height(l, m->px, bold)};
    }
    for (int r = 0; r < c.rows && n < MAX_UNITS; r++)
        u[n++] = (flow_unit){UI_PAGE_TEXTS + r, 0, c.cell_h};
    for (int k = c.cells; k < p->n_choices && n < MAX_UNITS;) { /* line: first choice index */
        u[n++] = (flow_unit){UI_PAGE_TEXTS + c.rows, k, c.wide_h};
        k += wide_row(&c, k, p->n_choices, cw, m);
    }
    return n;
}

/* Space before unit i (none between lines of one paragraph). */
static int flow_space(const flow_unit *u, int i, const ui_metrics *m)
{
    if (i == 0)
        return 0;
    if (u[i].block == u[i - 1].block && u[i].block < UI_PAGE_TEXTS)
        return 0;
    if (u[i].block >= UI_PAGE_TEXTS && u[i - 1].block >= UI_PAGE_TEXTS)
        return choice_gap(m);
    return m->gap;
}

/* The page's bottom row with the part buttons added before its main button. Both are always
 * there, the one not available now kept as an empty place (UI_GHOST) as wide as the button, so
 * "show the previous part" never takes the place of "show more" under a repeated tap; a row
 * may grow upwards (a taller label beside), never sideways. The main button is an empty place
 * too while `main` is false (main_on_last, before the last part), for the same reason. */
static ui_page with_pager(const ui_page *p, bool less, bool more, bool main)
{
    ui_page q = *p;
    int last = q.n_nav - 1; /* the part buttons go before the main button, after all others */
    if (last >= 0 && !(q.nav[last].flags & UI_PRIMARY))
        last = -1;
    ui_item keep = last >= 0 ? q.nav[last] : (ui_item){0};
    q.n_nav = last >= 0 ? last : q.n_nav;
    if (q.n_nav < UI_PAGE_NAV)
        q.nav[q.n_nav++] = (ui_item){p->less_label ? p->less_label : "", less ? 0 : UI_GHOST,
                                     UI_ACT_LESS, 0};
    if (q.n_nav < UI_PAGE_NAV)
        q.nav[q.n_nav++] = (ui_item){p->more_label ? p->more_label : "", more ? 0 : UI_GHOST,
                                     UI_ACT_MORE, 0};
    if (last >= 0 && q.n_nav < UI_PAGE_NAV) {
        q.nav[q.n_nav++] = keep;
        q.nav[q.n_nav - 1].flags |= main ? 0 : UI_GHOST;
    }
    return q;
}

/* The part label: {1} the part shown, {2} how many (ui_locale's placeholders). */
static void fill_part(char *out, size_t cap, const char *pattern, int part, int parts)
{
    out[0] = '\0';
    for (const char *s = pattern; *s; s++) {
        if (s[0] == '{' && (s[1] == '1' || s[1] == '2') && s[2] == '}') {
            its_appendf(out, cap, "%d", s[1] == '1' ? part : parts);
            s += 2;
        } else {
            its_appendf(out, cap, "%c", *s);
        }
    }
}

/* The bottom row without its empty places. */
static ui_page drop_ghosts(ui_page q)
{
    int k = 0;
    for (int i = 0; i < q.n_nav; i++)
        if (!(q.nav[i].flags & UI_GHOST))
            q.nav[k++] = q.nav[i];
    q.n_nav = k;
    return q;
}

/* Height of the paragraph starting at unit i (a paragraph moves to the next part whole when
 * it fits on one). */
static int block_height(const flow_unit *u, int n, int i)
{
    int h = 0;
    for (int k = i; k < n && u[k].block == u[i].block && u[i].block < UI_PAGE_TEXTS; k++)
        h += u[k].h;
    return h ? h : u[i].h;
}

/* Assigns each unit a part; the first part has `first` pixels, the others `rest` (their
 * bottom row also has "show the previous part"). Returns the number of parts. */
static int flow_paginate(const flow_unit *u, int n, int first, int rest, const ui_metrics *m,
                         int *part_of)
{
    int parts = 1, y = 0, avail = first;
    bool body = false; /* the part already holds something */
    for (int i = 0; i < n; i++) {
        int space = flow_space(u, i, m);
        bool starts_block = i == 0 || u[i].block != u[i - 1].block;
        int whole = starts_block ? block_height(u, n, i) : u[i].h;
        bool keep_whole = body && whole <= avail && y + space + whole > avail;
        if (y > 0 && (y + space + u[i].h > avail || keep_whole)) {
            parts++;
            y = 0;
            space = 0;
            avail = rest;
        }
        body = true;
        part_of[i] = parts - 1;
        y += space + u[i].h;
    }
    return parts;
}

static void flow_place(ui_list *l, const ui_page *p, const ui_metrics *m, int top,
                       const top_band *heading, int *page)
{
    int x = m->margin, cw = m->w - 2 * m->margin;
    choice_shape c = shape_choices(l, p, cw, 1, m);
    if (!p->grid) { /* one column, one choice a row */
        c.cols = 1;
        c.rows = p->n_choices;
    }
    static flow_unit u[MAX_UNITS];
    static int part_of[MAX_UNITS];
    int n = flow_units(l, p, m, cw, c, heading, u);
    /* the bottom row grows with the part buttons: the first part has only "show more" */
    /* the first part's bottom row may be lower (its empty place takes no height); when the
     * empty place would cost a row of its own (large text on a narrow screen) it is left out */
    bool gate = p->main_on_last; /* the main button waits for the last part */
    ui_page first = with_pager(p, false, true, !gate), rest = with_pager(p, true, true, true);
    ui_page bare = drop_ghosts(first);
    int first_h = place_bottom(l, &first, m, false), bare_h = place_bottom(l, &bare, m, false);
    bool keep = first_h <= bare_h;
    int body = m->h - m->margin - 2 * m->gap - top, label_h = 0;
    int first_body = body - (keep ? first_h : bare_h);
    int rest_body = body - place_bottom(l, &rest, m, false);
    int pages = flow_paginate(u, n, first_body, rest_body, m, part_of);
    if (pages > 1 && p->part_text) { /* again, with room for "Osa 1 / 4" above each part */
        label_h = line_height(l, m->px, false) + m->gap;
        pages = flow_paginate(u, n, first_body - label_h, rest_body - label_h, m, part_of);
    }
    *page = *page < 0 ? 0 : *page >= pages ? pages - 1 : *page;
    bool last = *page == pages - 1;
    ui_page actual = with_pager(p, *page > 0, !last, last || !gate);
    actual = pages == 1 ? *p : keep ? actual : drop_ghosts(actual);
    int y = top;
    if (label_h) {
        char label[96];
        fill_part(label, sizeof label, p->part_text, *page + 1, pages);
        y += ui_list_text(l, x, y, cw, label, m->px, UI_MUTED) + m->gap;
    }
    bool first_on_page = true;
    for (int i = 0; i < n; i++) {
        if (part_of[i] != *page)
            continue;
        y += first_on_page ? 0 : flow_space(u, i, m);
        first_on_page = false;
        int b = u[i].block;
        if (b >= UI_PAGE_TEXTS + c.rows) { /* a row of wide choices */
            int from = u[i].line;
            place_wide_row(l, p, &c, from, wide_row(&c, from, p->n_choices, cw, m), x, y, m);
            y += u[i].h;
            continue;
        }
        if (b >= UI_PAGE_TEXTS) { /* one row of cells */
            int row = b - UI_PAGE_TEXTS;
            for (int k = row * c.cols; k < (row + 1) * c.cols && k < c.cells; k++) {
                SDL_Rect r = cell_rect(p, k - row * c.cols, x, y, c, m);
                r.y = y;
                add_choice_button(l, &p->choices[k], r, m);
            }
            y += u[i].h;
            continue;
        }
        /* consecutive lines of one paragraph become one widget */
        int count = 1;
        while (i + count < n && u[i + count].block == b && part_of[i + count] == *page &&
               u[i].line >= 0)
            count++;
        const char *text = b < 0 ? p->heading : p->texts[b].text;
        unsigned flags = b < 0 ? p->heading_flags : p->texts[b].flags;
        int px = b < 0 ? heading->heading_px : m->px;
        int before = l->n;
        y += text_part(l, x, y, cw, text, px, flags, u[i].line < 0 ? 0 : u[i].line,
                       u[i].line < 0 ? -1 : count);
        if (l->n > before) /* a bar's value */
            l->w[l->n - 1].arg = b < 0 ? 0 : p->texts[b].arg;
        i += count - 1;
    }
    /* last, so it lies on top: a unit taller than any part (a long review row at 200 % on a
     * low screen) runs over the bottom row, and must not catch the tap meant for "Näytä lisää"
     * (hits go to the widget added last) */
    place_bottom(l, &actual, m, true);
}

void ui_page_layout(ui_list *l, const ui_page *p, const ui_metrics *m, int *page)
{
    int x = m->margin, cw = m->w - 2 * m->margin;
    top_band top = measure_top(l, p, m);
    if (top.h > (m->h - 2 * m->margin) / 3) { /* a heading this tall flows with the text */
        ui_page q = *p;
        q.heading = NULL;
        top_band corner = measure_top(l, &q, m);
        place_top(l, &q, m, &corner);
        flow_place(l, p, m, m->margin + corner.h, &top, page);
        return;
    }
    place_top(l, p, m, &top);
    int y = m->margin + top.h;
    int nav_h = place_bottom(l, p, m, false);
    int body_h = m->h - m->margin - (nav_h ? nav_h + 2 * m->gap : 0) - y, n = p->n_choices;
    /* a readable width for a single column of answers */
    int list_w = cw < m->px * 28 || p->wide ? cw : m->px * 28;
    /* Arrangements, best first: side by side only on landscape screens (text left, choices
     * right), then stacked; one column of choices before two or three. */
    bool landscape = m->w > m->h && !p->wide && n > 0 && p->n_texts > 0;
    for (int cols = 1; cols <= 3; cols++) {
        if (landscape) {
            int tw = (cw - 2 * m->gap) * 9 / 20, chw = cw - tw - 2 * m->gap;
            choice_shape c = shape_choices(l, p, chw, cols, m);
            if (c.ok && texts_height(l, p, tw, m) - m->gap <= body_h &&
                shape_height(&c, p, m) <= body_h) {
                place_texts(l, p, x, y, tw, m);
                place_choices(l, p, x + tw + 2 * m->gap, y, chw, c, m);
                place_bottom(l, p, m, true);
                *page = 0;
                return;
            }
        }
        int th = texts_height(l, p, cw, m);
        int chw = cols == 1 && !p->grid ? list_w : cw;
        choice_shape c = shape_choices(l, p, chw, cols, m);
        if (c.ok && th + shape_height(&c, p, m) <= body_h + (n ? 0 : m->gap)) {
            place_texts(l, p, x, y, cw, m);
            place_choices(l, p, x, y + th, chw, c, m);
            place_bottom(l, p, m, true);
            *page = 0;
            return;
        }
        if (p->grid)
            break;
    }
    /* Does not fit: one column in parts, with "show more" and "show the previous part". */
    flow_place(l, p, m, y, NULL, page);
}
