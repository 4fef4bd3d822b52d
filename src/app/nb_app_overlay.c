/* nb_app_overlay.c — the live diagnostics overlay (F3, or the Board tab's checkbox): fills
 * nb_overlay_data once per frame from the client's atomic counters, the capture ring,
 * the client's RTT and, once a second, the socket's TCP_INFO, and draws it over the left
 * part of the canvas with its own translucent nb_ui context, so the right part stays
 * drawable. Render thread. */
#include "nb_app_int.h"

#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

#include "nb_log.h"
#include "nb_time.h"

int nb_app_overlay_init(nb_app *a)
{
    nb_counters_init(&a->ov.counters);
    a->ov.capture = nb_capture_create();
    a->ov.theme = nb_overlay_theme(nb_ui_theme_get(a->ui));
    nb_ui_opts o = a->ui_opts;
    o.theme = &a->ov.theme;
    a->ov.ui = nb_ui_create(&o);
    return a->ov.capture && a->ov.ui ? 0 : -1;
}

void nb_app_overlay_free(nb_app *a)
{
    if (a->ov.ui) nb_ui_destroy(a->ov.ui);
    nb_capture_destroy(a->ov.capture);
    a->ov.ui = NULL;
    a->ov.capture = NULL;
}

nb_rect nb_app_overlay_rect(const nb_app *a)
{
    const nb_ui_theme *t = nb_ui_theme_get(a->ui);
    int m = (int)(16 * t->scale);
    int w = NB_MIN((int)(1320 * t->scale), a->canvas_area.w * 7 / 10);
    return (nb_rect){ a->canvas_area.x + m, a->canvas_area.y + m, w, a->canvas_area.h - 2 * m };
}

/* Once a second: the board socket's TCP_INFO and buffer sizes. */
static void sample_tcp(nb_app *a, uint64_t now)
{
    if (now - a->ov.tcp_t < 1000) return;
    a->ov.tcp_t = now;
    struct tcp_info ti;
    char err[NB_ERR_LEN];
    a->ov.have_tcp = a->client && nb_client_tcp_info(a->client, &ti, &a->ov.sndbuf, &a->ov.rcvbuf, err) == 0;
    if (!a->ov.have_tcp) return;
    memset(&a->ov.tcp, 0, sizeof a->ov.tcp);
    a->ov.tcp.state = ti.tcpi_state;
    a->ov.tcp.retransmits = ti.tcpi_retransmits;
    a->ov.tcp.rtt_us = ti.tcpi_rtt;
    a->ov.tcp.rttvar_us = ti.tcpi_rttvar;
    a->ov.tcp.snd_cwnd = ti.tcpi_snd_cwnd;
    a->ov.tcp.unacked = ti.tcpi_unacked;
    a->ov.tcp.total_retrans = ti.tcpi_total_retrans;
}

void nb_app_overlay_frame(nb_app *a, uint32_t frame_us)
{
    uint64_t now = nb_time_ms();
    /* Cheap bookkeeping runs every frame so the graphs have history when F3 is pressed. */
    nb_frametime_add(&a->ov.ft, now, frame_us);
    nb_rate_add(&a->ov.drain, now, a->ov.drained_frame, 0);
    nb_counters_snap snap;
    nb_counters_snapshot(&a->ov.counters, &snap);
    nb_traffic_update(&a->ov.traffic, now, &snap);
    nb_client_stats st = { 0 };
    if (a->client) nb_client_get_stats(a->client, &st);
    if (st.rtt_samples != a->ov.rtt_seen) {
        a->ov.rtt_seen = st.rtt_samples;
        nb_gauge_set(&a->ov.rtt, now, (float)st.rtt_last_us / 1000.0f);
    }
    if (!a->ov.on) return;

    uint64_t t0 = nb_time_ns();
    sample_tcp(a, now);
    char status[200];
    if (a->client)
        snprintf(status, sizeof status, "%s to %s as #%u", nb_client_state_name(a->client_state),
                 st.server_addr, st.author);
    else
        snprintf(status, sizeof status, "not connected");
    nb_overlay_data d = {
        .now_ms = now, .status = status, .frame = nb_frametime_get(&a->ov.ft, now),
        .drained_frame = a->ov.drained_frame, .traffic = &a->ov.traffic,
        .rtt_samples = st.rtt_samples, .rtt_last_us = st.rtt_last_us, .rtt_min_us = st.rtt_min_us,
        .rtt_avg_us = st.rtt_avg_us, .rtt_max_us = st.rtt_max_us, .rtt_ms = &a->ov.rtt,
        .have_tcp = a->ov.have_tcp, .tcp = a->ov.tcp, .sndbuf = a->ov.sndbuf, .rcvbuf = a->ov.rcvbuf,
        .selected_seq = &a->ov.selected, .overlay_us = a->ov.cost_us,
        .delay_ms = &a->ov.delay_ms, .rate_pps = &a->ov.rate_pps,
        .shaper_held = a->client ? nb_client_shaper_held(a->client) : 0,
    };
    nb_rate_per_sec(&a->ov.drain, now, &d.drained_ps, NULL);
    d.capture_len = nb_capture_snapshot(a->ov.capture, a->ov.entries, NULL);
    d.capture = a->ov.entries;

    nb_ui_begin(a->ov.ui);
    int r = nb_overlay_draw(a->ov.ui, nb_app_overlay_rect(a), &d);
    nb_ui_end(a->ov.ui);
    if ((r & NB_UI_RES_CHANGE) && a->client)
        nb_client_set_shaping(a->client, (uint32_t)a->ov.delay_ms, (uint32_t)a->ov.rate_pps);
    a->ov.build_ns = nb_time_ns() - t0;
}

void nb_app_overlay_draw(nb_app *a)
{
    if (!a->ov.on) return;
    uint64_t t0 = nb_time_ns();
    nb_ui_sdl_draw(a->uib, a->ov.ui);
    a->ov.cost_us = (uint32_t)((a->ov.build_ns + nb_time_ns() - t0) / 1000);
}
