/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-contact-editor.h"
#include "tesoro-fields.h"
#include "tesoro-fields-page.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-preferences-window.h"
#include "tesoro-register-window.h"
#include "tesoro-window-private.h"

/*
 * The privacy office in the window: Preferences → Fields (switches, Erase
 * Values… with its confirmation, the minimisation report), the editor
 * without the fields switched off, and Privacy → Register of Processing.
 */

static void
set_up (GuiFixture    *fixture,
        gconstpointer  data)
{
  g_setenv ("TESORO_NO_HOUSEKEEPING", "1", TRUE);
  gui_fixture_set_up (fixture, 30);
}

static void
tear_down (GuiFixture    *fixture,
           gconstpointer  data)
{
  gui_close_other_windows (fixture);
  gui_fixture_tear_down (fixture);
}

static gint64
count_of (GuiFixture *fixture,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  gint64 n = tesoro_session_count_field_values (fixture->session, key, &error);

  g_assert_no_error (error);
  return n;
}

static gboolean
editor_is_gone (gpointer data)
{
  return gui_find_toplevel (TESORO_TYPE_CONTACT_EDITOR) == NULL;
}

/* A field switched off is not in the form; what the contact holds of it
 * stays when the rest is saved. */
static void
test_editor (GuiFixture    *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(TesoroContact) saved = NULL;
  TesoroContactEditor *editor;
  GtkWindow *new_form;
  gint64 id = 0;

  /* A contact of the sample data with a birthday. */
  ids = tesoro_session_list_ids (fixture->session, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ids->len && contact == NULL; i++)
    {
      TesoroContact *c = tesoro_session_get_contact (fixture->session, g_array_index (ids, gint64, i), &error);

      if (tesoro_contact_get_birthday (c) != NULL)
        contact = c;
      else
        g_object_unref (c);
    }
  g_assert_nonnull (contact);
  id = tesoro_contact_get_id (contact);

  /* Before: the rows are there. */
  editor = tesoro_contact_editor_new (fixture->session, contact);
  g_assert_true (gtk_widget_get_visible (gui_find_row (GTK_WIDGET (editor), "Birthday (YYYY-MM-DD)")));
  gtk_window_destroy (GTK_WINDOW (editor));

  g_assert_true (tesoro_session_set_field_enabled (fixture->session, "birthday", FALSE, &error));
  g_assert_true (tesoro_session_set_field_enabled (fixture->session, "job_title", FALSE, &error));
  g_assert_no_error (error);

  editor = tesoro_contact_editor_new (fixture->session, contact);
  gtk_window_present (GTK_WINDOW (editor));
  gui_iterate ();
  g_assert_false (gtk_widget_get_visible (gui_find_row (GTK_WIDGET (editor), "Birthday (YYYY-MM-DD)")));
  g_assert_false (gtk_widget_get_visible (gui_find_row (GTK_WIDGET (editor), "Job title")));
  g_assert_true (gtk_widget_get_visible (gui_find_row (GTK_WIDGET (editor), "Organisation")));

  gtk_editable_set_text (GTK_EDITABLE (gui_find_row (GTK_WIDGET (editor), "Organisation")), "Nieuwe Naam BV");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  gui_wait_for (editor_is_gone, NULL);

  saved = tesoro_session_get_contact (fixture->session, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_organization (saved), ==, "Nieuwe Naam BV");
  g_assert_cmpstr (tesoro_contact_get_birthday (saved), ==, tesoro_contact_get_birthday (contact));

  /* New Contact has no birthday row either. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-contact", NULL));
  gui_iterate ();
  new_form = gui_find_toplevel (TESORO_TYPE_CONTACT_EDITOR);
  g_assert_nonnull (new_form);
  g_assert_false (gtk_widget_get_visible (gui_find_row (GTK_WIDGET (new_form), "Birthday (YYYY-MM-DD)")));
  gtk_window_destroy (new_form);
}

static gboolean
dialog_is_open (gpointer data)
{
  return _tesoro_fields_page_get_dialog (data) != NULL;
}

static gboolean
fields_page_idle (gpointer page)
{
  return !_tesoro_fields_page_is_busy (page);
}

static void
test_fields_page (GuiFixture    *fixture,
                  gconstpointer  data)
{
  TesoroPreferencesWindow *preferences = tesoro_preferences_window_new (fixture->session);
  TesoroFieldsPage *page;
  GtkSwitch *birthday;
  GtkButton *erase;
  AdwMessageDialog *dialog;
  g_autofree char *expected = NULL;
  gint64 n;

  gtk_window_present (GTK_WINDOW (preferences));
  gui_iterate ();
  page = TESORO_FIELDS_PAGE (gui_find_widget_of_type (GTK_WIDGET (preferences), TESORO_TYPE_FIELDS_PAGE));
  g_assert_nonnull (page);
  /* The counts read every contact: in a worker, not before the window shows. */
  gui_wait_for (fields_page_idle, page);

  /* A row per field with its count; the name cannot be switched off. */
  n = count_of (fixture, "birthday");
  g_assert_cmpint (n, >, 0);
  g_assert_nonnull (gui_find_row (GTK_WIDGET (page), "Birthday"));
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " contacts have a value", n);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gui_find_row (GTK_WIDGET (page), "Birthday"))), ==,
                   expected);
  g_assert_null (_tesoro_fields_page_get_switch (page, "name"));
  g_assert_nonnull (gui_find_row (GTK_WIDGET (page), "Name"));

  /* Switching it off is saved at once. */
  birthday = _tesoro_fields_page_get_switch (page, "birthday");
  g_assert_true (gtk_switch_get_active (birthday));
  gtk_switch_set_active (birthday, FALSE);
  gui_iterate ();
  gui_wait_for (fields_page_idle, page);
  g_assert_false (tesoro_session_is_field_enabled (fixture->session, "birthday"));
  birthday = _tesoro_fields_page_get_switch (page, "birthday");
  g_assert_false (gtk_switch_get_active (birthday));

  /* Erase Values… asks first, with the count, and Cancel keeps them. */
  erase = _tesoro_fields_page_get_erase_button (page, "birthday");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (erase)));
  g_signal_emit_by_name (erase, "clicked");
  gui_wait_for (dialog_is_open, page);
  dialog = _tesoro_fields_page_get_dialog (page);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Erase %" G_GINT64_FORMAT " Values of “Birthday”?", n);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, expected);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "erase"), ==, ADW_RESPONSE_DESTRUCTIVE);
  gui_respond (dialog, "cancel");
  gui_iterate ();
  g_assert_cmpint (count_of (fixture, "birthday"), ==, n);

  g_signal_emit_by_name (_tesoro_fields_page_get_erase_button (page, "birthday"), "clicked");
  gui_wait_for (dialog_is_open, page);
  gui_respond (_tesoro_fields_page_get_dialog (page), "erase");
  gui_wait_for (fields_page_idle, page);
  g_assert_cmpint (count_of (fixture, "birthday"), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gui_find_row (GTK_WIDGET (page), "Birthday"))), ==,
                   "0 contacts have a value");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_tesoro_fields_page_get_erase_button (page, "birthday"))));

  /* The report is below. */
  g_assert_nonnull (strstr (_tesoro_fields_page_get_report_text (page), "Contacts without a lawful basis: "));
  g_assert_nonnull (gui_find_row (GTK_WIDGET (page), "Contacts relying on consent without consent for any purpose"));

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static gboolean
register_window_open (gpointer data)
{
  return gui_find_toplevel (TESORO_TYPE_REGISTER_WINDOW) != NULL;
}

