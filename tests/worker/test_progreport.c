/* test_progreport.c — the programme report (app/worker/progreport.c) and its suppression
 * (app/core/suppress.c):
 *   1. a 2 × 2 table with one small cell: the classic four-cell pattern;
 *   2. the report's CSV against a hand-counted fixture (every line written out below, counted
 *      by hand from the groups described there, suppression worked through in the comments);
 *   3. a property test over random summaries (many seeds, min_cell 3 to 10): no published cell
 *      is from 1 to min_cell − 1; no hidden cell is determined by the published cells and the
 *      tables' row and column equations, checked by exact arithmetic modulo a prime on equations
 *      built here from the tables (not by the library's own code); where a total is published,
 *      the hidden parts of its line add up to 0 or at least min_cell; a "<N" mark is true; the
 *      CSV says what the cells hold and closes with the legend;
 *   4. the marks give nothing away: over random small tables, every hidden cell could hold
 *      another value for all a reader knows ("<N": 1 .. N − 1, "*": anything), by max-flow. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "progreport_int.h"
#include "suppress.h"
#include "words.h"
#include "worker_test.h"

/* The report's legend in English, from the real catalogue. */
static words_catalogue *catalogue;
static const char *english(const char *key)
{
    return words_get(catalogue, "en", key);
}

/* ---- 1. the 2 × 2 table --------------------------------------------------------------------- */

static void test_two_by_two(void)
{
    /* cells: a b c d | row totals R1 R2 | column totals C1 C2 | grand G */
    long v[] = {2, 10, 10, 10, 12, 20, 12, 20, 32};
    int start[] = {0, 3, 6, 9, 12, 15, 18};
    int cell[] = {4, 0, 1, 5, 2, 3, 6, 0, 2, 7, 1, 3, 8, 4, 5, 8, 6, 7};
    signed char coef[] = {-1, 1, 1, -1, 1, 1, -1, 1, 1, -1, 1, 1, -1, 1, 1, -1, 1, 1};
    suppress_problem p = {9, v, 6, start, cell, coef, NULL, 0};
    bool hidden[9], small[9];
    its_err err = {0};
    CHECK(suppress_run(&p, 2, hidden, small, &err) == -1); /* never below 3 */
    CHECK(suppress_run(&p, 5, hidden, small, &err) == 0);
    CHECK(small[0] && !small[1] && !small[2] && !small[3]);
    for (int i = 0; i < 4; i++)
        CHECK(hidden[i]);
    for (int i = 4; i < 9; i++)
        CHECK(!hidden[i]);
    CHECK_EQ_INT(suppress_find_determined(&p, hidden), -1);
    hidden[3] = false; /* with d shown, a is c's partner again: a = C1 − c */
    CHECK(suppress_find_determined(&p, hidden) >= 0);
}

/* ---- items ------------------------------------------------------------------------------------
 */

typedef struct items {
    store_programme_item *v;
    int n, cap;
} items;

static void add_item(items *it, long long at, const char *json)
{
    if (it->n == it->cap) {
        it->cap = it->cap ? 2 * it->cap : 64;
        it->v = realloc(it->v, (size_t)it->cap * sizeof *it->v);
    }
    store_programme_item *x = &it->v[it->n++];
    x->created_at = at;
    x->len = json ? strlen(json) : 0;
    x->payload = json ? (unsigned char *)its_strdup(json) : NULL;
}

static void add_summary(items *it, long long at, const char *pseudo, const char *ref,
                        const char *qid, const char *month, const char *site, const char *level,
                        const char *flags, double value)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"format\":1,\"kind\":\"summary\",\"questionnaire\":\"%s\",\"version\":\"1.0.0\","
             "\"month\":\"%s\",\"site\":\"%s\",\"level\":\"%s\",\"flags\":[%s],"
             "\"total\":{\"score\":\"simple\",\"band\":\"mild\",\"value\":%.1f},\"domains\":{},"
             "\"research_consent\":\"not_asked\",\"pseudonym\":\"%s\",\"ref\":\"%s\"}",
             qid, month, site, level, flags, value, pseudo, ref);
    add_item(it, at, buf);
}

