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

static void notes_free(wui *wk)
{
    worker_notes_free(wk->notes, wk->n_notes);
    wk->notes = NULL;
    wk->n_notes = 0;
}

static void notes_load(wui *wk)
{
    notes_free(wk);
    its_err err = {0};
    if (worker_note_list(wk->ws, wk->detail.entry->id, &wk->notes, &wk->n_notes, &err) != 0)
        wui_say(wk, ui_locale_error(&wk->loc, &err), true);
    wk->consent = worker_consent_state(wk->detail.research, wk->notes, wk->n_notes, wk->consent_date);
}

void wui_detail_open(wui *wk, int entry)
{
    const worker_entry *e = worker_entry_at(wk->ws, entry);
    wui_detail_close(wk);
    its_err err = {0};
    if (worker_detail_open(wk->ws, e->id, &wk->detail, &err) != 0) { /* logs "view" */
        wui_say(wk, wui_tr(wk, "wk_open_failed", ui_locale_error(&wk->loc, &err), NULL, NULL), true);
        return;
    }
    wk->has_detail = true;
    wk->entry = entry;
    wui_go(wk, W_DETAIL);
    notes_load(wk);
}

void wui_detail_close(wui *wk)
{
    if (wk->has_detail)
        worker_detail_free(&wk->detail);
    wk->has_detail = false;
    notes_free(wk);
    its_wipe(wk->note, sizeof wk->note);
    wk->note_flag = -1;
    wk->note_referral = WORKER_REFERRAL_NONE;
}

/* ---- notes and exports --------------------------------------------------------------------- */

static void note_done(wui *wk)
{
    its_wipe(wk->note, sizeof wk->note);
    wk->note_flag = -1;
    wk->note_referral = WORKER_REFERRAL_NONE;
    wk->field = WF_NONE;
    notes_load(wk);
}

/* A referral decision through the data layer, as `itsearvio referral` records it: "referred"
 * at once, "not referred" and "outcome" with the text typed in the panel. */
static void referral_save(wui *wk, worker_referral r, const char *text)
{
    its_err err = {0};
    if (worker_referral_save(wk->ws, wk->detail.entry->id, r, text, NULL, &err) != 0) {
        wui_say(wk, wui_tr(wk, "wk_note_failed", ui_locale_error(&wk->loc, &err), NULL, NULL), true);
        return;
    }
    wui_say(wk, wui_tr(wk, "wk_referral_state", ui_tr(&wk->loc, worker_referral_key(r)), NULL, NULL),
            false);
    note_done(wk);
}

static void consent_withdraw(wui *wk)
{
    its_err err = {0};
    if (worker_consent_withdraw(wk->ws, wk->detail.entry->id, NULL, &err) != 0) {
        wui_say(wk, wui_tr(wk, "wk_note_failed", ui_locale_error(&wk->loc, &err), NULL, NULL), true);
        return;
    }
    wui_say(wk, ui_tr(&wk->loc, "wk_consent_withdrawn_saved"), false);
    notes_load(wk);
}

static void note_save(wui *wk)
{
    if (wk->note_referral != WORKER_REFERRAL_NONE) {
        referral_save(wk, wk->note_referral, wk->note);
        return;
    }
    if (wk->note_flag < 0 || wk->note_flag >= wk->detail.n_flags)
        return;
    const char *rule = wk->detail.flags[wk->note_flag].rule;
    its_err err = {0};
    if (worker_note_save(wk->ws, wk->detail.entry->id, rule, wk->note_agree, wk->note, &err) != 0) {
        wui_say(wk, wui_tr(wk, "wk_note_failed", ui_locale_error(&wk->loc, &err), NULL, NULL), true);
        return;
    }
    wui_say(wk, wui_tr(wk, "wk_note_saved", rule, NULL, NULL), false);
    note_done(wk);
}

/* Writes this assessment to the export folder as arvio-ID.pdf / -fhir.json / .csv (the file
 * name holds no client code: it goes to the audit log) and says where, or why not. */
