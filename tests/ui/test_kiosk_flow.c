/* test_kiosk_flow.c — complete assessments through the real binary: `itsearvio kiosk|tablet
 * --script FILE` on the SDL dummy driver. Each case writes a script, runs it and then checks
 * what was SAVED (answers, client code, scores recomputed by the core from the saved answers),
 * not only which screens appeared.
 *
 * usage: test_kiosk_flow ITSEARVIO SOURCE_DIR WORK_DIR [CASE]  */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "draft_scan.h"
#include "clientcode.h"
#include "kiosk_run.h"
#include "result.h"

static const char *bin, *src, *work;
static char q12[1024], q36[1024], mix[1024];

#define SIZE "1280x800"

/* ---- script pieces ------------------------------------------------------------------------ */

/* A code as the keypad shows it: seven places a person can count ("K 7 _ _ _ _ _", an en
 * space apart). */
static const char *places(const char *code)
{
    static char out[CLIENTCODE_LEN * 4];
    out[0] = '\0';
    for (size_t i = 0; i < CLIENTCODE_LEN; i++)
        its_appendf(out, sizeof out, "%s%c", i ? "\xE2\x80\x82" : "", i < strlen(code) ? code[i] : '_');
    return out;
}

/* START -> INFO -> IDENT -> (code or anonymous) -> INTRO -> first question. */
static void prologue(script_buf *b, const char *code)
{
    sb_line(b, "expect \"Tervetuloa\"");
    sb_line(b, "tap \"Aloita\"");
    sb_line(b, "expect \"Jos et koske näyttöön 2 minuuttiin, kysely alkaa alusta. Silloin laite "
               "poistaa vastauksesi.\"");
    sb_line(b, "tap \"Seuraava\"");
    sb_line(b, "expect \"Saako tutkimus käyttää vastauksiasi?\"");
    sb_line(b, "tap \"%s\"", code ? "Kyllä, annan luvan" : "Ei, en anna lupaa");
    if (code) {
        sb_line(b, "tap \"Kyllä, kirjoitan koodin\"");
        sb_line(b, "expect \"%s\"", places(""));
        for (const char *c = code; *c; c++) /* on the on-screen keypad */
            sb_line(b, "tap \"%c\"", *c);
        sb_line(b, "expect \"%s\"", places(code));
        sb_line(b, "tap \"Valmis\"");
    } else {
        sb_line(b, "tap \"Ei, jatkan ilman koodia\"");
    }
    sb_line(b, "expect \"Ajattele viimeistä\"");
    sb_line(b, "tap \"Aloita kysely\"");
    sb_line(b, "expect \"Kysymys 1 / \"");
}

/* A number (days, a 0-10 row) by number keys, then Enter ("Seuraava"). */
static void key_answer(script_buf *b, int value)
{
    sb_line(b, "key %d", value);
    sb_line(b, "key Return");
}

/* An answer in words by its place on the screen (key 1 the first button), then Enter. */
static void key_place(script_buf *b, int place)
{
    key_answer(b, place);
}

/* A difficulty answer (0 "Ei vaikeuksia" ... 4, listed in that order): the button at place
 * value + 1. */
static void key_difficulty(script_buf *b, int value)
{
    key_place(b, value + 1);
}

/* WHODAS-12 from item `first` (0 = S1) to the end with `value`: S1-S12 on the difficulty scale,
 * H1-H3 as days. */
static void w12_rest(script_buf *b, int first, int value)
{
    for (int i = first; i < 15; i++) {
        if (i < 12)
            key_difficulty(b, value);
        else
            key_answer(b, value);
    }
}

static void send(script_buf *b)
{
    sb_line(b, "expect \"Tarkista vastauksesi\"");
    sb_line(b, "seek \"Lähetä vastaukset\""); /* once the end has been shown */
    sb_line(b, "tap \"Lähetä vastaukset\"");
    sb_line(b, "expect \"Kiitos vastauksistasi!\"");
    sb_line(b, "expect \"Sitten käytte tulokset yhdessä läpi.\"");
}

static run_result run(const char *name, const char *mode, const script_buf *b, const char *qfile)
{
    const char *extra[] = {"--questionnaire", qfile, NULL};
    run_result r = kiosk_run_script(bin, work, name, mode, SIZE, b, extra);
    if (r.exit_code != 0 && r.signal != SIGKILL)
        fprintf(stderr, "[%s] exit %d signal %d:\n%s\n", name, r.exit_code, r.signal, r.out);
    return r;
}

/* ---- checks on the saved payload ------------------------------------------------------------ */

static long answer_int(json_t *res, const char *item)
{
    json_t *v = json_object_get(json_object_get(res, "answers"), item);
    return json_is_integer(v) ? (long)json_integer_value(v) : -999;
}

static const char *answer_str(json_t *res, const char *item)
{
    json_t *v = json_object_get(json_object_get(res, "answers"), item);
    return json_is_string(v) ? json_string_value(v) : "(not a string)";
}

static json_t *score_get(json_t *res, const char *score, const char *key)
{
    return json_object_get(json_object_get(json_object_get(res, "scores"), score), key);
}

static const char *score_str(json_t *res, const char *score, const char *key)
{
    const char *s = json_string_value(score_get(res, score, key));
    return s ? s : "(none)";
}

