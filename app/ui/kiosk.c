/* kiosk.c — the client's assessment, screen by screen, over one qn_session.
 *
 * States (one screen each) and the calls that move between them:
 *
 *   START --start--> INFO --next--> IDENT --code--> CODE --valid code--+
 *     ^  \                            \--anonymous------------------+-+--> [CHOOSE] --> INTRO
 *     |   \--draft found (tablet)--> RESUME --yes--> QUESTION / REVIEW   (several qns)   |
 *     |                                                                               begin
 *     |                  REVIEW <--past the last question-- QUESTION <--next/back-------+
 *     |                    | ^------tap a row: that QUESTION, then back to REVIEW-----|
 *     |                  send (store: durable) --fail--> SAVE_ERROR --retry--+
 *     |                    v                                                 |
 *     +----done/idle--- THANKS <---------------------------------------------+
 *
 * Invariants:
 *   1. A session exists (K.active) only between INTRO and THANKS. Every path out of that range
 *      goes through session_end(), which wipes the answers (session_wipe) and the typed code.
 *   2. Every answer change is written as a draft before the screen changes (draft_save).
 *   3. THANKS is shown only after the sink said the result is durable; the session is wiped
 *      at that moment, so there is no way back into a finished assessment.
 *   4. Idle: on any screen but START, `idle_seconds` without a touch shows a modal countdown;
 *      its end wipes the session (and, on a kiosk, the draft) and returns to START. On START
 *      (after a language or text size change) and THANKS the time just runs out: the defaults
 *      come back for the next person.
 *   5. A button acts on release; a press started on an earlier screen never acts on a new one,
 *      and presses in the first 250 ms of a new screen are ignored (a double tap on "next"
 *      answers one question, a double tap on "send" sends once).
 *   6. The client never sees a flag or a colour for a result: THANKS is the same for everyone.
 */
#include "kiosk.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "clientcode.h"
#include "feedback.h"
#include "result.h"
#include "speech.h"
#include "speech_words.h"
#include "ui_app.h"
#include "ui_audio.h"
#include "ui_draw.h"
#include "ui_idle.h"
#include "ui_input.h"
#include "ui_locale.h"
#include "ui_script.h"
#include "ui_stop.h"
#include "ui_widget.h"

enum {
    GUARD_MS = 250,          /* presses ignored this long after a screen change */
    LONG_PRESS_MS = 3000,    /* hidden worker gesture in the top-left corner */
    TEXT_MIN = 100, TEXT_MAX = 200, TEXT_STEP = 25
};

typedef enum screen {
    S_START, S_RESUME, S_INFO, S_IDENT, S_CODE, S_CHOOSE, S_INTRO, S_QUESTION, S_REVIEW,
    S_SAVE_ERROR, S_THANKS, S_WORKER
} screen;

typedef enum action {
    A_NONE, A_LANG, A_BIGGER, A_SMALLER, A_START, A_BACK, A_NEXT, A_CODE_YES, A_ANON, A_KEY,
    A_ERASE, A_CODE_DONE, A_CHOOSE, A_BEGIN, A_ANSWER, A_REFUSE, A_NA, A_TOGGLE, A_DIGIT,
    A_MINUS, A_PLUS, A_REVIEW_ITEM, A_SEND, A_THANKS_DONE, A_CONTINUE, A_RESUME_YES,
    A_RESUME_NO, A_WORKER_CLOSE, A_READ, A_READ_ALL, A_THEME
} action;

static struct kiosk {
    const kiosk_opts *o;
    screen screen, worker_return;
    int text_percent;
    /* the assessment */
    int qi;                /* chosen questionnaire */
    qn_session s;
    bool active;           /* s holds a session */
    bool anonymous;
    char code[CLIENTCODE_LEN + 1];   /* validated client code, or the pickup code at the end */
    char typed[CLIENTCODE_LEN + 1];  /* what is on the code keypad */
    char started[32];
    bool review_return;    /* a row on REVIEW was tapped: "next" goes back there */
    const char *message;   /* a locale key shown as a plain message on this screen */
    char message_arg[16];
    int page;
    int answered;          /* for THANKS, counted before the wipe */
    /* for THANKS: the client's own areas, strengths first (feedback.h); wiped with the session */
    char fb_names[FEEDBACK_MAX_AREAS][96];
    int fb_values[FEEDBACK_MAX_AREAS];
    int fb_areas, fb_strengths;
    /* the screen */
    ui_list list;
    ui_input input;
    ui_idle idle;
    bool speak;            /* read-aloud available: espeak-ng and a sound device */
    bool read_all;         /* "Lue kaikki ääneen": every screen read as it appears; one client */
    bool read_pending;     /* read_all: the screen shown now has not been read yet */
    uint64_t sound_until;  /* clock time when the sound playing now ends; 0 none */
    bool warning;          /* idle countdown shown */
    int warning_secs;
    bool relayout, redraw;
    uint64_t shown_at;
    uint64_t corner_at;    /* press time in the worker corner, 0 none */
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
    return K.o->qns[K.qi];
}

