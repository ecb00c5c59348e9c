/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include "tesoro-error.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-import-window-private.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/*
 * File → Import…, headless: the wizard's real widgets and worker threads
 * on a database of the test's own. Each step is driven as a user would:
 * the header bar's buttons, the rows' drop-downs and switches; the tests
 * wait for the workers with the main loop.
 *
 * With TESORO_IMPORT_SCREENSHOTS=DIR set (and an X display), the test
 * /gui/import/screenshots saves a picture of every step into DIR.
 */

typedef struct
{
  char        *dir;
  char        *db_path;
  TesoroSession *session;
  guint        n_imported;
  gint64       imported_batch;
  guint        n_undone;
} Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  fixture->session = gui_tmp_store_new ("tesoro-gui-import-XXXXXX", &fixture->dir, &fixture->db_path);
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

/* Helpers */

static char *
data_file (const char *name)
{
  return g_build_filename (TESORO_TEST_DATA, "csv", name, NULL);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static gint64
count_contacts (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 n = tesoro_session_count_contacts (fixture->session, FALSE, &error);

  g_assert_no_error (error);
  return n;
}

static void
add_contact (Fixture    *fixture,
             const char *given,
             const char *family,
             const char *email)
{
  g_autoptr(TesoroContact) contact = tesoro_contact_new ();
  g_autoptr(GError) error = NULL;

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  if (email != NULL)
    tesoro_contact_add_email (contact, "work", email, TRUE);
  tesoro_session_add_contact (fixture->session, contact, &error);
  g_assert_no_error (error);
}

static void
on_imported_cb (TesoroImportWindow *window,
                gint64              batch_id,
                Fixture            *fixture)
{
  fixture->n_imported++;
  fixture->imported_batch = batch_id;
}

static void
on_undone_cb (TesoroImportWindow *window,
              gint64              batch_id,
              Fixture            *fixture)
{
  g_assert_cmpint (batch_id, ==, fixture->imported_batch);
  fixture->n_undone++;
}

static TesoroImportWindow *
open_wizard (Fixture    *fixture,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TesoroImportWindow *window = tesoro_import_window_new (fixture->session, file);

  g_signal_connect (window, "imported", G_CALLBACK (on_imported_cb), fixture);
  g_signal_connect (window, "undone", G_CALLBACK (on_undone_cb), fixture);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();
  return window;
}

static gboolean
idle_cb (gpointer window)
{
  return !_tesoro_import_window_is_busy (window);
}

static void
wait_idle (TesoroImportWindow *window)
{
  gui_wait_for (idle_cb, window);
  gui_iterate ();
}

/* The button under @root that activates @action, and is on screen. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      found = find_action_button (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
can_click (TesoroImportWindow *window,
           const char         *action)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (window), action);

  return button != NULL && gtk_widget_is_sensitive (button);
}

/* Clicks the visible button of @action, which must be sensitive. */
static void
click (TesoroImportWindow *window,
       const char         *action)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (window), action);

  if (button == NULL)
    g_error ("no button for %s on step %s", action, _tesoro_import_window_get_step (window));
  if (!gtk_widget_is_sensitive (button))
    g_error ("the button for %s is insensitive on step %s", action, _tesoro_import_window_get_step (window));
  /* What a click does (gtk_widget_activate() would click a moment later). */
  g_signal_emit_by_name (button, "clicked");
  gui_iterate ();
}

static void
next (TesoroImportWindow *window,
      const char         *expected_step)
{
  click (window, "import.next");
  wait_idle (window);
  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, expected_step);
}

/* Appends the text of every label under @root, one a line. */
static void
collect_labels (GtkWidget *root,
                GString   *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child))
        g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (child)));
      collect_labels (child, text);
    }
}

/* Whether a label on screen contains @needle. */
static gboolean
shows_text (gpointer    window,
            const char *needle)
{
  g_autoptr(GString) text = g_string_new (NULL);

  collect_labels (GTK_WIDGET (window), text);
  return strstr (text->str, needle) != NULL;
}

static GtkWidget *
find_row (gpointer    window,
          const char *title)
{
  GtkWidget *row = gui_find_row (GTK_WIDGET (window), title);

  g_assert_nonnull (row);
  return row;
}

static void
set_switch (gpointer    window,
            const char *row_title,
            gboolean    active)
{
  GtkWidget *row = find_row (window, row_title);

  gtk_switch_set_active (GTK_SWITCH (gui_find_widget_of_type (row, GTK_TYPE_SWITCH)), active);
  gui_iterate ();
}

