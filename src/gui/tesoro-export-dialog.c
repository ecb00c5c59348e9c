/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-error.h"
#include "tesoro-export-dialog-private.h"
#include "tesoro-progress-dialog.h"
#include "tesoro-worker.h"

/*
 * File → Export…: all contacts, the search result or the selection, as CSV
 * for a spreadsheet or mail merge (separator and byte order mark suited to
 * Excel in the user's language by default) or as vCard. The file is written
 * by a worker thread on its own connection, atomically.
 */

struct _TesoroExportDialog
{
  AdwWindow        parent_instance;

  TesoroSession     *session;
  GArray          *search_ids;     /* (nullable) */
  GArray          *selected_ids;   /* (nullable) */

  GtkWidget       *export_button;
  AdwActionRow    *all_row;
  AdwActionRow    *search_row;
  AdwActionRow    *selection_row;
  GtkCheckButton  *all_check;
  GtkCheckButton  *search_check;
  GtkCheckButton  *selection_check;
  GtkSwitch       *restricted_switch;
  AdwComboRow     *format_row;
  AdwComboRow     *delimiter_row;
  GtkWidget       *bom_row;
  GtkSwitch       *bom_switch;
  AdwComboRow     *version_row;
};

G_DEFINE_FINAL_TYPE (TesoroExportDialog, tesoro_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char delimiters[] = { ',', ';' };

typedef struct
{
  TesoroExportDialog         *dialog;
  TesoroSession              *session;     /* the worker's, as the dialog's user */
  GError                     *open_error;
  char                       *path;
  GArray                     *ids;
  TesoroContactExportOptions  options;
  TesoroProgressDialog       *progress;
  TesoroContactExportResult   result;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->dialog);
  g_clear_object (&job->session);
  g_clear_error (&job->open_error);
  g_free (job->path);
  g_clear_pointer (&job->ids, g_array_unref);
  g_clear_object (&job->progress);
  g_free (job);
}

void
_tesoro_export_dialog_get_options (TesoroExportDialog         *self,
                                   TesoroContactExportOptions *options,
                                   GArray                    **ids)
{
  tesoro_contact_export_options_init (options);
  options->format = adw_combo_row_get_selected (self->format_row) == 1 ? TESORO_CONTACT_FORMAT_VCARD
                                                                        : TESORO_CONTACT_FORMAT_CSV;
  options->delimiter = delimiters[MIN (adw_combo_row_get_selected (self->delimiter_row), 1)];
  options->bom = gtk_switch_get_active (self->bom_switch);
  options->vcard_version = adw_combo_row_get_selected (self->version_row) == 1 ? TESORO_VCARD_VERSION_3_0
                                                                                : TESORO_VCARD_VERSION_4_0;
  options->include_restricted = gtk_switch_get_active (self->restricted_switch);

  if (gtk_check_button_get_active (self->selection_check) && self->selected_ids != NULL)
    *ids = g_array_ref (self->selected_ids);
  else if (gtk_check_button_get_active (self->search_check) && self->search_ids != NULL)
    *ids = g_array_ref (self->search_ids);
  else
    *ids = NULL;
}

static void
report_cb (guint64  done,
           guint64  total,
           gpointer user_data)
{
  ExportJob *job = user_data;

  tesoro_progress_dialog_report (job->progress, done, total);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(TesoroSession) session = g_steal_pointer (&job->session);
  GError *error = g_steal_pointer (&job->open_error);

  if (session == NULL ||
      !tesoro_session_export_contacts (session,
                                       job->ids != NULL ? (const gint64 *) job->ids->data : NULL,
                                       job->ids != NULL ? (gssize) job->ids->len : -1,
                                       &job->options, job->path, cancellable, report_cb, job,
                                       &job->result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  TesoroExportDialog *self = job->dialog;
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (job->progress));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, TESORO_ERROR, TESORO_ERROR_CANCELLED))
        g_signal_emit (self, signals[EXPORTED], 0, (guint64) 0, job->path, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      return;
    }

  g_signal_emit (self, signals[EXPORTED], 0, job->result.exported, job->path, NULL);
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * _tesoro_export_dialog_export_to:
 *
 * Exports what the form says to @path, in a worker thread with progress.
 * The dialog closes and emits ::exported when the file is written.
 */
void
_tesoro_export_dialog_export_to (TesoroExportDialog *self,
                                 const char         *path)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job = g_new0 (ExportJob, 1);

  job->dialog = g_object_ref (self);
  job->session = tesoro_worker_open_session (self->session, &job->open_error);
  job->path = g_strdup (path);
  _tesoro_export_dialog_get_options (self, &job->options, &job->ids);
  job->progress = g_object_ref (tesoro_progress_dialog_new (GTK_WINDOW (self), _("Exporting Contacts")));

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  gtk_window_present (GTK_WINDOW (job->progress));

  task = g_task_new (NULL, tesoro_progress_dialog_get_cancellable (job->progress), export_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_file_chosen_cb (GtkNativeDialog    *chooser,
                   int                 response,
                   TesoroExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      _tesoro_export_dialog_export_to (self, path);
    }

  g_object_unref (chooser);
}

