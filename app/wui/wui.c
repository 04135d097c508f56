/* wui.c — the worker's screens: state, unlock and lock, the frame, input, and the table of
 * functions the common loop runs (ui_loop.h).
 *
 *   UNLOCK --right passphrase--> LIST --row--> DETAIL --"Muutos ajassa"--> TREND
 *     ^  \--wrong: "Väärä tunnuslause" (the store's growing wait shown in seconds)
 *     |                           <--back----        <--back---------------
 *     +--- lock button, Ctrl+L, idle time (default 5 min), closing: worker_session_lock ---+
 *
 * Invariants:
 *   1. wk->ws (the unlocked index) exists only on LIST, DETAIL and TREND. Every way back to UNLOCK
 *      goes through lock(wk), which frees the list, the opened assessment, the trend and the
 *      notes, wipes what was typed, and calls worker_session_lock().
 *   2. The passphrase is never in a widget (the field shows dots) and is wiped right after the
 *      unlock attempt, whatever its outcome.
 *   3. Idle: on every screen, `idle_seconds` without input locks (the last 30 s show a
 *      countdown that any input stops). On UNLOCK it wipes what was typed; inside the kiosk it
 *      also returns to the kiosk.
 *   4. Buttons act on release (ui_widget); a press in the first 250 ms of a screen is ignored.
 */
#include "wui_int.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "ui_app.h"
#include "ui_draw.h"
#include "ui_locale.h"
#include "ui_loop.h"
#include "ui_text.h"

enum { GUARD_MS = 250, WARN_SECONDS = 30, IDLE_DEFAULT = 300 };

/* ---- texts made for one layout ------------------------------------------------------------ */

const char *wui_keep(wui *wk, const char *s)
{
    return ui_app_keep(wk->ui, s);
}

const char *wui_tr(wui *wk, const char *key, const char *a, const char *b, const char *c)
{
    return ui_app_tr(wk->ui, &wk->loc, key, a, b, c);
}

const char *wui_fit(wui *wk, const char *s, int w, int px, bool bold)
{
    char buf[512];
    ui_measure m = ui_draw_measure(wk->ui->draw);
    ui_text_fit(&m, s, w, px, bold, buf, sizeof buf);
    return wui_keep(wk, buf);
}

/* ---- sizes and building blocks -------------------------------------------------------------- */

static wui_size size_for(wui *wk, int w, int h)
{
    /* 1280x800 either way round is the reference: the short side / 800, the long one / 1280 */
    double shorter = w < h ? w : h, longer = w < h ? h : w;
    double s = shorter / 800.0 < longer / 1280.0 ? shorter / 800.0 : longer / 1280.0;
    s = s < 0.6 ? 0.6 : s;
    wui_size z = {w, h, (int)(20 * s + 0.5), (int)(17 * s + 0.5), (int)(26 * s + 0.5),
                  (int)(8 * s + 0.5), (int)(10 * s + 0.5), (int)(20 * s + 0.5), 0, 0};
    z.ctl = ui_draw_line_height(wk->ui->draw, z.px, true) + 2 * z.pad;
    z.ctl = z.ctl < 44 ? 44 : z.ctl; /* a finger still hits it */
    z.ctl_small = ui_draw_line_height(wk->ui->draw, z.small, false) + z.pad;
    z.ctl_small = z.ctl_small < 40 ? 40 : z.ctl_small;
    return z;
}

int wui_button_width_px(wui *wk, const char *label, unsigned flags, int px)
{
    int w = ui_draw_text_width(wk->ui->draw, label, strlen(label), px, flags & UI_BOLD) + 2 * px;
    if (flags & UI_CHOICE)
        w += px * 7 / 5;
    return w;
}

int wui_button_width(wui *wk, const char *label, unsigned flags)
{
    return wui_button_width_px(wk, label, flags, wk->z.px);
}

int wui_button_px(wui *wk, ui_list *l, SDL_Rect at, const char *label, unsigned flags, wui_action a,
                  int arg, int px)
{
    at.w = wui_button_width_px(wk, label, flags, px);
    ui_list_button(l, at, label, px, flags | ((flags & UI_CHOICE) ? 0 : UI_CENTER), (int)a, arg);
    return at.w;
}

int wui_button(wui *wk, ui_list *l, int x, int y, const char *label, unsigned flags, wui_action a,
               int arg)
{
    return wui_button_px(wk, l, (SDL_Rect){x, y, 0, wk->z.ctl}, label, flags, a, arg, wk->z.px);
}

