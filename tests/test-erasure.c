/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-erasure"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tesoro-db.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-import-run.h"
#include "tesoro-requests.h"
#include "tesoro-scrub-vfs.h"
#include "tesoro-test-utils.h"
#include "tesoro-utils.h"

/*
 * DESIGN.md rule 1, proved: a contact whose every field and every linked
 * record carries a unique marker — imported from a CSV file and filled by a
 * second import (whose Undo record keeps the old values), searched for,
 * edited several times (the marker in the old values too), exported — is
 * erased on a database with
 * 100,000 other contacts; then the raw bytes of the database, -wal and -shm
 * files hold no trace of the marker, search finds nothing, and
 * PRAGMA integrity_check is ok. For Delete Permanently, retention, Empty
 * Trash and a batch. Also when another SQLite program, reading all along,
 * checkpoints Tesoro's write-ahead log itself (the log's pages are scrubbed
 * too), and a purge that could not be done then is finished at the next
 * open or by `tesoro-cli purge`.
 *
 * TESORO_ERASURE_CONTACTS=N makes the database smaller for a quick run.
 */

#define DEFAULT_OTHER_CONTACTS 100000

static char *base_dir;
static char *base_path;
static guint n_others;

static void
ensure_base_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  const char *env = g_getenv ("TESORO_ERASURE_CONTACTS");

  if (base_path != NULL)
    return;

  n_others = DEFAULT_OTHER_CONTACTS;
  if (env != NULL && *env != '\0')
    {
      guint64 parsed = 0;

      if (!g_ascii_string_to_unsigned (env, 10, 1, 10000000, &parsed, NULL))
        g_error ("TESORO_ERASURE_CONTACTS=%s is not a number of contacts", env);
      n_others = (guint) parsed;
    }

  base_dir = tesoro_test_make_dir ();
  base_path = g_build_filename (base_dir, "base.db", NULL);
  session = tesoro_test_open_session (base_path);
  tesoro_session_generate_demo (session, n_others, 2024, NULL, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&session));

  g_test_message ("generated %u other contacts in %.1f s", n_others, g_timer_elapsed (timer, NULL));
}

typedef struct
{
  char        *dir;
  char        *path;
  TesoroSession *session;
  GPtrArray   *needles;   /* what must not survive, in every form it is stored in */
  GPtrArray   *uids;
} Scenario;

static void
scenario_setup (Scenario      *sc,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;

  ensure_base_database ();

  sc->dir = tesoro_test_make_dir ();
  sc->path = g_build_filename (sc->dir, "tesoro.db", NULL);
  from = g_file_new_for_path (base_path);
  to = g_file_new_for_path (sc->path);
  g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  sc->session = tesoro_test_open_session (sc->path);
  sc->needles = g_ptr_array_new_with_free_func (g_free);
  sc->uids = g_ptr_array_new_with_free_func (g_free);
}

static void
scenario_teardown (Scenario      *sc,
                   gconstpointer  data)
{
  if (sc->session != NULL)
    g_assert_finalize_object (g_steal_pointer (&sc->session));
  tesoro_test_remove_dir (sc->dir);
  g_free (sc->dir);
  g_free (sc->path);
  g_ptr_array_unref (sc->needles);
  g_ptr_array_unref (sc->uids);
  g_unsetenv ("TESORO_NOW");
}

/* Text with the marker in it, as every field gets. */
static char *
mark (const char *marker,
      const char *what,
      int         version)
{
  if (version > 0)
    return g_strdup_printf ("%s%sv%d", what, marker, version);
  return g_strdup_printf ("%s%s", what, marker);
}

static void
set_marked_fields (TesoroContact *contact,
                   const char    *m,
                   const char    *digits,
                   int            version)
{
  g_autofree char *given = mark (m, "Given", version);
  g_autofree char *family = mark (m, "Family", version);
  g_autofree char *display = mark (m, "Disp", version);
  g_autofree char *org = mark (m, "Org", version);
  g_autofree char *job = mark (m, "Job", version);
  GPtrArray *array;

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  tesoro_contact_set_display_name (contact, display);
  tesoro_contact_set_organization (contact, org);
  tesoro_contact_set_job_title (contact, job);

  g_ptr_array_set_size (tesoro_contact_get_emails (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_phones (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_addresses (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_custom_values (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_tags (contact), 0);

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *label = g_strdup_printf ("lab%s%d", m, i);
      g_autofree char *email = g_strdup_printf ("mail%d.%sv%d@example.org", i, m, version);

      tesoro_contact_add_email (contact, label, email, i == 0);
    }
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *label = g_strdup_printf ("ph%s%d", m, i);
      g_autofree char *phone = g_strdup_printf ("+31 6 %s%d%d %s", digits, version, i, m);

      tesoro_contact_add_phone (contact, label, phone, i == 0);
    }

  array = tesoro_contact_get_addresses (contact);
  for (int i = 0; i < 2; i++)
    {
      TesoroAddress *a = tesoro_address_new ();

      a->label = g_strdup_printf ("adr%s%d", m, i);
      a->street = g_strdup_printf ("Street%sv%d %d", m, version, i);
      a->postal_code = g_strdup_printf ("PC%s%d", m, i);
      a->city = g_strdup_printf ("City%sv%d", m, version);
      a->region = g_strdup_printf ("Region%s", m);
      a->country = g_strdup_printf ("Cty%s", m);
      g_ptr_array_add (array, a);
    }

  for (int i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("Field%s%d", m, i);
      g_autofree char *value = g_strdup_printf ("Value%sv%d", m, version);

      tesoro_contact_set_custom_value (contact, name, value);
      g_ptr_array_add (tesoro_contact_get_tags (contact), g_strdup_printf ("tag%s%dv%d", m, i, version));
    }
}

/* A note longer than a page: its bytes live in overflow pages. */
static char *
long_text (const char *m)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; text->len < 20000; i++)
    g_string_append_printf (text, "Paragraph %d about %s, which goes on for a while. ", i, m);
  return g_string_free (text, FALSE);
}

