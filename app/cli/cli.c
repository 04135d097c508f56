/* cli.c — option parsing shared by the subcommands. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ITS_DATA_DIR
#define ITS_DATA_DIR "."
#endif

const char *cli_option(int argc, char **argv, int *i, const char *name, bool *bad)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "itsearvio: %s needs a value\n", name);
        *bad = true;
        return NULL;
    }
    *i += 1;
    return argv[*i];
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return true;
    return false;
}

const char *cli_data_dir(void)
{
    const char *env = getenv("ITSEARVIO_DATA");
    return (env && *env) ? env : ITS_DATA_DIR;
}

void cli_iso_time(long long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
