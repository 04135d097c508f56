/* FHIR R4 export checked against the R4 structure in this test: the Bundle, a Questionnaire per
 * questionnaire (linkId, text, type, answerOption, enableWhen), a QuestionnaireResponse per
 * assessment (status, questionnaire canonical, item nesting equal to the Questionnaire's, answer
 * value types matching the item type and its options), score Observations (status, code,
 * valueQuantity or dataAbsentReason) whose derivedFrom resolves to a response in the same
 * Bundle; and the values compared with the sealed payloads. The export's growing buffer wipes
 * every block it frees (test_buffer_wipes). */
#include "export.h"
#include "worker_test.h"

#define T0 1736503200LL

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static bool one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (!strcmp(s, *set))
            return true;
    return false;
}

/* FHIR never has empty strings, arrays or objects, nor null. */
static int empties(json_t *v)
{
    int n = 0;
    if (json_is_null(v) || (json_is_string(v) && !json_string_length(v)) ||
        (json_is_array(v) && !json_array_size(v)) || (json_is_object(v) && !json_object_size(v)))
        return 1;
    const char *k;
    size_t i;
    json_t *x;
    if (json_is_object(v))
        json_object_foreach(v, k, x) n += empties(x);
    if (json_is_array(v))
        json_array_foreach(v, i, x) n += empties(x);
    return n;
}

static bool coding_ok(json_t *c)
{
    return json_is_object(c) && str(c, "system") && str(c, "code");
}

/* Finds the Questionnaire item with linkId among `items` (one level). */
static json_t *find_item(json_t *items, const char *link)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) if (link && !strcmp(str(it, "linkId"), link)) return it;
    return NULL;
}

/* Questionnaire items, recursively; links[] collects every linkId for uniqueness. */
static void check_q_items(json_t *items, char links[][64], int *n_links)
{
    static const char *const types[] = {
        "group",       "display",    "boolean",   "decimal",  "integer", "date",
        "dateTime",    "time",       "string",    "text",     "url",     "choice",
        "open-choice", "attachment", "reference", "quantity", NULL};
    size_t i, j;
    json_t *it, *opt;
    CHECK(json_is_array(items));
    json_array_foreach(items, i, it)
    {
        const char *link = str(it, "linkId"), *type = str(it, "type");
        CHECK(link != NULL);
        CHECK(one_of(type, types));
        CHECK(str(it, "text") != NULL);
        for (int k = 0; link && k < *n_links; k++)
            if (!strcmp(links[k], link))
                CHECK(!"linkId unique in the Questionnaire");
        if (link && *n_links < 400)
            its_strlcpy(links[(*n_links)++], link, 64);
        if (type && !strcmp(type, "group")) {
            CHECK(json_array_size(json_object_get(it, "item")) > 0);
            CHECK(!json_object_get(it, "answerOption"));
            check_q_items(json_object_get(it, "item"), links, n_links);
        } else if (type && !strcmp(type, "choice")) {
            CHECK(json_array_size(json_object_get(it, "answerOption")) > 0);
            json_array_foreach(json_object_get(it, "answerOption"), j, opt)
                CHECK(coding_ok(json_object_get(opt, "valueCoding")));
        } else if (type && !strcmp(type, "integer")) {
            CHECK(!json_object_get(it, "answerOption"));
        }
        json_array_foreach(json_object_get(it, "enableWhen"), j, opt)
        {
            CHECK(str(opt, "question") != NULL);
            CHECK(one_of(str(opt, "operator"),
                         (const char *const[]){"exists", "=", "!=", ">", "<", ">=", "<=", NULL}));
            CHECK(json_object_get(opt, "answerCoding") || json_object_get(opt, "answerInteger") ||
                  json_object_get(opt, "answerBoolean"));
        }
    }
}

