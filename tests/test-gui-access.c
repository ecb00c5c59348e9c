/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gstdio.h>

#include "tesoro-access.h"
#include "tesoro-contact-editor.h"
#include "tesoro-contact-pane.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-preferences-window.h"
#include "tesoro-window-private.h"

/*
 * The window with several users, as they meet it: the sign-in page, what
 * Sales sees of a contact and may do with it, what the privacy officer
 * sees ("Viewed by"), Lock and Sign Out, and the Users page only for the
 * administrator.
 */

#define ADMIN_PASSWORD   "Zeer-geheim-42"
#define SALES_PASSWORD   "Verkoop-2026!"
#define OFFICER_PASSWORD "Privacy-Wacht-9"

typedef struct
{
  char              *dir;
  char              *db_path;
  gint64             id;          /* a contact with every field */
  TesoroSession     *session;
  TesoroApplication *app;
  TesoroWindow      *window;
} Fixture;

static TesoroApplication *
shared_app (void)
{
  static TesoroApplication *app;
  g_autoptr(GError) error = NULL;

  if (app == NULL)
    {
      app = tesoro_application_new ();
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }
  return app;
}

static TesoroContact *
full_contact (void)
{
  TesoroContact *contact = tesoro_contact_new ();

  tesoro_contact_set_given_name (contact, "Sophie");
  tesoro_contact_set_family_name (contact, "de Vries");
  tesoro_contact_set_organization (contact, "Bakkerij De Vries");
  tesoro_contact_set_birthday (contact, "1985-04-12");
  tesoro_contact_add_email (contact, "work", "sophie@bakkerij.example", TRUE);
  tesoro_contact_add_phone (contact, "mobile", "+31 6 12345678", TRUE);
  return contact;
}

/* A database with a full contact and three users; then a window on a
 * session of its own, as Tesoro starts. */
static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(TesoroSession) setup = NULL;
  g_autoptr(TesoroContact) contact = full_contact ();
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tesoro-gui-access-XXXXXX", &error);
  f->db_path = g_build_filename (f->dir, "tesoro.db", NULL);
  setup = tesoro_session_open (f->db_path, TESORO_SESSION_FLAGS_NONE, &error);
  g_assert_no_error (error);
  tesoro_session_generate_demo (setup, 20, 42, NULL, &error);
  tesoro_session_add_contact (setup, contact, &error);
  g_assert_no_error (error);
  f->id = tesoro_contact_get_id (contact);
  tesoro_session_set_password (setup, tesoro_session_get_actor (setup), ADMIN_PASSWORD, &error);
  tesoro_session_add_user (setup, "sanne", "Sanne Bakker", TESORO_ROLE_SALES, SALES_PASSWORD, &error);
  tesoro_session_add_user (setup, "pim", "Pim de Wit", TESORO_ROLE_PRIVACY_OFFICER, OFFICER_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_close (setup);

  f->session = tesoro_session_open (f->db_path, TESORO_SESSION_FLAGS_NONE, &error);
  g_assert_no_error (error);
  f->app = g_object_ref (shared_app ());
  f->window = g_object_ref (tesoro_window_new (f->app, f->session, NULL));
  gtk_window_present (GTK_WINDOW (f->window));
  gui_iterate ();
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);
      gtk_window_destroy (window);
    }
  gui_iterate ();
  g_clear_object (&f->window);
  g_clear_object (&f->app);
  g_clear_object (&f->session);
  gui_tmp_dir_remove (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

/* Whether the window action @name may be activated now: the buttons that
 * carry it are sensitive. */
static gboolean
action_enabled (Fixture    *f,
                const char *name)
{
  if (g_str_equal (name, "win.edit-contact"))
    return gtk_widget_is_sensitive (f->window->edit_button);
  if (g_str_equal (name, "win.export-data"))
    return gtk_widget_get_visible (f->window->actions_button) &&
           gui_menu_offers (f->window->actions_button, "Export Data…");
  if (g_str_equal (name, "win.delete-contact"))
    return gtk_widget_get_visible (f->window->actions_button) &&
           gui_menu_offers (f->window->actions_button, "Delete Contact…");
  if (g_str_equal (name, "win.show-audit-log"))
    return gui_menu_offers (GTK_WIDGET (f->window->primary_menu_button), "Audit Log");
  if (g_str_equal (name, "win.show-breaches"))
    return gui_menu_offers (GTK_WIDGET (f->window->primary_menu_button), "Breach Log");
  if (g_str_equal (name, "win.sign-out"))
    return gui_menu_offers (GTK_WIDGET (f->window->primary_menu_button), "Sign Out");
  if (g_str_equal (name, "win.lock"))
    return gui_menu_offers (GTK_WIDGET (f->window->primary_menu_button), "Lock");
  g_assert_not_reached ();
}

static gboolean
app_action_enabled (Fixture    *f,
                    const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (f->app), name);
}

