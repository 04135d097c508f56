/* flow.h — the client's assessment as a pure state machine: (state, event) -> (state, effects).
 *
 * Owns which screen the client is on, the session (answers) and everything typed or chosen on
 * the way: code, language, text size, colours, read-aloud, the idle warning, the thank-you
 * picture. It draws nothing and stores nothing: no SDL, no SQLite, no keys. The kiosk (app/ui/
 * kiosk.c) draws f->screen, turns taps and keys into events, and carries out the effects that
 * flow_step returns (saving the draft, sending the result, speaking, arming the idle clock);
 * an effect that has an outcome comes back as an event (FLOW_EV_SAVED, FLOW_EV_DRAFT_FOUND...).
 *
 * Transitions, each edge with the effects it returns ([...]); the function that makes it is in
 * flow.c under the event's name (on_<event>). Every screen arms the idle clock on entry
 * [idle_arm] except START and, on a tablet, RESUME [idle_disarm]. "enter START" is [draft_load]
 * with the thank-you picture wiped; a draft found there comes back as DRAFT_FOUND.
 *
 *   START   --START-->          INFO
 *   START   --DRAFT_FOUND-->    RESUME        (the draft's language and text size applied)
 *   START   --LANG/BIGGER/SMALLER/THEME/READ_ALL--> START [prefs, idle_arm: defaults return]
 *   RESUME  --RESUME_YES-->     RESUME [draft_load]; --DRAFT_FOUND--> QUESTION/REVIEW
 *                               [draft_save]; --DRAFT_NONE or a draft that does not fit--> START
 *   RESUME  --RESUME_NO-->      START [draft_wipe, prefs: client defaults]
 *   INFO    --NEXT--> CONSENT;  --BACK--> enter START
 *   CONSENT --CONSENT yes|no--> IDENT (the research choice kept); --BACK--> INFO
 *   IDENT   --CODE_YES--> CODE; --ANON--> CHOOSE or INTRO (session made); --BACK--> CONSENT
 *   CODE    --KEY/ERASE--> CODE; --CODE_DONE (valid)--> CHOOSE or INTRO; (invalid: message)
 *           --BACK--> IDENT
 *   CHOOSE  --CHOOSE i--> INTRO (session made for questionnaire i); --BACK--> IDENT
 *   INTRO   --BEGIN--> QUESTION [draft_save]; --BACK--> CHOOSE or IDENT (session dropped)
 *   QUESTION --ANSWER/REFUSE/NA/TOGGLE/DIGIT/PLUS/MINUS/ERASE--> QUESTION [draft_save]
 *   QUESTION --NEXT (answered)--> QUESTION, or REVIEW past the last [draft_save]
 *            (after REVIEW_ITEM: back to REVIEW unless the next one is unanswered)
 *   QUESTION --NEXT (unanswered)--> QUESTION (message "choose_answer")
 *   QUESTION --NEXT (an answer check on this item fails, not yet shown here)--> QUESTION with
 *            the check's words (f->check); NEXT again goes on: a check warns, never blocks
 *   QUESTION --BACK--> previous QUESTION [draft_save], or INTRO from the first
 *   REVIEW  --REVIEW_ITEM i--> QUESTION i [draft_save]; --BACK--> last QUESTION [draft_save]
 *   REVIEW, SAVE_ERROR --SEND--> same [send_result]; the kiosk answers SAVED or SAVE_FAILED
 *   REVIEW, SAVE_ERROR --SAVED--> THANKS (session wiped; picture and pickup code kept)
 *   REVIEW, SAVE_ERROR --SAVE_FAILED--> SAVE_ERROR [log]; SAVE_ERROR --BACK--> REVIEW
 *   THANKS  --THANKS_DONE--> enter START [prefs: client defaults] (session wiped)
 *   any but START/THANKS --IDLE_WARNING s--> same, warning shown [chime when it appears]
 *   START, THANKS --IDLE_WARNING--> as IDLE_EXPIRED (nothing to warn about)
 *   any     --IDLE_EXPIRED--> enter START [draft_wipe on a kiosk, prefs: client defaults]
 *   any     --IDLE_QUIET--> same, warning hidden;  --CONTINUE--> same [idle_touch]
 *   any     --WORKER_OPEN--> [open_worker] (or WORKER, the placeholder); WORKER/after the
 *           worker's screens --WORKER_CLOSE--> the screen it came from
 *   any     --INTERVIEW who--> START, assisted by `who` (the worker's key fingerprint), any
 *           assessment underway ended [prefs: client defaults, idle_arm]; the mark lasts until
 *           the assessment is saved or the screen idles out (START is timed while it is set)
 *
 * Invariants (flow_invariants_hold checks 1, 3 and 4 after every step: an assert in flow_step,
 * and a CHECK after every step of tests/unit/test_flow.c):
 *   1. A session exists (f->active) only from INTRO up to THANKS. Every way out of that range
 *      goes through flow_session_end, which wipes the answers (session_wipe) and the codes.
 *   2. Every answer change returns [draft_save] before the screen changes.
 *   3. THANKS is reached only by SAVED, i.e. after the sink said the result is durable; the
 *      session is wiped at that moment, so there is no way back into a finished assessment.
 *   4. Idle: on any screen but START a quiet spell shows a countdown (IDLE_WARNING); its end
 *      (IDLE_EXPIRED) wipes the session (and on a kiosk the draft) and returns to START with
 *      the kiosk's own defaults. On START and THANKS the time just runs out.
 *   5. While the warning shows, only CONTINUE, idle events and the worker gesture act.
 *   6. The client never sees a flag or a colour for a result: THANKS is the same for everyone,
 *      but for the crisis-help text (where to get help now) when the mood answers call for it.
 *   7. What a result stores for an item that skip logic hides is "na" (flow_result_text), so
 *      an answer given before a gate question changed is never kept.
 *   8. The research choice is the client's own: it starts "not asked" for every client (leaving
 *      INFO forwards, every session end), nothing is pre-selected, and YES and NO lead on alike.
 *
 * Adding a screen (a consent screen, say, between INFO and IDENT):
 *   1. FLOW_<NAME> in flow_screen (before FLOW_SCREEN_COUNT), its buttons' events in
 *      flow_event_kind (before the "not buttons" group: they are blocked by the idle warning);
 *   2. in flow.c a handler per new event, listed in `handlers`, which checks f->screen and
 *      calls go(); change the edge that used to lead past it (on_forward / on_back);
 *   3. the edges in the table above, a test in tests/unit/test_flow.c;
 *   4. build_<name> in app/ui/kiosk.c, in layout()'s table (its buttons' actions are the
 *      events). A screen arms the idle clock by itself (go); anything stored is an effect.
 */
