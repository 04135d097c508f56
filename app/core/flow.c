/* flow.c — the kiosk's transitions (the table and the invariants are in flow.h).
 *
 * flow_step calls the event's handler (the `handlers` table near the end); each handler checks
 * the screen it is valid on and ignores the event elsewhere, so the machine is total: any event
 * in any state is safe (test_flow's test_total tries them all). */
#include "flow.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answercheck.h"
#include "flags.h"
#include "score.h"

/* The step being made: the machine and the effects collected so far. */
typedef struct step {
    flow *f;
    unsigned fx;
} step;

/* ---- moving between screens ------------------------------------------------------------- */

static void go(step *st, flow_screen to)
{
    flow *f = st->f;
    f->screen = to;
    f->message = NULL;
    f->check = f->check_item = -1;
    st->fx |= FLOW_FX_SCREEN | FLOW_FX_READ;
    st->fx &= ~(unsigned)(FLOW_FX_IDLE_ARM | FLOW_FX_IDLE_DISARM);
    /* a tablet's draft waits for hours */
    bool quiet = (to == FLOW_START && !f->assisted_by[0]) || (to == FLOW_RESUME && f->c->tablet);
    st->fx |= quiet ? FLOW_FX_IDLE_DISARM : FLOW_FX_IDLE_ARM;
}

static void relayout(step *st)
{
    st->fx |= FLOW_FX_RELAYOUT;
}

static void say(step *st, const char *key, const char *arg)
{
    st->f->message = key;
    its_strlcpy(st->f->message_arg, arg ? arg : "", sizeof st->f->message_arg);
    relayout(st);
}

static void log_err(step *st, const its_err *err)
{
    st->f->err = *err;
    st->fx |= FLOW_FX_LOG;
}

/* A choice on START counts as a touch of the kiosk's defaults: the idle clock runs from it so
 * the next person gets the defaults back. */
static void pref_changed(step *st)
{
    st->fx |= FLOW_FX_IDLE_ARM | FLOW_FX_PREFS | FLOW_FX_RELAYOUT;
    st->fx &= ~(unsigned)FLOW_FX_IDLE_DISARM;
}

static void feedback_wipe(flow *f)
{
    its_wipe(f->fb_names, sizeof f->fb_names);
    its_wipe(f->fb_values, sizeof f->fb_values);
    f->fb_areas = f->fb_strengths = 0;
    f->fb_hard = FEEDBACK_HARD_NONE;
    f->crisis = false;
}

/* Forgets the answers (a questionnaire chosen again starts empty). */
static void session_drop(flow *f)
{
    if (f->active)
        session_wipe(&f->s);
    f->active = false;
    f->review_return = false;
}

void flow_session_end(flow *f)
{
    session_drop(f);
    f->anonymous = false;
    f->research = FLOW_RESEARCH_NOT_ASKED; /* invariant 8 */
    its_wipe(f->assisted_by, sizeof f->assisted_by);
    its_wipe(f->code, sizeof f->code);
    its_wipe(f->typed, sizeof f->typed);
    its_wipe(f->started, sizeof f->started);
}

/* Nothing the previous client chose -- language, text size, colours, reading everything
 * aloud -- is left for the next one. Going back to START within a session keeps them. */
static void client_defaults(step *st)
{
    flow *f = st->f;
    f->text_percent = FLOW_TEXT_MIN;
    its_strlcpy(f->lang, f->c->lang, sizeof f->lang);
    f->read_all = false;
    f->theme = 0;
    st->fx |= FLOW_FX_PREFS;
}

/* Entering START: the previous client's picture never reaches the next client, and a draft
 * left by a crash (or on a tablet by a pause) is offered first (DRAFT_FOUND). */
static void enter_start(step *st)
{
    feedback_wipe(st->f);
    st->f->research = FLOW_RESEARCH_NOT_ASKED; /* invariant 8 */
    go(st, FLOW_START);
    st->fx |= FLOW_FX_DRAFT_LOAD;
}

static bool lang_known(const flow *f, const char *lang)
{
    for (int i = 0; lang && i < f->c->n_langs; i++)
        if (!strcmp(f->c->langs[i], lang))
            return true;
    return false;
}

/* ---- small helpers ------------------------------------------------------------------------ */

const qn *flow_qn(const flow *f)
{
    return f->c->qns[f->qi];
}