static void
sign_in (Fixture    *f,
         const char *login,
         const char *password)
{
  _tesoro_window_sign_in (f->window, login, password);
  gui_iterate ();
}

static GtkWidget *
pane (Fixture *f)
{
  return GTK_WIDGET (_tesoro_window_get_contact_pane (f->window));
}

static void
open_contact (Fixture *f)
{
  g_assert_true (_tesoro_window_select_contact (f->window, f->id));
  gui_iterate ();
  g_assert_nonnull (tesoro_contact_pane_get_contact (_tesoro_window_get_contact_pane (f->window)));
}

static gboolean
widget_shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

static void
test_sales (Fixture       *f,
            gconstpointer  data)
{
  TesoroContactEditor *editor;
  GtkWidget *birthday;

  /* Two users: the window asks who you are before anything is shown. */
  g_assert_cmpstr (_tesoro_window_get_page (f->window), ==, "sign-in");
  g_assert_false (tesoro_session_is_signed_in (f->session));
  g_assert_false (app_action_enabled (f, "preferences"));

  sign_in (f, "sanne", "Niet-het-goede");
  g_assert_cmpstr (_tesoro_window_get_page (f->window), ==, "sign-in");
  g_assert_cmpstr (_tesoro_window_get_sign_in_error (f->window), ==, "The login or the password is wrong");

  sign_in (f, "sanne", SALES_PASSWORD);
  g_assert_cmpstr (_tesoro_window_get_page (f->window), ==, "main");
  g_assert_null (_tesoro_window_get_sign_in_error (f->window));
  open_contact (f);

  /* Sales is offered no Export Data and no Delete Contact. */
  g_assert_false (action_enabled (f, "win.export-data"));
  g_assert_false (action_enabled (f, "win.delete-contact"));
  g_assert_false (gtk_widget_get_visible (f->window->actions_button));
  g_assert_false (action_enabled (f, "win.show-audit-log"));
  g_assert_false (action_enabled (f, "win.show-breaches"));
  g_assert_true (action_enabled (f, "win.edit-contact"));
  g_assert_true (action_enabled (f, "win.sign-out"));
  g_assert_true (action_enabled (f, "win.lock"));

  /* The birthday is not in the detail pane at all; the e-mail is. */
  g_assert_null (gui_find_row (pane (f), "Birthday"));
  g_assert_nonnull (gui_find_row (pane (f), "E-mail · Work"));

  /* … nor in the editor. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit-contact", NULL));
  gui_iterate ();
  editor = TESORO_CONTACT_EDITOR (gui_find_toplevel (TESORO_TYPE_CONTACT_EDITOR));
  g_assert_nonnull (editor);
  birthday = gui_find_row (GTK_WIDGET (editor), "Birthday (YYYY-MM-DD)");
  g_assert_nonnull (birthday);
  g_assert_false (widget_shown (birthday));
  g_assert_true (widget_shown (gui_find_row (GTK_WIDGET (editor), "Organisation")));
  gtk_window_destroy (GTK_WINDOW (editor));
  gui_iterate ();

  /* The Users page is not reachable. */
  g_assert_false (app_action_enabled (f, "preferences"));

  /* Signing out forgets what was shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-out", NULL));
  gui_iterate ();
  g_assert_cmpstr (_tesoro_window_get_page (f->window), ==, "sign-in");
  g_assert_false (tesoro_session_is_signed_in (f->session));
  g_assert_null (tesoro_contact_pane_get_contact (_tesoro_window_get_contact_pane (f->window)));
}

static void
test_officer_viewed_by (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *viewed;

  sign_in (f, "sanne", SALES_PASSWORD);
  open_contact (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-out", NULL));
  gui_iterate ();

  sign_in (f, "pim", OFFICER_PASSWORD);
  g_assert_cmpstr (_tesoro_window_get_page (f->window), ==, "main");
  open_contact (f);

  /* The privacy officer may export and erase, read the log, and sees who
   * viewed the contact: Sanne, and themselves just now. */
  g_assert_true (action_enabled (f, "win.export-data"));
  g_assert_true (action_enabled (f, "win.delete-contact"));
  g_assert_true (action_enabled (f, "win.show-audit-log"));
  g_assert_true (action_enabled (f, "win.show-breaches"));
  g_assert_false (action_enabled (f, "win.edit-contact"));
  g_assert_nonnull (gui_find_row (pane (f), "Birthday"));
  viewed = gui_find_row (pane (f), "sanne");
  g_assert_nonnull (viewed);
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (viewed)),
                                   "in the window · Name, Organisation and job title, E-mail addresses, "
                                   "Phone numbers, Addresses, Custom fields, Tags, Notes, Messages, Tasks, "
                                   "Calls and meetings, Consent and lawful basis"));
  g_assert_nonnull (gui_find_row (pane (f), "pim"));
  g_assert_false (app_action_enabled (f, "preferences"));
}

