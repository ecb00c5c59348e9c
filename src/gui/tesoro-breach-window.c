/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-breach-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-breach-dialog.h"
#include "tesoro-breach-event-dialog.h"
#include "tesoro-breach-window-private.h"
#include "tesoro-utils.h"

/*
 * The Breach Log (GDPR Art. 33(5)): every breach, most recently discovered
 * first, with where it stands with the 72 hours of Art. 33(1); the selected
 * breach's facts and its history, and the buttons that record what was done
 * about it. The log only grows: each button appends an event.
 *
 * The hours left change with the clock, so the list is read again every
 * minute while the window is open (a breach log holds dozens of entries,
 * not thousands).
 */

#define REFRESH_SECONDS 60

struct _TesoroBreachWindow
{
  AdwWindow           parent_instance;

  TesoroSession      *session;
  GListStore         *breaches;
  guint               refresh_source;

  AdwWindowTitle     *window_title;
  GtkStack           *stack;
  GtkListView        *list_view;
  GtkSingleSelection *selection;
  AdwStatusPage      *error_page;
  GtkLabel           *title_label;
  GtkLabel           *deadline_label;
  GtkLabel           *people_label;
  AdwActionRow       *discovered_row;
  AdwActionRow       *recorded_row;
  AdwActionRow       *description_row;
  AdwActionRow       *categories_row;
  AdwActionRow       *people_row;
  AdwActionRow       *records_row;
  AdwActionRow       *consequences_row;
  AdwActionRow       *measures_row;
  GtkListView        *history_view;
};

G_DEFINE_FINAL_TYPE (TesoroBreachWindow, tesoro_breach_window, ADW_TYPE_WINDOW)

/* The style of the 72-hour state: red when overdue, amber while it runs. */
static const char *
deadline_style (TesoroBreach *breach)
{
  switch (tesoro_breach_get_deadline_state (breach, NULL, NULL))
    {
    case TESORO_BREACH_DEADLINE_OVERDUE:
      return "error";
    case TESORO_BREACH_DEADLINE_OPEN:
      return "warning";
    case TESORO_BREACH_DEADLINE_NOTIFIED:
      return tesoro_breach_was_notified_late (breach) ? "warning" : "success";
    case TESORO_BREACH_DEADLINE_NOT_REQUIRED:
    default:
      return "dim-label";
    }
}

static void
set_style (GtkWidget  *widget,
           const char *style)
{
  static const char * const styles[] = { "error", "warning", "success", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (widget, styles[i]);
  gtk_widget_add_css_class (widget, style);
}

static char *
count_text (gint64 n)
{
  return n >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n) : g_strdup (_("Unknown"));
}

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  adw_action_row_set_subtitle (row, value != NULL && *value != '\0' ? value : _("Not recorded"));
}

static void
show_breach (TesoroBreachWindow *self,
             TesoroBreach       *breach)
{
  g_autofree char *title = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *people_state = NULL;
  g_autofree char *discovered = NULL;
  g_autofree char *deadline_at = NULL;
  g_autofree char *deadline_local = NULL;
  g_autofree char *discovered_text = NULL;
  g_autofree char *recorded = NULL;
  g_autofree char *recorded_text = NULL;
  g_autofree char *people = NULL;
  g_autofree char *records = NULL;
  g_autoptr(GtkNoSelection) history = NULL;
  gboolean writable = breach != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "breaches.notify", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "breaches.inform", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "breaches.correct", writable);
  if (breach == NULL)
    {
      gtk_list_view_set_model (self->history_view, NULL);
      return;
    }

  title = tesoro_breach_dup_title (breach);
  deadline = tesoro_breach_describe_deadline (breach, NULL);
  people_state = tesoro_breach_describe_people (breach);
  discovered = tesoro_format_timestamp_local (tesoro_breach_get_discovered_at (breach));
  deadline_at = tesoro_breach_dup_deadline (breach);
  deadline_local = tesoro_format_timestamp_local (deadline_at);
  /* Translators: when the breach was discovered, and when the 72 hours end */
  discovered_text = g_strdup_printf (_("%s (72 hours end %s)"), discovered, deadline_local);
  recorded = tesoro_format_timestamp_local (tesoro_breach_get_recorded_at (breach));
  /* Translators: when, and by whom (a login) */
  recorded_text = g_strdup_printf (_("%s by %s"), recorded, tesoro_breach_get_recorded_by (breach));
  people = count_text (tesoro_breach_get_people_affected (breach));
  records = count_text (tesoro_breach_get_records_affected (breach));

  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->deadline_label, deadline);
  set_style (GTK_WIDGET (self->deadline_label), deadline_style (breach));
  gtk_label_set_label (self->people_label, people_state);
  set_style (GTK_WIDGET (self->people_label),
             tesoro_breach_get_people_duty (breach) == TESORO_BREACH_DUTY_PENDING ? "warning" : "dim-label");

  set_row (self->discovered_row, discovered_text);
  set_row (self->recorded_row, recorded_text);
  set_row (self->description_row, tesoro_breach_get_description (breach));
  set_row (self->categories_row, tesoro_breach_get_categories (breach));
  set_row (self->people_row, people);
  set_row (self->records_row, records);
  set_row (self->consequences_row, tesoro_breach_get_consequences (breach));
  set_row (self->measures_row, tesoro_breach_get_measures (breach));

  history = gtk_no_selection_new (g_object_ref (tesoro_breach_get_events (breach)));
  gtk_list_view_set_model (self->history_view, GTK_SELECTION_MODEL (history));
}

