/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-schema"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tesoro-error.h"
#include "tesoro-schema.h"
#include "tesoro-sqlite-backend-private.h"
#include "tesoro-utils.h"

/*
 * Migrations: an ordered list of steps. Step N brings a database from
 * version N-1 to N; the version lives in PRAGMA user_version. Each step runs
 * in its own transaction, and a copy of the file is taken (SQLite's online
 * backup API) before an existing database is changed.
 */

typedef gboolean (*MigrationStep) (TesoroSqliteBackend *backend, GError **error);

static gboolean
migrate_to_1 (TesoroSqliteBackend  *backend,
              GError              **error)
{
  static const char schema[] =
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  login TEXT NOT NULL UNIQUE,"
    "  full_name TEXT NOT NULL DEFAULT '',"
    "  role TEXT NOT NULL DEFAULT 'administrator',"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;"

    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  given_name TEXT NOT NULL DEFAULT '',"
    "  family_name TEXT NOT NULL DEFAULT '',"
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  organization TEXT NOT NULL DEFAULT '',"
    "  job_title TEXT NOT NULL DEFAULT '',"
    "  birthday TEXT,"
    "  lawful_basis TEXT CHECK (lawful_basis IN ('consent', 'contract', 'legal_obligation',"
    "                         'vital_interests', 'public_task', 'legitimate_interests')),"
    "  restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),"
    "  legal_hold INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1)),"
    "  legal_hold_reason TEXT,"
    "  sort_key TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  last_activity_at TEXT NOT NULL,"
    "  trashed_at TEXT,"
    "  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,"
    "  updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL"
    ");"
    "CREATE INDEX contacts_by_name ON contacts (sort_key, id) WHERE trashed_at IS NULL;"
    "CREATE INDEX contacts_in_trash ON contacts (trashed_at) WHERE trashed_at IS NOT NULL;"
    "CREATE INDEX contacts_by_activity ON contacts (last_activity_at);"

    "CREATE TABLE contact_emails ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  value TEXT NOT NULL,"
    "  is_primary INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX contact_emails_by_contact ON contact_emails (contact_id, position);"
    "CREATE INDEX contact_emails_by_value ON contact_emails (value COLLATE NOCASE);"

    "CREATE TABLE contact_phones ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  value TEXT NOT NULL,"
    "  is_primary INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX contact_phones_by_contact ON contact_phones (contact_id, position);"

    "CREATE TABLE contact_addresses ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  street TEXT NOT NULL DEFAULT '',"
    "  postal_code TEXT NOT NULL DEFAULT '',"
    "  city TEXT NOT NULL DEFAULT '',"
    "  region TEXT NOT NULL DEFAULT '',"
    "  country TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX contact_addresses_by_contact ON contact_addresses (contact_id, position);"

    "CREATE TABLE custom_fields ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE"
    ");"
    "CREATE TABLE contact_custom_values ("
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  field_id INTEGER NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (contact_id, field_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX contact_custom_values_by_field ON contact_custom_values (field_id);"

    "CREATE TABLE tags ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE"
    ");"
    "CREATE TABLE contact_tags ("
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  PRIMARY KEY (contact_id, tag_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id);"

    "CREATE TABLE notes ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  body TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL"
    ");"
    "CREATE INDEX notes_by_contact ON notes (contact_id, created_at);"

    "CREATE TABLE messages ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
    "  address TEXT NOT NULL DEFAULT '',"
    "  subject TEXT NOT NULL DEFAULT '',"
    "  body TEXT NOT NULL DEFAULT '',"
    "  at TEXT NOT NULL,"
    "  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL"
    ");"
    "CREATE INDEX messages_by_contact ON messages (contact_id, at);"

    "CREATE TABLE tasks ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL,"
    "  due TEXT,"
    "  done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),"
    "  done_at TEXT,"
    "  created_at TEXT NOT NULL,"
    "  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL"
    ");"
    "CREATE INDEX tasks_by_contact ON tasks (contact_id, created_at);"

    "CREATE TABLE activities ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  summary TEXT NOT NULL DEFAULT '',"
    "  at TEXT NOT NULL,"
    "  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL"
    ");"
    "CREATE INDEX activities_by_contact ON activities (contact_id, at);"

    "CREATE TABLE consent_purposes ("
    "  key TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE consent_events ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  purpose TEXT NOT NULL,"
    "  granted INTEGER NOT NULL CHECK (granted IN (0, 1)),"
    "  at TEXT NOT NULL,"
    "  source TEXT NOT NULL DEFAULT '',"
    "  evidence TEXT NOT NULL DEFAULT '',"
    "  recorded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,"
    "  recorded_at TEXT NOT NULL"
    ");"
    "CREATE INDEX consent_events_by_contact ON consent_events (contact_id, purpose, at, id);"
    /* The consent history is a ledger: rows are added, never changed. They
     * go only with the contact, when it is erased. */
    "CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events"
    " BEGIN SELECT RAISE (ABORT, 'the consent history is append-only'); END;"

    /* The erasable search index (see tesoro-search.h). */
    "CREATE TABLE search_terms ("
    "  term TEXT NOT NULL,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  PRIMARY KEY (term, contact_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX search_terms_by_contact ON search_terms (contact_id);"

    /* The accountability log: append-only and hash-chained. It never holds
     * personal data: a person appears only by their random uid. */
    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  contact_uid TEXT,"
    "  details TEXT NOT NULL DEFAULT '{}',"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL"
    ");"
    "CREATE INDEX audit_log_by_contact ON audit_log (contact_uid);"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    " BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    " BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"

    "CREATE TABLE erasure_receipts ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_uid TEXT NOT NULL,"
    "  erased_at TEXT NOT NULL,"
    "  erased_by TEXT NOT NULL,"
    "  method TEXT NOT NULL,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  counts TEXT NOT NULL DEFAULT '{}',"
    "  index_purged INTEGER NOT NULL DEFAULT 0,"
    "  files_purged INTEGER NOT NULL DEFAULT 0"
    ");"

    /* Imports, for Undo Import (tesoro-import.h). A batch keeps counts
     * only: no file name, no personal data. Its items name the contacts it
     * created or updated, and for an updated one the fields it had before:
     * personal data, which goes with the contact when it is erased. */
    "CREATE TABLE import_batches ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  format TEXT NOT NULL,"
    "  counts TEXT NOT NULL DEFAULT '{}',"
    "  undone_at TEXT"
    ");"
    "CREATE TABLE import_items ("
    "  batch_id INTEGER NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  action TEXT NOT NULL CHECK (action IN ('created', 'updated')),"
    "  previous TEXT,"
    "  PRIMARY KEY (batch_id, contact_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX import_items_by_contact ON import_items (contact_id);"

    "INSERT INTO consent_purposes (key, name, created_at)"
    " VALUES ('marketing-email', 'Marketing e-mail', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));";

  return tesoro_db_exec (backend->db, schema, error);
}

/* Version 2: users with passwords and roles, roles with permissions and
 * field access, and the search index told which field group each term
 * comes from (field-level security). Every user of version 1 was the one
 * administrator there was. */
static gboolean
migrate_to_2 (TesoroSqliteBackend  *backend,
              GError              **error)
{
  static const char schema[] =
    "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));"
    "ALTER TABLE users ADD COLUMN password_hash TEXT;"
    "ALTER TABLE users ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE users ADD COLUMN locked_until TEXT;"
    "ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;"
    "UPDATE users SET role = 'administrator';"

    "CREATE TABLE roles ("
    "  key TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  permissions TEXT NOT NULL DEFAULT '',"
    "  fields TEXT NOT NULL DEFAULT '{}'"
    ") WITHOUT ROWID;"

    /* Who did what, for the audit log's filters and "Viewed by". */
    "CREATE INDEX audit_log_by_actor ON audit_log (actor, id);"

    "ALTER TABLE search_terms ADD COLUMN fields INTEGER NOT NULL DEFAULT 0;";
  static const char * const builtin[] = {
    TESORO_ROLE_ADMINISTRATOR, TESORO_ROLE_PRIVACY_OFFICER, TESORO_ROLE_SALES, TESORO_ROLE_READ_ONLY,
  };

  if (!tesoro_db_exec (backend->db, schema, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    {
      g_autoptr(TesoroRole) role = tesoro_role_new_builtin (builtin[i]);

      if (!_tesoro_sqlite_save_role (backend->db, role, TRUE, i, error))
        return FALSE;
    }

  return _tesoro_sqlite_reindex_all (backend, error);
}

/* Version 3: the privacy office. Data-subject requests with the legal
 * clock (tesoro-requests.h): the requester as they identified themselves
 * is personal data, kept until the request's own retention ends, and
 * scrubbed with the contact when the contact is erased; the link to a
 * contact is its random uid, so an erased contact leaves its requests with
 * the uid only. The breach log (Art. 33(5)) is append-only: a breach and
 * every later fact about it (notified, people informed, a correction) are
 * rows that are never changed or deleted. */
static gboolean
migrate_to_3 (TesoroSqliteBackend  *backend,
              GError              **error)
{
  static const char schema[] =
    "CREATE TABLE requests ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure',"
    "                                      'restriction', 'portability', 'objection')),"
    "  received_on TEXT NOT NULL,"
    "  channel TEXT NOT NULL DEFAULT '',"
    "  requester TEXT NOT NULL DEFAULT '',"
    "  language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'nl')),"
    "  identity TEXT NOT NULL DEFAULT 'pending' CHECK (identity IN ('pending', 'verified')),"
    "  identity_method TEXT NOT NULL DEFAULT '',"
    "  identity_by TEXT NOT NULL DEFAULT '',"
    "  identity_at TEXT,"
    "  status TEXT NOT NULL DEFAULT 'open'"
    "    CHECK (status IN ('open', 'waiting-identity', 'extended', 'done', 'refused')),"
    "  extension_reason TEXT NOT NULL DEFAULT '',"
    "  extended_at TEXT,"
    "  outcome TEXT NOT NULL DEFAULT '',"
    "  refusal_reason TEXT NOT NULL DEFAULT '',"
    "  no_data_held INTEGER NOT NULL DEFAULT 0 CHECK (no_data_held IN (0, 1)),"
    "  evidence TEXT NOT NULL DEFAULT '{}',"
    "  notes TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  closed_at TEXT,"
    "  scrubbed_at TEXT"
    ");"
    "CREATE INDEX requests_by_status ON requests (status, received_on);"
    "CREATE TABLE request_contacts ("
    "  request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,"
    "  contact_uid TEXT NOT NULL,"
    "  PRIMARY KEY (request_id, contact_uid)"
    ") WITHOUT ROWID;"
    "CREATE INDEX request_contacts_by_contact ON request_contacts (contact_uid);"

    "CREATE TABLE breaches ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  discovered_at TEXT NOT NULL,"
    "  recorded_at TEXT NOT NULL,"
    "  recorded_by TEXT NOT NULL,"
    "  description TEXT NOT NULL,"
    "  categories TEXT NOT NULL DEFAULT '',"
    "  people_affected INTEGER,"
    "  records_affected INTEGER,"
    "  consequences TEXT NOT NULL DEFAULT '',"
    "  measures TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE TABLE breach_events ("
    "  id INTEGER PRIMARY KEY,"
    "  breach_id INTEGER NOT NULL REFERENCES breaches (id),"
    "  at TEXT NOT NULL,"
    "  recorded_by TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  details TEXT NOT NULL DEFAULT '{}'"
    ");"
    "CREATE INDEX breach_events_by_breach ON breach_events (breach_id, id);"
    "CREATE TRIGGER breaches_no_update BEFORE UPDATE ON breaches"
    " BEGIN SELECT RAISE (ABORT, 'the breach log is append-only'); END;"
    "CREATE TRIGGER breaches_no_delete BEFORE DELETE ON breaches"
    " BEGIN SELECT RAISE (ABORT, 'the breach log is append-only'); END;"
    "CREATE TRIGGER breach_events_no_update BEFORE UPDATE ON breach_events"
    " BEGIN SELECT RAISE (ABORT, 'the breach log is append-only'); END;"
    "CREATE TRIGGER breach_events_no_delete BEFORE DELETE ON breach_events"
    " BEGIN SELECT RAISE (ABORT, 'the breach log is append-only'); END;";

  return tesoro_db_exec (backend->db, schema, error);
}

static const MigrationStep migrations[] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
};

int
_tesoro_schema_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

int
_tesoro_schema_get_version (TesoroDb  *db,
                            GError   **error)
{
  return (int) tesoro_db_query_int (db, "PRAGMA user_version", error);
}

/**
 * _tesoro_schema_check:
 * @needs_migration: (out): whether the database is older than this Tesoro
 *
 * Refuses a database written by a newer Tesoro, and a SQLite file that
 * belongs to another program. Neither is touched.
 */
gboolean
_tesoro_schema_check (TesoroDb  *db,
                      gboolean  *needs_migration,
                      GError   **error)
{
  gint64 version;
  gint64 app_id;
  gint64 tables;

  version = _tesoro_schema_get_version (db, error);
  if (version < 0)
    return FALSE;
  app_id = tesoro_db_query_int (db, "PRAGMA application_id", error);
  if (app_id < 0)
    return FALSE;

  tables = tesoro_db_query_int (db, "SELECT count(*) FROM sqlite_schema", error);
  if (tables < 0)
    return FALSE;

  /* Whose file it is comes first: another program's schema version says
   * nothing about Tesoro's. */
  if (app_id != TESORO_SCHEMA_APPLICATION_ID && (tables > 0 || version > 0))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_A_DATABASE,
                   _("“%s” is an SQLite database of another program, not a Tesoro database. "
                     "It has not been changed."),
                   tesoro_db_get_path (db));
      return FALSE;
    }

  if (version > _tesoro_schema_latest_version ())
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer version of Tesoro "
                     "(schema version %d; this version knows up to %d). "
                     "It has not been changed. Please update Tesoro to open it."),
                   tesoro_db_get_path (db), (int) version, _tesoro_schema_latest_version ());
      return FALSE;
    }

  *needs_migration = version < _tesoro_schema_latest_version ();
  return TRUE;
}