#ifndef ITS_FLOW_H
#define ITS_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clientcode.h"
#include "feedback.h"
#include "session.h"

enum { FLOW_TEXT_MIN = 100, FLOW_TEXT_MAX = 200, FLOW_TEXT_STEP = 25 };

typedef enum flow_screen {
    FLOW_START, FLOW_RESUME, FLOW_INFO, FLOW_IDENT, FLOW_CODE, FLOW_CHOOSE, FLOW_INTRO,
    FLOW_QUESTION, FLOW_REVIEW, FLOW_SAVE_ERROR, FLOW_THANKS, FLOW_WORKER, FLOW_CONSENT,
    FLOW_SCREEN_COUNT
} flow_screen;

/* The client's answer to "may your answers be used, without your name, for research on the
 * programme" (CONSENT's arg; the result's "consent": {"research": "yes" | "no"}). */
typedef enum flow_research {
    FLOW_RESEARCH_NOT_ASKED = 0, FLOW_RESEARCH_YES, FLOW_RESEARCH_NO
} flow_research;

#define FLOW_WHO_MAX 65 /* an interviewer's key fingerprint, hex */

/* Events: the first group are buttons (a button's action is its event kind, its arg the
 * event's arg); the rest come from the kiosk's clock and from effects carried out. */
typedef enum flow_event_kind {
    FLOW_EV_NONE, FLOW_EV_LANG, FLOW_EV_BIGGER, FLOW_EV_SMALLER, FLOW_EV_START, FLOW_EV_BACK,
    FLOW_EV_NEXT, FLOW_EV_CODE_YES, FLOW_EV_ANON, FLOW_EV_KEY, FLOW_EV_ERASE,
    FLOW_EV_CODE_DONE, FLOW_EV_CHOOSE, FLOW_EV_BEGIN, FLOW_EV_ANSWER, FLOW_EV_REFUSE,
    FLOW_EV_NA, FLOW_EV_TOGGLE, FLOW_EV_DIGIT, FLOW_EV_MINUS, FLOW_EV_PLUS,
    FLOW_EV_REVIEW_ITEM, FLOW_EV_SEND, FLOW_EV_THANKS_DONE, FLOW_EV_CONTINUE,
    FLOW_EV_RESUME_YES, FLOW_EV_RESUME_NO, FLOW_EV_WORKER_CLOSE, FLOW_EV_READ_ALL,
    FLOW_EV_THEME, FLOW_EV_CONSENT,
    /* not buttons */
    FLOW_EV_DRAFT_FOUND,  /* data/len: the draft the sink returned */
    FLOW_EV_DRAFT_NONE,   /* no draft (or it could not be read) */
    FLOW_EV_SAVED,        /* the result is durable */
    FLOW_EV_SAVE_FAILED,  /* data: why, one sentence */
    FLOW_EV_IDLE_WARNING, /* arg: seconds left on the countdown */
    FLOW_EV_IDLE_QUIET,   /* the warning is over (a touch) */
    FLOW_EV_IDLE_EXPIRED,
    FLOW_EV_WORKER_OPEN,
    FLOW_EV_INTERVIEW,    /* data: who (the worker's key fingerprint), from the worker's screens */
    FLOW_EV_COUNT
} flow_event_kind;