static bool option_has(json_t *qitem, json_t *coding)
{
    size_t j;
    json_t *opt;
    json_array_foreach(json_object_get(qitem, "answerOption"), j, opt)
    {
        json_t *c = json_object_get(opt, "valueCoding");
        if (!strcmp(str(c, "system"), str(coding, "system")) &&
            !strcmp(str(c, "code"), str(coding, "code")))
            return true;
    }
    return false;
}

/* Response items mirror the Questionnaire's nesting: each linkId is found at the same level. */
static void check_r_items(json_t *items, json_t *q_items, json_t *payload_answers, int *answered)
{
    size_t i, j;
    json_t *it, *a;
    CHECK(json_is_array(items));
    json_array_foreach(items, i, it)
    {
        json_t *qi = find_item(q_items, str(it, "linkId"));
        CHECK(qi != NULL);
        if (!qi)
            continue;
        const char *type = str(qi, "type");
        json_t *answer = json_object_get(it, "answer"), *sub = json_object_get(it, "item");
        if (!strcmp(type, "group")) {
            CHECK(!answer && sub);
            check_r_items(sub, json_object_get(qi, "item"), payload_answers, answered);
            continue;
        }
        json_t *stored = json_object_get(payload_answers, str(it, "linkId"));
        if (!answer) { /* no answer: says why */
            json_t *ext = json_array_get(json_object_get(it, "extension"), 0);
            CHECK(ext && !strcmp(str(ext, "url"),
                                 "http://hl7.org/fhir/StructureDefinition/data-absent-reason"));
            CHECK(one_of(str(ext, "valueCode"),
                         (const char *const[]){"asked-declined", "not-applicable", NULL}));
            CHECK(json_is_string(stored) && (!strcmp(json_string_value(stored), "r") ||
                                             !strcmp(json_string_value(stored), "na")));
            continue;
        }
        CHECK(json_array_size(answer) >= 1);
        if (!json_is_true(json_object_get(qi, "repeats")))
            CHECK(json_array_size(answer) == 1);
        json_array_foreach(answer, j, a)
        {
            (*answered)++;
            json_t *coding = json_object_get(a, "valueCoding");
            json_t *integer = json_object_get(a, "valueInteger");
            json_t *string = json_object_get(a, "valueString");
            CHECK(!!coding + !!integer + !!string == 1);
            if (!strcmp(type, "choice")) {
                CHECK(coding_ok(coding) && option_has(qi, coding));
                long want = json_is_array(stored)
                                ? (long)json_integer_value(json_array_get(stored, j))
                                : (long)json_integer_value(stored);
                CHECK(coding && strtol(str(coding, "code"), NULL, 10) == want);
            } else if (!strcmp(type, "integer")) {
                CHECK(json_is_integer(integer));
                CHECK(json_integer_value(integer) == json_integer_value(stored));
            } else {
                CHECK(json_is_string(string));
            }
        }
    }
}

static json_t *by_full_url(json_t *entries, const char *url)
{
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) if (!strcmp(str(e, "fullUrl"), url)) return json_object_get(
        e, "resource");
    return NULL;
}

static json_t *payload_of(json_t **res, char ids[][37], int n, const char *id)
{
    for (int k = 0; k < n; k++)
        if (!strcmp(ids[k], id))
            return res[k];
    return NULL;
}

