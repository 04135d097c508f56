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
static const int col_share[] = {150, 110, 180, 90, 160, 140, 170};
enum { COLS = 7 };

void wui_list_reload(wui *wk)
{
    free(wk->rows);
    wk->rows = NULL;
    wk->filter.client = wk->client_on[0] ? wk->client_on : NULL;
    wk->filter.questionnaire = wk->qn_filter >= 0 ? wk->qids[wk->qn_filter] : NULL;
    wk->filter.site = wk->place_filter[0] >= 0 ? wk->places[0][wk->place_filter[0]] : NULL;
    wk->filter.device = wk->place_filter[1] >= 0 ? wk->places[1][wk->place_filter[1]] : NULL;
    if (wk->period < 0) { /* typed dates */
        wk->filter.from = wk->from_on;
        wk->filter.to = wk->to_on;
    } else {
        int days = period_days[wk->period];
        wk->filter.from = days ? (long long)time(NULL) - days * DAY : 0;
        wk->filter.to = 0;
    }
    its_err err = {0};
    free(wk->due);
    worker_due_opts due = worker_due_defaults();
    if (worker_due_states(wk->ws, &due, &wk->due, &err) != 0) { /* the column stays empty */
        wk->due = NULL;
        wui_say(wk, ui_locale_error(&wk->loc, &err), true);
    }
    if (worker_list(wk->ws, &wk->filter, &wk->rows, &wk->counts, &err) != 0) {
        wk->counts = (worker_counts){0};
        wui_say(wk, ui_locale_error(&wk->loc, &err), true);
    } else if (worker_audit_view(wk->ws, &err, "list of %d records", wk->counts.shown) != 0) {
        wui_say(wk, ui_locale_error(&wk->loc, &err), true);
    }
    wk->first = 0;
    wk->selected = wk->counts.shown > 0 ? 0 : -1;
    wk->relayout = true;
}

/* The typed dates, inclusive; false (and a message) when one is not a date. */
static bool apply_dates(wui *wk)
{
    long long from = wk->date_from[0] ? worker_parse_date(wk->date_from) : 0;
    long long to = wk->date_to[0] ? worker_parse_date_end(wk->date_to) : 0;
    if (from < 0 || to < 0) {
        wui_say(wk, ui_tr(&wk->loc, "wk_date_bad"), true);
        return false;
    }
    if (wk->date_from[0] || wk->date_to[0]) {
        wk->period = -1;
        wk->from_on = from;
        wk->to_on = to;
    } else if (wk->period < 0) {
        wk->period = 0;
    }
    return true;
}

bool wui_list_act(wui *wk, wui_action a, int arg)
{
    switch (a) {
    case WA_LEVEL:
        wk->filter.level = arg;
        break;
    case WA_QN:
        wk->qn_filter = arg;
        break;
    case WA_PLACE: /* arg: kind * 100 + 1 + index (0: all) */
        wk->place_filter[arg / 100 ? 1 : 0] = arg % 100 - 1;
        break;
    case WA_PERIOD:
        wk->period = arg >= 0 && arg < WUI_PERIODS ? arg : 0;
        its_wipe(wk->date_from, sizeof wk->date_from);
        its_wipe(wk->date_to, sizeof wk->date_to);
        break;
    case WA_FLAGGED:
        wk->filter.flagged_first = !wk->filter.flagged_first;
        break;
    case WA_CLIENT_APPLY:
        if (!apply_dates(wk))
            return true;
        its_strlcpy(wk->client_on, wk->client, sizeof wk->client_on);
        wk->field = WF_NONE;
        break;
    case WA_CLIENT_CLEAR:
        its_wipe(wk->client, sizeof wk->client);
        its_wipe(wk->client_on, sizeof wk->client_on);
        break;
    case WA_PAGE: {
        int n = wk->page_rows > 0 ? wk->page_rows : 1;
        wk->first += arg * n;
        wk->first = wk->first > wk->counts.shown - n ? wk->counts.shown - n : wk->first;
        wk->first = wk->first < 0 ? 0 : wk->first;
        wk->selected = wk->first < wk->counts.shown ? wk->first : -1;
        wk->relayout = true;
        return true;
    }
    default:
        return false;
    }
    wk->message[0] = '\0';
    wui_list_reload(wk);
    return true;
}

