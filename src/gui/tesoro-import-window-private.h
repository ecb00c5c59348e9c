/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-import-run.h"
#include "tesoro-import-window.h"
#include "tesoro-job.h"

G_BEGIN_DECLS

/*
 * What the files of the import window share: tesoro-import-window.c (the
 * window and its navigation), tesoro-import-window-steps.c (what each step
 * does) and tesoro-import-window-items.c (the items of its lists).
 */

/* The items of its lists (tesoro-import-window-items.c) */

/* A row of the sample or preview table. */
#define TESORO_TYPE_IMPORT_TABLE_ROW (tesoro_import_table_row_get_type ())
G_DECLARE_FINAL_TYPE (TesoroImportTableRow, tesoro_import_table_row, TESORO, IMPORT_TABLE_ROW, GObject)

struct _TesoroImportTableRow
{
  GObject   parent_instance;

  char    **cells;
  int       status;        /* a TesoroImportRowStatus, or -1 for a row as read */
  char     *status_text;
};

TesoroImportTableRow *_tesoro_import_table_row_new (char **cells,
                                                    int    status,
                                                    char  *status_text);

/* One target of a column's drop-down. */
#define TESORO_TYPE_IMPORT_CHOICE_ITEM (tesoro_import_choice_item_get_type ())
G_DECLARE_FINAL_TYPE (TesoroImportChoiceItem, tesoro_import_choice_item, TESORO, IMPORT_CHOICE_ITEM, GObject)

struct _TesoroImportChoiceItem
{
  GObject   parent_instance;

  char     *spec;
  char     *label;
  char     *section;
  gboolean  first_in_section;
};

GtkExpression        *_tesoro_import_choice_item_label_expression (void);

/* One column of the file on the Columns step. */
#define TESORO_TYPE_IMPORT_COLUMN_ITEM (tesoro_import_column_item_get_type ())
G_DECLARE_FINAL_TYPE (TesoroImportColumnItem, tesoro_import_column_item, TESORO, IMPORT_COLUMN_ITEM, GObject)

struct _TesoroImportColumnItem
{
  GObject            parent_instance;

  guint              column;
  char              *title;
  char              *sample;
  TesoroImportMatch  match;
  GListStore        *choices;
  guint              selected;
  AdwComboRow       *row;       /* (weak) the row that shows it, while there is one */
};

/* The window */

typedef enum
{
  STEP_FILE,
  STEP_COLUMNS,
  STEP_PREVIEW,
  STEP_EXISTING,
  STEP_IMPORT,
  STEP_SUMMARY,
} TesoroImportStep;

typedef enum
{
  WORK_NONE,
  WORK_CHECK,
  WORK_IMPORT,
  WORK_UNDO,
} TesoroImportWork;

typedef enum
{
  TOTALS_NONE,
  TOTALS_CHECKING,
  TOTALS_DONE,
  TOTALS_STOPPED,
  TOTALS_FAILED,
} TesoroImportTotalsState;

typedef enum
{
  IMPORT_NOT_STARTED,
  IMPORT_RUNNING,
  IMPORT_CANCELLING,
  IMPORT_CANCELLED,
  IMPORT_FAILED,
  IMPORT_DONE,
} TesoroImportState;

struct _TesoroImportWindow
{
  AdwWindow             parent_instance;

  TesoroSession        *session;
  GFile                *file;
  TesoroImportSession  *import;
  char                 *display_name;
  GStrv                 custom_names;
  GHashTable           *known_custom;   /* folded custom field names */

  TesoroImportStep      step;
  gboolean              updating;       /* widgets set from the import: not the user */
  gboolean              focus_next;     /* Next takes the focus once it can be clicked */
  gboolean              closed;

  /* File */
  gboolean              prepared;
  char                 *file_error;
  gboolean              encoding_chosen;

  /* The choices for every contact, handed to the import by apply_options(). */
  char                 *country;
  guint                 basis;
  TesoroConsentAnswer   consent;
  gboolean              skip_invalid;
  TesoroImportExisting  existing;

  /* Preview */
  char                 *preview_error;
  guint                 preview_invalid;
  TesoroImportTotalsState totals_state;
  TesoroImportTotals    totals;
  char                 *check_error;
  gboolean              recheck;

