/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export-contacts"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-bulk-export.h"
#include "tesoro-gdpr.h"
#include "tesoro-import-run.h"
#include "tesoro-test-utils.h"

/*
 * File → Export…: CSV and vCard, all contacts, a search result or a
 * selection; round trips through the import; formula injection; atomic
 * writing and cancelling.
 */

typedef TesoroTestFixture Fixture;

static char *
export_file (TesoroSession                      *session,
             const char                       *dir,
             const char                       *name,
             const TesoroContactExportOptions *options,
             const gint64                     *ids,
             gssize                            n_ids,
             TesoroContactExportResult        *result)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  tesoro_session_export_contacts (session, ids, n_ids, options, path, NULL, NULL, NULL, result, &error);
  g_assert_no_error (error);
  return path;
}

static TesoroImportResult
import_file (TesoroSession *session,
             const char  *path)
{
  g_autoptr(TesoroImportSession) import = tesoro_import_session_new (path);
  g_autoptr(GError) error = NULL;
  TesoroImportResult r;

  tesoro_import_session_prepare (import, session, NULL, &error);
  g_assert_no_error (error);
  tesoro_import_session_set_existing (import, TESORO_IMPORT_EXISTING_CREATE);
  tesoro_import_session_run (import, session, NULL, NULL, NULL, &r, &error);
  g_assert_no_error (error);
  return r;
}

static void
csv_options (TesoroContactExportOptions *o,
             char                        delimiter,
             gboolean                    bom)
{
  tesoro_contact_export_options_init (o);
  o->format = TESORO_CONTACT_FORMAT_CSV;
  o->delimiter = delimiter;
  o->bom = bom;
}

static void
assert_same_bytes (const char *a,
                   const char *b)
{
  g_autoptr(GBytes) x = tesoro_test_read_file (a);
  g_autoptr(GBytes) y = tesoro_test_read_file (b);

  if (!g_bytes_equal (x, y))
    {
      const char *p = g_bytes_get_data (x, NULL), *q = g_bytes_get_data (y, NULL);
      gsize n = MIN (g_bytes_get_size (x), g_bytes_get_size (y)), i = 0;

      while (i < n && p[i] == q[i])
        i++;
      g_error ("%s and %s differ at byte %" G_GSIZE_FORMAT " (sizes %" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "): "
               "“%.60s” / “%.60s”", a, b, i, g_bytes_get_size (x), g_bytes_get_size (y),
               p + (i > 20 ? i - 20 : 0), q + (i > 20 ? i - 20 : 0));
    }
}

/* A contact with what a spreadsheet would run as a formula, several of
 * everything, and labels and tags as Tesoro writes them. */
static TesoroContact *
tricky_contact (void)
{
  TesoroContact *c = tesoro_contact_new ();
  TesoroAddress *a;

  tesoro_contact_set_given_name (c, "=cmd|' /C calc'!A0");
  tesoro_contact_set_family_name (c, "@SUM(1+1)");
  tesoro_contact_set_display_name (c, "Formula, \"Mr\" Injection");
  tesoro_contact_set_organization (c, "+31 Holding; \"Quotes\", Inc.");
  tesoro_contact_set_job_title (c, "-minus");
  tesoro_contact_set_birthday (c, "1604-02-29");
  tesoro_contact_set_lawful_basis (c, "legitimate_interests");
  tesoro_contact_add_email (c, "work", "work@example.nl", FALSE);
  tesoro_contact_add_email (c, "home", "home@example.nl", TRUE);
  tesoro_contact_add_email (c, "other", "third@example.nl", FALSE);
  tesoro_contact_add_phone (c, "mobile", "+31612345678", TRUE);
  tesoro_contact_add_phone (c, "fax", "+31301234567", FALSE);
  a = tesoro_address_new ();
  a->label = g_strdup ("work");
  a->street = g_strdup ("Dorpsstraat 1");
  a->postal_code = g_strdup ("1234 AB");
  a->city = g_strdup ("Utrecht");
  a->country = g_strdup ("NL");
  g_ptr_array_add (tesoro_contact_get_addresses (c), a);
  a = tesoro_address_new ();
  a->label = g_strdup ("home");
  a->street = g_strdup ("Kerkweg 2");
  a->city = g_strdup ("'s-Hertogenbosch");
  a->region = g_strdup ("Noord-Brabant");
  a->country = g_strdup ("NL");
  g_ptr_array_add (tesoro_contact_get_addresses (c), a);
  g_ptr_array_add (tesoro_contact_get_tags (c), g_strdup ("klant"));
  g_ptr_array_add (tesoro_contact_get_tags (c), g_strdup ("beurs 2024"));
  tesoro_contact_set_custom_value (c, "Klantnummer", "=1+2");
  tesoro_contact_set_custom_value (c, "Opmerking", "two\nlines");
  return c;
}

