/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_EXPORT_DIALOG (tesoro_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TesoroExportDialog, tesoro_export_dialog, TESORO, EXPORT_DIALOG, AdwWindow)

TesoroExportDialog *tesoro_export_dialog_new (TesoroSession *session,
                                              GArray      *search_ids,
                                              GArray      *selected_ids);

G_END_DECLS
