/* test_args.c — the app's command line: defaults, host:port forms, bad values rejected
 * with a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "nb_app_args.h"

static int parse(nb_app_opts *o, char *err, int argc, char **argv)
{
    return nb_app_parse_args(argc, argv, o, err);
}

static void test_defaults(void **state)
{
    (void)state;
    nb_app_opts o;
    char err[NB_ERR_LEN] = "";
    char *argv[] = { "netboard" };
    assert_int_equal(parse(&o, err, 1, argv), 0);
    assert_string_equal(o.join_host, "");
    assert_int_equal(o.port, NB_DEFAULT_PORT);
    assert_int_equal(o.frames, 0);
}

static void test_join_forms(void **state)
{
    (void)state;
    struct { const char *in, *host; int port; } ok[] = {
        { "example.org", "example.org", NB_DEFAULT_PORT },
        { "10.0.0.5:5000", "10.0.0.5", 5000 },
        { "[::1]:49002", "::1", 49002 },
        { "[fe80::1]", "fe80::1", NB_DEFAULT_PORT },
        { "::1", "::1", NB_DEFAULT_PORT },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        nb_app_opts o;
        char err[NB_ERR_LEN] = "";
        char *argv[] = { "netboard", "--join", (char *)ok[i].in };
        assert_int_equal(parse(&o, err, 3, argv), 0);
        assert_string_equal(o.join_host, ok[i].host);
        assert_int_equal(o.port, ok[i].port);
    }
    const char *bad[] = { "", "host:0", "host:70000", "host:12ab", "[::1", "[::1]x", ":80" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nb_app_opts o;
        char err[NB_ERR_LEN] = "";
        char *argv[] = { "netboard", "--join", (char *)bad[i] };
        assert_int_equal(parse(&o, err, 3, argv), -1);
        assert_true(strlen(err) > 0);
    }
}

static void test_test_hooks(void **state)
{
    (void)state;
    nb_app_opts o;
    char err[NB_ERR_LEN] = "";
    char *argv[] = { "netboard", "--screenshot", "/tmp/x.png", "--drag", "0.1,0.2,0.9,0.8",
                     "--drag", "0,0,1,1", "--frames", "12", "--tab", "chat" };
    assert_int_equal(parse(&o, err, 11, argv), 0);
    assert_string_equal(o.screenshot, "/tmp/x.png");
    assert_int_equal(o.frames, 12);
    assert_int_equal(o.n_drags, 2);
    assert_true(o.drags[0].x2 > 0.89f && o.drags[0].x2 < 0.91f);
    assert_string_equal(o.tab, "chat");
}

static void test_bad_values(void **state)
{
    (void)state;
    char *cases[][3] = {
        { "netboard", "--port", "0" },      { "netboard", "--port", "x" },
        { "netboard", "--drag", "0,0,2,0" }, { "netboard", "--drag", "1,2,3" },
        { "netboard", "--size", "10x10" },  { "netboard", "--frames", "-1" },
        { "netboard", "--bogus", "1" },     { "netboard", "--name", "012345678901234567890123456789012" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nb_app_opts o;
        char err[NB_ERR_LEN] = "";
        assert_int_equal(parse(&o, err, 3, cases[i]), -1);
        assert_true(strlen(err) > 0);
    }
    nb_app_opts o;
    char err[NB_ERR_LEN] = "";
    char *missing[] = { "netboard", "--join" };
    assert_int_equal(parse(&o, err, 2, missing), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_join_forms),
        cmocka_unit_test(test_test_hooks),
        cmocka_unit_test(test_bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
