/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tesoro-test-utils.h"

/*
 * tesoro-cli through the real binary ($TESORO_CLI), each test on a database
 * of its own in a temporary folder: exit statuses, what goes to standard
 * output and error, and what ends up stored.
 */

typedef struct
{
  char *dir;
  char *db;
} CliFixture;

static void
cli_setup (CliFixture    *f,
           gconstpointer  data)
{
  f->dir = tesoro_test_make_dir ();
  f->db = g_build_filename (f->dir, "tesoro.db", NULL);
}

static void
cli_teardown (CliFixture    *f,
              gconstpointer  data)
{
  tesoro_test_remove_dir (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->db, g_free);
}

#define assert_status(result, expected)                                         \
  G_STMT_START {                                                                \
    if ((result)->status != (expected))                                         \
      g_error ("%s:%d: exit status %d, expected %d\nstdout: %s\nstderr: %s",    \
               __FILE__, __LINE__, (result)->status, (expected),                \
               (result)->out, (result)->err);                                   \
  } G_STMT_END

#define assert_contains(haystack, needle)                                       \
  G_STMT_START {                                                                \
    if (strstr ((haystack), (needle)) == NULL)                                  \
      g_error ("%s:%d: “%s” not in:\n%s", __FILE__, __LINE__, (needle), (haystack)); \
  } G_STMT_END

/* Adds @json (given as text on standard input); returns the new id. */
static gint64
add_stdin (const char *db,
           const char *json)
{
  g_autoptr(TesoroCliResult) r = tesoro_test_cli (db, json, "add", "--json", "-", NULL);
  g_autoptr(JsonNode) node = NULL;

  assert_status (r, 0);
  node = tesoro_test_parse_json (r->out);
  return json_object_get_int_member (json_node_get_object (node), "id");
}

