/* ui_draw.c — see ui_draw.h. */
#include "ui_draw.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <sys/stat.h>

enum { FONT_SLOTS = 24, TEXT_SLOTS = 512 };

typedef struct font_slot {
    TTF_Font *font;
    int px;
    bool bold;
} font_slot;

typedef struct text_slot {
    uint32_t hash;
    char *text;
    int px;
    bool bold;
    SDL_Color color;
    SDL_Texture *tex;
    int w, h;
    uint64_t used; /* for least-recently-used eviction */
} text_slot;

struct ui_draw {
    SDL_Window *window;
    SDL_Renderer *renderer;
    char font_path[2][1024];
    font_slot fonts[FONT_SLOTS];
    text_slot texts[TEXT_SLOTS];
    uint64_t use_clock;
    long textures_made;
};

static TTF_Font *font_get(ui_draw *d, int px, bool bold);

int ui_draw_open(ui_draw **out, const ui_draw_opts *o, its_err *err)
{
    *out = NULL;
    ui_draw *d = calloc(1, sizeof *d);
    if (!d)
        return its_fail_code(err, ITS_E_NO_MEMORY, "No memory for the screen.");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        free(d);
        return its_fail(err, "The screen could not be opened (%s).", SDL_GetError());
    }
    if (TTF_Init() != 0) {
        SDL_Quit();
        free(d);
        return its_fail(err, "The font library could not start (%s).", TTF_GetError());
    }
    if (its_path(d->font_path[0], sizeof d->font_path[0], err, "%s/NotoSans-Regular.ttf", o->font_dir) != 0 ||
        its_path(d->font_path[1], sizeof d->font_path[1], err, "%s/NotoSans-Bold.ttf", o->font_dir) != 0) {
        ui_draw_close(d);
        return -1;
    }
    Uint32 flags = SDL_WINDOW_SHOWN;
    int w = o->w > 0 ? o->w : 1280, h = o->h > 0 ? o->h : 800;
    if (o->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (o->fullscreen || o->borderless)
        flags |= SDL_WINDOW_BORDERLESS;
    d->window = SDL_CreateWindow(o->title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                                 flags);
    if (d->window)
        d->renderer = SDL_CreateRenderer(d->window, -1, SDL_RENDERER_SOFTWARE);
    if (!d->window || !d->renderer) {
        its_fail(err, "The window could not be made (%s).", SDL_GetError());
        ui_draw_close(d);
        return -1;
    }
    SDL_SetRenderDrawBlendMode(d->renderer, SDL_BLENDMODE_BLEND);
    if (!font_get(d, 32, false) || !font_get(d, 32, true)) {
        its_fail(err, "The fonts in %s could not be read (%s).", o->font_dir, TTF_GetError());
        ui_draw_close(d);
        return -1;
    }
    *out = d;
    return 0;
}

void ui_draw_close(ui_draw *d)
{
    if (!d)
        return;
    for (int i = 0; i < TEXT_SLOTS; i++) {
        if (d->texts[i].tex)
            SDL_DestroyTexture(d->texts[i].tex);
        free(d->texts[i].text);
    }
    for (int i = 0; i < FONT_SLOTS; i++)
        if (d->fonts[i].font)
            TTF_CloseFont(d->fonts[i].font);
    if (d->renderer)
        SDL_DestroyRenderer(d->renderer);
    if (d->window)
        SDL_DestroyWindow(d->window);
    free(d);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
}

void ui_draw_size(const ui_draw *d, int *w, int *h)
{
    if (SDL_GetRendererOutputSize(d->renderer, w, h) != 0)
        SDL_GetWindowSize(d->window, w, h);
}

SDL_Window *ui_draw_window(const ui_draw *d)
{
    return d->window;
}

SDL_Renderer *ui_draw_renderer(const ui_draw *d)
{
    return d->renderer;
}

