/* libFuzzer target: any bytes as a questionnaire file. The loader must refuse or accept without
 * crashing, leaking or reading out of bounds; an accepted file must also score an empty and a
 * fully answered session. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void score_accepted(const qn *q)
{
    qn_session s;
    its_err err;
    if (session_init(&s, q, &err) < 0)
        return;
    for (int pass = 0; pass < 2; pass++) {
        void *r = result_build(&s, NULL, NULL, 0, 0, &err);
        result_add_summary(r, q);
        json_decref(r);
        for (int i = 0; i < q->n_items; i++) {
            const qn_scale *sc = &q->scales[q->items[i].scale];
            int value = sc->kind == QN_SCALE_MULTI ? 1 : sc->max;
            session_set(&s, i, (qn_answer){QN_ANS_VALUE, value}, &err);
        }
    }
    session_wipe(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qn_report report = {0};
    qn *q = qn_load_buffer("fuzz.json", (const char *)data, size, &report);
    if (q)
        score_accepted(q);
    qn_free(q);
    qn_report_free(&report);
    return 0;
}
