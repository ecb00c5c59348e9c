/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-window"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tesoro-contact-editor.h"
#include "tesoro-contact-row.h"
#include "tesoro-import-window.h"
#include "tesoro-window-private.h"

/*
 * The main window: the contact list (or the trash) on the left, the selected
 * contact on the right; one pane when narrow.
 */

#define SAMPLE_COUNT 300


G_DEFINE_FINAL_TYPE (TesoroWindow, tesoro_window, ADW_TYPE_APPLICATION_WINDOW)

/* Helpers */

gboolean
_tesoro_window_in_trash (TesoroWindow *self)
{
  return self->current != NULL && self->current == self->trash;
}

gboolean
_tesoro_window_writable (TesoroWindow *self)
{
  return self->session != NULL && !tesoro_session_is_read_only (self->session);
}

/* Whether the signed-in user's role permits @permission. */
gboolean
_tesoro_window_can (TesoroWindow     *self,
                    TesoroPermission  permission)
{
  return self->session != NULL && tesoro_session_can (self->session, permission);
}

/* How many contacts are selected, without listing them (Ctrl+A selects a
 * million). */
guint
_tesoro_window_n_selected (TesoroWindow *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  if (self->selection == NULL)
    return 0;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  return (guint) MIN (gtk_bitset_get_size (selected), G_MAXUINT);
}

/* The id of the one selected contact, or 0 when none or several are. */
static gint64
single_selected_id (TesoroWindow *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  if (self->selection == NULL)
    return 0;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_get_size (selected) != 1)
    return 0;
  return tesoro_contact_list_get_id (self->current, gtk_bitset_get_minimum (selected));
}

/* The ids of the selected contacts, in list order. */
GArray *
_tesoro_window_selected_ids (TesoroWindow *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return ids;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      gint64 id = tesoro_contact_list_get_id (self->current, position);
      if (id > 0)
        g_array_append_val (ids, id);
    }

  return ids;
}

/* Sample data is for trying Tesoro out: offered only while the database has
 * no contacts (and in the empty state's page). */
static void
update_sample_data_action (TesoroWindow *self)
{
  gboolean import = _tesoro_window_writable (self) && _tesoro_window_can (self, TESORO_PERMISSION_IMPORT);
  gboolean empty = self->contacts == NULL || tesoro_contact_list_get_total (self->contacts) == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-sample-data", import && empty && !self->loading_samples);
}

void
_tesoro_window_update_actions (TesoroWindow *self)
{
  gboolean edit = _tesoro_window_writable (self) && _tesoro_window_can (self, TESORO_PERMISSION_EDIT);
  gboolean import = _tesoro_window_writable (self) && _tesoro_window_can (self, TESORO_PERMISSION_IMPORT);
  gboolean notes = _tesoro_window_can (self, TESORO_PERMISSION_HISTORY) &&
                   tesoro_session_get_access (self->session, TESORO_FIELDS_NOTES) == TESORO_ACCESS_WRITE;
  guint n = _tesoro_window_n_selected (self);
  TesoroContact *shown = tesoro_contact_pane_get_contact (self->contact_pane);
  gboolean shown_editable = self->session != NULL && tesoro_session_may_edit (self->session, shown);
  g_autoptr(GError) denied = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-contact", edit && !_tesoro_window_in_trash (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-contact", edit && shown_editable && n == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.trash-selection", edit && n > 0 && !_tesoro_window_in_trash (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-selection", edit && n > 0 && _tesoro_window_in_trash (self));
  update_sample_data_action (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-note", notes && shown_editable && n == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", import && !_tesoro_window_in_trash (self));

  /* A button the role makes insensitive says why. */
  if (self->session != NULL && !tesoro_session_require (self->session, TESORO_PERMISSION_EDIT, &denied))
    gtk_widget_set_tooltip_text (self->edit_button, denied->message);
  else
    gtk_widget_set_tooltip_text (self->edit_button, _("Edit Contact (Ctrl+E)"));

  gtk_widget_set_visible (self->edit_button, !_tesoro_window_in_trash (self));
  gtk_widget_set_visible (self->restore_button, _tesoro_window_in_trash (self));
  gtk_widget_set_visible (self->empty_trash_button, _tesoro_window_in_trash (self));

  _tesoro_window_update_gdpr_actions (self);
  _tesoro_window_update_batch_actions (self);
}

