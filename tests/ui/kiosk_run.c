/* kiosk_run.c — see kiosk_run.h. */
#include "kiosk_run.h"

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
    const char *env[] = {"SDL_VIDEODRIVER=dummy", "DISPLAY", "WAYLAND_DISPLAY", NULL};
    return run_command(argv, env);
}

/* Newest file in DIR/NAME/results by modification time; count in *n. */
static int newest(const char *work, const char *name, char *out, size_t len)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s/results", work, name);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    struct timespec best = {0, 0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char p[1400];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0)
            continue;
        count++;
        if (st.st_mtim.tv_sec > best.tv_sec ||
            (st.st_mtim.tv_sec == best.tv_sec && st.st_mtim.tv_nsec >= best.tv_nsec)) {
            best = st.st_mtim;
            snprintf(out, len, "%s", p);
        }
    }
    closedir(d);
    return count;
}

int results_count(const char *work, const char *name)
{
    char p[1400];
    return newest(work, name, p, sizeof p);
}

void *result_load(const char *work, const char *name)
{
    char p[1400];
    if (!newest(work, name, p, sizeof p))
        return NULL;
    json_error_t je;
    return json_load_file(p, 0, &je);
}

void work_clean(const char *work, const char *name)
{
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/%s' '%s/%s.txt'", work, name, work, name);
    if (system(cmd) != 0)
        fprintf(stderr, "could not clean %s/%s\n", work, name);
}
