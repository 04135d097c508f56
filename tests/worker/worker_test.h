/* worker_test.h — what the worker tests share: a data folder (through store_test.h) filled with
 * results scored by the real engine from the vectors' answer notation, and an unlocked session. */
#ifndef ITS_WORKER_TEST_H
#define ITS_WORKER_TEST_H

#include <jansson.h>
#include <time.h>

#include "export.h"
#include "result.h"
#include "store_test.h"
#include "worker.h"

/* The bundled questionnaire `name` (e.g. "whodas36-style"); exits if it cannot be loaded. */
static inline qn *wt_questionnaire(const char *name)
{
    const char *src = getenv("ITS_SOURCE_DIR");
    char path[700];
    snprintf(path, sizeof path, "%s/questionnaires/%s.json", src ? src : ".", name);
    qn *q = qn_load(path, NULL);
    if (!q) {
        fprintf(stderr, "cannot load %s\n", path);
        exit(2);
    }
    return q;
}

/* Scores a filled session, seals the result with created-at `at` and wipes the session. `prev`
 * (a result json_t* or NULL) feeds the change rule. Returns the result (new reference). */
/* What the next records say of research consent and an interview (result_meta); NULL none. */
static const char *wt_research, *wt_assisted_by;

static inline json_t *wt_seal(store *s, qn_session *ss, const char *client, long long at,
                              json_t *prev, char id[37])
{
    its_err err = {0};
    char started[32], completed[32];
    time_t t0 = (time_t)(at - 600), t1 = (time_t)at;
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t0));
    strftime(completed, sizeof completed, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t1));
    result_meta meta = {client, started, completed, "test-kiosk", wt_research, wt_assisted_by};
    flag_previous fp[32];
    int n_prev = prev ? result_previous_scores(prev, fp, 32) : 0;
    json_t *res = result_build(ss, &meta, fp, n_prev, 0, &err);
    session_wipe(ss);
    char *text = json_dumps(res, JSON_COMPACT);
    if (!text || store_save_result_at(s, at, (unsigned char *)text, strlen(text), id, &err) != 0) {
        fprintf(stderr, "saving: %s\n", err.msg);
        exit(2);
    }
    free(text);
    return res;
}

/* Answers in the vectors' notation over the scored items; the number items (H1-H3) get days,
 * days + 1, ... unless days < 0. */
static inline json_t *wt_add_days(store *s, const qn *q, const char *client, long long at,
                                  const char *answers, int works, int days, json_t *prev,
                                  char id[37])
{
    qn_session ss;
    its_err err = {0};
    if (session_init(&ss, q, &err) != 0 || session_from_notation(&ss, answers, works, &err) != 0) {
        fprintf(stderr, "answers: %s\n", err.msg);
        exit(2);
    }
    for (int i = 0, k = 0; days >= 0 && i < q->n_items; i++)
        if (q->scales[q->items[i].scale].kind == QN_SCALE_NUMBER &&
            session_set(&ss, i, (qn_answer){QN_ANS_VALUE, days + k++}, &err) != 0)
            exit(2);
    return wt_seal(s, &ss, client, at, prev, id);
}

/* Answers as an answers object in JSON text: {"WA": 7, "CHANGE": [0, 2]}. */
static inline json_t *wt_add_json(store *s, const qn *q, const char *client, long long at,
                                  const char *answers, char id[37])
{
    qn_session ss;
    its_err err = {0};
    json_t *a = json_loads(answers, 0, NULL);
    if (!a || session_init(&ss, q, &err) != 0 || session_from_json(&ss, a, &err) != 0) {
        fprintf(stderr, "answers: %s\n", err.msg);
        exit(2);
    }
    json_decref(a);
    return wt_seal(s, &ss, client, at, NULL, id);
}

static inline json_t *wt_add(store *s, const qn *q, const char *client, long long at,
                             const char *answers, int works, json_t *prev, char id[37])
{
    return wt_add_days(s, q, client, at, answers, works, -1, prev, id);
}

/* n answers of the same value, space separated: wt_same(buf, 36, "2"). */
static inline const char *wt_same(char *buf, size_t size, int n, const char *v)
{
    buf[0] = '\0';
    for (int i = 0; i < n; i++)
        its_appendf(buf, size, "%s%s", i ? " " : "", v);
    return buf;
}

static inline worker_session *wt_open(const char *dir, const char *pass, its_err *err)
{
    char qdir[700];
    const char *src = getenv("ITS_SOURCE_DIR");
    snprintf(qdir, sizeof qdir, "%s/questionnaires", src ? src : ".");
    worker_open_opts o = {.dir = dir,
                          .passphrase = pass,
                          .data = src ? src : ".",
                          .questionnaires = qdir,
                          .lang = "fi"};
    worker_session *ws = NULL;
    if (worker_session_open(&o, &ws, err) != 0)
        return NULL;
    return ws;
}

/* Every record of the session through one export writer, as a malloc'd string. */
static inline char *wt_export_all(worker_session *ws,
                                  int (*writer)(worker_session *, const int *, int, FILE *, int *,
                                                its_err *),
                                  int *skipped)
{
    int *rows = NULL;
    worker_counts c;
    its_err err = {0};
    worker_filter all = worker_filter_all();
    char *text = NULL;
    size_t len = 0;
    *skipped = 0;
    if (worker_list(ws, &all, &rows, &c, &err) != 0)
        return NULL;
    FILE *mem = open_memstream(&text, &len);
    int rc = writer(ws, rows, c.shown, mem, skipped, &err);
    fclose(mem);
    free(rows);
    if (rc != 0) {
        fprintf(stderr, "export: %s\n", err.msg);
        free(text);
        return NULL;
    }
    return text;
}

/* A temporary data folder with the three bundled questionnaires loaded, for one test program. */
typedef struct wt_fixture {
    char base[512], dir[600];
    store *s;
    qn *q36, *q12, *qo;
} wt_fixture;

static inline void wt_begin(wt_fixture *f, const char *name)
{
    test_tmpdir(f->base);
    f->s = test_make_store(f->base, name, f->dir);
    f->q36 = wt_questionnaire("whodas36-style");
    f->q12 = wt_questionnaire("whodas12-style");
    f->qo = wt_questionnaire("oma-tilanne");
}

/* Frees the results and the questionnaires and removes the folder. */
static inline void wt_end(wt_fixture *f, json_t **res, int n)
{
    for (int i = 0; i < n; i++)
        json_decref(res[i]);
    qn_free(f->q36);
    qn_free(f->q12);
    qn_free(f->qo);
    test_rm_rf(f->base);
}

#endif
