/* summary.c — the list summary sealed beside each record (envelope format 3, docs/storage.md).
 *
 * The worker's list needs a few fields of each result, not the answers: parsing every 2-3 KB
 * result document was most of the time of a first unlock. The summary is the subset of the
 * result document the list reads, with the same names and nesting, so one reader
 * (the worker's index) takes either the summary or, for an older record, the whole document:
 *
 *   {"summary":1,"questionnaire":{"id":…,"version":…},"client":…,"completed":…,"device":…,
 *    "site":…,"level":…,"flags":[{"rule":…},…],"assisted":{"worker_key":…} (an interview only),
 *    "scores":{ID:{"value":…,"percent":…,"method":"sum","divisor":…},…}}
 *
 * Numbers are written with the fewest digits that read back as the same double, so the list
 * shows and compares exactly what the document holds. A summary that would not fit in
 * STORE_ENV_SUMMARY_BYTES is {"summary":1,"full":true}: the list then opens the whole record.
 * The store knows nothing else of the result format. */
#include "store_int.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sum_buf {
    char *b;
    size_t len, cap;
    bool full; /* overflowed */
} sum_buf;

static void put(sum_buf *o, const char *fmt, ...) ITS_PRINTF(2, 3);

static void put(sum_buf *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = o->full ? 0 : vsnprintf(o->b + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->cap - o->len)
        o->full = true;
    else
        o->len += (size_t)n;
}

/* A JSON string literal, escaped by jansson. */
static void put_string(sum_buf *o, const char *s)
{
    json_t *j = json_string(s ? s : "");
    char *text = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    if (text)
        put(o, "%s", text);
    else
        o->full = true;
    free(text);
    json_decref(j);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double. */
static void put_number(sum_buf *o, const json_t *v)
{
    if (json_is_integer(v)) {
        put(o, "%lld", (long long)json_integer_value(v));
        return;
    }
    double d = json_real_value(v);
    char text[40];
    for (int p = 15; p <= 17; p++) {
        snprintf(text, sizeof text, "%.*g", p, d);
        if (strtod(text, NULL) == d)
            break;
    }
    /* a real stays a real when read back ("49" would come back as an integer) */
    put(o, "%s%s", text, strpbrk(text, ".eEn") ? "" : ".0");
}

/* ,"name":"value" for a string member of obj (nothing when it is not a string). */
static void put_member(sum_buf *o, const json_t *obj, const char *name)
{
    const char *v = json_string_value(json_object_get(obj, name));
    if (!v)
        return;
    put(o, ",\"%s\":", name);
    put_string(o, v);
}

static void put_scores(sum_buf *o, json_t *scores)
{
    const char *id;
    json_t *sc;
    const char *sep = "";
    put(o, ",\"scores\":{");
    json_object_foreach(scores, id, sc) {
        put(o, "%s", sep);
        put_string(o, id);
        put(o, ":{");
        static const char *const numbers[] = {"value", "percent"};
        const char *inner = "";
        for (int i = 0; i < 2; i++)
            if (json_is_number(json_object_get(sc, numbers[i]))) {
                put(o, "%s\"%s\":", inner, numbers[i]);
                put_number(o, json_object_get(sc, numbers[i]));
                inner = ",";
            }
        const char *method = json_string_value(json_object_get(sc, "method"));
        if (method && !strcmp(method, "sum") && json_is_integer(json_object_get(sc, "divisor")))
            put(o, "%s\"method\":\"sum\",\"divisor\":%lld", inner,
                (long long)json_integer_value(json_object_get(sc, "divisor")));
        put(o, "}");
        sep = ",";
    }
    put(o, "}");
}

static void put_summary(sum_buf *o, json_t *doc, const char *site)
{
    json_t *q = json_object_get(doc, "questionnaire");
    put(o, "{\"summary\":1,\"questionnaire\":{\"id\":");
    put_string(o, json_string_value(json_object_get(q, "id")));
    put_member(o, q, "version");
    put(o, "}");
    static const char *const fields[] = {"client", "completed", "device", "level"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        put_member(o, doc, fields[i]);
    put(o, ",\"site\":");
    put_string(o, site);
    put(o, ",\"flags\":[");
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "flags"), i, f) {
        put(o, i ? ",{\"rule\":" : "{\"rule\":");
        put_string(o, json_string_value(json_object_get(f, "rule")));
        put(o, "}");
    }
    put(o, "]");
    /* an interview: the fingerprint of the worker key that entered the answers (list column) */
    const json_t *assisted = json_object_get(doc, "assisted");
    const char *by = json_string_value(json_object_get(assisted, "worker_key"));
    if (by) {
        put(o, ",\"assisted\":{\"worker_key\":");
        put_string(o, by);
        put(o, "}");
    }
    if (json_is_object(json_object_get(doc, "scores")))
        put_scores(o, json_object_get(doc, "scores"));
    put(o, "}");
}

size_t store_summary_build(const unsigned char *payload, size_t len, const char *site,
                           char out[STORE_ENV_SUMMARY_BYTES])
{
    sum_buf o = {out, 0, STORE_ENV_SUMMARY_BYTES - 1, false};
    json_t *doc = json_loadb((const char *)payload, len, 0, NULL);
    put_summary(&o, doc, site);
    json_decref(doc); /* the kiosk holds this client's answers in memory anyway (threat model) */
    if (o.full) { /* an unusually long result: the list opens the whole record instead */
        sodium_memzero(out, STORE_ENV_SUMMARY_BYTES);
        o.len = (size_t)snprintf(out, STORE_ENV_SUMMARY_BYTES, "{\"summary\":1,\"full\":true}");
    }
    return o.len;
}
