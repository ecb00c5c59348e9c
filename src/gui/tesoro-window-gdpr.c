/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-audit-window.h"
#include "tesoro-breach-window.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-receipt-window.h"
#include "tesoro-requests.h"
#include "tesoro-requests-window.h"
#include "tesoro-register-window.h"
#include "tesoro-window-private.h"
#include "tesoro-worker.h"

/*
 * The window's privacy duties: the contact's Actions menu (Export Data,
 * Delete Contact), Empty Trash, the marketing list, the receipts and the
 * audit log, and the housekeeping (trash expiry and retention) that runs at
 * start-up and daily while Tesoro is open.
 */

#define HOUSEKEEPING_INTERVAL_SECONDS (24 * 60 * 60)

static TesoroContact *
shown_contact (TesoroWindow *self)
{
  return tesoro_contact_pane_get_contact (self->contact_pane);
}

void
_tesoro_window_show_receipts (TesoroWindow *self,
                              GPtrArray    *receipts)
{
  TesoroReceiptWindow *window = tesoro_receipt_window_new (self->session, receipts);

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (window));
}

/* A file name from a person's name, without characters file systems refuse. */
static char *
file_name_for (TesoroContact *contact,
               const char    *extension)
{
  g_autofree char *name = tesoro_contact_dup_best_name (contact);

  g_strdelimit (name, "/\\:*?\"<>|", '_');
  /* Translators: the file name of an Export Data file; %s is the person's name */
  return g_strdup_printf (_("%s - personal data.%s"), name, extension);
}

/* Save dialogs start in the Documents folder (or the home folder). */
static void
set_default_folder (GtkFileChooser *chooser)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GFile) folder = g_file_new_for_path (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR)
                                                 ? documents : g_get_home_dir ());

  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

/* Export Data */

static void
on_open_folder_cb (AdwToast *toast,
                   GFile    *folder)
{
  GtkWindow *window = GTK_WINDOW (g_object_get_data (G_OBJECT (toast), "window"));
  g_autofree char *uri = g_file_get_uri (folder);

  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

/**
 * _tesoro_window_export_data_to:
 *
 * Writes Export Data of the shown contact to @path (atomically, audited by
 * the core) and says so with a toast that opens the folder.
 */
void
_tesoro_window_export_data_to (TesoroWindow       *self,
                               const char         *path,
                               TesoroExportFormat  format)
{
  TesoroContact *contact = shown_contact (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (contact == NULL)
    return;

  if (!tesoro_session_export_data (self->session, tesoro_contact_get_id (contact), format, path, &error))
    {
      _tesoro_window_show_error (self, error->message);
      return;
    }

  name = g_markup_escape_text (tesoro_contact_get_display_name (contact), -1);
  /* Translators: %s is a person's name */
  title = g_strdup_printf (_("Exported all data of “%s”"), name);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Open Folder"));
  g_object_set_data (G_OBJECT (toast), "window", self);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_open_folder_cb),
                         g_file_get_parent (file), (GClosureNotify) g_object_unref, 0);
  _tesoro_window_show_toast (self, toast);
}

static void
on_export_data_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            TesoroWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "format");
      TesoroExportFormat format = g_strcmp0 (choice, "json") == 0 ? TESORO_EXPORT_FORMAT_JSON
                                                                    : TESORO_EXPORT_FORMAT_CSV;

      /* A name typed with the other extension decides the format. */
      if (g_str_has_suffix (path, ".json"))
        format = TESORO_EXPORT_FORMAT_JSON;
      else if (g_str_has_suffix (path, ".csv"))
        format = TESORO_EXPORT_FORMAT_CSV;

      _tesoro_window_export_data_to (self, path, format);
    }

  g_object_unref (dialog);
}

