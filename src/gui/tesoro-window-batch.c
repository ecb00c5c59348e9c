/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-batch.h"
#include "tesoro-export-dialog.h"
#include "tesoro-gdpr.h"
#include "tesoro-window-private.h"
#include "tesoro-worker.h"

/*
 * Working on many contacts at once: the selection bar (Add Tag, Remove Tag,
 * Set Field, Export Selected, Move to Trash, Delete Permanently) and
 * File → Export…. Every batch is one transaction in a worker thread on its
 * own connection, with progress and Cancel; reversible ones end in a toast
 * with Undo.
 */

/* Takes a batch's result: the lists are read again (the worker's connection
 * changed the contacts), and a failure or a cancel is said in a toast. */
static gboolean
job_finish (TesoroWindow     *self,
            GAsyncResult     *result,
            TesoroWindowJob **job_out)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = _tesoro_window_job_finish (result, job_out, &error);

  _tesoro_window_reload_lists (self);

  if (!ok)
    {
      if (tesoro_worker_is_cancelled (error))
        _tesoro_window_show_toast (self, adw_toast_new (_("Cancelled: nothing was changed")));
      else
        _tesoro_window_show_error (self, error->message);
    }

  return ok;
}

/* Undo */

static void undo_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
on_undo_clicked_cb (AdwToast        *toast,
                    TesoroBatchUndo *undo)
{
  TesoroWindow *self = g_object_get_data (G_OBJECT (toast), "window");
  TesoroWindowJob *job;

  if (self == NULL || tesoro_batch_undo_is_done (undo))
    return;

  job = _tesoro_window_job_new (self, TESORO_JOB_BATCH_UNDO);
  job->undo = tesoro_batch_undo_ref (undo);
  _tesoro_window_job_start (self, job, undo_done_cb);
}

static void
undo_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TesoroWindow *self = TESORO_WINDOW (object);
  g_autofree char *title = NULL;
  TesoroWindowJob *job;

  if (!job_finish (self, result, &job))
    return;

  if (job->n_left > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Undone; %u contact changed since was left as it is",
                                          "Undone; %u contacts changed since were left as they are", job->n_left),
                             job->n_left);
  else
    title = g_strdup (_("Undone"));
  _tesoro_window_show_toast (self, adw_toast_new (title));
}

/* Edits */

static void
edit_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TesoroWindow *self = TESORO_WINDOW (object);
  g_autofree char *described = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;
  TesoroWindowJob *job;

  if (!job_finish (self, result, &job))
    return;

  described = tesoro_batch_undo_describe (job->undo);
  if (job->result.restricted > 0)
    {
      g_autofree char *escaped = g_markup_escape_text (described, -1);

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s; %u restricted contact was left unchanged",
                                            "%s; %u restricted contacts were left unchanged", job->result.restricted),
                               escaped, job->result.restricted);
    }
  else
    title = g_markup_escape_text (described, -1);

  toast = adw_toast_new (title);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (tesoro_batch_undo_get_n_contacts (job->undo) > 0)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_object_set_data (G_OBJECT (toast), "window", self);
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_clicked_cb),
                             tesoro_batch_undo_ref (job->undo), (GClosureNotify) tesoro_batch_undo_unref, 0);
    }
  _tesoro_window_show_toast (self, toast);
}

/**
 * _tesoro_window_run_batch:
 *
 * Applies @action to the selected contacts in a worker thread.
 */
void
_tesoro_window_run_batch (TesoroWindow      *self,
                          TesoroBatchAction  action,
                          const char        *argument,
                          const char        *value)
{
  g_autoptr(GArray) ids = _tesoro_window_selected_ids (self);
  TesoroWindowJob *job;

  if (ids->len == 0)
    return;

  job = _tesoro_window_job_new (self, TESORO_JOB_BATCH_EDIT);
  job->ids = g_steal_pointer (&ids);
  job->action = action;
  job->argument = g_strdup (argument);
  job->value = g_strdup (value);
  _tesoro_window_job_start (self, job, edit_done_cb);
}

static void
on_tag_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    TesoroWindow     *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  TesoroBatchAction action = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "action"));

  if (g_str_equal (response, "apply") && *tag != '\0')
    _tesoro_window_run_batch (self, action, tag, NULL);
}

