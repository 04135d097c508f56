/* cmd_kiosk.c — `itsearvio kiosk` and `itsearvio tablet`: the client's touchscreen. Parses the
 * options, refuses plainly when there is no display, loads the questionnaires and picks where
 * results go, then hands over to kiosk_run (app/ui/kiosk.c). */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "link.h"
#include "kiosk.h"
#include "store.h"
#include "wui.h"

enum { MAX_QNS = 16 };

typedef struct kiosk_args {
    const char *dir, *script, *lang, *size;
    const char *files[MAX_QNS];
    int n_files;
    bool demo, windowed, allow_unreviewed;
    int idle;
    const char *bench_shot; /* benchmark: write the first frame here and exit */
    int bench_question;     /* benchmark: open on this question; -1 invalid */
} kiosk_args;

static void help(const char *name)
{
    printf("usage: itsearvio %s [--dir DIR | --demo] [OPTIONS]\n\n"
           "The client's touchscreen: a self-assessment from start to thank-you.\n"
           "  --dir DIR             data folder made by `itsearvio init --mode kiosk|tablet`\n"
           "  --demo                demo data folder ./demo-data (made on first use; synthetic\n"
           "                        data only: its worker passphrase is published)\n"
           "  --questionnaire FILE  ask this questionnaire (repeatable; default: the ones the data\n"
           "                        folder enables, else every bundled one)\n"
           "  --size WxH            window size (default: the whole screen)\n"
           "  --windowed            an ordinary window that can be closed (development)\n"
           "  --lang fi|sv|en       first language (default: \"lang\" in DIR/config.json, else fi)\n"
           "  --idle SECONDS        quiet time before the idle warning (default 120)\n"
           "  --script FILE         scripted run for tests and demos (see app/ui/ui_script.h)\n"
           "  --allow-unreviewed    offer translations marked unreviewed (machine-made) too: for\n"
           "                        tests and demos only, NEVER for clients\n"
           "  --bench-shot PNG      benchmark (tests/bench): question 3 of the 12-item questionnaire\n"
           "                        at 1280x800 (implies --demo), PNG written after the first frame,\n"
           "                        then exit\n"
           "  --bench-question N    benchmark: open on question N, without the identification step\n\n"
           "Without a display: xvfb-run -s \"-screen 0 1280x800x24\" ./build/itsearvio %s --demo\n",
           name, name);
}

static int parse(int argc, char **argv, kiosk_args *a)
{
    bool bad = false;
    for (int i = 1; i < argc && !bad; i++) {
        const char *v;
        if ((v = cli_option(argc, argv, &i, "--dir", &bad)))
            a->dir = v;
        else if ((v = cli_option(argc, argv, &i, "--script", &bad)))
            a->script = v;
        else if ((v = cli_option(argc, argv, &i, "--lang", &bad)))
            a->lang = v;
        else if ((v = cli_option(argc, argv, &i, "--size", &bad)))
            a->size = v;
        else if ((v = cli_option(argc, argv, &i, "--bench-shot", &bad)))
            a->bench_shot = v;
        else if ((v = cli_option(argc, argv, &i, "--bench-question", &bad)))
            a->bench_question = cli_parse_int(v, 1, 999);
        else if ((v = cli_option(argc, argv, &i, "--idle", &bad)))
            a->idle = cli_parse_int(v, 1, 86400);
        else if ((v = cli_option(argc, argv, &i, "--questionnaire", &bad))) {
            if (a->n_files == MAX_QNS) {
                fprintf(stderr, "itsearvio %s: at most %d questionnaires\n", argv[0], MAX_QNS);
                return -1;
            }
            a->files[a->n_files++] = v;
        } else if (!bad && !strcmp(argv[i], "--demo"))
            a->demo = true;
        else if (!bad && !strcmp(argv[i], "--windowed"))
            a->windowed = true;
        else if (!bad && !strcmp(argv[i], "--allow-unreviewed"))
            a->allow_unreviewed = true;
        else if (!bad) {
            fprintf(stderr, "itsearvio %s: unknown option %s (try --help)\n", argv[0], cli_safe(argv[i]));
            return -1;
        }
    }
    if (bad)
        return -1;
    if (a->bench_shot && !a->dir)
        a->demo = true;
    if (a->bench_question < 0) {
        fprintf(stderr, "itsearvio %s: --bench-question takes a question number\n", argv[0]);
        return -1;
    }
    if (!a->dir && !a->demo) {
        fprintf(stderr, "itsearvio %s: give --dir DIR or --demo\n", argv[0]);
        return -1;
    }
    if (a->idle < 0) {
        fprintf(stderr, "itsearvio %s: --idle takes a number of seconds\n", argv[0]);
        return -1;
    }
    if (a->lang && strcmp(a->lang, "fi") && strcmp(a->lang, "sv") && strcmp(a->lang, "en")) {
        fprintf(stderr, "itsearvio %s: --lang takes fi, sv or en\n", argv[0]);
        return -1;
    }
    return 0;
}

