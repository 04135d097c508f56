/* Flag reasons in the reader's language (issue 14, point 5): a record a Finnish-speaking client
 * made is read by a worker in English and in Swedish; its evidence is worded from the stored data
 * ("Sum score 38/48 (79 %); threshold 24/48 (50 %)"), the change since the previous assessment
 * names its date, and a record from before evidence was data still shows its stored words. The
 * detail view and the CSV export agree. A score not computed says why in the reader's language
 * too, from its stored reason code; a record from before reason codes shows its stored sentence. */
#include "export.h"
#include "worker_detail.h"
#include "worker_test.h"

#define DAY 86400LL
#define T0 1736503200LL /* 2025-01-10 10:00 UTC */

static worker_session *open_in(const char *dir, const char *lang)
{
    char qdir[700];
    const char *src = getenv("ITS_SOURCE_DIR");
    snprintf(qdir, sizeof qdir, "%s/questionnaires", src ? src : ".");
    worker_open_opts o = {.dir = dir, .passphrase = TEST_PASS, .data = src ? src : ".",
                          .questionnaires = qdir, .lang = lang};
    worker_session *ws = NULL;
    its_err err = {0};
    if (worker_session_open(&o, &ws, &err) != 0)
        fprintf(stderr, "opening in %s: %s\n", lang, err.msg);
    return ws;
}

/* A record as stored before evidence was data: prose in the client's language, no "evidence". */
static void save_old_record(store *s, json_t *res, char id[37])
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(res, "flags"), i, f) {
        json_object_del(f, "evidence");
        if (!strcmp(json_string_value(json_object_get(f, "rule")), "R2"))
            json_object_set_new(f, "detail", json_string("Pistesumma 0–48 79,2 (raja >= 50,0)"));
    }
    char *text = json_dumps(res, JSON_COMPACT);
    its_err err = {0};
    CHECK(text && store_save_result_at(s, T0 + 90 * DAY, (unsigned char *)text, strlen(text), id,
                                       &err) == 0);
    free(text);
}

/* A record with three answers missing (S1, S3, S5: at most 2 allowed); old: as stored before
 * reason codes, with the English sentence only. */
static void save_missing(store *s, const qn *q, bool old, char id[37])
{
    qn_session ss;
    its_err err = {0};
    CHECK(session_init(&ss, q, &err) == 0 &&
          session_from_notation(&ss, "x 1 x 1 x 0 2 0 0 1 0 2", 1, &err) == 0);
    json_t *res = result_build(&ss, &(result_meta){.client = old ? "MOL2345" : "MIS2345"}, NULL, 0, 0, &err);
    session_wipe(&ss);
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(res, "scores"), key, v) if (old) json_object_del(v, "why");
    char *text = json_dumps(res, JSON_COMPACT);
    CHECK(text && store_save_result_at(s, T0, (unsigned char *)text, strlen(text), id, &err) == 0);
    free(text);
    json_decref(res);
}

/* The sum score's reason (arg: the words for the new record, then for the old one). */
static void look_missing(const worker_detail *d, bool first, const void *arg)
{
    const char *const *words = arg;
    const worker_score *sum = NULL;
    for (int i = 0; i < d->n_scores; i++)
        if (!strcmp(d->scores[i].id, "simple"))
            sum = &d->scores[i];
    if (CHECK(sum != NULL && !sum->ok))
        CHECK_EQ_STR(sum->reason, words[first ? 0 : 1]);
}

static const char *detail_of_rule(const worker_detail *d, const char *rule)
{
    for (int i = 0; i < d->n_flags; i++)
        if (!strcmp(d->flags[i].rule, rule))
            return d->flags[i].detail;
    return "";
}

static bool has(const char *text, const char *part)
{
    if (strstr(text, part))
        return true;
    fprintf(stderr, "  \"%s\"\n  does not contain \"%s\"\n", text, part);
    return false;
}

/* Refusals and "does not apply to me" stay apart for the worker (issue 14, point 2). */
static void check_apart(const char *dir, const char *id)
{
    worker_session *ws = open_in(dir, "en");
    worker_detail d;
    its_err err = {0};
    if (!CHECK(ws && worker_detail_open(ws, id, &d, &err) == 0))
        return;
    const worker_answer *refused = worker_detail_answer(&d, "D1.2");
    const worker_answer *na = worker_detail_answer(&d, "D4.4");
    CHECK(refused && refused->kind == WORKER_ANS_REFUSED);
    CHECK_EQ_STR(refused ? refused->words : "", "did not want to answer");
    CHECK(na && na->kind == WORKER_ANS_NA);
    CHECK_EQ_STR(na ? na->words : "", "Does not apply to me");
    worker_detail_free(&d);
    worker_session_lock(ws);
}

