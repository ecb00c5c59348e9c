/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tesoro-audit.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-import-run.h"
#include "tesoro-test-utils.h"
#include "tesoro-utils.h"

/*
 * The import engine: CSV and vCard into the session, preview, the policies
 * for existing contacts, skip-invalid with its report, Undo Import, the
 * remembered mapping, and bad input (truncated files, invalid UTF-8, NUL
 * bytes, a 100 MB field, a million rows, a process killed half-way), which
 * must end in a clear error or a report and leave the database as it was.
 *
 * TESORO_TEST_BIG_ROWS sets the size of the big files (default 1,000,000;
 * 200,000 under the sanitizers, which are ten times slower).
 */

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_BIG_ROWS 200000
#else
#define DEFAULT_BIG_ROWS 1000000
#endif

typedef TesoroTestFixture Fixture;

static char *
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);

  tesoro_test_write_file (path, text, -1);
  return path;
}

static TesoroImportSession *
prepared (Fixture    *f,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  TesoroImportSession *import = tesoro_import_session_new (path);

  tesoro_import_session_prepare (import, f->session, NULL, &error);
  g_assert_no_error (error);
  return import;
}

static TesoroImportResult
import_ok (Fixture             *f,
           TesoroImportSession *import)
{
  g_autoptr(GError) error = NULL;
  TesoroImportResult result;

  tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &result, &error);
  g_assert_no_error (error);
  return result;
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return tesoro_test_sql_int (f->path, sql);
}

/* What a database holds, to prove that a failed import changed nothing. */
typedef struct
{
  gint64 contacts, emails, phones, terms, consent, batches, items, audit, settings;
} Snapshot;

static Snapshot
snapshot (Fixture *f)
{
  Snapshot s;

  s.contacts = count (f, "SELECT count(*) FROM contacts");
  s.emails = count (f, "SELECT count(*) FROM contact_emails");
  s.phones = count (f, "SELECT count(*) FROM contact_phones");
  s.terms = count (f, "SELECT count(*) FROM search_terms");
  s.consent = count (f, "SELECT count(*) FROM consent_events");
  s.batches = count (f, "SELECT count(*) FROM import_batches");
  s.items = count (f, "SELECT count(*) FROM import_items");
  s.audit = count (f, "SELECT count(*) FROM audit_log");
  s.settings = count (f, "SELECT count(*) FROM settings");
  return s;
}

static void
assert_unchanged (Fixture        *f,
                  const Snapshot *before)
{
  Snapshot after = snapshot (f);
  g_auto(GStrv) integrity = tesoro_test_sql_strings (f->path, "PRAGMA integrity_check");

  g_assert_cmpint (after.contacts, ==, before->contacts);
  g_assert_cmpint (after.emails, ==, before->emails);
  g_assert_cmpint (after.phones, ==, before->phones);
  g_assert_cmpint (after.terms, ==, before->terms);
  g_assert_cmpint (after.consent, ==, before->consent);
  g_assert_cmpint (after.batches, ==, before->batches);
  g_assert_cmpint (after.items, ==, before->items);
  g_assert_cmpint (after.audit, ==, before->audit);
  g_assert_cmpint (after.settings, ==, before->settings);
  g_assert_cmpstrv ((const char * const *) integrity, ((const char * const[]) { "ok", NULL }));
}

static guint
search (Fixture    *f,
        const char *query)
{
  g_autoptr(GArray) ids = tesoro_test_session_ids (f->session, query, FALSE);
  return ids->len;
}

static TesoroContact *
find_contact (Fixture    *f,
              const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = tesoro_test_session_ids (f->session, query, FALSE);
  TesoroContact *contact;

  g_assert_cmpuint (ids->len, ==, 1);
  contact = tesoro_session_get_contact (f->session, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  return contact;
}

/* A plain CSV file */

static const char basic_csv[] =
  "Voornaam;Achternaam;E-mailadres;Telefoonnummer;Bedrijf;Plaats;Geboortedatum\r\n"
  "Sophie;de Vries;sophie@bakkerij.example;06-12345678;Bakkerij De Vries;Utrecht;12-04-1985\r\n"
  "Jan;van der Berg;jan@berg.example;020 123 4567;;Amsterdam;1970-01-31\r\n"
  "Émile;Dupont;emile@example.fr;;Dupont SA;Lille;\r\n";

static void
test_csv_basic (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = write_file (f, "klanten.csv", basic_csv);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(TesoroContact) sophie = NULL;
  g_autoptr(TesoroContact) jan = NULL;
  TesoroImportMapping *mapping;
  TesoroImportResult r;

  g_assert_cmpint (tesoro_import_session_get_format (import), ==, TESORO_IMPORT_FORMAT_CSV);
  g_assert_cmpint (tesoro_import_session_get_delimiter (import), ==, ';');
  g_assert_cmpint (tesoro_import_session_get_encoding (import), ==, TESORO_TEXT_ENCODING_UTF8);
  g_assert_cmpuint (tesoro_import_session_get_n_columns (import), ==, 7);
  g_assert_cmpstr (tesoro_import_session_get_header (import)[2], ==, "E-mailadres");
  g_assert_cmpuint (tesoro_import_session_get_sample (import)->len, ==, 3);
  g_assert_false (tesoro_import_session_get_mapping_remembered (import));
  g_assert_false (tesoro_import_session_get_own_format (import));

  mapping = tesoro_import_session_get_mapping (import);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpint (tesoro_import_mapping_get_match (mapping, i), ==, TESORO_IMPORT_MATCH_KNOWN);

  r = import_ok (f, import);
  g_assert_cmpuint (r.records, ==, 3);
  g_assert_cmpuint (r.created, ==, 3);
  g_assert_cmpuint (r.updated + r.skipped + r.invalid, ==, 0);
  g_assert_cmpint (r.batch_id, >, 0);

  /* Searchable by every indexed field, normalised on the way in. */
  g_assert_cmpuint (search (f, "sophie"), ==, 1);
  g_assert_cmpuint (search (f, "bakkerij"), ==, 1);
  g_assert_cmpuint (search (f, "utrecht"), ==, 1);
  g_assert_cmpuint (search (f, "berg"), ==, 1);
  g_assert_cmpuint (search (f, "emile"), ==, 1);
  g_assert_cmpuint (search (f, "0612345678"), ==, 1);
  g_assert_cmpuint (search (f, "berg.example"), ==, 1);

  sophie = find_contact (f, "sophie");
  g_assert_cmpstr (tesoro_contact_get_family_name (sophie), ==, "de Vries");
  g_assert_cmpstr (tesoro_contact_get_birthday (sophie), ==, "1985-04-12");
  g_assert_cmpstr (tesoro_contact_get_primary_phone (sophie), ==, "+31612345678");
  g_assert_cmpstr (tesoro_contact_get_primary_email (sophie), ==, "sophie@bakkerij.example");

  jan = find_contact (f, "jan");
  g_assert_cmpstr (tesoro_contact_get_family_name (jan), ==, "van der Berg");
  g_assert_cmpstr (tesoro_contact_get_primary_phone (jan), ==, "+31201234567");
  g_assert_cmpstr (tesoro_contact_get_birthday (jan), ==, "1970-01-31");

  /* One audit entry: counts and format, never the file name. */
  {
    g_auto(GStrv) details = tesoro_test_sql_strings (f->path, "SELECT details FROM audit_log WHERE action = 'import'");

    g_assert_cmpuint (g_strv_length (details), ==, 1);
    g_assert_nonnull (strstr (details[0], "\"created\":3"));
    g_assert_nonnull (strstr (details[0], "\"format\":\"csv\""));
    g_assert_null (strstr (details[0], "klanten"));
    g_assert_null (strstr (details[0], "sophie"));
  }
}

/* The fixed lawful basis and consent; the source names the file. */
static void
test_fixed_basis_and_consent (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *path = write_file (f, "beurs 2024.csv",
                                      "Name,Email,Consent\n"
                                      "Anna Bakker,anna@example.nl,\n"
                                      "Bert Smit,bert@example.nl,nee\n");
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) anna = NULL;
  g_autoptr(TesoroContact) bert = NULL;
  TesoroConsentEvent *event;

  tesoro_import_session_set_lawful_basis (import, "Toestemming", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_import_session_get_lawful_basis (import), ==, "consent");
  tesoro_import_session_set_lawful_basis (import, "because", &error);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  tesoro_import_session_set_consent (import, TESORO_CONSENT_ANSWER_GRANTED);
  import_ok (f, import);

  anna = find_contact (f, "anna");
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (anna), ==, "consent");
  g_assert_cmpstr (tesoro_contact_get_consent_state (anna), ==, "granted");
  event = tesoro_contact_get_consent (anna)->pdata[0];
  g_assert_cmpstr (event->source, ==, "import: beurs 2024.csv");

  /* The row's own answer wins over the fixed one. */
  bert = find_contact (f, "bert");
  g_assert_cmpstr (tesoro_contact_get_consent_state (bert), ==, "withdrawn");
}