/* Signs the bundled Noto Sans has no glyph for (evidence texts use them), in plain ASCII. */
static const char *glyph_safe(wui *wk, const char *s)
{
    static const char *const from[] = {"\xE2\x89\xA5", "\xE2\x89\xA4", "\xE2\x86\x92"};
    static const char *const to[] = {">=", "<=", "->"};
    bool any = false;
    for (size_t k = 0; k < sizeof from / sizeof from[0]; k++)
        any |= strstr(s, from[k]) != NULL;
    if (!any)
        return s;
    char buf[4096] = "";
    for (const char *p = s; *p;) {
        size_t k = 0;
        while (k < sizeof from / sizeof from[0] && strncmp(p, from[k], 3) != 0)
            k++;
        if (k < sizeof from / sizeof from[0]) {
            its_appendf(buf, sizeof buf, "%s", to[k]);
            p += 3;
        } else {
            its_appendf(buf, sizeof buf, "%c", *p++);
        }
    }
    return wui_keep(wk, buf);
}

int wui_text(wui *wk, ui_list *l, int x, int y, int w, const char *text, int px, unsigned flags)
{
    if (!text || !*text)
        return 0;
    return ui_list_text(l, x, y, w, glyph_safe(wk, text), px, flags);
}

void wui_scroll_buttons(wui *wk, int y)
{
    const wui_size *z = &wk->z;
    const char *down = ui_tr(&wk->loc, "wk_scroll_down"), *up = ui_tr(&wk->loc, "wk_scroll_up");
    int dw = wui_button_width(wk, down, 0), uw = wui_button_width(wk, up, 0);
    if (wk->content_h > wk->view.h) /* a rule where the scrolled text is cut */
        wui_deco_fill(wk, (SDL_Rect){0, wk->view.y + wk->view.h, z->w, 1}, wk->theme->muted, false);
    int x = z->w - z->margin; /* from the right: "down" outermost, "up" beside it */
    if (wk->scroll + wk->view.h < wk->content_h) {
        x -= dw;
        wui_button(wk, &wk->top, x, y, down, 0, WA_SCROLL, 1);
        x -= z->gap;
    }
    if (wk->scroll > 0)
        wui_button(wk, &wk->top, x - uw, y, up, 0, WA_SCROLL, -1);
}

int wui_field_box(wui *wk, ui_list *l, SDL_Rect r, wui_field f, const char *value, bool mask,
                  const char *placeholder)
{
    char shown[WUI_PASS_MAX * 3 + 8] = "";
    size_t n = strlen(value);
    int px = r.h >= wk->z.ctl ? wk->z.px : wk->z.small;
    if (mask)
        for (size_t i = 0; i < n && i < WUI_PASS_MAX; i++)
            its_appendf(shown, sizeof shown, "\xE2\x80\xA2"); /* • */
    else
        its_strlcpy(shown, value, sizeof shown);
    if (wk->field == f)
        its_appendf(shown, sizeof shown, "|"); /* the caret: where typing goes */
    /* a button, so a click gives it the keyboard; its label is what is typed */
    int pad = px * 2 / 5 + 1; /* the button's own padding */
    ui_list_button(l, r, wui_fit(wk, shown, r.w - 2 * pad, px, false), px, 0, WA_FIELD, (int)f);
    if (!shown[0] && placeholder) /* what goes here, in grey over the empty box */
        wui_text(wk, l, r.x + pad, r.y + (r.h - ui_draw_line_height(wk->ui->draw, px, false)) / 2,
                 r.w - 2 * pad, wui_fit(wk, placeholder, r.w - 2 * pad, px, false), px, UI_MUTED);
    if (wk->field == f) { /* thick dark frame: this field has the keyboard (not only colour) */
        wui_deco *d = wui_deco_add(wk, WD_FRAME, true);
        if (d) {
            d->r = (SDL_Rect){r.x - 3, r.y - 3, r.w + 6, r.h + 6};
            d->t = 3;
            d->c = wk->theme->ink;
        }
    }
    return r.h;
}

void wui_set_view(wui *wk, SDL_Rect view)
{
    wk->view = view;
}

void wui_say(wui *wk, const char *text, bool alert)
{
    its_strlcpy(wk->message, text ? text : "", sizeof wk->message);
    wk->message_alert = alert;
    wk->relayout = true;
}

static void arm_idle(wui *wk)
{
    ui_idle_arm(&wk->idle, ui_clock_now(&wk->ui->clock));
    wk->warning = false;
}

void wui_go(wui *wk, wui_screen s)
{
    wk->screen = s;
    wk->scroll = 0;
    wk->message[0] = '\0';
    wk->top.focus = -1;
    wk->top.focus_action = 0;
    wk->body.focus = -1;
    wk->body.focus_action = 0;
    wk->field = s == W_UNLOCK ? WF_PASS : WF_NONE;
    wk->shown_at = ui_clock_now(&wk->ui->clock);
    wk->relayout = true;
    arm_idle(wk);
}