/* Checks answers given as "S1=0 S2=4 H3=r" (a number, or the string stored: na, r). */
static void expect_answers(json_t *res, const char *spec)
{
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) { /* reentrant */
        char *eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *want = eq + 1;
        if (want[0] >= '0' && want[0] <= '9') {
            if (!check_eq_int(answer_int(res, tok), strtol(want, NULL, 10), tok, __FILE__, __LINE__))
                fprintf(stderr, "  (answer %s)\n", tok);
        } else {
            check_eq_str(answer_str(res, tok), want, tok, __FILE__, __LINE__);
        }
    }
}

/* The saved scores equal what the core computes from the saved answers. */
static void check_scores_consistent(json_t *res, const char *qfile)
{
    qn *q = qn_load(qfile, NULL);
    qn_session s;
    its_err err;
    CHECK(q != NULL);
    if (!q)
        return;
    CHECK(session_init(&s, q, &err) == 0);
    CHECK(session_from_json(&s, json_object_get(res, "answers"), &err) == 0);
    json_t *again = result_build(&s, NULL, NULL, 0, 0, &err);
    CHECK(json_equal(json_object_get(again, "scores"), json_object_get(res, "scores")));
    CHECK_EQ_STR(json_string_value(json_object_get(again, "level")),
                 json_string_value(json_object_get(res, "level")));
    json_decref(again);
    session_wipe(&s);
    qn_free(q);
}

/* Runs a case in a clean folder; the saved result (new reference) or NULL. */
static json_t *run_and_load(const char *name, const char *mode, const script_buf *b,
                            const char *qfile)
{
    CHECK_EQ_INT(work_init(work, name, !strcmp(mode, "tablet")), 0);
    CHECK_EQ_INT(run(name, mode, b, qfile).exit_code, 0);
    json_t *res = result_load(work, name);
    CHECK(res != NULL);
    return res;
}

static void valid_code(char out[CLIENTCODE_LEN + 1], uint32_t seed)
{
    clientcode_make(seed, out);
}

/* ---- cases ---------------------------------------------------------------------------------- */

/* The client code typed on the keyboard: too short (the message says how many), mistyped
 * (caught with a plain message), erased with BackSpace and "Pyyhi", then right. */
static void type_code_with_mistakes(script_buf *b, const char *code)
{
    char wrong[CLIENTCODE_LEN + 1];
    memcpy(wrong, code, sizeof wrong);
    wrong[2] = wrong[2] == 'A' ? 'B' : 'A';
    sb_line(b, "tap \"Aloita\"");
    sb_line(b, "tap \"Seuraava\"");
    sb_line(b, "tap \"Ei, en anna lupaa\"");
    sb_line(b, "tap \"Kyllä, kirjoitan koodin\"");
    sb_line(b, "type ABC");
    sb_line(b, "tap \"Valmis\"");
    sb_line(b, "expect \"Koodissa on 7 merkkiä. Kirjoitit 3 merkkiä.\"");
    for (int i = 0; i < 3; i++)
        sb_line(b, "key BackSpace");
    sb_line(b, "type %s", wrong);
    sb_line(b, "tap \"Valmis\"");
    sb_line(b, "expect \"Koodi ei ole oikein. Tarkista koodi ja kirjoita se uudelleen.\"");
    for (int i = 0; i < 5; i++)
        sb_line(b, "tap \"Pyyhi\"");
    sb_line(b, "type %s", code + 2);
    sb_line(b, "expect \"%s\"", places(code));
    sb_line(b, "tap \"Valmis\"");
    sb_line(b, "expect \"Aloita kysely\"");
    sb_line(b, "tap \"Aloita kysely\"");
    sb_line(b, "expect \"Kysymys 1 / \"");
}

/* WHODAS-12 structure with a client code (typed with mistakes first; the keypad's taps are in
 * crash_resume, shred and sigterm), works (S12 answered), numbers by keypad taps and -/+, one
 * refusal. */
static void case_w12_code(void)
{
    const char *name = "w12_code";
    char code[CLIENTCODE_LEN + 1];
    valid_code(code, 55555u);
    script_buf b = {0};
    type_code_with_mistakes(&b, code);
    int values[12] = {1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2};
    sb_line(&b, "tap \"Vähän vaikeuksia\""); /* S1 by touch */
    sb_line(&b, "expect \"Kysymys 1 / 15\"");
    sb_line(&b, "tap \"Seuraava\"");
    for (int i = 1; i < 12; i++)
        key_difficulty(&b, values[i]);
    sb_line(&b, "expect \"Kysymys 13 / 15\"");
    sb_line(&b, "tap \"1\"");
    sb_line(&b, "tap \"2\"");
    sb_line(&b, "expect \"12 päivää\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "tap \"+\"");
    sb_line(&b, "tap \"+\"");
    sb_line(&b, "tap \"–\"");
    sb_line(&b, "expect \"0 päivää\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "tap \"En halua vastata\"");
    sb_line(&b, "tap \"Seuraava\"");
    send(&b);
    sb_line(&b, "expect_not \"Sinun koodisi on\"");
    json_t *res = run_and_load(name, "kiosk", &b, q12);
    if (!res)
        return;
    char id[8];
    int sum = 0;
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "S%d", i + 1);
        CHECK_EQ_INT(answer_int(res, id), values[i]);
        sum += values[i];
    }
    expect_answers(res, "H1=12 H2=0 H3=r");
    CHECK_EQ_STR(json_string_value(json_object_get(res, "client")), code);
    CHECK_NEAR(json_number_value(score_get(res, "simple", "value")), sum, 1e-9);
    CHECK_EQ_STR(score_str(res, "simple", "item_set"), "12");
    json_t *qo = json_object_get(res, "questionnaire");
    CHECK_EQ_STR(json_string_value(json_object_get(qo, "id")), "whodas12-style");
    check_scores_consistent(res, q12);
    CHECK(!draft_exists(work, name)); /* submit ends the draft */
    json_decref(res);
}

