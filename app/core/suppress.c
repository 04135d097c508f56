/* suppress.c — see suppress.h. */
#include "suppress.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9
#define BIG (LONG_MAX / 4) /* "no upper bound": sums of a few of these do not overflow */

/* Reduces m (rows × cols, row-major) to reduced row echelon form; returns its rank. The entries
 * start as 0 and ±1 and the tables are small, so doubles with partial pivoting are exact enough
 * (the property test checks the answers with exact arithmetic modulo a prime). */
static int rref(double *m, int rows, int cols)
{
    int r = 0;
    for (int c = 0; c < cols && r < rows; c++) {
        int best = r;
        for (int i = r + 1; i < rows; i++)
            if (fabs(m[i * cols + c]) > fabs(m[best * cols + c]))
                best = i;
        if (fabs(m[best * cols + c]) < EPS)
            continue;
        for (int j = 0; j < cols && best != r; j++) {
            double t = m[r * cols + j];
            m[r * cols + j] = m[best * cols + j];
            m[best * cols + j] = t;
        }
        double piv = m[r * cols + c];
        for (int j = 0; j < cols; j++)
            m[r * cols + j] /= piv;
        for (int i = 0; i < rows; i++) {
            double f = m[i * cols + c];
            if (i == r || fabs(f) < EPS)
                continue;
            for (int j = 0; j < cols; j++)
                m[i * cols + j] -= f * m[r * cols + j];
        }
        r++;
    }
    return r;
}

/* Marks in det[] every hidden cell the equations determine; returns how many, -2 out of memory. */
static int determined(const suppress_problem *p, const bool *hidden, bool *det)
{
    if (p->n_cells <= 0)
        return 0;
    int *col = malloc((size_t)(p->n_cells + 1) * sizeof *col), n = 0;
    if (!col)
        return -2;
    for (int c = 0; c < p->n_cells; c++)
        col[c] = hidden[c] ? n++ : -1;
    int found = 0;
    memset(det, 0, (size_t)p->n_cells * sizeof *det);
    double *m = n ? calloc((size_t)(p->n_eqs + 1) * (size_t)n, sizeof *m) : NULL;
    if (n && !m)
        found = -2;
    for (int k = 0; m && k < p->n_eqs; k++)
        for (int j = p->start[k]; j < p->start[k + 1]; j++)
            if (col[p->cell[j]] >= 0)
                m[k * n + col[p->cell[j]]] += p->coef[j];
    int rank = m ? rref(m, p->n_eqs, n) : 0;
    /* A row of the reduced form with a single non-zero entry pins that hidden cell. */
    for (int r = 0; r < rank && found >= 0; r++) {
        int nz = 0, at = -1;
        for (int j = 0; j < n; j++)
            if (fabs(m[r * n + j]) > EPS) {
                nz++;
                at = j;
            }
        for (int c = 0; nz == 1 && c < p->n_cells; c++)
            if (col[c] == at) {
                det[c] = true;
                found++;
            }
    }
    free(m);
    free(col);
    return found;
}

int suppress_find_determined(const suppress_problem *p, const bool *hidden)
{
    bool *det = malloc((size_t)(p->n_cells + 1) * sizeof *det);
    int n = det ? determined(p, hidden, det) : -2, first = n > 0 ? 0 : n == 0 ? -1 : -2;
    while (n > 0 && !det[first])
        first++;
    free(det);
    return first;
}

/* The published cell to hide next: the smallest that shares an equation with a determined cell
 * (ties: the first); when none does, the smallest published cell of any equation. -1: none. */
static int partner(const suppress_problem *p, const bool *hidden, const bool *det)
{
    int best = -1;
    for (int pass = 0; pass < 2 && best < 0; pass++)
        for (int k = 0; k < p->n_eqs; k++) {
            bool in = pass == 1;
            for (int j = p->start[k]; j < p->start[k + 1]; j++)
                in |= det[p->cell[j]];
            for (int j = p->start[k]; in && j < p->start[k + 1]; j++) {
                int c = p->cell[j];
                if (!hidden[c] && (best < 0 || p->value[c] < p->value[best]))
                    best = c;
            }
        }
    return best;
}

/* An equation whose total is published and whose hidden parts add up to 1 .. min_cell − 1 tells
 * that each of them is that small: the smallest published part of the first such equation, or
 * -1 when there is none. */
static int thin_line(const suppress_problem *p, const bool *hidden, int min_cell)
{
    for (int k = 0; k < p->n_eqs; k++) {
        long sum = 0;
        bool total_shown = false;
        int best = -1;
        for (int j = p->start[k]; j < p->start[k + 1]; j++) {
            int c = p->cell[j];
            if (p->coef[j] < 0)
                total_shown = !hidden[c];
            else if (hidden[c])
                sum += p->value[c];
            else if ((best < 0 || p->value[c] < p->value[best]))
                best = c;
        }
        if (total_shown && sum > 0 && sum < min_cell && best >= 0)
            return best;
    }
    return -1;
}

