/* cli.h — the subcommands of the itsearvio executable and the little they share.
 *
 * Each subcommand is `int cmd_NAME(int argc, char **argv)` with argv[0] the subcommand name,
 * returns the process exit code (0 ok, 1 a problem found or refused, 2 usage) and prints plain
 * messages to stderr. Library code below never prints or exits; only this layer does. */
#ifndef ITS_CLI_H
#define ITS_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "util.h"

#include "words.h"

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_command;

/* Returns the value of `--name VALUE` or `--name=VALUE` at argv[*i] and advances *i; NULL if
 * argv[*i] is not that option. Prints a usage error and sets *bad when the value is missing. */
const char *cli_option(int argc, char **argv, int *i, const char *name, bool *bad);

typedef struct cli_opt {
    const char *name;   /* "--dir": takes a value */
    const char **value;
} cli_opt;

typedef struct cli_flag {
    const char *name;   /* "--force": no value */
    bool *set;
} cli_flag;

/* Parses argv[1..]: the options with values, the flags, and up to max_words plain words (in
 * words[], count in *n_words). On an unknown option or a missing value prints a plain message
 * naming argv[0] and returns -1. */
int cli_parse(int argc, char **argv, const cli_opt *opts, size_t n_opts, const cli_flag *flags,
              size_t n_flags, const char **words, int max_words, int *n_words);

/* True if argv has -h or --help. */
bool cli_wants_help(int argc, char **argv);

/* The folder with assets/, questionnaires/ and locale/: $ITSEARVIO_DATA or the build default. */
const char *cli_data_dir(void);

/* Is there a display for SDL ($DISPLAY, $WAYLAND_DISPLAY or $SDL_VIDEODRIVER)? */
bool cli_have_display(void);
/* The catalogue of words in DATA/locale, loaded on first use (NULL, said once on stderr, when
 * it cannot be read: then words_get gives ""). */
const words_catalogue *cli_words(void);
/* The reader's language for a command's texts: `given` (--lang) when it is one the catalogue
 * has, else "lang" in DIR/config.json, else $LC_ALL / $LC_MESSAGES / $LANG ("sv_FI.UTF-8" ->
 * "sv"), else "fi". */
const char *cli_lang(const char *given, const char *dir);
/* The first language of a screen program (the kiosk, the worker's screens): `given` (--lang),
 * else "lang" in DIR/config.json, else "fi". Never the terminal's $LANG: a kiosk started by
 * systemd or a test runner speaks the folder's language. */
const char *cli_screen_lang(const char *given, const char *dir);
/* A catalogue text in lang with its placeholders filled (a NULL-terminated list), in one of four
 * rotating buffers, so that one printf can hold a few. */
const char *cli_say(const char *lang, const char *key, ...);
const char *cli_vsay(const char *lang, const char *key, va_list ap);
/* A failure in the reader's language (words_error), into a static buffer; a damaged record or
 * file is also named in the log's sentence, for IT. */
const char *cli_error(const char *lang, const its_err *err);
/* A whole number in [lo, hi] (lo >= 0), or -1. */
int cli_parse_int(const char *s, int lo, int hi);
/* "1280x800" -> 1280, 800 (each 320..8192); false if not such a size. */
bool cli_parse_size(const char *s, int *w, int *h);
/* --demo: makes the demo data folder `dir` on first use (kiosk mode, holding the worker key and
 * the published demo passphrase; synthetic data only) and says so. -1 with a message. */
int cli_demo_folder(const char *dir, const char *cmd);

/* s (a path, an option, an id the person typed) with control characters written as \xNN, for a
 * message: a newline or a terminal escape is shown, never acted on. The text lives in one of 4
 * rotating buffers, so up to 4 may appear in one printf. */
const char *cli_safe(const char *s);

/* Prints s left-aligned in width columns (right-aligned and two spaces after when width < 0),
 * counting characters, not bytes; at least one space after. */
void cli_print_cell(const char *s, int width);

/* Formats seconds since 1970 as ISO 8601 UTC: "2025-01-31T09:05:00Z". */
void cli_iso_time(long long t, char out[32]);

#define CLI_PASS_MAX 1024
/* The passphrase: the first line of `file`, or (file NULL) asked on /dev/tty without echo after
 * `prompt`. NULL with a message on stderr when it cannot be read. Free with cli_pass_free. */
char *cli_pass_read(const char *file, const char *prompt, const char *cmd);
void cli_pass_free(char *p); /* wipes, then frees; NULL is fine */

int cmd_check(int argc, char **argv);
int cmd_score(int argc, char **argv);
/* storage commands (cmd_store.c, cmd_demo.c) */
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_passwd(int argc, char **argv);
/* worker commands (cmd_worker.c) */
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_trend(int argc, char **argv);
int cmd_note(int argc, char **argv);
int cmd_referral(int argc, char **argv);
int cmd_consent(int argc, char **argv);
int cmd_due(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* the programme report and key (cmd_report.c) */
int cmd_report(int argc, char **argv);
int cmd_programme(int argc, char **argv);
/* the client touchscreen (cmd_kiosk.c) */
int cmd_kiosk(int argc, char **argv);
int cmd_tablet(int argc, char **argv);
/* the fleet (cmd_fleet.c): upload of a device's outbox, a worker station's pull, and enrolment
 * (init --server URL --ca FILE --token TOKEN, called by cmd_init; returns the exit code) */
int cmd_sync(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cli_enrol(const char *dir, const char *mode, const char *server, const char *ca, const char *token,
              const char *device, bool force);
struct store;
struct store_key;
/* Opens a worker folder and unlocks it with the passphrase (file, or asked); team gets the team it
 * knows ("" none). 0, -1 with err, -2 when the passphrase could not be read (already said). */
int cli_station_open(const char *dir, const char *pass_file, const char *cmd, struct store **s,
                     struct store_key **key, char team[64], its_err *err);
/* team keys and the recovery drill (cmd_team.c) */
int cmd_team(int argc, char **argv);
int cmd_recovery(int argc, char **argv);
/* the worker's screens (cmd_wui.c) */
int cmd_wui(int argc, char **argv);
/* the central server (cmd_server.c) */
int cmd_server(int argc, char **argv);

#endif
