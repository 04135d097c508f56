/* flags.c — see flags.h. Rules are evaluated in two passes: first every rule without an
 * "other_flags" term, then those with one, so "work ability <= 3 together with any other flag"
 * sees the flags of the first pass. Each true leaf adds its evidence to the rule's detail. */
#include "flags.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Evidence phrases per language; languages not listed use English. */
typedef struct phrases {
    const char *lang;
    const char *answer;      /* "'Kävely': vastaus 'En pysty ollenkaan'" */
    const char *threshold;   /* "raja" */
    const char *previous;    /* "edellinen" */
    const char *not_computed;
    const char *others;
    const char *at_least;    /* before a no-difficulty bound: "vähintään" */
    char decimal;
} phrases;

static const phrases all_phrases[] = {
    {"fi", "vastaus", "raja", "edellinen", "ei laskettu", "ja muita merkintöjä", "vähintään", ','},
    {"sv", "svar", "gräns", "föregående", "inte beräknad", "och andra flaggor", "minst", ','},
    {"en", "answer", "threshold", "previous", "not computed", "together with other flags", "at least",
     '.'},
};

typedef struct eval_ctx {
    const qn_session *s;
    const score_value *scores;
    const flag_previous *prev;
    int n_prev;
    int lang;
    const phrases *ph;
    const flag_result *first_pass; /* rules fired in the first pass, for other_flags */
    int n_first;
    char *detail;           /* the evidence of the rule being evaluated */
} eval_ctx;

static void add_detail(eval_ctx *c, const char *fmt, ...) ITS_PRINTF(2, 3);

static void add_detail(eval_ctx *c, const char *fmt, ...)
{
    size_t used = strlen(c->detail);
    if (used)
        its_appendf(c->detail, FLAG_DETAIL_LEN, "; ");
    used = strlen(c->detail);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail + used, FLAG_DETAIL_LEN - used, fmt, ap);
    va_end(ap);
}

static void number(const eval_ctx *c, char *out, size_t n, double v)
{
    its_format_number(out, n, v, 1);
    char *dot = strchr(out, '.');
    if (dot)
        *dot = c->ph->decimal;
}

static void range_text(const eval_ctx *c, const qn_expr *e, char *out, size_t n)
{
    char lo[32], hi[32];
    number(c, lo, sizeof lo, e->lo);
    number(c, hi, sizeof hi, e->hi_shown);
    if (isinf(e->hi))
        snprintf(out, n, "≥ %s", lo);
    else if (isinf(e->lo))
        snprintf(out, n, "%s %s", e->hi_strict ? "<" : "≤", hi);
    else
        snprintf(out, n, "≥ %s, %s %s", lo, e->hi_strict ? "<" : "≤", hi);
}

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

static bool eval(eval_ctx *c, const qn_expr *e);

static bool eval_items(eval_ctx *c, const qn_expr *e)
{
    const qn *q = c->s->q;
    int count = 0;
    char evidence[FLAG_DETAIL_LEN] = "";
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
        const char *label = qn_option_label(q, item, a.value, c->lang);
        char value[16];
        snprintf(value, sizeof value, "%d", a.value);
        its_appendf(evidence, sizeof evidence, "%s'%s': %s '%s'", evidence[0] ? "; " : "",
                    qn_text_get(&q->items[item].short_text, c->lang), c->ph->answer, label ? label : value);
    }
    bool fired = count >= e->count_min && count <= e->count_max;
    if (fired)
        add_detail(c, "%s", evidence);
    return fired;
}

static bool eval_score(eval_ctx *c, const qn_expr *e)
{
    const score_value *v = &c->scores[e->refs[0]];
    double x;
    bool bound;
    if (!leaf_number(e, v, &x, &bound) || !in_range(e, x))
        return false;
    char val[32], range[80];
    number(c, val, sizeof val, x);
    range_text(c, e, range, sizeof range);
    add_detail(c, "%s %s%s%s (%s %s)", qn_text_get(&c->s->q->scores[e->refs[0]].label, c->lang),
               bound ? c->ph->at_least : "", bound ? " " : "", val, c->ph->threshold, range);
    return true;
}

static bool eval_count_scores(eval_ctx *c, const qn_expr *e)
{
    int count = 0;
    char evidence[FLAG_DETAIL_LEN] = "";
    for (int i = 0; i < e->n_refs; i++) {
        const score_value *v = &c->scores[e->refs[i]];
        double x;
        bool bound;
        if (!leaf_number(e, v, &x, &bound) || !in_range(e, x))
            continue;
        count++;
        char val[32];
        number(c, val, sizeof val, x);
        its_appendf(evidence, sizeof evidence, "%s%s %s%s%s", evidence[0] ? ", " : "",
                    qn_text_get(&c->s->q->scores[e->refs[i]].label, c->lang), bound ? c->ph->at_least : "",
                    bound ? " " : "", val);
    }
    bool fired = count >= e->count_min && count <= e->count_max;
    if (fired) {
        char range[80];
        range_text(c, e, range, sizeof range);
        add_detail(c, "%s (%s %s)", evidence[0] ? evidence : "-", c->ph->threshold, range);
    }
    return fired;
}

