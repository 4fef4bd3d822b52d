/* nb_app_panel.c — the right-hand panel (Board, Chat, Server, Client, Diagnostics tabs)
 * and the status bar, as immediate-mode UI calls: everything shown is read from the app
 * state each frame, nothing is cached. Render thread. */
#include "nb_app_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb_diag.h"
#include "nb_proto.h"
#include "nb_time.h"
#include "nb_view.h"

static const char *const tab_names[NB_TAB_COUNT] = { "Board", "Chat", "Server", "Client",
                                                     "Diagnostics" };

static void row(nb_app *a, int items, const int *widths, int h)
{
    nb_ui_layout_row(a->ui, items, widths, h);
}

static void full_row(nb_app *a) { row(a, 1, (const int[]){ -1 }, 0); }

static void labelf(nb_app *a, int opts, const char *fmt, ...) NB_PRINTF(3, 4);
static void labelf(nb_app *a, int opts, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    nb_ui_label_ex(a->ui, buf, opts);
}

static nb_color rgba(uint32_t v) { return nb_color_from_rgba(v); }

/* ---- Board ------------------------------------------------------------------------- */

static void board_tab(nb_app *a)
{
    static const char *const tools[NB_TOOL_COUNT] = { "Pen (P)", "Highlighter (H)", "Eraser (E)",
                                                      "Laser (L)" };
    nb_ui_header(a->ui, "Tool");
    row(a, 2, (const int[]){ 150, -1 }, 0);
    for (int i = 0; i < NB_TOOL_COUNT; i++) nb_ui_radio(a->ui, tools[i], &a->tool, i);

    nb_ui_header(a->ui, "Colour");
    row(a, 8, (const int[]){ 34, 34, 34, 34, 34, 34, 34, 34 }, 34);
    for (int i = 0; i < NB_SETTINGS_PALETTE; i++) {
        uint32_t c = a->settings.palette[i];
        if (nb_ui_swatch(a->ui, rgba(c), c == a->color) & NB_UI_RES_SUBMIT) {
            a->color = c;
            if (a->tool == NB_TOOL_ERASER || a->tool == NB_TOOL_LASER) a->tool = NB_TOOL_PEN;
        }
    }
    /* A custom colour: three sliders and its own swatch. */
    row(a, 4, (const int[]){ 34, 120, 120, -1 }, 0);
    uint32_t custom = ((uint32_t)a->custom_r << 24) | ((uint32_t)a->custom_g << 16) |
                      ((uint32_t)a->custom_b << 8) | 0xFFu;
    if (nb_ui_swatch(a->ui, rgba(custom), custom == a->color) & NB_UI_RES_SUBMIT) a->color = custom;
    int ch = 0;
    ch |= nb_ui_slider_int(a->ui, &a->custom_r, 0, 255, "R %d");
    ch |= nb_ui_slider_int(a->ui, &a->custom_g, 0, 255, "G %d");
    ch |= nb_ui_slider_int(a->ui, &a->custom_b, 0, 255, "B %d");
    if (ch & NB_UI_RES_CHANGE) {
        a->color = ((uint32_t)a->custom_r << 24) | ((uint32_t)a->custom_g << 16) |
                   ((uint32_t)a->custom_b << 8) | 0xFFu;
        if (a->tool == NB_TOOL_ERASER || a->tool == NB_TOOL_LASER) a->tool = NB_TOOL_PEN;
    }

    static const int presets[] = { 2, 4, 8, 16, 32 };
    static const char *const preset_names[] = { "Fine", "Medium", "Bold", "Thick", "Huge" };
    row(a, 5, (const int[]){ 78, 78, 78, 78, -1 }, 0);
    for (int i = 0; i < 5; i++)
        if (nb_ui_button_ex(a->ui, preset_names[i], a->width == presets[i] ? NB_UI_OPT_ACCENT : 0) & NB_UI_RES_SUBMIT)
            a->width = presets[i];
    row(a, 2, (const int[]){ 110, -1 }, 0);
    nb_ui_label(a->ui, "Width");
    nb_ui_slider_int(a->ui, &a->width, 1, 40, "%d");

    nb_ui_header(a->ui, "Edit");
    row(a, 3, (const int[]){ 150, 150, -1 }, 0);
    if (nb_ui_button(a->ui, "Undo") & NB_UI_RES_SUBMIT) nb_app_undo(a);
    if (nb_ui_button(a->ui, "Redo") & NB_UI_RES_SUBMIT) nb_app_redo(a);
    if (!a->confirm_clear) {
        if (nb_ui_button(a->ui, "Clear…") & NB_UI_RES_SUBMIT) a->confirm_clear = 1;
    } else {
        if (nb_ui_button_ex(a->ui, "Really clear", NB_UI_OPT_ACCENT) & NB_UI_RES_SUBMIT) {
            nb_app_clear_board(a);
            a->confirm_clear = 0;
        }
    }
    row(a, 4, (const int[]){ 130, 80, 80, -1 }, 0);
    if (nb_ui_button(a->ui, "Export PNG") & NB_UI_RES_SUBMIT) {
        char path[600];
        nb_app_export_png(a, path, sizeof path);
    }
    nb_ui_radio(a->ui, "1080p", &a->export_res, 0);
    nb_ui_radio(a->ui, "4K", &a->export_res, 1);
    nb_ui_radio(a->ui, "8K", &a->export_res, 2);

    nb_ui_header(a->ui, "File");
    full_row(a);
    nb_ui_textbox(a->ui, a->file_path, sizeof a->file_path);
    row(a, 3, (const int[]){ 150, 150, -1 }, 0);
    char err[NB_ERR_LEN];
    if (nb_ui_button(a->ui, "Save") & NB_UI_RES_SUBMIT) {
        if (nb_app_save_board(a, a->file_path, err) < 0) nb_app_logf(&a->app_log, "save failed: %s", err);
        else nb_app_logf(&a->app_log, "board saved to %s", a->file_path);
    }
    if (nb_ui_button(a->ui, "Open onto board") & NB_UI_RES_SUBMIT) {
        if (nb_app_open_board(a, a->file_path, err) < 0) nb_app_logf(&a->app_log, "open failed: %s", err);
        else nb_app_logf(&a->app_log, "opened %s", a->file_path);
    }
    if (!a->replay_board) {
        if (nb_ui_button(a->ui, "Replay") & NB_UI_RES_SUBMIT &&
            nb_app_replay_start(a, a->file_path, err) < 0)
            nb_app_logf(&a->app_log, "replay failed: %s", err);
    } else if (nb_ui_button_ex(a->ui, "Stop replay", NB_UI_OPT_ACCENT) & NB_UI_RES_SUBMIT) {
        nb_app_replay_stop(a);
    }
    if (a->replay_board) {
        row(a, 2, (const int[]){ 110, -1 }, 0);
        nb_ui_label(a->ui, "Speed");
        nb_ui_slider_int(a->ui, &a->replay_speed, 10, 20000, "%d seg/s");
        full_row(a);
        labelf(a, NB_UI_OPT_DIM, "replaying %zu / %zu segments (live board hidden)", a->replay_pos, a->replay_n);
    }
    nb_ui_header(a->ui, "Board");
    full_row(a);
    labelf(a, NB_UI_OPT_DIM, "%zu segments in %zu strokes", nb_board_visible_count(a->board),
           nb_board_stroke_count(a->board));
    labelf(a, NB_UI_OPT_DIM, "Ctrl+Z undo, Ctrl+Shift+Z redo, F11 full screen");
    nb_ui_checkbox(a->ui, "Network overlay (F3)", &a->ov.on);

    nb_ui_header(a->ui, "People");
    full_row(a);
    if (a->sync.author) labelf(a, 0, "%s (you, #%u)", a->name_text, a->sync.author);
    for (int i = 0; i < a->n_peers; i++)
        if (a->peers[i].author != a->sync.author) labelf(a, 0, "%s  #%u", a->peers[i].name, a->peers[i].author);
}

