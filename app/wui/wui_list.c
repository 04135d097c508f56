/* wui_list.c — the list of assessments: counts at the top, filters (client code, level,
 * questionnaire, period, flagged first) and a table that draws only the rows on screen, so
 * 10,000 records page as fast as 10. The rows come from worker_list (app/worker/list.c). */
#include "wui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui_draw.h"
#include "ui_locale.h"

#define DAY 86400LL

static const int period_days[WUI_PERIODS] = {0, 30, 90, 365};
static const char *const period_keys[WUI_PERIODS] = {"wk_period_all", "wk_period_30",
                                                     "wk_period_90", "wk_period_year"};

/* Columns as shares of the table width, in thousandths: date, client, questionnaire, total,
 * level, flags. */
static const int col_share[] = {170, 120, 200, 110, 200, 200};
enum { COLS = 6 };

void wui_list_reload(void)
{
    free(W.rows);
    W.rows = NULL;
    W.filter.client = W.client_on[0] ? W.client_on : NULL;
    W.filter.questionnaire = W.qn_filter >= 0 ? W.qids[W.qn_filter] : NULL;
    W.filter.site = W.place_filter[0] >= 0 ? W.places[0][W.place_filter[0]] : NULL;
    W.filter.device = W.place_filter[1] >= 0 ? W.places[1][W.place_filter[1]] : NULL;
    if (W.period < 0) { /* typed dates */
        W.filter.from = W.from_on;
        W.filter.to = W.to_on;
    } else {
        int days = period_days[W.period];
        W.filter.from = days ? (long long)time(NULL) - days * DAY : 0;
        W.filter.to = 0;
    }
    its_err err = {0};
    if (worker_list(W.ws, &W.filter, &W.rows, &W.counts, &err) != 0) {
        W.counts = (worker_counts){0};
        wui_say(err.msg, true);
    } else if (worker_audit_view(W.ws, &err, "list of %d records", W.counts.shown) != 0) {
        wui_say(err.msg, true);
    }
    W.first = 0;
    W.selected = W.counts.shown > 0 ? 0 : -1;
    W.relayout = true;
}

/* The typed dates, inclusive; false (and a message) when one is not a date. */
static bool apply_dates(void)
{
    long long from = W.date_from[0] ? worker_parse_date(W.date_from) : 0;
    long long to = W.date_to[0] ? worker_parse_date_end(W.date_to) : 0;
    if (from < 0 || to < 0) {
        wui_say(ui_tr("wk_date_bad"), true);
        return false;
    }
    if (W.date_from[0] || W.date_to[0]) {
        W.period = -1;
        W.from_on = from;
        W.to_on = to;
    } else if (W.period < 0) {
        W.period = 0;
    }
    return true;
}

bool wui_list_act(wui_action a, int arg)
{
    switch (a) {
    case WA_LEVEL:
        W.filter.level = arg;
        break;
    case WA_QN:
        W.qn_filter = arg;
        break;
    case WA_PLACE: /* arg: kind * 100 + 1 + index (0: all) */
        W.place_filter[arg / 100 ? 1 : 0] = arg % 100 - 1;
        break;
    case WA_PERIOD:
        W.period = arg >= 0 && arg < WUI_PERIODS ? arg : 0;
        its_wipe(W.date_from, sizeof W.date_from);
        its_wipe(W.date_to, sizeof W.date_to);
        break;
    case WA_FLAGGED:
        W.filter.flagged_first = !W.filter.flagged_first;
        break;
    case WA_CLIENT_APPLY:
        if (!apply_dates())
            return true;
        its_strlcpy(W.client_on, W.client, sizeof W.client_on);
        W.field = WF_NONE;
        break;
    case WA_CLIENT_CLEAR:
        its_wipe(W.client, sizeof W.client);
        its_wipe(W.client_on, sizeof W.client_on);
        break;
    case WA_PAGE: {
        int n = W.page_rows > 0 ? W.page_rows : 1;
        W.first += arg * n;
        W.first = W.first > W.counts.shown - n ? W.counts.shown - n : W.first;
        W.first = W.first < 0 ? 0 : W.first;
        W.selected = W.first < W.counts.shown ? W.first : -1;
        W.relayout = true;
        return true;
    }
    default:
        return false;
    }
    W.message[0] = '\0';
    wui_list_reload();
    return true;
}

