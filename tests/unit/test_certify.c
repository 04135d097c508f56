/* test_certify.c — content packs (certify.h): a questionnaire language other than fi, sv and en
 * loads only with its certification record; one marked unreviewed loads but is never shown to a
 * client (the flow falls back to the first language) unless the test switch is set; a file
 * without a record is refused in one plain sentence. Works on the test-only Arabic questionnaire
 * tests/ui/fixtures/kiosk-ar.json, changed in memory. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "certify.h"
#include "check.h"
#include "flow.h"
#include "qn.h"

static json_t *fixture(void)
{
    const char *src = getenv("ITS_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/ui/fixtures/kiosk-ar.json", src ? src : ".");
    return json_load_file(path, 0, NULL);
}

/* Loads the fixture with "certification" set to `cert` (NULL: none); the first problem goes to
 * `why`. */
static qn *load_with(json_t *root, json_t *cert, char *why, size_t n)
{
    json_t *copy = json_deep_copy(root);
    if (cert)
        json_object_set_new(copy, "certification", cert);
    else
        json_object_del(copy, "certification");
    char *text = json_dumps(copy, 0);
    qn_report r = {0};
    qn *q = text ? qn_load_buffer("kiosk-ar.json", text, strlen(text), &r) : NULL;
    snprintf(why, n, "%s", r.n > 0 ? r.problems[0].msg : "");
    qn_report_free(&r);
    free(text);
    json_decref(copy);
    return q;
}

static int shown_lang(const qn *q, bool allow)
{
    static const char *const langs[] = {"fi", "ar"};
    flow_config c = {0};
    c.langs = langs;
    c.n_langs = 2;
    c.allow_unreviewed = allow;
    flow f;
    memset(&f, 0, sizeof f);
    f.c = &c;
    snprintf(f.lang, sizeof f.lang, "ar");
    return flow_qn_lang(&f, q);
}

int main(void)
{
    json_t *root = fixture();
    if (!CHECK(root != NULL))
        return check_summary();
    char why[512];

    /* as in the repository: marked unreviewed, so Finnish is shown unless the switch is set */
    qn *q = load_with(root, json_deep_copy(json_object_get(root, "certification")), why, sizeof why);
    if (CHECK(q != NULL)) {
        CHECK(q->unreviewed[1] && !q->unreviewed[0]);
        CHECK_EQ_INT(shown_lang(q, false), 0);
        CHECK_EQ_INT(shown_lang(q, true), 1);
        qn_free(q);
    }

    /* no record: the file is refused, in one sentence */
    q = load_with(root, NULL, why, sizeof why);
    CHECK(q == NULL);
    CHECK_EQ_STR(why, "The ar translation has no certification record (translator, reviewer and "
                      "date YYYY-MM-DD under \"certification\"), so it is not offered to clients.");
    qn_free(q);

    /* an incomplete record (no reviewer) is no record */
    q = load_with(root, json_pack("{s:{s:s, s:s}}", "ar", "translator", "A. Translator", "date",
                                  "2026-11-30"), why, sizeof why);
    CHECK(q == NULL);
    qn_free(q);

    /* certified: shown to clients without any switch */
    q = load_with(root, json_pack("{s:{s:s, s:s, s:s}}", "ar", "translator", "A. Translator",
                                  "reviewer", "B. Reviewer", "date", "2026-11-30"), why, sizeof why);
    if (CHECK(q != NULL)) {
        CHECK(!q->unreviewed[1]);
        CHECK_EQ_INT(shown_lang(q, false), 1);
        qn_free(q);
    }

    /* the record itself: the program's own languages need none; a bad date is no record */
    its_err err = {0};
    CHECK(certify_read(NULL, "x.json", "sv", &err) == CERTIFY_OK);
    json_t *bad = json_pack("{s:s, s:s, s:s}", "translator", "A", "reviewer", "B", "date", "30.11.2026");
    CHECK(certify_read(bad, "locale/ru.json", "ru", &err) == CERTIFY_MISSING);
    CHECK(strstr(err.msg, "locale/ru.json: the ru translation has no certification record") != NULL);
    json_decref(bad);
    json_decref(root);
    return check_summary();
}