/* Export all → import into an empty database → export: the same bytes. */
static void
test_csv_round_trip (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) tricky = tricky_contact ();
  g_autofree char *other_dir = tesoro_test_make_dir ();
  g_autofree char *other_path = g_build_filename (other_dir, "other.db", NULL);
  g_autoptr(TesoroSession) other = NULL;
  TesoroContactExportOptions o;
  TesoroContactExportResult r;
  const struct { char delimiter; gboolean bom; } dialects[] = { { ',', FALSE }, { ';', TRUE } };

  tesoro_session_generate_demo (f->session, 300, 7, NULL, &error);
  g_assert_no_error (error);
  tesoro_session_add_contact (f->session, tricky, &error);
  g_assert_no_error (error);
  tesoro_session_record_consent (f->session, tesoro_contact_get_id (tricky), TESORO_PURPOSE_MARKETING_EMAIL, TRUE,
                                 NULL, "web form", NULL, &error);
  g_assert_no_error (error);

  for (guint d = 0; d < G_N_ELEMENTS (dialects); d++)
    {
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      g_autofree char *name1 = g_strdup_printf ("first-%u.csv", d);
      g_autofree char *name2 = g_strdup_printf ("second-%u.csv", d);
      TesoroImportResult ir;

      other = tesoro_test_open_session (other_path);
      csv_options (&o, dialects[d].delimiter, dialects[d].bom);
      first = export_file (f->session, f->dir, name1, &o, NULL, -1, &r);
      g_assert_cmpuint (r.exported, ==, 301);

      ir = import_file (other, first);
      g_assert_cmpuint (ir.created, ==, 301);
      g_assert_cmpuint (ir.invalid, ==, 0);

      second = export_file (other, f->dir, name2, &o, NULL, -1, &r);
      g_assert_cmpuint (r.exported, ==, 301);
      assert_same_bytes (first, second);

      g_assert_finalize_object (g_steal_pointer (&other));
      tesoro_test_remove_dir (other_dir);
      g_mkdir_with_parents (other_dir, 0700);
    }

  tesoro_test_remove_dir (other_dir);
}

/* The cells are safe in a spreadsheet, and the import undoes the
 * protection exactly. */
static void
test_formula_injection (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) tricky = tricky_contact ();
  g_autoptr(TesoroContact) back = NULL;
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  TesoroContactExportOptions o;
  TesoroContactExportResult r;
  gint64 id;

  tesoro_session_add_contact (f->session, tricky, &error);
  g_assert_no_error (error);
  id = tesoro_contact_get_id (tricky);
  csv_options (&o, ',', FALSE);
  path = export_file (f->session, f->dir, "tricky.csv", &o, &id, 1, &r);

  file = g_file_new_for_path (path);
  reader = tesoro_csv_reader_new_for_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  for (guint i = 0; i < tesoro_csv_reader_get_n_fields (reader); i++)
    {
      const char *cell = tesoro_csv_reader_get_field (reader, i, NULL);

      if (strchr ("=+-@\t\r", cell[0]) != NULL && cell[0] != '\0')
        g_error ("cell %u “%s” would run as a formula", i, cell);
    }

  /* Import into a fresh database and compare. */
  tesoro_session_close (f->session);
  g_assert_finalize_object (g_steal_pointer (&f->session));
  g_unlink (f->path);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  f->session = tesoro_test_open_session (f->path);
  import_file (f->session, path);

  back = tesoro_session_get_contact (f->session, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_given_name (back), ==, "=cmd|' /C calc'!A0");
  g_assert_cmpstr (tesoro_contact_get_family_name (back), ==, "@SUM(1+1)");
  g_assert_cmpstr (tesoro_contact_get_display_name (back), ==, "Formula, \"Mr\" Injection");
  g_assert_cmpstr (tesoro_contact_get_job_title (back), ==, "-minus");
  g_assert_cmpstr (tesoro_contact_get_birthday (back), ==, "1604-02-29");
  g_assert_cmpstr (tesoro_contact_get_custom_value (back, "Klantnummer"), ==, "=1+2");
  g_assert_cmpstr (tesoro_contact_get_custom_value (back, "Opmerking"), ==, "two\nlines");
  g_assert_cmpstr (tesoro_contact_get_primary_email (back), ==, "home@example.nl");
  g_assert_cmpuint (tesoro_contact_get_emails (back)->len, ==, 3);
  g_assert_cmpuint (tesoro_contact_get_addresses (back)->len, ==, 2);
  g_assert_cmpstr (((TesoroAddress *) tesoro_contact_get_addresses (back)->pdata[1])->city, ==, "'s-Hertogenbosch");
}

