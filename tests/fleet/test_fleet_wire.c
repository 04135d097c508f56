/* The fleet wire format: batches, answers, bundles, tokens and pull requests round-trip, and
 * every malformed or forged input is refused with a sentence. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fleet.h"

static const char ID1[] = "0b5e6a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b";
static const char ID2[] = "1b5e6a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b";

static int parse_text(const char *text, fleet_batch *b, its_err *err)
{
    return fleet_batch_parse(text, strlen(text), b, err);
}

static void test_batch_roundtrip(void)
{
    unsigned char pk[32], sk[64], env1[700], env2[3];
    crypto_sign_keypair(pk, sk);
    randombytes_buf(env1, sizeof env1);
    memcpy(env2, "abc", 3);
    fleet_record recs[2] = {{"", env1, sizeof env1}, {"", env2, 3}};
    memcpy(recs[0].id, ID1, 37);
    memcpy(recs[1].id, ID2, 37);
    fleet_batch b = {.device = "kiosk-1", .n = 2, .records = recs};
    b.head.seq = 41;
    memset(b.head.hash, 7, sizeof b.head.hash);
    fleet_audit_head_sign(b.device, &b.head, sk);
    char *text = fleet_batch_encode(&b);
    CHECK(text != NULL);
    fleet_batch got;
    its_err err;
    CHECK_EQ_INT(parse_text(text, &got, &err), 0);
    CHECK_EQ_STR(got.device, "kiosk-1");
    CHECK_EQ_INT(got.n, 2);
    CHECK(got.records[0].len == sizeof env1 && !memcmp(got.records[0].env, env1, sizeof env1));
    CHECK_EQ_STR(got.records[1].id, ID2);
    CHECK(got.head.present && got.head.seq == 41);
    CHECK(fleet_audit_head_verify("kiosk-1", &got.head, pk));
    CHECK(!fleet_audit_head_verify("kiosk-2", &got.head, pk));
    got.head.seq = 40;
    CHECK(!fleet_audit_head_verify("kiosk-1", &got.head, pk));
    fleet_batch_free(&got);
    free(text);
}

static void test_batch_refused(void)
{
    static const char *const bad[] = {
        "",
        "[]",
        "{",
        "{\"device\": \"k\", \"records\": []}",
        "{\"device\": \"bad name\", \"records\": [{\"id\": "
        "\"0b5e6a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b\", "
        "\"envelope\": \"YWJj\"}]}",
        "{\"device\": \"k\", \"records\": [{\"id\": \"not-a-uuid\", \"envelope\": \"YWJj\"}]}",
        "{\"device\": \"k\", \"records\": [{\"id\": \"0b5e6a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b\", "
        "\"envelope\": \"***\"}]}",
        "{\"device\": \"k\", \"records\": [{\"id\": \"0b5e6a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b\", "
        "\"envelope\": \"YWJj\"}, {\"id\": \"0b5e6a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b\", "
        "\"envelope\": \"YWJj\"}]}",
        "{\"device\": \"k\", \"records\": [{\"id\": \"0b5e6a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b\", "
        "\"envelope\": \"YWJj\"}], \"audit_head\": {\"seq\": 1}}",
        "{\"device\": \"k\", \"device\": \"l\", \"records\": []}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fleet_batch b;
        its_err err = {0};
        CHECK_EQ_INT(parse_text(bad[i], &b, &err), -1);
        CHECK(err.msg[0] != '\0' && b.records == NULL);
    }
    /* 201 records: over the limit */
    char *big = malloc(201 * 80 + 64);
    big[0] = '\0';
    its_appendf(big, 201 * 80 + 64, "{\"device\": \"k\", \"records\": [");
    for (int i = 0; i < 201; i++)
        its_appendf(big, 201 * 80 + 64,
                    "%s{\"id\": \"%08d-2d3e-4f50-8a9b-0c1d2e3f4a5b\", \"envelope\": \"YWJj\"}",
                    i ? "," : "", i);
    its_appendf(big, 201 * 80 + 64, "]}");
    fleet_batch b;
    its_err err;
    CHECK_EQ_INT(parse_text(big, &b, &err), -1);
    CHECK(strstr(err.msg, "1 to 200") != NULL);
    free(big);
}

static void test_answer(void)
{
    fleet_result r[2] = {{"", FLEET_STORED, ""},
                         {"", FLEET_REFUSED, "Its signature does not match."}};
    memcpy(r[0].id, ID1, 37);
    memcpy(r[1].id, ID2, 37);
    fleet_answer a = {2, r, "ok"};
    char *text = fleet_answer_encode(&a);
    fleet_answer got;
    its_err err;
    CHECK_EQ_INT(fleet_answer_parse(text, strlen(text), &got, &err), 0);
    CHECK_EQ_INT(got.n, 2);
    CHECK(got.results[0].status == FLEET_STORED && got.results[1].status == FLEET_REFUSED);
    CHECK_EQ_STR(got.results[1].message, "Its signature does not match.");
    CHECK_EQ_STR(got.audit, "ok");
    fleet_answer_free(&got);
    free(text);
    char *e = fleet_error_encode("This device has been revoked.");
    char msg[100];
    CHECK(fleet_error_parse(e, strlen(e), msg, sizeof msg));
    CHECK_EQ_STR(msg, "This device has been revoked.");
    free(e);
}

