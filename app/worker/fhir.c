/* fhir.c — FHIR R4 export: one Bundle (type "collection") holding a Questionnaire per
 * questionnaire file, and per assessment a QuestionnaireResponse with one score Observation per
 * score and one flag-level Observation, each pointing to the response with derivedFrom
 * (export.h; the shape is in docs/export-formats.md).
 *
 * The bundle is written entry by entry, so exporting 10,000 assessments keeps one entry in
 * memory at a time. Entry fullUrls are urn:uuid: the record id for a response, and name-based
 * UUIDs (BLAKE2b of record id + score id) for the rest, so the same export gives the same ids. */
#include "export.h"
#include "worker_detail.h"
#include "worker_int.h"
#include "worker_note.h"
#include "flags.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FHIR_BASE "urn:itsearvio:"
#define DAR_SYSTEM "http://terminology.hl7.org/CodeSystem/data-absent-reason"
#define DAR_EXTENSION "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
#define CATEGORY_SYSTEM "http://terminology.hl7.org/CodeSystem/observation-category"

/* A name-based UUID (version 5 layout, BLAKE2b instead of SHA-1) for a and b. */
static void name_uuid(char out[37], const char *a, const char *b)
{
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, (const unsigned char *)"itsearvio-fhir", 14, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)a, strlen(a) + 1);
    crypto_generichash_update(&st, (const unsigned char *)b, strlen(b) + 1);
    crypto_generichash_final(&st, h, sizeof h);
    h[6] = (unsigned char)((h[6] & 0x0F) | 0x50);
    h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* The canonical URL of a questionnaire: urn:itsearvio:questionnaire:ID. */
static void qn_url(char *dst, size_t n, const char *qid)
{
    snprintf(dst, n, FHIR_BASE "questionnaire:%s", qid);
}

static void scale_system(char *dst, size_t n, const qn *q, const qn_scale *sc)
{
    snprintf(dst, n, FHIR_BASE "scale:%s:%s", q->id, sc->id);
}

/* A FHIR id: letters, digits, '-' and '.', at most 64. */
static void fhir_id(char *dst, size_t n, const char *a, const char *b)
{
    snprintf(dst, n, "%s-%s", a, b);
    for (char *p = dst; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '.'))
            *p = '-';
    if (strlen(dst) > 64)
        dst[64] = '\0';
}

static json_t *coding(const char *system, const char *code, const char *display)
{
    json_t *c = json_pack("{s:s, s:s}", "system", system, "code", code);
    if (display && *display)
        json_object_set_new(c, "display", json_string(display));
    return c;
}

static json_t *option_coding(const qn *q, const qn_scale *sc, int k, int lang)
{
    char system[200], code[16];
    scale_system(system, sizeof system, q, sc);
    snprintf(code, sizeof code, "%d", sc->options[k].value);
    return coding(system, code, qn_text_get(&sc->options[k].label, lang));
}

/* ---- Questionnaire ----------------------------------------------------------------------- */

static json_t *enable_when(const qn *q, const qn_item *it, int lang)
{
    json_t *arr = json_array();
    const qn_item *gate = &q->items[it->show_if.item];
    const qn_scale *sc = &q->scales[gate->scale];
    for (int v = 0; v < it->show_if.n_values; v++) {
        json_t *w = json_pack("{s:s, s:s}", "question", gate->id, "operator", "=");
        if (sc->kind == QN_SCALE_NUMBER) {
            json_object_set_new(w, "answerInteger", json_integer(it->show_if.values[v]));
        } else {
            for (int k = 0; k < sc->n_options; k++)
                if (sc->options[k].value == it->show_if.values[v])
                    json_object_set_new(w, "answerCoding", option_coding(q, sc, k, lang));
        }
        json_array_append_new(arr, w);
    }
    return arr;
}

