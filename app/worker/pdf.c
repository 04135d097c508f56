/* pdf.c — the printable one-page report: one A4 page per assessment, drawn by one function onto
 * a cairo PDF surface (export_pdf) or a PNG surface of the same size (export_report_png, for
 * tests and previews). Text uses the bundled Noto Sans through FreeType (cairo-ft), so Finnish
 * letters look the same on every machine.
 *
 * Page, top to bottom: heading (questionnaire, client, date), the flag level as colour + icon +
 * word, each flag with its reason and evidence, a bar chart of the whole-instrument and domain /
 * area scores (0 to the score's maximum), the days questions, earlier assessments of the client
 * (change since each previous one), and every answer in words in two columns. */
#include "export.h"
#include "pdf_fonts.h"
#include "flags.h"
#include "worker_detail.h"
#include "worker_int.h"
#include "worker_note.h"
#include "wrap.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 42.0
#define PI 3.14159265358979323846

/* ---- fonts ---------------------------------------------------------------------------------- */


/* One FreeType library for the process: cairo may hold a face in its caches after we let go of
 * it, so the library the face belongs to is never released. */
static FT_Library ft_library;
static int ft_status = -1;
static pthread_once_t ft_once = PTHREAD_ONCE_INIT;

static void ft_start(void)
{
    ft_status = FT_Init_FreeType(&ft_library) == 0 ? 0 : -1;
}

static const cairo_user_data_key_t face_key;

static void done_face(void *face)
{
    FT_Done_Face((FT_Face)face);
}

static cairo_font_face_t *load_face(FT_Library ft, const char *dir, const char *file, FT_Face *out,
                                    its_err *err)
{
    char path[1200];
    if (its_path(path, sizeof path, err, "%s/assets/fonts/%s", dir, file) != 0)
        return NULL;
    FT_Face face;
    if (FT_New_Face(ft, path, 0, &face) != 0) {
        its_fail(err, "The report font %s could not be loaded.", path);
        return NULL;
    }
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(face, 0);
    /* The FreeType face lives as long as cairo's font face. */
    if (cairo_font_face_set_user_data(cf, &face_key, face, done_face) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(cf);
        done_face(face);
        its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory for the report font.");
        return NULL;
    }
    if (out)
        *out = face;
    return cf;
}

void pdf_fonts_free(fonts *f)
{
    cairo_font_face_destroy(f->regular);
    cairo_font_face_destroy(f->bold);
    memset(f, 0, sizeof *f);
}

int pdf_fonts_load(fonts *f, const char *dir, its_err *err)
{
    memset(f, 0, sizeof *f);
    pthread_once(&ft_once, ft_start);
    if (ft_status != 0)
        return its_fail(err, "FreeType could not be started.");
    if (!(f->regular = load_face(ft_library, dir, "NotoSans-Regular.ttf", &f->regular_ft, err)) ||
        !(f->bold = load_face(ft_library, dir, "NotoSans-Bold.ttf", NULL, err))) {
        pdf_fonts_free(f);
        return -1;
    }
    return 0;
}

static int fonts_load(fonts *f, const worker_session *ws, its_err *err)
{
    return pdf_fonts_load(f, worker_session_data_dir(ws), err);
}

/* ---- text --------------------------------------------------------------------------------- */

typedef struct page {
    cairo_t *cr;
    const fonts *f;
    const worker_session *ws;
    worker_consent consent; /* the record's research consent, read once in draw_page */
    char withdrawn[11];     /* and the day it was withdrawn */
} page;

static void font(page *p, bool bold, double size)
{
    cairo_set_font_face(p->cr, bold ? p->f->bold : p->f->regular);
    cairo_set_font_size(p->cr, size);
}

/* Characters the bundled font lacks, drawn as plain ones instead of an empty box. */
static const struct {
    unsigned cp;
    const char *plain;
} fallbacks[] = {{0x2265, ">="}, {0x2264, "<="},  {0x2192, "->"}, {0x2190, "<-"},
                 {0x2212, "-"},  {0x2026, "..."}, {0x2022, "*"}};

