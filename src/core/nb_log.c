/* nb_log.c — see nb_log.h. One mutex serialises lines so threads never interleave. */
#include "nb_log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_min = -1;            /* -1: not yet read from the environment */
static int log_stderr = 1;
static nb_log_sink log_sink;
static void *log_sink_ud;

void nb_log_set_level(nb_log_level min)
{
    pthread_mutex_lock(&log_lock);
    log_min = (int)min;
    pthread_mutex_unlock(&log_lock);
}

void nb_log_set_stderr(int on)
{
    pthread_mutex_lock(&log_lock);
    log_stderr = on;
    pthread_mutex_unlock(&log_lock);
}

void nb_log_set_sink(nb_log_sink sink, void *ud)
{
    pthread_mutex_lock(&log_lock);
    log_sink = sink;
    log_sink_ud = ud;
    pthread_mutex_unlock(&log_lock);
}

void nb_log(nb_log_level level, const char *fmt, ...)
{
    static const char *names[] = { "debug", "info", "warn", "error" };
    char msg[1024], line[1100];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);

    pthread_mutex_lock(&log_lock);
    if (log_min < 0) {
        const char *d = getenv("NETBOARD_DEBUG");
        log_min = (d && *d && *d != '0') ? NB_LOG_DEBUG : NB_LOG_INFO;
    }
    if ((int)level >= log_min) {
        snprintf(line, sizeof line, "%02d:%02d:%02d.%03ld %-5s %s", tm.tm_hour, tm.tm_min,
                 tm.tm_sec, ts.tv_nsec / 1000000L, names[level], msg);
        if (log_stderr) fprintf(stderr, "%s\n", line);
        if (log_sink) log_sink(log_sink_ud, level, line);
    }
    pthread_mutex_unlock(&log_lock);
}
