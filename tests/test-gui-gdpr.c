/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tesoro-audit-window-private.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-preferences-window-private.h"
#include "tesoro-receipt-window-private.h"
#include "tesoro-retention-preview.h"
#include "tesoro-utils.h"

/*
 * The GDPR windows, headless: Preferences → Privacy (retention, its
 * preview, trash expiry, consent purposes), the Audit Log and the erasure
 * receipts. Each test works on a database of its own, as a user would.
 */

typedef struct
{
  char        *dir;
  char        *db_path;
  TesoroSession *session;
} Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  fixture->session = gui_tmp_store_new ("tesoro-gui-gdpr-XXXXXX", &fixture->dir, &fixture->db_path);
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
             const char *last_activity_at)
{
  g_autoptr(TesoroContact) contact = tesoro_contact_new ();
  g_autoptr(GError) error = NULL;

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  if (last_activity_at != NULL)
    {
      tesoro_contact_set_created_at (contact, last_activity_at);
      tesoro_contact_set_updated_at (contact, last_activity_at);
      tesoro_contact_set_last_activity_at (contact, last_activity_at);
    }
  tesoro_session_add_contact (fixture->session, contact, &error);
  g_assert_no_error (error);

  return tesoro_contact_get_id (contact);
}

static char *
iso_years_ago (int years,
               int extra_days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then_years = g_date_time_add_years (now, -years);
  g_autoptr(GDateTime) then = g_date_time_add_days (then_years, -extra_days);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static guint
count_audit (Fixture    *fixture,
             const char *action)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  TesoroAuditFilter filter;

  tesoro_audit_filter_init (&filter);
  filter.action = action;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_no_error (error);

  return entries->len;
}

static TesoroGdprSettings
stored_settings (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  TesoroGdprSettings settings;

  tesoro_session_get_gdpr_settings (fixture->session, &settings, &error);
  g_assert_no_error (error);
  return settings;
}

/* Accessibility: every control a person can reach (on screen) has a name a
 * screen reader can say: an accessible label, a labelling widget, or (for a
 * button) its visible label. Composite controls name their own parts. */

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_SPIN_BUTTON (widget) ||
         GTK_IS_DROP_DOWN (widget) || GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_ENTRY (widget) ||
         ADW_IS_ENTRY_ROW (widget) || GTK_IS_COLUMN_VIEW (widget) || GTK_IS_LIST_VIEW (widget) ||
         GTK_IS_CHECK_BUTTON (widget) || GTK_IS_TEXT_VIEW (widget) || GTK_IS_SCALE (widget);
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
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
  /* What is not on screen cannot be reached (such as the search entry of
   * AdwPreferencesWindow, which Tesoro turns off). */
  if (!gtk_widget_get_mapped (widget))
    return;

  if (is_control (widget))
    {
      (*n_controls)++;
      if (!has_accessible_name (widget))
        g_string_append_printf (unnamed, " %s(%s)", G_OBJECT_TYPE_NAME (widget),
                                gtk_widget_get_name (widget));
      /* Its parts are its own business. */
      if (!GTK_IS_BUTTON (widget))
        return;
    }

  /* The window buttons of the header bars are GTK's: checked by GTK. */
  if (GTK_IS_WINDOW_CONTROLS (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed, n_controls);
}

static void
assert_all_controls_named (GtkWidget *root,
                           guint      min_controls)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);
  guint n_controls = 0;

  collect_unnamed (root, unnamed, &n_controls);
  if (unnamed->len > 0)
    g_error ("controls without an accessible name in %s:%s", G_OBJECT_TYPE_NAME (root), unnamed->str);
  g_assert_cmpuint (n_controls, >=, min_controls);
}

/* The GtkStack under @root that has a page named @page. */
static GtkStack *
find_stack_with_page (GtkWidget  *root,
                      const char *page)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found;

      if (GTK_IS_STACK (child) && gtk_stack_get_child_by_name (GTK_STACK (child), page) != NULL)
        return GTK_STACK (child);
      found = find_stack_with_page (child, page);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Appends the text of every label under @root, one a line. */
static void
collect_labels (GtkWidget *root,
                GString   *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (child)));
      collect_labels (child, text);
    }
}

static gboolean
shows_line (GtkWidget  *root,
            const char *line)
{
  g_autoptr(GString) text = g_string_new ("\n");
  g_autofree char *needle = g_strdup_printf ("\n%s\n", line);

  collect_labels (root, text);
  return strstr (text->str, needle) != NULL;
}

/* Preferences */

static gboolean
save_done (gpointer data)
{
  return !_tesoro_preferences_window_save_pending (data);
}

static void
count_signal_cb (gpointer  instance,
                 guint    *count)
{
  (*count)++;
}

static GtkSpinButton *
spin_in_row (GtkWidget  *window,
             const char *title)
{
  GtkWidget *row = gui_find_row (window, title);

  g_assert_nonnull (row);
  return GTK_SPIN_BUTTON (gui_find_widget_of_type (row, GTK_TYPE_SPIN_BUTTON));
}

