/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TESORO_TYPE_PROGRESS_DIALOG (tesoro_progress_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TesoroProgressDialog, tesoro_progress_dialog, TESORO, PROGRESS_DIALOG, AdwWindow)

TesoroProgressDialog *tesoro_progress_dialog_new          (GtkWindow            *parent,
                                                           const char           *title);
GCancellable         *tesoro_progress_dialog_get_cancellable (TesoroProgressDialog *self);
void                  tesoro_progress_dialog_set_progress (TesoroProgressDialog *self,
                                                           guint64               done,
                                                           guint64               total);
void                  tesoro_progress_dialog_set_detail   (TesoroProgressDialog *self,
                                                           const char           *detail);
void                  tesoro_progress_dialog_report       (TesoroProgressDialog *self,
                                                           guint64               done,
                                                           guint64               total);

G_END_DECLS
