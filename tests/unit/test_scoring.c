/* Hand-computed scoring and flag cases of the project's own, the session's skip logic, and
 * property tests: every score stays within 0-100, raising one answer never lowers a score, and the
 * flag level never drops when an answer gets worse. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "feedback.h"
#include "result_read.h"

static qn *load_fixture(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/%s", getenv("ITS_SOURCE_DIR"), name);
    return load_questionnaire_file(path);
}

/* Loads a fixture and starts an empty session on it; false (and nothing to free) on failure. */
static bool fixture_session(const char *name, qn **q, qn_session *s)
{
    its_err err;
    *q = load_fixture(name);
    if (!CHECK(*q))
        return false;
    if (!CHECK(session_init(s, *q, &err) == 0)) {
        qn_free(*q);
        return false;
    }
    return true;
}

/* Scores `answers` (vector notation) and returns the result document. */
static json_t *run(const qn *q, const char *answers, int works, const flag_previous *prev, int n_prev)
{
    qn_session s;
    its_err err;
    if (session_init(&s, q, &err) < 0)
        return NULL;
    if (session_from_notation(&s, answers, works, &err) < 0) {
        fprintf(stderr, "notation: %s\n", err.msg);
        session_wipe(&s);
        return NULL;
    }
    json_t *r = result_build(&s, NULL, prev, n_prev, 0, &err);
    session_wipe(&s);
    return r;
}

/* Minimal fixture: A1 collapsed [0,1,1], A2 flat, B1 (work) flat; total /5, no-work /3. */
static void test_minimal_by_hand(void)
{
    qn *q = load_fixture("minimal.json");
    if (!CHECK(q))
        return;
    /* A1=2 -> 1, A2=1 -> 1, B1=2 -> 2: 4 * 100 / 5 = 80 */
    json_t *r = run(q, "2 1 2", 1, NULL, 0);
    CHECK_NEAR(value_of(r, "total"), 80.0, 1e-9);
    CHECK_NEAR(value_of(r, "sum"), 3.0, 1e-9);
    CHECK(fired(r, "R1") && fired(r, "Y1"));
    CHECK(strstr(detail_of(q, r, "R1"), "Walking: ") != NULL ||
          strstr(detail_of(q, r, "R1"), "Kävely: ") != NULL);
    json_decref(r);
    /* does not work: B1 not asked -> path "no-work", (1 + 1) * 100 / 3 */
    r = run(q, "2 1 na", 0, NULL, 0);
    CHECK_NEAR(value_of(r, "total"), 200.0 / 3.0, 1e-9);
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_object_get(json_object_get(r, "scores"), "total"), "item_set")),
                 "no-work");
    json_decref(r);
    /* A2 missing: no imputation rule in this fixture -> not scored, and no flag is silent */
    r = run(q, "0 x 0", 1, NULL, 0);
    CHECK_EQ_STR(status_of(r, "total"), "not_scored");
    json_decref(r);
    qn_free(q);
}