/* Keeps the selected row on the page. */
static void show_selected(void)
{
    int n = W.page_rows > 0 ? W.page_rows : 1;
    if (W.selected < W.first)
        W.first = W.selected;
    if (W.selected >= W.first + n)
        W.first = W.selected - n + 1;
    W.first = W.first < 0 ? 0 : W.first;
    W.relayout = true;
}

void wui_list_key(SDL_Keycode k)
{
    int n = W.counts.shown, page = W.page_rows > 0 ? W.page_rows : 1;
    if (n == 0)
        return;
    int s = W.selected < 0 ? W.first : W.selected;
    switch (k) {
    case SDLK_DOWN: s++; break;
    case SDLK_UP: s--; break;
    case SDLK_PAGEDOWN: s += page; break;
    case SDLK_PAGEUP: s -= page; break;
    case SDLK_HOME: s = 0; break;
    case SDLK_END: s = n - 1; break;
    case SDLK_RETURN:
        if (W.selected >= 0 && W.selected < n)
            wui_detail_open(W.rows[W.selected]);
        return;
    default:
        return;
    }
    W.selected = s < 0 ? 0 : s >= n ? n - 1 : s;
    show_selected();
}

bool wui_list_click(int x, int y)
{
    for (int i = 0; i < W.n_row_r; i++)
        if (x >= W.row_r[i].x && y >= W.row_r[i].y && x < W.row_r[i].x + W.row_r[i].w &&
            y < W.row_r[i].y + W.row_r[i].h) {
            W.selected = W.row_of[i];
            wui_detail_open(W.rows[W.row_of[i]]);
            return true;
        }
    return false;
}

int wui_list_find_row(const char *label, SDL_Rect *r)
{
    /* a row is found by any of its cells: the body holds them in row order, COLS a row */
    for (int i = 0; i < W.n_row_r; i++)
        for (int k = 0; k < W.body.n; k++) {
            const ui_widget *w = &W.body.w[k];
            if (w->r.y >= W.row_r[i].y && w->r.y < W.row_r[i].y + W.row_r[i].h &&
                !strcmp(w->text, label)) {
                *r = W.row_r[i];
                return 0;
            }
        }
    return -1;
}

/* ---- layout ---------------------------------------------------------------------------- */

/* The filter controls left to right in small text, on to the next line when the next does
 * not fit. */
typedef struct flow {
    int x0, x, y, right;
} flow;

static void flow_newline(flow *f)
{
    f->x = f->x0;
    f->y += W.z.ctl_small + W.z.gap;
}

static void flow_label(flow *f, const char *text, int room)
{
    const wui_size *z = &W.z;
    int w = ui_draw_text_width(text, strlen(text), z->small, true);
    if (f->x > f->x0 && f->x + w + room > f->right) /* the label stays with what follows */
        flow_newline(f);
    int lh = ui_draw_line_height(z->small, true);
    wui_text(&W.top, f->x, f->y + (z->ctl_small - lh) / 2, w + 2, text, z->small, UI_BOLD);
    f->x += w + z->gap;
}

static void flow_button(flow *f, const char *label, unsigned flags, wui_action a, int arg)
{
    const wui_size *z = &W.z;
    int w = wui_button_width_px(label, flags, z->small);
    if (f->x > f->x0 && f->x + w > f->right)
        flow_newline(f);
    wui_button_px(&W.top, (SDL_Rect){f->x, f->y, 0, z->ctl_small}, label, flags, a, arg,
                  z->small);
    f->x += w + z->gap / 2;
}

static unsigned chosen(bool on)
{
    return UI_CHOICE | (on ? UI_SELECTED : 0);
}