/* WHODAS-12, anonymous, does not work: S12 "En tee työtä enkä opiskele" -> "na"; a pickup
 * code is made and shown at the end. */
static void case_w12_nonworker(void)
{
    const char *name = "w12_nonworker";
    script_buf b = {0};
    prologue(&b, NULL);
    for (int i = 0; i < 11; i++)
        key_difficulty(&b, 0);
    sb_line(&b, "tap \"En tee työtä enkä opiskele\"");
    sb_line(&b, "tap \"Seuraava\"");
    for (int i = 0; i < 3; i++) {
        sb_line(&b, "key 0");
        sb_line(&b, "key Return");
    }
    send(&b);
    sb_line(&b, "expect \"Sinun koodisi on\"");
    json_t *res = run_and_load(name, "kiosk", &b, q12);
    if (!res)
        return;
    expect_answers(res, "S12=na S11=0");
    char norm[CLIENTCODE_LEN + 1];
    const char *client = json_string_value(json_object_get(res, "client"));
    CHECK(client && clientcode_valid(client, norm));
    check_scores_consistent(res, q12);
    json_decref(res);
}

/* WHODAS-36 structure, works: the gate opens D5.5-D5.8; item set 36. (The gate closed, item
 * set 32, is gate_change.) */
static void case_w36_worker(void)
{
    const char *name = "w36_worker";
    script_buf b = {0};
    prologue(&b, NULL);
    for (int i = 0; i < 24; i++)
        key_difficulty(&b, i % 5);
    sb_line(&b, "expect \"Kysymys 25 / 36\""); /* the work items are not counted yet */
    sb_line(&b, "expect \"Teetkö työtä tai opiskeletko?\"");
    sb_line(&b, "tap \"Kyllä\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "expect \"Kysymys 26 / 40\"");
    for (int i = 0; i < 12; i++)
        key_difficulty(&b, (i + 1) % 5);
    for (int i = 0; i < 3; i++)
        key_answer(&b, 3);
    send(&b);
    json_t *res = run_and_load(name, "kiosk", &b, q36);
    if (!res)
        return;
    CHECK_EQ_INT(answer_int(res, "WORK"), 1);
    CHECK_EQ_INT(answer_int(res, "D1.1"), 0);
    CHECK_EQ_INT(answer_int(res, "D5.4"), 23 % 5);
    expect_answers(res, "D5.5=1 D5.8=4 D6.1=0");
    CHECK_EQ_INT(answer_int(res, "H3"), 3);
    CHECK_EQ_STR(score_str(res, "overall", "status"), "ok");
    CHECK_EQ_STR(score_str(res, "overall", "item_set"), "36");
    check_scores_consistent(res, q36);
    json_decref(res);
}

/* Back, change, Esc, and tap-to-change on the review screen. */
static void case_back_and_change(void)
{
    const char *name = "back_and_change";
    script_buf b = {0};
    prologue(&b, NULL);
    key_difficulty(&b, 1);
    key_difficulty(&b, 2);
    sb_line(&b, "expect \"Kysymys 3 / 15\"");
    sb_line(&b, "tap \"Takaisin\"");
    sb_line(&b, "expect \"Kysymys 2 / 15\"");
    sb_line(&b, "expect \"Jonkin verran vaikeuksia\"");
    sb_line(&b, "key 5"); /* the fifth button: value 4 */
    sb_line(&b, "key Escape");
    sb_line(&b, "expect \"Kysymys 1 / 15\"");
    key_difficulty(&b, 3);
    key_difficulty(&b, 4);
    w12_rest(&b, 2, 0);
    sb_line(&b, "expect \"Tarkista vastauksesi\"");
    sb_line(&b, "tap \"Seisominen puoli tuntia: Paljon vaikeuksia\"");
    sb_line(&b, "expect \"Kysymys 1 / 15\"");
    sb_line(&b, "tap \"Ei vaikeuksia\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "expect \"Seisominen puoli tuntia: Ei vaikeuksia\"");
    send(&b);
    json_t *res = run_and_load(name, "kiosk", &b, q12);
    if (!res)
        return;
    expect_answers(res, "S1=0 S2=4 S3=0");
    json_decref(res);
}

/* Skip logic live: answer the work items, go back to the gate, say "Ei": the work answers must
 * not be stored, and the score uses the 32-item path. */
static void case_gate_change(void)
{
    const char *name = "gate_change";
    script_buf b = {0};
    prologue(&b, NULL);
    for (int i = 0; i < 24; i++)
        key_difficulty(&b, 1);
    key_place(&b, 1); /* WORK: Kyllä */
    for (int i = 0; i < 4; i++)
        key_difficulty(&b, 4);
    sb_line(&b, "expect \"Kysymys 30 / 40\"");
    for (int i = 0; i < 5; i++)
        sb_line(&b, "tap \"Takaisin\"");
    sb_line(&b, "expect \"Teetkö työtä tai opiskeletko?\"");
    key_place(&b, 2); /* WORK: Ei */
    sb_line(&b, "expect \"Kysymys 26 / 36\"");
    for (int i = 0; i < 8 + 3; i++) /* D6.1-D6.8, then H1-H3 in days */
        (i < 8 ? key_difficulty : key_answer)(&b, 2);
    send(&b);
    json_t *res = run_and_load(name, "kiosk", &b, q36);
    if (!res)
        return;
    expect_answers(res, "WORK=0 D5.5=na D5.8=na D6.1=2");
    CHECK_EQ_STR(score_str(res, "overall", "item_set"), "32");
    check_scores_consistent(res, q36);
    json_decref(res);
}

