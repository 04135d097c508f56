/* The worker session: index, list filters and counts, detail in words, trend (change and new
 * flags), notes, a wrong passphrase, and a tampered record named instead of hidden. */
#include "worker_detail.h"
#include "worker_note.h"
#include "worker_test.h"

#define DAY 86400LL
#define T0 1736503200LL /* 2025-01-10 10:00 UTC */

typedef struct fixture {
    char dir[600];
    char id[8][37];
    json_t *res[8];
    int n;
} fixture;

static const char *level_of(json_t *r)
{
    return json_string_value(json_object_get(r, "level"));
}

static double overall(json_t *r, const char *score)
{
    return json_number_value(
        json_object_get(json_object_get(json_object_get(r, "scores"), score), "value"));
}

/* Client AAA (36 items) three times, client BBB (12 items) twice, client CCC once. */
static void make_fixture(const char *base, fixture *f)
{
    store *s = test_make_store(base, "list", f->dir);
    qn *q36 = wt_questionnaire("whodas36-style"), *q12 = wt_questionnaire("whodas12-style");
    char a[400];
    f->res[0] = wt_add_days(s, q36, "AAA", T0, wt_same(a, sizeof a, 36, "1"), 1, 2, NULL, f->id[0]);
    f->res[1] =
        wt_add(s, q36, "AAA", T0 + 60 * DAY, wt_same(a, sizeof a, 36, "2"), 1, f->res[0], f->id[1]);
    /* Third: refused, missing, not working (D5.5-D5.8 not asked), one 4. */
    f->res[2] = wt_add_days(
        s, q36, "AAA", T0 + 120 * DAY,
        "1 r 1 1 1 1  1 1 1 1 1  1 1 1 1  1 1 1 1 1  1 1 1 4  na na na na  1 1 1 1 1 1 1 x", 0, 12,
        f->res[1], f->id[2]);
    f->res[3] =
        wt_add(s, q12, "BBB", T0 + 10 * DAY, wt_same(a, sizeof a, 12, "0"), 1, NULL, f->id[3]);
    f->res[4] =
        wt_add(s, q12, "BBB", T0 + 70 * DAY, wt_same(a, sizeof a, 12, "3"), 1, f->res[3], f->id[4]);
    f->res[5] =
        wt_add(s, q36, "CCC", T0 + 30 * DAY, wt_same(a, sizeof a, 36, "0"), 1, NULL, f->id[5]);
    f->n = 6;
    store_close(s);
    qn_free(q36);
    qn_free(q12);
}

static void test_wrong_passphrase(const fixture *f)
{
    its_err err = {0};
    worker_session *ws = wt_open(f->dir, "not the passphrase", &err);
    CHECK(ws == NULL);
    CHECK(strstr(err.msg, "Wrong passphrase") != NULL);
}