static void add_update(items *it, long long at, const char *ref, const char *decision)
{
    char buf[256];
    snprintf(buf, sizeof buf,
             "{\"format\":1,\"kind\":\"referral\",\"ref\":\"%s\",\"decision\":\"%s\","
             "\"month\":\"2026-03\"}",
             ref, decision);
    add_item(it, at, buf);
}

/* Not inlined: gcc's -Wdangling-pointer (Release builds) otherwise takes the memstream's
 * pointer for the address of this function's local `text`. */
__attribute__((noinline)) static char *csv_of(const progreport *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    its_err err = {0};
    CHECK(progreport_csv(r, f, english, &err) == 0);
    fclose(f);
    return text;
}

/* ---- 2. the hand-counted fixture ----------------------------------------------------------------
 * All whodas12-style (change_error 9 on its headline "simple", lower is better):
 *   G1 c01..c10: 2026-01 site A none, value 10 → 2026-02 site A red [R1], value 30 (worse by 20)
 *   G2 d01..d06: 2026-01 site B yellow [Y1], value 30 → 2026-02 site B none, value 12 (better by
 * 18) G3 e01..e08: 2026-02 site B none, value 5 (one assessment each) G4 f01..f05: 2026-01 site A
 * none, value 10 → 2026-02 site A none, value 15 (same: 5 <= 9) Referral updates on the red
 * assessments of G1: c01..c05 referred (c05 first "not referred", later "referred": the latest
 * stands), c01 and c02 then an outcome; c06, c07 not referred; c08..c10 none. On the yellow ones of
 * G2: d01..d06 referred. Plus one item that did not open and one of an unknown kind: left out.
 * Referral suppression: red = 2, 3, 2, 3 (all primary); the column "referred" (total 9) would
 * give red's 3 (thin line: hidden part 3 < 5), so yellow's 6 is hidden; yellow's row then gives
 * that 6, so yellow's first zero (referred_outcome) is hidden too. Those two are hidden only to
 * protect the others: "*", not "<5" (which would say they are small). */
static const char *const expected_csv = "table,row,column,count,percent\n"
                                        "by_month,2026-01,red,0,0.0\n"
                                        "by_month,2026-01,yellow,6,28.6\n"
                                        "by_month,2026-01,none,15,71.4\n"
                                        "by_month,2026-01,total,21,\n"
                                        "by_month,2026-02,red,10,34.5\n"
                                        "by_month,2026-02,yellow,0,0.0\n"
                                        "by_month,2026-02,none,19,65.5\n"
                                        "by_month,2026-02,total,29,\n"
                                        "by_month,total,red,10,20.0\n"
                                        "by_month,total,yellow,6,12.0\n"
                                        "by_month,total,none,34,68.0\n"
                                        "by_month,total,total,50,\n"
                                        "by_site,A,red,10,33.3\n"
                                        "by_site,A,yellow,0,0.0\n"
                                        "by_site,A,none,20,66.7\n"
                                        "by_site,A,total,30,\n"
                                        "by_site,B,red,0,0.0\n"
                                        "by_site,B,yellow,6,30.0\n"
                                        "by_site,B,none,14,70.0\n"
                                        "by_site,B,total,20,\n"
                                        "by_site,total,red,10,20.0\n"
                                        "by_site,total,yellow,6,12.0\n"
                                        "by_site,total,none,34,68.0\n"
                                        "by_site,total,total,50,\n"
                                        "by_questionnaire,whodas12-style,red,10,20.0\n"
                                        "by_questionnaire,whodas12-style,yellow,6,12.0\n"
                                        "by_questionnaire,whodas12-style,none,34,68.0\n"
                                        "by_questionnaire,whodas12-style,total,50,\n"
                                        "by_questionnaire,total,red,10,20.0\n"
                                        "by_questionnaire,total,yellow,6,12.0\n"
                                        "by_questionnaire,total,none,34,68.0\n"
                                        "by_questionnaire,total,total,50,\n"
                                        "flags,whodas12-style R1,fired,10,20.0\n"
                                        "flags,whodas12-style R1,not_fired,40,80.0\n"
                                        "flags,whodas12-style R1,total,50,\n"
                                        "flags,whodas12-style Y1,fired,6,12.0\n"
                                        "flags,whodas12-style Y1,not_fired,44,88.0\n"
                                        "flags,whodas12-style Y1,total,50,\n"
                                        "number,whodas12-style,1,29,58.0\n"
                                        "number,whodas12-style,2,21,42.0\n"
                                        "number,whodas12-style,3+,0,0.0\n"
                                        "number,whodas12-style,total,50,\n"
                                        "number,total,1,29,58.0\n"
                                        "number,total,2,21,42.0\n"
                                        "number,total,3+,0,0.0\n"
                                        "number,total,total,50,\n"
                                        "change,whodas12-style,better,6,28.6\n"
                                        "change,whodas12-style,same,5,23.8\n"
                                        "change,whodas12-style,worse,10,47.6\n"
                                        "change,whodas12-style,total,21,\n"
                                        "change,total,better,6,28.6\n"
                                        "change,total,same,5,23.8\n"
                                        "change,total,worse,10,47.6\n"
                                        "change,total,total,21,\n"
                                        "referral,red,referred_outcome,<5,\n"
                                        "referral,red,referred,<5,\n"
                                        "referral,red,not_referred,<5,\n"
                                        "referral,red,no_decision,<5,\n"
                                        "referral,red,total,10,\n"
                                        "referral,yellow,referred_outcome,*,\n"
                                        "referral,yellow,referred,*,\n"
                                        "referral,yellow,not_referred,0,0.0\n"
                                        "referral,yellow,no_decision,0,0.0\n"
                                        "referral,yellow,total,6,\n"
                                        "referral,total,referred_outcome,<5,\n"
                                        "referral,total,referred,9,56.2\n"
                                        "referral,total,not_referred,<5,\n"
                                        "referral,total,no_decision,<5,\n"
                                        "referral,total,total,16,\n"
                                        "legend,<5,too small a count to show,,\n"
                                        "legend,*,hidden so that a small count cannot be worked "
                                        "out from the others (may be any number),,\n";

