/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-sqlite-backend-private.h"

/*
 * Data-subject requests (tesoro-requests.h): a row per request, and its
 * contacts by uid in request_contacts.
 */

#define REQUEST_COLUMNS \
  "SELECT id, uid, kind, received_on, channel, requester, language, identity, identity_method," \
  " identity_by, identity_at, status, extension_reason, extended_at, outcome, refusal_reason," \
  " no_data_held, evidence, notes, created_at, created_by, closed_at, scrubbed_at," \
  " (SELECT group_concat (contact_uid, ' ') FROM request_contacts WHERE request_id = requests.id)" \
  " FROM requests"

static gpointer
request_from_row (sqlite3_stmt *stmt)
{
  TesoroRequest *r = tesoro_request_new ();
  const char *uids;

  r->id = sqlite3_column_int64 (stmt, 0);
  r->uid = tesoro_db_column_dup (stmt, 1);
  if (!tesoro_request_kind_from_string (tesoro_db_column_text (stmt, 2), &r->kind, NULL))
    r->kind = TESORO_REQUEST_ACCESS;
  r->received_on = tesoro_db_column_dup (stmt, 3);
  r->channel = tesoro_db_column_dup (stmt, 4);
  r->requester = tesoro_db_column_dup (stmt, 5);
  g_free (r->language);
  r->language = tesoro_db_column_dup (stmt, 6);
  r->identity_verified = g_strcmp0 (tesoro_db_column_text (stmt, 7), "verified") == 0;
  r->identity_method = tesoro_db_column_dup (stmt, 8);
  r->identity_by = tesoro_db_column_dup (stmt, 9);
  r->identity_at = tesoro_db_column_dup (stmt, 10);
  if (!tesoro_request_status_from_string (tesoro_db_column_text (stmt, 11), &r->status, NULL))
    r->status = TESORO_REQUEST_OPEN;
  r->extension_reason = tesoro_db_column_dup (stmt, 12);
  r->extended_at = tesoro_db_column_dup (stmt, 13);
  r->outcome = tesoro_db_column_dup (stmt, 14);
  r->refusal_reason = tesoro_db_column_dup (stmt, 15);
  r->no_data_held = sqlite3_column_int (stmt, 16) != 0;
  g_free (r->evidence);
  r->evidence = tesoro_db_column_dup (stmt, 17);
  r->notes = tesoro_db_column_dup (stmt, 18);
  r->created_at = tesoro_db_column_dup (stmt, 19);
  r->created_by = tesoro_db_column_dup (stmt, 20);
  r->closed_at = tesoro_db_column_dup (stmt, 21);
  r->scrubbed_at = tesoro_db_column_dup (stmt, 22);

  uids = tesoro_db_column_text (stmt, 23);
  if (uids != NULL && *uids != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (uids, " ", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        g_ptr_array_add (r->contact_uids, g_strdup (parts[i]));
    }
  return r;
}

/* Inserts @request when its id is 0 (and sets the id), or replaces the
 * stored one; its contacts are replaced too. */
static gboolean
sqlite_save_request (TesoroBackend  *backend,
                     TesoroRequest  *r,
                     GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  const char *kind = tesoro_request_kind_to_string (r->kind);
  const char *status = tesoro_request_status_to_string (r->status);
  const char *identity = r->identity_verified ? "verified" : "pending";

  if (r->id == 0)
    {
      if (!tesoro_db_run (self->db, error,
                          "INSERT INTO requests (uid, kind, received_on, channel, requester, language,"
                          " identity, identity_method, identity_by, identity_at, status, extension_reason,"
                          " extended_at, outcome, refusal_reason, no_data_held, evidence, notes, created_at,"
                          " created_by, closed_at, scrubbed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                          " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                          "ssseeseeesseseebeessss",
                          r->uid, kind, r->received_on, r->channel, r->requester, r->language,
                          identity, r->identity_method, r->identity_by, r->identity_at, status,
                          r->extension_reason, r->extended_at, r->outcome, r->refusal_reason,
                          r->no_data_held, r->evidence, r->notes, r->created_at, r->created_by,
                          r->closed_at, r->scrubbed_at))
        return FALSE;
      r->id = tesoro_db_last_insert_id (self->db);
    }
  else
    {
      if (!tesoro_db_run (self->db, error,
                          "UPDATE requests SET kind = ?2, received_on = ?3, channel = ?4, requester = ?5,"
                          " language = ?6, identity = ?7, identity_method = ?8, identity_by = ?9,"
                          " identity_at = ?10, status = ?11, extension_reason = ?12, extended_at = ?13,"
                          " outcome = ?14, refusal_reason = ?15, no_data_held = ?16, evidence = ?17,"
                          " notes = ?18, closed_at = ?19, scrubbed_at = ?20 WHERE id = ?1",
                          "isseeseeesseseebeess",
                          r->id, kind, r->received_on, r->channel, r->requester, r->language,
                          identity, r->identity_method, r->identity_by, r->identity_at, status,
                          r->extension_reason, r->extended_at, r->outcome, r->refusal_reason,
                          r->no_data_held, r->evidence, r->notes, r->closed_at, r->scrubbed_at))
        return FALSE;
      if (tesoro_db_changes (self->db) == 0)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
                       _("There is no request with number %" PRId64), r->id);
          return FALSE;
        }
      if (!tesoro_db_run (self->db, error, "DELETE FROM request_contacts WHERE request_id = ?1", "i", r->id))
        return FALSE;
    }

  for (guint i = 0; i < r->contact_uids->len; i++)
    if (!tesoro_db_run (self->db, error,
                        "INSERT OR IGNORE INTO request_contacts (request_id, contact_uid) VALUES (?1, ?2)",
                        "is", r->id, (const char *) r->contact_uids->pdata[i]))
      return FALSE;

  return TRUE;
}

