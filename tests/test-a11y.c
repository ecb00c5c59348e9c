/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gstdio.h>

#include "tesoro-access.h"
#include "tesoro-contact-pane.h"
#include "tesoro-gdpr.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-preferences-window-private.h"
#include "tesoro-window-private.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/*
 * Accessibility, as a person who cannot see the screen or use a mouse meets
 * Tesoro:
 *
 * - /a11y/names/…: every control of every screen (the main window on sample
 *   data and on an empty database, the error page, each page of a contact,
 *   the menus, the trash, the editor, the history and consent dialogs, the
 *   confirmations, Preferences, the Audit Log, the erasure receipts and the
 *   Keyboard Shortcuts) has a name a screen reader can say, and says it
 *   once, without mnemonic underscores. The names are read the way Orca
 *   reads them: over AT-SPI, by tests/a11y-names.py, from this very process.
 * - /a11y/names/access: the Users and Roles pages of Preferences, each user
 *   and role unfolded, and the sign-in page of a database with two users.
 * - /a11y/keyboard/main-flow: the main flow by keyboard alone, with real
 *   key presses (xdotool, through the X server): type to search, Enter
 *   opens the first match, Tab reaches the Actions menu, Export Data (Escape
 *   cancels; a typed path and Enter saves), Delete Contact (Escape keeps the
 *   contact; Enter moves it to the trash).
 * - /a11y/keyboard/dialog-focus: a confirmation opens with the focus on its
 *   default, safe response.
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
  gui_close_other_windows (fixture);
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
 * line each; %NULL (the test is skipped) when AT-SPI's Python bindings are
 * not installed. */
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

/* Notes, listing them, the controls on screen in any window of this process
 * that have no name a screen reader can say, or a garbled one (the test
 * fails at its end, in assert_no_problems()). Fails at once when fewer than
 * @min_controls controls were seen or one of @expected (role and name, as
 * "push button|Actions") is missing: the walk did not see the screen under
 * test. */
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

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* Checks the Keyboard Shortcuts window as it opens, then turns on its
 * search (the names of both are checked after). */
static void
prepare_shortcuts (GtkWindow *window)
{
  GtkSearchEntry *entry = GTK_SEARCH_ENTRY (gui_find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY));
  const char *expected[] = { "push button|Search", NULL };

  assert_screen_reader_names ("win.show-help-overlay", 1, expected);
  g_assert_nonnull (entry);
  g_signal_emit_by_name (window, "search");
  gui_wait_for (widget_mapped, entry);
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
  g_assert_true (tesoro_session_erase_contact (fixture->session, erased, "Request by e-mail",
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
  tesoro_session_add_note (fixture->session, id, "Called about the offer", &error);
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
    const char *shortcuts[] = { "push button|Search", "entry|Search", NULL };

    check_dialog (GTK_WIDGET (fixture->window), "app.preferences", "TesoroPreferencesWindow", NULL, preferences);
    check_dialog (GTK_WIDGET (fixture->window), "app.preferences", "TesoroPreferencesWindow", prepare_preferences, NULL);
    check_dialog (GTK_WIDGET (fixture->window), "win.show-audit-log", "TesoroAuditWindow", NULL, audit);
    check_dialog (GTK_WIDGET (fixture->window), "win.show-receipts", "TesoroReceiptWindow", NULL, receipts);
    check_dialog (GTK_WIDGET (fixture->window), "win.show-help-overlay", "GtkShortcutsWindow", prepare_shortcuts, shortcuts);
  }

  /* The trash, with a contact in it, selected. */
  g_assert_true (tesoro_session_trash_contact (fixture->session, id, &error));
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

/* The keyboard */

/* Real key presses, as the X server delivers them to the focused window:
 * xdotool (XTEST). Returns FALSE (and skips the test) where there is no X
 * display or no xdotool. */
static gboolean
can_press_keys (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (gdk_display_get_default ()) && xdotool != NULL)
    return TRUE;
#endif
  g_test_skip ("needs an X display (GDK_BACKEND=x11) and xdotool to press keys");
  return FALSE;
}

/* Lets what the X server has queued for this process arrive. */
static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
wait_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static void
xdotool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  gboolean done = FALSE;

  g_assert_no_error (error);
  /* The main loop keeps running: GTK answers the X server meanwhile. */
  g_subprocess_wait_async (process, NULL, wait_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_successful (process));
  settle (150);
}