/* s with every character the font has not got replaced (from `fallbacks`, else "?"). */
static void printable(const page *p, const char *s, char *out, size_t n)
{
    size_t k = 0;
    while (*s && k + 4 < n) {
        const unsigned char *u = (const unsigned char *)s;
        int len = u[0] < 0x80 ? 1 : (u[0] & 0xE0) == 0xC0 ? 2 : (u[0] & 0xF0) == 0xE0 ? 3 : 4;
        unsigned cp = len == 1   ? u[0]
                      : len == 2 ? u[0] & 0x1F
                      : len == 3 ? u[0] & 0x0F
                                 : u[0] & 0x07;
        for (int i = 1; i < len; i++)
            cp = (cp << 6) | (u[i] & 0x3F);
        if (len == 1 || FT_Get_Char_Index(p->f->regular_ft, cp) != 0) {
            memcpy(out + k, s, (size_t)len);
            k += (size_t)len;
        } else {
            const char *plain = "?";
            for (size_t f = 0; f < sizeof fallbacks / sizeof fallbacks[0]; f++)
                if (fallbacks[f].cp == cp)
                    plain = fallbacks[f].plain;
            size_t pl = strlen(plain);
            if (k + pl + 1 >= n)
                break;
            memcpy(out + k, plain, pl);
            k += pl;
        }
        for (int i = 0; i < len && *s; i++)
            s++;
    }
    out[k] = '\0';
}

static double width_of(page *p, const char *s)
{
    char clean[1200];
    printable(p, s, clean, sizeof clean);
    cairo_text_extents_t ex;
    cairo_text_extents(p->cr, clean, &ex);
    return ex.x_advance;
}

static void gray(page *p, double g)
{
    cairo_set_source_rgb(p->cr, g, g, g);
}

static void text_at(page *p, double x, double y, const char *s)
{
    char clean[1200];
    printable(p, s, clean, sizeof clean);
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, clean);
}

/* The report's measure for the one wrapping rule (wrap.h): width in 1/100 points. */
static int measure(void *ctx, const char *s, size_t len)
{
    char piece[1200];
    if (len >= sizeof piece)
        len = sizeof piece - 1;
    memcpy(piece, s, len);
    piece[len] = '\0';
    return (int)lround(width_of(ctx, piece) * 100);
}

/* s cut to fit `w` points, with "…" when cut (never inside a UTF-8 sequence). */
static void fit(page *p, const char *s, double w, char *out, size_t n)
{
    wrap_fit(s, strlen(s), (int)(w * 100), measure, p, out, n);
}

/* Word-wraps s into `w` points from baseline y; at most max_lines (the last one holds what is
 * left, cut with "…"). Returns the baseline after the last line. */
static double wrap(page *p, double x, double y, double w, double lead, int max_lines, const char *s)
{
    wrap_line lines[32];
    int max = max_lines < 32 ? max_lines : 32;
    int n = wrap_lines(s, (int)(w * 100), 0, measure, p, lines, max);
    for (int i = 0; i < n && i < max; i++) {
        char line[1024];
        size_t len = i == max - 1 && n > max ? strlen(s + lines[i].start) : lines[i].len;
        wrap_fit(s + lines[i].start, len, (int)(w * 100), measure, p, line, sizeof line);
        text_at(p, x, y, line);
        y += lead;
    }
    return y;
}

/* ---- pieces of the page ---------------------------------------------------------------------- */

/* A score as everywhere else: "65,8/100", "79/128 (62 %)" (words_score). */
static void score_words(const page *p, double value, double max, char *dst, size_t n)
{
    words_score(worker_session_words(p->ws), worker_session_lang_code(p->ws), dst, n, value, max,
                WORDS_SCORE_PERCENT);
}

static void level_colour(page *p, qn_level level)
{
    if (level == QN_LEVEL_RED)
        cairo_set_source_rgb(p->cr, 0.75, 0.08, 0.10);
    else if (level == QN_LEVEL_YELLOW)
        cairo_set_source_rgb(p->cr, 0.93, 0.68, 0.05);
    else
        cairo_set_source_rgb(p->cr, 0.18, 0.52, 0.30);
}

/* The level's icon in a size x size box at (x, y) top-left: red a circle with "!", yellow a
 * triangle with "!", none a circle with a tick; so it reads without colour too. */