static void
choose_file_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesoroExportDialog *self = TESORO_EXPORT_DIALOG (widget);
  gboolean vcard = adw_combo_row_get_selected (self->format_row) == 1;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GFile) folder = g_file_new_for_path (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR)
                                                 ? documents : g_get_home_dir ());

  chooser = gtk_file_chooser_native_new (_("Export Contacts"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, vcard ? _("vCard") : _("CSV (comma-separated values)"));
  gtk_file_filter_add_suffix (filter, vcard ? "vcf" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  /* Translators: file names */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), vcard ? _("contacts.vcf") : _("contacts.csv"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_file_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_format_changed_cb (TesoroExportDialog *self)
{
  gboolean vcard = adw_combo_row_get_selected (self->format_row) == 1;

  gtk_widget_set_visible (GTK_WIDGET (self->delimiter_row), !vcard);
  gtk_widget_set_visible (self->bom_row, !vcard);
  gtk_widget_set_visible (GTK_WIDGET (self->version_row), vcard);
}

static void
tesoro_export_dialog_dispose (GObject *object)
{
  TesoroExportDialog *self = (TesoroExportDialog *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->search_ids, g_array_unref);
  g_clear_pointer (&self->selected_ids, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (tesoro_export_dialog_parent_class)->dispose (object);
}

static void
tesoro_export_dialog_class_init (TesoroExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_export_dialog_dispose;

  /**
   * TesoroExportDialog::exported:
   * @n_exported: how many contacts were written
   * @path: the file
   * @error_message: (nullable): why the export failed, or %NULL
   */
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                    G_TYPE_UINT64, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, all_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, search_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, selection_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, all_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, search_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, selection_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, restricted_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, bom_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, bom_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroExportDialog, version_row);
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed_cb);

  gtk_widget_class_install_action (widget_class, "export.choose-file", NULL, choose_file_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tesoro_export_dialog_init (TesoroExportDialog *self)
{
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) separators = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) versions = gtk_string_list_new (NULL);
  char delimiter = ',';
  gboolean bom = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (formats, _("CSV (spreadsheets)"));
  gtk_string_list_append (formats, _("vCard (address books)"));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (formats));
  gtk_string_list_append (separators, _("Comma"));
  gtk_string_list_append (separators, _("Semicolon"));
  adw_combo_row_set_model (self->delimiter_row, G_LIST_MODEL (separators));
  gtk_string_list_append (versions, "4.0");
  gtk_string_list_append (versions, _("3.0 (older address books)"));
  adw_combo_row_set_model (self->version_row, G_LIST_MODEL (versions));

  /* What Excel expects in the user's language. */
  tesoro_contact_export_csv_defaults (NULL, &delimiter, &bom);
  adw_combo_row_set_selected (self->delimiter_row, delimiter == ';' ? 1 : 0);
  gtk_switch_set_active (self->bom_switch, bom);

  on_format_changed_cb (self);
}

static void
set_scope_row (AdwActionRow *row,
               const char   *title,
               guint         n)
{
  g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact", "%u contacts", n), n);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
}

/**
 * tesoro_export_dialog_new:
 * @search_ids: (nullable): the ids of the current search result
 * @selected_ids: (nullable): the ids of the selected contacts
 *
 * Returns: (transfer none): the dialog; it starts with the narrowest scope
 * that applies (the selection, else the search result, else all)
 */
TesoroExportDialog *
tesoro_export_dialog_new (TesoroSession *session,
                          GArray      *search_ids,
                          GArray      *selected_ids)
{
  TesoroExportDialog *self;
  gint64 total;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_EXPORT_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->search_ids = search_ids != NULL ? g_array_ref (search_ids) : NULL;
  self->selected_ids = selected_ids != NULL && selected_ids->len > 0 ? g_array_ref (selected_ids) : NULL;

  total = MAX (0, tesoro_session_count_contacts (session, FALSE, NULL));
  set_scope_row (self->all_row, _("All contacts"), (guint) total);
  set_scope_row (self->search_row, _("The search result"), search_ids != NULL ? search_ids->len : 0);
  set_scope_row (self->selection_row, _("The selected contacts"), self->selected_ids != NULL ? self->selected_ids->len : 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_row), search_ids != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->selection_row), self->selected_ids != NULL);

  if (self->selected_ids != NULL && self->selected_ids->len > 1)
    gtk_check_button_set_active (self->selection_check, TRUE);
  else if (search_ids != NULL)
    gtk_check_button_set_active (self->search_check, TRUE);
  else
    gtk_check_button_set_active (self->all_check, TRUE);

  gtk_window_set_default_widget (GTK_WINDOW (self), self->export_button);
  return self;
}
