/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include "tesoro-test-utils.h"

#include <glib/gstdio.h>
#include <grp.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "tesoro-contact-json.h"

/* Folders and sessions */

char *
tesoro_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tesoro-test-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

void
tesoro_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  if (dir == NULL)
    return;

  /* A test may have taken away write permission. */
  g_chmod (dir, 0700);
  handle = g_dir_open (dir, 0, NULL);
  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        tesoro_test_remove_dir (child);
      else
        g_unlink (child);
    }

  g_rmdir (dir);
}

TesoroSession *
tesoro_test_open_session (const char *path)
{
  g_autoptr(GError) error = NULL;
  TesoroSession *session = tesoro_session_open_engine (tesoro_test_backend (), path, TESORO_SESSION_FLAGS_NONE,
                                                       &error);

  g_assert_no_error (error);
  g_assert_true (TESORO_IS_SESSION (session));
  g_assert_false (tesoro_session_is_read_only (session));
  return session;
}

/**
 * tesoro_test_backend:
 *
 * The storage engine the core tests run against: `$TESORO_TEST_BACKEND`,
 * "sqlite" when unset. Every core test obtains its session through the
 * fixture (or tesoro_test_open_session()), so that the same suite runs on
 * every engine.
 */
const char *
tesoro_test_backend (void)
{
  const char *name = g_getenv ("TESORO_TEST_BACKEND");

  return name != NULL && *name != '\0' ? name : "sqlite";
}

void
tesoro_test_fixture_setup (TesoroTestFixture *fixture,
                           gconstpointer      data)
{
  fixture->dir = tesoro_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "tesoro.db", NULL);
  fixture->session = tesoro_test_open_session (fixture->path);
}

void
tesoro_test_fixture_teardown (TesoroTestFixture *fixture,
                              gconstpointer      data)
{
  if (fixture->session != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->session));
  tesoro_test_remove_dir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

/* Closes and opens the fixture's session again, as a new run of Tesoro would. */
void
tesoro_test_reopen (TesoroTestFixture *fixture)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->session));
  fixture->session = tesoro_test_open_session (fixture->path);
}

/* Direct SQLite access, for verification */

static sqlite3 *
open_direct (const char *db_path)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

  if (rc != SQLITE_OK)
    g_error ("sqlite3_open_v2 (%s): %s", db_path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  return db;
}

/**
 * tesoro_test_sql_int:
 *
 * Returns: the first column of the first row of @sql, run on a connection
 * of the test's own
 */
