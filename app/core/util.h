/* util.h — small helpers shared by every module: error values with a message, bounded string
 * copies and formatting, and a memory wipe the compiler cannot drop.
 *
 * Error convention used across Itsearvio: a function that can fail returns 0 on success and -1
 * on failure, and fills the caller's its_err with one plain sentence. No library code calls
 * exit() or prints; the command line or the UI decides what to show. */
#ifndef ITS_UTIL_H
#define ITS_UTIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdarg.h>

#define ITS_ERR_LEN 512

/* What kind of failure an its_err holds, for a caller that acts on it (a screen that asks for
 * the passphrase again, waits, or names a damaged record) instead of matching the sentence's
 * words. Most failures are ITS_E_OTHER: the sentence is all there is to say. */
typedef enum its_code {
    ITS_E_NONE = 0,         /* no failure recorded (a zeroed its_err) */
    ITS_E_OTHER,            /* any failure without a code of its own */
    ITS_E_WRONG_PASSPHRASE, /* the passphrase did not open the key (the delay may now grow) */
    ITS_E_LOCKED_OUT,       /* too many wrong passphrases: wait before the next try */
    ITS_E_BUSY,             /* the database is in use by another program: try again later */
    ITS_E_DISK_FULL,        /* no room left on the disk (or a size limit): nothing was written */
    ITS_E_DAMAGED,          /* a record, key file or database is damaged or was altered */
    ITS_E_NOT_FOUND,        /* no record or note with the id asked for */
    ITS_E_NO_MEMORY,        /* out of memory: nothing was changed */
    ITS_E_NOT_WRITABLE,     /* the database or folder cannot be written (permissions, read-only) */
    ITS_E_IO,               /* the disk could not be read or written */
    ITS_E_DATABASE,         /* the database refused or failed in a way without a code above */
    ITS_E_NO_TEAM_KEY,      /* a record is sealed to a team key this worker does not hold */
    ITS_E_COUNT             /* not a code: the number of codes (words_error_key has each one's) */
} its_code;

/* msg stays the first member so that `its_err err = {0};` keeps compiling. msg is the log's
 * sentence (English, for stderr, the audit log and the tests); a reader sees words_error's
 * rendering of key (a catalogue key, words.h) with arg, or of the code. */
typedef struct its_err {
    char msg[ITS_ERR_LEN];
    its_code code;
    const char *key; /* a static catalogue key ("err_export_exists"), NULL: by the code */
    char arg[128];   /* its {1}: a number of seconds, a file name */
} its_err;

#if defined(__GNUC__)
#define ITS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ITS_MUST_CHECK __attribute__((warn_unused_result))
#else
#define ITS_PRINTF(a, b)
#define ITS_MUST_CHECK
#endif

/* Sets err (if not NULL) and returns -1, so callers can write `return its_fail(err, ...)`.
 * Control characters in the message (a newline or escape in a path) are written as \xNN. */
int its_fail(its_err *err, const char *fmt, ...) ITS_PRINTF(2, 3);
/* The same with a code (its_fail sets ITS_E_OTHER). To keep an inner failure's kind when adding
 * words to it: its_fail_code(err, inner.code, "...: %s", inner.msg). */
int its_fail_code(its_err *err, its_code code, const char *fmt, ...) ITS_PRINTF(3, 4);
/* The same with the catalogue key (and its {1}, may be NULL) that words_error shows a reader. */
int its_fail_key(its_err *err, its_code code, const char *key, const char *arg, const char *fmt, ...)
    ITS_PRINTF(5, 6);
/* Copies src to dst (size n) with control characters written as \xNN; always terminated. */
void its_escape_controls(char *dst, size_t n, const char *src);
/* A plain reason for a JSON parse error, from jansson's error code: never jansson's text, which
 * quotes the input's raw bytes. ("a key appears twice in the same object") */
const char *its_json_reason(const json_error_t *je);
/* The same as a catalogue key ("cli_json_duplicate_key"), for a reader in their language; every
 * key is in fi, sv and en (test_words). */
const char *its_json_reason_key(const json_error_t *je);

/* Copies src into dst of size n, always terminated; returns strlen(src) like strlcpy. */
size_t its_strlcpy(char *dst, const char *src, size_t n);

/* Formats a file path into out (size n). A path that does not fit is refused, never cut (a cut
 * path names another file): returns -1 and says so in err. */
int its_path(char *out, size_t n, its_err *err, const char *fmt, ...) ITS_PRINTF(4, 5) ITS_MUST_CHECK;

/* Appends formatted text to dst (size n) after its current end; never overflows. */
void its_appendf(char *dst, size_t n, const char *fmt, ...) ITS_PRINTF(3, 4);

/* Duplicates a string with malloc; NULL in gives NULL out. */
char *its_strdup(const char *s);

/* Overwrites n bytes with zeros in a way the optimiser keeps (for answers and secrets). */
void its_wipe(void *p, size_t n);

/* Reads a whole file into a NUL-terminated malloc'd buffer; *len gets the size. */
char *its_read_file(const char *path, size_t *len, its_err *err);

/* Formats a score for people and golden files: fixed decimals, "." as separator. */
void its_format_number(char *dst, size_t n, double v, int decimals);

#endif
