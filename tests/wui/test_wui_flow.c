/* test_wui_flow.c — the worker's screens through the real binary: `itsearvio worker --script`
 * (and the kiosk's hidden gesture) on the SDL dummy driver, against a data folder of known
 * assessments. Each case asserts what the screens show (counts, rows, words) and what was
 * written (exports, notes, the audit log), and the screenshots are compared with
 * tests/wui/ref/ (shot_compare.h; ITS_UPDATE_REFS=1 rewrites them).
 *
 * usage: test_wui_flow ITSEARVIO SOURCE_DIR WORK_DIR */
#include "worker_test.h"

#include <sys/stat.h>
#include <unistd.h>

#include "kiosk_run.h"
#include "worker_note.h"
#include "shot_compare.h"

#define DAY 86400LL
#define T0 1736503200LL /* 2025-01-10 10:00 UTC */

static const char *bin, *src, *work;
static char refdir[1024], outdir[1024];
static char ids[8][37];

/* Client KLM2345 twice on the 12-item form (no flag, then much worse: red with new flags),
 * KEL3456 once (yellow), EIM4567 once (no flag), and KLM2345 once on the 36-item form. */
static void make_fixture(const char *dir_name)
{
    char dir[600], path[600];
    snprintf(path, sizeof path, "%s/%s", work, dir_name);
    test_rm_rf(path);
    snprintf(path, sizeof path, "%s/%s-recovery.json", work, dir_name);
    unlink(path);
    store *s = test_make_store(work, dir_name, dir);
    qn *q12 = wt_questionnaire("whodas12-style"), *q36 = wt_questionnaire("whodas36-style");
    char a[400];
    json_t *r0 = wt_add_days(s, q12, "KLM2345", T0, "1 1 1 1 1 1 1 1 0 0 0 0", 1, 1, NULL, ids[0]);
    json_t *r1 = wt_add_days(s, q12, "KLM2345", T0 + 60 * DAY,
                             "3 3 4 3 r 3 3 3 3 4 3 3", 1, 6, r0, ids[1]);
    json_t *r2 = wt_add(s, q12, "KEL3456", T0 + 20 * DAY, wt_same(a, sizeof a, 12, "1"), 1, NULL,
                        ids[2]);
    json_t *r3 = wt_add(s, q12, "EIM4567", T0 + 40 * DAY, wt_same(a, sizeof a, 12, "0"), 1, NULL,
                        ids[3]);
    json_t *r4 = wt_add(s, q36, "KLM2345", T0 + 90 * DAY, wt_same(a, sizeof a, 36, "0"), 1, NULL,
                        ids[4]);
    json_decref(r0);
    json_decref(r1);
    json_decref(r2);
    json_decref(r3);
    json_decref(r4);
    store_close(s);
    qn_free(q12);
    qn_free(q36);
}

static void shot(script_buf *b, const char *name, const char *size)
{
    sb_line(b, "shot %s/%s-%s.png", outdir, name, size);
}

static run_result run_worker(const char *name, const char *size, const script_buf *b,
                             const char *const *extra)
{
    run_result r = kiosk_run_script(bin, work, name, "worker", size, b, extra);
    if (r.exit_code != 0)
        fprintf(stderr, "[%s] exit %d signal %d:\n%s\n", name, r.exit_code, r.signal, r.out);
    return r;
}

/* The passphrase typed and the list's counts (`counts`, in the screen's language) seen. */
static void unlock_to(script_buf *b, const char *counts)
{
    sb_line(b, "type \"%s\"", TEST_PASS);
    sb_line(b, "key Return");
    sb_line(b, "expect \"%s\"", counts);
}

static void unlock(script_buf *b)
{
    unlock_to(b, "5 arviota: 1 punaista, 1 keltaista");
}

/* The audit log of the folder as one string "event:detail\n..." (malloc'd). */
static char *audit_text(const char *dir)
{
    store *s = NULL;
    store_audit_entry *e = NULL;
    int n = 0;
    its_err err;
    char *text = calloc(1, 65536);
    if (text && store_open(dir, &s, &err) == 0 && store_audit_list(s, &e, &n, &err) == 0)
        for (int i = 0; i < n; i++)
            its_appendf(text, 65536, "%s:%s\n", e[i].event, e[i].detail);
    free(e);
    store_close(s);
    return text;
}

