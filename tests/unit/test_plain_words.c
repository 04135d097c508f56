/* test_plain_words.c — the plain-words (selko) rules over every Finnish text a client reads
 * (issue 17 point 6): locale/fi.json (the keys without a prefix, locale/README.md) and the
 * questionnaires' client texts (client title, intro, recall, questions, help, the review's short
 * names, answers, units, area names, the answer checks' gentle text, the crisis help; not title,
 * licence, scores, flag reasons or the checks' short lines, which the worker reads). The consent
 * screen's words are locale keys (consent_*) and so are read with the rest of locale/fi.json.
 *
 * Rules, each named in a problem line `WHERE: RULE "TOKEN": what`:
 *   sentence      at most SENTENCE_WORDS words; a quoted button label (”En halua vastata”)
 *                 counts as one word, since the client reads it as one thing
 *   paragraph     at most PARAGRAPH_SENTENCES sentences between empty lines (a screen shows it)
 *   word          at most WORD_LETTERS letters; the parts of a hyphenated word count apart
 *   abbreviation  a listed short form (esim., jne., klo…) or two or more capitals (WHO)
 *   passive       a known passive ending (poistetaan, käydään, jatketaanko, tehtiin…)
 *   count         a number of questions named in an intro or a client title (in fi, sv and en)
 *                 is a total that the progress line ("Kysymys 1 / 15") shows
 *
 * tests/plain-words-allow.txt allows what a rule cannot tell apart (an adverb that ends like a
 * passive) or what another owner rewrites; each entry gives its reason, and an entry that no
 * text needs any more fails the test, so the list stays true. Before the real texts, every rule
 * is run on sentences made to break it: the test can fail.
 *
 * Usage: test_plain_words [ROOT [ALLOW_FILE]] (ROOT defaults to $ITS_SOURCE_DIR). */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "qn.h"
#include "session.h"

enum { SENTENCE_WORDS = 10, PARAGRAPH_SENTENCES = 3, WORD_LETTERS = 15, MAX_ALLOW = 128 };

static const char *const RULES[] = {"sentence", "paragraph", "word", "abbreviation", "passive",
                                    "count"};
enum { N_RULES = sizeof RULES / sizeof RULES[0] };

/* ---- problems and the allow-list ---------------------------------------------------------- */

typedef struct allow {
    char rule[16];
    char token[200]; /* a word (word, passive, abbreviation) or a place (sentence, paragraph, text) */
    char reason[300];
    int used;
} allow;

typedef struct checker {
    allow allowed[MAX_ALLOW];
    int n_allowed;
    int problems[N_RULES]; /* per rule, for the self-test */
    bool quiet;
} checker;

static int rule_index(const char *rule)
{
    for (int i = 0; i < N_RULES; i++)
        if (!strcmp(RULES[i], rule))
            return i;
    return -1;
}

static allow *allowed(checker *c, const char *rule, const char *token)
{
    for (int i = 0; i < c->n_allowed; i++)
        if (!strcmp(c->allowed[i].rule, rule) && !strcasecmp(c->allowed[i].token, token))
            return &c->allowed[i];
    return NULL;
}

/* One problem, unless the allow-list names it (by its word, or by its place for the rules
 * about sentences and paragraphs). */
static void report(checker *c, const char *where, const char *rule, const char *token,
                   const char *what)
{
    bool by_place = !strcmp(rule, "sentence") || !strcmp(rule, "paragraph");
    allow *a = allowed(c, rule, by_place ? where : token);
    if (a) {
        a->used++;
        return;
    }
    c->problems[rule_index(rule)]++;
    if (!c->quiet) {
        fprintf(stderr, "%s: %s \"%s\": %s\n", where, rule, token, what);
        check_report(0, "plain words", __FILE__, __LINE__);
    }
}

/* One line `RULE TOKEN REASON…` into a; false when a part is missing or the rule is unknown. */
static bool allow_parse(char *line, allow *a)
{
    char *token = strchr(line, ' ');
    char *reason = token ? strchr(token + 1, ' ') : NULL;
    if (!reason)
        return false;
    *token = *reason = '\0';
    its_strlcpy(a->rule, line, sizeof a->rule);
    its_strlcpy(a->token, token + 1, sizeof a->token);
    its_strlcpy(a->reason, reason + 1 + strspn(reason + 1, " "), sizeof a->reason);
    return rule_index(a->rule) >= 0 || !strcmp(a->rule, "text");
}

