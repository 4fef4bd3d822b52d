/* nb_overlay.h — the live diagnostics overlay (F3): what the network does, drawn over the
 * canvas for a classroom projector — timings, packet and byte rates by direction and
 * frame class with 60-second sparklines, ping RTT, the socket's TCP_INFO, the packet
 * inspector (last 64 frames, hex + ASCII coloured by framing) and the sliders of the
 * outgoing shaper. Owns nothing: the app fills nb_overlay_data once per frame from the
 * counters, the capture ring and the client's stats, and draws it into an nb_ui frame.
 * Render thread only. */
#ifndef NB_OVERLAY_H
#define NB_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#include "nb_inspect.h"
#include "nb_rate.h"
#include "nb_tcpinfo.h"
#include "nb_ui.h"

#define NB_OVERLAY_RATE_MAX 200    /* packets/s at the right end of the rate slider */

typedef struct nb_overlay_data {
    uint64_t now_ms;                  /* the clock the rates and gauges were fed with */
    const char *status;               /* one line, e.g. "connected to 10.0.0.2:49001"; NULL: none */

    /* timings */
    nb_frametime_stats frame;         /* frames = fps over the last second */
    uint32_t drained_frame;           /* network events drained this frame */
    double drained_ps;                /* ... per second */
    uint32_t overlay_us;              /* the overlay's own cost last frame (build + draw) */

    /* traffic by direction and class; NULL: not shown */
    const nb_traffic *traffic;

    /* ping RTT (nb_client_stats rtt_*), microseconds; rtt_samples 0: none yet */
    uint64_t rtt_samples;
    uint32_t rtt_last_us, rtt_min_us, rtt_avg_us, rtt_max_us;
    const nb_gauge *rtt_ms;           /* RTT in ms per second, for the graph; NULL: none */

    /* TCP state of the board connection, sampled each second */
    int have_tcp;
    nb_tcp_stats tcp;
    int sndbuf, rcvbuf;               /* bytes */

    /* packet inspector */
    const nb_capture_entry *capture;  /* oldest first (nb_capture_snapshot) */
    size_t capture_len;
    uint64_t *selected_seq;           /* in/out: selected frame's seq; 0 = follow the newest */

    /* network conditions: slider values the app hands to the client's shaper; NULL
     * pointers hide the sliders */
    int *delay_ms;                    /* 0 .. NB_SHAPER_DELAY_MAX */
    int *rate_pps;                    /* 0 (unlimited) .. NB_OVERLAY_RATE_MAX */
    size_t shaper_held;               /* frames the shaper holds now */
} nb_overlay_data;

/* Colours the overlay (and anything that wants to match it) uses. */
extern const nb_color nb_overlay_color_in, nb_overlay_color_out;
nb_color nb_overlay_role_color(int role);     /* NB_INSPECT_* */

/* The theme of the nb_ui context the overlay is drawn with: the app's theme with a
 * translucent background and tighter rows (panels draw an opaque background with the
 * app's theme, so the overlay gets its own context; see the report/README). */
nb_ui_theme nb_overlay_theme(const nb_ui_theme *base);

/* Draws the overlay as an nb_ui panel named "overlay" filling `area` (between the
 * caller's nb_ui_begin and nb_ui_end). Returns NB_UI_RES_CHANGE when a slider moved
 * (the app then passes the values to the client) and NB_UI_RES_SUBMIT when a row of
 * the inspector was selected. */
int nb_overlay_draw(nb_ui *ui, nb_rect area, const nb_overlay_data *d);

#endif
