/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-fields-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-access.h"
#include "tesoro-fields.h"
#include "tesoro-fields-page.h"
#include "tesoro-worker.h"

/*
 * Preferences → Fields: a switch per field with how many contacts have a
 * value, Erase Values… with a destructive confirmation, and the
 * minimisation report below. The session checks the permissions again.
 *
 * Counting the values reads every contact, and erasing them writes every
 * contact that has one: both run in a worker on its own connection, so
 * that Preferences opens at once on a large database; a spinner beside the
 * title says the counts are on their way.
 */

struct _TesoroFieldsPage
{
  AdwPreferencesPage   parent_instance;

  TesoroSession       *session;
  GPtrArray           *rows;       /* GtkWidget, the rows shown in fields_group */
  GPtrArray           *report_rows;
  GHashTable          *switches;   /* key → GtkSwitch */
  GHashTable          *erase_buttons; /* key → GtkButton */
  AdwMessageDialog    *dialog;
  GString             *report_text;
  gboolean             updating;
  GCancellable        *cancellable;  /* of the count or erasure running */
  GtkWidget           *spinner;

  AdwPreferencesGroup *fields_group;
  AdwPreferencesGroup *report_group;
};

G_DEFINE_FINAL_TYPE (TesoroFieldsPage, tesoro_fields_page, ADW_TYPE_PREFERENCES_PAGE)

static void reload (TesoroFieldsPage *self);

static void
show_error (TesoroFieldsPage *self,
            const char       *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), toast);
  else
    {
      g_warning ("%s", message);
      g_object_unref (g_object_ref_sink (toast));
    }
}

static char *
count_text (gint64 count)
{
  g_autofree char *n = g_strdup_printf ("%'" G_GINT64_FORMAT, count);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s contact has a value", "%s contacts have a value",
                                       (gulong) count),
                          n);
}

/* Signal handlers */

static gboolean
reload_cb (gpointer user_data)
{
  TesoroFieldsPage *self = user_data;

  if (self->session != NULL)
    reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_switch_changed_cb (GtkSwitch        *widget,
                      GParamSpec       *pspec,
                      TesoroFieldsPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *key = g_object_get_data (G_OBJECT (widget), "key");

  if (self->updating)
    return;
  if (!tesoro_session_set_field_enabled (self->session, key, gtk_switch_get_active (widget), &error))
    show_error (self, error->message);
  /* Not from inside the switch's own notification: the rows are rebuilt. */
  g_idle_add_full (G_PRIORITY_DEFAULT, reload_cb, g_object_ref (self), g_object_unref);
}

/* The counts and the erasure, in a worker */

typedef struct
{
  TesoroSession            *session;  /* the worker's own connection */
  char                     *erase;    /* the field whose values to erase, or NULL */
  GPtrArray                *fields;
  TesoroMinimisationReport *report;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->session);
  g_free (job->erase);
  g_clear_pointer (&job->fields, g_ptr_array_unref);
  g_clear_pointer (&job->report, tesoro_minimisation_report_free);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gboolean ok = job->erase == NULL || tesoro_session_erase_field_values (job->session, job->erase, &error) >= 0;

  ok = ok && (job->fields = tesoro_session_list_fields (job->session, &error)) != NULL;
  ok = ok && (job->report = tesoro_session_get_minimisation_report (job->session, &error)) != NULL;
  tesoro_worker_return (task, ok, error);
}

static void show_counts (TesoroFieldsPage         *self,
                         GPtrArray                *fields,
                         TesoroMinimisationReport *report);

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TesoroFieldsPage *self = TESORO_FIELDS_PAGE (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && tesoro_worker_is_cancelled (error))
    return;
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fields_group), TRUE);
  if (error != NULL)
    show_error (self, error->message);
  /* After a failed erasure the counts are read again as they are. */
  if (job->fields != NULL && job->report != NULL)
    show_counts (self, job->fields, job->report);
  else if (job->erase != NULL)
    reload (self);
}

