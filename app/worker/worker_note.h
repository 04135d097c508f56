/* worker_note.h — the worker's agreement with a flag: agree / disagree and a short note.
 *
 * Owns the note payload format. A note is sealed like a record (store_save_note) so clinics can
 * later compare flags with the workers' judgement and recalibrate thresholds:
 *   {"format": 1, "kind": "flag-agreement", "record": "<record id>", "rule": "R1",
 *    "agree": true, "text": "…", "at": "2025-03-04T10:09:00.123456Z"}
 * Notes are append-only: a later note on the same rule supersedes the earlier one in views.
 *
 * The referral loop uses the same sealed notes with another kind, on flagged records only:
 *   {"format": 1, "kind": "referral", "record": "<record id>",
 *    "decision": "referred" | "not-referred" | "outcome", "text": "…", "date": "2025-05-01",
 *    "at": "…"}
 * "not-referred" needs the reason and "outcome" the outcome in "text"; "date" (optional) is the
 * day of the outcome. The latest referred / not-referred note is the decision. */
#ifndef ITS_WORKER_NOTE_H
#define ITS_WORKER_NOTE_H

#include "worker.h"

#define WORKER_NOTE_TEXT_MAX 500 /* bytes of UTF-8 */

typedef enum { WORKER_NOTE_FLAG = 0, WORKER_NOTE_REFERRAL } worker_note_kind;
typedef enum {
    WORKER_REFERRAL_NONE = 0, /* a flagged record with no decision yet (or not a referral note) */
    WORKER_REFERRAL_REFERRED,
    WORKER_REFERRAL_NOT_REFERRED,
    WORKER_REFERRAL_OUTCOME
} worker_referral;

typedef struct worker_note {
    char id[37];
    worker_note_kind kind;
    worker_referral referral; /* WORKER_NOTE_REFERRAL: which note */
    char date[11];            /* WORKER_NOTE_REFERRAL: the outcome's day, or "" */
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

/* Saves a referral note on a flagged record (see above); date may be NULL. */
int worker_referral_save(worker_session *ws, const char *record_id, worker_referral decision,
                         const char *text, const char *date, its_err *err) ITS_MUST_CHECK;
/* The referral decision among a record's notes (oldest first): the latest referred or
 * not-referred, else OUTCOME when only an outcome was recorded, else NONE. */
worker_referral worker_referral_state(const worker_note *notes, int n);
/* The decision (a worker_referral) of every entry, NONE for unflagged ones (malloc'd,
 * worker_count() long; free()); worker_filter.no_referral takes it. */
int worker_referral_states(worker_session *ws, int **out, its_err *err) ITS_MUST_CHECK;
/* The locale key of the state's word: "wk_referral_none", "wk_referred", ... */
const char *worker_referral_key(worker_referral r);

#endif
