/* bench_util.c — see bench_util.h. */
#include "bench_util.h"

#include <stdlib.h>
#include <time.h>

static uint64_t rng_state = 0x1234abcd5678ef01ULL;

void bench_seed(uint64_t seed)
{
    rng_state = seed ? seed : 0x1234abcd5678ef01ULL;
}

uint32_t bench_rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static qn_answer random_answer(const qn *q, int item)
{
    const qn_scale *sc = &q->scales[q->items[item].scale];
    uint32_t r = bench_rng() % 100;
    if (r < 4 && sc->allow_refuse)
        return (qn_answer){QN_ANS_REFUSED, 0};
    if (r < 7)
        return (qn_answer){QN_ANS_NONE, 0};
    if (sc->kind == QN_SCALE_NUMBER)
        return (qn_answer){QN_ANS_VALUE, sc->min + (int)(bench_rng() % (uint32_t)(sc->max - sc->min + 1))};
    if (sc->kind == QN_SCALE_MULTI)
        return (qn_answer){QN_ANS_VALUE, (int)(bench_rng() % (1u << sc->n_options))};
    return (qn_answer){QN_ANS_VALUE, sc->options[bench_rng() % (uint32_t)sc->n_options].value};
}

int bench_random_session(qn_session *s, const qn *q, its_err *err)
{
    if (session_init(s, q, err) != 0)
        return -1;
    for (int i = 0; i < q->n_items; i++)
        if (session_set(s, i, random_answer(q, i), err) != 0)
            return -1;
    return 0;
}

double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_quantile(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}
