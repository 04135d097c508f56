/* test_flow.c — every transition of the kiosk's state machine (app/core/flow.h), in process.
 *
 * The questionnaires are the bundled whodas12-style (number and "not applicable" scales) and
 * oma-tilanne (a multi-choice item), and the fixture minimal.json (a gate question). The
 * "sink" here is a string in memory: the effects are carried out as the kiosk does. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flow.h"

static const char *const langs[] = {"fi", "sv", "en"};
static qn *q12, *qmin, *qoma;
static char *draft;      /* what the last DRAFT_SAVE wrote; NULL none */
static int drafts_saved;

enum { WALL = 1796428800 }; /* 2026-12-05T00:00:00Z */

static flow_config config(const qn **qns, int n, bool tablet)
{
    return (flow_config){qns, n, tablet, false, "fi", langs, 3, 3, false};
}

static void sink_wipe(void)
{
    free(draft);
    draft = NULL;
}

/* Carries out the effects that feed back, as kiosk.c does; returns all effects seen. */
static unsigned run_fx(flow *f, unsigned fx);

static unsigned step(flow *f, flow_event_kind k, int arg)
{
    if (k == FLOW_EV_SAVED)
        sink_wipe(); /* a durable save ends the draft (kiosk_sink.h) */
    unsigned fx = run_fx(f, flow_step(f, (flow_event){k, arg, NULL, 0, WALL, 12345u}));
    CHECK(flow_invariants_hold(f));
    return fx;
}

static unsigned run_fx(flow *f, unsigned fx)
{
    unsigned all = fx;
    if (fx & FLOW_FX_DRAFT_WIPE)
        sink_wipe();
    if (fx & FLOW_FX_DRAFT_SAVE) {
        sink_wipe();
        draft = flow_draft_text(f);
        drafts_saved++;
    }
    if (fx & FLOW_FX_DRAFT_LOAD) {
        flow_event e = {draft ? FLOW_EV_DRAFT_FOUND : FLOW_EV_DRAFT_NONE, 0, draft,
                        draft ? strlen(draft) : 0, WALL, 0};
        all |= run_fx(f, flow_step(f, e));
    }
    return all;
}

static void start(flow *f, flow_config *c, const qn **qns, int n, bool tablet)
{
    *c = config(qns, n, tablet);
    run_fx(f, flow_init(f, c));
}

/* START -> INFO -> CONSENT (no) -> IDENT -> anonymous -> (CHOOSE) -> INTRO -> the first
 * question. */
static void to_first_question(flow *f)
{
    step(f, FLOW_EV_START, 0);
    step(f, FLOW_EV_NEXT, 0);
    step(f, FLOW_EV_CONSENT, FLOW_RESEARCH_NO);
    step(f, FLOW_EV_ANON, 0);
    if (f->screen == FLOW_CHOOSE)
        step(f, FLOW_EV_CHOOSE, 0);
    step(f, FLOW_EV_BEGIN, 0);
}

/* minimal.json from its first question: "no difficulty", not working, sent and saved. */
static void send_minimal(flow *f)
{
    for (int i = 0; i < 3; i++) {
        step(f, FLOW_EV_ANSWER, 0);
        step(f, FLOW_EV_NEXT, 0);
    }
    step(f, FLOW_EV_SEND, 0);
    step(f, FLOW_EV_SAVED, 0);
}

static void test_forward_and_back(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, false);
    CHECK_EQ_INT(f.screen, FLOW_START);
    CHECK(!f.active);
    unsigned fx = step(&f, FLOW_EV_START, 0);
    CHECK_EQ_INT(f.screen, FLOW_INFO);
    CHECK(fx & FLOW_FX_SCREEN);
    CHECK(fx & FLOW_FX_IDLE_ARM);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_START);
    step(&f, FLOW_EV_START, 0);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_CONSENT);
    step(&f, FLOW_EV_CONSENT, FLOW_RESEARCH_YES);
    CHECK_EQ_INT(f.screen, FLOW_IDENT);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_CONSENT);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_INFO);
    step(&f, FLOW_EV_NEXT, 0);
    step(&f, FLOW_EV_CONSENT, FLOW_RESEARCH_NO);
    step(&f, FLOW_EV_CODE_YES, 0);
    CHECK_EQ_INT(f.screen, FLOW_CODE);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_IDENT);
    step(&f, FLOW_EV_ANON, 0);
    CHECK_EQ_INT(f.screen, FLOW_INTRO); /* one questionnaire: no choice */
    CHECK(f.active);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_IDENT);
    CHECK(!f.active); /* invariant 1 */
    step(&f, FLOW_EV_ANON, 0);
    fx = step(&f, FLOW_EV_BEGIN, 0);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK_EQ_INT(f.s.pos, 0);
    CHECK_EQ_STR(f.started, "2026-12-05T00:00:00Z");
    CHECK(fx & FLOW_FX_DRAFT_SAVE);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_INTRO);
    flow_session_end(&f);
    sink_wipe();
}

