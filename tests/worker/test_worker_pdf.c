/* The printable report: a PDF with one A4 page per assessment and the bundled font embedded, the
 * same drawing as PNG images (written next to the test for people to look at:
 * report-whodas36.png, report-whodas12.png, report-oma-tilanne.png), not blank where the chart
 * and the level are, and — when pdftoppm is installed — the PDF itself renders. */
#include <cairo.h>
#include <sys/stat.h>

#include "worker_test.h"

#define T0 1736503200LL

/* Share of non-white pixels in a rectangle of the image (in points, at `scale`). */
static double ink(cairo_surface_t *img, double scale, double x, double y, double w, double h)
{
    int stride = cairo_image_surface_get_stride(img);
    unsigned char *px = cairo_image_surface_get_data(img);
    int x0 = (int)(x * scale), y0 = (int)(y * scale), x1 = (int)((x + w) * scale),
        y1 = (int)((y + h) * scale);
    long dark = 0, all = 0;
    for (int yy = y0; yy < y1 && yy < cairo_image_surface_get_height(img); yy++)
        for (int xx = x0; xx < x1 && xx < cairo_image_surface_get_width(img); xx++) {
            unsigned v = *(unsigned *)(px + yy * stride + xx * 4);
            dark += (v & 0xFFFFFF) != 0xFFFFFF;
            all++;
        }
    return all ? (double)dark / (double)all : 0;
}

static void check_png(worker_session *ws, const char *record, const char *name, bool bars)
{
    char path[200];
    snprintf(path, sizeof path, "report-%s.png", name);
    its_err err = {0};
    CHECK(export_report_png(ws, worker_find(ws, record), 2.0, path, &err) == 0);
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    CHECK(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
    CHECK_EQ_INT(cairo_image_surface_get_width(img), 1191);
    double heading = ink(img, 2, 42, 40, 300, 50), chart = ink(img, 2, 248, 100, 230, 500),
           page = ink(img, 2, 0, 0, 595, 842), corner = ink(img, 2, 0, 0, 30, 30);
    printf("%s: ink heading %.3f, chart column %.3f, page %.3f\n", path, heading, chart, page);
    CHECK(heading > 0.02);
    CHECK(!bars || chart > 0.02);
    CHECK(page > 0.03 && page < 0.5);
    CHECK(corner == 0); /* the margins stay white */
    cairo_surface_destroy(img);
}

int main(void)
{
    wt_fixture fx;
    wt_begin(&fx, "pdf");
    store *s = fx.s;
    const qn *q36 = fx.q36, *q12 = fx.q12, *qo = fx.qo;
    const char *dir = fx.dir, *base = fx.base;
    char a[400], ids[6][37];
    json_t *res[6];
    res[0] = wt_add_days(s, q36, "K7M4QXR", T0, wt_same(a, sizeof a, 36, "1"), 1, 3, NULL, ids[0]);
    res[1] = wt_add_days(s, q36, "K7M4QXR", T0 + 86400 * 40, wt_same(a, sizeof a, 36, "2"), 1, 8,
                         res[0], ids[1]);
    res[2] = wt_add_days(
        s, q36, "K7M4QXR", T0 + 86400 * 90,
        "2 r 3 3 2 1  3 4 3 2 3  1 1 2 0  2 3 3 x 2  3 3 2 4  na na na na  3 3 2 3 4 3 2 2", 0, 12,
        res[1], ids[2]);
    res[3] = wt_add(s, q12, "B9C2D3E", T0 + 86400, "0 1 2 3 4 0 1 2 3 4 0 na", 0, NULL, ids[3]);
    res[4] = wt_add_json(
        s, qo, "C8D7E6F", T0 + 86400 * 2,
        "{\"WA\": 6, \"FA\": 5, \"SRH\": 2, \"LS\": \"r\", \"O1\": 3, \"O2\": 2, \"O3\": 3, "
        "\"O4\": 1,"
        " \"M1\": 1, \"M2\": 1, \"M3\": 0, \"M4\": 2, \"A1\": 4, \"A2\": 3, \"A3\": 4, \"A4\": 3,"
        " \"T1\": 2, \"T2\": 2, \"T3\": 3, \"K1\": 1, \"K2\": 0, \"CHANGE\": [1, 4, 8]}",
        ids[4]);
    res[5] =
        wt_add(s, q36, "D2E3F4G", T0 + 86400 * 3, wt_same(a, sizeof a, 36, "0"), 1, NULL, ids[5]);
    store_close(s);
    its_err err = {0};
    worker_session *ws = wt_open(dir, TEST_PASS, &err);
    CHECK(ws != NULL);
    if (ws) {
        check_png(ws, ids[2], "whodas36", true);
        check_png(ws, ids[3], "whodas12", true);
        check_png(ws, ids[4], "oma-tilanne", true);
        check_png(ws, ids[5], "no-flags", false);
        /* The PDF: every record one page, the fonts embedded. */
        int rows[6];
        for (int i = 0; i < 6; i++)
            rows[i] = worker_find(ws, ids[i]);
        char pdf[700];
        snprintf(pdf, sizeof pdf, "%s/report.pdf", base);
        int skipped = 0;
        CHECK(export_run(ws, EXPORT_PDF, rows, 6, pdf, &skipped, &err) == 0);
        CHECK_EQ_INT(skipped, 0);
        size_t len = 0;
        char *bytes = its_read_file(pdf, &len, &err);
        CHECK(bytes && len > 10000 && !memcmp(bytes, "%PDF-", 5));
        CHECK(test_file_has(pdf, "NotoSans", 8) == 1);
        int pages = 0; /* "/Type /Page" but not "/Type /Pages"; the file has NUL bytes */
        for (size_t i = 0; bytes && i + 12 < len; i++)
            pages += !memcmp(bytes + i, "/Type /Page", 11) && bytes[i + 11] != 's';
        CHECK_EQ_INT(pages, 6);
        free(bytes);
        /* PDF needs a file: not standard output. */
        CHECK(export_run(ws, EXPORT_PDF, rows, 1, NULL, &skipped, &err) == -1);
        if (system("command -v pdftoppm >/dev/null 2>&1") == 0) {
            char cmd[1600];
            snprintf(cmd, sizeof cmd,
                     "pdftoppm -r 60 -png -f 1 -l 1 '%s' report-pdf && test -s report-pdf-1.png",
                     pdf);
            CHECK(system(cmd) == 0);
            printf("pdftoppm rendered the PDF (report-pdf-1.png)\n");
        } else {
            printf("pdftoppm not installed: the PDF render check is skipped\n");
        }
        worker_session_lock(ws);
    }
    wt_end(&fx, res, 6);
    return check_summary();
}
