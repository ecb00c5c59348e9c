/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-bulk.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * Batch edit: one change applied to a selection of contacts, in one
 * transaction, written to the accountability log (action "batch-edit": the
 * kind of change, the field name for Set Field, and the counts; never a
 * tag, a value or anything else that could be personal data), and
 * returning an undo record that puts back exactly what was there before.
 *
 * Restricted contacts (GDPR Art. 18) are read-only: they are skipped and
 * counted. Contacts in the trash and ids that name no contact are skipped
 * and counted too, except by Move to Trash, which skips the trashed ones
 * as unchanged.
 *
 * Permanent deletion of a selection is tesoro_session_erase_contacts() with
 * %TESORO_ERASURE_BATCH (tesoro-erasure.h): irreversible, with receipts.
 */

/**
 * TesoroBatchAction:
 * @TESORO_BATCH_ADD_TAG: add the tag (@argument) to each contact
 * @TESORO_BATCH_REMOVE_TAG: remove the tag (@argument) from each contact
 * @TESORO_BATCH_SET_FIELD: set the field @argument to @value, see
 *   tesoro_batch_check_field()
 * @TESORO_BATCH_TRASH: move each contact to the trash
 */
typedef enum
{
  TESORO_BATCH_ADD_TAG,
  TESORO_BATCH_REMOVE_TAG,
  TESORO_BATCH_SET_FIELD,
  TESORO_BATCH_TRASH,
} TesoroBatchAction;

const char *tesoro_batch_action_to_string (TesoroBatchAction action);

/* The fields Set Field can change; a custom field is "custom/NAME". */
#define TESORO_BATCH_FIELD_ORGANIZATION "organization"
#define TESORO_BATCH_FIELD_CITY         "city"
#define TESORO_BATCH_FIELD_LAWFUL_BASIS "lawful_basis"
#define TESORO_BATCH_FIELD_CUSTOM       "custom/"

gboolean    tesoro_batch_check_field      (const char   *field,
                                           const char   *value,
                                           char        **normalized,
                                           GError      **error);
char       *tesoro_batch_describe_field   (const char   *field);

/**
 * TesoroBatchResult:
 * @changed: contacts changed
 * @unchanged: contacts that already were as asked (had the tag, did not
 *   have it, had the value, were in the trash)
 * @restricted: restricted contacts skipped
 * @missing: ids that name no contact, or (except for Move to Trash) a
 *   contact in the trash
 */
typedef struct
{
  guint changed;
  guint unchanged;
  guint restricted;
  guint missing;
} TesoroBatchResult;

/**
 * TesoroBatchUndo:
 *
 * What a batch edit changed and what was there before, held in memory
 * only (it may hold personal data, such as the organisation a contact had,
         * and is never written to the database). Pass it to
 * tesoro_session_batch_undo() with any TesoroStore on the same database.
 */
typedef struct _TesoroBatchUndo TesoroBatchUndo;

#define TESORO_TYPE_BATCH_UNDO (tesoro_batch_undo_get_type ())

GType             tesoro_batch_undo_get_type       (void) G_GNUC_CONST;
TesoroBatchUndo  *tesoro_batch_undo_ref            (TesoroBatchUndo   *undo);
void              tesoro_batch_undo_unref          (TesoroBatchUndo   *undo);
TesoroBatchAction tesoro_batch_undo_get_action     (TesoroBatchUndo   *undo);
guint             tesoro_batch_undo_get_n_contacts (TesoroBatchUndo   *undo);
gboolean          tesoro_batch_undo_is_done        (TesoroBatchUndo   *undo);
char             *tesoro_batch_undo_describe       (TesoroBatchUndo   *undo);

gboolean    tesoro_session_batch_edit       (TesoroSession      *self,
                                             const gint64       *ids,
                                             guint               n_ids,
                                             TesoroBatchAction   action,
                                             const char         *argument,
                                             const char         *value,
                                             GCancellable       *cancellable,
                                             TesoroProgressFunc  progress,
                                             gpointer            user_data,
                                             TesoroBatchResult  *result,
                                             TesoroBatchUndo   **undo,
                                             GError            **error);
gboolean    tesoro_session_batch_undo       (TesoroSession      *self,
                                             TesoroBatchUndo    *undo,
                                             GCancellable       *cancellable,
                                             guint              *n_restored,
                                             guint              *n_left,
                                             GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroBatchUndo, tesoro_batch_undo_unref)

G_END_DECLS
