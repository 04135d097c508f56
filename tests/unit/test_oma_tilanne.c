/* Hand-computed cases against the real questionnaires/oma-tilanne.json (version 2.0.0): area
 * scores (0-100, 100 = everything goes well), the 75 % rule, every flag rule of the file and the
 * crisis-help condition; and reverse keys against version 1.0.0 (questionnaires/previous/), which
 * the worker still reads old records with.
 *
 * How an area score is computed: each statement is answered 0-4 ("Ei pidä ollenkaan paikkaansa"
 * = 0 ... "Pitää täysin paikkansa" = 4). Since 2.0.0 every statement is worded so that agreeing
 * is good (no double negatives), so no item is reverse-keyed; in 1.0.0 the negative statements
 * O2, O6, M2, M6, A3, A7, T6, K2 counted as 4 - v. Every keyed answer is worth keyed * 25 points;
 * the area score is the mean over the answered items, so area = (sum of keyed answers) * 25 /
 * (number answered). An area is computed only when at least 75 % of its items are answered:
 * osallisuus 5 of 6, mieli 6 of 8 (7 in 1.0.0), arki 6 of 7, taidot 5 of 6, keho 3 of 4.
 *
 * The base case is tests/fixtures/oma-tilanne-answers.json; every other case changes a few
 * answers of it. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "result_read.h"

static qn *load_questionnaire(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/questionnaires/%s", getenv("ITS_SOURCE_DIR"), name);
    return load_questionnaire_file(path);
}

static json_t *base_answers(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/oma-tilanne-answers.json", getenv("ITS_SOURCE_DIR"));
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        fprintf(stderr, "%s:%d:%d: %s\n", path, jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    json_t *answers = json_deep_copy(json_object_get(doc, "answers"));
    json_decref(doc);
    return answers;
}

/* The base answers with changes such as "O4=x M5=r K1=0" applied ("x" missing, "r" refused). */
static json_t *answers_with(const char *changes)
{
    json_t *a = base_answers();
    const char *p = changes;
    while (a && *p) {
        while (*p == ' ')
            p++;
        const char *eq = strchr(p, '='), *end = strchr(p, ' ');
        if (!end)
            end = p + strlen(p);
        if (!eq || eq > end)
            break;
        char key[16], val[16];
        snprintf(key, sizeof key, "%.*s", (int)(eq - p), p);
        snprintf(val, sizeof val, "%.*s", (int)(end - eq - 1), eq + 1);
        if (val[0] >= '0' && val[0] <= '9')
            json_object_set_new(a, key, json_integer(strtol(val, NULL, 10)));
        else
            json_object_set_new(a, key, json_string(val));
        p = end;
    }
    return a;
}

/* Scores the base answers with `changes` applied; the result document (fi reasons). */
static json_t *run(const qn *q, const char *changes, const flag_previous *prev, int n_prev)
{
    qn_session s;
    its_err err;
    json_t *a = answers_with(changes);
    if (!a || session_init(&s, q, &err) < 0) {
        json_decref(a);
        return NULL;
    }
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(a, tmp, key, v) /* M8 is new in 2.0.0: not asked in 1.0.0 */
        if (qn_item_index(q, key) < 0)
            json_object_del(a, key);
    json_t *r = NULL;
    if (session_from_json(&s, a, &err) < 0)
        fprintf(stderr, "answers \"%s\": %s\n", changes, err.msg);
    else
        r = result_build(&s, NULL, prev, n_prev, 0, &err);
    session_wipe(&s);
    json_decref(a);
    return r;
}

static json_t *score_of(json_t *r, const char *score)
{
    return json_object_get(json_object_get(r, "scores"), score);
}

static const char *level_of(json_t *r)
{
    return json_string_value(json_object_get(r, "level"));
}

static size_t n_flags(json_t *r)
{
    return json_array_size(json_object_get(r, "flags"));
}

