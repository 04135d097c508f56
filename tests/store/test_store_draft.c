/* Drafts expire (kiosk minutes, tablet hours) and are wiped on submit; keys, drafts and the
 * database are 0600 whatever the umask; no answer, secret key or passphrase is anywhere in the
 * folder in the clear; store_harden_process turns core dumps off. */
#include "store_test.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[512];

static store *make_device(const char *name, store_mode mode, const char *worker_dir)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s/%s", base, name);
    store_init_opts o = {.mode = mode, .device_id = name, .keys_from = worker_dir};
    its_err err = {0};
    store *s = NULL;
    if (!CHECK(store_init(dir, &o, &err) == 0 && store_open(dir, &s, &err) == 0)) {
        fprintf(stderr, "  %s\n", err.msg);
        exit(2);
    }
    return s;
}

static void test_expiry(store *s, int expiry)
{
    its_err err = {0};
    unsigned char *d = NULL;
    size_t n = 0;
    long long t = 1800000000;
    store_set_now(s, t);
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 0);
    const char *snap = "{\"pos\": 3, \"answers\": {\"S1\": 2}}";
    CHECK(store_draft_save(s, (const unsigned char *)snap, strlen(snap), &err) == 0);
    /* A later answer replaces the draft; the age counts from the last save. */
    store_set_now(s, t + 100);
    CHECK(store_draft_save(s, (const unsigned char *)snap, strlen(snap), &err) == 0);
    store_set_now(s, t + 100 + expiry);
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 1);
    CHECK(n == strlen(snap) && d && memcmp(d, snap, n) == 0);
    store_draft_free(d, n);
    store_set_now(s, t + 101 + expiry);
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 0);
    CHECK(d == NULL);
    /* Wiped when found expired: going back in time does not bring it back. */
    store_set_now(s, t + 100);
    CHECK_EQ_INT(store_draft_load(s, &d, &n, &err), 0);
}

static void test_drafts(const char *wdir)
{
    store *k = make_device("kiosk-a", STORE_KIOSK, wdir);
    store *t = make_device("tablet-a", STORE_TABLET, wdir);
    CHECK_EQ_INT(store_draft_expiry_seconds(k), 300);
    CHECK_EQ_INT(store_draft_expiry_seconds(t), 12 * 3600);
    /* A kiosk offers a draft at most the idle limit + 60 s after its last save (I7d). */
    CHECK_EQ_INT(store_draft_window_seconds(k), 120 + 60);
    CHECK_EQ_INT(store_draft_window_seconds(t), 12 * 3600);
    test_expiry(k, store_draft_window_seconds(k));
    test_expiry(t, store_draft_window_seconds(t));

    its_err err = {0};
    unsigned char *d = NULL;
    size_t n = 0;
    store_set_now(k, 0);
    /* Survives a crash (close without wipe and reopen). */
    CHECK(store_draft_save(k, (const unsigned char *)"{\"a\":1}", 7, &err) == 0);
    char dir[700];
    snprintf(dir, sizeof dir, "%s", store_dir(k));
    store_close(k);
    CHECK(store_open(dir, &k, &err) == 0);
    CHECK_EQ_INT(store_draft_load(k, &d, &n, &err), 1);
    store_draft_free(d, n);
    /* Wiped on submit. */
    char id[37];
    CHECK(store_save_result(k, (const unsigned char *)"{}", 2, id, &err) == 0);
    CHECK_EQ_INT(store_draft_load(k, &d, &n, &err), 0);
    /* Wiped on timeout (the UI calls store_draft_wipe). */
    CHECK(store_draft_save(k, (const unsigned char *)"{\"a\":1}", 7, &err) == 0);
    CHECK(store_draft_wipe(k, &err) == 0);
    CHECK_EQ_INT(store_draft_load(k, &d, &n, &err), 0);
    /* A damaged draft is discarded with a message, and the next one works. */
    CHECK(store_draft_save(k, (const unsigned char *)"{\"a\":1}", 7, &err) == 0);
    /* the first byte made different from what it was, whatever it was */
    CHECK(sqlite3_exec(k->db,
                       "UPDATE draft SET box = (CASE WHEN substr(box, 1, 1) = x'00' THEN x'01' "
                       "ELSE x'00' END) || substr(box, 2)",
                       NULL, NULL, NULL) == SQLITE_OK);
    CHECK_EQ_INT(store_draft_load(k, &d, &n, &err), -1);
    CHECK_EQ_STR(err.msg, "The saved draft could not be opened (damaged, or made with another "
                          "draft key); it was discarded.");
    CHECK_EQ_INT(store_draft_load(k, &d, &n, &err), 0);
    CHECK(store_draft_save(k, (const unsigned char *)"", 0, &err) == -1);
    CHECK_EQ_STR(err.msg, "The draft was not saved: it is empty or larger than 1 MiB.");
    store_close(k);
    store_close(t);
}

