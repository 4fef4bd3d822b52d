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
        e.motion.which = NB_SCRIPT_MOUSE_ID;
        e.motion.x = x;
        e.motion.y = y;
        e.motion.state = SDL_BUTTON_LMASK;
    } else {
        e.button.windowID = window_id;
        e.button.which = NB_SCRIPT_MOUSE_ID;
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
    if (frame < s->start_frame) return;
    if (nb_script_done(s)) {
        /* Afterwards the pointer rests beside the last stroke (no button held), so other
         * screens show this peer's cursor. */
        if (s->n_drags && !s->hovered) {
            const nb_drag *d = &s->drags[s->n_drags - 1];
            int x = b.x + (int)(d->x2 * (float)(b.w - 1)) + b.w / 40;
            int y = b.y + (int)(d->y2 * (float)(b.h - 1)) + b.h / 40;
            SDL_Event e;
            SDL_zero(e);
            e.type = SDL_MOUSEMOTION;
            e.motion.windowID = window_id;
            e.motion.which = NB_SCRIPT_MOUSE_ID;
            e.motion.x = x;
            e.motion.y = y;
            SDL_PushEvent(&e);
            s->hovered = 1;
        }
        return;
    }
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

int nb_script_filters(const nb_script *s, const SDL_Event *e)
{
    if (!s->n_drags || s->hovered) return 0;
    switch (e->type) {
    case SDL_MOUSEMOTION: return e->motion.which != NB_SCRIPT_MOUSE_ID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return e->button.which != NB_SCRIPT_MOUSE_ID;
    }
    return 0;
}