/* Presses @keys (xdotool names: "Tab", "Return", "ctrl+a"), one after
 * the other. */
static void
press (const char *keys)
{
  g_auto(GStrv) names = g_strsplit (keys, " ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add_many (builder, "xdotool", "key", "--delay", "40", NULL);
  g_strv_builder_addv (builder, (const char **) names);
  argv = g_strv_builder_end (builder);
  xdotool ((const char * const *) argv);
}

static void
type (const char *text)
{
  const char *argv[] = { "xdotool", "type", "--delay", "40", text, NULL };

  xdotool (argv);
}

static GtkWidget *
focus_of (gpointer window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static char *
describe_focus (gpointer window)
{
  GtkWidget *focus = focus_of (window);

  if (focus != NULL && GTK_IS_MENU_BUTTON (gtk_widget_get_parent (focus)))
    focus = gtk_widget_get_parent (focus);
  if (focus == NULL)
    return g_strdup ("nothing");
  return g_strdup_printf ("%s “%s” (in %s)", G_OBJECT_TYPE_NAME (focus),
                          GTK_IS_BUTTON (focus) && gtk_button_get_label (GTK_BUTTON (focus)) ? gtk_button_get_label (GTK_BUTTON (focus))
                          : gtk_widget_get_tooltip_text (focus) ? gtk_widget_get_tooltip_text (focus) : "",
                          gtk_widget_get_parent (focus) != NULL ? G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)) : "-");
}

static gboolean
window_active (gpointer window)
{
  return gtk_window_is_active (window);
}

/* Waits until @window has the keyboard. A window manager gives it to a
 * window that opens, and back to the window a dialog came from when the
 * dialog closes; Xvfb runs none, so the test asks for it as a window
 * manager would, when it does not come by itself. */
static void
focus_on (GtkWindow *window)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  g_assert_nonnull (window);
  while (!gtk_window_is_active (window) && g_get_monotonic_time () < end)
    settle (20);
  if (!gtk_window_is_active (window))
    gtk_window_present (window);
  gui_wait_for (window_active, window);
  /* What the window does as it gets the focus (restore the focus widget). */
  settle (100);
}

static gboolean
focus_in (Fixture   *fixture,
          GtkWidget *widget)
{
  GtkWidget *focus = focus_of (fixture->window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Presses Tab until the focus is on @widget, as someone without a mouse
 * gets to a control; fails when it cannot be reached that way. */
static void
tab_to (Fixture    *fixture,
        GtkWidget  *widget,
        const char *what)
{
  g_autoptr(GString) path = g_string_new (NULL);

  /* Already there: leave, then come back round. */
  if (focus_in (fixture, widget))
    press ("Tab");

  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *focus = NULL;

      press ("Tab");
      if (focus_in (fixture, widget))
        {
          g_test_message ("%s reached with %u × Tab", what, i + 1);
          return;
        }
      focus = describe_focus (fixture->window);
      g_string_append_printf (path, "\n  %s", focus);
    }

  g_error ("Tab does not reach %s; it goes through:%s", what, path->str);
}

static GtkPopover *
open_popover (GtkWidget *menu_button)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button));

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover)) ? popover : NULL;
}

static gboolean
actions_menu_open (gpointer fixture)
{
  return open_popover (((Fixture *) fixture)->window->actions_button) != NULL;
}

/* The text of the menu item that has the focus. */
static char *
focused_menu_item (Fixture *fixture)
{
  GtkWidget *focus = focus_of (fixture->window);
  char *text = NULL;

  if (focus != NULL && g_type_is_a (G_OBJECT_TYPE (focus), g_type_from_name ("GtkModelButton")))
    g_object_get (focus, "text", &text, NULL);
  return text;
}

