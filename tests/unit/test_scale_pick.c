/* test_scale_pick.c — which answer a typed number picks (issue 17 point 7), on the real
 * questionnaires/oma-tilanne.json and whodas36-style.json: statements by place (the scale lists
 * 4 first, so "1" is "Pitää täysin paikkansa", not the value 1), 0-10 keys by value, up to 10,
 * multi-choice by place, a number scale never. */
#include <stdlib.h>

#include "check.h"
#include "result_read.h"

static qn *load(const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/questionnaires/%s", getenv("ITS_SOURCE_DIR"), file);
    return load_questionnaire_file(path);
}

static const qn_scale *scale_of(const qn *q, const char *item)
{
    return &q->scales[q->items[qn_item_index(q, item)].scale];
}

int main(void)
{
    qn *oma = load("oma-tilanne.json"), *w36 = load("whodas36-style.json");
    if (!CHECK(oma && w36))
        return check_summary();
    const qn_scale *statement = scale_of(oma, "O1"), *row = scale_of(oma, "WA");
    const qn_scale *change = scale_of(oma, "CHANGE"), *days = scale_of(w36, "H1");
    /* by place: the first button is 1, whatever its value */
    CHECK_EQ_INT(qn_scale_pick(statement, 1, false), 0);
    CHECK_EQ_INT(statement->options[0].value, 4);
    CHECK_EQ_INT(qn_scale_pick(statement, 5, false), 4);
    CHECK_EQ_INT(qn_scale_pick(statement, 6, false), -1);
    CHECK_EQ_INT(qn_scale_pick(statement, 0, false), -1);
    CHECK_EQ_INT(qn_scale_pick(change, 8, false), 7);
    /* by value on the 0-10 row, 10 included */
    CHECK_EQ_INT(row->options[qn_scale_pick(row, 0, true)].value, 0);
    CHECK_EQ_INT(row->options[qn_scale_pick(row, 10, true)].value, 10);
    CHECK_EQ_INT(qn_scale_pick(row, 11, true), -1);
    CHECK_EQ_INT(qn_scale_pick(days, 3, true), -1);
    CHECK_EQ_INT(qn_scale_pick(days, 3, false), -1);
    qn_free(oma);
    qn_free(w36);
    return check_summary();
}