static void level_icon(page *p, double x, double y, double size, qn_level level)
{
    cairo_t *cr = p->cr;
    double cx = x + size / 2, cy = y + size / 2;
    level_colour(p, level);
    if (level == QN_LEVEL_YELLOW) {
        cairo_move_to(cr, cx, y);
        cairo_line_to(cr, x + size, y + size);
        cairo_line_to(cr, x, y + size);
        cairo_close_path(cr);
    } else {
        cairo_arc(cr, cx, cy, size / 2, 0, 2 * PI);
    }
    cairo_fill(cr);
    cairo_set_source_rgb(cr, level == QN_LEVEL_YELLOW ? 0.1 : 1, level == QN_LEVEL_YELLOW ? 0.1 : 1,
                         level == QN_LEVEL_YELLOW ? 0.1 : 1);
    cairo_set_line_width(cr, size * 0.13);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    if (level == QN_LEVEL_NONE) {
        cairo_move_to(cr, x + size * 0.27, cy + size * 0.02);
        cairo_line_to(cr, x + size * 0.44, y + size * 0.70);
        cairo_line_to(cr, x + size * 0.74, y + size * 0.32);
    } else {
        double top = level == QN_LEVEL_YELLOW ? y + size * 0.36 : y + size * 0.22;
        cairo_move_to(cr, cx, top);
        cairo_line_to(cr, cx, y + size * (level == QN_LEVEL_YELLOW ? 0.68 : 0.58));
        cairo_stroke(cr);
        cairo_arc(cr, cx, y + size * (level == QN_LEVEL_YELLOW ? 0.84 : 0.77), size * 0.07, 0,
                  2 * PI);
        cairo_fill(cr);
    }
    cairo_stroke(cr);
}

static void rule(page *p, double y)
{
    gray(p, 0.75);
    cairo_set_line_width(p->cr, 0.6);
    cairo_move_to(p->cr, MARGIN, y);
    cairo_line_to(p->cr, PAGE_W - MARGIN, y);
    cairo_stroke(p->cr);
}

static double section(page *p, double y, const char *title)
{
    y += 8;
    font(p, true, 11);
    gray(p, 0.1);
    text_at(p, MARGIN, y, title);
    return y + 15;
}

static double heading(page *p, const worker_detail *d, double y)
{
    char when[32], line[400];
    worker_format_time(when, sizeof when, d->entry->completed_at);
    font(p, false, 9);
    gray(p, 0.35);
    text_at(p, MARGIN, y, worker_word(p->ws, "pdf_title"));
    double title_w = PAGE_W - 2 * MARGIN - 166, size = 16; /* beside the level box */
    font(p, true, size);
    while (size > 11.5 && width_of(p, d->title) > title_w)
        font(p, true, size -= 0.5); /* a long title gets smaller before it is cut */
    gray(p, 0.05);
    fit(p, d->title, title_w, line, sizeof line);
    text_at(p, MARGIN, y + 20, line);
    font(p, false, 10.5);
    gray(p, 0.15);
    snprintf(line, sizeof line, "%s %s   \u00b7   %s %s", worker_word(p->ws, "pdf_client"),
             d->entry->client[0] ? d->entry->client : "\u2013", worker_word(p->ws, "pdf_completed"), when);
    text_at(p, MARGIN, y + 37, line);
    /* research consent (with the day of a withdrawal) and an interview, under the client */
    const words_catalogue *w = worker_session_words(p->ws);
    const char *lang = worker_session_lang_code(p->ws);
    char state[64], assisted[200] = "";
    words_format(w, lang, state, sizeof state, worker_consent_key(p->consent), p->withdrawn,
                 (const char *)NULL);
    if (d->assisted_by)
        words_format(w, lang, assisted, sizeof assisted, "pdf_assisted", d->assisted_by,
                     (const char *)NULL);
    char consent[300];
    words_format(w, lang, consent, sizeof consent, "pdf_consent", state, (const char *)NULL);
    its_strlcpy(line, consent, sizeof line);
    if (assisted[0])
        its_appendf(line, sizeof line, "   \u00b7   %s", assisted);
    font(p, false, 9);
    text_at(p, MARGIN, y + 51, line);

    /* The level: a band in its colour with the icon and the word. */
    double bx = PAGE_W - MARGIN - 150, by = y + 4;
    level_colour(p, d->level);
    cairo_rectangle(p->cr, bx, by, 150, 34);
    cairo_set_line_width(p->cr, 1.5);
    cairo_stroke(p->cr);
    level_icon(p, bx + 8, by + 7, 20, d->level);
    font(p, true, 12);
    gray(p, 0.05);
    snprintf(line, sizeof line, "%s: %s", worker_word(p->ws, "pdf_level"),
             worker_level_word(p->ws, d->level));
    text_at(p, bx + 36, by + 22, line);
    rule(p, y + 57);
    return y + 61;
}