static char *
backup_path (TesoroDb *db,
             int       version)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  return g_strdup_printf ("%s.v%d-%s.bak", tesoro_db_get_path (db), version, stamp);
}

/**
 * _tesoro_schema_migrate:
 *
 * Brings the database to the latest schema, one step (and one transaction)
 * at a time.
 */
gboolean
_tesoro_schema_migrate (TesoroSqliteBackend  *backend,
                        GError              **error)
{
  TesoroDb *db = backend->db;
  int version;
  int latest = _tesoro_schema_latest_version ();

  version = _tesoro_schema_get_version (db, error);
  if (version < 0)
    return FALSE;

  if (version > 0 && version < latest)
    {
      g_autofree char *dest = backup_path (db, version);

      g_message ("Backing up %s to %s before migrating", tesoro_db_get_path (db), dest);
      if (!tesoro_db_backup_to (db, dest, error))
        return FALSE;
    }

  while (version < latest)
    {
      g_autofree char *set_version = NULL;

      if (!tesoro_db_begin (db, error))
        return FALSE;

      set_version = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = %d",
                                     version + 1, TESORO_SCHEMA_APPLICATION_ID);

      if (!migrations[version] (backend, error) ||
          !tesoro_db_exec (db, set_version, error) ||
          !tesoro_db_commit (db, error))
        {
          if (tesoro_db_in_transaction (db))
            tesoro_db_rollback (db);
          g_prefix_error (error, _("Cannot upgrade the database to version %d: "), version + 1);
          return FALSE;
        }

      version++;
    }

  return TRUE;
}
