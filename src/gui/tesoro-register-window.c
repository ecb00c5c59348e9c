/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-register-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-contact.h"
#include "tesoro-register-window.h"
#include "tesoro-worker.h"

/*
 * Privacy → Register of Processing: the controller, the purposes and the
 * recipients to edit, the register as Tesoro generates it from the data
 * below them, and Export… as HTML or CSV in English or Dutch.
 *
 * Generating the register counts the values of every field over every
 * contact: that runs in a worker on its own connection, and the generated
 * sections appear below the editable ones when it is done.
 */

struct _TesoroRegisterWindow
{
  AdwWindow            parent_instance;

  TesoroSession       *session;
  GPtrArray           *edit_rows;     /* rows of purposes and recipients */
  GPtrArray           *groups;        /* the generated sections */
  GHashTable          *remove_buttons; /* purpose or recipient → GtkButton */
  GString             *shown;
  GCancellable        *cancellable;   /* of the register being generated */

  AdwToastOverlay     *toast_overlay;
  AdwPreferencesPage  *page;
  AdwEntryRow         *controller_row;
  AdwPreferencesGroup *purposes_group;
  AdwEntryRow         *purpose_name_row;
  AdwEntryRow         *purpose_description_row;
  AdwComboRow         *purpose_basis_row;
  AdwPreferencesGroup *recipients_group;
  AdwEntryRow         *recipient_row;
};

G_DEFINE_FINAL_TYPE (TesoroRegisterWindow, tesoro_register_window, ADW_TYPE_WINDOW)

static void reload (TesoroRegisterWindow *self);

static void
show_toast (TesoroRegisterWindow *self,
            const char           *message,
            gboolean              error)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  if (error)
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
done (TesoroRegisterWindow *self,
      gboolean              ok,
      GError               *error)
{
  if (!ok)
    show_toast (self, error->message, TRUE);
  reload (self);
}

/* Editing */

static void
on_controller_apply_cb (TesoroRegisterWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->controller_row))));

  done (self, tesoro_session_set_controller (self->session, text, &error), error);
}

static void
on_recipient_apply_cb (TesoroRegisterWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->recipient_row))));
  gboolean ok = tesoro_session_add_recipient (self->session, text, &error);

  if (ok)
    gtk_editable_set_text (GTK_EDITABLE (self->recipient_row), "");
  done (self, ok, error);
}

static void
add_purpose_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesoroRegisterWindow *self = TESORO_REGISTER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->purpose_name_row))));
  g_autofree char *description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->purpose_description_row))));
  const char *basis = tesoro_lawful_bases[adw_combo_row_get_selected (self->purpose_basis_row)];
  gboolean ok = tesoro_session_add_processing_purpose (self->session, name, description, basis, &error);

  if (ok)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->purpose_name_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->purpose_description_row), "");
    }
  done (self, ok, error);
}

static void
on_remove_clicked_cb (GtkButton            *button,
                      TesoroRegisterWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = g_object_get_data (G_OBJECT (button), "text");
  gboolean purpose = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "purpose"));

  done (self, purpose ? tesoro_session_remove_processing_purpose (self->session, text, &error)
                      : tesoro_session_remove_recipient (self->session, text, &error),
        error);
}

static void
add_edit_row (TesoroRegisterWindow *self,
              AdwPreferencesGroup  *group,
              const char           *title,
              const char           *subtitle,
              gboolean              purpose)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *name = g_strdup_printf (_("Remove “%s”"), title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (button), "text", g_strdup (title), g_free);
  g_object_set_data (G_OBJECT (button), "purpose", GINT_TO_POINTER (purpose));
  g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->edit_rows, row);
  g_hash_table_insert (self->remove_buttons, g_strdup (title), button);
}

/* The generated register */

static void
add_section (TesoroRegisterWindow  *self,
             TesoroRegisterSection *section)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), section->title);
  g_string_append_printf (self->shown, "# %s\n", section->title);
  for (guint i = 0; i < section->rows->len; i++)
    {
      TesoroRegisterRow *r = section->rows->pdata[i];
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), r->item);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      if (r->detail != NULL && *r->detail != '\0')
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), r->detail);
      if (r->count >= 0)
        {
          g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, r->count);
          GtkWidget *label = gtk_label_new (count);

          gtk_widget_add_css_class (label, "numeric");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_string_append_printf (self->shown, "%s\t%s\t%" G_GINT64_FORMAT "\n", r->item,
                              r->detail != NULL ? r->detail : "", r->count);
    }

  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->groups, group);
}

