/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-retention-preview"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-gdpr.h"
#include "tesoro-retention-preview.h"
#include "tesoro-utils.h"

/*
 * Preview of retention: exactly who would be deleted now for a retention
 * period of N years, longest inactive first. It is a subpage of the
 * Preferences window; its back button activates "preferences.close-subpage".
 * The window keeps one preview and runs it again for each period: libadwaita
 * 1.2 crashes when a second subpage is presented while the first one is still
 * being closed, and re-presenting the same one is the case it handles.
 *
 * On a large database the query reads many rows, so it runs in a worker
 * thread on a read-only connection of its own; the page shows a spinner
 * meanwhile and the window stays responsive.
 */

struct _TesoroRetentionPreview
{
  AdwBin          parent_instance;

  TesoroSession    *session;
  guint           years;
  GListStore     *contacts;
  GCancellable   *cancellable;
  gboolean        loading;

  AdwWindowTitle *window_title;
  GtkLabel       *explanation_label;
  GtkStack       *stack;
  GtkColumnView  *column_view;
  AdwStatusPage  *empty_page;
  AdwStatusPage  *error_page;
};

G_DEFINE_FINAL_TYPE (TesoroRetentionPreview, tesoro_retention_preview, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (TesoroRetentionPreview *self,
             gboolean                loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The search */

typedef struct
{
  char  *path;
  guint  years;
} FindData;

static void
find_data_free (FindData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindData *data = task_data;
  g_autoptr(TesoroSession) session = NULL;
  GPtrArray *contacts;
  GError *error = NULL;

  session = tesoro_session_open (data->path, TESORO_SESSION_FLAGS_READ_ONLY, &error);
  if (session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  contacts = tesoro_session_find_retention_candidates (session, data->years, &error);
  if (contacts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, contacts, (GDestroyNotify) g_ptr_array_unref);
}

static void
find_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TesoroRetentionPreview *self = TESORO_RETENTION_PREVIEW (object);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  contacts = g_task_propagate_pointer (G_TASK (result), &error);
  if (contacts == NULL)
    {
      /* Disposed: nobody waits for the result any more. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_clear_object (&self->cancellable);
      adw_window_title_set_title (self->window_title, _("Retention Preview"));
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      /* The description is markup. */
      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_loading (self, FALSE);
      return;
    }

  g_clear_object (&self->cancellable);
  g_list_store_splice (self->contacts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->contacts)),
                       contacts->pdata, contacts->len);

  if (contacts->len == 0)
    title = g_strdup (_("Nobody Would Be Deleted"));
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Contact Would Be Deleted",
                                          "%u Contacts Would Be Deleted", contacts->len),
                             contacts->len);
  adw_window_title_set_title (self->window_title, title);
  /* The empty page says it in its own words. */
  gtk_widget_set_visible (GTK_WIDGET (self->explanation_label), contacts->len > 0);
  gtk_stack_set_visible_child_name (self->stack, contacts->len > 0 ? "list" : "empty");
  set_loading (self, FALSE);
}

