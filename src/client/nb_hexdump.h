/* nb_hexdump.h — bytes shown to people: `hexdump -C` style lines (offset, 16 bytes in
 * two groups of 8, printable column) and a one-line escaped text form. Pure functions on
 * buffers, shared by the raw client and the packet inspector. Owns nothing. */
#ifndef NB_HEXDUMP_H
#define NB_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>

#define NB_HEXDUMP_BYTES_PER_LINE 16
/* Longest line with its '\n': "%08x" + 2 + 16*3 + 1 + " |" + 16 + "|\n". */
#define NB_HEXDUMP_LINE_MAX 80

/* Bytes nb_hexdump writes for `len` input bytes, without the final NUL. */
size_t nb_hexdump_size(size_t len);

/* Format `data` as lines like `hexdump -C` (no '*' folding of repeated lines, no
 * trailing total-offset line); `offset` is the stream position of data[0] and is what
 * the first column shows (lines stay aligned to the data, not to multiples of 16).
 * Writes at most cap-1 bytes plus a NUL when cap > 0; returns the full length (as
 * snprintf does), so a return >= cap means the output was cut. */
size_t nb_hexdump(const uint8_t *data, size_t len, uint64_t offset, char *out, size_t cap);

/* Escape `data` into printable ASCII: printable bytes as they are, '\\' as "\\\\",
 * \n \r \t as those escapes, anything else as \xNN. Same return convention as
 * nb_hexdump. At most 4 output bytes per input byte. */
size_t nb_text_escape(const uint8_t *data, size_t len, char *out, size_t cap);

#endif