static TesoroContact *
marked_contact (const char *m,
                const char *digits)
{
  TesoroContact *contact = tesoro_contact_new ();

  set_marked_fields (contact, m, digits, 0);
  tesoro_contact_set_birthday (contact, "1980-01-02");
  tesoro_contact_set_lawful_basis (contact, "consent");

  for (int i = 0; i < 3; i++)
    {
      TesoroNote *n = tesoro_note_new ();
      TesoroMessage *msg = tesoro_message_new ();
      TesoroTask *t = tesoro_task_new ();
      TesoroActivity *a = tesoro_activity_new ();

      n->body = i == 0 ? long_text (m) : g_strdup_printf ("Note %d about %s", i, m);
      g_ptr_array_add (tesoro_contact_get_notes (contact), n);

      msg->direction = g_strdup (i % 2 ? "in" : "out");
      msg->address = g_strdup_printf ("msg%d.%s@example.org", i, m);
      msg->subject = g_strdup_printf ("Subject %s %d", m, i);
      msg->body = g_strdup_printf ("Body of message %d for %s", i, m);
      g_ptr_array_add (tesoro_contact_get_messages (contact), msg);

      t->title = g_strdup_printf ("Task %s %d", m, i);
      t->due = g_strdup ("2030-01-01");
      g_ptr_array_add (tesoro_contact_get_tasks (contact), t);

      a->kind = g_strdup_printf ("kind%s", m);
      a->summary = g_strdup_printf ("Summary %s %d", m, i);
      g_ptr_array_add (tesoro_contact_get_activities (contact), a);
    }

  for (int i = 0; i < 2; i++)
    {
      TesoroConsentEvent *c = tesoro_consent_event_new ();

      c->purpose = g_strdup ("marketing-email");
      c->granted = i == 0;
      c->at = g_strdup_printf ("2014-0%d-01T00:00:00Z", i + 1);
      c->source = g_strdup_printf ("Source %s", m);
      c->evidence = g_strdup_printf ("Evidence %s", m);
      g_ptr_array_add (tesoro_contact_get_consent (contact), c);
    }

  return contact;
}

static guint
count_search (TesoroSession *session,
              const char  *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = tesoro_session_search_ids (session, query, FALSE, &error);
  g_autoptr(GArray) trashed = tesoro_session_search_ids (session, query, TRUE, &error);

  g_assert_no_error (error);
  return ids->len + trashed->len;
}

static const char *
find_bytes (const char *haystack,
            gsize       length,
            const char *needle,
            gsize       needle_length)
{
  const char *end = haystack + length;

  for (const char *p = haystack; (gsize) (end - p) >= needle_length; p++)
    {
      p = memchr (p, needle[0], end - p);
      if (p == NULL || (gsize) (end - p) < needle_length)
        return NULL;
      if (memcmp (p, needle, needle_length) == 0)
        return p;
    }
  return NULL;
}

static guint
count_occurrences (const char *path,
                   const char *needle)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *data, *end;
  gsize length;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;

  bytes = tesoro_test_read_file (path);
  data = g_bytes_get_data (bytes, &length);
  end = data + length;
  for (const char *p = data; p < end && (p = find_bytes (p, end - p, needle, strlen (needle))) != NULL; p++)
    n++;

  return n;
}

/* The marked contact comes from an import, and a second import fills its
 * empty fields: the import batch then holds its values from before (for
 * Undo Import), which must go with it. */
static gint64
import_marked_contact (Scenario   *sc,
                       const char *m,
                       const char *digits)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = g_build_filename (sc->dir, "people.csv", NULL);
  g_autofree char *second = g_build_filename (sc->dir, "more.csv", NULL);
  g_autofree char *first_csv = g_strdup_printf ("First Name,Last Name,E-mail,Company\n"
                                                "Given%sImp,Family%sImp,imported.%s@example.org,Org%sImp\n",
                                                m, m, m, m);
  g_autofree char *second_csv = g_strdup_printf ("E-mail,Job Title,Mobile Phone,Notes,Tags,Extra\n"
                                                 "imported.%s@example.org,Job%sImp,+31 6 12121212,Imported note %s,"
                                                 "imptag%s,Imported value %s\n",
                                                 m, m, m, m, m);
  g_autoptr(TesoroImportSession) import = NULL;
  TesoroImportResult result;

  tesoro_test_write_file (first, first_csv, -1);
  tesoro_test_write_file (second, second_csv, -1);

  import = tesoro_import_session_new (first);
  tesoro_import_session_prepare (import, sc->session, NULL, &error);
  g_assert_no_error (error);
  tesoro_import_session_run (import, sc->session, NULL, NULL, NULL, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.created, ==, 1);
  g_clear_object (&import);

  import = tesoro_import_session_new (second);
  tesoro_import_session_prepare (import, sc->session, NULL, &error);
  g_assert_no_error (error);
  /* The unknown last column becomes a custom field with the marker in its
   * name; the import remembers that mapping in the settings. */
  {
    g_autofree char *spec = g_strdup_printf ("custom/Klant%s", m);

    tesoro_import_mapping_set_spec (tesoro_import_session_get_mapping (import), 5, spec, &error);
    g_assert_no_error (error);
  }
  tesoro_import_session_set_existing (import, TESORO_IMPORT_EXISTING_UPDATE);
  tesoro_import_session_run (import, sc->session, NULL, NULL, NULL, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.updated, ==, 1);

  /* The remembered mapping names the field. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM settings WHERE key LIKE 'import-mapping:%%'"
                                            " AND value LIKE '%%Klant%s%%'", m);
    g_assert_cmpint (tesoro_test_sql_int (sc->path, sql), ==, 1);
  }

  /* The batch's record of the update holds the marker. */
  {
    g_auto(GStrv) previous = tesoro_test_sql_strings (sc->path,
                                                      "SELECT previous FROM import_items WHERE action = 'updated'"
                                                      " ORDER BY batch_id DESC LIMIT 1");
    g_assert_nonnull (previous[0]);
    g_assert_nonnull (strstr (previous[0], m));
  }

  {
    g_autofree char *lower = g_ascii_strdown (m, -1);
    g_autofree char *query = g_strdup_printf ("imported.%s@example.org", lower);
    g_autoptr(GArray) ids = tesoro_session_search_ids (sc->session, query, FALSE, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, 1);
    return g_array_index (ids, gint64, 0);
  }
}

/*
 * Adds a marked contact and lives a life with it: searched for, edited four
 * times, history added through every function of the session, consent
 * granted and withdrawn, restricted and put on hold and back, exported.
 */
