/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import-window"

#include "config.h"

#include "tesoro-import-window-private.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tesoro-utils.h"

/*
 * File → Import…: a wizard over the import engine (tesoro-import.h), in six
 * steps: File, Columns (CSV only), Preview, Existing Contacts, Import and
 * Summary. This file is the window: its header bar, the navigation between
 * the steps, and which actions can be used when. What each step does is in
 * tesoro-import-window-steps.c; the items of its lists are in
 * tesoro-import-window-items.c.
 *
 * The report of skipped rows holds personal data. It is written into a
 * private temporary folder (mode 0700) and deleted with the window, unless
 * the user saves a copy with Save Report…; it is never written next to the
 * imported file.
 */

G_DEFINE_FINAL_TYPE (TesoroImportWindow, tesoro_import_window, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  UNDONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const step_ids[] = { "file", "columns", "preview", "existing", "import", "summary" };

/* Navigation */

static const char *
step_title (TesoroImportStep step)
{
  switch (step)
    {
    case STEP_FILE:
      return _("File");
    case STEP_COLUMNS:
      return _("Columns");
    case STEP_PREVIEW:
      return _("Preview");
    case STEP_EXISTING:
      return _("Existing Contacts");
    case STEP_IMPORT:
      return _("Import");
    case STEP_SUMMARY:
    default:
      return _("Summary");
    }
}

/**
 * _tesoro_import_window_go_to_step:
 *
 * Shows @step, with its title and the buttons that can be used on it.
 */
void
_tesoro_import_window_go_to_step (TesoroImportWindow *self,
                                  TesoroImportStep    step)
{
  guint number = step + 1;
  guint total = 6;
  g_autofree char *subtitle = NULL;

  /* A vCard file has no columns to map. */
  if (self->prepared && !_tesoro_import_window_is_csv (self))
    {
      total = 5;
      if (step > STEP_COLUMNS)
        number--;
    }

  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, step_ids[step]);
  adw_window_title_set_title (self->window_title, step_title (step));
  /* Translators: the subtitle of the import window: the file name, then
   * "step 2 of 6" */
  subtitle = g_strdup_printf (_("%s — step %u of %u"), self->display_name, number, total);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* Enter is Next: the focus starts on it (Tab leads into the step), or
   * on Cancel Import while the import runs. */
  self->focus_next = step != STEP_IMPORT || self->import_state != IMPORT_RUNNING;
  _tesoro_import_window_update_actions (self);
  if (step == STEP_IMPORT && self->import_state == IMPORT_RUNNING)
    gtk_widget_grab_focus (self->import_cancel_button);
}

/**
 * _tesoro_import_window_update_actions:
 *
 * Enables the actions that can be used now, and shows their buttons: the
 * one place that looks at the state for them.
 */
