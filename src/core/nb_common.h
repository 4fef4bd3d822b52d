/* nb_common.h — what every module shares: the caller-owned error buffer convention,
 * assertions for misuse, and a few small helpers. Owns nothing at run time. */
#ifndef NB_COMMON_H
#define NB_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* OS-facing calls return 0 / -1 (or an fd) and fill a caller-owned `char err[NB_ERR_LEN]`. */
#define NB_ERR_LEN 256

/* Misuse is a bug, not an error code: abort with file:line (active in every build type). */
#define NB_ASSERT(cond) \
    ((cond) ? (void)0 : nb_assert_fail(#cond, __FILE__, __LINE__))
void nb_assert_fail(const char *expr, const char *file, int line);

#define NB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NB_MIN(a, b) ((a) < (b) ? (a) : (b))
#define NB_MAX(a, b) ((a) > (b) ? (a) : (b))
#define NB_CLAMP(v, lo, hi) NB_MIN(NB_MAX((v), (lo)), (hi))

#if defined(__GNUC__)
#define NB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define NB_PRINTF(f, a)
#endif

/* Fill `err` (may be NULL) with a formatted message, truncated to NB_ERR_LEN. */
void nb_set_error(char *err, const char *fmt, ...) NB_PRINTF(2, 3);

/* Bounded string copy that always NUL-terminates; returns strlen(src). */
size_t nb_strlcpy(char *dst, const char *src, size_t cap);

#endif
