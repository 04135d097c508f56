/* cmd_team.c — `itsearvio team ACTION` (team keys with epochs, docs/fleet-protocol.md section 9)
 * and `itsearvio recovery verify` (the recovery drill: every record opened with the recovery
 * key, counted, nothing shown). Messages go to stderr; the last line of stdout says the result. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "link.h"
#include "envelope.h"
#include "store.h"

static const char team_help[] =
    "usage: itsearvio team create        --dir WORKER_DIR [--passphrase-file FILE]\n"
    "       itsearvio team fingerprint   --dir WORKER_DIR\n"
    "       itsearvio team add-member    --dir WORKER_DIR [--passphrase-file FILE] --server URL "
    "--ca CA_FILE\n"
    "                                    --member NEW_WORKER_DIR --fingerprint XXXX-XXXX-XXXX-XXXX "
    "[--team T]\n"
    "       itsearvio team remove-member --dir WORKER_DIR [--passphrase-file FILE] --server URL "
    "--ca CA_FILE\n"
    "                                    --fingerprint XXXX-XXXX-XXXX-XXXX [--team T]\n"
    "\n"
    "create: the founding worker makes the team's key of epoch 1 (before `server team-add`); its\n"
    "  folder then signs the team's keys bundles. fingerprint: prints this worker's fingerprint, "
    "to\n"
    "  read out to the member who adds you. add-member: any member wraps every epoch's key to the\n"
    "  newcomer, whose fingerprint must match what they read out; no record is re-encrypted.\n"
    "remove-member: the founding worker removes a member: the server refuses the leaver's pulls "
    "and a\n"
    "  new epoch starts, its key wrapped to every remaining member; devices follow at their next "
    "sync.";

typedef struct team_args {
    const char *dir, *pass, *server, *ca, *member, *fingerprint, *team;
} team_args;

static int team_fail(const char *action, const its_err *err)
{
    fprintf(stderr, "itsearvio team %s: %s\n", action, err->msg);
    return 1;
}

/* The newcomer's keys from their worker folder, and their fingerprint checked. */
static int newcomer_keys(const team_args *a, unsigned char sign_pk[32], unsigned char box_pk[32],
                         its_err *err)
{
    char fp[20];
    if (store_worker_card(a->member, sign_pk, box_pk, fp, err) != 0)
        return -1;
    if (strcmp(fp, a->fingerprint) != 0)
        return its_fail(
            err,
            "The fingerprint of %s is %s, not %s: these are not the keys the newcomer read "
            "out; nothing was changed.",
            cli_safe(a->member), fp, cli_safe(a->fingerprint));
    return 0;
}

static int team_online(const char *action, const team_args *a, store *s, store_key *key,
                       const char *team, its_err *err)
{
    link_conn *c = NULL;
    if (link_conn_open(a->server, a->ca, &c, err) != 0)
        return -1;
    int rc = 0;
    if (!strcmp(action, "add-member")) {
        unsigned char spk[32], bpk[32];
        int n = 0;
        rc = newcomer_keys(a, spk, bpk, err);
        if (rc == 0)
            rc = link_team_add_member(c, key, team, spk, bpk, &n, err);
        if (rc == 0)
            printf("Added %s (fingerprint %s) to team %s with the keys of %d epochs.\n",
                   cli_safe(a->member), a->fingerprint, team, n);
    } else {
        link_team_state *t = calloc(1, sizeof *t);
        long long epoch = 0;
        rc = t ? link_team_remove_member(s, c, key, team, a->fingerprint, t, &epoch, err)
               : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
        for (int i = 0; rc == 0 && i < t->n_members; i++) {
            char fp[FLEET_FINGERPRINT_LEN + 1];
            fleet_member_fingerprint(t->sign_pk[i], t->box_pk[i], fp);
            if (strcmp(fp, a->fingerprint) != 0)
                fprintf(stderr, "  epoch %lld is wrapped to member %s\n", epoch, fp);
        }
        if (rc == 0)
            printf("Removed %s from team %s; epoch %lld started (devices follow at their next "
                   "sync).\n",
                   a->fingerprint, team, epoch);
        free(t);
    }
    link_conn_close(c);
    return rc;
}

