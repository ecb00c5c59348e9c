/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-job"

#include "config.h"

#include "tesoro-job.h"

#include "tesoro-progress-dialog.h"
#include "tesoro-worker.h"

/*
 * The GUI's long work — batch edits, erasure, Empty Trash, the marketing
 * list, housekeeping, checking and running an import, Undo Import — runs
 * through this one job runner. A job runs a function in a worker thread on
 * a session of its own (WAL lets it write beside the window's reader), as
 * the same user as the window's session, so that its audit entries name
 * them. The work reports its progress from its thread; the job shows it on
 * the main thread, either in a TesoroProgressDialog whose Cancel cancels
 * the job (at once or after a short delay), or through a callback for a
 * window that shows progress in its own page. The caller's callback takes
 * the result on the main thread with tesoro_job_run_finish(); the progress
 * window is gone by then.
 *
 * What the work returns counts, even when a Cancel came too late to stop
 * it: work that committed is never reported as cancelled.
 */

struct _TesoroJob
{
  GObject                parent_instance;

  TesoroJobFunc          func;
  gpointer               data;
  GDestroyNotify         data_free;
  TesoroSession         *worker;   /* opened on the main thread, used on the worker's */
  GError                *open_error;
  GCancellable          *cancellable;
  gboolean               started;
  gboolean               running;

  /* The progress window, if any */
  GtkWindow             *parent;
  char                  *title;
  guint                  delay_ms;
  guint                  show_source;

  /* Or the caller's own display of the progress */
  TesoroJobProgressFunc  progress_func;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;

  /* Shared with the worker thread */
  GMutex                 lock;
  TesoroProgressDialog  *progress;
  guint                  progress_source;
  guint64                done;
  guint64                total;
};

G_DEFINE_FINAL_TYPE (TesoroJob, tesoro_job, G_TYPE_OBJECT)

/* Helpers */

static gboolean
show_progress_dialog_cb (gpointer user_data)
{
  TesoroJob *self = user_data;
  TesoroProgressDialog *progress;

  self->show_source = 0;

  progress = tesoro_progress_dialog_new (self->parent, self->title);
  g_mutex_lock (&self->lock);
  self->progress = g_object_ref (progress);
  tesoro_progress_dialog_set_progress (progress, self->done, self->total);
  g_mutex_unlock (&self->lock);

  /* Its Cancel cancels the job. */
  g_signal_connect_object (tesoro_progress_dialog_get_cancellable (progress), "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->cancellable, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (progress));

  return G_SOURCE_REMOVE;
}

static gboolean
report_progress_cb (gpointer user_data)
{
  TesoroJob *self = user_data;
  guint64 done, total;

  g_mutex_lock (&self->lock);
  done = self->done;
  total = self->total;
  self->progress_source = 0;
  g_mutex_unlock (&self->lock);

  if (self->progress_func != NULL)
    self->progress_func (self, done, total, self->progress_data);

  return G_SOURCE_REMOVE;
}

/* Once the work is over: no progress is shown any more. */
static void
stop_progress (TesoroJob *self)
{
  TesoroProgressDialog *progress;

  g_clear_handle_id (&self->show_source, g_source_remove);

  g_mutex_lock (&self->lock);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  progress = g_steal_pointer (&self->progress);
  g_mutex_unlock (&self->lock);

  if (progress != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (progress));
      g_object_unref (progress);
    }

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = NULL;
  self->progress_data = NULL;
  self->progress_destroy = NULL;
  g_clear_object (&self->parent);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  TesoroJob *self = source_object;
  g_autoptr(TesoroSession) session = g_steal_pointer (&self->worker);
  GError *error = NULL;
  gboolean ok = FALSE;

  if (session != NULL)
    ok = self->func (self, session, self->data, cancellable, &error);
  else
    error = g_steal_pointer (&self->open_error);

  tesoro_worker_return (task, ok, error);
}

static void
job_thread_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TesoroJob *self = TESORO_JOB (object);
  g_autoptr(GTask) task = G_TASK (user_data);
  GError *error = NULL;

  self->running = FALSE;
  stop_progress (self);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* GObject */

static void
tesoro_job_dispose (GObject *object)
{
  TesoroJob *self = (TesoroJob *) object;

  stop_progress (self);

  G_OBJECT_CLASS (tesoro_job_parent_class)->dispose (object);
}

static void
tesoro_job_finalize (GObject *object)
{
  TesoroJob *self = (TesoroJob *) object;

  if (self->data_free != NULL)
    g_clear_pointer (&self->data, self->data_free);
  g_clear_object (&self->worker);
  g_clear_error (&self->open_error);
  g_free (self->title);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tesoro_job_parent_class)->finalize (object);
}

static void
tesoro_job_class_init (TesoroJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tesoro_job_dispose;
  object_class->finalize = tesoro_job_finalize;
}

static void
tesoro_job_init (TesoroJob *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
}

/* Public API */

/**
 * tesoro_job_new:
 * @session: the window's session: the job opens one of its own on the same
 *   database, as the same user
 * @func: the work, run in the worker thread
 * @data: (nullable): what the work needs and returns
 * @data_free: (nullable): frees @data with the job
 *
 * Set up the display of the progress, if any, with
 * tesoro_job_show_progress() or tesoro_job_set_progress_func(), then start
 * the job with tesoro_job_run_async().
 *
 * Returns: (transfer full): a new job
 */
