/* test_ui_script.c — the script parser: every command, quoting, and plain errors with the line
 * number for mistakes. */
#include <string.h>

#include "check.h"
#include "ui_script.h"

static ui_script_cmd parse_ok(const char *line)
{
    ui_script_cmd c;
    its_err err;
    memset(&c, 0, sizeof c);
    if (!CHECK_EQ_INT(ui_script_parse_line(line, 7, &c, &err), 0))
        fprintf(stderr, "  %s -> %s\n", line, err.msg);
    return c;
}

static const char *parse_err(const char *line)
{
    static its_err err;
    ui_script_cmd c;
    err.msg[0] = '\0';
    CHECK_EQ_INT(ui_script_parse_line(line, 12, &c, &err), -1);
    return err.msg;
}

int main(void)
{
    ui_script_cmd c = parse_ok("tap \"Seuraava\"");
    CHECK_EQ_INT(c.op, UI_SCRIPT_TAP);
    CHECK_EQ_STR(c.arg, "Seuraava");
    CHECK_EQ_INT(c.line, 7);
    c = parse_ok("  tap 640 400   # a point");
    CHECK_EQ_INT(c.op, UI_SCRIPT_TAP_AT);
    CHECK_EQ_INT(c.x, 640);
    CHECK_EQ_INT(c.y, 400);
    c = parse_ok("tap \"Ei, jatkan \\\"ilman\\\" koodia\"");
    CHECK_EQ_STR(c.arg, "Ei, jatkan \"ilman\" koodia");
    c = parse_ok("touch \"Aloita\"");
    CHECK_EQ_INT(c.op, UI_SCRIPT_TOUCH);
    c = parse_ok("touch 1 2");
    CHECK_EQ_INT(c.op, UI_SCRIPT_TOUCH_AT);
    c = parse_ok("key ctrl+alt+w");
    CHECK_EQ_INT(c.op, UI_SCRIPT_KEY);
    CHECK_EQ_STR(c.arg, "ctrl+alt+w");
    c = parse_ok("type K7M4QXR");
    CHECK_EQ_STR(c.arg, "K7M4QXR");
    c = parse_ok("advance 125");
    CHECK_EQ_INT(c.op, UI_SCRIPT_ADVANCE);
    CHECK_EQ_INT(c.x, 125);
    c = parse_ok("wait 100");
    CHECK_EQ_INT(c.x, 100);
    c = parse_ok("shot out/start.png");
    CHECK_EQ_STR(c.arg, "out/start.png");
    c = parse_ok("expect \"Kysymys 3 / 12\"");
    CHECK_EQ_INT(c.op, UI_SCRIPT_EXPECT);
    CHECK_EQ_STR(c.arg, "Kysymys 3 / 12");
    c = parse_ok("expect_not \"Jatka\"");
    CHECK_EQ_INT(c.op, UI_SCRIPT_EXPECT_NOT);
    c = parse_ok("drag \"Seuraava\" 10 20");
    CHECK_EQ_INT(c.op, UI_SCRIPT_DRAG);
    CHECK_EQ_INT(c.y, 20);
    CHECK_EQ_INT(parse_ok("crash").op, UI_SCRIPT_CRASH);
    CHECK_EQ_INT(parse_ok("quit").op, UI_SCRIPT_QUIT);
    CHECK_EQ_INT(parse_ok("hold").op, UI_SCRIPT_HOLD);
    CHECK_EQ_INT(parse_ok("press 5 6").op, UI_SCRIPT_PRESS_AT);

    ui_script_cmd blank;
    its_err err;
    CHECK_EQ_INT(ui_script_parse_line("", 1, &blank, &err), 1);
    CHECK_EQ_INT(ui_script_parse_line("   # comment", 1, &blank, &err), 1);

    CHECK(strstr(parse_err("tapp \"x\""), "line 12: unknown command \"tapp\"") != NULL);
    CHECK(strstr(parse_err("tap \"unclosed"), "closing quote") != NULL);
    CHECK(strstr(parse_err("tap 640"), "two numbers") != NULL);
    CHECK(strstr(parse_err("advance soon"), "needs a number") != NULL);
    CHECK(strstr(parse_err("advance -5"), "needs a number") != NULL);
    CHECK(strstr(parse_err("quit now"), "unexpected \"now\"") != NULL);
    CHECK(strstr(parse_err("expect"), "expect needs a value") != NULL);
    return check_summary();
}
