/* cmd_demo.c — `itsearvio demo`: stores synthetic assessments through the same sealing path as
 * the kiosk. Answers are seeded random (each synthetic client has a level of difficulty that
 * shapes their answers), scored by the real core from the bundled questionnaires; client codes
 * are random valid codes. Several assessments per client, spread over the past year, each client
 * drifting better or worse from visit to visit, so trends and "worse than last time" flags have
 * something to show. Never real people. */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answercheck.h"
#include "cli.h"
#include "clientcode.h"
#include "result.h"
#include "store.h"
#include "store_clock.h" /* demo records are dated over past months */

#define MAX_QN 16
#define DAY 86400LL

typedef struct demo_client {
    char code[CLIENTCODE_LEN + 1];
    double severity;  /* 0 = no difficulty, 1 = extreme */
    double drift;     /* change of severity per visit: some get better, some worse */
    int visits;       /* assessments stored so far */
    int qn;           /* which questionnaire this client answers */
    json_t *last;     /* the previous result, for the change rule */
} demo_client;

typedef struct demo_event {
    int client;
    long long at;
} demo_event;

/* splitmix64: reproducible from --seed; synthetic data needs no cryptographic randomness. */
static unsigned long long rng_state;
static unsigned long long rng_next(void)
{
    unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static int rng_below(int n) { return n > 0 ? (int)(rng_next() % (unsigned long long)n) : 0; }
static double rng_unit(void) { return (double)(rng_next() >> 11) / 9007199254740992.0; }

static int load_questionnaires(const char *only, const store *s, qn **qs)
{
    char dir[1024], path[1400];
    its_err err;
    if (its_path(dir, sizeof dir, &err, "%s/questionnaires", cli_data_dir()) != 0) {
        fprintf(stderr, "itsearvio demo: %s\n", err.msg);
        return 0;
    }
    const char *names[MAX_QN];
    int n = 0;
    const char *const *cfg;
    int n_cfg = store_questionnaires(s, &cfg);
    DIR *d = NULL;
    if (only)
        names[n++] = only;
    else if (n_cfg > 0)
        for (int i = 0; i < n_cfg && n < MAX_QN; i++)
            names[n++] = cfg[i];
    else if ((d = opendir(dir)) != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL && n < MAX_QN) {
            size_t len = strlen(e->d_name);
            if (len > 5 && !strcmp(e->d_name + len - 5, ".json"))
                names[n++] = its_strdup(e->d_name);
        }
    }
    int loaded = 0;
    for (int i = 0; i < n; i++) {
        bool whole = names[i][0] == '/' || (only && i == 0);
        int fits = whole ? its_path(path, sizeof path, &err, "%s", names[i])
                         : its_path(path, sizeof path, &err, "%s/%s", dir, names[i]);
        qn_report report = {0};
        qn *q = fits == 0 ? qn_load(path, &report) : NULL;
        if (q)
            qs[loaded++] = q;
        else if (fits != 0)
            fprintf(stderr, "itsearvio demo: %s\n", err.msg);
        else
            qn_report_print(&report, path, stderr);
        qn_report_free(&report);
        if (d)
            free((char *)names[i]);
    }
    if (d)
        closedir(d);
    return loaded;
}

/* One synthetic answer on the item's scale, shaped by the client's severity. */
static qn_answer demo_answer(const qn_scale *sc, double severity)
{
    if (sc->allow_refuse && rng_below(40) == 0)
        return (qn_answer){QN_ANS_REFUSED, 0};
    switch (sc->kind) {
    case QN_SCALE_MULTI:
        return (qn_answer){
            QN_ANS_VALUE,
            (int)(rng_next() & ((1u << (sc->n_options < 31 ? sc->n_options : 31)) - 1))};
    case QN_SCALE_NUMBER: {
        double x = severity + (rng_unit() - 0.5) * 0.4;
        x = x < 0 ? 0 : x > 1 ? 1 : x;
        return (qn_answer){QN_ANS_VALUE, sc->min + (int)(x * (sc->max - sc->min) + 0.5)};
    }
    default: {
        double x = severity * sc->n_options + (rng_unit() - 0.5) * 2.0;
        int k = x < 0 ? 0 : x >= sc->n_options ? sc->n_options - 1 : (int)x;
        return (qn_answer){QN_ANS_VALUE, sc->options[k].value};
    }
    }
}

