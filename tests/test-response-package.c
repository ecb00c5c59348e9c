/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-response-package"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tesoro-access.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-import-run.h"
#include "tesoro-response-package.h"
#include "tesoro-test-utils.h"

/*
 * The response package to an access or portability request: the zip, read
 * back with libarchive, holds the Export Data files byte for byte and a
 * vCard that Tesoro's own import reads back to the same contact; its README
 * in English and Dutch states what the database and the settings say; it is
 * written whole or not at all, for the owner only, by whom may export a
 * person's data, and audited once.
 */

/* The clock is pinned, so that a package and an Export Data made a moment
 * apart carry the same time. */
#define NOW "2026-03-02T10:00:00Z"

typedef TesoroTestFixture Fixture;

/* Helpers */

static char *
fixture_file (Fixture    *f,
              const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* The members of a zip file: name → contents, read with libarchive. */
static GHashTable *
read_zip (const char *path)
{
  GHashTable *members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) file = tesoro_test_read_file (path);
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  int rc;

  g_assert_cmpint (archive_read_support_format_zip (archive), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_read_open_memory (archive, g_bytes_get_data (file, NULL), g_bytes_get_size (file)), ==,
                   ARCHIVE_OK);
  while ((rc = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    {
      g_autoptr(GByteArray) data = g_byte_array_new ();
      char buffer[8192];
      la_ssize_t n;

      g_assert_cmpint (archive_entry_filetype (entry), ==, AE_IFREG);
      g_assert_cmpint (archive_entry_perm (entry) & 0077, ==, 0);
      while ((n = archive_read_data (archive, buffer, sizeof buffer)) > 0)
        g_byte_array_append (data, (const guint8 *) buffer, (guint) n);
      g_assert_cmpint (n, ==, 0);
      g_assert_false (g_hash_table_contains (members, archive_entry_pathname (entry)));
      g_hash_table_insert (members, g_strdup (archive_entry_pathname (entry)),
                           g_byte_array_free_to_bytes (g_steal_pointer (&data)));
    }
  g_assert_cmpint (rc, ==, ARCHIVE_EOF);
  archive_read_free (archive);
  return members;
}

static GBytes *
member (GHashTable *members,
        const char *name)
{
  GBytes *bytes = g_hash_table_lookup (members, name);

  if (bytes == NULL)
    g_error ("The package has no “%s”", name);
  return bytes;
}

static char *
member_text (GHashTable *members,
             const char *name)
{
  GBytes *bytes = member (members, name);

  g_assert_true (g_utf8_validate (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
member_name (TesoroContact *contact,
             const char    *file)
{
  return g_strdup_printf ("contact-%s/%s", tesoro_contact_get_uid (contact), file);
}

static void
write_package (Fixture        *f,
               const gint64   *ids,
               guint           n_ids,
               TesoroLanguage  language,
               const char     *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_session_write_response_package (f->session, ids, n_ids, language, path, &error));
  g_assert_no_error (error);
}

/* The README of a package of @ids, in @language; also checks that the lines
 * are wrapped for a plain text editor. */
static char *
readme_of (Fixture        *f,
           const gint64   *ids,
           guint           n_ids,
           TesoroLanguage  language)
{
  g_autofree char *path = fixture_file (f, "readme-check.zip");
  g_autoptr(GHashTable) members = NULL;
  g_auto(GStrv) lines = NULL;
  char *text;

  write_package (f, ids, n_ids, language, path);
  members = read_zip (path);
  text = member_text (members, "README.txt");
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_null (strchr (lines[i], '\n'));
      if (g_utf8_strlen (lines[i], -1) > 76 && strchr (lines[i], ' ') != NULL)
        g_error ("README line %u is too long: “%s”", i + 1, lines[i]);
    }
  g_unlink (path);
  return text;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  /* The README wraps lines: compare with the line breaks as spaces. */
  g_autoptr(GString) flat = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n' || *p == ' ')
        {
          space = TRUE;
          continue;
        }
      if (space && flat->len > 0)
        g_string_append_c (flat, ' ');
      space = FALSE;
      g_string_append_c (flat, *p);
    }
  if (strstr (flat->str, needle) == NULL)
    g_error ("The README does not say “%s”:\n%s", needle, text);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (strstr (text, needle) != NULL)
    g_error ("The README should not say “%s”:\n%s", needle, text);
}

static gboolean
have_dutch (void)
{
  locale_t dutch = newlocale (LC_MESSAGES_MASK, "nl_NL.UTF-8", (locale_t) 0);

  if (dutch == (locale_t) 0)
    return FALSE;
  freelocale (dutch);
  return TRUE;
}

static TesoroContact *
add_contact (Fixture       *f,
             TesoroContact *contact)
{
  g_autoptr(GError) error = NULL;

  tesoro_session_add_contact (f->session, contact, &error);
  g_assert_no_error (error);
  return contact;
}

/* A contact with every field and every kind of history, consent recorded
 * through the session. */
static TesoroContact *
add_full_contact (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TesoroContact *contact = add_contact (f, tesoro_test_full_contact ("Sophie", "de Vries"));

  tesoro_session_record_consent (f->session, tesoro_contact_get_id (contact), TESORO_PURPOSE_MARKETING_EMAIL, TRUE,
                                 "2025-09-01", "web form", NULL, &error);
  g_assert_no_error (error);
  return contact;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static guint
count_packages_audited (Fixture *f)
{
  return (guint) tesoro_test_sql_int (f->path, "SELECT count(*) FROM audit_log WHERE action = 'response-package'");
}

/* The privacy settings are edited by the privacy office's own screens; here
 * the test puts them in the settings table itself. */
static void
set_privacy_setting (Fixture    *f,
                     const char *key,
                     const char *json_value)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO settings (key, value) VALUES ('%s', '%s')"
                                          " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                          key, json_value);

  tesoro_test_sql_exec (f->path, sql);
}

/* Tests */

static void
test_export_files (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = add_full_contact (f);
  g_autoptr(TesoroContact) other = add_contact (f, tesoro_test_full_contact ("Sophie", "Devries"));
  gint64 ids[] = { tesoro_contact_get_id (contact), tesoro_contact_get_id (other) };
  g_autofree char *path = fixture_file (f, "Sophie de Vries.zip");
  g_autoptr(GHashTable) members = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  write_package (f, ids, G_N_ELEMENTS (ids), TESORO_LANGUAGE_ENGLISH, path);

  /* Readable by its owner only: it is all of a person's data. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  members = read_zip (path);
  g_assert_cmpuint (g_hash_table_size (members), ==, 1 + 3 * G_N_ELEMENTS (ids));
  g_assert_true (g_hash_table_contains (members, "README.txt"));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(TesoroContact) c = tesoro_session_get_contact (f->session, ids[i], &error);
      g_autofree char *csv_path = fixture_file (f, "export.csv");
      g_autofree char *json_path = fixture_file (f, "export.json");
      g_autofree char *csv_name = NULL;
      g_autofree char *json_name = NULL;
      g_autoptr(GBytes) csv = NULL;
      g_autoptr(GBytes) json = NULL;

      g_assert_no_error (error);
      tesoro_session_export_data (f->session, ids[i], TESORO_EXPORT_FORMAT_CSV, csv_path, &error);
      g_assert_no_error (error);
      tesoro_session_export_data (f->session, ids[i], TESORO_EXPORT_FORMAT_JSON, json_path, &error);
      g_assert_no_error (error);
      csv = tesoro_test_read_file (csv_path);
      json = tesoro_test_read_file (json_path);

      csv_name = member_name (c, "data.csv");
      json_name = member_name (c, "data.json");
      g_assert_cmpuint (g_bytes_get_size (csv), >, 1000);
      g_assert_true (g_bytes_equal (member (members, csv_name), csv));
      g_assert_true (g_bytes_equal (member (members, json_name), json));
    }
}

static void
test_vcard_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = add_full_contact (f);
  gint64 id = tesoro_contact_get_id (contact);
  g_autofree char *path = fixture_file (f, "package.zip");
  g_autofree char *vcf_path = fixture_file (f, "contact.vcf");
  g_autofree char *vcf_name = member_name (contact, "contact.vcf");
  g_autofree char *other_db = fixture_file (f, "other.db");
  g_autoptr(GHashTable) members = NULL;
  g_autoptr(TesoroSession) other = NULL;
  g_autoptr(TesoroImportSession) import = NULL;
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroContact) back = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *vcard = NULL;
  TesoroImportResult result;
  GPtrArray *e, *b;

  write_package (f, &id, 1, TESORO_LANGUAGE_ENGLISH, path);
  members = read_zip (path);
  vcard = member_text (members, vcf_name);
  g_assert_true (g_str_has_prefix (vcard, "BEGIN:VCARD\r\nVERSION:4.0\r\n"));
  tesoro_test_write_file (vcf_path, vcard, -1);

  /* Another Tesoro imports the card as any vCard file. */
  other = tesoro_test_open_session (other_db);
  import = tesoro_import_session_new (vcf_path);
  tesoro_import_session_prepare (import, other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_import_session_get_format (import), ==, TESORO_IMPORT_FORMAT_VCARD);
  tesoro_import_session_run (import, other, NULL, NULL, NULL, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.created, ==, 1);
  g_assert_cmpuint (result.invalid, ==, 0);

  ids = tesoro_test_session_ids (other, NULL, FALSE);
  g_assert_cmpuint (ids->len, ==, 1);
  back = tesoro_session_get_contact (other, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  stored = tesoro_session_get_contact (f->session, id, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (tesoro_contact_get_uid (back), ==, tesoro_contact_get_uid (stored));
  g_assert_cmpstr (tesoro_contact_get_given_name (back), ==, "Sophie");
  g_assert_cmpstr (tesoro_contact_get_family_name (back), ==, "de Vries");
  g_assert_cmpstr (tesoro_contact_get_display_name (back), ==, tesoro_contact_get_display_name (stored));
  g_assert_cmpstr (tesoro_contact_get_organization (back), ==, tesoro_contact_get_organization (stored));
  g_assert_cmpstr (tesoro_contact_get_job_title (back), ==, tesoro_contact_get_job_title (stored));
  g_assert_cmpstr (tesoro_contact_get_birthday (back), ==, "1985-04-12");

  for (guint k = 0; k < 2; k++)
    {
      e = k == 0 ? tesoro_contact_get_emails (stored) : tesoro_contact_get_phones (stored);
      b = k == 0 ? tesoro_contact_get_emails (back) : tesoro_contact_get_phones (back);
      g_assert_cmpuint (e->len, ==, 2);
      g_assert_cmpuint (b->len, ==, e->len);
      for (guint i = 0; i < e->len; i++)
        {
          TesoroDetail *x = e->pdata[i], *y = b->pdata[i];

          g_assert_cmpstr (y->label, ==, x->label);
          g_assert_cmpstr (y->value, ==, x->value);
          g_assert_cmpint (y->primary, ==, x->primary);
        }
    }

  e = tesoro_contact_get_addresses (stored);
  b = tesoro_contact_get_addresses (back);
  g_assert_cmpuint (e->len, ==, 2);
  g_assert_cmpuint (b->len, ==, e->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroAddress *x = e->pdata[i], *y = b->pdata[i];

      g_assert_cmpstr (y->label, ==, x->label);
      g_assert_cmpstr (y->street, ==, x->street);
      g_assert_cmpstr (y->postal_code, ==, x->postal_code);
      g_assert_cmpstr (y->city, ==, x->city);
      g_assert_cmpstr (y->region, ==, x->region);
      g_assert_cmpstr (y->country, ==, x->country);
    }

  e = tesoro_contact_get_tags (stored);
  b = tesoro_contact_get_tags (back);
  g_assert_cmpuint (b->len, ==, e->len);
  for (guint i = 0; i < e->len; i++)
    g_assert_cmpstr (b->pdata[i], ==, e->pdata[i]);

  e = tesoro_contact_get_custom_values (stored);
  b = tesoro_contact_get_custom_values (back);
  g_assert_cmpuint (e->len, ==, 2);
  g_assert_cmpuint (b->len, ==, e->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroCustomValue *x = e->pdata[i], *y = b->pdata[i];

      g_assert_cmpstr (y->name, ==, x->name);
      g_assert_cmpstr (y->value, ==, x->value);
    }

  e = tesoro_contact_get_notes (stored);
  b = tesoro_contact_get_notes (back);
  g_assert_cmpuint (b->len, ==, e->len);
  for (guint i = 0; i < e->len; i++)
    g_assert_cmpstr (((TesoroNote *) b->pdata[i])->body, ==, ((TesoroNote *) e->pdata[i])->body);

  g_assert_finalize_object (g_steal_pointer (&import));
  g_clear_object (&back);
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* A contact of a CSV import, with marketing consent from the file. */
static gint64
import_one (Fixture *f)
{
  g_autofree char *csv = fixture_file (f, "klanten.csv");
  g_autoptr(TesoroImportSession) import = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  TesoroImportResult result;

  tesoro_test_write_file (csv, "Naam,E-mail\r\nJan Jansen,jan@example.nl\r\n", -1);
  import = tesoro_import_session_new (csv);
  tesoro_import_session_prepare (import, f->session, NULL, &error);
  g_assert_no_error (error);
  tesoro_import_session_set_consent (import, TESORO_CONSENT_ANSWER_WITHDRAWN);
  tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.created, ==, 1);

  ids = tesoro_test_session_ids (f->session, "jan@example.nl", FALSE);
  g_assert_cmpuint (ids->len, ==, 1);
  return g_array_index (ids, gint64, 0);
}

static void
set_lawful_basis (Fixture    *f,
                  gint64      id,
                  const char *basis)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = tesoro_session_get_contact (f->session, id, &error);

  g_assert_no_error (error);
  tesoro_contact_set_lawful_basis (contact, basis);
  tesoro_session_update_contact (f->session, contact, &error);
  g_assert_no_error (error);
}

static void
test_readme_english (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = add_full_contact (f);
  gint64 id = tesoro_contact_get_id (contact);
  gint64 imported = import_one (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *readme = NULL;
  g_autofree char *record = g_strdup_printf ("Your record contact-%s", tesoro_contact_get_uid (contact));
  TesoroGdprSettings settings = { 0 };

  tesoro_session_add_consent_purpose (f->session, "newsletter", "Nieuwsbrief", &error);
  g_assert_no_error (error);

  /* As a fresh database is set up: no retention, 30 days of trash, no
   * recipients, the Dutch authority. */
  readme = readme_of (f, &id, 1, TESORO_LANGUAGE_ENGLISH);
  assert_contains (readme, record);
  assert_contains (readme, "Article 15(1)(a)");
  assert_contains (readme, "The lawful basis recorded for processing your data is your consent (Article 6(1)(a) GDPR).");
  assert_contains (readme, "Marketing e-mail: you gave your consent on 2025-09-01.");
  assert_contains (readme, "Nieuwsbrief: you have not given your consent.");
  /* (b): the full contact has every category. */
  assert_contains (readme, "Your date of birth");
  assert_contains (readme, "Postal addresses");
  assert_contains (readme, "A log of calls and meetings with you");
  assert_contains (readme, "We do not share your data with anyone outside our organisation.");
  assert_contains (readme, "We have set no fixed retention period");
  assert_contains (readme, "deleted permanently after 30 days.");
  assert_contains (readme, "rectification (Article 16 GDPR)");
  assert_contains (readme, "erasure (Article 17 GDPR)");
  assert_contains (readme, "restriction of processing (Article 18 GDPR)");
  assert_contains (readme, "object to the processing of your data (Article 21 GDPR)");
  assert_contains (readme, "lodge a complaint with a supervisory authority: the Dutch Data Protection Authority "
                           "(Autoriteit Persoonsgegevens).");
  assert_contains (readme, "Article 15(1)(h)");
  assert_contains (readme, "Your data was entered by our organisation; it was not imported");
  assert_contains (readme, "on 2026-03-02");
  assert_lacks (readme, "Sophie");
  g_clear_pointer (&readme, g_free);

  /* The settings change, and so does the README. */
  settings.retention_enabled = TRUE;
  settings.retention_years = 7;
  settings.trash_expiry_days = 14;
  tesoro_session_set_gdpr_settings (f->session, &settings, &error);
  g_assert_no_error (error);
  set_privacy_setting (f, TESORO_SETTING_PRIVACY_RECIPIENTS, "[\"Boekhoudkantoor Visser (our accountant)\", "
                                                             "\"MailPost B.V. (newsletter mailing)\"]");
  set_privacy_setting (f, TESORO_SETTING_PRIVACY_AUTHORITY, "the Belgian Data Protection Authority");
  set_lawful_basis (f, id, "legitimate_interests");
  tesoro_session_record_consent (f->session, id, TESORO_PURPOSE_MARKETING_EMAIL, FALSE, "2026-01-15", "phone call",
                                 NULL, &error);
  g_assert_no_error (error);

  readme = readme_of (f, &id, 1, TESORO_LANGUAGE_ENGLISH);
  assert_contains (readme, "The lawful basis recorded for processing your data is our legitimate interests "
                           "(Article 6(1)(f) GDPR).");
  assert_contains (readme, "Marketing e-mail: you withdrew your consent on 2026-01-15.");
  assert_contains (readme, "Our retention period is 7 years: a record with no contact or activity for 7 years is "
                           "deleted automatically.");
  assert_contains (readme, "deleted permanently after 14 days.");
  assert_lacks (readme, "no fixed retention period");
  assert_contains (readme, "- Boekhoudkantoor Visser (our accountant)");
  assert_contains (readme, "- MailPost B.V. (newsletter mailing)");
  assert_lacks (readme, "anyone outside our organisation");
  assert_contains (readme, "supervisory authority: the Belgian Data Protection Authority.");
  assert_lacks (readme, "Autoriteit Persoonsgegevens");
  assert_lacks (readme, "restricted");
  assert_lacks (readme, "legal hold");
  g_clear_pointer (&readme, g_free);

  /* Restriction and legal hold are stated when they apply. */
  tesoro_session_set_legal_hold (f->session, id, TRUE, "Dispute, case 2026/3", &error);
  g_assert_no_error (error);
  tesoro_session_set_restricted (f->session, id, TRUE, &error);
  g_assert_no_error (error);
  readme = readme_of (f, &id, 1, TESORO_LANGUAGE_ENGLISH);
  assert_contains (readme, "The processing of this record is restricted (Article 18 GDPR)");
  assert_contains (readme, "This record is on legal hold");
  assert_lacks (readme, "Dispute");
  g_clear_pointer (&readme, g_free);

  /* An imported contact: its source, and only the categories it has. */
  readme = readme_of (f, &imported, 1, TESORO_LANGUAGE_ENGLISH);
  assert_contains (readme, "your record was made by importing a CSV file (import 1).");
  assert_contains (readme, "The imported files recorded with your data: klanten.csv.");
  assert_lacks (readme, "entered by our organisation");
  assert_contains (readme, "Your name");
  assert_contains (readme, "E-mail addresses");
  assert_contains (readme, "Your consent choices");
  assert_lacks (readme, "Phone numbers");
  assert_lacks (readme, "Your date of birth");
  assert_lacks (readme, "Notes about you");
  assert_contains (readme, "No lawful basis is recorded for this record.");
  assert_contains (readme, "Marketing e-mail: you withdrew your consent on 2026-03-02.");

  /* A setting that is not a list is an error, not "nobody". */
  set_privacy_setting (f, TESORO_SETTING_PRIVACY_RECIPIENTS, "Boekhoudkantoor Visser");
  {
    g_autofree char *path = fixture_file (f, "bad.zip");

    g_assert_false (tesoro_session_write_response_package (f->session, &id, 1, TESORO_LANGUAGE_ENGLISH, path,
                                                           &error));
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, TESORO_SETTING_PRIVACY_RECIPIENTS));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

static void
test_readme_dutch (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = add_full_contact (f);
  gint64 id = tesoro_contact_get_id (contact);
  g_autoptr(GError) error = NULL;
  g_autofree char *readme = NULL;
  TesoroGdprSettings settings = { 0 };

  if (!have_dutch ())
    {
      g_test_skip ("the nl_NL.UTF-8 locale is not installed");
      return;
    }

  readme = readme_of (f, &id, 1, TESORO_LANGUAGE_DUTCH);
  assert_contains (readme, "De rechtsgrond die voor de verwerking van uw gegevens is vastgelegd, is uw toestemming "
                           "(artikel 6, lid 1, onder a, AVG).");
  assert_contains (readme, "Marketing-e-mail: u hebt op 2025-09-01 toestemming gegeven.");
  assert_contains (readme, "We hebben geen vaste bewaartermijn ingesteld");
  assert_contains (readme, "na 30 dagen definitief verwijderd.");
  assert_contains (readme, "de Autoriteit Persoonsgegevens");
  assert_contains (readme, "Uw geboortedatum");
  assert_contains (readme, "artikel 15, lid 1, onder h");
  assert_lacks (readme, "Your record");
  assert_lacks (readme, "lawful basis");
  g_clear_pointer (&readme, g_free);

  settings.retention_enabled = TRUE;
  settings.retention_years = 1;
  settings.trash_expiry_days = 0;
  tesoro_session_set_gdpr_settings (f->session, &settings, &error);
  g_assert_no_error (error);
  set_lawful_basis (f, id, "contract");

  readme = readme_of (f, &id, 1, TESORO_LANGUAGE_DUTCH);
  assert_contains (readme, "Onze bewaartermijn is 1 jaar");
  assert_contains (readme, "blijft daar tot de prullenbak wordt geleegd");
  assert_contains (readme, "is een overeenkomst met u");
  assert_lacks (readme, "geen vaste bewaartermijn");
  g_clear_pointer (&readme, g_free);

  /* The language of the document, not of the person running Tesoro. */
  readme = readme_of (f, &id, 1, TESORO_LANGUAGE_ENGLISH);
  assert_contains (readme, "Our retention period is 1 year: a record with no contact or activity for 1 year");
  assert_lacks (readme, "bewaartermijn");
}

static void
test_nothing_held (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = fixture_file (f, "none.zip");
  g_autoptr(GHashTable) members = NULL;
  g_autofree char *readme = NULL;
  GStatBuf st;

  tesoro_test_add_named (f->session, "Anna", "Smit");
  write_package (f, NULL, 0, TESORO_LANGUAGE_ENGLISH, path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  members = read_zip (path);
  g_assert_cmpuint (g_hash_table_size (members), ==, 1);
  readme = member_text (members, "README.txt");
  assert_contains (readme, "hold no personal data about you");
  assert_contains (readme, "lodge a complaint with a supervisory authority");
  assert_lacks (readme, "data.csv");
  assert_lacks (readme, "Anna");
  g_clear_pointer (&readme, g_free);
  g_assert_cmpuint (count_packages_audited (f), ==, 1);

  if (have_dutch ())
    {
      readme = readme_of (f, NULL, 0, TESORO_LANGUAGE_DUTCH);
      assert_contains (readme, "geen persoonsgegevens over u");
      assert_lacks (readme, "no personal data");
    }
}

static void
test_audited (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = add_full_contact (f);
  g_autoptr(TesoroContact) other = tesoro_test_add_named (f->session, "Jan", "Jansen");
  gint64 ids[] = { tesoro_contact_get_id (contact), tesoro_contact_get_id (other), tesoro_contact_get_id (contact) };
  g_autofree char *path = fixture_file (f, "Sophie de Vries.zip");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GHashTable) members = NULL;
  TesoroAuditFilter filter;
  JsonObject *object;
  JsonArray *uids;

  write_package (f, ids, 1, TESORO_LANGUAGE_DUTCH, path);
  /* The same contact twice is one record. */
  write_package (f, ids, G_N_ELEMENTS (ids), TESORO_LANGUAGE_ENGLISH, path);
  members = read_zip (path);
  g_assert_cmpuint (g_hash_table_size (members), ==, 7);

  tesoro_audit_filter_init (&filter);
  filter.action = TESORO_AUDIT_RESPONSE_PACKAGE;
  filter.newest_first = TRUE;
  entries = tesoro_session_list_audit (f->session, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);

  /* One contact: the entry names it, as an Export Data entry would. */
  g_assert_cmpstr (tesoro_audit_entry_get_contact_uid (entries->pdata[1]), ==, tesoro_contact_get_uid (contact));
  g_assert_null (tesoro_audit_entry_get_contact_uid (entries->pdata[0]));

  details = tesoro_test_parse_json (tesoro_audit_entry_get_details (entries->pdata[0]));
  object = json_node_get_object (details);
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "files"), ==, 7);
  {
    g_autoptr(GBytes) zip = tesoro_test_read_file (path);

    g_assert_cmpint (json_object_get_int_member (object, "bytes"), ==, (gint64) g_bytes_get_size (zip));
  }
  g_assert_cmpstr (json_object_get_string_member (object, "language"), ==, "en");
  uids = json_object_get_array_member (object, "contacts");
  g_assert_cmpuint (json_array_get_length (uids), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (uids, 0), ==, tesoro_contact_get_uid (contact));
  g_assert_cmpstr (json_array_get_string_element (uids, 1), ==, tesoro_contact_get_uid (other));
  /* No values, no file name (which has the name in it). */
  g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[0]), "Sophie"));
  g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[0]), "Jansen"));
  g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[0]), "example"));

  {
    g_autofree char *text = tesoro_audit_entry_describe (entries->pdata[0]);

    g_assert_nonnull (strstr (text, "2 contacts"));
  }

  /* The package of the one contact is among who was shown it, as an
   * Export Data would be. */
  {
    g_autoptr(GPtrArray) views = tesoro_session_list_views (f->session, tesoro_contact_get_uid (contact), &error);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < views->len; i++)
      found |= g_strcmp0 (tesoro_audit_entry_get_action (views->pdata[i]), TESORO_AUDIT_RESPONSE_PACKAGE) == 0;
    g_assert_true (found);
  }
}