static json_t *question_item(const qn *q, const qn_item *it, int lang)
{
    const qn_scale *sc = &q->scales[it->scale];
    json_t *o = json_pack("{s:s, s:s}", "linkId", it->id, "text", qn_text_get(&it->text, lang));
    if (it->icf)
        json_object_set_new(
            o, "code",
            json_pack("[o]", coding("http://hl7.org/fhir/sid/icf", it->icf, NULL)));
    json_object_set_new(o, "type", json_string(sc->kind == QN_SCALE_NUMBER ? "integer" : "choice"));
    if (sc->kind == QN_SCALE_MULTI)
        json_object_set_new(o, "repeats", json_true());
    if (it->show_if.item >= 0) {
        json_object_set_new(o, "enableWhen", enable_when(q, it, lang));
        if (it->show_if.n_values > 1)
            json_object_set_new(o, "enableBehavior", json_string("any"));
    }
    if (sc->kind != QN_SCALE_NUMBER) {
        json_t *opts = json_array();
        for (int k = 0; k < sc->n_options; k++)
            json_array_append_new(opts,
                                  json_pack("{s:o}", "valueCoding", option_coding(q, sc, k, lang)));
        json_object_set_new(o, "answerOption", opts);
    }
    return o;
}

/* Items in file order; consecutive items of one domain go into a group "domain-ID". The `make`
 * callback builds one question (Questionnaire) or one answered item (response; NULL to leave
 * it out). A group that ends up empty is left out. Only a Questionnaire's item has a `type`
 * ("group"): R4's QuestionnaireResponse.item has linkId, definition, text, answer and item. */
static json_t *grouped_items(const qn *q, int lang, bool typed,
                             json_t *(*make)(const qn *, int, int, void *), void *ctx)
{
    json_t *top = json_array(), *group = NULL;
    int group_domain = -1, seen[64] = {0};
    for (int i = 0; i < q->n_items; i++) {
        const qn_item *it = &q->items[i];
        json_t *x = make(q, i, lang, ctx);
        if (it->domain < 0) {
            group_domain = -1;
            if (x)
                json_array_append_new(top, x);
            continue;
        }
        if (it->domain != group_domain) {
            const qn_domain *d = &q->domains[it->domain];
            char
                link[96]; /* a domain split by other items gets "domain-ID-2" for its second part */
            int part = it->domain < 64 ? ++seen[it->domain] : 1;
            if (part > 1)
                snprintf(link, sizeof link, "domain-%s-%d", d->id, part);
            else
                snprintf(link, sizeof link, "domain-%s", d->id);
            group = json_pack("{s:s, s:s, s:[]}", "linkId", link, "text",
                              qn_text_get(&d->name, lang), "item");
            if (typed)
                json_object_set_new(group, "type", json_string("group"));
            json_array_append_new(top, group);
            group_domain = it->domain;
        }
        if (x)
            json_array_append_new(json_object_get(group, "item"), x);
    }
    /* Drop empty groups (a response without answers in a domain); only groups hold "item". */
    for (size_t k = json_array_size(top); k-- > 0;) {
        json_t *g = json_array_get(top, k);
        json_t *kids = json_object_get(g, "item");
        if (kids && json_array_size(kids) == 0)
            json_array_remove(top, k);
    }
    return top;
}

static json_t *make_question(const qn *q, int i, int lang, void *ctx)
{
    return question_item(q, &q->items[i], lang);
}

static json_t *questionnaire_resource(const qn *q, int lang)
{
    char url[200], id[80], name[80];
    qn_url(url, sizeof url, q->id);
    fhir_id(id, sizeof id, q->id, q->version);
    /* A computable name: letters and digits only, starting with a capital letter. */
    size_t k = 0;
    for (const char *p = q->id; *p && k + 1 < sizeof name; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
            name[k] = k == 0 && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
            k++;
        }
    name[k] = '\0';
    json_t *r =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "resourceType", "Questionnaire", "id",
                  id, "language", q->langs[lang], "url", url, "version", q->version, "name", name,
                  "title", qn_text_get(&q->title, lang), "status", "active");
    json_object_set_new(r, "subjectType", json_pack("[s]", "Patient"));
    if (*qn_text_get(&q->intro, lang))
        json_object_set_new(r, "description", json_string(qn_text_get(&q->intro, lang)));
    json_object_set_new(r, "item", grouped_items(q, lang, true, make_question, NULL));
    return r;
}

/* ---- QuestionnaireResponse ------------------------------------------------------------------ */

