/* test_ui_layout.c — the widget layer's layout against a fake measurer: every character is half
 * the font size wide and a line is 5/4 of it tall, so rectangles can be worked out by hand and
 * checked without a window, a font or SDL_ttf (ui_text.h: ui_measure). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ui_text.h"
#include "ui_widget.h"
#include "fake_measure.h"

static const ui_measure fake = {NULL, fake_width, fake_height};

static bool inside(SDL_Rect r, int w, int h)
{
    return r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h;
}

/* Every widget on the screen, no two overlapping, every button a finger's size. */
static void check_sane(const ui_list *l, const ui_metrics *m)
{
    for (int i = 0; i < l->n; i++) {
        const ui_widget *a = &l->w[i];
        CHECK(inside(a->r, m->w, m->h));
        if (a->kind == UI_BUTTON)
            CHECK(a->r.h >= m->min_target && a->r.w >= m->min_target);
        for (int k = i + 1; k < l->n; k++)
            if (SDL_HasIntersection(&a->r, &l->w[k].r)) {
                fprintf(stderr, "overlap: \"%s\" and \"%s\"\n", a->text, l->w[k].text);
                CHECK(false);
            }
    }
}

static const ui_widget *find(const ui_list *l, const char *text)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->w[i].text, text))
            return &l->w[i];
    return NULL;
}

static ui_page question_page(void)
{
    ui_page p;
    memset(&p, 0, sizeof p);
    p.heading = "Kysymys 3 / 12";
    p.heading_flags = UI_BOLD | UI_LARGE;
    p.texts[p.n_texts++] = (ui_item){"Kuinka vaikeaa sinulle oli seisoa pitkään?", 0, 0, 0};
    static const char *const answers[] = {"Ei lainkaan", "Vähän", "Kohtalaisesti", "Paljon",
                                          "Äärimmäisen paljon"};
    for (int i = 0; i < 5; i++)
        p.choices[p.n_choices++] = (ui_item){answers[i], UI_CHOICE, 1, i};
    p.nav[p.n_nav++] = (ui_item){"Takaisin", 0, 2, 0};
    p.nav[p.n_nav++] = (ui_item){"Seuraava", UI_PRIMARY | UI_BOLD, 3, 0};
    return p;
}

/* Lays the page out on a fresh list (free it after) and checks what every layout must meet. */
static void layout(ui_list *l, const ui_page *p, const ui_metrics *m, int *page)
{
    ui_list_init(l, fake);
    ui_page_layout(l, p, m, page);
    check_sane(l, m);
}

/* A paragraph: wrapped by measured width, as tall as its lines. */
static void test_paragraph(void)
{
    ui_list l;
    ui_list_init(&l, fake);
    /* 20 px: 10 px a character; 95 px holds "aaaa bbbb" (9) but not "aaaa bbbb cccc" (14) */
    int h = ui_list_text(&l, 5, 7, 95, "aaaa bbbb cccc", 20, 0);
    CHECK_EQ_INT(l.n, 1);
    CHECK_EQ_INT(l.w[0].n_lines, 2);
    CHECK_EQ_INT(h, 2 * 25);
    CHECK_EQ_INT(l.w[0].r.x, 5);
    CHECK_EQ_INT(l.w[0].r.y, 7);
    CHECK_EQ_INT(l.w[0].r.h, 50);
    CHECK_EQ_INT(ui_text_height(&l, "aaaa bbbb cccc", 200, 20, false), 25);
    ui_list_free(&l);
}

/* Landscape: the heading at the margins' corner, text left, answers right, the bottom row at the
 * bottom with the way forward at the right. */
static void test_landscape(void)
{
    ui_metrics m = ui_metrics_for(1280, 800, 100);
    CHECK_EQ_INT(m.px, 32);
    CHECK_EQ_INT(m.margin, 32);
    CHECK_EQ_INT(m.min_target, 64);
    ui_list l;
    ui_page p = question_page();
    int page = 0;
    layout(&l, &p, &m, &page);
    const ui_widget *head = find(&l, "Kysymys 3 / 12");
    const ui_widget *text = find(&l, p.texts[0].text);
    const ui_widget *first = find(&l, "Ei lainkaan"), *last = find(&l, "Äärimmäisen paljon");
    const ui_widget *back = find(&l, "Takaisin"), *next = find(&l, "Seuraava");
    if (CHECK(head && text && first && last && back && next)) {
        CHECK_EQ_INT(head->r.x, m.margin);
        CHECK_EQ_INT(head->r.y, m.margin);
        CHECK_EQ_INT(head->px, 40); /* a quarter bigger */
        CHECK(text->r.y > head->r.y);
        CHECK(first->r.x > text->r.x + text->r.w);   /* side by side */
        CHECK_EQ_INT(first->r.y, text->r.y);
        CHECK(last->r.y > first->r.y);               /* one column */
        CHECK_EQ_INT(last->r.x, first->r.x);
        CHECK_EQ_INT(next->r.x + next->r.w, m.w - m.margin);
        CHECK_EQ_INT(next->r.y + next->r.h, m.h - m.margin);
        CHECK_EQ_INT(back->r.x, m.margin);
        CHECK_EQ_INT(back->r.y, next->r.y);
    }
    CHECK_EQ_INT(page, 0);
    ui_list_free(&l);
}

/* Portrait: the same page stacked, answers under the text. */
static void test_portrait(void)
{
    ui_metrics m = ui_metrics_for(800, 1280, 100);
    ui_list l;
    ui_page p = question_page();
    int page = 0;
    layout(&l, &p, &m, &page);
    const ui_widget *text = find(&l, p.texts[0].text), *first = find(&l, "Ei lainkaan");
    if (CHECK(text && first)) {
        CHECK(first->r.y >= text->r.y + text->r.h);
        CHECK_EQ_INT(first->r.x, m.margin);
    }
    ui_list_free(&l);
}