static gint64
add_marked_contact (Scenario   *sc,
                    const char *m,
                    const char *digits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = marked_contact (m, digits);
  g_autofree char *lower = g_ascii_strdown (m, -1);
  g_autofree char *query = g_strdup_printf ("given%s", lower);
  g_autofree char *csv = g_build_filename (sc->dir, "export.csv", NULL);
  g_autofree char *json = g_build_filename (sc->dir, "export.json", NULL);
  g_autofree char *hold = g_strdup_printf ("Hold reason %s", m);
  g_autofree char *long_note = long_text (m);
  g_autofree char *phone_query = g_strdup_printf ("+31 6 %s", digits);
  TesoroMessage message = { 0, (char *) "in", NULL, NULL, NULL, NULL, NULL };
  gint64 id, task;

  /* Imported, and filled by a second import; then given every field and
   * the history of the marked contact. */
  id = import_marked_contact (sc, m, digits);
  {
    g_autoptr(TesoroContact) imported = tesoro_session_get_contact (sc->session, id, &error);
    GPtrArray *array;

    g_assert_no_error (error);
    tesoro_contact_set_id (contact, id);
    tesoro_contact_set_uid (contact, tesoro_contact_get_uid (imported));
    tesoro_session_update_contact (sc->session, contact, &error);
    g_assert_no_error (error);

    array = tesoro_contact_get_notes (contact);
    for (guint i = 0; i < array->len; i++)
      {
        tesoro_session_add_note (sc->session, id, ((TesoroNote *) array->pdata[i])->body, &error);
        g_assert_no_error (error);
      }
    array = tesoro_contact_get_messages (contact);
    for (guint i = 0; i < array->len; i++)
      {
        tesoro_session_add_message (sc->session, id, array->pdata[i], &error);
        g_assert_no_error (error);
      }
    array = tesoro_contact_get_tasks (contact);
    for (guint i = 0; i < array->len; i++)
      {
        TesoroTask *t = array->pdata[i];

        tesoro_session_add_task (sc->session, id, t->title, t->due, &error);
        g_assert_no_error (error);
      }
    array = tesoro_contact_get_activities (contact);
    for (guint i = 0; i < array->len; i++)
      {
        TesoroActivity *a = array->pdata[i];

        tesoro_session_add_activity (sc->session, id, a->kind, a->summary, a->at, &error);
        g_assert_no_error (error);
      }
    array = tesoro_contact_get_consent (contact);
    for (guint i = 0; i < array->len; i++)
      {
        TesoroConsentEvent *c = array->pdata[i];

        tesoro_session_record_consent (sc->session, id, c->purpose, c->granted, c->at, c->source, c->evidence, &error);
        g_assert_no_error (error);
      }
  }
  g_ptr_array_add (sc->uids, g_strdup (tesoro_contact_get_uid (contact)));

  g_ptr_array_add (sc->needles, g_strdup (m));
  g_ptr_array_add (sc->needles, g_steal_pointer (&lower));
  g_ptr_array_add (sc->needles, g_strdup (digits));

  /* Searched for, by name and by phone number. */
  g_assert_cmpuint (count_search (sc->session, query), ==, 1);
  g_assert_cmpuint (count_search (sc->session, phone_query), ==, 1);

  /* Edited several times: every version holds the marker. */
  for (int version = 1; version <= 4; version++)
    {
      g_autoptr(TesoroContact) stored = tesoro_session_get_contact (sc->session, id, &error);

      g_assert_no_error (error);
      set_marked_fields (stored, m, digits, version);
      tesoro_session_update_contact (sc->session, stored, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (count_search (sc->session, query), ==, 1);
    }

  /* History through the session's own functions. */
  {
    g_autofree char *note = g_strdup_printf ("Later note on %s", m);
    g_autofree char *address = g_strdup_printf ("later.%s@example.org", m);
    g_autofree char *subject = g_strdup_printf ("Later subject %s", m);
    g_autofree char *body = g_strdup_printf ("Later body %s", m);
    g_autofree char *title = g_strdup_printf ("Later task %s", m);
    g_autofree char *summary = g_strdup_printf ("Later call with %s", m);
    g_autofree char *source = g_strdup_printf ("Later source %s", m);
    g_autofree char *evidence = g_strdup_printf ("Later evidence %s", m);

    tesoro_session_add_note (sc->session, id, note, &error);
    g_assert_no_error (error);
    tesoro_session_add_note (sc->session, id, long_note, &error);
    g_assert_no_error (error);
    message.address = address;
    message.subject = subject;
    message.body = body;
    tesoro_session_add_message (sc->session, id, &message, &error);
    g_assert_no_error (error);
    task = tesoro_session_add_task (sc->session, id, title, "2031-01-01", &error);
    g_assert_no_error (error);
    tesoro_session_set_task_done (sc->session, task, TRUE, &error);
    g_assert_no_error (error);
    tesoro_session_add_activity (sc->session, id, "call", summary, NULL, &error);
    g_assert_no_error (error);
    tesoro_session_record_consent (sc->session, id, "marketing-email", TRUE, NULL, source, evidence, &error);
    g_assert_no_error (error);
    tesoro_session_record_consent (sc->session, id, "marketing-email", FALSE, NULL, source, evidence, &error);
    g_assert_no_error (error);
  }

  tesoro_session_set_legal_hold (sc->session, id, TRUE, hold, &error);
  g_assert_no_error (error);
  tesoro_session_set_legal_hold (sc->session, id, FALSE, NULL, &error);
  g_assert_no_error (error);
  tesoro_session_set_restricted (sc->session, id, TRUE, &error);
  g_assert_no_error (error);

  /* Exported, both ways (the files are the user's, outside the database). */
  tesoro_session_export_data (sc->session, id, TESORO_EXPORT_FORMAT_CSV, csv, &error);
  g_assert_no_error (error);
  tesoro_session_export_data (sc->session, id, TESORO_EXPORT_FORMAT_JSON, json, &error);
  g_assert_no_error (error);

  tesoro_session_set_restricted (sc->session, id, FALSE, &error);
  g_assert_no_error (error);

  /* The marker is really in the file before the erasure. */
  tesoro_session_purge_files (sc->session, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) bytes = tesoro_test_read_file (sc->path);
    g_assert_nonnull (find_bytes (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), m, strlen (m)));
  }

  return id;
}

static void
assert_no_trace (Scenario   *sc,
                 const char *when)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
    {
      g_autofree char *path = g_strconcat (sc->path, suffixes[s], NULL);

      for (guint i = 0; i < sc->needles->len; i++)
        {
          guint n = count_occurrences (path, sc->needles->pdata[i]);

          if (n > 0)
            g_error ("%s: “%s” occurs %u times in %s", when, (char *) sc->needles->pdata[i], n, path);
        }
    }
}

