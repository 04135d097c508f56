/* ui_script.c — see ui_script.h. */
#include "ui_script.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_draw.h"

enum { HUMAN_PACE_MS = 300, FAKE_TOUCH_ID = 77 };

typedef struct op_name {
    const char *name;
    ui_script_op op;
} op_name;

static const op_name ops[] = {
    {"tap", UI_SCRIPT_TAP},         {"seek", UI_SCRIPT_SEEK},       {"touch", UI_SCRIPT_TOUCH_AT},
    {"dtap", UI_SCRIPT_DTAP},       {"drag", UI_SCRIPT_DRAG},       {"key", UI_SCRIPT_KEY},
    {"type", UI_SCRIPT_TYPE},       {"wait", UI_SCRIPT_WAIT},       {"advance", UI_SCRIPT_ADVANCE},
    {"shot", UI_SCRIPT_SHOT},       {"expect", UI_SCRIPT_EXPECT},   {"expect_not", UI_SCRIPT_EXPECT_NOT},
    {"crash", UI_SCRIPT_CRASH},     {"quit", UI_SCRIPT_QUIT},       {"hold", UI_SCRIPT_HOLD},
    {"press", UI_SCRIPT_PRESS_AT},  {"release", UI_SCRIPT_RELEASE_AT},
};

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Reads a quoted string ("..." with \" and \\) or a bare word into out. */
static const char *read_word(const char *p, char *out, size_t n, bool *quoted)
{
    size_t k = 0;
    p = skip_space(p);
    *quoted = *p == '"';
    if (*quoted) {
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1])
                p++;
            if (k + 1 < n)
                out[k++] = *p;
        }
        if (*p != '"') {
            out[0] = '\0';
            return NULL;
        }
        p++;
    } else {
        for (; *p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n'; p++)
            if (k + 1 < n)
                out[k++] = *p;
    }
    out[k] = '\0';
    return p;
}

static bool read_int(const char **p, int *v)
{
    char word[32], *end;
    bool quoted;
    const char *q = read_word(*p, word, sizeof word, &quoted);
    if (!q || quoted || !word[0])
        return false;
    errno = 0;
    long x = strtol(word, &end, 10);
    if (*end || errno || x < -1000000 || x > 1000000)
        return false;
    *v = (int)x;
    *p = q;
    return true;
}

int ui_script_parse_line(const char *line, int line_no, ui_script_cmd *cmd, its_err *err)
{
    const char *p = skip_space(line);
    if (!*p || *p == '#' || *p == '\n' || *p == '\r')
        return 1;
    char word[32];
    bool quoted;
    p = read_word(p, word, sizeof word, &quoted);
    memset(cmd, 0, sizeof *cmd);
    cmd->line = line_no;
    size_t i = 0;
    while (i < sizeof ops / sizeof ops[0] && strcmp(ops[i].name, word) != 0)
        i++;
    if (i == sizeof ops / sizeof ops[0])
        return its_fail(err, "line %d: unknown command \"%s\"", line_no, word);
    cmd->op = ops[i].op;
    const char *rest = p;
    switch (cmd->op) {
    case UI_SCRIPT_TAP:
    case UI_SCRIPT_TOUCH_AT:
        if (read_int(&rest, &cmd->x)) {
            cmd->op = cmd->op == UI_SCRIPT_TAP ? UI_SCRIPT_TAP_AT : UI_SCRIPT_TOUCH_AT;
            if (!read_int(&rest, &cmd->y))
                return its_fail(err, "line %d: tap X Y needs two numbers", line_no);
            break;
        }
        if (cmd->op == UI_SCRIPT_TOUCH_AT)
            cmd->op = UI_SCRIPT_TOUCH;
        p = read_word(p, cmd->arg, sizeof cmd->arg, &quoted);
        if (!p || !cmd->arg[0])
            return its_fail(err, "line %d: %s needs %s", line_no, word,
                            p ? "\"label\" or X Y" : "a closing quote");
        rest = p;
        break;
    case UI_SCRIPT_DTAP:
    case UI_SCRIPT_SEEK:
    case UI_SCRIPT_EXPECT:
    case UI_SCRIPT_EXPECT_NOT:
    case UI_SCRIPT_KEY:
    case UI_SCRIPT_TYPE:
    case UI_SCRIPT_SHOT:
        p = read_word(p, cmd->arg, sizeof cmd->arg, &quoted);
        if (!p || !cmd->arg[0])
            return its_fail(err, "line %d: %s needs a %s", line_no, word,
                            p ? "value" : "closing quote");
        rest = p;
        break;
    case UI_SCRIPT_DRAG:
        p = read_word(p, cmd->arg, sizeof cmd->arg, &quoted);
        rest = p;
        if (!p || !cmd->arg[0] || !read_int(&rest, &cmd->x) || !read_int(&rest, &cmd->y))
            return its_fail(err, "line %d: drag needs \"label\" X Y", line_no);
        break;
    case UI_SCRIPT_PRESS_AT:
    case UI_SCRIPT_RELEASE_AT:
        if (!read_int(&rest, &cmd->x) || !read_int(&rest, &cmd->y))
            return its_fail(err, "line %d: %s needs X Y", line_no, word);
        break;
    case UI_SCRIPT_WAIT:
    case UI_SCRIPT_ADVANCE:
        if (!read_int(&rest, &cmd->x) || cmd->x < 0)
            return its_fail(err, "line %d: %s needs a number", line_no, word);
        break;
    default:
        break;
    }
    rest = skip_space(rest);
    if (*rest && *rest != '\n' && *rest != '\r' && *rest != '#')
        return its_fail(err, "line %d: unexpected \"%s\"", line_no, rest);
    return 0;
}