/* ---- Chat -------------------------------------------------------------------------- */

static void chat_tab(nb_app *a)
{
    nb_ui_layout_row(a->ui, 1, (const int[]){ -1 }, -118);
    nb_ui_log(a->ui, "chat", &a->chat_log.ring, 0);
    row(a, 4, (const int[]){ 60, 90, 80, -1 }, 0);
    nb_ui_label(a->ui, "Frame");
    nb_ui_radio(a->ui, "FIXED", &a->chat_mode, NB_MODE_FIXED);
    nb_ui_radio(a->ui, "VAR", &a->chat_mode, NB_MODE_VAR);
    nb_ui_radio(a->ui, "MIX", &a->chat_mode, NB_MODE_MIX);
    row(a, 2, (const int[]){ -80, -1 }, 0);
    int r = nb_ui_textbox(a->ui, a->chat_text, sizeof a->chat_text);
    int send = nb_ui_button_ex(a->ui, "Send", NB_UI_OPT_ACCENT) & NB_UI_RES_SUBMIT;
    if (send || (r & NB_UI_RES_SUBMIT)) nb_app_send_chat(a);
    char err[NB_ERR_LEN];
    full_row(a);
    if (a->chat_text[0] &&
        nb_client_chat_check(nb_app_chat_framing(a->chat_mode), a->chat_text, strlen(a->chat_text), err) < 0)
        labelf(a, 0, "%s", err);
    else
        labelf(a, NB_UI_OPT_DIM, "%s",
               a->chat_mode == NB_MODE_FIXED ? "F: 32 bytes, NUL-padded"
               : a->chat_mode == NB_MODE_VAR ? "V: text + '\\n', up to 1024 bytes"
                                             : "M: u32 length + text, up to 65536 bytes");
}

