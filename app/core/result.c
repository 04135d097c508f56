/* result.c — see result.h. */
#include "result.h"

#include "evidence.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *method_name(qn_method m)
{
    static const char *const names[] = {"sum", "recode", "mean100", "item"};
    return names[m];
}

static const char *status_name(score_status s)
{
    static const char *const names[] = {"ok", "not_scored", "not_applicable"};
    return names[s];
}

static json_t *item_ids(const qn *q, const int *items, int n)
{
    json_t *ids = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(ids, json_string(q->items[items[i]].id));
    return ids;
}

/* {"code": "too_many_missing", "args": ["3", "S1, S3, S5", "2"]}: the reason as data. */
static json_t *why_json(const score_value *v)
{
    int n = SCORE_WHY_ARGS;
    while (n > 0 && !v->why_args[n - 1][0])
        n--;
    json_t *args = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(args, json_string(v->why_args[i]));
    return json_pack("{s:s,s:o}", "code", score_why_code(v->why), "args", args);
}

static json_t *score_json(const qn *q, const score_value *v, int lang)
{
    const qn_score *sc = &q->scores[v->score];
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(status_name(v->status)));
    json_object_set_new(o, "label", json_string(qn_text_get(&sc->label, lang)));
    json_object_set_new(o, "method", json_string(method_name(sc->method)));
    json_object_set_new(o, "higher_is_better", json_boolean(sc->higher_is_better));
    if (v->status != SCORE_OK) {
        json_object_set_new(o, "reason", json_string(v->reason));
        if (score_why_code(v->why))
            json_object_set_new(o, "why", why_json(v));
        if (v->n_missing)
            json_object_set_new(o, "missing", item_ids(q, v->missing, v->n_missing));
        if (v->has_bound) {
            json_object_set_new(o, "bound", json_real(v->bound));
            if (sc->method == QN_METHOD_SUM) {
                json_object_set_new(o, "bound_percent", json_real(v->bound_percent));
                json_object_set_new(o, "divisor", json_integer(v->divisor));
            }
        }
        return o;
    }
    json_object_set_new(o, "value", json_real(v->value));
    const qn_band *band = qn_score_band(q, v->score, sc->method == QN_METHOD_SUM ? v->percent : v->value);
    if (band)
        json_object_set_new(o, "band", json_pack("{s:s,s:s}", "level", flags_level_name(band->level),
                                                 "label", qn_text_get(&band->label, lang)));
    if (sc->method == QN_METHOD_SUM)
        json_object_set_new(o, "percent", json_real(v->percent));
    if (sc->method == QN_METHOD_SUM || sc->method == QN_METHOD_RECODE) {
        json_object_set_new(o, "sum", json_real(v->sum));
        json_object_set_new(o, "divisor", json_integer(v->divisor));
    }
    json_object_set_new(o, "item_set", json_string(v->item_set ? v->item_set : ""));
    json_object_set_new(o, "answered", json_integer(v->n_answered));
    json_object_set_new(o, "applicable", json_integer(v->n_applicable));
    json_object_set_new(o, "imputed", item_ids(q, v->imputed, v->n_imputed));
    return o;
}

static json_t *flags_json(const qn *q, const flag_result *f, int lang)
{
    json_t *arr = json_array();
    for (int i = 0; i < f->n_fired; i++) {
        const qn_rule *r = &q->rules[f->fired[i].rule];
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(r->id));
        json_object_set_new(o, "level", json_string(flags_level_name(f->fired[i].level)));
        json_object_set_new(o, "reason", json_string(qn_text_get(&r->reason, lang)));
        json_object_set(o, "evidence", f->fired[i].evidence);
        json_array_append_new(arr, o);
    }
    return arr;
}

static void set_optional(json_t *o, const char *key, const char *value)
{
    if (value)
        json_object_set_new(o, key, json_string(value));
}

void *result_build(const qn_session *s, const result_meta *meta, const flag_previous *prev,
                   int n_prev, int lang, its_err *err)
{
    const qn *q = s->q;
    score_value *scores = calloc((size_t)q->n_scores + 1, sizeof *scores);
    if (!scores) {
        its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
        return NULL;
    }
    score_all(s, scores);
    flag_result flags;
    if (flags_evaluate(s, scores, prev, n_prev, &flags, err) < 0) {
        free(scores);
        return NULL;
    }
    json_t *root = json_object();
    json_object_set_new(root, "format", json_integer(2));
    json_t *qo = json_object();
    json_object_set_new(qo, "id", json_string(q->id));
    json_object_set_new(qo, "version", json_string(q->version));
    set_optional(qo, "rules_version", q->rules_version);
    json_object_set_new(qo, "title", json_string(qn_text_get(&q->title, lang)));
    json_object_set_new(root, "questionnaire", qo);
    json_object_set_new(root, "lang", json_string(q->langs[lang >= 0 && lang < q->n_langs ? lang : 0]));
    if (meta) {
        set_optional(root, "client", meta->client);
        set_optional(root, "started", meta->started);
        set_optional(root, "completed", meta->completed);
        set_optional(root, "device", meta->device);
        if (meta->research)
            json_object_set_new(root, "consent", json_pack("{s:s}", "research", meta->research));
        if (meta->assisted_by)
            json_object_set_new(root, "assisted", json_pack("{s:s}", "worker_key", meta->assisted_by));
    }
    json_object_set_new(root, "answers", session_to_json(s));
    json_t *so = json_object();
    for (int i = 0; i < q->n_scores; i++)
        json_object_set_new(so, q->scores[i].id, score_json(q, &scores[i], lang));
    json_object_set_new(root, "scores", so);
    json_object_set_new(root, "flags", flags_json(q, &flags, lang));
    json_object_set_new(root, "level", json_string(flags_level_name(flags.level)));
    flags_free(&flags);
    free(scores);
    return root;
}

