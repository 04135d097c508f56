/* store.h — the encrypted, crash-safe store: one data folder (config, public keys, SQLite
 * database), sealed assessment records, drafts, worker unlock, audit log and retention.
 *
 * What is written where, the envelope byte format and the numbered storage invariants are in
 * docs/storage.md. In short: a result is sealed to the worker and recovery public keys and is
 * durable (committed with synchronous=FULL) when store_save_result returns 0; the device that
 * stores it cannot decrypt it. Drafts are encrypted with a key of their session that is destroyed
 * when the session ends, and are offered back only after their own process's crash.
 *
 * Every function that can fail returns 0 (or a count) on success and -1 on failure with one
 * plain sentence in *err; nothing here prints or exits. Stored data is never changed by a failed
 * call. Buffers handed out (payloads, drafts) are wiped when freed with the matching _free. */
#ifndef ITS_STORE_H
#define ITS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

typedef struct store store;                 /* an open data folder: config, public keys, db */
typedef enum { STORE_KIOSK, STORE_TABLET, STORE_WORKER } store_mode;

/* Key derivation presets for the worker passphrase (crypto_pwhash, Argon2id). The limits chosen
 * are kept in the key file and used from there on unlock. */
typedef enum {
    STORE_KDF_MODERATE = 0,    /* default: ~1 s and 256 MiB a guess (3 passes) */
    STORE_KDF_INTERACTIVE,     /* a weak machine or the demo: ~0.1-0.5 s and 64 MiB */
    STORE_KDF_MIN              /* tests only: the smallest libsodium accepts */
} store_kdf;

#define STORE_UUID_LEN 36
#define STORE_DEVICE_MAX 63
#define STORE_DEMO_PASSPHRASE "demo-passphrase"

/* ---- setting up a data folder ---------------------------------------------------------- */

/* Enrolment of a kiosk or tablet (app/link): what the server and the team's checked bundle gave. */
typedef struct store_enrolment {
    const char *server;          /* https://host:port */
    const char *ca_source;       /* the CA file given to init; copied to DIR/server-ca.pem */
    char team[64], site[64];
    unsigned char worker_pk[32], recovery_pk[32];
    unsigned char sign_seed[32]; /* the device signing key whose public half the server holds */
    unsigned char signer_pk[32]; /* the team's bundle signer (the token's pin): later bundles must match */
    long long epoch;             /* the team epoch of worker_pk */
} store_enrolment;

typedef struct store_init_opts {
    store_mode mode;
    const char *device_id;    /* NULL: "<mode>-<8 random hex>" */
    const char *passphrase;   /* worker mode and demo: the worker passphrase (>= 8 characters) */
    const char *recovery_out; /* where the recovery secret key is written once (0600) */
    char **recovery_text;     /* recovery_out NULL: gets the key file's text to show once (free
                               * with store_secret_free); demo folders keep DIR/recovery-key.json */
    const char *keys_from;    /* kiosk/tablet: a worker data folder whose config gives the public keys */
    store_kdf kdf;
    bool force;               /* replace an existing folder; old files are renamed *.replaced-TIME */
    bool demo;                /* kiosk folder that also holds the worker key and demo-passphrase.txt */
    const store_enrolment *enrolment; /* kiosk/tablet enrolled with a server (instead of keys_from) */
} store_init_opts;

/* Creates DIR (0700) with config.json, the keys and an empty database. Never replaces anything
 * without o->force. In worker mode the recovery secret key is written to recovery_out, or handed
 * back in *recovery_text (never kept in DIR); the caller tells the user to move it offline. A
 * demo folder keeps it in DIR/recovery-key.json. */
int store_init(const char *dir, const store_init_opts *o, its_err *err) ITS_MUST_CHECK;
/* Wipes and frees a secret text (the recovery key's); NULL is fine. */
void store_secret_free(char *text);

/* A new device id: "<mode>-<8 random hex>". */
void store_device_id_make(store_mode mode, char out[STORE_DEVICE_MAX + 1]);

/* Makes the process safe to hold secrets: no core dumps, not ptrace-attachable by other users. */
int store_harden_process(its_err *err) ITS_MUST_CHECK;

/* ---- an open data folder --------------------------------------------------------------- */