static void export_one(wui *wk, export_format f)
{
    const char *dir = wk->o->export_dir ? wk->o->export_dir : "itsearvio-vienti";
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        its_err why = {0};
        its_fail_key(&why, ITS_E_OTHER, "err_export_not_written", dir, "%s: %s", dir, strerror(errno));
        wui_say(wk, wui_tr(wk, "wk_export_failed", ui_locale_error(&wk->loc, &why), NULL, NULL), true);
        return;
    }
    static const char *const ends[] = {".csv", "-fhir.json", ".pdf"};
    char path[PATH_MAX], cwd[PATH_MAX] = "", full[2 * PATH_MAX];
    int skipped = 0;
    its_err err = {0};
    if (dir[0] != '/' && !getcwd(cwd, sizeof cwd)) /* the whole path, to find the file */
        cwd[0] = '\0';
    if (its_path(path, sizeof path, &err, "%s/arvio-%s%s", dir, wk->detail.entry->id, ends[f]) !=
            0 ||
        its_path(full, sizeof full, &err, "%s%s%s", cwd, cwd[0] ? "/" : "", path) != 0 ||
        export_run(wk->ws, f, &wk->entry, 1, path, &skipped, &err) != 0 || skipped) {
        const char *why = skipped ? ui_tr(&wk->loc, "wk_unreadable") : ui_locale_error(&wk->loc, &err);
        wui_say(wk, wui_tr(wk, "wk_export_failed", why, NULL, NULL), true);
        return;
    }
    wui_say(wk, wui_tr(wk, "wk_export_done", full, NULL, NULL), false);
}

static int note_panel_height(wui *wk)
{
    return wk->z.ctl * 2 + wk->z.gap * 3;
}

/* The flag's buttons stay in sight above the note panel that opens under them. */
static void keep_in_sight(wui *wk, int arg)
{
    for (int i = 0; i < wk->body.n; i++) {
        const ui_widget *w = &wk->body.w[i];
        if (w->kind != UI_BUTTON || w->action != WA_NOTE || w->arg != arg)
            continue;
        int bottom = wk->view.y + wk->view.h - (wk->note_flag < 0 ? note_panel_height(wk) : 0);
        if (w->r.y + w->r.h > bottom - wk->z.gap)
            wk->scroll += w->r.y + w->r.h - (bottom - wk->z.gap);
        return;
    }
}

/* The note panel opens empty with the typing in it (Enter saves), no button focused and no
 * message left from before: for a flag's note and for a referral's reason or outcome. */
static void note_panel_open(wui *wk)
{
    its_wipe(wk->note, sizeof wk->note);
    wk->field = WF_NOTE;
    wk->body.focus = wk->top.focus = -1;
    wk->body.focus_action = wk->top.focus_action = 0;
    wk->message[0] = '\0';
}

bool wui_detail_act(wui *wk, wui_action a, int arg)
{
    switch (a) {
    case WA_NOTE:
        keep_in_sight(wk, arg);
        wk->note_flag = arg / 2;
        wk->note_agree = arg % 2 == 0;
        note_panel_open(wk);
        break;
    case WA_NOTE_SAVE:
        note_save(wk);
        break;
    case WA_REFERRAL:
        if (arg == WORKER_REFERRAL_REFERRED) {
            referral_save(wk, WORKER_REFERRAL_REFERRED, NULL);
            break;
        }
        wk->note_flag = -1; /* the reason or outcome is typed in the note panel */
        wk->note_referral = (worker_referral)arg;
        note_panel_open(wk);
        break;
    case WA_CONSENT_WITHDRAW:
        consent_withdraw(wk);
        break;
    case WA_NOTE_CANCEL:
        wk->note_flag = -1;
        wk->note_referral = WORKER_REFERRAL_NONE;
        wk->field = WF_NONE;
        its_wipe(wk->note, sizeof wk->note);
        break;
    case WA_EXPORT:
        export_one(wk, (export_format)arg);
        break;
    default:
        return false;
    }
    wk->relayout = true;
    return true;
}

