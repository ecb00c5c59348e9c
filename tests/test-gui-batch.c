/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <string.h>

#include "tesoro-contact-list.h"
#include "tesoro-contact-row.h"
#include "tesoro-export-dialog-private.h"
#include "tesoro-gdpr.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-window-private.h"

/*
 * Working on a selection: the selection bar, a batch edit and its Undo,
 * Move to Trash and Undo, Delete Permanently with receipts, and exporting
 * the selection.
 */

typedef struct
{
  GuiFixture *fixture;
  GArray     *ids;
  const char *tag;
  gboolean    want;
} TagCheck;

static void
set_up (GuiFixture    *fixture,
        gconstpointer  data)
{
  g_setenv ("TESORO_NO_HOUSEKEEPING", "1", TRUE);
  gui_fixture_set_up (fixture, 40);
}

static void
tear_down (GuiFixture    *fixture,
           gconstpointer  data)
{
  gui_close_other_windows (fixture);
  gui_fixture_tear_down (fixture);
}

/* Selects rows [first, first + n) as Shift-click would. */
static GArray *
select_rows (GuiFixture *fixture,
             guint       first,
             guint       n)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (_tesoro_window_get_list_view (fixture->window));
  TesoroContactList *list = _tesoro_window_get_contact_list (fixture->window);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_selection_model_select_range (selection, first, n, TRUE);
  gui_iterate ();
  for (guint i = 0; i < n; i++)
    {
      gint64 id = tesoro_contact_list_get_id (list, first + i);
      g_array_append_val (ids, id);
    }
  return ids;
}

static gboolean
tags_are (gpointer data)
{
  TagCheck *check = data;

  for (guint i = 0; i < check->ids->len; i++)
    {
      g_autoptr(TesoroContact) c = tesoro_session_get_contact (check->fixture->session,
                                                               g_array_index (check->ids, gint64, i), NULL);
      if (c == NULL || tesoro_contact_has_tag (c, check->tag) != check->want)
        return FALSE;
    }
  return TRUE;
}

static gboolean
toast_with_undo (gpointer data)
{
  GuiFixture *fixture = data;
  AdwToast *toast = _tesoro_window_get_last_toast (fixture->window);

  return toast != NULL && g_strcmp0 (adw_toast_get_button_label (toast), "_Undo") == 0;
}

static void
test_add_tag_undo (GuiFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GArray) ids = select_rows (fixture, 3, 5);
  TagCheck check = { fixture, ids, "beurs 2026", TRUE };
  AdwMessageDialog *dialog;
  AdwToast *toast;

  /* The selection bar says how many are selected. */
  g_assert_true (gtk_revealer_get_reveal_child (fixture->window->selection_revealer));
  g_assert_cmpstr (gtk_label_get_label (fixture->window->selection_label), ==, "5 selected");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.batch-add-tag", NULL));
  gui_iterate ();
  dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "beurs 2026");
  gui_respond (dialog, "apply");

  gui_wait_for (tags_are, &check);
  gui_wait_for (toast_with_undo, fixture);
  toast = _tesoro_window_get_last_toast (fixture->window);
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "5"));

  /* Undo takes the tag off the five again. */
  g_signal_emit_by_name (toast, "button-clicked");
  check.want = FALSE;
  gui_wait_for (tags_are, &check);
}

static gboolean
organizations_are (gpointer data)
{
  TagCheck *check = data;

  for (guint i = 0; i < check->ids->len; i++)
    {
      g_autoptr(TesoroContact) c = tesoro_session_get_contact (check->fixture->session,
                                                               g_array_index (check->ids, gint64, i), NULL);
      if (c == NULL || (g_strcmp0 (tesoro_contact_get_organization (c), check->tag) == 0) != check->want)
        return FALSE;
    }
  return TRUE;
}

/* Whether a label below @widget shows @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

/* Counts the rows on screen of the contacts in @check->ids (in @n_shown)
 * and those of them whose labels show (or, when !want, do not show)
 * @check->tag (in @n_right). */
