/* test_ui_bidi.c — right-to-left text: the bidi split into runs in visual order (ui_bidi, no
 * window), and the one shaping path of ui_draw on the repository's fonts (a hidden window on
 * SDL's dummy video driver): Arabic letters join, Latin is measured as before. */
#include <stdlib.h>
#include <string.h>
#include <SDL.h>

#include "check.h"
#include "fake_measure.h"
#include "ui_bidi.h"
#include "ui_draw.h"
#include "ui_widget.h"
#include "util.h"

/* The runs of a line in visual order as "text|text|...", each tagged a (Arabic face) or l. */
static const char *runs_of(const char *s, bool rtl)
{
    static char out[512];
    ui_bidi_run r[16];
    int n = ui_bidi_runs(s, strlen(s), rtl, r, 16);
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        its_appendf(out, sizeof out, "%s%c%d:%.*s", i ? "|" : "", r[i].arabic ? 'a' : 'l',
                    r[i].level, (int)r[i].len, s + r[i].start);
    return n < 0 ? "(none)" : out;
}

static void test_runs(void)
{
    /* Arabic paragraph: the Arabic word is rightmost; the number and the Latin word stay left
     * to right inside it, and come to its left in reading order reversed */
    CHECK_EQ_STR(runs_of("مرحبا 123 abc", true), "l2:abc|l1: |l2:123|a1:مرحبا ");
    /* Latin paragraph with an Arabic word and a number after it (the number follows the Arabic
     * word, so it is read as part of the right-to-left stretch) */
    CHECK_EQ_STR(runs_of("abc مرحبا 123", false), "l0:abc |l2:123|a1:مرحبا ");
    /* two Arabic words are one run with their space: shaped together */
    CHECK_EQ_STR(runs_of("سؤال واحد", true), "a1:سؤال واحد");
    /* a Latin line in a Latin paragraph needs no bidi at all; in an Arabic paragraph it is one
     * left-to-right run, and a sign at its end goes to the left (the Arabic reading order) */
    CHECK(!ui_bidi_needed("Miten arki sujuu? (1/12)", 25, false));
    CHECK(ui_bidi_needed("abc مرحبا", strlen("abc مرحبا"), false));
    CHECK_EQ_STR(runs_of("Itsearvio 2.0", true), "l2:Itsearvio 2.0");
    CHECK_EQ_STR(runs_of("abc!", true), "l1:!|l2:abc");
    /* a long line (past the stack buffer): one Arabic run all the same */
    char line[2048] = "";
    for (int i = 0; i < 150; i++)
        its_appendf(line, sizeof line, "%sسلام", i ? " " : "");
    ui_bidi_run all[4];
    CHECK_EQ_INT(ui_bidi_runs(line, strlen(line), true, all, 4), 1);
    CHECK(all[0].arabic && all[0].len == strlen(line));
    /* too many runs for the caller's array: -1, drawn as it is */
    ui_bidi_run one[1];
    CHECK_EQ_INT(ui_bidi_runs("abc مرحبا", strlen("abc مرحبا"), false, one, 1), -1);
}

static void test_reverse(void)
{
    char out[64];
    CHECK_EQ_INT(ui_bidi_reverse("(1/2):", 6, out, sizeof out), 6);
    CHECK_EQ_STR(out, ":(2/1)"); /* reversed, then each bracket mirrored */
    ui_bidi_reverse("a\xc3\xa4[", 4, out, sizeof out); /* "aä[" */
    CHECK_EQ_STR(out, "]\xc3\xa4" "a");
}

/* Width of each letter alone (its isolated form), summed. */
static int isolated_sum(ui_draw *d, const char *s, int px)
{
    int sum = 0;
    for (size_t i = 0, n = strlen(s); i < n;) {
        size_t k = 1;
        while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
            k++;
        sum += ui_draw_text_width(d, s + i, k, px, false);
        i += k;
    }
    return sum;
}