int wui_top_band(wui *wk, const char *heading, bool back)
{
    const wui_size *z = &wk->z;
    int x = z->margin, y = z->margin;
    const char *lock = ui_tr(&wk->loc, "wk_lock");
    int lw = wui_button_width(wk, lock, UI_BOLD);
    wui_button(wk, &wk->top, z->w - z->margin - lw, y, lock, UI_BOLD, WA_LOCK, 0);
    if (wk->interview && wk->screen == W_LIST) { /* on the kiosk: the worker enters the answers */
        const char *iv = ui_tr(&wk->loc, "wk_interview");
        int iw = wui_button_width(wk, iv, UI_BOLD);
        wui_button(wk, &wk->top, z->w - z->margin - lw - z->gap - iw, y, iv, UI_BOLD, WA_INTERVIEW, 0);
        lw += iw + z->gap;
    }
    if (back)
        x += wui_button(wk, &wk->top, x, y, ui_tr(&wk->loc, "wk_back"), 0, WA_BACK, 0) + 2 * z->gap;
    int hw = z->w - z->margin - lw - 2 * z->gap - x;
    int lh = ui_draw_line_height(wk->ui->draw, z->head, true);
    wui_text(wk, &wk->top, x, y + (z->ctl - lh) / 2, hw, wui_fit(wk, heading, hw, z->head, true),
             z->head, UI_BOLD);
    int bottom = y + z->ctl + z->gap;
    wui_deco *d = wui_deco_add(wk, WD_FILL, false);
    if (d) { /* a rule under the band */
        d->r = (SDL_Rect){0, bottom, z->w, 2};
        d->c = wk->theme->muted;
    }
    return bottom + z->gap + 2;
}

/* ---- unlock and lock ------------------------------------------------------------------------ */

static void build_unlock(wui *wk)
{
    const wui_size *z = &wk->z;
    int bw = z->w - 2 * z->margin < z->px * 30 ? z->w - 2 * z->margin : z->px * 30;
    int x = (z->w - bw) / 2, y = z->h / 5;
    y += wui_text(wk, &wk->top, x, y, bw, ui_tr(&wk->loc, "wk_unlock_heading"), z->head, UI_BOLD) +
         z->gap;
    y += wui_text(wk, &wk->top, x, y, bw, ui_tr(&wk->loc, "wk_unlock_text"), z->px, 0) + 2 * z->gap;
    y += wui_text(wk, &wk->top, x, y, bw, ui_tr(&wk->loc, "wk_pass_label"), z->px, UI_BOLD) +
         z->gap / 2;
    y += wui_field_box(wk, &wk->top, (SDL_Rect){x, y, bw, z->ctl}, WF_PASS, wk->pass, true, NULL) +
         z->gap;
    if (wk->message[0])
        y += wui_text(wk, &wk->top, x, y, bw, wk->message, z->px,
                      wk->message_alert ? UI_ALERT | UI_BOLD : UI_MUTED) +
             z->gap;
    if (wk->o->hint)
        y += wui_text(wk, &wk->top, x, y, bw, wui_tr(wk, "wk_demo_hint", wk->o->hint, NULL, NULL),
                      z->px, UI_MUTED) +
             z->gap;
    y += z->gap;
    const char *open = ui_tr(&wk->loc, "wk_unlock");
    int ow = wui_button_width(wk, open, UI_BOLD);
    wui_button(wk, &wk->top, x + bw - ow, y, open, UI_PRIMARY | UI_BOLD, WA_UNLOCK, 0);
    wui_button(wk, &wk->top, x, y, ui_tr(&wk->loc, "wk_close"), 0, WA_CLOSE, 0);
}

/* Frees everything the unlocked screens hold and locks (invariant 1). */
static void lock(wui *wk)
{
    wui_detail_close(wk);
    wui_trend_close(wk);
    free(wk->rows);
    free(wk->due);
    wk->due = NULL;
    wk->rows = NULL;
    wk->counts = (worker_counts){0};
    its_wipe(wk->client, sizeof wk->client);
    its_wipe(wk->client_on, sizeof wk->client_on);
    its_wipe(wk->date_from, sizeof wk->date_from);
    its_wipe(wk->date_to, sizeof wk->date_to);
    its_wipe(wk->note, sizeof wk->note);
    sodium_memzero(wk->pass, sizeof wk->pass);
    wk->filter = worker_filter_all();
    wk->period = 0;
    wk->qn_filter = -1;
    wk->n_qids = 0;
    worker_session_lock(wk->ws);
    wk->ws = NULL;
    wui_go(wk, W_UNLOCK);
}

