/* bench_idle.c — idle frame time: canvas sync (nothing new) + draw + present on the
 * software renderer (dummy driver, 1920x1080) with --segments segments on the board vs
 * an empty board; median of --frames frames each, and their ratio.
 *
 *   bench_idle [--segments 1000000] [--frames 200] */
#include <stdio.h>
#include <stdlib.h>

#include "bench_sdl.h"
#include "bench_util.h"
#include "nb_canvas.h"
#include "nb_time.h"

static double median_frame_ms(bench_sdl *s, const nb_board *b, int frames)
{
    char err[NB_ERR_LEN];
    nb_canvas *cv = nb_canvas_create(NULL);
    double *t = malloc((size_t)frames * sizeof *t);
    if (!cv || !t) bench_die("out of memory");
    nb_rect area = { 0, 0, s->w, s->h };
    if (nb_canvas_sync(cv, s->ren, b, area, err) != 0) bench_die("sync: %s", err);  /* first fill: not idle */
    for (int i = 0; i < frames; i++) {
        uint64_t t0 = nb_time_ns();
        SDL_SetRenderDrawColor(s->ren, 0, 0, 0, 255);
        SDL_RenderClear(s->ren);
        if (nb_canvas_sync(cv, s->ren, b, area, err) != 0 || nb_canvas_draw(cv, s->ren, err) != 0)
            bench_die("frame: %s", err);
        SDL_RenderPresent(s->ren);
        t[i] = (double)(nb_time_ns() - t0) / 1e6;
    }
    double m = bench_median(t, (size_t)frames);
    free(t);
    nb_canvas_destroy(cv);
    return m;
}

int main(int argc, char **argv)
{
    long segments = bench_arg_long(argc, argv, "--segments", 1000000);
    int frames = (int)bench_arg_long(argc, argv, "--frames", 200);
    if (segments < 1 || frames < 1 || frames > 100000) bench_die("bad sizes");
    bench_sdl s;
    bench_sdl_init(&s, 1920, 1080);
    nb_board *empty = nb_board_create(NULL), *full = nb_board_create(NULL);
    if (!empty || !full) bench_die("out of memory");
    bench_walk walk;
    bench_walk_init(&walk);
    bench_board_fill(full, &walk, (uint64_t)segments);

    /* Interleave the two boards so drift in the machine hits both alike. */
    double e[3], f[3];
    for (int r = 0; r < 3; r++) {
        e[r] = median_frame_ms(&s, empty, frames);
        f[r] = median_frame_ms(&s, full, frames);
    }
    double me = bench_median(e, 3), mf = bench_median(f, 3);
    bench_result("idle_frame_empty", me, "ms");
    bench_result("idle_frame_1m", mf, "ms");
    bench_result("idle_frame_ratio", mf / me, "x");
    nb_board_destroy(empty);
    nb_board_destroy(full);
    bench_sdl_quit(&s);
    return 0;
}