/* The allow-list; `#` starts a comment line. An entry without a reason is refused. */
static int allow_load(checker *c, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open the allow-list\n", path);
        return -1;
    }
    char line[600];
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        allow *a = &c->allowed[c->n_allowed];
        if (c->n_allowed == MAX_ALLOW || !allow_parse(line, a)) {
            fprintf(stderr, "%s: \"%s\": give RULE TOKEN REASON (rules: sentence, paragraph, "
                            "word, abbreviation, passive, count, text)\n", path, line);
            rc = -1;
        } else if (strlen(a->reason) < 12) {
            fprintf(stderr, "%s: \"%s\": the reason is too short to say why\n", path, a->token);
            rc = -1;
        } else {
            c->n_allowed++;
        }
    }
    fclose(f);
    return rc;
}

/* ---- reading UTF-8 -------------------------------------------------------------------------- */

static unsigned utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned cp = p[0];
    int n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
    if (n > 1)
        cp &= 0xFFu >> (n + 1);
    for (int i = 1; i < n && p[i]; i++)
        cp = (cp << 6) | (p[i] & 0x3F);
    for (int i = 0; i < n && **s; i++)
        (*s)++;
    return cp;
}

/* Latin letters, å ä ö é and their capitals (the Latin-1 and Latin Extended-A letters). */
static bool is_letter(unsigned cp)
{
    return (cp < 0x80 && isalpha((int)cp)) || (cp >= 0xC0 && cp < 0x180 && cp != 0xD7 && cp != 0xF7);
}

static bool is_upper(unsigned cp)
{
    return (cp < 0x80 && isupper((int)cp)) || (cp >= 0xC0 && cp < 0xDF && cp != 0xD7);
}

enum { QUOTE_OPEN = 0x201C, QUOTE = 0x201D };

/* ---- the rules on one text -------------------------------------------------------------------- */

static const char *const ABBREVIATIONS[] = {"esim", "jne", "yms", "tms", "mm", "ym", "vrt", "ks",
                                            "klo", "km", "kpl", "nro", "puh", "ns", "tod", "ts",
                                            "os", "min", "n", "s", "v", "t", "h", NULL};

/* Finnish passive endings: present (with the question clitic -ko/-kö) and past. A -taan/-tään/
 * -daan/-dään passive follows a vowel (poiste-taan, käy-dään), which leaves out vähintään and
 * yhtään; adverbs, possessives and pronouns that still end alike (paikallaan, kokonaan, mitään)
 * are in the allow-list. */
static const char *const PASSIVE_AFTER_VOWEL[] = {"taan", "tään", "daan", "dään", NULL};
static const char *const PASSIVE_ENDINGS[] = {"llaan", "llään", "nnaan", "nnään", "rraan", "rrään",
                                              "ttiin", NULL};

static bool ends_with(const char *s, const char *end)
{
    size_t a = strlen(s), b = strlen(end);
    return a >= b && !strcmp(s + a - b, end);
}

/* Is the letter that ends s[0, len) a vowel (a e i o u y ä ö)? */
static bool vowel_before(const char *s, size_t len)
{
    if (len >= 2 && (unsigned char)s[len - 2] == 0xC3)
        return (unsigned char)s[len - 1] == 0xA4 || (unsigned char)s[len - 1] == 0xB6;
    return len >= 1 && strchr("aeiouy", s[len - 1]) != NULL;
}

static bool is_passive(const char *lower)
{
    char base[200];
    its_strlcpy(base, lower, sizeof base);
    if (ends_with(base, "ko") || ends_with(base, "kö")) /* jatketaanko: the clitic first */
        base[strlen(base) - (ends_with(base, "ko") ? 2 : 3)] = '\0';
    for (int i = 0; PASSIVE_ENDINGS[i]; i++)
        if (ends_with(base, PASSIVE_ENDINGS[i]))
            return true;
    for (int i = 0; PASSIVE_AFTER_VOWEL[i]; i++)
        if (ends_with(base, PASSIVE_AFTER_VOWEL[i]) &&
            vowel_before(base, strlen(base) - strlen(PASSIVE_AFTER_VOWEL[i])))
            return true;
    return false;
}