/* The header row: field specs that the import maps back exactly. */
static void
test_header (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) tricky = tricky_contact ();
  g_autoptr(TesoroImportSession) import = NULL;
  g_autofree char *path = NULL;
  TesoroImportMapping *mapping;
  const char * const *header;
  TesoroContactExportOptions o;
  TesoroContactExportResult r;

  tesoro_session_add_contact (f->session, tricky, &error);
  g_assert_no_error (error);
  tesoro_test_add_named (f->session, "Plain", "Person");
  csv_options (&o, ';', TRUE);
  path = export_file (f->session, f->dir, "all.csv", &o, NULL, -1, &r);
  g_assert_cmpuint (r.exported, ==, 2);

  import = tesoro_import_session_new (path);
  tesoro_import_session_prepare (import, f->session, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tesoro_import_session_get_own_format (import));
  g_assert_cmpint (tesoro_import_session_get_encoding (import), ==, TESORO_TEXT_ENCODING_UTF8_BOM);
  g_assert_cmpint (tesoro_import_session_get_delimiter (import), ==, ';');
  header = tesoro_import_session_get_header (import);
  mapping = tesoro_import_session_get_mapping (import);
  for (guint i = 0; header[i] != NULL; i++)
    {
      g_autofree char *spec = tesoro_import_mapping_dup_spec_string (mapping, i);

      g_assert_cmpint (tesoro_import_mapping_get_match (mapping, i), ==, TESORO_IMPORT_MATCH_KNOWN);
      g_assert_cmpstr (spec, ==, header[i]);
    }

  /* Numbered columns as many as the contact with the most. */
  g_assert_true (g_strv_contains (header, "email/other#3"));
  g_assert_false (g_strv_contains (header, "email/other#4"));
  g_assert_true (g_strv_contains (header, "phone/other#2"));
  g_assert_true (g_strv_contains (header, "address/other/city#2"));
  g_assert_true (g_strv_contains (header, "custom/Klantnummer"));
  g_assert_true (g_strv_contains (header, "custom/Opmerking"));
  g_assert_true (g_strv_contains (header, "tags"));
  g_assert_true (g_strv_contains (header, "consent"));
}

