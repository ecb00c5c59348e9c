/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-breach-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "tesoro-breach-dialog.h"
#include "tesoro-utils.h"

/*
 * Record Breach… and Correct…: one form for the facts of a breach. Saving a
 * new breach enters it in the log; saving a correction appends the facts
 * that changed. What breaks a rule is said under the form, and the field it
 * concerns is marked.
 */

struct _TesoroBreachDialog
{
  AdwWindow       parent_instance;

  TesoroSession  *session;
  TesoroBreach   *breach;        /* the breach corrected, or NULL */
  char           *shown_discovered;

  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  AdwEntryRow    *discovered_row;
  GtkTextView    *description_view;
  AdwEntryRow    *categories_row;
  AdwEntryRow    *people_row;
  AdwEntryRow    *records_row;
  GtkTextView    *consequences_view;
  GtkTextView    *measures_view;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (TesoroBreachDialog, tesoro_breach_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The widget that shows @field: what an error marks. */
static GtkWidget *
field_widget (TesoroBreachDialog *self,
              TesoroBreachFields  field)
{
  switch (field)
    {
    case TESORO_BREACH_FIELD_DISCOVERED:
      return GTK_WIDGET (self->discovered_row);
    case TESORO_BREACH_FIELD_DESCRIPTION:
      return gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->description_view)));
    case TESORO_BREACH_FIELD_CATEGORIES:
      return GTK_WIDGET (self->categories_row);
    case TESORO_BREACH_FIELD_PEOPLE:
      return GTK_WIDGET (self->people_row);
    case TESORO_BREACH_FIELD_RECORDS:
      return GTK_WIDGET (self->records_row);
    case TESORO_BREACH_FIELD_CONSEQUENCES:
      return gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->consequences_view)));
    case TESORO_BREACH_FIELD_MEASURES:
      return gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->measures_view)));
    default:
      return NULL;
    }
}

/* The message sits in a group of its own above the form, shown only with
 * a message (an empty group would still take its space). */
static void
set_error_visible (TesoroBreachDialog *self,
                   gboolean            visible)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), visible);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->error_label), ADW_TYPE_PREFERENCES_GROUP),
                          visible);
}

static void
clear_errors (TesoroBreachDialog *self)
{
  for (TesoroBreachFields f = TESORO_BREACH_FIELD_DISCOVERED; f <= TESORO_BREACH_FIELD_MEASURES; f <<= 1)
    gtk_widget_remove_css_class (field_widget (self, f), "error");
  set_error_visible (self, FALSE);
  gtk_label_set_label (self->error_label, "");
}

static void
show_error (TesoroBreachDialog *self,
            TesoroBreachFields  field,
            const GError       *error)
{
  GtkWidget *widget = field != 0 ? field_widget (self, field) : NULL;

  gtk_label_set_label (self->error_label, error->message);
  set_error_visible (self, TRUE);
  if (widget != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_grab_focus (widget);
    }
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroBreachDialog *self = TESORO_BREACH_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroBreach) saved = NULL;
  g_autofree char *discovered_text = row_text (self->discovered_row);
  g_autofree char *discovered = NULL;
  g_autofree char *description = view_text (self->description_view);
  g_autofree char *categories = row_text (self->categories_row);
  g_autofree char *people = row_text (self->people_row);
  g_autofree char *records = row_text (self->records_row);
  g_autofree char *consequences = view_text (self->consequences_view);
  g_autofree char *measures = view_text (self->measures_view);
  TesoroBreachFields fields = TESORO_BREACH_FIELDS_ALL;
  TesoroBreachFields bad = 0;
  TesoroBreachFacts facts = {
    .description = description,
    .categories = categories,
    .consequences = consequences,
    .measures = measures,
  };

  clear_errors (self);

  /* A correction leaves the discovery time alone unless it was changed. */
  if (self->breach != NULL && g_strcmp0 (discovered_text, self->shown_discovered) == 0)
    fields &= ~TESORO_BREACH_FIELD_DISCOVERED;
  else if ((discovered = tesoro_parse_local_datetime (discovered_text, &error)) == NULL)
    bad = TESORO_BREACH_FIELD_DISCOVERED;
  facts.discovered_at = discovered;

  if (bad == 0 &&
      !tesoro_breach_parse_count ("people_affected", people, &facts.people_known, &facts.people_affected, &error))
    bad = TESORO_BREACH_FIELD_PEOPLE;
  if (bad == 0 &&
      !tesoro_breach_parse_count ("records_affected", records, &facts.records_known, &facts.records_affected, &error))
    bad = TESORO_BREACH_FIELD_RECORDS;
  if (bad == 0)
    tesoro_breach_facts_validate (&facts, fields, NULL, &bad, &error);
  if (bad != 0)
    {
      show_error (self, bad, error);
      return;
    }

  if (self->breach != NULL)
    saved = tesoro_session_correct_breach (self->session, tesoro_breach_get_id (self->breach), &facts, fields, &error);
  else
    saved = tesoro_session_record_breach (self->session, &facts, &error);
  if (saved == NULL)
    {
      show_error (self, 0, error);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, saved);
  gtk_window_close (GTK_WINDOW (self));
}

