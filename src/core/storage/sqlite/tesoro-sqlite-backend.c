/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>

#include "tesoro-error.h"
#include "tesoro-schema.h"
#include "tesoro-sqlite-backend-private.h"
#include "tesoro-utils.h"

/*
 * The connection, its transactions and the settings. The contact tables,
 * the history, the search index, the ledgers and the scans are in the
 * other files of this folder.
 */

/* The page cache of a bulk write, in KiB (SQLite's default is 2 MB): it
 * keeps the search index of an import in memory. */
#define BULK_CACHE_KIB 163840

static void tesoro_sqlite_backend_iface_init (TesoroBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TesoroSqliteBackend, tesoro_sqlite_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TESORO_TYPE_BACKEND, tesoro_sqlite_backend_iface_init))

/* Helpers */

gboolean
_tesoro_sqlite_not_found (GError **error,
                          gint64   id)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
               _("There is no contact with id %" PRId64), id);
  return FALSE;
}

/**
 * _tesoro_sqlite_get_actor_id:
 *
 * Returns: the users.id of the acting user, or -1 with @error set (nobody
 * acts, or the user is not in the database)
 */
gint64
_tesoro_sqlite_get_actor_id (TesoroSqliteBackend  *self,
                             GError              **error)
{
  gint64 id;

  if (self->actor_id > 0)
    return self->actor_id;

  if (self->actor == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION, _("Nobody is signed in"));
      return -1;
    }

  id = tesoro_db_query_id (self->db, error, "SELECT id FROM users WHERE login = ?1", "s", self->actor);
  if (id == 0)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no user “%s”"), self->actor);
  if (id <= 0)
    return -1;

  self->actor_id = id;
  return id;
}

static gboolean
file_is_read_only (const char *path)
{
  g_autofree char *dir = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  if (g_access (path, W_OK) != 0)
    return TRUE;

  /* SQLite must be able to create the -wal and -shm files beside it. */
  dir = g_path_get_dirname (path);
  return g_access (dir, W_OK) != 0;
}

/* The connection */

static const char *
sqlite_get_location (TesoroBackend *backend)
{
  return SQLITE_BACKEND (backend)->path;
}

static gboolean
sqlite_is_read_only (TesoroBackend *backend)
{
  return SQLITE_BACKEND (backend)->read_only;
}

static TesoroBackend *
sqlite_open_another (TesoroBackend  *backend,
                     gboolean        read_only,
                     GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  TesoroBackend *other = tesoro_sqlite_backend_open (self->path, read_only || self->read_only, error);

  if (other != NULL && self->actor != NULL)
    tesoro_backend_set_actor (other, self->actor);
  return other;
}

static void
sqlite_close (TesoroBackend *backend)
{
  g_clear_pointer (&SQLITE_BACKEND (backend)->db, tesoro_db_close);
}

static void
sqlite_set_actor (TesoroBackend *backend,
                  const char    *login)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (tesoro_set_str (&self->actor, login))
    self->actor_id = 0;
}

/* Whether other users of the computer may read the file (or its -wal),
 * whatever the roles inside it say. */
static gboolean
sqlite_is_exposed (TesoroBackend *backend)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  const char *files[] = { self->path, wal };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      GStatBuf st;

      if (g_stat (files[i], &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0)
        return TRUE;
    }
  return FALSE;
}

/* An open database has been migrated to the latest schema. */
static int
sqlite_get_schema_version (TesoroBackend *backend)
{
  return _tesoro_schema_latest_version ();
}

/* Transactions */

static gboolean
check_open (TesoroSqliteBackend  *self,
            GError              **error)
{
  if (self->db != NULL)
    return TRUE;
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_DATABASE, _("The database “%s” is closed"), self->path);
  return FALSE;
}

static void
end_outermost (TesoroSqliteBackend *self)
{
  if (self->write_flags & TESORO_WRITE_DURABLE)
    tesoro_db_exec (self->db, "PRAGMA synchronous = NORMAL", NULL);
  if (self->saved_cache_size != NULL)
    {
      tesoro_db_exec (self->db, self->saved_cache_size, NULL);
      g_clear_pointer (&self->saved_cache_size, g_free);
    }
  _tesoro_sqlite_reset_bulk (self);
  self->bulk_index = FALSE;
  self->write_flags = TESORO_WRITE_DEFAULT;
}

