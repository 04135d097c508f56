/* progreport.c — the programme report's tables, their suppression and the CSV (progreport.h).
 *
 * Tables (rows × columns, totals shared where they count the same summaries):
 *   by_month, by_site, by_questionnaire: assessments by month / site / questionnaire × level;
 *     the level totals and the grand total are one set of cells for all three.
 *   flags:    rule (questionnaire and rule id) × fired / not fired; the row total is the
 *             questionnaire's total of by_questionnaire, so the rate is fired / assessed.
 *   number:   questionnaire × the assessment's number for the client (1, 2, 3 or more).
 *   change:   questionnaire × better / same / worse, clients with two or more assessments, first
 *             against latest, by the headline score's change_error (the instrument's rule).
 *   referral: red / yellow assessments × referred with outcome known / referred / not referred /
 *             no decision; the row totals are the level totals of by_month. */
#include "progreport_int.h"
#include "export.h"
#include "suppress.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PR_FLAGS 256

typedef struct pr_sum {
    char qid[48], month[8], site[64], pseudo[33], ref[33];
    char flags[PR_FLAGS]; /* fired rule ids, space separated */
    int level;            /* 0 none, 1 yellow, 2 red */
    bool has_value;
    double value;
    long long at;
    int number; /* 1, 2, 3 (3 or more) */
} pr_sum;

typedef struct pr_update {
    char ref[33];
    long long at;
    int decision; /* 0 referred, 1 not referred, 2 outcome */
} pr_update;

static const char *const level_cols[] = {"red", "yellow", "none"};
static const char *const fired_cols[] = {"fired", "not_fired"};
static const char *const number_cols[] = {"1", "2", "3+"};
static const char *const change_cols[] = {"better", "same", "worse"};
static const char *const referral_cols[] = {"referred_outcome", "referred", "not_referred",
                                            "no_decision"};
static const char *const flagged_rows[] = {"red", "yellow"};

/* ---- reading the summaries --------------------------------------------------------------- */

static void copy_str(char *dst, size_t n, json_t *v)
{
    its_strlcpy(dst, json_string_value(v) ? json_string_value(v) : "", n);
}

static int level_of(const char *l)
{
    return l && !strcmp(l, "red") ? 2 : l && !strcmp(l, "yellow") ? 1 : 0;
}

/* 1 summary, 2 referral update, 3 a research consent withdrawn (the tables count no consent:
 * nothing to do), 0 neither (left out). */
static int parse_item(const store_programme_item *it, pr_sum *s, pr_update *u)
{
    if (!it->payload)
        return 0;
    json_t *o = json_loadb((const char *)it->payload, it->len, 0, NULL);
    const char *kind = json_string_value(json_object_get(o, "kind"));
    int got = 0;
    if (kind && !strcmp(kind, "summary") && json_is_string(json_object_get(o, "pseudonym"))) {
        memset(s, 0, sizeof *s);
        copy_str(s->qid, sizeof s->qid, json_object_get(o, "questionnaire"));
        copy_str(s->month, sizeof s->month, json_object_get(o, "month"));
        copy_str(s->site, sizeof s->site, json_object_get(o, "site"));
        copy_str(s->pseudo, sizeof s->pseudo, json_object_get(o, "pseudonym"));
        copy_str(s->ref, sizeof s->ref, json_object_get(o, "ref"));
        s->level = level_of(json_string_value(json_object_get(o, "level")));
        json_t *v = json_object_get(json_object_get(o, "total"), "value"), *f;
        s->has_value = json_is_number(v);
        s->value = s->has_value ? json_number_value(v) : 0;
        s->at = it->created_at;
        size_t i;
        json_array_foreach(json_object_get(o, "flags"), i, f) if (json_is_string(f)) its_appendf(
            s->flags, sizeof s->flags, "%s%s", s->flags[0] ? " " : "", json_string_value(f));
        got = s->qid[0] && s->month[0] ? 1 : 0;
    } else if (kind && !strcmp(kind, "referral")) {
        const char *d = json_string_value(json_object_get(o, "decision"));
        copy_str(u->ref, sizeof u->ref, json_object_get(o, "ref"));
        u->at = it->created_at;
        u->decision = !d                           ? -1
                      : !strcmp(d, "referred")     ? 0
                      : !strcmp(d, "not_referred") ? 1
                      : !strcmp(d, "outcome")      ? 2
                                                   : -1;
        got = u->decision >= 0 && u->ref[0] ? 2 : 0;
    } else if (kind && !strcmp(kind, "consent")) {
        got = 3;
    }
    json_decref(o);
    return got;
}

