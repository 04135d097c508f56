/* cmd_check.c — `itsearvio check FILE…`: validates questionnaire files (and clinic flag-rule
 * override files with --rules) and prints every problem as file:line:column: message. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "qn.h"

static void help(void)
{
    puts("usage: itsearvio check FILE... [--rules OVERRIDE.json]\n\n"
         "Validates questionnaire files. Every problem is printed as file:line:column: message.\n"
         "With --rules, also checks a clinic's flag-rule file against each questionnaire.\n"
         "Exit status: 0 all files valid, 1 a problem was found, 2 usage error.");
}

static int check_one(const char *path, const char *rules)
{
    qn_report report = {0};
    qn *q = qn_load(path, &report);
    int rc = 0;
    if (!q) {
        qn_report_print(&report, path, stderr);
        rc = 1;
    } else if (rules && qn_load_rules_override(q, rules, &report) < 0) {
        qn_report_print(&report, rules, stderr);
        rc = 1;
    } else {
        printf("%s: ok (%s %s: %d items, %d scores, %d flag rules)\n", path, q->id, q->version,
               q->n_items, q->n_scores, q->n_rules);
    }
    qn_report_free(&report);
    qn_free(q);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    const char *rules = NULL;
    bool bad = false;
    int files = 0;
    for (int i = 1; i < argc && !bad; i++) {
        const char *v = cli_option(argc, argv, &i, "--rules", &bad);
        if (v)
            rules = v;
    }
    if (bad)
        return 2;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rules")) {
            i++;
            continue;
        }
        if (!strncmp(argv[i], "--rules=", 8))
            continue;
        if (argv[i][0] == '-') {
            fprintf(stderr, "itsearvio check: unknown option %s\n", cli_safe(argv[i]));
            return 2;
        }
        files++;
        rc |= check_one(argv[i], rules);
    }
    if (files == 0) {
        fprintf(stderr, "itsearvio check: name at least one questionnaire file\n");
        return 2;
    }
    return rc;
}
