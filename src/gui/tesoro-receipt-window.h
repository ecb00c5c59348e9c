/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-gdpr.h"

G_BEGIN_DECLS

#define TESORO_TYPE_RECEIPT_WINDOW (tesoro_receipt_window_get_type ())

G_DECLARE_FINAL_TYPE (TesoroReceiptWindow, tesoro_receipt_window, TESORO, RECEIPT_WINDOW, AdwWindow)

TesoroReceiptWindow *tesoro_receipt_window_new (TesoroSession *session,
                                                GPtrArray   *receipts);

G_END_DECLS
