/* export.h — moving results out: CSV, FHIR R4 JSON and a printable one-page PDF report.
 *
 * Owns the export formats (documented in docs/export-formats.md) and the safe write: an export
 * to a file goes to a temporary file in the same folder (mode 0600), is flushed and fsync'd, and
 * only then renamed over the target, so a full disk, a read-only folder or a crash never leaves
 * a half-written file under the target name. Each export writes one "export" entry to the audit
 * log (format, record count, file name; never answers or client codes).
 *
 * Records that cannot be opened are left out and counted in *skipped; the caller says so.
 *
 * A killed export leaves no plaintext behind for long: its temporary is noted in the data folder
 * and removed by export_clean_stale() at the next worker session (export.c, invariant E2). */
#ifndef ITS_EXPORT_H
#define ITS_EXPORT_H

#include <stdio.h>
#include "worker.h"

typedef enum { EXPORT_CSV, EXPORT_FHIR, EXPORT_PDF } export_format;

/* A growing text for an export that leaves no plaintext copy behind in freed memory: when it
 * grows, the old block is wiped before it is freed (realloc, open_memstream and json_dumps would
 * free it as it was), and export_buf_wipe wipes the rest. alloc/release may be set before the
 * first append (a test watches the wiping); NULL means malloc and free. */
typedef struct export_buf {
    char *text; /* NUL-terminated; NULL until the first append */
    size_t len, cap;
    bool failed; /* out of memory once: the text is incomplete */
    void *(*alloc)(size_t n);
    void (*release)(void *p, size_t n);
} export_buf;

/* Appends n bytes of s; -1 (and failed set) when out of memory. */
int export_buf_append(export_buf *b, const char *s, size_t n);
/* A json_dump_callback writer into the export_buf at data (jansson then keeps no copy). */
int export_buf_json(const char *s, size_t n, void *data);
/* Wipes and frees the text; the buffer is empty again (its alloc and release kept). */
void export_buf_wipe(export_buf *b);

/* "csv", "fhir", "pdf" to the format; -1 if unknown. */
int export_format_parse(const char *name, export_format *f) ITS_MUST_CHECK;
const char *export_format_name(export_format f);

/* Writers to an open stream. `rows` are session entry indices (from worker_list). */
int export_csv(worker_session *ws, const int *rows, int n, FILE *out, int *skipped,
               its_err *err) ITS_MUST_CHECK;
/* One CSV field as export_csv writes it: quoted when needed, formula-shaped text neutralised;
 * a comma before it unless first. */
void export_csv_field(FILE *out, bool first, const char *s);
int export_fhir(worker_session *ws, const int *rows, int n, FILE *out, int *skipped,
                its_err *err) ITS_MUST_CHECK;
/* One A4 page per record, newest of the client's earlier results listed on it. */
int export_pdf(worker_session *ws, const int *rows, int n, FILE *out, int *skipped,
               its_err *err) ITS_MUST_CHECK;

/* The report page of entry `row` as a PNG image, `scale` pixels per point (1: 595 x 842), written
 * safely to `path`. The same drawing as the PDF: for tests, and a preview on screen. */
int export_report_png(worker_session *ws, int row, double scale, const char *path,
                      its_err *err) ITS_MUST_CHECK;

/* Exports to `path` safely (see above), or to stdout when path is NULL or "-" (not for PDF).
 * Logs "export" on success. */
int export_run(worker_session *ws, export_format f, const int *rows, int n, const char *path,
               int *skipped, its_err *err) ITS_MUST_CHECK;

/* Removes the temporaries of exports whose process died (and their notes) from data_dir; counts
 * them in *removed. -1 only when the folder cannot be read. Run by worker_session_open. */
int export_clean_stale(const char *data_dir, int *removed);

/* The safe write on its own: calls write(out, ctx, err) on a temporary file next to `path`, then
 * flushes, fsyncs and renames it to `path`. Refuses a target that exists and is not a regular
 * file (/dev/full, a folder). On failure nothing is left at `path` or beside it. */
int export_write_file(const char *path, int (*write)(FILE *out, void *ctx, its_err *err), void *ctx,
                      its_err *err) ITS_MUST_CHECK;

#endif