/* ---- Server ------------------------------------------------------------------------ */

/* Per-client rates, fed from the status totals each frame; a client not seen again
 * (left) is dropped from the table. */
static nb_app_srv_rate *srv_rate(nb_app *a, uint16_t author, uint64_t total, uint64_t now)
{
    for (int i = 0; i < a->n_srv_rates; i++) {
        nb_app_srv_rate *r = &a->srv_rates[i];
        if (r->author != author) continue;
        if (total > r->last_total) nb_rate_add(&r->rate, now, total - r->last_total, 0);
        r->last_total = total;
        return r;
    }
    if (a->n_srv_rates == NB_SERVER_STATUS_CLIENTS) return NULL;
    nb_app_srv_rate *r = &a->srv_rates[a->n_srv_rates++];
    memset(r, 0, sizeof *r);
    r->author = author;
    r->last_total = total;
    return r;
}

/* A 60-second sparkline of frames/s in the next layout cell. */
static void sparkline(nb_app *a, const nb_rate *r, uint64_t now)
{
    float v[60], max = 1.0f;
    nb_rate_series(r, now, v);
    for (int i = 0; i < 60; i++) max = NB_MAX(max, v[i]);
    nb_rect cell = nb_ui_layout_next(a->ui);
    nb_ui_draw_rect(a->ui, cell, (nb_color){ 0x18, 0x1A, 0x1F, 0xFF });
    float bw = (float)cell.w / 60.0f;
    for (int i = 0; i < 60; i++) {
        int h = (int)((float)(cell.h - 4) * v[i] / max + 0.5f);
        if (h <= 0) continue;
        nb_rect bar = { cell.x + (int)(bw * (float)i), cell.y + cell.h - 2 - h, NB_MAX(1, (int)bw - 1), h };
        nb_ui_draw_rect(a->ui, bar, (nb_color){ 0x4F, 0xC3, 0xF7, 0xFF });
    }
}