/* ---- what the marks tell a reader --------------------------------------------------------------
 * A reader knows every published value, that a "<5" cell holds 1 .. min_cell − 1, and nothing of
 * a "*" cell but that it is not negative. Bounds are narrowed equation by equation (a part lies
 * between the total's bounds less the other parts' bounds; a total between the sums of its
 * parts' bounds) until nothing changes; a hidden cell whose bounds meet is known. Every
 * narrowing is sound, so a cell found known is known, but a line at a time misses what only
 * several lines together tell: within a table, the max-flow check below finds that exactly
 * (test_progreport checks it with a max-flow of its own). */

typedef struct bounds {
    long *lo, *hi;
    const bool *hidden;
} bounds;

/* Narrows cell c to [lo, hi]; true when it changed. */
static bool narrow(bounds *b, int c, long lo, long hi)
{
    lo = lo > b->lo[c] ? lo : b->lo[c];
    hi = hi < b->hi[c] ? hi : b->hi[c];
    if (lo > hi) /* cannot happen with true values; keep the old bounds */
        return false;
    bool changed = lo != b->lo[c] || hi != b->hi[c];
    b->lo[c] = lo;
    b->hi[c] = hi;
    return changed;
}

/* The bounds of coef * x for one term; *_inf when that side is unbounded. */
static void term_span(const bounds *b, int c, int coef, long *lo, long *hi, bool *lo_inf, bool *hi_inf)
{
    bool open = b->hi[c] >= BIG;
    *lo = coef > 0 ? b->lo[c] : open ? 0 : -b->hi[c];
    *hi = coef > 0 ? (open ? 0 : b->hi[c]) : -b->lo[c];
    *lo_inf = coef < 0 && open;
    *hi_inf = coef > 0 && open;
}

/* One pass over equation k (sum of coef * x = 0); true when some bound changed. Each hidden
 * term is bounded by the others: coef * x = −(the sum of the others). */
static bool narrow_equation(bounds *b, const suppress_problem *p, int k)
{
    long lo_sum = 0, hi_sum = 0, lo, hi;
    int lo_open = 0, hi_open = 0;
    bool li, hin;
    for (int j = p->start[k]; j < p->start[k + 1]; j++) {
        term_span(b, p->cell[j], p->coef[j], &lo, &hi, &li, &hin);
        lo_sum += lo;
        hi_sum += hi;
        lo_open += li;
        hi_open += hin;
    }
    bool changed = false;
    for (int j = p->start[k]; j < p->start[k + 1]; j++) {
        int c = p->cell[j];
        if (!b->hidden[c])
            continue;
        term_span(b, c, p->coef[j], &lo, &hi, &li, &hin);
        bool others_lo_open = lo_open - li > 0, others_hi_open = hi_open - hin > 0;
        long others_lo = lo_sum - lo, others_hi = hi_sum - hi;
        if (p->coef[j] > 0) /* x = −others */
            changed |= narrow(b, c, others_hi_open ? 0 : -others_hi, others_lo_open ? BIG : -others_lo);
        else /* x = others */
            changed |= narrow(b, c, others_lo_open ? 0 : others_lo, others_hi_open ? BIG : others_hi);
    }
    return changed;
}

/* The first hidden cell the marks and the equations pin to one value, -1 when none, -2 out of
 * memory. */
static int pinned_by_marks(const suppress_problem *p, const bool *hidden, const bool *small,
                           int min_cell)
{
    bounds b = {malloc((size_t)(p->n_cells + 1) * sizeof *b.lo),
                malloc((size_t)(p->n_cells + 1) * sizeof *b.hi), hidden};
    int found = b.lo && b.hi ? -1 : -2;
    for (int c = 0; found == -1 && c < p->n_cells; c++) {
        b.lo[c] = !hidden[c] ? p->value[c] : small[c] ? 1 : 0;
        b.hi[c] = !hidden[c] ? p->value[c] : small[c] ? min_cell - 1 : BIG;
    }
    bool changed = found == -1;
    for (int round = 0; changed && round < 64; round++) {
        changed = false;
        for (int k = 0; k < p->n_eqs; k++)
            changed |= narrow_equation(&b, p, k);
    }
    for (int c = 0; found == -1 && c < p->n_cells; c++)
        if (hidden[c] && b.lo[c] == b.hi[c])
            found = c;
    free(b.lo);
    free(b.hi);
    return found;
}

