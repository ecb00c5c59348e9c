/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include "tesoro-search.h"
#include "tesoro-sqlite-backend-private.h"

/*
 * The search index: a plain (term, contact_id, fields) table of folded
 * prefix tokens, WITHOUT ROWID, rather than FTS5. Its rows go with their
 * contact (ON DELETE CASCADE) and are wiped in place by secure_delete and
 * the scrubbing VFS, which an FTS5 index does not allow (DESIGN.md rule 1).
 * `fields` holds the field groups a term comes from, so that a search by a
 * reader from whom some are hidden leaves them out.
 */

/* The groups the index has terms of. */
#define SEARCHED_GROUPS (TESORO_FIELDS_NAME | TESORO_FIELDS_ORGANIZATION | TESORO_FIELDS_EMAILS | \
                         TESORO_FIELDS_PHONES | TESORO_FIELDS_ADDRESSES)

/* Whether a search by a reader who sees @visible must filter by group. */
static gboolean
needs_mask (TesoroFieldGroups visible)
{
  return (visible & SEARCHED_GROUPS) != SEARCHED_GROUPS;
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
 * _tesoro_sqlite_flush_index:
 *
 * Writes the index rows gathered in bulk mode, sorted by term: one
 * statement for many contacts, and pages of the index filled in order
 * rather than at random. Inside the caller's transaction.
 */
gboolean
_tesoro_sqlite_flush_index (TesoroSqliteBackend *self,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  if (self->bulk_terms == NULL || self->bulk_n_terms == 0)
    return TRUE;

  g_string_append_c (self->bulk_terms, ']');
  stmt = tesoro_db_prepare (self->db,
                            "INSERT INTO search_terms (term, contact_id, fields)"
                            " SELECT json_extract (value, '$[0]'), json_extract (value, '$[1]'),"
                            " json_extract (value, '$[2]') FROM json_each (?1) WHERE 1 ORDER BY 1, 2"
                            " ON CONFLICT DO UPDATE SET fields = fields | excluded.fields",
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

/* Drops what was gathered and not written (after a rollback). */
void
_tesoro_sqlite_reset_bulk (TesoroSqliteBackend *self)
{
  if (self->bulk_terms != NULL)
    g_string_truncate (self->bulk_terms, 0);
  self->bulk_n_terms = 0;
}

/**
 * _tesoro_sqlite_index_contact:
 * @fresh: the contact was inserted just now (it has no rows to remove)
 *
 * Rewrites the contact's rows in the search index: names, organisation,
 * e-mail addresses, phone numbers and cities. In a bulk write the rows of
 * new contacts are gathered and written in term order.
 */
gboolean
_tesoro_sqlite_index_contact (TesoroSqliteBackend  *self,
                              TesoroContact        *contact,
                              gboolean              fresh,
                              GError              **error)
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
      if (!_tesoro_sqlite_flush_index (self, error))
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

  tesoro_search_add_tokens (tokens, tesoro_contact_get_given_name (contact), TESORO_TOKEN_WORDS,
                            TESORO_FIELDS_NAME);
  tesoro_search_add_tokens (tokens, tesoro_contact_get_family_name (contact), TESORO_TOKEN_WORDS,
                            TESORO_FIELDS_NAME);
  tesoro_search_add_tokens (tokens, tesoro_contact_get_display_name (contact), TESORO_TOKEN_WORDS,
                            TESORO_FIELDS_NAME);
  tesoro_search_add_tokens (tokens, tesoro_contact_get_organization (contact), TESORO_TOKEN_WORDS,
                            TESORO_FIELDS_ORGANIZATION);

  array = tesoro_contact_get_emails (contact);
  for (guint i = 0; i < array->len; i++)
    tesoro_search_add_tokens (tokens, ((TesoroDetail *) array->pdata[i])->value, TESORO_TOKEN_EMAIL,
                              TESORO_FIELDS_EMAILS);
  array = tesoro_contact_get_phones (contact);
  for (guint i = 0; i < array->len; i++)
    tesoro_search_add_tokens (tokens, ((TesoroDetail *) array->pdata[i])->value, TESORO_TOKEN_PHONE,
                              TESORO_FIELDS_PHONES);
  array = tesoro_contact_get_addresses (contact);
  for (guint i = 0; i < array->len; i++)
    tesoro_search_add_tokens (tokens, ((TesoroAddress *) array->pdata[i])->city, TESORO_TOKEN_WORDS,
                              TESORO_FIELDS_ADDRESSES);

  if (fresh && self->bulk_index)
    {
      GHashTableIter iter;
      gpointer token, groups;
      char id_text[24];
      int id_len = g_snprintf (id_text, sizeof id_text, "%" G_GINT64_FORMAT, id);

      if (self->bulk_terms == NULL)
        self->bulk_terms = g_string_sized_new (2 * 1024 * 1024 + 4096);

      g_hash_table_iter_init (&iter, tokens);
      while (g_hash_table_iter_next (&iter, &token, &groups))
        {
          g_string_append_c (self->bulk_terms, self->bulk_n_terms == 0 ? '[' : ',');
          g_string_append_c (self->bulk_terms, '[');
          append_json_string (self->bulk_terms, token);
          g_string_append_c (self->bulk_terms, ',');
          g_string_append_len (self->bulk_terms, id_text, id_len);
          g_string_append_printf (self->bulk_terms, ",%u]", GPOINTER_TO_UINT (groups));
          self->bulk_n_terms++;
        }

      return self->bulk_n_terms < BULK_INDEX_ROWS || _tesoro_sqlite_flush_index (self, error);
    }

  list = (const char **) g_hash_table_get_keys_as_array (tokens, &n_tokens);
  for (guint i = 0; i < n_tokens; i++)
    {
      stmt = tesoro_db_prepare (self->db,
                                "INSERT INTO search_terms (term, contact_id, fields) VALUES (?1, ?2, ?3)"
                                " ON CONFLICT DO UPDATE SET fields = fields | excluded.fields",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, list[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      sqlite3_bind_int (stmt, 3, GPOINTER_TO_UINT (g_hash_table_lookup (tokens, list[i])));
      if (!tesoro_db_step_done (self->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* Searching */

static void
append_id (sqlite3_stmt *stmt,
           gpointer      user_data)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);
  g_array_append_val ((GArray *) user_data, id);
}

static GArray *
collect_ids (TesoroSqliteBackend  *self,
             sqlite3_stmt         *stmt,
             GError              **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    append_id (stmt, ids);
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

/* The contacts (by name), or the trash (newest first). */
static GArray *
sqlite_list_ids (TesoroBackend  *backend,
                 gboolean        trash,
                 GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ok;

  if (trash)
    ok = tesoro_db_foreach_row (self->db, error, append_id, ids,
                                "SELECT id FROM contacts WHERE trashed_at IS NOT NULL ORDER BY trashed_at DESC, id DESC",
                                "");
  else
    ok = tesoro_db_foreach_row (self->db, error, append_id, ids,
                                "SELECT id FROM contacts INDEXED BY contacts_by_name"
                                " WHERE trashed_at IS NULL ORDER BY sort_key, id",
                                "");

  return ok ? g_steal_pointer (&ids) : NULL;
}

/* The contacts every one of @prefixes (folded) matches, in display order:
 * the straightforward SQL form of search. */
static GArray *
sqlite_search_ids (TesoroBackend      *backend,
                   GPtrArray          *prefixes,
                   TesoroFieldGroups   visible,
                   gboolean            trash,
                   GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) ends = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  GArray *ids;
  int rc;

  if (prefixes->len == 0)
    return sqlite_list_ids (backend, trash, error);

  g_string_append (sql, "SELECT id FROM contacts WHERE ");
  g_string_append (sql, trash ? "trashed_at IS NOT NULL" : "trashed_at IS NULL");
  g_string_append (sql, " AND id IN (");
  for (guint i = 0; i < prefixes->len; i++)
    {
      if (i > 0)
        g_string_append (sql, " INTERSECT ");
      g_string_append_printf (sql, "SELECT contact_id FROM search_terms WHERE term >= ?%u AND term < ?%u",
                              2 * i + 1, 2 * i + 2);
      if (needs_mask (visible))
        g_string_append_printf (sql, " AND fields & %u", (guint) visible);
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
 * _tesoro_sqlite_reindex_all:
 *
 * Builds the search index again from the contacts, in term order (as a
 * bulk write does), inside the caller's transaction: for the migration
 * that gave the index its field groups.
 */
gboolean
_tesoro_sqlite_reindex_all (TesoroSqliteBackend  *self,
                            GError              **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean was_bulk = self->bulk_index;
  gboolean ok = TRUE;

  if (!tesoro_db_exec (self->db, "DELETE FROM search_terms", error) ||
      !tesoro_db_foreach_row (self->db, error, append_id, ids, "SELECT id FROM contacts ORDER BY id", ""))
    return FALSE;

  self->bulk_index = TRUE;
  for (guint start = 0; ok && start < ids->len; start += 1024)
    {
      guint n = MIN (1024, ids->len - start);
      g_autoptr(GPtrArray) contacts = NULL;

      contacts = tesoro_backend_load_contacts (TESORO_BACKEND (self), &g_array_index (ids, gint64, start), n,
                                               TESORO_FIELDS_EMAILS | TESORO_FIELDS_PHONES |
                                               TESORO_FIELDS_ADDRESSES, error);
      ok = contacts != NULL;
      for (guint i = 0; ok && i < contacts->len; i++)
        ok = _tesoro_sqlite_index_contact (self, contacts->pdata[i], TRUE, error);
    }
  ok = ok && _tesoro_sqlite_flush_index (self, error);
  if (!ok)
    _tesoro_sqlite_reset_bulk (self);
  self->bulk_index = was_bulk;
  return ok;
}

typedef struct
{
  TesoroIdFunc func;
  gpointer     data;
} Match;

static void
match_row (sqlite3_stmt *stmt,
           gpointer      user_data)
{
  Match *m = user_data;
  m->func (sqlite3_column_int64 (stmt, 0), m->data);
}

/* The raw index scan behind the list model's search: @func for each
 * contact id @prefix matches (possibly more than once). */
static gboolean
sqlite_foreach_match (TesoroBackend      *backend,
                      const char         *prefix,
                      TesoroFieldGroups   visible,
                      TesoroIdFunc        func,
                      gpointer            user_data,
                      GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autofree char *end = tesoro_search_prefix_end (prefix);
  Match match = { func, user_data };

  if (needs_mask (visible))
    return tesoro_db_foreach_row (self->db, error, match_row, &match,
                                  "SELECT contact_id FROM search_terms WHERE term >= ?1 AND term < ?2"
                                  " AND fields & ?3",
                                  "ssi", prefix, end, (gint64) visible);
  return tesoro_db_foreach_row (self->db, error, match_row, &match,
                                "SELECT contact_id FROM search_terms WHERE term >= ?1 AND term < ?2",
                                "ss", prefix, end);
}

static gboolean
sqlite_contact_matches (TesoroBackend      *backend,
                        gint64              id,
                        GPtrArray          *prefixes,
                        TesoroFieldGroups   visible,
                        GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gint64 mask = needs_mask (visible) ? (gint64) visible : -1;

  for (guint i = 0; i < prefixes->len; i++)
    {
      g_autofree char *end = tesoro_search_prefix_end (prefixes->pdata[i]);

      if (tesoro_db_query_id (self->db, error,
                              "SELECT 1 FROM search_terms INDEXED BY search_terms_by_contact"
                              " WHERE contact_id = ?1 AND term >= ?2 AND term < ?3 AND fields & ?4 LIMIT 1",
                              "issi", id, prefixes->pdata[i], end, mask) != 1)
        return FALSE;
    }

  return TRUE;
}

/* The key the list is sorted by, or NULL if there is no such contact. */
static char *
sqlite_get_sort_key (TesoroBackend  *backend,
                     gint64          id,
                     gboolean       *trashed,
                     GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;
  char *key = NULL;

  stmt = tesoro_db_prepare_with (self->db, error,
                                 "SELECT sort_key, trashed_at IS NOT NULL FROM contacts WHERE id = ?1", "i", id);
  if (stmt == NULL)
    return NULL;
  if (tesoro_db_step (self->db, stmt, error) == SQLITE_ROW)
    {
      key = tesoro_db_column_dup (stmt, 0);
      if (trashed != NULL)
        *trashed = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);

  return key;
}

void
_tesoro_sqlite_search_init (TesoroBackendInterface *iface)
{
  iface->list_ids = sqlite_list_ids;
  iface->search_ids = sqlite_search_ids;
  iface->foreach_match = sqlite_foreach_match;
  iface->contact_matches = sqlite_contact_matches;
  iface->get_sort_key = sqlite_get_sort_key;
}