/* Idle: warning with countdown, expiry wipes answers and draft, the start screen returns; the
 * next client taps "Jatka" on the warning and keeps their answers; their result holds none of
 * the earlier client's. */
static void case_idle_wipe(void)
{
    const char *name = "idle_wipe";
    script_buf b = {0};
    prologue(&b, NULL);
    key_difficulty(&b, 4);
    key_difficulty(&b, 4);
    key_difficulty(&b, 4);
    sb_line(&b, "advance 119");
    sb_line(&b, "expect_not \"Oletko vielä siellä?\"");
    sb_line(&b, "advance 1");
    sb_line(&b, "expect \"Oletko vielä siellä?\"");
    sb_line(&b, "expect \"Kysely alkaa alusta 30 sekunnin kuluttua.\"");
    sb_line(&b, "tap 1200 140"); /* an answer button behind the modal: nothing happens */
    sb_line(&b, "advance 10");
    sb_line(&b, "expect \"Kysely alkaa alusta 20 sekunnin kuluttua.\"");
    sb_line(&b, "advance 19");
    sb_line(&b, "expect \"Kysely alkaa alusta 1 sekunnin kuluttua.\"");
    sb_line(&b, "advance 1");
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "expect_not \"Kysymys\"");
    sb_line(&b, "expect_not \"Oletko vielä siellä?\"");
    /* the next client: "Jatka" extends the time and keeps the answers, three times */
    prologue(&b, NULL);
    sb_line(&b, "expect \"Kysymys 1 / 15\"");
    key_difficulty(&b, 2);
    key_difficulty(&b, 3);
    for (int round = 0; round < 3; round++) {
        sb_line(&b, "advance 125");
        sb_line(&b, "expect \"Kysely alkaa alusta 25 sekunnin kuluttua.\"");
        sb_line(&b, "tap \"Jatka\"");
        sb_line(&b, "expect_not \"Oletko vielä siellä?\"");
        sb_line(&b, "expect \"Kysymys 3 / 15\"");
    }
    w12_rest(&b, 2, 0);
    send(&b);
    work_init(work, name, false);
    CHECK_EQ_INT(run(name, "kiosk", &b, q12).exit_code, 0);
    CHECK_EQ_INT(results_count(work, name), 1);
    json_t *res = result_load(work, name);
    CHECK(res != NULL);
    if (!res)
        return;
    expect_answers(res, "S1=2 S2=3 S3=0"); /* none of the 4s of the wiped client */
    json_decref(res);
    /* a wipe with nothing sent leaves nothing: no result, no draft */
    script_buf c = {0};
    prologue(&c, NULL);
    key_difficulty(&c, 3);
    sb_line(&c, "advance 151");
    sb_line(&c, "expect \"Tervetuloa\"");
    work_init(work, "idle_wipe_only", false);
    CHECK_EQ_INT(run("idle_wipe_only", "kiosk", &c, q12).exit_code, 0);
    CHECK_EQ_INT(results_count(work, "idle_wipe_only"), 0);
    CHECK(!draft_exists(work, "idle_wipe_only"));
}

static int count_text(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* "Lue kaikki ääneen" (issue 17, point 4) reads each screen as it appears, without a tap on
 * "Lue ääneen", for this client only: after the idle wipe the next client starts without it,
 * and in the usual colours whatever this client chose (point 3). The kiosk names each reading
 * on stderr with ITS_BENCH=1. */
static void case_read_all(void)
{
    const char *name = "read_all";
    script_buf b = {0};
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "tap \"Lue kaikki ääneen\"");  /* reads START */
    sb_line(&b, "expect \"Värit: musta teksti valkoisella.\"");
    sb_line(&b, "tap \"Vaihda värit\"");
    sb_line(&b, "expect \"Värit: valkoinen teksti mustalla.\"");
    sb_line(&b, "tap \"Aloita\"");             /* INFO */
    sb_line(&b, "tap \"Seuraava\"");           /* CONSENT */
    sb_line(&b, "advance 151");                /* the idle wipe: START for the next client */
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "expect \"Värit: musta teksti valkoisella.\"");
    sb_line(&b, "tap \"Aloita\"");             /* not read */
    sb_line(&b, "expect \"Seuraava\"");
    sb_line(&b, "tap \"Lue ääneen\"");         /* read on request */
    sb_line(&b, "quit");
    work_init(work, name, false);
    kiosk_run_env("ITS_BENCH=1");
    run_result r = run(name, "kiosk", &b, q12);
    kiosk_run_env(NULL);
    CHECK_EQ_INT(r.exit_code, 0);
    if (!CHECK_EQ_INT(count_text(r.out, "bench read_aloud"), 4))
        fprintf(stderr, "%s\n", r.out);
}

/* Tablet: killed (SIGKILL) after five answers; the restart offers the draft and the finished
 * result holds the answers from before the crash and the client code. */
