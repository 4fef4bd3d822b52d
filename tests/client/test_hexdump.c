/* test_hexdump.c — hexdump -C lines (checked against the real tool's output) and the
 * escaped text form, including cut-off output and sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "nb_hexdump.h"

static void test_partial_line_matches_hexdump_c(void **state)
{
    (void)state;
    /* printf 'Hello world\n' | hexdump -C */
    const char *want =
        "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|\n";
    char out[256];
    size_t n = nb_hexdump((const uint8_t *)"Hello world\n", 12, 0, out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    assert_int_equal(nb_hexdump_size(12), n);
}

static void test_two_lines_and_offset(void **state)
{
    (void)state;
    /* printf '0123456789abcdefXYZ' | hexdump -C, offsets shifted by 0x100 */
    const char *want =
        "00000100  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
        "00000110  58 59 5a                                          |XYZ|\n";
    char out[256];
    size_t n = nb_hexdump((const uint8_t *)"0123456789abcdefXYZ", 19, 0x100, out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, nb_hexdump_size(19));
    assert_true(strchr(out, '\n') - out + 1 <= NB_HEXDUMP_LINE_MAX);
}

static void test_nonprintable_and_exact_line(void **state)
{
    (void)state;
    uint8_t data[16];
    for (int i = 0; i < 16; i++) data[i] = (uint8_t)(0x7c + i);   /* 7c..8b */
    char out[128];
    nb_hexdump(data, 16, 0, out, sizeof out);
    assert_string_equal(out, "00000000  7c 7d 7e 7f 80 81 82 83  84 85 86 87 88 89 8a 8b"
                             "  ||}~.............|\n");   /* hexdump -C output */
}

static void test_empty_and_truncated_output(void **state)
{
    (void)state;
    char out[16];
    memset(out, 'x', sizeof out);
    assert_int_equal(nb_hexdump((const uint8_t *)"", 0, 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* too small: NUL-terminated prefix, full length returned */
    size_t n = nb_hexdump((const uint8_t *)"abc", 3, 0, out, sizeof out);
    assert_int_equal(n, nb_hexdump_size(3));
    assert_true(n >= sizeof out);
    assert_int_equal(strlen(out), sizeof out - 1);
    assert_memory_equal(out, "00000000  61 62 ", 15);
    /* cap 0 writes nothing */
    assert_int_equal(nb_hexdump((const uint8_t *)"abc", 3, 0, NULL, 0), n);
}

static void test_escape(void **state)
{
    (void)state;
    const uint8_t in[] = { 'h', 'i', '\n', '\r', '\t', '\\', 0x00, 0xff, '~' };
    char out[64];
    size_t n = nb_text_escape(in, sizeof in, out, sizeof out);
    assert_string_equal(out, "hi\\n\\r\\t\\\\\\x00\\xff~");
    assert_int_equal(n, strlen(out));
    char small[5];
    assert_int_equal(nb_text_escape(in, sizeof in, small, sizeof small), n);
    assert_string_equal(small, "hi\\n");
}

static void test_size_of_many_lines(void **state)
{
    (void)state;
    static uint8_t big[1000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)i;
    static char out[8000];
    size_t n = nb_hexdump(big, sizeof big, 0, out, sizeof out);
    assert_int_equal(n, nb_hexdump_size(sizeof big));
    assert_int_equal(strlen(out), n);
    size_t lines = 0;
    for (size_t i = 0; i < n; i++) lines += out[i] == '\n';
    assert_int_equal(lines, (sizeof big + 15) / 16);
    assert_non_null(strstr(out, "000003e0  e0 e1 e2 e3 e4 e5 e6 e7"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_line_matches_hexdump_c),
        cmocka_unit_test(test_two_lines_and_offset),
        cmocka_unit_test(test_nonprintable_and_exact_line),
        cmocka_unit_test(test_empty_and_truncated_output),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_size_of_many_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
