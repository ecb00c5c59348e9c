/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-audit-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tesoro-access.h"
#include "tesoro-audit-window-private.h"
#include "tesoro-breach.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

/*
 * The accountability log, newest first, with a filter by action and by
 * contact uid, and a line at the top that says whether the hash chain
 * verifies. The check reads the whole log, so it runs in a worker thread on
 * a connection of its own (WAL lets it read beside the window's).
 *
 * At most the newest DEFAULT_LIMIT entries are loaded, as GObjects: plenty
 * for reading, and cheap. Older entries are reached with the filters, which
 * the session applies to the whole log: the action, and a contact's full uid.
 * A partial uid filters the loaded entries.
 */

#define DEFAULT_LIMIT 10000

struct _TesoroAuditWindow
{
  AdwWindow           parent_instance;

  TesoroSession        *session;
  GListStore         *entries;
  GCancellable       *verify_cancellable;
  guint               limit;
  gboolean            loaded;
  gboolean            truncated;
  gboolean            verifying;
  gint64              n_verified;
  char               *loaded_action;
  char               *loaded_uid;
  char               *loaded_filters;   /* user, from, until as loaded */
  char               *uid_text;
  GStrv               logins;           /* of the user filter, after "Every user" */

  AdwWindowTitle     *window_title;
  GtkSpinner         *status_spinner;
  GtkImage           *status_icon;
  GtkLabel           *status_label;
  GtkSearchEntry     *uid_entry;
  GtkDropDown        *action_dropdown;
  GtkDropDown        *user_dropdown;
  GtkEntry           *since_entry;
  GtkEntry           *until_entry;
  GtkLabel           *limit_label;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  GtkFilterListModel *filter_model;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *error_page;
};

G_DEFINE_FINAL_TYPE (TesoroAuditWindow, tesoro_audit_window, ADW_TYPE_WINDOW)

typedef struct
{
  const char *action;
  const char *label;
} ActionLabel;

/* Every action Tesoro writes, in the order the filter offers them. */
static const ActionLabel action_labels[] = {
  { TESORO_AUDIT_ERASE, N_("Permanent deletion") },
  { TESORO_AUDIT_EXPORT_DATA, N_("Data export") },
  { TESORO_AUDIT_RESPONSE_PACKAGE, N_("Response package") },
  { TESORO_AUDIT_EXPORT_MARKETING, N_("Marketing list export") },
  { TESORO_AUDIT_CONSENT_GRANTED, N_("Consent granted") },
  { TESORO_AUDIT_CONSENT_WITHDRAWN, N_("Consent withdrawn") },
  { TESORO_AUDIT_RESTRICT, N_("Restriction of processing") },
  { TESORO_AUDIT_LEGAL_HOLD, N_("Legal hold") },
  { TESORO_AUDIT_LAWFUL_BASIS, N_("Lawful basis changed") },
  { TESORO_AUDIT_RETENTION_RUN, N_("Retention run") },
  { TESORO_AUDIT_TRASH_EXPIRY, N_("Trash expiry") },
  { TESORO_AUDIT_EMPTY_TRASH, N_("Trash emptied") },
  { TESORO_AUDIT_SETTINGS, N_("Setting changed") },
  { TESORO_AUDIT_PURPOSE_ADDED, N_("Consent purpose added") },
  { TESORO_AUDIT_EXPORT_CONTACTS, N_("Contacts export") },
  { TESORO_AUDIT_BATCH_EDIT, N_("Batch edit") },
  { TESORO_AUDIT_IMPORT, N_("Import") },
  { TESORO_AUDIT_VIEW, N_("Contact shown") },
  { TESORO_AUDIT_SIGN_IN, N_("Signed in") },
  { TESORO_AUDIT_SIGN_IN_FAILED, N_("Sign-in refused") },
  { TESORO_AUDIT_USER_ADDED, N_("User added") },
  { TESORO_AUDIT_USER_CHANGED, N_("User changed") },
  { TESORO_AUDIT_ROLE_CHANGED, N_("Role changed") },
  { TESORO_AUDIT_BREACH_RECORDED, N_("Breach recorded") },
  { TESORO_AUDIT_BREACH_EVENT, N_("Breach updated") },
};