int  store_open(const char *dir, store **out, its_err *err) ITS_MUST_CHECK;
void store_close(store *s);
store_mode store_get_mode(const store *s);
int  store_idle_seconds(const store *s);          /* config: idle limit for the kiosk UI, default 120 */
int  store_draft_expiry_seconds(const store *s);  /* config: kiosk 300, tablet 43200 by default */
const char *store_device_id(const store *s);
const char *store_dir(const store *s);
/* Enabled questionnaire files from the config (names relative to the questionnaires folder). */
int  store_questionnaires(const store *s, const char *const **files);
const char *store_mode_name(store_mode m);        /* "kiosk", "tablet", "worker" */

/* Seals the payload to the worker + recovery keys and commits it; durable on return. Also wipes
 * the current draft in the same transaction (submit ends the draft), then shreds the draft
 * session's key and checkpoints the WAL. */
int  store_save_result(store *s, const unsigned char *payload, size_t len, char record_id[37],
                       its_err *err) ITS_MUST_CHECK;

/* ---- drafts: one current draft per device (kiosk/tablet) -------------------------------
 * Each session has its own random key (DIR/draft.key), shredded when the session ends: a
 * saved result, a wipe, or a stale draft found. Old copies then open with no key. */
int  store_draft_save(store *s, const unsigned char *data, size_t len, its_err *err) ITS_MUST_CHECK;
/* 1 found (not expired), 0 none (expired ones wiped), -1 error; caller frees with store_draft_free */
int  store_draft_load(store *s, unsigned char **data, size_t *len, its_err *err) ITS_MUST_CHECK;
void store_draft_free(unsigned char *data, size_t len);  /* wipes, then frees */
int  store_draft_wipe(store *s, its_err *err) ITS_MUST_CHECK;
/* Makes this process the owner of the folder's draft (an exclusive lock on DIR/draft.lock, held
 * until store_close). -1 when another live process owns it: a kiosk then refuses to start. The
 * draft calls above take it themselves; store_draft_load offers nothing while another process
 * owns the draft, and save and wipe fail. */
int  store_draft_claim(store *s, its_err *err) ITS_MUST_CHECK;
/* How long after its last save a draft is still offered: the draft expiry, and on a kiosk at
 * most the idle limit + 60 s (a running kiosk would have wiped it by then). */
int  store_draft_window_seconds(const store *s);

/* ---- worker side ------------------------------------------------------------------------ */
typedef struct store_key store_key;             /* an unlocked secret key (sodium_malloc) */
/* Unlocks the worker key. A wrong passphrase is counted (persisted in the database) and after
 * the second failure each attempt must wait longer (store_unlock_wait tells how long). Logs
 * "unlock" or "unlock_failed" in the audit log. */
int  store_unlock(store *s, const char *passphrase, store_key **key, its_err *err) ITS_MUST_CHECK;
int  store_unlock_recovery(store *s, const char *recovery_key_file, store_key **key,
                           its_err *err) ITS_MUST_CHECK;
/* Seconds to wait before the next passphrase attempt is accepted (0: now). */
int  store_unlock_wait(store *s);
void store_lock(store_key *key);                /* wipes and frees; NULL is fine */
/* A key's fingerprint: its envelope key id (docs/storage.md) in hex, "3f9a0c1d22e4b780"; the
 * same on every folder sealing to it. An interviewer-assisted result names its worker by it. */
#define STORE_FINGERPRINT_LEN 16
void store_key_fingerprint(const store_key *key, char out[STORE_FINGERPRINT_LEN + 1]);
/* The fingerprint of the worker key this folder seals to. */
void store_worker_fingerprint(const store *s, char out[STORE_FINGERPRINT_LEN + 1]);

#define STORE_DIGEST_BYTES 16
typedef struct {
    char id[37];
    long long created_at;
    char device[64];
    /* BLAKE2b-128 of the whole row (envelope and every clear column): a cache can tell an
     * unchanged record from an altered one without opening it (public, says nothing of the
     * content). */
    unsigned char digest[STORE_DIGEST_BYTES];
} store_record_info;
/* A read snapshot: between begin and end every read through this store (from any thread) sees
 * the database as it was at the first read, so records deleted meanwhile (retention in another
 * process) still open. Nothing may be written in between (the audit log: after the end). */