/* ---- layout: a column laid out from view.y - scroll ----------------------------------------- */

typedef struct col {
    int x, y, w; /* y in screen coordinates (already scrolled) */
} col;

static void para(wui *wk, col *c, const char *text, int px, unsigned flags)
{
    c->y += wui_text(wk, &wk->body, c->x, c->y, c->w, text, px, flags) + wk->z.gap / 2;
}

static void section(wui *wk, col *c, const char *title)
{
    c->y += wk->z.gap * 2;
    para(wk, c, title, wk->z.head, UI_BOLD);
    wui_deco_fill(wk, (SDL_Rect){c->x, c->y - wk->z.gap / 2, c->w, 2}, wk->theme->muted, false);
    c->y += wk->z.gap;
}

/* The worker's latest note on a rule (a later note supersedes an earlier one), or NULL. */
static const worker_note *latest_note(wui *wk, const char *rule)
{
    const worker_note *n = NULL;
    for (int i = 0; i < wk->n_notes; i++)
        if (!strcmp(wk->notes[i].rule, rule))
            n = &wk->notes[i];
    return n;
}

/* Research consent (a withdrawal can be recorded while it is "yes") and an interview. */
static void consent_and_interview(wui *wk, col *c)
{
    const wui_size *z = &wk->z;
    char state[64];
    ui_locale_format(&wk->loc, state, sizeof state, worker_consent_key(wk->consent), wk->consent_date,
                     NULL);
    const char *line = wui_tr(wk, "wk_consent", state, NULL, NULL);
    if (wk->consent == WORKER_CONSENT_YES) {
        int lh = ui_draw_line_height(wk->ui->draw, z->px, false);
        int w = ui_draw_text_width(wk->ui->draw, line, strlen(line), z->px, false) + 2 * z->gap;
        wui_text(wk, &wk->body, c->x, c->y + (z->ctl - lh) / 2, w, line, z->px, 0);
        wui_button(wk, &wk->body, c->x + w, c->y, ui_tr(&wk->loc, "wk_consent_withdraw"), 0,
                   WA_CONSENT_WITHDRAW, 0);
        c->y += z->ctl + z->gap / 2;
    } else {
        para(wk, c, line, z->px, 0);
    }
    if (wk->detail.assisted_by)
        para(wk, c, wui_tr(wk, "wk_assisted", wk->detail.assisted_by, NULL, NULL), z->px, UI_BOLD);
}

static void summary(wui *wk, col *c)
{
    const worker_detail *d = &wk->detail;
    const worker_entry *e = d->entry;
    const wui_size *z = &wk->z;
    char when[32];
    worker_format_time(when, sizeof when, e->completed_at);
    para(wk, c, wui_tr(wk, "wk_detail_qn", d->title ? d->title : e->qid, e->qversion, NULL), z->px,
         0);
    para(wk, c,
         wui_tr(wk, "wk_detail_meta", when, d->record_lang ? d->record_lang : "?", e->device),
         z->px, UI_MUTED);
    if (d->before_signing)
        para(wk, c, ui_tr(&wk->loc, "wk_before_signing"), z->px, UI_MUTED);
    int lh = ui_draw_line_height(wk->ui->draw, z->px, true);
    const char *label = ui_tr(&wk->loc, "wk_detail_level");
    int lw = ui_draw_text_width(wk->ui->draw, label, strlen(label), z->px, true);
    wui_text(wk, &wk->body, c->x, c->y, lw + 2, label, z->px, UI_BOLD);
    wui_badge(wk, &wk->body, c->x + lw + z->gap, c->y, d->level, z->px, NULL);
    c->y += lh + z->gap / 2;
    consent_and_interview(wk, c);
    int p = worker_trend_previous(wk->ws, wk->entry);
    if (p < 0) {
        para(wk, c, ui_tr(&wk->loc, "wk_no_previous"), z->px, UI_MUTED);
        return;
    }
    const worker_entry *pe = worker_entry_at(wk->ws, p);
    char pwhen[32], ptotal[32], change[200] = "";
    worker_format_time(pwhen, sizeof pwhen, pe->completed_at);
    worker_format_headline(wk->ws, ptotal, sizeof ptotal, pe);
    if (e->has_headline && pe->has_headline)
        worker_format_change_error(wk->ws, e, e->headline - pe->headline, change, sizeof change);
    para(wk, c, wui_tr(wk, change[0] ? "wk_previous_change" : "wk_previous", pwhen, ptotal, change),
         z->px, 0);
}