/* The file itself: ids, languages, the shared scale, an ICF code and short text on every area item. */
static void test_structure(const qn *q)
{
    CHECK_EQ_STR(q->id, "oma-tilanne");
    CHECK_EQ_STR(q->version, "2.0.0");
    CHECK_EQ_INT(q->n_langs, 3);
    CHECK_EQ_STR(q->langs[0], "fi");
    CHECK_EQ_STR(q->rules_version, "2026-12");
    /* the single items and the wishes ask about now: no "last 30 days" line on their screens */
    static const char *const now_items[] = {"WA", "FA", "SRH", "LS", "CHANGE"};
    for (size_t k = 0; k < sizeof now_items / sizeof now_items[0]; k++) {
        int i = qn_item_index(q, now_items[k]);
        CHECK(i >= 0 && q->items[i].no_recall);
    }
    CHECK(q->has_crisis && q->crisis_text.s[0] && strstr(q->crisis_text.s[0], "112"));
    int wa = qn_item_index(q, "WA");
    if (CHECK(wa >= 0)) {
        const qn_scale *sc = &q->scales[q->items[wa].scale];
        CHECK_EQ_INT(sc->n_options, 11); /* eleven tap targets, 0..10 */
        CHECK(sc->min == 0 && sc->max == 10);
        CHECK(sc->min_label.s[0] && sc->max_label.s[0]);
        CHECK(strstr(q->items[wa].text.s[0], "työkyky eli se, miten jaksat tehdä työtä") != NULL ||
              strstr(q->items[wa].text.s[0], "Työkyky eli se, miten jaksat tehdä työtä") != NULL);
    }
    int change = qn_item_index(q, "CHANGE");
    CHECK(change >= 0 && !q->items[change].scored &&
          q->scales[q->items[change].scale].kind == QN_SCALE_MULTI);
    int statement = -1, area_items = 0, reversed = 0;
    for (int i = 0; i < q->n_items; i++) {
        const qn_item *it = &q->items[i];
        if (it->domain < 0)
            continue;
        area_items++;
        reversed += it->reverse;
        if (statement < 0)
            statement = it->scale;
        CHECK(it->scale == statement); /* one shared scale for every area statement */
        CHECK(it->icf != NULL);
        CHECK(it->short_text.s[0] && it->short_text.s[1] && it->short_text.s[2]);
    }
    CHECK_EQ_INT(area_items, 31);
    CHECK_EQ_INT(reversed, 0); /* every statement reads one way: agreeing is good */
    /* plain Finnish without double negatives: no area statement says "en", "ei" or "-mättä" */
    for (int i = 0; i < q->n_items; i++) {
        const char *fi = q->items[i].text.s[0];
        if (q->items[i].domain >= 0 && !CHECK(!strstr(fi, " en ") && !strstr(fi, "Ei ") &&
                                              !strstr(fi, " ei ") && !strstr(fi, "mättä")))
            fprintf(stderr, "%s reads negatively: %s\n", q->items[i].id, fi);
        CHECK(q->items[i].domain < 0 || !q->items[i].no_recall);
    }
    /* worry and sleep are asked apart */
    int m2 = qn_item_index(q, "M2"), m8 = qn_item_index(q, "M8");
    if (CHECK(m2 >= 0 && m8 >= 0)) {
        CHECK(strstr(q->items[m2].text.s[0], "huolissani") && !strstr(q->items[m2].text.s[0], "unta"));
        CHECK(strstr(q->items[m8].text.s[0], "unta") && !strstr(q->items[m8].text.s[0], "huol"));
        CHECK_EQ_STR(q->items[m8].icf, "b134");
    }
    CHECK_EQ_INT(q->n_domains, 5);
    for (int d = 0; d < q->n_domains; d++) {
        int k = qn_score_index(q, q->domains[d].id);
        if (CHECK(k >= 0)) {
            CHECK(q->scores[k].method == QN_METHOD_MEAN100 && q->scores[k].higher_is_better);
            CHECK_NEAR(q->scores[k].missing.min_answered, 0.75, 1e-12);
        }
    }
}