static void test_questions_and_review(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, false);
    to_first_question(&f);
    unsigned fx = step(&f, FLOW_EV_NEXT, 0); /* unanswered */
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK_EQ_STR(f.message, "choose_answer");
    CHECK(!(fx & FLOW_FX_SCREEN));
    int before = drafts_saved;
    fx = step(&f, FLOW_EV_ANSWER, 2);
    CHECK(f.message == NULL);
    CHECK(fx & FLOW_FX_DRAFT_SAVE); /* invariant 2 */
    CHECK_EQ_INT(drafts_saved, before + 1);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.s.pos, 1);
    step(&f, FLOW_EV_REFUSE, 0);
    CHECK_EQ_INT(f.s.answers[1].state, QN_ANS_REFUSED);
    step(&f, FLOW_EV_NEXT, 0);
    step(&f, FLOW_EV_ANSWER, 0); /* WORK: no, B1 hidden */
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_REVIEW);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK_EQ_INT(f.s.pos, 2);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.s.pos, 1);
    step(&f, FLOW_EV_NEXT, 0);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_REVIEW);
    /* a review row: that question, then straight back to REVIEW */
    step(&f, FLOW_EV_REVIEW_ITEM, 0);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK_EQ_INT(f.s.pos, 0);
    step(&f, FLOW_EV_ANSWER, 1);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_REVIEW);
    /* the gate changed to yes: NEXT stops at the question it opened */
    step(&f, FLOW_EV_REVIEW_ITEM, 2);
    step(&f, FLOW_EV_ANSWER, 1);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK_EQ_INT(f.s.pos, 3);
    step(&f, FLOW_EV_ANSWER, 2);
    /* the draft holds the answers, the position and the client's choices */
    json_error_t je;
    json_t *d = json_loads(draft, 0, &je);
    CHECK_EQ_INT(json_integer_value(json_object_get(d, "pos")), 3);
    CHECK_EQ_STR(json_string_value(json_object_get(d, "lang")), "fi");
    CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(d, "answers"), "B1")), 2);
    json_decref(d);
    flow_session_end(&f);
    sink_wipe();
}

/* The send: pickup code, masking of hidden answers, THANKS, save error and retry. */
static void test_send(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, false);
    to_first_question(&f);
    step(&f, FLOW_EV_ANSWER, 2);
    step(&f, FLOW_EV_NEXT, 0);
    step(&f, FLOW_EV_ANSWER, 1);
    step(&f, FLOW_EV_NEXT, 0);
    step(&f, FLOW_EV_ANSWER, 1); /* works */
    step(&f, FLOW_EV_NEXT, 0);
    step(&f, FLOW_EV_ANSWER, 2); /* B1 answered ... */
    step(&f, FLOW_EV_BACK, 0);
    step(&f, FLOW_EV_ANSWER, 0); /* ... then hidden by the gate */
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_REVIEW);
    unsigned fx = step(&f, FLOW_EV_SEND, 0);
    CHECK(fx & FLOW_FX_SEND_RESULT);
    CHECK_EQ_INT(f.screen, FLOW_REVIEW);
    CHECK_EQ_INT((int)strlen(f.code), CLIENTCODE_LEN); /* an anonymous client's pickup code */
    its_err err;
    char *text = flow_result_text(&f, WALL + 60, "test-device", &err);
    CHECK(text != NULL);
    json_error_t je;
    json_t *r = json_loads(text ? text : "", 0, &je);
    json_t *answers = json_object_get(r, "answers");
    CHECK_EQ_STR(json_string_value(json_object_get(answers, "B1")), "na"); /* invariant 7 */
    CHECK_EQ_INT(json_integer_value(json_object_get(answers, "A1")), 2);
    json_decref(r);
    free(text);
    /* the sink refuses: SAVE_ERROR keeps everything; BACK to REVIEW; retry */
    fx = run_fx(&f, flow_step(&f, (flow_event){FLOW_EV_SAVE_FAILED, 0, "disk full", 9, WALL, 0}));
    CHECK_EQ_INT(f.screen, FLOW_SAVE_ERROR);
    CHECK(fx & FLOW_FX_LOG);
    CHECK(strstr(f.err.msg, "disk full") != NULL);
    CHECK(f.active);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_REVIEW);
    step(&f, FLOW_EV_SEND, 0);
    step(&f, FLOW_EV_SAVE_FAILED, 0);
    CHECK_EQ_INT(f.screen, FLOW_SAVE_ERROR);
    char pickup[CLIENTCODE_LEN + 1];
    its_strlcpy(pickup, f.code, sizeof pickup);
    fx = step(&f, FLOW_EV_SEND, 0); /* retry keeps the same pickup code */
    CHECK(fx & FLOW_FX_SEND_RESULT);
    CHECK_EQ_STR(f.code, pickup);
    step(&f, FLOW_EV_SAVED, 0);
    CHECK_EQ_INT(f.screen, FLOW_THANKS);
    CHECK(!f.active); /* invariant 3 */
    CHECK_EQ_STR(f.code, pickup);
    CHECK_EQ_INT(f.answered, 3);
    CHECK(f.fb_areas >= 1);
    fx = step(&f, FLOW_EV_SEND, 0); /* nothing left to send */
    CHECK(!(fx & FLOW_FX_SEND_RESULT));
    step(&f, FLOW_EV_SAVED, 0);
    CHECK_EQ_INT(f.screen, FLOW_THANKS);
    fx = step(&f, FLOW_EV_THANKS_DONE, 0);
    CHECK_EQ_INT(f.screen, FLOW_START);
    CHECK(fx & FLOW_FX_IDLE_DISARM);
    CHECK_EQ_INT(f.code[0], 0);
    CHECK_EQ_INT(f.fb_areas, 0);
    sink_wipe();
}

