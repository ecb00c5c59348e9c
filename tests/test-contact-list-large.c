/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-contact-list-large"

#include "config.h"

#include "tesoro-contact-list.h"
#include "tesoro-session.h"
#include "tesoro-test-utils.h"

/*
 * The list model on lists large enough for the paths that keep GTK's list
 * view fast (see replace_ids() and "Searching" in tesoro-contact-list.c):
 * large changes arrive as an insertion and a removal with ::replacing in
 * between, never as one signal that both removes and adds many items, and
 * the one-letter searches prepared in a worker thread agree with SQL, also
 * after contacts change. Every emission is replayed on a shadow copy, which
 * must end up equal to the session's SQL search.
 */

#define SPLIT 256   /* SPLIT_REPLACEMENT of tesoro-contact-list.c */

typedef struct
{
  TesoroContactList *list;
  GArray            *shadow;       /* gint64 */
  guint              emissions;
  guint              replacings;
  /* The emission ::replacing announced, to be checked when it comes. */
  gboolean           expect_removal;
  guint              expect_position;
  guint              expect_removed;
} Recorder;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Recorder   *recorder)
{
  recorder->emissions++;

  /* GTK would call get_item() on every added item to find a removed row. */
  g_assert_false (removed > 0 && added > SPLIT);
  g_assert_false (added > 0 && removed > SPLIT);

  if (recorder->expect_removal)
    {
      g_assert_cmpuint (position, ==, recorder->expect_position);
      g_assert_cmpuint (removed, ==, recorder->expect_removed);
      g_assert_cmpuint (added, ==, 0);
      recorder->expect_removal = FALSE;
    }

  g_assert_cmpuint (position + removed, <=, recorder->shadow->len);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, recorder->shadow->len - removed + added);
  g_array_remove_range (recorder->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    {
      gint64 id = tesoro_contact_list_get_id (recorder->list, position + i);
      g_array_insert_val (recorder->shadow, position + i, id);
    }
}

static void
on_replacing_cb (TesoroContactList *list,
                 guint              position,
                 guint              n_new,
                 guint              n_old,
                 Recorder          *recorder)
{
  recorder->replacings++;
  g_assert_false (recorder->expect_removal);
  g_assert_cmpuint (position + n_new + n_old, <=, g_list_model_get_n_items (G_LIST_MODEL (list)));

  /* Old items are about to go: right after the new ones. */
  if (n_old > 0)
    {
      recorder->expect_removal = TRUE;
      recorder->expect_position = position + n_new;
      recorder->expect_removed = n_old;
    }
}

static Recorder *
recorder_new (TesoroContactList *list)
{
  Recorder *recorder = g_new0 (Recorder, 1);

  recorder->list = g_object_ref (list);
  recorder->shadow = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      gint64 id = tesoro_contact_list_get_id (list, i);
      g_array_append_val (recorder->shadow, id);
    }
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), recorder);
  g_signal_connect (list, "replacing", G_CALLBACK (on_replacing_cb), recorder);
  return recorder;
}

static void
recorder_free (Recorder *recorder)
{
  g_signal_handlers_disconnect_by_data (recorder->list, recorder);
  g_object_unref (recorder->list);
  g_array_unref (recorder->shadow);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

/* The shadow, the model and the session's SQL agree on @query. */
static void
assert_search (Recorder   *recorder,
               const char *query)
{
  TesoroContactList *list = recorder->list;
  g_autoptr(GArray) expected = NULL;
  guint n;

  tesoro_contact_list_set_query (list, query);
  g_assert_false (recorder->expect_removal);

  expected = tesoro_test_session_ids (tesoro_contact_list_get_session (list), query, FALSE);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_test_message ("“%s”: %u matches", query != NULL ? query : "", n);
  g_assert_cmpuint (n, ==, expected->len);
  g_assert_cmpuint (recorder->shadow->len, ==, expected->len);
  for (guint i = 0; i < n; i++)
    {
      gint64 id = g_array_index (expected, gint64, i);

      g_assert_cmpint (tesoro_contact_list_get_id (list, i), ==, id);
      g_assert_cmpint (g_array_index (recorder->shadow, gint64, i), ==, id);
    }
}

/* Lets the list's worker thread finish (it reports in the main loop). */
static void
run_main_loop (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

static const char * const queries[] = {
  "s", "so", "sop", "s", NULL, "j", "ja", "jan", "jansen", "j", "", "de", "de v", "d", NULL,
  "06", "0", "06 1", "zzzq", "e", NULL, "v", "van", "van d", "van den berg", "v", "+31 6", NULL,
};

static void
test_large_changes (TesoroTestFixture *f,
                    gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_session_generate_demo (f->session, 3000, 7, NULL, &error));
  g_assert_no_error (error);

  list = tesoro_contact_list_new (f->session, FALSE);
  recorder = recorder_new (list);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    assert_search (recorder, queries[i]);

  /* Searches of a few thousand contacts change hundreds of rows at once. */
  g_assert_cmpuint (recorder->replacings, >, 0);
}

static void
test_initials (TesoroTestFixture *f,
               gconstpointer      data)
{
  g_autoptr(TesoroContactList) list = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(TesoroContact) added = NULL;
  g_autoptr(GError) error = NULL;
  const char *letters[] = { "a", "b", "d", "e", "j", "k", "m", "s", "v", "z", "0", "3", "q", "y" };

  /* Enough contacts for the one-letter searches to be prepared ahead. */
  g_assert_true (tesoro_session_generate_demo (f->session, 10500, 11, NULL, &error));
  g_assert_no_error (error);

  list = tesoro_contact_list_new (f->session, FALSE);
  recorder = recorder_new (list);

  /* Right away (the worker may still be busy), and once it is done. */
  for (guint i = 0; i < G_N_ELEMENTS (letters); i++)
    assert_search (recorder, letters[i]);
  run_main_loop (1500);
  for (guint i = 0; i < G_N_ELEMENTS (letters); i++)
    assert_search (recorder, letters[i]);

  /* A new contact is found by its first letters, and a renamed one by its
   * new letters only. */
  added = tesoro_test_add_named (f->session, "Qwynn", "Yxley");
  assert_search (recorder, "q");
  assert_search (recorder, "y");
  g_assert_cmpuint (tesoro_contact_list_find (list, tesoro_contact_get_id (added)), !=, G_MAXUINT);

  tesoro_contact_set_given_name (added, "Zora");
  tesoro_contact_set_family_name (added, "Kwak");
  tesoro_contact_set_display_name (added, NULL);
  g_assert_true (tesoro_session_update_contact (f->session, added, &error));
  g_assert_no_error (error);
  assert_search (recorder, "q");
  assert_search (recorder, "z");
  assert_search (recorder, "k");
  assert_search (recorder, "y");

  /* A contact in the trash is not listed, whatever it matches. */
  g_assert_true (tesoro_session_trash_contact (f->session, tesoro_contact_get_id (added), &error));
  g_assert_no_error (error);
  assert_search (recorder, "z");
  assert_search (recorder, "k");
  g_assert_cmpuint (tesoro_contact_list_find (list, tesoro_contact_get_id (added)), ==, G_MAXUINT);

  assert_search (recorder, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/contact-list/large/changes", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_large_changes, tesoro_test_fixture_teardown);
  g_test_add ("/contact-list/large/initials", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_initials, tesoro_test_fixture_teardown);

  return g_test_run ();
}
