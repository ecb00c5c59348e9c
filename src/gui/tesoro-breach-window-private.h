/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-breach-window.h"

G_BEGIN_DECLS

/* For the widget tests: what the window shows. */
GListModel *_tesoro_breach_window_get_breaches      (TesoroBreachWindow *self);
const char *_tesoro_breach_window_get_page          (TesoroBreachWindow *self);
const char *_tesoro_breach_window_get_deadline_text (TesoroBreachWindow *self);
GListModel *_tesoro_breach_window_get_history       (TesoroBreachWindow *self);

G_END_DECLS
