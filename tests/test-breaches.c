/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-breaches"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "tesoro-access.h"
#include "tesoro-audit.h"
#include "tesoro-breaches.h"
#include "tesoro-error.h"
#include "tesoro-test-utils.h"
#include "tesoro-utils.h"

/*
 * The breach log (GDPR Art. 33(5) and 34): the 72-hour clock, events folded
 * into a breach's state with the whole history kept, tables that refuse to
 * be changed, the rules of an entry, the accountability log without the
 * text of the entries, and who may keep the log.
 */

#define ADMIN_PASSWORD   "Beheer-sleutel-91"
#define SALES_PASSWORD   "Verkoop-plan-2026"
#define READER_PASSWORD  "Alleen-kijken-55"
#define OFFICER_PASSWORD "Privacy-eerst-2026"

#define ADD(path, func) \
  g_test_add (path, TesoroTestFixture, NULL, tesoro_test_fixture_setup, func, tesoro_test_fixture_teardown)

/* Helpers */

static char *
hours_ago (double hours)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, -hours * 3600);

  return tesoro_iso_from_date_time (then);
}

static TesoroBreach *
record (TesoroSession *session,
        const char    *discovered_at,
        const char    *description,
        gint64         people)
{
  g_autoptr(GError) error = NULL;
  TesoroBreachFacts facts = {
    .discovered_at = discovered_at,
    .description = description,
    .categories = "names, e-mail addresses",
    .people_known = people >= 0,
    .people_affected = people,
    .consequences = "phishing e-mails",
    .measures = "passwords reset",
  };
  TesoroBreach *breach = tesoro_session_record_breach (session, &facts, &error);

  g_assert_no_error (error);
  g_assert_nonnull (breach);
  g_assert_cmpint (tesoro_breach_get_id (breach), >, 0);
  return breach;
}

static guint
n_events (TesoroBreach *breach)
{
  return g_list_model_get_n_items (tesoro_breach_get_events (breach));
}

static TesoroBreachEvent *
nth_event (TesoroBreach *breach,
           guint         n)
{
  TesoroBreachEvent *event = g_list_model_get_item (tesoro_breach_get_events (breach), n);

  g_assert_nonnull (event);
  /* The model keeps a reference; the tests only read. */
  g_object_unref (event);
  return event;
}

static GPtrArray *
list (TesoroSession *session)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *breaches = tesoro_session_list_breaches (session, &error);

  g_assert_no_error (error);
  g_assert_nonnull (breaches);
  return breaches;
}

/* The 72-hour deadline */

static void
test_deadline (TesoroTestFixture *f,
               gconstpointer      data)
{
  g_autoptr(TesoroBreach) breach = record (f->session, "2024-03-01T10:00:00Z", "Laptop stolen from a car", 40);
  g_autoptr(TesoroBreach) notified = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deadline = tesoro_breach_dup_deadline (breach);
  g_autofree char *in_14 = NULL;
  g_autofree char *last_minute = NULL;
  g_autofree char *overdue = NULL;
  g_autofree char *done = NULL;
  gint64 left = 0;

  /* Discovered + 72 hours (Art. 33(1)). */
  g_assert_cmpstr (deadline, ==, "2024-03-04T10:00:00Z");

  g_assert_cmpint (tesoro_breach_get_deadline_state (breach, "2024-03-03T20:00:00Z", &left), ==,
                   TESORO_BREACH_DEADLINE_OPEN);
  g_assert_cmpint (left, ==, 14 * 3600);
  in_14 = tesoro_breach_describe_deadline (breach, "2024-03-03T20:00:00Z");
  g_assert_cmpstr (in_14, ==, "Notify the authority within 14 hours");

  /* One second before the end it still runs; at its end it is overdue. */
  g_assert_false (tesoro_breach_is_overdue (breach, "2024-03-04T09:59:59Z"));
  last_minute = tesoro_breach_describe_deadline (breach, "2024-03-04T09:59:59Z");
  g_assert_cmpstr (last_minute, ==, "Notify the authority within 1 minute");
  g_assert_true (tesoro_breach_is_overdue (breach, "2024-03-04T10:00:00Z"));
  g_assert_true (tesoro_breach_is_overdue (breach, "2024-03-09T10:00:00Z"));
  overdue = tesoro_breach_describe_deadline (breach, "2024-03-04T10:00:01Z");
  g_assert_cmpstr (overdue, ==, "Overdue: notify the authority now");

  /* Notified, even late, it is no longer overdue; late it says so. */
  notified = tesoro_session_record_breach_authority (f->session, tesoro_breach_get_id (breach), TRUE,
                                                     "2024-03-05T09:00:00Z", "AP-2024-0042", &error);
  g_assert_no_error (error);
  g_assert_false (tesoro_breach_is_overdue (notified, "2024-03-09T10:00:00Z"));
  g_assert_cmpint (tesoro_breach_get_deadline_state (notified, "2024-03-09T10:00:00Z", NULL), ==,
                   TESORO_BREACH_DEADLINE_NOTIFIED);
  g_assert_true (tesoro_breach_was_notified_late (notified));
  done = tesoro_breach_describe_deadline (notified, NULL);
  g_assert_nonnull (strstr (done, "Authority notified on"));
  g_assert_nonnull (strstr (done, "after the 72 hours"));
}

