/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include <string.h>

#include "tesoro-error.h"
#include "tesoro-sqlite-backend-private.h"

/*
 * Scans of many contacts: the rows of File → Export, the consent of every
 * contact for the marketing list, the e-mail addresses for an import's
 * matching. A million contacts must be read in about the time SQLite's own
 * CSV output takes, so they are read in id order by one cursor per table
 * and merged here (or, for a small selection, looked up one by one), not
 * loaded contact by contact.
 */

/* A selection smaller than total / SCAN_RATIO is looked up contact by
 * contact; a larger one is read by scanning the tables. */
#define SCAN_RATIO 16

/* Cursors: the rows of one table that belong to a contact, either from a
 * scan of the whole table ordered by contact id, or looked up per id. */

typedef struct
{
  TesoroDb     *db;
  sqlite3_stmt *stmt;
  gboolean      per_id;
  gboolean      started;
  int           rc;        /* of the last step: SQLITE_ROW or SQLITE_DONE */
} Cursor;

static gboolean
cursor_init (Cursor      *c,
             TesoroDb    *db,
             const char  *scan_sql,
             const char  *per_id_sql,
             gboolean     per_id,
             GError     **error)
{
  memset (c, 0, sizeof *c);
  c->db = db;
  c->per_id = per_id;
  c->stmt = tesoro_db_prepare (db, per_id ? per_id_sql : scan_sql, error);
  return c->stmt != NULL;
}

static void
cursor_clear (Cursor *c)
{
  if (c->stmt != NULL)
    sqlite3_reset (c->stmt);
  c->stmt = NULL;
}

static gboolean
cursor_step (Cursor  *c,
             GError **error)
{
  c->rc = tesoro_db_step (c->db, c->stmt, error);
  return c->rc >= 0;
}

/* Positions the cursor on the first row of contact @id. */
static gboolean
cursor_seek (Cursor  *c,
             gint64   id,
             GError **error)
{
  if (c->per_id)
    {
      sqlite3_reset (c->stmt);
      sqlite3_bind_int64 (c->stmt, 1, id);
      return cursor_step (c, error);
    }

  if (!c->started)
    {
      c->started = TRUE;
      if (!cursor_step (c, error))
        return FALSE;
    }
  while (c->rc == SQLITE_ROW && sqlite3_column_int64 (c->stmt, 0) < id)
    if (!cursor_step (c, error))
      return FALSE;
  return TRUE;
}

/* Whether the current row belongs to contact @id. */
static gboolean
cursor_at (Cursor *c,
           gint64  id)
{
  return c->rc == SQLITE_ROW && sqlite3_column_int64 (c->stmt, 0) == id;
}

/* Which contacts: the sorted @ids, or (@ids %NULL) every contact not in the
 * trash, restricted ones only if asked. */
typedef struct
{
  TesoroDb *db;
  GArray   *ids;
  gboolean  include_restricted;
} Selection;

static gboolean
is_selected (Selection *sel,
             gint64     id)
{
  guint lo = 0, hi;

  if (sel->ids == NULL)
    {
      sqlite3_stmt *stmt = tesoro_db_prepare_with (sel->db, NULL,
                                                   "SELECT trashed_at IS NULL AND (?2 OR restricted = 0)"
                                                   " FROM contacts WHERE id = ?1",
                                                   "ib", id, sel->include_restricted);
      gboolean yes = FALSE;

      if (stmt == NULL)
        return FALSE;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        yes = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
      return yes;
    }

  hi = sel->ids->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 v = g_array_index (sel->ids, gint64, mid);

      if (v == id)
        return TRUE;
      if (v < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

static gboolean
use_per_id (TesoroSqliteBackend  *self,
            GArray               *ids,
            gboolean             *per_id,
            GError              **error)
{
  gint64 total;

  *per_id = FALSE;
  if (ids == NULL)
    return TRUE;
  total = tesoro_db_query_int (self->db, "SELECT count (*) FROM contacts", error);
  if (total < 0)
    return FALSE;
  *per_id = (gint64) ids->len * SCAN_RATIO < total;
  return TRUE;
}

/*
 * The most values (e-mail addresses, phones, addresses) one of the
 * selected contacts has. Positions are 0, 1, 2… per contact, so a scan of
 * the rows with a position above 0 — few, as most people have one of
 * each — finds it without counting every contact's rows.
 */
static gboolean
count_max (TesoroDb    *db,
           Selection   *sel,
           gboolean     per_id,
           const char  *scan_sql,
           const char  *per_id_sql,
           guint       *max,
           GError     **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, per_id ? per_id_sql : scan_sql, error);
  int rc = SQLITE_DONE;

  *max = 0;
  if (stmt == NULL)
    return FALSE;

  if (per_id)
    {
      for (guint i = 0; i < sel->ids->len && rc >= 0; i++)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, g_array_index (sel->ids, gint64, i));
          rc = tesoro_db_step (db, stmt, error);
          if (rc == SQLITE_ROW)
            *max = MAX (*max, (guint) sqlite3_column_int (stmt, 0));
        }
    }
  else
    {
      while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
        {
          guint n = (guint) sqlite3_column_int (stmt, 1) + 1;

          if (n > *max && is_selected (sel, sqlite3_column_int64 (stmt, 0)))
            *max = n;
        }
    }

  sqlite3_reset (stmt);
  return rc >= 0;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
