/* score.c — see score.h. The steps for one score, in order:
 *   1. which of its items were asked (an item hidden by show-if is not applicable);
 *   2. which item set applies: the full set, an alternate path, "not applicable" when nothing
 *      was asked, or "not scored" when the skipped items match no path;
 *   3. the missing-data rule: too many missing answers means "not scored", with the reason;
 *   4. imputation of the allowed missing answers (domain mean, in the score's value space);
 *   5. the value by the score's method. */
#include "score.h"

#include "words.h"

#include <stdio.h>
#include <string.h>

/* The reason codes' stored names and their English sentences for logs, in score_why's order;
 * a reader sees the catalogue's "wk_why_" + name instead, with the same placeholders. */
static const struct {
    const char *code, *english;
} whys[SCORE_WHY_COUNT] = {
    [SCORE_WHY_NOT_ASKED] = {"not_asked", "none of its questions were asked"},
    [SCORE_WHY_NO_PATH] = {"no_path", "not asked: {1}; no scoring path allows that"},
    [SCORE_WHY_TOO_MANY_MISSING] = {"too_many_missing", "{1} answers missing ({2}); at most {3} allowed"},
    [SCORE_WHY_DOMAIN_MISSING] = {"domain_missing",
                                  "{1} answers missing in one domain ({2}); at most {3} allowed"},
    [SCORE_WHY_TOO_FEW] = {"too_few", "not enough answers: {1} of {2}, at least {3} % needed"},
    [SCORE_WHY_NO_IMPUTATION] = {"no_imputation", "{1} is missing and the score has no imputation rule"},
    [SCORE_WHY_EMPTY_DOMAIN] = {"empty_domain", "{1} is missing and nothing in its domain was answered"},
    [SCORE_WHY_UNANSWERED] = {"unanswered", "{1} was not answered"},
};

const char *score_why_code(score_why why)
{
    return why > SCORE_WHY_NONE && why < SCORE_WHY_COUNT ? whys[why].code : NULL;
}

score_why score_why_from_code(const char *code)
{
    for (int i = SCORE_WHY_NONE + 1; code && i < SCORE_WHY_COUNT; i++)
        if (!strcmp(whys[i].code, code))
            return (score_why)i;
    return SCORE_WHY_NONE;
}

/* Records why v is not computed: the code, its arguments (NULL for none) and the log sentence. */
static void set_why(score_value *v, score_why why, const char *a1, const char *a2, const char *a3)
{
    const char *given[SCORE_WHY_ARGS] = {a1, a2, a3}, *args[SCORE_WHY_ARGS];
    v->why = why;
    for (int i = 0; i < SCORE_WHY_ARGS; i++) {
        its_strlcpy(v->why_args[i], given[i] ? given[i] : "", sizeof v->why_args[i]);
        args[i] = v->why_args[i];
    }
    words_fill(v->reason, sizeof v->reason, whys[why].english, args, SCORE_WHY_ARGS);
}

/* A whole number as text, for a reason's arguments. */
static const char *int_text(char *dst, size_t n, int x)
{
    snprintf(dst, n, "%d", x);
    return dst;
}

typedef struct item_set {
    int items[512];
    int n;
} item_set;

static int keyed_value(const qn *q, int item, int value)
{
    const qn_item *it = &q->items[item];
    const qn_scale *sc = &q->scales[it->scale];
    return it->reverse ? sc->min + sc->max - value : value;
}

/* The value an answered item contributes in the score's value space. */
static double item_value(const qn *q, const qn_score *sc, int item, int value)
{
    const qn_item *it = &q->items[item];
    const qn_scale *scale = &q->scales[it->scale];
    int keyed = keyed_value(q, item, value);
    if (sc->method == QN_METHOD_RECODE)
        return it->recode[keyed - scale->min];
    if (sc->method == QN_METHOD_MEAN100)
        return scale->max > scale->min ? (keyed - scale->min) * 100.0 / (scale->max - scale->min) : 0;
    return keyed;
}

static bool answered(const qn_session *s, int item)
{
    return session_effective(s, item).state == QN_ANS_VALUE;
}

static void list_ids(const qn *q, const int *items, int n, char *out, size_t len)
{
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        its_appendf(out, len, "%s%s", i ? ", " : "", q->items[items[i]].id);
}

