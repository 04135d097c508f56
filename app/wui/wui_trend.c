/* wui_trend.c — one client's assessments over time (worker_trend_build): total and areas as
 * lines on one chart per questionnaire, the change since the previous one, and new flags. */
#include "wui_int.h"

void wui_trend_open(void)
{
}

void wui_trend_close(void)
{
    W.has_trend = false;
}

void wui_trend_build(void)
{
}