static void case_crash_resume(void)
{
    const char *name = "crash_resume";
    char code[CLIENTCODE_LEN + 1];
    valid_code(code, 987654321u);
    script_buf b = {0};
    prologue(&b, code);
    int before[5] = {1, 2, 3, 4, 0};
    for (int i = 0; i < 5; i++)
        key_difficulty(&b, before[i]);
    sb_line(&b, "crash");
    work_init(work, name, true);
    run_result r = run(name, "tablet", &b, q12);
    CHECK_EQ_INT(r.signal, SIGKILL);
    CHECK_EQ_INT(results_count(work, name), 0);
    CHECK(draft_exists(work, name));

    script_buf c = {0};
    sb_line(&c, "expect \"Haluatko jatkaa siitä, mihin jäit?\"");
    sb_line(&c, "tap \"Kyllä, jatka\"");
    sb_line(&c, "expect \"Kysymys 6 / 15\"");
    w12_rest(&c, 5, 1);
    send(&c);
    /* written to the same folder: a second run of the same case name */
    const char *extra[] = {"--questionnaire", q12, NULL};
    run_result r2 = kiosk_run_script(bin, work, name, "tablet", SIZE, &c, extra);
    if (r2.exit_code)
        fprintf(stderr, "[crash_resume 2] %s\n", r2.out);
    CHECK_EQ_INT(r2.exit_code, 0);
    json_t *res = result_load(work, name);
    CHECK(res != NULL);
    if (!res)
        return;
    char id[8];
    for (int i = 0; i < 5; i++) {
        snprintf(id, sizeof id, "S%d", i + 1);
        CHECK_EQ_INT(answer_int(res, id), before[i]);
    }
    CHECK_EQ_INT(answer_int(res, "S6"), 1);
    CHECK_EQ_STR(json_string_value(json_object_get(res, "client")), code);
    CHECK(!draft_exists(work, name)); /* submit ends the draft */
    json_decref(res);
}

/* A stolen kiosk (issue 15, point 1): after an assessment is sent and the kiosk is killed, no
 * file of the folder holds a draft that opens with any key found in the folder, nor the client
 * code or the answers in the clear; also while another reader holds the WAL (a worker station
 * reading the folder), so old draft pages stay in it. A session killed before it was sent is
 * the one draft that opens (the scan does find drafts). */
static void case_shred(void)
{
    char code[CLIENTCODE_LEN + 1];
    valid_code(code, 192837465u);
    const char *const markers[] = {code, "\"answers\"", NULL};
    const char *names[] = {"shred_sent", "shred_sent_read", "shred_open"};
    for (int k = 0; k < 3; k++) {
        script_buf b = {0};
        prologue(&b, code);
        for (int i = 0; i < (k == 2 ? 5 : 15); i++)
            (i < 12 ? key_difficulty : key_answer)(&b, 1);
        if (k < 2)
            send(&b);
        sb_line(&b, "crash");
        work_init(work, names[k], false);
        char dir[1024], db[1100];
        snprintf(dir, sizeof dir, "%s/%s", work, names[k]);
        snprintf(db, sizeof db, "%s/store.db", dir);
        sqlite3 *reader = NULL;
        if (k == 1) {
            CHECK(sqlite3_open(db, &reader) == SQLITE_OK);
            CHECK(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM records;", NULL, NULL, NULL) ==
                  SQLITE_OK);
        }
        CHECK_EQ_INT(run(names[k], "kiosk", &b, q12).signal, SIGKILL);
        scan_result r = scan_folder(dir, k < 2 ? markers : NULL);
        sqlite3_close(reader);
        if (k < 2) {
            CHECK_EQ_INT(r.marker_hits, 0);
            if (!CHECK_EQ_INT(r.opened, 0))
                fprintf(stderr, "  %s: %d of %d draft rows open\n", names[k], r.opened, r.shapes);
            CHECK_EQ_INT(results_count(work, names[k]), 1);
        } else {
            CHECK(r.opened >= 1);
            CHECK(strstr(r.opened_text, code) != NULL);
        }
    }
}

/* Starts `itsearvio MODE` on DIR/NAME with a script file, not waiting for it; its pid.
 * Without `windowed` it runs as in production, where closing the window is no way out. */
