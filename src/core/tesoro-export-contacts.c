/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-export-contacts"

#include "config.h"

#include "tesoro-export-contacts.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-audit.h"
#include "tesoro-bulk-private.h"
#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-export.h"
#include "tesoro-import-map.h"
#include "tesoro-store-private.h"
#include "tesoro-utils.h"

/*
 * File → Export…. Part of the store layer: it reads the tables directly,
 * because a million contacts must be written in about the time SQLite's
 * own CSV output takes. The contacts are read in id order by one cursor
 * per table, merged in C (or, for a small selection, looked up one by
 * one), rather than loaded contact by contact.
 */

#define AUDIT_EXPORT_CONTACTS "export-contacts"

/* A selection smaller than total / SCAN_RATIO is looked up contact by
 * contact; a larger one is read by scanning the tables. */
#define SCAN_RATIO 16

const char *
tesoro_contact_format_to_string (TesoroContactFormat format)
{
  switch (format)
    {
    case TESORO_CONTACT_FORMAT_CSV:
      return "csv";
    case TESORO_CONTACT_FORMAT_VCARD:
      return "vcard";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tesoro_contact_format_from_string (const char           *text,
                                   TesoroContactFormat  *format,
                                   GError              **error)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (g_strcmp0 (text, "csv") == 0)
    *format = TESORO_CONTACT_FORMAT_CSV;
  else if (g_strcmp0 (text, "vcard") == 0 || g_strcmp0 (text, "vcf") == 0)
    *format = TESORO_CONTACT_FORMAT_VCARD;
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Unknown export format “%s”: use csv or vcard"), text != NULL ? text : "");
      return FALSE;
    }
  return TRUE;
}

/* Languages whose spreadsheets write decimals with a comma, and so expect
 * `;` between CSV fields (Excel takes the list separator of the region). */
static const char * const semicolon_languages[] = {
  "nl", "de", "fr", "es", "it", "pt", "da", "sv", "nb", "nn", "no", "fi", "is", "pl", "cs", "sk",
  "sl", "hr", "sr", "bs", "hu", "ro", "bg", "ru", "uk", "be", "el", "tr", "lt", "lv", "et", "ca",
  "gl", "eu", "id", "vi", NULL,
};

/**
 * tesoro_contact_export_csv_defaults:
 * @language: (nullable): a language or locale name ("nl", "nl_BE.UTF-8",
 *   "en_GB"), or %NULL for the user's (g_get_language_names())
 * @delimiter: (out): `;` for languages that write decimals with a comma
 *   (Dutch, German, French, …), `,` otherwise (English, …)
 * @bom: (out): always %TRUE: Excel reads a CSV file without one in the
 *   Windows code page and garbles every accented letter
 *
 * The CSV settings that open correctly in Excel for a user of @language.
 */
void
tesoro_contact_export_csv_defaults (const char *language,
                                    char       *delimiter,
                                    gboolean   *bom)
{
  g_autofree char *code = NULL;
  gsize length;

  g_return_if_fail (delimiter != NULL);
  g_return_if_fail (bom != NULL);

  if (language == NULL)
    language = g_get_language_names ()[0];

  length = strcspn (language, "_.@-");
  code = g_ascii_strdown (language, length);

  *delimiter = ',';
  *bom = TRUE;
  if (g_strv_contains (semicolon_languages, code))
    *delimiter = ';';
}

/**
 * tesoro_contact_export_options_init:
 *
 * CSV, with the delimiter and byte order mark of
 * tesoro_contact_export_csv_defaults() for the user's language; vCard
 * 4.0; restricted contacts left out.
 */
void
tesoro_contact_export_options_init (TesoroContactExportOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->format = TESORO_CONTACT_FORMAT_CSV;
  tesoro_contact_export_csv_defaults (NULL, &options->delimiter, &options->bom);
  options->vcard_version = TESORO_VCARD_VERSION_4_0;
  options->include_restricted = FALSE;
}

/* Cancelling */

static gboolean
cancelled (GCancellable  *cancellable,
           GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("The export was cancelled: no file was written"));
  return TRUE;
}

