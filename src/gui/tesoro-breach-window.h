/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-breaches.h"

G_BEGIN_DECLS

#define TESORO_TYPE_BREACH_WINDOW (tesoro_breach_window_get_type ())

G_DECLARE_FINAL_TYPE (TesoroBreachWindow, tesoro_breach_window, TESORO, BREACH_WINDOW, AdwWindow)

TesoroBreachWindow *tesoro_breach_window_new (TesoroSession *session);

G_END_DECLS