/* An enrolled device sends each saved result at once, in a child process the kiosk never waits
 * for (link_sync_spawn); when it cannot start, the result waits in the outbox for the next. */
static void upload_in_background(void *dir)
{
    its_err err;
    (void)link_sync_spawn("/proc/self/exe", dir, &err);
}

/* Opens the data folder (--demo: ./demo-data, made on first use) as the kiosk's sink. */
static kiosk_sink *open_sink(const kiosk_args *a, const char *cmd, store **st)
{
    const char *dir = a->dir ? a->dir : "demo-data";
    its_err err;
    if (a->demo && cli_demo_folder(dir, cmd) != 0)
        return NULL;
    if (store_open(dir, st, &err) != 0) {
        fprintf(stderr, "itsearvio %s: %s (To try it out: itsearvio %s --demo)\n", cmd, err.msg,
                cmd);
        return NULL;
    }
    if (store_get_mode(*st) == STORE_WORKER) {
        fprintf(stderr, "itsearvio %s: %s is a worker's data folder; a kiosk or tablet uses its "
                        "own folder that holds only public keys\n", cmd, cli_safe(dir));
        return NULL;
    }
    /* One program per folder: a second one would offer the first one's live draft. */
    if (store_draft_claim(*st, &err) != 0) {
        fprintf(stderr, "itsearvio %s: %s\n", cmd, err.msg);
        return NULL;
    }
    kiosk_sink *k = kiosk_sink_store(*st);
    if (k && store_fleet_get(*st))
        kiosk_sink_store_after_save(k, upload_in_background, (void *)store_dir(*st));
    /* tests of the "could not be saved" screen */
    if (k && getenv("ITSEARVIO_TEST_FAIL_SAVE"))
        k = kiosk_sink_failing(k);
    if (!k)
        fprintf(stderr, "itsearvio %s: out of memory\n", cmd);
    return k;
}

/* Loads the questionnaires; prints every problem; -1 if any file is refused. */
static int load_qns(kiosk_args *a, const char *cmd, store *st, qn **out, int *n, glob_t *g)
{
    char pattern[1100];
    static char enabled[MAX_QNS][1100];
    const char *const *names = NULL;
    int n_names = a->n_files == 0 && st ? store_questionnaires(st, &names) : 0;
    its_err err;
    for (int i = 0; i < n_names && a->n_files < MAX_QNS; i++) {
        if (its_path(enabled[i], sizeof enabled[i], &err, "%s/questionnaires/%s", cli_data_dir(),
                     names[i]) != 0) {
            fprintf(stderr, "itsearvio %s: %s\n", cmd, err.msg);
            return -1;
        }
        a->files[a->n_files++] = enabled[i];
    }
    if (a->n_files == 0) {
        if (its_path(pattern, sizeof pattern, &err, "%s/questionnaires/*.json", cli_data_dir()) != 0) {
            fprintf(stderr, "itsearvio %s: %s\n", cmd, err.msg);
            return -1;
        }
        if (glob(pattern, 0, NULL, g) == 0)
            for (size_t i = 0; i < g->gl_pathc && a->n_files < MAX_QNS; i++)
                a->files[a->n_files++] = g->gl_pathv[i];
        if (a->n_files == 0) {
            fprintf(stderr, "itsearvio %s: no questionnaire found in %s/questionnaires "
                            "(give --questionnaire FILE)\n", cmd, cli_data_dir());
            return -1;
        }
    }
    *n = 0;
    for (int i = 0; i < a->n_files; i++) {
        qn_report r = {0};
        qn *q = qn_load(a->files[i], &r);
        if (!q) {
            fprintf(stderr, "itsearvio %s: %s cannot be used:\n", cmd, a->files[i]);
            qn_report_print(&r, a->files[i], stderr);
            qn_report_free(&r);
            return -1;
        }
        qn_report_free(&r);
        out[(*n)++] = q;
    }
    return 0;
}