static void test_bundle_and_token(void)
{
    unsigned char box_pk[32], box_sk[32], spk[32], ssk[64];
    crypto_box_keypair(box_pk, box_sk);
    crypto_sign_keypair(spk, ssk);
    fleet_bundle b = {.epoch = 1};
    memcpy(b.worker_pk, box_pk, 32);
    memset(b.recovery_pk, 3, 32);
    fleet_bundle_sign(&b, ssk);
    CHECK(!memcmp(b.signer_pk, spk, 32));
    json_t *j = fleet_bundle_to_json(&b);
    fleet_bundle got;
    its_err err;
    CHECK_EQ_INT(fleet_bundle_from_json(j, &got, &err), 0);
    /* the server sets the team: not covered by the signature */
    json_object_set_new(j, "team", json_string("team-a"));
    CHECK_EQ_INT(fleet_bundle_from_json(j, &got, &err), 0);
    CHECK_EQ_STR(got.team, "team-a");
    /* a swapped recovery key is a forgery */
    json_object_set_new(j, "recovery_public_key",
                        json_string("BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ="));
    CHECK_EQ_INT(fleet_bundle_from_json(j, &got, &err), -1);
    CHECK(strstr(err.msg, "signature") != NULL);
    json_decref(j);

    char token[FLEET_TOKEN_LEN + 1], pin[FLEET_PIN_LEN + 1], pin2[FLEET_PIN_LEN + 1];
    unsigned char secret[16], secret2[16];
    fleet_token_make(spk, token, secret);
    CHECK_EQ_INT((int)strlen(token), FLEET_TOKEN_LEN);
    CHECK_EQ_INT(fleet_token_split(token, secret2, pin, &err), 0);
    CHECK(!memcmp(secret, secret2, 16));
    fleet_signer_pin(spk, pin2);
    CHECK_EQ_STR(pin, pin2);
    token[30] = 'x';
    CHECK_EQ_INT(fleet_token_split(token, secret2, pin, &err), -1);
    CHECK_EQ_INT(fleet_token_split("short", secret2, pin, &err), -1);
}

static void test_pull(void)
{
    unsigned char pk[32], sk[64];
    crypto_sign_keypair(pk, sk);
    fleet_pull_req r = {.team = "team-a", .after = 12, .limit = 500, .time = 1700000000};
    fleet_pull_sign(&r, sk);
    char *text = fleet_pull_encode(&r);
    fleet_pull_req got;
    its_err err;
    CHECK_EQ_INT(fleet_pull_parse(text, strlen(text), &got, &err), 0);
    CHECK(fleet_pull_verify(&got));
    got.after = 0;
    CHECK(!fleet_pull_verify(&got));
    free(text);
    CHECK_EQ_INT(fleet_pull_parse("{\"team\": \"t\"}", 13, &got, &err), -1);

    unsigned char e[5] = "hello";
    fleet_pulled rec = {7, "kiosk-1", e, 5};
    fleet_pull_page p = {1, &rec, 7, true}, gp;
    text = fleet_page_encode(&p);
    CHECK_EQ_INT(fleet_page_parse(text, strlen(text), &gp, &err), 0);
    CHECK(gp.n == 1 && gp.records[0].cursor == 7 && gp.records[0].len == 5 && gp.more &&
          gp.next == 7);
    fleet_page_free(&gp);
    free(text);
}

/* Team requests (protocol 9): the payload's exact bytes are signed; any change is caught. */
static void test_team(void)
{
    unsigned char pk[32], sk[64], box[32];
    crypto_sign_keypair(pk, sk);
    randombytes_buf(box, sizeof box);
    fleet_team_req r = {.team = "north", .action = "add-member", .time = 1700000000,
                        .payload = its_strdup("{\"wraps\": []}")};
    fleet_team_sign(&r, sk);
    CHECK(!memcmp(r.by_pk, pk, 32));
    char *text = fleet_team_encode(&r);
    fleet_team_req got;
    its_err err;
    CHECK_EQ_INT(fleet_team_parse(text, strlen(text), &got, &err), 0);
    CHECK(fleet_team_verify(&got));
    CHECK_EQ_STR(got.payload, "{\"wraps\": []}");
    got.payload[2] = 'W';
    CHECK(!fleet_team_verify(&got));
    fleet_team_free(&got);
    CHECK_EQ_INT(fleet_team_parse(text, strlen(text), &got, &err), 0);
    its_strlcpy(got.action, "remove-member", sizeof got.action);
    CHECK(!fleet_team_verify(&got));
    fleet_team_free(&got);
    free(text);
    fleet_team_free(&r);
    CHECK_EQ_INT(fleet_team_parse("{\"team\": \"north\"}", 17, &got, &err), -1);
    fleet_team_free(&got);

    char a[FLEET_FINGERPRINT_LEN + 1], b[FLEET_FINGERPRINT_LEN + 1];
    fleet_member_fingerprint(pk, box, a);
    CHECK_EQ_INT(strlen(a), FLEET_FINGERPRINT_LEN);
    CHECK(a[4] == '-' && a[9] == '-' && a[14] == '-');
    box[31] ^= 1; /* the worker key is covered too */
    fleet_member_fingerprint(pk, box, b);
    CHECK(strcmp(a, b) != 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_batch_roundtrip();
    test_batch_refused();
    test_answer();
    test_bundle_and_token();
    test_pull();
    test_team();
    return check_summary();
}