typedef struct flow_event {
    flow_event_kind kind;
    int arg;
    const char *data; /* DRAFT_FOUND: the draft; SAVE_FAILED: the reason; INTERVIEW: who */
    size_t len;
    int64_t wall;     /* wall clock, seconds since 1970 (BEGIN records it as "started") */
    uint32_t random;  /* SEND: random bits for an anonymous client's pickup code */
} flow_event;

/* Effects, a bit set: what the kiosk does after a step, in this order. */
enum {
    FLOW_FX_LOG = 1u << 0,        /* print f->err.msg (nothing the client sees) */
    FLOW_FX_DRAFT_WIPE = 1u << 1,
    FLOW_FX_DRAFT_SAVE = 1u << 2, /* flow_draft_text -> the sink */
    FLOW_FX_PREFS = 1u << 3,      /* apply f->lang and f->theme */
    FLOW_FX_SCREEN = 1u << 4,     /* a new screen: silence, first part of the page, guard */
    FLOW_FX_RELAYOUT = 1u << 5,   /* the same screen with new contents */
    FLOW_FX_READ = 1u << 6,       /* read-all: read the screen when shown iff f->read_all */
    FLOW_FX_IDLE_ARM = 1u << 7,
    FLOW_FX_IDLE_DISARM = 1u << 8,
    FLOW_FX_IDLE_TOUCH = 1u << 9,
    FLOW_FX_CHIME = 1u << 10,
    FLOW_FX_SEND_RESULT = 1u << 11, /* flow_result_text -> the sink; answer SAVED/SAVE_FAILED */
    FLOW_FX_DRAFT_LOAD = 1u << 12,  /* answer DRAFT_FOUND or DRAFT_NONE */
    FLOW_FX_OPEN_WORKER = 1u << 13
};

