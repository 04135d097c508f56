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
#include <unistd.h>
#include "ui_bidi.h"

enum { FONT_SLOTS = 24, TEXT_SLOTS = 512, MAX_RUNS = 64 };

/* The four faces: Noto Sans, and Noto Sans Arabic for Arabic-script runs (NotoSans has none). */
enum { FACE_REGULAR, FACE_BOLD, FACE_ARABIC, FACE_ARABIC_BOLD, FACES };
static const char *const face_file[FACES] = {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
                                             "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"};

/* How a run is shaped: the Latin face as it always was, or the Arabic face with HarfBuzz told
 * the script and the direction (it picks the joined letter forms only when told "Arab"). */
typedef enum run_mode { MODE_LATIN, MODE_ARABIC_RTL, MODE_ARABIC_LTR } run_mode;

typedef struct font_slot {
    TTF_Font *font;
    int px;
    int face;
} font_slot;

typedef struct text_slot {
    uint32_t hash;
    char *text;
    int px;
    bool bold;
    run_mode mode;
    SDL_Color color;
    SDL_Texture *tex;
    int w, h;
    uint64_t used; /* for least-recently-used eviction */
} text_slot;

struct ui_draw {
    SDL_Window *window;
    SDL_Renderer *renderer;
    char font_path[FACES][1024];
    font_slot fonts[FONT_SLOTS];
    text_slot texts[TEXT_SLOTS];
    uint64_t use_clock;
    long textures_made;
    bool rtl; /* paragraphs run right to left (the language's "lang_dir") */
};

static TTF_Font *font_get(ui_draw *d, int px, int face);

/* The faces' paths; a missing Arabic face falls back to the Latin one (its letters then show
 * as boxes, but every other language still runs). */
