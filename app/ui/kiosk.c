/* kiosk.c — the client's screens over the kiosk's state machine (app/core/flow.h: the screens,
 * every transition and the assessment's invariants are described there and tested in
 * tests/unit/test_flow.c).
 *
 * This file draws the machine's current screen (build_* and layout), turns taps, keys and the
 * idle clock into the machine's events (send_event, idle_tick), and carries out the effects a
 * step returns (apply): drafts and results through the sink, the language and colours, speech,
 * the idle clock. Nothing here decides where the client goes next.
 *
 * What stays here because it is about a screen and a finger rather than the assessment:
 *   1. A button acts on release; a press started on an earlier screen never acts on a new one,
 *      and presses in the first 250 ms of a new screen are ignored (a double tap on "next"
 *      answers one question, a double tap on "send" sends once).
 *   2. The idle deadlines (ui_idle.h): idle_tick turns them into IDLE_WARNING, IDLE_QUIET and
 *      IDLE_EXPIRED; what those do (the wipe) is flow.c's expire().
 *   3. Read-aloud, the hidden worker gesture, benchmarks and the script host.
 *
 * Adding a screen: after the steps in flow.h, write build_<name>(struct kiosk *, ui_page *) and put it in
 * layout(k)'s table; a button's action is the machine's event (FLOW_EV_*), its arg the event's.
 */
#include "kiosk.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow.h"
#include "kiosk_question.h"
#include "speech.h"
#include "speech_words.h"
#include "ui_app.h"
#include "ui_audio.h"
#include "ui_draw.h"
#include "ui_idle.h"
#include "ui_input.h"
#include "ui_locale.h"
#include "ui_loop.h"
#include "ui_script.h"
#include "ui_widget.h"

enum {
    GUARD_MS = 250,          /* presses ignored this long after a screen or part change */
    KEY_TEN_MS = 1000,       /* "1" then "0" within this time types 10 on a 0-10 row */
    LONG_PRESS_MS = 3000,    /* hidden worker gesture in the top-left corner */
    KIOSK_READ = FLOW_EV_COUNT /* "Lue ääneen": a button of the screen, not of the machine */
};

/* One run of the kiosk: made by kiosk_run, handed to every function here as `k` (and to the
 * common loop as the screen's `self`); nothing else in this file changes. */
struct kiosk {
    const kiosk_opts *o;
    flow_config fc;
    flow f;                /* the assessment: screen, answers, the client's choices */
    /* the screen */
    ui_app *ui;            /* the context: window, texts, clock, sound (ui_app.h) */
    ui_locale *loc;        /* &ui->loc: the client's language */
    int page;              /* which part of a long page is shown */
    ui_list list;
    ui_idle idle;
    bool speak;            /* read-aloud available: espeak-ng and a sound device */
    bool read_pending;     /* read-all: the screen shown now has not been read yet */
    uint64_t sound_until;  /* clock time when the sound playing now ends; 0 none */
    bool relayout, redraw, quit;
    bool probed;           /* read-aloud looked for (after the first frame) */
    uint64_t shown_at;
    uint64_t corner_at;    /* press time in the worker corner, 0 none */
    int key_number, key_item; /* the number typed last on a row of number keys, and where */
    uint64_t key_at;       /* and when: "1" then "0" soon after is 10 */
    bool open_worker;      /* the gesture was made: the loop hands over to o->worker */
    /* benchmark figures (ITS_BENCH=1) */
    bool bench, first_frame_done, first_question_done;
    uint64_t tap_t0;
    double *lat;
    int n_lat, cap_lat;
};

/* ---- small helpers ------------------------------------------------------------------------ */

static const qn *cur_qn(struct kiosk *k)
{
    return flow_qn(&k->f);
}

static int qn_lang(struct kiosk *k, const qn *q)
{
    return flow_qn_lang(&k->f, q);
}

static const char *qtext(struct kiosk *k, const qn_text *t)
{
    return qn_text_get(t, qn_lang(k, cur_qn(k)));
}

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint32_t random_bits(void)
{
    uint32_t x = (uint32_t)mono_ns() ^ (uint32_t)time(NULL);
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(&x, sizeof x, 1, f) != 1)
            x ^= 0x9E3779B9u;
        fclose(f);
    }
    return x;
}

/* ---- screens: each fills a page description; ui_page_layout places it -------------------- */

static const char *pool_put(struct kiosk *k, const char *s) /* kept until the next layout (ui_app.h) */
{
    return ui_app_keep(k->ui, s);
}

/* A locale text with up to two placeholders filled. */
static const char *tr2(struct kiosk *k, const char *key, const char *a, const char *b)
{
    return ui_app_tr(k->ui, k->loc, key, a, b, NULL);
}

static const char *num(struct kiosk *k, int v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", v);
    return pool_put(k, buf);
}

static void heading(ui_page *p, const char *text)
{
    p->heading = text;
    p->heading_flags = UI_BOLD | UI_LARGE;
}

