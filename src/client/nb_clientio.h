/* nb_clientio.h — what the board client and the raw client threads share: a growable
 * byte buffer for outbound bytes, non-blocking writes from it, and the eventfd that wakes
 * a network thread (new data to send, or stop). Owns only the memory and fds it creates. */
#ifndef NB_CLIENTIO_H
#define NB_CLIENTIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nb_common.h"

typedef struct nb_bytes {
    uint8_t *p;
    size_t off, len, cap;      /* pending bytes are p[off .. len) */
} nb_bytes;

static inline size_t nb_bytes_pending(const nb_bytes *b) { return b->len - b->off; }

/* 0, or -1 when out of memory (buffer unchanged). */
int nb_bytes_append(nb_bytes *b, const void *data, size_t n);
/* Move everything pending in src to the end of dst; src becomes empty. 0 or -1. */
int nb_bytes_move(nb_bytes *dst, nb_bytes *src);
void nb_bytes_reset(nb_bytes *b);   /* drop the contents, keep the memory */
void nb_bytes_free(nb_bytes *b);

/* One non-blocking send() of the pending bytes (MSG_NOSIGNAL). Returns bytes sent
 * (0 if the socket buffer is full), or -1 with err filled. */
ssize_t nb_bytes_send(nb_bytes *b, int fd, char *err);

/* A non-blocking, CLOEXEC eventfd, or -1 with err filled. */
int nb_wake_open(char *err);
void nb_wake_signal(int fd);
void nb_wake_clear(int fd);

#endif