static TTF_Font *font_get(ui_draw *d, int px, bool bold)
{
    font_slot *fonts = d->fonts;
    int free_slot = -1;
    for (int i = 0; i < FONT_SLOTS; i++) {
        if (fonts[i].font && fonts[i].px == px && fonts[i].bold == bold)
            return fonts[i].font;
        if (!fonts[i].font && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0) { /* full: drop one (sizes change only with A+/A- and resizes) */
        free_slot = (int)(d->use_clock % FONT_SLOTS);
        TTF_CloseFont(fonts[free_slot].font);
        fonts[free_slot].font = NULL;
    }
    TTF_Font *f = TTF_OpenFont(d->font_path[bold ? 1 : 0], px);
    if (f) {
        fonts[free_slot].font = f;
        fonts[free_slot].px = px;
        fonts[free_slot].bold = bold;
    }
    return f;
}

/* TTF_SizeUTF8 wants a terminated string. */
static int measure_n(TTF_Font *f, const char *s, size_t len, int *w, int *h)
{
    char small[512];
    char *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    int rc = TTF_SizeUTF8(f, buf, w, h);
    if (buf != small)
        free(buf);
    return rc;
}

int ui_draw_text_width(ui_draw *d, const char *s, size_t len, int px, bool bold)
{
    TTF_Font *f = font_get(d, px, bold);
    int w = 0, h = 0;
    if (!f || measure_n(f, s, len, &w, &h) != 0)
        return (int)len * px; /* pessimistic: the text will still fit */
    return w;
}

int ui_draw_line_height(ui_draw *d, int px, bool bold)
{
    TTF_Font *f = font_get(d, px, bold);
    return f ? TTF_FontLineSkip(f) : px * 4 / 3;
}

static int measure_width(void *ctx, const char *s, size_t len, int px, bool bold)
{
    return ui_draw_text_width(ctx, s, len, px, bold);
}

static int measure_height(void *ctx, int px, bool bold)
{
    return ui_draw_line_height(ctx, px, bold);
}

ui_measure ui_draw_measure(ui_draw *d)
{
    return (ui_measure){d, measure_width, measure_height};
}

static uint32_t hash_text(const char *s, size_t len, int px, bool bold, SDL_Color c)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    h = (h ^ (uint32_t)px) * 16777619u;
    h = (h ^ (uint32_t)bold) * 16777619u;
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    return (h ^ rgba) * 16777619u;
}

static bool slot_matches(const text_slot *t, uint32_t hash, const char *s, size_t len, int px,
                         bool bold, SDL_Color c)
{
    return t->tex && t->hash == hash && t->px == px && t->bold == bold && t->color.r == c.r &&
           t->color.g == c.g && t->color.b == c.b && t->color.a == c.a &&
           strlen(t->text) == len && memcmp(t->text, s, len) == 0;
}

/* Finds or makes the texture for a text; NULL if it cannot be made. */
static text_slot *text_get(ui_draw *d, const char *s, size_t len, int px, bool bold, SDL_Color c)
{
    uint32_t hash = hash_text(s, len, px, bold, c);
    int victim = 0;
    text_slot *texts = d->texts;
    d->use_clock++;
    /* open addressing would be faster; a linear scan of 512 slots is ~1 µs and simpler */
    for (int i = 0; i < TEXT_SLOTS; i++) {
        if (slot_matches(&texts[i], hash, s, len, px, bold, c)) {
            texts[i].used = d->use_clock;
            return &texts[i];
        }
        if (texts[i].used < texts[victim].used)
            victim = i;
    }
    TTF_Font *f = font_get(d, px, bold);
    if (!f)
        return NULL;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, copy, c);
    SDL_Texture *tex = surf ? SDL_CreateTextureFromSurface(d->renderer, surf) : NULL;
    if (!tex) {
        SDL_FreeSurface(surf);
        free(copy);
        return NULL;
    }
    text_slot *t = &texts[victim];
    if (t->tex)
        SDL_DestroyTexture(t->tex);
    free(t->text);
    *t = (text_slot){hash, copy, px, bold, c, tex, surf->w, surf->h, d->use_clock};
    SDL_FreeSurface(surf);
    d->textures_made++;
    return t;
}

void ui_draw_text(ui_draw *d, const char *s, size_t len, int x, int y, int px, bool bold,
                  SDL_Color c)
{
    if (len == 0)
        return;
    text_slot *t = text_get(d, s, len, px, bold, c);
    if (!t)
        return;
    SDL_Rect dst = {x, y, t->w, t->h};
    SDL_RenderCopy(d->renderer, t->tex, NULL, &dst);
}

void ui_draw_clear(ui_draw *d, SDL_Color c)
{
    SDL_SetRenderDrawColor(d->renderer, c.r, c.g, c.b, c.a);
    SDL_RenderClear(d->renderer);
}

