/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

TesoroSession *tesoro_worker_open_session (TesoroSession  *session,
                                           GError        **error);
void         tesoro_worker_return       (GTask         *task,
                                         gboolean       ok,
                                         GError        *error);
gboolean     tesoro_worker_is_cancelled (const GError  *error);

G_END_DECLS
