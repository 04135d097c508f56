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
 * Adding a screen: after the steps in flow.h, write build_<name>(ui_page *) and put it in
 * layout()'s table; a button's action is the machine's event (FLOW_EV_*), its arg the event's.
 */
#include "kiosk.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow.h"
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

static struct kiosk {
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
} K;

/* ---- small helpers ------------------------------------------------------------------------ */

static const qn *cur_qn(void)
{
    return flow_qn(&K.f);
}

static int qn_lang(const qn *q)
{
    return flow_qn_lang(&K.f, q);
}

static const char *qtext(const qn_text *t)
{
    return qn_text_get(t, qn_lang(cur_qn()));
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

static const char *pool_put(const char *s) /* kept until the next layout (ui_app.h) */
{
    return ui_app_keep(K.ui, s);
}

/* A locale text with up to two placeholders filled. */
static const char *tr2(const char *key, const char *a, const char *b)
{
    return ui_app_tr(K.ui, K.loc, key, a, b, NULL);
}

static const char *num(int v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", v);
    return pool_put(buf);
}

static void add_text(ui_page *p, const char *text, unsigned flags)
{
    if (text && *text && p->n_texts < UI_PAGE_TEXTS)
        p->texts[p->n_texts++] = (ui_item){text, flags, 0, 0};
}

static void add_choice(ui_page *p, const char *text, unsigned flags, int a, int arg)
{
    if (p->n_choices < UI_PAGE_CHOICES)
        p->choices[p->n_choices++] = (ui_item){text, flags, a, arg};
}

static void add_nav(ui_page *p, const char *text, unsigned flags, int a)
{
    if (p->n_nav < UI_PAGE_NAV)
        p->nav[p->n_nav++] = (ui_item){text, flags, a, 0};
}

/* The page's message place (kept while empty, so the keys never move under a finger). */
static void set_message(ui_page *p, const char *text, unsigned flags)
{
    p->message = text;
    p->message_flags = UI_BOLD | flags;
}

static void heading(ui_page *p, const char *text)
{
    p->heading = text;
    p->heading_flags = UI_BOLD | UI_LARGE;
}

static void build_start(ui_page *p)
{
    heading(p, ui_tr(K.loc, "start_heading"));
    add_text(p, ui_tr(K.loc, "start_text"), 0);
    add_text(p, tr2("text_size", num(K.f.text_percent), NULL), 0);
    char key[32];
    snprintf(key, sizeof key, "theme_%s", ui_theme_at((ui_theme_id)K.f.theme)->name);
    add_text(p, tr2("theme_text", ui_tr(K.loc, key), NULL), 0);
    const char *const *codes;
    int n = ui_locale_langs(K.loc, &codes);
    for (int i = 0; i < n; i++) { /* each language by its own name */
        bool cur = !strcmp(codes[i], ui_locale_lang(K.loc));
        add_choice(p, ui_locale_name(K.loc, codes[i]), UI_CHOICE | (cur ? UI_SELECTED : 0),
                   FLOW_EV_LANG, i);
    }
    if (K.speak)
        add_choice(p, ui_tr(K.loc, "read_all"), UI_CHOICE | (K.f.read_all ? UI_SELECTED : 0),
                   FLOW_EV_READ_ALL, 0);
    add_choice(p, ui_tr(K.loc, "theme_change"), 0, FLOW_EV_THEME, 0);
    /* text size in the bottom row: always in the same place, whatever the size */
    add_nav(p, ui_tr(K.loc, "text_smaller"), 0, FLOW_EV_SMALLER);
    add_nav(p, ui_tr(K.loc, "text_bigger"), 0, FLOW_EV_BIGGER);
    add_nav(p, ui_tr(K.loc, "start_button"), UI_PRIMARY, FLOW_EV_START);
}

static void build_resume(ui_page *p)
{
    heading(p, ui_tr(K.loc, "resume_heading"));
    add_text(p, ui_tr(K.loc, "resume_text"), 0);
    add_choice(p, ui_tr(K.loc, "resume_yes"), 0, FLOW_EV_RESUME_YES, 0);
    add_choice(p, ui_tr(K.loc, "resume_no"), 0, FLOW_EV_RESUME_NO, 0);
}

static void build_info(ui_page *p)
{
    heading(p, ui_tr(K.loc, "info_heading"));
    add_text(p, ui_tr(K.loc, "info_who"), 0);
    add_text(p, ui_tr(K.loc, "info_device"), 0);
    uint64_t secs = K.idle.limit_ms / 1000;
    if (secs % 60 == 0)
        add_text(p, tr2("info_idle_minutes", num((int)(secs / 60)), NULL), UI_BOLD);
    else
        add_text(p, tr2("info_idle_seconds", num((int)secs), NULL), UI_BOLD);
    add_text(p, ui_tr(K.loc, "info_help"), 0);
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
    add_nav(p, ui_tr(K.loc, "next"), UI_PRIMARY, FLOW_EV_NEXT);
}

/* The research question: optional, nothing pre-selected, yes and no alike (flow.h invariant 8);
 * a choice made earlier shows as selected when the client comes back. */
static void build_consent(ui_page *p)
{
    heading(p, ui_tr(K.loc, "consent_heading"));
    add_text(p, ui_tr(K.loc, "consent_text"), 0);
    add_text(p, ui_tr(K.loc, "consent_no_effect"), UI_BOLD);
    add_text(p, ui_tr(K.loc, "consent_withdraw"), 0);
    unsigned yes = K.f.research == FLOW_RESEARCH_YES ? UI_SELECTED : 0;
    unsigned no = K.f.research == FLOW_RESEARCH_NO ? UI_SELECTED : 0;
    add_choice(p, ui_tr(K.loc, "consent_yes"), UI_CHOICE | yes, FLOW_EV_CONSENT, FLOW_RESEARCH_YES);
    add_choice(p, ui_tr(K.loc, "consent_no"), UI_CHOICE | no, FLOW_EV_CONSENT, FLOW_RESEARCH_NO);
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
}

static void build_ident(ui_page *p)
{
    heading(p, ui_tr(K.loc, "ident_heading"));
    add_text(p, ui_tr(K.loc, "ident_text"), 0);
    add_text(p, ui_tr(K.loc, "ident_anon_text"), 0);
    add_choice(p, ui_tr(K.loc, "ident_code"), 0, FLOW_EV_CODE_YES, 0);
    add_choice(p, ui_tr(K.loc, "ident_anon"), 0, FLOW_EV_ANON, 0);
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
}

static void build_code(ui_page *p)
{
    heading(p, ui_tr(K.loc, "code_heading"));
    add_text(p, ui_tr(K.loc, "code_text"), 0);
    /* seven places a person can count, "K 7 _ _ _ _ _", an en space (U+2002) apart: wide enough
     * to see, and never a place to wrap the line */
    char shown[CLIENTCODE_LEN * 4] = "";
    size_t n = strlen(K.f.typed);
    for (size_t i = 0; i < CLIENTCODE_LEN; i++)
        its_appendf(shown, sizeof shown, "%s%c", i ? "\xE2\x80\x82" : "", i < n ? K.f.typed[i] : '_');
    add_text(p, pool_put(shown), UI_FRAME | UI_BOLD);
    set_message(p, K.f.message ? tr2(K.f.message, K.f.message_arg, NULL) : "", UI_ALERT);
    p->message_lines = 2; /* "Koodi ei ole oikein. Tarkista koodi…" at 200 % */
    p->grid = true;
    for (const char *c = CLIENTCODE_ALPHABET; *c; c++) {
        char key[2] = {*c, '\0'};
        add_choice(p, pool_put(key), UI_CENTER | UI_BOLD, FLOW_EV_KEY, *c);
    }
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
    add_nav(p, ui_tr(K.loc, "code_erase"), 0, FLOW_EV_ERASE);
    add_nav(p, ui_tr(K.loc, "code_done"), UI_PRIMARY, FLOW_EV_CODE_DONE);
}

static void build_choose(ui_page *p)
{
    heading(p, ui_tr(K.loc, "choose_heading"));
    add_text(p, ui_tr(K.loc, "choose_text"), 0);
    for (int i = 0; i < K.o->n_qns; i++) {
        const qn *q = K.o->qns[i];
        add_choice(p, qn_text_get(qn_client_title(q), qn_lang(q)), 0, FLOW_EV_CHOOSE, i);
    }
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
}

static void build_intro(ui_page *p)
{
    const qn *q = cur_qn();
    heading(p, qtext(qn_client_title(q)));
    add_text(p, qtext(&q->intro), 0);
    add_text(p, qtext(&q->recall), UI_BOLD);
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
    add_nav(p, ui_tr(K.loc, "intro_start"), UI_PRIMARY, FLOW_EV_BEGIN);
}

/* The answer to an item in words, for REVIEW. */
static const char *answer_words(int item)
{
    const qn *q = cur_qn();
    const qn_scale *sc = &q->scales[q->items[item].scale];
    qn_answer a = K.f.s.answers[item];
    switch (a.state) {
    case QN_ANS_REFUSED:
        return ui_tr(K.loc, "refuse");
    case QN_ANS_NA:
        return sc->allow_na ? qtext(&sc->na_label) : ui_tr(K.loc, "review_na");
    case QN_ANS_NONE:
        return ui_tr(K.loc, "review_none");
    default:
        break;
    }
    char buf[512] = "";
    if (sc->kind == QN_SCALE_NUMBER)
        snprintf(buf, sizeof buf, "%d %s", a.value, qtext(&sc->unit));
    else if (sc->kind == QN_SCALE_MULTI) {
        for (int k = 0; k < sc->n_options; k++)
            if ((unsigned)a.value & (1u << k))
                its_appendf(buf, sizeof buf, "%s%s", buf[0] ? ", " : "",
                            qtext(&sc->options[k].label));
    } else {
        const char *l = qn_option_label(q, item, a.value, qn_lang(q));
        its_strlcpy(buf, l ? l : "", sizeof buf);
    }
    return pool_put(buf);
}

/* 0-10 rows and other scales whose labels are numbers are shown as a row of keys. */
static bool scale_is_keys(const qn_scale *sc)
{
    if (sc->kind != QN_SCALE_SINGLE)
        return false;
    for (int k = 0; k < sc->n_options; k++)
        if (strlen(qtext(&sc->options[k].label)) > 3)
            return false;
    return true;
}

/* Does the progress line with the recall period ("Kysymys 3 / 12 · Ajattele viimeistä 30
 * päivää.") fit on one line beside "Lue ääneen"? At a large text size it would not, and a
 * two-line heading would push the question itself to the page's second part. The corner's
 * width is overestimated (its padding and speaker as 3 text heights), never under. */
static bool band_fits(const char *band)
{
    int w, h;
    ui_draw_size(K.ui->draw, &w, &h);
    ui_metrics m = ui_metrics_for(w, h, K.f.text_percent);
    int room = m.w - 2 * m.margin;
    if (K.speak) {
        const char *corner = ui_tr(K.loc, "read_aloud");
        room -= ui_draw_text_width(K.ui->draw, corner, strlen(corner), m.px, false) + 3 * m.px + m.gap;
    }
    return ui_draw_text_width(K.ui->draw, band, strlen(band), m.px, false) <= room;
}

static void build_question(ui_page *p)
{
    const qn *q = cur_qn();
    int item = K.f.s.pos, number, total;
    const qn_item *it = &q->items[item];
    const qn_scale *sc = &q->scales[it->scale];
    qn_answer a = K.f.s.answers[item];
    session_progress(&K.f.s, item, &number, &total);
    p->heading = tr2("progress", num(number), num(total));
    p->heading_flags = UI_MUTED;
    /* the time frame on every question: beside the progress when it fits, else under the help */
    char band[256];
    snprintf(band, sizeof band, "%s \xC2\xB7 %s", p->heading, qtext(&q->recall));
    bool beside = !it->no_recall && band_fits(band);
    if (beside)
        p->heading = pool_put(band);
    if (K.f.check >= 0) /* first, so it is seen; gentle: bold, not the alert colour (and not
                           * framed: a framed block is never cut into parts at 200 %) */
        add_text(p, qtext(&q->checks[K.f.check].text), UI_BOLD);
    add_text(p, qtext(&it->text), UI_BOLD);
    add_text(p, qtext(&it->help), 0);
    if (!it->no_recall && !beside)
        add_text(p, qtext(&q->recall), UI_MUTED);
    bool keys = scale_is_keys(sc) || sc->kind == QN_SCALE_NUMBER;
    p->grid = keys;
    if (sc->kind == QN_SCALE_NUMBER) {
        add_text(p, ui_tr(K.loc, "number_hint"), 0);
        const char *shown = ui_tr(K.loc, "number_none");
        if (a.state == QN_ANS_VALUE) {
            char buf[128];
            snprintf(buf, sizeof buf, "%d %s", a.value, qtext(&sc->unit));
            shown = pool_put(buf);
        }
        add_text(p, shown, UI_FRAME | UI_BOLD);
        add_choice(p, "\xE2\x80\x93", UI_CENTER | UI_BOLD, FLOW_EV_MINUS, 0); /* en dash: Noto Sans
                                                                      has no U+2212 minus */
        add_choice(p, "+", UI_CENTER | UI_BOLD, FLOW_EV_PLUS, 0);
        for (int d = 1; d <= 10; d++)
            add_choice(p, num(d % 10), UI_CENTER | UI_BOLD, FLOW_EV_DIGIT, d % 10);
        add_choice(p, ui_tr(K.loc, "number_erase"), UI_CENTER | UI_WIDE, FLOW_EV_ERASE, 0);
    } else if (sc->kind == QN_SCALE_MULTI) {
        if (!strstr(qtext(&it->text), ui_tr(K.loc, "multi_many"))) /* unless the question says it */
            add_text(p, ui_tr(K.loc, "multi_many"), 0);
        add_text(p, ui_tr(K.loc, "multi_hint"), 0);
        for (int k = 0; k < sc->n_options; k++) {
            bool on = a.state == QN_ANS_VALUE && ((unsigned)a.value & (1u << k));
            add_choice(p, qtext(&sc->options[k].label), UI_CHOICE | (on ? UI_SELECTED : 0),
                       FLOW_EV_TOGGLE, k);
        }
    } else {
        for (int k = 0; k < sc->n_options; k++) {
            const qn_option *o = &sc->options[k];
            bool on = a.state == QN_ANS_VALUE && a.value == o->value;
            unsigned f = keys ? UI_CENTER | UI_BOLD : UI_CHOICE;
            add_choice(p, qtext(&o->label), f | (on ? UI_SELECTED : 0), FLOW_EV_ANSWER, o->value);
        }
        if (keys && *qtext(&sc->min_label))
            add_text(p, tr2("scale_end", num(sc->min), qtext(&sc->min_label)), 0);
        if (keys && *qtext(&sc->max_label))
            add_text(p, tr2("scale_end", num(sc->max), qtext(&sc->max_label)), 0);
    }
    /* one reserved place: a message, or on a page of keys the choice in words (not only a
     * colour) */
    const char *said = K.f.message ? tr2(K.f.message, K.f.message_arg, NULL) : "";
    if (!K.f.message && keys && sc->kind != QN_SCALE_NUMBER && a.state == QN_ANS_VALUE)
        said = tr2("selected", answer_words(item), NULL);
    set_message(p, said, K.f.message ? UI_ALERT : 0); /* a choice is no alarm */
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
    unsigned refused = a.state == QN_ANS_REFUSED ? UI_SELECTED : 0;
    unsigned na = a.state == QN_ANS_NA ? UI_SELECTED : 0;
    /* on a page of keys these are wide rows under the keys */
    unsigned wide = keys ? UI_WIDE : 0;
    if (sc->allow_na)
        add_choice(p, qtext(&sc->na_label), UI_CHOICE | wide | na, FLOW_EV_NA, 0);
    if (sc->allow_refuse)
        add_choice(p, ui_tr(K.loc, "refuse"), UI_CHOICE | wide | refused, FLOW_EV_REFUSE, 0);
    add_nav(p, ui_tr(K.loc, sc->kind == QN_SCALE_MULTI ? "multi_done" : "next"), UI_PRIMARY, FLOW_EV_NEXT);
}

static void build_review(ui_page *p)
{
    const qn *q = cur_qn();
    heading(p, ui_tr(K.loc, "review_heading"));
    add_text(p, ui_tr(K.loc, "review_text"), 0);
    p->wide = true;
    p->part_text = ui_tr(K.loc, "review_part");
    p->main_on_last = true; /* "Lähetä vastaukset" where every answer has been seen */
    for (int i = 0; i < q->n_items; i++)
        if (session_is_shown(&K.f.s, i))
            add_choice(p, tr2("review_row", qtext(&q->items[i].short_text), answer_words(i)), 0,
                       FLOW_EV_REVIEW_ITEM, i);
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
    add_nav(p, ui_tr(K.loc, "send"), UI_PRIMARY, FLOW_EV_SEND);
}

static void build_save_error(ui_page *p)
{
    heading(p, ui_tr(K.loc, "save_failed_heading"));
    p->heading_flags |= UI_ALERT;
    add_text(p, ui_tr(K.loc, "save_failed"), UI_BOLD);
    add_text(p, ui_tr(K.loc, "save_failed_help"), 0);
    add_nav(p, ui_tr(K.loc, "back"), 0, FLOW_EV_BACK);
    add_nav(p, ui_tr(K.loc, "retry"), UI_PRIMARY, FLOW_EV_SEND);
}

/* Strengths first, in plain words; when no area is below 25 % difficulty, a true and kind
 * sentence instead of a strength that is not there, as hard as the answers say (feedback.c). */
static void add_strengths(ui_page *p)
{
    if (K.f.fb_strengths == 0) {
        if (K.f.fb_areas > 0 && feedback_hard_key(K.f.fb_hard))
            add_text(p, ui_tr(K.loc, feedback_hard_key(K.f.fb_hard)), UI_BOLD);
        return;
    }
    char names[400] = "";
    for (int i = 0; i < K.f.fb_strengths; i++)
        its_appendf(names, sizeof names, "%s%s", i ? ", " : "", K.f.fb_names[i]);
    add_text(p, tr2("thanks_strengths", names, NULL), UI_BOLD);
}

/* The simple picture: one bar per area, best first, in one colour that judges nothing. */
static void add_picture(ui_page *p)
{
    if (K.f.fb_areas < 2)
        return;
    add_text(p, ui_tr(K.loc, "thanks_picture"), UI_MUTED);
    for (int i = 0; i < K.f.fb_areas && p->n_texts < UI_PAGE_TEXTS; i++) {
        add_text(p, K.f.fb_names[i], UI_BAR);
        p->texts[p->n_texts - 1].arg = K.f.fb_values[i];
    }
}

static void build_thanks(ui_page *p)
{
    heading(p, ui_tr(K.loc, "thanks_heading"));
    if (K.f.crisis) { /* "talk it through with your worker", then where to get help now */
        add_text(p, ui_tr(K.loc, "thanks_next"), 0);
        add_text(p, qtext(&cur_qn()->crisis_text), UI_BOLD);
    }
    add_text(p, tr2("thanks_count", num(K.f.answered), NULL), 0);
    if (!K.f.crisis)
        add_text(p, ui_tr(K.loc, "thanks_next"), 0); /* first: it must be seen even at 200 % */
    if (K.f.anonymous && K.f.code[0])
        add_text(p, tr2("thanks_code", K.f.code, NULL), UI_BOLD | UI_FRAME);
    add_strengths(p);
    add_picture(p);
    add_nav(p, ui_tr(K.loc, "thanks_done"), UI_PRIMARY, FLOW_EV_THANKS_DONE);
}

static void build_worker(ui_page *p)
{
    heading(p, ui_tr(K.loc, "worker_heading"));
    add_text(p, ui_tr(K.loc, "worker_text"), 0);
    add_nav(p, ui_tr(K.loc, "worker_close"), UI_PRIMARY, FLOW_EV_WORKER_CLOSE);
}

static void build_warning(const ui_metrics *m)
{
    ui_list_begin_modal(&K.list);
    int bw = m->w - 2 * m->margin;
    if (bw > m->px * 24)
        bw = m->px * 24;
    int pad = m->margin, inner = bw - 2 * pad;
    const char *head = ui_tr(K.loc, "idle_heading");
    const char *text = tr2("idle_text", num(K.f.warning_secs), NULL);
    const char *go_on = ui_tr(K.loc, "idle_continue");
    int hpx = m->px * 3 / 2;
    int bh = ui_button_height(&K.list, go_on, inner, m->px, UI_PRIMARY, m->min_target * 3 / 2);
    int h = ui_text_height(&K.list, head, inner, hpx, true) +
            ui_text_height(&K.list, text, inner, m->px, false) + bh + 2 * pad + 2 * m->gap;
    SDL_Rect box = {(m->w - bw) / 2, (m->h - h) / 2, bw, h};
    ui_list_panel(&K.list, box);
    int y = box.y + pad;
    y += ui_list_text(&K.list, box.x + pad, y, inner, head, hpx, UI_BOLD) + m->gap;
    y += ui_list_text(&K.list, box.x + pad, y, inner, text, m->px, 0) + m->gap;
    ui_list_button(&K.list, (SDL_Rect){box.x + pad, y, inner, bh}, go_on, m->px,
                   UI_PRIMARY | UI_CENTER | UI_BOLD, FLOW_EV_CONTINUE, 0);
}

/* "Lue ääneen" at the top right of every screen. */
static void add_read_aloud(ui_page *p)
{
    p->corner = (ui_item){ui_tr(K.loc, "read_aloud"), UI_SPEAKER, KIOSK_READ, 0};
}

static void layout(void)
{
    static void (*const builders[])(ui_page *) = {
        [FLOW_START] = build_start,       [FLOW_RESUME] = build_resume, [FLOW_INFO] = build_info,
        [FLOW_IDENT] = build_ident,       [FLOW_CODE] = build_code,     [FLOW_CHOOSE] = build_choose,
        [FLOW_INTRO] = build_intro,       [FLOW_QUESTION] = build_question,
        [FLOW_REVIEW] = build_review,     [FLOW_SAVE_ERROR] = build_save_error,
        [FLOW_THANKS] = build_thanks,     [FLOW_WORKER] = build_worker,
        [FLOW_CONSENT] = build_consent,
    };
    ui_page p;
    memset(&p, 0, sizeof p);
    ui_app_keep_reset(K.ui);
    p.more_label = ui_tr(K.loc, "more_options");
    p.less_label = ui_tr(K.loc, "less_options");
    builders[K.f.screen](&p);
    if (K.f.assisted_by[0] && p.n_texts < UI_PAGE_TEXTS) /* the worker enters the answers */
        add_text(&p, ui_tr(K.loc, "interview_note"), UI_MUTED);
    if (K.speak)
        add_read_aloud(&p);
    int w, h;
    ui_draw_size(K.ui->draw, &w, &h);
    ui_metrics m = ui_metrics_for(w, h, K.f.text_percent);
    ui_list_clear(&K.list);
    ui_page_layout(&K.list, &p, &m, &K.page);
    if (K.f.warning)
        build_warning(&m);
    K.relayout = false;
    K.redraw = true;
}

/* ---- speech ------------------------------------------------------------------------------ */

/* Something plays for `ms`: the loop wakes then to pause the sound device (no idle CPU). */
static void sound_for(int ms)
{
    K.sound_until = ms > 0 ? ui_clock_now(&K.ui->clock) + (uint64_t)ms + 50 : 0;
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
static void speech_tables_load(void)
{
    char dir[1100];
    its_err err;
    if (!K.speak)
        return;
    if (its_path(dir, sizeof dir, &err, "%s/locale/speech", K.o->data_dir) != 0 ||
        speech_words_load(dir, &err) != 0)
        fprintf(stderr, "itsearvio: read-aloud: %s\n", err.msg);
}

/* Reads the visible texts, then the choices, in the screen's language. */
static void read_aloud(void)
{
    static char text[8192];
    text[0] = '\0';
    for (int pass = 0; pass < 2; pass++)
        for (int i = K.list.modal; i < K.list.n; i++) {
            const ui_widget *w = &K.list.w[i];
            bool want = pass == 0 ? w->kind == UI_TEXT : w->kind == UI_BUTTON && is_choice(w);
            size_t len = strlen(w->text);
            if (!want || len == 0)
                continue;
            bool stop = strchr(".?!:", w->text[len - 1]) != NULL; /* a pause after each */
            its_appendf(text, sizeof text, "%s%s\n", w->text, stop ? "" : ".");
        }
    if (K.bench)
        fprintf(stderr, "bench read_aloud screen=%d\n", (int)K.f.screen);
    const char *lang = speech_has_language(ui_locale_lang(K.loc)) ? ui_locale_lang(K.loc) : "fi";
    speech_audio a = {0};
    its_err err;
    if (speech_synthesise(text, lang, &a, &err) == 0)
        sound_for(ui_audio_play(&K.ui->audio, a.samples, a.n_samples, a.sample_rate));
    else
        fprintf(stderr, "itsearvio: read-aloud: %s\n", err.msg);
    speech_audio_free(&a);
    its_wipe(text, sizeof text); /* it may hold answers (review) */
}

/* ---- carrying out the machine's effects --------------------------------------------------- */

static void apply(unsigned fx);

static flow_event event(flow_event_kind kind, int arg)
{
    return (flow_event){kind, arg, NULL, 0, (int64_t)time(NULL), 0};
}

/* One event through the machine, and what it returns carried out. */
static void feed(flow_event e)
{
    apply(flow_step(&K.f, e));
}

/* A button (its action and arg) or the key standing for it. */
static void send_event(int action, int arg)
{
    if (action == KIOSK_READ) {
        read_aloud();
        return;
    }
    flow_event e = event((flow_event_kind)action, arg);
    if (e.kind == FLOW_EV_SEND)
        e.random = random_bits(); /* an anonymous client's pickup code */
    feed(e);
}

static void draft_write(void)
{
    if (!K.f.active)
        return;
    char *text = flow_draft_text(&K.f);
    its_err err;
    if (!text || K.o->sink->draft_save(K.o->sink, text, strlen(text), &err) != 0)
        fprintf(stderr, "itsearvio: the draft was not saved: %s\n", text ? err.msg : "no memory");
    if (text) {
        its_wipe(text, strlen(text));
        free(text);
    }
}

static void draft_load(void)
{
    char *data = NULL;
    size_t len = 0;
    its_err err;
    int rc = K.o->sink->draft_load(K.o->sink, &data, &len, &err);
    if (rc < 0)
        fprintf(stderr, "itsearvio: the draft could not be read: %s\n", err.msg);
    flow_event e = event(rc == 1 ? FLOW_EV_DRAFT_FOUND : FLOW_EV_DRAFT_NONE, 0);
    e.data = data;
    e.len = len;
    feed(e);
    kiosk_sink_draft_free(data, len);
}

static void draft_wipe(void)
{
    its_err err;
    if (K.o->sink->draft_wipe(K.o->sink, &err) != 0)
        fprintf(stderr, "itsearvio: %s\n", err.msg);
}

/* The sink answers whether the result is durable: SAVED or SAVE_FAILED. */
static void send_result(void)
{
    its_err err;
    char *payload = flow_result_text(&K.f, (int64_t)time(NULL), K.o->sink->device, &err);
    char id[37];
    int rc = payload ? K.o->sink->save_result(K.o->sink, payload, strlen(payload), id, &err) : -1;
    if (payload) {
        its_wipe(payload, strlen(payload));
        free(payload);
    }
    flow_event e = event(rc == 0 ? FLOW_EV_SAVED : FLOW_EV_SAVE_FAILED, 0);
    e.data = rc == 0 ? NULL : err.msg;
    feed(e);
}

/* A new screen: silence, its first part, nothing focused, and the double-tap guard. */
static void show_screen(void)
{
    ui_audio_stop(&K.ui->audio); /* never read the previous screen over the new one */
    K.page = 0;
    K.shown_at = ui_clock_now(&K.ui->clock);
    K.list.focus = -1;
    K.list.focus_action = 0;
}

static void apply(unsigned fx)
{
    if (fx & FLOW_FX_LOG)
        fprintf(stderr, "itsearvio: %s\n", K.f.err.msg);
    if (fx & FLOW_FX_DRAFT_WIPE)
        draft_wipe();
    if (fx & FLOW_FX_DRAFT_SAVE)
        draft_write();
    if (fx & FLOW_FX_PREFS) /* the colours are read from K.f.theme as the screen is drawn */
        ui_locale_set(K.loc, K.f.lang);
    if (fx & FLOW_FX_SCREEN)
        show_screen();
    if (fx & FLOW_FX_READ)
        K.read_pending = K.f.read_all;
    if (fx & (FLOW_FX_SCREEN | FLOW_FX_RELAYOUT | FLOW_FX_PREFS))
        K.relayout = true;
    if (fx & FLOW_FX_IDLE_ARM)
        ui_idle_arm(&K.idle, ui_clock_now(&K.ui->clock));
    if (fx & FLOW_FX_IDLE_DISARM)
        ui_idle_disarm(&K.idle);
    if (fx & FLOW_FX_IDLE_TOUCH)
        ui_idle_touch(&K.idle, ui_clock_now(&K.ui->clock));
    if (fx & FLOW_FX_CHIME) /* heard even by someone not looking at the screen */
        sound_for(ui_audio_chime(&K.ui->audio));
    if (fx & FLOW_FX_OPEN_WORKER)
        K.open_worker = true; /* run_loop hands the window over */
    if (fx & FLOW_FX_SEND_RESULT)
        send_result();
    if (fx & FLOW_FX_DRAFT_LOAD)
        draft_load();
}

void kiosk_open_worker(void)
{
    feed(event(FLOW_EV_WORKER_OPEN, 0));
}

/* The worker's screens in this window; afterwards the kiosk goes on where it was. -1 failed,
 * 1 the script ended there, else 0. */
static int run_worker(ui_script *script, its_err *err)
{
    K.open_worker = false;
    char who[KIOSK_WHO_MAX] = "";
    int rc = K.o->worker(K.o->worker_ctx, K.ui, script, who, err);
    feed(event(FLOW_EV_WORKER_CLOSE, 0));
    if (rc == 2) { /* an interview: the worker enters this client's answers */
        flow_event e = event(FLOW_EV_INTERVIEW, 0);
        e.data = who;
        e.len = strlen(who);
        feed(e);
        rc = 0;
    }
    return rc;
}

/* ---- events ------------------------------------------------------------------------------- */

static void fire(int index)
{
    if (index < 0 || index >= K.list.n)
        return;
    ui_widget *w = &K.list.w[index];
    if (w->action == UI_ACT_MORE || w->action == UI_ACT_LESS) { /* another part of the page */
        K.page += w->action == UI_ACT_MORE ? 1 : -1;
        K.relayout = true;
        K.shown_at = ui_clock_now(&K.ui->clock); /* a repeated tap never acts on what the part brings */
    } else {
        send_event(w->action, w->arg);
    }
    K.redraw = true;
}

static void handle_pointer(ui_ptr p)
{
    uint64_t now = ui_clock_now(&K.ui->clock);
    int w, h;
    ui_draw_size(K.ui->draw, &w, &h);
    int corner = ui_metrics_for(w, h, 100).min_target * 3 / 2; /* the hidden worker corner */
    if (p.kind == UI_PTR_DOWN) {
        K.corner_at = (p.x < corner && p.y < corner) ? now : 0;
        if (now - K.shown_at < GUARD_MS)
            return; /* invariant 5: the tail of a double tap */
        if (!K.f.warning)
            ui_idle_touch(&K.idle, now);
    }
    if (p.kind == UI_PTR_UP && K.corner_at && p.x < corner && p.y < corner &&
        now - K.corner_at >= LONG_PRESS_MS) {
        K.corner_at = 0;
        kiosk_open_worker();
        return;
    }
    int before = K.list.pressed;
    int fired = ui_list_pointer(&K.list, p);
    if (K.list.pressed != before)
        K.redraw = true;
    if (fired >= 0) {
        if (K.bench)
            K.tap_t0 = K.tap_t0 ? K.tap_t0 : mono_ns();
        fire(fired);
    }
}

/* The button a key stands for on this screen, by action; -1 none. */
static int find_action(int a, int arg, bool any_arg)
{
    for (int i = K.list.n - 1; i >= K.list.modal; i--)
        if (K.list.w[i].kind == UI_BUTTON && K.list.w[i].action == a &&
            (any_arg || K.list.w[i].arg == arg))
            return i;
    return -1;
}

/* A number key on a question: a digit of a number; on answers in words the one at that place
 * (1 the first, as a person counts the buttons); on a row of number keys the one with that
 * number, where "1" and then "0" within KEY_TEN_MS is 10 (README, "The kiosk screens"). */
static void digit_key(int d)
{
    const qn_scale *sc = &cur_qn()->scales[cur_qn()->items[K.f.s.pos].scale];
    if (sc->kind == QN_SCALE_NUMBER) {
        send_event(FLOW_EV_DIGIT, d);
        K.redraw = true;
        return;
    }
    bool by_value = scale_is_keys(sc);
    uint64_t now = ui_clock_now(&K.ui->clock);
    int n = d, ten = K.key_number * 10 + d;
    if (by_value && K.key_item == K.f.s.pos && K.key_number > 0 && now - K.key_at < KEY_TEN_MS &&
        qn_scale_pick(sc, ten, true) >= 0)
        n = ten;
    K.key_number = n;
    K.key_at = now;
    K.key_item = K.f.s.pos;
    int k = qn_scale_pick(sc, n, by_value);
    if (k >= 0)
        send_event(sc->kind == QN_SCALE_MULTI ? FLOW_EV_TOGGLE : FLOW_EV_ANSWER,
                   sc->kind == QN_SCALE_MULTI ? k : sc->options[k].value);
    K.redraw = true;
}

static void handle_key(const SDL_KeyboardEvent *k)
{
    SDL_Keycode sym = k->keysym.sym;
    bool ctrl = k->keysym.mod & KMOD_CTRL, alt = k->keysym.mod & KMOD_ALT;
    if (ctrl && alt && sym == SDLK_w) {
        kiosk_open_worker();
        return;
    }
    if (!K.f.warning)
        ui_idle_touch(&K.idle, ui_clock_now(&K.ui->clock));
    int target = -1;
    if (sym == SDLK_UP || sym == SDLK_LEFT || (sym == SDLK_TAB && (k->keysym.mod & KMOD_SHIFT)))
        ui_list_focus_move(&K.list, -1);
    else if (sym == SDLK_DOWN || sym == SDLK_RIGHT || sym == SDLK_TAB)
        ui_list_focus_move(&K.list, 1);
    else if (sym == SDLK_RETURN || sym == SDLK_KP_ENTER || sym == SDLK_SPACE)
        target = K.list.focus >= K.list.modal ? K.list.focus : ui_list_find_primary(&K.list);
    else if (sym == SDLK_ESCAPE)
        target = find_action(FLOW_EV_BACK, 0, true);
    else if (sym == SDLK_BACKSPACE)
        target = find_action(FLOW_EV_ERASE, 0, true);
    else if (sym >= SDLK_0 && sym <= SDLK_9 && K.f.screen == FLOW_QUESTION && !K.f.warning) {
        digit_key((int)(sym - SDLK_0)); /* whatever part of the page is shown */
        return;
    }
    K.redraw = true;
    if (target >= 0)
        fire(target);
}

static void handle_event(const SDL_Event *e)
{
    switch (e->type) {
    case SDL_KEYDOWN:
        handle_key(&e->key);
        break;
    case SDL_TEXTINPUT:
        if (K.f.screen == FLOW_CODE && !K.f.warning)
            for (const char *c = e->text.text; *c; c++)
                if (*c != '-' && *c != ' ')
                    send_event(FLOW_EV_KEY, *c);
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            K.relayout = true;
        K.redraw = true;
        break;
    case SDL_QUIT:
        if (K.o->windowed) /* a kiosk has no exit (lockdown) */
            K.quit = true;
        break;
    default:
        break;
    }
}

/* The idle deadlines as the machine's events; returns ms until they need looking at again
 * (-1 never). */
static int64_t idle_tick(void)
{
    uint64_t now = ui_clock_now(&K.ui->clock);
    ui_idle_state st = ui_idle_state_at(&K.idle, now);
    if (st == UI_IDLE_EXPIRED)
        feed(event(FLOW_EV_IDLE_EXPIRED, 0));
    else if (st == UI_IDLE_WARNING)
        feed(event(FLOW_EV_IDLE_WARNING, ui_idle_seconds_left(&K.idle, now)));
    else if (K.f.warning)
        feed(event(FLOW_EV_IDLE_QUIET, 0));
    int64_t wait = ui_idle_wait_ms(&K.idle, now);
    if (K.sound_until && now >= K.sound_until) {
        ui_audio_settle(&K.ui->audio);
        K.sound_until = 0;
    }
    if (K.sound_until) {
        int64_t left = (int64_t)(K.sound_until - now);
        wait = wait < 0 || left < wait ? left : wait;
    }
    return wait;
}

static void render(void)
{
    if (K.relayout)
        layout();
    if (!K.redraw)
        return;
    ui_draw_clear(K.ui->draw, ui_theme_at((ui_theme_id)K.f.theme)->paper);
    ui_list_draw(&K.list, K.ui->draw, ui_theme_at((ui_theme_id)K.f.theme));
    ui_draw_present(K.ui->draw);
    K.redraw = false;
    if (K.bench && !K.first_frame_done)
        fprintf(stderr, "bench first_frame_ns=%llu\n", (unsigned long long)mono_ns());
    K.first_frame_done = true;
    if (K.bench && !K.first_question_done && K.f.screen == FLOW_QUESTION) {
        fprintf(stderr, "bench first_question_ns=%llu\n", (unsigned long long)mono_ns());
        K.first_question_done = true;
    }
    if (K.bench && K.tap_t0) {
        if (K.n_lat == K.cap_lat) {
            K.cap_lat = K.cap_lat ? K.cap_lat * 2 : 256;
            double *l = realloc(K.lat, (size_t)K.cap_lat * sizeof *l);
            if (!l)
                return;
            K.lat = l;
        }
        K.lat[K.n_lat++] = (double)(mono_ns() - K.tap_t0) / 1000.0;
        K.tap_t0 = 0;
        /* each tap too, after the clock stopped: tests/bench tells the "send" taps (a durable
         * save, fsync included, before THANKS) from the rest */
        fprintf(stderr, "bench tap_us=%.0f saved=%d\n", K.lat[K.n_lat - 1], K.f.screen == FLOW_THANKS);
    }
}

/* ---- on the common loop (ui_loop.h) ------------------------------------------------------ */

static int64_t screen_tick(void *self)
{
    return idle_tick();
}

static void screen_render(void *self, bool force)
{
    K.redraw |= force;
    render();
}

static void screen_pointer(void *self, ui_ptr p)
{
    handle_pointer(p);
}

static void screen_event(void *self, const SDL_Event *e)
{
    handle_event(e);
}

static bool screen_done(void *self)
{
    return K.quit;
}

/* "Näytä lisää" of a page in parts. */
static int find_more(void *self, SDL_Rect *r)
{
    int i = find_action(UI_ACT_MORE, 0, true);
    if (i < 0)
        return -1;
    *r = K.list.w[i].r;
    return 0;
}

/* Between frames: the worker's screens when the gesture was made, reading a new screen aloud,
 * the benchmark's first frame, and looking for read-aloud once the first frame is out. */
static int screen_frame(void *self, ui_script *script, its_err *err)
{
    if (K.open_worker) {
        int rc = run_worker(script, err);
        return rc < 0 ? -1 : rc == 1 ? UI_LOOP_STOP : UI_LOOP_AGAIN;
    }
    if (K.read_pending && K.speak && !K.relayout) { /* the new screen as it is shown */
        K.read_pending = false;
        read_aloud();
    }
    if (K.o->bench_shot && K.first_frame_done)
        return ui_draw_save_png(K.ui->draw, K.o->bench_shot, err) == 0 ? UI_LOOP_STOP : -1;
    if (!K.probed) { /* after the first frame, so a slow sound system never delays it */
        its_err speech_err;
        K.probed = true;
        /* read-aloud only when it can really speak: espeak-ng and a sound device */
        K.speak = speech_init(&speech_err) == 0 && ui_audio_open(&K.ui->audio, 22050);
        speech_tables_load();
        K.relayout = K.speak;
        return UI_LOOP_AGAIN;
    }
    if (K.bench && script && script->next < script->n && !SDL_HasEvents(0, UINT32_MAX) &&
        script->cmds[script->next].op == UI_SCRIPT_TAP)
        K.tap_t0 = mono_ns(); /* the tap the script pushes next */
    return UI_LOOP_GO;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bench_report(void)
{
    if (!K.bench || K.n_lat == 0)
        return;
    qsort(K.lat, (size_t)K.n_lat, sizeof *K.lat, cmp_double);
    long made;
    int held;
    ui_draw_cache_stats(K.ui->draw, &made, &held);
    fprintf(stderr, "bench taps=%d tap_to_frame_median_us=%.0f tap_to_frame_p99_us=%.0f "
                    "textures_made=%ld textures_held=%d\n",
            K.n_lat, K.lat[K.n_lat / 2], K.lat[(K.n_lat * 99) / 100], made, held);
}

/* ---- benchmark runs (tests/bench) -------------------------------------------------------- */

/* --bench-question N: the Nth question shown of the first questionnaire, anonymous, as if the
 * client had tapped through start, information, identification and instructions. */
static void bench_open_question(int n)
{
    apply(flow_open_question(&K.f, n, (int64_t)time(NULL)));
}

/* ---- the loop ------------------------------------------------------------------------------ */

/* A stop signal ends the loop between two events, so no answer is half-handled: each one was
 * already in the draft (invariant 2), which stays for the restart as after a crash. */
static int run_loop(ui_script *script, its_err *err)
{
    ui_screen sc = {.self = &K, .app = K.ui, .tick = screen_tick, .render = screen_render,
                    .pointer = screen_pointer, .event = screen_event, .done = screen_done,
                    .frame = screen_frame, .top = &K.list, .find_more = find_more,
                    .name = "the screen"};
    return ui_loop_run(&sc, script, err) < 0 ? -1 : 0;
}

int kiosk_run(const kiosk_opts *o, its_err *err)
{
    memset(&K, 0, sizeof K);
    K.o = o;
    K.bench = getenv("ITS_BENCH") != NULL;
    int countdown = o->countdown_seconds >= 20 ? o->countdown_seconds : 30;
    int idle = o->idle_seconds > 0 ? o->idle_seconds : 120;
    ui_idle_init(&K.idle, (uint64_t)idle * 1000u, (uint64_t)countdown * 1000u);
    if (o->n_qns < 1)
        return its_fail(err, "No questionnaire to ask.");
    ui_app app;
    ui_draw_opts d = {o->w, o->h, !o->windowed && o->w == 0, !o->windowed, NULL, "Itsearvio"};
    bool opened = ui_app_open(&app, o->data_dir, o->lang, o->script, d, err) == 0;
    int rc = opened ? 0 : -1;
    K.ui = &app;
    K.loc = &app.loc;
    ui_list_init(&K.list, ui_draw_measure(app.draw));
    if (opened) {
        const char *const *langs;
        int n_langs = ui_locale_langs(K.loc, &langs);
        /* ui_locale_lang gives the catalogue's own string, which stays put (flow.h) */
        K.fc = (flow_config){(const qn *const *)o->qns, o->n_qns, o->tablet, o->worker != NULL,
                             ui_locale_lang(K.loc), langs, n_langs, UI_THEME_COUNT};
        apply(flow_init(&K.f, &K.fc));
        if (o->bench_question > 0)
            bench_open_question(o->bench_question);
        rc = run_loop(app.sp, err);
        bench_report();
    }
    flow_session_end(&K.f);
    ui_list_free(&K.list);
    free(K.lat);
    if (K.speak)
        speech_shutdown();
    if (opened)
        ui_app_close(&app);
    return rc;
}