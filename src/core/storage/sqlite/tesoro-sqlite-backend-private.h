/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-db.h"
#include "tesoro-sqlite-backend.h"

G_BEGIN_DECLS

/* Shared by the files of the SQLite backend, split by table the way
 * epiphany splits its history service: -contacts.c, -history.c,
 * -search.c, -ledgers.c, -scans.c. */

struct _TesoroSqliteBackend
{
  GObject          parent_instance;

  TesoroDb        *db;
  char            *path;
  char            *actor;
  gint64           actor_id;
  gboolean         read_only;

  /* The outermost write transaction's flags. */
  TesoroWriteFlags write_flags;
  char            *saved_cache_size;

  /* Bulk indexing (TESORO_WRITE_BULK): the index rows of new contacts, as
   * a JSON array of [term, contact id], written in term order. */
  gboolean         bulk_index;
  GString         *bulk_terms;
  guint            bulk_n_terms;
};

gint64   _tesoro_sqlite_get_actor_id  (TesoroSqliteBackend  *self,
                                       GError              **error);
gboolean _tesoro_sqlite_not_found     (GError              **error,
                                       gint64                id);

/* Search index (tesoro-sqlite-search.c) */
gboolean _tesoro_sqlite_index_contact (TesoroSqliteBackend  *self,
                                       TesoroContact        *contact,
                                       gboolean              fresh,
                                       GError              **error);
gboolean _tesoro_sqlite_flush_index   (TesoroSqliteBackend  *self,
                                       GError              **error);
void     _tesoro_sqlite_reset_bulk    (TesoroSqliteBackend  *self);
gboolean _tesoro_sqlite_reindex_all   (TesoroSqliteBackend  *self,
                                       GError              **error);

/* Roles (tesoro-sqlite-users.c), also for the migration */
gboolean _tesoro_sqlite_save_role     (TesoroDb             *db,
                                       TesoroRole           *role,
                                       gboolean              create,
                                       guint                 position,
                                       GError              **error);

/* Each file fills its part of the interface. */
void     _tesoro_sqlite_contacts_init (TesoroBackendInterface *iface);
void     _tesoro_sqlite_requests_init (TesoroBackendInterface *iface);
void     _tesoro_sqlite_history_init  (TesoroBackendInterface *iface);
void     _tesoro_sqlite_search_init   (TesoroBackendInterface *iface);
void     _tesoro_sqlite_ledgers_init  (TesoroBackendInterface *iface);
void     _tesoro_sqlite_scans_init    (TesoroBackendInterface *iface);
void     _tesoro_sqlite_users_init    (TesoroBackendInterface *iface);
void     _tesoro_sqlite_breaches_init (TesoroBackendInterface *iface);
void     _tesoro_sqlite_fields_init   (TesoroBackendInterface *iface);

#define SQLITE_BACKEND(backend) ((TesoroSqliteBackend *) (backend))

G_END_DECLS
