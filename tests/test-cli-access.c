/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-access"

#include "config.h"

#include <string.h>

#include "tesoro-test-utils.h"

/*
 * Access control through the real tesoro-cli: --user and --password-file,
 * what each role's verbs may do, field-level security in show, list,
 * search and import, and `audit --views`.
 */

#define CONTACT_JSON \
  "{\"given_name\":\"Sophie\",\"family_name\":\"de Vries\",\"organization\":\"Bakkerij De Vries\"," \
  "\"job_title\":\"Eigenaar\",\"birthday\":\"1985-04-12\",\"lawful_basis\":\"consent\"," \
  "\"emails\":[{\"label\":\"work\",\"value\":\"sophie@bakkerij.example\",\"primary\":true}]," \
  "\"phones\":[{\"label\":\"mobile\",\"value\":\"+31 6 12345678\"}]," \
  "\"addresses\":[{\"label\":\"work\",\"street\":\"Dorpsstraat 1\",\"postal_code\":\"1234 AB\",\"city\":\"Utrecht\"}]," \
  "\"tags\":[\"klant\"],\"custom_fields\":{\"Klantnummer\":\"A-1001\"}," \
  "\"notes\":[{\"body\":\"Wil een offerte\"}]," \
  "\"consent\":[{\"purpose\":\"marketing-email\",\"granted\":true,\"source\":\"web form\"}]}"

typedef struct
{
  char *dir;
  char *db;
  char *admin_pw;
  char *sales_pw;
  char *reader_pw;
  char *mila_pw;
} Fixture;

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

static char *
password_file (Fixture    *f,
               const char *name,
               const char *password)
{
  g_autofree char *text = g_strconcat (password, "\n", NULL);
  char *path = g_build_filename (f->dir, name, NULL);

  tesoro_test_write_file (path, text, -1);
  return path;
}

/* Runs tesoro-cli on the fixture's database as @login (NULL: nobody
 * named) with the arguments that follow. */
static TesoroCliResult *
run_as (Fixture    *f,
        const char *login,
        const char *input,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, f->db);
  if (login != NULL)
    {
      g_ptr_array_add (argv, (char *) "--user");
      g_ptr_array_add (argv, (char *) login);
      g_ptr_array_add (argv, (char *) "--password-file");
      g_ptr_array_add (argv, g_str_equal (login, "sanne") ? f->sales_pw
                             : g_str_equal (login, "lezer") ? f->reader_pw
                             : g_str_equal (login, "mila") ? f->mila_pw : f->admin_pw);
    }
  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  return tesoro_test_cli_argv ((const char * const *) argv->pdata, NULL, input, FALSE);
}

