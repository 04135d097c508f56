/* bench_launch — starts a program and says when, for "process start to first frame" figures:
 * prints "bench t0_ns=N" (CLOCK_MONOTONIC) on stderr and sets BENCH_T0_NS=N, then replaces itself
 * with the program (exec, same process). The program's own "bench first_frame_ns=M" line after
 * its first present then gives M - N: exec, dynamic linking, start-up and drawing.
 * usage: bench_launch PROGRAM [ARGS...] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_launch PROGRAM [ARGS...]\n");
        return 2;
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    char ns[32];
    snprintf(ns, sizeof ns, "%lld", (long long)t.tv_sec * 1000000000LL + (long long)t.tv_nsec);
    if (setenv("BENCH_T0_NS", ns, 1) != 0)
        return 2;
    fprintf(stderr, "bench t0_ns=%s\n", ns);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "bench_launch: %s: %s\n", argv[1], strerror(errno));
    return 127;
}