static void
test_preferences_settings (Fixture       *fixture,
                           gconstpointer  data)
{
  TesoroPreferencesWindow *window = tesoro_preferences_window_new (fixture->session);
  GtkWidget *switch_row;
  GtkSwitch *retention_switch;
  GtkSpinButton *years;
  GtkSpinButton *days;
  GtkWindow *dialog;
  guint changed = 0;
  guint settings_entries = count_audit (fixture, TESORO_AUDIT_SETTINGS);

  g_signal_connect (window, "settings-changed", G_CALLBACK (count_signal_cb), &changed);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();

  /* The defaults: retention off, 5 years, 30 days in the trash. */
  switch_row = gui_find_row (GTK_WIDGET (window), "Delete inactive contacts automatically");
  g_assert_nonnull (switch_row);
  g_assert_true (gtk_widget_is_sensitive (switch_row));
  retention_switch = GTK_SWITCH (gui_find_widget_of_type (switch_row, GTK_TYPE_SWITCH));
  years = spin_in_row (GTK_WIDGET (window), "Retention period");
  days = spin_in_row (GTK_WIDGET (window), "Erase trashed contacts after");
  g_assert_false (gtk_switch_get_active (retention_switch));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (years), ==, 5);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (days), ==, 30);
  g_assert_cmpfloat (gtk_adjustment_get_lower (gtk_spin_button_get_adjustment (years)), ==, 1);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (years)), ==, 100);

  /* Changing the period saves it a moment later, audited once. */
  gtk_spin_button_set_value (years, 6);
  gtk_spin_button_set_value (years, 7);
  g_assert_cmpuint (stored_settings (fixture).retention_years, ==, 5);
  gui_wait_for (save_done, window);
  g_assert_cmpuint (stored_settings (fixture).retention_years, ==, 7);
  g_assert_cmpuint (count_audit (fixture, TESORO_AUDIT_SETTINGS), ==, settings_entries + 1);
  g_assert_cmpuint (changed, ==, 1);

  /* Turning retention on asks first; Cancel leaves it off. */
  gtk_switch_set_active (retention_switch, TRUE);
  gui_iterate ();
  dialog = gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Turn On Automatic Deletion?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "more than 7 years"));
  g_assert_false (gtk_switch_get_active (retention_switch));
  g_assert_false (stored_settings (fixture).retention_enabled);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gui_iterate ();
  g_assert_false (gtk_switch_get_active (retention_switch));
  g_assert_false (stored_settings (fixture).retention_enabled);

  /* … and Turn On turns it on, saved at once. */
  gtk_switch_set_active (retention_switch, TRUE);
  gui_iterate ();
  dialog = gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "turn-on");
  gui_iterate ();
  g_assert_true (gtk_switch_get_active (retention_switch));
  g_assert_true (stored_settings (fixture).retention_enabled);
  g_assert_cmpuint (changed, ==, 2);

  /* The trash period: closing the window saves what was typed. */
  gtk_spin_button_set_value (days, 0);
  g_assert_cmpuint (stored_settings (fixture).trash_expiry_days, ==, 30);
  gtk_window_close (GTK_WINDOW (window));
  gui_iterate ();
  g_assert_cmpuint (stored_settings (fixture).trash_expiry_days, ==, 0);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (count_audit (fixture, TESORO_AUDIT_SETTINGS), ==, settings_entries + 3);

  /* A new window shows what is stored. */
  window = tesoro_preferences_window_new (fixture->session);
  retention_switch = GTK_SWITCH (gui_find_widget_of_type (gui_find_row (GTK_WIDGET (window), "Delete inactive contacts automatically"),
                                                          GTK_TYPE_SWITCH));
  g_assert_true (gtk_switch_get_active (retention_switch));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_in_row (GTK_WIDGET (window), "Retention period")), ==, 7);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_in_row (GTK_WIDGET (window), "Erase trashed contacts after")), ==, 0);

  /* Turning it off needs no confirmation. */
  gtk_switch_set_active (retention_switch, FALSE);
  gui_iterate ();
  g_assert_null (gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_false (stored_settings (fixture).retention_enabled);
  gui_destroy_window (window);
}

static void
test_preferences_read_only (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TesoroSession) read_only = NULL;
  g_autoptr(GError) error = NULL;
  TesoroPreferencesWindow *window;
  GtkWidget *row;

  read_only = tesoro_session_open (fixture->db_path, TESORO_SESSION_FLAGS_READ_ONLY, &error);
  g_assert_no_error (error);
  window = tesoro_preferences_window_new (read_only);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();

  row = gui_find_row (GTK_WIDGET (window), "Delete inactive contacts automatically");
  g_assert_false (gtk_widget_is_sensitive (row));
  g_assert_false (gtk_widget_is_sensitive (gui_find_row (GTK_WIDGET (window), "Retention period")));
  g_assert_false (gtk_widget_is_sensitive (gui_find_row (GTK_WIDGET (window), "Erase trashed contacts after")));
  g_assert_false (gtk_widget_is_sensitive (gui_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW)));
  /* Preview only reads: it stays available. */
  g_assert_true (gtk_widget_is_sensitive (gui_find_row (GTK_WIDGET (window), "Who would be deleted now")));

  gui_destroy_window (window);
}

