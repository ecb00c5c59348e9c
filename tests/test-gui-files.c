/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-contact-pane.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-window-private.h"

/*
 * What the GUI leaves outside the database when it writes a file: GTK's
 * file chooser records every file it saves in the account's list of
 * recently used files (recently-used.xbel), and the file name Export Data
 * suggests holds the person's name.
 */

static char *data_home;

static void
set_up (GuiFixture    *fixture,
        gconstpointer  data)
{
  g_setenv ("TESORO_NO_HOUSEKEEPING", "1", TRUE);
  gui_fixture_set_up (fixture, 5);
}

static void
tear_down (GuiFixture    *fixture,
           gconstpointer  data)
{
  gui_close_other_windows (fixture);
  gui_fixture_tear_down (fixture);
}

static gboolean
recent_has (gpointer uri)
{
  g_autofree char *xbel = g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);
  g_autofree char *contents = NULL;

  /* The file is what other programs read and what outlives Tesoro; with
   * recent files switched off the manager holds no list to ask. */
  return g_file_get_contents (xbel, &contents, NULL, NULL) && strstr (contents, "personal%20data") != NULL;
}

static gboolean
time_passed (gpointer end)
{
  return g_get_monotonic_time () >= *(gint64 *) end;
}

static void
test_export_data_not_recent (GuiFixture    *fixture,
                             gconstpointer  data)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (_tesoro_window_get_list_view (fixture->window));
  TesoroContact *contact;
  g_autofree char *name = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  GtkWindow *chooser;
  GtkWidget *entry;
  gint64 end;

  g_assert_true (g_str_has_prefix (g_get_user_data_dir (), data_home));

  gtk_selection_model_select_item (selection, 0, TRUE);
  gui_iterate ();
  contact = tesoro_contact_pane_get_contact (_tesoro_window_get_contact_pane (fixture->window));
  g_assert_nonnull (contact);
  name = tesoro_contact_dup_best_name (contact);

  /* Export Data with the suggested name, which names the person. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-data", NULL));
  gui_wait_for (gui_file_chooser_is_open, NULL);
  chooser = gui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  file_name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_nonnull (strstr (file_name, name));
  path = g_build_filename (fixture->dir, file_name, NULL);
  uri = g_filename_to_uri (path, NULL, NULL);
  entry = gui_find_widget_of_type (GTK_WIDGET (chooser), GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), path);
  gui_iterate ();
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  gui_wait_for (gui_file_exists, path);

  /* GTK adds to the list asynchronously and writes it a little later. */
  end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (!time_passed (&end) && !recent_has (uri))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  if (recent_has (uri))
    g_error ("“%s” is in the list of recently used files", uri);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *env = NULL;
  int status;

  /* The account's own list of recent files is not the test's to touch. */
  data_home = g_dir_make_tmp ("tesoro-test-data-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui/files/export-data-not-recent", GuiFixture, NULL, set_up, test_export_data_not_recent, tear_down);

  status = g_test_run ();
  gui_tmp_dir_remove (data_home);
  g_free (data_home);
  return status;
}