/* Preview */

static const char problems_csv[] =
  "First Name,Last Name,E-mail Address,Birthday\n"
  "Anna,Bakker,anna@example.nl,1981-03-14\n"      /* 2: existing */
  "Bert,Smit,bert@,1970-01-01\n"                   /* 3: invalid e-mail */
  "Carla,Jansen,carla@example.nl,31-31-1990\n"      /* 4: unreadable date */
  ",,,\n"                                           /* 5: nothing: blank record */
  "Dirk,Visser,dirk@example.nl,\n"                  /* 6: new */
  "Dirk,Visser,DIRK@example.nl,\n"                  /* 7: duplicate in the file */
  ",,,1980-01-01\n";                                /* 8: neither name nor e-mail */

static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = write_file (f, "problems.csv", problems_csv);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(TesoroContact) anna = tesoro_contact_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GError) error = NULL;
  TesoroImportTotals totals;
  TesoroImportRow *row;
  Snapshot before;

  tesoro_contact_set_given_name (anna, "Anna");
  tesoro_contact_add_email (anna, "work", "Anna@Example.nl", TRUE);
  tesoro_session_add_contact (f->session, anna, &error);
  g_assert_no_error (error);
  before = snapshot (f);

  tesoro_import_session_preview (import, f->session, 100, NULL, NULL, NULL, &rows, &totals, &error);
  g_assert_no_error (error);
  assert_unchanged (f, &before);

  g_assert_cmpuint (totals.records, ==, 7);
  g_assert_cmpuint (totals.valid, ==, 3);
  g_assert_cmpuint (totals.invalid, ==, 4);
  g_assert_cmpuint (totals.existing, ==, 1);
  g_assert_cmpuint (totals.duplicates, ==, 1);
  g_assert_cmpuint (rows->len, ==, 7);

  row = rows->pdata[0];
  g_assert_cmpint (row->status, ==, TESORO_IMPORT_ROW_EXISTING);
  g_assert_cmpint (row->existing_id, ==, tesoro_contact_get_id (anna));
  g_assert_cmpuint (row->line, ==, 2);
  g_assert_cmpstr (row->values[2], ==, "anna@example.nl");

  row = rows->pdata[1];
  g_assert_cmpint (row->status, ==, TESORO_IMPORT_ROW_INVALID);
  g_assert_cmpuint (row->line, ==, 3);
  g_assert_cmpuint (row->problems->len, ==, 1);
  g_assert_cmpint (((TesoroImportProblem *) row->problems->pdata[0])->column, ==, 2);
  g_assert_cmpstr (((TesoroImportProblem *) row->problems->pdata[0])->column_name, ==, "E-mail Address");
  g_assert_cmpstr (((TesoroImportProblem *) row->problems->pdata[0])->value, ==, "bert@");

  row = rows->pdata[2];
  g_assert_cmpint (row->status, ==, TESORO_IMPORT_ROW_INVALID);
  g_assert_cmpstr (((TesoroImportProblem *) row->problems->pdata[0])->column_name, ==, "Birthday");
  /* The row as it will be stored, without the bad date. */
  g_assert_cmpstr (tesoro_contact_get_given_name (row->contact), ==, "Carla");
  g_assert_null (tesoro_contact_get_birthday (row->contact));

  row = rows->pdata[3];
  g_assert_cmpint (row->status, ==, TESORO_IMPORT_ROW_INVALID);
  g_assert_cmpint (((TesoroImportProblem *) row->problems->pdata[0])->column, ==, -1);

  g_assert_cmpint (((TesoroImportRow *) rows->pdata[4])->status, ==, TESORO_IMPORT_ROW_NEW);
  g_assert_cmpint (((TesoroImportRow *) rows->pdata[5])->status, ==, TESORO_IMPORT_ROW_DUPLICATE);
  g_assert_cmpint (((TesoroImportRow *) rows->pdata[6])->status, ==, TESORO_IMPORT_ROW_INVALID);

  {
    g_autofree char *text = tesoro_import_row_describe_problems (rows->pdata[1]);
    g_assert_nonnull (strstr (text, "bert@"));
  }

  /* Without totals only the first rows are read. */
  tesoro_import_session_preview (import, f->session, 2, NULL, NULL, NULL, &first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 2);
}

