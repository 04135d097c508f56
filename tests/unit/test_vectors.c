/* Reads the published scoring vectors (tests/fixtures/vectors/whodas-vectors.csv, a copy kept in
 * the repository with its source in SOURCE.md beside it, or the file in $ITS_VECTORS) at test
 * time and checks every row against the bundled questionnaires to four decimals.
 * NOT_SCORED rows must be refused with a reason.
 * usage: test_vectors QUESTIONNAIRE_36.json QUESTIONNAIRE_12.json */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "result_read.h"

enum { COLS = 9 };

static int split_csv(char *line, char *cols[COLS])
{
    int n = 0;
    cols[n++] = line;
    for (char *p = line; *p && n < COLS; p++)
        if (*p == ',') {
            *p = '\0';
            cols[n++] = p + 1;
        }
    char *nl = strpbrk(cols[n - 1], "\r\n");
    if (nl)
        *nl = '\0';
    return n;
}

static void check_number(const char *row, const char *what, json_t *got, const char *expected)
{
    if (!expected[0])
        return;
    if (!json_is_number(got)) {
        fprintf(stderr, "%s: %s missing, expected %s\n", row, what, expected);
        CHECK(0);
        return;
    }
    double want = strtod(expected, NULL);
    if (!CHECK(fabs(json_number_value(got) - want) < 0.00005 + 1e-9))
        fprintf(stderr, "%s: %s = %.4f, expected %s\n", row, what, json_number_value(got), expected);
}

/* "1=0.0000 2=..." against result["domains_irt"], both ways. */
static void check_domains(const char *row, json_t *domains, char *expected)
{
    if (!expected[0])
        return;
    size_t listed = 0;
    for (char *tok = expected; *tok;) {
        char *end = tok + strcspn(tok, " ");
        char save = *end;
        *end = '\0';
        char *eq = strchr(tok, '=');
        if (CHECK(eq != NULL)) {
            *eq = '\0';
            char what[64];
            snprintf(what, sizeof what, "domain %s", tok);
            check_number(row, what, json_object_get(domains, tok), eq + 1);
            listed++;
        }
        *end = save;
        tok = end + (save ? 1 : 0);
    }
    if (!CHECK(json_object_size(domains) == listed))
        fprintf(stderr, "%s: %zu domain scores computed, %zu expected\n", row,
                json_object_size(domains), listed);
}

static void check_row(const qn *q, char *cols[COLS])
{
    const char *row = cols[0];
    int works = !strcmp(cols[3], "works") ? 1 : !strcmp(cols[3], "no") ? 0 : -1;
    qn_session s;
    its_err err;
    if (!CHECK(session_init(&s, q, &err) == 0))
        return;
    if (!CHECK(session_from_notation(&s, cols[2], works, &err) == 0)) {
        fprintf(stderr, "%s: %s\n", row, err.msg);
        session_wipe(&s);
        return;
    }
    json_t *r = result_build(&s, NULL, NULL, 0, 0, &err);
    result_add_summary(r, q);
    bool refused = !strcmp(cols[4], "NOT_SCORED") || !strcmp(cols[6], "NOT_SCORED");
    const char *status = json_string_value(json_object_get(r, "status"));
    if (refused) {
        if (!CHECK(!strcmp(status, "not_scored")))
            fprintf(stderr, "%s: expected NOT_SCORED, got %s\n", row, status);
        const char *reason = json_string_value(json_object_get(r, "reason"));
        CHECK(reason && strlen(reason) > 10);
        printf("%-26s refused: %s\n", row, reason ? reason : "(no reason)");
    } else {
        CHECK_EQ_STR(status, "scored");
        check_number(row, "overall_irt", json_object_get(r, "overall_irt"), cols[4]);
        check_domains(row, json_object_get(r, "domains_irt"), cols[5]);
        check_number(row, "simple_sum", json_object_get(r, "simple_sum"), cols[6]);
        check_number(row, "simple_percent", json_object_get(r, "simple_percent"), cols[7]);
        printf("%-26s checked\n", row);
    }
    json_decref(r);
    session_wipe(&s);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_vectors Q36.json Q12.json\n");
        return 2;
    }
    char path[1024];
    const char *env = getenv("ITS_VECTORS");
    snprintf(path, sizeof path, "%s", env ? env : "");
    if (!env)
        snprintf(path, sizeof path, "%s/tests/fixtures/vectors/whodas-vectors.csv",
                 getenv("ITS_SOURCE_DIR") ? getenv("ITS_SOURCE_DIR") : ".");
    FILE *f = fopen(path, "r");
    if (!CHECK(f != NULL)) {
        fprintf(stderr, "cannot open the vectors file %s (set ITS_VECTORS)\n", path);
        return check_summary();
    }
    qn *q36 = load_questionnaire_file(argv[1]), *q12 = load_questionnaire_file(argv[2]);
    CHECK(q36 && q12);
    char line[4096];
    int rows = 0;
    while (q36 && q12 && fgets(line, sizeof line, f)) {
        char *cols[COLS];
        if (!strncmp(line, "name,", 5) || split_csv(line, cols) != COLS)
            continue;
        check_row(!strcmp(cols[1], "12") ? q12 : q36, cols);
        rows++;
    }
    fclose(f);
    printf("%d vector rows\n", rows);
    CHECK(rows >= 16);
    qn_free(q36);
    qn_free(q12);
    return check_summary();
}