#define ok(r) G_STMT_START { g_autoptr(TesoroCliResult) _r = (r); assert_status (_r, 0); } G_STMT_END

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *me = g_get_user_name ();

  f->dir = tesoro_test_make_dir ();
  f->db = g_build_filename (f->dir, "tesoro.db", NULL);
  f->admin_pw = password_file (f, "admin.pw", "Zeer-geheim-42");
  f->sales_pw = password_file (f, "sales.pw", "Verkoop-2026!");
  f->reader_pw = password_file (f, "reader.pw", "Alleen-lezen-7");
  f->mila_pw = password_file (f, "mila.pw", "Geen-e-mail-88");

  /* One person first: no --user needed. */
  ok (run_as (f, NULL, CONTACT_JSON, "add", "--json", "-", NULL));
  ok (run_as (f, NULL, NULL, "users", "passwd", me, "--password-file", f->admin_pw, NULL));
  ok (run_as (f, NULL, NULL, "users", "add", "sanne", "--name", "Sanne Bakker", "--role", "sales",
              "--password-file", f->sales_pw, NULL));
  /* From here on, everyone signs in. */
  ok (run_as (f, me, NULL, "users", "add", "lezer", "--name", "Lars", "--role", "read-only",
              "--password-file", f->reader_pw, NULL));
  ok (run_as (f, me, NULL, "roles", "add", "no-email", "--name", "Zonder e-mail", NULL));
  ok (run_as (f, me, NULL, "roles", "set", "no-email", "--field", "emails=hidden", NULL));
  ok (run_as (f, me, NULL, "users", "add", "mila", "--role", "no-email", "--password-file", f->mila_pw, NULL));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tesoro_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->admin_pw);
  g_free (f->sales_pw);
  g_free (f->reader_pw);
  g_free (f->mila_pw);
}

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TesoroCliResult) nobody = run_as (f, NULL, NULL, "list", NULL);
  g_autoptr(TesoroCliResult) wrong = NULL;
  g_autoptr(TesoroCliResult) right = run_as (f, "sanne", NULL, "list", NULL);
  g_autofree char *bad = password_file (f, "bad.pw", "Niet-het-goede");
  const char *argv[] = { "--db", f->db, "--user", "sanne", "--password-file", bad, "list", NULL };

  /* Several users: who acts must be said. */
  assert_status (nobody, 1);
  assert_contains (nobody->err, "--user");
  g_assert_cmpstr (nobody->out, ==, "");

  wrong = tesoro_test_cli_argv (argv, NULL, NULL, FALSE);
  assert_status (wrong, 1);
  assert_contains (wrong->err, "wrong");
  g_assert_null (strstr (wrong->err, "Niet-het-goede"));

  assert_status (right, 0);
  assert_contains (right->out, "Sophie de Vries");
}

static JsonObject *
show_json (Fixture    *f,
           const char *login)
{
  g_autoptr(TesoroCliResult) r = run_as (f, login, NULL, "show", "1", "--json", NULL);
  g_autoptr(JsonNode) node = NULL;

  assert_status (r, 0);
  node = tesoro_test_parse_json (r->out);
  return json_object_ref (json_node_get_object (node));
}

static void
test_show_hidden (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) admin = show_json (f, g_get_user_name ());
  g_autoptr(JsonObject) sales = show_json (f, "sanne");
  g_autoptr(JsonObject) mila = show_json (f, "mila");
  g_autoptr(GList) keys = json_object_get_members (admin);
  g_autoptr(GString) missing_sales = g_string_new (NULL);
  g_autoptr(GString) missing_mila = g_string_new (NULL);

  /* Exactly the hidden groups' keys are absent. */
  for (GList *l = keys; l != NULL; l = l->next)
    {
      if (!json_object_has_member (sales, l->data))
        g_string_append_printf (missing_sales, "%s ", (char *) l->data);
      if (!json_object_has_member (mila, l->data))
        g_string_append_printf (missing_mila, "%s ", (char *) l->data);
    }
  g_assert_cmpstr (missing_sales->str, ==, "birthday ");
  g_assert_cmpstr (missing_mila->str, ==, "emails ");
  g_assert_cmpuint (json_object_get_size (sales), ==, json_object_get_size (admin) - 1);
  g_assert_cmpstr (json_object_get_string_member (admin, "birthday"), ==, "1985-04-12");
}

static guint
count_found (Fixture    *f,
             const char *login,
             const char *query)
{
  g_autoptr(TesoroCliResult) r = run_as (f, login, NULL, "list", "--search", query, "--json", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  assert_status (r, 0);
  node = tesoro_test_parse_json (r->out);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_str_equal (login, "mila"))
      g_assert_false (json_object_has_member (json_array_get_object_element (array, i), "email"));
  return json_array_get_length (array);
}

static void
test_search_hidden (Fixture       *f,
                    gconstpointer  data)
{
  /* A hidden e-mail address never makes a contact match. */
  g_assert_cmpuint (count_found (f, g_get_user_name (), "sophie@bakkerij"), ==, 1);
  g_assert_cmpuint (count_found (f, "mila", "sophie@bakkerij"), ==, 0);
  g_assert_cmpuint (count_found (f, "mila", "bakkerij.example"), ==, 0);
  g_assert_cmpuint (count_found (f, "mila", "sophie"), ==, 1);
  g_assert_cmpuint (count_found (f, "mila", "utrecht"), ==, 1);
}