/* Days that cannot all be true (issue 14, point 7): after H2 a failed answer check is shown once,
 * as a fresh screen (first part, input guard); NEXT again goes on with the answer kept; a changed
 * answer is judged again. Fine days pass without a word. */
static void test_days_check(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {q12};
    start(&f, &c, qns, 1, false);
    to_first_question(&f);
    int h1 = qn_item_index(q12, "H1"), h2 = qn_item_index(q12, "H2"), h3 = qn_item_index(q12, "H3");
    f.s.pos = h1;
    step(&f, FLOW_EV_DIGIT, 5);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.s.pos, h2);
    step(&f, FLOW_EV_DIGIT, 9); /* H2 9 > H1 5 */
    unsigned fx = step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.s.pos, h2);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK(f.check >= 0 && !strcmp(q12->checks[f.check].id, "days_unable"));
    CHECK(fx & FLOW_FX_SCREEN);
    step(&f, FLOW_EV_DIGIT, 4); /* changed to 94: out of range, kept 9 with a message */
    step(&f, FLOW_EV_ERASE, 0);
    step(&f, FLOW_EV_ERASE, 0);
    step(&f, FLOW_EV_DIGIT, 7); /* 7 > 5: judged again */
    CHECK_EQ_INT(f.check, -1);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.s.pos, h2);
    CHECK(f.check >= 0);
    step(&f, FLOW_EV_NEXT, 0); /* the client goes on: the answer stays */
    CHECK_EQ_INT(f.s.pos, h3);
    CHECK_EQ_INT(f.check, -1);
    CHECK_EQ_INT(f.s.answers[h2].value, 7);
    step(&f, FLOW_EV_DIGIT, 3); /* 7 + 3 <= 30 */
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_REVIEW);
    step(&f, FLOW_EV_REVIEW_ITEM, h3); /* from the review: 7 + 25 > 30 */
    step(&f, FLOW_EV_ERASE, 0);
    step(&f, FLOW_EV_DIGIT, 2);
    step(&f, FLOW_EV_DIGIT, 5);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK(f.screen == FLOW_QUESTION && f.check >= 0 &&
          !strcmp(q12->checks[f.check].id, "days_total"));
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_REVIEW);
    flow_session_end(&f);
    sink_wipe();
}

/* The crisis-help text: kept for THANKS when the mood answers are very low (M3 "Ei pidä
 * ollenkaan paikkaansa"), not otherwise, and gone with the next client. */
static void test_crisis(void)
{
    const qn *qns[] = {qoma};
    for (int low = 0; low < 2; low++) {
        flow f;
        flow_config c;
        start(&f, &c, qns, 1, false);
        to_first_question(&f);
        f.s.pos = qn_item_index(qoma, "M3");
        step(&f, FLOW_EV_ANSWER, low ? 0 : 3);
        f.s.pos = qoma->n_items - 1;
        step(&f, FLOW_EV_NA, 0);
        step(&f, FLOW_EV_NEXT, 0);
        CHECK_EQ_INT(f.screen, FLOW_REVIEW);
        step(&f, FLOW_EV_SEND, 0);
        step(&f, FLOW_EV_SAVED, 0);
        CHECK_EQ_INT(f.screen, FLOW_THANKS);
        CHECK_EQ_INT(f.crisis, low);
        step(&f, FLOW_EV_THANKS_DONE, 0);
        CHECK(!f.crisis);
        sink_wipe();
    }
}