int  store_read_begin(store *s, its_err *err) ITS_MUST_CHECK;
void store_read_end(store *s);
/* Newest first; caller frees *out with free(). */
int  store_list(store *s, store_record_info **out, int *n, its_err *err) ITS_MUST_CHECK;
/* Opens one record (or worker note) with either key; the payload is freed with store_payload_free.
 * An altered record fails with a message naming its id. Does not write the audit log: the
 * caller logs "view" or "export" (store_audit) for what it shows. */
int store_open_record(store *s, const store_key *key, const char *id, unsigned char **payload,
                      size_t *len, its_err *err) ITS_MUST_CHECK;
/* The same checks (row, signature), then only the record's sealed list summary (envelope format
 * 3, app/store/summary.c): the subset of the result document the worker's list reads, as JSON.
 * A record without one (formats 1 and 2) gives its whole payload instead. */
int store_open_record_summary(store *s, const store_key *key, const char *id, unsigned char **payload,
                              size_t *len, its_err *err) ITS_MUST_CHECK;
/* store_open_record_summary for many records in one statement (the worker's index, one call per
 * thread): each(ctx, i, payload, len, why) for every non-NULL ids[i], payload NULL when it did not
 * open (why says so, as store_open_record would); each frees payload with store_payload_free. */
typedef void (*store_summary_fn)(void *ctx, int i, unsigned char *payload, size_t len, const its_err *why);
int store_open_summaries(store *s, const store_key *key, const char *const *ids, int n,
                         store_summary_fn each, void *ctx, its_err *err) ITS_MUST_CHECK;
void store_payload_free(unsigned char *payload, size_t len);  /* wipes, then frees */
/* 1 when record id (already opened) is an unsigned format 1 record from before signatures: it
 * opened because this folder's device listed it, with the same bytes, when it got its key. */
int store_record_made_before_signing(store *s, const char *id);

/* Appends one entry to the hash-chained audit log. Details must hold no answers or secrets. */
int  store_audit(store *s, const char *event, const char *detail, its_err *err) ITS_MUST_CHECK;
/* Walks the chain. Returns 0 intact, 1 a problem (entry number in *bad_entry and what is wrong
 * in what[]), -1 could not read it. *entries gets the number of entries read. */
int  store_audit_verify(store *s, int *entries, int *bad_entry, char *what, size_t what_len,
                        its_err *err) ITS_MUST_CHECK;
typedef struct { long long seq, at; char event[32]; char detail[256]; } store_audit_entry;
/* The head of the signed audit chain, for a fleet upload (docs/fleet-protocol.md section 5):
 * the newest entry's number and hash, and the device's signature over
 * "itsearvio-audit-head-v1\n<device>\n<seq>\n<hash b64>\n". */
int  store_audit_head(store *s, long long *seq, unsigned char hash[32], unsigned char sig[64],
                      its_err *err) ITS_MUST_CHECK;
int  store_audit_list(store *s, store_audit_entry **out, int *n,
                      its_err *err) ITS_MUST_CHECK; /* oldest first; free() */

/* Missing records and rollbacks (docs/storage.md, invariant 14). */
typedef struct store_damage {
    char id[37];      /* the record's or note's id when a signed audit entry names it, else "" */
    char device[64];
    long long seq;    /* the first sequence number (or audit entry) concerned */
    long long at;     /* when the missing record was saved, if an audit entry says; else 0 */
    char what[320];   /* one plain sentence naming it */
} store_damage;
/* Finds records and notes that are gone without retention (a sequence gap, a deleted row) and,
 * with a key (worker or recovery), a rollback against what this key saw at its last check, which
 * it then remembers (sealed beside the records, kept through retention). *out (free()) gets one
 * entry per problem; 0 with *n = 0 means complete. */
int store_check_complete(store *s, const store_key *key, store_damage **out, int *n,
                         its_err *err) ITS_MUST_CHECK;

/* Re-encrypts only the worker secret key under the new passphrase; records are untouched. The
 * key derivation limits become at least `kdf`'s (weaker ones are upgraded, never lowered). Two
 * changes at once run one after the other (a lock on the key file's folder); one that finds the
 * file changed while it waited changes nothing. */
int  store_change_passphrase(store *s, const char *old_pass, const char *new_pass, store_kdf kdf,
                             its_err *err) ITS_MUST_CHECK;
/* Deletes records (and their notes) created more than `days` days ago; logged as "delete". */
int  store_delete_older_than(store *s, const store_key *key, int days, int *deleted,
                             its_err *err) ITS_MUST_CHECK;