/* Without skip-invalid, the first invalid row stops everything. */
static void
test_invalid_aborts (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = write_file (f, "problems.csv", problems_csv);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GError) error = NULL;
  TesoroImportResult r;
  Snapshot before = snapshot (f);

  g_assert_false (tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &r, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "problems.csv"));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "E-mail Address"));
  g_assert_nonnull (strstr (error->message, "bert@"));
  assert_unchanged (f, &before);
}

static void
test_skip_invalid_report (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = write_file (f, "problems.csv", problems_csv);
  g_autofree char *report = g_build_filename (f->dir, "skipped.csv", NULL);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  TesoroImportResult r;
  GStatBuf st;

  tesoro_import_session_set_skip_invalid (import, TRUE, report);
  r = import_ok (f, import);
  g_assert_cmpuint (r.records, ==, 7);
  g_assert_cmpuint (r.invalid, ==, 4);
  g_assert_cmpuint (r.created, ==, 2);  /* Anna, Dirk */
  g_assert_cmpuint (r.skipped, ==, 1);  /* Dirk again: matches the Dirk just created */
  g_assert_cmpint (count (f, "SELECT count(*) FROM contacts"), ==, 2);

  bytes = tesoro_test_read_file (report);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "line"));
  g_assert_nonnull (strstr (text, "problem"));
  g_assert_nonnull (strstr (text, "3,E-mail Address,bert@,"));
  g_assert_nonnull (strstr (text, "4,Birthday,31-31-1990,"));
  g_assert_nonnull (strstr (text, "\r\n8,,,"));

  /* Personal data: readable by its owner only. */
  g_assert_cmpint (g_stat (report, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = write_file (f, "klanten.csv", basic_csv);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  TesoroImportResult r;
  Snapshot before = snapshot (f);

  tesoro_import_session_set_dry_run (import, TRUE);
  r = import_ok (f, import);
  g_assert_cmpuint (r.created, ==, 3);
  g_assert_cmpint (r.batch_id, ==, 0);
  assert_unchanged (f, &before);
}

/* Existing contacts */

static gint64
add_existing (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) c = tesoro_contact_new ();

  tesoro_contact_set_given_name (c, "Sophie");
  tesoro_contact_set_organization (c, "Old Bakery");
  tesoro_contact_add_email (c, "home", "SOPHIE@bakkerij.example", TRUE);
  g_ptr_array_add (tesoro_contact_get_tags (c), g_strdup ("vip"));
  tesoro_session_add_contact (f->session, c, &error);
  g_assert_no_error (error);
  tesoro_session_record_consent (f->session, tesoro_contact_get_id (c), TESORO_PURPOSE_MARKETING_EMAIL, FALSE,
                                 NULL, "phone call", "said no", &error);
  g_assert_no_error (error);
  return tesoro_contact_get_id (c);
}

static const char update_csv[] =
  "First Name,Last Name,E-mail,Mobile Phone,Company,Tags,Notes,Consent\n"
  "Sophie,de Vries,sophie@bakkerij.example,06-12345678,Bakkerij De Vries,klant,Wil een offerte,ja\n"
  "Nieuw,Persoon,nieuw@example.nl,,,,,\n";

static void
test_existing_skip (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = write_file (f, "update.csv", update_csv);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  gint64 id = add_existing (f);
  g_autoptr(TesoroContact) after = NULL;
  g_autoptr(GError) error = NULL;
  TesoroImportResult r = import_ok (f, import);

  g_assert_cmpuint (r.created, ==, 1);
  g_assert_cmpuint (r.skipped, ==, 1);
  after = tesoro_session_get_contact (f->session, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_family_name (after), ==, "");
  g_assert_cmpstr (tesoro_contact_get_organization (after), ==, "Old Bakery");
}

static void
test_existing_create (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = write_file (f, "update.csv", update_csv);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  TesoroImportResult r;

  add_existing (f);
  tesoro_import_session_set_existing (import, TESORO_IMPORT_EXISTING_CREATE);
  r = import_ok (f, import);
  g_assert_cmpuint (r.created, ==, 2);
  g_assert_cmpuint (search (f, "sophie@bakkerij.example"), ==, 2);
}

