/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import-batch"

#include "config.h"

#include "tesoro-import-batch.h"

G_DEFINE_BOXED_TYPE (TesoroImportBatch, tesoro_import_batch, tesoro_import_batch_copy, tesoro_import_batch_free)

TesoroImportBatch *
tesoro_import_batch_copy (const TesoroImportBatch *batch)
{
  TesoroImportBatch *copy;

  g_return_val_if_fail (batch != NULL, NULL);

  copy = g_memdup2 (batch, sizeof *batch);
  copy->at = g_strdup (batch->at);
  copy->actor = g_strdup (batch->actor);
  copy->format = g_strdup (batch->format);
  copy->undone_at = g_strdup (batch->undone_at);
  return copy;
}

void
tesoro_import_batch_free (TesoroImportBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->at);
  g_free (batch->actor);
  g_free (batch->format);
  g_free (batch->undone_at);
  g_free (batch);
}
