/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include "tesoro-contact-editor.h"
#include "tesoro-contact-list.h"
#include "tesoro-contact-pane.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-window-private.h"

/*
 * The main window, headless, on sample data: select a contact and see it,
 * search, create a contact through the form, trash it and undo.
 */

static void
set_up (GuiFixture    *fixture,
        gconstpointer  data)
{
  gui_fixture_set_up (fixture, GPOINTER_TO_UINT (data));
}

static void
tear_down (GuiFixture    *fixture,
           gconstpointer  data)
{
  gui_fixture_tear_down (fixture);
}

static TesoroContact *
shown_contact (GuiFixture *fixture)
{
  return tesoro_contact_pane_get_contact (_tesoro_window_get_contact_pane (fixture->window));
}

static void
test_empty_state (GuiFixture    *fixture,
                  gconstpointer  data)
{
  GAction *import;

  g_assert_cmpstr (_tesoro_window_get_list_page (fixture->window), ==, "empty");
  g_assert_cmpstr (_tesoro_window_get_count_text (fixture->window), ==, "0 contacts");

  /* Load Sample Data fills the list (in a worker thread); the main menu
   * offers it while the database is empty. */
  g_assert_true (gui_menu_offers (GTK_WIDGET (fixture->window->primary_menu_button), "Load Sample Data"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.load-sample-data", NULL));
  while (g_list_model_get_n_items (G_LIST_MODEL (_tesoro_window_get_contact_list (fixture->window))) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (_tesoro_window_get_contact_list (fixture->window))), ==, 300);
  g_assert_cmpstr (_tesoro_window_get_list_page (fixture->window), ==, "list");
  g_assert_cmpstr (_tesoro_window_get_count_text (fixture->window), ==, "300 contacts");

  /* On a database with contacts, the main menu no longer offers sample data. */
  g_assert_false (gui_menu_offers (GTK_WIDGET (fixture->window->primary_menu_button), "Load Sample Data"));

  /* Import is a window action (File → Import…), not an application one. */
  import = g_action_map_lookup_action (G_ACTION_MAP (fixture->app), "import");
  g_assert_null (import);
}

static void
test_select_shows_detail (GuiFixture    *fixture,
                          gconstpointer  data)
{
  GtkListView *list_view = _tesoro_window_get_list_view (fixture->window);
  GtkSelectionModel *selection = gtk_list_view_get_model (list_view);
  g_autoptr(TesoroContact) first = g_list_model_get_item (G_LIST_MODEL (selection), 0);
  g_autoptr(TesoroContact) second = g_list_model_get_item (G_LIST_MODEL (selection), 1);
  g_autofree char *first_name = tesoro_contact_dup_best_name (first);
  TesoroContact *shown;

  g_assert_cmpstr (_tesoro_window_get_list_page (fixture->window), ==, "list");
  g_assert_cmpstr (_tesoro_window_get_count_text (fixture->window), ==, "50 contacts");
  g_assert_null (shown_contact (fixture));

  /* The list is sorted by name. */
  g_assert_cmpint (g_utf8_collate (tesoro_contact_get_display_name (first),
                                   tesoro_contact_get_display_name (second)), <=, 0);

  /* Clicking the first row shows that contact, loaded whole. */
  gtk_selection_model_select_item (selection, 0, TRUE);
  gui_iterate ();
  shown = shown_contact (fixture);
  g_assert_nonnull (shown);
  g_assert_cmpint (tesoro_contact_get_id (shown), ==, tesoro_contact_get_id (first));
  g_assert_cmpstr (tesoro_contact_get_display_name (shown), ==, first_name);
  g_assert_cmpuint (tesoro_contact_get_emails (shown)->len, >, 0);
  g_assert_cmpuint (tesoro_contact_get_phones (shown)->len, >, 0);

  /* Its e-mail address is on screen as a row of the details page. */
  {
    g_autofree char *title = g_strdup_printf ("E-mail · %s",
                                              g_ascii_strcasecmp (((TesoroDetail *) tesoro_contact_get_emails (shown)->pdata[0])->label, "work") == 0 ? "Work" : "Home");
    g_assert_nonnull (gui_find_row (GTK_WIDGET (_tesoro_window_get_contact_pane (fixture->window)), title));
  }

  /* Ctrl-click a second row: two selected, no single contact shown. */
  gtk_selection_model_select_item (selection, 1, FALSE);
  gui_iterate ();
  g_assert_null (shown_contact (fixture));
}

static void
test_search (GuiFixture    *fixture,
             gconstpointer  data)
{
  GtkSearchEntry *entry = _tesoro_window_get_search_entry (fixture->window);
  TesoroContactList *list = _tesoro_window_get_contact_list (fixture->window);
  g_autoptr(GArray) expected = tesoro_session_search_ids (fixture->session, "de", FALSE, NULL);

  gui_type_into (GTK_WIDGET (entry), "de");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected->len);
  g_assert_cmpuint (expected->len, >, 0);
  g_assert_cmpuint (expected->len, <, 50);
  g_assert_true (g_str_has_suffix (_tesoro_window_get_count_text (fixture->window), " of 50 contacts"));

  gui_type_into (GTK_WIDGET (entry), "zzzzqqq");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpstr (_tesoro_window_get_list_page (fixture->window), ==, "no-results");

  gui_type_into (GTK_WIDGET (entry), "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 50);
}

static gboolean
editor_is_gone (gpointer data)
{
  return gui_find_toplevel (TESORO_TYPE_CONTACT_EDITOR) == NULL;
}

static void
test_create_trash_undo (GuiFixture    *fixture,
                        gconstpointer  data)
{
  TesoroContactList *list = _tesoro_window_get_contact_list (fixture->window);
  GtkWindow *editor;
  GtkWidget *save_button;
  GtkWidget *email_row;
  TesoroContact *shown;
  AdwToast *toast;
  gint64 id;

  /* New Contact opens the form. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-contact", NULL));
  gui_iterate ();
  editor = gui_find_toplevel (TESORO_TYPE_CONTACT_EDITOR);
  g_assert_nonnull (editor);

  /* An empty form cannot be saved; neither can a bad e-mail address. */
  save_button = gui_find_widget_of_type (GTK_WIDGET (editor), GTK_TYPE_BUTTON);
  g_assert_false (gtk_widget_action_set_enabled == NULL);
  email_row = gui_find_row (GTK_WIDGET (editor), "E-mail address");
  g_assert_nonnull (email_row);
  gui_type_into (gui_find_row (GTK_WIDGET (editor), "Given name"), "Zoë");
  gui_type_into (gui_find_row (GTK_WIDGET (editor), "Family name"), "van Aalst");
  gui_type_into (email_row, "zoe@");
  g_assert_true (gtk_widget_has_css_class (email_row, "error"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL) &&
                  editor_is_gone (NULL));
  gui_type_into (email_row, "zoe@vanaalst.nl");
  g_assert_false (gtk_widget_has_css_class (email_row, "error"));
  gui_type_into (gui_find_row (GTK_WIDGET (editor), "Organisation"), "Aalst Advies");
  (void) save_button;

  /* Save sessions it, closes the form and shows the new contact. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  gui_wait_for (editor_is_gone, NULL);
  gui_iterate ();

  shown = shown_contact (fixture);
  g_assert_nonnull (shown);
  g_assert_cmpstr (tesoro_contact_get_display_name (shown), ==, "Zoë van Aalst");
  g_assert_cmpstr (tesoro_contact_get_primary_email (shown), ==, "zoe@vanaalst.nl");
  g_assert_cmpstr (tesoro_contact_get_organization (shown), ==, "Aalst Advies");
  id = tesoro_contact_get_id (shown);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 51);
  g_assert_cmpuint (tesoro_contact_list_find (list, id), !=, G_MAXUINT);

  /* It is found by search, without its diacritics. */
  gui_type_into (GTK_WIDGET (_tesoro_window_get_search_entry (fixture->window)), "zoe aal");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpint (tesoro_contact_list_get_id (list, 0), ==, id);
  gui_type_into (GTK_WIDGET (_tesoro_window_get_search_entry (fixture->window)), "");
  g_assert_true (_tesoro_window_select_contact (fixture->window, id));
  gui_iterate ();

  /* Move to Trash: gone from the list, a toast offers Undo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.trash-selection", NULL));
  gui_iterate ();
  g_assert_cmpuint (tesoro_contact_list_find (list, id), ==, G_MAXUINT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 50);
  g_assert_null (shown_contact (fixture));
  toast = _tesoro_window_get_last_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "“Zoë van Aalst” moved to the trash");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");

  /* It is in the trash view. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-trash", NULL));
  gui_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (_tesoro_window_get_contact_list (fixture->window))), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-trash", NULL));
  gui_iterate ();

  /* Undo brings it back, selected. */
  g_signal_emit_by_name (toast, "button-clicked");
  gui_iterate ();
  list = _tesoro_window_get_contact_list (fixture->window);
  g_assert_cmpuint (tesoro_contact_list_find (list, id), !=, G_MAXUINT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 51);
  shown = shown_contact (fixture);
  g_assert_nonnull (shown);
  g_assert_cmpint (tesoro_contact_get_id (shown), ==, id);
  g_assert_null (tesoro_contact_get_trashed_at (shown));
}

static gboolean
history_grew (gpointer data)
{
  GuiFixture *fixture = data;
  TesoroContact *shown = shown_contact (fixture);

  return shown != NULL && tesoro_contact_get_notes (shown)->len > 0;
}

static void
test_add_note (GuiFixture    *fixture,
               gconstpointer  data)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (_tesoro_window_get_list_view (fixture->window));
  GtkWindow *dialog;
  GtkTextView *text;
  TesoroContact *shown;
  guint notes_before;

  gtk_selection_model_select_item (selection, 3, TRUE);
  gui_iterate ();
  shown = shown_contact (fixture);
  g_assert_nonnull (shown);
  notes_before = tesoro_contact_get_notes (shown)->len;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-note", NULL));
  gui_iterate ();
  dialog = gui_find_toplevel (g_type_from_name ("TesoroHistoryDialog"));
  g_assert_nonnull (dialog);
  text = GTK_TEXT_VIEW (gui_find_widget_of_type (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text), "Belde over de nieuwe offerte.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "history.save", NULL));
  gui_iterate ();

  shown = shown_contact (fixture);
  g_assert_cmpuint (tesoro_contact_get_notes (shown)->len, ==, notes_before + 1);
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (shown)->pdata[notes_before])->body, ==,
                   "Belde over de nieuwe offerte.");
  (void) history_grew;
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui/window/empty-state", GuiFixture, GUINT_TO_POINTER (0), set_up, test_empty_state, tear_down);
  g_test_add ("/gui/window/select", GuiFixture, GUINT_TO_POINTER (50), set_up, test_select_shows_detail, tear_down);
  g_test_add ("/gui/window/search", GuiFixture, GUINT_TO_POINTER (50), set_up, test_search, tear_down);
  g_test_add ("/gui/window/create-trash-undo", GuiFixture, GUINT_TO_POINTER (50), set_up, test_create_trash_undo, tear_down);
  g_test_add ("/gui/window/add-note", GuiFixture, GUINT_TO_POINTER (50), set_up, test_add_note, tear_down);

  return g_test_run ();
}