static void test_areas_by_hand(void)
{
    qn *q;
    qn_session s;
    its_err err;
    if (!fixture_session("areas.json", &q, &s))
        return;
    /* WA=2; mind M1=4, M2=1 (reverse: 3), M3=2, M4=3 -> 100, 75, 50, 75 -> 75;
     * body B1=0, B2=1, B3 missing, B4=0 -> 3 of 4 answered (75 %) -> (0 + 25 + 0) / 3 */
    json_t *answers = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:s,s:i,s:[i,i]}", "WA", 2, "M1", 4,
                                "M2", 1, "M3", 2, "M4", 3, "B1", 0, "B2", 1, "B3", "x", "B4", 0, "CH", 1, 3);
    CHECK(session_from_json(&s, answers, &err) == 0);
    json_t *r = result_build(&s, NULL, NULL, 0, 0, &err);
    CHECK_NEAR(value_of(r, "mind"), 75.0, 1e-9);
    CHECK_NEAR(value_of(r, "body"), 25.0 / 3.0, 1e-9);
    CHECK_NEAR(value_of(r, "wa"), 2.0, 1e-9);
    CHECK(fired(r, "A1"));        /* body <= 25 */
    CHECK(!fired(r, "A2"));       /* only one area below 50 */
    CHECK(fired(r, "R4"));        /* work ability 2 together with A1 */
    CHECK(fired(r, "Y4"));
    CHECK(!fired(r, "Y6"));
    CHECK_EQ_STR(json_string_value(json_object_get(r, "level")), "red");
    /* the several-answer question round-trips as option values */
    json_t *ch = json_object_get(json_object_get(r, "answers"), "CH");
    CHECK(json_array_size(ch) == 2 && json_integer_value(json_array_get(ch, 1)) == 3);
    json_decref(r);

    /* B2 also refused: 2 of 4 answered -> not enough answers -> Y6, and R4 sees Y6 */
    CHECK(session_set(&s, qn_item_index(q, "B2"), (qn_answer){QN_ANS_REFUSED, 0}, &err) == 0);
    r = result_build(&s, NULL, NULL, 0, 0, &err);
    CHECK_EQ_STR(status_of(r, "body"), "not_scored");
    CHECK(fired(r, "Y6") && fired(r, "R4") && !fired(r, "A1"));
    json_decref(r);

    /* Work ability 2 alone: Y4 fires, but R4 does not count Y4 as "another flag" */
    CHECK(session_set(&s, qn_item_index(q, "B2"), (qn_answer){QN_ANS_VALUE, 4}, &err) == 0);
    CHECK(session_set(&s, qn_item_index(q, "B1"), (qn_answer){QN_ANS_VALUE, 4}, &err) == 0);
    CHECK(session_set(&s, qn_item_index(q, "B3"), (qn_answer){QN_ANS_VALUE, 4}, &err) == 0);
    r = result_build(&s, NULL, NULL, 0, 0, &err);
    CHECK(fired(r, "Y4") && !fired(r, "R4") && !fired(r, "A1"));
    json_decref(r);
    /* "below" is strict and shows as "<": mind M1=0, M2=1 (reversed 3), M3=0, M4=3 ->
     * (0+75+0+75)/4 = 37.5; body B1=0, B2=4, B3=4, B4=0 -> 50: not below 50, so one weak area */
    CHECK(session_set(&s, qn_item_index(q, "M1"), (qn_answer){QN_ANS_VALUE, 0}, &err) == 0);
    CHECK(session_set(&s, qn_item_index(q, "M3"), (qn_answer){QN_ANS_VALUE, 0}, &err) == 0);
    CHECK(session_set(&s, qn_item_index(q, "B1"), (qn_answer){QN_ANS_VALUE, 0}, &err) == 0);
    r = result_build(&s, NULL, NULL, 0, 0, &err);
    CHECK_NEAR(value_of(r, "body"), 50.0, 1e-9);
    CHECK(!fired(r, "A2"));
    json_decref(r);
    CHECK(session_set(&s, qn_item_index(q, "B2"), (qn_answer){QN_ANS_VALUE, 1}, &err) == 0);
    r = result_build(&s, NULL, NULL, 0, 0, &err); /* body (0+25+100+0)/4 = 31.25 */
    CHECK(fired(r, "A2") && strstr(detail_of(q, r, "A2"), "< 50") != NULL);
    CHECK(fired(r, "R4") && !fired(r, "A1")); /* now together with A2 */
    json_decref(r);
    CHECK(session_set(&s, qn_item_index(q, "M1"), (qn_answer){QN_ANS_VALUE, 4}, &err) == 0);
    CHECK(session_set(&s, qn_item_index(q, "M3"), (qn_answer){QN_ANS_VALUE, 2}, &err) == 0);
    CHECK(session_set(&s, qn_item_index(q, "B1"), (qn_answer){QN_ANS_VALUE, 0}, &err) == 0);
    CHECK(session_set(&s, qn_item_index(q, "B3"), (qn_answer){QN_ANS_NONE, 0}, &err) == 0);

    /* worse than last time: mind was 90, now 75 (higher is better) -> Y5 */
    CHECK(session_set(&s, qn_item_index(q, "B2"), (qn_answer){QN_ANS_VALUE, 4}, &err) == 0);
    flag_previous prev[] = {{"mind", 90.0, 90.0, NULL}, {"body", 0.0, 0.0, NULL}};
    r = result_build(&s, NULL, prev, 2, 0, &err);
    CHECK(fired(r, "Y5"));
    CHECK(strstr(detail_of(q, r, "Y5"), "90/100 → 75/100: 15 points worse") != NULL);
    json_decref(r);
    prev[0].value = prev[0].percent = 80.0; /* only 5 points worse */
    r = result_build(&s, NULL, prev, 2, 0, &err);
    CHECK(!fired(r, "Y5"));
    json_decref(r);
    json_decref(answers);
    session_wipe(&s);
    qn_free(q);
}

