/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json"

#include "config.h"

#include <string.h>

#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-session.h"
#include "tesoro-test-utils.h"

/* The contact JSON of DESIGN.md, both ways, and hostile input. */

static const char * const design_keys[] = {
  "id", "uid", "given_name", "family_name", "display_name", "organization", "job_title",
  "birthday", "lawful_basis", "restricted", "emails", "phones", "addresses", "tags",
  "custom_fields", "notes", "messages", "tasks", "activities", "consent", "created_at",
  "updated_at", "last_activity_at", NULL
};

/* Everything stored, as one number: contacts and every linked row. */
static gint64
rows_stored (const char *path)
{
  return tesoro_test_sql_int (path,
                              "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM contact_emails)"
                              " + (SELECT count(*) FROM contact_phones) + (SELECT count(*) FROM contact_addresses)"
                              " + (SELECT count(*) FROM contact_custom_values) + (SELECT count(*) FROM contact_tags)"
                              " + (SELECT count(*) FROM notes) + (SELECT count(*) FROM messages)"
                              " + (SELECT count(*) FROM tasks) + (SELECT count(*) FROM activities)"
                              " + (SELECT count(*) FROM consent_events) + (SELECT count(*) FROM search_terms)"
                              " + (SELECT count(*) FROM custom_fields) + (SELECT count(*) FROM tags)");
}

static char *
read_data (const char *name,
           gsize      *length)
{
  g_autofree char *path = tesoro_test_data_file (name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, length, &error);
  g_assert_no_error (error);
  return text;
}

/* Reads @text as a contact and sessions it, as `tesoro-cli add` does. */
static TesoroContact *
add_json (TesoroSession  *session,
          const char   *text,
          gssize        length,
          GError      **error)
{
  g_autoptr(TesoroContact) contact = tesoro_contact_new_from_json (text, length, error);

  if (contact == NULL || !tesoro_session_add_contact (session, contact, error))
    return NULL;

  return tesoro_session_get_contact (session, tesoro_contact_get_id (contact), error);
}

static void
test_round_trip (TesoroTestFixture *f,
                 gconstpointer      data)
{
  g_autofree char *text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *again = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(JsonNode) stored_node = NULL;
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroContact) reread = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gsize length;

  text = read_data ("full.json", &length);
  input = tesoro_test_parse_json (text);

  stored = add_json (f->session, text, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);

  /* Every value that went in comes out, nested records and given
   * timestamps included, in the same order. */
  stored_node = tesoro_contact_to_json_node (stored);
  tesoro_test_assert_json_contains (input, stored_node);

  object = json_node_get_object (stored_node);
  for (guint i = 0; design_keys[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, design_keys[i]));
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, tesoro_contact_get_id (stored));
  g_assert_cmpint (json_object_get_int_member (object, "id"), >, 0);
  g_assert_cmpstr (tesoro_contact_get_consent_state (stored), ==, "withdrawn");

  /* And the output reads back as itself. */
  output = tesoro_contact_to_json (stored, TRUE);
  reread = tesoro_contact_new_from_json (output, -1, &error);
  g_assert_no_error (error);
  again = tesoro_contact_to_json (reread, TRUE);
  g_assert_cmpstr (again, ==, output);
  tesoro_test_assert_contacts_equal (stored, reread);
}

static void
test_minimal (TesoroTestFixture *f,
              gconstpointer      data)
{
  g_autofree char *text = NULL;
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonObject *email;
  gsize length;

  g_setenv ("TESORO_NOW", "2030-02-03T04:05:06Z", TRUE);
  text = read_data ("minimal-email.json", &length);
  stored = add_json (f->session, text, length, &error);
  g_unsetenv ("TESORO_NOW");
  g_assert_no_error (error);

  node = tesoro_contact_to_json_node (stored);
  object = json_node_get_object (node);
  for (guint i = 0; design_keys[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, design_keys[i]));

  /* The only e-mail address names the contact and is its primary one. */
  g_assert_cmpstr (json_object_get_string_member (object, "display_name"), ==, "info@example.org");
  email = json_array_get_object_element (json_object_get_array_member (object, "emails"), 0);
  g_assert_true (json_object_get_boolean_member (email, "primary"));
  g_assert_cmpstr (json_object_get_string_member (email, "label"), ==, "");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (object, "uid")));
  g_assert_true (json_object_get_null_member (object, "lawful_basis"));
  g_assert_true (json_object_get_null_member (object, "birthday"));
  g_assert_false (json_object_get_boolean_member (object, "restricted"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "notes")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "custom_fields")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, "2030-02-03T04:05:06Z");
  g_assert_cmpstr (json_object_get_string_member (object, "updated_at"), ==, "2030-02-03T04:05:06Z");
  g_assert_cmpstr (json_object_get_string_member (object, "last_activity_at"), ==, "2030-02-03T04:05:06Z");
}