static void
export_data_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  TesoroContact *contact = shown_contact (self);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *file_name = NULL;
  const char *choice_ids[] = { "csv", "json", NULL };
  const char *choice_labels[] = { _("CSV, for spreadsheets"), _("JSON, machine-readable"), NULL };

  if (contact == NULL)
    return;

  name = tesoro_contact_dup_best_name (contact);
  /* Translators: %s is a person's name */
  title = g_strdup_printf (_("Export Data of “%s”"), name);
  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);

  gtk_file_filter_set_name (csv, _("CSV (comma-separated values)"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_set_name (json, _("JSON"));
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), json);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "format", _("Format"),
                               (const char **) choice_ids, (const char **) choice_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "format", "csv");

  set_default_folder (GTK_FILE_CHOOSER (dialog));
  file_name = file_name_for (contact, "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), file_name);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_data_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Delete Contact */

static void
erase_contact (TesoroWindow *self,
               gint64        id,
               const char   *reason)
{
  g_autoptr(TesoroErasureReceipt) receipt = NULL;
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (!tesoro_session_erase_contact (self->session, id, reason, TESORO_ERASURE_MANUAL, &receipt, &error))
    {
      _tesoro_window_show_error (self, error->message);
      return;
    }

  g_ptr_array_add (receipts, g_steal_pointer (&receipt));
  _tesoro_window_show_receipts (self, receipts);
}

/* Shows, under the reason, what the receipt will keep of it when that is
 * not what was written: the parts cut out because they identify the
 * person are marked. */
static void
on_erase_reason_changed_cb (GtkEditable  *entry,
                            TesoroWindow *self)
{
  GtkLabel *preview = g_object_get_data (G_OBJECT (entry), "preview");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (entry), "contact-id"));
  const char *reason = gtk_editable_get_text (entry);
  g_autofree char *kept = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *marked = NULL;
  g_autofree char *markup = NULL;
  g_auto(GStrv) parts = NULL;

  g_assert (GTK_IS_EDITABLE (entry));
  g_assert (TESORO_IS_WINDOW (self));

  kept = tesoro_session_preview_erasure_reason (self->session, id, reason, NULL);
  if (kept == NULL || g_str_equal (kept, reason))
    {
      gtk_widget_set_visible (GTK_WIDGET (preview), FALSE);
      return;
    }

  escaped = g_markup_escape_text (kept, -1);
  parts = g_strsplit (escaped, "[…]", -1);
  marked = g_strjoinv ("<b>[…]</b>", parts);
  /* Translators: %s is the reason of an erasure as the receipt keeps it,
   * with the parts that name the person replaced by […] */
  markup = g_strdup_printf (_("The receipt keeps: %s"), marked);
  gtk_label_set_markup (preview, markup);
  gtk_widget_set_visible (GTK_WIDGET (preview), TRUE);
}

