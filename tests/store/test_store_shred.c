/* A stolen kiosk reveals no finished assessment and no old draft (issue 15, points 1 and 2).
 *
 * Crypto-shredding: a child process plays kiosk sessions through the store API and is killed
 * (SIGKILL) at the end; then every file of the folder is searched for draft rows that open with
 * any key found in the folder (draft_scan.h) and for the markers in the clear. Only the one
 * unfinished session may open, never a sent or wiped one. Ownership: a draft whose process is
 * alive is not offered to another process, and after a crash only within the window. */
#include "draft_scan.h"
#include "store_test.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char base[512], wdir[600];

static void make_kiosk(const char *name, char dir[700])
{
    snprintf(dir, 700, "%s/%s", base, name);
    store_init_opts o = {.mode = STORE_KIOSK, .device_id = name, .keys_from = wdir};
    its_err err = {0};
    if (!CHECK(store_init(dir, &o, &err) == 0))
        fprintf(stderr, "  %s\n", err.msg);
}

/* One session: 8 answers, each saved as a draft carrying the session's marker. */
static void session(store *s, const char *marker)
{
    its_err err = {0};
    char d[512];
    for (int i = 0; i < 8; i++) {
        int n = snprintf(d, sizeof d, "{\"client\": \"%s\", \"pos\": %d, \"answers\": \"%.*s\"}",
                         marker, i, i * 6, "Erittäin vaikeaa, ei vaikeuksia, vähän vaikeuksia");
        if (!CHECK(store_draft_save(s, (unsigned char *)d, (size_t)n, &err) == 0))
            fprintf(stderr, "  %s\n", err.msg);
    }
}

static void send_result(store *s, const char *marker)
{
    its_err err = {0};
    char r[256];
    int n = snprintf(r, sizeof r, "{\"client\": \"%s\", \"answers\": {\"S1\": 2}}", marker);
    CHECK(store_save_result(s, (unsigned char *)r, (size_t)n, NULL, &err) == 0);
}

typedef enum { END_SENT, END_WIPED, END_OPEN } session_end;

/* In a child: a sent session (SENTCODE1), then a second one ended as `how` (OPENCODE2), then
 * SIGKILL with the store still open. */
static void child_run(const char *dir, session_end how)
{
    pid_t pid = fork();
    if (pid == 0) {
        store *s = NULL;
        its_err err;
        if (store_open(dir, &s, &err) != 0)
            _exit(3);
        session(s, "SENTCODE1");
        send_result(s, "SENTCODE1");
        session(s, "OPENCODE2");
        if (how == END_SENT)
            send_result(s, "OPENCODE2");
        else if (how == END_WIPED && store_draft_wipe(s, &err) != 0)
            _exit(3); /* the parent then finds the draft still there and says so */
        raise(SIGKILL);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* Each ending twice: alone, and with another reader holding a snapshot (a worker station
 * reading the folder), so the checkpoint cannot empty the WAL and every old draft page stays in
 * it: only the shredded key keeps those closed. */
static void test_stolen_kiosk(void)
{
    const char *const markers[] = {"SENTCODE1", "OPENCODE2", "vaikeuksia", NULL};
    const char *names[] = {"sent", "wiped", "open", "sent-read", "wiped-read", "open-read"};
    for (int run = 0; run < 6; run++) {
        int how = run % 3;
        char dir[700], db[800];
        make_kiosk(names[run], dir);
        sqlite3 *reader = NULL;
        snprintf(db, sizeof db, "%s/store.db", dir);
        if (run >= 3) {
            CHECK(sqlite3_open(db, &reader) == SQLITE_OK);
            CHECK(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM records;", NULL, NULL, NULL) ==
                  SQLITE_OK);
        }
        child_run(dir, (session_end)how);
        scan_result r = scan_folder(dir, markers);
        sqlite3_close(reader);
        CHECK_EQ_INT(r.marker_hits, 0);
        if (how == END_OPEN) {
            /* the unfinished session is what a crash restart offers: it must open, and it is
             * the only thing that does */
            CHECK(r.opened >= 1);
            CHECK(strstr(r.opened_text, "OPENCODE2") != NULL);
            CHECK(strstr(r.opened_text, "SENTCODE1") == NULL);
        } else if (!CHECK_EQ_INT(r.opened, 0)) {
            fprintf(stderr, "  %s: %d of %d draft rows open: %s\n", names[run], r.opened, r.shapes,
                    r.opened_text);
        }
    }
}

/* A stale draft found at start (beyond the window) is shredded: nothing opens afterwards. */
static void test_stale_shredded(void)
{
    char dir[700];
    make_kiosk("stale", dir);
    child_run(dir, END_OPEN);
    store *s = NULL;
    its_err err = {0};
    CHECK(store_open(dir, &s, &err) == 0);
    store_set_now(s, time(NULL) + store_draft_window_seconds(s) + 1);
    unsigned char *d = NULL;
    size_t n = 0;
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 0);
    store_close(s);
    scan_result r = scan_folder(dir, NULL);
    CHECK_EQ_INT(r.opened, 0);
}

/* A power cut between the key's overwrite and its unlink leaves a zeroed draft.key: the next
 * session finishes the shredding and goes on (it never reports a "damaged" key and stops). */
static void test_interrupted_shred(void)
{
    char dir[700], key[760];
    make_kiosk("halfshred", dir);
    child_run(dir, END_OPEN);
    snprintf(key, sizeof key, "%s/draft.key", dir);
    FILE *f = fopen(key, "r+b");
    for (int i = 0; f && i < 32; i++)
        fputc(0, f);
    CHECK(f && fclose(f) == 0);
    store *s = NULL;
    its_err err = {0};
    CHECK(store_open(dir, &s, &err) == 0);
    unsigned char *d = NULL;
    size_t n = 0;
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 0);
    if (!CHECK(store_draft_save(s, (const unsigned char *)"{}", 2, &err) == 0))
        fprintf(stderr, "  %s\n", err.msg);
    store_close(s);
}

