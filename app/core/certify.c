/* certify.c — see certify.h. */
#include "certify.h"

#include <string.h>

bool certify_builtin(const char *lang)
{
    return !strcmp(lang, "fi") || !strcmp(lang, "sv") || !strcmp(lang, "en");
}

static bool has_text(const json_t *rec, const char *key)
{
    const json_t *v = json_object_get(rec, key);
    return json_is_string(v) && json_string_length(v) > 0;
}

/* YYYY-MM-DD, digits where digits belong (the date of the review). */
static bool is_date(const json_t *v)
{
    const char *s = json_string_value(v);
    if (!s || strlen(s) != 10)
        return false;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

certify_state certify_read(const json_t *rec, const char *file, const char *lang, its_err *err)
{
    if (certify_builtin(lang))
        return CERTIFY_OK;
    const char *sep = file ? ": the" : "The";
    if (!file)
        file = "";
    if (json_is_false(json_object_get(rec, "reviewed"))) {
        its_fail(err, "%s%s %s translation is marked as not reviewed (machine-made), so it is "
                      "not offered to clients.", file, sep, lang);
        return CERTIFY_UNREVIEWED;
    }
    if (json_is_object(rec) && has_text(rec, "translator") && has_text(rec, "reviewer") &&
        is_date(json_object_get(rec, "date")))
        return CERTIFY_OK;
    its_fail(err, "%s%s %s translation has no certification record (translator, reviewer and "
                  "date YYYY-MM-DD under \"certification\"), so it is not offered to clients.",
             file, sep, lang);
    return CERTIFY_MISSING;
}