static void fixture(items *it)
{
    const long long jan = 1767312000, feb = 1770076800,
                    mar = 1772409600; /* 2026-01-02, -02-03, -03-02 */
    char p[16], r1[16], r2[16];
    for (int i = 1; i <= 10; i++) {
        snprintf(p, sizeof p, "c%02d", i);
        snprintf(r1, sizeof r1, "c%02d-1", i);
        snprintf(r2, sizeof r2, "c%02d-2", i);
        add_summary(it, jan + i, p, r1, "whodas12-style", "2026-01", "A", "none", "", 10);
        add_summary(it, feb + i, p, r2, "whodas12-style", "2026-02", "A", "red", "\"R1\"", 30);
        if (i == 5)
            add_update(it, mar, r2, "not_referred");
        if (i <= 5)
            add_update(it, mar + 10 + i, r2, "referred");
        if (i <= 2)
            add_update(it, mar + 100 + i, r2, "outcome");
        if (i == 6 || i == 7)
            add_update(it, mar + i, r2, "not_referred");
    }
    for (int i = 1; i <= 6; i++) {
        snprintf(p, sizeof p, "d%02d", i);
        snprintf(r1, sizeof r1, "d%02d-1", i);
        snprintf(r2, sizeof r2, "d%02d-2", i);
        add_summary(it, jan + 100 + i, p, r1, "whodas12-style", "2026-01", "B", "yellow", "\"Y1\"",
                    30);
        add_summary(it, feb + 100 + i, p, r2, "whodas12-style", "2026-02", "B", "none", "", 12);
        add_update(it, mar + 200 + i, r1, "referred");
    }
    for (int i = 1; i <= 8; i++) {
        snprintf(p, sizeof p, "e%02d", i);
        snprintf(r1, sizeof r1, "e%02d-1", i);
        add_summary(it, feb + 200 + i, p, r1, "whodas12-style", "2026-02", "B", "none", "", 5);
    }
    for (int i = 1; i <= 5; i++) {
        snprintf(p, sizeof p, "f%02d", i);
        snprintf(r1, sizeof r1, "f%02d-1", i);
        snprintf(r2, sizeof r2, "f%02d-2", i);
        add_summary(it, jan + 300 + i, p, r1, "whodas12-style", "2026-01", "A", "none", "", 10);
        add_summary(it, feb + 300 + i, p, r2, "whodas12-style", "2026-02", "A", "none", "", 15);
    }
    add_item(it, mar, NULL);
    add_item(it, mar, "{\"kind\":\"something else\"}");
}

