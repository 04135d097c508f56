/* wui_detail.c — one assessment in words (worker_detail.h): flags with reasons, evidence and
 * the worker's notes (agree / disagree, worker_note.h), scores with method and imputed items,
 * the areas as a bar chart, H1-H3 days, every question and answer, and exports of this one
 * assessment (export.h). Nothing is scored or worded here: the data layer says it all. */
#include "wui_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui_draw.h"
#include "ui_locale.h"

static void notes_free(void)
{
    worker_notes_free(W.notes, W.n_notes);
    W.notes = NULL;
    W.n_notes = 0;
}

static void notes_load(void)
{
    notes_free();
    its_err err = {0};
    if (worker_note_list(W.ws, W.detail.entry->id, &W.notes, &W.n_notes, &err) != 0)
        wui_say(err.msg, true);
}

void wui_detail_open(int entry)
{
    const worker_entry *e = worker_entry_at(W.ws, entry);
    wui_detail_close();
    its_err err = {0};
    if (worker_detail_open(W.ws, e->id, &W.detail, &err) != 0) { /* logs "view" */
        wui_say(wui_tr("wk_open_failed", err.msg, NULL, NULL), true);
        return;
    }
    W.has_detail = true;
    W.entry = entry;
    wui_go(W_DETAIL);
    notes_load();
}

void wui_detail_close(void)
{
    if (W.has_detail)
        worker_detail_free(&W.detail);
    W.has_detail = false;
    notes_free();
    its_wipe(W.note, sizeof W.note);
    W.note_flag = -1;
}

/* ---- notes and exports --------------------------------------------------------------------- */

static void note_save(void)
{
    if (W.note_flag < 0 || W.note_flag >= W.detail.n_flags)
        return;
    const char *rule = W.detail.flags[W.note_flag].rule;
    its_err err = {0};
    if (worker_note_save(W.ws, W.detail.entry->id, rule, W.note_agree, W.note, &err) != 0) {
        wui_say(wui_tr("wk_note_failed", err.msg, NULL, NULL), true);
        return;
    }
    wui_say(wui_tr("wk_note_saved", rule, NULL, NULL), false);
    its_wipe(W.note, sizeof W.note);
    W.note_flag = -1;
    W.field = WF_NONE;
    notes_load();
}

/* Writes this assessment to the export folder as arvio-ID.pdf / -fhir.json / .csv (the file
 * name holds no client code: it goes to the audit log) and says where, or why not. */
static void export_one(export_format f)
{
    const char *dir = W.o->export_dir ? W.o->export_dir : "itsearvio-vienti";
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        char why[300];
        snprintf(why, sizeof why, "%s: %s", dir, strerror(errno));
        wui_say(wui_tr("wk_export_failed", why, NULL, NULL), true);
        return;
    }
    static const char *const ends[] = {".csv", "-fhir.json", ".pdf"};
    char path[PATH_MAX], cwd[PATH_MAX] = "", full[2 * PATH_MAX];
    int skipped = 0;
    its_err err = {0};
    if (dir[0] != '/' && !getcwd(cwd, sizeof cwd)) /* the whole path, to find the file */
        cwd[0] = '\0';
    if (its_path(path, sizeof path, &err, "%s/arvio-%s%s", dir, W.detail.entry->id, ends[f]) != 0 ||
        its_path(full, sizeof full, &err, "%s%s%s", cwd, cwd[0] ? "/" : "", path) != 0 ||
        export_run(W.ws, f, &W.entry, 1, path, &skipped, &err) != 0 || skipped) {
        wui_say(wui_tr("wk_export_failed", skipped ? ui_tr("wk_unreadable") : err.msg, NULL, NULL),
                true);
        return;
    }
    wui_say(wui_tr("wk_export_done", full, NULL, NULL), false);
}

static int note_panel_height(void)
{
    return W.z.ctl * 2 + W.z.gap * 3;
}

/* The flag's buttons stay in sight above the note panel that opens under them. */
static void keep_in_sight(int arg)
{
    for (int i = 0; i < W.body.n; i++) {
        const ui_widget *w = &W.body.w[i];
        if (w->kind != UI_BUTTON || w->action != WA_NOTE || w->arg != arg)
            continue;
        int bottom = W.view.y + W.view.h - (W.note_flag < 0 ? note_panel_height() : 0);
        if (w->r.y + w->r.h > bottom - W.z.gap)
            W.scroll += w->r.y + w->r.h - (bottom - W.z.gap);
        return;
    }
}

