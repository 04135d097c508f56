/* Sealed records: round trip with the worker and the recovery key, the device's own (draft) key
 * cannot open a record, and a flipped byte anywhere in an envelope is detected. */
#include "store_test.h"

static const char *region(size_t i, size_t dlen, size_t len)
{
    size_t h = 39 + dlen + 16;
    if (i < 4) return "magic";
    if (i < 5) return "version";
    if (i < 21) return "uuid";
    if (i < 29) return "created-at";
    if (i < 37) return "seq";
    if (i < 38 + dlen) return "device";
    if (i < h) return "recipients";
    if (i < h + 24) return "nonce";
    if (i < h + 24 + 80) return "sealed key 1";
    if (i < h + 24 + 160) return "sealed key 2";
    if (i < len - 64) return "ciphertext/tag";
    return "signature";
}

static void test_envelope(void)
{
    unsigned char wpk[32], wsk[32], rpk[32], rsk[32], dk[32], dpk[32];
    unsigned char spk[crypto_sign_PUBLICKEYBYTES], ssk[crypto_sign_SECRETKEYBYTES];
    unsigned char opk[crypto_sign_PUBLICKEYBYTES], osk[crypto_sign_SECRETKEYBYTES];
    crypto_box_keypair(wpk, wsk);
    crypto_box_keypair(rpk, rsk);
    crypto_sign_keypair(spk, ssk);
    crypto_sign_keypair(opk, osk); /* another device */
    crypto_secretbox_keygen(dk); /* a device draft key, tried as if it were a secret key */
    crypto_scalarmult_base(dpk, dk);
    const unsigned char *pks[2] = {wpk, rpk};
    store_env_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, STORE_ENV_MAGIC_RECORD, 4);
    randombytes_buf(h.uuid, 16);
    h.created_at = 1700000000;
    h.seq = 41;
    its_strlcpy(h.device, "kiosk-1", sizeof h.device);
    char payload[1024];
    size_t plen = test_payload(payload, sizeof payload, 7);
    unsigned char *env;
    size_t elen;
    its_err err = {0};
    CHECK(store_env_seal(&h, pks, 2, (unsigned char *)payload, plen, ssk, &env, &elen, &err) == 0);
    /* The padded ciphertext is whole 512-byte blocks: the length tells the payload within 512. */
    size_t fixed = 39 + strlen(h.device) + 16 + 24 + 160 + 16 + 64;
    CHECK(elen > fixed && (elen - fixed) % 512 == 0);
    store_env_header got;
    CHECK(store_env_verify(env, elen, spk, &got, &err) == 0);
    CHECK(got.version == 2 && got.seq == 41 && got.created_at == 1700000000);
    CHECK_EQ_STR(got.device, "kiosk-1");
    CHECK(store_env_verify(env, elen, opk, NULL, &err) == -1);
    CHECK_EQ_STR(err.msg, "its signature does not match the device's signing key: it was altered or forged");
    static const char junk[] = "not an envelope at all, not at all";
    CHECK(store_env_verify((const unsigned char *)junk, sizeof junk, spk, NULL, &err) == -1);
    CHECK_EQ_STR(err.msg, "it is not a sealed Itsearvio record");

    const unsigned char *sks[2] = {wsk, rsk};
    for (int k = 0; k < 2; k++) {
        unsigned char *out = NULL;
        size_t olen = 0;
        CHECK(store_env_open(env, elen, pks[k], sks[k], &out, &olen, &err) == 0);
        CHECK(olen == plen && out && memcmp(out, payload, plen) == 0);
        store_payload_free(out, olen);
    }
    unsigned char *out = NULL;
    size_t olen = 0;
    CHECK(store_env_open(env, elen, dpk, dk, &out, &olen, &err) == -1);
    CHECK(strstr(err.msg, "not sealed to this key") != NULL);
    CHECK(store_env_open(env, elen, wpk, dk, &out, &olen, &err) == -1);

    /* Every byte, two different flips: the signature check fails for every one, and no flip
     * outside the signature opens with either key. */
    int undetected = 0, unverified = 0, tried = 0;
    for (size_t i = 0; i < elen; i++)
        for (int f = 0; f < 2; f++) {
            env[i] ^= f ? 0x80 : 0x01;
            unverified += store_env_verify(env, elen, spk, NULL, &err) == -1;
            for (int k = 0; k < 2; k++) {
                tried++;
                if (i < elen - 64 && store_env_open(env, elen, pks[k], sks[k], &out, &olen, &err) == 0) {
                    undetected++;
                    fprintf(stderr, "flip at byte %zu (%s) not detected\n", i,
                            region(i, strlen(h.device), elen));
                    store_payload_free(out, olen);
                }
            }
            env[i] ^= f ? 0x80 : 0x01;
        }
    CHECK_EQ_INT(undetected, 0);
    CHECK_EQ_INT(unverified, (int)(2 * elen));
    printf("envelope of %zu bytes: %d flipped-byte opens tried, %d undetected; %d of %zu flips fail "
           "the signature check\n", elen, tried, undetected, unverified, 2 * elen);
    /* Truncation and extension are refused too. */
    CHECK(store_env_open(env, elen - 1, wpk, wsk, &out, &olen, &err) == -1);
    CHECK(store_env_verify(env, elen - 1, spk, NULL, &err) == -1);
    CHECK(store_env_open(env, 40, wpk, wsk, &out, &olen, &err) == -1);
    free(env);

    /* Format 1, written by hand as a forger with only the public keys would: it still parses and
     * opens, and the signature check names it unsigned. */
    h.seq = 0;
    size_t v1len;
    unsigned char *v1 = test_seal_v1(&h, pks, payload, plen, &v1len);
    CHECK(store_env_parse(v1, v1len, &got, &err) == 0 && got.version == 1);
    CHECK(store_env_open(v1, v1len, wpk, wsk, &out, &olen, &err) == 0);
    CHECK(olen == plen && out && memcmp(out, payload, plen) == 0);
    store_payload_free(out, olen);
    CHECK(store_env_verify(v1, v1len, spk, NULL, &err) == -1);
    CHECK_EQ_STR(err.msg, "it is unsigned (envelope format 1)");
    free(v1);
}

