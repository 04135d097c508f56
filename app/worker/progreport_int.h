/* progreport_int.h — what progreport.c (tables, suppression, CSV) and progreport_pdf.c (the
 * page) share: the report's tables of cells. Not for other modules. */
#ifndef ITS_PROGREPORT_INT_H
#define ITS_PROGREPORT_INT_H

#include <stdbool.h>
#include "progreport.h"

#define PR_MAX_TABLES 8
#define PR_LABEL 96

/* One published table: interior cells, optional row totals, column totals and grand total, each
 * an index into the report's cells (a total shared by two tables is the same cell). */
typedef struct pr_table {
    const char *id; /* "by_month", "by_site", … (CSV and locale key "pdf_pr_t_<id>") */
    int n_rows, n_cols;
    char (*rows)[PR_LABEL];  /* row labels */
    const char *const *cols; /* column ids (locale key "pdf_pr_c_<id>") */
    int *cell;               /* n_rows * n_cols */
    int *row_total;          /* n_rows, or NULL */
    int *col_total;          /* n_cols, or NULL */
    int grand;               /* -1: none */
} pr_table;

struct progreport {
    pr_table t[PR_MAX_TABLES];
    int n_tables;
    long *value; /* per cell */
    bool *hidden;
    bool *small; /* of the hidden cells, those marked "<N" (the others "*"; suppress.h) */
    int n_cells, cap_cells;
    char (*key)[PR_LABEL * 2]; /* shared totals: their key ("level|red"); "" for interior cells */
    int min_cell;
    int n_summaries, n_unreadable;
    char first_month[8], last_month[8];
};

/* The table with id, or NULL. */
const pr_table *pr_table_get(const progreport *r, const char *id);

/* A cell's count as published: its value, "<N" when hidden as too small (N = min_cell), "*"
 * when hidden so that no small count can be worked out (any value; suppress.h). */
void pr_count_text(const progreport *r, int cell, char *out, size_t n);

/* The mark of a hidden cell: "<N" or "*" (no number: a published cell has none). */
void pr_mark(const progreport *r, bool primary, char *out, size_t n);

#endif
