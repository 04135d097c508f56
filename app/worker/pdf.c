/* pdf.c — one-page PDF report (export.h). */
#include "export.h"

int export_pdf(worker_session *ws, const int *rows, int n, FILE *out, int *skipped, its_err *err)
{
    return its_fail(err, "The PDF export is not built yet.");
}
