/* qn.c — the questionnaire model: lookups, freeing, problem reports. Loading is in qn_load.c. */
#include "qn.h"

#include <stdlib.h>
#include <string.h>

static void text_free(qn_text *t)
{
    for (int i = 0; i < QN_MAX_LANGS; i++)
        free(t->s[i]);
}

static void expr_free(qn_expr *e)
{
    for (int i = 0; i < e->n_kids; i++)
        expr_free(&e->kids[i]);
    free(e->kids);
    free(e->refs);
}

void qn_free_rules(qn *q)
{
    for (int i = 0; i < q->n_rules; i++) {
        free(q->rules[i].id);
        text_free(&q->rules[i].reason);
        expr_free(&q->rules[i].when);
    }
    free(q->rules);
    free(q->rules_version);
    q->rules = NULL;
    q->n_rules = 0;
    q->rules_version = NULL;
}

static void scale_free(qn_scale *sc)
{
    free(sc->id);
    for (int i = 0; i < sc->n_options; i++)
        text_free(&sc->options[i].label);
    free(sc->options);
    text_free(&sc->unit);
    text_free(&sc->min_label);
    text_free(&sc->max_label);
    text_free(&sc->na_label);
}

static void item_free(qn_item *it)
{
    free(it->id);
    free(it->icf);
    free(it->recode);
    text_free(&it->text);
    text_free(&it->short_text);
    text_free(&it->help);
}

static void score_free(qn_score *sc)
{
    for (int i = 0; i < sc->n_bands; i++)
        text_free(&sc->bands[i].label);
    free(sc->id);
    free(sc->items);
    free(sc->item_set);
    text_free(&sc->label);
    for (int i = 0; i < sc->n_paths; i++) {
        free(sc->paths[i].name);
        free(sc->paths[i].na_items);
    }
    free(sc->paths);
}

void qn_free(qn *q)
{
    if (!q)
        return;
    for (int i = 0; i < q->n_scales; i++)
        scale_free(&q->scales[i]);
    for (int i = 0; i < q->n_domains; i++) {
        free(q->domains[i].id);
        text_free(&q->domains[i].name);
    }
    for (int i = 0; i < q->n_items; i++)
        item_free(&q->items[i]);
    for (int i = 0; i < q->n_scores; i++)
        score_free(&q->scores[i]);
    qn_free_rules(q);
    for (int i = 0; i < q->n_checks; i++) {
        free(q->checks[i].id);
        free(q->checks[i].items);
        free(q->checks[i].than);
        text_free(&q->checks[i].text);
        text_free(&q->checks[i].short_text);
    }
    free(q->checks);
    expr_free(&q->crisis_when);
    text_free(&q->crisis_text);
    free(q->scales);
    free(q->domains);
    free(q->items);
    free(q->scores);
    for (int i = 0; i < q->n_langs; i++)
        free(q->langs[i]);
    text_free(&q->title);
    text_free(&q->client_title);
    text_free(&q->intro);
    text_free(&q->recall);
    text_free(&q->licence);
    free(q->path);
    free(q->id);
    free(q->version);
    free(q);
}

void qn_report_free(qn_report *r)
{
    if (!r)
        return;
    free(r->problems);
    memset(r, 0, sizeof *r);
}

void qn_report_print(const qn_report *r, const char *path, FILE *to)
{
    for (int i = 0; i < r->n; i++)
        fprintf(to, "%s:%d:%d: %s\n", path, r->problems[i].line, r->problems[i].column,
                r->problems[i].msg);
    if (r->more > 0)
        fprintf(to, "%s: \u2026and %d more problem%s\n", path, r->more, r->more == 1 ? "" : "s");
}

int qn_lang_index(const qn *q, const char *lang)
{
    for (int i = 0; i < q->n_langs; i++)
        if (!strcmp(q->langs[i], lang))
            return i;
    return -1;
}

int qn_item_index(const qn *q, const char *id)
{
    for (int i = 0; i < q->n_items; i++)
        if (q->items[i].id && !strcmp(q->items[i].id, id))
            return i;
    return -1;
}

int qn_score_index(const qn *q, const char *id)
{
    for (int i = 0; i < q->n_scores; i++)
        if (q->scores[i].id && !strcmp(q->scores[i].id, id))
            return i;
    return -1;
}

int qn_domain_index(const qn *q, const char *id)
{
    for (int i = 0; i < q->n_domains; i++)
        if (q->domains[i].id && !strcmp(q->domains[i].id, id))
            return i;
    return -1;
}

const char *qn_text_get(const qn_text *t, int lang)
{
    if (lang >= 0 && lang < QN_MAX_LANGS && t->s[lang])
        return t->s[lang];
    return t->s[0] ? t->s[0] : "";
}

const qn_text *qn_client_title(const qn *q)
{
    return q->client_title.s[0] ? &q->client_title : &q->title;
}

const char *qn_option_label(const qn *q, int item, int value, int lang)
{
    const qn_scale *sc = &q->scales[q->items[item].scale];
    for (int i = 0; i < sc->n_options; i++)
        if (sc->options[i].value == value)
            return qn_text_get(&sc->options[i].label, lang);
    return NULL;
}

int qn_item_max(const qn *q, int item, bool raw)
{
    const qn_item *it = &q->items[item];
    if (raw || !it->recode)
        return q->scales[it->scale].max;
    int max = 0;
    for (int i = 0; i < it->n_recode; i++)
        if (it->recode[i] > max)
            max = it->recode[i];
    return max;
}

bool qn_expr_uses(const qn_expr *e, qn_expr_kind kind)
{
    if (e->kind == kind)
        return true;
    for (int i = 0; i < e->n_kids; i++)
        if (qn_expr_uses(&e->kids[i], kind))
            return true;
    return false;
}

bool qn_rules_use(const qn *q, qn_expr_kind kind)
{
    for (int i = 0; q && i < q->n_rules; i++)
        if (qn_expr_uses(&q->rules[i].when, kind))
            return true;
    return false;
}

int qn_scale_pick(const qn_scale *sc, int number, bool by_value)
{
    if (sc->kind == QN_SCALE_NUMBER)
        return -1;
    if (!by_value)
        return number >= 1 && number <= sc->n_options ? number - 1 : -1;
    for (int k = 0; k < sc->n_options; k++)
        if (sc->options[k].value == number)
            return k;
    return -1;
}

const qn_band *qn_score_band(const qn *q, int score, double value)
{
    const qn_score *sc = &q->scores[score];
    for (int i = 0; i < sc->n_bands; i++)
        if (value >= sc->bands[i].lo && value <= sc->bands[i].hi)
            return &sc->bands[i];
    return NULL;
}
