/* nb_app_file.c — boards on disk: save the board as a board file (NBP/1 frames, see
 * docs/protocol.md), open one onto the live board (its strokes become yours and are sent
 * to everyone), and replay one stroke by stroke at an adjustable speed on a private
 * board that the canvas shows instead of the live one. Render thread. */
#include "nb_app_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nb_boardfile.h"
#include "nb_file.h"
#include "nb_path.h"
#include "nb_time.h"

#define FILE_MAX (512u << 20)   /* a board file larger than this is not one of ours */

void nb_app_default_board_path(char *out, size_t cap)
{
    char dir[512];
    if (nb_path_user_data_dir(dir, sizeof dir) < 0) nb_strlcpy(dir, "/tmp", sizeof dir);
    snprintf(out, cap, "%s/board.nbb", dir);
}

int nb_app_save_board(nb_app *a, const char *path, char *err)
{
    char tmp[1100];
    nb_frame batch[1024];
    size_t n = 0, pos = 0;
    nb_segment seg;
    int rc = -1;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        nb_set_error(err, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    if (nb_boardfile_write_header_fd(fd, a->board_name, err) < 0) goto done;
    /* The visible board, flattened: what you see is what is saved. */
    while (nb_board_next(a->board, &pos, &seg)) {
        batch[n++] = (nb_frame){ .type = NB_FT_SEGMENT, .u.seg = seg };
        if (n == NB_ARRAY_LEN(batch)) {
            if (nb_boardfile_append_fd(fd, batch, n, err) < 0) goto done;
            n = 0;
        }
    }
    if (n && nb_boardfile_append_fd(fd, batch, n, err) < 0) goto done;
    if (fsync(fd) < 0 || rename(tmp, path) < 0) {
        nb_set_error(err, "%s: %s", path, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    close(fd);
    if (rc < 0) unlink(tmp);
    return rc;
}

/* Reads a whole board file into a new board (applying S, U, R, C in order). */
static nb_board *load_board(const char *path, char *name, size_t name_cap, char *err)
{
    nb_board *b = NULL;
    uint8_t *data = NULL;
    nb_boardfile_reader r;
    size_t len = 0;
    int opened = 0;
    if (nb_read_file(path, FILE_MAX, &data, &len, err) < 0) return NULL;
    if (len == 0) {
        nb_set_error(err, "%s: not a board file (size)", path);
        goto fail;
    }
    if (nb_boardfile_open(&r, data, len, err) != 0) goto fail;
    opened = 1;
    b = nb_board_create(NULL);
    if (!b) goto fail;
    nb_frame f;
    int rc;
    while ((rc = nb_boardfile_next(&r, &f, err)) == NB_BF_FRAME) {
        switch (f.type) {
        case NB_FT_SEGMENT: nb_board_add_segment(b, &f.u.seg); break;
        case NB_FT_UNDO: nb_board_apply_undo(b, f.u.undo.author, f.u.undo.stroke); break;
        case NB_FT_REDO: nb_board_apply_redo(b, f.u.undo.author, f.u.undo.stroke); break;
        case NB_FT_CLEAR: nb_board_clear(b); break;
        }
    }
    if (rc != NB_BF_END) goto fail;   /* torn or corrupt: err says where */
    if (name) nb_strlcpy(name, r.name, name_cap);
    nb_boardfile_close(&r);
    free(data);
    return b;
fail:
    if (opened) nb_boardfile_close(&r);
    nb_board_destroy(b);
    free(data);
    return NULL;
}

int nb_app_open_board(nb_app *a, const char *path, char *err)
{
    nb_board *b = load_board(path, NULL, 0, err);
    if (!b) return -1;
    /* Every stroke of the file becomes a new stroke of ours, so undo works on it. */
    size_t pos = 0;
    nb_segment seg;
    uint16_t last_author = 0;
    uint32_t last_stroke = 0;
    int first = 1;
    while (nb_board_next(b, &pos, &seg)) {
        if (first || seg.author != last_author || seg.stroke != last_stroke) {
            last_author = seg.author;
            last_stroke = seg.stroke;
            a->stroke = a->next_stroke++;
            first = 0;
        }
        seg.stroke = a->stroke;
        nb_app_draw_segment(a, &seg);
    }
    nb_board_destroy(b);
    return 0;
}

int nb_app_replay_start(nb_app *a, const char *path, char *err)
{
    nb_app_replay_stop(a);
    nb_board *src = load_board(path, NULL, 0, err);
    if (!src) return -1;
    size_t n = nb_board_visible_count(src), pos = 0;
    a->replay_segs = malloc((n ? n : 1) * sizeof *a->replay_segs);
    a->replay_board = nb_board_create(NULL);
    if (!a->replay_segs || !a->replay_board) {
        nb_board_destroy(src);
        nb_app_replay_stop(a);
        nb_set_error(err, "out of memory");
        return -1;
    }
    while (nb_board_next(src, &pos, &a->replay_segs[a->replay_n])) a->replay_n++;
    nb_board_destroy(src);
    a->replay_pos = 0;
    a->replay_t0 = nb_time_ms();
    a->replay_done_at_t = 0;
    return 0;
}

void nb_app_replay_stop(nb_app *a)
{
    nb_board_destroy(a->replay_board);
    free(a->replay_segs);
    a->replay_board = NULL;
    a->replay_segs = NULL;
    a->replay_n = a->replay_pos = 0;
}

/* Adds the segments due by now at replay_speed segments per second. */
void nb_app_replay_step(nb_app *a)
{
    if (!a->replay_board) return;
    uint64_t now = nb_time_ms();
    double due = (double)(now - a->replay_t0) * a->replay_speed / 1000.0 + (double)a->replay_done_at_t;
    size_t target = due >= (double)a->replay_n ? a->replay_n : (size_t)due;
    while (a->replay_pos < target) nb_board_add_segment(a->replay_board, &a->replay_segs[a->replay_pos++]);
    /* A speed change restarts the clock from where the replay is. */
    if (a->replay_speed != a->replay_last_speed) {
        a->replay_last_speed = a->replay_speed;
        a->replay_t0 = now;
        a->replay_done_at_t = a->replay_pos;
    }
}
