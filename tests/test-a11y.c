/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "tesoro-contact-pane.h"
#include "tesoro-gdpr.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-preferences-window-private.h"
#include "tesoro-window-private.h"

/*
 * Accessibility, as a person who cannot see the screen or use a mouse meets
 * Tesoro:
 *
 * - /a11y/names: every control of every screen (the main window on sample
 *   data, each page of a contact, the trash, the editor, the history and
 *   consent dialogs, the confirmations, Preferences, the Audit Log and the
 *   erasure receipts) has a name a screen reader can say. The names are read
 *   the way Orca reads them: over AT-SPI, by tests/a11y-names.py, from this
 *   very process.
 * - /a11y/keyboard: the main flow by keyboard alone, with real key presses
 *   (xdotool, through the X server): type to search, Enter opens the
 *   contact, Tab reaches the Actions menu, Export Data saves the file,
 *   Delete Contact → Move to Trash.
 */

typedef GuiFixture Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  gui_fixture_set_up (fixture, GPOINTER_TO_UINT (data));
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Close what a test left open (dialogs, receipts). */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);
      if (window != GTK_WINDOW (fixture->window))
        gtk_window_destroy (window);
    }
  gui_fixture_tear_down (fixture);
}

static TesoroContact *
shown_contact (Fixture *fixture)
{
  return tesoro_contact_pane_get_contact (_tesoro_window_get_contact_pane (fixture->window));
}

/* Accessible names, through AT-SPI */

/* What the screens checked so far got wrong. */
static GString *all_problems;

typedef struct
{
  GSubprocess *process;
  char        *out;
  char        *err;
  GError      *error;
  gboolean     done;
} HelperRun;

static void
helper_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  HelperRun *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err, &run->error);
  run->done = TRUE;
}

/* Runs tests/a11y-names.py on this process with @python; keeps the main
 * loop running meanwhile, since it is this process that answers the
 * screen reader's questions. Returns its exit status, or -1 when @python
 * cannot be started. */
static int
run_names_helper (const char  *python,
                  char       **out,
                  char       **err)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "a11y-names.py", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GError) error = NULL;
  HelperRun run = { NULL, };
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  int status;

  run.process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error, python, script, pid, NULL);
  if (run.process == NULL)
    return -1;

  g_subprocess_communicate_utf8_async (run.process, NULL, NULL, helper_done_cb, &run);
  while (!run.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_no_error (run.error);

  status = g_subprocess_get_if_exited (run.process) ? g_subprocess_get_exit_status (run.process) : 128;
  g_clear_object (&run.process);
  *out = run.out;
  *err = run.err;
  return status;
}

/* The interactive objects of this process as a screen reader sees them,
 * one "named\tROLE\tNAME\tPATH\tSHOWN" or "unnamed\tROLE\tPATH\tSHOWN"
 * line each; %NULL
 * (the test is skipped) when AT-SPI's Python bindings are not installed. */
static char **
screen_reader_view (void)
{
  /* Debian's interpreter first: it is the one with python3-gi. */
  const char *candidates[] = { "/usr/bin/python3", "python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      if (g_path_is_absolute (candidates[i]) && !g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
        continue;
      status = run_names_helper (candidates[i], &out, &err);
      if (status == -1 || status == 77)
        {
          if (i + 1 == G_N_ELEMENTS (candidates))
            g_test_skip_printf ("AT-SPI cannot be read: %s", err != NULL ? err : "no python3");
          continue;
        }
      if (status != 0)
        g_error ("tests/a11y-names.py failed (exit status %d): %s", status, err);
      if (g_test_verbose ())
        g_test_message ("read the screen in %.1f s", (g_get_monotonic_time () - start) / 1e6);
      return g_strsplit (out, "\n", -1);
    }

  return NULL;
}

/* A name that a screen reader would read out wrongly: GTK 4.8 gives a
 * button with a mnemonic ("_Save") the name "_Save Save"; a control
 * labelled twice reads its name twice. */
static gboolean
is_garbled_name (const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, " ", -1);
  guint n = g_strv_length (words);

  for (guint i = 0; i < n; i++)
    {
      const char *underscore = strchr (words[i], '_');

      /* Not in an e-mail address or a file name. */
      if (underscore != NULL && g_ascii_isalnum (underscore[1]) &&
          strchr (words[i], '@') == NULL && strchr (words[i], '.') == NULL)
        return TRUE;
    }

  if (n >= 2 && n % 2 == 0)
    {
      gboolean repeated = TRUE;

      for (guint i = 0; i < n / 2 && repeated; i++)
        repeated = g_str_equal (words[i], words[i + n / 2]);
      if (repeated)
        return TRUE;
    }

  return FALSE;
}