static gboolean
preview_loaded (gpointer data)
{
  TesoroPreferencesWindow *window = data;
  TesoroRetentionPreview *preview = _tesoro_preferences_window_get_preview (window);

  return preview != NULL && !tesoro_retention_preview_get_loading (preview);
}

static const char *
preview_title (TesoroRetentionPreview *preview)
{
  AdwWindowTitle *title = ADW_WINDOW_TITLE (gui_find_widget_of_type (GTK_WIDGET (preview), ADW_TYPE_WINDOW_TITLE));

  return adw_window_title_get_title (title);
}

static void
test_preferences_preview (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ten_years = iso_years_ago (10, 0);
  g_autofree char *eight_years = iso_years_ago (8, 0);
  g_autofree char *six_years = iso_years_ago (6, 3);
  g_autofree char *three_years = iso_years_ago (3, 0);
  g_autofree char *almost_five = iso_years_ago (4, 300);
  TesoroPreferencesWindow *window;
  TesoroRetentionPreview *preview;
  GListModel *model;
  gint64 oldest, trashed, held, recent, six, borderline;

  oldest = add_contact (fixture, "Anna", "Oud", ten_years);
  trashed = add_contact (fixture, "Bram", "Prullenbak", eight_years);
  held = add_contact (fixture, "Cees", "Bewaard", ten_years);
  six = add_contact (fixture, "Dirk", "Zesjaar", six_years);
  recent = add_contact (fixture, "Eva", "Recent", three_years);
  borderline = add_contact (fixture, "Fleur", "Bijna", almost_five);
  add_contact (fixture, "Gijs", "Nu", NULL);

  tesoro_session_trash_contact (fixture->session, trashed, &error);
  g_assert_no_error (error);
  tesoro_session_set_legal_hold (fixture->session, held, TRUE, "Lopende rechtszaak", &error);
  g_assert_no_error (error);

  window = tesoro_preferences_window_new (fixture->session);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();

  /* Five years: the ten-, eight- and six-year inactive ones, not the one on
   * hold, longest inactive first, the trashed one included and marked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "preferences.preview", NULL));
  gui_wait_for (preview_loaded, window);
  preview = _tesoro_preferences_window_get_preview (window);
  g_assert_cmpuint (tesoro_retention_preview_get_years (preview), ==, 5);
  model = tesoro_retention_preview_get_model (preview);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  {
    g_autoptr(TesoroContact) first = g_list_model_get_item (model, 0);
    g_autoptr(TesoroContact) second = g_list_model_get_item (model, 1);
    g_autoptr(TesoroContact) third = g_list_model_get_item (model, 2);
    g_autoptr(GPtrArray) expected = tesoro_session_find_retention_candidates (fixture->session, 5, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (expected->len, ==, 3);
    g_assert_cmpint (tesoro_contact_get_id (first), ==, oldest);
    g_assert_cmpint (tesoro_contact_get_id (second), ==, trashed);
    g_assert_cmpint (tesoro_contact_get_id (third), ==, six);
    g_assert_cmpstr (tesoro_contact_get_display_name (first), ==, "Anna Oud");
    g_assert_nonnull (tesoro_contact_get_trashed_at (second));
  }
  g_assert_cmpstr (preview_title (preview), ==, "3 Contacts Would Be Deleted");
  /* On screen: names, the day of the last activity, the trash. */
  gui_iterate ();
  {
    g_autoptr(GDateTime) then = g_date_time_new_from_iso8601 (ten_years, NULL);
    g_autoptr(GDateTime) local = g_date_time_to_local (then);
    g_autofree char *day = g_date_time_format (local, "%-d %B %Y");

    g_assert_true (shows_line (GTK_WIDGET (preview), "Anna Oud"));
    g_assert_true (shows_line (GTK_WIDGET (preview), "Bram Prullenbak"));
    g_assert_true (shows_line (GTK_WIDGET (preview), day));
    g_assert_true (shows_line (GTK_WIDGET (preview), "In the trash"));
    g_assert_false (shows_line (GTK_WIDGET (preview), "Cees Bewaard"));
  }
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TesoroContact) contact = g_list_model_get_item (model, i);
      gint64 id = tesoro_contact_get_id (contact);

      g_assert_true (id != held && id != recent && id != borderline);
    }

  /* Back, and a period of 7 years: only the ten- and eight-year ones. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview), "preferences.close-subpage", NULL));
  gui_iterate ();
  gtk_spin_button_set_value (spin_in_row (GTK_WIDGET (window), "Retention period"), 7);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "preferences.preview", NULL));
  gui_wait_for (preview_loaded, window);
  preview = _tesoro_preferences_window_get_preview (window);
  model = tesoro_retention_preview_get_model (preview);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (preview_title (preview), ==, "2 Contacts Would Be Deleted");

  /* Twenty years: nobody, and the page says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview), "preferences.close-subpage", NULL));
  gui_iterate ();
  gtk_spin_button_set_value (spin_in_row (GTK_WIDGET (window), "Retention period"), 20);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "preferences.preview", NULL));
  gui_wait_for (preview_loaded, window);
  preview = _tesoro_preferences_window_get_preview (window);
  g_assert_cmpuint (g_list_model_get_n_items (tesoro_retention_preview_get_model (preview)), ==, 0);
  g_assert_cmpstr (preview_title (preview), ==, "Nobody Would Be Deleted");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (find_stack_with_page (GTK_WIDGET (preview), "error")), ==, "empty");

  /* Previewing deletes nobody. */
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, FALSE, NULL), ==, 6);
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, TRUE, NULL), ==, 1);

  gui_destroy_window (window);
}

