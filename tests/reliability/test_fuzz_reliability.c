/* test_fuzz_reliability.c — runs the netstat and journal fuzz harnesses over their seeds
 * in every build (so their invariants are tested without clang), replays fuzzer inputs
 * given as arguments (`test_fuzz_reliability netstat|journal FILE...`), and writes the
 * seeds for .ci/fuzz (`--write DIR` makes DIR/netstat and DIR/journal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nb_boardfile.h"
#include "nb_proto.h"

int nb_fuzz_netstat(const uint8_t *data, size_t size);
int nb_fuzz_journal(const uint8_t *data, size_t size);

static const char *write_dir;
static unsigned n_written;

static void seed(const char *kind, const uint8_t *b, size_t n)
{
    if (write_dir) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s/seed-%04u", write_dir, kind, n_written++);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(b, 1, n, fp), n);
        fclose(fp);
        return;
    }
    if (kind[0] == 'n')
        nb_fuzz_netstat(b, n);
    else
        nb_fuzz_journal(b, n);
}

/* Each entry is one captured file, written as several literals (parenthesised so the
 * concatenation is visibly meant). */
static const char *const NETSTAT[] = {
    ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 174 1 00000000123d4ff6 100 0 0 10 0\n"
    "   2: 0100007F:BF69 0100007F:C350 01 0000002A:00000007 01:00000014 00000000  1000        0 424242 1 0000000000000000 20 4 30 10 -1\n"),
    ("  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   1: 0000000000000000FFFF00000100007F:BF69 0000000000000000FFFF00000100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 5002 1 0000000000000000 20 4 30 10 -1\n"),
    "header\n   0: 0100007F:BF69 0100007F\n   1: zz:zz 00:00 FF\n\n\n   2: 0100007F:FFFFFFFF 0100007F:0 0B",
};

static void run_netstat_seeds(void)
{
    for (size_t i = 0; i < sizeof NETSTAT / sizeof *NETSTAT; i++)
        for (uint8_t mode = 0; mode < 32; mode += 7) {
            size_t n = strlen(NETSTAT[i]);
            uint8_t *b = malloc(n + 1);
            assert_non_null(b);
            b[0] = (uint8_t)(mode | (i == 1));
            memcpy(b + 1, NETSTAT[i], n);
            seed("netstat", b, n + 1);
            free(b);
        }
}

static size_t put(uint8_t *out, const nb_frame *f)
{
    int n = nb_encode(f, out, NB_FRAME_MAX, NULL);
    assert_true(n > 0);
    return (size_t)n;
}

static void run_journal_seeds(void)
{
    static uint8_t b[4096];
    size_t n = (size_t)nb_boardfile_header("seed board", b, sizeof b, NULL);
    seed("journal", b, n);
    n += put(b + n, &(nb_frame){ .type = NB_FT_PING, .u.token = 0x1234 });
    n += put(b + n, &(nb_frame){ .type = NB_FT_WELCOME, .u.welcome = { 1, 3, 0 } });
    for (uint32_t i = 0; i < 4; i++)
        n += put(b + n, &(nb_frame){ .type = NB_FT_SEGMENT,
                                     .u.seg = { .author = 1, .stroke = i, .x2 = 9, .width = 3 } });
    n += put(b + n, &(nb_frame){ .type = NB_FT_UNDO, .u.undo = { 1, 2 } });
    n += put(b + n, &(nb_frame){ .type = NB_FT_REDO, .u.undo = { 1, 2 } });
    n += put(b + n, &(nb_frame){ .type = NB_FT_CLEAR, .u.peer = { 1 } });
    seed("journal", b, n);
    seed("journal", b, n - 3);          /* torn */
    b[n - 3] = 'x';
    seed("journal", b, n);              /* corrupt */
}

static void test_seeds(void **state)
{
    (void)state;
    run_netstat_seeds();
    run_journal_seeds();
}

static int replay(const char *kind, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        if (!fp) continue;
        static uint8_t buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        if (kind[0] == 'n') nb_fuzz_netstat(buf, n);
        else nb_fuzz_journal(buf, n);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0) {
        write_dir = argv[2];
        char sub[512];
        snprintf(sub, sizeof sub, "%s/netstat", write_dir);
        mkdir(write_dir, 0755);
        mkdir(sub, 0755);
        snprintf(sub, sizeof sub, "%s/journal", write_dir);
        mkdir(sub, 0755);
        test_seeds(NULL);
        printf("wrote %u seeds to %s\n", n_written, write_dir);
        return 0;
    }
    if (argc >= 3 && (strcmp(argv[1], "netstat") == 0 || strcmp(argv[1], "journal") == 0))
        return replay(argv[1], argc - 2, argv + 2);
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_seeds) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
