/* The catalogue of words: every key of locale/fi.json, sv.json and en.json is in the other two
 * with the same placeholders (a missing word fails here, not in front of a worker); the one score
 * formatter; errors in the reader's language by key, by code, and the log sentence as a last
 * resort; every reason a score is not computed for, with its arguments, and a stored result's
 * English reason when it has no code. Reads the repository's locale/ ($ITS_SOURCE_DIR). */
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "result.h"
#include "score.h"
#include "words.h"

static void test_languages_complete(const words_catalogue *w)
{
    static const char *const langs[] = {"fi", "sv", "en"};
    its_err err = {0};
    int rc = words_check(w, langs, 3, &err);
    if (rc != 0)
        fprintf(stderr, "locale: %s\n", err.msg);
    CHECK_EQ_INT(rc, 0);
    CHECK_EQ_STR(words_left_out(w), "");
}

/* Every further language in locale/ that clients are offered (a clinic's certified pack) has
 * every key a client reads; the worker's side falls back to Finnish. The unreviewed test-only
 * Arabic may lag behind when a key is added to fi, sv and en (a note, and those words read in
 * Finnish on its screenshots), but a key it has must agree with Finnish. Only the program's own
 * languages and certified ones are offered; the machine-made Arabic only with the test switch,
 * and it runs right to left. */
static void test_further_languages(const words_catalogue *w)
{
    const char *const *codes;
    int n = words_langs(w, &codes);
    for (int i = 3; i < n; i++) {
        its_err err = {0};
        bool offered = words_offered(w, codes[i], false, &err) == 0;
        int rc = words_check_client(w, codes[i], false, &err);
        if (rc != 0 && !offered) {
            fprintf(stderr, "note (unreviewed, not failed): %s\n", err.msg);
            rc = words_check_client(w, codes[i], true, &err);
        }
        if (rc != 0)
            fprintf(stderr, "locale: %s\n", err.msg);
        CHECK_EQ_INT(rc, 0);
    }
    its_err err = {0};
    CHECK(words_offered(w, "fi", false, &err) == 0 && words_offered(w, "en", false, &err) == 0);
    CHECK(words_offered(w, "ar", false, &err) != 0);
    CHECK(strstr(err.msg, "ar.json: the ar translation is marked as not reviewed") != NULL);
    CHECK(words_offered(w, "ar", true, &err) == 0);
    CHECK(words_rtl(w, "ar") && !words_rtl(w, "fi") && !words_rtl(w, "sv"));
}

static void test_score(const words_catalogue *w)
{
    char s[64];
    words_score(w, "fi", s, sizeof s, 38, 48, WORDS_SCORE_PERCENT);
    CHECK_EQ_STR(s, "38/48 (79 %)");
    words_score(w, "en", s, sizeof s, 40.55, 100, WORDS_SCORE_PLAIN);
    CHECK_EQ_STR(s, "40.5/100");
    words_score(w, "sv", s, sizeof s, 40.55, 100, WORDS_SCORE_PLAIN);
    CHECK_EQ_STR(s, "40,5/100");
    words_score(w, "fi", s, sizeof s, 6, 10, WORDS_SCORE_PLAIN);
    CHECK_EQ_STR(s, "6/10");
    words_score(w, "fi", s, sizeof s, 12.34, 0, WORDS_SCORE_PERCENT); /* no top: the value alone */
    CHECK_EQ_STR(s, "12,3");
}

static void test_errors(const words_catalogue *w)
{
    char s[300];
    its_err err = {0};
    its_fail_code(&err, ITS_E_WRONG_PASSPHRASE, "The passphrase is wrong.");
    words_error(w, "fi", &err, s, sizeof s);
    CHECK_EQ_STR(s, "Väärä tunnuslause.");
    its_fail_key(&err, ITS_E_LOCKED_OUT, "err_locked_out", "30", "Locked: wait %d s.", 30);
    words_error(w, "sv", &err, s, sizeof s);
    CHECK(strstr(s, "Vänta 30 sekunder") != NULL);
    CHECK(strstr(err.msg, "Locked: wait 30 s.") != NULL); /* the log keeps its sentence */
    its_fail(&err, "sqlite said no");                     /* no key, no code: the sentence, framed */
    CHECK(err.key == NULL);
    words_error(w, "fi", &err, s, sizeof s);
    CHECK(strstr(s, "sqlite said no") != NULL && strstr(s, "IT-tuelle") != NULL);
    its_fail_key(&err, ITS_E_OTHER, "no_such_key", "x", "plain");
    words_error(w, "en", &err, s, sizeof s); /* an unknown key: as without one */
    CHECK_EQ_STR(s, "That did not work: plain");
}

