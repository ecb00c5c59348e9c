/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-contact.h"

G_BEGIN_DECLS

#define TESORO_TYPE_STORE (tesoro_store_get_type ())

G_DECLARE_FINAL_TYPE (TesoroStore, tesoro_store, TESORO, STORE, GObject)

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
  TESORO_STORE_FLAGS_NONE      = 0,
  TESORO_STORE_FLAGS_READ_ONLY = 1 << 0,
} TesoroStoreFlags;

/* Called for each contact id a search term matches, in no particular order. */
typedef void (*TesoroIdFunc) (gint64 id, gpointer user_data);

char          *tesoro_store_default_path        (void);
TesoroStore   *tesoro_store_open                (const char        *path,
                                                 TesoroStoreFlags   flags,
                                                 GError           **error);
const char    *tesoro_store_get_path            (TesoroStore       *self);
gboolean       tesoro_store_is_read_only        (TesoroStore       *self);
const char    *tesoro_store_get_actor           (TesoroStore       *self);
void           tesoro_store_set_actor           (TesoroStore       *self,
                                                 const char        *login);
void           tesoro_store_close               (TesoroStore       *self);

/* Contacts */
gboolean       tesoro_store_add_contact         (TesoroStore       *self,
                                                 TesoroContact     *contact,
                                                 GError           **error);
gboolean       tesoro_store_update_contact      (TesoroStore       *self,
                                                 TesoroContact     *contact,
                                                 GError           **error);
TesoroContact *tesoro_store_get_contact         (TesoroStore       *self,
                                                 gint64             id,
                                                 GError           **error);
TesoroContact *tesoro_store_lookup_contact      (TesoroStore       *self,
                                                 const char        *id_or_uid,
                                                 GError           **error);
gboolean       tesoro_store_trash_contact       (TesoroStore       *self,
                                                 gint64             id,
                                                 GError           **error);
gboolean       tesoro_store_restore_contact     (TesoroStore       *self,
                                                 gint64             id,
                                                 GError           **error);
gint64         tesoro_store_count_contacts      (TesoroStore       *self,
                                                 gboolean           trash,
                                                 GError           **error);

/* History */
gint64         tesoro_store_add_note            (TesoroStore       *self,
                                                 gint64             contact_id,
                                                 const char        *body,
                                                 GError           **error);
gint64         tesoro_store_add_message         (TesoroStore       *self,
                                                 gint64             contact_id,
                                                 const TesoroMessage *message,
                                                 GError           **error);
gint64         tesoro_store_add_task            (TesoroStore       *self,
                                                 gint64             contact_id,
                                                 const char        *title,
                                                 const char        *due,
                                                 GError           **error);
gboolean       tesoro_store_set_task_done       (TesoroStore       *self,
                                                 gint64             task_id,
                                                 gboolean           done,
                                                 GError           **error);
gint64         tesoro_store_add_activity        (TesoroStore       *self,
                                                 gint64             contact_id,
                                                 const char        *kind,
                                                 const char        *summary,
                                                 const char        *at,
                                                 GError           **error);

/* Lists and search */
GArray        *tesoro_store_list_ids            (TesoroStore       *self,
                                                 gboolean           trash,
                                                 GError           **error);
GArray        *tesoro_store_search_ids          (TesoroStore       *self,
                                                 const char        *query,
                                                 gboolean           trash,
                                                 GError           **error);
gboolean       tesoro_store_foreach_match       (TesoroStore       *self,
                                                 const char        *prefix,
                                                 TesoroIdFunc       func,
                                                 gpointer           user_data,
                                                 GError           **error);
gboolean       tesoro_store_contact_matches     (TesoroStore       *self,
                                                 gint64             id,
                                                 GPtrArray         *prefixes,
                                                 GError           **error);
char          *tesoro_store_get_sort_key        (TesoroStore       *self,
                                                 gint64             id,
                                                 gboolean          *trashed,
                                                 GError           **error);
GPtrArray     *tesoro_store_load_summaries      (TesoroStore       *self,
                                                 const gint64      *ids,
                                                 guint              n_ids,
                                                 GError           **error);

/* Sample data */
gboolean       tesoro_store_generate_demo       (TesoroStore       *self,
                                                 guint              count,
                                                 guint32            seed,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

G_END_DECLS