/* The store's answer in the worker's words: a wrong passphrase and the wait, plainly. */
static void unlock_failed(wui *wk, const its_err *why)
{
    if (why->code != ITS_E_WRONG_PASSPHRASE && why->code != ITS_E_LOCKED_OUT) {
        wui_say(wk, wui_tr(wk, "wk_unlock_failed", ui_locale_error(&wk->loc, why), NULL, NULL), true);
        return;
    }
    int wait = 0;
    store *st = NULL;
    its_err err;
    if (store_open(wk->o->dir, &st, &err) == 0)
        wait = store_unlock_wait(st);
    store_close(st);
    char secs[16];
    snprintf(secs, sizeof secs, "%d", wait);
    if (why->code == ITS_E_LOCKED_OUT)
        wui_say(wk, wui_tr(wk, "wk_wait", secs, NULL, NULL), true);
    else if (wait > 0)
        wui_say(wk, wui_tr(wk, "wk_wrong_pass_wait", secs, NULL, NULL), true);
    else
        wui_say(wk, ui_tr(&wk->loc, "wk_wrong_pass"), true);
}

static void render(wui *wk);
static void scroll_key(wui *wk, SDL_Keycode sym);

/* Each screen: how it is built, what its own buttons do (the shared ones are in act()), its own
 * keys when nothing is being typed, and the words of its idle warning (invariant 3). */
typedef struct wui_screen_ops {
    void (*build)(wui *wk);
    bool (*act)(wui *wk, wui_action a, int arg); /* NULL: none of its own */
    void (*key)(wui *wk, SDL_Keycode sym);       /* NULL: none */
    const char *idle_key;
} wui_screen_ops;

static const wui_screen_ops screens[] = {
    [W_UNLOCK] = {build_unlock, NULL, NULL, "wk_idle_unlock"},
    [W_LIST] = {wui_list_build, wui_list_act, wui_list_key, "wk_idle_text"},
    [W_DETAIL] = {wui_detail_build, wui_detail_act, scroll_key, "wk_idle_text"},
    [W_TREND] = {wui_trend_build, NULL, scroll_key, "wk_idle_text"},
};

/* The distinct values of one field of the readable records (at most max, each `size` bytes at
 * out), for the list's filter buttons; returns how many. */
static int collect_distinct(const wui *wk, size_t field, char *out, size_t size, int max)
{
    int n = 0;
    for (int i = 0; i < worker_count(wk->ws); i++) {
        const worker_entry *e = worker_entry_at(wk->ws, i);
        const char *v = (const char *)e + field;
        bool seen = e->status != WORKER_ENTRY_OK || !v[0];
        for (int k = 0; k < n && !seen; k++)
            seen = !strcmp(out + (size_t)k * size, v);
        if (!seen && n < max)
            its_strlcpy(out + (size_t)n++ * size, v, size);
    }
    return n;
}

/* The questionnaires, sites and devices that occur in the records. */
static void collect_qids(wui *wk)
{
    wk->n_qids = collect_distinct(wk, offsetof(worker_entry, qid), wk->qids[0], sizeof wk->qids[0], 8);
    size_t size = sizeof wk->places[0][0];
    wk->n_places[0] = collect_distinct(wk, offsetof(worker_entry, site), wk->places[0][0], size, 8);
    wk->n_places[1] = collect_distinct(wk, offsetof(worker_entry, device), wk->places[1][0], size, 8);
    wk->place_filter[0] = wk->place_filter[1] = -1;
}

static void unlock(wui *wk)
{
    if (!wk->pass[0]) {
        wui_say(wk, ui_tr(&wk->loc, "wk_pass_empty"), true);
        return;
    }
    wui_say(wk, ui_tr(&wk->loc, "wk_opening"),
            false); /* opening thousands of records takes a moment */
    render(wk);
    /* the questionnaires are read from DATA/questionnaires (worker_session_open's default) */
    worker_open_opts wo = {.dir = wk->o->dir,
                           .passphrase = wk->pass,
                           .data = wk->o->data_dir,
                           .lang = ui_locale_lang(&wk->loc)};
    its_err err = {0};
    int rc = worker_session_open(&wo, &wk->ws, &err);
    sodium_memzero(wk->pass, sizeof wk->pass); /* invariant 2 */
    if (rc != 0) {
        wk->ws = NULL;
        unlock_failed(wk, &err);
        return;
    }
    wk->filter = worker_filter_all();
    wk->qn_filter = -1;
    wk->selected = -1;
    collect_qids(wk);
    wui_go(wk, W_LIST);
    wui_list_reload(wk);
}

/* ---- what the buttons do ---------------------------------------------------------------- */

char *wui_field_text(wui *wk, size_t *cap)
{
    switch (wk->field) {
    case WF_PASS:
        *cap = sizeof wk->pass;
        return wk->pass;
    case WF_CLIENT:
        *cap = sizeof wk->client;
        return wk->client;
    case WF_NOTE:
        *cap = sizeof wk->note;
        return wk->note;
    case WF_FROM:
        *cap = sizeof wk->date_from;
        return wk->date_from;
    case WF_TO:
        *cap = sizeof wk->date_to;
        return wk->date_to;
    default: *cap = 0; return NULL;
    }
}