static void test_whodas_hand_cases(void)
{
    qn *q = load_fixture("whodas36-structure.json");
    if (!CHECK(q))
        return;
    /* Everything "mild" except D2.5 "extreme": Do2 recode = F1+C1+C1+F1+F4 = 8 -> 50;
     * overall = (36 mild recoded 36 + 3 extra) -> sum 39 + ... computed by hand below. */
    const char *a = "1 1 1 1 1 1 1 1 1 1 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1";
    json_t *r = run(q, a, 1, NULL, 0);
    /* all-mild recoded sum is 36 (every item recodes 1 -> 1); D2.5 flat 4 adds 3 -> 39/106 */
    CHECK_NEAR(value_of(r, "overall"), 3900.0 / 106.0, 1e-9);
    CHECK_NEAR(value_of(r, "d2"), 50.0, 1e-9);
    CHECK(fired(r, "R1") && fired(r, "Y2") && fired(r, "Y3") && !fired(r, "R3"));
    json_decref(r);
    /* One answer refused ("r") counts as missing and is imputed: D6.8 (C) with D6.1..D6.7 all
     * moderate: recoded C2->1, F2->2; D6: C,F,C,F,F,C,F answered -> (1+2+1+2+2+1+2)/7 = 11/7 */
    r = run(q, "2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 r", 1, NULL,
            0);
    CHECK_NEAR(value_of(r, "d6"), (11.0 + 11.0 / 7.0) * 100.0 / 24.0, 1e-9);
    CHECK_EQ_STR(
        json_string_value(json_array_get(
            json_object_get(json_object_get(json_object_get(r, "scores"), "overall"), "imputed"),
            0)),
        "D6.8");
    json_decref(r);
    /* The cap: D1.5 (collapsed, max 2) missing with the rest of domain 1 "extreme": the
     * recoded mean (4+4+4+4+2)/5 = 3.6 is capped at 2 -> Do1 = (16 + 2 + 2) * 100 / 20 = 100 */
    r = run(q, "4 4 4 4 x 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", 1, NULL, 0);
    CHECK_NEAR(value_of(r, "d1"), 100.0, 1e-9);
    json_decref(r);
    /* change rule: previous overall 20, now 33.96 (all mild) -> Y5 */
    flag_previous prev[] = {{"overall", 20.0, 20.0, NULL}};
    r = run(q, "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", 1, prev, 1);
    CHECK(fired(r, "Y5"));
    json_decref(r);
    /* a worker who answered a work item while saying "does not work" is refused */
    qn_session s;
    its_err err;
    session_init(&s, q, &err);
    CHECK(session_from_notation(&s, a, 0, &err) < 0);
    CHECK(strstr(err.msg, "D5.5") != NULL);
    session_wipe(&s);
    qn_free(q);
}

static void test_session_skip_logic(void)
{
    qn *q;
    qn_session s;
    its_err err;
    if (!fixture_session("whodas36-structure.json", &q, &s))
        return;
    int work = qn_item_index(q, "WORK"), d55 = qn_item_index(q, "D5.5"), d61 = qn_item_index(q, "D6.1");
    int n, total;
    CHECK(!session_is_shown(&s, d55)); /* not asked before the gate is answered */
    session_set(&s, work, (qn_answer){QN_ANS_VALUE, 0}, &err);
    CHECK_EQ_INT(session_next(&s, work), d61);
    CHECK_EQ_INT(session_prev(&s, d61), work);
    session_progress(&s, d61, &n, &total);
    CHECK_EQ_INT(total, 36); /* 32 scored + gate + H1-H3 */
    session_set(&s, work, (qn_answer){QN_ANS_VALUE, 1}, &err);
    CHECK_EQ_INT(session_next(&s, work), d55);
    session_progress(&s, d61, &n, &total);
    CHECK_EQ_INT(total, 40);
    CHECK_EQ_INT(n, 30);
    CHECK(session_set(&s, d55, (qn_answer){QN_ANS_VALUE, 7}, &err) < 0);
    CHECK(strstr(err.msg, "7 is not an answer") != NULL);
    CHECK(session_set(&s, work, (qn_answer){QN_ANS_REFUSED, 0}, &err) < 0); /* gate has no refuse */
    json_t *bad = json_pack("{s:i}", "D9.9", 1);
    CHECK(session_from_json(&s, bad, &err) < 0 && strstr(err.msg, "D9.9"));
    json_decref(bad);
    session_wipe(&s);
    CHECK(s.answers == NULL);
    qn_free(q);
}

