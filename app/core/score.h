/* score.h — exact scoring of a session: simple sums, WHODAS complex recode with its item-set
 * paths, 0-100 area means, single items; missing-data rules and imputation.
 *
 * A score is either computed (value, with the method, item set and imputed items recorded),
 * not scored (a reason: a code with its arguments, worded by the reader's catalogue; the unanswered
 * items and the no-difficulty bound), or not
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

/* Why a score was not computed. Each code has the catalogue key "wk_why_" + score_why_code()
 * in fi, sv and en, whose {1}..{3} are the reason's arguments (test_words checks it); a code is
 * stored in the result, so codes are only ever added, never renamed. */
typedef enum score_why {
    SCORE_WHY_NONE = 0,
    SCORE_WHY_NOT_ASKED,        /* none of its questions were asked */
    SCORE_WHY_NO_PATH,          /* {1} the items not asked: no scoring path allows that */
    SCORE_WHY_TOO_MANY_MISSING, /* {1} missing answers ({2} their ids), at most {3} allowed */
    SCORE_WHY_DOMAIN_MISSING,   /* the same within one domain */
    SCORE_WHY_TOO_FEW,          /* {1} of {2} answered, at least {3} % needed */
    SCORE_WHY_NO_IMPUTATION,    /* {1} is missing and the score imputes nothing */
    SCORE_WHY_EMPTY_DOMAIN,     /* {1} is missing and nothing in its domain was answered */
    SCORE_WHY_UNANSWERED,       /* the single item {1} was not answered */
    SCORE_WHY_COUNT
} score_why;

#define SCORE_WHY_ARGS 3

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
    score_why why;        /* why not scored (or not applicable), with its arguments in order */
    char why_args[SCORE_WHY_ARGS][120];
    char reason[256];     /* the same in English, for logs and the test vectors */
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

/* The stored name of a reason code ("too_many_missing"), NULL for SCORE_WHY_NONE or out of
 * range; and back (SCORE_WHY_NONE for an unknown name, from a newer program). */
const char *score_why_code(score_why why);
score_why score_why_from_code(const char *code);

#endif