void
_tesoro_import_window_update_actions (TesoroImportWindow *self)
{
  gboolean busy = _tesoro_import_window_is_busy (self);
  gboolean import_ended = self->step == STEP_IMPORT &&
                          (self->import_state == IMPORT_CANCELLED || self->import_state == IMPORT_FAILED);
  gboolean can_next = FALSE;
  gboolean can_back = FALSE;
  const char *next_label = _("_Next");

  if (self->closed)
    return;

  switch (self->step)
    {
    case STEP_FILE:
      can_next = !busy && self->prepared && self->file_error == NULL;
      break;
    case STEP_COLUMNS:
      can_next = !busy;
      can_back = TRUE;
      break;
    case STEP_PREVIEW:
      can_next = _tesoro_import_window_preview_can_continue (self);
      can_back = TRUE;
      break;
    case STEP_EXISTING:
      can_next = !busy;
      can_back = !busy;
      next_label = _("_Import");
      break;
    case STEP_IMPORT:
      can_next = import_ended;
      can_back = import_ended;
      next_label = _("_Close");
      break;
    case STEP_SUMMARY:
    default:
      can_next = self->work_kind != WORK_UNDO;
      next_label = _("_Close");
      break;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.next", can_next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.back", can_back);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.stop-checking", self->work_kind == WORK_CHECK);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.check",
                                 !busy && self->step == STEP_PREVIEW && self->preview_error == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.undo",
                                 !busy && self->step == STEP_SUMMARY && !self->undone && self->result.batch_id > 0 &&
                                 self->result.created + self->result.updated > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-report",
                                 !busy && _tesoro_import_window_report_available (self));

  gtk_button_set_label (self->next_button, next_label);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), self->step != STEP_IMPORT || import_ended);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          self->step != STEP_FILE && self->step != STEP_SUMMARY &&
                          (self->step != STEP_IMPORT || import_ended));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->step < STEP_IMPORT);

  if (self->focus_next && can_next && gtk_widget_get_visible (GTK_WIDGET (self->next_button)) &&
      gtk_widget_grab_focus (GTK_WIDGET (self->next_button)))
    self->focus_next = FALSE;

  /* What would change the import waits while a worker holds it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->file_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_view), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_options_group), !busy);
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  switch (self->step)
    {
    case STEP_FILE:
      if (_tesoro_import_window_is_csv (self))
        {
          _tesoro_import_window_go_to_step (self, STEP_COLUMNS);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case STEP_COLUMNS:
      _tesoro_import_window_go_to_step (self, STEP_PREVIEW);
      _tesoro_import_window_refresh_preview (self);
      break;
    case STEP_PREVIEW:
      _tesoro_import_window_show_existing (self);
      _tesoro_import_window_go_to_step (self, STEP_EXISTING);
      break;
    case STEP_EXISTING:
      _tesoro_import_window_start_import (self);
      break;
    case STEP_IMPORT:
    case STEP_SUMMARY:
    default:
      gtk_window_close (GTK_WINDOW (self));
      break;
    }
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  switch (self->step)
    {
    case STEP_COLUMNS:
      _tesoro_import_window_go_to_step (self, STEP_FILE);
      break;
    case STEP_PREVIEW:
      if (self->work_kind == WORK_CHECK)
        {
          self->recheck = FALSE;
          _tesoro_import_window_cancel_work (self);
        }
      _tesoro_import_window_go_to_step (self, _tesoro_import_window_is_csv (self) ? STEP_COLUMNS : STEP_FILE);
      break;
    case STEP_EXISTING:
      _tesoro_import_window_go_to_step (self, STEP_PREVIEW);
      break;
    case STEP_IMPORT:
      _tesoro_import_window_go_to_step (self, STEP_EXISTING);
      break;
    case STEP_FILE:
    case STEP_SUMMARY:
    default:
      break;
    }
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  if (self->work_kind == WORK_IMPORT)
    {
      /* The worker rolls back at its next row; import_done() says so. */
      _tesoro_import_window_cancel_work (self);
      self->import_state = IMPORT_CANCELLING;
      _tesoro_import_window_show_import (self);
      return;
    }
  if (self->work_kind == WORK_UNDO)
    return;

  gtk_window_close (GTK_WINDOW (self));
}

/* GObject */

static gboolean
tesoro_import_window_close_request (GtkWindow *window)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (window);

  if (self->work_kind == WORK_IMPORT || self->work_kind == WORK_UNDO)
    {
      /* Stop an import (an undo finishes: it was asked for), and close once
       * the worker is done, so that "imported" and "undone" still reach
       * the main window if it committed. */
      if (self->work_kind == WORK_IMPORT)
        _tesoro_import_window_cancel_work (self);
      self->close_when_done = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return TRUE;
    }

  _tesoro_import_window_cancel_work (self);

  return GTK_WINDOW_CLASS (tesoro_import_window_parent_class)->close_request (window);
}

static void
tesoro_import_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tesoro_import_window_parent_class)->map (widget);

  /* Now that it can take the focus. */
  _tesoro_import_window_update_actions (TESORO_IMPORT_WINDOW (widget));
}

static void
tesoro_import_window_dispose (GObject *object)
{
  TesoroImportWindow *self = (TesoroImportWindow *) object;

  /* A job still running keeps the window alive until it is done, and
   * shows nothing more. */
  self->closed = TRUE;
  _tesoro_import_window_cancel_work (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_IMPORT_WINDOW);

  if (self->sample_rows != NULL)
    g_list_store_remove_all (self->sample_rows);
  if (self->preview_rows != NULL)
    g_list_store_remove_all (self->preview_rows);
  if (self->columns != NULL)
    g_list_store_remove_all (self->columns);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tesoro_import_window_parent_class)->dispose (object);
}

