/* cmd_store.c — the storage commands: init, export, audit, retention, passwd (demo is in
 * cmd_demo.c). Each takes --dir DIR and --passphrase-file FILE; without a file the passphrase is
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

#define PASS_MAX 1024

/* ---- options and passphrases ------------------------------------------------------------- */

typedef struct store_args {
    const char *cmd;
    const char *dir, *pass_file, *new_pass_file, *recovery_key, *recovery_out, *keys_from, *device;
    const char *mode, *format, *older_than, *count, *seed, *questionnaire;
    const char *words[4];
    int n_words;
    bool force, demo;
} store_args;

static int parse_store_args(int argc, char **argv, store_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = argv[0];
    static const struct {
        const char *name;
        size_t off;
    } opts[] = {
        {"--dir", offsetof(store_args, dir)},
        {"--passphrase-file", offsetof(store_args, pass_file)},
        {"--new-passphrase-file", offsetof(store_args, new_pass_file)},
        {"--recovery-key", offsetof(store_args, recovery_key)},
        {"--recovery-out", offsetof(store_args, recovery_out)},
        {"--keys-from", offsetof(store_args, keys_from)},
        {"--device", offsetof(store_args, device)},
        {"--mode", offsetof(store_args, mode)},
        {"--format", offsetof(store_args, format)},
        {"--older-than", offsetof(store_args, older_than)},
        {"--count", offsetof(store_args, count)},
        {"--seed", offsetof(store_args, seed)},
        {"--questionnaire", offsetof(store_args, questionnaire)},
    };
    bool bad = false;
    for (int i = 1; i < argc && !bad; i++) {
        bool matched = false;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0] && !matched && !bad; k++) {
            const char *v = cli_option(argc, argv, &i, opts[k].name, &bad);
            if (v) {
                *(const char **)((char *)a + opts[k].off) = v;
                matched = true;
            }
        }
        if (matched || bad)
            continue;
        if (!strcmp(argv[i], "--force"))
            a->force = true;
        else if (!strcmp(argv[i], "--demo"))
            a->demo = true;
        else if (argv[i][0] != '-' && a->n_words < 4)
            a->words[a->n_words++] = argv[i];
        else {
            fprintf(stderr, "itsearvio %s: unknown option %s (see --help)\n", a->cmd, argv[i]);
            return -1;
        }
    }
    if (bad)
        return -1;
    if (!a->dir) {
        fprintf(stderr, "itsearvio %s: give the data folder with --dir DIR\n", a->cmd);
        return -1;
    }
    return 0;
}

/* Reads the first line of a file, or asks on the terminal without echo. Free with pass_free. */
static char *pass_read(const char *file, const char *prompt, const char *cmd)
{
    char *p = calloc(1, PASS_MAX);
    if (!p)
        return NULL;
    if (file) {
        FILE *f = fopen(file, "r");
        if (!f || !fgets(p, PASS_MAX, f)) {
            fprintf(stderr, "itsearvio %s: cannot read the passphrase file %s%s%s\n", cmd, file,
                    f ? "" : ": ", f ? "" : strerror(errno));
            if (f)
                fclose(f);
            free(p);
            return NULL;
        }
        fclose(f);
    } else {
        int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
        struct termios old, quiet;
        if (fd < 0 || tcgetattr(fd, &old) != 0) {
            fprintf(
                stderr,
                "itsearvio %s: no terminal to ask the passphrase on; give --passphrase-file FILE\n",
                cmd);
            if (fd >= 0)
                close(fd);
            free(p);
            return NULL;
        }
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ICANON;
        if (write(fd, prompt, strlen(prompt)) < 0 || tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
            close(fd);
            free(p);
            return NULL;
        }
        ssize_t n = read(fd, p, PASS_MAX - 1);
        tcsetattr(fd, TCSAFLUSH, &old);
        if (write(fd, "\n", 1) < 0 || n < 0)
            n = 0;
        p[n] = '\0';
        close(fd);
    }
    p[strcspn(p, "\r\n")] = '\0';
    return p;
}

