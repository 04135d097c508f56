/* cmd_store.c — the storage commands: init, audit, retention, passwd (demo is in cmd_demo.c,
 * export in cmd_worker.c). Each takes --dir DIR and --passphrase-file FILE; without a file the passphrase is
 * asked on /dev/tty with echo off. Messages go to stderr; data (CSV, audit lists) to stdout. */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"

/* ---- options and passphrases ------------------------------------------------------------- */

typedef struct store_args {
    const char *cmd;
    const char *dir, *pass_file, *new_pass_file, *recovery_key, *recovery_out, *keys_from, *device;
    const char *mode, *format, *older_than, *count, *seed, *questionnaire, *kdf, *server, *ca, *token;
    const char *lang; /* the reader's language (cli_lang: --lang, the folder's, $LANG, fi) */
    const char *words[4];
    int n_words;
    bool force, demo;
} store_args;

static int parse_store_args(int argc, char **argv, store_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = argv[0];
    const cli_opt opts[] = {
        {"--dir", &a->dir},
        {"--passphrase-file", &a->pass_file},
        {"--new-passphrase-file", &a->new_pass_file},
        {"--recovery-key", &a->recovery_key},
        {"--recovery-out", &a->recovery_out},
        {"--keys-from", &a->keys_from},
        {"--device", &a->device},
        {"--mode", &a->mode},
        {"--format", &a->format},
        {"--older-than", &a->older_than},
        {"--count", &a->count},
        {"--seed", &a->seed},
        {"--questionnaire", &a->questionnaire},
        {"--kdf", &a->kdf},
        {"--server", &a->server},
        {"--ca", &a->ca},
        {"--token", &a->token},
        {"--lang", &a->lang},
    };
    const cli_flag flags[] = {{"--force", &a->force}, {"--demo", &a->demo}};
    if (cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], flags, 2, a->words, 4, &a->n_words) != 0)
        return -1;
    if (!a->dir) {
        fprintf(stderr, "itsearvio %s: give the data folder with --dir DIR\n", a->cmd);
        return -1;
    }
    a->lang = cli_lang(a->lang, a->dir);
    return 0;
}

/* The reader's text for a catalogue key. */
static const char *word(const store_args *a, const char *key)
{
    return cli_say(a->lang, key, (const char *)NULL);
}

/* A new passphrase: from the file, or asked twice on the terminal. */
static char *pass_new(const store_args *a, const char *file)
{
    char *pass = cli_pass_read(file, word(a, "cli_pass_new_prompt"), a->cmd);
    if (!pass || file)
        return pass;
    char *again = cli_pass_read(NULL, word(a, "cli_pass_again_prompt"), a->cmd);
    bool same = again && !strcmp(pass, again);
    cli_pass_free(again);
    if (!same) {
        cli_pass_free(pass);
        fprintf(stderr, "itsearvio %s: %s\n", a->cmd, word(a, "cli_pass_differ"));
        return NULL;
    }
    return pass;
}

/* --kdf moderate (default) | interactive; -1 with a message for anything else. */
static int parse_kdf(const store_args *a, store_kdf *kdf)
{
    *kdf = STORE_KDF_MODERATE;
    if (!a->kdf || !strcmp(a->kdf, "moderate"))
        return 0;
    if (!strcmp(a->kdf, "interactive")) {
        *kdf = STORE_KDF_INTERACTIVE;
        return 0;
    }
    fprintf(stderr, "itsearvio %s: --kdf takes moderate or interactive\n", a->cmd);
    return -1;
}

/* Prints the help and returns 0, or parses the options and returns -1 to go on (2 on a usage
 * error). */
static int cmd_start(int argc, char **argv, const char *help, store_args *a)
{
    if (cli_wants_help(argc, argv)) {
        puts(help);
        return 0;
    }
    return parse_store_args(argc, argv, a) == 0 ? -1 : 2;
}

static int fail(const store_args *a, const its_err *err)
{
    fprintf(stderr, "itsearvio %s: %s\n", a->cmd, cli_error(a->lang, err));
    return 1;
}

/* Opens the folder and unlocks with --recovery-key FILE or the passphrase. */
static int open_unlocked(const store_args *a, store **s, store_key **key)
{
    its_err err;
    *key = NULL;
    if (store_open(a->dir, s, &err) != 0)
        return fail(a, &err);
    int rc;
    if (a->recovery_key)
        rc = store_unlock_recovery(*s, a->recovery_key, key, &err);
    else {
        char *pass = cli_pass_read(a->pass_file, word(a, "cli_pass_prompt"), a->cmd);
        if (!pass) {
            store_close(*s);
            return 1;
        }
        rc = store_unlock(*s, pass, key, &err);
        cli_pass_free(pass);
    }
    if (rc != 0) {
        store_close(*s);
        return fail(a, &err);
    }
    return 0;
}

/* ---- init --------------------------------------------------------------------------------- */

