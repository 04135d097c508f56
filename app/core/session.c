/* session.c — see session.h. */
#include "session.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int session_init(qn_session *s, const qn *q, its_err *err)
{
    memset(s, 0, sizeof *s);
    s->answers = calloc((size_t)q->n_items, sizeof *s->answers);
    if (!s->answers)
        return its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
    s->q = q;
    return 0;
}

static bool value_valid(const qn_scale *sc, int value)
{
    if (sc->kind == QN_SCALE_NUMBER)
        return value >= sc->min && value <= sc->max;
    if (sc->kind == QN_SCALE_MULTI)
        return value >= 0 && (unsigned)value < (1u << sc->n_options);
    for (int i = 0; i < sc->n_options; i++)
        if (sc->options[i].value == value)
            return true;
    return false;
}

int session_set(qn_session *s, int item, qn_answer a, its_err *err)
{
    if (item < 0 || item >= s->q->n_items)
        return its_fail(err, "no such question");
    const qn_item *it = &s->q->items[item];
    const qn_scale *sc = &s->q->scales[it->scale];
    if (a.state == QN_ANS_VALUE && !value_valid(sc, a.value))
        return its_fail(err, "%s: %d is not an answer on scale \"%s\"", it->id, a.value, sc->id);
    if (a.state == QN_ANS_REFUSED && !sc->allow_refuse)
        return its_fail(err, "%s: this question cannot be skipped", it->id);
    if (a.state != QN_ANS_VALUE)
        a.value = 0;
    s->answers[item] = a;
    return 0;
}

bool session_is_shown(const qn_session *s, int item)
{
    const qn_cond *c = &s->q->items[item].show_if;
    if (c->item < 0)
        return true;
    if (!session_is_shown(s, c->item))
        return false;
    qn_answer gate = s->answers[c->item];
    if (gate.state != QN_ANS_VALUE)
        return false;
    for (int i = 0; i < c->n_values; i++)
        if (c->values[i] == gate.value)
            return true;
    return false;
}

qn_answer session_effective(const qn_session *s, int item)
{
    if (!session_is_shown(s, item))
        return (qn_answer){QN_ANS_NA, 0};
    return s->answers[item];
}

int session_next(const qn_session *s, int from)
{
    for (int i = from + 1; i < s->q->n_items; i++)
        if (session_is_shown(s, i))
            return i;
    return s->q->n_items;
}

int session_prev(const qn_session *s, int from)
{
    for (int i = from - 1; i >= 0; i--)
        if (session_is_shown(s, i))
            return i;
    return -1;
}

void session_progress(const qn_session *s, int item, int *number, int *total)
{
    *number = 0;
    *total = 0;
    for (int i = 0; i < s->q->n_items; i++) {
        if (!session_is_shown(s, i))
            continue;
        (*total)++;
        if (i <= item)
            (*number)++;
    }
}

void session_wipe(qn_session *s)
{
    if (s->answers && s->q)
        its_wipe(s->answers, (size_t)s->q->n_items * sizeof *s->answers);
    free(s->answers);
    s->answers = NULL;
    s->pos = 0;
}

/* The work rule (docs/answers-format.md), one for every input. A "gate" is an unscored
 * single-choice item that some scored item's show-if depends on (WORK). The status is given
 * (--works, or the gate answered with a value in a file) or derived: the person works when any
 * gated item was given anything other than "na" (a value, "x" or "r"); an item left out of a
 * file gives nothing. Answers on items the status hides are refused, naming them; "x" or "na"
 * there is recorded as not applicable. */
static bool opens(const qn_cond *c, int value)
{
    for (int v = 0; v < c->n_values; v++)
        if (c->values[v] == value)
            return true;
    return false;
}

static bool is_gate(const qn *q, int item)
{
    return item >= 0 && !q->items[item].scored;
}

/* The status a gate answered with a value gives, or -1 when no gate has a value. */
static int given_works(const qn_session *s)
{
    const qn *q = s->q;
    for (int i = 0; i < q->n_items; i++) {
        const qn_cond *c = &q->items[i].show_if;
        if (is_gate(q, c->item) && s->answers[c->item].state == QN_ANS_VALUE)
            return opens(c, s->answers[c->item].value);
    }
    return -1;
}

static int derive_works(const qn_session *s, const bool *given)
{
    const qn *q = s->q;
    for (int i = 0; i < q->n_items; i++)
        if (q->items[i].scored && is_gate(q, q->items[i].show_if.item) &&
            (!given || given[i]) && s->answers[i].state != QN_ANS_NA)
            return 1;
    return 0;
}

/* Sets every gate to an option that opens (works) or closes (not) its items. */
static void set_gates(qn_session *s, int works)
{
    const qn *q = s->q;
    for (int i = 0; i < q->n_items; i++) {
        const qn_cond *c = &q->items[i].show_if;
        if (!is_gate(q, c->item))
            continue;
        const qn_scale *sc = &q->scales[q->items[c->item].scale];
        int value = c->values[0];
        for (int k = 0; !works && k < sc->n_options; k++)
            if (!opens(c, sc->options[k].value)) {
                value = sc->options[k].value;
                break;
            }
        s->answers[c->item] = (qn_answer){QN_ANS_VALUE, value};
    }
}