static GtkWindow *
visible_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
chooser_open (gpointer data)
{
  return visible_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
chooser_closed (gpointer data)
{
  return visible_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL;
}

static gboolean
message_dialog_open (gpointer data)
{
  return visible_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
message_dialog_closed (gpointer data)
{
  return visible_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

/* Opens the Actions menu from the keyboard and chooses @item (the first
 * item has the focus as the menu opens; Down moves on). */
static void
choose_action (Fixture    *fixture,
               const char *item)
{
  g_autofree char *focused = NULL;

  tab_to (fixture, fixture->window->actions_button, "the Actions menu");
  press ("Return");
  gui_wait_for (actions_menu_open, fixture);

  for (guint i = 0; i < 4; i++)
    {
      g_clear_pointer (&focused, g_free);
      focused = focused_menu_item (fixture);
      if (g_strcmp0 (focused, item) == 0)
        break;
      press ("Down");
    }
  g_assert_cmpstr (focused, ==, item);
  press ("Return");
}

static const char *
focused_button_label (GtkWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return GTK_IS_BUTTON (focus) ? gtk_button_get_label (GTK_BUTTON (focus)) : NULL;
}

/* A word of a contact's name to type: plain letters, so that xdotool can
 * type it on any keyboard layout. */
static char *
word_to_search (Fixture *fixture,
                gint64  *id)
{
  GListModel *list = G_LIST_MODEL (_tesoro_window_get_contact_list (fixture->window));

  for (guint i = 7; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(TesoroContact) contact = g_list_model_get_item (list, i);
      g_auto(GStrv) words = g_strsplit (tesoro_contact_get_display_name (contact), " ", 2);
      const char *name = words[0];
      gboolean plain = name != NULL && strlen (name) >= 3;

      for (const char *p = name; plain && *p != '\0'; p++)
        plain = g_ascii_isalpha (*p);
      if (plain)
        {
          *id = tesoro_contact_get_id (contact);
          return g_ascii_strdown (name, -1);
        }
    }

  g_assert_not_reached ();
}

/* Search, open a contact, Actions → Export Data, Actions → Delete Contact →
 * Move to Trash: keys only. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  TesoroContactList *list = _tesoro_window_get_contact_list (fixture->window);
  GtkWidget *search_entry = GTK_WIDGET (_tesoro_window_get_search_entry (fixture->window));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autofree char *path = g_build_filename (fixture->dir, "keyboard-export.csv", NULL);
  g_autofree char *word = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(TesoroContact) first = NULL;
  g_autoptr(TesoroContact) trashed = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;
  gint64 wanted, id;

  if (!can_press_keys ())
    return;

  focus_on (GTK_WINDOW (fixture->window));
  word = word_to_search (fixture, &wanted);

  /* Typing anywhere opens the search with what was typed, and the list
   * shows the matches. */
  type (word);
  g_assert_true (gtk_search_bar_get_search_mode (fixture->window->search_bar));
  g_assert_true (focus_in (fixture, search_entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry)), ==, word);
  g_assert_cmpstr (_tesoro_window_get_list_page (fixture->window), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), <, total);
  g_assert_cmpuint (tesoro_contact_list_find (list, wanted), !=, G_MAXUINT);

  /* Enter opens the first match. */
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  press ("Return");
  g_assert_nonnull (shown_contact (fixture));
  id = tesoro_contact_get_id (shown_contact (fixture));
  g_assert_cmpint (id, ==, tesoro_contact_get_id (first));

  /* Actions → Export Data…: the file chooser opens; Escape cancels. */
  choose_action (fixture, "Export Data…");
  focus_on (visible_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  press ("Escape");
  gui_wait_for (chooser_closed, NULL);
  focus_on (GTK_WINDOW (fixture->window));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Again, and save: type a path over the proposed name, Enter. */
  choose_action (fixture, "Export Data…");
  gui_wait_for (chooser_open, NULL);
  focus_on (visible_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  press ("ctrl+a");
  type (path);
  press ("Return");
  gui_wait_for (gui_file_exists, path);
  gui_wait_for (chooser_closed, NULL);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, tesoro_contact_get_uid (first)));
  g_assert_nonnull (_tesoro_window_get_last_toast (fixture->window));
  focus_on (GTK_WINDOW (fixture->window));

  /* Actions → Delete Contact…: Escape keeps the contact. */
  choose_action (fixture, "Delete Contact…");
  gui_wait_for (message_dialog_open, NULL);
  focus_on (visible_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  press ("Escape");
  gui_wait_for (message_dialog_closed, NULL);
  g_assert_cmpuint (tesoro_contact_list_find (list, id), !=, G_MAXUINT);
  focus_on (GTK_WINDOW (fixture->window));

  /* Again: Enter takes the default, Move to Trash. */
  choose_action (fixture, "Delete Contact…");
  gui_wait_for (message_dialog_open, NULL);
  dialog = visible_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  focus_on (dialog);
  g_assert_cmpstr (focused_button_label (dialog), ==, "_Move to Trash");
  press ("Return");
  gui_wait_for (message_dialog_closed, NULL);
  g_assert_cmpuint (tesoro_contact_list_find (list, id), ==, G_MAXUINT);
  trashed = tesoro_session_get_contact (fixture->session, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tesoro_contact_get_trashed_at (trashed));
  g_assert_nonnull (_tesoro_window_get_last_toast (fixture->window));
  g_assert_cmpstr (adw_toast_get_button_label (_tesoro_window_get_last_toast (fixture->window)), ==, "_Undo");
}

/* Waits (2 s at most) for the focus of @dialog to settle on its default
 * response, and returns the label of the button that has it. */
static const char *
settled_focus (GtkWindow *dialog)
{
  gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end &&
         gtk_root_get_focus (GTK_ROOT (dialog)) != gtk_window_get_default_widget (dialog))
    settle (20);

  return focused_button_label (dialog);
}