/* Reads the log again; keeps (or moves) the selection to @select_id. */
static void
reload (TesoroBreachWindow *self,
        gint64              select_id)
{
  g_autoptr(GPtrArray) breaches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  guint overdue = 0;
  guint select = GTK_INVALID_LIST_POSITION;

  breaches = tesoro_session_list_breaches (self->session, &error);
  if (breaches == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      /* The description is markup. */
      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "error");
      show_breach (self, NULL);
      return;
    }

  for (guint i = 0; i < breaches->len; i++)
    {
      if (tesoro_breach_is_overdue (breaches->pdata[i], NULL))
        overdue++;
      if (tesoro_breach_get_id (breaches->pdata[i]) == select_id)
        select = i;
    }

  g_list_store_splice (self->breaches, 0, g_list_model_get_n_items (G_LIST_MODEL (self->breaches)),
                       breaches->pdata, breaches->len);
  if (select != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, select);
  show_breach (self, gtk_single_selection_get_selected_item (self->selection));

  if (overdue > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u breach, %u overdue", "%u breaches, %u overdue",
                                             breaches->len),
                                breaches->len, overdue);
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u breach", "%u breaches", breaches->len),
                                breaches->len);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_stack_set_visible_child_name (self->stack, breaches->len > 0 ? "breaches" : "empty");
}

static gint64
selected_id (TesoroBreachWindow *self)
{
  TesoroBreach *breach = gtk_single_selection_get_selected_item (self->selection);

  return breach != NULL ? tesoro_breach_get_id (breach) : 0;
}

static gboolean
refresh_cb (gpointer user_data)
{
  TesoroBreachWindow *self = user_data;

  reload (self, selected_id (self));
  return G_SOURCE_CONTINUE;
}

/* Actions */

static void
on_saved_cb (TesoroBreachWindow *self,
             TesoroBreach       *breach)
{
  reload (self, tesoro_breach_get_id (breach));
}

static void
present_dialog (TesoroBreachWindow *self,
                GtkWindow          *dialog)
{
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (dialog, GTK_WINDOW (self));
  gtk_window_present (dialog);
}

static void
record_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TesoroBreachWindow *self = TESORO_BREACH_WINDOW (widget);

  present_dialog (self, GTK_WINDOW (tesoro_breach_dialog_new (self->session, NULL)));
}

static void
correct_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TesoroBreachWindow *self = TESORO_BREACH_WINDOW (widget);
  TesoroBreach *breach = gtk_single_selection_get_selected_item (self->selection);

  if (breach != NULL)
    present_dialog (self, GTK_WINDOW (tesoro_breach_dialog_new (self->session, breach)));
}

static void
duty_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroBreachWindow *self = TESORO_BREACH_WINDOW (widget);
  TesoroBreach *breach = gtk_single_selection_get_selected_item (self->selection);
  TesoroBreachDuties duty = g_str_equal (action_name, "breaches.notify") ? TESORO_BREACH_AUTHORITY
                                                                         : TESORO_BREACH_PEOPLE;

  if (breach != NULL)
    present_dialog (self, GTK_WINDOW (tesoro_breach_event_dialog_new (self->session, breach, duty)));
}

/* Template callbacks */

