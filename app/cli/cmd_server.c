/* cmd_server.c — `itsearvio server ACTION`: the central server's commands (app/server).
 * Messages go to stderr; `enroll` prints the token alone as the last line of stdout. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "server.h"

static const char help[] =
    "usage: itsearvio server migrate  --dsn DSN\n"
    "       itsearvio server team-add --dsn DSN --team TEAM --keys-from WORKER_DIR\n"
    "       itsearvio server enroll   --dsn DSN --team TEAM --site SITE\n"
    "       itsearvio server revoke   --dsn DSN --device DEVICE_ID\n"
    "       itsearvio server run      --dsn DSN --listen HOST:PORT --tls-cert FILE --tls-key FILE "
    "[--threads N]\n"
    "\n"
    "The central server stores sealed records it cannot open (docs/fleet-protocol.md).\n"
    "DSN is a libpq connection string, for example \"host=127.0.0.1 dbname=itsearvio "
    "user=itsearvio\".\n"
    "migrate creates or upgrades the schema (safe to run again); team-add registers a team with "
    "the\n"
    "signed keys bundle of a worker folder; enroll prints a one-time device token (24 hours) as "
    "the\n"
    "last line; revoke refuses a device from now on; run serves HTTPS until SIGTERM.";

typedef struct server_args {
    const char *dsn, *team, *keys_from, *site, *device, *listen, *cert, *key, *threads;
} server_args;

static int fail(const char *action, const its_err *err)
{
    fprintf(stderr, "itsearvio server %s: %s\n", action, err->msg);
    return 1;
}

/* Says which option is missing; returns true when all named ones are there. */
static bool need(const char *action, const char *const *values, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!values[i]) {
            fprintf(stderr, "itsearvio server %s: give %s (see --help)\n", action, names[i]);
            return false;
        }
    return true;
}

static int run_action(const char *action, const server_args *a)
{
    its_err err;
    if (!strcmp(action, "migrate")) {
        int from, to;
        if (server_migrate(a->dsn, &from, &to, &err) != 0)
            return fail(action, &err);
        if (from == to)
            fprintf(stderr, "Schema is at version %d; nothing to do.\n", to);
        else
            fprintf(stderr, "Schema upgraded from version %d to %d.\n", from, to);
        return 0;
    }
    if (!strcmp(action, "team-add")) {
        if (!need(action, (const char *[]){a->team, a->keys_from},
                  (const char *[]){"--team", "--keys-from"}, 2))
            return 2;
        if (server_team_add(a->dsn, a->team, a->keys_from, &err) != 0)
            return fail(action, &err);
        fprintf(stderr, "Team %s is registered with the keys of %s.\n", a->team, a->keys_from);
        return 0;
    }
    if (!strcmp(action, "enroll")) {
        char token[40];
        if (!need(action, (const char *[]){a->team, a->site}, (const char *[]){"--team", "--site"},
                  2))
            return 2;
        if (server_enroll(a->dsn, a->team, a->site, token, &err) != 0)
            return fail(action, &err);
        fprintf(stderr,
                "One-time enrolment token for team %s, site %s (works once, for 24 hours):\n",
                a->team, a->site);
        printf("%s\n", token);
        return 0;
    }
    if (!strcmp(action, "revoke")) {
        if (!need(action, (const char *[]){a->device}, (const char *[]){"--device"}, 1))
            return 2;
        if (server_revoke(a->dsn, a->device, &err) != 0)
            return fail(action, &err);
        fprintf(stderr, "Device %s is revoked: its uploads are refused from now on.\n", a->device);
        return 0;
    }
    if (!strcmp(action, "run")) {
        if (!need(action, (const char *[]){a->listen, a->cert, a->key},
                  (const char *[]){"--listen", "--tls-cert", "--tls-key"}, 3))
            return 2;
        int threads = a->threads ? cli_parse_int(a->threads, 1, 64) : 0;
        if (threads < 0) {
            fprintf(stderr, "itsearvio server run: --threads takes 1 to 64\n");
            return 2;
        }
        server_opts o = {a->dsn, a->listen, a->cert, a->key, threads, stderr};
        return server_run(&o, &err) == 0 ? 0 : fail(action, &err);
    }
    fprintf(stderr, "itsearvio server: unknown action '%s' (see --help)\n", action);
    return 2;
}

int cmd_server(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        puts(help);
        return argc < 2 ? 2 : 0;
    }
    server_args a = {0};
    const cli_opt opts[] = {
        {"--dsn", &a.dsn},       {"--team", &a.team},     {"--keys-from", &a.keys_from},
        {"--site", &a.site},     {"--device", &a.device}, {"--listen", &a.listen},
        {"--tls-cert", &a.cert}, {"--tls-key", &a.key},   {"--threads", &a.threads},
    };
    const char *words[1];
    int n_words = 0;
    if (cli_parse(argc - 1, argv + 1, opts, sizeof opts / sizeof opts[0], NULL, 0, words, 1,
                  &n_words) != 0)
        return 2;
    if (!a.dsn) {
        fprintf(stderr, "itsearvio server %s: give the database with --dsn DSN\n", argv[1]);
        return 2;
    }
    return run_action(argv[1], &a);
}