static void build_start(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "start_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "start_text"), 0);
    ui_page_add_text(p, tr2(k, "text_size", num(k, k->f.text_percent), NULL), 0);
    char key[32];
    snprintf(key, sizeof key, "theme_%s", ui_theme_at((ui_theme_id)k->f.theme)->name);
    ui_page_add_text(p, tr2(k, "theme_text", ui_tr(k->loc, key), NULL), 0);
    const char *const *codes;
    int n = ui_locale_langs(k->loc, &codes);
    for (int i = 0; i < n; i++) { /* each language by its own name */
        bool cur = !strcmp(codes[i], ui_locale_lang(k->loc));
        ui_page_add_choice(p, ui_locale_name(k->loc, codes[i]), UI_CHOICE | (cur ? UI_SELECTED : 0),
                           FLOW_EV_LANG, i);
    }
    if (k->speak)
        ui_page_add_choice(p, ui_tr(k->loc, "read_all"), UI_CHOICE | (k->f.read_all ? UI_SELECTED : 0),
                           FLOW_EV_READ_ALL, 0);
    ui_page_add_choice(p, ui_tr(k->loc, "theme_change"), 0, FLOW_EV_THEME, 0);
    /* text size in the bottom row: always in the same place, whatever the size */
    ui_page_add_nav(p, ui_tr(k->loc, "text_smaller"), 0, FLOW_EV_SMALLER);
    ui_page_add_nav(p, ui_tr(k->loc, "text_bigger"), 0, FLOW_EV_BIGGER);
    ui_page_add_nav(p, ui_tr(k->loc, "start_button"), UI_PRIMARY, FLOW_EV_START);
}

static void build_resume(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "resume_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "resume_text"), 0);
    ui_page_add_choice(p, ui_tr(k->loc, "resume_yes"), 0, FLOW_EV_RESUME_YES, 0);
    ui_page_add_choice(p, ui_tr(k->loc, "resume_no"), 0, FLOW_EV_RESUME_NO, 0);
}

static void build_info(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "info_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "info_who"), 0);
    ui_page_add_text(p, ui_tr(k->loc, "info_device"), 0);
    uint64_t secs = k->idle.limit_ms / 1000;
    if (secs % 60 == 0)
        ui_page_add_text(p, tr2(k, "info_idle_minutes", num(k, (int)(secs / 60)), NULL), UI_BOLD);
    else
        ui_page_add_text(p, tr2(k, "info_idle_seconds", num(k, (int)secs), NULL), UI_BOLD);
    ui_page_add_text(p, ui_tr(k->loc, "info_help"), 0);
    ui_page_add_nav(p, ui_tr(k->loc, "back"), 0, FLOW_EV_BACK);
    ui_page_add_nav(p, ui_tr(k->loc, "next"), UI_PRIMARY, FLOW_EV_NEXT);
}

/* The research question: optional, nothing pre-selected, yes and no alike (flow.h invariant 8);
 * a choice made earlier shows as selected when the client comes back. */
static void build_consent(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "consent_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "consent_text"), 0);
    ui_page_add_text(p, ui_tr(k->loc, "consent_no_effect"), UI_BOLD);
    ui_page_add_text(p, ui_tr(k->loc, "consent_withdraw"), 0);
    unsigned yes = k->f.research == FLOW_RESEARCH_YES ? UI_SELECTED : 0;
    unsigned no = k->f.research == FLOW_RESEARCH_NO ? UI_SELECTED : 0;
    ui_page_add_choice(p, ui_tr(k->loc, "consent_yes"), UI_CHOICE | yes, FLOW_EV_CONSENT, FLOW_RESEARCH_YES);
    ui_page_add_choice(p, ui_tr(k->loc, "consent_no"), UI_CHOICE | no, FLOW_EV_CONSENT, FLOW_RESEARCH_NO);
    ui_page_add_nav(p, ui_tr(k->loc, "back"), 0, FLOW_EV_BACK);
}

static void build_ident(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "ident_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "ident_text"), 0);
    ui_page_add_text(p, ui_tr(k->loc, "ident_anon_text"), 0);
    ui_page_add_choice(p, ui_tr(k->loc, "ident_code"), 0, FLOW_EV_CODE_YES, 0);
    ui_page_add_choice(p, ui_tr(k->loc, "ident_anon"), 0, FLOW_EV_ANON, 0);
    ui_page_add_nav(p, ui_tr(k->loc, "back"), 0, FLOW_EV_BACK);
}

static void build_code(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "code_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "code_text"), 0);
    /* seven places a person can count, "K 7 _ _ _ _ _", an en space (U+2002) apart: wide enough
     * to see, and never a place to wrap the line */
    char shown[CLIENTCODE_LEN * 4] = "";
    size_t n = strlen(k->f.typed);
    for (size_t i = 0; i < CLIENTCODE_LEN; i++)
        its_appendf(shown, sizeof shown, "%s%c", i ? "\xE2\x80\x82" : "", i < n ? k->f.typed[i] : '_');
    ui_page_add_text(p, pool_put(k, shown), UI_FRAME | UI_BOLD);
    ui_page_set_message(p, k->f.message ? tr2(k, k->f.message, k->f.message_arg, NULL) : "", UI_ALERT);
    p->message_lines = 2; /* "Koodi ei ole oikein. Tarkista koodi…" at 200 % */
    p->grid = true;
    for (const char *c = CLIENTCODE_ALPHABET; *c; c++) {
        char key[2] = {*c, '\0'};
        ui_page_add_choice(p, pool_put(k, key), UI_CENTER | UI_BOLD, FLOW_EV_KEY, *c);
    }
    ui_page_add_nav(p, ui_tr(k->loc, "back"), 0, FLOW_EV_BACK);
    ui_page_add_nav(p, ui_tr(k->loc, "code_erase"), 0, FLOW_EV_ERASE);
    ui_page_add_nav(p, ui_tr(k->loc, "code_done"), UI_PRIMARY, FLOW_EV_CODE_DONE);
}

static void build_choose(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "choose_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "choose_text"), 0);
    for (int i = 0; i < k->o->n_qns; i++) {
        const qn *q = k->o->qns[i];
        ui_page_add_choice(p, qn_text_get(qn_client_title(q), qn_lang(k, q)), 0, FLOW_EV_CHOOSE, i);
    }
    ui_page_add_nav(p, ui_tr(k->loc, "back"), 0, FLOW_EV_BACK);
}

