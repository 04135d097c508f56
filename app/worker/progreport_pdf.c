/* progreport_pdf.c — the programme report as one A4 page with charts (progreport.h), drawn by
 * one function onto a cairo PDF surface or a PNG surface of the same size.
 *
 * Top to bottom: title, period and how many summaries; assessments per month (bars stacked by
 * level); level by questionnaire and by site, change from first to latest assessment, and
 * referral follow-through as 100 % bars; flag rates per rule. Every count shown is a published
 * cell of the CSV: a hidden cell is a grey hatched part labelled "<5" (too small) or "*" (hidden
 * to protect another), never a number; the legend under the title says which is which. Words
 * come from the caller's locale (keys "pdf_pr_…"). */
#include "export.h"
#include "pdf_fonts.h"
#include "progreport_int.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 40.0

typedef struct pg {
    cairo_t *cr;
    const fonts *f;
    const progreport *r;
    progreport_word_fn word;
} pg;

static void pg_font(pg *p, bool bold, double size)
{
    cairo_set_font_face(p->cr, bold ? p->f->bold : p->f->regular);
    cairo_set_font_size(p->cr, size);
}

static void pg_text(pg *p, double x, double y, const char *s)
{
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, s);
}

static double pg_width(pg *p, const char *s)
{
    cairo_text_extents_t ex;
    cairo_text_extents(p->cr, s, &ex);
    return ex.x_advance;
}

static const char *pg_word(pg *p, const char *prefix, const char *id)
{
    char key[128];
    snprintf(key, sizeof key, "%s%s", prefix, id);
    return p->word(key);
}

