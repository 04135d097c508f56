/* qn_load.c — reads a questionnaire file into the model of qn.h and checks everything a person
 * could get wrong, reporting each problem with its line and column.
 *
 * Loading runs in a fixed order whatever the key order in the file: languages, scales, domains,
 * items, scores, flag rules. Each later part may refer to the earlier ones, so a reference is
 * resolved to an index once and the rest of the program never looks an id up again. Problems do
 * not stop the load early: a person fixing a file wants the whole list at once. */
#include "qn.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "certify.h"
#include "jpos.h"

#define FORMAT_NAME "itsearvio-questionnaire/1"
/* MAX_WHOLE bounds every whole number in a file (scale ends, divisors), so that no arithmetic
 * on one value can overflow an int. */
enum { PATH_LEN = 256, MAX_EXPR_DEPTH = 16, MAX_ENTRIES = 10000, MAX_WHOLE = 1000000 };

typedef struct loader {
    const char *name;
    json_t *items_json; /* the raw "items" list, to tell a later item from an unknown one */
    json_t *rules_json; /* the raw "rules" list, to resolve other_flags exceptions */
    jpos pos;
    qn_report *report;
    int problems;
    qn *q;
} loader;

static void problem(loader *ld, const char *path, const char *fmt, ...) ITS_PRINTF(3, 4);

static void problem(loader *ld, const char *path, const char *fmt, ...)
{
    ld->problems++;
    qn_report *r = ld->report;
    if (!r)
        return;
    if (r->n >= QN_REPORT_MAX) { /* counted, not located: each position costs a scan */
        r->more++;
        return;
    }
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 16;
        qn_problem *bigger = realloc(r->problems, (size_t)cap * sizeof *bigger);
        if (!bigger)
            return;
        r->problems = bigger;
        r->cap = cap;
    }
    qn_problem *p = &r->problems[r->n++];
    jpos_find(&ld->pos, path, &p->line, &p->column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
}

/* ---- small typed getters ------------------------------------------------------------------ */

/* Paths are only for finding a position: a path cut at PATH_LEN still finds its parent. */
static void sub(char *out, const char *path, const char *key)
{
    if (snprintf(out, PATH_LEN, "%s/%s", path, key) >= PATH_LEN)
        out[PATH_LEN - 1] = '\0';
}

static void sub_index(char *out, const char *path, size_t i)
{
    if (snprintf(out, PATH_LEN, "%s/%zu", path, i) >= PATH_LEN)
        out[PATH_LEN - 1] = '\0';
}

/* Reports keys of obj that are not in allowed (NULL-terminated). */
static void check_keys(loader *ld, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int known = 0;
        for (const char *const *a = allowed; *a && !known; a++)
            known = !strcmp(*a, key);
        if (!known) {
            char p[PATH_LEN];
            sub(p, path, key);
            problem(ld, p, "unknown key \"%s\"", key);
        }
    }
}

static json_t *need(loader *ld, json_t *obj, const char *path, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        problem(ld, path, "missing required key \"%s\"", key);
    return v;
}

static char *get_id(loader *ld, json_t *obj, const char *path, const char *key, bool required)
{
    json_t *v = required ? need(ld, obj, path, key) : json_object_get(obj, key);
    char p[PATH_LEN];
    sub(p, path, key);
    if (!v)
        return NULL;
    if (!json_is_string(v) || json_string_length(v) == 0) {
        problem(ld, p, "\"%s\" must be a non-empty string", key);
        return NULL;
    }
    const char *s = json_string_value(v);
    for (const char *c = s; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", *c)) {
            problem(ld, p, "\"%s\" may hold only letters, digits, '-', '_' and '.'", s);
            return NULL;
        }
    return its_strdup(s);
}

static bool get_int(loader *ld, json_t *obj, const char *path, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return false;
    char p[PATH_LEN];
    sub(p, path, key);
    if (!json_is_integer(v) || json_integer_value(v) < -MAX_WHOLE || json_integer_value(v) > MAX_WHOLE) {
        problem(ld, p, "\"%s\" must be a whole number", key);
        return false;
    }
    *out = (int)json_integer_value(v);
    return true;
}

static bool get_number(loader *ld, json_t *obj, const char *path, const char *key, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return false;
    if (!json_is_number(v)) {
        char p[PATH_LEN];
        sub(p, path, key);
        problem(ld, p, "\"%s\" must be a number", key);
        return false;
    }
    *out = json_number_value(v);
    return true;
}

static bool get_bool(loader *ld, json_t *obj, const char *path, const char *key, bool dflt)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return dflt;
    if (!json_is_boolean(v)) {
        char p[PATH_LEN];
        sub(p, path, key);
        problem(ld, p, "\"%s\" must be true or false", key);
        return dflt;
    }
    return json_is_true(v);
}

/* A text: one non-empty string per declared language, nothing else. */
static void get_text(loader *ld, json_t *obj, const char *path, const char *key, bool required,
                     qn_text *out)
{
    json_t *v = required ? need(ld, obj, path, key) : json_object_get(obj, key);
    if (!v)
        return;
    char p[PATH_LEN];
    sub(p, path, key);
    if (!json_is_object(v)) {
        problem(ld, p, "\"%s\" must be a text: an object with one string per language", key);
        return;
    }
    const char *lang;
    json_t *s;
    json_object_foreach(v, lang, s) {
        char lp[PATH_LEN];
        sub(lp, p, lang);
        int li = qn_lang_index(ld->q, lang);
        if (li < 0)
            problem(ld, lp, "language \"%s\" is not declared in \"languages\"", lang);
        else if (!json_is_string(s))
            problem(ld, lp, "the %s text must be a string", lang);
        else if (strspn(json_string_value(s), " \t\r\n") == json_string_length(s))
            problem(ld, lp, "the %s text of \"%s\" is empty", lang, key);
        else
            out->s[li] = its_strdup(json_string_value(s));
    }
    for (int i = 0; i < ld->q->n_langs; i++)
        if (!json_object_get(v, ld->q->langs[i]))
            problem(ld, p, "\"%s\" has no %s text", key, ld->q->langs[i]);
}

/* An array under key; reports a wrong type. Returns NULL if absent or wrong. */
static json_t *get_array(loader *ld, json_t *obj, const char *path, const char *key, bool required)
{
    json_t *v = required ? need(ld, obj, path, key) : json_object_get(obj, key);
    if (!v)
        return NULL;
    if (!json_is_array(v) || json_array_size(v) > MAX_ENTRIES) {
        char p[PATH_LEN];
        sub(p, path, key);
        problem(ld, p, "\"%s\" must be a list", key);
        return NULL;
    }
    return v;
}

