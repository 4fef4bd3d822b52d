/* nb_diag_job.h — runs one diagnostic in a worker thread for the app, handing its
 * lines to the render thread through an nb_queue, so DNS lookups and connect timeouts
 * never freeze the UI.
 *
 * DESIGN: the job is shared by two threads and freed by whichever lets go last (a
 * refcount of 2 under `lock`): the worker, when the diagnostic returns, and the render
 * thread, in nb_diag_job_free. Free never joins — a getaddrinfo in progress can't be
 * cancelled and may take the resolver's full timeout — it closes the queue (the
 * worker's later lines are then dropped at once instead of waiting for room), detaches
 * the thread and lets go. The worker owns copies of its arguments, so nothing the app
 * holds is touched after free returns. The queue is the only other shared state and
 * has its own lock. */
#ifndef NB_DIAG_JOB_H
#define NB_DIAG_JOB_H

#include <stddef.h>

#include "nb_common.h"
#include "nb_diag.h"

typedef struct nb_diag_job nb_diag_job;

#define NB_DIAG_JOB_QUEUE_LINES 256   /* lines a job holds before its worker waits for a drain */

typedef struct nb_diag_line { char text[NB_DIAG_LINE_MAX]; } nb_diag_line;

/* Render thread. Starts `cmd_name` with argv (the words after the name, as on the
 * command line; copied). NULL with err for an unknown command, bad arguments (err gets
 * the usage line) or when the thread can't start. */
nb_diag_job *nb_diag_job_start(const char *cmd_name, int argc, const char *const *argv, char *err);

/* Render thread, once per frame: moves up to max waiting lines into `lines` and returns
 * how many; never blocks. Lines starting with NB_DIAG_ERR_PREFIX are errors. */
size_t nb_diag_job_drain(nb_diag_job *job, nb_diag_line *lines, size_t max);

/* Lines waiting to be drained (up to NB_DIAG_JOB_QUEUE_LINES). */
size_t nb_diag_job_pending(nb_diag_job *job);

/* 1 once the diagnostic has returned and every line has been drained. */
int nb_diag_job_done(nb_diag_job *job);
/* The diagnostic's result once done: 0 or -1. */
int nb_diag_job_status(nb_diag_job *job);

/* Render thread. Never blocks (see DESIGN); NULL is ignored. */
void nb_diag_job_free(nb_diag_job *job);

/* Any thread: worker threads still running, freed jobs included (the app may wait a
 * moment for 0 at quit; tests wait for it so nothing outlives them). */
int nb_diag_job_running(void);

#endif
