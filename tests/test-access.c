/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-access.h"
#include "tesoro-audit.h"
#include "tesoro-batch.h"
#include "tesoro-bulk-export.h"
#include "tesoro-consent.h"
#include "tesoro-contact-json.h"
#include "tesoro-erasure.h"
#include "tesoro-error.h"
#include "tesoro-export-data.h"
#include "tesoro-restriction.h"
#include "tesoro-test-utils.h"

/*
 * Access control through the core: one person needs no sign-in; users and
 * passwords; what each built-in role may do; the field mask on every read
 * and write; the audit of views; a database of version 1 brought up.
 */

#define ADMIN_PASSWORD  "Zeer-geheim-42"
#define SALES_PASSWORD  "Verkoop-2026!"
#define READER_PASSWORD "Alleen-lezen-7"
#define OFFICER_PASSWORD "Privacy-Wacht-9"

typedef struct
{
  TesoroTestFixture base;
  gint64            id;        /* a contact with every field */
  char             *uid;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TesoroContact) contact = tesoro_test_full_contact ("Sophie", "de Vries");
  g_autoptr(GError) error = NULL;

  tesoro_test_fixture_setup (&f->base, data);
  tesoro_session_add_contact (f->base.session, contact, &error);
  g_assert_no_error (error);
  f->id = tesoro_contact_get_id (contact);
  f->uid = g_strdup (tesoro_contact_get_uid (contact));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->uid);
  tesoro_test_fixture_teardown (&f->base, data);
}

/* The administrator sets a password and adds the others. */
static void
add_team (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  const char *me = tesoro_session_get_actor (f->base.session);

  tesoro_session_set_password (f->base.session, me, ADMIN_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->base.session, "sanne", "Sanne Bakker", TESORO_ROLE_SALES, SALES_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->base.session, "lezer", "Lars Lezer", TESORO_ROLE_READ_ONLY, READER_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->base.session, "pim", "Pim Privacy", TESORO_ROLE_PRIVACY_OFFICER, OFFICER_PASSWORD,
                           &error);
  g_assert_no_error (error);
}