static void
test_existing_update_and_undo (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *path = write_file (f, "update.csv", update_csv);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(TesoroContact) before = NULL;
  g_autoptr(TesoroContact) after = NULL;
  g_autoptr(TesoroContact) undone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroImportBatch) batch = NULL;
  gint64 id = add_existing (f);
  guint64 removed = 0, restored = 0;
  TesoroImportResult r;

  before = tesoro_session_get_contact (f->session, id, &error);
  g_assert_no_error (error);

  tesoro_import_session_set_existing (import, TESORO_IMPORT_EXISTING_UPDATE);
  r = import_ok (f, import);
  g_assert_cmpuint (r.created, ==, 1);
  g_assert_cmpuint (r.updated, ==, 1);

  after = tesoro_session_get_contact (f->session, id, &error);
  g_assert_no_error (error);
  /* Empty fields filled, nothing overwritten. */
  g_assert_cmpstr (tesoro_contact_get_family_name (after), ==, "de Vries");
  g_assert_cmpstr (tesoro_contact_get_organization (after), ==, "Old Bakery");
  g_assert_cmpstr (tesoro_contact_get_primary_phone (after), ==, "+31612345678");
  g_assert_cmpuint (tesoro_contact_get_emails (after)->len, ==, 1);
  g_assert_true (tesoro_contact_has_tag (after, "vip"));
  g_assert_true (tesoro_contact_has_tag (after, "klant"));
  g_assert_cmpuint (tesoro_contact_get_notes (after)->len, ==, 1);
  /* The person said no: an import never turns that into yes. */
  g_assert_cmpstr (tesoro_contact_get_consent_state (after), ==, "withdrawn");
  g_assert_cmpuint (tesoro_contact_get_consent (after)->len, ==, 1);
  g_assert_cmpuint (search (f, "devries"), ==, 0);
  g_assert_cmpuint (search (f, "vries"), ==, 1);

  batch = tesoro_session_get_import_batch (f->session, r.batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->created, ==, 1);
  g_assert_cmpuint (batch->updated, ==, 1);
  g_assert_cmpuint (batch->remaining_created, ==, 1);
  g_assert_cmpuint (batch->remaining_updated, ==, 1);
  g_assert_null (batch->undone_at);

  /* Undo Import: the new contact goes, Sophie is as she was. */
  tesoro_session_undo_import (f->session, r.batch_id, NULL, NULL, NULL, &removed, &restored, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpuint (restored, ==, 1);
  g_assert_cmpint (tesoro_session_count_contacts (f->session, FALSE, NULL), ==, 1);
  g_assert_cmpuint (search (f, "nieuw"), ==, 0);
  g_assert_cmpuint (search (f, "vries"), ==, 0);

  undone = tesoro_session_get_contact (f->session, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_family_name (undone), ==, "");
  g_assert_cmpuint (tesoro_contact_get_phones (undone)->len, ==, 0);
  g_assert_cmpuint (tesoro_contact_get_notes (undone)->len, ==, 0);
  g_assert_false (tesoro_contact_has_tag (undone, "klant"));
  g_assert_true (tesoro_contact_has_tag (undone, "vip"));
  g_assert_cmpuint (tesoro_contact_get_consent (undone)->len, ==, 1);
  tesoro_test_assert_contacts_equal (before, undone);

  /* The record of the batch is gone with the undo; a second undo is refused. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM import_items"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit_log WHERE action = 'import-undo'"), ==, 1);
  g_assert_false (tesoro_session_undo_import (f->session, r.batch_id, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tesoro_session_undo_import (f->session, 999, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
}

/* A restricted contact (Art. 18) is read-only: the row is skipped. */
static void
test_existing_restricted (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = write_file (f, "update.csv", update_csv);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) after = NULL;
  gint64 id = add_existing (f);
  TesoroImportResult r;

  tesoro_session_set_restricted (f->session, id, TRUE, &error);
  g_assert_no_error (error);
  tesoro_import_session_set_existing (import, TESORO_IMPORT_EXISTING_UPDATE);
  r = import_ok (f, import);
  g_assert_cmpuint (r.updated, ==, 0);
  g_assert_cmpuint (r.skipped, ==, 1);
  g_assert_cmpuint (r.restricted, ==, 1);
  after = tesoro_session_get_contact (f->session, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_family_name (after), ==, "");
}

/* A contact created by a row and filled by a later row of the same file is
 * searchable by what both brought. */
static void
test_update_within_file (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = write_file (f, "twice.csv",
                                      "Name,E-mail,Company\n"
                                      "Karel Appel,karel@example.nl,\n"
                                      "Karel Appel,karel@example.nl,Cobra Studio\n");
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GError) error = NULL;
  TesoroImportResult r;
  guint64 removed = 0;

  tesoro_import_session_set_existing (import, TESORO_IMPORT_EXISTING_UPDATE);
  r = import_ok (f, import);
  g_assert_cmpuint (r.created, ==, 1);
  g_assert_cmpuint (r.updated, ==, 1);
  g_assert_cmpuint (search (f, "cobra"), ==, 1);
  g_assert_cmpuint (search (f, "karel appel"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM import_items"), ==, 1);

  tesoro_session_undo_import (f->session, r.batch_id, NULL, NULL, NULL, &removed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM contacts"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM search_terms"), ==, 0);
}

/* The mapping */

static void
test_remembered_mapping (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = write_file (f, "a.csv", "Naam,Mail,Klantnr\nAnna Bakker,anna@example.nl,K-1\n");
  g_autofree char *path2 = write_file (f, "b.csv", "Naam,Mail,Klantnr\nBert Smit,bert@example.nl,K-2\n");
  g_autofree char *mapping_json = write_file (f, "mapping.json", "{\"Klantnr\": \"custom/Klantnummer\"}");
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(TesoroImportSession) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) bert = NULL;
  g_auto(GStrv) names = NULL;
  TesoroImportMapping *mapping = tesoro_import_session_get_mapping (import);

  tesoro_import_mapping_set_spec (mapping, 1, "email/work", &error);
  g_assert_no_error (error);
  tesoro_import_session_load_mapping_file (import, mapping_json, &error);
  g_assert_no_error (error);
  mapping = tesoro_import_session_get_mapping (import);
  g_assert_cmpstr (tesoro_import_mapping_get_spec (mapping, 2)->custom_name, ==, "Klantnummer");
  import_ok (f, import);

  names = tesoro_session_list_custom_field_names (f->session, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv ((const char * const *) names, ((const char * const[]) { "Klantnummer", NULL }));

  /* The same layout next time: the same mapping. */
  again = prepared (f, path2);
  g_assert_true (tesoro_import_session_get_mapping_remembered (again));
  mapping = tesoro_import_session_get_mapping (again);
  {
    g_autofree char *spec1 = tesoro_import_mapping_dup_spec_string (mapping, 1);
    g_autofree char *spec2 = tesoro_import_mapping_dup_spec_string (mapping, 2);

    g_assert_cmpstr (spec1, ==, "email/work");
    g_assert_cmpstr (spec2, ==, "custom/Klantnummer");
  }
  import_ok (f, again);
  bert = find_contact (f, "bert");
  g_assert_cmpstr (tesoro_contact_get_custom_value (bert, "Klantnummer"), ==, "K-2");
  g_assert_cmpstr (((TesoroDetail *) tesoro_contact_get_emails (bert)->pdata[0])->label, ==, "work");

  /* A mapping file for other columns is refused, naming the file. */
  {
    g_autofree char *bad = write_file (f, "bad.json", "{\"Nope\": \"given_name\"}");
    g_autoptr(TesoroImportSession) third = prepared (f, path2);

    g_assert_false (tesoro_import_session_load_mapping_file (third, bad, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "bad.json"));
  }
}

