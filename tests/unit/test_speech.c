/* Read-aloud speaks Finnish, Swedish and English question text, and a longer text gives longer
 * audio. Runs with no audio device: synthesis only. */
#include <stdlib.h>

#include "check.h"
#include "speech.h"

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