static void
assert_refused (TesoroCliResult *r,
                const char      *permission)
{
  assert_status (r, 1);
  assert_contains (r->err, permission);
}

static void
test_sales_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "out.json", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(TesoroCliResult) export_data = run_as (f, "sanne", NULL, "export-data", "1", "--format", "json",
                                                   "--output", out, NULL);
  g_autoptr(TesoroCliResult) erase = run_as (f, "sanne", NULL, "delete", "1", "--permanent", "--yes", NULL);
  g_autoptr(TesoroCliResult) audit = run_as (f, "sanne", NULL, "audit", NULL);
  g_autoptr(TesoroCliResult) bulk = run_as (f, "sanne", NULL, "export", "--output", csv, NULL);
  g_autoptr(TesoroCliResult) users = run_as (f, "sanne", NULL, "users", "list", NULL);
  g_autoptr(TesoroCliResult) note = run_as (f, "sanne", NULL, "show", "1", NULL);

  assert_refused (export_data, "(export-data)");
  assert_refused (erase, "(erase)");
  assert_refused (audit, "(audit-log)");
  assert_refused (bulk, "(bulk-export)");
  assert_refused (users, "(users)");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  g_assert_cmpint (tesoro_test_sql_int (f->db, "SELECT count(*) FROM contacts"), ==, 1);
  assert_status (note, 0);
}

/* The breach log: the Privacy Officer and the administrator keep it;
 * Sales and Read-only may neither read nor write it. */
static void
test_breaches (Fixture       *f,
               gconstpointer  data)
{
  const char *me = g_get_user_name ();
  g_autoptr(TesoroCliResult) added = run_as (f, me, NULL, "breaches", "add", "--discovered", "2024-03-01 10:00",
                                             "--description", "Laptop stolen", "--people", "40", NULL);
  g_autoptr(TesoroCliResult) sales_list = run_as (f, "sanne", NULL, "breaches", "list", NULL);
  g_autoptr(TesoroCliResult) sales_add = run_as (f, "sanne", NULL, "breaches", "add", "--discovered", "2024-03-02",
                                                 "--description", "Sales tries", NULL);
  g_autoptr(TesoroCliResult) sales_show = run_as (f, "sanne", NULL, "breaches", "show", "1", NULL);
  g_autoptr(TesoroCliResult) sales_notify = run_as (f, "sanne", NULL, "breaches", "notify", "1",
                                                    "--not-required", "No risk", NULL);
  g_autoptr(TesoroCliResult) reader_list = run_as (f, "lezer", NULL, "breaches", "list", NULL);
  g_autoptr(TesoroCliResult) admin_list = NULL;

  assert_status (added, 0);
  assert_refused (sales_list, "(requests)");
  assert_refused (sales_add, "(requests)");
  assert_refused (sales_show, "(requests)");
  assert_refused (sales_notify, "(requests)");
  assert_refused (reader_list, "(requests)");
  g_assert_null (strstr (sales_show->out, "Laptop"));
  g_assert_cmpint (tesoro_test_sql_int (f->db, "SELECT count(*) FROM breaches"), ==, 1);
  g_assert_cmpint (tesoro_test_sql_int (f->db, "SELECT count(*) FROM breach_events"), ==, 0);

  admin_list = run_as (f, me, NULL, "breaches", "list", NULL);
  assert_status (admin_list, 0);
  assert_contains (admin_list->out, "Laptop stolen");
  assert_contains (admin_list->out, "overdue");
}

