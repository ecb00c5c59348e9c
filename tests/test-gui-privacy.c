/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tesoro-contact-json.h"
#include "tesoro-contact-editor.h"
#include "tesoro-contact-list.h"
#include "tesoro-contact-pane.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-receipt-window.h"
#include "tesoro-test-locks.h"
#include "tesoro-window-private.h"

/*
 * The privacy duties as a user meets them in the window: the contact's
 * Actions menu, Export Data through the file chooser, Delete Contact with
 * both of its confirmations and the receipt, Move to Trash and Undo, and
 * the Privacy page (consent, restriction).
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

static TesoroContact *
shown_contact (GuiFixture *fixture)
{
  return tesoro_contact_pane_get_contact (_tesoro_window_get_contact_pane (fixture->window));
}

static gint64
select_row (GuiFixture *fixture,
            guint       position)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (_tesoro_window_get_list_view (fixture->window));

  gtk_selection_model_select_item (selection, position, TRUE);
  gui_iterate ();
  g_assert_nonnull (shown_contact (fixture));
  return tesoro_contact_get_id (shown_contact (fixture));
}

static void
test_actions_menu (GuiFixture    *fixture,
                   gconstpointer  data)
{
  GMenuModel *menu = _tesoro_window_get_actions_menu (fixture->window);
  GMenuModel *section;
  g_autofree char *label0 = NULL, *label1 = NULL, *action0 = NULL, *action1 = NULL;
  g_autofree char *label2 = NULL, *action2 = NULL;

  select_row (fixture, 0);

  /* The brief's two items first, in a section of their own; then the
   * privacy office's way in: recording a request about this person. */
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  section = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 1);
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label2);
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action2);
  g_assert_cmpstr (label2, ==, "Record Privacy _Request…");
  g_assert_cmpstr (action2, ==, "win.new-request");

  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 2);
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label0);
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action0);
  g_menu_model_get_item_attribute (section, 1, G_MENU_ATTRIBUTE_LABEL, "s", &label1);
  g_menu_model_get_item_attribute (section, 1, G_MENU_ATTRIBUTE_ACTION, "s", &action1);
  g_assert_cmpstr (label0, ==, "_Export Data…");
  g_assert_cmpstr (action0, ==, "win.export-data");
  g_assert_cmpstr (label1, ==, "_Delete Contact…");
  g_assert_cmpstr (action1, ==, "win.delete-contact");
}

static void
test_export_data (GuiFixture    *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TesoroContact) stored = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *exported = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->dir);
  GtkWindow *chooser;
  gint64 id;

  id = select_row (fixture, 2);

  /* Actions → Export Data… opens a save dialog; choose JSON and a name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-data", NULL));
  gui_wait_for (gui_file_chooser_is_open, NULL);
  chooser = gui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_true (g_str_has_suffix (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)),
                                   " - personal data.csv"));
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format"), ==, "csv");
  /* Type the whole path into the name entry, as a user may. */
  {
    GtkWidget *name_entry = gui_find_widget_of_type (GTK_WIDGET (chooser), GTK_TYPE_ENTRY);

    g_assert_nonnull (name_entry);
    gtk_editable_set_text (GTK_EDITABLE (name_entry), path);
    gui_iterate ();
  }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  /* In a save dialog, accepting first checks the file name asynchronously. */
  gui_wait_for (gui_file_exists, path);

  /* The file is the contact JSON, complete: equal to what the session holds. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, contents, -1, NULL));
  stored = tesoro_session_get_contact (fixture->session, id, NULL);
  expected = tesoro_contact_to_json (stored, FALSE);
  exported = tesoro_json_to_string (json_parser_get_root (parser), FALSE);
  g_assert_cmpstr (exported, ==, expected);

  /* A toast offers to open the folder. */
  g_assert_nonnull (_tesoro_window_get_last_toast (fixture->window));
  g_assert_cmpstr (adw_toast_get_button_label (_tesoro_window_get_last_toast (fixture->window)), ==, "_Open Folder");

  /* CSV too, through the same path the dialog takes. */
  g_clear_pointer (&path, g_free);
  path = g_build_filename (fixture->dir, "export.csv", NULL);
  _tesoro_window_export_data_to (fixture->window, path, TESORO_EXPORT_FORMAT_CSV);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (contents, tesoro_contact_get_uid (stored)));
  g_assert_nonnull (strstr (contents, tesoro_contact_get_primary_email (stored)));
}

