/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "tesoro-access.h"
#include "tesoro-backend.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/* For the services (the files of services/), which share the session's
 * backend, its rules and its accountability log. Front ends never include
 * this. */

struct _TesoroSession
{
  GObject        parent_instance;

  TesoroBackend *backend;

  /* Who acts (tesoro-access.c): all NULL while nobody is signed in. */
  char          *actor;
  TesoroUser    *user;
  TesoroRole    *role;
  char          *front_end;
  gboolean       sign_in_required;

  /* Above 0 while the session carries out the organisation's own policy
   * (housekeeping), which needs no permission of the user's. */
  guint          policy;

  /* How many erasures' purges opening the database finished (reported by
   * tesoro_session_finish_purges()). */
  guint          purged_at_open;
};

TesoroSession *_tesoro_session_new            (TesoroBackend       *backend,
                                               TesoroSession       *like);
TesoroBackend *_tesoro_session_get_backend    (TesoroSession       *self);
void           _tesoro_session_emit_changed   (TesoroSession       *self,
                                               gint64               id,
                                               TesoroChange         change);
void           _tesoro_session_emit_changes   (TesoroSession       *self,
                                               GArray              *ids,
                                               TesoroChange         change);

/* Transactions: every user-visible operation is one. _fail() rolls back
 * what is open and returns FALSE, for `return _tesoro_session_fail (self);`. */
gboolean       _tesoro_session_begin          (TesoroSession       *self,
                                               TesoroWriteFlags     flags,
                                               GError             **error);
gboolean       _tesoro_session_commit         (TesoroSession       *self,
                                               GError             **error);
gboolean       _tesoro_session_fail           (TesoroSession       *self);

/* The accountability log: @details (taken) is a JSON object without
 * personal data. */
gboolean       _tesoro_session_audit          (TesoroSession       *self,
                                               const char          *action,
                                               const char          *contact_uid,
                                               JsonNode            *details,
                                               GError             **error);

/* Reading a contact whole, unmasked and unrecorded (tesoro-reading.c) */
TesoroContact *_tesoro_session_load_whole     (TesoroSession       *self,
                                               gint64               id,
                                               GError             **error);

/* Access control (tesoro-access.c) */
void           _tesoro_session_establish      (TesoroSession       *self);
void           _tesoro_session_notify_actor   (TesoroSession       *self);
void           _tesoro_session_act_as         (TesoroSession       *self,
                                               TesoroUser          *user,
                                               TesoroRole          *role);
TesoroFieldGroups _tesoro_session_visible     (TesoroSession       *self);
void           _tesoro_session_mask           (TesoroSession       *self,
                                               TesoroContact       *contact);
gboolean       _tesoro_session_may_write      (TesoroSession       *self,
                                               TesoroContact       *stored,
                                               TesoroContact       *wanted,
                                               GError             **error);
gboolean       _tesoro_session_may_write_groups (TesoroSession     *self,
                                                 TesoroFieldGroups  groups,
                                                 GError           **error);
gboolean       _tesoro_session_may_write_custom (TesoroSession     *self,
                                                 const char        *field_name,
                                                 GError           **error);
JsonNode      *_tesoro_session_view_details   (TesoroSession       *self,
                                               TesoroFieldGroups    shown);
gboolean       _tesoro_session_record_view    (TesoroSession       *self,
                                               TesoroContact       *contact,
                                               GError             **error);
gboolean       _tesoro_session_audit_as       (TesoroSession       *self,
                                               const char          *actor,
                                               const char          *action,
                                               const char          *contact_uid,
                                               JsonNode            *details,
                                               GError             **error);

/**
 * TesoroVerdict:
 *
 * What the rules say of changing a contact now (see _tesoro_session_judge()).
 */
typedef enum
{
  TESORO_VERDICT_ALLOWED,
  TESORO_VERDICT_MISSING,
  TESORO_VERDICT_RESTRICTED,
  TESORO_VERDICT_TRASHED,
  TESORO_VERDICT_HELD,
  TESORO_VERDICT_FAILED,
} TesoroVerdict;

/**
 * TesoroIntent:
 * @TESORO_INTENT_EDIT: change its fields or add to its history
 * @TESORO_INTENT_ERASE: delete it permanently
 * @TESORO_INTENT_TRASH: move it to the trash (a batch)
 */
typedef enum
{
  TESORO_INTENT_EDIT,
  TESORO_INTENT_ERASE,
  TESORO_INTENT_TRASH,
} TesoroIntent;

TesoroVerdict  _tesoro_session_judge          (TesoroSession       *self,
                                               gint64               id,
                                               TesoroIntent         intent,
                                               TesoroContactState  *state,
                                               GError             **error);
gboolean       _tesoro_session_check          (TesoroSession       *self,
                                               gint64               id,
                                               TesoroIntent         intent,
                                               TesoroContactState  *state,
                                               GError             **error);

/* Inserting a contact (tesoro-editing.c), for the import and sample data:
 * fills what the rules fill (uid, display name, timestamps, dates of the
 * history) and inserts, inside the transaction open. */
gboolean       _tesoro_session_insert_contact (TesoroSession       *self,
                                               TesoroContact       *contact,
                                               const char          *now,
                                               GError             **error);
gboolean       _tesoro_session_audit_lawful_basis (TesoroSession   *self,
                                                   gint64               contact_id,
                                                   const char          *old_basis,
                                                   const char          *uid,
                                                   const char          *new_basis,
                                                   GError             **error);

/* Erasure (tesoro-erasure.c), for retention and the trash. */
gboolean       _tesoro_session_erase_query    (TesoroSession       *self,
                                               const TesoroContactQuery *query,
                                               const char          *reason,
                                               TesoroErasureMethod  method,
                                               const char          *summary_action,
                                               JsonNode            *summary,
                                               gboolean             summary_always,
                                               GCancellable        *cancellable,
                                               TesoroErasureProgressFunc progress,
                                               gpointer             user_data,
                                               GPtrArray          **receipts,
                                               GError             **error);

void           _tesoro_session_purge_erased   (TesoroSession       *self,
                                               GPtrArray           *receipts);

/* Names nobody uses (tesoro-import-run.c, which keeps the remembered import
 * mappings): tags and custom fields no contact has, and the remembered
 * mappings that name such a field, inside the caller's transaction. */
gboolean       _tesoro_session_delete_unused_names (TesoroSession  *self,
                                                    GError        **error);
/* Data minimisation (tesoro-fields.c): a new or changed value of a field
 * that is switched off is refused. */
gboolean       _tesoro_session_refuse_disabled (TesoroSession      *self,
                                                TesoroContact      *stored,
                                                TesoroContact      *wanted,
                                                GError            **error);
gboolean       _tesoro_session_refuse_disabled_key (TesoroSession  *self,
                                                    const char     *key,
                                                    GError        **error);

G_END_DECLS