/* Counts again (after erasing @erase's values, when not NULL). */
static void
start_job (TesoroFieldsPage *self,
           char             *erase)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Job *job = g_new0 (Job, 1);

  job->erase = erase;
  job->session = tesoro_worker_open_session (self->session, &error);
  if (job->session == NULL)
    {
      job_free (job);
      show_error (self, error->message);
      return;
    }

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  /* Nothing is switched or erased while values are being erased. */
  if (erase != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->fields_group), FALSE);

  task = g_task_new (self, self->cancellable, job_done_cb, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

static void
on_erase_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TesoroFieldsPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *key = g_object_get_data (G_OBJECT (dialog), "key");

  if (self->dialog == dialog)
    self->dialog = NULL;
  if (g_strcmp0 (response, "erase") != 0)
    return;

  start_job (self, g_strdup (key));
}

static void
on_erase_clicked_cb (GtkButton        *button,
                     TesoroFieldsPage *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  const char *label = g_object_get_data (G_OBJECT (button), "label");
  /* The count the row shows: the last one read. */
  gint64 count = *(gint64 *) g_object_get_data (G_OBJECT (button), "count");
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *n = NULL;
  GtkWidget *dialog;

  n = g_strdup_printf ("%'" G_GINT64_FORMAT, count);
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Erase %s Value of “%s”?", "Erase %s Values of “%s”?",
                                          (gulong) count),
                             n, label);
  body = g_strdup (_("The values are erased from every contact, also in the trash, and cannot be recovered. "
                     "Switch the field off too, so that it is not filled in again."));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "erase", _("_Erase"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "key", g_strdup (key), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_erase_response_cb), self, 0);
  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The rows */

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

static void
add_field_row (TesoroFieldsPage *self,
               TesoroFieldInfo  *info,
               gboolean          may_change,
               gboolean          may_erase)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = count_text (info->count);
  g_autofree char *erase_label = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (info->switchable)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Erase Values…"));
      GtkWidget *sw = gtk_switch_new ();

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (button, may_erase && info->count > 0);
      erase_label = g_strdup_printf (_("Erase the values of “%s”"), info->label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, erase_label, -1);
      g_object_set_data_full (G_OBJECT (button), "key", g_strdup (info->key), g_free);
      g_object_set_data_full (G_OBJECT (button), "label", g_strdup (info->label), g_free);
      g_object_set_data_full (G_OBJECT (button), "count", g_memdup2 (&info->count, sizeof info->count), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_erase_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (sw), info->enabled);
      gtk_widget_set_sensitive (sw, may_change);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, info->label, -1);
      g_object_set_data_full (G_OBJECT (sw), "key", g_strdup (info->key), g_free);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_switch_changed_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);

      g_hash_table_insert (self->switches, g_strdup (info->key), sw);
      g_hash_table_insert (self->erase_buttons, g_strdup (info->key), button);
    }
  else
    {
      GtkWidget *label = gtk_label_new (_("Always kept"));

      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  adw_preferences_group_add (self->fields_group, row);
  g_ptr_array_add (self->rows, row);
}

static void
add_report_row (TesoroFieldsPage *self,
                const char       *title,
                const char       *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (self->report_group, row);
  g_ptr_array_add (self->report_rows, row);
  g_string_append_printf (self->report_text, "%s: %s\n", title, subtitle);
}

static void
reload (TesoroFieldsPage *self)
{
  start_job (self, NULL);
}

static void show_report (TesoroFieldsPage         *self,
                         TesoroMinimisationReport *report);

static void
show_counts (TesoroFieldsPage         *self,
             GPtrArray                *fields,
             TesoroMinimisationReport *report)
{
  gboolean writable = !tesoro_session_is_read_only (self->session);
  gboolean may_change = writable && tesoro_session_can (self->session, TESORO_PERMISSION_SETTINGS);
  gboolean may_erase = may_change && tesoro_session_can (self->session, TESORO_PERMISSION_ERASE);

  self->updating = TRUE;
  clear_rows (self->fields_group, self->rows);
  clear_rows (self->report_group, self->report_rows);
  g_hash_table_remove_all (self->switches);
  g_hash_table_remove_all (self->erase_buttons);
  g_string_truncate (self->report_text, 0);

  for (guint i = 0; i < fields->len; i++)
    add_field_row (self, fields->pdata[i], may_change, may_erase);
  show_report (self, report);

  self->updating = FALSE;
}

