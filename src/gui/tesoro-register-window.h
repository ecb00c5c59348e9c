/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-register.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_REGISTER_WINDOW (tesoro_register_window_get_type ())

G_DECLARE_FINAL_TYPE (TesoroRegisterWindow, tesoro_register_window, TESORO, REGISTER_WINDOW, AdwWindow)

TesoroRegisterWindow *tesoro_register_window_new (TesoroSession *session);

/* For the widget tests. */
gboolean    _tesoro_register_window_export_to   (TesoroRegisterWindow  *self,
                                                 const char            *path,
                                                 TesoroRegisterFormat   format,
                                                 TesoroLanguage         language,
                                                 GError               **error);
char       *_tesoro_register_window_dup_shown   (TesoroRegisterWindow  *self);
gboolean    _tesoro_register_window_is_busy     (TesoroRegisterWindow  *self);
AdwEntryRow *_tesoro_register_window_get_entry  (TesoroRegisterWindow  *self,
                                                 const char            *name);
AdwComboRow *_tesoro_register_window_get_basis_row (TesoroRegisterWindow *self);
GtkButton  *_tesoro_register_window_get_remove_button (TesoroRegisterWindow *self,
                                                       const char           *text);

G_END_DECLS
