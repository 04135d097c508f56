/* session.h — one client's answers to one questionnaire, and where they are in it.
 *
 * The session applies skip logic live: an item whose show-if condition does not hold is "not
 * applicable" and navigation passes over it. It knows nothing of screens or storage; the UI moves
 * through it and the store saves snapshots of it (drafts).
 *
 * The screens that move through a session are the kiosk's state machine, app/core/flow.h.
 *
 * A session is wiped (session_wipe) when it is submitted, abandoned or times out; after that it
 * holds no answer and cannot be resumed. */
#ifndef ITS_SESSION_H
#define ITS_SESSION_H

#include <stdbool.h>
#include "qn.h"

typedef enum qn_answer_state {
    QN_ANS_NONE = 0, /* not answered yet (missing) */
    QN_ANS_VALUE,    /* value holds the answer; for multi scales a bitmask of option indices */
    QN_ANS_REFUSED,  /* "en halua vastata": counts as missing in scoring */
    QN_ANS_NA        /* not applicable: skipped by a show-if, or answered "not applicable" */
} qn_answer_state;

typedef struct qn_answer {
    qn_answer_state state;
    int value;
} qn_answer;

typedef struct qn_session {
    const qn *q;
    qn_answer *answers; /* q->n_items entries */
    int pos;            /* current item index; q->n_items means "past the last question" */
} qn_session;

int session_init(qn_session *s, const qn *q, its_err *err);

/* Records an answer for item `item` (checked against its scale; -1 with a message if invalid). */
int session_set(qn_session *s, int item, qn_answer a, its_err *err);

/* Is the item asked, given the answers so far? */
bool session_is_shown(const qn_session *s, int item);

/* The answer as scoring sees it: NA when the item is not shown, whatever was stored. */
qn_answer session_effective(const qn_session *s, int item);

/* Index of the next / previous shown item from `from` (exclusive); n_items / -1 when none. */
int session_next(const qn_session *s, int from);
int session_prev(const qn_session *s, int from);

/* "Kysymys 3 / 12": 1-based position among shown items, and how many are shown now. */
void session_progress(const qn_session *s, int item, int *number, int *total);

/* Forgets every answer (zeroed in memory) and frees the storage. */
void session_wipe(qn_session *s);

/* Parses the vectors' notation: values of the *scored* items in file order separated by spaces;
 * "x" missing, "na" not applicable, "r" refused. `works` is -1 (derive from the work items: works
 * when any of them is not "na"), 0 or 1 and sets every unscored yes/no gate item that scored
 * items depend on. Answers on items the status hides are refused, naming them. */
int session_from_notation(qn_session *s, const char *notation, int works, its_err *err);

/* Parses an answers object {"D1.1": 2, "D1.2": "x", "D5.5": "na", "CHANGE": [0, 2]} as stored:
 * drafts and records are read back as they were saved. */
int session_from_json(qn_session *s, const void *json_answers_object, its_err *err);

/* An answers file's "answers" object (docs/answers-format.md): session_from_json, then the work
 * rule the notation follows too — the status is WORK when it has a value, otherwise derived from
 * the work items; answers on items the status hides are refused, naming them. */
int session_from_answers(qn_session *s, const void *json_answers_object, its_err *err);

/* Answers as a JSON object (jansson json_t*, new reference), the inverse of session_from_json. */
void *session_to_json(const qn_session *s);

#endif