/* Choosing the contacts */

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* The ids to export, ascending. */
static GArray *
select_ids (TesoroDb                         *db,
            const gint64                     *ids,
            gssize                            n_ids,
            const TesoroContactExportOptions *options,
            TesoroContactExportResult        *result,
            GError                          **error)
{
  g_autoptr(GArray) selected = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (n_ids < 0)
    {
      stmt = tesoro_db_prepare (db, "SELECT id, restricted FROM contacts WHERE trashed_at IS NULL ORDER BY id", error);
      if (stmt == NULL)
        return NULL;
      while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          if (sqlite3_column_int (stmt, 1) && !options->include_restricted)
            result->restricted++;
          else
            g_array_append_val (selected, id);
        }
      sqlite3_reset (stmt);
      return rc == SQLITE_DONE ? g_steal_pointer (&selected) : NULL;
    }

  {
    g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);

    g_array_append_vals (sorted, ids, n_ids);
    g_array_sort (sorted, compare_ids);

    stmt = tesoro_db_prepare (db, "SELECT restricted, trashed_at IS NOT NULL FROM contacts WHERE id = ?1", error);
    if (stmt == NULL)
      return NULL;
    for (guint i = 0; i < sorted->len; i++)
      {
        gint64 id = g_array_index (sorted, gint64, i);

        if (i > 0 && id == g_array_index (sorted, gint64, i - 1))
          continue;
        sqlite3_bind_int64 (stmt, 1, id);
        rc = tesoro_db_step (db, stmt, error);
        if (rc < 0)
          return NULL;
        if (rc == SQLITE_DONE || sqlite3_column_int (stmt, 1))
          result->missing++;
        else if (sqlite3_column_int (stmt, 0) && !options->include_restricted)
          result->restricted++;
        else
          g_array_append_val (selected, id);
        sqlite3_reset (stmt);
      }
  }

  return g_steal_pointer (&selected);
}

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

/* The CSV layout */

typedef struct
{
  guint      n_emails;
  guint      n_phones;
  guint      n_addresses;
  GPtrArray *custom_names;   /* sorted */
} Layout;

static void
layout_clear (Layout *layout)
{
  g_clear_pointer (&layout->custom_names, g_ptr_array_unref);
}

