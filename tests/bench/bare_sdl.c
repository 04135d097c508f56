/* bare_sdl — the floor for the start-up benchmark: a minimal SDL2 + SDL2_ttf program that draws
 * the same question screen as the peer (shared/bench/question.html) at 1280×800 in a real window
 * with the software renderer and both hints, writes it as PNG, and exits. No toolkit, no
 * questionnaire, no storage: whatever Itsearvio spends beyond this is its own overhead.
 * usage: bare_sdl --fonts DIR --shot PATH
 * Prints "bench first_frame_ns=N" (CLOCK_MONOTONIC) on stderr after the first present, the same
 * line as the kiosk's bench mode; bench_launch prints the launch time in the same clock. */
#define SDL_MAIN_HANDLED
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { W = 1280, H = 800 };

static const SDL_Color INK = {0x11, 0x11, 0x11, 0xFF}, BLUE = {0x1F, 0x5F, 0xA8, 0xFF},
                       PALE = {0xF4, 0xF8, 0xFC, 0xFF}, GREY = {0x66, 0x66, 0x66, 0xFF},
                       TRACK = {0xDD, 0xDD, 0xDD, 0xFF}, WHITE = {0xFF, 0xFF, 0xFF, 0xFF};

/* CLOCK_MONOTONIC in nanoseconds. */
static unsigned long long mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

static void fill(SDL_Renderer *r, SDL_Rect box, SDL_Color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(r, &box);
}

/* Text at (x, y), wrapped at wrap px when wrap > 0; returns the height drawn. */
static int text(SDL_Renderer *r, TTF_Font *f, const char *s, int x, int y, int wrap, SDL_Color c)
{
    SDL_Surface *surf = wrap > 0 ? TTF_RenderUTF8_Blended_Wrapped(f, s, c, (Uint32)wrap)
                                 : TTF_RenderUTF8_Blended(f, s, c);
    if (!surf)
        return 0;
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, surf);
    SDL_Rect dst = {x, y, surf->w, surf->h};
    SDL_RenderCopy(r, t, NULL, &dst);
    SDL_DestroyTexture(t);
    SDL_FreeSurface(surf);
    return dst.h;
}

/* A button: a frame 3 px wide around a pale face, its label centred vertically. */
static void button(SDL_Renderer *r, TTF_Font *f, SDL_Rect box, const char *label, SDL_Color edge,
                   SDL_Color face, int centred)
{
    fill(r, box, edge);
    fill(r, (SDL_Rect){box.x + 3, box.y + 3, box.w - 6, box.h - 6}, face);
    int tw = 0, th = 0;
    TTF_SizeUTF8(f, label, &tw, &th);
    int x = centred ? box.x + (box.w - tw) / 2 : box.x + 24;
    text(r, f, label, x, box.y + (box.h - th) / 2, 0, INK);
}

static void draw(SDL_Renderer *r, TTF_Font *body, TTF_Font *title)
{
    static const char *options[] = {"Ei yhtään vaikeaa", "Vähän vaikeaa", "Melko vaikeaa",
                                    "Tosi vaikeaa", "En pysty ollenkaan", "En halua vastata"};
    fill(r, (SDL_Rect){0, 0, W, H}, WHITE);
    text(r, body, "Kysymys 3 / 12", 48, 32, 0, INK);
    button(r, body, (SDL_Rect){W - 48 - 140, 20, 140, 56}, "Lue", BLUE, PALE, 1);
    fill(r, (SDL_Rect){48, 86, W - 96, 14}, TRACK);
    fill(r, (SDL_Rect){48, 86, (W - 96) / 4, 14}, BLUE);
    int y = 114;
    y += text(r, title, "Kuinka vaikeaa sinun oli oppia uusi asia? Esimerkiksi uusi reitti tai uusi "
                        "työtehtävä.", 48, y, 860, INK) + 8;
    y += text(r, body, "Ajattele viimeistä 30 päivää.", 48, y, 0, (SDL_Color){0x33, 0x33, 0x33, 0xFF});
    y += 16;
    for (int i = 0; i < 6; i++, y += 74)
        button(r, body, (SDL_Rect){48, y, W - 96, 64}, options[i], i == 5 ? GREY : BLUE,
               i == 5 ? WHITE : PALE, 0);
    y += 2;
    button(r, body, (SDL_Rect){48, y, 220, 64}, "Takaisin", BLUE, PALE, 1);
    button(r, body, (SDL_Rect){W - 48 - 220, y, 220, 64}, "Tauko", BLUE, PALE, 1);
}

static int save_png(SDL_Renderer *r, const char *path)
{
    /* RGB24, as the kiosk's screenshots: no alpha channel to compress */
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 24, SDL_PIXELFORMAT_RGB24);
    if (!s || SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0 ||
        IMG_SavePNG(s, path) != 0) {
        fprintf(stderr, "bare_sdl: %s: %s\n", path, SDL_GetError());
        SDL_FreeSurface(s);
        return -1;
    }
    SDL_FreeSurface(s);
    return 0;
}

int main(int argc, char **argv)
{
    const char *fonts = NULL, *shot = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--fonts"))
            fonts = argv[i + 1];
        else if (!strcmp(argv[i], "--shot"))
            shot = argv[i + 1];
    }
    if (!fonts || !shot) {
        fprintf(stderr, "usage: bare_sdl --fonts DIR --shot PATH\n");
        return 2;
    }
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "bare_sdl: %s\n", SDL_GetError());
        return 1;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/NotoSans-Regular.ttf", fonts);
    TTF_Font *body = TTF_OpenFont(path, 28), *title = TTF_OpenFont(path, 36);
    SDL_Window *win = SDL_CreateWindow("bare_sdl", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, W, H,
                                       SDL_WINDOW_SHOWN);
    SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!body || !title || !r) {
        fprintf(stderr, "bare_sdl: %s\n", SDL_GetError());
        return 1;
    }
    draw(r, body, title);
    SDL_RenderPresent(r);
    fprintf(stderr, "bench first_frame_ns=%llu\n", mono_ns());
    int rc = save_png(r, shot) == 0 ? 0 : 1;
    TTF_CloseFont(body);
    TTF_CloseFont(title);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