static void test_store_round_trip(const char *base)
{
    char wdir[600], kdir[600], rec[700];
    store *w = test_make_store(base, "worker", wdir);
    snprintf(rec, sizeof rec, "%s/worker-recovery.json", base);
    its_err err = {0};

    /* A kiosk made from the worker's public keys. */
    snprintf(kdir, sizeof kdir, "%s/kiosk", base);
    store_init_opts ko = {.mode = STORE_KIOSK, .device_id = "kiosk-7", .keys_from = wdir};
    CHECK(store_init(kdir, &ko, &err) == 0);
    store *k = NULL;
    CHECK(store_open(kdir, &k, &err) == 0);
    if (!k)
        return;
    CHECK_EQ_INT(store_get_mode(k), STORE_KIOSK);
    CHECK_EQ_STR(store_device_id(k), "kiosk-7");
    CHECK_EQ_INT(store_idle_seconds(k), 120);
    CHECK_EQ_INT(store_draft_expiry_seconds(k), 300);

    char payload[1024], id[37];
    size_t plen = test_payload(payload, sizeof payload, 1);
    CHECK(store_save_result(k, (unsigned char *)payload, plen, id, &err) == 0);
    CHECK(strlen(id) == 36);

    /* The kiosk holds no secret key. */
    store_key *none = NULL;
    CHECK(store_unlock(k, TEST_PASS, &none, &err) == -1);
    CHECK_EQ_STR(err.msg, "This kiosk holds only public keys: the worker key is not on this device.");
    CHECK(none == NULL);
    char wk[700];
    snprintf(wk, sizeof wk, "%s/worker.key", kdir);
    CHECK(test_file_has(wk, "x", 1) == -1);

    /* Worker key and recovery key each open it. */
    store_key *wkey = NULL, *rkey = NULL;
    CHECK(store_unlock(w, TEST_PASS, &wkey, &err) == 0);
    CHECK(store_unlock_recovery(w, rec, &rkey, &err) == 0);
    store_key *keys[2] = {wkey, rkey};
    for (int i = 0; i < 2; i++) {
        unsigned char *out = NULL;
        size_t olen = 0;
        CHECK(store_open_record(k, keys[i], id, &out, &olen, &err) == 0);
        CHECK(olen == plen && out && memcmp(out, payload, plen) == 0);
        store_payload_free(out, olen);
    }

    /* The kiosk's draft key, used as a secret key, cannot open it. */
    char dpath[700];
    snprintf(dpath, sizeof dpath, "%s/draft.key", kdir);
    CHECK(store_draft_save(k, (const unsigned char *)"{}", 2, &err) == 0);
    size_t dlen = 0;
    char *dk = its_read_file(dpath, &dlen, &err);
    CHECK(dk && dlen == 32);
    store_key *fake = sodium_malloc(sizeof *fake);
    memcpy(fake->sk, dk, 32);
    crypto_scalarmult_base(fake->pk, fake->sk);
    fake->kind = STORE_KEY_WORKER;
    unsigned char *out = NULL;
    size_t olen = 0;
    CHECK(store_open_record(k, fake, id, &out, &olen, &err) == -1);
    CHECK(strstr(err.msg, id) != NULL);
    store_lock(fake);
    free(dk);

    /* A record list shows only clear columns, newest first. */
    char id2[37];
    store_set_now(k, 2000000000);
    CHECK(store_save_result(k, (unsigned char *)payload, plen, id2, &err) == 0);
    store_record_info *list = NULL;
    int n = 0;
    CHECK(store_list(k, &list, &n, &err) == 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_STR(list[0].id, id2);
        CHECK_EQ_STR(list[1].id, id);
        CHECK_EQ_STR(list[0].device, "kiosk-7");
        CHECK(list[0].created_at == 2000000000);
    }
    free(list);
    CHECK(store_open_record(k, wkey, "00000000-0000-4000-8000-000000000000", &out, &olen, &err) == -1);
    CHECK_EQ_STR(err.msg, "There is no record with id 00000000-0000-4000-8000-000000000000.");
    CHECK(store_open_record(k, NULL, id, &out, &olen, &err) == -1);

    store_lock(wkey);
    store_lock(rkey);
    store_close(k);
    store_close(w);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    char base[512];
    test_tmpdir(base);
    test_envelope();
    test_store_round_trip(base);
    test_rm_rf(base);
    return check_summary();
}
