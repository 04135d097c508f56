/* detail.c — one assessment in words (worker_detail.h). */
#include "worker_detail.h"
#include "worker_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answercheck.h"
#include "evidence.h"
#include "flags.h"
#include "result.h"
#include "session.h"

void worker_score_words(const worker_session *ws, const worker_score *s, char *dst, size_t n)
{
    bool percent = s->method && !strcmp(s->method, "sum") && s->max > 10.0; /* 6/8 needs none */
    words_score(ws->words, ws->lang, dst, n, s->value, s->max,
                percent ? WORDS_SCORE_PERCENT : WORDS_SCORE_PLAIN);
}

const char *worker_method_word(const worker_session *ws, const char *method)
{
    static const char *const known[][2] = {{"sum", "wk_method_sum"},
                                           {"recode", "wk_method_recode"},
                                           {"mean100", "wk_method_mean100"},
                                           {"item", "wk_method_item"}};
    for (size_t i = 0; method && i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(method, known[i][0]))
            return worker_word(ws, known[i][1]);
    return method ? method : "?";
}

const char *worker_answer_kind_word(const worker_session *ws, worker_answer_kind k)
{
    static const char *const keys[] = {"", "ans_missing", "ans_refused", "ans_na", "ans_skipped"};
    return k == WORKER_ANS_VALUE ? "" : worker_word(ws, keys[k]);
}

/* The flags in the reader's words: evidence stored as data is worded in the worker's language,
 * and the rule's reason taken from the questionnaire when the record was judged by the same rules
 * version. Records from before evidence was data keep their stored words (the client's
 * language). Every reader (detail, show, exports) opens records here, so all agree. */
static void word_flags(const worker_session *ws, const worker_entry *e, json_t *doc)
{
    const qn *q = worker_session_qn(ws, e);
    if (!q)
        return;
    int lang = worker_session_lang(ws, q);
    const char *rules = json_string_value(
        json_object_get(json_object_get(doc, "questionnaire"), "rules_version"));
    bool same_rules = rules && q->rules_version && !strcmp(rules, q->rules_version);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "flags"), i, f) {
        json_t *evidence = json_object_get(f, "evidence");
        if (json_is_array(evidence)) {
            char words[1024];
            evidence_words(ws->words, q, evidence, lang, words, sizeof words);
            json_object_set_new(f, "detail", json_string(words));
        }
        const char *rule = json_string_value(json_object_get(f, "rule"));
        for (int r = 0; same_rules && rule && r < q->n_rules; r++)
            if (!strcmp(q->rules[r].id, rule))
                json_object_set_new(f, "reason", json_string(qn_text_get(&q->rules[r].reason, lang)));
    }
}

/* Opens and parses one record; the decrypted bytes are wiped before returning. */
int worker_open_doc(worker_session *ws, const worker_entry *e, json_t **doc, its_err *err)
{
    *doc = NULL;
    if (e->status != WORKER_ENTRY_OK) { /* altered, forged, unsigned, missing, or not for this
                                          * worker's keys: the reader is told which */
        bool damaged = e->error_code <= ITS_E_OTHER || e->error_code == ITS_E_DAMAGED;
        const char *key = e->status == WORKER_ENTRY_MISSING ? "err_record_missing"
                          : damaged                         ? "err_record_damaged"
                                                            : NULL;
        return its_fail_key(err, damaged ? ITS_E_DAMAGED : e->error_code, key, e->id, "%s",
                            e->error ? e->error : "The record could not be opened.");
    }
    unsigned char *payload = NULL;
    size_t len = 0;
    if (store_open_record(ws->store, ws->key, e->id, &payload, &len, err) != 0)
        return -1;
    json_error_t jerr;
    *doc = json_loadb((const char *)payload, len, 0, &jerr);
    store_payload_free(payload, len);
    if (!json_is_object(*doc)) {
        json_decref(*doc);
        *doc = NULL;
        return its_fail(err, "Record %s opened but does not hold a result.", e->id);
    }
    /* Show the flags as the list does: evaluated against the client's previous assessment. */
    if (e->prev >= 0 && worker_reflag_doc(ws, e, *doc, err) != 0) {
        worker_doc_wipe(*doc);
        *doc = NULL;
        return -1;
    }
    word_flags(ws, e, *doc);
    return 0;
}