/* The list, newest first, with the deadline on the real clock. */
static void
test_list (TesoroTestFixture *f,
           gconstpointer      data)
{
  g_autofree char *old = hours_ago (80);
  g_autofree char *recent = hours_ago (57.5);
  g_autofree char *middle = hours_ago (70);
  g_autoptr(TesoroBreach) a = record (f->session, old, "Old breach", 3);
  g_autoptr(TesoroBreach) b = record (f->session, recent, "Recent breach", -1);
  g_autoptr(TesoroBreach) c = record (f->session, middle, "Middle breach", 0);
  g_autoptr(TesoroBreach) c_done = NULL;
  g_autoptr(GPtrArray) breaches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_b = NULL;

  c_done = tesoro_session_record_breach_authority (f->session, tesoro_breach_get_id (c), FALSE, NULL,
                                                   "Encrypted backup: no risk to the people", &error);
  g_assert_no_error (error);

  breaches = list (f->session);
  g_assert_cmpuint (breaches->len, ==, 3);
  g_assert_cmpstr (tesoro_breach_get_description (breaches->pdata[0]), ==, "Recent breach");
  g_assert_cmpstr (tesoro_breach_get_description (breaches->pdata[1]), ==, "Middle breach");
  g_assert_cmpstr (tesoro_breach_get_description (breaches->pdata[2]), ==, "Old breach");

  state_b = tesoro_breach_describe_deadline (breaches->pdata[0], NULL);
  g_assert_cmpstr (state_b, ==, "Notify the authority within 14 hours");
  g_assert_cmpint (tesoro_breach_get_people_affected (breaches->pdata[0]), ==, -1);
  g_assert_cmpint (tesoro_breach_get_deadline_state (breaches->pdata[1], NULL, NULL), ==,
                   TESORO_BREACH_DEADLINE_NOT_REQUIRED);
  g_assert_cmpstr (tesoro_breach_get_authority_reason (breaches->pdata[1]), ==,
                   "Encrypted backup: no risk to the people");
  g_assert_true (tesoro_breach_is_overdue (breaches->pdata[2], NULL));
  g_assert_cmpint (tesoro_breach_get_people_affected (breaches->pdata[2]), ==, 3);
}

/* Events fold into the state; the history keeps them all */

