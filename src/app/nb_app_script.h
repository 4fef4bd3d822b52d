/* nb_app_script.h — scripted input for smoke tests and screenshots: turns --drag options
 * into real SDL mouse events (SDL_PushEvent), a few per frame, so the app's own event
 * path draws the stroke exactly as a hand would. Render thread only. */
#ifndef NB_APP_SCRIPT_H
#define NB_APP_SCRIPT_H

#include "nb_app_args.h"
#include "nb_types.h"

#include <SDL.h>

/* `which` of the mouse events the script pushes: while a script runs, real pointer events
 * (an X server's pointer resting over the new window) are ignored so they can't bend the
 * scripted strokes. */
#define NB_SCRIPT_MOUSE_ID 0x4E42u

typedef struct nb_script {
    const nb_drag *drags;
    int n_drags;
    int drag, step;          /* current drag and step within it */
    int steps_per_drag;
    int start_frame;         /* first frame that injects (lets the window settle) */
    int hovered;             /* the final hover (no button) was pushed */
} nb_script;

void nb_script_init(nb_script *s, const nb_drag *drags, int n, int start_frame);
/* Called once per frame before events are polled: pushes this frame's mouse events,
 * mapping board fractions through `board_px` (the letterboxed board in window pixels). */
void nb_script_step(nb_script *s, int frame, nb_rect board_px, unsigned window_id);
int nb_script_done(const nb_script *s);
/* 1 if e is a real mouse event that a running script must not see. */
int nb_script_filters(const nb_script *s, const SDL_Event *e);

#endif