/* The row of the preview whose line is @line. */
static gpointer
preview_row (TesoroImportWindow *window,
             guint               line)
{
  GListModel *rows = _tesoro_import_window_get_preview (window);
  g_autofree char *text = g_strdup_printf ("%u", line);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      GObject *row = g_list_model_get_item (rows, i);

      /* Borrowed: the list holds it. */
      g_object_unref (row);
      if (g_strcmp0 (_tesoro_import_table_row_get_cell (row, 0), text) == 0)
        return row;
    }
  g_error ("the preview has no row for line %u", line);
}

static guint
column_of (TesoroImportWindow *window,
           const char         *header)
{
  const char * const *names = tesoro_import_session_get_header (_tesoro_import_window_get_session (window));

  for (guint c = 0; names != NULL && names[c] != NULL; c++)
    if (g_str_equal (names[c], header))
      return c;
  g_error ("no column “%s”", header);
}

/* Accessibility: every control on screen has a name a screen reader can
 * say (as in test-gui-gdpr.c). */

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_SPIN_BUTTON (widget) ||
         GTK_IS_DROP_DOWN (widget) || GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_ENTRY (widget) ||
         ADW_IS_ENTRY_ROW (widget) || GTK_IS_COLUMN_VIEW (widget) || GTK_IS_LIST_VIEW (widget) ||
         GTK_IS_CHECK_BUTTON (widget) || GTK_IS_TEXT_VIEW (widget) || GTK_IS_SCALE (widget) ||
         GTK_IS_LIST_BOX (widget) || ADW_IS_COMBO_ROW (widget);
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      return title != NULL && *title != '\0';
    }
  if (GTK_IS_BUTTON (widget))
    {
      const char *label = gtk_button_get_label (GTK_BUTTON (widget));
      return label != NULL && *label != '\0' && gtk_button_get_icon_name (GTK_BUTTON (widget)) == NULL;
    }
  return FALSE;
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *unnamed,
                 guint     *n_controls)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (is_control (widget))
    {
      (*n_controls)++;
      if (!has_accessible_name (widget))
        g_string_append_printf (unnamed, " %s(%s)", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget));
      if (!GTK_IS_BUTTON (widget) && !GTK_IS_LIST_BOX (widget))
        return;
    }

  if (GTK_IS_WINDOW_CONTROLS (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed, n_controls);
}

static void
assert_all_controls_named (gpointer window,
                           guint    min_controls)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);
  guint n_controls = 0;

  collect_unnamed (GTK_WIDGET (window), unnamed, &n_controls);
  if (unnamed->len > 0)
    g_error ("controls without an accessible name on step %s:%s",
             _tesoro_import_window_get_step (window), unnamed->str);
  g_assert_cmpuint (n_controls, >=, min_controls);
}

/* A file with a row of each problem: an invalid e-mail address (line 3),
 * an unreadable date (line 4), neither name nor e-mail address (line 5). */
static const char problems_csv[] =
  "Voornaam,Achternaam,E-mailadres,Telefoonnummer,Geboortedatum\n"
  "Jan,Jansen,jan@example.nl,06-12345678,12-03-1980\n"
  "Piet,Pietersen,piet@,,\n"
  "Klaas,Klaassen,klaas@example.nl,,31-31-1985\n"
  ",,,020-1234567,\n"
  "Anna,Bakker,anna@example.nl,,\n";

/* Tests */

static void
check_auto_mapping (Fixture    *fixture,
                    const char *name,
                    guint       min_columns,
                    const char *first_name,
                    const char *first_email)
{
  g_autofree char *path = data_file (name);
  TesoroImportWindow *window = open_wizard (fixture, path);
  guint n_columns;
  gpointer row;
  TesoroImportTotals totals;

  /* File: detected, no error, the first rows shown. */
  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, "file");
  g_assert_null (_tesoro_import_window_get_file_error (window));
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_import_window_get_sample (window)), >, 0);
  g_assert_true (shows_text (window, "CSV file"));
  g_assert_true (can_click (window, "import.next"));
  assert_all_controls_named (window, 5);

  /* Columns: every column recognised, none left to the user. */
  next (window, "columns");
  n_columns = _tesoro_import_window_get_n_columns (window);
  g_assert_cmpuint (n_columns, >=, min_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      AdwComboRow *combo = _tesoro_import_window_get_column_row (window, c);

      if (_tesoro_import_window_get_column_match (window, c) == TESORO_IMPORT_MATCH_NONE)
        g_error ("%s: column %u (“%s”) is not mapped", name, c,
                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (combo)));
      g_assert_nonnull (combo);
      g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (combo)), "Not recognised"));
    }
  assert_all_controls_named (window, 5);

  /* Preview: the first contact as stored, totals for the whole file. */
  next (window, "preview");
  g_assert_true (_tesoro_import_window_get_totals (window, &totals));
  g_assert_cmpuint (totals.records, >, 0);
  g_assert_cmpuint (totals.invalid, ==, 0);
  g_assert_cmpuint (totals.valid, ==, totals.records);
  row = g_list_model_get_item (_tesoro_import_window_get_preview (window), 0);
  g_object_unref (row);
  g_assert_cmpstr (_tesoro_import_table_row_get_cell (row, 1), ==, first_name);
  g_assert_cmpstr (_tesoro_import_table_row_get_cell (row, 2), ==, first_email);
  g_assert_true (shows_text (window, first_email));
  assert_all_controls_named (window, 5);

  gui_destroy_window (window);
  g_assert_cmpuint (fixture->n_imported, ==, 0);
}

