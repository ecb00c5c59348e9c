/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-contact-list"

#include "config.h"

#include <string.h>

#include "tesoro-batch.h"
#include "tesoro-contact-list.h"
#include "tesoro-error.h"
#include "tesoro-session.h"
#include "tesoro-test-utils.h"

/*
 * The lazy list model: exact items-changed signals, checked two ways. Each
 * emission is recorded and compared with what the change should announce,
 * and it is replayed on a shadow copy of the list, which must then hold
 * exactly what the model holds and what the session's SQL search returns.
 */

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Emission;

typedef struct
{
  TesoroContactList *list;
  GArray            *emissions;   /* Emission */
  GArray            *shadow;      /* gint64 ids, as a view would hold them */
  guint              n_notify;    /* notify::n-items */
} Recorder;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Recorder   *recorder)
{
  Emission emission = { position, removed, added };

  g_assert_true (G_LIST_MODEL (recorder->list) == model);
  g_array_append_val (recorder->emissions, emission);

  /* The model has changed already when it says so (GListModel contract). */
  g_assert_cmpuint (position + removed, <=, recorder->shadow->len);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, recorder->shadow->len - removed + added);
  g_assert_true (removed > 0 || added > 0);

  g_array_remove_range (recorder->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    {
      gint64 id = tesoro_contact_list_get_id (recorder->list, position + i);

      g_assert_cmpint (id, >, 0);
      g_array_insert_val (recorder->shadow, position + i, id);
    }
}

static void
on_n_items_notify_cb (GObject    *object,
                      GParamSpec *pspec,
                      Recorder   *recorder)
{
  recorder->n_notify++;
}

static Recorder *
recorder_new (TesoroContactList *list)
{
  Recorder *recorder = g_new0 (Recorder, 1);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  recorder->list = g_object_ref (list);
  recorder->emissions = g_array_new (FALSE, FALSE, sizeof (Emission));
  recorder->shadow = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n; i++)
    {
      gint64 id = tesoro_contact_list_get_id (list, i);
      g_array_append_val (recorder->shadow, id);
    }

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), recorder);
  g_signal_connect (list, "notify::n-items", G_CALLBACK (on_n_items_notify_cb), recorder);
  return recorder;
}

static void
recorder_free (Recorder *recorder)
{
  g_signal_handlers_disconnect_by_data (recorder->list, recorder);
  g_object_unref (recorder->list);
  g_array_unref (recorder->emissions);
  g_array_unref (recorder->shadow);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

/* Checks the emissions since the last call: @n of them, then @n triples of
 * position, removed, added. */
static void
assert_emissions (Recorder *recorder,
                  guint     n,
                  ...)
{
  va_list ap;

  if (recorder->emissions->len != n)
    {
      g_autoptr(GString) seen = g_string_new (NULL);

      for (guint i = 0; i < recorder->emissions->len; i++)
        {
          Emission *e = &g_array_index (recorder->emissions, Emission, i);
          g_string_append_printf (seen, " (%u,%u,%u)", e->position, e->removed, e->added);
        }
      g_error ("expected %u items-changed, got %u:%s", n, recorder->emissions->len, seen->str);
    }

  va_start (ap, n);
  for (guint i = 0; i < n; i++)
    {
      Emission *e = &g_array_index (recorder->emissions, Emission, i);
      guint position = va_arg (ap, guint);
      guint removed = va_arg (ap, guint);
      guint added = va_arg (ap, guint);

      g_test_message ("items-changed (%u, %u, %u)", e->position, e->removed, e->added);
      g_assert_cmpuint (e->position, ==, position);
      g_assert_cmpuint (e->removed, ==, removed);
      g_assert_cmpuint (e->added, ==, added);
    }
  va_end (ap);

  g_array_set_size (recorder->emissions, 0);
}

/* The shadow, the model and the session's SQL agree. */
static void
assert_consistent (Recorder *recorder)
{
  TesoroContactList *list = recorder->list;
  g_autoptr(GArray) expected = tesoro_test_session_ids (tesoro_contact_list_get_session (list),
                                                        tesoro_contact_list_get_query (list),
                                                        tesoro_contact_list_get_trash (list));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  g_assert_cmpuint (n, ==, expected->len);
  g_assert_cmpuint (recorder->shadow->len, ==, expected->len);
  for (guint i = 0; i < n; i++)
    {
      gint64 id = g_array_index (expected, gint64, i);

      g_assert_cmpint (tesoro_contact_list_get_id (list, i), ==, id);
      g_assert_cmpint (g_array_index (recorder->shadow, gint64, i), ==, id);
      g_assert_cmpuint (tesoro_contact_list_find (list, id), ==, i);
    }
}

static gint64
add_contact (TesoroSession *session,
             const char  *given,
             const char  *family)
{
  g_autoptr(TesoroContact) contact = tesoro_test_add_named (session, given, family);
  return tesoro_contact_get_id (contact);
}

static char *
name_at (TesoroContactList *list,
         guint              position)
{
  g_autoptr(TesoroContact) contact = g_list_model_get_item (G_LIST_MODEL (list), position);

  g_assert_nonnull (contact);
  return g_strdup (tesoro_contact_get_display_name (contact));
}

static void
rename_contact (TesoroSession *session,
                gint64       id,
                const char  *given,
                const char  *family)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = tesoro_session_get_contact (session, id, &error);

  g_assert_no_error (error);
  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  tesoro_contact_set_display_name (contact, NULL);
  tesoro_session_update_contact (session, contact, &error);
  g_assert_no_error (error);
}