static bool is_object_at(loader *ld, json_t *v, const char *path, const char *what)
{
    if (json_is_object(v))
        return true;
    problem(ld, path, "%s must be an object", what);
    return false;
}

/* ---- top level and languages -------------------------------------------------------------- */

/* A language other than fi, sv and en is a translation: it needs its record (certify.h). One
 * marked unreviewed loads, flagged, and is never shown to clients; none at all refuses the file. */
static void load_certification(loader *ld, const json_t *cert)
{
    qn *q = ld->q;
    for (int i = 0; i < q->n_langs; i++) {
        its_err err = {0};
        certify_state st = certify_read(json_object_get(cert, q->langs[i]), NULL, q->langs[i], &err);
        char p[PATH_LEN];
        sub_index(p, "/languages", (size_t)i);
        if (st == CERTIFY_MISSING)
            problem(ld, p, "%s", err.msg);
        q->unreviewed[i] = st == CERTIFY_UNREVIEWED;
    }
}

static void load_header(loader *ld, json_t *root)
{
    static const char *const keys[] = {"format", "id", "version", "languages", "title",
                                       "client_title", "intro", "recall", "licence",
                                       "reassess_days", "scales", "domains", "items", "scores",
                                       "flags", "checks", "crisis_help", "certification", NULL};
    qn *q = ld->q;
    check_keys(ld, root, "", keys);
    json_t *fmt = need(ld, root, "", "format");
    if (fmt && (!json_is_string(fmt) || strcmp(json_string_value(fmt), FORMAT_NAME)))
        problem(ld, "/format", "\"format\" must be \"%s\"", FORMAT_NAME);
    q->id = get_id(ld, root, "", "id", true);
    json_t *ver = need(ld, root, "", "version");
    if (ver && (!json_is_string(ver) || json_string_length(ver) == 0))
        problem(ld, "/version", "\"version\" must be a non-empty string");
    else if (ver)
        q->version = its_strdup(json_string_value(ver));
    json_t *langs = get_array(ld, root, "", "languages", true);
    size_t i;
    json_t *l;
    json_array_foreach(langs, i, l) {
        char p[PATH_LEN];
        sub_index(p, "/languages", i);
        if (q->n_langs == QN_MAX_LANGS)
            problem(ld, p, "at most %d languages", QN_MAX_LANGS);
        else if (!json_is_string(l) || json_string_length(l) < 2 || json_string_length(l) > 8)
            problem(ld, p, "a language must be a code such as \"fi\"");
        else if (qn_lang_index(q, json_string_value(l)) >= 0)
            problem(ld, p, "language \"%s\" is listed twice", json_string_value(l));
        else
            q->langs[q->n_langs++] = its_strdup(json_string_value(l));
    }
    if (langs && q->n_langs == 0)
        problem(ld, "/languages", "\"languages\" must name at least one language");
    load_certification(ld, json_object_get(root, "certification"));
    get_text(ld, root, "", "title", true, &q->title);
    get_text(ld, root, "", "client_title", false, &q->client_title);
    get_text(ld, root, "", "intro", true, &q->intro);
    get_text(ld, root, "", "recall", true, &q->recall);
    get_text(ld, root, "", "licence", false, &q->licence);
    json_t *re = json_object_get(root, "reassess_days");
    if (re && (!json_is_integer(re) || json_integer_value(re) < 1 ||
               json_integer_value(re) > QN_REASSESS_MAX))
        problem(ld, "/reassess_days", "\"reassess_days\" must be a whole number of days from 1 to %d",
                QN_REASSESS_MAX);
    else if (re)
        q->reassess_days = (int)json_integer_value(re);
}

/* ---- scales ------------------------------------------------------------------------------- */

static void load_options(loader *ld, json_t *obj, const char *path, qn_scale *sc)
{
    json_t *opts = get_array(ld, obj, path, "options", true);
    if (!opts)
        return;
    char p[PATH_LEN];
    sub(p, path, "options");
    size_t n = json_array_size(opts);
    if (n == 0 || (sc->kind == QN_SCALE_MULTI && n > QN_MAX_OPTIONS) || n > 101) {
        problem(ld, p, "a scale needs 1 to %d options", sc->kind == QN_SCALE_MULTI ? QN_MAX_OPTIONS : 101);
        return;
    }
    sc->options = calloc(n, sizeof *sc->options);
    if (!sc->options)
        return;
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o) {
        static const char *const keys[] = {"value", "label", NULL};
        char op[PATH_LEN];
        sub_index(op, p, i);
        if (!is_object_at(ld, o, op, "an option"))
            continue;
        check_keys(ld, o, op, keys);
        qn_option *opt = &sc->options[sc->n_options];
        if (!need(ld, o, op, "value") || !get_int(ld, o, op, "value", &opt->value))
            continue;
        for (int k = 0; k < sc->n_options; k++)
            if (sc->options[k].value == opt->value)
                problem(ld, op, "option value %d is used twice in scale \"%s\"", opt->value, sc->id);
        get_text(ld, o, op, "label", true, &opt->label);
        if (sc->n_options == 0 || opt->value < sc->min)
            sc->min = opt->value;
        if (sc->n_options == 0 || opt->value > sc->max)
            sc->max = opt->value;
        sc->n_options++;
    }
}

static void load_scale(loader *ld, json_t *obj, const char *path, qn_scale *sc)
{
    static const char *const keys[] = {"id", "kind", "options", "min", "max", "unit", "min_label",
                                       "max_label", "refuse", "not_applicable", NULL};
    check_keys(ld, obj, path, keys);
    sc->id = get_id(ld, obj, path, "id", true);
    json_t *kind = need(ld, obj, path, "kind");
    const char *k = json_is_string(kind) ? json_string_value(kind) : "";
    char p[PATH_LEN];
    sub(p, path, "kind");
    if (!strcmp(k, "single"))
        sc->kind = QN_SCALE_SINGLE;
    else if (!strcmp(k, "multi"))
        sc->kind = QN_SCALE_MULTI;
    else if (!strcmp(k, "number"))
        sc->kind = QN_SCALE_NUMBER;
    else if (kind)
        problem(ld, p, "\"kind\" must be \"single\", \"multi\" or \"number\"");
    if (sc->kind == QN_SCALE_NUMBER) {
        bool has_min = need(ld, obj, path, "min") && get_int(ld, obj, path, "min", &sc->min);
        bool has_max = need(ld, obj, path, "max") && get_int(ld, obj, path, "max", &sc->max);
        if (has_min && has_max && sc->min > sc->max)
            problem(ld, path, "\"min\" is larger than \"max\"");
        if (json_object_get(obj, "options"))
            problem(ld, path, "a number scale has no \"options\"");
        get_text(ld, obj, path, "unit", false, &sc->unit);
    } else {
        load_options(ld, obj, path, sc);
        if (json_object_get(obj, "min") || json_object_get(obj, "max"))
            problem(ld, path, "\"min\" and \"max\" belong to number scales; options set the range");
    }
    get_text(ld, obj, path, "min_label", false, &sc->min_label);
    get_text(ld, obj, path, "max_label", false, &sc->max_label);
    sc->allow_refuse = get_bool(ld, obj, path, "refuse", false);
    get_text(ld, obj, path, "not_applicable", false, &sc->na_label);
    sc->allow_na = json_object_get(obj, "not_applicable") != NULL;
}

