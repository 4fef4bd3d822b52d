/* nb_file.h — whole-file reads and full writes on fds, for the modules that keep small
 * files (settings, journals, board files). Owns nothing: the buffer nb_read_file returns
 * is the caller's. */
#ifndef NB_FILE_H
#define NB_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Write all n bytes to fd, retrying EINTR and short writes. 0, or -1 with errno kept
 * (EIO if write() made no progress without saying why). */
int nb_write_all(int fd, const void *p, size_t n);

/* Read the regular file at path into a new buffer: *out (free() it) holds *len bytes
 * followed by a NUL, so text files can be parsed as strings. Reads until end of file,
 * not st_size, so a file that grows or shrinks meanwhile is still read whole. 0, or -1
 * with *out = NULL, errno kept (ENOENT for a missing file, so callers can treat that as
 * empty; EFBIG past max) and err filled: "path: strerror" or "path: larger than N bytes". */
int nb_read_file(const char *path, size_t max, uint8_t **out, size_t *len, char *err);

#endif
