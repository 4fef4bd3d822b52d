/* bench_sdl.h — the render benchmarks' setup: SDL on the dummy video driver with the
 * software renderer, a window of the given size, and a board filled from a bench_walk.
 * Owns the window and renderer until bench_sdl_quit. */
#ifndef BENCH_SDL_H
#define BENCH_SDL_H

#include <SDL.h>
#include <stdint.h>

#include "bench_util.h"
#include "nb_board.h"

typedef struct bench_sdl {
    SDL_Window *win;
    SDL_Renderer *ren;
    int w, h;
} bench_sdl;

void bench_sdl_init(bench_sdl *s, int w, int h);   /* dies on failure */
void bench_sdl_quit(bench_sdl *s);
/* Appends n segments of a walk (kept by the caller across calls) to b. */
void bench_board_fill(nb_board *b, bench_walk *walk, uint64_t n);

#endif