/* Google and Outlook exports: every column recognised, every row imported. */
static void
assert_all_mapped (TesoroImportSession *import)
{
  TesoroImportMapping *mapping = tesoro_import_session_get_mapping (import);

  for (guint i = 0; i < tesoro_import_mapping_get_n_columns (mapping); i++)
    {
      g_autofree char *name = tesoro_import_mapping_dup_column_name (mapping, i);

      if (tesoro_import_mapping_get_match (mapping, i) == TESORO_IMPORT_MATCH_NONE)
        g_error ("column “%s” was not recognised", name);
    }
}

static void
test_google_outlook (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *google = g_build_filename (TESORO_TEST_DATA, "csv/google-contacts.csv", NULL);
  g_autofree char *outlook = g_build_filename (TESORO_TEST_DATA, "csv/outlook.csv", NULL);
  g_autoptr(TesoroImportSession) g = prepared (f, google);
  g_autoptr(TesoroImportSession) o = prepared (f, outlook);
  TesoroImportResult r;

  assert_all_mapped (g);
  r = import_ok (f, g);
  g_assert_cmpuint (r.created, ==, r.records);
  g_assert_cmpuint (r.records, >=, 5);

  g_assert_cmpint (tesoro_import_session_get_encoding (o), ==, TESORO_TEXT_ENCODING_WINDOWS_1252);
  assert_all_mapped (o);
  tesoro_import_session_set_existing (o, TESORO_IMPORT_EXISTING_CREATE);
  r = import_ok (f, o);
  g_assert_cmpuint (r.created, ==, r.records);
  g_assert_cmpuint (r.records, >=, 3);
  g_assert_cmpuint (search (f, "rene"), >=, 1);
}

/* Dutch Excel: every column recognised and every value where it belongs. */
static void
test_dutch_excel (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (TESORO_TEST_DATA, "import/dutch-excel.csv", NULL);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(TesoroContact) sophie = NULL;
  g_autoptr(TesoroContact) jan = NULL;
  g_autoptr(TesoroContact) anne = NULL;
  TesoroImportMapping *mapping = tesoro_import_session_get_mapping (import);
  TesoroAddress *address;
  TesoroImportResult r;

  g_assert_cmpint (tesoro_import_session_get_delimiter (import), ==, ';');
  g_assert_cmpint (tesoro_import_session_get_encoding (import), ==, TESORO_TEXT_ENCODING_UTF8_BOM);
  for (guint i = 0; i < tesoro_import_mapping_get_n_columns (mapping); i++)
    g_assert_cmpint (tesoro_import_mapping_get_match (mapping, i), ==, TESORO_IMPORT_MATCH_KNOWN);

  r = import_ok (f, import);
  g_assert_cmpuint (r.created, ==, 3);

  sophie = find_contact (f, "sophie");
  g_assert_cmpstr (tesoro_contact_get_family_name (sophie), ==, "de Vries");
  g_assert_cmpstr (tesoro_contact_get_job_title (sophie), ==, "Eigenaar");
  g_assert_cmpstr (tesoro_contact_get_birthday (sophie), ==, "1985-04-12");
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (sophie), ==, "consent");
  g_assert_cmpstr (tesoro_contact_get_consent_state (sophie), ==, "granted");
  g_assert_cmpuint (tesoro_contact_get_phones (sophie)->len, ==, 2);
  g_assert_true (tesoro_contact_has_tag (sophie, "vip"));
  g_assert_cmpuint (tesoro_contact_get_notes (sophie)->len, ==, 1);
  address = tesoro_contact_get_addresses (sophie)->pdata[0];
  g_assert_cmpstr (address->street, ==, "Dorpsstraat 1");
  g_assert_cmpstr (address->postal_code, ==, "1234 AB");
  g_assert_cmpstr (address->city, ==, "Utrecht");
  g_assert_cmpstr (address->country, ==, "Nederland");

  jan = find_contact (f, "vanderberg.nl");
  g_assert_cmpstr (tesoro_contact_get_family_name (jan), ==, "van der Berg");
  g_assert_cmpstr (tesoro_contact_get_birthday (jan), ==, "1970-01-03");
  g_assert_cmpstr (tesoro_contact_get_primary_phone (jan), ==, "+31612345679");
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (jan), ==, "contract");
  g_assert_cmpstr (tesoro_contact_get_consent_state (jan), ==, "withdrawn");

  anne = find_contact (f, "anne");
  g_assert_cmpstr (tesoro_contact_get_organization (anne), ==, "Jansen & Zn.");
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (anne), ==, "legitimate_interests");
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (anne)->pdata[0])->body, ==, "Zegt: \"bel na 17:00\"");
}