/* 200 % text with many answers does not fit: one column in parts, "show more" in the bottom
 * row, and every part shows a different answer first. */
static void test_parts(void)
{
    ui_metrics m = ui_metrics_for(1280, 800, 200);
    ui_list l;
    ui_page p = question_page();
    for (int i = 0; i < 6; i++)
        p.choices[p.n_choices++] = (ui_item){"Vielä yksi vastausvaihtoehto", UI_CHOICE, 1, 5 + i};
    p.more_label = "Näytä lisää";
    p.less_label = "Näytä edellinen osa";
    int page = 0;
    layout(&l, &p, &m, &page);
    CHECK(find(&l, "Näytä lisää") != NULL);
    CHECK(find(&l, "Näytä edellinen osa") == NULL);
    CHECK(find(&l, "Äärimmäisen paljon") == NULL || find(&l, "Seuraava") == NULL);
    int parts = 1;
    while (find(&l, "Näytä lisää") && parts < 20) {
        page++;
        ui_list_free(&l);
        layout(&l, &p, &m, &page);
        CHECK(find(&l, "Näytä edellinen osa") != NULL);
        parts++;
    }
    CHECK(parts > 1 && parts < 20);
    CHECK(find(&l, "Seuraava") != NULL); /* the way on is on the last part */
    ui_list_free(&l);
}

/* Every button of `a` is at the same place in `b` (found by label). */
static void check_buttons_stay(const ui_list *a, const ui_list *b)
{
    for (int i = 0; i < a->n; i++) {
        if (a->w[i].kind != UI_BUTTON)
            continue;
        const ui_widget *w = find(b, a->w[i].text);
        if (!CHECK(w != NULL) || !CHECK(SDL_RectEquals(&a->w[i].r, &w->r)))
            fprintf(stderr, "moved or gone: \"%s\"\n", a->w[i].text);
    }
}

/* Answers fill the grid row by row (reading order), never column by column. */
static void test_reading_order(void)
{
    ui_metrics m = ui_metrics_for(800, 1280, 100);
    ui_page p = question_page();
    p.grid = false;
    ui_list l;
    int page = 0;
    for (int t = 100; t <= 200; t += 25) {
        m = ui_metrics_for(800, 1280, t);
        layout(&l, &p, &m, &page);
        for (int i = 1; i < p.n_choices; i++) {
            const ui_widget *a = find(&l, p.choices[i - 1].text), *b = find(&l, p.choices[i].text);
            if (a && b) /* the next one is to the right on the same row, or on a later row */
                CHECK((b->r.y == a->r.y && b->r.x > a->r.x) || b->r.y > a->r.y);
        }
        ui_list_free(&l);
    }
}

/* A message (an error, "Valitsit: 7") appears in its kept place: no button moves. */
static void test_message_keeps_places(void)
{
    for (int t = 100; t <= 200; t += 25)
        for (int portrait = 0; portrait < 2; portrait++) {
            ui_metrics m = ui_metrics_for(portrait ? 800 : 1280, portrait ? 1280 : 800, t);
            ui_page p = question_page();
            p.choices[p.n_choices++] = (ui_item){"En halua vastata", UI_CHOICE, 4, 0};
            p.more_label = "Näytä lisää";
            p.less_label = "Näytä edellinen osa";
            p.message = "";
            ui_list a, b;
            int page = 0;
            layout(&a, &p, &m, &page);
            p.message = "Valitse ensin vastaus.";
            p.choices[0].flags |= UI_SELECTED;
            layout(&b, &p, &m, &page);
            check_buttons_stay(&a, &b);
            CHECK(ui_list_shows(&b, "Valitse ensin vastaus."));
            ui_list_free(&a);
            ui_list_free(&b);
        }
}

/* Does b cover all of a (a button that grew upwards is still under the same finger)? */
static bool covers(SDL_Rect b, SDL_Rect a)
{
    SDL_Rect both;
    return SDL_IntersectRect(&a, &b, &both) && SDL_RectEquals(&both, &a);
}

/* A page in parts: "show more" stays where it was on the next part, and "show the previous
 * part" never takes its place (at 100 %: with large text the kept place can cost a row of its
 * own and is then left out, see flow_place). */
static void test_parts_keep_places(void)
{
    ui_metrics m = ui_metrics_for(1280, 800, 100);
    ui_page p = question_page();
    p.wide = true;
    for (int i = 0; i < 24; i++)
        p.choices[p.n_choices++] = (ui_item){"Vielä yksi rivi vastauksineen", 0, 1, 5 + i};
    p.more_label = "Näytä lisää";
    p.less_label = "Näytä edellinen osa";
    ui_list a, b;
    int page = 0;
    layout(&a, &p, &m, &page);
    page = 1;
    layout(&b, &p, &m, &page);
    const ui_widget *more = find(&a, "Näytä lisää"), *less = find(&b, "Näytä edellinen osa");
    if (CHECK(more && less)) {
        CHECK(!SDL_HasIntersection(&more->r, &less->r));
        const ui_widget *more2 = find(&b, "Näytä lisää");
        CHECK(more2 == NULL || covers(more2->r, more->r));
    }
    CHECK(covers(find(&b, "Takaisin")->r, find(&a, "Takaisin")->r));
    ui_list_free(&a);
    ui_list_free(&b);
}

int main(void)
{
    test_paragraph();
    test_landscape();
    test_portrait();
    test_parts();
    test_reading_order();
    test_message_keeps_places();
    test_parts_keep_places();
    return check_summary();
}
