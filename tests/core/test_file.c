/* test_file.c — nb_write_all and nb_read_file on real files in a private temp dir. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "nb_common.h"
#include "nb_file.h"

typedef struct fixture {
    char dir[64];
    char file[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/nb_test_file.XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->file, sizeof f->file, "%s/data", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->file);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Write n bytes of a known pattern through nb_write_all. */
static void write_pattern(const char *path, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(i * 7 + 1);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(nb_write_all(fd, p, n), 0);
    assert_int_equal(close(fd), 0);
    free(p);
}

/* nb_read_file must succeed: the bytes, NUL-terminated, and their count in *len. */
static uint8_t *read_ok(const char *path, size_t max, size_t *len)
{
    char err[NB_ERR_LEN] = "";
    uint8_t *data = NULL;
    *len = 99;
    assert_int_equal(nb_read_file(path, max, &data, len, err), 0);
    assert_non_null(data);
    assert_int_equal(data[*len], 0);
    return data;
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    size_t len;
    write_pattern(f->file, 100000);        /* well past the first buffer guess */
    uint8_t *data = read_ok(f->file, 1u << 20, &len);
    assert_int_equal(len, 100000);
    for (size_t i = 0; i < len; i++) assert_int_equal(data[i], (uint8_t)(i * 7 + 1));
    free(data);
}

static void test_empty_file(void **state)
{
    fixture *f = *state;
    size_t len;
    write_pattern(f->file, 0);
    free(read_ok(f->file, 10, &len));
    assert_int_equal(len, 0);
}

/* nb_read_file must fail and leave *out NULL and *len 0; returns its errno, err filled. */
static int read_fails(const char *path, size_t max, char *err)
{
    uint8_t *data = (uint8_t *)"not touched";
    size_t len = 99;
    int rc = nb_read_file(path, max, &data, &len, err);
    int e = errno;
    assert_int_equal(rc, -1);
    assert_null(data);
    assert_int_equal(len, 0);
    return e;
}

static void test_size_cap(void **state)
{
    fixture *f = *state;
    char err[NB_ERR_LEN] = "";
    size_t len;
    write_pattern(f->file, 1000);
    free(read_ok(f->file, 1000, &len));    /* exactly max */
    assert_int_equal(len, 1000);
    assert_int_equal(read_fails(f->file, 999, err), EFBIG);
    assert_non_null(strstr(err, f->file));
    assert_non_null(strstr(err, "larger than 999 bytes"));
    assert_int_equal(read_fails(f->file, 0, err), EFBIG);
}

static void test_missing_file(void **state)
{
    fixture *f = *state;
    char err[NB_ERR_LEN] = "";
    assert_int_equal(read_fails(f->file, 100, err), ENOENT);
    assert_non_null(strstr(err, f->file));
    assert_non_null(strstr(err, strerror(ENOENT)));
    assert_int_equal(read_fails(f->file, 100, NULL), ENOENT);   /* err is optional */
}

static void test_not_regular(void **state)
{
    fixture *f = *state;
    char err[NB_ERR_LEN] = "";
    assert_int_equal(read_fails(f->dir, 100, err), EINVAL);
    assert_non_null(strstr(err, "not a regular file"));
}

/* /proc files say st_size 0 yet have content: the read must not trust the size. */
/* /proc files say st_size 0 yet have content: the read must not trust the size. */
static void test_size_hint_ignored(void **state)
{
    size_t len;
    uint8_t *data = read_ok("/proc/self/status", 1u << 20, &len);
    assert_true(len > 64);
    assert_non_null(strstr((char *)data, "Pid:"));
    free(data);
}

static void test_write_errors(void **state)
{
    int fds[2];
    assert_int_equal(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    static uint8_t big[1 << 20];           /* more than a pipe holds */
    assert_int_equal(nb_write_all(fds[1], big, sizeof big), -1);
    assert_int_equal(errno, EAGAIN);
    close(fds[0]);
    close(fds[1]);
    assert_int_equal(nb_write_all(fds[1], "x", 1), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(nb_write_all(-1, NULL, 0), 0);   /* nothing to write: no syscall */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_regular, setup, teardown),
        cmocka_unit_test(test_size_hint_ignored),
        cmocka_unit_test(test_write_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