static void
test_preferences_purposes (Fixture       *fixture,
                           gconstpointer  data)
{
  TesoroPreferencesWindow *window = tesoro_preferences_window_new (fixture->session);
  g_autoptr(GPtrArray) purposes = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *entry;
  AdwToast *toast;
  guint changed = 0;

  g_signal_connect (window, "purposes-changed", G_CALLBACK (count_signal_cb), &changed);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();

  /* The default purpose is listed. */
  g_assert_nonnull (gui_find_row (GTK_WIDGET (window), "Marketing e-mail"));

  /* Adding one: its key comes from its name. */
  entry = gui_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW);
  gui_type_into (entry, "  Nieuwsbrief & Événementen ");
  g_signal_emit_by_name (entry, "apply");
  gui_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_nonnull (gui_find_row (GTK_WIDGET (window), "Nieuwsbrief & Événementen"));
  g_assert_cmpuint (changed, ==, 1);
  toast = _tesoro_preferences_window_get_last_toast (window);
  /* (A toast's title is markup.) */
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Added the purpose “Nieuwsbrief &amp; Événementen”");

  purposes = tesoro_session_list_consent_purposes (fixture->session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (purposes->len, ==, 2);
  g_assert_cmpstr (((TesoroConsentPurpose *) purposes->pdata[1])->key, ==, "nieuwsbrief-evenementen");
  g_assert_cmpstr (((TesoroConsentPurpose *) purposes->pdata[1])->name, ==, "Nieuwsbrief & Événementen");
  g_assert_cmpuint (count_audit (fixture, TESORO_AUDIT_PURPOSE_ADDED), ==, 1);

  /* The same name again is refused, with a toast that says why. */
  gui_type_into (entry, "nieuwsbrief & evenementen");
  g_signal_emit_by_name (entry, "apply");
  gui_iterate ();
  toast = _tesoro_preferences_window_get_last_toast (window);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "There is already a purpose named “Nieuwsbrief &amp; Événementen”");
  g_assert_cmpuint (changed, ==, 1);

  /* A name that gives a key already taken gets a numbered key. */
  gui_type_into (entry, "Nieuwsbrief: evenementen");
  g_signal_emit_by_name (entry, "apply");
  gui_iterate ();
  g_clear_pointer (&purposes, g_ptr_array_unref);
  purposes = tesoro_session_list_consent_purposes (fixture->session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (purposes->len, ==, 3);
  g_assert_cmpstr (((TesoroConsentPurpose *) purposes->pdata[2])->key, ==, "nieuwsbrief-evenementen-2");

  /* Keys from names. */
  {
    g_autofree char *a = _tesoro_purpose_key_from_name ("E-mail marketing");
    g_autofree char *b = _tesoro_purpose_key_from_name ("Straße ß");
    g_autofree char *c = _tesoro_purpose_key_from_name ("ニュース");
    g_autofree char *d = _tesoro_purpose_key_from_name ("--Events 2025!--");

    g_assert_cmpstr (a, ==, "e-mail-marketing");
    g_assert_cmpstr (b, ==, "strasse-ss");
    g_assert_cmpstr (c, ==, "purpose");
    g_assert_cmpstr (d, ==, "events-2025");
  }

  gui_destroy_window (window);
}

/* Audit log */

static gboolean
verify_done (gpointer data)
{
  return !_tesoro_audit_window_is_verifying (data);
}