/* ---- cases ---------------------------------------------------------------------------------- */

/* Wrong passphrase, then right; the list with its counts and rows; filters; lock. */
static void test_unlock_list_filter_lock(const char *size)
{
    char name[64];
    snprintf(name, sizeof name, "list-%s", size);
    make_fixture(name);
    script_buf b = {0};
    sb_line(&b, "expect \"Työntekijän kirjautuminen\"");
    sb_line(&b, "type \"not the passphrase\"");
    shot(&b, "wui-unlock-typed", size);
    sb_line(&b, "expect_not \"not the passphrase\""); /* masked */
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"Väärä tunnuslause.\"");
    sb_line(&b, "expect_not \"arviota\"");
    shot(&b, "wui-unlock-wrong", size);
    unlock(&b);
    /* newest first: every row and the level as words */
    sb_line(&b, "expect \"KLM2345\"");
    sb_line(&b, "expect \"KEL3456\"");
    sb_line(&b, "expect \"EIM4567\"");
    sb_line(&b, "expect \"2025-04-10 10:00\""); /* the 36-item one, T0 + 90 days */
    sb_line(&b, "expect \"Punainen\"");
    sb_line(&b, "expect \"Keltainen\"");
    sb_line(&b, "expect \"Ei merkintää\"");
    shot(&b, "wui-list", size);
    sb_line(&b, "tap \"Punaiset\"");
    sb_line(&b, "expect \"1 arvio: 1 punaista, 0 keltaista (kaikkiaan 5)\"");
    sb_line(&b, "expect \"Punainen\"");
    sb_line(&b, "expect_not \"Keltainen\"");
    sb_line(&b, "expect_not \"Ei merkintää\"");
    sb_line(&b, "expect_not \"EIM4567\"");
    sb_line(&b, "expect_not \"KEL3456\"");
    shot(&b, "wui-list-red", size);
    sb_line(&b, "tap \"Kaikki\"");
    sb_line(&b, "tap \"whodas36-style\"");
    sb_line(&b, "expect \"1 arvio: 0 punaista, 0 keltaista (kaikkiaan 5)\"");
    sb_line(&b, "tap \"Kaikki kyselyt\"");
    sb_line(&b, "key ctrl+f"); /* the client code field */
    sb_line(&b, "type kel3456");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"1 arvio: 0 punaista, 1 keltaista (kaikkiaan 5)\"");
    sb_line(&b, "expect \"Keltainen\"");
    sb_line(&b, "expect_not \"KLM2345\"");
    sb_line(&b, "tap \"Tyhjennä\"");
    /* typed dates, inclusive */
    sb_line(&b, "tap \"alkaen\"");
    sb_line(&b, "type 2025-01-15");
    sb_line(&b, "tap \"asti\"");
    sb_line(&b, "type 2025-02-19");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"2 arviota: 0 punaista, 1 keltaista (kaikkiaan 5)\"");
    sb_line(&b, "expect \"KEL3456\"");
    sb_line(&b, "expect \"EIM4567\"");
    sb_line(&b, "expect_not \"KLM2345\"");
    sb_line(&b, "tap \"2025-02-19\"");
    sb_line(&b, "type 9");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"Kirjoita päivä muodossa 2025-03-04.\"");
    sb_line(&b, "expect \"2 arviota\""); /* the list stays as it was */
    sb_line(&b, "tap \"Koko aika\"");
    sb_line(&b, "expect \"5 arviota\"");
    sb_line(&b, "tap \"Merkityt ensin\"");
    sb_line(&b, "expect \"5 arviota\"");
    sb_line(&b, "tap \"Lukitse\"");
    sb_line(&b, "expect \"Työntekijän kirjautuminen\"");
    sb_line(&b, "expect_not \"KLM2345\"");
    sb_line(&b, "expect_not \"arviota\"");
    run_result r = run_worker(name, size, &b, NULL);
    CHECK_EQ_INT(r.exit_code, 0);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/%s", work, name);
    char *audit = audit_text(dir);
    CHECK(audit && strstr(audit, "unlock_failed"));
    CHECK(audit && strstr(audit, "\nunlock:"));
    CHECK(audit && strstr(audit, "list of 1 records"));
    free(audit);
}