int flow_qn_lang(const flow *f, const qn *q)
{
    int l = qn_lang_index(q, f->lang);
    return l < 0 || (q->unreviewed[l] && !f->c->allow_unreviewed) ? 0 : l;
}

static const char *str_or(const char *s)
{
    return s ? s : "";
}

static void show_item(step *st, int item)
{
    st->f->s.pos = item;
    st->fx |= FLOW_FX_DRAFT_SAVE; /* the position too: a resumed draft opens there */
    go(st, item >= flow_qn(st->f)->n_items ? FLOW_REVIEW : FLOW_QUESTION);
}

static void begin_assessment(step *st, int qi)
{
    flow *f = st->f;
    session_drop(f);
    its_err err;
    f->qi = qi;
    if (session_init(&f->s, flow_qn(f), &err) != 0) {
        log_err(st, &err);
        return;
    }
    f->active = true;
    go(st, FLOW_INTRO);
}

/* After identification: choose a questionnaire if there are several. */
static void after_ident(step *st)
{
    if (st->f->c->n_qns > 1)
        go(st, FLOW_CHOOSE);
    else
        begin_assessment(st, 0);
}

/* ---- drafts ------------------------------------------------------------------------------- */

/* The language and text size the client chose, from a draft. */
static void draft_prefs(flow *f, const json_t *d)
{
    const char *lang = json_string_value(json_object_get(d, "lang"));
    if (lang_known(f, lang))
        its_strlcpy(f->lang, lang, sizeof f->lang);
    int tp = (int)json_integer_value(json_object_get(d, "text"));
    if (tp >= FLOW_TEXT_MIN && tp <= FLOW_TEXT_MAX)
        f->text_percent = tp;
}

static int find_qn(const flow *f, const json_t *d)
{
    json_t *qo = json_object_get(d, "questionnaire");
    const char *id = json_string_value(json_object_get(qo, "id"));
    const char *ver = json_string_value(json_object_get(qo, "version"));
    int found = -1;
    for (int i = 0; id && ver && i < f->c->n_qns; i++)
        if (!strcmp(f->c->qns[i]->id, id) && !strcmp(f->c->qns[i]->version, ver))
            found = i;
    return found;
}

/* Restores a draft into the session; false if it does not fit a loaded questionnaire. */
static bool draft_restore(flow *f, const json_t *d)
{
    int found = find_qn(f, d);
    its_err err;
    bool ok = found >= 0 && session_init(&f->s, f->c->qns[found], &err) == 0;
    if (ok) {
        f->active = true;
        f->qi = found;
        ok = session_from_json(&f->s, json_object_get(d, "answers"), &err) == 0;
    }
    if (!ok) {
        flow_session_end(f);
        return false;
    }
    int pos = (int)json_integer_value(json_object_get(d, "pos"));
    f->s.pos = pos >= 0 && pos <= f->s.q->n_items ? pos : 0;
    if (f->s.pos < f->s.q->n_items && !session_is_shown(&f->s, f->s.pos))
        f->s.pos = session_next(&f->s, f->s.pos);
    its_strlcpy(f->code, str_or(json_string_value(json_object_get(d, "client"))), sizeof f->code);
    f->anonymous = json_is_true(json_object_get(d, "anonymous"));
    const char *research = json_string_value(json_object_get(d, "research"));
    f->research = research && !strcmp(research, "yes")  ? FLOW_RESEARCH_YES
                  : research && !strcmp(research, "no") ? FLOW_RESEARCH_NO
                                                        : FLOW_RESEARCH_NOT_ASKED;
    its_strlcpy(f->assisted_by, str_or(json_string_value(json_object_get(d, "assisted_by"))),
                sizeof f->assisted_by);
    its_strlcpy(f->started, str_or(json_string_value(json_object_get(d, "started"))),
                sizeof f->started);
    draft_prefs(f, d);
    return true;
}

/* START: offer the draft in the language and text size the client was using. RESUME (after
 * "yes"): restore it, or start afresh when it no longer fits. */
