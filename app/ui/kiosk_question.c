/* kiosk_question.c — see kiosk_question.h. */
#include "kiosk_question.h"

#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "ui_draw.h"

bool kiosk_question_keys(const qn_scale *sc, int lang)
{
    if (sc->kind != QN_SCALE_SINGLE)
        return false;
    for (int j = 0; j < sc->n_options; j++)
        if (strlen(qn_text_get(&sc->options[j].label, lang)) > 3)
            return false;
    return true;
}

static const char *text(const kiosk_question *in, const qn_text *t)
{
    return qn_text_get(t, in->lang);
}

static const char *num(const kiosk_question *in, int v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", v);
    return ui_app_keep(in->ui, buf);
}

/* Does the progress line with the recall period ("Kysymys 3 / 12 · Ajattele viimeistä 30
 * päivää.") fit on one line beside "Lue ääneen"? At a large text size it would not, and a
 * two-line heading would take a line from the question. The corner's width is overestimated
 * (its padding and speaker as 3 text heights), never under. */
static bool band_fits(const kiosk_question *in, const char *band)
{
    const ui_metrics m = in->m;
    int room = m.w - 2 * m.margin;
    if (in->speak) {
        const char *corner = ui_tr(in->loc, "read_aloud");
        room -= ui_draw_text_width(in->ui->draw, corner, strlen(corner), m.px, false) + 3 * m.px +
                m.gap;
    }
    return ui_draw_text_width(in->ui->draw, band, strlen(band), m.px, false) <= room;
}

/* The progress, with the time frame beside it when it fits; false when the time frame must go
 * under the question instead. */
static bool add_progress(const kiosk_question *in, ui_page *p)
{
    const qn_item *it = &in->q->items[in->item];
    p->heading = ui_app_tr(in->ui, in->loc, "progress", num(in, in->number), num(in, in->total),
                           NULL);
    p->heading_flags = UI_MUTED;
    char band[256];
    snprintf(band, sizeof band, "%s \xC2\xB7 %s", p->heading, text(in, &in->q->recall));
    bool beside = !it->no_recall && band_fits(in, band);
    if (beside)
        p->heading = ui_app_keep(in->ui, band);
    return beside || it->no_recall;
}

/* A number: its hint, the number typed so far (framed: it stays in view with the keys), the
 * keys and "Pyyhi". */
static void add_number(const kiosk_question *in, const qn_scale *sc, ui_page *p)
{
    ui_page_add_text(p, ui_tr(in->loc, "number_hint"), 0);
    const char *shown = ui_tr(in->loc, "number_none");
    if (in->answer.state == QN_ANS_VALUE) {
        char buf[128];
        snprintf(buf, sizeof buf, "%d %s", in->answer.value, text(in, &sc->unit));
        shown = ui_app_keep(in->ui, buf);
    }
    ui_page_add_text(p, shown, UI_FRAME | UI_BOLD);
    /* en dash: Noto Sans has no U+2212 minus */
    ui_page_add_choice(p, "\xE2\x80\x93", UI_CENTER | UI_BOLD, FLOW_EV_MINUS, 0);
    ui_page_add_choice(p, "+", UI_CENTER | UI_BOLD, FLOW_EV_PLUS, 0);
    for (int d = 1; d <= 10; d++)
        ui_page_add_choice(p, num(in, d % 10), UI_CENTER | UI_BOLD, FLOW_EV_DIGIT, d % 10);
    ui_page_add_choice(p, ui_tr(in->loc, "number_erase"), UI_CENTER | UI_WIDE, FLOW_EV_ERASE, 0);
}

static void add_multi(const kiosk_question *in, const qn_scale *sc, ui_page *p)
{
    const char *many = ui_tr(in->loc, "multi_many");
    if (!strstr(text(in, &in->q->items[in->item].text), many)) /* unless the question says it */
        ui_page_add_text(p, many, 0);
    ui_page_add_text(p, ui_tr(in->loc, "multi_hint"), 0);
    for (int j = 0; j < sc->n_options; j++) {
        bool on = in->answer.state == QN_ANS_VALUE && ((unsigned)in->answer.value & (1u << j));
        ui_page_add_choice(p, text(in, &sc->options[j].label), UI_CHOICE | (on ? UI_SELECTED : 0),
                           FLOW_EV_TOGGLE, j);
    }
}