static void pass_free(char *p)
{
    if (p) {
        its_wipe(p, PASS_MAX);
        free(p);
    }
}

/* A new passphrase: from the file, or asked twice on the terminal. */
static char *pass_new(const char *file, const char *cmd)
{
    char *pass = pass_read(file, "New worker passphrase (at least 8 characters): ", cmd);
    if (!pass || file)
        return pass;
    char *again = pass_read(NULL, "The same passphrase again: ", cmd);
    bool same = again && !strcmp(pass, again);
    pass_free(again);
    if (!same) {
        pass_free(pass);
        fprintf(stderr, "itsearvio %s: the two passphrases differ; nothing was changed\n", cmd);
        return NULL;
    }
    return pass;
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

static int fail(const char *cmd, const its_err *err)
{
    fprintf(stderr, "itsearvio %s: %s\n", cmd, err->msg);
    return 1;
}

/* Opens the folder and unlocks with --recovery-key FILE or the passphrase. */
static int open_unlocked(const store_args *a, store **s, store_key **key)
{
    its_err err;
    *key = NULL;
    if (store_open(a->dir, s, &err) != 0)
        return fail(a->cmd, &err);
    int rc;
    if (a->recovery_key)
        rc = store_unlock_recovery(*s, a->recovery_key, key, &err);
    else {
        char *pass = pass_read(a->pass_file, "Worker passphrase: ", a->cmd);
        if (!pass) {
            store_close(*s);
            return 1;
        }
        rc = store_unlock(*s, pass, key, &err);
        pass_free(pass);
    }
    if (rc != 0) {
        store_close(*s);
        return fail(a->cmd, &err);
    }
    return 0;
}

/* ---- init --------------------------------------------------------------------------------- */

static const char init_help[] =
    "usage: itsearvio init --dir DIR [--mode worker|kiosk|tablet] [--passphrase-file FILE]\n"
    "                      [--recovery-out FILE] [--keys-from WORKER_DIR] [--device ID] [--force]\n"
    "       itsearvio init --demo --dir DIR\n\n"
    "worker (default): makes the worker key pair (secret key under the passphrase) and the\n"
    "  recovery key pair, whose secret key is written once to --recovery-out (default\n"
    "  DIR/recovery-key.json): move that file offline.\n"
    "kiosk, tablet: hold only the public keys, copied from a worker folder (--keys-from).\n"
    "--demo: a kiosk folder that also holds the worker key, with the published passphrase\n"
    "  \"demo-passphrase\" in DIR/demo-passphrase.txt. For trying Itsearvio out only.\n"
    "Existing keys or data are never replaced without --force (old files are renamed).";

int cmd_init(int argc, char **argv)
{
    store_args a;
    int start = cmd_start(argc, argv, init_help, &a);
    if (start >= 0)
        return start;
    store_init_opts o = {.mode = STORE_WORKER, .device_id = a.device, .recovery_out = a.recovery_out,
                         .keys_from = a.keys_from, .force = a.force, .demo = a.demo};
    if (a.demo || (a.mode && !strcmp(a.mode, "kiosk")))
        o.mode = STORE_KIOSK;
    else if (a.mode && !strcmp(a.mode, "tablet"))
        o.mode = STORE_TABLET;
    else if (a.mode && strcmp(a.mode, "worker")) {
        fprintf(stderr, "itsearvio init: --mode takes worker, kiosk or tablet\n");
        return 2;
    }
    char *pass = NULL;
    if (o.mode == STORE_WORKER && !a.demo) {
        pass = pass_new(a.pass_file, "init");
        if (!pass)
            return 1;
    }
    o.passphrase = pass;
    its_err err;
    int rc = store_init(a.dir, &o, &err);
    pass_free(pass);
    if (rc != 0)
        return fail("init", &err);
    fprintf(stderr, "Created the %s data folder %s.\n", a.demo ? "demo" : store_mode_name(o.mode), a.dir);
    if (a.demo)
        fprintf(stderr,
                "DEMO ONLY: the passphrase is \"%s\" (%s/demo-passphrase.txt). Use it for "
                "synthetic data, "
                "never for real clients.\n",
                STORE_DEMO_PASSPHRASE, a.dir);
    if (o.mode == STORE_WORKER || a.demo)
        fprintf(
            stderr,
            "The recovery key is in %s%s. Move it offline now (a USB stick in a safe, or print it) "
            "and delete it from this computer: it opens every record.\n",
            a.recovery_out ? a.recovery_out : a.dir, a.recovery_out ? "" : "/recovery-key.json");
    return 0;
}

/* ---- export ------------------------------------------------------------------------------- */

/* Writes one CSV field (quoted when it needs to be). */
static void csv_field(FILE *out, const char *s, bool last)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else
        fputs(s, out);
    fputc(last ? '\n' : ',', out);
}

