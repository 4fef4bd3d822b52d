/* nb_journal.c — the relay's journal: parse and repair on open, append/flush from the
 * I/O thread, compaction by temp file + rename, and the fdatasync thread. */
#include "nb_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "nb_boardfile.h"
#include "nb_file.h"
#include "nb_log.h"

#define JOURNAL_MAX ((size_t)1 << 30)   /* refuse to replay more than this (256 MiB history + records) */

struct nb_journal {
    char path[4096];
    char board_name[NB_BOARD_NAME_MAX + 1];
    int fd;                       /* I/O thread writes; changed only by rewrite/close, under lock */
    int stop_fd;
    pthread_t th;
    pthread_mutex_t lock;         /* held around fdatasync and fd swaps */
    atomic_int dirty;             /* written since the last sync */
    int failed;                   /* I/O thread only */
    uint16_t last_author;         /* author of the last frame written (0: none yet) */
    uint64_t last_token;
    uint8_t *buf;                 /* queued by append, written by flush */
    size_t len, cap;
    nb_journal_stats st;          /* counters: sync ones under lock, the others I/O thread */
};

/* ---- parsing --------------------------------------------------------------------- */

int nb_journal_parse(const uint8_t *data, size_t len, const nb_journal_sink *sink,
                     size_t *valid, char *board_name, char *err)
{
    nb_decoder dec;
    nb_decoder_init(&dec, 0);
    int rc = 0;
    size_t pos = 0;
    int have_token = 0, first = 1;
    uint64_t token = 0;
    board_name[0] = '\0';
    *valid = 0;
    if (memcmp(data ? data : NB_SIGNATURE, NB_SIGNATURE, NB_MIN(len, (size_t)NB_SIG_LEN))) {
        nb_set_error(err, "not a journal: bad signature");
        rc = NB_BF_CORRUPT;
        goto out;
    }
    if (len < NB_SIG_LEN) {
        nb_set_error(err, "journal torn inside the signature (%zu bytes)", len);
        rc = NB_BF_TORN;
        goto out;
    }
    pos = *valid = NB_SIG_LEN;
    while (pos < len) {
        nb_frame f;
        size_t used = 0;
        char derr[NB_ERR_LEN] = "";
        int d = nb_decoder_feed(&dec, data + pos, len - pos, &used, &f, derr);
        if (d == NB_DEC_ERROR) {
            nb_set_error(err, "journal corrupt at offset %zu: %s", pos, derr);
            rc = NB_BF_CORRUPT;
            goto out;
        }
        if (d == NB_DEC_NEED_MORE) {
            nb_set_error(err, "journal torn: %zu bytes of an incomplete frame after offset %zu",
                         len - pos, pos);
            rc = NB_BF_TORN;
            goto out;
        }
        const uint8_t *enc = data + pos;
        int ok = 1;
        if (f.type == NB_FT_WELCOME && first && !have_token) {
            memcpy(board_name, f.text, f.text_len + 1);   /* <= 64 bytes: the decoder checked */
        } else if (f.type == NB_FT_WELCOME && have_token) {
            nb_journal_session ss = { token, f.u.welcome.author, f.u.welcome.held };
            have_token = 0;
            if (sink && sink->session) sink->session(sink->ctx, &ss);
        } else if (f.type == NB_FT_PING && !have_token) {
            token = f.u.token;
            have_token = 1;
        } else if (nb_frame_changes_board(&f) && !have_token) {
            if (sink && sink->frame) sink->frame(sink->ctx, &f, enc, used);
        } else {
            ok = 0;
        }
        if (!ok) {
            nb_set_error(err, "journal corrupt at offset %zu: unexpected %s frame", pos,
                         nb_frame_type_name(f.type));
            rc = NB_BF_CORRUPT;
            goto out;
        }
        first = 0;
        pos += used;
        /* a P is only whole together with its W: a record cut between them is torn */
        if (!have_token) *valid = pos;
    }
    if (have_token) {
        nb_set_error(err, "journal torn: a session record without its W at offset %zu", *valid);
        rc = NB_BF_TORN;
    }
out:
    nb_decoder_free(&dec);
    return rc;
}

/* ---- file helpers ---------------------------------------------------------------- */

