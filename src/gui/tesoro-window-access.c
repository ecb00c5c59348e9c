/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-access.h"
#include "tesoro-a11y.h"
#include "tesoro-window-private.h"

/*
 * Who uses the window: with one person nothing is asked; once the
 * database has several users the window opens on the sign-in page, and
 * the primary menu offers Lock (the same user signs in again and finds
 * the window as they left it) and Sign Out (the window forgets what it
 * showed). What the role permits is decided by the session; the window
 * only offers what will be allowed.
 */

static void
close_other_windows (TesoroWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (window != GTK_WINDOW (self) && gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        gtk_window_destroy (window);
    }
}

void
_tesoro_window_update_access_actions (TesoroWindow *self)
{
  gboolean may_leave = self->session != NULL && tesoro_session_requires_sign_in (self->session) &&
                       tesoro_session_is_signed_in (self->session);

  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GAction *preferences = app != NULL ? g_action_map_lookup_action (G_ACTION_MAP (app), "preferences") : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", may_leave);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", may_leave);

  /* The preferences hold the settings and the users: for whoever may
   * change one of them. */
  if (G_IS_SIMPLE_ACTION (preferences))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences),
                                 _tesoro_window_can (self, TESORO_PERMISSION_SETTINGS) ||
                                 _tesoro_window_can (self, TESORO_PERMISSION_USERS));
}

/* The sign-in page, with @login filled in (else the last one used). */
static void
show_sign_in (TesoroWindow *self,
              const char   *login)
{
  g_autofree char *last = NULL;

  if (login == NULL && self->settings != NULL)
    login = last = g_settings_get_string (self->settings, "last-login");

  tesoro_a11y_name_entry_buttons (GTK_WIDGET (self->sign_in_password_row));
  gtk_editable_set_text (GTK_EDITABLE (self->sign_in_login_row), login != NULL ? login : "");
  gtk_editable_set_text (GTK_EDITABLE (self->sign_in_password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
  gtk_search_bar_set_key_capture_widget (self->search_bar, NULL);

  if (login != NULL && *login != '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_password_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_login_row));

  _tesoro_window_update_actions (self);
  _tesoro_window_update_access_actions (self);
}

static void
show_contacts (TesoroWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
  _tesoro_window_update_actions (self);
  _tesoro_window_update_access_actions (self);
}

/**
 * _tesoro_window_start_access:
 *
 * Shows the contacts at once to the one person a database has, else the
 * sign-in page.
 */
void
_tesoro_window_start_access (TesoroWindow *self)
{
  if (tesoro_session_is_signed_in (self->session))
    {
      _tesoro_window_open_contacts (self);
      _tesoro_window_update_access_actions (self);
      _tesoro_window_announce_due_requests (self);
      return;
    }

  show_sign_in (self, NULL);

  /* The start-up benchmark (tests/bench-startup.c) measures a start as a
   * user of a database with several users, signing in at once. */
  if (g_getenv ("TESORO_BENCH_REPORT") != NULL && g_getenv ("TESORO_BENCH_LOGIN") != NULL)
    _tesoro_window_sign_in (self, g_getenv ("TESORO_BENCH_LOGIN"), g_getenv ("TESORO_BENCH_PASSWORD"));
}

static void
sign_in (TesoroWindow *self)
{
  g_autofree char *login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sign_in_login_row))));
  g_autofree char *password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sign_in_password_row)));
  g_autofree char *was = g_steal_pointer (&self->locked_login);
  g_autoptr(GError) error = NULL;

  if (*login == '\0')
    {
      gtk_label_set_label (self->sign_in_error_label, _("Enter your login."));
      gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_login_row));
      self->locked_login = g_steal_pointer (&was);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->sign_in_password_row), "");
  if (!tesoro_session_sign_in (self->session, login, password, &error))
    {
      gtk_label_set_label (self->sign_in_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_password_row));
      self->locked_login = g_steal_pointer (&was);
      return;
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-login", login);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), FALSE);

  /* Back from Lock, the same user finds the window as they left it;
   * anyone else starts afresh. */
  if (self->contacts != NULL && g_strcmp0 (was, login) == 0)
    {
      show_contacts (self);
      if (self->shown_id > 0)
        _tesoro_window_show_contact (self, self->shown_id);
      return;
    }

  close_other_windows (self);
  if (self->contacts != NULL)
    _tesoro_window_close_contacts (self);
  _tesoro_window_open_contacts (self);
  show_contacts (self);
  _tesoro_window_announce_due_requests (self);
}

static void
on_sign_in_activated_cb (TesoroWindow *self)
{
  sign_in (self);
}

static void
on_sign_in_login_activated_cb (TesoroWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_password_row));
}

static void
lock_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);

  g_free (self->locked_login);
  self->locked_login = g_strdup (tesoro_session_get_actor (self->session));
  tesoro_session_sign_out (self->session);
  show_sign_in (self, self->locked_login);
}

static void
sign_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TesoroWindow *self = TESORO_WINDOW (widget);

  g_clear_pointer (&self->locked_login, g_free);
  tesoro_session_sign_out (self->session);
  close_other_windows (self);
  _tesoro_window_close_contacts (self);
  show_sign_in (self, NULL);
}

void
_tesoro_window_class_init_access (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, sign_in_login_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, sign_in_password_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, sign_in_error_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroWindow, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_login_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_activated);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_activated);
}

/* For the tests */

void
_tesoro_window_sign_in (TesoroWindow *self,
                        const char   *login,
                        const char   *password)
{
  gtk_editable_set_text (GTK_EDITABLE (self->sign_in_login_row), login);
  gtk_editable_set_text (GTK_EDITABLE (self->sign_in_password_row), password);
  g_signal_emit_by_name (self->sign_in_button, "clicked");
}

const char *
_tesoro_window_get_sign_in_error (TesoroWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->sign_in_error_label))
    ? gtk_label_get_label (self->sign_in_error_label) : NULL;
}

const char *
_tesoro_window_get_page (TesoroWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}