/* Idle: after 270 s a countdown, at 300 s locked and back at the unlock screen. */
static void test_idle_lock(void)
{
    make_fixture("idle");
    script_buf b = {0};
    unlock(&b);
    sb_line(&b, "advance 200");
    sb_line(&b, "expect \"5 arviota\"");
    sb_line(&b, "key Down"); /* input starts the wait again */
    sb_line(&b, "advance 280");
    sb_line(&b, "expect \"Lukitaan 20 sekunnin kuluttua\"");
    sb_line(&b, "expect_not \"Työntekijän kirjautuminen\"");
    sb_line(&b, "advance 21");
    sb_line(&b, "expect \"Työntekijän kirjautuminen\"");
    sb_line(&b, "expect \"Lukittu, koska mitään ei tehty vähään aikaan.\"");
    sb_line(&b, "expect_not \"KLM2345\"");
    /* a shorter limit from the command line */
    run_result r = run_worker("idle", "1280x800", &b, NULL);
    CHECK_EQ_INT(r.exit_code, 0);
    script_buf c = {0};
    unlock(&c);
    sb_line(&c, "advance 31");
    sb_line(&c, "expect \"Työntekijän kirjautuminen\"");
    const char *idle[] = {"--idle", "30", NULL};
    r = run_worker("idle", "1280x800", &c, idle);
    CHECK_EQ_INT(r.exit_code, 0);
}