bool wui_detail_act(wui_action a, int arg)
{
    switch (a) {
    case WA_NOTE:
        keep_in_sight(arg);
        W.note_flag = arg / 2;
        W.note_agree = arg % 2 == 0;
        its_wipe(W.note, sizeof W.note);
        W.field = WF_NOTE; /* typing goes to the note, Enter saves it */
        W.body.focus = W.top.focus = -1;
        W.body.focus_action = W.top.focus_action = 0;
        W.message[0] = '\0';
        break;
    case WA_NOTE_SAVE:
        note_save();
        break;
    case WA_NOTE_CANCEL:
        W.note_flag = -1;
        W.field = WF_NONE;
        its_wipe(W.note, sizeof W.note);
        break;
    case WA_EXPORT:
        export_one((export_format)arg);
        break;
    default:
        return false;
    }
    W.relayout = true;
    return true;
}

/* ---- layout: a column laid out from view.y - scroll ----------------------------------------- */

typedef struct col {
    int x, y, w; /* y in screen coordinates (already scrolled) */
} col;

static void para(col *c, const char *text, int px, unsigned flags)
{
    c->y += wui_text(&W.body, c->x, c->y, c->w, text, px, flags) + W.z.gap / 2;
}

static void section(col *c, const char *title)
{
    c->y += W.z.gap * 2;
    para(c, title, W.z.head, UI_BOLD);
    wui_deco_fill((SDL_Rect){c->x, c->y - W.z.gap / 2, c->w, 2}, UI_GREY, false);
    c->y += W.z.gap;
}

/* The worker's latest note on a rule (a later note supersedes an earlier one), or NULL. */
static const worker_note *latest_note(const char *rule)
{
    const worker_note *n = NULL;
    for (int i = 0; i < W.n_notes; i++)
        if (!strcmp(W.notes[i].rule, rule))
            n = &W.notes[i];
    return n;
}

static void summary(col *c)
{
    const worker_detail *d = &W.detail;
    const worker_entry *e = d->entry;
    const wui_size *z = &W.z;
    char when[32];
    worker_format_time(when, sizeof when, e->completed_at);
    para(c, wui_tr("wk_detail_qn", d->title ? d->title : e->qid, e->qversion, NULL), z->px, 0);
    para(c, wui_tr("wk_detail_meta", when, d->record_lang ? d->record_lang : "?", e->device),
         z->px, UI_MUTED);
    if (d->before_signing)
        para(c, ui_tr("wk_before_signing"), z->px, UI_MUTED);
    int lh = ui_draw_line_height(z->px, true);
    const char *label = ui_tr("wk_detail_level");
    int lw = ui_draw_text_width(label, strlen(label), z->px, true);
    wui_text(&W.body, c->x, c->y, lw + 2, label, z->px, UI_BOLD);
    wui_badge(&W.body, c->x + lw + z->gap, c->y, d->level, z->px, NULL);
    c->y += lh + z->gap / 2;
    int p = worker_trend_previous(W.ws, W.entry);
    if (p < 0) {
        para(c, ui_tr("wk_no_previous"), z->px, UI_MUTED);
        return;
    }
    const worker_entry *pe = worker_entry_at(W.ws, p);
    char pwhen[32], ptotal[32], change[200] = "";
    worker_format_time(pwhen, sizeof pwhen, pe->completed_at);
    worker_format_headline(ptotal, sizeof ptotal, pe);
    if (e->has_headline && pe->has_headline)
        worker_format_change_error(W.ws, e, e->headline - pe->headline, change, sizeof change);
    para(c, wui_tr(change[0] ? "wk_previous_change" : "wk_previous", pwhen, ptotal, change), z->px,
         0);
}

/* The referral decision of a flagged assessment and its latest referral note (itsearvio
 * referral records them; worker_note.h). */
static void referral(col *c)
{
    worker_referral r = worker_referral_state(W.notes, W.n_notes);
    para(c, wui_tr("wk_referral_state", ui_tr(worker_referral_key(r)), NULL, NULL), W.z.px,
         r == WORKER_REFERRAL_NONE ? UI_BOLD | UI_ALERT : UI_BOLD);
    const worker_note *last = NULL;
    for (int i = 0; i < W.n_notes; i++)
        if (W.notes[i].kind == WORKER_NOTE_REFERRAL)
            last = &W.notes[i];
    if (last && last->text[0])
        para(c, wui_tr("wk_referral_note", ui_tr(worker_referral_key(last->referral)),
                       last->date[0] ? last->date : wui_keep(last->at), last->text),
             W.z.px, UI_MUTED);
}