static void test_code(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin, q12};
    start(&f, &c, qns, 2, false);
    step(&f, FLOW_EV_START, 0);
    step(&f, FLOW_EV_NEXT, 0);
    step(&f, FLOW_EV_CONSENT, FLOW_RESEARCH_YES);
    step(&f, FLOW_EV_CODE_YES, 0);
    step(&f, FLOW_EV_KEY, 'a');
    step(&f, FLOW_EV_KEY, '!'); /* not in the alphabet */
    CHECK_EQ_STR(f.typed, "A");
    step(&f, FLOW_EV_CODE_DONE, 0);
    CHECK_EQ_STR(f.message, "code_short");
    CHECK_EQ_STR(f.message_arg, "1");
    step(&f, FLOW_EV_ERASE, 0);
    CHECK_EQ_STR(f.typed, "");
    char code[CLIENTCODE_LEN + 1];
    clientcode_make(77u, code);
    char wrong[CLIENTCODE_LEN + 1];
    its_strlcpy(wrong, code, sizeof wrong);
    wrong[CLIENTCODE_LEN - 1] = wrong[CLIENTCODE_LEN - 1] == 'A' ? 'B' : 'A';
    for (const char *p = wrong; *p; p++)
        step(&f, FLOW_EV_KEY, *p);
    step(&f, FLOW_EV_KEY, 'C'); /* full: ignored */
    CHECK_EQ_STR(f.typed, wrong);
    step(&f, FLOW_EV_CODE_DONE, 0);
    CHECK_EQ_STR(f.message, "code_wrong");
    CHECK_EQ_INT(f.screen, FLOW_CODE);
    for (int i = 0; i < CLIENTCODE_LEN; i++)
        step(&f, FLOW_EV_ERASE, 0);
    for (const char *p = code; *p; p++)
        step(&f, FLOW_EV_KEY, *p);
    step(&f, FLOW_EV_CODE_DONE, 0);
    CHECK_EQ_INT(f.screen, FLOW_CHOOSE); /* two questionnaires */
    CHECK_EQ_STR(f.code, code);
    CHECK(!f.anonymous);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_IDENT);
    step(&f, FLOW_EV_ANON, 0);
    step(&f, FLOW_EV_CHOOSE, 1);
    CHECK_EQ_INT(f.screen, FLOW_INTRO);
    CHECK(flow_qn(&f) == q12);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_CHOOSE);
    CHECK(!f.active);
    flow_session_end(&f);
}

/* Number keys, "not applicable" and multi-choice toggles. */
static void test_scales(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {q12};
    start(&f, &c, qns, 1, false);
    to_first_question(&f);
    step(&f, FLOW_EV_REVIEW_ITEM, 0); /* not on REVIEW: ignored */
    CHECK_EQ_INT(f.s.pos, 0);
    f.s.pos = 7; /* S8: a scale with "not applicable" */
    step(&f, FLOW_EV_NA, 0);
    CHECK_EQ_INT(f.s.answers[7].state, QN_ANS_NA);
    f.s.pos = 12; /* H1: days, 0-30 */
    step(&f, FLOW_EV_PLUS, 0);
    CHECK_EQ_INT(f.s.answers[12].value, 0);
    step(&f, FLOW_EV_PLUS, 0);
    CHECK_EQ_INT(f.s.answers[12].value, 1);
    step(&f, FLOW_EV_DIGIT, 2);
    CHECK_EQ_INT(f.s.answers[12].value, 12);
    step(&f, FLOW_EV_DIGIT, 5); /* 125 > 30 */
    CHECK_EQ_STR(f.message, "number_max");
    CHECK_EQ_STR(f.message_arg, "30");
    CHECK_EQ_INT(f.s.answers[12].value, 12);
    step(&f, FLOW_EV_ERASE, 0);
    CHECK_EQ_INT(f.s.answers[12].value, 1);
    step(&f, FLOW_EV_MINUS, 0);
    step(&f, FLOW_EV_MINUS, 0);
    CHECK_EQ_INT(f.s.answers[12].value, 0);
    step(&f, FLOW_EV_ERASE, 0);
    CHECK_EQ_INT(f.s.answers[12].state, QN_ANS_NONE);
    flow_session_end(&f);

    sink_wipe();
    const qn *oma[] = {qoma};
    start(&f, &c, oma, 1, false);
    to_first_question(&f);
    int change = qn_item_index(qoma, "CHANGE"); /* multi */
    f.s.pos = change;
    step(&f, FLOW_EV_TOGGLE, 0);
    step(&f, FLOW_EV_TOGGLE, 2);
    CHECK_EQ_INT(f.s.answers[change].value, 5);
    step(&f, FLOW_EV_TOGGLE, 0);
    step(&f, FLOW_EV_TOGGLE, 2);
    CHECK_EQ_INT(f.s.answers[change].state, QN_ANS_NONE);
    flow_session_end(&f);
    sink_wipe();
}