/* One assessment in words, a note on a flag, exports in three formats, the trend, back, lock. */
static void test_detail_trend_export(void)
{
    make_fixture("detail");
    char exp[700], path[1200];
    snprintf(exp, sizeof exp, "%s/exports", work);
    test_rm_rf(exp);
    script_buf b = {0};
    unlock(&b);
    sb_line(&b, "tap \"2025-03-11 10:00\""); /* KLM2345's second, red */
    sb_line(&b, "expect \"Arvio: KLM2345, 2025-03-11 10:00\"");
    sb_line(&b, "expect \"Edellinen arvio 2025-01-10 10:00: 8/48. Muutos: +30,0, suurempi kuin "
                "mittausvirhe (9).\"");
    sb_line(&b, "expect \"Punainen\"");
    /* each flag with its reason and evidence */
    sb_line(&b, "expect \"R1: Vastaus ”erittäin paljon vaikeuksia tai en pysty” liikkumisessa tai "
                "itsestä huolehtimisessa, tai vähintään kaksi tällaista vastausta (ICF-tarkenne 4).\"");
    sb_line(&b, "expect \"Peruste: Uuden asian oppiminen: Erittäin paljon vaikeuksia tai en pysty · "
                "Vieraat ihmiset: Erittäin paljon vaikeuksia tai en pysty\"");
    sb_line(&b, "expect \"R2: Pistesumma on vähintään 50 %%\"");
    sb_line(&b, "expect \"Peruste: Pistesumma 38/48 (79 %%); raja 24/48 (50 %%)\"");
    shot(&b, "wui-detail", "1280x800");
    /* a flagged assessment with no referral decision says so under its flags */
    sb_line(&b, "seek \"Ohjaus erityisarvioon: ei päätöstä\"");
    shot(&b, "wui-detail-referral", "1280x800");
    /* the area chart and the scores with method and imputed items */
    sb_line(&b, "seek \"Osa-alueet\"");
    sb_line(&b, "expect \"Ymmärtäminen ja keskustelu\"");
    sb_line(&b, "seek \"Pisteet\"");
    sb_line(&b, "seek \"38/48 (79 %%)\"");
    sb_line(&b, "expect \"Menetelmä: pistesumma, kysymykset 12\"");
    sb_line(&b, "expect \"Puuttuvat arvioitu: S5\"");
    shot(&b, "wui-detail-chart", "1280x800");
    /* answers in words: H1-H3 days, a refusal as such */
    sb_line(&b, "seek \"6 päivää\"");
    sb_line(&b, "expect \"H1  Kuinka monena päivänä sinulla on ollut näitä vaikeuksia?\"");
    /* H2 7 > H1 6: the answer check the client was warned about, with its numbers */
    sb_line(&b, "expect \"Tarkista: Estyneitä päiviä enemmän kuin vaikeuspäiviä: H2 = 7 > H1 = 6 "
                "(asiakas sai huomautuksen ja jatkoi)\"");
    shot(&b, "wui-detail-days", "1280x800");
    sb_line(&b, "seek \"ei halunnut vastata\"");
    sb_line(&b, "seek \"Erittäin paljon vaikeuksia tai en pysty (4)\"");
    sb_line(&b, "key Home");
    /* a note: disagree with R2 */
    sb_line(&b, "tap \"Eri mieltä (R2)\"");
    sb_line(&b, "expect \"Eri mieltä merkinnästä R2.\"");
    sb_line(&b, "type \"Pisteet nousivat sairausloman takia\"");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"Huomio merkinnästä R2 tallennettu.\"");
    sb_line(&b, "expect \"Työntekijä on eri mieltä\"");
    sb_line(&b, "expect \"Pisteet nousivat sairausloman takia\"");
    /* the keyboard alone: Tab to a flag's button (scrolled into view), Enter, type, Enter */
    sb_line(&b, "key Home");
    for (int i = 0; i < 18; i++) /* past R1, R2, R3, Y1 and Y3, two buttons each */
        sb_line(&b, "key Tab");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"Samaa mieltä merkinnästä Y5.\"");
    sb_line(&b, "type \"näppäimillä\"");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"Huomio merkinnästä Y5 tallennettu.\"");
    /* exports: the path is shown */
    sb_line(&b, "tap \"Vie PDF\"");
    sb_line(&b, "expect \"Tallennettu: %s/arvio-%s.pdf\"", exp, ids[1]);
    sb_line(&b, "tap \"Vie FHIR\"");
    sb_line(&b, "expect \"Tallennettu: %s/arvio-%s-fhir.json\"", exp, ids[1]);
    sb_line(&b, "tap \"Vie CSV\"");
    sb_line(&b, "expect \"Tallennettu: %s/arvio-%s.csv\"", exp, ids[1]);
    /* the trend: change and new flags */
    sb_line(&b, "tap \"Muutos ajassa\"");
    sb_line(&b, "expect \"Muutos ajassa: KLM2345\"");
    sb_line(&b, "expect \"WHODAS 2.0 -rakenteinen itsearvio, 12 kysymystä: 2 arviota\"");
    sb_line(&b, "expect \"Muutos edelliseen arvioon (2025-01-10 10:00): +30,0, suurempi kuin "
                "mittausvirhe (9)\"");
    sb_line(&b, "expect \"Uudet merkinnät: R1 R2 R3 Y1 Y3 Y5 Y7\"");
    shot(&b, "wui-trend", "1280x800");
    sb_line(&b, "seek \"WHODAS 2.0 -rakenteinen itsearvio, 36 kysymystä: 1 arvio\"");
    sb_line(&b, "tap \"Takaisin\"");
    sb_line(&b, "expect \"Arvio: KLM2345, 2025-03-11 10:00\"");
    sb_line(&b, "key Escape");
    sb_line(&b, "expect \"5 arviota\"");
    /* the keyboard: the row above the one opened last, then idle on a detail locks too */
    sb_line(&b, "key Up");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"Arvio: KLM2345, 2025-04-10 10:00\"");
    sb_line(&b, "advance 301");
    sb_line(&b, "expect \"Työntekijän kirjautuminen\"");
    sb_line(&b, "expect_not \"KLM2345\"");
    const char *extra[] = {"--export-dir", exp, NULL};
    run_result r = run_worker("detail", "1280x800", &b, extra);
    CHECK_EQ_INT(r.exit_code, 0);

    /* what was written: the three files, valid */
    size_t len = 0;
    its_err err;
    snprintf(path, sizeof path, "%s/arvio-%s.pdf", exp, ids[1]);
    char *pdf = its_read_file(path, &len, &err);
    CHECK(pdf && len > 1000 && !memcmp(pdf, "%PDF-", 5));
    free(pdf);
    snprintf(path, sizeof path, "%s/arvio-%s-fhir.json", exp, ids[1]);
    json_t *fhir = json_load_file(path, 0, NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(fhir, "resourceType")), "Bundle");
    CHECK(json_array_size(json_object_get(fhir, "entry")) > 0);
    json_decref(fhir);
    snprintf(path, sizeof path, "%s/arvio-%s.csv", exp, ids[1]);
    char *csv = its_read_file(path, &len, &err);
    CHECK(csv && strstr(csv, "KLM2345") && strstr(csv, ids[1]));
    CHECK(csv && !strstr(csv, "EIM4567")); /* this assessment only */
    free(csv);
    /* the note, sealed in the store */
    char dir[700];
    snprintf(dir, sizeof dir, "%s/detail", work);
    worker_session *ws = wt_open(dir, TEST_PASS, &err);
    worker_note *notes = NULL;
    int n = 0;
    CHECK(ws && worker_note_list(ws, ids[1], &notes, &n, &err) == 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_STR(notes[0].rule, "R2");
        CHECK(!notes[0].agree);
        CHECK_EQ_STR(notes[0].text, "Pisteet nousivat sairausloman takia");
        CHECK_EQ_STR(notes[1].rule, "Y5");
        CHECK(notes[1].agree);
        CHECK_EQ_STR(notes[1].text, "näppäimillä");
    }
    worker_notes_free(notes, n);
    worker_session_lock(ws);
    char *audit = audit_text(dir);
    CHECK(audit && strstr(audit, ids[1]));  /* the view names the record */
    CHECK(audit && strstr(audit, "export:")); /* each export is logged */
    CHECK(audit && !strstr(audit, "KLM2345")); /* never a client code */
    free(audit);
}

