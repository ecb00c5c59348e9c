/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-audit.h"

G_BEGIN_DECLS

#define TESORO_TYPE_AUDIT_WINDOW (tesoro_audit_window_get_type ())

G_DECLARE_FINAL_TYPE (TesoroAuditWindow, tesoro_audit_window, TESORO, AUDIT_WINDOW, AdwWindow)

TesoroAuditWindow *tesoro_audit_window_new          (TesoroSession *session);
const char        *tesoro_audit_action_to_label     (const char  *action);

G_END_DECLS