/* Five people, added out of order. */
static void
add_five (TesoroSession *session,
          gint64       ids[5])
{
  ids[3] = add_contact (session, "Daan", "Smit");
  ids[0] = add_contact (session, "anna", "Bakker");
  ids[4] = add_contact (session, "Émile", "Dubois");
  ids[2] = add_contact (session, "Carla", "Visser");
  ids[1] = add_contact (session, "Bram", "de Jong");
}

static void
test_items (TesoroTestFixture *f,
            gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(TesoroContact) item = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "anna Bakker", "Bram de Jong", "Carla Visser", "Daan Smit", "Émile Dubois", "Eva Mulder" };
  gint64 ids[5];
  gint64 eva;

  add_five (f->session, ids);
  eva = add_contact (f->session, "Eva", "Mulder");
  contact = tesoro_session_get_contact (f->session, ids[2], &error);
  g_assert_no_error (error);
  tesoro_contact_set_organization (contact, "Visser Transport");
  tesoro_contact_add_email (contact, "work", "carla@visser.example", TRUE);
  tesoro_session_update_contact (f->session, contact, &error);
  g_assert_no_error (error);

  list = tesoro_contact_list_new (f->session, FALSE);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == TESORO_TYPE_CONTACT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 6);
  g_assert_cmpuint (tesoro_contact_list_get_total (list), ==, 6);

  /* In name order, regardless of case and accents. */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *name = name_at (list, i);
      g_assert_cmpstr (name, ==, expected[i]);
    }
  g_assert_cmpint (tesoro_contact_list_get_id (list, 0), ==, ids[0]);
  g_assert_cmpint (tesoro_contact_list_get_id (list, 5), ==, eva);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 6));
  g_assert_cmpint (tesoro_contact_list_get_id (list, 6), ==, 0);
  g_assert_cmpuint (tesoro_contact_list_find (list, 4242), ==, G_MAXUINT);

  /* A row has what the list shows. */
  item = g_list_model_get_item (G_LIST_MODEL (list), 2);
  g_assert_cmpint (tesoro_contact_get_id (item), ==, ids[2]);
  g_assert_cmpstr (tesoro_contact_get_organization (item), ==, "Visser Transport");
  g_assert_cmpstr (tesoro_contact_get_primary_email (item), ==, "carla@visser.example");
  g_assert_true (g_uuid_string_is_valid (tesoro_contact_get_uid (item)));
}