static void build_intro(struct kiosk *k, ui_page *p)
{
    const qn *q = cur_qn(k);
    heading(p, qtext(k, qn_client_title(q)));
    ui_page_add_text(p, qtext(k, &q->intro), 0);
    ui_page_add_text(p, qtext(k, &q->recall), UI_BOLD);
    ui_page_add_nav(p, ui_tr(k->loc, "back"), 0, FLOW_EV_BACK);
    ui_page_add_nav(p, ui_tr(k->loc, "intro_start"), UI_PRIMARY, FLOW_EV_BEGIN);
    p->main_on_last = true; /* "Aloita kysely" once the last sentence has been on screen */
}

/* The answer to an item in words, for REVIEW. */
static const char *answer_words(struct kiosk *k, int item)
{
    const qn *q = cur_qn(k);
    const qn_scale *sc = &q->scales[q->items[item].scale];
    qn_answer a = k->f.s.answers[item];
    switch (a.state) {
    case QN_ANS_REFUSED:
        return ui_tr(k->loc, "refuse");
    case QN_ANS_NA:
        return sc->allow_na ? qtext(k, &sc->na_label) : ui_tr(k->loc, "review_na");
    case QN_ANS_NONE:
        return ui_tr(k->loc, "review_none");
    default:
        break;
    }
    char buf[512] = "";
    if (sc->kind == QN_SCALE_NUMBER)
        snprintf(buf, sizeof buf, "%d %s", a.value, qtext(k, &sc->unit));
    else if (sc->kind == QN_SCALE_MULTI) {
        for (int j = 0; j < sc->n_options; j++)
            if ((unsigned)a.value & (1u << j))
                its_appendf(buf, sizeof buf, "%s%s", buf[0] ? ", " : "",
                            qtext(k, &sc->options[j].label));
    } else {
        const char *l = qn_option_label(q, item, a.value, qn_lang(k, q));
        its_strlcpy(buf, l ? l : "", sizeof buf);
    }
    return pool_put(k, buf);
}

/* The question's page is kiosk_question.c's (shared with the layout test). */
static void build_question(struct kiosk *k, ui_page *p)
{
    const qn *q = cur_qn(k);
    int w, h;
    ui_draw_size(k->ui->draw, &w, &h);
    kiosk_question in = {k->ui, k->loc, q, qn_lang(k, q), k->f.s.pos, 0, 0,
                         k->f.s.answers[k->f.s.pos], k->f.check, NULL, k->speak,
                         ui_metrics_for(w, h, k->f.text_percent)};
    session_progress(&k->f.s, in.item, &in.number, &in.total);
    if (k->f.message)
        in.message = tr2(k, k->f.message, k->f.message_arg, NULL);
    kiosk_question_build(&in, p);
}

static void build_review(struct kiosk *k, ui_page *p)
{
    const qn *q = cur_qn(k);
    heading(p, ui_tr(k->loc, "review_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "review_text"), 0);
    p->wide = true;
    p->main_on_last = true; /* "Lähetä vastaukset" once every answer has been on screen */
    for (int i = 0; i < q->n_items; i++)
        if (session_is_shown(&k->f.s, i))
            ui_page_add_choice(p, tr2(k, "review_row", qtext(k, &q->items[i].short_text),
                                      answer_words(k, i)),
                               0, FLOW_EV_REVIEW_ITEM, i);
    ui_page_add_nav(p, ui_tr(k->loc, "back"), 0, FLOW_EV_BACK);
    ui_page_add_nav(p, ui_tr(k->loc, "send"), UI_PRIMARY, FLOW_EV_SEND);
}

static void build_save_error(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "save_failed_heading"));
    p->heading_flags |= UI_ALERT;
    ui_page_add_text(p, ui_tr(k->loc, "save_failed"), UI_BOLD);
    ui_page_add_text(p, ui_tr(k->loc, "save_failed_help"), 0);
    ui_page_add_nav(p, ui_tr(k->loc, "back"), 0, FLOW_EV_BACK);
    ui_page_add_nav(p, ui_tr(k->loc, "retry"), UI_PRIMARY, FLOW_EV_SEND);
}

/* Strengths first, in plain words; when no area is below 25 % difficulty, a true and kind
 * sentence instead of a strength that is not there, as hard as the answers say (feedback.c). */
static void add_strengths(struct kiosk *k, ui_page *p)
{
    if (k->f.fb_strengths == 0) {
        if (k->f.fb_areas > 0 && feedback_hard_key(k->f.fb_hard))
            ui_page_add_text(p, ui_tr(k->loc, feedback_hard_key(k->f.fb_hard)), UI_BOLD);
        return;
    }
    char names[400] = "";
    for (int i = 0; i < k->f.fb_strengths; i++)
        its_appendf(names, sizeof names, "%s%s", i ? ", " : "", k->f.fb_names[i]);
    ui_page_add_text(p, tr2(k, "thanks_strengths", names, NULL), UI_BOLD);
}

/* The simple picture: one bar per area, best first, in one colour that judges nothing. */
static void add_picture(struct kiosk *k, ui_page *p)
{
    if (k->f.fb_areas < 2)
        return;
    ui_page_add_text(p, ui_tr(k->loc, "thanks_picture"), UI_MUTED);
    for (int i = 0; i < k->f.fb_areas && p->n_texts < UI_PAGE_TEXTS; i++) {
        ui_page_add_text(p, k->f.fb_names[i], UI_BAR);
        p->texts[p->n_texts - 1].arg = k->f.fb_values[i];
    }
}