void
_tesoro_window_update_list_state (TesoroWindow *self)
{
  g_autofree char *count = NULL;
  guint shown, total;
  const char *query;
  const char *page;

  update_sample_data_action (self);
  if (self->current == NULL)
    return;

  shown = g_list_model_get_n_items (G_LIST_MODEL (self->current));
  total = tesoro_contact_list_get_total (self->current);
  query = tesoro_contact_list_get_query (self->current);

  if (shown > 0)
    page = "list";
  else if (query != NULL)
    page = "no-results";
  else
    page = _tesoro_window_in_trash (self) ? "empty-trash" : "empty";
  gtk_stack_set_visible_child_name (self->list_stack, page);

  if (_tesoro_window_in_trash (self))
    count = query != NULL
      ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u contact in the trash", "%u of %u contacts in the trash", total), shown, total)
      : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact in the trash", "%u contacts in the trash", total), total);
  else
    count = query != NULL
      ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u contact", "%u of %u contacts", total), shown, total)
      : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact", "%u contacts", total), total);
  gtk_label_set_label (self->count_label, count);
}

void
_tesoro_window_show_contact (TesoroWindow *self,
                             gint64        id)
{
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GError) error = NULL;

  self->shown_id = id;

  if (id > 0)
    {
      contact = tesoro_session_get_contact (self->session, id, &error);
      if (contact == NULL)
        g_warning ("Cannot load contact %" G_GINT64_FORMAT ": %s", id, error->message);
    }

  tesoro_contact_pane_set_contact (self->contact_pane, contact);

  if (contact != NULL)
    {
      g_autofree char *name = tesoro_contact_dup_best_name (contact);

      adw_view_switcher_title_set_title (self->switcher_title, name);
      adw_view_switcher_title_set_subtitle (self->switcher_title, tesoro_contact_get_organization (contact));
      adw_view_switcher_title_set_stack (self->switcher_title, tesoro_contact_pane_get_stack (self->contact_pane));
      adw_view_switcher_bar_set_stack (self->switcher_bar, tesoro_contact_pane_get_stack (self->contact_pane));
      gtk_stack_set_visible_child_name (self->content_stack, "contact");
    }
  else
    {
      guint n = _tesoro_window_n_selected (self);

      adw_view_switcher_title_set_title (self->switcher_title, _("Tesoro"));
      adw_view_switcher_title_set_subtitle (self->switcher_title, "");
      adw_view_switcher_title_set_stack (self->switcher_title, NULL);
      adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);

      if (n > 1)
        {
          g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Contact Selected",
                                                                 "%u Contacts Selected", n), n);
          adw_status_page_set_title (self->none_page, title);
          adw_status_page_set_description (self->none_page, NULL);
        }
      else
        {
          adw_status_page_set_title (self->none_page, _("No Contact Selected"));
          adw_status_page_set_description (self->none_page, _("Select a contact to see its details and history."));
        }
      gtk_stack_set_visible_child_name (self->content_stack, "none");
    }

  _tesoro_window_update_actions (self);
}

static void
on_selection_changed_cb (TesoroWindow   *self,
                         guint           position,
                         guint           n_items,
                         GtkSelectionModel *model)
{
  gint64 id = single_selected_id (self);

  if (id != self->shown_id || id == 0)
    _tesoro_window_show_contact (self, id);
  else
    _tesoro_window_update_actions (self);
}

static void
on_items_changed_cb (TesoroWindow *self,
                     guint         position,
                     guint         removed,
                     guint         added,
                     GListModel   *model)
{
  gint64 id;

  _tesoro_window_update_list_state (self);

  /* A selection model drops the selection of an item the list replaces
   * (a contact that was edited, possibly moving to another place): keep
   * showing it. It does not announce that selected items went away either
   * (a contact moved to the trash): then look again at what is selected. */
  id = single_selected_id (self);
  if (_tesoro_window_n_selected (self) == 0 && self->shown_id > 0)
    {
      guint shown_position = tesoro_contact_list_find (self->current, self->shown_id);

      if (shown_position != G_MAXUINT)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), shown_position, TRUE);
          return;
        }
    }
  if (id != self->shown_id)
    _tesoro_window_show_contact (self, id);
}