static void
test_delete_permanently (GuiFixture    *fixture,
                         gconstpointer  data)
{
  TesoroContactList *list = _tesoro_window_get_contact_list (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) gone = NULL;
  g_autofree char *uid = NULL;
  AdwMessageDialog *dialog;
  GtkWindow *receipt;
  TesoroLinkedCounts counts;
  gint64 id;

  id = select_row (fixture, 4);
  uid = g_strdup (tesoro_contact_get_uid (shown_contact (fixture)));
  g_assert_true (tesoro_session_count_linked (fixture->session, id, &counts, NULL));
  g_assert_cmpuint (tesoro_linked_counts_total (&counts), >, 0);

  /* Delete Contact… offers Move to Trash and Delete Permanently. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-contact", NULL));
  gui_iterate ();
  dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "trash"));
  g_assert_true (adw_message_dialog_has_response (dialog, "delete"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  gui_respond (dialog, "delete");

  /* The second confirmation says it cannot be undone and lists what goes. */
  dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "cannot be undone"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "e-mail address"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  /* Under the reason, what the receipt will keep of it when the person
   * is cut out: their name, and their phone number however it is written
   * (issue 14, point 2). */
  {
    GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
    GtkWidget *entry = gui_find_widget_of_type (extra, GTK_TYPE_ENTRY);
    GtkWidget *preview = gtk_widget_get_last_child (extra);
    TesoroContact *shown = shown_contact (fixture);
    g_autofree char *name = g_strdup (tesoro_contact_get_family_name (shown));
    GPtrArray *phones = tesoro_contact_get_phones (shown);
    GString *reason = g_string_new (NULL);
    g_autofree char *reason_text = NULL;

    g_assert_nonnull (entry);
    g_assert_true (GTK_IS_LABEL (preview));
    g_assert_nonnull (name);
    g_string_append_printf (reason, "Request of %s", name);
    /* The number as digits only, however it is stored. */
    g_assert_cmpuint (phones->len, >, 0);
    g_string_append (reason, " from ");
    for (const char *c = ((TesoroDetail *) phones->pdata[0])->value; *c; c++)
      if (g_ascii_isdigit (*c))
        g_string_append_c (reason, *c);
    g_string_append (reason, ", ticket 42");
    reason_text = g_string_free (reason, FALSE);

    gui_type_into (entry, reason_text);
    gui_iterate ();
    g_assert_true (gtk_widget_get_visible (preview));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (preview)), "Request of […]"));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (preview)), ", ticket 42"));
    g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (preview)), name));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (preview)), "Request of […] from […], ticket 42"));

    /* Nothing to cut, nothing shown. */
    gtk_editable_set_text (GTK_EDITABLE (entry), "Request by e-mail, ticket 42");
    gui_iterate ();
    g_assert_false (gtk_widget_get_visible (preview));
  }
  gui_respond (dialog, "delete");

  /* The contact is gone, from the session and the list. */
  gone = tesoro_session_get_contact (fixture->session, id, &error);
  g_assert_null (gone);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_assert_cmpuint (tesoro_contact_list_find (list, id), ==, G_MAXUINT);
  g_assert_null (shown_contact (fixture));

  /* A receipt is shown, for that uid. */
  receipt = gui_find_toplevel (TESORO_TYPE_RECEIPT_WINDOW);
  g_assert_nonnull (receipt);
  {
    g_autoptr(GPtrArray) receipts = tesoro_session_list_erasure_receipts (fixture->session, NULL);
    TesoroErasureReceipt *r;

    g_assert_cmpuint (receipts->len, ==, 1);
    r = receipts->pdata[0];
    g_assert_cmpstr (tesoro_erasure_receipt_get_contact_uid (r), ==, uid);
    g_assert_cmpstr (tesoro_erasure_receipt_get_reason (r), ==, "Request by e-mail, ticket 42");
    g_assert_cmpstr (tesoro_erasure_receipt_get_method (r), ==, "manual");
  }
}