/* A session of its own, signed in as @login. */
static TesoroSession *
open_as (Fixture    *f,
         const char *login,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  TesoroSession *session = tesoro_test_open_session (f->base.path);

  g_assert_true (tesoro_session_requires_sign_in (session));
  g_assert_false (tesoro_session_is_signed_in (session));
  g_assert_true (tesoro_session_sign_in (session, login, password, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_session_get_actor (session), ==, login);
  return session;
}

static void
assert_denied (GError     *error,
               const char *permission)
{
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  if (permission != NULL)
    g_assert_nonnull (strstr (error->message, permission));
}

static void
test_one_person (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(TesoroContact) contact = NULL;

  /* A fresh database opens as its one user, the administrator, without a
   * question. */
  g_assert_false (tesoro_session_requires_sign_in (f->base.session));
  g_assert_true (tesoro_session_is_signed_in (f->base.session));
  g_assert_cmpstr (tesoro_session_get_actor (f->base.session), ==, g_get_user_name ());
  g_assert_cmpstr (tesoro_role_get_key (tesoro_session_get_role (f->base.session)), ==, TESORO_ROLE_ADMINISTRATOR);
  users = tesoro_session_list_users (f->base.session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  g_assert_false (tesoro_user_has_password (users->pdata[0]));

  contact = tesoro_session_get_contact (f->base.session, f->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tesoro_contact_get_shown_groups (contact), ==, TESORO_FIELDS_ALL);

  /* The file is the owner's alone; readable by others, Tesoro says so. */
  g_assert_false (tesoro_session_is_exposed (f->base.session));
  g_assert_cmpint (g_chmod (f->base.path, 0644), ==, 0);
  g_assert_true (tesoro_session_is_exposed (f->base.session));
  g_assert_cmpint (g_chmod (f->base.path, 0600), ==, 0);
  g_assert_false (tesoro_session_is_exposed (f->base.session));

  /* A second user needs the administrator's own password first. */
  g_assert_false (tesoro_session_add_user (f->base.session, "sanne", NULL, TESORO_ROLE_SALES, SALES_PASSWORD, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "password of your own"));
  g_clear_error (&error);

  /* Reopened, still one person and no question. */
  tesoro_test_reopen (&f->base);
  g_assert_true (tesoro_session_is_signed_in (f->base.session));

  /* With a second user, a session starts signed out and refuses all. */
  add_team (f);
  tesoro_test_reopen (&f->base);
  g_assert_true (tesoro_session_requires_sign_in (f->base.session));
  g_assert_false (tesoro_session_is_signed_in (f->base.session));
  g_assert_null (tesoro_session_get_contact (f->base.session, f->id, &error));
  assert_denied (error, "sign in");
  g_clear_error (&error);
  g_assert_null (tesoro_session_search_ids (f->base.session, "sophie", FALSE, &error));
  assert_denied (error, NULL);
}

static void
test_passwords (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) session = NULL;
  g_auto(GStrv) hashes = NULL;
  g_auto(GStrv) details = NULL;
  const char *weak[] = { "kort", "sanne-is-de-baas", "aaaaaaaaaaaa", "Welkom2024!", "1234567890", NULL };

  /* Weak passwords are refused, saying why. */
  for (guint i = 0; weak[i] != NULL; i++)
    {
      g_assert_false (tesoro_password_check_strength (weak[i], "sanne", &error));
      g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
      g_test_message ("%s: %s", weak[i], error->message);
      g_assert_null (strstr (error->message, weak[i]));
      g_clear_error (&error);
    }

  add_team (f);

  /* Only Argon2id hashes are stored. */
  hashes = tesoro_test_sql_strings (f->base.path, "SELECT password_hash FROM users WHERE password_hash IS NOT NULL");
  g_assert_cmpuint (g_strv_length (hashes), ==, 4);
  for (guint i = 0; hashes[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (hashes[i], "$argon2id$"));
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM users WHERE password_hash LIKE '%"
                                        SALES_PASSWORD "%'"), ==, 0);

  /* The right password signs in; a wrong one, or an unknown login, is
   * refused with the same words, and audited. */
  session = tesoro_test_open_session (f->base.path);
  g_assert_false (tesoro_session_sign_in (session, "sanne", "Verkeerd-wachtwoord", &error));
  assert_denied (error, "wrong");
  g_assert_null (strstr (error->message, "Verkeerd"));
  g_clear_error (&error);
  g_assert_false (tesoro_session_sign_in (session, "niemand", SALES_PASSWORD, &error));
  assert_denied (error, "wrong");
  g_clear_error (&error);
  g_assert_false (tesoro_session_is_signed_in (session));
  g_assert_true (tesoro_session_sign_in (session, "sanne", SALES_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM audit_log WHERE action = 'sign-in-failed'"),
                   ==, 2);
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM audit_log WHERE action = 'sign-in'"), ==, 1);
  /* A successful sign-in ends the count of failures. */
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT failed_attempts FROM users WHERE login = 'sanne'"), ==, 0);

  /* Five failures in a row lock the login, even for the right password. */
  tesoro_session_sign_out (session);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_false (tesoro_session_sign_in (session, "sanne", "Nog-steeds-fout", &error));
      g_clear_error (&error);
    }
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT failed_attempts FROM users WHERE login = 'sanne'"), ==, 5);
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT locked_until IS NOT NULL FROM users WHERE login = 'sanne'"),
                   ==, 1);
  g_assert_false (tesoro_session_sign_in (session, "sanne", SALES_PASSWORD, &error));
  assert_denied (error, "try again in");
  g_clear_error (&error);
  g_assert_false (tesoro_session_is_signed_in (session));

  /* An administrator's reset ends the back-off. */
  tesoro_session_set_password (f->base.session, "sanne", "Nieuw-begin-2027", &error);
  g_assert_no_error (error);
  g_assert_true (tesoro_session_sign_in (session, "sanne", "Nieuw-begin-2027", &error));
  g_assert_no_error (error);

  /* No password or hash in the audit details or anywhere in the log. */
  details = tesoro_test_sql_strings (f->base.path, "SELECT actor || ' ' || action || ' ' || details FROM audit_log");
  for (guint i = 0; details[i] != NULL; i++)
    {
      g_assert_null (strstr (details[i], SALES_PASSWORD));
      g_assert_null (strstr (details[i], "Nieuw-begin"));
      g_assert_null (strstr (details[i], "Verkeerd"));
      g_assert_null (strstr (details[i], "argon2"));
      g_assert_null (strstr (details[i], "niemand"));
    }

  /* A disabled user cannot sign in; the last administrator stays. */
  tesoro_session_set_user_disabled (f->base.session, "sanne", TRUE, &error);
  g_assert_no_error (error);
  tesoro_session_sign_out (session);
  g_assert_false (tesoro_session_sign_in (session, "sanne", "Nieuw-begin-2027", &error));
  assert_denied (error, "disabled");
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_user_disabled (f->base.session, g_get_user_name (), TRUE, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "last administrator"));
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_user_role (f->base.session, g_get_user_name (), TESORO_ROLE_SALES, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
}

