/* fhir.c — FHIR R4 export (export.h). */
#include "export.h"

int export_fhir(worker_session *ws, const int *rows, int n, FILE *out, int *skipped, its_err *err)
{
    return its_fail(err, "The FHIR export is not built yet.");
}
