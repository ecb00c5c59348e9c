/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

typedef enum
{
  TESORO_HISTORY_DIALOG_NOTE,
  TESORO_HISTORY_DIALOG_MESSAGE,
  TESORO_HISTORY_DIALOG_ACTIVITY,
  TESORO_HISTORY_DIALOG_TASK,
} TesoroHistoryDialogMode;

#define TESORO_TYPE_HISTORY_DIALOG (tesoro_history_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TesoroHistoryDialog, tesoro_history_dialog, TESORO, HISTORY_DIALOG, AdwWindow)

TesoroHistoryDialog *tesoro_history_dialog_new (TesoroSession             *session,
                                                TesoroContact           *contact,
                                                TesoroHistoryDialogMode  mode);

G_END_DECLS