/* Which contacts are exported: the sorted @ids, or (@ids %NULL) every
 * contact not in the trash, restricted ones only if asked. */
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
      sqlite3_stmt *stmt = tesoro_db_prepare (sel->db,
                                              "SELECT trashed_at IS NULL AND (?2 OR restricted = 0)"
                                              " FROM contacts WHERE id = ?1",
                                              NULL);
      gboolean yes = FALSE;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, sel->include_restricted);
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
find_layout (TesoroDb   *db,
             Selection  *sel,
             gboolean    per_id,
             Layout     *layout,
             GError    **error)
{
  /* Field ids are small row ids: they fit a pointer. */
  g_autoptr(GHashTable) field_ids = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  if (!count_max (db, sel, per_id,
                  "SELECT contact_id, position FROM contact_emails WHERE position > 0",
                  "SELECT count (*) FROM contact_emails WHERE contact_id = ?1",
                  &layout->n_emails, error) ||
      !count_max (db, sel, per_id,
                  "SELECT contact_id, position FROM contact_phones WHERE position > 0",
                  "SELECT count (*) FROM contact_phones WHERE contact_id = ?1",
                  &layout->n_phones, error) ||
      !count_max (db, sel, per_id,
                  "SELECT contact_id, position FROM contact_addresses WHERE position > 0",
                  "SELECT count (*) FROM contact_addresses WHERE contact_id = ?1",
                  &layout->n_addresses, error))
    return FALSE;

  /* Mail-merge templates like to find these columns even when empty. */
  layout->n_emails = MAX (layout->n_emails, 1);
  layout->n_phones = MAX (layout->n_phones, 1);
  layout->n_addresses = MAX (layout->n_addresses, 1);

  /* The custom fields the selected contacts have values for. */
  stmt = tesoro_db_prepare (db,
                            per_id ? "SELECT field_id FROM contact_custom_values WHERE contact_id = ?1"
                                   : "SELECT field_id, contact_id FROM contact_custom_values",
                            error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < (per_id ? sel->ids->len : 1) && rc >= 0; i++)
    {
      sqlite3_reset (stmt);
      if (per_id)
        sqlite3_bind_int64 (stmt, 1, g_array_index (sel->ids, gint64, i));
      while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
        {
          gint64 field_id = sqlite3_column_int64 (stmt, 0);
          gpointer key = GSIZE_TO_POINTER ((gsize) field_id);

          if (g_hash_table_contains (field_ids, key))
            continue;
          if (!per_id && !is_selected (sel, sqlite3_column_int64 (stmt, 1)))
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

static char *
spec_string (TesoroImportField  field,
             const char        *label,
             TesoroAddressPart  part,
             const char        *custom_name,
             guint              group)
{
  g_autoptr(TesoroImportSpec) spec = tesoro_import_spec_new (field);

  /* The new spec may come with a default label already. */
  if (label != NULL)
    tesoro_set_str (&spec->label, label);
  if (part != TESORO_ADDRESS_PART_NONE)
    spec->part = part;
  if (custom_name != NULL)
    tesoro_set_str (&spec->custom_name, custom_name);
  spec->group = group;
  return tesoro_import_spec_to_string (spec);
}

static const TesoroAddressPart address_parts[] = {
  TESORO_ADDRESS_PART_STREET,
  TESORO_ADDRESS_PART_POSTAL_CODE,
  TESORO_ADDRESS_PART_CITY,
  TESORO_ADDRESS_PART_REGION,
  TESORO_ADDRESS_PART_COUNTRY,
};

static GPtrArray *
header_row (Layout *layout)
{
  GPtrArray *header = g_ptr_array_new_with_free_func (g_free);
  static const TesoroImportField scalars[] = {
    TESORO_IMPORT_GIVEN_NAME, TESORO_IMPORT_FAMILY_NAME, TESORO_IMPORT_DISPLAY_NAME,
    TESORO_IMPORT_ORGANIZATION, TESORO_IMPORT_JOB_TITLE, TESORO_IMPORT_BIRTHDAY,
    TESORO_IMPORT_LAWFUL_BASIS, TESORO_IMPORT_CONSENT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
    g_ptr_array_add (header, spec_string (scalars[i], NULL, TESORO_ADDRESS_PART_NONE, NULL, 0));

  for (guint n = 1; n <= layout->n_emails; n++)
    {
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_EMAIL_LABEL, NULL, TESORO_ADDRESS_PART_NONE, NULL, n));
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_EMAIL, "other", TESORO_ADDRESS_PART_NONE, NULL, n));
    }
  for (guint n = 1; n <= layout->n_phones; n++)
    {
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_PHONE_LABEL, NULL, TESORO_ADDRESS_PART_NONE, NULL, n));
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_PHONE, "other", TESORO_ADDRESS_PART_NONE, NULL, n));
    }
  for (guint n = 1; n <= layout->n_addresses; n++)
    {
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_ADDRESS_LABEL, NULL, TESORO_ADDRESS_PART_NONE, NULL, n));
      for (guint p = 0; p < G_N_ELEMENTS (address_parts); p++)
        g_ptr_array_add (header, spec_string (TESORO_IMPORT_ADDRESS, "other", address_parts[p], NULL, n));
    }

  g_ptr_array_add (header, spec_string (TESORO_IMPORT_TAGS, NULL, TESORO_ADDRESS_PART_NONE, NULL, 0));
  for (guint i = 0; i < layout->custom_names->len; i++)
    g_ptr_array_add (header, spec_string (TESORO_IMPORT_CUSTOM, NULL, TESORO_ADDRESS_PART_NONE,
                                          layout->custom_names->pdata[i], 0));

  return header;
}

/* Writing CSV rows. The cells go straight into one buffer: most are
 * plain text or empty, and only those that need it go through
 * tesoro_csv_append_field() (quoting, formula neutralising), so that the
 * rules stay in one place (tesoro-csv.c). */

#define OUT_BUFFER_SIZE (256 * 1024)

