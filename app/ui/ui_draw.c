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

static SDL_Window *window;
static SDL_Renderer *renderer;
static char font_path[2][1024];
static font_slot fonts[FONT_SLOTS];
static text_slot texts[TEXT_SLOTS];
static uint64_t use_clock;
static long textures_made;

static TTF_Font *font_get(int px, bool bold);

int ui_draw_open(const ui_draw_opts *o, its_err *err)
{
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return its_fail(err, "The screen could not be opened (%s).", SDL_GetError());
    if (TTF_Init() != 0) {
        SDL_Quit();
        return its_fail(err, "The font library could not start (%s).", TTF_GetError());
    }
    if (its_path(font_path[0], sizeof font_path[0], err, "%s/NotoSans-Regular.ttf", o->font_dir) != 0 ||
        its_path(font_path[1], sizeof font_path[1], err, "%s/NotoSans-Bold.ttf", o->font_dir) != 0) {
        TTF_Quit();
        SDL_Quit();
        return -1;
    }
    Uint32 flags = SDL_WINDOW_SHOWN;
    int w = o->w > 0 ? o->w : 1280, h = o->h > 0 ? o->h : 800;
    if (o->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (o->fullscreen || o->borderless)
        flags |= SDL_WINDOW_BORDERLESS;
    window = SDL_CreateWindow(o->title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (window)
        renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!window || !renderer) {
        its_fail(err, "The window could not be made (%s).", SDL_GetError());
        ui_draw_close();
        return -1;
    }
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
    if (!font_get(32, false) || !font_get(32, true)) {
        its_fail(err, "The fonts in %s could not be read (%s).", o->font_dir, TTF_GetError());
        ui_draw_close();
        return -1;
    }
    return 0;
}

void ui_draw_close(void)
{
    for (int i = 0; i < TEXT_SLOTS; i++) {
        if (texts[i].tex)
            SDL_DestroyTexture(texts[i].tex);
        free(texts[i].text);
    }
    memset(texts, 0, sizeof texts);
    for (int i = 0; i < FONT_SLOTS; i++)
        if (fonts[i].font)
            TTF_CloseFont(fonts[i].font);
    memset(fonts, 0, sizeof fonts);
    if (renderer)
        SDL_DestroyRenderer(renderer);
    if (window)
        SDL_DestroyWindow(window);
    renderer = NULL;
    window = NULL;
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
}

void ui_draw_size(int *w, int *h)
{
    if (SDL_GetRendererOutputSize(renderer, w, h) != 0)
        SDL_GetWindowSize(window, w, h);
}

SDL_Window *ui_draw_window(void)
{
    return window;
}

static TTF_Font *font_get(int px, bool bold)
{
    int free_slot = -1;
    for (int i = 0; i < FONT_SLOTS; i++) {
        if (fonts[i].font && fonts[i].px == px && fonts[i].bold == bold)
            return fonts[i].font;
        if (!fonts[i].font && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0) { /* full: drop one (sizes change only with A+/A- and resizes) */
        free_slot = (int)(use_clock % FONT_SLOTS);
        TTF_CloseFont(fonts[free_slot].font);
        fonts[free_slot].font = NULL;
    }
    TTF_Font *f = TTF_OpenFont(font_path[bold ? 1 : 0], px);
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

int ui_draw_text_width(const char *s, size_t len, int px, bool bold)
{
    TTF_Font *f = font_get(px, bold);
    int w = 0, h = 0;
    if (!f || measure_n(f, s, len, &w, &h) != 0)
        return (int)len * px; /* pessimistic: the text will still fit */
    return w;
}

int ui_draw_line_height(int px, bool bold)
{
    TTF_Font *f = font_get(px, bold);
    return f ? TTF_FontLineSkip(f) : px * 4 / 3;
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
static text_slot *text_get(const char *s, size_t len, int px, bool bold, SDL_Color c)
{
    uint32_t hash = hash_text(s, len, px, bold, c);
    int victim = 0;
    use_clock++;
    /* open addressing would be faster; a linear scan of 512 slots is ~1 µs and simpler */
    for (int i = 0; i < TEXT_SLOTS; i++) {
        if (slot_matches(&texts[i], hash, s, len, px, bold, c)) {
            texts[i].used = use_clock;
            return &texts[i];
        }
        if (texts[i].used < texts[victim].used)
            victim = i;
    }
    TTF_Font *f = font_get(px, bold);
    if (!f)
        return NULL;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, copy, c);
    SDL_Texture *tex = surf ? SDL_CreateTextureFromSurface(renderer, surf) : NULL;
    if (!tex) {
        SDL_FreeSurface(surf);
        free(copy);
        return NULL;
    }
    text_slot *t = &texts[victim];
    if (t->tex)
        SDL_DestroyTexture(t->tex);
    free(t->text);
    *t = (text_slot){hash, copy, px, bold, c, tex, surf->w, surf->h, use_clock};
    SDL_FreeSurface(surf);
    textures_made++;
    return t;
}

void ui_draw_text(const char *s, size_t len, int x, int y, int px, bool bold, SDL_Color c)
{
    if (len == 0)
        return;
    text_slot *t = text_get(s, len, px, bold, c);
    if (!t)
        return;
    SDL_Rect dst = {x, y, t->w, t->h};
    SDL_RenderCopy(renderer, t->tex, NULL, &dst);
}

void ui_draw_clear(SDL_Color c)
{
    SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, c.a);
    SDL_RenderClear(renderer);
}

void ui_draw_fill(SDL_Rect r, SDL_Color c)
{
    SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(renderer, &r);
}

void ui_draw_frame(SDL_Rect r, int thickness, SDL_Color c)
{
    SDL_Rect sides[4] = {
        {r.x, r.y, r.w, thickness},
        {r.x, r.y + r.h - thickness, r.w, thickness},
        {r.x, r.y, thickness, r.h},
        {r.x + r.w - thickness, r.y, thickness, r.h},
    };
    SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRects(renderer, sides, 4);
}

/* A thick line as a quad of two triangles. */
static void thick_line(float x0, float y0, float x1, float y1, float t, SDL_Color c)
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
    SDL_RenderGeometry(renderer, NULL, v, 4, idx, 6);
}

void ui_draw_check(SDL_Rect r, int thickness, SDL_Color c)
{
    float x = (float)r.x, y = (float)r.y, w = (float)r.w, h = (float)r.h;
    thick_line(x + w * 0.20f, y + h * 0.52f, x + w * 0.42f, y + h * 0.74f, (float)thickness, c);
    thick_line(x + w * 0.42f, y + h * 0.74f, x + w * 0.80f, y + h * 0.28f, (float)thickness, c);
}

void ui_draw_speaker(SDL_Rect r, SDL_Color c)
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
    SDL_RenderGeometry(renderer, NULL, v, 6, idx, 12);
    /* two waves, each an arc of short thick segments */
    for (int k = 1; k <= 2; k++) {
        float cx = x + w * 0.50f, cy = y + h * 0.50f, rad = w * (0.12f + 0.18f * (float)k);
        for (int i = 0; i < 8; i++) {
            float a0 = -0.8f + 1.6f * (float)i / 8, a1 = -0.8f + 1.6f * (float)(i + 1) / 8;
            thick_line(cx + rad * SDL_cosf(a0), cy + rad * SDL_sinf(a0), cx + rad * SDL_cosf(a1),
                       cy + rad * SDL_sinf(a1), t, c);
        }
    }
}

void ui_draw_present(void)
{
    SDL_RenderPresent(renderer);
}

int ui_draw_save_png(const char *path, its_err *err)
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
    ui_draw_size(&w, &h);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!s)
        return its_fail(err, "No memory for a screenshot.");
    int rc = SDL_RenderReadPixels(renderer, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch);
    if (rc == 0)
        rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
    if (rc != 0)
        return its_fail(err, "The screenshot %s could not be written (%s).", path, SDL_GetError());
    return 0;
}

void ui_draw_cache_stats(long *made, int *held)
{
    int n = 0;
    for (int i = 0; i < TEXT_SLOTS; i++)
        n += texts[i].tex != NULL;
    *made = textures_made;
    *held = n;
}
