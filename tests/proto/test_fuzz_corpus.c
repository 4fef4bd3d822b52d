/* test_fuzz_corpus.c — runs the fuzz harness (fuzz_decoder.c) over the test vectors: each
 * valid frame and the concatenation of all, whole and in several split patterns, with and
 * without the signature, plus the malformed table; so the harness is tested in every build.
 * `test_fuzz_corpus FILE...` replays fuzzer inputs; `test_fuzz_corpus --write DIR` writes
 * the seed corpus for a libFuzzer run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto_vectors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *write_dir;
static unsigned n_inputs;

/* Runs (or writes) mode byte + the signature if `sig` + body. */
static void run(uint8_t mode, int sig, const uint8_t *body, size_t len)
{
    size_t n = 1 + (sig ? NB_SIG_LEN : 0) + len;
    uint8_t *b = malloc(n);
    assert_non_null(b);
    b[0] = mode;
    if (sig) memcpy(b + 1, NB_SIGNATURE, NB_SIG_LEN);
    if (len) memcpy(b + n - len, body, len);
    if (write_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/seed-%04u", write_dir, n_inputs);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(b, 1, n, fp), n);
        fclose(fp);
    } else {
        assert_int_equal(LLVMFuzzerTestOneInput(b, n), 0);
    }
    n_inputs++;
    free(b);
}

static const uint8_t modes[] = { 0x00, 0x01, 0x02, 0x07, 0x20, 0xff };

static void test_valid_frames(void **st)
{
    (void)st;
    nb_frame f[PV_MAX_FRAMES];
    size_t n = pv_frames(f, PV_MAX_FRAMES), total = 0;
    for (size_t i = 0; i < n; i++) total += nb_encoded_size(&f[i]);
    uint8_t *all = malloc(total), *p = all;
    assert_non_null(all);
    for (size_t i = 0; i < n; i++) {
        size_t len = nb_encoded_size(&f[i]);
        assert_int_equal(nb_encode(&f[i], p, len, NULL), (int)len);
        /* the 64 KiB frames only whole: keeps the seed corpus small */
        for (size_t m = 0; m < (len > 4096 ? 1 : sizeof modes); m++) run(modes[m], modes[m] & 1, p, len);
        p += len;
    }
    for (size_t m = 0; m < sizeof modes; m++) run(modes[m], modes[m] & 1, all, total);
    free(all);
}

static void test_bad_inputs(void **st)
{
    (void)st;
    const pv_bad *t;
    size_t n = pv_bad_inputs(&t);
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < sizeof modes; m++)   /* the table's own decoder flag */
            run((uint8_t)((modes[m] & ~1) | (t[i].flags ? 1 : 0)), 0, t[i].bytes, t[i].len);
    run(0, 0, NULL, 0);
    assert_int_equal(LLVMFuzzerTestOneInput(NULL, 0), 0);
}

static int replay(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        if (!fp) { perror(argv[i]); return 1; }
        static uint8_t buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        LLVMFuzzerTestOneInput(buf, n);
    }
    printf("replayed %d inputs\n", argc - 1);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0) write_dir = argv[2];
    else if (argc > 1) return replay(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_frames),
        cmocka_unit_test(test_bad_inputs),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (write_dir) printf("wrote %u seeds to %s\n", n_inputs, write_dir);
    return rc;
}
