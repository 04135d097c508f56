/* feedback.c — see feedback.h. */
#include "feedback.h"

#include <string.h>

enum { MAX_STRENGTHS = 3 };
/* A strength is an area with less than 25 % difficulty (the ICF "none" and "mild" bands): at 50 %
 * a client with "moderate" everywhere would be told that three areas go well. */
static const double STRENGTH_ABOVE = 75.0;

static double goes_well(const qn_score *sc, const score_value *v)
{
    double x = sc->method == QN_METHOD_SUM ? v->percent : v->value;
    return sc->higher_is_better ? x : 100.0 - x;
}

void feedback_build(const qn *q, const score_value *scores, feedback *out)
{
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
}
