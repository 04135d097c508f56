/* worker_due.h — reassessment due dates: which clients should answer a questionnaire again.
 *
 * Owns the due rule. A questionnaire with "reassess_days" (docs/questionnaire-format.md) makes
 * each client's latest assessment with it due on (its local calendar day + reassess_days):
 *   due soon  from `window_days` before the due day to the day before it,
 *   due       from the due day to the last day of grace (due day + grace_days),
 *   overdue   from the day after that.
 * Only the newest assessment of each client and questionnaire has a state; older ones are
 * WORKER_DUE_NONE, as are anonymous ones (no client code) and questionnaires without an interval. */
#ifndef ITS_WORKER_DUE_H
#define ITS_WORKER_DUE_H

#include "worker.h"

#define WORKER_DUE_WINDOW_DAYS 14
#define WORKER_DUE_GRACE_DAYS 30

typedef enum {
    WORKER_DUE_NONE = 0, /* not yet in the window, or no interval */
    WORKER_DUE_SOON,
    WORKER_DUE_DUE,
    WORKER_DUE_OVERDUE
} worker_due_state;

typedef struct worker_due_opts {
    long long as_of;  /* a second on the day to judge; 0: the store's clock (store_set_now) */
    int window_days;  /* -1: WORKER_DUE_WINDOW_DAYS */
    int grace_days;   /* -1: WORKER_DUE_GRACE_DAYS */
} worker_due_opts;

typedef struct worker_due_row {
    int entry;              /* the newest assessment of this client and questionnaire */
    worker_due_state state;
    char due_date[11];      /* "YYYY-MM-DD" */
} worker_due_row;

/* The default options: today by the store's clock, 14 days' window, 30 days' grace. */
worker_due_opts worker_due_defaults(void);
/* Every client's newest assessment of each questionnaire with an interval, whatever its state,
 * overdue first, then due, then due soon, then not yet due; earliest due date first within each
 * (malloc'd; free()). */
int worker_due_list(worker_session *ws, const worker_due_opts *o, worker_due_row **out, int *n,
                    its_err *err) ITS_MUST_CHECK;
/* The state of every entry (malloc'd array of worker_count() states; free()). */
int worker_due_states(worker_session *ws, const worker_due_opts *o, worker_due_state **out,
                      its_err *err) ITS_MUST_CHECK;
/* The locale key of a state's word for the worker: "wk_due_soon", "wk_due", "wk_overdue", "". */
const char *worker_due_key(worker_due_state s);

#endif