static JsonArray *
list_json (const char *db,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  g_ptr_array_add (argv, (char *) "list");
  g_ptr_array_add (argv, (char *) "--json");
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  r = tesoro_test_cli_argv ((const char * const *) argv->pdata, NULL, NULL, FALSE);
  assert_status (r, 0);
  g_assert_cmpstr (r->err, ==, "");
  node = tesoro_test_parse_json (r->out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static const char *
name_in (JsonArray *array,
         guint      index)
{
  return json_object_get_string_member (json_array_get_object_element (array, index), "display_name");
}

static void
test_init (CliFixture    *f,
           gconstpointer  data)
{
  g_autofree char *nested = g_build_filename (f->dir, "a", "b", "tesoro.db", NULL);
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(TesoroCliResult) again = NULL;

  r = tesoro_test_cli (nested, NULL, "init", NULL);
  assert_status (r, 0);
  assert_contains (r->out, nested);
  assert_contains (r->out, "schema version 3");
  g_assert_cmpstr (r->err, ==, "");
  g_assert_true (g_file_test (nested, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (tesoro_test_sql_int (nested, "PRAGMA user_version"), ==, 3);

  again = tesoro_test_cli (nested, NULL, "init", NULL);
  assert_status (again, 0);
}

static void
test_add_show (CliFixture    *f,
               gconstpointer  data)
{
  g_autofree char *file = tesoro_test_data_file ("full.json");
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  g_autoptr(TesoroCliResult) added = NULL;
  g_autoptr(TesoroCliResult) shown = NULL;
  g_autoptr(TesoroCliResult) by_uid = NULL;
  g_autoptr(TesoroCliResult) plain = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_file_get_contents (file, &text, NULL, &error);
  g_assert_no_error (error);
  input = tesoro_test_parse_json (text);

  added = tesoro_test_cli (f->db, NULL, "add", "--json", file, NULL);
  assert_status (added, 0);
  g_assert_cmpstr (added->err, ==, "");
  output = tesoro_test_parse_json (added->out);
  /* Every value of the input, nested records included, is in what was stored. */
  tesoro_test_assert_json_contains (input, output);
  object = json_node_get_object (output);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 1);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (object, "id"));

  /* show prints exactly what add printed, by id and by uid. */
  shown = tesoro_test_cli (f->db, NULL, "show", id, "--json", NULL);
  assert_status (shown, 0);
  g_assert_cmpstr (shown->out, ==, added->out);
  by_uid = tesoro_test_cli (f->db, NULL, "show", "--json", json_object_get_string_member (object, "uid"), NULL);
  assert_status (by_uid, 0);
  g_assert_cmpstr (by_uid->out, ==, added->out);

  /* The human-readable form shows the details. */
  plain = tesoro_test_cli (f->db, NULL, "show", id, NULL);
  assert_status (plain, 0);
  assert_contains (plain->out, "Sophie de Vries");
  assert_contains (plain->out, "Bakkerij De Vries");
  assert_contains (plain->out, "sophie@example.nl");
  assert_contains (plain->out, "+31612345678");
  assert_contains (plain->out, "Utrecht");
  assert_contains (plain->out, "A-1001");
  assert_contains (plain->out, "klant");
  assert_contains (plain->out, "2 notes, 2 messages, 2 tasks, 2 activities, 2 consent events");
}

static void
test_add_stdin (CliFixture    *f,
                gconstpointer  data)
{
  static const char json[] =
    "{ \"given_name\": \"Zoë\", \"family_name\": \"Jansen\","
    "  \"emails\": [ { \"label\": \"home\", \"value\": \"zoe@example.org\" } ],"
    "  \"notes\": [ { \"body\": \"Via standaardinvoer\" } ],"
    "  \"tags\": [ \"lead\" ] }";
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(TesoroCliResult) bad = NULL;
  g_autoptr(JsonNode) input = tesoro_test_parse_json (json);
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(JsonArray) all = NULL;

  r = tesoro_test_cli (f->db, json, "add", "--json", "-", NULL);
  assert_status (r, 0);
  output = tesoro_test_parse_json (r->out);
  tesoro_test_assert_json_contains (input, output);

  bad = tesoro_test_cli (f->db, "{\"given_name\": ", "add", "--json", "-", NULL);
  assert_status (bad, 1);
  assert_contains (bad->err, "standard input");
  g_assert_cmpstr (bad->out, ==, "");

  all = list_json (f->db, NULL);
  g_assert_cmpuint (json_array_get_length (all), ==, 1);
}

static void
test_list (CliFixture    *f,
           gconstpointer  data)
{
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(JsonArray) found = NULL;
  g_autoptr(JsonArray) limited = NULL;
  g_autoptr(JsonArray) none = NULL;
  g_autoptr(JsonArray) trash = NULL;
  g_autoptr(TesoroCliResult) trashed = NULL;
  g_autoptr(TesoroCliResult) text = NULL;
  g_autofree char *daan_id = NULL;
  JsonObject *first;
  gint64 daan;

  add_stdin (f->db, "{\"given_name\": \"Sophie\", \"family_name\": \"de Vries\", \"organization\": \"Bakkerij De Vries\","
                    " \"emails\": [{\"value\": \"sophie@example.nl\"}], \"phones\": [{\"value\": \"+31 6 12345678\"}]}");
  daan = add_stdin (f->db, "{\"given_name\": \"Daan\", \"family_name\": \"Smit\"}");
  add_stdin (f->db, "{\"given_name\": \"Émile\", \"family_name\": \"Dubois\", \"emails\": [{\"value\": \"emile@example.fr\"}]}");
  add_stdin (f->db, "{\"given_name\": \"anna\", \"family_name\": \"Bakker\"}");

  all = list_json (f->db, NULL);
  g_assert_cmpuint (json_array_get_length (all), ==, 4);
  g_assert_cmpstr (name_in (all, 0), ==, "anna Bakker");
  g_assert_cmpstr (name_in (all, 1), ==, "Daan Smit");
  g_assert_cmpstr (name_in (all, 2), ==, "Émile Dubois");
  g_assert_cmpstr (name_in (all, 3), ==, "Sophie de Vries");
  first = json_array_get_object_element (all, 3);
  g_assert_cmpstr (json_object_get_string_member (first, "email"), ==, "sophie@example.nl");
  g_assert_cmpstr (json_object_get_string_member (first, "organization"), ==, "Bakkerij De Vries");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (first, "uid")));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (all, 0), "email"));

  found = list_json (f->db, "--search", "06 12", NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpstr (name_in (found, 0), ==, "Sophie de Vries");
  g_clear_pointer (&found, json_array_unref);
  found = list_json (f->db, "--search", "emile", NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_clear_pointer (&found, json_array_unref);
  found = list_json (f->db, "-q", "bakker", NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 2);
  g_assert_cmpstr (name_in (found, 0), ==, "anna Bakker");
  g_assert_cmpstr (name_in (found, 1), ==, "Sophie de Vries");

  limited = list_json (f->db, "--limit", "2", NULL);
  g_assert_cmpuint (json_array_get_length (limited), ==, 2);
  g_assert_cmpstr (name_in (limited, 1), ==, "Daan Smit");
  none = list_json (f->db, "--limit", "0", NULL);
  g_assert_cmpuint (json_array_get_length (none), ==, 0);

  daan_id = g_strdup_printf ("%" G_GINT64_FORMAT, daan);
  trashed = tesoro_test_cli (f->db, NULL, "trash", daan_id, NULL);
  assert_status (trashed, 0);
  g_clear_pointer (&all, json_array_unref);
  all = list_json (f->db, NULL);
  g_assert_cmpuint (json_array_get_length (all), ==, 3);
  trash = list_json (f->db, "--trash", NULL);
  g_assert_cmpuint (json_array_get_length (trash), ==, 1);
  g_assert_cmpstr (name_in (trash, 0), ==, "Daan Smit");
  g_assert_true (json_object_has_member (json_array_get_object_element (trash, 0), "trashed_at"));
  g_clear_pointer (&found, json_array_unref);
  found = list_json (f->db, "--trash", "--search", "sophie", NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 0);

  /* Without --json: one line per contact, tab-separated. */
  text = tesoro_test_cli (f->db, NULL, "list", NULL);
  assert_status (text, 0);
  g_assert_true (g_str_has_prefix (text->out, "4\tanna Bakker\t"));
  assert_contains (text->out, "\tSophie de Vries\tBakkerij De Vries\tsophie@example.nl\n");
}

static void
test_update (CliFixture    *f,
             gconstpointer  data)
{
  g_autofree char *file = tesoro_test_data_file ("full.json");
  g_autofree char *changes = g_build_filename (f->dir, "changes.json", NULL);
  g_autofree char *edited = g_build_filename (f->dir, "edited.json", NULL);
  g_autoptr(TesoroCliResult) added = NULL;
  g_autoptr(TesoroCliResult) updated = NULL;
  g_autoptr(TesoroCliResult) shown = NULL;
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *edited_text = NULL;
  static const char * const kept[] = {
    "id", "uid", "given_name", "family_name", "display_name", "job_title", "birthday", "lawful_basis",
    "phones", "addresses", "custom_fields", "notes", "messages", "tasks", "activities", "consent",
  };
  JsonObject *b, *a;

  added = tesoro_test_cli (f->db, NULL, "add", "--json", file, NULL);
  assert_status (added, 0);
  before = tesoro_test_parse_json (added->out);
  b = json_node_get_object (before);

  tesoro_test_write_file (changes,
                          "{ \"organization\": \"De Vries Catering\","
                          "  \"emails\": [ { \"label\": \"work\", \"value\": \"info@catering.example\" } ],"
                          "  \"tags\": [] }", -1);
  updated = tesoro_test_cli (f->db, NULL, "update", "1", "--json", changes, NULL);
  assert_status (updated, 0);
  after = tesoro_test_parse_json (updated->out);
  a = json_node_get_object (after);

  /* The fields present replace the stored ones … */
  g_assert_cmpstr (json_object_get_string_member (a, "organization"), ==, "De Vries Catering");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a, "emails")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (a, "emails"), 0), "value"),
                   ==, "info@catering.example");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a, "tags")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (a, "updated_at"), !=, json_object_get_string_member (b, "updated_at"));

  /* … the others are kept, the history whole. */
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_test_message ("kept: %s", kept[i]);
      tesoro_test_assert_json_contains (json_object_get_member (b, kept[i]), json_object_get_member (a, kept[i]));
    }
  g_assert_cmpstr (json_object_get_string_member (a, "created_at"), ==, json_object_get_string_member (b, "created_at"));

  shown = tesoro_test_cli (f->db, NULL, "show", "1", "--json", NULL);
  assert_status (shown, 0);
  g_assert_cmpstr (shown->out, ==, updated->out);

  /* What show prints can be edited and given back, by uid, from stdin. */
  edited_text = g_strdup (shown->out);
  {
    char *at = strstr (edited_text, "\"Sophie\"");
    g_assert_nonnull (at);
    memcpy (at, "\"Sofie\" ", 8);
  }
  tesoro_test_write_file (edited, edited_text, -1);
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, edited_text, "update", json_object_get_string_member (b, "uid"), "--json", "-", NULL);
  assert_status (r, 0);
  again = tesoro_test_parse_json (r->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "given_name"), ==, "Sofie");

  /* The history and the restriction have verbs of their own. */
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, "{\"notes\": []}", "update", "1", "--json", "-", NULL);
  assert_status (r, 1);
  assert_contains (r->err, "notes");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, "{\"restricted\": true}", "update", "1", "--json", "-", NULL);
  assert_status (r, 1);
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, "{\"uid\": \"11111111-2222-4333-8444-555555555555\"}", "update", "1", "--json", "-", NULL);
  assert_status (r, 1);
  assert_contains (r->err, "uid");

  /* The same, from a file: changes nothing more. */
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "update", "1", "--json", edited, NULL);
  assert_status (r, 0);

  /* Errors: an invalid value, an unknown contact, a missing --json. */
  tesoro_test_write_file (changes, "{\"emails\": [{\"value\": \"not an address\"}]}", -1);
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "update", "1", "--json", changes, NULL);
  assert_status (r, 1);
  assert_contains (r->err, changes);
  assert_contains (r->err, "emails[0]");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, "{\"organization\": \"x\"}", "update", "42", "--json", "-", NULL);
  assert_status (r, 1);
  assert_contains (r->err, "42");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "update", "1", NULL);
  assert_status (r, 2);

  /* None of the refused updates changed anything. */
  g_clear_pointer (&shown, tesoro_cli_result_free);
  shown = tesoro_test_cli (f->db, NULL, "show", "1", "--json", NULL);
  assert_status (shown, 0);
  {
    g_autoptr(JsonNode) now = tesoro_test_parse_json (shown->out);
    JsonObject *n = json_node_get_object (now);

    g_assert_cmpstr (json_object_get_string_member (n, "given_name"), ==, "Sofie");
    g_assert_cmpstr (json_object_get_string_member (n, "organization"), ==, "De Vries Catering");
    g_assert_false (json_object_get_boolean_member (n, "restricted"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (n, "notes")), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (n, "uid"), ==, json_object_get_string_member (b, "uid"));
  }
}