static void on_action_selected_cb (TesoroAuditWindow *self);

/* The users of the database, for the user filter. */
static void
fill_users (TesoroAuditWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) logins = g_strv_builder_new ();
  g_autoptr(GPtrArray) users = tesoro_session_list_users (self->session, NULL);

  gtk_string_list_append (names, _("Every user"));
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      g_autofree char *name = tesoro_user_dup_display_name (users->pdata[i]);

      gtk_string_list_append (names, name);
      g_strv_builder_add (logins, tesoro_user_get_login (users->pdata[i]));
    }
  g_clear_pointer (&self->logins, g_strfreev);
  self->logins = g_strv_builder_end (logins);

  g_signal_handlers_block_by_func (self->user_dropdown, on_action_selected_cb, self);
  gtk_drop_down_set_model (self->user_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->user_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->user_dropdown, on_action_selected_cb, self);
}

/* The user the drop-down selects, or NULL for everyone. */
static const char *
selected_user (TesoroAuditWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->user_dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || self->logins == NULL ||
      selected > g_strv_length (self->logins))
    return NULL;
  return self->logins[selected - 1];
}

/* A date filter as typed, if it is a date; "" for none. */
static const char *
date_text (GtkEntry *entry)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

/* The action the drop-down selects, or NULL for all. */
static const char *
selected_action (TesoroAuditWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->action_dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > G_N_ELEMENTS (action_labels))
    return NULL;
  return action_labels[selected - 1].action;
}

static void
set_status (TesoroAuditWindow *self,
            const char        *style,
            const char        *icon_name,
            const char        *text,
            const char        *tooltip)
{
  static const char * const styles[] = { "success", "error", "warning" };

  /* On the icon and the text: the box is a card, with a colour of its own. */
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), styles[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), styles[i]);
    }
  if (style != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), style);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), icon_name == NULL);
  gtk_spinner_set_spinning (self->status_spinner, icon_name == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon_name != NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), tooltip);
}

static void
update_view (TesoroAuditWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  gboolean filtered = selected_action (self) != NULL || (self->uid_text != NULL && *self->uid_text != '\0') ||
                      selected_user (self) != NULL || *date_text (self->since_entry) != '\0' ||
                      *date_text (self->until_entry) != '\0';
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", n), n);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  if (self->truncated)
    {
      g_autofree char *note = NULL;

      if (!filtered && self->n_verified > self->limit)
        {
          g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, self->n_verified);

          /* Translators: the first %u is 10000, %s the number of entries in the log */
          note = g_strdup_printf (_("Showing the newest %u of %s entries. To see older ones, choose an action "
                                    "or paste a contact’s full uid."), self->limit, total);
        }
      else
        note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Showing the newest %u entry. To see older ones, choose an "
                                             "action or paste a contact’s full uid.",
                                             "Showing the newest %u entries. To see older ones, choose an "
                                             "action or paste a contact’s full uid.",
                                             self->limit),
                                self->limit);
      gtk_label_set_label (self->limit_label, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->limit_label), self->truncated);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0)
    return;

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  if (filtered)
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Entries"));
      adw_status_page_set_description (self->empty_page, _("Choose another action or contact uid."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Entries"));
      adw_status_page_set_description (self->empty_page,
                                       _("Exports, erasures, consent changes, restrictions, legal holds and "
                                         "retention runs are recorded here."));
    }
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Loads the newest entries the session-side filters (action, full uid) let
 * through, unless those are what is loaded already. */
static void
load_entries (TesoroAuditWindow *self,
              gboolean           force)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *filters = NULL;
  const char *action = selected_action (self);
  const char *since = date_text (self->since_entry);
  const char *until = date_text (self->until_entry);
  TesoroAuditFilter filter;

  if (self->uid_text != NULL && tesoro_is_valid_uid (self->uid_text))
    uid = g_ascii_strdown (self->uid_text, -1);
  filters = g_strdup_printf ("%s\n%s\n%s", selected_user (self) ? selected_user (self) : "", since, until);

  if (!force && self->loaded && g_strcmp0 (action, self->loaded_action) == 0 &&
      g_strcmp0 (uid, self->loaded_uid) == 0 && g_strcmp0 (filters, self->loaded_filters) == 0)
    return;

  tesoro_audit_filter_init (&filter);
  filter.action = action;
  filter.actor = selected_user (self);
  filter.since = *since != '\0' ? since : NULL;
  filter.until = *until != '\0' ? until : NULL;
  filter.contact_uid = uid;
  /* One more than shown, to know whether there are more. */
  filter.limit = self->limit > 0 ? self->limit + 1 : 0;
  filter.newest_first = TRUE;

  entries = tesoro_session_list_audit (self->session, &filter, &error);
  if (entries == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      /* The description is markup. */
      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "error");
      g_list_store_remove_all (self->entries);
      self->loaded = FALSE;
      return;
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0)
    gtk_stack_set_visible_child_name (self->stack, "list");

  self->loaded = TRUE;
  self->truncated = self->limit > 0 && entries->len > self->limit;
  if (self->truncated)
    g_ptr_array_set_size (entries, self->limit);
  tesoro_set_str (&self->loaded_action, action);
  tesoro_set_str (&self->loaded_uid, uid);
  tesoro_set_str (&self->loaded_filters, filters);
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       entries->pdata, entries->len);
}