static void
test_insert (TesoroTestFixture *f,
             gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autofree char *name = NULL;
  gint64 ids[5];

  add_five (f->session, ids);
  list = tesoro_contact_list_new (f->session, FALSE);
  recorder = recorder_new (list);

  add_contact (f->session, "Bert", "Prins");
  assert_emissions (recorder, 1, 1, 0, 1);
  assert_consistent (recorder);
  name = name_at (list, 1);
  g_assert_cmpstr (name, ==, "Bert Prins");
  g_clear_pointer (&name, g_free);

  add_contact (f->session, "Aaron", "Kok");
  assert_emissions (recorder, 1, 0, 0, 1);
  add_contact (f->session, "Zeger", "Post");
  assert_emissions (recorder, 1, 7, 0, 1);
  /* The same name again goes after the first (ties are broken by id). */
  add_contact (f->session, "Bert", "Prins");
  assert_emissions (recorder, 1, 3, 0, 1);
  assert_consistent (recorder);
  g_assert_cmpuint (recorder->n_notify, ==, 4);
  name = name_at (list, 8);
  g_assert_cmpstr (name, ==, "Zeger Post");
}

static void
test_update (TesoroTestFixture *f,
             gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(TesoroContact) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 ids[5];

  add_five (f->session, ids);
  list = tesoro_contact_list_new (f->session, FALSE);
  recorder = recorder_new (list);

  /* Loading the row first puts it in the page cache: the change must not
   * leave the old row there. */
  item = g_list_model_get_item (G_LIST_MODEL (list), 2);
  g_assert_cmpstr (tesoro_contact_get_organization (item), ==, "");
  g_clear_object (&item);

  /* A change that does not move the contact: one (pos, 1, 1). */
  contact = tesoro_session_get_contact (f->session, ids[2], &error);
  g_assert_no_error (error);
  tesoro_contact_set_organization (contact, "Visser Transport");
  tesoro_session_update_contact (f->session, contact, &error);
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 2, 1, 1);
  item = g_list_model_get_item (G_LIST_MODEL (list), 2);
  g_assert_cmpstr (tesoro_contact_get_organization (item), ==, "Visser Transport");
  g_clear_object (&item);

  /* New history is a change of the row too. */
  g_assert_cmpint (tesoro_session_add_note (f->session, ids[3], "Gebeld", &error), >, 0);
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 3, 1, 1);

  /* Renamed, but still first. */
  rename_contact (f->session, ids[0], "Aafke", "Bakker");
  assert_emissions (recorder, 1, 0, 1, 1);
  name = name_at (list, 0);
  g_assert_cmpstr (name, ==, "Aafke Bakker");
  g_clear_pointer (&name, g_free);

  /* Renamed from first to last: removed, then inserted where it now belongs. */
  rename_contact (f->session, ids[0], "Zora", "Bakker");
  assert_emissions (recorder, 2, 0, 1, 0, 4, 0, 1);
  assert_consistent (recorder);
  name = name_at (list, 4);
  g_assert_cmpstr (name, ==, "Zora Bakker");
  g_clear_pointer (&name, g_free);

  /* And one step forward: Émile (3) becomes "Bas" (between nobody and Bram). */
  rename_contact (f->session, ids[4], "Bas", "Dubois");
  assert_emissions (recorder, 2, 3, 1, 0, 0, 0, 1);
  assert_consistent (recorder);
  name = name_at (list, 0);
  g_assert_cmpstr (name, ==, "Bas Dubois");

  /* Nothing of that changed the number of items. */
  g_assert_cmpuint (recorder->n_notify, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);
}