/* The display name follows the names it was made of, unless it was chosen. */
static void
test_update_display_name (CliFixture    *f,
                          gconstpointer  data)
{
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(JsonArray) list = NULL;
  gint64 derived = add_stdin (f->db, "{\"given_name\": \"Piet\", \"family_name\": \"Hein\"}");
  gint64 chosen = add_stdin (f->db, "{\"given_name\": \"Anna\", \"family_name\": \"Bos\","
                                    " \"display_name\": \"Bakkerij Bos (Anna)\"}");
  g_autofree char *derived_id = g_strdup_printf ("%" G_GINT64_FORMAT, derived);
  g_autofree char *chosen_id = g_strdup_printf ("%" G_GINT64_FORMAT, chosen);

  r = tesoro_test_cli (f->db, "{\"family_name\": \"Heijn\"}", "update", derived_id, "--json", "-", NULL);
  assert_status (r, 0);
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, "{\"family_name\": \"Bosch\"}", "update", chosen_id, "--json", "-", NULL);
  assert_status (r, 0);

  list = list_json (f->db, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (name_in (list, 0), ==, "Bakkerij Bos (Anna)");
  g_assert_cmpstr (name_in (list, 1), ==, "Piet Heijn");
  g_clear_pointer (&list, json_array_unref);
  list = list_json (f->db, "--search", "hein", NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 0);
}