static double flags_part(page *p, const worker_detail *d, double y)
{
    y = section(p, y, worker_word(p->ws, "pdf_flags"));
    if (!d->n_flags) {
        font(p, false, 9.5);
        gray(p, 0.2);
        text_at(p, MARGIN, y, worker_word(p->ws, "pdf_no_flags"));
        return y + 8;
    }
    double w = PAGE_W - 2 * MARGIN - 34;
    int max_lines = d->n_flags > 4 ? 1 : 2; /* many flags: one line of evidence each */
    for (int i = 0; i < d->n_flags && y < 330; i++) {
        const worker_flag *f = &d->flags[i];
        level_icon(p, MARGIN, y - 9, 11, f->level);
        font(p, true, 9.5);
        gray(p, 0.05);
        text_at(p, MARGIN + 16, y, f->rule);
        font(p, false, 9.5);
        y = wrap(p, MARGIN + 34, y, w, 11.5, 2, f->reason);
        font(p, false, 8);
        gray(p, 0.35);
        if (f->detail[0])
            y = wrap(p, MARGIN + 34, y, w, 10, max_lines, f->detail);
        y += 3;
    }
    return y;
}

/* Horizontal bars: each score from 0 to its maximum; the value as words at the right. */
static double chart_part(page *p, const worker_detail *d, double y)
{
    y = section(p, y, worker_word(p->ws, "pdf_scores"));
    const double label_w = 210, bar_x = MARGIN + label_w + 6, bar_w = 160, row = 15;
    int n = 0;
    bool better = false;
    char imputed[300] = ""; /* the imputed items of all scores, once each */
    for (int i = 0; i < d->n_scores; i++) {
        n++, better |= d->scores[i].higher_is_better;
        for (const char *q = d->scores[i].imputed; *q;) {
            size_t len = strcspn(q, ", ");
            char id[40];
            snprintf(id, sizeof id, "%.*s", (int)(len < 39 ? len : 39), q);
            if (len && !strstr(imputed, id))
                its_appendf(imputed, sizeof imputed, "%s%s", imputed[0] ? ", " : "", id);
            q += len;
            q += strspn(q, ", ");
        }
    }
    /* Grid lines at 0, 25, 50, 75, 100 % of the range. */
    cairo_set_line_width(p->cr, 0.4);
    for (int g = 0; g <= 4; g++) {
        gray(p, g == 0 ? 0.4 : 0.85);
        cairo_move_to(p->cr, bar_x + bar_w * g / 4, y - 9);
        cairo_line_to(p->cr, bar_x + bar_w * g / 4, y - 9 + n * row);
        cairo_stroke(p->cr);
    }
    for (int i = 0; i < d->n_scores; i++) {
        const worker_score *s = &d->scores[i];
        char label[300], value[64];
        bool whole = s->domain == NULL;
        font(p, whole, 8.5);
        gray(p, 0.1);
        fit(p, s->label, label_w, label, sizeof label);
        text_at(p, MARGIN, y, label);
        if (s->ok) {
            double frac = s->max > 0 ? s->value / s->max : 0;
            frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
            if (whole)
                cairo_set_source_rgb(p->cr, 0.16, 0.29, 0.48);
            else
                cairo_set_source_rgb(p->cr, 0.45, 0.58, 0.75);
            cairo_rectangle(p->cr, bar_x, y - 8.5, fmax(bar_w * frac, 1.2), 10);
            cairo_fill(p->cr);
            worker_score_words(p->ws, s, value, sizeof value);
            if (s->imputed[0])
                its_appendf(value, sizeof value, " *");

        } else {
            its_strlcpy(value, worker_word(p->ws, "pdf_not_scored"), sizeof value);
        }
        font(p, whole, 8.5);
        gray(p, 0.1);
        fit(p, value, PAGE_W - MARGIN - (bar_x + bar_w + 6), label, sizeof label);
        text_at(p, bar_x + bar_w + 6, y, label);
        if (s->ok && s->band) { /* the band: icon and word after the value, colour never alone */
            double x = bar_x + bar_w + 6 + width_of(p, label) + 5;
            if (s->band_level != QN_LEVEL_NONE)
                level_icon(p, x, y - 8, 9, s->band_level);
            font(p, false, 8);
            gray(p, 0.1); /* the icon left its own colour set */
            fit(p, s->band, PAGE_W - MARGIN - (x + 12), label, sizeof label);
            text_at(p, x + 12, y, label);
        }
        y += row;
    }
    font(p, false, 7.5);
    gray(p, 0.35);
    text_at(p, bar_x, y, "0");
    const char *max = worker_word(p->ws, "pdf_max");
    text_at(p, bar_x + bar_w - width_of(p, max), y, max);
    text_at(p, MARGIN, y, worker_word(p->ws, better ? "pdf_higher_better" : "pdf_higher_worse"));
    if (imputed[0]) {
        char note[400];
        snprintf(note, sizeof note, "* %s: %s", worker_word(p->ws, "pdf_imputed"), imputed);
        y += 10;
        text_at(p, MARGIN, y, note);
    }
    return y + 6;
}

