/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * TesoroImportBatch:
 * @id: the batch id
 * @at: when the import ran (ISO 8601, UTC)
 * @actor: the login of who ran it
 * @format: "csv" or "vcard"
 * @records: records read
 * @created: contacts created
 * @updated: contacts updated
 * @skipped: rows skipped
 * @invalid: invalid rows left out
 * @remaining_created: of the created contacts, how many are still in the
 *   database (erased contacts are gone from the batch too)
 * @remaining_updated: likewise for the updated ones
 * @undone_at: when the import was undone, or %NULL
 *
 * One import, as recorded for Undo Import. It holds no file name and no
 * personal data.
 */
typedef struct
{
  gint64   id;
  char    *at;
  char    *actor;
  char    *format;
  guint64  records;
  guint64  created;
  guint64  updated;
  guint64  skipped;
  guint64  invalid;
  guint64  remaining_created;
  guint64  remaining_updated;
  char    *undone_at;
} TesoroImportBatch;

#define TESORO_TYPE_IMPORT_BATCH (tesoro_import_batch_get_type ())

GType              tesoro_import_batch_get_type   (void) G_GNUC_CONST;
TesoroImportBatch *tesoro_import_batch_copy       (const TesoroImportBatch *batch);
void               tesoro_import_batch_free       (TesoroImportBatch       *batch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroImportBatch, tesoro_import_batch_free)

G_END_DECLS