static int scale_index(const qn *q, const char *id)
{
    for (int i = 0; i < q->n_scales; i++)
        if (q->scales[i].id && !strcmp(q->scales[i].id, id))
            return i;
    return -1;
}

/* Loads an array of objects into a freshly allocated array of `size`-byte entries, calling
 * `one` for each; checks unique ids (the first member of every entry struct is `char *id`). */
typedef void (*load_one_fn)(loader *ld, json_t *obj, const char *path, void *entry);

static void *load_list(loader *ld, json_t *arr, const char *path, size_t size, load_one_fn one,
                       int *count)
{
    *count = 0;
    size_t n = json_array_size(arr);
    if (!arr || n == 0)
        return NULL;
    char *entries = calloc(n, size);
    if (!entries)
        return NULL;
    size_t i;
    json_t *obj;
    json_array_foreach(arr, i, obj) {
        char p[PATH_LEN];
        sub_index(p, path, i);
        if (!is_object_at(ld, obj, p, "each entry"))
            continue;
        void *entry = entries + (size_t)*count * size;
        one(ld, obj, p, entry);
        *count += 1;
        const char *id = *(char **)entry;
        for (int k = 0; id && k < *count - 1; k++) {
            const char *other = *(char **)(entries + (size_t)k * size);
            if (other && !strcmp(other, id))
                problem(ld, p, "duplicate id \"%s\"", id);
        }
    }
    return entries;
}

/* A top-level list such as "scales": fetched, type-checked, then loaded with load_list. */
static void *load_top_list(loader *ld, json_t *root, const char *key, bool required, size_t size,
                           load_one_fn one, int *count)
{
    json_t *arr = get_array(ld, root, "", key, required);
    char path[PATH_LEN];
    sub(path, "", key);
    if (arr && required && json_array_size(arr) == 0)
        problem(ld, path, "\"%s\" must not be empty", key);
    return load_list(ld, arr, path, size, one, count);
}

static void load_scale_entry(loader *ld, json_t *obj, const char *path, void *entry)
{
    load_scale(ld, obj, path, entry);
}

/* ---- domains and items -------------------------------------------------------------------- */

static void load_domain_entry(loader *ld, json_t *obj, const char *path, void *entry)
{
    static const char *const keys[] = {"id", "name", NULL};
    qn_domain *d = entry;
    check_keys(ld, obj, path, keys);
    d->id = get_id(ld, obj, path, "id", true);
    get_text(ld, obj, path, "name", true, &d->name);
}

/* An ICF code (b130, d4600, e1101) or an ICF linking-rule category for what ICF does not cover:
 * nd (not definable), nd-gh (general health), nd-qol (quality of life), nc (not covered),
 * pf (personal factor). */
static bool icf_valid(const char *s)
{
    static const char *const categories[] = {"nd", "nd-gh", "nd-qol", "nd-mh", "nc", "pf", NULL};
    for (const char *const *c = categories; *c; c++)
        if (!strcmp(s, *c))
            return true;
    if (!strchr("bdes", s[0]) || !s[1])
        return false;
    for (const char *c = s + 1; *c; c++)
        if ((*c < '0' || *c > '9') && *c != '.')
            return false;
    return true;
}

static int resolve_domain(loader *ld, json_t *obj, const char *path)
{
    json_t *v = json_object_get(obj, "domain");
    if (!v)
        return -1;
    char p[PATH_LEN];
    sub(p, path, "domain");
    int d = json_is_string(v) ? qn_domain_index(ld->q, json_string_value(v)) : -1;
    if (d < 0)
        problem(ld, p, "unknown domain \"%s\"", json_is_string(v) ? json_string_value(v) : "?");
    return d;
}

static void load_show_if(loader *ld, json_t *obj, const char *path, int self, qn_cond *c)
{
    c->item = -1;
    json_t *v = json_object_get(obj, "show_if");
    if (!v)
        return;
    static const char *const keys[] = {"item", "in", NULL};
    char p[PATH_LEN];
    sub(p, path, "show_if");
    if (!is_object_at(ld, v, p, "\"show_if\""))
        return;
    check_keys(ld, v, p, keys);
    json_t *item = need(ld, v, p, "item");
    json_t *in = get_array(ld, v, p, "in", true);
    if (!item)
        return;
    const char *id = json_is_string(item) ? json_string_value(item) : "?";
    int target = qn_item_index(ld->q, id);
    if (target < 0) {
        bool later = false;
        size_t i;
        json_t *other;
        json_array_foreach(ld->items_json, i, other)
            later |= json_is_string(json_object_get(other, "id")) &&
                     !strcmp(json_string_value(json_object_get(other, "id")), id);
        problem(ld, p, later ? "\"show_if\" must name an earlier item, not \"%s\""
                             : "\"show_if\" names unknown item \"%s\"", id);
        return;
    }
    c->item = target;
    if (ld->q->items[target].scale < 0)
        return;
    size_t i;
    json_t *val;
    json_array_foreach(in, i, val) {
        if (c->n_values == QN_MAX_COND_VALUES) {
            problem(ld, p, "\"in\" lists more than %d values", QN_MAX_COND_VALUES);
            return;
        }
        if (!json_is_integer(val) || !qn_option_label(ld->q, target, (int)json_integer_value(val), 0)) {
            char vp[PATH_LEN];
            sub(vp, p, "in");
            problem(ld, vp, "\"in\" must list answer values of item \"%s\"; this one is not", id);
            return;
        }
        c->values[c->n_values++] = (int)json_integer_value(val);
    }
    if (in && c->n_values == 0)
        problem(ld, p, "\"in\" must list at least one value");
}

static void load_recode(loader *ld, json_t *obj, const char *path, qn_item *it)
{
    json_t *arr = get_array(ld, obj, path, "recode", false);
    if (!arr || it->scale < 0)
        return;
    const qn_scale *sc = &ld->q->scales[it->scale];
    char p[PATH_LEN];
    sub(p, path, "recode");
    size_t want = (size_t)(sc->max - sc->min + 1);
    if (sc->kind != QN_SCALE_SINGLE || json_array_size(arr) != want) {
        problem(ld, p, "\"recode\" needs one whole number for each value %d..%d of scale \"%s\"",
                sc->min, sc->max, sc->id ? sc->id : "?");
        return;
    }
    it->recode = calloc(want, sizeof *it->recode);
    if (!it->recode)
        return;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000)
            problem(ld, p, "\"recode\" values must be whole numbers from 0 to 1000");
        else
            it->recode[i] = (int)json_integer_value(v);
    }
    it->n_recode = (int)want;
}

