/* pdf_fonts.h — what the two PDF pages of the worker side share (pdf.c: one assessment;
 * progreport_pdf.c: the programme report): the bundled Noto Sans faces through FreeType, and a
 * cairo writer to a stdio stream. Not for other modules. */
#ifndef ITS_PDF_FONTS_H
#define ITS_PDF_FONTS_H

#include <cairo-ft.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include "util.h"

typedef struct fonts {
    cairo_font_face_t *regular, *bold;
    FT_Face regular_ft; /* owned by `regular`: to ask which characters the font has */
} fonts;

/* Loads DIR/assets/fonts/NotoSans-{Regular,Bold}.ttf. */
int pdf_fonts_load(fonts *f, const char *dir, its_err *err);
void pdf_fonts_free(fonts *f);
/* cairo's write function for a FILE * closure. */
cairo_status_t pdf_to_stream(void *closure, const unsigned char *data, unsigned int length);

#endif
