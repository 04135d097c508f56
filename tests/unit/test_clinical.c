/* The clinical review's scoring and flag points (issue 14, docs/flag-defaults.md), on the bundled
 * questionnaires: refusals never make a client look healthier than the answers given (checked
 * over every answer of many random vectors), complete domains are always computed, and the
 * calmer defaults (R1, R3, Y3, Y7) neither hide difficulty nor over-refer. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "evidence.h"
#include "result_read.h"

enum { REFUSED = -3, NA = -2, MISSING = -1 };

static qn *bundled(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/questionnaires/%s", getenv("ITS_SOURCE_DIR"), name);
    return load_questionnaire_file(path);
}

/* Scores values[] (one per scored item: REFUSED, NA, MISSING or 0-4) in the vectors' notation. */
static json_t *score_values(const qn *q, const int *values, int n, int works)
{
    static const char *const words[] = {"r", "na", "x", "0", "1", "2", "3", "4"};
    char notation[512] = "";
    for (int k = 0; k < n; k++)
        its_appendf(notation, sizeof notation, "%s ", words[values[k] + 3]);
    qn_session s;
    its_err err;
    json_t *r = NULL;
    if (session_init(&s, q, &err) == 0 && session_from_notation(&s, notation, works, &err) == 0)
        r = result_build(&s, NULL, NULL, 0, 0, &err);
    else
        fprintf(stderr, "notation: %s\n  %s\n", err.msg, notation);
    session_wipe(&s);
    return r;
}

/* Scored items in file order; gated[k] tells the work items apart. Returns how many. */
static int scored_items(const qn *q, bool *gated)
{
    int n = 0;
    for (int i = 0; i < q->n_items; i++)
        if (q->items[i].scored)
            gated[n++] = q->items[i].show_if.item >= 0;
    return n;
}

static unsigned rng_state = 4242;

/* A random complete vector around a random severity, so every threshold is crossed often. */
static void random_vector(int *values, const bool *gated, int n, int works)
{
    int base = (int)(check_rand(&rng_state) % 5);
    for (int k = 0; k < n; k++) {
        int v = base + (int)(check_rand(&rng_state) % 3) - 1;
        values[k] = gated[k] && !works ? NA : v < 0 ? 0 : v > 4 ? 4 : v;
    }
}

/* For every answer of the vector: refusing it (on top of up to three earlier refusals) gives at
 * least the level of answering "no difficulty" there. Returns the number of variations run. */
static int refusal_property(const qn *q, int vectors, int *violations)
{
    bool gated[64];
    int n = scored_items(q, gated), runs = 0;
    for (int c = 0; c < vectors; c++) {
        int works = (int)(check_rand(&rng_state) % 2), base[64];
        random_vector(base, gated, n, works);
        for (int k = 0; k < n; k++) {
            if (base[k] == NA)
                continue;
            int refused[64], none[64];
            memcpy(refused, base, sizeof base);
            int earlier = (int)(check_rand(&rng_state) % 4);
            for (int e = 0; e < earlier; e++) {
                int j = (int)(check_rand(&rng_state) % (unsigned)n);
                if (refused[j] != NA)
                    refused[j] = REFUSED;
            }
            refused[k] = REFUSED;
            for (int j = 0; j < n; j++)
                none[j] = refused[j] == REFUSED ? 0 : refused[j];
            json_t *a = score_values(q, refused, n, works), *b = score_values(q, none, n, works);
            runs++;
            if (!a || !b || level_rank(a) < level_rank(b)) {
                (*violations)++;
                fprintf(stderr, "%s: a refusal lowered the level (item %d, vector %d)\n", q->id, k, c);
            }
            json_decref(a);
            json_decref(b);
        }
    }
    return runs;
}

static void test_refusal_never_lowers(void)
{
    qn *q36 = bundled("whodas36-style.json"), *q12 = bundled("whodas12-style.json");
    if (!CHECK(q36 && q12))
        return;
    int violations = 0;
    int runs = refusal_property(q36, 60, &violations) + refusal_property(q12, 80, &violations);
    printf("refusal property: %d variations, %d violations\n", runs, violations);
    CHECK(runs >= 2000);
    CHECK_EQ_INT(violations, 0);
    qn_free(q36);
    qn_free(q12);
}

/* All "severe" stays red with three refusals (three domains) or two in one domain; the lower
 * bound is stored and named in the evidence. Complete domains are still computed. */