static void load_item(loader *ld, json_t *obj, const char *path, int self, qn_item *it)
{
    static const char *const keys[] = {"id",     "scale",   "text",   "short",   "help",
                                       "domain", "icf",     "scored", "reverse", "recode",
                                       "show_if", "recall", NULL};
    check_keys(ld, obj, path, keys);
    it->id = get_id(ld, obj, path, "id", true);
    json_t *scale = need(ld, obj, path, "scale");
    it->scale = -1;
    if (scale) {
        char p[PATH_LEN];
        sub(p, path, "scale");
        it->scale = json_is_string(scale) ? scale_index(ld->q, json_string_value(scale)) : -1;
        if (it->scale < 0)
            problem(ld, p, "unknown scale \"%s\"", json_is_string(scale) ? json_string_value(scale) : "?");
    }
    get_text(ld, obj, path, "text", true, &it->text);
    get_text(ld, obj, path, "short", true, &it->short_text);
    get_text(ld, obj, path, "help", false, &it->help);
    it->domain = resolve_domain(ld, obj, path);
    json_t *icf = json_object_get(obj, "icf");
    if (icf && (!json_is_string(icf) || !icf_valid(json_string_value(icf)))) {
        char p[PATH_LEN];
        sub(p, path, "icf");
        problem(ld, p, "\"icf\" must be an ICF code such as \"d450\", or nd, nd-gh, nd-qol, nc, pf");
    } else if (icf) {
        it->icf = its_strdup(json_string_value(icf));
    }
    it->scored = get_bool(ld, obj, path, "scored", true);
    it->reverse = get_bool(ld, obj, path, "reverse", false);
    it->no_recall = !get_bool(ld, obj, path, "recall", true);
    load_recode(ld, obj, path, it);
    /* show_if looks items up by id: make this item visible to the lookup only afterwards. */
    ld->q->n_items = self;
    load_show_if(ld, obj, path, self, &it->show_if);
    ld->q->n_items = self + 1;
}

static void load_items(loader *ld, json_t *root)
{
    qn *q = ld->q;
    json_t *arr = get_array(ld, root, "", "items", true);
    ld->items_json = arr;
    size_t n = json_array_size(arr);
    if (!arr || n == 0) {
        if (arr)
            problem(ld, "/items", "\"items\" must not be empty");
        return;
    }
    q->items = calloc(n, sizeof *q->items);
    if (!q->items)
        return;
    size_t i;
    json_t *obj;
    json_array_foreach(arr, i, obj) {
        char p[PATH_LEN];
        sub_index(p, "/items", i);
        if (!is_object_at(ld, obj, p, "each item"))
            continue;
        int self = q->n_items;
        load_item(ld, obj, p, self, &q->items[self]);
        for (int k = 0; q->items[self].id && k < self; k++)
            if (q->items[k].id && !strcmp(q->items[k].id, q->items[self].id))
                problem(ld, p, "duplicate id \"%s\" in \"items\"", q->items[self].id);
    }
}

/* ---- scores ------------------------------------------------------------------------------- */

/* Resolves "scored" or a list of ids into item indices; NULL on problems (reported). */
static int *resolve_items(loader *ld, json_t *v, const char *path, int *n, bool scored_only)
{
    qn *q = ld->q;
    *n = 0;
    int *out = calloc((size_t)q->n_items + 1, sizeof *out);
    if (!out)
        return NULL;
    if (json_is_string(v) && !strcmp(json_string_value(v), "scored")) {
        for (int i = 0; i < q->n_items; i++)
            if (q->items[i].scored)
                out[(*n)++] = i;
        return out;
    }
    if (!json_is_array(v)) {
        problem(ld, path, "must be \"scored\" or a list of item ids");
        free(out);
        return NULL;
    }
    size_t i;
    json_t *id;
    json_array_foreach(v, i, id) {
        int k = json_is_string(id) ? qn_item_index(q, json_string_value(id)) : -1;
        char p[PATH_LEN];
        sub_index(p, path, i);
        if (k < 0)
            problem(ld, p, "unknown item \"%s\"", json_is_string(id) ? json_string_value(id) : "?");
        else if (scored_only && !q->items[k].scored)
            problem(ld, p, "item \"%s\" is not scored", json_string_value(id));
        else if (*n < q->n_items)
            out[(*n)++] = k;
    }
    return out;
}

/* False when an item's scale was refused: its problem is reported already, and any sum over
 * its maximum would only add a confusing second message. */
static bool scales_known(const qn *q, const int *items, int n)
{
    for (int i = 0; i < n; i++)
        if (q->items[items[i]].scale < 0)
            return false;
    return true;
}

static bool contains(const int *list, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (list[i] == x)
            return true;
    return false;
}

static void check_divisor(loader *ld, const qn_score *sc, const char *path, int divisor,
                          const int *na, int n_na)
{
    /* Each maximum is at most MAX_WHOLE and there may be MAX_ENTRIES items: the sum can pass
     * INT_MAX, so it is added up in 64 bits and refused beyond what a divisor can hold. */
    long long expected = 0;
    bool raw = sc->method == QN_METHOD_SUM;
    if (!scales_known(ld->q, sc->items, sc->n_items))
        return;
    for (int i = 0; i < sc->n_items; i++)
        if (!contains(na, n_na, sc->items[i]))
            expected += qn_item_max(ld->q, sc->items[i], raw);
    if (expected > MAX_WHOLE)
        problem(ld, path, "the item maxima add up to %lld, more than a divisor can be (%d): "
                "use fewer items or smaller scales", expected, MAX_WHOLE);
    else if (divisor != expected)
        problem(ld, path, "divisor %d does not equal the sum of the item maxima (%lld)", divisor, expected);
}