static void server_tab(nb_app *a)
{
    nb_ui_header(a->ui, "In-app relay server");
    row(a, 3, (const int[]){ 60, 90, -1 }, 0);
    nb_ui_label(a->ui, "Port");
    nb_ui_textbox(a->ui, a->server_port_text, sizeof a->server_port_text);
    if (!a->server) {
        if (nb_ui_button_ex(a->ui, "Start", NB_UI_OPT_ACCENT) & NB_UI_RES_SUBMIT) {
            char err[NB_ERR_LEN];
            int port = atoi(a->server_port_text);
            if (port < 1 || port > 65535) nb_app_logf(&a->app_log, "port must be 1..65535");
            else if (nb_app_host(a, port, err) > 0 && !a->client)
                nb_app_join(a, "127.0.0.1", nb_server_port(a->server), err);
        }
    } else if (nb_ui_button(a->ui, "Stop") & NB_UI_RES_SUBMIT) {
        nb_app_stop_hosting(a);
    }
    full_row(a);
    nb_ui_checkbox(a->ui, "Only I may clear the board (applies at Start)", &a->host_only_clear);
    full_row(a);
    if (a->server) {
        nb_server_status st;
        nb_server_status_get(a->server, &st);
        labelf(a, 0, "Running on port %d — %d connected, %llu total", st.port, st.clients,
               (unsigned long long)st.accepted);
        labelf(a, NB_UI_OPT_DIM, "in %llu frames / %llu B   out %llu frames / %llu B",
               (unsigned long long)st.frames_in, (unsigned long long)st.bytes_in,
               (unsigned long long)st.frames_out, (unsigned long long)st.bytes_out);
        labelf(a, NB_UI_OPT_DIM, "history: %u frames (%u segments), %zu KiB; dropped %llu",
               st.history_frames, st.segments, st.history_bytes / 1024,
               (unsigned long long)st.dropped);
        nb_ui_header(a->ui, "Clients");
        full_row(a);
        int shown = NB_MIN(st.clients, NB_SERVER_STATUS_CLIENTS);
        uint64_t now = nb_time_ms();
        nb_app_srv_rate keep[NB_SERVER_STATUS_CLIENTS];
        int kept = 0;
        labelf(a, NB_UI_OPT_DIM, "frames/s in/out, and the last 60 s");
        for (int i = 0; i < shown; i++) {
            const nb_server_client_status *c = &st.client[i];
            nb_app_srv_rate *r = srv_rate(a, c->author, c->frames_in + c->frames_out, now);
            row(a, 2, (const int[]){ -130, -1 }, 0);
            labelf(a, NB_UI_OPT_MONO, "#%-3u %-10.10s %4u/%-4u", c->author, c->name, c->fps_in, c->fps_out);
            if (r) {
                sparkline(a, &r->rate, now);
                keep[kept++] = *r;
            } else {
                nb_ui_label(a->ui, "");
            }
        }
        memcpy(a->srv_rates, keep, (size_t)kept * sizeof keep[0]);
        a->n_srv_rates = kept;
        full_row(a);
        if (!shown) labelf(a, NB_UI_OPT_DIM, "nobody yet");
    } else {
        labelf(a, NB_UI_OPT_DIM, "Not running. Start it to host a board others can join.");
    }
    nb_ui_header(a->ui, "Log");
    nb_ui_layout_row(a->ui, 1, (const int[]){ -1 }, -4);
    nb_ui_log(a->ui, "applog", &a->app_log.ring, 0);
}

/* ---- Client ------------------------------------------------------------------------ */

