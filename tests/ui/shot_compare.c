/* shot_compare.c — see shot_compare.h. */
#include "shot_compare.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

static SDL_Surface *load_rgb(const char *path)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s)
        return NULL;
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(s);
    return c;
}

static bool copy_file(const char *from, const char *to)
{
    size_t len;
    its_err err;
    char *data = its_read_file(from, &len, &err);
    FILE *f = data ? fopen(to, "wb") : NULL;
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f)
        fclose(f);
    free(data);
    return ok;
}

/* 0 same, 1 differs (NAME_err.png written), -1 missing or unreadable. */
int shot_compare(const char *outdir, const char *refdir, const char *name)
{
    char out[1400], ref[1400], err_path[1400];
    snprintf(out, sizeof out, "%s/%s.png", outdir, name);
    snprintf(ref, sizeof ref, "%s/%s.png", refdir, name);
    snprintf(err_path, sizeof err_path, "%s/%s_err.png", outdir, name);
    if (getenv("ITS_UPDATE_REFS")) {
        printf("  %s: reference written\n", name);
        return copy_file(out, ref) ? 0 : -1;
    }
    SDL_Surface *a = load_rgb(out), *b = load_rgb(ref);
    int rc = 0;
    if (!a || !b) {
        fprintf(stderr, "  %s: %s missing (ITS_UPDATE_REFS=1 makes references)\n", name,
                a ? ref : out);
        rc = -1;
    } else if (a->w != b->w || a->h != b->h) {
        fprintf(stderr, "  %s: size %dx%d, reference %dx%d\n", name, a->w, a->h, b->w, b->h);
        rc = 1;
    } else {
        long differ = 0;
        for (int y = 0; y < a->h; y++) {
            Uint8 *pa = (Uint8 *)a->pixels + y * a->pitch, *pb = (Uint8 *)b->pixels + y * b->pitch;
            for (int x = 0; x < a->w * 3; x += 3) {
                int d = 0;
                for (int k = 0; k < 3; k++)
                    d = abs(pa[x + k] - pb[x + k]) > d ? abs(pa[x + k] - pb[x + k]) : d;
                bool bad = d > SHOT_PIXEL_TOLERANCE;
                differ += bad;
                Uint8 grey = (Uint8)(160 + (pa[x] + pa[x + 1] + pa[x + 2]) / 8);
                pa[x] = bad ? 255 : grey; /* the error image is drawn over the output */
                pa[x + 1] = bad ? 0 : grey;
                pa[x + 2] = bad ? 0 : grey;
            }
        }
        double share = (double)differ / ((double)a->w * a->h);
        if (share > SHOT_COUNT_TOLERANCE) {
            fprintf(stderr, "  %s: %ld pixels (%.3f %%) differ; see %s\n", name, differ,
                    share * 100, err_path);
            IMG_SavePNG(a, err_path);
            rc = 1;
        }
    }
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return rc;
}