static void
test_trash_restore (TesoroTestFixture *f,
                    gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(TesoroContactList) trash = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(Recorder) trash_recorder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[5];

  add_five (f->session, ids);
  list = tesoro_contact_list_new (f->session, FALSE);
  trash = tesoro_contact_list_new (f->session, TRUE);
  recorder = recorder_new (list);
  trash_recorder = recorder_new (trash);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trash)), ==, 0);

  g_setenv ("TESORO_NOW", "2030-01-01T10:00:00Z", TRUE);
  g_assert_true (tesoro_session_trash_contact (f->session, ids[2], &error));
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 2, 1, 0);
  assert_emissions (trash_recorder, 1, 0, 0, 1);

  /* The trash lists the newest first. */
  g_setenv ("TESORO_NOW", "2030-01-01T11:00:00Z", TRUE);
  g_assert_true (tesoro_session_trash_contact (f->session, ids[4], &error));
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 3, 1, 0);
  assert_emissions (trash_recorder, 1, 0, 0, 1);
  g_setenv ("TESORO_NOW", "2030-01-01T12:00:00Z", TRUE);
  g_assert_true (tesoro_session_trash_contact (f->session, ids[0], &error));
  g_assert_no_error (error);
  g_unsetenv ("TESORO_NOW");
  assert_emissions (recorder, 1, 0, 1, 0);
  assert_emissions (trash_recorder, 1, 0, 0, 1);
  assert_consistent (recorder);
  assert_consistent (trash_recorder);
  g_assert_cmpint (tesoro_contact_list_get_id (trash, 0), ==, ids[0]);
  g_assert_cmpint (tesoro_contact_list_get_id (trash, 2), ==, ids[2]);
  g_assert_cmpuint (tesoro_contact_list_get_total (trash), ==, 3);
  g_assert_cmpuint (tesoro_contact_list_get_total (list), ==, 2);

  /* Searching the trash. */
  tesoro_contact_list_set_query (trash, "carla");
  assert_emissions (trash_recorder, 1, 0, 2, 0);
  assert_consistent (trash_recorder);
  tesoro_contact_list_set_query (trash, NULL);
  assert_emissions (trash_recorder, 1, 0, 0, 2);

  /* Restored: back at its place. */
  g_assert_true (tesoro_session_restore_contact (f->session, ids[4], &error));
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 2, 0, 1);
  assert_emissions (trash_recorder, 1, 1, 1, 0);
  g_assert_true (tesoro_session_restore_contact (f->session, ids[2], &error));
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 1, 0, 1);
  assert_emissions (trash_recorder, 1, 1, 1, 0);
  assert_consistent (recorder);
  assert_consistent (trash_recorder);

  /* A failed trash announces nothing. */
  g_assert_false (tesoro_session_trash_contact (f->session, 4242, &error));
  g_clear_error (&error);
  assert_emissions (recorder, 0);
  assert_emissions (trash_recorder, 0);
}

static void
test_query (TesoroTestFixture *f,
            gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(Recorder) recorder = NULL;
  guint notify;
  gint64 ids[5];

  add_five (f->session, ids);
  add_contact (f->session, "Bas", "van Dijk");
  add_contact (f->session, "Eva", "Mulder");
  /* anna Bakker, Bas van Dijk, Bram de Jong, Carla Visser, Daan Smit, Émile Dubois, Eva Mulder */
  list = tesoro_contact_list_new (f->session, FALSE);
  recorder = recorder_new (list);

  tesoro_contact_list_set_query (list, "b");
  /* anna Bakker, Bas van Dijk, Bram de Jong: the first three stay, the rest go. */
  assert_emissions (recorder, 1, 3, 4, 0);
  assert_consistent (recorder);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpuint (tesoro_contact_list_get_total (list), ==, 7);

  tesoro_contact_list_set_query (list, "br");
  assert_emissions (recorder, 1, 0, 2, 0);
  assert_consistent (recorder);

  /* The same search in other words: nothing to announce. */
  notify = recorder->n_notify;
  tesoro_contact_list_set_query (list, "  BR ");
  assert_emissions (recorder, 0);
  g_assert_cmpstr (tesoro_contact_list_get_query (list), ==, "  BR ");
  g_assert_cmpuint (recorder->n_notify, ==, notify);

  tesoro_contact_list_set_query (list, "e");
  /* Émile Dubois, Eva Mulder replace Bram de Jong. */
  assert_emissions (recorder, 1, 0, 1, 2);
  assert_consistent (recorder);

  tesoro_contact_list_set_query (list, "zzz");
  assert_emissions (recorder, 1, 0, 2, 0);
  assert_consistent (recorder);

  tesoro_contact_list_set_query (list, "");
  assert_emissions (recorder, 1, 0, 0, 7);
  assert_consistent (recorder);
  g_assert_null (tesoro_contact_list_get_query (list));

  tesoro_contact_list_set_query (list, NULL);
  assert_emissions (recorder, 0);

  /* Two words: both must match. */
  tesoro_contact_list_set_query (list, "bas dijk");
  assert_emissions (recorder, 1, 0, 7, 1);
  assert_consistent (recorder);
  g_assert_cmpuint (recorder->n_notify, ==, 6);
}

