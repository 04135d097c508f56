/* ui_widget.c — see ui_widget.h. */
#include "ui_widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_draw.h"

enum { MAX_LINES = 64 };

typedef struct measure_ctx {
    int px;
    bool bold;
} measure_ctx;

static int measure(void *ctx, const char *s, size_t len)
{
    measure_ctx *m = ctx;
    return ui_draw_text_width(s, len, m->px, m->bold);
}

static int pad_for(int px)
{
    return px * 2 / 5;
}

static int box_for(int px)
{
    return px;
}

void ui_list_init(ui_list *l)
{
    memset(l, 0, sizeof *l);
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
    measure_ctx m = {w->px, (w->flags & UI_BOLD) != 0};
    ui_line lines[MAX_LINES];
    int n = ui_text_wrap(w->text, inner_w, l->max_chars, measure, &m, lines, MAX_LINES);
    if (n > MAX_LINES)
        n = MAX_LINES;
    w->lines = n ? malloc((size_t)n * sizeof *w->lines) : NULL;
    if (w->lines)
        memcpy(w->lines, lines, (size_t)n * sizeof *lines);
    w->n_lines = w->lines ? n : 0;
}

int ui_list_text(ui_list *l, int x, int y, int w, const char *text, int px, unsigned flags)
{
    SDL_Rect r = {x, y, w, 0};
    ui_widget *wd = push(l, UI_TEXT, r, text, px, flags);
    if (!wd)
        return 0;
    int pad = (flags & UI_FRAME) ? pad_for(px) : 0;
    wrap(l, wd, w - 2 * pad);
    wd->r.h = wd->n_lines * ui_draw_line_height(px, flags & UI_BOLD) + 2 * pad;
    return wd->r.h;
}

static int inner_width(int w, int px, unsigned flags)
{
    int inner = w - 2 * pad_for(px);
    if (flags & UI_CHOICE)
        inner -= box_for(px) + pad_for(px);
    return inner;
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
    measure_ctx m = {px, bold};
    int n = ui_text_wrap(text, w, l->max_chars, measure, &m, NULL, 0);
    return n * ui_draw_line_height(px, bold);
}

int ui_button_height(const ui_list *l, const char *label, int w, int px, unsigned flags, int min_h)
{
    int h = ui_text_height(l, label, inner_width(w, px, flags), px, flags & UI_BOLD) +
            2 * pad_for(px);
    return h > min_h ? h : min_h;
}

/* ---- drawing ---------------------------------------------------------------------------- */

static void draw_lines(const ui_widget *w, int x, int y, int inner_w, SDL_Color c)
{
    bool bold = (w->flags & UI_BOLD) != 0;
    int lh = ui_draw_line_height(w->px, bold);
    for (int i = 0; i < w->n_lines; i++) {
        const char *s = w->text + w->lines[i].start;
        size_t len = w->lines[i].len;
        int lx = x;
        if (w->flags & UI_CENTER)
            lx = x + (inner_w - ui_draw_text_width(s, len, w->px, bold)) / 2;
        ui_draw_text(s, len, lx, y + i * lh, w->px, bold, c);
    }
}

static void draw_text(const ui_widget *w)
{
    SDL_Color c = (w->flags & UI_ALERT) ? UI_ERROR : (w->flags & UI_MUTED) ? UI_GREY : UI_INK;
    int pad = 0;
    if (w->flags & UI_FRAME) {
        pad = pad_for(w->px);
        ui_draw_fill(w->r, UI_PAPER);
        ui_draw_frame(w->r, 3, UI_INK);
    }
    draw_lines(w, w->r.x + pad, w->r.y + pad, w->r.w - 2 * pad, c);
}

static void draw_button(const ui_widget *w, bool pressed, bool focused)
{
    bool filled = (w->flags & (UI_PRIMARY | UI_SELECTED)) != 0;
    SDL_Color face = filled ? UI_BLUE : UI_PALE;
    if (pressed)
        face = filled ? (SDL_Color){0x06, 0x24, 0x5A, 0xFF} : (SDL_Color){0xC6, 0xD4, 0xEA, 0xFF};
    SDL_Color ink = filled ? UI_PAPER : UI_INK;
    ui_draw_fill(w->r, face);
    int edge = (w->flags & UI_SELECTED) ? 6 : 3;
    ui_draw_frame(w->r, edge, (w->flags & UI_SELECTED) ? UI_INK : UI_BLUE);
    if (focused) {
        SDL_Rect f = {w->r.x - 7, w->r.y - 7, w->r.w + 14, w->r.h + 14};
        ui_draw_frame(f, 4, UI_INK);
    }
    int pad = pad_for(w->px);
    int x = w->r.x + pad;
    bool bold = (w->flags & UI_BOLD) != 0;
    int lh = ui_draw_line_height(w->px, bold);
    int text_h = w->n_lines * lh;
    int y = w->r.y + (w->r.h - text_h) / 2;
    if (w->flags & UI_CHOICE) {
        int b = box_for(w->px);
        SDL_Rect box = {x, w->r.y + (w->r.h - b) / 2, b, b};
        ui_draw_fill(box, UI_PAPER);
        ui_draw_frame(box, 3, UI_INK);
        if (w->flags & UI_SELECTED)
            ui_draw_check(box, b / 7 > 3 ? b / 7 : 3, UI_BLUE);
        x += b + pad;
    } else if (w->flags & UI_SELECTED) { /* a key: the check mark in its corner */
        int b = w->px * 2 / 3;
        ui_draw_check((SDL_Rect){w->r.x + edge + 2, w->r.y + edge + 2, b, b},
                      b / 6 > 3 ? b / 6 : 3, UI_PAPER);
    }
    draw_lines(w, x, y, inner_width(w->r.w, w->px, w->flags), ink);
}