static void flags(col *c)
{
    const worker_detail *d = &W.detail;
    const wui_size *z = &W.z;
    section(c, ui_tr("wk_flags"));
    if (d->crisis_help)
        para(c, ui_tr("wk_crisis_shown"), z->px, UI_BOLD);
    if (d->n_flags == 0)
        para(c, ui_tr("wk_no_flags"), z->px, UI_MUTED);
    int indent = z->px * 9;
    for (int i = 0; i < d->n_flags; i++) {
        const worker_flag *f = &d->flags[i];
        int top = c->y;
        wui_badge(&W.body, c->x, c->y, f->level, z->px, NULL);
        col t = {c->x + indent, c->y, c->w - indent};
        para(&t, wui_tr("wk_flag_reason", f->rule, f->reason, NULL), z->px, UI_BOLD);
        if (f->detail && f->detail[0])
            para(&t, wui_tr("wk_flag_evidence", f->detail, NULL, NULL), z->px, 0);
        const worker_note *n = latest_note(f->rule);
        char at[32] = "";
        if (n) /* "2025-03-04T10:09:00.123Z" as "2025-03-04 10:09 UTC" */
            snprintf(at, sizeof at, "%.10s %.5s UTC", n->at, strlen(n->at) > 11 ? n->at + 11 : "");
        if (n)
            para(&t, wui_tr(n->agree ? "wk_note_agree" : "wk_note_disagree", at,
                            n->text[0] ? n->text : "\xE2\x80\x93", NULL), z->px, UI_MUTED);
        int x = t.x;
        x += wui_button(&W.body, x, t.y, wui_tr("wk_agree", f->rule, NULL, NULL), 0, WA_NOTE,
                        2 * i) + z->gap;
        wui_button(&W.body, x, t.y, wui_tr("wk_disagree", f->rule, NULL, NULL), 0, WA_NOTE,
                   2 * i + 1);
        c->y = t.y + z->ctl + z->gap;
        c->y = c->y > top + z->ctl ? c->y : top + z->ctl;
        if (i + 1 < d->n_flags)
            wui_deco_fill((SDL_Rect){c->x, c->y - z->gap / 2, c->w, 1}, UI_PALE, false);
    }
    if (d->n_flags)
        referral(c);
}

/* "38/48 (79 %)", "40.6" or "6/10": as the CLI shows a score. */
static void score_value(char *dst, size_t n, const worker_score *s)
{
    char v[32];
    its_format_number(v, sizeof v, s->value, s->max == 100.0 ? 1 : 0);
    if (s->max == 100.0) {
        its_strlcpy(dst, v, n);
    } else if (s->percent >= 0 && s->max > 10.0) {
        char p[32];
        its_format_number(p, sizeof p, s->percent, 0);
        snprintf(dst, n, "%.31s/%d (%.31s %%)", v, (int)(s->max + 0.5), p);
    } else {
        snprintf(dst, n, "%.31s/%d", v, (int)(s->max + 0.5));
    }
}

static const char *method_words(const char *m)
{
    static const char *const known[] = {"sum", "recode", "mean100", "item"};
    for (size_t i = 0; m && i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(m, known[i])) {
            char key[32];
            snprintf(key, sizeof key, "wk_method_%s", m);
            return ui_tr(key);
        }
    return m ? m : "?";
}

static void scores(col *c)
{
    const worker_detail *d = &W.detail;
    const wui_size *z = &W.z;
    section(c, ui_tr("wk_scores"));
    int lw = c->w * 34 / 100, vw = c->w * 14 / 100, bw = c->w * 18 / 100;
    for (int i = 0; i < d->n_scores; i++) {
        const worker_score *s = &d->scores[i];
        int top = c->y, h = wui_text(&W.body, c->x, c->y, lw - z->gap, s->label, z->px, UI_BOLD);
        col rest = {c->x + lw + vw + bw, c->y, c->w - lw - vw - bw};
        if (!s->ok) {
            para(&rest, wui_tr("wk_not_scored", s->reason ? s->reason : s->status ? s->status : "?",
                               NULL, NULL), z->px, UI_ALERT);
        } else {
            char v[96];
            score_value(v, sizeof v, s);
            wui_text(&W.body, c->x + lw, c->y, vw, v, z->px, 0);
            if (s->band) { /* the band's word beside its icon */
                wui_badge(&W.body, c->x + lw + vw, c->y, s->band_level, z->small, s->band);
            }
            para(&rest, wui_tr("wk_method", method_words(s->method), s->item_set ? s->item_set : "?",
                               NULL), z->small, UI_MUTED);
            if (s->imputed[0])
                para(&rest, wui_tr("wk_imputed", s->imputed, NULL, NULL), z->small, UI_MUTED);
        }
        int bottom = top + h > rest.y ? top + h : rest.y;
        c->y = bottom + z->gap / 2;
    }
}