/* vCard export → import gives the same contacts, field by field. */
static void
assert_same_contact (TesoroContact *a,
                     TesoroContact *b)
{
  GPtrArray *x, *y;

  g_assert_cmpstr (tesoro_contact_get_given_name (a), ==, tesoro_contact_get_given_name (b));
  g_assert_cmpstr (tesoro_contact_get_family_name (a), ==, tesoro_contact_get_family_name (b));
  g_assert_cmpstr (tesoro_contact_get_display_name (a), ==, tesoro_contact_get_display_name (b));
  g_assert_cmpstr (tesoro_contact_get_organization (a), ==, tesoro_contact_get_organization (b));
  g_assert_cmpstr (tesoro_contact_get_job_title (a), ==, tesoro_contact_get_job_title (b));
  g_assert_cmpstr (tesoro_contact_get_birthday (a), ==, tesoro_contact_get_birthday (b));
  g_assert_cmpstr (tesoro_contact_get_uid (a), ==, tesoro_contact_get_uid (b));

  for (int k = 0; k < 2; k++)
    {
      x = k == 0 ? tesoro_contact_get_emails (a) : tesoro_contact_get_phones (a);
      y = k == 0 ? tesoro_contact_get_emails (b) : tesoro_contact_get_phones (b);
      g_assert_cmpuint (x->len, ==, y->len);
      for (guint i = 0; i < x->len; i++)
        {
          TesoroDetail *p = x->pdata[i], *q = y->pdata[i];

          g_assert_cmpstr (p->value, ==, q->value);
          g_assert_cmpstr (p->label, ==, q->label);
          g_assert_cmpint (p->primary, ==, q->primary);
        }
    }

  x = tesoro_contact_get_addresses (a);
  y = tesoro_contact_get_addresses (b);
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    {
      TesoroAddress *p = x->pdata[i], *q = y->pdata[i];

      g_assert_cmpstr (p->label, ==, q->label);
      g_assert_cmpstr (p->street, ==, q->street);
      g_assert_cmpstr (p->postal_code, ==, q->postal_code);
      g_assert_cmpstr (p->city, ==, q->city);
      g_assert_cmpstr (p->region, ==, q->region);
      g_assert_cmpstr (p->country, ==, q->country);
    }

  x = tesoro_contact_get_tags (a);
  y = tesoro_contact_get_tags (b);
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    g_assert_cmpstr (x->pdata[i], ==, y->pdata[i]);

  x = tesoro_contact_get_custom_values (a);
  y = tesoro_contact_get_custom_values (b);
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    g_assert_cmpstr (tesoro_contact_get_custom_value (b, ((TesoroCustomValue *) x->pdata[i])->name), ==,
                     ((TesoroCustomValue *) x->pdata[i])->value);

  x = tesoro_contact_get_notes (a);
  y = tesoro_contact_get_notes (b);
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    g_assert_cmpstr (((TesoroNote *) x->pdata[i])->body, ==, ((TesoroNote *) y->pdata[i])->body);
}

static void
test_vcard_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) tricky = tricky_contact ();
  g_autofree char *other_dir = tesoro_test_make_dir ();
  g_autofree char *other_path = g_build_filename (other_dir, "other.db", NULL);
  TesoroContactExportOptions o;
  TesoroContactExportResult r;

  tesoro_session_generate_demo (f->session, 100, 3, NULL, &error);
  g_assert_no_error (error);
  tesoro_session_add_contact (f->session, tricky, &error);
  g_assert_no_error (error);

  for (int v = 0; v < 2; v++)
    {
      g_autoptr(TesoroSession) other = tesoro_test_open_session (other_path);
      g_autoptr(GArray) ids = tesoro_test_session_ids (f->session, NULL, FALSE);
      g_autofree char *path = NULL;
      TesoroImportResult ir;

      tesoro_contact_export_options_init (&o);
      o.format = TESORO_CONTACT_FORMAT_VCARD;
      o.vcard_version = v == 0 ? TESORO_VCARD_VERSION_4_0 : TESORO_VCARD_VERSION_3_0;
      path = export_file (f->session, f->dir, v == 0 ? "all-4.vcf" : "all-3.vcf", &o, NULL, -1, &r);
      g_assert_cmpuint (r.exported, ==, 101);

      ir = import_file (other, path);
      g_assert_cmpuint (ir.created, ==, 101);

      /* Written in id order, imported in file order: ids line up. */
      for (gint64 id = 1; id <= 101; id++)
        {
          g_autoptr(TesoroContact) a = tesoro_session_get_contact (f->session, id, &error);
          g_autoptr(TesoroContact) b = NULL;

          g_assert_no_error (error);
          b = tesoro_session_get_contact (other, id, &error);
          g_assert_no_error (error);
          assert_same_contact (a, b);
        }

      g_assert_finalize_object (g_steal_pointer (&other));
      tesoro_test_remove_dir (other_dir);
      g_mkdir_with_parents (other_dir, 0700);
      (void) ids;
    }

  tesoro_test_remove_dir (other_dir);
}

