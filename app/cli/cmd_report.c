/* cmd_report.c — the programme's side: `itsearvio report` (the anonymous programme report from
 * the sealed programme summaries of a data folder, opened with the programme key) and
 * `itsearvio programme init|join` (making the programme key, giving a folder its public half
 * and the pseudonym secret). docs/programme.md says how the analyst uses them. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "progreport.h"
#include "qn.h"
#include "store.h"
#include "suppress.h"
#include "ui_locale.h"

#define MAX_QN 32

typedef struct ropts {
    const char *dir, *pass_file, *format, *out, *min_cell, *key, *lang, *png;
} ropts;

/* The report's words in --lang (default fi) from locale/, loaded once for the command's run; the
 * key itself when missing, so a heading is never silently empty. */
static ui_locale report_loc;

static const char *report_word(const char *key)
{
    const char *w = ui_tr(&report_loc, key);
    return w && w[0] ? w : key;
}

static int report_words_load(const char *lang)
{
    char path[4096];
    its_err err;
    if (its_path(path, sizeof path, &err, "%s/locale", cli_data_dir()) != 0 ||
        ui_locale_load(&report_loc, path, &err) != 0) {
        fprintf(stderr, "itsearvio report: %s\n", err.msg);
        return -1;
    }
    ui_locale_set(&report_loc, lang ? lang : "fi");
    return 0;
}

/* The bundled questionnaires: their headline scores' change rules. */
static int load_qns(qn **qs)
{
    char dir[2048], path[2400];
    its_err err;
    if (its_path(dir, sizeof dir, &err, "%s/questionnaires", cli_data_dir()) != 0)
        return 0;
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < MAX_QN) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".json") &&
            its_path(path, sizeof path, &err, "%s/%s", dir, e->d_name) == 0 &&
            (qs[n] = qn_load(path, NULL)))
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

typedef struct write_ctx {
    const progreport *r;
    bool pdf;
    progreport_word_fn word;
} write_ctx;

static int write_report(FILE *out, void *p, its_err *err)
{
    write_ctx *c = p;
    return c->pdf ? progreport_pdf(c->r, out, cli_data_dir(), c->word, err)
                  : progreport_csv(c->r, out, c->word, err);
}

/* Opens the folder and the programme key, reads every summary; the report or NULL. */
static progreport *report_make(const ropts *o, int min_cell)
{
    char key_file[4096];
    its_err err = {0};
    if (o->key ? its_path(key_file, sizeof key_file, &err, "%s", o->key)
               : its_path(key_file, sizeof key_file, &err, "%s/%s", o->dir,
                          STORE_PROGRAMME_KEY_FILE)) {
        fprintf(stderr, "itsearvio report: %s\n", err.msg);
        return NULL;
    }
    char *pass = cli_pass_read(o->pass_file, "Programme passphrase: ", "report");
    if (!pass)
        return NULL;
    store_key *key = NULL;
    int rc = store_programme_unlock(key_file, pass, &key, &err);
    cli_pass_free(pass);
    if (rc != 0) {
        if (err.code == ITS_E_WRONG_PASSPHRASE)
            fprintf(
                stderr,
                "itsearvio report: wrong passphrase for the programme key %s; nothing was read.\n",
                cli_safe(key_file));
        else
            fprintf(stderr, "itsearvio report: %s\n", err.msg);
        return NULL;
    }
    store *s = NULL;
    store_programme_item *items = NULL;
    int n = 0;
    progreport *r = NULL;
    qn *qs[MAX_QN];
    int nq = load_qns(qs);
    progreport_opts po = {(const qn *const *)qs, nq, min_cell};
    char detail[128];
    rc = store_open(o->dir, &s, &err) || store_programme_read(s, key, &items, &n, &err) ||
         progreport_build(items, n, &po, &r, &err);
    if (rc == 0) {
        snprintf(detail, sizeof detail, "programme report: %d summaries", progreport_summaries(r));
        rc = store_audit(s, "report", detail, &err);
    }
    if (rc != 0)
        fprintf(stderr, "itsearvio report: %s\n", err.msg);
    store_programme_items_free(items, n);
    store_lock(key);
    store_close(s);
    for (int i = 0; i < nq; i++)
        qn_free(qs[i]);
    if (rc != 0) {
        progreport_free(r);
        return NULL;
    }
    return r;
}

static int report_write(const ropts *o, const progreport *r, int min_cell)
{
    its_err err = {0};
    bool pdf = !strcmp(o->format, "pdf");
    write_ctx c = {r, pdf, report_word};
    int rc = 0;
    if (o->png && progreport_png(r, o->png, 2.0, cli_data_dir(), report_word, &err) != 0)
        rc = -1;
    else if (o->out && strcmp(o->out, "-"))
        rc = export_write_file(o->out, write_report, &c, &err);
    else
        rc = write_report(stdout, &c, &err) || fflush(stdout) ? -1 : 0;
    if (rc != 0) {
        fprintf(stderr, "itsearvio report: %s\n",
                err.msg[0] ? err.msg : "the report could not be written.");
        return 1;
    }
    if (progreport_unreadable(r))
        fprintf(
            stderr,
            "itsearvio report: %d programme items could not be opened or read and were left out.\n",
            progreport_unreadable(r));
    fprintf(stderr, "Report of %d programme summaries; counts from 1 to %d are written <%d.\n",
            progreport_summaries(r), min_cell - 1, min_cell);
    return progreport_unreadable(r) ? 1 : 0;
}