/* Language, text size, colours and read-all on START; the defaults come back after the
 * client ("Valmis", idle, "Ei, aloita alusta"), not when going back within a session. */
static void test_prefs(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, false);
    unsigned fx = step(&f, FLOW_EV_LANG, 2);
    CHECK_EQ_STR(f.lang, "en");
    CHECK(fx & FLOW_FX_PREFS);
    CHECK(fx & FLOW_FX_IDLE_ARM); /* idle on START returns the defaults */
    step(&f, FLOW_EV_LANG, 9);
    CHECK_EQ_STR(f.lang, "en");
    for (int i = 0; i < 6; i++)
        step(&f, FLOW_EV_BIGGER, 0);
    CHECK_EQ_INT(f.text_percent, FLOW_TEXT_MAX);
    step(&f, FLOW_EV_SMALLER, 0);
    CHECK_EQ_INT(f.text_percent, 175);
    step(&f, FLOW_EV_THEME, 0);
    step(&f, FLOW_EV_THEME, 0);
    CHECK_EQ_INT(f.theme, 2);
    step(&f, FLOW_EV_THEME, 0);
    step(&f, FLOW_EV_THEME, 0);
    CHECK_EQ_INT(f.theme, 1);
    fx = step(&f, FLOW_EV_READ_ALL, 0);
    CHECK(f.read_all);
    CHECK(fx & FLOW_FX_READ);
    step(&f, FLOW_EV_START, 0);
    step(&f, FLOW_EV_BACK, 0); /* back to START within a session: kept */
    CHECK_EQ_STR(f.lang, "en");
    CHECK_EQ_INT(f.text_percent, 175);
    /* idle on START: the time just runs out, no warning */
    fx = step(&f, FLOW_EV_IDLE_WARNING, 30);
    CHECK(!f.warning);
    CHECK_EQ_STR(f.lang, "fi");
    CHECK_EQ_INT(f.text_percent, FLOW_TEXT_MIN);
    CHECK_EQ_INT(f.theme, 0);
    CHECK(!f.read_all);
    CHECK(fx & FLOW_FX_PREFS);
    /* "Valmis" on THANKS resets them too */
    step(&f, FLOW_EV_LANG, 1);
    step(&f, FLOW_EV_BIGGER, 0);
    to_first_question(&f);
    send_minimal(&f);
    CHECK_EQ_INT(f.screen, FLOW_THANKS);
    CHECK_EQ_STR(f.lang, "sv");
    step(&f, FLOW_EV_THANKS_DONE, 0);
    CHECK_EQ_STR(f.lang, "fi");
    CHECK_EQ_INT(f.text_percent, FLOW_TEXT_MIN);
    sink_wipe();
}

static void test_idle(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, false);
    to_first_question(&f);
    step(&f, FLOW_EV_ANSWER, 1);
    unsigned fx = step(&f, FLOW_EV_IDLE_WARNING, 30);
    CHECK(f.warning);
    CHECK(fx & FLOW_FX_CHIME);
    fx = step(&f, FLOW_EV_IDLE_WARNING, 29);
    CHECK(!(fx & FLOW_FX_CHIME)); /* once */
    CHECK(fx & FLOW_FX_RELAYOUT);
    CHECK_EQ_INT(f.warning_secs, 29);
    fx = step(&f, FLOW_EV_ANSWER, 2); /* invariant 5: the countdown is modal */
    CHECK_EQ_INT(fx, 0);
    CHECK_EQ_INT(f.s.answers[0].value, 1);
    fx = step(&f, FLOW_EV_CONTINUE, 0);
    CHECK(!f.warning);
    CHECK(fx & FLOW_FX_IDLE_TOUCH);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    step(&f, FLOW_EV_IDLE_WARNING, 30);
    step(&f, FLOW_EV_IDLE_QUIET, 0);
    CHECK(!f.warning);
    step(&f, FLOW_EV_IDLE_WARNING, 1);
    CHECK(draft != NULL);
    fx = step(&f, FLOW_EV_IDLE_EXPIRED, 0);
    CHECK_EQ_INT(f.screen, FLOW_START);
    CHECK(!f.active);
    CHECK(!f.warning);
    CHECK(fx & FLOW_FX_DRAFT_WIPE); /* a kiosk's draft goes with the session */
    CHECK(draft == NULL);
    CHECK(fx & FLOW_FX_IDLE_DISARM);
    /* THANKS: no warning, straight back */
    to_first_question(&f);
    send_minimal(&f);
    step(&f, FLOW_EV_IDLE_WARNING, 30);
    CHECK_EQ_INT(f.screen, FLOW_START);
    CHECK_EQ_INT(f.fb_areas, 0); /* the previous client's picture is gone */
    sink_wipe();
}

