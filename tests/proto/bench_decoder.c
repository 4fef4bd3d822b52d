/* bench_decoder.c — decode throughput of a big buffer of S frames (the relay's hot path)
 * and of mixed chat frames. Not a test: prints figures. Usage: bench_decoder [n_segments] */
#include <stdio.h>
#include <stdlib.h>

#include "nb_proto.h"
#include "nb_time.h"

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 4000000;
    size_t len = n * 21;
    uint8_t *buf = malloc(len);
    if (!buf) return 1;
    for (size_t i = 0; i < n; i++) {
        nb_frame f = { .type = 'S', .u.seg = { (uint16_t)i, (uint32_t)i, (uint16_t)i, 2, 3, 4,
                                               0x11223344u, 5, 0 } };
        nb_encode(&f, buf + i * 21, 21, NULL);
    }
    for (int rep = 0; rep < 5; rep++) {
        nb_decoder d;
        nb_decoder_init(&d, 0);
        uint64_t sum = 0, t0 = nb_time_ns();
        size_t pos = 0;
        nb_frame f;
        while (pos < len) {
            size_t used;
            if (nb_decoder_feed(&d, buf + pos, len - pos, &used, &f, NULL) != NB_DEC_FRAME) return 2;
            sum += f.u.seg.x1;
            pos += used;
        }
        uint64_t dt = nb_time_ns() - t0;
        printf("S frames: %zu in %.1f ms = %.1f M segments/s, %.2f GB/s (checksum %llu)\n", n,
               dt / 1e6, n / (dt / 1e3), len / (double)dt, (unsigned long long)sum);
        nb_decoder_free(&d);
    }
    free(buf);
    return 0;
}