/* Fails, listing them, when a control on screen in any window of this
 * process has no name a screen reader can say, or a garbled one; and when fewer than
 * @min_controls controls were seen or one of @expected (role and name, as
 * "push button|Actions") is missing, which would mean the walk did not
 * see the screen under test. */
static void
assert_screen_reader_names (const char         *where,
                            guint               min_controls,
                            const char * const *expected)
{
  g_auto(GStrv) lines = screen_reader_view ();
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  guint n_controls = 0;

  if (lines == NULL)
    return;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      guint n = g_strv_length (fields);

      if (n == 0 || lines[i][0] == '\0')
        continue;
      /* What is not on screen now (another page of a stack, the search of
       * AdwPreferencesWindow, which Tesoro turns off) is checked in the
       * state that shows it. */
      if (g_str_equal (fields[0], "named") && n == 5)
        {
          if (!g_str_equal (fields[4], "shown"))
            continue;
          n_controls++;
          g_ptr_array_add (seen, g_strdup_printf ("%s|%s", fields[1], fields[2]));
          if (g_test_verbose ())
            g_test_message ("  %s “%s” in %s", fields[1], fields[2], fields[3]);
          if (is_garbled_name (fields[2]))
            g_string_append_printf (problems, "\n  %s “%s” (garbled name) in %s", fields[1], fields[2], fields[3]);
        }
      else if (g_str_equal (fields[0], "unnamed") && n == 4)
        {
          if (!g_str_equal (fields[3], "shown"))
            continue;
          n_controls++;
          g_string_append_printf (problems, "\n  %s without a name in %s", fields[1], fields[2]);
        }
      else
        g_string_append_printf (problems, "\n  %s", lines[i]);
    }

  /* Every screen is looked at before the test fails, to list them all. */
  if (problems->len > 0)
    {
      g_string_append_printf (all_problems, "\n%s:%s", where, problems->str);
      return;
    }

  g_test_message ("%s: %u controls, all named", where, n_controls);
  g_assert_cmpuint (n_controls, >=, min_controls);
  for (guint i = 0; expected != NULL && expected[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < seen->len && !found; j++)
        found = g_str_equal (seen->pdata[j], expected[i]);
      if (!found)
        g_error ("%s: the screen reader does not see %s", where, expected[i]);
    }
}

static void
assert_no_problems (void)
{
  if (all_problems->len > 0)
    g_error ("controls a screen reader cannot name:%s", all_problems->str);
}

static gboolean
toplevel_exists (gpointer type_name)
{
  return gui_find_toplevel (g_type_from_name (type_name)) != NULL;
}

/* Activates @action on @widget, waits for a toplevel of type @type_name,
 * checks the names of all windows, closes it. */
static void
check_dialog (GtkWidget          *widget,
              const char         *action,
              const char         *type_name,
              void              (*prepare) (GtkWindow *dialog),
              const char * const *expected)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
  gui_wait_for (toplevel_exists, (gpointer) type_name);
  dialog = gui_find_toplevel (g_type_from_name (type_name));
  gui_iterate ();
  if (prepare != NULL)
    {
      prepare (dialog);
      gui_iterate ();
    }
  assert_screen_reader_names (action, 3, expected);
  gtk_window_destroy (dialog);
  gui_iterate ();
}

/* Opens what folds away: the address lines of the editor. */
static void
expand_all (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_EXPANDER_ROW (child))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child), TRUE);
      expand_all (child);
    }
}

static void
prepare_editor (GtkWindow *editor)
{
  expand_all (GTK_WIDGET (editor));
  /* A new contact has no address yet: add one. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-address", NULL);
}

/* Turns on the search of the Keyboard Shortcuts window. */
static void
prepare_shortcuts (GtkWindow *window)
{
  GtkSearchEntry *entry = GTK_SEARCH_ENTRY (gui_find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY));

  g_assert_nonnull (entry);
  g_signal_emit_by_name (window, "search");
  gui_iterate ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (entry)));
}