static void on_draft_found(step *st, flow_event e)
{
    flow *f = st->f;
    if (f->screen != FLOW_START && f->screen != FLOW_RESUME)
        return;
    json_error_t je;
    json_t *d = json_loadb(e.data ? e.data : "", e.len, 0, &je);
    if (f->screen == FLOW_START) {
        draft_prefs(f, d);
        st->fx |= FLOW_FX_PREFS;
        go(st, FLOW_RESUME);
    } else if (draft_restore(f, d)) {
        st->fx |= FLOW_FX_PREFS;
        show_item(st, f->s.pos);
    } else {
        go(st, FLOW_START);
    }
    json_decref(d);
}

/* ---- answers ------------------------------------------------------------------------------ */

static void set_answer(step *st, qn_answer a)
{
    flow *f = st->f;
    its_err err;
    if (session_set(&f->s, f->s.pos, a, &err) != 0) {
        log_err(st, &err);
        return;
    }
    f->message = NULL;
    f->check = f->check_item = -1; /* a changed answer is judged again */
    st->fx |= FLOW_FX_DRAFT_SAVE; /* invariant 2 */
    relayout(st);
}

static void number_key(step *st, flow_event_kind k, int digit)
{
    flow *f = st->f;
    const qn *q = flow_qn(f);
    const qn_scale *sc = &q->scales[q->items[f->s.pos].scale];
    if (sc->kind != QN_SCALE_NUMBER)
        return;
    qn_answer cur = f->s.answers[f->s.pos];
    bool has = cur.state == QN_ANS_VALUE;
    long v = has ? cur.value : sc->min;
    if (k == FLOW_EV_DIGIT)
        v = has ? v * 10 + digit : digit;
    else if (k == FLOW_EV_PLUS)
        v = has ? v + 1 : sc->min;
    else if (k == FLOW_EV_MINUS)
        v = has ? v - 1 : sc->min;
    else if (k == FLOW_EV_ERASE) {
        if (!has || v < 10) {
            set_answer(st, (qn_answer){QN_ANS_NONE, 0});
            return;
        }
        v /= 10;
    }
    if (v > sc->max) {
        char max[16];
        snprintf(max, sizeof max, "%d", sc->max);
        say(st, "number_max", max);
        return;
    }
    if (v < sc->min)
        v = sc->min;
    set_answer(st, (qn_answer){QN_ANS_VALUE, (int)v});
}

static void on_answer(step *st, flow_event e)
{
    flow *f = st->f;
    if (f->screen != FLOW_QUESTION)
        return;
    qn_answer cur = f->s.answers[f->s.pos];
    int mask = cur.state == QN_ANS_VALUE ? cur.value : 0;
    switch (e.kind) {
    case FLOW_EV_ANSWER:
        set_answer(st, (qn_answer){QN_ANS_VALUE, e.arg});
        break;
    case FLOW_EV_REFUSE:
        set_answer(st, (qn_answer){QN_ANS_REFUSED, 0});
        break;
    case FLOW_EV_NA:
        set_answer(st, (qn_answer){QN_ANS_NA, 0});
        break;
    case FLOW_EV_TOGGLE:
        mask ^= 1 << e.arg;
        set_answer(st, mask ? (qn_answer){QN_ANS_VALUE, mask} : (qn_answer){QN_ANS_NONE, 0});
        break;
    default: /* DIGIT, PLUS, MINUS, ERASE */
        number_key(st, e.kind, e.arg);
        break;
    }
}

/* The first answer check that names the current question and fails now, or -1. */
static int failed_check(const flow *f)
{
    answercheck_hit hits[8];
    int n = answercheck_run(&f->s, hits, 8);
    for (int i = 0; i < n; i++)
        if (answercheck_names_item(f->s.q, hits[i].check, f->s.pos))
            return hits[i].check;
    return -1;
}

static void next_question(step *st)
{
    flow *f = st->f;
    if (f->s.answers[f->s.pos].state == QN_ANS_NONE) {
        say(st, "choose_answer", NULL);
        return;
    }
    int check = f->check_item == f->s.pos ? -1 : failed_check(f);
    if (check >= 0) { /* told once, gently; NEXT again goes on */
        f->check = check;
        f->check_item = f->s.pos;
        /* shown as a screen of its own: from the page's first part, read aloud with read-all,
         * and a second tap of the same press cannot pass it unseen (the input guard) */
        st->fx |= FLOW_FX_SCREEN | FLOW_FX_READ;
        return;
    }
    int n = flow_qn(f)->n_items;
    int next = session_next(&f->s, f->s.pos);
    if (f->review_return && (next >= n || f->s.answers[next].state != QN_ANS_NONE))
        next = n;
    show_item(st, next);
}

