/* ui_audio.c — see ui_audio.h. SDL2 keeps an audio thread running for an open device even
 * while it is paused, and some backends (ALSA) poll for new devices while the audio subsystem
 * is up, so both are up only while something plays. */
#include "ui_audio.h"

#include <math.h>
#include <stdlib.h>
#include <SDL.h>

#define TWO_PI 6.283185307179586

static bool device_open(ui_audio *a, int rate)
{
    if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        return false;
    SDL_AudioSpec want, have;
    SDL_zero(want);
    want.freq = rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    a->device = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    a->rate = a->device ? rate : 0;
    return a->device != 0;
}

static void device_close(ui_audio *a)
{
    if (a->device)
        SDL_CloseAudioDevice(a->device);
    a->device = 0;
    if (SDL_WasInit(SDL_INIT_AUDIO))
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool ui_audio_open(ui_audio *a, int rate)
{
    a->available = device_open(a, rate);
    device_close(a);
    return a->available;
}

void ui_audio_close(ui_audio *a)
{
    device_close(a);
    a->available = false;
}

bool ui_audio_ready(const ui_audio *a)
{
    return a->available;
}

/* Plays samples on a freshly opened device; returns the length in ms. */
static int queue(ui_audio *a, const int16_t *samples, size_t n, int rate)
{
    if (!a->available)
        return 0;
    if (a->device && rate != a->rate)
        device_close(a);
    if (!a->device && !device_open(a, rate))
        return 0;
    SDL_ClearQueuedAudio(a->device);
    SDL_QueueAudio(a->device, samples, (Uint32)(n * sizeof *samples));
    SDL_PauseAudioDevice(a->device, 0);
    return (int)(n * 1000 / (size_t)rate) + 1;
}

int ui_audio_play(ui_audio *a, const int16_t *samples, size_t n, int rate)
{
    return queue(a, samples, n, rate);
}

int ui_audio_chime(ui_audio *a)
{
    int rate = 22050;
    size_t n = (size_t)rate / 2; /* 0.5 s: two notes of 0.25 s */
    int16_t *s = malloc(n * sizeof *s);
    if (!s)
        return 0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)(i % (n / 2)) / rate;
        double f = i < n / 2 ? 660.0 : 880.0;
        double fade = 1.0 - (double)(i % (n / 2)) / (double)(n / 2); /* soft decay */
        s[i] = (int16_t)(6000.0 * fade * sin(TWO_PI * f * t));
    }
    int ms = queue(a, s, n, rate);
    free(s);
    return ms;
}

void ui_audio_settle(ui_audio *a)
{
    if (a->device && SDL_GetQueuedAudioSize(a->device) == 0)
        device_close(a);
}

void ui_audio_stop(ui_audio *a)
{
    device_close(a);
}