/* Writes entries of several kinds, two about one contact. */
static char *
make_audit_history (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "export.json", NULL);
  TesoroGdprSettings settings = { FALSE, 6, 30 };
  gint64 id = add_contact (fixture, "Hanna", "Logboek", NULL);

  add_contact (fixture, "Ids", "Ander", NULL);
  tesoro_session_set_gdpr_settings (fixture->session, &settings, &error);
  g_assert_no_error (error);
  tesoro_session_record_consent (fixture->session, id, TESORO_PURPOSE_MARKETING_EMAIL, TRUE, NULL,
                                 "web form", NULL, &error);
  g_assert_no_error (error);
  tesoro_session_export_data (fixture->session, id, TESORO_EXPORT_FORMAT_JSON, path, &error);
  g_assert_no_error (error);
  tesoro_session_add_consent_purpose (fixture->session, "newsletter", "Newsletter", &error);
  g_assert_no_error (error);

  /* The uid alone: showing the contact would be an entry of its own. */
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    char *uid = tesoro_session_resolve_uid (fixture->session, text, &error);

    g_assert_no_error (error);
    return uid;
  }
}

static void
select_action (TesoroAuditWindow *window,
               const char        *label)
{
  GtkDropDown *drop_down = _tesoro_audit_window_get_action_filter (window);
  GListModel *model = gtk_drop_down_get_model (drop_down);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label) == 0)
      {
        gtk_drop_down_set_selected (drop_down, i);
        gui_iterate ();
        return;
      }
  g_error ("no action “%s” in the filter", label);
}

typedef struct
{
  const char *text;
  gboolean    searched;
} SearchWait;

static gboolean
searched (gpointer data)
{
  return ((SearchWait *) data)->searched;
}

static void
on_search_changed_cb (GtkSearchEntry *entry,
                      SearchWait     *wait)
{
  /* Replacing the text empties the entry first, which is searched at once. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), wait->text) == 0)
    wait->searched = TRUE;
}

/* Types into the uid filter and waits, as a person does, for the search
 * entry's short delay to pass. */
static void
type_uid_filter (TesoroAuditWindow *window,
                 const char        *text)
{
  GtkEditable *entry = _tesoro_audit_window_get_uid_filter (window);
  SearchWait wait = { text, FALSE };
  gulong handler = g_signal_connect (entry, "search-changed", G_CALLBACK (on_search_changed_cb), &wait);

  gtk_editable_set_text (entry, text);
  gui_wait_for (searched, &wait);
  g_signal_handler_disconnect (entry, handler);
  gui_iterate ();
}

static void
test_audit_window (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *uid = make_audit_history (fixture);
  g_autofree char *expected = NULL;
  g_autofree char *prefix = g_strndup (uid, 8);
  TesoroAuditWindow *window;
  GListModel *entries;
  guint total = count_audit (fixture, NULL);
  gint64 previous_id = G_MAXINT64;

  g_assert_cmpuint (total, ==, 4);

  window = tesoro_audit_window_new (fixture->session);
  gtk_window_present (GTK_WINDOW (window));
  gui_wait_for (verify_done, window);

  /* The chain verifies, and says how long it is. */
  expected = g_strdup_printf ("The log is intact: %u entries, each linked to the one before.", total);
  g_assert_cmpstr (_tesoro_audit_window_get_status_text (window), ==, expected);

  /* Every entry, newest first. */
  entries = _tesoro_audit_window_get_entries (window);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, total);
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(TesoroAuditEntry) entry = g_list_model_get_item (entries, i);

      g_assert_cmpint (tesoro_audit_entry_get_id (entry), <, previous_id);
      previous_id = tesoro_audit_entry_get_id (entry);
    }
  g_assert_null (_tesoro_audit_window_get_limit_text (window));

  /* On screen: when in local time, who, the action for people, the uid. */
  {
    g_autoptr(TesoroAuditEntry) newest = g_list_model_get_item (entries, 0);
    g_autofree char *when = tesoro_format_timestamp_local (tesoro_audit_entry_get_at (newest));

    gui_iterate ();
    g_assert_true (shows_line (GTK_WIDGET (window), when));
    g_assert_true (shows_line (GTK_WIDGET (window), tesoro_session_get_actor (fixture->session)));
    g_assert_true (shows_line (GTK_WIDGET (window), "Consent purpose added"));
    g_assert_true (shows_line (GTK_WIDGET (window), "Data export"));
    g_assert_true (shows_line (GTK_WIDGET (window), uid));
  }

  /* The action labels are for people. */
  g_assert_cmpstr (tesoro_audit_action_to_label (TESORO_AUDIT_EXPORT_DATA), ==, "Data export");
  g_assert_cmpstr (tesoro_audit_action_to_label (TESORO_AUDIT_CONSENT_GRANTED), ==, "Consent granted");
  g_assert_cmpstr (tesoro_audit_action_to_label ("something-new"), ==, "something-new");

  /* Filter by action. */
  select_action (window, "Data export");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);
  {
    g_autoptr(TesoroAuditEntry) entry = g_list_model_get_item (entries, 0);
    g_assert_cmpstr (tesoro_audit_entry_get_action (entry), ==, TESORO_AUDIT_EXPORT_DATA);
    g_assert_cmpstr (tesoro_audit_entry_get_contact_uid (entry), ==, uid);
  }
  select_action (window, "Retention run");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 0);
  select_action (window, "All actions");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, total);

  /* Filter by contact: the full uid, or a part of it. */
  type_uid_filter (window, uid);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  type_uid_filter (window, prefix);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  type_uid_filter (window, "zzzz");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 0);
  type_uid_filter (window, "");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, total);

  /* A log larger than what is loaded says so. */
  _tesoro_audit_window_set_limit (window, 3);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 3);
  g_assert_nonnull (_tesoro_audit_window_get_limit_text (window));
  g_assert_true (g_str_has_prefix (_tesoro_audit_window_get_limit_text (window), "Showing the newest 3 of "));
  _tesoro_audit_window_set_limit (window, total);
  g_assert_null (_tesoro_audit_window_get_limit_text (window));

  gui_destroy_window (window);
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Alters entry @id behind Tesoro's back, as someone with the sqlite3 tool
 * could: the append-only triggers are dropped first. */
