/* nb_app_int.h — the app's state, shared by its files (frame loop, drawing, network,
 * panels). Render thread only: every field here is touched by the main thread alone; the
 * network and diagnostics threads reach the app only through their queues. */
#ifndef NB_APP_INT_H
#define NB_APP_INT_H

#include <SDL.h>

#include "nb_app_args.h"
#include "nb_app_script.h"
#include "nb_board.h"
#include "nb_boardsync.h"
#include "nb_canvas.h"
#include "nb_client.h"
#include "nb_diag_job.h"
#include "nb_discover.h"
#include "nb_overlay.h"
#include "nb_rate.h"
#include "nb_rawclient.h"
#include "nb_server.h"
#include "nb_settings.h"
#include "nb_ui.h"
#include "nb_ui_ring.h"
#include "nb_ui_sdl.h"

enum { NB_TAB_BOARD, NB_TAB_CHAT, NB_TAB_SERVER, NB_TAB_CLIENT, NB_TAB_DIAG, NB_TAB_COUNT };
enum { NB_TOOL_PEN, NB_TOOL_HIGHLIGHTER, NB_TOOL_ERASER, NB_TOOL_LASER, NB_TOOL_COUNT };
enum { NB_MODE_FIXED, NB_MODE_VAR, NB_MODE_MIX };

#define NB_LOG_LINES 400
#define NB_LOG_LINE_CAP 256
#define NB_LASER_MAX 512
#define NB_LASER_MS 1000
#define NB_APP_MAX_SHARE 8

typedef struct nb_app_log {
    nb_ui_ring ring;
    char store[NB_LOG_LINES * NB_LOG_LINE_CAP];
} nb_app_log;

typedef struct nb_laser_point { nb_segment seg; uint64_t t_ms; } nb_laser_point;

#define NB_APP_MAX_PEERS 64
typedef struct nb_peer {
    uint16_t author;
    char name[NB_NAME_MAX + 1];
    uint16_t x, y;                    /* last cursor position, board coordinates */
    int cursor_visible;
    uint64_t cursor_ms;
} nb_peer;

/* Frames per second in+out of one relay client, for the Server tab's sparklines. */
typedef struct nb_app_srv_rate {
    uint16_t author;
    uint64_t last_total;              /* frames in+out at the previous sample */
    nb_rate rate;
} nb_app_srv_rate;

/* The live diagnostics overlay's state (nb_app_overlay.c). */
typedef struct nb_app_overlay {
    int on;
    nb_ui *ui;                        /* its own context: translucent theme */
    nb_ui_theme theme;
    nb_counters counters;             /* bumped by the client's net thread (atomics) */
    nb_capture *capture;              /* last 64 frames, filled by the net thread */
    nb_capture_entry entries[NB_CAPTURE_ENTRIES];
    nb_traffic traffic;
    nb_frametime ft;
    nb_rate drain;
    nb_gauge rtt;
    uint64_t rtt_seen, tcp_t, selected, build_ns;
    nb_tcp_stats tcp;
    int have_tcp, sndbuf, rcvbuf;
    uint32_t drained_frame, cost_us;
    int delay_ms, rate_pps;
} nb_app_overlay;

typedef struct nb_app {
    nb_app_opts opts;
    nb_settings settings;
    SDL_Window *win;
    SDL_Renderer *ren;
    nb_ui *ui;
    nb_ui_sdl *uib;
    nb_ui_opts ui_opts;               /* text measure, for layouts outside panels */
    int done;
    int frame;
    int win_w, win_h;                 /* renderer output size, pixels */
    nb_rect canvas_area, panel_rect, status_rect, toolbar_rect;
    uint64_t fps_t0;
    int fps_frames, fps;

    /* the board */
    nb_board *board;
    nb_canvas *canvas;
    int tool;
    uint32_t color;
    int width;                        /* 1/1000 of board height */
    int drawing;
    uint64_t cursor_sent_ms;          /* last cursor frame sent (throttle) */
    uint16_t last_x, last_y;
    uint32_t stroke, next_stroke;
    nb_laser_point laser[NB_LASER_MAX];
    int laser_head, laser_count;
    int confirm_clear;
    int custom_r, custom_g, custom_b;   /* the custom colour's sliders */
    int export_res;                   /* 0: 1920, 1: 3840, 2: 7680 wide */
    int host_only_clear;              /* hosting: only we may clear the board */

    /* boards on disk and replay */
    char file_path[1024];
    nb_board *replay_board;           /* shown instead of the live board while set */
    nb_segment *replay_segs;
    size_t replay_n, replay_pos, replay_done_at_t;
    uint64_t replay_t0;
    int replay_speed, replay_last_speed;   /* segments per second */

    /* network: the in-app server (when hosting) and the board connection */
    nb_server *server;
    nb_app_srv_rate srv_rates[NB_SERVER_STATUS_CLIENTS];
    int n_srv_rates;
    nb_client *client;
    nb_boardsync sync;                /* keeps a->board equal to the relay's */
    uint64_t settings_session;        /* our session token, kept across re-joins */
    int client_state;
    char client_reason[160];
    char host_text[256], port_text[12], name_text[NB_NAME_MAX + 1];
    char board_name[NB_BOARD_NAME_MAX + 1];
    char server_port_text[12];
    nb_client_event events[1024];
    int chat_sent;                    /* --chat sent once */

    nb_peer peers[NB_APP_MAX_PEERS];
    int n_peers;

    char share[NB_APP_MAX_SHARE][64];                /* addresses others can join with */
    int n_share;

    /* LAN discovery (optional) */
    nb_discover *disc;
    char lan_status[NB_ERR_LEN + 64];
    uint64_t lan_t;

    /* chat */
    nb_app_log chat_log;
    char chat_text[1025];
    int chat_mode;

    /* raw TCP client */
    nb_rawclient *raw;
    char raw_host[256], raw_port[12], raw_text[1025];
    int raw_mode, raw_close_after;
    nb_app_log raw_log;

    /* diagnostics */
    nb_diag_job *diag;
    char diag_host[256], diag_port[12], diag_name[256], diag_addr[256];
    nb_app_log diag_log;
    nb_diag_line diag_lines[64];

    /* log of the app itself (errors, joins) shown in the Server tab */
    nb_app_log app_log;

    int tab;
    nb_script script;
    nb_app_overlay ov;
    uint64_t frame_t0_ns;
} nb_app;