/* One run of letters (a word, or one part of a hyphenated word). */
static void check_word(checker *c, const char *where, const char *word, size_t bytes, int letters,
                       bool all_upper, char after)
{
    char w[200], lower[200];
    its_strlcpy(w, word, bytes + 1 < sizeof w ? bytes + 1 : sizeof w);
    its_strlcpy(lower, w, sizeof lower);
    for (char *p = lower; *p; p++) /* ASCII case is enough: Ä/Ö end no listed form */
        *p = (char)tolower((unsigned char)*p);
    char what[64];
    if (letters > WORD_LETTERS) {
        snprintf(what, sizeof what, "%d letters, at most %d", letters, WORD_LETTERS);
        report(c, where, "word", w, what);
    }
    bool listed = false;
    for (int i = 0; ABBREVIATIONS[i]; i++)
        listed |= !strcmp(lower, ABBREVIATIONS[i]);
    /* a listed form of three letters or more is never a word; a shorter one only with its dot */
    if ((all_upper && letters >= 2) || (listed && (after == '.' || strlen(lower) > 2)))
        report(c, where, "abbreviation", w, "write the words out");
    if (is_passive(lower))
        report(c, where, "passive", w, "say who does it (active voice)");
}

/* Every run of letters in the text. */
static void check_words(checker *c, const char *where, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *start = p, *q = p;
        int letters = 0;
        bool upper = true;
        unsigned cp;
        while (*q && is_letter(cp = utf8_next(&q))) {
            letters++;
            upper &= is_upper(cp);
            p = q;
        }
        if (letters > 0)
            check_word(c, where, start, (size_t)(p - start), letters, upper, *p);
        else
            p = q;
    }
}

/* Does the sentence end at p (after . ? ! and any closing quotes, a space or the end)? */
static const char *sentence_end(const char *p)
{
    if (*p != '.' && *p != '?' && *p != '!')
        return NULL;
    const char *q = p + 1, *r = q;
    while (*r && utf8_next(&r) == QUOTE)
        q = r;
    return (*q == '\0' || *q == ' ' || *q == '\n') ? q : NULL;
}

static bool starts_word(unsigned cp)
{
    return is_letter(cp) || (cp < 0x80 && (isdigit((int)cp) || cp == '{')); /* {1}: a value */
}

/* Counts the words of the sentence at *p and moves *p past it. A quoted label (”En halua
 * vastata”, “I don't want to answer”) is one word, and a full stop inside it ends nothing. */
static int sentence_words(const char **p, const char *para_end)
{
    int words = 0;
    bool in_word = false, in_quote = false;
    while (*p < para_end) {
        const char *end = in_quote ? NULL : sentence_end(*p);
        if (end) {
            *p = end;
            break;
        }
        unsigned cp = utf8_next(p);
        if (cp == QUOTE_OPEN || (cp == QUOTE && !in_quote)) {
            words += !in_word;
            in_word = in_quote = true;
        } else if (cp == QUOTE) {
            in_quote = false;
        } else if (in_quote) {
            continue;
        } else if (cp == ' ' || cp == '\n') {
            in_word = false;
        } else if (!in_word && starts_word(cp)) {
            words++;
            in_word = true;
        }
    }
    return words;
}