int result_previous_scores(const void *payload, flag_previous *prev, int max)
{
    json_t *scores = json_object_get((const json_t *)payload, "scores");
    const char *id;
    json_t *v;
    int n = 0;
    json_object_foreach(scores, id, v) {
        json_t *value = json_object_get(v, "value");
        if (n == max || !json_is_number(value))
            continue;
        json_t *percent = json_object_get(v, "percent");
        prev[n].score_id = id;
        prev[n].value = json_number_value(value);
        prev[n].percent = json_is_number(percent) ? json_number_value(percent) : prev[n].value;
        prev[n].date = json_string_value(json_object_get(payload, "completed"));
        n++;
    }
    return n;
}

static double round4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

void result_add_summary(void *result, const qn *q)
{
    json_t *out = result;
    json_t *scores = json_object_get(out, "scores");
    json_t *domains = json_object();
    int headline = -1, simple = -1;
    for (int i = 0; i < q->n_scores; i++) {
        const qn_score *sc = &q->scores[i];
        json_t *v = json_object_get(scores, sc->id);
        json_t *value = json_object_get(v, "value");
        if (sc->method == QN_METHOD_RECODE && sc->domain < 0 && headline < 0)
            headline = i;
        if (sc->method == QN_METHOD_SUM && sc->domain < 0 && simple < 0)
            simple = i;
        if (sc->method == QN_METHOD_RECODE && sc->domain >= 0 && value)
            json_object_set_new(domains, q->domains[sc->domain].id,
                                json_real(round4(json_number_value(value))));
    }
    json_t *head = headline >= 0 ? json_object_get(scores, q->scores[headline].id) : NULL;
    json_t *sim = simple >= 0 ? json_object_get(scores, q->scores[simple].id) : NULL;
    json_t *decider = head ? head : sim;
    const char *status = json_string_value(json_object_get(decider, "status"));
    json_object_set_new(out, "status",
                        json_string(status && !strcmp(status, "ok") ? "scored" : "not_scored"));
    if (status && strcmp(status, "ok"))
        json_object_set(out, "reason", json_object_get(decider, "reason"));
    if (json_object_get(head, "value")) {
        json_object_set_new(out, "overall_irt",
                            json_real(round4(json_number_value(json_object_get(head, "value")))));
        json_object_set_new(out, "domains_irt", domains);
    } else {
        json_decref(domains);
    }
    if (json_object_get(sim, "value")) {
        json_object_set_new(out, "simple_sum",
                            json_real(round4(json_number_value(json_object_get(sim, "value")))));
        json_object_set_new(out, "simple_percent",
                            json_real(round4(json_number_value(json_object_get(sim, "percent")))));
    }
}

void result_add_details(void *result, const qn *q, const words_catalogue *w)
{
    int lang = qn_lang_index(q, json_string_value(json_object_get(result, "lang")));
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(result, "flags"), i, f) {
        json_t *evidence = json_object_get(f, "evidence");
        char words[1024];
        if (evidence && evidence_words(w, q, evidence, lang < 0 ? 0 : lang, words, sizeof words) > 0)
            json_object_set_new(f, "detail", json_string(words));
    }
}

size_t result_why_words(const words_catalogue *w, const char *lang, const void *score, char *dst, size_t n)
{
    json_t *why = json_object_get(score, "why"), *args = json_object_get(why, "args");
    score_why code = score_why_from_code(json_string_value(json_object_get(why, "code")));
    char key[64];
    if (n == 0)
        return 0;
    snprintf(key, sizeof key, "wk_why_%s", code ? score_why_code(code) : "");
    if (!code || !words_has(w, "fi", key)) { /* from before reason codes, or from a newer program */
        const char *stored = json_string_value(json_object_get(score, "reason"));
        its_strlcpy(dst, stored ? stored : "", n);
        return strlen(dst);
    }
    const char *a[SCORE_WHY_ARGS] = {"", "", ""};
    for (size_t i = 0; i < SCORE_WHY_ARGS && i < json_array_size(args); i++) {
        const char *arg = json_string_value(json_array_get(args, i));
        a[i] = arg ? arg : "";
    }
    return words_format(w, lang, dst, n, key, a[0], a[1], a[2], (const char *)NULL);
}
