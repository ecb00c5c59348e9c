/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-audit-window.h"

G_BEGIN_DECLS

/* For the widget tests. */
GListModel *_tesoro_audit_window_get_entries       (TesoroAuditWindow *self);
gboolean    _tesoro_audit_window_is_verifying      (TesoroAuditWindow *self);
const char *_tesoro_audit_window_get_status_text   (TesoroAuditWindow *self);
const char *_tesoro_audit_window_get_limit_text    (TesoroAuditWindow *self);
GtkDropDown *_tesoro_audit_window_get_action_filter (TesoroAuditWindow *self);
GtkEditable *_tesoro_audit_window_get_uid_filter   (TesoroAuditWindow *self);
void        _tesoro_audit_window_set_limit         (TesoroAuditWindow *self,
                                                    guint              limit);

GtkDropDown *_tesoro_audit_window_get_user_filter (TesoroAuditWindow *self);
GtkEditable *_tesoro_audit_window_get_date_filter (TesoroAuditWindow *self,
                                                   gboolean           until);
gboolean     _tesoro_audit_window_export_to     (TesoroAuditWindow  *self,
                                                 const char         *path,
                                                 GError            **error);

G_END_DECLS