static void fsync_dir(const char *path)
{
    char tmp[4096];
    nb_strlcpy(tmp, path, sizeof tmp);
    int dfd = open(dirname(tmp), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return;
    if (fsync(dfd) != 0) nb_warn("journal: fsync of the directory of %s: %s", path, strerror(errno));
    close(dfd);
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- sync thread ------------------------------------------------------------------ */

static void sync_now(nb_journal *j)
{
    pthread_mutex_lock(&j->lock);
    if (j->fd >= 0) {
        uint64_t t0 = now_us();
        if (fdatasync(j->fd) != 0) nb_warn("journal: fdatasync: %s", strerror(errno));
        uint64_t dt = now_us() - t0;
        j->st.syncs++;
        j->st.sync_us_total += dt;
        if (dt > j->st.sync_us_max) j->st.sync_us_max = dt;
    }
    pthread_mutex_unlock(&j->lock);
}

static void *sync_main(void *arg)
{
    nb_journal *j = arg;
    for (;;) {
        struct pollfd p = { .fd = j->stop_fd, .events = POLLIN };
        int n = poll(&p, 1, NB_JOURNAL_SYNC_MS);
        if (n > 0) break;
        if (atomic_exchange(&j->dirty, 0)) sync_now(j);
    }
    return NULL;
}

/* ---- append / flush -------------------------------------------------------------- */

static void queue(nb_journal *j, const uint8_t *p, size_t n)
{
    if (j->failed) return;
    if (j->len + n > j->cap) {
        size_t cap = j->cap ? j->cap : 16384;
        while (cap < j->len + n) cap *= 2;
        uint8_t *b = realloc(j->buf, cap);
        if (!b) {
            nb_error("journal: out of memory: the board is no longer saved");
            j->failed = j->st.failed = 1;
            return;
        }
        j->buf = b;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, p, n);
    j->len += n;
}

/* P(token) + W(author, held): "what follows is this session's". */
static void queue_record(nb_journal *j, const nb_journal_session *ss)
{
    uint8_t rec[64];
    char err[NB_ERR_LEN];
    nb_frame p = { .type = NB_FT_PING, .u.token = ss->token };
    nb_frame w = { .type = NB_FT_WELCOME, .u.welcome = { ss->author, ss->held, 0 } };
    int a = nb_encode(&p, rec, sizeof rec, err);
    int b = a < 0 ? -1 : nb_encode(&w, rec + a, sizeof rec - (size_t)a, err);
    NB_ASSERT(a > 0 && b > 0);   /* fixed-size frames: can't fail */
    queue(j, rec, (size_t)(a + b));
    j->last_author = ss->author;
    j->last_token = ss->token;
}

void nb_journal_append(nb_journal *j, const nb_journal_session *ss, const uint8_t *enc, size_t n)
{
    if (ss->author != j->last_author || ss->token != j->last_token) queue_record(j, ss);
    queue(j, enc, n);
}

void nb_journal_flush(nb_journal *j)
{
    if (!j->len || j->failed) return;
    if (nb_write_all(j->fd, j->buf, j->len) != 0) {
        nb_error("journal %s: write: %s: the board is no longer saved", j->path, strerror(errno));
        j->failed = j->st.failed = 1;
    } else {
        j->st.bytes_written += j->len;
        j->st.writes++;
        atomic_store(&j->dirty, 1);
    }
    j->len = 0;
}

/* ---- open / rewrite / close -------------------------------------------------------- */

static int open_append(const char *path, char *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) nb_set_error(err, "journal %s: %s", path, strerror(errno));
    return fd;
}

/* Save the original of a corrupt journal before cutting it: it may be worth a look. */
static void save_bad_copy(const char *path, const uint8_t *data, size_t len)
{
    char bad[4200];
    snprintf(bad, sizeof bad, "%s.bad", path);
    int fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || nb_write_all(fd, data, len) != 0)
        nb_warn("journal: cannot save the corrupt original to %s: %s", bad, strerror(errno));
    else
        nb_warn("journal: corrupt original saved to %s", bad);
    if (fd >= 0) close(fd);
}

