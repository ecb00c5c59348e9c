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
  fixture->store = tesoro_store_open (fixture->db_path, TESORO_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);

  if (n_demo > 0)
    {
      tesoro_store_generate_demo (fixture->store, n_demo, 42, NULL, &error);
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

  fixture->window = tesoro_window_new (fixture->app, fixture->store, NULL);
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
  g_clear_object (&fixture->store);

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
