/* Issue 14, points 6 and 7, on the bundled WHODAS-style questionnaires:
 * - the days questions: H2 + H3 over 30 and H2 over H1 are answer checks that warn (never block),
 *   judged only when the days concerned have values, worded for the worker with the numbers;
 * - the items whose wording the clinical review corrected measure what the original measures,
 *   in fi, sv and en, in every file that has them (the 36- and the 12-item);
 * - the loader refuses a check or a crisis condition it could not judge, with its place. */
#include <jansson.h>
#include <stdlib.h>

#include "answercheck.h"
#include "check.h"
#include "result_read.h"

static qn *bundled(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/questionnaires/%s", getenv("ITS_SOURCE_DIR"), name);
    return load_questionnaire_file(path);
}

/* Sets H1..H3 (-1: not answered, -2: refused) and returns the failed checks' ids:
 * "days_total days_unable". */
static const char *failed(const qn *q, int h1, int h2, int h3, char *out, size_t n)
{
    qn_session s;
    its_err err;
    out[0] = '\0';
    if (session_init(&s, q, &err) != 0)
        return out;
    const int days[3] = {h1, h2, h3};
    const char *ids[3] = {"H1", "H2", "H3"};
    for (int k = 0; k < 3; k++) {
        qn_answer a = {days[k] >= 0 ? QN_ANS_VALUE : days[k] == -2 ? QN_ANS_REFUSED : QN_ANS_NONE,
                       days[k] >= 0 ? days[k] : 0};
        CHECK(session_set(&s, qn_item_index(q, ids[k]), a, &err) == 0);
    }
    answercheck_hit hits[4];
    int n_hits = answercheck_run(&s, hits, 4);
    for (int i = 0; i < n_hits; i++)
        its_appendf(out, n, "%s%s", i ? " " : "", q->checks[hits[i].check].id);
    session_wipe(&s);
    return out;
}

static void test_days(const qn *q)
{
    char b[64];
    CHECK_EQ_STR(failed(q, 20, 10, 20, b, sizeof b), "");              /* 30 exactly: fine */
    CHECK_EQ_STR(failed(q, 20, 10, 21, b, sizeof b), "days_total");    /* 31 */
    CHECK_EQ_STR(failed(q, 10, 10, 0, b, sizeof b), "");               /* H2 = H1: fine */
    CHECK_EQ_STR(failed(q, 10, 11, 0, b, sizeof b), "days_unable");
    CHECK_EQ_STR(failed(q, 0, 30, 30, b, sizeof b), "days_total days_unable");
    CHECK_EQ_STR(failed(q, -1, 30, 30, b, sizeof b), "days_total");    /* H1 unanswered */
    CHECK_EQ_STR(failed(q, -2, 30, -2, b, sizeof b), "");              /* refused: nothing to judge */
    CHECK_EQ_STR(failed(q, 30, 30, 0, b, sizeof b), "");
    int h1 = qn_item_index(q, "H1"), h2 = qn_item_index(q, "H2"), h3 = qn_item_index(q, "H3");
    int total = 0, unable = 1;
    CHECK(answercheck_names_item(q, total, h2) && answercheck_names_item(q, total, h3) &&
          !answercheck_names_item(q, total, h1));
    CHECK(answercheck_names_item(q, unable, h1) && answercheck_names_item(q, unable, h2) &&
          !answercheck_names_item(q, unable, h3));
    answercheck_hit h = {.check = total, .sum = 35, .limit = 30};
    char words[256];
    answercheck_words(q, &h, qn_lang_index(q, "sv"), words, sizeof words);
    CHECK_EQ_STR(words, "Mer än 30 dagar sammanlagt: H2 + H3 = 35 > 30");
    h = (answercheck_hit){.check = unable, .sum = 12, .limit = 4};
    answercheck_words(q, &h, qn_lang_index(q, "en"), words, sizeof words);
    CHECK_EQ_STR(words, "More days fully unable than days with difficulties: H2 = 12 > H1 = 4");
    for (int c = 0; c < q->n_checks; c++) /* the client's words are gentle: they may go on */
        CHECK(strstr(q->checks[c].text.s[0], "jatkaa") && strstr(q->checks[c].text.s[2], "go on"));
}

/* The item's text in language index lang contains every part of `parts` ("a|b") and none of
 * `never`. */
