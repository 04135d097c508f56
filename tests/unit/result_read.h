/* result_read.h — helpers shared by the unit tests: load a questionnaire (printing every problem
 * when it does not load) and read scores and fired flags from a result document. */
#ifndef ITS_RESULT_READ_H
#define ITS_RESULT_READ_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "result.h"

static words_catalogue *test_catalogue_loaded;

static inline void test_catalogue_free(void)
{
    words_free(test_catalogue_loaded);
}

/* The repository's catalogue of words ($ITS_SOURCE_DIR/locale), loaded on first use. */
static inline const words_catalogue *test_catalogue(void)
{
    if (!test_catalogue_loaded) {
        const char *src = getenv("ITS_SOURCE_DIR");
        char dir[1024];
        its_err err = {0};
        snprintf(dir, sizeof dir, "%s/locale", src ? src : ".");
        if (words_load(dir, &test_catalogue_loaded, &err) != 0)
            fprintf(stderr, "%s\n", err.msg);
        else
            atexit(test_catalogue_free);
    }
    return test_catalogue_loaded;
}

/* Loads `path`; on failure prints each problem as file:line:column and returns NULL. */
static inline qn *load_questionnaire_file(const char *path)
{
    qn_report rep = {0};
    qn *q = qn_load(path, &rep);
    if (!q)
        qn_report_print(&rep, path, stderr);
    qn_report_free(&rep);
    return q;
}

/* A score's value, or -1 when the score has none (not scored, not applicable). */
static inline double value_of(json_t *r, const char *score)
{
    json_t *v = json_object_get(json_object_get(json_object_get(r, "scores"), score), "value");
    return json_is_number(v) ? json_number_value(v) : -1;
}

/* "ok", "not_scored" or "not_applicable". */
static inline const char *status_of(json_t *r, const char *score)
{
    return json_string_value(json_object_get(json_object_get(json_object_get(r, "scores"), score), "status"));
}

/* The fired flag of `rule`, or NULL. */
static inline json_t *flag_of(json_t *r, const char *rule)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "flags"), i, f)
        if (!strcmp(json_string_value(json_object_get(f, "rule")), rule))
            return f;
    return NULL;
}

static inline bool fired(json_t *r, const char *rule)
{
    return flag_of(r, rule) != NULL;
}

/* The evidence of a fired flag in words, in the result's language, as a worker reads it; "" when
 * the rule did not fire. */
static inline const char *detail_of(const qn *q, json_t *r, const char *rule)
{
    static char out[1024];
    json_t *f = flag_of(r, rule);
    int lang = qn_lang_index(q, json_string_value(json_object_get(r, "lang")));
    out[0] = '\0';
    if (f)
        evidence_words(test_catalogue(), q, json_object_get(f, "evidence"), lang < 0 ? 0 : lang, out,
                       sizeof out);
    return out;
}

/* The result's flag level as a number: 0 none, 1 yellow, 2 red. */
static inline int level_rank(json_t *r)
{
    const char *l = json_string_value(json_object_get(r, "level"));
    return !strcmp(l, "red") ? 2 : !strcmp(l, "yellow") ? 1 : 0;
}

#endif
