/* nb_journal.h — the relay's durable board: an append-only board file (nb_boardfile.h)
 * holding every accepted board-changing frame, with session records so that "frames
 * held" survives a restart, torn-tail repair on open, compaction on clear, and batched
 * fdatasync on a thread of its own. Owns the file descriptor and that thread.
 *
 * Format (docs/protocol.md, "Board files and the journal"): signature, W(board name),
 * then frames. A session record is P(token) immediately followed by W(author, held, 0,
 * ""): "the frames after this come from session `token`, author `author`, which already
 * had `held` board frames". Records are written whenever the sending session changes.
 *
 * DESIGN. The I/O thread calls append (into a memory buffer), flush (one write(2) per
 * wake-up, so a SIGKILL loses nothing the server relayed) and rewrite. The sync thread
 * wakes every NB_JOURNAL_SYNC_MS and, if anything was written since its last pass, runs
 * fdatasync with `lock` held; rewrite and close take `lock` to swap or close the fd, so
 * the sync thread never syncs a closed descriptor. `dirty` is atomic: setting it never
 * waits for a sync in progress. */
#ifndef NB_JOURNAL_H
#define NB_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nb_boardfile.h"   /* NB_BF_TORN, NB_BF_CORRUPT */
#include "nb_common.h"
#include "nb_proto.h"

#define NB_JOURNAL_SYNC_MS 50   /* a written frame is on disk at most this long (+ sync) later */

typedef struct nb_journal nb_journal;

/* A session as the journal records it. */
typedef struct nb_journal_session {
    uint64_t token;
    uint16_t author;
    uint64_t held;
} nb_journal_session;

/* What parsing yields, in file order. */
typedef struct nb_journal_sink {
    void *ctx;
    void (*session)(void *ctx, const nb_journal_session *ss);
    /* A board frame (its encoding enc[0..n)) from the session of the last record
     * (token 0 / author 0 when none came first). */
    void (*frame)(void *ctx, const nb_frame *f, const uint8_t *enc, size_t n);
} nb_journal_sink;

/* Parse a journal in data[len]. Returns 0 (clean end), NB_BF_TORN (the data ends inside
 * a frame) or NB_BF_CORRUPT (a frame that is malformed or doesn't belong) with err;
 * *valid is the length of the whole-frame prefix either way, board_name[65] gets the
 * header's name ("" if none). Records and frames before *valid have been delivered. */
int nb_journal_parse(const uint8_t *data, size_t len, const nb_journal_sink *sink,
                     size_t *valid, char *board_name, char *err);

typedef struct nb_journal_stats {
    uint64_t bytes_written, writes, syncs;
    uint64_t sync_us_max, sync_us_total;   /* time spent in fdatasync */
    uint64_t rewrites;
    int failed;                            /* a write failed: no longer durable */
} nb_journal_stats;

/* Opens (creating it with a header naming board_name if missing or empty) and replays
 * it into `sink`. A torn or corrupt tail is cut with ftruncate and logged (a corrupt
 * file is first copied to PATH.bad). Starts the sync thread. NULL with err on failure. */
nb_journal *nb_journal_open(const char *path, const char *board_name,
                            const nb_journal_sink *sink, char *err);

/* Queue one encoded board frame from `ss` (the session's state before this frame):
 * writes a session record first when the sender differs from the previous frame's. */
void nb_journal_append(nb_journal *j, const nb_journal_session *ss, const uint8_t *enc,
                       size_t n);

/* write(2) what append queued; call once per I/O wake-up. Errors are logged once and
 * the journal stops (the relay goes on without durability). */
void nb_journal_flush(nb_journal *j);

/* Compaction: atomically replace the file (temp + fsync + rename) with the header, one
 * record per session in ss[n] (what "held" must stay after a restart), then the frame
 * enc[0..len) (the C) from ss[last] if enc is not NULL. 0 or -1 (logged; the old file
 * is kept and appended to). */
int nb_journal_rewrite(nb_journal *j, const nb_journal_session *ss, size_t n,
                       const uint8_t *enc, size_t len);

/* Flush, fdatasync, stop the thread, close. NULL is a no-op. */
void nb_journal_close(nb_journal *j);

/* Counters; on the appending thread (or when it is idle), the sync ones under the lock. */
void nb_journal_get_stats(nb_journal *j, nb_journal_stats *out);

#endif