/* Worker notes (flag agreement) stored sealed like records, linked to a record id. */
int  store_save_note(store *s, const char *record_id, const unsigned char *payload, size_t len,
                     its_err *err) ITS_MUST_CHECK;
/* The ids of the records that have notes, sorted (strcmp), malloc'd: a list of many records asks
 * store_list_notes only for those. */
int store_noted_records(store *s, char (**ids)[37], int *n, its_err *err) ITS_MUST_CHECK;
/* Notes of one record, oldest first; free() *out. Open each with store_open_note. */
int  store_list_notes(store *s, const char *record_id, store_record_info **out, int *n,
                      its_err *err) ITS_MUST_CHECK;
int store_open_note(store *s, const store_key *key, const char *note_id, unsigned char **payload,
                    size_t *len, its_err *err) ITS_MUST_CHECK;

/* ---- signatures (docs/fleet-protocol.md sections 1, 2, 8) --------------------------------- */
/* Pins the Ed25519 signing key of a device (source: "config", "server", ...; logged). A record
 * is shown as genuine only when its signature verifies with the key pinned for its device. A
 * device already pinned to another key is refused with a message naming it. */
int store_device_pin(store *s, const char *device, const unsigned char pk[32], const char *source,
                     its_err *err) ITS_MUST_CHECK;
/* This folder's public signing key (config.json device_sign_public_key). */
const unsigned char *store_device_sign_public_key(const store *s);
/* The worker signing key (Ed25519), derived from the unlocked worker key and never stored:
 * seed = crypto_kdf_derive_from_key(32, 1, "itswsign", worker secret key). sk (64 bytes) may be
 * NULL; when not, put it in guarded memory and wipe it after use. Refused for the recovery key. */
int store_worker_sign_keypair(const store_key *key, unsigned char pk[32], unsigned char *sk,
                              its_err *err) ITS_MUST_CHECK;

/* ---- fleet (docs/fleet-protocol.md sections 5, 6, 8) --------------------------------------- */
struct fleet_pull_page;

/* An enrolled kiosk or tablet: config.json "fleet" (written by enrolment). */
typedef struct store_fleet {
    char server[512];
    char ca_file[1024];   /* the CA that vouches for the server (DIR/server-ca.pem) */
    char team[64];
    char site[64];
    bool keep_uploaded;   /* retention: keep a record after the server stored it (default) */
    bool has_signer;      /* false: enrolled before team epochs (keeps its enrolment's keys) */
    unsigned char signer_pk[32]; /* the team's bundle signer pinned at enrolment */
    long long epoch;      /* the team epoch this device seals to (config "fleet" "epoch") */
} store_fleet;
/* The enrolment settings, or NULL when the folder is not enrolled (no outbox). */
const store_fleet *store_fleet_get(const store *s);

typedef struct store_outbox_item { char id[37]; unsigned char *env; size_t len; } store_outbox_item;
/* Up to max records waiting to be sent, oldest first (not those a person must look at). */
int  store_outbox_take(store *s, int max, store_outbox_item **items, int *n, its_err *err);
void store_outbox_items_free(store_outbox_item *items, int n);
/* The server's word on one record: "stored", "duplicate", "conflict" or "refused". */
typedef struct store_outbox_result { const char *id, *status, *message; } store_outbox_result;
/* In one transaction: stored and duplicate records leave the outbox (and are deleted when the
 * folder does not keep uploaded records); the others stay with the server's sentence. */
int  store_outbox_settle(store *s, const store_outbox_result *r, int n, its_err *err);
int  store_outbox_count(store *s, int *waiting, its_err *err);
typedef struct store_outbox_entry {
    char id[37], status[16], message[200];
    int attempts;
} store_outbox_entry;
/* The records the server answered with conflict or refused, oldest first; free() *out. */
int  store_outbox_problems(store *s, store_outbox_entry **out, int *n, its_err *err);

/* Worker station: the server cursor after the last committed page (0: none yet). */
int  store_pull_cursor(store *s, long long *cursor, its_err *err);
/* Stores a pulled page (records already here are skipped) and its cursor in one transaction;
 * *added gets the number of new records. A page with an envelope that is not a record of the
 * device named beside it is refused whole. */
int  store_pull_commit(store *s, const struct fleet_pull_page *page, int *added, its_err *err);