static void test_all_severe_with_refusals(void)
{
    qn *q = bundled("whodas36-style.json");
    if (!CHECK(q))
        return;
    int v[36];
    for (int k = 0; k < 36; k++)
        v[k] = 3;
    json_t *r = score_values(q, v, 36, 1);
    CHECK_EQ_STR(json_string_value(json_object_get(r, "level")), "red");
    json_decref(r);
    v[0] = v[6] = v[11] = REFUSED; /* D1.1, D2.1, D3.1 */
    r = score_values(q, v, 36, 1);
    CHECK_EQ_STR(status_of(r, "overall"), "not_scored");
    CHECK_EQ_STR(json_string_value(json_object_get(r, "level")), "red");
    CHECK(fired(r, "R2") && fired(r, "Y6"));
    json_t *overall = json_object_get(json_object_get(r, "scores"), "overall");
    CHECK(json_number_value(json_object_get(overall, "bound")) >= 50);
    CHECK_EQ_INT((long)json_array_size(json_object_get(overall, "missing")), 3);
    CHECK_EQ_STR(status_of(r, "d4"), "ok"); /* complete domains are computed */
    CHECK_NEAR(value_of(r, "d4"), 1100.0 / 12, 1e-9); /* 2+2+2+3+2 recoded of 12 */
    json_decref(r);
    v[6] = v[11] = 3;
    v[1] = REFUSED; /* D1.1 and D1.2: two in one domain */
    r = score_values(q, v, 36, 1);
    CHECK_EQ_STR(status_of(r, "d1"), "not_scored");
    CHECK_EQ_STR(json_string_value(json_object_get(r, "level")), "red");
    json_decref(r);
    qn_free(q);

    q = bundled("whodas12-style.json");
    if (!CHECK(q))
        return;
    int s[12] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
    s[0] = s[4] = s[8] = REFUSED;
    r = score_values(q, s, 12, 1);
    CHECK_EQ_STR(status_of(r, "simple"), "not_scored");
    CHECK_EQ_STR(json_string_value(json_object_get(r, "level")), "red");
    json_decref(r);
    qn_free(q);
}

/* 12-item: S1, S7 (getting around) and S8, S9 (self-care) "moderate", the rest none: two
 * domains at 4/8 but 8/48 (17 %) in all. Yellow (Y3), not red. */
static void test_four_moderate_not_red(void)
{
    qn *q = bundled("whodas12-style.json");
    if (!CHECK(q))
        return;
    int s[12] = {2, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0};
    json_t *r = score_values(q, s, 12, 1);
    CHECK(!fired(r, "R3"));
    CHECK(fired(r, "Y3"));
    CHECK_EQ_STR(json_string_value(json_object_get(r, "level")), "yellow");
    json_decref(r);
    /* with the sum in the moderate band (12/48) as well, R3 is red */
    int t[12] = {2, 2, 2, 0, 0, 0, 2, 2, 2, 0, 0, 0};
    r = score_values(q, t, 12, 1);
    CHECK(fired(r, "R3"));
    json_decref(r);
    qn_free(q);
}

/* One extreme answer: red in getting around or self-care, yellow (Y7) elsewhere; two are red. */
static void test_single_extreme(void)
{
    qn *q = bundled("whodas36-style.json");
    if (!CHECK(q))
        return;
    int v[36] = {0};
    v[19] = 4; /* D4.5 */
    json_t *r = score_values(q, v, 36, 1);
    CHECK(!fired(r, "R1") && fired(r, "Y7"));
    CHECK_EQ_STR(json_string_value(json_object_get(r, "level")), "yellow");
    json_decref(r);
    v[19] = 0;
    v[10] = 4; /* D2.5 walking */
    r = score_values(q, v, 36, 1);
    CHECK(fired(r, "R1") && !fired(r, "Y7"));
    json_decref(r);
    v[10] = 0;
    v[19] = v[35] = 4; /* D4.5 and D6.8 */
    r = score_values(q, v, 36, 1);
    CHECK(fired(r, "R1") && fired(r, "Y7"));
    json_decref(r);
    qn_free(q);
}

/* The evidence of flag `rule` in language `code`, worded from the stored data. */
static const char *words_in(const qn *q, json_t *r, const char *rule, const char *code)
{
    static char out[1024];
    json_t *f = flag_of(r, rule);
    out[0] = '\0';
    if (f)
        evidence_words(test_catalogue(), q, json_object_get(f, "evidence"), qn_lang_index(q, code), out,
                       sizeof out);
    return out;
}

static bool has(const char *text, const char *part)
{
    if (strstr(text, part))
        return true;
    fprintf(stderr, "  \"%s\"\n  does not contain \"%s\"\n", text, part);
    return false;
}

/* A flag's words in one language must contain `part`. */
typedef struct expect_words {
    const char *rule, *lang, *part;
} expect_words;

static void check_words(const qn *q, json_t *r, const expect_words *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!CHECK(has(words_in(q, r, w[i].rule, w[i].lang), w[i].part)))
            fprintf(stderr, "  (%s in %s)\n", w[i].rule, w[i].lang);
}