static void
tamper_with_audit_log (Fixture *fixture,
                       gint64   id)
{
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *update = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (triggers, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (triggers->len, >, 0);

  for (guint i = 0; i < triggers->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\"", (char *) triggers->pdata[i]);
      exec_sql (db, drop);
    }
  update = g_strdup_printf ("UPDATE audit_log SET details = '{\"key\":\"retention.years\",\"value\":\"50\"}'"
                            " WHERE id = %" G_GINT64_FORMAT, id);
  exec_sql (db, update);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static void
test_audit_window_tampered (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *uid = make_audit_history (fixture);
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *expected = NULL;
  TesoroAuditWindow *window;
  gint64 second_id;

  all = tesoro_session_list_audit (fixture->session, NULL, NULL);
  g_assert_cmpuint (all->len, >=, 3);
  second_id = tesoro_audit_entry_get_id (all->pdata[1]);

  window = tesoro_audit_window_new (fixture->session);
  gtk_window_present (GTK_WINDOW (window));
  gui_wait_for (verify_done, window);
  g_assert_true (g_str_has_prefix (_tesoro_audit_window_get_status_text (window), "The log is intact: "));

  tamper_with_audit_log (fixture, second_id);

  /* Reload checks again, and finds the altered entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "audit.reload", NULL));
  gui_wait_for (verify_done, window);
  expected = g_strdup_printf ("The log has been tampered with: entry %" G_GINT64_FORMAT " does not match.", second_id);
  g_assert_cmpstr (_tesoro_audit_window_get_status_text (window), ==, expected);
  /* The entries are still listed, to be looked at. */
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_audit_window_get_entries (window)), ==, all->len);
  gui_destroy_window (window);

  /* A new window says the same. */
  window = tesoro_audit_window_new (fixture->session);
  gui_wait_for (verify_done, window);
  g_assert_cmpstr (_tesoro_audit_window_get_status_text (window), ==, expected);
  gui_destroy_window (window);
}

static void
test_audit_window_empty (Fixture       *fixture,
                         gconstpointer  data)
{
  TesoroAuditWindow *window = tesoro_audit_window_new (fixture->session);
  GtkStack *stack;

  gui_wait_for (verify_done, window);
  g_assert_cmpstr (_tesoro_audit_window_get_status_text (window), ==,
                   "The log is intact: nothing has been recorded yet.");
  stack = find_stack_with_page (GTK_WIDGET (window), "error");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  gui_destroy_window (window);
}

/* Receipts */