static void
test_sales (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) sales = NULL;
  g_autoptr(TesoroContact) seen = NULL;
  g_autoptr(TesoroContact) whole = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *export_path = g_build_filename (f->base.dir, "export.json", NULL);
  g_autofree char *csv_path = g_build_filename (f->base.dir, "all.csv", NULL);
  g_autofree char *csv = NULL;
  TesoroContactExportOptions options;
  JsonObject *object;

  add_team (f);
  sales = open_as (f, "sanne", SALES_PASSWORD);

  /* Sales does not see the birthday: not as empty, not at all. */
  seen = tesoro_session_get_contact (sales, f->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tesoro_contact_get_shown_groups (seen), ==, TESORO_FIELDS_ALL & ~TESORO_FIELDS_BIRTHDAY);
  g_assert_null (tesoro_contact_get_birthday (seen));
  node = tesoro_contact_to_json_node (seen);
  object = json_node_get_object (node);
  g_assert_false (json_object_has_member (object, "birthday"));
  g_assert_true (json_object_has_member (object, "emails"));
  g_assert_true (json_object_has_member (object, "notes"));

  /* A change of what Sales may write keeps what they cannot see. */
  tesoro_contact_set_organization (seen, "Bakkerij Van Dam");
  tesoro_session_update_contact (sales, seen, &error);
  g_assert_no_error (error);
  g_assert_null (tesoro_contact_get_birthday (seen));
  whole = tesoro_session_get_contact (f->base.session, f->id, &error);
  g_assert_cmpstr (tesoro_contact_get_organization (whole), ==, "Bakkerij Van Dam");
  g_assert_cmpstr (tesoro_contact_get_birthday (whole), ==, "1985-04-12");

  /* Setting the hidden field is refused, naming it. */
  tesoro_contact_set_birthday (seen, "1990-01-01");
  g_assert_false (tesoro_session_update_contact (sales, seen, &error));
  assert_denied (error, "Birthday");
  g_clear_error (&error);
  g_clear_object (&whole);
  whole = tesoro_session_get_contact (f->base.session, f->id, &error);
  g_assert_cmpstr (tesoro_contact_get_birthday (whole), ==, "1985-04-12");

  /* Sales may add to the history and record consent. */
  g_assert_cmpint (tesoro_session_add_note (sales, f->id, "Gebeld over de offerte", &error), >, 0);
  g_assert_no_error (error);

  /* … but not export a person's data, erase, read the log or export. */
  g_assert_false (tesoro_session_export_data (sales, f->id, TESORO_EXPORT_FORMAT_JSON, export_path, &error));
  assert_denied (error, "export-data");
  g_clear_error (&error);
  g_assert_false (g_file_test (export_path, G_FILE_TEST_EXISTS));
  g_assert_false (tesoro_session_erase_contact (sales, f->id, NULL, TESORO_ERASURE_MANUAL, NULL, &error));
  assert_denied (error, "erase");
  g_clear_error (&error);
  g_assert_null (tesoro_session_list_audit (sales, NULL, &error));
  assert_denied (error, "audit-log");
  g_clear_error (&error);
  tesoro_contact_export_options_init (&options);
  g_assert_false (tesoro_session_export_contacts (sales, NULL, -1, &options, csv_path, NULL, NULL, NULL, NULL, &error));
  assert_denied (error, "bulk-export");
  g_clear_error (&error);
  g_assert_null (tesoro_session_list_users (sales, &error));
  assert_denied (error, "users");
  g_clear_error (&error);

  /* The administrator's export of everything has the birthday column; a
   * role that may export but not see birthdays gets none. */
  {
    g_autoptr(TesoroRole) role = tesoro_session_lookup_role (f->base.session, TESORO_ROLE_SALES, &error);

    tesoro_role_set_permission (role, TESORO_PERMISSION_BULK_EXPORT, TRUE);
    tesoro_session_save_role (f->base.session, role, &error);
    g_assert_no_error (error);
  }
  g_clear_object (&sales);
  sales = open_as (f, "sanne", SALES_PASSWORD);
  tesoro_session_export_contacts (sales, NULL, -1, &options, csv_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (csv_path, &csv, NULL, &error);
  g_assert_null (strstr (csv, "birthday"));
  g_assert_null (strstr (csv, "1985-04-12"));
  g_assert_nonnull (strstr (csv, "sophie@example.nl"));
  g_clear_pointer (&csv, g_free);
  tesoro_session_export_contacts (f->base.session, NULL, -1, &options, csv_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (csv_path, &csv, NULL, &error);
  g_assert_nonnull (strstr (csv, "1985-04-12"));
}

/* A role like Sales that may not see e-mail addresses. */
static void
add_no_email_role (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRole) role = NULL;

  tesoro_session_add_role (f->base.session, "no-email", "Zonder e-mail", &error);
  g_assert_no_error (error);
  role = tesoro_session_lookup_role (f->base.session, "no-email", &error);
  tesoro_role_set_access (role, TESORO_FIELDS_EMAILS, TESORO_ACCESS_HIDDEN);
  tesoro_role_set_custom_access (role, "Klantnummer", TESORO_ACCESS_HIDDEN);
  tesoro_session_save_role (f->base.session, role, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->base.session, "mila", "Mila", "no-email", "Geen-e-mail-88", &error);
  g_assert_no_error (error);
}