/* Lowers the numbers on a failed check's summed side in proportion, to at most its limit: the
 * floors of v * limit / sum add up to no more than the limit. */
static void demo_scale_down(qn_session *ses, const qn_check *k, const answercheck_hit *h)
{
    its_err err;
    for (int i = 0; i < k->n_items; i++) {
        const qn_scale *sc = &ses->q->scales[ses->q->items[k->items[i]].scale];
        qn_answer a = session_effective(ses, k->items[i]);
        if (sc->kind != QN_SCALE_NUMBER || h->sum <= 0)
            continue;
        int v = (int)((long long)a.value * h->limit / h->sum);
        a.value = v < sc->min ? sc->min : v;
        session_set(ses, k->items[i], a, &err); /* within the scale: cannot fail */
    }
}

/* Brings the day counts within the questionnaire's own checks (H2 + H3 at most 30, H2 at most
 * H1): a demo record should not show a check a careful client would not trip. Scaling down only
 * lowers values, so a check fixed stays fixed unless a later one lowers its limit side; a few
 * rounds settle them all. */
static void demo_fit_checks(qn_session *ses)
{
    answercheck_hit hits[8];
    int n;
    for (int round = 0; round < 8 && (n = answercheck_run(ses, hits, 8)) > 0; round++)
        for (int h = 0; h < n; h++)
            demo_scale_down(ses, &ses->q->checks[hits[h].check], &hits[h]);
}

static int cmp_event(const void *a, const void *b)
{
    long long x = ((const demo_event *)a)->at, y = ((const demo_event *)b)->at;
    return (x > y) - (x < y);
}