static void
test_import_field (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "klanten.csv", NULL);
  g_autofree char *allowed = g_build_filename (f->dir, "namen.csv", NULL);
  g_autoptr(TesoroCliResult) refused = NULL;
  g_autoptr(TesoroCliResult) done = NULL;

  tesoro_test_write_file (csv, "First Name,Last Name,E-mail Address,Birthday\r\n"
                               "Jan,Jansen,jan@example.nl,1970-01-01\r\n", -1);
  tesoro_test_write_file (allowed, "First Name,Last Name,E-mail Address\r\n"
                                   "Jan,Jansen,jan@example.nl\r\n", -1);

  /* A column Sales may not write refuses the import, naming it. */
  refused = run_as (f, "sanne", NULL, "import", csv, NULL);
  assert_status (refused, 1);
  assert_contains (refused->err, "klanten.csv");
  assert_contains (refused->err, "Birthday");
  g_assert_cmpint (tesoro_test_sql_int (f->db, "SELECT count(*) FROM contacts"), ==, 1);

  done = run_as (f, "sanne", NULL, "import", allowed, NULL);
  assert_status (done, 0);
  g_assert_cmpint (tesoro_test_sql_int (f->db, "SELECT count(*) FROM contacts"), ==, 2);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "namen.csv", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out.csv", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *update = "{\"organization\":\"Anders\"}";
  const char *writes[][12] = {
    { "add", "--json", "-", NULL },
    { "update", "1", "--json", "-", NULL },
    { "trash", "1", NULL },
    { "restore", "1", NULL },
    { "delete", "1", NULL },
    { "delete", "1", "--permanent", "--yes", NULL },
    { "empty-trash", "--yes", NULL },
    { "consent", "1", "--purpose", "marketing-email", "--withdraw", "--source", "telefoon", NULL },
    { "restrict", "1", "--on", NULL },
    { "hold", "1", "--on", "--reason", "zaak", NULL },
    { "retention", "--years", "1", "--apply", NULL },
    { "import", csv, NULL },
    { "batch", "--ids", "1", "--add-tag", "vip", NULL },
    { "batch", "--ids", "1", "--trash", NULL },
    { "purposes", "--add", "nieuwsbrief", "--name", "Nieuwsbrief", NULL },
    { "settings", "--retention", "on", NULL },
    { "demo", "--count", "3", NULL },
    { "export-data", "1", "--format", "csv", "--output", out, NULL },
    { "export-marketing", "--output", out, NULL },
    { "users", "add", "iemand", "--role", "sales", "--password-file", f->sales_pw, NULL },
    { "users", "set-role", "sanne", "administrator", NULL },
    { "roles", "set", "read-only", "--permission", "edit=on", NULL },
    { "purge", NULL },
  };

  tesoro_test_write_file (csv, "First Name,Last Name\r\nJan,Jansen\r\n", -1);
  {
    g_autoptr(TesoroCliResult) r = run_as (f, g_get_user_name (), NULL, "show", "1", "--json", NULL);
    before = g_strdup (r->out);
  }

  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(TesoroCliResult) r = NULL;
      const char *head[] = { "--db", f->db, "--user", "lezer", "--password-file", f->reader_pw };

      for (guint j = 0; j < G_N_ELEMENTS (head); j++)
        g_ptr_array_add (argv, (char *) head[j]);
      for (guint j = 0; writes[i][j] != NULL; j++)
        g_ptr_array_add (argv, (char *) writes[i][j]);
      g_ptr_array_add (argv, NULL);

      r = tesoro_test_cli_argv ((const char * const *) argv->pdata, NULL, i < 2 ? (i == 0 ? "{\"given_name\":\"X\"}" : update) : NULL,
                                FALSE);
      if (r->status != 1)
        g_error ("read-only “%s”: exit %d\n%s%s", writes[i][0], r->status, r->out, r->err);
      assert_contains (r->err, "does not have the permission");
    }

  {
    g_autoptr(TesoroCliResult) r = run_as (f, g_get_user_name (), NULL, "show", "1", "--json", NULL);
    after = g_strdup (r->out);
  }
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (tesoro_test_sql_int (f->db, "SELECT count(*) FROM contacts"), ==, 1);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_views (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TesoroCliResult) views = NULL;
  g_autoptr(TesoroCliResult) verify = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  ok (run_as (f, "sanne", NULL, "show", "1", NULL));
  ok (run_as (f, "sanne", NULL, "show", "1", "--json", NULL));
  ok (run_as (f, "mila", NULL, "show", "1", NULL));

  /* One entry per user within the minute, with the groups shown (the
   * first is the administrator's, shown the contact `add` printed);
   * looking the contact up for the filter is not a view. */
  views = run_as (f, g_get_user_name (), NULL, "audit", "--views", "--contact", "1", "--json", NULL);
  assert_status (views, 0);
  node = tesoro_test_parse_json (views->out);
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "actor"), ==, "mila");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "actor"), ==, "sanne");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2), "actor"), ==,
                   g_get_user_name ());
  assert_contains (views->out, "\"cli\"");
  g_assert_null (strstr (views->out, "Sophie"));
  g_assert_null (strstr (views->out, "sophie@"));

  verify = run_as (f, g_get_user_name (), NULL, "audit", "--verify", NULL);
  assert_status (verify, 0);
  assert_contains (verify->out, "OK");
}

