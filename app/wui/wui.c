/* wui.c — the worker's screens: state, unlock and lock, the frame, input and the event loop.
 *
 *   UNLOCK --right passphrase--> LIST --row--> DETAIL --"Muutos ajassa"--> TREND
 *     ^  \--wrong: "Väärä tunnuslause" (the store's growing wait shown in seconds)
 *     |                           <--back----        <--back---------------
 *     +--- lock button, Ctrl+L, idle time (default 5 min), closing: worker_session_lock ---+
 *
 * Invariants:
 *   1. W.ws (the unlocked index) exists only on LIST, DETAIL and TREND. Every way back to UNLOCK
 *      goes through lock(), which frees the list, the opened assessment, the trend and the
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
#include "ui_stop.h"

enum { GUARD_MS = 250, WARN_SECONDS = 30, IDLE_DEFAULT = 300 };

wui W;

/* ---- texts made for one layout ------------------------------------------------------------ */

const char *wui_keep(const char *s)
{
    return ui_app_keep(s);
}

const char *wui_tr(const char *key, const char *a, const char *b, const char *c)
{
    char buf[4096];
    ui_locale_format(buf, sizeof buf, key, a, b, c, (const char *)NULL);
    return wui_keep(buf);
}

const char *wui_fit(const char *s, int w, int px, bool bold)
{
    size_t len = strlen(s);
    if (ui_draw_text_width(s, len, px, bold) <= w)
        return wui_keep(s);
    char buf[512];
    its_strlcpy(buf, s, sizeof buf - 4);
    size_t n = strlen(buf);
    while (n > 0) {
        n--;
        while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80) /* whole characters */
            n--;
        memcpy(buf + n, "\xE2\x80\xA6", 4);                        /* … */
        if (ui_draw_text_width(buf, n + 3, px, bold) <= w)
            break;
    }
    return wui_keep(buf);
}

/* ---- sizes and building blocks -------------------------------------------------------------- */

static wui_size size_for(int w, int h)
{
    /* 1280x800 either way round is the reference: the short side / 800, the long one / 1280 */
    double shorter = w < h ? w : h, longer = w < h ? h : w;
    double s = shorter / 800.0 < longer / 1280.0 ? shorter / 800.0 : longer / 1280.0;
    s = s < 0.6 ? 0.6 : s;
    wui_size z = {w, h, (int)(20 * s + 0.5), (int)(17 * s + 0.5), (int)(26 * s + 0.5),
                  (int)(8 * s + 0.5), (int)(10 * s + 0.5), (int)(20 * s + 0.5), 0, 0};
    z.ctl = ui_draw_line_height(z.px, true) + 2 * z.pad;
    z.ctl = z.ctl < 44 ? 44 : z.ctl; /* a finger still hits it */
    z.ctl_small = ui_draw_line_height(z.small, false) + z.pad;
    z.ctl_small = z.ctl_small < 40 ? 40 : z.ctl_small;
    return z;
}

int wui_button_width_px(const char *label, unsigned flags, int px)
{
    int w = ui_draw_text_width(label, strlen(label), px, flags & UI_BOLD) + 2 * px;
    if (flags & UI_CHOICE)
        w += px * 7 / 5;
    return w;
}

int wui_button_width(const char *label, unsigned flags)
{
    return wui_button_width_px(label, flags, W.z.px);
}

int wui_button_px(ui_list *l, SDL_Rect at, const char *label, unsigned flags, wui_action a,
                  int arg, int px)
{
    at.w = wui_button_width_px(label, flags, px);
    ui_list_button(l, at, label, px, flags | ((flags & UI_CHOICE) ? 0 : UI_CENTER), (int)a, arg);
    return at.w;
}

int wui_button(ui_list *l, int x, int y, const char *label, unsigned flags, wui_action a, int arg)
{
    return wui_button_px(l, (SDL_Rect){x, y, 0, W.z.ctl}, label, flags, a, arg, W.z.px);
}

/* Signs the bundled Noto Sans has no glyph for (evidence texts use them), in plain ASCII. */
static const char *glyph_safe(const char *s)
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
    return wui_keep(buf);
}

int wui_text(ui_list *l, int x, int y, int w, const char *text, int px, unsigned flags)
{
    if (!text || !*text)
        return 0;
    return ui_list_text(l, x, y, w, glyph_safe(text), px, flags);
}