static void
test_delete_then_trash_undo (GuiFixture    *fixture,
                             gconstpointer  data)
{
  TesoroContactList *list = _tesoro_window_get_contact_list (fixture->window);
  AdwMessageDialog *dialog;
  AdwToast *toast;
  gint64 id;

  id = select_row (fixture, 5);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-contact", NULL));
  gui_iterate ();
  dialog = gui_find_message_dialog ();
  gui_respond (dialog, "trash");

  g_assert_cmpuint (tesoro_contact_list_find (list, id), ==, G_MAXUINT);
  toast = _tesoro_window_get_last_toast (fixture->window);
  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  gui_iterate ();
  g_assert_cmpuint (tesoro_contact_list_find (list, id), !=, G_MAXUINT);
  g_assert_nonnull (shown_contact (fixture));
  g_assert_cmpint (tesoro_contact_get_id (shown_contact (fixture)), ==, id);
}

static void
test_restrict_and_consent (GuiFixture    *fixture,
                           gconstpointer  data)
{
  TesoroConsentState state;
  gint64 id;

  id = select_row (fixture, 6);

  /* Restricting makes the contact read-only everywhere. */
  g_assert_true (tesoro_session_set_restricted (fixture->session, id, TRUE, NULL));
  gui_iterate ();
  g_assert_true (tesoro_contact_get_restricted (shown_contact (fixture)));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.edit-contact", NULL);
  gui_iterate ();
  g_assert_null (gui_find_toplevel (g_type_from_name ("TesoroContactEditor")));

  /* Withdrawing consent through the dialog is one form, like granting. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_tesoro_window_get_contact_pane (fixture->window)),
                                             "contact.withdraw-consent", NULL));
  gui_iterate ();
  {
    GtkWindow *dialog = gui_find_toplevel (g_type_from_name ("TesoroConsentDialog"));

    g_assert_nonnull (dialog);
    gtk_editable_set_text (GTK_EDITABLE (gui_find_row (GTK_WIDGET (dialog), "Source (such as web form or phone call)")),
                           "phone call");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save", NULL));
    gui_iterate ();
  }
  g_assert_true (tesoro_session_get_consent_state (fixture->session, id, TESORO_PURPOSE_MARKETING_EMAIL, &state, NULL, NULL));
  g_assert_cmpint (state, ==, TESORO_CONSENT_WITHDRAWN);
  g_assert_nonnull (gui_find_row (GTK_WIDGET (_tesoro_window_get_contact_pane (fixture->window)), "Withdrawn · Marketing e-mail"));
}

static gboolean
toast_says_exported (gpointer data)
{
  GuiFixture *fixture = data;
  AdwToast *toast = _tesoro_window_get_last_toast (fixture->window);

  return toast != NULL && g_str_has_prefix (adw_toast_get_title (toast), "Exported ");
}

static gboolean
trash_is_empty (gpointer data)
{
  GuiFixture *fixture = data;
  return tesoro_session_count_contacts (fixture->session, TRUE, NULL) == 0;
}

static gboolean
receipts_window_open (gpointer data)
{
  return gui_find_toplevel (TESORO_TYPE_RECEIPT_WINDOW) != NULL;
}

/* Empty Trash: confirmed, run by a worker, ending in the receipts. */
static void
test_empty_trash (GuiFixture    *fixture,
                  gconstpointer  data)
{
  TesoroContactList *list;
  AdwMessageDialog *dialog;
  g_autoptr(GPtrArray) receipts = NULL;

  for (guint i = 0; i < 3; i++)
    g_assert_true (tesoro_session_trash_contact (fixture->session, select_row (fixture, 0), NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-trash", NULL));
  gui_iterate ();
  list = _tesoro_window_get_contact_list (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.empty-trash", NULL));
  gui_iterate ();
  dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  gui_respond (dialog, "empty");

  gui_wait_for (trash_is_empty, fixture);
  gui_wait_for (receipts_window_open, NULL);
  receipts = tesoro_session_list_erasure_receipts (fixture->session, NULL);
  g_assert_cmpuint (receipts->len, ==, 3);
  g_assert_cmpstr (tesoro_erasure_receipt_get_method (receipts->pdata[0]), ==, "trash");
}

/* The marketing list, written by a worker: only granted consent. */
static void
test_export_marketing (GuiFixture    *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "marketing.csv", NULL);
  g_autofree char *contents = NULL;

  _tesoro_window_export_marketing_to (fixture->window, path);
  gui_wait_for (gui_file_exists, path);
  gui_wait_for (toast_says_exported, fixture);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
}

static gboolean
chooser_is_closed (gpointer unused)
{
  return !gui_file_chooser_is_open (NULL);
}

static gboolean
editor_is_gone (gpointer data)
{
  return gui_find_toplevel (TESORO_TYPE_CONTACT_EDITOR) == NULL;
}

static void
add_contact_through_form (GuiFixture *fixture,
                          const char *given_name)
{
  GtkWindow *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-contact", NULL));
  gui_iterate ();
  editor = gui_find_toplevel (TESORO_TYPE_CONTACT_EDITOR);
  g_assert_nonnull (editor);
  gui_type_into (gui_find_row (GTK_WIDGET (editor), "Given name"), given_name);
  gui_type_into (gui_find_row (GTK_WIDGET (editor), "Family name"), "Chooser");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  gui_wait_for (editor_is_gone, NULL);
  gui_iterate ();
}

/* The data-loss sequence of issue 15: a file chooser shows the database's
 * folder (GIO opens and closes the files to sniff their types), then another
 * program uses the database, then the window saves a contact. The window's
 * locks must survive the chooser, and the contact must be in the file after
 * quitting. */
static void
test_chooser_keeps_locks (void)
{
  GuiFixture fixture_, *fixture = &fixture_;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(TesoroSession) reopened = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TESORO_CLI");
  const guint repeats = 20;
  guint db_locks, shm_locks;
  g_autofree char *shm = NULL;

  g_setenv ("TESORO_NO_HOUSEKEEPING", "1", TRUE);
  gui_fixture_set_up (fixture, 5);
  g_assert_nonnull (cli);
  folder = g_file_new_for_path (fixture->dir);
  shm = g_strconcat (fixture->db_path, "-shm", NULL);
  db_locks = tesoro_test_count_locks (fixture->db_path);
  shm_locks = tesoro_test_count_locks (shm);
  g_assert_cmpuint (db_locks, >, 0);
  g_assert_cmpuint (shm_locks, >, 0);

  for (guint i = 0; i < repeats; i++)
    {
      g_autofree char *name = g_strdup_printf ("Saved%u", i);
      const char *argv[] = { cli, "--db", fixture->db_path, "list", NULL };
      GtkWindow *chooser;
      int status = -1;
      gint64 until;

      /* Actions → Export Data…, the chooser in the database's folder, Cancel. */
      select_row (fixture, 0);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-data", NULL));
      gui_wait_for (gui_file_chooser_is_open, NULL);
      chooser = gui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
      /* The chooser sets its own first folder once shown: navigate after it. */
      gui_iterate ();
      g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
      until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
      while (g_get_monotonic_time () < until)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
      {
        g_autoptr(GFile) shown = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
        g_assert_true (g_file_equal (shown, folder));
      }
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
      gui_wait_for (chooser_is_closed, NULL);

      g_assert_cmpuint (tesoro_test_count_locks (fixture->db_path), ==, db_locks);
      g_assert_cmpuint (tesoro_test_count_locks (shm), ==, shm_locks);

      /* tesoro-cli beside the window, as a cron job would. */
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                                   NULL, NULL, NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));

      add_contact_through_form (fixture, name);
    }

  /* Quit, then look at the file. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  gui_iterate ();
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->app);
  g_clear_object (&fixture->session);

  reopened = tesoro_session_open (fixture->db_path, TESORO_SESSION_FLAGS_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GArray) ids = tesoro_session_search_ids (reopened, "chooser", FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, repeats);
  }
  tesoro_session_close (reopened);
  g_clear_object (&reopened);

  gui_tmp_dir_remove (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui/privacy/actions-menu", GuiFixture, NULL, set_up, test_actions_menu, tear_down);
  g_test_add ("/gui/privacy/export-data", GuiFixture, NULL, set_up, test_export_data, tear_down);
  g_test_add ("/gui/privacy/delete-permanently", GuiFixture, NULL, set_up, test_delete_permanently, tear_down);
  g_test_add ("/gui/privacy/delete-trash-undo", GuiFixture, NULL, set_up, test_delete_then_trash_undo, tear_down);
  g_test_add ("/gui/privacy/restrict-consent", GuiFixture, NULL, set_up, test_restrict_and_consent, tear_down);
  g_test_add ("/gui/privacy/empty-trash", GuiFixture, NULL, set_up, test_empty_trash, tear_down);
  g_test_add ("/gui/privacy/export-marketing", GuiFixture, NULL, set_up, test_export_marketing, tear_down);
  g_test_add_func ("/gui/privacy/chooser-keeps-locks", test_chooser_keeps_locks);

  return g_test_run ();
}
