/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-breach-event-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "tesoro-breach-event-dialog.h"
#include "tesoro-utils.h"

/*
 * Authority Notified… and People Informed…: when and how it was done, or —
 * with "Not required" on — why it is not needed. Either way an event is
 * appended to the breach's history.
 */

struct _TesoroBreachEventDialog
{
  AdwWindow           parent_instance;

  TesoroSession      *session;
  gint64              breach_id;
  TesoroBreachDuties  duty;

  AdwWindowTitle     *window_title;
  GtkWidget          *save_button;
  GtkSwitch          *not_required_switch;
  AdwActionRow       *not_required_row;
  AdwEntryRow        *when_row;
  AdwEntryRow        *text_row;
  AdwEntryRow        *reason_row;
  GtkLabel           *error_label;
};

G_DEFINE_FINAL_TYPE (TesoroBreachEventDialog, tesoro_breach_event_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_rows (TesoroBreachEventDialog *self)
{
  gboolean not_required = gtk_switch_get_active (self->not_required_switch);

  gtk_widget_set_visible (GTK_WIDGET (self->when_row), !not_required);
  gtk_widget_set_visible (GTK_WIDGET (self->text_row), !not_required);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), not_required);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroBreachEventDialog *self = TESORO_BREACH_EVENT_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroBreach) saved = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  gboolean done = !gtk_switch_get_active (self->not_required_switch);
  GtkWidget *bad_row = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->when_row), "error");
  if (done)
    {
      text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->text_row))));
      when = tesoro_parse_local_datetime (gtk_editable_get_text (GTK_EDITABLE (self->when_row)), &error);
      if (when == NULL)
        bad_row = GTK_WIDGET (self->when_row);
    }
  else
    text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));

  if (bad_row == NULL)
    saved = self->duty == TESORO_BREACH_AUTHORITY
              ? tesoro_session_record_breach_authority (self->session, self->breach_id, done, when, text, &error)
              : tesoro_session_record_breach_people (self->session, self->breach_id, done, when, text, &error);
  if (saved == NULL)
    {
      if (bad_row != NULL)
        gtk_widget_add_css_class (bad_row, "error");
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, saved);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_not_required_changed_cb (TesoroBreachEventDialog *self)
{
  update_rows (self);
}

/* GObject */

static void
tesoro_breach_event_dialog_dispose (GObject *object)
{
  TesoroBreachEventDialog *self = (TesoroBreachEventDialog *) object;

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_BREACH_EVENT_DIALOG);

  G_OBJECT_CLASS (tesoro_breach_event_dialog_parent_class)->dispose (object);
}

static void
tesoro_breach_event_dialog_class_init (TesoroBreachEventDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_breach_event_dialog_dispose;

  /**
   * TesoroBreachEventDialog::saved:
   * @breach: the breach with the new event
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, TESORO_TYPE_BREACH);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tesorocrm/Tesoro/tesoro-breach-event-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachEventDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachEventDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachEventDialog, not_required_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachEventDialog, not_required_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachEventDialog, when_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachEventDialog, text_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachEventDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroBreachEventDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_not_required_changed_cb);

  gtk_widget_class_install_action (widget_class, "breach-event.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "breach-event.save", NULL);
}

static void
tesoro_breach_event_dialog_init (TesoroBreachEventDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tesoro_breach_event_dialog_new:
 * @duty: which of the two duties the dialog records
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
TesoroBreachEventDialog *
tesoro_breach_event_dialog_new (TesoroSession      *session,
                                TesoroBreach       *breach,
                                TesoroBreachDuties  duty)
{
  TesoroBreachEventDialog *self;
  g_autofree char *now = tesoro_format_local_input (NULL);
  g_autofree char *subtitle = NULL;
  g_autofree char *title_text = NULL;
  gboolean authority = duty == TESORO_BREACH_AUTHORITY;
  const char *title = authority ? _("Authority Notified") : _("People Informed");

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (TESORO_IS_BREACH (breach), NULL);

  self = g_object_new (TESORO_TYPE_BREACH_EVENT_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->breach_id = tesoro_breach_get_id (breach);
  self->duty = duty;

  title_text = tesoro_breach_dup_title (breach);
  /* Translators: the breach's number and the first line of its description */
  subtitle = g_strdup_printf (_("Breach %" PRId64 ": %s"), self->breach_id, title_text);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->when_row),
                                 authority ? _("Notified on (YYYY-MM-DD HH:MM)") : _("Informed on (YYYY-MM-DD HH:MM)"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->text_row),
                                 authority ? _("The authority’s reference (optional)")
                                           : _("How (by e-mail, by letter, on the website…)"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->not_required_row),
                                 authority ? _("Notifying the authority is not required") : _("Informing the people is not required"));
  adw_action_row_set_subtitle (self->not_required_row,
                               authority ? _("The breach is unlikely to result in a risk to people (Art. 33(1))")
                                         : _("No high risk, or one of the reasons of Art. 34(3)"));

  gtk_editable_set_text (GTK_EDITABLE (self->when_row), now);
  update_rows (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_row));

  return self;
}

/**
 * tesoro_breach_event_dialog_get_error:
 *
 * Returns: the message the dialog shows, or "" when none
 */
const char *
tesoro_breach_event_dialog_get_error (TesoroBreachEventDialog *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : "";
}
