/* suppress.c — see suppress.h. */
#include "suppress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9

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
            else if (best < 0 || p->value[c] < p->value[best])
                best = c;
        }
        if (total_shown && sum > 0 && sum < min_cell && best >= 0)
            return best;
    }
    return -1;
}

int suppress_run(const suppress_problem *p, int min_cell, bool *hidden, its_err *err)
{
    if (min_cell < SUPPRESS_MIN_CELL_FLOOR)
        return its_fail(err, "The smallest published count must be at least %d.",
                        SUPPRESS_MIN_CELL_FLOOR);
    for (int c = 0; c < p->n_cells; c++)
        hidden[c] = p->value[c] > 0 && p->value[c] < min_cell;
    bool *det = malloc((size_t)(p->n_cells + 1) * sizeof *det);
    int rc = det ? 0 : its_fail_code(err, ITS_E_NO_MEMORY,
                                     "Out of memory while checking the suppressed counts.");
    for (int n; rc == 0;) {
        int q = thin_line(p, hidden, min_cell);
        if (q >= 0) {
            hidden[q] = true;
            continue;
        }
        if ((n = determined(p, hidden, det)) == 0)
            break;
        q = n > 0 ? partner(p, hidden, det) : -1;
        if (n < 0)
            rc = its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory while checking the suppressed counts.");
        else if (q <
                 0) /* every cell is hidden and the equations still pin one: only zeros can be */
            break;
        else
            hidden[q] = true;
    }
    free(det);
    return rc;
}