static void build_thanks(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "thanks_heading"));
    if (k->f.crisis) { /* "talk it through with your worker", then where to get help now */
        ui_page_add_text(p, ui_tr(k->loc, "thanks_next"), 0);
        ui_page_add_text(p, qtext(k, &cur_qn(k)->crisis_text), UI_BOLD);
    }
    if (k->f.anonymous && k->f.code[0]) /* the pickup code on the first screen, even at 200 % */
        ui_page_add_text(p, tr2(k, "thanks_code", k->f.code, NULL), UI_BOLD | UI_FRAME);
    ui_page_add_text(p, tr2(k, "thanks_count", num(k, k->f.answered), NULL), 0);
    if (!k->f.crisis)
        ui_page_add_text(p, ui_tr(k->loc, "thanks_next"), 0);
    add_strengths(k, p);
    add_picture(k, p);
    ui_page_add_nav(p, ui_tr(k->loc, "thanks_done"), UI_PRIMARY, FLOW_EV_THANKS_DONE);
}

static void build_worker(struct kiosk *k, ui_page *p)
{
    heading(p, ui_tr(k->loc, "worker_heading"));
    ui_page_add_text(p, ui_tr(k->loc, "worker_text"), 0);
    ui_page_add_nav(p, ui_tr(k->loc, "worker_close"), UI_PRIMARY, FLOW_EV_WORKER_CLOSE);
}

static void build_warning(struct kiosk *k, const ui_metrics *m)
{
    ui_list_begin_modal(&k->list);
    int bw = m->w - 2 * m->margin;
    if (bw > m->px * 24)
        bw = m->px * 24;
    int pad = m->margin, inner = bw - 2 * pad;
    const char *head = ui_tr(k->loc, "idle_heading");
    const char *text = tr2(k, "idle_text", num(k, k->f.warning_secs), NULL);
    const char *go_on = ui_tr(k->loc, "idle_continue");
    int hpx = m->px * 3 / 2;
    int bh = ui_button_height(&k->list, go_on, inner, m->px, UI_PRIMARY, m->min_target * 3 / 2);
    int h = ui_text_height(&k->list, head, inner, hpx, true) +
            ui_text_height(&k->list, text, inner, m->px, false) + bh + 2 * pad + 2 * m->gap;
    SDL_Rect box = {(m->w - bw) / 2, (m->h - h) / 2, bw, h};
    ui_list_panel(&k->list, box);
    int y = box.y + pad;
    y += ui_list_text(&k->list, box.x + pad, y, inner, head, hpx, UI_BOLD) + m->gap;
    y += ui_list_text(&k->list, box.x + pad, y, inner, text, m->px, 0) + m->gap;
    ui_list_button(&k->list, (SDL_Rect){box.x + pad, y, inner, bh}, go_on, m->px,
                   UI_PRIMARY | UI_CENTER | UI_BOLD, FLOW_EV_CONTINUE, 0);
}

/* "Lue ääneen" at the top right of every screen. */
static void add_read_aloud(struct kiosk *k, ui_page *p)
{
    p->corner = (ui_item){ui_tr(k->loc, "read_aloud"), UI_SPEAKER, KIOSK_READ, 0};
}

static void layout(struct kiosk *k)
{
    static void (*const builders[])(struct kiosk *, ui_page *) = {
        [FLOW_START] = build_start,       [FLOW_RESUME] = build_resume, [FLOW_INFO] = build_info,
        [FLOW_IDENT] = build_ident,       [FLOW_CODE] = build_code,     [FLOW_CHOOSE] = build_choose,
        [FLOW_INTRO] = build_intro,       [FLOW_QUESTION] = build_question,
        [FLOW_REVIEW] = build_review,     [FLOW_SAVE_ERROR] = build_save_error,
        [FLOW_THANKS] = build_thanks,     [FLOW_WORKER] = build_worker,
        [FLOW_CONSENT] = build_consent,
    };
    bool rtl = ui_locale_rtl(k->loc);
    ui_draw_set_rtl(k->ui->draw, rtl); /* measured as it will be drawn, from the builders on */
    ui_page p;
    memset(&p, 0, sizeof p);
    ui_app_keep_reset(k->ui);
    p.more_label = ui_tr(k->loc, "scroll_down");
    p.less_label = ui_tr(k->loc, "scroll_up");
    builders[k->f.screen](k, &p);
    if (k->f.assisted_by[0] && p.n_texts < UI_PAGE_TEXTS) /* the worker enters the answers */
        ui_page_add_text(&p, ui_tr(k->loc, "interview_note"), UI_MUTED);
    if (k->speak)
        add_read_aloud(k, &p);
    int w, h;
    ui_draw_size(k->ui->draw, &w, &h);
    ui_metrics m = ui_metrics_for(w, h, k->f.text_percent);
    ui_list_clear(&k->list);
    ui_page_layout(&k->list, &p, &m, &k->page);
    if (k->f.warning)
        build_warning(k, &m);
    if (rtl)
        ui_list_mirror(&k->list, w);
    k->relayout = false;
    k->redraw = true;
}

/* ---- speech ------------------------------------------------------------------------------ */

/* Something plays for `ms`: the loop wakes then to pause the sound device (no idle CPU). */
static void sound_for(struct kiosk *k, int ms)
{
    k->sound_until = ms > 0 ? ui_clock_now(&k->ui->clock) + (uint64_t)ms + 50 : 0;
}

/* Is this button one of the page's answers or choices (read aloud after the texts)? */
static bool is_choice(const ui_widget *w)
{
    switch (w->action) {
    case FLOW_EV_LANG: case FLOW_EV_CODE_YES: case FLOW_EV_ANON: case FLOW_EV_CHOOSE:
    case FLOW_EV_ANSWER: case FLOW_EV_REFUSE: case FLOW_EV_NA: case FLOW_EV_TOGGLE:
    case FLOW_EV_REVIEW_ITEM: case FLOW_EV_RESUME_YES: case FLOW_EV_RESUME_NO:
    case FLOW_EV_READ_ALL: case FLOW_EV_CONSENT:
        return true;
    default:
        return false;
    }
}

