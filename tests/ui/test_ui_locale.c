/* Adding a language is adding a file: every locale/CODE.json is offered, Finnish first, then
 * Swedish and English, then the others; each by its own name; a text missing in a language
 * falls back to Finnish, never to the key; a broken extra file is left out, not fatal. */
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "ui_locale.h"

static void write(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

int main(void)
{
    char dir[] = "/tmp/its-locale-XXXXXX";
    if (!CHECK(mkdtemp(dir) != NULL))
        return check_summary();
    write(dir, "fi.json", "{\"lang_name\": \"Suomi\", \"hello\": \"Hei {1}\", \"bye\": \"Hei hei\"}");
    write(dir, "sv.json", "{\"lang_name\": \"Svenska\", \"hello\": \"Hej {1}\"}");
    write(dir, "en.json", "{\"lang_name\": \"English\", \"hello\": \"Hello {1}\"}");
    write(dir, "ru.json", "{\"lang_name\": \"Русский\", \"hello\": \"Привет {1}\"}");
    write(dir, "et.json", "{\"lang_name\": \"Eesti\", \"hello\": ");  /* broken: left out */
    write(dir, "notes.txt", "not a language");
    its_err err;
    ui_locale l;
    CHECK(ui_locale_load(&l, dir, &err) == 0);
    const char *const *codes;
    int n = ui_locale_langs(&l, &codes);
    CHECK_EQ_INT(n, 4);
    if (n == 4) {
        CHECK_EQ_STR(codes[0], "fi");
        CHECK_EQ_STR(codes[1], "sv");
        CHECK_EQ_STR(codes[2], "en");
        CHECK_EQ_STR(codes[3], "ru");
    }
    CHECK_EQ_STR(ui_locale_name(&l, "ru"), "Русский");
    ui_locale_set(&l, "ru");
    CHECK_EQ_STR(ui_locale_lang(&l), "ru");
    char buf[64];
    ui_locale_format(&l, buf, sizeof buf, "hello", "Anna", (const char *)NULL);
    CHECK_EQ_STR(buf, "Привет Anna");
    CHECK_EQ_STR(ui_tr(&l, "bye"), "Hei hei"); /* missing in Russian: Finnish */
    CHECK_EQ_STR(ui_tr(&l, "no_such_key"), "");  /* never the key itself */
    ui_locale_set(&l, "xx");                     /* unknown: stays */
    CHECK_EQ_STR(ui_locale_lang(&l), "ru");

    /* a view reads the same tables in its own language; the original keeps its own */
    ui_locale v = ui_locale_view(&l);
    ui_locale_set(&v, "sv");
    CHECK_EQ_STR(ui_tr(&v, "hello"), "Hej {1}");
    CHECK_EQ_STR(ui_locale_lang(&l), "ru");
    CHECK_EQ_INT(ui_locale_langs(&v, &codes), 4);
    CHECK_EQ_STR(codes[1], "sv");
    ui_locale_free(&v); /* forgets, frees nothing */
    CHECK_EQ_STR(ui_tr(&l, "bye"), "Hei hei");
    ui_locale_free(&l);

    /* Finnish is the reference: without it nothing starts */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -f %s/fi.json", dir);
    CHECK(system(cmd) == 0);
    CHECK(ui_locale_load(&l, dir, &err) < 0);
    CHECK(strstr(err.msg, "fi.json") != NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return check_summary();
}