/* Reasons at a glance, in the reader's language: the 12-item at 38/48 after 8/48 on 10.1.2025. */
static void test_reasons_in_three_languages(void)
{
    qn *q = bundled("whodas12-style.json");
    if (!CHECK(q))
        return;
    qn_session s;
    its_err err;
    session_init(&s, q, &err);
    CHECK(session_from_notation(&s, "4 4 3 3 3 3 2 3 3 4 3 3", -1, &err) == 0);
    flag_previous prev[] = {{"simple", 8, 800.0 / 48, "2025-01-10T10:00:00Z"}};
    json_t *r = result_build(&s, NULL, prev, 1, 0, &err);
    session_wipe(&s);
    /* stored as data: ids, values, maxima, thresholds, previous and current, the date */
    json_t *ev = json_array_get(json_object_get(flag_of(r, "R2"), "evidence"), 0);
    CHECK_EQ_STR(json_string_value(json_object_get(ev, "score")), "simple");
    CHECK_NEAR(json_number_value(json_object_get(ev, "value")), 38, 1e-9);
    CHECK_NEAR(json_number_value(json_object_get(ev, "max")), 48, 1e-9);
    CHECK_NEAR(json_number_value(json_object_get(ev, "at_least")), 50, 1e-9);
    /* the record holds no prose for it: only the data, worded when read (here in the result's
     * language, Finnish) */
    CHECK(json_object_get(flag_of(r, "R2"), "detail") == NULL);
    CHECK_EQ_STR(detail_of(q, r, "R2"), "Pistesumma 38/48 (79 %); raja 24/48 (50 %)");
    static const expect_words first[] = {
        {"R2", "fi", "Pistesumma 38/48 (79 %); raja 24/48 (50 %)"},
        {"R2", "sv", "Poängsumma 38/48 (79 %); gräns 24/48 (50 %)"},
        {"R2", "en", "Sum score 38/48 (79 %); threshold 24/48 (50 %)"},
        {"R3", "fi", "Liikkuminen 6/8"},
        {"R3", "en", "Getting around 6/8"},
        {"Y5", "fi", "Pistesumma 10.1.2025 8/48 → 38/48: 30 pistettä enemmän vaikeuksia"},
        {"Y5", "sv", "10.1.2025 8/48 → 38/48: 30 poäng mer svårigheter"},
        {"Y5", "en", "Sum score 10 Jan 2025 8/48 → 38/48: 30 points more difficulty"},
        {"R1", "sv", "Stå en halvtimme: Extremt svårt eller jag kan inte · Sköta"},
    };
    check_words(q, r, first, sizeof first / sizeof first[0]);
    json_decref(r);
    /* not computed: the unanswered questions and the rule */
    session_init(&s, q, &err);
    CHECK(session_from_notation(&s, "x 1 x 1 x 0 2 0 0 1 0 2", -1, &err) == 0);
    r = result_build(&s, NULL, NULL, 0, 0, &err);
    session_wipe(&s);
    static const expect_words second[] = {
        {"Y6", "fi", "Pistesumma: ei voitu laskea; vastaamatta: "},
        {"Y6", "fi", "(S1), "},
        {"Y6", "fi", "(S5); sääntö: enintään 2 puuttuvaa, enintään 1 samalla osa-alueella"},
        {"Y6", "sv", "regel: högst 2 saknas"},
        {"Y6", "en", "Sum score: could not be computed; unanswered: "},
        {"Y6", "en", "rule: at most 2 missing, at most 1 in one domain"},
    };
    check_words(q, r, second, sizeof second / sizeof second[0]);
    json_decref(r);
    qn_free(q);
}

/* A bound of a score where 100 = goes well is its best case: "at most", not "at least". */
static void test_bound_direction_in_words(void)
{
    qn *q = bundled("oma-tilanne.json");
    if (!CHECK(q))
        return;
    json_t *ev = json_loads("[{\"score\": \"mieli\", \"value\": 20, \"max\": 100, \"bound\": true, "
                            "\"at_most\": 25}]", 0, NULL);
    char out[1024];
    evidence_words(test_catalogue(), q, ev, qn_lang_index(q, "fi"), out, sizeof out);
    CHECK_EQ_STR(out,
                 "Mieli enintään 20/100; raja ≤ 25 (puuttuvat vastaukset laskettu ”ei vaikeuksia”)");
    evidence_words(test_catalogue(), q, ev, qn_lang_index(q, "en"), out, sizeof out);
    CHECK(has(out, "Mind at most 20/100; threshold ≤ 25"));
    json_decref(ev);
    qn_free(q);
}

int main(void)
{
    test_refusal_never_lowers();
    test_all_severe_with_refusals();
    test_four_moderate_not_red();
    test_single_extreme();
    test_reasons_in_three_languages();
    test_bound_direction_in_words();
    return check_summary();
}
