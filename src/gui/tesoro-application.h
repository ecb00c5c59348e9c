/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_APPLICATION (tesoro_application_get_type ())

G_DECLARE_FINAL_TYPE (TesoroApplication, tesoro_application, TESORO, APPLICATION, AdwApplication)

TesoroApplication *tesoro_application_new       (void);
TesoroSession       *tesoro_application_get_session (TesoroApplication *self);

G_END_DECLS
