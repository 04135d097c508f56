/* ui_audio.c — see ui_audio.h. SDL2 keeps an audio thread running for an open device even
 * while it is paused, and some backends (ALSA) poll for new devices while the audio subsystem
 * is up, so both are up only while something plays. */
#include "ui_audio.h"

#include <math.h>
#include <stdlib.h>
#include <SDL.h>

#define TWO_PI 6.283185307179586

static SDL_AudioDeviceID device;
static int device_rate;
static bool available; /* a device could be opened at start */

static bool device_open(int rate)
{
    if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        return false;
    SDL_AudioSpec want, have;
    SDL_zero(want);
    want.freq = rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    device = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    device_rate = device ? rate : 0;
    return device != 0;
}

static void device_close(void)
{
    if (device)
        SDL_CloseAudioDevice(device);
    device = 0;
    if (SDL_WasInit(SDL_INIT_AUDIO))
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool ui_audio_open(int rate)
{
    available = device_open(rate);
    device_close();
    return available;
}

void ui_audio_close(void)
{
    device_close();
    available = false;
}

bool ui_audio_ready(void)
{
    return available;
}

/* Plays samples on a freshly opened device; returns the length in ms. */
static int queue(const int16_t *samples, size_t n, int rate)
{
    if (!available)
        return 0;
    if (device && rate != device_rate)
        device_close();
    if (!device && !device_open(rate))
        return 0;
    SDL_ClearQueuedAudio(device);
    SDL_QueueAudio(device, samples, (Uint32)(n * sizeof *samples));
    SDL_PauseAudioDevice(device, 0);
    return (int)(n * 1000 / (size_t)rate) + 1;
}

int ui_audio_play(const int16_t *samples, size_t n, int rate)
{
    return queue(samples, n, rate);
}

int ui_audio_chime(void)
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
    int ms = queue(s, n, rate);
    free(s);
    return ms;
}

void ui_audio_settle(void)
{
    if (device && SDL_GetQueuedAudioSize(device) == 0)
        device_close();
}

void ui_audio_stop(void)
{
    device_close();
}