static void
test_google_mapping (Fixture       *fixture,
                     gconstpointer  data)
{
  check_auto_mapping (fixture, "google-contacts.csv", 50, "Sophie de Vries", "sophie@bakkerijdevries.nl");
}

static void
test_outlook_mapping (Fixture       *fixture,
                      gconstpointer  data)
{
  check_auto_mapping (fixture, "outlook.csv", 80, "Anna Bakker", "a.bakker@utrecht.nl");
}

static void
test_change_target (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = data_file ("google-contacts.csv");
  TesoroImportWindow *window = open_wizard (fixture, path);
  g_autofree char *target = NULL;
  guint email1;
  guint name_column;

  next (window, "columns");
  email1 = column_of (window, "E-mail 1 - Value");
  name_column = column_of (window, "Organization 1 - Name");
  target = _tesoro_import_window_dup_column_target (window, email1);
  g_assert_true (g_str_has_prefix (target, "email/"));

  next (window, "preview");
  g_assert_cmpstr (_tesoro_import_table_row_get_cell (preview_row (window, 2), 2), ==, "sophie@bakkerijdevries.nl");
  g_assert_cmpstr (_tesoro_import_table_row_get_cell (preview_row (window, 2), 4), ==, "Bakkerij De Vries");

  /* Back: the first e-mail column left out, the organisation made a
   * custom field; the preview follows. */
  click (window, "import.back");
  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, "columns");
  g_assert_true (_tesoro_import_window_choose_target (window, email1, "ignore"));
  g_assert_true (_tesoro_import_window_choose_target (window, name_column, "custom/Organization 1 - Name"));
  g_assert_cmpint (_tesoro_import_window_get_column_match (window, email1), ==, TESORO_IMPORT_MATCH_USER);
  g_assert_cmpuint (adw_combo_row_get_selected (_tesoro_import_window_get_column_row (window, email1)), ==, 0);
  /* The choice offered for a header that is no custom field yet. */
  {
    AdwComboRow *combo = _tesoro_import_window_get_column_row (window, name_column);
    GObject *item = adw_combo_row_get_selected_item (combo);
    GtkExpression *expression = adw_combo_row_get_expression (combo);
    GValue value = G_VALUE_INIT;

    g_assert_true (gtk_expression_evaluate (expression, item, &value));
    g_assert_cmpstr (g_value_get_string (&value), ==, "New custom field “Organization 1 - Name”");
    g_value_unset (&value);
  }

  next (window, "preview");
  g_assert_cmpstr (_tesoro_import_table_row_get_cell (preview_row (window, 2), 2), ==, "sophie.devries@gmail.com");
  g_assert_cmpstr (_tesoro_import_table_row_get_cell (preview_row (window, 2), 4), ==, "");

  gui_destroy_window (window);
}

static void
test_problems (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "klanten.csv", problems_csv);
  TesoroImportWindow *window = open_wizard (fixture, path);
  TesoroImportTotals totals;
  const char *status;

  next (window, "columns");
  next (window, "preview");

  /* Each problem on its row, marked. */
  g_assert_cmpint (_tesoro_import_table_row_get_status (preview_row (window, 2)), ==, TESORO_IMPORT_ROW_NEW);
  g_assert_cmpint (_tesoro_import_table_row_get_status (preview_row (window, 3)), ==, TESORO_IMPORT_ROW_INVALID);
  status = _tesoro_import_table_row_get_status_text (preview_row (window, 3));
  g_assert_nonnull (strstr (status, "piet@"));
  g_assert_true (shows_text (window, status));
  g_assert_cmpint (_tesoro_import_table_row_get_status (preview_row (window, 4)), ==, TESORO_IMPORT_ROW_INVALID);
  status = _tesoro_import_table_row_get_status_text (preview_row (window, 4));
  g_assert_nonnull (strstr (status, "31-31-1985"));
  g_assert_true (shows_text (window, status));
  g_assert_cmpint (_tesoro_import_table_row_get_status (preview_row (window, 5)), ==, TESORO_IMPORT_ROW_INVALID);
  g_assert_true (shows_text (window, _tesoro_import_table_row_get_status_text (preview_row (window, 5))));
  g_assert_cmpint (_tesoro_import_table_row_get_status (preview_row (window, 6)), ==, TESORO_IMPORT_ROW_NEW);

  /* Totals for the whole file. */
  g_assert_true (_tesoro_import_window_get_totals (window, &totals));
  g_assert_cmpuint (totals.records, ==, 5);
  g_assert_cmpuint (totals.valid, ==, 2);
  g_assert_cmpuint (totals.invalid, ==, 3);
  g_assert_cmpuint (totals.existing, ==, 0);

  /* Invalid rows stop the import unless they are skipped. */
  g_assert_false (can_click (window, "import.next"));
  g_assert_nonnull (strstr (_tesoro_import_window_get_preview_message (window), "Skip invalid rows"));
  set_switch (window, "Skip invalid rows", TRUE);
  wait_idle (window);
  g_assert_true (can_click (window, "import.next"));

  gui_destroy_window (window);
  g_assert_cmpint (count_contacts (fixture), ==, 0);
}