static void test_list(worker_session *ws, const fixture *f)
{
    its_err err = {0};
    int *rows = NULL;
    worker_counts c;
    CHECK(worker_count(ws) == f->n);
    worker_filter all = worker_filter_all();
    CHECK(worker_list(ws, &all, &rows, &c, &err) == 0);
    CHECK_EQ_INT(c.total, 6);
    CHECK_EQ_INT(c.shown, 6);
    int red = 0, yellow = 0, none = 0;
    for (int i = 0; i < f->n; i++) {
        const char *l = level_of(f->res[i]);
        red += !strcmp(l, "red");
        yellow += !strcmp(l, "yellow");
        none += !strcmp(l, "none");
    }
    CHECK_EQ_INT(c.red, red);
    CHECK_EQ_INT(c.yellow, yellow);
    CHECK_EQ_INT(c.none, none);
    CHECK(red > 0 && none > 0);
    /* Newest first. */
    CHECK_EQ_STR(worker_entry_at(ws, rows[0])->id, f->id[2]);
    for (int i = 1; i < c.shown; i++)
        CHECK(worker_entry_at(ws, rows[i - 1])->completed_at >=
              worker_entry_at(ws, rows[i])->completed_at);
    free(rows);

    /* Flagged first: levels never go up down the list. */
    worker_filter ff = worker_filter_all();
    ff.flagged_first = true;
    CHECK(worker_list(ws, &ff, &rows, &c, &err) == 0);
    for (int i = 1; i < c.shown; i++)
        CHECK(worker_entry_at(ws, rows[i - 1])->level >= worker_entry_at(ws, rows[i])->level);
    free(rows);

    /* Client (any case), level, questionnaire, date range. */
    worker_filter fc = worker_filter_all();
    fc.client = "aaa";
    CHECK(worker_list(ws, &fc, &rows, &c, &err) == 0);
    CHECK_EQ_INT(c.shown, 3);
    free(rows);
    worker_filter fl = worker_filter_all();
    fl.level = QN_LEVEL_RED;
    CHECK(worker_list(ws, &fl, &rows, &c, &err) == 0);
    CHECK_EQ_INT(c.shown, red);
    CHECK_EQ_INT(c.red, red);
    for (int i = 0; i < c.shown; i++)
        CHECK(worker_entry_at(ws, rows[i])->level == QN_LEVEL_RED);
    free(rows);
    worker_filter fq = worker_filter_all();
    fq.questionnaire = "whodas12-style";
    CHECK(worker_list(ws, &fq, &rows, &c, &err) == 0);
    CHECK_EQ_INT(c.shown, 2);
    CHECK_EQ_STR(worker_entry_at(ws, rows[0])->id, f->id[4]);
    CHECK_EQ_INT((int)worker_entry_at(ws, rows[0])->headline, 36); /* 12 x 3 */
    CHECK_EQ_INT((int)worker_entry_at(ws, rows[0])->headline_max, 48);
    free(rows);
    /* 2025-01-20 .. 2025-02-09 inclusive holds BBB's first (01-20) and CCC (02-09). */
    worker_filter fd = worker_filter_all();
    fd.from = worker_parse_date("2025-01-20");
    fd.to = worker_parse_date_end("2025-02-09");
    CHECK(worker_list(ws, &fd, &rows, &c, &err) == 0);
    CHECK_EQ_INT(c.shown, 2);
    free(rows);
    CHECK(worker_parse_date("2025-13-01") == -1);
    CHECK(worker_parse_date("yesterday") == -1);
    char h[32];
    worker_format_headline(ws, h, sizeof h, worker_entry_at(ws, worker_find(ws, f->id[4])));
    CHECK_EQ_STR(h, "36/48");
}

static void test_detail(worker_session *ws, const fixture *f)
{
    worker_detail d;
    its_err err = {0};
    CHECK(worker_detail_open(ws, f->id[2], &d, &err) == 0);
    CHECK(!d.before_signing); /* signed (format 2): not one of the records from before signatures */
    CHECK(d.q != NULL);
    CHECK_EQ_STR(d.client, "AAA");
    const worker_answer *a = worker_detail_answer(&d, "D1.1");
    CHECK(a && a->kind == WORKER_ANS_VALUE && !strcmp(a->words, "Vähän vaikeuksia (1)"));
    a = worker_detail_answer(&d, "D1.2");
    CHECK(a && a->kind == WORKER_ANS_REFUSED && !strcmp(a->words, "ei halunnut vastata"));
    a = worker_detail_answer(&d, "D6.8");
    CHECK(a && a->kind == WORKER_ANS_MISSING && !strcmp(a->words, "ei vastausta"));
    a = worker_detail_answer(&d, "D5.5");
    CHECK(a && a->kind == WORKER_ANS_SKIPPED);
    a = worker_detail_answer(&d, "WORK");
    CHECK(a && a->kind == WORKER_ANS_VALUE && !strncmp(a->words, "Ei", 2));
    a = worker_detail_answer(&d, "H1");
    CHECK(a && a->number && !strcmp(a->words, "12 päivää"));
    a = worker_detail_answer(&d, "H3");
    CHECK(a && a->number && a->value == 14);
    bool imputed = false, item_set_32 = false;
    for (int i = 0; i < d.n_scores; i++) {
        imputed |= strstr(d.scores[i].imputed, "D1.2") != NULL;
        item_set_32 |=
            d.scores[i].ok && d.scores[i].item_set && !strcmp(d.scores[i].item_set, "32");
    }
    CHECK(imputed);
    CHECK(item_set_32);
    CHECK(d.n_flags == (int)json_array_size(json_object_get(f->res[2], "flags")));
    bool y7 = false; /* one extreme answer, in household tasks: a conversation, not red */
    for (int i = 0; i < d.n_flags; i++)
        y7 |= !strcmp(d.flags[i].rule, "Y7") && d.flags[i].level == QN_LEVEL_YELLOW &&
              d.flags[i].reason[0];
    CHECK(y7);
    worker_detail_free(&d);
    CHECK(worker_detail_open(ws, "00000000-0000-4000-8000-000000000000", &d, &err) == -1);
    CHECK(strstr(err.msg, "no record") != NULL);
    CHECK_EQ_INT(err.code, ITS_E_NOT_FOUND);
}

