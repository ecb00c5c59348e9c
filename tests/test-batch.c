/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-batch"

#include "config.h"

#include <string.h>

#include "tesoro-batch.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-test-utils.h"

/*
 * Batch edit: add and remove a tag, set a field, move to the trash; one
 * transaction each, audited without personal data, restricted contacts
 * skipped, and an undo record that puts back exactly what was there.
 */

typedef struct
{
  TesoroTestFixture base;
  gint64            ids[4];   /* Anna, Bert, Carla (restricted), Dirk */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static const char * const names[][2] = {
    { "Anna", "Bakker" }, { "Bert", "Smit" }, { "Carla", "Jansen" }, { "Dirk", "Visser" },
  };

  tesoro_test_fixture_setup (&f->base, data);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TesoroContact) c = tesoro_contact_new ();

      tesoro_contact_set_given_name (c, names[i][0]);
      tesoro_contact_set_family_name (c, names[i][1]);
      tesoro_contact_set_organization (c, i == 0 ? "Oude Bakkerij" : "");
      if (i == 1)
        {
          TesoroAddress *a = tesoro_address_new ();

          a->label = g_strdup ("work");
          a->street = g_strdup ("Dorpsstraat 1");
          a->city = g_strdup ("Utrecht");
          g_ptr_array_add (tesoro_contact_get_addresses (c), a);
        }
      g_ptr_array_add (tesoro_contact_get_tags (c), g_strdup ("lead"));
      if (i == 0)
        {
          g_ptr_array_add (tesoro_contact_get_tags (c), g_strdup ("klant"));
          g_ptr_array_add (tesoro_contact_get_tags (c), g_strdup ("vip"));
          tesoro_contact_set_custom_value (c, "Klantnummer", "K-1");
        }
      tesoro_session_add_contact (f->base.session, c, &error);
      g_assert_no_error (error);
      f->ids[i] = tesoro_contact_get_id (c);
    }

  tesoro_session_set_restricted (f->base.session, f->ids[2], TRUE, &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  tesoro_test_fixture_teardown (&f->base, data);
}

static TesoroContact *
get (Fixture *f,
     guint    i)
{
  g_autoptr(GError) error = NULL;
  TesoroContact *c = tesoro_session_get_contact (f->base.session, f->ids[i], &error);

  g_assert_no_error (error);
  return c;
}

static TesoroBatchUndo *
edit (Fixture            *f,
      TesoroBatchAction   action,
      const char         *argument,
      const char         *value,
      TesoroBatchResult  *result)
{
  g_autoptr(GError) error = NULL;
  TesoroBatchUndo *undo = NULL;

  tesoro_session_batch_edit (f->base.session, f->ids, G_N_ELEMENTS (f->ids), action, argument, value,
                             NULL, NULL, NULL, result, &undo, &error);
  g_assert_no_error (error);
  return undo;
}

static guint
search (Fixture    *f,
        const char *query)
{
  g_autoptr(GArray) ids = tesoro_test_session_ids (f->base.session, query, FALSE);
  return ids->len;
}

static char *
last_audit (Fixture *f)
{
  g_auto(GStrv) rows = tesoro_test_sql_strings (f->base.path,
                                                "SELECT action || ' ' || details FROM audit_log WHERE action != 'view' ORDER BY id DESC LIMIT 1");
  return g_strdup (rows[0]);
}

static void
undo_ok (Fixture         *f,
         TesoroBatchUndo *undo,
         guint            restored,
         guint            left)
{
  g_autoptr(GError) error = NULL;
  guint r = 0, l = 0;

  tesoro_session_batch_undo (f->base.session, undo, NULL, &r, &l, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r, ==, restored);
  g_assert_cmpuint (l, ==, left);
  g_assert_true (tesoro_batch_undo_is_done (undo));

  tesoro_session_batch_undo (f->base.session, undo, NULL, NULL, NULL, &error);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
}

