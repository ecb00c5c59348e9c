/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-worker"

#include "config.h"

#include "tesoro-worker.h"

#include "tesoro-error.h"

/*
 * What the windows' worker threads share: every long job runs on its own
 * connection to the window's database, as the window's actor, and ends in a
 * GTask that says whether it worked.
 */

/**
 * tesoro_worker_open_session:
 * @session: the window's session
 * @error: return location for a #GError
 *
 * Opens a worker thread's own connection to the window's database, as the
 * window's user with their role, so that what the work does obeys the
 * same rules and its audit entries name the same user. Call it on the main
 * thread and hand the session to the worker.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL with @error set
 */
TesoroSession *
tesoro_worker_open_session (TesoroSession  *session,
                            GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return tesoro_session_open_another (session, FALSE, error);
}

/**
 * tesoro_worker_return:
 * @task: the worker's task
 * @ok: whether the job worked
 * @error: (transfer full) (nullable): why not, when @ok is %FALSE
 *
 * Returns %TRUE from @task when @ok, and otherwise @error.
 */
void
tesoro_worker_return (GTask    *task,
                      gboolean  ok,
                      GError   *error)
{
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (ok || error != NULL);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * tesoro_worker_is_cancelled:
 * @error: (nullable): the error a job ended with
 *
 * Whether the job stopped because the user cancelled it (the core's
 * %TESORO_ERROR_CANCELLED or GIO's %G_IO_ERROR_CANCELLED); nothing was
 * changed then.
 *
 * Returns: %TRUE for a cancellation
 */
gboolean
tesoro_worker_is_cancelled (const GError *error)
{
  return g_error_matches (error, TESORO_ERROR, TESORO_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}