/* Case 1, complete (the sample answers file): no flags. */
static void test_complete(const qn *q)
{
    json_t *r = run(q, "", NULL, 0);
    if (!CHECK(r))
        return;
    /* osallisuus: O1 3, O2 3, O3 4, O4 2, O5 3, O6 4 = 19 -> 19 * 25 / 6 = 79.17 */
    CHECK_NEAR(value_of(r, "osallisuus"), 19 * 25.0 / 6, 1e-9);
    /* mieli: M1 2, M8 2, M2 2, M3 3, M4 2, M5 3, M6 3, M7 3 = 20 -> 500 / 8 = 62.5 */
    CHECK_NEAR(value_of(r, "mieli"), 62.5, 1e-9);
    /* arki: A1 4, A2 4, A3 3, A4 3, A5 3, A6 2, A7 3 = 22 -> 550 / 7 = 78.57 */
    CHECK_NEAR(value_of(r, "arki"), 22 * 25.0 / 7, 1e-9);
    /* taidot: T1 3, T2 3, T3 2, T4 3, T5 4, T6 4 = 19 -> 475 / 6 = 79.17 */
    CHECK_NEAR(value_of(r, "taidot"), 19 * 25.0 / 6, 1e-9);
    /* keho: K1 4, K2 2, K3 3, K4 4 = 13 -> 325 / 4 = 81.25 */
    CHECK_NEAR(value_of(r, "keho"), 81.25, 1e-9);
    CHECK_NEAR(value_of(r, "wa"), 7.0, 1e-9);
    CHECK_NEAR(value_of(r, "fa"), 6.0, 1e-9);
    CHECK_EQ_INT(n_flags(r), 0);
    CHECK_EQ_STR(level_of(r), "none");
    json_t *meta = json_object_get(r, "questionnaire");
    CHECK_EQ_STR(json_string_value(json_object_get(meta, "version")), "2.0.0");
    CHECK_EQ_STR(json_string_value(json_object_get(meta, "rules_version")), "2026-12");
    /* the several-answer question keeps its option values; SRH and LS are kept as answers */
    json_t *ch = json_object_get(json_object_get(r, "answers"), "CHANGE");
    CHECK(json_array_size(ch) == 2 && json_integer_value(json_array_get(ch, 0)) == 1 &&
          json_integer_value(json_array_get(ch, 1)) == 5);
    CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(r, "answers"), "SRH")), 3);
    json_decref(r);
}

/* Case 2, partly missing but still >= 75 % answered: the mean of the answered items. */
static void test_partly_missing(const qn *q)
{
    json_t *r = run(q, "O4=x M5=r K3=x", NULL, 0);
    if (!CHECK(r))
        return;
    /* osallisuus without O4: 3 + 3 + 4 + 3 + 4 = 17 over 5 of 6 (83 % >= 75 %) -> 17 * 25 / 5 = 85 */
    CHECK_EQ_STR(status_of(r, "osallisuus"), "ok");
    CHECK_NEAR(value_of(r, "osallisuus"), 85.0, 1e-9);
    /* mieli without M5 (refused counts as missing): 20 - 3 = 17 over 7 of 8 (87.5 %) -> 60.71 */
    CHECK_NEAR(value_of(r, "mieli"), 17 * 25.0 / 7, 1e-9);
    /* keho without K3: 4 + 2 + 4 = 10 over 3 of 4 (exactly 75 %) -> 250 / 3 = 83.33 */
    CHECK_EQ_STR(status_of(r, "keho"), "ok");
    CHECK_NEAR(value_of(r, "keho"), 250.0 / 3, 1e-9);
    CHECK_NEAR(value_of(r, "arki"), 22 * 25.0 / 7, 1e-9); /* untouched */
    CHECK(!fired(r, "Y6"));
    CHECK_EQ_INT(n_flags(r), 0);
    json_decref(r);
}

/* Case 3, reverse keys, in version 1.0.0 (where M2 and M6 were negative statements). Someone who
 * answers "Pitää täysin paikkansa" (4) to every statement of mieli agrees with the two negative
 * ones too: M2 4 -> 4 - 4 = 0, M6 4 -> 0.
 *   keyed: M1 4, M2 0, M3 4, M4 4, M5 4, M6 0, M7 4 = 20 -> 20 * 25 / 7 = 71.43 (not 100).
 * Answering 0 to everything: M2 0 -> 4, M6 0 -> 4, the rest 0 = 8 -> 8 * 25 / 7 = 28.57 (not 0).
 * Keho all 0: K1 0, K2 0 -> 4, K3 0, K4 0 = 4 -> 4 * 25 / 4 = 25, exactly the red boundary. */