sqlite_get_export_layout (TesoroBackend       *backend,
                          GArray              *ids,
                          gboolean             include_restricted,
                          TesoroExportLayout  *layout,
                          GError             **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  TesoroDb *db = self->db;
  Selection sel = { db, ids, include_restricted };
  /* Field ids are small row ids: they fit a pointer. */
  g_autoptr(GHashTable) field_ids = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean per_id;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  memset (layout, 0, sizeof *layout);
  if (!use_per_id (self, ids, &per_id, error) ||
      !count_max (db, &sel, per_id,
                  "SELECT contact_id, position FROM contact_emails WHERE position > 0",
                  "SELECT count (*) FROM contact_emails WHERE contact_id = ?1",
                  &layout->n_emails, error) ||
      !count_max (db, &sel, per_id,
                  "SELECT contact_id, position FROM contact_phones WHERE position > 0",
                  "SELECT count (*) FROM contact_phones WHERE contact_id = ?1",
                  &layout->n_phones, error) ||
      !count_max (db, &sel, per_id,
                  "SELECT contact_id, position FROM contact_addresses WHERE position > 0",
                  "SELECT count (*) FROM contact_addresses WHERE contact_id = ?1",
                  &layout->n_addresses, error))
    return FALSE;

  /* The custom fields the selected contacts have values for. */
  stmt = tesoro_db_prepare (db,
                            per_id ? "SELECT field_id FROM contact_custom_values WHERE contact_id = ?1"
                                   : "SELECT field_id, contact_id FROM contact_custom_values",
                            error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < (per_id ? ids->len : 1) && rc >= 0; i++)
    {
      sqlite3_reset (stmt);
      if (per_id)
        sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
        {
          gint64 field_id = sqlite3_column_int64 (stmt, 0);
          gpointer key = GSIZE_TO_POINTER ((gsize) field_id);

          if (g_hash_table_contains (field_ids, key))
            continue;
          if (!per_id && !is_selected (&sel, sqlite3_column_int64 (stmt, 1)))
            continue;
          g_array_append_val (found, field_id);
          g_hash_table_add (field_ids, key);
        }
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  layout->custom_names = g_ptr_array_new_with_free_func (g_free);
  stmt = tesoro_db_prepare (db, "SELECT name FROM custom_fields WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < found->len; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (found, gint64, i));
      rc = tesoro_db_step (db, stmt, error);
      if (rc < 0)
        return FALSE;
      if (rc == SQLITE_ROW)
        g_ptr_array_add (layout->custom_names, tesoro_db_column_dup (stmt, 0));
    }
  sqlite3_reset (stmt);
  g_ptr_array_sort (layout->custom_names, compare_names);

  return TRUE;
}

/* The export rows */

typedef struct
{
  Cursor           contacts;
  Cursor           emails;
  Cursor           phones;
  Cursor           addresses;
  Cursor           tags;
  Cursor           custom;
  Cursor           consent;

  /* The values of the current contact's rows are copied here (the cursors
   * move on), at these offsets; the row's pointers are set at the end. */
  GString         *arena;
  gsize           *offsets;
  guint            n_offsets;
  guint            offsets_size;
  gboolean        *primary;
  guint            n_primary;
  guint            primary_size;
  gboolean         any_custom;   /* the custom cursor is left out without values */
  TesoroExportRow  row;
} Scan;

static void
scan_clear (Scan *s)
{
  cursor_clear (&s->contacts);
  cursor_clear (&s->emails);
  cursor_clear (&s->phones);
  cursor_clear (&s->addresses);
  cursor_clear (&s->tags);
  cursor_clear (&s->custom);
  cursor_clear (&s->consent);
  g_string_free (s->arena, TRUE);
  g_free (s->offsets);
  g_free (s->primary);
  g_array_unref (s->row.emails);
  g_array_unref (s->row.phones);
  g_array_unref (s->row.addresses);
  g_ptr_array_unref (s->row.tags);
  g_ptr_array_unref (s->row.custom);
}

static gboolean
scan_init (Scan      *s,
           TesoroDb  *db,
           gboolean   per_id,
           GError   **error)
{
  memset (s, 0, sizeof *s);
  s->arena = g_string_sized_new (4096);
  s->row.emails = g_array_new (FALSE, TRUE, sizeof (TesoroRowDetail));
  s->row.phones = g_array_new (FALSE, TRUE, sizeof (TesoroRowDetail));
  s->row.addresses = g_array_new (FALSE, TRUE, sizeof (TesoroRowAddress));
  s->row.tags = g_ptr_array_new ();
  s->row.custom = g_ptr_array_new ();

  return cursor_init (&s->contacts, db,
                      "SELECT id, given_name, family_name, display_name, organization, job_title, birthday,"
                      " lawful_basis, trashed_at IS NOT NULL, restricted FROM contacts ORDER BY id",
                      "SELECT id, given_name, family_name, display_name, organization, job_title, birthday,"
                      " lawful_basis, trashed_at IS NOT NULL, restricted FROM contacts WHERE id = ?1",
                      per_id, error) &&
         cursor_init (&s->emails, db,
                      "SELECT contact_id, label, value, is_primary FROM contact_emails ORDER BY contact_id, position",
                      "SELECT contact_id, label, value, is_primary FROM contact_emails WHERE contact_id = ?1"
                      " ORDER BY position",
                      per_id, error) &&
         cursor_init (&s->phones, db,
                      "SELECT contact_id, label, value, is_primary FROM contact_phones ORDER BY contact_id, position",
                      "SELECT contact_id, label, value, is_primary FROM contact_phones WHERE contact_id = ?1"
                      " ORDER BY position",
                      per_id, error) &&
         cursor_init (&s->addresses, db,
                      "SELECT contact_id, label, street, postal_code, city, region, country FROM contact_addresses"
                      " ORDER BY contact_id, position",
                      "SELECT contact_id, label, street, postal_code, city, region, country FROM contact_addresses"
                      " WHERE contact_id = ?1 ORDER BY position",
                      per_id, error) &&
         cursor_init (&s->tags, db,
                      "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                      " ORDER BY ct.contact_id, ct.position, t.name",
                      "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                      " WHERE ct.contact_id = ?1 ORDER BY ct.position, t.name",
                      per_id, error) &&
         (s->any_custom = tesoro_db_query_id (db, error, "SELECT EXISTS (SELECT 1 FROM contact_custom_values)",
                                              "")) >= 0 &&
         (!s->any_custom ||
          cursor_init (&s->custom, db,
                       "SELECT v.contact_id, f.name, v.value FROM contact_custom_values v"
                       " JOIN custom_fields f ON f.id = v.field_id ORDER BY v.contact_id",
                       "SELECT v.contact_id, f.name, v.value FROM contact_custom_values v"
                       " JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id = ?1",
                       per_id, error)) &&
         cursor_init (&s->consent, db,
                      "SELECT contact_id, granted FROM consent_events WHERE purpose = 'marketing-email'"
                      " ORDER BY contact_id, at, id",
                      "SELECT contact_id, granted FROM consent_events WHERE contact_id = ?1"
                      " AND purpose = 'marketing-email' ORDER BY at, id",
                      per_id, error);
}

/* Copies columns @first…@last of every row of contact @id into the arena;
 * returns how many rows, or -1 on an error. */
static int
gather (Scan     *s,
        Cursor   *c,
        gint64    id,
        int       first,
        int       last,
        int       primary_column,
        GError  **error)
{
  int n = 0;

  if (!cursor_seek (c, id, error))
    return -1;
  while (cursor_at (c, id))
    {
      for (int col = first; col <= last; col++)
        {
          gsize start = s->arena->len;
          const char *text = (const char *) sqlite3_column_text (c->stmt, col);
          gsize len = text != NULL ? (gsize) sqlite3_column_bytes (c->stmt, col) : 0;

          /* The hot path of an export: one copy, no checks of GString's
           * or GArray's. */
          if (G_UNLIKELY (s->n_offsets == s->offsets_size))
            {
              s->offsets_size = MAX (64, 2 * s->offsets_size);
              s->offsets = g_renew (gsize, s->offsets, s->offsets_size);
            }
          s->offsets[s->n_offsets++] = start;
          if (G_UNLIKELY (start + len + 1 >= s->arena->allocated_len))
            g_string_set_size (s->arena, MAX (2 * s->arena->allocated_len, start + len + 1));
          if (len > 0)
            memcpy (s->arena->str + start, text, len);
          s->arena->str[start + len] = '\0';
          s->arena->len = start + len + 1;
          s->arena->str[s->arena->len] = '\0';
        }
      if (primary_column > 0)
        {
          if (G_UNLIKELY (s->n_primary == s->primary_size))
            {
              s->primary_size = MAX (16, 2 * s->primary_size);
              s->primary = g_renew (gboolean, s->primary, s->primary_size);
            }
          s->primary[s->n_primary++] = sqlite3_column_int (c->stmt, primary_column);
        }
      n++;
      if (!cursor_step (c, error))
        return -1;
    }

  return n;
}

#define TEXT_AT(s, k) ((s)->arena->str + (s)->offsets[k])

/* Reads contact @id (the contacts cursor is on it) into the row. */
static gboolean
read_row (Scan     *s,
          gint64    id,
          GError  **error)
{
  sqlite3_stmt *c = s->contacts.stmt;
  int n_emails, n_phones, n_addresses, n_tags, n_custom;
  guint k = 0;

  g_string_truncate (s->arena, 0);
  s->n_offsets = 0;
  s->n_primary = 0;

  s->row.id = id;
  s->row.given_name = (const char *) sqlite3_column_text (c, 1);
  s->row.family_name = (const char *) sqlite3_column_text (c, 2);
  s->row.display_name = (const char *) sqlite3_column_text (c, 3);
  s->row.organization = (const char *) sqlite3_column_text (c, 4);
  s->row.job_title = (const char *) sqlite3_column_text (c, 5);
  s->row.birthday = (const char *) sqlite3_column_text (c, 6);
  s->row.lawful_basis = (const char *) sqlite3_column_text (c, 7);
  s->row.restricted = sqlite3_column_int (c, 9);

  s->row.consent = "";
  if (!cursor_seek (&s->consent, id, error))
    return FALSE;
  while (cursor_at (&s->consent, id))
    {
      s->row.consent = sqlite3_column_int (s->consent.stmt, 1) ? "granted" : "withdrawn";
      if (!cursor_step (&s->consent, error))
        return FALSE;
    }

  if ((n_emails = gather (s, &s->emails, id, 1, 2, 3, error)) < 0 ||
      (n_phones = gather (s, &s->phones, id, 1, 2, 3, error)) < 0 ||
      (n_addresses = gather (s, &s->addresses, id, 1, 6, 0, error)) < 0 ||
      (n_tags = gather (s, &s->tags, id, 1, 1, 0, error)) < 0 ||
      (n_custom = s->any_custom ? gather (s, &s->custom, id, 1, 2, 0, error) : 0) < 0)
    return FALSE;

  /* The arena no longer moves: point into it. */
  g_array_set_size (s->row.emails, n_emails);
  for (int i = 0; i < n_emails; i++, k += 2)
    g_array_index (s->row.emails, TesoroRowDetail, i) =
      (TesoroRowDetail) { TEXT_AT (s, k), TEXT_AT (s, k + 1), s->primary[i] };
  g_array_set_size (s->row.phones, n_phones);
  for (int i = 0; i < n_phones; i++, k += 2)
    g_array_index (s->row.phones, TesoroRowDetail, i) =
      (TesoroRowDetail) { TEXT_AT (s, k), TEXT_AT (s, k + 1), s->primary[n_emails + i] };
  g_array_set_size (s->row.addresses, n_addresses);
  for (int i = 0; i < n_addresses; i++, k += 6)
    g_array_index (s->row.addresses, TesoroRowAddress, i) =
      (TesoroRowAddress) { TEXT_AT (s, k), TEXT_AT (s, k + 1), TEXT_AT (s, k + 2), TEXT_AT (s, k + 3),
                           TEXT_AT (s, k + 4), TEXT_AT (s, k + 5) };
  g_ptr_array_set_size (s->row.tags, 0);
  for (int i = 0; i < n_tags; i++, k++)
    g_ptr_array_add (s->row.tags, TEXT_AT (s, k));
  g_ptr_array_set_size (s->row.custom, 0);
  for (int i = 0; i < n_custom; i++, k += 2)
    {
      g_ptr_array_add (s->row.custom, TEXT_AT (s, k));
      g_ptr_array_add (s->row.custom, TEXT_AT (s, k + 1));
    }

  return TRUE;
}

#undef TEXT_AT

/* Every contact of @ids (sorted, existing), or with @ids NULL every
 * contact not in the trash (restricted ones only with @include_restricted;
 * those left out are counted in @n_restricted), in id order. */
static gboolean
sqlite_scan_export_rows (TesoroBackend        *backend,
                         GArray               *ids,
                         gboolean              include_restricted,
                         guint64              *n_restricted,
                         GCancellable         *cancellable,
                         TesoroExportRowFunc   func,
                         gpointer              user_data,
                         GError              **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gboolean per_id = FALSE;
  gboolean ok = FALSE;
  guint64 seen = 0;
  Scan s;

  if (n_restricted != NULL)
    *n_restricted = 0;
  if (!use_per_id (self, ids, &per_id, error))
    return FALSE;
  if (!scan_init (&s, self->db, per_id, error))
    goto out;

  if (ids != NULL)
    {
      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);

          if ((i & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
          if (!cursor_seek (&s.contacts, id, error))
            goto out;
          if (!cursor_at (&s.contacts, id))
            continue;   /* cannot happen inside the read transaction */
          if (!read_row (&s, id, error) || !func (&s.row, user_data, error))
            goto out;
        }
    }
  else
    {
      /* Every contact: one pass over the table, the trash and (unless asked
       * for) restricted contacts left out on the way. */
      if (!cursor_seek (&s.contacts, G_MININT64, error))
        goto out;
      while (s.contacts.rc == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (s.contacts.stmt, 0);

          if ((seen++ & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;

          if (sqlite3_column_int (s.contacts.stmt, 8))
            ;
          else if (sqlite3_column_int (s.contacts.stmt, 9) && !include_restricted)
            {
              if (n_restricted != NULL)
                (*n_restricted)++;
            }
          else if (!read_row (&s, id, error) || !func (&s.row, user_data, error))
            goto out;

          if (!cursor_step (&s.contacts, error))
            goto out;
        }
    }
  ok = TRUE;

out:
  scan_clear (&s);
  return ok;
}

/* The current consent for @purpose of every contact not in the trash, in
 * name order, with the contact's name and primary e-mail address. */
static gboolean
sqlite_scan_consent (TesoroBackend         *backend,
                     const char            *purpose,
                     TesoroConsentRowFunc   func,
                     gpointer               user_data,
                     GError               **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tesoro_db_prepare_with (self->db, error,
                                 "SELECT c.id, c.display_name, (SELECT value FROM contact_emails e"
                                 "   WHERE e.contact_id = c.id ORDER BY e.is_primary DESC, e.position LIMIT 1),"
                                 " c.restricted,"
                                 " (SELECT ce.granted FROM consent_events ce WHERE ce.contact_id = c.id"
                                 "   AND ce.purpose = ?1 ORDER BY ce.at DESC, ce.id DESC LIMIT 1)"
                                 " FROM contacts c INDEXED BY contacts_by_name"
                                 " WHERE c.trashed_at IS NULL ORDER BY c.sort_key, c.id",
                                 "s", purpose);
  if (stmt == NULL)
    return FALSE;

  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      TesoroConsentState state = sqlite3_column_type (stmt, 4) == SQLITE_NULL ? TESORO_CONSENT_UNKNOWN
                                 : sqlite3_column_int (stmt, 4) ? TESORO_CONSENT_GRANTED
                                 : TESORO_CONSENT_WITHDRAWN;

      if (!func (sqlite3_column_int64 (stmt, 0), tesoro_db_column_text (stmt, 1), tesoro_db_column_text (stmt, 2),
                 sqlite3_column_int (stmt, 3), state, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

typedef struct
{
  TesoroStringFunc func;
  gpointer         data;
} Visit;

static void
email_row (sqlite3_stmt *stmt,
           gpointer      user_data)
{
  Visit *v = user_data;
  v->func (tesoro_db_column_text (stmt, 0), v->data);
}

/* Every e-mail address in the database, unless there are more than @max
 * (then *@complete is FALSE and @func was not called). */
static gboolean
sqlite_foreach_email (TesoroBackend     *backend,
                      guint64            max,
                      gboolean          *complete,
                      TesoroStringFunc   func,
                      gpointer           user_data,
                      GError           **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  Visit visit = { func, user_data };
  gint64 n;

  *complete = FALSE;
  n = tesoro_db_query_int (self->db, "SELECT count (*) FROM contact_emails", error);
  if (n < 0)
    return FALSE;
  if ((guint64) n > max)
    return TRUE;

  *complete = tesoro_db_foreach_row (self->db, error, email_row, &visit, "SELECT value FROM contact_emails", "");
  return *complete;
}

void
_tesoro_sqlite_scans_init (TesoroBackendInterface *iface)
{
  iface->get_export_layout = sqlite_get_export_layout;
  iface->scan_export_rows = sqlite_scan_export_rows;
  iface->scan_consent = sqlite_scan_consent;
  iface->foreach_email = sqlite_foreach_email;
}