static void
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static void
fill (TesoroBreachDialog *self,
      TesoroBreach       *breach)
{
  g_autofree char *people = NULL;
  g_autofree char *records = NULL;

  self->shown_discovered = tesoro_format_local_input (tesoro_breach_get_discovered_at (breach));
  gtk_editable_set_text (GTK_EDITABLE (self->discovered_row), self->shown_discovered);
  set_view_text (self->description_view, tesoro_breach_get_description (breach));
  gtk_editable_set_text (GTK_EDITABLE (self->categories_row), tesoro_breach_get_categories (breach));
  if (tesoro_breach_get_people_affected (breach) >= 0)
    people = g_strdup_printf ("%" G_GINT64_FORMAT, tesoro_breach_get_people_affected (breach));
  if (tesoro_breach_get_records_affected (breach) >= 0)
    records = g_strdup_printf ("%" G_GINT64_FORMAT, tesoro_breach_get_records_affected (breach));
  gtk_editable_set_text (GTK_EDITABLE (self->people_row), people != NULL ? people : "");
  gtk_editable_set_text (GTK_EDITABLE (self->records_row), records != NULL ? records : "");
  set_view_text (self->consequences_view, tesoro_breach_get_consequences (breach));
  set_view_text (self->measures_view, tesoro_breach_get_measures (breach));
}

/* GObject */

static void
tesoro_breach_dialog_dispose (GObject *object)
{
  TesoroBreachDialog *self = (TesoroBreachDialog *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->breach);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_BREACH_DIALOG);

  G_OBJECT_CLASS (tesoro_breach_dialog_parent_class)->dispose (object);
}

static void
tesoro_breach_dialog_finalize (GObject *object)
{
  TesoroBreachDialog *self = (TesoroBreachDialog *) object;

  g_free (self->shown_discovered);

  G_OBJECT_CLASS (tesoro_breach_dialog_parent_class)->finalize (object);
}

static void
tesoro_breach_dialog_class_init (TesoroBreachDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_breach_dialog_dispose;
  object_class->finalize = tesoro_breach_dialog_finalize;

  /**
   * TesoroBreachDialog::saved:
   * @breach: the breach as stored now
   *
   * The breach was recorded, or its correction appended.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, TESORO_TYPE_BREACH);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-breach-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, discovered_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, description_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, categories_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, people_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, records_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, consequences_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, measures_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachDialog, error_label);

  gtk_widget_class_install_action (widget_class, "breach.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "breach.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "breach.save", NULL);
}

static void
tesoro_breach_dialog_init (TesoroBreachDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_error_visible (self, FALSE);
}

/**
 * tesoro_breach_dialog_new:
 * @breach: (nullable): the breach to correct; %NULL to record a new one
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
TesoroBreachDialog *
tesoro_breach_dialog_new (TesoroSession *session,
                          TesoroBreach  *breach)
{
  TesoroBreachDialog *self;
  const char *title = breach != NULL ? _("Correct Breach") : _("Record Breach");

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (breach == NULL || TESORO_IS_BREACH (breach), NULL);

  self = g_object_new (TESORO_TYPE_BREACH_DIALOG, NULL);
  self->session = g_object_ref (session);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  if (breach != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf (_("Breach %" PRId64), tesoro_breach_get_id (breach));

      self->breach = g_object_ref (breach);
      fill (self, breach);
      adw_window_title_set_subtitle (self->window_title, subtitle);
      gtk_button_set_label (GTK_BUTTON (self->save_button), _("_Save Correction"));
      gtk_widget_grab_focus (GTK_WIDGET (self->description_view));
    }
  else
    {
      g_autofree char *now = tesoro_format_local_input (NULL);

      adw_window_title_set_subtitle (self->window_title, _("The authority is to be notified within 72 hours"));
      gtk_editable_set_text (GTK_EDITABLE (self->discovered_row), now);
      gtk_widget_grab_focus (GTK_WIDGET (self->description_view));
    }
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);

  return self;
}

/**
 * tesoro_breach_dialog_get_error:
 *
 * Returns: the message the form shows, or "" when none
 */
const char *
tesoro_breach_dialog_get_error (TesoroBreachDialog *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : "";
}
