/* nb_spawn.h — tests that need the real `netboard serve` as a child process: start it
 * on a free loopback port (waiting, bounded, until it accepts), kill it (SIGKILL or
 * SIGTERM) and reap it. Test-only. */
#ifndef NB_SPAWN_H
#define NB_SPAWN_H

#include <sys/types.h>

typedef struct nb_child {
    pid_t pid;
    int port;
} nb_child;

/* A loopback port that was free a moment ago. */
int nb_spawn_free_port(void);
/* exe serve --bind 127.0.0.1 --port port [extra...] (NULL-terminated); waits up to
 * timeout_ms for it to accept. 0 / -1 (the child is reaped on failure). */
int nb_spawn_serve(nb_child *c, const char *exe, int port, const char *const *extra,
                   int timeout_ms);
/* Send sig and reap, bounded by timeout_ms (then SIGKILL). Returns the wait status or -1. */
int nb_spawn_stop(nb_child *c, int sig, int timeout_ms);

#endif
