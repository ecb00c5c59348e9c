/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/*
 * A thin wrapper around one SQLite connection: GError reporting, a cache of
 * prepared statements and nestable transactions. Only the SQLite backend
 * (storage/sqlite/) uses it.
 */

typedef struct _TesoroDb TesoroDb;

typedef enum
{
  TESORO_DB_OPEN_CREATE    = 1 << 0,
  TESORO_DB_OPEN_READ_ONLY = 1 << 1,
} TesoroDbOpenFlags;

TesoroDb     *tesoro_db_open          (const char         *path,
                                       TesoroDbOpenFlags   flags,
                                       GError            **error);
void          tesoro_db_close         (TesoroDb           *db);
gboolean      tesoro_db_enable_wal    (TesoroDb           *db,
                                       GError            **error);
sqlite3      *tesoro_db_get_handle    (TesoroDb           *db);
const char   *tesoro_db_get_path      (TesoroDb           *db);
gboolean      tesoro_db_is_read_only  (TesoroDb           *db);

sqlite3_stmt *tesoro_db_prepare       (TesoroDb           *db,
                                       const char         *sql,
                                       GError            **error);
gboolean      tesoro_db_exec          (TesoroDb           *db,
                                       const char         *sql,
                                       GError            **error);
gboolean      tesoro_db_step_done     (TesoroDb           *db,
                                       sqlite3_stmt       *stmt,
                                       GError            **error);
int           tesoro_db_step          (TesoroDb           *db,
                                       sqlite3_stmt       *stmt,
                                       GError            **error);
gint64        tesoro_db_query_int     (TesoroDb           *db,
                                       const char         *sql,
                                       GError            **error);
void          tesoro_db_set_error     (TesoroDb           *db,
                                       GError            **error,
                                       int                 rc,
                                       const char         *context);

gboolean      tesoro_db_begin         (TesoroDb           *db,
                                       GError            **error);
gboolean      tesoro_db_begin_deferred (TesoroDb          *db,
                                        GError            **error);
guint         tesoro_db_get_depth     (TesoroDb           *db);
gboolean      tesoro_db_commit        (TesoroDb           *db,
                                       GError            **error);
void          tesoro_db_rollback      (TesoroDb           *db);
gboolean      tesoro_db_in_transaction (TesoroDb          *db);

gboolean      tesoro_db_checkpoint_complete (TesoroDb *db);
gboolean      tesoro_db_scrub_file     (TesoroDb     *db,
                                        int          *n_pages,
                                        GError      **error);
gboolean      tesoro_db_checkpoint_truncate (TesoroDb     *db,
                                             GError      **error);
gboolean      tesoro_db_backup_to     (TesoroDb           *db,
                                       const char         *dest_path,
                                       GError            **error);

/* Statements with their parameters in one call. @types has a letter per
 * parameter, ?1 first: 'i' a gint64, 'b' a gboolean, 's' a string (NULL
 * binds SQL NULL), 'e' a string (NULL binds ""). */
sqlite3_stmt *tesoro_db_prepare_with  (TesoroDb           *db,
                                       GError            **error,
                                       const char         *sql,
                                       const char         *types,
                                       ...);
gboolean      tesoro_db_run           (TesoroDb           *db,
                                       GError            **error,
                                       const char         *sql,
                                       const char         *types,
                                       ...);
gint64        tesoro_db_query_id      (TesoroDb           *db,
                                       GError            **error,
                                       const char         *sql,
                                       const char         *types,
                                       ...);
char         *tesoro_db_query_text    (TesoroDb           *db,
                                       GError            **error,
                                       const char         *sql,
                                       const char         *types,
                                       ...);

/* Every row of a query: @func for each, or the rows @map makes appended to
 * @into. FALSE with @error set when the query failed. */
typedef void     (*TesoroRowFunc)     (sqlite3_stmt       *stmt,
                                       gpointer            user_data);
typedef gpointer (*TesoroRowMapFunc)  (sqlite3_stmt       *stmt);

gboolean      tesoro_db_foreach_row   (TesoroDb           *db,
                                       GError            **error,
                                       TesoroRowFunc       func,
                                       gpointer            user_data,
                                       const char         *sql,
                                       const char         *types,
                                       ...);
gboolean      tesoro_db_collect       (TesoroDb           *db,
                                       GError            **error,
                                       GPtrArray          *into,
                                       TesoroRowMapFunc    map,
                                       const char         *sql,
                                       const char         *types,
                                       ...);
gint64        tesoro_db_changes       (TesoroDb           *db);
gint64        tesoro_db_last_insert_id (TesoroDb          *db);

/* Binding helpers: NULL text binds SQL NULL. */
void          tesoro_db_bind_text     (sqlite3_stmt       *stmt,
                                       int                 index,
                                       const char         *text);
void          tesoro_db_bind_text_or_empty (sqlite3_stmt  *stmt,
                                            int            index,
                                            const char    *text);
char         *tesoro_db_column_dup    (sqlite3_stmt       *stmt,
                                       int                 column);
const char   *tesoro_db_column_text   (sqlite3_stmt       *stmt,
                                       int                 column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroDb, tesoro_db_close)

/* Resets a cached statement when it goes out of scope. */
typedef sqlite3_stmt TesoroStmtReset;
static inline void
tesoro_stmt_reset_cleanup (TesoroStmtReset *stmt)
{
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroStmtReset, tesoro_stmt_reset_cleanup)

G_END_DECLS