/* The domain scores as horizontal bars on 0-100 % of each score's range, the value and the
 * band word beside each: the picture and the numbers say the same. */
static void area_chart(col *c)
{
    const worker_detail *d = &W.detail;
    const wui_size *z = &W.z;
    int n = 0;
    bool higher_better = false;
    for (int i = 0; i < d->n_scores; i++)
        if (d->scores[i].domain && d->scores[i].ok) {
            n++;
            higher_better = d->scores[i].higher_is_better;
        }
    if (n == 0)
        return;
    section(c, ui_tr("wk_areas"));
    para(c, ui_tr(higher_better ? "wk_areas_higher_better" : "wk_areas_higher_worse"), z->small,
         UI_MUTED);
    int lw = c->w * 30 / 100, track = c->w * 45 / 100, bar_h = z->px;
    int lh = ui_draw_line_height(z->px, false);
    for (int i = 0; i < d->n_scores; i++) {
        const worker_score *s = &d->scores[i];
        if (!s->domain || !s->ok)
            continue;
        double share = s->max > 0 ? s->value / s->max : 0;
        share = share < 0 ? 0 : share > 1 ? 1 : share;
        wui_text(&W.body, c->x, c->y, lw - z->gap, wui_fit(s->domain, lw - z->gap, z->px, false),
                 z->px, 0);
        SDL_Rect t = {c->x + lw, c->y + (lh - bar_h) / 2, track, bar_h};
        wui_deco_fill(t, (SDL_Color){0xE4, 0xE7, 0xEB, 0xFF}, false);
        wui_deco_fill((SDL_Rect){t.x, t.y, (int)(track * share + 0.5), bar_h}, UI_BLUE, true);
        wui_deco *f = wui_deco_add(WD_FRAME, true);
        if (f) {
            f->r = t;
            f->t = 1;
            f->c = UI_GREY;
        }
        char v[96];
        score_value(v, sizeof v, s);
        int vx = t.x + track + z->gap;
        wui_text(&W.body, vx, c->y, c->w - lw - track - z->gap, v, z->px, UI_BOLD);
        if (s->band) {
            int vw = ui_draw_text_width(v, strlen(v), z->px, true) + z->gap * 2;
            wui_badge(&W.body, vx + vw, c->y, s->band_level, z->small, s->band);
        }
        c->y += lh + z->gap;
    }
}

/* The question on the left, the answer in words on the right. */
static void answer_row(col *c, const worker_answer *a)
{
    const wui_size *z = &W.z;
    int qw = c->w * 58 / 100, aw = c->w - qw - z->gap;
    const char *q = wui_tr("wk_question", a->id, a->text, NULL);
    int h = wui_text(&W.body, c->x, c->y, qw, q, z->px, 0);
    unsigned f = a->kind == WORKER_ANS_VALUE ? UI_BOLD : UI_BOLD | UI_MUTED;
    int h2 = wui_text(&W.body, c->x + qw + z->gap, c->y, aw, a->words, z->px, f);
    c->y += (h > h2 ? h : h2) + z->gap;
}

static void answers(col *c)
{
    const worker_detail *d = &W.detail;
    bool days = false;
    for (int i = 0; i < d->n_answers; i++)
        days |= d->answers[i].number && !d->answers[i].scored;
    if (days) {
        section(c, ui_tr("wk_days"));
        for (int i = 0; i < d->n_answers; i++)
            if (d->answers[i].number && !d->answers[i].scored)
                answer_row(c, &d->answers[i]);
    }
    for (int i = 0; i < d->n_checks; i++)
        para(c, wui_tr("wk_answer_check", d->checks[i], NULL, NULL), W.z.px, UI_BOLD);
    section(c, ui_tr("wk_answers"));
    const char *domain = NULL;
    for (int i = 0; i < d->n_answers; i++) {
        const worker_answer *a = &d->answers[i];
        if (a->number && !a->scored)
            continue;
        if (a->domain && (!domain || strcmp(domain, a->domain)))
            para(c, a->domain, W.z.px, UI_BOLD | UI_MUTED);
        domain = a->domain;
        answer_row(c, a);
    }
}