/* Rule ids in `have` that `base` lacks, computed from the results themselves. */
static void expected_new(json_t *now, json_t *before, char *out, size_t n)
{
    out[0] = '\0';
    size_t i, j;
    json_t *f, *g;
    json_array_foreach(json_object_get(now, "flags"), i, f)
    {
        const char *rule = json_string_value(json_object_get(f, "rule"));
        bool seen = false;
        json_array_foreach(json_object_get(before, "flags"), j, g) seen |=
            !strcmp(rule, json_string_value(json_object_get(g, "rule")));
        if (!seen)
            its_appendf(out, n, "%s%s", out[0] ? " " : "", rule);
    }
}

static void test_trend(worker_session *ws, const fixture *f)
{
    worker_trend t;
    its_err err = {0};
    CHECK(worker_trend_build(ws, "AAA", &t, &err) == 0);
    CHECK_EQ_INT(t.n_series, 1);
    const worker_trend_series *s = &t.series[0];
    CHECK_EQ_INT(s->n_points, 3);
    CHECK_EQ_STR(s->score_id[0], "overall");
    CHECK(s->n_scores == 8); /* overall + 7 domain scores */
    CHECK_EQ_STR(worker_entry_at(ws, s->points[0].entry)->id, f->id[0]);
    CHECK(!s->points[0].has_change);
    CHECK(s->points[1].has_change);
    CHECK_NEAR(s->points[1].change, overall(f->res[1], "overall") - overall(f->res[0], "overall"),
               1e-9);
    CHECK_NEAR(s->points[2].change, overall(f->res[2], "overall") - overall(f->res[1], "overall"),
               1e-9);
    char want[64];
    expected_new(f->res[1], f->res[0], want, sizeof want);
    CHECK_EQ_STR(s->points[1].new_flags, want);
    CHECK(want[0]); /* the second assessment did raise new flags */
    expected_new(f->res[2], f->res[1], want, sizeof want);
    CHECK_EQ_STR(s->points[2].new_flags, want);
    expected_new(f->res[1], f->res[2], want, sizeof want);
    CHECK_EQ_STR(s->points[2].gone_flags, want);
    CHECK_NEAR(s->points[1].value[1],
               json_number_value(json_object_get(
                   json_object_get(json_object_get(f->res[1], "scores"), "d1"), "value")),
               1e-9);
    CHECK_EQ_INT(worker_trend_previous(ws, worker_find(ws, f->id[2])), worker_find(ws, f->id[1]));
    CHECK_EQ_INT(worker_trend_previous(ws, worker_find(ws, f->id[0])), -1);
    worker_trend_free(&t);
    CHECK(worker_trend_build(ws, "BBB", &t, &err) == 0);
    CHECK(t.n_series == 1 && t.series[0].n_points == 2 &&
          !strcmp(t.series[0].score_id[0], "simple"));
    CHECK_NEAR(t.series[0].points[1].change, 36.0, 1e-9);
    worker_trend_free(&t);
    CHECK(worker_trend_build(ws, "NOBODY", &t, &err) == 0);
    CHECK_EQ_INT(t.n_series, 0);
    worker_trend_free(&t);
}

static void test_notes(worker_session *ws, const fixture *f)
{
    its_err err = {0};
    const char *text = "Asiakas kertoi, että \"huono päivä\"; sovittu uusi aika.";
    CHECK(worker_note_save(ws, f->id[1], "R2", false, text, &err) == 0);
    CHECK(worker_note_save(ws, f->id[1], "R3", true, "", &err) == 0);
    CHECK(worker_note_save(ws, f->id[1], "Y9", true, "", &err) == -1);
    CHECK(strstr(err.msg, "has no flag Y9") != NULL);
    CHECK(worker_note_save(ws, f->id[1], "R2", true, "\xff\xfe", &err) == -1);
    char big[WORKER_NOTE_TEXT_MAX + 10];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(worker_note_save(ws, f->id[1], "R2", true, big, &err) == -1);
    worker_note *notes;
    int n;
    CHECK(worker_note_list(ws, f->id[1], &notes, &n, &err) == 0);
    CHECK_EQ_INT(n, 2);
    CHECK(n == 2 && !strcmp(notes[0].rule, "R2") && !notes[0].agree &&
          !strcmp(notes[0].text, text));
    CHECK(n == 2 && !strcmp(notes[1].rule, "R3") && notes[1].agree);
    worker_notes_free(notes, n);
    /* The note is sealed: its text is not in the database file in the clear. */
    char db[700];
    snprintf(db, sizeof db, "%s/%s", f->dir, STORE_DB_FILE);
    CHECK(test_file_has(db, "huono", 5) == 0);
}