/* ---- labels -------------------------------------------------------------------------------- */

typedef struct labels {
    char (*v)[PR_LABEL];
    int n, cap;
} labels;

static int label_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int labels_add(labels *l, const char *s)
{
    for (int i = l->n - 1; i >= 0 && i >= l->n - 4;
         i--) /* summaries come in runs: a quick look back */
        if (!strcmp(l->v[i], s))
            return 0;
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return 0;
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        void *p = realloc(l->v, (size_t)cap * sizeof *l->v);
        if (!p)
            return -1;
        l->v = p;
        l->cap = cap;
    }
    its_strlcpy(l->v[l->n++], s, PR_LABEL);
    return 0;
}

static int labels_find(const labels *l, const char *s)
{
    char key[PR_LABEL];
    its_strlcpy(key, s, sizeof key);
    char(*hit)[PR_LABEL] = bsearch(key, l->v, (size_t)l->n, sizeof *l->v, label_cmp);
    return hit ? (int)(hit - l->v) : -1;
}

static void labels_sort(labels *l)
{
    if (l->n)
        qsort(l->v, (size_t)l->n, sizeof *l->v, label_cmp);
}

/* ---- cells and tables ------------------------------------------------------------------------ */

/* A new cell, or the shared one with the same key (key "" : always new). */
static int cell_get(progreport *r, const char *key)
{
    for (int c = 0; key[0] && c < r->n_cells; c++)
        if (!strcmp(r->key[c], key))
            return c;
    if (r->n_cells == r->cap_cells) {
        int cap = r->cap_cells ? 2 * r->cap_cells : 256;
        void *v = realloc(r->value, (size_t)cap * sizeof *r->value);
        if (v)
            r->value = v;
        void *k = v ? realloc(r->key, (size_t)cap * sizeof *r->key) : NULL;
        if (k)
            r->key = k;
        if (!v || !k)
            return -1;
        r->cap_cells = cap;
    }
    r->value[r->n_cells] = 0; /* totals are summed by totals_sum */
    its_strlcpy(r->key[r->n_cells], key, sizeof r->key[0]);
    return r->n_cells++;
}

static int *ints(int n)
{
    int *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    return v;
}

/* Adds a table whose totals are the cells named "<row_key>|<row>", "<col_key>|<col>" and grand
 * (NULL: no such totals). */
static pr_table *table_add(progreport *r, const char *id, const labels *rows,
                           const char *const *cols, int n_cols, const char *row_key,
                           const char *col_key, const char *grand)
{
    pr_table *t = &r->t[r->n_tables++];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->n_rows = rows->n;
    t->n_cols = n_cols;
    t->cols = cols;
    t->rows = malloc((size_t)(rows->n ? rows->n : 1) * sizeof *t->rows);
    t->cell = ints(rows->n * n_cols);
    t->row_total = row_key ? ints(rows->n) : NULL;
    t->col_total = col_key ? ints(n_cols) : NULL;
    if (!t->rows || !t->cell || (row_key && !t->row_total) || (col_key && !t->col_total))
        return NULL;
    char key[PR_LABEL * 2];
    for (int i = 0; i < rows->n; i++) {
        memcpy(t->rows[i], rows->v[i], sizeof t->rows[i]);
        for (int j = 0; j < n_cols; j++)
            if ((t->cell[i * n_cols + j] = cell_get(r, "")) < 0)
                return NULL;
        snprintf(key, sizeof key, "%s|%s", row_key ? row_key : "", rows->v[i]);
        if (row_key && (t->row_total[i] = cell_get(r, key)) < 0)
            return NULL;
    }
    for (int j = 0; col_key && j < n_cols; j++) {
        snprintf(key, sizeof key, "%s|%s", col_key, cols[j]);
        if ((t->col_total[j] = cell_get(r, key)) < 0)
            return NULL;
    }
    t->grand = grand ? cell_get(r, grand) : -1;
    return grand && t->grand < 0 ? NULL : t;
}

static void table_inc(progreport *r, const pr_table *t, int row, int col)
{
    if (row >= 0 && col >= 0)
        r->value[t->cell[row * t->n_cols + col]]++;
}