TesoroJob *
tesoro_job_new (TesoroSession  *session,
                TesoroJobFunc   func,
                gpointer        data,
                GDestroyNotify  data_free)
{
  TesoroJob *self;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (TESORO_TYPE_JOB, NULL);
  self->func = func;
  self->data = data;
  self->data_free = data_free;
  /* The worker's connection acts as the window's user, with their role. */
  self->worker = tesoro_worker_open_session (session, &self->open_error);
  return self;
}

/**
 * tesoro_job_get_data:
 *
 * Returns: (transfer none) (nullable): the data given to tesoro_job_new();
 * read what the work returned in it once the job is finished
 */
gpointer
tesoro_job_get_data (TesoroJob *self)
{
  g_return_val_if_fail (TESORO_IS_JOB (self), NULL);
  return self->data;
}

/**
 * tesoro_job_get_cancellable:
 *
 * Returns: (transfer none): the cancellable the work is given
 */
GCancellable *
tesoro_job_get_cancellable (TesoroJob *self)
{
  g_return_val_if_fail (TESORO_IS_JOB (self), NULL);
  return self->cancellable;
}

/**
 * tesoro_job_cancel:
 *
 * Asks the work to stop: it stops at its next safe point and rolls back
 * what it had not committed. The job still finishes through its callback.
 */
void
tesoro_job_cancel (TesoroJob *self)
{
  g_return_if_fail (TESORO_IS_JOB (self));
  g_cancellable_cancel (self->cancellable);
}

/**
 * tesoro_job_is_running:
 *
 * Returns: whether the job was started and has not finished yet
 */
gboolean
tesoro_job_is_running (TesoroJob *self)
{
  g_return_val_if_fail (TESORO_IS_JOB (self), FALSE);
  return self->running;
}

/**
 * tesoro_job_show_progress:
 * @parent: (nullable): the window the progress window belongs to
 * @title: what the work is, such as "Emptying the Trash"
 * @delay_ms: how long the work may run before its progress window appears;
 *   0 shows it at once
 *
 * Shows the job's progress in a #TesoroProgressDialog whose Cancel cancels
 * the job; it closes when the job finishes. Call before
 * tesoro_job_run_async().
 */
void
tesoro_job_show_progress (TesoroJob  *self,
                          GtkWindow  *parent,
                          const char *title,
                          guint       delay_ms)
{
  g_return_if_fail (TESORO_IS_JOB (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (title != NULL);
  g_return_if_fail (!self->started);

  g_set_object (&self->parent, parent);
  g_free (self->title);
  self->title = g_strdup (title);
  self->delay_ms = delay_ms;
}

/**
 * tesoro_job_set_progress_func:
 * @func: shows the progress, on the main thread
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data once the job finished
 *
 * Has the caller show the job's progress itself, for a window that shows
 * it in its own page instead of a progress window. @func is not called
 * after the job finished. Call before tesoro_job_run_async().
 */
void
tesoro_job_set_progress_func (TesoroJob             *self,
                              TesoroJobProgressFunc  func,
                              gpointer               user_data,
                              GDestroyNotify         destroy)
{
  g_return_if_fail (TESORO_IS_JOB (self));
  g_return_if_fail (!self->started);

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

/**
 * tesoro_job_report:
 * @done: how much is done
 * @total: how much there is, or 0 when not known
 *
 * Records the work's progress, from any thread; it is shown on the main
 * thread's next idle.
 */
void
tesoro_job_report (TesoroJob *self,
                   guint64    done,
                   guint64    total)
{
  g_return_if_fail (TESORO_IS_JOB (self));

  g_mutex_lock (&self->lock);
  self->done = done;
  self->total = total;
  if (self->progress != NULL)
    tesoro_progress_dialog_report (self->progress, done, total);
  /* The function is set before the work starts and only dropped after it
   * ended: reading it here is safe. */
  if (self->progress_func != NULL && self->progress_source == 0)
    self->progress_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, report_progress_cb,
                                             g_object_ref (self), g_object_unref);
  g_mutex_unlock (&self->lock);
}

/**
 * tesoro_job_progress_cb:
 * @job: (type TesoroJob): the job
 *
 * A #TesoroProgressFunc for the core's long operations, which reports to
 * @job: pass it with the job as its user data.
 */
void
tesoro_job_progress_cb (guint64  done,
                        guint64  total,
                        gpointer job)
{
  tesoro_job_report (job, done, total);
}

/**
 * tesoro_job_run_async:
 * @callback: called on the main thread when the work is over, with the job
 *   as its source object
 * @user_data: for @callback
 *
 * Runs the job's work in a worker thread, once. @callback takes the result
 * with tesoro_job_run_finish().
 */
void
tesoro_job_run_async (TesoroJob           *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (TESORO_IS_JOB (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->running = TRUE;

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, tesoro_job_run_async);

  if (self->title != NULL)
    {
      if (self->delay_ms == 0)
        show_progress_dialog_cb (self);
      else
        self->show_source = g_timeout_add (self->delay_ms, show_progress_dialog_cb, self);
    }

  worker = g_task_new (self, self->cancellable, job_thread_done_cb, g_steal_pointer (&task));
  /* What the work did counts, even when Cancel came too late to stop it. */
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, job_thread);
}

/**
 * tesoro_job_run_finish:
 *
 * Returns: whether the work succeeded; what it returned is in the job's
 * data (tesoro_job_get_data())
 */
gboolean
tesoro_job_run_finish (TesoroJob     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (TESORO_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tesoro_job_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
