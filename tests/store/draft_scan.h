/* draft_scan.h — what a person holding a stolen kiosk could do with its data folder, as a test:
 * take every file's raw bytes (database, -wal, -shm, keys, anything else), find every draft-shaped
 * row in them (live, deleted, or an old page copy in the WAL), and try to open each with every
 * 32-byte string found in the folder's small files (where a key file would be). Also counts
 * plain-text hits of given markers in every file.
 *
 * A draft row is the SQLite record of draft(slot INTEGER PRIMARY KEY, saved_at, nonce, box): its
 * header is [length][0 = slot, the rowid][saved_at's serial type][60 = a 24-byte blob][varint
 * 2·n+12 = the n-byte box], and the body follows the header. The positive cases of the tests
 * (a session killed before it was sent) show that the scan does find and open live drafts. */
#ifndef ITS_DRAFT_SCAN_H
#define ITS_DRAFT_SCAN_H

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCAN_MAX_FILES 64
#define SCAN_SMALL_FILE 8192

typedef struct scan_file {
    char name[256];
    unsigned char *b;
    size_t n;
} scan_file;

typedef struct scan_result {
    int shapes;         /* draft-shaped rows found */
    int opened;         /* of those, opened with a key found in the folder */
    char opened_text[4096]; /* the plain text of the last one opened (for marker checks) */
    int marker_hits;    /* plain-text hits of the markers, all files */
} scan_result;

static inline int scan_load(const char *dir, scan_file *f)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && n < SCAN_MAX_FILES && (e = readdir(d));) {
        char path[1024];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        FILE *fp = fopen(path, "rb");
        f[n].b = malloc((size_t)st.st_size + 1);
        f[n].n = fp && f[n].b ? fread(f[n].b, 1, (size_t)st.st_size, fp) : 0;
        snprintf(f[n].name, sizeof f[n].name, "%s", e->d_name);
        if (fp)
            fclose(fp);
        n++;
    }
    if (d)
        closedir(d);
    return n;
}

static inline size_t scan_varint(const unsigned char *p, size_t left, unsigned long long *v)
{
    *v = 0;
    for (size_t i = 0; i < left && i < 9; i++) {
        *v = (*v << 7) | (p[i] & 0x7f);
        if (!(p[i] & 0x80))
            return i + 1;
    }
    return 0;
}

/* Tries every key on one draft-shaped row at b[j] (the record header); 1 opened. */
static inline int scan_try(const scan_file *files, int nf, const unsigned char *b, size_t n, size_t j,
                           scan_result *r)
{
    static const int int_size[10] = {0, 1, 2, 3, 4, 6, 8, 0, 0, 0};
    unsigned long long v;
    size_t vl = scan_varint(b + j + 4, n - j - 4, &v);
    if (!vl || b[j] != 4 + vl || v < 12 + 2 * (crypto_secretbox_MACBYTES + 8) || v % 2)
        return 0;
    size_t body = j + b[j] + (size_t)int_size[b[j + 2]];
    size_t blen = (size_t)(v - 12) / 2;
    if (body + 24 + blen > n)
        return 0;
    r->shapes++;
    const unsigned char *nonce = b + body, *box = nonce + 24;
    unsigned char *plain = malloc(blen);
    int ok = 0;
    for (int k = 0; plain && !ok && k < nf; k++) {
        if (files[k].n > SCAN_SMALL_FILE)
            continue;
        for (size_t w = 0; !ok && w + 32 <= files[k].n; w++)
            ok = crypto_secretbox_open_easy(plain, box, blen, nonce, files[k].b + w) == 0;
    }
    if (ok) {
        size_t t = blen - crypto_secretbox_MACBYTES;
        t = t < sizeof r->opened_text - 1 ? t : sizeof r->opened_text - 1;
        memcpy(r->opened_text, plain, t);
        r->opened_text[t] = '\0';
        for (size_t i = 0; i < t; i++) /* the 8-byte time stamp: keep the text searchable */
            if (!r->opened_text[i])
                r->opened_text[i] = ' ';
    }
    free(plain);
    return ok;
}

static inline size_t scan_count(const unsigned char *b, size_t n, const char *needle)
{
    size_t k = strlen(needle), hits = 0;
    for (size_t i = 0; k && i + k <= n; i++)
        hits += memcmp(b + i, needle, k) == 0;
    return hits;
}

/* Scans every file of dir; markers (NULL-terminated) are searched in the clear. */
static inline scan_result scan_folder(const char *dir, const char *const *markers)
{
    scan_result r;
    memset(&r, 0, sizeof r);
    static scan_file files[SCAN_MAX_FILES];
    int nf = scan_load(dir, files);
    for (int f = 0; f < nf; f++) {
        const unsigned char *b = files[f].b;
        size_t n = files[f].n;
        for (size_t j = 0; j + 8 < n; j++)
            if (b[j + 1] == 0 && b[j + 2] >= 1 && b[j + 2] <= 6 && b[j + 3] == 60)
                r.opened += scan_try(files, nf, b, n, j, &r);
        for (int m = 0; markers && markers[m]; m++) {
            size_t h = scan_count(b, n, markers[m]);
            if (h)
                fprintf(stderr, "  %s holds \"%s\" in the clear (%zu times)\n", files[f].name,
                        markers[m], h);
            r.marker_hits += (int)h;
        }
    }
    for (int f = 0; f < nf; f++)
        free(files[f].b);
    return r;
}

#endif