void nb_app_log_init(nb_app_log *l);
void nb_app_logf(nb_app_log *l, const char *fmt, ...) NB_PRINTF(2, 3);
struct nb_app;
void nb_app_log_wrapped(struct nb_app *a, nb_app_log *l, const char *text);

/* nb_app_draw.c: mouse/pen input on the canvas, tools, undo/redo, laser trail */
int nb_app_draw_event(nb_app *a, const SDL_Event *e);
void nb_app_laser(nb_app *a, const nb_segment *s);
void nb_app_draw_segment(nb_app *a, nb_segment *s);
void nb_app_undo(nb_app *a);
void nb_app_redo(nb_app *a);
void nb_app_clear_board(nb_app *a);
void nb_app_draw_overlays(nb_app *a);
int nb_app_export_png(nb_app *a, char *path_out, size_t cap);

/* nb_app_net.c: hosting, joining, draining the client's events */
int nb_app_host(nb_app *a, int port, char *err);
void nb_app_stop_hosting(nb_app *a);
int nb_app_join(nb_app *a, const char *host, int port, char *err);
void nb_app_leave(nb_app *a);
void nb_app_net_iterate(nb_app *a);
void nb_app_send_chat(nb_app *a);
char nb_app_chat_framing(int mode);
const char *nb_app_peer_name(nb_app *a, uint16_t author);
uint32_t nb_app_peer_color(uint16_t author);

/* nb_app_raw.c: the raw TCP client, share addresses, board-connection diagnostics */
void nb_app_raw_panel(nb_app *a);
void nb_app_raw_iterate(nb_app *a);
void nb_app_refresh_share(nb_app *a, int port);
void nb_app_diag_board_connection(nb_app *a);

/* nb_app_presence.c: remote cursors, presenter toolbar */
void nb_app_draw_cursors(nb_app *a);
void nb_app_presenter_toolbar(nb_app *a);

/* nb_app_file.c: board files, open, replay */
void nb_app_default_board_path(char *out, size_t cap);
int nb_app_save_board(nb_app *a, const char *path, char *err);
int nb_app_open_board(nb_app *a, const char *path, char *err);
int nb_app_replay_start(nb_app *a, const char *path, char *err);
void nb_app_replay_stop(nb_app *a);
void nb_app_replay_step(nb_app *a);

/* nb_app_lan.c: LAN discovery */
void nb_app_lan_start(nb_app *a);
void nb_app_lan_stop(nb_app *a);
void nb_app_lan_iterate(nb_app *a);
void nb_app_lan_panel(nb_app *a);

/* nb_app_overlay.c: the live diagnostics overlay */
int nb_app_overlay_init(nb_app *a);
void nb_app_overlay_free(nb_app *a);
nb_rect nb_app_overlay_rect(const nb_app *a);
void nb_app_overlay_frame(nb_app *a, uint32_t frame_us);
void nb_app_overlay_draw(nb_app *a);

/* nb_app_panel.c: the right-hand panel and the status bar */
void nb_app_panel(nb_app *a);
void nb_app_start_diag(nb_app *a, const char *cmd, int argc, const char *const *argv);
void nb_app_status_bar(nb_app *a);

#endif