static void
test_skip_invalid_report (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "klanten.csv", problems_csv);
  g_autofree char *saved_path = g_build_filename (fixture->dir, "report.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  GtkWindow *chooser;
  g_autofree char *private_report = NULL;
  g_auto(GStrv) lines = NULL;
  TesoroImportWindow *window = open_wizard (fixture, path);
  TesoroImportResult result;
  struct stat st;

  next (window, "columns");
  next (window, "preview");
  set_switch (window, "Skip invalid rows", TRUE);
  wait_idle (window);
  next (window, "existing");
  assert_all_controls_named (window, 5);
  next (window, "summary");

  g_assert_cmpuint (fixture->n_imported, ==, 1);
  g_assert_true (_tesoro_import_window_get_result (window, &result));
  g_assert_cmpint (result.batch_id, ==, fixture->imported_batch);
  g_assert_cmpuint (result.created, ==, 2);
  g_assert_cmpuint (result.invalid, ==, 3);
  g_assert_cmpint (count_contacts (fixture), ==, 2);
  g_assert_true (shows_text (window, "Import Complete"));
  assert_all_controls_named (window, 3);

  /* The report: kept privately, outside the imported file's folder. */
  private_report = g_strdup (_tesoro_import_window_get_report_path (window));
  g_assert_nonnull (private_report);
  g_assert_false (g_str_has_prefix (private_report, fixture->dir));
  g_assert_cmpint (g_stat (private_report, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_true (can_click (window, "import.save-report"));

  /* Save Report… offers a name in the Documents folder and writes a copy
   * the user alone can read. */
  click (window, "import.save-report");
  gui_wait_for (gui_file_chooser_is_open, NULL);
  chooser = gui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)), ==, "klanten - skipped rows.csv");
  gtk_editable_set_text (GTK_EDITABLE (gui_find_widget_of_type (GTK_WIDGET (chooser), GTK_TYPE_ENTRY)), saved_path);
  gui_iterate ();
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  gui_wait_for (gui_file_exists, saved_path);
  gui_iterate ();
  g_assert_cmpint (g_stat (saved_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_file_get_contents (saved_path, &report, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strchomp (report), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* a header and the three invalid rows */
  g_assert_true (g_str_has_prefix (lines[1], "3,"));
  g_assert_nonnull (strstr (lines[1], "piet@"));
  g_assert_true (g_str_has_prefix (lines[2], "4,"));
  g_assert_nonnull (strstr (lines[2], "31-31-1985"));
  g_assert_true (g_str_has_prefix (lines[3], "5,"));

  /* Closing the window deletes the private report. */
  gui_destroy_window (window);
  g_assert_false (g_file_test (private_report, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (saved_path, G_FILE_TEST_EXISTS));
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = data_file ("google-contacts.csv");
  TesoroImportWindow *window;
  TesoroImportResult result;
  gint64 before;

  add_contact (fixture, "Bestaand", "Contact", "bestaand@example.nl");
  before = count_contacts (fixture);

  window = open_wizard (fixture, path);
  next (window, "columns");
  next (window, "preview");
  next (window, "existing");
  next (window, "summary");
  g_assert_cmpuint (fixture->n_imported, ==, 1);
  g_assert_true (_tesoro_import_window_get_result (window, &result));
  g_assert_cmpuint (result.created, >, 0);
  g_assert_cmpint (count_contacts (fixture), ==, before + (gint64) result.created);
  g_assert_false (can_click (window, "import.save-report"));

  click (window, "import.undo");
  wait_idle (window);
  g_assert_cmpuint (fixture->n_undone, ==, 1);
  g_assert_cmpint (count_contacts (fixture), ==, before);
  g_assert_true (shows_text (window, "Import Undone"));
  g_assert_true (shows_text (window, "that the import created were removed."));
  g_assert_false (can_click (window, "import.undo"));

  /* Close. */
  click (window, "import.next");
  g_assert_null (gui_find_toplevel (TESORO_TYPE_IMPORT_WINDOW));
  g_assert_cmpint (count_contacts (fixture), ==, before);
}

static void
test_existing_update (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = data_file ("google-contacts.csv");
  TesoroImportWindow *window;
  TesoroImportTotals totals;
  TesoroImportResult result;
  gint64 before;

  add_contact (fixture, "Sophie", "", "Sophie@BakkerijDeVries.nl");
  before = count_contacts (fixture);

  window = open_wizard (fixture, path);
  next (window, "columns");
  next (window, "preview");
  g_assert_true (_tesoro_import_window_get_totals (window, &totals));
  g_assert_cmpuint (totals.existing, ==, 1);
  g_assert_cmpint (_tesoro_import_table_row_get_status (preview_row (window, 2)), ==, TESORO_IMPORT_ROW_EXISTING);

  next (window, "existing");
  g_assert_true (shows_text (window, "1 row has the e-mail address of a contact already in Tesoro."));
  gtk_widget_activate (find_row (window, "Fill in the empty fields of the existing contact"));
  gui_iterate ();
  next (window, "summary");

  g_assert_true (_tesoro_import_window_get_result (window, &result));
  g_assert_cmpuint (result.updated, ==, 1);
  g_assert_cmpint (count_contacts (fixture), ==, before + (gint64) result.created);
  g_assert_cmpuint (result.created, ==, totals.valid - 1);
  gui_destroy_window (window);
}

static gboolean
import_under_way (gpointer window)
{
  return _tesoro_import_window_get_import_fraction (window) > 0 || !_tesoro_import_window_is_busy (window);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("Voornaam,Achternaam,E-mailadres,Telefoonnummer,Plaats\n");
  g_autofree char *path = NULL;
  TesoroImportWindow *window;
  gint64 before;

  add_contact (fixture, "Al", "Bekend", "al@example.nl");
  before = count_contacts (fixture);

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (csv, "Jan%u,Jansen,jan%u@example.nl,06-%08u,Utrecht\n", i, i, i);
  path = write_file (fixture, "groot.csv", csv->str);

  window = open_wizard (fixture, path);
  next (window, "columns");
  click (window, "import.next");
  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, "preview");

  /* Stop checking the whole file: the import may still go ahead. */
  if (_tesoro_import_window_is_busy (window))
    {
      click (window, "import.stop-checking");
      wait_idle (window);
    }
  next (window, "existing");

  click (window, "import.next");
  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, "import");
  g_assert_true (_tesoro_import_window_is_busy (window));
  gui_wait_for (import_under_way, window);
  g_assert_true (_tesoro_import_window_is_busy (window));
  click (window, "import.cancel");
  wait_idle (window);

  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, "import");
  g_assert_true (shows_text (window, "Import Cancelled"));
  g_assert_true (shows_text (window, "Nothing was imported."));
  g_assert_cmpuint (fixture->n_imported, ==, 0);
  g_assert_cmpint (count_contacts (fixture), ==, before);

  /* Back to try again, or close. */
  g_assert_true (can_click (window, "import.back"));
  click (window, "import.next");
  g_assert_null (gui_find_toplevel (TESORO_TYPE_IMPORT_WINDOW));
}

