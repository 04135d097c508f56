/* test_ui_text.c — line breaking by measured width (ui_text_wrap), with a fake font in which
 * every character is 10 px wide, so expected breaks can be worked out by hand. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ui_text.h"
#include "util.h"

static int fixed10(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    return 10 * (int)ui_text_chars(s, len);
}

/* Wraps and joins the lines with '|' for easy comparison. */
static const char *wrapped(const char *text, int max_w, int max_chars)
{
    static char out[1024];
    ui_line lines[32];
    int n = ui_text_wrap(text, max_w, max_chars, fixed10, NULL, lines, 32);
    out[0] = '\0';
    for (int i = 0; i < n && i < 32; i++) {
        its_appendf(out, sizeof out, "%s%.*s", i ? "|" : "", (int)lines[i].len,
                    text + lines[i].start);
    }
    return out;
}

int main(void)
{
    /* text, width in px, character limit (0 none), the lines joined with '|' */
    static const struct {
        const char *text;
        int w, chars;
        const char *want;
    } cases[] = {
        /* fits on one line */
        {"Ajattele viimeistä 30 päivää.", 1000, 0, "Ajattele viimeistä 30 päivää."},
        /* breaks at spaces, never inside a word that fits */
        {"Kuinka vaikeaa sinun on ollut", 140, 0, "Kuinka vaikeaa|sinun on ollut"},
        /* exact fit: 14 characters = 140 px */
        {"abcdefghij abc", 140, 0, "abcdefghij abc"},
        {"abcdefghij abcd", 140, 0, "abcdefghij|abcd"},
        /* the character limit (selkokieli: <= 60) applies even when pixels allow more */
        {"aaa bbb ccc ddd", 10000, 7, "aaa bbb|ccc ddd"},
        /* UTF-8 counts characters, not bytes: "äää ööö" is 7 characters */
        {"äää ööö", 70, 7, "äää ööö"},
        {"äää ööö", 60, 0, "äää|ööö"},
        /* a word longer than the line is split by characters, never lost */
        {"työkykyarviointi", 50, 0, "työky|kyarv|ioint|i"},
        /* hard line breaks are kept, an empty line stays a line */
        {"yksi\n\nkaksi", 1000, 0, "yksi||kaksi"},
        /* runs of spaces make no empty lines or leading spaces */
        {"a    b", 30, 0, "a|b"},
        {"   ", 100, 0, ""},
        /* a width too small for any character still advances one character a line */
        {"abc", 1, 0, "a|b|c"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_EQ_STR(wrapped(cases[i].text, cases[i].w, cases[i].chars), cases[i].want);
    /* empty text: no lines */
    ui_line l[2];
    CHECK_EQ_INT(ui_text_wrap("", 100, 0, fixed10, NULL, l, 2), 0);
    /* the count is the true count even when fewer lines are stored */
    CHECK_EQ_INT(ui_text_wrap("a b c d e", 10, 0, fixed10, NULL, l, 2), 5);
    CHECK_EQ_INT(ui_text_wrap("a b c d e", 10, 0, fixed10, NULL, NULL, 0), 5);
    /* every line of a long text respects both limits, and no character is lost */
    const char *long_text = "Jos et koske näyttöön 2 minuuttiin, kysely alkaa alusta ja vastauksesi "
                            "poistetaan. Voit aina kysyä apua työntekijältä.";
    ui_line ls[32];
    int n = ui_text_wrap(long_text, 300, 25, fixed10, NULL, ls, 32);
    size_t kept = 0;
    for (int i = 0; i < n; i++) {
        CHECK(fixed10(NULL, long_text + ls[i].start, ls[i].len) <= 300);
        CHECK(ui_text_chars(long_text + ls[i].start, ls[i].len) <= 25);
        kept += ui_text_chars(long_text + ls[i].start, ls[i].len);
    }
    /* each break drops exactly the one space it replaced */
    CHECK_EQ_INT(kept + (size_t)(n - 1), ui_text_chars(long_text, strlen(long_text)));

    /* wrap_fit (the report's and the screens' cut): whole characters, "…" counted in the width */
    char cut[64];
    CHECK_EQ_INT(wrap_fit("Tämä mahtuu", 13, 110, fixed10, NULL, cut, sizeof cut), 13); /* 11 characters */
    CHECK_EQ_STR(cut, "Tämä mahtuu");
    wrap_fit("Ääneen luettava", strlen("Ääneen luettava"), 60, fixed10, NULL, cut, sizeof cut);
    CHECK_EQ_STR(cut, "Äänee\u2026"); /* 6 characters of 10 px in 60 px */
    wrap_fit("Ää", strlen("Ää"), 5, fixed10, NULL, cut, sizeof cut); /* nothing fits: "…" alone */
    CHECK_EQ_STR(cut, "\u2026");
    return check_summary();
}
