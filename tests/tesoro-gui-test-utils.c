/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gstdio.h>

#include "tesoro-gui-test-utils.h"

void
gui_iterate (void)
{
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop until @condition holds, for at most 10 s. */
void
gui_wait_for (gboolean (*condition) (gpointer),
              gpointer   data)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
gui_fixture_set_up (GuiFixture *fixture,
                    guint       n_demo)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tesoro-gui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "tesoro.db", NULL);
  fixture->session = tesoro_session_open (fixture->db_path, TESORO_SESSION_FLAGS_NONE, &error);
  g_assert_no_error (error);

  if (n_demo > 0)
    {
      tesoro_session_generate_demo (fixture->session, n_demo, 42, NULL, &error);
      g_assert_no_error (error);
    }

  /* One application serves every test: it is registered on the session
   * bus once, as a running Tesoro is. */
  static TesoroApplication *app;

  if (app == NULL)
    {
      app = tesoro_application_new ();
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }
  fixture->app = g_object_ref (app);

  fixture->window = tesoro_window_new (fixture->app, fixture->session, NULL);
  g_object_ref (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gui_iterate ();
}

void
gui_fixture_tear_down (GuiFixture *fixture)
{
  g_autofree char *wal = g_strconcat (fixture->db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->db_path, "-shm", NULL);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  gui_iterate ();
  g_object_unref (fixture->window);
  g_clear_object (&fixture->app);
  g_clear_object (&fixture->session);

  g_unlink (fixture->db_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

/* The first AdwPreferencesRow under @root whose title is @title. */
GtkWidget *
gui_find_row (GtkWidget  *root,
              const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;

      found = gui_find_row (child, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
gui_find_widget_of_type (GtkWidget *root,
                         GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;

      found = gui_find_widget_of_type (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWindow *
gui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

void
gui_type_into (GtkWidget  *editable,
               const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
  gui_iterate ();
}

/* Closes what a test left open (receipts, dialogs): every toplevel but the
 * fixture's window. */
void
gui_close_other_windows (GuiFixture *fixture)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);
      if (window != GTK_WINDOW (fixture->window))
        gtk_window_destroy (window);
    }
}

/* Destroys @window and checks that nothing else holds it. */
void
gui_destroy_window (gpointer window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  gui_iterate ();
  g_assert_finalize_object (window);
}

/* The message dialog on screen (a dialog that has answered closes itself). */
AdwMessageDialog *
gui_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* What clicking a response button does: answer, then close. */
void
gui_respond (AdwMessageDialog *dialog,
             const char       *response)
{
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  gui_iterate ();
  g_object_unref (dialog);
}

gboolean
gui_file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

gboolean
gui_file_chooser_is_open (gpointer unused)
{
  return gui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

/* Makes a folder from @dir_template (for g_dir_make_tmp()) and opens a new
 * database "tesoro.db" in it; @dir and @db_path receive their paths. */
TesoroSession *
gui_tmp_store_new (const char  *dir_template,
                   char       **dir,
                   char       **db_path)
{
  g_autoptr(GError) error = NULL;
  TesoroSession *session;

  *dir = g_dir_make_tmp (dir_template, &error);
  g_assert_no_error (error);
  *db_path = g_build_filename (*dir, "tesoro.db", NULL);
  session = tesoro_session_open (*db_path, TESORO_SESSION_FLAGS_NONE, &error);
  g_assert_no_error (error);
  return session;
}

/* Removes the files in @dir (not below it), then @dir. */
void
gui_tmp_dir_remove (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static GtkWidget *
find_menu_item (GtkWidget  *root,
                const char *label)
{
  GType model_button = g_type_from_name ("GtkModelButton");

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, model_button))
        {
          g_autofree char *text = NULL;

          g_object_get (child, "text", &text, NULL);
          if (g_strcmp0 (text, label) == 0)
            return child;
        }
      found = find_menu_item (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the menu of @button, opened as a person opens it, offers an
 * item @label (hidden items are not offered). */
gboolean
gui_menu_offers (GtkWidget  *button,
                 const char *label)
{
  GtkPopover *popover;
  GtkWidget *item;
  gboolean offered;

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  gui_iterate ();
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  item = find_menu_item (GTK_WIDGET (popover), label);
  offered = item != NULL && gtk_widget_get_visible (item) && gtk_widget_is_sensitive (item);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  gui_iterate ();
  return offered;
}