static pid_t spawn_mode(const char *name, const char *script_file, const char *mode,
                        bool windowed)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", work, name);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_AUDIODRIVER", "dummy", 1);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        const char *argv[] = {bin,      mode,        "--dir",         dir, "--size", SIZE,
                              "--script", script_file, "--questionnaire", q12, "--windowed", NULL};
        if (!windowed)
            argv[10] = NULL;
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static pid_t spawn_kiosk(const char *name, const char *script_file)
{
    return spawn_mode(name, script_file, "kiosk", true);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* ms waited for pid to end (its status in *status), or -1 after limit_ms. */
static long wait_exit(pid_t pid, int *status, long limit_ms)
{
    for (long ms = 0; ms <= limit_ms; ms += 10) {
        if (waitpid(pid, status, WNOHANG) == pid)
            return ms;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    return -1;
}

/* `systemctl stop` (issue 17, point 9): SIGTERM in the middle of an assessment, while the
 * program sleeps waiting for a touch as a kiosk (no --windowed: closing the window is ignored),
 * ends it with exit 0 within 5 s; the draft is whole, so the restart offers it and the result
 * holds the answers from before the stop. For a kiosk and a tablet. */
static void case_sigterm(void)
{
    const char *modes[] = {"kiosk", "tablet"};
    for (int m = 0; m < 2; m++) {
        char name[32], script[1100], keyfile[1100];
        snprintf(name, sizeof name, "sigterm_%s", modes[m]);
        char code[CLIENTCODE_LEN + 1];
        valid_code(code, 246813579u + (uint32_t)m);
        work_init(work, name, m == 1);
        script_buf a = {0};
        prologue(&a, code);
        int before[3] = {2, 0, 3};
        for (int i = 0; i < 3; i++)
            key_difficulty(&a, before[i]);
        sb_line(&a, "hold");
        snprintf(script, sizeof script, "%s/%s-first.txt", work, name);
        snprintf(keyfile, sizeof keyfile, "%s/%s/draft.key", work, name);
        write_text(script, a.text);
        pid_t pid = spawn_mode(name, script, modes[m], false);
        for (int i = 0; i < 200 && access(keyfile, F_OK) != 0; i++)
            nanosleep(&(struct timespec){0, 50000000}, NULL);
        nanosleep(&(struct timespec){1, 0}, NULL); /* past the script: asleep waiting */
        kill(pid, SIGTERM);
        int status = 0;
        long ms = wait_exit(pid, &status, 5000);
        if (!CHECK(ms >= 0)) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            continue;
        }
        fprintf(stderr, "  %s stopped %ld ms after SIGTERM\n", modes[m], ms);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        CHECK_EQ_INT(results_count(work, name), 0);
        CHECK(draft_exists(work, name));

        script_buf b = {0};
        sb_line(&b, "expect \"Haluatko jatkaa siitä, mihin jäit?\"");
        sb_line(&b, "tap \"Kyllä, jatka\"");
        sb_line(&b, "expect \"Kysymys 4 / 15\"");
        w12_rest(&b, 3, 1);
        send(&b);
        CHECK_EQ_INT(run(name, modes[m], &b, q12).exit_code, 0); /* the same folder */
        json_t *res = result_load(work, name);
        if (!CHECK(res != NULL))
            continue;
        expect_answers(res, "S1=2 S2=0 S3=3 S4=1");
        CHECK_EQ_STR(json_string_value(json_object_get(res, "client")), code);
        json_decref(res);
    }
}

static run_result run_second(const char *name, const char *script_file)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", work, name);
    const char *argv[] = {bin, "kiosk", "--dir", dir, "--windowed", "--size", SIZE, "--script",
                          script_file, "--questionnaire", q12, NULL};
    const char *env[] = {"SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy", NULL};
    return run_command(argv, env);
}

/* Two kiosk processes on one folder (issue 15, point 2): the second refuses to start while the
 * first one lives, and its live draft is offered to nobody; after the first one crashes, the
 * restart offers it. */
static void case_two_kiosks(void)
{
    const char *name = "two_kiosks";
    char code[CLIENTCODE_LEN + 1], first[1100], second[1100], keyfile[1100];
    valid_code(code, 564738291u);
    work_init(work, name, false);
    script_buf a = {0}, b = {0};
    prologue(&a, code);
    for (int i = 0; i < 3; i++)
        key_difficulty(&a, 2);
    sb_line(&a, "wait 20000");
    sb_line(&a, "quit");
    sb_line(&b, "expect \"Haluatko jatkaa siitä, mihin jäit?\"");
    sb_line(&b, "quit");
    snprintf(first, sizeof first, "%s/%s-first.txt", work, name);
    snprintf(second, sizeof second, "%s/%s-second.txt", work, name);
    snprintf(keyfile, sizeof keyfile, "%s/%s/draft.key", work, name);
    FILE *f = fopen(first, "w"), *g = fopen(second, "w");
    if (f)
        fputs(a.text, f), fclose(f);
    if (g)
        fputs(b.text, g), fclose(g);
    pid_t pid = spawn_kiosk(name, first);
    for (int i = 0; i < 200 && access(keyfile, F_OK) != 0; i++) /* its first draft */
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    CHECK(access(keyfile, F_OK) == 0);
    run_result r = run_second(name, second);
    CHECK_EQ_INT(r.exit_code, 1);
    CHECK(strstr(r.out, "Another kiosk or tablet program is running on the data folder") != NULL);
    CHECK(!draft_exists(work, name)); /* its owner is alive: offered to nobody */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    CHECK(draft_exists(work, name)); /* its own crash: the restart offers it */
    r = run_second(name, second);
    if (!CHECK_EQ_INT(r.exit_code, 0))
        fprintf(stderr, "  %s\n", r.out);
}

/* A double tap on "Seuraava" answers one question; on "Lähetä" it sends once. Sliding off a
 * button cancels it. The client chose bigger text and other colours: after "Valmis" the next
 * person gets the kiosk's own again. */