/* The previous value a change leaf compares with, or false when there is none (or the score was
 * not computed now). */
static bool change_values(const qn *q, const qn_expr *e, const score_value *scores,
                          const flag_previous *prev, int n_prev, double *before, double *now)
{
    const qn_score *sc = &q->scores[e->refs[0]];
    bool bound;
    if (!leaf_number(e, &scores[e->refs[0]], now, &bound))
        return false;
    for (int i = 0; i < n_prev; i++)
        if (!strcmp(prev[i].score_id, sc->id)) {
            *before = e->on_percent ? prev[i].percent : prev[i].value;
            return true;
        }
    return false;
}

static bool change_fires(const qn *q, const qn_expr *e, const score_value *scores,
                         const flag_previous *prev, int n_prev, double *before, double *now)
{
    if (!change_values(q, e, scores, prev, n_prev, before, now))
        return false;
    double worse = q->scores[e->refs[0]].higher_is_better ? *before - *now : *now - *before;
    return worse + 1e-9 >= e->lo;
}

static bool eval_change(eval_ctx *c, const qn_expr *e)
{
    const qn_score *sc = &c->s->q->scores[e->refs[0]];
    double before, now;
    if (!change_fires(c->s->q, e, c->scores, c->prev, c->n_prev, &before, &now))
        return false;
    char b[32], n[32], d[32];
    number(c, b, sizeof b, before);
    number(c, n, sizeof n, now);
    number(c, d, sizeof d, e->lo);
    add_detail(c, "%s: %s %s → %s (%s %s)", qn_text_get(&sc->label, c->lang), c->ph->previous, b, n,
               c->ph->threshold, d);
    return true;
}

static bool any_change_fires(const qn *q, const qn_expr *e, const score_value *scores,
                             const flag_previous *prev, int n_prev)
{
    double before, now;
    if (e->kind == QN_EXPR_CHANGE)
        return change_fires(q, e, scores, prev, n_prev, &before, &now);
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

static bool eval_not_computed(eval_ctx *c, const qn_expr *e)
{
    bool fired = false;
    for (int i = 0; i < e->n_refs; i++)
        if (c->scores[e->refs[i]].status == SCORE_NOT_SCORED) {
            fired = true;
            add_detail(c, "%s: %s", qn_text_get(&c->s->q->scores[e->refs[i]].label, c->lang),
                       c->ph->not_computed);
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
            add_detail(c, "%s", c->ph->others);
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
        char saved[FLAG_DETAIL_LEN];
        its_strlcpy(saved, c->detail, sizeof saved);
        bool inner = eval(c, &e->kids[0]);
        its_strlcpy(c->detail, saved, FLAG_DETAIL_LEN); /* a false leaf is no evidence */
        return !inner;
    }
    }
    return false;
}

static const phrases *phrases_for(const qn *q, int lang)
{
    const char *code = (lang >= 0 && lang < q->n_langs) ? q->langs[lang] : "en";
    for (size_t i = 0; i < sizeof all_phrases / sizeof all_phrases[0]; i++)
        if (!strcmp(all_phrases[i].lang, code))
            return &all_phrases[i];
    return &all_phrases[2];
}

static int run_pass(eval_ctx *c, bool second, flag_result *out, its_err *err)
{
    const qn *q = c->s->q;
    for (int r = 0; r < q->n_rules; r++) {
        if (q->rules[r].uses_other_flags != second)
            continue;
        char detail[FLAG_DETAIL_LEN] = "";
        c->detail = detail;
        if (!eval(c, &q->rules[r].when))
            continue;
        flag_fired *f = &out->fired[out->n_fired++];
        f->rule = r;
        f->level = q->rules[r].level;
        its_strlcpy(f->detail, detail, sizeof f->detail);
        if (f->level > out->level)
            out->level = f->level;
    }
    (void)err;
    return 0;
}

int flags_evaluate(const qn_session *s, const score_value *scores, const flag_previous *prev,
                   int n_prev, int lang, flag_result *out, its_err *err)
{
    memset(out, 0, sizeof *out);
    out->fired = calloc((size_t)s->q->n_rules + 1, sizeof *out->fired);
    if (!out->fired)
        return its_fail(err, "out of memory");
    eval_ctx c = {.s = s, .scores = scores, .prev = prev, .n_prev = n_prev, .lang = lang,
                  .ph = phrases_for(s->q, lang)};
    run_pass(&c, false, out, err);
    c.first_pass = out;
    c.n_first = out->n_fired;
    run_pass(&c, true, out, err);
    return 0;
}

void flags_free(flag_result *r)
{
    free(r->fired);
    memset(r, 0, sizeof *r);
}

const char *flags_level_name(qn_level level)
{
    return level == QN_LEVEL_RED ? "red" : level == QN_LEVEL_YELLOW ? "yellow" : "none";
}