/* Changes while a search is shown appear only if they match it. */
static void
test_changes_while_searching (TesoroTestFixture *f,
                              gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[5];
  gint64 sophie, piet;

  add_five (f->session, ids);
  add_contact (f->session, "Sophie", "de Vries");
  list = tesoro_contact_list_new (f->session, FALSE);
  tesoro_contact_list_set_query (list, "so");
  recorder = recorder_new (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  sophie = add_contact (f->session, "Sophie", "Bakker");
  assert_emissions (recorder, 1, 0, 0, 1);
  piet = add_contact (f->session, "Piet", "Hein");
  assert_emissions (recorder, 0);

  rename_contact (f->session, piet, "Piet", "Sol");
  assert_emissions (recorder, 1, 0, 0, 1);
  assert_consistent (recorder);
  rename_contact (f->session, sophie, "Fien", "Bakker");
  assert_emissions (recorder, 1, 1, 1, 0);
  assert_consistent (recorder);

  g_assert_true (tesoro_session_trash_contact (f->session, piet, &error));
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 0, 1, 0);
  g_assert_true (tesoro_session_restore_contact (f->session, piet, &error));
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 0, 0, 1);
  assert_consistent (recorder);

  /* Not matching before or after: nothing. */
  rename_contact (f->session, ids[1], "Bram", "de Jong-Jansen");
  assert_emissions (recorder, 0);

  /* Clearing the search shows everything, with the changes. */
  tesoro_contact_list_set_query (list, NULL);
  g_assert_cmpuint (recorder->emissions->len, ==, 1);
  g_array_set_size (recorder->emissions, 0);
  assert_consistent (recorder);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 8);
}

/* Sample data arrives as one reset, announced as one change. */
static void
test_reset (TesoroTestFixture *f,
            gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = tesoro_contact_list_new (f->session, FALSE);
  g_autoptr(Recorder) recorder = recorder_new (list);
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_session_generate_demo (f->session, 120, 3, NULL, &error));
  g_assert_no_error (error);
  assert_emissions (recorder, 1, 0, 0, 120);
  assert_consistent (recorder);

  g_assert_true (tesoro_session_generate_demo (f->session, 30, 4, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (recorder->emissions->len, ==, 1);
  g_array_set_size (recorder->emissions, 0);
  assert_consistent (recorder);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 150);
}

/* A batch runs on a connection of its own, and the window reloads its
 * lists afterwards: the rows a view shows must then show the new values,
 * also where the order did not change (Set Field on organisations). */