static void
set_current_list (TesoroWindow      *self,
                  TesoroContactList *list)
{
  g_autofree char *query = NULL;

  if (self->current != NULL)
    query = g_strdup (tesoro_contact_list_get_query (self->current));
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->selection, on_selection_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->selection, on_items_changed_cb, self);
    }

  self->current = list;
  tesoro_contact_list_set_query (list, query);

  g_clear_object (&self->selection);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (list)));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (on_selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  adw_window_title_set_title (self->sidebar_title, _tesoro_window_in_trash (self) ? _("Trash") : _("Contacts"));
  _tesoro_window_show_contact (self, 0);
  _tesoro_window_update_list_state (self);
}

static void
on_contact_changed_cb (TesoroSession  *session,
                       gint64        id,
                       int           change,
                       TesoroWindow *self)
{
  g_assert (TESORO_IS_WINDOW (self));

  /* The list models follow the session themselves; the pane shows a loaded
   * copy of the contact, which must be read again. */
  if (change == TESORO_CHANGE_RESET || (id == self->shown_id && id > 0))
    {
      if (self->shown_id > 0 && (change == TESORO_CHANGE_UPDATED || change == TESORO_CHANGE_RESET))
        _tesoro_window_show_contact (self, self->shown_id);
    }

  _tesoro_window_update_list_state (self);
}

/* Toasts */

static void
on_toast_dismissed_cb (TesoroWindow *self,
                       AdwToast     *toast)
{
  if (self->last_toast == toast)
    g_clear_object (&self->last_toast);
}

void
_tesoro_window_show_toast (TesoroWindow *self,
                           AdwToast     *toast)
{
  g_set_object (&self->last_toast, toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_tesoro_window_show_error (TesoroWindow *self,
                           const char   *message)
{
  /* Toast titles are markup; messages may quote what the user typed. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  _tesoro_window_show_toast (self, toast);
}

/* Signal callbacks */

/* A large change of the list, such as a search, from the top: show the new
 * rows from the top before the old ones go. The list view then gives the
 * widgets of the rows that go to the rows that come, instead of destroying
 * about 200 rows and making new ones (see replace_ids() in
 * tesoro-contact-list.c). A change further down leaves the top rows as they
 * are. */
static void
on_list_replacing_cb (TesoroWindow      *self,
                      guint              position,
                      guint              n_new,
                      guint              n_old,
                      TesoroContactList *list)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (list));

  if (list != self->current || position > 0)
    return;

  if (n_new > 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
      return;
    }

  /* Only old rows go: show the first row after them. The list view aligns an
   * item below what it shows with its bottom edge and one above with its top
   * edge, so come from below. (For a few rows, leave it to the list view.) */
  if (n_old < 32 || n_old >= n_items)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n_items - 1);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n_old);
}

static void
on_search_changed_cb (TesoroWindow   *self,
                      GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (self->current == NULL)
    return;

  tesoro_contact_list_set_query (self->current, text);
  _tesoro_window_update_list_state (self);
}

static void
on_search_activate_cb (TesoroWindow   *self,
                       GtkSearchEntry *entry)
{
  /* Enter opens the first match. */
  if (self->selection != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->current)) > 0)
    {
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), 0, TRUE);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
    }
}

static void
on_search_stopped_cb (TesoroWindow   *self,
                      GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
on_list_activated_cb (TesoroWindow *self,
                      guint         position,
                      GtkListView  *list_view)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_leaflet_folded_cb (TesoroWindow *self)
{
  /* Selecting a row in the one-pane layout shows the contact. */
  if (adw_leaflet_get_folded (self->leaflet) && self->shown_id == 0)
    adw_leaflet_set_visible_child (self->leaflet, gtk_widget_get_first_child (GTK_WIDGET (self->leaflet)));
}

static void
on_editor_saved_cb (TesoroWindow *self,
                    gint64        id)
{
  if (_tesoro_window_in_trash (self))
    return;
  _tesoro_window_select_contact (self, id);
}

/* Actions */

static void
new_contact_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  TesoroContactEditor *editor = tesoro_contact_editor_new (self->session, NULL);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
edit_contact_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  TesoroContact *contact = tesoro_contact_pane_get_contact (self->contact_pane);
  TesoroContactEditor *editor;

  if (contact == NULL)
    return;

  editor = tesoro_contact_editor_new (self->session, contact);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (editor));
}

typedef struct
{
  TesoroWindow *window;
  GArray       *ids;
} UndoData;

static void
undo_data_free (UndoData *data)
{
  g_clear_weak_pointer (&data->window);
  g_array_unref (data->ids);
  g_free (data);
}