static void
tesoro_import_window_finalize (GObject *object)
{
  TesoroImportWindow *self = (TesoroImportWindow *) object;

  /* The report holds personal data: it goes with the window. */
  if (self->report_path != NULL)
    g_unlink (self->report_path);
  if (self->report_dir != NULL)
    g_rmdir (self->report_dir);
  g_free (self->report_path);
  g_free (self->report_dir);

  g_clear_object (&self->import);
  g_clear_object (&self->file);
  g_clear_object (&self->job);
  g_clear_object (&self->sample_rows);
  g_clear_object (&self->preview_rows);
  g_clear_object (&self->columns);
  g_clear_pointer (&self->known_custom, g_hash_table_unref);
  g_strfreev (self->custom_names);
  g_free (self->display_name);
  g_free (self->file_error);
  g_free (self->country);
  g_free (self->preview_error);
  g_free (self->check_error);
  g_free (self->import_error);
  g_free (self->undo_text);

  G_OBJECT_CLASS (tesoro_import_window_parent_class)->finalize (object);
}

static void
tesoro_import_window_class_init (TesoroImportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tesoro_import_window_dispose;
  object_class->finalize = tesoro_import_window_finalize;
  widget_class->map = tesoro_import_window_map;
  window_class->close_request = tesoro_import_window_close_request;

  /**
   * TesoroImportWindow::imported:
   * @batch_id: the import batch, for Undo Import
   *
   * The import committed. It ran on a session of its own, whose signals
   * nobody else sees: reload what shows contacts.
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * TesoroImportWindow::undone:
   * @batch_id: the import batch that was undone
   *
   * Undo Import committed: reload what shows contacts.
   */
  signals[UNDONE] = g_signal_new ("undone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-import-window.ui");

  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_icon);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, header_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, header_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_error_box);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_error_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, sample_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, sample_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, remembered_box);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, columns_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, columns_options_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, country_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, date_order_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, preview_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, preview_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_progress);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_records_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_valid_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_invalid_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_existing_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_duplicates_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, preview_message_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, basis_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, consent_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, vcard_country_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, existing_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, duplicates_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, existing_skip_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, existing_update_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, existing_create_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_icon);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_title_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, summary_page);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, created_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, updated_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, skipped_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, invalid_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, save_report_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, undo_progress);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, invalid_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, undo_label);

  gtk_widget_class_install_action (widget_class, "import.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "import.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_activated);
  _tesoro_import_window_class_init_steps (widget_class);

  /* Escape is Cancel; Enter is Next, through the default widget. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
tesoro_import_window_init (TesoroImportWindow *self)
{
  self->country = g_strdup (TESORO_DEFAULT_PHONE_COUNTRY);
  self->existing = TESORO_IMPORT_EXISTING_SKIP;
  self->consent = TESORO_CONSENT_ANSWER_NONE;
  self->known_custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sample_rows = g_list_store_new (TESORO_TYPE_IMPORT_TABLE_ROW);
  self->preview_rows = g_list_store_new (TESORO_TYPE_IMPORT_TABLE_ROW);
  self->columns = g_list_store_new (TESORO_TYPE_IMPORT_COLUMN_ITEM);

  /* The template's handlers ignore what happens while it is set up. */
  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  _tesoro_import_window_init_steps (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->next_button));
  self->updating = FALSE;
}

/* Public API */

static void
load_custom_names (TesoroImportWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->custom_names, g_strfreev);
  g_hash_table_remove_all (self->known_custom);

  self->custom_names = tesoro_session_list_custom_field_names (self->session, &error);
  if (self->custom_names == NULL)
    {
      g_warning ("Cannot list the custom fields: %s", error->message);
      return;
    }
  for (guint i = 0; self->custom_names[i] != NULL; i++)
    g_hash_table_add (self->known_custom, tesoro_fold (self->custom_names[i]));
}