static void
test_users_roles (Fixture       *f,
                  gconstpointer  data)
{
  const char *me = g_get_user_name ();
  g_autoptr(TesoroCliResult) list = run_as (f, me, NULL, "users", "list", "--json", NULL);
  g_autoptr(TesoroCliResult) role = NULL;
  g_autoptr(TesoroCliResult) bad = NULL;
  g_autoptr(TesoroCliResult) disabled = NULL;
  g_autoptr(TesoroCliResult) last = NULL;

  assert_status (list, 0);
  assert_contains (list->out, "\"login\" : \"sanne\"");
  assert_contains (list->out, "\"role\" : \"sales\"");
  g_assert_null (strstr (list->out, "argon2"));

  role = run_as (f, me, NULL, "roles", "show", "sales", "--json", NULL);
  assert_status (role, 0);
  assert_contains (role->out, "\"birthday\" : \"hidden\"");
  assert_contains (role->out, "\"import\"");

  bad = run_as (f, me, NULL, "roles", "set", "sales", "--field", "shoesize=hidden", NULL);
  assert_status (bad, 2);

  ok (run_as (f, me, NULL, "users", "disable", "sanne", NULL));
  disabled = run_as (f, "sanne", NULL, "list", NULL);
  assert_status (disabled, 1);
  assert_contains (disabled->err, "disabled");
  ok (run_as (f, me, NULL, "users", "enable", "sanne", NULL));
  ok (run_as (f, "sanne", NULL, "list", NULL));

  last = run_as (f, me, NULL, "users", "set-role", me, "sales", NULL);
  assert_status (last, 1);
  assert_contains (last->err, "last administrator");
}

/* The privacy office is the Administrator's and the Privacy Officer's:
 * Sales neither sees nor records requests. */
static void
test_requests_refused (Fixture       *f,
                       gconstpointer  data)
{
  const char *me = g_get_user_name ();
  g_autoptr(TesoroCliResult) list = NULL;
  g_autoptr(TesoroCliResult) add = NULL;
  g_autoptr(TesoroCliResult) show = NULL;
  g_autoptr(TesoroCliResult) admin = NULL;

  ok (run_as (f, me, NULL, "requests", "add", "--kind", "erasure", "--received", "2026-01-05",
              "--requester", "Sophie de Vries", "--contact", "1", NULL));

  list = run_as (f, "sanne", NULL, "requests", "list", NULL);
  assert_status (list, 1);
  assert_contains (list->err, "requests");
  g_assert_cmpstr (list->out, ==, "");
  g_assert_null (strstr (list->err, "Sophie"));

  show = run_as (f, "sanne", NULL, "requests", "show", "1", "--json", NULL);
  assert_status (show, 1);
  g_assert_cmpstr (show->out, ==, "");

  add = run_as (f, "sanne", NULL, "requests", "add", "--kind", "access", "--received", "2026-01-05",
                "--requester", "Iemand", NULL);
  assert_status (add, 1);

  admin = run_as (f, me, NULL, "requests", "list", "--json", NULL);
  assert_status (admin, 0);
  assert_contains (admin->out, "\"requester\" : \"Sophie de Vries\"");
}

