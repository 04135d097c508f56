/* suppress.h — small-cell suppression for published counts: which cells of a set of tables are
 * written "<5" so that no count from 1 to min_cell − 1 is published and no hidden count can be
 * worked out from the published ones.
 *
 * Owns the problem only: cells (counts) and the linear equations that tie them together (each
 * table's rows and columns summing to their totals; a total shared by two tables is one cell, so
 * what one table hides another cannot give away). Nothing here knows what a cell means.
 *
 * The method: primary suppression hides every cell from 1 to min_cell − 1; then, as long as some
 * hidden cell is determined by the equations (its unit vector lies in the row space of the
 * equations restricted to the hidden cells: one row of their reduced row echelon form is that
 * unit vector), the smallest published cell that shares an equation with it is hidden as well
 * (secondary suppression). Also, where a total is published, the hidden parts of its line must
 * add up to 0 or at least min_cell (else each of them is known to be that small): the smallest
 * published part of such a line is hidden too. Zero cells are published: a zero tells nothing
 * about a person. Every hidden cell is written the same way ("<5"), so a reader cannot tell a
 * small count from one hidden to protect it. */
#ifndef ITS_SUPPRESS_H
#define ITS_SUPPRESS_H

#include <stdbool.h>
#include "util.h"

#define SUPPRESS_MIN_CELL_FLOOR 3 /* --min-cell below this is refused */

/* Equation k: sum over j in [start[k], start[k+1]) of coef[j] * value[cell[j]] = 0. */
typedef struct suppress_problem {
    int n_cells;
    const long *value;
    int n_eqs;
    const int *start; /* n_eqs + 1 entries */
    const int *cell;
    const signed char *coef; /* +1 for a part, -1 for the total */
} suppress_problem;

/* Fills hidden[0..n_cells-1]. -1 only when out of memory or min_cell < SUPPRESS_MIN_CELL_FLOOR. */
int suppress_run(const suppress_problem *p, int min_cell, bool *hidden,
                 its_err *err) ITS_MUST_CHECK;

/* The first hidden cell the published cells and the equations determine, or -1 when none is
 * (or -2 out of memory). */
int suppress_find_determined(const suppress_problem *p, const bool *hidden);

#endif