static void items_free(items *it)
{
    store_programme_items_free(it->v, it->n);
    memset(it, 0, sizeof *it);
}

static void test_fixture(const qn *w12)
{
    items it = {0};
    fixture(&it);
    /* shuffled: the report must not depend on the order the store hands them out */
    for (int i = it.n - 1; i > 0; i--) {
        int j = (int)((unsigned)(i * 7919 + 13) % (unsigned)(i + 1));
        store_programme_item t = it.v[i];
        it.v[i] = it.v[j];
        it.v[j] = t;
    }
    const qn *qs[] = {w12};
    progreport_opts o = {qs, 1, 5};
    progreport *r = NULL;
    its_err err = {0};
    CHECK(progreport_build(it.v, it.n, &o, &r, &err) == 0);
    if (r) {
        CHECK_EQ_INT(progreport_summaries(r), 50);
        CHECK_EQ_INT(progreport_unreadable(r), 2);
        char *csv = csv_of(r);
        CHECK_EQ_STR(csv, expected_csv);
        if (csv && strcmp(csv, expected_csv))
            fprintf(stderr, "--- got:\n%s", csv);
        free(csv);
        progreport_free(r);
    }
    items_free(&it);
}

/* ---- 3. the property test
 * ------------------------------------------------------------------------ */

#define P 2147483647LL /* 2^31 - 1 */

static uint64_t rng;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static long long inv_mod(long long a)
{
    long long r = 1, e = P - 2;
    a %= P;
    if (a < 0)
        a += P;
    for (; e; e >>= 1, a = a * a % P)
        if (e & 1)
            r = r * a % P;
    return r;
}

typedef struct sys {
    long long *m; /* n_eqs × n_cells, the coefficients of every equation over every cell */
    int n_eqs, cap, n_cells;
} sys;

static void sys_row(sys *s, int total, const int *parts, int n)
{
    if (s->n_eqs == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->m = realloc(s->m, (size_t)s->cap * (size_t)s->n_cells * sizeof *s->m);
    }
    long long *row = s->m + (size_t)s->n_eqs++ * (size_t)s->n_cells;
    memset(row, 0, (size_t)s->n_cells * sizeof *row);
    row[total] -= 1;
    for (int i = 0; i < n; i++)
        row[parts[i]] += 1;
}

/* The equations, read off the tables: each row and column with its total, and the grand total
 * as the sum of the row totals and of the column totals. */
static void sys_build(const progreport *r, sys *s)
{
    memset(s, 0, sizeof *s);
    s->n_cells = r->n_cells;
    int parts[4096];
    for (int k = 0; k < r->n_tables; k++) {
        const pr_table *t = &r->t[k];
        for (int i = 0; t->row_total && i < t->n_rows; i++) {
            for (int j = 0; j < t->n_cols; j++)
                parts[j] = t->cell[i * t->n_cols + j];
            sys_row(s, t->row_total[i], parts, t->n_cols);
        }
        for (int j = 0; t->col_total && j < t->n_cols; j++) {
            for (int i = 0; i < t->n_rows; i++)
                parts[i] = t->cell[i * t->n_cols + j];
            sys_row(s, t->col_total[j], parts, t->n_rows);
        }
        if (t->grand >= 0 && t->row_total)
            sys_row(s, t->grand, t->row_total, t->n_rows);
        if (t->grand >= 0 && t->col_total)
            sys_row(s, t->grand, t->col_total, t->n_cols);
    }
}

/* How many hidden cells the published ones pin down: the columns of the hidden cells reduced
 * modulo P; a hidden cell is pinned when every null-space vector is 0 there. */
