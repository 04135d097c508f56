/* worker.h — the worker session: one unlocked data folder and its in-memory index of records,
 * with the list view (filters, sorting, counts) on top of it.
 *
 * Owns: the store handle, the unlocked key, the questionnaires the records refer to, and one
 * compact index entry per record (no answers). worker_session_open() opens every record once
 * (in parallel threads, each with its own database connection), keeps only what the list needs
 * and wipes each decrypted payload at once; views that need answers (worker_detail.h, export.h)
 * open the record again. worker_session_lock() wipes the index and the key.
 *
 * A record that cannot be opened (altered, unsigned, forged, or sealed to other keys) stays in
 * the index with WORKER_ENTRY_UNREADABLE and a message naming it, so the list can say so instead
 * of hiding it; a record that is missing (store_check_complete) is added as WORKER_ENTRY_MISSING.
 *
 * Nothing here prints or exits; errors are 0/-1 plus one plain sentence in its_err. */
#ifndef ITS_WORKER_H
#define ITS_WORKER_H

#include <stdbool.h>
#include "qn.h"
#include "store.h"
#include "util.h"
#include "words.h"

#define WORKER_CLIENT_MAX 48
#define WORKER_QID_MAX 48
#define WORKER_FLAGS_MAX 48 /* fired rule ids, space separated: "R1 R3 Y1" */
#define WORKER_MAX_SCORES 16 /* scores kept per entry, by the questionnaire's score index */

/* MISSING: a record that should be there and is not (a sequence gap, a deleted row, a rolled
 * back database; store_check_complete); its id is "" when no audit entry names it. */
typedef enum { WORKER_ENTRY_OK = 0, WORKER_ENTRY_UNREADABLE, WORKER_ENTRY_MISSING } worker_entry_status;

/* One record as the list shows it. Strings are plain copies; no answer is kept here. */
typedef struct worker_entry {
    char id[37];
    worker_entry_status status;
    long long created_at;   /* when it was stored (plaintext header) */
    long long completed_at; /* payload "completed", else created_at; seconds UTC */
    char device[64];
    char site[64]; /* the sealing device's fleet site (list summary); "" when not known */
    char client[WORKER_CLIENT_MAX];
    char qid[WORKER_QID_MAX];
    char qversion[16];
    int qn; /* index into the session's questionnaires, -1 if unknown */
    bool has_headline;
    double headline;     /* the questionnaire's first whole-instrument score */
    double headline_max; /* 100, the divisor of a sum score (48), or an item maximum (10) */
    qn_level level;
    char flags[WORKER_FLAGS_MAX];
    char *error; /* WORKER_ENTRY_UNREADABLE: why (names the record) */
    its_code error_code; /* and its kind: ITS_E_DAMAGED, or a store failure (ITS_E_NO_TEAM_KEY) */
    /* Every computed score (value and percent), so a later assessment of the same client can
     * be compared with this one ("worse than last time"). */
    double score_value[WORKER_MAX_SCORES], score_percent[WORKER_MAX_SCORES];
    unsigned score_ok; /* bit i: score i was computed */
    int prev;          /* the same client's previous assessment of the same questionnaire, or -1 */
    /* The kiosk cannot read earlier results, so flags that compare with the previous assessment
     * are evaluated here: flags/level above were computed against this record id ("" = none). */
    char flagged_against[37];
    /* A worker entered the answers with the client (interviewer-assisted): the worker key's
     * fingerprint from the record's "assisted", "" when the client answered alone. */
    char assisted_by[65];
} worker_entry;

typedef struct worker_session worker_session;

typedef struct worker_open_opts {
    const char *dir;               /* the data folder */
    const char *passphrase;        /* either this ... */
    const char *recovery_key_file; /* ... or this */
    const char *data;              /* assets/ and questionnaires/; NULL: $ITSEARVIO_DATA */
    const char *questionnaires;    /* questionnaire files; NULL: DATA/questionnaires */
    const char *lang;              /* language of texts shown to the worker; NULL: "fi" */
    int threads;                   /* decryption threads; 0: one per processor (2-8) */
} worker_open_opts;

/* Opens the folder, unlocks the key and builds the index. On failure *out is NULL and nothing is
 * left in memory. A wrong passphrase gives "Wrong passphrase." from the store. */