/* Colours of the columns: levels as everywhere (red, yellow, green), the rest in a calm scale. */
static void pg_colour(pg *p, const char *col)
{
    static const struct {
        const char *id;
        double r, g, b;
    } c[] = {{"red", 0.75, 0.08, 0.10},
             {"yellow", 0.93, 0.68, 0.05},
             {"none", 0.18, 0.52, 0.30},
             {"better", 0.18, 0.52, 0.30},
             {"same", 0.55, 0.60, 0.65},
             {"worse", 0.75, 0.08, 0.10},
             {"referred_outcome", 0.10, 0.35, 0.60},
             {"referred", 0.35, 0.60, 0.85},
             {"not_referred", 0.60, 0.55, 0.75},
             {"no_decision", 0.85, 0.85, 0.85},
             {"fired", 0.20, 0.40, 0.70},
             {"1", 0.35, 0.60, 0.85},
             {"2", 0.20, 0.40, 0.70},
             {"3+", 0.10, 0.25, 0.50}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        if (!strcmp(c[i].id, col)) {
            cairo_set_source_rgb(p->cr, c[i].r, c[i].g, c[i].b);
            return;
        }
    cairo_set_source_rgb(p->cr, 0.5, 0.5, 0.5);
}

/* A hidden part: light grey with diagonal lines, so it reads as "not shown" in black and white. */
static void pg_hatch(pg *p, double x, double y, double w, double h)
{
    cairo_t *cr = p->cr;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip_preserve(cr);
    cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.65, 0.65, 0.65);
    cairo_set_line_width(cr, 0.5);
    for (double d = -h; d < w; d += 4) {
        cairo_move_to(cr, x + d, y + h);
        cairo_line_to(cr, x + d + h, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

static double pg_section(pg *p, double y, const char *key)
{
    pg_font(p, true, 10.5);
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    pg_text(p, MARGIN, y + 10, p->word(key));
    return y + 16;
}

/* One row as a 100 % bar: published parts in their colours with their counts, the hidden parts
 * together as one hatched part (their sum is the row total minus the published parts, which is
 * itself published only when the total is). */
static void pg_bar_row(pg *p, const pr_table *t, int i, double x, double y, double w, double h)
{
    const progreport *r = p->r;
    long total = 0, shown = 0;
    bool all_small = true; /* the hidden parts' mark: "<5" only when each of them is */
    for (int j = 0; j < t->n_cols; j++) {
        int c = t->cell[i * t->n_cols + j];
        total += r->value[c];
        all_small &= !r->hidden[c] || r->small[c];
    }
    char num[24];
    pg_font(p, false, 7);
    if (total == 0)
        return;
    if (!t->row_total ||
        r->hidden[t->row_total[i]]) { /* no published total: widths would tell it */
        pg_hatch(p, x, y, w, h);
        return;
    }
    double at = x;
    for (int j = 0; j < t->n_cols; j++) {
        int c = t->cell[i * t->n_cols + j];
        if (r->hidden[c] || r->value[c] == 0)
            continue;
        double bw = w * (double)r->value[c] / (double)total;
        pg_colour(p, t->cols[j]);
        cairo_rectangle(p->cr, at, y, bw, h);
        cairo_fill(p->cr);
        pr_count_text(r, c, num, sizeof num);
        if (pg_width(p, num) + 3 < bw) {
            cairo_set_source_rgb(p->cr, 1, 1, 1);
            if (!strcmp(t->cols[j], "yellow") || !strcmp(t->cols[j], "no_decision") ||
                !strcmp(t->cols[j], "same"))
                cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
            pg_text(p, at + 2, y + h - 3, num);
        }
        at += bw;
        shown += r->value[c];
    }
    if (shown < total) {
        pg_hatch(p, at, y, x + w - at, h);
        cairo_set_source_rgb(p->cr, 0.25, 0.25, 0.25);
        pr_mark(r, all_small, num, sizeof num);
        if (pg_width(p, num) + 3 < x + w - at)
            pg_text(p, at + 2, y + h - 3, num);
    }
}

/* A legend line of the table's columns. */
static double pg_legend(pg *p, const pr_table *t, double y)
{
    double x = MARGIN + 120;
    pg_font(p, false, 7.5);
    for (int j = 0; j < t->n_cols; j++) {
        const char *w = pg_word(p, "pdf_pr_c_", t->cols[j]);
        pg_colour(p, t->cols[j]);
        cairo_rectangle(p->cr, x, y + 2, 8, 8);
        cairo_fill(p->cr);
        cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
        pg_text(p, x + 11, y + 9.5, w);
        x += 11 + pg_width(p, w) + 12;
    }
    pg_hatch(p, x, y + 2, 8, 8);
    cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
    pg_text(p, x + 11, y + 9.5, p->word("pdf_pr_hidden"));
    return y + 14;
}

/* What "<5" and "*" mean, in one line under the title. */
static void pg_marks_legend(pg *p, double y)
{
    char line[512], small[24], guard[24];
    pr_mark(p->r, true, small, sizeof small);
    pr_mark(p->r, false, guard, sizeof guard);
    snprintf(line, sizeof line, "%s = %s  ·  %s = %s", small, p->word("pdf_pr_mark_small"), guard,
             p->word("pdf_pr_mark_guard"));
    pg_font(p, false, 7.5);
    cairo_set_source_rgb(p->cr, 0.25, 0.25, 0.25);
    pg_text(p, MARGIN, y, line);
}

/* A table as labelled 100 % bars, at most max_rows rows; returns the y below it. */
static double pg_bars(pg *p, const char *id, const char *title, double y, int max_rows)
{
    const pr_table *t = pr_table_get(p->r, id);
    y = pg_section(p, y, title);
    if (!t || t->n_rows == 0) {
        pg_font(p, false, 8);
        pg_text(p, MARGIN, y + 9, p->word("pdf_pr_none"));
        return y + 16;
    }
    y = pg_legend(p, t, y);
    char label[PR_LABEL + 32], num[24];
    for (int i = 0; i < t->n_rows && i < max_rows; i++) {
        pg_font(p, false, 7.5);
        cairo_set_source_rgb(p->cr, 0.15, 0.15, 0.15);
        its_strlcpy(label, t->rows[i], sizeof label);
        if (!strcmp(id, "referral"))
            its_strlcpy(label, pg_word(p, "pdf_pr_c_", t->rows[i]), sizeof label);
        while (strlen(label) > 4 && pg_width(p, label) > 112)
            label[strlen(label) - 4] = '\0';
        pg_text(p, MARGIN, y + 8.5, label);
        if (t->row_total) {
            pr_count_text(p->r, t->row_total[i], num, sizeof num);
            pg_text(p, PAGE_W - MARGIN - pg_width(p, num), y + 8.5, num);
        }
        pg_bar_row(p, t, i, MARGIN + 120, y, PAGE_W - 2 * MARGIN - 150, 11);
        y += 13.5;
    }
    return y + 4;
}

/* Assessments per month: one column per month, stacked by level, hidden parts hatched. */
static double pg_months(pg *p, double y)
{
    const pr_table *t = pr_table_get(p->r, "by_month");
    y = pg_section(p, y, "pdf_pr_t_by_month");
    if (!t || t->n_rows == 0)
        return y + 10;
    y = pg_legend(p, t, y);
    const progreport *r = p->r;
    long top = 1;
    for (int i = 0; i < t->n_rows; i++) {
        long sum = 0;
        for (int j = 0; j < t->n_cols; j++)
            sum += r->value[t->cell[i * t->n_cols + j]];
        top = sum > top ? sum : top;
    }
    double h = 110, x0 = MARGIN + 20, w = (PAGE_W - MARGIN - x0) / t->n_rows, base = y + h + 8;
    char num[24];
    for (int i = 0; i < t->n_rows; i++) {
        double at = base, x = x0 + i * w + w * 0.15, bw = w * 0.7;
        long hidden = 0;
        for (int j = t->n_cols - 1; j >= 0; j--) {
            int c = t->cell[i * t->n_cols + j];
            if (r->hidden[c]) {
                hidden += r->value[c];
                continue;
            }
            double bh = h * (double)r->value[c] / (double)top;
            pg_colour(p, t->cols[j]);
            cairo_rectangle(p->cr, x, at - bh, bw, bh);
            cairo_fill(p->cr);
            at -= bh;
        }
        if (hidden) { /* its height tells the hidden sum: true only when the total is published */
            double bh = r->hidden[t->row_total[i]] ? 8 : h * (double)hidden / (double)top;
            pg_hatch(p, x, at - bh, bw, bh);
            at -= bh;
        }
        pg_font(p, false, 6.5);
        cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
        pr_count_text(r, t->row_total[i], num, sizeof num);
        pg_text(p, x + bw / 2 - pg_width(p, num) / 2, at - 2, num);
        const char *m = t->rows[i];
        pg_text(p, x + bw / 2 - pg_width(p, m + 2) / 2, base + 9, m + 2); /* "YY-MM" */
    }
    cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, x0, base);
    cairo_line_to(p->cr, PAGE_W - MARGIN, base);
    cairo_stroke(p->cr);
    return base + 16;
}

/* Flag rates: one bar per rule, fired / assessed with that questionnaire. */
static double pg_flags(pg *p, double y, int max_rows)
{
    const pr_table *t = pr_table_get(p->r, "flags");
    y = pg_section(p, y, "pdf_pr_t_flags");
    const progreport *r = p->r;
    char num[48];
    for (int i = 0; t && i < t->n_rows && i < max_rows; i++) {
        int fired = t->cell[i * t->n_cols], of = t->row_total[i];
        pg_font(p, false, 7.5);
        cairo_set_source_rgb(p->cr, 0.15, 0.15, 0.15);
        pg_text(p, MARGIN, y + 8.5, t->rows[i]);
        double w = PAGE_W - 2 * MARGIN - 190;
        cairo_set_source_rgb(p->cr, 0.93, 0.93, 0.93);
        cairo_rectangle(p->cr, MARGIN + 150, y, w, 10);
        cairo_fill(p->cr);
        if (r->hidden[fired] || r->hidden[of] || r->value[of] == 0) {
            pg_hatch(p, MARGIN + 150, y, w, 10);
            pr_count_text(r, r->hidden[fired] ? fired : of, num, sizeof num);
        } else {
            double rate = (double)r->value[fired] / (double)r->value[of];
            cairo_set_source_rgb(p->cr, 0.20, 0.40, 0.70);
            cairo_rectangle(p->cr, MARGIN + 150, y, w * rate, 10);
            cairo_fill(p->cr);
            snprintf(num, sizeof num, "%.0f %% (%ld/%ld)", 100 * rate, r->value[fired],
                     r->value[of]);
        }
        cairo_set_source_rgb(p->cr, 0.15, 0.15, 0.15);
        pg_text(p, PAGE_W - MARGIN - 36, y + 8.5, num);
        y += 12.5;
    }
    return y + 4;
}

static void pg_draw(pg *p)
{
    cairo_t *cr = p->cr;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    pg_font(p, true, 16);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    pg_text(p, MARGIN, MARGIN + 8, p->word("pdf_pr_title"));
    char line[256];
    pg_font(p, false, 9);
    snprintf(line, sizeof line, "%s %s – %s  ·  %s %d  ·  %s <%d", p->word("pdf_pr_period"),
             p->r->first_month, p->r->last_month, p->word("pdf_pr_summaries"), p->r->n_summaries,
             p->word("pdf_pr_suppressed"), p->r->min_cell);
    pg_text(p, MARGIN, MARGIN + 24, line);
    pg_marks_legend(p, MARGIN + 36);
    double y = pg_months(p, MARGIN + 44);
    y = pg_bars(p, "by_questionnaire", "pdf_pr_t_by_questionnaire", y, 4);
    y = pg_bars(p, "by_site", "pdf_pr_t_by_site", y, 5);
    y = pg_bars(p, "change", "pdf_pr_t_change", y, 4);
    y = pg_bars(p, "referral", "pdf_pr_t_referral", y, 2);
    y = pg_flags(p, y, (int)((PAGE_H - MARGIN - 20 - y - 16) / 12.5));
    pg_font(p, false, 7);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    pg_text(p, MARGIN, PAGE_H - MARGIN + 10, p->word("pdf_pr_footer"));
}

static int pg_render(const progreport *r, cairo_surface_t *surface, double scale,
                     const char *data_dir, progreport_word_fn word, FILE *png_out, its_err *err)
{
    fonts f;
    if (pdf_fonts_load(&f, data_dir, err) != 0)
        return -1;
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, scale, scale);
    pg p = {cr, &f, r, word};
    pg_draw(&p);
    if (!png_out)
        cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_status_t st = png_out ? cairo_surface_write_to_png_stream(surface, pdf_to_stream, png_out)
                                : (cairo_surface_finish(surface), cairo_surface_status(surface));
    pdf_fonts_free(&f);
    return st == CAIRO_STATUS_SUCCESS
               ? 0
               : its_fail(err, "The report could not be drawn: %s.", cairo_status_to_string(st));
}

int progreport_pdf(const progreport *r, FILE *out, const char *data_dir, progreport_word_fn word,
                   its_err *err)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(pdf_to_stream, out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, word("pdf_pr_title"));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Itsearvio");
    int rc = pg_render(r, s, 1.0, data_dir, word, NULL, err);
    cairo_surface_destroy(s);
    return rc;
}

typedef struct png_ctx {
    const progreport *r;
    double scale;
    const char *data_dir;
    progreport_word_fn word;
} png_ctx;

static int png_write(FILE *out, void *p, its_err *err)
{
    png_ctx *c = p;
    cairo_surface_t *s = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, (int)ceil(PAGE_W * c->scale), (int)ceil(PAGE_H * c->scale));
    int rc = pg_render(c->r, s, c->scale, c->data_dir, c->word, out, err);
    cairo_surface_destroy(s);
    return rc;
}

int progreport_png(const progreport *r, const char *path, double scale, const char *data_dir,
                   progreport_word_fn word, its_err *err)
{
    png_ctx c = {r, scale > 0 ? scale : 1.0, data_dir, word};
    return export_write_file(path, png_write, &c, err);
}