typedef struct
{
  GOutputStream *stream;
  GString       *buf;
  char           delimiter;
  gboolean       first;      /* no cell in this row yet */
  guint64        bytes;
  guint8         special[256];   /* bytes that make a cell need quotes */
} Out;

static void
out_init (Out           *o,
          GOutputStream *stream,
          GString       *buf,
          char           delimiter)
{
  memset (o, 0, sizeof *o);
  o->stream = stream;
  o->buf = buf;
  o->delimiter = delimiter;
  o->first = TRUE;
  o->special[(guint8) delimiter] = 1;
  o->special['"'] = 1;
  o->special['\n'] = 1;
  o->special['\r'] = 1;
}

/* g_string_append_len() without its checks, for the hot path. */
static inline void
buf_append (GString    *buf,
            const char *data,
            gsize       len)
{
  if (G_UNLIKELY (buf->len + len + 1 > buf->allocated_len))
    {
      g_string_append_len (buf, data, len);
      return;
    }
  memcpy (buf->str + buf->len, data, len);
  buf->len += len;
  buf->str[buf->len] = '\0';
}

static void
out_cell (Out        *o,
          const char *value,
          gsize       len)
{
  gboolean plain = TRUE;

  if (!o->first)
    buf_append (o->buf, &o->delimiter, 1);
  o->first = FALSE;

  if (len == 0)
    return;

  /* What a spreadsheet could take for a formula, an apostrophe that
   * protects one, or a byte order mark takes the careful path. */
  switch (value[0])
    {
    case '=': case '+': case '-': case '@': case '\t': case '\r': case '\'': case '\xef':
      plain = FALSE;
      break;
    default:
      for (gsize i = 0; i < len; i++)
        if (o->special[(guint8) value[i]])
          {
            plain = FALSE;
            break;
          }
      break;
    }

  if (plain)
    buf_append (o->buf, value, len);
  else
    tesoro_csv_append_field (o->buf, value, len, o->delimiter, TRUE);
}

static void
out_column (Out          *o,
            sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  /* Text from the store holds no NUL: strlen() is cheaper than another
   * call into SQLite. */
  out_cell (o, text != NULL ? text : "", text != NULL ? strlen (text) : 0);
}

static gboolean
out_flush (Out           *o,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize written = 0;

  if (o->buf->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (o->stream, o->buf->str, o->buf->len, &written, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cancelled (cancellable, error);
      else
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO, _("Could not write the file: %s"), local_error->message);
      return FALSE;
    }
  o->bytes += written;
  g_string_truncate (o->buf, 0);
  return TRUE;
}

static gboolean
out_end_row (Out           *o,
             GCancellable  *cancellable,
             GError       **error)
{
  buf_append (o->buf, "\r\n", 2);
  o->first = TRUE;
  return o->buf->len < OUT_BUFFER_SIZE || out_flush (o, cancellable, error);
}


typedef struct
{
  Cursor contacts;
  Cursor emails;
  Cursor phones;
  Cursor addresses;
  Cursor tags;
  Cursor custom;
  Cursor consent;
} Cursors;

static void
cursors_clear (Cursors *cs)
{
  cursor_clear (&cs->contacts);
  cursor_clear (&cs->emails);
  cursor_clear (&cs->phones);
  cursor_clear (&cs->addresses);
  cursor_clear (&cs->tags);
  cursor_clear (&cs->custom);
  cursor_clear (&cs->consent);
}