static void test_reverse_keys(const qn *q)
{
    json_t *r = run(q, "M1=4 M2=4 M3=4 M4=4 M5=4 M6=4 M7=4", NULL, 0);
    if (!CHECK(r))
        return;
    CHECK_NEAR(value_of(r, "mieli"), 500.0 / 7, 1e-9);
    json_decref(r);

    r = run(q, "M1=0 M2=0 M3=0 M4=0 M5=0 M6=0 M7=0", NULL, 0);
    CHECK_NEAR(value_of(r, "mieli"), 200.0 / 7, 1e-9);
    CHECK(fired(r, "Y3") && !fired(r, "R2")); /* 28.57: weak, but above the worst band */
    json_decref(r);

    r = run(q, "K1=0 K2=0 K3=0 K4=0", NULL, 0);
    CHECK_NEAR(value_of(r, "keho"), 25.0, 1e-9);
    CHECK(fired(r, "R2"));                    /* at_most 25 includes 25 */
    CHECK(strstr(detail_of(q, r, "R2"), "Keho 25/100; raja ≤ 25") != NULL);
    json_decref(r);

    /* the item reads the other way: K2 "Kipu haittaa arkeani" answered 4 counts as 0 */
    r = run(q, "K2=4", NULL, 0);
    CHECK_NEAR(value_of(r, "keho"), (4 + 0 + 3 + 4) * 25.0 / 4, 1e-9); /* 68.75 */
    json_decref(r);
}

static unsigned rng(void);

/* Scores an answers object with no previous assessment; NULL when the answers do not fit. */
static json_t *score_answers(const qn *q, json_t *answers)
{
    qn_session s;
    its_err err;
    json_t *r = NULL;
    if (session_init(&s, q, &err) < 0)
        return NULL;
    if (session_from_json(&s, answers, &err) == 0)
        r = result_build(&s, NULL, NULL, 0, 0, &err);
    session_wipe(&s);
    return r;
}

/* The same person under both versions: a 1.0.0 answer v to a negative statement is a 2.0.0 answer
 * 4 - v to its positive rewording, and the old M2 (worry that keeps one awake) is answered alike
 * by the new M2 (calming worries) and M8 (falling asleep). The areas whose items kept their count
 * score exactly alike; mieli has one item more, so it is checked by hand: (sum7 + M2) * 25 / 8. */
static void test_versions_agree(const qn *now, const qn *old, int cases)
{
    static const char *const same[] = {"osallisuus", "arki", "taidot", "keho"};
    static const char *const reversed[] = {"O2", "O6", "M2", "M6", "A3", "A7", "T6", "K2"};
    int differ = 0;
    for (int c = 0; c < cases; c++) {
        json_t *a_old = json_object(), *a_now = json_object();
        for (int i = 0; i < old->n_items; i++) {
            if (old->items[i].domain < 0)
                continue;
            int v = (int)(rng() % 5);
            const char *id = old->items[i].id;
            json_object_set_new(a_old, id, json_integer(v));
            bool rev = false;
            for (size_t k = 0; k < sizeof reversed / sizeof reversed[0]; k++)
                rev = rev || !strcmp(id, reversed[k]);
            json_object_set_new(a_now, id, json_integer(rev ? 4 - v : v));
            if (!strcmp(id, "M2"))
                json_object_set_new(a_now, "M8", json_integer(4 - v));
        }
        json_t *r_old = score_answers(old, a_old), *r_now = score_answers(now, a_now);
        double m2 = 4 - json_integer_value(json_object_get(a_old, "M2")), sum7 = 0;
        for (const char *m = "1234567"; *m; m++) {
            char id[4] = {'M', *m, 0, 0};
            sum7 += json_integer_value(json_object_get(a_now, id));
        }
        for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
            differ += value_of(r_old, same[k]) != value_of(r_now, same[k]);
        differ += fabs(value_of(r_now, "mieli") - (sum7 + m2) * 25 / 8) > 1e-9;
        differ += fabs(value_of(r_old, "mieli") - sum7 * 25 / 7) > 1e-9;
        json_decref(r_old);
        json_decref(r_now);
        json_decref(a_old);
        json_decref(a_now);
    }
    printf("oma-tilanne 1.0.0 vs 2.0.0: %d cases, %d differences\n", cases, differ);
    CHECK_EQ_INT(differ, 0);
}

