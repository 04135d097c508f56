/* worker_note.h — the worker's agreement with a flag: agree / disagree and a short note.
 *
 * Owns the note payload format. A note is sealed like a record (store_save_note) so clinics can
 * later compare flags with the workers' judgement and recalibrate thresholds:
 *   {"format": 1, "kind": "flag-agreement", "record": "<record id>", "rule": "R1",
 *    "agree": true, "text": "…", "at": "2025-03-04T10:09:00.123456Z"}
 * Notes are append-only: a later note on the same rule supersedes the earlier one in views. */
#ifndef ITS_WORKER_NOTE_H
#define ITS_WORKER_NOTE_H

#include "worker.h"

#define WORKER_NOTE_TEXT_MAX 500 /* bytes of UTF-8 */

typedef struct worker_note {
    char id[37];
    char rule[32];
    bool agree;
    char at[32];
    char text[WORKER_NOTE_TEXT_MAX + 1];
} worker_note;

/* Saves a note on flag `rule` of record `record_id`. The rule must be one of the record's fired
 * flags; the text may be empty, at most WORKER_NOTE_TEXT_MAX bytes, valid UTF-8. */
int worker_note_save(worker_session *ws, const char *record_id, const char *rule, bool agree,
                     const char *text, its_err *err);
/* The notes of one record, oldest first (by "at") (malloc'd; free with worker_notes_free). */
int worker_note_list(worker_session *ws, const char *record_id, worker_note **out, int *n,
                     its_err *err);
void worker_notes_free(worker_note *notes, int n);

#endif