static void
on_undo_trash_cb (AdwToast *toast,
                  UndoData *data)
{
  g_autoptr(GError) error = NULL;

  if (data->window == NULL)
    return;

  for (guint i = 0; i < data->ids->len; i++)
    if (!tesoro_session_restore_contact (data->window->session, g_array_index (data->ids, gint64, i), &error))
      {
        _tesoro_window_show_error (data->window, error->message);
        return;
      }

  if (data->ids->len == 1 && !_tesoro_window_in_trash (data->window))
    _tesoro_window_select_contact (data->window, g_array_index (data->ids, gint64, 0));
}

static void
trash_selection_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  g_autoptr(GArray) ids = _tesoro_window_selected_ids (self);
  g_autoptr(GArray) trashed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *title = NULL;
  UndoData *undo;
  AdwToast *toast;

  if (ids->len == 0)
    return;

  /* Many contacts go as one batch, with one Undo. */
  if (ids->len > 1)
    {
      _tesoro_window_run_batch (self, TESORO_BATCH_TRASH, NULL, NULL);
      return;
    }

  if (ids->len == 1)
    {
      /* The name for the toast: the row's summary, not the whole history. */
      g_autoptr(GPtrArray) summaries = tesoro_session_load_summaries (self->session, (const gint64 *) ids->data, 1, NULL);

      first_name = summaries != NULL && summaries->len == 1 ? tesoro_contact_dup_best_name (summaries->pdata[0])
                                                             : g_strdup ("");
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (!tesoro_session_trash_contact (self->session, id, &error))
        {
          _tesoro_window_show_error (self, error->message);
          break;
        }
      g_array_append_val (trashed, id);
    }

  if (trashed->len == 0)
    return;

  if (trashed->len == 1 && first_name != NULL)
    {
      /* Toast titles are markup. */
      g_autofree char *escaped = g_markup_escape_text (first_name, -1);
      /* Translators: %s is a contact's name */
      title = g_strdup_printf (_("“%s” moved to the trash"), escaped);
    }
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact moved to the trash",
                                          "%u contacts moved to the trash", trashed->len), trashed->len);

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  undo = g_new0 (UndoData, 1);
  g_set_weak_pointer (&undo->window, self);
  undo->ids = g_array_ref (trashed);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_trash_cb), undo,
                         (GClosureNotify) undo_data_free, 0);
  _tesoro_window_show_toast (self, toast);
}

static void
restore_selection_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  g_autoptr(GArray) ids = _tesoro_window_selected_ids (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint restored = 0;

  for (guint i = 0; i < ids->len; i++)
    {
      if (!tesoro_session_restore_contact (self->session, g_array_index (ids, gint64, i), &error))
        {
          _tesoro_window_show_error (self, error->message);
          break;
        }
      restored++;
    }

  if (restored > 0)
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact restored",
                                            "%u contacts restored", restored), restored);
      _tesoro_window_show_toast (self, adw_toast_new (title));
    }
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_trash_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  gboolean show = !_tesoro_window_in_trash (self);

  if (show && self->trash == NULL)
    self->trash = tesoro_contact_list_new (self->session, TRUE);

  set_current_list (self, show ? self->trash : self->contacts);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->trash_button), show);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
go_back_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_toast_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_autofree char *escaped = g_markup_escape_text (g_variant_get_string (parameter, NULL), -1);

  _tesoro_window_show_toast (TESORO_WINDOW (widget), adw_toast_new (escaped));
}

static void
show_error_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  _tesoro_window_show_error (TESORO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
add_note_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->contact_pane), "contact.add-note", NULL);
}