static void
apply_filters (TesoroAuditWindow *self,
               gboolean           force)
{
  GtkFilter *filter = gtk_filter_list_model_get_filter (self->filter_model);

  load_entries (self, force);
  gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_view (self);
}

static gboolean
match_uid (gpointer item,
           gpointer user_data)
{
  TesoroAuditWindow *self = user_data;
  const char *uid = tesoro_audit_entry_get_contact_uid (item);
  g_autofree char *folded = NULL;

  if (self->uid_text == NULL || *self->uid_text == '\0')
    return TRUE;
  if (uid == NULL)
    return FALSE;

  folded = g_ascii_strdown (self->uid_text, -1);
  return strstr (uid, folded) != NULL;
}

/* Verification */

typedef struct
{
  char   *path;
  gint64  n_entries;
  gint64  broken_id;
  char   *message;
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  g_free (data->path);
  g_free (data->message);
  g_free (data);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *data = task_data;
  g_autoptr(TesoroSession) session = NULL;
  GError *error = NULL;

  session = tesoro_session_open (data->path, TESORO_SESSION_FLAGS_READ_ONLY, &error);
  if (session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!tesoro_session_verify_audit (session, cancellable, &data->n_entries, &data->broken_id, NULL, &error))
    {
      if (!g_error_matches (error, TESORO_ERROR, TESORO_ERROR_INVALID) || data->broken_id <= 0)
        {
          g_task_return_error (task, error);
          return;
        }
      data->message = g_strdup (error->message);
      g_clear_error (&error);
    }

  g_task_return_boolean (task, TRUE);
}

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TesoroAuditWindow *self = TESORO_AUDIT_WINDOW (object);
  VerifyData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Closed or started again: the window no longer waits for this. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      self->verifying = FALSE;
      g_clear_object (&self->verify_cancellable);
      text = g_strdup_printf (_("The log could not be checked: %s"), error->message);
      set_status (self, "warning", "dialog-warning-symbolic", text, NULL);
      return;
    }

  self->verifying = FALSE;
  g_clear_object (&self->verify_cancellable);

  if (data->message != NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->broken_id);

      /* Translators: %s is the number of an entry of the log */
      text = g_strdup_printf (_("The log has been tampered with: entry %s does not match."), id);
      set_status (self, "error", "dialog-error-symbolic", text, data->message);
      return;
    }

  self->n_verified = data->n_entries;
  if (data->n_entries == 0)
    text = g_strdup (_("The log is intact: nothing has been recorded yet."));
  else
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, data->n_entries);

      /* Translators: %s is a number of entries */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The log is intact: %s entry.",
                                           "The log is intact: %s entries, each linked to the one before.",
                                           (gulong) data->n_entries),
                              count);
    }
  set_status (self, "success", "emblem-ok-symbolic", text, NULL);
  update_view (self);
}

