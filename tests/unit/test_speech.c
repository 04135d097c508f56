/* Read-aloud speaks Finnish, Swedish and English question text, and a longer text gives longer
 * audio. The pronunciation tables (locale/speech) turn numbers and symbols into words, and the
 * WAV test shows that what reaches espeak-ng is the table's text: the audio of a screen text is
 * sample for sample the audio of its spoken form, differs from the raw text's, is written as a
 * WAV file, read back and is not silent. Runs with no audio device: synthesis only. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <espeak-ng/speak_lib.h>

#include "check.h"
#include "speech.h"
#include "speech_words.h"

static void check_spoken(const char *lang, const char *shown, const char *spoken)
{
    char out[512];
    speech_words_apply(lang, shown, out, sizeof out);
    if (!check_eq_str(out, spoken, shown, __FILE__, __LINE__))
        fprintf(stderr, "  (%s)\n", lang);
}

static void test_tables(void)
{
    check_spoken("fi", "Kysymys 3 / 15", "Kysymys 3, kaikkiaan 15");
    check_spoken("fi", "Kokonaistulos 0–30", "Kokonaistulos nollasta kolmeenkymmeneen");
    check_spoken("fi", "Arki (0–100, 100 = hyvä)", "Arki (nollasta sataan, 100 on hyvä)");
    check_spoken("fi", "Asteikko 7–11", "Asteikko luvusta 7 lukuun 11"); /* not in the lists */
    check_spoken("fi", "vähintään 50 %", "vähintään 50 prosenttia");
    check_spoken("fi", "WHODAS 2.0 -rakenteinen itsearvio, 12 kysymystä", "Itsearvio, 12 kysymystä");
    check_spoken("fi", "Ne noudattavat WHODAS 2.0:n rakennetta.", "Ne noudattavat W H O D A S:n rakennetta.");
    check_spoken("fi", "Kirjoita päivä muodossa 2025-03-04.", "Kirjoita päivä muodossa 2025-03-04.");
    check_spoken("fi", "versio 2.0 / 3", "versio 2.0 / 3"); /* a decimal is not a count */
    check_spoken("sv", "Fråga 3 / 15", "Fråga 3 av 15");
    check_spoken("sv", "Delaktighet 0–100 %", "Delaktighet från 0 till 100 procent");
    check_spoken("sv", "Självbedömning med WHODAS 2.0-struktur, 12 frågor",
                 "Självbedömning, 12 frågor");
    check_spoken("en", "Question 3 / 15", "Question 3 of 15");
    check_spoken("en", "Functioning now (0–10)", "Functioning now (from 0 to 10)");
    check_spoken("en", "Body (0–100, 100 = good)", "Body (from 0 to 100, 100 is good)");
    check_spoken("en", "at least 75 % of", "at least 75 percent of");
    check_spoken("zz", "Kysymys 3 / 15", "Kysymys 3 / 15"); /* no table: as shown */
    char small[12];
    speech_words_apply("fi", "Kysymys 3 / 15", small, sizeof small); /* cut, terminated */
    CHECK_EQ_STR(small, "Kysymys 3, ");
}

/* A 16-bit mono WAV file; -1 if it cannot be written. */
static int wav_write(const char *path, const speech_audio *a)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    uint32_t data = (uint32_t)(a->n_samples * 2), rate = (uint32_t)a->sample_rate;
    uint32_t riff = 36 + data, fmt_len = 16, byte_rate = rate * 2;
    uint16_t pcm = 1, channels = 1, align = 2, bits = 16;
    fwrite("RIFF", 1, 4, f), fwrite(&riff, 4, 1, f), fwrite("WAVEfmt ", 1, 8, f);
    fwrite(&fmt_len, 4, 1, f), fwrite(&pcm, 2, 1, f), fwrite(&channels, 2, 1, f);
    fwrite(&rate, 4, 1, f), fwrite(&byte_rate, 4, 1, f), fwrite(&align, 2, 1, f);
    fwrite(&bits, 2, 1, f), fwrite("data", 1, 4, f), fwrite(&data, 4, 1, f);
    fwrite(a->samples, 2, a->n_samples, f);
    return fclose(f) == 0 ? 0 : -1;
}

/* The samples of a WAV file written by wav_write, and their root mean square. */
static size_t wav_read(const char *path, double *rms)
{
    FILE *f = fopen(path, "rb");
    unsigned char head[44];
    *rms = 0;
    if (!f || fread(head, 1, 44, f) != 44 || memcmp(head, "RIFF", 4) || memcmp(head + 36, "data", 4)) {
        if (f)
            fclose(f);
        return 0;
    }
    size_t n = 0;
    double sum = 0;
    int16_t v;
    while (fread(&v, 2, 1, f) == 1) {
        sum += (double)v * v;
        n++;
    }
    fclose(f);
    *rms = n ? sqrt(sum / (double)n) : 0;
    return n;
}

/* Synthesises (through the table, or exactly) and returns the phonemes espeak-ng spoke, from
 * its own trace: what really reached the synthesiser (its audio varies a little run to run). */