/* Keeps the selected row on the page. */
static void show_selected(wui *wk)
{
    int n = wk->page_rows > 0 ? wk->page_rows : 1;
    if (wk->selected < wk->first)
        wk->first = wk->selected;
    if (wk->selected >= wk->first + n)
        wk->first = wk->selected - n + 1;
    wk->first = wk->first < 0 ? 0 : wk->first;
    wk->relayout = true;
}

void wui_list_key(wui *wk, SDL_Keycode k)
{
    int n = wk->counts.shown, page = wk->page_rows > 0 ? wk->page_rows : 1;
    if (n == 0)
        return;
    int s = wk->selected < 0 ? wk->first : wk->selected;
    switch (k) {
    case SDLK_DOWN: s++; break;
    case SDLK_UP: s--; break;
    case SDLK_PAGEDOWN: s += page; break;
    case SDLK_PAGEUP: s -= page; break;
    case SDLK_HOME: s = 0; break;
    case SDLK_END: s = n - 1; break;
    case SDLK_RETURN:
        if (wk->selected >= 0 && wk->selected < n)
            wui_detail_open(wk, wk->rows[wk->selected]);
        return;
    default:
        return;
    }
    wk->selected = s < 0 ? 0 : s >= n ? n - 1 : s;
    show_selected(wk);
}

bool wui_list_click(wui *wk, int x, int y)
{
    for (int i = 0; i < wk->n_row_r; i++)
        if (x >= wk->row_r[i].x && y >= wk->row_r[i].y && x < wk->row_r[i].x + wk->row_r[i].w &&
            y < wk->row_r[i].y + wk->row_r[i].h) {
            wk->selected = wk->row_of[i];
            wui_detail_open(wk, wk->rows[wk->row_of[i]]);
            return true;
        }
    return false;
}

