/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tesoro-error.h"
#include "tesoro-sqlite-backend-private.h"

/*
 * Users and roles. A password hash is read only for the one user signing
 * in, and never leaves this file but into the session's check.
 */

#define USER_COLUMNS "login, full_name, role, disabled, password_hash IS NOT NULL, created_at," \
                     " last_sign_in_at, failed_attempts, locked_until"

static gpointer
map_user (sqlite3_stmt *stmt)
{
  TesoroUser *user = tesoro_user_new (tesoro_db_column_text (stmt, 0), tesoro_db_column_text (stmt, 1),
                                      tesoro_db_column_text (stmt, 2));

  tesoro_user_set_disabled (user, sqlite3_column_int (stmt, 3));
  tesoro_user_set_has_password (user, sqlite3_column_int (stmt, 4));
  tesoro_user_set_created_at (user, tesoro_db_column_text (stmt, 5));
  tesoro_user_set_last_sign_in (user, tesoro_db_column_text (stmt, 6));
  tesoro_user_set_failed_attempts (user, sqlite3_column_int (stmt, 7));
  tesoro_user_set_locked_until (user, tesoro_db_column_text (stmt, 8));
  return user;
}

/* Every user, disabled ones too, by login. */
static GPtrArray *
sqlite_list_users (TesoroBackend  *backend,
                   GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);

  if (!tesoro_db_collect (self->db, error, users, map_user,
                          "SELECT " USER_COLUMNS " FROM users ORDER BY login", ""))
    return NULL;
  return g_steal_pointer (&users);
}

/* The user @login (and, when asked, their password hash, NULL if none is
 * set), or NULL with TESORO_ERROR_NOT_FOUND. */
static TesoroUser *
sqlite_get_user (TesoroBackend  *backend,
                 const char     *login,
                 char          **password_hash,
                 GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;
  TesoroUser *user = NULL;

  stmt = tesoro_db_prepare_with (self->db, error,
                                 "SELECT " USER_COLUMNS ", password_hash FROM users WHERE login = ?1", "s", login);
  if (stmt == NULL)
    return NULL;

  switch (tesoro_db_step (self->db, stmt, error))
    {
    case SQLITE_ROW:
      user = map_user (stmt);
      if (password_hash != NULL)
        *password_hash = tesoro_db_column_dup (stmt, 9);
      break;
    case SQLITE_DONE:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no user “%s”"), login);
      break;
    default:
      break;
    }
  sqlite3_reset (stmt);
  return user;
}

static gboolean
sqlite_insert_user (TesoroBackend  *backend,
                    TesoroUser     *user,
                    const char     *password_hash,
                    GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gint64 exists;

  exists = tesoro_db_query_id (self->db, error, "SELECT 1 FROM users WHERE login = ?1", "s",
                               tesoro_user_get_login (user));
  if (exists < 0)
    return FALSE;
  if (exists > 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_EXISTS, _("There is a user “%s” already"),
                   tesoro_user_get_login (user));
      return FALSE;
    }

  return tesoro_db_run (self->db, error,
                        "INSERT INTO users (login, full_name, role, disabled, password_hash, created_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        "sssbss", tesoro_user_get_login (user), tesoro_user_get_full_name (user),
                        tesoro_user_get_role (user), tesoro_user_get_disabled (user), password_hash,
                        tesoro_user_get_created_at (user));
}

