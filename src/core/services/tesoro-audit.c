/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-audit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "tesoro-audit.h"
#include "tesoro-atomic-file.h"
#include "tesoro-csv.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-access.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Reading the accountability log, and checking its hash chain: every
 * entry's hash is computed again, each must follow the one before it, and
 * the newest must be the head the settings record (so that removing the
 * newest entries is detected too).
 */

/**
 * tesoro_session_append_audit:
 * @action: what happened, one of the `TESORO_AUDIT_…` names
 * @contact_uid: (nullable): the uid of the contact it concerns
 * @details: (nullable): a JSON object with no personal data in it
 *
 * Appends an entry to the accountability log, as the session's actor, now.
 * Inside a transaction of the caller it becomes part of it.
 *
 * Returns: the entry's id, or -1 with @error set
 */
gint64
tesoro_session_append_audit (TesoroSession  *self,
                             const char     *action,
                             const char     *contact_uid,
                             JsonNode       *details,
                             GError        **error)
{
  g_autofree char *details_text = NULL;
  g_autofree char *now = tesoro_now_iso ();
  gint64 id;

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);
  g_return_val_if_fail (action != NULL && *action != '\0', -1);
  g_return_val_if_fail (details == NULL || JSON_NODE_HOLDS_OBJECT (details), -1);

  if (tesoro_session_get_actor (self) == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION, _("Nobody is signed in: sign in first"));
      return -1;
    }

  details_text = details != NULL ? tesoro_json_to_string (details, FALSE) : g_strdup ("{}");
  id = tesoro_backend_append_audit (_tesoro_session_get_backend (self), now, tesoro_session_get_actor (self),
                                    action, contact_uid, details_text, error);
  if (id < 0)
    g_prefix_error (error, _("Cannot write to the audit log: "));
  return id;
}

/**
 * tesoro_session_list_audit:
 * @filter: (nullable): which entries; %NULL for all, oldest first
 *
 * Returns: (transfer full) (element-type TesoroAuditEntry): the entries
 */
GPtrArray *
tesoro_session_list_audit (TesoroSession            *self,
                           const TesoroAuditFilter  *filter,
                           GError                  **error)
{
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  TesoroAuditFilter normalized;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_AUDIT_LOG, error))
    return NULL;

  if (filter != NULL)
    normalized = *filter;
  else
    tesoro_audit_filter_init (&normalized);

  if (filter != NULL && filter->since != NULL && *filter->since != '\0' &&
      (since = tesoro_normalize_timestamp (filter->since, FALSE, error)) == NULL)
    return NULL;
  if (filter != NULL && filter->until != NULL && *filter->until != '\0' &&
      (until = tesoro_normalize_timestamp (filter->until, FALSE, error)) == NULL)
    return NULL;
  normalized.since = since;
  normalized.until = until;

  return tesoro_backend_list_audit (_tesoro_session_get_backend (self), &normalized, error);
}

typedef struct
{
  GCancellable *cancellable;
  char         *expected_prev;
  gint64        last_id;
  gint64        count;
  gint64        broken_id;
} Verify;

static gboolean
verify_entry_cb (TesoroAuditEntry  *entry,
                 gpointer           user_data,
                 GError           **error)
{
  Verify *v = user_data;
  gint64 id = tesoro_audit_entry_get_id (entry);
  g_autofree char *computed = NULL;

  if (++v->count % 4096 == 0 && g_cancellable_set_error_if_cancelled (v->cancellable, error))
    return FALSE;

  if (g_strcmp0 (tesoro_audit_entry_get_prev_hash (entry), v->expected_prev) != 0)
    {
      v->broken_id = id;
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The audit log does not verify: entry %" PRId64 " does not follow the "
                     "entry before it (an entry was removed or changed)"), id);
      return FALSE;
    }

  computed = tesoro_audit_compute_hash (tesoro_audit_entry_get_prev_hash (entry), id,
                                        tesoro_audit_entry_get_at (entry), tesoro_audit_entry_get_actor (entry),
                                        tesoro_audit_entry_get_action (entry),
                                        tesoro_audit_entry_get_contact_uid (entry),
                                        tesoro_audit_entry_get_details (entry));
  if (g_strcmp0 (computed, tesoro_audit_entry_get_hash (entry)) != 0)
    {
      v->broken_id = id;
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The audit log does not verify: entry %" PRId64 " has been altered"), id);
      return FALSE;
    }

  g_free (v->expected_prev);
  v->expected_prev = g_strdup (tesoro_audit_entry_get_hash (entry));
  v->last_id = id;
  return TRUE;
}