static void
test_add_tag (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autoptr(TesoroContact) anna = NULL;
  g_autoptr(TesoroContact) carla = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *describe = NULL;
  TesoroBatchResult r;

  tesoro_test_add_named (f->base.session, "Not", "Selected");
  undo = edit (f, TESORO_BATCH_ADD_TAG, "  Nieuwsbrief ", NULL, &r);
  g_assert_cmpuint (r.changed, ==, 3);
  g_assert_cmpuint (r.restricted, ==, 1);
  g_assert_cmpuint (r.unchanged, ==, 0);
  g_assert_cmpuint (tesoro_batch_undo_get_n_contacts (undo), ==, 3);
  describe = tesoro_batch_undo_describe (undo);
  g_assert_cmpstr (describe, ==, "Tag “Nieuwsbrief” added to 3 contacts");

  anna = get (f, 0);
  g_assert_true (tesoro_contact_has_tag (anna, "Nieuwsbrief"));
  g_assert_cmpstr (tesoro_contact_get_tags (anna)->pdata[3], ==, "Nieuwsbrief");
  carla = get (f, 2);
  g_assert_false (tesoro_contact_has_tag (carla, "Nieuwsbrief"));

  /* The log says what and how many, not which tag. */
  audit = last_audit (f);
  g_assert_true (g_str_has_prefix (audit, "batch-edit "));
  g_assert_nonnull (strstr (audit, "\"changed\":3"));
  g_assert_nonnull (strstr (audit, "\"restricted\":1"));
  g_assert_null (strstr (audit, "ieuwsbrief"));

  /* Once more: nothing to do. */
  {
    g_autoptr(TesoroBatchUndo) again = edit (f, TESORO_BATCH_ADD_TAG, "nieuwsbrief", NULL, &r);

    g_assert_null (again);
    g_assert_cmpuint (r.unchanged, ==, 3);
    g_assert_cmpuint (r.changed, ==, 0);
  }

  undo_ok (f, undo, 3, 0);
  g_clear_object (&anna);
  anna = get (f, 0);
  g_assert_false (tesoro_contact_has_tag (anna, "Nieuwsbrief"));
  /* The tag itself is gone again, as nobody has it. */
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM tags WHERE name = 'Nieuwsbrief'"), ==, 0);
}

