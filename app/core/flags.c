/* flags.c — see flags.h. Rules are evaluated in two passes: first every rule without an
 * "other_flags" term, then those with one, so "work ability <= 3 together with any other flag"
 * sees the flags of the first pass. Each true leaf adds its evidence, as data (evidence.h), to the
 * rule's evidence array; the words are made from it. */
#include "flags.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

typedef struct eval_ctx {
    const qn_session *s;
    const score_value *scores;
    const flag_previous *prev;
    int n_prev;
    const flag_result *first_pass; /* rules fired in the first pass, for other_flags */
    int n_first;
    json_t *evidence;       /* the evidence of the rule being evaluated */
} eval_ctx;

/* The number a threshold compares: the score, or for a score not computed for missing answers
 * its no-difficulty bound (*bound set) — what the answers given already show, so refusing can
 * never lower a level. False when there is neither. */
static bool leaf_number(const qn_expr *e, const score_value *v, double *x, bool *bound)
{
    *bound = v->status == SCORE_NOT_SCORED && v->has_bound;
    if (v->status != SCORE_OK && !*bound)
        return false;
    if (*bound)
        *x = e->on_percent ? v->bound_percent : v->bound;
    else
        *x = e->on_percent ? v->percent : v->value;
    return true;
}

static bool in_range(const qn_expr *e, double x)
{
    return x >= e->lo && x <= e->hi;
}

/* The score's scale top for the words: a sum's divisor, an item's scale maximum, else 100. */
static double score_max(const qn *q, const score_value *v)
{
    const qn_score *sc = &q->scores[v->score];
    if (sc->method == QN_METHOD_SUM)
        return v->divisor;
    if (sc->method == QN_METHOD_ITEM)
        return q->scales[q->items[sc->items[0]].scale].max;
    return 100;
}

/* {"score": id, "value": x, "max": m, "bound": true} — the value as the score reports it. */
static json_t *score_entry(const qn *q, const score_value *v, bool bound)
{
    json_t *o = json_pack("{s:s,s:f,s:f}", "score", q->scores[v->score].id, "value",
                          bound ? v->bound : v->value, "max", score_max(q, v));
    if (bound)
        json_object_set_new(o, "bound", json_true());
    return o;
}

/* The leaf's threshold, in its own unit: "at_least", "at_most" or "below", and "on". */
static void add_threshold(json_t *o, const qn_expr *e)
{
    if (!isinf(e->lo))
        json_object_set_new(o, "at_least", json_real(e->lo));
    if (!isinf(e->hi))
        json_object_set_new(o, e->hi_strict ? "below" : "at_most", json_real(e->hi_shown));
    if (e->on_percent)
        json_object_set_new(o, "on", json_string("percent"));
}

/* Adds one entry (taking the reference); an entry already there is not repeated, as when an
 * answer satisfies two parts of an "any". */
static void add_evidence(eval_ctx *c, json_t *entry)
{
    size_t i;
    json_t *x;
    json_array_foreach(c->evidence, i, x) {
        if (json_equal(x, entry)) {
            json_decref(entry);
            return;
        }
    }
    json_array_append_new(c->evidence, entry);
}

static bool eval(eval_ctx *c, const qn_expr *e);

static bool eval_items(eval_ctx *c, const qn_expr *e)
{
    const qn *q = c->s->q;
    int count = 0;
    json_t *found = json_array();
    for (int i = 0; i < e->n_refs; i++) {
        int item = e->refs[i];
        qn_answer a = session_effective(c->s, item);
        if (a.state != QN_ANS_VALUE || q->scales[q->items[item].scale].kind == QN_SCALE_MULTI)
            continue;
        const qn_scale *sc = &q->scales[q->items[item].scale];
        int keyed = q->items[item].reverse ? sc->min + sc->max - a.value : a.value;
        if (!in_range(e, keyed))
            continue;
        count++;
        json_array_append_new(found, json_pack("{s:s,s:i}", "item", q->items[item].id, "value", a.value));
    }
    bool fired = count >= e->count_min && count <= e->count_max;
    size_t i;
    json_t *x;
    json_array_foreach(found, i, x) {
        if (fired)
            add_evidence(c, json_incref(x));
    }
    json_decref(found);
    return fired;
}

static bool eval_score(eval_ctx *c, const qn_expr *e)
{
    const score_value *v = &c->scores[e->refs[0]];
    double x;
    bool bound;
    if (!leaf_number(e, v, &x, &bound) || !in_range(e, x))
        return false;
    json_t *o = score_entry(c->s->q, v, bound);
    add_threshold(o, e);
    add_evidence(c, o);
    return true;
}

