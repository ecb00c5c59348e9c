/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-receipt.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * Permanent Delete (DESIGN.md rule 1) and everything that erases: the
 * trash emptied or expired, retention, a selection. One function erases:
 * in one transaction, synced fully, with a receipt and an audit entry that
 * hold no personal data, and the files purged afterwards.
 */

/* Erasure */
gboolean    tesoro_session_count_linked         (TesoroSession             *self,
                                                 gint64                     contact_id,
                                                 TesoroLinkedCounts        *counts,
                                                 GError                   **error);
gboolean    tesoro_session_check_erasable   (TesoroSession             *self,
                                             gint64                     contact_id,
                                             GError                   **error);
char       *tesoro_session_preview_erasure_reason (TesoroSession           *self,
                                                  gint64                   contact_id,
                                                  const char              *reason,
                                                  GError                 **error);
gboolean    tesoro_session_erase_contact        (TesoroSession             *self,
                                                 gint64                     contact_id,
                                                 const char                *reason,
                                                 TesoroErasureMethod        method,
                                                 TesoroErasureReceipt     **receipt,
                                                 GError                   **error);
gboolean    tesoro_session_erase_contacts       (TesoroSession             *self,
                                                 const gint64              *ids,
                                                 guint                      n_ids,
                                                 const char                *reason,
                                                 TesoroErasureMethod        method,
                                                 GCancellable              *cancellable,
                                                 TesoroErasureProgressFunc  progress,
                                                 gpointer                   user_data,
                                                 GPtrArray                **receipts,
                                                 GError                   **error);
gboolean    tesoro_session_purge_files          (TesoroSession             *self,
                                                 GError                   **error);
gboolean    tesoro_session_finish_purges        (TesoroSession             *self,
                                                 guint                     *n_finished,
                                                 GError                   **error);
GPtrArray  *tesoro_session_list_erasure_receipts (TesoroSession            *self,
                                                  GError                  **error);
TesoroErasureReceipt *tesoro_session_get_erasure_receipt (TesoroSession    *self,
                                                          gint64            receipt_id,
                                                          GError          **error);

/* Trash */
gboolean    tesoro_session_empty_trash          (TesoroSession             *self,
                                                 GCancellable              *cancellable,
                                                 TesoroErasureProgressFunc  progress,
                                                 gpointer                   user_data,
                                                 GPtrArray                **receipts,
                                                 GError                   **error);
gboolean    tesoro_session_expire_trash         (TesoroSession             *self,
                                                 GCancellable              *cancellable,
                                                 GPtrArray                **receipts,
                                                 GError                   **error);

G_END_DECLS