/* Every request, by deadline (received first) and number; with @id, that
 * one (NOT_FOUND if none). */
static GPtrArray *
sqlite_list_requests (TesoroBackend  *backend,
                      gint64          id,
                      GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_request_free);
  gboolean ok;

  if (id > 0)
    ok = tesoro_db_collect (self->db, error, rows, request_from_row, REQUEST_COLUMNS " WHERE id = ?1", "i", id);
  else
    ok = tesoro_db_collect (self->db, error, rows, request_from_row,
                            REQUEST_COLUMNS " ORDER BY received_on, id", "");
  if (!ok)
    return NULL;
  if (id > 0 && rows->len == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
                   _("There is no request with number %" PRId64), id);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* An erased contact leaves its requests with its uid only: who asked, how
 * they proved it and the notes are personal data and go with it. */
static gboolean
sqlite_scrub_requests_of (TesoroBackend  *backend,
                          const char     *contact_uid,
                          const char     *at,
                          GError        **error)
{
  return tesoro_db_run (SQLITE_BACKEND (backend)->db, error,
                        "UPDATE requests SET requester = '', identity_method = '', notes = '',"
                        " scrubbed_at = ?2 WHERE scrubbed_at IS NULL AND id IN"
                        " (SELECT request_id FROM request_contacts WHERE contact_uid = ?1)",
                        "ss", contact_uid, at);
}

static void
add_id (sqlite3_stmt *stmt,
        gpointer      user_data)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);

  g_array_append_val ((GArray *) user_data, id);
}

/* The closed requests closed before @closed_before, oldest first. */
static GArray *
sqlite_select_closed_requests (TesoroBackend  *backend,
                               const char     *closed_before,
                               GError        **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!tesoro_db_foreach_row (SQLITE_BACKEND (backend)->db, error, add_id, ids,
                              "SELECT id FROM requests WHERE closed_at IS NOT NULL AND closed_at < ?1"
                              " ORDER BY closed_at, id",
                              "s", closed_before))
    return NULL;
  return g_steal_pointer (&ids);
}

static gboolean
sqlite_delete_request (TesoroBackend  *backend,
                       gint64          id,
                       GError        **error)
{
  return tesoro_db_run (SQLITE_BACKEND (backend)->db, error, "DELETE FROM requests WHERE id = ?1", "i", id);
}

void
_tesoro_sqlite_requests_init (TesoroBackendInterface *iface)
{
  iface->save_request = sqlite_save_request;
  iface->list_requests = sqlite_list_requests;
  iface->scrub_requests_of = sqlite_scrub_requests_of;
  iface->select_closed_requests = sqlite_select_closed_requests;
  iface->delete_request = sqlite_delete_request;
}