/* Answers, scores and seals one assessment. */
static int demo_one(store *s, const qn *q, demo_client *c, long long at, its_err *err)
{
    qn_session ses;
    if (session_init(&ses, q, err) != 0)
        return -1;
    /* A trend over the visits, and a little noise around it. */
    double sev = c->severity + c->drift * c->visits++ + (rng_unit() - 0.5) * 0.1;
    sev = sev < 0 ? 0 : sev > 1 ? 1 : sev;
    for (int i = 0; i < q->n_items; i++)
        if (session_is_shown(&ses, i) &&
            session_set(&ses, i, demo_answer(&q->scales[q->items[i].scale], sev), err) != 0) {
            session_wipe(&ses);
            return -1;
        }
    demo_fit_checks(&ses);
    char started[32], completed[32];
    cli_iso_time(at - 300 - rng_below(1200), started);
    cli_iso_time(at, completed);
    /* research consent from the code (not the random stream, which the demo's pictures follow) */
    static const char *const research[] = {"yes", "no", "yes", NULL};
    char worker[STORE_FINGERPRINT_LEN + 1];
    store_worker_fingerprint(s, worker); /* some clients answer with a worker (an interview) */
    result_meta meta = {c->code, started, completed, store_device_id(s),
                        research[(unsigned char)c->code[1] % 4],
                        (unsigned char)c->code[2] % 5 == 0 ? worker : NULL};
    flag_previous prev[64];
    int n_prev = c->last ? result_previous_scores(c->last, prev, 64) : 0;
    int lang = qn_lang_index(q, "fi");
    json_t *r = result_build(&ses, &meta, prev, n_prev, lang < 0 ? 0 : lang, err);
    session_wipe(&ses);
    if (!r)
        return -1;
    char *payload = json_dumps(r, JSON_COMPACT);
    int rc = payload ? store_save_result_at(s, at, (unsigned char *)payload, strlen(payload), NULL, err)
                     : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    free(payload);
    json_decref(c->last);
    c->last = r;
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: itsearvio demo --dir DIR [--count N] [--seed S] [--questionnaire FILE]\n\n"
             "Stores N (default 30) synthetic assessments, sealed exactly as the kiosk seals them:\n"
             "random answers scored by the bundled questionnaires, random client codes, several\n"
             "assessments per client over the past year. Synthetic clients only, never real people.\n"
             "Needs no passphrase (sealing uses the public keys).");
        return 0;
    }
    const char *dir = NULL, *count_s = "30", *seed_s = "1", *only = NULL;
    bool bad = false;
    for (int i = 1; i < argc && !bad; i++) {
        const char *v;
        if ((v = cli_option(argc, argv, &i, "--dir", &bad)))
            dir = v;
        else if ((v = cli_option(argc, argv, &i, "--count", &bad)))
            count_s = v;
        else if ((v = cli_option(argc, argv, &i, "--seed", &bad)))
            seed_s = v;
        else if ((v = cli_option(argc, argv, &i, "--questionnaire", &bad)))
            only = v;
        else if ((v = cli_option(argc, argv, &i, "--passphrase-file", &bad)))
            continue; /* accepted like every command; sealing needs no passphrase */
        else if (!bad) {
            fprintf(stderr, "itsearvio demo: unknown option %s (see --help)\n", cli_safe(argv[i]));
            return 2;
        }
    }
    char *end1, *end2;
    long count = strtol(count_s, &end1, 10);
    unsigned long long seed = strtoull(seed_s, &end2, 10);
    if (bad || !dir || *end1 || *end2 || count < 1 || count > 1000000) {
        fprintf(stderr, "itsearvio demo: give --dir DIR and --count N (1 to 1000000)\n");
        return 2;
    }
    store *s;
    its_err err;
    if (store_open(dir, &s, &err) != 0) {
        fprintf(stderr, "itsearvio demo: %s\n", err.msg);
        return 1;
    }
    qn *qs[MAX_QN];
    int nq = load_questionnaires(only, s, qs);
    if (nq == 0) {
        fprintf(stderr, "itsearvio demo: no questionnaire could be loaded from %s/questionnaires\n",
                cli_data_dir());
        store_close(s);
        return 1;
    }
    rng_state = seed;
    int n_clients = count / 3 > 0 ? (int)(count / 3) : 1;
    demo_client *clients = calloc((size_t)n_clients, sizeof *clients);
    demo_event *ev = calloc((size_t)count, sizeof *ev);
    long long now = (long long)time(NULL);
    for (int i = 0; clients && i < n_clients; i++) {
        clientcode_make((unsigned)rng_next(), clients[i].code);
        clients[i].severity = rng_unit() * rng_unit(); /* most clients have little difficulty */
        clients[i].qn = rng_below(nq);
        clients[i].drift = (rng_unit() - 0.55) * 0.16; /* about -0.09 .. +0.07 per visit */
    }
    for (long i = 0; ev && i < count; i++)
        ev[i] = (demo_event){(int)(i % n_clients), now - rng_below(365) * DAY - rng_below((int)DAY)};
    int rc = clients && ev ? 0 : its_fail_code(&err, ITS_E_NO_MEMORY, "Out of memory.");
    if (ev)
        qsort(ev, (size_t)count, sizeof *ev, cmp_event);
    long stored = 0;
    for (; rc == 0 && stored < count; stored++) {
        demo_client *c = &clients[ev[stored].client];
        rc = demo_one(s, qs[c->qn], c, ev[stored].at, &err);
    }
    if (rc == 0)
        fprintf(stderr, "Stored %ld synthetic assessments of %d synthetic clients in %s.\n", stored,
                n_clients, cli_safe(dir));
    else
        fprintf(stderr, "itsearvio demo: %s (%ld stored before this)\n", err.msg,
                stored > 0 ? stored - 1 : 0);
    for (int i = 0; clients && i < n_clients; i++)
        json_decref(clients[i].last);
    free(clients);
    free(ev);
    for (int i = 0; i < nq; i++)
        qn_free(qs[i]);
    store_close(s);
    return rc == 0 ? 0 : 1;
}