static void
test_remove_tag (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autoptr(TesoroContact) before = get (f, 0);
  g_autoptr(TesoroContact) after = NULL;
  TesoroBatchResult r;

  undo = edit (f, TESORO_BATCH_REMOVE_TAG, "KLANT", NULL, &r);
  g_assert_cmpuint (r.changed, ==, 1);
  g_assert_cmpuint (r.unchanged, ==, 2);
  g_assert_cmpuint (r.restricted, ==, 1);
  after = get (f, 0);
  g_assert_false (tesoro_contact_has_tag (after, "klant"));

  /* Undo puts the tag back in its place. */
  undo_ok (f, undo, 1, 0);
  g_clear_object (&after);
  after = get (f, 0);
  g_assert_cmpuint (tesoro_contact_get_tags (after)->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (tesoro_contact_get_tags (after)->pdata[i], ==, tesoro_contact_get_tags (before)->pdata[i]);

  /* A tag nobody has: nothing changes. */
  {
    g_autoptr(TesoroBatchUndo) none = edit (f, TESORO_BATCH_REMOVE_TAG, "unknown", NULL, &r);
    g_assert_null (none);
    g_assert_cmpuint (r.unchanged, ==, 3);
  }
}

static void
test_set_organization (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autoptr(TesoroContact) anna = NULL;
  g_autoptr(TesoroContact) bert = NULL;
  TesoroBatchResult r;

  g_assert_cmpuint (search (f, "oude"), ==, 1);
  undo = edit (f, TESORO_BATCH_SET_FIELD, TESORO_BATCH_FIELD_ORGANIZATION, "  Nieuwe   Bakkerij ", &r);
  g_assert_cmpuint (r.changed, ==, 3);

  anna = get (f, 0);
  g_assert_cmpstr (tesoro_contact_get_organization (anna), ==, "Nieuwe Bakkerij");
  /* The search index follows. */
  g_assert_cmpuint (search (f, "oude"), ==, 0);
  g_assert_cmpuint (search (f, "nieuwe"), ==, 3);

  /* Someone changes Bert afterwards: Undo leaves him alone. */
  bert = get (f, 1);
  tesoro_contact_set_organization (bert, "Own Choice");
  {
    g_autoptr(GError) error = NULL;
    tesoro_session_update_contact (f->base.session, bert, &error);
    g_assert_no_error (error);
  }

  undo_ok (f, undo, 2, 1);
  g_clear_object (&anna);
  g_clear_object (&bert);
  anna = get (f, 0);
  bert = get (f, 1);
  g_assert_cmpstr (tesoro_contact_get_organization (anna), ==, "Oude Bakkerij");
  g_assert_cmpstr (tesoro_contact_get_organization (bert), ==, "Own Choice");
  g_assert_cmpuint (search (f, "oude"), ==, 1);
  g_assert_cmpuint (search (f, "nieuwe"), ==, 0);
}

static void
test_set_city (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autoptr(TesoroContact) anna = NULL;
  g_autoptr(TesoroContact) bert = NULL;
  TesoroBatchResult r;

  undo = edit (f, TESORO_BATCH_SET_FIELD, TESORO_BATCH_FIELD_CITY, "Zwolle", &r);
  g_assert_cmpuint (r.changed, ==, 3);
  anna = get (f, 0);
  bert = get (f, 1);
  /* Anna had no address: she has one now, with only the city. */
  g_assert_cmpuint (tesoro_contact_get_addresses (anna)->len, ==, 1);
  g_assert_cmpstr (((TesoroAddress *) tesoro_contact_get_addresses (anna)->pdata[0])->city, ==, "Zwolle");
  g_assert_cmpstr (((TesoroAddress *) tesoro_contact_get_addresses (bert)->pdata[0])->city, ==, "Zwolle");
  g_assert_cmpstr (((TesoroAddress *) tesoro_contact_get_addresses (bert)->pdata[0])->street, ==, "Dorpsstraat 1");
  g_assert_cmpuint (search (f, "zwolle"), ==, 3);
  g_assert_cmpuint (search (f, "utrecht"), ==, 0);

  undo_ok (f, undo, 3, 0);
  g_clear_object (&anna);
  g_clear_object (&bert);
  anna = get (f, 0);
  bert = get (f, 1);
  g_assert_cmpuint (tesoro_contact_get_addresses (anna)->len, ==, 0);
  g_assert_cmpstr (((TesoroAddress *) tesoro_contact_get_addresses (bert)->pdata[0])->city, ==, "Utrecht");
  g_assert_cmpuint (search (f, "zwolle"), ==, 0);
  g_assert_cmpuint (search (f, "utrecht"), ==, 1);
}

static void
test_set_lawful_basis (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autoptr(TesoroContact) anna = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  TesoroBatchResult r;
  gint64 audit_before = tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM audit_log");

  /* A bad value is refused before anything changes. */
  g_assert_false (tesoro_batch_check_field ("lawful_basis", "because I can", NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tesoro_session_batch_edit (f->base.session, f->ids, 4, TESORO_BATCH_SET_FIELD, "lawful_basis",
                                             "nonsense", NULL, NULL, NULL, &r, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tesoro_session_batch_edit (f->base.session, f->ids, 4, TESORO_BATCH_SET_FIELD, "birthday",
                                             "2000-01-01", NULL, NULL, NULL, &r, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM audit_log"), ==, audit_before);

  g_assert_true (tesoro_batch_check_field ("lawful_basis", "Overeenkomst", &normalized, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, "contract");

  undo = edit (f, TESORO_BATCH_SET_FIELD, "lawful_basis", "contract", &r);
  g_assert_cmpuint (r.changed, ==, 3);
  anna = get (f, 0);
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (anna), ==, "contract");
  /* Each change of lawful basis is in the log, by uid. */
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM audit_log WHERE action = 'lawful-basis'"),
                   ==, 3);

  undo_ok (f, undo, 3, 0);
  g_clear_object (&anna);
  anna = get (f, 0);
  g_assert_null (tesoro_contact_get_lawful_basis (anna));
}

static void
test_set_custom (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autoptr(TesoroBatchUndo) clear = NULL;
  g_autoptr(TesoroContact) anna = NULL;
  g_autoptr(TesoroContact) dirk = NULL;
  g_autofree char *audit = NULL;
  TesoroBatchResult r;

  undo = edit (f, TESORO_BATCH_SET_FIELD, "custom/Regio", "Noord", &r);
  g_assert_cmpuint (r.changed, ==, 3);
  dirk = get (f, 3);
  g_assert_cmpstr (tesoro_contact_get_custom_value (dirk, "Regio"), ==, "Noord");
  audit = last_audit (f);
  g_assert_nonnull (strstr (audit, "\"field\":\"custom\""));
  g_assert_null (strstr (audit, "Regio"));
  g_assert_null (strstr (audit, "Noord"));
  undo_ok (f, undo, 3, 0);
  g_clear_object (&dirk);
  dirk = get (f, 3);
  g_assert_null (tesoro_contact_get_custom_value (dirk, "Regio"));
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM custom_fields WHERE name = 'Regio'"),
                   ==, 0);

  /* Clearing a value, and undoing that. */
  clear = edit (f, TESORO_BATCH_SET_FIELD, "custom/Klantnummer", "", &r);
  g_assert_cmpuint (r.changed, ==, 1);
  g_assert_cmpuint (r.unchanged, ==, 2);
  anna = get (f, 0);
  g_assert_null (tesoro_contact_get_custom_value (anna, "Klantnummer"));
  undo_ok (f, clear, 1, 0);
  g_clear_object (&anna);
  anna = get (f, 0);
  g_assert_cmpstr (tesoro_contact_get_custom_value (anna, "Klantnummer"), ==, "K-1");
}

static void
test_trash (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autoptr(GError) error = NULL;
  TesoroBatchResult r;

  tesoro_session_trash_contact (f->base.session, f->ids[3], &error);
  g_assert_no_error (error);

  undo = edit (f, TESORO_BATCH_TRASH, NULL, NULL, &r);
  g_assert_cmpuint (r.changed, ==, 2);
  g_assert_cmpuint (r.unchanged, ==, 1);
  g_assert_cmpuint (r.restricted, ==, 1);
  g_assert_cmpint (tesoro_session_count_contacts (f->base.session, FALSE, NULL), ==, 1);

  undo_ok (f, undo, 2, 0);
  g_assert_cmpint (tesoro_session_count_contacts (f->base.session, FALSE, NULL), ==, 3);
  g_assert_cmpint (tesoro_session_count_contacts (f->base.session, TRUE, NULL), ==, 1);
}

/* Ids that name no contact, and contacts in the trash, are counted. */
static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroBatchUndo) undo = NULL;
  gint64 ids[] = { f->ids[0], 4242, f->ids[3], f->ids[0] };
  TesoroBatchResult r;

  tesoro_session_trash_contact (f->base.session, f->ids[3], &error);
  g_assert_no_error (error);
  tesoro_session_batch_edit (f->base.session, ids, G_N_ELEMENTS (ids), TESORO_BATCH_ADD_TAG, "x", NULL, NULL, NULL,
                             NULL, &r, &undo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r.changed, ==, 1);
  g_assert_cmpuint (r.missing, ==, 2);

  /* An empty tag is refused. */
  tesoro_session_batch_edit (f->base.session, ids, G_N_ELEMENTS (ids), TESORO_BATCH_ADD_TAG, "  ", NULL, NULL, NULL,
                             NULL, &r, NULL, &error);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
}

static void
cancel_cb (guint64  done,
           guint64  total,
           gpointer user_data)
{
  if (done < total)
    g_cancellable_cancel (user_data);
}

/* Cancelled half-way: nothing changed. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) ids = NULL;
  TesoroBatchResult r;

  tesoro_session_generate_demo (f->base.session, 2000, 5, NULL, &error);
  g_assert_no_error (error);
  ids = tesoro_test_session_ids (f->base.session, NULL, FALSE);

  g_assert_false (tesoro_session_batch_edit (f->base.session, (gint64 *) ids->data, ids->len, TESORO_BATCH_ADD_TAG,
                                             "zzcancel", NULL, cancellable, cancel_cb, cancellable, &r, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED);
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM tags WHERE name = 'zzcancel'"), ==, 0);
}

/* tesoro-cli batch */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(TesoroCliResult) res = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *ids = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, f->ids[0], f->ids[2]);

  res = tesoro_test_cli (f->base.path, NULL, "batch", "--ids", ids, "--add-tag", "cli-tag", "--json", NULL);
  g_assert_cmpint (res->status, ==, 0);
  node = tesoro_test_parse_json (res->out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "changed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "restricted"), ==, 1);
  g_clear_pointer (&res, tesoro_cli_result_free);

  res = tesoro_test_cli (f->base.path, NULL, "batch", "--search", "bakker", "--set", "city=Leiden", NULL);
  g_assert_cmpint (res->status, ==, 0);
  g_assert_nonnull (strstr (res->out, "1 changed"));
  g_clear_pointer (&res, tesoro_cli_result_free);

  res = tesoro_test_cli (f->base.path, NULL, "batch", "--search", "leiden", "--trash", NULL);
  g_assert_cmpint (res->status, ==, 0);
  g_assert_cmpint (tesoro_test_sql_int (f->base.path, "SELECT count(*) FROM contacts WHERE trashed_at IS NOT NULL"),
                   ==, 1);
  g_clear_pointer (&res, tesoro_cli_result_free);

  /* Usage errors: exit status 2, nothing changed. */
  res = tesoro_test_cli (f->base.path, NULL, "batch", "--ids", "1", "--add-tag", "a", "--trash", NULL);
  g_assert_cmpint (res->status, ==, 2);
  g_clear_pointer (&res, tesoro_cli_result_free);
  res = tesoro_test_cli (f->base.path, NULL, "batch", "--ids", "1,x", "--trash", NULL);
  g_assert_cmpint (res->status, ==, 2);
  g_clear_pointer (&res, tesoro_cli_result_free);
  res = tesoro_test_cli (f->base.path, NULL, "batch", "--ids", "1", "--set", "birthday=2000-01-01", NULL);
  g_assert_cmpint (res->status, ==, 2);
  g_clear_pointer (&res, tesoro_cli_result_free);
  res = tesoro_test_cli (f->base.path, NULL, "batch", "--add-tag", "a", NULL);
  g_assert_cmpint (res->status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, setup, func, teardown)
  ADD ("/batch/add-tag", test_add_tag);
  ADD ("/batch/remove-tag", test_remove_tag);
  ADD ("/batch/set/organization", test_set_organization);
  ADD ("/batch/set/city", test_set_city);
  ADD ("/batch/set/lawful-basis", test_set_lawful_basis);
  ADD ("/batch/set/custom", test_set_custom);
  ADD ("/batch/trash", test_trash);
  ADD ("/batch/missing", test_missing);
  ADD ("/batch/cancel", test_cancel);
  ADD ("/batch/cli", test_cli);
#undef ADD

  return g_test_run ();
}