static void case_double_tap(void)
{
    const char *name = "double_tap";
    script_buf b = {0};
    sb_line(&b, "tap \"Isompi teksti\"");
    sb_line(&b, "tap \"Vaihda värit\"");
    sb_line(&b, "expect \"Tekstin koko on nyt 125 %%.\"");
    sb_line(&b, "expect_not \"Värit: musta teksti valkoisella.\"");
    prologue(&b, NULL);
    sb_line(&b, "tap \"Ei vaikeuksia\"");
    sb_line(&b, "drag \"Seuraava\" 10 10");
    sb_line(&b, "expect \"Kysymys 1 / 15\"");
    sb_line(&b, "dtap \"Seuraava\"");
    sb_line(&b, "expect \"Kysymys 2 / 15\"");
    w12_rest(&b, 1, 0);
    sb_line(&b, "expect \"Tarkista vastauksesi\"");
    sb_line(&b, "seek \"Lähetä vastaukset\""); /* once the end has been shown */
    sb_line(&b, "dtap \"Lähetä vastaukset\"");
    sb_line(&b, "expect \"Kiitos vastauksistasi!\"");
    sb_line(&b, "advance 1");
    sb_line(&b, "tap \"Valmis\"");
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "expect \"Tekstin koko on nyt 100 %%.\"");
    sb_line(&b, "expect \"Värit: musta teksti valkoisella.\"");
    work_init(work, name, false);
    CHECK_EQ_INT(run(name, "kiosk", &b, q12).exit_code, 0);
    CHECK_EQ_INT(results_count(work, name), 1);
}

/* Every kind of answer: 0-10 keys, multi-choice toggles with "Valmis", a number with a limit;
 * the gate says no. A red flag fires in the payload; the client sees the same thank-you. */
static void case_mix(void)
{
    const char *name = "mix";
    script_buf b = {0};
    prologue(&b, NULL);
    sb_line(&b, "tap \"Paljon vaikeuksia\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "tap \"Ei\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "expect \"Kysymys 3 / 5\"");
    sb_line(&b, "expect \"0 tarkoittaa: en pysty tekemään työtä\"");
    sb_line(&b, "key 1"); /* "1" and then "0" at once: 10 */
    sb_line(&b, "key 0");
    sb_line(&b, "expect \"Valitsit: 10\"");
    sb_line(&b, "key 1"); /* "1", a pause, "0": 0 */
    sb_line(&b, "advance 2");
    sb_line(&b, "key 0");
    sb_line(&b, "expect \"Valitsit: 0\"");
    sb_line(&b, "tap \"7\"");
    sb_line(&b, "expect \"Valitsit: 7\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "tap \"Valmis\"");
    sb_line(&b, "expect \"Valitse ensin vastaus.\"");
    sb_line(&b, "tap \"Uni\"");
    sb_line(&b, "tap \"Raha-asiat\"");
    sb_line(&b, "tap \"Uni\"");
    sb_line(&b, "key 4"); /* the fourth choice: Yksinäisyys */
    sb_line(&b, "tap \"Valmis\"");
    sb_line(&b, "key 9");
    sb_line(&b, "expect \"Suurin luku on 7.\"");
    sb_line(&b, "tap \"5\"");
    sb_line(&b, "expect \"5 päivää\"");
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "expect \"Mitä muuttaisi: Raha-asiat, Yksinäisyys\"");
    send(&b);
    sb_line(&b, "expect_not \"punai\"");
    json_t *res = run_and_load(name, "kiosk", &b, mix);
    if (!res)
        return;
    expect_answers(res, "A1=2 WORK=0 A2=na WA=7 D7=5");
    json_t *ch = json_object_get(json_object_get(res, "answers"), "CH");
    CHECK(json_array_size(ch) == 2 && json_integer_value(json_array_get(ch, 0)) == 2 &&
          json_integer_value(json_array_get(ch, 1)) == 3);
    CHECK_EQ_STR(score_str(res, "sum", "item_set"), "1");
    CHECK_EQ_STR(json_string_value(json_object_get(res, "level")), "red");
    check_scores_consistent(res, mix);
    json_decref(res);
}

/* The Oma tilanne questionnaire: 0-10 rows with words at the ends, five-step statements,
 * and the eight-way "what would you like to change" with "Valmis", then "En mitään". */
static void case_oma_tilanne(void)
{
    const char *name = "oma_tilanne";
    script_buf b = {0};
    prologue(&b, NULL);
    sb_line(&b, "expect \"0 tarkoittaa: En pysty työhön ollenkaan\"");
    sb_line(&b, "tap \"10\"");
    sb_line(&b, "expect \"Valitsit: 10\"");
    sb_line(&b, "tap \"Seuraava\"");
    key_answer(&b, 6); /* FA */
    sb_line(&b, "tap \"Melko hyvä\""); /* SRH = 3 */
    sb_line(&b, "tap \"Seuraava\"");
    sb_line(&b, "tap \"En halua vastata\""); /* LS */
    sb_line(&b, "tap \"Seuraava\"");
    for (int i = 0; i < 31; i++) /* 31 statements list 4 first: value v is at place 5 - v */
        key_place(&b, 5 - i % 5);
    sb_line(&b, "expect \"Mitä haluaisit muuttaa?\"");
    sb_line(&b, "tap \"Työ\"");
    sb_line(&b, "tap \"Raha-asiat\"");
    sb_line(&b, "tap \"Valmis\"");
    /* the review of 36 answers scrolls, and "Lähetä" only once the end has been seen */
    sb_line(&b, "expect_not \"Lähetä vastaukset\"");
    /* back from the review: "En mitään" clears the choices, a choice clears it again */
    sb_line(&b, "seek \"Toiveet muutoksesta: Työ, Raha-asiat\"");
    sb_line(&b, "tap \"Toiveet muutoksesta: Työ, Raha-asiat\"");
    sb_line(&b, "tap \"En mitään\"");
    sb_line(&b, "tap \"Asuminen\"");
    sb_line(&b, "tap \"En mitään\"");
    sb_line(&b, "tap \"Valmis\"");
    sb_line(&b, "seek \"Toiveet muutoksesta: En mitään\"");
    send(&b);
    char q[1100];
    snprintf(q, sizeof q, "%s/questionnaires/oma-tilanne.json", src);
    json_t *res = run_and_load(name, "kiosk", &b, q);
    if (!res)
        return;
    expect_answers(res, "WA=10 FA=6 SRH=3 LS=r O1=0 O2=1 M8=2 K4=0");
    expect_answers(res, "CHANGE=na");
    check_scores_consistent(res, q);
    json_decref(res);
}

