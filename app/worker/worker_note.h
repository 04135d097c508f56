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
 * day of the outcome. The latest referred / not-referred note is the decision.
 *
 * A client who said yes to research on the kiosk may take it back later; the worker records it
 * as a note of its own kind (the record itself is never changed):
 *   {"format": 1, "kind": "consent", "record": "<record id>", "research": "withdrawn",
 *    "date": "2026-12-05", "at": "…"}
 * "date" is the day the client withdrew (default: the day it was recorded). */
#ifndef ITS_WORKER_NOTE_H
#define ITS_WORKER_NOTE_H

#include "worker.h"

#define WORKER_NOTE_TEXT_MAX 500 /* bytes of UTF-8 */

typedef enum { WORKER_NOTE_FLAG = 0, WORKER_NOTE_REFERRAL, WORKER_NOTE_CONSENT } worker_note_kind;
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
    char date[11];            /* REFERRAL: the outcome's day, or ""; CONSENT: the withdrawal's */
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

/* ---- research consent ---------------------------------------------------------------------- */

typedef enum {
    WORKER_CONSENT_NOT_ASKED = 0, /* records from before the question, or not answered */
    WORKER_CONSENT_YES,
    WORKER_CONSENT_NO,
    WORKER_CONSENT_WITHDRAWN      /* yes on the kiosk, taken back later (a consent note) */
} worker_consent;

/* The consent of a record: `research` as the result stores it ("yes", "no", NULL) and the
 * record's notes (oldest first); the withdrawal's day goes to date ("" otherwise). */
worker_consent worker_consent_state(const char *research, const worker_note *notes, int n,
                                    char date[11]);
/* The same for an opened record, reading its notes. */
int worker_consent_read(worker_session *ws, const char *record_id, const char *research,
                        worker_consent *out, char date[11], its_err *err) ITS_MUST_CHECK;
/* Records that the client withdrew the research consent given on record_id (which must have
 * said yes and not be withdrawn already); date "YYYY-MM-DD" or NULL for today. */
int worker_consent_withdraw(worker_session *ws, const char *record_id, const char *date,
                            its_err *err) ITS_MUST_CHECK;
/* "wk_consent_not_asked", "wk_consent_yes", "wk_consent_no", "wk_consent_withdrawn" ({1}: day). */
const char *worker_consent_key(worker_consent c);
/* The word "yes" / "no" / "not_asked" / "withdrawn" for exports (CSV, FHIR). */
const char *worker_consent_code(worker_consent c);

#endif