static int fonts_find(ui_draw *d, const char *dir, its_err *err)
{
    for (int i = 0; i < FACES; i++) {
        if (its_path(d->font_path[i], sizeof d->font_path[i], err, "%s/%s", dir, face_file[i]) != 0)
            return -1;
        if (i >= FACE_ARABIC && access(d->font_path[i], R_OK) != 0)
            memcpy(d->font_path[i], d->font_path[i - FACE_ARABIC], sizeof d->font_path[i]);
    }
    return 0;
}

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
    if (fonts_find(d, o->font_dir, err) != 0) {
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
    if (!font_get(d, 32, FACE_REGULAR) || !font_get(d, 32, FACE_BOLD)) {
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

static TTF_Font *font_get(ui_draw *d, int px, int face)
{
    font_slot *fonts = d->fonts;
    int free_slot = -1;
    for (int i = 0; i < FONT_SLOTS; i++) {
        if (fonts[i].font && fonts[i].px == px && fonts[i].face == face)
            return fonts[i].font;
        if (!fonts[i].font && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0) { /* full: drop one (sizes change only with A+/A- and resizes) */
        free_slot = (int)(d->use_clock % FONT_SLOTS);
        TTF_CloseFont(fonts[free_slot].font);
        fonts[free_slot].font = NULL;
    }
    TTF_Font *f = TTF_OpenFont(d->font_path[face], px);
    if (f) {
        fonts[free_slot].font = f;
        fonts[free_slot].px = px;
        fonts[free_slot].face = face;
    }
    return f;
}

/* The face of a run, told how HarfBuzz shapes it (per font, so Latin faces stay untouched). */
static TTF_Font *run_font(ui_draw *d, int px, bool bold, run_mode mode)
{
    if (mode == MODE_LATIN)
        return font_get(d, px, bold ? FACE_BOLD : FACE_REGULAR);
    TTF_Font *f = font_get(d, px, bold ? FACE_ARABIC_BOLD : FACE_ARABIC);
    if (f) {
        TTF_SetFontScriptName(f, "Arab");
        TTF_SetFontDirection(f, mode == MODE_ARABIC_RTL ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    }
    return f;
}

void ui_draw_set_rtl(ui_draw *d, bool rtl)
{
    d->rtl = rtl;
}

bool ui_draw_rtl(const ui_draw *d)
{
    return d->rtl;
}

/* The line's runs in visual order, or -1: draw it as one Latin run (no right-to-left text). */
static int line_runs(const ui_draw *d, const char *s, size_t len, ui_bidi_run *runs)
{
    return ui_bidi_needed(s, len, d->rtl) ? ui_bidi_runs(s, len, d->rtl, runs, MAX_RUNS) : -1;
}

/* The text and mode of a run: a right-to-left run in the Latin face (brackets, signs) is
 * reversed and mirrored here, since no shaper sees it. */
static const char *run_text(const char *s, const ui_bidi_run *r, char *buf, size_t cap,
                            size_t *len, run_mode *mode)
{
    *mode = !r->arabic ? MODE_LATIN : (r->level & 1) ? MODE_ARABIC_RTL : MODE_ARABIC_LTR;
    *len = r->len;
    if (r->arabic || !(r->level & 1))
        return s + r->start;
    *len = ui_bidi_reverse(s + r->start, r->len, buf, cap);
    return buf;
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

static int run_width(ui_draw *d, const char *s, size_t len, int px, bool bold, run_mode mode)
{
    TTF_Font *f = run_font(d, px, bold, mode);
    int w = 0, h = 0;
    if (!f || measure_n(f, s, len, &w, &h) != 0)
        return (int)len * px; /* pessimistic: the text will still fit */
    return w;
}

static int line_walk(ui_draw *d, const char *s, size_t len, int x, int y, int px, bool bold,
                     const SDL_Color *c);

int ui_draw_text_width(ui_draw *d, const char *s, size_t len, int px, bool bold)
{
    return line_walk(d, s, len, 0, 0, px, bold, NULL);
}

int ui_draw_line_height(ui_draw *d, int px, bool bold)
{
    TTF_Font *f = font_get(d, px, bold ? FACE_BOLD : FACE_REGULAR);
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

static uint32_t hash_text(const char *s, size_t len, int px, bool bold, run_mode mode, SDL_Color c)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    h = (h ^ (uint32_t)px) * 16777619u;
    h = (h ^ (uint32_t)bold) * 16777619u;
    h = (h ^ (uint32_t)mode) * 16777619u;
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    return (h ^ rgba) * 16777619u;
}

static bool slot_matches(const text_slot *t, uint32_t hash, const char *s, size_t len, int px,
                         bool bold, run_mode mode, SDL_Color c)
{
    return t->tex && t->hash == hash && t->px == px && t->bold == bold && t->mode == mode &&
           t->color.r == c.r &&
           t->color.g == c.g && t->color.b == c.b && t->color.a == c.a &&
           strlen(t->text) == len && memcmp(t->text, s, len) == 0;
}

/* Finds or makes the texture for a text; NULL if it cannot be made. */
static text_slot *text_get(ui_draw *d, const char *s, size_t len, int px, bool bold,
                           run_mode mode, SDL_Color c)
{
    uint32_t hash = hash_text(s, len, px, bold, mode, c);
    int victim = 0;
    text_slot *texts = d->texts;
    d->use_clock++;
    /* open addressing would be faster; a linear scan of 512 slots is ~1 µs and simpler */
    for (int i = 0; i < TEXT_SLOTS; i++) {
        if (slot_matches(&texts[i], hash, s, len, px, bold, mode, c)) {
            texts[i].used = d->use_clock;
            return &texts[i];
        }
        if (texts[i].used < texts[victim].used)
            victim = i;
    }
    TTF_Font *f = run_font(d, px, bold, mode);
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
    *t = (text_slot){hash, copy, px, bold, mode, c, tex, surf->w, surf->h, d->use_clock};
    SDL_FreeSurface(surf);
    d->textures_made++;
    return t;
}

/* Draws one run at x; returns its width. An Arabic run sits on the Latin face's baseline. */
static int draw_run(ui_draw *d, const char *s, size_t len, int x, int y, int px, bool bold,
                    run_mode mode, SDL_Color c)
{
    text_slot *t = len ? text_get(d, s, len, px, bold, mode, c) : NULL;
    if (!t)
        return 0;
    if (mode != MODE_LATIN) {
        TTF_Font *latin = run_font(d, px, bold, MODE_LATIN), *own = run_font(d, px, bold, mode);
        if (latin && own)
            y += TTF_FontAscent(latin) - TTF_FontAscent(own);
    }
    SDL_Rect dst = {x, y, t->w, t->h};
    SDL_RenderCopy(d->renderer, t->tex, NULL, &dst);
    return t->w;
}

/* Draws a run (c set) or measures it (c NULL); returns its width. */
static int run_walk(ui_draw *d, const char *s, size_t len, int x, int y, int px, bool bold,
                    run_mode mode, const SDL_Color *c)
{
    return c ? draw_run(d, s, len, x, y, px, bold, mode, *c) : run_width(d, s, len, px, bold, mode);
}

/* The one text path, for measuring (c NULL) and drawing at (x, y) alike: the line's runs left
 * to right, each shaped on its own; a line without right-to-left text is one Latin run. */
static int line_walk(ui_draw *d, const char *s, size_t len, int x, int y, int px, bool bold,
                     const SDL_Color *c)
{
    ui_bidi_run runs[MAX_RUNS];
    int n = len ? line_runs(d, s, len, runs) : 0;
    if (n < 0)
        return run_walk(d, s, len, x, y, px, bold, MODE_LATIN, c);
    int w = 0;
    for (int i = 0; i < n; i++) {
        char buf[1024];
        size_t rlen;
        run_mode mode;
        const char *rs = run_text(s, &runs[i], buf, sizeof buf, &rlen, &mode);
        w += run_walk(d, rs, rlen, x + w, y, px, bold, mode, c);
    }
    return w;
}

void ui_draw_text(ui_draw *d, const char *s, size_t len, int x, int y, int px, bool bold,
                  SDL_Color c)
{
    line_walk(d, s, len, x, y, px, bold, &c);
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

void ui_draw_speaker(ui_draw *d, SDL_Rect r, bool mirrored, SDL_Color c)
{
    /* mirrored: x runs from the right edge leftwards, so the waves face the other way */
    float x = (float)(mirrored ? r.x + r.w : r.x), y = (float)r.y, h = (float)r.h;
    float w = mirrored ? (float)-r.w : (float)r.w;
    float t = (float)r.w / 9 > 2 ? (float)r.w / 9 : 2;
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
        float cx = x + w * 0.50f, cy = y + h * 0.50f, rad = (float)r.w * (0.12f + 0.18f * (float)k);
        float dir = mirrored ? -1.0f : 1.0f;
        for (int i = 0; i < 8; i++) {
            float a0 = -0.8f + 1.6f * (float)i / 8, a1 = -0.8f + 1.6f * (float)(i + 1) / 8;
            thick_line(d, cx + dir * rad * SDL_cosf(a0), cy + rad * SDL_sinf(a0),
                       cx + dir * rad * SDL_cosf(a1), cy + rad * SDL_sinf(a1), t, c);
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