/* Case 4, not enough answers: below 75 % the area is "not scored" and Y6 fires. */
static void test_not_enough_answers(const qn *q)
{
    /* mieli 5 of 8 (62.5 %), keho 2 of 4 (50 %), taidot 4 of 6 (67 %) */
    json_t *r = run(q, "M1=x M2=r M8=x K1=x K2=r T1=x T6=x", NULL, 0);
    if (!CHECK(r))
        return;
    CHECK_EQ_STR(status_of(r, "mieli"), "not_scored");
    CHECK_EQ_STR(status_of(r, "keho"), "not_scored");
    CHECK_EQ_STR(status_of(r, "taidot"), "not_scored");
    CHECK(strstr(json_string_value(json_object_get(score_of(r, "mieli"), "reason")),
                 "not enough answers: 5 of 8") != NULL);
    CHECK_EQ_STR(status_of(r, "osallisuus"), "ok");
    CHECK(fired(r, "Y6"));
    CHECK(strstr(detail_of(q, r, "Y6"), "Mieli") && strstr(detail_of(q, r, "Y6"), "ei voitu laskea"));
    CHECK(!fired(r, "R4")); /* work ability 7 */
    CHECK_EQ_STR(level_of(r), "yellow");
    json_decref(r);

    /* work ability not answered: wa is not computed -> Y6 too (never silently green) */
    r = run(q, "WA=r", NULL, 0);
    CHECK_EQ_STR(status_of(r, "wa"), "not_scored");
    CHECK(fired(r, "Y6") && !fired(r, "Y4"));
    json_decref(r);
}

/* R2, the worst band: an area at 25 or less. */
static void test_worst_band(const qn *q)
{
    /* keho K1 0, K2 0, K3 0, K4 0 = 0 -> 0 */
    json_t *r = run(q, "K1=0 K2=0 K3=0 K4=0", NULL, 0);
    if (!CHECK(r))
        return;
    CHECK_NEAR(value_of(r, "keho"), 0.0, 1e-9);
    /* the worker's word for the area: the band in the file, with its level */
    json_t *band = json_object_get(score_of(r, "keho"), "band");
    CHECK_EQ_STR(json_string_value(json_object_get(band, "level")), "red");
    CHECK_EQ_STR(json_string_value(json_object_get(band, "label")), "Vaikeaa");
    CHECK(fired(r, "R2") && fired(r, "Y3"));
    CHECK(!fired(r, "R3") && !fired(r, "R4") && !fired(r, "Y4"));
    CHECK_EQ_STR(level_of(r), "red");
    json_decref(r);
    /* keho K1 1, K2 0, K3 2, K4 2 = 5 -> 31.25: weak (Y3) but not the worst band */
    r = run(q, "K1=1 K2=0 K3=2 K4=2", NULL, 0);
    CHECK_NEAR(value_of(r, "keho"), 31.25, 1e-9);
    band = json_object_get(score_of(r, "keho"), "band");
    CHECK_EQ_STR(json_string_value(json_object_get(band, "level")), "yellow");
    CHECK_EQ_STR(json_string_value(json_object_get(band, "label")), "Osin vaikeaa");
    CHECK(!fired(r, "R2") && fired(r, "Y3"));
    CHECK_EQ_STR(level_of(r), "yellow");
    json_decref(r);
}

