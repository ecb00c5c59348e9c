/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-breaches.h"

G_BEGIN_DECLS

#define TESORO_TYPE_BREACH_DIALOG (tesoro_breach_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TesoroBreachDialog, tesoro_breach_dialog, TESORO, BREACH_DIALOG, AdwWindow)

TesoroBreachDialog *tesoro_breach_dialog_new        (TesoroSession      *session,
                                                     TesoroBreach       *breach);
const char         *tesoro_breach_dialog_get_error  (TesoroBreachDialog *self);

G_END_DECLS
