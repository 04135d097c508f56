/* Client codes catch every single-character typo and every swap of neighbours; henkilötunnus
 * checks follow the published rules (synthetic examples only). */
#include "check.h"
#include "clientcode.h"

static void test_every_typo_caught(void)
{
    const char *alpha = CLIENTCODE_ALPHABET;
    int undetected = 0;
    for (uint32_t seed = 1; seed < 4000; seed += 37) {
        char code[8], typo[8], norm[8];
        clientcode_make(seed * 2654435761u, code);
        if (!clientcode_valid(code, norm))
            undetected += 1000;
        for (int pos = 0; pos < 7; pos++)
            for (const char *c = alpha; *c; c++) {
                if (*c == code[pos])
                    continue;
                memcpy(typo, code, 8);
                typo[pos] = *c;
                undetected += clientcode_valid(typo, norm);
            }
        for (int pos = 0; pos < 6; pos++) {
            if (code[pos] == code[pos + 1])
                continue;
            memcpy(typo, code, 8);
            typo[pos] = code[pos + 1];
            typo[pos + 1] = code[pos];
            undetected += clientcode_valid(typo, norm);
        }
    }
    CHECK_EQ_INT(undetected, 0);
}

static void test_normalising(void)
{
    char code[8], norm[8], typed[16];
    clientcode_make(12345, code);
    snprintf(typed, sizeof typed, "%c%c%c-%c%c%c %c", code[0] | 0x20, code[1], code[2], code[3],
             code[4], code[5], code[6]);
    /* lower-casing a digit is harmless; letters must come back upper case */
    CHECK(clientcode_valid(typed, norm));
    CHECK_EQ_STR(norm, code);
    CHECK(!clientcode_valid("", norm));
    CHECK(!clientcode_valid("ABCDEFGH", norm));
    CHECK(!clientcode_valid("0000000", norm)); /* 0 is not in the alphabet */
}

static void test_hetu(void)
{
    CHECK(hetu_valid("131052-308T"));   /* the public example */
    CHECK(!hetu_valid("131052-308U"));  /* wrong check character */
    CHECK(!hetu_valid("310252-308T"));  /* 31 February */
    CHECK(!hetu_valid("131052Q308T"));  /* unknown century sign */
    CHECK(!hetu_valid("131052-308"));   /* too short */
    CHECK(hetu_valid("290200A901C"));   /* 29.2.2000 is a leap day */
    CHECK(!hetu_valid("290201A901C"));  /* 29.2.2001 is not */
}

int main(void)
{
    test_every_typo_caught();
    test_normalising();
    test_hetu();
    return check_summary();
}
