/* Bad input gets one plain sentence and the stored data stays intact: wrong passphrase (with a
 * growing, persisted delay), missing or damaged key and config files, a damaged, locked,
 * read-only or newer database, a full disk (page limit, and a small tmpfs when we may mount one),
 * an altered record, and init refusing to replace a folder. Each case also checks the its_err code
 * a caller acts on (wrong passphrase, locked out, busy, disk full, damaged). */
#include "store_test.h"

#include <errno.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char base[512], wdir[600], rec[700], dbpath[700];
static int n_saved;
static char saved[64][37];

static void save_some(store *s, int count)
{
    its_err err = {0};
    for (int i = 0; i < count && n_saved < 64; i++) {
        char payload[1024];
        size_t n = test_payload(payload, sizeof payload, n_saved);
        if (!CHECK(store_save_result(s, (unsigned char *)payload, n, saved[n_saved], &err) == 0))
            fprintf(stderr, "  %s\n", err.msg);
        n_saved++;
    }
}

/* Every record saved so far opens and matches; the database passes its integrity check. */
static void check_intact(const char *when)
{
    store *s = NULL;
    its_err err = {0};
    if (!CHECK(store_open(wdir, &s, &err) == 0)) {
        fprintf(stderr, "  after %s: %s\n", when, err.msg);
        return;
    }
    store_key *k = NULL;
    char rpath[700];
    snprintf(rpath, sizeof rpath, "%s", rec);
    CHECK(store_unlock_recovery(s, rpath, &k, &err) == 0);
    int bad = 0;
    for (int i = 0; k && i < n_saved; i++) {
        unsigned char *p = NULL;
        size_t len = 0;
        char want[1024];
        size_t wlen = test_payload(want, sizeof want, i);
        if (store_open_record(s, k, saved[i], &p, &len, &err) != 0 || len != wlen ||
            memcmp(p, want, len) != 0)
            bad++;
        store_payload_free(p, len);
    }
    if (!CHECK_EQ_INT(bad, 0) || !CHECK(store_check_integrity(s, &err) == 0))
        fprintf(stderr, "  data not intact after %s\n", when);
    store_lock(k);
    store_close(s);
}