static TesoroErasureReceipt *
erase_with_notes (Fixture    *fixture,
                  const char *given,
                  guint       n_notes,
                  char      **uid)
{
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  TesoroErasureReceipt *receipt = NULL;
  gint64 id = add_contact (fixture, given, "Gewist", NULL);

  for (guint i = 0; i < n_notes; i++)
    {
      tesoro_session_add_note (fixture->session, id, "Vertrouwelijk gesprek", &error);
      g_assert_no_error (error);
    }
  contact = tesoro_session_get_contact (fixture->session, id, &error);
  g_assert_no_error (error);
  *uid = g_strdup (tesoro_contact_get_uid (contact));

  tesoro_session_erase_contact (fixture->session, id, "Verzoek per e-mail", TESORO_ERASURE_MANUAL, &receipt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (receipt);

  return receipt;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_receipt_window (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) text_file = NULL;
  g_autoptr(GFile) json_file = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *uid = NULL;
  g_autofree char *text_path = g_build_filename (fixture->dir, "receipt.txt", NULL);
  g_autofree char *json_path = g_build_filename (fixture->dir, "receipt.json", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *expected = NULL;
  TesoroReceiptWindow *window;
  AdwWindowTitle *title;
  JsonObject *object;
  const char *text;

  g_ptr_array_add (receipts, erase_with_notes (fixture, "Joost", 2, &uid));

  window = tesoro_receipt_window_new (fixture->session, receipts);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();

  /* The heading, and the receipt in full: the uid and what went with it,
   * and nothing that names the person. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Contact Erased");
  title = ADW_WINDOW_TITLE (gui_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Contact Erased");
  text = _tesoro_receipt_window_get_text (window);
  g_assert_nonnull (strstr (text, uid));
  g_assert_nonnull (strstr (text, "2 notes"));
  g_assert_nonnull (strstr (text, "Verzoek per e-mail"));
  g_assert_null (strstr (text, "Joost"));
  g_assert_null (strstr (text, "Gewist"));
  g_assert_null (strstr (text, "Vertrouwelijk"));
  expected = tesoro_erasure_receipt_to_text (receipts->pdata[0]);
  g_assert_cmpstr (text, ==, expected);
  /* One receipt needs no list. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (gui_find_widget_of_type (GTK_WIDGET (window),
                                                                                                      GTK_TYPE_LIST_VIEW)))));

  /* Save as text: the receipt as shown; a toast says where. */
  text_file = g_file_new_for_path (text_path);
  g_assert_true (_tesoro_receipt_window_save_to_file (window, text_file, &error));
  g_assert_no_error (error);
  saved = read_file (text_path);
  g_assert_cmpstr (saved, ==, expected);
  g_assert_cmpstr (adw_toast_get_title (_tesoro_receipt_window_get_last_toast (window)), ==, "Saved as “receipt.txt”");
  g_assert_cmpstr (adw_toast_get_button_label (_tesoro_receipt_window_get_last_toast (window)), ==, "_Open Folder");

  /* Save as JSON, by the file's extension. */
  json_file = g_file_new_for_path (json_path);
  g_assert_true (_tesoro_receipt_window_save_to_file (window, json_file, &error));
  g_assert_no_error (error);
  json_parser_load_from_file (parser, json_path, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "contact_uid"), ==, uid);
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "Verzoek per e-mail");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "counts"), "notes"), ==, 2);

  /* A folder that does not exist: nothing written, a toast says why. */
  {
    g_autofree char *bad_path = g_build_filename (fixture->dir, "missing", "receipt.txt", NULL);
    g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
    g_autoptr(GError) bad_error = NULL;

    g_assert_false (_tesoro_receipt_window_save_to_file (window, bad, &bad_error));
    g_assert_nonnull (bad_error);
    g_autofree char *escaped = g_markup_escape_text (bad_error->message, -1);

    g_assert_cmpstr (adw_toast_get_title (_tesoro_receipt_window_get_last_toast (window)), ==, escaped);
  }

  gui_destroy_window (window);
  g_unlink (text_path);
  g_unlink (json_path);
}

static void
test_receipt_window_batch_and_all (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TesoroErasureReceipt) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GFile) file = NULL;
  g_autofree char *uid_first = NULL;
  g_autofree char *uid_a = NULL;
  g_autofree char *uid_b = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "receipts.json", NULL);
  g_autofree char *text_path = g_build_filename (fixture->dir, "receipts.txt", NULL);
  g_autofree char *saved = NULL;
  TesoroReceiptWindow *window;
  GListModel *model;
  JsonArray *array;

  first = erase_with_notes (fixture, "Karel", 1, &uid_first);
  g_ptr_array_add (receipts, erase_with_notes (fixture, "Lotte", 0, &uid_a));
  g_ptr_array_add (receipts, erase_with_notes (fixture, "Mees", 3, &uid_b));

  /* Two receipts of one erasure: a list, and Save saves both. */
  window = tesoro_receipt_window_new (fixture->session, receipts);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "2 Contacts Erased");
  model = _tesoro_receipt_window_get_receipts (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (gui_find_widget_of_type (GTK_WIDGET (window),
                                                                                                     GTK_TYPE_LIST_VIEW)))));
  g_assert_nonnull (strstr (_tesoro_receipt_window_get_text (window), uid_a));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), 1, TRUE);
  gui_iterate ();
  g_assert_nonnull (strstr (_tesoro_receipt_window_get_text (window), uid_b));
  g_assert_nonnull (strstr (_tesoro_receipt_window_get_text (window), "3 notes"));

  file = g_file_new_for_path (path);
  g_assert_true (_tesoro_receipt_window_save_to_file (window, file, &error));
  g_assert_no_error (error);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "contact_uid"), ==, uid_a);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "contact_uid"), ==, uid_b);
  g_clear_object (&file);
  file = g_file_new_for_path (text_path);
  g_assert_true (_tesoro_receipt_window_save_to_file (window, file, &error));
  g_assert_no_error (error);
  saved = read_file (text_path);
  g_assert_nonnull (strstr (saved, uid_a));
  g_assert_nonnull (strstr (saved, uid_b));
  g_assert_null (strstr (saved, uid_first));
  gui_destroy_window (window);

  /* From the menu: every receipt, newest first; Save saves the one shown. */
  window = tesoro_receipt_window_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Erasure Receipts");
  model = _tesoro_receipt_window_get_receipts (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  {
    g_autoptr(TesoroErasureReceipt) newest = g_list_model_get_item (model, 0);
    g_autoptr(TesoroErasureReceipt) oldest = g_list_model_get_item (model, 2);

    g_assert_cmpstr (tesoro_erasure_receipt_get_contact_uid (newest), ==, uid_b);
    g_assert_cmpstr (tesoro_erasure_receipt_get_contact_uid (oldest), ==, uid_first);
  }
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), 2, TRUE);
  gui_iterate ();
  g_assert_nonnull (strstr (_tesoro_receipt_window_get_text (window), uid_first));
  g_assert_true (_tesoro_receipt_window_save_to_file (window, file, &error));
  g_assert_no_error (error);
  g_free (saved);
  saved = read_file (text_path);
  g_assert_nonnull (strstr (saved, uid_first));
  g_assert_null (strstr (saved, uid_b));
  gui_destroy_window (window);

  g_unlink (path);
  g_unlink (text_path);
}