/* Every kind of failure a screen or command may be handed has its own words in fi, sv and en:
 * a new its_code without an err_* key (or with one a language lacks) fails here. */
static void test_every_code_has_words(const words_catalogue *w)
{
    static const char *const langs[] = {"fi", "sv", "en"};
    CHECK(words_error_key(ITS_E_NONE) == NULL);
    for (int c = ITS_E_NONE + 1; c < ITS_E_COUNT; c++) {
        const char *key = words_error_key((its_code)c);
        if (!CHECK(key != NULL && strncmp(key, "err_", 4) == 0)) {
            fprintf(stderr, "its_code %d has no err_* key (words_error_key)\n", c);
            continue;
        }
        for (int l = 0; l < 3; l++)
            if (!CHECK(words_has(w, langs[l], key)))
                fprintf(stderr, "locale/%s.json lacks %s (its_code %d)\n", langs[l], key, c);
    }
    /* a store failure reaches the reader in the reader's language, not as an English sentence */
    char s[300];
    its_err err = {0};
    its_fail_code(&err, ITS_E_NO_MEMORY, "Out of memory.");
    words_error(w, "sv", &err, s, sizeof s);
    CHECK(strstr(s, "Minnet tog slut") != NULL && strstr(s, "Out of memory") == NULL);
}

/* A score's reason through result_why_words, as the table, the worker's screens and show read it. */
static void why_words(const words_catalogue *w, const char *lang, const char *score_json, char *dst,
                      size_t n)
{
    json_t *score = json_loads(score_json, 0, NULL);
    CHECK(score != NULL);
    result_why_words(w, lang, score, dst, n);
    json_decref(score);
}

/* Every reason code has its words in fi, sv and en, and each puts every argument it names in
 * place: a new score_why without a wk_why_* key fails here, not in front of a worker. */
static void test_every_reason_has_words(const words_catalogue *w)
{
    static const char *const langs[] = {"fi", "sv", "en"}, *const args[] = {"7", "Q1, Q2", "55"};
    CHECK(score_why_code(SCORE_WHY_NONE) == NULL && score_why_code(SCORE_WHY_COUNT) == NULL);
    CHECK(score_why_from_code("from_a_newer_program") == SCORE_WHY_NONE);
    for (int c = SCORE_WHY_NONE + 1; c < SCORE_WHY_COUNT; c++) {
        const char *code = score_why_code((score_why)c);
        if (!CHECK(code != NULL && score_why_from_code(code) == (score_why)c))
            continue;
        char key[64], doc[256], s[300];
        snprintf(key, sizeof key, "wk_why_%s", code);
        snprintf(doc, sizeof doc,
                 "{\"reason\": \"stored sentence\", "
                 "\"why\": {\"code\": \"%s\", \"args\": [\"%s\", \"%s\", \"%s\"]}}",
                 code, args[0], args[1], args[2]);
        for (int l = 0; l < 3; l++) {
            if (!CHECK(words_has(w, langs[l], key))) {
                fprintf(stderr, "locale/%s.json lacks %s (score_why %d)\n", langs[l], key, c);
                continue;
            }
            why_words(w, langs[l], doc, s, sizeof s);
            CHECK(s[0] && !strchr(s, '{') && !strstr(s, "stored sentence"));
            for (int a = 0; a < 3; a++) {
                char mark[4] = {'{', (char)('1' + a), '}', '\0'};
                if (strstr(words_get(w, langs[l], key), mark) && !CHECK(strstr(s, args[a]) != NULL))
                    fprintf(stderr, "%s in %s: \"%s\" lacks %s\n", key, langs[l], s, args[a]);
            }
        }
    }
    char s[300];
    why_words(w, "sv", "{\"reason\": \"3 answers missing (S1, S3, S5); at most 2 allowed\", \"why\": "
                       "{\"code\": \"too_many_missing\", \"args\": [\"3\", \"S1, S3, S5\", \"2\"]}}",
              s, sizeof s);
    CHECK(!strcmp(s, "3 svar saknas (S1, S3, S5); högst 2 får saknas"));
    /* a record stored before reason codes, or by a newer program: its stored sentence */
    why_words(w, "sv", "{\"reason\": \"3 answers missing (S1); at most 2 allowed\"}", s, sizeof s);
    CHECK(!strcmp(s, "3 answers missing (S1); at most 2 allowed"));
    why_words(w, "sv", "{\"reason\": \"later\", \"why\": {\"code\": \"from_a_newer_program\"}}", s, sizeof s);
    CHECK(!strcmp(s, "later"));
    why_words(w, "fi", "{\"status\": \"not_scored\"}", s, sizeof s);
    CHECK(s[0] == '\0');
}