static void
test_fold (TesoroTestFixture *f,
           gconstpointer      data)
{
  g_autoptr(TesoroBreach) breach = record (f->session, "2024-05-01T08:00:00Z", "Mail sent to the wrong list", 120);
  g_autoptr(TesoroBreach) after = NULL;
  g_autoptr(TesoroBreach) reread = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = tesoro_breach_get_id (breach);
  TesoroBreachFacts correction = { 0 };
  static const char * const kinds[] = {
    TESORO_BREACH_EVENT_CORRECTION, TESORO_BREACH_EVENT_PEOPLE_NOT_REQUIRED, TESORO_BREACH_EVENT_AUTHORITY_NOTIFIED,
    TESORO_BREACH_EVENT_CORRECTION, TESORO_BREACH_EVENT_PEOPLE_INFORMED,
  };

  g_assert_cmpuint (n_events (breach), ==, 0);
  g_assert_cmpint (tesoro_breach_get_people_duty (breach), ==, TESORO_BREACH_DUTY_PENDING);

  correction.people_known = TRUE;
  correction.people_affected = 150;
  correction.description = "ignored: not in the fields";
  g_clear_object (&after);
  after = tesoro_session_correct_breach (f->session, id, &correction, TESORO_BREACH_FIELD_PEOPLE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_breach_get_people_affected (after), ==, 150);
  g_assert_cmpstr (tesoro_breach_get_description (after), ==, "Mail sent to the wrong list");

  g_clear_object (&after);
  after = tesoro_session_record_breach_people (f->session, id, FALSE, NULL, "Only work addresses", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_breach_get_people_duty (after), ==, TESORO_BREACH_DUTY_NOT_REQUIRED);

  g_clear_object (&after);
  after = tesoro_session_record_breach_authority (f->session, id, TRUE, "2024-05-02T09:30:00Z", NULL, &error);
  g_assert_no_error (error);

  correction.description = "Mail with 150 addresses in CC sent to the wrong list";
  correction.records_known = TRUE;
  correction.records_affected = 300;
  g_clear_object (&after);
  after = tesoro_session_correct_breach (f->session, id, &correction,
                                         TESORO_BREACH_FIELD_DESCRIPTION | TESORO_BREACH_FIELD_RECORDS |
                                         TESORO_BREACH_FIELD_PEOPLE, &error);
  g_assert_no_error (error);

  /* A change of mind: the newest entry decides. */
  g_clear_object (&after);
  after = tesoro_session_record_breach_people (f->session, id, TRUE, "2024-05-03T12:00:00Z", "by e-mail", &error);
  g_assert_no_error (error);

  /* Read back from a new run of Tesoro. */
  tesoro_test_reopen (f);
  reread = tesoro_session_get_breach (f->session, id, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (tesoro_breach_get_uid (reread), ==, tesoro_breach_get_uid (breach));
  g_assert_cmpstr (tesoro_breach_get_description (reread), ==, "Mail with 150 addresses in CC sent to the wrong list");
  g_assert_cmpint (tesoro_breach_get_people_affected (reread), ==, 150);
  g_assert_cmpint (tesoro_breach_get_records_affected (reread), ==, 300);
  g_assert_cmpstr (tesoro_breach_get_categories (reread), ==, "names, e-mail addresses");
  g_assert_cmpint (tesoro_breach_get_authority_duty (reread), ==, TESORO_BREACH_DUTY_DONE);
  g_assert_cmpstr (tesoro_breach_get_notified_at (reread), ==, "2024-05-02T09:30:00Z");
  g_assert_false (tesoro_breach_was_notified_late (reread));
  g_assert_cmpint (tesoro_breach_get_people_duty (reread), ==, TESORO_BREACH_DUTY_DONE);
  g_assert_cmpstr (tesoro_breach_get_informed_how (reread), ==, "by e-mail");
  g_assert_null (tesoro_breach_get_people_reason (reread));

  /* Every entry is kept, in order, with what it said then. */
  g_assert_cmpuint (n_events (reread), ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_cmpstr (tesoro_breach_event_get_kind (nth_event (reread, i)), ==, kinds[i]);
      g_assert_cmpstr (tesoro_breach_event_get_recorded_by (nth_event (reread, i)), ==, g_get_user_name ());
    }
  g_assert_cmpstr (tesoro_breach_event_get_text (nth_event (reread, 1), "reason"), ==, "Only work addresses");
  /* The second correction holds only what changed (people stayed 150). */
  g_assert_cmpstr (tesoro_breach_event_get_details (nth_event (reread, 3)), ==,
                   "{\"description\":\"Mail with 150 addresses in CC sent to the wrong list\",\"records_affected\":300}");
  /* The row as first recorded is unchanged. */
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT people_affected FROM breaches"), ==, 120);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count (*) FROM breach_events"), ==, 5);
}

