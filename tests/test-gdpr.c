/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-gdpr"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-contact-json.h"
#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-test-utils.h"

/* Helpers */

static char *
fixture_file (TesoroTestFixture *fixture,
              const char        *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static TesoroContact *
add_contact (TesoroSession   *session,
             TesoroContact *contact)
{
  g_autoptr(GError) error = NULL;

  tesoro_session_add_contact (session, contact, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_contact_get_id (contact), >, 0);
  return contact;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* A strict RFC 4180 reader: records end in CR LF, quotes only around whole
 * fields, doubled quotes inside. Fails the test on anything else. */
static GPtrArray *
parse_rfc4180 (const char *data,
               gsize       length)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  gsize i = 0;

  g_assert_cmpuint (length, >=, 3);
  g_assert_cmpmem (data, 3, "\xEF\xBB\xBF", 3);
  i = 3;

  while (i < length)
    {
      g_string_truncate (field, 0);

      if (data[i] == '"')
        {
          i++;
          for (;;)
            {
              g_assert_cmpuint (i, <, length);
              if (data[i] == '"')
                {
                  if (i + 1 < length && data[i + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              g_string_append_c (field, data[i++]);
            }
        }
      else
        {
          while (i < length && data[i] != ',' && data[i] != '\r' && data[i] != '\n')
            {
              g_assert_cmpint (data[i], !=, '"');
              g_string_append_c (field, data[i++]);
            }
        }

      g_ptr_array_add (fields, g_strdup (field->str));

      g_assert_cmpuint (i, <, length);
      if (data[i] == ',')
        {
          i++;
          continue;
        }

      /* The end of a record: CR LF and nothing else. */
      g_assert_cmpint (data[i], ==, '\r');
      g_assert_cmpuint (i + 1, <, length);
      g_assert_cmpint (data[i + 1], ==, '\n');
      i += 2;

      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
      fields = g_ptr_array_new_with_free_func (g_free);
    }

  g_assert_cmpuint (fields->len, ==, 0);
  return rows;
}

/* The same file through Python's csv module, the standard reader the
 * acceptance criteria name. Returns NULL when python3 is not there. */
static JsonNode *
parse_with_python (const char *path)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *script =
    "import csv, json, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n"
    "    print(json.dumps(list(csv.reader(f, strict=True))))\n";
  const char *argv[] = { python, "-c", script, path, NULL };

  if (python == NULL)
    return NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3 csv could not read %s: %s", path, err);

  return tesoro_test_parse_json (out);
}

static void
collect_json_strings (JsonNode   *node,
                      GHashTable *into)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          {
            g_hash_table_add (into, g_strdup (l->data));
            collect_json_strings (json_object_get_member (object, l->data), into);
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          collect_json_strings (json_array_get_element (array, i), into);
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_hash_table_add (into, g_strdup (json_node_get_string (node)));
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* Every text value stored about contact @id, read straight from the tables. */
static GPtrArray *
stored_values (const char *db_path,
               gint64      id)
{
  static const char * const queries[] = {
    "SELECT uid FROM contacts WHERE id = %1$s UNION ALL SELECT given_name FROM contacts WHERE id = %1$s"
    " UNION ALL SELECT family_name FROM contacts WHERE id = %1$s UNION ALL SELECT display_name FROM contacts WHERE id = %1$s"
    " UNION ALL SELECT organization FROM contacts WHERE id = %1$s UNION ALL SELECT job_title FROM contacts WHERE id = %1$s"
    " UNION ALL SELECT birthday FROM contacts WHERE id = %1$s UNION ALL SELECT lawful_basis FROM contacts WHERE id = %1$s"
    " UNION ALL SELECT legal_hold_reason FROM contacts WHERE id = %1$s UNION ALL SELECT created_at FROM contacts WHERE id = %1$s"
    " UNION ALL SELECT updated_at FROM contacts WHERE id = %1$s UNION ALL SELECT last_activity_at FROM contacts WHERE id = %1$s"
    " UNION ALL SELECT trashed_at FROM contacts WHERE id = %1$s",
    "SELECT label FROM contact_emails WHERE contact_id = %1$s UNION ALL SELECT value FROM contact_emails WHERE contact_id = %1$s",
    "SELECT label FROM contact_phones WHERE contact_id = %1$s UNION ALL SELECT value FROM contact_phones WHERE contact_id = %1$s",
    "SELECT label FROM contact_addresses WHERE contact_id = %1$s UNION ALL SELECT street FROM contact_addresses WHERE contact_id = %1$s"
    " UNION ALL SELECT postal_code FROM contact_addresses WHERE contact_id = %1$s"
    " UNION ALL SELECT city FROM contact_addresses WHERE contact_id = %1$s"
    " UNION ALL SELECT region FROM contact_addresses WHERE contact_id = %1$s"
    " UNION ALL SELECT country FROM contact_addresses WHERE contact_id = %1$s",
    "SELECT f.name FROM contact_custom_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id = %1$s"
    " UNION ALL SELECT value FROM contact_custom_values WHERE contact_id = %1$s",
    "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = %1$s",
    "SELECT body FROM notes WHERE contact_id = %1$s UNION ALL SELECT created_at FROM notes WHERE contact_id = %1$s"
    " UNION ALL SELECT u.login FROM notes n JOIN users u ON u.id = n.created_by WHERE n.contact_id = %1$s",
    "SELECT direction FROM messages WHERE contact_id = %1$s UNION ALL SELECT address FROM messages WHERE contact_id = %1$s"
    " UNION ALL SELECT subject FROM messages WHERE contact_id = %1$s UNION ALL SELECT body FROM messages WHERE contact_id = %1$s"
    " UNION ALL SELECT at FROM messages WHERE contact_id = %1$s"
    " UNION ALL SELECT u.login FROM messages m JOIN users u ON u.id = m.created_by WHERE m.contact_id = %1$s",
    "SELECT title FROM tasks WHERE contact_id = %1$s UNION ALL SELECT due FROM tasks WHERE contact_id = %1$s"
    " UNION ALL SELECT done_at FROM tasks WHERE contact_id = %1$s UNION ALL SELECT created_at FROM tasks WHERE contact_id = %1$s"
    " UNION ALL SELECT u.login FROM tasks t JOIN users u ON u.id = t.created_by WHERE t.contact_id = %1$s",
    "SELECT kind FROM activities WHERE contact_id = %1$s UNION ALL SELECT summary FROM activities WHERE contact_id = %1$s"
    " UNION ALL SELECT at FROM activities WHERE contact_id = %1$s"
    " UNION ALL SELECT u.login FROM activities a JOIN users u ON u.id = a.created_by WHERE a.contact_id = %1$s",
    "SELECT purpose FROM consent_events WHERE contact_id = %1$s UNION ALL SELECT at FROM consent_events WHERE contact_id = %1$s"
    " UNION ALL SELECT source FROM consent_events WHERE contact_id = %1$s"
    " UNION ALL SELECT evidence FROM consent_events WHERE contact_id = %1$s"
    " UNION ALL SELECT recorded_at FROM consent_events WHERE contact_id = %1$s"
    " UNION ALL SELECT u.login FROM consent_events c JOIN users u ON u.id = c.recorded_by WHERE c.contact_id = %1$s",
  };
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id_string = id_text (id);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GString) sql = g_string_new (queries[q]);
      g_auto(GStrv) rows = NULL;

      g_string_replace (sql, "%1$s", id_string, 0);
      rows = tesoro_test_sql_strings (db_path, sql->str);
      for (guint i = 0; rows[i] != NULL; i++)
        if (*rows[i] != '\0')
          g_ptr_array_add (values, g_strdup (rows[i]));
    }

  return values;
}

static gboolean
csv_has_row (GPtrArray  *rows,
             const char *section,
             const char *item,
             const char *field,
             const char *value)
{
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = rows->pdata[i];
      g_autofree char *cell = tesoro_csv_unneutralize (row[3]);

      if (g_str_equal (row[0], section) && g_str_equal (row[1], item) && g_str_equal (row[2], field) &&
          g_str_equal (cell, value))
        return TRUE;
    }
  return FALSE;
}

/* A contact with every kind of data, three of most, and values that test
 * the CSV: delimiters, quotes, line breaks, formula starts, non-ASCII. */
static TesoroContact *
rich_contact (void)
{
  TesoroContact *contact = tesoro_test_full_contact ("Sophie", "de Vries, jr.");
  TesoroAddress *address = tesoro_address_new ();
  TesoroNote *note = tesoro_note_new ();
  TesoroMessage *message = tesoro_message_new ();
  TesoroTask *task = tesoro_task_new ();
  TesoroActivity *activity = tesoro_activity_new ();

  tesoro_contact_set_job_title (contact, "=HYPERLINK(\"http://evil.example\",\"click\")");
  tesoro_contact_add_email (contact, "other", "zoë.三@example.org", FALSE);
  tesoro_contact_add_phone (contact, "-fax-", "+44 20 7946 0000", FALSE);

  address->label = g_strdup ("@holiday");
  address->street = g_strdup ("Rue \"du\" Lac 3,\r\nbâtiment B");
  address->postal_code = g_strdup ("-75001");
  address->city = g_strdup ("Paris");
  address->region = g_strdup ("\tÎle-de-France");
  address->country = g_strdup ("FR");
  g_ptr_array_add (tesoro_contact_get_addresses (contact), address);

  g_ptr_array_add (tesoro_contact_get_custom_values (contact), tesoro_custom_value_new ("+Score", "-5"));
  g_ptr_array_add (tesoro_contact_get_tags (contact), g_strdup ("@vip"));

  note->body = g_strdup ("=1+1\nA note, with \"quotes\" and 👋");
  note->created_at = g_strdup ("2023-07-01T08:00:00Z");
  g_ptr_array_add (tesoro_contact_get_notes (contact), note);

  message->direction = g_strdup ("out");
  message->address = g_strdup ("sophie@example.nl");
  message->subject = g_strdup ("\rCarriage");
  message->body = g_strdup ("Line one\r\nLine two");
  message->at = g_strdup ("2023-07-02T08:00:00Z");
  g_ptr_array_add (tesoro_contact_get_messages (contact), message);

  task->title = g_strdup ("+urgent: bel terug");
  task->due = g_strdup ("2023-08-01");
  task->created_at = g_strdup ("2023-07-03T08:00:00Z");
  g_ptr_array_add (tesoro_contact_get_tasks (contact), task);

  activity->kind = g_strdup ("meeting");
  activity->summary = g_strdup ("Lunch; besproken: \"offerte\"");
  activity->at = g_strdup ("2023-07-04T12:00:00Z");
  g_ptr_array_add (tesoro_contact_get_activities (contact), activity);

  return contact;
}

/* Export Data */

static void
test_export_complete (TesoroTestFixture *fixture,
                      gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = add_contact (fixture->session, rich_contact ());
  g_autofree char *csv_path = fixture_file (fixture, "sophie.csv");
  g_autofree char *json_path = fixture_file (fixture, "sophie.json");
  g_autofree char *id = id_text (tesoro_contact_get_id (contact));
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) csv_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) json_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(JsonNode) python_rows = NULL;
  g_autoptr(JsonNode) json_node = NULL;
  g_autoptr(TesoroCliResult) show = NULL;
  g_autoptr(TesoroContact) reread = NULL;

  /* History and state recorded through the session, as a user would. */
  tesoro_session_record_consent (fixture->session, tesoro_contact_get_id (contact), "marketing-email", TRUE,
                                 "2023-09-01", "e-mail reply, \"ja graag\"", "=evidence", &error);
  g_assert_no_error (error);
  tesoro_session_set_legal_hold (fixture->session, tesoro_contact_get_id (contact), TRUE,
                                 "Dispute, case 2023/17", &error);
  g_assert_no_error (error);
  tesoro_session_set_restricted (fixture->session, tesoro_contact_get_id (contact), TRUE, &error);
  g_assert_no_error (error);

  tesoro_session_export_data (fixture->session, tesoro_contact_get_id (contact), TESORO_EXPORT_FORMAT_CSV,
                              csv_path, &error);
  g_assert_no_error (error);
  tesoro_session_export_data (fixture->session, tesoro_contact_get_id (contact), TESORO_EXPORT_FORMAT_JSON,
                              json_path, &error);
  g_assert_no_error (error);

  /* The CSV: BOM, CR LF, four columns, a header. */
  csv = tesoro_test_read_file (csv_path);
  rows = parse_rfc4180 (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_cmpuint (rows->len, >, 100);
  g_assert_cmpstrv ((const char * const *) rows->pdata[0],
                    ((const char * const[]) { "section", "item", "field", "value", NULL }));
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = rows->pdata[i];

      g_assert_cmpuint (g_strv_length (row), ==, 4);
      /* No cell a spreadsheet would run as a formula. */
      for (guint c = 0; c < 4; c++)
        g_assert_false (strchr ("=+-@\t\r", row[c][0]) != NULL && row[c][0] != '\0');
      g_hash_table_add (csv_values, tesoro_csv_unneutralize (row[3]));
    }

  /* Python's csv module reads the same rows. */
  python_rows = parse_with_python (csv_path);
  if (python_rows != NULL)
    {
      JsonArray *array = json_node_get_array (python_rows);

      g_assert_cmpuint (json_array_get_length (array), ==, rows->len);
      for (guint i = 0; i < rows->len; i++)
        {
          JsonArray *cells = json_array_get_array_element (array, i);
          char **row = rows->pdata[i];

          g_assert_cmpuint (json_array_get_length (cells), ==, 4);
          for (guint c = 0; c < 4; c++)
            g_assert_cmpstr (json_array_get_string_element (cells, c), ==, row[c]);
        }
    }
  else
    g_test_message ("python3 not found: the CSV was checked with the test's own RFC 4180 reader only");

  /* The JSON: byte for byte what `show --json` prints. */
  json = tesoro_test_read_file (json_path);
  show = tesoro_test_cli (fixture->path, NULL, "show", id, "--json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  g_assert_cmpuint (strlen (show->out), ==, g_bytes_get_size (json));
  g_assert_cmpmem (show->out, strlen (show->out), g_bytes_get_data (json, NULL), g_bytes_get_size (json));
  json_node = tesoro_test_parse_json (show->out);
  collect_json_strings (json_node, json_values);

  /* Every value in the tables appears in both. */
  values = stored_values (fixture->path, tesoro_contact_get_id (contact));
  g_assert_cmpuint (values->len, >, 100);
  for (guint i = 0; i < values->len; i++)
    {
      const char *value = values->pdata[i];

      if (!g_hash_table_contains (csv_values, value))
        g_error ("The stored value “%s” is not in the CSV export", value);
      if (!g_hash_table_contains (json_values, value))
        g_error ("The stored value “%s” is not in the JSON export", value);
    }

  /* Flags and numbers, which are not text in the tables. */
  g_assert_true (csv_has_row (rows, "contact", "", "id", id));
  g_assert_true (csv_has_row (rows, "contact", "", "restricted", "true"));
  g_assert_true (csv_has_row (rows, "contact", "", "legal_hold", "true"));
  g_assert_true (csv_has_row (rows, "emails", "2", "primary", "true"));
  g_assert_true (csv_has_row (rows, "tasks", "1", "done", "true"));
  g_assert_true (csv_has_row (rows, "tasks", "2", "done", "false"));
  g_assert_true (csv_has_row (rows, "consent", "2", "granted", "false"));
  g_assert_true (csv_has_row (rows, "consent", "3", "granted", "true"));
  g_assert_true (csv_has_row (rows, "contact", "", "job_title", "=HYPERLINK(\"http://evil.example\",\"click\")"));
  g_assert_true (csv_has_row (rows, "addresses", "3", "street", "Rue \"du\" Lac 3,\r\nbâtiment B"));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (json_node), "restricted"));

  /* The JSON is portable: another Tesoro reads it back. */
  reread = tesoro_contact_new_from_json (g_bytes_get_data (json, NULL), g_bytes_get_size (json), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_family_name (reread), ==, "de Vries, jr.");
  g_assert_cmpuint (tesoro_contact_get_notes (reread)->len, ==, 3);

  /* Personal data files are for their owner only. */
  {
    GStatBuf st;
    g_assert_cmpint (g_stat (csv_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
  }
}

static void
test_export_audited (TesoroTestFixture *fixture,
                     gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = add_contact (fixture->session, tesoro_test_full_contact ("Jan", "Jansen"));
  g_autofree char *path = fixture_file (fixture, "Jan Jansen.csv");
  g_autoptr(GPtrArray) entries = NULL;
  TesoroAuditFilter filter;
  const char *details;

  tesoro_session_export_data (fixture->session, tesoro_contact_get_id (contact), TESORO_EXPORT_FORMAT_CSV, path, &error);
  g_assert_no_error (error);

  tesoro_audit_filter_init (&filter);
  filter.action = TESORO_AUDIT_EXPORT_DATA;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (tesoro_audit_entry_get_contact_uid (entries->pdata[0]), ==, tesoro_contact_get_uid (contact));
  g_assert_cmpstr (tesoro_audit_entry_get_actor (entries->pdata[0]), ==, tesoro_session_get_actor (fixture->session));
  details = tesoro_audit_entry_get_details (entries->pdata[0]);
  g_assert_nonnull (strstr (details, "\"csv\""));
  /* Not the name, not the file name (which has the name in it). */
  g_assert_null (strstr (details, "Jan"));
  g_assert_null (strstr (details, "Jansen"));
}

static void
test_export_atomic (TesoroTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = add_contact (fixture->session, tesoro_test_full_contact ("Jan", "Jansen"));
  g_autofree char *path = fixture_file (fixture, "export.json");
  g_autofree char *missing = fixture_file (fixture, "no-such-folder/export.json");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint files = 0;

  /* An existing file is replaced whole. */
  tesoro_test_write_file (path, "old contents", -1);
  tesoro_session_export_data (fixture->session, tesoro_contact_get_id (contact), TESORO_EXPORT_FORMAT_JSON, path, &error);
  g_assert_no_error (error);
  before = tesoro_test_read_file (path);
  g_assert_cmpuint (g_bytes_get_size (before), >, 100);
  g_assert_cmpint (((const char *) g_bytes_get_data (before, NULL))[0], ==, '{');

  /* A failure leaves nothing behind and says which file. */
  g_assert_false (tesoro_session_export_data (fixture->session, tesoro_contact_get_id (contact),
                                              TESORO_EXPORT_FORMAT_CSV, missing, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  /* A contact that does not exist writes nothing. */
  g_assert_false (tesoro_session_export_data (fixture->session, 9999, TESORO_EXPORT_FORMAT_CSV, path, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  tesoro_test_assert_file_unchanged (path, before);

  /* No temporary files stay in the folder: the database and the export. */
  dir = g_dir_open (fixture->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_suffix (name, ".part"));
      files++;
    }
  g_assert_cmpuint (files, <=, 4);
}

/* Consent */

static void
test_consent_ledger (TesoroTestFixture *fixture,
                     gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (fixture->session, "Emma", "Bakker");
  g_autoptr(TesoroContact) reloaded = NULL;
  g_autoptr(GPtrArray) purposes = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(TesoroConsentEvent) latest = NULL;
  gint64 id = tesoro_contact_get_id (contact);
  static const char * const changes[] = {
    TESORO_AUDIT_CONSENT_GRANTED, TESORO_AUDIT_CONSENT_WITHDRAWN, NULL
  };
  TesoroConsentState state;
  TesoroAuditFilter filter;
  gint64 first, second, third, fourth;
  g_autofree char *sql = NULL;

  /* The default purpose. */
  purposes = tesoro_session_list_consent_purposes (fixture->session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (purposes->len, ==, 1);
  g_assert_cmpstr (((TesoroConsentPurpose *) purposes->pdata[0])->key, ==, "marketing-email");
  g_assert_cmpstr (((TesoroConsentPurpose *) purposes->pdata[0])->name, ==, "Marketing e-mail");

  tesoro_session_get_consent_state (fixture->session, id, "marketing-email", &state, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, TESORO_CONSENT_UNKNOWN);

  first = tesoro_session_record_consent (fixture->session, id, "marketing-email", TRUE, "2024-01-10T09:00:00Z",
                                         "web form", "Opt-in 4711", &error);
  g_assert_no_error (error);
  second = tesoro_session_record_consent (fixture->session, id, "marketing-email", FALSE, "2024-03-01T09:00:00Z",
                                          "phone call", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, first);

  tesoro_session_get_consent_state (fixture->session, id, "marketing-email", &state, &latest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, TESORO_CONSENT_WITHDRAWN);
  g_assert_cmpstr (latest->source, ==, "phone call");
  g_assert_cmpstr (latest->recorded_by, ==, tesoro_session_get_actor (fixture->session));
  g_clear_pointer (&latest, tesoro_consent_event_free);

  /* A late-recorded grant dated before the withdrawal does not undo it:
   * the newest date decides, not the newest row. */
  third = tesoro_session_record_consent (fixture->session, id, "marketing-email", TRUE, "2024-02-01",
                                         "paper form", NULL, &error);
  g_assert_no_error (error);
  tesoro_session_get_consent_state (fixture->session, id, "marketing-email", &state, NULL, &error);
  g_assert_cmpint (state, ==, TESORO_CONSENT_WITHDRAWN);

  /* On the same date, the one recorded last wins. */
  fourth = tesoro_session_record_consent (fixture->session, id, "marketing-email", TRUE, "2024-03-01T09:00:00Z",
                                          "web form", "Re-subscribed", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fourth, >, third);
  tesoro_session_get_consent_state (fixture->session, id, "marketing-email", &state, NULL, &error);
  g_assert_cmpint (state, ==, TESORO_CONSENT_GRANTED);

  /* The loaded contact and the in-memory derivation agree. */
  reloaded = tesoro_session_get_contact (fixture->session, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tesoro_contact_get_consent (reloaded)->len, ==, 4);
  g_assert_cmpstr (tesoro_contact_get_consent_state (reloaded), ==, "granted");
  g_assert_cmpint (tesoro_consent_state_from_events (tesoro_contact_get_consent (reloaded), "marketing-email", NULL),
                   ==, TESORO_CONSENT_GRANTED);

  /* The withdrawal is on the contact's history. */
  {
    GPtrArray *activities = tesoro_contact_get_activities (reloaded);
    gboolean found = FALSE;

    for (guint i = 0; i < activities->len; i++)
      {
        TesoroActivity *a = activities->pdata[i];
        if (g_str_equal (a->kind, "system") && strstr (a->summary, "withdrawn") != NULL &&
            g_str_equal (a->at, "2024-03-01T09:00:00Z"))
          found = TRUE;
      }
    g_assert_true (found);
  }

  /* Append-only: the ledger refuses a change. */
  sql = g_strdup_printf ("UPDATE consent_events SET granted = 1 WHERE id = %" G_GINT64_FORMAT, second);
  {
    g_autofree char *sqlite3_tool = g_find_program_in_path ("sqlite3");

    if (sqlite3_tool != NULL)
      {
        const char *argv[] = { sqlite3_tool, fixture->path, sql, NULL };
        g_autofree char *err = NULL;
        int status = 0;

        g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
        g_assert_no_error (error);
        g_assert_false (g_spawn_check_wait_status (status, NULL));
        g_assert_nonnull (strstr (err, "append-only"));
      }
  }
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM consent_events WHERE granted = 0"), ==, 1);

  /* Unknown purposes are refused with the known ones named; added ones work. */
  g_assert_cmpint (tesoro_session_record_consent (fixture->session, id, "newsletter", TRUE, NULL, "web form", NULL, &error),
                   ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "marketing-email"));
  g_clear_error (&error);
  g_assert_false (tesoro_session_add_consent_purpose (fixture->session, "News Letter", "Newsletter", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  tesoro_session_add_consent_purpose (fixture->session, "newsletter", "Newsletter", &error);
  g_assert_no_error (error);
  g_assert_false (tesoro_session_add_consent_purpose (fixture->session, "newsletter", "Again", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  tesoro_session_record_consent (fixture->session, id, "newsletter", FALSE, NULL, "unsubscribe link", NULL, &error);
  g_assert_no_error (error);
  tesoro_session_get_consent_state (fixture->session, id, "newsletter", &state, NULL, &error);
  g_assert_cmpint (state, ==, TESORO_CONSENT_WITHDRAWN);
  tesoro_session_get_consent_state (fixture->session, id, "marketing-email", &state, NULL, &error);
  g_assert_cmpint (state, ==, TESORO_CONSENT_GRANTED);

  /* A source is required; a date in the future is refused. */
  g_assert_cmpint (tesoro_session_record_consent (fixture->session, id, "marketing-email", TRUE, NULL, "", NULL, &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_record_consent (fixture->session, id, "marketing-email", TRUE, "2999-01-01", "web", NULL, &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);

  /* Every change is in the log, by uid, without the source or evidence. */
  tesoro_audit_filter_init (&filter);
  filter.contact_uid = tesoro_contact_get_uid (contact);
  filter.actions = changes;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);
  g_assert_cmpstr (tesoro_audit_entry_get_action (entries->pdata[1]), ==, TESORO_AUDIT_CONSENT_WITHDRAWN);
  for (guint i = 0; i < entries->len; i++)
    {
      g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[i]), "phone call"));
      g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[i]), "4711"));
    }
}

static void
test_consent_cli (TesoroTestFixture *fixture,
                  gconstpointer      data)
{
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (fixture->session, "Emma", "Bakker");
  g_autofree char *id = id_text (tesoro_contact_get_id (contact));
  g_autoptr(TesoroCliResult) grant = NULL;
  g_autoptr(TesoroCliResult) withdraw = NULL;
  g_autoptr(TesoroCliResult) usage = NULL;
  g_autoptr(TesoroCliResult) show = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *consent;

  grant = tesoro_test_cli (fixture->path, NULL, "consent", id, "--purpose", "marketing-email", "--grant",
                           "--source", "web form", "--date", "2024-01-01", "--evidence", "Form 17", NULL);
  g_assert_cmpint (grant->status, ==, 0);
  withdraw = tesoro_test_cli (fixture->path, NULL, "consent", id, "--purpose", "marketing-email", "--withdraw",
                              "--source", "phone call", NULL);
  g_assert_cmpint (withdraw->status, ==, 0);
  g_assert_nonnull (strstr (withdraw->out, "withdrawn"));

  usage = tesoro_test_cli (fixture->path, NULL, "consent", id, "--purpose", "marketing-email", "--grant",
                           "--withdraw", "--source", "x", NULL);
  g_assert_cmpint (usage->status, ==, 2);

  show = tesoro_test_cli (fixture->path, NULL, "show", id, "--json", NULL);
  node = tesoro_test_parse_json (show->out);
  consent = json_object_get_array_member (json_node_get_object (node), "consent");
  g_assert_cmpuint (json_array_get_length (consent), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (consent, 0), "evidence"), ==, "Form 17");
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (consent, 1), "granted"));
}