/* 10,000 records: the list pages to the end and back; the time is printed, not judged. */
static void test_ten_thousand(void)
{
    CHECK_EQ_INT(work_init(work, "big", false), 0);
    char dir[700];
    snprintf(dir, sizeof dir, "%s/big", work);
    const char *demo[] = {bin, "demo", "--dir", dir, "--count", "10000", NULL};
    run_result r = run_command(demo, NULL);
    CHECK_EQ_INT(r.exit_code, 0);
    script_buf b = {0};
    sb_line(&b, "type demo-passphrase");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"10000 arviota\"");
    sb_line(&b, "expect \"Rivit 1–11 / 10000\"");
    for (int i = 0; i < 50; i++)
        sb_line(&b, "key PageDown");
    sb_line(&b, "expect \"Rivit 541–551 / 10000\"");
    sb_line(&b, "key End");
    sb_line(&b, "expect \"Rivit 9990–10000 / 10000\"");
    for (int i = 0; i < 50; i++)
        sb_line(&b, "key Up");
    sb_line(&b, "expect \"Rivit 9950–9960 / 10000\"");
    sb_line(&b, "tap \"Merkityt ensin\"");
    sb_line(&b, "tap \"Punaiset\"");
    sb_line(&b, "expect \"punaista, 0 keltaista (kaikkiaan 10000)\"");
    sb_line(&b, "expect_not \"Keltainen\"");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = run_worker("big", "1280x800", &b, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_EQ_INT(r.exit_code, 0);
    printf("10,000 records: unlock, 100 page and row steps and 2 filters in %.2f s\n",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

/* A record altered on disk is listed as such, not hidden, and opening it says why. */
static void test_tampered(void)
{
    make_fixture("tampered");
    char dir[600], sql[512];
    snprintf(dir, sizeof dir, "%s/tampered", work);
    snprintf(sql, sizeof sql,
             "DROP TRIGGER records_append_only;"
             "UPDATE records SET envelope = substr(envelope, 1, length(envelope) - 20) || "
             "(CASE WHEN substr(envelope, length(envelope) - 19, 1) = x'00' THEN x'01' ELSE x'00' END) || "
             "substr(envelope, length(envelope) - 18) WHERE id = '%s';",
             ids[3]);
    CHECK(test_sql(dir, sql) == 0);
    script_buf b = {0};
    sb_line(&b, "type \"%s\"", TEST_PASS);
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"5 arviota: 1 punaista, 1 keltaista, 1 ei voitu avata\"");
    sb_line(&b, "expect \"Ei voitu avata (vahingoittunut tai eri avaimella)\"");
    sb_line(&b, "expect_not \"EIM4567\"");
    sb_line(&b, "tap \"2025-02-19 10:00\"");
    sb_line(&b, "expect \"Arviota ei voitu avata:\"");
    sb_line(&b, "expect \"%s\"", ids[3]); /* the message names the record */
    sb_line(&b, "tap \"Punaiset\"");
    sb_line(&b, "expect \"1 arvio: 1 punaista, 0 keltaista (kaikkiaan 5)\"");
    run_result r = run_worker("tampered", "1280x800", &b, NULL);
    CHECK_EQ_INT(r.exit_code, 0);
}

/* A record deleted straight from store.db is listed as missing, not silently dropped, and
 * opening its row names it (issue 15 point 4). */
static void test_missing(void)
{
    make_fixture("missing");
    char dir[600], sql[300];
    snprintf(dir, sizeof dir, "%s/missing", work);
    snprintf(sql, sizeof sql, "DELETE FROM records WHERE id = '%s';", ids[3]);
    CHECK(test_sql(dir, sql) == 0);
    script_buf b = {0};
    sb_line(&b, "type \"%s\"", TEST_PASS);
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"5 arviota: 1 punaista, 1 keltaista, 1 ei voitu avata\"");
    sb_line(&b, "expect_not \"EIM4567\"");
    shot(&b, "wui-missing", "1280x800");
    sb_line(&b, "tap \"Puuttuu (poistettu tai vanhempi tietokanta palautettu)\"");
    sb_line(&b, "expect \"Arviota ei voitu avata:\"");
    sb_line(&b, "expect \"%s\"", ids[3]);
    sb_line(&b, "expect \"puuttuu\""); /* in the worker's language, naming the record */
    shot(&b, "wui-missing-detail", "1280x800");
    run_result r = run_worker("missing", "1280x800", &b, NULL);
    CHECK_EQ_INT(r.exit_code, 0);
}