static void
test_nothing_half_done (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = add_full_contact (f);
  gint64 id = tesoro_contact_get_id (contact);
  gint64 unknown[] = { id, 9999 };
  g_autofree char *path = fixture_file (f, "package.zip");
  g_autofree char *missing = fixture_file (f, "no-such-folder/package.zip");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GHashTable) members = NULL;
  g_autoptr(GError) error = NULL;
  guint files;

  /* A folder that is not there: an error naming the file, and no file. */
  files = count_files (f->dir);
  g_assert_false (tesoro_session_write_response_package (f->session, &id, 1, TESORO_LANGUAGE_ENGLISH, missing, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f->dir), ==, files);

  /* An unknown contact: nothing written, an existing file left as it was. */
  g_assert_false (tesoro_session_write_response_package (f->session, unknown, G_N_ELEMENTS (unknown),
                                                         TESORO_LANGUAGE_ENGLISH, path, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "9999"));
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  tesoro_test_write_file (path, "an earlier package", -1);
  before = tesoro_test_read_file (path);
  g_assert_false (tesoro_session_write_response_package (f->session, unknown, G_N_ELEMENTS (unknown),
                                                         TESORO_LANGUAGE_ENGLISH, path, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  tesoro_test_assert_file_unchanged (path, before);

  /* No temporary file stays behind, and nothing is in the log. */
  g_assert_cmpuint (count_files (f->dir), ==, files + 1);
  g_assert_cmpuint (count_packages_audited (f), ==, 0);

  /* An existing file is replaced whole. */
  write_package (f, &id, 1, TESORO_LANGUAGE_ENGLISH, path);
  members = read_zip (path);
  g_assert_cmpuint (g_hash_table_size (members), ==, 4);
  g_assert_cmpuint (count_files (f->dir), ==, files + 1);
}

#define ADMIN_PASSWORD "Zeer-geheim-42"
#define SALES_PASSWORD "Verkoop-2026!"
#define OFFICER_PASSWORD "Privacy-Wacht-9"

static TesoroSession *
sign_in (Fixture    *f,
         const char *login,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  TesoroSession *session = tesoro_test_open_session (f->path);

  g_assert_true (tesoro_session_sign_in (session, login, password, &error));
  g_assert_no_error (error);
  return session;
}

static void
test_permission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = add_full_contact (f);
  gint64 id = tesoro_contact_get_id (contact);
  g_autofree char *path = fixture_file (f, "package.zip");
  g_autoptr(TesoroSession) sales = NULL;
  g_autoptr(TesoroSession) officer = NULL;
  g_autoptr(GError) error = NULL;

  tesoro_session_set_password (f->session, tesoro_session_get_actor (f->session), ADMIN_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->session, "sanne", "Sanne Bakker", TESORO_ROLE_SALES, SALES_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->session, "pim", "Pim Privacy", TESORO_ROLE_PRIVACY_OFFICER, OFFICER_PASSWORD, &error);
  g_assert_no_error (error);

  /* Sales may not export a person's data, so not in a package either, and
   * not even the "nothing held" answer. */
  sales = sign_in (f, "sanne", SALES_PASSWORD);
  g_assert_false (tesoro_session_write_response_package (sales, &id, 1, TESORO_LANGUAGE_ENGLISH, path, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "export-data"));
  g_clear_error (&error);
  g_assert_false (tesoro_session_write_response_package (sales, NULL, 0, TESORO_LANGUAGE_ENGLISH, path, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_packages_audited (f), ==, 0);

  /* The privacy officer may, and the log says who. */
  officer = sign_in (f, "pim", OFFICER_PASSWORD);
  g_assert_true (tesoro_session_write_response_package (officer, &id, 1, TESORO_LANGUAGE_ENGLISH, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_packages_audited (f), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM audit_log"
                                                 " WHERE action = 'response-package' AND actor = 'pim'"), ==, 1);
}

/* The privacy office's one-click answer: `tesoro-cli requests respond` for
 * an access request writes the package, whose files are those that
 * `tesoro-cli export-data` writes, and the request is done with the
 * package's digest as its evidence. */
static void
test_cli_respond (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = add_full_contact (f);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, tesoro_contact_get_id (contact));
  g_autofree char *zip = fixture_file (f, "answer.zip");
  g_autofree char *csv_path = fixture_file (f, "cli.csv");
  g_autofree char *json_path = fixture_file (f, "cli.json");
  g_autofree char *csv_name = member_name (contact, "data.csv");
  g_autofree char *json_name = member_name (contact, "data.json");
  g_autoptr(GHashTable) members = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) package = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *digest = NULL;
  JsonObject *evidence;
  GStatBuf st;
  const char * const steps[][12] = {
    { "requests", "add", "--kind", "access", "--received", "2026-02-20", "--requester",
      "Sophie de Vries", "--contact", id, NULL },
    { "requests", "respond", "1", "--output", zip, NULL },
    { "requests", "verify", "1", "--method", "Replied from the address on file", NULL },
    { "requests", "respond", "1", "--output", zip, NULL },
    { "export-data", id, "--format", "csv", "--output", csv_path, NULL },
    { "export-data", id, "--format", "json", "--output", json_path, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(TesoroCliResult) r = NULL;

      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, f->path);
      for (guint k = 0; steps[i][k] != NULL; k++)
        g_ptr_array_add (argv, (char *) steps[i][k]);
      g_ptr_array_add (argv, NULL);
      r = tesoro_test_cli_argv ((const char * const *) argv->pdata, NULL, NULL, FALSE);

      /* Not before the identity is verified: no file either. */
      if (i == 1)
        {
          g_assert_cmpint (r->status, ==, 1);
          g_assert_nonnull (strstr (r->err, "identity"));
          g_assert_false (g_file_test (zip, G_FILE_TEST_EXISTS));
          continue;
        }
      if (r->status != 0)
        g_error ("step %u failed: %s", i, r->err);
    }

  g_assert_cmpint (g_stat (zip, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  members = read_zip (zip);
  csv = tesoro_test_read_file (csv_path);
  json = tesoro_test_read_file (json_path);
  g_assert_true (g_bytes_equal (member (members, csv_name), csv));
  g_assert_true (g_bytes_equal (member (members, json_name), json));

  /* Done, and the digest proves which file went out. */
  {
    const char *argv[] = { "--db", f->path, "requests", "show", "1", "--json", NULL };
    g_autoptr(TesoroCliResult) r = tesoro_test_cli_argv (argv, NULL, NULL, FALSE);

    g_assert_cmpint (r->status, ==, 0);
    shown = tesoro_test_parse_json (r->out);
  }
  package = tesoro_test_read_file (zip);
  digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, package);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "status"), ==, "done");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "outcome"), ==, "package");
  evidence = json_object_get_object_member (json_node_get_object (shown), "evidence");
  g_assert_cmpstr (json_object_get_string_member (evidence, "package_sha256"), ==, digest);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("TESORO_LOCALEDIR");

  g_setenv ("TESORO_NOW", NOW, TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, tesoro_test_fixture_setup, func, tesoro_test_fixture_teardown)

  ADD ("/response-package/export-files", test_export_files);
  ADD ("/response-package/vcard", test_vcard_round_trip);
  ADD ("/response-package/readme/english", test_readme_english);
  ADD ("/response-package/readme/dutch", test_readme_dutch);
  ADD ("/response-package/nothing-held", test_nothing_held);
  ADD ("/response-package/audited", test_audited);
  ADD ("/response-package/nothing-half-done", test_nothing_half_done);
  ADD ("/response-package/permission", test_permission);
  ADD ("/response-package/cli-respond", test_cli_respond);

  return g_test_run ();
}