void ui_list_draw(const ui_list *l)
{
    for (int i = 0; i < l->n; i++) {
        if (l->modal && i == l->modal) {
            int sw, sh;
            ui_draw_size(&sw, &sh);
            ui_draw_fill((SDL_Rect){0, 0, sw, sh}, UI_SHADE);
        }
        const ui_widget *w = &l->w[i];
        if (w->kind == UI_TEXT)
            draw_text(w);
        else
            draw_button(w, i == l->pressed, i == l->focus);
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

/* How the choices are arranged in a region of width w. */
typedef struct choice_shape {
    int cols, rows;
    int cell_w, cell_h;
} choice_shape;

static int widest_label(const ui_page *p, int px)
{
    int widest = 0;
    for (int i = 0; i < p->n_choices; i++) {
        const char *t = p->choices[i].text;
        int tw = ui_draw_text_width(t, strlen(t), px, p->choices[i].flags & UI_BOLD);
        if (tw > widest)
            widest = tw;
    }
    return widest;
}

static choice_shape shape_choices(const ui_list *l, const ui_page *p, int n, int w, int cols,
                                  const ui_metrics *m)
{
    choice_shape c = {1, 0, w, 0};
    if (n <= 0)
        return c;
    if (p->grid) { /* as many equal keys per row as fit */
        int cell = widest_label(p, m->px) + 2 * pad_for(m->px);
        if (cell < m->min_target)
            cell = m->min_target;
        cols = (w + m->gap) / (cell + m->gap);
    }
    if (cols < 1)
        cols = 1;
    if (cols > n)
        cols = n;
    c.cols = cols;
    c.rows = (n + cols - 1) / cols;
    c.cell_w = (w - (cols - 1) * m->gap) / cols;
    for (int i = 0; i < p->n_choices; i++) {
        int h = ui_button_height(l, p->choices[i].text, c.cell_w, m->px, p->choices[i].flags,
                                 m->min_target);
        if (h > c.cell_h)
            c.cell_h = h;
    }
    return c;
}

/* Space between answer buttons: less than between blocks, still a clear edge between them. */
static int choice_gap(const ui_metrics *m)
{
    return m->gap * 3 / 4;
}

static int shape_height(choice_shape c, const ui_metrics *m)
{
    return c.rows ? c.rows * c.cell_h + (c.rows - 1) * choice_gap(m) : 0;
}

static int texts_height(const ui_list *l, const ui_page *p, int w, const ui_metrics *m)
{
    int h = 0;
    for (int i = 0; i < p->n_texts; i++) {
        unsigned f = p->texts[i].flags;
        int pad = (f & UI_FRAME) ? 2 * pad_for(m->px) : 0;
        h += ui_text_height(l, p->texts[i].text, w - pad, m->px, f & UI_BOLD) + pad + m->gap;
    }
    return h;
}

static void place_texts(ui_list *l, const ui_page *p, int x, int y, int w, const ui_metrics *m)
{
    for (int i = 0; i < p->n_texts; i++)
        y += ui_list_text(l, x, y, w, p->texts[i].text, m->px, p->texts[i].flags) + m->gap;
}

/* Places choices [first, first+count) column by column, then the page buttons if any. */
static void place_choices(ui_list *l, const ui_page *p, int first, int count, int x, int y,
                          choice_shape c, const ui_metrics *m, bool less, bool more)
{
    for (int k = 0; k < count; k++) {
        const ui_item *it = &p->choices[first + k];
        int col = p->grid ? k % c.cols : k / c.rows, row = p->grid ? k / c.cols : k % c.rows;
        SDL_Rect r = {x + col * (c.cell_w + m->gap), y + row * (c.cell_h + choice_gap(m)),
                      c.cell_w, c.cell_h};
        ui_list_button(l, r, it->text, m->px, it->flags, it->action, it->arg);
    }
    if (!less && !more)
        return;
    int row_y = y + c.rows * (c.cell_h + choice_gap(m));
    int w = c.cols * c.cell_w + (c.cols - 1) * m->gap;
    int half = (w - m->gap) / 2;
    if (less)
        ui_list_button(l, (SDL_Rect){x, row_y, half, c.cell_h}, p->less_label, m->px, 0,
                       UI_ACT_LESS, 0);
    if (more)
        ui_list_button(l, (SDL_Rect){x + w - half, row_y, half, c.cell_h}, p->more_label, m->px,
                       0, UI_ACT_MORE, 0);
}

static int place_nav(ui_list *l, const ui_page *p, const ui_metrics *m)
{
    if (p->n_nav == 0)
        return 0;
    int cw = m->w - 2 * m->margin;
    int slot = (cw - (p->n_nav - 1) * m->gap) / p->n_nav;
    int bw[UI_PAGE_NAV], h = 0;
    for (int i = 0; i < p->n_nav; i++) {
        const char *t = p->nav[i].text;
        int want = ui_draw_text_width(t, strlen(t), m->px, p->nav[i].flags & UI_BOLD) +
                   4 * pad_for(m->px);
        if (want < 4 * m->min_target)
            want = 4 * m->min_target;
        bw[i] = want < slot ? want : slot;
        int bh = ui_button_height(l, t, bw[i], m->px, p->nav[i].flags, m->min_target);
        if (bh > h)
            h = bh;
    }
    int y = m->h - m->margin - h;
    for (int i = 0; i < p->n_nav; i++) {
        int x;
        if (i == p->n_nav - 1)
            x = m->w - m->margin - bw[i];
        else if (i == 0)
            x = m->margin;
        else
            x = m->margin + i * (slot + m->gap) + (slot - bw[i]) / 2;
        unsigned f = p->nav[i].flags | ((p->nav[i].flags & UI_CHOICE) ? 0 : UI_CENTER);
        ui_list_button(l, (SDL_Rect){x, y, bw[i], h}, p->nav[i].text, m->px, f,
                       p->nav[i].action, p->nav[i].arg);
    }
    return h;
}

void ui_page_layout(ui_list *l, const ui_page *p, const ui_metrics *m, int *choice_page)
{
    int x = m->margin, y = m->margin, cw = m->w - 2 * m->margin;
    if (p->heading) {
        int hpx = (p->heading_flags & UI_LARGE) ? m->px * 5 / 4 : m->px;
        y += ui_list_text(l, x, y, cw, p->heading, hpx, p->heading_flags) + m->gap * 3 / 2;
    }
    int nav_h = place_nav(l, p, m);
    int body_h = m->h - m->margin - (nav_h ? nav_h + 2 * m->gap : 0) - y;
    int n = p->n_choices;
    /* a readable width for a single column of answers: about 60 characters */
    int list_w = cw < m->px * 28 || p->wide ? cw : m->px * 28;

    /* Arrangements, best first: side by side only on landscape screens (text left, choices
     * right), then stacked; one column of choices before two or three. Grids are stacked. */
    bool landscape = m->w > m->h && !p->grid && !p->wide && n > 0 && p->n_texts > 0;
    for (int cols = 1; cols <= 3; cols++) {
        if (landscape) {
            int tw = (cw - 2 * m->gap) * 9 / 20, chw = cw - tw - 2 * m->gap;
            choice_shape c = shape_choices(l, p, n, chw, cols, m);
            if (texts_height(l, p, tw, m) - m->gap <= body_h && shape_height(c, m) <= body_h) {
                place_texts(l, p, x, y, tw, m);
                place_choices(l, p, 0, n, x + tw + 2 * m->gap, y, c, m, false, false);
                return;
            }
        }
        int th = texts_height(l, p, cw, m);
        int chw = cols == 1 ? list_w : cw;
        choice_shape c = shape_choices(l, p, n, chw, cols, m);
        if (th + shape_height(c, m) <= body_h || (n == 0 && cols == 1)) {
            place_texts(l, p, x, y, cw, m);
            place_choices(l, p, 0, n, x, y + th, c, m, false, false);
            return;
        }
        if (p->grid)
            break;
    }
    /* Still too tall: choices in pages, one column (or the grid), with "more" / "back" keys. */
    int tw = landscape ? (cw - 2 * m->gap) * 9 / 20 : cw;
    int th = landscape ? 0 : texts_height(l, p, cw, m);
    int chx = landscape ? x + tw + 2 * m->gap : x;
    int chw = landscape ? cw - tw - 2 * m->gap : cw;
    choice_shape c = shape_choices(l, p, n, chw, 1, m);
    int rows_fit = (body_h - th + choice_gap(m)) / (c.cell_h + choice_gap(m)) - 1; /* + more/back */
    if (rows_fit < 1)
        rows_fit = 1;
    int per_page = rows_fit * c.cols;
    int pages = (n + per_page - 1) / per_page;
    if (*choice_page >= pages)
        *choice_page = pages - 1;
    if (*choice_page < 0)
        *choice_page = 0;
    int first = *choice_page * per_page;
    int count = n - first < per_page ? n - first : per_page;
    c.rows = p->grid ? (count + c.cols - 1) / c.cols : count;
    if (!p->grid)
        c.cols = 1;
    place_texts(l, p, x, y, tw, m);
    place_choices(l, p, first, count, chx, y + th, c, m, *choice_page > 0,
                  *choice_page < pages - 1);
}