int worker_session_open(const worker_open_opts *o, worker_session **out, its_err *err) ITS_MUST_CHECK;
/* Wipes the index and the key and closes the folder; NULL is fine. */
void worker_session_lock(worker_session *ws);

store *worker_session_store(worker_session *ws);
const store_key *worker_session_key(const worker_session *ws);
int worker_session_lang(const worker_session *ws, const qn *q); /* language index in q */
const char *worker_session_lang_code(const worker_session *ws);
/* The catalogue of words (DATA/locale, words.h), and one of its texts in the worker's language. */
const words_catalogue *worker_session_words(const worker_session *ws);
const char *worker_word(const worker_session *ws, const char *key);
const char *worker_session_data_dir(const worker_session *ws); /* assets/ and questionnaires/ */
/* The questionnaire of an entry (NULL if its file is not in the questionnaires folder). */
const qn *worker_session_qn(const worker_session *ws, const worker_entry *e);
/* Seconds the key derivation (Argon2id) took, and the seconds building the index took. */
double worker_session_unlock_seconds(const worker_session *ws);
double worker_session_index_seconds(const worker_session *ws);

int worker_count(const worker_session *ws);
const worker_entry *worker_entry_at(const worker_session *ws, int i);
/* Index of the record with this id, or -1. */
int worker_find(const worker_session *ws, const char *record_id);

/* Writes a "view" entry to the audit log (what was shown: "list of 12 records"; never answers or
 * client codes). Views that the worker sees call it; worker_detail_open and worker_trend_build do.
 */
int worker_audit_view(worker_session *ws, its_err *err, const char *fmt, ...) ITS_PRINTF(3, 4) ITS_MUST_CHECK;

/* ---- the list --------------------------------------------------------------------------- */

typedef struct worker_filter {
    const char *client;        /* exact code, case-insensitive; NULL: any */
    int level;                 /* -1 any, else a qn_level */
    const char *questionnaire; /* questionnaire id; NULL: any */
    long long from, to;        /* completed_at in [from, to); 0: open */
    const char *site;          /* fleet site of the sealing device (list summary); NULL: any */
    const char *device;        /* device id (the record's header); NULL: any */
    bool flagged_first;        /* red, then yellow, then none; newest first within each */
    /* Only flagged records whose referral decision here is 0 (none): worker_referral_states()
     * (worker_note.h), indexed like the entries; NULL: any. */
    const int *no_referral;
} worker_filter;

typedef struct worker_counts {
    int total;             /* records in the folder */
    int shown;             /* matching the filter */
    int red, yellow, none; /* among the shown */
    int unreadable;        /* among the shown: could not be opened */
} worker_counts;

/* An empty filter: every record, newest first. */
worker_filter worker_filter_all(void);

/* Fills *rows (malloc'd, entry indices) with the matching records in list order, newest first
 * (or flagged first). Unreadable records match only a filter without level/questionnaire/client. */
int worker_list(const worker_session *ws, const worker_filter *f, int **rows, worker_counts *counts,
                its_err *err) ITS_MUST_CHECK;

/* "YYYY-MM-DD" (local time) to the first second of that day; -1 if not a date. */
long long worker_parse_date(const char *date);
/* The first second of the day after `date` (for an inclusive "to" date); -1 if not a date. */
long long worker_parse_date_end(const char *date);
/* Local date and time of t for lists: "2025-03-04 14:05". */
void worker_format_time(char *dst, size_t n, long long t);
/* The headline score as the worker reads it (words_score): "40,6" or "24/48"; "–" when not
 * scored. */
void worker_format_headline(const worker_session *ws, char *dst, size_t n, const worker_entry *e);
/* A change with its sign and one decimal in the worker's language: "+5,2", "-3,0", "0,0". */
void worker_format_change(const worker_session *ws, char *dst, size_t n, double change);
/* The same followed by whether it exceeds the headline score's measurement error, in the
 * worker's language: "+30.0, suurempi kuin mittausvirhe (9)"; just the change when the
 * questionnaire gives no figure. */
void worker_format_change_error(const worker_session *ws, const worker_entry *e, double change,
                                char *dst, size_t n);
/* The worker's word for a level ("punainen", "keltainen", "ei"; level_* in the catalogue). */
const char *worker_level_word(const worker_session *ws, qn_level level);

#endif