static void type_text(wui *wk, const char *s)
{
    size_t cap;
    char *dst = wui_field_text(wk, &cap);
    if (!dst)
        return;
    size_t n = strlen(dst), add = strlen(s);
    if (n + add + 1 > cap)
        return;
    memcpy(dst + n, s, add + 1);
    if (wk->field == WF_PASS && wk->message_alert)
        wk->message[0] = '\0'; /* a new try: the old message goes */
    wk->relayout = true;
}

static void erase_char(wui *wk)
{
    size_t cap;
    char *dst = wui_field_text(wk, &cap);
    size_t n = dst ? strlen(dst) : 0;
    if (n == 0)
        return;
    n--;
    while (n > 0 && ((unsigned char)dst[n] & 0xC0) == 0x80) /* a whole character */
        n--;
    its_wipe(dst + n, strlen(dst + n));
    wk->relayout = true;
}

static void act(wui *wk, wui_action a, int arg)
{
    switch (a) {
    case WA_UNLOCK:
        unlock(wk);
        return;
    case WA_CLOSE:
        wk->closed = true;
        return;
    case WA_INTERVIEW: /* the result names the worker by the key that unlocked here */
        if (!wk->interview || !wk->ws)
            return;
        store_key_fingerprint(worker_session_key(wk->ws), wk->interview);
        wk->interview_started = wk->closed = true;
        return;
    case WA_LOCK:
        lock(wk);
        return;
    case WA_FIELD: /* typing goes here now, and Enter finishes it */
        wk->field = (wui_field)arg;
        wk->top.focus = wk->body.focus = -1;
        wk->top.focus_action = wk->body.focus_action = 0;
        wk->relayout = true;
        return;
    case WA_CONTINUE:
        arm_idle(wk);
        wk->relayout = true;
        return;
    case WA_SCROLL: {
        int step = wk->view.h * 4 / 5;
        wk->scroll += arg * step;
        int max = wk->content_h - wk->view.h;
        wk->scroll = wk->scroll > max ? max : wk->scroll;
        wk->scroll = wk->scroll < 0 ? 0 : wk->scroll;
        wk->relayout = true;
        return;
    }
    case WA_BACK:
        if (wk->screen == W_TREND) {
            wui_trend_close(wk);
            wk->screen = wk->has_detail ? W_DETAIL : W_LIST;
            wk->scroll = 0;
            wk->relayout = true;
        } else if (wk->screen == W_DETAIL) {
            wui_detail_close(wk);
            wui_go(wk, W_LIST);
        }
        return;
    case WA_TREND:
        wui_trend_open(wk);
        return;
    default:
        break;
    }
    if (screens[wk->screen].act)
        screens[wk->screen].act(wk, a, arg);
}

/* ---- layout and drawing -------------------------------------------------------------------- */

static void build_warning(wui *wk)
{
    const wui_size *z = &wk->z;
    ui_list_begin_modal(&wk->top);
    int bw = z->px * 26 < z->w - 2 * z->margin ? z->px * 26 : z->w - 2 * z->margin;
    char secs[16];
    snprintf(secs, sizeof secs, "%d", wk->warning_secs);
    const char *text = wui_tr(wk, screens[wk->screen].idle_key, secs, NULL, NULL);
    int inner = bw - 2 * z->margin;
    int th = ui_text_height(&wk->top, text, inner, z->px, true);
    int h = th + z->ctl + 2 * z->margin + z->gap;
    SDL_Rect box = {(z->w - bw) / 2, (z->h - h) / 2, bw, h};
    ui_list_panel(&wk->top, box);
    wui_text(wk, &wk->top, box.x + z->margin, box.y + z->margin, inner, text, z->px, UI_BOLD);
    const char *go_on = ui_tr(&wk->loc, "wk_idle_continue");
    wui_button(wk, &wk->top, box.x + z->margin, box.y + z->margin + th + z->gap, go_on,
               UI_PRIMARY | UI_BOLD, WA_CONTINUE, 0);
}

static void layout(wui *wk)
{
    int w, h;
    ui_draw_size(wk->ui->draw, &w, &h);
    wk->z = size_for(wk, w, h);
    ui_app_keep_reset(wk->ui);
    wk->n_deco = 0;
    wk->deco_body = false;
    wk->view = (SDL_Rect){0, 0, w, h};
    ui_list_clear(&wk->top);
    ui_list_clear(&wk->body);
    screens[wk->screen].build(wk);
    if (wk->warning)
        build_warning(wk);
    wk->relayout = false;
    wk->redraw = true;
}

