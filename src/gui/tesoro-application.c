/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-application.h"
#include "tesoro-atomic-file.h"
#include "tesoro-preferences-window.h"
#include "tesoro-window.h"

struct _TesoroApplication
{
  AdwApplication  parent_instance;

  TesoroSession    *session;
  char           *db_path;
  GError         *open_error;
};

G_DEFINE_FINAL_TYPE (TesoroApplication, tesoro_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this database instead of the default one"), N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* Actions */

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);
  static const char *developers[] = { "The Tesoro developers", NULL };

  adw_show_about_window (window,
                         "application-name", _("Tesoro"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Keep your contacts, and their privacy, in order."),
                         "developer-name", _("The Tesoro developers"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TesoroApplication *self = TESORO_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  TesoroPreferencesWindow *window;
  TesoroSession *session;

  /* The preferences are those of the database the window shows. */
  session = TESORO_IS_WINDOW (parent) ? tesoro_window_get_session (TESORO_WINDOW (parent)) : self->session;
  if (session == NULL)
    return;

  window = tesoro_preferences_window_new (session);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  /* New retention or trash settings take effect at once. */
  if (TESORO_IS_WINDOW (parent))
    g_signal_connect_object (window, "settings-changed", G_CALLBACK (tesoro_window_run_housekeeping),
                             parent, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
};

/* Accessibility */

/* AdwMessageDialog 1.2 picks its wide or narrow row of buttons only once it
 * is laid out, and the focus it had put on the default response is lost on
 * the way: it lands on another button, such as Delete Permanently… rather
 * than Move to Trash, and Enter takes that. Put it back on the default
 * response once the dialog has been drawn (fixed in libadwaita 1.3). */
static gboolean
focus_default_response_cb (GtkWidget     *widget,
                           GdkFrameClock *clock,
                           gpointer       user_data)
{
  GtkWindow *dialog = GTK_WINDOW (widget);
  GtkWidget *default_widget = gtk_window_get_default_widget (dialog);
  GtkWidget *focus = gtk_window_get_focus (dialog);
  guint *frames = user_data;

  /* The first frame lays the dialog out; the second comes after. */
  if (++(*frames) < 2)
    return G_SOURCE_CONTINUE;

  if (default_widget != NULL && gtk_widget_get_mapped (default_widget) && focus != default_widget &&
      (focus == NULL || GTK_IS_BUTTON (focus)))
    gtk_widget_grab_focus (default_widget);

  return G_SOURCE_REMOVE;
}

/* Called as each widget appears on screen (Tesoro's and those GTK and
 * libadwaita make for it, such as the buttons of message dialogs), to fix
 * what GTK 4.8 and libadwaita 1.2 get wrong for screen readers and the
 * keyboard. tests/test-a11y.c checks the result.
 *
 * GTK 4.8 gives a button with a mnemonic label ("_Save") that raw text as
 * its accessible label, and its label widget as labelled-by: a screen
 * reader says "underscore Save Save". Dropping the raw text leaves the
 * name to the label widget ("Save"), as in later GTK versions. A label set
 * on purpose (different from the button's text) is kept. */
static gboolean
fix_accessibility_cb (GSignalInvocationHint *hint,
                      guint                  n_values,
                      const GValue          *values,
                      gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);
  const char *label = NULL;
  g_autofree char *other = NULL;

  if (GTK_IS_BUTTON (object) && gtk_button_get_use_underline (GTK_BUTTON (object)))
    label = gtk_button_get_label (GTK_BUTTON (object));
  else if (GTK_IS_CHECK_BUTTON (object) && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (object)))
    label = gtk_check_button_get_label (GTK_CHECK_BUTTON (object));

  if (label != NULL && strchr (label, '_') != NULL &&
      (other = gtk_test_accessible_check_property (GTK_ACCESSIBLE (object), GTK_ACCESSIBLE_PROPERTY_LABEL, label)) == NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (object), GTK_ACCESSIBLE_PROPERTY_LABEL);

  /* GtkShortcutsWindow (Keyboard Shortcuts) leaves its search button and
   * entry unnamed. */
  if (((GTK_IS_TOGGLE_BUTTON (object) &&
        g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (object)), "edit-find-symbolic") == 0) ||
       GTK_IS_SEARCH_ENTRY (object)) &&
      gtk_widget_get_ancestor (GTK_WIDGET (object), GTK_TYPE_SHORTCUTS_WINDOW) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (object), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search"), -1);

  if (ADW_IS_MESSAGE_DIALOG (object))
    gtk_widget_add_tick_callback (GTK_WIDGET (object), focus_default_response_cb, g_new0 (guint, 1), g_free);

  return TRUE;
}