static json_t *make_answer(const qn *q, int i, int lang, void *ctx)
{
    const worker_detail *d = ctx;
    const worker_answer *a = &d->answers[i];
    const qn_item *it = &q->items[i];
    const qn_scale *sc = &q->scales[it->scale];
    if (a->kind == WORKER_ANS_MISSING || a->kind == WORKER_ANS_SKIPPED)
        return NULL; /* not answered, or not asked: not in the response */
    /* The question text is in the Questionnaire; repeating it in every response would triple the
     * size of a large export. */
    json_t *o = json_pack("{s:s}", "linkId", it->id);
    if (a->kind == WORKER_ANS_REFUSED || a->kind == WORKER_ANS_NA) {
        /* No answer; why, with the core data-absent-reason extension. */
        json_object_set_new(
            o, "extension",
            json_pack("[{s:s, s:s}]", "url", DAR_EXTENSION, "valueCode",
                      a->kind == WORKER_ANS_REFUSED ? "asked-declined" : "not-applicable"));
        return o;
    }
    json_t *answers = json_array();
    if (sc->kind == QN_SCALE_NUMBER)
        json_array_append_new(answers, json_pack("{s:i}", "valueInteger", a->value));
    for (int k = 0; sc->kind != QN_SCALE_NUMBER && k < sc->n_options; k++) {
        bool chosen = sc->kind == QN_SCALE_MULTI ? ((unsigned)a->value & (1u << k)) != 0
                                                 : sc->options[k].value == a->value;
        if (chosen)
            json_array_append_new(answers,
                                  json_pack("{s:o}", "valueCoding", option_coding(q, sc, k, lang)));
    }
    json_object_set_new(o, "answer", answers);
    return o;
}

static json_t *subject(const worker_entry *e)
{
    return json_pack("{s:{s:s, s:s}}", "identifier", "system", FHIR_BASE "client-code", "value",
                     e->client);
}

static json_t *response_resource(const worker_detail *d)
{
    const worker_entry *e = d->entry;
    char canonical[240];
    qn_url(canonical, sizeof canonical, d->q->id);
    its_appendf(canonical, sizeof canonical, "|%s", d->q->version);
    json_t *r =
        json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:s}", "resourceType", "QuestionnaireResponse",
                  "id", e->id, "identifier", "system", FHIR_BASE "record", "value", e->id,
                  "questionnaire", canonical, "status", "completed");
    if (e->client[0])
        json_object_set_new(r, "subject", subject(e));
    if (d->completed)
        json_object_set_new(r, "authored", json_string(d->completed));
    json_object_set_new(r, "language", json_string(d->q->langs[d->lang])); /* of the texts */
    if (d->assisted_by) /* interviewer-assisted: the worker who entered the answers */
        json_object_set_new(r, "author",
                            json_pack("{s:s, s:{s:s, s:s}, s:s}", "type", "Practitioner",
                                      "identifier", "system", FHIR_BASE "worker-key", "value",
                                      d->assisted_by, "display", "interviewer (worker key)"));
    json_object_set_new(r, "item", grouped_items(d->q, d->lang, false, make_answer, (void *)d));
    return r;
}

/* ---- Observations ---------------------------------------------------------------------------- */

static json_t *observation_base(const worker_detail *d, const char *system, const char *code,
                                const char *label)
{
    char ref[64];
    snprintf(ref, sizeof ref, "urn:uuid:%s", d->entry->id);
    json_t *o = json_pack("{s:s, s:s, s:[{s:[o]}], s:{s:[o], s:s}}", "resourceType", "Observation",
                          "status", "final", "category", "coding",
                          coding(CATEGORY_SYSTEM, "survey", "Survey"), "code", "coding",
                          coding(system, code, label), "text", label);
    if (d->entry->client[0])
        json_object_set_new(o, "subject", subject(d->entry));
    if (d->completed)
        json_object_set_new(o, "effectiveDateTime", json_string(d->completed));
    json_object_set_new(
        o, "derivedFrom",
        json_pack("[{s:s, s:s}]", "reference", ref, "type", "QuestionnaireResponse"));
    return o;
}

