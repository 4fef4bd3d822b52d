/* bench_sdl.c — SDL setup for the render benchmarks (see bench_sdl.h). */
#include "bench_sdl.h"

#include <stdlib.h>

#include "bench_util.h"

void bench_sdl_init(bench_sdl *s, int w, int h)
{
    /* setenv before SDL_Init: the dummy driver needs no display, as in CI. */
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) bench_die("SDL_Init: %s", SDL_GetError());
    s->w = w;
    s->h = h;
    s->win = SDL_CreateWindow("bench", 0, 0, w, h, 0);
    s->ren = s->win ? SDL_CreateRenderer(s->win, -1, SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE) : NULL;
    if (!s->ren) bench_die("window/renderer: %s", SDL_GetError());
}

void bench_sdl_quit(bench_sdl *s)
{
    SDL_DestroyRenderer(s->ren);
    SDL_DestroyWindow(s->win);
    SDL_Quit();
}

void bench_board_fill(nb_board *b, bench_walk *walk, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        nb_segment seg;
        bench_walk_next(walk, &seg);
        seg.author = 1;
        if (nb_board_add_segment(b, &seg) != 1) bench_die("board full at %zu", nb_board_count(b));
    }
}