/* Purpose limitation */

static TesoroContact *
marketing_contact (TesoroSession *session,
                   const char  *name,
                   const char  *email,
                   int          first,   /* 1 granted, 0 withdrawn, -1 none */
                   int          second)
{
  g_autoptr(GError) error = NULL;
  TesoroContact *contact = tesoro_contact_new ();

  tesoro_contact_set_given_name (contact, name);
  if (email != NULL)
    tesoro_contact_add_email (contact, "home", email, TRUE);
  add_contact (session, contact);

  if (first >= 0)
    tesoro_session_record_consent (session, tesoro_contact_get_id (contact), "marketing-email", first,
                                   "2024-01-01T00:00:00Z", "web form", NULL, &error);
  g_assert_no_error (error);
  if (second >= 0)
    tesoro_session_record_consent (session, tesoro_contact_get_id (contact), "marketing-email", second,
                                   "2024-02-01T00:00:00Z", "web form", NULL, &error);
  g_assert_no_error (error);

  return contact;
}

static void
test_marketing_export (TesoroTestFixture *fixture,
                       gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_file (fixture, "marketing.csv");
  g_autofree char *cli_path = fixture_file (fixture, "marketing-cli.csv");
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) cli_csv = NULL;
  g_autoptr(TesoroCliResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  TesoroAuditFilter filter;
  TesoroContact *restricted, *trashed, *granted_later, *other_purpose;
  guint n = 0;

  g_ptr_array_add (contacts, marketing_contact (fixture->session, "Anna Granted", "anna@example.org", 1, -1));
  g_ptr_array_add (contacts, marketing_contact (fixture->session, "Bram Withdrawn", "bram@example.org", 0, -1));
  g_ptr_array_add (contacts, marketing_contact (fixture->session, "Cas Unknown", "cas@example.org", -1, -1));
  g_ptr_array_add (contacts, restricted = marketing_contact (fixture->session, "Dirk Restricted", "dirk@example.org", 1, -1));
  g_ptr_array_add (contacts, trashed = marketing_contact (fixture->session, "Eva Trashed", "eva@example.org", 1, -1));
  g_ptr_array_add (contacts, marketing_contact (fixture->session, "Finn Changed Mind", "finn@example.org", 1, 0));
  g_ptr_array_add (contacts, granted_later = marketing_contact (fixture->session, "=Gijs Came Back", "gijs@example.org", 0, 1));
  g_ptr_array_add (contacts, marketing_contact (fixture->session, "Hanna No Mail", NULL, 1, -1));
  g_ptr_array_add (contacts, other_purpose = marketing_contact (fixture->session, "Iris Other Purpose", "iris@example.org", -1, -1));

  tesoro_session_set_restricted (fixture->session, tesoro_contact_get_id (restricted), TRUE, &error);
  g_assert_no_error (error);
  tesoro_session_trash_contact (fixture->session, tesoro_contact_get_id (trashed), &error);
  g_assert_no_error (error);
  tesoro_session_add_consent_purpose (fixture->session, "events", "Event invitations", &error);
  g_assert_no_error (error);
  tesoro_session_record_consent (fixture->session, tesoro_contact_get_id (other_purpose), "events", TRUE, NULL,
                                 "web form", NULL, &error);
  g_assert_no_error (error);
  (void) granted_later;

  tesoro_session_export_marketing (fixture->session, path, NULL, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);

  csv = tesoro_test_read_file (path);
  rows = parse_rfc4180 (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstrv ((const char * const *) rows->pdata[0], ((const char * const[]) { "name", "email", NULL }));
  g_assert_cmpstrv ((const char * const *) rows->pdata[1],
                    ((const char * const[]) { "'=Gijs Came Back", "gijs@example.org", NULL }));
  g_assert_cmpstrv ((const char * const *) rows->pdata[2],
                    ((const char * const[]) { "Anna Granted", "anna@example.org", NULL }));

  /* The command line gives the same file. */
  result = tesoro_test_cli (fixture->path, NULL, "export-marketing", "--output", cli_path, NULL);
  g_assert_cmpint (result->status, ==, 0);
  cli_csv = tesoro_test_read_file (cli_path);
  g_assert_true (g_bytes_equal (csv, cli_csv));

  tesoro_audit_filter_init (&filter);
  filter.action = TESORO_AUDIT_EXPORT_MARKETING;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_nonnull (strstr (tesoro_audit_entry_get_details (entries->pdata[0]), "\"contacts\":2"));
  g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[0]), "anna"));
}