/* Opens two records in a session in `lang` and hands each to `look` (first: the first one). */
typedef void (*detail_look)(const worker_detail *d, bool first, const void *arg);

static void look_at_two(const char *dir, const char *lang, const char *first, const char *second,
                        detail_look look, const void *arg)
{
    worker_session *ws = open_in(dir, lang);
    const char *ids[2] = {first, second};
    for (int k = 0; CHECK(ws != NULL) && k < 2; k++) {
        worker_detail d;
        its_err err = {0};
        if (!CHECK(worker_detail_open(ws, ids[k], &d, &err) == 0))
            continue;
        look(&d, k == 0, arg);
        worker_detail_free(&d);
    }
    if (ws)
        worker_session_lock(ws);
}

/* Days that cannot all be true (issue 14, point 7): H1 14, H2 15, H3 16 fails both checks of the
 * file, worded in the worker's language with the numbers (arg: the two words); a record without
 * days has none. */
static void look_days(const worker_detail *d, bool first, const void *arg)
{
    const char *const *words = arg;
    CHECK_EQ_INT(d->n_checks, first ? 2 : 0);
    for (int i = 0; first && i < 2; i++)
        CHECK(has(d->n_checks > i ? d->checks[i] : "", words[i]));
}

/* The worker learns that the thank-you screen showed where to get help now: for very low mood
 * answers (Oma tilanne, M3 "Ei pidä ollenkaan paikkaansa", the first), not for another record. */
static void look_crisis(const worker_detail *d, bool first, const void *arg)
{
    (void)arg;
    CHECK(d->crisis_help == first);
}

/* A record is read with the questionnaire version it was answered with: O2 answered 1 was "I often
 * feel lonely" in 1.0.0 (questionnaires/previous/, the first) and is "I have company when I want
 * it" in 2.0.0; each record shows its own words. */
static void look_versions(const worker_detail *d, bool first, const void *arg)
{
    (void)arg;
    const worker_answer *o2 = worker_detail_answer(d, "O2");
    CHECK_EQ_STR(d->entry->qversion, first ? "1.0.0" : "2.0.0");
    CHECK_EQ_STR(o2 ? o2->text : "", first ? "I often feel lonely." : "I have company when I want it.");
    CHECK((worker_detail_answer(d, "M8") == NULL) == first);
}

static void check_reader(const char *dir, const char *lang, const char ids[3][37],
                         const char *r2, const char *change, const char *beyond, const char *within)
{
    worker_session *ws = open_in(dir, lang);
    if (!CHECK(ws != NULL))
        return;
    worker_detail d;
    its_err err = {0};
    CHECK(worker_detail_open(ws, ids[1], &d, &err) == 0);
    CHECK_EQ_STR(detail_of_rule(&d, "R2"), r2);
    CHECK(has(detail_of_rule(&d, "Y5"), change));
    /* the trend's change against the measurement error (9 of 48, docs/flag-defaults.md) */
    char words[200];
    worker_format_change_error(ws, d.entry, 30, words, sizeof words);
    CHECK(has(words, beyond));
    worker_format_change_error(ws, d.entry, -5, words, sizeof words);
    CHECK(has(words, within));
    worker_detail_free(&d);
    /* an old record: its own words, whatever the reader's language */
    CHECK(worker_detail_open(ws, ids[2], &d, &err) == 0);
    CHECK_EQ_STR(detail_of_rule(&d, "R2"), "Pistesumma 0–48 79,2 (raja >= 50,0)");
    worker_detail_free(&d);
    int skipped = 0;
    char *csv = wt_export_all(ws, export_csv, &skipped);
    CHECK(csv && has(csv, r2) && has(csv, "Pistesumma 0–48 79,2"));
    free(csv);
    worker_session_lock(ws);
}

