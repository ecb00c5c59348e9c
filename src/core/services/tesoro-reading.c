/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-reading"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "tesoro-consent-state.h"
#include "tesoro-error.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * The entry points through which personal data is read: one contact, the
 * rows of a list, and search. Every one needs the "view" permission and
 * applies the field mask of the acting user's role (tesoro-access.c); one
 * contact shown is recorded in the audit of views. The exports' scans are
 * the only other readers (tesoro-export-data.c, tesoro-bulk-export.c).
 */

/* The current state of marketing consent, derived from the ledger. */
static void
derive_consent_state (TesoroContact *contact)
{
  GPtrArray *events = tesoro_contact_get_consent (contact);
  TesoroConsentEvent *newest = NULL;

  for (guint i = 0; i < events->len; i++)
    {
      TesoroConsentEvent *c = events->pdata[i];

      if (g_strcmp0 (c->purpose, TESORO_PURPOSE_MARKETING_EMAIL) != 0)
        continue;
      if (newest == NULL || g_strcmp0 (c->at, newest->at) >= 0)
        newest = c;
    }

  tesoro_contact_set_consent_state (contact,
                                    newest == NULL ? "unknown" : newest->granted ? "granted" : "withdrawn");
}

/**
 * _tesoro_session_load_whole:
 *
 * Returns: (transfer full) (nullable): the whole contact as stored, with
 *   nothing masked and no view recorded: for the services' own checks
 */
TesoroContact *
_tesoro_session_load_whole (TesoroSession  *self,
                            gint64          id,
                            GError        **error)
{
  g_autoptr(GPtrArray) contacts = NULL;
  TesoroContact *contact;

  contacts = tesoro_backend_load_contacts (_tesoro_session_get_backend (self), &id, 1, TESORO_FIELDS_ALL, error);
  if (contacts == NULL)
    return NULL;
  if (contacts->len == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no contact with id %" PRId64), id);
      return NULL;
    }

  contact = g_object_ref (contacts->pdata[0]);
  derive_consent_state (contact);
  return contact;
}

/**
 * tesoro_session_get_contact:
 *
 * Shows a contact to the acting user: what their role lets them see of it
 * (tesoro_contact_get_shown_groups() says which groups), recorded in the
 * audit of views.
 *
 * Returns: (transfer full) (nullable): the contact with its history
 */
TesoroContact *
tesoro_session_get_contact (TesoroSession  *self,
                            gint64          id,
                            GError        **error)
{
  g_autoptr(TesoroContact) contact = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error) ||
      (contact = _tesoro_session_load_whole (self, id, error)) == NULL)
    return NULL;

  _tesoro_session_mask (self, contact);
  if (!_tesoro_session_record_view (self, contact, error))
    return NULL;
  return g_steal_pointer (&contact);
}

/**
 * tesoro_session_lookup_contact:
 * @id_or_uid: a contact's id ("12") or uid
 *
 * Returns: (transfer full) (nullable): the whole contact
 */
TesoroContact *
tesoro_session_lookup_contact (TesoroSession  *self,
                               const char     *id_or_uid,
                               GError        **error)
{
  guint64 id = 0;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  g_return_val_if_fail (id_or_uid != NULL, NULL);

  if (tesoro_is_valid_uid (id_or_uid))
    {
      gint64 found = tesoro_backend_find_by_uid (_tesoro_session_get_backend (self), id_or_uid, TRUE, error);

      if (found < 0)
        return NULL;
      if (found == 0)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
                       _("There is no contact with uid %s"), id_or_uid);
          return NULL;
        }
      id = (guint64) found;
    }
  else if (!g_ascii_string_to_unsigned (id_or_uid, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.40s” is neither a contact id (a number) nor a uid"), id_or_uid);
      return NULL;
    }

  return tesoro_session_get_contact (self, (gint64) id, error);
}

/**
 * tesoro_session_resolve_uid:
 * @id_or_uid: a contact's id ("12") or uid
 *
 * The uid of a contact, without showing (or recording a view of) anything
 * else of it: for filters such as the audit log's. A well-formed uid is
 * returned as it is, even of a contact erased since.
 *
 * Returns: (transfer full) (nullable): the uid
 */
