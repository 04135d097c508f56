/* check.h — a tiny test harness: CHECK macros that count, and a closing line ctest and CI read.
 * Each test program ends with `return check_summary();`, which prints "N passed, N failed". */
#ifndef ITS_CHECK_H
#define ITS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond) check_report((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
#define CHECK_EQ_INT(a, b) check_eq_int((long)(a), (long)(b), #a " == " #b, __FILE__, __LINE__)
#define CHECK_EQ_STR(a, b) check_eq_str((a), (b), #a " == " #b, __FILE__, __LINE__)
#define CHECK_NEAR(a, b, eps) check_near((a), (b), (eps), #a " ~ " #b, __FILE__, __LINE__)

static inline int check_report(int ok, const char *what, const char *file, int line)
{
    if (ok)
        check_passed++;
    else {
        check_failed++;
        fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
    }
    return ok;
}

static inline int check_eq_int(long a, long b, const char *what, const char *file, int line)
{
    if (a != b)
        fprintf(stderr, "%s:%d: %ld != %ld\n", file, line, a, b);
    return check_report(a == b, what, file, line);
}

static inline int check_eq_str(const char *a, const char *b, const char *what, const char *file,
                               int line)
{
    int ok = a && b && strcmp(a, b) == 0;
    if (!ok)
        fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", file, line, a ? a : "(null)", b ? b : "(null)");
    return check_report(ok, what, file, line);
}

static inline int check_near(double a, double b, double eps, const char *what, const char *file,
                             int line)
{
    int ok = fabs(a - b) <= eps;
    if (!ok)
        fprintf(stderr, "%s:%d: %.6f != %.6f\n", file, line, a, b);
    return check_report(ok, what, file, line);
}

/* A small reproducible pseudo-random generator for property tests (15 bits per call). */
static inline unsigned check_rand(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