/* Numbers and symbols as words (locale/speech); without the tables they are read as shown. */
static void speech_tables_load(struct kiosk *k)
{
    char dir[1100];
    its_err err;
    if (!k->speak)
        return;
    if (its_path(dir, sizeof dir, &err, "%s/locale/speech", k->o->data_dir) != 0 ||
        speech_words_load(dir, &err) != 0)
        fprintf(stderr, "itsearvio: read-aloud: %s\n", err.msg);
}

/* Reads the visible texts, then the choices, in the screen's language. */
static void read_aloud(struct kiosk *k)
{
    char text[8192];
    text[0] = '\0';
    for (int pass = 0; pass < 2; pass++)
        for (int i = k->list.modal; i < k->list.n; i++) {
            const ui_widget *w = &k->list.w[i];
            bool want = pass == 0 ? w->kind == UI_TEXT : w->kind == UI_BUTTON && is_choice(w);
            size_t len = strlen(w->text);
            if (!want || len == 0)
                continue;
            bool stop = strchr(".?!:", w->text[len - 1]) != NULL; /* a pause after each */
            its_appendf(text, sizeof text, "%s%s\n", w->text, stop ? "" : ".");
        }
    if (k->bench)
        fprintf(stderr, "bench read_aloud screen=%d\n", (int)k->f.screen);
    const char *lang = speech_has_language(ui_locale_lang(k->loc)) ? ui_locale_lang(k->loc) : "fi";
    speech_audio a = {0};
    its_err err;
    if (speech_synthesise(text, lang, &a, &err) == 0)
        sound_for(k, ui_audio_play(&k->ui->audio, a.samples, a.n_samples, a.sample_rate));
    else
        fprintf(stderr, "itsearvio: read-aloud: %s\n", err.msg);
    speech_audio_free(&a);
    its_wipe(text, sizeof text); /* it may hold answers (review) */
}

/* ---- carrying out the machine's effects --------------------------------------------------- */

static void apply(struct kiosk *k, unsigned fx);

static flow_event event(flow_event_kind kind, int arg)
{
    return (flow_event){kind, arg, NULL, 0, (int64_t)time(NULL), 0};
}

/* One event through the machine, and what it returns carried out. */
static void feed(struct kiosk *k, flow_event e)
{
    apply(k, flow_step(&k->f, e));
}

/* A button (its action and arg) or the key standing for it. */
static void send_event(struct kiosk *k, int action, int arg)
{
    if (action == KIOSK_READ) {
        read_aloud(k);
        return;
    }
    flow_event e = event((flow_event_kind)action, arg);
    if (e.kind == FLOW_EV_SEND)
        e.random = random_bits(); /* an anonymous client's pickup code */
    feed(k, e);
}

static void draft_write(struct kiosk *k)
{
    if (!k->f.active)
        return;
    char *text = flow_draft_text(&k->f);
    its_err err;
    if (!text || k->o->sink->draft_save(k->o->sink, text, strlen(text), &err) != 0)
        fprintf(stderr, "itsearvio: the draft was not saved: %s\n", text ? err.msg : "no memory");
    if (text) {
        its_wipe(text, strlen(text));
        free(text);
    }
}

static void draft_load(struct kiosk *k)
{
    char *data = NULL;
    size_t len = 0;
    its_err err;
    int rc = k->o->sink->draft_load(k->o->sink, &data, &len, &err);
    if (rc < 0)
        fprintf(stderr, "itsearvio: the draft could not be read: %s\n", err.msg);
    flow_event e = event(rc == 1 ? FLOW_EV_DRAFT_FOUND : FLOW_EV_DRAFT_NONE, 0);
    e.data = data;
    e.len = len;
    feed(k, e);
    kiosk_sink_draft_free(data, len);
}

static void draft_wipe(struct kiosk *k)
{
    its_err err;
    if (k->o->sink->draft_wipe(k->o->sink, &err) != 0)
        fprintf(stderr, "itsearvio: %s\n", err.msg);
}

/* The sink answers whether the result is durable: SAVED or SAVE_FAILED. */
static void send_result(struct kiosk *k)
{
    its_err err;
    char *payload = flow_result_text(&k->f, (int64_t)time(NULL), k->o->sink->device, &err);
    char id[37];
    int rc = payload ? k->o->sink->save_result(k->o->sink, payload, strlen(payload), id, &err) : -1;
    if (payload) {
        its_wipe(payload, strlen(payload));
        free(payload);
    }
    flow_event e = event(rc == 0 ? FLOW_EV_SAVED : FLOW_EV_SAVE_FAILED, 0);
    e.data = rc == 0 ? NULL : err.msg;
    feed(k, e);
}

/* A new screen: silence, its first part, nothing focused, and the double-tap guard. */
static void show_screen(struct kiosk *k)
{
    ui_audio_stop(&k->ui->audio); /* never read the previous screen over the new one */
    k->page = 0;
    k->shown_at = ui_clock_now(&k->ui->clock);
    k->list.focus = -1;
    k->list.focus_action = 0;
}