static gboolean
preview_shown (gpointer data)
{
  GtkWidget *preview = GTK_WIDGET (_tesoro_preferences_window_get_preview (data));

  return preview != NULL && gtk_widget_get_mapped (preview);
}

static void
prepare_preferences (GtkWindow *preferences)
{
  /* Preview, the subpage that lists whom retention would delete. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "preferences.preview", NULL));
  gui_wait_for (preview_shown, preferences);
}

static GtkMenuButton *
find_primary_menu_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found;

      if (GTK_IS_MENU_BUTTON (child) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (child)))
        return GTK_MENU_BUTTON (child);
      found = find_primary_menu_button (child);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

/* Opens the menu of @button, checks it, closes it. */
static void
check_menu (GtkMenuButton      *button,
            const char         *where,
            const char * const *expected)
{
  gtk_menu_button_popup (button);
  gui_wait_for (popover_shown, button);
  assert_screen_reader_names (where, 3, expected);
  gtk_menu_button_popdown (button);
  gui_iterate ();
}

static void
test_names (Fixture       *fixture,
            gconstpointer  data)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (_tesoro_window_get_list_view (fixture->window));
  TesoroContactPane *pane = _tesoro_window_get_contact_pane (fixture->window);
  AdwViewStack *stack = tesoro_contact_pane_get_stack (pane);
  g_autoptr(TesoroErasureReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id, erased;

  /* One contact erased (for the receipts), one in the trash. */
  {
    g_autoptr(TesoroContact) contact = g_list_model_get_item (G_LIST_MODEL (selection), 3);
    erased = tesoro_contact_get_id (contact);
  }
  g_assert_true (tesoro_store_erase_contact (fixture->store, erased, "Request by e-mail",
                                             TESORO_ERASURE_MANUAL, &receipt, &error));
  g_assert_no_error (error);

  {
    const char *expected[] = { "entry|Search contacts", "list|Contact list", "push button|New Contact",
                               "push button|Main Menu", "push button|Search", "push button|Show Trash", NULL };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
    gui_iterate ();
    assert_screen_reader_names ("main window", 8, expected);
  }

  /* A contact, on each of its pages. */
  gtk_selection_model_select_item (selection, 0, TRUE);
  gui_iterate ();
  g_assert_nonnull (shown_contact (fixture));
  id = tesoro_contact_get_id (shown_contact (fixture));
  tesoro_store_add_note (fixture->store, id, "Called about the offer", &error);
  g_assert_no_error (error);
  gui_iterate ();
  {
    const char *expected[] = { "push button|Actions", "push button|Edit", NULL };

    adw_view_stack_set_visible_child_name (stack, "details");
    gui_iterate ();
    assert_screen_reader_names ("contact details", 12, expected);
    adw_view_stack_set_visible_child_name (stack, "history");
    gui_iterate ();
    assert_screen_reader_names ("contact history", 12, expected);
    adw_view_stack_set_visible_child_name (stack, "privacy");
    gui_iterate ();
    assert_screen_reader_names ("contact privacy", 12, expected);
    adw_view_stack_set_visible_child_name (stack, "details");
  }

  /* The menus. */
  {
    const char *primary[] = { "menu item|New Contact", "menu item|Preferences", "menu item|Keyboard Shortcuts", NULL };
    const char *actions[] = { "menu item|Export Data…", "menu item|Delete Contact…", NULL };

    check_menu (find_primary_menu_button (GTK_WIDGET (fixture->window)), "main menu", primary);
    check_menu (GTK_MENU_BUTTON (fixture->window->actions_button), "actions menu", actions);
  }

  /* The dialogs a contact opens. */
  {
    const char *editor[] = { "push button|Save", "push button|Cancel", "text|Given name", "text|Street and number", NULL };
    const char *note[] = { "push button|Save", "push button|Cancel", "text|Note", NULL };
    const char *message[] = { "push button|Save", "push button|Received", "text|Subject", "text|Message text", NULL };
    const char *activity[] = { "push button|Save", "push button|Call", "text|Summary", NULL };
    const char *task[] = { "push button|Save", NULL };
    const char *consent[] = { "push button|Record", "combo box|Purpose", "text|Evidence", NULL };
    const char *confirm[] = { "push button|Cancel", "push button|Move to Trash", "push button|Delete Permanently…", NULL };

    check_dialog (GTK_WIDGET (fixture->window), "win.edit-contact", "TesoroContactEditor", prepare_editor, editor);
    check_dialog (GTK_WIDGET (fixture->window), "win.new-contact", "TesoroContactEditor", prepare_editor, editor);
    check_dialog (GTK_WIDGET (pane), "contact.add-note", "TesoroHistoryDialog", NULL, note);
    check_dialog (GTK_WIDGET (pane), "contact.log-message", "TesoroHistoryDialog", NULL, message);
    check_dialog (GTK_WIDGET (pane), "contact.log-activity", "TesoroHistoryDialog", NULL, activity);
    check_dialog (GTK_WIDGET (pane), "contact.add-task", "TesoroHistoryDialog", NULL, task);
    check_dialog (GTK_WIDGET (pane), "contact.record-consent", "TesoroConsentDialog", NULL, consent);
    check_dialog (GTK_WIDGET (fixture->window), "win.delete-contact", "AdwMessageDialog", NULL, confirm);
  }

  /* The windows of the main menu. */
  {
    const char *preferences[] = { "check box|Delete inactive contacts automatically", "spin button|Retention period",
                                  "spin button|Erase trashed contacts after", NULL };
    const char *audit[] = { "tree table|Audit log entries, newest first", NULL };
    const char *receipts[] = { "push button|Save Receipt…", "list|Erasure receipts", NULL };
    const char *shortcuts[] = { "push button|Search", NULL };
    const char *shortcuts_search[] = { "entry|Search", NULL };

    check_dialog (GTK_WIDGET (fixture->window), "app.preferences", "TesoroPreferencesWindow", NULL, preferences);
    check_dialog (GTK_WIDGET (fixture->window), "app.preferences", "TesoroPreferencesWindow", prepare_preferences, NULL);
    check_dialog (GTK_WIDGET (fixture->window), "win.show-audit-log", "TesoroAuditWindow", NULL, audit);
    check_dialog (GTK_WIDGET (fixture->window), "win.show-receipts", "TesoroReceiptWindow", NULL, receipts);
    check_dialog (GTK_WIDGET (fixture->window), "win.show-help-overlay", "GtkShortcutsWindow", NULL, shortcuts);
    check_dialog (GTK_WIDGET (fixture->window), "win.show-help-overlay", "GtkShortcutsWindow", prepare_shortcuts, shortcuts_search);
  }

  /* The trash, with a contact in it, selected. */
  g_assert_true (tesoro_store_trash_contact (fixture->store, id, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-trash", NULL));
  gui_iterate ();
  selection = gtk_list_view_get_model (_tesoro_window_get_list_view (fixture->window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 1);
  gtk_selection_model_select_item (selection, 0, TRUE);
  gui_iterate ();
  {
    const char *expected[] = { "push button|Restore", "push button|Empty Trash…", NULL };
    assert_screen_reader_names ("trash", 8, expected);
  }
  {
    const char *confirm[] = { "push button|Cancel", "push button|Empty Trash", NULL };

    check_dialog (GTK_WIDGET (fixture->window), "win.empty-trash", "AdwMessageDialog", NULL, confirm);
  }

  assert_no_problems ();
}

/* A new database, and one that cannot be opened: the buttons of the
 * empty state and of the error page. */
static void
test_names_empty (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) open_error = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_ACCES, "Permission denied");
  const char *empty[] = { "push button|Add Contact", "push button|Import…", "push button|Load Sample Data", NULL };
  const char *error[] = { "push button|Quit", NULL };
  TesoroWindow *broken;

  g_assert_cmpstr (_tesoro_window_get_list_page (fixture->window), ==, "empty");
  assert_screen_reader_names ("empty database", 5, empty);

  broken = tesoro_window_new (fixture->app, NULL, open_error);
  gtk_window_present (GTK_WINDOW (broken));
  gui_iterate ();
  assert_screen_reader_names ("database error", 1, error);
  gtk_window_destroy (GTK_WINDOW (broken));

  assert_no_problems ();
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("TESORO_NO_HOUSEKEEPING", "1", TRUE);
  all_problems = g_string_new (NULL);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/a11y/names/sample-data", Fixture, GUINT_TO_POINTER (40), set_up, test_names, tear_down);
  g_test_add ("/a11y/names/empty", Fixture, GUINT_TO_POINTER (0), set_up, test_names_empty, tear_down);

  return g_test_run ();
}