/* R3, several areas weak: two or more areas below 50. */
static void test_several_areas(const qn *q)
{
    /* mieli M1 1, M8 1, M2 1, M3 2, M4 2, M5 2, M6 2, M7 2 = 13 -> 325 / 8 = 40.63
     * taidot T1 2, T2 2, T3 1, T4 2, T5 2, T6 2 = 11 -> 275 / 6 = 45.83 */
    const char *weak2 = "M1=1 M8=1 M2=1 M3=2 M4=2 M5=2 M6=2 M7=2 T1=2 T2=2 T3=1 T4=2 T5=2 T6=2";
    json_t *r = run(q, weak2, NULL, 0);
    if (!CHECK(r))
        return;
    CHECK_NEAR(value_of(r, "mieli"), 325.0 / 8, 1e-9);
    CHECK_NEAR(value_of(r, "taidot"), 275.0 / 6, 1e-9);
    CHECK(fired(r, "R3"));
    CHECK(!fired(r, "R2") && !fired(r, "Y3")); /* none <= 25; "exactly one" is false with two */
    CHECK(strstr(detail_of(q, r, "R3"), "Mieli") && strstr(detail_of(q, r, "R3"), "Taidot"));
    CHECK_EQ_STR(level_of(r), "red");
    json_decref(r);
    /* taidot T3 2 instead of 1: 12 -> exactly 50, which is not "below 50" -> only mieli is weak */
    r = run(q, "M1=1 M8=1 M2=1 M3=2 M4=2 M5=2 M6=2 M7=2 T1=2 T2=2 T3=2 T4=2 T5=2 T6=2", NULL, 0);
    CHECK_NEAR(value_of(r, "taidot"), 50.0, 1e-9);
    CHECK(!fired(r, "R3") && fired(r, "Y3"));
    CHECK_EQ_STR(level_of(r), "yellow");
    json_decref(r);
}

/* R4: work ability 3 or less together with another flag; Y4 alone does not count. */
static void test_r4(const qn *q)
{
    /* WA 3 and mieli (7 + 2) * 25 / 8 = 28.13 (Y3) -> R4 red */
    json_t *r = run(q, "WA=3 M1=1 M8=2 M2=1 M3=1 M4=1 M5=1 M6=1 M7=1", NULL, 0);
    if (!CHECK(r))
        return;
    CHECK(fired(r, "R4") && fired(r, "Y3") && fired(r, "Y4"));
    CHECK(strstr(detail_of(q, r, "R4"), "Työkyky nyt (0–10): 3") != NULL);
    CHECK_EQ_STR(level_of(r), "red");
    json_decref(r);

    /* WA 3, every area at 50 or above, nothing missing: only Y4 fires, R4 does NOT */
    r = run(q, "WA=3", NULL, 0);
    CHECK(!fired(r, "R4") && fired(r, "Y4"));
    CHECK_EQ_INT(n_flags(r), 1);
    CHECK_EQ_STR(level_of(r), "yellow");
    json_decref(r);

    /* WA 0 is still only yellow without another flag */
    r = run(q, "WA=0", NULL, 0);
    CHECK(!fired(r, "R4") && fired(r, "Y4"));
    json_decref(r);

    /* WA 4 with a weak area: above the R4 limit */
    r = run(q, "WA=4 M1=1 M8=2 M2=1 M3=1 M4=1 M5=1 M6=1 M7=1", NULL, 0);
    CHECK(!fired(r, "R4") && fired(r, "Y4") && fired(r, "Y3"));
    CHECK_EQ_STR(level_of(r), "yellow");
    json_decref(r);

    /* WA 2 with functioning not answered (Y6) -> R4 */
    r = run(q, "WA=2 FA=r", NULL, 0);
    CHECK(fired(r, "Y6") && fired(r, "R4"));
    json_decref(r);

    /* WA 2 with a worse result than last time (Y5) -> R4 */
    flag_previous prev[] = {{"arki", 95.0, 95.0, NULL}};
    r = run(q, "WA=2", prev, 1);
    CHECK(fired(r, "Y5") && fired(r, "R4"));
    json_decref(r);
}

/* Y4: work ability 5 or less. */
static void test_y4(const qn *q)
{
    json_t *r = run(q, "WA=5", NULL, 0);
    if (!CHECK(r))
        return;
    CHECK(fired(r, "Y4") && !fired(r, "R4"));
    CHECK(strstr(detail_of(q, r, "Y4"), "Työkyky 5/10; raja ≤ 5") != NULL);
    CHECK_EQ_STR(level_of(r), "yellow");
    json_decref(r);
    r = run(q, "WA=6", NULL, 0);
    CHECK(!fired(r, "Y4"));
    CHECK_EQ_STR(level_of(r), "none");
    json_decref(r);
}