void wui_scroll_buttons(int y)
{
    const wui_size *z = &W.z;
    const char *down = ui_tr("wk_scroll_down"), *up = ui_tr("wk_scroll_up");
    int dw = wui_button_width(down, 0), uw = wui_button_width(up, 0);
    if (W.content_h > W.view.h) /* a rule where the scrolled text is cut */
        wui_deco_fill((SDL_Rect){0, W.view.y + W.view.h, z->w, 1}, UI_GREY, false);
    int x = z->w - z->margin; /* from the right: "down" outermost, "up" beside it */
    if (W.scroll + W.view.h < W.content_h) {
        x -= dw;
        wui_button(&W.top, x, y, down, 0, WA_SCROLL, 1);
        x -= z->gap;
    }
    if (W.scroll > 0)
        wui_button(&W.top, x - uw, y, up, 0, WA_SCROLL, -1);
}

int wui_field_box(ui_list *l, SDL_Rect r, wui_field f, const char *value, bool mask,
                  const char *placeholder)
{
    char shown[WUI_PASS_MAX * 3 + 8] = "";
    size_t n = strlen(value);
    int px = r.h >= W.z.ctl ? W.z.px : W.z.small;
    if (mask)
        for (size_t i = 0; i < n && i < WUI_PASS_MAX; i++)
            its_appendf(shown, sizeof shown, "\xE2\x80\xA2"); /* • */
    else
        its_strlcpy(shown, value, sizeof shown);
    if (W.field == f)
        its_appendf(shown, sizeof shown, "|"); /* the caret: where typing goes */
    /* a button, so a click gives it the keyboard; its label is what is typed */
    int pad = px * 2 / 5 + 1; /* the button's own padding */
    ui_list_button(l, r, wui_fit(shown, r.w - 2 * pad, px, false), px, 0, WA_FIELD, (int)f);
    if (!shown[0] && placeholder) /* what goes here, in grey over the empty box */
        wui_text(l, r.x + pad, r.y + (r.h - ui_draw_line_height(px, false)) / 2, r.w - 2 * pad,
                 wui_fit(placeholder, r.w - 2 * pad, px, false), px, UI_MUTED);
    if (W.field == f) { /* thick dark frame: this field has the keyboard (not only colour) */
        wui_deco *d = wui_deco_add(WD_FRAME, true);
        if (d) {
            d->r = (SDL_Rect){r.x - 3, r.y - 3, r.w + 6, r.h + 6};
            d->t = 3;
            d->c = UI_INK;
        }
    }
    return r.h;
}

void wui_set_view(SDL_Rect view)
{
    W.view = view;
}

void wui_say(const char *text, bool alert)
{
    its_strlcpy(W.message, text ? text : "", sizeof W.message);
    W.message_alert = alert;
    W.relayout = true;
}

static void arm_idle(void)
{
    ui_idle_arm(&W.idle, ui_clock_now());
    W.warning = false;
}

void wui_go(wui_screen s)
{
    W.screen = s;
    W.scroll = 0;
    W.message[0] = '\0';
    W.top.focus = -1;
    W.top.focus_action = 0;
    W.body.focus = -1;
    W.body.focus_action = 0;
    W.field = s == W_UNLOCK ? WF_PASS : WF_NONE;
    W.shown_at = ui_clock_now();
    W.relayout = true;
    arm_idle();
}

int wui_top_band(const char *heading, bool back)
{
    const wui_size *z = &W.z;
    int x = z->margin, y = z->margin;
    const char *lock = ui_tr("wk_lock");
    int lw = wui_button_width(lock, UI_BOLD);
    wui_button(&W.top, z->w - z->margin - lw, y, lock, UI_BOLD, WA_LOCK, 0);
    if (back)
        x += wui_button(&W.top, x, y, ui_tr("wk_back"), 0, WA_BACK, 0) + 2 * z->gap;
    int hw = z->w - z->margin - lw - 2 * z->gap - x;
    int lh = ui_draw_line_height(z->head, true);
    wui_text(&W.top, x, y + (z->ctl - lh) / 2, hw, wui_fit(heading, hw, z->head, true), z->head,
             UI_BOLD);
    int bottom = y + z->ctl + z->gap;
    wui_deco *d = wui_deco_add(WD_FILL, false);
    if (d) { /* a rule under the band */
        d->r = (SDL_Rect){0, bottom, z->w, 2};
        d->c = UI_GREY;
    }
    return bottom + z->gap + 2;
}

