/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <string.h>
#include <unistd.h>

#include "tesoro-contact-json.h"
#include "tesoro-contact-list.h"
#include "tesoro-error.h"
#include "tesoro-session.h"
#include "tesoro-test-locks.h"
#include "tesoro-test-utils.h"

#define TESORO_APPLICATION_ID 0x54455352 /* 'TESR' */

/* The tables that hold something of one contact, filled by the full contact. */
static const char * const linked_tables[] = {
  "contact_emails", "contact_phones", "contact_addresses", "contact_custom_values",
  "contact_tags", "notes", "messages", "tasks", "activities", "consent_events",
  "search_terms", NULL
};

typedef struct
{
  gint64 id;
  int    change;
} Change;

static void
on_contact_changed_cb (TesoroSession *session,
                       gint64       id,
                       int          change,
                       GArray      *changes)
{
  Change c = { id, change };

  g_assert_true (TESORO_IS_SESSION (session));
  g_array_append_val (changes, c);
}

static GArray *
watch_changes (TesoroSession *session)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_signal_connect_data (session, "contact-changed", G_CALLBACK (on_contact_changed_cb),
                         g_array_ref (changes), (GClosureNotify) g_array_unref, 0);
  return changes;
}

static void
assert_change (GArray *changes,
               guint   index,
               gint64  id,
               int     change)
{
  g_assert_cmpuint (changes->len, >, index);
  g_assert_cmpint (g_array_index (changes, Change, index).id, ==, id);
  g_assert_cmpint (g_array_index (changes, Change, index).change, ==, change);
}

static gint64
count_rows (const char *path,
            const char *table,
            gint64      contact_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE contact_id = %" G_GINT64_FORMAT,
                                          table, contact_id);
  return tesoro_test_sql_int (path, sql);
}

static gint64
count_all (TesoroSession *session)
{
  g_autoptr(GError) error = NULL;
  gint64 n = tesoro_session_count_contacts (session, FALSE, &error) + tesoro_session_count_contacts (session, TRUE, &error);

  g_assert_no_error (error);
  return n;
}

static TesoroContact *
get_contact (TesoroSession *session,
             gint64       id)
{
  g_autoptr(GError) error = NULL;
  TesoroContact *contact = tesoro_session_get_contact (session, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (contact);
  return contact;
}

/* Contacts */

static void
test_add_get (TesoroTestFixture *f,
              gconstpointer      data)
{
  g_autoptr(TesoroContact) contact = tesoro_test_full_contact ("Sophie", "de Vries");
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroContact) by_uid = NULL;
  g_autoptr(TesoroContact) by_id = NULL;
  g_autoptr(TesoroContact) duplicate = NULL;
  g_autoptr(GArray) changes = watch_changes (f->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *id_text = NULL;
  gint64 id;

  g_assert_true (tesoro_session_add_contact (f->session, contact, &error));
  g_assert_no_error (error);

  id = tesoro_contact_get_id (contact);
  g_assert_cmpint (id, >, 0);
  g_assert_true (g_uuid_string_is_valid (tesoro_contact_get_uid (contact)));
  /* Given timestamps are kept; the last activity is the newest history date
   * (the consent withdrawal of 2023-06-01). */
  g_assert_cmpstr (tesoro_contact_get_created_at (contact), ==, "2023-01-02T03:04:05Z");
  g_assert_cmpstr (tesoro_contact_get_updated_at (contact), ==, "2023-02-03T04:05:06Z");
  g_assert_cmpstr (tesoro_contact_get_last_activity_at (contact), ==, "2023-06-01T12:00:00Z");

  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, id, TESORO_CHANGE_ADDED);

  stored = get_contact (f->session, id);
  tesoro_test_assert_contacts_equal (contact, stored);
  g_assert_cmpstr (tesoro_contact_get_consent_state (stored), ==, "withdrawn");
  g_assert_cmpstr (tesoro_contact_get_primary_email (stored), ==, "sophie.devries@thuis.example");
  g_assert_cmpstr (tesoro_contact_get_primary_phone (stored), ==, "+31 6 12345678");
  /* The session records who wrote the history. */
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (stored)->pdata[0])->author, ==,
                   tesoro_session_get_actor (f->session));

  /* Every linked row is really in its table. */
  for (guint i = 0; linked_tables[i] != NULL; i++)
    g_assert_cmpint (count_rows (f->path, linked_tables[i], id), >, 0);
  g_assert_cmpint (count_rows (f->path, "notes", id), ==, 2);
  g_assert_cmpint (count_rows (f->path, "consent_events", id), ==, 2);

  /* By uid and by id as text, as the command line names contacts. */
  by_uid = tesoro_session_lookup_contact (f->session, tesoro_contact_get_uid (contact), &error);
  g_assert_no_error (error);
  tesoro_test_assert_contacts_equal (contact, by_uid);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  by_id = tesoro_session_lookup_contact (f->session, id_text, &error);
  g_assert_no_error (error);
  tesoro_test_assert_contacts_equal (contact, by_id);

  /* Still the same after closing and opening the file again. */
  tesoro_test_reopen (f);
  g_clear_object (&stored);
  stored = get_contact (f->session, id);
  tesoro_test_assert_contacts_equal (contact, stored);

  /* The uid is unique: a second contact with it is refused, and nothing of
   * it is stored. */
  duplicate = tesoro_test_full_contact ("Other", "Person");
  tesoro_contact_set_uid (duplicate, tesoro_contact_get_uid (contact));
  g_assert_false (tesoro_session_add_contact (f->session, duplicate, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, tesoro_contact_get_uid (contact)));
  g_clear_error (&error);
  g_assert_cmpint (count_all (f->session), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM notes"), ==, 2);
}

static void
test_lookup_errors (TesoroTestFixture *f,
                    gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autofree char *uid = g_uuid_string_random ();

  contact = tesoro_session_get_contact (f->session, 4242, &error);
  g_assert_null (contact);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "4242"));
  g_clear_error (&error);

  contact = tesoro_session_lookup_contact (f->session, uid, &error);
  g_assert_null (contact);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, uid));
  g_clear_error (&error);

  contact = tesoro_session_lookup_contact (f->session, "sophie", &error);
  g_assert_null (contact);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);

  contact = tesoro_session_lookup_contact (f->session, "-3", &error);
  g_assert_null (contact);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
}