static void
start_verify (TesoroAuditWindow *self)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *data;

  g_cancellable_cancel (self->verify_cancellable);
  g_clear_object (&self->verify_cancellable);
  self->verify_cancellable = g_cancellable_new ();
  self->verifying = TRUE;
  set_status (self, NULL, NULL, _("Checking that the log is intact…"), NULL);

  data = g_new0 (VerifyData, 1);
  data->path = g_strdup (tesoro_session_get_path (self->session));

  task = g_task_new (self, self->verify_cancellable, verify_done_cb, NULL);
  g_task_set_source_tag (task, start_verify);
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

/* Actions */

static void
reload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TesoroAuditWindow *self = TESORO_AUDIT_WINDOW (widget);

  apply_filters (self, TRUE);
  start_verify (self);
}

static void
focus_search_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TesoroAuditWindow *self = TESORO_AUDIT_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->uid_entry));
}

/* Template callbacks */

static char *
audit_when_text (GtkListItem *item,
                 const char  *at)
{
  return tesoro_format_timestamp_local (at);
}

static char *
audit_action_text (GtkListItem *item,
                   const char  *action)
{
  return g_strdup (tesoro_audit_action_to_label (action));
}

static void
on_uid_search_changed_cb (TesoroAuditWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->uid_entry))));

  tesoro_set_str (&self->uid_text, text);
  apply_filters (self, FALSE);
}

static void
on_action_selected_cb (TesoroAuditWindow *self)
{
  apply_filters (self, FALSE);
}

/* A date is applied once it is one (or empty); half a date is left alone. */
static void
on_date_changed_cb (TesoroAuditWindow *self,
                    GtkEditable       *entry)
{
  const char *text = gtk_editable_get_text (entry);
  g_autofree char *normalized = *text != '\0' ? tesoro_normalize_timestamp (text, FALSE, NULL) : NULL;

  if (*text != '\0' && normalized == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  apply_filters (self, FALSE);
}

static void
on_export_chosen_cb (GtkNativeDialog   *chooser,
                     int                response,
                     TesoroAuditWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      _tesoro_audit_window_export_to (self, path, NULL);
    }
  g_object_unref (chooser);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TesoroAuditWindow *self = TESORO_AUDIT_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save the Audit Log"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("audit-log.csv"));
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * _tesoro_audit_window_export_to:
 *
 * Writes the entries shown, as the filters leave them, to @path as CSV.
 */
gboolean
_tesoro_audit_window_export_to (TesoroAuditWindow  *self,
                                const char         *path,
                                GError            **error)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  GListModel *model = G_LIST_MODEL (self->filter_model);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (shown, g_list_model_get_item (model, i));

  if (!tesoro_session_write_audit_csv (self->session, shown, path, &local_error))
    {
      g_autofree char *escaped = g_markup_escape_text (local_error->message, -1);

      set_status (self, "error", "dialog-error-symbolic", _("The log could not be saved"), escaped);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* GObject */

static void
tesoro_audit_window_dispose (GObject *object)
{
  TesoroAuditWindow *self = (TesoroAuditWindow *) object;

  g_cancellable_cancel (self->verify_cancellable);
  g_clear_object (&self->verify_cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_AUDIT_WINDOW);
  g_clear_object (&self->entries);

  G_OBJECT_CLASS (tesoro_audit_window_parent_class)->dispose (object);
}

static void
tesoro_audit_window_finalize (GObject *object)
{
  TesoroAuditWindow *self = (TesoroAuditWindow *) object;

  g_clear_pointer (&self->loaded_action, g_free);
  g_clear_pointer (&self->loaded_uid, g_free);
  g_clear_pointer (&self->loaded_filters, g_free);
  g_clear_pointer (&self->logins, g_strfreev);
  g_clear_pointer (&self->uid_text, g_free);

  G_OBJECT_CLASS (tesoro_audit_window_parent_class)->finalize (object);
}

static void
tesoro_audit_window_class_init (TesoroAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_audit_window_dispose;
  object_class->finalize = tesoro_audit_window_finalize;

  g_type_ensure (TESORO_TYPE_AUDIT_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-audit-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, uid_entry);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, action_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, user_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, since_entry);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, until_entry);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, limit_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, filter_model);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TesoroAuditWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, audit_when_text);
  gtk_widget_class_bind_template_callback (widget_class, audit_action_text);
  gtk_widget_class_bind_template_callback (widget_class, on_uid_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_action_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_changed_cb);

  gtk_widget_class_install_action (widget_class, "audit.reload", NULL, reload_activated);
  gtk_widget_class_install_action (widget_class, "audit.focus-search", NULL, focus_search_activated);
  gtk_widget_class_install_action (widget_class, "audit.export", NULL, export_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "audit.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "audit.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "audit.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "audit.focus-search", NULL);
}

