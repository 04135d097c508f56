/* cmd_wui.c — `itsearvio worker`: the worker's screens (app/wui). Parses the options, refuses
 * plainly when there is no display, makes and fills the demo folder for --demo, then hands over
 * to wui_run. Also gives the kiosk its hook for the hidden worker gesture. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "wui.h"

static void help(void)
{
    printf("usage: itsearvio worker [--dir DIR | --demo] [OPTIONS]\n\n"
           "The worker's screens: unlock with the passphrase, the list of assessments with\n"
           "counts and filters, one assessment in words, a client's trend, notes on flags and\n"
           "exports. Locks itself after idle time and on Ctrl+L.\n"
           "  --dir DIR             the data folder\n"
           "  --demo                demo data folder ./demo-data (made and filled with synthetic\n"
           "                        assessments on first use; its passphrase is published:\n"
           "                        %s)\n"
           "  --size WxH            window size (default: the whole screen)\n"
           "  --windowed            an ordinary window\n"
           "  --lang fi|sv|en       the worker's language (default: \"lang\" in DIR/config.json, else fi)\n"
           "  --idle SECONDS        lock after this long without input (default 300)\n"
           "  --export-dir DIR      where exports are written (default ./itsearvio-vienti)\n"
           "  --script FILE         scripted run for tests and demos (see app/ui/ui_script.h)\n\n"
           "Without a display: xvfb-run -s \"-screen 0 1280x800x24\" ./build/itsearvio worker "
           "--demo\n",
           STORE_DEMO_PASSPHRASE);
}

/* --demo: ./demo-data made on first use and filled with synthetic assessments while empty. */
static int demo_folder(const char *dir)
{
    if (cli_demo_folder(dir, "worker") != 0)
        return -1;
    store *st = NULL;
    store_record_info *list = NULL;
    int n = 0;
    its_err err;
    if (store_open(dir, &st, &err) != 0 || store_list(st, &list, &n, &err) != 0) {
        fprintf(stderr, "itsearvio worker: %s\n", err.msg);
        store_close(st);
        return -1;
    }
    free(list);
    store_close(st);
    if (n > 0)
        return 0;
    char *argv[] = {"demo", "--dir", (char *)dir, "--count", "120", NULL};
    return cmd_demo(5, argv) == 0 ? 0 : -1;
}

int cmd_wui(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    const char *dir = NULL, *size = NULL, *lang = NULL, *idle = NULL, *script = NULL,
               *export_dir = NULL;
    bool demo = false, windowed = false;
    const cli_opt opts[] = {{"--dir", &dir},       {"--size", &size},     {"--lang", &lang},
                            {"--idle", &idle},     {"--script", &script}, {"--export-dir", &export_dir}};
    const cli_flag flags[] = {{"--demo", &demo}, {"--windowed", &windowed}};
    int n_words = 0;
    if (cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], flags, 2, NULL, 0, &n_words) != 0)
        return 2;
    wui_opts o = {.dir = dir, .data_dir = cli_data_dir(), .lang = lang ? lang : "fi",
                  .export_dir = export_dir, .windowed = windowed, .script = script};
    if (!dir && !demo) {
        fprintf(stderr, "itsearvio worker: give --dir DIR or --demo\n");
        return 2;
    }
    if (strcmp(o.lang, "fi") && strcmp(o.lang, "sv") && strcmp(o.lang, "en")) {
        fprintf(stderr, "itsearvio worker: --lang takes fi, sv or en\n");
        return 2;
    }
    if (size && !cli_parse_size(size, &o.w, &o.h)) {
        fprintf(stderr, "itsearvio worker: --size takes WIDTHxHEIGHT, such as 1280x800\n");
        return 2;
    }
    if (idle && (o.idle_seconds = cli_parse_int(idle, 10, 86400)) < 0) {
        fprintf(stderr, "itsearvio worker: --idle takes seconds (10 to 86400)\n");
        return 2;
    }
    if (!cli_have_display()) {
        fprintf(stderr, "itsearvio worker: no display found; to run it without a screen use Xvfb: "
                        "xvfb-run -s \"-screen 0 1280x800x24\" ./build/itsearvio worker --demo\n");
        return 1;
    }
    if (!dir) {
        o.dir = "demo-data";
        if (demo_folder(o.dir) != 0)
            return 1;
        o.hint = STORE_DEMO_PASSPHRASE;
    }
    o.lang = cli_screen_lang(lang, o.dir); /* the folder's language unless --lang says */
    its_err err;
    if (wui_run(&o, &err) != 0) {
        fprintf(stderr, "itsearvio worker: %s\n", err.msg);
        return 1;
    }
    return 0;
}