/* A folder whose config.json says "lang": "sv" opens the worker's screens in Swedish without
 * --lang (as the worker commands read it), and --lang still wins. */
static void test_config_lang(void)
{
    make_fixture("config-lang");
    char path[700];
    snprintf(path, sizeof path, "%s/config-lang/config.json", work);
    json_t *c = json_load_file(path, 0, NULL);
    if (!CHECK(c != NULL))
        return;
    json_object_set_new(c, "lang", json_string("sv"));
    CHECK(json_dump_file(c, path, JSON_INDENT(2)) == 0);
    json_decref(c);
    script_buf b = {0};
    unlock_to(&b, "5 bedömningar: 1 röda, 1 gula");
    sb_line(&b, "expect_not \"arviota\"");
    run_result r = run_worker("config-lang", "1280x800", &b, NULL);
    CHECK_EQ_INT(r.exit_code, 0);
    script_buf e = {0};
    unlock_to(&e, "5 assessments: 1 red, 1 yellow");
    const char *extra[] = {"--lang", "en", NULL};
    r = run_worker("config-lang", "1280x800", &e, extra);
    CHECK_EQ_INT(r.exit_code, 0);
}

/* An export folder that cannot be made: a plain error, nothing written. */
static void test_export_error(void)
{
    make_fixture("export-error");
    char file[700];
    snprintf(file, sizeof file, "%s/not-a-folder", work);
    FILE *f = fopen(file, "w");
    if (f)
        fclose(f);
    script_buf b = {0};
    unlock(&b);
    sb_line(&b, "tap \"2025-01-30 10:00\"");
    sb_line(&b, "tap \"Vie CSV\"");
    sb_line(&b, "expect \"Vienti ei onnistunut:\"");
    sb_line(&b, "expect_not \"Tallennettu\"");
    const char *extra[] = {"--export-dir", file, NULL};
    run_result r = run_worker("export-error", "1280x800", &b, extra);
    CHECK_EQ_INT(r.exit_code, 0);
}

/* Issue 13 in the detail screen: research consent shown and withdrawn, an interview named, the
 * referral decision recorded with its buttons (the same store function as `itsearvio referral`);
 * the list's state column shows the interview. */
