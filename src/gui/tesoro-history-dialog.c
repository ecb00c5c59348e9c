/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-history-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-error.h"
#include "tesoro-history-dialog.h"
#include "tesoro-utils.h"

/*
 * One dialog for the four things that go into a contact's history: a note,
 * a logged message, a call or meeting, a task. The session checks the rules;
 * the dialog shows what it says and stays open until the entry is saved.
 */

struct _TesoroHistoryDialog
{
  AdwWindow                parent_instance;

  TesoroSession             *session;
  gint64                   contact_id;
  TesoroHistoryDialogMode  mode;

  AdwWindowTitle          *window_title;
  GtkLabel                *error_label;
  GtkWidget               *kind_group;
  GtkToggleButton         *first_kind_button;
  GtkToggleButton         *second_kind_button;
  GtkWidget               *fields_group;
  AdwEntryRow             *title_row;
  AdwEntryRow             *address_row;
  AdwEntryRow             *when_row;
  GtkWidget               *text_group;
  GtkTextView             *text_view;
  GtkWidget               *save_button;
};

G_DEFINE_FINAL_TYPE (TesoroHistoryDialog, tesoro_history_dialog, ADW_TYPE_WINDOW)

static char *
get_text (TesoroHistoryDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static char *
get_row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
show_error (TesoroHistoryDialog *self,
            const char          *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static gboolean
save (TesoroHistoryDialog  *self,
      GError              **error)
{
  g_autofree char *text = get_text (self);
  g_autofree char *title = get_row_text (self->title_row);
  g_autofree char *when_text = get_row_text (self->when_row);
  g_autofree char *when = NULL;
  gboolean first = gtk_toggle_button_get_active (self->first_kind_button);

  if (self->mode == TESORO_HISTORY_DIALOG_MESSAGE || self->mode == TESORO_HISTORY_DIALOG_ACTIVITY)
    {
      when = tesoro_parse_local_datetime (when_text, error);
      if (when == NULL)
        return FALSE;
    }

  switch (self->mode)
    {
    case TESORO_HISTORY_DIALOG_NOTE:
      return tesoro_session_add_note (self->session, self->contact_id, text, error) > 0;

    case TESORO_HISTORY_DIALOG_MESSAGE:
      {
        g_autofree char *address = get_row_text (self->address_row);
        TesoroMessage message = {
          .direction = first ? (char *) "in" : (char *) "out",
          .address = address,
          .subject = title,
          .body = text,
          .at = when,
        };

        return tesoro_session_add_message (self->session, self->contact_id, &message, error) > 0;
      }

    case TESORO_HISTORY_DIALOG_ACTIVITY:
      return tesoro_session_add_activity (self->session, self->contact_id, first ? "call" : "meeting",
                                          text, when, error) > 0;

    case TESORO_HISTORY_DIALOG_TASK:
      {
        g_autofree char *due = NULL;

        if (*when_text != '\0')
          {
            g_autofree char *parsed = tesoro_parse_local_datetime (when_text, error);

            if (parsed == NULL)
              return FALSE;
            /* A due date is a day. */
            due = g_strndup (when_text, 10);
            if (!tesoro_is_valid_date (due))
              {
                g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                             _("“%s” is not a date such as 2024-03-01"), when_text);
                return FALSE;
              }
          }
        return tesoro_session_add_task (self->session, self->contact_id, title, due, error) > 0;
      }

    default:
      g_assert_not_reached ();
    }
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroHistoryDialog *self = TESORO_HISTORY_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (!save (self, &error))
    {
      show_error (self, error->message);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
tesoro_history_dialog_dispose (GObject *object)
{
  TesoroHistoryDialog *self = (TesoroHistoryDialog *) object;

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_HISTORY_DIALOG);

  G_OBJECT_CLASS (tesoro_history_dialog_parent_class)->dispose (object);
}

static void
tesoro_history_dialog_class_init (TesoroHistoryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_history_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-history-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, kind_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, first_kind_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, second_kind_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, fields_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, when_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, text_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryDialog, save_button);

  gtk_widget_class_install_action (widget_class, "history.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "history.save", NULL);
}

static void
tesoro_history_dialog_init (TesoroHistoryDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
set_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/**
 * tesoro_history_dialog_new:
 * @contact: the contact the entry is about
 * @mode: which kind of entry
 *
 * Returns: (transfer none): a new dialog; it saves through @session
 */
TesoroHistoryDialog *
tesoro_history_dialog_new (TesoroSession             *session,
                           TesoroContact           *contact,
                           TesoroHistoryDialogMode  mode)
{
  TesoroHistoryDialog *self;
  g_autofree char *name = NULL;
  g_autofree char *now = tesoro_format_local_input (NULL);
  const char *title = NULL;
  GtkWidget *focus = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (TESORO_IS_CONTACT (contact), NULL);

  self = g_object_new (TESORO_TYPE_HISTORY_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->contact_id = tesoro_contact_get_id (contact);
  self->mode = mode;
  name = tesoro_contact_dup_best_name (contact);
  adw_window_title_set_subtitle (self->window_title, name);

  switch (mode)
    {
    case TESORO_HISTORY_DIALOG_NOTE:
      title = _("Add Note");
      gtk_widget_set_visible (self->kind_group, FALSE);
      gtk_widget_set_visible (self->fields_group, FALSE);
      set_accessible_label (GTK_WIDGET (self->text_view), _("Note"));
      focus = GTK_WIDGET (self->text_view);
      break;

    case TESORO_HISTORY_DIALOG_MESSAGE:
      title = _("Log Message");
      gtk_button_set_label (GTK_BUTTON (self->first_kind_button), _("_Received"));
      gtk_button_set_label (GTK_BUTTON (self->second_kind_button), _("_Sent"));
      gtk_button_set_use_underline (GTK_BUTTON (self->first_kind_button), TRUE);
      gtk_button_set_use_underline (GTK_BUTTON (self->second_kind_button), TRUE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->title_row), _("Subject"));
      if (tesoro_contact_get_primary_email (contact) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->address_row), tesoro_contact_get_primary_email (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->when_row), now);
      set_accessible_label (GTK_WIDGET (self->text_view), _("Message text"));
      focus = GTK_WIDGET (self->title_row);
      break;

    case TESORO_HISTORY_DIALOG_ACTIVITY:
      title = _("Log Call or Meeting");
      gtk_button_set_label (GTK_BUTTON (self->first_kind_button), _("C_all"));
      gtk_button_set_label (GTK_BUTTON (self->second_kind_button), _("_Meeting"));
      gtk_button_set_use_underline (GTK_BUTTON (self->first_kind_button), TRUE);
      gtk_button_set_use_underline (GTK_BUTTON (self->second_kind_button), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->title_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->address_row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->when_row), now);
      set_accessible_label (GTK_WIDGET (self->text_view), _("Summary"));
      focus = GTK_WIDGET (self->text_view);
      break;

    case TESORO_HISTORY_DIALOG_TASK:
      title = _("Add Task");
      gtk_widget_set_visible (self->kind_group, FALSE);
      gtk_widget_set_visible (self->text_group, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->address_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->title_row), _("What to do"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->when_row), _("Due date (YYYY-MM-DD, optional)"));
      gtk_window_set_default_size (GTK_WINDOW (self), 480, 300);
      focus = GTK_WIDGET (self->title_row);
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  gtk_widget_grab_focus (focus);

  return self;
}