static int pinned(const progreport *r, const sys *s)
{
    int nh = 0, *col = malloc((size_t)r->n_cells * sizeof *col);
    for (int c = 0; c < r->n_cells; c++)
        col[c] = r->hidden[c] ? nh++ : -1;
    long long *a = calloc((size_t)s->n_eqs * (size_t)nh + 1, sizeof *a);
    for (int e = 0; e < s->n_eqs; e++)
        for (int c = 0; c < r->n_cells; c++)
            if (col[c] >= 0)
                a[e * nh + col[c]] = (s->m[(size_t)e * (size_t)s->n_cells + (size_t)c] % P + P) % P;
    int *pivot_of_row = malloc((size_t)(s->n_eqs + 1) * sizeof *pivot_of_row), rank = 0;
    bool *is_pivot = calloc((size_t)nh + 1, sizeof *is_pivot);
    for (int c = 0; c < nh && rank < s->n_eqs; c++) {
        int p = rank;
        while (p < s->n_eqs && a[p * nh + c] == 0)
            p++;
        if (p == s->n_eqs)
            continue;
        for (int j = 0; j < nh; j++) {
            long long t = a[p * nh + j];
            a[p * nh + j] = a[rank * nh + j];
            a[rank * nh + j] = t;
        }
        long long iv = inv_mod(a[rank * nh + c]);
        for (int j = 0; j < nh; j++)
            a[rank * nh + j] = a[rank * nh + j] * iv % P;
        for (int i = 0; i < s->n_eqs; i++)
            if (i != rank && a[i * nh + c]) {
                long long f = a[i * nh + c];
                for (int j = 0; j < nh; j++)
                    a[i * nh + j] = ((a[i * nh + j] - f * a[rank * nh + j]) % P + P) % P;
            }
        pivot_of_row[rank++] = c;
        is_pivot[c] = true;
    }
    int count = 0;
    for (int row = 0; row < rank; row++) {
        bool free_part = false;
        for (int j = 0; j < nh; j++)
            free_part |= !is_pivot[j] && a[row * nh + j] != 0;
        count += !free_part; /* x[pivot] = constant: pinned */
    }
    free(a);
    free(col);
    free(pivot_of_row);
    free(is_pivot);
    return count;
}

/* Each published total's line: the hidden parts add up to 0 or at least min_cell. */
static int thin_lines(const progreport *r, const sys *s)
{
    int bad = 0;
    for (int e = 0; e < s->n_eqs; e++) {
        long hidden_sum = 0;
        bool total_shown = false;
        for (int c = 0; c < r->n_cells; c++) {
            long long k = s->m[(size_t)e * (size_t)s->n_cells + (size_t)c];
            if (k < 0)
                total_shown = !r->hidden[c];
            else if (k > 0 && r->hidden[c])
                hidden_sum += r->value[c];
        }
        bad += total_shown && hidden_sum > 0 && hidden_sum < r->min_cell;
    }
    return bad;
}

/* Every count of the CSV is the cell's value, "<min" or "*" for a hidden cell; no 1 .. min-1;
 * the legend closes it. Walks by offset (not by pointer), which also keeps gcc's
 * -Wdangling-pointer quiet in Release builds. */
static int csv_mismatches(const progreport *r, const char *csv)
{
    int bad = 0;
    char want[32], legend[64];
    snprintf(want, sizeof want, "<%d", r->min_cell);
    snprintf(legend, sizeof legend, "legend,<%d,", r->min_cell);
    const char *end = strstr(csv, legend);
    bad += !end || !strstr(end, "\nlegend,*,");
    size_t legend_at = end ? (size_t)(end - csv) : strlen(csv);
    size_t at = strcspn(csv, "\n"); /* the header line */
    while (csv[at] == '\n' && csv[at + 1] && at + 1 != legend_at) {
        at++;
        size_t len = strcspn(csv + at, "\n"), f = at;
        /* table,row,column,count,percent: the count is the 4th field (no commas in labels here) */
        for (int i = 0; i < 3; i++) {
            size_t comma = strcspn(csv + f, ",\n");
            if (csv[f + comma] != ',')
                return bad + 1;
            f += comma + 1;
        }
        char count[32];
        size_t n = strcspn(csv + f, ",\n");
        snprintf(count, sizeof count, "%.*s", (int)n, csv + f);
        if (strcmp(count, want) && strcmp(count, "*")) {
            char *e;
            long v = strtol(count, &e, 10);
            bad += *e || (v > 0 && v < r->min_cell);
        }
        at += len;
    }
    return bad;
}