static void
test_trash_restore (CliFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(JsonNode) shown = NULL;
  gint64 id = add_stdin (f->db, "{\"given_name\": \"Piet\", \"family_name\": \"Hein\"}");
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *uid;

  r = tesoro_test_cli (f->db, NULL, "show", id_text, "--json", NULL);
  shown = tesoro_test_parse_json (r->out);
  uid = json_object_get_string_member (json_node_get_object (shown), "uid");

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "trash", uid, NULL);
  assert_status (r, 0);
  assert_contains (r->out, "Piet Hein");
  list = list_json (f->db, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 0);

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "trash", id_text, NULL);
  assert_status (r, 1);
  assert_contains (r->err, "already in the trash");

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "restore", id_text, NULL);
  assert_status (r, 0);
  g_clear_pointer (&list, json_array_unref);
  list = list_json (f->db, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "restore", uid, NULL);
  assert_status (r, 1);
  assert_contains (r->err, "not in the trash");

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "trash", "77", NULL);
  assert_status (r, 1);
  assert_contains (r->err, "77");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "restore", "77", NULL);
  assert_status (r, 1);
}

static void
test_errors (CliFixture    *f,
             gconstpointer  data)
{
  static const struct {
    const char *file;
    const char *says;
  } bad_files[] = {
    { "bad-malformed.json", "3:" },
    { "bad-emails-type.json", "emails" },
    { "bad-restricted-type.json", "restricted" },
    { "bad-tags-number.json", "tags[0]" },
    { "bad-unknown-field.json", "nickname" },
    { "bad-email.json", "emails[1]" },
    { "bad-no-name.json", "name or an e-mail" },
    { "bad-birthday.json", "birthday" },
    { "bad-empty-note.json", "notes[1]" },
  };
  g_autofree char *missing = g_build_filename (f->dir, "missing.json", NULL);
  g_autofree char *huge_file = g_build_filename (f->dir, "huge.json", NULL);
  g_autofree char *huge = NULL;
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(JsonArray) list = NULL;

  add_stdin (f->db, "{\"given_name\": \"Eerste\"}");

  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = tesoro_test_data_file (bad_files[i].file);

      g_clear_pointer (&r, tesoro_cli_result_free);
      r = tesoro_test_cli (f->db, NULL, "add", "--json", path, NULL);
      assert_status (r, 1);
      g_assert_cmpstr (r->out, ==, "");
      /* The message names the file, and what is wrong in it. */
      assert_contains (r->err, path);
      assert_contains (r->err, bad_files[i].says);
    }

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "add", "--json", missing, NULL);
  assert_status (r, 1);
  assert_contains (r->err, missing);

  /* A 10 MB name. */
  huge = g_malloc (10 * 1024 * 1024 + 64);
  strcpy (huge, "{\"given_name\": \"");
  memset (huge + strlen (huge), 'x', 10 * 1024 * 1024);
  strcpy (huge + 16 + 10 * 1024 * 1024, "\"}");
  tesoro_test_write_file (huge_file, huge, -1);
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "add", "--json", huge_file, NULL);
  assert_status (r, 1);
  assert_contains (r->err, huge_file);
  assert_contains (r->err, "given_name");
  assert_contains (r->err, "too long");

  /* Nothing of it was stored. */
  list = list_json (f->db, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->db, "SELECT count(*) FROM contacts"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->db, "SELECT count(*) FROM notes"), ==, 0);

  /* Contacts that are not there. */
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "show", "999", NULL);
  assert_status (r, 1);
  g_assert_cmpstr (r->out, ==, "");
  assert_contains (r->err, "999");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "show", "2b5e4c1d-9a8f-4e3b-8c7d-6f5e4d3c2b1a", "--json", NULL);
  assert_status (r, 1);
  assert_contains (r->err, "2b5e4c1d-9a8f-4e3b-8c7d-6f5e4d3c2b1a");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "show", "sophie", NULL);
  assert_status (r, 1);
  assert_contains (r->err, "sophie");
}