static gboolean
register_generated (gpointer window)
{
  return !_tesoro_register_window_is_busy (window);
}

static void
test_register_window (GuiFixture    *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "register.html", NULL);
  g_autofree char *shown = NULL;
  g_autofree char *after = NULL;
  g_autofree char *html = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GPtrArray) purposes = NULL;
  TesoroRegisterWindow *window;

  /* Privacy → Register of Processing, for the administrator. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-register", NULL));
  gui_wait_for (register_window_open, NULL);
  window = TESORO_REGISTER_WINDOW (gui_find_toplevel (TESORO_TYPE_REGISTER_WINDOW));
  /* It counts every field over every contact: in a worker, after the window shows. */
  gui_wait_for (register_generated, window);

  shown = _tesoro_register_window_dup_shown (window);
  g_assert_nonnull (strstr (shown, "# Categories of personal data\n"));
  g_assert_nonnull (strstr (shown, "Birthday\tYes\t"));
  g_assert_nonnull (strstr (shown, "Customer administration\t"));

  /* Editing: the controller, a recipient, a purpose. */
  gtk_editable_set_text (GTK_EDITABLE (_tesoro_register_window_get_entry (window, "controller")), "Bakkerij De Vries");
  g_signal_emit_by_name (_tesoro_register_window_get_entry (window, "controller"), "apply");
  gtk_editable_set_text (GTK_EDITABLE (_tesoro_register_window_get_entry (window, "recipient")), "Boekhouder");
  g_signal_emit_by_name (_tesoro_register_window_get_entry (window, "recipient"), "apply");
  gtk_editable_set_text (GTK_EDITABLE (_tesoro_register_window_get_entry (window, "purpose-name")), "Nieuwsbrief");
  adw_combo_row_set_selected (_tesoro_register_window_get_basis_row (window), 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "register.add-purpose", NULL));
  gui_wait_for (register_generated, window);

  g_assert_cmpstr (tesoro_session_get_controller (fixture->session, &error), ==, "Bakkerij De Vries");
  recipients = tesoro_session_list_recipients (fixture->session, &error);
  g_assert_cmpstrv (recipients, ((const char * const[]) { "Boekhouder", NULL }));
  purposes = tesoro_session_list_processing_purposes (fixture->session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (purposes->len, ==, 2);
  g_assert_cmpstr (((TesoroProcessingPurpose *) purposes->pdata[1])->lawful_basis, ==, "consent");
  after = _tesoro_register_window_dup_shown (window);
  g_assert_nonnull (strstr (after, "Boekhouder\t"));
  g_assert_nonnull (strstr (after, "Bakkerij De Vries\t"));

  /* Removing the recipient again. */
  g_signal_emit_by_name (_tesoro_register_window_get_remove_button (window, "Boekhouder"), "clicked");
  gui_iterate ();
  g_clear_pointer (&recipients, g_strfreev);
  recipients = tesoro_session_list_recipients (fixture->session, &error);
  g_assert_cmpstrv (recipients, ((const char * const[]) { NULL }));

  /* Export… in Dutch. */
  g_assert_true (_tesoro_register_window_export_to (window, path, TESORO_REGISTER_HTML, TESORO_LANGUAGE_DUTCH, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "Register van verwerkingsactiviteiten — Bakkerij De Vries"));
  g_assert_nonnull (strstr (html, "<td>Nieuwsbrief</td>"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("TESORO_LOCALEDIR");

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* The Dutch register comes from the catalogue built with the tests. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui/register/editor", GuiFixture, NULL, set_up, test_editor, tear_down);
  g_test_add ("/gui/register/fields-page", GuiFixture, NULL, set_up, test_fields_page, tear_down);
  g_test_add ("/gui/register/window", GuiFixture, NULL, set_up, test_register_window, tear_down);

  return g_test_run ();
}
