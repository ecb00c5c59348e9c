/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-contact.h"
#include "tesoro-field-groups.h"
#include "tesoro-search.h"

G_BEGIN_DECLS

/*
 * TesoroSession: the one core object a front end holds. It carries the
 * storage backend, the acting user and the policy, and every rule of
 * Tesoro is enforced in its services (this header and the others of
 * services/), so that the window, tesoro-cli and every later feature obey
 * them without knowing them.
 *
 * Personal data is read through a few entry points only: one contact
 * (tesoro_session_get_contact(), tesoro_session_lookup_contact()), list
 * rows (tesoro_session_load_summaries()), search (the id functions below)
 * and the scans of the exports (tesoro-bulk-export.h, tesoro-export-data.h).
 *
 * A session is used from one thread at a time. A worker thread gets its own
 * with tesoro_session_open_another(), on the same database.
 */

#define TESORO_TYPE_SESSION (tesoro_session_get_type ())

G_DECLARE_FINAL_TYPE (TesoroSession, tesoro_session, TESORO, SESSION, GObject)

/**
 * TesoroChange:
 * @TESORO_CHANGE_ADDED: a contact was created
 * @TESORO_CHANGE_UPDATED: a contact's fields or history changed
 * @TESORO_CHANGE_TRASHED: a contact was moved to the trash
 * @TESORO_CHANGE_RESTORED: a contact came back from the trash
 * @TESORO_CHANGE_ERASED: a contact was permanently deleted
 * @TESORO_CHANGE_RESET: many contacts changed at once (import, demo data);
 *   the contact id is 0 and every view should reload
 */
typedef enum
{
  TESORO_CHANGE_ADDED,
  TESORO_CHANGE_UPDATED,
  TESORO_CHANGE_TRASHED,
  TESORO_CHANGE_RESTORED,
  TESORO_CHANGE_ERASED,
  TESORO_CHANGE_RESET,
} TesoroChange;

typedef enum
{
  TESORO_SESSION_FLAGS_NONE      = 0,
  TESORO_SESSION_FLAGS_READ_ONLY = 1 << 0,
  TESORO_SESSION_FLAGS_CREATE_FOLDER = 1 << 1,
} TesoroSessionFlags;

char          *tesoro_session_default_path      (void);
TesoroSession *tesoro_session_open              (const char         *path,
                                                 TesoroSessionFlags  flags,
                                                 GError            **error);
TesoroSession *tesoro_session_open_engine       (const char         *engine,
                                                 const char         *location,
                                                 TesoroSessionFlags  flags,
                                                 GError            **error);
TesoroSession *tesoro_session_open_another      (TesoroSession      *self,
                                                 gboolean            read_only,
                                                 GError            **error);
const char    *tesoro_session_get_path          (TesoroSession      *self);
gboolean       tesoro_session_is_read_only      (TesoroSession      *self);
const char    *tesoro_session_get_actor         (TesoroSession      *self);
gboolean       tesoro_session_may_edit          (TesoroSession      *self,
                                                 TesoroContact      *contact);
int            tesoro_session_get_schema_version (TesoroSession     *self);
void           tesoro_session_close             (TesoroSession      *self);

/* Contacts (tesoro-editing.c) */
gboolean       tesoro_session_add_contact       (TesoroSession      *self,
                                                 TesoroContact      *contact,
                                                 GError            **error);
gboolean       tesoro_session_update_contact    (TesoroSession      *self,
                                                 TesoroContact      *contact,
                                                 GError            **error);
gboolean       tesoro_session_trash_contact     (TesoroSession      *self,
                                                 gint64              id,
                                                 GError            **error);
gboolean       tesoro_session_restore_contact   (TesoroSession      *self,
                                                 gint64              id,
                                                 GError            **error);

/* History (tesoro-editing.c) */
gint64         tesoro_session_add_note          (TesoroSession      *self,
                                                 gint64              contact_id,
                                                 const char         *body,
                                                 GError            **error);
gint64         tesoro_session_add_message       (TesoroSession      *self,
                                                 gint64              contact_id,
                                                 const TesoroMessage *message,
                                                 GError            **error);
gint64         tesoro_session_add_task          (TesoroSession      *self,
                                                 gint64              contact_id,
                                                 const char         *title,
                                                 const char         *due,
                                                 GError            **error);
gboolean       tesoro_session_set_task_done     (TesoroSession      *self,
                                                 gint64              task_id,
                                                 gboolean            done,
                                                 GError            **error);
gint64         tesoro_session_add_activity      (TesoroSession      *self,
                                                 gint64              contact_id,
                                                 const char         *kind,
                                                 const char         *summary,
                                                 const char         *at,
                                                 GError            **error);

/* Reading (tesoro-reading.c): the entry points of personal data */
TesoroContact *tesoro_session_get_contact       (TesoroSession      *self,
                                                 gint64              id,
                                                 GError            **error);
TesoroContact *tesoro_session_lookup_contact    (TesoroSession      *self,
                                                 const char         *id_or_uid,
                                                 GError            **error);
char          *tesoro_session_resolve_uid       (TesoroSession      *self,
                                                 const char         *id_or_uid,
                                                 GError            **error);
GPtrArray     *tesoro_session_load_summaries    (TesoroSession      *self,
                                                 const gint64       *ids,
                                                 guint               n_ids,
                                                 GError            **error);
gint64         tesoro_session_count_contacts    (TesoroSession      *self,
                                                 gboolean            trash,
                                                 GError            **error);
GArray        *tesoro_session_list_ids          (TesoroSession      *self,
                                                 gboolean            trash,
                                                 GError            **error);
GArray        *tesoro_session_search_ids        (TesoroSession      *self,
                                                 const char         *query,
                                                 gboolean            trash,
                                                 GError            **error);
gboolean       tesoro_session_foreach_match     (TesoroSession      *self,
                                                 const char         *prefix,
                                                 TesoroIdFunc        func,
                                                 gpointer            user_data,
                                                 GError            **error);
gboolean       tesoro_session_contact_matches   (TesoroSession      *self,
                                                 gint64              id,
                                                 GPtrArray          *prefixes,
                                                 GError            **error);
char          *tesoro_session_get_sort_key      (TesoroSession      *self,
                                                 gint64              id,
                                                 gboolean           *trashed,
                                                 GError            **error);

/* Sample data (tesoro-demo.c) */
gboolean       tesoro_session_generate_demo     (TesoroSession      *self,
                                                 guint               count,
                                                 guint32             seed,
                                                 GCancellable       *cancellable,
                                                 GError            **error);

G_END_DECLS