static double days_part(page *p, const worker_detail *d, double y)
{
    char line[600] = "";
    for (int i = 0; i < d->n_answers; i++) {
        const worker_answer *a = &d->answers[i];
        if (a->number && !a->scored)
            its_appendf(line, sizeof line, "%s%s: %s", line[0] ? "   \u00b7   " : "", a->short_text,
                        a->words);
    }
    if (!line[0])
        return y;
    y = section(p, y, worker_word(p->ws, "pdf_days"));
    font(p, false, 9);
    gray(p, 0.1);
    y = wrap(p, MARGIN, y, PAGE_W - 2 * MARGIN, 11, 2, line);
    font(p, true, 9);
    for (int i = 0; i < d->n_checks; i++) { /* the client was warned and went on */
        char check[300];
        snprintf(check, sizeof check, "%s: %s", worker_word(p->ws, "pdf_check"), d->checks[i]);
        y = wrap(p, MARGIN, y, PAGE_W - 2 * MARGIN, 11, 2, check);
    }
    return y - 4;
}

/* This assessment and up to five earlier ones of the client with this questionnaire, newest
 * first: date, total, change since the one before, level, flags (new ones marked "+"). */
static double earlier_part(page *p, worker_session *ws, const worker_detail *d, double y)
{
    y = section(p, y, worker_word(p->ws, "pdf_earlier"));
    int chain[7], n = 0;
    chain[n++] = worker_find(ws, d->entry->id);
    while (n < 7 && (chain[n] = worker_trend_previous(ws, chain[n - 1])) >= 0)
        n++;
    font(p, false, 8.5);
    gray(p, 0.15);
    if (n == 1) {
        text_at(p, MARGIN, y, worker_word(p->ws, "pdf_first"));
        return y + 6;
    }
    const double col[] = {MARGIN, MARGIN + 80, MARGIN + 150, MARGIN + 210, MARGIN + 300};
    static const char *const heads[] = {"pdf_col_date", "pdf_col_total", "pdf_col_change",
                                        "pdf_col_level", "pdf_col_flags"};
    font(p, true, 7.5);
    gray(p, 0.35);
    for (int c = 0; c < 5; c++)
        text_at(p, col[c], y, worker_word(p->ws, heads[c]));
    y += 11;
    for (int k = 0; k < n && k < 6; k++) {
        const worker_entry *e = worker_entry_at(ws, chain[k]);
        const worker_entry *older = k + 1 < n ? worker_entry_at(ws, chain[k + 1]) : NULL;
        char when[32], total[40] = "\u2013", change[32] = "", flags[120],
                       fresh[WORKER_FLAGS_MAX] = "";
        worker_format_time(when, sizeof when, e->completed_at);
        when[10] = '\0';
        if (e->has_headline)
            score_words(p, e->headline, e->headline_max, total, sizeof total);
        if (older && e->has_headline && older->has_headline) {
            worker_format_change(ws, change, sizeof change, e->headline - older->headline);
        }
        if (older)
            worker_words_not_in(e->flags, older->flags, fresh, sizeof fresh);
        snprintf(flags, sizeof flags, "%s", e->flags[0] ? e->flags : "\u2013");
        if (fresh[0])
            its_appendf(flags, sizeof flags, "   (+ %s)", fresh);
        font(p, k == 0, 8.5);
        gray(p, 0.1);
        text_at(p, col[0], y, when);
        text_at(p, col[1], y, total);
        text_at(p, col[2], y, change);
        level_icon(p, col[3], y - 8, 9, e->level);
        font(p, k == 0, 8.5);
        gray(p, 0.1);
        text_at(p, col[3] + 13, y, worker_level_word(ws, e->level));
        text_at(p, col[4], y, flags);
        y += 11.5;
    }
    return y - 5;
}

