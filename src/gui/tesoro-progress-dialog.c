/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-progress-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-progress-dialog.h"

/*
 * Progress of a long operation that runs in a worker thread, with Cancel.
 * Cancelling only asks: the operation stops at its next safe point and rolls
 * back what it had not committed, so nothing is left half done.
 */

struct _TesoroProgressDialog
{
  AdwWindow       parent_instance;

  GCancellable   *cancellable;
  GMutex          lock;
  guint64         done;
  guint64         total;
  guint           update_source;

  GtkLabel       *title_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *detail_label;
  GtkWidget      *cancel_button;
};

G_DEFINE_FINAL_TYPE (TesoroProgressDialog, tesoro_progress_dialog, ADW_TYPE_WINDOW)

static void
on_cancel_clicked_cb (TesoroProgressDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  gtk_label_set_label (self->detail_label, _("Cancelling…"));
}

static gboolean
update_cb (gpointer user_data)
{
  TesoroProgressDialog *self = user_data;
  guint64 done, total;

  g_mutex_lock (&self->lock);
  done = self->done;
  total = self->total;
  self->update_source = 0;
  g_mutex_unlock (&self->lock);

  tesoro_progress_dialog_set_progress (self, done, total);
  return G_SOURCE_REMOVE;
}

static gboolean
close_request_cb (GtkWindow *window)
{
  /* Closing the window is cancelling. */
  on_cancel_clicked_cb (TESORO_PROGRESS_DIALOG (window));
  return GTK_WINDOW_CLASS (tesoro_progress_dialog_parent_class)->close_request (window);
}

static void
tesoro_progress_dialog_dispose (GObject *object)
{
  TesoroProgressDialog *self = (TesoroProgressDialog *) object;

  g_mutex_lock (&self->lock);
  g_clear_handle_id (&self->update_source, g_source_remove);
  g_mutex_unlock (&self->lock);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_PROGRESS_DIALOG);

  G_OBJECT_CLASS (tesoro_progress_dialog_parent_class)->dispose (object);
}

static void
tesoro_progress_dialog_finalize (GObject *object)
{
  TesoroProgressDialog *self = (TesoroProgressDialog *) object;

  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tesoro_progress_dialog_parent_class)->finalize (object);
}

static void
tesoro_progress_dialog_class_init (TesoroProgressDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tesoro_progress_dialog_dispose;
  object_class->finalize = tesoro_progress_dialog_finalize;
  window_class->close_request = close_request_cb;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-progress-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroProgressDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroProgressDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TesoroProgressDialog, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroProgressDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tesoro_progress_dialog_init (TesoroProgressDialog *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tesoro_progress_dialog_new:
 *
 * Returns: (transfer none): a modal progress window; close it with
 * gtk_window_destroy() when the work is done
 */
TesoroProgressDialog *
tesoro_progress_dialog_new (GtkWindow  *parent,
                            const char *title)
{
  TesoroProgressDialog *self = g_object_new (TESORO_TYPE_PROGRESS_DIALOG,
                                             "transient-for", parent,
                                             "title", title,
                                             NULL);

  gtk_label_set_label (self->title_label, title);
  gtk_progress_bar_pulse (self->progress_bar);
  return self;
}

GCancellable *
tesoro_progress_dialog_get_cancellable (TesoroProgressDialog *self)
{
  g_return_val_if_fail (TESORO_IS_PROGRESS_DIALOG (self), NULL);
  return self->cancellable;
}

void
tesoro_progress_dialog_set_progress (TesoroProgressDialog *self,
                                     guint64               done,
                                     guint64               total)
{
  g_autofree char *text = NULL;
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;

  g_return_if_fail (TESORO_IS_PROGRESS_DIALOG (self));

  if (total == 0)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      return;
    }

  /* Translators: progress, such as "1200 of 5000" */
  done_text = g_strdup_printf ("%" G_GUINT64_FORMAT, done);
  total_text = g_strdup_printf ("%" G_GUINT64_FORMAT, total);
  text = g_strdup_printf (_("%s of %s"), done_text, total_text);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) MIN (done, total) / (double) total);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

void
tesoro_progress_dialog_set_detail (TesoroProgressDialog *self,
                                   const char           *detail)
{
  g_return_if_fail (TESORO_IS_PROGRESS_DIALOG (self));
  gtk_label_set_label (self->detail_label, detail);
}

/**
 * tesoro_progress_dialog_report:
 *
 * Records progress from any thread; the window shows it on its next idle.
 */
void
tesoro_progress_dialog_report (TesoroProgressDialog *self,
                               guint64               done,
                               guint64               total)
{
  g_mutex_lock (&self->lock);
  self->done = done;
  self->total = total;
  if (self->update_source == 0)
    self->update_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_cb,
                                           g_object_ref (self), g_object_unref);
  g_mutex_unlock (&self->lock);
}