static void check_mode(const char *dir, const char *name, int want)
{
    char path[900];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    if (!CHECK(stat(path, &st) == 0))
        fprintf(stderr, "  %s is missing\n", path);
    else if (!CHECK_EQ_INT(st.st_mode & 0777, want))
        fprintf(stderr, "  %s has mode %o\n", path, st.st_mode & 0777);
}

/* With a careless umask (0) and a strict one (077), every secret file is exactly 0600. */
static void test_modes(void)
{
    mode_t masks[2] = {0, 077};
    for (int m = 0; m < 2; m++) {
        mode_t old = umask(masks[m]);
        char name[64], wdir[600], kdir[700];
        snprintf(name, sizeof name, "modes-%d", m);
        store *s = test_make_store(base, name, wdir);
        its_err err = {0};
        CHECK(store_save_result(s, (const unsigned char *)"{}", 2, NULL, &err) == 0);
        CHECK(store_draft_save(s, (const unsigned char *)"{}", 2, &err) == 0);
        store_key *k = NULL;
        CHECK(store_change_passphrase(s, TEST_PASS, "a new passphrase", STORE_KDF_MIN, &err) == 0);
        CHECK(store_unlock(s, "a new passphrase", &k, &err) == 0);
        store_lock(k);
        check_mode(wdir, "worker.key", 0600);
        check_mode(wdir, "draft.key", 0600);
        check_mode(wdir, "store.db", 0600);
        check_mode(wdir, "store.db-wal", 0600);
        check_mode(wdir, "config.json", 0600);
        check_mode(wdir, "", 0700);
        char rec[128];
        snprintf(rec, sizeof rec, "%s-recovery.json", name);
        check_mode(base, rec, 0600);
        snprintf(kdir, sizeof kdir, "%s/demo-%d", base, m);
        store_init_opts o = {.mode = STORE_KIOSK, .demo = true, .kdf = STORE_KDF_MIN};
        CHECK(store_init(kdir, &o, &err) == 0);
        check_mode(kdir, "demo-passphrase.txt", 0600);
        check_mode(kdir, "recovery-key.json", 0600);
        char dk[900];
        snprintf(dk, sizeof dk, "%s/draft.key", kdir);
        CHECK(access(dk, F_OK) != 0); /* made by a draft session, not by init */
        store_close(s);
        umask(old);
    }
}