int main(void)
{
    char base[512], dir[600], ids[3][37], apart[37], days[37], a36[120], low[37], v1[37];
    char missing[37], missing_old[37];
    test_tmpdir(base);
    store *s = test_make_store(base, "reasons", dir);
    qn *q12 = wt_questionnaire("whodas12-style");
    json_t *res[3];
    res[0] = wt_add(s, q12, "KLM2345", T0, "2 2 2 0 0 0 2 0 0 0 0 0", 1, NULL, ids[0]); /* 8/48 */
    res[1] = wt_add(s, q12, "KLM2345", T0 + 60 * DAY, "4 4 3 3 3 3 2 3 3 4 3 3", 1, NULL, ids[1]);
    res[2] = wt_add(s, q12, "OLD4567", T0, "4 4 3 3 3 3 2 3 3 4 3 3", 1, NULL, ids[2]);
    json_decref(res[2]);
    res[2] = NULL;
    {
        qn_session ss;
        its_err err = {0};
        session_init(&ss, q12, &err);
        session_from_notation(&ss, "4 4 3 3 3 3 2 3 3 4 3 3", 1, &err);
        json_t *old = result_build(&ss, &(result_meta){.client = "OLD4567"}, NULL, 0, 0, &err);
        session_wipe(&ss);
        save_old_record(s, old, ids[2]);
        json_decref(old);
    }
    save_missing(s, q12, false, missing);
    save_missing(s, q12, true, missing_old);
    qn *q36 = wt_questionnaire("whodas36-style");
    json_decref(wt_add(s, q36, "APA2345", T0,
                       "0 r 0 0 0 0  0 0 0 0 0  0 0 0 0  0 0 0 na 0  0 0 0 0  0 0 0 0  0 0 0 0 0 0 0 0",
                       1, NULL, apart));
    json_decref(wt_add_days(s, q36, "DAY2345", T0, wt_same(a36, sizeof a36, 36, "1"), 1, 14, NULL, days));
    qn_free(q36);
    qn *oma = wt_questionnaire("oma-tilanne");
    json_decref(wt_add_json(s, oma, "MOO2345", T0, "{\"WA\": 6, \"M3\": 0, \"M1\": 2}", low));
    qn_free(oma);
    qn *oma1 = wt_questionnaire("previous/oma-tilanne-1.0.0");
    json_decref(wt_add_json(s, oma1, "MOO2345", T0 - DAY, "{\"WA\": 6, \"O2\": 1, \"M2\": 3}", v1));
    qn_free(oma1);
    store_close(s);
    check_apart(dir, apart);
    look_at_two(dir, "en", low, apart, look_crisis, NULL);
    look_at_two(dir, "en", v1, low, look_versions, NULL);
    static const char *const days_fi[] = {
        "Päiviä yhteensä yli 30: H2 + H3 = 31 > 30",
        "Estyneitä päiviä enemmän kuin vaikeuspäiviä: H2 = 15 > H1 = 14"};
    static const char *const days_en[] = {
        "More than 30 days in total: H2 + H3 = 31 > 30",
        "More days fully unable than days with difficulties: H2 = 15 > H1 = 14"};
    static const char *const missing_sv[] = {"3 svar saknas (S1, S3, S5); högst 2 får saknas",
                                             "3 answers missing (S1, S3, S5); at most 2 allowed"};
    static const char *const missing_fi[] = {"3 vastausta puuttuu (S1, S3, S5); enintään 2 saa puuttua",
                                             "3 answers missing (S1, S3, S5); at most 2 allowed"};
    look_at_two(dir, "sv", missing, missing_old, look_missing, missing_sv);
    look_at_two(dir, "fi", missing, missing_old, look_missing, missing_fi);
    look_at_two(dir, "fi", days, apart, look_days, days_fi);
    look_at_two(dir, "en", days, apart, look_days, days_en);
    check_reader(dir, "en", (const char(*)[37])ids, "Sum score 38/48 (79 %); threshold 24/48 (50 %)",
                 "Sum score 10 Jan 2025 8/48 → 38/48: 30 points more difficulty",
                 "+30.0, larger than the measurement error (9)", "-5.0, within the measurement error (9)");
    check_reader(dir, "sv", (const char(*)[37])ids, "Poängsumma 38/48 (79 %); gräns 24/48 (50 %)",
                 "Poängsumma 10.1.2025 8/48 → 38/48: 30 poäng mer svårigheter",
                 "+30,0, större än mätfelet (9)", "-5,0, inom mätfelet (9)");
    check_reader(dir, "fi", (const char(*)[37])ids, "Pistesumma 38/48 (79 %); raja 24/48 (50 %)",
                 "Pistesumma 10.1.2025 8/48 → 38/48: 30 pistettä enemmän vaikeuksia",
                 "+30,0, suurempi kuin mittausvirhe (9)", "-5,0, mittausvirheen rajoissa (9)");
    for (int i = 0; i < 2; i++)
        json_decref(res[i]);
    qn_free(q12);
    test_rm_rf(base);
    return check_summary();
}