int ui_script_load(const char *path, ui_script *s, its_err *err)
{
    memset(s, 0, sizeof *s);
    if (its_path(s->path, sizeof s->path, err, "%s", path) != 0)
        return -1;
    FILE *f = fopen(path, "r");
    if (!f)
        return its_fail(err, "The script %s could not be opened (%s).", path, strerror(errno));
    char line[1024];
    int line_no = 0, cap = 0;
    while (fgets(line, sizeof line, f)) {
        line_no++;
        ui_script_cmd cmd;
        its_err e;
        int rc = ui_script_parse_line(line, line_no, &cmd, &e);
        if (rc < 0) {
            fclose(f);
            ui_script_free(s);
            return its_fail(err, "%s: %s", path, e.msg);
        }
        if (rc == 1)
            continue;
        if (s->n == cap) {
            cap = cap ? cap * 2 : 64;
            ui_script_cmd *c = realloc(s->cmds, (size_t)cap * sizeof *c);
            if (!c) {
                fclose(f);
                ui_script_free(s);
                return its_fail_code(err, ITS_E_NO_MEMORY, "Out of memory reading %s.", path);
            }
            s->cmds = c;
        }
        s->cmds[s->n++] = cmd;
    }
    fclose(f);
    return 0;
}

void ui_script_free(ui_script *s)
{
    free(s->cmds);
    s->cmds = NULL;
    s->n = s->next = 0;
}

/* ---- the player ---------------------------------------------------------------------------- */

static Uint32 window_id(const ui_draw *d)
{
    return d && ui_draw_window(d) ? SDL_GetWindowID(ui_draw_window(d)) : 0;
}

static void push_button(const ui_draw *d, Uint32 type, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.button.windowID = window_id(d);
    e.button.which = 0;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    SDL_PushEvent(&e);
}

static void push_motion(const ui_draw *d, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.windowID = window_id(d);
    e.motion.state = SDL_BUTTON_LMASK;
    e.motion.x = x;
    e.motion.y = y;
    SDL_PushEvent(&e);
}

static void push_finger(const ui_draw *d, Uint32 type, int x, int y)
{
    int w, h;
    ui_draw_size(d, &w, &h);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.touchId = FAKE_TOUCH_ID;
    e.tfinger.fingerId = 1;
    e.tfinger.x = (float)x / (float)w;
    e.tfinger.y = (float)y / (float)h;
    e.tfinger.pressure = 1.0f;
    e.tfinger.windowID = window_id(d);
    SDL_PushEvent(&e);
}

