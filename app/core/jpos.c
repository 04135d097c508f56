/* jpos.c — see jpos.h. A small recursive scanner; deep nesting beyond JPOS_MAX_DEPTH is skipped
 * (jansson has already refused anything deeper than its own limit), and at most JPOS_MAX_ENTRIES
 * positions are kept: a value past them is found at its nearest recorded parent, and a huge file
 * costs bounded memory. */
#include "jpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { JPOS_MAX_DEPTH = 64, JPOS_PATH_LEN = 512, JPOS_MAX_ENTRIES = 200000 };

typedef struct scanner {
    jpos *index;
    size_t at;
    char path[JPOS_PATH_LEN];
    int failed;
} scanner;

static void skip_ws(scanner *s)
{
    while (s->at < s->index->len && strchr(" \t\r\n", s->index->text[s->at]))
        s->at++;
}

static void record(scanner *s, size_t offset)
{
    jpos *x = s->index;
    if (x->n >= JPOS_MAX_ENTRIES)
        return;
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 256;
        jpos_entry *bigger = realloc(x->entries, (size_t)cap * sizeof *bigger);
        if (!bigger) {
            s->failed = 1;
            return;
        }
        x->entries = bigger;
        x->cap = cap;
    }
    char *copy = its_strdup(s->path);
    if (!copy) {
        s->failed = 1;
        return;
    }
    x->entries[x->n++] = (jpos_entry){copy, offset};
}

/* Skips a string starting at its opening quote; copies its raw bytes into out (may be NULL). */
static void skip_string(scanner *s, char *out, size_t out_len)
{
    const char *t = s->index->text;
    size_t n = 0;
    s->at++;
    while (s->at < s->index->len && t[s->at] != '"') {
        if (t[s->at] == '\\' && s->at + 1 < s->index->len)
            s->at++;
        if (out && n + 1 < out_len)
            out[n++] = t[s->at];
        s->at++;
    }
    s->at++;
    if (out)
        out[n] = '\0';
}

static void scan_value(scanner *s, int depth);

static void scan_container(scanner *s, int depth, char close)
{
    size_t base = strlen(s->path);
    int index = 0;
    s->at++;
    for (;;) {
        skip_ws(s);
        if (s->at >= s->index->len || s->index->text[s->at] == close)
            break;
        size_t start = s->at;
        char key[128];
        if (close == '}') {
            skip_string(s, key, sizeof key);
            skip_ws(s);
            s->at++; /* the colon */
        } else {
            snprintf(key, sizeof key, "%d", index++);
        }
        if (depth < JPOS_MAX_DEPTH) {
            its_appendf(s->path, sizeof s->path, "/%s", key);
            record(s, start);
        }
        skip_ws(s);
        scan_value(s, depth + 1);
        s->path[base] = '\0';
        skip_ws(s);
        if (s->at < s->index->len && s->index->text[s->at] == ',')
            s->at++;
    }
    s->at++;
}

static void scan_value(scanner *s, int depth)
{
    const char *t = s->index->text;
    if (s->at >= s->index->len || s->failed)
        return;
    if (t[s->at] == '{' || t[s->at] == '[') {
        scan_container(s, depth, t[s->at] == '{' ? '}' : ']');
    } else if (t[s->at] == '"') {
        skip_string(s, NULL, 0);
    } else {
        while (s->at < s->index->len && !strchr(",]} \t\r\n", t[s->at]))
            s->at++;
    }
}

int jpos_build(jpos *index, const char *text, size_t len)
{
    memset(index, 0, sizeof *index);
    index->text = text;
    index->len = len;
    scanner s = {.index = index};
    record(&s, 0);
    skip_ws(&s);
    scan_value(&s, 0);
    return s.failed ? -1 : 0;
}

void jpos_free(jpos *index)
{
    for (int i = 0; i < index->n; i++)
        free(index->entries[i].path);
    free(index->entries);
    memset(index, 0, sizeof *index);
}

static size_t find_offset(const jpos *index, const char *path)
{
    char want[JPOS_PATH_LEN];
    its_strlcpy(want, path, sizeof want);
    for (;;) {
        for (int i = 0; i < index->n; i++)
            if (!strcmp(index->entries[i].path, want))
                return index->entries[i].offset;
        char *slash = strrchr(want, '/');
        if (!slash)
            return 0;
        *slash = '\0';
    }
}

void jpos_find(const jpos *index, const char *path, int *line, int *column)
{
    size_t offset = find_offset(index, path);
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset && i < index->len; i++) {
        unsigned char c = (unsigned char)index->text[i];
        if (c == '\n') {
            (*line)++;
            *column = 1;
        } else if ((c & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}