/* Two processes on one folder: the live owner's draft is not offered, not saved over, not
 * wiped; after the owner crashes it is offered within the window, and not after it. */
static void test_owner(void)
{
    char dir[700];
    make_kiosk("owner", dir);
    int ready[2], go[2];
    if (pipe(ready) != 0 || pipe(go) != 0)
        exit(2);
    pid_t pid = fork();
    if (pid == 0) {
        store *s = NULL;
        its_err err;
        char c;
        if (store_open(dir, &s, &err) != 0)
            _exit(3);
        session(s, "LIVECODE");
        if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(4);
        raise(SIGKILL);
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1);
    store *s = NULL;
    its_err err = {0};
    unsigned char *d = NULL;
    size_t n = 0;
    CHECK(store_open(dir, &s, &err) == 0);
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 0);
    CHECK_EQ_INT(store_draft_claim(s, &err), -1);
    char want[1024];
    snprintf(want, sizeof want,
             "Another kiosk or tablet program is running on the data folder %s; close it first "
             "(two programs on one folder would share one draft).", dir);
    CHECK_EQ_STR(err.msg, want);
    CHECK_EQ_INT(store_draft_save(s, (const unsigned char *)"{}", 2, &err), -1);
    CHECK_EQ_STR(err.msg, want);
    CHECK_EQ_INT(store_draft_wipe(s, &err), -1);
    store_close(s);
    /* the owner crashes: the restart (this process) is offered the draft, once */
    CHECK(write(go[1], "g", 1) == 1);
    waitpid(pid, NULL, 0);
    CHECK(store_open(dir, &s, &err) == 0);
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 1);
    CHECK(d && strstr((char *)d, "LIVECODE"));
    store_draft_free(d, n);
    store_close(s);
    /* whoever comes after the window gets nothing, and the draft is gone for good */
    CHECK(store_open(dir, &s, &err) == 0);
    store_set_now(s, time(NULL) + store_draft_window_seconds(s) + 1);
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 0);
    store_set_now(s, 0);
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 0);
    store_close(s);
    close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    test_tmpdir(base);
    store_close(test_make_store(base, "worker", wdir));
    test_stolen_kiosk();
    test_stale_shredded();
    test_interrupted_shred();
    test_owner();
    test_rm_rf(base);
    return check_summary();
}