static void validate(json_t *b, json_t **res, char ids[][37], int n)
{
    CHECK_EQ_STR(str(b, "resourceType"), "Bundle");
    CHECK_EQ_STR(str(b, "type"), "collection");
    CHECK_EQ_INT(empties(b), 0);
    json_t *entries = json_object_get(b, "entry"), *e;
    size_t i, j;
    int n_q = 0, n_qr = 0, n_obs = 0, answered = 0;
    json_array_foreach(entries, i, e)
    {
        const char *url = str(e, "fullUrl");
        CHECK(url && !strncmp(url, "urn:uuid:", 9) && strlen(url) == 45);
        for (j = 0; j < i; j++)
            CHECK(strcmp(url, str(json_array_get(entries, j), "fullUrl")) != 0);
        json_t *r = json_object_get(e, "resource");
        const char *type = str(r, "resourceType");
        if (!strcmp(type, "Questionnaire")) {
            n_q++;
            CHECK(one_of(str(r, "status"),
                         (const char *const[]){"draft", "active", "retired", "unknown", NULL}));
            CHECK(str(r, "url") && str(r, "version"));
            char links[400][64];
            int n_links = 0;
            check_q_items(json_object_get(r, "item"), links, &n_links);
        } else if (!strcmp(type, "QuestionnaireResponse")) {
            n_qr++;
            CHECK_EQ_STR(str(r, "status"), "completed");
            json_t *payload = payload_of(res, ids, n, str(r, "id"));
            CHECK(payload != NULL);
            /* The canonical resolves to a Questionnaire of the Bundle (url|version). */
            json_t *q = NULL, *x;
            size_t k;
            json_array_foreach(entries, k, x)
            {
                json_t *xr = json_object_get(x, "resource");
                char canon[300];
                snprintf(canon, sizeof canon, "%s|%s", str(xr, "url") ? str(xr, "url") : "",
                         str(xr, "version") ? str(xr, "version") : "");
                if (!strcmp(str(xr, "resourceType"), "Questionnaire") &&
                    !strcmp(canon, str(r, "questionnaire")))
                    q = xr;
            }
            CHECK(q != NULL);
            CHECK(str(json_object_get(json_object_get(r, "subject"), "identifier"), "value") !=
                  NULL);
            if (q && payload)
                check_r_items(json_object_get(r, "item"), json_object_get(q, "item"),
                              json_object_get(payload, "answers"), &answered);
        } else if (!strcmp(type, "Observation")) {
            n_obs++;
            CHECK_EQ_STR(str(r, "status"), "final");
            json_t *code = json_object_get(r, "code");
            CHECK(coding_ok(json_array_get(json_object_get(code, "coding"), 0)));
            json_t *vq = json_object_get(r, "valueQuantity");
            CHECK(!!vq + !!json_object_get(r, "valueCodeableConcept") +
                      !!json_object_get(r, "dataAbsentReason") ==
                  1);
            CHECK(!vq || json_is_number(json_object_get(vq, "value")));
            json_t *from = json_object_get(r, "derivedFrom");
            CHECK(json_array_size(from) == 1);
            const char *ref = str(json_array_get(from, 0), "reference");
            json_t *target = ref ? by_full_url(entries, ref) : NULL;
            CHECK(target && !strcmp(str(target, "resourceType"), "QuestionnaireResponse"));
            /* Score values are the payload's. */
            json_t *payload = target ? payload_of(res, ids, n, str(target, "id")) : NULL;
            const char *score = str(json_array_get(json_object_get(code, "coding"), 0), "code");
            json_t *stored = json_object_get(
                json_object_get(json_object_get(payload, "scores"), score), "value");
            if (vq)
                CHECK(stored && fabs(json_number_value(json_object_get(vq, "value")) -
                                     json_number_value(stored)) < 1e-9);
            else if (json_object_get(r, "dataAbsentReason"))
                CHECK(!stored && json_object_get(json_object_get(payload, "scores"), score));
            else
                CHECK_EQ_STR(str(json_object_get(r, "valueCodeableConcept"), "text"),
                             str(payload, "level"));
        } else {
            CHECK(!"an unexpected resource type");
        }
    }
    CHECK_EQ_INT(n_q, 3);
    CHECK_EQ_INT(n_qr, n);
    CHECK(n_obs > n * 2);
    CHECK(answered > 60);
    printf("bundle: %d questionnaires, %d responses, %d observations, %d answers checked\n", n_q,
           n_qr, n_obs, answered);
}

/* The export's growing buffer (export_buf) wipes every block it lets go: a watching allocator
 * counts the bytes not zero in each block handed back. Realloc, or a free before the wipe,
 * would hand back the text as it was. */