/* Y5: an area worse than at the previous assessment by 10 points or more. */
static void test_worse_than_last_time(const qn *q)
{
    /* arki now 550 / 7 = 78.57; before 90 -> 11.43 points worse -> Y5 */
    flag_previous prev[] = {
        {"osallisuus", 70.0, 70.0, NULL}, {"arki", 90.0, 90.0, NULL}, {"wa", 9.0, 9.0, NULL}};
    json_t *r = run(q, "", prev, 3);
    if (!CHECK(r))
        return;
    CHECK(fired(r, "Y5"));
    CHECK(strstr(detail_of(q, r, "Y5"), "Arki 90/100 → 78,6/100: 11,4 pistettä heikompi") != NULL);
    CHECK(strstr(detail_of(q, r, "Y5"), "Osallisuus") == NULL); /* 70 -> 79.17 is better */
    CHECK(!fired(r, "R4"));                                 /* work ability 7 */
    CHECK_EQ_STR(level_of(r), "yellow");
    json_decref(r);
    /* before 85 -> 6.43 points worse: below the 10-point limit */
    prev[1].value = prev[1].percent = 85.0;
    r = run(q, "", prev, 3);
    CHECK(!fired(r, "Y5"));
    json_decref(r);
    /* exactly 10 points: mieli now 62.5; before 72.5 */
    flag_previous prev2[] = {{"mieli", 72.5, 72.5, NULL}};
    r = run(q, "", prev2, 1);
    CHECK(fired(r, "Y5"));
    json_decref(r);
    /* an area that is not computed now is not compared (Y6 covers it) */
    flag_previous prev3[] = {{"keho", 100.0, 100.0, NULL}};
    r = run(q, "K1=x K2=x", prev3, 1);
    CHECK(!fired(r, "Y5") && fired(r, "Y6"));
    json_decref(r);
}

/* Y8: self-rated health "Huono" (0) alone is yellow; "Melko huono" (1) is not flagged; with work
 * ability 3 it does not make R4 red (R4 needs a sign other than the two single items). */
static void test_y8(const qn *q)
{
    json_t *r = run(q, "SRH=0", NULL, 0);
    if (!CHECK(r))
        return;
    CHECK(fired(r, "Y8"));
    CHECK_EQ_INT(n_flags(r), 1);
    CHECK_EQ_STR(level_of(r), "yellow");
    CHECK(strstr(detail_of(q, r, "Y8"), "Terveys nyt: Huono") != NULL);
    json_decref(r);
    r = run(q, "SRH=1", NULL, 0);
    CHECK(!fired(r, "Y8"));
    CHECK_EQ_STR(level_of(r), "none");
    json_decref(r);
    r = run(q, "SRH=r", NULL, 0);
    CHECK(!fired(r, "Y8"));
    json_decref(r);
    r = run(q, "SRH=0 WA=3", NULL, 0);
    CHECK(fired(r, "Y8") && fired(r, "Y4") && !fired(r, "R4"));
    CHECK_EQ_STR(level_of(r), "yellow");
    json_decref(r);
}

/* The crisis-help text: shown when "Minulla on yleensä hyvä mieli" (M3) is "Ei pidä ollenkaan
 * paikkaansa", or any three mind statements are, or the mind area is 25 or less (its bound when
 * not computed, so refusing cannot hide it); not for the sample answers, nor for low answers
 * elsewhere. */
static bool crisis(const qn *q, const char *changes)
{
    qn_session s;
    its_err err;
    json_t *a = answers_with(changes);
    bool shown = false;
    if (a && session_init(&s, q, &err) == 0) {
        score_value v[16];
        if (session_from_json(&s, a, &err) == 0 && q->n_scores <= 16) {
            score_all(&s, v);
            shown = flags_crisis_help(&s, v);
        }
        session_wipe(&s);
    }
    json_decref(a);
    return shown;
}

