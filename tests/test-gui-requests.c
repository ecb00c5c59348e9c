/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tesoro-gui-test-utils.h"
#include "tesoro-requests.h"
#include "tesoro-requests-window.h"
#include "tesoro-utils.h"
#include "tesoro-window-private.h"

/*
 * The Requests window, headless: the list by deadline with days left and
 * the overdue ones marked, recording a request and linking its contact
 * through the form, verifying the identity and responding from the
 * request's page, the start-up toast, and the menus that offer it.
 */

typedef struct
{
  char          *dir;
  char          *db_path;
  TesoroSession *session;
} Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  fixture->session = gui_tmp_store_new ("tesoro-gui-requests-XXXXXX", &fixture->dir, &fixture->db_path);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  gui_iterate ();
  g_clear_object (&fixture->session);
  gui_tmp_dir_remove (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static gint64
add_contact (Fixture    *fixture,
             const char *given,
             const char *family,
             const char *email)
{
  g_autoptr(TesoroContact) contact = tesoro_contact_new ();
  g_autoptr(GError) error = NULL;

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  tesoro_contact_add_email (contact, "home", email, TRUE);
  tesoro_session_add_contact (fixture->session, contact, &error);
  g_assert_no_error (error);
  return tesoro_contact_get_id (contact);
}

static char *
days_ago (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static gint64
add_request (Fixture           *fixture,
             TesoroRequestKind  kind,
             int                received_days_ago,
             const char        *requester,
             gint64             contact_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRequest) request = NULL;
  g_autofree char *received = days_ago (received_days_ago);
  TesoroRequestDraft draft = { 0 };

  draft.kind = kind;
  draft.received_on = received;
  draft.channel = "e-mail";
  draft.requester = requester;
  draft.contact_ids = contact_id > 0 ? &contact_id : NULL;
  draft.n_contact_ids = contact_id > 0 ? 1 : 0;
  request = tesoro_session_add_request (fixture->session, &draft, &error);
  g_assert_no_error (error);
  return request->id;
}

/* Every label's text under @root, in order, one per line. */
static void
collect_labels (GtkWidget *root,
                GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child))
        g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (child)));
      collect_labels (child, out);
    }
}

static char *
texts_of (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  collect_labels (root, out);
  return g_string_free (out, FALSE);
}

static GtkLabel *
find_label (GtkWidget  *root,
            const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (child)), prefix))
        return GTK_LABEL (child);
      found = find_label (child, prefix);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkButton *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return GTK_BUTTON (child);
      found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *
find_window_titled (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (GTK_WIDGET (window)) && g_strcmp0 (gtk_window_get_title (window), title) == 0)
        return window;
    }
  return NULL;
}

