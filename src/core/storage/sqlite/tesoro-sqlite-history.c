/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tesoro-error.h"
#include "tesoro-sqlite-backend-private.h"

/*
 * A contact's history (notes, messages, tasks, activities), the consent
 * ledger (append-only: a trigger refuses UPDATE) and the consent purposes.
 */

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/* Inserts one record of @kind; its dates are set. Returns its id. */
static gint64
sqlite_insert_history (TesoroBackend      *backend,
                       gint64              contact_id,
                       TesoroRecordKind   kind,
                       gconstpointer       record,
                       GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gint64 actor_id = _tesoro_sqlite_get_actor_id (self, error);
  gboolean ok = FALSE;

  if (actor_id < 0)
    return -1;

  switch (kind)
    {
    case TESORO_RECORD_NOTE:
      {
        const TesoroNote *n = record;

        ok = tesoro_db_run (self->db, error,
                            "INSERT INTO notes (contact_id, body, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
                            "iesi", contact_id, n->body, n->created_at, actor_id);
      }
      break;

    case TESORO_RECORD_MESSAGE:
      {
        const TesoroMessage *m = record;

        ok = tesoro_db_run (self->db, error,
                            "INSERT INTO messages (contact_id, direction, address, subject, body, at, created_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            "iseeesi", contact_id, m->direction, m->address, m->subject, m->body, m->at,
                            actor_id);
      }
      break;

    case TESORO_RECORD_TASK:
      {
        const TesoroTask *t = record;

        ok = tesoro_db_run (self->db, error,
                            "INSERT INTO tasks (contact_id, title, due, done, done_at, created_at, created_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            "iesbssi", contact_id, t->title, has_text (t->due) ? t->due : NULL, t->done,
                            t->done ? t->done_at : NULL, t->created_at, actor_id);
      }
      break;

    case TESORO_RECORD_ACTIVITY:
      {
        const TesoroActivity *a = record;

        ok = tesoro_db_run (self->db, error,
                            "INSERT INTO activities (contact_id, kind, summary, at, created_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            "isesi", contact_id, a->kind, a->summary, a->at, actor_id);
      }
      break;

    case TESORO_RECORD_CONSENT:
      {
        const TesoroConsentEvent *c = record;

        ok = tesoro_db_run (self->db, error,
                            "INSERT INTO consent_events (contact_id, purpose, granted, at, source, evidence,"
                            " recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            "isbseeis", contact_id, c->purpose, c->granted, c->at, c->source, c->evidence,
                            actor_id, c->recorded_at);
      }
      break;

    default:
      g_return_val_if_reached (-1);
    }

  return ok ? tesoro_db_last_insert_id (self->db) : -1;
}

/* Only the records an import added are removed again (Undo Import). */
static gboolean
sqlite_delete_history (TesoroBackend      *backend,
                       gint64              contact_id,
                       TesoroRecordKind   kind,
                       gint64              record_id,
                       GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  switch (kind)
    {
    case TESORO_RECORD_NOTE:
      return tesoro_db_run (self->db, error, "DELETE FROM notes WHERE id = ?1 AND contact_id = ?2",
                            "ii", record_id, contact_id);
    case TESORO_RECORD_MESSAGE:
      return tesoro_db_run (self->db, error, "DELETE FROM messages WHERE id = ?1 AND contact_id = ?2",
                            "ii", record_id, contact_id);
    case TESORO_RECORD_TASK:
      return tesoro_db_run (self->db, error, "DELETE FROM tasks WHERE id = ?1 AND contact_id = ?2",
                            "ii", record_id, contact_id);
    case TESORO_RECORD_ACTIVITY:
      return tesoro_db_run (self->db, error, "DELETE FROM activities WHERE id = ?1 AND contact_id = ?2",
                            "ii", record_id, contact_id);
    case TESORO_RECORD_CONSENT:
      return tesoro_db_run (self->db, error, "DELETE FROM consent_events WHERE id = ?1 AND contact_id = ?2",
                            "ii", record_id, contact_id);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* The contact a task belongs to, 0 when there is no such task. */
static gint64
sqlite_get_task_contact (TesoroBackend  *backend,
                         gint64          task_id,
                         GError        **error)
{
  return tesoro_db_query_id (SQLITE_BACKEND (backend)->db, error, "SELECT contact_id FROM tasks WHERE id = ?1",
                             "i", task_id);
}

static gboolean
sqlite_set_task_done (TesoroBackend  *backend,
                      gint64          task_id,
                      gboolean        done,
                      const char     *at,
                      GError        **error)
{
  return tesoro_db_run (SQLITE_BACKEND (backend)->db, error,
                        "UPDATE tasks SET done = ?2, done_at = CASE WHEN ?2 THEN ?3 ELSE NULL END WHERE id = ?1",
                        "ibs", task_id, done, at);
}

/* The event that decides the current consent for @purpose: the newest by
 * date, of the same date the one recorded last; NULL when there is none. */
static gboolean
sqlite_get_latest_consent (TesoroBackend       *backend,
                           gint64               contact_id,
                           const char          *purpose,
                           TesoroConsentEvent **event,
                           GError             **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;
  int rc;

  *event = NULL;
  stmt = tesoro_db_prepare_with (self->db, error,
                                 "SELECT c.id, c.granted, c.at, c.source, c.evidence, u.login, c.recorded_at"
                                 " FROM consent_events c LEFT JOIN users u ON u.id = c.recorded_by"
                                 " WHERE c.contact_id = ?1 AND c.purpose = ?2 ORDER BY c.at DESC, c.id DESC LIMIT 1",
                                 "is", contact_id, purpose);
  if (stmt == NULL)
    return FALSE;
  rc = tesoro_db_step (self->db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      TesoroConsentEvent *c = tesoro_consent_event_new ();

      c->id = sqlite3_column_int64 (stmt, 0);
      c->purpose = g_strdup (purpose);
      c->granted = sqlite3_column_int (stmt, 1);
      c->at = tesoro_db_column_dup (stmt, 2);
      c->source = tesoro_db_column_dup (stmt, 3);
      c->evidence = tesoro_db_column_dup (stmt, 4);
      c->recorded_by = tesoro_db_column_dup (stmt, 5);
      c->recorded_at = tesoro_db_column_dup (stmt, 6);
      *event = c;
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gpointer
map_purpose (sqlite3_stmt *stmt)
{
  TesoroConsentPurpose *purpose = g_new0 (TesoroConsentPurpose, 1);

  purpose->key = tesoro_db_column_dup (stmt, 0);
  purpose->name = tesoro_db_column_dup (stmt, 1);
  return purpose;
}

/* Consent purposes, in the order they were added. */
static GPtrArray *
sqlite_list_purposes (TesoroBackend  *backend,
                      GError        **error)
{
  g_autoptr(GPtrArray) purposes = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_consent_purpose_free);

  if (!tesoro_db_collect (SQLITE_BACKEND (backend)->db, error, purposes, map_purpose,
                          "SELECT key, name FROM consent_purposes ORDER BY created_at, key", ""))
    return NULL;
  return g_steal_pointer (&purposes);
}

/* TESORO_ERROR_EXISTS when a purpose with @key exists. */
static gboolean
sqlite_insert_purpose (TesoroBackend  *backend,
                       const char     *key,
                       const char     *name,
                       const char     *created_at,
                       GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tesoro_db_prepare_with (self->db, error,
                                 "INSERT INTO consent_purposes (key, name, created_at) VALUES (?1, ?2, ?3)",
                                 "sss", key, name, created_at);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_EXISTS, _("The purpose “%s” already exists"), key);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      tesoro_db_set_error (self->db, error, rc, NULL);
      return FALSE;
    }
  return TRUE;
}

void
_tesoro_sqlite_history_init (TesoroBackendInterface *iface)
{
  iface->insert_history = sqlite_insert_history;
  iface->delete_history = sqlite_delete_history;
  iface->get_task_contact = sqlite_get_task_contact;
  iface->set_task_done = sqlite_set_task_done;
  iface->get_latest_consent = sqlite_get_latest_consent;
  iface->list_purposes = sqlite_list_purposes;
  iface->insert_purpose = sqlite_insert_purpose;
}
