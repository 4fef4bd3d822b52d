/* nb_app_lan.c — LAN discovery in the app: announce the board we host (name, port, peer
 * count) and list the boards others announce, each with a one-click Join. Discovery is
 * optional: where multicast is unavailable the Client tab says why and the rest works.
 * Render thread (the discovery thread is behind nb_discover's own lock). */
#include "nb_app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb_log.h"
#include "nb_time.h"

void nb_app_lan_start(nb_app *a)
{
    char err[NB_ERR_LEN];
    if (a->opts.no_announce || !a->settings.announce) {
        nb_strlcpy(a->lan_status, "LAN discovery is off (--no-announce)", sizeof a->lan_status);
        return;
    }
    /* NETBOARD_LAN_IFACE picks the interface (an IPv4 address) to announce and listen on;
     * tests and demos on one machine use 127.0.0.1 so nothing leaves it. */
    const char *iface = getenv("NETBOARD_LAN_IFACE");
    a->disc = nb_discover_start(&(nb_discover_opts){ .flags = NB_DISCOVER_IGNORE_SELF,
                                                     .iface = iface && *iface ? iface : NULL }, err);
    if (!a->disc) {
        snprintf(a->lan_status, sizeof a->lan_status, "LAN discovery unavailable: %s", err);
        nb_warn("%s", a->lan_status);
        return;
    }
    a->lan_status[0] = '\0';
}

void nb_app_lan_stop(nb_app *a)
{
    nb_discover_stop(a->disc);
    a->disc = NULL;
}

/* Once a second: keep our announcement current (hosting or not, and the peer count). */
void nb_app_lan_iterate(nb_app *a)
{
    uint64_t now = nb_time_ms();
    if (!a->disc || now - a->lan_t < 1000) return;
    a->lan_t = now;
    char err[NB_ERR_LEN];
    if (!a->server) {
        nb_discover_set_announce(a->disc, NULL, err);
        return;
    }
    nb_server_status st;
    nb_server_status_get(a->server, &st);
    nb_announce ann = { .port = (uint16_t)st.port, .peers = (uint16_t)st.clients };
    nb_strlcpy(ann.board, a->board_name, sizeof ann.board);
    nb_strlcpy(ann.host, a->name_text, sizeof ann.host);
    if (nb_discover_set_announce(a->disc, &ann, err) < 0) nb_debug("announce: %s", err);
}

void nb_app_lan_panel(nb_app *a)
{
    nb_ui_header(a->ui, "Boards on this network");
    nb_ui_layout_row(a->ui, 1, (const int[]){ -1 }, 0);
    if (!a->disc) {
        nb_ui_label_ex(a->ui, a->lan_status, NB_UI_OPT_DIM);
        return;
    }
    nb_discover_entry list[NB_DISCOVER_TABLE_MAX];
    size_t n = nb_discover_list(a->disc, list, NB_ARRAY_LEN(list));
    if (!n) nb_ui_label_ex(a->ui, "none found yet (boards announce once a second)", NB_UI_OPT_DIM);
    for (size_t i = 0; i < n; i++) {
        char line[200], where[120], label[32];
        snprintf(line, sizeof line, "%s", list[i].ann.board);
        snprintf(where, sizeof where, "%s · %u on board · %s:%u", list[i].ann.host, list[i].ann.peers,
                 list[i].addr, list[i].ann.port);
        snprintf(label, sizeof label, "Join##lan%zu", i);
        nb_ui_layout_row(a->ui, 2, (const int[]){ -70, -1 }, 0);
        nb_ui_label(a->ui, line);
        if (nb_ui_button_ex(a->ui, label, NB_UI_OPT_ACCENT) & NB_UI_RES_SUBMIT) {
            char err[NB_ERR_LEN];
            nb_strlcpy(a->host_text, list[i].addr, sizeof a->host_text);
            snprintf(a->port_text, sizeof a->port_text, "%u", list[i].ann.port);
            nb_app_join(a, list[i].addr, list[i].ann.port, err);
        }
        nb_ui_layout_row(a->ui, 1, (const int[]){ -1 }, 0);
        nb_ui_label_ex(a->ui, where, NB_UI_OPT_DIM);
    }
}