/* ---- unlock and lock ------------------------------------------------------------------------ */

static void build_unlock(void)
{
    const wui_size *z = &W.z;
    int bw = z->w - 2 * z->margin < z->px * 30 ? z->w - 2 * z->margin : z->px * 30;
    int x = (z->w - bw) / 2, y = z->h / 5;
    y += wui_text(&W.top, x, y, bw, ui_tr("wk_unlock_heading"), z->head, UI_BOLD) + z->gap;
    y += wui_text(&W.top, x, y, bw, ui_tr("wk_unlock_text"), z->px, 0) + 2 * z->gap;
    y += wui_text(&W.top, x, y, bw, ui_tr("wk_pass_label"), z->px, UI_BOLD) + z->gap / 2;
    y += wui_field_box(&W.top, (SDL_Rect){x, y, bw, z->ctl}, WF_PASS, W.pass, true, NULL) + z->gap;
    if (W.message[0])
        y += wui_text(&W.top, x, y, bw, W.message, z->px,
                      W.message_alert ? UI_ALERT | UI_BOLD : UI_MUTED) + z->gap;
    if (W.o->hint)
        y += wui_text(&W.top, x, y, bw, wui_tr("wk_demo_hint", W.o->hint, NULL, NULL), z->px,
                      UI_MUTED) + z->gap;
    y += z->gap;
    const char *open = ui_tr("wk_unlock");
    int ow = wui_button_width(open, UI_BOLD);
    wui_button(&W.top, x + bw - ow, y, open, UI_PRIMARY | UI_BOLD, WA_UNLOCK, 0);
    wui_button(&W.top, x, y, ui_tr("wk_close"), 0, WA_CLOSE, 0);
}

/* Frees everything the unlocked screens hold and locks (invariant 1). */
static void lock(void)
{
    wui_detail_close();
    wui_trend_close();
    free(W.rows);
    W.rows = NULL;
    W.counts = (worker_counts){0};
    its_wipe(W.client, sizeof W.client);
    its_wipe(W.client_on, sizeof W.client_on);
    its_wipe(W.date_from, sizeof W.date_from);
    its_wipe(W.date_to, sizeof W.date_to);
    its_wipe(W.note, sizeof W.note);
    sodium_memzero(W.pass, sizeof W.pass);
    W.filter = worker_filter_all();
    W.period = 0;
    W.qn_filter = -1;
    W.n_qids = 0;
    worker_session_lock(W.ws);
    W.ws = NULL;
    wui_go(W_UNLOCK);
}

/* The store's answer in the worker's words: a wrong passphrase and the wait, plainly. */
static void unlock_failed(const its_err *why)
{
    if (why->code != ITS_E_WRONG_PASSPHRASE && why->code != ITS_E_LOCKED_OUT) {
        wui_say(wui_tr("wk_unlock_failed", why->msg, NULL, NULL), true);
        return;
    }
    int wait = 0;
    store *st = NULL;
    its_err err;
    if (store_open(W.o->dir, &st, &err) == 0)
        wait = store_unlock_wait(st);
    store_close(st);
    char secs[16];
    snprintf(secs, sizeof secs, "%d", wait);
    if (why->code == ITS_E_LOCKED_OUT)
        wui_say(wui_tr("wk_wait", secs, NULL, NULL), true);
    else if (wait > 0)
        wui_say(wui_tr("wk_wrong_pass_wait", secs, NULL, NULL), true);
    else
        wui_say(ui_tr("wk_wrong_pass"), true);
}

static void render(void);

/* The distinct values of one field of the readable records (at most max, each `size` bytes at
 * out), for the list's filter buttons; returns how many. */