static void test_crisis_help(const qn *q)
{
    CHECK(!crisis(q, ""));
    CHECK(crisis(q, "M3=0"));
    CHECK(!crisis(q, "M3=1"));
    CHECK(!crisis(q, "K1=0 K2=0 K3=0 K4=0 SRH=0 LS=0")); /* body and health, not mood */
    /* mieli all 1: 25 -> shown; one answer 2: 28.13 -> not */
    CHECK(crisis(q, "M1=1 M8=1 M2=1 M3=1 M4=1 M5=1 M6=1 M7=1"));
    CHECK(!crisis(q, "M1=1 M8=2 M2=1 M3=1 M4=1 M5=1 M6=1 M7=1"));
    /* three mind answers "Ei pidä ollenkaan paikkaansa" -> shown, even when the area is not
     * computed (three refusals: its bound (0 * 5 + 4 * 3) * 25 / 8 = 37.5 is above 25); two -> not */
    CHECK(crisis(q, "M1=0 M8=0 M2=0 M3=r M4=0 M5=0 M6=r M7=r"));
    CHECK(crisis(q, "M1=0 M8=0 M2=0"));
    CHECK(!crisis(q, "M1=0 M8=0"));
}

/* Property: making one answer better (one step towards the good end, after reverse keys) never
 * lowers an area score and never raises the flag level. */
static unsigned rng_state = 20261;
static unsigned rng(void)
{
    return check_rand(&rng_state);
}

static void test_properties(const qn *q, int cases)
{
    static const char *const areas[] = {"osallisuus", "mieli", "arki", "taidot", "keho"};
    int violations = 0;
    for (int c = 0; c < cases; c++) {
        qn_session s;
        its_err err;
        session_init(&s, q, &err);
        for (int i = 0; i < q->n_items; i++) {
            const qn_scale *sc = &q->scales[q->items[i].scale];
            if (sc->kind != QN_SCALE_SINGLE)
                continue;
            qn_answer a = {QN_ANS_VALUE, sc->min + (int)(rng() % (unsigned)(sc->max - sc->min + 1))};
            if (rng() % 10 == 0)
                a.state = rng() % 2 ? QN_ANS_REFUSED : QN_ANS_NONE;
            session_set(&s, i, a, &err);
        }
        json_t *before = result_build(&s, NULL, NULL, 0, 0, &err);
        int item = (int)(rng() % (unsigned)q->n_items);
        const qn_item *it = &q->items[item];
        const qn_scale *sc = &q->scales[it->scale];
        qn_answer a = s.answers[item];
        int better = it->reverse ? a.value - 1 : a.value + 1;
        bool can_improve = sc->kind == QN_SCALE_SINGLE && a.state == QN_ANS_VALUE;
        if (can_improve && better >= sc->min && better <= sc->max) {
            session_set(&s, item, (qn_answer){QN_ANS_VALUE, better}, &err);
            json_t *after = result_build(&s, NULL, NULL, 0, 0, &err);
            for (size_t k = 0; k < sizeof areas / sizeof areas[0]; k++) {
                double x = value_of(before, areas[k]), y = value_of(after, areas[k]);
                bool computed = !strcmp(status_of(before, areas[k]), "ok");
                if (computed && (x < -1e-9 || x > 100 + 1e-9 || y < x - 1e-9)) {
                    violations++;
                    fprintf(stderr, "%s: %.4f -> %.4f after %s improved\n", areas[k], x, y, it->id);
                }
            }
            if (level_rank(after) > level_rank(before)) {
                violations++;
                fprintf(stderr, "flag level rose after %s improved\n", it->id);
            }
            json_decref(after);
        }
        json_decref(before);
        session_wipe(&s);
    }
    printf("oma-tilanne: %d random cases, %d property violations\n", cases, violations);
    CHECK_EQ_INT(violations, 0);
}

int main(void)
{
    qn *q = load_questionnaire("oma-tilanne.json");
    qn *old = load_questionnaire("previous/oma-tilanne-1.0.0.json");
    if (!CHECK(q && old))
        return check_summary();
    CHECK_EQ_STR(old->version, "1.0.0");
    test_structure(q);
    test_complete(q);
    test_partly_missing(q);
    test_reverse_keys(old);
    test_versions_agree(q, old, 2000);
    test_y8(q);
    test_crisis_help(q);
    test_not_enough_answers(q);
    test_worst_band(q);
    test_several_areas(q);
    test_r4(q);
    test_y4(q);
    test_worse_than_last_time(q);
    test_properties(q, 2000);
    test_properties(old, 2000);
    qn_free(q);
    qn_free(old);
    return check_summary();
}
