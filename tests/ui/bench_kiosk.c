/* bench_kiosk.c — figures for the kiosk, printed, never pass/fail (benchmarks vary by machine).
 *
 *   start to first frame   process start (fork) to the first presented frame, median of 10
 *   tap to frame           from pushing a tap to the frame that shows its effect, over a whole
 *                          36-item assessment at 1280x800 (median and p99)
 *   peak memory            the largest resident set of one run (ru_maxrss)
 *   idle CPU               CPU time used in 10 s of waiting on a question screen, under Xvfb
 *                          (the dummy video driver polls, so idle is measured on a real X server)
 *
 * usage: bench_kiosk ITSEARVIO SOURCE_DIR WORK_DIR   (Xvfb on PATH for the X figures) */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk_run.h"

static const char *bin, *src, *work;
static char q36[1024];

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static int cmp_ull(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

typedef struct child_run {
    pid_t pid;
    int err_fd;
    char err_path[64];
    unsigned long long started;
} child_run;

/* Starts `itsearvio kiosk` with the script; display: NULL for the dummy driver. */
static child_run start(const char *script_path, const char *display, const char *dir)
{
    child_run c;
    snprintf(c.err_path, sizeof c.err_path, "/tmp/its-bench-XXXXXX");
    c.err_fd = mkstemp(c.err_path);
    c.started = now_ns();
    c.pid = fork();
    if (c.pid == 0) {
        setenv("ITS_BENCH", "1", 1);
        if (display) {
            setenv("DISPLAY", display, 1);
            unsetenv("SDL_VIDEODRIVER");
        } else {
            setenv("SDL_VIDEODRIVER", "dummy", 1);
            unsetenv("DISPLAY");
        }
        dup2(c.err_fd, 2);
        const char *argv[] = {bin, "kiosk", "--dir", dir, "--windowed", "--size", "1280x800",
                              "--questionnaire", q36, script_path ? "--script" : NULL, script_path,
                              NULL};
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    return c;
}

/* Waits; reads the "bench" figures the kiosk printed; peak RSS in KiB. */
static void finish(child_run *c, unsigned long long *first_frame_ns, char *taps, size_t n,
                   long *maxrss)
{
    int status;
    struct rusage ru;
    waitpid(c->pid, &status, 0);
    getrusage(RUSAGE_CHILDREN, &ru); /* the largest of the children waited for so far */
    *maxrss = ru.ru_maxrss;
    char buf[4096] = "";
    lseek(c->err_fd, 0, SEEK_SET);
    ssize_t got = read(c->err_fd, buf, sizeof buf - 1);
    buf[got > 0 ? got : 0] = '\0';
    close(c->err_fd);
    unlink(c->err_path);
    const char *ff = strstr(buf, "first_frame_ns=");
    *first_frame_ns = ff ? strtoull(ff + 15, NULL, 10) - c->started : 0;
    const char *t = strstr(buf, "bench taps=");
    if (taps)
        snprintf(taps, n, "%.*s", t ? (int)strcspn(t, "\n") : 0, t ? t : "");
}

static void write_script(const char *path, const script_buf *b)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(b->text, f);
        fclose(f);
    }
}

