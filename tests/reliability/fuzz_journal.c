/* fuzz_journal.c — libFuzzer harness for the relay's journal parser (nb_journal_parse).
 * Invariants: it terminates; valid <= len; a clean result means valid == len; parsing the
 * valid prefix again is clean and yields the same records and frames (so cutting a
 * journal at `valid` always leaves a clean one); every frame handed out re-encodes to
 * exactly its bytes. Also compiled into test_fuzz_reliability. */
#include <string.h>

#include "nb_journal.h"

int nb_fuzz_journal(const uint8_t *data, size_t size);
#ifdef NB_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return nb_fuzz_journal(data, size); }
#endif

typedef struct tally { size_t sessions, frames; } tally;

static void on_session(void *ctx, const nb_journal_session *ss)
{
    (void)ss;
    ((tally *)ctx)->sessions++;
}

static void on_frame(void *ctx, const nb_frame *f, const uint8_t *enc, size_t n)
{
    uint8_t buf[NB_FRAME_MAX];
    NB_ASSERT(nb_frame_changes_board(f));
    NB_ASSERT(nb_encode(f, buf, sizeof buf, NULL) == (int)n && memcmp(buf, enc, n) == 0);
    ((tally *)ctx)->frames++;
}

int nb_fuzz_journal(const uint8_t *data, size_t size)
{
    tally a = { 0 }, b = { 0 };
    nb_journal_sink sa = { &a, on_session, on_frame }, sb = { &b, on_session, on_frame };
    size_t valid = 0, valid2 = 0;
    char name[NB_BOARD_NAME_MAX + 1], err[NB_ERR_LEN];
    int rc = nb_journal_parse(data, size, &sa, &valid, name, err);
    NB_ASSERT(valid <= size);
    NB_ASSERT(rc != 0 || valid == size);
    NB_ASSERT(strlen(name) <= NB_BOARD_NAME_MAX);
    if (valid >= NB_SIG_LEN) {
        NB_ASSERT(nb_journal_parse(data, valid, &sb, &valid2, name, err) == 0);
        NB_ASSERT(valid2 == valid && a.sessions == b.sessions && a.frames == b.frames);
    }
    return 0;
}
