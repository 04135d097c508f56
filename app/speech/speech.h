/* speech.h — read-aloud: turns a screen's text into speech with espeak-ng, in the screen's
 * language, as 16-bit mono samples the UI plays through SDL audio.
 *
 * A kiosk is closed functionality (clients cannot bring their own screen reader), so the app reads
 * every screen aloud itself. Synthesis is synchronous and fast (tens of milliseconds for a
 * question), so the UI calls it on the tap and queues the samples; nothing runs while idle. Text
 * is never logged or written to disk. */
#ifndef ITS_SPEECH_H
#define ITS_SPEECH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct speech_audio {
    int16_t *samples;
    size_t n_samples;
    int sample_rate;
} speech_audio;

/* Loads espeak-ng once. Returns -1 with a message when espeak-ng or its voice data is missing;
 * the UI then hides the read-aloud button rather than offering one that does nothing. */
int speech_init(its_err *err);

/* Is there a voice for this language code ("fi", "sv", "en")? */
int speech_has_language(const char *lang);

/* Synthesises UTF-8 text in `lang` into out (caller frees with speech_audio_free), after the
 * language's pronunciation table (speech_words.h) has turned numbers and symbols into words. */
int speech_synthesise(const char *text, const char *lang, speech_audio *out, its_err *err);
/* The same without the table: the text goes to espeak-ng exactly as given (tests). */
int speech_synthesise_exact(const char *text, const char *lang, speech_audio *out, its_err *err);

void speech_audio_free(speech_audio *a);

/* Unloads espeak-ng and the pronunciation tables. */
void speech_shutdown(void);

#endif
