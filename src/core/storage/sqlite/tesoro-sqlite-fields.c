/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include "tesoro-error.h"
#include "tesoro-sqlite-backend-private.h"

/*
 * The contacts' fields one by one: how many contacts have a value of each
 * (data minimisation, the register of processing), how many rely on a
 * lawful basis, and erasing every value of one field. The trash counts
 * too: what is in it is still held.
 */

/* A value is there when the text is not empty; a list when it has a row. */
static const char count_sql[] =
  "SELECT"
  " (SELECT count(*) FROM contacts WHERE given_name <> '' OR family_name <> '' OR display_name <> ''),"
  " (SELECT count(*) FROM contacts WHERE organization <> ''),"
  " (SELECT count(*) FROM contacts WHERE job_title <> ''),"
  " (SELECT count(*) FROM contacts WHERE birthday IS NOT NULL AND birthday <> ''),"
  " (SELECT count(DISTINCT contact_id) FROM contact_emails),"
  " (SELECT count(DISTINCT contact_id) FROM contact_phones),"
  " (SELECT count(DISTINCT contact_id) FROM contact_addresses),"
  " (SELECT count(DISTINCT contact_id) FROM contact_tags),"
  " (SELECT count(*) FROM contacts WHERE lawful_basis IS NOT NULL),"
  " (SELECT count(DISTINCT contact_id) FROM notes),"
  " (SELECT count(DISTINCT contact_id) FROM messages),"
  " (SELECT count(DISTINCT contact_id) FROM tasks),"
  " (SELECT count(DISTINCT contact_id) FROM activities),"
  " (SELECT count(DISTINCT contact_id) FROM consent_events)";

G_STATIC_ASSERT (TESORO_N_BUILTIN_DATA_FIELDS == 14);

typedef struct
{
  GPtrArray *counts;
} CountVisit;

static void
builtin_counts_row (sqlite3_stmt *stmt,
                    gpointer      user_data)
{
  GPtrArray *counts = user_data;

  for (guint i = 0; i < TESORO_N_BUILTIN_DATA_FIELDS; i++)
    g_ptr_array_add (counts, tesoro_field_count_new (tesoro_data_field_to_key (i), sqlite3_column_int64 (stmt, i)));
}

static void
custom_counts_row (sqlite3_stmt *stmt,
                   gpointer      user_data)
{
  GPtrArray *counts = user_data;
  g_autofree char *key = tesoro_data_field_custom_key (tesoro_db_column_text (stmt, 0));

  g_ptr_array_add (counts, tesoro_field_count_new (key, sqlite3_column_int64 (stmt, 1)));
}

/* Every built-in field and record kind in the order of TesoroDataField,
 * then every custom field the database knows by name, with the number of
 * contacts that have a value. */
static GPtrArray *
sqlite_count_field_values (TesoroBackend  *backend,
                           GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_field_count_free);

  if (!tesoro_db_foreach_row (self->db, error, builtin_counts_row, counts, count_sql, "") ||
      !tesoro_db_foreach_row (self->db, error, custom_counts_row, counts,
                              "SELECT f.name, count(v.contact_id) FROM custom_fields f"
                              " LEFT JOIN contact_custom_values v ON v.field_id = f.id AND v.value <> ''"
                              " GROUP BY f.id ORDER BY f.name COLLATE NOCASE",
                              ""))
    return NULL;

  return g_steal_pointer (&counts);
}

static void
basis_row (sqlite3_stmt *stmt,
           gpointer      user_data)
{
  GPtrArray *counts = user_data;
  const char *basis = tesoro_db_column_text (stmt, 0);

  g_ptr_array_add (counts, tesoro_field_count_new (basis != NULL ? basis : "", sqlite3_column_int64 (stmt, 1)));
}

/* The lawful bases the contacts rely on, with their counts; "" for the
 * contacts that have none. */
static GPtrArray *
sqlite_count_lawful_bases (TesoroBackend  *backend,
                           GError        **error)
{
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_field_count_free);

  if (!tesoro_db_foreach_row (SQLITE_BACKEND (backend)->db, error, basis_row, counts,
                              "SELECT coalesce (lawful_basis, ''), count(*) FROM contacts"
                              " GROUP BY coalesce (lawful_basis, '') ORDER BY 1",
                              ""))
    return NULL;
  return g_steal_pointer (&counts);
}

/* Contacts whose lawful basis is consent but whose latest consent event
 * grants it for no purpose at all (none recorded, or all withdrawn). */