static void
test_vcard (Fixture       *f,
            gconstpointer  data)
{
  static const char * const files[] = {
    "vcard/rfc6350.vcf", "vcard/google.vcf", "vcard/apple-ios.vcf", "vcard/outlook.vcf",
    "vcard/android-2.1.vcf", "vcard/nokia-2.1-cp1252.vcf",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (TESORO_TEST_DATA, files[i], NULL);
      g_autoptr(TesoroImportSession) import = prepared (f, path);
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;
      TesoroImportTotals totals;
      TesoroImportResult r;

      g_test_message ("%s", files[i]);
      g_assert_cmpint (tesoro_import_session_get_format (import), ==, TESORO_IMPORT_FORMAT_VCARD);
      g_assert_null (tesoro_import_session_get_mapping (import));
      tesoro_import_session_preview (import, f->session, 10, NULL, NULL, NULL, &rows, &totals, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (totals.records, >, 0);

      tesoro_import_session_set_existing (import, TESORO_IMPORT_EXISTING_CREATE);
      tesoro_import_session_set_skip_invalid (import, TRUE, NULL);
      r = import_ok (f, import);
      g_assert_cmpuint (r.created + r.invalid, ==, totals.records);
      g_assert_cmpuint (r.created, ==, totals.valid);
    }

  /* The format is found from the content when the name does not say. */
  {
    g_autofree char *src = g_build_filename (TESORO_TEST_DATA, "vcard/rfc6350.vcf", NULL);
    g_autoptr(GBytes) bytes = tesoro_test_read_file (src);
    g_autofree char *path = g_build_filename (f->dir, "contacts.dat", NULL);
    g_autoptr(TesoroImportSession) import = NULL;

    tesoro_test_write_file (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    import = prepared (f, path);
    g_assert_cmpint (tesoro_import_session_get_format (import), ==, TESORO_IMPORT_FORMAT_VCARD);
  }
}

/* Bad input */

static void
assert_fails (Fixture    *f,
              const char *path,
              TesoroTextEncoding encoding,
              const char *expect)
{
  g_autoptr(TesoroImportSession) import = tesoro_import_session_new (path);
  g_autoptr(GError) error = NULL;
  TesoroImportResult r;
  Snapshot before = snapshot (f);

  tesoro_import_session_set_encoding (import, encoding);
  if (tesoro_import_session_prepare (import, f->session, NULL, &error))
    {
      g_autoptr(GPtrArray) rows = NULL;
      TesoroImportTotals totals;

      /* The preview sees the same error... */
      g_assert_false (tesoro_import_session_preview (import, f->session, 5, NULL, NULL, NULL, &rows, &totals, &error));
      g_assert_nonnull (error);
      g_test_message ("preview: %s", error->message);
      g_assert_nonnull (strstr (error->message, expect));
      g_clear_error (&error);

      /* ...and the run stops at it, even skipping invalid rows. */
      tesoro_import_session_set_skip_invalid (import, TRUE, NULL);
      g_assert_false (tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &r, &error));
    }
  g_assert_nonnull (error);
  g_test_message ("%s: %s", path, error->message);
  g_assert_nonnull (strstr (error->message, expect));
  assert_unchanged (f, &before);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *truncated = g_build_filename (TESORO_TEST_DATA, "csv/truncated.csv", NULL);
  g_autofree char *nul = g_build_filename (f->dir, "nul.csv", NULL);
  g_autofree char *invalid = g_build_filename (TESORO_TEST_DATA, "csv/invalid-utf8.csv", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "nothing-here.csv", NULL);
  g_autofree char *empty = write_file (f, "empty.csv", "");

  tesoro_test_write_file (nul, "Name,Email\nAnna,anna@example.nl\nBe\0rt,bert@example.nl\n", 54);
  tesoro_test_add_named (f->session, "Al", "Ready");

  assert_fails (f, truncated, TESORO_TEXT_ENCODING_AUTO, "line 3");
  assert_fails (f, nul, TESORO_TEXT_ENCODING_AUTO, "line 3");
  assert_fails (f, invalid, TESORO_TEXT_ENCODING_UTF8, "line 3");
  assert_fails (f, missing, TESORO_TEXT_ENCODING_AUTO, "nothing-here.csv");
  assert_fails (f, empty, TESORO_TEXT_ENCODING_AUTO, "empty.csv");
}

/* A vCard with invalid UTF-8 in one card: that card is an invalid row. */
static void
test_bad_vcard (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (TESORO_TEST_DATA, "vcard/invalid-utf8.vcf", NULL);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  TesoroImportTotals totals;
  TesoroImportResult r;
  TesoroImportRow *row;
  Snapshot before = snapshot (f);

  tesoro_import_session_preview (import, f->session, 5, NULL, NULL, NULL, &rows, &totals, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals.invalid, ==, 1);
  g_assert_cmpuint (totals.valid, ==, 1);
  row = rows->pdata[0];
  g_assert_cmpint (row->status, ==, TESORO_IMPORT_ROW_INVALID);
  g_assert_nonnull (strstr (((TesoroImportProblem *) row->problems->pdata[0])->message, "line 4, column 11"));

  g_assert_false (tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &r, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "invalid-utf8.vcf, line 4"));
  assert_unchanged (f, &before);

  tesoro_import_session_set_skip_invalid (import, TRUE, NULL);
  r = import_ok (f, import);
  g_assert_cmpuint (r.created, ==, 1);
  g_assert_cmpuint (r.invalid, ==, 1);
}

/* A stray quote spoils one record; with skip-invalid the rest goes in. */
static void
test_broken_record_skipped (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = write_file (f, "stray.csv",
                                      "Name,Email\n"
                                      "Anna Bakker,anna@example.nl\n"
                                      "Bert \"the\" Smit,bert@example.nl\n"
                                      "Carla Jansen,carla@example.nl\n");
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GError) error = NULL;
  TesoroImportResult r;
  Snapshot before = snapshot (f);

  g_assert_false (tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &r, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 3"));
  assert_unchanged (f, &before);
  g_clear_error (&error);

  tesoro_import_session_set_skip_invalid (import, TRUE, NULL);
  r = import_ok (f, import);
  g_assert_cmpuint (r.created, ==, 2);
  g_assert_cmpuint (r.invalid, ==, 1);
}

/* A field of 100 MB: an error or a report, never the whole field in memory
 * twice, never a crash. */
static void
test_huge_field (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "huge.csv", NULL);
  g_autofree char *report = g_build_filename (f->dir, "huge-report.csv", NULL);
  g_autoptr(TesoroImportSession) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chunk = g_malloc (1024 * 1024);
  TesoroImportResult r;
  Snapshot before;
  FILE *out;

  memset (chunk, 'x', 1024 * 1024);
  out = fopen (path, "w");
  g_assert_nonnull (out);
  fputs ("Name,Email,Notes\nAnna Bakker,anna@example.nl,\"", out);
  for (int i = 0; i < 100; i++)
    fwrite (chunk, 1, 1024 * 1024, out);
  fputs ("\"\nBert Smit,bert@example.nl,short\n", out);
  g_assert_cmpint (fclose (out), ==, 0);

  before = snapshot (f);
  import = prepared (f, path);
  g_assert_false (tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &r, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "line 2"));
  assert_unchanged (f, &before);
  g_clear_error (&error);

  tesoro_import_session_set_skip_invalid (import, TRUE, report);
  r = import_ok (f, import);
  g_assert_cmpuint (r.created, ==, 1);
  g_assert_cmpuint (r.invalid, ==, 1);
  g_assert_cmpuint (search (f, "bert"), ==, 1);
}

