/* nb_log.h — process-wide log: timestamped lines to stderr and to an optional sink
 * (the app's log panel). DESIGN: any thread may log; the sink is called with the log
 * mutex held, so it must be quick and must not log itself (push into a queue). */
#ifndef NB_LOG_H
#define NB_LOG_H

#include "nb_common.h"

typedef enum { NB_LOG_DEBUG, NB_LOG_INFO, NB_LOG_WARN, NB_LOG_ERROR } nb_log_level;

typedef void (*nb_log_sink)(void *ud, nb_log_level level, const char *line);

void nb_log_set_level(nb_log_level min);      /* default INFO; NETBOARD_DEBUG=1 → DEBUG */
void nb_log_set_stderr(int on);               /* default on */
void nb_log_set_sink(nb_log_sink sink, void *ud);
void nb_log(nb_log_level level, const char *fmt, ...) NB_PRINTF(2, 3);

#define nb_debug(...) nb_log(NB_LOG_DEBUG, __VA_ARGS__)
#define nb_info(...)  nb_log(NB_LOG_INFO, __VA_ARGS__)
#define nb_warn(...)  nb_log(NB_LOG_WARN, __VA_ARGS__)
#define nb_error(...) nb_log(NB_LOG_ERROR, __VA_ARGS__)

#endif