gint64
tesoro_test_sql_int (const char *db_path,
                     const char *sql)
{
  sqlite3 *db = open_direct (db_path);
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

void
tesoro_test_sql_exec (const char *db_path,
                      const char *sql)
{
  sqlite3 *db = open_direct (db_path);
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  rc = sqlite3_close (db);
  g_assert_cmpint (rc, ==, SQLITE_OK);
}

/**
 * tesoro_test_sql_strings:
 *
 * Returns: (transfer full): the first column of every row of @sql, as text
 */
GStrv
tesoro_test_sql_strings (const char *db_path,
                         const char *sql)
{
  sqlite3 *db = open_direct (db_path);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      g_strv_builder_add (builder, text != NULL ? text : "");
    }
  if (rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_strv_builder_end (builder);
}

/* Files */

GBytes *
tesoro_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

void
tesoro_test_write_file (const char *path,
                        const char *data,
                        gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

/**
 * tesoro_test_data_file:
 * @name: a file in tests/data/contacts
 *
 * Returns: (transfer full): its path in the source tree
 */
char *
tesoro_test_data_file (const char *name)
{
  char *path = g_test_build_filename (G_TEST_DIST, "data", "contacts", name, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("Test data file %s is missing", path);
  return path;
}

/* Contacts */

/**
 * tesoro_test_full_contact:
 *
 * Returns: (transfer full): a new contact with every field set and every
 * kind of linked record, with given timestamps
 */
TesoroContact *
tesoro_test_full_contact (const char *given_name,
                          const char *family_name)
{
  TesoroContact *contact = tesoro_contact_new ();
  g_autofree char *display = g_strdup_printf ("%s %s", given_name, family_name);
  TesoroAddress *address;
  TesoroNote *note;
  TesoroMessage *message;
  TesoroTask *task;
  TesoroActivity *activity;
  TesoroConsentEvent *consent;

  tesoro_contact_set_given_name (contact, given_name);
  tesoro_contact_set_family_name (contact, family_name);
  tesoro_contact_set_display_name (contact, display);
  tesoro_contact_set_organization (contact, "Bakkerij De Vries");
  tesoro_contact_set_job_title (contact, "Eigenaar");
  tesoro_contact_set_birthday (contact, "1985-04-12");
  tesoro_contact_set_lawful_basis (contact, "consent");
  tesoro_contact_set_created_at (contact, "2023-01-02T03:04:05Z");
  tesoro_contact_set_updated_at (contact, "2023-02-03T04:05:06Z");

  tesoro_contact_add_email (contact, "work", "sophie@example.nl", FALSE);
  tesoro_contact_add_email (contact, "home", "sophie.devries@thuis.example", TRUE);
  tesoro_contact_add_phone (contact, "mobile", "+31 6 12345678", TRUE);
  tesoro_contact_add_phone (contact, "work", "030 1234567", FALSE);

  address = tesoro_address_new ();
  address->label = g_strdup ("work");
  address->street = g_strdup ("Dorpsstraat 1");
  address->postal_code = g_strdup ("1234 AB");
  address->city = g_strdup ("Utrecht");
  address->region = g_strdup ("Utrecht");
  address->country = g_strdup ("NL");
  g_ptr_array_add (tesoro_contact_get_addresses (contact), address);
  address = tesoro_address_new ();
  address->label = g_strdup ("home");
  address->street = g_strdup ("Kerkstraat 22");
  address->postal_code = g_strdup ("3511 AA");
  address->city = g_strdup ("Zeist");
  address->region = g_strdup ("");
  address->country = g_strdup ("NL");
  g_ptr_array_add (tesoro_contact_get_addresses (contact), address);

  g_ptr_array_add (tesoro_contact_get_custom_values (contact), tesoro_custom_value_new ("Klantnummer", "A-1001"));
  g_ptr_array_add (tesoro_contact_get_custom_values (contact), tesoro_custom_value_new ("Account manager", "Pieter"));
  g_ptr_array_add (tesoro_contact_get_tags (contact), g_strdup ("klant"));
  g_ptr_array_add (tesoro_contact_get_tags (contact), g_strdup ("beurs 2024"));

  note = tesoro_note_new ();
  note->body = g_strdup ("Wil in het voorjaar een offerte.\nTweede regel.");
  note->created_at = g_strdup ("2023-03-01T10:00:00Z");
  g_ptr_array_add (tesoro_contact_get_notes (contact), note);
  note = tesoro_note_new ();
  note->body = g_strdup ("Belde terug over de factuur.");
  note->created_at = g_strdup ("2023-03-05T11:30:00Z");
  g_ptr_array_add (tesoro_contact_get_notes (contact), note);

  message = tesoro_message_new ();
  message->direction = g_strdup ("in");
  message->address = g_strdup ("sophie@example.nl");
  message->subject = g_strdup ("Vraag over offerte");
  message->body = g_strdup ("Kunt u mij een offerte sturen?");
  message->at = g_strdup ("2023-04-01T09:15:00Z");
  g_ptr_array_add (tesoro_contact_get_messages (contact), message);
  message = tesoro_message_new ();
  message->direction = g_strdup ("out");
  message->address = g_strdup ("sophie@example.nl");
  message->subject = g_strdup ("Offerte 2023-17");
  message->body = g_strdup ("Bijgaand de offerte.");
  message->at = g_strdup ("2023-04-02T14:00:00Z");
  g_ptr_array_add (tesoro_contact_get_messages (contact), message);

  task = tesoro_task_new ();
  task->title = g_strdup ("Offerte sturen");
  task->due = g_strdup ("2023-04-03");
  task->done = TRUE;
  task->done_at = g_strdup ("2023-04-02T14:05:00Z");
  task->created_at = g_strdup ("2023-04-01T09:20:00Z");
  g_ptr_array_add (tesoro_contact_get_tasks (contact), task);
  task = tesoro_task_new ();
  task->title = g_strdup ("Terugbellen");
  task->due = g_strdup ("2023-05-01T09:00:00Z");
  task->done = FALSE;
  task->created_at = g_strdup ("2023-04-02T14:06:00Z");
  g_ptr_array_add (tesoro_contact_get_tasks (contact), task);

  activity = tesoro_activity_new ();
  activity->kind = g_strdup ("call");
  activity->summary = g_strdup ("Kort gebeld over de planning.");
  activity->at = g_strdup ("2023-04-10T08:00:00Z");
  g_ptr_array_add (tesoro_contact_get_activities (contact), activity);
  activity = tesoro_activity_new ();
  activity->kind = g_strdup ("meeting");
  activity->summary = g_strdup ("Demo op locatie.");
  activity->at = g_strdup ("2023-04-20T13:00:00Z");
  g_ptr_array_add (tesoro_contact_get_activities (contact), activity);

  consent = tesoro_consent_event_new ();
  consent->purpose = g_strdup ("marketing-email");
  consent->granted = TRUE;
  consent->at = g_strdup ("2023-01-02T03:04:05Z");
  consent->source = g_strdup ("web form");
  consent->evidence = g_strdup ("Form submission 4711");
  g_ptr_array_add (tesoro_contact_get_consent (contact), consent);
  consent = tesoro_consent_event_new ();
  consent->purpose = g_strdup ("marketing-email");
  consent->granted = FALSE;
  consent->at = g_strdup ("2023-06-01T12:00:00Z");
  consent->source = g_strdup ("phone call");
  consent->evidence = g_strdup ("Asked to stop the newsletter");
  g_ptr_array_add (tesoro_contact_get_consent (contact), consent);

  return contact;
}

/**
 * tesoro_test_add_named:
 *
 * Adds a contact with just a name (and asserts that it worked).
 *
 * Returns: (transfer full): the stored contact
 */
TesoroContact *
tesoro_test_add_named (TesoroSession *session,
                       const char  *given_name,
                       const char  *family_name)
{
  g_autoptr(GError) error = NULL;
  TesoroContact *contact = tesoro_contact_new ();

  tesoro_contact_set_given_name (contact, given_name);
  tesoro_contact_set_family_name (contact, family_name);
  tesoro_session_add_contact (session, contact, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_contact_get_id (contact), >, 0);

  return contact;
}

static void
assert_details_equal (const char *what,
                      GPtrArray  *expected,
                      GPtrArray  *actual)
{
  g_test_message ("comparing %s", what);
  g_assert_cmpuint (expected->len, ==, actual->len);
  for (guint i = 0; i < expected->len; i++)
    {
      TesoroDetail *e = expected->pdata[i];
      TesoroDetail *a = actual->pdata[i];

      g_assert_cmpstr (e->label, ==, a->label);
      g_assert_cmpstr (e->value, ==, a->value);
      g_assert_cmpint (e->primary, ==, a->primary);
    }
}

/**
 * tesoro_test_assert_contacts_equal:
 *
 * Compares every field and every linked record, in order (record ids and
 * authors, which only the session knows, excepted).
 */
void
tesoro_test_assert_contacts_equal (TesoroContact *expected,
                                   TesoroContact *actual)
{
  GPtrArray *e, *a;

  g_assert_true (TESORO_IS_CONTACT (expected));
  g_assert_true (TESORO_IS_CONTACT (actual));

  g_assert_cmpint (tesoro_contact_get_id (expected), ==, tesoro_contact_get_id (actual));
  g_assert_cmpstr (tesoro_contact_get_uid (expected), ==, tesoro_contact_get_uid (actual));
  g_assert_cmpstr (tesoro_contact_get_given_name (expected), ==, tesoro_contact_get_given_name (actual));
  g_assert_cmpstr (tesoro_contact_get_family_name (expected), ==, tesoro_contact_get_family_name (actual));
  g_assert_cmpstr (tesoro_contact_get_display_name (expected), ==, tesoro_contact_get_display_name (actual));
  g_assert_cmpstr (tesoro_contact_get_organization (expected), ==, tesoro_contact_get_organization (actual));
  g_assert_cmpstr (tesoro_contact_get_job_title (expected), ==, tesoro_contact_get_job_title (actual));
  g_assert_cmpstr (tesoro_contact_get_birthday (expected), ==, tesoro_contact_get_birthday (actual));
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (expected), ==, tesoro_contact_get_lawful_basis (actual));
  g_assert_cmpint (tesoro_contact_get_restricted (expected), ==, tesoro_contact_get_restricted (actual));
  g_assert_cmpint (tesoro_contact_get_legal_hold (expected), ==, tesoro_contact_get_legal_hold (actual));
  g_assert_cmpstr (tesoro_contact_get_created_at (expected), ==, tesoro_contact_get_created_at (actual));
  g_assert_cmpstr (tesoro_contact_get_updated_at (expected), ==, tesoro_contact_get_updated_at (actual));
  g_assert_cmpstr (tesoro_contact_get_last_activity_at (expected), ==, tesoro_contact_get_last_activity_at (actual));
  g_assert_cmpstr (tesoro_contact_get_trashed_at (expected), ==, tesoro_contact_get_trashed_at (actual));

  assert_details_equal ("emails", tesoro_contact_get_emails (expected), tesoro_contact_get_emails (actual));
  assert_details_equal ("phones", tesoro_contact_get_phones (expected), tesoro_contact_get_phones (actual));

  e = tesoro_contact_get_addresses (expected);
  a = tesoro_contact_get_addresses (actual);
  g_assert_cmpuint (e->len, ==, a->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroAddress *x = e->pdata[i], *y = a->pdata[i];

      g_assert_cmpstr (x->label, ==, y->label);
      g_assert_cmpstr (x->street, ==, y->street);
      g_assert_cmpstr (x->postal_code, ==, y->postal_code);
      g_assert_cmpstr (x->city, ==, y->city);
      g_assert_cmpstr (x->region, ==, y->region);
      g_assert_cmpstr (x->country, ==, y->country);
    }

  e = tesoro_contact_get_custom_values (expected);
  a = tesoro_contact_get_custom_values (actual);
  g_assert_cmpuint (e->len, ==, a->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroCustomValue *x = e->pdata[i], *y = a->pdata[i];

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->value, ==, y->value);
    }

  e = tesoro_contact_get_tags (expected);
  a = tesoro_contact_get_tags (actual);
  g_assert_cmpuint (e->len, ==, a->len);
  for (guint i = 0; i < e->len; i++)
    g_assert_cmpstr (e->pdata[i], ==, a->pdata[i]);

  e = tesoro_contact_get_notes (expected);
  a = tesoro_contact_get_notes (actual);
  g_assert_cmpuint (e->len, ==, a->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroNote *x = e->pdata[i], *y = a->pdata[i];

      g_assert_cmpstr (x->body, ==, y->body);
      g_assert_cmpstr (x->created_at, ==, y->created_at);
    }

  e = tesoro_contact_get_messages (expected);
  a = tesoro_contact_get_messages (actual);
  g_assert_cmpuint (e->len, ==, a->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroMessage *x = e->pdata[i], *y = a->pdata[i];

      g_assert_cmpstr (x->direction, ==, y->direction);
      g_assert_cmpstr (x->address, ==, y->address);
      g_assert_cmpstr (x->subject, ==, y->subject);
      g_assert_cmpstr (x->body, ==, y->body);
      g_assert_cmpstr (x->at, ==, y->at);
    }

  e = tesoro_contact_get_tasks (expected);
  a = tesoro_contact_get_tasks (actual);
  g_assert_cmpuint (e->len, ==, a->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroTask *x = e->pdata[i], *y = a->pdata[i];

      g_assert_cmpstr (x->title, ==, y->title);
      g_assert_cmpstr (x->due, ==, y->due);
      g_assert_cmpint (x->done, ==, y->done);
      g_assert_cmpstr (x->done_at, ==, y->done_at);
      g_assert_cmpstr (x->created_at, ==, y->created_at);
    }

  e = tesoro_contact_get_activities (expected);
  a = tesoro_contact_get_activities (actual);
  g_assert_cmpuint (e->len, ==, a->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroActivity *x = e->pdata[i], *y = a->pdata[i];

      g_assert_cmpstr (x->kind, ==, y->kind);
      g_assert_cmpstr (x->summary, ==, y->summary);
      g_assert_cmpstr (x->at, ==, y->at);
    }

  e = tesoro_contact_get_consent (expected);
  a = tesoro_contact_get_consent (actual);
  g_assert_cmpuint (e->len, ==, a->len);
  for (guint i = 0; i < e->len; i++)
    {
      TesoroConsentEvent *x = e->pdata[i], *y = a->pdata[i];

      g_assert_cmpstr (x->purpose, ==, y->purpose);
      g_assert_cmpint (x->granted, ==, y->granted);
      g_assert_cmpstr (x->at, ==, y->at);
      g_assert_cmpstr (x->source, ==, y->source);
      g_assert_cmpstr (x->evidence, ==, y->evidence);
    }
}

/**
 * tesoro_test_session_ids:
 *
 * Returns: (transfer full): tesoro_session_search_ids(), asserting success
 */
GArray *
tesoro_test_session_ids (TesoroSession *session,
                         const char  *query,
                         gboolean     trash)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = tesoro_session_search_ids (session, query, trash, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ids);
  return ids;
}