/* Width of a group of option buttons, so its label starts a line when the group would not fit. */
static int group_width(const char *const *labels, int n)
{
    int w = 0;
    for (int i = 0; i < n; i++)
        w += wui_button_width_px(labels[i], UI_CHOICE, W.z.small) + W.z.gap / 2;
    return w;
}

static int build_filters(int y)
{
    const wui_size *z = &W.z;
    flow f = {z->margin, z->margin, y, z->w - z->margin};
    int fw = z->small * 8;
    flow_label(&f, ui_tr("wk_client"), fw);
    wui_field_box(&W.top, (SDL_Rect){f.x, f.y, fw, z->ctl_small}, WF_CLIENT, W.client, false,
                  ui_tr("wk_client_hint"));
    f.x += fw + z->gap;
    flow_button(&f, ui_tr("wk_client_apply"), 0, WA_CLIENT_APPLY, 0);
    if (W.client_on[0] || W.client[0])
        flow_button(&f, ui_tr("wk_client_clear"), 0, WA_CLIENT_CLEAR, 0);
    f.x += z->gap * 2;
    flow_button(&f, ui_tr("wk_flagged_first"), chosen(W.filter.flagged_first), WA_FLAGGED, 0);
    f.x += z->gap * 2;
    const char *periods[WUI_PERIODS];
    for (int i = 0; i < WUI_PERIODS; i++)
        periods[i] = ui_tr(period_keys[i]);
    flow_label(&f, ui_tr("wk_period"), group_width(periods, WUI_PERIODS));
    for (int i = 0; i < WUI_PERIODS; i++)
        flow_button(&f, periods[i], chosen(W.period == i), WA_PERIOD, i);
    f.x += z->gap * 2;
    /* or typed dates, inclusive; applied with "Hae" or Enter */
    int dw = ui_draw_text_width("2025-03-04|", 11, z->px, false) + z->px;
    flow_label(&f, ui_tr("wk_dates"), 2 * dw + 3 * z->gap);
    wui_field_box(&W.top, (SDL_Rect){f.x, f.y, dw, z->ctl_small}, WF_FROM, W.date_from, false,
                  ui_tr("wk_from_hint"));
    f.x += dw + z->gap / 2;
    flow_label(&f, "\xE2\x80\x93", dw);
    wui_field_box(&W.top, (SDL_Rect){f.x, f.y, dw, z->ctl_small}, WF_TO, W.date_to, false,
                  ui_tr("wk_to_hint"));
    f.x += dw + z->gap * 3;
    static const char *const level_keys[] = {"wk_level_any", "wk_only_none", "wk_only_yellow",
                                             "wk_only_red"};
    static const int level_order[] = {-1, QN_LEVEL_RED, QN_LEVEL_YELLOW, QN_LEVEL_NONE};
    const char *levels[4];
    for (int i = 0; i < 4; i++)
        levels[i] = ui_tr(level_keys[level_order[i] + 1]);
    flow_label(&f, ui_tr("wk_level"), group_width(levels, 4));
    for (int i = 0; i < 4; i++)
        flow_button(&f, levels[i], chosen(W.filter.level == level_order[i]), WA_LEVEL,
                    level_order[i]);
    if (W.n_qids > 1) {
        f.x += z->gap * 2;
        const char *qs[9] = {ui_tr("wk_qn_all")};
        for (int i = 0; i < W.n_qids && i < 8; i++)
            qs[i + 1] = W.qids[i];
        flow_label(&f, ui_tr("wk_questionnaire"), group_width(qs, W.n_qids + 1));
        for (int i = -1; i < W.n_qids; i++)
            flow_button(&f, qs[i + 1], chosen(W.qn_filter == i), WA_QN, i);
    }
    static const char *const place_keys[2][2] = {{"wk_site", "wk_site_all"}, {"wk_device", "wk_device_all"}};
    for (int kind = 0; kind < 2; kind++) { /* several sites or devices of the team (fleet) */
        if (W.n_places[kind] < 2)
            continue;
        f.x += z->gap * 2;
        const char *ps[9] = {ui_tr(place_keys[kind][1])};
        for (int i = 0; i < W.n_places[kind]; i++)
            ps[i + 1] = W.places[kind][i];
        flow_label(&f, ui_tr(place_keys[kind][0]), group_width(ps, W.n_places[kind] + 1));
        for (int i = -1; i < W.n_places[kind]; i++)
            flow_button(&f, ps[i + 1], chosen(W.place_filter[kind] == i), WA_PLACE, kind * 100 + i + 1);
    }
    return f.y + z->ctl_small + z->gap;
}