static void
assert_erased (Scenario  *sc,
               GPtrArray *receipts,
               guint      n_remaining)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) integrity = NULL;

  /* Every marked contact has a receipt that says it is purged. */
  for (guint u = 0; u < sc->uids->len; u++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < receipts->len; i++)
        {
          TesoroErasureReceipt *r = receipts->pdata[i];

          g_assert_true (tesoro_erasure_receipt_get_index_purged (r));
          g_assert_true (tesoro_erasure_receipt_get_files_purged (r));
          if (g_str_equal (tesoro_erasure_receipt_get_contact_uid (r), sc->uids->pdata[u]))
            found = TRUE;
        }
      g_assert_true (found);

      /* The contact was shown while it was edited: the views of it stay in
       * the accountability log, by uid alone (the scan below finds no
       * marker in them). */
      {
        g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE action = 'view'"
                                                " AND contact_uid = '%s'", (char *) sc->uids->pdata[u]);
        g_assert_cmpint (tesoro_test_sql_int (sc->path, sql), >=, 1);
      }
    }

  /* Search finds nothing. */
  for (guint i = 0; i < sc->needles->len; i++)
    g_assert_cmpuint (count_search (sc->session, sc->needles->pdata[i]), ==, 0);
  for (guint i = 0; i < sc->needles->len; i += 3)
    {
      g_autofree char *lower = g_ascii_strdown (sc->needles->pdata[i], -1);
      g_autofree char *query = g_strdup_printf ("given%s", lower);
      g_autofree char *phone_query = g_strdup_printf ("+31 6 %s", (char *) sc->needles->pdata[i + 2]);

      g_assert_cmpuint (count_search (sc->session, query), ==, 0);
      g_assert_cmpuint (count_search (sc->session, phone_query), ==, 0);
    }

  /* No trace in the files, right after the erasure... */
  assert_no_trace (sc, "after erasure");

  /* ...nor once Tesoro has closed. */
  g_assert_finalize_object (g_steal_pointer (&sc->session));
  assert_no_trace (sc, "after closing");

  integrity = tesoro_test_sql_strings (sc->path, "PRAGMA integrity_check");
  g_assert_cmpstrv ((const char * const *) integrity, ((const char * const[]) { "ok", NULL }));
  g_assert_cmpint (tesoro_test_sql_int (sc->path, "PRAGMA foreign_key_check"), ==, 0);

  sc->session = tesoro_test_open_session (sc->path);
  g_assert_cmpint (tesoro_session_count_contacts (sc->session, FALSE, &error) +
                   tesoro_session_count_contacts (sc->session, TRUE, &error), ==, n_remaining);
  g_assert_no_error (error);
  {
    gint64 n = 0;
    tesoro_session_verify_audit (sc->session, NULL, &n, NULL, NULL, &error);
    g_assert_no_error (error);
  }
}

static void
test_erase_manual (Scenario      *sc,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroErasureReceipt) receipt = NULL;
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GTimer) timer = NULL;
  gint64 id = add_marked_contact (sc, "QZXMANUALQZX", "88776655440011");

  timer = g_timer_new ();
  tesoro_session_erase_contact (sc->session, id, "Art. 17 request", TESORO_ERASURE_MANUAL, &receipt, &error);
  g_assert_no_error (error);
  g_test_message ("Delete Permanently took %.0f ms", g_timer_elapsed (timer, NULL) * 1000);

  g_ptr_array_add (receipts, g_object_ref (receipt));
  assert_erased (sc, receipts, n_others);
}

static void
test_erase_retention (Scenario      *sc,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) candidates = NULL;

  /* The marked contact lived its life ten years ago... */
  g_setenv ("TESORO_NOW", "2015-06-01T09:00:00Z", TRUE);
  add_marked_contact (sc, "QZXRETAINQZX", "88776655440022");
  g_unsetenv ("TESORO_NOW");

  /* ...so a retention of eight years takes it, and none of the others
   * (whose history is at most six years old). */
  candidates = tesoro_session_find_retention_candidates (sc->session, 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 1);

  tesoro_session_apply_retention (sc->session, 8, NULL, NULL, NULL, &receipts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, 1);
  g_assert_cmpstr (tesoro_erasure_receipt_get_method (receipts->pdata[0]), ==, "retention");

  assert_erased (sc, receipts, n_others);
}

static void
test_erase_empty_trash (Scenario      *sc,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  gint64 id = add_marked_contact (sc, "QZXTRASHQZX", "88776655440033");

  tesoro_session_trash_contact (sc->session, id, &error);
  g_assert_no_error (error);
  for (gint64 other = 1; other <= 10; other++)
    {
      tesoro_session_trash_contact (sc->session, other * 7, &error);
      g_assert_no_error (error);
    }

  tesoro_session_empty_trash (sc->session, NULL, NULL, NULL, &receipts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, 11);
  for (guint i = 0; i < receipts->len; i++)
    g_assert_cmpstr (tesoro_erasure_receipt_get_method (receipts->pdata[i]), ==, "trash");

  assert_erased (sc, receipts, n_others - 10);
}

/* An erasure request answered with one click: the contact goes like any
 * erased contact, and so does what the request itself said of the person
 * (who asked, how they proved it, the notes); the request keeps the
 * receipt. A closed request is personal data too: after its retention
 * period it is erased, with a receipt of its own. */