static void
test_hidden_search (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) mila = NULL;
  g_autoptr(GArray) admin_ids = NULL;
  g_autoptr(GArray) mila_ids = NULL;
  g_autoptr(GArray) by_name = NULL;
  g_autoptr(TesoroContact) seen = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) prefixes = tesoro_search_parse_query ("sophie@example");

  add_team (f);
  add_no_email_role (f);
  mila = open_as (f, "mila", "Geen-e-mail-88");

  /* A hidden field never makes a contact match. */
  admin_ids = tesoro_session_search_ids (f->base.session, "sophie@example", FALSE, &error);
  g_assert_cmpuint (admin_ids->len, ==, 1);
  mila_ids = tesoro_session_search_ids (mila, "sophie@example", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mila_ids->len, ==, 0);
  g_assert_false (tesoro_session_contact_matches (mila, f->id, prefixes, &error));
  g_assert_true (tesoro_session_contact_matches (f->base.session, f->id, prefixes, &error));
  by_name = tesoro_session_search_ids (mila, "sophie", FALSE, &error);
  g_assert_cmpuint (by_name->len, ==, 1);

  /* The detail and the list rows hold no e-mail address, nor the hidden
   * custom field. */
  seen = tesoro_session_get_contact (mila, f->id, &error);
  g_assert_cmpuint (tesoro_contact_get_emails (seen)->len, ==, 0);
  g_assert_null (tesoro_contact_get_primary_email (seen));
  g_assert_null (tesoro_contact_get_custom_value (seen, "Klantnummer"));
  g_assert_cmpstr (tesoro_contact_get_custom_value (seen, "Account manager"), ==, "Pieter");
  rows = tesoro_session_load_summaries (mila, &f->id, 1, &error);
  g_assert_null (tesoro_contact_get_primary_email (rows->pdata[0]));

  /* Saving the contact keeps the addresses Mila could not see. */
  tesoro_contact_set_job_title (seen, "Bedrijfsleider");
  g_assert_false (tesoro_session_update_contact (mila, seen, &error));
  assert_denied (error, NULL);   /* the new role may only read */
  g_clear_error (&error);
  {
    g_autoptr(TesoroRole) role = tesoro_session_lookup_role (f->base.session, "no-email", &error);

    tesoro_role_set_permission (role, TESORO_PERMISSION_EDIT, TRUE);
    tesoro_role_set_access (role, TESORO_FIELDS_ORGANIZATION, TESORO_ACCESS_WRITE);
    tesoro_session_save_role (f->base.session, role, &error);
    g_assert_no_error (error);
  }
  g_clear_object (&mila);
  mila = open_as (f, "mila", "Geen-e-mail-88");
  tesoro_session_update_contact (mila, seen, &error);
  g_assert_no_error (error);
  g_clear_object (&seen);
  seen = tesoro_session_get_contact (f->base.session, f->id, &error);
  g_assert_cmpstr (tesoro_contact_get_job_title (seen), ==, "Bedrijfsleider");
  g_assert_cmpuint (tesoro_contact_get_emails (seen)->len, ==, 2);
  g_assert_cmpstr (tesoro_contact_get_custom_value (seen, "Klantnummer"), ==, "A-1001");
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) reader = NULL;
  g_autoptr(TesoroContact) seen = NULL;
  g_autoptr(TesoroContact) fresh = tesoro_test_full_contact ("Nieuw", "Contact");
  g_autoptr(GBytes) before = NULL;
  TesoroMessage message = { 0, (char *) "in", (char *) "a@b.nl", (char *) "Hallo", (char *) "", NULL, NULL };
  TesoroBatchResult result;

  add_team (f);
  reader = open_as (f, "lezer", READER_PASSWORD);
  seen = tesoro_session_get_contact (reader, f->id, &error);
  g_assert_no_error (error);
  g_assert_false (tesoro_session_may_edit (reader, seen));

  /* Every change is refused: nothing of the contact changes. */
  before = g_bytes_new_take (tesoro_contact_to_json (seen, FALSE), 0);
  tesoro_contact_set_organization (seen, "Anders");
  g_assert_false (tesoro_session_update_contact (reader, seen, &error));
  assert_denied (error, "edit");
  g_clear_error (&error);
  g_assert_false (tesoro_session_add_contact (reader, fresh, &error));
  assert_denied (error, "edit");
  g_clear_error (&error);
  g_assert_false (tesoro_session_trash_contact (reader, f->id, &error));
  assert_denied (error, "edit");
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_note (reader, f->id, "Notitie", &error), ==, -1);
  assert_denied (error, "history");
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_message (reader, f->id, &message, &error), ==, -1);
  assert_denied (error, "history");
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_task (reader, f->id, "Bellen", NULL, &error), ==, -1);
  assert_denied (error, "history");
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_record_consent (reader, f->id, "marketing-email", FALSE, NULL, "telefoon", NULL,
                                                  &error), ==, -1);
  assert_denied (error, "consent");
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_restricted (reader, f->id, TRUE, &error));
  assert_denied (error, "restrict");
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_legal_hold (reader, f->id, TRUE, "rechtszaak", &error));
  assert_denied (error, "restrict");
  g_clear_error (&error);
  g_assert_false (tesoro_session_batch_edit (reader, &f->id, 1, TESORO_BATCH_ADD_TAG, "vip", NULL, NULL, NULL, NULL,
                                             &result, NULL, &error));
  assert_denied (error, "batch-edit");
  g_clear_error (&error);
  g_assert_false (tesoro_session_add_consent_purpose (reader, "nieuwsbrief", "Nieuwsbrief", &error));
  assert_denied (error, "settings");
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_password (reader, "sanne", "Overgenomen-123", &error));
  assert_denied (error, "users");
  g_clear_error (&error);

  g_clear_object (&seen);
  seen = tesoro_session_get_contact (f->base.session, f->id, &error);
  g_assert_cmpstr (tesoro_contact_get_organization (seen), ==, "Bakkerij De Vries");
  g_assert_cmpuint (tesoro_contact_get_notes (seen)->len, ==, 2);
  g_assert_null (tesoro_contact_get_trashed_at (seen));

  /* One's own password is one's own to change. */
  tesoro_session_set_password (reader, "lezer", "Ander-wachtwoord-1", &error);
  g_assert_no_error (error);
}

