/* The sealed list-index cache: a second unlock lists the same from the cache; the cache holds no
 * client code in the clear; a record altered after it was cached is still caught; a damaged
 * cache is rebuilt; the recovery key keeps its own cache; retention leaves no cache behind. */
#include <dirent.h>

#include "check.h"
#include "worker_test.h"

/* Path of the first cache file in dir, or "" */
static void cache_file(const char *dir, char out[700])
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (!strncmp(e->d_name, "cache-list-index-", 17))
            if (snprintf(out, 700, "%s/%s", dir, e->d_name) >= 700)
                out[0] = '\0';
    if (d)
        closedir(d);
}

static int count_caches(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        /* cache-seen-*: the worker's memory of sequence numbers, kept through retention on
         * purpose (store_check_complete); it holds no record content */
        n += !strncmp(e->d_name, "cache-", 6) && strncmp(e->d_name, "cache-seen-", 11);
    if (d)
        closedir(d);
    return n;
}

/* The flags the list shows for record `id` (empty if not found). */
static void flags_of(const char *dir, const char *id, char out[64])
{
    its_err err = {0};
    out[0] = '\0';
    worker_session *ws = wt_open(dir, TEST_PASS, &err);
    for (int i = 0; ws && i < worker_count(ws); i++)
        if (!strcmp(worker_entry_at(ws, i)->id, id))
            its_strlcpy(out, worker_entry_at(ws, i)->flags, 64);
    if (ws)
        worker_session_lock(ws);
}

/* Lists everything and returns the counts; -1 shown when the session does not open. */
static worker_counts list_all(const char *dir, const char *pass)
{
    its_err err = {0};
    worker_counts c = {.shown = -1};
    worker_session *ws = wt_open(dir, pass, &err);
    if (!ws)
        return c;
    int *rows = NULL;
    worker_filter all = worker_filter_all();
    if (worker_list(ws, &all, &rows, &c, &err) != 0)
        printf("list: %s\n", err.msg); /* the counts stay zero and the caller's checks fail */
    free(rows);
    worker_session_lock(ws);
    return c;
}

int main(void)
{
    wt_fixture f;
    wt_begin(&f, "cache");
    json_t *res[3];
    char ids[3][37], buf[200];
    long long now = (long long)time(NULL);
    res[0] = wt_add(f.s, f.q36, "CACHE27", now - 86400 * 400, wt_same(buf, sizeof buf, 36, "0"), 1,
                    NULL, ids[0]);
    res[1] = wt_add(f.s, f.q36, "CACHE27", now - 3600, wt_same(buf, sizeof buf, 36, "2"), 1, NULL, ids[1]);
    res[2] = wt_add(f.s, f.q12, "OTHER34", now - 60, wt_same(buf, sizeof buf, 12, "0"), -1, NULL, ids[2]);

    /* The results were sealed as the kiosk seals them, without the previous assessment, so no
     * stored result has Y5; the worker side evaluates it: overall 0 -> 50.0 is 50 worse (Y5 needs 18). */
    json_t *stored = json_object_get(res[1], "flags");
    size_t k;
    json_t *flag;
    json_array_foreach(stored, k, flag) CHECK(strcmp(json_string_value(json_object_get(flag, "rule")), "Y5"));
    char flags[64];
    flags_of(f.dir, ids[1], flags);
    CHECK(strstr(flags, "Y5") != NULL);
    flags_of(f.dir, ids[0], flags);
    CHECK(strstr(flags, "Y5") == NULL);

    worker_counts first = list_all(f.dir, TEST_PASS);
    CHECK_EQ_INT(first.shown, 3);
    char path[700];
    cache_file(f.dir, path);
    CHECK(path[0] != '\0');
    CHECK(!test_file_has(path, "CACHE27", 7)); /* sealed: no client code in the clear */
    worker_counts second = list_all(f.dir, TEST_PASS);
    CHECK_EQ_INT(second.shown, 3);
    CHECK_EQ_INT(second.red + second.yellow + second.none, 3);
    CHECK_EQ_INT(second.red, first.red);
    flags_of(f.dir, ids[1], flags); /* from the cache now */
    CHECK(strstr(flags, "Y5") != NULL);

    /* altered after caching: the digest no longer matches, the record is opened and refused */
    char sql[400];
    snprintf(sql, sizeof sql,
             "DROP TRIGGER records_append_only;"
             "UPDATE records SET envelope = substr(envelope, 1, length(envelope) - 20) || "
             "(CASE WHEN substr(envelope, length(envelope) - 19, 1) = x'00' THEN x'01' ELSE x'00' END) || "
             "substr(envelope, length(envelope) - 18) WHERE id = '%s';", ids[1]);
    CHECK(test_sql(f.dir, sql) == 0);
    CHECK_EQ_INT(list_all(f.dir, TEST_PASS).unreadable, 1);

    /* Only a clear column changed (the device, then the key ids), the envelope untouched: the
     * cached line no longer matches its row, so the list refuses the record as show does. Each
     * is put back afterwards. */
    static const char *const columns[2][2] = {
        {"device = 'kiosk-elsewhere'", "device = 'test-station'"},
        {"key_ids = substr(key_ids, 18) || ',' || substr(key_ids, 1, 16)",
         "key_ids = substr(key_ids, 18) || ',' || substr(key_ids, 1, 16)"}};
    for (int c = 0; c < 2; c++) {
        CHECK_EQ_INT(list_all(f.dir, TEST_PASS).unreadable, 1); /* the record is in the cache */
        snprintf(sql, sizeof sql, "UPDATE records SET %s WHERE id = '%s';", columns[c][0], ids[2]);
        CHECK(test_sql(f.dir, sql) == 0);
        its_err err = {0};
        worker_session *ws = wt_open(f.dir, TEST_PASS, &err);
        const worker_entry *e = ws ? worker_entry_at(ws, worker_find(ws, ids[2])) : NULL;
        CHECK(e && e->status == WORKER_ENTRY_UNREADABLE && e->error &&
              strstr(e->error, "its header does not match its database row"));
        worker_session_lock(ws);
        snprintf(sql, sizeof sql, "UPDATE records SET %s WHERE id = '%s';", columns[c][1], ids[2]);
        CHECK(test_sql(f.dir, sql) == 0);
    }

    /* a damaged cache is only a slower unlock */
    FILE *out = fopen(path, "r+b");
    if (CHECK(out != NULL)) {
        fseek(out, 40, SEEK_SET);
        fputc('X', out);
        fclose(out);
    }
    CHECK_EQ_INT(list_all(f.dir, TEST_PASS).shown, 3);

    /* retention removes every cache: nothing about deleted records stays behind */
    its_err err = {0};
    store_key *key = NULL;
    CHECK(store_unlock(f.s, TEST_PASS, &key, &err) == 0);
    int deleted = 0;
    CHECK(store_delete_older_than(f.s, key, 365, &deleted, &err) == 0);
    CHECK_EQ_INT(deleted, 1);
    CHECK_EQ_INT(count_caches(f.dir), 0);
    store_lock(key);
    CHECK_EQ_INT(list_all(f.dir, TEST_PASS).total, 2);

    store_close(f.s);
    wt_end(&f, res, 3);
    return check_summary();
}
