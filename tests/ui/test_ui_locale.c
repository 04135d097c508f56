/* Adding a language is adding a file: every locale/CODE.json the program may offer (its own fi,
 * sv, en, and certified translations: certify.h) is offered, Finnish first, then Swedish and
 * English, then the others; each by its own name; a text missing in a language falls back to
 * Finnish, never to the key; a broken extra file is left out, not fatal. A translation marked
 * unreviewed is offered only with the test switch; one without a record never. */
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
    write(dir, "ru.json", "{\"lang_name\": \"Русский\", \"hello\": \"Привет {1}\", "
                          "\"certification\": "
                          "{\"translator\": \"A. Translator\", \"reviewer\": \"B. Reviewer\", "
                          "\"date\": \"2026-11-30\"}}");
    write(dir, "ar.json", "{\"lang_name\": \"العربية\", \"lang_dir\": \"rtl\", \"certification\": "
                          "{\"reviewed\": false}}");
    write(dir, "de.json", "{\"lang_name\": \"Deutsch\"}"); /* no record: refused */
    write(dir, "uk.json", "{\"lang_name\": \"Українська\", \"certification\": "
                          "{\"translator\": \"A. Translator\", \"date\": \"2026-11-30\"}}");
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
    ui_locale_set(&l, "ar"); /* not offered: stays */
    CHECK_EQ_STR(ui_locale_lang(&l), "fi");
    ui_locale_offer(&l, true);
    n = ui_locale_langs(&l, &codes);
    CHECK_EQ_INT(n, 5); /* fi sv en ar ru: de and uk (no reviewer) never */
    if (n == 5)
        CHECK_EQ_STR(codes[3], "ar");
    ui_locale_set(&l, "ar");
    CHECK_EQ_STR(ui_locale_lang(&l), "ar");
    CHECK(ui_locale_rtl(&l));
    ui_locale_offer(&l, false);
    CHECK_EQ_INT(ui_locale_langs(&l, &codes), 4);
    {
        its_err why = {0};
        CHECK(words_offered(ui_locale_words(&l), "de", true, &why) != 0);
        CHECK(strstr(why.msg, "/de.json: the de translation has no certification record") != NULL);
    }
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
