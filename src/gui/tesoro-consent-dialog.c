/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-consent-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-consent-dialog.h"
#include "tesoro-gdpr.h"
#include "tesoro-utils.h"

/*
 * Record Consent… and Withdraw Consent…: the same form, so that withdrawing
 * is exactly as easy as granting. Every entry is appended to the ledger.
 */

struct _TesoroConsentDialog
{
  AdwWindow       parent_instance;

  TesoroSession    *session;
  gint64          contact_id;
  gboolean        granted;
  GPtrArray      *purposes;   /* TesoroConsentPurpose */

  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  AdwComboRow    *purpose_row;
  AdwEntryRow    *when_row;
  AdwEntryRow    *source_row;
  GtkTextView    *evidence_view;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (TesoroConsentDialog, tesoro_consent_dialog, ADW_TYPE_WINDOW)

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroConsentDialog *self = TESORO_CONSENT_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *source = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->source_row))));
  g_autofree char *evidence = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->evidence_view);
  GtkTextIter start, end;
  guint selected = adw_combo_row_get_selected (self->purpose_row);
  TesoroConsentPurpose *purpose;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  evidence = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  if (selected >= self->purposes->len)
    return;
  purpose = self->purposes->pdata[selected];

  when = tesoro_parse_local_datetime (gtk_editable_get_text (GTK_EDITABLE (self->when_row)), &error);
  if (when == NULL ||
      tesoro_session_record_consent (self->session, self->contact_id, purpose->key, self->granted,
                                     when, source, evidence, &error) < 0)
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
tesoro_consent_dialog_dispose (GObject *object)
{
  TesoroConsentDialog *self = (TesoroConsentDialog *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->purposes, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_CONSENT_DIALOG);

  G_OBJECT_CLASS (tesoro_consent_dialog_parent_class)->dispose (object);
}

static void
tesoro_consent_dialog_class_init (TesoroConsentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_consent_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-consent-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroConsentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroConsentDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroConsentDialog, purpose_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroConsentDialog, when_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroConsentDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroConsentDialog, evidence_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroConsentDialog, error_label);

  gtk_widget_class_install_action (widget_class, "consent.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "consent.save", NULL);
}

static void
tesoro_consent_dialog_init (TesoroConsentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tesoro_consent_dialog_new:
 * @granted: %TRUE for Record Consent, %FALSE for Withdraw Consent
 *
 * Returns: (transfer none): the dialog
 */
TesoroConsentDialog *
tesoro_consent_dialog_new (TesoroSession   *session,
                           TesoroContact *contact,
                           gboolean       granted)
{
  TesoroConsentDialog *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *now = tesoro_format_local_input (NULL);
  const char *title = granted ? _("Record Consent") : _("Withdraw Consent");

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (TESORO_IS_CONTACT (contact), NULL);

  self = g_object_new (TESORO_TYPE_CONSENT_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->contact_id = tesoro_contact_get_id (contact);
  self->granted = granted;

  self->purposes = tesoro_session_list_consent_purposes (session, &error);
  if (self->purposes == NULL)
    {
      g_warning ("Cannot list consent purposes: %s", error->message);
      self->purposes = g_ptr_array_new ();
    }
  for (guint i = 0; i < self->purposes->len; i++)
    {
      TesoroConsentPurpose *purpose = self->purposes->pdata[i];

      /* The purpose Tesoro creates is stored in English: show it translated. */
      gtk_string_list_append (names, g_str_equal (purpose->key, TESORO_PURPOSE_MARKETING_EMAIL)
                                       ? _("Marketing e-mail") : purpose->name);
    }
  adw_combo_row_set_model (self->purpose_row, G_LIST_MODEL (names));

  name = tesoro_contact_dup_best_name (contact);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, name);
  gtk_button_set_label (GTK_BUTTON (self->save_button), granted ? _("_Record") : _("_Withdraw"));
  if (!granted)
    {
      gtk_widget_remove_css_class (self->save_button, "suggested-action");
      gtk_widget_add_css_class (self->save_button, "destructive-action");
    }
  gtk_editable_set_text (GTK_EDITABLE (self->when_row), now);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->source_row));

  return self;
}