static void random_items(items *it)
{
    int n = 5 + (int)rnd(260), clients = 1 + (int)rnd(60), months = 1 + (int)rnd(5),
        sites = 1 + (int)rnd(4);
    static const char *const qids[] = {"whodas12-style", "whodas36-style", "oma-tilanne"};
    static const char *const levels[] = {"none", "yellow", "red"};
    static const char *const decisions[] = {"referred", "not_referred", "outcome"};
    int nq = 1 + (int)rnd(3);
    for (int i = 0; i < n; i++) {
        char pseudo[16], ref[16], month[24], site[8], flags[64] = "";
        int c = (int)rnd((uint32_t)clients);
        snprintf(pseudo, sizeof pseudo, "p%d", c);
        snprintf(ref, sizeof ref, "r%d", i);
        snprintf(month, sizeof month, "2026-%02d", 1 + (int)rnd((uint32_t)months));
        snprintf(site, sizeof site, "s%d", (int)rnd((uint32_t)sites));
        int level = (int)rnd(3);
        for (int k = 1; k <= 3; k++)
            if (level && rnd(3) == 0)
                its_appendf(flags, sizeof flags, "%s\"R%d\"", flags[0] ? "," : "", k);
        add_summary(it, 1767312000 + i * 3600, pseudo, ref, qids[c % nq], month, site,
                    levels[level], flags, (double)rnd(48));
        for (int u = (int)rnd(3); level && u > 0; u--)
            add_update(it, 1772409600 + i * 60 + u, ref, decisions[rnd(3)]);
    }
}

static void test_property(const qn *const *qs, int nq)
{
    int seeds = 300, cells = 0, hidden = 0, failures = 0;
    for (int seed = 1; seed <= seeds; seed++) {
        rng = 0x9e3779b97f4a7c15ULL * (uint64_t)seed;
        items it = {0};
        random_items(&it);
        static const int mins[] = {3, 4, 5, 5, 6, 10};
        progreport_opts o = {qs, nq, mins[rnd(6)]};
        progreport *r = NULL;
        its_err err = {0};
        if (!CHECK(progreport_build(it.v, it.n, &o, &r, &err) == 0)) {
            fprintf(stderr, "seed %d: %s\n", seed, err.msg);
            items_free(&it);
            continue;
        }
        sys s;
        sys_build(r, &s);
        int small = 0;
        for (int c = 0; c < r->n_cells; c++) {
            small += !r->hidden[c] && r->value[c] > 0 && r->value[c] < r->min_cell;
            small += r->hidden[c] && r->small[c] && !(r->value[c] > 0 && r->value[c] < r->min_cell);
            hidden += r->hidden[c];
        }
        cells += r->n_cells;
        char *csv = csv_of(r);
        int pin = pinned(r, &s), thin = thin_lines(r, &s), mism = csv ? csv_mismatches(r, csv) : 1;
        if (small || pin || thin || mism) {
            failures++;
            fprintf(
                stderr,
                "seed %d (min %d): %d small published or false \"<N\", %d hidden pinned, "
                "%d thin lines, %d CSV\n",
                seed, r->min_cell, small, pin, thin, mism);
        }
        free(csv);
        free(s.m);
        progreport_free(r);
        items_free(&it);
    }
    CHECK_EQ_INT(failures, 0);
    printf("property: %d seeds, %d cells, %d hidden, %d failures\n", seeds, cells, hidden,
           failures);
    CHECK(hidden > 0);
}

/* ---- 4. the marks give nothing away -------------------------------------------------------
 * A reader of the report knows more than the equations: "<m" holds 1 .. m − 1 ("*" holds any
 * count). Over random small tables (rows × columns with row, column and grand totals, as the
 * report has them), after suppression every hidden cell must be able to hold a value other than
 * its own in some table the reader cannot tell apart from the true one. Such a table is a
 * feasible circulation with bounds (source → row: the row total, row → column: the cell,
 * column → sink: the column total, sink → source: the grand total; published cells fixed,
 * hidden ones within their marks), found exactly by max-flow: an algorithm of its own, apart
 * from suppress.c's bounds. */

