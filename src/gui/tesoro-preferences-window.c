/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-error.h"
#include "tesoro-fields-page.h"
#include "tesoro-gdpr.h"
#include "tesoro-access.h"
#include "tesoro-preferences-window-private.h"
#include "tesoro-users-page.h"
#include "tesoro-utils.h"

/*
 * Preferences → Privacy: the retention period (off by default) with a
 * preview of who would be deleted now, how long contacts stay in the trash,
 * and the purposes consent can be recorded for.
 *
 * Settings are saved as they change; the session audits every change. The
 * spin buttons are saved a moment after the last click, so that going from
 * 5 to 10 years writes one change to the audit log rather than five; closing
 * the window saves at once. Turning automatic deletion on asks first: from
 * then on contacts are deleted for good without anyone clicking.
 */

#define SAVE_DELAY_MS 600
#define MAX_PURPOSE_KEY 60

struct _TesoroPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  TesoroSession          *session;
  TesoroGdprSettings    saved;
  guint                 save_source;
  gboolean              updating;
  AdwToast             *last_toast;
  TesoroRetentionPreview *preview;
  GPtrArray            *purpose_rows;

  GtkWidget            *read_only_group;
  GtkSwitch            *retention_switch;
  GtkWidget            *retention_switch_row;
  GtkSpinButton        *retention_years_spin;
  GtkWidget            *retention_years_row;
  GtkSpinButton        *trash_days_spin;
  GtkWidget            *trash_days_row;
  GtkSpinButton        *request_years_spin;
  GtkWidget            *request_years_row;
  AdwPreferencesGroup  *purposes_group;
  AdwEntryRow          *new_purpose_row;
};