/* "ctrl+alt+w" -> key and modifiers. */
static int push_key(const ui_draw *d, const char *spec)
{
    char buf[64];
    its_strlcpy(buf, spec, sizeof buf);
    Uint16 mod = KMOD_NONE;
    char *name = buf, *plus;
    while ((plus = strchr(name, '+')) != NULL && plus[1]) {
        *plus = '\0';
        if (!SDL_strcasecmp(name, "ctrl"))
            mod |= KMOD_LCTRL;
        else if (!SDL_strcasecmp(name, "alt"))
            mod |= KMOD_LALT;
        else if (!SDL_strcasecmp(name, "shift"))
            mod |= KMOD_LSHIFT;
        else
            return -1;
        name = plus + 1;
    }
    SDL_Keycode k = SDL_GetKeyFromName(name);
    if (k == SDLK_UNKNOWN)
        return -1;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.windowID = window_id(d);
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
    e.key.keysym.mod = mod;
    SDL_PushEvent(&e);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
    return 0;
}

static void push_text(const ui_draw *d, const char *text)
{
    for (const char *p = text; *p; p++) {
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_TEXTINPUT;
        e.text.windowID = window_id(d);
        e.text.text[0] = *p;
        SDL_PushEvent(&e);
    }
}

static int fail_at(const ui_script *s, const ui_script_cmd *c, const ui_script_host *h,
                   its_err *err, const char *what)
{
    if (h->dump)
        h->dump(h->ctx);
    return its_fail(err, "%s:%d: %s", s->path, c->line, what);
}

/* A mouse click, or a finger's tap, at (x, y). */
static void push_tap(const ui_draw *d, bool finger, int x, int y)
{
    if (finger) {
        push_finger(d, SDL_FINGERDOWN, x, y);
        push_finger(d, SDL_FINGERUP, x, y);
    } else {
        push_button(d, SDL_MOUSEBUTTONDOWN, x, y);
        push_button(d, SDL_MOUSEBUTTONUP, x, y);
    }
}

static bool is_pointer(ui_script_op op)
{
    return op == UI_SCRIPT_TAP || op == UI_SCRIPT_TAP_AT || op == UI_SCRIPT_DTAP ||
           op == UI_SCRIPT_TOUCH || op == UI_SCRIPT_TOUCH_AT || op == UI_SCRIPT_PRESS_AT ||
           op == UI_SCRIPT_RELEASE_AT || op == UI_SCRIPT_DRAG;
}

/* The pointer commands, on button r (a label's) or at the command's point; each but a release
 * comes at a quick person's pace, so the double-tap guard does not swallow it. */
static void step_pointer(const ui_script_cmd *c, const ui_script_host *h, SDL_Rect r)
{
    bool at = c->op == UI_SCRIPT_TAP_AT || c->op == UI_SCRIPT_TOUCH_AT;
    int cx = at ? c->x : r.x + r.w / 2, cy = at ? c->y : r.y + r.h / 2;
    if (c->op != UI_SCRIPT_RELEASE_AT)
        h->advance(h->ctx, HUMAN_PACE_MS);
    switch (c->op) {
    case UI_SCRIPT_DTAP: /* two taps at once */
        push_tap(h->draw, false, cx, cy);
        push_tap(h->draw, false, cx, cy);
        break;
    case UI_SCRIPT_TAP:
    case UI_SCRIPT_TAP_AT:
        push_tap(h->draw, false, cx, cy);
        break;
    case UI_SCRIPT_TOUCH:
    case UI_SCRIPT_TOUCH_AT:
        push_tap(h->draw, true, cx, cy);
        break;
    case UI_SCRIPT_PRESS_AT:
        push_finger(h->draw, SDL_FINGERDOWN, c->x, c->y);
        break;
    case UI_SCRIPT_RELEASE_AT:
        push_finger(h->draw, SDL_FINGERUP, c->x, c->y);
        break;
    case UI_SCRIPT_DRAG:
        push_button(h->draw, SDL_MOUSEBUTTONDOWN, cx, cy);
        push_motion(h->draw, c->x, c->y);
        push_button(h->draw, SDL_MOUSEBUTTONUP, c->x, c->y);
        break;
    default:
        break;
    }
}

