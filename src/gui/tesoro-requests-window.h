/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_REQUESTS_WINDOW (tesoro_requests_window_get_type ())

G_DECLARE_FINAL_TYPE (TesoroRequestsWindow, tesoro_requests_window, TESORO, REQUESTS_WINDOW, AdwWindow)

TesoroRequestsWindow *tesoro_requests_window_new          (TesoroSession        *session);
void                  tesoro_requests_window_select       (TesoroRequestsWindow *self,
                                                           gint64                request_id);
void                  tesoro_requests_window_new_request  (TesoroRequestsWindow *self,
                                                           gint64                contact_id);
guint                 tesoro_requests_window_get_n_shown  (TesoroRequestsWindow *self);

G_END_DECLS
