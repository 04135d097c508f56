/* test_ui_fit.c — issue 17, point 1: every question of every shipped questionnaire, in Finnish,
 * Swedish and English, shows its whole answer scale on one screen together with (at least the
 * first line of) the question, with the real font (SDL_ttf, dummy video driver), at 100-200 %
 * text on 1280×800 and 800×1280. Also: no label splits a word, every button is at least
 * min_target, nothing overlaps and nothing is off the screen.
 *
 * The page is built as kiosk.c's build_question builds it (the question, its help, the answers,
 * "En halua vastata" / the na answer, the message place, Takaisin / Seuraava, Lue ääneen); keep
 * the two alike. It prints per size how many fit and how many needed the answers' labels a
 * step smaller (large text on a low screen, ui_widget.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "qn.h"
#include "kiosk_question.h"
#include "ui_app.h"
#include "ui_widget.h"

typedef struct size { int w, h, text; } size;

static const size sizes[] = {
    {1280, 800, 100}, {1280, 800, 125}, {1280, 800, 150}, {1280, 800, 175}, {1280, 800, 200},
    {800, 1280, 100}, {800, 1280, 125}, {800, 1280, 150}, {800, 1280, 175}, {800, 1280, 200},
};

/* The question page as the kiosk builds it (kiosk_question.h), with this answer and message. */
static ui_page question_page(ui_app *app, const qn *q, int item, int lang, const ui_metrics *m,
                             qn_answer answer, const char *message)
{
    ui_page p;
    memset(&p, 0, sizeof p);
    ui_app_keep_reset(app);
    p.more_label = ui_tr(&app->loc, "scroll_down"); /* as kiosk.c's layout() */
    p.less_label = ui_tr(&app->loc, "scroll_up");
    kiosk_question in = {app, &app->loc, q, lang, item, item + 1, q->n_items,
                         answer, -1, message, true, *m};
    kiosk_question_build(&in, &p);
    p.corner = (ui_item){ui_tr(&app->loc, "read_aloud"), UI_SPEAKER, 1, 0}; /* as layout() */
    return p;
}

/* Does a line of a widget end inside a word (a word split over two lines)? */
static bool splits_word(const ui_widget *w)
{
    for (int i = 0; i + 1 < w->n_lines; i++) {
        size_t end = w->lines[i].start + w->lines[i].len;
        char c = w->text[end], before = end ? w->text[end - 1] : ' ';
        if (c != ' ' && c != '\n' && c != '\0' && before != ' ' && before != '-')
            return true;
    }
    return false;
}

static bool on_screen(SDL_Rect r, const ui_metrics *m)
{
    return r.x >= 0 && r.y >= 0 && r.x + r.w <= m->w && r.y + r.h <= m->h;
}

typedef struct verdict { bool fits, smaller; int min_px; } verdict;

/* Lays the page out and checks it; prints what is wrong when ITS_FIT_VERBOSE is set. */
static verdict check_page(ui_list *l, const ui_page *p, const ui_metrics *m, const char *id)
{
    verdict v = {true, false, m->px};
    const char *why = NULL;
    int page = 0;
    ui_list_clear(l);
    ui_page_layout(l, p, m, &page);
    for (int k = 0; k < p->n_choices && !why; k++) {
        int i = ui_list_find(l, p->choices[k].text);
        if (i < 0)
            why = "an answer is not on screen";
        else if (l->w[i].px < m->px) {
            v.smaller = true;
            v.min_px = l->w[i].px < v.min_px ? l->w[i].px : v.min_px;
        }
    }
    bool question = false;
    for (int i = 0; i < l->n; i++) {
        const ui_widget *w = &l->w[i];
        if (w->kind == UI_TEXT && p->n_texts && !strcmp(w->text, p->texts[0].text) &&
            w->n_lines > 0 && w->lines[0].start == 0)
            question = true;
        if (!why && splits_word(w)) {
            why = "a word is split";
            if (getenv("ITS_FIT_VERBOSE"))
                fprintf(stderr, "    split: \"%s\" width %d\n", w->text, w->r.w);
        }
        if (!why && w->kind == UI_BUTTON && (w->r.w < m->min_target || w->r.h < m->min_target))
            why = "a button is smaller than min_target";
        if (!why && !on_screen(w->r, m))
            why = "a widget is off the screen";
        for (int k = i + 1; k < l->n && !why; k++)
            if (SDL_HasIntersection(&w->r, &l->w[k].r)) {
                why = "two widgets overlap";
                if (getenv("ITS_FIT_VERBOSE"))
                    fprintf(stderr, "    overlap: \"%s\" %d+%d and \"%s\" %d+%d\n", w->text,
                            w->r.y, w->r.h, l->w[k].text, l->w[k].r.y, l->w[k].r.h);
            }
    }
    if (!why && !question)
        why = "the question's first line is not on screen";
    if (why) {
        v.fits = false;
        if (getenv("ITS_FIT_VERBOSE"))
            fprintf(stderr, "  %dx%d %d px: %s: %s\n", m->w, m->h, m->px, id, why);
    }
    return v;
}