static void
test_bad_database (CliFixture    *f,
                   gconstpointer  data)
{
  g_autofree char *text_file = g_build_filename (f->dir, "notes.txt", NULL);
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(GBytes) before = NULL;

  tesoro_test_write_file (text_file, "Boodschappen: brood, kaas, melk.\nNiet vergeten: de kat.\n", -1);
  before = tesoro_test_read_file (text_file);
  r = tesoro_test_cli (text_file, NULL, "list", NULL);
  assert_status (r, 1);
  assert_contains (r->err, text_file);
  assert_contains (r->err, "not a Tesoro database");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (text_file, "{\"given_name\": \"x\"}", "add", "--json", "-", NULL);
  assert_status (r, 1);
  tesoro_test_assert_file_unchanged (text_file, before);
  g_clear_pointer (&before, g_bytes_unref);

  /* From a newer Tesoro. */
  add_stdin (f->db, "{\"given_name\": \"Eerste\"}");
  tesoro_test_sql_exec (f->db, "PRAGMA user_version = 7");
  before = tesoro_test_read_file (f->db);
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "list", NULL);
  assert_status (r, 1);
  assert_contains (r->err, "newer version of Tesoro");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (f->db, NULL, "init", NULL);
  assert_status (r, 1);
  tesoro_test_assert_file_unchanged (f->db, before);
}

