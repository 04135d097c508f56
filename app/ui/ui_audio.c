/* ui_audio.c — see ui_audio.h. */
#include "ui_audio.h"

#include <math.h>
#include <stdlib.h>
#include <SDL.h>

#define TWO_PI 6.283185307179586

static SDL_AudioDeviceID device;
static int device_rate;

bool ui_audio_open(int rate)
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
    if (!device)
        return false;
    device_rate = rate;
    SDL_PauseAudioDevice(device, 0);
    return true;
}

void ui_audio_close(void)
{
    if (device)
        SDL_CloseAudioDevice(device);
    device = 0;
    if (SDL_WasInit(SDL_INIT_AUDIO))
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool ui_audio_ready(void)
{
    return device != 0;
}

void ui_audio_play(const int16_t *samples, size_t n, int rate)
{
    if (device && rate != device_rate) {
        SDL_CloseAudioDevice(device);
        device = 0;
        ui_audio_open(rate);
    }
    if (!device)
        return;
    SDL_ClearQueuedAudio(device);
    SDL_QueueAudio(device, samples, (Uint32)(n * sizeof *samples));
}

void ui_audio_chime(void)
{
    if (!device)
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
    SDL_ClearQueuedAudio(device);
    SDL_QueueAudio(device, s, (Uint32)(n * sizeof *s));
    free(s);
}

void ui_audio_stop(void)
{
    if (device)
        SDL_ClearQueuedAudio(device);
}
