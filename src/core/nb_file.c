/* nb_file.c — whole-file reads and full fd writes; see nb_file.h. */
#include "nb_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nb_common.h"

int nb_write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        if (w == 0) {             /* no progress and no reason: don't spin */
            errno = EIO;
            return -1;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

int nb_read_file(const char *path, size_t max, uint8_t **out, size_t *len, char *err)
{
    NB_ASSERT(path && out && len && max < SIZE_MAX - 1);
    uint8_t *buf = NULL;
    size_t have = 0, cap;
    int saved, fd;
    struct stat st;

    *out = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        saved = errno;
        nb_set_error(err, "%s: %s", path, strerror(saved));
        errno = saved;
        return -1;
    }
    if (fstat(fd, &st) < 0) goto fail_errno;
    if (!S_ISREG(st.st_mode)) {   /* a FIFO or device could block or never end */
        nb_set_error(err, "%s: not a regular file", path);
        errno = EINVAL;
        goto fail;
    }
    /* Room for max + 1 bytes at most, so a file past the limit is noticed; st_size is
     * only the first guess (it may change, and some files report 0). */
    cap = (size_t)st.st_size < max ? (size_t)st.st_size + 1 : max + 1;
    if (cap < 64) cap = 64 < max + 1 ? 64 : max + 1;
    buf = malloc(cap + 1);
    if (!buf) goto fail_errno;
    for (;;) {
        if (have == cap) {
            if (cap == max + 1) break;
            size_t ncap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
            uint8_t *nb = realloc(buf, ncap + 1);
            if (!nb) goto fail_errno;
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + have, cap - have);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) goto fail_errno;
        if (r == 0) break;
        have += (size_t)r;
    }
    if (have > max) {
        nb_set_error(err, "%s: larger than %zu bytes", path, max);
        errno = EFBIG;
        goto fail;
    }
    close(fd);
    buf[have] = 0;
    *out = buf;
    *len = have;
    return 0;
fail_errno:
    saved = errno;
    nb_set_error(err, "%s: %s", path, strerror(saved));
    errno = saved;
fail:
    saved = errno;
    free(buf);
    close(fd);
    errno = saved;
    return -1;
}