static void
set_file (TesoroImportWindow *self,
          GFile              *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *source = NULL;
  g_autofree char *subtitle = NULL;

  g_set_object (&self->file, file);
  g_clear_object (&self->import);
  g_free (self->display_name);
  self->display_name = g_file_get_basename (file);

  self->import = tesoro_import_session_new (path != NULL ? path : "");
  source = tesoro_import_session_dup_consent_source (self->import);
  /* Translators: %s is how the consent is recorded, such as "import: klanten.csv" */
  subtitle = g_strdup_printf (_("Recorded with the source “%s”"), source);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->consent_row), subtitle);

  if (path == NULL)
    {
      self->prepared = FALSE;
      g_free (self->file_error);
      /* Translators: %s is a file name */
      self->file_error = g_strdup_printf (_("“%s” is not on this computer: copy it to a folder here first."),
                                          self->display_name);
      _tesoro_import_window_show_file_step (self);
    }
  else
    _tesoro_import_window_prepare (self);

  _tesoro_import_window_go_to_step (self, STEP_FILE);
}

/**
 * tesoro_import_window_new:
 * @session: the window's session; the import itself runs on a session of its own
 * @file: the file to import (CSV or vCard), chosen by the caller
 *
 * The File → Import… wizard for @file. Present it, transient for the main
 * window. It emits "imported" when an import committed and "undone" after
 * Undo Import: reload the contact lists then.
 *
 * Returns: (transfer none): a new window
 */
TesoroImportWindow *
tesoro_import_window_new (TesoroSession *session,
                          GFile       *file)
{
  TesoroImportWindow *self;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (TESORO_TYPE_IMPORT_WINDOW, NULL);
  self->session = g_object_ref (session);
  load_custom_names (self);
  set_file (self, file);
  return self;
}

static void
on_choose_file_response_cb (GtkNativeDialog    *dialog,
                            int                 response,
                            TesoroImportWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      set_file (self, file);
      gtk_window_present (GTK_WINDOW (self));
    }
  else
    gtk_window_destroy (GTK_WINDOW (self));

  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char * const *suffixes,
            const char * const *mime_types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; suffixes != NULL && suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

/**
 * tesoro_import_window_choose_file:
 * @parent: the main window
 * @session: the main window's session
 *
 * File → Import…: asks for a CSV or vCard file, then shows the wizard for
 * it. Connect to the returned window's "imported" and "undone" signals
 * right away; it stays hidden until a file is chosen and is destroyed if
 * none is.
 *
 * Returns: (transfer none): the wizard, not shown yet
 */
TesoroImportWindow *
tesoro_import_window_choose_file (GtkWindow   *parent,
                                  TesoroSession *session)
{
  static const char * const csv_suffixes[] = { "csv", "tsv", "txt", NULL };
  static const char * const csv_types[] = { "text/csv", "text/tab-separated-values", NULL };
  static const char * const vcard_suffixes[] = { "vcf", "vcard", NULL };
  static const char * const vcard_types[] = { "text/vcard", "text/x-vcard", "text/directory", NULL };
  static const char * const all_suffixes[] = { "csv", "tsv", "txt", "vcf", "vcard", NULL };
  static const char * const all_types[] = { "text/csv", "text/tab-separated-values", "text/vcard", "text/x-vcard",
                                            "text/directory", NULL };
  TesoroImportWindow *self;
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) any = gtk_file_filter_new ();
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GFile) folder = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_IMPORT_WINDOW, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  load_custom_names (self);

  dialog = gtk_file_chooser_native_new (_("Import Contacts"), parent, GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Contacts (CSV and vCard)"), all_suffixes, all_types);
  add_filter (GTK_FILE_CHOOSER (dialog), _("CSV (comma-separated values)"), csv_suffixes, csv_types);
  add_filter (GTK_FILE_CHOOSER (dialog), _("vCard (address book)"), vcard_suffixes, vcard_types);
  gtk_file_filter_set_name (any, _("All files"));
  gtk_file_filter_add_pattern (any, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), any);

  folder = g_file_new_for_path (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR)
                                ? documents : g_get_home_dir ());
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_choose_file_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));

  return self;
}

/**
 * tesoro_import_window_get_file:
 *
 * Returns: (transfer none) (nullable): the file being imported
 */
GFile *
tesoro_import_window_get_file (TesoroImportWindow *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_WINDOW (self), NULL);
  return self->file;
}

/**
 * _tesoro_import_window_is_busy:
 *
 * Returns: whether a job holds the import (the tests wait for it too)
 */
gboolean
_tesoro_import_window_is_busy (TesoroImportWindow *self)
{
  return self->work_kind != WORK_NONE;
}