static void
test_update (TesoroTestFixture *f,
             gconstpointer      data)
{
  g_autoptr(TesoroContact) contact = tesoro_test_full_contact ("Sophie", "de Vries");
  g_autoptr(TesoroContact) edited = NULL;
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroContact) unchanged = NULL;
  g_autoptr(TesoroContact) ghost = NULL;
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  TesoroAddress *address;
  gint64 id;

  g_assert_true (tesoro_session_add_contact (f->session, contact, &error));
  g_assert_no_error (error);
  id = tesoro_contact_get_id (contact);
  changes = watch_changes (f->session);

  edited = get_contact (f->session, id);
  tesoro_contact_set_given_name (edited, "Sofie");
  tesoro_contact_set_display_name (edited, "Sofie de Vries");
  tesoro_contact_set_organization (edited, "De Vries Catering");
  tesoro_contact_set_job_title (edited, "");
  tesoro_contact_set_birthday (edited, NULL);
  tesoro_contact_set_lawful_basis (edited, "contract");
  g_ptr_array_set_size (tesoro_contact_get_emails (edited), 0);
  tesoro_contact_add_email (edited, "work", "sofie@catering.example", TRUE);
  g_ptr_array_set_size (tesoro_contact_get_phones (edited), 0);
  g_ptr_array_set_size (tesoro_contact_get_addresses (edited), 0);
  address = tesoro_address_new ();
  address->label = g_strdup ("work");
  address->street = g_strdup ("Marktplein 3");
  address->postal_code = g_strdup ("3811 AB");
  address->city = g_strdup ("Amersfoort");
  address->region = g_strdup ("Utrecht");
  address->country = g_strdup ("NL");
  g_ptr_array_add (tesoro_contact_get_addresses (edited), address);
  g_ptr_array_set_size (tesoro_contact_get_tags (edited), 0);
  g_ptr_array_add (tesoro_contact_get_tags (edited), g_strdup ("partner"));
  tesoro_contact_set_custom_value (edited, "Klantnummer", "B-2002");
  tesoro_contact_set_custom_value (edited, "Account manager", NULL);
  /* The history is changed only through its own functions: what the edited
   * contact carries of it is ignored. */
  g_ptr_array_set_size (tesoro_contact_get_notes (edited), 0);
  g_ptr_array_set_size (tesoro_contact_get_tasks (edited), 0);

  g_setenv ("TESORO_NOW", "2030-01-01T00:00:00Z", TRUE);
  g_assert_true (tesoro_session_update_contact (f->session, edited, &error));
  g_unsetenv ("TESORO_NOW");
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, id, TESORO_CHANGE_UPDATED);

  stored = get_contact (f->session, id);
  g_assert_cmpstr (tesoro_contact_get_given_name (stored), ==, "Sofie");
  g_assert_cmpstr (tesoro_contact_get_family_name (stored), ==, "de Vries");
  g_assert_cmpstr (tesoro_contact_get_display_name (stored), ==, "Sofie de Vries");
  g_assert_cmpstr (tesoro_contact_get_organization (stored), ==, "De Vries Catering");
  g_assert_cmpstr (tesoro_contact_get_job_title (stored), ==, "");
  g_assert_null (tesoro_contact_get_birthday (stored));
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (stored), ==, "contract");
  g_assert_cmpstr (tesoro_contact_get_uid (stored), ==, tesoro_contact_get_uid (contact));

  /* Multi-valued parts are replaced as a whole, in the tables too. */
  g_assert_cmpuint (tesoro_contact_get_emails (stored)->len, ==, 1);
  g_assert_cmpstr (((TesoroDetail *) tesoro_contact_get_emails (stored)->pdata[0])->value, ==, "sofie@catering.example");
  g_assert_cmpuint (tesoro_contact_get_phones (stored)->len, ==, 0);
  g_assert_cmpuint (tesoro_contact_get_addresses (stored)->len, ==, 1);
  g_assert_cmpstr (((TesoroAddress *) tesoro_contact_get_addresses (stored)->pdata[0])->city, ==, "Amersfoort");
  g_assert_cmpuint (tesoro_contact_get_tags (stored)->len, ==, 1);
  g_assert_cmpstr (tesoro_contact_get_tags (stored)->pdata[0], ==, "partner");
  g_assert_cmpuint (tesoro_contact_get_custom_values (stored)->len, ==, 1);
  g_assert_cmpstr (tesoro_contact_get_custom_value (stored, "Klantnummer"), ==, "B-2002");
  g_assert_cmpint (count_rows (f->path, "contact_emails", id), ==, 1);
  g_assert_cmpint (count_rows (f->path, "contact_phones", id), ==, 0);
  g_assert_cmpint (count_rows (f->path, "contact_addresses", id), ==, 1);
  g_assert_cmpint (count_rows (f->path, "contact_tags", id), ==, 1);
  g_assert_cmpint (count_rows (f->path, "contact_custom_values", id), ==, 1);

  /* The history is kept, whole. */
  g_assert_cmpuint (tesoro_contact_get_notes (stored)->len, ==, 2);
  g_assert_cmpuint (tesoro_contact_get_messages (stored)->len, ==, 2);
  g_assert_cmpuint (tesoro_contact_get_tasks (stored)->len, ==, 2);
  g_assert_cmpuint (tesoro_contact_get_activities (stored)->len, ==, 2);
  g_assert_cmpuint (tesoro_contact_get_consent (stored)->len, ==, 2);
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (stored)->pdata[1])->body, ==,
                   "Belde terug over de factuur.");

  /* An edit is an activity; the creation date stays. */
  g_assert_cmpstr (tesoro_contact_get_created_at (stored), ==, "2023-01-02T03:04:05Z");
  g_assert_cmpstr (tesoro_contact_get_updated_at (stored), ==, "2030-01-01T00:00:00Z");
  g_assert_cmpstr (tesoro_contact_get_last_activity_at (stored), ==, "2030-01-01T00:00:00Z");

  /* An invalid change is refused as a whole. */
  tesoro_contact_set_organization (edited, "Changed again");
  tesoro_contact_add_email (edited, "home", "not an address", FALSE);
  g_assert_false (tesoro_session_update_contact (f->session, edited, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "emails[1]"));
  g_clear_error (&error);
  unchanged = get_contact (f->session, id);
  tesoro_test_assert_contacts_equal (stored, unchanged);
  g_assert_cmpuint (changes->len, ==, 1);

  /* A contact that does not exist cannot be updated. */
  ghost = tesoro_contact_new ();
  tesoro_contact_set_id (ghost, 4242);
  tesoro_contact_set_given_name (ghost, "Ghost");
  g_assert_false (tesoro_session_update_contact (f->session, ghost, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_assert_cmpint (count_all (f->session), ==, 1);
}

static void
test_trash_restore (TesoroTestFixture *f,
                    gconstpointer      data)
{
  g_autoptr(TesoroContact) anna = tesoro_test_add_named (f->session, "Anna", "Bakker");
  g_autoptr(TesoroContact) bram = tesoro_test_add_named (f->session, "Bram", "Visser");
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(GArray) changes = watch_changes (f->session);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gint64 a = tesoro_contact_get_id (anna);
  gint64 b = tesoro_contact_get_id (bram);

  g_setenv ("TESORO_NOW", "2030-05-06T07:08:09Z", TRUE);
  g_assert_true (tesoro_session_trash_contact (f->session, a, &error));
  g_unsetenv ("TESORO_NOW");
  g_assert_no_error (error);
  assert_change (changes, 0, a, TESORO_CHANGE_TRASHED);

  g_assert_cmpint (tesoro_session_count_contacts (f->session, FALSE, NULL), ==, 1);
  g_assert_cmpint (tesoro_session_count_contacts (f->session, TRUE, NULL), ==, 1);
  stored = get_contact (f->session, a);
  g_assert_cmpstr (tesoro_contact_get_trashed_at (stored), ==, "2030-05-06T07:08:09Z");
  g_clear_object (&stored);

  ids = tesoro_test_session_ids (f->session, NULL, FALSE);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, b);
  g_clear_pointer (&ids, g_array_unref);
  ids = tesoro_test_session_ids (f->session, NULL, TRUE);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, a);
  g_clear_pointer (&ids, g_array_unref);

  /* Twice is an error that says why. */
  g_assert_false (tesoro_session_trash_contact (f->session, a, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "trash"));
  g_clear_error (&error);

  /* A trashed contact cannot be edited or given history. */
  tesoro_contact_set_organization (anna, "Trash Ltd");
  g_assert_false (tesoro_session_update_contact (f->session, anna, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_note (f->session, a, "In the trash", &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->path, "notes", a), ==, 0);
  g_assert_cmpuint (changes->len, ==, 1);

  g_assert_true (tesoro_session_restore_contact (f->session, a, &error));
  g_assert_no_error (error);
  assert_change (changes, 1, a, TESORO_CHANGE_RESTORED);
  stored = get_contact (f->session, a);
  g_assert_null (tesoro_contact_get_trashed_at (stored));
  g_assert_cmpstr (tesoro_contact_get_organization (stored), ==, "");
  g_assert_cmpint (tesoro_session_count_contacts (f->session, FALSE, NULL), ==, 2);
  g_assert_cmpint (tesoro_session_count_contacts (f->session, TRUE, NULL), ==, 0);

  g_assert_false (tesoro_session_restore_contact (f->session, a, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not in the trash"));
  g_clear_error (&error);

  g_assert_false (tesoro_session_trash_contact (f->session, 4242, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (tesoro_session_restore_contact (f->session, 4242, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpuint (changes->len, ==, 2);
}

/* History */

static const char *
last_activity (TesoroSession *session,
               gint64       id)
{
  static char buffer[64];
  g_autoptr(TesoroContact) contact = get_contact (session, id);

  g_strlcpy (buffer, tesoro_contact_get_last_activity_at (contact), sizeof buffer);
  return buffer;
}

static void
test_history (TesoroTestFixture *f,
              gconstpointer      data)
{
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroMessage) message = tesoro_message_new ();
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  TesoroTask *task;
  TesoroActivity *activity;
  gint64 id, note_id, message_id, task_id, activity_id;

  g_setenv ("TESORO_NOW", "2031-01-01T00:00:00Z", TRUE);
  contact = tesoro_test_add_named (f->session, "Daan", "Smit");
  id = tesoro_contact_get_id (contact);
  changes = watch_changes (f->session);
  g_assert_cmpstr (last_activity (f->session, id), ==, "2031-01-01T00:00:00Z");

  g_setenv ("TESORO_NOW", "2031-01-02T00:00:00Z", TRUE);
  note_id = tesoro_session_add_note (f->session, id, "Eerste notitie", &error);
  g_assert_no_error (error);
  g_assert_cmpint (note_id, >, 0);
  g_assert_cmpstr (last_activity (f->session, id), ==, "2031-01-02T00:00:00Z");

  g_setenv ("TESORO_NOW", "2031-01-03T00:00:00Z", TRUE);
  message->direction = g_strdup ("out");
  message->address = g_strdup ("daan@example.nl");
  message->subject = g_strdup ("Offerte");
  message->body = g_strdup ("Zie bijlage.");
  message_id = tesoro_session_add_message (f->session, id, message, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message_id, >, 0);
  g_assert_cmpstr (last_activity (f->session, id), ==, "2031-01-03T00:00:00Z");

  /* Logging an old message does not move the last activity back. */
  g_setenv ("TESORO_NOW", "2031-01-04T00:00:00Z", TRUE);
  g_free (message->at);
  message->at = g_strdup ("2020-01-01T00:00:00Z");
  g_free (message->direction);
  message->direction = g_strdup ("in");
  g_assert_cmpint (tesoro_session_add_message (f->session, id, message, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpstr (last_activity (f->session, id), ==, "2031-01-03T00:00:00Z");

  g_setenv ("TESORO_NOW", "2031-01-05T00:00:00Z", TRUE);
  task_id = tesoro_session_add_task (f->session, id, "Terugbellen", "2031-02-01", &error);
  g_assert_no_error (error);
  g_assert_cmpint (task_id, >, 0);
  g_assert_cmpstr (last_activity (f->session, id), ==, "2031-01-05T00:00:00Z");

  g_setenv ("TESORO_NOW", "2031-01-06T00:00:00Z", TRUE);
  g_assert_true (tesoro_session_set_task_done (f->session, task_id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_activity (f->session, id), ==, "2031-01-06T00:00:00Z");

  g_setenv ("TESORO_NOW", "2031-01-07T00:00:00Z", TRUE);
  activity_id = tesoro_session_add_activity (f->session, id, "call", "Over de planning", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (activity_id, >, 0);
  g_assert_cmpstr (last_activity (f->session, id), ==, "2031-01-07T00:00:00Z");

  /* A given time with an offset is stored in UTC. */
  g_assert_cmpint (tesoro_session_add_activity (f->session, id, "meeting", "Demo",
                                                "2031-01-08T10:00:00+02:00", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpstr (last_activity (f->session, id), ==, "2031-01-08T08:00:00Z");

  g_assert_cmpuint (changes->len, ==, 7);
  for (guint i = 0; i < changes->len; i++)
    assert_change (changes, i, id, TESORO_CHANGE_UPDATED);

  stored = get_contact (f->session, id);
  /* History is not an edit of the contact's fields. */
  g_assert_cmpstr (tesoro_contact_get_updated_at (stored), ==, "2031-01-01T00:00:00Z");
  g_assert_cmpuint (tesoro_contact_get_notes (stored)->len, ==, 1);
  g_assert_cmpint (((TesoroNote *) tesoro_contact_get_notes (stored)->pdata[0])->id, ==, note_id);
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (stored)->pdata[0])->body, ==, "Eerste notitie");
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (stored)->pdata[0])->created_at, ==, "2031-01-02T00:00:00Z");
  g_assert_cmpuint (tesoro_contact_get_messages (stored)->len, ==, 2);
  g_assert_cmpstr (((TesoroMessage *) tesoro_contact_get_messages (stored)->pdata[0])->at, ==, "2031-01-03T00:00:00Z");
  g_assert_cmpstr (((TesoroMessage *) tesoro_contact_get_messages (stored)->pdata[0])->direction, ==, "out");
  g_assert_cmpstr (((TesoroMessage *) tesoro_contact_get_messages (stored)->pdata[1])->at, ==, "2020-01-01T00:00:00Z");
  g_assert_cmpuint (tesoro_contact_get_tasks (stored)->len, ==, 1);
  task = tesoro_contact_get_tasks (stored)->pdata[0];
  g_assert_cmpint (task->id, ==, task_id);
  g_assert_cmpstr (task->title, ==, "Terugbellen");
  g_assert_cmpstr (task->due, ==, "2031-02-01");
  g_assert_true (task->done);
  g_assert_cmpstr (task->done_at, ==, "2031-01-06T00:00:00Z");
  g_assert_cmpuint (tesoro_contact_get_activities (stored)->len, ==, 2);
  activity = tesoro_contact_get_activities (stored)->pdata[0];
  g_assert_cmpint (activity->id, ==, activity_id);
  g_assert_cmpstr (activity->kind, ==, "call");
  g_assert_cmpstr (activity->at, ==, "2031-01-07T00:00:00Z");
  g_assert_cmpstr (activity->author, ==, tesoro_session_get_actor (f->session));
  g_clear_object (&stored);

  /* Undoing a task clears its completion date. */
  g_assert_true (tesoro_session_set_task_done (f->session, task_id, FALSE, &error));
  g_assert_no_error (error);
  stored = get_contact (f->session, id);
  task = tesoro_contact_get_tasks (stored)->pdata[0];
  g_assert_false (task->done);
  g_assert_null (task->done_at);
  g_unsetenv ("TESORO_NOW");

  /* Refusals, each with nothing stored. */
  g_assert_cmpint (tesoro_session_add_note (f->session, id, "", &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_note (f->session, 4242, "Nobody", &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_task (f->session, id, "", NULL, &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_task (f->session, id, "Bellen", "tomorrow", &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_task_done (f->session, 4242, TRUE, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_free (message->direction);
  message->direction = g_strdup ("sideways");
  g_assert_cmpint (tesoro_session_add_message (f->session, id, message, &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_activity (f->session, id, "", "x", NULL, &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_activity (f->session, id, "call", "x", "last week", &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (count_rows (f->path, "notes", id), ==, 1);
  g_assert_cmpint (count_rows (f->path, "messages", id), ==, 2);
  g_assert_cmpint (count_rows (f->path, "tasks", id), ==, 1);
  g_assert_cmpint (count_rows (f->path, "activities", id), ==, 2);
  g_assert_cmpuint (changes->len, ==, 8);
}

/* Deleting the contact row takes every linked row with it (the foreign keys
 * cascade), which the GDPR erasure builds on. */
static void
test_cascade (TesoroTestFixture *f,
              gconstpointer      data)
{
  g_autoptr(TesoroContact) gone = tesoro_test_full_contact ("Sophie", "de Vries");
  g_autoptr(TesoroContact) kept = tesoro_test_full_contact ("Pieter", "Bakker");
  g_autoptr(TesoroContact) kept_after = NULL;
  g_autoptr(TesoroContact) missing = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tables = NULL;
  g_auto(GStrv) not_cascading = NULL;
  g_autofree char *delete = NULL;
  gint64 gone_id, kept_id;

  g_assert_true (tesoro_session_add_contact (f->session, gone, &error));
  g_assert_no_error (error);
  g_assert_true (tesoro_session_add_contact (f->session, kept, &error));
  g_assert_no_error (error);
  gone_id = tesoro_contact_get_id (gone);
  kept_id = tesoro_contact_get_id (kept);
  g_assert_cmpint (tesoro_session_add_note (f->session, gone_id, "Nog een notitie", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_session_add_task (f->session, gone_id, "Nog een taak", NULL, &error), >, 0);
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&f->session));

  /* Every link to a contact cascades. */
  not_cascading = tesoro_test_sql_strings (f->path,
                                           "SELECT m.name || '.' || k.\"from\" FROM sqlite_schema m,"
                                           " pragma_foreign_key_list (m.name) k"
                                           " WHERE m.type = 'table' AND k.\"table\" = 'contacts'"
                                           " AND k.on_delete <> 'CASCADE'");
  if (not_cascading[0] != NULL)
    g_error ("%s references contacts without ON DELETE CASCADE", not_cascading[0]);

  /* Every table with a contact_id column. */
  tables = tesoro_test_sql_strings (f->path,
                                    "SELECT m.name FROM sqlite_schema m, pragma_table_info (m.name) c"
                                    " WHERE m.type = 'table' AND c.name = 'contact_id' ORDER BY m.name");
  for (guint i = 0; linked_tables[i] != NULL; i++)
    {
      g_assert_true (g_strv_contains ((const char * const *) tables, linked_tables[i]));
      g_assert_cmpint (count_rows (f->path, linked_tables[i], gone_id), >, 0);
      g_assert_cmpint (count_rows (f->path, linked_tables[i], kept_id), >, 0);
    }

  delete = g_strdup_printf ("DELETE FROM contacts WHERE id = %" G_GINT64_FORMAT, gone_id);
  tesoro_test_sql_exec (f->path, delete);

  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_test_message ("table %s", tables[i]);
      g_assert_cmpint (count_rows (f->path, tables[i], gone_id), ==, 0);
    }
  for (guint i = 0; linked_tables[i] != NULL; i++)
    g_assert_cmpint (count_rows (f->path, linked_tables[i], kept_id), >, 0);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "PRAGMA foreign_key_check"), ==, 0);

  /* The session agrees: one gone without a trace, the other whole. */
  f->session = tesoro_test_open_session (f->path);
  missing = tesoro_session_get_contact (f->session, gone_id, &error);
  g_assert_null (missing);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Both had the same e-mail addresses; only the kept one is found. */
  ids = tesoro_test_session_ids (f->session, "sophie", FALSE);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, kept_id);
  g_clear_pointer (&ids, g_array_unref);
  ids = tesoro_test_session_ids (f->session, "pieter", FALSE);
  g_assert_cmpuint (ids->len, ==, 1);
  kept_after = get_contact (f->session, kept_id);
  tesoro_test_assert_contacts_equal (kept, kept_after);
}

static void
test_restricted (TesoroTestFixture *f,
                 gconstpointer      data)
{
  static const char json[] =
    "{ \"given_name\": \"Rita\", \"family_name\": \"Beperkt\", \"restricted\": true,"
    "  \"tasks\": [ { \"title\": \"Terugbellen\" } ] }";
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroContact) after = NULL;
  g_autoptr(TesoroMessage) message = tesoro_message_new ();
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id, task_id;

  contact = tesoro_contact_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (tesoro_session_add_contact (f->session, contact, &error));
  g_assert_no_error (error);
  id = tesoro_contact_get_id (contact);
  changes = watch_changes (f->session);

  stored = get_contact (f->session, id);
  g_assert_true (tesoro_contact_get_restricted (stored));
  task_id = ((TesoroTask *) tesoro_contact_get_tasks (stored)->pdata[0])->id;

  tesoro_contact_set_organization (stored, "Should not be saved");
  g_assert_false (tesoro_session_update_contact (f->session, stored, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED);
  g_assert_nonnull (strstr (error->message, "restricted"));
  g_clear_error (&error);

  g_assert_cmpint (tesoro_session_add_note (f->session, id, "Nope", &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED);
  g_clear_error (&error);
  message->direction = g_strdup ("in");
  message->subject = g_strdup ("Nope");
  g_assert_cmpint (tesoro_session_add_message (f->session, id, message, &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_task (f->session, id, "Nope", NULL, &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED);
  g_clear_error (&error);
  g_assert_false (tesoro_session_set_task_done (f->session, task_id, TRUE, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_activity (f->session, id, "call", "Nope", NULL, &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED);
  g_clear_error (&error);

  g_assert_cmpuint (changes->len, ==, 0);
  after = get_contact (f->session, id);
  g_assert_cmpstr (tesoro_contact_get_organization (after), ==, "");
  g_assert_cmpstr (tesoro_contact_get_updated_at (after), ==, tesoro_contact_get_updated_at (contact));
  g_assert_cmpuint (tesoro_contact_get_notes (after)->len, ==, 0);
  g_assert_cmpuint (tesoro_contact_get_messages (after)->len, ==, 0);
  g_assert_cmpuint (tesoro_contact_get_tasks (after)->len, ==, 1);
  g_assert_false (((TesoroTask *) tesoro_contact_get_tasks (after)->pdata[0])->done);
  g_assert_cmpuint (tesoro_contact_get_activities (after)->len, ==, 0);
}

/* Opening and migrating */

static void
test_open_new (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "sub", "folder", "tesoro.db", NULL);
  g_autoptr(TesoroSession) session = NULL;
  g_auto(GStrv) mode = NULL;
  g_auto(GStrv) tables = NULL;

  g_autoptr(GError) error = NULL;
  g_autofree char *top = g_build_filename (dir, "sub", NULL);

  /* A missing folder is made only when asked for (the default location). */
  session = tesoro_session_open_engine (tesoro_test_backend (), path, TESORO_SESSION_FLAGS_NONE, &error);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_IO);
  g_assert_null (session);
  g_assert_false (g_file_test (top, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The folder is created, the schema is the latest and the file is marked
   * as Tesoro's. */
  session = tesoro_session_open_engine (tesoro_test_backend (), path, TESORO_SESSION_FLAGS_CREATE_FOLDER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_session_get_path (session), ==, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (tesoro_test_sql_int (path, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (tesoro_test_sql_int (path, "PRAGMA application_id"), ==, TESORO_APPLICATION_ID);
  mode = tesoro_test_sql_strings (path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode[0], ==, "wal");
  tables = tesoro_test_sql_strings (path, "SELECT name FROM sqlite_schema WHERE type = 'table'");
  for (guint i = 0; linked_tables[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) tables, linked_tables[i]));
  g_assert_true (g_strv_contains ((const char * const *) tables, "contacts"));
  g_assert_true (g_strv_contains ((const char * const *) tables, "audit_log"));
  g_assert_cmpint (tesoro_session_count_contacts (session, FALSE, NULL), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&session));

  /* An empty file (made by `touch`, say) is an empty database too. */
  g_unlink (path);
  tesoro_test_write_file (path, "", 0);
  session = tesoro_test_open_session (path);
  g_assert_cmpint (tesoro_test_sql_int (path, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (tesoro_test_sql_int (path, "PRAGMA application_id"), ==, TESORO_APPLICATION_ID);
  g_assert_finalize_object (g_steal_pointer (&session));

  tesoro_test_remove_dir (dir);
}

static gboolean
dir_has_backup (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".bak"))
      return TRUE;
  return FALSE;
}

static void
test_open_again (TesoroTestFixture *f,
                 gconstpointer      data)
{
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (f->session, "Eva", "Mulder");
  g_autoptr(TesoroContact) stored = NULL;
  g_auto(GStrv) purpose_before = NULL;
  g_auto(GStrv) purpose_after = NULL;

  g_assert_finalize_object (g_steal_pointer (&f->session));
  /* A row the first migration writes; migrating again would fail on the
   * existing tables or duplicate it. */
  purpose_before = tesoro_test_sql_strings (f->path, "SELECT key || ' ' || created_at FROM consent_purposes");
  g_assert_cmpuint (g_strv_length (purpose_before), ==, 1);
  tesoro_test_sql_exec (f->path, "INSERT INTO settings (key, value) VALUES ('test-marker', 'kept')");

  for (guint i = 0; i < 3; i++)
    {
      f->session = tesoro_test_open_session (f->path);
      stored = get_contact (f->session, tesoro_contact_get_id (contact));
      tesoro_test_assert_contacts_equal (contact, stored);
      g_clear_object (&stored);
      g_assert_finalize_object (g_steal_pointer (&f->session));
    }

  g_assert_cmpint (tesoro_test_sql_int (f->path, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "PRAGMA application_id"), ==, TESORO_APPLICATION_ID);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM settings WHERE key = 'test-marker'"), ==, 1);
  purpose_after = tesoro_test_sql_strings (f->path, "SELECT key || ' ' || created_at FROM consent_purposes");
  g_assert_cmpstrv (purpose_before, purpose_after);
  /* Nothing to migrate, so no backup was taken. */
  g_assert_false (dir_has_backup (f->dir));
}

static void
assert_refused (const char *path,
                int         code,
                const char *expected_text)
{
  g_autoptr(GBytes) before = tesoro_test_read_file (path);
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  for (guint flags = 0; flags < 2; flags++)
    {
      session = tesoro_session_open (path, flags ? TESORO_SESSION_FLAGS_READ_ONLY : TESORO_SESSION_FLAGS_NONE, &error);
      g_assert_null (session);
      g_assert_error (error, TESORO_ERROR, code);
      g_test_message ("refused: %s", error->message);
      /* The message names the file and says what is wrong with it. */
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, expected_text));
      g_clear_error (&error);

      tesoro_test_assert_file_unchanged (path, before);
      /* A reader of a WAL database may leave an empty -wal file behind, but
       * nothing may have been written into one. */
      if (g_file_test (wal, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GBytes) wal_bytes = tesoro_test_read_file (wal);
          g_assert_cmpuint (g_bytes_get_size (wal_bytes), ==, 0);
        }
      g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
    }
}

static void
test_open_too_new (TesoroTestFixture *f,
                   gconstpointer      data)
{
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (f->session, "Noor", "de Graaf");

  g_assert_finalize_object (g_steal_pointer (&f->session));
  tesoro_test_sql_exec (f->path, "PRAGMA user_version = 99");
  assert_refused (f->path, TESORO_ERROR_TOO_NEW, "99");

  /* Also when a newer Tesoro left it in another journal mode: even switching
   * to WAL would change the file. */
  tesoro_test_sql_exec (f->path, "PRAGMA journal_mode = DELETE");
  assert_refused (f->path, TESORO_ERROR_TOO_NEW, "newer version");

  /* Back at our version, it opens again with its contact. */
  tesoro_test_sql_exec (f->path, "PRAGMA user_version = 3");
  f->session = tesoro_test_open_session (f->path);
  g_assert_cmpint (tesoro_session_count_contacts (f->session, FALSE, NULL), ==, 1);
}

static void
test_open_not_sqlite (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *random_path = g_build_filename (dir, "random.db", NULL);
  g_autofree char *text_path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *short_path = g_build_filename (dir, "short.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GError) error = NULL;
  guint8 bytes[16384];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  tesoro_test_write_file (random_path, (const char *) bytes, sizeof bytes);
  tesoro_test_write_file (text_path,
                          "Boodschappen:\n- brood\n- kaas\n- melk\n"
                          "This is a text file, certainly not a database, but long enough to have "
                          "the size of an SQLite header and then some more text to be sure of it.\n", -1);
  tesoro_test_write_file (short_path, "hello", -1);

  assert_refused (random_path, TESORO_ERROR_NOT_A_DATABASE, "not");
  assert_refused (text_path, TESORO_ERROR_NOT_A_DATABASE, "not");
  assert_refused (short_path, TESORO_ERROR_NOT_A_DATABASE, "not");

  /* A folder is not a database either. */
  session = tesoro_session_open (dir, TESORO_SESSION_FLAGS_NONE, &error);
  g_assert_null (session);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_A_DATABASE);

  tesoro_test_remove_dir (dir);
}

static void
test_open_other_program (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *rollback_path = g_build_filename (dir, "places.sqlite", NULL);
  g_autofree char *wal_path = g_build_filename (dir, "other-wal.sqlite", NULL);
  g_autofree char *versioned_path = g_build_filename (dir, "versioned.sqlite", NULL);

  /* The usual case: another program's file in the default journal mode. */
  tesoro_test_sql_exec (rollback_path,
                        "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                        "INSERT INTO moz_places (url) VALUES ('https://example.org/');");
  g_assert_cmpint (tesoro_test_sql_int (rollback_path, "PRAGMA application_id"), ==, 0);
  assert_refused (rollback_path, TESORO_ERROR_NOT_A_DATABASE, "another program");

  tesoro_test_sql_exec (wal_path,
                        "PRAGMA journal_mode = WAL;"
                        "CREATE TABLE things (name TEXT); INSERT INTO things VALUES ('x');");
  assert_refused (wal_path, TESORO_ERROR_NOT_A_DATABASE, "another program");

  /* No tables, but a schema version of its own. */
  tesoro_test_sql_exec (versioned_path, "PRAGMA user_version = 3");
  assert_refused (versioned_path, TESORO_ERROR_NOT_A_DATABASE, "another program");

  /* Another program's schema version is not a newer Tesoro's. */
  tesoro_test_sql_exec (rollback_path, "PRAGMA user_version = 42");
  assert_refused (rollback_path, TESORO_ERROR_NOT_A_DATABASE, "another program");

  tesoro_test_remove_dir (dir);
}

static void
fill_for_read_only (const char *path,
                    gint64     *contact_id,
                    gint64     *task_id)
{
  g_autoptr(TesoroSession) session = tesoro_test_open_session (path);
  g_autoptr(TesoroContact) contact = tesoro_test_full_contact ("Lotte", "Brouwer");
  g_autoptr(TesoroContact) other = tesoro_test_add_named (session, "Koen", "Dekker");
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_session_add_contact (session, contact, &error));
  g_assert_no_error (error);
  g_assert_true (tesoro_session_trash_contact (session, tesoro_contact_get_id (other), &error));
  g_assert_no_error (error);
  *contact_id = tesoro_contact_get_id (contact);
  *task_id = ((TesoroTask *) tesoro_contact_get_tasks (contact)->pdata[1])->id;
  g_assert_finalize_object (g_steal_pointer (&session));
}

static void
assert_read_only_error (GError     **error,
                        const char  *path)
{
  g_assert_error (*error, TESORO_ERROR, TESORO_ERROR_READ_ONLY);
  g_assert_nonnull (strstr ((*error)->message, path));
  g_assert_nonnull (strstr ((*error)->message, "read-only"));
  g_clear_error (error);
}

/* Reads work and every write is refused with a message, on a session that is
 * read-only for whatever reason. */
static void
check_read_only_store (TesoroSession *session,
                       const char  *path,
                       gint64       contact_id,
                       gint64       task_id)
{
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(TesoroContact) fresh = tesoro_contact_new ();
  g_autoptr(TesoroMessage) message = tesoro_message_new ();
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_session_is_read_only (session));

  contact = tesoro_session_get_contact (session, contact_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_given_name (contact), ==, "Lotte");
  g_assert_cmpuint (tesoro_contact_get_notes (contact)->len, ==, 2);
  ids = tesoro_test_session_ids (session, "lotte", FALSE);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_array_unref);
  ids = tesoro_test_session_ids (session, NULL, TRUE);
  g_assert_cmpuint (ids->len, ==, 1);
  list = tesoro_contact_list_new (session, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  tesoro_contact_list_set_query (list, "brouwer");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  tesoro_contact_set_given_name (fresh, "New");
  g_assert_false (tesoro_session_add_contact (session, fresh, &error));
  assert_read_only_error (&error, path);
  tesoro_contact_set_organization (contact, "Changed");
  g_assert_false (tesoro_session_update_contact (session, contact, &error));
  assert_read_only_error (&error, path);
  g_assert_false (tesoro_session_trash_contact (session, contact_id, &error));
  assert_read_only_error (&error, path);
  g_assert_false (tesoro_session_restore_contact (session, contact_id, &error));
  assert_read_only_error (&error, path);
  g_assert_cmpint (tesoro_session_add_note (session, contact_id, "Note", &error), ==, -1);
  assert_read_only_error (&error, path);
  message->direction = g_strdup ("in");
  message->subject = g_strdup ("Subject");
  g_assert_cmpint (tesoro_session_add_message (session, contact_id, message, &error), ==, -1);
  assert_read_only_error (&error, path);
  g_assert_cmpint (tesoro_session_add_task (session, contact_id, "Task", NULL, &error), ==, -1);
  assert_read_only_error (&error, path);
  g_assert_false (tesoro_session_set_task_done (session, task_id, TRUE, &error));
  assert_read_only_error (&error, path);
  g_assert_cmpint (tesoro_session_add_activity (session, contact_id, "call", "Call", NULL, &error), ==, -1);
  assert_read_only_error (&error, path);
  g_assert_false (tesoro_session_generate_demo (session, 10, 1, NULL, &error));
  assert_read_only_error (&error, path);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpint (tesoro_session_count_contacts (session, FALSE, NULL), ==, 1);
}

static void
test_open_read_only_flag (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "tesoro.db", NULL);
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  gint64 contact_id, task_id;

  fill_for_read_only (path, &contact_id, &task_id);
  before = tesoro_test_read_file (path);

  session = tesoro_session_open (path, TESORO_SESSION_FLAGS_READ_ONLY, &error);
  g_assert_no_error (error);
  check_read_only_store (session, path, contact_id, task_id);
  g_assert_finalize_object (g_steal_pointer (&session));

  tesoro_test_assert_file_unchanged (path, before);
  tesoro_test_remove_dir (dir);
}

/* Real file permissions. The suite usually runs as root, which ignores them,
 * so the checks run in a subprocess that first becomes an unprivileged user. */
static void
drop_root (void)
{
  if (geteuid () == 0)
    {
      if (setgroups (0, NULL) != 0 || setgid (65534) != 0 || setuid (65534) != 0)
        g_error ("Cannot become the unprivileged user 65534: %s", g_strerror (errno));
      g_assert_cmpint (geteuid (), ==, 65534);
    }
}

static void
test_open_read_only_file (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("TESORO_TEST_RO_PATH");
      g_autoptr(TesoroSession) session = NULL;
      g_autoptr(GError) error = NULL;

      drop_root ();
      g_assert_cmpint (g_access (path, W_OK), !=, 0);

      /* Opened without asking for read-only: Tesoro notices by itself. */
      session = tesoro_session_open (path, TESORO_SESSION_FLAGS_NONE, &error);
      g_assert_no_error (error);
      check_read_only_store (session, path,
                             g_ascii_strtoll (g_getenv ("TESORO_TEST_RO_CONTACT"), NULL, 10),
                             g_ascii_strtoll (g_getenv ("TESORO_TEST_RO_TASK"), NULL, 10));
      return;
    }
  else
    {
      g_autofree char *dir = tesoro_test_make_dir ();
      g_autofree char *path = g_build_filename (dir, "tesoro.db", NULL);
      g_autofree char *contact_text = NULL;
      g_autofree char *task_text = NULL;
      g_autoptr(GBytes) before = NULL;
      gint64 contact_id, task_id;

      fill_for_read_only (path, &contact_id, &task_id);
      contact_text = g_strdup_printf ("%" G_GINT64_FORMAT, contact_id);
      task_text = g_strdup_printf ("%" G_GINT64_FORMAT, task_id);
      before = tesoro_test_read_file (path);

      /* The file cannot be written, its folder can (SQLite keeps its shared
       * memory index there). */
      g_assert_cmpint (g_chmod (path, 0444), ==, 0);
      g_assert_cmpint (g_chmod (dir, 01777), ==, 0);

      g_setenv ("TESORO_TEST_RO_PATH", path, TRUE);
      g_setenv ("TESORO_TEST_RO_CONTACT", contact_text, TRUE);
      g_setenv ("TESORO_TEST_RO_TASK", task_text, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();

      tesoro_test_assert_file_unchanged (path, before);
      tesoro_test_remove_dir (dir);
    }
}

/* A read-only file in a folder that cannot be written either: SQLite cannot
 * create its shared-memory file for a WAL database there. Either it is read
 * or it is refused with a message that says what to do, never a crash or a
 * database error. */
static void
test_open_read_only_folder (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("TESORO_TEST_RO_PATH");
      g_autoptr(TesoroSession) session = NULL;
      g_autoptr(GError) error = NULL;

      drop_root ();
      session = tesoro_session_open (path, TESORO_SESSION_FLAGS_NONE, &error);
      if (session != NULL)
        {
          g_autoptr(GArray) ids = tesoro_test_session_ids (session, NULL, FALSE);

          g_assert_true (tesoro_session_is_read_only (session));
          g_assert_cmpuint (ids->len, ==, 1);
        }
      else
        {
          g_test_message ("refused: %s", error->message);
          g_assert_error (error, TESORO_ERROR, TESORO_ERROR_READ_ONLY);
          g_assert_nonnull (strstr (error->message, path));
          g_assert_nonnull (strstr (error->message, "folder"));
        }
      return;
    }
  else
    {
      g_autofree char *dir = tesoro_test_make_dir ();
      g_autofree char *path = g_build_filename (dir, "tesoro.db", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_autoptr(GBytes) before = NULL;
      gint64 contact_id, task_id;

      fill_for_read_only (path, &contact_id, &task_id);
      before = tesoro_test_read_file (path);
      g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));

      g_assert_cmpint (g_chmod (path, 0444), ==, 0);
      g_assert_cmpint (g_chmod (dir, 0555), ==, 0);

      g_setenv ("TESORO_TEST_RO_PATH", path, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();

      tesoro_test_assert_file_unchanged (path, before);
      tesoro_test_remove_dir (dir);
    }
}

/* Locks: the process's hold on the database must survive other code in the
 * same process opening and closing the files (GIO does, when a file chooser
 * shows the folder), so that another program never takes it for the last
 * connection and deletes the log that is still in use. */

static void
test_locks_survive_foreign_close (TesoroTestFixture *f,
                                  gconstpointer      data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autoptr(TesoroContact) mine = NULL;
  const char * const suffixes[] = { "", "-wal", "-shm" };
  guint db_locks, shm_locks;
  struct stat wal_before, wal_after;

  tesoro_test_add_named (f->session, "Before", "Chooser");
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  db_locks = tesoro_test_count_locks (f->path);
  shm_locks = tesoro_test_count_locks (shm);
  g_test_message ("locks before: %u on the database, %u on -shm", db_locks, shm_locks);
  g_assert_cmpuint (db_locks, >, 0);
  g_assert_cmpuint (shm_locks, >, 0);
  g_assert_cmpint (g_stat (wal, &wal_before), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      tesoro_test_open_read_close (file);
    }

  g_assert_cmpuint (tesoro_test_count_locks (f->path), ==, db_locks);
  g_assert_cmpuint (tesoro_test_count_locks (shm), ==, shm_locks);

  /* Another program writes and closes: as the last connection it would
   * checkpoint and delete -wal and -shm. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TesoroCliResult) added = tesoro_test_cli (f->path, "{\"given_name\": \"Other\", \"family_name\": \"Process\"}",
                                                          "add", "--json", "-", NULL);
      g_autoptr(TesoroCliResult) listed = tesoro_test_cli (f->path, NULL, "list", NULL);

      g_assert_cmpint (added->status, ==, 0);
      g_assert_cmpint (listed->status, ==, 0);
    }

  g_assert_cmpint (g_stat (wal, &wal_after), ==, 0);
  g_assert_cmpuint (wal_after.st_ino, ==, wal_before.st_ino);
  g_assert_cmpuint (tesoro_test_count_locks (f->path), ==, db_locks);

  /* What this process writes now must reach the file. */
  mine = tesoro_test_add_named (f->session, "After", "Chooser");
  tesoro_session_close (f->session);
  g_clear_object (&f->session);

  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM contacts WHERE given_name = 'After'"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM contacts WHERE given_name = 'Other'"), ==, 3);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count(*) FROM contacts WHERE given_name = 'Before'"), ==, 1);
  {
    g_auto(GStrv) check = tesoro_test_sql_strings (f->path, "PRAGMA integrity_check");
    g_assert_cmpstr (check[0], ==, "ok");
  }
  f->session = tesoro_test_open_session (f->path);
}

/* Two connections of this process (the window and a worker) still share
 * their locks as SQLite expects: one can write after the other has read, in
 * either order, with the files opened and closed by others between. */
static void
test_locks_two_connections (TesoroTestFixture *f,
                            gconstpointer      data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autoptr(TesoroSession) second = tesoro_test_open_session (f->path);

  for (guint i = 0; i < 20; i++)
    {
      TesoroSession *writer = i % 2 ? f->session : second;
      TesoroSession *reader = i % 2 ? second : f->session;
      g_autoptr(GArray) ids = tesoro_test_session_ids (reader, NULL, FALSE);
      g_autoptr(TesoroContact) c = tesoro_test_add_named (writer, "Pair", "Writer");

      g_assert_cmpuint (ids->len, ==, i);
      tesoro_test_open_read_close (f->path);
    }

  {
    g_autoptr(GArray) ids = tesoro_test_session_ids (second, NULL, FALSE);
    g_assert_cmpuint (ids->len, ==, 20);
  }

  /* The connection that took the file's shared lock closes first; the other,
   * closing last, must still get the exclusive lock that lets it checkpoint
   * and remove the log, as SQLite does with its own POSIX locks. */
  tesoro_session_close (f->session);
  g_clear_object (&f->session);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  tesoro_session_close (second);
  g_clear_object (&second);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (tesoro_test_count_locks (f->path), ==, 0);

  f->session = tesoro_test_open_session (f->path);
}

static void
test_open_mode (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "tesoro.db", NULL);
  const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(TesoroSession) session = NULL;
  mode_t old = umask (022);

  session = tesoro_test_open_session (path);
  tesoro_test_add_named (session, "Mode", "Check");
  umask (old);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      struct stat st;

      g_assert_cmpint (g_stat (file, &st), ==, 0);
      g_test_message ("%s: %o", file, st.st_mode & 0777);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }

  tesoro_session_close (session);
  g_clear_object (&session);
  tesoro_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/contacts/add-get", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_add_get, tesoro_test_fixture_teardown);
  g_test_add ("/store/contacts/lookup-errors", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_lookup_errors, tesoro_test_fixture_teardown);
  g_test_add ("/store/contacts/update", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_update, tesoro_test_fixture_teardown);
  g_test_add ("/store/contacts/trash-restore", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_trash_restore, tesoro_test_fixture_teardown);
  g_test_add ("/store/contacts/history", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_history, tesoro_test_fixture_teardown);
  g_test_add ("/store/contacts/cascade", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_cascade, tesoro_test_fixture_teardown);
  g_test_add ("/store/contacts/restricted", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_restricted, tesoro_test_fixture_teardown);

  g_test_add_func ("/store/open/new", test_open_new);
  g_test_add ("/store/open/again", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_open_again, tesoro_test_fixture_teardown);
  g_test_add ("/store/open/too-new", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_open_too_new, tesoro_test_fixture_teardown);
  g_test_add_func ("/store/open/not-sqlite", test_open_not_sqlite);
  g_test_add_func ("/store/open/other-program", test_open_other_program);
  g_test_add_func ("/store/open/read-only-flag", test_open_read_only_flag);
  g_test_add_func ("/store/open/read-only-file", test_open_read_only_file);
  g_test_add_func ("/store/open/read-only-folder", test_open_read_only_folder);
  g_test_add_func ("/store/open/mode", test_open_mode);

  g_test_add ("/store/locks/foreign-close", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_locks_survive_foreign_close, tesoro_test_fixture_teardown);
  g_test_add ("/store/locks/two-connections", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_locks_two_connections, tesoro_test_fixture_teardown);

  return g_test_run ();
}