int wui_list_find_row(wui *wk, const char *label, SDL_Rect *r)
{
    /* a row is found by any of its cells: the body holds them in row order, COLS a row */
    for (int i = 0; i < wk->n_row_r; i++)
        for (int k = 0; k < wk->body.n; k++) {
            const ui_widget *w = &wk->body.w[k];
            if (w->r.y >= wk->row_r[i].y && w->r.y < wk->row_r[i].y + wk->row_r[i].h &&
                !strcmp(w->text, label)) {
                *r = wk->row_r[i];
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

static void flow_newline(wui *wk, flow *f)
{
    f->x = f->x0;
    f->y += wk->z.ctl_small + wk->z.gap;
}

static void flow_label(wui *wk, flow *f, const char *text, int room)
{
    const wui_size *z = &wk->z;
    int w = ui_draw_text_width(wk->ui->draw, text, strlen(text), z->small, true);
    if (f->x > f->x0 && f->x + w + room > f->right) /* the label stays with what follows */
        flow_newline(wk, f);
    int lh = ui_draw_line_height(wk->ui->draw, z->small, true);
    wui_text(wk, &wk->top, f->x, f->y + (z->ctl_small - lh) / 2, w + 2, text, z->small, UI_BOLD);
    f->x += w + z->gap;
}

static void flow_button(wui *wk, flow *f, const char *label, unsigned flags, wui_action a, int arg)
{
    const wui_size *z = &wk->z;
    int w = wui_button_width_px(wk, label, flags, z->small);
    if (f->x > f->x0 && f->x + w > f->right)
        flow_newline(wk, f);
    wui_button_px(wk, &wk->top, (SDL_Rect){f->x, f->y, 0, z->ctl_small}, label, flags, a, arg,
                  z->small);
    f->x += w + z->gap / 2;
}

static unsigned chosen(bool on)
{
    return UI_CHOICE | (on ? UI_SELECTED : 0);
}

/* Width of a group of option buttons, so its label starts a line when the group would not fit. */
static int group_width(wui *wk, const char *const *labels, int n)
{
    int w = 0;
    for (int i = 0; i < n; i++)
        w += wui_button_width_px(wk, labels[i], UI_CHOICE, wk->z.small) + wk->z.gap / 2;
    return w;
}

static int build_filters(wui *wk, int y)
{
    const wui_size *z = &wk->z;
    flow f = {z->margin, z->margin, y, z->w - z->margin};
    int fw = z->small * 8;
    flow_label(wk, &f, ui_tr(&wk->loc, "wk_client"), fw);
    wui_field_box(wk, &wk->top, (SDL_Rect){f.x, f.y, fw, z->ctl_small}, WF_CLIENT, wk->client,
                  false, ui_tr(&wk->loc, "wk_client_hint"));
    f.x += fw + z->gap;
    flow_button(wk, &f, ui_tr(&wk->loc, "wk_client_apply"), 0, WA_CLIENT_APPLY, 0);
    if (wk->client_on[0] || wk->client[0])
        flow_button(wk, &f, ui_tr(&wk->loc, "wk_client_clear"), 0, WA_CLIENT_CLEAR, 0);
    f.x += z->gap * 2;
    flow_button(wk, &f, ui_tr(&wk->loc, "wk_flagged_first"), chosen(wk->filter.flagged_first),
                WA_FLAGGED, 0);
    f.x += z->gap * 2;
    const char *periods[WUI_PERIODS];
    for (int i = 0; i < WUI_PERIODS; i++)
        periods[i] = ui_tr(&wk->loc, period_keys[i]);
    flow_label(wk, &f, ui_tr(&wk->loc, "wk_period"), group_width(wk, periods, WUI_PERIODS));
    for (int i = 0; i < WUI_PERIODS; i++)
        flow_button(wk, &f, periods[i], chosen(wk->period == i), WA_PERIOD, i);
    f.x += z->gap * 2;
    /* or typed dates, inclusive; applied with "Hae" or Enter */
    int dw = ui_draw_text_width(wk->ui->draw, "2025-03-04|", 11, z->px, false) + z->px;
    flow_label(wk, &f, ui_tr(&wk->loc, "wk_dates"), 2 * dw + 3 * z->gap);
    wui_field_box(wk, &wk->top, (SDL_Rect){f.x, f.y, dw, z->ctl_small}, WF_FROM, wk->date_from,
                  false, ui_tr(&wk->loc, "wk_from_hint"));
    f.x += dw + z->gap / 2;
    flow_label(wk, &f, "\xE2\x80\x93", dw);
    wui_field_box(wk, &wk->top, (SDL_Rect){f.x, f.y, dw, z->ctl_small}, WF_TO, wk->date_to, false,
                  ui_tr(&wk->loc, "wk_to_hint"));
    f.x += dw + z->gap * 3;
    static const char *const level_keys[] = {"wk_level_any", "wk_only_none", "wk_only_yellow",
                                             "wk_only_red"};
    static const int level_order[] = {-1, QN_LEVEL_RED, QN_LEVEL_YELLOW, QN_LEVEL_NONE};
    const char *levels[4];
    for (int i = 0; i < 4; i++)
        levels[i] = ui_tr(&wk->loc, level_keys[level_order[i] + 1]);
    flow_label(wk, &f, ui_tr(&wk->loc, "wk_level"), group_width(wk, levels, 4));
    for (int i = 0; i < 4; i++)
        flow_button(wk, &f, levels[i], chosen(wk->filter.level == level_order[i]), WA_LEVEL,
                    level_order[i]);
    if (wk->n_qids > 1) {
        f.x += z->gap * 2;
        const char *qs[9] = {ui_tr(&wk->loc, "wk_qn_all")};
        for (int i = 0; i < wk->n_qids && i < 8; i++)
            qs[i + 1] = wk->qids[i];
        flow_label(wk, &f, ui_tr(&wk->loc, "wk_questionnaire"),
                   group_width(wk, qs, wk->n_qids + 1));
        for (int i = -1; i < wk->n_qids; i++)
            flow_button(wk, &f, qs[i + 1], chosen(wk->qn_filter == i), WA_QN, i);
    }
    static const char *const place_keys[2][2] = {{"wk_site", "wk_site_all"},
                                                 {"wk_device", "wk_device_all"}};
    for (int kind = 0; kind < 2; kind++) { /* several sites or devices of the team (fleet) */
        if (wk->n_places[kind] < 2)
            continue;
        f.x += z->gap * 2;
        const char *ps[9] = {ui_tr(&wk->loc, place_keys[kind][1])};
        for (int i = 0; i < wk->n_places[kind]; i++)
            ps[i + 1] = wk->places[kind][i];
        flow_label(wk, &f, ui_tr(&wk->loc, place_keys[kind][0]),
                   group_width(wk, ps, wk->n_places[kind] + 1));
        for (int i = -1; i < wk->n_places[kind]; i++)
            flow_button(wk, &f, ps[i + 1], chosen(wk->place_filter[kind] == i), WA_PLACE,
                        kind * 100 + i + 1);
    }
    return f.y + z->ctl_small + z->gap;
}

static void cell(wui *wk, int x, int y, int w, const char *text, unsigned flags)
{
    wui_text(wk, &wk->body, x, y, w, wui_fit(wk, text, w - wk->z.gap, wk->z.px, flags & UI_BOLD),
             wk->z.px, flags);
}

static void build_row(wui *wk, int i, SDL_Rect r, const int *cx, const int *cw)
{
    const wui_size *z = &wk->z;
    const worker_entry *e = worker_entry_at(wk->ws, wk->rows[i]);
    int ty = r.y + (r.h - ui_draw_line_height(wk->ui->draw, z->px, false)) / 2;
    if ((i - wk->first) % 2)
        wui_deco_fill(wk, r, (SDL_Color){0xF1, 0xF3, 0xF6, 0xFF}, false);
    if (i == wk->selected) { /* the keyboard's row: a frame, not only a tint */
        wui_deco_fill(wk, r, wk->theme->face, false);
        wui_deco *d = wui_deco_add(wk, WD_FRAME, true);
        if (d) {
            d->r = r;
            d->t = 3;
            d->c = wk->theme->accent;
        }
    }
    char when[32], total[32];
    worker_format_time(when, sizeof when, e->completed_at);
    cell(wk, cx[0], ty, cw[0], e->completed_at ? when : "?",
         0); /* 0: a missing record of unknown time */
    if (e->status != WORKER_ENTRY_OK) {
        cell(wk, cx[1], ty, cw[1] + cw[2] + cw[3] + cw[4] + cw[5] + cw[6],
             ui_tr(&wk->loc, e->status == WORKER_ENTRY_MISSING ? "wk_missing" : "wk_unreadable"),
             UI_ALERT | UI_BOLD);
        return;
    }
    cell(wk, cx[1], ty, cw[1], e->client[0] ? e->client : ui_tr(&wk->loc, "wk_anonymous"),
         e->client[0] ? UI_BOLD : UI_MUTED);
    cell(wk, cx[2], ty, cw[2], e->qid, 0);
    worker_format_headline(wk->ws, total, sizeof total, e);
    cell(wk, cx[3], ty, cw[3], total, 0);
    wui_badge(wk, &wk->body, cx[4], ty, e->level, z->px, NULL);
    cell(wk, cx[5], ty, cw[5], e->flags[0] ? e->flags : "\xE2\x80\x93", UI_MUTED);
    /* reassessment due (as `itsearvio list`) and an interview, in words */
    worker_due_state ds = wk->due ? wk->due[wk->rows[i]] : WORKER_DUE_NONE;
    const char *due = ds != WORKER_DUE_NONE ? ui_tr(&wk->loc, worker_due_key(ds)) : "";
    const char *iv = e->assisted_by[0] ? ui_tr(&wk->loc, "wk_assisted_mark") : "";
    const char *state = due[0] && iv[0] ? wui_tr(wk, "wk_state_both", due, iv, NULL)
                        : due[0]        ? due
                        : iv[0]         ? iv
                                        : "\xE2\x80\x93";
    cell(wk, cx[6], ty, cw[6], state, ds == WORKER_DUE_OVERDUE ? UI_BOLD | UI_ALERT
                                      : ds == WORKER_DUE_NONE  ? UI_MUTED
                                                               : UI_BOLD);
}

static void build_table(wui *wk, int y, int bottom)
{
    const wui_size *z = &wk->z;
    int tw = z->w - 2 * z->margin, cx[COLS], cw[COLS], x = z->margin;
    for (int c = 0; c < COLS; c++) {
        cw[c] = tw * col_share[c] / 1000;
        cx[c] = x + z->pad;
        x += cw[c];
    }
    static const char *const heads[COLS] = {"wk_col_date", "wk_col_client", "wk_col_qn",
                                            "wk_col_total", "wk_col_level", "wk_col_flags",
                                            "wk_col_state"};
    int lh = ui_draw_line_height(wk->ui->draw, z->small, true);
    for (int c = 0; c < COLS; c++)
        wui_text(wk, &wk->top, cx[c], y, cw[c], ui_tr(&wk->loc, heads[c]), z->small,
                 UI_BOLD | UI_MUTED);
    y += lh + z->gap / 2;
    wui_deco_fill(wk, (SDL_Rect){z->margin, y - 2, tw, 2}, wk->theme->ink, false);
    int row_h = ui_draw_line_height(wk->ui->draw, z->px, true) + z->pad;
    wk->page_rows = (bottom - y) / row_h;
    wk->page_rows = wk->page_rows < 1 ? 1 : wk->page_rows;
    wk->page_rows = wk->page_rows > 64 ? 64 : wk->page_rows;
    wk->view = (SDL_Rect){0, y, z->w, bottom - y};
    if (wk->first > wk->counts.shown - wk->page_rows)
        wk->first = wk->counts.shown - wk->page_rows;
    wk->first = wk->first < 0 ? 0 : wk->first;
    wk->n_row_r = 0;
    if (wk->counts.shown == 0) {
        wui_text(wk, &wk->body, z->margin, y + z->gap, tw, ui_tr(&wk->loc, "wk_none_match"), z->px,
                 UI_MUTED);
        return;
    }
    wk->deco_body = true; /* row tints and frames belong to the table (under a warning's shade) */
    for (int i = wk->first; i < wk->counts.shown && i < wk->first + wk->page_rows; i++) {
        SDL_Rect r = {z->margin, y + (i - wk->first) * row_h, tw, row_h};
        wk->row_r[wk->n_row_r] = r;
        wk->row_of[wk->n_row_r++] = i;
        build_row(wk, i, r, cx, cw);
    }
    wk->deco_body = false;
}

static void build_footer(wui *wk)
{
    const wui_size *z = &wk->z;
    int y = z->h - z->margin - z->ctl;
    char a[16], b[16], c[16];
    snprintf(a, sizeof a, "%d", wk->counts.shown ? wk->first + 1 : 0);
    int last =
        wk->first + wk->page_rows < wk->counts.shown ? wk->first + wk->page_rows : wk->counts.shown;
    snprintf(b, sizeof b, "%d", last);
    snprintf(c, sizeof c, "%d", wk->counts.shown);
    int lh = ui_draw_line_height(wk->ui->draw, z->small, false);
    const char *rows = wui_tr(wk, "wk_rows", a, b, c);
    if (wk->counts.shown > 0)
        rows = wui_tr(wk, "wk_rows_hint", rows, NULL, NULL);
    const char *next = ui_tr(&wk->loc, "wk_page_next"), *prev = ui_tr(&wk->loc, "wk_page_prev");
    int nw = wui_button_width(wk, next, 0), pw = wui_button_width(wk, prev, 0);
    wui_text(wk, &wk->top, z->margin, y + (z->ctl - lh) / 2,
             z->w - 2 * z->margin - nw - pw - 3 * z->gap, rows, z->small, UI_MUTED);
    int x = z->w - z->margin - nw;
    if (last < wk->counts.shown)
        wui_button(wk, &wk->top, x, y, next, 0, WA_PAGE, 1);
    if (wk->first > 0)
        wui_button(wk, &wk->top, x - z->gap - pw, y, prev, 0, WA_PAGE, -1);
}

void wui_list_build(wui *wk)
{
    const wui_size *z = &wk->z;
    int y = wui_top_band(wk, ui_tr(&wk->loc, "wk_list_heading"), false);
    char n[16], red[16], yellow[16];
    snprintf(n, sizeof n, "%d", wk->counts.shown);
    snprintf(red, sizeof red, "%d", wk->counts.red);
    snprintf(yellow, sizeof yellow, "%d", wk->counts.yellow);
    char counts[400];
    ui_locale_format(&wk->loc, counts, sizeof counts,
                     wk->counts.shown == 1 ? "wk_counts_one" : "wk_counts", n, red, yellow,
                     (const char *)NULL);
    if (wk->counts.unreadable) {
        char u[16];
        snprintf(u, sizeof u, "%d", wk->counts.unreadable);
        its_appendf(counts, sizeof counts, "%s", wui_tr(wk, "wk_counts_unreadable", u, NULL, NULL));
    }
    if (wk->counts.shown != wk->counts.total) {
        snprintf(n, sizeof n, "%d", wk->counts.total);
        its_appendf(counts, sizeof counts, " %s", wui_tr(wk, "wk_counts_of", n, NULL, NULL));
    }
    y +=
        wui_text(wk, &wk->top, z->margin, y, z->w - 2 * z->margin, counts, z->px, UI_BOLD) + z->gap;
    if (wk->message[0])
        y += wui_text(wk, &wk->top, z->margin, y, z->w - 2 * z->margin, wk->message, z->px,
                      wk->message_alert ? UI_ALERT | UI_BOLD : 0) +
             z->gap;
    y = build_filters(wk, y) + z->gap;
    build_table(wk, y, z->h - z->margin - z->ctl - z->gap);
    build_footer(wk);
}
