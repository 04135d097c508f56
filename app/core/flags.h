/* flags.h — evaluates a questionnaire's red/yellow flag rules on computed scores and answers.
 *
 * A flag is a prompt for the worker, never a decision. Every fired flag keeps its rule id, level
 * and its evidence as data (item and answer, score and threshold, change since last time with
 * the previous date, the unanswered questions; evidence.h), worded in the chosen language.
 * The comparison with the previous result of the same client takes that result's scores (and
 * date) as input; nothing here looks anything up. */
#ifndef ITS_FLAGS_H
#define ITS_FLAGS_H

#include "score.h"

typedef struct flag_fired {
    int rule;            /* index into q->rules */
    qn_level level;
    void *evidence;      /* json_t* array, owned: the evidence as data, worded when shown (evidence.h) */
} flag_fired;

/* Scores of an earlier assessment of the same client, by score id. */
typedef struct flag_previous {
    const char *score_id;
    double value;
    double percent;      /* SUM scores: the percent form; otherwise equal to value */
    const char *date;    /* when it was completed, "2025-01-10…"; may be NULL */
} flag_previous;

typedef struct flag_result {
    flag_fired *fired;
    int n_fired;
    qn_level level;      /* highest fired level */
} flag_result;

/* Evaluates every rule. `prev` may be NULL (no earlier assessment). Returns -1 only when out of
 * memory. */
int flags_evaluate(const qn_session *s, const score_value *scores,
                   const flag_previous *prev, int n_prev, flag_result *out, its_err *err);

void flags_free(flag_result *r);

/* Does any "change" term of q's rules hold for these scores against prev? When none does, the
 * rules give the same flags as with no previous assessment at all: a caller holding flags
 * evaluated without one (the kiosk's) need not evaluate them again. */
bool flags_change_fires(const qn *q, const score_value *scores, const flag_previous *prev, int n_prev);

/* Does a condition hold for these answers and scores, with no previous assessment? Out of
 * memory counts as "no". */
bool flags_condition_holds(const qn_session *s, const score_value *scores, const qn_expr *e);

/* Should the thank-you screen show the questionnaire's crisis-help text ("crisis_help": very low
 * mood answers)? A score not computed takes part with its bound, as in the flag rules, so a
 * refusal cannot hide very low answers already given. */
bool flags_crisis_help(const qn_session *s, const score_value *scores);

const char *flags_level_name(qn_level level); /* "red", "yellow", "none" */

#endif
