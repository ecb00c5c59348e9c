/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-receipt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-export-data.h"
#include "tesoro-receipt-window-private.h"
#include "tesoro-utils.h"

/*
 * Erasure receipts: right after a permanent deletion, the receipt(s) it
 * made; from the menu, every receipt the database keeps, newest first. A
 * receipt is the proof that a person's data was erased, and names the person
 * only by the random uid their record had, so it can be kept and sent on.
 */

struct _TesoroReceiptWindow
{
  AdwWindow             parent_instance;

  TesoroSession          *session;
  GListStore           *receipts;
  /* TRUE: the receipts of an erasure just made (Save saves them all);
   * FALSE: all receipts (Save saves the selected one). */
  gboolean              just_erased;
  char                 *text;
  GtkFileChooserNative *save_dialog;
  AdwToast             *last_toast;

  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkWidget            *sidebar;
  GtkListView          *list_view;
  GtkSingleSelection   *selection;
  GtkLabel             *text_label;
  AdwStatusPage        *error_page;
  GtkButton            *save_button;
};

G_DEFINE_FINAL_TYPE (TesoroReceiptWindow, tesoro_receipt_window, ADW_TYPE_WINDOW)

/* The receipts Save writes: all those of an erasure just made, or the one
 * selected in the list of all receipts. */
static GPtrArray *
receipts_to_save (TesoroReceiptWindow *self)
{
  GPtrArray *receipts = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->just_erased)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->receipts));

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (receipts, g_list_model_get_item (G_LIST_MODEL (self->receipts), i));
    }
  else
    {
      gpointer selected = gtk_single_selection_get_selected_item (self->selection);

      if (selected != NULL)
        g_ptr_array_add (receipts, g_object_ref (selected));
    }

  return receipts;
}

static void
update_state (TesoroReceiptWindow *self)
{
  TesoroErasureReceipt *selected = gtk_single_selection_get_selected_item (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->receipts));
  g_autoptr(GPtrArray) to_save = receipts_to_save (self);

  g_clear_pointer (&self->text, g_free);
  if (selected != NULL)
    self->text = tesoro_erasure_receipt_to_text (selected);
  gtk_label_set_label (self->text_label, self->text != NULL ? self->text : "");

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") != 0)
    gtk_stack_set_visible_child_name (self->stack, n > 0 ? "receipts" : "empty");
  /* One receipt needs no list to choose from. */
  gtk_widget_set_visible (self->sidebar, n > 1 || !self->just_erased);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "receipt.save", to_save->len > 0);
}

/* Saving */

/* Takes @toast; its title is markup, @message is not. */
static void
show_toast (TesoroReceiptWindow *self,
            AdwToast            *toast,
            const char          *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_set_title (toast, escaped);
  g_set_object (&self->last_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
is_json_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name != NULL ? g_utf8_strdown (name, -1) : NULL;

  return lower != NULL && g_str_has_suffix (lower, ".json");
}

static char *
receipts_to_json (GPtrArray *receipts)
{
  g_autoptr(JsonNode) root = NULL;

  if (receipts->len == 1)
    root = tesoro_erasure_receipt_to_json_node (receipts->pdata[0]);
  else
    {
      g_autoptr(JsonArray) array = json_array_sized_new (receipts->len);

      for (guint i = 0; i < receipts->len; i++)
        json_array_add_element (array, tesoro_erasure_receipt_to_json_node (receipts->pdata[i]));
      root = json_node_init_array (json_node_alloc (), array);
    }

  return tesoro_json_to_string (root, TRUE);
}

static char *
receipts_to_text (GPtrArray *receipts)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < receipts->len; i++)
    {
      g_autofree char *one = tesoro_erasure_receipt_to_text (receipts->pdata[i]);

      if (i > 0)
        g_string_append (text, "\n----------------------------------------\n\n");
      g_string_append (text, one);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Writes the receipt(s) Save would write to @file, atomically: a failed
 * write leaves an existing file as it was. A name ending in .json gets
 * JSON, any other plain text. */
static gboolean
write_receipts (TesoroReceiptWindow  *self,
                GFile                *file,
                GError              **error)
{
  g_autoptr(GPtrArray) receipts = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                   _("Cannot save to “%s”: choose a folder on this computer"), uri);
      return FALSE;
    }

  receipts = receipts_to_save (self);
  if (receipts->len == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("There is no receipt to save"));
      return FALSE;
    }

  contents = is_json_file (file) ? receipts_to_json (receipts) : receipts_to_text (receipts);

  return tesoro_write_file_atomically (path, contents, strlen (contents), error);
}