static void test_tampered(const fixture *f)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "DROP TRIGGER records_append_only;"
             "UPDATE records SET envelope = substr(envelope, 1, length(envelope) - 20) || "
             "(CASE WHEN substr(envelope, length(envelope) - 19, 1) = x'00' THEN x'01' ELSE x'00' END) || "
             "substr(envelope, length(envelope) - 18) WHERE id = '%s';",
             f->id[3]);
    CHECK(test_sql(f->dir, sql) == 0);
    its_err err = {0};
    worker_session *ws = wt_open(f->dir, TEST_PASS, &err);
    CHECK(ws != NULL);
    if (!ws)
        return;
    int bad = worker_find(ws, f->id[3]);
    const worker_entry *e = worker_entry_at(ws, bad);
    CHECK(e && e->status == WORKER_ENTRY_UNREADABLE);
    CHECK(e && e->error && strstr(e->error, f->id[3]) && strstr(e->error, "altered"));
    int *rows;
    worker_counts c;
    worker_filter all = worker_filter_all();
    CHECK(worker_list(ws, &all, &rows, &c, &err) == 0);
    CHECK_EQ_INT(c.unreadable, 1);
    CHECK_EQ_INT(c.shown, 6);
    free(rows);
    worker_filter fc = worker_filter_all();
    fc.client = "BBB";
    CHECK(worker_list(ws, &fc, &rows, &c, &err) == 0);
    CHECK_EQ_INT(c.shown, 1); /* its client is unknown now */
    free(rows);
    worker_detail d;
    CHECK(worker_detail_open(ws, f->id[3], &d, &err) == -1);
    CHECK(strstr(err.msg, f->id[3]) != NULL);
    /* The others still open. */
    CHECK(worker_detail_open(ws, f->id[4], &d, &err) == 0);
    worker_detail_free(&d);
    worker_session_lock(ws);
}

static void test_threads_agree(const fixture *f)
{
    /* One thread and four threads build the same index. */
    char qdir[700];
    snprintf(qdir, sizeof qdir, "%s/questionnaires", getenv("ITS_SOURCE_DIR"));
    worker_session *a = NULL, *b = NULL;
    its_err err;
    worker_open_opts o = {
        .dir = f->dir, .passphrase = TEST_PASS, .questionnaires = qdir, .threads = 1};
    CHECK(worker_session_open(&o, &a, &err) == 0);
    o.threads = 4;
    CHECK(worker_session_open(&o, &b, &err) == 0);
    for (int i = 0; a && b && i < worker_count(a); i++) {
        const worker_entry *x = worker_entry_at(a, i), *y = worker_entry_at(b, i);
        CHECK(!strcmp(x->id, y->id) && !strcmp(x->client, y->client) && x->level == y->level &&
              !strcmp(x->flags, y->flags));
    }
    worker_session_lock(a);
    worker_session_lock(b);
}

int main(void)
{
    char base[512];
    test_tmpdir(base);
    setenv("TZ", "UTC", 1);
    fixture f;
    make_fixture(base, &f);
    test_wrong_passphrase(&f);
    its_err err = {0};
    worker_session *ws = wt_open(f.dir, TEST_PASS, &err);
    CHECK(ws != NULL);
    if (!ws) {
        fprintf(stderr, "%s\n", err.msg);
        return check_summary();
    }
    test_list(ws, &f);
    test_detail(ws, &f);
    test_trend(ws, &f);
    test_notes(ws, &f);
    worker_session_lock(ws);
    test_threads_agree(&f);
    test_tampered(&f);
    for (int i = 0; i < f.n; i++)
        json_decref(f.res[i]);
    test_rm_rf(base);
    return check_summary();
}