static void render(wui *wk)
{
    if (wk->relayout)
        layout(wk);
    if (!wk->redraw)
        return;
    SDL_Renderer *r = ui_draw_renderer(wk->ui->draw);
    ui_draw_clear(wk->ui->draw, wk->theme->paper);
    wui_deco_draw(wk, false, false);
    wui_deco_draw(wk, false, true);
    SDL_RenderSetClipRect(r, &wk->view);
    ui_list_draw(&wk->body, wk->ui->draw, wk->theme);
    SDL_RenderSetClipRect(r, NULL);
    wui_deco_draw(wk, true, true);
    /* over the scrolled area, with the idle warning's shade */
    ui_list_draw(&wk->top, wk->ui->draw, wk->theme);
    wui_deco_draw(wk, true, false);
    ui_draw_present(wk->ui->draw);
    wk->redraw = false;
}

/* ---- input ------------------------------------------------------------------------------- */

static bool in_rect(SDL_Rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static void fire(wui *wk, ui_list *l, int i)
{
    if (i < 0 || i >= l->n)
        return;
    arm_idle(wk);
    act(wk, (wui_action)l->w[i].action, l->w[i].arg);
    wk->redraw = true;
}

static void handle_pointer(wui *wk, ui_ptr p)
{
    uint64_t now = ui_clock_now(&wk->ui->clock);
    if (p.kind == UI_PTR_DOWN) {
        if (now - wk->shown_at < GUARD_MS)
            return;
        if (!wk->warning)
            arm_idle(wk);
    }
    /* a press goes to the fixed widgets, else to the scrolled ones inside their area */
    int fired = -1;
    ui_list *l = &wk->top;
    if (p.kind == UI_PTR_DOWN) {
        fired = ui_list_pointer(&wk->top, p);
        if (wk->top.pressed < 0 && !wk->top.modal && in_rect(wk->view, p.x, p.y))
            ui_list_pointer(&wk->body, p);
    } else {
        l = wk->body.pressed >= 0 ? &wk->body : &wk->top;
        fired = ui_list_pointer(l, p);
    }
    wk->redraw = true;
    if (fired >= 0) {
        fire(wk, l, fired);
        return;
    }
    if (p.kind == UI_PTR_UP && wk->screen == W_LIST && !wk->warning && wui_list_click(wk, p.x, p.y))
        arm_idle(wk);
}

static void focus_step_lists(wui *wk, int step);

/* Tab moves the keyboard focus over the fixed buttons, then the scrolled ones; a scrolled one
 * that gets the focus is scrolled into view. */
static void focus_step(wui *wk, int step)
{
    focus_step_lists(wk, step);
    if (wk->body.focus < 0 || wk->body.focus >= wk->body.n || wk->content_h <= wk->view.h)
        return;
    SDL_Rect r = wk->body.w[wk->body.focus].r;
    int gap = wk->z.gap * 2;
    if (r.y < wk->view.y + gap)
        wk->scroll -= wk->view.y + gap - r.y;
    else if (r.y + r.h > wk->view.y + wk->view.h - gap)
        wk->scroll += r.y + r.h - (wk->view.y + wk->view.h - gap);
    else
        return;
    act(wk, WA_SCROLL, 0); /* clamps and lays out again; the focus follows its action */
}

static void focus_step_lists(wui *wk, int step)
{
    ui_list *a = wk->top.focus >= 0 ? &wk->top : wk->body.focus >= 0 ? &wk->body : NULL;
    if (!a) {
        ui_list_focus_move(step > 0 ? &wk->top : &wk->body, step);
        return;
    }
    int before = a->focus;
    int now = ui_list_focus_move(a, step);
    bool wrapped = now < 0 || (step > 0 ? now <= before : now >= before);
    ui_list *b = a == &wk->top ? &wk->body : &wk->top;
    if (wrapped && !wk->top.modal && b->n > 0) {
        a->focus = -1;
        if (ui_list_focus_move(b, step) < 0)
            ui_list_focus_move(a, step);
    }
}

/* Enter: what is being typed is done first; else the focused button; else the screen's own. */
static void handle_enter(wui *wk)
{
    if (wk->field == WF_CLIENT || wk->field == WF_FROM || wk->field == WF_TO) {
        act(wk, WA_CLIENT_APPLY, 0);
    } else if (wk->field == WF_NOTE) {
        act(wk, WA_NOTE_SAVE, 0);
    } else if (wk->top.focus >= wk->top.modal && wk->top.focus >= 0) {
        fire(wk, &wk->top, wk->top.focus); /* on the unlock screen "Sulje" can be chosen with Tab */
    } else if (wk->body.focus >= 0 && !wk->top.modal) {
        fire(wk, &wk->body, wk->body.focus);
    } else if (wk->field == WF_PASS) {
        act(wk, WA_UNLOCK, 0);
    } else if (wk->screen == W_LIST) {
        wui_list_key(wk, SDLK_RETURN);
    } else {
        fire(wk, &wk->top, ui_list_find_primary(&wk->top));
    }
}

static void handle_key(wui *wk, const SDL_KeyboardEvent *k)
{
    SDL_Keycode sym = k->keysym.sym;
    bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0;
    wk->redraw = true;
    if (wk->warning) {
        arm_idle(wk);
        wk->relayout = true;
        return; /* the key only stops the countdown */
    }
    arm_idle(wk);
    if (ctrl && sym == SDLK_l) {
        if (wk->ws)
            lock(wk);
        return;
    }
    if (ctrl && sym == SDLK_f && wk->screen == W_LIST) { /* find a client */
        wk->field = WF_CLIENT;
        wk->relayout = true;
        return;
    }
    switch (sym) {
    case SDLK_TAB:
        focus_step(wk, (k->keysym.mod & KMOD_SHIFT) ? -1 : 1);
        return;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        handle_enter(wk);
        return;
    case SDLK_BACKSPACE:
        erase_char(wk);
        return;
    case SDLK_ESCAPE:
        if (wk->field == WF_NOTE)
            act(wk, WA_NOTE_CANCEL, 0);
        else if (wk->field != WF_NONE && wk->screen != W_UNLOCK)
            wk->field = WF_NONE;
        else if (wk->screen == W_DETAIL || wk->screen == W_TREND)
            act(wk, WA_BACK, 0);
        wk->relayout = true;
        return;
    default:
        break;
    }
    if (wk->field == WF_NONE && screens[wk->screen].key) /* else other keys are text */
        screens[wk->screen].key(wk, sym);
}

/* The keys of a scrolled screen (one assessment, the trend). */
static void scroll_key(wui *wk, SDL_Keycode sym)
{
    if (sym == SDLK_PAGEDOWN || sym == SDLK_SPACE)
        act(wk, WA_SCROLL, 1);
    else if (sym == SDLK_PAGEUP)
        act(wk, WA_SCROLL, -1);
    else if (sym == SDLK_DOWN || sym == SDLK_UP) {
        wk->scroll += (sym == SDLK_DOWN ? 1 : -1) * wk->z.ctl;
        act(wk, WA_SCROLL, 0); /* clamps */
    } else if (sym == SDLK_HOME || sym == SDLK_END) {
        wk->scroll = sym == SDLK_HOME ? 0 : wk->content_h;
        act(wk, WA_SCROLL, 0);
    }
}

static void handle_wheel(wui *wk, int y)
{
    arm_idle(wk);
    if (wk->screen == W_LIST) {
        wui_list_key(wk, y > 0 ? SDLK_UP : SDLK_DOWN);
    } else {
        wk->scroll -= y * 3 * wk->z.ctl / 2;
        act(wk, WA_SCROLL, 0);
    }
}

static void handle_event(wui *wk, const SDL_Event *e)
{
    if (e->type == SDL_KEYDOWN)
        handle_key(wk, &e->key);
    else if (e->type == SDL_TEXTINPUT && !wk->warning) {
        arm_idle(wk);
        type_text(wk, e->text.text);
    } else if (e->type == SDL_MOUSEWHEEL)
        handle_wheel(wk, e->wheel.y);
    else if (e->type == SDL_WINDOWEVENT) {
        wk->relayout |= e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED;
        wk->redraw = true;
    } else if (e->type == SDL_QUIT)
        wk->quit = true;
}

/* Idle (invariant 3); returns ms until it needs looking at again (-1 never). */
static int64_t idle_tick(wui *wk)
{
    uint64_t now = ui_clock_now(&wk->ui->clock);
    ui_idle_state st = ui_idle_state_at(&wk->idle, now);
    if (st == UI_IDLE_EXPIRED) {
        wk->warning = false;
        if (wk->ws) {
            lock(wk);
            wui_say(wk, ui_tr(&wk->loc, "wk_locked_idle"), false);
        } else if (!wk->own_window) {
            wk->closed = true; /* inside the kiosk: back to the client's screens */
        } else {
            sodium_memzero(wk->pass, sizeof wk->pass);
            wui_go(wk, W_UNLOCK);
        }
    } else if (st == UI_IDLE_WARNING) {
        int secs = ui_idle_seconds_left(&wk->idle, now);
        if (!wk->warning || secs != wk->warning_secs) {
            wk->warning = true;
            wk->warning_secs = secs;
            wk->relayout = true;
        }
    }
    return ui_idle_wait_ms(&wk->idle, ui_clock_now(&wk->ui->clock));
}

/* ---- on the common loop (ui_loop.h) ------------------------------------------------------ */

static int64_t screen_tick(void *self)
{
    return idle_tick(self);
}

static void screen_render(void *self, bool force)
{
    wui *wk = self;
    wk->redraw |= force;
    render(wk);
}

static void screen_pointer(void *self, ui_ptr p)
{
    handle_pointer(self, p);
}

static void screen_event(void *self, const SDL_Event *e)
{
    handle_event(self, e);
}

static bool screen_done(void *self)
{
    const wui *wk = self;
    return wk->quit || wk->closed;
}

/* The list's "next rows" or a scrolled screen's "scroll down". */
static int find_more(void *self, SDL_Rect *r)
{
    const wui *wk = self;
    for (int i = wk->top.n - 1; i >= wk->top.modal; i--) {
        const ui_widget *w = &wk->top.w[i];
        if (w->kind == UI_BUTTON && w->arg == 1 &&
            (w->action == WA_SCROLL || w->action == WA_PAGE)) {
            *r = w->r;
            return 0;
        }
    }
    return -1;
}

/* A row of the list, by its client code or date (rows are drawn, not widgets). */
static int find_row(void *self, const char *label, SDL_Rect *r)
{
    wui *wk = self;
    return wk->screen == W_LIST ? wui_list_find_row(wk, label, r) : -1;
}

/* 0 closed, 1 the script ended, -1 a script line failed. */
static int run_loop(wui *wk, ui_script *script, its_err *err)
{
    ui_screen sc = {.self = wk, .app = wk->ui, .tick = screen_tick, .render = screen_render,
                    .pointer = screen_pointer, .event = screen_event, .done = screen_done,
                    .top = &wk->top, .body = &wk->body, .view = &wk->view,
                    .find_more = find_more, .find_other = find_row,
                    .name = "the worker's screen"};
    return ui_loop_run(&sc, script, err);
}

/* The screens' state, on the heap (its decorations are a few hundred kB); NULL without memory. */
static wui *begin(const wui_opts *o, ui_app *app, bool own, its_err *err)
{
    wui *wk = calloc(1, sizeof *wk);
    if (!wk) {
        its_fail_code(err, ITS_E_NO_MEMORY, "No memory for the worker's screens.");
        return NULL;
    }
    wk->o = o;
    wk->ui = app;
    /* the worker's own language and the usual colours, whatever the client chose: a view of the
     * kiosk's texts, so nothing of the client's needs putting back afterwards */
    wk->loc = ui_locale_view(&app->loc);
    ui_locale_set(&wk->loc, o->lang ? o->lang : "fi");
    wk->theme = ui_theme_at(UI_THEME_LIGHT);
    wk->own_window = own;
    wk->qn_filter = -1;
    wk->selected = -1;
    wk->note_flag = -1;
    wk->filter = worker_filter_all();
    ui_list_init(&wk->top, ui_draw_measure(wk->ui->draw));
    ui_list_init(&wk->body, ui_draw_measure(wk->ui->draw));
    wk->top.max_chars = wk->body.max_chars = 90; /* a worker's screen: wider lines are fine */
    int idle = o->idle_seconds > 0 ? o->idle_seconds : IDLE_DEFAULT;
    int warn = idle >= 2 * WARN_SECONDS ? WARN_SECONDS : 0;
    ui_idle_init(&wk->idle, (uint64_t)(idle - warn) * 1000u, (uint64_t)warn * 1000u);
    wui_go(wk, W_UNLOCK);
    sodium_mlock(wk->pass, sizeof wk->pass); /* the typed passphrase never goes to swap */
    return wk;
}

static void end(wui *wk)
{
    if (wk->ws)
        lock(wk);
    sodium_munlock(wk->pass, sizeof wk->pass); /* wipes it, then unlocks */
    ui_list_free(&wk->top);
    ui_list_free(&wk->body);
    free(wk);
}

int wui_run_in_window(const wui_opts *o, ui_app *app, ui_script *script,
                      char interview[WUI_WHO_MAX], its_err *err)
{
    wui *wk = begin(o, app, false, err);
    if (!wk)
        return -1;
    if (interview)
        interview[0] = '\0';
    wk->interview = interview;
    int rc = run_loop(wk, script, err);
    if (rc == 0 && wk->interview_started)
        rc = 2;
    if (wk->quit) { /* the window was closed: the kiosk decides what that means */
        SDL_Event q = {.type = SDL_QUIT};
        SDL_PushEvent(&q);
    }
    end(wk);
    return rc;
}

int wui_run(const wui_opts *o, its_err *err)
{
    ui_app app;
    ui_draw_opts d = {o->w, o->h, !o->windowed && o->w == 0, false, NULL,
                      "Itsearvio \xE2\x80\x93 ty\xC3\xB6ntekij\xC3\xA4"};
    if (ui_app_open(&app, o->data_dir, o->lang ? o->lang : "fi", o->script, d, err) != 0)
        return -1;
    wui *wk = begin(o, &app, true, err);
    int rc = wk && run_loop(wk, app.sp, err) >= 0 ? 0 : -1;
    if (wk)
        end(wk);
    ui_app_close(&app);
    return rc;
}
