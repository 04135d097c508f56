/* store_clock.h — a chosen clock for the store, for tests and demo data only: kept out of
 * store.h so that no kiosk or worker code can date a record other than now. Included by
 * store_int.h (the store and its tests) and by `itsearvio demo` (app/cli/cmd_demo.c). */
#ifndef ITS_STORE_CLOCK_H
#define ITS_STORE_CLOCK_H

#include "store.h"

/* Pretend the clock says `now` (seconds since 1970 UTC); 0 = real clock. */
void store_set_now(store *s, long long now);
/* Like store_save_result but with a chosen created-at time. */
int store_save_result_at(store *s, long long created_at, const unsigned char *payload, size_t len,
                         char record_id[37], its_err *err) ITS_MUST_CHECK;

#endif