static int team_action(const char *action, const team_args *a)
{
    its_err err;
    if (!strcmp(action, "fingerprint")) {
        char fp[20];
        if (store_worker_card(a->dir, NULL, NULL, fp, &err) != 0)
            return team_fail(action, &err);
        printf("%s\n", fp);
        return 0;
    }
    bool online = strcmp(action, "create") != 0;
    if (online && (!a->server || !a->ca || !a->fingerprint ||
                   (!strcmp(action, "add-member") && !a->member))) {
        fprintf(stderr, "itsearvio team %s: give --server, --ca, --fingerprint%s (see --help)\n",
                action, strcmp(action, "add-member") ? "" : " and --member");
        return 2;
    }
    store *s = NULL;
    store_key *key = NULL;
    char known[64];
    int rc = cli_station_open(a->dir, a->pass, action, &s, &key, known, &err);
    const char *team = a->team ? a->team : known;
    if (rc == 0 && online && !team[0])
        rc = its_fail(&err, "%s does not know its team yet: give --team TEAM.", cli_safe(a->dir));
    if (rc == 0 && !online && (rc = store_team_create(s, key, &err)) == 0)
        printf("Team keys of epoch 1 made in %s; register the team with `itsearvio server team-add "
               "--keys-from "
               "%s`.\n",
               cli_safe(a->dir), cli_safe(a->dir));
    if (rc == 0 && online)
        rc = team_online(action, a, s, key, team, &err);
    store_lock(key);
    store_close(s);
    return rc == 0 ? 0 : rc == -1 ? team_fail(action, &err) : 1;
}

int cmd_team(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        puts(team_help);
        return argc < 2 ? 2 : 0;
    }
    const char *action = argv[1];
    if (strcmp(action, "create") && strcmp(action, "fingerprint") && strcmp(action, "add-member") &&
        strcmp(action, "remove-member")) {
        fprintf(stderr, "itsearvio team: unknown action %s (see --help)\n", cli_safe(action));
        return 2;
    }
    team_args a = {0};
    const cli_opt opts[] = {{"--dir", &a.dir},       {"--passphrase-file", &a.pass},
                            {"--server", &a.server}, {"--ca", &a.ca},
                            {"--member", &a.member}, {"--fingerprint", &a.fingerprint},
                            {"--team", &a.team}};
    int words = 0;
    if (cli_parse(argc - 1, argv + 1, opts, sizeof opts / sizeof opts[0], NULL, 0, NULL, 0,
                  &words) != 0)
        return 2;
    if (!a.dir) {
        fprintf(stderr, "itsearvio team %s: give the worker folder with --dir DIR\n", action);
        return 2;
    }
    char fp[32]; /* read aloud, so typed in either case */
    if (a.fingerprint) {
        its_strlcpy(fp, a.fingerprint, sizeof fp);
        for (char *c = fp; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        a.fingerprint = fp;
    }
    return team_action(action, &a);
}

/* ---- the recovery drill
 * -------------------------------------------------------------------------- */

static const char recovery_help[] =
    "usage: itsearvio recovery verify --recovery-key FILE --dir DIR\n"
    "       itsearvio recovery verify --recovery-key FILE --server URL --ca CA_FILE --as "
    "WORKER_DIR\n"
    "                                 [--passphrase-file FILE] [--team TEAM]\n\n"
    "Opens every record of the data folder DIR, or every record of the team on the server, with\n"
    "the recovery key and prints how many opened. Nothing of a record is shown, and with --server\n"
    "nothing is stored: a member's worker folder (--as, with its passphrase) signs the requests.\n"
    "Every record must open (its signature checked too): exit status 1 otherwise, naming each one\n"
    "that did not and why.";

typedef struct drill {
    const store_key *key;
    int opened, total;
} drill;

/* One record from the server: its signature by the device's registered key, then the open. */
static int drill_one(void *ctx, const fleet_pulled *rec, const unsigned char *device_pk)
{
    drill *d = ctx;
    store_env_header h;
    its_err why;
    char id[37] = "?";
    unsigned char *p = NULL;
    size_t len = 0;
    d->total++;
    int rc = device_pk
                 ? store_env_verify(rec->env, rec->len, device_pk, &h, &why)
                 : its_fail(&why, "its device %s is not on the server's device list", rec->device);
    if (rc == 0)
        store_uuid_format(h.uuid, id);
    if (rc == 0 && (rc = store_key_open(d->key, rec->env, rec->len, &p, &len, &why)) == 0) {
        store_payload_free(p, len);
        d->opened++;
    } else
        fprintf(stderr, "  not opened: Record %s (server cursor %lld) cannot be opened: %s.\n", id,
                rec->cursor, why.msg);
    return 0;
}

