/* kiosk_sink.c — see kiosk_sink.h. */
#include "kiosk_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void kiosk_sink_draft_free(char *data, size_t len)
{
    if (data)
        its_wipe(data, len);
    free(data);
}

static char *copy_bytes(const char *data, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, data, len);
        c[len] = '\0';
    }
    return c;
}

/* A random version-4 UUID from /dev/urandom (time and pid if it cannot be read). */
static void make_uuid(char out[37])
{
    unsigned char b[16];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(b, 1, sizeof b, f) : 0;
    if (f)
        fclose(f);
    if (got != sizeof b) {
        unsigned long x = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
        for (size_t i = 0; i < sizeof b; i++) {
            x = x * 6364136223846793005ul + 1442695040888963407ul;
            b[i] = (unsigned char)(x >> 56);
        }
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/* ---- memory ----------------------------------------------------------------------------- */

typedef struct memory_sink {
    kiosk_sink base;
    char *draft;
    size_t draft_len;
    char *last;
    int count;
} memory_sink;

static int mem_save_result(kiosk_sink *k, const char *payload, size_t len, char id[37],
                           its_err *err)
{
    memory_sink *m = (memory_sink *)k;
    char *c = copy_bytes(payload, len);
    if (!c)
        return its_fail(err, "out of memory");
    kiosk_sink_draft_free(m->last, m->last ? strlen(m->last) : 0);
    m->last = c;
    m->count++;
    make_uuid(id);
    kiosk_sink_draft_free(m->draft, m->draft_len);
    m->draft = NULL;
    return 0;
}

static int mem_draft_save(kiosk_sink *k, const char *data, size_t len, its_err *err)
{
    memory_sink *m = (memory_sink *)k;
    char *c = copy_bytes(data, len);
    if (!c)
        return its_fail(err, "out of memory");
    kiosk_sink_draft_free(m->draft, m->draft_len);
    m->draft = c;
    m->draft_len = len;
    return 0;
}

static int mem_draft_load(kiosk_sink *k, char **data, size_t *len, its_err *err)
{
    memory_sink *m = (memory_sink *)k;
    if (!m->draft)
        return 0;
    *data = copy_bytes(m->draft, m->draft_len);
    *len = m->draft_len;
    return *data ? 1 : its_fail(err, "out of memory");
}

static int mem_draft_wipe(kiosk_sink *k, its_err *err)
{
    memory_sink *m = (memory_sink *)k;
    kiosk_sink_draft_free(m->draft, m->draft_len);
    m->draft = NULL;
    return 0;
}

static void mem_close(kiosk_sink *k)
{
    memory_sink *m = (memory_sink *)k;
    kiosk_sink_draft_free(m->draft, m->draft_len);
    kiosk_sink_draft_free(m->last, m->last ? strlen(m->last) : 0);
    free(m);
}

kiosk_sink *kiosk_sink_memory(void)
{
    memory_sink *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->base = (kiosk_sink){mem_save_result, mem_draft_save, mem_draft_load, mem_draft_wipe,
                           mem_close, 0, "memory"};
    return &m->base;
}

int kiosk_sink_memory_count(const kiosk_sink *k)
{
    return ((const memory_sink *)k)->count;
}

const char *kiosk_sink_memory_last(const kiosk_sink *k)
{
    return ((const memory_sink *)k)->last;
}

/* ---- files ------------------------------------------------------------------------------ */

typedef struct file_sink {
    kiosk_sink base;
    char dir[900];
} file_sink;

/* Writes path atomically: a temporary file, fsync, rename, fsync of the folder. */
static int write_durable(const char *dir, const char *path, const char *data, size_t len,
                         its_err *err)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return its_fail(err, "%s could not be written (%s).", tmp, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            unlink(tmp);
            return its_fail(err, "%s could not be written (%s).", tmp, strerror(errno));
        }
        done += (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return its_fail(err, "%s could not be saved (%s).", path, strerror(errno));
    }
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

static int files_draft_wipe(kiosk_sink *k, its_err *err)
{
    file_sink *f = (file_sink *)k;
    char path[1024];
    snprintf(path, sizeof path, "%s/draft.json", f->dir);
    if (unlink(path) != 0 && errno != ENOENT)
        return its_fail(err, "%s could not be removed (%s).", path, strerror(errno));
    return 0;
}

static int files_save_result(kiosk_sink *k, const char *payload, size_t len, char id[37],
                             its_err *err)
{
    file_sink *f = (file_sink *)k;
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s/results", f->dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return its_fail(err, "%s could not be made (%s).", dir, strerror(errno));
    make_uuid(id);
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    if (write_durable(dir, path, payload, len, err) != 0)
        return -1;
    return files_draft_wipe(k, err);
}

static int files_draft_save(kiosk_sink *k, const char *data, size_t len, its_err *err)
{
    file_sink *f = (file_sink *)k;
    char path[1024];
    snprintf(path, sizeof path, "%s/draft.json", f->dir);
    return write_durable(f->dir, path, data, len, err);
}

static int files_draft_load(kiosk_sink *k, char **data, size_t *len, its_err *err)
{
    file_sink *f = (file_sink *)k;
    char path[1024];
    snprintf(path, sizeof path, "%s/draft.json", f->dir);
    if (access(path, F_OK) != 0)
        return 0;
    *data = its_read_file(path, len, err);
    return *data ? 1 : -1;
}

static void files_close(kiosk_sink *k)
{
    free(k);
}

kiosk_sink *kiosk_sink_files(const char *dir, its_err *err)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        its_fail(err, "The data folder %s could not be made (%s).", dir, strerror(errno));
        return NULL;
    }
    file_sink *f = calloc(1, sizeof *f);
    if (!f) {
        its_fail(err, "out of memory");
        return NULL;
    }
    its_strlcpy(f->dir, dir, sizeof f->dir);
    f->base = (kiosk_sink){files_save_result, files_draft_save, files_draft_load,
                           files_draft_wipe, files_close, 0, "files"};
    return &f->base;
}
