/* export.c — the safe file write and the export entry point (export.h).
 *
 * Invariant: the target name only ever points at a complete export. The bytes go to
 * DIR/.NAME.XXXXXX (0600), then fflush + fsync; only a fully written, synced file is renamed over
 * the target, and the folder is fsync'd so the rename survives a power cut. Every failure path
 * removes the temporary file. */
#include "export.h"
#include "worker_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int export_format_parse(const char *name, export_format *f)
{
    static const char *const names[] = {"csv", "fhir", "pdf"};
    for (int i = 0; name && i < 3; i++)
        if (!strcmp(name, names[i])) {
            *f = (export_format)i;
            return 0;
        }
    return -1;
}

const char *export_format_name(export_format f)
{
    return f == EXPORT_CSV ? "csv" : f == EXPORT_FHIR ? "fhir" : "pdf";
}

/* A plain reason for a failed write, from errno. */
static const char *why(int e)
{
    switch (e) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return "the disk is full";
    case EROFS:
        return "the location is read-only";
    case EACCES:
    case EPERM:
        return "there is no permission to write there";
    case ENOENT:
    case ENOTDIR:
        return "the folder does not exist";
    default:
        return strerror(e);
    }
}

/* export_write_file with a hook that runs after the data is synced and before the rename. */
static int write_file_ex(const char *path, int (*write)(FILE *out, void *ctx, its_err *err),
                         int (*commit)(void *ctx, its_err *err), void *ctx, its_err *err)
{
    if (!path || !*path)
        return its_fail(err, "No file name was given for the export.");
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return its_fail(err, "The export was not written: %s exists and is not an ordinary file.",
                        path);
    char dir[1024], tmp[1200];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base)
        return its_fail(err, "The export was not written: %s names a folder, not a file.", path);
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path == 0 ? 1 : slash - path), path);
    else
        its_strlcpy(dir, ".", sizeof dir);
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, base);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return its_fail(err, "The export was not written to %s: %s.", path, why(errno));
    fchmod(fd, 0600); /* mkstemp already uses 0600; explicit because exports hold personal data */
    FILE *out = fdopen(fd, "wb");
    if (!out) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return its_fail(err, "The export was not written to %s: %s.", path, why(e));
    }
    int rc = write(out, ctx, err);
    int e = 0;
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        e = errno ? errno : EIO;
    if (rc == 0 && !e && fsync(fd) != 0)
        e = errno;
    if (fclose(out) != 0 && rc == 0 && !e)
        e = errno ? errno : EIO;
    if (rc == 0 && !e && commit)
        rc = commit(ctx, err);
    if (rc == 0 && !e && rename(tmp, path) != 0)
        e = errno;
    if (rc != 0 || e) {
        unlink(tmp);
        if (rc == 0)
            its_fail(err, "The export was not written to %s: %s. Nothing was left behind.", path,
                     why(e));
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd); /* best effort: the file is complete either way */
        close(dfd);
    }
    return 0;
}

int export_write_file(const char *path, int (*write)(FILE *out, void *ctx, its_err *err), void *ctx,
                      its_err *err)
{
    return write_file_ex(path, write, NULL, ctx, err);
}

typedef struct run_ctx {
    worker_session *ws;
    export_format f;
    const int *rows;
    int n;
    int *skipped;
    const char *path;
} run_ctx;

static int run_write(FILE *out, void *p, its_err *err)
{
    run_ctx *c = p;
    int rc = c->f == EXPORT_CSV    ? export_csv(c->ws, c->rows, c->n, out, c->skipped, err)
             : c->f == EXPORT_FHIR ? export_fhir(c->ws, c->rows, c->n, out, c->skipped, err)
                                   : export_pdf(c->ws, c->rows, c->n, out, c->skipped, err);
    if (rc == 0 && ferror(out))
        return its_fail(err, "The export could not be written: %s.", why(errno ? errno : EIO));
    return rc;
}

/* Logs the export; runs before the data leaves (stdout) or before the rename (file). */
static int run_log(void *p, its_err *err)
{
    run_ctx *c = p;
    const char *slash = c->path ? strrchr(c->path, '/') : NULL;
    char detail[200];
    snprintf(detail, sizeof detail, "%s, %d records to %s", export_format_name(c->f),
             c->n - *c->skipped,
             !c->path ? "standard output"
             : slash  ? slash + 1
                      : c->path);
    its_err why_log;
    if (store_audit(c->ws->store, "export", detail, &why_log) != 0)
        return its_fail(err, "The export was not written because it could not be logged: %s",
                        why_log.msg);
    return 0;
}

int export_run(worker_session *ws, export_format f, const int *rows, int n, const char *path,
               int *skipped, its_err *err)
{
    int dummy;
    if (!skipped)
        skipped = &dummy;
    *skipped = 0;
    bool to_stdout = !path || !strcmp(path, "-");
    run_ctx c = {ws, f, rows, n, skipped, to_stdout ? NULL : path};
    if (to_stdout && f == EXPORT_PDF)
        return its_fail(err, "A PDF export needs a file name (--out FILE.pdf).");
    if (!to_stdout)
        return write_file_ex(path, run_write, run_log, &c, err);
    if (run_log(&c, err) != 0 || run_write(stdout, &c, err) != 0)
        return -1;
    if (fflush(stdout) != 0)
        return its_fail(err, "The export could not be written: %s.", why(errno));
    return 0;
}
