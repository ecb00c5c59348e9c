/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-access.h"
#include "tesoro-batch.h"
#include "tesoro-error.h"
#include "tesoro-fields.h"
#include "tesoro-gdpr.h"
#include "tesoro-import-run.h"
#include "tesoro-register.h"
#include "tesoro-test-utils.h"

/*
 * The privacy office: data minimisation (fields switched off, their values
 * erased, the report) and the register of processing (Art. 30), through the
 * session.
 */

#define SALES_PASSWORD "Verkoop-2026!"

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static char *
export_register (TesoroTestFixture    *f,
                 TesoroRegisterFormat  format,
                 TesoroLanguage        language)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, format == TESORO_REGISTER_HTML ? "register.html" : "register.csv",
                                            NULL);
  GStatBuf st;

  g_assert_true (tesoro_session_export_register (f->session, format, language, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  return read_text (path);
}

static TesoroContact *
add_contact (TesoroTestFixture *f,
             const char        *given,
             const char        *birthday,
             const char        *hobby)
{
  g_autoptr(GError) error = NULL;
  TesoroContact *contact = tesoro_contact_new ();

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, "Jansen");
  tesoro_contact_set_organization (contact, "Bakkerij Jansen");
  tesoro_contact_set_lawful_basis (contact, "contract");
  if (birthday != NULL)
    tesoro_contact_set_birthday (contact, birthday);
  if (hobby != NULL)
    tesoro_contact_set_custom_value (contact, "Hobby", hobby);
  tesoro_contact_add_email (contact, "work", "jansen@example.nl", TRUE);
  g_assert_true (tesoro_session_add_contact (f->session, contact, &error));
  g_assert_no_error (error);
  return contact;
}

/* The CSV row of the categories section for @label, or NULL. */
static char *
category_line (const char *csv,
               const char *label)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);
  g_autofree char *prefix = g_strdup_printf ("Categories of personal data,%s,", label);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix) || g_str_has_prefix (lines[i] + (i == 0 ? 3 : 0), prefix))
      return g_strdup (lines[i]);
  return NULL;
}

static void
test_categories (TesoroTestFixture *f,
                 gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) anna = add_contact (f, "Anna", "1980-05-06", "Zeilen");
  g_autoptr(TesoroContact) bert = add_contact (f, "Bert", NULL, NULL);
  g_autofree char *csv = export_register (f, TESORO_REGISTER_CSV, TESORO_LANGUAGE_ENGLISH);
  g_autofree char *html = export_register (f, TESORO_REGISTER_HTML, TESORO_LANGUAGE_ENGLISH);
  g_autofree char *birthday = category_line (csv, "Birthday");
  g_autofree char *names = category_line (csv, "Name");
  g_autofree char *hobby = category_line (csv, "Custom field “Hobby”");
  g_autofree char *basis = category_line (csv, "Lawful basis");
  g_autofree char *job = category_line (csv, "Job title");
  g_autofree char *notes = category_line (csv, "Notes");
  g_autofree char *csv_after = NULL;
  g_autofree char *html_after = NULL;
  g_autofree char *birthday_after = NULL;

  /* Every field that holds data, flagged and counted. */
  g_assert_cmpstr (names, ==, "Categories of personal data,Name,Yes,2");
  g_assert_cmpstr (birthday, ==, "Categories of personal data,Birthday,Yes,1");
  g_assert_cmpstr (hobby, ==, "Categories of personal data,Custom field “Hobby”,Yes,1");
  g_assert_cmpstr (basis, ==, "Categories of personal data,Lawful basis,No,2");
  /* ...and none that holds nothing. */
  g_assert_null (job);
  g_assert_null (notes);
  g_assert_nonnull (strstr (html, "<td>Birthday</td><td>Yes</td><td class=\"count\">1</td>"));
  g_assert_null (strstr (html, "<td>Job title</td>"));
  g_assert_nonnull (strstr (html, "<td>Contract</td><td class=\"count\">2</td>"));

  /* Emptied, a field is no longer a category. */
  tesoro_contact_set_birthday (anna, NULL);
  g_assert_true (tesoro_session_update_contact (f->session, anna, &error));
  g_assert_no_error (error);
  csv_after = export_register (f, TESORO_REGISTER_CSV, TESORO_LANGUAGE_ENGLISH);
  html_after = export_register (f, TESORO_REGISTER_HTML, TESORO_LANGUAGE_ENGLISH);
  birthday_after = category_line (csv_after, "Birthday");
  g_assert_null (birthday_after);
  g_assert_null (strstr (html_after, "<td>Birthday</td>"));
  g_assert_nonnull (strstr (html_after, "<td>Custom field “Hobby”</td>"));
  (void) bert;
}

