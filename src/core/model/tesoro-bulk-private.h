/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-bulk.h"

G_BEGIN_DECLS

/* For the bulk operations' own files: their progress, reported at most
 * about ten times a second (see #TesoroProgressFunc). */
typedef struct
{
  TesoroProgressFunc func;     /* (nullable) */
  gpointer           data;
  guint64            total;
  gint64             last_us;
} TesoroBulkProgress;

void _tesoro_bulk_progress_report (TesoroBulkProgress *progress,
                                   guint64             done,
                                   gboolean            force);

G_END_DECLS