/* Every kind of broken JSON file has its words in fi, sv and en (`score`'s answers files); the
 * code is set as jansson's json_error_code() reads it. A real file's error names the same key. */
static void test_every_json_reason_has_words(const words_catalogue *w)
{
    static const char *const langs[] = {"fi", "sv", "en"};
    for (int c = json_error_unknown; c <= json_error_index_out_of_range; c++) {
        json_error_t je = {0};
        je.text[JSON_ERROR_TEXT_LENGTH - 1] = (char)c;
        const char *key = its_json_reason_key(&je);
        for (int l = 0; l < 3; l++)
            if (!CHECK(key && words_has(w, langs[l], key)))
                fprintf(stderr, "locale/%s.json lacks %s (json_error_code %d)\n", langs[l],
                        key ? key : "(no key)", c);
    }
    json_error_t je;
    CHECK(json_loads("{\"a\": 1, \"a\": 2}", JSON_REJECT_DUPLICATES, &je) == NULL);
    CHECK_EQ_STR(words_get(w, "sv", its_json_reason_key(&je)),
                 "samma nyckel finns två gånger i samma objekt");
}

static void test_lookup(const words_catalogue *w)
{
    char s[100];
    words_format(w, "sv", s, sizeof s, "progress", "3", "15", (const char *)NULL);
    CHECK_EQ_STR(s, "Fråga 3 / 15");
    CHECK_EQ_STR(words_get(w, "xx", "next"), "Seuraava"); /* an unknown language reads Finnish */
    CHECK_EQ_STR(words_get(w, "fi", "no_such_key"), "");  /* never the key itself */
    CHECK_EQ_STR(words_get(NULL, "fi", "next"), "");
    CHECK(words_has(w, "en", "ev_threshold"));
    CHECK(!words_has(w, "fi", "month_names")); /* empty in Finnish: dates as numbers */
}

/* A language file whose value is not a text is refused by name; Finnish is required. */
static void test_bad_files(void)
{
    char dir[] = "/tmp/its-words-XXXXXX", path[64];
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    snprintf(path, sizeof path, "%s/fi.json", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("{\"next\": \"Seuraava\", \"count\": 3}", f);
        fclose(f);
    }
    words_catalogue *w = NULL;
    its_err err = {0};
    CHECK(words_load(dir, &w, &err) != 0 && w == NULL);
    CHECK(strstr(err.msg, "\"count\" is not a text") != NULL);
    remove(path);
    CHECK(words_load(dir, &w, &err) != 0 && strstr(err.msg, "Finnish texts are missing") != NULL);
    rmdir(dir);
}

int main(void)
{
    const char *src = getenv("ITS_SOURCE_DIR");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/locale", src ? src : ".");
    words_catalogue *w = NULL;
    its_err err = {0};
    if (!CHECK(words_load(dir, &w, &err) == 0)) {
        fprintf(stderr, "%s\n", err.msg);
        return check_summary();
    }
    test_languages_complete(w);
    test_further_languages(w);
    test_score(w);
    test_errors(w);
    test_every_code_has_words(w);
    test_every_reason_has_words(w);
    test_every_json_reason_has_words(w);
    test_lookup(w);
    test_bad_files();
    words_free(w);
    return check_summary();
}
