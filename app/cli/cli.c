/* cli.c — option parsing shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "store.h"

#include <sodium.h>
#include "util.h"
#include "wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ITS_DATA_DIR
#define ITS_DATA_DIR "."
#endif

const char *cli_option(int argc, char **argv, int *i, const char *name, bool *bad)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "itsearvio: %s needs a value\n", name);
        *bad = true;
        return NULL;
    }
    *i += 1;
    return argv[*i];
}

int cli_parse(int argc, char **argv, const cli_opt *opts, size_t n_opts, const cli_flag *flags,
              size_t n_flags, const char **words, int max_words, int *n_words)
{
    bool bad = false;
    *n_words = 0;
    for (int i = 1; i < argc && !bad; i++) {
        bool matched = false;
        for (size_t k = 0; k < n_opts && !matched && !bad; k++) {
            const char *v = cli_option(argc, argv, &i, opts[k].name, &bad);
            if (v) {
                *opts[k].value = v;
                matched = true;
            }
        }
        for (size_t k = 0; k < n_flags && !matched && !bad; k++)
            if (!strcmp(argv[i], flags[k].name))
                matched = *flags[k].set = true;
        if (matched || bad)
            continue;
        if (argv[i][0] != '-' && *n_words < max_words)
            words[(*n_words)++] = argv[i];
        else {
            fprintf(stderr, "itsearvio %s: unknown option %s (see --help)\n", argv[0], cli_safe(argv[i]));
            return -1;
        }
    }
    return bad ? -1 : 0;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return true;
    return false;
}

void cli_print_cell(const char *s, int width)
{
    int chars = (int)wrap_chars(s, strlen(s)), w = width < 0 ? -width : width;
    if (width < 0)
        printf("%*s%s  ", chars < w ? w - chars : 0, "", s);
    else
        printf("%s%*s", s, chars < w ? w - chars : 1, "");
}

const char *cli_data_dir(void)
{
    const char *env = getenv("ITSEARVIO_DATA");
    return (env && *env) ? env : ITS_DATA_DIR;
}

static words_catalogue *catalogue;

static void catalogue_free(void)
{
    words_free(catalogue);
}

const words_catalogue *cli_words(void)
{
    static bool tried;
    if (!tried) {
        tried = true;
        char dir[4096];
        its_err err = {0};
        if (its_path(dir, sizeof dir, &err, "%s/locale", cli_data_dir()) != 0 ||
            words_load(dir, &catalogue, &err) != 0)
            fprintf(stderr, "itsearvio: %s\n", err.msg);
        else
            atexit(catalogue_free);
    }
    return catalogue;
}

/* A language the catalogue has and may offer: never a translation marked unreviewed
 * (certify.h: locale/ar.json is machine-made, for the screens' tests only). */
static bool offered_lang(const char *code)
{
    return words_has_lang(cli_words(), code) && words_offered(cli_words(), code, false, NULL) == 0;
}

/* "sv" from "sv_FI.UTF-8" when the catalogue has it; NULL otherwise. */
static const char *known_lang(const char *s)
{
    static char code[3];
    if (!s || strlen(s) < 2 || (s[2] && s[2] != '_' && s[2] != '.' && s[2] != '-'))
        return NULL;
    memcpy(code, s, 2);
    code[2] = '\0';
    return offered_lang(code) ? code : NULL;
}

/* "lang" of DIR/config.json, or NULL. */
static const char *config_lang(const char *dir)
{
    static char code[9];
    char path[4096];
    its_err err;
    if (!dir || its_path(path, sizeof path, &err, "%s/config.json", dir) != 0)
        return NULL;
    json_t *c = json_load_file(path, 0, NULL);
    const char *lang = known_lang(json_string_value(json_object_get(c, "lang")));
    if (lang)
        its_strlcpy(code, lang, sizeof code);
    json_decref(c);
    return lang ? code : NULL;
}

/* --lang when the catalogue has it, else the folder's "lang"; NULL when neither says. */
static const char *chosen_lang(const char *given, const char *dir)
{
    return given && offered_lang(given) ? given : config_lang(dir);
}

const char *cli_screen_lang(const char *given, const char *dir)
{
    const char *lang = chosen_lang(given, dir);
    return lang ? lang : "fi";
}