static int spoken_phonemes(const char *text, const char *lang, bool exact, speech_audio *a,
                           char *ph, size_t n)
{
    FILE *trace = tmpfile();
    if (!trace)
        return -1;
    espeak_SetPhonemeTrace(1, trace);
    its_err err;
    int rc = exact ? speech_synthesise_exact(text, lang, a, &err) : speech_synthesise(text, lang, a, &err);
    espeak_SetPhonemeTrace(0, NULL);
    rewind(trace);
    size_t got = fread(ph, 1, n - 1, trace);
    ph[got] = '\0';
    fclose(trace);
    return rc == 0 && got > 0 ? 0 : -1;
}

/* A table that is not valid is refused with its file named, and nothing of it is used. */
static void test_bad_table(void)
{
    char dir[] = "/tmp/its-words-XXXXXX", path[300];
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    snprintf(path, sizeof path, "%s/fi.json", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("{\"of\": \"{1} / {2}\", \"replace\": [[\"%\"]]}", f);
        fclose(f);
    }
    its_err err;
    CHECK(speech_words_load(dir, &err) == -1);
    CHECK(strstr(err.msg, "fi.json") && strstr(err.msg, "\"replace\" must be"));
    check_spoken("fi", "Kysymys 3 / 15", "Kysymys 3 / 15");
    unlink(path);
    rmdir(dir);
}

static void test_wav(void)
{
    static const struct { const char *lang, *shown; } texts[] = {
        {"fi", "Kysymys 3 / 15. Asteikko 0–30."},
        {"sv", "Fråga 3 / 15. Skala 0–30 %."},
        {"en", "Question 3 / 15. Scale 0–30 %."},
    };
    char dir[] = "/tmp/its-speech-XXXXXX";
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char spoken[512], before[300], after[300];
        speech_words_apply(texts[i].lang, texts[i].shown, spoken, sizeof spoken);
        speech_audio raw = {0}, table = {0}, expect = {0};
        char ph_raw[2048], ph_table[2048], ph_expect[2048];
        CHECK(spoken_phonemes(texts[i].shown, texts[i].lang, true, &raw, ph_raw, sizeof ph_raw) == 0);
        CHECK(spoken_phonemes(texts[i].shown, texts[i].lang, false, &table, ph_table,
                              sizeof ph_table) == 0);
        CHECK(spoken_phonemes(spoken, texts[i].lang, true, &expect, ph_expect, sizeof ph_expect) == 0);
        if (!CHECK_EQ_STR(ph_table, ph_expect)) /* the table's text is what was spoken */
            fprintf(stderr, "  (%s)\n", texts[i].lang);
        CHECK(strcmp(ph_table, ph_raw) != 0);
        snprintf(before, sizeof before, "%s/%s-before.wav", dir, texts[i].lang);
        snprintf(after, sizeof after, "%s/%s-after.wav", dir, texts[i].lang);
        CHECK(wav_write(before, &raw) == 0 && wav_write(after, &table) == 0);
        double rms_before, rms_after;
        size_t n_before = wav_read(before, &rms_before), n_after = wav_read(after, &rms_after);
        CHECK_EQ_INT(n_before, raw.n_samples);
        CHECK_EQ_INT(n_after, table.n_samples);
        printf("%s: \"%s\" -> \"%s\": %.2f s -> %.2f s, rms %.0f\n", texts[i].lang,
               texts[i].shown, spoken, (double)n_before / raw.sample_rate,
               (double)n_after / table.sample_rate, rms_after);
        CHECK(n_after > (size_t)table.sample_rate); /* over a second of speech */
        CHECK(rms_after > 300.0);                   /* not silent (full scale is 32767) */
        unlink(before);
        unlink(after);
        speech_audio_free(&raw);
        speech_audio_free(&table);
        speech_audio_free(&expect);
    }
    rmdir(dir);
}

int main(void)
{
    its_err err;
    if (!CHECK(speech_init(&err) == 0)) {
        fprintf(stderr, "%s\n", err.msg);
        return check_summary();
    }
    static const struct { const char *lang, *text; } cases[] = {
        {"fi", "Kuinka vaikeaa sinun on ollut kävellä noin kilometri?"},
        {"sv", "Hur svårt har det varit att gå en kilometer?"},
        {"en", "How hard has it been to walk about a kilometre?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        speech_audio a;
        CHECK(speech_has_language(cases[i].lang));
        CHECK(speech_synthesise(cases[i].text, cases[i].lang, &a, &err) == 0);
        double seconds = a.sample_rate ? (double)a.n_samples / a.sample_rate : 0;
        printf("%s: %.2f s of speech\n", cases[i].lang, seconds);
        CHECK(seconds > 1.0 && seconds < 15.0);
        speech_audio_free(&a);
    }
    test_bad_table();
    char dir[1024];
    const char *src = getenv("ITS_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/locale/speech", src ? src : ".");
    if (!CHECK(speech_words_load(dir, &err) == 0))
        fprintf(stderr, "%s\n", err.msg);
    test_tables();
    test_wav();
    speech_audio short_a, long_a;
    CHECK(speech_synthesise("Kyllä.", "fi", &short_a, &err) == 0);
    CHECK(speech_synthesise("Kyllä. Ajattele viimeistä kolmeakymmentä päivää.", "fi", &long_a,
                            &err) == 0);
    CHECK(long_a.n_samples > short_a.n_samples);
    speech_audio_free(&short_a);
    speech_audio_free(&long_a);
    CHECK(speech_synthesise("x", "zz-nonexistent", &short_a, &err) < 0);
    speech_shutdown();
    return check_summary();
}