static void load_paths(loader *ld, json_t *obj, const char *path, qn_score *sc)
{
    json_t *arr = get_array(ld, obj, path, "paths", false);
    size_t n = json_array_size(arr);
    if (!arr || n == 0)
        return;
    sc->paths = calloc(n, sizeof *sc->paths);
    if (!sc->paths)
        return;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        static const char *const keys[] = {"name", "not_applicable", "divisor", NULL};
        char p[PATH_LEN], pp[PATH_LEN];
        sub(pp, path, "paths");
        sub_index(p, pp, i);
        if (!is_object_at(ld, o, p, "a path"))
            continue;
        check_keys(ld, o, p, keys);
        qn_path *path_def = &sc->paths[sc->n_paths++];
        path_def->name = get_id(ld, o, p, "name", true);
        json_t *na = need(ld, o, p, "not_applicable");
        char nap[PATH_LEN];
        sub(nap, p, "not_applicable");
        if (na)
            path_def->na_items = resolve_items(ld, na, nap, &path_def->n_na_items, true);
        for (int k = 0; k < path_def->n_na_items; k++)
            if (!contains(sc->items, sc->n_items, path_def->na_items[k]))
                problem(ld, nap, "item \"%s\" is not one of the score's items",
                        ld->q->items[path_def->na_items[k]].id);
        char dp[PATH_LEN];
        sub(dp, p, "divisor");
        if (need(ld, o, p, "divisor") && get_int(ld, o, p, "divisor", &path_def->divisor))
            check_divisor(ld, sc, dp, path_def->divisor, path_def->na_items, path_def->n_na_items);
    }
}

static void load_missing(loader *ld, json_t *obj, const char *path, qn_missing *m)
{
    m->max_missing = -1;
    m->max_missing_per_domain = -1;
    json_t *v = json_object_get(obj, "missing");
    if (!v)
        return;
    static const char *const keys[] = {"max_missing", "max_missing_per_domain", "min_answered",
                                       "impute", "scope", NULL};
    char p[PATH_LEN];
    sub(p, path, "missing");
    if (!is_object_at(ld, v, p, "\"missing\""))
        return;
    check_keys(ld, v, p, keys);
    get_int(ld, v, p, "max_missing", &m->max_missing);
    get_int(ld, v, p, "max_missing_per_domain", &m->max_missing_per_domain);
    if (get_number(ld, v, p, "min_answered", &m->min_answered) &&
        (m->min_answered < 0 || m->min_answered > 1))
        problem(ld, p, "\"min_answered\" is a fraction from 0 to 1");
    json_t *imp = json_object_get(v, "impute");
    if (imp && json_is_string(imp) && !strcmp(json_string_value(imp), "domain_mean"))
        m->impute = QN_IMPUTE_DOMAIN_MEAN;
    else if (imp && !(json_is_string(imp) && !strcmp(json_string_value(imp), "none")))
        problem(ld, p, "\"impute\" must be \"none\" or \"domain_mean\"");
    json_t *scope = json_object_get(v, "scope");
    if (scope && json_is_string(scope) && !strcmp(json_string_value(scope), "all"))
        m->scope_all = true;
    else if (scope && !(json_is_string(scope) && !strcmp(json_string_value(scope), "score")))
        problem(ld, p, "\"scope\" must be \"score\" or \"all\"");
}

static bool parse_method(const char *s, qn_method *m)
{
    static const struct { const char *name; qn_method m; } methods[] = {
        {"sum", QN_METHOD_SUM}, {"recode", QN_METHOD_RECODE},
        {"mean100", QN_METHOD_MEAN100}, {"item", QN_METHOD_ITEM}};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (!strcmp(s, methods[i].name)) {
            *m = methods[i].m;
            return true;
        }
    return false;
}

static void load_score_items(loader *ld, json_t *obj, const char *path, qn_score *sc)
{
    json_t *items = json_object_get(obj, "items");
    sc->domain = resolve_domain(ld, obj, path);
    char p[PATH_LEN];
    sub(p, path, "items");
    if (items && json_object_get(obj, "domain"))
        problem(ld, path, "a score has either \"items\" or \"domain\", not both");
    else if (items)
        sc->items = resolve_items(ld, items, p, &sc->n_items, true);
    else if (sc->domain >= 0) {
        sc->items = calloc((size_t)ld->q->n_items + 1, sizeof *sc->items);
        for (int i = 0; sc->items && i < ld->q->n_items; i++)
            if (ld->q->items[i].scored && ld->q->items[i].domain == sc->domain)
                sc->items[sc->n_items++] = i;
    } else if (!json_object_get(obj, "domain"))
        problem(ld, path, "a score needs \"items\" or \"domain\"");
    if (sc->items && sc->n_items == 0)
        problem(ld, path, "score \"%s\" has no scored items", sc->id ? sc->id : "?");
}

static void check_score_method(loader *ld, json_t *obj, const char *path, qn_score *sc)
{
    bool has_divisor = get_int(ld, obj, path, "divisor", &sc->divisor);
    if (sc->method == QN_METHOD_SUM || sc->method == QN_METHOD_RECODE) {
        if (!has_divisor)
            problem(ld, path, "a %s score needs a \"divisor\"",
                    sc->method == QN_METHOD_SUM ? "sum" : "recode");
        else if (sc->items) {
            char dp[PATH_LEN];
            sub(dp, path, "divisor");
            check_divisor(ld, sc, dp, sc->divisor, NULL, 0);
        }
    } else if (has_divisor) {
        problem(ld, path, "only sum and recode scores have a \"divisor\"");
    }
    if (!scales_known(ld->q, sc->items, sc->n_items))
        return;
    for (int i = 0; sc->method == QN_METHOD_RECODE && i < sc->n_items; i++)
        if (!ld->q->items[sc->items[i]].recode)
            problem(ld, path, "item \"%s\" has no \"recode\" table for a recode score",
                    ld->q->items[sc->items[i]].id);
    if (sc->method == QN_METHOD_ITEM && sc->n_items != 1)
        problem(ld, path, "an item score names exactly one item");
    for (int i = 0; i < sc->n_items; i++)
        if (ld->q->scales[ld->q->items[sc->items[i]].scale].kind == QN_SCALE_MULTI)
            problem(ld, path, "item \"%s\" has several answers and cannot be scored",
                    ld->q->items[sc->items[i]].id);
}

static void load_thresholds(loader *ld, json_t *v, const char *path, qn_expr *e);

static void load_bands(loader *ld, json_t *obj, const char *path, qn_score *sc)
{
    json_t *arr = get_array(ld, obj, path, "bands", false);
    char bp[PATH_LEN];
    sub(bp, path, "bands");
    if (json_array_size(arr) > QN_MAX_BANDS) {
        problem(ld, bp, "at most %d bands", QN_MAX_BANDS);
        return;
    }
    size_t i;
    json_t *b;
    json_array_foreach(arr, i, b) {
        static const char *const keys[] = {"at_least", "at_most", "below", "level", "label", NULL};
        static const char *const levels[] = {"none", "yellow", "red"};
        char p[PATH_LEN];
        sub_index(p, bp, i);
        if (!is_object_at(ld, b, p, "a band"))
            continue;
        check_keys(ld, b, p, keys);
        qn_band *band = &sc->bands[sc->n_bands++];
        qn_expr range = {0};
        load_thresholds(ld, b, p, &range);
        band->lo = range.lo;
        band->hi = range.hi;
        json_t *level = need(ld, b, p, "level");
        band->level = -1;
        for (int k = 0; k < 3; k++)
            if (json_is_string(level) && !strcmp(json_string_value(level), levels[k]))
                band->level = k;
        if (level && band->level < 0)
            problem(ld, p, "\"level\" must be \"none\", \"yellow\" or \"red\"");
        get_text(ld, b, p, "label", true, &band->label);
    }
}

