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

int worker_note_save(worker_session *ws, const char *record_id, const char *rule, bool agree,
                     const char *text, its_err *err)
{
    int i = worker_find(ws, record_id);
    if (i < 0)
        return its_fail_code(err, ITS_E_NOT_FOUND, "There is no record with id %s.",
                             record_id ? record_id : "");
    const worker_entry *e = &ws->entries[i];
    if (e->status != WORKER_ENTRY_OK)
        return its_fail(err, "%s", e->error);
    size_t rlen = rule ? strlen(rule) : 0;
    bool fired = false;
    for (const char *p = e->flags; rlen && *p;) {
        size_t n = strcspn(p, " ");
        fired |= n == rlen && !strncmp(p, rule, n);
        p += n;
        p += *p == ' ';
    }
    if (!fired)
        return its_fail(err, "Record %s has no flag %s (its flags: %s).", record_id,
                        rule ? rule : "", e->flags[0] ? e->flags : "none");
    if (!text)
        text = "";
    if (strlen(text) > WORKER_NOTE_TEXT_MAX)
        return its_fail(err, "The note is too long: at most %d bytes.", WORKER_NOTE_TEXT_MAX);
    if (!valid_utf8(text))
        return its_fail(err, "The note is not valid UTF-8 text.");
    char at[64], secs[24];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    strftime(secs, sizeof secs, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(at, sizeof at, "%s.%06dZ", secs,
             (int)((ts.tv_nsec / 1000) % 1000000)); /* orders notes within a second */
    json_t *o =
        json_pack("{s:i, s:s, s:s, s:s, s:b, s:s, s:s}", "format", 1, "kind", "flag-agreement",
                  "record", record_id, "rule", rule, "agree", agree, "text", text, "at", at);
    char *payload = o ? json_dumps(o, JSON_COMPACT) : NULL;
    worker_doc_wipe(o);
    if (!payload)
        return its_fail(err, "Out of memory.");
    size_t len = strlen(payload);
    int rc = store_save_note(ws->store, record_id, (unsigned char *)payload, len, err);
    its_wipe(payload, len);
    free(payload);
    return rc;
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
        return its_fail(err, "Out of memory.");
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
