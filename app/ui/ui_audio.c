/* ui_audio.c — see ui_audio.h. */
#include "ui_audio.h"

#include <math.h>
#include <stdlib.h>
#include <SDL.h>

#define TWO_PI 6.283185307179586

/* The SDL audio subsystem runs only while a sound plays: on ALSA, SDL 2.26 keeps a hotplug thread
 * that wakes every 100 ms for as long as the subsystem is up (600 wake-ups a minute on an idle
 * kiosk, tests/bench). ui_audio_open only checks that a device opens; a sound opens it again and
 * ui_audio_stop (every new screen) and ui_audio_close shut the subsystem down. */
static SDL_AudioDeviceID device;
static int device_rate;
static bool available;

/* Opens the device at `rate` (and the subsystem if needed); false, with nothing left up, if not. */
static bool device_up(int rate)
{
    if (device)
        return true;
    if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        return false;
    SDL_AudioSpec want, have;
    SDL_zero(want);
    want.freq = rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    device = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!device) {
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return false;
    }
    device_rate = rate;
    SDL_PauseAudioDevice(device, 0);
    return true;
}

static void device_down(void)
{
    if (device)
        SDL_CloseAudioDevice(device);
    device = 0;
    if (SDL_WasInit(SDL_INIT_AUDIO))
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool ui_audio_open(int rate)
{
    device_rate = rate;
    available = device_up(rate);
    device_down();
    return available;
}

void ui_audio_close(void)
{
    device_down();
    available = false;
}

bool ui_audio_ready(void)
{
    return available;
}

void ui_audio_play(const int16_t *samples, size_t n, int rate)
{
    if (!available)
        return;
    if (device && rate != device_rate)
        device_down();
    if (!device_up(rate))
        return;
    SDL_ClearQueuedAudio(device);
    SDL_QueueAudio(device, samples, (Uint32)(n * sizeof *samples));
}

void ui_audio_chime(void)
{
    if (!available || device_rate <= 0)
        return;
    size_t n = (size_t)device_rate / 2; /* 0.5 s: two notes of 0.25 s */
    int16_t *s = malloc(n * sizeof *s);
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        double t = (double)(i % (n / 2)) / device_rate;
        double f = i < n / 2 ? 660.0 : 880.0;
        double fade = 1.0 - (double)(i % (n / 2)) / (double)(n / 2); /* soft decay */
        s[i] = (int16_t)(6000.0 * fade * sin(TWO_PI * f * t));
    }
    ui_audio_play(s, n, device_rate);
    free(s);
}

void ui_audio_stop(void)
{
    device_down();
}