static void
test_invalid_further_down (Fixture       *fixture,
                           gconstpointer  data)
{
  /* The invalid row is past what the preview reads when the check is
   * stopped: the import meets it and stores nothing. */
  g_autoptr(GString) csv = g_string_new ("Voornaam,E-mailadres\n");
  g_autofree char *path = NULL;
  TesoroImportWindow *window;

  for (guint i = 0; i < 60; i++)
    g_string_append_printf (csv, "Jan%u,jan%u@example.nl\n", i, i);
  g_string_append (csv, "Piet,piet@\n");
  path = write_file (fixture, "later.csv", csv->str);

  window = open_wizard (fixture, path);
  next (window, "columns");
  click (window, "import.next");
  wait_idle (window);
  /* The check of the whole file found it. */
  g_assert_false (can_click (window, "import.next"));
  g_assert_nonnull (_tesoro_import_window_get_preview_message (window));
  gui_destroy_window (window);
  g_assert_cmpint (count_contacts (fixture), ==, 0);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = data_file ("nul-byte.csv");
  TesoroImportWindow *window = open_wizard (fixture, path);
  const char *error = _tesoro_import_window_get_file_error (window);

  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, "file");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "line 2"));
  g_assert_true (shows_text (window, error));
  g_assert_false (can_click (window, "import.next"));
  gui_destroy_window (window);
}