static gboolean
cursors_init (Cursors   *cs,
              TesoroDb  *db,
              gboolean   per_id,
              GError   **error)
{
  memset (cs, 0, sizeof *cs);

  return cursor_init (&cs->contacts, db,
                      "SELECT id, given_name, family_name, display_name, organization, job_title, birthday,"
                      " lawful_basis, trashed_at IS NOT NULL, restricted FROM contacts ORDER BY id",
                      "SELECT id, given_name, family_name, display_name, organization, job_title, birthday,"
                      " lawful_basis, trashed_at IS NOT NULL, restricted FROM contacts WHERE id = ?1",
                      per_id, error) &&
         cursor_init (&cs->emails, db,
                      "SELECT contact_id, label, value, is_primary FROM contact_emails ORDER BY contact_id, position",
                      "SELECT contact_id, label, value, is_primary FROM contact_emails WHERE contact_id = ?1"
                      " ORDER BY position",
                      per_id, error) &&
         cursor_init (&cs->phones, db,
                      "SELECT contact_id, label, value, is_primary FROM contact_phones ORDER BY contact_id, position",
                      "SELECT contact_id, label, value, is_primary FROM contact_phones WHERE contact_id = ?1"
                      " ORDER BY position",
                      per_id, error) &&
         cursor_init (&cs->addresses, db,
                      "SELECT contact_id, label, street, postal_code, city, region, country FROM contact_addresses"
                      " ORDER BY contact_id, position",
                      "SELECT contact_id, label, street, postal_code, city, region, country FROM contact_addresses"
                      " WHERE contact_id = ?1 ORDER BY position",
                      per_id, error) &&
         cursor_init (&cs->tags, db,
                      "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                      " ORDER BY ct.contact_id, ct.position, t.name",
                      "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                      " WHERE ct.contact_id = ?1 ORDER BY ct.position, t.name",
                      per_id, error) &&
         cursor_init (&cs->custom, db,
                      "SELECT v.contact_id, f.name, v.value FROM contact_custom_values v"
                      " JOIN custom_fields f ON f.id = v.field_id ORDER BY v.contact_id",
                      "SELECT v.contact_id, f.name, v.value FROM contact_custom_values v"
                      " JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id = ?1",
                      per_id, error) &&
         cursor_init (&cs->consent, db,
                      "SELECT contact_id, granted FROM consent_events WHERE purpose = 'marketing-email'"
                      " ORDER BY contact_id, at, id",
                      "SELECT contact_id, granted FROM consent_events WHERE contact_id = ?1"
                      " AND purpose = 'marketing-email' ORDER BY at, id",
                      per_id, error);
}

/* The e-mail addresses or phones of one contact, primary first. @arena
 * holds copies of the values (label, value, label, value…) and @offsets
 * where each starts: no allocation per value. */
static gboolean
write_details (Out              *o,
               Cursor           *c,
               gint64            id,
               guint             n_columns,
               GString          *arena,
               GArray           *offsets,
               GError          **error)
{
  guint written = 0;
  guint n = 0;
  int primary = -1;

  g_string_truncate (arena, 0);
  g_array_set_size (offsets, 0);
  if (!cursor_seek (c, id, error))
    return FALSE;

  /* The common case: the first is the primary one (the store keeps one
   * primary), so the rows go out as they come. */
  if (cursor_at (c, id) && sqlite3_column_int (c->stmt, 3))
    {
      while (cursor_at (c, id))
        {
          out_column (o, c->stmt, 1);
          out_column (o, c->stmt, 2);
          written++;
          if (!cursor_step (c, error))
            return FALSE;
        }
      for (; written < n_columns; written++)
        {
          out_cell (o, "", 0);
          out_cell (o, "", 0);
        }
      return TRUE;
    }

  while (cursor_at (c, id))
    {
      for (int col = 1; col <= 2; col++)
        {
          gsize start = arena->len;
          const char *text = (const char *) sqlite3_column_text (c->stmt, col);

          g_array_append_val (offsets, start);
          if (text != NULL)
            g_string_append_len (arena, text, sqlite3_column_bytes (c->stmt, col));
          g_string_append_c (arena, '\0');
        }
      if (primary < 0 && sqlite3_column_int (c->stmt, 3))
        primary = n;
      n++;
      if (!cursor_step (c, error))
        return FALSE;
    }

#define CELL(k) (arena->str + g_array_index (offsets, gsize, (k)))
  if (primary > 0)
    {
      out_cell (o, CELL (2 * primary), strlen (CELL (2 * primary)));
      out_cell (o, CELL (2 * primary + 1), strlen (CELL (2 * primary + 1)));
      written++;
    }
  for (guint i = 0; i < n; i++)
    {
      if ((int) i == primary && primary > 0)
        continue;
      out_cell (o, CELL (2 * i), strlen (CELL (2 * i)));
      out_cell (o, CELL (2 * i + 1), strlen (CELL (2 * i + 1)));
      written++;
    }
#undef CELL
  for (; written < n_columns; written++)
    {
      out_cell (o, "", 0);
      out_cell (o, "", 0);
    }

  return TRUE;
}