static void
tesoro_audit_window_init (TesoroAuditWindow *self)
{
  g_autoptr(GtkStringList) actions = gtk_string_list_new (NULL);
  g_autoptr(GtkCustomFilter) filter = NULL;

  self->limit = DEFAULT_LIMIT;
  self->entries = g_list_store_new (TESORO_TYPE_AUDIT_ENTRY);

  gtk_widget_init_template (GTK_WIDGET (self));

  filter = gtk_custom_filter_new (match_uid, self, NULL);
  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (filter));
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (self->entries));

  gtk_string_list_append (actions, _("All actions"));
  for (guint i = 0; i < G_N_ELEMENTS (action_labels); i++)
    gtk_string_list_append (actions, _(action_labels[i].label));
  /* Nothing to load yet: the session comes with tesoro_audit_window_new(). */
  g_signal_handlers_block_by_func (self->action_dropdown, on_action_selected_cb, self);
  gtk_drop_down_set_model (self->action_dropdown, G_LIST_MODEL (actions));
  gtk_drop_down_set_selected (self->action_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->action_dropdown, on_action_selected_cb, self);
}

/**
 * tesoro_audit_window_new:
 * @session: the session whose log to show
 *
 * Returns: (transfer none): a new window, not yet shown; it starts checking
 *   the hash chain at once
 */
TesoroAuditWindow *
tesoro_audit_window_new (TesoroSession *session)
{
  TesoroAuditWindow *self;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_AUDIT_WINDOW, NULL);
  self->session = g_object_ref (session);
  fill_users (self);

  apply_filters (self, TRUE);
  start_verify (self);

  return self;
}

/**
 * tesoro_audit_action_to_label:
 * @action: an action of the log (`TESORO_AUDIT_…`)
 *
 * Returns: the action's name for people, translated; an action this
 *   version does not know as it is stored
 */
const char *
tesoro_audit_action_to_label (const char *action)
{
  g_return_val_if_fail (action != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (action_labels); i++)
    if (g_str_equal (action, action_labels[i].action))
      return _(action_labels[i].label);

  return action;
}

/* For the tests */

GListModel *
_tesoro_audit_window_get_entries (TesoroAuditWindow *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_WINDOW (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

gboolean
_tesoro_audit_window_is_verifying (TesoroAuditWindow *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_WINDOW (self), FALSE);
  return self->verifying;
}

const char *
_tesoro_audit_window_get_status_text (TesoroAuditWindow *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_WINDOW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

const char *
_tesoro_audit_window_get_limit_text (TesoroAuditWindow *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_WINDOW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->limit_label)) ? gtk_label_get_label (self->limit_label) : NULL;
}

GtkDropDown *
_tesoro_audit_window_get_action_filter (TesoroAuditWindow *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_WINDOW (self), NULL);
  return self->action_dropdown;
}

GtkEditable *
_tesoro_audit_window_get_uid_filter (TesoroAuditWindow *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_WINDOW (self), NULL);
  return GTK_EDITABLE (self->uid_entry);
}

/* Loads at most @limit entries from now on (0 for all), as if the log
 * were that much larger than the default limit. */
void
_tesoro_audit_window_set_limit (TesoroAuditWindow *self,
                                guint              limit)
{
  g_return_if_fail (TESORO_IS_AUDIT_WINDOW (self));

  self->limit = limit;
  apply_filters (self, TRUE);
}

GtkDropDown *
_tesoro_audit_window_get_user_filter (TesoroAuditWindow *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_WINDOW (self), NULL);
  return self->user_dropdown;
}

GtkEditable *
_tesoro_audit_window_get_date_filter (TesoroAuditWindow *self,
                                      gboolean           until)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_WINDOW (self), NULL);
  return GTK_EDITABLE (until ? self->until_entry : self->since_entry);
}