enum { TB_MAX = 32, TB_NODES = 16 };
typedef struct tab {
    int rows, cols, m;
    long v[TB_MAX];
    bool hid[TB_MAX], small[TB_MAX];
    int index[TB_MAX]; /* cell k is k: the layout's arrays point into it */
} tab;

static int tb_row(const tab *b, int i) { return b->rows * b->cols + i; }
static int tb_col(const tab *b, int j) { return b->rows * b->cols + b->rows + j; }
static int tb_grand(const tab *b) { return b->rows * b->cols + b->rows + b->cols; }

/* What the reader knows of cell c: [*lo, *hi]. */
static void tb_range(const tab *b, int c, long *lo, long *hi)
{
    *lo = !b->hid[c] ? b->v[c] : b->small[c] ? 1 : 0;
    *hi = !b->hid[c] ? b->v[c] : b->small[c] ? b->m - 1 : 100000;
}

/* Pushes up to `limit` from u to t along one path found depth first; what it pushed. */
static long tb_push(long cap[TB_NODES][TB_NODES], bool *seen, int n, int u, int t, long limit)
{
    if (u == t)
        return limit;
    seen[u] = true;
    for (int w = 0; w < n; w++) {
        if (seen[w] || cap[u][w] <= 0)
            continue;
        long got = tb_push(cap, seen, n, w, t, limit < cap[u][w] ? limit : cap[u][w]);
        if (got > 0) {
            cap[u][w] -= got;
            cap[w][u] += got;
            return got;
        }
    }
    return 0;
}

/* Max-flow from s to t (Ford-Fulkerson, depth first: a different search from suppress.c's). */
static long tb_maxflow(long cap[TB_NODES][TB_NODES], int n, int s, int t)
{
    long flow = 0, got;
    do {
        bool seen[TB_NODES] = {false};
        got = tb_push(cap, seen, n, s, t, LONG_MAX);
        flow += got;
    } while (got > 0);
    return flow;
}

/* Is there a table the reader cannot tell apart in which cell `target` lies in [lo, hi]? */
static bool tb_feasible(const tab *b, int target, long tlo, long thi)
{
    int src = 0, sink = b->rows + b->cols + 1, S = sink + 1, T = sink + 2, n = sink + 3;
    long cap[TB_NODES][TB_NODES] = {{0}}, excess[TB_NODES] = {0}, need = 0;
    for (int c = 0; c <= tb_grand(b); c++) {
        int u, w; /* the edge of cell c */
        if (c < b->rows * b->cols) {
            u = 1 + c / b->cols;
            w = 1 + b->rows + c % b->cols;
        } else if (c < tb_col(b, 0)) {
            u = src;
            w = 1 + (c - tb_row(b, 0));
        } else if (c < tb_grand(b)) {
            u = 1 + b->rows + (c - tb_col(b, 0));
            w = sink;
        } else {
            u = sink;
            w = src;
        }
        long lo, hi;
        tb_range(b, c, &lo, &hi);
        if (c == target) {
            lo = tlo > lo ? tlo : lo;
            hi = thi < hi ? thi : hi;
        }
        if (lo > hi)
            return false;
        cap[u][w] += hi - lo; /* lower bounds become demands */
        excess[w] += lo;
        excess[u] -= lo;
    }
    for (int i = 0; i < sink + 1; i++) {
        if (excess[i] > 0) {
            cap[S][i] += excess[i];
            need += excess[i];
        } else {
            cap[i][T] -= excess[i];
        }
    }
    return tb_maxflow(cap, n, S, T) == need;
}

/* Can cell c hold another value than its own, as far as the reader knows? */
static bool tb_open(const tab *b, int c)
{
    return tb_feasible(b, c, LONG_MIN / 4, b->v[c] - 1) || tb_feasible(b, c, b->v[c] + 1, LONG_MAX / 4);
}

