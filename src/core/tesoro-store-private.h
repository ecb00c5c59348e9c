/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-db.h"
#include "tesoro-store.h"

G_BEGIN_DECLS

/* For the other files of the store layer (demo data, GDPR, import), which
 * share its connection and its rules. Nothing above the store includes this. */

TesoroDb *_tesoro_store_get_db            (TesoroStore    *self);
gboolean  _tesoro_store_begin_write       (TesoroStore    *self,
                                           GError        **error);
gint64    _tesoro_store_get_actor_id      (TesoroStore    *self,
                                           GError        **error);
gboolean  _tesoro_store_insert_contact    (TesoroStore    *self,
                                           TesoroContact  *contact,
                                           const char     *now,
                                           GError        **error);
gboolean  _tesoro_store_index_contact     (TesoroStore    *self,
                                           TesoroContact  *contact,
                                           GError        **error);
void      _tesoro_store_emit_changed      (TesoroStore    *self,
                                           gint64          id,
                                           TesoroChange    change);
gboolean  _tesoro_store_touch_contact     (TesoroStore    *self,
                                           gint64          id,
                                           const char     *at,
                                           gboolean        edited,
                                           GError        **error);
gboolean  _tesoro_store_check_writable_contact (TesoroStore *self,
                                                gint64       id,
                                                GError     **error);

/* Bulk indexing for imports (tesoro-import.c): see tesoro-store.c. */
void      _tesoro_store_set_bulk_index    (TesoroStore    *self,
                                           gboolean        bulk);
gboolean  _tesoro_store_flush_index       (TesoroStore    *self,
                                           GError        **error);

G_END_DECLS
