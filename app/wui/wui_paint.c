/* wui_paint.c — drawing around the widgets: level badges (icon + word), fills, frames, lines
 * and chart marks, kept as a list that the frame draws under or over the widgets. */
#include "wui_int.h"

#include <math.h>

#include "ui_draw.h"
#include "ui_locale.h"

/* Red 6.5:1 and a dark amber edge on white; the icons carry shape and the word carries meaning,
 * so neither colour has to be told apart from the other. */
#define RED ((SDL_Color){0xB7, 0x1C, 0x1C, 0xFF})
#define YELLOW ((SDL_Color){0xF5, 0xC2, 0x1B, 0xFF})
#define YELLOW_EDGE ((SDL_Color){0x6B, 0x4E, 0x00, 0xFF})

SDL_Color wui_level_color(wui *wk, qn_level level)
{
    return level == QN_LEVEL_RED ? RED : level == QN_LEVEL_YELLOW ? YELLOW : wk->theme->muted;
}

SDL_Color wui_series_color(int i)
{
    /* dark, distinct on white (each >= 4.5:1); lines also differ by their marks */
    static const SDL_Color c[] = {
        {0x11, 0x11, 0x11, 0xFF}, {0x0B, 0x3D, 0x91, 0xFF}, {0x00, 0x6D, 0x5B, 0xFF},
        {0x8E, 0x24, 0xAA, 0xFF}, {0xA6, 0x4B, 0x00, 0xFF}, {0x55, 0x55, 0x55, 0xFF},
        {0x5D, 0x40, 0x37, 0xFF}, {0xAD, 0x14, 0x57, 0xFF},
    };
    return c[(i < 0 ? 0 : i) % (int)(sizeof c / sizeof c[0])];
}

wui_deco *wui_deco_add(wui *wk, wui_deco_kind kind, bool over)
{
    if (wk->n_deco >= WUI_DECO_MAX)
        return NULL;
    wui_deco *d = &wk->deco[wk->n_deco++];
    *d = (wui_deco){.kind = kind, .body = wk->deco_body, .over = over, .c = wk->theme->ink, .t = 2};
    return d;
}

void wui_deco_fill(wui *wk, SDL_Rect r, SDL_Color c, bool over)
{
    wui_deco *d = wui_deco_add(wk, WD_FILL, over);
    if (d) {
        d->r = r;
        d->c = c;
    }
}

const char *wui_level_word(wui *wk, qn_level level)
{
    return ui_tr(&wk->loc, level == QN_LEVEL_RED      ? "wk_level_red"
                           : level == QN_LEVEL_YELLOW ? "wk_level_yellow"
                                                      : "wk_level_none");
}

int wui_badge(wui *wk, ui_list *l, int x, int y, qn_level level, int px, const char *word)
{
    int lh = ui_draw_line_height(wk->ui->draw, px, true);
    int s = px * 6 / 5;
    wui_deco *d = wui_deco_add(wk, WD_BADGE, true);
    if (d) {
        d->r = (SDL_Rect){x, y + (lh - s) / 2, s, s};
        d->shape = (int)level;
        d->body = l == &wk->body;
    }
    word = word ? word : wui_level_word(wk, level);
    ui_list_text(l, x + s + px / 3, y,
                 ui_draw_text_width(wk->ui->draw, word, strlen(word), px, true) + 2, word, px,
                 UI_BOLD | (level == QN_LEVEL_NONE ? UI_MUTED : 0));
    return s + px / 3 + ui_draw_text_width(wk->ui->draw, word, strlen(word), px, true);
}

/* ---- primitives -------------------------------------------------------------------------- */

static SDL_Renderer *rend(wui *wk)
{
    return SDL_GetRenderer(ui_draw_window(wk->ui->draw));
}

static void triangles(wui *wk, const SDL_Vertex *v, int n, const int *idx, int n_idx)
{
    SDL_RenderGeometry(rend(wk), NULL, v, n, idx, n_idx);
}

static SDL_Vertex vx(float x, float y, SDL_Color c)
{
    return (SDL_Vertex){{x, y}, c, {0, 0}};
}

static void disc(wui *wk, float cx, float cy, float r, SDL_Color c)
{
    enum { N = 32 };
    SDL_Vertex v[N + 1];
    int idx[N * 3];
    v[0] = vx(cx, cy, c);
    for (int i = 0; i < N; i++) {
        float a = (float)i * 6.2831853f / N;
        v[i + 1] = vx(cx + r * cosf(a), cy + r * sinf(a), c);
        idx[i * 3] = 0;
        idx[i * 3 + 1] = i + 1;
        idx[i * 3 + 2] = (i + 1) % N + 1;
    }
    triangles(wk, v, N + 1, idx, N * 3);
}

