/* The thank-you sentence follows the answers (feedback.c, the rule there): only mild answers get
 * the mild sentence, "many things are hard" only when at least half of the area answers are
 * "fairly hard" or worse, and a red flag is never met with "a little". Against the bundled
 * questionnaires, with their real flag rules; the locale keys exist in fi, sv and en. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "feedback.h"
#include "flags.h"
#include "result_read.h"

static qn *load_bundled(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/questionnaires/%s", getenv("ITS_SOURCE_DIR"), name);
    return load_questionnaire_file(path);
}

/* Feedback and flag level for the answers already in `s`. */
static void judge_session(qn_session *s, feedback *fb, qn_level *level)
{
    its_err err;
    score_value *v = calloc((size_t)s->q->n_scores + 1, sizeof *v);
    flag_result fr = {0};
    if (!CHECK(v))
        return;
    score_all(s, v);
    feedback_build(s, v, fb);
    CHECK(flags_evaluate(s, v, NULL, 0, &fr, &err) == 0);
    *level = fr.level;
    flags_free(&fr);
    free(v);
}

/* Feedback and flag level for `answers` (vector notation); false if the notation is refused. */
static bool judge(const qn *q, const char *answers, feedback *fb, qn_level *level)
{
    qn_session s;
    its_err err;
    if (!CHECK(session_init(&s, q, &err) == 0))
        return false;
    bool ok = CHECK(session_from_notation(&s, answers, 1, &err) == 0);
    if (ok)
        judge_session(&s, fb, level);
    session_wipe(&s);
    return ok;
}

static void test_whodas12_cases(void)
{
    qn *q = load_bundled("whodas12-style.json");
    if (!CHECK(q))
        return;
    feedback fb;
    qn_level level;
    /* every answer "Vähän vaikeuksia": 25 % everywhere, no strength, a yellow flag (sum in the
     * moderate band) — the mild sentence, which still says things are hard */
    if (judge(q, "1 1 1 1 1 1 1 1 1 1 1 1", &fb, &level)) {
        CHECK_EQ_INT(fb.n_strengths, 0);
        CHECK_EQ_INT(fb.hard, FEEDBACK_HARD_LITTLE);
        CHECK_EQ_STR(feedback_hard_key(fb.hard), "thanks_hard_little");
        CHECK(level != QN_LEVEL_RED);
    }
    /* every answer "Jonkin verran vaikeuksia": many things are hard */
    if (judge(q, "2 2 2 2 2 2 2 2 2 2 2 2", &fb, &level))
        CHECK_EQ_INT(fb.hard, FEEDBACK_HARD_MANY);
    /* half of the answers "Paljon vaikeuksia", half none: at least half hard counts as many */
    if (judge(q, "3 0 3 0 3 0 3 0 3 0 3 0", &fb, &level))
        CHECK_EQ_INT(fb.hard, FEEDBACK_HARD_MANY);
    /* one "en pysty" among mild answers: a red flag, so not "a little" — but not "many" either */
    if (judge(q, "4 1 1 1 1 1 1 1 1 1 1 1", &fb, &level)) {
        CHECK_EQ_INT(fb.hard, FEEDBACK_HARD_SOME);
        CHECK_EQ_STR(feedback_hard_key(fb.hard), "thanks_hard_some");
    }
    /* no difficulty at all: strengths are named, no difficulty sentence */
    if (judge(q, "0 0 0 0 0 0 0 0 0 0 0 0", &fb, &level)) {
        CHECK_EQ_INT(fb.n_strengths, 3);
        CHECK_EQ_INT(fb.hard, FEEDBACK_HARD_NONE);
        CHECK(feedback_hard_key(fb.hard) == NULL);
    }
    qn_free(q);
}

