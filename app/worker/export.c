/* export.c — the safe file write and the export entry point (export.h).
 *
 * Invariants:
 * E1 The target name only ever points at a complete export. The bytes go to DIR/.NAME.XXXXXX
 *    (0600), then fflush + fsync; only a fully written, synced file is renamed over the target,
 *    and the folder is fsync'd so the rename survives a power cut. Every failure path removes
 *    the temporary file.
 * E2 No plaintext temporary outlives a killed export. Before the temporary exists, its absolute
 *    path is written to a note in the data folder, DATA/.export-XXXXXX.pending, which the export
 *    holds under a POSIX write lock until it is over (removed on success and on failure). A note
 *    that nobody holds belongs to a process that died: export_clean_stale(), run by every
 *    worker session at open (commands and screens), removes its temporary and the note.
 * E3 The "export" audit entry is written after the rename: the log never claims an export that
 *    is not there. If it cannot be written, the new file is removed again and the export fails.
 *    (A kill in the instant between the rename and the entry leaves a complete, unlogged file.)
 *
 * Note lifecycle: export: open(O_EXCL) -> lock (waiting) -> still linked? else retry -> write
 * path, fsync -> ... -> unlink note. Cleaner: open -> try lock (held: in use, skip) -> read path
 * -> unlink temporary -> unlink note. A note created but not yet locked that the cleaner takes
 * is unlinked under the cleaner's lock; its creator then sees it unlinked and makes another. */
#include "export.h"
#include "worker_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE_PREFIX ".export-"
#define NOTE_SUFFIX ".pending"
enum { EXPORT_PATH_MAX = 1200, SUFFIX_LEN = 6 };

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

/* ---- the wiping buffer ---------------------------------------------------------------------- */

static void *buf_alloc(const export_buf *b, size_t n)
{
    return b->alloc ? b->alloc(n) : malloc(n);
}

static void buf_release(const export_buf *b, void *p, size_t n)
{
    its_wipe(p, n);
    if (b->release)
        b->release(p, n);
    else
        free(p);
}

int export_buf_append(export_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return -1;
    if (b->len + n + 1 > b->cap) { /* grow by copying: the old block is wiped, never realloc'd */
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *text = buf_alloc(b, cap);
        if (!text) {
            b->failed = true;
            return -1;
        }
        if (b->text) {
            memcpy(text, b->text, b->len + 1);
            buf_release(b, b->text, b->cap);
        }
        b->text = text;
        b->cap = cap;
    }
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
    return 0;
}

int export_buf_json(const char *s, size_t n, void *data)
{
    return export_buf_append(data, s, n);
}

void export_buf_wipe(export_buf *b)
{
    if (b->text)
        buf_release(b, b->text, b->cap);
    b->text = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

/* The kind of a failed write, from errno: a full disk is one a screen names. */
static its_code code_of(int e)
{
    return e == ENOSPC || e == EDQUOT || e == EFBIG ? ITS_E_DISK_FULL : ITS_E_OTHER;
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

static void fsync_dir(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd); /* best effort: what it orders is already complete either way */
        close(dfd);
    }
}

