/* wui_trend.c — one client's assessments over time (worker_trend_build): per questionnaire a
 * chart with the total and every area as lines (each its own colour and mark shape, named in a
 * legend), the change since the previous assessment and which flags are new, and a table with
 * the same numbers in words. */
#include "wui_int.h"

#include <stdio.h>
#include <string.h>

#include "ui_draw.h"
#include "ui_locale.h"

void wui_trend_open(wui *wk)
{
    if (!wk->has_detail || !wk->detail.entry->client[0])
        return;
    wui_trend_close(wk);
    its_err err = {0};
    if (worker_trend_build(wk->ws, wk->detail.entry->client, &wk->trend, &err) != 0) { /* logs */
        wui_say(wk, ui_locale_error(&wk->loc, &err), true);
        return;
    }
    wk->has_trend = true;
    wk->screen = W_TREND;
    wk->scroll = 0;
    wk->message[0] = '\0';
    wk->field = WF_NONE;
    wk->relayout = true;
}

void wui_trend_close(wui *wk)
{
    if (wk->has_trend)
        worker_trend_free(&wk->trend);
    wk->has_trend = false;
}

/* The top of score j's range, so every line is drawn on 0-100 % of its own scale. */
static double score_top(wui *wk, const worker_trend_series *s, int j, const worker_trend_point *p)
{
    if (j == 0) {
        const worker_entry *e = worker_entry_at(wk->ws, p->entry);
        return e->headline_max > 0 ? e->headline_max : 100.0;
    }
    int k = s->q && s->score_id[j] ? qn_score_index(s->q, s->score_id[j]) : -1;
    if (k < 0)
        return 100.0;
    const qn_score *qs = &s->q->scores[k];
    if (qs->method == QN_METHOD_SUM && qs->divisor > 0)
        return qs->divisor;
    if (qs->method == QN_METHOD_ITEM && qs->n_items > 0)
        return s->q->scales[s->q->items[qs->items[0]].scale].max;
    return 100.0;
}

static const char *series_label(wui *wk, const worker_trend_series *s, int j)
{
    return j == 0 ? ui_tr(&wk->loc, "wk_total") : s->score_label[j] ? s->score_label[j] : "?";
}

static void short_date(char *dst, size_t n, long long t)
{
    char when[32];
    worker_format_time(when, sizeof when, t);
    its_strlcpy(dst, when, n < 11 ? n : 11); /* "2025-03-04" */
}

static void line(wui *wk, int x0, int y0, int x1, int y1, int t, SDL_Color c)
{
    wui_deco *d = wui_deco_add(wk, WD_LINE, true);
    if (d) {
        *d = (wui_deco){.kind = WD_LINE, .body = true, .over = true, .x0 = x0, .y0 = y0, .x1 = x1,
                        .y1 = y1, .t = t, .c = c};
    }
}

static void mark(wui *wk, int x, int y, int size, int shape, SDL_Color c)
{
    wui_deco *d = wui_deco_add(wk, WD_MARK, true);
    if (d) {
        d->r = (SDL_Rect){x - size / 2, y - size / 2, size, size};
        d->shape = shape;
        d->c = c;
    }
}

/* The chart at (x, y) of width w: returns its height. */
static int chart(wui *wk, const worker_trend_series *s, int x, int y, int w)
{
    const wui_size *z = &wk->z;
    int axis_w = ui_draw_text_width(wk->ui->draw, "100 %", 5, z->small, false) + z->gap;
    int h = z->px * 11, lh = ui_draw_line_height(wk->ui->draw, z->small, false);
    SDL_Rect area = {x + axis_w, y + lh / 2, w - axis_w - z->px, h};
    for (int g = 0; g <= 4; g++) { /* grid at 0, 25, 50, 75, 100 % */
        int gy = area.y + area.h - area.h * g / 4;
        wui_deco_fill(wk, (SDL_Rect){area.x, gy, area.w, g == 0 ? 2 : 1},
                      g == 0 ? wk->theme->muted : (SDL_Color){0xD5, 0xD9, 0xDE, 0xFF}, false);
        char label[16];
        snprintf(label, sizeof label, "%d %%", g * 25);
        wui_text(wk, &wk->body, x, gy - lh / 2, axis_w, label, z->small, UI_MUTED);
    }
    int n = s->n_points;
    for (int i = 0; i < n; i++) { /* dates under the axis */
        int px = n == 1 ? area.x + area.w / 2 : area.x + area.w * i / (n - 1);
        char d[16];
        short_date(d, sizeof d, s->points[i].completed_at);
        int tw = ui_draw_text_width(wk->ui->draw, d, strlen(d), z->small, false);
        int tx = px - tw / 2;
        tx = tx < area.x - axis_w / 2 ? area.x - axis_w / 2 : tx;
        tx = tx + tw > x + w ? x + w - tw : tx;
        wui_text(wk, &wk->body, tx, area.y + area.h + lh / 2 + z->gap / 2, tw + 2, d, z->small,
                 UI_MUTED);
    }
    for (int j = s->n_scores - 1; j >= 0; j--) { /* the total last, on top */
        SDL_Color c = wui_series_color(j);
        int t = j == 0 ? 5 : 3, size = j == 0 ? z->px * 3 / 4 : z->px / 2, px0 = 0, py0 = 0;
        bool have = false;
        for (int i = 0; i < n; i++) {
            const worker_trend_point *p = &s->points[i];
            if (!p->has[j]) {
                have = false;
                continue;
            }
            double share = p->value[j] / score_top(wk, s, j, p);
            share = share < 0 ? 0 : share > 1 ? 1 : share;
            int px = n == 1 ? area.x + area.w / 2 : area.x + area.w * i / (n - 1);
            int py = area.y + area.h - (int)(area.h * share + 0.5);
            if (have)
                line(wk, px0, py0, px, py, t, c);
            mark(wk, px, py, size, j % 4, c);
            px0 = px;
            py0 = py;
            have = true;
        }
    }
    return area.h + lh * 2 + z->gap * 2;
}