/* ---- the client code ---------------------------------------------------------------------- */

static void type_code_char(step *st, char c)
{
    flow *f = st->f;
    size_t n = strlen(f->typed);
    c = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (c == '\0' || !strchr(CLIENTCODE_ALPHABET, c) || n >= CLIENTCODE_LEN)
        return;
    f->typed[n] = c;
    f->typed[n + 1] = '\0';
    f->message = NULL;
    relayout(st);
}

static void code_done(step *st)
{
    flow *f = st->f;
    size_t n = strlen(f->typed);
    char norm[CLIENTCODE_LEN + 1];
    if (n != CLIENTCODE_LEN) {
        char got[24];
        snprintf(got, sizeof got, "%zu", n);
        say(st, "code_short", got);
    } else if (!clientcode_valid(f->typed, norm)) {
        say(st, "code_wrong", NULL);
    } else {
        its_strlcpy(f->code, norm, sizeof f->code);
        f->anonymous = false;
        after_ident(st);
    }
}

static void on_code(step *st, flow_event e)
{
    flow *f = st->f;
    if (f->screen != FLOW_CODE)
        return;
    if (e.kind == FLOW_EV_KEY) {
        type_code_char(st, (char)e.arg);
    } else if (e.kind == FLOW_EV_ERASE) {
        size_t n = strlen(f->typed);
        if (n)
            f->typed[n - 1] = '\0';
        relayout(st);
    } else {
        code_done(st);
    }
}

/* ---- sending ------------------------------------------------------------------------------ */

/* Before the session is wiped: the areas for the thank-you screen, on the "goes well" scale. */
static void keep_feedback(flow *f)
{
    const qn *q = flow_qn(f);
    int lang = flow_qn_lang(f, q);
    feedback_wipe(f);
    score_value *scores = calloc((size_t)q->n_scores + 1, sizeof *scores);
    if (!scores)
        return;
    score_all(&f->s, scores);
    feedback fb;
    feedback_build(&f->s, scores, &fb);
    for (int i = 0; i < fb.n_areas; i++) {
        its_strlcpy(f->fb_names[i], qn_text_get(&q->domains[fb.areas[i].domain].name, lang),
                    sizeof f->fb_names[i]);
        f->fb_values[i] = (int)(fb.areas[i].goes_well + 0.5);
    }
    f->fb_areas = fb.n_areas;
    f->fb_strengths = fb.n_strengths;
    f->fb_hard = fb.hard;
    f->crisis = flags_crisis_help(&f->s, scores);
    its_wipe(scores, (size_t)q->n_scores * sizeof *scores);
    free(scores);
}

static bool can_send(const flow *f)
{
    return f->active && (f->screen == FLOW_REVIEW || f->screen == FLOW_SAVE_ERROR);
}

static void on_send(step *st, flow_event e)
{
    flow *f = st->f;
    if (!can_send(f))
        return; /* invariant 3: once sent, nothing to send */
    if (f->anonymous && !f->code[0])
        clientcode_make(e.random, f->code);
    st->fx |= FLOW_FX_SEND_RESULT;
}

static void on_saved(step *st, flow_event e)
{
    (void)e;
    flow *f = st->f;
    if (!can_send(f))
        return;
    keep_feedback(f);
    f->answered = 0;
    for (int i = 0; i < flow_qn(f)->n_items; i++)
        if (session_is_shown(&f->s, i) &&
            (f->s.answers[i].state == QN_ANS_VALUE || f->s.answers[i].state == QN_ANS_NA))
            f->answered++;
    bool anon = f->anonymous;
    char code[CLIENTCODE_LEN + 1];
    its_strlcpy(code, f->code, sizeof code);
    flow_session_end(f);
    f->anonymous = anon; /* THANKS shows the pickup code */
    its_strlcpy(f->code, anon ? code : "", sizeof f->code);
    its_wipe(code, sizeof code);
    go(st, FLOW_THANKS);
}

static void on_save_failed(step *st, flow_event e)
{
    if (!can_send(st->f))
        return;
    its_err err;
    its_fail(&err, "the result was not saved: %s", e.data ? e.data : "no reason given");
    log_err(st, &err);
    go(st, FLOW_SAVE_ERROR); /* the answers stay in memory and in the draft */
}