static void load_score_entry(loader *ld, json_t *obj, const char *path, void *entry)
{
    static const char *const keys[] = {"id", "label", "method", "items", "domain", "item_set",
                                       "divisor", "paths", "higher_is_better", "missing",
                                       "bands", "change_error", NULL};
    qn_score *sc = entry;
    check_keys(ld, obj, path, keys);
    sc->id = get_id(ld, obj, path, "id", true);
    get_text(ld, obj, path, "label", true, &sc->label);
    json_t *m = need(ld, obj, path, "method");
    char p[PATH_LEN];
    sub(p, path, "method");
    if (m && (!json_is_string(m) || !parse_method(json_string_value(m), &sc->method))) {
        problem(ld, p, "\"method\" must be \"sum\", \"recode\", \"mean100\" or \"item\"");
        return;
    }
    load_score_items(ld, obj, path, sc);
    json_t *set = json_object_get(obj, "item_set");
    sc->item_set =
        json_is_string(set) ? its_strdup(json_string_value(set)) : its_strdup(sc->id ? sc->id : "");
    sc->higher_is_better = get_bool(ld, obj, path, "higher_is_better", false);
    if (get_number(ld, obj, path, "change_error", &sc->change_error) && sc->change_error < 0) {
        sub(p, path, "change_error");
        problem(ld, p, "\"change_error\" must be 0 or more");
    }
    load_missing(ld, obj, path, &sc->missing);
    load_bands(ld, obj, path, sc);
    if (!m || !sc->items)
        return;
    check_score_method(ld, obj, path, sc);
    load_paths(ld, obj, path, sc);
}

/* ---- flag rules --------------------------------------------------------------------------- */

static void load_expr(loader *ld, json_t *v, const char *path, int depth, qn_expr *e);

static int *resolve_scores(loader *ld, json_t *v, const char *path, int *n)
{
    *n = 0;
    json_t *list = v;
    json_t *single = NULL;
    if (json_is_string(v)) {
        single = json_array();
        json_array_append(single, v);
        list = single;
    }
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > MAX_ENTRIES) {
        problem(ld, path, "must name a score or a list of scores");
        return NULL;
    }
    int *out = calloc(json_array_size(list), sizeof *out);
    size_t i;
    json_t *id;
    json_array_foreach(list, i, id) {
        int k = json_is_string(id) ? qn_score_index(ld->q, json_string_value(id)) : -1;
        if (k < 0)
            problem(ld, path, "unknown score \"%s\"", json_is_string(id) ? json_string_value(id) : "?");
        else if (out)
            out[(*n)++] = k;
    }
    json_decref(single);
    return out;
}

static void load_thresholds(loader *ld, json_t *v, const char *path, qn_expr *e)
{
    e->lo = -INFINITY;
    e->hi = INFINITY;
    double x;
    if (get_number(ld, v, path, "at_least", &x))
        e->lo = x;
    if (get_number(ld, v, path, "at_most", &x))
        e->hi = e->hi_shown = x;
    if (get_number(ld, v, path, "below", &x)) {
        e->hi = nextafter(x, -INFINITY); /* below x == at most the largest double under x */
        e->hi_shown = x;
        e->hi_strict = true;
    }
    if (json_object_get(v, "at_most") && json_object_get(v, "below"))
        problem(ld, path, "use \"at_most\" or \"below\", not both");
    if (e->lo > e->hi)
        problem(ld, path, "the range is empty: the lower bound is above the upper bound");
    e->count_min = 1;
    e->count_max = MAX_ENTRIES;
    int k;
    if (get_int(ld, v, path, "count_at_least", &k))
        e->count_min = k;
    if (get_int(ld, v, path, "count_exactly", &k))
        e->count_min = e->count_max = k;
    json_t *on = json_object_get(v, "on");
    if (on && json_is_string(on) && !strcmp(json_string_value(on), "percent"))
        e->on_percent = true;
    else if (on && !(json_is_string(on) && !strcmp(json_string_value(on), "value"))) {
        char p[PATH_LEN];
        sub(p, path, "on");
        problem(ld, p, "\"on\" must be \"value\" or \"percent\"");
    }
}

/* "other_flags": true, or {"except": [rule ids]} when some rules must not count (a work-ability
 * rule that would always accompany the rule that uses other_flags). */
static void load_other_flags(loader *ld, json_t *arg, const char *path, qn_expr *e)
{
    if (json_is_true(arg))
        return;
    json_t *except = json_object_get(arg, "except");
    if (!json_is_object(arg) || json_object_size(arg) != 1 || !json_is_array(except) ||
        json_array_size(except) > MAX_ENTRIES) {
        problem(ld, path, "\"other_flags\" must be true or {\"except\": [rule ids]}");
        return;
    }
    e->refs = calloc(json_array_size(except) + 1, sizeof *e->refs);
    size_t i, k;
    json_t *id, *rule;
    json_array_foreach(except, i, id) {
        int found = -1;
        json_array_foreach(ld->rules_json, k, rule) {
            json_t *rid = json_object_get(rule, "id");
            if (json_is_string(id) && json_is_string(rid) && json_equal(id, rid))
                found = (int)k;
        }
        if (found < 0)
            problem(ld, path, "\"except\" names unknown rule \"%s\"",
                    json_is_string(id) ? json_string_value(id) : "?");
        else if (e->refs)
            e->refs[e->n_refs++] = found;
    }
}