static void
on_confirm_erase_response_cb (AdwMessageDialog *dialog,
                              const char       *response,
                              TesoroWindow     *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "contact-id"));
  GtkWidget *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");

  if (g_str_equal (response, "delete"))
    erase_contact (self, id, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/**
 * _tesoro_window_confirm_erase:
 *
 * The second, final confirmation of a permanent deletion: it says that it
 * cannot be undone and what goes with the contact.
 */
AdwMessageDialog *
_tesoro_window_confirm_erase (TesoroWindow  *self,
                              TesoroContact *contact)
{
  TesoroLinkedCounts counts = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *name = tesoro_contact_dup_best_name (contact);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *linked = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;
  GtkWidget *preview;
  GtkWidget *box;

  if (!tesoro_session_count_linked (self->session, tesoro_contact_get_id (contact), &counts, &error))
    {
      _tesoro_window_show_error (self, error->message);
      return NULL;
    }

  linked = tesoro_linked_counts_describe (&counts);
  /* Translators: %s is a person's name */
  heading = g_strdup_printf (_("Delete “%s” Permanently?"), name);
  body = g_strdup_printf (_("This cannot be undone. The contact is erased from the database and the search index, "
                            "with everything linked to it: %s.\n\n"
                            "A receipt without personal data records the erasure."),
                          linked);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (optional, without personal data)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for the erasure"), -1);
  /* What the receipt will keep of the reason, as it is written. */
  preview = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (preview), TRUE);
  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_widget_add_css_class (preview, "dim-label");
  gtk_widget_set_visible (preview, FALSE);
  g_object_set_data (G_OBJECT (entry), "preview", preview);
  g_object_set_data (G_OBJECT (entry), "contact-id", GSIZE_TO_POINTER (tesoro_contact_get_id (contact)));
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_erase_reason_changed_cb), self, 0);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), preview);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete Permanently"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "contact-id", GSIZE_TO_POINTER (tesoro_contact_get_id (contact)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_erase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return ADW_MESSAGE_DIALOG (dialog);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TesoroWindow     *self)
{
  TesoroContact *contact = shown_contact (self);

  if (contact == NULL)
    return;

  if (g_str_equal (response, "trash"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.trash-selection", NULL);
  else if (g_str_equal (response, "delete"))
    _tesoro_window_confirm_erase (self, contact);
}

static void
delete_contact_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  TesoroContact *contact = shown_contact (self);
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  gboolean trashed;
  GtkWidget *dialog;

  if (contact == NULL)
    return;

  /* In the trash, the only step left is the permanent one. */
  trashed = tesoro_contact_get_trashed_at (contact) != NULL;
  if (trashed)
    {
      _tesoro_window_confirm_erase (self, contact);
      return;
    }

  name = tesoro_contact_dup_best_name (contact);
  /* Translators: %s is a person's name */
  heading = g_strdup_printf (_("Delete “%s”?"), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Move to Trash keeps the contact recoverable until the trash is emptied.\n\n"
                                     "Delete Permanently erases the contact and everything linked to it, for good: "
                                     "use it to answer a request for erasure."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "trash", _("_Move to Trash"),
                                    "delete", _("Delete _Permanently…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "trash");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
empty_trash_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TesoroWindow *self = TESORO_WINDOW (object);
  g_autoptr(GError) error = NULL;
  TesoroWindowJob *job;
  gboolean ok = _tesoro_window_job_finish (result, &job, &error);

  _tesoro_window_reload_lists (self);

  if (!ok)
    {
      if (!tesoro_worker_is_cancelled (error))
        _tesoro_window_show_error (self, error->message);
      else
        _tesoro_window_show_toast (self, adw_toast_new (_("Emptying the trash was cancelled")));
      return;
    }

  if (job->receipts != NULL && job->receipts->len > 0)
    _tesoro_window_show_receipts (self, job->receipts);
}

static void
on_empty_trash_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            TesoroWindow     *self)
{
  if (g_str_equal (response, "empty"))
    _tesoro_window_job_start (self, _tesoro_window_job_new (self, TESORO_JOB_EMPTY_TRASH), empty_trash_done_cb);
}

static void
empty_trash_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  gint64 n = tesoro_session_count_contacts (self->session, TRUE, NULL);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (n <= 0)
    return;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u contact in the trash will be deleted permanently, with everything "
                                       "linked to it. This cannot be undone.",
                                       "%u contacts in the trash will be deleted permanently, with everything "
                                       "linked to them. This cannot be undone.", (gulong) n),
                          (guint) n);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Empty the Trash?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "empty", _("_Empty Trash"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "empty", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_empty_trash_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Marketing list */

static void
marketing_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TesoroWindow *self = TESORO_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  TesoroWindowJob *job;

  if (!_tesoro_window_job_finish (result, &job, &error))
    {
      if (!tesoro_worker_is_cancelled (error))
        _tesoro_window_show_error (self, error->message);
      return;
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Exported %u contact who agreed to marketing e-mail",
                                        "Exported %u contacts who agreed to marketing e-mail", job->n_exported),
                           job->n_exported);
  _tesoro_window_show_toast (self, adw_toast_new (title));
}

/**
 * _tesoro_window_export_marketing_to:
 *
 * Writes the marketing list (purpose limitation: only granted consent, not
 * restricted) in a worker thread.
 */
void
_tesoro_window_export_marketing_to (TesoroWindow *self,
                                    const char   *path)
{
  TesoroWindowJob *job = _tesoro_window_job_new (self, TESORO_JOB_MARKETING);

  job->output = g_strdup (path);
  _tesoro_window_job_start (self, job, marketing_done_cb);
}

static void
on_export_marketing_response_cb (GtkNativeDialog *dialog,
                                 int              response,
                                 TesoroWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      _tesoro_window_export_marketing_to (self, path);
    }

  g_object_unref (dialog);
}

static void
export_marketing_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Export Marketing List"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (csv, _("CSV (comma-separated values)"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), csv);
  set_default_folder (GTK_FILE_CHOOSER (dialog));
  /* Translators: a file name */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("marketing list.csv"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_marketing_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Receipts and the audit log */

static void
show_receipts_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  _tesoro_window_show_receipts (TESORO_WINDOW (widget), NULL);
}

static void
show_audit_log_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  TesoroAuditWindow *window = tesoro_audit_window_new (self->session);

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (window));
}

