/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-gdpr.h"
#include "tesoro-window-private.h"
#include "tesoro-worker.h"

/*
 * The window's long work — batch edits and their Undo, permanent deletion
 * of a selection, Empty Trash, the marketing list, housekeeping — runs in a
 * worker thread on its own connection. One job type serves them all: it
 * carries what the work needs and what it returns, shows a progress window
 * (at once, after a short delay, or never) whose Cancel cancels the job, and
 * the caller's callback takes the result with _tesoro_window_job_finish().
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
job_free (TesoroJob *job)
{
  g_clear_handle_id (&job->progress_source, g_source_remove);
  g_free (job->db_path);
  g_free (job->actor);
  g_clear_pointer (&job->ids, g_array_unref);
  g_free (job->argument);
  g_free (job->value);
  g_free (job->reason);
  g_free (job->output);
  g_clear_pointer (&job->undo, tesoro_batch_undo_unref);
  g_clear_pointer (&job->receipts, g_ptr_array_unref);
  g_clear_object (&job->cancellable);
  if (job->progress != NULL)
    gtk_window_destroy (GTK_WINDOW (job->progress));
  g_clear_object (&job->progress);
  g_mutex_clear (&job->lock);
  g_free (job);
}

/* Called on the worker thread. */
static void
job_progress_cb (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  TesoroJob *job = user_data;

  g_mutex_lock (&job->lock);
  job->done = done;
  job->total = total;
  if (job->progress != NULL)
    tesoro_progress_dialog_report (job->progress, done, total);
  g_mutex_unlock (&job->lock);
}

static void
job_erasure_progress_cb (guint    done,
                         guint    total,
                         gpointer user_data)
{
  job_progress_cb (done, total, user_data);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  TesoroJob *job = task_data;
  g_autoptr(TesoroSession) session = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  session = tesoro_worker_open_session (job->db_path, job->actor, &error);
  if (session != NULL)
    {
      switch (job->kind)
        {
        case TESORO_JOB_BATCH_EDIT:
          ok = tesoro_session_batch_edit (session, (const gint64 *) job->ids->data, job->ids->len,
                                        job->action, job->argument, job->value, cancellable,
                                        job_progress_cb, job, &job->result, &job->undo, &error);
          break;
        case TESORO_JOB_BATCH_UNDO:
          ok = tesoro_session_batch_undo (session, job->undo, cancellable, &job->n_restored, &job->n_left, &error);
          break;
        case TESORO_JOB_ERASE:
          ok = tesoro_session_erase_contacts (session, (const gint64 *) job->ids->data, job->ids->len,
                                            job->reason, TESORO_ERASURE_BATCH, cancellable,
                                            job_erasure_progress_cb, job, &job->receipts, &error);
          break;
        case TESORO_JOB_EMPTY_TRASH:
          ok = tesoro_session_empty_trash (session, cancellable, job_erasure_progress_cb, job, &job->receipts, &error);
          break;
        case TESORO_JOB_HOUSEKEEPING:
          ok = tesoro_session_run_housekeeping (session, cancellable, &job->receipts, &error);
          break;
        case TESORO_JOB_MARKETING:
          ok = tesoro_session_export_marketing (session, job->output, cancellable, &job->n_exported, &error);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  tesoro_worker_return (task, ok, error);
}

typedef struct
{
  TesoroWindow *window;
  TesoroJob    *job;
} ProgressData;

static gboolean
show_progress_cb (gpointer user_data)
{
  ProgressData *data = user_data;
  TesoroJob *job = data->job;

  job->progress_source = 0;

  g_mutex_lock (&job->lock);
  job->progress = g_object_ref (tesoro_progress_dialog_new (GTK_WINDOW (data->window),
                                                            _(job_style (job->kind).title)));
  tesoro_progress_dialog_set_progress (job->progress, job->done, job->total);
  g_mutex_unlock (&job->lock);

  /* Its Cancel cancels the job. */
  g_signal_connect_object (tesoro_progress_dialog_get_cancellable (job->progress), "cancelled",
                           G_CALLBACK (g_cancellable_cancel), job->cancellable, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (job->progress));

  return G_SOURCE_REMOVE;
}

/**
 * _tesoro_window_job_new:
 *
 * Returns: (transfer full): a job on the window's database, as its user;
 * fill in what @kind needs, then start it with _tesoro_window_job_start()
 */
TesoroJob *
_tesoro_window_job_new (TesoroWindow  *self,
                        TesoroJobKind  kind)
{
  TesoroJob *job = g_new0 (TesoroJob, 1);

  g_mutex_init (&job->lock);
  job->kind = kind;
  job->db_path = g_strdup (tesoro_session_get_path (self->session));
  job->actor = g_strdup (tesoro_session_get_actor (self->session));
  job->cancellable = g_cancellable_new ();
  return job;
}

/**
 * _tesoro_window_job_start:
 * @job: (transfer full): the job
 *
 * Runs @job in a worker thread; @callback (with the window as source)
 * takes the result with _tesoro_window_job_finish().
 */
void
_tesoro_window_job_start (TesoroWindow        *self,
                          TesoroJob           *job,
                          GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (self, job->cancellable, callback, NULL);
  JobStyle style = job_style (job->kind);

  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  if (style.title != NULL)
    {
      ProgressData *data = g_new0 (ProgressData, 1);

      data->window = self;
      data->job = job;
      if (style.delay_ms == 0)
        {
          show_progress_cb (data);
          g_free (data);
        }
      else
        job->progress_source = g_timeout_add_full (G_PRIORITY_DEFAULT, style.delay_ms, show_progress_cb,
                                                   data, g_free);
    }

  g_task_run_in_thread (task, job_thread);
}

/**
 * _tesoro_window_job_finish:
 * @job: (out) (transfer none): the job, with what it returned; it lives as
 *   long as @result
 *
 * Closes the job's progress window and takes its result.
 *
 * Returns: whether the work succeeded
 */
gboolean
_tesoro_window_job_finish (GAsyncResult  *result,
                           TesoroJob    **job,
                           GError       **error)
{
  *job = g_task_get_task_data (G_TASK (result));

  g_clear_handle_id (&(*job)->progress_source, g_source_remove);
  if ((*job)->progress != NULL)
    gtk_window_destroy (GTK_WINDOW ((*job)->progress));
  g_clear_object (&(*job)->progress);

  return g_task_propagate_boolean (G_TASK (result), error);
}