/* ---- back and forward --------------------------------------------------------------------- */

static void on_back(step *st, flow_event e)
{
    (void)e;
    flow *f = st->f;
    switch (f->screen) {
    case FLOW_INFO:
        enter_start(st);
        break;
    case FLOW_CONSENT:
        go(st, FLOW_INFO);
        break;
    case FLOW_IDENT:
        go(st, FLOW_CONSENT);
        break;
    case FLOW_CODE:
    case FLOW_CHOOSE:
        go(st, FLOW_IDENT);
        break;
    case FLOW_INTRO:
        session_drop(f);
        go(st, f->c->n_qns > 1 ? FLOW_CHOOSE : FLOW_IDENT);
        break;
    case FLOW_QUESTION: {
        int prev = session_prev(&f->s, f->s.pos);
        f->review_return = false;
        if (prev < 0)
            go(st, FLOW_INTRO);
        else
            show_item(st, prev);
        break;
    }
    case FLOW_REVIEW:
        f->review_return = false;
        show_item(st, session_prev(&f->s, flow_qn(f)->n_items));
        break;
    case FLOW_SAVE_ERROR:
        go(st, FLOW_REVIEW);
        break;
    default:
        break;
    }
}

static void on_forward(step *st, flow_event e)
{
    flow *f = st->f;
    switch (e.kind) {
    case FLOW_EV_START:
        if (f->screen == FLOW_START)
            go(st, FLOW_INFO);
        break;
    case FLOW_EV_NEXT:
        if (f->screen == FLOW_INFO) {
            f->research = FLOW_RESEARCH_NOT_ASKED; /* invariant 8: asked afresh */
            go(st, FLOW_CONSENT);
        } else if (f->screen == FLOW_QUESTION) {
            next_question(st);
        }
        break;
    case FLOW_EV_CONSENT:
        if (f->screen != FLOW_CONSENT ||
            (e.arg != FLOW_RESEARCH_YES && e.arg != FLOW_RESEARCH_NO))
            break;
        f->research = (flow_research)e.arg;
        go(st, FLOW_IDENT);
        break;

    case FLOW_EV_CODE_YES:
        if (f->screen != FLOW_IDENT)
            break;
        f->typed[0] = '\0';
        go(st, FLOW_CODE);
        break;
    case FLOW_EV_ANON:
        if (f->screen != FLOW_IDENT)
            break;
        f->anonymous = true;
        f->code[0] = '\0';
        after_ident(st);
        break;
    case FLOW_EV_CHOOSE:
        if (f->screen == FLOW_CHOOSE && e.arg >= 0 && e.arg < f->c->n_qns)
            begin_assessment(st, e.arg);
        break;
    case FLOW_EV_BEGIN:
        if (f->screen != FLOW_INTRO || !f->active)
            break;
        flow_iso_time(e.wall, f->started);
        show_item(st, session_next(&f->s, -1));
        break;
    case FLOW_EV_REVIEW_ITEM:
        if (f->screen != FLOW_REVIEW || e.arg < 0 || e.arg >= flow_qn(f)->n_items)
            break;
        f->review_return = true;
        show_item(st, e.arg);
        break;
    default:
        break;
    }
}

/* ---- START's choices and the resume offer ------------------------------------------------- */

static void on_pref(step *st, flow_event e)
{
    flow *f = st->f;
    switch (e.kind) {
    case FLOW_EV_LANG:
        if (e.arg >= 0 && e.arg < f->c->n_langs)
            its_strlcpy(f->lang, f->c->langs[e.arg], sizeof f->lang);
        break;
    case FLOW_EV_BIGGER:
    case FLOW_EV_SMALLER:
        f->text_percent += e.kind == FLOW_EV_BIGGER ? FLOW_TEXT_STEP : -FLOW_TEXT_STEP;
        f->text_percent = f->text_percent < FLOW_TEXT_MIN   ? FLOW_TEXT_MIN
                          : f->text_percent > FLOW_TEXT_MAX ? FLOW_TEXT_MAX
                                                            : f->text_percent;
        break;
    case FLOW_EV_THEME:
        f->theme = f->c->n_themes > 0 ? (f->theme + 1) % f->c->n_themes : 0;
        break;
    default: /* READ_ALL */
        f->read_all = !f->read_all;
        st->fx |= FLOW_FX_READ; /* this screen first */
        break;
    }
    pref_changed(st);
}