/* Restriction, legal hold, lawful basis */

static void
test_restrict_hold_basis (TesoroTestFixture *fixture,
                          gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = add_contact (fixture->session, tesoro_test_full_contact ("Lotte", "Visser"));
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(TesoroCliResult) result = NULL;
  g_autofree char *id = id_text (tesoro_contact_get_id (contact));
  TesoroAuditFilter filter;

  /* Lawful basis changes are audited; other edits are not. */
  tesoro_contact_set_lawful_basis (contact, "contract");
  tesoro_session_update_contact (fixture->session, contact, &error);
  g_assert_no_error (error);
  tesoro_contact_set_job_title (contact, "Directeur");
  tesoro_session_update_contact (fixture->session, contact, &error);
  g_assert_no_error (error);
  tesoro_contact_set_lawful_basis (contact, NULL);
  tesoro_session_update_contact (fixture->session, contact, &error);
  g_assert_no_error (error);

  tesoro_audit_filter_init (&filter);
  filter.action = TESORO_AUDIT_LAWFUL_BASIS;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (tesoro_audit_entry_get_details (entries->pdata[0]), ==, "{\"from\":\"consent\",\"to\":\"contract\"}");
  g_assert_cmpstr (tesoro_audit_entry_get_details (entries->pdata[1]), ==, "{\"from\":\"contract\",\"to\":null}");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Restricted: read-only. */
  result = tesoro_test_cli (fixture->path, NULL, "restrict", id, "--on", NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_clear_pointer (&result, tesoro_cli_result_free);
  tesoro_contact_set_job_title (contact, "Eigenaar");
  g_assert_false (tesoro_session_update_contact (fixture->session, contact, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_add_note (fixture->session, tesoro_contact_get_id (contact), "x", &error), ==, -1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED);
  g_clear_error (&error);
  stored = tesoro_session_get_contact (fixture->session, tesoro_contact_get_id (contact), &error);
  g_assert_true (tesoro_contact_get_restricted (stored));
  g_clear_object (&stored);

  result = tesoro_test_cli (fixture->path, NULL, "restrict", id, "--off", NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_clear_pointer (&result, tesoro_cli_result_free);
  result = tesoro_test_cli (fixture->path, NULL, "restrict", id, NULL);
  g_assert_cmpint (result->status, ==, 2);
  g_clear_pointer (&result, tesoro_cli_result_free);

  /* Legal hold: not erasable, with its reason kept on the contact only. */
  result = tesoro_test_cli (fixture->path, NULL, "hold", id, "--on", "--reason", "Claim by Lotte Visser", NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_clear_pointer (&result, tesoro_cli_result_free);
  stored = tesoro_session_get_contact (fixture->session, tesoro_contact_get_id (contact), &error);
  g_assert_true (tesoro_contact_get_legal_hold (stored));
  g_assert_cmpstr (tesoro_contact_get_legal_hold_reason (stored), ==, "Claim by Lotte Visser");
  g_clear_object (&stored);

  g_assert_false (tesoro_session_erase_contact (fixture->session, tesoro_contact_get_id (contact), NULL,
                                                TESORO_ERASURE_MANUAL, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "legal hold"));
  g_clear_error (&error);
  result = tesoro_test_cli (fixture->path, NULL, "delete", id, "--permanent", "--yes", NULL);
  g_assert_cmpint (result->status, ==, 1);
  g_clear_pointer (&result, tesoro_cli_result_free);

  /* Trashed and on hold: Empty Trash keeps it. */
  tesoro_session_trash_contact (fixture->session, tesoro_contact_get_id (contact), &error);
  g_assert_no_error (error);
  tesoro_session_empty_trash (fixture->session, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, TRUE, NULL), ==, 1);

  tesoro_audit_filter_init (&filter);
  filter.contact_uid = tesoro_contact_get_uid (contact);
  filter.action = TESORO_AUDIT_LEGAL_HOLD;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[0]), "Visser"));
  g_clear_pointer (&entries, g_ptr_array_unref);
  filter.action = TESORO_AUDIT_RESTRICT;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_cmpuint (entries->len, ==, 2);
}