/* One answer of a list, or a row of keys with what their ends mean. */
static void add_single(const kiosk_question *in, const qn_scale *sc, bool keys, ui_page *p)
{
    for (int j = 0; j < sc->n_options; j++) {
        const qn_option *o = &sc->options[j];
        bool on = in->answer.state == QN_ANS_VALUE && in->answer.value == o->value;
        unsigned f = keys ? UI_CENTER | UI_BOLD : UI_CHOICE;
        ui_page_add_choice(p, text(in, &o->label), f | (on ? UI_SELECTED : 0), FLOW_EV_ANSWER,
                           o->value);
    }
    if (keys && *text(in, &sc->min_label))
        ui_page_add_text(p, ui_app_tr(in->ui, in->loc, "scale_end", num(in, sc->min),
                                      text(in, &sc->min_label), NULL), 0);
    if (keys && *text(in, &sc->max_label))
        ui_page_add_text(p, ui_app_tr(in->ui, in->loc, "scale_end", num(in, sc->max),
                                      text(in, &sc->max_label), NULL), 0);
}

/* The reserved place: a message, or on a row of keys the choice in words (not only a colour);
 * then the bottom row and the answers that are not on the scale, last. */
static void add_bottom(const kiosk_question *in, const qn_scale *sc, bool keys, ui_page *p)
{
    qn_answer a = in->answer;
    const char *said = in->message ? in->message : "";
    if (!in->message && keys && sc->kind != QN_SCALE_NUMBER && a.state == QN_ANS_VALUE) {
        const char *l = qn_option_label(in->q, in->item, a.value, in->lang);
        said = ui_app_tr(in->ui, in->loc, "selected", l ? l : "", NULL, NULL);
    }
    ui_page_set_message(p, said, in->message ? UI_ALERT : 0); /* a choice is no alarm */
    ui_page_add_nav(p, ui_tr(in->loc, "back"), 0, FLOW_EV_BACK);
    unsigned wide = keys ? UI_WIDE : 0; /* on a page of keys: wide rows under the keys */
    if (sc->allow_na)
        ui_page_add_choice(p, text(in, &sc->na_label),
                           UI_CHOICE | wide | (a.state == QN_ANS_NA ? UI_SELECTED : 0), FLOW_EV_NA, 0);
    if (sc->allow_refuse)
        ui_page_add_choice(p, ui_tr(in->loc, "refuse"),
                           UI_CHOICE | wide | (a.state == QN_ANS_REFUSED ? UI_SELECTED : 0),
                           FLOW_EV_REFUSE, 0);
    ui_page_add_nav(p, ui_tr(in->loc, sc->kind == QN_SCALE_MULTI ? "multi_done" : "next"),
                    UI_PRIMARY, FLOW_EV_NEXT);
}

void kiosk_question_build(const kiosk_question *in, ui_page *p)
{
    const qn_item *it = &in->q->items[in->item];
    const qn_scale *sc = &in->q->scales[it->scale];
    bool beside = add_progress(in, p);
    if (in->check >= 0) /* first, so it is seen; gentle: bold, not the alert colour */
        ui_page_add_text(p, text(in, &in->q->checks[in->check].text), UI_BOLD);
    ui_page_add_text(p, text(in, &it->text), UI_BOLD);
    ui_page_add_text(p, text(in, &it->help), 0);
    if (!beside)
        ui_page_add_text(p, text(in, &in->q->recall), UI_MUTED);
    bool keys = kiosk_question_keys(sc, in->lang) || sc->kind == QN_SCALE_NUMBER;
    p->grid = keys;
    if (sc->kind == QN_SCALE_NUMBER)
        add_number(in, sc, p);
    else if (sc->kind == QN_SCALE_MULTI)
        add_multi(in, sc, p);
    else
        add_single(in, sc, keys, p);
    add_bottom(in, sc, keys, p);
}