/* Answers, the passphrase and secret keys never appear in any file of the folder. */
static void test_nothing_in_clear(void)
{
    char wdir[600];
    store *s = test_make_store(base, "clear", wdir);
    its_err err = {0};
    char payload[1024];
    size_t n = test_payload(payload, sizeof payload, 3);
    CHECK(store_save_result(s, (unsigned char *)payload, n, NULL, &err) == 0);
    const char *draft = "{\"answers\": \"SECRET-DRAFT-MARKER\"}";
    CHECK(store_draft_save(s, (const unsigned char *)draft, strlen(draft), &err) == 0);
    CHECK(store_save_note(s, "00000000-0000-4000-8000-000000000000", (const unsigned char *)"x", 1,
                          &err) == -1);
    store_key *k = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    CHECK(store_audit(s, "view", "record list", &err) == 0);
    unsigned char sk[32];
    memcpy(sk, k->sk, 32);
    store_lock(k);
    /* Scan with the store still open (WAL present) and after closing. */
    const char *files[] = {"store.db", "store.db-wal", "config.json", "worker.key", "draft.key"};
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            char path[700];
            snprintf(path, sizeof path, "%s/%s", wdir, files[i]);
            if (test_file_has(path, "", 0) < 0)
                continue;
            CHECK_EQ_INT(test_file_has(path, "SECRET-ANSWER-MARKER", 20), 0);
            CHECK_EQ_INT(test_file_has(path, "SECRET-DRAFT-MARKER", 19), 0);
            CHECK_EQ_INT(test_file_has(path, "SYN0003", 7), 0);
            CHECK_EQ_INT(test_file_has(path, TEST_PASS, strlen(TEST_PASS)), 0);
            CHECK_EQ_INT(test_file_has(path, sk, sizeof sk), 0);
        }
        if (pass == 0)
            store_close(s);
    }
    sodium_memzero(sk, sizeof sk);
}

/* Does this process's heap ([heap] in /proc/self/maps) hold the bytes? The needle must not be
 * on the heap itself. */
static int heap_has(const void *needle, size_t n)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;
    while (f && !found && fgets(line, sizeof line, f)) {
        if (!strstr(line, "[heap]"))
            continue;
        char *end = NULL;
        unsigned long lo = strtoul(line, &end, 16), hi = strtoul(end + 1, NULL, 16);
        const unsigned char *p = (const unsigned char *)lo;
        for (unsigned long i = 0; !found && i + n <= hi - lo; i++)
            found = memcmp(p + i, needle, n) == 0;
    }
    if (f)
        fclose(f);
    return found;
}

/* Secrets in memory (issue 15, point 6): after a recovery key was read and locked, neither its
 * base64 text (the file buffer, jansson's parser copies, the JSON string) nor the raw key is
 * left in freed heap memory. */
static void test_secrets_wiped(void)
{
    char wdir[600], rec[700], text[2048], b64[64] = "";
    store *s = test_make_store(base, "wiped", wdir);
    snprintf(rec, sizeof rec, "%s/wiped-recovery.json", base);
    int fd = open(rec, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0)
        close(fd);
    text[n > 0 ? n : 0] = '\0';
    const char *at = strstr(text, "\"secret\": \"");
    if (at) /* the needle lives on the stack */
        for (int i = 0; i < 44 && at[11 + i] != '"'; i++)
            b64[i] = at[11 + i];
    CHECK_EQ_INT((int)strlen(b64), 44);
    unsigned char sk[32];
    CHECK(store_b64_decode(b64, sk, sizeof sk) == 0);
    its_err err = {0};
    store_key *k = NULL;
    CHECK(store_unlock_recovery(s, rec, &k, &err) == 0);
    store_lock(k);
    store_close(s);
    /* a freed chunk's first 16 bytes hold the allocator's links: look for the tails */
    CHECK_EQ_INT(heap_has(b64 + 20, 24), 0);
    CHECK_EQ_INT(heap_has(sk + 16, 16), 0);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(b64, sizeof b64);
    sodium_memzero(text, sizeof text);
}

static void test_harden(void)
{
    its_err err = {0};
    CHECK(store_harden_process(&err) == 0);
    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 && rl.rlim_max == 0);
    CHECK_EQ_INT(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    test_tmpdir(base);
    char wdir[600];
    store_close(test_make_store(base, "worker", wdir));
    test_drafts(wdir);
    test_modes();
    test_nothing_in_clear();
    test_secrets_wiped();
    test_harden();
    test_rm_rf(base);
    return check_summary();
}