static void polygon(wui *wk, const float *xy, int n, SDL_Color c)
{
    SDL_Vertex v[8];
    int idx[18], k = 0;
    for (int i = 0; i < n && i < 8; i++)
        v[i] = vx(xy[2 * i], xy[2 * i + 1], c);
    for (int i = 1; i + 1 < n && k + 3 <= 18; i++) {
        idx[k++] = 0;
        idx[k++] = i;
        idx[k++] = i + 1;
    }
    triangles(wk, v, n, idx, k);
}

static void line(wui *wk, float x0, float y0, float x1, float y1, float t, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len <= 0)
        return;
    float nx = -dy / len * t / 2, ny = dx / len * t / 2;
    float xy[8] = {x0 + nx, y0 + ny, x1 + nx, y1 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny};
    polygon(wk, xy, 4, c);
}

/* "!" drawn as a bar and a dot, so it needs no font. */
static void bang(wui *wk, SDL_Rect r, SDL_Color c)
{
    float cx = (float)r.x + (float)r.w / 2, w = (float)r.w * 0.13f;
    float top = (float)r.y + (float)r.h * 0.26f, bottom = (float)r.y + (float)r.h * 0.62f;
    float xy[8] = {cx - w / 2, top, cx + w / 2, top, cx + w / 2, bottom, cx - w / 2, bottom};
    polygon(wk, xy, 4, c);
    disc(wk, cx, (float)r.y + (float)r.h * 0.76f, w * 0.62f, c);
}

static void badge(wui *wk, SDL_Rect r, int level)
{
    float cx = (float)r.x + (float)r.w / 2, cy = (float)r.y + (float)r.h / 2;
    float rad = (float)r.w / 2;
    if (level == QN_LEVEL_RED) { /* a filled circle with "!" */
        disc(wk, cx, cy, rad, RED);
        bang(wk, r, wk->theme->paper);
    } else if (level == QN_LEVEL_YELLOW) { /* a triangle with "!" */
        float e = (float)r.w * 0.06f + 1;
        float out[6] = {cx, (float)r.y - e, (float)(r.x + r.w) + e, (float)(r.y + r.h) + e / 2,
                        (float)r.x - e, (float)(r.y + r.h) + e / 2};
        polygon(wk, out, 3, YELLOW_EDGE);
        float in[6] = {cx, (float)r.y + e, (float)(r.x + r.w) - e, (float)(r.y + r.h) - e / 2,
                       (float)r.x + e, (float)(r.y + r.h) - e / 2};
        polygon(wk, in, 3, YELLOW);
        SDL_Rect b = {r.x, r.y + r.h / 10, r.w, r.h};
        bang(wk, b, wk->theme->ink);
    } else { /* an open circle: nothing flagged */
        disc(wk, cx, cy, rad, wk->theme->muted);
        disc(wk, cx, cy, rad * 0.72f, wk->theme->paper);
    }
}

/* A chart mark: 0 disc, 1 square, 2 triangle, 3 diamond (series differ by shape, not only
 * colour). */
static void mark(wui *wk, SDL_Rect r, int shape, SDL_Color c)
{
    float cx = (float)r.x + (float)r.w / 2, cy = (float)r.y + (float)r.h / 2, h = (float)r.w / 2;
    switch (shape % 4) {
    case 0:
        disc(wk, cx, cy, h, c);
        break;
    case 1: {
        float xy[8] = {cx - h, cy - h, cx + h, cy - h, cx + h, cy + h, cx - h, cy + h};
        polygon(wk, xy, 4, c);
        break;
    }
    case 2: {
        float xy[6] = {cx, cy - h * 1.15f, cx + h * 1.15f, cy + h, cx - h * 1.15f, cy + h};
        polygon(wk, xy, 3, c);
        break;
    }
    default: {
        float xy[8] = {cx, cy - h * 1.3f, cx + h * 1.3f, cy, cx, cy + h * 1.3f, cx - h * 1.3f, cy};
        polygon(wk, xy, 4, c);
        break;
    }
    }
}

void wui_deco_draw(wui *wk, bool over, bool body)
{
    SDL_Renderer *r = rend(wk);
    SDL_RenderSetClipRect(r, body ? &wk->view : NULL); /* the scrolled ones stay in their area */
    for (int i = 0; i < wk->n_deco; i++) {
        const wui_deco *d = &wk->deco[i];
        if (d->over != over || d->body != body)
            continue;
        switch (d->kind) {
        case WD_FILL:
            ui_draw_fill(wk->ui->draw, d->r, d->c);
            break;
        case WD_FRAME:
            ui_draw_frame(wk->ui->draw, d->r, d->t, d->c);
            break;
        case WD_BADGE:
            badge(wk, d->r, d->shape);
            break;
        case WD_LINE:
            line(wk, (float)d->x0, (float)d->y0, (float)d->x1, (float)d->y1, (float)d->t, d->c);
            break;
        case WD_MARK:
            mark(wk, d->r, d->shape, d->c);
            break;
        }
    }
    SDL_RenderSetClipRect(r, NULL);
}
