/* kiosk_run.c — see kiosk_run.h. */
#include "kiosk_run.h"
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

void sb_line(script_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->text + b->len, sizeof b->text - b->len, fmt, ap);
    va_end(ap);
    if (n > 0 && b->len + (size_t)n + 1 < sizeof b->text) {
        b->len += (size_t)n;
        b->text[b->len++] = '\n';
        b->text[b->len] = '\0';
    }
}

static const char *extra_env;

void kiosk_run_env(const char *entry)
{
    extra_env = entry;
}

run_result run_command(const char *const *argv, const char *const *env)
{
    run_result r = {0};
    char errpath[] = "/tmp/its-kiosk-test-XXXXXX";
    int fd = mkstemp(errpath);
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; env && env[i]; i++) {
            char name[128];
            const char *eq = strchr(env[i], '=');
            snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - env[i]) : (int)strlen(env[i]),
                     env[i]);
            if (eq)
                setenv(name, eq + 1, 1);
            else
                unsetenv(name);
        }
        dup2(fd, 2);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        r.exit_code = WEXITSTATUS(status);
    else {
        r.exit_code = -1;
        r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, r.out, sizeof r.out - 1);
    r.out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(errpath);
    return r;
}

run_result kiosk_run_script(const char *itsearvio, const char *work, const char *name,
                            const char *mode, const char *size, const script_buf *script,
                            const char *const *extra)
{
    char path[1024], dir[1024];
    snprintf(path, sizeof path, "%s/%s.txt", work, name);
    snprintf(dir, sizeof dir, "%s/%s", work, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(script->text, f);
        fclose(f);
    }
    const char *argv[48] = {itsearvio, mode, "--dir", dir, "--windowed", "--size", size,
                            "--script", path};
    int n = 9;
    for (int i = 0; extra && extra[i] && n < 46; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    const char *env[] = {"SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy", "DISPLAY",
                         "WAYLAND_DISPLAY", extra_env, NULL};
    return run_command(argv, env);
}

int work_init(const char *work, const char *name, bool tablet)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", work, name);
    work_clean(work, name);
    store_init_opts o = {.mode = tablet ? STORE_TABLET : STORE_KIOSK, .demo = true,
                         .kdf = STORE_KDF_MIN};
    its_err err;
    if (store_init(dir, &o, &err) != 0) {
        fprintf(stderr, "%s: %s\n", dir, err.msg);
        return -1;
    }
    return 0;
}

static store *open_dir(const char *work, const char *name)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", work, name);
    store *s = NULL;
    its_err err;
    if (store_open(dir, &s, &err) != 0) {
        fprintf(stderr, "%s: %s\n", dir, err.msg);
        return NULL;
    }
    return s;
}

int results_count(const char *work, const char *name)
{
    store *s = open_dir(work, name);
    store_record_info *list = NULL;
    int n = 0;
    its_err err;
    if (s && store_list(s, &list, &n, &err) != 0)
        n = -1;
    free(list);
    store_close(s);
    return n;
}

void *result_load(const char *work, const char *name)
{
    store *s = open_dir(work, name);
    store_key *key = NULL;
    store_record_info *list = NULL;
    unsigned char *payload = NULL;
    size_t len = 0;
    int n = 0;
    its_err err;
    json_t *out = NULL;
    if (s && store_unlock(s, STORE_DEMO_PASSPHRASE, &key, &err) == 0 &&
        store_list(s, &list, &n, &err) == 0 && n > 0 && /* newest first */
        store_open_record(s, key, list[0].id, &payload, &len, &err) == 0) {
        json_error_t je;
        out = json_loadb((const char *)payload, len, 0, &je);
    }
    store_payload_free(payload, len);
    free(list);
    store_lock(key);
    store_close(s);
    return out;
}

bool draft_exists(const char *work, const char *name)
{
    store *s = open_dir(work, name);
    unsigned char *data = NULL;
    size_t len = 0;
    its_err err;
    int rc = s ? store_draft_load(s, &data, &len, &err) : -1;
    store_draft_free(data, len);
    store_close(s);
    return rc == 1;
}

void work_clean(const char *work, const char *name)
{
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/%s' '%s/%s.txt'", work, name, work, name);
    if (system(cmd) != 0)
        fprintf(stderr, "could not clean %s/%s\n", work, name);
}
