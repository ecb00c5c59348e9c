/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-gdpr.h"
#include "tesoro-job.h"
#include "tesoro-window-private.h"

/*
 * The window's long work — batch edits and their Undo, permanent deletion
 * of a selection, Empty Trash, the marketing list, housekeeping — runs
 * through the GUI's job runner (tesoro-job.c): in a worker thread on its
 * own connection, with a progress window (at once, after a short delay, or
 * never) whose Cancel cancels the job. One TesoroWindowJob carries what each
 * kind needs and what it returns; the caller's callback (with the window as
 * source) takes the result with _tesoro_window_job_finish().
 */

/* How long a batch may run before its progress window appears. */
#define PROGRESS_DELAY_MS 400

typedef struct
{
  const char *title;   /* (nullable): no progress window */
  guint       delay_ms;
} JobStyle;

static JobStyle
job_style (TesoroJobKind kind)
{
  switch (kind)
    {
    case TESORO_JOB_BATCH_EDIT: return (JobStyle) { N_("Changing Contacts"), PROGRESS_DELAY_MS };
    case TESORO_JOB_BATCH_UNDO: return (JobStyle) { N_("Undoing"), PROGRESS_DELAY_MS };
    case TESORO_JOB_ERASE: return (JobStyle) { N_("Deleting Contacts Permanently"), PROGRESS_DELAY_MS };
    case TESORO_JOB_EMPTY_TRASH: return (JobStyle) { N_("Emptying the Trash"), 0 };
    case TESORO_JOB_MARKETING: return (JobStyle) { N_("Exporting the Marketing List"), 0 };
    case TESORO_JOB_HOUSEKEEPING: return (JobStyle) { NULL, 0 };
    default: g_assert_not_reached ();
    }
}

static void
window_job_free (TesoroWindowJob *job)
{
  g_clear_pointer (&job->ids, g_array_unref);
  g_free (job->argument);
  g_free (job->value);
  g_free (job->reason);
  g_free (job->output);
  g_clear_pointer (&job->undo, tesoro_batch_undo_unref);
  g_clear_pointer (&job->receipts, g_ptr_array_unref);
  g_free (job);
}

/* Called on the worker thread. */
static void
erasure_progress_cb (guint    done,
                     guint    total,
                     gpointer runner)
{
  tesoro_job_report (runner, done, total);
}

/* Called on the worker thread. */
static gboolean
window_job_run (TesoroJob      *runner,
                TesoroSession  *session,
                gpointer        data,
                GCancellable   *cancellable,
                GError        **error)
{
  TesoroWindowJob *job = data;

  switch (job->kind)
    {
    case TESORO_JOB_BATCH_EDIT:
      return tesoro_session_batch_edit (session, (const gint64 *) job->ids->data, job->ids->len,
                                        job->action, job->argument, job->value, cancellable,
                                        tesoro_job_progress_cb, runner, &job->result, &job->undo, error);
    case TESORO_JOB_BATCH_UNDO:
      return tesoro_session_batch_undo (session, job->undo, cancellable, &job->n_restored, &job->n_left, error);
    case TESORO_JOB_ERASE:
      return tesoro_session_erase_contacts (session, (const gint64 *) job->ids->data, job->ids->len,
                                            job->reason, TESORO_ERASURE_BATCH, cancellable,
                                            erasure_progress_cb, runner, &job->receipts, error);
    case TESORO_JOB_EMPTY_TRASH:
      return tesoro_session_empty_trash (session, cancellable, erasure_progress_cb, runner, &job->receipts, error);
    case TESORO_JOB_HOUSEKEEPING:
      return tesoro_session_run_housekeeping (session, cancellable, &job->receipts, error);
    case TESORO_JOB_MARKETING:
      return tesoro_session_export_marketing (session, job->output, cancellable, &job->n_exported, error);
    default:
      g_assert_not_reached ();
    }
}

static void
window_job_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  GError *error = NULL;

  if (tesoro_job_run_finish (TESORO_JOB (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * _tesoro_window_job_new:
 *
 * Returns: (transfer full): what a job of @kind needs and returns; fill in
 * what it needs, then start it with _tesoro_window_job_start()
 */
TesoroWindowJob *
_tesoro_window_job_new (TesoroWindow  *self,
                        TesoroJobKind  kind)
{
  TesoroWindowJob *job = g_new0 (TesoroWindowJob, 1);

  job->kind = kind;
  return job;
}

/**
 * _tesoro_window_job_start:
 * @job: (transfer full): the job
 *
 * Runs @job in a worker thread on the window's database, as its user;
 * @callback (with the window as source) takes the result with
 * _tesoro_window_job_finish().
 */
void
_tesoro_window_job_start (TesoroWindow        *self,
                          TesoroWindowJob     *job,
                          GAsyncReadyCallback  callback)
{
  g_autoptr(TesoroJob) runner = tesoro_job_new (self->session, window_job_run, job,
                                                (GDestroyNotify) window_job_free);
  JobStyle style = job_style (job->kind);
  GTask *task = g_task_new (self, NULL, callback, NULL);

  g_task_set_source_tag (task, _tesoro_window_job_start);
  g_task_set_task_data (task, g_object_ref (runner), g_object_unref);

  if (style.title != NULL)
    tesoro_job_show_progress (runner, GTK_WINDOW (self), _(style.title), style.delay_ms);

  tesoro_job_run_async (runner, window_job_done_cb, task);
}

/**
 * _tesoro_window_job_finish:
 * @job: (out) (transfer none): the job, with what it returned; it lives as
 *   long as @result
 *
 * Takes the job's result; its progress window is closed by then.
 *
 * Returns: whether the work succeeded
 */
gboolean
_tesoro_window_job_finish (GAsyncResult     *result,
                           TesoroWindowJob **job,
                           GError          **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _tesoro_window_job_start, FALSE);

  *job = tesoro_job_get_data (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_boolean (G_TASK (result), error);
}