/* The referral decision of a flagged assessment and its latest referral note (itsearvio
 * referral records them; worker_note.h). */
static void referral(wui *wk, col *c)
{
    worker_referral r = worker_referral_state(wk->notes, wk->n_notes);
    para(wk, c,
         wui_tr(wk, "wk_referral_state", ui_tr(&wk->loc, worker_referral_key(r)), NULL, NULL),
         wk->z.px, r == WORKER_REFERRAL_NONE ? UI_BOLD | UI_ALERT : UI_BOLD);
    const worker_note *last = NULL;
    for (int i = 0; i < wk->n_notes; i++)
        if (wk->notes[i].kind == WORKER_NOTE_REFERRAL)
            last = &wk->notes[i];
    if (last && last->text[0])
        para(wk, c,
             wui_tr(wk, "wk_referral_note", ui_tr(&wk->loc, worker_referral_key(last->referral)),
                    last->date[0] ? last->date : wui_keep(wk, last->at), last->text),
             wk->z.px, UI_MUTED);
    static const char *const keys[] = {"", "wk_referral_do_referred", "wk_referral_do_not",
                                       "wk_referral_do_outcome"};
    int x = c->x;
    for (int k = WORKER_REFERRAL_REFERRED; k <= WORKER_REFERRAL_OUTCOME; k++)
        x += wui_button(wk, &wk->body, x, c->y, ui_tr(&wk->loc, keys[k]), 0, WA_REFERRAL, k) +
             wk->z.gap;
    c->y += wk->z.ctl + wk->z.gap;
}

static void flags(wui *wk, col *c)
{
    const worker_detail *d = &wk->detail;
    const wui_size *z = &wk->z;
    section(wk, c, ui_tr(&wk->loc, "wk_flags"));
    if (d->crisis_help)
        para(wk, c, ui_tr(&wk->loc, "wk_crisis_shown"), z->px, UI_BOLD);
    if (d->n_flags == 0)
        para(wk, c, ui_tr(&wk->loc, "wk_no_flags"), z->px, UI_MUTED);
    int indent = z->px * 9;
    for (int i = 0; i < d->n_flags; i++) {
        const worker_flag *f = &d->flags[i];
        int top = c->y;
        wui_badge(wk, &wk->body, c->x, c->y, f->level, z->px, NULL);
        col t = {c->x + indent, c->y, c->w - indent};
        para(wk, &t, wui_tr(wk, "wk_flag_reason", f->rule, f->reason, NULL), z->px, UI_BOLD);
        if (f->detail && f->detail[0])
            para(wk, &t, wui_tr(wk, "wk_flag_evidence", f->detail, NULL, NULL), z->px, 0);
        const worker_note *n = latest_note(wk, f->rule);
        char at[32] = "";
        if (n) /* "2025-03-04T10:09:00.123Z" as "2025-03-04 10:09 UTC" */
            snprintf(at, sizeof at, "%.10s %.5s UTC", n->at, strlen(n->at) > 11 ? n->at + 11 : "");
        if (n)
            para(wk, &t,
                 wui_tr(wk, n->agree ? "wk_note_agree" : "wk_note_disagree", at,
                        n->text[0] ? n->text : "\xE2\x80\x93", NULL),
                 z->px, UI_MUTED);
        int x = t.x;
        x += wui_button(wk, &wk->body, x, t.y, wui_tr(wk, "wk_agree", f->rule, NULL, NULL), 0,
                        WA_NOTE, 2 * i) +
             z->gap;
        wui_button(wk, &wk->body, x, t.y, wui_tr(wk, "wk_disagree", f->rule, NULL, NULL), 0,
                   WA_NOTE, 2 * i + 1);
        c->y = t.y + z->ctl + z->gap;
        c->y = c->y > top + z->ctl ? c->y : top + z->ctl;
        if (i + 1 < d->n_flags)
            wui_deco_fill(wk, (SDL_Rect){c->x, c->y - z->gap / 2, c->w, 1}, wk->theme->face, false);
    }
    if (d->n_flags)
        referral(wk, c);
}

