/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_IMPORT_WINDOW (tesoro_import_window_get_type ())

G_DECLARE_FINAL_TYPE (TesoroImportWindow, tesoro_import_window, TESORO, IMPORT_WINDOW, AdwWindow)

TesoroImportWindow *tesoro_import_window_new         (TesoroSession *session,
                                                      GFile       *file);
TesoroImportWindow *tesoro_import_window_choose_file (GtkWindow   *parent,
                                                      TesoroSession *session);
GFile              *tesoro_import_window_get_file    (TesoroImportWindow *self);

G_END_DECLS