/* A selection, a search result; restricted and trashed contacts. */
static void
test_selection (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) a = tesoro_test_add_named (f->session, "Anna", "Bakker");
  g_autoptr(TesoroContact) b = tesoro_test_add_named (f->session, "Bert", "Smit");
  g_autoptr(TesoroContact) c = tesoro_test_add_named (f->session, "Carla", "Bakker");
  g_autoptr(TesoroContact) d = tesoro_test_add_named (f->session, "Dirk", "Bakker");
  g_autoptr(GArray) found = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  TesoroContactExportOptions o;
  TesoroContactExportResult r;
  gint64 ids[] = { tesoro_contact_get_id (b), tesoro_contact_get_id (a), 999, tesoro_contact_get_id (a) };

  tesoro_session_set_restricted (f->session, tesoro_contact_get_id (c), TRUE, &error);
  g_assert_no_error (error);
  tesoro_session_trash_contact (f->session, tesoro_contact_get_id (d), &error);
  g_assert_no_error (error);

  csv_options (&o, ',', FALSE);
  g_free (export_file (f->session, f->dir, "sel.csv", &o, ids, G_N_ELEMENTS (ids), &r));
  g_assert_cmpuint (r.exported, ==, 2);
  g_assert_cmpuint (r.missing, ==, 1);
  g_assert_cmpuint (r.restricted, ==, 0);

  found = tesoro_session_search_ids (f->session, "bakker", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  path = export_file (f->session, f->dir, "search.csv", &o, (gint64 *) found->data, found->len, &r);
  g_assert_cmpuint (r.exported, ==, 1);
  g_assert_cmpuint (r.restricted, ==, 1);
  g_file_get_contents (path, &text, NULL, NULL);
  g_assert_nonnull (strstr (text, "Anna"));
  g_assert_null (strstr (text, "Carla"));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&path, g_free);

  o.include_restricted = TRUE;
  path = export_file (f->session, f->dir, "all.csv", &o, NULL, -1, &r);
  g_assert_cmpuint (r.exported, ==, 3);
  g_file_get_contents (path, &text, NULL, NULL);
  g_assert_nonnull (strstr (text, "Carla"));
  g_assert_null (strstr (text, "Dirk"));

  /* Each export is in the audit log, with counts and no names. */
  {
    g_auto(GStrv) details = tesoro_test_sql_strings (f->path,
                                                     "SELECT details FROM audit_log WHERE action = 'export-contacts'"
                                                     " ORDER BY id");
    g_assert_cmpuint (g_strv_length (details), ==, 3);
    g_assert_nonnull (strstr (details[2], "\"count\":3"));
    g_assert_null (strstr (details[2], "Anna"));
    g_assert_null (strstr (details[2], "all.csv"));
  }
}

