/* evidence.c — see evidence.h. One function per kind of entry; the phrases of each language are
 * in one table so that a word a worker reads lives in one place. */
#include "evidence.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { MAX_ITEMS = 4 }; /* answers listed in one flag's words */

typedef struct phrases {
    const char *lang;
    char decimal;
    const char *threshold;    /* "raja" */
    const char *at_least;     /* before a no-difficulty bound of a difficulty score */
    const char *at_most;      /* ... of a score where 100 = goes well (the bound is its best) */
    const char *bound_note;   /* after it */
    const char *more;         /* "30 pistettä enemmän vaikeuksia" */
    const char *worse;        /* higher-is-better scores: "20 pistettä heikompi" */
    const char *points;       /* a change threshold in points */
    const char *pct_points;   /* ... in percentage points */
    const char *not_computed;
    const char *unanswered;
    const char *rule;
    const char *max_missing[2];  /* around the number: "enintään", "puuttuvaa" */
    const char *per_domain[2];
    const char *min_answered[2];
    const char *others;
    const char *more_items[2]; /* "ja", "muuta": the rest of a long list of answers */
    const char *beyond_error, *within_error;
    bool month_names;         /* dates as "10 Jan 2025" instead of "10.1.2025" */
} phrases;

static const phrases all_phrases[] = {
    {"fi", ',', "raja", "vähintään", "enintään", "(puuttuvat vastaukset laskettu ”ei vaikeuksia”)",
     "pistettä enemmän vaikeuksia", "pistettä heikompi", "pistettä", "prosenttiyksikköä",
     "ei voitu laskea", "vastaamatta", "sääntö", {"enintään", "puuttuvaa"},
     {"enintään", "samalla osa-alueella"}, {"vähintään", "% vastattu"}, "ja muita merkintöjä",
     {"ja", "muuta"}, "suurempi kuin mittausvirhe", "mittausvirheen rajoissa", false},
    {"sv", ',', "gräns", "minst", "högst", "(svar som saknas räknade som ”inga svårigheter”)",
     "poäng mer svårigheter", "poäng sämre", "poäng", "procentenheter", "kunde inte räknas ut",
     "utan svar", "regel", {"högst", "saknas"}, {"högst", "inom samma område"},
     {"minst", "% besvarade"}, "och andra flaggor", {"och", "till"}, "större än mätfelet",
     "inom mätfelet", false},
    {"en", '.', "threshold", "at least", "at most", "(missing answers counted as “no difficulty”)",
     "points more difficulty", "points worse", "points", "percentage points", "could not be computed",
     "unanswered", "rule", {"at most", "missing"}, {"at most", "in one domain"},
     {"at least", "% answered"}, "together with other flags", {"and", "more"},
     "larger than the measurement error", "within the measurement error", true},
};

/* snprintf that may cut: every text here has a bounded buffer and a cut one is still readable. */
static void put(char *out, size_t n, const char *fmt, ...) ITS_PRINTF(3, 4);

static void put(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, n, fmt, ap);
    va_end(ap);
}

static const phrases *phrases_for(const qn *q, int lang)
{
    const char *code = (lang >= 0 && lang < q->n_langs) ? q->langs[lang] : "en";
    for (size_t i = 0; i < sizeof all_phrases / sizeof all_phrases[0]; i++)
        if (!strcmp(all_phrases[i].lang, code))
            return &all_phrases[i];
    return &all_phrases[2];
}

/* A number for people: whole when it is (within rounding), else one decimal. */
static void num(const phrases *ph, char *out, size_t n, double v)
{
    its_format_number(out, n, v, fabs(v - round(v)) < 0.05 ? 0 : 1);
    char *dot = strchr(out, '.');
    if (dot)
        *dot = ph->decimal;
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
    char v[32], m[32], p[32];
    num(ph, v, sizeof v, value);
    num(ph, m, sizeof m, max);
    if (sum && max > 0) {
        its_format_number(p, sizeof p, value * 100.0 / max, 0);
        put(out, n, "%s/%s (%s %%)", v, m, p);
    } else {
        put(out, n, "%s/%s", v, m);
    }
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
        put(out, n, "%s ≥ %s, %s %s", ph->threshold, a, strict ? "<" : "≤", b);
    else if (hi)
        put(out, n, "%s %s %s", ph->threshold, strict ? "<" : "≤", b);
    else
        put(out, n, "%s %s", ph->threshold, a);
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
    const char *which = q->scores[score].higher_is_better ? ph->at_most : ph->at_least;
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
    its_appendf(out, n, "; %s%s%s", range, bound ? " " : "", bound ? ph->bound_note : "");
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
    its_appendf(out, n, "%s%s%s%s", out[0] ? "; " : "", range, bound ? " " : "", bound ? ph->bound_note : "");
    return true;
}