/* A confirmation opens with the focus on its default response, the safe
 * one: Enter moves to the trash, and does not empty it. */
static void
test_dialog_focus (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (_tesoro_window_get_list_view (fixture->window));
  GtkWindow *dialog;

  gtk_selection_model_select_item (selection, 0, TRUE);
  gui_iterate ();
  g_assert_nonnull (shown_contact (fixture));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-contact", NULL));
  gui_wait_for (message_dialog_open, NULL);
  dialog = visible_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  focus_on (dialog);
  g_assert_cmpstr (settled_focus (dialog), ==, "_Move to Trash");
  gtk_window_close (dialog);
  gui_wait_for (message_dialog_closed, NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.trash-selection", NULL));
  gui_iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-trash", NULL));
  gui_iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.empty-trash", NULL));
  gui_wait_for (message_dialog_open, NULL);
  dialog = visible_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  focus_on (dialog);
  g_assert_cmpstr (settled_focus (dialog), ==, "_Cancel");
  gtk_window_close (dialog);
  gui_wait_for (message_dialog_closed, NULL);
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

static void
prepare_users (GtkWindow *preferences)
{
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "users");
  gui_iterate ();
  expand_all (GTK_WIDGET (preferences));
}

static void
prepare_roles (GtkWindow *preferences)
{
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "roles");
  gui_iterate ();
  expand_all (GTK_WIDGET (preferences));
}

static void
test_names_access (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *users[] = { "push button|Add User", "check box|Can sign in", NULL };
  const char *roles[] = { "push button|Add Role", "check box|Export Data of a person", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) second = NULL;
  TesoroWindow *signing_in;

  check_dialog (GTK_WIDGET (fixture->window), "app.preferences", "TesoroPreferencesWindow", prepare_users, users);
  check_dialog (GTK_WIDGET (fixture->window), "app.preferences", "TesoroPreferencesWindow", prepare_roles, roles);

  /* Two users: a new window opens on the sign-in page. */
  tesoro_session_set_password (fixture->session, tesoro_session_get_actor (fixture->session), "Zeer-geheim-42", &error);
  tesoro_session_add_user (fixture->session, "sanne", NULL, TESORO_ROLE_SALES, "Verkoop-2026!", &error);
  g_assert_no_error (error);
  second = tesoro_session_open (fixture->db_path, TESORO_SESSION_FLAGS_NONE, &error);
  g_assert_no_error (error);
  gtk_widget_set_visible (GTK_WIDGET (fixture->window), FALSE);
  signing_in = tesoro_window_new (fixture->app, second, NULL);
  gtk_window_present (GTK_WINDOW (signing_in));
  gui_iterate ();
  g_assert_cmpstr (_tesoro_window_get_page (signing_in), ==, "sign-in");
  assert_screen_reader_names ("sign-in page", 3, NULL);
  gtk_window_destroy (GTK_WINDOW (signing_in));
  gtk_widget_set_visible (GTK_WIDGET (fixture->window), TRUE);
  gui_iterate ();

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
  g_test_add ("/a11y/names/access", Fixture, GUINT_TO_POINTER (10), set_up, test_names_access, tear_down);
  g_test_add ("/a11y/keyboard/main-flow", Fixture, GUINT_TO_POINTER (40), set_up, test_keyboard, tear_down);
  g_test_add ("/a11y/keyboard/dialog-focus", Fixture, GUINT_TO_POINTER (40), set_up, test_dialog_focus, tear_down);

  return g_test_run ();
}