static void
test_receipt_window_none (Fixture       *fixture,
                          gconstpointer  data)
{
  TesoroReceiptWindow *window = tesoro_receipt_window_new (fixture->session, NULL);
  GtkStack *stack = find_stack_with_page (GTK_WIDGET (window), "error");
  g_autofree char *path = g_build_filename (fixture->dir, "nothing.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_false (_tesoro_receipt_window_save_to_file (window, file, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gui_destroy_window (window);
}

/* Accessibility */

static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *uid_a = NULL;
  g_autofree char *uid_b = NULL;
  TesoroPreferencesWindow *preferences;
  TesoroAuditWindow *audit;
  TesoroReceiptWindow *receipt;
  g_autofree char *old = iso_years_ago (9, 0);

  add_contact (fixture, "Nina", "Oud", old);
  g_ptr_array_add (receipts, erase_with_notes (fixture, "Otto", 1, &uid_a));
  g_ptr_array_add (receipts, erase_with_notes (fixture, "Pim", 1, &uid_b));

  preferences = tesoro_preferences_window_new (fixture->session);
  gtk_window_present (GTK_WINDOW (preferences));
  gui_iterate ();
  /* switch, two spin buttons, Preview, the purpose entry */
  assert_all_controls_named (GTK_WIDGET (preferences), 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "preferences.preview", NULL));
  gui_wait_for (preview_loaded, preferences);
  /* back button, the list */
  assert_all_controls_named (GTK_WIDGET (_tesoro_preferences_window_get_preview (preferences)), 2);
  gui_destroy_window (preferences);

  audit = tesoro_audit_window_new (fixture->session);
  gtk_window_present (GTK_WINDOW (audit));
  gui_wait_for (verify_done, audit);
  /* reload, uid search, action filter, the list */
  assert_all_controls_named (GTK_WIDGET (audit), 4);
  gui_destroy_window (audit);

  receipt = tesoro_receipt_window_new (fixture->session, receipts);
  gtk_window_present (GTK_WINDOW (receipt));
  gui_iterate ();
  /* save, the list */
  assert_all_controls_named (GTK_WIDGET (receipt), 2);
  gui_destroy_window (receipt);

}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui/gdpr/preferences/settings", Fixture, NULL, set_up, test_preferences_settings, tear_down);
  g_test_add ("/gui/gdpr/preferences/read-only", Fixture, NULL, set_up, test_preferences_read_only, tear_down);
  g_test_add ("/gui/gdpr/preferences/preview", Fixture, NULL, set_up, test_preferences_preview, tear_down);
  g_test_add ("/gui/gdpr/preferences/purposes", Fixture, NULL, set_up, test_preferences_purposes, tear_down);
  g_test_add ("/gui/gdpr/audit/list-and-filter", Fixture, NULL, set_up, test_audit_window, tear_down);
  g_test_add ("/gui/gdpr/audit/tampered", Fixture, NULL, set_up, test_audit_window_tampered, tear_down);
  g_test_add ("/gui/gdpr/audit/empty", Fixture, NULL, set_up, test_audit_window_empty, tear_down);
  g_test_add ("/gui/gdpr/receipts/one", Fixture, NULL, set_up, test_receipt_window, tear_down);
  g_test_add ("/gui/gdpr/receipts/batch-and-all", Fixture, NULL, set_up, test_receipt_window_batch_and_all, tear_down);
  g_test_add ("/gui/gdpr/receipts/none", Fixture, NULL, set_up, test_receipt_window_none, tear_down);
  g_test_add ("/gui/gdpr/accessible-names", Fixture, NULL, set_up, test_accessible_names, tear_down);

  return g_test_run ();
}