static void cell(int x, int y, int w, const char *text, unsigned flags)
{
    wui_text(&W.body, x, y, w, wui_fit(text, w - W.z.gap, W.z.px, flags & UI_BOLD), W.z.px,
             flags);
}

static void build_row(int i, SDL_Rect r, const int *cx, const int *cw)
{
    const wui_size *z = &W.z;
    const worker_entry *e = worker_entry_at(W.ws, W.rows[i]);
    int ty = r.y + (r.h - ui_draw_line_height(z->px, false)) / 2;
    if ((i - W.first) % 2)
        wui_deco_fill(r, (SDL_Color){0xF1, 0xF3, 0xF6, 0xFF}, false);
    if (i == W.selected) { /* the keyboard's row: a frame, not only a tint */
        wui_deco_fill(r, UI_PALE, false);
        wui_deco *d = wui_deco_add(WD_FRAME, true);
        if (d) {
            d->r = r;
            d->t = 3;
            d->c = UI_BLUE;
        }
    }
    char when[32], total[32];
    worker_format_time(when, sizeof when, e->completed_at);
    cell(cx[0], ty, cw[0], e->completed_at ? when : "?", 0); /* 0: a missing record of unknown time */
    if (e->status != WORKER_ENTRY_OK) {
        cell(cx[1], ty, cw[1] + cw[2] + cw[3] + cw[4] + cw[5],
             ui_tr(e->status == WORKER_ENTRY_MISSING ? "wk_missing" : "wk_unreadable"), UI_ALERT | UI_BOLD);
        return;
    }
    cell(cx[1], ty, cw[1], e->client[0] ? e->client : ui_tr("wk_anonymous"),
         e->client[0] ? UI_BOLD : UI_MUTED);
    cell(cx[2], ty, cw[2], e->qid, 0);
    worker_format_headline(total, sizeof total, e);
    cell(cx[3], ty, cw[3], total, 0);
    wui_badge(&W.body, cx[4], ty, e->level, z->px, NULL);
    cell(cx[5], ty, cw[5], e->flags[0] ? e->flags : "\xE2\x80\x93", UI_MUTED);
}

static void build_table(int y, int bottom)
{
    const wui_size *z = &W.z;
    int tw = z->w - 2 * z->margin, cx[COLS], cw[COLS], x = z->margin;
    for (int c = 0; c < COLS; c++) {
        cw[c] = tw * col_share[c] / 1000;
        cx[c] = x + z->pad;
        x += cw[c];
    }
    static const char *const heads[COLS] = {"wk_col_date", "wk_col_client", "wk_col_qn",
                                            "wk_col_total", "wk_col_level", "wk_col_flags"};
    int lh = ui_draw_line_height(z->small, true);
    for (int c = 0; c < COLS; c++)
        wui_text(&W.top, cx[c], y, cw[c], ui_tr(heads[c]), z->small, UI_BOLD | UI_MUTED);
    y += lh + z->gap / 2;
    wui_deco_fill((SDL_Rect){z->margin, y - 2, tw, 2}, UI_INK, false);
    int row_h = ui_draw_line_height(z->px, true) + z->pad;
    W.page_rows = (bottom - y) / row_h;
    W.page_rows = W.page_rows < 1 ? 1 : W.page_rows;
    W.page_rows = W.page_rows > 64 ? 64 : W.page_rows;
    W.view = (SDL_Rect){0, y, z->w, bottom - y};
    if (W.first > W.counts.shown - W.page_rows)
        W.first = W.counts.shown - W.page_rows;
    W.first = W.first < 0 ? 0 : W.first;
    W.n_row_r = 0;
    if (W.counts.shown == 0) {
        wui_text(&W.body, z->margin, y + z->gap, tw, ui_tr("wk_none_match"), z->px, UI_MUTED);
        return;
    }
    W.deco_body = true; /* row tints and frames belong to the table (under a warning's shade) */
    for (int i = W.first; i < W.counts.shown && i < W.first + W.page_rows; i++) {
        SDL_Rect r = {z->margin, y + (i - W.first) * row_h, tw, row_h};
        W.row_r[W.n_row_r] = r;
        W.row_of[W.n_row_r++] = i;
        build_row(i, r, cx, cw);
    }
    W.deco_body = false;
}