/* Step 2: picks the item set; returns false when the score is settled (NA or not scored). */
static bool choose_item_set(const qn_session *s, const qn_score *sc, score_value *v)
{
    const qn *q = s->q;
    int skipped[512], n_skipped = 0;
    for (int i = 0; i < sc->n_items && n_skipped < 512; i++)
        if (!session_is_shown(s, sc->items[i]))
            skipped[n_skipped++] = sc->items[i];
    v->divisor = sc->divisor;
    v->item_set = sc->item_set;
    v->n_applicable = sc->n_items - n_skipped;
    if (n_skipped == 0)
        return true;
    if (n_skipped == sc->n_items) {
        v->status = SCORE_NOT_APPLICABLE;
        set_why(v, SCORE_WHY_NOT_ASKED, NULL, NULL, NULL);
        return false;
    }
    for (int p = 0; p < sc->n_paths; p++) {
        const qn_path *path = &sc->paths[p];
        bool same = path->n_na_items == n_skipped;
        for (int i = 0; same && i < n_skipped; i++)
            same = path->na_items[i] == skipped[i];
        if (same) {
            v->divisor = path->divisor;
            v->item_set = path->name;
            return true;
        }
    }
    char ids[120];
    list_ids(q, skipped, n_skipped, ids, sizeof ids);
    v->status = SCORE_NOT_SCORED;
    set_why(v, SCORE_WHY_NO_PATH, ids, NULL, NULL);
    return false;
}

/* The items whose missing answers count against the rule: the score's own applicable items,
 * or every scored applicable item of the questionnaire (scope "all"). */
static void missing_scope(const qn_session *s, const qn_score *sc, item_set *out)
{
    const qn *q = s->q;
    out->n = 0;
    for (int i = 0; i < q->n_items && out->n < 512; i++) {
        bool in_scope = sc->missing.scope_all ? q->items[i].scored : false;
        for (int k = 0; !in_scope && k < sc->n_items; k++)
            in_scope = sc->items[k] == i;
        if (in_scope && session_is_shown(s, i) && !answered(s, i))
            out->items[out->n++] = i;
    }
}

/* Step 3: the missing-data rule. Returns false (and fills the reason) when not scored. */
static bool missing_allowed(const qn_session *s, const qn_score *sc, score_value *v)
{
    const qn *q = s->q;
    const qn_missing *m = &sc->missing;
    item_set missing;
    missing_scope(s, sc, &missing);
    char ids[120], count[16], most[16];
    list_ids(q, missing.items, missing.n, ids, sizeof ids);
    for (int i = 0; i < missing.n && v->n_missing < SCORE_MAX_IMPUTED; i++)
        v->missing[v->n_missing++] = missing.items[i];
    if (v->n_answered == v->n_applicable && sc->method != QN_METHOD_ITEM)
        return true; /* its own items are complete: missing answers elsewhere do not matter */
    v->status = SCORE_NOT_SCORED;
    if (m->max_missing >= 0 && missing.n > m->max_missing) {
        set_why(v, SCORE_WHY_TOO_MANY_MISSING, int_text(count, sizeof count, missing.n), ids,
                int_text(most, sizeof most, m->max_missing));
        return false;
    }
    for (int i = 0; m->max_missing_per_domain >= 0 && i < missing.n; i++) {
        int d = q->items[missing.items[i]].domain, in_domain = 0;
        for (int k = 0; k < missing.n; k++)
            in_domain += q->items[missing.items[k]].domain == d;
        if (in_domain > m->max_missing_per_domain) {
            set_why(v, SCORE_WHY_DOMAIN_MISSING, int_text(count, sizeof count, in_domain), ids,
                    int_text(most, sizeof most, m->max_missing_per_domain));
            return false;
        }
    }
    if (m->min_answered > 0 && v->n_applicable > 0 &&
        v->n_answered < m->min_answered * v->n_applicable - 1e-9) {
        char of[16], share[16];
        snprintf(share, sizeof share, "%.0f", m->min_answered * 100);
        set_why(v, SCORE_WHY_TOO_FEW, int_text(count, sizeof count, v->n_answered),
                int_text(of, sizeof of, v->n_applicable), share);
        return false;
    }
    v->status = SCORE_OK;
    v->n_missing = 0;
    return true;
}

/* Step 4: mean of the answered items of `item`'s domain, in the score's value space. */
static bool domain_mean(const qn_session *s, const qn_score *sc, int item, double *mean)
{
    const qn *q = s->q;
    int d = q->items[item].domain, n = 0;
    double sum = 0;
    for (int i = 0; d >= 0 && i < q->n_items; i++) {
        if (q->items[i].domain != d || !q->items[i].scored || !answered(s, i))
            continue;
        if (sc->method == QN_METHOD_RECODE && !q->items[i].recode)
            continue;
        sum += item_value(q, sc, i, s->answers[i].value);
        n++;
    }
    if (n == 0)
        return false;
    *mean = sum / n;
    return true;
}