static void
test_erase_request (Scenario      *sc,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRequest) request = NULL;
  g_autoptr(TesoroRequest) answered = NULL;
  g_autoptr(TesoroRequest) access = NULL;
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expired = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *later = NULL;
  TesoroRequestDraft draft = { 0 };
  JsonArray *evidence;
  gint64 id = add_marked_contact (sc, "QZXREQUESTQZX", "88776655440055");

  draft.kind = TESORO_REQUEST_ERASURE;
  draft.received_on = "2026-01-05";
  draft.channel = "e-mail";
  draft.requester = "GivenQZXREQUESTQZX FamilyQZXREQUESTQZX <mail0.QZXREQUESTQZXv4@example.org>";
  draft.notes = "Asked by phone too, from +31 6 88776655440055";
  draft.contact_ids = &id;
  draft.n_contact_ids = 1;
  request = tesoro_session_add_request (sc->session, &draft, &error);
  g_assert_no_error (error);
  tesoro_session_verify_request (sc->session, request->id, "Replied from mail0.QZXREQUESTQZXv4@example.org", &error);
  g_assert_no_error (error);

  tesoro_session_respond_to_request (sc->session, request->id, NULL, &error);
  g_assert_no_error (error);

  answered = tesoro_session_get_request (sc->session, request->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (answered->status, ==, TESORO_REQUEST_DONE);
  g_assert_cmpstr (answered->outcome, ==, "erased");
  g_assert_cmpstr (answered->requester, ==, "");
  g_assert_cmpstr (answered->identity_method, ==, "");
  g_assert_cmpstr (answered->notes, ==, "");
  g_assert_nonnull (answered->scrubbed_at);
  g_assert_true (answered->identity_verified);
  g_assert_cmpuint (answered->contact_uids->len, ==, 1);
  g_assert_cmpstr (answered->contact_uids->pdata[0], ==, sc->uids->pdata[0]);

  /* The request keeps the receipt. */
  json_parser_load_from_data (parser, answered->evidence, -1, &error);
  g_assert_no_error (error);
  evidence = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "receipts");
  g_assert_cmpuint (json_array_get_length (evidence), ==, 1);
  g_ptr_array_add (receipts, tesoro_session_get_erasure_receipt (sc->session, json_array_get_int_element (evidence, 0),
                                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_erasure_receipt_get_method (receipts->pdata[0]), ==, "request");

  assert_erased (sc, receipts, n_others);

  /* An access request about another person, closed; three years on (the
   * default request retention) it goes, with a receipt that names it by
   * its uid alone. */
  g_ptr_array_add (sc->needles, g_strdup ("QZXASKERQZX"));
  draft.kind = TESORO_REQUEST_ACCESS;
  draft.requester = "Piet QZXASKERQZX";
  draft.notes = "QZXASKERQZX called twice";
  draft.contact_ids = NULL;
  draft.n_contact_ids = 0;
  access = tesoro_session_add_request (sc->session, &draft, &error);
  g_assert_no_error (error);
  tesoro_session_close_request (sc->session, access->id, "No data held and the requester was told so", &error);
  g_assert_no_error (error);

  tesoro_session_expire_requests (sc->session, &expired, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expired->len, ==, 0);

  later = tesoro_iso_ago (-(3 * 366 + 1), 0);
  g_setenv ("TESORO_NOW", later, TRUE);
  g_clear_pointer (&expired, g_ptr_array_unref);
  tesoro_session_run_housekeeping (sc->session, NULL, &expired, &error);
  g_assert_no_error (error);
  g_unsetenv ("TESORO_NOW");

  /* The housekeeping erased the closed requests: both are gone now. */
  g_assert_cmpuint (expired->len, ==, 2);
  for (guint i = 0; i < expired->len; i++)
    {
      TesoroErasureReceipt *r = expired->pdata[i];

      g_assert_cmpstr (tesoro_erasure_receipt_get_method (r), ==, "request-retention");
      g_assert_true (tesoro_erasure_receipt_get_files_purged (r));
      g_assert_true (g_str_equal (tesoro_erasure_receipt_get_contact_uid (r), access->uid) ||
                     g_str_equal (tesoro_erasure_receipt_get_contact_uid (r), request->uid));
    }
  g_assert_null (tesoro_session_get_request (sc->session, access->id, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assert_no_trace (sc, "after request retention");
  g_assert_finalize_object (g_steal_pointer (&sc->session));
  assert_no_trace (sc, "after closing");
  sc->session = tesoro_test_open_session (sc->path);
}

static void
count_progress_cb (guint    done,
                   guint    total,
                   gpointer user_data)
{
  guint *calls = user_data;

  (*calls)++;
  g_assert_cmpuint (done, ==, *calls);
}

static void
test_erase_batch (Scenario      *sc,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TesoroSession) window = NULL;
  gint64 id;
  guint calls = 0;

  id = add_marked_contact (sc, "QZXBATCHONEQZX", "88776655440044");
  g_array_append_val (ids, id);
  id = add_marked_contact (sc, "QZXBATCHTWOQZX", "88776655440055");
  g_array_append_val (ids, id);
  for (gint64 other = 1; other <= 50; other++)
    {
      id = other * 13;
      g_array_append_val (ids, id);
    }

  /* As in the application: the window's connection stays open while a
   * worker thread's session erases. */
  window = tesoro_test_open_session (sc->path);
  g_assert_cmpuint (count_search (window, "givenqzxbatchone"), ==, 1);

  tesoro_session_erase_contacts (sc->session, (gint64 *) ids->data, ids->len, "Clean-up of old leads",
                                 TESORO_ERASURE_BATCH, NULL, count_progress_cb, &calls, &receipts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, ids->len);
  g_assert_cmpuint (calls, ==, ids->len);

  g_assert_cmpuint (count_search (window, "givenqzxbatchone"), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&window));

  assert_erased (sc, receipts, n_others - 50);
}

/* The root cause, isolated: B-tree churn leaves stale copies of deleted
 * rows in the unused space of pages, which secure_delete does not reach;
 * Tesoro's connection (the scrubbing VFS) does not. */

/* The wal-index header in -shm (the machine's byte order) holds the
 * checksum of the last frame, which the next writer — perhaps another
 * program — chains on from: it must be the one in the log. */
static void
assert_index_header_chains (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GBytes) wal_bytes = tesoro_test_read_file (wal);
  g_autoptr(GBytes) shm_bytes = tesoro_test_read_file (shm);
  const guint8 *log = g_bytes_get_data (wal_bytes, NULL);
  const guint8 *index = g_bytes_get_data (shm_bytes, NULL);
  guint32 max_frame, page_size, sums[2];
  gsize at;

  g_assert_cmpuint (g_bytes_get_size (shm_bytes), >=, 48);
  memcpy (&max_frame, index + 16, 4);
  memcpy (sums, index + 24, 8);
  g_assert_cmpuint (max_frame, >, 0);
  page_size = GUINT32_FROM_BE (*(const guint32 *) (log + 8));
  at = 32 + (gsize) (max_frame - 1) * (24 + page_size);
  g_assert_cmpuint (g_bytes_get_size (wal_bytes), >=, at + 24);
  g_assert_cmpuint (GUINT32_FROM_BE (*(const guint32 *) (log + at + 16)), ==, sums[0]);
  g_assert_cmpuint (GUINT32_FROM_BE (*(const guint32 *) (log + at + 20)), ==, sums[1]);
}

/* A copy of @path and its -wal, as a crash would leave them (no -shm):
 * opening it makes SQLite recover the log, frame by frame, checking every
 * frame's checksum. Returns the rows of c in it. */
static gint64
recovered_rows (const char *path)
{
  g_autofree char *copy = g_strconcat (path, ".crash", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GBytes) db_bytes = tesoro_test_read_file (path);
  g_autoptr(GBytes) wal_bytes = tesoro_test_read_file (wal);
  gint64 rows;

  g_assert_true (g_file_set_contents (copy, g_bytes_get_data (db_bytes, NULL), g_bytes_get_size (db_bytes), NULL));
  g_assert_true (g_file_set_contents (copy_wal, g_bytes_get_data (wal_bytes, NULL), g_bytes_get_size (wal_bytes), NULL));
  rows = tesoro_test_sql_int (copy, "SELECT count(*) FROM c");
  g_remove (copy);
  g_remove (copy_wal);
  return rows;
}

/* @foreign: another SQLite program (a plain connection, without Tesoro's
 * file layer) reads all along, so that nothing is checkpointed until it
 * checkpoints the log itself at the end; before that, it writes a row of
 * its own after Tesoro's, and a copy as a crash would leave it must
 * recover every committed row (the log's checksums hold). */