static void
on_imported_cb (TesoroWindow *self,
                gint64        batch_id)
{
  /* The import ran on the wizard's worker connection. */
  _tesoro_window_reload_lists (self);
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  TesoroImportWindow *wizard = tesoro_import_window_choose_file (GTK_WINDOW (self), self->session);

  g_signal_connect_object (wizard, "imported", G_CALLBACK (on_imported_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (wizard, "undone", G_CALLBACK (on_imported_cb), self, G_CONNECT_SWAPPED);
}

/* Sample data is written by a worker thread on its own connection (WAL lets
 * the window keep reading meanwhile); the lists reload when it is done. */
static void
load_samples_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(TesoroSession) session = NULL;
  GError *error = NULL;

  session = tesoro_session_open (path, TESORO_SESSION_FLAGS_NONE, &error);
  if (session == NULL || !tesoro_session_generate_demo (session, SAMPLE_COUNT, g_random_int (), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * _tesoro_window_reload_lists:
 *
 * Reads the lists again after a worker thread (its own connection, whose
 * signals the window does not see) changed many contacts.
 */
void
_tesoro_window_reload_lists (TesoroWindow *self)
{
  if (self->contacts != NULL)
    tesoro_contact_list_reload (self->contacts);
  if (self->trash != NULL)
    tesoro_contact_list_reload (self->trash);
  _tesoro_window_update_list_state (self);
  if (self->shown_id > 0)
    _tesoro_window_show_contact (self, self->shown_id);
}

static void
load_samples_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TesoroWindow *self = TESORO_WINDOW (object);
  g_autoptr(GError) error = NULL;

  self->loading_samples = FALSE;
  _tesoro_window_update_actions (self);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _tesoro_window_show_error (self, error->message);
      return;
    }

  _tesoro_window_reload_lists (self);

  {
    g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u sample contact",
                                                           "Added %u sample contacts", SAMPLE_COUNT), SAMPLE_COUNT);
    _tesoro_window_show_toast (self, adw_toast_new (title));
  }
}

static void
load_sample_data_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);
  g_autoptr(GTask) task = NULL;

  if (self->loading_samples)
    return;

  self->loading_samples = TRUE;
  _tesoro_window_update_actions (self);

  task = g_task_new (self, NULL, load_samples_done_cb, NULL);
  g_task_set_source_tag (task, load_sample_data_activated);
  g_task_set_task_data (task, g_strdup (tesoro_session_get_path (self->session)), g_free);
  g_task_run_in_thread (task, load_samples_thread);
}

/* Benchmark report */

/*
 * With TESORO_BENCH_REPORT set in the environment, the window prints one line
 * to stdout after the first frame it has painted — with the contact list in
 * it, which tesoro_window_new() fills before the window is shown:
 *
 *   tesoro-bench: first-frame-ms=N monotonic-us=N rss-kb=N items=N rows=N
 *
 * first-frame-ms counts from the start of the process as the kernel records
 * it (to the clock tick, 10 ms); monotonic-us is g_get_monotonic_time() at
 * that moment, for a caller that noted when it spawned the process; items is
 * the length of the list and rows the number of row widgets drawn. With
 * TESORO_BENCH_QUIT set as well, the application then quits.
 * tests/bench-startup.c and tests/bench-memory.c read the line.
 */
static double
bench_ms_since_process_start (void)
{
  g_autofree char *stat = NULL;
  struct timespec now;
  const char *p;

  /* Field 22 of /proc/self/stat is the start time in clock ticks since boot;
   * field 2, the command, may hold spaces, so count from its closing ')'. */
  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      (p = strrchr (stat, ')')) == NULL)
    return -1;
  for (guint field = 2; field < 22 && p != NULL; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL || clock_gettime (CLOCK_BOOTTIME, &now) != 0)
    return -1;

  return (now.tv_sec + now.tv_nsec / 1e9 - g_ascii_strtod (p + 1, NULL) / sysconf (_SC_CLK_TCK)) * 1000.0;
}

static void
on_bench_after_paint_cb (GdkFrameClock *clock,
                         TesoroWindow  *self)
{
  g_autofree char *status = NULL;
  const char *rss = NULL;
  guint rows = 0;

  g_signal_handlers_disconnect_by_func (clock, on_bench_after_paint_cb, self);

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    rss = strstr (status, "VmRSS:");
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    rows += gtk_widget_get_mapped (row);

  g_print ("tesoro-bench: first-frame-ms=%.0f monotonic-us=%" G_GINT64_FORMAT " rss-kb=%ld items=%u rows=%u\n",
           bench_ms_since_process_start (), g_get_monotonic_time (),
           rss != NULL ? strtol (rss + strlen ("VmRSS:"), NULL, 10) : -1L,
           self->current != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->current)) : 0, rows);
  fflush (stdout);

  if (g_getenv ("TESORO_BENCH_QUIT") != NULL)
    g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

static void
on_bench_realized_cb (TesoroWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (on_bench_after_paint_cb), self, 0);
}

static void
setup_bench_report (TesoroWindow *self)
{
  if (g_getenv ("TESORO_BENCH_REPORT") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (on_bench_realized_cb), NULL);
}