/* "id=value;..." of the computed scores and "rule:level;..." of the flags. */
static void csv_summaries(json_t *r, char *scores, size_t ns, char *flags, size_t nf)
{
    const char *id;
    json_t *v;
    scores[0] = flags[0] = '\0';
    json_object_foreach(json_object_get(r, "scores"), id, v) {
        json_t *value = json_object_get(v, "value");
        char num[32];
        if (value)
            its_format_number(num, sizeof num, json_number_value(value), 2);
        its_appendf(scores, ns, "%s%s=%s", scores[0] ? ";" : "", id, value ? num : "");
    }
    size_t i;
    json_array_foreach(json_object_get(r, "flags"), i, v)
        its_appendf(flags, nf, "%s%s:%s", flags[0] ? ";" : "", json_string_value(json_object_get(v, "rule")),
                    json_string_value(json_object_get(v, "level")));
}

static void csv_row(FILE *out, const store_record_info *info, json_t *r)
{
    char at[32], scores[2048], flags[1024];
    cli_iso_time(info->created_at, at);
    csv_summaries(r, scores, sizeof scores, flags, sizeof flags);
    json_t *q = json_object_get(r, "questionnaire");
    char *answers = json_dumps(json_object_get(r, "answers"), JSON_COMPACT | JSON_SORT_KEYS);
    csv_field(out, info->id, false);
    csv_field(out, at, false);
    csv_field(out, info->device, false);
    csv_field(out, json_string_value(json_object_get(q, "id")), false);
    csv_field(out, json_string_value(json_object_get(q, "version")), false);
    csv_field(out, json_string_value(json_object_get(r, "client")), false);
    csv_field(out, json_string_value(json_object_get(r, "started")), false);
    csv_field(out, json_string_value(json_object_get(r, "completed")), false);
    csv_field(out, json_string_value(json_object_get(r, "level")), false);
    csv_field(out, flags, false);
    csv_field(out, scores, false);
    csv_field(out, answers, true);
    if (answers) {
        its_wipe(answers, strlen(answers));
        free(answers);
    }
}