/* GApplication */

static int
tesoro_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  TesoroApplication *self = TESORO_APPLICATION (application);
  const char *db = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("tesoro %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    self->db_path = g_strdup (db);

  return -1;
}

static void
tesoro_application_startup (GApplication *application)
{
  TesoroApplication *self = TESORO_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *edit_accels[] = { "<Control>e", NULL };
  static const char *trash_accels[] = { "Delete", NULL };
  static const char *note_accels[] = { "<Control><Shift>n", NULL };
  static gsize accessibility_hook;

  G_APPLICATION_CLASS (tesoro_application_parent_class)->startup (application);

  /* A file written by a Tesoro that was killed may have been left under a
   * temporary name: it holds personal data. */
  tesoro_atomic_file_clean_unfinished ();

  /* GTK's file chooser records every file it saves in the account's list of
   * recently used files (recently-used.xbel, GTK 4.8 included), which other
   * programs show and which erasure cannot reach; Export Data's file names
   * name the person. The application's own setting outranks the desktop's. */
  g_object_set (gtk_settings_get_default (), "gtk-recent-files-enabled", FALSE, NULL);

  if (g_once_init_enter (&accessibility_hook))
    {
      /* Signals are known once their class is. */
      gpointer widget_class = g_type_class_ref (GTK_TYPE_WIDGET);
      guint map_signal = g_signal_lookup ("map", GTK_TYPE_WIDGET);

      g_once_init_leave (&accessibility_hook,
                         g_signal_add_emission_hook (map_signal, 0, fix_accessibility_cb, NULL, NULL));
      g_type_class_unref (widget_class);
    }

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-contact", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.edit-contact", edit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.trash-selection", trash_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.add-note", note_accels);

}

static void
tesoro_application_activate (GApplication *application)
{
  TesoroApplication *self = TESORO_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The database is opened when the first window needs it, not at start-up:
   * registering the application (as the tests do) touches no database. */
  if (self->session == NULL && self->open_error == NULL)
    {
      g_autofree char *path = self->db_path != NULL ? g_strdup (self->db_path) : tesoro_session_default_path ();
      /* Only the default location's folder is made when missing. */
      gboolean create_folder = self->db_path == NULL && g_getenv ("TESORO_DB") == NULL;

      self->session = tesoro_session_open (path,
                                           create_folder ? TESORO_SESSION_FLAGS_CREATE_FOLDER : TESORO_SESSION_FLAGS_NONE,
                                           &self->open_error);
    }

  if (window == NULL)
    window = GTK_WINDOW (tesoro_window_new (self, self->session, self->open_error));

  gtk_window_present (window);
}

static void
tesoro_application_dispose (GObject *object)
{
  TesoroApplication *self = (TesoroApplication *) object;

  g_clear_object (&self->session);

  G_OBJECT_CLASS (tesoro_application_parent_class)->dispose (object);
}

static void
tesoro_application_finalize (GObject *object)
{
  TesoroApplication *self = (TesoroApplication *) object;

  g_clear_pointer (&self->db_path, g_free);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (tesoro_application_parent_class)->finalize (object);
}

static void
tesoro_application_class_init (TesoroApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tesoro_application_dispose;
  object_class->finalize = tesoro_application_finalize;

  app_class->handle_local_options = tesoro_application_handle_local_options;
  app_class->startup = tesoro_application_startup;
  app_class->activate = tesoro_application_activate;
}

static void
tesoro_application_init (TesoroApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

/* Public API */

TesoroApplication *
tesoro_application_new (void)
{
  /* NON_UNIQUE: each instance works on the database it was given, and a
   * second window on the same file would only compete for its lock. */
  return g_object_new (TESORO_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/tesorocrm/Tesoro",
                       NULL);
}

/**
 * tesoro_application_get_session:
 *
 * Returns: (transfer none) (nullable): the open database, or %NULL if it
 * could not be opened
 */
TesoroSession *
tesoro_application_get_session (TesoroApplication *self)
{
  g_return_val_if_fail (TESORO_IS_APPLICATION (self), NULL);
  return self->session;
}
