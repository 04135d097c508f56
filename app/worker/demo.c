/* demo.c — synthetic clients with repeated assessments (worker_demo.h). */
#include "worker_demo.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clientcode.h"
#include "result.h"
#include "session.h"

typedef struct rng {
    unsigned long long s;
} rng;

static unsigned rnd(rng *r)
{
    r->s ^= r->s << 13; /* xorshift64 */
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (unsigned)(r->s >> 32);
}

static double uniform(rng *r) /* [0, 1) */
{
    return rnd(r) / 4294967296.0;
}

static double noise(rng *r, double spread) /* roughly normal: sum of three uniforms */
{
    return (uniform(r) + uniform(r) + uniform(r) - 1.5) * spread;
}

typedef struct client {
    char code[CLIENTCODE_LEN + 1];
    const qn *q;
    double level, drift;      /* latent 0..4 and change per assessment */
    double domain[16];        /* offsets per domain */
    bool works;
    int lang;
} client;

static void iso(char *dst, size_t n, long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(dst, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Answers one questionnaire as this client would at assessment k. */
static int answer(qn_session *s, const client *c, int k, rng *r, its_err *err)
{
    const qn *q = c->q;
    double skip = uniform(r) < 0.15 ? 0.04 : 0.003; /* some sessions leave more unanswered */
    for (int i = 0; i < q->n_items; i++) {
        if (!session_is_shown(s, i))
            continue;
        const qn_item *it = &q->items[i];
        const qn_scale *sc = &q->scales[it->scale];
        qn_answer a = {QN_ANS_VALUE, 0};
        double lat = c->level + c->drift * k + (it->domain >= 0 && it->domain < 16 ? c->domain[it->domain] : 0);
        if (lat < 0)
            lat = 0;
        if (sc->kind == QN_SCALE_NUMBER) {
            a.value = (int)lrint(lat * 5 + noise(r, 6));
            a.value = a.value < sc->min ? sc->min : a.value > sc->max ? sc->max : a.value;
        } else if (!it->scored) { /* the yes/no gate: works or studies */
            a.value = c->works ? sc->options[0].value : sc->options[sc->n_options - 1].value;
        } else {
            double u = uniform(r);
            if (u < skip * 0.6)
                continue; /* missing */
            if (u < skip && sc->allow_refuse) {
                a.state = QN_ANS_REFUSED;
            } else {
                int v = (int)lrint(lat + noise(r, 1.1));
                a.value = v < sc->min ? sc->min : v > sc->max ? sc->max : v;
                if (sc->allow_na && !c->works && it->domain >= 0 && uniform(r) < 0.9)
                    a.state = QN_ANS_NA, a.value = 0;
            }
        }
        if (session_set(s, i, a, err) != 0)
            return -1;
    }
    return 0;
}

static void new_client(client *c, const worker_demo_opts *o, rng *r)
{
    memset(c, 0, sizeof *c);
    clientcode_make(rnd(r), c->code);
    c->q = o->qns[o->n_qns > 1 && uniform(r) < 0.25 ? 1 + rnd(r) % (unsigned)(o->n_qns - 1) : 0];
    double u = uniform(r);
    c->level = u < 0.55 ? uniform(r) * 1.0 : u < 0.85 ? 0.7 + uniform(r) * 1.2 : 1.6 + uniform(r) * 1.6;
    c->drift = noise(r, 0.5) - 0.05;
    for (int d = 0; d < 16; d++)
        c->domain[d] = noise(r, 1.0);
    c->works = uniform(r) < 0.7;
    double l = uniform(r);
    int want = l < 0.8 ? 0 : l < 0.92 ? 1 : 2; /* fi, sv, en when the file has them */
    c->lang = want < c->q->n_langs ? want : 0;
}

int worker_demo_fill(store *s, const worker_demo_opts *o, int *clients, its_err *err)
{
    if (!o || o->n_qns < 1 || o->records < 0)
        return its_fail(err, "The demo needs at least one questionnaire.");
    rng r = {o->seed * 2654435761ULL + 88172645463325252ULL};
    long long now = o->now ? o->now : (long long)time(NULL);
    int done = 0;
    *clients = 0;
    while (done < o->records) {
        client c;
        new_client(&c, o, &r);
        (*clients)++;
        int visits = 1 + (int)(rnd(&r) % 6);
        if (visits > o->records - done)
            visits = o->records - done;
        /* Visits 4-12 weeks apart, the last one within the past few weeks. */
        long long t = now - (long long)(rnd(&r) % (30 * 86400));
        long long times[6];
        for (int v = visits - 1; v >= 0; v--) {
            times[v] = t - (long long)(rnd(&r) % (8 * 3600)); /* any time of day back to 8 h */
            t -= (28 + (long long)(rnd(&r) % 57)) * 86400;
        }
        json_t *prev = NULL;
        for (int v = 0; v < visits; v++) {
            qn_session ss;
            if (session_init(&ss, c.q, err) != 0 || answer(&ss, &c, v, &r, err) != 0) {
                json_decref(prev);
                return -1;
            }
            char started[32], completed[32];
            iso(started, sizeof started, times[v] - 600 - (long long)(rnd(&r) % 900));
            iso(completed, sizeof completed, times[v]);
            result_meta meta = {c.code, started, completed, "kiosk-demo"};
            flag_previous fp[32];
            int n_prev = prev ? result_previous_scores(prev, fp, 32) : 0;
            json_t *res = result_build(&ss, &meta, fp, n_prev, c.lang, err);
            session_wipe(&ss);
            char *text = res ? json_dumps(res, JSON_COMPACT) : NULL;
            char id[37];
            int rc = text ? store_save_result_at(s, times[v], (unsigned char *)text, strlen(text), id, err)
                          : its_fail(err, "Out of memory.");
            free(text);
            json_decref(prev);
            prev = res;
            if (rc != 0) {
                json_decref(prev);
                return -1;
            }
            if (++done % 500 == 0 && o->progress)
                o->progress(done, o->records, o->ctx);
        }
        json_decref(prev);
    }
    return 0;
}