/* The drill against the server: a member's folder signs the pulls; nothing is stored. */
static int recovery_server(const char *server, const char *ca, const char *as, const char *pass,
                           const char *team, drill *d, its_err *err)
{
    store *s = NULL;
    store_key *member = NULL;
    char known[64];
    int rc = cli_station_open(as, pass, "recovery verify", &s, &member, known, err);
    if (rc == 0 && !team && !known[0])
        rc = its_fail(err, "%s does not know its team: give --team TEAM.", cli_safe(as));
    if (rc == 0)
        rc = link_pull_each(member, server, ca, team ? team : known, drill_one, d, err);
    store_lock(member);
    store_close(s);
    return rc == 0 ? 0 : -1;
}

/* Opens every listed record with key; prints the ones that do not open. *opened gets the count. */
static int recovery_open_all(store *s, const store_key *key, int *opened, int *total, its_err *err)
{
    store_record_info *list = NULL;
    *opened = *total = 0;
    if (store_read_begin(s, err) != 0)
        return -1;
    int rc = store_list(s, &list, total, err);
    for (int i = 0; rc == 0 && i < *total; i++) {
        unsigned char *p = NULL;
        size_t len = 0;
        its_err why;
        if (store_open_record(s, key, list[i].id, &p, &len, &why) == 0) {
            store_payload_free(p, len);
            (*opened)++;
        } else
            fprintf(stderr, "  not opened: %s\n", why.msg);
    }
    store_read_end(s);
    free(list);
    return rc;
}

int cmd_recovery(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv) || strcmp(argv[1], "verify") != 0) {
        puts(recovery_help);
        return argc >= 2 && cli_wants_help(argc, argv) ? 0 : 2;
    }
    const char *rkey = NULL, *dir = NULL, *server = NULL, *ca = NULL, *as = NULL, *pass = NULL,
               *team = NULL;
    const cli_opt opts[] = {{"--recovery-key", &rkey},
                            {"--dir", &dir},
                            {"--server", &server},
                            {"--ca", &ca},
                            {"--as", &as},
                            {"--passphrase-file", &pass},
                            {"--team", &team}};
    int words = 0;
    if (cli_parse(argc - 1, argv + 1, opts, sizeof opts / sizeof opts[0], NULL, 0, NULL, 0, &words))
        return 2;
    if (!rkey || (!dir && !(server && ca && as)) || (dir && server)) {
        fprintf(stderr,
                "itsearvio recovery verify: give --recovery-key FILE and either --dir DIR or "
                "--server URL --ca CA_FILE --as WORKER_DIR\n");
        return 2;
    }
    store *s = NULL;
    store_key *key = NULL;
    its_err err;
    drill d = {0};
    int rc = store_recovery_key_load(rkey, &key, &err);
    d.key = key;
    if (rc == 0 && dir && (rc = store_open(dir, &s, &err)) == 0)
        rc = recovery_open_all(s, key, &d.opened, &d.total, &err);
    else if (rc == 0 && !dir)
        rc = recovery_server(server, ca, as, pass, team, &d, &err);
    int opened = d.opened, total = d.total;
    char detail[96];
    snprintf(detail, sizeof detail, "recovery drill: %d of %d records opened", opened, total);
    its_err why;
    if (rc == 0 && s && store_audit(s, "recovery_verify", detail, &why) != 0)
        fprintf(stderr, "itsearvio recovery verify: the drill could not be logged: %s\n", why.msg);
    if (rc != 0)
        fprintf(stderr, "itsearvio recovery verify: %s\n", err.msg);
    else
        printf("Opened %d of %d records with the recovery key%s.\n", opened, total,
               opened == total ? "" : "; the ones not opened are named above");
    store_lock(key);
    store_close(s);
    return rc == 0 && opened == total ? 0 : 1;
}
