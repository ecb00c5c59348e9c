/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-store"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-schema.h"
#include "tesoro-search.h"
#include "tesoro-store-private.h"
#include "tesoro-utils.h"

struct _TesoroStore
{
  GObject   parent_instance;

  TesoroDb *db;
  char     *path;
  char     *actor;
  gint64    actor_id;
  gboolean  read_only;

  /* Bulk indexing (imports): the index rows of new contacts, as a JSON
   * array of [term, contact id], written in term order by
   * _tesoro_store_flush_index(). */
  gboolean  bulk_index;
  GString  *bulk_terms;
  guint     bulk_n_terms;
};

G_DEFINE_FINAL_TYPE (TesoroStore, tesoro_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  PROP_ACTOR,
  N_PROPS
};

enum {
  CONTACT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers */

static gboolean
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
               _("There is no contact with id %" PRId64), id);
  return FALSE;
}

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

TesoroDb *
_tesoro_store_get_db (TesoroStore *self)
{
  return self->db;
}

void
_tesoro_store_emit_changed (TesoroStore  *self,
                            gint64        id,
                            TesoroChange  change)
{
  g_signal_emit (self, signals[CONTACT_CHANGED], 0, id, change);
}

/**
 * _tesoro_store_begin_write:
 *
 * Starts the transaction of a write, after checking that the database may
 * be written at all.
 */
gboolean
_tesoro_store_begin_write (TesoroStore  *self,
                           GError      **error)
{
  if (self->read_only)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_READ_ONLY,
                   _("The database “%s” is open read-only: changes cannot be saved"),
                   self->path);
      return FALSE;
    }

  return tesoro_db_begin (self->db, error);
}

/**
 * _tesoro_store_get_actor_id:
 *
 * Returns: the users.id of the acting user, creating the user on first use,
 * or -1 with @error set
 */