/* Window state */

static void
save_window_state (TesoroWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
tesoro_window_close_request (GtkWindow *window)
{
  save_window_state (TESORO_WINDOW (window));

  return GTK_WINDOW_CLASS (tesoro_window_parent_class)->close_request (window);
}

/* GObject */

static void
tesoro_window_dispose (GObject *object)
{
  TesoroWindow *self = (TesoroWindow *) object;

  _tesoro_window_dispose_gdpr (self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  self->current = NULL;
  g_clear_object (&self->contacts);
  g_clear_object (&self->trash);
  g_clear_object (&self->last_toast);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_pointer (&self->locked_login, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_WINDOW);

  G_OBJECT_CLASS (tesoro_window_parent_class)->dispose (object);
}

static void
tesoro_window_class_init (TesoroWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tesoro_window_dispose;
  window_class->close_request = tesoro_window_close_request;

  g_type_ensure (TESORO_TYPE_CONTACT);
  g_type_ensure (TESORO_TYPE_CONTACT_ROW);
  g_type_ensure (TESORO_TYPE_CONTACT_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, read_only_revealer);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, trash_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, content);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, actions_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, restore_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, empty_trash_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, batch_edit_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, batch_export_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, batch_trash_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, batch_restore_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, batch_delete_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, none_page);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, contact_pane);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);

  gtk_widget_class_install_action (widget_class, "win.new-contact", NULL, new_contact_activated);
  gtk_widget_class_install_action (widget_class, "win.edit-contact", NULL, edit_contact_activated);
  gtk_widget_class_install_action (widget_class, "win.trash-selection", NULL, trash_selection_activated);
  gtk_widget_class_install_action (widget_class, "win.restore-selection", NULL, restore_selection_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.show-trash", NULL, show_trash_activated);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_activated);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_activated);
  gtk_widget_class_install_action (widget_class, "win.show-error", "s", show_error_activated);
  gtk_widget_class_install_action (widget_class, "win.add-note", NULL, add_note_activated);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "win.load-sample-data", NULL, load_sample_data_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.go-back", NULL);

  _tesoro_window_class_init_gdpr (widget_class);
  _tesoro_window_class_init_batch (widget_class);
  _tesoro_window_class_init_access (widget_class);
}

static void
tesoro_window_init (TesoroWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_str_has_suffix (APPLICATION_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* The window remembers its size, when the schema is installed. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.tesorocrm.Tesoro", TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new ("io.github.tesorocrm.Tesoro");
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);

  /* Typing anywhere starts a search: the search bar opens and takes the
   * focus, so that Enter then opens the first match. */
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_entry_set_search_delay (self->search_entry, 0);

  /* Delete moves the selection to the trash — only from the list, so that
   * the key still deletes text in entries. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                                          gtk_named_action_new ("win.trash-selection")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Delete, 0),
                                                          gtk_named_action_new ("win.trash-selection")));
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), shortcuts);

  setup_bench_report (self);
}

/* Public API */

/**
 * tesoro_window_new:
 * @session: (nullable): the open database, or %NULL when it could not be opened
 * @open_error: (nullable): why it could not be opened
 *
 * Returns: (transfer none): the main window
 */
TesoroWindow *
tesoro_window_new (TesoroApplication *application,
                   TesoroSession       *session,
                   const GError      *open_error)
{
  TesoroWindow *self;

  g_return_val_if_fail (TESORO_IS_APPLICATION (application), NULL);

  self = g_object_new (TESORO_TYPE_WINDOW, "application", application, NULL);

  if (session == NULL)
    {
      adw_status_page_set_description (self->error_page,
                                       open_error != NULL ? open_error->message : _("Unknown error"));
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      gtk_search_bar_set_key_capture_widget (self->search_bar, NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-contact", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-sample-data", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", FALSE);
      return self;
    }

  self->session = g_object_ref (session);
  tesoro_session_set_front_end (session, "gui");
  g_signal_connect_object (session, "contact-changed", G_CALLBACK (on_contact_changed_cb), self, 0);
  tesoro_contact_pane_set_session (self->contact_pane, session);

  if (tesoro_session_is_read_only (session))
    {
      g_autofree char *notice = g_strdup_printf (_("Opened read-only: “%s” cannot be written to, so changes cannot be saved."),
                                                 tesoro_session_get_path (session));
      gtk_label_set_label (self->read_only_label, notice);
      gtk_revealer_set_reveal_child (self->read_only_revealer, TRUE);
    }
  else if (tesoro_session_is_exposed (session))
    {
      /* Roles cannot protect a file that others may read. */
      g_autofree char *notice = g_strdup_printf (_("Other users of this computer can read “%s”, whatever their "
                                                   "role in Tesoro: make it readable by you alone (chmod 600)."),
                                                 tesoro_session_get_path (session));
      gtk_label_set_label (self->read_only_label, notice);
      gtk_revealer_set_reveal_child (self->read_only_revealer, TRUE);
    }

  /* The contacts are shown once someone is signed in. */
  _tesoro_window_start_access (self);

  return self;
}

/**
 * _tesoro_window_open_contacts:
 *
 * Shows the contacts to the user signed in: the list, the search and the
 * housekeeping that runs a little after start-up.
 */
void
_tesoro_window_open_contacts (TesoroWindow *self)
{
  g_return_if_fail (self->contacts == NULL);

  self->contacts = tesoro_contact_list_new (self->session, FALSE);
  g_signal_connect_object (self->contacts, "replacing", G_CALLBACK (on_list_replacing_cb), self, G_CONNECT_SWAPPED);
  set_current_list (self, self->contacts);
  _tesoro_window_init_gdpr (self);
}

/**
 * _tesoro_window_close_contacts:
 *
 * Forgets everything shown of the contacts, for the next user to sign in.
 */
void
_tesoro_window_close_contacts (TesoroWindow *self)
{
  _tesoro_window_dispose_gdpr (self);
  tesoro_contact_pane_set_contact (self->contact_pane, NULL);
  self->shown_id = 0;
  gtk_list_view_set_model (self->list_view, NULL);
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->selection, on_selection_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->selection, on_items_changed_cb, self);
    }
  g_clear_object (&self->selection);
  self->current = NULL;
  g_clear_object (&self->contacts);
  g_clear_object (&self->trash);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->trash_button), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  _tesoro_window_update_actions (self);
}