static void test_wrong_passphrase(void)
{
    store *s = NULL;
    its_err err = {0};
    CHECK(store_open(wdir, &s, &err) == 0);
    long long t = 1800000000;
    store_set_now(s, t);
    store_key *k = NULL;
    CHECK(store_unlock(s, "wrong one", &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "Wrong passphrase.");
    CHECK_EQ_INT(err.code, ITS_E_WRONG_PASSPHRASE); /* the code the worker's screens act on */
    CHECK(store_unlock(s, "", &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "Wrong passphrase.");
    CHECK(store_unlock(s, "wrong three", &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "Wrong passphrase. Wait 2 seconds before the next try.");
    CHECK_EQ_INT(err.code, ITS_E_WRONG_PASSPHRASE);
    CHECK(k == NULL);
    /* Even the right passphrase waits, and a restart does not reset the count. */
    store_close(s);
    CHECK(store_open(wdir, &s, &err) == 0);
    store_set_now(s, t + 1);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "Too many wrong passphrases: wait 1 seconds before the next try.");
    CHECK_EQ_INT(err.code, ITS_E_LOCKED_OUT);
    store_set_now(s, t + 2);
    CHECK(store_unlock(s, "wrong four", &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "Wrong passphrase. Wait 4 seconds before the next try.");
    CHECK_EQ_INT(store_unlock_wait(s), 4);
    store_set_now(s, t + 6);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    store_lock(k);
    CHECK_EQ_INT(store_unlock_wait(s), 0);
    CHECK(store_unlock(s, "wrong again", &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "Wrong passphrase.");
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    store_lock(k);

    store_audit_entry *log = NULL;
    int n = 0, failed = 0;
    CHECK(store_audit_list(s, &log, &n, &err) == 0);
    for (int i = 0; i < n; i++) {
        failed += !strcmp(log[i].event, "unlock_failed");
        CHECK(strstr(log[i].detail, "wrong") == NULL || strstr(log[i].detail, "wrong passphrase") != NULL);
    }
    CHECK_EQ_INT(failed, 5);
    free(log);
    store_close(s);
    check_intact("wrong passphrases");
}

/* Replaces the file's contents (keeping a copy in *old) */
static char *swap_file(const char *path, const char *text, size_t *old_len)
{
    char *old = its_read_file(path, old_len, NULL);
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return old;
}

static void restore_file(const char *path, char *old, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(old, 1, len, f);
        fclose(f);
    }
    free(old);
}

static void test_key_files(void)
{
    store *s = NULL;
    store_key *k = NULL;
    its_err err = {0};
    char key[700], moved[720], want[2000];
    snprintf(key, sizeof key, "%s/worker.key", wdir);
    snprintf(moved, sizeof moved, "%s.away", key);
    CHECK(store_open(wdir, &s, &err) == 0);

    CHECK(rename(key, moved) == 0);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == -1);
    snprintf(want, sizeof want, "The worker key file %s is missing.", key);
    CHECK_EQ_STR(err.msg, want);
    CHECK(rename(moved, key) == 0);

    size_t len;
    char *old = swap_file(key, "{\"itsearvio\": \"worker-key\", \"salt\": ", &len);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == -1);
    snprintf(want, sizeof want, "The worker key file %s is damaged (not a worker-key file).", key);
    CHECK_EQ_STR(err.msg, want);
    /* One changed character inside the encrypted key: damaged, not "wrong passphrase". */
    char *box = strstr(old, "\"box\": \"");
    CHECK(box != NULL);
    if (box) {
        char *copy = its_strdup(old);
        copy[box - old + 10] = copy[box - old + 10] == 'A' ? 'B' : 'A';
        free(swap_file(key, copy, &len));
        free(copy);
        CHECK(store_unlock(s, TEST_PASS, &k, &err) == -1);
        snprintf(want, sizeof want,
                 "The worker key file %s is damaged; restore it from a backup or use the recovery key.", key);
        CHECK_EQ_STR(err.msg, want);
        CHECK_EQ_INT(err.code, ITS_E_DAMAGED);
    }
    restore_file(key, old, strlen(old));
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    store_lock(k);

    /* Recovery key: missing, damaged, and one from another folder. */
    CHECK(store_unlock_recovery(s, "/nonexistent/recovery.json", &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "The recovery key file /nonexistent/recovery.json is missing.");
    old = swap_file(
        rec, "{\"itsearvio\": \"recovery-key\", \"public\": \"AAAA\", \"secret\": \"AAAA\"}", &len);
    CHECK(store_unlock_recovery(s, rec, &k, &err) == -1);
    snprintf(want, sizeof want, "The recovery key file %s is damaged.", rec);
    CHECK_EQ_STR(err.msg, want);
    restore_file(rec, old, len);
    char other[600], orec[700];
    store *o = test_make_store(base, "other", other);
    store_close(o);
    snprintf(orec, sizeof orec, "%s/other-recovery.json", base);
    CHECK(store_unlock_recovery(s, orec, &k, &err) == -1);
    snprintf(want, sizeof want, "The recovery key %s does not belong to this data folder.", orec);
    CHECK_EQ_STR(err.msg, want);
    CHECK(k == NULL);
    store_close(s);

    /* The config: missing, then damaged. */
    char cfg[700], cfgaway[720];
    snprintf(cfg, sizeof cfg, "%s/config.json", wdir);
    snprintf(cfgaway, sizeof cfgaway, "%s.away", cfg);
    CHECK(rename(cfg, cfgaway) == 0);
    CHECK(store_open(wdir, &s, &err) == -1);
    snprintf(want, sizeof want,
             "%s is not an Itsearvio data folder (it has no config.json); run `itsearvio init "
             "--dir %s` first.",
             wdir, wdir);
    CHECK_EQ_STR(err.msg, want);
    CHECK(rename(cfgaway, cfg) == 0);
    old = swap_file(cfg, "{\n  \"mode\": \"kiosk\",\n  \"device_id\": \n}", &len);
    CHECK(store_open(wdir, &s, &err) == -1);
    snprintf(want, sizeof want,
             "%s:4:1: the config file is damaged: a comma, quote or bracket is missing or out of place.",
             cfg);
    CHECK_EQ_STR(err.msg, want);
    restore_file(cfg, old, len);
    check_intact("key and config files");
}

static void f_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int same_file(const char *a_copy, size_t a_len, const char *path)
{
    size_t len;
    char *b = its_read_file(path, &len, NULL);
    int same = b && len == a_len && memcmp(a_copy, b, len) == 0;
    free(b);
    return same;
}

static void test_damaged_db(void)
{
    char dir[600];
    store *s = test_make_store(base, "damaged", dir);
    its_err err = {0};
    for (int i = 0; i < 40; i++) {
        char payload[1024];
        size_t n = test_payload(payload, sizeof payload, i);
        CHECK(store_save_result(s, (unsigned char *)payload, n, NULL, &err) == 0);
    }
    store_close(s);
    char path[700], want[1200];
    snprintf(path, sizeof path, "%s/store.db", dir);

    /* Not a database at all (header overwritten). */
    size_t len;
    char *orig = its_read_file(path, &len, NULL);
    char *bad = malloc(len);
    memcpy(bad, orig, len);
    memset(bad, 'x', 100);
    FILE *f = fopen(path, "wb");
    fwrite(bad, 1, len, f);
    fclose(f);
    CHECK(store_open(dir, &s, &err) == -1);
    snprintf(want, sizeof want,
             "The database %s cannot be used: the file is not an Itsearvio database (or it is badly "
             "damaged); restore it from a backup.",
             path);
    CHECK_EQ_STR(err.msg, want);
    CHECK_EQ_INT(err.code, ITS_E_DAMAGED);
    CHECK(same_file(bad, len, path));

    /* Truncated to nothing: refused, not silently made into a new empty database. */
    f = fopen(path, "wb");
    fclose(f);
    CHECK(store_open(dir, &s, &err) == -1);
    snprintf(want, sizeof want,
             "The database %s is empty: it was damaged or replaced. Restore it from a backup; "
             "nothing was changed.",
             path);
    CHECK_EQ_STR(err.msg, want);
    CHECK_EQ_INT(err.code, ITS_E_DAMAGED);
    CHECK(same_file("", 0, path));

    /* A damaged page in the middle: some operation says so, none crashes, nothing is written. */
    memcpy(bad, orig, len);
    size_t page = 4096;
    for (size_t p = 2; (p + 1) * page <= len; p += 2)
        memset(bad + p * page + 8, 0x5a, 64);
    f = fopen(path, "wb");
    fwrite(bad, 1, len, f);
    fclose(f);
    int said = 0;
    if (store_open(dir, &s, &err) != 0)
        said = strstr(err.msg, "damaged") != NULL;
    else {
        store_record_info *list = NULL;
        int n = 0;
        if (store_list(s, &list, &n, &err) != 0)
            said += strstr(err.msg, "damaged") != NULL;
        free(list);
        if (store_check_integrity(s, &err) != 0)
            said += strstr(err.msg, "damaged") != NULL;
        store_close(s);
    }
    CHECK(said > 0);
    CHECK(same_file(bad, len, path));
    free(bad);
    free(orig);
}

static void test_locked_db(void)
{
    int to_child[2], to_parent[2];
    CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        sqlite3 *db;
        char c = 0;
        if (sqlite3_open(dbpath, &db) != SQLITE_OK ||
            sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            _exit(3);
        if (write(to_parent[1], "L", 1) != 1 || read(to_child[0], &c, 1) != 1)
            _exit(4);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
        _exit(0);
    }
    char c = 0;
    CHECK(read(to_parent[0], &c, 1) == 1 && c == 'L');
    store *s = NULL;
    its_err err = {0};
    CHECK(store_open(wdir, &s, &err) == 0);
    if (s) {
        sqlite3_busy_timeout(s->db, 300);
        char payload[1024], id[37];
        size_t n = test_payload(payload, sizeof payload, 999);
        CHECK(store_save_result(s, (unsigned char *)payload, n, id, &err) == -1);
        CHECK_EQ_STR(err.msg, "The result was not saved: the database is in use by another "
                              "program; try again when it has finished.");
        CHECK_EQ_INT(err.code, ITS_E_BUSY);
        CHECK(store_audit(s, "view", "x", &err) == -1);
        store_close(s);
    }
    CHECK(write(to_child[1], "U", 1) == 1);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
    CHECK(store_open(wdir, &s, &err) == 0);
    save_some(s, 1);
    store_close(s);
    check_intact("a locked database");
}

/* In a child that cannot write the database (as root: after switching to user nobody). */
static void test_readonly_db(void)
{
    char cmd[1400];
    int msg[2];
    CHECK(pipe(msg) == 0);
    CHECK(chmod(base, 0711) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(msg[0]);
        if (geteuid() == 0) {
            snprintf(cmd, sizeof cmd, "chown -R 65534:65534 '%s'", wdir);
            if (system(cmd) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
                _exit(3);
        }
        if (chmod(dbpath, 0444) != 0)
            _exit(4);
        store *s = NULL;
        its_err err = {0};
        int rc = store_open(wdir, &s, &err);
        if (write(msg[1], err.msg, strlen(err.msg) + 1) < 0)
            _exit(5);
        store_close(s);
        _exit(rc == -1 ? 0 : 1);
    }
    close(msg[1]);
    char got[ITS_ERR_LEN] = "";
    ssize_t r = read(msg[0], got, sizeof got - 1);
    got[r > 0 ? r : 0] = '\0';
    close(msg[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char want[1200];
    snprintf(want, sizeof want,
             "The database %s is read-only; check the file permissions and the disk. Nothing was "
             "changed.",
             dbpath);
    CHECK_EQ_STR(got, want);
    if (geteuid() == 0) {
        snprintf(cmd, sizeof cmd, "chown -R %d:%d '%s'", (int)getuid(), (int)getgid(), wdir);
        CHECK(system(cmd) == 0);
    }
    CHECK(chmod(dbpath, 0600) == 0);
    CHECK(chmod(base, 0700) == 0);
    check_intact("a read-only database");
}

static void test_newer_schema(void)
{
    CHECK(test_sql(wdir, "PRAGMA user_version = 99") == 0);
    store *s = NULL;
    its_err err = {0};
    char want[1200];
    CHECK(store_open(wdir, &s, &err) == -1);
    snprintf(want, sizeof want,
             "The database %s was written by a newer version of Itsearvio (schema 99; this "
             "program knows up to %d). Update the program; nothing was changed.",
             dbpath, STORE_SCHEMA_VERSION);
    CHECK_EQ_STR(err.msg, want);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
    CHECK(test_sql(wdir, sql) == 0);
    check_intact("a newer schema");
}

/* Saves until the store refuses; returns how many were saved before, checking the message. */
static int fill_until_full(store *s, char (*ids)[37], int max)
{
    its_err err = {0};
    int n = 0;
    char big[6000];
    for (; n < max; n++) {
        size_t len = test_payload(big, sizeof big, n);
        memset(big + len, 'p', sizeof big - len); /* padding: fills pages quickly */
        if (store_save_result(s, (unsigned char *)big, sizeof big, ids[n], &err) != 0)
            break;
    }
    CHECK(n < max);
    CHECK_EQ_STR(
        err.msg,
        "The result was not saved: the disk is full (or the database reached its size limit); "
        "free some space and try again.");
    CHECK_EQ_INT(err.code, ITS_E_DISK_FULL);
    return n;
}

static void check_ids_open(store *s, store_key *k, char (*ids)[37], int n)
{
    its_err err = {0};
    int bad = 0;
    for (int i = 0; i < n; i++) {
        unsigned char *p = NULL;
        size_t len = 0;
        bad += store_open_record(s, k, ids[i], &p, &len, &err) != 0 || len != 6000;
        store_payload_free(p, len);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(store_check_integrity(s, &err) == 0);
}

static void test_full_disk_page_limit(void)
{
    char dir[600];
    store *s = test_make_store(base, "full", dir);
    its_err err = {0};
    CHECK(sqlite3_exec(s->db, "PRAGMA max_page_count = 60", NULL, NULL, NULL) == SQLITE_OK);
    static char ids[200][37];
    int n = fill_until_full(s, ids, 200);
    CHECK(n > 5);
    store_key *k = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0 || strstr(err.msg, "disk is full"));
    store_lock(k);
    store_close(s);
    /* A fresh connection (no limit) finds every saved record and can add more. */
    CHECK(store_open(dir, &s, &err) == 0);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    check_ids_open(s, k, ids, n);
    char more[37];
    CHECK(store_save_result(s, (const unsigned char *)"{}", 2, more, &err) == 0);
    store_lock(k);
    store_close(s);
}

static void test_full_disk_tmpfs(void)
{
    char mnt[600];
    snprintf(mnt, sizeof mnt, "%s/tmpfs", base);
    mkdir(mnt, 0700);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=600k") != 0) {
        printf("tmpfs full-disk test skipped: cannot mount (%s); the page-limit test covers SQLITE_FULL\n",
               strerror(errno));
        return;
    }
    char dir[600], ballast[700];
    store *s = test_make_store(mnt, "data", dir);
    snprintf(ballast, sizeof ballast, "%s/ballast", mnt);
    FILE *bf = fopen(ballast, "wb");
    for (int i = 0; bf && i < 32 * 1024; i++)
        fputc('b', bf);
    CHECK(bf && fclose(bf) == 0);
    static char ids[400][37];
    int n = fill_until_full(s, ids, 400);
    CHECK(n > 5);
    store_close(s);
    /* Free a little space (as a person would), then everything saved is there. */
    CHECK(remove(ballast) == 0);
    char junk[700];
    snprintf(junk, sizeof junk, "%s/data-recovery.json", mnt);
    its_err err = {0};
    store_key *k = NULL;
    CHECK(store_open(dir, &s, &err) == 0);
    if (!CHECK(store_unlock_recovery(s, junk, &k, &err) == 0))
        fprintf(stderr, "  %s\n", err.msg);
    if (s && k)
        check_ids_open(s, k, ids, n);
    store_lock(k);
    store_close(s);
    printf("tmpfs of 600 KiB: %d results saved before the disk was full\n", n);
    CHECK(umount(mnt) == 0);
}

static void test_altered_record(void)
{
    char dir[600];
    store *s = test_make_store(base, "altered", dir);
    its_err err = {0};
    char ids[3][37], sql[512], want[600];
    for (int i = 0; i < 3; i++) {
        char payload[1024];
        size_t n = test_payload(payload, sizeof payload, i);
        CHECK(store_save_result(s, (unsigned char *)payload, n, ids[i], &err) == 0);
    }
    store_close(s);
    /* The trigger refuses an UPDATE; an attacker drops it first. */
    snprintf(sql, sizeof sql, "UPDATE records SET created_at = 1 WHERE id = '%s'", ids[0]);
    CHECK(test_sql(dir, sql) == -1);
    snprintf(sql, sizeof sql,
             "DROP TRIGGER records_append_only;"
             "UPDATE records SET envelope = substr(envelope, 1, length(envelope) - 20) || "
             "(CASE WHEN substr(envelope, length(envelope) - 19, 1) = x'00' THEN x'01' ELSE x'00' END) || "
             "substr(envelope, length(envelope) - 18) WHERE id = '%s';"
             "UPDATE records SET created_at = created_at - 86400 WHERE id = '%s';", ids[0], ids[1]);
    CHECK(test_sql(dir, sql) == 0);
    CHECK(store_open(dir, &s, &err) == 0);
    store_key *k = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    unsigned char *p = NULL;
    size_t len = 0;
    CHECK(store_open_record(s, k, ids[0], &p, &len, &err) == -1);
    snprintf(want, sizeof want,
             "Record %s cannot be opened: its signature does not match the device's signing key: it "
             "was altered or forged.", ids[0]);
    CHECK_EQ_STR(err.msg, want);
    CHECK_EQ_INT(err.code, ITS_E_DAMAGED);
    CHECK(store_open_record(s, k, ids[1], &p, &len, &err) == -1);
    snprintf(want, sizeof want, "Record %s cannot be opened: its header does not match its database row (id, "
             "time, device, key ids or sequence number was changed).", ids[1]);
    CHECK_EQ_STR(err.msg, want);
    CHECK(store_open_record(s, k, ids[2], &p, &len, &err) == 0);
    store_payload_free(p, len);
    store_lock(k);
    store_close(s);
}

/* Seals a result-shaped payload to the folder's public keys as `device`, format 2 signed with
 * sign_sk, or format 1 (unsigned) when sign_sk is NULL, and inserts it straight into the
 * database: what a person with the public keys and write access to store.db can do. */
static void forge(store *s, const char *device, long long seq, const unsigned char *sign_sk, char id[37])
{
    store_env_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, STORE_ENV_MAGIC_RECORD, 4);
    randombytes_buf(h.uuid, 16);
    h.uuid[6] = (unsigned char)((h.uuid[6] & 0x0f) | 0x40);
    h.created_at = 1700000000 + seq;
    h.seq = seq;
    its_strlcpy(h.device, device, sizeof h.device);
    char payload[1024];
    size_t n = test_payload(payload, sizeof payload, 500);
    const unsigned char *pks[2] = {s->worker_pk, s->recovery_pk};
    unsigned char *env = NULL;
    size_t len = 0;
    its_err err = {0};
    if (sign_sk)
        CHECK(store_env_seal(&h, pks, 2, (unsigned char *)payload, n, sign_sk, &env, &len, &err) == 0);
    else {
        h.seq = 0;
        env = test_seal_v1(&h, pks, payload, n, &len);
        store_key_id(pks[0], h.key_ids[0]);
        store_key_id(pks[1], h.key_ids[1]);
    }
    CHECK(env && test_insert_row(s->dir, &h, env, len, id) == 0);
    free(env);
}

static void says_forged(store *s, store_key *k, const char *id, const char *why)
{
    unsigned char *p = NULL;
    size_t len = 0;
    its_err err = {0};
    char want[600];
    CHECK(store_open_record(s, k, id, &p, &len, &err) == -1);
    snprintf(want, sizeof want, "Record %s cannot be opened: %s.", id, why);
    CHECK_EQ_STR(err.msg, want);
    CHECK_EQ_INT(err.code, ITS_E_DAMAGED);
}

static void test_forged_records(void)
{
    char dir[600], unsigned_id[37], other_key_id[37], ghost_id[37], want[1200];
    store *s = test_make_store(base, "forged", dir);
    unsigned char opk[crypto_sign_PUBLICKEYBYTES], osk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(opk, osk);
    forge(s, "test-station", 0, NULL, unsigned_id);   /* only the public keys: format 1 */
    forge(s, "test-station", 2, osk, other_key_id);   /* signed, but by another device's key */
    forge(s, "kiosk-ghost", 1, osk, ghost_id);        /* a device this folder has never pinned */
    store_key *k = NULL;
    its_err err = {0};
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    says_forged(s, k, unsigned_id, "it is unsigned (envelope format 1)");
    says_forged(s, k, other_key_id,
                "its signature does not match the device's signing key: it was altered or forged");
    says_forged(s, k, ghost_id, "no signing key is pinned for its device kiosk-ghost, so it cannot be told "
                                "apart from a forgery");
    /* Pinning is for life: another key for a pinned device is refused, named. */
    CHECK(store_device_pin(s, "test-station", opk, "server", &err) == -1);
    CHECK_EQ_STR(err.msg, "Device test-station already has another signing key pinned; the new key (from "
                          "server) was refused. A device keeps its key for life: another key means another "
                          "device or a forgery.");
    /* Once the ghost device's key is pinned (as the fleet pull does), its record is genuine. */
    CHECK(store_device_pin(s, "kiosk-ghost", opk, "server", &err) == 0);
    unsigned char *p = NULL;
    size_t len = 0;
    CHECK(store_open_record(s, k, ghost_id, &p, &len, &err) == 0);
    store_payload_free(p, len);
    store_lock(k);
    store_close(s);

    /* config.json given another device key (and its key file): refused on open, named. */
    char cfg[700];
    snprintf(cfg, sizeof cfg, "%s/config.json", dir);
    CHECK(store_config_set(dir, "device_sign_public_key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                           &err) == 0);
    CHECK(store_open(dir, &s, &err) == -1);
    snprintf(want, sizeof want, "The device signing key in %s/config.json is not the one pinned for device "
             "test-station in the database: config.json or the database was replaced. Restore both from the "
             "same backup.", dir);
    CHECK_EQ_STR(err.msg, want);
}

static void says_damage(store *s, const store_key *k, const char *want)
{
    store_damage *d = NULL;
    int n = -1;
    its_err err = {0};
    CHECK(store_check_complete(s, k, &d, &n, &err) == 0);
    if (CHECK_EQ_INT(n, want ? 1 : 0) && want)
        CHECK_EQ_STR(d[0].what, want);
    else
        for (int i = 0; i < n; i++)
            fprintf(stderr, "  damage: %s\n", d[i].what);
    free(d);
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *b = its_read_file(from, &len, NULL);
    FILE *f = fopen(to, "wb");
    CHECK(b && f && fwrite(b, 1, len, f) == len);
    if (f)
        fclose(f);
    free(b);
}

/* Rows deleted straight from store.db are named (from the signed save entries, or as a gap of
 * numbers); an older store.db put back is named as a rollback by the worker who saw the newer
 * one; and the audit log's signatures catch a chain re-hashed by someone without the key. */
static void test_missing_and_rollback(void)
{
    char dir[600], ids[4][37], want[600], db[700], old[700], sql[1200];
    store *s = test_make_store(base, "missing", dir);
    its_err err = {0};
    for (int i = 0; i < 2; i++)
        CHECK(store_save_result(s, (const unsigned char *)"{}", 2, ids[i], &err) == 0);
    store_close(s);
    snprintf(db, sizeof db, "%s/store.db", dir);
    snprintf(old, sizeof old, "%s/store.db.old", base);
    copy_file(db, old); /* a backup with records seq 1 and 2 */
    CHECK(store_open(dir, &s, &err) == 0);
    for (int i = 2; i < 4; i++)
        CHECK(store_save_result(s, (const unsigned char *)"{}", 2, ids[i], &err) == 0);
    store_key *k = NULL;
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    says_damage(s, k, NULL); /* complete; the worker's memory now holds seq 4 and this head */
    store_close(s);

    /* A deleted row, named by its signed save entry. */
    snprintf(sql, sizeof sql, "DELETE FROM records WHERE id = '%s'", ids[1]);
    CHECK(test_sql(dir, sql) == 0);
    CHECK(store_open(dir, &s, &err) == 0);
    snprintf(want, sizeof want, "Record %s (seq 2 of device test-station) is missing: it was saved, its row "
             "is gone and retention did not delete it.", ids[1]);
    says_damage(s, NULL, want);
    store_close(s);
    /* The newest row deleted with its audit entry: the device's counter still names the gap. */
    snprintf(sql, sizeof sql, "ATTACH '%s' AS o; INSERT INTO records SELECT * FROM o.records WHERE id = '%s';"
             "DELETE FROM records WHERE id = '%s'; DROP TRIGGER audit_no_delete;"
             "DELETE FROM audit WHERE detail LIKE '%%%s%%'", old, ids[1], ids[3], ids[3]);
    CHECK(test_sql(dir, sql) == 0);
    CHECK(store_open(dir, &s, &err) == 0);
    says_damage(s, NULL, "Record seq 4 of device test-station is missing: their numbers have a gap that "
                         "retention did not make.");
    store_close(s);

    /* The backup put back: whole in itself, but the worker who saw more names the rollback. */
    copy_file(old, db);
    CHECK(store_open(dir, &s, &err) == 0);
    says_damage(s, NULL, NULL);
    store_damage *d = NULL;
    int n = 0;
    CHECK(store_check_complete(s, k, &d, &n, &err) == 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_STR(d[0].what, "Records seq 3 to 4 of device test-station are missing: this worker saw them "
                                "before: an older store.db was put back (rolled back) or they were deleted.");
        CHECK(strstr(d[1].what, "The audit log ends at entry ") &&
              strstr(d[1].what, "but this worker saw entry ") && strstr(d[1].what, "rolled back"));
    }
    free(d);
    store_lock(k);
    store_close(s);
}

static void test_init_refuses(void)
{
    its_err err = {0};
    char want[1200], kdir[600], wrec[700];
    store_init_opts o = {
        .mode = STORE_WORKER, .passphrase = TEST_PASS, .recovery_out = rec, .kdf = STORE_KDF_MIN};
    snprintf(wrec, sizeof wrec, "%s/worker/config.json", base);
    snprintf(want, sizeof want,
             "%s already exists, so nothing was changed. To start over, add --force (old files "
             "are kept, renamed *.replaced-TIME).",
             wrec);
    CHECK(store_init(wdir, &o, &err) == -1);
    CHECK_EQ_STR(err.msg, want);
    o.passphrase = "short";
    CHECK(store_init(wdir, &o, &err) == -1);
    CHECK_EQ_STR(err.msg, "The worker passphrase must be at least 8 characters long.");
    snprintf(kdir, sizeof kdir, "%s/kiosk-nokeys", base);
    store_init_opts ko = {.mode = STORE_KIOSK};
    CHECK(store_init(kdir, &ko, &err) == -1);
    CHECK_EQ_STR(
        err.msg,
        "A kiosk or tablet needs the public keys of the worker station: give the worker's data "
        "folder with --keys-from.");
    check_intact("refused init");

    /* --force keeps the old files aside and starts a fresh folder. */
    char fdir[600];
    store *s = test_make_store(base, "forced", fdir);
    store_close(s);
    char frec[700];
    snprintf(frec, sizeof frec, "%s/forced-recovery.json", base);
    store_init_opts fo = {.mode = STORE_WORKER, .passphrase = TEST_PASS, .recovery_out = frec,
                          .kdf = STORE_KDF_MIN, .force = true};
    CHECK(store_init(fdir, &fo, &err) == 0);
    snprintf(want, sizeof want, "ls '%s' | grep -c replaced > /dev/null", fdir);
    CHECK(system(want) == 0);
}

/* Messages never carry SQLite's own text, jansson's quote of the input, or a raw control
 * character; duplicate keys in config.json and a worker key others can read are refused. */
static void test_messages(void)
{
    char dir[600], want[2000], path[800];
    store *s = test_make_store(base, "messages", dir);
    its_err err = {0};
    store_key *k = NULL;
    store_close(s);

    /* A table removed: "no such table: meta" becomes a sentence. */
    CHECK(test_sql(dir, "DROP TABLE meta") == 0);
    CHECK(store_open(dir, &s, &err) == 0);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "The unlock was refused because it could not be logged: the database is not "
                          "an Itsearvio database, or its tables were changed or removed; restore it from "
                          "a backup.");
    CHECK(strstr(err.msg, "no such table") == NULL);
    store_close(s);

    /* Duplicate keys in config.json: refused with file:line. */
    snprintf(path, sizeof path, "%s/config.json", dir);
    size_t len;
    char *old = its_read_file(path, &len, NULL);
    char *dup = malloc(len + 64);
    int n = snprintf(dup, len + 64, "{\"mode\": \"worker\",\n%s", old + 1);
    FILE *f = fopen(path, "wb");
    fwrite(dup, 1, (size_t)n, f);
    fclose(f);
    CHECK(store_open(dir, &s, &err) == -1);
    CHECK(strstr(err.msg, "config.json:") && strstr(err.msg, ": the config file is damaged: a key appears "
                                                              "twice in the same object."));
    /* Raw bytes and newlines of the input never reach the message. */
    f = fopen(path, "wb");
    fputs("{\"mode\": \x1b[31m\n\"x\"}", f);
    fclose(f);
    CHECK(store_open(dir, &s, &err) == -1);
    CHECK(strchr(err.msg, '\x1b') == NULL && strchr(err.msg, '\n') == NULL);
    snprintf(want, sizeof want, "%s:1:10: the config file is damaged: a comma, quote or bracket is "
                                "missing or out of place.", path);
    CHECK_EQ_STR(err.msg, want);
    f = fopen(path, "wb");
    fwrite(old, 1, len, f);
    fclose(f);
    free(dup);
    free(old);

    /* A path with a newline and a terminal escape is printed escaped. */
    CHECK(store_open("/nonexistent/a\nb\x1b[2J", &s, &err) == -1);
    CHECK_EQ_STR(err.msg, "/nonexistent/a\\x0ab\\x1b[2J is not an Itsearvio data folder (it has no "
                          "config.json); run `itsearvio init --dir /nonexistent/a\\x0ab\\x1b[2J` first.");

    /* A worker key others can read is refused. */
    CHECK(test_sql(dir, "CREATE TABLE meta(name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)") == 0);
    snprintf(path, sizeof path, "%s/worker.key", dir);
    CHECK(chmod(path, 0644) == 0);
    CHECK(store_open(dir, &s, &err) == 0);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == -1);
    snprintf(want, sizeof want, "The worker key file %s can be read by other users of this computer "
                                "(mode 0644); make it private with `chmod 600` and try again.", path);
    CHECK_EQ_STR(err.msg, want);
    CHECK(chmod(path, 0600) == 0);
    CHECK(store_unlock(s, TEST_PASS, &k, &err) == 0);
    store_lock(k);
    store_close(s);
}

/* Argon2id: the default is MODERATE and is what the file keeps; unlock uses the file's limits;
 * a passphrase change raises weaker limits to the chosen preset and never lowers them. The
 * recovery key is never left in a real data folder. */
static void test_kdf_and_recovery(void)
{
    char dir[600], path[800];
    store *s = test_make_store(base, "kdf", dir); /* MIN limits */
    its_err err = {0};
    store_key *k = NULL;
    unsigned char pk[32], sk[32];
    unsigned long long ops;
    size_t mem;
    snprintf(path, sizeof path, "%s/worker.key", dir);
    CHECK(store_worker_key_read(path, TEST_PASS, pk, sk, &ops, &mem, &err) == 0);
    CHECK(ops == crypto_pwhash_OPSLIMIT_MIN && mem == crypto_pwhash_MEMLIMIT_MIN);
    CHECK(store_change_passphrase(s, TEST_PASS, "second passphrase", STORE_KDF_INTERACTIVE, &err) == 0);
    CHECK(store_worker_key_read(path, "second passphrase", pk, sk, &ops, &mem, &err) == 0);
    CHECK(ops == crypto_pwhash_OPSLIMIT_INTERACTIVE && mem == crypto_pwhash_MEMLIMIT_INTERACTIVE);
    CHECK(store_change_passphrase(s, "second passphrase", "third passphrase", STORE_KDF_MIN, &err) == 0);
    CHECK(store_worker_key_read(path, "third passphrase", pk, sk, &ops, &mem, &err) == 0);
    CHECK(ops == crypto_pwhash_OPSLIMIT_INTERACTIVE && mem == crypto_pwhash_MEMLIMIT_INTERACTIVE);
    CHECK(store_unlock(s, "third passphrase", &k, &err) == 0);
    store_lock(k);
    store_close(s);
    unsigned long long dops;
    size_t dmem;
    store_kdf_params((store_kdf)0, &dops, &dmem);
    CHECK(dops == crypto_pwhash_OPSLIMIT_MODERATE && dmem == crypto_pwhash_MEMLIMIT_MODERATE);

    /* No --recovery-out: the text comes back to be shown once; nothing in the folder. */
    char rdir[600], *text = NULL;
    snprintf(rdir, sizeof rdir, "%s/shown-once", base);
    store_init_opts o = {.mode = STORE_WORKER, .passphrase = TEST_PASS, .recovery_text = &text,
                         .kdf = STORE_KDF_MIN};
    CHECK(store_init(rdir, &o, &err) == 0);
    CHECK(text && strstr(text, "\"recovery-key\"") && strstr(text, "\"secret\""));
    snprintf(path, sizeof path, "%s/recovery-key.json", rdir);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/shown-once-recovery.json", base);
    f_write(path, text);
    store_secret_free(text);
    CHECK(store_open(rdir, &s, &err) == 0);
    CHECK(store_unlock_recovery(s, path, &k, &err) == 0);
    store_lock(k);
    store_close(s);
    /* Neither a file nor the text asked for: refused before anything is made. */
    snprintf(rdir, sizeof rdir, "%s/nowhere", base);
    store_init_opts none = {.mode = STORE_WORKER, .passphrase = TEST_PASS, .kdf = STORE_KDF_MIN};
    CHECK(store_init(rdir, &none, &err) == -1);
    CHECK_EQ_STR(err.msg, "Say where the recovery key goes (a file on a USB stick) or let it be shown once.");
    CHECK(access(rdir, F_OK) != 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    test_tmpdir(base);
    store *s = test_make_store(base, "worker", wdir);
    snprintf(rec, sizeof rec, "%s/worker-recovery.json", base);
    snprintf(dbpath, sizeof dbpath, "%s/store.db", wdir);
    save_some(s, 5);
    store_close(s);

    test_wrong_passphrase();
    test_key_files();
    test_damaged_db();
    test_locked_db();
    test_readonly_db();
    test_newer_schema();
    test_full_disk_page_limit();
    test_full_disk_tmpfs();
    test_altered_record();
    test_forged_records();
    test_missing_and_rollback();
    test_init_refuses();
    test_messages();
    test_kdf_and_recovery();
    test_rm_rf(base);
    return check_summary();
}