static void client_tab(nb_app *a)
{
    char err[NB_ERR_LEN];
    nb_ui_header(a->ui, "Board connection");
    row(a, 2, (const int[]){ 60, -1 }, 0);
    nb_ui_label(a->ui, "Name");
    nb_ui_textbox(a->ui, a->name_text, sizeof a->name_text);
    row(a, 4, (const int[]){ 60, -160, 50, -1 }, 0);
    nb_ui_label(a->ui, "Host");
    nb_ui_textbox(a->ui, a->host_text, sizeof a->host_text);
    nb_ui_label(a->ui, "Port");
    nb_ui_textbox(a->ui, a->port_text, sizeof a->port_text);
    row(a, 2, (const int[]){ 226, -1 }, 0);
    if (nb_ui_button_ex(a->ui, a->client ? "Reconnect" : "Connect", NB_UI_OPT_ACCENT) & NB_UI_RES_SUBMIT) {
        int port = atoi(a->port_text);
        if (!a->host_text[0] || port < 1 || port > 65535)
            nb_app_logf(&a->app_log, "enter a host and a port 1..65535");
        else
            nb_app_join(a, a->host_text, port, err);
    }
    if (nb_ui_button_ex(a->ui, "Disconnect", a->client ? 0 : NB_UI_OPT_DISABLED) & NB_UI_RES_SUBMIT)
        nb_app_leave(a);
    full_row(a);
    labelf(a, 0, "%s", a->client ? nb_client_state_name(a->client_state) : "not connected");
    labelf(a, NB_UI_OPT_DIM, "%s", a->client_reason);
    if (a->client) {
        nb_client_stats st;
        nb_client_get_stats(a->client, &st);
        if (st.rtt_samples)
            labelf(a, NB_UI_OPT_DIM, "rtt %.2f ms (min %.2f, max %.2f)", st.rtt_last_us / 1000.0,
                   st.rtt_min_us / 1000.0, st.rtt_max_us / 1000.0);
    }
    nb_app_lan_panel(a);
    if (a->server) {
        nb_ui_header(a->ui, "Others join with");
        full_row(a);
        for (int i = 0; i < a->n_share; i++) labelf(a, NB_UI_OPT_MONO, "netboard --join %s", a->share[i]);
    }
    nb_app_raw_panel(a);
}

/* ---- Diagnostics ------------------------------------------------------------------- */