G_DEFINE_FINAL_TYPE (TesoroPreferencesWindow, tesoro_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  SETTINGS_CHANGED,
  PURPOSES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_toast (TesoroPreferencesWindow *self,
            const char              *message,
            gboolean                 error)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  /* A toast's title is markup. */
  AdwToast *toast = adw_toast_new (escaped);

  if (error)
    {
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_timeout (toast, 0);
    }
  g_set_object (&self->last_toast, toast);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* Settings */

static void
show_settings (TesoroPreferencesWindow  *self,
               const TesoroGdprSettings *settings)
{
  self->updating = TRUE;
  gtk_switch_set_active (self->retention_switch, settings->retention_enabled);
  gtk_spin_button_set_value (self->retention_years_spin, settings->retention_years);
  gtk_spin_button_set_value (self->trash_days_spin, settings->trash_expiry_days);
  gtk_spin_button_set_value (self->request_years_spin, settings->request_retention_years);
  self->updating = FALSE;
}

static void
read_widgets (TesoroPreferencesWindow *self,
              TesoroGdprSettings      *settings)
{
  /* A number typed but not yet confirmed with Enter counts too (and is
   * being saved now: no need to schedule it). */
  self->updating = TRUE;
  gtk_spin_button_update (self->retention_years_spin);
  gtk_spin_button_update (self->trash_days_spin);
  gtk_spin_button_update (self->request_years_spin);
  self->updating = FALSE;

  settings->retention_enabled = gtk_switch_get_active (self->retention_switch);
  settings->retention_years = (guint) gtk_spin_button_get_value_as_int (self->retention_years_spin);
  settings->trash_expiry_days = (guint) gtk_spin_button_get_value_as_int (self->trash_days_spin);
  settings->request_retention_years = (guint) gtk_spin_button_get_value_as_int (self->request_years_spin);
}

static void
save_now (TesoroPreferencesWindow *self,
          gboolean                 notify)
{
  g_autoptr(GError) error = NULL;
  TesoroGdprSettings settings;

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (self->session == NULL || tesoro_session_is_read_only (self->session))
    return;

  read_widgets (self, &settings);
  if (settings.retention_enabled == self->saved.retention_enabled &&
      settings.retention_years == self->saved.retention_years &&
      settings.trash_expiry_days == self->saved.trash_expiry_days &&
      settings.request_retention_years == self->saved.request_retention_years)
    return;

  if (!tesoro_session_set_gdpr_settings (self->session, &settings, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The settings were not saved: %s"), error->message);

      if (notify)
        show_toast (self, message, TRUE);
      else
        g_warning ("%s", message);
      /* Show what is stored, not what failed. */
      show_settings (self, &self->saved);
      return;
    }

  self->saved = settings;
  if (notify)
    g_signal_emit (self, signals[SETTINGS_CHANGED], 0);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  TesoroPreferencesWindow *self = user_data;

  self->save_source = 0;
  save_now (self, TRUE);

  return G_SOURCE_REMOVE;
}

static void
schedule_save (TesoroPreferencesWindow *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
load_settings (TesoroPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!tesoro_session_get_gdpr_settings (self->session, &self->saved, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot read the settings: %s"), error->message);

      show_toast (self, message, TRUE);
      self->saved = (TesoroGdprSettings) { FALSE, 5, 30, 3 };
    }
  show_settings (self, &self->saved);
}

static void
on_confirm_retention_response_cb (AdwMessageDialog        *dialog,
                                  const char              *response,
                                  TesoroPreferencesWindow *self)
{
  if (g_strcmp0 (response, "turn-on") != 0)
    return;

  self->updating = TRUE;
  gtk_switch_set_active (self->retention_switch, TRUE);
  self->updating = FALSE;
  save_now (self, TRUE);
}

static void
confirm_retention (TesoroPreferencesWindow *self)
{
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  guint years;

  gtk_spin_button_update (self->retention_years_spin);
  years = (guint) gtk_spin_button_get_value_as_int (self->retention_years_spin);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Contacts inactive for more than %u year will be permanently deleted, each "
                                       "with an erasure receipt, when Tesoro starts and daily while it is open. "
                                       "Deleted contacts cannot be restored. Use Preview to see who would be "
                                       "deleted now.",
                                       "Contacts inactive for more than %u years will be permanently deleted, each "
                                       "with an erasure receipt, when Tesoro starts and daily while it is open. "
                                       "Deleted contacts cannot be restored. Use Preview to see who would be "
                                       "deleted now.",
                                       years),
                          years);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Turn On Automatic Deletion?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "turn-on", _("_Turn On"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "turn-on", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_retention_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Consent purposes */

/**
 * _tesoro_purpose_key_from_name:
 * @name: a purpose's name as people see it ("Nieuwsbrief & evenementen")
 *
 * Returns: (transfer full): a key for it: lower-case ASCII letters and
 *   digits, words joined by hyphens ("nieuwsbrief-evenementen"); "purpose"
 *   when the name has no such letters
 */
char *
_tesoro_purpose_key_from_name (const char *name)
{
  g_autofree char *folded = tesoro_fold (name);
  g_autoptr(GString) key = g_string_new (NULL);
  gboolean separate = FALSE;

  for (const char *p = folded; *p != '\0' && key->len < MAX_PURPOSE_KEY; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          separate = key->len > 0;
          continue;
        }
      if (separate)
        g_string_append_c (key, '-');
      g_string_append_c (key, g_ascii_tolower (*p));
      separate = FALSE;
    }

  while (key->len > 0 && key->str[key->len - 1] == '-')
    g_string_truncate (key, key->len - 1);
  if (key->len == 0)
    g_string_assign (key, "purpose");

  return g_string_free (g_steal_pointer (&key), FALSE);
}

static void
load_purposes (TesoroPreferencesWindow *self)
{
  g_autoptr(GPtrArray) purposes = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->purpose_rows->len; i++)
    adw_preferences_group_remove (self->purposes_group, self->purpose_rows->pdata[i]);
  g_ptr_array_set_size (self->purpose_rows, 0);

  purposes = tesoro_session_list_consent_purposes (self->session, &error);
  if (purposes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot read the consent purposes: %s"), error->message);

      show_toast (self, message, TRUE);
      return;
    }

  /* The entry to add one stays last. */
  g_object_ref (self->new_purpose_row);
  adw_preferences_group_remove (self->purposes_group, GTK_WIDGET (self->new_purpose_row));

  for (guint i = 0; i < purposes->len; i++)
    {
      TesoroConsentPurpose *purpose = purposes->pdata[i];
      GtkWidget *row = adw_action_row_new ();

      /* A name is text, not markup: say so before it is set. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* The purpose Tesoro creates is stored in English: show it translated. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     g_str_equal (purpose->key, TESORO_PURPOSE_MARKETING_EMAIL)
                                       ? _("Marketing e-mail") : purpose->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), purpose->key);
      adw_preferences_group_add (self->purposes_group, row);
      g_ptr_array_add (self->purpose_rows, row);
    }

  adw_preferences_group_add (self->purposes_group, GTK_WIDGET (self->new_purpose_row));
  g_object_unref (self->new_purpose_row);
}

static gboolean
add_purpose (TesoroPreferencesWindow  *self,
             const char               *name,
             GError                  **error)
{
  g_autoptr(GPtrArray) purposes = NULL;
  g_autofree char *folded = tesoro_fold (name);
  g_autofree char *base = _tesoro_purpose_key_from_name (name);
  g_autofree char *key = g_strdup (base);
  gboolean taken;

  purposes = tesoro_session_list_consent_purposes (self->session, error);
  if (purposes == NULL)
    return FALSE;

  for (guint i = 0; i < purposes->len; i++)
    {
      TesoroConsentPurpose *purpose = purposes->pdata[i];
      g_autofree char *other = tesoro_fold (purpose->name);

      if (g_str_equal (folded, other))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("There is already a purpose named “%s”"), purpose->name);
          return FALSE;
        }
    }

  /* Two names may give the same key ("E-mail" and "Email"): number them. */
  for (guint n = 2; ; n++)
    {
      taken = FALSE;
      for (guint i = 0; i < purposes->len && !taken; i++)
        taken = g_str_equal (((TesoroConsentPurpose *) purposes->pdata[i])->key, key);
      if (!taken)
        break;
      g_free (key);
      key = g_strdup_printf ("%s-%u", base, n);
    }

  return tesoro_session_add_consent_purpose (self->session, key, name, error);
}

static void
on_new_purpose_apply_cb (TesoroPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_purpose_row))));
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (*name == '\0' || tesoro_session_is_read_only (self->session))
    return;

  if (!add_purpose (self, name, &error))
    {
      show_toast (self, error->message, TRUE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->new_purpose_row), "");
  load_purposes (self);
  /* Translators: %s is the name of a consent purpose */
  message = g_strdup_printf (_("Added the purpose “%s”"), name);
  show_toast (self, message, FALSE);
  g_signal_emit (self, signals[PURPOSES_CHANGED], 0);
}