/* Writes the user's name, role, state and sign-in record. */
static gboolean
sqlite_update_user (TesoroBackend  *backend,
                    TesoroUser     *user,
                    GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (!tesoro_db_run (self->db, error,
                      "UPDATE users SET full_name = ?2, role = ?3, disabled = ?4, last_sign_in_at = ?5,"
                      " failed_attempts = ?6, locked_until = ?7 WHERE login = ?1",
                      "sssbsis", tesoro_user_get_login (user), tesoro_user_get_full_name (user),
                      tesoro_user_get_role (user), tesoro_user_get_disabled (user),
                      tesoro_user_get_last_sign_in (user), (gint64) tesoro_user_get_failed_attempts (user),
                      tesoro_user_get_locked_until (user)))
    return FALSE;
  if (tesoro_db_changes (self->db) == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no user “%s”"),
                   tesoro_user_get_login (user));
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_set_password_hash (TesoroBackend  *backend,
                          const char     *login,
                          const char     *password_hash,
                          GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (!tesoro_db_run (self->db, error, "UPDATE users SET password_hash = ?2 WHERE login = ?1",
                      "ss", login, password_hash))
    return FALSE;
  if (tesoro_db_changes (self->db) == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no user “%s”"), login);
      return FALSE;
    }
  return TRUE;
}

/* Roles */

static gpointer
map_role (sqlite3_stmt *stmt)
{
  TesoroRole *role = tesoro_role_new (tesoro_db_column_text (stmt, 0), tesoro_db_column_text (stmt, 1),
                                      sqlite3_column_int (stmt, 2));
  g_autoptr(GError) error = NULL;

  tesoro_role_set_permissions_from_string (role, tesoro_db_column_text (stmt, 3));
  /* A damaged policy hides everything rather than showing everything. */
  if (!tesoro_role_set_fields_from_string (role, tesoro_db_column_text (stmt, 4), &error))
    g_warning ("Role %s: %s", tesoro_role_get_key (role), error->message);
  return role;
}

/* Every role: the built-in ones first, in their order, then the others by
 * name. */
static GPtrArray *
sqlite_list_roles (TesoroBackend  *backend,
                   GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) roles = g_ptr_array_new_with_free_func (g_object_unref);

  if (!tesoro_db_collect (self->db, error, roles, map_role,
                          "SELECT key, name, builtin, permissions, fields FROM roles"
                          " ORDER BY builtin DESC, position, name COLLATE NOCASE", ""))
    return NULL;
  return g_steal_pointer (&roles);
}

/**
 * _tesoro_sqlite_save_role:
 * @create: a new role (refused if its key exists) rather than a change
 *
 * Also for the migration that creates the built-in roles.
 */
gboolean
_tesoro_sqlite_save_role (TesoroDb    *db,
                          TesoroRole  *role,
                          gboolean     create,
                          guint        position,
                          GError     **error)
{
  g_autofree char *permissions = tesoro_role_permissions_to_string (role);
  g_autofree char *fields = tesoro_role_fields_to_string (role);
  gint64 exists;

  exists = tesoro_db_query_id (db, error, "SELECT 1 FROM roles WHERE key = ?1", "s", tesoro_role_get_key (role));
  if (exists < 0)
    return FALSE;
  if (create && exists > 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_EXISTS, _("There is a role “%s” already"),
                   tesoro_role_get_key (role));
      return FALSE;
    }
  if (!create && exists == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no role “%s”"),
                   tesoro_role_get_key (role));
      return FALSE;
    }

  if (create)
    return tesoro_db_run (db, error,
                          "INSERT INTO roles (key, name, builtin, position, permissions, fields)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          "ssbiss", tesoro_role_get_key (role), tesoro_role_get_name (role),
                          tesoro_role_is_builtin (role), (gint64) position, permissions, fields);
  return tesoro_db_run (db, error, "UPDATE roles SET name = ?2, permissions = ?3, fields = ?4 WHERE key = ?1",
                        "ssss", tesoro_role_get_key (role), tesoro_role_get_name (role), permissions, fields);
}

static gboolean
sqlite_save_role (TesoroBackend  *backend,
                  TesoroRole     *role,
                  gboolean        create,
                  GError        **error)
{
  return _tesoro_sqlite_save_role (SQLITE_BACKEND (backend)->db, role, create, 0, error);
}

void
_tesoro_sqlite_users_init (TesoroBackendInterface *iface)
{
  iface->list_users = sqlite_list_users;
  iface->get_user = sqlite_get_user;
  iface->insert_user = sqlite_insert_user;
  iface->update_user = sqlite_update_user;
  iface->set_password_hash = sqlite_set_password_hash;
  iface->list_roles = sqlite_list_roles;
  iface->save_role = sqlite_save_role;
}