/* ---- within one table, exactly: a flow with bounds ------------------------------------------ */

typedef struct flownet {
    int n;      /* nodes: source 0, rows, columns, sink, then S and T of the reduction */
    long *cap;  /* n × n */
    long *excess;
} flownet;

/* The node pair of cell k of table tb (interior, row total, column total or grand). */
static void cell_edge(const suppress_table *tb, int k, int *u, int *w)
{
    int sink = tb->rows + tb->cols + 1, cells = tb->rows * tb->cols;
    if (k < cells) {
        *u = 1 + k / tb->cols;
        *w = 1 + tb->rows + k % tb->cols;
    } else if (k < cells + tb->rows) {
        *u = 0;
        *w = 1 + (k - cells);
    } else if (k < cells + tb->rows + tb->cols) {
        *u = 1 + tb->rows + (k - cells - tb->rows);
        *w = sink;
    } else {
        *u = sink;
        *w = 0;
    }
}

/* The cell behind slot k of table tb, or -1 (a margin the table does not have). */
static int table_cell(const suppress_table *tb, int k)
{
    int cells = tb->rows * tb->cols;
    if (k < cells)
        return tb->cell[k];
    if (k < cells + tb->rows)
        return tb->row_total ? tb->row_total[k - cells] : -1;
    if (k < cells + tb->rows + tb->cols)
        return tb->col_total ? tb->col_total[k - cells - tb->rows] : -1;
    return tb->grand;
}

static void add_edge(flownet *f, int u, int w, long lo, long hi)
{
    f->cap[u * f->n + w] += hi - lo; /* the lower bound becomes a demand */
    f->excess[w] += lo;
    f->excess[u] -= lo;
}

/* Augmenting paths by breadth-first search; the flow pushed from s to t. */
static long max_flow(flownet *f, int s, int t, int *prev, int *queue)
{
    long flow = 0;
    for (;;) {
        int head = 0, tail = 0, n = f->n;
        for (int i = 0; i < n; i++)
            prev[i] = -1;
        prev[s] = s;
        queue[tail++] = s;
        while (head < tail && prev[t] < 0)
            for (int u = queue[head++], w = 0; w < n; w++)
                if (prev[w] < 0 && f->cap[u * n + w] > 0) {
                    prev[w] = u;
                    queue[tail++] = w;
                }
        if (prev[t] < 0)
            return flow;
        long push = BIG;
        for (int w = t; w != s; w = prev[w])
            push = f->cap[prev[w] * n + w] < push ? f->cap[prev[w] * n + w] : push;
        for (int w = t; w != s; w = prev[w]) {
            f->cap[prev[w] * n + w] -= push;
            f->cap[w * n + prev[w]] += push;
        }
        flow += push;
    }
}

/* Could table tb hold a value in [tlo, thi] at slot `target`, all else as the reader sees it? */
static bool table_allows(const suppress_problem *p, const suppress_table *tb, const bool *hidden,
                         const bool *small, int min_cell, int target, long tlo, long thi,
                         flownet *f, int *prev, int *queue)
{
    int sink = tb->rows + tb->cols + 1, S = sink + 1, T = sink + 2;
    f->n = sink + 3;
    memset(f->cap, 0, (size_t)f->n * (size_t)f->n * sizeof *f->cap);
    memset(f->excess, 0, (size_t)f->n * sizeof *f->excess);
    for (int k = 0; k < tb->rows * tb->cols + tb->rows + tb->cols + 1; k++) {
        int c = table_cell(tb, k), u, w;
        long lo = c < 0 ? 0 : !hidden[c] ? p->value[c] : small[c] ? 1 : 0;
        long hi = c < 0 ? BIG : !hidden[c] ? p->value[c] : small[c] ? min_cell - 1 : BIG;
        if (k == target) {
            lo = tlo > lo ? tlo : lo;
            hi = thi < hi ? thi : hi;
        }
        if (lo > hi)
            return false;
        cell_edge(tb, k, &u, &w);
        add_edge(f, u, w, lo, hi);
    }
    long need = 0;
    for (int i = 0; i <= sink; i++) {
        if (f->excess[i] > 0)
            need += f->excess[i];
        f->cap[(f->excess[i] > 0 ? S : i) * f->n + (f->excess[i] > 0 ? i : T)] +=
            f->excess[i] > 0 ? f->excess[i] : -f->excess[i];
    }
    return max_flow(f, S, T, prev, queue) == need;
}

/* The first hidden cell of a table that the table and its marks pin to one value; -1 none, -2
 * out of memory. */