  /* The worker: one job at a time, through the job runner */
  TesoroImportWork      work_kind;
  TesoroJob            *job;
  gboolean              close_when_done;

  /* Import and Undo */
  TesoroImportState     import_state;
  char                 *import_error;
  TesoroImportResult    result;
  char                 *report_dir;
  char                 *report_path;
  gboolean              undone;
  char                 *undo_text;

  GListStore           *sample_rows;
  GListStore           *columns;
  GListStore           *preview_rows;

  /* Template children */
  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *back_button;
  GtkButton            *next_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;

  AdwPreferencesGroup  *file_group;
  AdwActionRow         *file_row;
  GtkImage             *file_icon;
  AdwComboRow          *encoding_row;
  AdwComboRow          *delimiter_row;
  AdwActionRow         *header_row;
  GtkSwitch            *header_switch;
  GtkWidget            *file_error_box;
  GtkLabel             *file_error_label;
  GtkLabel             *sample_label;
  GtkColumnView        *sample_view;

  GtkWidget            *remembered_box;
  GtkListView          *columns_view;
  AdwPreferencesGroup  *columns_options_group;
  AdwComboRow          *country_row;
  AdwComboRow          *date_order_row;

  GtkLabel             *preview_label;
  GtkColumnView        *preview_view;
  GtkStack             *totals_stack;
  GtkProgressBar       *totals_progress;
  GtkLabel             *totals_records_label;
  GtkLabel             *totals_valid_label;
  GtkLabel             *totals_invalid_label;
  GtkLabel             *totals_existing_label;
  GtkLabel             *totals_duplicates_label;
  GtkLabel             *preview_message_label;
  AdwComboRow          *basis_row;
  AdwComboRow          *consent_row;
  AdwComboRow          *vcard_country_row;
  GtkSwitch            *skip_switch;

  GtkLabel             *existing_label;
  GtkLabel             *duplicates_label;
  GtkCheckButton       *existing_skip_check;
  GtkCheckButton       *existing_update_check;
  GtkCheckButton       *existing_create_check;

  GtkImage             *import_icon;
  GtkLabel             *import_title_label;
  GtkProgressBar       *import_progress;
  GtkLabel             *import_detail_label;
  GtkWidget            *import_cancel_button;

  AdwStatusPage        *summary_page;
  GtkLabel             *created_label;
  GtkLabel             *updated_label;
  AdwActionRow         *skipped_row;
  GtkLabel             *skipped_label;
  GtkLabel             *invalid_label;
  GtkWidget            *save_report_button;
  GtkProgressBar       *undo_progress;
  AdwActionRow         *invalid_row;
  GtkLabel             *undo_label;
};

/* tesoro-import-window.c: navigation */
void                _tesoro_import_window_go_to_step        (TesoroImportWindow  *self,
                                                             TesoroImportStep     step);
void                _tesoro_import_window_update_actions    (TesoroImportWindow  *self);

/* tesoro-import-window-steps.c: what the steps do */
void                _tesoro_import_window_class_init_steps  (GtkWidgetClass      *widget_class);
void                _tesoro_import_window_init_steps        (TesoroImportWindow  *self);
gboolean            _tesoro_import_window_is_csv            (TesoroImportWindow  *self);
void                _tesoro_import_window_cancel_work       (TesoroImportWindow  *self);
void                _tesoro_import_window_prepare           (TesoroImportWindow  *self);
void                _tesoro_import_window_show_file_step    (TesoroImportWindow  *self);
void                _tesoro_import_window_refresh_preview   (TesoroImportWindow  *self);
gboolean            _tesoro_import_window_preview_can_continue (TesoroImportWindow *self);
void                _tesoro_import_window_show_existing     (TesoroImportWindow  *self);
void                _tesoro_import_window_start_import      (TesoroImportWindow  *self);
void                _tesoro_import_window_show_import       (TesoroImportWindow  *self);
gboolean            _tesoro_import_window_report_available  (TesoroImportWindow  *self);
gboolean            _tesoro_import_window_choose_target_at  (TesoroImportWindow     *self,
                                                             TesoroImportColumnItem *item,
                                                             guint                   index);

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