/* The leaf forms. `form` is the key that decided the kind. */
static void load_leaf(loader *ld, json_t *v, const char *path, const char *form, qn_expr *e)
{
    static const char *const item_keys[] = {"items", "domain",         "at_least", "at_most",
                                            "below", "count_at_least", NULL};
    static const char *const score_keys[] = {"score", "at_least", "at_most", "below", "on", NULL};
    static const char *const scores_keys[] = {"scores",         "at_least",      "at_most", "below",
                                              "count_at_least", "count_exactly", "on",      NULL};
    static const char *const change_keys[] = {"change", "worse_by_at_least", "on", NULL};
    static const char *const nc_keys[] = {"not_computed", NULL};
    static const char *const other_keys[] = {"other_flags", NULL};
    char p[PATH_LEN];
    sub(p, path, form);
    json_t *arg = json_object_get(v, form);
    if (!strcmp(form, "items")) {
        e->kind = QN_EXPR_ITEMS;
        check_keys(ld, v, path, item_keys);
        e->refs = resolve_items(ld, arg, p, &e->n_refs, false);
        int d = resolve_domain(ld, v, path);
        for (int i = 0, kept = 0; d >= 0 && e->refs && i <= e->n_refs; i++) {
            if (i == e->n_refs) {
                e->n_refs = kept;
                break;
            }
            if (ld->q->items[e->refs[i]].domain == d)
                e->refs[kept++] = e->refs[i];
        }
    } else if (!strcmp(form, "score") || !strcmp(form, "scores")) {
        e->kind = form[5] ? QN_EXPR_COUNT_SCORES : QN_EXPR_SCORE;
        check_keys(ld, v, path, form[5] ? scores_keys : score_keys);
        e->refs = resolve_scores(ld, arg, p, &e->n_refs);
    } else if (!strcmp(form, "change")) {
        e->kind = QN_EXPR_CHANGE;
        check_keys(ld, v, path, change_keys);
        e->refs = resolve_scores(ld, arg, p, &e->n_refs);
    } else if (!strcmp(form, "not_computed")) {
        e->kind = QN_EXPR_NOT_COMPUTED;
        check_keys(ld, v, path, nc_keys);
        e->refs = resolve_scores(ld, arg, p, &e->n_refs);
    } else {
        e->kind = QN_EXPR_OTHER_FLAGS;
        check_keys(ld, v, path, other_keys);
        load_other_flags(ld, arg, p, e);
    }
    load_thresholds(ld, v, path, e);
    double by;
    if (e->kind == QN_EXPR_CHANGE) {
        bool given = need(ld, v, path, "worse_by_at_least") &&
                     get_number(ld, v, path, "worse_by_at_least", &by);
        if (!given || by <= 0)
            problem(ld, path, "\"change\" needs a positive \"worse_by_at_least\"");
        else
            e->lo = by;
    }
}

static void load_combination(loader *ld, json_t *v, const char *path, const char *form,
                             int depth, qn_expr *e)
{
    char p[PATH_LEN];
    sub(p, path, form);
    if (json_object_size(v) != 1)
        problem(ld, path, "\"%s\" must stand alone in its object", form);
    json_t *arg = json_object_get(v, form);
    if (!strcmp(form, "not")) {
        e->kind = QN_EXPR_NOT;
        e->kids = calloc(1, sizeof *e->kids);
        if (e->kids) {
            e->n_kids = 1;
            load_expr(ld, arg, p, depth + 1, e->kids);
        }
        return;
    }
    e->kind = !strcmp(form, "all") ? QN_EXPR_ALL : QN_EXPR_ANY;
    if (!json_is_array(arg) || json_array_size(arg) == 0 || json_array_size(arg) > 64) {
        problem(ld, p, "\"%s\" must list 1 to 64 conditions", form);
        return;
    }
    e->kids = calloc(json_array_size(arg), sizeof *e->kids);
    size_t i;
    json_t *kid;
    json_array_foreach(arg, i, kid) {
        char kp[PATH_LEN];
        sub_index(kp, p, i);
        if (e->kids)
            load_expr(ld, kid, kp, depth + 1, &e->kids[e->n_kids++]);
    }
}

static void load_expr(loader *ld, json_t *v, const char *path, int depth, qn_expr *e)
{
    static const char *const leaves[] = {"items",        "score",       "scores", "change",
                                         "not_computed", "other_flags", NULL};
    static const char *const combos[] = {"all", "any", "not", NULL};
    e->kind = QN_EXPR_ALL; /* an empty ALL is true; only used when the condition was refused */
    if (depth > MAX_EXPR_DEPTH) {
        problem(ld, path, "conditions nest deeper than %d levels", MAX_EXPR_DEPTH);
        return;
    }
    if (!is_object_at(ld, v, path, "a condition"))
        return;
    for (const char *const *f = combos; *f; f++)
        if (json_object_get(v, *f)) {
            load_combination(ld, v, path, *f, depth, e);
            return;
        }
    for (const char *const *f = leaves; *f; f++)
        if (json_object_get(v, *f)) {
            load_leaf(ld, v, path, *f, e);
            return;
        }
    problem(ld, path, "a condition needs one of: items, score, scores, change, not_computed, "
                      "other_flags, all, any, not");
}

static void load_rule_entry(loader *ld, json_t *obj, const char *path, void *entry)
{
    static const char *const keys[] = {"id", "level", "reason", "when", NULL};
    qn_rule *r = entry;
    check_keys(ld, obj, path, keys);
    r->id = get_id(ld, obj, path, "id", true);
    json_t *level = need(ld, obj, path, "level");
    const char *l = json_is_string(level) ? json_string_value(level) : "";
    if (!strcmp(l, "red"))
        r->level = QN_LEVEL_RED;
    else if (!strcmp(l, "yellow"))
        r->level = QN_LEVEL_YELLOW;
    else if (level) {
        char p[PATH_LEN];
        sub(p, path, "level");
        problem(ld, p, "\"level\" must be \"red\" or \"yellow\"");
    }
    get_text(ld, obj, path, "reason", true, &r->reason);
    json_t *when = need(ld, obj, path, "when");
    char p[PATH_LEN];
    sub(p, path, "when");
    if (when)
        load_expr(ld, when, p, 0, &r->when);
    r->uses_other_flags = qn_expr_uses(&r->when, QN_EXPR_OTHER_FLAGS);
}

/* Loads {"version": ..., "rules": [...]} found at root[key] (path "/flags" or "" for overrides). */
static void load_flags(loader *ld, json_t *flags, const char *path)
{
    static const char *const keys[] = {"version", "rules", NULL};
    if (!is_object_at(ld, flags, path[0] ? path : "/", "\"flags\""))
        return;
    check_keys(ld, flags, path, keys);
    json_t *ver = need(ld, flags, path, "version");
    if (ver && json_is_string(ver) && json_string_length(ver) > 0)
        ld->q->rules_version = its_strdup(json_string_value(ver));
    else if (ver)
        problem(ld, path, "\"version\" must be a non-empty string");
    json_t *rules = get_array(ld, flags, path, "rules", true);
    ld->rules_json = rules;
    char p[PATH_LEN];
    sub(p, path, "rules");
    ld->q->rules = load_list(ld, rules, p, sizeof(qn_rule), load_rule_entry, &ld->q->n_rules);
}

/* ---- answer checks and crisis help -------------------------------------------------------- */