static void check_sentences(checker *c, const char *where, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *para_end = strstr(p, "\n\n");
        if (!para_end)
            para_end = p + strlen(p);
        int sentences = 0;
        const char *para_start = p;
        while (p < para_end) {
            const char *start = p;
            int words = sentence_words(&p, para_end);
            p += strspn(p, " \n");
            if (words == 0)
                continue;
            sentences++;
            if (words > SENTENCE_WORDS) {
                char s[400], what[64];
                size_t n = (size_t)(p - start) + 1;
                its_strlcpy(s, start, n < sizeof s ? n : sizeof s);
                snprintf(what, sizeof what, "%d words, at most %d", words, SENTENCE_WORDS);
                report(c, where, "sentence", s, what);
            }
        }
        if (sentences > PARAGRAPH_SENTENCES) {
            char what[80], first[48]; /* the paragraph's first words name it */
            its_strlcpy(first, para_start, sizeof first);
            char *cut = strrchr(first, ' '); /* whole words: never half a letter */
            if (cut && strlen(para_start) >= sizeof first)
                *cut = '\0';
            snprintf(what, sizeof what, "%d sentences, at most %d before an empty line", sentences,
                     PARAGRAPH_SENTENCES);
            report(c, where, "paragraph", first, what);
        }
        p = para_end + strspn(para_end, "\n");
    }
}

static void check_text(checker *c, const char *where, const char *text)
{
    allow *a = allowed(c, "text", where);
    if (a) {
        a->used++;
        return;
    }
    check_sentences(c, where, text);
    check_words(c, where, text);
}

/* ---- counts of questions agree with the progress line ------------------------------------- */

/* The word for "question" in each bundled language (any case, any ending). */
static const char *question_word(const char *lang)
{
    return !strcmp(lang, "fi") ? "kysymy" : !strcmp(lang, "sv") ? "fråg" : "question";
}

/* Every whole number in a sentence that speaks of questions is a total the client sees in the
 * progress line: `fresh` before any answer, `all` when every question is shown (a "yes" to a
 * question that opens more). */
static void check_counts(checker *c, const char *where, const char *text, const char *lang,
                         int fresh, int all)
{
    const char *start = text, *p = text;
    while (*start) {
        const char *end = NULL;
        for (p = start; *p && !(end = sentence_end(p)); p++)
            ;
        size_t len = end ? (size_t)(end - start) : strlen(start);
        char s[600];
        its_strlcpy(s, start, len + 1 < sizeof s ? len + 1 : sizeof s);
        for (char *l = s; *l; l++) /* ASCII is enough: the words start with K, F, Q */
            *l = (char)tolower((unsigned char)*l);
        for (const char *d = s; strstr(s, question_word(lang)) && *d; d++) {
            bool whole = isdigit((unsigned char)*d) && (d == s || d[-1] == ' ');
            char *after;
            long n = whole ? strtol(d, &after, 10) : 0;
            if (!whole || (after[0] == '.' && isdigit((unsigned char)after[1])))
                continue;
            if (n != fresh && n != all) {
                char num[16], what[96];
                snprintf(num, sizeof num, "%ld", n);
                snprintf(what, sizeof what, "the progress line shows %d questions (%d with all shown)",
                         fresh, all);
                report(c, where, "count", num, what);
            }
            d = after - 1;
        }
        start = end ? end + strspn(end, " \n") : start + len;
    }
}

static void check_qn_counts(checker *c, const char *path, const char *file)
{
    qn_report rep = {0};
    qn *q = qn_load(path, &rep);
    qn_session s = {0};
    its_err err = {0};
    if (!CHECK(q && session_init(&s, q, &err) == 0)) {
        qn_report_print(&rep, path, stderr);
        qn_report_free(&rep);
        qn_free(q);
        return;
    }
    int number, fresh;
    session_progress(&s, 0, &number, &fresh);
    for (int l = 0; l < q->n_langs; l++) {
        char where[300];
        snprintf(where, sizeof where, "questionnaires/%s#/intro/%s", file, q->langs[l]);
        check_counts(c, where, qn_text_get(&q->intro, l), q->langs[l], fresh, q->n_items);
        snprintf(where, sizeof where, "questionnaires/%s#/client_title/%s", file, q->langs[l]);
        check_counts(c, where, qn_text_get(qn_client_title(q), l), q->langs[l], fresh, q->n_items);
    }
    session_wipe(&s);
    qn_report_free(&rep);
    qn_free(q);
}

/* ---- the files -------------------------------------------------------------------------------- */

static void check_one(checker *c, const char *where, const char *text)
{
    int before = 0, after = 0;
    for (int i = 0; i < N_RULES; i++)
        before += c->problems[i];
    check_text(c, where, text);
    for (int i = 0; i < N_RULES; i++)
        after += c->problems[i];
    if (after == before)
        check_report(1, where, __FILE__, __LINE__);
}

