/* progreport.h — the programme's anonymous report (`itsearvio report`): counts of the sealed
 * programme summaries by month, site, questionnaire and level; flag rates per rule; the
 * assessment's number for the client; change between a client's first and latest assessment
 * (better / same / worse by the instrument's change rule); referral follow-through.
 *
 * Owns the tables and their small-cell suppression (app/core/suppress.h: every table's rows and
 * columns sum to totals, totals shared by tables are one cell), and the two outputs: CSV (one
 * line per cell, a column named `count`) and a one-page PDF with charts (cairo). Summaries are
 * opened by the store with the programme key (store_programme_read); nothing here sees a client
 * code, only keyed pseudonyms, and no pseudonym is written out.
 *
 * Nothing here prints or exits; errors are 0/-1 plus one plain sentence in its_err. */
#ifndef ITS_PROGREPORT_H
#define ITS_PROGREPORT_H

#include <stdio.h>
#include "qn.h"
#include "store.h"
#include "util.h"

#define PROGREPORT_MIN_CELL 5 /* the default smallest published count */

typedef struct progreport progreport;

/* The instrument's change rule of questionnaire qid: the headline (first) score's direction
 * and its change_error. Looked up in qns (may be empty: then any difference counts). */
typedef struct progreport_opts {
    const qn *const *qns;
    int n_qns;
    int min_cell; /* >= SUPPRESS_MIN_CELL_FLOOR (3) */
} progreport_opts;

/* Builds the report from opened programme items (summaries and referral updates). Items that
 * did not open, or are not summaries of the expected shape, are counted in unreadable. */
int progreport_build(const store_programme_item *items, int n, const progreport_opts *o,
                     progreport **out, its_err *err) ITS_MUST_CHECK;
void progreport_free(progreport *r);

int progreport_summaries(const progreport *r);  /* summaries counted */
int progreport_unreadable(const progreport *r); /* items left out */

/* Words for the CSV's legend and the PDF: key -> text in the reader's language (the caller's
 * locale). */
typedef const char *(*progreport_word_fn)(const char *key);

/* CSV: table,row,column,count,percent — a count hidden as too small is "<N" (N the smallest
 * published count), one hidden only to protect another is "*"; two closing lines of table
 * "legend" say so in the reader's words (row: the mark, column: its meaning). */
int progreport_csv(const progreport *r, FILE *out, progreport_word_fn word, its_err *err) ITS_MUST_CHECK;
/* One A4 page with charts, drawn with the fonts in data_dir/assets/fonts. */
int progreport_pdf(const progreport *r, FILE *out, const char *data_dir, progreport_word_fn word,
                   its_err *err) ITS_MUST_CHECK;
/* The same page as a PNG (scale pixels per point), to look at and for tests. */
int progreport_png(const progreport *r, const char *path, double scale, const char *data_dir,
                   progreport_word_fn word, its_err *err) ITS_MUST_CHECK;

#endif
