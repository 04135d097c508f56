/* flow_data.c — what the machine's effects carry out of it: the draft and the result payload.
 * Both are built here, in the core, so a unit test reads exactly what the kiosk stores. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow.h"
#include "result.h"

void flow_iso_time(int64_t wall, char out[32])
{
    time_t t = (time_t)wall;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        its_strlcpy(out, "1970-01-01T00:00:00Z", 32);
        return;
    }
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Compact JSON of `j` (stolen), or NULL; the text is wiped by the caller. */
static char *dump_json(json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return text;
}

const char *flow_research_name(flow_research r)
{
    return r == FLOW_RESEARCH_YES ? "yes" : r == FLOW_RESEARCH_NO ? "no" : NULL;
}

char *flow_draft_text(const flow *f)
{
    if (!f->active)
        return NULL;
    const qn *q = flow_qn(f);
    const char *research = flow_research_name(f->research);
    return dump_json(json_pack("{s:i, s:{s:s, s:s}, s:o, s:i, s:s, s:b, s:s, s:s, s:i, s:s*, s:s}",
                               "format", 1, "questionnaire", "id", q->id, "version",
                               q->version, "answers", session_to_json(&f->s), "pos", f->s.pos,
                               "client", f->code, "anonymous", f->anonymous, "lang", f->lang,
                               "started", f->started, "text", f->text_percent, "research",
                               research, "assisted_by", f->assisted_by));
}

char *flow_result_text(const flow *f, int64_t wall, const char *device, its_err *err)
{
    if (!f->active) {
        its_fail(err, "There is no assessment to send.");
        return NULL;
    }
    /* invariant 7: a copy whose hidden answers read "na" */
    qn_session copy = f->s;
    size_t n = (size_t)flow_qn(f)->n_items;
    copy.answers = malloc(n * sizeof *copy.answers);
    if (!copy.answers) {
        its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        copy.answers[i] = session_is_shown(&f->s, (int)i) ? f->s.answers[i]
                                                          : (qn_answer){QN_ANS_NA, 0};
    char completed[32];
    flow_iso_time(wall, completed);
    result_meta meta = {f->code, f->started, completed, device,
                        flow_research_name(f->research),
                        f->assisted_by[0] ? f->assisted_by : NULL};
    json_t *r = result_build(&copy, &meta, NULL, 0, flow_qn_lang(f, flow_qn(f)), err);
    its_wipe(copy.answers, n * sizeof *copy.answers);
    free(copy.answers);
    char *text = dump_json(r);
    if (r && !text)
        its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
    return text;
}
