/* Crash consistency: a child process saves drafts and results as the kiosk does and reports each
 * record id on a pipe only after store_save_result returned. Two faults, over and over:
 * - kill (default): the parent kills the child with SIGKILL after a random delay;
 * - power cut (--power-cut SHIM.so, tests/reliability/powercut.c): the child runs with the shim
 *   preloaded, which ends it at a random write or sync and keeps only what was fsync'd; the
 *   parent then puts that durable state in place of the folder, as a restarted device finds it.
 * Afterwards every acknowledged record must open with its exact payload, every record present must
 * open (no partial record), and integrity_check must say ok.
 * Usage: test_store_crash [TRIALS [SEED [--power-cut SHIM.so]]] (default 200 trials; seed 0 or
 * none: from the clock). `test_store_crash --writer DIR SEQ` is the power-cut child (it
 * acknowledges on stdout). */
#include "store_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINE 46 /* 36-char id, space, 8-digit sequence, newline: one atomic pipe write */
#define MAX_DELAY_US 30000
#define MAX_EVENTS 400 /* the power goes at a write or sync numbered 1..MAX_EVENTS */

typedef struct acked {
    char id[37];
    int seq;
} acked;

static void child_writer(const char *dir, int fd, int first_seq)
{
    store *s = NULL;
    its_err err;
    if (store_open(dir, &s, &err) != 0)
        _exit(3);
    for (int seq = first_seq;; seq++) {
        char payload[1024], id[37], line[64];
        size_t n = test_payload(payload, sizeof payload, seq);
        if (store_draft_save(s, (unsigned char *)payload, n / 2, &err) != 0 ||
            store_save_result(s, (unsigned char *)payload, n, id, &err) != 0) {
            fprintf(stderr, "writer: %s\n", err.msg);
            _exit(4);
        }
        if (snprintf(line, sizeof line, "%s %08d\n", id, seq) != LINE || write(fd, line, LINE) != LINE)
            _exit(5);
    }
}

/* Reads the child's acknowledgements until it is gone; appends them. Returns how many. */
static int read_acks(int fd, acked **acks, int *n, int *cap)
{
    int before = *n;
    char line[LINE];
    size_t got = 0;
    ssize_t r;
    while ((r = read(fd, line + got, LINE - got)) > 0) {
        got += (size_t)r;
        if (got < LINE)
            continue;
        got = 0;
        if (*n == *cap) {
            *cap *= 2;
            *acks = realloc(*acks, (size_t)*cap * sizeof **acks);
        }
        memcpy((*acks)[*n].id, line, 36);
        (*acks)[*n].id[36] = '\0';
        (*acks)[*n].seq = (int)strtol(line + 37, NULL, 10);
        (*n)++;
    }
    close(fd);
    return *n - before;
}

/* Kill trial; appends what the child acknowledged. Returns -1 if the child failed by itself. */
static int trial(const char *dir, int t, acked **acks, int *n, int *cap)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        child_writer(dir, fd[1], t * 100000);
    }
    close(fd[1]);
    struct timespec d = {0, (long)(rand() % MAX_DELAY_US) * 1000};
    nanosleep(&d, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    read_acks(fd[0], acks, n, cap);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : -1;
}

/* ---- power cut ------------------------------------------------------------------------------ */

/* Copies the ordinary files of `from` into `to` (after removing those of `to`). */
static int copy_folder(const char *from, const char *to)
{
    DIR *d = opendir(to);
    struct dirent *e;
    char a[1200], b[1200], buf[65536];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, "..")))
            if (snprintf(b, sizeof b, "%s/%s", to, e->d_name) < (int)sizeof b)
                unlink(b);
    if (d)
        closedir(d);
    if (!(d = opendir(from)))
        return -1;
    int rc = 0;
    while ((e = readdir(d))) {
        struct stat st;
        if (snprintf(a, sizeof a, "%s/%s", from, e->d_name) >= (int)sizeof a ||
            snprintf(b, sizeof b, "%s/%s", to, e->d_name) >= (int)sizeof b || stat(a, &st) != 0 ||
            !S_ISREG(st.st_mode) || strstr(e->d_name, ".pc-tmp"))
            continue;
        int in = open(a, O_RDONLY), out = open(b, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ssize_t got;
        while (in >= 0 && out >= 0 && (got = read(in, buf, sizeof buf)) > 0)
            if (write(out, buf, (size_t)got) != got)
                rc = -1;
        rc |= in < 0 || out < 0 ? -1 : 0;
        if (in >= 0)
            close(in);
        if (out >= 0)
            close(out);
    }
    closedir(d);
    return rc;
}

/* Power-cut trial: the child runs under the shim until the power goes at a random event; the
 * folder is then replaced by what was durable. Returns -1 if the child failed by itself. */