static int collect_distinct(size_t field, char *out, size_t size, int max)
{
    int n = 0;
    for (int i = 0; i < worker_count(W.ws); i++) {
        const worker_entry *e = worker_entry_at(W.ws, i);
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
static void collect_qids(void)
{
    W.n_qids = collect_distinct(offsetof(worker_entry, qid), W.qids[0], sizeof W.qids[0], 8);
    size_t size = sizeof W.places[0][0];
    W.n_places[0] = collect_distinct(offsetof(worker_entry, site), W.places[0][0], size, 8);
    W.n_places[1] = collect_distinct(offsetof(worker_entry, device), W.places[1][0], size, 8);
    W.place_filter[0] = W.place_filter[1] = -1;
}

static void unlock(void)
{
    if (!W.pass[0]) {
        wui_say(ui_tr("wk_pass_empty"), true);
        return;
    }
    wui_say(ui_tr("wk_opening"), false); /* opening thousands of records takes a moment */
    render();
    /* the questionnaires are read from DATA/questionnaires (worker_session_open's default) */
    worker_open_opts wo = {.dir = W.o->dir, .passphrase = W.pass, .data = W.o->data_dir,
                           .lang = ui_locale_lang()};
    its_err err = {0};
    int rc = worker_session_open(&wo, &W.ws, &err);
    sodium_memzero(W.pass, sizeof W.pass); /* invariant 2 */
    if (rc != 0) {
        W.ws = NULL;
        unlock_failed(&err);
        return;
    }
    W.filter = worker_filter_all();
    W.qn_filter = -1;
    W.selected = -1;
    collect_qids();
    wui_go(W_LIST);
    wui_list_reload();
}

/* ---- what the buttons do ---------------------------------------------------------------- */

char *wui_field_text(size_t *cap)
{
    switch (W.field) {
    case WF_PASS: *cap = sizeof W.pass; return W.pass;
    case WF_CLIENT: *cap = sizeof W.client; return W.client;
    case WF_NOTE: *cap = sizeof W.note; return W.note;
    case WF_FROM: *cap = sizeof W.date_from; return W.date_from;
    case WF_TO: *cap = sizeof W.date_to; return W.date_to;
    default: *cap = 0; return NULL;
    }
}

static void type_text(const char *s)
{
    size_t cap;
    char *dst = wui_field_text(&cap);
    if (!dst)
        return;
    size_t n = strlen(dst), add = strlen(s);
    if (n + add + 1 > cap)
        return;
    memcpy(dst + n, s, add + 1);
    if (W.field == WF_PASS && W.message_alert)
        W.message[0] = '\0'; /* a new try: the old message goes */
    W.relayout = true;
}

static void erase_char(void)
{
    size_t cap;
    char *dst = wui_field_text(&cap);
    size_t n = dst ? strlen(dst) : 0;
    if (n == 0)
        return;
    n--;
    while (n > 0 && ((unsigned char)dst[n] & 0xC0) == 0x80) /* a whole character */
        n--;
    its_wipe(dst + n, strlen(dst + n));
    W.relayout = true;
}

static void act(wui_action a, int arg)
{
    switch (a) {
    case WA_UNLOCK:
        unlock();
        return;
    case WA_CLOSE:
        W.closed = true;
        return;
    case WA_LOCK:
        lock();
        return;
    case WA_FIELD: /* typing goes here now, and Enter finishes it */
        W.field = (wui_field)arg;
        W.top.focus = W.body.focus = -1;
        W.top.focus_action = W.body.focus_action = 0;
        W.relayout = true;
        return;
    case WA_CONTINUE:
        arm_idle();
        W.relayout = true;
        return;
    case WA_SCROLL: {
        int step = W.view.h * 4 / 5;
        W.scroll += arg * step;
        int max = W.content_h - W.view.h;
        W.scroll = W.scroll > max ? max : W.scroll;
        W.scroll = W.scroll < 0 ? 0 : W.scroll;
        W.relayout = true;
        return;
    }
    case WA_BACK:
        if (W.screen == W_TREND) {
            wui_trend_close();
            W.screen = W.has_detail ? W_DETAIL : W_LIST;
            W.scroll = 0;
            W.relayout = true;
        } else if (W.screen == W_DETAIL) {
            wui_detail_close();
            wui_go(W_LIST);
        }
        return;
    case WA_TREND:
        wui_trend_open();
        return;
    default:
        break;
    }
    if (W.screen == W_LIST)
        wui_list_act(a, arg);
    else if (W.screen == W_DETAIL)
        wui_detail_act(a, arg);
}

/* ---- layout and drawing -------------------------------------------------------------------- */

static void build_warning(void)
{
    const wui_size *z = &W.z;
    ui_list_begin_modal(&W.top);
    int bw = z->px * 26 < z->w - 2 * z->margin ? z->px * 26 : z->w - 2 * z->margin;
    char secs[16];
    snprintf(secs, sizeof secs, "%d", W.warning_secs);
    const char *text = wui_tr(W.screen == W_UNLOCK ? "wk_idle_unlock" : "wk_idle_text", secs,
                              NULL, NULL);
    int inner = bw - 2 * z->margin;
    int th = ui_text_height(&W.top, text, inner, z->px, true);
    int h = th + z->ctl + 2 * z->margin + z->gap;
    SDL_Rect box = {(z->w - bw) / 2, (z->h - h) / 2, bw, h};
    ui_list_panel(&W.top, box);
    wui_text(&W.top, box.x + z->margin, box.y + z->margin, inner, text, z->px, UI_BOLD);
    const char *go_on = ui_tr("wk_idle_continue");
    wui_button(&W.top, box.x + z->margin, box.y + z->margin + th + z->gap, go_on,
               UI_PRIMARY | UI_BOLD, WA_CONTINUE, 0);
}

static void layout(void)
{
    int w, h;
    ui_draw_size(&w, &h);
    W.z = size_for(w, h);
    ui_app_keep_reset();
    W.n_deco = 0;
    W.deco_body = false;
    W.view = (SDL_Rect){0, 0, w, h};
    ui_list_clear(&W.top);
    ui_list_clear(&W.body);
    switch (W.screen) {
    case W_UNLOCK:
        build_unlock();
        break;
    case W_LIST:
        wui_list_build();
        break;
    case W_DETAIL:
        wui_detail_build();
        break;
    case W_TREND:
        wui_trend_build();
        break;
    }
    if (W.warning)
        build_warning();
    W.relayout = false;
    W.redraw = true;
}

static void render(void)
{
    if (W.relayout)
        layout();
    if (!W.redraw)
        return;
    SDL_Renderer *r = SDL_GetRenderer(ui_draw_window());
    ui_draw_clear(UI_PAPER);
    wui_deco_draw(false, false);
    wui_deco_draw(false, true);
    SDL_RenderSetClipRect(r, &W.view);
    ui_list_draw(&W.body);
    SDL_RenderSetClipRect(r, NULL);
    wui_deco_draw(true, true);
    ui_list_draw(&W.top); /* over the scrolled area, with the idle warning's shade */
    wui_deco_draw(true, false);
    ui_draw_present();
    W.redraw = false;
}

/* ---- input ------------------------------------------------------------------------------- */

static bool in_rect(SDL_Rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static void fire(ui_list *l, int i)
{
    if (i < 0 || i >= l->n)
        return;
    arm_idle();
    act((wui_action)l->w[i].action, l->w[i].arg);
    W.redraw = true;
}

static void handle_pointer(ui_ptr p)
{
    uint64_t now = ui_clock_now();
    if (p.kind == UI_PTR_DOWN) {
        if (now - W.shown_at < GUARD_MS)
            return;
        if (!W.warning)
            arm_idle();
    }
    /* a press goes to the fixed widgets, else to the scrolled ones inside their area */
    int fired = -1;
    ui_list *l = &W.top;
    if (p.kind == UI_PTR_DOWN) {
        fired = ui_list_pointer(&W.top, p);
        if (W.top.pressed < 0 && !W.top.modal && in_rect(W.view, p.x, p.y))
            ui_list_pointer(&W.body, p);
    } else {
        l = W.body.pressed >= 0 ? &W.body : &W.top;
        fired = ui_list_pointer(l, p);
    }
    W.redraw = true;
    if (fired >= 0) {
        fire(l, fired);
        return;
    }
    if (p.kind == UI_PTR_UP && W.screen == W_LIST && !W.warning && wui_list_click(p.x, p.y))
        arm_idle();
}

static void focus_step_lists(int step);

/* Tab moves the keyboard focus over the fixed buttons, then the scrolled ones; a scrolled one
 * that gets the focus is scrolled into view. */
static void focus_step(int step)
{
    focus_step_lists(step);
    if (W.body.focus < 0 || W.body.focus >= W.body.n || W.content_h <= W.view.h)
        return;
    SDL_Rect r = W.body.w[W.body.focus].r;
    int gap = W.z.gap * 2;
    if (r.y < W.view.y + gap)
        W.scroll -= W.view.y + gap - r.y;
    else if (r.y + r.h > W.view.y + W.view.h - gap)
        W.scroll += r.y + r.h - (W.view.y + W.view.h - gap);
    else
        return;
    act(WA_SCROLL, 0); /* clamps and lays out again; the focus follows its action */
}

static void focus_step_lists(int step)
{
    ui_list *a = W.top.focus >= 0 ? &W.top : W.body.focus >= 0 ? &W.body : NULL;
    if (!a) {
        ui_list_focus_move(step > 0 ? &W.top : &W.body, step);
        return;
    }
    int before = a->focus;
    int now = ui_list_focus_move(a, step);
    bool wrapped = now < 0 || (step > 0 ? now <= before : now >= before);
    ui_list *b = a == &W.top ? &W.body : &W.top;
    if (wrapped && !W.top.modal && b->n > 0) {
        a->focus = -1;
        if (ui_list_focus_move(b, step) < 0)
            ui_list_focus_move(a, step);
    }
}

/* Enter: what is being typed is done first; else the focused button; else the screen's own. */
static void handle_enter(void)
{
    if (W.field == WF_CLIENT || W.field == WF_FROM || W.field == WF_TO) {
        act(WA_CLIENT_APPLY, 0);
    } else if (W.field == WF_NOTE) {
        act(WA_NOTE_SAVE, 0);
    } else if (W.top.focus >= W.top.modal && W.top.focus >= 0) {
        fire(&W.top, W.top.focus); /* on the unlock screen "Sulje" can be chosen with Tab */
    } else if (W.body.focus >= 0 && !W.top.modal) {
        fire(&W.body, W.body.focus);
    } else if (W.field == WF_PASS) {
        act(WA_UNLOCK, 0);
    } else if (W.screen == W_LIST) {
        wui_list_key(SDLK_RETURN);
    } else {
        fire(&W.top, ui_list_find_primary(&W.top));
    }
}

static void handle_key(const SDL_KeyboardEvent *k)
{
    SDL_Keycode sym = k->keysym.sym;
    bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0;
    W.redraw = true;
    if (W.warning) {
        arm_idle();
        W.relayout = true;
        return; /* the key only stops the countdown */
    }
    arm_idle();
    if (ctrl && sym == SDLK_l) {
        if (W.ws)
            lock();
        return;
    }
    if (ctrl && sym == SDLK_f && W.screen == W_LIST) { /* find a client */
        W.field = WF_CLIENT;
        W.relayout = true;
        return;
    }
    switch (sym) {
    case SDLK_TAB:
        focus_step((k->keysym.mod & KMOD_SHIFT) ? -1 : 1);
        return;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        handle_enter();
        return;
    case SDLK_BACKSPACE:
        erase_char();
        return;
    case SDLK_ESCAPE:
        if (W.field == WF_NOTE)
            act(WA_NOTE_CANCEL, 0);
        else if (W.field != WF_NONE && W.screen != W_UNLOCK)
            W.field = WF_NONE;
        else if (W.screen == W_DETAIL || W.screen == W_TREND)
            act(WA_BACK, 0);
        W.relayout = true;
        return;
    default:
        break;
    }
    if (W.field != WF_NONE)
        return; /* other keys are text */
    if (W.screen == W_LIST) {
        wui_list_key(sym);
    } else if (W.screen == W_DETAIL || W.screen == W_TREND) {
        if (sym == SDLK_PAGEDOWN || sym == SDLK_SPACE)
            act(WA_SCROLL, 1);
        else if (sym == SDLK_PAGEUP)
            act(WA_SCROLL, -1);
        else if (sym == SDLK_DOWN || sym == SDLK_UP) {
            W.scroll += (sym == SDLK_DOWN ? 1 : -1) * W.z.ctl;
            act(WA_SCROLL, 0); /* clamps */
        } else if (sym == SDLK_HOME || sym == SDLK_END) {
            W.scroll = sym == SDLK_HOME ? 0 : W.content_h;
            act(WA_SCROLL, 0);
        }
    }
}

static void handle_wheel(int y)
{
    arm_idle();
    if (W.screen == W_LIST) {
        wui_list_key(y > 0 ? SDLK_UP : SDLK_DOWN);
    } else {
        W.scroll -= y * 3 * W.z.ctl / 2;
        act(WA_SCROLL, 0);
    }
}

static void handle_event(const SDL_Event *e)
{
    int w, h;
    ui_draw_size(&w, &h);
    ui_ptr p = ui_input_pointer(&W.input, e, w, h);
    if (p.kind != UI_PTR_NONE)
        handle_pointer(p);
    else if (e->type == SDL_KEYDOWN)
        handle_key(&e->key);
    else if (e->type == SDL_TEXTINPUT && !W.warning) {
        arm_idle();
        type_text(e->text.text);
    } else if (e->type == SDL_MOUSEWHEEL)
        handle_wheel(e->wheel.y);
    else if (e->type == SDL_WINDOWEVENT) {
        W.relayout |= e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED;
        W.redraw = true;
    } else if (e->type == SDL_QUIT)
        W.quit = true;
}

/* Idle (invariant 3); returns ms until it needs looking at again (-1 never). */
static int64_t idle_tick(void)
{
    uint64_t now = ui_clock_now();
    ui_idle_state st = ui_idle_state_at(&W.idle, now);
    if (st == UI_IDLE_EXPIRED) {
        W.warning = false;
        if (W.ws) {
            lock();
            wui_say(ui_tr("wk_locked_idle"), false);
        } else if (!W.own_window) {
            W.closed = true; /* inside the kiosk: back to the client's screens */
        } else {
            sodium_memzero(W.pass, sizeof W.pass);
            wui_go(W_UNLOCK);
        }
    } else if (st == UI_IDLE_WARNING) {
        int secs = ui_idle_seconds_left(&W.idle, now);
        if (!W.warning || secs != W.warning_secs) {
            W.warning = true;
            W.warning_secs = secs;
            W.relayout = true;
        }
    }
    return ui_idle_wait_ms(&W.idle, ui_clock_now());
}

/* ---- the script host ------------------------------------------------------------------------ */

static bool visible(const ui_widget *w)
{
    SDL_Rect in;
    return SDL_IntersectRect(&w->r, &W.view, &in) || w->r.h == 0;
}

/* The button under a fixed text with this label (a field's grey placeholder), or -1. */
static int find_under_text(const char *label)
{
    for (int i = W.top.n - 1; i >= W.top.modal; i--) {
        const ui_widget *t = &W.top.w[i];
        if (t->kind != UI_TEXT || strcmp(t->text, label) != 0)
            continue;
        for (int k = i - 1; k >= W.top.modal; k--)
            if (W.top.w[k].kind == UI_BUTTON && SDL_HasIntersection(&t->r, &W.top.w[k].r))
                return k;
    }
    return -1;
}

static int host_find(void *ctx, const char *label, SDL_Rect *r)
{
    int i = ui_list_find(&W.top, label);
    if (i < 0)
        i = find_under_text(label);
    if (i >= 0) {
        *r = W.top.w[i].r;
        return 0;
    }
    /* buttons, then (so `seek` can scroll to an answer) whole texts, of the scrolled area */
    for (int pass = 0; pass < 2 && !W.top.modal; pass++)
        for (int k = W.body.n - 1; k >= 0; k--) {
            const ui_widget *w = &W.body.w[k];
            bool whole = w->r.y >= W.view.y && w->r.y + w->r.h <= W.view.y + W.view.h;
            if ((w->kind == UI_BUTTON) == (pass == 0) && !strcmp(w->text, label) &&
                (pass == 0 ? visible(w) : whole)) {
                *r = w->r;
                return 0;
            }
        }
    return W.screen == W_LIST && !W.top.modal ? wui_list_find_row(label, r) : -1;
}

static int host_find_more(void *ctx, SDL_Rect *r)
{
    for (int i = W.top.n - 1; i >= W.top.modal; i--) {
        const ui_widget *w = &W.top.w[i];
        if (w->kind == UI_BUTTON && w->arg == 1 &&
            (w->action == WA_SCROLL || w->action == WA_PAGE)) {
            *r = w->r;
            return 0;
        }
    }
    return -1;
}

static bool host_shows(void *ctx, const char *text)
{
    if (ui_list_shows(&W.top, text))
        return true;
    for (int i = 0; i < W.body.n && !W.top.modal; i++)
        if (visible(&W.body.w[i]) && strstr(W.body.w[i].text, text))
            return true;
    return false;
}

static int host_shot(void *ctx, const char *path, its_err *err)
{
    W.redraw = true;
    render();
    return ui_draw_save_png(path, err);
}

static void host_advance(void *ctx, int ms)
{
    ui_clock_advance((uint64_t)ms);
}

static void host_dump(void *ctx)
{
    fprintf(stderr, "on the worker's screen:\n");
    ui_list_dump(&W.top, stderr);
    for (int i = 0; i < W.body.n; i++)
        if (visible(&W.body.w[i]))
            fprintf(stderr, "  %s \"%s\"\n", W.body.w[i].kind == UI_BUTTON ? "button" : "text",
                    W.body.w[i].text);
}

/* ---- the loop ---------------------------------------------------------------------------- */

/* 0 closed, 1 the script ended, -1 a script line failed. Events are handled one at a time with
 * a frame after each; a script line runs only when nothing is queued. */
static int run_loop(ui_script *script, its_err *err)
{
    ui_script_host host = {NULL,      host_find,    host_shows, host_find_more,
                           host_shot, host_advance, host_dump};
    while (!W.quit && !W.closed && !ui_stop_requested()) {
        int64_t wait = idle_tick();
        render();
        SDL_Event e;
        if (W.closed || SDL_PollEvent(&e)) {
            if (!W.closed)
                handle_event(&e);
            continue;
        }
        if (!script) { /* people: sleep until input or the next idle deadline */
            int ms = wait < 0 ? -1 : wait > INT32_MAX ? INT32_MAX : (int)wait;
            if (SDL_WaitEventTimeout(&e, ms))
                handle_event(&e);
            continue;
        }
        int rc = ui_script_step(script, &host, err);
        if (rc == 2)
            script = NULL; /* hold: go on without it */
        else if (rc != 0)
            return rc;
    }
    return 0;
}

static void begin(const wui_opts *o, bool own)
{
    memset(&W, 0, sizeof W);
    W.o = o;
    W.own_window = own;
    W.qn_filter = -1;
    W.selected = -1;
    W.note_flag = -1;
    W.filter = worker_filter_all();
    ui_list_init(&W.top);
    ui_list_init(&W.body);
    W.top.max_chars = W.body.max_chars = 90; /* a worker's screen: wider lines are fine */
    int idle = o->idle_seconds > 0 ? o->idle_seconds : IDLE_DEFAULT;
    int warn = idle >= 2 * WARN_SECONDS ? WARN_SECONDS : 0;
    ui_idle_init(&W.idle, (uint64_t)(idle - warn) * 1000u, (uint64_t)warn * 1000u);
    wui_go(W_UNLOCK);
    sodium_mlock(W.pass, sizeof W.pass); /* the typed passphrase never goes to swap */
}

static void end(void)
{
    if (W.ws)
        lock();
    sodium_munlock(W.pass, sizeof W.pass); /* wipes it, then unlocks */
    ui_list_free(&W.top);
    ui_list_free(&W.body);
}

int wui_run_in_window(const wui_opts *o, ui_script *script, its_err *err)
{
    char before[8];
    its_strlcpy(before, ui_locale_lang(), sizeof before);
    ui_theme_id theme = ui_theme_current(); /* the client's choice is not the worker's */
    ui_theme_set(UI_THEME_LIGHT);
    ui_locale_set(o->lang ? o->lang : "fi");
    begin(o, false);
    int rc = run_loop(script, err);
    if (W.quit) { /* the window was closed: the kiosk decides what that means */
        SDL_Event q = {.type = SDL_QUIT};
        SDL_PushEvent(&q);
    }
    end();
    ui_locale_set(before);
    ui_theme_set(theme);
    return rc;
}

int wui_run(const wui_opts *o, its_err *err)
{
    ui_app app;
    ui_draw_opts d = {o->w, o->h, !o->windowed && o->w == 0, false, NULL,
                      "Itsearvio \xE2\x80\x93 ty\xC3\xB6ntekij\xC3\xA4"};
    if (ui_app_open(&app, o->data_dir, o->lang ? o->lang : "fi", o->script, d, err) != 0)
        return -1;
    begin(o, true);
    int rc = run_loop(app.sp, err) < 0 ? -1 : 0;
    end();
    ui_app_close(&app);
    return rc;
}