/* Erasure */

static void
test_erase_receipt (TesoroTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = add_contact (fixture->session, tesoro_test_full_contact ("Noor", "de Groot"));
  g_autoptr(TesoroContact) other = tesoro_contact_new ();
  g_autoptr(TesoroErasureReceipt) receipt = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) receipt_json = NULL;
  g_autofree char *receipt_json_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *described = NULL;
  g_autofree char *uid = g_strdup (tesoro_contact_get_uid (contact));
  TesoroLinkedCounts counts;
  TesoroAuditFilter filter;
  GArray *found;

  /* Another contact shares the tag "klant" and the custom field "Klantnummer". */
  tesoro_contact_set_given_name (other, "Daan");
  g_ptr_array_add (tesoro_contact_get_tags (other), g_strdup ("klant"));
  tesoro_contact_set_custom_value (other, "Klantnummer", "B-2");
  add_contact (fixture->session, other);
  tesoro_session_add_note (fixture->session, tesoro_contact_get_id (contact), "One more", &error);
  g_assert_no_error (error);

  tesoro_session_count_linked (fixture->session, tesoro_contact_get_id (contact), &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.notes, ==, 3);
  g_assert_cmpuint (counts.messages, ==, 2);
  g_assert_cmpuint (counts.tasks, ==, 2);
  g_assert_cmpuint (counts.activities, ==, 2);
  g_assert_cmpuint (counts.consent_events, ==, 2);
  g_assert_cmpuint (counts.emails, ==, 2);
  g_assert_cmpuint (counts.phones, ==, 2);
  g_assert_cmpuint (counts.addresses, ==, 2);
  g_assert_cmpuint (counts.custom_fields, ==, 2);
  g_assert_cmpuint (counts.tags, ==, 2);
  g_assert_cmpuint (counts.search_terms, >, 5);
  g_assert_cmpuint (tesoro_linked_counts_total (&counts), ==, 21);
  described = tesoro_linked_counts_describe (&counts);
  g_assert_cmpstr (described, ==, "3 notes, 2 messages, 2 tasks, 2 activities, 2 consent records, "
                                  "2 e-mail addresses, 2 phone numbers, 2 addresses, 2 custom fields, 2 tags");

  tesoro_session_erase_contact (fixture->session, tesoro_contact_get_id (contact),
                                "Request of Noor by e-mail (sophie.devries@thuis.example), see ticket 12",
                                TESORO_ERASURE_MANUAL, &receipt, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (tesoro_erasure_receipt_get_contact_uid (receipt), ==, uid);
  g_assert_cmpstr (tesoro_erasure_receipt_get_erased_by (receipt), ==, tesoro_session_get_actor (fixture->session));
  g_assert_cmpstr (tesoro_erasure_receipt_get_method (receipt), ==, "manual");
  g_assert_true (tesoro_erasure_receipt_get_index_purged (receipt));
  g_assert_true (tesoro_erasure_receipt_get_files_purged (receipt));
  g_assert_cmpmem (tesoro_erasure_receipt_get_counts (receipt), sizeof counts, &counts, sizeof counts);
  /* The person is cut out of the reason. */
  g_assert_cmpstr (tesoro_erasure_receipt_get_reason (receipt), ==, "Request of […] by e-mail ([…]), see ticket 12");

  text = tesoro_erasure_receipt_to_text (receipt);
  receipt_json = tesoro_erasure_receipt_to_json_node (receipt);
  receipt_json_text = tesoro_json_to_string (receipt_json, FALSE);
  for (guint i = 0; i < 2; i++)
    {
      const char *s = i == 0 ? text : receipt_json_text;

      g_assert_nonnull (strstr (s, uid));
      g_assert_null (strstr (s, "Noor"));
      g_assert_null (strstr (s, "Groot"));
      g_assert_null (strstr (s, "thuis.example"));
    }

  /* Gone: the contact, its rows, its index entries, its own tag and field. */
  g_assert_null (tesoro_session_get_contact (fixture->session, tesoro_contact_get_id (contact), &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  found = tesoro_session_search_ids (fixture->session, "noor", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_array_unref (found);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM tags WHERE name = 'beurs 2024'"), ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM tags WHERE name = 'klant'"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM custom_fields WHERE name = 'Account manager'"), ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM custom_fields WHERE name = 'Klantnummer'"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM notes"), ==, 0);

  receipts = tesoro_session_list_erasure_receipts (fixture->session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, 1);
  g_assert_cmpstr (tesoro_erasure_receipt_get_contact_uid (receipts->pdata[0]), ==, uid);
  g_assert_true (tesoro_erasure_receipt_get_files_purged (receipts->pdata[0]));
  g_assert_cmpuint (tesoro_erasure_receipt_get_counts (receipts->pdata[0])->notes, ==, 3);

  /* The log keeps the event (who, when, why, how many) without the person. */
  tesoro_audit_filter_init (&filter);
  filter.action = TESORO_AUDIT_ERASE;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (tesoro_audit_entry_get_contact_uid (entries->pdata[0]), ==, uid);
  g_assert_nonnull (strstr (tesoro_audit_entry_get_details (entries->pdata[0]), "\"notes\":3"));
  g_assert_null (strstr (tesoro_audit_entry_get_details (entries->pdata[0]), "Noor"));

  /* The whole log holds nothing about her but her uid. */
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = tesoro_session_list_audit (fixture->session, NULL, &error);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(JsonNode) node = tesoro_audit_entry_to_json_node (entries->pdata[i]);
      g_autofree char *entry_text = tesoro_json_to_string (node, FALSE);

      g_assert_null (strstr (entry_text, "Noor"));
      g_assert_null (strstr (entry_text, "sophie"));
    }
}

static void
test_erase_batch (TesoroTestFixture *fixture,
                  gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TesoroContact) a = tesoro_test_add_named (fixture->session, "Anna", "A");
  g_autoptr(TesoroContact) b = tesoro_test_add_named (fixture->session, "Bram", "B");
  g_autoptr(TesoroContact) c = tesoro_test_add_named (fixture->session, "Cas", "C");
  gint64 ids[3] = { tesoro_contact_get_id (a), tesoro_contact_get_id (b), tesoro_contact_get_id (c) };
  gint64 missing[2] = { tesoro_contact_get_id (a), 4242 };

  /* All or nothing: one missing contact stops the whole batch. */
  g_assert_false (tesoro_session_erase_contacts (fixture->session, missing, 2, NULL, TESORO_ERASURE_BATCH,
                                                 NULL, NULL, NULL, &receipts, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (receipts);
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, FALSE, NULL), ==, 3);

  /* Cancelled: nothing erased. */
  g_cancellable_cancel (cancellable);
  g_assert_false (tesoro_session_erase_contacts (fixture->session, ids, 3, NULL, TESORO_ERASURE_BATCH,
                                                 cancellable, NULL, NULL, &receipts, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, FALSE, NULL), ==, 3);

  tesoro_session_erase_contacts (fixture->session, ids, 3, "Clean-up", TESORO_ERASURE_BATCH,
                                 NULL, NULL, NULL, &receipts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (tesoro_erasure_receipt_get_method (receipts->pdata[i]), ==, "batch");
      g_assert_cmpstr (tesoro_erasure_receipt_get_reason (receipts->pdata[i]), ==, "Clean-up");
      g_assert_true (tesoro_erasure_receipt_get_files_purged (receipts->pdata[i]));
    }
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, FALSE, NULL), ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM erasure_receipts WHERE files_purged = 1"), ==, 3);
}

