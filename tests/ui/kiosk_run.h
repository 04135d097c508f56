/* kiosk_run.h — helpers for tests that drive the real `itsearvio kiosk --script` binary:
 * build a script in memory, run the binary headless (SDL dummy driver), open what it sealed in
 * the store with the demo worker key. */
#ifndef ITS_TEST_KIOSK_RUN_H
#define ITS_TEST_KIOSK_RUN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct script_buf {
    char text[65536];
    size_t len;
} script_buf;

/* Appends one formatted line. */
void sb_line(script_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct run_result {
    int exit_code;   /* -1 if killed by a signal */
    int signal;      /* the signal, or 0 */
    char out[8192];  /* stderr, for messages */
} run_result;

/* Writes the script to DIR/NAME.txt and runs `itsearvio MODE --dir DIR/NAME --windowed
 * --size SIZE --script ... EXTRA...` (EXTRA: NULL-terminated argv tail). */
run_result kiosk_run_script(const char *itsearvio, const char *work, const char *name,
                            const char *mode, const char *size, const script_buf *script,
                            const char *const *extra);

/* Runs a command with an environment change: env entries "NAME=value" or "NAME" (unset). */
run_result run_command(const char *const *argv, const char *const *env);

/* An extra environment entry for the next runs ("NAME=value"), or NULL for none. */
void kiosk_run_env(const char *entry);

/* Makes DIR/NAME afresh: a demo data folder (kiosk or tablet) with the cheapest key derivation,
 * whose worker key the tests can unlock with the published demo passphrase. */
int work_init(const char *work, const char *name, bool tablet);

/* Number of sealed results in DIR/NAME, and the newest one opened (json_t*, new reference). */
int results_count(const char *work, const char *name);
void *result_load(const char *work, const char *name);

/* Is there a draft (not expired) in DIR/NAME? */
bool draft_exists(const char *work, const char *name);

/* Removes DIR/NAME and everything in it. */
void work_clean(const char *work, const char *name);

#endif
