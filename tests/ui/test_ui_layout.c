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
        if (!CHECK(inside(a->r, m->w, m->h)))
            fprintf(stderr, "off the screen: \"%s\" %d,%d %dx%d\n", a->text, a->r.x, a->r.y, a->r.w, a->r.h);
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

/* A long list at 200 % does not fit: it scrolls by whole rows with "up" and "down" in the
 * bottom row, in the same places on every step, the one at its end faint; the main button comes
 * (in its kept place) once the end has been shown, and stays when going back up. */
static void test_scroll(void)
{
    ui_metrics m = ui_metrics_for(1280, 800, 200);
    ui_page p = question_page();
    p.wide = true;
    p.main_on_last = true;
    for (int i = 0; i < 14; i++)
        p.choices[p.n_choices++] = (ui_item){"Vielä yksi rivi vastauksineen", 0, 1, 5 + i};
    p.more_label = "Alas";
    p.less_label = "Ylös";
    ui_list l;
    int page = 0, steps = 0;
    layout(&l, &p, &m, &page);
    const ui_widget *up0 = find(&l, "Ylös"), *down0 = find(&l, "Alas");
    if (!CHECK(up0 && down0)) {
        ui_list_free(&l);
        return;
    }
    SDL_Rect up_r = up0->r, down_r = down0->r;
    CHECK(up0->flags & UI_DISABLED);
    CHECK(!(down0->flags & UI_DISABLED) && down0->action == UI_ACT_MORE);
    CHECK(find(&l, "Seuraava") == NULL);
    CHECK(find(&l, "Takaisin") != NULL);
    CHECK(ui_list_pointer(&l, (ui_ptr){UI_PTR_DOWN, up_r.x + 5, up_r.y + 5}) < 0 &&
          ui_list_pointer(&l, (ui_ptr){UI_PTR_UP, up_r.x + 5, up_r.y + 5}) < 0); /* faint */
    SDL_Rect back = find(&l, "Takaisin")->r;
    const ui_widget *down = down0;
    while (down && !(down->flags & UI_DISABLED) && steps < 30) {
        int before = page;
        page = down->arg;
        CHECK((page & (UI_PAGE_SEEN - 1)) > (before & (UI_PAGE_SEEN - 1))); /* it moves on */
        ui_list_free(&l);
        layout(&l, &p, &m, &page);
        down = find(&l, "Alas");
        const ui_widget *up = find(&l, "Ylös");
        if (!CHECK(down && up))
            break;
        CHECK(SDL_RectEquals(&down->r, &down_r) && SDL_RectEquals(&up->r, &up_r));
        CHECK(!(up->flags & UI_DISABLED) && up->action == UI_ACT_LESS);
        CHECK(SDL_RectEquals(&find(&l, "Takaisin")->r, &back));
        steps++;
    }
    CHECK(steps > 1 && steps < 30);
    CHECK(find(&l, p.choices[p.n_choices - 1].text) != NULL); /* the end is shown */
    const ui_widget *next = find(&l, "Seuraava");
    CHECK(next != NULL && (page & UI_PAGE_SEEN));
    SDL_Rect next_r = next ? next->r : (SDL_Rect){0, 0, 0, 0};
    page = find(&l, "Ylös")->arg; /* back up: the main button stays, in its place */
    ui_list_free(&l);
    layout(&l, &p, &m, &page);
    next = find(&l, "Seuraava");
    CHECK(next != NULL && SDL_RectEquals(&next->r, &next_r));
    ui_list_free(&l);
}

/* 200 % text on a low screen with a long question: every answer is on screen with the
 * question's first line; the question scrolls in a band with its own arrows. */
static void test_band(void)
{
    ui_metrics m = ui_metrics_for(1280, 800, 200);
    ui_page p = question_page();
    p.texts[0].text = "Kuinka vaikeaa sinulle on ollut viimeisen kuukauden aikana seistä "
                      "paikallaan pitkään, esimerkiksi jonossa tai bussipysäkillä, kun et "
                      "voinut istua?";
    p.choices[p.n_choices++] = (ui_item){"En halua vastata", UI_CHOICE, 4, 0};
    p.more_label = "Alas";
    p.less_label = "Ylös";
    p.message = "";
    ui_list l;
    int page = 0;
    layout(&l, &p, &m, &page);
    for (int k = 0; k < p.n_choices; k++)
        CHECK(find(&l, p.choices[k].text) != NULL);
    const ui_widget *q = find(&l, p.texts[0].text), *down = find(&l, "Alas");
    if (CHECK(q && down)) {
        CHECK(q->lines[0].start == 0); /* from its first line */
        CHECK(down->r.w >= m.min_target && down->r.h >= m.min_target);
        page = down->arg;
        ui_list_free(&l);
        layout(&l, &p, &m, &page);
        q = find(&l, p.texts[0].text);
        CHECK(q && q->lines[0].start > 0); /* scrolled by whole lines */
        for (int k = 0; k < p.n_choices; k++)
            CHECK(find(&l, p.choices[k].text) != NULL);
    }
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
            p.more_label = "Alas";
            p.less_label = "Ylös";
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

int main(void)
{
    test_paragraph();
    test_landscape();
    test_portrait();
    test_scroll();
    test_band();
    test_reading_order();
    test_message_keeps_places();
    return check_summary();
}