void ui_draw_fill(ui_draw *d, SDL_Rect r, SDL_Color c)
{
    SDL_SetRenderDrawColor(d->renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(d->renderer, &r);
}

void ui_draw_frame(ui_draw *d, SDL_Rect r, int thickness, SDL_Color c)
{
    SDL_Rect sides[4] = {
        {r.x, r.y, r.w, thickness},
        {r.x, r.y + r.h - thickness, r.w, thickness},
        {r.x, r.y, thickness, r.h},
        {r.x + r.w - thickness, r.y, thickness, r.h},
    };
    SDL_SetRenderDrawColor(d->renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRects(d->renderer, sides, 4);
}

/* A thick line as a quad of two triangles. */
static void thick_line(ui_draw *d, float x0, float y0, float x1, float y1, float t, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0;
    float len = SDL_sqrtf(dx * dx + dy * dy);
    if (len <= 0)
        return;
    float nx = -dy / len * t / 2, ny = dx / len * t / 2;
    SDL_Vertex v[4] = {
        {{x0 + nx, y0 + ny}, c, {0, 0}},
        {{x1 + nx, y1 + ny}, c, {0, 0}},
        {{x1 - nx, y1 - ny}, c, {0, 0}},
        {{x0 - nx, y0 - ny}, c, {0, 0}},
    };
    int idx[6] = {0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(d->renderer, NULL, v, 4, idx, 6);
}

void ui_draw_check(ui_draw *d, SDL_Rect r, int thickness, SDL_Color c)
{
    float x = (float)r.x, y = (float)r.y, w = (float)r.w, h = (float)r.h;
    thick_line(d, x + w * 0.20f, y + h * 0.52f, x + w * 0.42f, y + h * 0.74f, (float)thickness, c);
    thick_line(d, x + w * 0.42f, y + h * 0.74f, x + w * 0.80f, y + h * 0.28f, (float)thickness, c);
}

void ui_draw_speaker(ui_draw *d, SDL_Rect r, SDL_Color c)
{
    float x = (float)r.x, y = (float)r.y, w = (float)r.w, h = (float)r.h;
    float t = w / 9 > 2 ? w / 9 : 2;
    /* the body and the cone: one filled shape of two quads */
    SDL_Vertex v[6] = {
        {{x + w * 0.05f, y + h * 0.35f}, c, {0, 0}}, {{x + w * 0.25f, y + h * 0.35f}, c, {0, 0}},
        {{x + w * 0.25f, y + h * 0.65f}, c, {0, 0}}, {{x + w * 0.05f, y + h * 0.65f}, c, {0, 0}},
        {{x + w * 0.50f, y + h * 0.10f}, c, {0, 0}}, {{x + w * 0.50f, y + h * 0.90f}, c, {0, 0}},
    };
    int idx[12] = {0, 1, 2, 0, 2, 3, 1, 4, 5, 1, 5, 2};
    SDL_RenderGeometry(d->renderer, NULL, v, 6, idx, 12);
    /* two waves, each an arc of short thick segments */
    for (int k = 1; k <= 2; k++) {
        float cx = x + w * 0.50f, cy = y + h * 0.50f, rad = w * (0.12f + 0.18f * (float)k);
        for (int i = 0; i < 8; i++) {
            float a0 = -0.8f + 1.6f * (float)i / 8, a1 = -0.8f + 1.6f * (float)(i + 1) / 8;
            thick_line(d, cx + rad * SDL_cosf(a0), cy + rad * SDL_sinf(a0), cx + rad * SDL_cosf(a1),
                       cy + rad * SDL_sinf(a1), t, c);
        }
    }
}

void ui_draw_present(ui_draw *d)
{
    SDL_RenderPresent(d->renderer);
}

int ui_draw_save_png(ui_draw *d, const char *path, its_err *err)
{
    char dir[512];
    if (its_path(dir, sizeof dir, err, "%s", path) != 0)
        return -1;
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return its_fail(err, "%s could not be made (%s).", dir, strerror(errno));
    }
    int w, h;
    ui_draw_size(d, &w, &h);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!s)
        return its_fail_code(err, ITS_E_NO_MEMORY, "No memory for a screenshot.");
    int rc = SDL_RenderReadPixels(d->renderer, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch);
    if (rc == 0)
        rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
    if (rc != 0)
        return its_fail(err, "The screenshot %s could not be written (%s).", path, SDL_GetError());
    return 0;
}

void ui_draw_cache_stats(const ui_draw *d, long *made, int *held)
{
    int n = 0;
    for (int i = 0; i < TEXT_SLOTS; i++)
        n += d->texts[i].tex != NULL;
    *made = d->textures_made;
    *held = n;
}
