/* speech.c — see speech.h. espeak-ng's classic API keeps global state, so this module does too:
 * one initialisation, one synthesis at a time (the UI thread). */
#include "speech.h"
#include "speech_words.h"

#include <espeak-ng/speak_lib.h>
#include <stdlib.h>
#include <string.h>

static int sample_rate; /* 0 until speech_init succeeds */

typedef struct collector {
    int16_t *samples;
    size_t n, cap;
    int failed;
} collector;

static int on_samples(short *wav, int n, espeak_EVENT *events)
{
    collector *c = events ? events->user_data : NULL;
    if (!c || !wav || n <= 0)
        return 0;
    if (c->n + (size_t)n > c->cap) {
        size_t cap = (c->cap + (size_t)n) * 2;
        int16_t *bigger = realloc(c->samples, cap * sizeof *bigger);
        if (!bigger) {
            c->failed = 1;
            return 1; /* stop synthesis */
        }
        c->samples = bigger;
        c->cap = cap;
    }
    memcpy(c->samples + c->n, wav, (size_t)n * sizeof *wav);
    c->n += (size_t)n;
    return 0;
}

int speech_init(its_err *err)
{
    if (sample_rate > 0)
        return 0;
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, NULL, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0)
        return its_fail(err, "read-aloud is not available: espeak-ng voice data was not found");
    espeak_SetSynthCallback(on_samples);
    /* A little slower than the default: clients include second-language learners. */
    espeak_SetParameter(espeakRATE, 150, 0);
    sample_rate = rate;
    return 0;
}

int speech_has_language(const char *lang)
{
    return sample_rate > 0 && espeak_SetVoiceByName(lang) == EE_OK;
}

int speech_synthesise(const char *text, const char *lang, speech_audio *out, its_err *err)
{
    size_t n = strlen(text) * 2 + 256; /* room for numbers and symbols as words */
    char *spoken = malloc(n);
    if (!spoken) {
        memset(out, 0, sizeof *out);
        return its_fail_code(err, ITS_E_NO_MEMORY, "read-aloud ran out of memory");
    }
    speech_words_apply(lang, text, spoken, n);
    int rc = speech_synthesise_exact(spoken, lang, out, err);
    its_wipe(spoken, n); /* it may hold answers (review) */
    free(spoken);
    return rc;
}

int speech_synthesise_exact(const char *text, const char *lang, speech_audio *out, its_err *err)
{
    memset(out, 0, sizeof *out);
    if (sample_rate <= 0)
        return its_fail(err, "read-aloud is not available");
    if (espeak_SetVoiceByName(lang) != EE_OK)
        return its_fail(err, "read-aloud has no voice for language \"%s\"", lang);
    collector c = {0};
    espeak_ERROR rc = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                                   NULL, &c);
    if (rc != EE_OK || c.failed) {
        free(c.samples);
        return its_fail(err, "read-aloud could not speak this text");
    }
    out->samples = c.samples;
    out->n_samples = c.n;
    out->sample_rate = sample_rate;
    return 0;
}

void speech_audio_free(speech_audio *a)
{
    free(a->samples);
    memset(a, 0, sizeof *a);
}

void speech_shutdown(void)
{
    speech_words_free();
    if (sample_rate > 0)
        espeak_Terminate();
    sample_rate = 0;
}