/* "38/48 (79 %)", "40,6/100" or "6/10": as the CLI and the PDF show a score. */
static void score_value(wui *wk, char *dst, size_t n, const worker_score *s)
{
    worker_score_words(wk->ws, s, dst, n);
}

static const char *method_words(wui *wk, const char *m)
{
    return worker_method_word(wk->ws, m);
}

static void scores(wui *wk, col *c)
{
    const worker_detail *d = &wk->detail;
    const wui_size *z = &wk->z;
    section(wk, c, ui_tr(&wk->loc, "wk_scores"));
    int lw = c->w * 34 / 100, vw = c->w * 14 / 100, bw = c->w * 18 / 100;
    for (int i = 0; i < d->n_scores; i++) {
        const worker_score *s = &d->scores[i];
        int top = c->y,
            h = wui_text(wk, &wk->body, c->x, c->y, lw - z->gap, s->label, z->px, UI_BOLD);
        col rest = {c->x + lw + vw + bw, c->y, c->w - lw - vw - bw};
        if (!s->ok) {
            para(wk, &rest,
                 wui_tr(wk, "wk_not_scored",
                        s->reason[0] ? s->reason
                        : s->status ? s->status
                                    : "?",
                        NULL, NULL),
                 z->px, UI_ALERT);
        } else {
            char v[96];
            score_value(wk, v, sizeof v, s);
            wui_text(wk, &wk->body, c->x + lw, c->y, vw, v, z->px, 0);
            if (s->band) { /* the band's word beside its icon */
                wui_badge(wk, &wk->body, c->x + lw + vw, c->y, s->band_level, z->small, s->band);
            }
            para(wk, &rest,
                 wui_tr(wk, "wk_method", method_words(wk, s->method),
                        s->item_set ? s->item_set : "?", NULL),
                 z->small, UI_MUTED);
            if (s->imputed[0])
                para(wk, &rest, wui_tr(wk, "wk_imputed", s->imputed, NULL, NULL), z->small,
                     UI_MUTED);
        }
        int bottom = top + h > rest.y ? top + h : rest.y;
        c->y = bottom + z->gap / 2;
    }
}

/* The domain scores as horizontal bars on 0-100 % of each score's range, the value and the
 * band word beside each: the picture and the numbers say the same. */