/* Sets a total; a total shared by tables must come out the same in each. */
static int total_set(progreport *r, int cell, long v, its_err *err)
{
    if (r->value[cell] >= 0 && r->value[cell] != v)
        return its_fail(err, "The report's tables disagree on %s (%ld and %ld); this is a bug.",
                        r->key[cell], r->value[cell], v);
    r->value[cell] = v;
    return 0;
}

static int totals_sum(progreport *r, its_err *err)
{
    for (int c = 0; c < r->n_cells; c++)
        if (r->key[c][0])
            r->value[c] = -1;
    for (int k = 0; k < r->n_tables; k++) {
        pr_table *t = &r->t[k];
        long grand = 0;
        for (int i = 0; i < t->n_rows; i++) {
            long sum = 0;
            for (int j = 0; j < t->n_cols; j++)
                sum += r->value[t->cell[i * t->n_cols + j]];
            grand += sum;
            if (t->row_total && total_set(r, t->row_total[i], sum, err) != 0)
                return -1;
        }
        for (int j = 0; t->col_total && j < t->n_cols; j++) {
            long sum = 0;
            for (int i = 0; i < t->n_rows; i++)
                sum += r->value[t->cell[i * t->n_cols + j]];
            if (total_set(r, t->col_total[j], sum, err) != 0)
                return -1;
        }
        if (t->grand >= 0 && total_set(r, t->grand, grand, err) != 0)
            return -1;
    }
    for (int c = 0; c < r->n_cells; c++) /* a shared total of no table's rows: nothing counted */
        if (r->value[c] < 0)
            r->value[c] = 0;
    return 0;
}

/* ---- the equations and the suppression ---------------------------------------------------------
 */

typedef struct eqs {
    int *start, *cell;
    signed char *coef;
    int n, n_terms, cap_eq, cap_terms;
} eqs;

static int eq_term(eqs *e, int cell, int coef)
{
    if (e->n_terms == e->cap_terms) {
        int cap = e->cap_terms ? 2 * e->cap_terms : 1024;
        void *a = realloc(e->cell, (size_t)cap * sizeof *e->cell);
        if (a)
            e->cell = a;
        void *b = a ? realloc(e->coef, (size_t)cap) : NULL;
        if (b)
            e->coef = b;
        if (!a || !b)
            return -1;
        e->cap_terms = cap;
    }
    e->cell[e->n_terms] = cell;
    e->coef[e->n_terms++] = (signed char)coef;
    return 0;
}

static int eq_begin(eqs *e)
{
    if (e->n + 2 > e->cap_eq) {
        int cap = e->cap_eq ? 2 * e->cap_eq : 256;
        void *a = realloc(e->start, (size_t)cap * sizeof *e->start);
        if (!a)
            return -1;
        e->start = a;
        e->cap_eq = cap;
    }
    e->start[e->n++] = e->n_terms;
    e->start[e->n] = e->n_terms;
    return 0;
}

static int eq_end(eqs *e)
{
    e->start[e->n] = e->n_terms;
    return 0;
}

/* parts − total = 0, for each row, column and the grand total of each table. */
static int equations(const progreport *r, eqs *e)
{
    int rc = 0;
    for (int k = 0; k < r->n_tables && rc == 0; k++) {
        const pr_table *t = &r->t[k];
        for (int i = 0; t->row_total && i < t->n_rows && rc == 0; i++) {
            rc |= eq_begin(e) | eq_term(e, t->row_total[i], -1);
            for (int j = 0; j < t->n_cols; j++)
                rc |= eq_term(e, t->cell[i * t->n_cols + j], 1);
            rc |= eq_end(e);
        }
        for (int j = 0; t->col_total && j < t->n_cols && rc == 0; j++) {
            rc |= eq_begin(e) | eq_term(e, t->col_total[j], -1);
            for (int i = 0; i < t->n_rows; i++)
                rc |= eq_term(e, t->cell[i * t->n_cols + j], 1);
            rc |= eq_end(e);
        }
        for (int side = 0; side < 2 && t->grand >= 0 && rc == 0; side++) {
            const int *tot = side ? t->col_total : t->row_total;
            int n = side ? t->n_cols : t->n_rows;
            if (!tot)
                continue;
            rc |= eq_begin(e) | eq_term(e, t->grand, -1);
            for (int i = 0; i < n; i++)
                rc |= eq_term(e, tot[i], 1);
            rc |= eq_end(e);
        }
    }
    return rc;
}

