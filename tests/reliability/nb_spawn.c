/* nb_spawn.c — see nb_spawn.h. */
#include "nb_spawn.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nb_sock.h"
#include "nb_time.h"

int nb_spawn_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

int nb_spawn_serve(nb_child *c, const char *exe, int port, const char *const *extra,
                   int timeout_ms)
{
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    const char *argv[32] = { exe, "serve", "--bind", "127.0.0.1", "--port", portstr };
    int n = 6;
    for (int i = 0; extra && extra[i] && n < 31; i++) argv[n++] = extra[i];
    argv[n] = NULL;
    c->port = port;
    c->pid = fork();
    if (c->pid < 0) return -1;
    if (c->pid == 0) {
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    while (nb_time_ms() < deadline) {
        int fd = nb_sock_connect("127.0.0.1", port, 200, NULL, NULL);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        int st;
        if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
            c->pid = 0;
            return -1;
        }
        poll(NULL, 0, 10);   /* not yet listening: retry, bounded by the deadline */
    }
    nb_spawn_stop(c, SIGKILL, 1000);
    return -1;
}

int nb_spawn_stop(nb_child *c, int sig, int timeout_ms)
{
    if (c->pid <= 0) return -1;
    kill(c->pid, sig);
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    int st = -1;
    for (;;) {
        pid_t r = waitpid(c->pid, &st, WNOHANG);
        if (r == c->pid || (r < 0 && errno != EINTR)) break;
        if (nb_time_ms() >= deadline) {
            kill(c->pid, SIGKILL);
            waitpid(c->pid, &st, 0);
            break;
        }
        poll(NULL, 0, 5);
    }
    c->pid = 0;
    return st;
}