static int qn_lang(const qn *q)
{
    int l = qn_lang_index(q, ui_locale_lang());
    return l < 0 ? 0 : l;
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

static void iso_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
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

static const char *str_or(const char *s)
{
    return s ? s : "";
}

static void go(screen to)
{
    ui_audio_stop(); /* never read the previous screen over the new one */
    K.screen = to;
    K.message = NULL;
    K.page = 0;
    K.relayout = true;
    K.shown_at = ui_clock_now();
    K.list.focus = -1;
    K.list.focus_action = 0;
    K.read_pending = K.read_all;
    if (to == S_START || (to == S_RESUME && K.o->tablet)) /* a tablet's draft waits for hours */
        ui_idle_disarm(&K.idle);
    else
        ui_idle_arm(&K.idle, K.shown_at);
}

static void say(const char *key, const char *arg)
{
    K.message = key;
    its_strlcpy(K.message_arg, arg ? arg : "", sizeof K.message_arg);
    K.relayout = true;
}

/* Forgets the answers (a questionnaire chosen again starts empty). */
static void session_drop(void)
{
    if (K.active)
        session_wipe(&K.s);
    K.active = false;
    K.review_return = false;
}

/* Ends the assessment in memory: answers, codes, position (invariant 1). */
static void feedback_wipe(void)
{
    its_wipe(K.fb_names, sizeof K.fb_names);
    its_wipe(K.fb_values, sizeof K.fb_values);
    K.fb_areas = K.fb_strengths = 0;
}

static void session_end(void)
{
    session_drop();
    K.anonymous = false;
    its_wipe(K.code, sizeof K.code);
    its_wipe(K.typed, sizeof K.typed);
    its_wipe(K.started, sizeof K.started);
}

/* ---- drafts ------------------------------------------------------------------------------- */

static void draft_write(void)
{
    if (!K.active)
        return;
    const qn *q = cur_qn();
    json_t *d = json_pack("{s:i, s:{s:s, s:s}, s:o, s:i, s:s, s:b, s:s, s:s, s:i}", "format", 1,
                          "questionnaire", "id", q->id, "version", q->version, "answers",
                          session_to_json(&K.s), "pos", K.s.pos, "client", K.code, "anonymous",
                          K.anonymous, "lang", ui_locale_lang(), "started", K.started, "text",
                          K.text_percent);
    char *text = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    its_err err;
    if (!text || K.o->sink->draft_save(K.o->sink, text, strlen(text), &err) != 0)
        fprintf(stderr, "itsearvio: the draft was not saved: %s\n", text ? err.msg : "no memory");
    if (text) {
        its_wipe(text, strlen(text));
        free(text);
    }
}

/* The language and text size the client chose, from a draft. */
static void draft_prefs(const json_t *d)
{
    ui_locale_set(json_string_value(json_object_get(d, "lang")));
    int tp = (int)json_integer_value(json_object_get(d, "text"));
    if (tp >= TEXT_MIN && tp <= TEXT_MAX)
        K.text_percent = tp;
}

/* Restores a draft into the session; false if it does not fit a loaded questionnaire. */
static bool draft_restore(const char *data, size_t len)
{
    json_error_t je;
    json_t *d = json_loadb(data, len, 0, &je);
    json_t *qo = json_object_get(d, "questionnaire");
    const char *id = json_string_value(json_object_get(qo, "id"));
    const char *ver = json_string_value(json_object_get(qo, "version"));
    int found = -1;
    for (int i = 0; id && ver && i < K.o->n_qns; i++)
        if (!strcmp(K.o->qns[i]->id, id) && !strcmp(K.o->qns[i]->version, ver))
            found = i;
    its_err err;
    bool ok = found >= 0 && session_init(&K.s, K.o->qns[found], &err) == 0;
    if (ok) {
        K.active = true;
        K.qi = found;
        ok = session_from_json(&K.s, json_object_get(d, "answers"), &err) == 0;
    }
    if (ok) {
        int pos = (int)json_integer_value(json_object_get(d, "pos"));
        K.s.pos = pos >= 0 && pos <= K.s.q->n_items ? pos : 0;
        if (K.s.pos < K.s.q->n_items && !session_is_shown(&K.s, K.s.pos))
            K.s.pos = session_next(&K.s, K.s.pos);
        its_strlcpy(K.code, str_or(json_string_value(json_object_get(d, "client"))), sizeof K.code);
        K.anonymous = json_is_true(json_object_get(d, "anonymous"));
        its_strlcpy(K.started, str_or(json_string_value(json_object_get(d, "started"))),
                    sizeof K.started);
        draft_prefs(d);
    } else {
        session_end();
    }
    json_decref(d);
    return ok;
}

/* The kiosk's own settings for the next person (after "Valmis", an idle wipe, "Ei, aloita
 * alusta"): nothing the previous client chose -- language, text size, colours, reading
 * everything aloud -- is left for the next one. Going back to START within a session keeps them. */
static void client_defaults(void)
{
    K.text_percent = TEXT_MIN;
    ui_locale_set(K.o->lang);
    K.read_all = false;
    ui_theme_set(UI_THEME_LIGHT);
}

/* Entering START: a draft left by a crash (or, on a tablet, by a pause) is offered first. */
static void start_screen(void)
{
    feedback_wipe(); /* the previous client's picture never reaches the next client */
    go(S_START);
    char *data = NULL;
    size_t len = 0;
    its_err err;
    int rc = K.o->sink->draft_load(K.o->sink, &data, &len, &err);
    if (rc < 0)
        fprintf(stderr, "itsearvio: the draft could not be read: %s\n", err.msg);
    if (rc == 1) { /* ask in the language and text size the client was using */
        json_error_t je;
        json_t *d = json_loadb(data, len, 0, &je);
        draft_prefs(d);
        json_decref(d);
        go(S_RESUME);
    }
    kiosk_sink_draft_free(data, len);
}

/* ---- screens: each fills a page description; ui_page_layout places it -------------------- */

static const char *pool_put(const char *s) /* kept until the next layout (ui_app.h) */
{
    return ui_app_keep(s);
}

/* A locale text with up to two placeholders filled. */
static const char *tr2(const char *key, const char *a, const char *b)
{
    char buf[1024];
    ui_locale_format(buf, sizeof buf, key, a, b, (const char *)NULL);
    return pool_put(buf);
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

static void add_choice(ui_page *p, const char *text, unsigned flags, action a, int arg)
{
    if (p->n_choices < UI_PAGE_CHOICES)
        p->choices[p->n_choices++] = (ui_item){text, flags, (int)a, arg};
}

static void add_nav(ui_page *p, const char *text, unsigned flags, action a)
{
    if (p->n_nav < UI_PAGE_NAV)
        p->nav[p->n_nav++] = (ui_item){text, flags, (int)a, 0};
}

static void heading(ui_page *p, const char *text)
{
    p->heading = text;
    p->heading_flags = UI_BOLD | UI_LARGE;
}

static void build_start(ui_page *p)
{
    heading(p, ui_tr("start_heading"));
    add_text(p, ui_tr("start_text"), 0);
    add_text(p, tr2("text_size", num(K.text_percent), NULL), 0);
    char key[32];
    snprintf(key, sizeof key, "theme_%s", ui_theme_get()->name);
    add_text(p, tr2("theme_text", ui_tr(key), NULL), 0);
    const char *const *codes;
    int n = ui_locale_langs(&codes);
    for (int i = 0; i < n; i++) { /* each language by its own name */
        bool cur = !strcmp(codes[i], ui_locale_lang());
        add_choice(p, ui_locale_name(codes[i]), UI_CHOICE | (cur ? UI_SELECTED : 0), A_LANG, i);
    }
    if (K.speak)
        add_choice(p, ui_tr("read_all"), UI_CHOICE | (K.read_all ? UI_SELECTED : 0), A_READ_ALL, 0);
    add_choice(p, ui_tr("theme_change"), 0, A_THEME, 0);
    /* text size in the bottom row: always in the same place, whatever the size */
    add_nav(p, ui_tr("text_smaller"), 0, A_SMALLER);
    add_nav(p, ui_tr("text_bigger"), 0, A_BIGGER);
    add_nav(p, ui_tr("start_button"), UI_PRIMARY, A_START);
}

static void build_resume(ui_page *p)
{
    heading(p, ui_tr("resume_heading"));
    add_text(p, ui_tr("resume_text"), 0);
    add_choice(p, ui_tr("resume_yes"), 0, A_RESUME_YES, 0);
    add_choice(p, ui_tr("resume_no"), 0, A_RESUME_NO, 0);
}

static void build_info(ui_page *p)
{
    heading(p, ui_tr("info_heading"));
    add_text(p, ui_tr("info_who"), 0);
    add_text(p, ui_tr("info_device"), 0);
    uint64_t secs = K.idle.limit_ms / 1000;
    if (secs % 60 == 0)
        add_text(p, tr2("info_idle_minutes", num((int)(secs / 60)), NULL), UI_BOLD);
    else
        add_text(p, tr2("info_idle_seconds", num((int)secs), NULL), UI_BOLD);
    add_text(p, ui_tr("info_help"), 0);
    add_nav(p, ui_tr("back"), 0, A_BACK);
    add_nav(p, ui_tr("next"), UI_PRIMARY, A_NEXT);
}

static void build_ident(ui_page *p)
{
    heading(p, ui_tr("ident_heading"));
    add_text(p, ui_tr("ident_text"), 0);
    add_text(p, ui_tr("ident_anon_text"), 0);
    add_choice(p, ui_tr("ident_code"), 0, A_CODE_YES, 0);
    add_choice(p, ui_tr("ident_anon"), 0, A_ANON, 0);
    add_nav(p, ui_tr("back"), 0, A_BACK);
}

static void build_code(ui_page *p)
{
    heading(p, ui_tr("code_heading"));
    add_text(p, ui_tr("code_text"), 0);
    char shown[CLIENTCODE_LEN + 1];
    size_t n = strlen(K.typed);
    for (size_t i = 0; i < CLIENTCODE_LEN; i++)
        shown[i] = i < n ? K.typed[i] : '_';
    shown[CLIENTCODE_LEN] = '\0';
    add_text(p, pool_put(shown), UI_FRAME | UI_BOLD);
    if (K.message)
        add_text(p, tr2(K.message, K.message_arg, NULL), UI_ALERT | UI_BOLD);
    p->grid = true;
    for (const char *c = CLIENTCODE_ALPHABET; *c; c++) {
        char key[2] = {*c, '\0'};
        add_choice(p, pool_put(key), UI_CENTER | UI_BOLD, A_KEY, *c);
    }
    add_nav(p, ui_tr("back"), 0, A_BACK);
    add_nav(p, ui_tr("code_erase"), 0, A_ERASE);
    add_nav(p, ui_tr("code_done"), UI_PRIMARY, A_CODE_DONE);
}

static void build_choose(ui_page *p)
{
    heading(p, ui_tr("choose_heading"));
    add_text(p, ui_tr("choose_text"), 0);
    for (int i = 0; i < K.o->n_qns; i++) {
        const qn *q = K.o->qns[i];
        add_choice(p, qn_text_get(qn_client_title(q), qn_lang(q)), 0, A_CHOOSE, i);
    }
    add_nav(p, ui_tr("back"), 0, A_BACK);
}

static void build_intro(ui_page *p)
{
    const qn *q = cur_qn();
    heading(p, qtext(qn_client_title(q)));
    add_text(p, qtext(&q->intro), 0);
    add_text(p, qtext(&q->recall), UI_BOLD);
    add_nav(p, ui_tr("back"), 0, A_BACK);
    add_nav(p, ui_tr("intro_start"), UI_PRIMARY, A_BEGIN);
}

/* The answer to an item in words, for REVIEW. */
static const char *answer_words(int item)
{
    const qn *q = cur_qn();
    const qn_scale *sc = &q->scales[q->items[item].scale];
    qn_answer a = K.s.answers[item];
    switch (a.state) {
    case QN_ANS_REFUSED:
        return ui_tr("refuse");
    case QN_ANS_NA:
        return sc->allow_na ? qtext(&sc->na_label) : ui_tr("review_na");
    case QN_ANS_NONE:
        return ui_tr("review_none");
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

static void build_question(ui_page *p)
{
    const qn *q = cur_qn();
    int item = K.s.pos, number, total;
    const qn_item *it = &q->items[item];
    const qn_scale *sc = &q->scales[it->scale];
    qn_answer a = K.s.answers[item];
    session_progress(&K.s, item, &number, &total);
    p->heading = tr2("progress", num(number), num(total));
    p->heading_flags = UI_MUTED;
    add_text(p, qtext(&it->text), UI_BOLD);
    add_text(p, qtext(&it->help), 0);
    bool keys = scale_is_keys(sc) || sc->kind == QN_SCALE_NUMBER;
    p->grid = keys;
    if (sc->kind == QN_SCALE_NUMBER) {
        add_text(p, ui_tr("number_hint"), 0);
        const char *shown = ui_tr("number_none");
        if (a.state == QN_ANS_VALUE) {
            char buf[128];
            snprintf(buf, sizeof buf, "%d %s", a.value, qtext(&sc->unit));
            shown = pool_put(buf);
        }
        add_text(p, shown, UI_FRAME | UI_BOLD);
        add_choice(p, "\xE2\x80\x93", UI_CENTER | UI_BOLD, A_MINUS, 0); /* en dash: Noto Sans
                                                                      has no U+2212 minus */
        add_choice(p, "+", UI_CENTER | UI_BOLD, A_PLUS, 0);
        for (int d = 1; d <= 10; d++)
            add_choice(p, num(d % 10), UI_CENTER | UI_BOLD, A_DIGIT, d % 10);
        add_choice(p, ui_tr("number_erase"), UI_CENTER | UI_WIDE, A_ERASE, 0);
    } else if (sc->kind == QN_SCALE_MULTI) {
        if (!strstr(qtext(&it->text), ui_tr("multi_many"))) /* unless the question says it */
            add_text(p, ui_tr("multi_many"), 0);
        add_text(p, ui_tr("multi_hint"), 0);
        for (int k = 0; k < sc->n_options; k++) {
            bool on = a.state == QN_ANS_VALUE && ((unsigned)a.value & (1u << k));
            add_choice(p, qtext(&sc->options[k].label), UI_CHOICE | (on ? UI_SELECTED : 0),
                       A_TOGGLE, k);
        }
    } else {
        for (int k = 0; k < sc->n_options; k++) {
            const qn_option *o = &sc->options[k];
            bool on = a.state == QN_ANS_VALUE && a.value == o->value;
            unsigned f = keys ? UI_CENTER | UI_BOLD : UI_CHOICE;
            add_choice(p, qtext(&o->label), f | (on ? UI_SELECTED : 0), A_ANSWER, o->value);
        }
        if (keys && *qtext(&sc->min_label))
            add_text(p, tr2("scale_end", num(sc->min), qtext(&sc->min_label)), 0);
        if (keys && *qtext(&sc->max_label))
            add_text(p, tr2("scale_end", num(sc->max), qtext(&sc->max_label)), 0);
        if (keys && a.state == QN_ANS_VALUE) /* the choice in words too, not only a colour */
            add_text(p, tr2("selected", answer_words(item), NULL), UI_BOLD);
    }
    if (K.message)
        add_text(p, tr2(K.message, K.message_arg, NULL), UI_ALERT | UI_BOLD);
    add_nav(p, ui_tr("back"), 0, A_BACK);
    unsigned refused = a.state == QN_ANS_REFUSED ? UI_SELECTED : 0;
    unsigned na = a.state == QN_ANS_NA ? UI_SELECTED : 0;
    /* on a page of keys these are wide rows under the keys */
    unsigned wide = keys ? UI_WIDE : 0;
    if (sc->allow_na)
        add_choice(p, qtext(&sc->na_label), UI_CHOICE | wide | na, A_NA, 0);
    if (sc->allow_refuse)
        add_choice(p, ui_tr("refuse"), UI_CHOICE | wide | refused, A_REFUSE, 0);
    add_nav(p, ui_tr(sc->kind == QN_SCALE_MULTI ? "multi_done" : "next"), UI_PRIMARY, A_NEXT);
}

static void build_review(ui_page *p)
{
    const qn *q = cur_qn();
    heading(p, ui_tr("review_heading"));
    add_text(p, ui_tr("review_text"), 0);
    p->wide = true;
    p->part_text = ui_tr("review_part");
    p->main_on_last = true; /* "Lähetä vastaukset" where every answer has been seen */
    for (int i = 0; i < q->n_items; i++)
        if (session_is_shown(&K.s, i))
            add_choice(p, tr2("review_row", qtext(&q->items[i].short_text), answer_words(i)), 0,
                       A_REVIEW_ITEM, i);
    add_nav(p, ui_tr("back"), 0, A_BACK);
    add_nav(p, ui_tr("send"), UI_PRIMARY, A_SEND);
}

static void build_save_error(ui_page *p)
{
    heading(p, ui_tr("save_failed_heading"));
    p->heading_flags |= UI_ALERT;
    add_text(p, ui_tr("save_failed"), UI_BOLD);
    add_text(p, ui_tr("save_failed_help"), 0);
    add_nav(p, ui_tr("back"), 0, A_BACK);
    add_nav(p, ui_tr("retry"), UI_PRIMARY, A_SEND);
}

/* Strengths first, in plain words; when no area is below 25 % difficulty, a true and kind
 * sentence instead of a strength that is not there. */
static void add_strengths(ui_page *p)
{
    if (K.fb_strengths == 0) {
        if (K.fb_areas > 0)
            add_text(p, ui_tr("thanks_no_strengths"), UI_BOLD);
        return;
    }
    char names[400] = "";
    for (int i = 0; i < K.fb_strengths; i++)
        its_appendf(names, sizeof names, "%s%s", i ? ", " : "", K.fb_names[i]);
    add_text(p, tr2("thanks_strengths", names, NULL), UI_BOLD);
}

/* The simple picture: one bar per area, best first, in one colour that judges nothing. */
static void add_picture(ui_page *p)
{
    if (K.fb_areas < 2)
        return;
    add_text(p, ui_tr("thanks_picture"), UI_MUTED);
    for (int i = 0; i < K.fb_areas && p->n_texts < UI_PAGE_TEXTS; i++) {
        add_text(p, K.fb_names[i], UI_BAR);
        p->texts[p->n_texts - 1].arg = K.fb_values[i];
    }
}

static void build_thanks(ui_page *p)
{
    heading(p, ui_tr("thanks_heading"));
    add_text(p, tr2("thanks_count", num(K.answered), NULL), 0);
    add_text(p, ui_tr("thanks_next"), 0); /* first: it must be seen even at 200 % */
    if (K.anonymous && K.code[0])
        add_text(p, tr2("thanks_code", K.code, NULL), UI_BOLD | UI_FRAME);
    add_strengths(p);
    add_picture(p);
    add_nav(p, ui_tr("thanks_done"), UI_PRIMARY, A_THANKS_DONE);
}

static void build_worker(ui_page *p)
{
    heading(p, ui_tr("worker_heading"));
    add_text(p, ui_tr("worker_text"), 0);
    add_nav(p, ui_tr("worker_close"), UI_PRIMARY, A_WORKER_CLOSE);
}

static void build_warning(const ui_metrics *m)
{
    ui_list_begin_modal(&K.list);
    int bw = m->w - 2 * m->margin;
    if (bw > m->px * 24)
        bw = m->px * 24;
    int pad = m->margin, inner = bw - 2 * pad;
    const char *head = ui_tr("idle_heading");
    const char *text = tr2("idle_text", num(K.warning_secs), NULL);
    const char *go_on = ui_tr("idle_continue");
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
                   UI_PRIMARY | UI_CENTER | UI_BOLD, A_CONTINUE, 0);
}

/* "Lue ääneen" at the top right of every screen. */
static void add_read_aloud(ui_page *p)
{
    p->corner = (ui_item){ui_tr("read_aloud"), UI_SPEAKER, A_READ, 0};
}

static void layout(void)
{
    static void (*const builders[])(ui_page *) = {
        [S_START] = build_start,       [S_RESUME] = build_resume, [S_INFO] = build_info,
        [S_IDENT] = build_ident,       [S_CODE] = build_code,     [S_CHOOSE] = build_choose,
        [S_INTRO] = build_intro,       [S_QUESTION] = build_question,
        [S_REVIEW] = build_review,     [S_SAVE_ERROR] = build_save_error,
        [S_THANKS] = build_thanks,     [S_WORKER] = build_worker,
    };
    ui_page p;
    memset(&p, 0, sizeof p);
    ui_app_keep_reset();
    p.more_label = ui_tr("more_options");
    p.less_label = ui_tr("less_options");
    builders[K.screen](&p);
    if (K.speak)
        add_read_aloud(&p);
    int w, h;
    ui_draw_size(&w, &h);
    ui_metrics m = ui_metrics_for(w, h, K.text_percent);
    ui_list_clear(&K.list);
    ui_page_layout(&K.list, &p, &m, &K.page);
    if (K.warning)
        build_warning(&m);
    K.relayout = false;
    K.redraw = true;
}

/* ---- what the buttons do ------------------------------------------------------------------ */

static void show_item(int item)
{
    K.s.pos = item;
    draft_write(); /* the position too, so a resumed draft opens where the client was */
    go(item >= cur_qn()->n_items ? S_REVIEW : S_QUESTION);
}

static void set_answer(qn_answer a)
{
    its_err err;
    if (session_set(&K.s, K.s.pos, a, &err) != 0) {
        fprintf(stderr, "itsearvio: %s\n", err.msg);
        return;
    }
    K.message = NULL;
    draft_write(); /* invariant 2 */
    K.relayout = true;
}

static void begin_assessment(int qi)
{
    session_drop();
    its_err err;
    K.qi = qi;
    if (session_init(&K.s, cur_qn(), &err) != 0) {
        fprintf(stderr, "itsearvio: %s\n", err.msg);
        return;
    }
    K.active = true;
    go(S_INTRO);
}

/* After identification: choose a questionnaire if there are several. */
static void after_ident(void)
{
    if (K.o->n_qns > 1)
        go(S_CHOOSE);
    else
        begin_assessment(0);
}

static void next_question(void)
{
    qn_answer a = K.s.answers[K.s.pos];
    if (a.state == QN_ANS_NONE) {
        say("choose_answer", NULL);
        return;
    }
    int next = session_next(&K.s, K.s.pos);
    if (K.review_return && (next >= cur_qn()->n_items || K.s.answers[next].state != QN_ANS_NONE))
        next = cur_qn()->n_items;
    show_item(next);
}

static void type_code_char(char c)
{
    size_t n = strlen(K.typed);
    c = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (!strchr(CLIENTCODE_ALPHABET, c) || c == '\0' || n >= CLIENTCODE_LEN)
        return;
    K.typed[n] = c;
    K.typed[n + 1] = '\0';
    K.message = NULL;
    K.relayout = true;
}

static void code_done(void)
{
    size_t n = strlen(K.typed);
    char norm[CLIENTCODE_LEN + 1];
    if (n != CLIENTCODE_LEN) {
        char got[24];
        snprintf(got, sizeof got, "%zu", n);
        say("code_short", got);
    } else if (!clientcode_valid(K.typed, norm)) {
        say("code_wrong", NULL);
    } else {
        its_strlcpy(K.code, norm, sizeof K.code);
        K.anonymous = false;
        after_ident();
    }
}

static void number_key(action a, int digit)
{
    const qn *q = cur_qn();
    const qn_scale *sc = &q->scales[q->items[K.s.pos].scale];
    qn_answer cur = K.s.answers[K.s.pos];
    bool has = cur.state == QN_ANS_VALUE;
    long v = has ? cur.value : sc->min;
    if (a == A_DIGIT)
        v = has ? v * 10 + digit : digit;
    else if (a == A_PLUS)
        v = has ? v + 1 : sc->min;
    else if (a == A_MINUS)
        v = has ? v - 1 : sc->min;
    else if (a == A_ERASE) {
        if (!has || v < 10) {
            set_answer((qn_answer){QN_ANS_NONE, 0});
            return;
        }
        v /= 10;
    }
    if (v > sc->max) {
        say("number_max", num(sc->max));
        return;
    }
    if (v < sc->min)
        v = sc->min;
    set_answer((qn_answer){QN_ANS_VALUE, (int)v});
}

/* Builds the result on a copy whose answers to questions skip logic hides read "na", so an
 * answer given before the client changed a gate question is never stored. */
static char *result_payload(its_err *err)
{
    qn_session copy = K.s;
    size_t n = (size_t)cur_qn()->n_items;
    copy.answers = malloc(n * sizeof *copy.answers);
    if (!copy.answers) {
        its_fail(err, "out of memory");
        return NULL;
    }
    memcpy(copy.answers, K.s.answers, n * sizeof *copy.answers);
    for (size_t i = 0; i < n; i++)
        if (!session_is_shown(&K.s, (int)i))
            copy.answers[i] = (qn_answer){QN_ANS_NA, 0};
    char completed[32];
    iso_now(completed);
    result_meta meta = {K.code, K.started, completed, K.o->sink->device};
    json_t *r = result_build(&copy, &meta, NULL, 0, qn_lang(cur_qn()), err);
    its_wipe(copy.answers, n * sizeof *copy.answers);
    free(copy.answers);
    char *text = r ? json_dumps(r, JSON_COMPACT) : NULL;
    json_decref(r);
    if (r && !text)
        its_fail(err, "out of memory");
    return text;
}

/* Before the session is wiped: the areas for the thank-you screen, on the "goes well" scale. */
static void keep_feedback(void)
{
    const qn *q = cur_qn();
    feedback_wipe();
    score_value *scores = calloc((size_t)q->n_scores + 1, sizeof *scores);
    if (!scores)
        return;
    score_all(&K.s, scores);
    feedback fb;
    feedback_build(q, scores, &fb);
    for (int i = 0; i < fb.n_areas; i++) {
        its_strlcpy(K.fb_names[i], qtext(&q->domains[fb.areas[i].domain].name), sizeof K.fb_names[i]);
        K.fb_values[i] = (int)(fb.areas[i].goes_well + 0.5);
    }
    K.fb_areas = fb.n_areas;
    K.fb_strengths = fb.n_strengths;
    its_wipe(scores, (size_t)q->n_scores * sizeof *scores);
    free(scores);
}

static void send_result(void)
{
    if (!K.active || (K.screen != S_REVIEW && K.screen != S_SAVE_ERROR))
        return; /* invariant 3: once sent, nothing to send */
    if (K.anonymous && !K.code[0]) {
        char pickup[CLIENTCODE_LEN + 1];
        clientcode_make(random_bits(), pickup);
        its_strlcpy(K.code, pickup, sizeof K.code);
    }
    its_err err;
    char *payload = result_payload(&err);
    char id[37];
    int rc = payload ? K.o->sink->save_result(K.o->sink, payload, strlen(payload), id, &err) : -1;
    if (payload) {
        its_wipe(payload, strlen(payload));
        free(payload);
    }
    if (rc != 0) {
        fprintf(stderr, "itsearvio: the result was not saved: %s\n", err.msg);
        go(S_SAVE_ERROR); /* the answers stay in memory and in the draft */
        return;
    }
    keep_feedback();
    K.answered = 0;
    for (int i = 0; i < cur_qn()->n_items; i++)
        if (session_is_shown(&K.s, i) && (K.s.answers[i].state == QN_ANS_VALUE ||
                                           K.s.answers[i].state == QN_ANS_NA))
            K.answered++;
    bool anon = K.anonymous;
    char code[CLIENTCODE_LEN + 1];
    its_strlcpy(code, K.code, sizeof code);
    session_end();
    K.anonymous = anon; /* THANKS shows the pickup code */
    its_strlcpy(K.code, anon ? code : "", sizeof K.code);
    its_wipe(code, sizeof code);
    go(S_THANKS);
}

static void back(void)
{
    switch (K.screen) {
    case S_INFO:
        start_screen();
        break;
    case S_IDENT:
        go(S_INFO);
        break;
    case S_CODE:
        go(S_IDENT);
        break;
    case S_CHOOSE:
        go(S_IDENT);
        break;
    case S_INTRO:
        session_drop();
        go(K.o->n_qns > 1 ? S_CHOOSE : S_IDENT);
        break;
    case S_QUESTION: {
        int prev = session_prev(&K.s, K.s.pos);
        K.review_return = false;
        if (prev < 0)
            go(S_INTRO);
        else
            show_item(prev);
        break;
    }
    case S_REVIEW:
        K.review_return = false;
        show_item(session_prev(&K.s, cur_qn()->n_items));
        break;
    case S_SAVE_ERROR:
        go(S_REVIEW);
        break;
    default:
        break;
    }
}

static void resume(void)
{
    char *data = NULL;
    size_t len = 0;
    its_err err;
    bool ok = K.o->sink->draft_load(K.o->sink, &data, &len, &err) == 1 && draft_restore(data, len);
    kiosk_sink_draft_free(data, len);
    if (ok)
        show_item(K.s.pos);
    else
        go(S_START);
}

/* Something plays for `ms`: the loop wakes then to pause the sound device (no idle CPU). */
static void sound_for(int ms)
{
    K.sound_until = ms > 0 ? ui_clock_now() + (uint64_t)ms + 50 : 0;
}

/* Is this button one of the page's answers or choices (read aloud after the texts)? */
static bool is_choice(const ui_widget *w)
{
    switch ((action)w->action) {
    case A_LANG: case A_CODE_YES: case A_ANON: case A_CHOOSE: case A_ANSWER: case A_REFUSE:
    case A_NA: case A_TOGGLE: case A_REVIEW_ITEM: case A_RESUME_YES: case A_RESUME_NO: case A_READ_ALL:
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
        fprintf(stderr, "bench read_aloud screen=%d\n", (int)K.screen);
    const char *lang = speech_has_language(ui_locale_lang()) ? ui_locale_lang() : "fi";
    speech_audio a = {0};
    its_err err;
    if (speech_synthesise(text, lang, &a, &err) == 0)
        sound_for(ui_audio_play(a.samples, a.n_samples, a.sample_rate));
    else
        fprintf(stderr, "itsearvio: read-aloud: %s\n", err.msg);
    speech_audio_free(&a);
    its_wipe(text, sizeof text); /* it may hold answers (review) */
}

static void act(action a, int arg)
{
    switch (a) {
    case A_LANG: {
        const char *const *codes;
        if (arg >= 0 && arg < ui_locale_langs(&codes))
            ui_locale_set(codes[arg]);
        ui_idle_arm(&K.idle, ui_clock_now());
        K.relayout = true;
        break;
    }
    case A_BIGGER:
    case A_SMALLER:
        ui_idle_arm(&K.idle, ui_clock_now()); /* the next person starts from the defaults */
        K.text_percent += a == A_BIGGER ? TEXT_STEP : -TEXT_STEP;
        K.text_percent = K.text_percent < TEXT_MIN ? TEXT_MIN
                         : K.text_percent > TEXT_MAX ? TEXT_MAX : K.text_percent;
        K.relayout = true;
        break;
    case A_START:
        go(S_INFO);
        break;
    case A_BACK:
        back();
        break;
    case A_NEXT:
        if (K.screen == S_INFO)
            go(S_IDENT);
        else if (K.screen == S_QUESTION)
            next_question();
        break;
    case A_CODE_YES:
        K.typed[0] = '\0';
        go(S_CODE);
        break;
    case A_ANON:
        K.anonymous = true;
        K.code[0] = '\0';
        after_ident();
        break;
    case A_KEY:
        type_code_char((char)arg);
        break;
    case A_ERASE:
        if (K.screen == S_CODE) {
            size_t n = strlen(K.typed);
            if (n)
                K.typed[n - 1] = '\0';
            K.relayout = true;
        } else if (K.screen == S_QUESTION)
            number_key(A_ERASE, 0);
        break;
    case A_CODE_DONE:
        code_done();
        break;
    case A_CHOOSE:
        begin_assessment(arg);
        break;
    case A_BEGIN:
        iso_now(K.started);
        show_item(session_next(&K.s, -1));
        break;
    case A_ANSWER:
        set_answer((qn_answer){QN_ANS_VALUE, arg});
        break;
    case A_REFUSE:
        set_answer((qn_answer){QN_ANS_REFUSED, 0});
        break;
    case A_NA:
        set_answer((qn_answer){QN_ANS_NA, 0});
        break;
    case A_TOGGLE: {
        qn_answer cur = K.s.answers[K.s.pos];
        int mask = cur.state == QN_ANS_VALUE ? cur.value : 0;
        mask ^= 1 << arg;
        set_answer(mask ? (qn_answer){QN_ANS_VALUE, mask} : (qn_answer){QN_ANS_NONE, 0});
        break;
    }
    case A_DIGIT:
    case A_MINUS:
    case A_PLUS:
        number_key(a, arg);
        break;
    case A_REVIEW_ITEM:
        K.review_return = true;
        show_item(arg);
        break;
    case A_SEND:
        send_result();
        break;
    case A_THANKS_DONE:
        session_end();
        client_defaults();
        start_screen();
        break;
    case A_CONTINUE:
        ui_idle_touch(&K.idle, ui_clock_now());
        K.warning = false;
        K.relayout = true;
        break;
    case A_RESUME_YES:
        resume();
        break;
    case A_RESUME_NO: {
        its_err err;
        if (K.o->sink->draft_wipe(K.o->sink, &err) != 0)
            fprintf(stderr, "itsearvio: %s\n", err.msg);
        client_defaults(); /* the draft's language and size were the previous person's */
        go(S_START);
        break;
    }
    case A_WORKER_CLOSE:
        go(K.worker_return);
        break;
    case A_READ:
        read_aloud();
        break;
    case A_THEME:
        ui_idle_arm(&K.idle, ui_clock_now()); /* the next person starts from the defaults */
        ui_theme_set((ui_theme_current() + 1) % UI_THEME_COUNT);
        K.relayout = true;
        break;
    case A_READ_ALL:
        ui_idle_arm(&K.idle, ui_clock_now()); /* the next person starts from the defaults */
        K.read_all = !K.read_all;
        K.read_pending = K.read_all; /* this screen first */
        K.relayout = true;
        break;
    case A_NONE:
        break;
    }
}

void kiosk_open_worker(void)
{
    if (K.screen == S_WORKER)
        return;
    K.worker_return = K.screen;
    K.warning = false;
    if (K.o->worker)
        K.open_worker = true; /* run_loop hands the window over */
    else
        go(S_WORKER);
}

/* The worker's screens in this window; afterwards the kiosk goes on where it was. -1 failed,
 * 1 the script ended there, else 0. */
static int run_worker(ui_script *script, its_err *err)
{
    K.open_worker = false;
    int rc = K.o->worker(K.o->worker_ctx, script, err);
    go(K.worker_return);
    return rc;
}

/* Idle expiry (invariant 4). */
static void expire(void)
{
    session_end();
    K.warning = false;
    if (!K.o->tablet) { /* a kiosk's draft is only for crash recovery */
        its_err err;
        if (K.o->sink->draft_wipe(K.o->sink, &err) != 0)
            fprintf(stderr, "itsearvio: %s\n", err.msg);
    }
    client_defaults();
    start_screen();
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
    } else {
        act((action)w->action, w->arg);
    }
    K.redraw = true;
}

static void handle_pointer(ui_ptr p)
{
    uint64_t now = ui_clock_now();
    int w, h;
    ui_draw_size(&w, &h);
    int corner = ui_metrics_for(w, h, 100).min_target * 3 / 2; /* the hidden worker corner */
    if (p.kind == UI_PTR_DOWN) {
        K.corner_at = (p.x < corner && p.y < corner) ? now : 0;
        if (now - K.shown_at < GUARD_MS)
            return; /* invariant 5: the tail of a double tap */
        if (!K.warning)
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
static int find_action(action a, int arg, bool any_arg)
{
    for (int i = K.list.n - 1; i >= K.list.modal; i--)
        if (K.list.w[i].kind == UI_BUTTON && K.list.w[i].action == (int)a &&
            (any_arg || K.list.w[i].arg == arg))
            return i;
    return -1;
}

/* A number key on a question: the answer with that value, or a digit of a number. */
static void digit_key(int d)
{
    const qn_scale *sc = &cur_qn()->scales[cur_qn()->items[K.s.pos].scale];
    if (sc->kind == QN_SCALE_NUMBER) {
        act(A_DIGIT, d);
    } else {
        for (int k = 0; k < sc->n_options; k++)
            if (sc->options[k].value == d)
                act(sc->kind == QN_SCALE_MULTI ? A_TOGGLE : A_ANSWER,
                    sc->kind == QN_SCALE_MULTI ? k : d);
    }
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
    if (!K.warning)
        ui_idle_touch(&K.idle, ui_clock_now());
    int target = -1;
    if (sym == SDLK_UP || sym == SDLK_LEFT || (sym == SDLK_TAB && (k->keysym.mod & KMOD_SHIFT)))
        ui_list_focus_move(&K.list, -1);
    else if (sym == SDLK_DOWN || sym == SDLK_RIGHT || sym == SDLK_TAB)
        ui_list_focus_move(&K.list, 1);
    else if (sym == SDLK_RETURN || sym == SDLK_KP_ENTER || sym == SDLK_SPACE)
        target = K.list.focus >= K.list.modal ? K.list.focus : ui_list_find_primary(&K.list);
    else if (sym == SDLK_ESCAPE)
        target = find_action(A_BACK, 0, true);
    else if (sym == SDLK_BACKSPACE)
        target = find_action(A_ERASE, 0, true);
    else if (sym >= SDLK_0 && sym <= SDLK_9 && K.screen == S_QUESTION && !K.warning) {
        digit_key((int)(sym - SDLK_0)); /* whatever part of the page is shown */
        return;
    }
    K.redraw = true;
    if (target >= 0)
        fire(target);
}

static void handle_event(const SDL_Event *e, bool *quit)
{
    int w, h;
    ui_draw_size(&w, &h);
    ui_ptr p = ui_input_pointer(&K.input, e, w, h);
    if (p.kind != UI_PTR_NONE) {
        handle_pointer(p);
        return;
    }
    switch (e->type) {
    case SDL_KEYDOWN:
        handle_key(&e->key);
        break;
    case SDL_TEXTINPUT:
        if (K.screen == S_CODE && !K.warning)
            for (const char *c = e->text.text; *c; c++)
                if (*c != '-' && *c != ' ')
                    type_code_char(*c);
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            K.relayout = true;
        K.redraw = true;
        break;
    case SDL_QUIT:
        if (K.o->windowed) /* a kiosk has no exit (lockdown) */
            *quit = true;
        break;
    default:
        break;
    }
}

/* The idle rule, applied at `now`; returns ms until it needs looking at again (-1 never). */
static int64_t idle_tick(void)
{
    uint64_t now = ui_clock_now();
    ui_idle_state st = ui_idle_state_at(&K.idle, now);
    bool no_session = K.screen == S_THANKS || K.screen == S_START; /* nothing to warn about */
    if (st == UI_IDLE_EXPIRED || (st == UI_IDLE_WARNING && no_session)) {
        expire();
        st = ui_idle_state_at(&K.idle, now);
    } else if (st == UI_IDLE_WARNING) {
        int secs = ui_idle_seconds_left(&K.idle, now);
        if (!K.warning || secs != K.warning_secs) {
            if (!K.warning) /* heard even by someone not looking at the screen */
                sound_for(ui_audio_chime());
            K.warning = true;
            K.warning_secs = secs;
            K.relayout = true;
        }
    } else if (K.warning) {
        K.warning = false;
        K.relayout = true;
    }
    int64_t wait = ui_idle_wait_ms(&K.idle, now);
    if (K.sound_until && now >= K.sound_until) {
        ui_audio_settle();
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
    ui_draw_clear(UI_PAPER);
    ui_list_draw(&K.list);
    ui_draw_present();
    K.redraw = false;
    if (K.bench && !K.first_frame_done)
        fprintf(stderr, "bench first_frame_ns=%llu\n", (unsigned long long)mono_ns());
    K.first_frame_done = true;
    if (K.bench && !K.first_question_done && K.screen == S_QUESTION) {
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
        fprintf(stderr, "bench tap_us=%.0f saved=%d\n", K.lat[K.n_lat - 1], K.screen == S_THANKS);
    }
}

/* ---- the script host ---------------------------------------------------------------------- */

static int host_find(void *ctx, const char *label, SDL_Rect *r)
{
    int i = ui_list_find(&K.list, label);
    if (i < 0)
        return -1;
    *r = K.list.w[i].r;
    return 0;
}

static int host_find_more(void *ctx, SDL_Rect *r)
{
    int i = find_action((action)UI_ACT_MORE, 0, true);
    if (i < 0)
        return -1;
    *r = K.list.w[i].r;
    return 0;
}

static bool host_shows(void *ctx, const char *text)
{
    return ui_list_shows(&K.list, text);
}

static int host_shot(void *ctx, const char *path, its_err *err)
{
    K.redraw = true;
    render();
    return ui_draw_save_png(path, err);
}

static void host_advance(void *ctx, int ms)
{
    ui_clock_advance((uint64_t)ms);
}

static void host_dump(void *ctx)
{
    fprintf(stderr, "on the screen:\n");
    ui_list_dump(&K.list, stderr);
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
    ui_draw_cache_stats(&made, &held);
    fprintf(stderr, "bench taps=%d tap_to_frame_median_us=%.0f tap_to_frame_p99_us=%.0f "
                    "textures_made=%ld textures_held=%d\n",
            K.n_lat, K.lat[K.n_lat / 2], K.lat[(K.n_lat * 99) / 100], made, held);
}

/* ---- benchmark runs (tests/bench) -------------------------------------------------------- */

/* --bench-question N: the Nth question shown of the first questionnaire, anonymous, as if the
 * client had tapped through start, information, identification and instructions. */
static void bench_open_question(int n)
{
    K.anonymous = true;
    begin_assessment(0);
    if (!K.active)
        return;
    iso_now(K.started);
    int item = session_next(&K.s, -1);
    for (int i = 1; i < n && item < cur_qn()->n_items; i++)
        item = session_next(&K.s, item);
    show_item(item);
}

/* ---- the loop ------------------------------------------------------------------------------ */

static int run_loop(ui_script *script, its_err *err)
{
    ui_script_host host = {NULL,      host_find,    host_shows,  host_find_more,
                           host_shot, host_advance, host_dump};
    bool quit = false;
    SDL_Event e;
    bool probed = false;
    /* a stop signal ends the loop between two events, so no answer is half-handled: each one
     * was already in the draft (invariant 2), which stays for the restart as after a crash */
    while (!quit && !ui_stop_requested()) {
        if (K.open_worker) {
            int rc = run_worker(script, err);
            if (rc < 0)
                return -1;
            quit = rc == 1;
            continue;
        }
        int64_t wait = idle_tick();
        render();
        if (K.read_pending && K.speak && !K.relayout) { /* the new screen as it is shown */
            K.read_pending = false;
            read_aloud();
        }
        if (K.o->bench_shot && K.first_frame_done)
            return ui_draw_save_png(K.o->bench_shot, err);
        if (!probed) { /* after the first frame, so a slow sound system never delays it */
            its_err speech_err;
            probed = true;
            /* read-aloud only when it can really speak: espeak-ng and a sound device */
            K.speak = speech_init(&speech_err) == 0 && ui_audio_open(22050);
            speech_tables_load();
            K.relayout = K.speak;
            continue;
        }
        if (script) { /* scripted: drain what is queued, then the next line */
            bool any = false;
            while (SDL_PollEvent(&e)) {
                handle_event(&e, &quit);
                any = true;
            }
            if (any)
                continue;
            if (K.bench && script->next < script->n &&
                script->cmds[script->next].op == UI_SCRIPT_TAP)
                K.tap_t0 = mono_ns();
            int rc = ui_script_step(script, &host, err);
            if (rc < 0)
                return -1;
            if (rc == 1)
                quit = true;
            if (rc == 2)
                script = NULL; /* hold: a normal kiosk from here on */
            continue;
        }
        /* people: sleep until an event or the next idle deadline (no polling) */
        int got = wait < 0 ? SDL_WaitEvent(&e)
                           : SDL_WaitEventTimeout(&e, wait > INT32_MAX ? INT32_MAX : (int)wait);
        if (!got)
            continue;
        handle_event(&e, &quit);
        while (SDL_PollEvent(&e))
            handle_event(&e, &quit);
    }
    return 0;
}

int kiosk_run(const kiosk_opts *o, its_err *err)
{
    memset(&K, 0, sizeof K);
    K.o = o;
    K.text_percent = TEXT_MIN;
    K.bench = getenv("ITS_BENCH") != NULL;
    ui_list_init(&K.list);
    int countdown = o->countdown_seconds >= 20 ? o->countdown_seconds : 30;
    int idle = o->idle_seconds > 0 ? o->idle_seconds : 120;
    ui_idle_init(&K.idle, (uint64_t)idle * 1000u, (uint64_t)countdown * 1000u);
    if (o->n_qns < 1)
        return its_fail(err, "No questionnaire to ask.");
    ui_app app;
    ui_draw_opts d = {o->w, o->h, !o->windowed && o->w == 0, !o->windowed, NULL, "Itsearvio"};
    bool opened = ui_app_open(&app, o->data_dir, o->lang, o->script, d, err) == 0;
    int rc = opened ? 0 : -1;
    if (opened) {
        start_screen();
        if (o->bench_question > 0)
            bench_open_question(o->bench_question);
        rc = run_loop(app.sp, err);
        bench_report();
    }
    session_end();
    ui_list_free(&K.list);
    free(K.lat);
    ui_audio_close();
    if (K.speak)
        speech_shutdown();
    if (opened)
        ui_app_close(&app);
    return rc;
}
