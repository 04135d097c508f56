/* cmd_check.c — `itsearvio check FILE…`: validates questionnaire files (and clinic flag-rule
 * override files with --rules) and prints every problem as file:line:column: message. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "qn.h"

static const char *const check_help =
    "usage: itsearvio check FILE... [--rules OVERRIDE.json] [--lang fi|sv|en]\n\n"
    "Validates questionnaire files. Every problem is printed as file:line:column: message\n"
    "(in English, as the questionnaire format's reference is); a valid file is named with its\n"
    "counts in the reader's language (--lang, else $LANG, else fi).\n"
    "With --rules, also checks a clinic's flag-rule file against each questionnaire.\n"
    "Exit status: 0 all files valid, 1 a problem was found, 2 usage error.";

static int check_one(const char *path, const char *rules, const char *lang)
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
        char items[16], scores[16], rules_n[16];
        snprintf(items, sizeof items, "%d", q->n_items);
        snprintf(scores, sizeof scores, "%d", q->n_scores);
        snprintf(rules_n, sizeof rules_n, "%d", q->n_rules);
        printf("%s\n", cli_say(lang, "cli_check_ok", path, q->id, q->version, items, scores, rules_n,
                               (const char *)NULL));
        for (int i = 0; i < q->n_langs; i++) /* loads, but a client never sees it (certify.h) */
            if (q->unreviewed[i])
                printf("%s\n", cli_say(lang, "cli_check_unreviewed", path, q->langs[i],
                                       (const char *)NULL));
    }
    qn_report_free(&report);
    qn_free(q);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts(check_help);
        return 0;
    }
    const char *rules = NULL, *lang = NULL, *files[256];
    int n_files = 0;
    const cli_opt opts[] = {{"--rules", &rules}, {"--lang", &lang}};
    if (cli_parse(argc, argv, opts, 2, NULL, 0, files, 256, &n_files) != 0)
        return 2;
    if (n_files == 0) {
        fprintf(stderr, "itsearvio check: name at least one questionnaire file (see --help)\n");
        return 2;
    }
    lang = cli_lang(lang, NULL);
    int rc = 0;
    for (int i = 0; i < n_files; i++)
        rc |= check_one(files[i], rules, lang);
    return rc;
}