static json_t *score_observation(const worker_detail *d, const worker_score *s)
{
    char system[160];
    snprintf(system, sizeof system, FHIR_BASE "score:%s", d->q->id);
    json_t *o = observation_base(d, system, s->id, s->label);
    if (s->ok) {
        bool sum = s->method && !strcmp(s->method, "sum");
        json_object_set_new(o, "valueQuantity",
                            json_pack("{s:f, s:s, s:s, s:s}", "value", s->value, "unit",
                                      sum ? "points" : "score", "system",
                                      "http://unitsofmeasure.org", "code", "{score}"));
        char note[400];
        snprintf(note, sizeof note, "Method %s, item set %s%s%s.", s->method ? s->method : "?",
                 s->item_set ? s->item_set : "?", s->imputed[0] ? ", imputed: " : "", s->imputed);
        json_object_set_new(o, "note", json_pack("[{s:s}]", "text", note));
        if (s->method)
            json_object_set_new(o, "method", json_pack("{s:s}", "text", s->method));
        if (sum)
            json_object_set_new(
                o, "referenceRange",
                json_pack("[{s:{s:i}, s:{s:f}}]", "low", "value", 0, "high", "value", s->max));
    } else {
        bool na = s->status && !strcmp(s->status, "not_applicable");
        json_object_set_new(o, "dataAbsentReason",
                            json_pack("{s:[o], s:s}", "coding",
                                      coding(DAR_SYSTEM, na ? "not-applicable" : "unknown", NULL),
                                      "text",
                                      s->reason[0] ? s->reason
                                      : s->status ? s->status
                                                  : ""));
    }
    return o;
}

static json_t *level_observation(const worker_detail *d)
{
    json_t *o = observation_base(d, FHIR_BASE "observation", "flag-level", "Flag level");
    const char *level = flags_level_name(d->level);
    json_object_set_new(o, "valueCodeableConcept",
                        json_pack("{s:[o], s:s}", "coding",
                                  coding(FHIR_BASE "flag-level", level, level), "text", level));
    json_t *notes = json_array();
    for (int i = 0; i < d->n_flags; i++) {
        char text[1024 + 400];
        snprintf(text, sizeof text, "%s (%s): %s %s", d->flags[i].rule,
                 flags_level_name(d->flags[i].level), d->flags[i].reason, d->flags[i].detail);
        json_array_append_new(notes, json_pack("{s:s}", "text", text));
    }
    if (json_array_size(notes))
        json_object_set_new(o, "note", notes);
    else
        json_decref(notes);
    return o;
}

/* The research consent of the record as a Consent (scope research; yes: active permit, no:
 * active deny, withdrawn: inactive, its period ending on the day); NULL when not asked. */
