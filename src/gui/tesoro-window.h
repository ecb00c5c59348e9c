/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-application.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_WINDOW (tesoro_window_get_type ())

G_DECLARE_FINAL_TYPE (TesoroWindow, tesoro_window, TESORO, WINDOW, AdwApplicationWindow)

TesoroWindow *tesoro_window_new (TesoroApplication *application,
                                 TesoroSession       *session,
                                 const GError      *open_error);
void          tesoro_window_run_housekeeping (TesoroWindow *self);
TesoroSession  *tesoro_window_get_session        (TesoroWindow *self);

G_END_DECLS