/* "10.1.2025" (fi, sv) or "10 Jan 2025" (en) from "2025-01-10" or an ISO timestamp. */
static void date_text(const phrases *ph, const char *iso, char *out, size_t n)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char *end;
    long y = strtol(iso, &end, 10), m = 0, d = 0;
    if (*end == '-')
        m = strtol(end + 1, &end, 10);
    if (*end == '-')
        d = strtol(end + 1, &end, 10);
    if (m < 1 || m > 12 || d < 1 || d > 31)
        its_strlcpy(out, iso, n);
    else if (ph->month_names)
        put(out, n, "%ld %s %ld", d, months[m - 1], y);
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
    const char *which = sc->higher_is_better ? ph->at_most : ph->at_least;
    put(out, n, "%s%s %s → %s%s%s: %s %s; %s %s %s%s%s", name, date, b, bound ? which : "",
        bound ? " " : "", a, d, sc->higher_is_better ? ph->worse : ph->more, ph->threshold, t,
        on_percent ? ph->pct_points : ph->points, bound ? " " : "", bound ? ph->bound_note : "");
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
    put(out, n, "%s: %s", name, ph->not_computed);
    size_t i;
    json_t *id;
    bool first = true;
    json_array_foreach(json_object_get(e, "missing"), i, id) {
        int item = qn_item_index(q, json_string_value(id));
        if (item < 0)
            continue;
        if (first)
            its_appendf(out, n, "; %s: ", ph->unanswered);
        its_appendf(out, n, "%s%s (%s)", first ? "" : ", ", qn_text_get(&q->items[item].short_text, lang),
                    q->items[item].id);
        first = false;
    }
    char rule[200] = "";
    int max_missing = (int)get_num(e, "max_missing", -1), per = (int)get_num(e, "max_missing_per_domain", -1);
    int min_pct = (int)lround(get_num(e, "min_answered", 0) * 100);
    if (max_missing >= 0)
        its_appendf(rule, sizeof rule, "%s %d %s", ph->max_missing[0], max_missing, ph->max_missing[1]);
    if (per >= 0)
        its_appendf(rule, sizeof rule, "%s%s %d %s", rule[0] ? ", " : "", ph->per_domain[0], per,
                    ph->per_domain[1]);
    if (min_pct > 0)
        its_appendf(rule, sizeof rule, "%s%s %d %s", rule[0] ? ", " : "", ph->min_answered[0], min_pct,
                    ph->min_answered[1]);
    if (rule[0])
        its_appendf(out, n, "; %s: %s", ph->rule, rule);
    return true;
}

size_t evidence_words(const qn *q, const void *evidence, int lang, char *out, size_t n)
{
    const phrases *ph = phrases_for(q, lang);
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
            ok = its_strlcpy(one, ph->others, sizeof one) > 0;
        if (ok)
            its_appendf(out, n, "%s%s", out[0] ? " · " : "", one);
    }
    if (items_left)
        its_appendf(out, n, " %s %d %s", ph->more_items[0], items_left, ph->more_items[1]);
    return strlen(out);
}

size_t evidence_change_error(const qn *q, int score, double change, int lang, char *out, size_t n)
{
    out[0] = '\0';
    if (score < 0 || score >= q->n_scores || q->scores[score].change_error <= 0)
        return 0;
    const phrases *ph = phrases_for(q, lang);
    double error = q->scores[score].change_error;
    char e[32];
    num(ph, e, sizeof e, error);
    put(out, n, "%s (%s)", fabs(change) >= error - 1e-9 ? ph->beyond_error : ph->within_error, e);
    return strlen(out);
}