static void
count_rows_showing (GtkWidget *widget,
                    TagCheck  *check,
                    guint     *n_shown,
                    guint     *n_right)
{
  if (TESORO_IS_CONTACT_ROW (widget) && gtk_widget_get_mapped (widget))
    {
      TesoroContact *c = tesoro_contact_row_get_contact (TESORO_CONTACT_ROW (widget));

      for (guint i = 0; c != NULL && i < check->ids->len; i++)
        if (g_array_index (check->ids, gint64, i) == tesoro_contact_get_id (c))
          {
            (*n_shown)++;
            if (shows_text (widget, check->tag) == check->want)
              (*n_right)++;
          }
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    count_rows_showing (child, check, n_shown, n_right);
}

/* The list's rows on screen show what the contacts now hold (no stale
 * rows). */
static gboolean
rows_show_organizations (gpointer data)
{
  TagCheck *check = data;
  guint n_shown = 0, n_right = 0;

  count_rows_showing (GTK_WIDGET (_tesoro_window_get_list_view (check->fixture->window)), check, &n_shown, &n_right);
  return n_shown > 0 && n_right == n_shown;
}

static void
test_set_field_undo (GuiFixture    *fixture,
                     gconstpointer  data)
{
  g_autoptr(GArray) ids = select_rows (fixture, 10, 4);
  TagCheck check = { fixture, ids, "Acme B.V.", TRUE };
  AdwMessageDialog *dialog;
  GtkWidget *box;
  GtkWidget *value;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.batch-set-field", NULL));
  gui_iterate ();
  dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  box = adw_message_dialog_get_extra_child (dialog);
  /* Organisation is the first field; the value entry is the last child. */
  value = gtk_widget_get_last_child (box);
  gtk_editable_set_text (GTK_EDITABLE (value), "Acme B.V.");
  gui_respond (dialog, "apply");

  gui_wait_for (organizations_are, &check);
  gui_wait_for (rows_show_organizations, &check);
  gui_wait_for (toast_with_undo, fixture);
  g_signal_emit_by_name (_tesoro_window_get_last_toast (fixture->window), "button-clicked");
  check.want = FALSE;
  gui_wait_for (organizations_are, &check);
  gui_wait_for (rows_show_organizations, &check);
}

typedef struct
{
  TesoroContactList *list;
  guint              n;
} CountCheck;

static gboolean
count_is (gpointer data)
{
  CountCheck *check = data;
  return g_list_model_get_n_items (G_LIST_MODEL (check->list)) == check->n;
}

static void
test_trash_undo (GuiFixture    *fixture,
                 gconstpointer  data)
{
  TesoroContactList *list = _tesoro_window_get_contact_list (fixture->window);
  g_autoptr(GArray) ids = select_rows (fixture, 0, 3);
  CountCheck check = { list, 37 };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.trash-selection", NULL));
  gui_wait_for (count_is, &check);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpuint (tesoro_contact_list_find (list, g_array_index (ids, gint64, i)), ==, G_MAXUINT);
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, TRUE, NULL), ==, 3);

  gui_wait_for (toast_with_undo, fixture);
  g_signal_emit_by_name (_tesoro_window_get_last_toast (fixture->window), "button-clicked");
  check.n = 40;
  gui_wait_for (count_is, &check);
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, TRUE, NULL), ==, 0);
}

static gboolean
receipt_window_open (gpointer data)
{
  return gui_find_toplevel (g_type_from_name ("TesoroReceiptWindow")) != NULL;
}

static void
test_delete_selection (GuiFixture    *fixture,
                       gconstpointer  data)
{
  TesoroContactList *list = _tesoro_window_get_contact_list (fixture->window);
  g_autoptr(GArray) ids = select_rows (fixture, 20, 2);
  g_autoptr(GPtrArray) receipts = NULL;
  AdwMessageDialog *dialog;
  CountCheck check = { list, 38 };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-selection", NULL));
  gui_iterate ();
  dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete 2 Contacts Permanently?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  gui_respond (dialog, "delete");

  gui_wait_for (count_is, &check);
  gui_wait_for (receipt_window_open, NULL);
  receipts = tesoro_session_list_erasure_receipts (fixture->session, NULL);
  g_assert_cmpuint (receipts->len, ==, 2);
  g_assert_cmpstr (tesoro_erasure_receipt_get_method (receipts->pdata[0]), ==, "batch");
  for (guint i = 0; i < ids->len; i++)
    g_assert_null (tesoro_session_get_contact (fixture->session, g_array_index (ids, gint64, i), NULL));
}

static void
test_export_selection (GuiFixture    *fixture,
                       gconstpointer  data)
{
  g_autoptr(GArray) ids = select_rows (fixture, 5, 3);
  g_autofree char *path = g_build_filename (fixture->dir, "selection.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  TesoroContactExportOptions options;
  g_autoptr(GArray) chosen = NULL;
  GtkWindow *dialog;
  guint n_lines = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-selected", NULL));
  gui_iterate ();
  dialog = gui_find_toplevel (g_type_from_name ("TesoroExportDialog"));
  g_assert_nonnull (dialog);

  /* The selection is the scope it starts with. */
  _tesoro_export_dialog_get_options (TESORO_EXPORT_DIALOG (dialog), &options, &chosen);
  g_assert_nonnull (chosen);
  g_assert_cmpuint (chosen->len, ==, 3);
  g_assert_cmpint (options.format, ==, TESORO_CONTACT_FORMAT_CSV);

  _tesoro_export_dialog_export_to (TESORO_EXPORT_DIALOG (dialog), path);
  gui_wait_for (gui_file_exists, path);
  gui_iterate ();

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      n_lines++;
  /* A header and one row per selected contact. */
  g_assert_cmpuint (n_lines, ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui/batch/add-tag-undo", GuiFixture, NULL, set_up, test_add_tag_undo, tear_down);
  g_test_add ("/gui/batch/set-field-undo", GuiFixture, NULL, set_up, test_set_field_undo, tear_down);
  g_test_add ("/gui/batch/trash-undo", GuiFixture, NULL, set_up, test_trash_undo, tear_down);
  g_test_add ("/gui/batch/delete-permanently", GuiFixture, NULL, set_up, test_delete_selection, tear_down);
  g_test_add ("/gui/batch/export-selection", GuiFixture, NULL, set_up, test_export_selection, tear_down);

  return g_test_run ();
}
