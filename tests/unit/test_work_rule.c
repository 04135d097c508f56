/* The work rule (issue 18, docs/answers-format.md): the vectors' notation and an answers file
 * follow one rule for the work status and the work items D5.5-D5.8. Every combination of status
 * (given yes / given no / absent) and work answers (present / absent / partial) goes through both
 * inputs, which must agree: the same status, the same overall score and item set, or the same
 * refusal naming the hidden items. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "result_read.h"

enum { STATUS_YES, STATUS_NO, STATUS_ABSENT };
enum { WORK_PRESENT, WORK_ABSENT, WORK_PARTIAL };

/* What a combination must give: refused (naming `names`), or a status with value and item set. */
typedef struct expect {
    int status, work;
    const char *refused_names; /* NULL: accepted */
    const char *overall_status;
    double overall;            /* -1: no value */
    const char *item_set;
} expect;

static const char *work_tokens[] = {"4 4 4 4", "na na na na", "4 na na na"};

/* The notation: zeros everywhere but the work block (items 25-28 of 36). */
static void notation_of(int work, char *out, size_t n)
{
    snprintf(out, n, "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 %s 0 0 0 0 0 0 0 0",
             work_tokens[work]);
}

/* The same answers as a file's "answers" object: work items left out when absent. */
static json_t *answers_of(const qn *q, int status, int work)
{
    json_t *a = json_object();
    for (int i = 0; i < q->n_items; i++) {
        const char *id = q->items[i].id;
        if (!q->items[i].scored)
            continue;
        bool work_item = q->items[i].show_if.item >= 0;
        if (!work_item)
            json_object_set_new(a, id, json_integer(0));
        else if (work == WORK_PRESENT || (work == WORK_PARTIAL && !strcmp(id, "D5.5")))
            json_object_set_new(a, id, json_integer(4));
    }
    if (status != STATUS_ABSENT)
        json_object_set_new(a, "WORK", json_integer(status == STATUS_YES));
    return a;
}

/* Scores one input; returns the result, or NULL with the refusal in *err. */
static json_t *score_input(const qn *q, const expect *e, bool file, its_err *err)
{
    qn_session s;
    if (session_init(&s, q, err) < 0)
        return NULL;
    int rc;
    if (file) {
        json_t *a = answers_of(q, e->status, e->work);
        rc = session_from_answers(&s, a, err);
        json_decref(a);
    } else {
        char notation[256];
        notation_of(e->work, notation, sizeof notation);
        int works = e->status == STATUS_YES ? 1 : e->status == STATUS_NO ? 0 : -1;
        rc = session_from_notation(&s, notation, works, err);
    }
    json_t *r = rc == 0 ? result_build(&s, NULL, NULL, 0, 0, err) : NULL;
    session_wipe(&s);
    return r;
}

static const char *item_set_of(json_t *r)
{
    return json_string_value(json_object_get(json_object_get(json_object_get(r, "scores"), "overall"),
                                             "item_set"));
}

static void check_case(const qn *q, const expect *e)
{
    static const char *status_names[] = {"given yes", "given no", "absent"};
    static const char *work_names[] = {"present", "absent", "partial"};
    printf("status %s, work answers %s\n", status_names[e->status], work_names[e->work]);
    for (int file = 0; file <= 1; file++) {
        its_err err = {0};
        json_t *r = score_input(q, e, file, &err);
        if (e->refused_names) {
            CHECK(r == NULL);
            CHECK(strstr(err.msg, e->refused_names) != NULL);
            CHECK(strstr(err.msg, "does not work or study") != NULL);
            json_decref(r);
            continue;
        }
        if (!CHECK(r != NULL)) {
            fprintf(stderr, "  %s: %s\n", file ? "file" : "notation", err.msg);
            continue;
        }
        CHECK_EQ_STR(status_of(r, "overall"), e->overall_status);
        CHECK_NEAR(value_of(r, "overall"), e->overall, 1e-3);
        if (e->item_set)
            CHECK_EQ_STR(item_set_of(r), e->item_set);
        /* the stored answers say what was asked: the gate is kept, hidden items are "na" */
        json_t *answers = json_object_get(r, "answers");
        CHECK(json_is_integer(json_object_get(answers, "WORK")));
        if (e->item_set && !strcmp(e->item_set, "32"))
            CHECK_EQ_STR(json_string_value(json_object_get(answers, "D5.5")), "na");
        json_decref(r);
    }
}

int main(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/questionnaires/whodas36-style.json", getenv("ITS_SOURCE_DIR"));
    qn *q = load_questionnaire_file(path);
    if (!CHECK(q))
        return check_summary();
    /* 13.2075: the work-block-extreme vector (14 of 106 recoded points) */
    const expect cases[] = {
        {STATUS_YES, WORK_PRESENT, NULL, "ok", 13.2075, "36"},
        {STATUS_YES, WORK_ABSENT, NULL, "not_scored", -1, NULL},
        {STATUS_YES, WORK_PARTIAL, NULL, "not_scored", -1, NULL},
        {STATUS_NO, WORK_PRESENT, "D5.5, D5.6, D5.7, D5.8 have an answer", NULL, 0, NULL},
        {STATUS_NO, WORK_ABSENT, NULL, "ok", 0, "32"},
        {STATUS_NO, WORK_PARTIAL, "D5.5 has an answer", NULL, 0, NULL},
        {STATUS_ABSENT, WORK_PRESENT, NULL, "ok", 13.2075, "36"},
        {STATUS_ABSENT, WORK_ABSENT, NULL, "ok", 0, "32"},
        {STATUS_ABSENT, WORK_PARTIAL, NULL, "not_scored", -1, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(q, &cases[i]);
    qn_free(q);
    return check_summary();
}