/* Read, never copied: it and the strings it points to outlive the machine, unchanged. */
typedef struct flow_config {
    const qn *const *qns;       /* questionnaires offered, at least one */
    int n_qns;
    bool tablet;                /* a tablet keeps its draft over an idle wipe */
    bool has_worker;            /* the worker's screens exist: WORKER_OPEN hands over */
    const char *lang;           /* the kiosk's own language */
    const char *const *langs;   /* languages offered (LANG's arg indexes them) */
    int n_langs;
    int n_themes;               /* colour themes; 0 is the kiosk's own */
    bool allow_unreviewed;      /* a questionnaire's unreviewed translation may be shown (tests
                                   and demos only, certify.h); else its first language is */
} flow_config;

typedef struct flow {
    const flow_config *c;
    flow_screen screen;
    bool in_worker;          /* the worker's screens (or WORKER) are open */
    flow_screen worker_return; /* and the screen to go back to */
    /* the client's choices; flow_client_defaults puts the kiosk's own back */
    char lang[8];
    int theme;
    int text_percent;
    bool read_all;
    /* the assessment */
    int qi;                  /* chosen questionnaire */
    qn_session s;
    bool active;             /* s holds a session (invariant 1) */
    bool anonymous;
    char code[CLIENTCODE_LEN + 1];  /* validated client code, or the pickup code on THANKS */
    char typed[CLIENTCODE_LEN + 1]; /* what is on the code keypad */
    char started[32];
    flow_research research;  /* invariant 8 */
    char assisted_by[FLOW_WHO_MAX]; /* a worker enters the answers with the client; "" not */
    bool review_return;      /* a row on REVIEW was tapped: NEXT goes back there */
    const char *message;     /* a locale key shown as a plain message on this screen */
    char message_arg[16];
    int check;               /* QUESTION: a failed answer check shown (q->checks), or -1 */
    int check_item;          /* the question it was shown on: NEXT there again goes on */
    bool warning;            /* idle countdown shown */
    int warning_secs;
    /* THANKS, counted before the wipe: the client's own areas, strengths first */
    int answered;
    char fb_names[FEEDBACK_MAX_AREAS][96];
    int fb_values[FEEDBACK_MAX_AREAS];
    int fb_areas, fb_strengths;
    feedback_hard fb_hard;   /* the sentence when no strength is named (feedback_hard_key) */
    bool crisis;             /* the answers call for the crisis-help text (flags_crisis_help) */
    its_err err;             /* FLOW_FX_LOG's sentence */
} flow;

/* Invariants 1, 3 and 4 hold, and the client's choices are in range. */
bool flow_invariants_hold(const flow *f);

/* A machine on START with the kiosk's defaults; returns the effects of entering START. */
unsigned flow_init(flow *f, const flow_config *c);

/* One event: the new state is in *f, the effects to carry out are returned. */
unsigned flow_step(flow *f, flow_event e);

/* Ends the assessment in memory (invariant 1). flow_step does it on every way out; the
 * kiosk calls it once more when it closes. */
void flow_session_end(flow *f);

/* The questionnaire being answered, and its language index for f->lang. */
const qn *flow_qn(const flow *f);
int flow_qn_lang(const flow *f, const qn *q);

/* Benchmarks: the nth shown question of qns[0], anonymous, as if tapped there. */
unsigned flow_open_question(flow *f, int n, int64_t wall);

/* ---- what the effects carry (flow_data.c) ---- */

/* The draft (format 1: questionnaire, answers, position, code, language, text size) as
 * compact JSON, malloc'd; the caller wipes and frees it. NULL without a session or memory. */
char *flow_draft_text(const flow *f);

/* The result payload for the sink (result.h), with the answers that skip logic hides stored
 * as "na" (invariant 7); malloc'd, the caller wipes and frees it. NULL with err set. */
char *flow_result_text(const flow *f, int64_t wall, const char *device, its_err *err);

/* "yes" / "no" for the result's consent, NULL when not asked. */
const char *flow_research_name(flow_research r);

/* "2026-12-04T23:50:00Z" for a wall clock in seconds. */
void flow_iso_time(int64_t wall, char out[32]);

#endif