static bool eval_count_scores(eval_ctx *c, const qn_expr *e)
{
    int count = 0;
    json_t *list = json_array();
    for (int i = 0; i < e->n_refs; i++) {
        const score_value *v = &c->scores[e->refs[i]];
        double x;
        bool bound;
        if (!leaf_number(e, v, &x, &bound) || !in_range(e, x))
            continue;
        count++;
        json_array_append_new(list, score_entry(c->s->q, v, bound));
    }
    bool fired = count >= e->count_min && count <= e->count_max;
    if (fired) {
        json_t *o = json_pack("{s:o}", "scores", list);
        add_threshold(o, e);
        add_evidence(c, o);
    } else {
        json_decref(list);
    }
    return fired;
}

/* The previous value a change leaf compares with, or false when there is none (or the score has
 * neither a value nor a bound now). */
static const flag_previous *change_values(const qn *q, const qn_expr *e, const score_value *scores,
                                          const flag_previous *prev, int n_prev, double *before,
                                          double *now, bool *bound)
{
    const qn_score *sc = &q->scores[e->refs[0]];
    if (!leaf_number(e, &scores[e->refs[0]], now, bound))
        return NULL;
    for (int i = 0; i < n_prev; i++)
        if (!strcmp(prev[i].score_id, sc->id)) {
            *before = e->on_percent ? prev[i].percent : prev[i].value;
            return &prev[i];
        }
    return NULL;
}

static const flag_previous *change_fires(const qn *q, const qn_expr *e, const score_value *scores,
                                         const flag_previous *prev, int n_prev, double *before,
                                         double *now, bool *bound)
{
    const flag_previous *p = change_values(q, e, scores, prev, n_prev, before, now, bound);
    if (!p)
        return NULL;
    double worse = q->scores[e->refs[0]].higher_is_better ? *before - *now : *now - *before;
    return worse + 1e-9 >= e->lo ? p : NULL;
}

static bool eval_change(eval_ctx *c, const qn_expr *e)
{
    const qn *q = c->s->q;
    double before, now;
    bool bound;
    const flag_previous *p = change_fires(q, e, c->scores, c->prev, c->n_prev, &before, &now, &bound);
    if (!p)
        return false;
    const score_value *v = &c->scores[e->refs[0]];
    json_t *o = json_pack("{s:s,s:f,s:f,s:f,s:f}", "change", q->scores[e->refs[0]].id, "previous",
                          before, "now", now, "max", score_max(q, v), "worse_by_at_least", e->lo);
    if (e->on_percent)
        json_object_set_new(o, "on", json_string("percent"));
    if (p->date && p->date[0])
        json_object_set_new(o, "previous_date", json_string(p->date));
    if (bound)
        json_object_set_new(o, "bound", json_true());
    add_evidence(c, o);
    return true;
}

static bool any_change_fires(const qn *q, const qn_expr *e, const score_value *scores,
                             const flag_previous *prev, int n_prev)
{
    double before, now;
    bool bound;
    if (e->kind == QN_EXPR_CHANGE)
        return change_fires(q, e, scores, prev, n_prev, &before, &now, &bound) != NULL;
    for (int i = 0; i < e->n_kids; i++)
        if (any_change_fires(q, &e->kids[i], scores, prev, n_prev))
            return true;
    return false;
}

bool flags_change_fires(const qn *q, const score_value *scores, const flag_previous *prev, int n_prev)
{
    for (int r = 0; r < q->n_rules; r++)
        if (any_change_fires(q, &q->rules[r].when, scores, prev, n_prev))
            return true;
    return false;
}

/* {"not_computed": id, "missing": [ids], and the missing-data rule that refused it}. */
static bool eval_not_computed(eval_ctx *c, const qn_expr *e)
{
    const qn *q = c->s->q;
    bool fired = false;
    for (int i = 0; i < e->n_refs; i++) {
        const score_value *v = &c->scores[e->refs[i]];
        if (v->status != SCORE_NOT_SCORED)
            continue;
        fired = true;
        const qn_missing *m = &q->scores[e->refs[i]].missing;
        json_t *missing = json_array();
        for (int k = 0; k < v->n_missing; k++)
            json_array_append_new(missing, json_string(q->items[v->missing[k]].id));
        json_t *o = json_pack("{s:s,s:o}", "not_computed", q->scores[e->refs[i]].id, "missing", missing);
        if (m->max_missing >= 0)
            json_object_set_new(o, "max_missing", json_integer(m->max_missing));
        if (m->max_missing_per_domain >= 0)
            json_object_set_new(o, "max_missing_per_domain", json_integer(m->max_missing_per_domain));
        if (m->min_answered > 0)
            json_object_set_new(o, "min_answered", json_real(m->min_answered));
        add_evidence(c, o);
    }
    return fired;
}