/* Signal callbacks */

static void
on_retention_switch_changed_cb (TesoroPreferencesWindow *self)
{
  if (self->updating)
    return;

  if (gtk_switch_get_active (self->retention_switch) && !self->saved.retention_enabled)
    {
      /* Not on until confirmed. */
      self->updating = TRUE;
      gtk_switch_set_active (self->retention_switch, FALSE);
      self->updating = FALSE;
      confirm_retention (self);
      return;
    }

  save_now (self, TRUE);
}

static void
on_spin_value_changed_cb (TesoroPreferencesWindow *self)
{
  if (self->updating)
    return;

  schedule_save (self);
}

/* Actions */

static void
preview_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TesoroPreferencesWindow *self = TESORO_PREFERENCES_WINDOW (widget);
  guint years;

  gtk_spin_button_update (self->retention_years_spin);
  years = (guint) gtk_spin_button_get_value_as_int (self->retention_years_spin);
  /* One preview, presented again each time (see tesoro-retention-preview.c). */
  if (self->preview == NULL)
    self->preview = g_object_ref_sink (tesoro_retention_preview_new (self->session));
  tesoro_retention_preview_run (self->preview, MAX (years, 1));
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), GTK_WIDGET (self->preview));
}

static void
close_subpage_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (widget));
}

/* GtkWindow */

static gboolean
tesoro_preferences_window_close_request (GtkWindow *window)
{
  TesoroPreferencesWindow *self = TESORO_PREFERENCES_WINDOW (window);

  if (self->save_source != 0)
    save_now (self, TRUE);

  return GTK_WINDOW_CLASS (tesoro_preferences_window_parent_class)->close_request (window);
}

/* GObject */