static void test_shaping(void)
{
    const char *src = getenv("ITS_SOURCE_DIR");
    char fonts[1024];
    its_err err = {0};
    CHECK(src && its_path(fonts, sizeof fonts, &err, "%s/assets/fonts", src) == 0);
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    ui_draw *d = NULL;
    ui_draw_opts o = {.w = 320, .h = 200, .font_dir = fonts, .title = "test_ui_bidi"};
    if (!CHECK(ui_draw_open(&d, &o, &err) == 0)) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    /* "Latin unchanged": the same width in both paragraph directions */
    const char *latin = "Miten arki sujuu?";
    int lw = ui_draw_text_width(d, latin, strlen(latin), 32, false);
    ui_draw_set_rtl(d, true);
    CHECK_EQ_INT(ui_draw_text_width(d, latin, strlen(latin), 32, false), lw);
    /* shaping happened: the joined word is narrower than its letters' isolated forms side by
     * side (seen at 32 px: about two thirds), and wider than nothing */
    const char *word = "مستشفى"; /* "hospital": six letters that join */
    int joined = ui_draw_text_width(d, word, strlen(word), 32, false);
    int isolated = isolated_sum(d, word, 32);
    printf("shaping: \"%s\" joined %d px, its letters isolated %d px (32 px text)\n", word, joined,
           isolated);
    CHECK(joined > 0);
    CHECK(joined * 10 < isolated * 9);
    /* the Arabic face is used: a Latin-only face would show six equal boxes */
    int box = ui_draw_text_width(d, "\xef\xbf\xbf", 3, 32, false);
    CHECK(joined != 6 * box);
    /* a mixed line measures as the sum of its runs */
    const char *mixed = "مستشفى 12";
    int mw = ui_draw_text_width(d, mixed, strlen(mixed), 32, false);
    CHECK(mw > joined && mw < joined + 4 * 32);
    ui_draw_close(d);
}

static int index_of(const ui_list *l, const char *text)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->w[i].text, text))
            return i;
    return -1;
}

/* The mirror step: every rectangle reflected, nothing leaves the screen, rows read from the
 * right (the first button of the bottom row is now rightmost), and clearing forgets it. */
static void test_mirror(void)
{
    static const int sizes[][2] = {{1280, 800}, {800, 1280}, {1920, 1080}};
    for (int k = 0; k < 3; k++) {
        ui_metrics m = ui_metrics_for(sizes[k][0], sizes[k][1], 100);
        ui_page p;
        memset(&p, 0, sizeof p);
        p.heading = "السؤال 1 / 3";
        p.texts[p.n_texts++] = (ui_item){"ما مدى صعوبة النوم عليك؟", UI_BOLD, 0, 0};
        static const char *const answers[] = {"لا صعوبة", "صعوبة قليلة",
                                              "صعوبة كبيرة"};
        for (int i = 0; i < 3; i++)
            p.choices[p.n_choices++] = (ui_item){answers[i], UI_CHOICE, 1, i};
        p.nav[p.n_nav++] = (ui_item){"رجوع", 0, 2, 0};
        p.nav[p.n_nav++] = (ui_item){"التالي", UI_PRIMARY, 3, 0};
        ui_list l;
        ui_list_init(&l, (ui_measure){NULL, fake_width, fake_height});
        int page = 0;
        ui_page_layout(&l, &p, &m, &page);
        SDL_Rect before[64];
        int n = l.n < 64 ? l.n : 64;
        for (int i = 0; i < n; i++)
            before[i] = l.w[i].r;
        CHECK(!l.rtl);
        ui_list_mirror(&l, m.w);
        CHECK(l.rtl);
        for (int i = 0; i < n; i++) {
            SDL_Rect a = before[i], b = l.w[i].r;
            CHECK(b.x == m.w - a.x - a.w && b.y == a.y && b.w == a.w && b.h == a.h);
            CHECK(b.x >= 0 && b.x + b.w <= m.w);
        }
        int back = index_of(&l, "رجوع"), next = index_of(&l, "التالي");
        int first = index_of(&l, "لا صعوبة");
        int text = index_of(&l, "ما مدى صعوبة النوم عليك؟");
        if (CHECK(back >= 0 && next >= 0 && first >= 0 && text >= 0)) {
            CHECK(l.w[back].r.x > l.w[next].r.x); /* "back" at the right, "next" at the left */
            CHECK(before[back].x < before[next].x);
            if (sizes[k][0] > sizes[k][1]) /* side by side: the question at the right */
                CHECK(l.w[text].r.x > l.w[first].r.x);
        }
        ui_list_clear(&l);
        CHECK(!l.rtl);
        ui_list_free(&l);
    }
}

int main(void)
{
    test_runs();
    test_reverse();
    test_mirror();
    test_shaping();
    return check_summary();
}
