/* bench_util.h — what the benchmark programs share: a seeded random generator that gives the same
 * answers on every libc, random answers to a questionnaire, a monotonic clock and sorting. */
#ifndef ITS_BENCH_UTIL_H
#define ITS_BENCH_UTIL_H

#include <stdint.h>
#include "session.h"

/* Restarts the generator (xorshift64*) at a fixed seed. */
void bench_seed(uint64_t seed);
uint32_t bench_rng(void);

/* Fills a fresh session with random answers: mostly values, ~4 % refused, ~3 % missing. */
int bench_random_session(qn_session *s, const qn *q, its_err *err);

/* CLOCK_MONOTONIC in seconds. */
double bench_now(void);

/* Sorts v ascending; returns the value at fraction p (0..1) of the sorted array, nearest rank. */
double bench_quantile(double *v, int n, double p);

#endif