static int settle_work(qn_session *s, int works, const bool *given, its_err *err)
{
    const qn *q = s->q;
    set_gates(s, works < 0 ? derive_works(s, given) : works);
    char ids[200] = "";
    int n = 0, gate = -1;
    for (int i = 0; i < q->n_items; i++) {
        if (!q->items[i].scored || session_is_shown(s, i))
            continue;
        qn_answer_state st = s->answers[i].state;
        if (st == QN_ANS_VALUE || st == QN_ANS_REFUSED) {
            its_appendf(ids, sizeof ids, "%s%s", n++ ? ", " : "", q->items[i].id);
            gate = q->items[i].show_if.item;
        }
        s->answers[i] = (qn_answer){QN_ANS_NA, 0};
    }
    if (n)
        return its_fail(err, "%s %s an answer but %s says the person does not work or study, so "
                        "%s not asked: give %s as na, or correct the work status", ids,
                        n > 1 ? "have" : "has", q->items[gate].id, n > 1 ? "they are" : "it is",
                        n > 1 ? "them" : "it");
    return 0;
}

static int parse_token(qn_session *s, int item, const char *tok, its_err *err)
{
    if (!strcmp(tok, "x"))
        return session_set(s, item, (qn_answer){QN_ANS_NONE, 0}, err);
    if (!strcmp(tok, "na")) {
        s->answers[item] = (qn_answer){QN_ANS_NA, 0};
        return 0;
    }
    if (!strcmp(tok, "r"))
        return session_set(s, item, (qn_answer){QN_ANS_REFUSED, 0}, err);
    char *end;
    long v = strtol(tok, &end, 10);
    if (*end || end == tok || v < -1000000 || v > 1000000)
        return its_fail(err, "%s: \"%s\" is not a value (use a number, x, na or r)",
                        s->q->items[item].id, tok);
    return session_set(s, item, (qn_answer){QN_ANS_VALUE, (int)v}, err);
}

int session_from_notation(qn_session *s, const char *notation, int works, its_err *err)
{
    const qn *q = s->q;
    const char *p = notation;
    for (int i = 0; i < q->n_items; i++) {
        if (!q->items[i].scored)
            continue;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            return its_fail(err, "too few answers: item %s has none", q->items[i].id);
        char tok[32];
        size_t n = strcspn(p, " \t,");
        if (n >= sizeof tok)
            return its_fail(err, "%s: answer too long", q->items[i].id);
        memcpy(tok, p, n);
        tok[n] = '\0';
        p += n;
        if (parse_token(s, i, tok, err) < 0)
            return -1;
    }
    while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n')
        p++;
    if (*p)
        return its_fail(err, "too many answers: the questionnaire has fewer scored items");
    return settle_work(s, works, NULL, err);
}

static int multi_from_json(qn_session *s, int item, json_t *v, its_err *err)
{
    const qn_scale *sc = &s->q->scales[s->q->items[item].scale];
    int mask = 0;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        int found = -1;
        for (int k = 0; k < sc->n_options && json_is_integer(x); k++)
            if (sc->options[k].value == json_integer_value(x))
                found = k;
        if (found < 0)
            return its_fail(err, "%s: a chosen value is not an option", s->q->items[item].id);
        mask |= (int)(1u << found);
    }
    return session_set(s, item, (qn_answer){QN_ANS_VALUE, mask}, err);
}

int session_from_json(qn_session *s, const void *json_answers_object, its_err *err)
{
    json_t *obj = (json_t *)json_answers_object;
    if (!json_is_object(obj))
        return its_fail(err, "\"answers\" must be an object of item id to answer");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int item = qn_item_index(s->q, key);
        if (item < 0)
            return its_fail(err, "unknown item \"%s\"", key);
        bool multi = s->q->scales[s->q->items[item].scale].kind == QN_SCALE_MULTI;
        int rc;
        if (json_is_integer(v) && !multi && json_integer_value(v) >= -1000000 &&
            json_integer_value(v) <= 1000000)
            rc = session_set(s, item, (qn_answer){QN_ANS_VALUE, (int)json_integer_value(v)}, err);
        else if (json_is_array(v) && multi)
            rc = multi_from_json(s, item, v, err);
        else if (json_is_string(v))
            rc = parse_token(s, item, json_string_value(v), err);
        else
            rc = its_fail(err, "%s: the answer must be %s, \"x\", \"na\" or \"r\"", key,
                          multi ? "a list of option values" : "a whole number");
        if (rc < 0)
            return -1;
    }
    return 0;
}

int session_from_answers(qn_session *s, const void *json_answers_object, its_err *err)
{
    if (session_from_json(s, json_answers_object, err) < 0)
        return -1;
    bool *given = calloc((size_t)s->q->n_items, sizeof *given);
    if (!given)
        return its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
    for (int i = 0; i < s->q->n_items; i++)
        given[i] = json_object_get(json_answers_object, s->q->items[i].id) != NULL;
    int rc = settle_work(s, given_works(s), given, err);
    free(given);
    return rc;
}

void *session_to_json(const qn_session *s)
{
    json_t *obj = json_object();
    for (int i = 0; obj && i < s->q->n_items; i++) {
        qn_answer a = s->answers[i];
        const qn_scale *sc = &s->q->scales[s->q->items[i].scale];
        json_t *v = NULL;
        if (a.state == QN_ANS_REFUSED)
            v = json_string("r");
        else if (a.state == QN_ANS_NA)
            v = json_string("na");
        else if (a.state == QN_ANS_VALUE && sc->kind != QN_SCALE_MULTI)
            v = json_integer(a.value);
        else if (a.state == QN_ANS_VALUE) {
            v = json_array();
            for (int k = 0; k < sc->n_options; k++)
                if ((unsigned)a.value & (1u << k))
                    json_array_append_new(v, json_integer(sc->options[k].value));
        }
        if (v)
            json_object_set_new(obj, s->q->items[i].id, v);
    }
    return obj;
}