static gboolean
sqlite_begin_write (TesoroBackend     *backend,
                    TesoroWriteFlags   flags,
                    GError           **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gboolean outermost;

  if (!check_open (self, error))
    return FALSE;
  if (self->read_only)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_READ_ONLY,
                   _("The database “%s” is open read-only: changes cannot be saved"), self->path);
      return FALSE;
    }

  outermost = !tesoro_db_in_transaction (self->db);
  if (outermost)
    {
      self->write_flags = flags;

      /* A power cut right after the user was told "erased" must not bring
       * the person back: the commit is synced fully. */
      if (flags & TESORO_WRITE_DURABLE)
        tesoro_db_exec (self->db, "PRAGMA synchronous = FULL", NULL);

      /* A larger page cache keeps the search index of an import in memory. */
      if (flags & TESORO_WRITE_BULK)
        {
          gint64 cache_size = tesoro_db_query_int (self->db, "PRAGMA cache_size", NULL);

          if (cache_size != 0 && cache_size > -BULK_CACHE_KIB)
            {
              self->saved_cache_size = g_strdup_printf ("PRAGMA cache_size = %" PRId64, cache_size);
              tesoro_db_exec (self->db, "PRAGMA cache_size = -163840", NULL);
            }
        }
    }

  if (!tesoro_db_begin (self->db, error))
    {
      if (outermost)
        end_outermost (self);
      return FALSE;
    }

  /* Foreign keys are checked at the commit rather than after each
   * statement: a statement that cannot abort half-way needs no statement
   * journal, which would otherwise copy every page an insert touches. A
   * violation still fails the commit, and the pragma ends with the
   * transaction. */
  if (outermost && (flags & TESORO_WRITE_BULK))
    {
      self->bulk_index = TRUE;
      if (!tesoro_db_exec (self->db, "PRAGMA defer_foreign_keys = ON", error))
        {
          tesoro_db_rollback (self->db);
          end_outermost (self);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
sqlite_begin_read (TesoroBackend  *backend,
                   GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (!check_open (self, error))
    return FALSE;

  /* One snapshot; a deferred read transaction does not keep anyone from
   * writing (WAL). Inside a transaction already open, a savepoint. */
  if (!tesoro_db_in_transaction (self->db))
    return tesoro_db_begin_deferred (self->db, error);
  return tesoro_db_begin (self->db, error);
}

static gboolean
sqlite_commit (TesoroBackend  *backend,
               GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gboolean outermost = tesoro_db_get_depth (self->db) == 1;

  /* The gathered index rows are part of the transaction. */
  if (outermost && !_tesoro_sqlite_flush_index (self, error))
    {
      tesoro_db_rollback (self->db);
      end_outermost (self);
      return FALSE;
    }

  if (!tesoro_db_commit (self->db, error))
    {
      if (outermost)
        end_outermost (self);
      return FALSE;
    }

  if (outermost)
    end_outermost (self);
  return TRUE;
}

static void
sqlite_rollback (TesoroBackend *backend)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gboolean outermost;

  if (self->db == NULL || !tesoro_db_in_transaction (self->db))
    return;

  outermost = tesoro_db_get_depth (self->db) == 1;
  tesoro_db_rollback (self->db);
  if (outermost)
    end_outermost (self);
}

static gboolean
sqlite_in_transaction (TesoroBackend *backend)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  return self->db != NULL && tesoro_db_in_transaction (self->db);
}

/* The physical side of erasure: secure_delete and the scrubbing VFS have
 * overwritten the rows in the database file; the write-ahead log still holds
 * page images until it is checkpointed into the file and truncated. */
static gboolean
sqlite_purge (TesoroBackend  *backend,
              GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (!check_open (self, error))
    return FALSE;
  if (self->read_only)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_READ_ONLY,
                   _("The database “%s” is open read-only"), self->path);
      return FALSE;
    }

  return tesoro_db_checkpoint_truncate (self->db, error);
}

/* Settings */

static char *
sqlite_get_setting (TesoroBackend  *backend,
                    const char     *key,
                    GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  /* An unset key is no error: NULL with @error unset. */
  if (!check_open (self, error))
    return NULL;
  return tesoro_db_query_text (self->db, error, "SELECT value FROM settings WHERE key = ?1", "s", key);
}

static gboolean
sqlite_set_setting (TesoroBackend  *backend,
                    const char     *key,
                    const char     *value,
                    GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (value == NULL)
    return tesoro_db_run (self->db, error, "DELETE FROM settings WHERE key = ?1", "s", key);

  return tesoro_db_run (self->db, error,
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        "ss", key, value);
}

static gpointer
map_key (sqlite3_stmt *stmt)
{
  return tesoro_db_column_dup (stmt, 0);
}

static GStrv
sqlite_list_setting_keys (TesoroBackend  *backend,
                          const char     *prefix,
                          GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_null_terminated (4, g_free, TRUE);

  if (!check_open (self, error))
    return NULL;
  /* substr() rather than LIKE: a prefix may hold % or _. */
  if (!tesoro_db_collect (self->db, error, keys, map_key,
                          "SELECT key FROM settings WHERE substr (key, 1, length (?1)) = ?1 ORDER BY key",
                          "s", prefix))
    return NULL;
  return (GStrv) g_ptr_array_steal (keys, NULL);
}