/* A database the user may read but not write. As root, which ignores file
 * permissions, the CLI is run as the unprivileged user 65534. */
static void
test_read_only (CliFixture    *f,
                gconstpointer  data)
{
  gboolean root = geteuid () == 0;
  const char *list_args[] = { "--db", f->db, "list", "--json", NULL };
  const char *add_args[] = { "--db", f->db, "add", "--json", "-", NULL };
  const char *trash_args[] = { "--db", f->db, "trash", "1", NULL };
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(GBytes) before = NULL;

  add_stdin (f->db, "{\"given_name\": \"Alleen\", \"family_name\": \"Lezen\"}");
  before = tesoro_test_read_file (f->db);

  /* The file is read-only, its folder is not (SQLite keeps its shared-memory
   * index beside a WAL database). */
  g_assert_cmpint (g_chmod (f->db, 0444), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 01777), ==, 0);

  r = tesoro_test_cli_argv (list_args, NULL, NULL, root);
  assert_status (r, 0);
  listed = tesoro_test_parse_json (r->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 1);

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli_argv (add_args, NULL, "{\"given_name\": \"Nieuw\"}", root);
  assert_status (r, 1);
  assert_contains (r->err, "read-only");
  assert_contains (r->err, f->db);

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli_argv (trash_args, NULL, NULL, root);
  assert_status (r, 1);
  assert_contains (r->err, "read-only");

  /* The folder read-only too, without the files a reader left there:
   * either read, or refused with a message that says what to do. */
  {
    g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->db, "-shm", NULL);

    if (g_file_test (wal, G_FILE_TEST_EXISTS))
      {
        g_autoptr(GBytes) wal_bytes = tesoro_test_read_file (wal);
        g_assert_cmpuint (g_bytes_get_size (wal_bytes), ==, 0);
      }
    g_unlink (wal);
    g_unlink (shm);
  }
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli_argv (list_args, NULL, NULL, root);
  if (r->status != 0)
    {
      assert_status (r, 1);
      assert_contains (r->err, f->db);
      assert_contains (r->err, "folder");
    }
  g_assert_cmpint (g_chmod (f->dir, 0700), ==, 0);

  tesoro_test_assert_file_unchanged (f->db, before);
}