static json_t *consent_resource(worker_session *ws, const worker_detail *d)
{
    worker_consent c;
    char date[11], ref[64];
    its_err why;
    if (worker_consent_read(ws, d->entry->id, d->research, &c, date, &why) != 0 ||
        c == WORKER_CONSENT_NOT_ASKED)
        return NULL;
    snprintf(ref, sizeof ref, "urn:uuid:%s", d->entry->id);
    bool yes = c != WORKER_CONSENT_NO;
    json_t *o = json_pack(
        "{s:s, s:s, s:{s:[o]}, s:[{s:[o]}], s:{s:[o]}, s:{s:s, s:s}, s:{s:s, s:[o]}}",
        "resourceType", "Consent", "status", c == WORKER_CONSENT_WITHDRAWN ? "inactive" : "active",
        "scope", "coding",
        coding("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research"),
        "category", "coding",
        coding("http://terminology.hl7.org/CodeSystem/consentcategorycodes", "research", "Research"),
        "policyRule", "coding",
        coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", yes ? "OPTIN" : "OPTOUT", NULL),
        "sourceReference", "reference", ref, "type", "QuestionnaireResponse", "provision", "type",
        yes ? "permit" : "deny", "purpose",
        coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH", "healthcare research"));
    if (d->entry->client[0])
        json_object_set_new(o, "patient", subject(d->entry));
    if (d->completed)
        json_object_set_new(o, "dateTime", json_string(d->completed));
    if (c == WORKER_CONSENT_WITHDRAWN && date[0])
        json_object_set_new(json_object_get(o, "provision"), "period", json_pack("{s:s}", "end", date));
    return o;
}

/* ---- the bundle ---------------------------------------------------------------------------- */

/* Appends one entry to out: dumped token by token into the wiping buffer (json_dumps would grow
 * a text of its own and free its smaller copies unwiped). */
static void write_entry(export_buf *out, bool *first, const char *full_url, json_t *resource)
{
    json_t *e = json_pack("{s:s, s:o}", "fullUrl", full_url, "resource", resource);
    export_buf_append(out, *first ? "\n" : ",\n", *first ? 1 : 2);
    *first = false;
    json_dump_callback(e, export_buf_json, out, JSON_COMPACT);
    worker_doc_wipe(e);
}

static void write_record(export_buf *out, bool *first, worker_session *ws, const worker_detail *d)
{
    char url[64], uuid[37];
    snprintf(url, sizeof url, "urn:uuid:%s", d->entry->id);
    write_entry(out, first, url, response_resource(d));
    for (int i = 0; i < d->n_scores; i++) {
        name_uuid(uuid, d->entry->id, d->scores[i].id);
        snprintf(url, sizeof url, "urn:uuid:%s", uuid);
        write_entry(out, first, url, score_observation(d, &d->scores[i]));
    }
    name_uuid(uuid, d->entry->id, "flag-level");
    snprintf(url, sizeof url, "urn:uuid:%s", uuid);
    write_entry(out, first, url, level_observation(d));
    json_t *consent = consent_resource(ws, d);
    if (consent) {
        name_uuid(uuid, d->entry->id, "consent");
        snprintf(url, sizeof url, "urn:uuid:%s", uuid);
        write_entry(out, first, url, consent);
    }
}

typedef struct fhir_chunk {
    const int *rows;
    int first, n;            /* rows[first .. first + n - 1] */
    export_buf text[128];    /* each record's entries; no text when it is left out */
} fhir_chunk;

/* A thread's share of a chunk: every step-th record into its own text. */
static void fhir_slice(worker_session *ws, int first, int step, void *ctx)
{
    fhir_chunk *c = ctx;
    for (int k = first; k < c->n; k += step) {
        worker_detail d;
        its_err why;
        int row = c->rows[c->first + k];
        const worker_entry *e = worker_entry_at(ws, row);
        /* Without its questionnaire file a record cannot be described in FHIR: left out. */
        if (!e || !worker_session_qn(ws, e) || worker_detail_load(ws, row, &d, &why) != 0)
            continue;
        bool not_first = false;
        write_record(&c->text[k], &not_first, ws, &d);
        if (c->text[k].failed) /* out of memory: left out rather than cut short */
            export_buf_wipe(&c->text[k]);
        worker_detail_free(&d);
    }
}

int export_fhir(worker_session *ws, const int *rows, int n, FILE *out, int *skipped, its_err *err)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(out,
            "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"timestamp\":\"%s\",\"entry\":[",
            stamp);
    bool first = true, written[WORKER_MAX_QNS] = {false};
    for (int r = 0; r < n; r++) { /* the questionnaires first, once each */
        const worker_entry *e = worker_entry_at(ws, rows[r]);
        const qn *q = e && e->status == WORKER_ENTRY_OK ? worker_session_qn(ws, e) : NULL;
        if (!q || written[e->qn])
            continue;
        written[e->qn] = true;
        char uuid[37], url[64];
        name_uuid(uuid, q->id, q->version);
        snprintf(url, sizeof url, "urn:uuid:%s", uuid);
        export_buf text = {0};
        write_entry(&text, &first, url, questionnaire_resource(q, worker_session_lang(ws, q)));
        if (text.text)
            fputs(text.text, out);
        export_buf_wipe(&text);
    }
    /* Records are opened and turned into FHIR in parallel, a chunk at a time, each into its own
     * text, and written in order. */
    enum { CHUNK = 128 };
    fhir_chunk c = {.rows = rows};
    for (c.first = 0; c.first < n && !ferror(out); c.first += CHUNK) {
        c.n = n - c.first < CHUNK ? n - c.first : CHUNK;
        memset(c.text, 0, sizeof c.text);
        worker_parallel(ws, c.n, fhir_slice, &c);
        for (int k = 0; k < c.n; k++) {
            if (!c.text[k].text) {
                (*skipped)++;
                continue;
            }
            /* each text starts ",\n" (fhir_slice); the bundle's first entry has no comma */
            fputs(c.text[k].text + (first ? 1 : 0), out);
            first = false;
            export_buf_wipe(&c.text[k]);
        }
    }
    fputs("\n]}\n", out);
    return 0;
}