static guint
big_rows (void)
{
  const char *env = g_getenv ("TESORO_TEST_BIG_ROWS");
  guint64 n;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 10, 100000000, &n, NULL))
    return n;
  return DEFAULT_BIG_ROWS;
}

/* A file of @rows valid rows, with an invalid e-mail address on row
 * @bad_row (0: none). */
static char *
write_big_file (const char *dir,
                guint       rows,
                guint       bad_row)
{
  char *path = g_build_filename (dir, "big.csv", NULL);
  FILE *out = fopen (path, "w");

  g_assert_nonnull (out);
  fputs ("First Name,Last Name,E-mail,Phone,Company,City,Birthday\n", out);
  for (guint i = 1; i <= rows; i++)
    fprintf (out, "Given%u,Family%u,person%u%sexample.nl,06-%08u,Company %u,City %u,1980-%02u-%02u\n",
             i, i, i, i == bad_row ? "." : "@", 10000000 + i, i % 977, i % 101, 1 + i % 12, 1 + i % 28);
  g_assert_cmpint (fclose (out), ==, 0);
  return path;
}

typedef struct
{
  guint64 calls;
  guint64 last_done;
  guint64 total;
  GCancellable *cancel_after_half;
} ProgressLog;

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  g_assert_cmpuint (done, >=, log->last_done);
  g_assert_cmpuint (done, <=, total);
  log->calls++;
  log->last_done = done;
  log->total = total;
  if (log->cancel_after_half != NULL && done > total / 2)
    g_cancellable_cancel (log->cancel_after_half);
}

/* A million rows: previewed in constant memory; an invalid row half-way
 * through aborts the import and leaves the database as it was. */
static void
test_million_rows (Fixture       *f,
                   gconstpointer  data)
{
  guint rows = big_rows ();
  g_autofree char *path = write_big_file (f->dir, rows, rows / 2);
  g_autoptr(TesoroImportSession) import = NULL;
  g_autoptr(GPtrArray) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  ProgressLog log = { 0 };
  TesoroImportTotals totals;
  TesoroImportResult r;
  Snapshot before;

  tesoro_test_add_named (f->session, "Al", "Ready");
  before = snapshot (f);
  import = prepared (f, path);

  tesoro_import_session_preview (import, f->session, 10, NULL, progress_cb, &log, &preview, &totals, &error);
  g_assert_no_error (error);
  g_test_message ("preview of %u rows: %.1f s", rows, g_timer_elapsed (timer, NULL));
  g_assert_cmpuint (totals.records, ==, rows);
  g_assert_cmpuint (totals.invalid, ==, 1);
  g_assert_cmpuint (totals.valid, ==, rows - 1);
  g_assert_cmpuint (preview->len, ==, 10);
  g_assert_cmpuint (log.last_done, ==, log.total);
  g_assert_cmpuint (log.calls, >=, 1);

  g_timer_start (timer);
  g_assert_false (tesoro_import_session_run (import, f->session, NULL, NULL, NULL, &r, &error));
  g_test_message ("import aborted at row %u: %.1f s", rows / 2, g_timer_elapsed (timer, NULL));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  {
    g_autofree char *line = g_strdup_printf ("line %u", rows / 2 + 1);
    g_assert_nonnull (strstr (error->message, line));
  }
  assert_unchanged (f, &before);
}

/* Cancelling half-way rolls everything back. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = write_big_file (f->dir, 20000, 0);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ProgressLog log = { 0, 0, 0, cancellable };
  TesoroImportResult r;
  Snapshot before = snapshot (f);

  g_assert_false (tesoro_import_session_run (import, f->session, cancellable, progress_cb, &log, &r, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED);
  g_assert_cmpuint (log.calls, >=, 1);
  assert_unchanged (f, &before);
}

/* The GUI's way: a worker thread with a session of its own on the same file,
 * while the window's session reads. */
typedef struct
{
  char                *db_path;
  TesoroImportSession *import;
  TesoroImportResult   result;
} Work;

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = tesoro_session_open (work->db_path, TESORO_SESSION_FLAGS_NONE, &error);
  if (session == NULL ||
      !tesoro_import_session_run (work->import, session, cancellable, NULL, NULL, &work->result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_task_propagate_boolean (G_TASK (result), &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_worker_thread (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = write_big_file (f->dir, 5000, 0);
  g_autoptr(TesoroImportSession) import = prepared (f, path);
  g_autoptr(GTask) task = NULL;
  Work work = { f->path, import, { 0 } };
  gboolean done = FALSE;

  task = g_task_new (NULL, NULL, done_cb, &done);
  g_task_set_task_data (task, &work, NULL);
  g_task_run_in_thread (task, import_thread);
  g_clear_object (&task);

  /* The window's session keeps reading meanwhile. */
  while (!done)
    {
      g_autoptr(GError) error = NULL;

      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (tesoro_session_count_contacts (f->session, FALSE, &error), >=, 0);
      g_assert_no_error (error);
      g_usleep (1000);
    }

  g_assert_cmpuint (work.result.created, ==, 5000);
  g_assert_cmpint (tesoro_session_count_contacts (f->session, FALSE, NULL), ==, 5000);
  g_assert_cmpuint (search (f, "given4321"), ==, 1);
  g_assert_cmpuint (search (f, "person4999@example.nl"), ==, 1);
}

/* A process killed half-way through an import leaves nothing behind. */
static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = write_big_file (f->dir, 200000, 0);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  const char *cli = g_getenv ("TESORO_CLI");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  gint64 deadline;
  Snapshot before;
  GPid pid;
  int status = 0;
  guint polls = 0;

  if (cli == NULL)
    {
      g_test_skip ("TESORO_CLI is not set");
      return;
    }

  tesoro_test_add_named (f->session, "Al", "Ready");
  g_assert_finalize_object (g_steal_pointer (&f->session));
  f->session = tesoro_test_open_session (f->path);
  before = snapshot (f);

  {
    const char *argv[] = { cli, "--db", f->path, "import", path, NULL };

    g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                   NULL, NULL, &pid, &error);
    g_assert_no_error (error);
  }

  /* Wait until the import has written a good part into the log (pages
   * spilled from its cache) or a few seconds have passed, then kill it. */
  deadline = g_get_monotonic_time () + 4 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      GStatBuf st;

      if (g_stat (wal, &st) == 0 && st.st_size > 4 * 1024 * 1024)
        break;
      g_usleep (10000);
      polls++;
    }
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  /* Killed, not finished. */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  /* Opening the database again recovers it as it was before. */
  g_assert_finalize_object (g_steal_pointer (&f->session));
  f->session = tesoro_test_open_session (f->path);
  assert_unchanged (f, &before);
  batches = tesoro_session_list_import_batches (f->session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batches->len, ==, 0);
}