/**
 * tesoro_window_get_session:
 *
 * Returns: (transfer none) (nullable): the database the window shows
 */
TesoroSession *
tesoro_window_get_session (TesoroWindow *self)
{
  g_return_val_if_fail (TESORO_IS_WINDOW (self), NULL);
  return self->session;
}

/**
 * _tesoro_window_visible_ids:
 *
 * Returns: (transfer full): the ids the list shows (the search result)
 */
GArray *
_tesoro_window_visible_ids (TesoroWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->current));
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  for (guint i = 0; i < n; i++)
    {
      gint64 id = tesoro_contact_list_get_id (self->current, i);
      g_array_append_val (ids, id);
    }

  return ids;
}

/* For the tests */

GtkListView *
_tesoro_window_get_list_view (TesoroWindow *self)
{
  return self->list_view;
}

GtkSearchEntry *
_tesoro_window_get_search_entry (TesoroWindow *self)
{
  return self->search_entry;
}

TesoroContactPane *
_tesoro_window_get_contact_pane (TesoroWindow *self)
{
  return self->contact_pane;
}

TesoroContactList *
_tesoro_window_get_contact_list (TesoroWindow *self)
{
  return self->current;
}

AdwToastOverlay *
_tesoro_window_get_toast_overlay (TesoroWindow *self)
{
  return self->toast_overlay;
}

AdwToast *
_tesoro_window_get_last_toast (TesoroWindow *self)
{
  return self->last_toast;
}

const char *
_tesoro_window_get_list_page (TesoroWindow *self)
{
  return gtk_stack_get_visible_child_name (self->list_stack);
}

const char *
_tesoro_window_get_count_text (TesoroWindow *self)
{
  return gtk_label_get_label (self->count_label);
}

/**
 * _tesoro_window_select_contact:
 *
 * Selects contact @id in the list (clearing a search that hides it) and
 * shows it.
 *
 * Returns: whether the contact is listed
 */
gboolean
_tesoro_window_select_contact (TesoroWindow *self,
                               gint64        id)
{
  guint position = tesoro_contact_list_find (self->current, id);

  if (position == G_MAXUINT && tesoro_contact_list_get_query (self->current) != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      tesoro_contact_list_set_query (self->current, NULL);
      position = tesoro_contact_list_find (self->current, id);
    }
  if (position == G_MAXUINT)
    return FALSE;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  return TRUE;
}