const char *cli_lang(const char *given, const char *dir)
{
    const char *lang = chosen_lang(given, dir);
    const char *env[] = {getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG")};
    for (int i = 0; !lang && i < 3; i++)
        if (env[i] && *env[i]) {
            lang = known_lang(env[i]);
            break; /* the first one set decides, as in POSIX */
        }
    return lang ? lang : "fi";
}

const char *cli_vsay(const char *lang, const char *key, va_list ap)
{
    static char ring[4][1024];
    static int next;
    char *out = ring[next++ % 4];
    words_vformat(cli_words(), lang, out, sizeof ring[0], key, ap);
    return out;
}

const char *cli_say(const char *lang, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    const char *out = cli_vsay(lang, key, ap);
    va_end(ap);
    return out;
}

const char *cli_error(const char *lang, const its_err *err)
{
    static char text[2 * ITS_ERR_LEN + 200];
    words_error(cli_words(), lang, err, text, sizeof text);
    if (err->code == ITS_E_DAMAGED) /* which record or file, and how: for IT, in the log's words */
        its_appendf(text, sizeof text, " [%s]", err->msg);
    return text;
}

bool cli_have_display(void)
{
    const char *vars[] = {"DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]) && *getenv(vars[i]))
            return true;
    return false;
}

int cli_parse_int(const char *s, int lo, int hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return (end != s && *end == '\0' && v >= lo && v <= hi) ? (int)v : -1;
}

bool cli_parse_size(const char *s, int *w, int *h)
{
    char buf[32];
    its_strlcpy(buf, s, sizeof buf);
    char *x = strchr(buf, 'x');
    if (!x)
        return false;
    *x = '\0';
    *w = cli_parse_int(buf, 320, 8192);
    *h = cli_parse_int(x + 1, 320, 8192);
    return *w > 0 && *h > 0;
}

int cli_demo_folder(const char *dir, const char *cmd)
{
    struct stat sb;
    if (stat(dir, &sb) == 0)
        return 0;
    its_err err;
    store_init_opts o = {.mode = STORE_KIOSK, .demo = true, .kdf = STORE_KDF_INTERACTIVE};
    if (store_init(dir, &o, &err) != 0) {
        fprintf(stderr, "itsearvio %s: %s\n", cmd, err.msg);
        return -1;
    }
    fprintf(stderr, "itsearvio %s: made the demo data folder %s (synthetic data only: its worker "
                    "passphrase is \"%s\")\n", cmd, cli_safe(dir), STORE_DEMO_PASSPHRASE);
    return 0;
}

void cli_iso_time(long long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads the first line of a file, or asks on the terminal without echo. Free with cli_pass_free. */
/* The first line of a passphrase file, read with read(2) into p: no stdio buffer keeps a copy. */
static int pass_from_file(const char *file, char *p, const char *cmd)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, p, CLI_PASS_MAX - 1) : -1;
    int e = errno;
    if (fd >= 0)
        close(fd);
    if (n <= 0) {
        fprintf(stderr, "itsearvio %s: cannot read the passphrase file %s%s%s\n", cmd, cli_safe(file),
                n < 0 ? ": " : "", n < 0 ? strerror(e) : " (it is empty)");
        return -1;
    }
    p[n] = '\0';
    return 0;
}

const char *cli_safe(const char *s)
{
    static char ring[4][1024];
    static int next;
    char *out = ring[next];
    next = (next + 1) % 4;
    its_escape_controls(out, sizeof ring[0], s ? s : "");
    return out;
}

char *cli_pass_read(const char *file, const char *prompt, const char *cmd)
{
    /* Guarded memory: locked out of swap, wiped and unmapped by cli_pass_free. */
    char *p = sodium_init() >= 0 ? sodium_malloc(CLI_PASS_MAX) : NULL;
    if (!p)
        return NULL;
    memset(p, 0, CLI_PASS_MAX);
    if (file) {
        if (pass_from_file(file, p, cmd) != 0) {
            sodium_free(p);
            return NULL;
        }
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
            sodium_free(p);
            return NULL;
        }
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ICANON;
        if (write(fd, prompt, strlen(prompt)) < 0 || tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
            close(fd);
            sodium_free(p);
            return NULL;
        }
        ssize_t n = read(fd, p, CLI_PASS_MAX - 1);
        tcsetattr(fd, TCSAFLUSH, &old);
        if (write(fd, "\n", 1) < 0 || n < 0)
            n = 0;
        p[n] = '\0';
        close(fd);
    }
    p[strcspn(p, "\r\n")] = '\0';
    return p;
}

void cli_pass_free(char *p)
{
    sodium_free(p); /* wipes first; NULL is fine */
}