/* For the tests */

const char *
_tesoro_import_window_get_step (TesoroImportWindow *self)
{
  return step_ids[self->step];
}

const char *
_tesoro_import_window_get_file_error (TesoroImportWindow *self)
{
  return self->file_error;
}

const char *
_tesoro_import_window_get_preview_message (TesoroImportWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->preview_message_label))
         ? gtk_label_get_label (self->preview_message_label) : NULL;
}

TesoroImportSession *
_tesoro_import_window_get_session (TesoroImportWindow *self)
{
  return self->import;
}

GListModel *
_tesoro_import_window_get_sample (TesoroImportWindow *self)
{
  return G_LIST_MODEL (self->sample_rows);
}

GListModel *
_tesoro_import_window_get_preview (TesoroImportWindow *self)
{
  return G_LIST_MODEL (self->preview_rows);
}

guint
_tesoro_import_window_get_n_columns (TesoroImportWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->columns));
}

static TesoroImportColumnItem *
get_column_item (TesoroImportWindow *self,
                 guint               column)
{
  TesoroImportColumnItem *item = g_list_model_get_item (G_LIST_MODEL (self->columns), column);

  /* Borrowed: the list holds it. */
  if (item != NULL)
    g_object_unref (item);
  return item;
}

AdwComboRow *
_tesoro_import_window_get_column_row (TesoroImportWindow *self,
                                      guint               column)
{
  TesoroImportColumnItem *item = get_column_item (self, column);

  if (item == NULL)
    return NULL;
  /* The list shows rows for what is on screen: scroll to the column first,
   * as a user would. */
  if (item->row == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->columns_view), "list.scroll-to-item", "u", column);
  return item->row;
}

TesoroImportMatch
_tesoro_import_window_get_column_match (TesoroImportWindow *self,
                                        guint               column)
{
  TesoroImportColumnItem *item = get_column_item (self, column);

  g_return_val_if_fail (item != NULL, TESORO_IMPORT_MATCH_NONE);
  return item->match;
}

char *
_tesoro_import_window_dup_column_target (TesoroImportWindow *self,
                                         guint               column)
{
  TesoroImportColumnItem *item = get_column_item (self, column);
  g_autoptr(TesoroImportChoiceItem) choice = NULL;

  g_return_val_if_fail (item != NULL, NULL);
  choice = g_list_model_get_item (G_LIST_MODEL (item->choices), item->selected);
  return choice != NULL ? g_strdup (choice->spec) : NULL;
}

/* As the user would: through the column's drop-down when it has one. */
gboolean
_tesoro_import_window_choose_target (TesoroImportWindow *self,
                                     guint               column,
                                     const char         *spec)
{
  TesoroImportColumnItem *item = get_column_item (self, column);
  g_autofree char *canonical = tesoro_import_spec_canonicalize (spec, NULL);

  g_return_val_if_fail (item != NULL && canonical != NULL, FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (item->choices)); i++)
    {
      g_autoptr(TesoroImportChoiceItem) choice = g_list_model_get_item (G_LIST_MODEL (item->choices), i);

      if (!g_str_equal (choice->spec, canonical))
        continue;
      if (_tesoro_import_window_get_column_row (self, column) != NULL)
        adw_combo_row_set_selected (item->row, i);
      else
        _tesoro_import_window_choose_target_at (self, item, i);
      return item->selected == i;
    }

  return FALSE;
}

gboolean
_tesoro_import_window_get_totals (TesoroImportWindow *self,
                                  TesoroImportTotals *totals)
{
  if (self->totals_state != TOTALS_DONE)
    return FALSE;
  *totals = self->totals;
  return TRUE;
}

gboolean
_tesoro_import_window_get_result (TesoroImportWindow *self,
                                  TesoroImportResult *result)
{
  if (self->import_state != IMPORT_DONE)
    return FALSE;
  *result = self->result;
  return TRUE;
}

double
_tesoro_import_window_get_import_fraction (TesoroImportWindow *self)
{
  return gtk_progress_bar_get_fraction (self->import_progress);
}

const char *
_tesoro_import_window_get_report_path (TesoroImportWindow *self)
{
  return _tesoro_import_window_report_available (self) ? self->report_path : NULL;
}