static void bench_mode(const char *label, const char *display)
{
    char dir[1024], quit_path[1024], tour_path[1024];
    snprintf(dir, sizeof dir, "%s/bench", work);
    snprintf(quit_path, sizeof quit_path, "%s/quit.txt", work);
    snprintf(tour_path, sizeof tour_path, "%s/tour.txt", work);
    work_init(work, "bench", false);
    script_buf q = {0};
    sb_line(&q, "quit");
    write_script(quit_path, &q);

    unsigned long long ff[10];
    long rss = 0, max_rss = 0;
    for (int i = 0; i < 10; i++) {
        child_run c = start(quit_path, display, dir);
        finish(&c, &ff[i], NULL, 0, &rss);
        max_rss = rss > max_rss ? rss : max_rss;
    }
    qsort(ff, 10, sizeof ff[0], cmp_ull);
    printf("%-6s start to first frame: median %.1f ms (min %.1f, max %.1f)\n", label,
           ff[5] / 1e6, ff[0] / 1e6, ff[9] / 1e6);

    /* a whole 36-item assessment by taps: every tap's latency to its frame */
    script_buf t = {0};
    sb_line(&t, "tap \"Aloita\"");
    sb_line(&t, "tap \"Seuraava\"");
    sb_line(&t, "tap \"Ei, en anna lupaa\"");
    sb_line(&t, "tap \"Ei, jatkan ilman koodia\"");
    sb_line(&t, "tap \"Aloita kysely\"");
    static const char *const labels[] = {"Ei vaikeuksia", "Vähän vaikeuksia",
                                         "Jonkin verran vaikeuksia", "Paljon vaikeuksia"};
    for (int i = 0; i < 36; i++) {
        sb_line(&t, "tap \"%s\"", i == 24 ? "Kyllä" : labels[i % 4]);
        sb_line(&t, "tap \"Seuraava\"");
    }
    for (int i = 0; i < 3; i++) {
        sb_line(&t, "tap \"1\"");
        sb_line(&t, "tap \"Seuraava\"");
    }
    sb_line(&t, "seek \"Lähetä vastaukset\""); /* once the end has been shown */
    sb_line(&t, "tap \"Lähetä vastaukset\"");
    sb_line(&t, "expect \"Kiitos vastauksistasi!\"");
    write_script(tour_path, &t);
    char taps[512];
    unsigned long long first;
    child_run c = start(tour_path, display, dir);
    finish(&c, &first, taps, sizeof taps, &rss);
    max_rss = rss > max_rss ? rss : max_rss;
    printf("%-6s tap to frame at 1280x800 (36-item assessment): %s\n", label,
           taps[0] ? taps + 6 : "(no figures: did the run fail?)");
    printf("%-6s peak memory (largest RSS of one run): %.1f MiB\n", label, max_rss / 1024.0);
}

/* CPU time of every thread of a process, in ns (first field of each task's schedstat). */
static unsigned long long cpu_time_ns(pid_t pid)
{
    char dir[64], path[400];
    snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
    DIR *d = opendir(dir);
    unsigned long long sum = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s/schedstat", dir, e->d_name);
        FILE *f = fopen(path, "r");
        unsigned long long ns = 0;
        if (f && fscanf(f, "%llu", &ns) == 1)
            sum += ns;
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return sum;
}

/* CPU time of a kiosk waiting on a question screen for 10 s (idle timer armed). */
static void bench_idle(const char *display)
{
    char dir[1024], path[1024];
    snprintf(dir, sizeof dir, "%s/bench", work);
    snprintf(path, sizeof path, "%s/hold.txt", work);
    work_init(work, "bench", false);
    script_buf h = {0};
    sb_line(&h, "tap \"Aloita\"");
    sb_line(&h, "tap \"Seuraava\"");
    sb_line(&h, "tap \"Ei, en anna lupaa\"");
    sb_line(&h, "tap \"Ei, jatkan ilman koodia\"");
    sb_line(&h, "tap \"Aloita kysely\"");
    sb_line(&h, "hold");
    write_script(path, &h);
    child_run c = start(path, display, dir);
    sleep(2);
    unsigned long long cpu_ns[2] = {cpu_time_ns(c.pid), 0};
    sleep(10);
    cpu_ns[1] = cpu_time_ns(c.pid);
    int status;
    if (waitpid(c.pid, &status, WNOHANG) != 0 || cpu_ns[0] == 0) {
        printf("xvfb   idle CPU: the kiosk was not running (did the script fail?)\n");
        return;
    }
    kill(c.pid, SIGKILL);
    unsigned long long ff;
    long rss;
    finish(&c, &ff, NULL, 0, &rss);
    double ms = (double)(cpu_ns[1] - cpu_ns[0]) / 1e6;
    printf("xvfb   CPU during 10 s idle on a question screen, all threads: %.3f ms (%.4f %%)\n",
           ms, ms / 100.0);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_kiosk ITSEARVIO SOURCE_DIR WORK_DIR\n");
        return 2;
    }
    bin = argv[1];
    src = argv[2];
    work = argv[3];
    mkdir(work, 0755);
    snprintf(q36, sizeof q36, "%s/questionnaires/whodas36-style.json", src);
    bench_mode("dummy", NULL);
    /* one Xvfb for all the X figures */
    const char *display = ":77";
    pid_t xvfb = fork();
    if (xvfb == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execlp("Xvfb", "Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp", NULL);
        _exit(127);
    }
    sleep(1);
    int status;
    if (waitpid(xvfb, &status, WNOHANG) != 0) {
        printf("xvfb   (Xvfb did not start: no X figures)\n");
        return 0;
    }
    bench_mode("xvfb", display);
    bench_idle(display);
    kill(xvfb, SIGTERM);
    waitpid(xvfb, &status, 0);
    return 0;
}