static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  sign_in (f, "pim", OFFICER_PASSWORD);
  open_contact (f);

  /* Lock hides everything; the same user finds the window as they left it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.lock", NULL));
  gui_iterate ();
  g_assert_cmpstr (_tesoro_window_get_page (f->window), ==, "sign-in");
  g_assert_false (tesoro_session_is_signed_in (f->session));
  sign_in (f, "pim", OFFICER_PASSWORD);
  g_assert_cmpstr (_tesoro_window_get_page (f->window), ==, "main");
  g_assert_nonnull (tesoro_contact_pane_get_contact (_tesoro_window_get_contact_pane (f->window)));
  g_assert_cmpint (tesoro_contact_get_id (tesoro_contact_pane_get_contact (_tesoro_window_get_contact_pane (f->window))),
                   ==, f->id);
}

static void
test_admin_users_page (Fixture       *f,
                       gconstpointer  data)
{
  GtkWindow *preferences;

  sign_in (f, g_get_user_name (), ADMIN_PASSWORD);
  g_assert_true (app_action_enabled (f, "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  gui_iterate ();
  preferences = gui_find_toplevel (TESORO_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);

  /* The Users and Roles pages, with every user and every role. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "users");
  gui_iterate ();
  g_assert_nonnull (gui_find_row (GTK_WIDGET (preferences), "Sanne Bakker"));
  g_assert_nonnull (gui_find_row (GTK_WIDGET (preferences), "Pim de Wit"));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "roles");
  gui_iterate ();
  g_assert_nonnull (gui_find_row (GTK_WIDGET (preferences), "Privacy Officer"));
  g_assert_nonnull (gui_find_row (GTK_WIDGET (preferences), "Field: Birthday"));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui-access/sales", Fixture, NULL, set_up, test_sales, tear_down);
  g_test_add ("/gui-access/officer-viewed-by", Fixture, NULL, set_up, test_officer_viewed_by, tear_down);
  g_test_add ("/gui-access/lock", Fixture, NULL, set_up, test_lock, tear_down);
  g_test_add ("/gui-access/admin-users-page", Fixture, NULL, set_up, test_admin_users_page, tear_down);

  return g_test_run ();
}