/* Language, text size, the hidden worker key, a failing expect, and no display. */
static void case_misc(void)
{
    script_buf b = {0};
    sb_line(&b, "tap \"Svenska\"");
    sb_line(&b, "expect \"Välkommen\"");
    sb_line(&b, "tap \"Större text\"");
    sb_line(&b, "expect \"Textstorleken är nu 125 %%.\"");
    sb_line(&b, "tap \"English\"");
    sb_line(&b, "expect \"The text size is now 125 %%.\"");
    sb_line(&b, "advance 121"); /* nobody there: Finnish and 100 % again for the next person */
    sb_line(&b, "expect \"Tervetuloa\"");
    sb_line(&b, "expect \"Tekstin koko on nyt 100 %%.\"");
    sb_line(&b, "expect_not \"Oletko vielä siellä?\"");
    sb_line(&b, "tap \"Aloita\"");
    sb_line(&b, "key ctrl+alt+w");
    sb_line(&b, "expect \"Työntekijän kirjautuminen\"");
    sb_line(&b, "tap \"Sulje\"");
    sb_line(&b, "expect \"Ennen kuin aloitat\"");
    sb_line(&b, "key Escape");
    sb_line(&b, "expect \"Tervetuloa\"");
    /* a touch screen: finger events */
    sb_line(&b, "touch \"Aloita\"");
    sb_line(&b, "expect \"Ennen kuin aloitat\"");
    sb_line(&b, "tap \"Lue ääneen\""); /* espeak-ng into the dummy sound device */
    sb_line(&b, "expect \"Ennen kuin aloitat\"");
    /* the hidden long press in the top-left corner: a short one does nothing */
    sb_line(&b, "press 10 10");
    sb_line(&b, "advance 1");
    sb_line(&b, "release 10 10");
    sb_line(&b, "expect_not \"Työntekijän kirjautuminen\"");
    sb_line(&b, "press 10 10");
    sb_line(&b, "advance 3");
    sb_line(&b, "release 10 10");
    sb_line(&b, "expect \"Työntekijän kirjautuminen\"");
    sb_line(&b, "touch \"Sulje\"");
    sb_line(&b, "expect \"Ennen kuin aloitat\"");
    work_init(work, "misc", false);
    CHECK_EQ_INT(run("misc", "kiosk", &b, q12).exit_code, 0);

    script_buf f = {0};
    sb_line(&f, "expect \"Tervetuloa\"");
    sb_line(&f, "expect \"Tätä ei ole\"");
    work_init(work, "fail", false);
    const char *extra[] = {"--questionnaire", q12, NULL};
    run_result r = kiosk_run_script(bin, work, "fail", "kiosk", SIZE, &f, extra);
    CHECK(r.exit_code != 0);
    CHECK(strstr(r.out, "fail.txt:2:") != NULL);

    const char *argv[] = {bin, "kiosk", "--demo", NULL};
    const char *env[] = {"DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", NULL};
    r = run_command(argv, env);
    CHECK_EQ_INT(r.exit_code, 1);
    CHECK(strstr(r.out, "no display found") && strstr(r.out, "xvfb-run"));
    CHECK(strchr(r.out, '\n') == r.out + strlen(r.out) - 1); /* one line */
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test_kiosk_flow ITSEARVIO SOURCE_DIR WORK_DIR [CASE]\n");
        return 2;
    }
    bin = argv[1];
    src = argv[2];
    work = argv[3];
    const char *only = argc > 4 ? argv[4] : NULL;
    mkdir(work, 0755);
    snprintf(q12, sizeof q12, "%s/questionnaires/whodas12-style.json", src);
    snprintf(q36, sizeof q36, "%s/questionnaires/whodas36-style.json", src);
    snprintf(mix, sizeof mix, "%s/tests/ui/fixtures/kiosk-mix.json", src);
    struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {
        {"w12_code", case_w12_code},         {"w12_nonworker", case_w12_nonworker},
        {"back_and_change", case_back_and_change}, {"gate_change", case_gate_change},
        {"idle_wipe", case_idle_wipe},       {"crash_resume", case_crash_resume},
        {"double_tap", case_double_tap},     {"mix", case_mix},
        {"misc", case_misc},                 {"oma_tilanne", case_oma_tilanne},
        {"shred", case_shred},               {"two_kiosks", case_two_kiosks},
        {"sigterm", case_sigterm},           {"read_all", case_read_all},
        {"w36_worker", case_w36_worker},
    };
    bool found = !only;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (!only || !strcmp(only, cases[i].name)) {
            cases[i].fn();
            found = true;
        }
    if (!found) {
        fprintf(stderr, "test_kiosk_flow: no scenario named %s\n", only);
        return 2;
    }
    return check_summary();
}
