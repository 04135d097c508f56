/* files.c — durable 0600 files: keys, config and the demo passphrase are written through here. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void store_path(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

int store_dir_check(const char *dir, its_err *err)
{
    size_t len = strlen(dir);
    if (len > STORE_DIR_MAX)
        return its_fail(err, "The data folder path is too long (%zu characters, at most %d): use a "
                             "shorter folder.", len, STORE_DIR_MAX);
    return 0;
}

int store_fsync_dir(const char *dir, its_err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return its_fail(err, "%s: cannot open the folder: %s", dir, strerror(errno));
    int rc = fsync(fd);
    close(fd);
    if (rc != 0)
        return its_fail(err, "%s: cannot flush the folder to disk: %s", dir, strerror(errno));
    return 0;
}

int store_mkdirs(const char *dir, its_err *err)
{
    char path[STORE_PATH_MAX];
    if (its_strlcpy(path, dir, sizeof path) >= sizeof path)
        return its_fail(err, "The folder path is too long (at most %d characters).", STORE_PATH_MAX - 1);
    /* Each missing parent is made 0700 as `mkdir -p` would, so a data folder never sits in a
     * freshly made folder that others can list. */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return its_fail(err, "%s: cannot create the folder: %s.", path, strerror(errno));
        *p = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return its_fail(err, "%s: cannot create the folder: %s.", path, strerror(errno));
    return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int store_file_write(const char *path, const void *data, size_t len, bool replace, its_err *err)
{
    char tmp[STORE_PATH_MAX + 16];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return its_fail(err, "%s: cannot create the file: %s", path, strerror(errno));
    /* The umask can only take bits away; fchmod makes the mode exactly 0600. */
    if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return its_fail(err, "%s: cannot write the file: %s", path, strerror(e));
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return its_fail(err, "%s: cannot write the file: %s", path, strerror(e));
    }
    int rc = replace ? rename(tmp, path) : link(tmp, path);
    int e = errno;
    unlink(tmp);
    if (rc != 0) {
        if (e == EEXIST)
            return its_fail(err, "%s already exists; it was not replaced.", path);
        return its_fail(err, "%s: cannot write the file: %s", path, strerror(e));
    }
    char dir[STORE_PATH_MAX];
    its_strlcpy(dir, path, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    return store_fsync_dir(slash ? (dir[0] ? dir : "/") : ".", err);
}

int store_json_file_write(const char *dir, const char *name, json_t *o, its_err *err)
{
    char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
    json_decref(o);
    char path[STORE_PATH_MAX];
    store_path(path, sizeof path, dir, name);
    int rc = text ? store_file_write(path, text, strlen(text), true, err)
                  : its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory.");
    free(text);
    return rc;
}
