/* test_store_limits.c — the store's arithmetic on stored numbers stays defined at the extremes.
 * The count and time of wrong passphrases are rows in table meta: a damaged or hostile row (the
 * largest or smallest 64-bit value) once overflowed the delay arithmetic, giving no delay after a
 * wrong passphrase or a delay long after the last one. */
#include <limits.h>

#include "store_test.h"

static char base[512], wdir[600];

static void meta_put(store *s, const char *name, long long v)
{
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta(name, value) VALUES(?, ?)", -1, &st,
                             NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, v);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
}

static void test_extreme_fail_count(store *s)
{
    its_err err = {0};
    store_key *k = NULL;
    meta_put(s, "failed_unlocks", LLONG_MAX);
    meta_put(s, "last_failed_unlock", 0); /* long ago: no wait now */
    CHECK_EQ_INT(store_unlock_wait(s), 0);
    CHECK(store_unlock(s, "wrong one", &k, &err) == -1);
    CHECK_EQ_STR(err.msg, "Wrong passphrase. Wait 900 seconds before the next try.");
    CHECK_EQ_INT(store_unlock_wait(s), 900);
}

static void test_extreme_fail_time(store *s)
{
    long long now = store_now(s);
    meta_put(s, "failed_unlocks", 5); /* 8 seconds after the fifth mistake */
    meta_put(s, "last_failed_unlock", LLONG_MIN + 5);
    CHECK_EQ_INT(store_unlock_wait(s), 0);
    meta_put(s, "last_failed_unlock", LLONG_MAX); /* "in the future": no more than the delay */
    CHECK_EQ_INT(store_unlock_wait(s), 8);
    meta_put(s, "last_failed_unlock", now - 3);
    CHECK_EQ_INT(store_unlock_wait(s), 5);
    meta_put(s, "failed_unlocks", -7);
    CHECK_EQ_INT(store_unlock_wait(s), 0);
}

int main(void)
{
    test_tmpdir(base);
    store *s = test_make_store(base, "limits", wdir);
    store_set_now(s, 1800000000);
    test_extreme_fail_count(s);
    test_extreme_fail_time(s);
    store_close(s);
    test_rm_rf(base);
    return check_summary();
}
