/* note.c — flag agreement notes (worker_note.h). */
#include "worker_note.h"
#include "worker_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0 || (n == 1 && *p < 0xC2))
            return false;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

/* Stamps a note payload with the time ("at") and seals it to the record with store_save_note;
 * takes and wipes o. Every kind of worker note goes through here. */
static int seal_note(worker_session *ws, const char *record_id, json_t *o, its_err *err)
{
    char at[64], secs[24];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    strftime(secs, sizeof secs, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(at, sizeof at, "%s.%06dZ", secs,
             (int)((ts.tv_nsec / 1000) % 1000000)); /* orders notes within a second */
    if (o && json_object_set_new(o, "at", json_string(at)) != 0) {
        worker_doc_wipe(o);
        o = NULL;
    }
    char *payload = o ? json_dumps(o, JSON_COMPACT) : NULL;
    worker_doc_wipe(o);
    if (!payload)
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    size_t len = strlen(payload);
    int rc = store_save_note(ws->store, record_id, (unsigned char *)payload, len, err);
    its_wipe(payload, len);
    free(payload);
    return rc;
}

/* The entry of record_id, readable; -1 with a message otherwise. */
static int readable_entry(worker_session *ws, const char *record_id, its_err *err)
{
    int i = worker_find(ws, record_id);
    if (i < 0)
        return its_fail_code(err, ITS_E_NOT_FOUND, "There is no record with id %s.",
                             record_id ? record_id : "");
    if (ws->entries[i].status != WORKER_ENTRY_OK)
        return its_fail(err, "%s", ws->entries[i].error);
    return i;
}

/* A note's text: at most WORKER_NOTE_TEXT_MAX bytes of UTF-8. */
static int check_text(const char *text, its_err *err)
{
    char max[16];
    snprintf(max, sizeof max, "%d", WORKER_NOTE_TEXT_MAX);
    if (strlen(text) > WORKER_NOTE_TEXT_MAX)
        return its_fail_key(err, ITS_E_OTHER, "err_note_too_long", max,
                            "The note is too long: at most %d bytes.", WORKER_NOTE_TEXT_MAX);
    if (!valid_utf8(text))
        return its_fail_key(err, ITS_E_OTHER, "err_note_not_text", NULL,
                            "The note is not valid UTF-8 text.");
    return 0;
}

int worker_note_save(worker_session *ws, const char *record_id, const char *rule, bool agree,
                     const char *text, its_err *err)
{
    int i = readable_entry(ws, record_id, err);
    if (i < 0)
        return -1;
    const worker_entry *e = &ws->entries[i];
    size_t rlen = rule ? strlen(rule) : 0;
    bool fired = false;
    for (const char *p = e->flags; rlen && *p;) {
        size_t n = strcspn(p, " ");
        fired |= n == rlen && !strncmp(p, rule, n);
        p += n;
        p += *p == ' ';
    }
    if (!fired)
        return its_fail_key(err, ITS_E_OTHER, "err_note_no_flag", rule,
                            "Record %s has no flag %s (its flags: %s).", record_id, rule ? rule : "",
                            e->flags[0] ? e->flags : "none");
    if (!text)
        text = "";
    if (check_text(text, err) != 0)
        return -1;
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:b, s:s}", "format", 1, "kind", "flag-agreement",
                          "record", record_id, "rule", rule, "agree", agree, "text", text);
    return seal_note(ws, record_id, o, err);
}

static const char *const referral_names[] = {"", "referred", "not-referred", "outcome"};

static worker_referral referral_parse(const char *s)
{
    for (int i = 1; s && i < 4; i++)
        if (!strcmp(s, referral_names[i]))
            return (worker_referral)i;
    return WORKER_REFERRAL_NONE;
}