/* The hidden worker gesture opens the worker's screens in the kiosk's window. */
static int open_worker(void *ctx, struct ui_app *app, struct ui_script *script,
                       char interview[KIOSK_WHO_MAX], its_err *err)
{
    return wui_run_in_window(ctx, app, script, interview, err);
}

/* --bench-shot does what the web peer does (tests/bench): the 12-item questionnaire's third
 * question at 1280x800, one frame, a PNG, exit. */
static void bench_defaults(kiosk_args *a, kiosk_opts *o)
{
    static char qn12[1100];
    if (!a->bench_shot)
        return;
    if (!a->size) {
        o->w = 1280;
        o->h = 800;
    }
    /* a data folder too long for the buffer falls through to load_qns, which says so */
    if (a->n_files == 0 &&
        its_path(qn12, sizeof qn12, NULL, "%s/questionnaires/whodas12-style.json", cli_data_dir()) == 0)
        a->files[a->n_files++] = qn12;
    a->bench_question = 3;
}

static int run(int argc, char **argv, bool tablet)
{
    const char *cmd = argv[0];
    if (cli_wants_help(argc, argv)) {
        help(cmd);
        return 0;
    }
    kiosk_args a = {0};
    if (parse(argc, argv, &a) != 0)
        return 2;
    kiosk_opts o = {0};
    if (a.size && !cli_parse_size(a.size, &o.w, &o.h)) {
        fprintf(stderr, "itsearvio %s: --size takes WIDTHxHEIGHT, such as 1280x800\n", cmd);
        return 2;
    }
    bench_defaults(&a, &o);
    if (!cli_have_display()) {
        fprintf(stderr, "itsearvio %s: no display found; to run it without a screen use Xvfb: "
                        "xvfb-run -s \"-screen 0 1280x800x24\" ./build/itsearvio %s --demo\n",
                cmd, cmd);
        return 1;
    }
    qn *qns[MAX_QNS];
    glob_t g = {0};
    int rc = 1;
    store *st = NULL;
    its_err err;
    kiosk_sink *sink = open_sink(&a, cmd, &st);
    if (!sink || load_qns(&a, cmd, st, qns, &o.n_qns, &g) != 0)
        goto out;
    o.tablet = tablet;
    o.windowed = a.windowed;
    o.qns = qns;
    o.script = a.script;
    o.lang = cli_screen_lang(a.lang, a.dir ? a.dir : "demo-data"); /* --lang, else the folder's */
    o.allow_unreviewed = a.allow_unreviewed;
    o.data_dir = cli_data_dir();
    o.idle_seconds = a.idle ? a.idle : sink->idle_seconds;
    o.sink = sink;
    wui_opts wo = {.dir = a.dir ? a.dir : "demo-data", .data_dir = cli_data_dir(),
                   .lang = o.lang, .hint = a.demo ? STORE_DEMO_PASSPHRASE : NULL};
    o.worker = open_worker;
    o.worker_ctx = &wo;
    o.bench_shot = a.bench_shot;
    o.bench_question = a.bench_question;
    rc = kiosk_run(&o, &err) == 0 ? 0 : 1;
    if (rc)
        fprintf(stderr, "itsearvio %s: %s\n", cmd, err.msg);
out:
    if (sink)
        sink->close(sink);
    store_close(st);
    for (int i = 0; i < o.n_qns; i++)
        qn_free(qns[i]);
    globfree(&g);
    return rc;
}

int cmd_kiosk(int argc, char **argv)
{
    return run(argc, argv, false);
}

int cmd_tablet(int argc, char **argv)
{
    return run(argc, argv, true);
}
