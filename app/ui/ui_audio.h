/* ui_audio.h — the kiosk's sound: read-aloud samples and the idle-warning tone, through one SDL
 * audio device. Owns that device; nothing plays while idle.
 *
 * ui_audio_open fails quietly when there is no sound device: the kiosk then hides the
 * read-aloud button instead of showing one that does nothing. The device (and SDL's audio
 * subsystem) is up only from a sound until ui_audio_stop, so an idle kiosk has no audio thread. */
#ifndef ITS_UI_AUDIO_H
#define ITS_UI_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Checks that the default output opens for 16-bit mono at `rate` Hz; false if there is none. */
bool ui_audio_open(int rate);
void ui_audio_close(void);
bool ui_audio_ready(void);

/* Replaces whatever is playing with these samples (reopening at `rate` if it differs). */
void ui_audio_play(const int16_t *samples, size_t n, int rate);

/* A short, soft two-tone chime (the idle warning). */
void ui_audio_chime(void);

/* Stops playing and closes the device (a new screen). */
void ui_audio_stop(void);

#endif
