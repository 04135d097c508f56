/* ui_mirror.c — the mirror step for right-to-left languages (ui_list_mirror, ui_widget.h).
 *
 * Kept apart from ui_page_layout on purpose: the layout places every page left to right once,
 * and mirroring is a reflection of its result, so no layout rule needs a right-to-left twin. */
#include "ui_widget.h"

void ui_list_mirror(ui_list *l, int screen_w)
{
    for (int i = 0; i < l->n; i++) {
        SDL_Rect *r = &l->w[i].r;
        r->x = screen_w - r->x - r->w;
    }
    l->rtl = true;
}