struct fleet_pull_req;
/* Signs a pull request (sets its worker key) with the signing key derived from the worker key. */
int  store_pull_sign(const store_key *key, struct fleet_pull_req *r, its_err *err);

/* The team a worker station pulls for (config "team", else the team `server team-add` wrote in
 * keys-bundle.json; "" when unknown); an enrolled device's own team. */
int  store_team(store *s, char *out, size_t n, its_err *err);
int  store_team_set(store *s, const char *team, its_err *err);
/* `server team-add`: writes the team it registered into DIR/keys-bundle.json ("team" is not
 * covered by the bundle's signature), where a worker station's pull finds it. */
int  store_bundle_set_team(const char *dir, const char *team, its_err *err);

/* ---- team keys (docs/fleet-protocol.md section 9) ------------------------------------------ */
/* A worker folder alone is a team of one: its records are sealed to its own key (epoch 1). In a
 * fleet team, devices seal to the team's public key of the current epoch; each epoch's secret
 * key reaches a member as a "wrap" (crypto_box_seal to the member's own worker key), kept here
 * in DIR/team-keys.json exactly as received, so it opens only after the worker's unlock. */
#define STORE_TEAM_EPOCHS_MAX 64
#define STORE_WRAP_BYTES 80
typedef struct store_team_epoch {
    long long epoch;
    unsigned char pk[32];                 /* the team's public key of this epoch */
    unsigned char wrap[STORE_WRAP_BYTES]; /* its secret key sealed to one member's worker key */
} store_team_epoch;
struct fleet_bundle;

/* The epochs in DIR/team-keys.json (*n = 0 when the folder has none), no key needed. */
int store_team_file_read(const char *dir, store_team_epoch *out, int *n, its_err *err) ITS_MUST_CHECK;
/* The founding worker: makes the team key of epoch 1, keeps it wrapped to itself in
 * team-keys.json and rewrites keys-bundle.json to name it (signed). Refused when the folder has
 * team keys already. */
int store_team_create(store *s, store_key *key, its_err *err) ITS_MUST_CHECK;
/* Checks that every wrap opens with this worker's key to the secret of its epoch's public key
 * and only then replaces team-keys.json with them (the key learns them too). A wrap for another
 * key, or for another epoch's key, is refused with one sentence and nothing is stored. */
int store_team_keys_accept(store *s, store_key *key, const store_team_epoch *e, int n,
                           its_err *err) ITS_MUST_CHECK;
/* Wraps every epoch this key holds to a new member's worker key (add-member). */
int store_team_wrap_for(const store_key *key, const unsigned char box_pk[32], store_team_epoch *out,
                        int *n, its_err *err) ITS_MUST_CHECK;
/* A new epoch (remove-member, run by the team's signer): a fresh team key pair whose secret is
 * wrapped to each of the n members' worker keys (wraps[i], 80 bytes each), and the bundle naming
 * it with this folder's recovery key, signed by this worker's signing key. The secret is wiped. */
int store_team_epoch_new(store *s, const store_key *key, long long epoch, const unsigned char (*members)[32],
                         int n, unsigned char (*wraps)[STORE_WRAP_BYTES], struct fleet_bundle *b,
                         its_err *err) ITS_MUST_CHECK;
/* An enrolled device: follows a newer epoch of the team's bundle (already signature-checked):
 * the signer must be the one pinned at enrolment and the recovery key unchanged. 1 when the
 * device now seals to the new key, 0 nothing to do, -1 refused (nothing changed). */
int store_fleet_bundle_apply(store *s, const struct fleet_bundle *b, its_err *err) ITS_MUST_CHECK;
/* A worker folder's public keys as a team member (its signing and worker keys, from config.json)
 * and its fingerprint (fleet_member_fingerprint); sign_pk and box_pk may be NULL. */
int store_worker_card(const char *dir, unsigned char *sign_pk, unsigned char *box_pk, char fp[20],
                      its_err *err) ITS_MUST_CHECK;
/* Opens an envelope (signature already checked) with the key its header names: the worker's own
 * key, one of its team epoch keys, or the recovery key; why gets the end of a sentence. */
int store_key_open(const store_key *key, const unsigned char *env, size_t len, unsigned char **payload,
                   size_t *plen, its_err *why) ITS_MUST_CHECK;
