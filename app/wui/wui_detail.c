/* wui_detail.c — one assessment in words (worker_detail.h): answers, scores with method and
 * imputed items, flags with reasons and the worker's notes, an area bar chart, H1-H3 days, and
 * exports of this assessment. */
#include "wui_int.h"

void wui_detail_open(int entry)
{
    W.entry = entry;
}

void wui_detail_close(void)
{
    W.has_detail = false;
}

void wui_detail_build(void)
{
}

bool wui_detail_act(wui_action a, int arg)
{
    return false;
}