static gint64
sqlite_count_without_consent (TesoroBackend  *backend,
                              GError        **error)
{
  return tesoro_db_query_int (SQLITE_BACKEND (backend)->db,
                              "SELECT count(*) FROM contacts c WHERE c.lawful_basis = 'consent' AND NOT EXISTS ("
                              " SELECT 1 FROM consent_events e WHERE e.contact_id = c.id AND e.granted = 1"
                              " AND NOT EXISTS (SELECT 1 FROM consent_events l"
                              "  WHERE l.contact_id = e.contact_id AND l.purpose = e.purpose"
                              "  AND (l.at > e.at OR (l.at = e.at AND l.id > e.id))))",
                              error);
}

typedef struct
{
  const char *select;   /* the contacts with a value; ?1 is the custom field's id */
  const char *erase;
} EraseSql;

static const EraseSql erase_sql[TESORO_N_BUILTIN_DATA_FIELDS] = {
  [TESORO_DATA_FIELD_ORGANIZATION] = { "SELECT id FROM contacts WHERE organization <> '' ORDER BY id",
                                       "UPDATE contacts SET organization = '' WHERE organization <> ''" },
  [TESORO_DATA_FIELD_JOB_TITLE] = { "SELECT id FROM contacts WHERE job_title <> '' ORDER BY id",
                                    "UPDATE contacts SET job_title = '' WHERE job_title <> ''" },
  [TESORO_DATA_FIELD_BIRTHDAY] = { "SELECT id FROM contacts WHERE birthday IS NOT NULL AND birthday <> '' ORDER BY id",
                                   "UPDATE contacts SET birthday = NULL WHERE birthday IS NOT NULL" },
  [TESORO_DATA_FIELD_EMAILS] = { "SELECT DISTINCT contact_id FROM contact_emails ORDER BY contact_id",
                                 "DELETE FROM contact_emails" },
  [TESORO_DATA_FIELD_PHONES] = { "SELECT DISTINCT contact_id FROM contact_phones ORDER BY contact_id",
                                 "DELETE FROM contact_phones" },
  [TESORO_DATA_FIELD_ADDRESSES] = { "SELECT DISTINCT contact_id FROM contact_addresses ORDER BY contact_id",
                                    "DELETE FROM contact_addresses" },
  [TESORO_DATA_FIELD_TAGS] = { "SELECT DISTINCT contact_id FROM contact_tags ORDER BY contact_id",
                               "DELETE FROM contact_tags" },
};

static const EraseSql erase_custom_sql = {
  "SELECT contact_id FROM contact_custom_values WHERE field_id = ?1 ORDER BY contact_id",
  "DELETE FROM contact_custom_values WHERE field_id = ?1",
};

static void
id_row (sqlite3_stmt *stmt,
        gpointer      user_data)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);

  g_array_append_val ((GArray *) user_data, id);
}

/* Removes every value of @field, inside the transaction open, and brings
 * the search index of the contacts that had one up to date. The rows go
 * with secure_delete and the scrubbing VFS like any other; the caller
 * purges the files after the commit. Returns the ids of those contacts. */
static GArray *
sqlite_erase_field_values (TesoroBackend    *backend,
                           TesoroDataField   field,
                           const char       *custom_name,
                           GError          **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const EraseSql *sql = NULL;
  gint64 field_id = 0;

  if (field == TESORO_DATA_FIELD_CUSTOM && custom_name != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      field_id = tesoro_db_query_id (self->db, &local_error,
                                     "SELECT id FROM custom_fields WHERE name = ?1", "s", custom_name);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (field_id <= 0)
        return g_steal_pointer (&ids);
      sql = &erase_custom_sql;
    }
  else if (field < TESORO_N_BUILTIN_DATA_FIELDS && erase_sql[field].select != NULL)
    sql = &erase_sql[field];

  if (sql == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   "The values of “%s” cannot be erased on their own", tesoro_data_field_to_key (field));
      return NULL;
    }

  if (!tesoro_db_foreach_row (self->db, error, id_row, ids, sql->select, field_id > 0 ? "i" : "", field_id) ||
      !tesoro_db_run (self->db, error, sql->erase, field_id > 0 ? "i" : "", field_id))
    return NULL;

  for (guint i = 0; i < ids->len; i++)
    if (!tesoro_backend_reindex_contact (backend, g_array_index (ids, gint64, i), error))
      return NULL;

  return g_steal_pointer (&ids);
}

void
_tesoro_sqlite_fields_init (TesoroBackendInterface *iface)
{
  iface->count_field_values = sqlite_count_field_values;
  iface->count_lawful_bases = sqlite_count_lawful_bases;
  iface->count_without_consent = sqlite_count_without_consent;
  iface->erase_field_values = sqlite_erase_field_values;
}
