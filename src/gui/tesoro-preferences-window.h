/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_PREFERENCES_WINDOW (tesoro_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TesoroPreferencesWindow, tesoro_preferences_window, TESORO, PREFERENCES_WINDOW, AdwPreferencesWindow)

TesoroPreferencesWindow *tesoro_preferences_window_new (TesoroSession *session);

G_END_DECLS