static void build_footer(void)
{
    const wui_size *z = &W.z;
    int y = z->h - z->margin - z->ctl;
    char a[16], b[16], c[16];
    snprintf(a, sizeof a, "%d", W.counts.shown ? W.first + 1 : 0);
    int last = W.first + W.page_rows < W.counts.shown ? W.first + W.page_rows : W.counts.shown;
    snprintf(b, sizeof b, "%d", last);
    snprintf(c, sizeof c, "%d", W.counts.shown);
    int lh = ui_draw_line_height(z->small, false);
    const char *rows = wui_tr("wk_rows", a, b, c);
    if (W.counts.shown > 0)
        rows = wui_tr("wk_rows_hint", rows, NULL, NULL);
    const char *next = ui_tr("wk_page_next"), *prev = ui_tr("wk_page_prev");
    int nw = wui_button_width(next, 0), pw = wui_button_width(prev, 0);
    wui_text(&W.top, z->margin, y + (z->ctl - lh) / 2, z->w - 2 * z->margin - nw - pw - 3 * z->gap,
             rows, z->small, UI_MUTED);
    int x = z->w - z->margin - nw;
    if (last < W.counts.shown)
        wui_button(&W.top, x, y, next, 0, WA_PAGE, 1);
    if (W.first > 0)
        wui_button(&W.top, x - z->gap - pw, y, prev, 0, WA_PAGE, -1);
}

void wui_list_build(void)
{
    const wui_size *z = &W.z;
    int y = wui_top_band(ui_tr("wk_list_heading"), false);
    char n[16], red[16], yellow[16];
    snprintf(n, sizeof n, "%d", W.counts.shown);
    snprintf(red, sizeof red, "%d", W.counts.red);
    snprintf(yellow, sizeof yellow, "%d", W.counts.yellow);
    char counts[400];
    ui_locale_format(counts, sizeof counts, W.counts.shown == 1 ? "wk_counts_one" : "wk_counts", n,
                     red, yellow, (const char *)NULL);
    if (W.counts.unreadable) {
        char u[16];
        snprintf(u, sizeof u, "%d", W.counts.unreadable);
        its_appendf(counts, sizeof counts, "%s", wui_tr("wk_counts_unreadable", u, NULL, NULL));
    }
    if (W.counts.shown != W.counts.total) {
        snprintf(n, sizeof n, "%d", W.counts.total);
        its_appendf(counts, sizeof counts, " %s", wui_tr("wk_counts_of", n, NULL, NULL));
    }
    y += wui_text(&W.top, z->margin, y, z->w - 2 * z->margin, counts, z->px, UI_BOLD) + z->gap;
    if (W.message[0])
        y += wui_text(&W.top, z->margin, y, z->w - 2 * z->margin, W.message, z->px,
                      W.message_alert ? UI_ALERT | UI_BOLD : 0) + z->gap;
    y = build_filters(y) + z->gap;
    build_table(y, z->h - z->margin - z->ctl - z->gap);
    build_footer();
}