int worker_referral_save(worker_session *ws, const char *record_id, worker_referral decision,
                         const char *text, const char *date, its_err *err)
{
    int i = readable_entry(ws, record_id, err);
    if (i < 0)
        return -1;
    if (ws->entries[i].level == QN_LEVEL_NONE)
        return its_fail_key(err, ITS_E_OTHER, "err_referral_unflagged", NULL,
                            "Record %s has no flag: a referral is recorded only on a flagged assessment.",
                            record_id);
    if (decision < WORKER_REFERRAL_REFERRED || decision > WORKER_REFERRAL_OUTCOME)
        return its_fail(err, "Say whether the client was referred, not referred, or the outcome.");
    if (!text)
        text = "";
    if (decision != WORKER_REFERRAL_REFERRED && !text[0])
        return decision == WORKER_REFERRAL_NOT_REFERRED
                   ? its_fail_key(err, ITS_E_OTHER, "err_referral_reason", NULL,
                                  "Give the reason why the client was not referred.")
                   : its_fail_key(err, ITS_E_OTHER, "err_referral_outcome", NULL,
                                  "Describe the outcome of the specialist assessment.");
    if (check_text(text, err) != 0)
        return -1;
    if (date && worker_parse_date(date) < 0)
        return its_fail_key(err, ITS_E_OTHER, "err_date", NULL, "The date must be a day like 2025-03-04.");
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s}", "format", 1, "kind", "referral", "record",
                          record_id, "decision", referral_names[decision], "text", text);
    if (o && date && json_object_set_new(o, "date", json_string(date)) != 0) {
        worker_doc_wipe(o);
        o = NULL;
    }
    if (seal_note(ws, record_id, o, err) != 0)
        return -1;
    /* The programme's copy: the decision only, linked by a keyed ref, never the text. */
    static const char *const programme_names[] = {"", "referred", "not_referred", "outcome"};
    its_err why;
    if (store_programme_referral(ws->store, record_id, programme_names[decision], &why) != 0)
        return its_fail(err, "The referral was saved, but its programme summary was not: %s", why.msg);
    return 0;
}

worker_referral worker_referral_state(const worker_note *notes, int n)
{
    worker_referral r = WORKER_REFERRAL_NONE;
    for (int i = 0; i < n; i++) /* oldest first: the last decision stands; an outcome keeps it */
        if (notes[i].kind == WORKER_NOTE_REFERRAL &&
            (notes[i].referral != WORKER_REFERRAL_OUTCOME || r == WORKER_REFERRAL_NONE))
            r = notes[i].referral;
    return r;
}

static int by_record_id(const void *key, const void *id)
{
    return strcmp(key, id);
}

int worker_referral_states(worker_session *ws, int **out, its_err *err)
{
    char(*noted)[37] = NULL;
    int n_noted = 0;
    if (store_noted_records(ws->store, &noted, &n_noted, err) != 0)
        return -1;
    *out = calloc((size_t)(ws->n_entries ? ws->n_entries : 1), sizeof **out);
    if (!*out) {
        free(noted);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    }
    for (int i = 0; i < ws->n_entries; i++) {
        const worker_entry *e = &ws->entries[i];
        /* one query for the records that have notes, not one per record */
        if (e->status != WORKER_ENTRY_OK || e->level == QN_LEVEL_NONE ||
            !bsearch(e->id, noted, (size_t)n_noted, sizeof *noted, by_record_id))
            continue;
        worker_note *notes;
        int n;
        if (worker_note_list(ws, e->id, &notes, &n, err) != 0) {
            free(noted);
            free(*out);
            *out = NULL;
            return -1;
        }
        (*out)[i] = (int)worker_referral_state(notes, n);
        worker_notes_free(notes, n);
    }
    free(noted);
    return 0;
}

const char *worker_referral_key(worker_referral r)
{
    static const char *const keys[] = {"wk_referral_none", "wk_referred", "wk_not_referred",
                                       "wk_referral_outcome"};
    return keys[r];
}

/* ---- research consent ------------------------------------------------------------------ */

worker_consent worker_consent_state(const char *research, const worker_note *notes, int n,
                                    char date[11])
{
    date[0] = '\0';
    if (!research || (strcmp(research, "yes") && strcmp(research, "no")))
        return WORKER_CONSENT_NOT_ASKED;
    if (!strcmp(research, "no"))
        return WORKER_CONSENT_NO;
    for (int i = 0; i < n; i++) /* the first withdrawal stands: consent is not given back here */
        if (notes[i].kind == WORKER_NOTE_CONSENT) {
            its_strlcpy(date, notes[i].date, 11);
            return WORKER_CONSENT_WITHDRAWN;
        }
    return WORKER_CONSENT_YES;
}

int worker_consent_read(worker_session *ws, const char *record_id, const char *research,
                        worker_consent *out, char date[11], its_err *err)
{
    worker_note *notes;
    int n;
    if (worker_note_list(ws, record_id, &notes, &n, err) != 0)
        return -1;
    *out = worker_consent_state(research, notes, n, date);
    worker_notes_free(notes, n);
    return 0;
}