static int suppress_all(progreport *r, its_err *err)
{
    eqs e = {0};
    r->hidden = calloc((size_t)r->n_cells + 1, sizeof *r->hidden);
    r->small = calloc((size_t)r->n_cells + 1, sizeof *r->small);
    int rc = r->hidden && r->small && equations(r, &e) == 0
                 ? 0
                 : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the report.");
    suppress_table tables[PR_MAX_TABLES];
    for (int k = 0; k < r->n_tables; k++) {
        const pr_table *t = &r->t[k];
        tables[k] = (suppress_table){t->n_rows, t->n_cols, t->cell, t->row_total, t->col_total, t->grand};
    }
    if (rc == 0) {
        suppress_problem p = {r->n_cells, r->value, e.n, e.start, e.cell, e.coef, tables, r->n_tables};
        rc = suppress_run(&p, r->min_cell, r->hidden, r->small, err);
    }
    free(e.start);
    free(e.cell);
    free(e.coef);
    return rc;
}

/* ---- counting ------------------------------------------------------------------------------- */

static int cmp_client(const void *a, const void *b)
{
    const pr_sum *x = a, *y = b;
    int c = strcmp(x->pseudo, y->pseudo);
    if (!c)
        c = strcmp(x->qid, y->qid);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

static int cmp_update(const void *a, const void *b)
{
    const pr_update *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* The referral column of a flagged summary: the latest referred / not referred stands. */
static int referral_col(const pr_update *u, int nu, const char *ref)
{
    pr_update key;
    its_strlcpy(key.ref, ref, sizeof key.ref);
    int lo = 0, hi = nu;
    while (lo < hi) { /* the first update of ref */
        int mid = (lo + hi) / 2;
        if (strcmp(u[mid].ref, ref) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int decision = -1;
    bool outcome = false;
    for (int i = lo; i < nu && !strcmp(u[i].ref, ref); i++) {
        if (u[i].decision == 2)
            outcome = true;
        else
            decision = u[i].decision;
    }
    return decision == 0 ? (outcome ? 0 : 1) : decision == 1 ? 2 : 3;
}

/* The headline score's change rule of questionnaire qid. */
static void change_rule(const progreport_opts *o, const char *qid, bool *higher_better,
                        double *error)
{
    *higher_better = false;
    *error = 0;
    for (int i = 0; i < o->n_qns; i++)
        if (o->qns[i] && !strcmp(o->qns[i]->id, qid) && o->qns[i]->n_scores > 0) {
            const qn_score *sc = &o->qns[i]->scores[0];
            *higher_better = sc->higher_is_better;
            *error = sc->change_error;
        }
}

typedef struct pr_tables {
    pr_table *month, *site, *qn, *flags, *number, *change, *referral;
    labels months, sites, qids, rules;
} pr_tables;

/* The assessment's number per client and questionnaire, and first-to-latest change. */
static void count_clients(progreport *r, pr_tables *T, pr_sum *s, int n, const progreport_opts *o)
{
    qsort(s, (size_t)n, sizeof *s, cmp_client);
    for (int i = 0; i < n;) {
        int j = i, first = -1, last = -1;
        for (; j < n && !strcmp(s[j].pseudo, s[i].pseudo) && !strcmp(s[j].qid, s[i].qid); j++) {
            s[j].number = j - i + 1;
            table_inc(r, T->number, labels_find(&T->qids, s[j].qid),
                      s[j].number > 3 ? 2 : s[j].number - 1);
            if (s[j].has_value) {
                first = first < 0 ? j : first;
                last = j;
            }
        }
        if (first >= 0 && last > first) {
            bool hb;
            double error, d = s[last].value - s[first].value;
            change_rule(o, s[i].qid, &hb, &error);
            double better = hb ? d : -d;
            int col = fabs(d) <= error || d == 0 ? 1 : better > 0 ? 0 : 2;
            table_inc(r, T->change, labels_find(&T->qids, s[i].qid), col);
        }
        i = j;
    }
}

static void count_summary(progreport *r, pr_tables *T, const pr_sum *s, const pr_update *u, int nu)
{
    int lcol = 2 - s->level; /* red, yellow, none */
    int q = labels_find(&T->qids, s->qid);
    table_inc(r, T->month, labels_find(&T->months, s->month), lcol);
    table_inc(r, T->site, labels_find(&T->sites, s->site), lcol);
    table_inc(r, T->qn, q, lcol);
    char rule[PR_LABEL];
    for (int i = 0; i < T->rules.n; i++) {
        size_t ql = strlen(s->qid);
        if (strncmp(T->rules.v[i], s->qid, ql) || T->rules.v[i][ql] != ' ')
            continue;
        its_strlcpy(rule, T->rules.v[i] + ql + 1, sizeof rule);
        char padded[PR_FLAGS + 2], want[PR_LABEL + 2];
        snprintf(padded, sizeof padded, " %s ", s->flags);
        snprintf(want, sizeof want, " %s ", rule);
        table_inc(r, T->flags, i, strstr(padded, want) ? 0 : 1);
    }
    if (s->level > 0)
        table_inc(r, T->referral, 2 - s->level, referral_col(u, nu, s->ref));
}

static int collect_labels(pr_tables *T, const pr_sum *s, int n)
{
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc |= labels_add(&T->months, s[i].month) | labels_add(&T->sites, s[i].site) |
              labels_add(&T->qids, s[i].qid);
        for (const char *p = s[i].flags; *p && rc == 0;) {
            size_t len = strcspn(p, " ");
            char rule[PR_LABEL];
            snprintf(rule, sizeof rule, "%s %.*s", s[i].qid, (int)len, p);
            rc |= labels_add(&T->rules, rule);
            p += len + (p[len] == ' ');
        }
    }
    labels_sort(&T->months);
    labels_sort(&T->sites);
    labels_sort(&T->qids);
    labels_sort(&T->rules);
    return rc;
}

static int make_tables(progreport *r, pr_tables *T)
{
    labels flagged = {0};
    for (int i = 0; i < 2; i++)
        if (labels_add(&flagged, flagged_rows[i]) != 0)
            return -1;
    T->month = table_add(r, "by_month", &T->months, level_cols, 3, "month", "level", "all");
    T->site =
        T->month ? table_add(r, "by_site", &T->sites, level_cols, 3, "site", "level", "all") : NULL;
    T->qn = T->site
                ? table_add(r, "by_questionnaire", &T->qids, level_cols, 3, "qn", "level", "all")
                : NULL;
    T->flags = T->qn ? table_add(r, "flags", &T->rules, fired_cols, 2, NULL, NULL, NULL) : NULL;
    T->number =
        T->flags ? table_add(r, "number", &T->qids, number_cols, 3, "qn", "number", "all") : NULL;
    T->change = T->number ? table_add(r, "change", &T->qids, change_cols, 3, "change", "changecol",
                                      "change_all")
                          : NULL;
    T->referral = T->change ? table_add(r, "referral", &flagged, referral_cols, 4, "level",
                                        "referral", "flagged")
                            : NULL;
    free(flagged.v);
    if (!T->referral)
        return -1;
    /* A rule's row total is its questionnaire's total, the cell "qn|<qid>": fired / assessed. */
    if (!(T->flags->row_total = ints(T->rules.n)))
        return -1;
    for (int i = 0; i < T->rules.n; i++) {
        char key[PR_LABEL * 2];
        snprintf(key, sizeof key, "qn|%.*s", (int)strcspn(T->rules.v[i], " "), T->rules.v[i]);
        if ((T->flags->row_total[i] = cell_get(r, key)) < 0)
            return -1;
    }
    return 0;
}

int progreport_build(const store_programme_item *items, int n, const progreport_opts *o,
                     progreport **out, its_err *err)
{
    *out = NULL;
    progreport *r = calloc(1, sizeof *r);
    pr_sum *s = calloc((size_t)n + 1, sizeof *s);
    pr_update *u = calloc((size_t)n + 1, sizeof *u);
    pr_tables T;
    memset(&T, 0, sizeof T);
    int ns = 0, nu = 0, rc = r && s && u ? 0 : its_fail_code(err, ITS_E_NO_MEMORY,
                                                             "Out of memory for the report.");
    if (rc == 0) {
        r->min_cell = o->min_cell;
        for (int i = 0; i < n; i++) {
            int k = parse_item(&items[i], &s[ns], &u[nu]);
            ns += k == 1;
            nu += k == 2;
            r->n_unreadable += k == 0;
        }
        r->n_summaries = ns;
        qsort(u, (size_t)nu, sizeof *u, cmp_update);
        if (collect_labels(&T, s, ns) != 0 || make_tables(r, &T) != 0)
            rc = its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the report.");
    }
    for (int i = 0; rc == 0 && i < ns; i++)
        count_summary(r, &T, &s[i], u, nu);
    if (rc == 0) {
        count_clients(r, &T, s, ns, o);
        if (T.months.n) {
            its_strlcpy(r->first_month, T.months.v[0], sizeof r->first_month);
            its_strlcpy(r->last_month, T.months.v[T.months.n - 1], sizeof r->last_month);
        }
        rc = totals_sum(r, err) || suppress_all(r, err) ? -1 : 0;
    }
    free(T.months.v);
    free(T.sites.v);
    free(T.qids.v);
    free(T.rules.v);
    if (s) /* pseudonyms */
        its_wipe(s, ((size_t)n + 1) * sizeof *s);
    free(s);
    free(u);
    if (rc != 0) {
        progreport_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

void progreport_free(progreport *r)
{
    if (!r)
        return;
    for (int k = 0; k < r->n_tables; k++) {
        free(r->t[k].rows);
        free(r->t[k].cell);
        free(r->t[k].row_total);
        free(r->t[k].col_total);
    }
    free(r->value);
    free(r->hidden);
    free(r->small);
    free(r->key);
    free(r);
}

int progreport_summaries(const progreport *r)
{
    return r->n_summaries;
}
int progreport_unreadable(const progreport *r)
{
    return r->n_unreadable;
}

const pr_table *pr_table_get(const progreport *r, const char *id)
{
    for (int k = 0; k < r->n_tables; k++)
        if (!strcmp(r->t[k].id, id))
            return &r->t[k];
    return NULL;
}

/* ---- CSV ------------------------------------------------------------------------------------ */

void pr_mark(const progreport *r, bool primary, char *out, size_t n)
{
    if (primary)
        snprintf(out, n, "<%d", r->min_cell);
    else
        its_strlcpy(out, "*", n);
}

void pr_count_text(const progreport *r, int cell, char *out, size_t n)
{
    if (r->hidden[cell])
        pr_mark(r, r->small[cell], out, n);
    else
        snprintf(out, n, "%ld", r->value[cell]);
}

static void csv_line(const progreport *r, FILE *out, const char *table, const char *row,
                     const char *col, int cell, int of)
{
    char count[24], pct[24] = "";
    pr_count_text(r, cell, count, sizeof count);
    if (of >= 0 && of != cell && !r->hidden[cell] && !r->hidden[of] && r->value[of] > 0)
        snprintf(pct, sizeof pct, "%.1f", 100.0 * (double)r->value[cell] / (double)r->value[of]);
    export_csv_field(out, true, table);
    export_csv_field(out, false, row);
    export_csv_field(out, false, col);
    export_csv_field(out, false, count);
    export_csv_field(out, false, pct);
    fputc('\n', out);
}

int progreport_csv(const progreport *r, FILE *out, progreport_word_fn word, its_err *err)
{
    fputs("table,row,column,count,percent\n", out);
    for (int k = 0; k < r->n_tables; k++) {
        const pr_table *t = &r->t[k];
        for (int i = 0; i < t->n_rows; i++) {
            int of = t->row_total ? t->row_total[i] : -1;
            for (int j = 0; j < t->n_cols; j++)
                csv_line(r, out, t->id, t->rows[i], t->cols[j], t->cell[i * t->n_cols + j], of);
            if (of >= 0)
                csv_line(r, out, t->id, t->rows[i], "total", of, -1);
        }
        for (int j = 0; t->col_total && j < t->n_cols; j++)
            csv_line(r, out, t->id, "total", t->cols[j], t->col_total[j], t->grand);
        if (t->grand >= 0)
            csv_line(r, out, t->id, "total", "total", t->grand, -1);
    }
    for (int primary = 1; primary >= 0; primary--) { /* the legend, in the reader's words */
        char mark[24];
        pr_mark(r, primary, mark, sizeof mark);
        export_csv_field(out, true, "legend");
        export_csv_field(out, false, mark);
        export_csv_field(out, false, word(primary ? "pdf_pr_mark_small" : "pdf_pr_mark_guard"));
        fputs(",,\n", out);
    }
    if (ferror(out))
        return its_fail(err, "The report could not be written.");
    return 0;
}