/* The generated register, in a worker */

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *sections = tesoro_session_build_register (task_data, NULL, &error);

  if (sections != NULL)
    g_task_return_pointer (task, sections, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
build_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TesoroRegisterWindow *self = TESORO_REGISTER_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = g_task_propagate_pointer (G_TASK (result), &error);

  if (sections == NULL && tesoro_worker_is_cancelled (error))
    return;
  g_clear_object (&self->cancellable);
  if (sections == NULL)
    {
      show_toast (self, error->message, TRUE);
      return;
    }
  for (guint i = 0; i < sections->len; i++)
    add_section (self, sections->pdata[i]);
}

static void
start_build (TesoroRegisterWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  TesoroSession *worker = tesoro_worker_open_session (self->session, &error);

  if (worker == NULL)
    {
      show_toast (self, error->message, TRUE);
      return;
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  task = g_task_new (self, self->cancellable, build_done_cb, NULL);
  g_task_set_source_tag (task, start_build);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, worker, g_object_unref);
  g_task_run_in_thread (task, build_thread);
}

static void
reload (TesoroRegisterWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) purposes = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autofree char *controller = NULL;

  for (guint i = 0; i < self->edit_rows->len; i++)
    {
      GtkWidget *row = self->edit_rows->pdata[i];
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)),
                                    row);
    }
  g_ptr_array_set_size (self->edit_rows, 0);
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_hash_table_remove_all (self->remove_buttons);
  g_string_truncate (self->shown, 0);

  controller = tesoro_session_get_controller (self->session, &error);
  if (controller != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->controller_row), controller);

  purposes = controller != NULL ? tesoro_session_list_processing_purposes (self->session, &error) : NULL;
  for (guint i = 0; purposes != NULL && i < purposes->len; i++)
    {
      TesoroProcessingPurpose *p = purposes->pdata[i];
      g_autofree char *subtitle = g_strdup_printf ("%s%s%s", tesoro_lawful_basis_get_label (p->lawful_basis),
                                                   p->description != NULL && *p->description != '\0' ? " — " : "",
                                                   p->description != NULL ? p->description : "");

      add_edit_row (self, self->purposes_group, p->name, subtitle, TRUE);
    }

  recipients = purposes != NULL ? tesoro_session_list_recipients (self->session, &error) : NULL;
  for (guint i = 0; recipients != NULL && recipients[i] != NULL; i++)
    add_edit_row (self, self->recipients_group, recipients[i], NULL, FALSE);

  if (error != NULL)
    show_toast (self, error->message, TRUE);
  else
    start_build (self);
}

/* Export */

static void
on_export_chosen_cb (GtkNativeDialog      *chooser,
                     int                   response,
                     TesoroRegisterWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      const char *format = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format");
      const char *language = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "language");

      _tesoro_register_window_export_to (self, path,
                                         g_strcmp0 (format, "csv") == 0 ? TESORO_REGISTER_CSV : TESORO_REGISTER_HTML,
                                         g_strcmp0 (language, "nl") == 0 ? TESORO_LANGUAGE_DUTCH : TESORO_LANGUAGE_ENGLISH,
                                         NULL);
    }
  g_object_unref (chooser);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TesoroRegisterWindow *self = TESORO_REGISTER_WINDOW (widget);
  const char *format_ids[] = { "html", "csv", NULL };
  const char *format_labels[] = { _("HTML page"), _("CSV for a spreadsheet"), NULL };
  const char *language_ids[] = { "en", "nl", NULL };
  const char *language_labels[] = { _("English"), _("Dutch"), NULL };
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export the Register of Processing"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"), format_ids, format_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "html");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "language", _("Language"), language_ids, language_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "language",
                               g_str_has_prefix (g_get_language_names ()[0], "nl") ? "nl" : "en");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("register-of-processing.html"));
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * _tesoro_register_window_export_to:
 *
 * Writes the register to @path, and says so in a toast (or why not).
 */