static void
tesoro_preferences_window_dispose (GObject *object)
{
  TesoroPreferencesWindow *self = (TesoroPreferencesWindow *) object;

  /* Destroyed without being closed: still keep what was changed. */
  if (self->save_source != 0 && self->retention_switch != NULL)
    save_now (self, FALSE);
  g_clear_handle_id (&self->save_source, g_source_remove);

  g_clear_object (&self->preview);
  g_clear_object (&self->last_toast);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (tesoro_preferences_window_parent_class)->dispose (object);
}

static void
tesoro_preferences_window_finalize (GObject *object)
{
  TesoroPreferencesWindow *self = (TesoroPreferencesWindow *) object;

  g_clear_pointer (&self->purpose_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (tesoro_preferences_window_parent_class)->finalize (object);
}

static void
tesoro_preferences_window_class_init (TesoroPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tesoro_preferences_window_dispose;
  object_class->finalize = tesoro_preferences_window_finalize;
  window_class->close_request = tesoro_preferences_window_close_request;

  /**
   * TesoroPreferencesWindow::settings-changed:
   *
   * The retention or trash settings were saved: housekeeping should follow
   * them (tesoro_session_get_gdpr_settings() has the new values).
   */
  signals[SETTINGS_CHANGED] =
    g_signal_new ("settings-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * TesoroPreferencesWindow::purposes-changed:
   *
   * A consent purpose was added.
   */
  signals[PURPOSES_CHANGED] =
    g_signal_new ("purposes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tesorocrm/Tesoro/tesoro-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, read_only_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, retention_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, retention_switch_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, retention_years_spin);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, retention_years_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, trash_days_spin);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, trash_days_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, request_years_spin);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, request_years_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, purposes_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroPreferencesWindow, new_purpose_row);
  gtk_widget_class_bind_template_callback (widget_class, on_retention_switch_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_spin_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_purpose_apply_cb);

  gtk_widget_class_install_action (widget_class, "preferences.preview", NULL, preview_activated);
  gtk_widget_class_install_action (widget_class, "preferences.close-subpage", NULL, close_subpage_activated);
}

static void
tesoro_preferences_window_init (TesoroPreferencesWindow *self)
{
  self->purpose_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tesoro_preferences_window_new:
 * @session: the session whose settings to show and change
 *
 * Returns: (transfer none): a new window, not yet shown
 */
TesoroPreferencesWindow *
tesoro_preferences_window_new (TesoroSession *session)
{
  TesoroPreferencesWindow *self;
  gboolean writable;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_PREFERENCES_WINDOW, NULL);
  self->session = g_object_ref (session);

  load_settings (self);
  load_purposes (self);

  /* The settings for who may change them; users and roles for who may
   * manage them (the pages are not there for anyone else). */
  writable = !tesoro_session_is_read_only (session) && tesoro_session_can (session, TESORO_PERMISSION_SETTINGS);
  gtk_widget_set_visible (self->read_only_group, tesoro_session_is_read_only (session));
  gtk_widget_set_sensitive (self->retention_switch_row, writable);
  gtk_widget_set_sensitive (self->retention_years_row, writable);
  gtk_widget_set_sensitive (self->trash_days_row, writable);
  gtk_widget_set_sensitive (self->request_years_row, writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_purpose_row), writable);

  /* Data minimisation: for who may switch fields, or read the report. */
  if (tesoro_session_can (session, TESORO_PERMISSION_SETTINGS) ||
      tesoro_session_can (session, TESORO_PERMISSION_REQUESTS))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (tesoro_fields_page_new (session)));

  if (tesoro_session_can (session, TESORO_PERMISSION_USERS))
    {
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (tesoro_users_page_new (session, FALSE)));
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (tesoro_users_page_new (session, TRUE)));
    }

  return self;
}

/* For the tests */

TesoroRetentionPreview *
_tesoro_preferences_window_get_preview (TesoroPreferencesWindow *self)
{
  g_return_val_if_fail (TESORO_IS_PREFERENCES_WINDOW (self), NULL);
  return self->preview;
}

AdwToast *
_tesoro_preferences_window_get_last_toast (TesoroPreferencesWindow *self)
{
  g_return_val_if_fail (TESORO_IS_PREFERENCES_WINDOW (self), NULL);
  return self->last_toast;
}

gboolean
_tesoro_preferences_window_save_pending (TesoroPreferencesWindow *self)
{
  g_return_val_if_fail (TESORO_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->save_source != 0;
}