/* Every asked question and its answer in words, in two columns, down to the footer. */
static void answers_part(page *p, const worker_detail *d, double y)
{
    y = section(p, y, worker_word(p->ws, "pdf_answers"));
    const double col_w = (PAGE_W - 2 * MARGIN - 14) / 2, row = 10.2, bottom = PAGE_H - MARGIN - 16;
    int rows_per_col = (int)((bottom - y) / row), shown = 0, total = 0;
    for (int i = 0; i < d->n_answers; i++)
        total += d->answers[i].kind != WORKER_ANS_SKIPPED &&
                 !(d->answers[i].number && !d->answers[i].scored);
    for (int i = 0; i < d->n_answers; i++) {
        const worker_answer *a = &d->answers[i];
        if (a->kind == WORKER_ANS_SKIPPED || (a->number && !a->scored))
            continue;
        int col = shown / rows_per_col;
        if (col > 1 || (col == 1 && shown == 2 * rows_per_col - 1 && total > 2 * rows_per_col)) {
            char more[160];
            font(p, false, 7.5);
            gray(p, 0.35);
            char count[16];
            snprintf(count, sizeof count, "%d", total - shown);
            words_format(worker_session_words(p->ws), worker_session_lang_code(p->ws), more, sizeof more,
                         "pdf_more", count, (const char *)NULL);
            text_at(p, MARGIN + col_w + 14, y + (rows_per_col - 1) * row, more);
            break;
        }
        double x = MARGIN + col * (col_w + 14), yy = y + (shown % rows_per_col) * row;
        char q[300], ans[320], said[300];
        font(p, false, 7.5);
        gray(p, 0.3);
        fit(p, a->short_text && *a->short_text ? a->short_text : a->id, col_w * 0.5, q, sizeof q);
        text_at(p, x, yy, q);
        /* "Paljon vaikeuksia (3)" as "3  Paljon vaikeuksia": the value stays when the words are
         * cut. */
        its_strlcpy(said, a->words, sizeof said);
        char *paren = strrchr(said, '(');
        bool single = a->kind == WORKER_ANS_VALUE && !a->number && paren && paren > said;
        if (single) {
            paren[-1] = '\0';
            char value[16];
            snprintf(value, sizeof value, "%d", a->value);
            if (strcmp(said, value)) /* a 0-10 row's labels are the numbers themselves */
                snprintf(ans, sizeof ans, "%d  %s", a->value, said);
            else
                its_strlcpy(ans, value, sizeof ans);
            its_strlcpy(said, ans, sizeof said);
        }
        /* Bold: the answers a flag names as its evidence. */
        bool strong = false;
        for (int f = 0; f < d->n_flags && !strong && a->short_text && *a->short_text; f++) {
            char quoted[300];
            snprintf(quoted, sizeof quoted, "'%s'", a->short_text);
            strong = strstr(d->flags[f].detail, quoted) != NULL;
        }
        font(p, strong, 7.5);
        gray(p, a->kind == WORKER_ANS_VALUE ? 0.05 : 0.4);
        fit(p, said, col_w * 0.5 - 4, ans, sizeof ans);
        text_at(p, x + col_w * 0.5 + 4, yy, ans);
        shown++;
    }
}