static void area_chart(wui *wk, col *c)
{
    const worker_detail *d = &wk->detail;
    const wui_size *z = &wk->z;
    int n = 0;
    bool higher_better = false;
    for (int i = 0; i < d->n_scores; i++)
        if (d->scores[i].domain && d->scores[i].ok) {
            n++;
            higher_better = d->scores[i].higher_is_better;
        }
    if (n == 0)
        return;
    section(wk, c, ui_tr(&wk->loc, "wk_areas"));
    para(wk, c, ui_tr(&wk->loc, higher_better ? "wk_areas_higher_better" : "wk_areas_higher_worse"),
         z->small, UI_MUTED);
    int lw = c->w * 30 / 100, track = c->w * 45 / 100, bar_h = z->px;
    int lh = ui_draw_line_height(wk->ui->draw, z->px, false);
    for (int i = 0; i < d->n_scores; i++) {
        const worker_score *s = &d->scores[i];
        if (!s->domain || !s->ok)
            continue;
        double share = s->max > 0 ? s->value / s->max : 0;
        share = share < 0 ? 0 : share > 1 ? 1 : share;
        wui_text(wk, &wk->body, c->x, c->y, lw - z->gap,
                 wui_fit(wk, s->domain, lw - z->gap, z->px, false), z->px, 0);
        SDL_Rect t = {c->x + lw, c->y + (lh - bar_h) / 2, track, bar_h};
        wui_deco_fill(wk, t, (SDL_Color){0xE4, 0xE7, 0xEB, 0xFF}, false);
        wui_deco_fill(wk, (SDL_Rect){t.x, t.y, (int)(track * share + 0.5), bar_h},
                      wk->theme->accent, true);
        wui_deco *f = wui_deco_add(wk, WD_FRAME, true);
        if (f) {
            f->r = t;
            f->t = 1;
            f->c = wk->theme->muted;
        }
        char v[96];
        score_value(wk, v, sizeof v, s);
        int vx = t.x + track + z->gap;
        wui_text(wk, &wk->body, vx, c->y, c->w - lw - track - z->gap, v, z->px, UI_BOLD);
        if (s->band) {
            int vw = ui_draw_text_width(wk->ui->draw, v, strlen(v), z->px, true) + z->gap * 2;
            wui_badge(wk, &wk->body, vx + vw, c->y, s->band_level, z->small, s->band);
        }
        c->y += lh + z->gap;
    }
}

/* The question on the left, the answer in words on the right. */
static void answer_row(wui *wk, col *c, const worker_answer *a)
{
    const wui_size *z = &wk->z;
    int qw = c->w * 58 / 100, aw = c->w - qw - z->gap;
    const char *q = wui_tr(wk, "wk_question", a->id, a->text, NULL);
    int h = wui_text(wk, &wk->body, c->x, c->y, qw, q, z->px, 0);
    unsigned f = a->kind == WORKER_ANS_VALUE ? UI_BOLD : UI_BOLD | UI_MUTED;
    int h2 = wui_text(wk, &wk->body, c->x + qw + z->gap, c->y, aw, a->words, z->px, f);
    c->y += (h > h2 ? h : h2) + z->gap;
}

static void answers(wui *wk, col *c)
{
    const worker_detail *d = &wk->detail;
    bool days = false;
    for (int i = 0; i < d->n_answers; i++)
        days |= d->answers[i].number && !d->answers[i].scored;
    if (days) {
        section(wk, c, ui_tr(&wk->loc, "wk_days"));
        for (int i = 0; i < d->n_answers; i++)
            if (d->answers[i].number && !d->answers[i].scored)
                answer_row(wk, c, &d->answers[i]);
    }
    for (int i = 0; i < d->n_checks; i++)
        para(wk, c, wui_tr(wk, "wk_answer_check", d->checks[i], NULL, NULL), wk->z.px, UI_BOLD);
    section(wk, c, ui_tr(&wk->loc, "wk_answers"));
    const char *domain = NULL;
    for (int i = 0; i < d->n_answers; i++) {
        const worker_answer *a = &d->answers[i];
        if (a->number && !a->scored)
            continue;
        if (a->domain && (!domain || strcmp(domain, a->domain)))
            para(wk, c, a->domain, wk->z.px, UI_BOLD | UI_MUTED);
        domain = a->domain;
        answer_row(wk, c, a);
    }
}