/* A list of single-answer or number items for a check; multi-choice answers have no sum. */
static int *check_items(loader *ld, json_t *obj, const char *path, const char *key, int *n)
{
    char p[PATH_LEN];
    sub(p, path, key);
    int *items = resolve_items(ld, json_object_get(obj, key), p, n, false);
    for (int i = 0; items && i < *n; i++)
        if (ld->q->items[items[i]].scale >= 0 &&
            ld->q->scales[ld->q->items[items[i]].scale].kind == QN_SCALE_MULTI)
            problem(ld, p, "item \"%s\" has several answers and cannot be added up",
                    ld->q->items[items[i]].id);
    if (items && *n == 0)
        problem(ld, p, "\"%s\" must name at least one item", key);
    return items;
}

static void load_check_entry(loader *ld, json_t *obj, const char *path, void *entry)
{
    static const char *const keys[] = {"id", "sum", "at_most", "than", "text", "short", NULL};
    qn_check *c = entry;
    check_keys(ld, obj, path, keys);
    c->id = get_id(ld, obj, path, "id", true);
    if (need(ld, obj, path, "sum"))
        c->items = check_items(ld, obj, path, "sum", &c->n_items);
    bool limit = json_object_get(obj, "at_most") != NULL, than = json_object_get(obj, "than") != NULL;
    if (limit == than)
        problem(ld, path, "a check needs exactly one of \"at_most\" (a number) or \"than\" (items)");
    else if (limit)
        get_int(ld, obj, path, "at_most", &c->at_most);
    else
        c->than = check_items(ld, obj, path, "than", &c->n_than);
    get_text(ld, obj, path, "text", true, &c->text);
    get_text(ld, obj, path, "short", true, &c->short_text);
}

/* "crisis_help": {"when": condition, "text": words}. The condition is judged on the answers and
 * scores of this assessment alone, so it may not compare with last time or with other flags. */
static void load_crisis(loader *ld, json_t *v)
{
    static const char *const keys[] = {"when", "text", NULL};
    if (!is_object_at(ld, v, "/crisis_help", "\"crisis_help\""))
        return;
    check_keys(ld, v, "/crisis_help", keys);
    get_text(ld, v, "/crisis_help", "text", true, &ld->q->crisis_text);
    json_t *when = need(ld, v, "/crisis_help", "when");
    if (!when)
        return;
    load_expr(ld, when, "/crisis_help/when", 0, &ld->q->crisis_when);
    if (qn_expr_uses(&ld->q->crisis_when, QN_EXPR_CHANGE) ||
        qn_expr_uses(&ld->q->crisis_when, QN_EXPR_OTHER_FLAGS))
        problem(ld, "/crisis_help/when", "the crisis condition may not use \"change\" or \"other_flags\"");
    ld->q->has_crisis = true;
}

/* ---- entry points ------------------------------------------------------------------------- */

static json_t *parse(loader *ld, const char *json, size_t len)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        ld->problems++;
        if (ld->report && ld->report->n == ld->report->cap) {
            qn_problem *bigger = realloc(ld->report->problems, 16 * sizeof *bigger);
            if (!bigger)
                return NULL;
            ld->report->problems = bigger;
            ld->report->cap = 16;
        }
        if (ld->report) {
            qn_problem *p = &ld->report->problems[ld->report->n++];
            p->line = jerr.line > 0 ? jerr.line : 1;
            p->column = jerr.column > 0 ? jerr.column : 1;
            snprintf(p->msg, sizeof p->msg, "malformed JSON: %s", its_json_reason(&jerr));
        }
        return NULL;
    }
    if (!json_is_object(root)) {
        problem(ld, "", "a questionnaire file must hold one JSON object");
        json_decref(root);
        return NULL;
    }
    return root;
}

static void load_all(loader *ld, json_t *root)
{
    qn *q = ld->q;
    load_header(ld, root);
    if (q->n_langs == 0)
        return; /* every text check would only repeat the same problem */
    q->scales =
        load_top_list(ld, root, "scales", true, sizeof(qn_scale), load_scale_entry, &q->n_scales);
    q->domains = load_top_list(ld, root, "domains", false, sizeof(qn_domain), load_domain_entry,
                               &q->n_domains);
    load_items(ld, root);
    q->scores = load_top_list(ld, root, "scores", false, sizeof(qn_score), load_score_entry, &q->n_scores);
    json_t *flags = json_object_get(root, "flags");
    if (flags)
        load_flags(ld, flags, "/flags");
    q->checks = load_top_list(ld, root, "checks", false, sizeof(qn_check), load_check_entry, &q->n_checks);
    json_t *crisis = json_object_get(root, "crisis_help");
    if (crisis)
        load_crisis(ld, crisis);
}

qn *qn_load_buffer(const char *name, const char *json, size_t len, qn_report *report)
{
    loader ld = {.name = name, .report = report};
    qn *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    ld.q = q;
    q->path = its_strdup(name);
    json_t *root = parse(&ld, json, len);
    if (root) {
        if (jpos_build(&ld.pos, json, len) == 0)
            load_all(&ld, root);
        else
            problem(&ld, "", "out of memory");
        json_decref(root);
    }
    jpos_free(&ld.pos);
    if (ld.problems) {
        qn_free(q);
        return NULL;
    }
    return q;
}

qn *qn_load(const char *path, qn_report *report)
{
    its_err err;
    size_t len;
    char *text = its_read_file(path, &len, &err);
    if (!text) {
        if (report && report->cap == 0 && (report->problems = calloc(1, sizeof *report->problems))) {
            report->cap = 1;
            report->n = 1;
            report->problems[0].line = report->problems[0].column = 1;
            /* the report is printed as "path:1:1: ...": drop the path its_read_file put first */
            size_t n = strlen(path);
            const char *msg = strncmp(err.msg, path, n) == 0 && err.msg[n] == ':' ? err.msg + n + 2 : err.msg;
            its_strlcpy(report->problems[0].msg, msg, sizeof report->problems[0].msg);
        }
        return NULL;
    }
    qn *q = qn_load_buffer(path, text, len, report);
    free(text);
    return q;
}

int qn_load_rules_override(qn *q, const char *path, qn_report *report)
{
    its_err err;
    size_t len;
    char *text = its_read_file(path, &len, &err);
    loader ld = {.name = path, .report = report, .q = q};
    if (!text) {
        problem(&ld, "", "%s", err.msg);
        return -1;
    }
    json_t *root = parse(&ld, text, len);
    if (root && jpos_build(&ld.pos, text, len) == 0) {
        qn_free_rules(q);
        load_flags(&ld, root, "");
    }
    json_decref(root);
    jpos_free(&ld.pos);
    free(text);
    return ld.problems ? -1 : 0;
}
