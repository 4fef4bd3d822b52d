/* fuzz_netstat.c — libFuzzer harness for the /proc/net/tcp{,6} parser. The first input
 * byte picks the family (bit 0) and the output capacity (bits 1-4: 0..15 entries); the
 * rest is the text (NUL-terminated copy). Invariants, checked with NB_ASSERT:
 *   - the parser terminates and never writes past `max` entries;
 *   - every stored entry has the requested family and a known or UNKNOWN state name;
 *   - formatting a stored entry into a small buffer stays NUL-terminated within it.
 * Also compiled into test_fuzz_reliability, which runs it over the seeds. */
#include <stdlib.h>
#include <string.h>

#include "nb_common.h"
#include "nb_netstat.h"

int nb_fuzz_netstat(const uint8_t *data, size_t size);
#ifdef NB_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return nb_fuzz_netstat(data, size); }
#endif

int nb_fuzz_netstat(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    int v6 = data[0] & 1;
    size_t max = (data[0] >> 1) & 15;
    char *text = malloc(size);
    NB_ASSERT(text);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    /* one guard entry past max, filled with a pattern that must survive */
    nb_tcp_entry *e = malloc((max + 1) * sizeof *e);
    NB_ASSERT(e);
    memset(e, 0xa5, (max + 1) * sizeof *e);
    size_t n = nb_netstat_parse(text, v6, e, max);
    const uint8_t *guard = (const uint8_t *)&e[max];
    for (size_t i = 0; i < sizeof *e; i++) NB_ASSERT(guard[i] == 0xa5);
    for (size_t i = 0; i < NB_MIN(n, max); i++) {
        NB_ASSERT(e[i].v6 == v6);
        NB_ASSERT(nb_netstat_state_name(e[i].state) != NULL);
        char line[48];
        nb_netstat_format(&e[i], line, sizeof line);
        NB_ASSERT(memchr(line, '\0', sizeof line) != NULL);
    }
    free(e);
    free(text);
    return 0;
}