/* Oma tilanne runs the other way (higher is better): "Pitää vain vähän paikkansa" is hard. */
static void test_oma_tilanne_direction(void)
{
    qn *q = load_bundled("oma-tilanne.json");
    if (!CHECK(q))
        return;
    char answers[256] = "5 5 2 2";
    feedback fb;
    qn_level level;
    for (int i = 0; i < 31; i++)
        its_appendf(answers, sizeof answers, " 1");
    if (judge(q, answers, &fb, &level))
        CHECK_EQ_INT(fb.hard, FEEDBACK_HARD_MANY);
    its_strlcpy(answers, "8 8 3 3", sizeof answers);
    for (int i = 0; i < 31; i++)
        its_appendf(answers, sizeof answers, " 3");
    if (judge(q, answers, &fb, &level)) /* "Pitää melko hyvin paikkansa" everywhere: 75 */
        CHECK_EQ_INT(fb.hard, FEEDBACK_HARD_LITTLE);
    qn_free(q);
}

static unsigned rng_state = 2026;
static unsigned rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 16) & 0x7fff;
}

/* Random answers, each round capped at a random worst answer so that every sentence occurs:
 * the mild sentence never meets a red flag or an area answer at "fairly hard" or worse, and a
 * red flag or an "en pysty" answer always gets a sentence that says things are hard (SOME or
 * MANY). Area answers are drawn as difficulty 0-4 and turned round where 4 is best. */
static void test_never_hides(const char *name, bool higher_is_better)
{
    qn *q = load_bundled(name);
    if (!CHECK(q))
        return;
    int seen[4] = {0}, bad = 0;
    for (int round = 0; round < 2000; round++) {
        qn_session s;
        its_err err;
        if (!CHECK(session_init(&s, q, &err) == 0))
            break;
        unsigned ceiling = 1 + rng() % 4; /* the worst difficulty allowed this round */
        bool worst = false, hard = false;
        for (int i = 0; i < q->n_items; i++) {
            const qn_item *it = &q->items[i];
            const qn_scale *sc = &q->scales[it->scale];
            if (!it->scored || sc->kind != QN_SCALE_SINGLE)
                continue;
            int d = (int)(rng() % (ceiling + 1));
            int v = it->domain < 0 ? sc->options[rng() % (unsigned)sc->n_options].value
                                   : higher_is_better ? 4 - d : d;
            if (it->domain >= 0) {
                worst |= d == 4;
                hard |= d >= 2;
            }
            session_set(&s, i, (qn_answer){QN_ANS_VALUE, v}, &err);
        }
        feedback fb;
        qn_level level = QN_LEVEL_NONE;
        judge_session(&s, &fb, &level);
        session_wipe(&s);
        seen[fb.hard]++;
        bool hides = (fb.hard == FEEDBACK_HARD_LITTLE && (level == QN_LEVEL_RED || hard)) ||
                     ((level == QN_LEVEL_RED || worst) && fb.hard < FEEDBACK_HARD_SOME);
        if (hides && bad++ == 0)
            fprintf(stderr, "%s round %d: sentence %d with flag level %d\n", name, round, (int)fb.hard,
                    (int)level);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(seen[FEEDBACK_HARD_LITTLE] > 0 && seen[FEEDBACK_HARD_SOME] > 0 && seen[FEEDBACK_HARD_MANY] > 0);
    qn_free(q);
}

/* Every sentence is in fi, sv and en, and none of the milder ones speaks of "many". */
static void test_locale_keys(void)
{
    static const char *const langs[] = {"fi", "sv", "en"};
    static const char *const many[] = {"moni asia", "mycket", "many"};
    for (int l = 0; l < 3; l++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/locale/%s.json", getenv("ITS_SOURCE_DIR"), langs[l]);
        json_t *loc = json_load_file(path, 0, NULL);
        if (!CHECK(loc))
            continue;
        for (int h = FEEDBACK_HARD_LITTLE; h <= FEEDBACK_HARD_MANY; h++) {
            const char *text = json_string_value(json_object_get(loc, feedback_hard_key((feedback_hard)h)));
            if (!CHECK(text))
                continue;
            CHECK((strstr(text, many[l]) != NULL) == (h == FEEDBACK_HARD_MANY));
        }
        json_decref(loc);
    }
}

int main(void)
{
    test_whodas12_cases();
    test_oma_tilanne_direction();
    test_never_hides("whodas12-style.json", false);
    test_never_hides("whodas36-style.json", false);
    test_never_hides("oma-tilanne.json", true);
    test_locale_keys();
    return check_summary();
}