static void wording(const qn *q, const char *id, int lang, const char *parts, const char *never)
{
    int i = qn_item_index(q, id);
    if (!CHECK(i >= 0))
        return;
    const char *text = q->items[i].text.s[lang];
    char buf[256];
    its_strlcpy(buf, parts, sizeof buf);
    for (char *p = buf, *bar; p; p = bar ? bar + 1 : NULL) {
        bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        if (!CHECK(strstr(text, p) != NULL))
            fprintf(stderr, "  %s (%s): \"%s\" lacks \"%s\"\n", id, q->langs[lang], text, p);
    }
    if (never && !CHECK(strstr(text, never) == NULL))
        fprintf(stderr, "  %s (%s): \"%s\" has \"%s\"\n", id, q->langs[lang], text, never);
}

/* What each corrected item must say (and must not), per language: fi, sv, en. */
static const struct {
    const char *id, *parts[3], *never[3];
} corrected[] = {
    /* D1.4 learning a new task: finding the way to a new place, no phone or other device */
    {"D1.4", {"oppia|löytämään perille", "lära dig|hitta till", "learn|find your way"},
     {"puhelin", "telefon", "phone"}},
    /* D4.2 keeping up a friendship */
    {"D4.2", {"ystävyyttä", "vänskap", "friendship"}, {NULL, NULL, NULL}},
    /* D4.5 sexual activity, nothing added */
    {"D4.5", {"seksiä", "sex", "sex"}, {"läheisyy", "närhet", "closeness"}},
    /* D6.1 "in the same way as others" in the question itself */
    {"D6.1", {"kuten muut", "på samma sätt som andra", "in the same way as other people"},
     {NULL, NULL, NULL}},
    /* D6.3 others' attitudes limiting a life with dignity, not "treated badly" */
    {"D6.3", {"arvokkaasti|asenteiden", "värdigt liv|attityder", "dignity|attitudes"},
     {"huonosti", "illa", "badly"}},
    /* D6.4 how much time health takes (on a how-much scale, below) */
    {"D6.4", {"Kuinka paljon aikaa", "Hur mycket tid", "How much time"}, {"vaikeaa", "svårt", "hard"}},
    /* D6.8 relaxation or pleasure by yourself */
    {"D6.8", {"omin päin|rentoutua", "på egen hand|vila", "by yourself|relax"}, {NULL, NULL, NULL}},
};

static void test_wording_36(const qn *q)
{
    for (size_t k = 0; k < sizeof corrected / sizeof corrected[0]; k++)
        for (int lang = 0; lang < 3; lang++)
            wording(q, corrected[k].id, lang, corrected[k].parts[lang], corrected[k].never[lang]);
    int d64 = qn_item_index(q, "D6.4");
    if (CHECK(d64 >= 0)) {
        CHECK_EQ_STR(qn_option_label(q, d64, 4, 0), "Erittäin paljon");
        CHECK(q->scales[q->items[d64].scale].min == 0 && q->scales[q->items[d64].scale].max == 4);
    }
}

/* The 12-item has D1.4 (S3), D4.2 (S11) and D6.1 (S4) as the same items. */
static void test_wording_12(const qn *q12, const qn *q36)
{
    static const char *const same[][2] = {{"S3", "D1.4"}, {"S11", "D4.2"}, {"S4", "D6.1"}};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
        int a = qn_item_index(q12, same[k][0]), b = qn_item_index(q36, same[k][1]);
        for (int l = 0; CHECK(a >= 0 && b >= 0) && l < 3; l++)
            CHECK_EQ_STR(q12->items[a].text.s[l], q36->items[b].text.s[l]);
        if (a < 0 || b < 0)
            break;
    }
}

/* Swedish severe and extreme answers differ clearly; Finnish and English too. */
static void test_anchors(const qn *q)
{
    for (int s = 0; s < q->n_scales; s++) {
        const qn_scale *sc = &q->scales[s];
        if (strncmp(sc->id, "difficulty", 10) != 0)
            continue;
        int sv = qn_lang_index(q, "sv");
        CHECK_EQ_STR(sc->options[3].label.s[sv], "Mycket svårt");
        CHECK_EQ_STR(sc->options[4].label.s[sv], "Extremt svårt eller jag kan inte");
        for (int i = 0; i < q->n_items; i++) /* help texts name the anchor as it reads */
            CHECK(!q->items[i].help.s[sv] || !strstr(q->items[i].help.s[sv], "Väldigt"));
    }
}