static void
ask_tag (TesoroWindow      *self,
         TesoroBatchAction  action)
{
  g_autoptr(GArray) ids = _tesoro_window_selected_ids (self);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;
  gboolean add = action == TESORO_BATCH_ADD_TAG;

  body = g_strdup_printf (add ? g_dngettext (GETTEXT_PACKAGE, "The tag is added to %u selected contact.",
                                             "The tag is added to %u selected contacts.", ids->len)
                              : g_dngettext (GETTEXT_PACKAGE, "The tag is removed from %u selected contact.",
                                             "The tag is removed from %u selected contacts.", ids->len),
                          ids->len);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), add ? _("Add Tag") : _("Remove Tag"), body);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Tag"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tag"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", add ? _("_Add") : _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "action", GINT_TO_POINTER (action));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_tag_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
batch_add_tag_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ask_tag (TESORO_WINDOW (widget), TESORO_BATCH_ADD_TAG);
}

static void
batch_remove_tag_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  ask_tag (TESORO_WINDOW (widget), TESORO_BATCH_REMOVE_TAG);
}

/* Set Field: the fields a batch may set, in the order of the drop-down. */
static const char * const batch_fields[] = {
  TESORO_BATCH_FIELD_ORGANIZATION,
  TESORO_BATCH_FIELD_CITY,
  TESORO_BATCH_FIELD_LAWFUL_BASIS,
  TESORO_BATCH_FIELD_CUSTOM,
};

static void
on_field_selected_cb (GtkDropDown *fields,
                      GParamSpec  *pspec,
                      GtkWidget   *name_entry)
{
  gtk_widget_set_visible (name_entry, gtk_drop_down_get_selected (fields) == G_N_ELEMENTS (batch_fields) - 1);
}

static void
on_set_field_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          TesoroWindow     *self)
{
  GtkDropDown *fields = g_object_get_data (G_OBJECT (dialog), "fields");
  GtkEditable *name_entry = g_object_get_data (G_OBJECT (dialog), "name");
  GtkEditable *value_entry = g_object_get_data (G_OBJECT (dialog), "value");
  guint selected = gtk_drop_down_get_selected (fields);
  g_autofree char *field = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "apply") || selected >= G_N_ELEMENTS (batch_fields))
    return;

  if (selected == G_N_ELEMENTS (batch_fields) - 1)
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (name_entry)));
      field = g_strconcat (TESORO_BATCH_FIELD_CUSTOM, name, NULL);
    }
  else
    field = g_strdup (batch_fields[selected]);

  if (!tesoro_batch_check_field (field, gtk_editable_get_text (value_entry), &normalized, &error))
    {
      _tesoro_window_show_error (self, error->message);
      return;
    }

  _tesoro_window_run_batch (self, TESORO_BATCH_SET_FIELD, field, normalized);
}

static void
batch_set_field_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  g_autoptr(GArray) ids = _tesoro_window_selected_ids (self);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *body = NULL;
  GtkWidget *dialog, *box, *fields, *name_entry, *value_entry;

  for (guint i = 0; i < G_N_ELEMENTS (batch_fields); i++)
    {
      g_autofree char *label = i == G_N_ELEMENTS (batch_fields) - 1 ? g_strdup (_("Custom field"))
                                                                    : tesoro_batch_describe_field (batch_fields[i]);
      gtk_string_list_append (names, label);
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The value is set on %u selected contact. Leave it empty to clear the field.",
                                       "The value is set on %u selected contacts. Leave it empty to clear the field.",
                                       ids->len),
                          ids->len);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Set Field"), body);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  fields = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (fields), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Field"), -1);
  name_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (name_entry), _("Name of the custom field"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (name_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the custom field"), -1);
  gtk_widget_set_visible (name_entry, FALSE);
  value_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (value_entry), _("Value"));
  gtk_entry_set_activates_default (GTK_ENTRY (value_entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Value"), -1);
  gtk_box_append (GTK_BOX (box), fields);
  gtk_box_append (GTK_BOX (box), name_entry);
  gtk_box_append (GTK_BOX (box), value_entry);
  g_signal_connect_object (fields, "notify::selected", G_CALLBACK (on_field_selected_cb), name_entry, 0);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", _("_Set"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "fields", fields);
  g_object_set_data (G_OBJECT (dialog), "name", name_entry);
  g_object_set_data (G_OBJECT (dialog), "value", value_entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_set_field_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Delete Permanently of the selection */

static void
erase_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TesoroWindow *self = TESORO_WINDOW (object);
  TesoroWindowJob *job;

  if (!job_finish (self, result, &job))
    return;

  if (job->receipts != NULL && job->receipts->len > 0)
    _tesoro_window_show_receipts (self, job->receipts);
}

static void
on_delete_selection_response_cb (AdwMessageDialog *dialog,
                                 const char       *response,
                                 TesoroWindow     *self)
{
  GArray *ids = g_object_get_data (G_OBJECT (dialog), "ids");
  TesoroWindowJob *job;

  if (!g_str_equal (response, "delete"))
    return;

  job = _tesoro_window_job_new (self, TESORO_JOB_ERASE);
  job->ids = g_array_ref (ids);
  job->reason = g_strdup (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))));
  _tesoro_window_job_start (self, job, erase_done_cb);
}