static gboolean
write_csv_row (Out              *o,
               Cursors          *cs,
               Layout           *layout,
               gint64            id,
               GString          *arena,
               GArray           *offsets,
               GString          *tags,
               GPtrArray        *custom,
               GCancellable     *cancellable,
               GError          **error)
{
  const char *consent = "";
  guint n;

  if (!cursor_seek (&cs->contacts, id, error))
    return FALSE;
  if (!cursor_at (&cs->contacts, id))
    return TRUE;   /* cannot happen inside the read transaction */

  for (int col = 1; col <= 7; col++)
    out_column (o, cs->contacts.stmt, col);

  if (!cursor_seek (&cs->consent, id, error))
    return FALSE;
  while (cursor_at (&cs->consent, id))
    {
      consent = sqlite3_column_int (cs->consent.stmt, 1) ? "granted" : "withdrawn";
      if (!cursor_step (&cs->consent, error))
        return FALSE;
    }
  out_cell (o, consent, strlen (consent));

  if (!write_details (o, &cs->emails, id, layout->n_emails, arena, offsets, error) ||
      !write_details (o, &cs->phones, id, layout->n_phones, arena, offsets, error))
    return FALSE;

  n = 0;
  if (!cursor_seek (&cs->addresses, id, error))
    return FALSE;
  while (cursor_at (&cs->addresses, id))
    {
      for (int col = 1; col <= 6; col++)
        out_column (o, cs->addresses.stmt, col);
      n++;
      if (!cursor_step (&cs->addresses, error))
        return FALSE;
    }
  for (; n < layout->n_addresses; n++)
    for (int col = 1; col <= 6; col++)
      out_cell (o, "", 0);

  g_string_truncate (tags, 0);
  if (!cursor_seek (&cs->tags, id, error))
    return FALSE;
  while (cursor_at (&cs->tags, id))
    {
      if (tags->len > 0)
        g_string_append (tags, ", ");
      g_string_append (tags, tesoro_db_column_text (cs->tags.stmt, 1));
      if (!cursor_step (&cs->tags, error))
        return FALSE;
    }
  out_cell (o, tags->str, tags->len);

  /* Custom values by the layout's (sorted) names. */
  if (layout->custom_names->len > 0)
    {
      g_ptr_array_set_size (custom, 0);
      if (!cursor_seek (&cs->custom, id, error))
        return FALSE;
      while (cursor_at (&cs->custom, id))
        {
          g_ptr_array_add (custom, g_strdup (tesoro_db_column_text (cs->custom.stmt, 1)));
          g_ptr_array_add (custom, g_strdup (tesoro_db_column_text (cs->custom.stmt, 2)));
          if (!cursor_step (&cs->custom, error))
            return FALSE;
        }
      for (guint i = 0; i < layout->custom_names->len; i++)
        {
          const char *value = "";

          for (guint j = 0; j < custom->len; j += 2)
            if (g_str_equal (custom->pdata[j], layout->custom_names->pdata[i]))
              value = custom->pdata[j + 1];
          out_cell (o, value, strlen (value));
        }
    }

  return out_end_row (o, cancellable, error);
}