static void answer_words(const worker_session *ws, const qn *q, int item, qn_answer a, int lang,
                         worker_answer *w)
{
    const qn_scale *sc = &q->scales[q->items[item].scale];
    w->words[0] = '\0';
    if (a.state != QN_ANS_VALUE) {
        w->kind = a.state == QN_ANS_REFUSED ? WORKER_ANS_REFUSED
                  : a.state == QN_ANS_NA    ? WORKER_ANS_NA
                                            : WORKER_ANS_MISSING;
        const char *na = qn_text_get(&sc->na_label, lang);
        its_strlcpy(w->words,
                    w->kind == WORKER_ANS_NA && sc->allow_na && *na
                        ? na
                        : worker_answer_kind_word(ws, w->kind),
                    sizeof w->words);
        return;
    }
    w->kind = WORKER_ANS_VALUE;
    w->value = a.value;
    if (sc->kind == QN_SCALE_NUMBER) {
        const char *unit = qn_text_get(&sc->unit, lang);
        snprintf(w->words, sizeof w->words, "%d%s%s", a.value, *unit ? " " : "", unit);
    } else if (sc->kind == QN_SCALE_MULTI) {
        for (int k = 0; k < sc->n_options; k++)
            if ((unsigned)a.value & (1u << k))
                its_appendf(w->words, sizeof w->words, "%s%s", w->words[0] ? "; " : "",
                            qn_text_get(&sc->options[k].label, lang));
    } else {
        const char *label = qn_option_label(q, item, a.value, lang);
        if (label)
            snprintf(w->words, sizeof w->words, "%s (%d)", label, a.value);
        else
            snprintf(w->words, sizeof w->words, "%d", a.value);
    }
}

/* Answers in questionnaire order, through a session so skipped questions show as not asked. */
static int describe_answers(worker_session *ws, worker_detail *d, json_t *answers, its_err *err)
{
    const qn *q = d->q;
    qn_session s;
    its_err why;
    if (session_init(&s, q, err) != 0)
        return -1;
    if (session_from_json(&s, answers, &why) != 0) {
        session_wipe(&s);
        return its_fail(err, "Record %s does not fit questionnaire %s %s: %s", d->entry->id, q->id,
                        q->version, why.msg);
    }
    d->answers = calloc((size_t)q->n_items, sizeof *d->answers);
    if (!d->answers) {
        session_wipe(&s);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    }
    for (int i = 0; i < q->n_items; i++) {
        worker_answer *w = &d->answers[d->n_answers++];
        const qn_item *it = &q->items[i];
        w->item = i;
        w->id = it->id;
        w->text = qn_text_get(&it->text, d->lang);
        w->short_text = qn_text_get(&it->short_text, d->lang);
        w->domain = it->domain >= 0 ? qn_text_get(&q->domains[it->domain].name, d->lang) : NULL;
        w->scored = it->scored;
        w->number = q->scales[it->scale].kind == QN_SCALE_NUMBER;
        if (!session_is_shown(&s, i)) {
            w->kind = WORKER_ANS_SKIPPED;
            its_strlcpy(w->words, worker_answer_kind_word(ws, w->kind), sizeof w->words);
        } else {
            answer_words(ws, q, i, s.answers[i], d->lang, w);
        }
    }
    answercheck_hit hits[WORKER_DETAIL_CHECKS];
    d->n_checks = answercheck_run(&s, hits, WORKER_DETAIL_CHECKS);
    for (int i = 0; i < d->n_checks; i++)
        answercheck_words(q, &hits[i], d->lang, d->checks[i], sizeof d->checks[i]);
    score_value *scores = q->has_crisis ? calloc((size_t)q->n_scores + 1, sizeof *scores) : NULL;
    if (scores) { /* the same answers give the same decision the kiosk made */
        score_all(&s, scores);
        d->crisis_help = flags_crisis_help(&s, scores);
        free(scores);
    }
    session_wipe(&s);
    return 0;
}