/* Every button of `a` is in `b` (found by label and action) at the same place. */
static bool buttons_stay(const ui_list *a, const ui_list *b, const char *id, const char *when)
{
    for (int i = 0; i < a->n; i++) {
        const ui_widget *w = &a->w[i];
        if (w->kind != UI_BUTTON)
            continue;
        int k = ui_list_find(b, w->text);
        if (k < 0 || !SDL_RectEquals(&w->r, &b->w[k].r)) {
            if (getenv("ITS_FIT_VERBOSE"))
                fprintf(stderr, "  %s: \"%s\" moved or gone when %s\n", id, w->text, when);
            return false;
        }
    }
    return true;
}

/* Point 2, nothing moves under the finger: an answer chosen with its message ("Valitsit: 7")
 * or an error in the message place, and scrolling the question, keep every button where it
 * was. */
static bool places_kept(ui_app *app, const qn *q, int item, int lang, const ui_metrics *m,
                        const char *id)
{
    const qn_scale *sc = &q->scales[q->items[item].scale];
    int value = sc->kind == QN_SCALE_SINGLE ? sc->options[sc->n_options - 1].value : 1;
    ui_list a, b;
    ui_list_init(&a, ui_draw_measure(app->draw));
    ui_list_init(&b, ui_draw_measure(app->draw));
    int page = 0;
    ui_page p = question_page(app, q, item, lang, m, (qn_answer){QN_ANS_NONE, 0}, NULL);
    ui_page_layout(&a, &p, m, &page);
    p = question_page(app, q, item, lang, m, (qn_answer){QN_ANS_VALUE, value}, NULL);
    ui_page_layout(&b, &p, m, &page);
    bool ok = buttons_stay(&a, &b, id, "an answer is chosen");
    ui_list_clear(&b);
    p = question_page(app, q, item, lang, m, (qn_answer){QN_ANS_NONE, 0},
                      ui_tr(&app->loc, "choose_answer"));
    ui_page_layout(&b, &p, m, &page);
    ok = ok && buttons_stay(&a, &b, id, "a message is shown");
    for (int i = 0; i < a.n && ok; i++)
        if (a.w[i].action == UI_ACT_MORE) { /* the question scrolls in its band */
            page = a.w[i].arg;
            p = question_page(app, q, item, lang, m, (qn_answer){QN_ANS_NONE, 0}, NULL);
            ui_list_clear(&b);
            ui_page_layout(&b, &p, m, &page);
            ok = buttons_stay(&a, &b, id, "scrolled");
        }
    ui_list_free(&a);
    ui_list_free(&b);
    return ok;
}

/* The start screen's page (kiosk.c build_start: its words, its choices, its bottom row). */
static ui_page start_page(ui_app *app)
{
    const ui_locale *loc = &app->loc;
    ui_page p;
    memset(&p, 0, sizeof p);
    p.heading = ui_tr(loc, "start_heading");
    p.heading_flags = UI_BOLD | UI_LARGE;
    ui_page_add_text(&p, ui_tr(loc, "start_text"), 0);
    ui_page_add_text(&p, ui_tr(loc, "text_size"), 0);
    ui_page_add_text(&p, ui_tr(loc, "theme_text"), 0);
    static const char *const langs[] = {"Suomi", "Svenska", "English"};
    for (int i = 0; i < 3; i++)
        ui_page_add_choice(&p, langs[i], UI_CHOICE | (i ? 0 : UI_SELECTED), 1, i);
    ui_page_add_choice(&p, ui_tr(loc, "read_all"), UI_CHOICE, 2, 0);
    ui_page_add_choice(&p, ui_tr(loc, "theme_change"), 0, 3, 0);
    ui_page_add_nav(&p, ui_tr(loc, "text_smaller"), 0, 4);
    ui_page_add_nav(&p, ui_tr(loc, "text_bigger"), 0, 5);
    ui_page_add_nav(&p, ui_tr(loc, "start_button"), UI_PRIMARY, 6);
    p.corner = (ui_item){ui_tr(loc, "read_aloud"), UI_SPEAKER, 7, 0};
    p.more_label = ui_tr(loc, "scroll_down");
    p.less_label = ui_tr(loc, "scroll_up");
    return p;
}

