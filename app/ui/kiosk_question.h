/* kiosk_question.h — the page of one question: its texts, its answers as the client sees them
 * (a list, or keys for 0-10 rows and numbers), the message place and the bottom row. The kiosk
 * builds its question screen with it, and tests/ui/test_ui_fit.c lays out every shipped
 * question with the same function, so what the test checks is what a client sees.
 *
 * Owns only the description of the page (ui_widget.h places it); the flow (app/core/flow.h)
 * owns the answers and what a button does (its FLOW_EV_* event). */
#ifndef ITS_KIOSK_QUESTION_H
#define ITS_KIOSK_QUESTION_H

#include <stdbool.h>

#include "qn.h"
#include "session.h"
#include "ui_app.h"
#include "ui_widget.h"

typedef struct kiosk_question {
    ui_app *ui;              /* texts are kept in its pool until the next layout */
    const ui_locale *loc;    /* the client's language for the kiosk's words */
    const qn *q;
    int lang;                /* the questionnaire's language index (qn_lang_index) */
    int item;
    int number, total;       /* "Kysymys 3 / 15" */
    qn_answer answer;        /* the answer given so far */
    int check;               /* a check's text shown first (index into q->checks), -1 none */
    const char *message;     /* a message for the client (already in words), NULL none */
    bool speak;              /* "Lue ääneen" is offered: the progress line leaves it room */
    ui_metrics m;            /* the screen's sizes at the client's text size */
} kiosk_question;

/* Is this scale shown as a row of keys (every label a number of up to three characters)? */
bool kiosk_question_keys(const qn_scale *sc, int lang);

/* Adds the question's page to p (an empty page, perhaps with its scroll words set). */
void kiosk_question_build(const kiosk_question *in, ui_page *p);

#endif
