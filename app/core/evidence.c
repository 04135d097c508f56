/* evidence.c — see evidence.h. One function per kind of entry; the phrases are the catalogue's
 * ev_ keys (locale/CODE.json), so that a word a worker reads lives in one place. */
#include "evidence.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "words.h"

enum { MAX_ITEMS = 4 }; /* answers listed in one flag's words */

/* The catalogue and the language the evidence is worded in (the ev_ keys, locale/README.md). */
typedef struct phrases {
    const words_catalogue *w;
    const char *lang;
} phrases;

static const char *ph_get(const phrases *ph, const char *key)
{
    return words_get(ph->w, ph->lang, key);
}

/* A catalogue text with one placeholder filled. */
static void ph_fill(const phrases *ph, char *out, size_t n, const char *key, const char *arg)
{
    words_format(ph->w, ph->lang, out, n, key, arg, (const char *)NULL);
}

/* snprintf that may cut: every text here has a bounded buffer and a cut one is still readable. */
static void put(char *out, size_t n, const char *fmt, ...) ITS_PRINTF(3, 4);

static void put(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, n, fmt, ap);
    va_end(ap);
}

/* The evidence's words are in the questionnaire language `lang` (its items' and scores' texts). */
static phrases phrases_for(const words_catalogue *w, const qn *q, int lang)
{
    return (phrases){w, (lang >= 0 && lang < q->n_langs) ? q->langs[lang] : "en"};
}

/* A number for people: whole when it is (within rounding), else one decimal. */
static void num(const phrases *ph, char *out, size_t n, double v)
{
    words_number(ph->w, ph->lang, out, n, v, fabs(v - round(v)) < 0.05 ? 0 : 1);
}

static double get_num(const json_t *o, const char *key, double fallback)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : fallback;
}

void evidence_score_name(const qn *q, int score, int lang, char *out, size_t n)
{
    const qn_score *sc = &q->scores[score];
    if (sc->domain >= 0) {
        its_strlcpy(out, qn_text_get(&q->domains[sc->domain].name, lang), n);
        return;
    }
    its_strlcpy(out, qn_text_get(&sc->label, lang), n);
    /* cut before the range or a note: "Pistesumma 0–48", "Mieli (0–100, 100 = hyvä)" */
    for (char *p = out; *p; p++)
        if (p > out && p[-1] == ' ' && ((*p >= '0' && *p <= '9') || *p == '(')) {
            p[-1] = '\0';
            break;
        }
    size_t len = strlen(out);
    while (len > 0 && (out[len - 1] == ',' || out[len - 1] == ' '))
        out[--len] = '\0';
}

/* "38/48 (79 %)" for a sum, "41/100" for 0-100 scores, "3/10" for a single item. */
static void value_text(const phrases *ph, double value, double max, bool sum, char *out, size_t n)
{
    words_score(ph->w, ph->lang, out, n, value, max, sum ? WORDS_SCORE_PERCENT : WORDS_SCORE_PLAIN);
}

/* A threshold in the rule's unit, shown on the score's scale: "24/48 (50 %)" or "50". */
static void limit_text(const phrases *ph, const json_t *e, double x, double max, bool sum,
                       char *out, size_t n)
{
    bool on_percent = json_is_string(json_object_get(e, "on"));
    if (sum && max > 0)
        value_text(ph, on_percent ? x * max / 100.0 : x, max, true, out, n);
    else
        num(ph, out, n, x);
}

/* "raja 24/48 (50 %)", "raja ≤ 3", "raja ≥ 12/48 (25 %), < 24/48 (50 %)". */
static void range_text(const phrases *ph, const json_t *e, double max, bool sum, char *out, size_t n)
{
    json_t *lo = json_object_get(e, "at_least"), *hi = json_object_get(e, "at_most");
    bool strict = !hi;
    if (!hi)
        hi = json_object_get(e, "below");
    char a[64] = "", b[64] = "";
    if (lo)
        limit_text(ph, e, json_number_value(lo), max, sum, a, sizeof a);
    if (hi)
        limit_text(ph, e, json_number_value(hi), max, sum, b, sizeof b);
    if (lo && hi)
        put(out, n, "%s ≥ %s, %s %s", ph_get(ph, "ev_threshold"), a, strict ? "<" : "≤", b);
    else if (hi)
        put(out, n, "%s %s %s", ph_get(ph, "ev_threshold"), strict ? "<" : "≤", b);
    else
        put(out, n, "%s %s", ph_get(ph, "ev_threshold"), a);
}

/* One score of an entry: "Liikkuminen 6/8" or "Pistesumma vähintään 38/48 (79 %)"; *bound tells
 * the caller to add the note once. */