/* "Isompi teksti" stays under the finger: after each size step the point where it was tapped
 * is still on it (it grows, it does not move away). */
static void check_bigger_stays(ui_app *app, int w, int h)
{
    ui_page p = start_page(app);
    const char *bigger = ui_tr(&app->loc, "text_bigger");
    for (int t = 100; t < 200; t += 25) {
        ui_list a, b;
        ui_list_init(&a, ui_draw_measure(app->draw));
        ui_list_init(&b, ui_draw_measure(app->draw));
        ui_metrics ma = ui_metrics_for(w, h, t), mb = ui_metrics_for(w, h, t + 25);
        int page = 0;
        ui_page_layout(&a, &p, &ma, &page);
        page = 0;
        ui_page_layout(&b, &p, &mb, &page);
        int i = ui_list_find(&a, bigger), k = ui_list_find(&b, bigger);
        if (CHECK(i >= 0 && k >= 0)) {
            SDL_Point c = {a.w[i].r.x + a.w[i].r.w / 2, a.w[i].r.y + a.w[i].r.h / 2};
            if (!CHECK(SDL_PointInRect(&c, &b.w[k].r)))
                fprintf(stderr, "%dx%d: \"%s\" moved away at %d -> %d %%\n", w, h, bigger, t,
                        t + 25);
        }
        ui_list_free(&a);
        ui_list_free(&b);
    }
}

typedef struct tally { int fit, smaller, total, moved, min_px; } tally;

/* Checks every question of the questionnaire in `path` in every language it and the kiosk
 * have. */
static void check_file(ui_app *app, const char *path, const size *s, tally *t)
{
    qn_report rep;
    qn *q = qn_load(path, &rep);
    if (!CHECK(q != NULL))
        return;
    ui_list l;
    ui_list_init(&l, ui_draw_measure(app->draw));
    ui_metrics m = ui_metrics_for(s->w, s->h, s->text);
    static const char *const langs[] = {"fi", "sv", "en"};
    for (size_t g = 0; g < sizeof langs / sizeof langs[0]; g++) {
        int lang = qn_lang_index(q, langs[g]);
        if (lang < 0)
            continue;
        ui_locale_set(&app->loc, langs[g]);
        for (int i = 0; i < q->n_items; i++) {
            char id[128];
            ui_page p = question_page(app, q, i, lang, &m, (qn_answer){QN_ANS_NONE, 0}, NULL);
            snprintf(id, sizeof id, "%s %s %s", q->id, langs[g], q->items[i].id);
            verdict v = check_page(&l, &p, &m, id);
            t->moved += !places_kept(app, q, i, lang, &m, id);
            t->fit += v.fits;
            t->smaller += v.fits && v.smaller;
            t->min_px = v.min_px < t->min_px ? v.min_px : t->min_px;
            t->total++;
        }
    }
    ui_locale_set(&app->loc, "fi");
    ui_list_free(&l);
    qn_free(q);
}

int main(void)
{
    const char *src = getenv("ITS_SOURCE_DIR");
    if (!src)
        src = ".";
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    ui_app app;
    its_err err;
    ui_draw_opts d = {1280, 800, false, false, NULL, "test_ui_fit"};
    if (!CHECK(ui_app_open(&app, src, "fi", NULL, d, &err) == 0)) {
        fprintf(stderr, "%s\n", err.msg);
        return check_summary();
    }
    static const char *const files[] = {"whodas12-style.json", "whodas36-style.json",
                                        "oma-tilanne.json"};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        tally t = {0, 0, 0, 0, 1 << 20};
        ui_metrics m = ui_metrics_for(sizes[k].w, sizes[k].h, sizes[k].text);
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/questionnaires/%s", src, files[f]);
            check_file(&app, path, &sizes[k], &t);
        }
        printf("fit %dx%d %d %%: %d of %d question pages show every answer with the question "
               "(%d with the answers smaller, the smallest at %d %%)\n",
               sizes[k].w, sizes[k].h, sizes[k].text, t.fit, t.total, t.smaller,
               t.min_px * sizes[k].text / m.px);
        CHECK_EQ_INT(t.fit, t.total);
        if (t.moved)
            printf("  and on %d a button moved (an answer, a message or scrolling)\n", t.moved);
        CHECK_EQ_INT(t.moved, 0);
    }
    check_bigger_stays(&app, 1280, 800);
    check_bigger_stays(&app, 800, 1280);
    ui_app_close(&app);
    return check_summary();
}
