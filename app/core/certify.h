/* certify.h — the certification record of a translation: who may offer it to clients.
 *
 * Owns the rule for content packs (a locale file, or a language of a questionnaire file): a
 * translation is offered to clients only after a certified translator made it and a reviewer
 * checked it. The record says so, in the file itself:
 *
 *     "certification": {"translator": "Name, certificate", "reviewer": "Name", "date": "2026-11-30"}
 *
 * (in a questionnaire, one such record per language under "certification"). Finnish, Swedish
 * and English are the program's own texts, reviewed in this repository, and need none. A record
 * {"reviewed": false, "note": "..."} marks a machine-made or test translation: it loads, but is
 * never offered to clients (only a test or demo switch shows it). No record at all: refused. */
#ifndef ITS_CERTIFY_H
#define ITS_CERTIFY_H

#include <stdbool.h>
#include <jansson.h>

#include "util.h"

typedef enum certify_state {
    CERTIFY_OK,         /* certified, or one of the program's own languages */
    CERTIFY_UNREVIEWED, /* marked as not reviewed: loads, never offered to clients */
    CERTIFY_MISSING     /* no record, or an incomplete one: the translation is refused */
} certify_state;

/* fi, sv and en: the program's own texts, which need no record. */
bool certify_builtin(const char *lang);

/* The state of language `lang` of `file` with record `rec` (NULL: none). Anything but
 * CERTIFY_OK fills err with one plain sentence naming the file (file NULL: a caller that names
 * it itself) and the language. */
certify_state certify_read(const json_t *rec, const char *file, const char *lang, its_err *err);

#endif
