/* bench_memory.c — resident memory holding --segments segments of history: the relay
 * (a child process running nb_server, loaded by a board client) and a client (a child
 * process that joins with nb_client + nb_board through nb_boardsync, as the app's model
 * side does). VmRSS from /proc; each child is a fresh process, so nothing else counts.
 *
 *   bench_memory [--segments 1000000] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_join.h"
#include "bench_util.h"

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    long segments = bench_arg_long(argc, argv, "--segments", 1000000);
    if (segments < 1) bench_die("bad sizes");

    bench_relay relay;
    bench_relay_start(&relay, BENCH_RELAY_NETBOARD, 8);
    long server_empty = bench_proc_rss_kb(relay.pid);
    bench_load_history(relay.port, (uint64_t)segments);
    bench_result("memory_server_empty_rss", (double)server_empty / 1024.0, "MiB");
    bench_result("memory_server_rss", (double)bench_proc_rss_kb(relay.pid) / 1024.0, "MiB");

    /* The client in its own process: it reports {rss before, rss after, board bytes}. */
    int pp[2];
    if (pipe(pp) != 0) bench_die("pipe");
    pid_t pid = fork();
    if (pid < 0) bench_die("fork");
    if (pid == 0) {
        close(pp[0]);
        long v[3] = { bench_proc_rss_kb(0), 0, 0 };
        bench_join j;
        bench_join_board(relay.port, (uint64_t)segments, &j);
        v[1] = bench_proc_rss_kb(0);
        v[2] = (long)(nb_board_memory(j.board) / 1024);
        if (write(pp[1], v, sizeof v) != (ssize_t)sizeof v) _exit(1);
        _exit(0);
    }
    close(pp[1]);
    long v[3];
    int ok = read(pp[0], v, sizeof v) == (ssize_t)sizeof v;
    waitpid(pid, NULL, 0);
    if (!ok) bench_die("client child failed");
    /* Server RSS again: sending the history to a joiner may grow its buffers. */
    bench_result("memory_server_rss_after_join", (double)bench_proc_rss_kb(relay.pid) / 1024.0, "MiB");
    bench_result("memory_client_empty_rss", (double)v[0] / 1024.0, "MiB");
    bench_result("memory_client_rss", (double)v[1] / 1024.0, "MiB");
    bench_result("memory_client_board_tables", (double)v[2] / 1024.0, "MiB");
    bench_relay_stop(&relay);
    return 0;
}