static gboolean
export_csv (TesoroDb                         *db,
            Selection                        *sel,
            gboolean                          per_id,
            const TesoroContactExportOptions *options,
            GOutputStream                    *stream,
            GCancellable                     *cancellable,
            TesoroBulkProgress               *progress,
            TesoroContactExportResult        *result,
            GError                          **error)
{
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) custom = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) tags = g_string_new (NULL);
  g_autoptr(GString) arena = g_string_new (NULL);
  g_autoptr(GString) buf = g_string_sized_new (OUT_BUFFER_SIZE + 64 * 1024);
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  Out o;
  Layout layout = { 0 };
  Cursors cs;
  gboolean ok = FALSE;

  if (!find_layout (db, sel, per_id, &layout, error))
    {
      layout_clear (&layout);
      return FALSE;
    }

  out_init (&o, stream, buf, options->delimiter);
  if (options->bom)
    g_string_append (buf, "\xef\xbb\xbf");
  header = header_row (&layout);
  for (guint i = 0; i < header->len; i++)
    out_cell (&o, header->pdata[i], strlen (header->pdata[i]));
  if (!out_end_row (&o, cancellable, error))
    {
      layout_clear (&layout);
      return FALSE;
    }

  if (!cursors_init (&cs, db, per_id, error))
    goto out;

  if (sel->ids != NULL)
    {
      for (guint i = 0; i < sel->ids->len; i++)
        {
          if ((i & 1023) == 0)
            {
              if (cancelled (cancellable, error))
                goto out;
              _tesoro_bulk_progress_report (progress, i, FALSE);
            }
          if (!write_csv_row (&o, &cs, &layout, g_array_index (sel->ids, gint64, i), arena, offsets, tags, custom,
                              cancellable, error))
            goto out;
          result->exported++;
        }
    }
  else
    {
      /* Every contact: one pass over the table, the trash and (unless
       * asked for) restricted contacts left out on the way. */
      guint64 seen = 0;

      if (!cursor_seek (&cs.contacts, G_MININT64, error))
        goto out;
      while (cs.contacts.rc == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (cs.contacts.stmt, 0);

          if ((seen++ & 1023) == 0)
            {
              if (cancelled (cancellable, error))
                goto out;
              _tesoro_bulk_progress_report (progress, seen, FALSE);
            }

          if (sqlite3_column_int (cs.contacts.stmt, 8))
            ;
          else if (sqlite3_column_int (cs.contacts.stmt, 9) && !sel->include_restricted)
            result->restricted++;
          else
            {
              if (!write_csv_row (&o, &cs, &layout, id, arena, offsets, tags, custom, cancellable, error))
                goto out;
              result->exported++;
            }

          if (!cursor_step (&cs.contacts, error))
            goto out;
        }
    }

  if (!out_flush (&o, cancellable, error))
    goto out;
  result->bytes = o.bytes;
  ok = TRUE;

out:
  cursors_clear (&cs);
  layout_clear (&layout);
  return ok;
}

static gboolean
export_vcard (TesoroStore                      *store,
              GArray                           *ids,
              const TesoroContactExportOptions *options,
              GOutputStream                    *stream,
              GCancellable                     *cancellable,
              TesoroBulkProgress               *progress,
              TesoroContactExportResult        *result,
              GError                          **error)
{
  g_autoptr(TesoroVcardWriter) writer = tesoro_vcard_writer_new (stream, options->vcard_version);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(TesoroContact) contact = NULL;

      if ((i & 255) == 0)
        {
          if (cancelled (cancellable, error))
            return FALSE;
          _tesoro_bulk_progress_report (progress, i, FALSE);
        }

      contact = tesoro_store_get_contact (store, g_array_index (ids, gint64, i), error);
      if (contact == NULL)
        return FALSE;
      if (!tesoro_vcard_writer_add (writer, contact, cancellable, error))
        return FALSE;
      result->exported++;
    }

  return tesoro_vcard_writer_flush (writer, cancellable, error);
}

/**
 * tesoro_store_export_contacts:
 * @ids: (array length=n_ids) (nullable): the contacts to export, in any
 *   order (duplicates are written once); %NULL with @n_ids -1 for all
 *   contacts not in the trash
 * @n_ids: the number of @ids, or -1
 * @options: the format and its settings
 * @path: the file to write (replaced if it exists)
 * @progress: (nullable): called with contacts written and the number to
 *   write
 * @result: (out caller-allocates) (optional): what was written
 *
 * Writes the contacts to @path atomically: until the new file is
 * complete and on disk, @path stays as it was, and a cancel or an error
 * leaves no file behind. The contacts are read in one read transaction,
 * so the file is a consistent snapshot even while others write. See the
 * file comment of tesoro-export-contacts.h for the layout.
 */