static void apply(struct kiosk *k, unsigned fx)
{
    if (fx & FLOW_FX_LOG)
        fprintf(stderr, "itsearvio: %s\n", k->f.err.msg);
    if (fx & FLOW_FX_DRAFT_WIPE)
        draft_wipe(k);
    if (fx & FLOW_FX_DRAFT_SAVE)
        draft_write(k);
    if (fx & FLOW_FX_PREFS) /* the colours are read from k->f.theme as the screen is drawn */
        ui_locale_set(k->loc, k->f.lang);
    if (fx & FLOW_FX_SCREEN)
        show_screen(k);
    if (fx & FLOW_FX_READ)
        k->read_pending = k->f.read_all;
    if (fx & (FLOW_FX_SCREEN | FLOW_FX_RELAYOUT | FLOW_FX_PREFS))
        k->relayout = true;
    if (fx & FLOW_FX_IDLE_ARM)
        ui_idle_arm(&k->idle, ui_clock_now(&k->ui->clock));
    if (fx & FLOW_FX_IDLE_DISARM)
        ui_idle_disarm(&k->idle);
    if (fx & FLOW_FX_IDLE_TOUCH)
        ui_idle_touch(&k->idle, ui_clock_now(&k->ui->clock));
    if (fx & FLOW_FX_CHIME) /* heard even by someone not looking at the screen */
        sound_for(k, ui_audio_chime(&k->ui->audio));
    if (fx & FLOW_FX_OPEN_WORKER)
        k->open_worker = true; /* run_loop hands the window over */
    if (fx & FLOW_FX_SEND_RESULT)
        send_result(k);
    if (fx & FLOW_FX_DRAFT_LOAD)
        draft_load(k);
}

/* Opens the worker side (o->worker, else a placeholder screen): on Ctrl+Alt+W or a long press
 * (3 s) in the top-left corner. */
static void kiosk_open_worker(struct kiosk *k)
{
    feed(k, event(FLOW_EV_WORKER_OPEN, 0));
}

/* The worker's screens in this window; afterwards the kiosk goes on where it was. -1 failed,
 * 1 the script ended there, else 0. */
static int run_worker(struct kiosk *k, ui_script *script, its_err *err)
{
    k->open_worker = false;
    char who[KIOSK_WHO_MAX] = "";
    ui_draw_set_rtl(k->ui->draw, false); /* the worker's side reads left to right (fi, sv, en) */
    int rc = k->o->worker(k->o->worker_ctx, k->ui, script, who, err);
    feed(k, event(FLOW_EV_WORKER_CLOSE, 0));
    if (rc == 2) { /* an interview: the worker enters this client's answers */
        flow_event e = event(FLOW_EV_INTERVIEW, 0);
        e.data = who;
        e.len = strlen(who);
        feed(k, e);
        rc = 0;
    }
    return rc;
}

/* ---- events ------------------------------------------------------------------------------- */

static void fire(struct kiosk *k, int index)
{
    if (index < 0 || index >= k->list.n)
        return;
    ui_widget *w = &k->list.w[index];
    if (w->action == UI_ACT_MORE || w->action == UI_ACT_LESS) { /* scrolled: the state it names */
        k->page = w->arg;
        k->relayout = true;
        k->shown_at = ui_clock_now(&k->ui->clock); /* a repeated tap never acts on what the part brings */
    } else {
        send_event(k, w->action, w->arg);
    }
    k->redraw = true;
}

static void handle_pointer(struct kiosk *k, ui_ptr p)
{
    uint64_t now = ui_clock_now(&k->ui->clock);
    int w, h;
    ui_draw_size(k->ui->draw, &w, &h);
    int corner = ui_metrics_for(w, h, 100).min_target * 3 / 2; /* the hidden worker corner */
    if (p.kind == UI_PTR_DOWN) {
        k->corner_at = (p.x < corner && p.y < corner) ? now : 0;
        if (now - k->shown_at < GUARD_MS)
            return; /* invariant 5: the tail of a double tap */
        if (!k->f.warning)
            ui_idle_touch(&k->idle, now);
    }
    if (p.kind == UI_PTR_UP && k->corner_at && p.x < corner && p.y < corner &&
        now - k->corner_at >= LONG_PRESS_MS) {
        k->corner_at = 0;
        kiosk_open_worker(k);
        return;
    }
    int before = k->list.pressed;
    int fired = ui_list_pointer(&k->list, p);
    if (k->list.pressed != before)
        k->redraw = true;
    if (fired >= 0) {
        if (k->bench)
            k->tap_t0 = k->tap_t0 ? k->tap_t0 : mono_ns();
        fire(k, fired);
    }
}

/* The button a key stands for on this screen, by action; -1 none. */
static int find_action(struct kiosk *k, int a, int arg, bool any_arg)
{
    for (int i = k->list.n - 1; i >= k->list.modal; i--)
        if (k->list.w[i].kind == UI_BUTTON && k->list.w[i].action == a &&
            (any_arg || k->list.w[i].arg == arg))
            return i;
    return -1;
}

/* A number key on a question: a digit of a number; on answers in words the one at that place
 * (1 the first, as a person counts the buttons); on a row of number keys the one with that
 * number, where "1" and then "0" within KEY_TEN_MS is 10 (README, "The kiosk screens"). */
static void digit_key(struct kiosk *k, int d)
{
    const qn_scale *sc = &cur_qn(k)->scales[cur_qn(k)->items[k->f.s.pos].scale];
    if (sc->kind == QN_SCALE_NUMBER) {
        send_event(k, FLOW_EV_DIGIT, d);
        k->redraw = true;
        return;
    }
    bool by_value = kiosk_question_keys(sc, qn_lang(k, cur_qn(k)));
    uint64_t now = ui_clock_now(&k->ui->clock);
    int n = d, ten = k->key_number * 10 + d;
    if (by_value && k->key_item == k->f.s.pos && k->key_number > 0 && now - k->key_at < KEY_TEN_MS &&
        qn_scale_pick(sc, ten, true) >= 0)
        n = ten;
    k->key_number = n;
    k->key_at = now;
    k->key_item = k->f.s.pos;
    int at = qn_scale_pick(sc, n, by_value);
    if (at >= 0)
        send_event(k, sc->kind == QN_SCALE_MULTI ? FLOW_EV_TOGGLE : FLOW_EV_ANSWER,
                   sc->kind == QN_SCALE_MULTI ? at : sc->options[at].value);
    k->redraw = true;
}

