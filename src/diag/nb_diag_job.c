/* nb_diag_job.c — a diagnostic in a detached worker thread; see the DESIGN note in
 * nb_diag_job.h. */
#include "nb_diag_job.h"
#include "nb_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define JOB_MAX_WORDS 8

static atomic_int workers_running;

struct nb_diag_job {
    pthread_mutex_t lock;       /* guards refs, finished, status */
    int refs;                   /* 2 while both the worker and the app hold the job */
    int finished, status;
    nb_queue *q;                /* nb_diag_line items, worker -> render thread */
    const nb_diag_cmd *cmd;
    nb_diag_args args;          /* points into words */
    char *words[JOB_MAX_WORDS];
    int nwords;
};

static void job_destroy(nb_diag_job *job)
{
    for (int i = 0; i < job->nwords; i++) free(job->words[i]);
    if (job->q) nb_queue_destroy(job->q);
    pthread_mutex_destroy(&job->lock);
    free(job);
}

/* Either thread: drop one reference; the last one out frees. */
static void job_release(nb_diag_job *job)
{
    pthread_mutex_lock(&job->lock);
    int last = --job->refs == 0;
    pthread_mutex_unlock(&job->lock);
    if (last) job_destroy(job);
}

/* worker thread: waits for room so no line is lost while the app is drawing; a closed
 * queue (the app freed the job) fails at once, and the line is not wanted anyway. */
static void job_emit(void *ud, const char *line)
{
    nb_diag_job *job = ud;
    nb_diag_line item;
    nb_strlcpy(item.text, line, sizeof item.text);
    nb_queue_push(job->q, &item, -1);
}

/* worker thread */
static void *job_main(void *arg)
{
    nb_diag_job *job = arg;
    int rc = job->cmd->run(&job->args, job_emit, job);
    if (rc == NB_DIAG_USAGE) {
        char usage[128];
        nb_diag_fail(job_emit, job, "usage: %s", nb_diag_usage_line(job->cmd, usage, sizeof usage));
        rc = -1;
    }
    pthread_mutex_lock(&job->lock);
    job->finished = 1;
    job->status = rc;
    pthread_mutex_unlock(&job->lock);
    job_release(job);
    atomic_fetch_sub(&workers_running, 1);
    return NULL;
}

/* render thread */
nb_diag_job *nb_diag_job_start(const char *cmd_name, int argc, const char *const *argv, char *err)
{
    char usage[128];
    pthread_attr_t attr;
    pthread_t tid;
    nb_diag_job *job = NULL;
    const nb_diag_cmd *cmd = nb_diag_find(cmd_name);
    NB_ASSERT(argc >= 0 && (argc == 0 || argv));
    if (!cmd) {
        nb_set_error(err, "unknown diagnostic \"%.64s\"", cmd_name ? cmd_name : "");
        return NULL;
    }
    if (argc > JOB_MAX_WORDS) goto usage;
    if (!(job = calloc(1, sizeof *job))) goto oom;
    pthread_mutex_init(&job->lock, NULL);
    job->cmd = cmd;
    job->refs = 2;
    for (; job->nwords < argc; job->nwords++)
        if (!(job->words[job->nwords] = strdup(argv[job->nwords]))) goto oom;
    if (nb_diag_parse_args(cmd, argc, (const char *const *)job->words, &job->args) < 0) goto usage;
    if (!(job->q = nb_queue_create(sizeof(nb_diag_line), NB_DIAG_JOB_QUEUE_LINES))) goto oom;

    atomic_fetch_add(&workers_running, 1);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&tid, &attr, job_main, job);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        atomic_fetch_sub(&workers_running, 1);
        nb_set_error(err, "diag %s: pthread_create: %s", cmd->name, strerror(rc));
        goto fail;
    }
    return job;
usage:
    nb_set_error(err, "usage: %s", nb_diag_usage_line(cmd, usage, sizeof usage));
    goto fail;
oom:
    nb_set_error(err, "diag %s: out of memory", cmd->name);
fail:
    if (job) job_destroy(job);
    return NULL;
}

/* render thread */
size_t nb_diag_job_drain(nb_diag_job *job, nb_diag_line *lines, size_t max)
{
    return nb_queue_drain_all(job->q, lines, max);
}

size_t nb_diag_job_pending(nb_diag_job *job)
{
    return nb_queue_len(job->q);
}

/* render thread: the worker pushes every line before it sets finished, so finished
 * and an empty queue mean the app has seen everything. */
int nb_diag_job_done(nb_diag_job *job)
{
    pthread_mutex_lock(&job->lock);
    int finished = job->finished;
    pthread_mutex_unlock(&job->lock);
    return finished && nb_queue_len(job->q) == 0;
}

int nb_diag_job_status(nb_diag_job *job)
{
    pthread_mutex_lock(&job->lock);
    int st = job->finished ? job->status : 0;
    pthread_mutex_unlock(&job->lock);
    return st;
}

/* render thread */
void nb_diag_job_free(nb_diag_job *job)
{
    if (!job) return;
    nb_queue_close(job->q);
    job_release(job);
}

int nb_diag_job_running(void)
{
    return atomic_load(&workers_running);
}