/* `seek`: done when the label is on screen, else "show more" and the same line again. */
static int step_seek(ui_script *s, const ui_script_cmd *c, const ui_script_host *h, its_err *err)
{
    SDL_Rect r;
    if (h->find(h->ctx, c->arg, &r) == 0) {
        s->tries = 0;
        return 0;
    }
    if (s->tries++ > 80 || h->find_more(h->ctx, &r) != 0) { /* a review at 200 %: some 20 steps */
        char msg[400];
        snprintf(msg, sizeof msg, "no button \"%s\" anywhere on this screen, scrolled to its end", c->arg);
        s->tries = 0;
        return fail_at(s, c, h, err, msg);
    }
    h->advance(h->ctx, HUMAN_PACE_MS);
    push_tap(h->draw, false, r.x + r.w / 2, r.y + r.h / 2);
    s->next--; /* look again once the next part is shown */
    return 0;
}

/* The other commands: keys and text, time, screenshots, checks, and the run's end. */
static int step_other(ui_script *s, const ui_script_cmd *c, const ui_script_host *h, its_err *err)
{
    char msg[400];
    switch (c->op) {
    case UI_SCRIPT_KEY:
        if (push_key(h->draw, c->arg) != 0) {
            snprintf(msg, sizeof msg, "unknown key \"%s\"", c->arg);
            return fail_at(s, c, h, err, msg);
        }
        break;
    case UI_SCRIPT_TYPE:
        push_text(h->draw, c->arg);
        break;
    case UI_SCRIPT_WAIT:
        SDL_Delay((Uint32)c->x);
        break;
    case UI_SCRIPT_ADVANCE:
        h->advance(h->ctx, c->x * 1000);
        break;
    case UI_SCRIPT_SHOT: {
        its_err e;
        if (h->shot(h->ctx, c->arg, &e) != 0)
            return fail_at(s, c, h, err, e.msg);
        break;
    }
    case UI_SCRIPT_EXPECT:
    case UI_SCRIPT_EXPECT_NOT:
        if (h->shows(h->ctx, c->arg) != (c->op == UI_SCRIPT_EXPECT)) {
            snprintf(msg, sizeof msg, "expected %s\"%s\" on the screen",
                     c->op == UI_SCRIPT_EXPECT ? "" : "no ", c->arg);
            return fail_at(s, c, h, err, msg);
        }
        break;
    case UI_SCRIPT_CRASH:
        fflush(NULL);
        raise(SIGKILL);
        break;
    case UI_SCRIPT_QUIT:
        s->next = s->n;
        return 1;
    case UI_SCRIPT_HOLD:
        return 2;
    default:
        break;
    }
    return 0;
}

int ui_script_step(ui_script *s, const ui_script_host *h, its_err *err)
{
    if (s->next >= s->n)
        return 1;
    const ui_script_cmd *c = &s->cmds[s->next++];
    SDL_Rect r = {0, 0, 0, 0};
    bool needs_button = c->op == UI_SCRIPT_TAP || c->op == UI_SCRIPT_DTAP ||
                        c->op == UI_SCRIPT_DRAG || c->op == UI_SCRIPT_TOUCH;
    if (needs_button && h->find(h->ctx, c->arg, &r) != 0) {
        char msg[400];
        snprintf(msg, sizeof msg, "no button \"%s\" on this screen", c->arg);
        return fail_at(s, c, h, err, msg);
    }
    if (c->op == UI_SCRIPT_SEEK)
        return step_seek(s, c, h, err);
    if (is_pointer(c->op)) {
        step_pointer(c, h, r);
        return 0;
    }
    return step_other(s, c, h, err);
}