static void
test_dutch (TesoroTestFixture *f,
            gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) anna = add_contact (f, "Anna", "1980-05-06", NULL);
  g_autofree char *html = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (tesoro_session_set_controller (f->session, "Bakkerij <De Vries> & Zn", &error));
  g_assert_no_error (error);
  html = export_register (f, TESORO_REGISTER_HTML, TESORO_LANGUAGE_DUTCH);
  csv = export_register (f, TESORO_REGISTER_CSV, TESORO_LANGUAGE_DUTCH);

  g_assert_nonnull (strstr (html, "<html lang=\"nl\">"));
  g_assert_nonnull (strstr (html, "Register van verwerkingsactiviteiten — Bakkerij &lt;De Vries&gt; &amp; Zn"));
  g_assert_nonnull (strstr (html, "Categorieën persoonsgegevens"));
  g_assert_nonnull (strstr (html, "<td>Verjaardag</td><td>Ja</td>"));
  g_assert_nonnull (strstr (html, "Klantenadministratie"));
  g_assert_nonnull (strstr (html, "Technische en organisatorische beveiligingsmaatregelen"));
  g_assert_null (strstr (html, "Categories of personal data"));
  g_assert_null (strstr (html, "<De Vries>"));
  /* Dutch CSV is for a Dutch spreadsheet: semicolons. */
  g_assert_nonnull (strstr (csv, "Categorieën persoonsgegevens;Verjaardag;Ja;1"));
}

