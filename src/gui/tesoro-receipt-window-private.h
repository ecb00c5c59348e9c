/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-receipt-window.h"

G_BEGIN_DECLS

/* For the widget tests: what Save writes without the file chooser, and what
 * the window shows. */
gboolean    _tesoro_receipt_window_save_to_file (TesoroReceiptWindow  *self,
                                                 GFile                *file,
                                                 GError              **error);
GListModel *_tesoro_receipt_window_get_receipts (TesoroReceiptWindow  *self);
const char *_tesoro_receipt_window_get_text     (TesoroReceiptWindow  *self);
AdwToast   *_tesoro_receipt_window_get_last_toast (TesoroReceiptWindow *self);

G_END_DECLS
