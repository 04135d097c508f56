/* test_ui_theme.c — every theme's colours (app/ui/ui_theme.c) meet the contrast the screens
 * promise, computed with WCAG 2's relative luminance: text against what it is drawn on at least
 * 7:1, a button's edge (its face or its border against the page) and marks at least 4.5:1. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "ui_theme.h"

static double channel(Uint8 v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(SDL_Color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

static double ratio(SDL_Color a, SDL_Color b)
{
    double x = luminance(a), y = luminance(b);
    return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}

static void at_least(const char *theme, const char *what, double r, double min)
{
    printf("%-8s %-46s %5.2f:1 (at least %.1f)\n", theme, what, r, min);
    if (!CHECK(r >= min))
        fprintf(stderr, "  %s: %s is %.2f:1, below %.1f:1\n", theme, what, r, min);
}

#define ROLE(name) offsetof(ui_theme, name)

/* A colour drawn on another; with `or_a`/`or_b` either pairing may carry it (the better one). */
typedef struct pairing {
    const char *what;
    size_t a, b, or_a, or_b;
    double min;
} pairing;

static const pairing pairings[] = {
    /* text: 7:1 */
    {"text on the page", ROLE(ink), ROLE(paper), 0, 0, 7},
    {"secondary text on the page", ROLE(muted), ROLE(paper), 0, 0, 7},
    {"message text on the page", ROLE(alert), ROLE(paper), 0, 0, 7},
    {"label on a button", ROLE(label), ROLE(face), 0, 0, 7},
    {"label on a pressed button", ROLE(label), ROLE(pressed_face), 0, 0, 7},
    {"label on the main button / a chosen answer", ROLE(paper), ROLE(accent), 0, 0, 7},
    {"label on them pressed", ROLE(paper), ROLE(pressed_accent), 0, 0, 7},
    /* what is not text: 4.5:1 */
    {"button edge (face or border) on the page", ROLE(face), ROLE(paper), ROLE(accent),
     ROLE(paper), 4.5},
    {"main button / chosen answer on the page", ROLE(accent), ROLE(paper), 0, 0, 4.5},
    {"chosen answer's border, focus ring on the page", ROLE(ink), ROLE(paper), 0, 0, 4.5},
    {"answer box's frame on a button", ROLE(label), ROLE(face), 0, 0, 4.5},
    {"answer box (fill or frame) on a chosen answer", ROLE(box), ROLE(accent), ROLE(label),
     ROLE(accent), 4.5},
    {"answer box's frame around its fill", ROLE(label), ROLE(box), 0, 0, 4.5},
    {"check mark in the answer box", ROLE(check), ROLE(box), 0, 0, 4.5},
    {"bar against its empty part", ROLE(accent), ROLE(track), 0, 0, 4.5},
};

static SDL_Color role(const ui_theme *t, size_t offset)
{
    SDL_Color c;
    memcpy(&c, (const char *)t + offset, sizeof c);
    return c;
}

int main(void)
{
    CHECK_EQ_INT(UI_THEME_LIGHT, 0); /* a zeroed screen state starts in the usual colours */
    for (int i = 0; i < UI_THEME_COUNT; i++) {
        const ui_theme *t = ui_theme_at((ui_theme_id)i);
        for (size_t k = 0; k < sizeof pairings / sizeof pairings[0]; k++) {
            const pairing *p = &pairings[k];
            double r = ratio(role(t, p->a), role(t, p->b));
            if (p->or_a || p->or_b) {
                double r2 = ratio(role(t, p->or_a), role(t, p->or_b));
                r = r2 > r ? r2 : r;
            }
            at_least(t->name, p->what, r, p->min);
        }
    }
    /* the high-contrast theme does not lean on borders: its button faces stand out themselves */
    const ui_theme *hc = ui_theme_at(UI_THEME_CONTRAST);
    at_least(hc->name, "button face itself on the page", ratio(hc->face, hc->paper), 4.5);
    CHECK(ui_theme_at((ui_theme_id)99) == ui_theme_at(UI_THEME_LIGHT)); /* else the usual ones */
    return check_summary();
}