static void
test_usage (CliFixture    *f,
            gconstpointer  data)
{
  static const char * const usage_errors[][6] = {
    { NULL },
    { "frobnicate", NULL },
    { "--frobnicate", "list", NULL },
    { "show", NULL },
    { "show", "1", "2", NULL },
    { "show", "--bogus", "1", NULL },
    { "list", "--bogus", NULL },
    { "list", "--limit", "many", NULL },
    { "list", "--limit", "-5", NULL },
    { "list", "extra", NULL },
    { "add", NULL },
    { "add", "--json", NULL },
    { "update", "--json", "-", NULL },
    { "trash", NULL },
    { "restore", "1", "2", NULL },
    { "demo", "--count", "0", NULL },
    { "demo", "--count", "x", NULL },
    { "init", "now", NULL },
  };
  g_autoptr(TesoroCliResult) r = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (usage_errors); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();

      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, f->db);
      for (guint j = 0; usage_errors[i][j] != NULL; j++)
        g_ptr_array_add (argv, (char *) usage_errors[i][j]);
      g_ptr_array_add (argv, NULL);

      g_clear_pointer (&r, tesoro_cli_result_free);
      r = tesoro_test_cli_argv ((const char * const *) argv->pdata, NULL, NULL, FALSE);
      g_test_message ("case %u: %s", i, usage_errors[i][0]);
      assert_status (r, 2);
      g_assert_cmpstr (r->out, ==, "");
      assert_contains (r->err, "Usage");
    }

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (NULL, NULL, "frobnicate", NULL);
  assert_status (r, 2);
  assert_contains (r->err, "frobnicate");

  /* No usage error created or changed a database. */
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