/**
 * tesoro_session_verify_audit:
 * @cancellable: (nullable): to stop a long check
 * @n_entries: (out) (optional): how many entries were checked
 * @first_broken_id: (out) (optional): the id of the first entry that does
 *   not verify (altered, or following a removed one; for removed newest
 *   entries, the id the head names), or 0
 * @head_hash: (out) (optional) (transfer full): the hash of the newest entry,
 *   to note elsewhere: a later check can then prove the log was not rewritten
 *
 * Recomputes the hash chain.
 *
 * Returns: %TRUE if the whole log verifies. Otherwise %FALSE with @error
 *   set: %TESORO_ERROR_INVALID (with @first_broken_id > 0) when the log has
 *   been tampered with, another code when it could not be read
 */
gboolean
tesoro_session_verify_audit (TesoroSession  *self,
                             GCancellable   *cancellable,
                             gint64         *n_entries,
                             gint64         *first_broken_id,
                             char          **head_hash,
                             GError        **error)
{
  Verify v = { cancellable, g_strdup (TESORO_AUDIT_GENESIS_HASH), 0, 0, 0 };
  g_autofree char *anchor_hash = NULL;
  gboolean anchor_found = FALSE;
  gint64 anchor_id = 0;
  gboolean ok;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_AUDIT_LOG, error))
    return FALSE;

  if (n_entries != NULL)
    *n_entries = 0;
  if (first_broken_id != NULL)
    *first_broken_id = 0;
  if (head_hash != NULL)
    *head_hash = NULL;

  ok = tesoro_backend_scan_audit (_tesoro_session_get_backend (self), &anchor_found, &anchor_id, &anchor_hash,
                                  verify_entry_cb, &v, error);

  if (ok && v.count > 0 &&
      (!anchor_found || anchor_id != v.last_id || g_strcmp0 (anchor_hash, v.expected_prev) != 0))
    {
      if (anchor_found && anchor_id > v.last_id)
        {
          v.broken_id = anchor_id;
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("The audit log does not verify: it ends at entry %" PRId64
                         ", but entry %" PRId64 " was written (entries were removed)"),
                       v.last_id, anchor_id);
        }
      else
        {
          v.broken_id = v.last_id;
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("The audit log does not verify: its recorded head does not match entry %" PRId64),
                       v.last_id);
        }
      ok = FALSE;
    }
  else if (ok && v.count == 0 && anchor_found)
    {
      v.broken_id = MAX (anchor_id, 1);
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The audit log does not verify: all its entries were removed"));
      ok = FALSE;
    }

  if (first_broken_id != NULL)
    *first_broken_id = v.broken_id;
  if (n_entries != NULL)
    *n_entries = v.count;
  if (ok && head_hash != NULL)
    *head_hash = g_steal_pointer (&v.expected_prev);
  g_free (v.expected_prev);

  return ok;
}

/**
 * tesoro_session_write_audit_csv:
 * @entries: (element-type TesoroAuditEntry): what to write, as shown
 * @path: the file; it is replaced atomically
 *
 * Writes audit entries as CSV for the privacy officer: id, time, user,
 * action, contact uid, details, and the hashes that chain them. Needs the
 * "audit-log" permission. The entries hold no personal data, so neither
 * does the file.
 */
gboolean
tesoro_session_write_audit_csv (TesoroSession  *self,
                                GPtrArray      *entries,
                                const char     *path,
                                GError        **error)
{
  static const char * const header[] = { "id", "at", "user", "action", "contact_uid", "details", "prev_hash", "hash" };
  g_autoptr(TesoroAtomicFile) file = NULL;
  g_autoptr(TesoroCsvWriter) writer = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_AUDIT_LOG, error))
    return FALSE;

  file = tesoro_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  writer = tesoro_csv_writer_new (tesoro_atomic_file_get_stream (file), ',',
                                  TESORO_CSV_WRITER_BOM | TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS);
  if (!tesoro_csv_writer_write_row (writer, header, G_N_ELEMENTS (header), NULL, error))
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      TesoroAuditEntry *e = entries->pdata[i];
      g_autofree char *id = g_strdup_printf ("%" PRId64, tesoro_audit_entry_get_id (e));
      const char *row[] = {
        id, tesoro_audit_entry_get_at (e), tesoro_audit_entry_get_actor (e), tesoro_audit_entry_get_action (e),
        tesoro_audit_entry_get_contact_uid (e), tesoro_audit_entry_get_details (e),
        tesoro_audit_entry_get_prev_hash (e), tesoro_audit_entry_get_hash (e),
      };

      if (!tesoro_csv_writer_write_row (writer, row, G_N_ELEMENTS (row), NULL, error))
        return FALSE;
    }

  return tesoro_csv_writer_flush (writer, NULL, error) && tesoro_atomic_file_commit (file, NULL, error);
}