/* The note being written, over the bottom bar. Returns its top. */
static int note_panel(wui *wk, int bottom)
{
    const wui_size *z = &wk->z;
    int h = note_panel_height(wk), y = bottom - h;
    SDL_Rect box = {0, y, z->w, h + z->gap};
    wui_deco_fill(wk, box, wk->theme->face, false);
    wui_deco_fill(wk, (SDL_Rect){0, y, z->w, 2}, wk->theme->accent, false);
    int lh = ui_draw_line_height(wk->ui->draw, z->px, true);
    const char *label =
        wk->note_referral != WORKER_REFERRAL_NONE
            ? ui_tr(&wk->loc, wk->note_referral == WORKER_REFERRAL_NOT_REFERRED ? "wk_referral_reason"
                                                                                : "wk_referral_outcome_label")
            : wui_tr(wk, wk->note_agree ? "wk_note_label_agree" : "wk_note_label_disagree",
                     wk->detail.flags[wk->note_flag].rule, NULL, NULL);
    wui_text(wk, &wk->top, z->margin, y + z->gap + (z->ctl - lh) / 2, z->w - 2 * z->margin, label,
             z->px, UI_BOLD);
    int yy = y + z->gap * 2 + z->ctl;
    const char *save = ui_tr(&wk->loc, "wk_note_save"), *cancel = ui_tr(&wk->loc, "wk_note_cancel");
    int sw = wui_button_width(wk, save, UI_BOLD), cw = wui_button_width(wk, cancel, 0);
    int fw = z->w - 2 * z->margin - sw - cw - 2 * z->gap;
    wui_field_box(wk, &wk->top, (SDL_Rect){z->margin, yy, fw, z->ctl}, WF_NOTE, wk->note, false,
                  NULL);
    wui_button(wk, &wk->top, z->margin + fw + z->gap, yy, cancel, 0, WA_NOTE_CANCEL, 0);
    wui_button(wk, &wk->top, z->w - z->margin - sw, yy, save, UI_PRIMARY | UI_BOLD, WA_NOTE_SAVE,
               0);
    return y;
}

/* The bottom bar: trend and exports at the left, scrolling at the right. Returns its top. */
static int bottom_bar(wui *wk)
{
    const wui_size *z = &wk->z;
    int y = z->h - z->margin - z->ctl, x = z->margin;
    if (wk->detail.entry->client[0])
        x += wui_button(wk, &wk->top, x, y, ui_tr(&wk->loc, "wk_trend"), UI_BOLD, WA_TREND, 0) +
             2 * z->gap;
    static const export_format order[] = {EXPORT_PDF, EXPORT_FHIR, EXPORT_CSV};
    static const char *const keys[] = {"wk_export_pdf", "wk_export_fhir", "wk_export_csv"};
    for (int i = 0; i < 3; i++)
        x += wui_button(wk, &wk->top, x, y, ui_tr(&wk->loc, keys[i]), 0, WA_EXPORT, (int)order[i]) +
             z->gap;
    return y - z->gap;
}

void wui_detail_build(wui *wk)
{
    const wui_size *z = &wk->z;
    const worker_entry *e = wk->detail.entry;
    char when[32];
    worker_format_time(when, sizeof when, e->completed_at);
    int top =
        wui_top_band(wk,
                     wui_tr(wk, "wk_detail_heading",
                            e->client[0] ? e->client : ui_tr(&wk->loc, "wk_anonymous"), when, NULL),
                     true);
    if (wk->message[0]) /* the export's path or a problem: fixed, whatever the scroll */
        top += wui_text(wk, &wk->top, z->margin, top, z->w - 2 * z->margin, wk->message, z->px,
                        wk->message_alert ? UI_ALERT | UI_BOLD : UI_BOLD) +
               z->gap;
    int bottom = bottom_bar(wk);
    if (wk->note_flag >= 0 || wk->note_referral != WORKER_REFERRAL_NONE)
        bottom = note_panel(wk, bottom);
    wui_set_view(wk, (SDL_Rect){0, top, z->w, bottom - top});
    wk->deco_body = true;
    int cw = z->w - 2 * z->margin;
    col c = {z->margin, top - wk->scroll, cw > z->px * 60 ? z->px * 60 : cw};
    summary(wk, &c);
    flags(wk, &c);
    area_chart(wk, &c);
    scores(wk, &c);
    answers(wk, &c);
    wk->deco_body = false;
    wk->content_h = c.y + wk->scroll - top + z->gap;
    wui_scroll_buttons(wk, z->h - z->margin - z->ctl);
    if (wk->scroll > 0 &&
        wk->scroll + wk->view.h > wk->content_h + z->gap) { /* shorter now: clamp */
        wk->scroll = wk->content_h > wk->view.h ? wk->content_h - wk->view.h : 0;
        wk->relayout = true;
    }
}