/* Without the questionnaire file: the stored answers as they are. */
static int describe_raw_answers(worker_detail *d, json_t *answers, its_err *err)
{
    d->answers = calloc(json_object_size(answers) + 1, sizeof *d->answers);
    if (!d->answers)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    const char *id;
    json_t *v;
    json_object_foreach(answers, id, v)
    {
        worker_answer *w = &d->answers[d->n_answers++];
        w->item = -1;
        w->id = w->text = w->short_text = id;
        w->kind = WORKER_ANS_VALUE;
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        its_strlcpy(w->words, s ? s : "?", sizeof w->words);
        free(s);
    }
    return 0;
}

static void describe_scores(const worker_session *ws, worker_detail *d, json_t *scores)
{
    d->scores = calloc(json_object_size(scores) + 1, sizeof *d->scores);
    if (!d->scores)
        return;
    const char *id;
    json_t *v;
    json_object_foreach(scores, id, v)
    {
        worker_score *sc = &d->scores[d->n_scores++];
        sc->id = id;
        sc->label = json_string_value(json_object_get(v, "label"));
        sc->method = json_string_value(json_object_get(v, "method"));
        sc->status = json_string_value(json_object_get(v, "status"));
        result_why_words(ws->words, ws->lang, v, sc->reason, sizeof sc->reason);
        sc->item_set = json_string_value(json_object_get(v, "item_set"));
        sc->higher_is_better = json_is_true(json_object_get(v, "higher_is_better"));
        sc->ok =
            sc->status && !strcmp(sc->status, "ok") && json_is_number(json_object_get(v, "value"));
        sc->value = sc->ok ? json_number_value(json_object_get(v, "value")) : NAN;
        json_t *pc = json_object_get(v, "percent");
        sc->percent = json_is_number(pc) ? json_number_value(pc) : sc->value;
        int k = d->q ? qn_score_index(d->q, id) : -1;
        sc->max = worker_score_max(d->q, k, v);
        if (k >= 0) {
            const qn_score *qs = &d->q->scores[k];
            sc->label = qn_text_get(&qs->label, d->lang);
            sc->domain =
                qs->domain >= 0 ? qn_text_get(&d->q->domains[qs->domain].name, d->lang) : NULL;
            const qn_band *band =
                sc->ok ? qn_score_band(d->q, k, qs->method == QN_METHOD_SUM ? sc->percent : sc->value) : NULL;
            sc->band = band ? qn_text_get(&band->label, d->lang) : NULL;
            sc->band_level = band ? (qn_level)band->level : QN_LEVEL_NONE;
        }
        if (!sc->label)
            sc->label = id;
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(v, "imputed"), i, x) its_appendf(
            sc->imputed, sizeof sc->imputed, "%s%s", i ? ", " : "", json_string_value(x));
    }
}

static void describe_flags(worker_detail *d, json_t *flags)
{
    d->flags = calloc(json_array_size(flags) + 1, sizeof *d->flags);
    if (!d->flags)
        return;
    size_t i;
    json_t *f;
    json_array_foreach(flags, i, f)
    {
        worker_flag *w = &d->flags[d->n_flags++];
        w->rule = json_string_value(json_object_get(f, "rule"));
        w->reason = json_string_value(json_object_get(f, "reason"));
        w->detail = json_string_value(json_object_get(f, "detail"));
        const char *level = json_string_value(json_object_get(f, "level"));
        w->level = level && !strcmp(level, "red")      ? QN_LEVEL_RED
                   : level && !strcmp(level, "yellow") ? QN_LEVEL_YELLOW
                                                       : QN_LEVEL_NONE;
        if (!w->rule)
            w->rule = "?";
        if (!w->reason)
            w->reason = "";
        if (!w->detail)
            w->detail = "";
    }
}