static void
test_file_options (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "puntkomma.csv",
                                      "Naam;E-mail\n"
                                      "Jan Jansen;jan@example.nl\n"
                                      "Piet de Vries;piet@example.nl\n");
  TesoroImportWindow *window = open_wizard (fixture, path);
  TesoroImportSession *import = _tesoro_import_window_get_session (window);
  AdwComboRow *delimiter = ADW_COMBO_ROW (find_row (window, "Columns separated by"));
  GListModel *sample = _tesoro_import_window_get_sample (window);
  g_autoptr(GObject) first = NULL;

  /* Detected: semicolons, a header. */
  g_assert_cmpint (tesoro_import_session_get_delimiter (import), ==, ';');
  g_assert_cmpuint (adw_combo_row_get_selected (delimiter), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (sample), ==, 2);

  /* Commas instead: one column; the sample follows. */
  adw_combo_row_set_selected (delimiter, 0);
  gui_iterate ();
  g_assert_cmpint (tesoro_import_session_get_delimiter (import), ==, ',');
  g_assert_cmpuint (tesoro_import_session_get_n_columns (import), ==, 1);
  adw_combo_row_set_selected (delimiter, 1);
  gui_iterate ();
  g_assert_cmpuint (tesoro_import_session_get_n_columns (import), ==, 2);

  /* No header: the first row becomes data. */
  set_switch (window, "First row is a header", FALSE);
  g_assert_false (tesoro_import_session_get_has_header (import));
  g_assert_cmpuint (g_list_model_get_n_items (sample), ==, 3);
  first = g_list_model_get_item (sample, 0);
  g_assert_cmpstr (_tesoro_import_table_row_get_cell (first, 0), ==, "Naam");
  next (window, "columns");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (_tesoro_import_window_get_column_row (window, 0))),
                   ==, "Column 1");

  gui_destroy_window (window);
}

static void
test_file_encoding (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = data_file ("windows-1252.csv");
  TesoroImportWindow *window = open_wizard (fixture, path);
  AdwComboRow *encoding = ADW_COMBO_ROW (find_row (window, "Encoding"));
  const char *error;

  /* Detected: Windows-1252 (the fifth choice). */
  g_assert_null (_tesoro_import_window_get_file_error (window));
  g_assert_cmpuint (adw_combo_row_get_selected (encoding), ==, 4);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoding)), ==, "Detected automatically");

  /* Read as UTF-8 it is not valid: said where, Next off, and the same row
   * puts it right. */
  adw_combo_row_set_selected (encoding, 0);
  gui_iterate ();
  error = _tesoro_import_window_get_file_error (window);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "line"));
  g_assert_true (shows_text (window, error));
  g_assert_false (can_click (window, "import.next"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (encoding)));
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_import_window_get_sample (window)), ==, 0);

  adw_combo_row_set_selected (encoding, 4);
  gui_iterate ();
  g_assert_null (_tesoro_import_window_get_file_error (window));
  g_assert_true (can_click (window, "import.next"));
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_import_window_get_sample (window)), >, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoding)), ==, "");

  gui_destroy_window (window);
}

static void
test_vcard (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (TESORO_TEST_DATA, "vcard", "google.vcf", NULL);
  TesoroImportWindow *window = open_wizard (fixture, path);
  TesoroImportResult result;

  g_assert_null (_tesoro_import_window_get_file_error (window));
  g_assert_true (shows_text (window, "vCard file"));
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_import_window_get_sample (window)), >, 0);
  /* No columns to map: straight to the preview. */
  next (window, "preview");
  assert_all_controls_named (window, 5);
  next (window, "existing");
  next (window, "summary");
  g_assert_true (_tesoro_import_window_get_result (window, &result));
  g_assert_cmpuint (result.created, >, 0);
  g_assert_cmpint (count_contacts (fixture), ==, (gint64) result.created);
  gui_destroy_window (window);
}

static gboolean
file_selected (gpointer chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL;
}

static gboolean
wizard_shown (gpointer window)
{
  return gtk_widget_get_mapped (window);
}