static TesoroRequestsWindow *
open_window (Fixture *fixture)
{
  TesoroRequestsWindow *window = tesoro_requests_window_new (fixture->session);

  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();
  return window;
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  TesoroRequestsWindow *window = open_window (fixture);
  GtkStack *stack = GTK_STACK (gui_find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_STACK));
  g_autofree char *texts = NULL;
  GtkLabel *overdue, *soon;
  g_autoptr(GError) error = NULL;
  gint64 done;

  /* Nothing yet: the empty state says what requests are for. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpuint (tesoro_requests_window_get_n_shown (window), ==, 0);
  gui_destroy_window (window);

  add_request (fixture, TESORO_REQUEST_ACCESS, 3, "Jan Jansen", 0);
  add_request (fixture, TESORO_REQUEST_ERASURE, 40, "Sophie de Vries", 0);
  add_request (fixture, TESORO_REQUEST_RESTRICTION, 26, "Noor de Graaf", 0);
  done = add_request (fixture, TESORO_REQUEST_OBJECTION, 60, "Koen Dekker", 0);
  tesoro_session_close_request (fixture->session, done, "Not a data subject of ours", &error);
  g_assert_no_error (error);

  window = open_window (fixture);
  stack = GTK_STACK (gui_find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "requests");
  g_assert_cmpuint (tesoro_requests_window_get_n_shown (window), ==, 4);

  /* The overdue one on top, marked as an error; the one due this week as
   * a warning; the closed one last. */
  texts = texts_of (GTK_WIDGET (window));
  g_assert_nonnull (strstr (texts, "Sophie de Vries"));
  g_assert_true (strstr (texts, "Sophie de Vries") < strstr (texts, "Noor de Graaf"));
  g_assert_true (strstr (texts, "Noor de Graaf") < strstr (texts, "Jan Jansen"));
  g_assert_true (strstr (texts, "Jan Jansen") < strstr (texts, "Koen Dekker"));
  overdue = find_label (GTK_WIDGET (window), "Overdue by");
  g_assert_nonnull (overdue);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (overdue), "error"));
  soon = find_label (GTK_WIDGET (window), "Due today");
  if (soon == NULL)
    soon = find_label (GTK_WIDGET (window), "1 day left");
  if (soon == NULL)
    soon = find_label (GTK_WIDGET (window), "2 days left");
  if (soon == NULL)
    soon = find_label (GTK_WIDGET (window), "3 days left");
  if (soon == NULL)
    soon = find_label (GTK_WIDGET (window), "4 days left");
  if (soon == NULL)
    soon = find_label (GTK_WIDGET (window), "5 days left");
  g_assert_nonnull (soon);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (soon), "warning"));

  /* The page of the selected (most urgent) request offers its response. */
  g_assert_nonnull (strstr (texts, "Erasure Request (Art. 17)"));
  g_assert_nonnull (find_button (GTK_WIDGET (window), "_Respond: Erase Permanently…"));

  /* Only the overdue ones, at a click. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gui_find_widget_of_type (GTK_WIDGET (window),
                                                                            GTK_TYPE_TOGGLE_BUTTON)), TRUE);
  gui_iterate ();
  g_assert_cmpuint (tesoro_requests_window_get_n_shown (window), ==, 1);

  gui_destroy_window (window);
}

static void
test_record_and_respond (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  gint64 sophie = add_contact (fixture, "Sophie", "de Vries", "sophie@bakkerij.example");
  TesoroRequestsWindow *window;
  GtkWindow *form;
  AdwMessageDialog *dialog;
  TesoroRequest *request;
  GtkWidget *kind;

  add_contact (fixture, "Jan", "Jansen", "jan@example.org");
  window = open_window (fixture);

  /* Ctrl+N's action opens the form. */
  gtk_widget_activate_action (GTK_WIDGET (window), "requests.new", NULL);
  gui_iterate ();
  form = find_window_titled ("New Request");
  g_assert_nonnull (form);

  /* Recording without a requester says what is missing, in the form. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (form), "_Record"), "clicked");
  gui_iterate ();
  if (find_label (GTK_WIDGET (form), "Requester:") == NULL)
    g_error ("no requester error in: %s", texts_of (GTK_WIDGET (form)));

  kind = gui_find_row (GTK_WIDGET (form), "Kind");
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), TESORO_REQUEST_RESTRICTION);
  gui_type_into (gui_find_row (GTK_WIDGET (form), "Requester, as they identified themselves"),
                 "Sophie de Vries (sophie@bakkerij.example)");
  gui_type_into (gui_find_row (GTK_WIDGET (form), "Channel (e-mail, letter, phone…)"), "e-mail");
  gui_type_into (gui_find_row (GTK_WIDGET (form), "Find contact"), "sophie");
  g_assert_nonnull (find_label (GTK_WIDGET (form), "Sophie de Vries — sophie@bakkerij.example"));
  g_signal_emit_by_name (find_button (GTK_WIDGET (form), "_Record"), "clicked");
  gui_iterate ();
  g_assert_null (find_window_titled ("New Request"));

  requests = tesoro_session_list_requests (fixture->session, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requests->len, ==, 1);
  request = requests->pdata[0];
  g_assert_cmpint (request->kind, ==, TESORO_REQUEST_RESTRICTION);
  g_assert_cmpuint (request->contact_uids->len, ==, 1);
  g_assert_cmpuint (tesoro_requests_window_get_n_shown (window), ==, 1);

  /* Responding before the identity is checked is refused, with why. */
  gtk_widget_activate_action (GTK_WIDGET (window), "request.respond", NULL);
  gui_iterate ();
  dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "identity"));
  gui_respond (dialog, "close");

  /* Verify Identity… asks how. */
  gtk_widget_activate_action (GTK_WIDGET (window), "request.verify", NULL);
  gui_iterate ();
  dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  gui_type_into (adw_message_dialog_get_extra_child (dialog), "Replied from the address on file");
  gui_respond (dialog, "ok");
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Verified by"));

  /* One click restricts the contact and closes the request. */
  gtk_widget_activate_action (GTK_WIDGET (window), "request.respond", NULL);
  gui_iterate ();
  contact = tesoro_session_get_contact (fixture->session, sophie, &error);
  g_assert_no_error (error);
  g_assert_true (tesoro_contact_get_restricted (contact));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Outcome"));
  g_clear_pointer (&requests, g_ptr_array_unref);
  requests = tesoro_session_list_requests (fixture->session, FALSE, NULL, &error);
  g_assert_cmpint (((TesoroRequest *) requests->pdata[0])->status, ==, TESORO_REQUEST_DONE);

  gui_destroy_window (window);
}

/* The main window: the menus offer requests to who may handle them, and
 * says at start-up what is due. */
static void
test_main_window (void)
{
  GuiFixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *received = days_ago (29);
  TesoroRequestDraft draft = { TESORO_REQUEST_ACCESS, NULL, "letter", "Jan Jansen", NULL, NULL, NULL, 0 };
  g_autoptr(TesoroRequest) request = NULL;
  GtkWidget *menu_button;
  AdwToast *toast;

  gui_fixture_set_up (&fixture, 5);
  draft.received_on = received;
  request = tesoro_session_add_request (fixture.session, &draft, &error);
  g_assert_no_error (error);

  _tesoro_window_announce_due_requests (fixture.window);
  toast = _tesoro_window_get_last_toast (fixture.window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "1 privacy request is due within 7 days");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.show-requests");

  menu_button = GTK_WIDGET (fixture.window->primary_menu_button);
  g_assert_true (gui_menu_offers (menu_button, "Privacy Requests"));

  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.show-requests", NULL);
  gui_iterate ();
  g_assert_nonnull (gui_find_toplevel (TESORO_TYPE_REQUESTS_WINDOW));

  gui_close_other_windows (&fixture);
  gui_fixture_tear_down (&fixture);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("TESORO_LOCALEDIR");

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("TESORO_NO_HOUSEKEEPING", "1", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui/requests/list", Fixture, NULL, set_up, test_list, tear_down);
  g_test_add ("/gui/requests/record-and-respond", Fixture, NULL, set_up, test_record_and_respond, tear_down);
  g_test_add_func ("/gui/requests/main-window", test_main_window);

  return g_test_run ();
}