/* The privacy office's windows stand over the main window. */
static void
present_over (TesoroWindow *self,
              gpointer      window)
{
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (window));
}

/* Privacy requests */

static TesoroRequestsWindow *
present_requests (TesoroWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  TesoroRequestsWindow *window = NULL;

  /* One Requests window per main window. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && window == NULL; i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (TESORO_IS_REQUESTS_WINDOW (toplevel) &&
          gtk_window_get_transient_for (GTK_WINDOW (toplevel)) == GTK_WINDOW (self))
        window = TESORO_REQUESTS_WINDOW (toplevel);
    }

  if (window == NULL)
    window = tesoro_requests_window_new (self->session);
  present_over (self, window);
  return window;
}

static void
show_requests_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  present_requests (TESORO_WINDOW (widget));
}

static void
new_request_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  TesoroContact *contact = shown_contact (self);

  tesoro_requests_window_new_request (present_requests (self), contact != NULL ? tesoro_contact_get_id (contact) : 0);
}

/**
 * _tesoro_window_announce_due_requests:
 *
 * At start-up (and after signing in), a toast says when privacy requests
 * are overdue or due within a week — only to who may handle them.
 */
void
_tesoro_window_announce_due_requests (TesoroWindow *self)
{
  g_autofree char *title = NULL;
  AdwToast *toast;
  guint due;

  if (self->session == NULL || !_tesoro_window_can (self, TESORO_PERMISSION_REQUESTS))
    return;
  due = tesoro_session_count_requests_due (self->session, 7, NULL, NULL);
  if (due == 0)
    return;

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u privacy request is due within 7 days",
                                        "%u privacy requests are due within 7 days",
                                        due),
                           due);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("Show _Requests"));
  adw_toast_set_action_name (toast, "win.show-requests");
  _tesoro_window_show_toast (self, toast);
}

/* The register of processing */

static void
show_register_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);

  present_over (self, tesoro_register_window_new (self->session));
}

/* The breach log */

static void
show_breaches_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);

  present_over (self, tesoro_breach_window_new (self->session));
}

/* Housekeeping: expired trash and, when enabled, the retention period. */

static void
on_show_housekeeping_receipts_cb (AdwToast  *toast,
                                  GPtrArray *receipts)
{
  TesoroWindow *self = g_object_get_data (G_OBJECT (toast), "window");

  if (self != NULL)
    _tesoro_window_show_receipts (self, receipts);
}

static void
housekeeping_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TesoroWindow *self = TESORO_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  TesoroWindowJob *job;
  AdwToast *toast;
  guint requests = 0, contacts;

  self->housekeeping_running = FALSE;

  if (!_tesoro_window_job_finish (result, &job, &error))
    {
      g_warning ("Housekeeping failed: %s", error->message);
      if (!g_error_matches (error, TESORO_ERROR, TESORO_ERROR_BUSY))
        _tesoro_window_show_error (self, error->message);
      return;
    }

  if (job->receipts == NULL || job->receipts->len == 0)
    return;

  _tesoro_window_reload_lists (self);

  for (guint i = 0; i < job->receipts->len; i++)
    requests += g_str_equal (tesoro_erasure_receipt_get_method (job->receipts->pdata[i]), "request-retention");
  contacts = job->receipts->len - requests;
  if (contacts > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u contact was deleted: its retention period or time in the trash had passed",
                                          "%u contacts were deleted: their retention period or time in the trash had passed",
                                          contacts),
                             contacts);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u closed privacy request was erased: its retention period had passed",
                                          "%u closed privacy requests were erased: their retention period had passed",
                                          requests),
                             requests);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("Show _Receipts"));
  g_object_set_data (G_OBJECT (toast), "window", self);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_show_housekeeping_receipts_cb),
                         g_ptr_array_ref (job->receipts), (GClosureNotify) g_ptr_array_unref, 0);
  _tesoro_window_show_toast (self, toast);
}

static gboolean
run_housekeeping_cb (gpointer user_data)
{
  TesoroWindow *self = user_data;

  if (self->housekeeping_running || !_tesoro_window_writable (self))
    return G_SOURCE_CONTINUE;

  self->housekeeping_running = TRUE;
  _tesoro_window_job_start (self, _tesoro_window_job_new (self, TESORO_JOB_HOUSEKEEPING), housekeeping_done_cb);

  return G_SOURCE_CONTINUE;
}