int cmd_report(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts(
            "usage: itsearvio report --dir DIR --passphrase-file FILE --format csv|pdf [--out "
            "PATH]\n"
            "                        [--min-cell N] [--key PROGRAMME_KEY] [--lang fi|sv|en] [--png "
            "PATH]\n\n"
            "The programme's anonymous report from the sealed programme summaries of DIR (a "
            "kiosk,\n"
            "tablet or a worker station's folder with pulled records), opened with the programme "
            "key\n"
            "(DIR/programme.key unless --key). Counts by month, site, questionnaire and level, "
            "flag\n"
            "rates per rule, the assessment's number, change from first to latest assessment, and\n"
            "referral follow-through. Counts from 1 to N-1 (N = --min-cell, default 5, at least "
            "3)\n"
            "are written <N, and more cells are hidden so that none can be worked out from the\n"
            "totals. CSV goes to standard output without --out; a PDF needs --out. "
            "docs/programme.md.");
        return 0;
    }
    ropts o = {0};
    cli_opt opts[] = {{"--dir", &o.dir},           {"--passphrase-file", &o.pass_file},
                      {"--format", &o.format},     {"--out", &o.out},
                      {"--min-cell", &o.min_cell}, {"--key", &o.key},
                      {"--lang", &o.lang},         {"--png", &o.png}};
    int nw = 0;
    if (cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0, NULL, 0, &nw) != 0)
        return 2;
    int min_cell = o.min_cell ? cli_parse_int(o.min_cell, 0, 1000000) : PROGREPORT_MIN_CELL;
    if (!o.dir || !o.format || (strcmp(o.format, "csv") && strcmp(o.format, "pdf"))) {
        fprintf(stderr, "itsearvio report: give --dir DIR and --format csv or pdf (see --help)\n");
        return 2;
    }
    if (min_cell < SUPPRESS_MIN_CELL_FLOOR) {
        fprintf(stderr, "itsearvio report: --min-cell takes a whole number of at least %d\n",
                SUPPRESS_MIN_CELL_FLOOR);
        return 2;
    }
    if (!strcmp(o.format, "pdf") && (!o.out || !strcmp(o.out, "-"))) {
        fprintf(stderr, "itsearvio report: a PDF needs --out PATH\n");
        return 2;
    }
    if (report_words_load(o.lang) != 0)
        return 1;
    progreport *r = report_make(&o, min_cell);
    int rc = r ? report_write(&o, r, min_cell) : 1;
    progreport_free(r);
    ui_locale_free(&report_loc);
    return rc;
}

/* ---- itsearvio programme init | join -----------------------------------------------------------
 */

int cmd_programme(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        puts("usage: itsearvio programme init --dir DIR --key-out FILE [--passphrase-file FILE]\n"
             "       itsearvio programme join --dir DIR --from DATA_DIR\n\n"
             "init makes the programme key pair: the secret key under the analyst's passphrase\n"
             "(Argon2id) in FILE, never in DIR; DIR (a worker station's folder) gets the public "
             "key\n"
             "and a new pseudonym secret. join gives another data folder (a kiosk or tablet) the "
             "same\n"
             "public key and pseudonym secret from DATA_DIR, so its results are summarised too.\n"
             "docs/programme.md.");
        return argc < 2 ? 2 : 0;
    }
    const char *dir = NULL, *key_out = NULL, *pass_file = NULL, *from = NULL;
    cli_opt opts[] = {{"--dir", &dir},
                      {"--key-out", &key_out},
                      {"--passphrase-file", &pass_file},
                      {"--from", &from}};
    int nw = 0;
    if (cli_parse(argc - 1, argv + 1, opts, sizeof opts / sizeof opts[0], NULL, 0, NULL, 0, &nw) !=
        0)
        return 2;
    its_err err = {0};
    int rc;
    if (!strcmp(argv[1], "init") && dir && key_out) {
        char *pass = cli_pass_read(pass_file, "New programme passphrase: ", "programme");
        if (!pass)
            return 1;
        rc = store_programme_init(dir, key_out, pass, STORE_KDF_MODERATE, &err);
        cli_pass_free(pass);
    } else if (!strcmp(argv[1], "join") && dir && from) {
        rc = store_programme_join(dir, from, &err);
    } else {
        fprintf(stderr,
                "itsearvio programme: give init --dir DIR --key-out FILE, or join --dir DIR --from "
                "DATA_DIR (see --help)\n");
        return 2;
    }
    if (rc != 0) {
        fprintf(stderr, "itsearvio programme: %s\n", err.msg);
        return 1;
    }
    fprintf(stderr, "%s now seals a programme summary with every result.\n", cli_safe(dir));
    return 0;
}
