/* cli.h — the subcommands of the itsearvio executable and the little they share.
 *
 * Each subcommand is `int cmd_NAME(int argc, char **argv)` with argv[0] the subcommand name,
 * returns the process exit code (0 ok, 1 a problem found or refused, 2 usage) and prints plain
 * messages to stderr. Library code below never prints or exits; only this layer does. */
#ifndef ITS_CLI_H
#define ITS_CLI_H

#include <stdbool.h>

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_command;

/* Returns the value of `--name VALUE` or `--name=VALUE` at argv[*i] and advances *i; NULL if
 * argv[*i] is not that option. Prints a usage error and sets *bad when the value is missing. */
const char *cli_option(int argc, char **argv, int *i, const char *name, bool *bad);

/* True if argv has -h or --help. */
bool cli_wants_help(int argc, char **argv);

/* The folder with assets/, questionnaires/ and locale/: $ITSEARVIO_DATA or the build default. */
const char *cli_data_dir(void);

/* Formats seconds since 1970 as ISO 8601 UTC: "2025-01-31T09:05:00Z". */
void cli_iso_time(long long t, char out[32]);

int cmd_check(int argc, char **argv);
int cmd_score(int argc, char **argv);
/* storage commands (cmd_store.c, cmd_demo.c) */
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_passwd(int argc, char **argv);
/* the client touchscreen (cmd_kiosk.c) */
int cmd_kiosk(int argc, char **argv);
int cmd_tablet(int argc, char **argv);

#endif