/* Strengths first: WHODAS difficulty turned round, best first, at most three named. */
static void test_feedback(void)
{
    qn *q;
    qn_session s;
    its_err err;
    if (!fixture_session("whodas36-structure.json", &q, &s))
        return;
    /* mixed-works vector: d1 30, d2 43.75, d3 20, d4 41.67, d51 50, d52 35.71, d6 54.17 */
    const char *mixed = "1 0 2 1 0 3 2 1 0 1 3 0 1 0 2 1 0 0 2 4 1 2 2 1 2 3 1 0 1 2 0 3 4 1 2 0";
    CHECK(session_from_notation(&s, mixed, 1, &err) == 0);
    score_value *v = calloc((size_t)q->n_scores, sizeof *v);
    score_all(&s, v);
    feedback fb;
    feedback_build(&s, v, &fb);
    CHECK_EQ_INT(fb.n_areas, 7);
    CHECK_EQ_STR(q->domains[fb.areas[0].domain].id, "3"); /* 20 -> goes well 80 */
    CHECK_NEAR(fb.areas[0].goes_well, 80.0, 1e-9);
    CHECK_EQ_STR(q->domains[fb.areas[1].domain].id, "1"); /* 30 -> 70 */
    CHECK_EQ_STR(q->domains[fb.areas[6].domain].id, "6"); /* 54.17 -> 45.83 */
    CHECK_EQ_INT(fb.n_strengths, 1); /* only d3 is below 25 % difficulty */
    CHECK_EQ_INT(fb.n_not_computed, 0);
    free(v);
    session_wipe(&s);
    qn_free(q);
}

/* ---- properties ---------------------------------------------------------------------------- */

static unsigned rng_state = 12345;
static unsigned rng(void)
{
    return check_rand(&rng_state);
}

static void format_answers(const int *values, int n, char *out, size_t len)
{
    static const char *const words[] = {"na", "x", "0", "1", "2", "3", "4"};
    out[0] = '\0';
    for (int k = 0; k < n; k++)
        its_appendf(out, len, "%s ", words[values[k] + 2]);
}

/* Random answers for the scored items (-2 not applicable, -1 missing, 0-4); returns how many. */
static int random_answers(const qn *q, int *values, int works)
{
    int k = 0;
    for (int i = 0; i < q->n_items; i++) {
        if (!q->items[i].scored)
            continue;
        bool gated = q->items[i].show_if.item >= 0;
        int v = rng() % 12 == 0 ? -1 : (int)(rng() % 5);
        if (gated && !works)
            v = -2;
        values[k++] = v;
    }
    return k;
}

static void property_case(const qn *q, int works, int *violations)
{
    char answers[400], raised[400];
    int values[64];
    int n = random_answers(q, values, works);
    format_answers(values, n, answers, sizeof answers);
    json_t *r = run(q, answers, works, NULL, 0);
    const char *id;
    json_t *v;
    json_object_foreach(json_object_get(r, "scores"), id, v) {
        json_t *x = json_object_get(v, json_object_get(v, "percent") ? "percent" : "value");
        if (x && (json_number_value(x) < -1e-9 || json_number_value(x) > 100 + 1e-9)) {
            (*violations)++;
            fprintf(stderr, "score %s = %.4f out of 0-100\n  %s\n", id, json_number_value(x), answers);
        }
    }
    /* raise one answered item by one step */
    int pick = -1;
    for (int tries = 0; tries < 50 && pick < 0; tries++) {
        int k = (int)(rng() % (unsigned)n);
        if (values[k] >= 0 && values[k] < 4)
            pick = k;
    }
    if (pick >= 0) {
        values[pick]++;
        format_answers(values, n, raised, sizeof raised);
        json_t *r2 = run(q, raised, works, NULL, 0);
        json_object_foreach(json_object_get(r, "scores"), id, v)
        {
            double before = value_of(r, id), after = value_of(r2, id);
            if (before >= 0 && after < before - 1e-9) {
                (*violations)++;
                fprintf(stderr, "score %s dropped %.4f -> %.4f\n  %s\n  %s\n", id, before, after,
                        answers, raised);
            }
        }
        if (level_rank(r2) < level_rank(r)) {
            (*violations)++;
            fprintf(stderr, "flag level dropped\n  %s\n  %s\n", answers, raised);
        }
        json_decref(r2);
    }
    json_decref(r);
}

static void test_properties(const char *fixture, int cases)
{
    qn *q = load_fixture(fixture);
    if (!CHECK(q))
        return;
    int violations = 0;
    for (int i = 0; i < cases; i++)
        property_case(q, (int)(rng() % 2), &violations);
    printf("%s: %d random cases, %d property violations\n", fixture, cases, violations);
    CHECK_EQ_INT(violations, 0);
    qn_free(q);
}

int main(void)
{
    test_minimal_by_hand();
    test_areas_by_hand();
    test_whodas_hand_cases();
    test_session_skip_logic();
    test_feedback();
    test_properties("whodas36-structure.json", 2000);
    test_properties("whodas12-structure.json", 2000);
    return check_summary();
}