static void
test_timestamps (TesoroTestFixture *f,
                 gconstpointer      data)
{
  static const char text[] =
    "{ \"given_name\": \"Tijd\","
    "  \"created_at\": \"2024-03-01T14:05:00+01:00\","
    "  \"notes\": [ { \"body\": \"x\", \"created_at\": \"2024-03-02\" } ],"
    "  \"tasks\": [ { \"title\": \"y\", \"due\": \"2024-03-09\" },"
    "               { \"title\": \"z\", \"due\": \"2024-03-10T08:00:00-05:00\" } ] }";
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = add_json (f->session, text, -1, &error);
  g_assert_no_error (error);

  /* Stored in UTC; a date alone is midnight UTC, except a due date, which
   * stays a date. */
  g_assert_cmpstr (tesoro_contact_get_created_at (stored), ==, "2024-03-01T13:05:00Z");
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (stored)->pdata[0])->created_at, ==, "2024-03-02T00:00:00Z");
  g_assert_cmpstr (((TesoroTask *) tesoro_contact_get_tasks (stored)->pdata[0])->due, ==, "2024-03-09");
  g_assert_cmpstr (((TesoroTask *) tesoro_contact_get_tasks (stored)->pdata[1])->due, ==, "2024-03-10T13:00:00Z");
}

typedef struct
{
  const char *name;       /* a file in tests/data/contacts, or a label */
  const char *text;       /* the JSON, when not from a file */
  int         code;       /* TesoroError */
  const char *patterns[3]; /* regular expressions the message must match */
} BadCase;

static void
assert_refused (TesoroTestFixture *f,
                const BadCase     *c,
                const char        *text,
                gssize             length)
{
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = rows_stored (f->path);
  gint64 contacts_before = tesoro_session_count_contacts (f->session, FALSE, NULL);

  contact = add_json (f->session, text, length, &error);
  g_assert_null (contact);
  if (error == NULL)
    g_error ("%s: accepted", c->name);
  g_test_message ("%s: %s", c->name, error->message);
  if (!g_error_matches (error, TESORO_ERROR, c->code))
    g_error ("%s: error code %d, expected %d: %s", c->name, error->code, c->code, error->message);
  for (guint i = 0; i < G_N_ELEMENTS (c->patterns) && c->patterns[i] != NULL; i++)
    if (!g_regex_match_simple (c->patterns[i], error->message, 0, 0))
      g_error ("%s: the message “%s” does not say /%s/", c->name, error->message, c->patterns[i]);

  /* Nothing was stored, not even in part. */
  g_assert_cmpint (rows_stored (f->path), ==, before);
  g_assert_cmpint (tesoro_session_count_contacts (f->session, FALSE, NULL), ==, contacts_before);
}