static bool score_text(const qn *q, int lang, const phrases *ph, const json_t *e, bool with_percent,
                       char *out, size_t n, double *max, bool *sum, bool *bound)
{
    int score = qn_score_index(q, json_string_value(json_object_get(e, "score")));
    if (score < 0)
        return false;
    *sum = q->scores[score].method == QN_METHOD_SUM;
    *max = get_num(e, "max", 100);
    char name[160], value[80];
    evidence_score_name(q, score, lang, name, sizeof name);
    value_text(ph, get_num(e, "value", 0), *max, *sum && with_percent, value, sizeof value);
    bool b = json_is_true(json_object_get(e, "bound"));
    *bound |= b;
    const char *which = ph_get(ph, q->scores[score].higher_is_better ? "ev_at_most" : "ev_at_least");
    put(out, n, "%s %s%s%s", name, b ? which : "", b ? " " : "", value);
    return true;
}

static bool item_words(const qn *q, int lang, const json_t *e, char *out, size_t n)
{
    int item = qn_item_index(q, json_string_value(json_object_get(e, "item")));
    if (item < 0)
        return false;
    int value = (int)get_num(e, "value", 0);
    const char *label = qn_option_label(q, item, value, lang);
    char v[16];
    snprintf(v, sizeof v, "%d", value);
    put(out, n, "%s: %s", qn_text_get(&q->items[item].short_text, lang), label ? label : v);
    return true;
}

static bool one_score_words(const qn *q, int lang, const phrases *ph, const json_t *e, char *out,
                            size_t n)
{
    double max;
    bool sum, bound = false;
    char range[160];
    if (!score_text(q, lang, ph, e, true, out, n, &max, &sum, &bound))
        return false;
    range_text(ph, e, max, sum, range, sizeof range);
    its_appendf(out, n, "; %s%s%s", range, bound ? " " : "", bound ? ph_get(ph, "ev_bound_note") : "");
    return true;
}

static bool scores_words(const qn *q, int lang, const phrases *ph, const json_t *e, char *out,
                         size_t n)
{
    double max = 100;
    bool sum = false, bound = false;
    size_t i;
    json_t *s;
    out[0] = '\0';
    json_array_foreach(json_object_get(e, "scores"), i, s) {
        char one[300];
        if (score_text(q, lang, ph, s, false, one, sizeof one, &max, &sum, &bound))
            its_appendf(out, n, "%s%s", out[0] ? ", " : "", one);
    }
    char range[160];
    range_text(ph, e, max, sum, range, sizeof range);
    its_appendf(out, n, "%s%s%s%s", out[0] ? "; " : "", range, bound ? " " : "",
                bound ? ph_get(ph, "ev_bound_note") : "");
    return true;
}

/* "10.1.2025" or, where the language names the months ("month_names"), "10 Jan 2025"; from
 * "2025-01-10" or an ISO timestamp. */
static void date_text(const phrases *ph, const char *iso, char *out, size_t n)
{
    char *end;
    long y = strtol(iso, &end, 10), m = 0, d = 0;
    if (*end == '-')
        m = strtol(end + 1, &end, 10);
    if (*end == '-')
        d = strtol(end + 1, &end, 10);
    const char *names = ph_get(ph, "month_names"), *name = names;
    for (long i = 1; i < m && name; i++)
        name = strchr(name, ' ') ? strchr(name, ' ') + 1 : NULL;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        its_strlcpy(out, iso, n);
    else if (name && *name)
        put(out, n, "%ld %.*s %ld", d, (int)strcspn(name, " "), name, y);
    else
        put(out, n, "%ld.%ld.%ld", d, m, y);
}

/* "Pistesumma 10.1.2025 8/48 → 38/48: 30 pistettä enemmän vaikeuksia; raja 10 pistettä". */
static bool change_words(const qn *q, int lang, const phrases *ph, const json_t *e, char *out,
                         size_t n)
{
    int score = qn_score_index(q, json_string_value(json_object_get(e, "change")));
    if (score < 0)
        return false;
    const qn_score *sc = &q->scores[score];
    bool on_percent = json_is_string(json_object_get(e, "on")), sum = sc->method == QN_METHOD_SUM;
    double max = get_num(e, "max", 100), scale = sum && on_percent ? max / 100.0 : 1;
    double before = get_num(e, "previous", 0) * scale, now = get_num(e, "now", 0) * scale;
    char name[160], date[40] = "", b[80], a[80], d[32], t[32];
    evidence_score_name(q, score, lang, name, sizeof name);
    const char *iso = json_string_value(json_object_get(e, "previous_date"));
    if (iso) {
        date[0] = ' ';
        date_text(ph, iso, date + 1, sizeof date - 1);
    }
    value_text(ph, before, max, false, b, sizeof b);
    value_text(ph, now, max, false, a, sizeof a);
    num(ph, d, sizeof d, fabs(now - before));
    num(ph, t, sizeof t, get_num(e, "worse_by_at_least", 0));
    bool bound = json_is_true(json_object_get(e, "bound"));
    const char *which = ph_get(ph, sc->higher_is_better ? "ev_at_most" : "ev_at_least");
    char by[96], limit[96];
    ph_fill(ph, by, sizeof by, sc->higher_is_better ? "ev_worse" : "ev_more", d);
    ph_fill(ph, limit, sizeof limit, on_percent ? "ev_pct_points" : "ev_points", t);
    put(out, n, "%s%s %s → %s%s%s: %s; %s %s%s%s", name, date, b, bound ? which : "", bound ? " " : "",
        a, by, ph_get(ph, "ev_threshold"), limit, bound ? " " : "", bound ? ph_get(ph, "ev_bound_note") : "");
    return true;
}