static guint
count_views (Fixture    *f,
             const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE action = '%s'", action);
  return tesoro_test_sql_int (f->base.path, sql);
}

static void
test_views (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) officer = NULL;
  g_autoptr(TesoroSession) sales = NULL;
  g_autoptr(GPtrArray) views = NULL;
  g_autofree char *path = g_build_filename (f->base.dir, "sophie.json", NULL);
  g_autofree char *csv_path = g_build_filename (f->base.dir, "all.csv", NULL);
  g_auto(GStrv) details = NULL;
  TesoroContactExportOptions options;
  gint64 n = 0, broken = 0;

  add_team (f);
  sales = open_as (f, "sanne", SALES_PASSWORD);
  officer = open_as (f, "pim", OFFICER_PASSWORD);

  /* One view entry when the contact is shown, with the groups shown, and
   * one only while the same user opens it again within a minute. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TesoroContact) c = tesoro_session_get_contact (sales, f->id, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (count_views (f, "view"), ==, 1);
  details = tesoro_test_sql_strings (f->base.path, "SELECT actor || ' ' || contact_uid || ' ' || details FROM audit_log"
                                                   " WHERE action = 'view'");
  g_assert_true (g_str_has_prefix (details[0], "sanne "));
  g_assert_nonnull (strstr (details[0], f->uid));
  g_assert_nonnull (strstr (details[0], "\"emails\""));
  g_assert_null (strstr (details[0], "\"birthday\""));
  g_assert_null (strstr (details[0], "sophie"));
  g_assert_null (strstr (details[0], "Vries"));
  g_clear_pointer (&details, g_strfreev);

  /* Another user's view is another entry. Search and the list are not
   * views of the contact's details. */
  {
    g_autoptr(TesoroContact) c = tesoro_session_get_contact (officer, f->id, &error);
    g_autoptr(GArray) ids = tesoro_session_search_ids (officer, "sophie", FALSE, &error);
    g_autoptr(GPtrArray) rows = tesoro_session_load_summaries (officer, &f->id, 1, &error);
  }
  g_assert_cmpuint (count_views (f, "view"), ==, 2);

  /* Export Data is one entry; a bulk export one for all its contacts. */
  tesoro_session_export_data (officer, f->id, TESORO_EXPORT_FORMAT_JSON, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_views (f, "export-data"), ==, 1);
  tesoro_test_add_named (f->base.session, "Tweede", "Contact");
  tesoro_contact_export_options_init (&options);
  tesoro_session_export_contacts (f->base.session, NULL, -1, &options, csv_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_views (f, "export-contacts"), ==, 1);
  details = tesoro_test_sql_strings (f->base.path, "SELECT details FROM audit_log WHERE action = 'export-contacts'");
  g_assert_nonnull (strstr (details[0], "\"count\":2"));
  g_assert_nonnull (strstr (details[0], "\"selection\":\"all\""));
  g_assert_nonnull (strstr (details[0], "\"fields\""));

  /* The privacy officer reads who viewed the contact; Sales may not. */
  views = tesoro_session_list_views (officer, f->uid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (views->len, ==, 3);
  g_assert_cmpstr (tesoro_audit_entry_get_action (views->pdata[0]), ==, "export-data");
  g_assert_cmpstr (tesoro_audit_entry_get_actor (views->pdata[2]), ==, "sanne");
  g_assert_null (tesoro_session_list_views (sales, f->uid, &error));
  assert_denied (error, "audit-log");
  g_clear_error (&error);

  g_assert_true (tesoro_session_verify_audit (officer, NULL, &n, &broken, NULL, &error));
  g_assert_no_error (error);

  /* Erased, the person is gone from the views but for the uid. */
  tesoro_session_erase_contact (officer, f->id, "verzoek", TESORO_ERASURE_MANUAL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&views, g_ptr_array_unref);
  views = tesoro_session_list_views (officer, f->uid, &error);
  g_assert_cmpuint (views->len, ==, 3);
  for (guint i = 0; i < views->len; i++)
    {
      const char *d = tesoro_audit_entry_get_details (views->pdata[i]);

      g_assert_null (strstr (d, "sophie"));
      g_assert_null (strstr (d, "Sophie"));
    }
  g_assert_true (tesoro_session_verify_audit (officer, NULL, &n, &broken, NULL, &error));
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRole) admin = tesoro_session_lookup_role (f->base.session, TESORO_ROLE_ADMINISTRATOR, &error);
  g_autoptr(TesoroRole) sales = tesoro_session_lookup_role (f->base.session, TESORO_ROLE_SALES, &error);
  g_autoptr(GPtrArray) roles = tesoro_session_list_roles (f->base.session, &error);

  g_assert_cmpuint (roles->len, ==, 4);
  g_assert_cmpstr (tesoro_role_get_key (roles->pdata[0]), ==, TESORO_ROLE_ADMINISTRATOR);
  g_assert_cmpstr (tesoro_role_get_key (roles->pdata[3]), ==, TESORO_ROLE_READ_ONLY);

  /* The Administrator may always do everything. */
  tesoro_role_set_permission (admin, TESORO_PERMISSION_USERS, FALSE);
  g_assert_false (tesoro_session_save_role (f->base.session, admin, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);

  /* Export Data is complete: a role that does not see the birthday cannot
   * have it. */
  tesoro_role_set_permission (sales, TESORO_PERMISSION_EXPORT_DATA, TRUE);
  g_assert_false (tesoro_session_save_role (f->base.session, sales, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "every field"));
  g_clear_error (&error);
  tesoro_role_set_access (sales, TESORO_FIELDS_BIRTHDAY, TESORO_ACCESS_READ);
  tesoro_session_save_role (f->base.session, sales, &error);
  g_assert_no_error (error);

  /* A new role; keys are checked, duplicates refused. */
  g_assert_false (tesoro_session_add_role (f->base.session, "Met Spatie", "X", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  tesoro_session_add_role (f->base.session, "stagiair", "Stagiair", &error);
  g_assert_no_error (error);
  g_assert_false (tesoro_session_add_role (f->base.session, "stagiair", "Again", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_EXISTS);
}

/* A database of Tesoro 0.1 (schema version 1), brought up to the latest version. */
static void
test_migration (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "tesoro.db", NULL);
  g_autofree char *source = tesoro_test_data_file ("schema-v1.db");
  g_autoptr(GBytes) v1 = tesoro_test_read_file (source);
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) zwolle = NULL;
  g_autoptr(GArray) email = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(GDir) folder = NULL;
  gboolean backup = FALSE;
  const char *name;
  gint64 n = 0, broken = 0;

  tesoro_test_write_file (path, g_bytes_get_data (v1, NULL), g_bytes_get_size (v1));
  g_assert_cmpint (tesoro_test_sql_int (path, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM contacts"), ==, 41);

  session = tesoro_test_open_session (path);
  g_assert_cmpint (tesoro_test_sql_int (path, "PRAGMA user_version"), ==, 3);

  /* The one user of version 1 is the administrator, and needs no sign-in. */
  g_assert_true (tesoro_session_is_signed_in (session));
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM users WHERE role = 'administrator'"), ==, 1);
  roles = tesoro_session_list_roles (session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (roles->len, ==, 4);

  /* The search index was built again, each term with its field group. */
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM search_terms WHERE fields = 0"), ==, 0);
  zwolle = tesoro_session_search_ids (session, "zwolle", FALSE, &error);
  g_assert_cmpuint (zwolle->len, >=, 1);
  email = tesoro_session_search_ids (session, "ingrid@houten", FALSE, &error);
  g_assert_cmpuint (email->len, ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT fields FROM search_terms WHERE term = 'ingrid@houten.example'"),
                   ==, TESORO_FIELDS_EMAILS);

  /* The data is all there, the log verifies, and a copy was kept. */
  g_assert_cmpint (tesoro_session_count_contacts (session, FALSE, &error), ==, 41);
  g_assert_true (tesoro_session_verify_audit (session, NULL, &n, &broken, NULL, &error));
  g_assert_no_error (error);
  folder = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (folder)) != NULL)
    backup |= g_str_has_suffix (name, ".bak") && strstr (name, ".v1-") != NULL;
  g_assert_true (backup);

  g_clear_object (&session);
  tesoro_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/access/one-person", Fixture, NULL, fixture_setup, test_one_person, fixture_teardown);
  g_test_add ("/access/passwords", Fixture, NULL, fixture_setup, test_passwords, fixture_teardown);
  g_test_add ("/access/sales", Fixture, NULL, fixture_setup, test_sales, fixture_teardown);
  g_test_add ("/access/hidden-search", Fixture, NULL, fixture_setup, test_hidden_search, fixture_teardown);
  g_test_add ("/access/read-only", Fixture, NULL, fixture_setup, test_read_only, fixture_teardown);
  g_test_add ("/access/views", Fixture, NULL, fixture_setup, test_views, fixture_teardown);
  g_test_add ("/access/roles", Fixture, NULL, fixture_setup, test_roles, fixture_teardown);
  g_test_add_func ("/access/migration-v1", test_migration);

  return g_test_run ();
}