/* Trash */

static void
test_trash_expiry (TesoroTestFixture *fixture,
                   gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(TesoroContact) old = tesoro_contact_new ();
  g_autoptr(TesoroContact) recent = tesoro_contact_new ();
  g_autoptr(TesoroContact) kept = tesoro_test_add_named (fixture->session, "Not", "Trashed");
  g_autoptr(TesoroCliResult) result = NULL;
  TesoroGdprSettings settings;

  g_setenv ("TESORO_NOW", "2025-06-30T12:00:00Z", TRUE);

  tesoro_session_get_gdpr_settings (fixture->session, &settings, &error);
  g_assert_no_error (error);
  g_assert_false (settings.retention_enabled);
  g_assert_cmpuint (settings.retention_years, ==, 5);
  g_assert_cmpuint (settings.trash_expiry_days, ==, 30);

  tesoro_contact_set_given_name (old, "Old");
  tesoro_contact_set_trashed_at (old, "2025-05-30T11:00:00Z");  /* 31 days */
  add_contact (fixture->session, old);
  tesoro_contact_set_given_name (recent, "Recent");
  tesoro_contact_set_trashed_at (recent, "2025-06-01T12:00:00Z");  /* 29 days */
  add_contact (fixture->session, recent);

  tesoro_session_expire_trash (fixture->session, NULL, &receipts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, 1);
  g_assert_cmpstr (tesoro_erasure_receipt_get_contact_uid (receipts->pdata[0]), ==, tesoro_contact_get_uid (old));
  g_assert_cmpstr (tesoro_erasure_receipt_get_method (receipts->pdata[0]), ==, "trash");
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, TRUE, NULL), ==, 1);
  g_clear_pointer (&receipts, g_ptr_array_unref);

  /* 0 days: kept until the trash is emptied. */
  settings.trash_expiry_days = 0;
  tesoro_session_set_gdpr_settings (fixture->session, &settings, &error);
  g_assert_no_error (error);
  g_setenv ("TESORO_NOW", "2026-06-30T12:00:00Z", TRUE);
  tesoro_session_run_housekeeping (fixture->session, NULL, &receipts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, 0);
  g_clear_pointer (&receipts, g_ptr_array_unref);

  /* Empty Trash from the command line needs confirmation. */
  result = tesoro_test_cli (fixture->path, NULL, "empty-trash", NULL);
  g_assert_cmpint (result->status, ==, 1);
  g_assert_nonnull (strstr (result->err, "--yes"));
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, TRUE, NULL), ==, 1);
  g_clear_pointer (&result, tesoro_cli_result_free);

  result = tesoro_test_cli (fixture->path, NULL, "empty-trash", "--yes", NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, TRUE, NULL), ==, 0);
  g_assert_cmpint (tesoro_session_count_contacts (fixture->session, FALSE, NULL), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM audit_log WHERE action = 'empty-trash'"), ==, 1);

  g_unsetenv ("TESORO_NOW");
  (void) kept;
}

