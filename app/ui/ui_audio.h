/* ui_audio.h — the kiosk's sound: read-aloud samples and the idle-warning tone, through one SDL
 * audio device. Owns that device (a ui_audio value in the screen program's context, ui_app);
 * nothing plays while idle.
 *
 * The sound subsystem and device are up only while something plays (SDL2 runs an audio thread
 * for an open device even when paused). ui_audio_open checks once that a device can be opened
 * and fails quietly when there is none: the kiosk then hides the read-aloud button instead of
 * showing one that does nothing. */
#ifndef ITS_UI_AUDIO_H
#define ITS_UI_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ui_audio {
    uint32_t device; /* SDL_AudioDeviceID, 0 none */
    int rate;        /* of the open device */
    bool available;  /* a device could be opened at start */
} ui_audio;

/* Checks that the default output opens for 16-bit mono at `rate` Hz; false if not. */
bool ui_audio_open(ui_audio *a, int rate);
void ui_audio_close(ui_audio *a);
bool ui_audio_ready(const ui_audio *a);

/* Replaces whatever is playing with these samples (reopening at `rate` if it differs).
 * Returns how long they play, in ms. */
int ui_audio_play(ui_audio *a, const int16_t *samples, size_t n, int rate);

/* A short, soft two-tone chime (the idle warning); returns its length in ms. */
int ui_audio_chime(ui_audio *a);

/* Closes the device once nothing is left to play (no CPU while idle); the caller calls it
 * when the length returned by play or chime has passed. */
void ui_audio_settle(ui_audio *a);

/* Stops playing (a new screen). */
void ui_audio_stop(ui_audio *a);

#endif