nb_journal *nb_journal_open(const char *path, const char *board_name,
                            const nb_journal_sink *sink, char *err)
{
    NB_ASSERT(path && *path);
    nb_journal *j = calloc(1, sizeof *j);
    uint8_t *data = NULL;
    size_t len = 0;
    if (!j) {
        nb_set_error(err, "journal: out of memory");
        return NULL;
    }
    j->fd = j->stop_fd = -1;
    pthread_mutex_init(&j->lock, NULL);
    if (strlen(path) >= sizeof j->path) {
        nb_set_error(err, "journal path too long");
        goto fail;
    }
    nb_strlcpy(j->path, path, sizeof j->path);
    nb_strlcpy(j->board_name, board_name ? board_name : "", sizeof j->board_name);
    char rerr[NB_ERR_LEN];
    if (nb_read_file(path, JOURNAL_MAX, &data, &len, rerr) != 0 && errno != ENOENT) {
        nb_set_error(err, "journal %s", rerr);     /* rerr starts with the path */
        goto fail;
    }

    if (len > 0) {
        size_t valid = 0;
        char name[NB_BOARD_NAME_MAX + 1], perr[NB_ERR_LEN] = "";
        int rc = nb_journal_parse(data, len, sink, &valid, name, perr);
        if (rc == NB_BF_CORRUPT && valid == 0) {
            nb_set_error(err, "journal %s is not a netboard journal (%s); refusing to overwrite it",
                         path, perr);
            goto fail;
        }
        if (rc != 0) {
            nb_warn("journal %s: %s; cutting it to %zu of %zu bytes", path, perr, valid, len);
            if (rc == NB_BF_CORRUPT) save_bad_copy(path, data, len);
            if (truncate(path, (off_t)valid) != 0) {
                nb_set_error(err, "journal %s: truncate: %s", path, strerror(errno));
                goto fail;
            }
        }
        len = valid;
        nb_info("journal %s: replayed %zu bytes", path, len);
    }
    j->fd = open_append(path, err);
    if (j->fd < 0) goto fail;
    if (len == 0) {
        if (ftruncate(j->fd, 0) != 0 ||
            nb_boardfile_write_header_fd(j->fd, j->board_name[0] ? j->board_name : NULL, err) != 0)
            goto fail;
        if (fdatasync(j->fd) != 0) nb_warn("journal: fdatasync: %s", strerror(errno));
        fsync_dir(path);
    }
    j->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (j->stop_fd < 0) {
        nb_set_error(err, "journal: eventfd: %s", strerror(errno));
        goto fail;
    }
    int prc = pthread_create(&j->th, NULL, sync_main, j);
    if (prc != 0) {
        nb_set_error(err, "journal: pthread_create: %s", strerror(prc));
        goto fail;
    }
    free(data);
    return j;
fail:
    free(data);
    if (j->fd >= 0) close(j->fd);
    if (j->stop_fd >= 0) close(j->stop_fd);
    pthread_mutex_destroy(&j->lock);
    free(j);
    return NULL;
}

int nb_journal_rewrite(nb_journal *j, const nb_journal_session *ss, size_t n,
                       const uint8_t *enc, size_t len)
{
    char tmp[4200], err[NB_ERR_LEN] = "";
    snprintf(tmp, sizeof tmp, "%s.tmp", j->path);
    nb_journal_flush(j);
    j->len = 0;
    j->last_author = 0;
    j->last_token = 0;
    for (size_t i = 0; i < n; i++) queue_record(j, &ss[i]);
    if (enc) queue(j, enc, len);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || nb_boardfile_write_header_fd(fd, j->board_name[0] ? j->board_name : NULL, err) != 0 ||
        nb_write_all(fd, j->buf, j->len) != 0 || fdatasync(fd) != 0) {
        nb_error("journal: compaction into %s failed: %s", tmp, err[0] ? err : strerror(errno));
        goto fail;
    }
    if (rename(tmp, j->path) != 0) {
        nb_error("journal: rename %s: %s", tmp, strerror(errno));
        goto fail;
    }
    fsync_dir(j->path);
    int newfd = open_append(j->path, err);
    if (newfd < 0) {
        nb_error("%s: the board is no longer saved", err);
        j->failed = j->st.failed = 1;
        close(fd);
        return -1;
    }
    close(fd);
    pthread_mutex_lock(&j->lock);
    close(j->fd);
    j->fd = newfd;
    j->st.rewrites++;
    pthread_mutex_unlock(&j->lock);
    j->len = 0;
    return 0;
fail:
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    /* keep appending to the old file: the C goes there after the records */
    nb_journal_flush(j);
    return -1;
}

void nb_journal_close(nb_journal *j)
{
    if (!j) return;
    nb_journal_flush(j);
    uint64_t one = 1;
    if (write(j->stop_fd, &one, sizeof one) != (ssize_t)sizeof one)
        NB_ASSERT(!"cannot signal the journal thread");
    pthread_join(j->th, NULL);
    sync_now(j);
    nb_info("journal %s: %llu bytes in %llu writes, %llu syncs (max %llu us, mean %llu us)",
            j->path, (unsigned long long)j->st.bytes_written, (unsigned long long)j->st.writes,
            (unsigned long long)j->st.syncs, (unsigned long long)j->st.sync_us_max,
            (unsigned long long)(j->st.syncs ? j->st.sync_us_total / j->st.syncs : 0));
    close(j->fd);
    close(j->stop_fd);
    pthread_mutex_destroy(&j->lock);
    free(j->buf);
    free(j);
}

void nb_journal_get_stats(nb_journal *j, nb_journal_stats *out)
{
    pthread_mutex_lock(&j->lock);
    *out = j->st;
    pthread_mutex_unlock(&j->lock);
}