int cmd_export(int argc, char **argv)
{
    store_args a;
    int start = cmd_start(argc, argv,
        "usage: itsearvio export --dir DIR [--passphrase-file FILE | --recovery-key FILE] --format csv\n\n"
        "Writes every record it can open to standard output as CSV (one row per assessment:\n"
        "record_id, created_at, device, questionnaire, version, client, started, completed,\n"
        "level, flags, scores, answers) and names on stderr every record it cannot open.\n"
        "Exits 1 if any record could not be opened. The export is logged in the audit log.", &a);
    if (start >= 0)
        return start;
    if (!a.format || strcmp(a.format, "csv")) {
        fprintf(stderr, "itsearvio export: give --format csv (the only format so far)\n");
        return 2;
    }
    store *s;
    store_key *key;
    if (open_unlocked(&a, &s, &key) != 0)
        return 1;
    its_err err;
    store_record_info *list = NULL;
    int n = 0, written = 0, failed = 0;
    if (store_list(s, &list, &n, &err) != 0) {
        store_lock(key);
        store_close(s);
        return fail("export", &err);
    }
    fputs("record_id,created_at,device,questionnaire,version,client,started,completed,level,flags,"
          "scores,answers\n",
          stdout);
    for (int i = n - 1; i >= 0; i--) { /* oldest first */
        unsigned char *p = NULL;
        size_t len = 0;
        json_t *r = NULL;
        if (store_open_record(s, key, list[i].id, &p, &len, &err) == 0) {
            r = json_loadb((const char *)p, len, 0, NULL);
            if (!json_is_object(r))
                snprintf(err.msg, sizeof err.msg,
                         "Record %s opened, but it is not a result document.", list[i].id);
        }
        store_payload_free(p, len);
        if (json_is_object(r)) {
            csv_row(stdout, &list[i], r);
            written++;
        } else {
            fprintf(stderr, "itsearvio export: %s\n", err.msg);
            failed++;
        }
        json_decref(r);
    }
    char detail[128];
    snprintf(detail, sizeof detail, "csv: %d records written, %d could not be opened", written, failed);
    int logged = store_audit(s, "export", detail, &err);
    if (logged != 0)
        fprintf(stderr, "itsearvio export: %s\n", err.msg);
    fprintf(stderr, "Exported %d records; %d could not be opened.\n", written, failed);
    free(list);
    store_lock(key);
    store_close(s);
    return failed || logged != 0 || fflush(stdout) != 0 ? 1 : 0;
}

/* ---- audit, retention, passwd ------------------------------------------------------------- */

int cmd_audit(int argc, char **argv)
{
    store_args a;
    int start = cmd_start(argc, argv,
        "usage: itsearvio audit verify --dir DIR\n"
        "       itsearvio audit list --dir DIR\n\n"
        "verify walks the hash chain of the audit log and says which entry was edited,\n"
        "removed or reordered (exit 1). list prints every entry (no secrets are logged).", &a);
    if (start >= 0)
        return start;
    bool verify = a.n_words == 1 && !strcmp(a.words[0], "verify");
    if (!verify && !(a.n_words == 1 && !strcmp(a.words[0], "list"))) {
        fprintf(stderr, "itsearvio audit: say verify or list\n");
        return 2;
    }
    store *s;
    its_err err;
    if (store_open(a.dir, &s, &err) != 0)
        return fail("audit", &err);
    int rc;
    if (verify) {
        int entries = 0, bad = 0;
        char what[400];
        rc = store_audit_verify(s, &entries, &bad, what, sizeof what, &err);
        if (rc == 0)
            printf("audit log: %s\n", what);
        else if (rc == 1)
            fprintf(stderr, "itsearvio audit: the audit log was tampered with: %s\n", what);
        else
            fail("audit", &err);
        rc = rc == 0 ? 0 : 1;
    } else {
        store_audit_entry *log = NULL;
        int n = 0;
        rc = store_audit_list(s, &log, &n, &err) == 0 ? 0 : fail("audit", &err);
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
    if (rc == 0)
        printf("Deleted %d records older than %ld days.\n", deleted, days);
    store_lock(key);
    store_close(s);
    return rc == 0 ? 0 : fail("retention", &err);
}

int cmd_passwd(int argc, char **argv)
{
    store_args a;
    int start = cmd_start(argc, argv,
        "usage: itsearvio passwd --dir DIR [--passphrase-file OLD --new-passphrase-file NEW]\n\n"
        "Changes the worker passphrase. Only the worker key file is re-encrypted; the records\n"
        "stay as they are.", &a);
    if (start >= 0)
        return start;
    store *s;
    its_err err;
    if (store_open(a.dir, &s, &err) != 0)
        return fail("passwd", &err);
    char *old = pass_read(a.pass_file, "Current passphrase: ", "passwd");
    char *new = old ? pass_new(a.new_pass_file, "passwd") : NULL;
    int rc = 1;
    if (new)
        rc = store_change_passphrase(s, old, new, &err) == 0 ? 0 : fail("passwd", &err);
    if (rc == 0)
        fprintf(stderr, "The passphrase was changed.\n");
    pass_free(old);
    pass_free(new);
    store_close(s);
    return rc;
}
