/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-db"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-db.h"
#include "tesoro-error.h"
#include "tesoro-scrub-vfs.h"

struct _TesoroDb
{
  sqlite3    *handle;
  char       *path;
  GHashTable *statements;   /* const char *sql (static) → sqlite3_stmt * */
  guint       depth;        /* transaction nesting */
  guint       read_only : 1;
};

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

void
tesoro_db_set_error (TesoroDb    *db,
                     GError     **error,
                     int          rc,
                     const char  *context)
{
  int primary = rc & 0xff;
  TesoroError code = TESORO_ERROR_DATABASE;
  const char *message = db != NULL && db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);
  g_autofree char *reason = NULL;
  g_autofree char *owned_context = NULL;

  switch (primary)
    {
    case SQLITE_NOTADB:
      code = TESORO_ERROR_NOT_A_DATABASE;
      break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      code = primary == SQLITE_READONLY ? TESORO_ERROR_READ_ONLY : TESORO_ERROR_IO;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = TESORO_ERROR_BUSY;
      break;
    case SQLITE_FULL:
    case SQLITE_IOERR:
      code = TESORO_ERROR_IO;
      break;
    case SQLITE_INTERRUPT:
      code = TESORO_ERROR_CANCELLED;
      break;
    case SQLITE_CONSTRAINT:
      code = TESORO_ERROR_INVALID;
      break;
    default:
      break;
    }

  /* SQLite's own words for a file it cannot open or write (“unable to open
   * database file”) leave out which file and why: the system's reason says
   * why (permission denied, no space left), and the path which. */
  if (code == TESORO_ERROR_IO || code == TESORO_ERROR_READ_ONLY)
    {
      int system_errno = db != NULL && db->handle != NULL ? sqlite3_system_errno (db->handle) : 0;

      if (system_errno != 0)
        message = reason = g_strdup_printf ("%s (%s)", message, g_strerror (system_errno));
      if (context == NULL && db != NULL && db->path != NULL)
        context = owned_context = g_strdup_printf (_("Database “%s”"), db->path);
    }

  if (context != NULL)
    g_set_error (error, TESORO_ERROR, code, "%s: %s", context, message);
  else
    g_set_error_literal (error, TESORO_ERROR, code, message);
}

/**
 * tesoro_db_open:
 * @path: the database file
 * @flags: whether to create it, and whether to open it read-only
 * @error: return location for a #GError
 *
 * Opens @path with Tesoro's connection settings. A file that is not a
 * SQLite database is refused here, before anything is written to it.
 *
 * Returns: (transfer full) (nullable): the connection
 */