static gboolean
first_housekeeping_cb (gpointer user_data)
{
  TesoroWindow *self = user_data;

  run_housekeeping_cb (self);
  self->housekeeping_source = g_timeout_add_seconds_full (G_PRIORITY_LOW, HOUSEKEEPING_INTERVAL_SECONDS,
                                                          run_housekeeping_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

/**
 * tesoro_window_run_housekeeping:
 *
 * Applies trash expiry and retention now, as after the privacy settings
 * changed, instead of waiting for the daily run.
 */
void
tesoro_window_run_housekeeping (TesoroWindow *self)
{
  g_return_if_fail (TESORO_IS_WINDOW (self));

  if (self->session != NULL)
    run_housekeeping_cb (self);
}

/* Hooks for tesoro-window.c */

GMenuModel *
_tesoro_window_get_actions_menu (TesoroWindow *self)
{
  return gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (self->actions_button));
}

void
_tesoro_window_update_gdpr_actions (TesoroWindow *self)
{
  TesoroContact *contact = shown_contact (self);
  gboolean can_write = _tesoro_window_writable (self);
  gboolean export_data = contact != NULL && _tesoro_window_can (self, TESORO_PERMISSION_EXPORT_DATA);
  gboolean erase = contact != NULL && can_write && _tesoro_window_can (self, TESORO_PERMISSION_ERASE);

  /* What the role does not permit is not offered (the menus hide it). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-data", export_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-contact", erase);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.empty-trash",
                                 can_write && _tesoro_window_in_trash (self) && self->current != NULL &&
                                 _tesoro_window_can (self, TESORO_PERMISSION_ERASE) &&
                                 g_list_model_get_n_items (G_LIST_MODEL (self->current)) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-marketing",
                                 _tesoro_window_can (self, TESORO_PERMISSION_BULK_EXPORT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-receipts",
                                 _tesoro_window_can (self, TESORO_PERMISSION_RECEIPTS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-audit-log",
                                 _tesoro_window_can (self, TESORO_PERMISSION_AUDIT_LOG));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-requests",
                                 _tesoro_window_can (self, TESORO_PERMISSION_REQUESTS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-request",
                                 contact != NULL && _tesoro_window_can (self, TESORO_PERMISSION_REQUESTS));
  gtk_widget_set_visible (self->actions_button,
                          export_data || erase ||
                          (contact != NULL && _tesoro_window_can (self, TESORO_PERMISSION_REQUESTS)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-breaches",
                                 _tesoro_window_can (self, TESORO_PERMISSION_REQUESTS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-register",
                                 _tesoro_window_can (self, TESORO_PERMISSION_REQUESTS));
}

void
_tesoro_window_class_init_gdpr (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-data", NULL, export_data_activated);
  gtk_widget_class_install_action (widget_class, "win.delete-contact", NULL, delete_contact_activated);
  gtk_widget_class_install_action (widget_class, "win.empty-trash", NULL, empty_trash_activated);
  gtk_widget_class_install_action (widget_class, "win.export-marketing", NULL, export_marketing_activated);
  gtk_widget_class_install_action (widget_class, "win.show-receipts", NULL, show_receipts_activated);
  gtk_widget_class_install_action (widget_class, "win.show-audit-log", NULL, show_audit_log_activated);
  gtk_widget_class_install_action (widget_class, "win.show-requests", NULL, show_requests_activated);
  gtk_widget_class_install_action (widget_class, "win.new-request", NULL, new_request_activated);
  gtk_widget_class_install_action (widget_class, "win.show-breaches", NULL, show_breaches_activated);
  gtk_widget_class_install_action (widget_class, "win.show-register", NULL, show_register_activated);
}

void
_tesoro_window_init_gdpr (TesoroWindow *self)
{
  /* The first run waits until the window is up, so that start-up stays fast. */
  if (g_getenv ("TESORO_NO_HOUSEKEEPING") == NULL)
    self->housekeeping_source = g_timeout_add_seconds_full (G_PRIORITY_LOW, 2, first_housekeeping_cb, self, NULL);
}

void
_tesoro_window_dispose_gdpr (TesoroWindow *self)
{
  g_clear_handle_id (&self->housekeeping_source, g_source_remove);
}