/* JSON */

JsonNode *
tesoro_test_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, -1, &error);
  if (error != NULL)
    g_error ("Not JSON (%s):\n%s", error->message, text);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

static char *
mismatch (JsonNode   *expected,
          JsonNode   *actual,
          const char *path)
{
  JsonNodeType type = json_node_get_node_type (expected);

  if (actual == NULL)
    return g_strdup_printf ("%s (missing)", path);
  if (json_node_get_node_type (actual) != type)
    return g_strdup_printf ("%s (a different type)", path);

  if (type == JSON_NODE_OBJECT)
    {
      JsonObject *e = json_node_get_object (expected);
      JsonObject *a = json_node_get_object (actual);
      g_autoptr(GList) members = json_object_get_members (e);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child = g_strdup_printf ("%s.%s", path, (const char *) l->data);
          char *where = mismatch (json_object_get_member (e, l->data),
                                  json_object_get_member (a, l->data), child);
          if (where != NULL)
            return where;
        }
      return NULL;
    }

  if (type == JSON_NODE_ARRAY)
    {
      JsonArray *e = json_node_get_array (expected);
      JsonArray *a = json_node_get_array (actual);

      if (json_array_get_length (e) != json_array_get_length (a))
        return g_strdup_printf ("%s (%u elements, not %u)", path,
                                json_array_get_length (a), json_array_get_length (e));
      for (guint i = 0; i < json_array_get_length (e); i++)
        {
          g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);
          char *where = mismatch (json_array_get_element (e, i), json_array_get_element (a, i), child);
          if (where != NULL)
            return where;
        }
      return NULL;
    }

  if (type == JSON_NODE_VALUE && !json_node_equal (expected, actual))
    {
      g_autofree char *e = json_to_string (expected, FALSE);
      g_autofree char *a = json_to_string (actual, FALSE);
      return g_strdup_printf ("%s (%s, not %s)", path, a, e);
    }

  return NULL;
}

