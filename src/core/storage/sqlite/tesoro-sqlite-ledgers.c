/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-sqlite-backend-private.h"
#include "tesoro-utils.h"

/*
 * The ledgers: the accountability log (append-only: triggers refuse UPDATE
 * and DELETE; hash-chained, its head kept in the settings), the erasure
 * receipts and the import batches with what Undo Import needs.
 */

#define AUDIT_HEAD_KEY "audit.head"

/* A ledger's rows: the one with @id (NOT_FOUND, with @not_found, when
 * there is none), or with @id 0 all of them. */
static GPtrArray *
list_one_or_all (TesoroSqliteBackend  *self,
                 gint64                id,
                 TesoroRowMapFunc      map,
                 GDestroyNotify        free_func,
                 const char           *one_sql,
                 const char           *all_sql,
                 const char           *not_found,
                 GError              **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  gboolean ok;

  if (id > 0)
    ok = tesoro_db_collect (self->db, error, rows, map, one_sql, "i", id);
  else
    ok = tesoro_db_collect (self->db, error, rows, map, all_sql, "");
  if (!ok)
    return NULL;
  if (id > 0 && rows->len == 0)
    {
      /* @not_found is one of the callers' literals, with one %" PRId64 ". */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, not_found, id);
#pragma GCC diagnostic pop
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* The accountability log */

/* Reads the head of the chain from the settings: "ID HASH". */
static gboolean
read_head (TesoroSqliteBackend  *self,
           gboolean             *found,
           gint64               *id,
           char                **hash,
           GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  *id = -1;
  *hash = NULL;
  stmt = tesoro_db_prepare (self->db, "SELECT value FROM settings WHERE key = '" AUDIT_HEAD_KEY "'", error);
  if (stmt == NULL)
    return FALSE;
  rc = tesoro_db_step (self->db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      const char *value = tesoro_db_column_text (stmt, 0);
      const char *space = value != NULL ? strchr (value, ' ') : NULL;
      guint64 parsed = 0;

      *found = TRUE;
      if (space != NULL)
        {
          g_autofree char *number = g_strndup (value, space - value);

          if (g_ascii_string_to_unsigned (number, 10, 1, G_MAXINT64, &parsed, NULL))
            {
              *id = (gint64) parsed;
              *hash = g_strdup (space + 1);
            }
        }
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/* Appends an entry, continuing the chain from the recorded head (not from
 * whatever entry is newest now: had the newest entries been removed, the
 * next entry would otherwise hide that). Inside the caller's transaction,
 * or in one of its own. */
static gint64
sqlite_append_audit (TesoroBackend  *backend,
                     const char     *at,
                     const char     *actor,
                     const char     *action,
                     const char     *contact_uid,
                     const char     *details,
                     GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *head = NULL;
  gboolean head_found = FALSE;
  gint64 prev_id = 0;
  gint64 id;

  if (!tesoro_backend_begin_write (backend, TESORO_WRITE_DEFAULT, error))
    return -1;

  if (!read_head (self, &head_found, &prev_id, &prev_hash, error))
    goto failed;

  if (!head_found || prev_id < 0)
    {
      sqlite3_stmt *stmt;
      int rc;

      g_clear_pointer (&prev_hash, g_free);
      prev_id = 0;
      stmt = tesoro_db_prepare (self->db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", error);
      if (stmt == NULL)
        goto failed;
      rc = tesoro_db_step (self->db, stmt, error);
      if (rc < 0)
        goto failed;
      if (rc == SQLITE_ROW)
        {
          prev_id = sqlite3_column_int64 (stmt, 0);
          prev_hash = tesoro_db_column_dup (stmt, 1);
        }
      sqlite3_reset (stmt);
    }

  if (prev_hash == NULL)
    prev_hash = g_strdup (TESORO_AUDIT_GENESIS_HASH);

  /* Ids only grow, even past removed entries. */
  id = MAX (prev_id, tesoro_db_query_int (self->db, "SELECT ifnull (max (id), 0) FROM audit_log", NULL)) + 1;
  hash = tesoro_audit_compute_hash (prev_hash, id, at, actor, action, contact_uid, details);
  head = g_strdup_printf ("%" G_GINT64_FORMAT " %s", id, hash);

  if (!tesoro_db_run (self->db, error,
                      "INSERT INTO audit_log (id, at, actor, action, contact_uid, details, prev_hash, hash)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                      "isssssss", id, at, actor, action, contact_uid, details, prev_hash, hash) ||
      !tesoro_db_run (self->db, error,
                      "INSERT INTO settings (key, value) VALUES ('" AUDIT_HEAD_KEY "', ?1)"
                      " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                      "s", head) ||
      !tesoro_backend_commit (backend, error))
    goto failed;

  return id;

failed:
  tesoro_backend_rollback (backend);
  return -1;
}

static TesoroAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  return tesoro_audit_entry_new (sqlite3_column_int64 (stmt, 0),
                                 tesoro_db_column_text (stmt, 1),
                                 tesoro_db_column_text (stmt, 2),
                                 tesoro_db_column_text (stmt, 3),
                                 tesoro_db_column_text (stmt, 4),
                                 tesoro_db_column_text (stmt, 5),
                                 tesoro_db_column_text (stmt, 6),
                                 tesoro_db_column_text (stmt, 7));
}

/* The entries @filter names; its dates are normalised already. */
static GPtrArray *
sqlite_list_audit (TesoroBackend            *backend,
                   const TesoroAuditFilter  *filter,
                   GError                  **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = g_string_new ("SELECT id, at, actor, action, contact_uid, details, prev_hash, hash"
                                         " FROM audit_log WHERE 1");
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (filter->action != NULL)
    g_string_append (sql, " AND action = ?1");
  if (filter->contact_uid != NULL)
    g_string_append (sql, " AND contact_uid = ?2");
  if (filter->since != NULL)
    g_string_append (sql, " AND at >= ?3");
  if (filter->until != NULL)
    g_string_append (sql, " AND at < ?4");
  if (filter->actor != NULL)
    g_string_append (sql, " AND actor = ?5");
  if (filter->actions != NULL)
    {
      g_string_append (sql, " AND action IN (");
      for (guint i = 0; filter->actions[i] != NULL; i++)
        g_string_append_printf (sql, i == 0 ? "?%u" : ", ?%u", 10 + i);
      g_string_append (sql, filter->actions[0] == NULL ? "NULL)" : ")");
    }
  g_string_append (sql, filter->newest_first ? " ORDER BY id DESC" : " ORDER BY id");
  if (filter->limit > 0)
    g_string_append_printf (sql, " LIMIT %u", filter->limit);

  rc = sqlite3_prepare_v2 (tesoro_db_get_handle (self->db), sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (self->db, error, rc, NULL);
      return NULL;
    }
  if (filter->action != NULL)
    tesoro_db_bind_text (stmt, 1, filter->action);
  if (filter->contact_uid != NULL)
    tesoro_db_bind_text (stmt, 2, filter->contact_uid);
  if (filter->since != NULL)
    tesoro_db_bind_text (stmt, 3, filter->since);
  if (filter->until != NULL)
    tesoro_db_bind_text (stmt, 4, filter->until);
  if (filter->actor != NULL)
    tesoro_db_bind_text (stmt, 5, filter->actor);
  for (guint i = 0; filter->actions != NULL && filter->actions[i] != NULL; i++)
    tesoro_db_bind_text (stmt, 10 + i, filter->actions[i]);

  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&entries);
}

/* The recorded head and every entry in id order, in one snapshot (entries
 * appended meanwhile by another connection would otherwise make the head
 * and the rows disagree). */
static gboolean
sqlite_scan_audit (TesoroBackend         *backend,
                   gboolean              *head_found,
                   gint64                *head_id,
                   char                 **head_hash,
                   TesoroAuditEntryFunc   func,
                   gpointer               user_data,
                   GError               **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  if (!tesoro_backend_begin_read (backend, error))
    return FALSE;

  if (!read_head (self, head_found, head_id, head_hash, error))
    goto out;

  rc = sqlite3_prepare_v2 (tesoro_db_get_handle (self->db),
                           "SELECT id, at, actor, action, contact_uid, details, prev_hash, hash"
                           " FROM audit_log ORDER BY id", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (self->db, error, rc, NULL);
      goto out;
    }

  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(TesoroAuditEntry) entry = entry_from_row (stmt);

      if (!func (entry, user_data, error))
        goto out;
    }
  ok = rc == SQLITE_DONE;

out:
  sqlite3_finalize (stmt);
  if (ok)
    ok = tesoro_backend_commit (backend, error);
  else
    tesoro_backend_rollback (backend);
  return ok;
}

/* Erasure receipts */

static gboolean
sqlite_insert_receipt (TesoroBackend         *backend,
                       TesoroErasureReceipt  *receipt,
                       GError               **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(JsonNode) counts_node = tesoro_linked_counts_to_json_node (tesoro_erasure_receipt_get_counts (receipt));
  g_autofree char *counts = tesoro_json_to_string (counts_node, FALSE);

  if (!tesoro_db_run (self->db, error,
                      "INSERT INTO erasure_receipts (contact_uid, erased_at, erased_by, method, reason,"
                      " counts, index_purged, files_purged) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                      "ssssssbb",
                      tesoro_erasure_receipt_get_contact_uid (receipt),
                      tesoro_erasure_receipt_get_erased_at (receipt),
                      tesoro_erasure_receipt_get_erased_by (receipt),
                      tesoro_erasure_receipt_get_method (receipt),
                      tesoro_erasure_receipt_get_reason (receipt),
                      counts,
                      tesoro_erasure_receipt_get_index_purged (receipt),
                      tesoro_erasure_receipt_get_files_purged (receipt)))
    return FALSE;

  _tesoro_erasure_receipt_set_id (receipt, tesoro_db_last_insert_id (self->db));
  return TRUE;
}

/* The receipts say so once the files are purged: a small write that holds
 * no personal data. */
static gboolean
sqlite_mark_receipts_purged (TesoroBackend  *backend,
                             GPtrArray      *receipts,
                             GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gint64 first = G_MAXINT64, last = 0;

  if (receipts->len == 0)
    return TRUE;

  /* The receipts of one run have consecutive ids. */
  for (guint i = 0; i < receipts->len; i++)
    {
      gint64 id = tesoro_erasure_receipt_get_id (receipts->pdata[i]);

      first = MIN (first, id);
      last = MAX (last, id);
    }
  if (!tesoro_db_run (self->db, error, "UPDATE erasure_receipts SET files_purged = 1 WHERE id BETWEEN ?1 AND ?2",
                      "ii", first, last))
    return FALSE;

  for (guint i = 0; i < receipts->len; i++)
    _tesoro_erasure_receipt_set_files_purged (receipts->pdata[i], TRUE);
  return TRUE;
}

/* The purges erasures could not finish because another connection was
 * reading. That connection may since have checkpointed the log into the
 * database itself, without the scrubbing VFS (an older Tesoro's log pages
 * held stale bytes), so the database file is scrubbed as a whole too. The
 * receipts' update is one statement, and holds no personal data. */
static gboolean
sqlite_finish_purges (TesoroBackend  *backend,
                      guint          *n_finished,
                      GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gint64 pending;
  int n_pages = 0;

  *n_finished = 0;
  pending = tesoro_db_query_int (self->db, "SELECT count(*) FROM erasure_receipts WHERE files_purged = 0", error);
  if (pending < 0)
    return FALSE;
  if (pending == 0)
    return TRUE;

  /* While another program still reads the state before the erasure, the
   * purge cannot finish: say so at once rather than wait for it. */
  if (!tesoro_db_checkpoint_complete (self->db))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_BUSY,
                   _("The database files cannot be purged yet: another program is reading the database"));
      return FALSE;
    }

  if (!tesoro_backend_purge (backend, error) ||
      !tesoro_db_scrub_file (self->db, &n_pages, error) ||
      !tesoro_db_run (self->db, error, "UPDATE erasure_receipts SET files_purged = 1 WHERE files_purged = 0", ""))
    return FALSE;
  if (n_pages > 0)
    g_debug ("Finishing %" G_GINT64_FORMAT " purges: %d pages of the database held stale bytes", pending, n_pages);

  /* The update's own page images go too; it holds nothing erased, so a
   * reader that prevents this is no reason to fail. */
  tesoro_backend_purge (backend, NULL);

  *n_finished = (guint) pending;
  return TRUE;
}

static gpointer
receipt_from_row (sqlite3_stmt *stmt)
{
  TesoroLinkedCounts counts;

  tesoro_linked_counts_from_json (tesoro_db_column_text (stmt, 6), &counts);
  return tesoro_erasure_receipt_new (sqlite3_column_int64 (stmt, 0),
                                     tesoro_db_column_text (stmt, 1),
                                     tesoro_db_column_text (stmt, 2),
                                     tesoro_db_column_text (stmt, 3),
                                     tesoro_db_column_text (stmt, 4),
                                     tesoro_db_column_text (stmt, 5),
                                     &counts,
                                     sqlite3_column_int (stmt, 7),
                                     sqlite3_column_int (stmt, 8));
}

#define RECEIPT_COLUMNS \
  "SELECT id, contact_uid, erased_at, erased_by, method, reason, counts, index_purged, files_purged" \
  " FROM erasure_receipts"

/* Every receipt, newest first; with @id, that one (NOT_FOUND if none). */
static GPtrArray *
sqlite_list_receipts (TesoroBackend  *backend,
                      gint64          id,
                      GError        **error)
{
  return list_one_or_all (SQLITE_BACKEND (backend), id, receipt_from_row, g_object_unref,
                          RECEIPT_COLUMNS " WHERE id = ?1", RECEIPT_COLUMNS " ORDER BY id DESC",
                          _("There is no erasure receipt with id %" PRId64), error);
}

/* Import batches */

static gint64
sqlite_insert_import_batch (TesoroBackend  *backend,
                            const char     *at,
                            const char     *actor,
                            const char     *format,
                            GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (!tesoro_db_run (self->db, error,
                      "INSERT INTO import_batches (at, actor, format, counts) VALUES (?1, ?2, ?3, '{}')",
                      "sss", at, actor, format))
    return -1;
  return tesoro_db_last_insert_id (self->db);
}

/* Records the counts of a finished import; or, with @undone_at, that it was
 * undone — then the batch's record of its contacts goes. */
static gboolean
sqlite_finish_import_batch (TesoroBackend  *backend,
                            gint64          batch_id,
                            const char     *counts,
                            const char     *undone_at,
                            GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (counts != NULL &&
      !tesoro_db_run (self->db, error, "UPDATE import_batches SET counts = ?2 WHERE id = ?1", "is", batch_id, counts))
    return FALSE;

  if (undone_at != NULL &&
      (!tesoro_db_run (self->db, error, "DELETE FROM import_items WHERE batch_id = ?1", "i", batch_id) ||
       !tesoro_db_run (self->db, error, "UPDATE import_batches SET undone_at = ?2 WHERE id = ?1",
                       "is", batch_id, undone_at)))
    return FALSE;

  return TRUE;
}

static gpointer
read_batch (sqlite3_stmt *stmt)
{
  TesoroImportBatch *batch = g_new0 (TesoroImportBatch, 1);
  g_autoptr(JsonNode) counts = json_from_string (tesoro_db_column_text (stmt, 4), NULL);

  batch->id = sqlite3_column_int64 (stmt, 0);
  batch->at = tesoro_db_column_dup (stmt, 1);
  batch->actor = tesoro_db_column_dup (stmt, 2);
  batch->format = tesoro_db_column_dup (stmt, 3);
  batch->undone_at = tesoro_db_column_dup (stmt, 5);
  batch->remaining_created = sqlite3_column_int64 (stmt, 6);
  batch->remaining_updated = sqlite3_column_int64 (stmt, 7);

  if (counts != NULL && JSON_NODE_HOLDS_OBJECT (counts))
    {
      JsonObject *o = json_node_get_object (counts);

      batch->records = json_object_get_int_member_with_default (o, "records", 0);
      batch->created = json_object_get_int_member_with_default (o, "created", 0);
      batch->updated = json_object_get_int_member_with_default (o, "updated", 0);
      batch->skipped = json_object_get_int_member_with_default (o, "skipped", 0);
      batch->invalid = json_object_get_int_member_with_default (o, "invalid", 0);
    }

  return batch;
}

#define BATCH_COLUMNS \
  "SELECT b.id, b.at, b.actor, b.format, b.counts, b.undone_at," \
  " (SELECT count (*) FROM import_items i WHERE i.batch_id = b.id AND i.action = 'created')," \
  " (SELECT count (*) FROM import_items i WHERE i.batch_id = b.id AND i.action = 'updated')" \
  " FROM import_batches b"

/* The imports, newest first; with @batch_id, that one (NOT_FOUND if none). */
static GPtrArray *
sqlite_list_import_batches (TesoroBackend  *backend,
                            gint64          batch_id,
                            GError        **error)
{
  return list_one_or_all (SQLITE_BACKEND (backend), batch_id, read_batch, (GDestroyNotify) tesoro_import_batch_free,
                          BATCH_COLUMNS " WHERE b.id = ?1", BATCH_COLUMNS " ORDER BY b.id DESC",
                          _("There is no import with number %" PRId64), error);
}

/* The import's record of a contact: created by it, or updated with
 * @previous (what Undo Import puts back). Personal data: it goes with the
 * contact (ON DELETE CASCADE). */
static gboolean
sqlite_put_import_item (TesoroBackend  *backend,
                        gint64          batch_id,
                        gint64          contact_id,
                        gboolean        created,
                        const char     *previous,
                        GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (created)
    return tesoro_db_run (self->db, error,
                          "INSERT INTO import_items (batch_id, contact_id, action) VALUES (?1, ?2, 'created')",
                          "ii", batch_id, contact_id);

  return tesoro_db_run (self->db, error,
                        "INSERT INTO import_items (batch_id, contact_id, action, previous)"
                        " VALUES (?1, ?2, 'updated', ?3)"
                        " ON CONFLICT (batch_id, contact_id) DO UPDATE SET previous = excluded.previous",
                        "iis", batch_id, contact_id, previous);
}

/* FALSE only on an error; @previous NULL and @created FALSE when the batch
 * has no record of the contact. */
static gboolean
sqlite_get_import_item (TesoroBackend  *backend,
                        gint64          batch_id,
                        gint64          contact_id,
                        gboolean       *created,
                        char          **previous,
                        GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;
  int rc;

  *created = FALSE;
  *previous = NULL;
  stmt = tesoro_db_prepare_with (self->db, error,
                                 "SELECT action = 'created', previous FROM import_items"
                                 " WHERE batch_id = ?1 AND contact_id = ?2",
                                 "ii", batch_id, contact_id);
  if (stmt == NULL)
    return FALSE;
  rc = tesoro_db_step (self->db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      *created = sqlite3_column_int (stmt, 0);
      *previous = tesoro_db_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

typedef struct
{
  GArray    *ids;
  GPtrArray *previous;
} Updates;

static void
add_update (sqlite3_stmt *stmt,
            gpointer      user_data)
{
  Updates *u = user_data;
  gint64 id = sqlite3_column_int64 (stmt, 0);

  g_array_append_val (u->ids, id);
  g_ptr_array_add (u->previous, tesoro_db_column_dup (stmt, 1));
}

/* The contacts the batch updated (by id) with what they were before. */
static gboolean
sqlite_list_import_updates (TesoroBackend  *backend,
                            gint64          batch_id,
                            GArray         *ids,
                            GPtrArray      *previous,
                            GError        **error)
{
  Updates u = { ids, previous };

  return tesoro_db_foreach_row (SQLITE_BACKEND (backend)->db, error, add_update, &u,
                                "SELECT contact_id, previous FROM import_items"
                                " WHERE batch_id = ?1 AND action = 'updated' ORDER BY contact_id",
                                "i", batch_id);
}

/* Removes the contacts the batch created, all at once (ON DELETE CASCADE
 * takes their details, history and index rows). Returns how many. */
static gint64
sqlite_delete_import_created (TesoroBackend  *backend,
                              gint64          batch_id,
                              GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (!tesoro_db_run (self->db, error,
                      "DELETE FROM contacts WHERE id IN"
                      " (SELECT contact_id FROM import_items WHERE batch_id = ?1 AND action = 'created')",
                      "i", batch_id))
    return -1;
  return tesoro_db_changes (self->db);
}

void
_tesoro_sqlite_ledgers_init (TesoroBackendInterface *iface)
{
  iface->append_audit = sqlite_append_audit;
  iface->list_audit = sqlite_list_audit;
  iface->scan_audit = sqlite_scan_audit;
  iface->insert_receipt = sqlite_insert_receipt;
  iface->mark_receipts_purged = sqlite_mark_receipts_purged;
  iface->finish_purges = sqlite_finish_purges;
  iface->list_receipts = sqlite_list_receipts;
  iface->insert_import_batch = sqlite_insert_import_batch;
  iface->finish_import_batch = sqlite_finish_import_batch;
  iface->list_import_batches = sqlite_list_import_batches;
  iface->put_import_item = sqlite_put_import_item;
  iface->get_import_item = sqlite_get_import_item;
  iface->list_import_updates = sqlite_list_import_updates;
  iface->delete_import_created = sqlite_delete_import_created;
}