/* A random table, suppressed by suppress_run with the report's equations and layout. */
static void tb_make(tab *b, int *start, int *cell, signed char *coef, suppress_table *layout,
                    suppress_problem *p)
{
    memset(b, 0, sizeof *b);
    b->rows = 2 + (int)rnd(2);
    b->cols = 2 + (int)rnd(3);
    b->m = 3 + (int)rnd(3);
    for (int k = 0; k < b->rows * b->cols; k++) /* mostly small, some zeros, a few larger */
        b->v[k] = rnd(4) == 0 ? 0 : rnd(3) == 0 ? b->m + (long)rnd(6) : 1 + (long)rnd((uint32_t)b->m);
    int n = 0, terms = 0;
    for (int side = 0; side < 2; side++) /* rows, then columns: total − parts = 0 */
        for (int a = 0; a < (side ? b->cols : b->rows); a++) {
            start[n++] = terms;
            cell[terms] = side ? tb_col(b, a) : tb_row(b, a);
            coef[terms++] = -1;
            for (int z = 0; z < (side ? b->rows : b->cols); z++) {
                int c = side ? z * b->cols + a : a * b->cols + z;
                b->v[cell[start[n - 1]]] += b->v[c];
                cell[terms] = c;
                coef[terms++] = 1;
            }
        }
    for (int side = 0; side < 2; side++) { /* grand = the row totals = the column totals */
        start[n++] = terms;
        cell[terms] = tb_grand(b);
        coef[terms++] = -1;
        for (int a = 0; a < (side ? b->cols : b->rows); a++) {
            cell[terms] = side ? tb_col(b, a) : tb_row(b, a);
            coef[terms++] = 1;
        }
    }
    start[n] = terms;
    for (int i = 0; i < b->rows; i++)
        b->v[tb_grand(b)] += b->v[tb_row(b, i)];
    for (int k = 0; k < TB_MAX; k++)
        b->index[k] = k;
    *layout = (suppress_table){b->rows, b->cols, b->index, b->index + tb_row(b, 0),
                               b->index + tb_col(b, 0), tb_grand(b)};
    *p = (suppress_problem){tb_grand(b) + 1, b->v, n, start, cell, coef, layout, 1};
}

static void test_marks(void)
{
    int tables = 2000, hidden = 0, secondary = 0, known = 0;
    rng = 0x5eed2026ULL;
    for (int n = 0; n < tables; n++) {
        tab b;
        int start[16], cell[64];
        signed char coef[64];
        suppress_problem p;
        suppress_table layout;
        tb_make(&b, start, cell, coef, &layout, &p);
        its_err err = {0};
        if (!CHECK(suppress_run(&p, b.m, b.hid, b.small, &err) == 0))
            continue;
        CHECK(tb_feasible(&b, 0, LONG_MIN / 4, LONG_MAX / 4)); /* the true table fits the marks */
        CHECK_EQ_INT(suppress_find_known(&p, b.hid, b.small, b.m), -1);
        for (int c = 0; c < p.n_cells; c++) {
            if (!b.hid[c])
                continue;
            hidden++;
            secondary += !b.small[c];
            CHECK(!b.small[c] || (b.v[c] >= 1 && b.v[c] < b.m)); /* "<m" is true */
            if (tb_open(&b, c) || known++ > 2)
                continue;
            fprintf(stderr, "table %d (%d x %d, m %d): hidden cell %d (%ld) is known:", n, b.rows,
                    b.cols, b.m, c, b.v[c]);
            for (int k = 0; k < p.n_cells; k++)
                fprintf(stderr, " %ld%s", b.v[k], b.hid[k] ? (b.small[k] ? "<" : "*") : "");
            fprintf(stderr, "\n");
        }
    }
    CHECK_EQ_INT(known, 0);
    CHECK(secondary > 0);
    printf("marks: %d tables, %d hidden (%d \"*\"), %d known\n", tables, hidden, secondary, known);
}

int main(void)
{
    its_err err = {0};
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/locale", getenv("ITS_SOURCE_DIR"));
    CHECK(words_load(dir, &catalogue, &err) == 0);
    test_two_by_two();
    test_marks();
    qn *qs[3] = {wt_questionnaire("whodas12-style"), wt_questionnaire("whodas36-style"),
                 wt_questionnaire("oma-tilanne")};
    test_fixture(qs[0]);
    test_property((const qn *const *)qs, 3);
    for (int i = 0; i < 3; i++)
        qn_free(qs[i]);
    words_free(catalogue);
    return check_summary();
}