/* A draft found on START is offered; yes resumes where the client was, no starts afresh. */
static void test_resume(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, true); /* a tablet keeps its draft over idle */
    step(&f, FLOW_EV_LANG, 2);
    step(&f, FLOW_EV_BIGGER, 0);
    to_first_question(&f);
    step(&f, FLOW_EV_ANSWER, 2);
    step(&f, FLOW_EV_NEXT, 0);
    unsigned fx = step(&f, FLOW_EV_IDLE_EXPIRED, 0);
    CHECK(!(fx & FLOW_FX_DRAFT_WIPE));
    CHECK_EQ_INT(f.screen, FLOW_RESUME); /* offered at once */
    CHECK(fx & FLOW_FX_IDLE_DISARM);     /* a tablet's offer waits */
    CHECK_EQ_STR(f.lang, "en");          /* asked in the client's language */
    CHECK_EQ_INT(f.text_percent, 125);
    CHECK(!f.active);
    fx = step(&f, FLOW_EV_RESUME_YES, 0);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK_EQ_INT(f.s.pos, 1);
    CHECK_EQ_INT(f.s.answers[0].value, 2);
    CHECK(f.anonymous);
    CHECK_EQ_STR(f.started, "2026-12-05T00:00:00Z");
    CHECK(fx & FLOW_FX_IDLE_ARM);
    flow_session_end(&f);

    /* a kiosk: the draft of a crash is offered on START, no starts afresh */
    flow k;
    flow_config kc;
    start(&k, &kc, qns, 1, false);
    CHECK_EQ_INT(k.screen, FLOW_RESUME);
    fx = step(&k, FLOW_EV_RESUME_NO, 0);
    CHECK(fx & FLOW_FX_DRAFT_WIPE);
    CHECK(draft == NULL);
    CHECK_EQ_INT(k.screen, FLOW_START);
    CHECK_EQ_STR(k.lang, "fi"); /* the draft's choices were the previous person's */
    CHECK_EQ_INT(k.text_percent, FLOW_TEXT_MIN);

    /* a draft that fits no questionnaire (or vanished) starts afresh */
    draft = strdup("{\"format\":1,\"questionnaire\":{\"id\":\"other\",\"version\":\"9\"}}");
    run_fx(&k, flow_init(&k, &kc));
    CHECK_EQ_INT(k.screen, FLOW_RESUME);
    step(&k, FLOW_EV_RESUME_YES, 0);
    CHECK_EQ_INT(k.screen, FLOW_START);
    CHECK(!k.active);
    sink_wipe();
    run_fx(&k, flow_init(&k, &kc));
    CHECK_EQ_INT(k.screen, FLOW_START);
    flow_step(&k, (flow_event){FLOW_EV_DRAFT_FOUND, 0, "{}", 2, WALL, 0});
    CHECK_EQ_INT(k.screen, FLOW_RESUME);
    step(&k, FLOW_EV_RESUME_YES, 0); /* the sink has none now */
    CHECK_EQ_INT(k.screen, FLOW_START);
}

static void test_worker(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, false);
    to_first_question(&f);
    step(&f, FLOW_EV_IDLE_WARNING, 30);
    step(&f, FLOW_EV_WORKER_OPEN, 0);
    CHECK_EQ_INT(f.screen, FLOW_WORKER); /* no worker screens: the placeholder */
    CHECK(!f.warning);
    step(&f, FLOW_EV_WORKER_OPEN, 0);
    step(&f, FLOW_EV_WORKER_CLOSE, 0);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK(f.active);
    c.has_worker = true;
    unsigned fx = step(&f, FLOW_EV_WORKER_OPEN, 0);
    CHECK(fx & FLOW_FX_OPEN_WORKER);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    step(&f, FLOW_EV_WORKER_CLOSE, 0);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    flow_session_end(&f);
    sink_wipe();
}

/* The research question (invariant 8): nothing chosen for the client, yes and no alike, kept in
 * the draft and the result, asked afresh for the next client; declining changes nothing else. */