static void
test_edit (TesoroTestFixture *f,
           gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) purposes = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autofree char *html = NULL;
  g_autofree char *after = NULL;

  purposes = tesoro_session_list_processing_purposes (f->session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (purposes->len, ==, 1);
  g_assert_cmpstr (((TesoroProcessingPurpose *) purposes->pdata[0])->name, ==, "Customer administration");
  g_assert_cmpstr (((TesoroProcessingPurpose *) purposes->pdata[0])->lawful_basis, ==, "contract");

  g_assert_true (tesoro_session_add_processing_purpose (f->session, "Nieuwsbrief", "Maandelijks", "consent", &error));
  g_assert_no_error (error);
  g_assert_false (tesoro_session_add_processing_purpose (f->session, "nieuwsbrief", NULL, "consent", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (tesoro_session_add_processing_purpose (f->session, "Facturen", NULL, "because", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (tesoro_session_add_recipient (f->session, "Mailchimp (nieuwsbrief)", &error));
  g_assert_true (tesoro_session_add_recipient (f->session, "Accountant", &error));
  g_assert_no_error (error);

  html = export_register (f, TESORO_REGISTER_HTML, TESORO_LANGUAGE_ENGLISH);
  g_assert_nonnull (strstr (html, "<td>Nieuwsbrief</td><td>Maandelijks — Lawful basis: Consent</td>"));
  g_assert_nonnull (strstr (html, "<td>Mailchimp (nieuwsbrief)</td>"));
  g_assert_nonnull (strstr (html, "<td>Customer administration</td>"));

  g_assert_true (tesoro_session_remove_processing_purpose (f->session, "Customer administration", &error));
  g_assert_true (tesoro_session_remove_recipient (f->session, "Accountant", &error));
  g_assert_no_error (error);
  recipients = tesoro_session_list_recipients (f->session, &error);
  g_assert_cmpstrv (recipients, ((const char * const[]) { "Mailchimp (nieuwsbrief)", NULL }));
  after = export_register (f, TESORO_REGISTER_HTML, TESORO_LANGUAGE_ENGLISH);
  g_assert_null (strstr (after, "Customer administration"));
  g_assert_null (strstr (after, "<td>Accountant</td>"));
  /* The changes and the exports are in the accountability log, without
   * the recipients' names. */
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM audit_log WHERE action = 'register-export'"), ==, 2);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM audit_log WHERE details LIKE '%Mailchimp%'"), ==, 0);
}

/* Signs in a new session on the fixture's database as a Sales user. */
static TesoroSession *
open_as_sales (TesoroTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  TesoroSession *sales;

  tesoro_session_set_password (f->session, tesoro_session_get_actor (f->session), "Beheerder-2026!", &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->session, "sanne", "Sanne Bakker", TESORO_ROLE_SALES, SALES_PASSWORD, &error);
  g_assert_no_error (error);
  sales = tesoro_test_open_session (f->path);
  g_assert_true (tesoro_session_sign_in (sales, "sanne", SALES_PASSWORD, &error));
  g_assert_no_error (error);
  return sales;
}

static void
test_sales_refused (TesoroTestFixture *f,
                    gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) sales = open_as_sales (f);
  g_autofree char *path = g_build_filename (f->dir, "register.html", NULL);

  g_assert_false (tesoro_session_export_register (sales, TESORO_REGISTER_HTML, TESORO_LANGUAGE_ENGLISH, path, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (tesoro_session_build_register (sales, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (tesoro_session_add_recipient (sales, "Iemand", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_field_enabled (sales, "birthday", FALSE, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (tesoro_session_get_minimisation_report (sales, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
}

static TesoroFieldInfo *
find_field (GPtrArray  *fields,
            const char *key)
{
  for (guint i = 0; i < fields->len; i++)
    if (g_str_equal (((TesoroFieldInfo *) fields->pdata[i])->key, key))
      return fields->pdata[i];
  g_error ("The field “%s” is not listed", key);
}

static void
test_switch_off (TesoroTestFixture *f,
                 gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) anna = add_contact (f, "Anna", "1980-05-06", "Zeilen");
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroContact) carl = tesoro_contact_new ();
  g_autoptr(GPtrArray) fields = NULL;
  TesoroFieldInfo *info;

  g_assert_true (tesoro_session_set_field_enabled (f->session, "birthday", FALSE, &error));
  g_assert_true (tesoro_session_set_field_enabled (f->session, "custom:Hobby", FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (tesoro_session_set_field_enabled (f->session, "name", FALSE, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_field_enabled (f->session, "shoe_size", FALSE, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);

  fields = tesoro_session_list_fields (f->session, &error);
  g_assert_no_error (error);
  info = find_field (fields, "birthday");
  g_assert_false (info->enabled);
  g_assert_cmpint (info->count, ==, 1);
  info = find_field (fields, "custom:Hobby");
  g_assert_false (info->enabled);
  g_assert_true (find_field (fields, "phones")->enabled);
  g_assert_false (find_field (fields, "lawful_basis")->switchable);

  /* A new value is refused, naming the field. */
  tesoro_contact_set_given_name (carl, "Carl");
  tesoro_contact_set_birthday (carl, "1990-01-01");
  g_assert_false (tesoro_session_add_contact (f->session, carl, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Birthday"));
  g_clear_error (&error);

  /* What is held may stay as it is while the rest changes... */
  stored = tesoro_session_get_contact (f->session, tesoro_contact_get_id (anna), &error);
  g_assert_no_error (error);
  tesoro_contact_set_job_title (stored, "Bakker");
  g_assert_true (tesoro_session_update_contact (f->session, stored, &error));
  g_assert_no_error (error);
  /* ...but not change. */
  tesoro_contact_set_custom_value (stored, "Hobby", "Fietsen");
  g_assert_false (tesoro_session_update_contact (f->session, stored, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Hobby"));
  g_clear_error (&error);

  /* Nor through a batch edit. */
  {
    gint64 id = tesoro_contact_get_id (anna);

    g_assert_false (tesoro_session_batch_edit (f->session, &id, 1, TESORO_BATCH_SET_FIELD, "custom/Hobby", "Dammen",
                                               NULL, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "switched off"));
    g_clear_error (&error);
    /* Clearing it is no new value. */
    g_assert_true (tesoro_session_batch_edit (f->session, &id, 1, TESORO_BATCH_SET_FIELD, "custom/Hobby", "",
                                              NULL, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM audit_log WHERE action = 'field-off'"), ==, 2);
  g_assert_true (tesoro_session_set_field_enabled (f->session, "birthday", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (tesoro_session_is_field_enabled (f->session, "birthday"));
  g_assert_false (tesoro_session_is_field_enabled (f->session, "custom:hobby"));
}

static void
test_bulk_export (TesoroTestFixture *f,
                  gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) anna = add_contact (f, "Anna", "1980-05-06", "Zeilen");
  g_autofree char *path = g_build_filename (f->dir, "contacts.csv", NULL);
  g_autofree char *json_path = g_build_filename (f->dir, "anna.json", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autofree char *header = NULL;
  TesoroContactExportOptions options;

  g_assert_true (tesoro_session_set_field_enabled (f->session, "birthday", FALSE, &error));
  g_assert_true (tesoro_session_set_field_enabled (f->session, "custom:Hobby", FALSE, &error));
  g_assert_true (tesoro_session_set_field_enabled (f->session, "emails", FALSE, &error));
  g_assert_no_error (error);

  tesoro_contact_export_options_init (&options);
  g_assert_true (tesoro_session_export_contacts (f->session, NULL, -1, &options, path, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  csv = read_text (path);
  header = g_strndup (csv, strcspn (csv, "\r\n"));
  g_assert_nonnull (strstr (header, "organization"));
  g_assert_null (strstr (header, "birthday"));
  g_assert_null (strstr (header, "custom/Hobby"));
  g_assert_null (strstr (header, "email"));
  g_assert_null (strstr (csv, "1980-05-06"));
  g_assert_null (strstr (csv, "Zeilen"));
  g_assert_null (strstr (csv, "jansen@example.nl"));
  g_assert_nonnull (strstr (csv, "Bakkerij Jansen"));

  /* Export Data is everything held about the person. */
  g_assert_true (tesoro_session_export_data (f->session, tesoro_contact_get_id (anna), TESORO_EXPORT_FORMAT_JSON,
                                             json_path, &error));
  g_assert_no_error (error);
  json = read_text (json_path);
  g_assert_nonnull (strstr (json, "1980-05-06"));
  g_assert_nonnull (strstr (json, "Zeilen"));
}

static void
test_import_drops (TesoroTestFixture *f,
                   gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "in.csv", NULL);
  g_autoptr(TesoroImportSession) import = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  TesoroImportResult result = { 0 };

  tesoro_test_write_file (path, "Voornaam,Achternaam,Geboortedatum,Klantnummer\r\nDirk,Dekker,12-03-1975,K-9\r\n", -1);
  g_assert_true (tesoro_session_set_field_enabled (f->session, "birthday", FALSE, &error));
  g_assert_true (tesoro_session_set_field_enabled (f->session, "custom:Klantnummer", FALSE, &error));
  g_assert_no_error (error);

  import = tesoro_import_session_new (path);
  g_assert_true (tesoro_import_session_prepare (import, f->session, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_import_mapping_get_spec (tesoro_import_session_get_mapping (import), 2)->field, ==,
                   TESORO_IMPORT_IGNORE);
  g_assert_cmpint (tesoro_import_mapping_get_spec (tesoro_import_session_get_mapping (import), 3)->field, ==,
                   TESORO_IMPORT_IGNORE);
  g_assert_true (tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.created, ==, 1);

  ids = tesoro_test_session_ids (f->session, "Dirk", FALSE);
  g_assert_cmpuint (ids->len, ==, 1);
  contact = tesoro_session_get_contact (f->session, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_null (tesoro_contact_get_birthday (contact));
  g_assert_null (tesoro_contact_get_custom_value (contact, "Klantnummer"));
}

static void
test_minimisation (TesoroTestFixture *f,
                   gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroMinimisationReport) report = NULL;
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean rare_hobby = FALSE, rare_birthday = FALSE;

  /* 25 contacts: one with a hobby (4 %), all with a birthday; two
   * without a lawful basis, three relying on consent that nobody gave. */
  for (int i = 0; i < 25; i++)
    {
      g_autofree char *name = g_strdup_printf ("Persoon%d", i);
      TesoroContact *c = add_contact (f, name, "1970-01-01", i == 0 ? "Zeilen" : NULL);

      if (i < 2 || i >= 22)
        {
          tesoro_contact_set_lawful_basis (c, i < 2 ? NULL : "consent");
          g_assert_true (tesoro_session_update_contact (f->session, c, &error));
          g_assert_no_error (error);
        }
      g_ptr_array_add (contacts, c);
    }
  /* One of those consenting contacts did consent, then withdrew; another
   * consented and still does. */
  tesoro_session_record_consent (f->session, tesoro_contact_get_id (contacts->pdata[23]), TESORO_PURPOSE_MARKETING_EMAIL,
                                 TRUE, "2024-01-01T00:00:00Z", "web form", NULL, &error);
  tesoro_session_record_consent (f->session, tesoro_contact_get_id (contacts->pdata[23]), TESORO_PURPOSE_MARKETING_EMAIL,
                                 FALSE, "2024-02-01T00:00:00Z", "phone call", NULL, &error);
  g_assert_no_error (error);

  report = tesoro_session_get_minimisation_report (f->session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->n_contacts, ==, 25);
  g_assert_cmpint (report->n_without_basis, ==, 2);
  g_assert_cmpint (report->n_without_consent, ==, 3);
  g_assert_cmpint (report->n_inactive, ==, 0);
  for (guint i = 0; i < report->rare_fields->len; i++)
    {
      TesoroFieldInfo *info = report->rare_fields->pdata[i];

      rare_hobby |= g_str_equal (info->key, "custom:Hobby");
      rare_birthday |= g_str_equal (info->key, "birthday");
    }
  g_assert_true (rare_hobby);
  g_assert_false (rare_birthday);

  tesoro_session_record_consent (f->session, tesoro_contact_get_id (contacts->pdata[24]), TESORO_PURPOSE_MARKETING_EMAIL,
                                 TRUE, "2024-01-01T00:00:00Z", "web form", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&report, tesoro_minimisation_report_free);
  report = tesoro_session_get_minimisation_report (f->session, &error);
  g_assert_cmpint (report->n_without_consent, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("TESORO_LOCALEDIR");

  /* The Dutch register comes from the catalogue built with the tests. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, TesoroTestFixture, NULL, tesoro_test_fixture_setup, func, \
                                    tesoro_test_fixture_teardown)
  ADD ("/register/categories", test_categories);
  ADD ("/register/dutch", test_dutch);
  ADD ("/register/edit", test_edit);
  ADD ("/register/sales-refused", test_sales_refused);
  ADD ("/fields/switch-off", test_switch_off);
  ADD ("/fields/bulk-export", test_bulk_export);
  ADD ("/fields/import-drops", test_import_drops);
  ADD ("/fields/minimisation", test_minimisation);
#undef ADD

  return g_test_run ();
}
