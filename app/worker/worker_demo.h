/* worker_demo.h — synthetic demo data: clients with repeated assessments over months.
 *
 * Owns the generator only. Every client has a latent difficulty level, a drift per assessment
 * (some improve, some get worse) and a profile across domains; answers are drawn around that with
 * noise, a few missing or refused, some not working (the work items then not asked), and each
 * result is scored and flagged by the real engine (result_build) against the client's previous
 * result, then sealed with a created-at time months back. No real person is in it. */
#ifndef ITS_WORKER_DEMO_H
#define ITS_WORKER_DEMO_H

#include "qn.h"
#include "store.h"

typedef struct worker_demo_opts {
    int records;             /* how many assessments in all (clients get 1-6 each) */
    unsigned seed;
    const qn *const *qns;    /* questionnaires to use; the first is used most */
    int n_qns;
    long long now;           /* the newest assessment is before this; 0: the clock */
    /* Called every 500 records with the count so far; may be NULL. */
    void (*progress)(int done, int total, void *ctx);
    void *ctx;
} worker_demo_opts;

/* Adds o->records synthetic results to an open store; *clients gets the number of clients. */
int worker_demo_fill(store *s, const worker_demo_opts *o, int *clients, its_err *err);

#endif