/* GObject */

static void
tesoro_sqlite_backend_dispose (GObject *object)
{
  TesoroSqliteBackend *self = (TesoroSqliteBackend *) object;

  g_clear_pointer (&self->db, tesoro_db_close);

  G_OBJECT_CLASS (tesoro_sqlite_backend_parent_class)->dispose (object);
}

static void
tesoro_sqlite_backend_finalize (GObject *object)
{
  TesoroSqliteBackend *self = (TesoroSqliteBackend *) object;

  g_free (self->path);
  g_free (self->actor);
  g_free (self->saved_cache_size);
  if (self->bulk_terms != NULL)
    g_string_free (self->bulk_terms, TRUE);

  G_OBJECT_CLASS (tesoro_sqlite_backend_parent_class)->finalize (object);
}

static void
tesoro_sqlite_backend_iface_init (TesoroBackendInterface *iface)
{
  iface->get_location = sqlite_get_location;
  iface->is_read_only = sqlite_is_read_only;
  iface->open_another = sqlite_open_another;
  iface->close = sqlite_close;
  iface->set_actor = sqlite_set_actor;
  iface->get_schema_version = sqlite_get_schema_version;
  iface->is_exposed = sqlite_is_exposed;
  iface->begin_write = sqlite_begin_write;
  iface->begin_read = sqlite_begin_read;
  iface->commit = sqlite_commit;
  iface->rollback = sqlite_rollback;
  iface->in_transaction = sqlite_in_transaction;
  iface->purge = sqlite_purge;
  iface->get_setting = sqlite_get_setting;
  iface->set_setting = sqlite_set_setting;
  iface->list_setting_keys = sqlite_list_setting_keys;

  _tesoro_sqlite_contacts_init (iface);
  _tesoro_sqlite_history_init (iface);
  _tesoro_sqlite_search_init (iface);
  _tesoro_sqlite_ledgers_init (iface);
  _tesoro_sqlite_scans_init (iface);
  _tesoro_sqlite_users_init (iface);
  _tesoro_sqlite_requests_init (iface);
  _tesoro_sqlite_breaches_init (iface);
  _tesoro_sqlite_fields_init (iface);
}

static void
tesoro_sqlite_backend_class_init (TesoroSqliteBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tesoro_sqlite_backend_dispose;
  object_class->finalize = tesoro_sqlite_backend_finalize;
}

static void
tesoro_sqlite_backend_init (TesoroSqliteBackend *self)
{
}

/* Public API */

/**
 * tesoro_sqlite_backend_open:
 * @path: the database file; created when missing (its folder must exist)
 * @read_only: open for reading only
 *
 * Opens the database, migrating it to the latest schema. A file that is not
 * a Tesoro database or that comes from a newer Tesoro is refused and left as
 * it is. A file that cannot be written is opened read-only if its schema is
 * current.
 *
 * Returns: (transfer full) (nullable): the backend
 */
TesoroBackend *
tesoro_sqlite_backend_open (const char  *path,
                            gboolean     read_only,
                            GError     **error)
{
  g_autoptr(TesoroSqliteBackend) self = NULL;
  gboolean needs_migration = FALSE;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_A_DATABASE,
                   _("“%s” is a folder, not a database file"), path);
      return NULL;
    }

  if (!read_only && file_is_read_only (path))
    read_only = TRUE;

  if (!read_only && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *dir = g_path_get_dirname (path);

      /* The caller makes the folder of the default location; any other
       * missing folder is more likely a typing error than a wish. */
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                       _("Cannot create the database “%s”: the folder “%s” does not exist"), path, dir);
          return NULL;
        }
    }

  self = g_object_new (TESORO_TYPE_SQLITE_BACKEND, NULL);
  self->path = g_strdup (path);
  self->read_only = read_only;
  self->db = tesoro_db_open (path, read_only ? TESORO_DB_OPEN_READ_ONLY : TESORO_DB_OPEN_CREATE, error);
  if (self->db == NULL)
    return NULL;

  if (!_tesoro_schema_check (self->db, &needs_migration, error))
    return NULL;

  /* Only now that the file is known to be Tesoro's (or new) may it change. */
  if (!read_only && !tesoro_db_enable_wal (self->db, error))
    return NULL;

  if (needs_migration)
    {
      if (read_only)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_READ_ONLY,
                       _("The database “%s” is read-only and must be upgraded before this version "
                         "of Tesoro can use it. Make it writable and open it again."),
                       path);
          return NULL;
        }
      if (!_tesoro_schema_migrate (self, error))
        return NULL;
    }

  return TESORO_BACKEND (g_steal_pointer (&self));
}