static char *
breach_row_subtitle (GtkListItem  *item,
                     TesoroBreach *breach)
{
  g_autofree char *when = NULL;
  gint64 people;

  if (breach == NULL)
    return g_strdup ("");

  when = tesoro_format_timestamp_local (tesoro_breach_get_discovered_at (breach));
  people = tesoro_breach_get_people_affected (breach);
  if (people < 0)
    /* Translators: a breach in the list: when it was discovered */
    return g_strdup_printf (_("Discovered %s · people affected unknown"), when);
  /* Translators: a breach in the list: when it was discovered, and how many people it affects */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Discovered %s · %d person affected",
                                       "Discovered %s · %d people affected", people),
                          when, (int) people);
}

static char *
breach_row_state (GtkListItem  *item,
                  TesoroBreach *breach)
{
  return breach != NULL ? tesoro_breach_describe_deadline (breach, NULL) : g_strdup ("");
}

static GStrv
breach_row_state_classes (GtkListItem  *item,
                          TesoroBreach *breach)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, "caption");
  if (breach != NULL)
    g_strv_builder_add (builder, deadline_style (breach));
  return g_strv_builder_end (builder);
}

static char *
event_row_subtitle (GtkListItem *item,
                    const char  *at,
                    const char  *recorded_by)
{
  g_autofree char *when = tesoro_format_timestamp_local (at);

  /* Translators: an entry of a breach's history: when it was recorded, and by whom */
  return g_strdup_printf (_("Recorded %s by %s"), when, recorded_by != NULL ? recorded_by : "");
}

static void
on_selected_item_changed_cb (TesoroBreachWindow *self)
{
  show_breach (self, gtk_single_selection_get_selected_item (self->selection));
}

/* GObject */

static void
tesoro_breach_window_dispose (GObject *object)
{
  TesoroBreachWindow *self = (TesoroBreachWindow *) object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_BREACH_WINDOW);
  g_clear_object (&self->breaches);

  G_OBJECT_CLASS (tesoro_breach_window_parent_class)->dispose (object);
}

static void
tesoro_breach_window_class_init (TesoroBreachWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_breach_window_dispose;

  g_type_ensure (TESORO_TYPE_BREACH);
  g_type_ensure (TESORO_TYPE_BREACH_EVENT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-breach-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, people_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, discovered_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, recorded_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, description_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, categories_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, people_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, records_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, consequences_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, measures_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachWindow, history_view);
  gtk_widget_class_bind_template_callback (widget_class, breach_row_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, breach_row_state);
  gtk_widget_class_bind_template_callback (widget_class, breach_row_state_classes);
  gtk_widget_class_bind_template_callback (widget_class, event_row_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_item_changed_cb);

  gtk_widget_class_install_action (widget_class, "breaches.record", NULL, record_activated);
  gtk_widget_class_install_action (widget_class, "breaches.notify", NULL, duty_activated);
  gtk_widget_class_install_action (widget_class, "breaches.inform", NULL, duty_activated);
  gtk_widget_class_install_action (widget_class, "breaches.correct", NULL, correct_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "breaches.record", NULL);
}

static void
tesoro_breach_window_init (TesoroBreachWindow *self)
{
  self->breaches = g_list_store_new (TESORO_TYPE_BREACH);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->breaches));
}

/**
 * tesoro_breach_window_new:
 * @session: the session whose breach log to show
 *
 * Returns: (transfer none): a new window, not yet shown
 */
TesoroBreachWindow *
tesoro_breach_window_new (TesoroSession *session)
{
  TesoroBreachWindow *self;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_BREACH_WINDOW, NULL);
  self->session = g_object_ref (session);
  gtk_window_set_title (GTK_WINDOW (self), _("Breach Log"));
  adw_window_title_set_title (self->window_title, _("Breach Log"));
  reload (self, 0);
  self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);

  return self;
}

/* For the tests */

GListModel *
_tesoro_breach_window_get_breaches (TesoroBreachWindow *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_WINDOW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

const char *
_tesoro_breach_window_get_page (TesoroBreachWindow *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
_tesoro_breach_window_get_deadline_text (TesoroBreachWindow *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_WINDOW (self), NULL);
  return gtk_label_get_label (self->deadline_label);
}

GListModel *
_tesoro_breach_window_get_history (TesoroBreachWindow *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_WINDOW (self), NULL);
  return G_LIST_MODEL (gtk_list_view_get_model (self->history_view));
}