static void
show_report (TesoroFieldsPage         *self,
             TesoroMinimisationReport *report)
{
  g_autoptr(GString) rare = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf (_("Fields filled in for fewer than %d %% of the contacts"),
                                            TESORO_RARE_FIELD_PERCENT);
  g_autofree char *inactive_title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  "Contacts without activity for more than %u year",
                                                                  "Contacts without activity for more than %u years",
                                                                  report->retention_years),
                                                     report->retention_years);
  g_autofree char *basis = g_strdup_printf ("%'" G_GINT64_FORMAT, report->n_without_basis);
  g_autofree char *inactive = g_strdup_printf ("%'" G_GINT64_FORMAT, report->n_inactive);
  g_autofree char *consent = g_strdup_printf ("%'" G_GINT64_FORMAT, report->n_without_consent);

  for (guint i = 0; i < report->rare_fields->len; i++)
    {
      TesoroFieldInfo *info = report->rare_fields->pdata[i];

      g_string_append_printf (rare, "%s%s (%'" G_GINT64_FORMAT ")", rare->len > 0 ? ", " : "", info->label,
                              info->count);
    }
  add_report_row (self, title, rare->len > 0 ? rare->str : _("None"));
  add_report_row (self, _("Contacts without a lawful basis"), basis);
  add_report_row (self, inactive_title, inactive);
  add_report_row (self, _("Contacts relying on consent without consent for any purpose"), consent);
}

/* GObject */

static void
tesoro_fields_page_dispose (GObject *object)
{
  TesoroFieldsPage *self = (TesoroFieldsPage *) object;

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->dialog)));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_FIELDS_PAGE);

  G_OBJECT_CLASS (tesoro_fields_page_parent_class)->dispose (object);
}

static void
tesoro_fields_page_finalize (GObject *object)
{
  TesoroFieldsPage *self = (TesoroFieldsPage *) object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->report_rows, g_ptr_array_unref);
  g_clear_pointer (&self->switches, g_hash_table_unref);
  g_clear_pointer (&self->erase_buttons, g_hash_table_unref);
  g_string_free (self->report_text, TRUE);

  G_OBJECT_CLASS (tesoro_fields_page_parent_class)->finalize (object);
}

static void
tesoro_fields_page_class_init (TesoroFieldsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_fields_page_dispose;
  object_class->finalize = tesoro_fields_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-fields-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroFieldsPage, fields_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroFieldsPage, report_group);
}

static void
tesoro_fields_page_init (TesoroFieldsPage *self)
{
  self->rows = g_ptr_array_new ();
  self->report_rows = g_ptr_array_new ();
  self->switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->erase_buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->report_text = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Counting the values"), -1);
  adw_preferences_group_set_header_suffix (self->fields_group, self->spinner);
}

/**
 * tesoro_fields_page_new:
 * @session: the session whose fields to show and switch
 *
 * Returns: (transfer floating): the Fields page of the preferences
 */
GtkWidget *
tesoro_fields_page_new (TesoroSession *session)
{
  TesoroFieldsPage *self;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_FIELDS_PAGE, NULL);
  self->session = g_object_ref (session);
  reload (self);
  return GTK_WIDGET (self);
}

/* For the tests */

GtkSwitch *
_tesoro_fields_page_get_switch (TesoroFieldsPage *self,
                                const char       *key)
{
  return g_hash_table_lookup (self->switches, key);
}

GtkButton *
_tesoro_fields_page_get_erase_button (TesoroFieldsPage *self,
                                      const char       *key)
{
  return g_hash_table_lookup (self->erase_buttons, key);
}

AdwMessageDialog *
_tesoro_fields_page_get_dialog (TesoroFieldsPage *self)
{
  return self->dialog;
}

const char *
_tesoro_fields_page_get_report_text (TesoroFieldsPage *self)
{
  return self->report_text->str;
}

/* Whether the counts (or an erasure) are still on their way. */
gboolean
_tesoro_fields_page_is_busy (TesoroFieldsPage *self)
{
  return self->cancellable != NULL;
}