/**
 * _tesoro_receipt_window_save_to_file:
 * @file: where to save; a name ending in .json gets JSON, any other text
 *
 * What Save does once a file is chosen: writes the receipt(s) and says so
 * in a toast (with Open Folder), or shows what went wrong.
 *
 * Returns: whether the file was written
 */
gboolean
_tesoro_receipt_window_save_to_file (TesoroReceiptWindow  *self,
                                     GFile                *file,
                                     GError              **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_val_if_fail (TESORO_IS_RECEIPT_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!write_receipts (self, file, &local_error))
    {
      toast = adw_toast_new ("");
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_timeout (toast, 0);
      show_toast (self, toast, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  title = g_strdup_printf (_("Saved as “%s”"), name);
  toast = adw_toast_new ("");
  folder = g_file_get_parent (file);
  if (folder != NULL)
    {
      g_autofree char *folder_uri = g_file_get_uri (folder);

      adw_toast_set_button_label (toast, _("_Open Folder"));
      adw_toast_set_action_name (toast, "receipt.open-folder");
      adw_toast_set_action_target_value (toast, g_variant_new_string (folder_uri));
    }
  show_toast (self, toast, title);

  return TRUE;
}

static void
on_save_response_cb (GtkNativeDialog     *dialog,
                     int                  response,
                     TesoroReceiptWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      /* A failure is shown in a toast. */
      if (file != NULL)
        _tesoro_receipt_window_save_to_file (self, file, &error);
    }

  g_clear_object (&self->save_dialog);
}

static char *
suggested_file_name (TesoroReceiptWindow *self)
{
  g_autoptr(GPtrArray) receipts = receipts_to_save (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  if (receipts->len == 1)
    return g_strdup_printf ("erasure-receipt-%s.txt",
                            tesoro_erasure_receipt_get_contact_uid (receipts->pdata[0]));

  /* Translators: the name of a saved file; %s is today's date (2024-03-01) */
  return g_strdup_printf (_("erasure-receipts-%s.txt"), today);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroReceiptWindow *self = TESORO_RECEIPT_WINDOW (widget);
  g_autoptr(GtkFileFilter) text_filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) json_filter = gtk_file_filter_new ();
  g_autofree char *name = suggested_file_name (self);
  g_autoptr(GPtrArray) receipts = receipts_to_save (self);

  if (self->save_dialog != NULL || receipts->len == 0)
    return;

  gtk_file_filter_set_name (text_filter, _("Text"));
  gtk_file_filter_add_mime_type (text_filter, "text/plain");
  gtk_file_filter_add_suffix (text_filter, "txt");
  gtk_file_filter_set_name (json_filter, _("JSON"));
  gtk_file_filter_add_mime_type (json_filter, "application/json");
  gtk_file_filter_add_suffix (json_filter, "json");

  self->save_dialog = gtk_file_chooser_native_new (receipts->len > 1 ? _("Save Receipts") : _("Save Receipt"),
                                                   GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                                   _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->save_dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->save_dialog), text_filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->save_dialog), json_filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_dialog), name);
  g_signal_connect (self->save_dialog, "response", G_CALLBACK (on_save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_dialog));
}

static void
open_folder_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

/* Template callbacks */

static char *
receipt_row_subtitle (GtkListItem *item,
                      const char  *erased_at,
                      const char  *method)
{
  g_autofree char *when = tesoro_format_timestamp_local (erased_at);

  /* Translators: a receipt in the list: when · how ("3 Mar 2024, 14:05 · Retention period") */
  return g_strdup_printf (_("%s · %s"), when, tesoro_erasure_method_get_label (method));
}