static void
cancel_cb (guint64  done,
           guint64  total,
           gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* Written atomically: a cancelled export leaves the old file as it was. */
static void
test_atomic_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GDir) dir = NULL;
  TesoroContactExportOptions o;
  const char *name;
  guint n_files = 0;

  tesoro_session_generate_demo (f->session, 3000, 1, NULL, &error);
  g_assert_no_error (error);
  tesoro_test_write_file (path, "old contents\n", -1);
  before = tesoro_test_read_file (path);

  for (int format = 0; format < 2; format++)
    {
      g_cancellable_reset (cancellable);
      tesoro_contact_export_options_init (&o);
      o.format = format == 0 ? TESORO_CONTACT_FORMAT_CSV : TESORO_CONTACT_FORMAT_VCARD;
      g_assert_false (tesoro_session_export_contacts (f->session, NULL, -1, &o, path, cancellable, cancel_cb,
                                                      cancellable, NULL, &error));
      g_assert_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED);
      g_clear_error (&error);
      tesoro_test_assert_file_unchanged (path, before);
    }

  /* No temporary file left behind either. */
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_suffix (name, ".part"));
      n_files++;
    }
  g_assert_cmpuint (n_files, >=, 2);

  /* A folder where the file should go is an error naming it. */
  tesoro_contact_export_options_init (&o);
  g_assert_false (tesoro_session_export_contacts (f->session, NULL, -1, &o, f->dir, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_IO);
  g_clear_error (&error);

  /* A delimiter no spreadsheet expects is refused. */
  o.delimiter = '|';
  g_assert_false (tesoro_session_export_contacts (f->session, NULL, -1, &o, path, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
}

static void
test_defaults (void)
{
  char delimiter = 0;
  gboolean bom = FALSE;
  TesoroContactFormat format;
  g_autoptr(GError) error = NULL;

  tesoro_contact_export_csv_defaults ("nl", &delimiter, &bom);
  g_assert_cmpint (delimiter, ==, ';');
  g_assert_true (bom);
  tesoro_contact_export_csv_defaults ("nl_BE.UTF-8", &delimiter, &bom);
  g_assert_cmpint (delimiter, ==, ';');
  tesoro_contact_export_csv_defaults ("de_DE@euro", &delimiter, &bom);
  g_assert_cmpint (delimiter, ==, ';');
  bom = FALSE;
  tesoro_contact_export_csv_defaults ("en", &delimiter, &bom);
  g_assert_cmpint (delimiter, ==, ',');
  g_assert_true (bom);
  tesoro_contact_export_csv_defaults ("en_GB.UTF-8", &delimiter, &bom);
  g_assert_cmpint (delimiter, ==, ',');
  tesoro_contact_export_csv_defaults ("C", &delimiter, &bom);
  g_assert_cmpint (delimiter, ==, ',');

  g_assert_true (tesoro_contact_format_from_string ("vcard", &format, &error));
  g_assert_cmpint (format, ==, TESORO_CONTACT_FORMAT_VCARD);
  g_assert_false (tesoro_contact_format_from_string ("xls", &format, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
}

/* tesoro-cli export */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "cli.csv", NULL);
  g_autofree char *vcf = g_build_filename (f->dir, "cli.vcf", NULL);
  g_autoptr(TesoroCliResult) res = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TesoroContact) a = tesoro_test_add_named (f->session, "Anna", "Bakker");
  g_autoptr(TesoroContact) b = tesoro_test_add_named (f->session, "Bert", "Smit");

  res = tesoro_test_cli (f->path, NULL, "export", "--output", out, "--delimiter", ";", "--bom", "--search", "anna",
                         NULL);
  g_assert_cmpint (res->status, ==, 0);
  g_assert_nonnull (strstr (res->out, "Exported 1 contact"));
  bytes = tesoro_test_read_file (out);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 3, "\xef\xbb\xbf", 3);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "given_name;family_name"));
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "Bert"));
  g_clear_pointer (&res, tesoro_cli_result_free);

  res = tesoro_test_cli (f->path, NULL, "export", "--output", vcf, "--format", "vcard", "--vcard-version", "3.0",
                         "--json", NULL);
  g_assert_cmpint (res->status, ==, 0);
  g_assert_nonnull (strstr (res->out, "\"exported\" : 2"));
  g_clear_pointer (&res, tesoro_cli_result_free);

  res = tesoro_test_cli (f->path, NULL, "export", "--output", out, "--delimiter", "|", NULL);
  g_assert_cmpint (res->status, ==, 2);
  g_clear_pointer (&res, tesoro_cli_result_free);

  res = tesoro_test_cli (f->path, NULL, "export", NULL);
  g_assert_cmpint (res->status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, tesoro_test_fixture_setup, func, tesoro_test_fixture_teardown)
  ADD ("/export-contacts/csv/round-trip", test_csv_round_trip);
  ADD ("/export-contacts/csv/formula-injection", test_formula_injection);
  ADD ("/export-contacts/csv/header", test_header);
  ADD ("/export-contacts/vcard/round-trip", test_vcard_round_trip);
  ADD ("/export-contacts/selection", test_selection);
  ADD ("/export-contacts/atomic-cancel", test_atomic_cancel);
  ADD ("/export-contacts/cli", test_cli);
#undef ADD
  g_test_add_func ("/export-contacts/defaults", test_defaults);

  return g_test_run ();
}