static void
delete_selection_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  g_autoptr(GArray) ids = _tesoro_window_selected_ids (self);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (ids->len == 0)
    return;

  if (ids->len == 1)
    {
      gtk_widget_activate_action (widget, "win.delete-contact", NULL);
      return;
    }

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u Contact Permanently?",
                                          "Delete %u Contacts Permanently?", ids->len), ids->len);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("This cannot be undone. The contacts are erased from the database and the search "
                                     "index, with everything linked to them: their notes, messages, tasks, activities "
                                     "and consent history. Contacts on legal hold are kept.\n\n"
                                     "A receipt without personal data records each erasure."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (optional, without personal data)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for the erasure"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete Permanently"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ids", g_steal_pointer (&ids), (GDestroyNotify) g_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_selection_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Export */

static void
on_open_folder_cb (AdwToast *toast,
                   GFile    *folder)
{
  GtkWindow *window = GTK_WINDOW (g_object_get_data (G_OBJECT (toast), "window"));
  g_autofree char *uri = g_file_get_uri (folder);

  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

static void
on_exported_cb (TesoroExportDialog *dialog,
                guint64             n_exported,
                const char         *path,
                const char         *error_message,
                TesoroWindow       *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (error_message != NULL)
    {
      _tesoro_window_show_error (self, error_message);
      return;
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u contact", "Exported %u contacts", (gulong) n_exported),
                           (guint) n_exported);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Open Folder"));
  g_object_set_data (G_OBJECT (toast), "window", self);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_open_folder_cb),
                         g_file_get_parent (file), (GClosureNotify) g_object_unref, 0);
  _tesoro_window_show_toast (self, toast);
}

static void
open_export_dialog (TesoroWindow *self)
{
  g_autoptr(GArray) selected = _tesoro_window_selected_ids (self);
  g_autoptr(GArray) visible = NULL;
  TesoroExportDialog *dialog;

  if (!_tesoro_window_in_trash (self) && tesoro_contact_list_get_query (self->current) != NULL)
    visible = _tesoro_window_visible_ids (self);

  dialog = tesoro_export_dialog_new (self->session, visible, _tesoro_window_in_trash (self) ? NULL : selected);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_exported_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  open_export_dialog (TESORO_WINDOW (widget));
}

static void
export_selected_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  open_export_dialog (TESORO_WINDOW (widget));
}

/* Hooks for tesoro-window.c */

void
_tesoro_window_update_batch_actions (TesoroWindow *self)
{
  guint n = _tesoro_window_n_selected (self);
  gboolean can_write = _tesoro_window_writable (self);
  gboolean trash = _tesoro_window_in_trash (self);
  gboolean many = n > 1;

  gboolean batch = can_write && _tesoro_window_can (self, TESORO_PERMISSION_BATCH_EDIT);
  gboolean export = _tesoro_window_can (self, TESORO_PERMISSION_BULK_EXPORT);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.batch-add-tag", batch && many && !trash);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.batch-remove-tag", batch && many && !trash);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.batch-set-field", batch && many && !trash);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-selected", export && n > 0 && !trash);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-selection",
                                 can_write && n > 0 && _tesoro_window_can (self, TESORO_PERMISSION_ERASE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", export);

  gtk_widget_set_visible (self->batch_edit_button, !trash);
  gtk_widget_set_visible (self->batch_export_button, !trash);
  gtk_widget_set_visible (self->batch_trash_button, !trash);
  gtk_widget_set_visible (self->batch_restore_button, trash);

  if (many)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u selected", "%u selected", n),
                                                n);
      gtk_label_set_label (self->selection_label, label);
    }
  gtk_revealer_set_reveal_child (self->selection_revealer, many);
}

void
_tesoro_window_class_init_batch (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.batch-add-tag", NULL, batch_add_tag_activated);
  gtk_widget_class_install_action (widget_class, "win.batch-remove-tag", NULL, batch_remove_tag_activated);
  gtk_widget_class_install_action (widget_class, "win.batch-set-field", NULL, batch_set_field_activated);
  gtk_widget_class_install_action (widget_class, "win.delete-selection", NULL, delete_selection_activated);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "win.export-selected", NULL, export_selected_activated);
}