static void refused(const char *what, const char *json, const char *message)
{
    qn_report r = {0};
    qn *q = qn_load_buffer(what, json, strlen(json), &r);
    CHECK(q == NULL);
    bool found = false;
    for (int i = 0; i < r.n; i++)
        found |= strstr(r.problems[i].msg, message) != NULL;
    if (!CHECK(found))
        for (int i = 0; i < r.n; i++)
            fprintf(stderr, "  %s: %d:%d %s\n", what, r.problems[i].line, r.problems[i].column,
                    r.problems[i].msg);
    qn_free(q);
    qn_report_free(&r);
}

#define HEAD                                                                                       \
    "{\"format\": \"itsearvio-questionnaire/1\", \"id\": \"t\", \"version\": \"1\", \"languages\": " \
    "[\"en\"], \"title\": {\"en\": \"T\"}, \"intro\": {\"en\": \"I\"}, \"recall\": {\"en\": \"R\"}, " \
    "\"scales\": [{\"id\": \"d\", \"kind\": \"number\", \"min\": 0, \"max\": 30}, {\"id\": \"m\", "   \
    "\"kind\": \"multi\", \"options\": [{\"value\": 1, \"label\": {\"en\": \"A\"}}]}], \"items\": "    \
    "[{\"id\": \"A\", \"scale\": \"d\", \"text\": {\"en\": \"a\"}, \"short\": {\"en\": \"a\"}}, "     \
    "{\"id\": \"B\", \"scale\": \"m\", \"recall\": false, \"text\": {\"en\": \"b\"}, \"short\": "     \
    "{\"en\": \"b\"}}], \"scores\": [{\"id\": \"s\", \"label\": {\"en\": \"S\"}, \"method\": "         \
    "\"item\", \"items\": [\"A\"]}]"
#define TEXTS "\"text\": {\"en\": \"t\"}, \"short\": {\"en\": \"s\"}"

static void test_loader(void)
{
    const char *good = HEAD ", \"checks\": [{\"id\": \"c\", \"sum\": [\"A\"], \"at_most\": 9, " TEXTS
                            "}], \"crisis_help\": {\"when\": {\"score\": \"s\", \"at_most\": 1}, "
                            "\"text\": {\"en\": \"Call 112.\"}}}";
    qn_report r = {0};
    qn *q = qn_load_buffer("good", good, strlen(good), &r);
    if (CHECK(q)) {
        CHECK(q->n_checks == 1 && q->checks[0].at_most == 9 && q->has_crisis);
        CHECK(!q->items[0].no_recall && q->items[1].no_recall);
    }
    qn_free(q);
    qn_report_free(&r);
    refused("both",
            HEAD ", \"checks\": [{\"id\": \"c\", \"sum\": [\"A\"], \"at_most\": 9, \"than\": [\"A\"], "
            TEXTS "}]}",
            "exactly one of \"at_most\"");
    refused("multi", HEAD ", \"checks\": [{\"id\": \"c\", \"sum\": [\"B\"], \"at_most\": 9, " TEXTS "}]}",
            "cannot be added up");
    refused("unknown", HEAD ", \"checks\": [{\"id\": \"c\", \"sum\": [\"Z\"], \"at_most\": 9, " TEXTS "}]}",
            "unknown item \"Z\"");
    refused("change", HEAD ", \"crisis_help\": {\"when\": {\"change\": \"s\", \"worse_by_at_least\": 1}, "
                      "\"text\": {\"en\": \"x\"}}}",
            "may not use \"change\"");
    refused("no text", HEAD ", \"crisis_help\": {\"when\": {\"score\": \"s\", \"at_most\": 1}}}",
            "\"text\"");
}

int main(void)
{
    qn *q36 = bundled("whodas36-style.json"), *q12 = bundled("whodas12-style.json");
    if (!CHECK(q36 && q12))
        return check_summary();
    CHECK_EQ_STR(q36->version, "1.1.0");
    CHECK_EQ_STR(q12->version, "1.1.0");
    test_days(q36);
    test_days(q12);
    test_wording_36(q36);
    test_wording_12(q12, q36);
    test_anchors(q36);
    test_anchors(q12);
    test_loader();
    qn_free(q36);
    qn_free(q12);
    return check_summary();
}