static int trial_power_cut(const char *dir, const char *shadow, const char *shim, int t, acked **acks,
                           int *n, int *cap)
{
    char self[1024], seq[16], at[16];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0 || copy_folder(dir, shadow) != 0)
        return -1;
    self[len] = '\0';
    snprintf(seq, sizeof seq, "%d", t * 100000);
    snprintf(at, sizeof at, "%d", 1 + rand() % MAX_EVENTS);
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        setenv("LD_PRELOAD", shim, 1);
        setenv("POWERCUT_DIR", dir, 1);
        setenv("POWERCUT_SHADOW", shadow, 1);
        setenv("POWERCUT_AT", at, 1);
        execl(self, self, "--writer", dir, seq, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    read_acks(fd[0], acks, n, cap);
    int status = 0;
    waitpid(pid, &status, 0);
    if (copy_folder(shadow, dir) != 0)
        return -1;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 2;
    if (argc == 4 && !strcmp(argv[1], "--writer"))
        child_writer(argv[2], 1, (int)strtol(argv[3], NULL, 10));
    int trials = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 200;
    unsigned seed = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 0;
    if (seed == 0) /* 0: from the clock (printed at the end, to repeat a run) */
        seed = (unsigned)time(NULL);
    const char *shim = argc > 4 && !strcmp(argv[3], "--power-cut") ? argv[4] : NULL;
    srand(seed);
    char base[512], dir[600], shadow[600];
    test_tmpdir(base);
    store_close(test_make_store(base, "crash", dir));
    snprintf(shadow, sizeof shadow, "%s/durable", base);
    if (shim && mkdir(shadow, 0700) != 0)
        return 2;

    int n = 0, cap = 256, child_errors = 0;
    acked *acks = malloc((size_t)cap * sizeof *acks);
    for (int t = 0; t < trials; t++)
        child_errors += (shim ? trial_power_cut(dir, shadow, shim, t, &acks, &n, &cap)
                              : trial(dir, t, &acks, &n, &cap)) != 0;
    CHECK_EQ_INT(child_errors, 0);

    store *s = NULL;
    its_err err = {0};
    store_key *k = NULL;
    if (!CHECK(store_open(dir, &s, &err) == 0 && store_unlock(s, TEST_PASS, &k, &err) == 0)) {
        fprintf(stderr, "  %s\n", err.msg);
        return check_summary();
    }
    int failures = 0;
    for (int i = 0; i < n; i++) {
        unsigned char *p = NULL;
        size_t len = 0;
        char want[1024];
        size_t wlen = test_payload(want, sizeof want, acks[i].seq);
        if (store_open_record(s, k, acks[i].id, &p, &len, &err) != 0 || len != wlen || memcmp(p, want, len)) {
            failures++;
            fprintf(stderr, "acknowledged record %s: %s\n", acks[i].id, err.msg);
        }
        store_payload_free(p, len);
    }
    store_record_info *list = NULL;
    int found = 0;
    CHECK(store_list(s, &list, &found, &err) == 0);
    for (int i = 0; i < found; i++) {
        unsigned char *p = NULL;
        size_t len = 0;
        if (store_open_record(s, k, list[i].id, &p, &len, &err) != 0 || len < 100) {
            failures++;
            fprintf(stderr, "partial record %s: %s\n", list[i].id, err.msg);
        }
        store_payload_free(p, len);
    }
    /* Sequence numbers survive the kills without a gap, and the signed audit chain is whole. */
    store_damage *dmg = NULL;
    int nd = -1;
    CHECK(store_check_complete(s, k, &dmg, &nd, &err) == 0);
    for (int i = 0; i < nd; i++)
        fprintf(stderr, "after the kills: %s\n", dmg[i].what);
    CHECK_EQ_INT(nd, 0);
    free(dmg);
    sqlite3_stmt *q;
    CHECK(sqlite3_prepare_v2(s->db, "SELECT count(*), count(DISTINCT seq), max(seq) FROM records", -1, &q,
                             NULL) == SQLITE_OK);
    CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == found &&
          sqlite3_column_int(q, 1) == found && sqlite3_column_int(q, 2) == found);
    sqlite3_finalize(q);
    char what[300];
    CHECK(store_audit_verify(s, NULL, NULL, what, sizeof what, &err) == 0);
    int integrity = store_check_integrity(s, &err);
    if (integrity != 0)
        fprintf(stderr, "%s\n", err.msg);
    CHECK_EQ_INT(integrity, 0);
    CHECK_EQ_INT(failures, 0);
    CHECK(found >= n);
    printf("%s test: seed %u, trials %d, records acknowledged %d, records found %d, failures %d, "
           "integrity_check %s\n", shim ? "power-cut" : "crash (SIGKILL)", seed, trials, n, found,
           failures, integrity == 0 ? "ok" : "FAILED");
    free(list);
    free(acks);
    store_lock(k);
    store_close(s);
    test_rm_rf(base);
    return check_summary();
}