static guint
churn (const char *path,
       gboolean    through_tesoro,
       gboolean    foreign)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GError) error = NULL;
  TesoroDb *db = NULL;
  sqlite3 *handle = NULL;
  sqlite3 *other = NULL;
  sqlite3_stmt *insert, *update, *delete;
  guint hits;

  if (through_tesoro)
    {
      db = tesoro_db_open (path, TESORO_DB_OPEN_CREATE, &error);
      g_assert_no_error (error);
      tesoro_db_enable_wal (db, &error);
      g_assert_no_error (error);
      handle = tesoro_db_get_handle (db);
    }
  else
    {
      g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
      sqlite3_exec (handle, "PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    }

  g_assert_cmpint (sqlite3_exec (handle, "CREATE TABLE c (id INTEGER PRIMARY KEY, name TEXT, email TEXT);"
                                         "CREATE INDEX c_email ON c (email);", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (handle, "INSERT INTO c (name, email) VALUES (?1, ?1 || '@example.org')", -1, &insert, NULL);
  sqlite3_prepare_v2 (handle, "UPDATE c SET email = ?1 WHERE id = (SELECT id FROM c WHERE email >= ?2"
                              " ORDER BY email LIMIT 1)", -1, &update, NULL);
  sqlite3_prepare_v2 (handle, "DELETE FROM c WHERE id = (SELECT id FROM c WHERE email >= ?1 ORDER BY email LIMIT 1)",
                      -1, &delete, NULL);

  if (foreign)
    {
      g_assert_cmpint (sqlite3_open_v2 (path, &other, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (other, "BEGIN; SELECT count(*) FROM c;", NULL, NULL, NULL), ==, SQLITE_OK);
    }

  for (int round = 0; round < 30; round++)
    {
      sqlite3_exec (handle, "BEGIN", NULL, NULL, NULL);
      for (int i = 0; i < 3000; i++)
        {
          gboolean marked = g_rand_double (rand) < 0.05;
          double what = g_rand_double (rand);
          GString *word = g_string_new (NULL);

          for (int n = g_rand_int_range (rand, 5, 30); n > 0; n--)
            g_string_append_c (word, 'a' + g_rand_int_range (rand, 0, 26));
          if (marked)
            g_string_append (word, "QZXCHURNQZX");

          if (what < 0.55)
            {
              sqlite3_bind_text (insert, 1, word->str, -1, SQLITE_TRANSIENT);
              sqlite3_step (insert);
              sqlite3_reset (insert);
            }
          else if (what < 0.75)
            {
              sqlite3_bind_text (update, 1, word->str, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (update, 2, word->str + 3, -1, SQLITE_TRANSIENT);
              sqlite3_step (update);
              sqlite3_reset (update);
            }
          else
            {
              sqlite3_bind_text (delete, 1, word->str + 2, -1, SQLITE_TRANSIENT);
              sqlite3_step (delete);
              sqlite3_reset (delete);
            }
          g_string_free (word, TRUE);
        }
      sqlite3_exec (handle, "COMMIT", NULL, NULL, NULL);
    }

  g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM c WHERE name LIKE '%QZXCHURNQZX%' OR email LIKE '%QZXCHURNQZX%'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  if (!foreign)
    g_assert_cmpint (sqlite3_exec (handle, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_finalize (insert);
  sqlite3_finalize (update);
  sqlite3_finalize (delete);

  if (foreign)
    {
      gint64 rows;

      /* A small write transaction at the end, that SQLite does not spill. */
      g_assert_cmpint (sqlite3_exec (handle, "UPDATE c SET name = name || 'x' WHERE id % 97 = 0", NULL, NULL, NULL),
                       ==, SQLITE_OK);
      assert_index_header_chains (path);
      rows = tesoro_test_sql_int (path, "SELECT count(*) FROM c");

      g_assert_cmpint (recovered_rows (path), ==, rows);
      g_assert_cmpint (sqlite3_exec (other, "COMMIT; INSERT INTO c (name, email) VALUES ('other', 'other@example.org')",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (recovered_rows (path), ==, rows + 1);
    }

  if (db != NULL)
    tesoro_db_close (db);
  else
    sqlite3_close (handle);

  if (foreign)
    {
      g_assert_cmpint (sqlite3_wal_checkpoint_v2 (other, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_close (other), ==, SQLITE_OK);
    }

  hits = count_occurrences (path, "QZXCHURNQZX");
  {
    g_auto(GStrv) integrity = tesoro_test_sql_strings (path, "PRAGMA integrity_check");
    g_assert_cmpstrv ((const char * const *) integrity, ((const char * const[]) { "ok", NULL }));
  }

  return hits;
}

/* Data minimisation: `tesoro-cli fields off birthday --erase` (and a custom
 * field) removes every value of the field from the raw files, among a
 * database of other contacts. */
static void
test_erase_field_values (Scenario      *sc,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) integrity = NULL;

  /* Birthdays in years no other contact has (the sample data's are from
   * 1950 on), and custom values with a marker. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(TesoroContact) contact = tesoro_contact_new ();
      g_autofree char *given = g_strdup_printf ("Veld%u", i);
      char *birthday = g_strdup_printf ("19%02u-%02u-%02u", 1 + i / 12, 1 + i % 12, 1 + i % 28);
      char *secret = g_strdup_printf ("Geheimcode%04uXQ", i * 37 + 11);

      tesoro_contact_set_given_name (contact, given);
      tesoro_contact_set_birthday (contact, birthday);
      tesoro_contact_set_custom_value (contact, "Geheimcode", secret);
      g_assert_true (tesoro_session_add_contact (sc->session, contact, &error));
      g_assert_no_error (error);
      g_ptr_array_add (sc->needles, birthday);
      g_ptr_array_add (sc->needles, secret);
    }

  /* The values are really in the file before. */
  tesoro_session_purge_files (sc->session, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sc->needles->len; i++)
    g_assert_cmpuint (count_occurrences (sc->path, sc->needles->pdata[i]), >, 0);
  g_assert_finalize_object (g_steal_pointer (&sc->session));

  {
    g_autoptr(TesoroCliResult) birthdays = tesoro_test_cli (sc->path, NULL, "fields", "off", "birthday", "--erase",
                                                            "--yes", NULL);
    g_autoptr(TesoroCliResult) custom = tesoro_test_cli (sc->path, NULL, "fields", "off", "custom:Geheimcode",
                                                         "--erase", "--yes", NULL);

    g_assert_cmpint (birthdays->status, ==, 0);
    g_assert_cmpint (custom->status, ==, 0);
    g_assert_nonnull (strstr (custom->out, "Erased the values of 40 contacts"));
  }

  /* No trace in the database, its write-ahead log or its shared memory. */
  assert_no_trace (sc, "after erasing the field values");
  g_assert_cmpint (tesoro_test_sql_int (sc->path, "SELECT count(*) FROM contacts WHERE birthday IS NOT NULL"), ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (sc->path, "SELECT count(*) FROM contacts"), ==, n_others + 40);
  g_assert_cmpint (tesoro_test_sql_int (sc->path, "SELECT count(*) FROM audit_log WHERE action = 'field-erased'"), ==, 2);
  integrity = tesoro_test_sql_strings (sc->path, "PRAGMA integrity_check");
  g_assert_cmpstrv ((const char * const *) integrity, ((const char * const[]) { "ok", NULL }));
  assert_no_trace (sc, "after checking the database");

  sc->session = tesoro_test_open_session (sc->path);
}

/* Issue 14, point 1: an import remembers its mapping, custom field names
 * included; erasing the only contact that has the field forgets the
 * mappings that name it, while a field others still use keeps its
 * mapping. Through the CLI, as a user would do it. */
static void
test_erase_import_mapping (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "tesoro.db", NULL);
  g_autofree char *lone = g_build_filename (dir, "m.csv", NULL);
  g_autofree char *shared = g_build_filename (dir, "shared.csv", NULL);
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(TesoroCliResult) result = NULL;

  tesoro_test_write_file (lone, "given_name,email/work,custom/ZQXNAME\nA,a@x.nl,v\n", -1);
  tesoro_test_write_file (shared, "given_name,custom/Klantnummer\nB,1\nC,2\n", -1);

  result = tesoro_test_cli (path, NULL, "import", lone, NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_clear_pointer (&result, tesoro_cli_result_free);
  result = tesoro_test_cli (path, NULL, "import", shared, NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_clear_pointer (&result, tesoro_cli_result_free);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM settings WHERE key LIKE 'import-mapping:%'"), ==, 2);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM settings WHERE value LIKE '%ZQXNAME%'"), ==, 1);

  result = tesoro_test_cli (path, NULL, "delete", "1", "--permanent", "--yes", NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_clear_pointer (&result, tesoro_cli_result_free);

  /* The field went with the person, and so did the mapping that names it. */
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM custom_fields WHERE name = 'ZQXNAME'"), ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM settings WHERE value LIKE '%ZQXNAME%'"), ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM settings WHERE key LIKE 'import-mapping:%'"), ==, 1);
  for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[s], NULL);

      g_assert_cmpuint (count_occurrences (file, "ZQXNAME"), ==, 0);
    }

  /* Erasing one of two who share a field keeps it and its mapping. */
  result = tesoro_test_cli (path, NULL, "delete", "2", "--permanent", "--yes", NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_clear_pointer (&result, tesoro_cli_result_free);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM settings WHERE value LIKE '%Klantnummer%'"), ==, 1);

  tesoro_test_remove_dir (dir);
}

static void
test_btree_churn (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *plain = g_build_filename (dir, "plain.db", NULL);
  g_autofree char *scrubbed = g_build_filename (dir, "scrubbed.db", NULL);
  guint plain_hits = churn (plain, FALSE, FALSE);
  guint scrubbed_hits = churn (scrubbed, TRUE, FALSE);

  g_test_message ("stale copies of deleted rows: %u with secure_delete alone, %u through Tesoro",
                  plain_hits, scrubbed_hits);
  g_assert_cmpuint (scrubbed_hits, ==, 0);

  tesoro_test_remove_dir (dir);
}

static void
test_scrub_page (void)
{
  guint8 page[4096];

  /* A leaf index page: 2 cells, content from 4000, a freeblock at 4040. */
  memset (page, 'X', sizeof page);
  page[0] = 10;
  page[1] = 4040 >> 8; page[2] = 4040 & 0xff;     /* first freeblock */
  page[3] = 0; page[4] = 2;                       /* cells */
  page[5] = 4000 >> 8; page[6] = 4000 & 0xff;     /* content start */
  page[7] = 0;
  page[8] = 4000 >> 8; page[9] = 4000 & 0xff;
  page[10] = 4020 >> 8; page[11] = 4020 & 0xff;
  page[4040] = 0; page[4041] = 0; page[4042] = 0; page[4043] = 20;  /* last freeblock, 20 bytes */

  g_assert_true (_tesoro_scrub_page (page, sizeof page, FALSE));
  for (guint i = 12; i < 4000; i++)
    g_assert_cmpint (page[i], ==, 0);
  for (guint i = 4000; i < 4040; i++)
    g_assert_cmpint (page[i], ==, 'X');
  g_assert_cmpint (page[4043], ==, 20);
  for (guint i = 4044; i < 4060; i++)
    g_assert_cmpint (page[i], ==, 0);
  g_assert_cmpint (page[4060], ==, 'X');

  /* Not a B-tree page, or an inconsistent one: untouched. */
  memset (page, 'X', sizeof page);
  page[0] = 0;
  g_assert_false (_tesoro_scrub_page (page, sizeof page, FALSE));
  page[0] = 13;
  page[3] = 0x7f;   /* far too many cells for the content start */
  page[5] = 0x01; page[6] = 0;
  g_assert_false (_tesoro_scrub_page (page, sizeof page, FALSE));
  for (guint i = 8; i < sizeof page; i++)
    g_assert_cmpint (page[i], ==, 'X');
}

/* The pages Tesoro writes into the write-ahead log are scrubbed too, with
 * their checksums right: another program that checkpoints the log copies
 * no stale bytes into the database, and a log left by a crash recovers. */
static void
test_btree_churn_foreign (void)
{
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *plain = g_build_filename (dir, "plain.db", NULL);
  g_autofree char *scrubbed = g_build_filename (dir, "scrubbed.db", NULL);
  guint plain_hits = churn (plain, FALSE, TRUE);
  guint scrubbed_hits = churn (scrubbed, TRUE, TRUE);

  g_test_message ("stale copies of deleted rows after another program's checkpoint: %u with secure_delete alone,"
                  " %u through Tesoro", plain_hits, scrubbed_hits);
  g_assert_cmpuint (plain_hits, >, 0);
  g_assert_cmpuint (scrubbed_hits, ==, 0);

  /* What such a checkpoint left in a database file, finishing a purge
   * removes: the file is scrubbed as a whole. */
  {
    g_autoptr(GError) error = NULL;
    TesoroDb *db = tesoro_db_open (plain, 0, &error);
    int n_pages = -1;

    g_assert_no_error (error);
    tesoro_db_enable_wal (db, &error);
    g_assert_no_error (error);
    g_assert_true (tesoro_db_checkpoint_truncate (db, &error));
    g_assert_true (tesoro_db_scrub_file (db, &n_pages, &error));
    g_assert_no_error (error);
    g_assert_cmpint (n_pages, >, 0);
    tesoro_db_close (db);
  }
  g_assert_cmpuint (count_occurrences (plain, "QZXCHURNQZX"), ==, 0);
  {
    g_auto(GStrv) integrity = tesoro_test_sql_strings (plain, "PRAGMA integrity_check");

    g_assert_cmpstrv ((const char * const *) integrity, ((const char * const[]) { "ok", NULL }));
  }

  tesoro_test_remove_dir (dir);
}

/* A database with a contact whose notes all carry @marker, among @n_others
 * others (@n_contacts); the files purged, the session closed. Returns the contact's id. */
static gint64
make_small_database (const char *path,
                     const char *marker,
                     guint       n_contacts,
                     guint       n_notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) session = tesoro_test_open_session (path);
  g_autoptr(TesoroContact) contact = tesoro_contact_new ();
  g_autofree char *given = g_strdup_printf ("Given%s", marker);
  gint64 id;

  tesoro_session_generate_demo (session, n_contacts, 2024, NULL, &error);
  g_assert_no_error (error);
  tesoro_contact_set_given_name (contact, given);
  /* Many terms in the search index, among those of the others: deleting
   * them rebalances index pages that other contacts' terms share. */
  for (guint i = 0; i < n_notes / 10; i++)
    {
      g_autofree char *email = g_strdup_printf ("%c%u.%s@example.org", 'a' + i % 26, i, marker);

      tesoro_contact_add_email (contact, "work", email, i == 0);
    }
  g_assert_true (tesoro_session_add_contact (session, contact, &error));
  g_assert_no_error (error);
  id = tesoro_contact_get_id (contact);
  for (guint i = 0; i < n_notes; i++)
    {
      g_autofree char *note = g_strdup_printf ("Note %u of %s, with words %s%u to index", i, marker, marker, i);

      tesoro_session_add_note (session, id, note, &error);
      g_assert_no_error (error);
    }
  tesoro_session_purge_files (session, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&session));

  return id;
}

/* Another SQLite program — a plain sqlite3 connection, without Tesoro's
 * file layer — holds a read transaction while Tesoro erases a contact, so
 * that Tesoro cannot checkpoint; then it checkpoints the write-ahead log
 * into the database itself. What it copies must hold no trace, the receipt
 * says the purge is still pending, and a later open finishes it. */
static void
test_foreign_checkpoint (void)
{
  static const char marker[] = "QXFOREIGNCKPT";
  static const char * const suffixes[] = { "", "-wal" };
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "foreign.db", NULL);
  g_autofree char *id_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  sqlite3 *plain = NULL;
  gint64 id;
  int log_frames = -1, checkpointed = -1;

  id = make_small_database (path, marker, 2000, 2500);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_cmpuint (count_occurrences (path, marker), >, 0);

  /* The other program reads, and goes on reading during the erasure. */
  g_assert_cmpint (sqlite3_open_v2 (path, &plain, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (plain, "BEGIN; SELECT count(*) FROM contacts;", NULL, NULL, NULL), ==, SQLITE_OK);

  {
    g_autoptr(TesoroCliResult) result = tesoro_test_cli (path, NULL, "delete", id_text, "--permanent", "--yes", NULL);

    g_assert_cmpint (result->status, ==, 0);
  }

  /* While it reads, the purge cannot be finished, and says so. */
  {
    g_autoptr(TesoroCliResult) result = tesoro_test_cli (path, NULL, "purge", NULL);

    g_assert_cmpint (result->status, ==, 1);
    g_assert_nonnull (strstr (result->err, "another program is reading"));
  }

  /* Then it checkpoints what Tesoro wrote into the log, and closes. */
  g_assert_cmpint (sqlite3_exec (plain, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_wal_checkpoint_v2 (plain, "main", SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &checkpointed),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (plain), ==, SQLITE_OK);

  for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[s], NULL);
      guint n = count_occurrences (file, marker);

      if (n > 0)
        g_error ("after another program's checkpoint: “%s” occurs %u times in %s", marker, n, file);
    }

  {
    g_auto(GStrv) integrity = tesoro_test_sql_strings (path, "PRAGMA integrity_check");

    g_assert_cmpstrv ((const char * const *) integrity, ((const char * const[]) { "ok", NULL }));
  }

  /* Tesoro could not purge the files itself: the receipt says so... */
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM erasure_receipts"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM erasure_receipts WHERE files_purged = 0"), ==, 1);

  /* ...until Tesoro opens the database again. */
  session = tesoro_test_open_session (path);
  receipts = tesoro_session_list_erasure_receipts (session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, 1);
  g_assert_true (tesoro_erasure_receipt_get_files_purged (receipts->pdata[0]));
  g_clear_pointer (&receipts, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&session));
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM erasure_receipts WHERE files_purged = 0"), ==, 0);
  g_assert_cmpuint (count_occurrences (path, marker), ==, 0);

  tesoro_test_remove_dir (dir);
}

/* `tesoro-cli purge` finishes a pending purge on demand and says what it
 * did; it needs the erasure permission. */
static void
test_cli_purge (void)
{
  static const char marker[] = "QXCLIPURGE";
  g_autofree char *dir = tesoro_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "purge.db", NULL);
  g_autofree char *id_text = NULL;
  gint64 id;

  id = make_small_database (path, marker, 50, 20);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  {
    g_autoptr(TesoroCliResult) result = tesoro_test_cli (path, NULL, "delete", id_text, "--permanent", "--yes", NULL);

    g_assert_cmpint (result->status, ==, 0);
  }

  /* Nothing pending: purge says so. */
  {
    g_autoptr(TesoroCliResult) result = tesoro_test_cli (path, NULL, "purge", NULL);

    g_assert_cmpint (result->status, ==, 0);
    g_assert_nonnull (strstr (result->out, "No erasure was waiting"));
  }

  /* As after a purge that another connection prevented: the receipt is
   * marked pending again, out of Tesoro's sight. The CLI's open finishes
   * it, and purge reports it. */
  tesoro_test_sql_exec (path, "UPDATE erasure_receipts SET files_purged = 0");
  {
    g_autoptr(TesoroCliResult) result = tesoro_test_cli (path, NULL, "purge", NULL);

    g_assert_cmpint (result->status, ==, 0);
    g_assert_nonnull (strstr (result->out, "Finished the purge of 1 erasure"));
  }
  g_assert_cmpint (tesoro_test_sql_int (path, "SELECT count(*) FROM erasure_receipts WHERE files_purged = 0"), ==, 0);

  {
    g_autoptr(TesoroCliResult) result = tesoro_test_cli (path, NULL, "purge", "--help", NULL);

    g_assert_cmpint (result->status, ==, 0);
  }

  tesoro_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/erasure/scrub-page", test_scrub_page);
  g_test_add_func ("/erasure/btree-churn", test_btree_churn);
  g_test_add_func ("/erasure/import-mapping", test_erase_import_mapping);
  g_test_add_func ("/erasure/btree-churn-foreign", test_btree_churn_foreign);
  g_test_add_func ("/erasure/foreign-checkpoint", test_foreign_checkpoint);
  g_test_add_func ("/erasure/cli-purge", test_cli_purge);
  g_test_add ("/erasure/manual", Scenario, NULL, scenario_setup, test_erase_manual, scenario_teardown);
  g_test_add ("/erasure/retention", Scenario, NULL, scenario_setup, test_erase_retention, scenario_teardown);
  g_test_add ("/erasure/empty-trash", Scenario, NULL, scenario_setup, test_erase_empty_trash, scenario_teardown);
  g_test_add ("/erasure/batch", Scenario, NULL, scenario_setup, test_erase_batch, scenario_teardown);
  g_test_add ("/erasure/request", Scenario, NULL, scenario_setup, test_erase_request, scenario_teardown);
  g_test_add ("/erasure/field-values", Scenario, NULL, scenario_setup, test_erase_field_values, scenario_teardown);

  status = g_test_run ();

  tesoro_test_remove_dir (base_dir);
  g_free (base_dir);
  g_free (base_path);

  return status;
}