/* Step 5: the value (and percent) of `sum` over `counted` items, by the score's method. */
static void value_by_method(qn_method method, int divisor, double sum, int counted, double *value,
                            double *percent)
{
    double share = divisor ? sum * 100.0 / divisor : 0;
    if (method == QN_METHOD_SUM)
        *value = sum, *percent = share;
    else if (method == QN_METHOD_RECODE)
        *value = *percent = share;
    else
        *value = *percent = counted ? sum / counted : 0;
}

static void compute(const qn_session *s, const qn_score *sc, score_value *v)
{
    const qn *q = s->q;
    double sum = 0;
    int counted = 0;
    for (int i = 0; i < sc->n_items; i++) {
        int item = sc->items[i];
        if (!session_is_shown(s, item))
            continue;
        if (answered(s, item)) {
            sum += item_value(q, sc, item, s->answers[item].value);
            counted++;
            continue;
        }
        double mean;
        if (sc->missing.impute != QN_IMPUTE_DOMAIN_MEAN) {
            if (sc->method == QN_METHOD_MEAN100)
                continue; /* a mean of the answered items needs no imputation */
            v->status = SCORE_NOT_SCORED;
            set_why(v, SCORE_WHY_NO_IMPUTATION, q->items[item].id, NULL, NULL);
            return;
        }
        if (!domain_mean(s, sc, item, &mean) || v->n_imputed == SCORE_MAX_IMPUTED) {
            v->status = SCORE_NOT_SCORED;
            set_why(v, SCORE_WHY_EMPTY_DOMAIN, q->items[item].id, NULL, NULL);
            return;
        }
        /* Project rule: an imputed value never exceeds the item's own maximum. The manual's
         * domain mean mixes flat (max 4) and collapsed (max 2) items, so without the cap a
         * missing collapsed item could push a domain score over 100. */
        double cap = sc->method == QN_METHOD_MEAN100
                         ? 100.0
                         : qn_item_max(q, item, sc->method == QN_METHOD_SUM);
        if (mean > cap)
            mean = cap;
        v->imputed[v->n_imputed++] = item;
        sum += mean;
        counted++;
    }
    v->sum = sum;
    value_by_method(sc->method, v->divisor, sum, counted, &v->value, &v->percent);
}

/* The value an item contributes when it is counted as "no difficulty": the best option. */
static double best_value(const qn *q, const qn_score *sc, int item)
{
    const qn_scale *scale = &q->scales[q->items[item].scale];
    double best = 0;
    for (int v = scale->min; v <= scale->max; v++) {
        double x = item_value(q, sc, item, v);
        if (v == scale->min || (sc->higher_is_better ? x > best : x < best))
            best = x;
    }
    return best;
}

/* The bound of a score not scored for missing answers: each missing item counted at its best. */
static void compute_bound(const qn_session *s, const qn_score *sc, score_value *v)
{
    const qn *q = s->q;
    double sum = 0;
    int counted = 0;
    for (int i = 0; i < sc->n_items; i++) {
        int item = sc->items[i];
        if (session_is_shown(s, item)) {
            sum += answered(s, item) ? item_value(q, sc, item, s->answers[item].value)
                                     : best_value(q, sc, item);
            counted++;
        }
    }
    v->has_bound = true;
    bool listed = v->n_missing > 0; /* the missing-data rule listed them in its own scope */
    for (int i = 0; !listed && i < sc->n_items && v->n_missing < SCORE_MAX_IMPUTED; i++)
        if (session_is_shown(s, sc->items[i]) && !answered(s, sc->items[i]))
            v->missing[v->n_missing++] = sc->items[i];
    value_by_method(sc->method, v->divisor, sum, counted, &v->bound, &v->bound_percent);
}

static void score_one(const qn_session *s, int index, score_value *v)
{
    const qn_score *sc = &s->q->scores[index];
    memset(v, 0, sizeof *v);
    v->score = index;
    if (!choose_item_set(s, sc, v))
        return;
    for (int i = 0; i < sc->n_items; i++)
        v->n_answered += answered(s, sc->items[i]);
    if (sc->method == QN_METHOD_ITEM && v->n_answered == 0) {
        v->status = SCORE_NOT_SCORED;
        set_why(v, SCORE_WHY_UNANSWERED, s->q->items[sc->items[0]].id, NULL, NULL);
        return;
    }
    if (missing_allowed(s, sc, v))
        compute(s, sc, v);
    if (v->status == SCORE_NOT_SCORED)
        compute_bound(s, sc, v);
}

void score_all(const qn_session *s, score_value *out)
{
    for (int i = 0; i < s->q->n_scores; i++)
        score_one(s, i, &out[i]);
}