static long wb_released, wb_dirty;
static void *wb_alloc(size_t n)
{
    return malloc(n);
}
static void wb_release(void *p, size_t n)
{
    const unsigned char *b = p;
    wb_released++;
    for (size_t i = 0; i < n; i++)
        wb_dirty += b[i] != 0;
    free(p);
}

static void test_buffer_wipes(void)
{
    export_buf b = {.alloc = wb_alloc, .release = wb_release};
    char piece[100];
    memset(piece, 'K', sizeof piece); /* stands for a client's answers */
    for (int i = 0; i < 1000; i++) /* 100 kB: from 4 kB, five doublings */
        CHECK(export_buf_append(&b, piece, sizeof piece) == 0);
    CHECK_EQ_INT(b.len, 100000);
    CHECK(b.text && b.text[0] == 'K' && b.text[99999] == 'K' && b.text[100000] == '\0');
    long grown = wb_released;
    export_buf_wipe(&b);
    CHECK(grown >= 5);
    CHECK_EQ_INT(wb_released, grown + 1);
    CHECK_EQ_INT(wb_dirty, 0);
    CHECK(b.text == NULL && b.len == 0);
}

int main(void)
{
    test_buffer_wipes();
    wt_fixture fx;
    wt_begin(&fx, "fhir");
    store *s = fx.s;
    const qn *q36 = fx.q36, *q12 = fx.q12, *qo = fx.qo;
    const char *dir = fx.dir;
    char a[400], ids[5][37];
    json_t *res[5];
    res[0] = wt_add_days(s, q36, "K7M4QXR", T0, wt_same(a, sizeof a, 36, "2"), 1, 3, NULL, ids[0]);
    res[1] =
        wt_add(s, q36, "K7M4QXR", T0 + 86400 * 40,
               "1 r 1 1 1 1  1 1 1 1 1  1 1 1 1  1 1 1 1 1  1 1 1 4  na na na na  1 1 1 x x x 1 1",
               0, res[0], ids[1]);
    res[2] = wt_add(s, q12, "B9C2D3E", T0 + 86400, "0 1 2 3 4 0 1 2 3 4 0 na", 0, NULL, ids[2]);
    res[3] = wt_add_json(s, qo, "C8D7E6F", T0 + 86400 * 2,
                         "{\"WA\": 6, \"FA\": 5, \"SRH\": 2, \"LS\": \"r\", \"O1\": 3, \"M2\": 1, "
                         "\"CHANGE\": [1, 4, 8]}",
                         ids[3]);
    res[4] =
        wt_add(s, q12, "B9C2D3E", T0 + 86400 * 50, "x x x 3 4 0 1 2 3 4 0 4", 1, res[2], ids[4]);
    store_close(s);
    its_err err = {0};
    worker_session *ws = wt_open(dir, TEST_PASS, &err);
    CHECK(ws != NULL);
    if (ws) {
        int skipped = 0;
        char *text = wt_export_all(ws, export_fhir, &skipped);
        CHECK(text != NULL);
        CHECK_EQ_INT(skipped, 0);
        json_error_t jerr;
        json_t *b = text ? json_loads(text, JSON_REJECT_DUPLICATES, &jerr) : NULL;
        CHECK(b != NULL);
        if (text && !b)
            fprintf(stderr, "bundle: %d:%d: %s\n", jerr.line, jerr.column, jerr.text);
        else if (b)
            validate(b, res, ids, 5);
        /* Deterministic apart from the timestamp: the same export twice gives the same entries. */
        char *again = wt_export_all(ws, export_fhir, &skipped);
        CHECK(text && again && strcmp(strstr(text, "\"entry\""), strstr(again, "\"entry\"")) == 0);
        json_decref(b);
        free(text);
        free(again);
        worker_session_lock(ws);
    }
    wt_end(&fx, res, 5);
    return check_summary();
}