static int known_in_tables(const suppress_problem *p, const bool *hidden, const bool *small,
                           int min_cell)
{
    int most = 0, found = -1; /* nodes of the largest table's net */
    for (int i = 0; i < p->n_tables; i++) {
        int nodes = p->tables[i].rows + p->tables[i].cols + 4;
        most = nodes > most ? nodes : most;
    }
    flownet f = {0, calloc((size_t)most * (size_t)most + 1, sizeof *f.cap),
                 calloc((size_t)most + 1, sizeof *f.excess)};
    int *prev = malloc((size_t)(most + 1) * sizeof *prev);
    int *queue = malloc((size_t)(most + 1) * sizeof *queue);
    if (!f.cap || !f.excess || !prev || !queue)
        found = -2;
    for (int i = 0; found == -1 && i < p->n_tables; i++) {
        const suppress_table *tb = &p->tables[i];
        for (int k = 0; found == -1 && k < tb->rows * tb->cols + tb->rows + tb->cols + 1; k++) {
            int c = table_cell(tb, k);
            if (c < 0 || !hidden[c])
                continue;
            long v = p->value[c];
            if (!table_allows(p, tb, hidden, small, min_cell, k, -BIG, v - 1, &f, prev, queue) &&
                !table_allows(p, tb, hidden, small, min_cell, k, v + 1, BIG, &f, prev, queue))
                found = c;
        }
    }
    free(f.cap);
    free(f.excess);
    free(prev);
    free(queue);
    return found;
}

/* A hidden cell the marks pin: by bounds over every equation, else exactly within a table. */
static int known_by_marks(const suppress_problem *p, const bool *hidden, const bool *small,
                          int min_cell)
{
    int c = pinned_by_marks(p, hidden, small, min_cell);
    return c != -1 ? c : known_in_tables(p, hidden, small, min_cell);
}

int suppress_find_known(const suppress_problem *p, const bool *hidden, const bool *small,
                        int min_cell)
{
    int c = suppress_find_determined(p, hidden);
    return c != -1 ? c : known_by_marks(p, hidden, small, min_cell);
}

/* The "<5" mark to take back when cell c is known: its own, else the first of a line through
 * it; -1 when no line through c has one. */
static int small_near(const suppress_problem *p, const bool *small, int c)
{
    if (small[c])
        return c;
    for (int k = 0; k < p->n_eqs; k++) {
        bool through = false;
        for (int j = p->start[k]; j < p->start[k + 1]; j++)
            through |= p->cell[j] == c;
        for (int j = p->start[k]; through && j < p->start[k + 1]; j++)
            if (small[p->cell[j]])
                return p->cell[j];
    }
    return -1;
}

/* A hidden cell the equations (or with them the "<5" marks) pin: marks det[] and returns how
 * many (1 for a mark, whose "<5" is taken back first: *retracted), -2 out of memory. */
static int next_known(const suppress_problem *p, const bool *hidden, bool *small, int min_cell,
                      bool *det, bool *retracted)
{
    *retracted = false;
    int n = determined(p, hidden, det);
    if (n != 0)
        return n;
    int c = known_by_marks(p, hidden, small, min_cell);
    if (c < 0)
        return c == -1 ? 0 : -2;
    int s = small_near(p, small, c);
    if (s >= 0) { /* "*" says less than "<5": the cheaper cure */
        small[s] = false;
        *retracted = true;
        return 1;
    }
    memset(det, 0, (size_t)p->n_cells * sizeof *det);
    det[c] = true;
    return 1;
}

int suppress_run(const suppress_problem *p, int min_cell, bool *hidden, bool *small, its_err *err)
{
    if (min_cell < SUPPRESS_MIN_CELL_FLOOR)
        return its_fail(err, "The smallest published count must be at least %d.",
                        SUPPRESS_MIN_CELL_FLOOR);
    for (int c = 0; c < p->n_cells; c++)
        small[c] = hidden[c] = p->value[c] > 0 && p->value[c] < min_cell;
    bool *det = malloc((size_t)(p->n_cells + 1) * sizeof *det), retracted;
    int rc = det ? 0 : its_fail_code(err, ITS_E_NO_MEMORY,
                                     "Out of memory while checking the suppressed counts.");
    for (int n; rc == 0;) {
        int q = thin_line(p, hidden, min_cell);
        if (q >= 0) {
            hidden[q] = true;
            continue;
        }
        if ((n = next_known(p, hidden, small, min_cell, det, &retracted)) == 0)
            break;
        if (retracted)
            continue;
        q = n > 0 ? partner(p, hidden, det) : -1;
        if (n < 0)
            rc = its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory while checking the suppressed counts.");
        else if (q < 0) /* every cell is hidden and the equations still pin one: only zeros can be */
            break;
        else
            hidden[q] = true;
    }
    free(det);
    return rc;
}
