/* score.h — exact scoring of a session: simple sums, WHODAS complex recode with its item-set
 * paths, 0-100 area means, single items; missing-data rules and imputation.
 *
 * A score is either computed (value, with the method, item set and imputed items recorded),
 * not scored (a reason in words, the unanswered items and the no-difficulty bound), or not
 * applicable (all its items were skipped). A score whose own items are all answered is always
 * computed, whatever the missing answers elsewhere. Sums are kept
 * as exact integers when nothing is imputed; values are rounded only for display. */
#ifndef ITS_SCORE_H
#define ITS_SCORE_H

#include "session.h"

typedef enum score_status {
    SCORE_OK = 0,
    SCORE_NOT_SCORED,   /* too many missing answers, or an item set no path allows */
    SCORE_NOT_APPLICABLE
} score_status;

#define SCORE_MAX_IMPUTED 16

typedef struct score_value {
    int score;            /* index into q->scores */
    score_status status;
    double value;         /* the reported score (0-100 for RECODE/MEAN100, sum for SUM) */
    double sum;           /* raw or recoded sum incl. imputed values (SUM/RECODE) */
    double percent;       /* SUM: sum * 100 / divisor */
    int divisor;
    const char *item_set; /* "36", "32", or the score's own name */
    int imputed[SCORE_MAX_IMPUTED];
    int n_imputed;
    int n_answered, n_applicable;
    char reason[256];     /* why not scored, in English for logs; see score_reason_text */
    /* Not scored for missing answers: the value with every missing answer counted as "no
     * difficulty" (the best answer for the score's direction). Rules use it, so refusing can
     * never make a client look healthier than the answers given (docs/flag-defaults.md). */
    bool has_bound;
    double bound, bound_percent;
    int missing[SCORE_MAX_IMPUTED]; /* the unanswered applicable items (first ones) */
    int n_missing;
} score_value;

/* Computes every score of s->q into out (q->n_scores entries). Never fails: a score that cannot
 * be computed gets SCORE_NOT_SCORED with a reason. */
void score_all(const qn_session *s, score_value *out);

#endif
