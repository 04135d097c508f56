/* bench_scoring — scoring throughput on the core API, printed as table rows, never pass/fail.
 * Loads a questionnaire (default: the bundled 36-item whodas36-style), makes a pool of sessions
 * with random answers (fixed seed: values, some refused or missing, the work gate either way) and
 * counts assessments per second for score_all alone and for result_build (scores + flags + JSON
 * document) followed by serialising the document, as the kiosk does before sealing it.
 * usage: bench_scoring [--questionnaire FILE] [--rounds N] [--round-ms MS]
 * Output, one line per kind (tests/bench/run.sh reads it):
 *   scoring kind=score_all questionnaire=ID items=N per_s_median=X per_s_min=Y per_s_max=Z rounds=R */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "result.h"

enum { POOL = 1024, MAX_ROUNDS = 51 };

static int fill_pool(const qn *q, qn_session *pool, its_err *err)
{
    for (int k = 0; k < POOL; k++)
        if (bench_random_session(&pool[k], q, err) != 0)
            return -1;
    return 0;
}

/* One unit of work per kind; returns something the optimiser cannot drop. */
static double work_score(const qn_session *s, score_value *out)
{
    score_all(s, out);
    return out[0].value;
}

static double work_result(const qn_session *s, its_err *err)
{
    json_t *doc = result_build(s, NULL, NULL, 0, 0, err);
    if (!doc)
        return -1;
    char *text = json_dumps(doc, JSON_COMPACT);
    double len = text ? (double)strlen(text) : -1;
    free(text);
    json_decref(doc);
    return len;
}

/* Assessments per second in one round of at least round_ms milliseconds. */
static double one_round(qn_session *pool, score_value *out, bool full, int round_ms, double *sink)
{
    its_err err;
    long n = 0;
    double t0 = bench_now(), t1 = t0;
    while ((t1 - t0) * 1e3 < round_ms) {
        for (int k = 0; k < 64; k++, n++)
            *sink += full ? work_result(&pool[n % POOL], &err) : work_score(&pool[n % POOL], out);
        t1 = bench_now();
    }
    return (double)n / (t1 - t0);
}

static void report(const char *kind, const qn *q, double *rates, int rounds)
{
    double median = bench_quantile(rates, rounds, 0.5);
    printf("scoring kind=%s questionnaire=%s items=%d per_s_median=%.0f per_s_min=%.0f per_s_max=%.0f "
           "rounds=%d\n", kind, q->id, q->n_items, median, rates[0], rates[rounds - 1], rounds);
}

int main(int argc, char **argv)
{
    char path[1024] = "";
    int rounds = 7, round_ms = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--questionnaire"))
            its_strlcpy(path, argv[i + 1], sizeof path);
        else if (!strcmp(argv[i], "--rounds"))
            rounds = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--round-ms"))
            round_ms = (int)strtol(argv[i + 1], NULL, 10);
    }
    if (!path[0]) {
        const char *src = getenv("ITS_SOURCE_DIR");
        snprintf(path, sizeof path, "%s/questionnaires/whodas36-style.json", src ? src : ".");
    }
    if (rounds < 1 || rounds > MAX_ROUNDS || round_ms < 1) {
        fprintf(stderr, "usage: bench_scoring [--questionnaire FILE] [--rounds 1-%d] [--round-ms MS]\n",
                MAX_ROUNDS);
        return 2;
    }
    qn_report rep = {0};
    qn *q = qn_load(path, &rep);
    if (!q) {
        qn_report_print(&rep, path, stderr);
        qn_report_free(&rep);
        return 1;
    }
    its_err err;
    qn_session *pool = calloc(POOL, sizeof *pool);
    score_value *out = calloc((size_t)q->n_scores, sizeof *out);
    if (!pool || !out || fill_pool(q, pool, &err) != 0) {
        fprintf(stderr, "bench_scoring: %s\n", pool && out ? err.msg : "out of memory");
        return 1;
    }
    double rates[MAX_ROUNDS], sink = 0;
    for (int r = 0; r < rounds; r++)
        rates[r] = one_round(pool, out, false, round_ms, &sink);
    report("score_all", q, rates, rounds);
    for (int r = 0; r < rounds; r++)
        rates[r] = one_round(pool, out, true, round_ms, &sink);
    report("result_build+json", q, rates, rounds);
    fprintf(stderr, "(checksum %.0f)\n", sink);
    for (int k = 0; k < POOL; k++)
        session_wipe(&pool[k]);
    free(pool);
    free(out);
    qn_free(q);
    qn_report_free(&rep);
    return 0;
}