/* The tables refuse UPDATE and DELETE */

static void
assert_refused (const char *db_path,
                const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc == SQLITE_OK)
    g_error ("“%s” was not refused", sql);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "append-only"));
  sqlite3_free (message);
  sqlite3_close (db);
}

static void
test_append_only (TesoroTestFixture *f,
                  gconstpointer      data)
{
  g_autoptr(TesoroBreach) breach = record (f->session, "2024-06-01T12:00:00Z", "USB stick lost", 12);
  g_autoptr(TesoroBreach) after = NULL;
  g_autoptr(TesoroBreach) reread = NULL;
  g_autoptr(GError) error = NULL;

  after = tesoro_session_record_breach_authority (f->session, tesoro_breach_get_id (breach), TRUE,
                                                  "2024-06-02T08:00:00Z", "AP-7", &error);
  g_assert_no_error (error);

  assert_refused (f->path, "UPDATE breaches SET description = 'nothing happened'");
  assert_refused (f->path, "DELETE FROM breaches");
  assert_refused (f->path, "UPDATE breach_events SET details = '{}'");
  assert_refused (f->path, "DELETE FROM breach_events");

  reread = tesoro_session_get_breach (f->session, tesoro_breach_get_id (breach), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_breach_get_description (reread), ==, "USB stick lost");
  g_assert_cmpstr (tesoro_breach_get_notified_reference (reread), ==, "AP-7");
  g_assert_cmpuint (n_events (reread), ==, 1);
}

/* Validation */

#define assert_invalid(error, code, field)                                       \
  G_STMT_START {                                                                 \
    g_assert_error ((error), TESORO_ERROR, (code));                              \
    if (strstr ((error)->message, (field)) == NULL)                              \
      g_error ("%s:%d: “%s” does not name %s", __FILE__, __LINE__,               \
               (error)->message, (field));                                       \
    g_clear_error (&(error));                                                    \
  } G_STMT_END