static void test_consent(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, false);
    step(&f, FLOW_EV_START, 0);
    unsigned fx = step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.screen, FLOW_CONSENT);
    CHECK_EQ_INT(f.research, FLOW_RESEARCH_NOT_ASKED); /* no pre-selection */
    CHECK(fx & FLOW_FX_IDLE_ARM);
    CHECK(fx & FLOW_FX_READ); /* read aloud like every screen */
    step(&f, FLOW_EV_NEXT, 0);   /* no "next" past the question: a choice is a tap */
    step(&f, FLOW_EV_CONSENT, 7); /* not a choice */
    CHECK_EQ_INT(f.screen, FLOW_CONSENT);
    CHECK_EQ_INT(f.research, FLOW_RESEARCH_NOT_ASKED);
    step(&f, FLOW_EV_CONSENT, FLOW_RESEARCH_YES);
    CHECK_EQ_INT(f.screen, FLOW_IDENT);
    step(&f, FLOW_EV_CONSENT, FLOW_RESEARCH_NO); /* only on its own screen */
    CHECK_EQ_INT(f.research, FLOW_RESEARCH_YES);
    step(&f, FLOW_EV_BACK, 0); /* back: the choice shows and can change */
    CHECK_EQ_INT(f.screen, FLOW_CONSENT);
    CHECK_EQ_INT(f.research, FLOW_RESEARCH_YES);
    step(&f, FLOW_EV_CONSENT, FLOW_RESEARCH_NO);
    CHECK_EQ_INT(f.screen, FLOW_IDENT); /* no leads on exactly as yes */
    step(&f, FLOW_EV_ANON, 0);
    step(&f, FLOW_EV_BEGIN, 0);
    CHECK(draft && strstr(draft, "\"research\":\"no\""));
    /* the draft keeps it over a crash */
    char *kept = strdup(draft);
    flow g;
    flow_config gc;
    start(&g, &gc, qns, 1, false);
    flow_step(&g, (flow_event){FLOW_EV_RESUME_YES, 0, NULL, 0, WALL, 0});
    flow_step(&g, (flow_event){FLOW_EV_DRAFT_FOUND, 0, kept, strlen(kept), WALL, 0});
    CHECK_EQ_INT(g.screen, FLOW_QUESTION);
    CHECK_EQ_INT(g.research, FLOW_RESEARCH_NO);
    flow_session_end(&g);
    free(kept);
    /* the result says it; a yes the same way */
    for (int i = 0; i < 3; i++) {
        step(&f, FLOW_EV_ANSWER, 0);
        step(&f, FLOW_EV_NEXT, 0);
    }
    its_err err;
    char *r = flow_result_text(&f, WALL, "kiosk-t", &err);
    CHECK(r && strstr(r, "\"consent\":{\"research\":\"no\"}"));
    CHECK(r && !strstr(r, "assisted"));
    CHECK(r && strstr(r, "\"format\":2"));
    free(r);
    step(&f, FLOW_EV_SEND, 0);
    step(&f, FLOW_EV_SAVED, 0);
    CHECK_EQ_INT(f.research, FLOW_RESEARCH_NOT_ASKED); /* gone with the session */
    step(&f, FLOW_EV_THANKS_DONE, 0);
    /* the next client is asked afresh, also after going back to START */
    step(&f, FLOW_EV_START, 0);
    step(&f, FLOW_EV_NEXT, 0);
    step(&f, FLOW_EV_CONSENT, FLOW_RESEARCH_YES);
    step(&f, FLOW_EV_BACK, 0);
    step(&f, FLOW_EV_BACK, 0);
    step(&f, FLOW_EV_BACK, 0);
    CHECK_EQ_INT(f.screen, FLOW_START);
    CHECK_EQ_INT(f.research, FLOW_RESEARCH_NOT_ASKED);
    step(&f, FLOW_EV_START, 0);
    step(&f, FLOW_EV_NEXT, 0);
    CHECK_EQ_INT(f.research, FLOW_RESEARCH_NOT_ASKED);
    step(&f, FLOW_EV_CONSENT, FLOW_RESEARCH_YES);
    step(&f, FLOW_EV_ANON, 0);
    step(&f, FLOW_EV_BEGIN, 0);
    r = flow_result_text(&f, WALL, "kiosk-t", &err);
    CHECK(r && strstr(r, "\"consent\":{\"research\":\"yes\"}"));
    free(r);
    /* the idle wipe forgets it too */
    step(&f, FLOW_EV_IDLE_EXPIRED, 0);
    CHECK_EQ_INT(f.research, FLOW_RESEARCH_NOT_ASKED);
    sink_wipe();
}

/* Interviewer-assisted: the worker's screens start an interview; the mark reaches the result
 * and never the next client. */