/* out = PREFIX, SUFFIX_LEN random letters and digits, SUFFIX; -1 (err) when it does not fit. */
static int random_name(char *out, size_t n, const char *prefix, const char *suffix, its_err *err)
{
    static const char az[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char r[SUFFIX_LEN + 1];
    for (int i = 0; i < SUFFIX_LEN; i++)
        r[i] = az[randombytes_uniform(sizeof az - 1)];
    r[SUFFIX_LEN] = '\0';
    return its_path(out, n, err, "%s%s%s", prefix, r, suffix);
}

/* Creates `path` exclusively (0600) under a fresh random name; -1 with errno set. */
static int create_random(char *path, size_t n, const char *prefix, const char *suffix, int flags)
{
    for (int tries = 0; tries < 16; tries++) {
        if (random_name(path, n, prefix, suffix, NULL) != 0) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(path, flags | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* The note of one running export (E2); fd -1 when there is none (export_write_file). */
typedef struct export_note {
    int fd;
    char path[EXPORT_PATH_MAX];
} export_note;

static int note_open(export_note *note, const char *data_dir, const char *tmp, its_err *err)
{
    note->fd = -1;
    if (!data_dir)
        return 0;
    char prefix[EXPORT_PATH_MAX];
    if (its_path(prefix, sizeof prefix, err, "%s/" NOTE_PREFIX, data_dir) != 0)
        return -1;
    for (int tries = 0; tries < 16; tries++) {
        int fd = create_random(note->path, sizeof note->path, prefix, NOTE_SUFFIX, O_RDWR);
        if (fd < 0)
            return its_fail_code(err, code_of(errno), "The export was not started: the data folder "
                                 "%s cannot be written (%s).", data_dir, why(errno));
        struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        struct stat st;
        if (fcntl(fd, F_SETLKW, &lk) == 0 && fstat(fd, &st) == 0 && st.st_nlink > 0) {
            size_t len = strlen(tmp);
            if (write(fd, tmp, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0) {
                note->fd = fd;
                fsync_dir(data_dir);
                return 0;
            }
            int e = errno;
            unlink(note->path);
            close(fd);
            return its_fail_code(err, code_of(e), "The export was not started: the data folder %s "
                                 "cannot be written (%s).", data_dir, why(e));
        }
        close(fd); /* a cleaner took it first (see the top of this file): another name */
    }
    return its_fail(err, "The export was not started: its note in %s kept being removed.", data_dir);
}

static void note_close(export_note *note)
{
    if (note->fd < 0)
        return;
    unlink(note->path);
    close(note->fd); /* releases the lock */
    note->fd = -1;
}

/* The temporary's absolute path (a note is read later, from another working folder). */
static int temp_prefix(char *out, size_t n, const char *path, const char *base, its_err *err)
{
    char cwd[EXPORT_PATH_MAX] = "";
    const char *slash = strrchr(path, '/');
    int dlen = slash ? (int)(slash - path) : 0; /* "/x" has the folder "" + "/" */
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
        return its_fail(err, "The export was not written to %s: %s.", path,
                        errno == ERANGE ? "the working folder's path is too long" : why(errno));
    return its_path(out, n, err, "%s%s%.*s/.%s.", cwd, cwd[0] && dlen ? "/" : "", dlen, path, base);
}

/* "The export was not written to PATH: why." The reader sees the code's sentence (disk full) or
 * err_export_not_written naming the file. */
static int not_written(its_err *err, int e, const char *path, const char *more)
{
    its_code code = code_of(e);
    return its_fail_key(err, code, code == ITS_E_OTHER ? "err_export_not_written" : NULL, path,
                        "The export was not written to %s: %s.%s", path, why(e), more);
}

/* export_write_file with a note in data_dir (NULL: none) and a hook that runs after the rename
 * (E3); when the hook fails the new file is removed again. */
static int write_file_ex(const char *path, const char *data_dir,
                         int (*write)(FILE *out, void *ctx, its_err *err),
                         int (*commit)(void *ctx, its_err *err), void *ctx, its_err *err)
{
    if (!path || !*path)
        return its_fail(err, "No file name was given for the export.");
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return its_fail_key(err, ITS_E_OTHER, "err_export_not_a_file", path,
                            "The export was not written: %s exists and is not an ordinary file.", path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base)
        return its_fail_key(err, ITS_E_OTHER, "err_export_not_a_file", path,
                            "The export was not written: %s names a folder, not a file.", path);
    char prefix[EXPORT_PATH_MAX], tmp[EXPORT_PATH_MAX];
    export_note note;
    if (temp_prefix(prefix, sizeof prefix - SUFFIX_LEN, path, base, err) != 0 ||
        random_name(tmp, sizeof tmp, prefix, "", err) != 0 || note_open(&note, data_dir, tmp, err) != 0)
        return -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        note_close(&note);
        return not_written(err, e, path, "");
    }
    fchmod(fd, 0600); /* whatever the umask: exports hold personal data */
    FILE *out = fdopen(fd, "wb");
    if (!out) {
        int e = errno;
        close(fd);
        unlink(tmp);
        note_close(&note);
        return not_written(err, e, path, "");
    }
    int rc = write(out, ctx, err);
    int e = 0;
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        e = errno ? errno : EIO;
    if (rc == 0 && !e && fsync(fd) != 0)
        e = errno;
    if (fclose(out) != 0 && rc == 0 && !e)
        e = errno ? errno : EIO;
    if (rc == 0 && !e && rename(tmp, path) != 0)
        e = errno;
    if (rc != 0 || e) {
        unlink(tmp);
        note_close(&note);
        if (rc == 0)
            not_written(err, e, path, " Nothing was left behind.");
        return -1;
    }
    char *cut = strrchr(prefix, '/'); /* prefix is ABSOLUTE_DIR/.NAME. */
    if (cut) {
        *cut = '\0';
        fsync_dir(prefix[0] ? prefix : "/");
    }
    if (commit && commit(ctx, err) != 0) {
        unlink(path);
        note_close(&note);
        return -1;
    }
    note_close(&note);
    return 0;
}

int export_write_file(const char *path, int (*write)(FILE *out, void *ctx, its_err *err), void *ctx,
                      its_err *err)
{
    return write_file_ex(path, NULL, write, NULL, ctx, err);
}

/* True for NAME.XXXXXX with a leading dot and SUFFIX_LEN letters or digits at the end: the shape
 * of an export temporary, checked before a name read from a note is removed. */
static bool temp_shaped(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (base[0] != '.' || n < SUFFIX_LEN + 3 || base[n - SUFFIX_LEN - 1] != '.')
        return false;
    for (size_t i = n - SUFFIX_LEN; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", base[i]))
            return false;
    return true;
}

/* Removes the temporary named in one note nobody holds, then the note; false if it is held. */
static bool clean_note(const char *note_path)
{
    int fd = open(note_path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLK, &lk) != 0) {
        close(fd); /* held: an export is running */
        return false;
    }
    char tmp[EXPORT_PATH_MAX + 2];
    ssize_t n = read(fd, tmp, sizeof tmp - 1);
    tmp[n > 0 ? n : 0] = '\0';
    char *nl = strchr(tmp, '\n');
    if (nl)
        *nl = '\0';
    struct stat st;
    if (tmp[0] == '/' && temp_shaped(tmp) && lstat(tmp, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_uid == geteuid())
        unlink(tmp);
    unlink(note_path);
    close(fd);
    return true;
}

int export_clean_stale(const char *data_dir, int *removed)
{
    int dummy;
    if (!removed)
        removed = &dummy;
    *removed = 0;
    DIR *d = opendir(data_dir);
    if (!d)
        return -1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name), pl = strlen(NOTE_PREFIX), sl = strlen(NOTE_SUFFIX);
        if (n <= pl + sl || strncmp(de->d_name, NOTE_PREFIX, pl) ||
            strcmp(de->d_name + n - sl, NOTE_SUFFIX))
            continue;
        char path[EXPORT_PATH_MAX];
        if (its_path(path, sizeof path, NULL, "%s/%s", data_dir, de->d_name) == 0 && clean_note(path))
            (*removed)++;
    }
    closedir(d);
    return 0;
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
        return its_fail_code(err, code_of(errno), "The export could not be written: %s.",
                             why(errno ? errno : EIO));
    return rc;
}

/* Logs the export; runs before the data leaves (stdout) or after the rename (file, E3). */
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
        return its_fail(err, c->path ? "The export was removed again because it could not be logged: %s"
                                     : "The export was not written because it could not be logged: %s",
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
        return write_file_ex(path, ws->dir, run_write, run_log, &c, err);
    if (run_log(&c, err) != 0 || run_write(stdout, &c, err) != 0)
        return -1;
    if (fflush(stdout) != 0)
        return its_fail_code(err, code_of(errno), "The export could not be written: %s.", why(errno));
    return 0;
}