static void
test_choose_file (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = data_file ("google-contacts.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TesoroImportWindow *window;
  GtkWindow *chooser;
  GListModel *filters;

  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());

  gtk_window_present (parent);

  /* File → Import… asks for the file first; the wizard waits hidden. */
  window = tesoro_import_window_choose_file (parent, fixture->session);
  g_signal_connect (window, "imported", G_CALLBACK (on_imported_cb), fixture);
  gui_wait_for (gui_file_chooser_is_open, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  chooser = gui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 4);
  g_object_unref (filters);

  /* Type the file's path, as a user may (the location entry opens). */
  g_signal_emit_by_name (gui_find_widget_of_type (GTK_WIDGET (chooser), GTK_TYPE_FILE_CHOOSER_WIDGET),
                         "location-popup", path);
  gui_wait_for (file_selected, chooser);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  gui_wait_for (wizard_shown, window);
  g_assert_true (g_file_equal (tesoro_import_window_get_file (window), file));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == parent);
  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, "file");
  g_assert_null (_tesoro_import_window_get_file_error (window));
  gui_destroy_window (window);

  /* Cancel in the file chooser: no wizard. */
  window = tesoro_import_window_choose_file (parent, fixture->session);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gui_wait_for (gui_file_chooser_is_open, NULL);
  gtk_dialog_response (GTK_DIALOG (gui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG)), GTK_RESPONSE_CANCEL);
  gui_iterate ();
  g_assert_null (window);
  g_assert_null (gui_find_toplevel (TESORO_TYPE_IMPORT_WINDOW));
  gtk_window_destroy (parent);
}

static gboolean
left_file_step (gpointer window)
{
  return g_strcmp0 (_tesoro_import_window_get_step (window), "file") != 0;
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = data_file ("google-contacts.csv");
  TesoroImportWindow *window = open_wizard (fixture, path);

  /* Enter activates the default widget, Next, which has the focus. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 find_action_button (GTK_WIDGET (window), "import.next"));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) ==
                 find_action_button (GTK_WIDGET (window), "import.next"));
  g_signal_emit_by_name (window, "activate-default");
  gui_wait_for (left_file_step, window);
  g_assert_cmpstr (_tesoro_import_window_get_step (window), ==, "columns");

  /* Escape is Cancel: the window closes, nothing imported. */
  g_object_ref (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "import.cancel", NULL);
  gui_iterate ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_finalize_object (window);
  g_assert_cmpint (count_contacts (fixture), ==, 0);
}

/* Screenshots (TESORO_IMPORT_SCREENSHOTS=DIR, under X11) */

#ifdef GDK_WINDOWING_X11

/* The window's part of the screen, or with @whole_screen all of it (a
 * popover may reach beyond the window: there is no window manager). */
static void
screenshot (TesoroImportWindow *window,
            const char         *dir,
            const char         *name,
            gboolean            whole_screen)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *file = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* Let it draw. */
  for (guint i = 0; i < 30; i++)
    {
      gui_iterate ();
      g_usleep (20000);
    }

  file = g_strdup_printf ("%s/%s.png", dir, name);
  if (whole_screen)
    command = g_strdup_printf ("import -window root -strip %s", file);
  else
    command = g_strdup_printf ("sh -c 'eval $(xdotool getwindowgeometry --shell %lu); "
                             "import -window root -crop ${WIDTH}x${HEIGHT}+${X}+${Y} +repage -strip %s'",
                             (gulong) gdk_x11_surface_get_xid (surface), file);
  g_spawn_command_line_sync (command, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("%s", file);
}

#endif

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
#ifndef GDK_WINDOWING_X11
  g_test_skip ("screenshots are taken under X11 only");
#else
  const char *dir = g_getenv ("TESORO_IMPORT_SCREENSHOTS");
  g_autofree char *path = NULL;
  g_autofree char *google = data_file ("google-contacts.csv");
  g_autoptr(GString) csv = NULL;
  TesoroImportWindow *window;
  const char *lang = g_getenv ("TESORO_IMPORT_SCREENSHOTS_SUFFIX");
  g_autofree char *suffix = g_strdup (lang != NULL ? lang : "");
  g_autofree char *name = NULL;

#define SHOT_FULL(what, full) \
  (g_free (name), name = g_strconcat (what, suffix, NULL), screenshot (window, dir, name, full))