/* The legend: mark, a stroke and the name of each line, left to right. Returns its height. */
static int legend(wui *wk, const worker_trend_series *s, int x, int y, int w)
{
    const wui_size *z = &wk->z;
    int lh = ui_draw_line_height(wk->ui->draw, z->small, false), cx = x, cy = y;
    for (int j = 0; j < s->n_scores; j++) {
        const char *label = series_label(wk, s, j);
        int tw = ui_draw_text_width(wk->ui->draw, label, strlen(label), z->small, j == 0);
        int item = z->px * 2 + z->gap + tw + z->gap * 3;
        if (cx > x && cx + item > x + w) {
            cx = x;
            cy += lh + z->gap / 2;
        }
        SDL_Color c = wui_series_color(j);
        line(wk, cx, cy + lh / 2, cx + z->px * 2, cy + lh / 2, j == 0 ? 5 : 3, c);
        mark(wk, cx + z->px, cy + lh / 2, j == 0 ? z->px * 3 / 4 : z->px / 2, j % 4, c);
        wui_text(wk, &wk->body, cx + z->px * 2 + z->gap, cy, tw + 2, label, z->small,
                 j == 0 ? UI_BOLD : 0);
        cx += item;
    }
    return cy + lh - y + z->gap;
}

/* Oldest first: date, total, change, level (icon and word), new flags. */
static int table(wui *wk, const worker_trend_series *s, int x, int y, int w)
{
    const wui_size *z = &wk->z;
    static const int share[] = {180, 140, 130, 220, 330};
    static const char *const heads[] = {"wk_col_date", "wk_col_total", "wk_col_change",
                                        "wk_col_level", "wk_col_new_flags"};
    int cx[5], at = x;
    for (int c = 0; c < 5; c++) {
        cx[c] = at;
        at += w * share[c] / 1000;
    }
    int lh = ui_draw_line_height(wk->ui->draw, z->px, true), y0 = y;
    for (int c = 0; c < 5; c++)
        wui_text(wk, &wk->body, cx[c], y, cx[1] - cx[0], ui_tr(&wk->loc, heads[c]), z->small,
                 UI_BOLD | UI_MUTED);
    y += ui_draw_line_height(wk->ui->draw, z->small, true) + z->gap / 2;
    wui_deco_fill(wk, (SDL_Rect){x, y - 2, w, 2}, wk->theme->ink, false);
    for (int i = 0; i < s->n_points; i++) {
        const worker_trend_point *p = &s->points[i];
        const worker_entry *e = worker_entry_at(wk->ws, p->entry);
        char when[32], total[32], change[32];
        worker_format_time(when, sizeof when, p->completed_at);
        worker_format_headline(wk->ws, total, sizeof total, e);
        if (p->has_change)
            worker_format_change(wk->ws, change, sizeof change, p->change);
        wui_text(wk, &wk->body, cx[0], y, cx[1] - cx[0], when, z->px, 0);
        wui_text(wk, &wk->body, cx[1], y, cx[2] - cx[1], total, z->px, 0);
        wui_text(wk, &wk->body, cx[2], y, cx[3] - cx[2], p->has_change ? change : "\xE2\x80\x93",
                 z->px, UI_BOLD);
        wui_badge(wk, &wk->body, cx[3], y, p->level, z->px, NULL);
        const char *news = i == 0            ? ui_tr(&wk->loc, "wk_first")
                           : p->new_flags[0] ? p->new_flags
                                             : "\xE2\x80\x93";
        wui_text(wk, &wk->body, cx[4], y, x + w - cx[4], news, z->px, 0);
        y += lh + z->gap / 2;
    }
    return y - y0;
}

