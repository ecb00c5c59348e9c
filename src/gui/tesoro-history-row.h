/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tesoro-history.h"

G_BEGIN_DECLS

#define TESORO_TYPE_HISTORY_ROW (tesoro_history_row_get_type ())

G_DECLARE_FINAL_TYPE (TesoroHistoryRow, tesoro_history_row, TESORO, HISTORY_ROW, GtkWidget)

TesoroHistoryItem *tesoro_history_row_get_item (TesoroHistoryRow  *self);
void               tesoro_history_row_set_item (TesoroHistoryRow  *self,
                                                TesoroHistoryItem *item);

G_END_DECLS