TesoroDb *
tesoro_db_open (const char         *path,
                TesoroDbOpenFlags   flags,
                GError            **error)
{
  g_autoptr(TesoroDb) db = g_new0 (TesoroDb, 1);
  int open_flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_statement);
  db->read_only = (flags & TESORO_DB_OPEN_READ_ONLY) != 0;

  if (db->read_only)
    open_flags |= SQLITE_OPEN_READONLY;
  else
    open_flags |= SQLITE_OPEN_READWRITE | ((flags & TESORO_DB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);

  /* The scrubbing VFS keeps stale copies of deleted rows out of the file
   * (see tesoro-scrub-vfs.h): secure_delete alone does not. */
  rc = sqlite3_open_v2 (path, &db->handle, open_flags, tesoro_scrub_vfs_get_name ());
  if (rc != SQLITE_OK)
    {
      g_autofree char *context = g_strdup_printf (_("Cannot open database “%s”"), path);
      tesoro_db_set_error (db, error, rc, context);
      return NULL;
    }

  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_busy_timeout (db->handle, 5000);

  /* Reading the schema fails here for a file that is not SQLite at all. */
  rc = sqlite3_exec (db->handle, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_A_DATABASE,
                     _("“%s” is not a Tesoro database (it is not an SQLite file at all)"), path);
      else if ((rc & 0xff) == SQLITE_READONLY)
        {
          /* A WAL database needs its -shm file, which a reader creates
           * beside it if it does not exist yet. */
          g_autofree char *dir = g_path_get_dirname (path);
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_READ_ONLY,
                       _("The database “%s” cannot be read: neither it nor its folder “%s” can be "
                         "written to, and SQLite needs to create a file beside it. Copy the database "
                         "to a folder of your own, or make the folder writable."),
                       path, dir);
        }
      else
        {
          g_autofree char *context = g_strdup_printf (_("Cannot read database “%s”"), path);
          tesoro_db_set_error (db, error, rc, context);
        }
      return NULL;
    }

  /* The settings of DESIGN.md. trusted_schema=OFF keeps a crafted database
   * from running functions from its views or triggers. */
  if (!tesoro_db_exec (db, "PRAGMA trusted_schema = OFF", error) ||
      !tesoro_db_exec (db, "PRAGMA foreign_keys = ON", error) ||
      !tesoro_db_exec (db, "PRAGMA secure_delete = ON", error))
    return NULL;

  /* journal_mode=WAL is not set here: switching it rewrites the file header,
   * and the file may yet turn out to be another program's database or one
   * from a newer Tesoro, which must be left untouched. The store switches it
   * once the schema has been checked (see tesoro_db_enable_wal()). */
  if (!db->read_only && !tesoro_db_exec (db, "PRAGMA synchronous = NORMAL", error))
    return NULL;

  return g_steal_pointer (&db);
}

/**
 * tesoro_db_enable_wal:
 *
 * Switches the database to write-ahead logging (it stays so: the mode is
 * kept in the file). Call it only on a file known to be Tesoro's.
 */
gboolean
tesoro_db_enable_wal (TesoroDb  *db,
                      GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  if (tesoro_db_exec (db, "PRAGMA journal_mode = WAL", &local_error))
    return TRUE;

  if (g_error_matches (local_error, TESORO_ERROR, TESORO_ERROR_READ_ONLY))
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_READ_ONLY,
                 _("The database “%s” cannot be written to"), db->path);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

void
tesoro_db_close (TesoroDb *db)
{
  if (db == NULL)
    return;

  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    {
      int rc = sqlite3_close (db->handle);
      if (rc != SQLITE_OK)
        g_warning ("Closing %s: %s", db->path, sqlite3_errstr (rc));
      db->handle = NULL;
    }
  g_free (db->path);
  g_free (db);
}

sqlite3 *
tesoro_db_get_handle (TesoroDb *db)
{
  return db->handle;
}

const char *
tesoro_db_get_path (TesoroDb *db)
{
  return db->path;
}

gboolean
tesoro_db_is_read_only (TesoroDb *db)
{
  return db->read_only || sqlite3_db_readonly (db->handle, "main") == 1;
}

/**
 * tesoro_db_prepare:
 * @db: the connection
 * @sql: a statement, which must be a string literal: it is the cache key
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the cached prepared statement, reset
 * and with no bindings
 */
sqlite3_stmt *
tesoro_db_prepare (TesoroDb    *db,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (db->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (db, error, rc, NULL);
      g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (db->handle));
      return NULL;
    }

  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
