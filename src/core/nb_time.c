/* nb_time.c — thin wrappers over clock_gettime. */
#include "nb_time.h"

#include <time.h>

static uint64_t read_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t nb_time_ns(void) { return read_clock(CLOCK_MONOTONIC); }
uint64_t nb_time_ms(void) { return read_clock(CLOCK_MONOTONIC) / 1000000ull; }
uint64_t nb_wall_ms(void) { return read_clock(CLOCK_REALTIME) / 1000000ull; }