static json_t *load_json(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        fprintf(stderr, "%s:%d:%d: %s\n", path, je.line, je.column, je.text);
    CHECK(j != NULL);
    return j;
}

/* The client's keys have no prefix (locale/README.md); wk_, cli_, pdf_, ev_ and err_ are read
 * by the worker, and so is the kiosk's worker_ screen. */
static bool client_locale_key(const char *key)
{
    static const char *const worker[] = {"wk_", "cli_", "pdf_", "ev_", "err_", "worker_", NULL};
    for (int i = 0; worker[i]; i++)
        if (!strncmp(key, worker[i], strlen(worker[i])))
            return false;
    return true;
}

/* locale/fi.json: the client's keys. */
static void check_locale(checker *c, const char *root)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/locale/fi.json", root);
    json_t *j = load_json(path);
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        if (!json_is_string(v) || !client_locale_key(key))
            continue;
        char where[300];
        snprintf(where, sizeof where, "locale/fi.json#/%s", key);
        check_one(c, where, json_string_value(v));
    }
    json_decref(j);
}

/* Keys whose texts the client reads; "licence" (and under "scores" and "flags" everything,
 * under "checks" the "short" line) is the worker's, and so is "title" when there is a
 * "client_title". The "crisis_help" text is the client's (under the walk's "text"). */
static bool client_key(const char *key)
{
    static const char *const keys[] = {"client_title", "intro", "recall", "text", "help", "short",
                                       "label", "min_label", "max_label", "not_applicable", "unit",
                                       "name", NULL};
    for (int i = 0; keys[i]; i++)
        if (!strcmp(key, keys[i]))
            return true;
    return false;
}

/* "checks": the gentle text the client reads when days cannot all be true. */
static void walk_checks(checker *c, json_t *checks, const char *where)
{
    char sub[300];
    size_t i;
    json_t *e;
    json_array_foreach(checks, i, e) {
        const char *id = json_string_value(json_object_get(e, "id"));
        const char *fi = json_string_value(json_object_get(json_object_get(e, "text"), "fi"));
        snprintf(sub, sizeof sub, "%s/checks/%s/text", where, id ? id : "?");
        if (fi)
            check_one(c, sub, fi);
    }
}

static void walk(checker *c, json_t *v, const char *where)
{
    char sub[300];
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            const char *id = json_string_value(json_object_get(e, "id"));
            if (id)
                snprintf(sub, sizeof sub, "%s/%s", where, id);
            else
                snprintf(sub, sizeof sub, "%s/%zu", where, i);
            walk(c, e, sub);
        }
        return;
    }
    const char *key;
    json_t *e;
    json_object_foreach(v, key, e) {
        bool top = strchr(where, '#')[1] == '\0';
        if (top && !strcmp(key, "checks"))
            walk_checks(c, e, where);
        if (top && (!strcmp(key, "scores") || !strcmp(key, "flags") || !strcmp(key, "checks")))
            continue; /* the worker's: scores, flag reasons, the checks' short lines */
        snprintf(sub, sizeof sub, "%s/%s", where, key);
        json_t *fi = json_object_get(e, "fi");
        bool client = client_key(key) || /* the title, when the file gives no client title */
                      (top && !strcmp(key, "title") && !json_object_get(v, "client_title"));
        if (json_is_string(fi) && client)
            check_one(c, sub, json_string_value(fi));
        else if (!json_is_string(fi))
            walk(c, e, sub);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_questionnaires(checker *c, const char *root)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/questionnaires", root);
    DIR *d = opendir(dir);
    if (!CHECK(d != NULL))
        return;
    char *names[64];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 64)
        if (ends_with(de->d_name, ".json"))
            names[n++] = strdup(de->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, by_name);
    CHECK(n > 0);
    for (int i = 0; i < n; i++) {
        char path[1300], where[300];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(where, sizeof where, "questionnaires/%s#", names[i]);
        json_t *j = load_json(path);
        if (j)
            walk(c, j, where);
        json_decref(j);
        check_qn_counts(c, path, names[i]);
        free(names[i]);
    }
}