char *
tesoro_session_resolve_uid (TesoroSession  *self,
                            const char     *id_or_uid,
                            GError        **error)
{
  g_auto(TesoroContactState) state = { 0 };
  guint64 id = 0;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  g_return_val_if_fail (id_or_uid != NULL, NULL);

  if (!tesoro_session_is_signed_in (self))
    {
      tesoro_session_require (self, TESORO_PERMISSION_VIEW, error);
      return NULL;
    }
  if (tesoro_is_valid_uid (id_or_uid))
    return g_strdup (id_or_uid);
  if (!g_ascii_string_to_unsigned (id_or_uid, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.40s” is neither a contact id (a number) nor a uid"), id_or_uid);
      return NULL;
    }
  if (!tesoro_backend_get_contact_state (_tesoro_session_get_backend (self), (gint64) id, &state, error))
    return NULL;
  return g_strdup (state.uid);
}

/**
 * tesoro_session_load_summaries:
 * @ids: (array length=n_ids): contact ids
 *
 * Loads what a list row shows (name, organisation, primary e-mail address,
 * restriction and consent), not the whole contact.
 *
 * Returns: (transfer full) (element-type TesoroContact): one contact per id
 * that still exists, in the order of @ids
 */
GPtrArray *
tesoro_session_load_summaries (TesoroSession  *self,
                               const gint64   *ids,
                               guint           n_ids,
                               GError        **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error))
    return NULL;
  rows = tesoro_backend_load_summaries (_tesoro_session_get_backend (self), ids, n_ids, error);
  if (rows != NULL && _tesoro_session_visible (self) != TESORO_FIELDS_ALL)
    for (guint i = 0; i < rows->len; i++)
      _tesoro_session_mask (self, rows->pdata[i]);
  return rows;
}

gint64
tesoro_session_count_contacts (TesoroSession  *self,
                               gboolean        trash,
                               GError        **error)
{
  TesoroContactQuery query;

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error))
    return -1;
  tesoro_contact_query_init (&query);
  query.trash = trash ? 1 : 0;
  return tesoro_backend_count_contacts (_tesoro_session_get_backend (self), &query, error);
}

/**
 * tesoro_session_list_ids:
 * @trash: list the trash (newest first) rather than the contacts (by name)
 *
 * Returns: (transfer full) (element-type gint64): the ids in display order
 */
GArray *
tesoro_session_list_ids (TesoroSession  *self,
                         gboolean        trash,
                         GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error))
    return NULL;
  return tesoro_backend_list_ids (_tesoro_session_get_backend (self), trash, error);
}

/**
 * tesoro_session_search_ids:
 * @query: what the user typed; every word must match the start of a word of
 *   the name, organisation, e-mail address, phone number or city — of those
 *   the acting user may see: a hidden field never makes a contact match
 *
 * The straightforward form of search, for the command line and for
 * checking the list model's faster in-memory search.
 *
 * Returns: (transfer full) (element-type gint64): the matching ids in display order
 */
GArray *
tesoro_session_search_ids (TesoroSession  *self,
                           const char     *query,
                           gboolean        trash,
                           GError        **error)
{
  g_autoptr(GPtrArray) prefixes = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error))
    return NULL;
  prefixes = tesoro_search_parse_query (query);
  return tesoro_backend_search_ids (_tesoro_session_get_backend (self), prefixes, _tesoro_session_visible (self),
                                    trash, error);
}

/**
 * tesoro_session_foreach_match:
 * @prefix: one folded prefix from tesoro_search_parse_query()
 * @func: called for each matching contact id (possibly more than once)
 *
 * The raw index scan behind the list model's search.
 */
gboolean
tesoro_session_foreach_match (TesoroSession  *self,
                              const char     *prefix,
                              TesoroIdFunc    func,
                              gpointer        user_data,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (prefix != NULL && *prefix != '\0', FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error))
    return FALSE;
  return tesoro_backend_foreach_match (_tesoro_session_get_backend (self), prefix, _tesoro_session_visible (self),
                                       func, user_data, error);
}

/**
 * tesoro_session_contact_matches:
 * @prefixes: (element-type utf8): from tesoro_search_parse_query()
 *
 * Returns: whether contact @id matches every prefix
 */
gboolean
tesoro_session_contact_matches (TesoroSession  *self,
                                gint64          id,
                                GPtrArray      *prefixes,
                                GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error))
    return FALSE;
  return tesoro_backend_contact_matches (_tesoro_session_get_backend (self), id, prefixes,
                                         _tesoro_session_visible (self), error);
}

/**
 * tesoro_session_get_sort_key:
 * @trashed: (out) (optional): whether the contact is in the trash
 *
 * Returns: (transfer full) (nullable): the key the list is sorted by, or
 * %NULL if there is no such contact
 */
char *
tesoro_session_get_sort_key (TesoroSession  *self,
                             gint64          id,
                             gboolean       *trashed,
                             GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error))
    return NULL;
  return tesoro_backend_get_sort_key (_tesoro_session_get_backend (self), id, trashed, error);
}