static void on_resume(step *st, flow_event e)
{
    if (st->f->screen != FLOW_RESUME)
        return;
    if (e.kind == FLOW_EV_RESUME_YES) {
        st->fx |= FLOW_FX_DRAFT_LOAD;
        return;
    }
    st->fx |= FLOW_FX_DRAFT_WIPE;
    client_defaults(st); /* the draft's language and size were the previous person's */
    go(st, FLOW_START);
}

/* ---- idle and the worker ------------------------------------------------------------------ */

/* Invariant 4. */
static void expire(step *st)
{
    flow_session_end(st->f);
    st->f->warning = false;
    if (!st->f->c->tablet) /* a kiosk's draft is only for crash recovery */
        st->fx |= FLOW_FX_DRAFT_WIPE;
    client_defaults(st);
    enter_start(st);
}

static void on_idle(step *st, flow_event e)
{
    flow *f = st->f;
    bool no_session = f->screen == FLOW_THANKS || f->screen == FLOW_START;
    if (e.kind == FLOW_EV_IDLE_EXPIRED || (e.kind == FLOW_EV_IDLE_WARNING && no_session)) {
        expire(st);
    } else if (e.kind == FLOW_EV_IDLE_WARNING) {
        if (!f->warning) /* heard even by someone not looking at the screen */
            st->fx |= FLOW_FX_CHIME;
        if (!f->warning || e.arg != f->warning_secs)
            relayout(st);
        f->warning = true;
        f->warning_secs = e.arg;
    } else if (f->warning) { /* QUIET, CONTINUE */
        f->warning = false;
        relayout(st);
    }
    if (e.kind == FLOW_EV_CONTINUE)
        st->fx |= FLOW_FX_IDLE_TOUCH | FLOW_FX_RELAYOUT;
}

static void on_worker(step *st, flow_event e)
{
    flow *f = st->f;
    if (e.kind == FLOW_EV_WORKER_CLOSE) {
        if (f->in_worker)
            go(st, f->worker_return);
        f->in_worker = false;
        return;
    }
    if (f->in_worker)
        return;
    f->in_worker = true;
    f->worker_return = f->screen;
    f->warning = false;
    if (f->c->has_worker)
        st->fx |= FLOW_FX_OPEN_WORKER; /* the kiosk hands the window over */
    else
        go(st, FLOW_WORKER);
}

/* A worker sits with the client and enters the answers: whatever was underway ends, the next
 * assessment starts on START in the kiosk's defaults and is marked as assisted. START is timed
 * while the mark is set (go), so a mark nobody uses idles out instead of reaching a client. */
static void on_interview(step *st, flow_event e)
{
    flow *f = st->f;
    if (!e.data || !e.data[0] || f->in_worker)
        return;
    flow_session_end(f);
    f->warning = false;
    its_strlcpy(f->assisted_by, e.data, sizeof f->assisted_by);
    client_defaults(st);
    go(st, FLOW_START);
}

/* ---- the step ----------------------------------------------------------------------------- */

/* Invariant 5: the countdown is modal. */
static bool acts_during_warning(flow_event_kind k)
{
    return k == FLOW_EV_CONTINUE || k >= FLOW_EV_DRAFT_FOUND;
}

/* ERASE is the code keypad's or a number's, by screen. */
static void on_erase(step *st, flow_event e)
{
    if (st->f->screen == FLOW_CODE)
        on_code(st, e);
    else
        on_answer(st, e);
}

static void on_thanks_done(step *st, flow_event e)
{
    (void)e;
    if (st->f->screen != FLOW_THANKS)
        return;
    flow_session_end(st->f);
    client_defaults(st);
    enter_start(st);
}

static void on_draft_none(step *st, flow_event e)
{
    (void)e;
    if (st->f->screen == FLOW_RESUME)
        go(st, FLOW_START);
}