static void
test_reload_refreshes_shown_rows (TesoroTestFixture *f,
                                  gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(TesoroSession) worker = NULL;
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autoptr(TesoroContact) shown1 = NULL;
  g_autoptr(TesoroContact) shown2 = NULL;
  g_autoptr(TesoroContact) shown4 = NULL;
  g_autoptr(TesoroContact) item = NULL;
  g_autoptr(GError) error = NULL;
  TesoroBatchResult result;
  gint64 ids[5];

  add_five (f->session, ids);
  list = tesoro_contact_list_new (f->session, FALSE);
  recorder = recorder_new (list);

  /* Rows 1, 2 and 4 are on screen: a view holds their items. */
  shown1 = g_list_model_get_item (G_LIST_MODEL (list), 1);
  shown2 = g_list_model_get_item (G_LIST_MODEL (list), 2);
  shown4 = g_list_model_get_item (G_LIST_MODEL (list), 4);
  g_assert_cmpstr (tesoro_contact_get_organization (shown2), ==, "");

  worker = tesoro_test_open_session (f->path);
  g_assert_true (tesoro_session_batch_edit (worker, ids, G_N_ELEMENTS (ids), TESORO_BATCH_SET_FIELD,
                                            TESORO_BATCH_FIELD_ORGANIZATION, "Visser Transport", NULL, NULL, NULL,
                                            &result, &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.changed, ==, 5);

  tesoro_contact_list_reload (list);
  assert_emissions (recorder, 2, 1, 2, 2, 4, 1, 1);
  assert_consistent (recorder);
  for (guint i = 0; i < 5; i++)
    {
      g_clear_object (&item);
      item = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert_cmpstr (tesoro_contact_get_organization (item), ==, "Visser Transport");
    }

  /* Nothing shown, nothing changed: a reload says nothing. */
  g_clear_object (&item);
  g_clear_object (&shown1);
  g_clear_object (&shown2);
  g_clear_object (&shown4);
  tesoro_contact_list_reload (list);
  assert_emissions (recorder, 0);
}

/* Queries a user might type for @contact: beginnings of its words. */
static void
add_queries_for (GPtrArray     *queries,
                 TesoroContact *contact)
{
  const char *given = tesoro_contact_get_given_name (contact);
  const char *family = tesoro_contact_get_family_name (contact);
  const char *org = tesoro_contact_get_organization (contact);
  const char *email = tesoro_contact_get_primary_email (contact);
  const char *phone = tesoro_contact_get_primary_phone (contact);
  GPtrArray *addresses = tesoro_contact_get_addresses (contact);

  for (guint n = 1; n <= 3; n++)
    {
      if (g_utf8_strlen (given, -1) >= n)
        g_ptr_array_add (queries, g_utf8_substring (given, 0, n));
      if (g_utf8_strlen (family, -1) >= n)
        g_ptr_array_add (queries, g_utf8_substring (family, 0, n));
    }
  g_ptr_array_add (queries, g_strdup (given));
  g_ptr_array_add (queries, g_strdup_printf ("%s %s", given, family));
  g_ptr_array_add (queries, g_strdup_printf ("%s %.2s", family, given));
  if (*org != '\0')
    g_ptr_array_add (queries, g_utf8_substring (org, 0, MIN (4, g_utf8_strlen (org, -1))));
  if (email != NULL)
    {
      const char *at = strchr (email, '@');

      g_ptr_array_add (queries, g_strndup (email, at - email + 3));
      g_ptr_array_add (queries, g_strdup (at + 1));
    }
  if (phone != NULL)
    {
      g_ptr_array_add (queries, g_strndup (phone, 6));
      g_ptr_array_add (queries, g_strndup (phone, 9));
    }
  if (addresses->len > 0)
    {
      const char *city = ((TesoroAddress *) addresses->pdata[0])->city;

      g_ptr_array_add (queries, g_utf8_substring (city, 0, MIN (3, g_utf8_strlen (city, -1))));
      g_autofree char *start = g_utf8_substring (given, 0, MIN (3, g_utf8_strlen (given, -1)));

      g_ptr_array_add (queries, g_strdup_printf ("%s %s", start, city));
    }
}

static GPtrArray *
demo_queries (TesoroSession *session)
{
  static const char * const fixed[] = {
    "a", "e", "z", "zo", "zoe", "jose", "JOSÉ", "renee", "esmee", "sean", "siobhan", "o'brien", "brien",
    "van", "van der", "de", "06", "+31 6", "0031", "06 1", "+44", "020", "gmail", "@gmail", "gmail.com",
    "klant", "amsterdam", "den haag", "'s-hertogenbosch", "bakkerij", "b.v.", "ltd", "xyz", "qqq",
    "sophie jansen", "a b", "  e  ", "ö", "é", "1", "0", "@", "-", "...", NULL
  };
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = tesoro_test_session_ids (session, NULL, FALSE);

  for (guint i = 0; fixed[i] != NULL; i++)
    g_ptr_array_add (queries, g_strdup (fixed[i]));

  /* Every seventh contact gives its own. */
  for (guint i = 0; i < ids->len; i += 7)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesoroContact) contact = tesoro_session_get_contact (session, g_array_index (ids, gint64, i), &error);

      g_assert_no_error (error);
      add_queries_for (queries, contact);
    }

  return queries;
}