static void handle_key(struct kiosk *k, const SDL_KeyboardEvent *key)
{
    SDL_Keycode sym = key->keysym.sym;
    bool ctrl = key->keysym.mod & KMOD_CTRL, alt = key->keysym.mod & KMOD_ALT;
    if (ctrl && alt && sym == SDLK_w) {
        kiosk_open_worker(k);
        return;
    }
    if (!k->f.warning)
        ui_idle_touch(&k->idle, ui_clock_now(&k->ui->clock));
    int target = -1;
    if (sym == SDLK_UP || sym == SDLK_LEFT || (sym == SDLK_TAB && (key->keysym.mod & KMOD_SHIFT)))
        ui_list_focus_move(&k->list, -1);
    else if (sym == SDLK_DOWN || sym == SDLK_RIGHT || sym == SDLK_TAB)
        ui_list_focus_move(&k->list, 1);
    else if (sym == SDLK_RETURN || sym == SDLK_KP_ENTER || sym == SDLK_SPACE)
        target = k->list.focus >= k->list.modal ? k->list.focus : ui_list_find_primary(&k->list);
    else if (sym == SDLK_ESCAPE)
        target = find_action(k, FLOW_EV_BACK, 0, true);
    else if (sym == SDLK_BACKSPACE)
        target = find_action(k, FLOW_EV_ERASE, 0, true);
    else if (sym >= SDLK_0 && sym <= SDLK_9 && k->f.screen == FLOW_QUESTION && !k->f.warning) {
        digit_key(k, (int)(sym - SDLK_0)); /* however far the page is scrolled */
        return;
    }
    k->redraw = true;
    if (target >= 0)
        fire(k, target);
}

static void handle_event(struct kiosk *k, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_KEYDOWN:
        handle_key(k, &e->key);
        break;
    case SDL_TEXTINPUT:
        if (k->f.screen == FLOW_CODE && !k->f.warning)
            for (const char *c = e->text.text; *c; c++)
                if (*c != '-' && *c != ' ')
                    send_event(k, FLOW_EV_KEY, *c);
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            k->relayout = true;
        k->redraw = true;
        break;
    case SDL_QUIT:
        if (k->o->windowed) /* a kiosk has no exit (lockdown) */
            k->quit = true;
        break;
    default:
        break;
    }
}

/* The idle deadlines as the machine's events; returns ms until they need looking at again
 * (-1 never). */
static int64_t idle_tick(struct kiosk *k)
{
    uint64_t now = ui_clock_now(&k->ui->clock);
    ui_idle_state st = ui_idle_state_at(&k->idle, now);
    if (st == UI_IDLE_EXPIRED)
        feed(k, event(FLOW_EV_IDLE_EXPIRED, 0));
    else if (st == UI_IDLE_WARNING)
        feed(k, event(FLOW_EV_IDLE_WARNING, ui_idle_seconds_left(&k->idle, now)));
    else if (k->f.warning)
        feed(k, event(FLOW_EV_IDLE_QUIET, 0));
    int64_t wait = ui_idle_wait_ms(&k->idle, now);
    if (k->sound_until && now >= k->sound_until) {
        ui_audio_settle(&k->ui->audio);
        k->sound_until = 0;
    }
    if (k->sound_until) {
        int64_t left = (int64_t)(k->sound_until - now);
        wait = wait < 0 || left < wait ? left : wait;
    }
    return wait;
}

static void render(struct kiosk *k)
{
    if (k->relayout)
        layout(k);
    if (!k->redraw)
        return;
    ui_draw_clear(k->ui->draw, ui_theme_at((ui_theme_id)k->f.theme)->paper);
    ui_list_draw(&k->list, k->ui->draw, ui_theme_at((ui_theme_id)k->f.theme));
    ui_draw_present(k->ui->draw);
    k->redraw = false;
    if (k->bench && !k->first_frame_done)
        fprintf(stderr, "bench first_frame_ns=%llu\n", (unsigned long long)mono_ns());
    k->first_frame_done = true;
    if (k->bench && !k->first_question_done && k->f.screen == FLOW_QUESTION) {
        fprintf(stderr, "bench first_question_ns=%llu\n", (unsigned long long)mono_ns());
        k->first_question_done = true;
    }
    if (k->bench && k->tap_t0) {
        if (k->n_lat == k->cap_lat) {
            k->cap_lat = k->cap_lat ? k->cap_lat * 2 : 256;
            double *l = realloc(k->lat, (size_t)k->cap_lat * sizeof *l);
            if (!l)
                return;
            k->lat = l;
        }
        k->lat[k->n_lat++] = (double)(mono_ns() - k->tap_t0) / 1000.0;
        k->tap_t0 = 0;
        /* each tap too, after the clock stopped: tests/bench tells the "send" taps (a durable
         * save, fsync included, before THANKS) from the rest */
        fprintf(stderr, "bench tap_us=%.0f saved=%d\n", k->lat[k->n_lat - 1], k->f.screen == FLOW_THANKS);
    }
}

/* ---- on the common loop (ui_loop.h) ------------------------------------------------------ */

static int64_t screen_tick(void *self)
{
    struct kiosk *k = self;
    return idle_tick(k);
}

static void screen_render(void *self, bool force)
{
    struct kiosk *k = self;
    k->redraw |= force;
    render(k);
}

static void screen_pointer(void *self, ui_ptr p)
{
    struct kiosk *k = self;
    handle_pointer(k, p);
}

static void screen_event(void *self, const SDL_Event *e)
{
    struct kiosk *k = self;
    handle_event(k, e);
}