static void test_interview(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {qmin};
    start(&f, &c, qns, 1, false);
    c.has_worker = true;
    step(&f, FLOW_EV_LANG, 2);
    flow_step(&f, (flow_event){FLOW_EV_INTERVIEW, 0, "", 0, WALL, 0}); /* nobody: ignored */
    CHECK_EQ_STR(f.assisted_by, "");
    to_first_question(&f);
    step(&f, FLOW_EV_ANSWER, 1);
    step(&f, FLOW_EV_WORKER_OPEN, 0);
    CHECK(flow_step(&f, (flow_event){FLOW_EV_INTERVIEW, 0, "ab12", 4, WALL, 0}) == 0); /* not while open */
    step(&f, FLOW_EV_WORKER_CLOSE, 0);
    unsigned fx = run_fx(&f, flow_step(&f, (flow_event){FLOW_EV_INTERVIEW, 0, "ab12", 4, WALL, 0}));
    CHECK(flow_invariants_hold(&f));
    CHECK_EQ_INT(f.screen, FLOW_START);
    CHECK(!f.active); /* what was underway ended */
    CHECK_EQ_STR(f.assisted_by, "ab12");
    CHECK_EQ_STR(f.lang, "fi");      /* the kiosk's defaults */
    CHECK(fx & FLOW_FX_IDLE_ARM);    /* START is timed while the mark is set */
    to_first_question(&f);
    CHECK_EQ_STR(f.assisted_by, "ab12");
    CHECK(draft && strstr(draft, "\"assisted_by\":\"ab12\""));
    for (int i = 0; i < 3; i++) {
        step(&f, FLOW_EV_ANSWER, 0);
        step(&f, FLOW_EV_NEXT, 0);
    }
    its_err err;
    char *r = flow_result_text(&f, WALL, "kiosk-t", &err);
    CHECK(r && strstr(r, "\"assisted\":{\"worker_key\":\"ab12\"}"));
    free(r);
    step(&f, FLOW_EV_SEND, 0);
    step(&f, FLOW_EV_SAVED, 0);
    CHECK_EQ_STR(f.assisted_by, ""); /* the next client answers alone */
    step(&f, FLOW_EV_THANKS_DONE, 0);
    fx = step(&f, FLOW_EV_START, 0);
    CHECK_EQ_STR(f.assisted_by, "");
    /* an interview nobody starts idles out */
    flow_step(&f, (flow_event){FLOW_EV_INTERVIEW, 0, "cd34", 4, WALL, 0});
    step(&f, FLOW_EV_IDLE_WARNING, 30);
    CHECK_EQ_INT(f.screen, FLOW_START);
    CHECK_EQ_STR(f.assisted_by, "");
    sink_wipe();
}

/* Benchmarks open a question directly; any event in any state is safe (the machine is total). */
static void test_total(void)
{
    flow f;
    flow_config c;
    const qn *qns[] = {q12, qmin};
    start(&f, &c, qns, 2, false);
    flow_open_question(&f, 3, WALL);
    CHECK_EQ_INT(f.screen, FLOW_QUESTION);
    CHECK_EQ_INT(f.s.pos, 2);
    flow_session_end(&f);
    for (int s = 0; s < FLOW_SCREEN_COUNT; s++)
        for (int k = 0; k < FLOW_EV_COUNT; k++) {
            start(&f, &c, qns, 2, false);
            to_first_question(&f);
            if (s != FLOW_QUESTION && s != FLOW_REVIEW && s != FLOW_SAVE_ERROR &&
                s != FLOW_INTRO)
                flow_session_end(&f);
            f.screen = (flow_screen)s;
            step(&f, (flow_event_kind)k, 0);
            if (!flow_invariants_hold(&f))
                fprintf(stderr, "  screen %d event %d: now %d\n", s, k, f.screen);
            flow_session_end(&f);
            sink_wipe();
        }
}

static qn *load(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", getenv("ITS_SOURCE_DIR"), rel);
    qn_report rep;
    qn *q = qn_load(path, &rep);
    if (!q)
        fprintf(stderr, "%s did not load\n", path);
    return q;
}

int main(void)
{
    q12 = load("questionnaires/whodas12-style.json");
    qmin = load("tests/fixtures/minimal.json");
    qoma = load("questionnaires/oma-tilanne.json");
    if (!q12 || !qmin || !qoma)
        return 1;
    test_forward_and_back();
    test_questions_and_review();
    test_send();
    test_code();
    test_scales();
    test_prefs();
    test_idle();
    test_resume();
    test_worker();
    test_consent();
    test_interview();
    test_total();
    test_days_check();
    test_crisis();
    qn_free(q12);
    qn_free(qmin);
    qn_free(qoma);
    return check_summary();
}