static void test_consent_referral(void)
{
    wt_research = "yes";
    wt_assisted_by = "0123456789abcdef";
    make_fixture("consent");
    wt_research = wt_assisted_by = NULL;
    script_buf b = {0};
    unlock(&b);
    sb_line(&b, "expect \"haastattelu\"");
    sb_line(&b, "tap \"2025-03-11 10:00\""); /* KLM2345's second, red */
    sb_line(&b, "expect \"Tutkimuslupa: kyllä\"");
    sb_line(&b, "expect \"Haastattelu: työntekijä kirjasi vastaukset (avain 0123456789abcdef)\"");
    shot(&b, "wui-detail-consent", "1280x800");
    sb_line(&b, "tap \"Kirjaa luvan peruminen\"");
    sb_line(&b, "expect \"Tutkimuslupa on nyt peruttu.\"");
    sb_line(&b, "expect_not \"Kirjaa luvan peruminen\"");
    sb_line(&b, "seek \"Kirjaa: ei ohjattu\"");
    sb_line(&b, "tap \"Kirjaa: ei ohjattu\"");
    sb_line(&b, "expect \"Miksi ei ohjattu?\"");
    sb_line(&b, "key Return"); /* no reason: refused, nothing stored */
    sb_line(&b, "expect \"Kirjoita syy, miksi asiakasta ei ohjattu.\"");
    sb_line(&b, "type \"Asiakas on jo erityisarviossa\"");
    sb_line(&b, "key Return");
    sb_line(&b, "seek \"Ohjaus erityisarvioon: ei ohjattu\"");
    sb_line(&b, "expect \"Asiakas on jo erityisarviossa\"");
    sb_line(&b, "seek \"Osa-alueet\""); /* the buttons above it whole in view */
    sb_line(&b, "tap \"Kirjaa: ohjattu\"");
    sb_line(&b, "seek \"Ohjaus erityisarvioon: ohjattu\"");
    shot(&b, "wui-detail-referral-done", "1280x800");
    sb_line(&b, "quit");
    run_result r = run_worker("consent", "1280x800", &b, NULL);
    CHECK_EQ_INT(r.exit_code, 0);
    /* the same states from the command line's reading */
    char dir[700];
    snprintf(dir, sizeof dir, "%s/consent", work);
    its_err err;
    worker_session *ws = wt_open(dir, TEST_PASS, &err);
    CHECK(ws != NULL);
    worker_note *notes = NULL;
    int n = 0;
    if (ws && worker_note_list(ws, ids[1], &notes, &n, &err) == 0) {
        char date[11];
        CHECK_EQ_INT(worker_consent_state("yes", notes, n, date), WORKER_CONSENT_WITHDRAWN);
        CHECK_EQ_INT(worker_referral_state(notes, n), WORKER_REFERRAL_REFERRED);
    }
    worker_notes_free(notes, n);
    worker_session_lock(ws);
}

/* The kiosk's hidden key opens the same unlock screen; closing it returns to the kiosk. */
static void test_kiosk_gesture(void)
{
    CHECK_EQ_INT(work_init(work, "kiosk", false), 0);
    script_buf b = {0};
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "key ctrl+alt+w");
    sb_line(&b, "expect \"Työntekijän kirjautuminen\"");
    sb_line(&b, "type wrong");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"Väärä tunnuslause.\"");
    sb_line(&b, "type demo-passphrase");
    sb_line(&b, "key Return");
    sb_line(&b, "expect \"0 arviota: 0 punaista, 0 keltaista\"");
    sb_line(&b, "tap \"Lukitse\"");
    sb_line(&b, "tap \"Sulje\"");
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "expect_not \"Työntekijän kirjautuminen\"");
    run_result r = kiosk_run_script(bin, work, "kiosk", "kiosk", "1280x800", &b, NULL);
    if (!CHECK_EQ_INT(r.exit_code, 0))
        fprintf(stderr, "%s\n", r.out);
}

/* Interviewer-assisted (issue 14 point 10): on the kiosk, the worker unlocks, starts an
 * interview, and the client's answers entered with them are stored marked with the worker key's
 * fingerprint; the next client answers alone. */
