/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-bulk"

#include "config.h"

#include "tesoro-bulk-private.h"

/**
 * _tesoro_bulk_progress_report:
 * @progress: the operation's progress
 * @done: how much is done (at most @progress's total is reported)
 * @force: report even if the last report was less than 0.1 s ago (for the
 *   final one)
 *
 * Calls the operation's #TesoroProgressFunc, if it has one, no more than
 * about ten times a second unless @force.
 */
void
_tesoro_bulk_progress_report (TesoroBulkProgress *progress,
                              guint64             done,
                              gboolean            force)
{
  gint64 now;

  if (progress->func == NULL)
    return;

  now = g_get_monotonic_time ();
  if (!force && now - progress->last_us < G_USEC_PER_SEC / 10)
    return;
  progress->last_us = now;
  progress->func (MIN (done, progress->total), progress->total, progress->data);
}
