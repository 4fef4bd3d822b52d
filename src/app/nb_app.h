/* nb_app.h — the desktop app: an SDL window with the shared canvas on the left and the
 * panel (Board, Chat, Server, Client, Diagnostics tabs) on the right. */
#ifndef NB_APP_H
#define NB_APP_H

/* Runs the app until the window closes; returns the process exit status. */
int nb_app_main(int argc, char **argv);

#endif
