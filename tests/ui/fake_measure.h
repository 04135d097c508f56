/* fake_measure.h — a measurer for layout tests without a window or a font (ui_text.h:
 * ui_measure): every character is half the font size wide and a line is 5/4 of it tall, so
 * rectangles can be worked out by hand. */
#ifndef ITS_TEST_FAKE_MEASURE_H
#define ITS_TEST_FAKE_MEASURE_H

#include "ui_text.h"

static inline int fake_width(void *ctx, const char *s, size_t len, int px, bool bold)
{
    (void)ctx;
    (void)bold;
    return (int)ui_text_chars(s, len) * px / 2;
}

static inline int fake_height(void *ctx, int px, bool bold)
{
    (void)ctx;
    (void)bold;
    return px * 5 / 4;
}

#endif