tesoro_db_exec (TesoroDb    *db,
                const char  *sql,
                GError     **error)
{
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (db->handle, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (db, error, rc, NULL);
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_db_step:
 *
 * Returns: %SQLITE_ROW, %SQLITE_DONE, or -1 with @error set
 */
int
tesoro_db_step (TesoroDb      *db,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  tesoro_db_set_error (db, error, rc, NULL);
  sqlite3_reset (stmt);
  return -1;
}

gboolean
tesoro_db_step_done (TesoroDb      *db,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }

  tesoro_db_set_error (db, error, rc, NULL);
  sqlite3_reset (stmt);
  return FALSE;
}

/**
 * tesoro_db_query_int:
 *
 * Returns: the first column of the first row of @sql, 0 when there is no
 * row, or -1 with @error set
 */
gint64
tesoro_db_query_int (TesoroDb    *db,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, sql, error);
  gint64 value = 0;
  int rc;

  if (stmt == NULL)
    return -1;

  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

/**
 * tesoro_db_begin:
 *
 * Starts a transaction, or a savepoint inside the one already open, so that
 * store functions compose: each is atomic on its own and inside a larger one.
 */
static gboolean
begin (TesoroDb    *db,
       const char  *outermost,
       GError     **error)
{
  if (db->depth == 0)
    {
      if (!tesoro_db_exec (db, outermost, error))
        return FALSE;
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("SAVEPOINT tesoro_%u", db->depth);
      if (!tesoro_db_exec (db, sql, error))
        return FALSE;
    }

  db->depth++;
  return TRUE;
}

gboolean
tesoro_db_begin (TesoroDb  *db,
                 GError   **error)
{
  return begin (db, "BEGIN IMMEDIATE", error);
}

/**
 * tesoro_db_begin_deferred:
 *
 * Starts a read transaction (a snapshot that writers beside it do not
 * disturb), or a savepoint inside the one already open.
 */
gboolean
tesoro_db_begin_deferred (TesoroDb  *db,
                          GError   **error)
{
  return begin (db, "BEGIN DEFERRED", error);
}

guint
tesoro_db_get_depth (TesoroDb *db)
{
  return db->depth;
}

gboolean
tesoro_db_commit (TesoroDb  *db,
                  GError   **error)
{
  g_return_val_if_fail (db->depth > 0, FALSE);

  if (db->depth == 1)
    {
      if (!tesoro_db_exec (db, "COMMIT", error))
        {
          tesoro_db_rollback (db);
          return FALSE;
        }
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("RELEASE tesoro_%u", db->depth - 1);
      if (!tesoro_db_exec (db, sql, error))
        return FALSE;
    }

  db->depth--;
  return TRUE;
}

void
tesoro_db_rollback (TesoroDb *db)
{
  g_return_if_fail (db->depth > 0);

  if (db->depth == 1)
    {
      if (sqlite3_get_autocommit (db->handle) == 0)
        sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("ROLLBACK TO tesoro_%u; RELEASE tesoro_%u",
                                              db->depth - 1, db->depth - 1);
      sqlite3_exec (db->handle, sql, NULL, NULL, NULL);
    }

  db->depth--;
}

gboolean
tesoro_db_in_transaction (TesoroDb *db)
{
  return db->depth > 0;
}

/**
 * tesoro_db_checkpoint_truncate:
 *
 * Copies the write-ahead log into the database and truncates it to zero
 * bytes, so that no page image of deleted data survives in the `-wal` file.
 */
gboolean
tesoro_db_checkpoint_truncate (TesoroDb  *db,
                               GError   **error)
{
  int log_frames = 0, checkpointed = 0;
  int rc;

  rc = sqlite3_wal_checkpoint_v2 (db->handle, "main", SQLITE_CHECKPOINT_TRUNCATE,
                                  &log_frames, &checkpointed);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (db, error, rc, _("Cannot checkpoint the write-ahead log"));
      return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_db_checkpoint_complete:
 *
 * Copies as much of the write-ahead log into the database as it can without
 * waiting for anyone (a passive checkpoint).
 *
 * Returns: whether all of it could be copied: if not, another connection
 * is reading an older state, and a truncating checkpoint would wait for it
 */
gboolean
tesoro_db_checkpoint_complete (TesoroDb *db)
{
  int log_frames = 0, checkpointed = 0;

  return sqlite3_wal_checkpoint_v2 (db->handle, "main", SQLITE_CHECKPOINT_PASSIVE,
                                    &log_frames, &checkpointed) == SQLITE_OK &&
         log_frames == checkpointed;
}

/**
 * tesoro_db_scrub_file:
 * @n_pages: (out): how many pages held stale bytes
 *
 * Rewrites the pages of the database file that hold stale bytes in their
 * unused space (see tesoro-scrub-vfs.h): a page that another program
 * checkpointed from the write-ahead log without the scrubbing VFS may. Call
 * it right after tesoro_db_checkpoint_truncate(), outside a transaction;
 * it holds the write lock while it runs, and fails with a busy error when
 * something was written into the log in between.
 */
gboolean
tesoro_db_scrub_file (TesoroDb  *db,
                      int       *n_pages,
                      GError   **error)
{
  int rc;

  g_return_val_if_fail (db->depth == 0, FALSE);

  *n_pages = 0;
  rc = sqlite3_exec (db->handle, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_file_control (db->handle, "main", TESORO_SCRUB_FCNTL_WHOLE_FILE, n_pages);
      sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
    }

  /* Without the scrubbing VFS (it could not be registered) there is
   * nothing to do it with. */
  if (rc == SQLITE_NOTFOUND)
    rc = SQLITE_OK;
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TESORO_ERROR, rc == SQLITE_BUSY ? TESORO_ERROR_BUSY : TESORO_ERROR_FAILED,
                   _("Cannot remove stale bytes from the database file: %s"), sqlite3_errstr (rc));
      return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_db_backup_to:
 *
 * Copies the whole database to @dest_path with SQLite's online backup API.
 */
gboolean
tesoro_db_backup_to (TesoroDb    *db,
                     const char  *dest_path,
                     GError     **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  rc = sqlite3_open_v2 (dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (dest, "main", db->handle, "main");
      if (backup != NULL)
        {
          rc = sqlite3_backup_step (backup, -1);
          sqlite3_backup_finish (backup);
          if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        }
      else
        rc = sqlite3_errcode (dest);
    }

  if (rc != SQLITE_OK)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                   _("Cannot write a backup copy to “%s”: %s"),
                   dest_path, dest != NULL ? sqlite3_errmsg (dest) : sqlite3_errstr (rc));
      sqlite3_close (dest);
      g_unlink (dest_path);
      return FALSE;
    }

  sqlite3_close (dest);
  return TRUE;
}