/* The note being written, over the bottom bar. Returns its top. */
static int note_panel(int bottom)
{
    const wui_size *z = &W.z;
    const worker_flag *f = &W.detail.flags[W.note_flag];
    int h = note_panel_height(), y = bottom - h;
    SDL_Rect box = {0, y, z->w, h + z->gap};
    wui_deco_fill(box, UI_PALE, false);
    wui_deco_fill((SDL_Rect){0, y, z->w, 2}, UI_BLUE, false);
    int lh = ui_draw_line_height(z->px, true);
    const char *label = wui_tr(W.note_agree ? "wk_note_label_agree" : "wk_note_label_disagree",
                               f->rule, NULL, NULL);
    wui_text(&W.top, z->margin, y + z->gap + (z->ctl - lh) / 2, z->w - 2 * z->margin, label, z->px,
             UI_BOLD);
    int yy = y + z->gap * 2 + z->ctl;
    const char *save = ui_tr("wk_note_save"), *cancel = ui_tr("wk_note_cancel");
    int sw = wui_button_width(save, UI_BOLD), cw = wui_button_width(cancel, 0);
    int fw = z->w - 2 * z->margin - sw - cw - 2 * z->gap;
    wui_field_box(&W.top, (SDL_Rect){z->margin, yy, fw, z->ctl}, WF_NOTE, W.note, false, NULL);
    wui_button(&W.top, z->margin + fw + z->gap, yy, cancel, 0, WA_NOTE_CANCEL, 0);
    wui_button(&W.top, z->w - z->margin - sw, yy, save, UI_PRIMARY | UI_BOLD, WA_NOTE_SAVE, 0);
    return y;
}

/* The bottom bar: trend and exports at the left, scrolling at the right. Returns its top. */
static int bottom_bar(void)
{
    const wui_size *z = &W.z;
    int y = z->h - z->margin - z->ctl, x = z->margin;
    if (W.detail.entry->client[0])
        x += wui_button(&W.top, x, y, ui_tr("wk_trend"), UI_BOLD, WA_TREND, 0) + 2 * z->gap;
    static const export_format order[] = {EXPORT_PDF, EXPORT_FHIR, EXPORT_CSV};
    static const char *const keys[] = {"wk_export_pdf", "wk_export_fhir", "wk_export_csv"};
    for (int i = 0; i < 3; i++)
        x += wui_button(&W.top, x, y, ui_tr(keys[i]), 0, WA_EXPORT, (int)order[i]) + z->gap;
    return y - z->gap;
}

void wui_detail_build(void)
{
    const wui_size *z = &W.z;
    const worker_entry *e = W.detail.entry;
    char when[32];
    worker_format_time(when, sizeof when, e->completed_at);
    int top = wui_top_band(wui_tr("wk_detail_heading", e->client[0] ? e->client
                                                                    : ui_tr("wk_anonymous"),
                                  when, NULL),
                           true);
    if (W.message[0]) /* the export's path or a problem: fixed, whatever the scroll */
        top += wui_text(&W.top, z->margin, top, z->w - 2 * z->margin, W.message, z->px,
                        W.message_alert ? UI_ALERT | UI_BOLD : UI_BOLD) + z->gap;
    int bottom = bottom_bar();
    if (W.note_flag >= 0)
        bottom = note_panel(bottom);
    wui_set_view((SDL_Rect){0, top, z->w, bottom - top});
    W.deco_body = true;
    int cw = z->w - 2 * z->margin;
    col c = {z->margin, top - W.scroll, cw > z->px * 60 ? z->px * 60 : cw};
    summary(&c);
    flags(&c);
    area_chart(&c);
    scores(&c);
    answers(&c);
    W.deco_body = false;
    W.content_h = c.y + W.scroll - top + z->gap;
    wui_scroll_buttons(z->h - z->margin - z->ctl);
    if (W.scroll > 0 && W.scroll + W.view.h > W.content_h + z->gap) { /* shorter now: clamp */
        W.scroll = W.content_h > W.view.h ? W.content_h - W.view.h : 0;
        W.relayout = true;
    }
}
