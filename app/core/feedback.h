/* feedback.h — what the client sees about their own answers on the thank-you screen: their
 * areas ordered strengths first, on a common "goes well" scale, with no judgement in it, and
 * when there is no strength, one honest sentence on how hard things are.
 *
 * The client never sees flags or the words red and yellow (the worker does). Every instrument
 * gets the same treatment: its per-domain scores become areas with a 0-100 "goes well" value
 * (WHODAS difficulty scores are turned round: 100 - value), sorted best first, so the screen can
 * name strengths first and draw a simple picture in one neutral colour. */
#ifndef ITS_FEEDBACK_H
#define ITS_FEEDBACK_H

#include "score.h"

#define FEEDBACK_MAX_AREAS 16

typedef struct feedback_area {
    int score;        /* index into q->scores */
    int domain;       /* index into q->domains */
    double goes_well; /* 0-100, 100 = goes well */
} feedback_area;

/* How hard things are, in the client's own answers (the rule is in feedback.c). */
typedef enum feedback_hard {
    FEEDBACK_HARD_NONE = 0, /* no answer above the scale's best end */
    FEEDBACK_HARD_LITTLE,   /* only mild answers ("Vähän vaikeuksia"), no area and no red flag
                             * says more */
    FEEDBACK_HARD_SOME,     /* some answers or areas at "fairly hard" or worse, or a red flag */
    FEEDBACK_HARD_MANY      /* at least half of the area answers at "fairly hard" or worse */
} feedback_hard;

typedef struct feedback {
    feedback_area areas[FEEDBACK_MAX_AREAS]; /* computed areas, best first */
    int n_areas;
    int n_strengths;  /* the first n_strengths areas are named as strengths: goes_well > 75,
                       * that is difficulty below 25 % ("sujuvat parhaiten") */
    int n_not_computed; /* areas without enough answers: not shown, not guessed */
    feedback_hard hard; /* the sentence shown when no strength is named */
} feedback;

/* Builds the feedback from computed scores: one area per score that covers a single domain and
 * was computed; ties keep the file's order. At most three strengths are named. The flag rules
 * are evaluated (without a previous assessment) only so that `hard` never says "a little" when
 * a red flag fires. */
void feedback_build(const qn_session *s, const score_value *scores, feedback *out);

/* The locale key of the sentence for `hard` ("thanks_hard_little" ...); NULL for NONE. */
const char *feedback_hard_key(feedback_hard hard);

#endif