/* "Kokonaistulos: ei laskettu; vastaamatta: Keskittyminen (D1.1), ...; sääntö: enintään 2 ...". */
static bool not_computed_words(const qn *q, int lang, const phrases *ph, const json_t *e,
                               char *out, size_t n)
{
    int score = qn_score_index(q, json_string_value(json_object_get(e, "not_computed")));
    if (score < 0)
        return false;
    char name[160];
    evidence_score_name(q, score, lang, name, sizeof name);
    put(out, n, "%s: %s", name, ph_get(ph, "ev_not_computed"));
    size_t i;
    json_t *id;
    bool first = true;
    json_array_foreach(json_object_get(e, "missing"), i, id) {
        int item = qn_item_index(q, json_string_value(id));
        if (item < 0)
            continue;
        if (first)
            its_appendf(out, n, "; %s: ", ph_get(ph, "ev_unanswered"));
        its_appendf(out, n, "%s%s (%s)", first ? "" : ", ", qn_text_get(&q->items[item].short_text, lang),
                    q->items[item].id);
        first = false;
    }
    char rule[200] = "";
    static const char *const parts[][2] = {{"max_missing", "ev_max_missing"},
                                           {"max_missing_per_domain", "ev_per_domain"},
                                           {"min_answered", "ev_min_answered"}};
    for (int k = 0; k < 3; k++) {
        double x = get_num(e, parts[k][0], -1);
        char v[16], part[96];
        if (k == 2 ? x <= 0 : x < 0)
            continue;
        snprintf(v, sizeof v, "%d", k == 2 ? (int)lround(x * 100) : (int)x);
        ph_fill(ph, part, sizeof part, parts[k][1], v);
        its_appendf(rule, sizeof rule, "%s%s", rule[0] ? ", " : "", part);
    }
    if (rule[0])
        its_appendf(out, n, "; %s: %s", ph_get(ph, "ev_rule"), rule);
    return true;
}

size_t evidence_words(const words_catalogue *w, const qn *q, const void *evidence, int lang, char *out,
                      size_t n)
{
    phrases words_of = phrases_for(w, q, lang), *ph = &words_of;
    out[0] = '\0';
    size_t i;
    json_t *e;
    int items = 0, items_left = 0; /* answers past the first MAX_ITEMS are counted, not listed */
    json_array_foreach((const json_t *)evidence, i, e) {
        char one[1024];
        bool ok = false;
        if (json_object_get(e, "item") && ++items > MAX_ITEMS)
            items_left++;
        else if (json_object_get(e, "item"))
            ok = item_words(q, lang, e, one, sizeof one);
        else if (json_object_get(e, "score"))
            ok = one_score_words(q, lang, ph, e, one, sizeof one);
        else if (json_object_get(e, "scores"))
            ok = scores_words(q, lang, ph, e, one, sizeof one);
        else if (json_object_get(e, "change"))
            ok = change_words(q, lang, ph, e, one, sizeof one);
        else if (json_object_get(e, "not_computed"))
            ok = not_computed_words(q, lang, ph, e, one, sizeof one);
        else if (json_object_get(e, "other_flags"))
            ok = its_strlcpy(one, ph_get(ph, "ev_others"), sizeof one) > 0;
        if (ok)
            its_appendf(out, n, "%s%s", out[0] ? " · " : "", one);
    }
    if (items_left) {
        char count[16], more[96];
        snprintf(count, sizeof count, "%d", items_left);
        ph_fill(ph, more, sizeof more, "ev_more_items", count);
        its_appendf(out, n, " %s", more);
    }
    return strlen(out);
}

size_t evidence_change_error(const words_catalogue *w, const qn *q, int score, double change, int lang,
                             char *out, size_t n)
{
    out[0] = '\0';
    if (score < 0 || score >= q->n_scores || q->scores[score].change_error <= 0)
        return 0;
    phrases ph = phrases_for(w, q, lang);
    double error = q->scores[score].change_error;
    char e[32];
    num(&ph, e, sizeof e, error);
    ph_fill(&ph, out, n, fabs(change) >= error - 1e-9 ? "ev_beyond_error" : "ev_within_error", e);
    return strlen(out);
}