/**
 * tesoro_test_json_mismatch:
 *
 * Every member of @expected (recursively; arrays element by element) must be
 * in @actual with the same value; @actual may have more members.
 *
 * Returns: (transfer full) (nullable): where they differ, or %NULL
 */
char *
tesoro_test_json_mismatch (JsonNode *expected,
                           JsonNode *actual)
{
  return mismatch (expected, actual, "$");
}

/* tesoro-cli */

void
tesoro_cli_result_free (TesoroCliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

static void
become_nobody (gpointer data)
{
  /* In the child, before exec: the test suite runs as root, which ignores
   * file permissions; the unprivileged user does not. */
  if (setgroups (0, NULL) != 0 || setgid (65534) != 0 || setuid (65534) != 0)
    _exit (127);
}

/**
 * tesoro_test_cli_argv:
 * @argv: the arguments after the program name
 * @env: (nullable): `NAME=VALUE` settings for its environment
 * @input: (nullable): standard input
 * @as_nobody: run as the unprivileged user 65534 (the caller must be root)
 *
 * Runs the tesoro-cli binary named by `$TESORO_CLI` and waits for it. A
 * crash fails the test.
 *
 * Returns: (transfer full): its exit status and output
 */
TesoroCliResult *
tesoro_test_cli_argv (const char * const *argv,
                      const char * const *env,
                      const char         *input,
                      gboolean            as_nobody)
{
  const char *cli = g_getenv ("TESORO_CLI");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  TesoroCliResult *result;

  if (cli == NULL)
    g_error ("TESORO_CLI is not set: run the tests with “meson test”");

  g_ptr_array_add (args, (char *) cli);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Never the user's database by accident. */
  g_subprocess_launcher_unsetenv (launcher, "TESORO_DB");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  if (as_nobody)
    g_subprocess_launcher_set_child_setup (launcher, become_nobody, NULL, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  /* Standard input is always a pipe (never the terminal), empty by default. */
  in = g_bytes_new (input, input != NULL ? strlen (input) : 0);
  g_subprocess_communicate (process, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  result = g_new0 (TesoroCliResult, 1);
  result->out = g_bytes_get_size (out) > 0 ? g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out)) : g_strdup ("");
  result->err = g_bytes_get_size (err) > 0 ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err)) : g_strdup ("");

  if (!g_subprocess_get_if_exited (process))
    g_error ("tesoro-cli %s did not exit normally (signal %d); stderr:\n%s",
             argv[0] != NULL ? argv[0] : "", g_subprocess_get_term_sig (process), result->err);

  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("tesoro-cli … → %d\nstdout: %.2000s\nstderr: %.2000s",
                  result->status, result->out, result->err);
  return result;
}

/**
 * tesoro_test_cli:
 * @db_path: (nullable): the database, given as `--db PATH`
 * @input: (nullable): standard input
 * @...: the arguments, ending with %NULL
 *
 * Returns: (transfer full): the exit status and output of tesoro-cli
 */
TesoroCliResult *
tesoro_test_cli (const char *db_path,
                 const char *input,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  if (db_path != NULL)
    {
      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, (char *) db_path);
    }

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  return tesoro_test_cli_argv ((const char * const *) argv->pdata, NULL, input, FALSE);
}
