/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-import-run.h"
#include "tesoro-import-window.h"

G_BEGIN_DECLS

/* For the widget tests: what the wizard shows, read from its models, and
 * the few things a test cannot do through a widget (a file chooser). */

const char         *_tesoro_import_window_get_step          (TesoroImportWindow  *self);
gboolean            _tesoro_import_window_is_busy           (TesoroImportWindow  *self);
const char         *_tesoro_import_window_get_file_error    (TesoroImportWindow  *self);
const char         *_tesoro_import_window_get_preview_message (TesoroImportWindow *self);
TesoroImportSession *_tesoro_import_window_get_session      (TesoroImportWindow  *self);

/* The sample table (File step) and the preview table (Preview step): items
 * whose cells are read with _tesoro_import_table_row_get_cell(). The
 * preview's cells are line, name, e-mail, phone, organisation, city. */
GListModel         *_tesoro_import_window_get_sample        (TesoroImportWindow  *self);
GListModel         *_tesoro_import_window_get_preview       (TesoroImportWindow  *self);
const char         *_tesoro_import_table_row_get_cell       (gpointer             row,
                                                             guint                column);
int                 _tesoro_import_table_row_get_status     (gpointer             row);
const char         *_tesoro_import_table_row_get_status_text (gpointer            row);

/* The Columns step: one row per column of the file. */
guint               _tesoro_import_window_get_n_columns     (TesoroImportWindow  *self);
AdwComboRow        *_tesoro_import_window_get_column_row    (TesoroImportWindow  *self,
                                                             guint                column);
TesoroImportMatch   _tesoro_import_window_get_column_match  (TesoroImportWindow  *self,
                                                             guint                column);
char               *_tesoro_import_window_dup_column_target (TesoroImportWindow  *self,
                                                             guint                column);
gboolean            _tesoro_import_window_choose_target     (TesoroImportWindow  *self,
                                                             guint                column,
                                                             const char          *spec);

gboolean            _tesoro_import_window_get_totals        (TesoroImportWindow  *self,
                                                             TesoroImportTotals  *totals);
gboolean            _tesoro_import_window_get_result        (TesoroImportWindow  *self,
                                                             TesoroImportResult  *result);
double              _tesoro_import_window_get_import_fraction (TesoroImportWindow *self);
const char         *_tesoro_import_window_get_report_path   (TesoroImportWindow  *self);
gboolean            _tesoro_import_window_save_report_to    (TesoroImportWindow  *self,
                                                             GFile               *file,
                                                             GError             **error);

G_END_DECLS