#define SHOT(what) SHOT_FULL (what, FALSE)

  if (dir == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("set TESORO_IMPORT_SCREENSHOTS=DIR and run under X11 to take screenshots");
      return;
    }

  add_contact (fixture, "Sophie", "", "sophie@bakkerijdevries.nl");

  /* The Google file: File, Columns (one drop-down open), a remembered
   * mapping later. */
  window = open_wizard (fixture, google);
  SHOT ("1-file");
  next (window, "columns");
  SHOT ("2-columns");
  /* A column's drop-down open. */
  gtk_widget_activate (GTK_WIDGET (_tesoro_import_window_get_column_row (window, column_of (window, "Given Name"))));
  SHOT_FULL ("2-columns-choices", TRUE);
  gui_destroy_window (window);

  /* A file with problems, 400 rows, and a few rows of people already in
   * Tesoro. */
  csv = g_string_new (problems_csv);
  g_string_append (csv, "Sophie,de Vries,sophie@bakkerijdevries.nl,030-1234567,\n");
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (csv, "Klant%u,Jansen,klant%u@example.nl,06-%08u,\n", i, i, i);
  path = write_file (fixture, "klanten.csv", csv->str);
  window = open_wizard (fixture, path);
  next (window, "columns");
  next (window, "preview");
  SHOT ("3-preview-problems");
  set_switch (window, _("Skip invalid rows"), TRUE);   /* in the language of the screenshots */
  wait_idle (window);
  SHOT ("3-preview-skip");
  next (window, "existing");
  SHOT ("4-existing");
  next (window, "summary");
  SHOT ("6-summary");
  click (window, "import.undo");
  wait_idle (window);
  SHOT ("6-summary-undone");
  gui_destroy_window (window);

  /* The same layout again: its mapping is remembered. */
  window = open_wizard (fixture, path);
  next (window, "columns");
  SHOT ("2-columns-remembered");
  gui_destroy_window (window);

  /* Cancelled, and a file that cannot be read. */
  g_string_truncate (csv, 0);
  g_string_append (csv, "Voornaam,E-mailadres\n");
  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (csv, "Jan%u,jan%u@example.nl\n", i, i);
  g_clear_pointer (&path, g_free);
  path = write_file (fixture, "groot.csv", csv->str);
  window = open_wizard (fixture, path);
  next (window, "columns");
  click (window, "import.next");
  SHOT ("3-preview-checking");
  if (_tesoro_import_window_is_busy (window))
    click (window, "import.stop-checking");
  wait_idle (window);
  next (window, "existing");
  click (window, "import.next");
  gui_wait_for (import_under_way, window);
  SHOT ("5-import");
  click (window, "import.cancel");
  wait_idle (window);
  SHOT ("5-import-cancelled");
  gui_destroy_window (window);

  g_clear_pointer (&path, g_free);
  path = data_file ("truncated.csv");
  window = open_wizard (fixture, path);
  SHOT ("1-file-error");
  gui_destroy_window (window);

  g_clear_pointer (&path, g_free);
  path = g_build_filename (TESORO_TEST_DATA, "vcard", "apple-ios.vcf", NULL);
  window = open_wizard (fixture, path);
  SHOT ("1-file-vcard");
  gui_destroy_window (window);

#undef SHOT
#undef SHOT_FULL
#endif
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("TESORO_LOCALEDIR");

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* The screenshots are taken in the user's language too. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() sets an English locale; the screenshots are also
   * taken in the language of the environment. */
  if (g_getenv ("TESORO_IMPORT_SCREENSHOTS") != NULL)
    setlocale (LC_ALL, "");
  adw_init ();

  g_test_add ("/gui/import/mapping/google", Fixture, NULL, set_up, test_google_mapping, tear_down);
  g_test_add ("/gui/import/mapping/outlook", Fixture, NULL, set_up, test_outlook_mapping, tear_down);
  g_test_add ("/gui/import/mapping/change-target", Fixture, NULL, set_up, test_change_target, tear_down);
  g_test_add ("/gui/import/file/options", Fixture, NULL, set_up, test_file_options, tear_down);
  g_test_add ("/gui/import/file/choose", Fixture, NULL, set_up, test_choose_file, tear_down);
  g_test_add ("/gui/import/file/encoding", Fixture, NULL, set_up, test_file_encoding, tear_down);
  g_test_add ("/gui/import/file/malformed", Fixture, NULL, set_up, test_malformed, tear_down);
  g_test_add ("/gui/import/file/vcard", Fixture, NULL, set_up, test_vcard, tear_down);
  g_test_add ("/gui/import/preview/problems", Fixture, NULL, set_up, test_problems, tear_down);
  g_test_add ("/gui/import/preview/invalid-further-down", Fixture, NULL, set_up, test_invalid_further_down, tear_down);
  g_test_add ("/gui/import/run/skip-invalid-report", Fixture, NULL, set_up, test_skip_invalid_report, tear_down);
  g_test_add ("/gui/import/run/existing-update", Fixture, NULL, set_up, test_existing_update, tear_down);
  g_test_add ("/gui/import/run/cancel", Fixture, NULL, set_up, test_cancel, tear_down);
  g_test_add ("/gui/import/run/undo", Fixture, NULL, set_up, test_undo, tear_down);
  g_test_add ("/gui/import/keyboard", Fixture, NULL, set_up, test_keyboard, tear_down);
  g_test_add ("/gui/import/screenshots", Fixture, NULL, set_up, test_screenshots, tear_down);

  return g_test_run ();
}