void nb_app_start_diag(nb_app *a, const char *cmd, int argc, const char *const *argv)
{
    char err[NB_ERR_LEN];
    nb_diag_job_free(a->diag);
    nb_app_logf(&a->diag_log, "$ netboard diag %s%s%s%s%s", cmd, argc > 0 ? " " : "",
                argc > 0 ? argv[0] : "", argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
    a->diag = nb_diag_job_start(cmd, argc, argv, err);
    if (!a->diag) nb_app_logf(&a->diag_log, "error: %s", err);
}

static void diag_tab(nb_app *a)
{
    nb_ui_header(a->ui, "This machine");
    row(a, 4, (const int[]){ 112, 112, 112, -1 }, 0);
    if (nb_ui_button(a->ui, "Interfaces") & NB_UI_RES_SUBMIT) nb_app_start_diag(a, "ifaces", 0, NULL);
    if (nb_ui_button(a->ui, "Byte order") & NB_UI_RES_SUBMIT) nb_app_start_diag(a, "byteorder", 0, NULL);
    if (nb_ui_button(a->ui, "Netstat") & NB_UI_RES_SUBMIT) nb_app_start_diag(a, "netstat", 0, NULL);
    if (nb_ui_button(a->ui, "Sock opts") & NB_UI_RES_SUBMIT) nb_app_start_diag(a, "sockopts", 0, NULL);

    nb_ui_header(a->ui, "Names and addresses");
    row(a, 3, (const int[]){ 80, -150, -1 }, 0);
    nb_ui_label(a->ui, "Name");
    nb_ui_textbox(a->ui, a->diag_name, sizeof a->diag_name);
    if (nb_ui_button(a->ui, "DNS lookup") & NB_UI_RES_SUBMIT)
        nb_app_start_diag(a, "dns", 1, (const char *const[]){ a->diag_name });
    nb_ui_label(a->ui, "Address");
    nb_ui_textbox(a->ui, a->diag_addr, sizeof a->diag_addr);
    if (nb_ui_button(a->ui, "pton / ntop") & NB_UI_RES_SUBMIT)
        nb_app_start_diag(a, "pton", 1, (const char *const[]){ a->diag_addr });
    row(a, 2, (const int[]){ 226, -1 }, 0);
    nb_ui_label(a->ui, "");
    if (nb_ui_button(a->ui, "Reverse lookup") & NB_UI_RES_SUBMIT)
        nb_app_start_diag(a, "reverse", 1, (const char *const[]){ a->diag_addr });

    nb_ui_header(a->ui, "TCP");
    row(a, 4, (const int[]){ 80, -150, 50, -1 }, 0);
    nb_ui_label(a->ui, "Host");
    nb_ui_textbox(a->ui, a->diag_host, sizeof a->diag_host);
    nb_ui_label(a->ui, "Port");
    nb_ui_textbox(a->ui, a->diag_port, sizeof a->diag_port);
    const char *const hp[] = { a->diag_host, a->diag_port };
    row(a, 4, (const int[]){ 112, 112, 112, -1 }, 0);
    if (nb_ui_button(a->ui, "Port check") & NB_UI_RES_SUBMIT) nb_app_start_diag(a, "port", 2, hp);
    if (nb_ui_button(a->ui, "Sock bufs") & NB_UI_RES_SUBMIT) nb_app_start_diag(a, "sockbuf", 2, hp);
    if (nb_ui_button(a->ui, "TCP info") & NB_UI_RES_SUBMIT) nb_app_start_diag(a, "tcpinfo", 2, hp);
    if (nb_ui_button(a->ui, "UDP echo") & NB_UI_RES_SUBMIT) nb_app_start_diag(a, "udp-echo", 0, NULL);
    full_row(a);
    if (nb_ui_button(a->ui, "This board connection: buffers and TCP_INFO") & NB_UI_RES_SUBMIT)
        nb_app_diag_board_connection(a);

    nb_ui_layout_row(a->ui, 1, (const int[]){ -1 }, -4);
    nb_ui_log(a->ui, "diaglog", &a->diag_log.ring, NB_UI_OPT_MONO);
}

void nb_app_panel(nb_app *a)
{
    nb_ui_panel_begin(a->ui, "panel", a->panel_rect);
    a->tab = nb_ui_tabs(a->ui, tab_names, NB_TAB_COUNT, a->tab);
    switch (a->tab) {
    case NB_TAB_BOARD: board_tab(a); break;
    case NB_TAB_CHAT: chat_tab(a); break;
    case NB_TAB_SERVER: server_tab(a); break;
    case NB_TAB_CLIENT: client_tab(a); break;
    case NB_TAB_DIAG: diag_tab(a); break;
    }
    nb_ui_panel_end(a->ui);
}

void nb_app_status_bar(nb_app *a)
{
    static const char *const tools[NB_TOOL_COUNT] = { "pen", "highlighter", "eraser", "laser" };
    nb_ui_panel_begin(a->ui, "status", a->status_rect);
    row(a, 3, (const int[]){ 360, 380, -1 }, 20);
    if (a->client)
        labelf(a, 0, "● %s%s%s", nb_client_state_name(a->client_state),
               a->client_state == NB_CLIENT_CONNECTED ? " to " : "",
               a->client_state == NB_CLIENT_CONNECTED ? a->board_name : "");
    else
        labelf(a, NB_UI_OPT_DIM, "○ offline");
    labelf(a, NB_UI_OPT_DIM, "%s · width %d · %d peers · %zu segments", tools[a->tool], a->width,
           a->n_peers, nb_board_visible_count(a->board));
    labelf(a, NB_UI_OPT_DIM | NB_UI_OPT_ALIGN_RIGHT, "%d fps", a->fps);
    nb_ui_panel_end(a->ui);
}
