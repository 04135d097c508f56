/* suppress.h — small-cell suppression for published counts: which cells of a set of tables are
 * hidden ("<5" or "*") so that no count from 1 to min_cell − 1 is published and no hidden count can be
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
 * about a person.
 *
 * Hidden cells are marked "<5" (a count from 1 to min_cell − 1) or "*" (hidden so that a small
 * count cannot be worked out: any value, large or small). The "<5" marks tell a reader those
 * ranges, so a hidden cell also counts as determined when the ranges and the equations pin it
 * (a "<5" part of a "<5" total whose other parts are published or "<5" can be); then a "<5" on
 * that cell's lines becomes "*" (which says nothing), or failing that a partner is hidden. */
#ifndef ITS_SUPPRESS_H
#define ITS_SUPPRESS_H

#include <stdbool.h>
#include "util.h"

#define SUPPRESS_MIN_CELL_FLOOR 3 /* --min-cell below this is refused */

/* One table's layout (the same cells as its equations), for the exact check of what the marks
 * tell within a table: the reader's view of a table is a flow with bounds (source → row: its
 * total, row → column: the cell, column → sink: its total, sink → source: the grand total), so
 * max-flow finds whether a hidden cell could hold another value. */
typedef struct suppress_table {
    int rows, cols;
    const int *cell;      /* rows * cols interior cells, row by row */
    const int *row_total; /* rows entries, or NULL */
    const int *col_total; /* cols entries, or NULL */
    int grand;            /* -1: none */
} suppress_table;

/* Equation k: sum over j in [start[k], start[k+1]) of coef[j] * value[cell[j]] = 0. */
typedef struct suppress_problem {
    int n_cells;
    const long *value;
    int n_eqs;
    const int *start; /* n_eqs + 1 entries */
    const int *cell;
    const signed char *coef; /* +1 for a part, -1 for the total */
    const suppress_table *tables; /* optional (n_tables 0): the tables the equations come from */
    int n_tables;
} suppress_problem;

/* Fills hidden[0..n_cells-1] and small[0..n_cells-1] (the hidden cells marked "<5"; the other
 * hidden ones are "*"). -1 only when out of memory or min_cell < SUPPRESS_MIN_CELL_FLOOR. */
int suppress_run(const suppress_problem *p, int min_cell, bool *hidden, bool *small,
                 its_err *err) ITS_MUST_CHECK;

/* The first hidden cell the published cells and the equations determine, or -1 when none is
 * (or -2 out of memory). */
int suppress_find_determined(const suppress_problem *p, const bool *hidden);

/* As suppress_find_determined, counting also what the "<5" marks (small) tell: as far as bounds
 * narrowed line by line find it, and exactly within each of p's tables. */
int suppress_find_known(const suppress_problem *p, const bool *hidden, const bool *small, int min_cell);

#endif
