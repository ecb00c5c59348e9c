/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-requests"

#include "config.h"

#include <string.h>

#include "tesoro-access.h"
#include "tesoro-consent.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-requests.h"
#include "tesoro-retention.h"
#include "tesoro-test-utils.h"
#include "tesoro-utils.h"

/*
 * Data-subject requests: the legal clock at its edges, the life of a
 * request (identity, extension, closing), the one-click responses that act
 * on contacts, and who may see requests at all.
 */

/* The clock */

static char *
deadline_of (const char *received,
             gboolean    extended)
{
  g_autoptr(TesoroRequest) request = tesoro_request_new ();

  request->received_on = g_strdup (received);
  if (extended)
    request->extended_at = g_strdup ("2026-01-01T00:00:00Z");
  return tesoro_request_get_deadline_iso (request);
}

static void
test_deadline (void)
{
  static const struct
  {
    const char *received;
    const char *deadline;
    const char *extended;
  } cases[] = {
    /* A month from 31 January ends on the last day of February... */
    { "2027-01-31", "2027-02-28", "2027-04-28" },
    /* ...also in a leap year. */
    { "2028-01-31", "2028-02-29", "2028-04-29" },
    { "2028-01-29", "2028-02-29", "2028-04-29" },
    { "2027-01-29", "2027-02-28", "2027-04-28" },
    { "2027-03-31", "2027-04-30", "2027-06-30" },
    { "2027-06-15", "2027-07-15", "2027-09-15" },
    { "2027-12-31", "2028-01-31", "2028-03-31" },
    { "2027-11-30", "2027-12-30", "2028-02-29" },
    { "2027-02-28", "2027-03-28", "2027-05-28" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *plain = deadline_of (cases[i].received, FALSE);
      g_autofree char *longer = deadline_of (cases[i].received, TRUE);

      g_assert_cmpstr (plain, ==, cases[i].deadline);
      g_assert_cmpstr (longer, ==, cases[i].extended);
    }

  /* Nothing for a date that is not one. */
  g_assert_null (deadline_of ("2027-02-30", FALSE));
  g_assert_null (deadline_of ("gisteren", FALSE));
}

static GDateTime *
moment (const char *zone,
        int         year,
        int         month,
        int         day,
        int         hour,
        int         minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);

  g_assert_nonnull (tz);
  return g_date_time_new (tz, year, month, day, hour, minute, 0);
}

/* Overdue once the deadline's day has ended where the user is. */
static void
test_overdue_time_zone (void)
{
  g_autoptr(TesoroRequest) request = tesoro_request_new ();
  g_autoptr(GDateTime) last_minute = moment ("Europe/Amsterdam", 2027, 2, 28, 23, 59);
  g_autoptr(GDateTime) next_day = moment ("Europe/Amsterdam", 2027, 3, 1, 0, 0);
  g_autoptr(GDateTime) week_before = moment ("Europe/Amsterdam", 2027, 2, 21, 12, 0);
  g_autoptr(GDateTime) utc = moment ("UTC", 2027, 2, 28, 23, 30);
  g_autoptr(GTimeZone) amsterdam = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) in_amsterdam = g_date_time_to_timezone (utc, amsterdam);
  g_autoptr(GDateTime) in_new_york = g_date_time_to_timezone (utc, new_york);
  g_autofree char *today = NULL;
  g_autofree char *late = NULL;
  g_autofree char *week = NULL;

  request->received_on = g_strdup ("2027-01-31");

  g_assert_cmpint (tesoro_request_days_left (request, week_before), ==, 7);
  g_assert_false (tesoro_request_is_overdue (request, week_before));
  week = tesoro_request_describe_clock (request, week_before);
  g_assert_cmpstr (week, ==, "7 days left");

  /* The last minute of the last day: due, not overdue. */
  g_assert_cmpint (tesoro_request_days_left (request, last_minute), ==, 0);
  g_assert_false (tesoro_request_is_overdue (request, last_minute));
  today = tesoro_request_describe_clock (request, last_minute);
  g_assert_cmpstr (today, ==, "Due today");

  g_assert_cmpint (tesoro_request_days_left (request, next_day), ==, -1);
  g_assert_true (tesoro_request_is_overdue (request, next_day));
  late = tesoro_request_describe_clock (request, next_day);
  g_assert_cmpstr (late, ==, "Overdue by 1 day");

  /* One moment, two users: past midnight in Amsterdam, still the 28th in
   * New York. */
  g_assert_true (tesoro_request_is_overdue (request, in_amsterdam));
  g_assert_false (tesoro_request_is_overdue (request, in_new_york));

  /* A closed request is never overdue. */
  request->status = TESORO_REQUEST_DONE;
  g_assert_false (tesoro_request_is_overdue (request, next_day));
}