static void
test_validation (TesoroTestFixture *f,
                 gconstpointer      data)
{
  g_autoptr(TesoroBreach) breach = record (f->session, "2024-07-01T12:00:00Z", "Database dump on a public server", 900);
  g_autoptr(GError) error = NULL;
  g_autofree char *tomorrow = hours_ago (-24);
  g_autofree char *long_text = g_strnfill (TESORO_MAX_SHORT_TEXT + 1, 'x');
  gint64 id = tesoro_breach_get_id (breach);
  TesoroBreachFacts facts = { .discovered_at = "2024-07-01T12:00:00Z", .description = "Something" };
  TesoroBreachFacts bad;
  TesoroBreachFields bad_field = 0;
  gboolean known = FALSE;
  gint64 value = 0;

  bad = facts;
  bad.discovered_at = tomorrow;
  g_assert_null (tesoro_session_record_breach (f->session, &bad, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "discovered_at");
  g_assert_false (tesoro_breach_facts_validate (&bad, TESORO_BREACH_FIELDS_ALL, NULL, &bad_field, NULL));
  g_assert_cmpint (bad_field, ==, TESORO_BREACH_FIELD_DISCOVERED);

  bad.discovered_at = "the first of July";
  g_assert_null (tesoro_session_record_breach (f->session, &bad, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "discovered_at");
  bad.discovered_at = NULL;
  g_assert_null (tesoro_session_record_breach (f->session, &bad, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "discovered_at");

  bad = facts;
  bad.description = "  \n ";
  g_assert_null (tesoro_session_record_breach (f->session, &bad, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "description");

  bad = facts;
  bad.people_known = TRUE;
  bad.people_affected = -1;
  g_assert_null (tesoro_session_record_breach (f->session, &bad, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "people_affected");
  bad = facts;
  bad.records_known = TRUE;
  bad.records_affected = -20;
  g_assert_null (tesoro_session_record_breach (f->session, &bad, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "records_affected");

  bad = facts;
  bad.categories = long_text;
  g_assert_null (tesoro_session_record_breach (f->session, &bad, &error));
  assert_invalid (error, TESORO_ERROR_TOO_LARGE, "categories");
  bad = facts;
  bad.measures = "reset\001";
  g_assert_null (tesoro_session_record_breach (f->session, &bad, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "measures");

  g_assert_false (tesoro_breach_parse_count ("people_affected", "about 40", &known, &value, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "people_affected");
  g_assert_true (tesoro_breach_parse_count ("people_affected", " 40 ", &known, &value, NULL));
  g_assert_true (known);
  g_assert_cmpint (value, ==, 40);
  g_assert_true (tesoro_breach_parse_count ("people_affected", "", &known, &value, NULL));
  g_assert_false (known);

  /* The events' rules. */
  g_assert_null (tesoro_session_record_breach_authority (f->session, id, TRUE, "2024-06-30T12:00:00Z", NULL, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "notified_at");
  g_assert_null (tesoro_session_record_breach_authority (f->session, id, TRUE, tomorrow, NULL, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "notified_at");
  g_assert_null (tesoro_session_record_breach_authority (f->session, id, TRUE, NULL, NULL, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "notified_at");
  g_assert_null (tesoro_session_record_breach_authority (f->session, id, FALSE, NULL, " ", &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "reason");
  g_assert_null (tesoro_session_record_breach_people (f->session, id, TRUE, "2024-07-02T12:00:00Z", "", &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "how");
  g_assert_null (tesoro_session_record_breach_people (f->session, id, FALSE, NULL, NULL, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "reason");
  g_assert_null (tesoro_session_correct_breach (f->session, id, &facts, TESORO_BREACH_FIELD_DISCOVERED, &error));
  assert_invalid (error, TESORO_ERROR_INVALID, "changes nothing");
  g_assert_null (tesoro_session_record_breach_authority (f->session, id + 1, FALSE, NULL, "No risk", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing of it was stored. */
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count (*) FROM breaches"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count (*) FROM breach_events"), ==, 0);
}

/* The accountability log: uid and kind, never the text */

static void
test_audit (TesoroTestFixture *f,
            gconstpointer      data)
{
  g_autoptr(TesoroBreach) breach = record (f->session, "2024-08-01T12:00:00Z", "MARKER-description", 5);
  g_autoptr(TesoroBreach) after = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *event_details = NULL;
  TesoroAuditFilter filter;
  TesoroBreachFacts correction = { .measures = "MARKER-measures" };
  gint64 id = tesoro_breach_get_id (breach);
  gint64 n = 0, broken = -1;

  after = tesoro_session_record_breach_authority (f->session, id, TRUE, "2024-08-02T12:00:00Z", "MARKER-reference",
                                                  &error);
  g_assert_no_error (error);
  g_clear_object (&after);
  after = tesoro_session_record_breach_people (f->session, id, FALSE, NULL, "MARKER-reason", &error);
  g_assert_no_error (error);
  g_clear_object (&after);
  after = tesoro_session_correct_breach (f->session, id, &correction, TESORO_BREACH_FIELD_MEASURES, &error);
  g_assert_no_error (error);

  tesoro_audit_filter_init (&filter);
  entries = tesoro_session_list_audit (f->session, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 4);

  g_assert_cmpstr (tesoro_audit_entry_get_action (entries->pdata[0]), ==, TESORO_AUDIT_BREACH_RECORDED);
  g_assert_null (tesoro_audit_entry_get_contact_uid (entries->pdata[0]));
  event_details = g_strdup_printf ("{\"breach\":\"%s\"}", tesoro_breach_get_uid (breach));
  g_assert_cmpstr (tesoro_audit_entry_get_details (entries->pdata[0]), ==, event_details);
  g_clear_pointer (&event_details, g_free);

  event_details = g_strdup_printf ("{\"breach\":\"%s\",\"kind\":\"authority-notified\"}", tesoro_breach_get_uid (breach));
  g_assert_cmpstr (tesoro_audit_entry_get_action (entries->pdata[1]), ==, TESORO_AUDIT_BREACH_EVENT);
  g_assert_cmpstr (tesoro_audit_entry_get_details (entries->pdata[1]), ==, event_details);
  g_clear_pointer (&event_details, g_free);
  event_details = g_strdup_printf ("{\"breach\":\"%s\",\"kind\":\"correction\",\"fields\":[\"measures\"]}",
                                   tesoro_breach_get_uid (breach));
  g_assert_cmpstr (tesoro_audit_entry_get_details (entries->pdata[3]), ==, event_details);

  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *description = tesoro_audit_entry_describe (entries->pdata[i]);

      g_assert_cmpstr (tesoro_audit_entry_get_actor (entries->pdata[i]), ==, g_get_user_name ());
      g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[i]), "MARKER"));
      g_assert_nonnull (strstr (description, tesoro_breach_get_uid (breach)));
    }
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count (*) FROM audit_log WHERE details LIKE '%MARKER%'"), ==, 0);

  g_assert_true (tesoro_session_verify_audit (f->session, NULL, &n, &broken, &head, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 4);
}

/* Who may keep the log */

static TesoroSession *
open_as (TesoroTestFixture *f,
         const char        *login,
         const char        *password)
{
  g_autoptr(GError) error = NULL;
  TesoroSession *session = tesoro_test_open_session (f->path);

  g_assert_true (tesoro_session_sign_in (session, login, password, &error));
  g_assert_no_error (error);
  return session;
}

static void
assert_refused_to (TesoroSession *session,
                   gint64         id)
{
  g_autoptr(GError) error = NULL;
  TesoroBreachFacts facts = { .discovered_at = "2024-09-01T12:00:00Z", .description = "Sales tries" };

  g_assert_null (tesoro_session_record_breach (session, &facts, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, tesoro_permission_get_label (TESORO_PERMISSION_REQUESTS)));
  g_clear_error (&error);
  g_assert_null (tesoro_session_list_breaches (session, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (tesoro_session_get_breach (session, id, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (tesoro_session_record_breach_authority (session, id, FALSE, NULL, "No risk", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (tesoro_session_correct_breach (session, id, &facts, TESORO_BREACH_FIELD_DESCRIPTION, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
}

static void
test_permission (TesoroTestFixture *f,
                 gconstpointer      data)
{
  g_autoptr(TesoroBreach) breach = record (f->session, "2024-09-01T08:00:00Z", "Phishing: one mailbox read", 1);
  g_autoptr(TesoroSession) sales = NULL;
  g_autoptr(TesoroSession) reader = NULL;
  g_autoptr(TesoroSession) officer = NULL;
  g_autoptr(TesoroBreach) by_officer = NULL;
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(GError) error = NULL;
  const char *me = tesoro_session_get_actor (f->session);

  tesoro_session_set_password (f->session, me, ADMIN_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->session, "sanne", "Sanne Bakker", TESORO_ROLE_SALES, SALES_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->session, "lezer", "Lars Lezer", TESORO_ROLE_READ_ONLY, READER_PASSWORD, &error);
  g_assert_no_error (error);
  tesoro_session_add_user (f->session, "pim", "Pim Privacy", TESORO_ROLE_PRIVACY_OFFICER, OFFICER_PASSWORD, &error);
  g_assert_no_error (error);

  sales = open_as (f, "sanne", SALES_PASSWORD);
  g_assert_false (tesoro_session_can (sales, TESORO_PERMISSION_REQUESTS));
  assert_refused_to (sales, tesoro_breach_get_id (breach));
  reader = open_as (f, "lezer", READER_PASSWORD);
  assert_refused_to (reader, tesoro_breach_get_id (breach));

  officer = open_as (f, "pim", OFFICER_PASSWORD);
  by_officer = tesoro_session_record_breach_authority (officer, tesoro_breach_get_id (breach), TRUE,
                                                       "2024-09-02T08:00:00Z", NULL, &error);
  g_assert_no_error (error);
  seen = list (officer);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (tesoro_breach_event_get_recorded_by (nth_event (seen->pdata[0], 0)), ==, "pim");

  /* Nothing the refused roles tried was stored. */
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count (*) FROM breaches"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count (*) FROM breach_events"), ==, 1);
}

/* tesoro-cli breaches, through the real binary */

#define assert_cli(result, expected)                                            \
  G_STMT_START {                                                                \
    if ((result)->status != (expected))                                         \
      g_error ("%s:%d: exit status %d, expected %d\nstdout: %s\nstderr: %s",    \
               __FILE__, __LINE__, (result)->status, (expected),                \
               (result)->out, (result)->err);                                   \
  } G_STMT_END

static void
test_cli (TesoroTestFixture *f,
          gconstpointer      data)
{
  g_autofree char *discovered = hours_ago (50.1);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) parsed = tesoro_date_time_from_iso (discovered);
  g_autofree char *typed = NULL;
  g_autoptr(TesoroCliResult) add = NULL;
  g_autoptr(TesoroCliResult) notify = NULL;
  g_autoptr(TesoroCliResult) inform = NULL;
  g_autoptr(TesoroCliResult) list_out = NULL;
  g_autoptr(TesoroCliResult) show = NULL;
  g_autoptr(TesoroCliResult) missing = NULL;
  g_autoptr(TesoroCliResult) bad_count = NULL;
  g_autoptr(TesoroCliResult) bad_time = NULL;
  g_autoptr(TesoroCliResult) both = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *breach;

  /* As a person types it: local time, to the minute. */
  local = g_date_time_to_local (parsed);
  typed = g_date_time_format (local, "%Y-%m-%d %H:%M");

  add = tesoro_test_cli (f->path, NULL, "breaches", "add", "--discovered", typed, "--description",
                         "Laptop stolen from a car", "--people", "40", "--records", "", "--categories", "names", NULL);
  assert_cli (add, 0);
  g_assert_nonnull (strstr (add->out, "Notify the authority within 21 hours"));

  list_out = tesoro_test_cli (f->path, NULL, "breaches", "list", NULL);
  assert_cli (list_out, 0);
  g_assert_nonnull (strstr (list_out->out, "21 hours left\t40\tLaptop stolen from a car"));

  notify = tesoro_test_cli (f->path, NULL, "breaches", "notify", "1", "--at", typed, "--reference", "AP-9", NULL);
  assert_cli (notify, 0);
  inform = tesoro_test_cli (f->path, NULL, "breaches", "inform", "1", "--not-required", "Disk encrypted", NULL);
  assert_cli (inform, 0);

  show = tesoro_test_cli (f->path, NULL, "breaches", "show", "1", "--json", NULL);
  assert_cli (show, 0);
  node = tesoro_test_parse_json (show->out);
  breach = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (breach, "deadline_state"), ==, "notified");
  g_assert_cmpint (json_object_get_int_member (breach, "people_affected"), ==, 40);
  g_assert_true (json_object_get_null_member (breach, "records_affected"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (breach, "authority"), "reference"),
                   ==, "AP-9");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (breach, "people_informed"), "state"),
                   ==, "not-required");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (breach, "history")), ==, 2);

  /* Bad input: a usage error (2) or a refusal naming the field (1); nothing stored. */
  missing = tesoro_test_cli (f->path, NULL, "breaches", "add", "--discovered", typed, NULL);
  assert_cli (missing, 2);
  bad_count = tesoro_test_cli (f->path, NULL, "breaches", "add", "--discovered", typed, "--description", "x",
                               "--people", "forty", NULL);
  assert_cli (bad_count, 1);
  g_assert_nonnull (strstr (bad_count->err, "--people"));
  bad_time = tesoro_test_cli (f->path, NULL, "breaches", "notify", "1", "--at", "yesterday", NULL);
  assert_cli (bad_time, 1);
  g_assert_nonnull (strstr (bad_time->err, "--at"));
  both = tesoro_test_cli (f->path, NULL, "breaches", "inform", "1", "--at", typed, "--not-required", "x", NULL);
  assert_cli (both, 2);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count (*) FROM breaches"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->path, "SELECT count (*) FROM breach_events"), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/breaches/deadline", test_deadline);
  ADD ("/breaches/list", test_list);
  ADD ("/breaches/fold", test_fold);
  ADD ("/breaches/append-only", test_append_only);
  ADD ("/breaches/validation", test_validation);
  ADD ("/breaches/audit", test_audit);
  ADD ("/breaches/permission", test_permission);
  ADD ("/breaches/cli", test_cli);

  return g_test_run ();
}