int worker_consent_withdraw(worker_session *ws, const char *record_id, const char *date,
                            its_err *err)
{
    int i = readable_entry(ws, record_id, err);
    if (i < 0)
        return -1;
    char today[32];
    if (!date) { /* the store's clock, so a test's clock names the day too */
        worker_format_time(today, sizeof today, store_now(ws->store));
        today[10] = '\0'; /* the day of "2025-03-04 14:05" */
        date = today;
    }
    if (worker_parse_date(date) < 0 || strlen(date) != 10)
        return its_fail(err, "The date must be a day like 2025-03-04.");
    json_t *doc;
    if (worker_open_doc(ws, &ws->entries[i], &doc, err) != 0)
        return -1;
    const char *research = json_string_value(json_object_get(json_object_get(doc, "consent"), "research"));
    worker_consent c;
    char was[11];
    int rc = worker_consent_read(ws, record_id, research, &c, was, err);
    worker_doc_wipe(doc);
    if (rc != 0)
        return -1;
    if (c != WORKER_CONSENT_YES)
        return its_fail(err, "%s", c == WORKER_CONSENT_WITHDRAWN
                                       ? "The research consent of this record is already withdrawn."
                                       : "The client did not consent to research on this record: there "
                                         "is nothing to withdraw.");
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s}", "format", 1, "kind", "consent", "record",
                          record_id, "research", "withdrawn", "date", date);
    if (seal_note(ws, record_id, o, err) != 0)
        return -1;
    /* The programme's copy: the withdrawal only, linked by a keyed ref (docs/programme.md). */
    its_err why;
    if (store_programme_consent_withdrawn(ws->store, record_id, &why) != 0)
        return its_fail(err, "The withdrawal was saved, but its programme update was not: %s", why.msg);
    return 0;
}

const char *worker_consent_key(worker_consent c)
{
    static const char *const keys[] = {"wk_consent_not_asked", "wk_consent_yes", "wk_consent_no",
                                       "wk_consent_withdrawn"};
    return keys[c];
}

const char *worker_consent_code(worker_consent c)
{
    static const char *const codes[] = {"not_asked", "yes", "no", "withdrawn"};
    return codes[c];
}

static int cmp_notes(const void *a, const void *b)
{
    return strcmp(((const worker_note *)a)->at, ((const worker_note *)b)->at);
}

int worker_note_list(worker_session *ws, const char *record_id, worker_note **out, int *n,
                     its_err *err)
{
    *out = NULL;
    *n = 0;
    store_record_info *info = NULL;
    int count = 0;
    if (store_list_notes(ws->store, record_id, &info, &count, err) != 0)
        return -1;
    worker_note *notes = calloc(count ? (size_t)count : 1, sizeof *notes);
    if (!notes) {
        free(info);
        return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    }
    for (int i = 0; i < count; i++) {
        unsigned char *payload;
        size_t len;
        if (store_open_note(ws->store, ws->key, info[i].id, &payload, &len, err) != 0) {
            free(info);
            worker_notes_free(notes, *n);
            return -1;
        }
        json_error_t jerr;
        json_t *o = json_loadb((const char *)payload, len, 0, &jerr);
        store_payload_free(payload, len);
        worker_note *w = &notes[(*n)++];
        its_strlcpy(w->id, info[i].id, sizeof w->id);
        const char *s;
        if ((s = json_string_value(json_object_get(o, "rule"))))
            its_strlcpy(w->rule, s, sizeof w->rule);
        if ((s = json_string_value(json_object_get(o, "at"))))
            its_strlcpy(w->at, s, sizeof w->at);
        if ((s = json_string_value(json_object_get(o, "text"))))
            its_strlcpy(w->text, s, sizeof w->text);
        w->agree = json_is_true(json_object_get(o, "agree"));
        if ((s = json_string_value(json_object_get(o, "kind"))) && !strcmp(s, "referral")) {
            w->kind = WORKER_NOTE_REFERRAL;
            w->referral = referral_parse(json_string_value(json_object_get(o, "decision")));
            if ((s = json_string_value(json_object_get(o, "date"))))
                its_strlcpy(w->date, s, sizeof w->date);
        } else if (s && !strcmp(s, "consent")) {
            w->kind = WORKER_NOTE_CONSENT;
            if ((s = json_string_value(json_object_get(o, "date"))))
                its_strlcpy(w->date, s, sizeof w->date);
        }
        worker_doc_wipe(o);
    }
    free(info);
    qsort(notes, (size_t)*n, sizeof *notes, cmp_notes);
    *out = notes;
    return 0;
}

void worker_notes_free(worker_note *notes, int n)
{
    if (notes)
        its_wipe(notes, (size_t)n * sizeof *notes);
    free(notes);
}
