/* powercut.c — an LD_PRELOAD shim that simulates a power cut in the process it is loaded into.
 *
 * It watches the files of one folder (POWERCUT_DIR) and keeps, in POWERCUT_SHADOW, what a disk
 * would still hold after the power went: a file's bytes as of its last fsync/fdatasync, and a
 * rename or unlink only once the folder itself was fsync'd. Everything written after that is
 * dropped, as a disk cache without power drops it. At the POWERCUT_AT-th write, sync, rename,
 * unlink or truncate touching the folder the process dies at once (SIGKILL), before the call runs.
 * The test (test_store_crash --power-cut) then puts the shadow in place of the folder, opens it
 * as a restarted device would, and checks every result acknowledged before the cut.
 *
 * The shadow starts as a copy of the folder (made by the test). Memory-mapped writes (SQLite's
 * -shm index) are never synced, so they never reach the shadow: SQLite rebuilds that file. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum { PC_PATH = 1024, PC_PENDING = 64 };

/* The C library's own function (the shim's copies and renames must not count as events). */
#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

typedef struct pc_op {
    char from[PC_PATH], to[PC_PATH]; /* names inside the folder; to "" for an unlink */
} pc_op;

static struct {
    int ready;
    char dir[PC_PATH], shadow[PC_PATH];
    long at, events;
    pc_op pending[PC_PENDING];
    int n_pending;
} pc;

static void pc_init(void)
{
    if (pc.ready)
        return;
    pc.ready = -1;
    const char *d = getenv("POWERCUT_DIR"), *s = getenv("POWERCUT_SHADOW"), *a = getenv("POWERCUT_AT");
    if (!d || !s || !a || !realpath(d, pc.dir) || !realpath(s, pc.shadow))
        return;
    pc.at = strtol(a, NULL, 10);
    pc.ready = 1;
}

/* The name inside the folder of an absolute or relative path, or NULL if it is elsewhere. */
static const char *pc_name_of_path(const char *path, char *buf, size_t n)
{
    char abs[2 * PC_PATH + 2], cwd[PC_PATH] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
        return NULL;
    if (snprintf(abs, sizeof abs, "%s%s%s", cwd, cwd[0] ? "/" : "", path) >= (int)sizeof abs)
        return NULL; /* longer than any path in the watched folder */
    size_t dl = strlen(pc.dir);
    if (strncmp(abs, pc.dir, dl) != 0 || (abs[dl] != '/' && abs[dl] != '\0'))
        return NULL;
    snprintf(buf, n, "%s", abs[dl] == '/' ? abs + dl + 1 : "");
    return buf;
}

/* The name inside the folder of an open file ("" for the folder itself), or NULL. */
static const char *pc_name_of_fd(int fd, char *buf, size_t n)
{
    char link[64], target[PC_PATH];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, target, sizeof target - 1);
    if (len <= 0)
        return NULL;
    target[len] = '\0';
    return pc_name_of_path(target, buf, n);
}

/* One more event in the folder; at the chosen one the power goes. */
static void pc_event(void)
{
    if (++pc.events == pc.at)
        kill(getpid(), SIGKILL);
}

static int pc_tracked_fd(int fd)
{
    pc_init();
    char name[PC_PATH];
    if (pc.ready != 1 || !pc_name_of_fd(fd, name, sizeof name))
        return 0;
    pc_event();
    return 1;
}

/* Copies the synced file (open as fd) to the shadow under its name. */
static void pc_keep(int fd, const char *name)
{
    char path[2 * PC_PATH], tmp[2 * PC_PATH + 8];
    snprintf(path, sizeof path, "%s/%s", pc.shadow, name);
    snprintf(tmp, sizeof tmp, "%s.pc-tmp", path);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0)
        return;
    char buf[65536];
    off_t at = 0;
    ssize_t got;
    while ((got = pread(fd, buf, sizeof buf, at)) > 0) {
        if (REAL(write)(out, buf, (size_t)got) != got)
            break;
        at += got;
    }
    close(out);
    REAL(rename)(tmp, path);
}

/* The folder was synced: its pending renames and unlinks reach the shadow, in order. */
static void pc_apply_pending(void)
{
    for (int i = 0; i < pc.n_pending; i++) {
        char from[2 * PC_PATH], to[2 * PC_PATH];
        snprintf(from, sizeof from, "%s/%s", pc.shadow, pc.pending[i].from);
        snprintf(to, sizeof to, "%s/%s", pc.shadow, pc.pending[i].to);
        if (pc.pending[i].to[0])
            REAL(rename)(from, to);
        else
            REAL(unlink)(from);
    }
    pc.n_pending = 0;
}

static void pc_pend(const char *from, const char *to)
{
    if (pc.n_pending == PC_PENDING) { /* a long run without a folder sync: keep the newest ops */
        memmove(pc.pending, pc.pending + 1, sizeof pc.pending[0] * (PC_PENDING - 1));
        pc.n_pending--;
    }
    snprintf(pc.pending[pc.n_pending].from, PC_PATH, "%s", from);
    snprintf(pc.pending[pc.n_pending].to, PC_PATH, "%s", to);
    pc.n_pending++;
}

static int pc_sync(int fd, int (*real)(int))
{
    pc_init();
    char name[PC_PATH];
    int tracked = pc.ready == 1 && pc_name_of_fd(fd, name, sizeof name);
    if (tracked)
        pc_event();
    int rc = real(fd);
    if (tracked && rc == 0) {
        if (name[0])
            pc_keep(fd, name);
        else
            pc_apply_pending();
    }
    return rc;
}

int fsync(int fd)
{
    return pc_sync(fd, REAL(fsync));
}

int fdatasync(int fd)
{
    return pc_sync(fd, REAL(fdatasync));
}

ssize_t write(int fd, const void *b, size_t n)
{
    pc_tracked_fd(fd);
    return REAL(write)(fd, b, n);
}

ssize_t pwrite(int fd, const void *b, size_t n, off_t off)
{
    pc_tracked_fd(fd);
    return REAL(pwrite)(fd, b, n, off);
}

ssize_t pwrite64(int fd, const void *b, size_t n, off64_t off)
{
    pc_tracked_fd(fd);
    return REAL(pwrite64)(fd, b, n, off);
}

ssize_t writev(int fd, const struct iovec *v, int n)
{
    pc_tracked_fd(fd);
    return REAL(writev)(fd, v, n);
}

int ftruncate(int fd, off_t len)
{
    pc_tracked_fd(fd);
    return REAL(ftruncate)(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
    pc_tracked_fd(fd);
    return REAL(ftruncate64)(fd, len);
}

int rename(const char *from, const char *to)
{
    pc_init();
    char a[PC_PATH], b[PC_PATH];
    if (pc.ready == 1 && pc_name_of_path(from, a, sizeof a) && pc_name_of_path(to, b, sizeof b)) {
        pc_event();
        pc_pend(a, b);
    }
    return REAL(rename)(from, to);
}

int unlink(const char *path)
{
    pc_init();
    char a[PC_PATH];
    if (pc.ready == 1 && pc_name_of_path(path, a, sizeof a)) {
        pc_event();
        pc_pend(a, "");
    }
    return REAL(unlink)(path);
}
