/* feedback.c — see feedback.h. */
#include "feedback.h"

#include "flags.h"

#include <string.h>

enum { MAX_STRENGTHS = 3 };
/* A strength is an area with less than 25 % difficulty (the ICF "none" and "mild" bands): at 50 %
 * a client with "moderate" everywhere would be told that three areas go well. */
static const double STRENGTH_ABOVE = 75.0;

/* The sentence when no strength is named must follow the answers, neither hiding difficulty
 * nor alarming needlessly. An answer is "hard" at the middle of its scale or on the hard side
 * of it: WHODAS "Jonkin verran vaikeuksia" (fairly hard, 2 of 0-4) or worse, Oma tilanne
 * "Pitää osittain paikkansa" or less. The rule, over the answers to the computed areas' items:
 *   MANY   at least half of these answers are hard ("moni asia on nyt vaikeaa");
 *   SOME   some answer is hard, or an area is at 50 % difficulty or more (the WHODAS-36 recode
 *          can put an area there from mild answers), or a red flag fires;
 *   LITTLE otherwise, when some answer is above the best end: only mild answers, so the
 *          sentence says "a little" — and it still says that things are hard, so it never
 *          contradicts a yellow flag such as a sum score in the moderate band;
 *   NONE   every answer at the best end (strengths are named then). */
static const double HARD_AT = 0.5;

static double goes_well(const qn_score *sc, const score_value *v)
{
    double x = sc->method == QN_METHOD_SUM ? v->percent : v->value;
    return sc->higher_is_better ? x : 100.0 - x;
}

/* 0 = the scale's easy end, 1 = its hard end, in the score's direction; -1 if not answered. */
static double answer_difficulty(const qn_session *s, const qn_score *sc, int item)
{
    const qn_item *it = &s->q->items[item];
    const qn_scale *scale = &s->q->scales[it->scale];
    qn_answer a = session_effective(s, item);
    if (a.state != QN_ANS_VALUE || scale->kind == QN_SCALE_MULTI || scale->max <= scale->min)
        return -1.0;
    int v = it->reverse ? scale->min + scale->max - a.value : a.value;
    double pos = (double)(v - scale->min) / (scale->max - scale->min);
    return sc->higher_is_better ? 1.0 - pos : pos;
}

static bool red_flag(const qn_session *s, const score_value *scores)
{
    flag_result r;
    its_err err;
    if (flags_evaluate(s, scores, NULL, 0, &r, &err) < 0)
        return true; /* out of memory: never risk saying "a little" */
    bool red = r.level == QN_LEVEL_RED;
    flags_free(&r);
    return red;
}

static feedback_hard judge_hard(const qn_session *s, const score_value *scores, const feedback *fb)
{
    int answered = 0, hard = 0, above_best = 0;
    bool hard_area = false;
    for (int i = 0; i < fb->n_areas; i++) {
        const qn_score *sc = &s->q->scores[fb->areas[i].score];
        hard_area |= fb->areas[i].goes_well <= 100.0 * (1.0 - HARD_AT) + 1e-9;
        for (int k = 0; k < sc->n_items; k++) {
            double d = answer_difficulty(s, sc, sc->items[k]);
            answered += d >= 0.0;
            hard += d >= HARD_AT - 1e-9;
            above_best += d > 1e-9;
        }
    }
    if (answered > 0 && 2 * hard >= answered)
        return FEEDBACK_HARD_MANY;
    if (hard > 0 || hard_area || red_flag(s, scores))
        return FEEDBACK_HARD_SOME;
    return above_best > 0 ? FEEDBACK_HARD_LITTLE : FEEDBACK_HARD_NONE;
}

void feedback_build(const qn_session *s, const score_value *scores, feedback *out)
{
    const qn *q = s->q;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < q->n_scores && out->n_areas < FEEDBACK_MAX_AREAS; i++) {
        const qn_score *sc = &q->scores[i];
        if (sc->domain < 0 || sc->method == QN_METHOD_ITEM)
            continue;
        if (scores[i].status == SCORE_NOT_SCORED)
            out->n_not_computed++;
        if (scores[i].status != SCORE_OK)
            continue;
        feedback_area a = {i, sc->domain, goes_well(sc, &scores[i])};
        /* insertion sort, stable: best first, file order among equals */
        int k = out->n_areas++;
        while (k > 0 && out->areas[k - 1].goes_well < a.goes_well) {
            out->areas[k] = out->areas[k - 1];
            k--;
        }
        out->areas[k] = a;
    }
    while (out->n_strengths < out->n_areas && out->n_strengths < MAX_STRENGTHS &&
           out->areas[out->n_strengths].goes_well > STRENGTH_ABOVE + 1e-9)
        out->n_strengths++;
    out->hard = judge_hard(s, scores, out);
}

const char *feedback_hard_key(feedback_hard hard)
{
    static const char *const keys[] = {
        [FEEDBACK_HARD_NONE] = NULL,
        [FEEDBACK_HARD_LITTLE] = "thanks_hard_little",
        [FEEDBACK_HARD_SOME] = "thanks_hard_some",
        [FEEDBACK_HARD_MANY] = "thanks_hard_many",
    };
    return keys[hard];
}
