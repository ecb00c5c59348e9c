/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_JOB (tesoro_job_get_type ())

G_DECLARE_FINAL_TYPE (TesoroJob, tesoro_job, TESORO, JOB, GObject)

/**
 * TesoroJobFunc:
 * @job: the job
 * @session: the worker thread's own session, on the same database and as
 *   the same user as the session the job was made with
 * @data: the job's data
 * @cancellable: cancelled when the user cancels the job
 * @error: return location for a #GError
 *
 * The work, in the worker thread. It reports its progress with
 * tesoro_job_report() (or passes tesoro_job_progress_cb() with @job to the
 * core) and stops at its next safe point once @cancellable is cancelled.
 *
 * Returns: whether the work succeeded; %FALSE with @error set otherwise
 */
typedef gboolean (*TesoroJobFunc)         (TesoroJob      *job,
                                           TesoroSession  *session,
                                           gpointer        data,
                                           GCancellable   *cancellable,
                                           GError        **error);

/**
 * TesoroJobProgressFunc:
 * @job: the job
 * @done: how much is done
 * @total: how much there is, or 0 when not known
 * @user_data: what was given to tesoro_job_set_progress_func()
 *
 * Shows the progress of @job; called on the main thread, at most once per
 * idle, with the latest figures.
 */
typedef void     (*TesoroJobProgressFunc) (TesoroJob      *job,
                                           guint64         done,
                                           guint64         total,
                                           gpointer        user_data);

TesoroJob    *tesoro_job_new               (TesoroSession          *session,
                                            TesoroJobFunc           func,
                                            gpointer                data,
                                            GDestroyNotify          data_free);
gpointer      tesoro_job_get_data          (TesoroJob              *self);
GCancellable *tesoro_job_get_cancellable   (TesoroJob              *self);
void          tesoro_job_cancel            (TesoroJob              *self);
gboolean      tesoro_job_is_running        (TesoroJob              *self);
void          tesoro_job_show_progress     (TesoroJob              *self,
                                            GtkWindow              *parent,
                                            const char             *title,
                                            guint                   delay_ms);
void          tesoro_job_set_progress_func (TesoroJob              *self,
                                            TesoroJobProgressFunc   func,
                                            gpointer                user_data,
                                            GDestroyNotify          destroy);
void          tesoro_job_report            (TesoroJob              *self,
                                            guint64                 done,
                                            guint64                 total);
void          tesoro_job_progress_cb       (guint64                 done,
                                            guint64                 total,
                                            gpointer                job);
void          tesoro_job_run_async         (TesoroJob              *self,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
gboolean      tesoro_job_run_finish        (TesoroJob              *self,
                                            GAsyncResult           *result,
                                            GError                **error);

G_END_DECLS
