/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-bulk.h"
#include "tesoro-import.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * The import service: an import session (tesoro-import.h) prepared with
 * the mappings a database remembers, previewed against its contacts, and
 * run into it in one transaction; the history of imports and Undo Import.
 */

gboolean             tesoro_import_session_prepare          (TesoroImportSession  *self,
                                                             TesoroSession        *session,
                                                             GCancellable         *cancellable,
                                                             GError              **error);

/* Reading the file. */
gboolean             tesoro_import_session_preview          (TesoroImportSession  *self,
                                                             TesoroSession        *session,
                                                             guint                 max_rows,
                                                             GCancellable         *cancellable,
                                                             TesoroProgressFunc    progress,
                                                             gpointer              user_data,
                                                             GPtrArray           **rows,
                                                             TesoroImportTotals   *totals,
                                                             GError              **error);
gboolean             tesoro_import_session_run              (TesoroImportSession  *self,
                                                             TesoroSession        *session,
                                                             GCancellable         *cancellable,
                                                             TesoroProgressFunc    progress,
                                                             gpointer              user_data,
                                                             TesoroImportResult   *result,
                                                             GError              **error);

/* Undo Import and the history of imports. */
GPtrArray         *tesoro_session_list_import_batches (TesoroSession        *self,
                                                       GError              **error);
TesoroImportBatch *tesoro_session_get_import_batch  (TesoroSession          *self,
                                                     gint64                  batch_id,
                                                     GError                **error);
gboolean           tesoro_session_undo_import       (TesoroSession          *self,
                                                     gint64                  batch_id,
                                                     GCancellable           *cancellable,
                                                     TesoroProgressFunc      progress,
                                                     gpointer                user_data,
                                                     guint64                *n_removed,
                                                     guint64                *n_restored,
                                                     GError                **error);

/* For the mapping drop-downs: the custom fields the database has. */
GStrv              tesoro_session_list_custom_field_names (TesoroSession    *self,
                                                           GError          **error);

G_END_DECLS