/* An entry that no text needs any more is a problem too: the list says only what is true. */
static void check_allow_used(const checker *c)
{
    for (int i = 0; i < c->n_allowed; i++) {
        const allow *a = &c->allowed[i];
        if (!a->used)
            fprintf(stderr, "allow-list: %s \"%s\": no text needs this any more; remove it\n",
                    a->rule, a->token);
        check_report(a->used > 0, "allow-list entry in use", __FILE__, __LINE__);
    }
}

/* ---- the rules can fail ------------------------------------------------------------------------ */

static int problems_of(const char *text, const char *rule)
{
    static checker c;
    memset(&c, 0, sizeof c);
    c.quiet = true;
    check_text(&c, "self-test", text);
    return c.problems[rule_index(rule)];
}

static void test_rules(void)
{
    /* the old texts of issue 17 */
    const char *idle = "Jos et koske näyttöön 5 sekuntiin, kysely alkaa alusta ja vastauksesi "
                       "poistetaan.";
    CHECK_EQ_INT(problems_of(idle, "sentence"), 1);
    CHECK_EQ_INT(problems_of(idle, "passive"), 1);
    CHECK_EQ_INT(problems_of("Jatketaanko siitä, mihin jäit?", "passive"), 1);
    CHECK_EQ_INT(problems_of("Käydään tulokset yhdessä läpi.", "passive"), 1);
    CHECK_EQ_INT(problems_of("Myös opiskelu lasketaan.", "passive"), 1);
    CHECK_EQ_INT(problems_of("WHODAS 2.0 -rakenteinen itsearvio, 12 kysymystä", "abbreviation"), 1);
    CHECK_EQ_INT(problems_of("Valitse esim. kaksi.", "abbreviation"), 1);
    CHECK_EQ_INT(problems_of("Tule klo 9.", "abbreviation"), 1);
    CHECK_EQ_INT(problems_of("Olen vapaaehtoistyöntekijä.", "word"), 1);
    CHECK_EQ_INT(problems_of("Yksi. Kaksi. Kolme. Neljä.", "paragraph"), 1);
    /* and what passes */
    CHECK_EQ_INT(problems_of("Yksi. Kaksi. Kolme.\n\nNeljä.", "paragraph"), 0);
    CHECK_EQ_INT(problems_of("Jos et halua vastata, valitse ”En halua vastata ollenkaan nyt”.",
                             "sentence"), 0);
    CHECK_EQ_INT(problems_of("Silloin laite poistaa vastauksesi.", "passive"), 0);
    CHECK_EQ_INT(problems_of("Vähintään yhtään.", "passive"), 0);
    CHECK_EQ_INT(problems_of("Kysely alkaa alusta 30 sekunnin kuluttua.", "abbreviation"), 0);
    CHECK_EQ_INT(problems_of("Ajattele viimeistä 30 päivää.", "sentence"), 0);
    checker c;
    memset(&c, 0, sizeof c);
    c.quiet = true;
    check_counts(&c, "self-test", "WHODAS 2.0 -rakenteinen itsearvio, 12 kysymystä", "fi", 15, 15);
    CHECK_EQ_INT(c.problems[rule_index("count")], 1);
    check_counts(&c, "self-test", "Kysymyksiä on 40. Jos et tee työtä, kysymyksiä on 36. Ajattele "
                                  "30 päivää.", "fi", 36, 40);
    check_counts(&c, "self-test", "There are 15 questions.", "en", 15, 15);
    CHECK_EQ_INT(c.problems[rule_index("count")], 1);
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : getenv("ITS_SOURCE_DIR");
    if (!root) {
        fprintf(stderr, "usage: test_plain_words ROOT [ALLOW_FILE] (or set ITS_SOURCE_DIR)\n");
        return 2;
    }
    test_rules();
    static checker c;
    char allow_path[1100];
    snprintf(allow_path, sizeof allow_path, "%s/tests/plain-words-allow.txt", root);
    CHECK(allow_load(&c, argc > 2 ? argv[2] : allow_path) == 0);
    check_locale(&c, root);
    check_questionnaires(&c, root);
    check_allow_used(&c);
    return check_summary();
}