static void
test_settings (TesoroTestFixture *fixture,
               gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroCliResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  TesoroGdprSettings settings = { TRUE, 7, 14 };

  tesoro_session_set_gdpr_settings (fixture->session, &settings, &error);
  g_assert_no_error (error);
  settings.retention_years = 0;
  g_assert_false (tesoro_session_set_gdpr_settings (fixture->session, &settings, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);

  result = tesoro_test_cli (fixture->path, NULL, "settings", "--json", NULL);
  g_assert_cmpint (result->status, ==, 0);
  node = tesoro_test_parse_json (result->out);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "retention_enabled"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "retention_years"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "trash_expiry_days"), ==, 14);
  g_clear_pointer (&result, tesoro_cli_result_free);

  result = tesoro_test_cli (fixture->path, NULL, "settings", "--retention", "off", NULL);
  g_assert_cmpint (result->status, ==, 0);
  tesoro_session_get_gdpr_settings (fixture->session, &settings, &error);
  g_assert_false (settings.retention_enabled);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM audit_log WHERE action = 'settings'"), ==, 4);
}

/* Retention */

static TesoroContact *
contact_active_at (TesoroSession *session,
                   const char  *name,
                   const char  *last_activity_at)
{
  TesoroContact *contact = tesoro_contact_new ();

  tesoro_contact_set_given_name (contact, name);
  tesoro_contact_set_created_at (contact, "2010-01-01T00:00:00Z");
  tesoro_contact_set_last_activity_at (contact, last_activity_at);
  return add_contact (session, contact);
}

static GArray *
ids_of (GPtrArray *contacts)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < contacts->len; i++)
    {
      gint64 id = tesoro_contact_get_id (contacts->pdata[i]);
      g_array_append_val (ids, id);
    }
  return ids;
}