static void footer(page *p, const worker_detail *d)
{
    char line[300], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M", &tm);
    rule(p, PAGE_H - MARGIN - 10);
    font(p, false, 7);
    gray(p, 0.4);
    snprintf(line, sizeof line, "%s   \u00b7   %s %s   \u00b7   %s   \u00b7   %s",
             worker_word(p->ws, "pdf_confidential"), d->entry->qid, d->entry->qversion, d->entry->id, stamp);
    text_at(p, MARGIN, PAGE_H - MARGIN, line);
}

/* Draws the page of one assessment onto cr (in points, A4). */
static void draw_page(cairo_t *cr, const fonts *f, worker_session *ws, const worker_detail *d)
{
    page p = {cr, f, ws, WORKER_CONSENT_NOT_ASKED, ""};
    its_err why; /* unreadable notes: the consent shows as not asked, as on a record without one */
    if (worker_consent_read(ws, d->entry->id, d->research, &p.consent, p.withdrawn, &why) != 0)
        p.consent = WORKER_CONSENT_NOT_ASKED;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double y = heading(&p, d, MARGIN + 8);
    y = flags_part(&p, d, y);
    y = chart_part(&p, d, y + 2);
    y = days_part(&p, d, y + 2);
    y = earlier_part(&p, ws, d, y + 2);
    answers_part(&p, d, y + 4);
    footer(&p, d);
}

/* ---- surfaces ------------------------------------------------------------------------------- */

cairo_status_t pdf_to_stream(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, (FILE *)closure) == length ? CAIRO_STATUS_SUCCESS
                                                              : CAIRO_STATUS_WRITE_ERROR;
}

int export_pdf(worker_session *ws, const int *rows, int n, FILE *out, int *skipped, its_err *err)
{
    fonts f;
    if (fonts_load(&f, ws, err) != 0)
        return -1;
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(pdf_to_stream, out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, worker_word(ws, "pdf_title"));
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Itsearvio");
    cairo_t *cr = cairo_create(surface);
    int pages = 0;
    for (int r = 0; r < n; r++) {
        worker_detail d;
        its_err why;
        if (worker_detail_load(ws, rows[r], &d, &why) != 0) {
            (*skipped)++;
            continue;
        }
        draw_page(cr, &f, ws, &d);
        cairo_show_page(cr);
        pages++;
        worker_detail_free(&d);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    pdf_fonts_free(&f);
    if (st != CAIRO_STATUS_SUCCESS)
        return its_fail(err, "The PDF could not be written: %s.", cairo_status_to_string(st));
    if (!pages)
        return its_fail(err, "No assessment could be opened for the report.");
    return 0;
}

typedef struct png_job {
    worker_session *ws;
    int row;
    double scale;
} png_job;

static int write_png(FILE *out, void *ctx, its_err *err)
{
    png_job *j = ctx;
    worker_detail d;
    if (worker_detail_load(j->ws, j->row, &d, err) != 0)
        return -1;
    fonts f;
    if (fonts_load(&f, j->ws, err) != 0) {
        worker_detail_free(&d);
        return -1;
    }
    cairo_surface_t *surface = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, (int)ceil(PAGE_W * j->scale), (int)ceil(PAGE_H * j->scale));
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, j->scale, j->scale);
    draw_page(cr, &f, j->ws, &d);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png_stream(surface, pdf_to_stream, out);
    cairo_surface_destroy(surface);
    pdf_fonts_free(&f);
    worker_detail_free(&d);
    return st == CAIRO_STATUS_SUCCESS
               ? 0
               : its_fail(err, "The PNG could not be written: %s.", cairo_status_to_string(st));
}

int export_report_png(worker_session *ws, int row, double scale, const char *path, its_err *err)
{
    png_job j = {ws, row, scale > 0 ? scale : 1.0};
    return export_write_file(path, write_png, &j, err);
}
