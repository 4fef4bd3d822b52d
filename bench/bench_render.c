/* bench_render.c — render ingest: segments per second rasterised into the canvas texture
 * by nb_canvas_sync (software renderer, dummy video driver, 1920x1080, width 3), the
 * board growing by --batch segments between syncs as when segments stream in.
 *
 *   bench_render [--segments 1000000] [--batch 10000] [--width 1920] [--height 1080] */
#include <stdio.h>

#include "bench_sdl.h"
#include "bench_util.h"
#include "nb_canvas.h"
#include "nb_time.h"

int main(int argc, char **argv)
{
    long segments = bench_arg_long(argc, argv, "--segments", 1000000);
    long batch = bench_arg_long(argc, argv, "--batch", 10000);
    int w = (int)bench_arg_long(argc, argv, "--width", 1920), h = (int)bench_arg_long(argc, argv, "--height", 1080);
    if (segments < 1 || batch < 1 || w < 16 || h < 16 || w > 8192 || h > 8192) bench_die("bad sizes");

    bench_sdl s;
    bench_sdl_init(&s, w, h);
    nb_board *b = nb_board_create(NULL);
    nb_canvas *cv = nb_canvas_create(NULL);
    if (!b || !cv) bench_die("out of memory");
    char err[NB_ERR_LEN];
    nb_rect area = { 0, 0, w, h };
    if (nb_canvas_sync(cv, s.ren, b, area, err) != 0) bench_die("sync: %s", err);   /* texture */

    bench_walk walk;
    bench_walk_init(&walk);
    uint64_t spent = 0, drawn = 0;
    for (long done = 0; done < segments; done += batch) {
        long k = NB_MIN(batch, segments - done);
        bench_board_fill(b, &walk, (uint64_t)k);
        uint64_t t0 = nb_time_ns();
        if (nb_canvas_sync(cv, s.ren, b, area, err) != 0) bench_die("sync: %s", err);
        spent += nb_time_ns() - t0;
        nb_canvas_stats st;
        nb_canvas_get_stats(cv, &st);
        drawn += st.segments;
    }
    /* Full redraw from the model (undo / resize path): the same work in one sync. */
    nb_canvas_invalidate(cv);
    uint64_t t0 = nb_time_ns();
    if (nb_canvas_sync(cv, s.ren, b, area, err) != 0) bench_die("sync: %s", err);
    uint64_t full = nb_time_ns() - t0;

    bench_result("render_ingest_segments_per_s", (double)drawn / ((double)spent / 1e9), "seg/s");
    bench_result("render_full_redraw", (double)full / 1e6, "ms");
    bench_result("render_full_redraw_segments_per_s", (double)segments / ((double)full / 1e9), "seg/s");
    nb_canvas_destroy(cv);
    nb_board_destroy(b);
    bench_sdl_quit(&s);
    return drawn == (uint64_t)segments ? 0 : 1;
}