static const char init_help[] =
    "usage: itsearvio init --dir DIR [--mode worker|kiosk|tablet] [--passphrase-file FILE]\n"
    "                      [--recovery-out FILE] [--kdf moderate|interactive]\n"
    "                      [--keys-from WORKER_DIR] [--device ID] [--force] [--lang fi|sv|en]\n"
    "       itsearvio init --demo --dir DIR [--mode kiosk|tablet]\n"
    "       itsearvio init --mode kiosk|tablet --dir DIR --server URL --ca CA_FILE --token TOKEN\n\n"
    "worker (default): makes the worker key pair (secret key under the passphrase, Argon2id\n"
    "  with the moderate limits unless --kdf interactive) and the recovery key pair. The\n"
    "  recovery secret key is written once to --recovery-out FILE (a USB stick), or without it\n"
    "  printed once on standard output: save it offline. It is never kept in DIR.\n"
    "kiosk, tablet: hold only the public keys, copied from a worker folder (--keys-from).\n"
    "--server: enrols a kiosk or tablet with the team's server using a one-time token from\n"
    "  `itsearvio server enroll`; the server is checked against CA_FILE only. Its results\n"
    "  then go to the server (`itsearvio sync`). Nothing is written if enrolment fails.\n"
    "--demo: a kiosk folder (a tablet folder with --mode tablet) that also holds the worker\n"
    "  key, with the published passphrase \"demo-passphrase\" in DIR/demo-passphrase.txt.\n"
    "  For trying Itsearvio out only.\n"
    "Existing keys or data are never replaced without --force (old files are renamed).";

/* What init says at the end; the recovery key's text (shown once) goes to standard output. */
static void init_report(const store_args *a, const store_init_opts *o, const char *recovery_text)
{
    const char *dir = cli_safe(a->dir);
    static const char *const made[] = {[STORE_WORKER] = "cli_init_worker", [STORE_KIOSK] = "cli_init_kiosk",
                                       [STORE_TABLET] = "cli_init_tablet"};
    const char *key = a->demo ? "cli_init_demo" : made[o->mode];
    fprintf(stderr, "%s\n", cli_say(a->lang, key, dir, (const char *)NULL));
    if (a->demo)
        fprintf(stderr, "%s\n", cli_say(a->lang, "cli_init_demo_only", STORE_DEMO_PASSPHRASE, dir,
                                        (const char *)NULL));
    else if (o->mode == STORE_WORKER && a->recovery_out) {
        fprintf(stderr, "%s\n", cli_say(a->lang, "cli_init_recovery_file", cli_safe(a->recovery_out),
                                        (const char *)NULL));
    } else if (recovery_text) {
        fprintf(stderr, "%s\n", word(a, "cli_init_recovery_shown"));
        printf("%s\n", recovery_text);
        fflush(stdout);
    }
}

int cmd_init(int argc, char **argv)
{
    store_args a;
    int start = cmd_start(argc, argv, init_help, &a);
    if (start >= 0)
        return start;
    if (a.server || a.token)
        return cli_enrol(a.dir, a.mode, a.server, a.ca, a.token, a.device, a.force);
    char *recovery_text = NULL;
    store_init_opts o = {.mode = STORE_WORKER, .device_id = a.device, .recovery_out = a.recovery_out,
                         .recovery_text = &recovery_text, .keys_from = a.keys_from, .force = a.force,
                         .demo = a.demo};
    if (parse_kdf(&a, &o.kdf) != 0)
        return 2;
    if (a.demo) /* the published passphrase guards nothing: be quick */
        o.kdf = STORE_KDF_INTERACTIVE;
    if (a.mode && !strcmp(a.mode, "kiosk"))
        o.mode = STORE_KIOSK;
    else if (a.mode && !strcmp(a.mode, "tablet"))
        o.mode = STORE_TABLET;
    else if (a.mode && strcmp(a.mode, "worker")) {
        fprintf(stderr, "itsearvio init: --mode takes worker, kiosk or tablet\n");
        return 2;
    }
    if (a.demo && o.mode == STORE_WORKER) { /* a demo folder is a kiosk's or a tablet's */
        if (a.mode) {
            fprintf(stderr, "itsearvio init: --demo makes a kiosk or tablet folder; give --mode "
                            "kiosk or --mode tablet\n");
            return 2;
        }
        o.mode = STORE_KIOSK;
    }
    char *pass = NULL;
    if (o.mode == STORE_WORKER && !a.demo) {
        pass = pass_new(&a, a.pass_file);
        if (!pass)
            return 1;
    }
    o.passphrase = pass;
    its_err err;
    int rc = store_init(a.dir, &o, &err);
    cli_pass_free(pass);
    if (rc == 0)
        init_report(&a, &o, recovery_text);
    store_secret_free(recovery_text);
    return rc == 0 ? 0 : fail(&a, &err);
}

/* ---- audit, retention, passwd ------------------------------------------------------------- */