gint64
_tesoro_store_get_actor_id (TesoroStore  *self,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *now = NULL;
  gboolean created;
  gint64 id;

  if (self->actor_id > 0)
    return self->actor_id;

  now = tesoro_now_iso ();
  stmt = tesoro_db_prepare (self->db,
                            "INSERT INTO users (login, full_name, created_at) VALUES (?1, ?2, ?3)"
                            " ON CONFLICT (login) DO NOTHING",
                            error);
  if (stmt == NULL)
    return -1;
  tesoro_db_bind_text (stmt, 1, self->actor);
  tesoro_db_bind_text (stmt, 2, g_get_real_name ());
  tesoro_db_bind_text (stmt, 3, now);
  if (!tesoro_db_step_done (self->db, stmt, error))
    return -1;
  created = sqlite3_changes (tesoro_db_get_handle (self->db)) > 0;

  stmt = tesoro_db_prepare (self->db, "SELECT id FROM users WHERE login = ?1", error);
  if (stmt == NULL)
    return -1;
  tesoro_db_bind_text (stmt, 1, self->actor);
  if (tesoro_db_step (self->db, stmt, error) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return -1;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* A user row created just now belongs to the caller's transaction, which
   * may still be rolled back: only a row that was already there is
   * remembered. */
  if (!created)
    self->actor_id = id;

  return id;
}

/* GObject */

static void
tesoro_store_dispose (GObject *object)
{
  TesoroStore *self = (TesoroStore *) object;

  g_clear_pointer (&self->db, tesoro_db_close);

  G_OBJECT_CLASS (tesoro_store_parent_class)->dispose (object);
}

static void
tesoro_store_finalize (GObject *object)
{
  TesoroStore *self = (TesoroStore *) object;

  g_free (self->path);
  g_free (self->actor);
  if (self->bulk_terms != NULL)
    g_string_free (self->bulk_terms, TRUE);

  G_OBJECT_CLASS (tesoro_store_parent_class)->finalize (object);
}

static void
tesoro_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TesoroStore *self = TESORO_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_store_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TesoroStore *self = TESORO_STORE (object);

  switch (prop_id)
    {
    case PROP_ACTOR:
      tesoro_store_set_actor (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_store_class_init (TesoroStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tesoro_store_dispose;
  object_class->finalize = tesoro_store_finalize;
  object_class->get_property = tesoro_store_get_property;
  object_class->set_property = tesoro_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TesoroStore::contact-changed:
   * @id: the contact's id, or 0 with %TESORO_CHANGE_RESET
   * @change: a #TesoroChange
   *
   * Emitted after a change has been committed.
   */
  signals[CONTACT_CHANGED] =
    g_signal_new ("contact-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT);
}

static void
tesoro_store_init (TesoroStore *self)
{
  self->actor = g_strdup (g_get_user_name ());
}

/* Public API: opening */

/**
 * tesoro_store_default_path:
 *
 * Returns: (transfer full): `$TESORO_DB` if set, else
 * `$XDG_DATA_HOME/tesoro/tesoro.db`
 */
char *
tesoro_store_default_path (void)
{
  const char *env = g_getenv ("TESORO_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "tesoro", "tesoro.db", NULL);
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

/**
 * tesoro_store_open:
 * @path: the database file; created (with its folder) when missing
 * @flags: %TESORO_STORE_FLAGS_READ_ONLY to open for reading only
 * @error: return location for a #GError
 *
 * Opens the database, migrating it to the latest schema. A file that is not
 * a Tesoro database or that comes from a newer Tesoro is refused and left as
 * it is. A file that cannot be written is opened read-only (see
 * tesoro_store_is_read_only()) if its schema is current.
 *
 * Returns: (transfer full) (nullable): the store
 */
TesoroStore *
tesoro_store_open (const char        *path,
                   TesoroStoreFlags   flags,
                   GError           **error)
{
  g_autoptr(TesoroStore) self = NULL;
  gboolean read_only = (flags & TESORO_STORE_FLAGS_READ_ONLY) != 0;
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

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                       _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  self = g_object_new (TESORO_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->read_only = read_only;
  self->db = tesoro_db_open (path,
                             read_only ? TESORO_DB_OPEN_READ_ONLY : TESORO_DB_OPEN_CREATE,
                             error);
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
      if (!_tesoro_schema_migrate (self->db, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
tesoro_store_get_path (TesoroStore *self)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);
  return self->path;
}

gboolean
tesoro_store_is_read_only (TesoroStore *self)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), TRUE);
  return self->read_only;
}

const char *
tesoro_store_get_actor (TesoroStore *self)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);
  return self->actor;
}

/**
 * tesoro_store_set_actor:
 * @login: the login of the user on whose behalf the store acts
 *
 * Every write records who made it. Until users and roles exist, the actor
 * is the operating-system user, as the single administrator.
 */
void
tesoro_store_set_actor (TesoroStore *self,
                        const char  *login)
{
  g_return_if_fail (TESORO_IS_STORE (self));
  g_return_if_fail (login != NULL && *login != '\0');

  if (tesoro_set_str (&self->actor, login))
    {
      self->actor_id = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTOR]);
    }
}

/**
 * tesoro_store_close:
 *
 * Closes the connection now rather than when the last reference goes.
 */
void
tesoro_store_close (TesoroStore *self)
{
  g_return_if_fail (TESORO_IS_STORE (self));
  g_clear_pointer (&self->db, tesoro_db_close);
}

/* Writing contacts */

static void
normalize_primary (GPtrArray *details)
{
  gboolean seen = FALSE;

  for (guint i = 0; i < details->len; i++)
    {
      TesoroDetail *d = details->pdata[i];

      if (d->primary && !seen)
        seen = TRUE;
      else
        d->primary = FALSE;
    }

  if (!seen && details->len > 0)
    ((TesoroDetail *) details->pdata[0])->primary = TRUE;
}

static gboolean
insert_details (TesoroStore  *self,
                gint64        contact_id,
                GPtrArray    *details,
                gboolean      phones,
                GError      **error)
{
  sqlite3_stmt *stmt;

  for (guint i = 0; i < details->len; i++)
    {
      TesoroDetail *d = details->pdata[i];

      if (phones)
        stmt = tesoro_db_prepare (self->db,
                                  "INSERT INTO contact_phones (contact_id, position, label, value, is_primary)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5)", error);
      else
        stmt = tesoro_db_prepare (self->db,
                                  "INSERT INTO contact_emails (contact_id, position, label, value, is_primary)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, contact_id);
      sqlite3_bind_int (stmt, 2, i);
      tesoro_db_bind_text_or_empty (stmt, 3, d->label);
      tesoro_db_bind_text_or_empty (stmt, 4, d->value);
      sqlite3_bind_int (stmt, 5, d->primary);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gint64
get_or_create_named (TesoroStore  *self,
                     const char   *insert_sql,
                     const char   *select_sql,
                     const char   *name,
                     GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 id = -1;

  stmt = tesoro_db_prepare (self->db, insert_sql, error);
  if (stmt == NULL)
    return -1;
  tesoro_db_bind_text (stmt, 1, name);
  if (!tesoro_db_step_done (self->db, stmt, error))
    return -1;

  stmt = tesoro_db_prepare (self->db, select_sql, error);
  if (stmt == NULL)
    return -1;
  tesoro_db_bind_text (stmt, 1, name);
  if (tesoro_db_step (self->db, stmt, error) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

static gboolean
insert_multi_values (TesoroStore    *self,
                     TesoroContact  *contact,
                     GError        **error)
{
  gint64 id = tesoro_contact_get_id (contact);
  GPtrArray *array;
  sqlite3_stmt *stmt;

  normalize_primary (tesoro_contact_get_emails (contact));
  normalize_primary (tesoro_contact_get_phones (contact));

  if (!insert_details (self, id, tesoro_contact_get_emails (contact), FALSE, error) ||
      !insert_details (self, id, tesoro_contact_get_phones (contact), TRUE, error))
    return FALSE;

  array = tesoro_contact_get_addresses (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroAddress *a = array->pdata[i];

      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO contact_addresses (contact_id, position, label, street,"
                                " postal_code, city, region, country) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, i);
      tesoro_db_bind_text_or_empty (stmt, 3, a->label);
      tesoro_db_bind_text_or_empty (stmt, 4, a->street);
      tesoro_db_bind_text_or_empty (stmt, 5, a->postal_code);
      tesoro_db_bind_text_or_empty (stmt, 6, a->city);
      tesoro_db_bind_text_or_empty (stmt, 7, a->region);
      tesoro_db_bind_text_or_empty (stmt, 8, a->country);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
    }

  array = tesoro_contact_get_custom_values (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroCustomValue *cv = array->pdata[i];
      gint64 field_id;

      field_id = get_or_create_named (self,
                                      "INSERT INTO custom_fields (name) VALUES (?1) ON CONFLICT DO NOTHING",
                                      "SELECT id FROM custom_fields WHERE name = ?1",
                                      cv->name, error);
      if (field_id < 0)
        return FALSE;

      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO contact_custom_values (contact_id, field_id, position, value)"
                                " VALUES (?1, ?2, ?3, ?4)"
                                " ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, field_id);
      sqlite3_bind_int (stmt, 3, i);
      tesoro_db_bind_text_or_empty (stmt, 4, cv->value);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
    }

  array = tesoro_contact_get_tags (contact);
  for (guint i = 0; i < array->len; i++)
    {
      gint64 tag_id;

      tag_id = get_or_create_named (self,
                                    "INSERT INTO tags (name) VALUES (?1) ON CONFLICT DO NOTHING",
                                    "SELECT id FROM tags WHERE name = ?1",
                                    array->pdata[i], error);
      if (tag_id < 0)
        return FALSE;

      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO contact_tags (contact_id, tag_id, position) VALUES (?1, ?2, ?3)"
                                " ON CONFLICT DO NOTHING",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, tag_id);
      sqlite3_bind_int (stmt, 3, i);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
delete_multi_values (TesoroStore  *self,
                     gint64        id,
                     GError      **error)
{
  static const char * const statements[] = {
    "DELETE FROM contact_emails WHERE contact_id = ?1",
    "DELETE FROM contact_phones WHERE contact_id = ?1",
    "DELETE FROM contact_addresses WHERE contact_id = ?1",
    "DELETE FROM contact_custom_values WHERE contact_id = ?1",
    "DELETE FROM contact_tags WHERE contact_id = ?1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      sqlite3_stmt *stmt = tesoro_db_prepare (self->db, statements[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static const char *
later (const char *a,
       const char *b)
{
  if (!has_text (a))
    return b;
  if (!has_text (b))
    return a;
  return strcmp (a, b) >= 0 ? a : b;
}

/* The newest date in the contact's history, for last_activity_at; what has
 * no date yet will be stamped @now. */
static const char *
newest_history_date (TesoroContact *contact,
                     const char    *start,
                     const char    *now)
{
  const char *newest = start;
  GPtrArray *array;

#define DATE_OR_NOW(d) (has_text (d) ? (d) : now)
  array = tesoro_contact_get_notes (contact);
  for (guint i = 0; i < array->len; i++)
    newest = later (newest, DATE_OR_NOW (((TesoroNote *) array->pdata[i])->created_at));
  array = tesoro_contact_get_messages (contact);
  for (guint i = 0; i < array->len; i++)
    newest = later (newest, DATE_OR_NOW (((TesoroMessage *) array->pdata[i])->at));
  array = tesoro_contact_get_tasks (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroTask *t = array->pdata[i];

      newest = later (newest, DATE_OR_NOW (t->created_at));
      if (t->done)
        newest = later (newest, DATE_OR_NOW (t->done_at));
    }
  array = tesoro_contact_get_activities (contact);
  for (guint i = 0; i < array->len; i++)
    newest = later (newest, DATE_OR_NOW (((TesoroActivity *) array->pdata[i])->at));
  array = tesoro_contact_get_consent (contact);
  for (guint i = 0; i < array->len; i++)
    newest = later (newest, DATE_OR_NOW (((TesoroConsentEvent *) array->pdata[i])->at));
#undef DATE_OR_NOW

  return newest;
}

static void
default_string (char       **field,
                const char  *value)
{
  if (!has_text (*field))
    tesoro_set_str (field, value);
}

static gboolean
insert_history (TesoroStore    *self,
                TesoroContact  *contact,
                const char     *now,
                gint64          actor_id,
                GError        **error)
{
  gint64 id = tesoro_contact_get_id (contact);
  GPtrArray *array;
  sqlite3_stmt *stmt;

  array = tesoro_contact_get_notes (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroNote *n = array->pdata[i];

      default_string (&n->created_at, now);
      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO notes (contact_id, body, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      tesoro_db_bind_text_or_empty (stmt, 2, n->body);
      tesoro_db_bind_text (stmt, 3, n->created_at);
      sqlite3_bind_int64 (stmt, 4, actor_id);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
      n->id = sqlite3_last_insert_rowid (tesoro_db_get_handle (self->db));
    }

  array = tesoro_contact_get_messages (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroMessage *m = array->pdata[i];

      default_string (&m->at, now);
      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO messages (contact_id, direction, address, subject, body, at, created_by)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      tesoro_db_bind_text (stmt, 2, m->direction);
      tesoro_db_bind_text_or_empty (stmt, 3, m->address);
      tesoro_db_bind_text_or_empty (stmt, 4, m->subject);
      tesoro_db_bind_text_or_empty (stmt, 5, m->body);
      tesoro_db_bind_text (stmt, 6, m->at);
      sqlite3_bind_int64 (stmt, 7, actor_id);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
      m->id = sqlite3_last_insert_rowid (tesoro_db_get_handle (self->db));
    }

  array = tesoro_contact_get_tasks (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroTask *t = array->pdata[i];

      default_string (&t->created_at, now);
      if (t->done)
        default_string (&t->done_at, now);
      else
        g_clear_pointer (&t->done_at, g_free);
      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO tasks (contact_id, title, due, done, done_at, created_at, created_by)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      tesoro_db_bind_text_or_empty (stmt, 2, t->title);
      tesoro_db_bind_text (stmt, 3, has_text (t->due) ? t->due : NULL);
      sqlite3_bind_int (stmt, 4, t->done);
      tesoro_db_bind_text (stmt, 5, t->done_at);
      tesoro_db_bind_text (stmt, 6, t->created_at);
      sqlite3_bind_int64 (stmt, 7, actor_id);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
      t->id = sqlite3_last_insert_rowid (tesoro_db_get_handle (self->db));
    }

  array = tesoro_contact_get_activities (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroActivity *a = array->pdata[i];

      default_string (&a->at, now);
      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO activities (contact_id, kind, summary, at, created_by)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      tesoro_db_bind_text (stmt, 2, a->kind);
      tesoro_db_bind_text_or_empty (stmt, 3, a->summary);
      tesoro_db_bind_text (stmt, 4, a->at);
      sqlite3_bind_int64 (stmt, 5, actor_id);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
      a->id = sqlite3_last_insert_rowid (tesoro_db_get_handle (self->db));
    }

  array = tesoro_contact_get_consent (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroConsentEvent *c = array->pdata[i];

      default_string (&c->at, now);
      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO consent_events (contact_id, purpose, granted, at, source, evidence,"
                                " recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      tesoro_db_bind_text (stmt, 2, c->purpose);
      sqlite3_bind_int (stmt, 3, c->granted);
      tesoro_db_bind_text (stmt, 4, c->at);
      tesoro_db_bind_text_or_empty (stmt, 5, c->source);
      tesoro_db_bind_text_or_empty (stmt, 6, c->evidence);
      sqlite3_bind_int64 (stmt, 7, actor_id);
      tesoro_db_bind_text (stmt, 8, now);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
      c->id = sqlite3_last_insert_rowid (tesoro_db_get_handle (self->db));
    }

  return TRUE;
}

/* In bulk mode the pending index rows are written when this many have
 * gathered (about 2 MB of JSON), and before anything else touches the
 * index. */
#define BULK_INDEX_ROWS 65536

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

/**
 * _tesoro_store_flush_index:
 *
 * Writes the index rows gathered in bulk mode, sorted by term: one
 * statement for many contacts, and pages of the index filled in order
 * rather than at random. Inside the caller's transaction.
 */
gboolean
_tesoro_store_flush_index (TesoroStore  *self,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  if (self->bulk_terms == NULL || self->bulk_n_terms == 0)
    return TRUE;

  g_string_append_c (self->bulk_terms, ']');
  stmt = tesoro_db_prepare (self->db,
                            "INSERT OR IGNORE INTO search_terms (term, contact_id)"
                            " SELECT json_extract (value, '$[0]'), json_extract (value, '$[1]')"
                            " FROM json_each (?1) ORDER BY 1, 2",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->bulk_terms->str, self->bulk_terms->len, SQLITE_STATIC);
  if (!tesoro_db_step_done (self->db, stmt, error))
    return FALSE;

  g_string_truncate (self->bulk_terms, 0);
  self->bulk_n_terms = 0;
  return TRUE;
}

/**
 * _tesoro_store_set_bulk_index:
 * @bulk: whether new contacts are indexed in bulk
 *
 * For an import inside one transaction: the index rows of new contacts
 * are gathered and written in batches. Call _tesoro_store_flush_index()
 * before the commit; turning bulk mode off drops what was not flushed
 * (after a rollback).
 */
void
_tesoro_store_set_bulk_index (TesoroStore *self,
                              gboolean     bulk)
{
  self->bulk_index = bulk;
  if (self->bulk_terms != NULL)
    g_string_truncate (self->bulk_terms, 0);
  self->bulk_n_terms = 0;
}

static gboolean
index_contact (TesoroStore    *self,
               TesoroContact  *contact,
               gboolean        fresh,
               GError        **error)
{
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree const char **list = NULL;
  gint64 id = tesoro_contact_get_id (contact);
  guint n_tokens = 0;
  GPtrArray *array;
  sqlite3_stmt *stmt;

  /* Rows still gathered for a bulk write may belong to this contact. */
  if (!fresh || !self->bulk_index)
    {
      if (!_tesoro_store_flush_index (self, error))
        return FALSE;
    }

  /* A contact inserted just now has no rows to remove. */
  if (!fresh)
    {
      stmt = tesoro_db_prepare (self->db, "DELETE FROM search_terms WHERE contact_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
    }

  tesoro_search_add_tokens (tokens, tesoro_contact_get_given_name (contact), TESORO_TOKEN_WORDS);
  tesoro_search_add_tokens (tokens, tesoro_contact_get_family_name (contact), TESORO_TOKEN_WORDS);
  tesoro_search_add_tokens (tokens, tesoro_contact_get_display_name (contact), TESORO_TOKEN_WORDS);
  tesoro_search_add_tokens (tokens, tesoro_contact_get_organization (contact), TESORO_TOKEN_WORDS);

  array = tesoro_contact_get_emails (contact);
  for (guint i = 0; i < array->len; i++)
    tesoro_search_add_tokens (tokens, ((TesoroDetail *) array->pdata[i])->value, TESORO_TOKEN_EMAIL);
  array = tesoro_contact_get_phones (contact);
  for (guint i = 0; i < array->len; i++)
    tesoro_search_add_tokens (tokens, ((TesoroDetail *) array->pdata[i])->value, TESORO_TOKEN_PHONE);
  array = tesoro_contact_get_addresses (contact);
  for (guint i = 0; i < array->len; i++)
    tesoro_search_add_tokens (tokens, ((TesoroAddress *) array->pdata[i])->city, TESORO_TOKEN_WORDS);

  if (fresh && self->bulk_index)
    {
      GHashTableIter iter;
      gpointer token;
      char id_text[24];
      int id_len = g_snprintf (id_text, sizeof id_text, "%" G_GINT64_FORMAT, id);

      if (self->bulk_terms == NULL)
        self->bulk_terms = g_string_sized_new (2 * 1024 * 1024 + 4096);

      g_hash_table_iter_init (&iter, tokens);
      while (g_hash_table_iter_next (&iter, &token, NULL))
        {
          g_string_append_c (self->bulk_terms, self->bulk_n_terms == 0 ? '[' : ',');
          g_string_append_c (self->bulk_terms, '[');
          append_json_string (self->bulk_terms, token);
          g_string_append_c (self->bulk_terms, ',');
          g_string_append_len (self->bulk_terms, id_text, id_len);
          g_string_append_c (self->bulk_terms, ']');
          self->bulk_n_terms++;
        }

      return self->bulk_n_terms < BULK_INDEX_ROWS || _tesoro_store_flush_index (self, error);
    }

  list = (const char **) g_hash_table_get_keys_as_array (tokens, &n_tokens);
  for (guint i = 0; i < n_tokens; i++)
    {
      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO search_terms (term, contact_id) VALUES (?1, ?2)"
                                " ON CONFLICT DO NOTHING",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, list[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * _tesoro_store_index_contact:
 *
 * Rewrites the contact's rows in the search index: names, organisation,
 * e-mail addresses, phone numbers and cities.
 */
gboolean
_tesoro_store_index_contact (TesoroStore    *self,
                             TesoroContact  *contact,
                             GError        **error)
{
  return index_contact (self, contact, FALSE, error);
}

static void
fill_display_name (TesoroContact *contact)
{
  if (!has_text (tesoro_contact_get_display_name (contact)))
    {
      g_autofree char *best = tesoro_contact_dup_best_name (contact);
      tesoro_contact_set_display_name (contact, best);
    }
}

/**
 * _tesoro_store_insert_contact:
 * @now: the time to stamp what has no date of its own
 *
 * Inserts a validated contact with all its parts inside the transaction
 * already open. Timestamps that the contact carries are kept, as an import
 * of historical data must.
 */
gboolean
_tesoro_store_insert_contact (TesoroStore    *self,
                              TesoroContact  *contact,
                              const char     *now,
                              GError        **error)
{
  g_autofree char *uid = NULL;
  g_autofree char *sort_key = NULL;
  const char *created_at, *updated_at, *last_activity_at;
  gint64 actor_id;
  sqlite3_stmt *stmt;
  int rc;

  actor_id = _tesoro_store_get_actor_id (self, error);
  if (actor_id < 0)
    return FALSE;

  if (!has_text (tesoro_contact_get_uid (contact)))
    {
      uid = tesoro_uuid_new ();
      tesoro_contact_set_uid (contact, uid);
    }

  fill_display_name (contact);
  sort_key = tesoro_fold (tesoro_contact_get_display_name (contact));

  created_at = has_text (tesoro_contact_get_created_at (contact)) ? tesoro_contact_get_created_at (contact) : now;
  tesoro_contact_set_created_at (contact, created_at);
  updated_at = has_text (tesoro_contact_get_updated_at (contact)) ? tesoro_contact_get_updated_at (contact)
                                                                  : tesoro_contact_get_created_at (contact);
  tesoro_contact_set_updated_at (contact, updated_at);

  /* Known before the insert, so that the row is written once: history
   * without a date of its own is stamped @now by insert_history(). */
  last_activity_at = has_text (tesoro_contact_get_last_activity_at (contact))
                       ? tesoro_contact_get_last_activity_at (contact)
                       : newest_history_date (contact, tesoro_contact_get_updated_at (contact), now);
  tesoro_contact_set_last_activity_at (contact, last_activity_at);

  stmt = tesoro_db_prepare (self->db,
                            "INSERT INTO contacts (uid, given_name, family_name, display_name, organization,"
                            " job_title, birthday, lawful_basis, restricted, legal_hold, legal_hold_reason,"
                            " sort_key, created_at, updated_at, last_activity_at, trashed_at, created_by, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
                            error);
  if (stmt == NULL)
    return FALSE;

  tesoro_db_bind_text (stmt, 1, tesoro_contact_get_uid (contact));
  tesoro_db_bind_text_or_empty (stmt, 2, tesoro_contact_get_given_name (contact));
  tesoro_db_bind_text_or_empty (stmt, 3, tesoro_contact_get_family_name (contact));
  tesoro_db_bind_text_or_empty (stmt, 4, tesoro_contact_get_display_name (contact));
  tesoro_db_bind_text_or_empty (stmt, 5, tesoro_contact_get_organization (contact));
  tesoro_db_bind_text_or_empty (stmt, 6, tesoro_contact_get_job_title (contact));
  tesoro_db_bind_text (stmt, 7, has_text (tesoro_contact_get_birthday (contact)) ? tesoro_contact_get_birthday (contact) : NULL);
  tesoro_db_bind_text (stmt, 8, has_text (tesoro_contact_get_lawful_basis (contact)) ? tesoro_contact_get_lawful_basis (contact) : NULL);
  sqlite3_bind_int (stmt, 9, tesoro_contact_get_restricted (contact));
  sqlite3_bind_int (stmt, 10, tesoro_contact_get_legal_hold (contact));
  tesoro_db_bind_text (stmt, 11, has_text (tesoro_contact_get_legal_hold_reason (contact)) ? tesoro_contact_get_legal_hold_reason (contact) : NULL);
  sqlite3_bind_text (stmt, 12, sort_key, -1, SQLITE_STATIC);
  tesoro_db_bind_text (stmt, 13, tesoro_contact_get_created_at (contact));
  tesoro_db_bind_text (stmt, 14, tesoro_contact_get_updated_at (contact));
  tesoro_db_bind_text (stmt, 15, tesoro_contact_get_last_activity_at (contact));
  tesoro_db_bind_text (stmt, 16, has_text (tesoro_contact_get_trashed_at (contact)) ? tesoro_contact_get_trashed_at (contact) : NULL);
  sqlite3_bind_int64 (stmt, 17, actor_id);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (rc == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("A contact with uid %s already exists"), tesoro_contact_get_uid (contact));
      else
        tesoro_db_set_error (self->db, error, rc, _("Cannot save the contact"));
      return FALSE;
    }

  tesoro_contact_set_id (contact, sqlite3_last_insert_rowid (tesoro_db_get_handle (self->db)));

  return insert_multi_values (self, contact, error) &&
         insert_history (self, contact, now, actor_id, error) &&
         index_contact (self, contact, TRUE, error);
}

/**
 * tesoro_store_add_contact:
 * @contact: a new contact; on success its id, uid and timestamps are set
 *
 * Stores a contact with its details, custom fields, tags and history, in
 * one transaction.
 */
gboolean
tesoro_store_add_contact (TesoroStore    *self,
                          TesoroContact  *contact,
                          GError        **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (TESORO_IS_CONTACT (contact), FALSE);

  if (!tesoro_contact_validate (contact, error))
    return FALSE;

  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  now = tesoro_now_iso ();
  tesoro_contact_set_id (contact, 0);

  if (!_tesoro_store_insert_contact (self, contact, now, error) ||
      !tesoro_db_commit (self->db, error))
    {
      if (tesoro_db_in_transaction (self->db))
        tesoro_db_rollback (self->db);
      tesoro_contact_set_id (contact, 0);
      return FALSE;
    }

  _tesoro_store_emit_changed (self, tesoro_contact_get_id (contact), TESORO_CHANGE_ADDED);
  return TRUE;
}

/**
 * _tesoro_store_check_writable_contact:
 *
 * A contact can be changed if it exists, is not in the trash and its
 * processing is not restricted (GDPR Art. 18).
 */
gboolean
_tesoro_store_check_writable_contact (TesoroStore  *self,
                                      gint64        id,
                                      GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean restricted, trashed;
  int rc;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT restricted, trashed_at IS NOT NULL FROM contacts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = tesoro_db_step (self->db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return not_found (error, id);
    }
  restricted = sqlite3_column_int (stmt, 0);
  trashed = sqlite3_column_int (stmt, 1);
  sqlite3_reset (stmt);

  if (restricted)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED,
                   _("Processing of this contact is restricted: it cannot be changed until the restriction is lifted"));
      return FALSE;
    }
  if (trashed)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("This contact is in the trash: restore it to change it"));
      return FALSE;
    }

  return TRUE;
}

/**
 * _tesoro_store_touch_contact:
 * @at: the moment of the activity
 * @edited: whether the contact's own fields changed (sets updated_at)
 *
 * Moves last_activity_at forward (never back) after a note, message, task,
 * activity or edit; retention counts inactivity from it.
 */
gboolean
_tesoro_store_touch_contact (TesoroStore  *self,
                             gint64        id,
                             const char   *at,
                             gboolean      edited,
                             GError      **error)
{
  g_autofree char *now = tesoro_now_iso ();
  gint64 actor_id = _tesoro_store_get_actor_id (self, error);
  sqlite3_stmt *stmt;

  if (actor_id < 0)
    return FALSE;

  if (edited)
    stmt = tesoro_db_prepare (self->db,
                              "UPDATE contacts SET last_activity_at = max (last_activity_at, ?2),"
                              " updated_at = ?3, updated_by = ?4 WHERE id = ?1", error);
  else
    stmt = tesoro_db_prepare (self->db,
                              "UPDATE contacts SET last_activity_at = max (last_activity_at, ?2) WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  tesoro_db_bind_text (stmt, 2, at != NULL ? at : now);
  if (edited)
    {
      tesoro_db_bind_text (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, actor_id);
    }

  return tesoro_db_step_done (self->db, stmt, error);
}

/**
 * tesoro_store_update_contact:
 * @contact: the contact with its new values (its id names the row)
 *
 * Saves the contact's fields, e-mail addresses, phones, addresses, custom
 * fields and tags. The history is changed only by its own functions.
 */
gboolean
tesoro_store_update_contact (TesoroStore    *self,
                             TesoroContact  *contact,
                             GError        **error)
{
  g_autofree char *sort_key = NULL;
  gint64 id;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (TESORO_IS_CONTACT (contact), FALSE);

  id = tesoro_contact_get_id (contact);
  if (!tesoro_contact_validate (contact, error))
    return FALSE;

  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  /* A change of lawful basis goes into the accountability log. */
  if (!_tesoro_store_check_writable_contact (self, id, error) ||
      !_tesoro_gdpr_audit_lawful_basis (self, id, tesoro_contact_get_lawful_basis (contact), error))
    goto failed;

  if (!has_text (tesoro_contact_get_display_name (contact)))
    fill_display_name (contact);
  sort_key = tesoro_fold (tesoro_contact_get_display_name (contact));

  stmt = tesoro_db_prepare (self->db,
                            "UPDATE contacts SET given_name = ?2, family_name = ?3, display_name = ?4,"
                            " organization = ?5, job_title = ?6, birthday = ?7, lawful_basis = ?8, sort_key = ?9"
                            " WHERE id = ?1",
                            error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  tesoro_db_bind_text_or_empty (stmt, 2, tesoro_contact_get_given_name (contact));
  tesoro_db_bind_text_or_empty (stmt, 3, tesoro_contact_get_family_name (contact));
  tesoro_db_bind_text_or_empty (stmt, 4, tesoro_contact_get_display_name (contact));
  tesoro_db_bind_text_or_empty (stmt, 5, tesoro_contact_get_organization (contact));
  tesoro_db_bind_text_or_empty (stmt, 6, tesoro_contact_get_job_title (contact));
  tesoro_db_bind_text (stmt, 7, has_text (tesoro_contact_get_birthday (contact)) ? tesoro_contact_get_birthday (contact) : NULL);
  tesoro_db_bind_text (stmt, 8, has_text (tesoro_contact_get_lawful_basis (contact)) ? tesoro_contact_get_lawful_basis (contact) : NULL);
  sqlite3_bind_text (stmt, 9, sort_key, -1, SQLITE_STATIC);

  if (!tesoro_db_step_done (self->db, stmt, error) ||
      !delete_multi_values (self, id, error) ||
      !insert_multi_values (self, contact, error) ||
      !_tesoro_store_index_contact (self, contact, error) ||
      !_tesoro_store_touch_contact (self, id, NULL, TRUE, error) ||
      !tesoro_db_commit (self->db, error))
    goto failed;

  _tesoro_store_emit_changed (self, id, TESORO_CHANGE_UPDATED);
  return TRUE;

failed:
  if (tesoro_db_in_transaction (self->db))
    tesoro_db_rollback (self->db);
  return FALSE;
}

/* Reading contacts */

static void
read_contact_row (TesoroContact *contact,
                  sqlite3_stmt  *stmt)
{
  tesoro_contact_set_id (contact, sqlite3_column_int64 (stmt, 0));
  tesoro_contact_set_uid (contact, tesoro_db_column_text (stmt, 1));
  tesoro_contact_set_given_name (contact, tesoro_db_column_text (stmt, 2));
  tesoro_contact_set_family_name (contact, tesoro_db_column_text (stmt, 3));
  tesoro_contact_set_display_name (contact, tesoro_db_column_text (stmt, 4));
  tesoro_contact_set_organization (contact, tesoro_db_column_text (stmt, 5));
  tesoro_contact_set_job_title (contact, tesoro_db_column_text (stmt, 6));
  tesoro_contact_set_birthday (contact, tesoro_db_column_text (stmt, 7));
  tesoro_contact_set_lawful_basis (contact, tesoro_db_column_text (stmt, 8));
  tesoro_contact_set_restricted (contact, sqlite3_column_int (stmt, 9));
  tesoro_contact_set_legal_hold (contact, sqlite3_column_int (stmt, 10));
  tesoro_contact_set_legal_hold_reason (contact, tesoro_db_column_text (stmt, 11));
  tesoro_contact_set_created_at (contact, tesoro_db_column_text (stmt, 12));
  tesoro_contact_set_updated_at (contact, tesoro_db_column_text (stmt, 13));
  tesoro_contact_set_last_activity_at (contact, tesoro_db_column_text (stmt, 14));
  tesoro_contact_set_trashed_at (contact, tesoro_db_column_text (stmt, 15));
}

static gboolean
load_details (TesoroStore  *self,
              gint64        id,
              const char   *sql,
              GPtrArray    *into,
              GError      **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (self->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (into, tesoro_detail_new (tesoro_db_column_text (stmt, 0),
                                              tesoro_db_column_text (stmt, 1),
                                              sqlite3_column_int (stmt, 2)));
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
load_parts (TesoroStore    *self,
            TesoroContact  *contact,
            GError        **error)
{
  gint64 id = tesoro_contact_get_id (contact);
  sqlite3_stmt *stmt;
  int rc;

  if (!load_details (self, id,
                     "SELECT label, value, is_primary FROM contact_emails WHERE contact_id = ?1 ORDER BY position",
                     tesoro_contact_get_emails (contact), error) ||
      !load_details (self, id,
                     "SELECT label, value, is_primary FROM contact_phones WHERE contact_id = ?1 ORDER BY position",
                     tesoro_contact_get_phones (contact), error))
    return FALSE;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT label, street, postal_code, city, region, country FROM contact_addresses"
                            " WHERE contact_id = ?1 ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      TesoroAddress *a = tesoro_address_new ();

      a->label = tesoro_db_column_dup (stmt, 0);
      a->street = tesoro_db_column_dup (stmt, 1);
      a->postal_code = tesoro_db_column_dup (stmt, 2);
      a->city = tesoro_db_column_dup (stmt, 3);
      a->region = tesoro_db_column_dup (stmt, 4);
      a->country = tesoro_db_column_dup (stmt, 5);
      g_ptr_array_add (tesoro_contact_get_addresses (contact), a);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT f.name, v.value FROM contact_custom_values v"
                            " JOIN custom_fields f ON f.id = v.field_id"
                            " WHERE v.contact_id = ?1 ORDER BY v.position, f.name", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (tesoro_contact_get_custom_values (contact),
                     tesoro_custom_value_new (tesoro_db_column_text (stmt, 0),
                                              tesoro_db_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                            " WHERE ct.contact_id = ?1 ORDER BY ct.position, t.name", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (tesoro_contact_get_tags (contact), tesoro_db_column_dup (stmt, 0));
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
load_history (TesoroStore    *self,
              TesoroContact  *contact,
              GError        **error)
{
  gint64 id = tesoro_contact_get_id (contact);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT n.id, n.body, n.created_at, u.login FROM notes n"
                            " LEFT JOIN users u ON u.id = n.created_by WHERE n.contact_id = ?1 ORDER BY n.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      TesoroNote *n = tesoro_note_new ();

      n->id = sqlite3_column_int64 (stmt, 0);
      n->body = tesoro_db_column_dup (stmt, 1);
      n->created_at = tesoro_db_column_dup (stmt, 2);
      n->author = tesoro_db_column_dup (stmt, 3);
      g_ptr_array_add (tesoro_contact_get_notes (contact), n);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT m.id, m.direction, m.address, m.subject, m.body, m.at, u.login FROM messages m"
                            " LEFT JOIN users u ON u.id = m.created_by WHERE m.contact_id = ?1 ORDER BY m.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      TesoroMessage *m = tesoro_message_new ();

      m->id = sqlite3_column_int64 (stmt, 0);
      m->direction = tesoro_db_column_dup (stmt, 1);
      m->address = tesoro_db_column_dup (stmt, 2);
      m->subject = tesoro_db_column_dup (stmt, 3);
      m->body = tesoro_db_column_dup (stmt, 4);
      m->at = tesoro_db_column_dup (stmt, 5);
      m->author = tesoro_db_column_dup (stmt, 6);
      g_ptr_array_add (tesoro_contact_get_messages (contact), m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT t.id, t.title, t.due, t.done, t.done_at, t.created_at, u.login FROM tasks t"
                            " LEFT JOIN users u ON u.id = t.created_by WHERE t.contact_id = ?1 ORDER BY t.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      TesoroTask *t = tesoro_task_new ();

      t->id = sqlite3_column_int64 (stmt, 0);
      t->title = tesoro_db_column_dup (stmt, 1);
      t->due = tesoro_db_column_dup (stmt, 2);
      t->done = sqlite3_column_int (stmt, 3);
      t->done_at = tesoro_db_column_dup (stmt, 4);
      t->created_at = tesoro_db_column_dup (stmt, 5);
      t->author = tesoro_db_column_dup (stmt, 6);
      g_ptr_array_add (tesoro_contact_get_tasks (contact), t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT a.id, a.kind, a.summary, a.at, u.login FROM activities a"
                            " LEFT JOIN users u ON u.id = a.created_by WHERE a.contact_id = ?1 ORDER BY a.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      TesoroActivity *a = tesoro_activity_new ();

      a->id = sqlite3_column_int64 (stmt, 0);
      a->kind = tesoro_db_column_dup (stmt, 1);
      a->summary = tesoro_db_column_dup (stmt, 2);
      a->at = tesoro_db_column_dup (stmt, 3);
      a->author = tesoro_db_column_dup (stmt, 4);
      g_ptr_array_add (tesoro_contact_get_activities (contact), a);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT c.id, c.purpose, c.granted, c.at, c.source, c.evidence, u.login, c.recorded_at"
                            " FROM consent_events c LEFT JOIN users u ON u.id = c.recorded_by"
                            " WHERE c.contact_id = ?1 ORDER BY c.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      TesoroConsentEvent *c = tesoro_consent_event_new ();

      c->id = sqlite3_column_int64 (stmt, 0);
      c->purpose = tesoro_db_column_dup (stmt, 1);
      c->granted = sqlite3_column_int (stmt, 2);
      c->at = tesoro_db_column_dup (stmt, 3);
      c->source = tesoro_db_column_dup (stmt, 4);
      c->evidence = tesoro_db_column_dup (stmt, 5);
      c->recorded_by = tesoro_db_column_dup (stmt, 6);
      c->recorded_at = tesoro_db_column_dup (stmt, 7);
      g_ptr_array_add (tesoro_contact_get_consent (contact), c);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/* The current state of marketing consent, derived from the ledger: the
 * newest event decides. */
static void
derive_consent_state (TesoroContact *contact)
{
  GPtrArray *events = tesoro_contact_get_consent (contact);
  TesoroConsentEvent *newest = NULL;

  for (guint i = 0; i < events->len; i++)
    {
      TesoroConsentEvent *c = events->pdata[i];

      if (g_strcmp0 (c->purpose, "marketing-email") != 0)
        continue;
      if (newest == NULL || g_strcmp0 (c->at, newest->at) >= 0)
        newest = c;
    }

  tesoro_contact_set_consent_state (contact,
                                    newest == NULL ? "unknown" : newest->granted ? "granted" : "withdrawn");
}

/**
 * tesoro_store_get_contact:
 *
 * Returns: (transfer full) (nullable): the whole contact with its history
 */
TesoroContact *
tesoro_store_get_contact (TesoroStore  *self,
                          gint64        id,
                          GError      **error)
{
  g_autoptr(TesoroContact) contact = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  stmt = tesoro_db_prepare (self->db,
                            "SELECT id, uid, given_name, family_name, display_name, organization, job_title,"
                            " birthday, lawful_basis, restricted, legal_hold, legal_hold_reason, created_at,"
                            " updated_at, last_activity_at, trashed_at FROM contacts WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = tesoro_db_step (self->db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      not_found (error, id);
      return NULL;
    }

  contact = tesoro_contact_new ();
  read_contact_row (contact, stmt);
  sqlite3_reset (stmt);

  if (!load_parts (self, contact, error) || !load_history (self, contact, error))
    return NULL;

  derive_consent_state (contact);
  return g_steal_pointer (&contact);
}

/**
 * tesoro_store_lookup_contact:
 * @id_or_uid: a contact's id ("12") or uid
 *
 * Returns: (transfer full) (nullable): the whole contact
 */
TesoroContact *
tesoro_store_lookup_contact (TesoroStore  *self,
                             const char   *id_or_uid,
                             GError      **error)
{
  guint64 id = 0;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_uid != NULL, NULL);

  if (tesoro_is_valid_uid (id_or_uid))
    {
      sqlite3_stmt *stmt = tesoro_db_prepare (self->db, "SELECT id FROM contacts WHERE uid = ?1", error);
      int rc;

      if (stmt == NULL)
        return NULL;
      tesoro_db_bind_text (stmt, 1, id_or_uid);
      rc = tesoro_db_step (self->db, stmt, error);
      if (rc < 0)
        return NULL;
      if (rc == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);

      if (id == 0)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
                       _("There is no contact with uid %s"), id_or_uid);
          return NULL;
        }
    }
  else if (!g_ascii_string_to_unsigned (id_or_uid, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.40s” is neither a contact id (a number) nor a uid"), id_or_uid);
      return NULL;
    }

  return tesoro_store_get_contact (self, (gint64) id, error);
}

static gboolean
set_trashed (TesoroStore  *self,
             gint64        id,
             gboolean      trash,
             GError      **error)
{
  g_autofree char *now = tesoro_now_iso ();
  sqlite3_stmt *stmt;

  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  if (trash)
    stmt = tesoro_db_prepare (self->db,
                              "UPDATE contacts SET trashed_at = ?2 WHERE id = ?1 AND trashed_at IS NULL", error);
  else
    stmt = tesoro_db_prepare (self->db,
                              "UPDATE contacts SET trashed_at = NULL WHERE id = ?1 AND trashed_at IS NOT NULL", error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, id);
  if (trash)
    tesoro_db_bind_text (stmt, 2, now);
  if (!tesoro_db_step_done (self->db, stmt, error))
    goto failed;

  if (sqlite3_changes (tesoro_db_get_handle (self->db)) == 0)
    {
      gint64 exists = 0;

      stmt = tesoro_db_prepare (self->db, "SELECT count(*) FROM contacts WHERE id = ?1", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, id);
      if (tesoro_db_step (self->db, stmt, error) == SQLITE_ROW)
        exists = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);

      if (!exists)
        not_found (error, id);
      else
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     trash ? _("Contact %" PRId64 " is already in the trash")
                           : _("Contact %" PRId64 " is not in the trash"), id);
      goto failed;
    }

  if (!tesoro_db_commit (self->db, error))
    goto failed;

  _tesoro_store_emit_changed (self, id, trash ? TESORO_CHANGE_TRASHED : TESORO_CHANGE_RESTORED);
  return TRUE;

failed:
  if (tesoro_db_in_transaction (self->db))
    tesoro_db_rollback (self->db);
  return FALSE;
}

/**
 * tesoro_store_trash_contact:
 *
 * Moves a contact to the trash. This is not erasure: the contact can be
 * restored until the trash is emptied.
 */
gboolean
tesoro_store_trash_contact (TesoroStore  *self,
                            gint64        id,
                            GError      **error)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  return set_trashed (self, id, TRUE, error);
}

gboolean
tesoro_store_restore_contact (TesoroStore  *self,
                              gint64        id,
                              GError      **error)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  return set_trashed (self, id, FALSE, error);
}

gint64
tesoro_store_count_contacts (TesoroStore  *self,
                             gboolean      trash,
                             GError      **error)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), -1);

  if (trash)
    return tesoro_db_query_int (self->db, "SELECT count(*) FROM contacts WHERE trashed_at IS NOT NULL", error);
  return tesoro_db_query_int (self->db, "SELECT count(*) FROM contacts WHERE trashed_at IS NULL", error);
}

/* History */

static gint64
finish_history_insert (TesoroStore   *self,
                       sqlite3_stmt  *stmt,
                       gint64         contact_id,
                       const char    *at,
                       GError       **error)
{
  gint64 row_id;

  if (stmt == NULL || !tesoro_db_step_done (self->db, stmt, error))
    goto failed;
  row_id = sqlite3_last_insert_rowid (tesoro_db_get_handle (self->db));

  if (!_tesoro_store_touch_contact (self, contact_id, at, FALSE, error) ||
      !tesoro_db_commit (self->db, error))
    goto failed;

  _tesoro_store_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return row_id;

failed:
  if (tesoro_db_in_transaction (self->db))
    tesoro_db_rollback (self->db);
  return -1;
}

static gboolean
begin_history_write (TesoroStore  *self,
                     gint64        contact_id,
                     gint64       *actor_id,
                     GError      **error)
{
  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  *actor_id = _tesoro_store_get_actor_id (self, error);
  if (*actor_id < 0 || !_tesoro_store_check_writable_contact (self, contact_id, error))
    {
      tesoro_db_rollback (self->db);
      return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_store_add_note:
 *
 * Returns: the note's id, or -1 with @error set
 */
gint64
tesoro_store_add_note (TesoroStore  *self,
                       gint64        contact_id,
                       const char   *body,
                       GError      **error)
{
  g_autofree char *now = tesoro_now_iso ();
  sqlite3_stmt *stmt;
  gint64 actor_id;

  g_return_val_if_fail (TESORO_IS_STORE (self), -1);

  if (body == NULL || *body == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The note is empty"));
      return -1;
    }
  if (!tesoro_check_text ("body", body, TESORO_MAX_LONG_TEXT, error) ||
      !begin_history_write (self, contact_id, &actor_id, error))
    return -1;

  stmt = tesoro_db_prepare (self->db,
                            "INSERT INTO notes (contact_id, body, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, contact_id);
      tesoro_db_bind_text (stmt, 2, body);
      tesoro_db_bind_text (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, actor_id);
    }

  return finish_history_insert (self, stmt, contact_id, now, error);
}

/**
 * tesoro_store_add_message:
 * @message: the logged message; a missing date means now
 *
 * Returns: the message's id, or -1 with @error set
 */
gint64
tesoro_store_add_message (TesoroStore          *self,
                          gint64                contact_id,
                          const TesoroMessage  *message,
                          GError              **error)
{
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *at = NULL;
  sqlite3_stmt *stmt;
  gint64 actor_id;

  g_return_val_if_fail (TESORO_IS_STORE (self), -1);
  g_return_val_if_fail (message != NULL, -1);

  if (g_strcmp0 (message->direction, "in") != 0 && g_strcmp0 (message->direction, "out") != 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("A message is either incoming or outgoing"));
      return -1;
    }
  if (!has_text (message->subject) && !has_text (message->body))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The message has neither a subject nor a text"));
      return -1;
    }
  if (!tesoro_check_text ("address", message->address, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text ("subject", message->subject, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text ("body", message->body, TESORO_MAX_LONG_TEXT, error))
    return -1;

  if (has_text (message->at))
    {
      at = tesoro_normalize_timestamp (message->at, FALSE, error);
      if (at == NULL)
        return -1;
    }
  else
    at = g_strdup (now);

  if (!begin_history_write (self, contact_id, &actor_id, error))
    return -1;

  stmt = tesoro_db_prepare (self->db,
                            "INSERT INTO messages (contact_id, direction, address, subject, body, at, created_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, contact_id);
      tesoro_db_bind_text (stmt, 2, message->direction);
      tesoro_db_bind_text_or_empty (stmt, 3, message->address);
      tesoro_db_bind_text_or_empty (stmt, 4, message->subject);
      tesoro_db_bind_text_or_empty (stmt, 5, message->body);
      tesoro_db_bind_text (stmt, 6, at);
      sqlite3_bind_int64 (stmt, 7, actor_id);
    }

  return finish_history_insert (self, stmt, contact_id, at, error);
}

/**
 * tesoro_store_add_task:
 * @due: (nullable): the due date, `2024-03-01` or a timestamp
 *
 * Returns: the task's id, or -1 with @error set
 */
gint64
tesoro_store_add_task (TesoroStore  *self,
                       gint64        contact_id,
                       const char   *title,
                       const char   *due,
                       GError      **error)
{
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *due_normalized = NULL;
  sqlite3_stmt *stmt;
  gint64 actor_id;

  g_return_val_if_fail (TESORO_IS_STORE (self), -1);

  if (!has_text (title))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The task has no title"));
      return -1;
    }
  if (!tesoro_check_text ("title", title, TESORO_MAX_SHORT_TEXT, error))
    return -1;
  if (has_text (due))
    {
      due_normalized = tesoro_normalize_timestamp (due, TRUE, error);
      if (due_normalized == NULL)
        return -1;
    }

  if (!begin_history_write (self, contact_id, &actor_id, error))
    return -1;

  stmt = tesoro_db_prepare (self->db,
                            "INSERT INTO tasks (contact_id, title, due, created_at, created_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, contact_id);
      tesoro_db_bind_text (stmt, 2, title);
      tesoro_db_bind_text (stmt, 3, due_normalized);
      tesoro_db_bind_text (stmt, 4, now);
      sqlite3_bind_int64 (stmt, 5, actor_id);
    }

  return finish_history_insert (self, stmt, contact_id, now, error);
}

gboolean
tesoro_store_set_task_done (TesoroStore  *self,
                            gint64        task_id,
                            gboolean      done,
                            GError      **error)
{
  g_autofree char *now = tesoro_now_iso ();
  sqlite3_stmt *stmt;
  gint64 contact_id = 0;
  gint64 actor_id;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  stmt = tesoro_db_prepare (self->db, "SELECT contact_id FROM tasks WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, task_id);
  rc = tesoro_db_step (self->db, stmt, error);
  if (rc == SQLITE_ROW)
    contact_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  if (contact_id == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
                   _("There is no task with id %" PRId64), task_id);
      return FALSE;
    }

  if (!begin_history_write (self, contact_id, &actor_id, error))
    return FALSE;

  stmt = tesoro_db_prepare (self->db,
                            "UPDATE tasks SET done = ?2, done_at = CASE WHEN ?2 THEN ?3 ELSE NULL END WHERE id = ?1",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, task_id);
      sqlite3_bind_int (stmt, 2, !!done);
      tesoro_db_bind_text (stmt, 3, now);
    }

  return finish_history_insert (self, stmt, contact_id, now, error) >= 0;
}

/**
 * tesoro_store_add_activity:
 * @kind: "call", "meeting", or "system" for events Tesoro records itself
 * @at: (nullable): when it happened; %NULL means now
 *
 * Returns: the activity's id, or -1 with @error set
 */
gint64
tesoro_store_add_activity (TesoroStore  *self,
                           gint64        contact_id,
                           const char   *kind,
                           const char   *summary,
                           const char   *at,
                           GError      **error)
{
  g_autofree char *when = NULL;
  sqlite3_stmt *stmt;
  gint64 actor_id;

  g_return_val_if_fail (TESORO_IS_STORE (self), -1);

  if (!has_text (kind))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The activity has no kind"));
      return -1;
    }
  if (!tesoro_check_text ("kind", kind, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text ("summary", summary, TESORO_MAX_LONG_TEXT, error))
    return -1;

  when = has_text (at) ? tesoro_normalize_timestamp (at, FALSE, error) : tesoro_now_iso ();
  if (when == NULL)
    return -1;

  if (!begin_history_write (self, contact_id, &actor_id, error))
    return -1;

  stmt = tesoro_db_prepare (self->db,
                            "INSERT INTO activities (contact_id, kind, summary, at, created_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, contact_id);
      tesoro_db_bind_text (stmt, 2, kind);
      tesoro_db_bind_text_or_empty (stmt, 3, summary);
      tesoro_db_bind_text (stmt, 4, when);
      sqlite3_bind_int64 (stmt, 5, actor_id);
    }

  return finish_history_insert (self, stmt, contact_id, when, error);
}

/* Lists and search */

static GArray *
collect_ids (TesoroStore   *self,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

/**
 * tesoro_store_list_ids:
 * @trash: list the trash (newest first) rather than the contacts (by name)
 *
 * Returns: (transfer full) (element-type gint64): the ids in display order
 */
GArray *
tesoro_store_list_ids (TesoroStore  *self,
                       gboolean      trash,
                       GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  if (trash)
    stmt = tesoro_db_prepare (self->db,
                              "SELECT id FROM contacts WHERE trashed_at IS NOT NULL ORDER BY trashed_at DESC, id DESC",
                              error);
  else
    stmt = tesoro_db_prepare (self->db,
                              "SELECT id FROM contacts INDEXED BY contacts_by_name"
                              " WHERE trashed_at IS NULL ORDER BY sort_key, id",
                              error);
  if (stmt == NULL)
    return NULL;

  return collect_ids (self, stmt, error);
}

/**
 * tesoro_store_search_ids:
 * @query: what the user typed; every word must match the start of a word of
 *   the name, organisation, e-mail address, phone number or city
 *
 * The straightforward SQL form of search, for the command line and for
 * checking the list model's faster in-memory search.
 *
 * Returns: (transfer full) (element-type gint64): the matching ids in display order
 */
GArray *
tesoro_store_search_ids (TesoroStore  *self,
                         const char   *query,
                         gboolean      trash,
                         GError      **error)
{
  g_autoptr(GPtrArray) prefixes = tesoro_search_parse_query (query);
  g_autoptr(GPtrArray) ends = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  GArray *ids;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  if (prefixes->len == 0)
    return tesoro_store_list_ids (self, trash, error);

  g_string_append (sql, "SELECT id FROM contacts WHERE ");
  g_string_append (sql, trash ? "trashed_at IS NOT NULL" : "trashed_at IS NULL");
  g_string_append (sql, " AND id IN (");
  for (guint i = 0; i < prefixes->len; i++)
    {
      if (i > 0)
        g_string_append (sql, " INTERSECT ");
      g_string_append_printf (sql, "SELECT contact_id FROM search_terms WHERE term >= ?%u AND term < ?%u",
                              2 * i + 1, 2 * i + 2);
      g_ptr_array_add (ends, tesoro_search_prefix_end (prefixes->pdata[i]));
    }
  g_string_append (sql, trash ? ") ORDER BY trashed_at DESC, id DESC" : ") ORDER BY sort_key, id");

  rc = sqlite3_prepare_v2 (tesoro_db_get_handle (self->db), sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (self->db, error, rc, NULL);
      return NULL;
    }

  for (guint i = 0; i < prefixes->len; i++)
    {
      sqlite3_bind_text (stmt, 2 * i + 1, prefixes->pdata[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2 * i + 2, ends->pdata[i], -1, SQLITE_STATIC);
    }

  ids = collect_ids (self, stmt, error);
  sqlite3_finalize (stmt);

  return ids;
}

/**
 * tesoro_store_foreach_match:
 * @prefix: one folded prefix from tesoro_search_parse_query()
 * @func: called for each matching contact id (possibly more than once)
 *
 * The raw index scan behind the list model's search.
 */
gboolean
tesoro_store_foreach_match (TesoroStore   *self,
                            const char    *prefix,
                            TesoroIdFunc   func,
                            gpointer       user_data,
                            GError       **error)
{
  g_autofree char *end = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (prefix != NULL && *prefix != '\0', FALSE);

  end = tesoro_search_prefix_end (prefix);
  stmt = tesoro_db_prepare (self->db,
                            "SELECT contact_id FROM search_terms WHERE term >= ?1 AND term < ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, end, -1, SQLITE_STATIC);

  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    func (sqlite3_column_int64 (stmt, 0), user_data);
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/**
 * tesoro_store_contact_matches:
 * @prefixes: (element-type utf8): from tesoro_search_parse_query()
 *
 * Returns: whether contact @id matches every prefix
 */
gboolean
tesoro_store_contact_matches (TesoroStore  *self,
                              gint64        id,
                              GPtrArray    *prefixes,
                              GError      **error)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  for (guint i = 0; i < prefixes->len; i++)
    {
      g_autofree char *end = tesoro_search_prefix_end (prefixes->pdata[i]);
      sqlite3_stmt *stmt;
      int rc;

      stmt = tesoro_db_prepare (self->db,
                                "SELECT 1 FROM search_terms INDEXED BY search_terms_by_contact"
                                " WHERE contact_id = ?1 AND term >= ?2 AND term < ?3 LIMIT 1",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, prefixes->pdata[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, end, -1, SQLITE_STATIC);
      rc = tesoro_db_step (self->db, stmt, error);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_store_get_sort_key:
 * @trashed: (out) (optional): whether the contact is in the trash
 *
 * Returns: (transfer full) (nullable): the key the list is sorted by, or
 * %NULL if there is no such contact
 */
char *
tesoro_store_get_sort_key (TesoroStore  *self,
                           gint64        id,
                           gboolean     *trashed,
                           GError      **error)
{
  sqlite3_stmt *stmt;
  char *key = NULL;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  stmt = tesoro_db_prepare (self->db,
                            "SELECT sort_key, trashed_at IS NOT NULL FROM contacts WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (tesoro_db_step (self->db, stmt, error) == SQLITE_ROW)
    {
      key = tesoro_db_column_dup (stmt, 0);
      if (trashed != NULL)
        *trashed = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);

  return key;
}

/**
 * tesoro_store_load_summaries:
 * @ids: (array length=n_ids): contact ids
 *
 * Loads what a list row shows (name, organisation, primary e-mail address,
 * restriction and consent), not the whole contact.
 *
 * Returns: (transfer full) (element-type TesoroContact): one contact per id
 * that still exists, in the order of @ids
 */
GPtrArray *
tesoro_store_load_summaries (TesoroStore   *self,
                             const gint64  *ids,
                             guint          n_ids,
                             GError       **error)
{
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  stmt = tesoro_db_prepare (self->db,
                            "SELECT c.id, c.uid, c.display_name, c.organization, c.restricted, c.trashed_at,"
                            " (SELECT value FROM contact_emails e WHERE e.contact_id = c.id"
                            "   ORDER BY is_primary DESC, position LIMIT 1),"
                            " (SELECT granted FROM consent_events ce WHERE ce.contact_id = c.id"
                            "   AND ce.purpose = 'marketing-email' ORDER BY at DESC, id DESC LIMIT 1),"
                            " c.legal_hold"
                            " FROM contacts c WHERE c.id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_ids; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, ids[i]);
      rc = tesoro_db_step (self->db, stmt, error);
      if (rc < 0)
        return NULL;
      if (rc == SQLITE_ROW)
        {
          TesoroContact *contact = tesoro_contact_new ();

          tesoro_contact_set_id (contact, sqlite3_column_int64 (stmt, 0));
          tesoro_contact_set_uid (contact, tesoro_db_column_text (stmt, 1));
          tesoro_contact_set_display_name (contact, tesoro_db_column_text (stmt, 2));
          tesoro_contact_set_organization (contact, tesoro_db_column_text (stmt, 3));
          tesoro_contact_set_restricted (contact, sqlite3_column_int (stmt, 4));
          tesoro_contact_set_trashed_at (contact, tesoro_db_column_text (stmt, 5));
          tesoro_contact_set_primary_email (contact, tesoro_db_column_text (stmt, 6));
          tesoro_contact_set_consent_state (contact,
                                            sqlite3_column_type (stmt, 7) == SQLITE_NULL ? "unknown"
                                            : sqlite3_column_int (stmt, 7) ? "granted" : "withdrawn");
          tesoro_contact_set_legal_hold (contact, sqlite3_column_int (stmt, 8));
          g_ptr_array_add (contacts, contact);
        }
      sqlite3_reset (stmt);
    }

  return g_steal_pointer (&contacts);
}