/* Reads a recovery key file without comparing it with a folder (the recovery drill). */
int store_recovery_key_load(const char *path, store_key **key, its_err *err) ITS_MUST_CHECK;

/* ---- programme summaries (docs/storage.md "Programme summaries", store/programme.c) --------
 * A folder with a programme key seals, with every result, a de-identified summary to that key
 * alone (questionnaire, month, site, level, flag rule ids, total and domain bands, research
 * consent, a keyed pseudonym of the client); a referral decision adds a sealed update. */
#define STORE_PROGRAMME_KEY_FILE "programme.key"           /* the analyst's secret key (passphrase) */
#define STORE_PSEUDONYM_FILE "programme-pseudonym.key"     /* 32 bytes on every device: the pseudonym key */
#define STORE_PROGRAMME_SECRET_BYTES 32

/* Makes the programme key pair: the secret key under the passphrase (Argon2id, as the worker
 * key) in key_file (never replaced), and gives the data folder dir the public key and a new
 * pseudonym secret. */
int store_programme_init(const char *dir, const char *key_file, const char *passphrase, store_kdf kdf,
                         its_err *err) ITS_MUST_CHECK;
/* Copies the programme public key and pseudonym secret of data folder from_dir into dir. */
int store_programme_join(const char *dir, const char *from_dir, its_err *err) ITS_MUST_CHECK;
bool store_programme_enabled(const store *s);
/* Unlocks the programme key file (a wrong passphrase: ITS_E_WRONG_PASSPHRASE). Free with store_lock. */
int store_programme_unlock(const char *key_file, const char *passphrase, store_key **key,
                           its_err *err) ITS_MUST_CHECK;
/* After a referral decision on record_id ("referred", "not_referred", "outcome"): seals an update
 * for the programme (nothing when the folder has no programme key). */
int store_programme_referral(store *s, const char *record_id, const char *decision,
                             its_err *err) ITS_MUST_CHECK;
/* After a research consent withdrawal on record_id: seals the update {"kind": "consent",
 * "research": "withdrawn"} for the programme (nothing when the folder has no programme key). */
int store_programme_consent_withdrawn(store *s, const char *record_id, its_err *err) ITS_MUST_CHECK;

typedef struct store_programme_item {
    long long created_at;     /* the sealed time (authenticated header) */
    unsigned char *payload;   /* JSON; NULL when the row could not be opened or is not genuine */
    size_t len;
} store_programme_item;
/* Opens every summary and update with the programme key (signatures checked against the pinned
 * device keys), oldest first, in threads. Free with store_programme_items_free. */
int store_programme_read(store *s, const store_key *key, store_programme_item **out, int *n,
                         its_err *err) ITS_MUST_CHECK;
void store_programme_items_free(store_programme_item *items, int n);

/* The summary of one result document (json_t*) as sealed (for tests and the benchmark). */
struct json_t;
struct json_t *store_programme_summary(const struct json_t *result, const char *site, long long at,
                                       const char *record_id,
                                       const unsigned char secret[STORE_PROGRAMME_SECRET_BYTES]);
const char *store_programme_band(double difficulty); /* "none" … "complete" on 0-100 */
void store_programme_month(long long at, char out[8]); /* "YYYY-MM" (UTC) */

/* Runs PRAGMA integrity_check; 0 ok, -1 with the first problem. */
int  store_check_integrity(store *s, its_err *err) ITS_MUST_CHECK;

/* Tests and demo data set the clock through store_clock.h (not for the kiosk or the worker). */
/* The store's clock: the time set with store_set_now (store_clock.h), else the real clock. */
long long store_now(const store *s);

/* A sealed cache beside the records, readable only with the same unlocked key (the worker's list
 * index, so an unlock does not reopen every record). Read returns 1 with the data (free it with
 * store_payload_free), 0 when there is no cache or it does not open (rebuild it), -1 on error. */
int store_cache_write(store *s, const store_key *key, const char *name, const unsigned char *data,
                      size_t len, its_err *err) ITS_MUST_CHECK;
int store_cache_read(store *s, const store_key *key, const char *name, unsigned char **data,
                     size_t *len, its_err *err) ITS_MUST_CHECK;
/* Removes every cache of the folder (retention does this after deleting records). */
int store_cache_remove_all(store *s, its_err *err) ITS_MUST_CHECK;

#endif