static void test_kiosk_interview(void)
{
    CHECK_EQ_INT(work_init(work, "interview", false), 0);
    char q12[1024];
    snprintf(q12, sizeof q12, "%s/questionnaires/whodas12-style.json", src);
    const char *const extra[] = {"--questionnaire", q12, NULL};
    script_buf b = {0};
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "key ctrl+alt+w");
    sb_line(&b, "type demo-passphrase");
    sb_line(&b, "key Return");
    sb_line(&b, "tap \"Haastattelu\"");
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "expect \"Haastattelu: työntekijä kirjaa vastaukset.\"");
    sb_line(&b, "tap \"Aloita\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "tap \"Kyllä, annan luvan\"");
    sb_line(&b, "tap \"Ei, jatkan ilman koodia\"");
    sb_line(&b, "tap \"Aloita kysely\"");
    for (int i = 0; i < 11; i++) { /* digits pick answers in words by place: value v is v + 1 */
        sb_line(&b, "key %d", i % 5 + 1);
        sb_line(&b, "key Return");
    }
    sb_line(&b, "key 2");
    sb_line(&b, "key Return");
    for (int i = 0; i < 3; i++) {
        sb_line(&b, "key %d", 3 - i); /* days H1 >= H2, H2 + H3 <= 30: no answer check */
        sb_line(&b, "key Return");
    }
    sb_line(&b, "expect \"Tarkista vastauksesi\"");
    sb_line(&b, "expect \"Haastattelu: työntekijä kirjaa vastaukset.\"");
    sb_line(&b, "seek \"Lähetä vastaukset\"");
    sb_line(&b, "tap \"Lähetä vastaukset\"");
    sb_line(&b, "expect \"Kiitos vastauksistasi!\"");
    sb_line(&b, "tap \"Valmis\"");
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "expect_not \"Haastattelu\""); /* the next client answers alone */
    sb_line(&b, "quit");
    run_result r = kiosk_run_script(bin, work, "interview", "kiosk", "1280x800", &b, extra);
    if (!CHECK_EQ_INT(r.exit_code, 0))
        fprintf(stderr, "%s\n", r.out);
    char dir[700], fp[STORE_FINGERPRINT_LEN + 1] = "?";
    snprintf(dir, sizeof dir, "%s/interview", work);
    store *s = NULL;
    its_err err;
    if (CHECK_EQ_INT(store_open(dir, &s, &err), 0))
        store_worker_fingerprint(s, fp);
    store_close(s);
    json_t *res = result_load(work, "interview");
    const char *by = json_string_value(json_object_get(json_object_get(res, "assisted"), "worker_key"));
    CHECK_EQ_STR(by ? by : "", fp);
    const char *research = json_string_value(json_object_get(json_object_get(res, "consent"), "research"));
    CHECK_EQ_STR(research ? research : "", "yes");
    json_decref(res);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test_wui_flow ITSEARVIO SOURCE_DIR WORK_DIR\n");
        return 2;
    }
    bin = argv[1];
    src = argv[2];
    work = argv[3];
    mkdir(work, 0755);
    snprintf(refdir, sizeof refdir, "%s/tests/wui/ref", src);
    snprintf(outdir, sizeof outdir, "%s/shots", work);
    mkdir(outdir, 0755);
    test_unlock_list_filter_lock("1280x800");
    test_unlock_list_filter_lock("1920x1080");
    test_idle_lock();
    test_detail_trend_export();
    test_export_error();
    test_config_lang();
    test_tampered();
    test_missing();
    test_kiosk_gesture();
    test_consent_referral();
    test_kiosk_interview();
    test_ten_thousand();
    static const char *const shots[] = {
        "wui-unlock-wrong-1280x800", "wui-list-1280x800", "wui-list-red-1280x800",
        "wui-list-1920x1080",        "wui-detail-1280x800", "wui-detail-chart-1280x800",
        "wui-detail-referral-1280x800", "wui-detail-days-1280x800",
        "wui-detail-consent-1280x800", "wui-detail-referral-done-1280x800",
        "wui-trend-1280x800"};
    for (size_t i = 0; i < sizeof shots / sizeof shots[0]; i++)
        CHECK_EQ_INT(shot_compare(outdir, refdir, shots[i]), 0);
    return check_summary();
}