/* The model's fast search (a bitset over name ranks) finds exactly what the
 * straightforward SQL finds, in the same order, also after changes that
 * the model applied one by one. */
static void
test_fast_search_matches_sql (TesoroTestFixture *f,
                              gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(TesoroContactList) watching = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GError) error = NULL;
  guint some = 0, none = 0;

  g_assert_true (tesoro_session_generate_demo (f->session, 300, 7, NULL, &error));
  g_assert_no_error (error);

  list = tesoro_contact_list_new (f->session, FALSE);
  queries = demo_queries (f->session);
  g_test_message ("%u queries", queries->len);
  g_assert_cmpuint (queries->len, >, 400);

  for (guint q = 0; q < queries->len; q++)
    {
      g_autoptr(GArray) expected = tesoro_test_session_ids (f->session, queries->pdata[q], FALSE);
      guint n;

      tesoro_contact_list_set_query (list, queries->pdata[q]);
      n = g_list_model_get_n_items (G_LIST_MODEL (list));
      if (n != expected->len)
        g_error ("“%s”: the list has %u contacts, SQL finds %u", (char *) queries->pdata[q], n, expected->len);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (tesoro_contact_list_get_id (list, i), ==, g_array_index (expected, gint64, i));

      if (n > 0 && n < 300)
        some++;
      else if (n == 0)
        none++;
    }

  /* The comparison means something only if most queries select some. */
  g_test_message ("%u queries find some, %u none", some, none);
  g_assert_cmpuint (some, >, queries->len * 3 / 4);
  g_assert_cmpuint (none, >, 0);

  /* Now change contacts while a list shows a search, and compare again. */
  watching = tesoro_contact_list_new (f->session, FALSE);
  tesoro_contact_list_set_query (watching, "e");
  recorder = recorder_new (watching);
  all = tesoro_test_session_ids (f->session, NULL, FALSE);
  for (guint i = 0; i < 40; i++)
    {
      gint64 id = g_array_index (all, gint64, (i * 37) % all->len);

      if (i % 4 == 0)
        {
          if (!tesoro_session_trash_contact (f->session, id, &error))
            {
              g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
              g_clear_error (&error);
            }
        }
      else if (i % 4 == 1)
        add_contact (f->session, i % 8 == 1 ? "Eefje" : "Piet", "Zonderland");
      else
        {
          g_autoptr(TesoroContact) contact = tesoro_session_get_contact (f->session, id, &error);

          g_assert_no_error (error);
          if (tesoro_contact_get_trashed_at (contact) != NULL || tesoro_contact_get_restricted (contact))
            continue;
          tesoro_contact_set_given_name (contact, i % 3 == 0 ? "Bob" : "Elisabeth");
          tesoro_contact_set_display_name (contact, NULL);
          tesoro_session_update_contact (f->session, contact, &error);
          g_assert_no_error (error);
        }
      assert_consistent (recorder);
    }

  for (guint q = 0; q < queries->len; q += 3)
    {
      g_autoptr(GArray) expected = tesoro_test_session_ids (f->session, queries->pdata[q], FALSE);

      tesoro_contact_list_set_query (list, queries->pdata[q]);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected->len);
      for (guint i = 0; i < expected->len; i++)
        g_assert_cmpint (tesoro_contact_list_get_id (list, i), ==, g_array_index (expected, gint64, i));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, TesoroTestFixture, NULL, tesoro_test_fixture_setup, func, tesoro_test_fixture_teardown)

  ADD ("/contact-list/items", test_items);
  ADD ("/contact-list/insert", test_insert);
  ADD ("/contact-list/update", test_update);
  ADD ("/contact-list/trash-restore", test_trash_restore);
  ADD ("/contact-list/query", test_query);
  ADD ("/contact-list/changes-while-searching", test_changes_while_searching);
  ADD ("/contact-list/reset", test_reset);
  ADD ("/contact-list/reload-refreshes-shown-rows", test_reload_refreshes_shown_rows);
  ADD ("/contact-list/fast-search-matches-sql", test_fast_search_matches_sql);

#undef ADD

  return g_test_run ();
}