static char *
read_text (const char *path)
{
  g_autoptr(GBytes) bytes = tesoro_test_read_file (path);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The privacy office's verbs: the administrator keeps the register and
 * switches fields off; Sales may do neither. */
static void
test_privacy_office (Fixture       *f,
                     gconstpointer  data)
{
  const char *me = g_get_user_name ();
  g_autofree char *html = g_build_filename (f->dir, "register.html", NULL);
  g_autofree char *text = NULL;
  g_autofree char *after = NULL;
  g_autoptr(TesoroCliResult) sales_register = run_as (f, "sanne", NULL, "register", "--format", "html",
                                                      "--output", html, NULL);
  g_autoptr(TesoroCliResult) sales_recipient = run_as (f, "sanne", NULL, "register", "recipients", "add", "Iemand", NULL);
  g_autoptr(TesoroCliResult) sales_off = run_as (f, "sanne", NULL, "fields", "off", "birthday", NULL);
  g_autoptr(TesoroCliResult) sales_report = run_as (f, "sanne", NULL, "minimisation", NULL);
  g_autoptr(TesoroCliResult) list = NULL;
  g_autoptr(TesoroCliResult) erase = NULL;
  g_autoptr(TesoroCliResult) list_after = NULL;

  assert_refused (sales_register, "(requests)");
  assert_refused (sales_recipient, "(requests)");
  assert_refused (sales_off, "(settings)");
  assert_refused (sales_report, "(requests)");
  g_assert_false (g_file_test (html, G_FILE_TEST_EXISTS));

  ok (run_as (f, me, NULL, "register", "controller", "Bakkerij De Vries", NULL));
  ok (run_as (f, me, NULL, "register", "purposes", "add", "Facturering", "--lawful-basis", "legal_obligation", NULL));
  ok (run_as (f, me, NULL, "register", "--format", "html", "--output", html, "--language", "nl", NULL));
  text = read_text (html);
  assert_contains (text, "Bakkerij De Vries");
  assert_contains (text, "<td>Facturering</td>");
  assert_contains (text, "Wettelijke verplichting");
  assert_contains (text, "<td>Verjaardag</td><td>Ja</td><td class=\"count\">1</td>");

  list = run_as (f, me, NULL, "fields", "list", NULL);
  assert_status (list, 0);
  assert_contains (list->out, "birthday                 on            1  Birthday\n");
  erase = run_as (f, me, NULL, "fields", "off", "birthday", "--erase", "--yes", NULL);
  assert_status (erase, 0);
  assert_contains (erase->out, "Erased the values of 1 contact");
  list_after = run_as (f, me, NULL, "fields", "list", NULL);
  assert_contains (list_after->out, "birthday                 off           0  Birthday\n");

  ok (run_as (f, me, NULL, "register", "--format", "html", "--output", html, NULL));
  after = read_text (html);
  g_assert_null (strstr (after, "<td>Birthday</td><td>Yes</td>"));
  assert_contains (after, "<td>Data minimisation</td><td>Birthday</td>");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli-access/sign-in", test_sign_in);
  ADD ("/cli-access/show-hidden", test_show_hidden);
  ADD ("/cli-access/search-hidden", test_search_hidden);
  ADD ("/cli-access/sales-refused", test_sales_refused);
  ADD ("/cli-access/breaches", test_breaches);
  ADD ("/cli-access/import-field", test_import_field);
  ADD ("/cli-access/read-only", test_read_only);
  ADD ("/cli-access/views", test_views);
  ADD ("/cli-access/users-roles", test_users_roles);
  ADD ("/cli-access/requests-refused", test_requests_refused);
  ADD ("/cli-access/privacy-office", test_privacy_office);
#undef ADD

  return g_test_run ();
}