static void
start_search (TesoroRetentionPreview *self)
{
  g_autoptr(GTask) task = NULL;
  FindData *data = g_new0 (FindData, 1);

  data->path = g_strdup (tesoro_session_get_path (self->session));
  data->years = self->years;

  /* A search still running for another period is of no use any more. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_list_store_remove_all (self->contacts);
  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  task = g_task_new (self, self->cancellable, find_done_cb, NULL);
  g_task_set_source_tag (task, start_search);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  g_task_run_in_thread (task, find_thread);
}

/* Template callbacks */

static char *
preview_name_text (GtkListItem *item,
                   const char  *display_name,
                   const char  *uid)
{
  if (display_name != NULL && *display_name != '\0')
    return g_strdup (display_name);
  /* Translators: a contact without any name; %s is its uid */
  return g_strdup_printf (_("(no name, %s)"), uid);
}

static char *
preview_date_text (GtkListItem *item,
                   const char  *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL || *iso == '\0')
    return g_strdup (_("Never"));

  /* A day is what matters here, not the minute. */
  dt = tesoro_date_time_from_iso (iso);
  if (dt == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (dt);
  return g_date_time_format (local, "%-d %B %Y");
}

static char *
preview_state_text (GtkListItem *item,
                    const char  *trashed_at,
                    gboolean     restricted)
{
  if (trashed_at != NULL && *trashed_at != '\0')
    return g_strdup (_("In the trash"));
  if (restricted)
    return g_strdup (_("Restricted"));
  return g_strdup ("");
}

/* GObject */

static void
tesoro_retention_preview_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  TesoroRetentionPreview *self = TESORO_RETENTION_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_retention_preview_dispose (GObject *object)
{
  TesoroRetentionPreview *self = (TesoroRetentionPreview *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_RETENTION_PREVIEW);
  g_clear_object (&self->contacts);

  G_OBJECT_CLASS (tesoro_retention_preview_parent_class)->dispose (object);
}

static void
tesoro_retention_preview_class_init (TesoroRetentionPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tesoro_retention_preview_get_property;
  object_class->dispose = tesoro_retention_preview_dispose;

  /**
   * TesoroRetentionPreview:loading:
   *
   * Whether the search for inactive contacts still runs.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TESORO_TYPE_CONTACT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-retention-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroRetentionPreview, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroRetentionPreview, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroRetentionPreview, stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroRetentionPreview, column_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroRetentionPreview, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TesoroRetentionPreview, error_page);
  gtk_widget_class_bind_template_callback (widget_class, preview_name_text);
  gtk_widget_class_bind_template_callback (widget_class, preview_date_text);
  gtk_widget_class_bind_template_callback (widget_class, preview_state_text);
}

static void
tesoro_retention_preview_init (TesoroRetentionPreview *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  self->contacts = g_list_store_new (TESORO_TYPE_CONTACT);

  gtk_widget_init_template (GTK_WIDGET (self));

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->contacts)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

/**
 * tesoro_retention_preview_new:
 * @session: the session to look in (the search uses a connection of its own to
 *   the same file)
 *
 * Returns: (transfer floating): a new preview; tesoro_retention_preview_run()
 *   starts a search
 */
TesoroRetentionPreview *
tesoro_retention_preview_new (TesoroSession *session)
{
  TesoroRetentionPreview *self;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_RETENTION_PREVIEW, NULL);
  self->session = g_object_ref (session);

  return self;
}

/**
 * tesoro_retention_preview_run:
 * @years: the retention period
 *
 * Looks for the contacts that a retention period of @years would delete
 * now, in a worker thread; #TesoroRetentionPreview:loading is %TRUE until the
 * list is complete. A search still running is abandoned.
 */
void
tesoro_retention_preview_run (TesoroRetentionPreview *self,
                              guint                   years)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *cutoff = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *since = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (TESORO_IS_RETENTION_PREVIEW (self));
  g_return_if_fail (years >= 1);

  self->years = years;

  cutoff = tesoro_retention_cutoff (years);
  since = preview_date_text (NULL, cutoff);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Inactive for more than %u year",
                                           "Inactive for more than %u years", years),
                              years);
  adw_window_title_set_title (self->window_title, _("Retention Preview"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  /* Translators: %s is a date ("3 March 2019") */
  explanation = g_strdup_printf (_("These contacts have had no note, message, call, meeting, task or edit "
                                   "since %s and are not on legal hold. While automatic deletion is on, they "
                                   "are permanently deleted, each with an erasure receipt. To keep one, put it "
                                   "on legal hold."),
                                 since);
  gtk_label_set_label (self->explanation_label, explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->explanation_label), TRUE);
  g_clear_pointer (&explanation, g_free);
  /* Translators: %s is a date ("3 March 2019") */
  explanation = g_strdup_printf (_("Every contact has had a note, message, call, meeting, task or edit since %s, "
                                   "or is on legal hold."),
                                 since);
  escaped = g_markup_escape_text (explanation, -1);
  /* The description is markup. */
  adw_status_page_set_description (self->empty_page, escaped);

  start_search (self);
}

/**
 * tesoro_retention_preview_get_model:
 *
 * Returns: (transfer none): the contacts that would be deleted
 *   (#TesoroContact summaries), longest inactive first; empty while loading
 */
GListModel *
tesoro_retention_preview_get_model (TesoroRetentionPreview *self)
{
  g_return_val_if_fail (TESORO_IS_RETENTION_PREVIEW (self), NULL);
  return G_LIST_MODEL (self->contacts);
}

gboolean
tesoro_retention_preview_get_loading (TesoroRetentionPreview *self)
{
  g_return_val_if_fail (TESORO_IS_RETENTION_PREVIEW (self), FALSE);
  return self->loading;
}

guint
tesoro_retention_preview_get_years (TesoroRetentionPreview *self)
{
  g_return_val_if_fail (TESORO_IS_RETENTION_PREVIEW (self), 0);
  return self->years;
}
