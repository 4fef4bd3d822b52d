/* nb_time.h — monotonic and wall clocks in integer units; owns nothing. */
#ifndef NB_TIME_H
#define NB_TIME_H

#include <stdint.h>

uint64_t nb_time_ns(void);   /* CLOCK_MONOTONIC, nanoseconds */
uint64_t nb_time_ms(void);   /* CLOCK_MONOTONIC, milliseconds */
uint64_t nb_wall_ms(void);   /* CLOCK_REALTIME, ms since the epoch (for log stamps) */

#endif