static void
test_help (CliFixture    *f,
           gconstpointer  data)
{
  static const char * const verbs[] = { "init", "demo", "add", "show", "list", "update", "trash", "restore", NULL };
  g_autoptr(TesoroCliResult) r = NULL;

  r = tesoro_test_cli (NULL, NULL, "--help", NULL);
  assert_status (r, 0);
  assert_contains (r->out, "Usage");
  for (guint i = 0; verbs[i] != NULL; i++)
    assert_contains (r->out, verbs[i]);

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (NULL, NULL, "--version", NULL);
  assert_status (r, 0);
  assert_contains (r->out, PACKAGE_VERSION);

  for (guint i = 0; verbs[i] != NULL; i++)
    {
      g_autoptr(TesoroCliResult) help = tesoro_test_cli (f->db, NULL, verbs[i], "--help", NULL);
      g_autoptr(TesoroCliResult) short_help = tesoro_test_cli (f->db, NULL, verbs[i], "-h", NULL);

      assert_status (help, 0);
      assert_status (short_help, 0);
      assert_contains (help->out, verbs[i]);
      assert_contains (help->out, "Usage");
      g_assert_cmpstr (help->err, ==, "");
      g_assert_cmpstr (short_help->out, ==, help->out);
    }

  /* Help is not a use of the database. */
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

static void
test_default_database (CliFixture    *f,
                       gconstpointer  data)
{
  g_autofree char *env_db = g_build_filename (f->dir, "from-env.db", NULL);
  g_autofree char *setting = g_strconcat ("TESORO_DB=", env_db, NULL);
  g_autofree char *data_home = g_strconcat ("XDG_DATA_HOME=", f->dir, NULL);
  g_autofree char *xdg_db = g_build_filename (f->dir, "tesoro", "tesoro.db", NULL);
  const char *env[] = { setting, NULL };
  const char *xdg_env[] = { data_home, NULL };
  const char *add_args[] = { "add", "--json", "-", NULL };
  const char *list_args[] = { "list", "--json", NULL };
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(JsonNode) listed = NULL;

  r = tesoro_test_cli_argv (add_args, env, "{\"given_name\": \"Omgeving\"}", FALSE);
  assert_status (r, 0);
  g_assert_true (g_file_test (env_db, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli_argv (list_args, env, NULL, FALSE);
  assert_status (r, 0);
  listed = tesoro_test_parse_json (r->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 1);

  /* Without either, the user's data folder. */
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli_argv (list_args, xdg_env, NULL, FALSE);
  assert_status (r, 0);
  g_assert_true (g_file_test (xdg_db, G_FILE_TEST_IS_REGULAR));
}

/* The list of @db as JSON, with the random uids taken out. */
static char *
list_without_uids (const char *db)
{
  g_autoptr(JsonArray) list = list_json (db, NULL);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < json_array_get_length (list); i++)
    json_object_remove_member (json_array_get_object_element (list, i), "uid");
  json_node_set_array (node, list);
  return json_to_string (node, TRUE);
}

static void
test_demo (CliFixture    *f,
           gconstpointer  data)
{
  g_autofree char *a = g_build_filename (f->dir, "a.db", NULL);
  g_autofree char *b = g_build_filename (f->dir, "b.db", NULL);
  g_autofree char *c = g_build_filename (f->dir, "c.db", NULL);
  g_autofree char *list_a = NULL;
  g_autofree char *list_b = NULL;
  g_autofree char *list_c = NULL;
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(JsonNode) contact = NULL;
  JsonObject *object;

  r = tesoro_test_cli (a, NULL, "demo", "--count", "50", "--seed", "7", NULL);
  assert_status (r, 0);
  assert_contains (r->out, "50");
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (b, NULL, "demo", "--count", "50", "--seed", "7", NULL);
  assert_status (r, 0);
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (c, NULL, "demo", "--count", "50", "--seed", "8", NULL);
  assert_status (r, 0);

  list_a = list_without_uids (a);
  list_b = list_without_uids (b);
  list_c = list_without_uids (c);
  g_assert_cmpstr (list_a, ==, list_b);
  /* The seed matters. */
  g_assert_cmpstr (list_a, !=, list_c);
  g_assert_cmpint (tesoro_test_sql_int (a, "SELECT count(*) FROM contacts"), ==, 50);

  /* Sample contacts come with their history. */
  g_clear_pointer (&r, tesoro_cli_result_free);
  r = tesoro_test_cli (a, NULL, "show", "1", "--json", NULL);
  assert_status (r, 0);
  contact = tesoro_test_parse_json (r->out);
  object = json_node_get_object (contact);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "emails")), >, 0);
  g_assert_cmpint (tesoro_test_sql_int (a, "SELECT count(*) FROM notes"), >, 0);
  g_assert_cmpint (tesoro_test_sql_int (a, "SELECT count(*) FROM messages"), >, 0);
  g_assert_cmpint (tesoro_test_sql_int (a, "SELECT count(*) FROM tasks"), >, 0);
  g_assert_cmpint (tesoro_test_sql_int (a, "SELECT count(*) FROM activities"), >, 0);
  g_assert_cmpint (tesoro_test_sql_int (a, "SELECT count(*) FROM contact_phones"), >, 0);
  g_assert_cmpint (tesoro_test_sql_int (a, "SELECT count(*) FROM contact_addresses"), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, CliFixture, NULL, cli_setup, func, cli_teardown)

  ADD ("/cli/init", test_init);
  ADD ("/cli/add-show", test_add_show);
  ADD ("/cli/add-stdin", test_add_stdin);
  ADD ("/cli/list", test_list);
  ADD ("/cli/update", test_update);
  ADD ("/cli/update-display-name", test_update_display_name);
  ADD ("/cli/trash-restore", test_trash_restore);
  ADD ("/cli/errors", test_errors);
  ADD ("/cli/bad-database", test_bad_database);
  ADD ("/cli/read-only", test_read_only);
  ADD ("/cli/usage", test_usage);
  ADD ("/cli/help", test_help);
  ADD ("/cli/default-database", test_default_database);
  ADD ("/cli/demo", test_demo);

#undef ADD

  return g_test_run ();
}