/* tesoro-cli import */

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *path = write_file (f, "quoted.csv",
                                      "Name,Note\n"
                                      "\"  Anna, Bakker \",\"two\nlines \"\"quoted\"\"\"\n"
                                      "Bert Smit,\n");
  g_autofree char *bad = write_file (f, "bad.csv", "Name,Email\nAnna,\"anna@example.nl\nBert");
  g_autofree char *report = g_build_filename (f->dir, "report.csv", NULL);
  g_autoptr(TesoroCliResult) res = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  JsonArray *rows;

  res = tesoro_test_cli (f->path, NULL, "import", path, "--preview", "--json", NULL);
  g_assert_cmpint (res->status, ==, 0);
  node = tesoro_test_parse_json (res->out);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "csv");
  g_assert_cmpstr (json_object_get_string_member (o, "encoding"), ==, "utf-8");
  g_assert_cmpstr (json_object_get_string_member (o, "delimiter"), ==, ",");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "header"), 0), ==, "Name");
  rows = json_object_get_array_member (o, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  /* Exactly as read: untrimmed, quotes undone, line break kept. */
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 0), 0), ==, "  Anna, Bakker ");
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 0), 1), ==, "two\nlines \"quoted\"");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "mapping"), "Name"), ==, "name");
  g_assert_cmpint (count (f, "SELECT count(*) FROM contacts"), ==, 0);
  g_clear_pointer (&res, tesoro_cli_result_free);
  g_clear_pointer (&node, json_node_unref);

  /* --no-header: header null, every record a row. */
  res = tesoro_test_cli (f->path, NULL, "import", path, "--preview", "--json", "--no-header", NULL);
  g_assert_cmpint (res->status, ==, 0);
  node = tesoro_test_parse_json (res->out);
  o = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (o, "header"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "rows")), ==, 3);
  g_clear_pointer (&res, tesoro_cli_result_free);
  g_clear_pointer (&node, json_node_unref);

  /* Malformed input: line and column, exit status 1. */
  res = tesoro_test_cli (f->path, NULL, "import", bad, "--preview", "--json", NULL);
  g_assert_cmpint (res->status, ==, 1);
  g_assert_nonnull (strstr (res->err, "line 2"));
  g_assert_nonnull (strstr (res->err, "column"));
  g_clear_pointer (&res, tesoro_cli_result_free);

  /* Import with counts. */
  res = tesoro_test_cli (f->path, NULL, "import", path, "--json", NULL);
  g_assert_cmpint (res->status, ==, 0);
  node = tesoro_test_parse_json (res->out);
  o = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (o, "created"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "skipped"), ==, 0);
  g_clear_pointer (&res, tesoro_cli_result_free);
  g_clear_pointer (&node, json_node_unref);

  /* --report without --skip-invalid is a usage error. */
  res = tesoro_test_cli (f->path, NULL, "import", path, "--report", report, NULL);
  g_assert_cmpint (res->status, ==, 2);
  g_clear_pointer (&res, tesoro_cli_result_free);

  /* --match update --dry-run, then --undo. */
  res = tesoro_test_cli (f->path, NULL, "import", path, "--dry-run", "--match", "create", NULL);
  g_assert_cmpint (res->status, ==, 0);
  g_assert_nonnull (strstr (res->out, "2 created"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM contacts"), ==, 2);
  g_clear_pointer (&res, tesoro_cli_result_free);

  res = tesoro_test_cli (f->path, NULL, "import", "--list", "--json", NULL);
  g_assert_cmpint (res->status, ==, 0);
  node = tesoro_test_parse_json (res->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_clear_pointer (&res, tesoro_cli_result_free);
  g_clear_pointer (&node, json_node_unref);

  res = tesoro_test_cli (f->path, NULL, "import", "--undo", "1", NULL);
  g_assert_cmpint (res->status, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM contacts"), ==, 0);
  g_clear_pointer (&res, tesoro_cli_result_free);

  res = tesoro_test_cli (f->path, NULL, "import", "--undo", "1", NULL);
  g_assert_cmpint (res->status, ==, 1);
  g_clear_pointer (&res, tesoro_cli_result_free);

  res = tesoro_test_cli (f->path, NULL, "import", path, "--match", "maybe", NULL);
  g_assert_cmpint (res->status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, tesoro_test_fixture_setup, func, tesoro_test_fixture_teardown)
  ADD ("/import/csv/basic", test_csv_basic);
  ADD ("/import/csv/fixed-basis-consent", test_fixed_basis_and_consent);
  ADD ("/import/preview", test_preview);
  ADD ("/import/invalid/aborts", test_invalid_aborts);
  ADD ("/import/invalid/skip-report", test_skip_invalid_report);
  ADD ("/import/dry-run", test_dry_run);
  ADD ("/import/existing/skip", test_existing_skip);
  ADD ("/import/existing/create", test_existing_create);
  ADD ("/import/existing/update-undo", test_existing_update_and_undo);
  ADD ("/import/existing/restricted", test_existing_restricted);
  ADD ("/import/existing/within-file", test_update_within_file);
  ADD ("/import/mapping/remembered", test_remembered_mapping);
  ADD ("/import/google-outlook", test_google_outlook);
  ADD ("/import/dutch-excel", test_dutch_excel);
  ADD ("/import/vcard", test_vcard);
  ADD ("/import/bad/errors", test_bad_input);
  ADD ("/import/bad/broken-record", test_broken_record_skipped);
  ADD ("/import/bad/vcard", test_bad_vcard);
  ADD ("/import/bad/huge-field", test_huge_field);
  ADD ("/import/bad/million-rows", test_million_rows);
  ADD ("/import/cancel", test_cancel);
  ADD ("/import/worker-thread", test_worker_thread);
  ADD ("/import/killed", test_killed);
  ADD ("/import/cli", test_cli);
#undef ADD

  return g_test_run ();
}