void
tesoro_db_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
tesoro_db_bind_text_or_empty (sqlite3_stmt *stmt,
                              int           index,
                              const char   *text)
{
  sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
}

const char *
tesoro_db_column_text (sqlite3_stmt *stmt,
                       int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

char *
tesoro_db_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
bind_va (sqlite3_stmt *stmt,
         const char   *types,
         va_list       ap)
{
  for (int i = 0; types[i] != '\0'; i++)
    {
      switch (types[i])
        {
        case 'i':
          sqlite3_bind_int64 (stmt, i + 1, va_arg (ap, gint64));
          break;
        case 'b':
          sqlite3_bind_int (stmt, i + 1, va_arg (ap, gboolean) ? 1 : 0);
          break;
        case 's':
          tesoro_db_bind_text (stmt, i + 1, va_arg (ap, const char *));
          break;
        case 'e':
          tesoro_db_bind_text_or_empty (stmt, i + 1, va_arg (ap, const char *));
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static sqlite3_stmt *
prepare_va (TesoroDb    *db,
            GError     **error,
            const char  *sql,
            const char  *types,
            va_list      ap)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, sql, error);

  if (stmt != NULL)
    bind_va (stmt, types, ap);
  return stmt;
}

/**
 * tesoro_db_prepare_with:
 * @sql: a string literal (the cache key)
 * @types: one letter per parameter (see tesoro-db.h), then the values
 *
 * Returns: (transfer none) (nullable): the cached statement with its
 * parameters bound; step it, then sqlite3_reset() it
 */
sqlite3_stmt *
tesoro_db_prepare_with (TesoroDb    *db,
                        GError     **error,
                        const char  *sql,
                        const char  *types,
                        ...)
{
  sqlite3_stmt *stmt;
  va_list ap;

  va_start (ap, types);
  stmt = prepare_va (db, error, sql, types, ap);
  va_end (ap);
  return stmt;
}

/**
 * tesoro_db_run:
 *
 * Runs a statement that returns no rows (or whose rows do not matter).
 */
gboolean
tesoro_db_run (TesoroDb    *db,
               GError     **error,
               const char  *sql,
               const char  *types,
               ...)
{
  sqlite3_stmt *stmt;
  va_list ap;

  va_start (ap, types);
  stmt = prepare_va (db, error, sql, types, ap);
  va_end (ap);
  return stmt != NULL && tesoro_db_step_done (db, stmt, error);
}

/**
 * tesoro_db_query_id:
 *
 * Returns: the first column of the first row as a number, 0 when there is
 * no row (or it is NULL), or -1 with @error set
 */
gint64
tesoro_db_query_id (TesoroDb    *db,
                    GError     **error,
                    const char  *sql,
                    const char  *types,
                    ...)
{
  sqlite3_stmt *stmt;
  gint64 value = 0;
  va_list ap;
  int rc;

  va_start (ap, types);
  stmt = prepare_va (db, error, sql, types, ap);
  va_end (ap);
  if (stmt == NULL)
    return -1;

  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/**
 * tesoro_db_query_text:
 *
 * Returns: (transfer full) (nullable): the first column of the first row,
 * or %NULL when there is no row, it is NULL, or (with @error set) the query
 * failed
 */
char *
tesoro_db_query_text (TesoroDb    *db,
                      GError     **error,
                      const char  *sql,
                      const char  *types,
                      ...)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  va_list ap;

  va_start (ap, types);
  stmt = prepare_va (db, error, sql, types, ap);
  va_end (ap);
  if (stmt == NULL)
    return NULL;

  if (tesoro_db_step (db, stmt, error) == SQLITE_ROW)
    value = tesoro_db_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static gboolean
foreach_row_va (TesoroDb       *db,
                GError        **error,
                TesoroRowFunc   func,
                gpointer        user_data,
                const char     *sql,
                const char     *types,
                va_list         ap)
{
  sqlite3_stmt *stmt = prepare_va (db, error, sql, types, ap);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    func (stmt, user_data);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/**
 * tesoro_db_foreach_row:
 * @func: called with the statement on each row
 *
 * The prepare–bind–step loop of a query, once.
 */
gboolean
tesoro_db_foreach_row (TesoroDb       *db,
                       GError        **error,
                       TesoroRowFunc   func,
                       gpointer        user_data,
                       const char     *sql,
                       const char     *types,
                       ...)
{
  gboolean ok;
  va_list ap;

  va_start (ap, types);
  ok = foreach_row_va (db, error, func, user_data, sql, types, ap);
  va_end (ap);
  return ok;
}

typedef struct
{
  GPtrArray        *into;
  TesoroRowMapFunc  map;
} Collect;

static void
collect_row (sqlite3_stmt *stmt,
             gpointer      user_data)
{
  Collect *c = user_data;
  g_ptr_array_add (c->into, c->map (stmt));
}

/**
 * tesoro_db_collect:
 * @into: where the rows go
 * @map: makes the object of a row
 *
 * The rows of a query, as objects, appended to @into.
 */
gboolean
tesoro_db_collect (TesoroDb          *db,
                   GError           **error,
                   GPtrArray         *into,
                   TesoroRowMapFunc   map,
                   const char        *sql,
                   const char        *types,
                   ...)
{
  Collect c = { into, map };
  gboolean ok;
  va_list ap;

  va_start (ap, types);
  ok = foreach_row_va (db, error, collect_row, &c, sql, types, ap);
  va_end (ap);
  return ok;
}

gint64
tesoro_db_changes (TesoroDb *db)
{
  return sqlite3_changes64 (db->handle);
}

gint64
tesoro_db_last_insert_id (TesoroDb *db)
{
  return sqlite3_last_insert_rowid (db->handle);
}