static void
test_bad_files (TesoroTestFixture *f,
                gconstpointer      data)
{
  static const BadCase cases[] = {
    { "bad-malformed.json", NULL, TESORO_ERROR_PARSE, { "\\b3:[0-9]+", "[Pp]arse", "expected character `,'" } },
    { "bad-emails-type.json", NULL, TESORO_ERROR_INVALID, { "“emails”", "an array", "a string" } },
    { "bad-restricted-type.json", NULL, TESORO_ERROR_INVALID, { "“restricted”", "true or false" } },
    { "bad-tags-number.json", NULL, TESORO_ERROR_INVALID, { "“tags\\[0\\]”", "a string", "a number" } },
    { "bad-unknown-field.json", NULL, TESORO_ERROR_INVALID, { "[Uu]nknown", "“nickname”" } },
    { "bad-email.json", NULL, TESORO_ERROR_INVALID, { "emails\\[1\\]", "sophie at home", "e-mail" } },
    { "bad-no-name.json", NULL, TESORO_ERROR_INVALID, { "name or an e-mail" } },
    { "bad-birthday.json", NULL, TESORO_ERROR_INVALID, { "birthday", "2023-02-30" } },
    { "bad-note-date.json", NULL, TESORO_ERROR_INVALID, { "notes\\[0\\]", "yesterday" } },
    { "bad-empty-note.json", NULL, TESORO_ERROR_INVALID, { "notes\\[1\\]", "empty" } },
  };
  g_autoptr(TesoroContact) existing = tesoro_test_full_contact ("Eerste", "Contact");
  g_autoptr(GError) error = NULL;

  /* Something to lose. */
  g_assert_true (tesoro_session_add_contact (f->session, existing, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;
      gsize length;

      text = read_data (cases[i].name, &length);
      assert_refused (f, &cases[i], text, length);
    }

  g_assert_cmpint (tesoro_session_count_contacts (f->session, FALSE, NULL), ==, 1);
}

static void
test_bad_text (TesoroTestFixture *f,
               gconstpointer      data)
{
  static const BadCase cases[] = {
    { "empty", "", TESORO_ERROR_PARSE, { "empty" } },
    { "blank", "  \n ", TESORO_ERROR_PARSE, { "empty" } },
    { "array", "[{\"given_name\": \"x\"}]", TESORO_ERROR_INVALID, { "JSON object", "an array" } },
    { "string", "\"Sophie\"", TESORO_ERROR_INVALID, { "JSON object" } },
    { "truncated", "{\"given_name\": \"Sophie\", \"emails\": [{\"value\": \"s@example.nl\"", TESORO_ERROR_PARSE, { "1:[0-9]+" } },
    { "trailing-comma", "{\"given_name\": \"x\",}", TESORO_ERROR_PARSE, { "1:[0-9]+" } },
    { "id-type", "{\"id\": \"abc\", \"given_name\": \"x\"}", TESORO_ERROR_INVALID, { "“id”", "whole number" } },
    { "id-float", "{\"id\": 1.5, \"given_name\": \"x\"}", TESORO_ERROR_INVALID, { "“id”" } },
    { "email-value-type", "{\"emails\": [{\"value\": 5}]}", TESORO_ERROR_INVALID, { "emails\\[0\\]\\.value", "a string" } },
    { "email-not-object", "{\"emails\": [\"s@example.nl\"]}", TESORO_ERROR_INVALID, { "emails\\[0\\]", "an object" } },
    { "email-empty", "{\"given_name\": \"x\", \"emails\": [{\"value\": \"  \"}]}", TESORO_ERROR_INVALID, { "emails\\[0\\]", "empty" } },
    { "phone-no-digits", "{\"given_name\": \"x\", \"phones\": [{\"value\": \"call me\"}]}", TESORO_ERROR_INVALID, { "phones\\[0\\]", "call me" } },
    { "notes-object", "{\"given_name\": \"x\", \"notes\": {\"body\": \"y\"}}", TESORO_ERROR_INVALID, { "“notes”", "an array" } },
    { "note-body-number", "{\"given_name\": \"x\", \"notes\": [{\"body\": 7}]}", TESORO_ERROR_INVALID, { "notes\\[0\\]\\.body" } },
    { "note-unknown", "{\"given_name\": \"x\", \"notes\": [{\"text\": \"y\"}]}", TESORO_ERROR_INVALID, { "notes\\[0\\]\\.text" } },
    { "custom-number", "{\"given_name\": \"x\", \"custom_fields\": {\"Klantnummer\": 1001}}", TESORO_ERROR_INVALID, { "custom_fields\\.Klantnummer", "a string" } },
    { "custom-array", "{\"given_name\": \"x\", \"custom_fields\": [\"a\"]}", TESORO_ERROR_INVALID, { "custom_fields" } },
    { "custom-no-name", "{\"given_name\": \"x\", \"custom_fields\": {\"\": \"a\"}}", TESORO_ERROR_INVALID, { "custom field" } },
    { "tag-empty", "{\"given_name\": \"x\", \"tags\": [\"  \"]}", TESORO_ERROR_INVALID, { "tag" } },
    { "lawful-basis", "{\"given_name\": \"x\", \"lawful_basis\": \"because\"}", TESORO_ERROR_INVALID, { "lawful_basis", "because" } },
    { "uid", "{\"given_name\": \"x\", \"uid\": \"12\"}", TESORO_ERROR_INVALID, { "uid" } },
    { "consent-granted-missing", "{\"given_name\": \"x\", \"consent\": [{\"purpose\": \"marketing-email\"}]}", TESORO_ERROR_INVALID, { "consent\\[0\\]\\.granted" } },
    { "consent-granted-string", "{\"given_name\": \"x\", \"consent\": [{\"purpose\": \"marketing-email\", \"granted\": \"yes\"}]}", TESORO_ERROR_INVALID, { "consent\\[0\\]\\.granted" } },
    { "message-direction", "{\"given_name\": \"x\", \"messages\": [{\"direction\": \"up\", \"subject\": \"y\"}]}", TESORO_ERROR_INVALID, { "messages\\[0\\]\\.direction" } },
    { "task-no-title", "{\"given_name\": \"x\", \"tasks\": [{\"due\": \"2024-01-01\"}]}", TESORO_ERROR_INVALID, { "tasks\\[0\\]\\.title" } },
    { "task-done-string", "{\"given_name\": \"x\", \"tasks\": [{\"title\": \"t\", \"done\": \"no\"}]}", TESORO_ERROR_INVALID, { "tasks\\[0\\]\\.done" } },
    { "activity-date", "{\"given_name\": \"x\", \"activities\": [{\"kind\": \"call\", \"at\": \"2024-13-01\"}]}", TESORO_ERROR_INVALID, { "activities\\[0\\]\\.at" } },
    { "created-at", "{\"given_name\": \"x\", \"created_at\": \"gisteren\"}", TESORO_ERROR_INVALID, { "created_at", "gisteren" } },
    { "escaped-nul", "{\"given_name\": \"Alice\\u0000<script>\"}", TESORO_ERROR_PARSE, { "NUL", "[Ll]ine 1, column 22" } },
    { "escaped-nul-in-note", "{\"given_name\": \"x\",\n \"notes\": [{\"body\": \"a\\u0000b\"}]}", TESORO_ERROR_PARSE, { "NUL", "[Ll]ine 2" } },
    { "lone-surrogate", "{\"given_name\": \"A\\ud800B\"}", TESORO_ERROR_INVALID, { "given_name", "UTF-8" } },
    { "control-character", "{\"given_name\": \"A\\u0007B\"}", TESORO_ERROR_INVALID, { "given_name", "control character" } },
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) literal = NULL;
  g_autoptr(TesoroContact) existing = tesoro_test_add_named (f->session, "Eerste", "Contact");
  static const char nul_text[] = "{\"given_name\": \"Ali\0ce\"}";
  static const char bad_utf8[] = "{\"given_name\": \"Ali\xff\xfe" "ce\"}";
  static const char truncated_utf8[] = "{\"given_name\": \"Zo\xc3\"}";
  const BadCase nul_case = { "nul-byte", NULL, TESORO_ERROR_PARSE, { "NUL", "offset 19" } };
  const BadCase utf8_case = { "invalid-utf8", NULL, TESORO_ERROR_PARSE, { "UTF-8" } };
  const BadCase deep_case = { "deep", NULL, TESORO_ERROR_PARSE, { "nested", "[Ll]ine 1" } };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (f, &cases[i], cases[i].text, -1);

  /* Raw bytes that are not text. */
  assert_refused (f, &nul_case, nul_text, sizeof nul_text - 1);
  assert_refused (f, &utf8_case, bad_utf8, -1);
  assert_refused (f, &utf8_case, truncated_utf8, -1);

  /* Nesting deep enough to overflow a recursive parser's stack. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  assert_refused (f, &deep_case, deep->str, deep->len);

  /* An escaped backslash before "u0000" is just text, and is kept. */
  literal = add_json (f->session, "{\"given_name\": \"C:\\\\u0000 \\\" [[\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_contact_get_given_name (literal), ==, "C:\\u0000 \" [[");
}

/* Ten megabytes in a name, a note, a custom field: refused as too large. */
static void
test_too_large (TesoroTestFixture *f,
                gconstpointer      data)
{
  static const struct {
    const char *label;
    const char *before;   /* the JSON before and after the long text */
    const char *after;
    const char *field;
  } cases[] = {
    { "name", "{\"given_name\": \"", "\"}", "given_name" },
    { "organisation", "{\"given_name\": \"x\", \"organization\": \"", "\"}", "organization" },
    { "note", "{\"given_name\": \"x\", \"notes\": [{\"body\": \"ok\"}, {\"body\": \"", "\"}]}", "notes\\[1\\]" },
    { "custom-field", "{\"given_name\": \"x\", \"custom_fields\": {\"Memo\": \"", "\"}}", "custom_fields\\.Memo" },
    { "email", "{\"emails\": [{\"value\": \"", "@example.nl\"}]}", "emails\\[0\\]" },
    { "tag", "{\"given_name\": \"x\", \"tags\": [\"", "\"]}", "tags" },
  };
  g_autofree char *huge = g_malloc (10 * 1024 * 1024 + 1);
  g_autoptr(TesoroContact) existing = tesoro_test_add_named (f->session, "Eerste", "Contact");

  memset (huge, 'a', 10 * 1024 * 1024);
  huge[10 * 1024 * 1024] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BadCase c = { cases[i].label, NULL, TESORO_ERROR_TOO_LARGE, { cases[i].field, "too long" } };
      g_autofree char *text = g_strconcat (cases[i].before, huge, cases[i].after, NULL);

      assert_refused (f, &c, text, -1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, TesoroTestFixture, NULL, tesoro_test_fixture_setup, func, tesoro_test_fixture_teardown)

  ADD ("/json/round-trip", test_round_trip);
  ADD ("/json/minimal", test_minimal);
  ADD ("/json/timestamps", test_timestamps);
  ADD ("/json/bad-files", test_bad_files);
  ADD ("/json/bad-text", test_bad_text);
  ADD ("/json/too-large", test_too_large);

#undef ADD

  return g_test_run ();
}