int worker_detail_load(worker_session *ws, int entry, worker_detail *d, its_err *err)
{
    memset(d, 0, sizeof *d);
    const worker_entry *e = worker_entry_at(ws, entry);
    if (!e)
        return its_fail_code(err, ITS_E_NOT_FOUND, "There is no such record.");
    json_t *doc;
    if (worker_open_doc(ws, e, &doc, err) != 0)
        return -1;
    d->doc = doc;
    d->entry = e;
    d->q = worker_session_qn(ws, e);
    d->lang = worker_session_lang(ws, d->q);
    json_t *qo = json_object_get(doc, "questionnaire");
    d->title =
        d->q ? qn_text_get(&d->q->title, d->lang) : json_string_value(json_object_get(qo, "title"));
    if (!d->title)
        d->title = e->qid;
    d->client = e->client;
    d->started = json_string_value(json_object_get(doc, "started"));
    d->completed = json_string_value(json_object_get(doc, "completed"));
    d->record_lang = json_string_value(json_object_get(doc, "lang"));
    d->research = json_string_value(json_object_get(json_object_get(doc, "consent"), "research"));
    d->assisted_by = json_string_value(json_object_get(json_object_get(doc, "assisted"), "worker_key"));
    d->level = e->level;
    json_t *answers = json_object_get(doc, "answers");
    int rc = d->q ? describe_answers(ws, d, answers, err) : describe_raw_answers(d, answers, err);
    if (rc == 0) {
        describe_scores(ws, d, json_object_get(doc, "scores"));
        describe_flags(d, json_object_get(doc, "flags"));
        if (!d->scores || !d->flags)
            rc = its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    }
    if (rc != 0)
        worker_detail_free(d);
    return rc;
}

int worker_detail_open(worker_session *ws, const char *record_id, worker_detail *d, its_err *err)
{
    int i = worker_find(ws, record_id);
    if (i < 0) {
        memset(d, 0, sizeof *d);
        return its_fail_code(err, ITS_E_NOT_FOUND, "There is no record with id %s.",
                             record_id ? record_id : "");
    }
    if (worker_detail_load(ws, i, d, err) != 0)
        return -1;
    d->before_signing = store_record_made_before_signing(ws->store, record_id) == 1;
    if (worker_audit_view(ws, err, "record %s", record_id) != 0) {
        worker_detail_free(d);
        return -1;
    }
    return 0;
}

/* Overwrites every string and integer of a parsed payload in place (keys are item ids). */
static void doc_wipe_values(json_t *v)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) doc_wipe_values(x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) doc_wipe_values(x);
    } else if (json_is_string(v)) {
        its_wipe((char *)json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        json_integer_set(v, 0);
    } else if (json_is_real(v)) {
        json_real_set(v, 0.0);
    }
}

void worker_doc_wipe(json_t *doc)
{
    if (!doc)
        return;
    if (doc->refcount == 1)
        doc_wipe_values(doc);
    json_decref(doc);
}

void worker_detail_free(worker_detail *d)
{
    if (!d)
        return;
    if (d->answers)
        its_wipe(d->answers, (size_t)d->n_answers * sizeof *d->answers);
    free(d->answers);
    free(d->scores);
    free(d->flags);
    worker_doc_wipe(d->doc);
    memset(d, 0, sizeof *d);
}

const worker_answer *worker_detail_answer(const worker_detail *d, const char *item_id)
{
    for (int i = 0; i < d->n_answers; i++)
        if (!strcmp(d->answers[i].id, item_id))
            return &d->answers[i];
    return NULL;
}