/* "Muutos edelliseen arvioon: +30.0" and the new flags, for the newest assessment. */
static int latest(wui *wk, const worker_trend_series *s, int x, int y, int w)
{
    const wui_size *z = &wk->z;
    const worker_trend_point *p = &s->points[s->n_points - 1];
    int y0 = y;
    if (s->n_points < 2) {
        return wui_text(wk, &wk->body, x, y, w, ui_tr(&wk->loc, "wk_trend_single"), z->px,
                        UI_MUTED) +
               z->gap;
    }
    const worker_trend_point *q = &s->points[s->n_points - 2];
    char when[32], change[200];
    worker_format_time(when, sizeof when, q->completed_at);
    if (p->has_change) {
        worker_format_change_error(wk->ws, worker_entry_at(wk->ws, p->entry), p->change, change,
                                   sizeof change);
        y += wui_text(wk, &wk->body, x, y, w, wui_tr(wk, "wk_change", change, when, NULL), z->px,
                      UI_BOLD) +
             z->gap / 2;
    }
    const char *news = p->new_flags[0] ? wui_tr(wk, "wk_new_flags", p->new_flags, NULL, NULL)
                                       : ui_tr(&wk->loc, "wk_no_new_flags");
    y += wui_text(wk, &wk->body, x, y, w, news, z->px, p->new_flags[0] ? UI_BOLD : 0) + z->gap / 2;
    if (p->gone_flags[0])
        y += wui_text(wk, &wk->body, x, y, w,
                      wui_tr(wk, "wk_gone_flags", p->gone_flags, NULL, NULL), z->px, 0) +
             z->gap / 2;
    return y - y0 + z->gap;
}

static int series(wui *wk, const worker_trend_series *s, int x, int y, int w)
{
    const wui_size *z = &wk->z;
    int y0 = y;
    const char *title =
        s->q ? qn_text_get(&s->q->title, worker_session_lang(wk->ws, s->q)) : s->qid;
    char n[16];
    snprintf(n, sizeof n, "%d", s->n_points);
    y += wui_text(wk, &wk->body, x, y, w,
                  wui_tr(wk, s->n_points == 1 ? "wk_series_one" : "wk_series", title, n, NULL),
                  z->head, UI_BOLD) +
         z->gap;
    y += latest(wk, s, x, y, w);
    y += wui_text(wk, &wk->body, x, y, w,
                  ui_tr(&wk->loc,
                        s->higher_is_better ? "wk_trend_higher_better" : "wk_trend_higher_worse"),
                  z->small, UI_MUTED) +
         z->gap;
    y += chart(wk, s, x, y, w);
    y += legend(wk, s, x, y, w) + z->gap;
    y += table(wk, s, x, y, w) + z->gap * 3;
    return y - y0;
}

void wui_trend_build(wui *wk)
{
    const wui_size *z = &wk->z;
    int top = wui_top_band(wk, wui_tr(wk, "wk_trend_heading", wk->trend.client, NULL, NULL), true);
    int y = z->h - z->margin - z->ctl;
    wui_set_view(wk, (SDL_Rect){0, top, z->w, y - z->gap - top});
    wk->deco_body = true;
    int cw = z->w - 2 * z->margin;
    cw = cw > z->px * 60 ? z->px * 60 : cw;
    int at = top - wk->scroll;
    if (wk->trend.n_series == 0)
        at += wui_text(wk, &wk->body, z->margin, at, cw, ui_tr(&wk->loc, "wk_trend_none"), z->px,
                       UI_MUTED);
    const char *own = wk->has_detail ? wk->detail.entry->qid : "";
    for (int pass = 0; pass < 2; pass++) /* the opened assessment's questionnaire first */
        for (int k = 0; k < wk->trend.n_series; k++)
            if ((strcmp(wk->trend.series[k].qid, own) == 0) == (pass == 0))
                at += series(wk, &wk->trend.series[k], z->margin, at, cw);
    if (wk->trend.unreadable) {
        char u[16];
        snprintf(u, sizeof u, "%d", wk->trend.unreadable);
        at += wui_text(wk, &wk->body, z->margin, at, cw,
                       wui_tr(wk, "wk_trend_unreadable", u, NULL, NULL), z->px, UI_ALERT);
    }
    wk->deco_body = false;
    wk->content_h = at + wk->scroll - top;
    wui_scroll_buttons(wk, y);
}
