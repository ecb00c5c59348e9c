/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "tesoro-error.h"
#include "tesoro-sqlite-backend-private.h"

/*
 * The breach log (GDPR Art. 33(5)): the tables `breaches` and
 * `breach_events`, both append-only (their triggers refuse UPDATE and
 * DELETE), so a breach is inserted once and everything later is an event.
 * Reading folds the events into each breach, in the order they were
 * appended (tesoro-breach.c knows how).
 */

#define BREACH_COLUMNS \
  "SELECT id, uid, discovered_at, recorded_at, recorded_by, description, categories," \
  " ifnull (people_affected, -1), ifnull (records_affected, -1), consequences, measures FROM breaches"

#define EVENT_COLUMNS \
  "SELECT id, breach_id, at, recorded_by, kind, details FROM breach_events"

/* Inserts the breach as it was first recorded (its events, if any, are
 * appended one by one); sets its id. Unknown numbers are stored as NULL. */
static gboolean
sqlite_add_breach (TesoroBackend  *backend,
                   TesoroBreach   *breach,
                   GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  TesoroBreachFacts facts;

  tesoro_breach_get_facts (breach, &facts);
  if (!tesoro_db_run (self->db, error,
                      "INSERT INTO breaches (uid, discovered_at, recorded_at, recorded_by, description, categories,"
                      " people_affected, records_affected, consequences, measures)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif (?7, -1), nullif (?8, -1), ?9, ?10)",
                      "ssssseiiee",
                      tesoro_breach_get_uid (breach), facts.discovered_at,
                      tesoro_breach_get_recorded_at (breach), tesoro_breach_get_recorded_by (breach),
                      facts.description, facts.categories,
                      facts.people_known ? facts.people_affected : (gint64) -1,
                      facts.records_known ? facts.records_affected : (gint64) -1,
                      facts.consequences, facts.measures))
    return FALSE;

  _tesoro_breach_set_id (breach, tesoro_db_last_insert_id (self->db));
  return TRUE;
}

/* Appends an event to the history of its breach; sets its id. */
static gboolean
sqlite_add_breach_event (TesoroBackend      *backend,
                         TesoroBreachEvent  *event,
                         GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (!tesoro_db_run (self->db, error,
                      "INSERT INTO breach_events (breach_id, at, recorded_by, kind, details)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)",
                      "issss",
                      tesoro_breach_event_get_breach_id (event), tesoro_breach_event_get_at (event),
                      tesoro_breach_event_get_recorded_by (event), tesoro_breach_event_get_kind (event),
                      tesoro_breach_event_get_details (event)))
    return FALSE;

  _tesoro_breach_event_set_id (event, tesoro_db_last_insert_id (self->db));
  return TRUE;
}

static gpointer
breach_from_row (sqlite3_stmt *stmt)
{
  gint64 people = sqlite3_column_int64 (stmt, 7);
  gint64 records = sqlite3_column_int64 (stmt, 8);
  TesoroBreachFacts facts = {
    .discovered_at = tesoro_db_column_text (stmt, 2),
    .description = tesoro_db_column_text (stmt, 5),
    .categories = tesoro_db_column_text (stmt, 6),
    .people_known = people >= 0,
    .people_affected = people,
    .records_known = records >= 0,
    .records_affected = records,
    .consequences = tesoro_db_column_text (stmt, 9),
    .measures = tesoro_db_column_text (stmt, 10),
  };

  return tesoro_breach_new (sqlite3_column_int64 (stmt, 0), tesoro_db_column_text (stmt, 1),
                            tesoro_db_column_text (stmt, 3), tesoro_db_column_text (stmt, 4), &facts);
}

/* Folds each event row into its breach, found by id in @user_data. */
static void
fold_event_row (sqlite3_stmt *stmt,
                gpointer      user_data)
{
  GHashTable *by_id = user_data;
  gint64 breach_id = sqlite3_column_int64 (stmt, 1);
  TesoroBreach *breach = g_hash_table_lookup (by_id, &breach_id);
  g_autoptr(TesoroBreachEvent) event = NULL;

  if (breach == NULL)
    return;
  event = tesoro_breach_event_new (sqlite3_column_int64 (stmt, 0), breach_id,
                                   tesoro_db_column_text (stmt, 2), tesoro_db_column_text (stmt, 3),
                                   tesoro_db_column_text (stmt, 4), tesoro_db_column_text (stmt, 5));
  tesoro_breach_add_event (breach, event);
}

/* The breaches @breach_id names (0: all), each with its events, in one
 * snapshot. */
static GPtrArray *
read_breaches (TesoroSqliteBackend  *self,
               gint64                breach_id,
               GError              **error)
{
  g_autoptr(GPtrArray) breaches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  TesoroBackend *backend = TESORO_BACKEND (self);
  gboolean ok;

  if (!tesoro_backend_begin_read (backend, error))
    return NULL;

  if (breach_id > 0)
    ok = tesoro_db_collect (self->db, error, breaches, breach_from_row, BREACH_COLUMNS " WHERE id = ?1",
                            "i", breach_id);
  else
    ok = tesoro_db_collect (self->db, error, breaches, breach_from_row, BREACH_COLUMNS " ORDER BY id", "");

  for (guint i = 0; ok && i < breaches->len; i++)
    {
      gint64 id = tesoro_breach_get_id (breaches->pdata[i]);

      g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), breaches->pdata[i]);
    }

  if (ok && breaches->len > 0)
    {
      if (breach_id > 0)
        ok = tesoro_db_foreach_row (self->db, error, fold_event_row, by_id,
                                    EVENT_COLUMNS " WHERE breach_id = ?1 ORDER BY id", "i", breach_id);
      else
        ok = tesoro_db_foreach_row (self->db, error, fold_event_row, by_id,
                                    EVENT_COLUMNS " ORDER BY breach_id, id", "");
    }

  if (!ok)
    {
      tesoro_backend_rollback (backend);
      return NULL;
    }
  if (!tesoro_backend_commit (backend, error))
    return NULL;

  return g_steal_pointer (&breaches);
}

/* Every breach with its history, in the order they were recorded. */
static GPtrArray *
sqlite_list_breaches (TesoroBackend  *backend,
                      GError        **error)
{
  return read_breaches (SQLITE_BACKEND (backend), 0, error);
}

/* The breach with @id and its history (NOT_FOUND when there is none). */
static TesoroBreach *
sqlite_get_breach (TesoroBackend  *backend,
                   gint64          id,
                   GError        **error)
{
  g_autoptr(GPtrArray) breaches = NULL;

  if (id <= 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no breach with number %" PRId64), id);
      return NULL;
    }

  breaches = read_breaches (SQLITE_BACKEND (backend), id, error);
  if (breaches == NULL)
    return NULL;
  if (breaches->len == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no breach with number %" PRId64), id);
      return NULL;
    }
  return g_object_ref (breaches->pdata[0]);
}

void
_tesoro_sqlite_breaches_init (TesoroBackendInterface *iface)
{
  iface->add_breach = sqlite_add_breach;
  iface->add_breach_event = sqlite_add_breach_event;
  iface->list_breaches = sqlite_list_breaches;
  iface->get_breach = sqlite_get_breach;
}