gboolean
_tesoro_register_window_export_to (TesoroRegisterWindow  *self,
                                   const char            *path,
                                   TesoroRegisterFormat   format,
                                   TesoroLanguage         language,
                                   GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (TESORO_IS_REGISTER_WINDOW (self), FALSE);

  if (!tesoro_session_export_register (self->session, format, language, path, &local_error))
    {
      message = g_strdup_printf (_("The register was not saved: %s"), local_error->message);
      show_toast (self, message, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  message = g_strdup_printf (_("Saved the register to %s"), path);
  show_toast (self, message, FALSE);
  return TRUE;
}

/* GObject */

static void
tesoro_register_window_dispose (GObject *object)
{
  TesoroRegisterWindow *self = (TesoroRegisterWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_REGISTER_WINDOW);

  G_OBJECT_CLASS (tesoro_register_window_parent_class)->dispose (object);
}

static void
tesoro_register_window_finalize (GObject *object)
{
  TesoroRegisterWindow *self = (TesoroRegisterWindow *) object;

  g_clear_pointer (&self->edit_rows, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->remove_buttons, g_hash_table_unref);
  g_string_free (self->shown, TRUE);

  G_OBJECT_CLASS (tesoro_register_window_parent_class)->finalize (object);
}

static void
tesoro_register_window_class_init (TesoroRegisterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_register_window_dispose;
  object_class->finalize = tesoro_register_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-register-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, page);
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, controller_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, purposes_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, purpose_name_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, purpose_description_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, purpose_basis_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, recipients_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroRegisterWindow, recipient_row);
  gtk_widget_class_bind_template_callback (widget_class, on_controller_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_recipient_apply_cb);

  gtk_widget_class_install_action (widget_class, "register.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "register.add-purpose", NULL, add_purpose_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "register.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tesoro_register_window_init (TesoroRegisterWindow *self)
{
  g_autoptr(GtkStringList) bases = gtk_string_list_new (NULL);

  self->edit_rows = g_ptr_array_new ();
  self->groups = g_ptr_array_new ();
  self->remove_buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->shown = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; tesoro_lawful_bases[i] != NULL; i++)
    gtk_string_list_append (bases, tesoro_lawful_basis_get_label (tesoro_lawful_bases[i]));
  adw_combo_row_set_model (self->purpose_basis_row, G_LIST_MODEL (bases));
  /* Contract: what the default purpose rests on, and the commonest. */
  adw_combo_row_set_selected (self->purpose_basis_row, 1);
}

/**
 * tesoro_register_window_new:
 * @session: a session with the "requests" permission
 *
 * Returns: (transfer none): the window, not yet shown
 */
TesoroRegisterWindow *
tesoro_register_window_new (TesoroSession *session)
{
  TesoroRegisterWindow *self;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_REGISTER_WINDOW, NULL);
  self->session = g_object_ref (session);
  reload (self);
  return self;
}

/* For the tests */

char *
_tesoro_register_window_dup_shown (TesoroRegisterWindow *self)
{
  return g_strdup (self->shown->str);
}

/* Whether the register is still being generated. */
gboolean
_tesoro_register_window_is_busy (TesoroRegisterWindow *self)
{
  return self->cancellable != NULL;
}

AdwEntryRow *
_tesoro_register_window_get_entry (TesoroRegisterWindow *self,
                                   const char           *name)
{
  if (g_str_equal (name, "controller"))
    return self->controller_row;
  if (g_str_equal (name, "recipient"))
    return self->recipient_row;
  if (g_str_equal (name, "purpose-name"))
    return self->purpose_name_row;
  if (g_str_equal (name, "purpose-description"))
    return self->purpose_description_row;
  g_return_val_if_reached (NULL);
}

AdwComboRow *
_tesoro_register_window_get_basis_row (TesoroRegisterWindow *self)
{
  return self->purpose_basis_row;
}

GtkButton *
_tesoro_register_window_get_remove_button (TesoroRegisterWindow *self,
                                           const char           *text)
{
  return g_hash_table_lookup (self->remove_buttons, text);
}
