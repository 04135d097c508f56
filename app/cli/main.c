/* main.c — itsearvio: dispatches to the subcommands listed below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static const cli_command commands[] = {
    {"check", cmd_check, "validate questionnaire files (file:line:column: message)"},
    {"score", cmd_score, "score answer files or an answer string, print JSON or a table"},
    {"init", cmd_init, "create a data folder: config, keys, database (--demo for a demo folder)"},
    {"demo", cmd_demo, "store synthetic assessments through the kiosk's sealing path"},
    {"list", cmd_list, "list assessments (worker): filters, flagged first, counts"},
    {"show", cmd_show, "one assessment in words: flags and reasons, scores, answers"},
    {"trend", cmd_trend, "one client's assessments over time: change and new flags"},
    {"note", cmd_note, "agree or disagree with a flag, with a short note (sealed)"},
    {"consent", cmd_consent, "record that a client withdrew research consent on an assessment"},
    {"referral", cmd_referral, "record a referral decision or outcome on a flagged assessment"},
    {"due", cmd_due, "clients due, due soon or overdue for reassessment"},
    {"export", cmd_export, "export assessments as CSV, FHIR R4 JSON or a PDF report"},
    {"report", cmd_report, "the programme's anonymous report (CSV or PDF), small counts suppressed"},
    {"programme", cmd_programme, "make the programme key, or give a data folder its public half"},
    {"audit", cmd_audit, "verify (or list) the hash-chained audit log"},
    {"retention", cmd_retention, "delete records older than N days (logged)"},
    {"passwd", cmd_passwd, "change the worker passphrase"},
    {"sync", cmd_sync, "upload the results waiting on an enrolled kiosk or tablet"},
    {"pull", cmd_pull, "fetch the team's sealed results from the server (worker station)"},
    {"team", cmd_team, "team keys: create, fingerprint, add-member, remove-member (new epoch)"},
    {"recovery", cmd_recovery, "recovery drill: open every record with the recovery key, count"},
    {"kiosk", cmd_kiosk, "the client's touchscreen at the clinic (full screen, locked)"},
    {"tablet", cmd_tablet, "the same on a loaned tablet (drafts resume for hours)"},
    {"worker", cmd_wui, "the worker's screens: unlock, list, one assessment, trend, export"},
    {"server", cmd_server, "the central server: migrate, team-add, enroll, revoke, run"},
};

static void usage(FILE *to)
{
    fprintf(to, "usage: itsearvio COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(to, "\n`itsearvio COMMAND --help` describes one command.\n");
}

int main(int argc, char **argv)
{
    /* The process may hold a worker key or answers: no core dumps, no ptrace by others. */
    its_err err;
    if (store_harden_process(&err) != 0)
        fprintf(stderr, "itsearvio: warning: %s\n", err.msg);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "itsearvio: unknown command '%s'\n", cli_safe(argv[1]));
    usage(stderr);
    return 2;
}
