/* cmd_fleet.c — the device's and worker station's fleet commands: sync (upload the outbox of an
 * enrolled kiosk or tablet) and pull (a worker station fetches its team's sealed records), and
 * the enrolment branch of init (cmd_init calls cli_enrol). See docs/fleet-protocol.md. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli.h"
#include "link.h"
#include "store.h"

/* ---- enrolment (init --server) ------------------------------------------------------------- */

int cli_enrol(const char *dir, const char *mode, const char *server, const char *ca, const char *token,
              const char *device, bool force)
{
    link_enrol_opts o = {STORE_KIOSK, dir, server, ca, token, device, force};
    if (mode && !strcmp(mode, "tablet"))
        o.mode = STORE_TABLET;
    else if (!mode || strcmp(mode, "kiosk")) {
        fprintf(stderr, "itsearvio init: enrolment with --server is for --mode kiosk or tablet\n");
        return 2;
    }
    if (!server || !ca || !token) {
        fprintf(stderr, "itsearvio init: enrolment needs --server URL, --ca CA_FILE and --token TOKEN\n");
        return 2;
    }
    char id[STORE_DEVICE_MAX + 1];
    its_err err;
    if (link_enrol(&o, id, &err) != 0) {
        fprintf(stderr, "itsearvio init: %s\n", err.msg);
        return 1;
    }
    store *s = NULL;
    const store_fleet *f = store_open(dir, &s, &err) == 0 ? store_fleet_get(s) : NULL;
    fprintf(stderr, "Enrolled %s as %s device %s of team %s, site %s, with %s.\n", dir, mode, id,
            f ? f->team : "?", f ? f->site : "?", server);
    store_close(s);
    return 0;
}

/* ---- sync ---------------------------------------------------------------------------------- */

static const char sync_help[] =
    "usage: itsearvio sync --dir DIR [--background]\n\n"
    "Uploads the results waiting in the outbox of an enrolled kiosk or tablet, in batches of up\n"
    "to 200. A result leaves the outbox only when the server has stored it. Results the server\n"
    "answered with a conflict or refused stay and are listed: they wait for a person.\n"
    "The last line says how many were uploaded, were on the server already and still wait.\n"
    "Exit status 0 only when nothing waits.\n"
    "--background: what the kiosk starts after each result; leaves at once if another upload\n"
    "  of the folder runs, and prints nothing.";

/* One upload of a folder at a time: DIR/sync.lock, held until exit. -1 busy, -2 error. */
static int sync_lock(const char *dir, bool wait)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/sync.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -2;
    if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void sync_report(store *s, const link_sync_counts *n)
{
    store_outbox_entry *e = NULL;
    int k = 0;
    its_err err;
    if ((n->conflict || n->refused || n->waiting) && store_outbox_problems(s, &e, &k, &err) == 0)
        for (int i = 0; i < k; i++)
            fprintf(stderr, "  waits for a person: record %s: %s: %s\n", e[i].id, e[i].status, e[i].message);
    free(e);
    if (n->audit[0] && strcmp(n->audit, "ok") != 0)
        fprintf(stderr, "itsearvio sync: the server says about this device's audit log: %s\n", n->audit);
}

int cmd_sync(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts(sync_help);
        return 0;
    }
    const char *dir = NULL;
    bool background = false;
    const cli_opt opts[] = {{"--dir", &dir}};
    const cli_flag flags[] = {{"--background", &background}};
    int words = 0;
    if (cli_parse(argc, argv, opts, 1, flags, 1, NULL, 0, &words) != 0)
        return 2;
    if (!dir) {
        fprintf(stderr, "itsearvio sync: give the data folder with --dir DIR\n");
        return 2;
    }
    int lock = sync_lock(dir, !background);
    if (lock == -1)
        return 0; /* another upload of this folder runs: it sends this result too */
    store *s = NULL;
    its_err err;
    if (store_open(dir, &s, &err) != 0) {
        fprintf(stderr, "itsearvio sync: %s\n", err.msg);
        if (lock >= 0)
            close(lock);
        return 1;
    }
    link_sync_counts n;
    int rc = link_sync(s, &n, &err);
    if (!background) {
        if (rc != 0)
            fprintf(stderr, "itsearvio sync: %s\n", err.msg);
        sync_report(s, &n);
        if (n.epoch > n.epoch_before)
            fprintf(stderr, "The team's keys moved to epoch %lld: results saved from now on are sealed to "
                            "them.\n", n.epoch);
        printf("Uploaded %d, already on the server %d, still waiting %d.\n", n.stored, n.duplicate,
               n.waiting);
    }
    store_close(s);
    if (lock >= 0)
        close(lock);
    return rc == 0 && n.waiting == 0 ? 0 : 1;
}

/* ---- pull ---------------------------------------------------------------------------------- */

int cli_station_open(const char *dir, const char *pass_file, const char *cmd, store **s, store_key **key,
                     char team[64], its_err *err)
{
    *s = NULL;
    *key = NULL;
    team[0] = '\0';
    if (store_open(dir, s, err) != 0)
        return -1;
    char prompt[] = "Worker passphrase: ";
    char *pass = cli_pass_read(pass_file, prompt, cmd);
    int rc = pass ? store_unlock(*s, pass, key, err) : -2;
    cli_pass_free(pass);
    if (rc == 0)
        rc = store_team(*s, team, 64, err);
    return rc;
}

static const char pull_help[] =
    "usage: itsearvio pull --dir WORKER_DIR --passphrase-file FILE --server URL --ca CA_FILE\n"
    "                      [--team TEAM]\n\n"
    "Fetches the sealed records of the worker's team from the server since the last pull, and\n"
    "the signing keys of the team's devices. The server cannot open them; `list`, `show`,\n"
    "`trend`, `export` and `worker` open them here with the worker key. A cut pull resumes\n"
    "where it stopped. --team is needed only when the folder does not know its team yet.";

int cmd_pull(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts(pull_help);
        return 0;
    }
    const char *dir = NULL, *pass_file = NULL, *server = NULL, *ca = NULL, *team = NULL;
    const cli_opt opts[] = {{"--dir", &dir}, {"--passphrase-file", &pass_file}, {"--server", &server},
                            {"--ca", &ca}, {"--team", &team}};
    int words = 0;
    if (cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0, NULL, 0, &words) != 0)
        return 2;
    if (!dir || !server || !ca) {
        fprintf(stderr, "itsearvio pull: give --dir WORKER_DIR, --server URL and --ca CA_FILE\n");
        return 2;
    }
    store *s = NULL;
    store_key *key = NULL;
    its_err err;
    char known[64] = "";
    int rc = cli_station_open(dir, pass_file, "pull", &s, &key, known, &err);
    if (rc == 0 && !team && known[0])
        team = known;
    if (rc == 0 && !team)
        rc = its_fail(&err, "%s does not know its team yet: give it once with --team TEAM (the name "
                            "the administrator used with `itsearvio server team-add`).", dir);
    link_pull_counts n;
    if (rc == 0)
        rc = link_pull(s, key, server, ca, team, &n, &err);
    if (rc == 0 && strcmp(team, known) != 0)
        rc = store_team_set(s, team, &err);
    if (rc == -1)
        fprintf(stderr, "itsearvio pull: %s\n", err.msg);
    else if (rc == 0)
        printf("Pulled %d new records of team %s (cursor %lld); %d device keys checked; keys of %d team "
               "epochs held.\n", n.records, team, n.cursor, n.devices, n.epochs);
    store_lock(key);
    store_close(s);
    return rc == 0 ? 0 : 1;
}