static bool screen_done(void *self)
{
    struct kiosk *k = self;
    return k->quit;
}

/* "Alas" (scroll down) of a page that scrolls; none at its end. */
static int find_more(void *self, SDL_Rect *r)
{
    struct kiosk *k = self;
    int i = find_action(k, UI_ACT_MORE, 0, true);
    if (i < 0)
        return -1;
    *r = k->list.w[i].r;
    return 0;
}

/* Between frames: the worker's screens when the gesture was made, reading a new screen aloud,
 * the benchmark's first frame, and looking for read-aloud once the first frame is out. */
static int screen_frame(void *self, ui_script *script, its_err *err)
{
    struct kiosk *k = self;
    if (k->open_worker) {
        int rc = run_worker(k, script, err);
        return rc < 0 ? -1 : rc == 1 ? UI_LOOP_STOP : UI_LOOP_AGAIN;
    }
    if (k->read_pending && k->speak && !k->relayout) { /* the new screen as it is shown */
        k->read_pending = false;
        read_aloud(k);
    }
    if (k->o->bench_shot && k->first_frame_done)
        return ui_draw_save_png(k->ui->draw, k->o->bench_shot, err) == 0 ? UI_LOOP_STOP : -1;
    if (!k->probed) { /* after the first frame, so a slow sound system never delays it */
        its_err speech_err;
        k->probed = true;
        /* read-aloud only when it can really speak: espeak-ng and a sound device */
        k->speak = speech_init(&speech_err) == 0 && ui_audio_open(&k->ui->audio, 22050);
        speech_tables_load(k);
        k->relayout = k->speak;
        return UI_LOOP_AGAIN;
    }
    if (k->bench && script && script->next < script->n && !SDL_HasEvents(0, UINT32_MAX) &&
        script->cmds[script->next].op == UI_SCRIPT_TAP)
        k->tap_t0 = mono_ns(); /* the tap the script pushes next */
    return UI_LOOP_GO;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bench_report(struct kiosk *k)
{
    if (!k->bench || k->n_lat == 0)
        return;
    qsort(k->lat, (size_t)k->n_lat, sizeof *k->lat, cmp_double);
    long made;
    int held;
    ui_draw_cache_stats(k->ui->draw, &made, &held);
    fprintf(stderr, "bench taps=%d tap_to_frame_median_us=%.0f tap_to_frame_p99_us=%.0f "
                    "textures_made=%ld textures_held=%d\n",
            k->n_lat, k->lat[k->n_lat / 2], k->lat[(k->n_lat * 99) / 100], made, held);
}

/* ---- benchmark runs (tests/bench) -------------------------------------------------------- */

/* --bench-question N: the Nth question shown of the first questionnaire, anonymous, as if the
 * client had tapped through start, information, identification and instructions. */
static void bench_open_question(struct kiosk *k, int n)
{
    apply(k, flow_open_question(&k->f, n, (int64_t)time(NULL)));
}

/* ---- the loop ------------------------------------------------------------------------------ */

/* A stop signal ends the loop between two events, so no answer is half-handled: each one was
 * already in the draft (invariant 2), which stays for the restart as after a crash. */
static int run_loop(struct kiosk *k, ui_script *script, its_err *err)
{
    ui_screen sc = {.self = k, .app = k->ui, .tick = screen_tick, .render = screen_render,
                    .pointer = screen_pointer, .event = screen_event, .done = screen_done,
                    .frame = screen_frame, .top = &k->list, .find_more = find_more,
                    .name = "the screen"};
    return ui_loop_run(&sc, script, err) < 0 ? -1 : 0;
}

int kiosk_run(const kiosk_opts *o, its_err *err)
{
    struct kiosk *k = calloc(1, sizeof *k); /* the client's answers live here until the wipe */
    if (!k)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory: the kiosk could not start.");
    k->o = o;
    k->bench = getenv("ITS_BENCH") != NULL;
    int countdown = o->countdown_seconds >= 20 ? o->countdown_seconds : 30;
    int idle = o->idle_seconds > 0 ? o->idle_seconds : 120;
    ui_idle_init(&k->idle, (uint64_t)idle * 1000u, (uint64_t)countdown * 1000u);
    if (o->n_qns < 1) {
        free(k);
        return its_fail(err, "No questionnaire to ask.");
    }
    ui_app app;
    ui_draw_opts d = {o->w, o->h, !o->windowed && o->w == 0, !o->windowed, NULL, "Itsearvio"};
    bool opened = ui_app_open(&app, o->data_dir, o->lang, o->script, d, err) == 0;
    int rc = opened ? 0 : -1;
    k->ui = &app;
    k->loc = &app.loc;
    ui_list_init(&k->list, ui_draw_measure(app.draw));
    if (opened) {
        ui_locale_offer(k->loc, o->allow_unreviewed);
        const char *const *langs;
        int n_langs = ui_locale_langs(k->loc, &langs);
        /* ui_locale_lang gives the catalogue's own string, which stays put (flow.h) */
        k->fc = (flow_config){(const qn *const *)o->qns, o->n_qns, o->tablet, o->worker != NULL,
                             ui_locale_lang(k->loc), langs, n_langs, UI_THEME_COUNT,
                             o->allow_unreviewed};
        apply(k, flow_init(&k->f, &k->fc));
        if (o->bench_question > 0)
            bench_open_question(k, o->bench_question);
        rc = run_loop(k, app.sp, err);
        bench_report(k);
    }
    flow_session_end(&k->f);
    ui_list_free(&k->list);
    free(k->lat);
    if (k->speak)
        speech_shutdown();
    if (opened)
        ui_app_close(&app);
    its_wipe(k, sizeof *k);
    free(k);
    return rc;
}