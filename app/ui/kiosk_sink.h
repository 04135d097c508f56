/* kiosk_sink.h — where the kiosk puts what it must keep: finished results and the draft.
 *
 * The kiosk talks only to this interface; the storage module (app/store) is one
 * implementation, so switching storage is a one-file change. Rules every implementation keeps:
 *   - save_result returns 0 only when the result is durable: only then does the client see
 *     "Kiitos"; on -1 the kiosk keeps the answers and shows a plain message;
 *   - a successful save_result also ends the draft;
 *   - draft_load returns 1 found, 0 none, -1 error, and hands out a malloc'd copy that the
 *     kiosk wipes and frees with draft_free.
 *
 * Implementations: kiosk_sink_store (the encrypted store of app/store: what kiosks and
 * tablets use) and kiosk_sink_failing (wraps another and refuses every result: tests of the
 * "could not be saved" screen). Nothing here writes answers in plain text.
 */
#ifndef ITS_KIOSK_SINK_H
#define ITS_KIOSK_SINK_H

#include <stddef.h>
#include "util.h"

typedef struct kiosk_sink kiosk_sink;

struct kiosk_sink {
    int (*save_result)(kiosk_sink *k, const char *payload, size_t len, char record_id[37],
                       its_err *err);
    int (*draft_save)(kiosk_sink *k, const char *data, size_t len, its_err *err);
    int (*draft_load)(kiosk_sink *k, char **data, size_t *len, its_err *err);
    int (*draft_wipe)(kiosk_sink *k, its_err *err);
    void (*close)(kiosk_sink *k);
    int idle_seconds;    /* idle limit the data folder asks for; 0: the kiosk default */
    const char *device;  /* device id recorded with each result */
};

void kiosk_sink_draft_free(char *data, size_t len);

struct store;
/* Results and drafts through an open store (sealed, durable, drafts encrypted and expiring). */
kiosk_sink *kiosk_sink_store(struct store *s);
/* Calls fn(ctx) after each durable save_result of a kiosk_sink_store (the fleet's background
 * upload); fn must return at once and never fails the save. */
void kiosk_sink_store_after_save(kiosk_sink *k, void (*fn)(void *ctx), void *ctx);

/* Passes drafts to `inner` but fails every save_result; closing it closes `inner`. */
kiosk_sink *kiosk_sink_failing(kiosk_sink *inner);

#endif
