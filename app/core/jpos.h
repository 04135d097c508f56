/* jpos.h — where each value of a JSON text stands (line and column), by JSON Pointer path.
 *
 * jansson reports positions only for syntax errors. The questionnaire validator also needs them
 * for problems it finds later ("unknown scale 'difficulty'" at the item's own line), so this
 * module scans the same text once and records the position of every object member (at its key)
 * and array element. Paths look like "/items/3/scale". The text must already be valid JSON. */
#ifndef ITS_JPOS_H
#define ITS_JPOS_H

#include <stddef.h>

typedef struct jpos_entry {
    char *path;
    size_t offset;
} jpos_entry;

typedef struct jpos {
    const char *text;
    size_t len;
    jpos_entry *entries;
    int n, cap;
} jpos;

/* Indexes `text`. Returns -1 only when out of memory. */
int jpos_build(jpos *index, const char *text, size_t len);
void jpos_free(jpos *index);

/* Line and column (1-based; columns count characters, not bytes) of `path`, or of its nearest
 * recorded parent when the path itself is not recorded (past the first 200,000 values, or nested
 * deeper than 64). */
void jpos_find(const jpos *index, const char *path, int *line, int *column);

#endif