static void
test_retention (TesoroTestFixture *fixture,
                gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(TesoroCliResult) added = NULL;
  g_autoptr(TesoroCliResult) dry = NULL;
  g_autoptr(TesoroCliResult) applied = NULL;
  g_autoptr(JsonNode) dry_json = NULL;
  g_autoptr(JsonNode) added_json = NULL;
  g_autofree char *json_path = fixture_file (fixture, "old.json");
  g_autofree char *cutoff = NULL;
  TesoroContact *old_2015, *old_trashed, *held, *recent, *at_cutoff, *just_before, *revived, *edited;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 cli_id;
  JsonArray *array;

  /* Now is 2025-06-30: five years back is 2020-06-30T12:00:00Z. */
  g_setenv ("TESORO_NOW", "2025-06-30T12:00:00Z", TRUE);
  cutoff = tesoro_retention_cutoff (5);
  g_assert_cmpstr (cutoff, ==, "2020-06-30T12:00:00Z");

  g_ptr_array_add (keep, old_2015 = contact_active_at (fixture->session, "Old 2015", "2015-03-01T10:00:00Z"));
  g_ptr_array_add (keep, old_trashed = contact_active_at (fixture->session, "Old trashed", "2016-01-01T00:00:00Z"));
  g_ptr_array_add (keep, held = contact_active_at (fixture->session, "Old on hold", "2014-01-01T00:00:00Z"));
  g_ptr_array_add (keep, recent = contact_active_at (fixture->session, "Recent", "2024-01-01T00:00:00Z"));
  g_ptr_array_add (keep, at_cutoff = contact_active_at (fixture->session, "At cutoff", "2020-06-30T12:00:00Z"));
  g_ptr_array_add (keep, just_before = contact_active_at (fixture->session, "Just before", "2020-06-30T11:59:59Z"));
  g_ptr_array_add (keep, revived = contact_active_at (fixture->session, "Revived by a note", "2012-01-01T00:00:00Z"));
  g_ptr_array_add (keep, edited = contact_active_at (fixture->session, "Revived by an edit", "2013-01-01T00:00:00Z"));

  tesoro_session_trash_contact (fixture->session, tesoro_contact_get_id (old_trashed), &error);
  g_assert_no_error (error);
  tesoro_session_set_legal_hold (fixture->session, tesoro_contact_get_id (held), TRUE, "Court case", &error);
  g_assert_no_error (error);
  /* Setting the hold is an edit: the contact counts as active since. Put
   * its old date back, as if the hold had been set long ago. */
  tesoro_test_sql_exec (fixture->path, "UPDATE contacts SET last_activity_at = '2014-01-01T00:00:00Z'"
                                       " WHERE given_name = 'Old on hold'");

  /* Any activity or edit moves the contact out of reach. */
  tesoro_session_add_note (fixture->session, tesoro_contact_get_id (revived), "Called again", &error);
  g_assert_no_error (error);
  tesoro_contact_set_job_title (edited, "Buyer");
  tesoro_session_update_contact (fixture->session, edited, &error);
  g_assert_no_error (error);

  /* A contact from historical data, through add --json: inactive since 2015. */
  tesoro_test_write_file (json_path,
                          "{\"given_name\": \"Imported\", \"family_name\": \"In 2015\","
                          " \"emails\": [{\"label\": \"work\", \"value\": \"imported@example.org\", \"primary\": true}],"
                          " \"notes\": [{\"body\": \"Met at the fair\", \"created_at\": \"2015-05-01T10:00:00Z\"}],"
                          " \"created_at\": \"2015-01-01T00:00:00Z\", \"updated_at\": \"2015-01-01T00:00:00Z\","
                          " \"last_activity_at\": \"2015-05-01T10:00:00Z\"}", -1);
  added = tesoro_test_cli (fixture->path, NULL, "add", "--json", json_path, NULL);
  g_assert_cmpint (added->status, ==, 0);
  added_json = tesoro_test_parse_json (added->out);
  cli_id = json_object_get_int_member (json_node_get_object (added_json), "id");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (added_json), "last_activity_at"),
                   ==, "2015-05-01T10:00:00Z");

  /* The preview: exactly those inactive since before the cutoff, not on hold. */
  candidates = tesoro_session_find_retention_candidates (fixture->session, 5, &error);
  g_assert_no_error (error);
  ids = ids_of (candidates);
  g_assert_cmpuint (ids->len, ==, 4);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, tesoro_contact_get_id (old_2015));
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, cli_id);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, tesoro_contact_get_id (old_trashed));
  g_assert_cmpint (g_array_index (ids, gint64, 3), ==, tesoro_contact_get_id (just_before));
  g_assert_nonnull (tesoro_contact_get_trashed_at (candidates->pdata[2]));

  /* The same from the command line, as JSON. */
  dry = tesoro_test_cli (fixture->path, NULL, "retention", "--years", "5", "--dry-run", "--json", NULL);
  g_assert_cmpint (dry->status, ==, 0);
  dry_json = tesoro_test_parse_json (dry->out);
  array = json_node_get_array (dry_json);
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, i), "id"),
                     ==, g_array_index (ids, gint64, i));
  /* A dry run changes nothing. */
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM contacts"), ==, 9);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM erasure_receipts"), ==, 0);

  /* Apply: each with a receipt, and the run in the log. */
  applied = tesoro_test_cli (fixture->path, NULL, "retention", "--years", "5", "--apply", "--json", NULL);
  g_assert_cmpint (applied->status, ==, 0);
  {
    g_autoptr(JsonNode) node = tesoro_test_parse_json (applied->out);
    JsonArray *applied_receipts = json_node_get_array (node);

    g_assert_cmpuint (json_array_get_length (applied_receipts), ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        JsonObject *r = json_array_get_object_element (applied_receipts, i);

        g_assert_cmpstr (json_object_get_string_member (r, "method"), ==, "retention");
        g_assert_true (json_object_get_boolean_member (r, "files_purged"));
        g_assert_nonnull (strstr (json_object_get_string_member (r, "reason"), "5 years"));
      }
  }
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM contacts"), ==, 5);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM contacts WHERE id = %" G_GINT64_FORMAT,
                                              g_array_index (ids, gint64, i));
      g_assert_cmpint (tesoro_test_sql_int (fixture->path, sql), ==, 0);
    }
  g_assert_cmpint (tesoro_test_sql_int (fixture->path,
                                        "SELECT count(*) FROM audit_log WHERE action = 'retention-run'"
                                        " AND details LIKE '%\"erased\":4%'"), ==, 1);

  /* Nothing is due now; the run is logged all the same. */
  tesoro_session_apply_retention (fixture->session, 5, NULL, NULL, NULL, &receipts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (receipts->len, ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM audit_log WHERE action = 'retention-run'"), ==, 2);

  g_unsetenv ("TESORO_NOW");
  (void) recent;
  (void) at_cutoff;
}

/* The accountability log */

static void
run_sqlite3_tool (const char *db_path,
                  const char *sql)
{
  g_autofree char *tool = g_find_program_in_path ("sqlite3");

  if (tool != NULL)
    {
      const char *argv[] = { tool, db_path, sql, NULL };
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("sqlite3 %s: %s", sql, err);
    }
  else
    {
      g_test_message ("the sqlite3 tool is not installed: changing the file through the C library");
      tesoro_test_sql_exec (db_path, sql);
    }
}

static void
make_log (TesoroTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (fixture->session, "Ruben", "Dekker");
  g_autofree char *path = fixture_file (fixture, "ruben.json");

  tesoro_session_record_consent (fixture->session, tesoro_contact_get_id (contact), "marketing-email", TRUE, NULL,
                                 "web form", NULL, &error);
  g_assert_no_error (error);
  tesoro_session_export_data (fixture->session, tesoro_contact_get_id (contact), TESORO_EXPORT_FORMAT_JSON, path, &error);
  g_assert_no_error (error);
  tesoro_session_set_restricted (fixture->session, tesoro_contact_get_id (contact), TRUE, &error);
  g_assert_no_error (error);
  tesoro_session_set_restricted (fixture->session, tesoro_contact_get_id (contact), FALSE, &error);
  g_assert_no_error (error);
  tesoro_session_erase_contact (fixture->session, tesoro_contact_get_id (contact), NULL, TESORO_ERASURE_MANUAL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM audit_log"), ==, 5);
}

static void
assert_verify_fails (TesoroTestFixture *fixture,
                     gint64             expected_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroCliResult) result = NULL;
  g_autofree char *expected = g_strdup_printf ("entry %" G_GINT64_FORMAT, expected_id);
  gint64 broken = 0;

  tesoro_test_reopen (fixture);
  g_assert_false (tesoro_session_verify_audit (fixture->session, NULL, NULL, &broken, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_cmpint (broken, ==, expected_id);

  result = tesoro_test_cli (fixture->path, NULL, "audit", "--verify", NULL);
  g_assert_cmpint (result->status, ==, 1);
  g_assert_null (strstr (result->out, "OK"));
  g_assert_nonnull (strstr (result->err, expected));
}

static void
test_audit_verify (TesoroTestFixture *fixture,
                   gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroCliResult) result = NULL;
  g_autoptr(TesoroCliResult) listing = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *head = NULL;
  gint64 n = 0, broken = -1;

  make_log (fixture);

  g_assert_true (tesoro_session_verify_audit (fixture->session, NULL, &n, &broken, &head, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 5);
  g_assert_cmpint (broken, ==, 0);
  g_assert_cmpuint (strlen (head), ==, 64);

  result = tesoro_test_cli (fixture->path, NULL, "audit", "--verify", NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_true (g_str_has_prefix (result->out, "OK\n"));

  listing = tesoro_test_cli (fixture->path, NULL, "audit", "--json", NULL);
  g_assert_cmpint (listing->status, ==, 0);
  node = tesoro_test_parse_json (listing->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (node), 4),
                                                  "action"), ==, "erase");

  /* The log refuses changes while its triggers are there. */
  g_assert_cmpint (tesoro_session_append_audit (fixture->session, "test", NULL, NULL, &error), ==, 6);
  g_assert_no_error (error);
  {
    g_autofree char *tool = g_find_program_in_path ("sqlite3");
    if (tool != NULL)
      {
        const char *argv[] = { tool, fixture->path, "DELETE FROM audit_log WHERE id = 6", NULL };
        int status = 0;

        g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, NULL, NULL, &status, &error);
        g_assert_no_error (error);
        g_assert_false (g_spawn_check_wait_status (status, NULL));
      }
  }
  g_assert_true (tesoro_session_verify_audit (fixture->session, NULL, &n, NULL, NULL, &error));
  g_assert_cmpint (n, ==, 6);
}

static void
test_audit_tamper_alter (TesoroTestFixture *fixture,
                         gconstpointer      data)
{
  make_log (fixture);
  /* As an attacker would: drop the triggers, then edit. */
  run_sqlite3_tool (fixture->path,
                    "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                    " UPDATE audit_log SET actor = 'someone-else' WHERE id = 3;");
  assert_verify_fails (fixture, 3);
}

static void
test_audit_tamper_delete (TesoroTestFixture *fixture,
                          gconstpointer      data)
{
  make_log (fixture);
  run_sqlite3_tool (fixture->path,
                    "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                    " DELETE FROM audit_log WHERE id = 2;");
  assert_verify_fails (fixture, 3);
}

static void
test_audit_tamper_delete_newest (TesoroTestFixture *fixture,
                                 gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  gint64 broken = 0;

  make_log (fixture);
  run_sqlite3_tool (fixture->path,
                    "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                    " DELETE FROM audit_log WHERE id = 5;");
  assert_verify_fails (fixture, 5);

  /* Writing on does not hide the gap. */
  g_assert_cmpint (tesoro_session_append_audit (fixture->session, "test", NULL, NULL, &error), ==, 6);
  g_assert_false (tesoro_session_verify_audit (fixture->session, NULL, NULL, &broken, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_cmpint (broken, ==, 6);
}

static void
test_audit_filters (TesoroTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (fixture->session, "Fleur", "Bos");
  g_autoptr(TesoroContact) other = tesoro_test_add_named (fixture->session, "Joost", "Kok");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(TesoroCliResult) result = NULL;
  g_autofree char *id = id_text (tesoro_contact_get_id (contact));
  TesoroAuditFilter filter;

  g_setenv ("TESORO_NOW", "2025-01-01T00:00:00Z", TRUE);
  tesoro_session_set_restricted (fixture->session, tesoro_contact_get_id (contact), TRUE, &error);
  g_setenv ("TESORO_NOW", "2025-02-01T00:00:00Z", TRUE);
  tesoro_session_set_restricted (fixture->session, tesoro_contact_get_id (other), TRUE, &error);
  g_setenv ("TESORO_NOW", "2025-03-01T00:00:00Z", TRUE);
  tesoro_session_set_legal_hold (fixture->session, tesoro_contact_get_id (contact), TRUE, NULL, &error);
  g_assert_no_error (error);
  g_unsetenv ("TESORO_NOW");

  tesoro_audit_filter_init (&filter);
  filter.contact_uid = tesoro_contact_get_uid (contact);
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_clear_pointer (&entries, g_ptr_array_unref);

  tesoro_audit_filter_init (&filter);
  filter.since = "2025-01-15";
  filter.until = "2025-02-15";
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (tesoro_audit_entry_get_contact_uid (entries->pdata[0]), ==, tesoro_contact_get_uid (other));
  g_clear_pointer (&entries, g_ptr_array_unref);

  tesoro_audit_filter_init (&filter);
  filter.limit = 1;
  filter.newest_first = TRUE;
  entries = tesoro_session_list_audit (fixture->session, &filter, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (tesoro_audit_entry_get_action (entries->pdata[0]), ==, TESORO_AUDIT_LEGAL_HOLD);

  result = tesoro_test_cli (fixture->path, NULL, "audit", "--contact", id, "--action", "restrict", NULL);
  g_assert_cmpint (result->status, ==, 0);
  {
    g_auto(GStrv) lines = g_strsplit (result->out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
  }
}

/* Command-line confirmations */

/* Runs tesoro-cli with standard input read from a file (not a terminal):
 * what a script piping "y" into it would do. */
static int
run_cli_with_input_file (const char         *input_path,
                         const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (args, (char *) g_getenv ("TESORO_CLI"));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);

  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static void
test_cli_confirmations (TesoroTestFixture *fixture,
                        gconstpointer      data)
{
  g_autoptr(TesoroContact) contact = add_contact (fixture->session, tesoro_test_full_contact ("Sem", "Mulder"));
  g_autofree char *id = id_text (tesoro_contact_get_id (contact));
  g_autoptr(TesoroCliResult) refused = NULL;
  g_autofree char *yes_path = fixture_file (fixture, "yes.txt");
  g_autoptr(TesoroCliResult) trashed = NULL;
  g_autoptr(TesoroCliResult) erased = NULL;
  g_autoptr(TesoroCliResult) receipts = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* No terminal, no --yes: refused, exit 1, nothing deleted. Typing "y"
   * into a pipe is not a confirmation either. */
  refused = tesoro_test_cli (fixture->path, NULL, "delete", id, "--permanent", NULL);
  g_assert_cmpint (refused->status, ==, 1);
  g_assert_nonnull (strstr (refused->err, "--yes"));
  tesoro_test_write_file (yes_path, "y\n", -1);
  g_assert_cmpint (run_cli_with_input_file (yes_path, (const char * const[]) { "--db", fixture->path, "delete", id,
                                                                                "--permanent", NULL }), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM contacts"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM notes"), ==, 2);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM erasure_receipts"), ==, 0);

  /* Plain delete is the trash. */
  trashed = tesoro_test_cli (fixture->path, NULL, "delete", id, NULL);
  g_assert_cmpint (trashed->status, ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM contacts WHERE trashed_at IS NOT NULL"), ==, 1);

  erased = tesoro_test_cli (fixture->path, NULL, "delete", id, "--permanent", "--yes", "--reason", "Art. 17 request", NULL);
  g_assert_cmpint (erased->status, ==, 0);
  g_assert_nonnull (strstr (erased->out, tesoro_contact_get_uid (contact)));
  g_assert_nonnull (strstr (erased->out, "2 notes"));
  g_assert_null (strstr (erased->out, "Mulder"));
  g_assert_cmpint (tesoro_test_sql_int (fixture->path, "SELECT count(*) FROM contacts"), ==, 0);

  receipts = tesoro_test_cli (fixture->path, NULL, "receipts", "--json", NULL);
  g_assert_cmpint (receipts->status, ==, 0);
  node = tesoro_test_parse_json (receipts->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (node), 0),
                                                  "reason"), ==, "Art. 17 request");
}

/* Issue 14, point 2: the person is cut out of an erasure reason however
 * their phone number is written, and so are their organisation, street,
 * postcode, birthday and consent evidence; the rest of the reason stays. */
static void
test_erase_reason (TesoroTestFixture *fixture,
                   gconstpointer      data)
{
  static const struct
  {
    const char *reason;
    const char *kept;
  } cases[] = {
    { "Called from 06 98765432, see ticket 12", "Called from […], see ticket 12" },
    { "Called from +31 6 98765432, see ticket 12", "Called from […], see ticket 12" },
    { "Called from 0698765432", "Called from […]" },
    { "Called from 06-98765432 twice", "Called from […] twice" },
    { "Called from 0031 (0)6 9876 5432", "Called from […]" },
    { "Called from (06) 98 76 54 32", "Called from […]" },
    { "Called from +31698765432", "Called from […]" },
    { "Called from 06 9876 5432 and 06.98.76.54.32", "Called from […] and […]" },
    { "Request of LOTTE VISSER by phone", "Request of […] by phone" },
    { "Asked by the office of visserij noordzee bv", "Asked by the office of […]" },
    { "Moved away from Havenweg 17, 9981XK", "Moved away from […], […]" },
    { "Moved away from havenweg 17 (9981 xk)", "Moved away from […] ([…])" },
    { "Born 23-11-1979, says the letter", "Born […], says the letter" },
    { "Born 1979-11-23", "Born […]" },
    { "Born 23/11/1979", "Born […]" },
    { "Born 23 November 1979", "Born […]" },
    { "Born 23 november 1979 (Dutch)", "Born […] (Dutch)" },
    { "Evidence was: Signed form 4471 at the fair.", "Evidence was: […]." },
    { "Art. 17 request, ticket 2024-118, 3 phone calls", "Art. 17 request, ticket 2024-118, 3 phone calls" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesoroContact) contact = tesoro_contact_new ();
      g_autoptr(TesoroErasureReceipt) receipt = NULL;
      g_autofree char *sql = NULL;
      TesoroAddress *address = tesoro_address_new ();

      tesoro_contact_set_given_name (contact, "Lotte");
      tesoro_contact_set_family_name (contact, "Visser");
      tesoro_contact_set_organization (contact, "Visserij Noordzee BV");
      tesoro_contact_set_birthday (contact, "1979-11-23");
      tesoro_contact_add_phone (contact, "mobile", "06 98765432", TRUE);
      address->label = g_strdup ("home");
      address->street = g_strdup ("Havenweg 17");
      address->postal_code = g_strdup ("9981 XK");
      address->city = g_strdup ("Uithuizen");
      address->country = g_strdup ("NL");
      g_ptr_array_add (tesoro_contact_get_addresses (contact), address);
      add_contact (fixture->session, contact);
      tesoro_session_record_consent (fixture->session, tesoro_contact_get_id (contact), "marketing-email", TRUE,
                                     NULL, "fair", "Signed form 4471 at the fair", &error);
      g_assert_no_error (error);

      /* The confirmation shows beforehand what the receipt will keep. */
      {
        g_autofree char *preview = tesoro_session_preview_erasure_reason (fixture->session,
                                                                          tesoro_contact_get_id (contact),
                                                                          cases[i].reason, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (preview, ==, cases[i].kept);
      }

      tesoro_session_erase_contact (fixture->session, tesoro_contact_get_id (contact), cases[i].reason,
                                    TESORO_ERASURE_MANUAL, &receipt, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (tesoro_erasure_receipt_get_reason (receipt), ==, cases[i].kept);

      /* The append-only log keeps what the receipt keeps, no more. */
      sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE action = 'erase' AND contact_uid = '%s'"
                             " AND (details LIKE '%%8765%%' OR details LIKE '%%76 54%%' OR details LIKE '%%Havenweg%%'"
                             " OR details LIKE '%%9981%%' OR details LIKE '%%1979%%' OR details LIKE '%%Noordzee%%'"
                             " OR details LIKE '%%4471%%')",
                             tesoro_contact_get_uid (contact));
      g_assert_cmpint (tesoro_test_sql_int (fixture->path, sql), ==, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, TesoroTestFixture, NULL, tesoro_test_fixture_setup, func, tesoro_test_fixture_teardown)

  ADD ("/gdpr/export/complete", test_export_complete);
  ADD ("/gdpr/export/audited", test_export_audited);
  ADD ("/gdpr/export/atomic", test_export_atomic);
  ADD ("/gdpr/consent/ledger", test_consent_ledger);
  ADD ("/gdpr/consent/cli", test_consent_cli);
  ADD ("/gdpr/marketing/purpose-limitation", test_marketing_export);
  ADD ("/gdpr/restrict-hold-basis", test_restrict_hold_basis);
  ADD ("/gdpr/erase/receipt", test_erase_receipt);
  ADD ("/gdpr/erase/batch", test_erase_batch);
  ADD ("/gdpr/erase/reason", test_erase_reason);
  ADD ("/gdpr/trash/expiry", test_trash_expiry);
  ADD ("/gdpr/settings", test_settings);
  ADD ("/gdpr/retention", test_retention);
  ADD ("/gdpr/audit/verify", test_audit_verify);
  ADD ("/gdpr/audit/tamper-alter", test_audit_tamper_alter);
  ADD ("/gdpr/audit/tamper-delete", test_audit_tamper_delete);
  ADD ("/gdpr/audit/tamper-delete-newest", test_audit_tamper_delete_newest);
  ADD ("/gdpr/audit/filters", test_audit_filters);
  ADD ("/gdpr/cli/confirmations", test_cli_confirmations);

  return g_test_run ();
}
