/* test_diag_cli.c — `netboard diag ...` in-process: exit codes, stdout vs stderr,
 * help and usage text. The streams are tmpfiles read back after each run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb_diag.h"
#include "nb_diag_cli.h"

static char out_text[16384], err_text[16384];

static void slurp(FILE *f, char *buf, size_t cap)
{
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Runs `netboard diag <words...>` and returns its exit status. */
static int run(int argc, const char **words)
{
    char *argv[16];
    assert_true(argc < 15);
    argv[0] = "diag";
    for (int i = 0; i < argc; i++) argv[i + 1] = (char *)words[i];
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    int rc = nb_diag_main_to(argc + 1, argv, out, err);
    slurp(out, out_text, sizeof out_text);
    slurp(err, err_text, sizeof err_text);
    return rc;
}

#define RUN(...) run((int)NB_ARRAY_LEN(((const char *[]){ __VA_ARGS__ })), (const char *[]){ __VA_ARGS__ })

static void test_help_lists_every_command(void **state)
{
    assert_int_equal(RUN("--help"), 0);
    for (const nb_diag_cmd *c = nb_diag_commands(); c->name; c++) {
        char want[64];
        snprintf(want, sizeof want, "  %s", c->name);
        assert_non_null(strstr(out_text, want));
    }
    assert_string_equal(err_text, "");
    assert_int_equal(run(0, NULL), 2);          /* bare `netboard diag` */
    assert_non_null(strstr(err_text, "usage: netboard diag SUBCOMMAND"));
    assert_int_equal(RUN("pton", "--help"), 0);
    assert_non_null(strstr(out_text, "usage: netboard diag pton ADDR"));
}

static void test_usage_errors(void **state)
{
    assert_int_equal(RUN("frobnicate"), 2);
    assert_non_null(strstr(err_text, "unknown subcommand \"frobnicate\""));
    assert_int_equal(RUN("pton"), 2);
    assert_non_null(strstr(err_text, "usage: netboard diag pton ADDR"));
    assert_int_equal(RUN("port", "localhost", "http"), 2);
    assert_non_null(strstr(err_text, "usage: netboard diag port HOST PORT [--timeout MS]"));
    assert_int_equal(RUN("port", "localhost", "80", "--timeout", "-5"), 2);
    assert_int_equal(RUN("ifaces", "extra"), 2);
    assert_string_equal(out_text, "");
}

static void test_output_and_errors(void **state)
{
    assert_int_equal(RUN("pton", "::1"), 0);
    assert_non_null(strstr(out_text, "canonical (inet_ntop): ::1\n"));
    assert_string_equal(err_text, "");
    assert_int_equal(RUN("pton", "1.2.3.256"), 1);
    assert_string_equal(out_text, "");
    assert_non_null(strstr(err_text, "netboard diag: pton: \"1.2.3.256\" is not an IPv4 address"));
    assert_int_equal(RUN("byteorder"), 0);
    assert_non_null(strstr(out_text, "htonl -> [12 34 56 78]"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_lists_every_command),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_output_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