static bool eval_other_flags(eval_ctx *c, const qn_expr *e)
{
    for (int i = 0; c->first_pass && i < c->n_first; i++) {
        bool excepted = false;
        for (int k = 0; k < e->n_refs; k++)
            excepted |= e->refs[k] == c->first_pass->fired[i].rule;
        if (!excepted) {
            add_evidence(c, json_pack("{s:b}", "other_flags", 1));
            return true;
        }
    }
    return false;
}

static bool eval(eval_ctx *c, const qn_expr *e)
{
    switch (e->kind) {
    case QN_EXPR_ITEMS:
        return eval_items(c, e);
    case QN_EXPR_SCORE:
        return eval_score(c, e);
    case QN_EXPR_COUNT_SCORES:
        return eval_count_scores(c, e);
    case QN_EXPR_CHANGE:
        return eval_change(c, e);
    case QN_EXPR_NOT_COMPUTED:
        return eval_not_computed(c, e);
    case QN_EXPR_OTHER_FLAGS:
        return eval_other_flags(c, e);
    case QN_EXPR_ALL:
        for (int i = 0; i < e->n_kids; i++)
            if (!eval(c, &e->kids[i]))
                return false;
        return true;
    case QN_EXPR_ANY: {
        bool any = false;
        for (int i = 0; i < e->n_kids; i++)
            any |= eval(c, &e->kids[i]);
        return any;
    }
    case QN_EXPR_NOT: {
        size_t saved = json_array_size(c->evidence);
        bool inner = eval(c, &e->kids[0]);
        while (json_array_size(c->evidence) > saved) /* a false leaf is no evidence */
            json_array_remove(c->evidence, saved);
        return !inner;
    }
    }
    return false;
}

static int run_pass(eval_ctx *c, bool second, flag_result *out, its_err *err)
{
    const qn *q = c->s->q;
    for (int r = 0; r < q->n_rules; r++) {
        if (q->rules[r].uses_other_flags != second)
            continue;
        c->evidence = json_array();
        if (!c->evidence)
            return its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
        if (!eval(c, &q->rules[r].when)) {
            json_decref(c->evidence);
            continue;
        }
        flag_fired *f = &out->fired[out->n_fired++];
        f->rule = r;
        f->level = q->rules[r].level;
        f->evidence = c->evidence;
        if (f->level > out->level)
            out->level = f->level;
    }
    c->evidence = NULL;
    return 0;
}

int flags_evaluate(const qn_session *s, const score_value *scores, const flag_previous *prev,
                   int n_prev, flag_result *out, its_err *err)
{
    memset(out, 0, sizeof *out);
    out->fired = calloc((size_t)s->q->n_rules + 1, sizeof *out->fired);
    if (!out->fired)
        return its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
    eval_ctx c = {.s = s, .scores = scores, .prev = prev, .n_prev = n_prev};
    int rc = run_pass(&c, false, out, err);
    c.first_pass = out;
    c.n_first = out->n_fired;
    if (rc == 0)
        rc = run_pass(&c, true, out, err);
    if (rc != 0)
        flags_free(out);
    return rc;
}

bool flags_condition_holds(const qn_session *s, const score_value *scores, const qn_expr *e)
{
    eval_ctx c = {.s = s, .scores = scores, .evidence = json_array()};
    bool holds = c.evidence && eval(&c, e);
    json_decref(c.evidence);
    return holds;
}

bool flags_crisis_help(const qn_session *s, const score_value *scores)
{
    return s->q->has_crisis && flags_condition_holds(s, scores, &s->q->crisis_when);
}

void flags_free(flag_result *r)
{
    for (int i = 0; r->fired && i < r->n_fired; i++)
        json_decref(r->fired[i].evidence);
    free(r->fired);
    memset(r, 0, sizeof *r);
}

const char *flags_level_name(qn_level level)
{
    return level == QN_LEVEL_RED ? "red" : level == QN_LEVEL_YELLOW ? "yellow" : "none";
}
