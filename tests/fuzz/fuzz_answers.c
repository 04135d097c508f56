/* libFuzzer target: any bytes as an answers document and as the vectors' notation, scored
 * against the bundled 36-item structure. Refusal is fine; a crash or leak is not. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static qn *questionnaire(void)
{
    static qn *q;
    if (!q) {
        const char *path = getenv("ITS_FUZZ_QUESTIONNAIRE");
        q = qn_load(path ? path : "tests/fixtures/whodas36-structure.json", NULL);
        if (!q)
            abort(); /* run from the source folder or set ITS_FUZZ_QUESTIONNAIRE */
    }
    return q;
}

static void score(qn_session *s)
{
    its_err err;
    json_t *r = result_build(s, NULL, NULL, 0, 0, &err);
    json_decref(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qn *q = questionnaire();
    qn_session s;
    its_err err;
    json_t *doc = json_loadb((const char *)data, size, 0, NULL);
    if (doc && session_init(&s, q, &err) == 0) {
        if (session_from_json(&s, doc, &err) == 0)
            score(&s);
        session_wipe(&s);
    }
    json_decref(doc);
    char *text = malloc(size + 1);
    if (text && session_init(&s, q, &err) == 0) {
        memcpy(text, data, size);
        text[size] = '\0';
        if (session_from_notation(&s, text, -1, &err) == 0)
            score(&s);
        session_wipe(&s);
    }
    free(text);
    return 0;
}