/* The life of a request */

static TesoroRequest *
add_request (TesoroSession     *session,
             TesoroRequestKind  kind,
             const char        *received,
             gint64             contact_id)
{
  g_autoptr(GError) error = NULL;
  TesoroRequestDraft draft = { 0 };
  TesoroRequest *request;

  draft.kind = kind;
  draft.received_on = received;
  draft.channel = "e-mail";
  draft.requester = "Sophie de Vries <sophie@bakkerij.example>";
  draft.contact_ids = contact_id > 0 ? &contact_id : NULL;
  draft.n_contact_ids = contact_id > 0 ? 1 : 0;
  request = tesoro_session_add_request (session, &draft, &error);
  g_assert_no_error (error);
  return request;
}

static void
assert_refused (TesoroSession     *session,
                const char        *received,
                const char        *requester,
                const char        *language,
                const char        *field)
{
  g_autoptr(GError) error = NULL;
  TesoroRequestDraft draft = { 0 };

  draft.kind = TESORO_REQUEST_ACCESS;
  draft.received_on = received;
  draft.requester = requester;
  draft.language = language;
  g_assert_null (tesoro_session_add_request (session, &draft, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  if (strstr (error->message, field) == NULL)
    g_error ("“%s” does not name %s", error->message, field);
}

static void
test_lifecycle (TesoroTestFixture *f,
                gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (f->session, "Sophie", "de Vries");
  g_autoptr(TesoroRequest) first = NULL;
  g_autoptr(TesoroRequest) second = NULL;
  g_autoptr(TesoroRequest) stored = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GDateTime) now = moment ("Europe/Amsterdam", 2026, 3, 10, 12, 0);
  g_autofree char *deadline = NULL;
  g_autofree char *tomorrow = tesoro_iso_ago (-2, 0);

  /* Bad input names the field. */
  assert_refused (f->session, "2026-01-05", "  ", NULL, "Requester");
  assert_refused (f->session, NULL, "Sophie", NULL, "Received");
  assert_refused (f->session, "5 januari", "Sophie", NULL, "Received");
  assert_refused (f->session, tomorrow, "Sophie", NULL, "future");
  assert_refused (f->session, "2026-01-05", "Sophie", "de", "language");

  first = add_request (f->session, TESORO_REQUEST_ACCESS, "2026-02-20", tesoro_contact_get_id (contact));
  second = add_request (f->session, TESORO_REQUEST_RESTRICTION, "2026-01-31", 0);
  g_assert_cmpint (first->status, ==, TESORO_REQUEST_OPEN);
  g_assert_false (first->identity_verified);
  g_assert_cmpuint (first->contact_uids->len, ==, 1);
  g_assert_cmpstr (first->contact_uids->pdata[0], ==, tesoro_contact_get_uid (contact));
  g_assert_true (tesoro_is_valid_uid (first->uid));

  /* The most urgent first: received later, but due earlier. */
  list = tesoro_session_list_requests (f->session, FALSE, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((TesoroRequest *) list->pdata[0])->id, ==, second->id);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = tesoro_session_list_requests (f->session, TRUE, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((TesoroRequest *) list->pdata[0])->id, ==, second->id);
  g_assert_cmpuint (tesoro_session_count_requests_due (f->session, 7, now, &error), ==, 1);

  /* No response before the identity is checked. */
  g_assert_false (tesoro_session_respond_to_request (f->session, first->id, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "identity"));
  g_clear_error (&error);

  tesoro_session_wait_for_identity (f->session, first->id, &error);
  g_assert_no_error (error);
  g_assert_false (tesoro_session_verify_request (f->session, first->id, " ", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  tesoro_session_verify_request (f->session, first->id, "Replied from the address on file", &error);
  g_assert_no_error (error);

  /* Extended once, with a reason; never twice. */
  g_assert_false (tesoro_session_extend_request (f->session, first->id, "", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  tesoro_session_extend_request (f->session, first->id, "Many records in old archives", &error);
  g_assert_no_error (error);
  g_assert_false (tesoro_session_extend_request (f->session, first->id, "Still busy", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "once"));
  g_clear_error (&error);

  stored = tesoro_session_get_request (f->session, first->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, TESORO_REQUEST_EXTENDED);
  g_assert_true (stored->identity_verified);
  g_assert_cmpstr (stored->identity_method, ==, "Replied from the address on file");
  g_assert_cmpstr (stored->identity_by, ==, tesoro_session_get_actor (f->session));
  g_assert_cmpstr (stored->extension_reason, ==, "Many records in old archives");
  deadline = tesoro_request_get_deadline_iso (stored);
  g_assert_cmpstr (deadline, ==, "2026-05-20");

  /* Refused with a reason, and then closed for good. */
  tesoro_session_close_request (f->session, second->id, "Manifestly unfounded (Art. 12(5))", &error);
  g_assert_no_error (error);
  g_clear_pointer (&stored, tesoro_request_free);
  stored = tesoro_session_get_request (f->session, second->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, TESORO_REQUEST_REFUSED);
  g_assert_nonnull (stored->closed_at);
  g_assert_false (tesoro_session_verify_request (f->session, second->id, "passport", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (tesoro_session_count_requests_due (f->session, 7, now, &error), ==, 0);

  /* The accountability log follows every step without what anybody wrote. */
  audit = tesoro_session_list_audit (f->session, NULL, &error);
  g_assert_no_error (error);
  {
    guint added = 0, verified = 0, extended = 0, closed = 0;

    for (guint i = 0; i < audit->len; i++)
      {
        TesoroAuditEntry *e = audit->pdata[i];
        const char *action = tesoro_audit_entry_get_action (e);
        const char *details = tesoro_audit_entry_get_details (e);

        added += g_str_equal (action, TESORO_AUDIT_REQUEST_ADDED);
        verified += g_str_equal (action, TESORO_AUDIT_REQUEST_VERIFIED);
        extended += g_str_equal (action, TESORO_AUDIT_REQUEST_EXTENDED);
        closed += g_str_equal (action, TESORO_AUDIT_REQUEST_CLOSED);
        g_assert_null (strstr (details, "Sophie"));
        g_assert_null (strstr (details, "archives"));
        g_assert_null (strstr (details, "unfounded"));
        g_assert_null (strstr (details, "address on file"));
      }
    g_assert_cmpuint (added, ==, 2);
    g_assert_cmpuint (verified, ==, 1);
    g_assert_cmpuint (extended, ==, 1);
    g_assert_cmpuint (closed, ==, 1);
  }

  /* It survives a restart. */
  tesoro_test_reopen (f);
  g_clear_pointer (&stored, tesoro_request_free);
  stored = tesoro_session_get_request (f->session, first->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, TESORO_REQUEST_EXTENDED);
}

static void
verified_request (TesoroSession     *session,
                  TesoroRequestKind  kind,
                  gint64             contact_id,
                  gint64            *request_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRequest) request = add_request (session, kind, "2026-01-05", contact_id);

  tesoro_session_verify_request (session, request->id, "Signed letter", &error);
  g_assert_no_error (error);
  *request_id = request->id;
}

static void
test_restriction_objection (TesoroTestFixture *f,
                            gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (f->session, "Sophie", "de Vries");
  g_autoptr(TesoroContact) other = tesoro_test_add_named (f->session, "Jan", "Jansen");
  g_autoptr(TesoroContact) restricted = NULL;
  g_autoptr(TesoroRequest) done = NULL;
  gint64 id = tesoro_contact_get_id (contact);
  gint64 request;
  TesoroConsentState state;

  tesoro_session_add_consent_purpose (f->session, "newsletter", "Newsletter", &error);
  g_assert_no_error (error);
  tesoro_session_record_consent (f->session, id, "marketing-email", TRUE, NULL, "web form", NULL, &error);
  g_assert_no_error (error);
  tesoro_session_record_consent (f->session, id, "newsletter", TRUE, NULL, "web form", NULL, &error);
  g_assert_no_error (error);

  /* An objection withdraws every marketing purpose. */
  verified_request (f->session, TESORO_REQUEST_OBJECTION, id, &request);
  tesoro_session_respond_to_request (f->session, request, NULL, &error);
  g_assert_no_error (error);
  tesoro_session_get_consent_state (f->session, id, "marketing-email", &state, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, TESORO_CONSENT_WITHDRAWN);
  tesoro_session_get_consent_state (f->session, id, "newsletter", &state, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, TESORO_CONSENT_WITHDRAWN);
  done = tesoro_session_get_request (f->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (done->status, ==, TESORO_REQUEST_DONE);
  g_assert_cmpstr (done->outcome, ==, "marketing-stopped");
  g_assert_nonnull (strstr (done->evidence, "\"consents_withdrawn\":2"));

  /* A restriction restricts, and only that contact. */
  verified_request (f->session, TESORO_REQUEST_RESTRICTION, id, &request);
  tesoro_session_respond_to_request (f->session, request, NULL, &error);
  g_assert_no_error (error);
  restricted = tesoro_session_get_contact (f->session, id, &error);
  g_assert_no_error (error);
  g_assert_true (tesoro_contact_get_restricted (restricted));
  g_clear_object (&restricted);
  restricted = tesoro_session_get_contact (f->session, tesoro_contact_get_id (other), &error);
  g_assert_no_error (error);
  g_assert_false (tesoro_contact_get_restricted (restricted));

  /* A closed request is not answered twice. */
  g_assert_false (tesoro_session_respond_to_request (f->session, request, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);

  /* A request about nobody needs "no data held" before it is answered. */
  {
    g_autoptr(TesoroRequest) nobody = add_request (f->session, TESORO_REQUEST_RESTRICTION, "2026-01-05", 0);

    tesoro_session_verify_request (f->session, nobody->id, "Signed letter", &error);
    g_assert_no_error (error);
    g_assert_false (tesoro_session_respond_to_request (f->session, nobody->id, NULL, &error));
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
    g_clear_error (&error);
    tesoro_session_link_request (f->session, nobody->id, NULL, 0, TRUE, &error);
    g_assert_no_error (error);
    tesoro_session_respond_to_request (f->session, nobody->id, NULL, &error);
    g_assert_no_error (error);
    g_clear_pointer (&done, tesoro_request_free);
    done = tesoro_session_get_request (f->session, nobody->id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (done->outcome, ==, "no-data-held");
  }
}

static void
test_rectification (TesoroTestFixture *f,
                    gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (f->session, "Sophie", "de Vris");
  g_autoptr(TesoroContact) edited = NULL;
  g_autoptr(TesoroContact) after = NULL;
  g_autoptr(TesoroRequest) done = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  gint64 request;

  verified_request (f->session, TESORO_REQUEST_RECTIFICATION, tesoro_contact_get_id (contact), &request);

  /* The one-click response of the other kinds does not apply. */
  g_assert_false (tesoro_session_respond_to_request (f->session, request, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);

  edited = tesoro_session_get_contact (f->session, tesoro_contact_get_id (contact), &error);
  g_assert_no_error (error);
  tesoro_contact_set_family_name (edited, "de Vries");
  tesoro_contact_add_email (edited, "home", "sophie@thuis.example", TRUE);
  tesoro_session_respond_rectification (f->session, request, edited, &error);
  g_assert_no_error (error);

  after = tesoro_session_get_contact (f->session, tesoro_contact_get_id (contact), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_family_name (after), ==, "de Vries");

  done = tesoro_session_get_request (f->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (done->status, ==, TESORO_REQUEST_DONE);
  g_assert_cmpstr (done->outcome, ==, "rectified");
  /* Field names, not values. */
  g_assert_nonnull (strstr (done->evidence, "\"family_name\""));
  g_assert_nonnull (strstr (done->evidence, "\"emails\""));
  g_assert_null (strstr (done->evidence, "given_name"));
  g_assert_null (strstr (done->evidence, "Vries"));
  g_assert_null (strstr (done->evidence, "thuis"));

  audit = tesoro_session_list_audit (f->session, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    g_assert_null (strstr (tesoro_audit_entry_get_details (audit->pdata[i]), "thuis"));
}

/* Only Administrator and Privacy Officer see requests. */
static void
test_roles (TesoroTestFixture *f,
            gconstpointer      data)
{
  static const struct
  {
    const char *login;
    const char *role;
    gboolean    allowed;
  } users[] = {
    { "pim", TESORO_ROLE_PRIVACY_OFFICER, TRUE },
    { "sanne", TESORO_ROLE_SALES, FALSE },
    { "lezer", TESORO_ROLE_READ_ONLY, FALSE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRequest) request = add_request (f->session, TESORO_REQUEST_ACCESS, "2026-01-05", 0);

  tesoro_session_set_password (f->session, tesoro_session_get_actor (f->session), "Beheerder-wachtwoord-9", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      tesoro_session_add_user (f->session, users[i].login, NULL, users[i].role, "Een-lang-wachtwoord-1", &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(TesoroSession) session = tesoro_test_open_session (f->path);
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(TesoroRequest) one = NULL;
      g_autoptr(TesoroRequest) added = NULL;
      TesoroRequestDraft draft = { TESORO_REQUEST_ERASURE, "2026-01-05", NULL, "Iemand", NULL, NULL, NULL, 0 };

      tesoro_session_sign_in (session, users[i].login, "Een-lang-wachtwoord-1", &error);
      g_assert_no_error (error);

      list = tesoro_session_list_requests (session, FALSE, NULL, &error);
      if (!users[i].allowed)
        {
          g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
          g_clear_error (&error);
        }
      one = tesoro_session_get_request (session, request->id, &error);
      if (users[i].allowed)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (list->len, ==, 1);
          g_assert_nonnull (one);
        }
      else
        {
          g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
          g_assert_null (list);
          g_assert_null (one);
          g_clear_error (&error);
          g_assert_cmpuint (tesoro_session_count_requests_due (session, 7, NULL, &error), ==, 0);
          g_assert_no_error (error);
          added = tesoro_session_add_request (session, &draft, &error);
          g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
          g_assert_null (added);
          g_clear_error (&error);
          g_assert_false (tesoro_session_close_request (session, request->id, NULL, &error));
          g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION);
          g_clear_error (&error);
        }
    }
}

/* How long closed requests are kept is a setting, audited like the others. */
static void
test_request_retention_setting (TesoroTestFixture *f,
                                gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expired = NULL;
  g_autoptr(TesoroRequest) request = add_request (f->session, TESORO_REQUEST_ACCESS, "2026-01-05", 0);
  g_autofree char *later = NULL;
  TesoroGdprSettings settings;

  tesoro_session_get_gdpr_settings (f->session, &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (settings.request_retention_years, ==, 3);

  settings.request_retention_years = 101;
  g_assert_false (tesoro_session_set_gdpr_settings (f->session, &settings, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  settings.request_retention_years = 6;
  tesoro_session_set_gdpr_settings (f->session, &settings, &error);
  g_assert_no_error (error);

  tesoro_session_close_request (f->session, request->id, NULL, &error);
  g_assert_no_error (error);

  /* Four years on it is kept; seven years on it goes. */
  later = tesoro_iso_ago (-(4 * 366), 0);
  g_setenv ("TESORO_NOW", later, TRUE);
  tesoro_session_expire_requests (f->session, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expired->len, ==, 0);
  g_clear_pointer (&expired, g_ptr_array_unref);
  g_free (later);
  g_unsetenv ("TESORO_NOW");
  later = tesoro_iso_ago (-(7 * 366), 0);
  g_setenv ("TESORO_NOW", later, TRUE);
  tesoro_session_expire_requests (f->session, &expired, &error);
  g_unsetenv ("TESORO_NOW");
  g_assert_no_error (error);
  g_assert_cmpuint (expired->len, ==, 1);
  g_assert_cmpstr (tesoro_erasure_receipt_get_contact_uid (expired->pdata[0]), ==, request->uid);
}

/* A database of Tesoro 0.1 takes requests once migrated. */
static void
test_migration (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *source = tesoro_test_data_file ("schema-v1.db");
  g_autoptr(GBytes) v1 = tesoro_test_read_file (source);
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(TesoroRequest) request = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  tesoro_test_write_file (path, g_bytes_get_data (v1, NULL), g_bytes_get_size (v1));
  g_assert_cmpint (tesoro_test_sql_int (path, "PRAGMA user_version"), ==, 1);
  session = tesoro_test_open_session (path);
  g_assert_cmpint (tesoro_test_sql_int (path, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM requests"), ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM breaches"), ==, 0);

  request = add_request (session, TESORO_REQUEST_PORTABILITY, "2026-01-05", 1);
  list = tesoro_session_list_requests (session, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (((TesoroRequest *) list->pdata[0])->contact_uids->len, ==, 1);

  g_clear_object (&session);
  tesoro_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/requests/deadline", test_deadline);
  g_test_add_func ("/requests/overdue-time-zone", test_overdue_time_zone);
  g_test_add ("/requests/lifecycle", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_lifecycle, tesoro_test_fixture_teardown);
  g_test_add ("/requests/restriction-objection", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_restriction_objection, tesoro_test_fixture_teardown);
  g_test_add ("/requests/rectification", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_rectification, tesoro_test_fixture_teardown);
  g_test_add ("/requests/roles", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_roles, tesoro_test_fixture_teardown);
  g_test_add ("/requests/retention-setting", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_request_retention_setting, tesoro_test_fixture_teardown);
  g_test_add_func ("/requests/migration-v1", test_migration);

  return g_test_run ();
}