static void
on_selected_item_changed_cb (TesoroReceiptWindow *self)
{
  update_state (self);
}

/* GObject */

static void
tesoro_receipt_window_dispose (GObject *object)
{
  TesoroReceiptWindow *self = (TesoroReceiptWindow *) object;

  if (self->save_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->save_dialog, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_dialog));
      g_clear_object (&self->save_dialog);
    }
  g_clear_object (&self->last_toast);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_RECEIPT_WINDOW);
  g_clear_object (&self->receipts);

  G_OBJECT_CLASS (tesoro_receipt_window_parent_class)->dispose (object);
}

static void
tesoro_receipt_window_finalize (GObject *object)
{
  TesoroReceiptWindow *self = (TesoroReceiptWindow *) object;

  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (tesoro_receipt_window_parent_class)->finalize (object);
}

static void
tesoro_receipt_window_class_init (TesoroReceiptWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_receipt_window_dispose;
  object_class->finalize = tesoro_receipt_window_finalize;

  g_type_ensure (TESORO_TYPE_ERASURE_RECEIPT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-receipt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, text_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TesoroReceiptWindow, save_button);
  gtk_widget_class_bind_template_callback (widget_class, receipt_row_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_item_changed_cb);

  gtk_widget_class_install_action (widget_class, "receipt.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "receipt.open-folder", "s", open_folder_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "receipt.save", NULL);
}

static void
tesoro_receipt_window_init (TesoroReceiptWindow *self)
{
  self->receipts = g_list_store_new (TESORO_TYPE_ERASURE_RECEIPT);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->receipts));
}

/**
 * tesoro_receipt_window_new:
 * @session: the session the receipts come from
 * @receipts: (nullable) (element-type TesoroErasureReceipt): the receipts of
 *   an erasure just made, to show them; %NULL to list every receipt of @session
 *
 * Returns: (transfer none): a new window, not yet shown
 */
TesoroReceiptWindow *
tesoro_receipt_window_new (TesoroSession *session,
                           GPtrArray   *receipts)
{
  TesoroReceiptWindow *self;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  guint n;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_RECEIPT_WINDOW, NULL);
  self->session = g_object_ref (session);
  self->just_erased = receipts != NULL;

  if (receipts == NULL)
    {
      receipts = all = tesoro_session_list_erasure_receipts (session, &error);
      if (all == NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (error->message, -1);

          /* The description is markup. */
          adw_status_page_set_description (self->error_page, escaped);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
    }

  if (receipts != NULL)
    g_list_store_splice (self->receipts, 0, 0, receipts->pdata, receipts->len);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->receipts));

  if (self->just_erased)
    {
      title = n == 1 ? g_strdup (_("Contact Erased"))
                     : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Contact Erased", "%u Contacts Erased", n), n);
      /* Save saves them all. */
      subtitle = g_strdup (n > 1 ? _("Erasure receipts") : _("Erasure receipt"));
      gtk_button_set_label (self->save_button, n > 1 ? _("_Save Receipts…") : _("_Save Receipt…"));
    }
  else
    {
      title = g_strdup (_("Erasure Receipts"));
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u receipt", "%u receipts", n), n);
    }

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  update_state (self);

  return self;
}

/* For the tests */

GListModel *
_tesoro_receipt_window_get_receipts (TesoroReceiptWindow *self)
{
  g_return_val_if_fail (TESORO_IS_RECEIPT_WINDOW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

const char *
_tesoro_receipt_window_get_text (TesoroReceiptWindow *self)
{
  g_return_val_if_fail (TESORO_IS_RECEIPT_WINDOW (self), NULL);
  return gtk_label_get_label (self->text_label);
}

AdwToast *
_tesoro_receipt_window_get_last_toast (TesoroReceiptWindow *self)
{
  g_return_val_if_fail (TESORO_IS_RECEIPT_WINDOW (self), NULL);
  return self->last_toast;
}
