/* Crash consistency: a child process saves drafts and results as the kiosk does and reports each
 * record id on a pipe only after store_save_result returned; the parent kills it with SIGKILL
 * after a random delay, over and over. Afterwards every acknowledged record must open with its
 * exact payload, every record present must open (no partial record), and integrity_check must
 * say ok. Usage: test_store_crash [TRIALS [SEED]] (default 200 trials, seed from the clock). */
#include "store_test.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINE 46 /* 36-char id, space, 8-digit sequence, newline: one atomic pipe write */
#define MAX_DELAY_US 30000

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
            store_save_result(s, (unsigned char *)payload, n, id, &err) != 0)
            _exit(4);
        if (snprintf(line, sizeof line, "%s %08d\n", id, seq) != LINE || write(fd, line, LINE) != LINE)
            _exit(5);
    }
}

/* Runs one trial; appends what the child acknowledged. Returns -1 if the child failed by itself. */
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
    char line[LINE];
    size_t got = 0;
    ssize_t r;
    while ((r = read(fd[0], line + got, LINE - got)) > 0) {
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
    close(fd[0]);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 2;
    int trials = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 200;
    unsigned seed = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : (unsigned)time(NULL);
    srand(seed);
    char base[512], dir[600];
    test_tmpdir(base);
    store_close(test_make_store(base, "crash", dir));

    int n = 0, cap = 256, child_errors = 0;
    acked *acks = malloc((size_t)cap * sizeof *acks);
    for (int t = 0; t < trials; t++)
        child_errors += trial(dir, t, &acks, &n, &cap) != 0;
    CHECK_EQ_INT(child_errors, 0);

    store *s = NULL;
    its_err err = {""};
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
    printf("crash test: seed %u, trials %d, records acknowledged %d, records found %d, failures %d, "
           "integrity_check %s\n", seed, trials, n, found, failures, integrity == 0 ? "ok" : "FAILED");
    free(list);
    free(acks);
    store_lock(k);
    store_close(s);
    test_rm_rf(base);
    return check_summary();
}