gboolean
tesoro_store_export_contacts (TesoroStore                      *self,
                              const gint64                     *ids,
                              gssize                            n_ids,
                              const TesoroContactExportOptions *options,
                              const char                       *path,
                              GCancellable                     *cancellable,
                              TesoroProgressFunc                progress,
                              gpointer                          user_data,
                              TesoroContactExportResult        *result,
                              GError                          **error)
{
  g_autoptr(TesoroAtomicFile) file = NULL;
  g_autoptr(GArray) selected = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GError) local_error = NULL;
  TesoroContactExportResult r = { 0 };
  TesoroBulkProgress prog = { progress, user_data, 0, 0 };
  gboolean own_transaction;
  gboolean ok;
  gint64 total;
  TesoroDb *db;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids <= 0, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);

  if (result != NULL)
    memset (result, 0, sizeof *result);

  if (options->format == TESORO_CONTACT_FORMAT_CSV && options->delimiter != ',' && options->delimiter != ';' &&
      options->delimiter != '\t')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The delimiter of an exported CSV file must be a comma or a semicolon"));
      return FALSE;
    }
  if (options->format == TESORO_CONTACT_FORMAT_VCARD && options->vcard_version == TESORO_VCARD_VERSION_2_1)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Tesoro writes vCard 4.0 or 3.0, not 2.1"));
      return FALSE;
    }

  db = _tesoro_store_get_db (self);

  /* One snapshot for the whole file; a deferred read transaction does not
   * keep anyone from writing (WAL). */
  own_transaction = !tesoro_db_in_transaction (db);
  if (own_transaction && !tesoro_db_exec (db, "BEGIN DEFERRED", error))
    return FALSE;

  file = tesoro_atomic_file_new (path, error);
  if (file == NULL)
    goto failed;

  total = tesoro_db_query_int (db, "SELECT count (*) FROM contacts", error);
  if (total < 0)
    goto failed;

  if (options->format == TESORO_CONTACT_FORMAT_CSV && n_ids < 0)
    {
      /* Every contact: no list of ids first, one pass over the table. */
      Selection sel = { db, NULL, options->include_restricted };

      prog.total = total;
      ok = export_csv (db, &sel, FALSE, options, tesoro_atomic_file_get_stream (file), cancellable, &prog, &r,
                       error);
    }
  else
    {
      selected = select_ids (db, ids, n_ids, options, &r, error);
      if (selected == NULL)
        goto failed;
      prog.total = selected->len;

      if (options->format == TESORO_CONTACT_FORMAT_CSV)
        {
          Selection sel = { db, selected, options->include_restricted };

          ok = export_csv (db, &sel, (gint64) selected->len * SCAN_RATIO < total, options,
                           tesoro_atomic_file_get_stream (file), cancellable, &prog, &r, error);
        }
      else
        ok = export_vcard (self, selected, options, tesoro_atomic_file_get_stream (file), cancellable, &prog, &r,
                           error);
    }
  if (!ok)
    goto failed;

  if (own_transaction)
    tesoro_db_exec (db, "COMMIT", NULL);
  own_transaction = FALSE;

  if (cancelled (cancellable, error))
    goto failed;

  /* Accountability: how many, in what format; nothing about whom. The
   * entry is written before the file is put in place, so that no export
   * escapes the log. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, tesoro_contact_format_to_string (options->format));
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, r.exported);
  json_builder_set_member_name (builder, "restricted_left_out");
  json_builder_add_int_value (builder, r.restricted);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  if (!tesoro_store_is_read_only (self) &&
      tesoro_store_append_audit (self, AUDIT_EXPORT_CONTACTS, NULL, details, error) < 0)
    goto failed;

  if (!tesoro_atomic_file_commit (file, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cancelled (cancellable, error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }
  if (r.bytes == 0)
    {
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        r.bytes = st.st_size;
    }

  _tesoro_bulk_progress_report (&prog, prog.total, TRUE);
  if (result != NULL)
    *result = r;
  return TRUE;

failed:
  if (own_transaction)
    tesoro_db_exec (db, "ROLLBACK", NULL);
  if (error != NULL && *error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      cancelled (cancellable, error);
    }
  return FALSE;
}
