/* nb_app_script.c — see nb_app_script.h. */
#include "nb_app_script.h"

#include <SDL.h>

void nb_script_init(nb_script *s, const nb_drag *drags, int n, int start_frame)
{
    *s = (nb_script){ .drags = drags, .n_drags = n, .steps_per_drag = 12,
                      .start_frame = start_frame };
}

static void push_mouse(Uint32 type, int x, int y, unsigned window_id)
{
    SDL_Event e;
    SDL_zero(e);
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.windowID = window_id;
        e.motion.x = x;
        e.motion.y = y;
        e.motion.state = SDL_BUTTON_LMASK;
    } else {
        e.button.windowID = window_id;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = 1;
        e.button.x = x;
        e.button.y = y;
    }
    SDL_PushEvent(&e);
}

void nb_script_step(nb_script *s, int frame, nb_rect b, unsigned window_id)
{
    if (frame < s->start_frame || nb_script_done(s)) return;
    const nb_drag *d = &s->drags[s->drag];
    float t = (float)s->step / (float)s->steps_per_drag;
    int x = b.x + (int)((d->x1 + (d->x2 - d->x1) * t) * (float)(b.w - 1) + 0.5f);
    int y = b.y + (int)((d->y1 + (d->y2 - d->y1) * t) * (float)(b.h - 1) + 0.5f);
    if (s->step == 0) push_mouse(SDL_MOUSEBUTTONDOWN, x, y, window_id);
    else push_mouse(SDL_MOUSEMOTION, x, y, window_id);
    if (s->step == s->steps_per_drag) {
        push_mouse(SDL_MOUSEBUTTONUP, x, y, window_id);
        s->drag++;
        s->step = 0;
    } else {
        s->step++;
    }
}

int nb_script_done(const nb_script *s) { return s->drag >= s->n_drags; }