/* The chain, then the records it names: 0 when both are whole, 1 with every problem named. */
static int audit_verify(const store_args *a, store *s, const store_key *key)
{
    int entries = 0, bad = 0;
    char what[400];
    its_err err;
    int rc = store_audit_verify(s, &entries, &bad, what, sizeof what, &err);
    if (rc == 0)
        printf("audit log: %s\n", what);
    else if (rc == 1)
        fprintf(stderr, "itsearvio audit: the audit log was tampered with: %s\n", what);
    else
        return fail(a, &err);
    store_damage *d = NULL;
    int n = 0;
    if (store_check_complete(s, key, &d, &n, &err) != 0)
        return fail(a, &err);
    for (int i = 0; i < n; i++)
        fprintf(stderr, "itsearvio audit: %s\n", d[i].what);
    if (n == 0)
        printf("records: none missing%s\n", key ? ", no rollback since this key's last check" : "");
    free(d);
    return rc == 0 && n == 0 ? 0 : 1;
}

int cmd_audit(int argc, char **argv)
{
    store_args a;
    int start = cmd_start(argc, argv,
        "usage: itsearvio audit verify --dir DIR [--passphrase-file FILE | --recovery-key FILE]\n"
        "       itsearvio audit list --dir DIR\n\n"
        "verify walks the signed hash chain of the audit log and says which entry was edited,\n"
        "removed or reordered, then names every record that is missing (a sequence gap or a\n"
        "deleted row that retention did not delete); with the worker passphrase or the recovery\n"
        "key it also names a rollback (an older store.db put back) against what that key saw\n"
        "before. Any of these: exit 1. list prints every entry (no secrets are logged).", &a);
    if (start >= 0)
        return start;
    bool verify = a.n_words == 1 && !strcmp(a.words[0], "verify");
    if (!verify && !(a.n_words == 1 && !strcmp(a.words[0], "list"))) {
        fprintf(stderr, "itsearvio audit: say verify or list\n");
        return 2;
    }
    store *s;
    store_key *key = NULL;
    its_err err;
    if (verify && (a.pass_file || a.recovery_key)) {
        if (open_unlocked(&a, &s, &key) != 0)
            return 1;
    } else if (store_open(a.dir, &s, &err) != 0)
        return fail(&a, &err);
    int rc;
    if (verify) {
        rc = audit_verify(&a, s, key);
        store_lock(key);
    } else {
        store_audit_entry *log = NULL;
        int n = 0;
        rc = store_audit_list(s, &log, &n, &err) == 0 ? 0 : fail(&a, &err);
        for (int i = 0; i < n; i++) {
            char at[32];
            cli_iso_time(log[i].at, at);
            printf("%lld\t%s\t%s\t%s\n", log[i].seq, at, log[i].event, log[i].detail);
        }
        free(log);
    }
    store_close(s);
    return rc;
}

int cmd_retention(int argc, char **argv)
{
    store_args a;
    int start = cmd_start(argc, argv,
        "usage: itsearvio retention --dir DIR [--passphrase-file FILE] --older-than DAYS\n\n"
        "Deletes the records (and their notes) created more than DAYS days ago. Needs the\n"
        "worker passphrase (or --recovery-key FILE); the deletion is logged in the audit log.", &a);
    if (start >= 0)
        return start;
    char *end = NULL;
    long days = a.older_than ? strtol(a.older_than, &end, 10) : -1;
    if (!a.older_than || *end || days < 0 || days > 36600) {
        fprintf(stderr, "itsearvio retention: give --older-than DAYS (a whole number of days, 0 to 36600)\n");
        return 2;
    }
    store *s;
    store_key *key;
    if (open_unlocked(&a, &s, &key) != 0)
        return 1;
    its_err err;
    int deleted = 0;
    int rc = store_delete_older_than(s, key, (int)days, &deleted, &err);
    char n[16], d[24];
    snprintf(n, sizeof n, "%d", deleted);
    snprintf(d, sizeof d, "%ld", days);
    if (rc == 0)
        printf("%s\n", cli_say(a.lang, "cli_retention_done", n, d, (const char *)NULL));
    store_lock(key);
    store_close(s);
    return rc == 0 ? 0 : fail(&a, &err);
}

int cmd_passwd(int argc, char **argv)
{
    store_args a;
    int start = cmd_start(argc, argv,
        "usage: itsearvio passwd --dir DIR [--passphrase-file OLD --new-passphrase-file NEW]\n"
        "                        [--kdf moderate|interactive]\n\n"
        "Changes the worker passphrase. Only the worker key file is re-encrypted; the records\n"
        "stay as they are. Key derivation limits weaker than --kdf (default moderate) are\n"
        "raised to it; stronger ones are kept.", &a);
    if (start >= 0)
        return start;
    store_kdf kdf;
    if (parse_kdf(&a, &kdf) != 0)
        return 2;
    store *s;
    its_err err;
    if (store_open(a.dir, &s, &err) != 0)
        return fail(&a, &err);
    char *old = cli_pass_read(a.pass_file, word(&a, "cli_pass_current_prompt"),
                              "passwd");
    char *new = old ? pass_new(&a, a.new_pass_file) : NULL;
    int rc = 1;
    if (new)
        rc = store_change_passphrase(s, old, new, kdf, &err) == 0 ? 0 : fail(&a, &err);
    if (rc == 0)
        fprintf(stderr, "%s\n", word(&a, "cli_passwd_done"));
    cli_pass_free(old);
    cli_pass_free(new);
    store_close(s);
    return rc;
}
