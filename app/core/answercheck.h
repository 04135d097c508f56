/* answercheck.h — the questionnaire's answer checks ("checks" in the file): answers that cannot all be
 * true together, such as more days in the past 30 than there are (H2 + H3 > 30) or more days
 * fully unable than days with difficulties (H2 > H1). A check only warns: the client is told
 * gently and may go on, the worker sees which check and the numbers. Which items and limits are
 * checked is the file's business; nothing here names an instrument. */
#ifndef ITS_ANSWERCHECK_H
#define ITS_ANSWERCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

typedef struct answercheck_hit {
    int check; /* index into q->checks */
    int sum;   /* the sum of the check's items */
    int limit; /* at_most, or the sum of its "than" items */
} answercheck_hit;

/* The checks that fail now, in file order, at most max of them; returns how many. A check is
 * judged only when every item it names is shown and has a value. */
int answercheck_run(const qn_session *s, answercheck_hit *out, int max);

/* Does check `check` name item `item` (on either side)? */
bool answercheck_names_item(const qn *q, int check, int item);

/* The worker's words for a failed check, in language `lang`:
 * "Enemmän päiviä kuin kuukaudessa: H2 + H3 = 35 > 30", "…: H2 = 20 > H1 = 10". */
void answercheck_words(const qn *q, const answercheck_hit *h, int lang, char *out, size_t n);

#endif