/* Each event's handler; a new event gets one here. */
static void (*const handlers[FLOW_EV_COUNT])(step *, flow_event) = {
    [FLOW_EV_LANG] = on_pref,           [FLOW_EV_BIGGER] = on_pref,
    [FLOW_EV_SMALLER] = on_pref,        [FLOW_EV_THEME] = on_pref,
    [FLOW_EV_READ_ALL] = on_pref,       [FLOW_EV_START] = on_forward,
    [FLOW_EV_NEXT] = on_forward,        [FLOW_EV_CODE_YES] = on_forward,
    [FLOW_EV_ANON] = on_forward,        [FLOW_EV_CHOOSE] = on_forward,
    [FLOW_EV_BEGIN] = on_forward,       [FLOW_EV_REVIEW_ITEM] = on_forward,
    [FLOW_EV_BACK] = on_back,           [FLOW_EV_KEY] = on_code,
    [FLOW_EV_CODE_DONE] = on_code,      [FLOW_EV_ERASE] = on_erase,
    [FLOW_EV_ANSWER] = on_answer,       [FLOW_EV_REFUSE] = on_answer,
    [FLOW_EV_NA] = on_answer,           [FLOW_EV_TOGGLE] = on_answer,
    [FLOW_EV_DIGIT] = on_answer,        [FLOW_EV_MINUS] = on_answer,
    [FLOW_EV_PLUS] = on_answer,         [FLOW_EV_SEND] = on_send,
    [FLOW_EV_SAVED] = on_saved,         [FLOW_EV_SAVE_FAILED] = on_save_failed,
    [FLOW_EV_THANKS_DONE] = on_thanks_done,
    [FLOW_EV_RESUME_YES] = on_resume,   [FLOW_EV_RESUME_NO] = on_resume,
    [FLOW_EV_DRAFT_FOUND] = on_draft_found,
    [FLOW_EV_DRAFT_NONE] = on_draft_none,
    [FLOW_EV_CONTINUE] = on_idle,       [FLOW_EV_IDLE_WARNING] = on_idle,
    [FLOW_EV_IDLE_QUIET] = on_idle,     [FLOW_EV_IDLE_EXPIRED] = on_idle,
    [FLOW_EV_WORKER_OPEN] = on_worker,  [FLOW_EV_WORKER_CLOSE] = on_worker,
    [FLOW_EV_CONSENT] = on_forward,     [FLOW_EV_INTERVIEW] = on_interview,
};

/* Invariant 1: the screens a session may exist on (a new screen inside the assessment is
 * added here). */
static bool may_hold_session(flow_screen s)
{
    switch (s) {
    case FLOW_INTRO: case FLOW_QUESTION: case FLOW_REVIEW: case FLOW_SAVE_ERROR:
    case FLOW_WORKER:
        return true;
    default:
        return false;
    }
}

bool flow_invariants_hold(const flow *f)
{
    bool session_ok = !f->active || may_hold_session(f->screen);          /* 1 */
    bool thanks_ok = f->screen != FLOW_THANKS || !f->active;              /* 3 */
    bool start_ok = f->screen != FLOW_START || (!f->active && !f->warning); /* 1, 4 */
    bool research_ok = f->research <= FLOW_RESEARCH_NO &&                  /* 8 */
                       (f->screen != FLOW_START || f->research == FLOW_RESEARCH_NOT_ASKED);
    bool prefs_ok = f->text_percent >= FLOW_TEXT_MIN && f->text_percent <= FLOW_TEXT_MAX &&
                    lang_known(f, f->lang);
    return session_ok && thanks_ok && start_ok && research_ok && prefs_ok &&
           f->screen < FLOW_SCREEN_COUNT;
}

unsigned flow_step(flow *f, flow_event e)
{
    step st = {f, 0};
    if (f->warning && !acts_during_warning(e.kind))
        return 0;
    if (e.kind > FLOW_EV_NONE && e.kind < FLOW_EV_COUNT && handlers[e.kind])
        handlers[e.kind](&st, e);
    assert(flow_invariants_hold(f));
    return st.fx;
}

unsigned flow_init(flow *f, const flow_config *c)
{
    memset(f, 0, sizeof *f);
    f->c = c;
    step st = {f, 0};
    client_defaults(&st);
    enter_start(&st);
    return st.fx;
}

unsigned flow_open_question(flow *f, int n, int64_t wall)
{
    step st = {f, 0};
    f->anonymous = true;
    begin_assessment(&st, 0);
    if (!f->active)
        return st.fx;
    flow_iso_time(wall, f->started);
    int item = session_next(&f->s, -1);
    for (int i = 1; i < n && item < flow_qn(f)->n_items; i++)
        item = session_next(&f->s, item);
    show_item(&st, item);
    return st.fx;
}
