/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-search"

#include "config.h"

#include <string.h>

#include "tesoro-error.h"
#include "tesoro-search.h"
#include "tesoro-session.h"
#include "tesoro-test-utils.h"

/* Search as the user sees it: what each typed query finds, through the
 * session's SQL search (the list model's fast path is compared with it in
 * test-contact-list). */

static TesoroContact *
add_contact (TesoroSession *session,
             const char  *given,
             const char  *family,
             const char  *organization,
             const char  *email,
             const char  *phone,
             const char  *city)
{
  g_autoptr(GError) error = NULL;
  TesoroContact *contact = tesoro_contact_new ();

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  tesoro_contact_set_organization (contact, organization);
  if (email != NULL)
    tesoro_contact_add_email (contact, "work", email, TRUE);
  if (phone != NULL)
    tesoro_contact_add_phone (contact, "mobile", phone, TRUE);
  if (city != NULL)
    {
      TesoroAddress *address = tesoro_address_new ();

      address->label = g_strdup ("work");
      address->city = g_strdup (city);
      address->country = g_strdup ("NL");
      g_ptr_array_add (tesoro_contact_get_addresses (contact), address);
    }

  tesoro_session_add_contact (session, contact, &error);
  g_assert_no_error (error);
  return contact;
}

static void
add_people (TesoroSession *session)
{
  g_autoptr(TesoroContact) a = add_contact (session, "José", "Álvarez", "Café Olé", "jose@alvarez.es", "+34 612 345 678", "Málaga");
  g_autoptr(TesoroContact) b = add_contact (session, "Zoë", "Jansen", "", "zoe.jansen@example.org", "0031 6 98765432", "Delft");
  g_autoptr(TesoroContact) c = add_contact (session, "Sophie", "de Vries", "Bakkerij De Vries", "sophie@example.nl", "+31 6 12345678", "Utrecht");
  g_autoptr(TesoroContact) d = add_contact (session, "Sophie", "Bakker", "", "s.bakker@bakker-mail.nl", "030 1234567", "Amersfoort");
  g_autoptr(TesoroContact) e = add_contact (session, "Jean-Pierre", "O'Brien", "", "jp@obrien.ie", NULL, "'s-Hertogenbosch");
  g_autoptr(TesoroContact) f = add_contact (session, "Renée", "Müller", "Straße GmbH", "renee@muller.de", NULL, NULL);
}

/* The display names of what @query finds, in list order, joined by "|". */
static char *
found (TesoroSession *session,
       const char  *query,
       gboolean     trash)
{
  g_autoptr(GArray) ids = tesoro_test_session_ids (session, query, trash);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  contacts = tesoro_session_load_summaries (session, (gint64 *) ids->data, ids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contacts->len, ==, ids->len);
  for (guint i = 0; i < contacts->len; i++)
    {
      if (i > 0)
        g_string_append_c (names, '|');
      g_string_append (names, tesoro_contact_get_display_name (contacts->pdata[i]));
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

#define assert_found(session, query, expected)                          \
  G_STMT_START {                                                      \
    g_autofree char *_names = found ((session), (query), FALSE);        \
    g_test_message ("“%s” → %s", (query), _names);                    \
    g_assert_cmpstr (_names, ==, (expected));                         \
  } G_STMT_END

#define assert_found_in_trash(session, query, expected)                 \
  G_STMT_START {                                                      \
    g_autofree char *_names = found ((session), (query), TRUE);         \
    g_assert_cmpstr (_names, ==, (expected));                         \
  } G_STMT_END

static void
test_names (TesoroTestFixture *f,
            gconstpointer      data)
{
  add_people (f->session);

  /* Everything, sorted by name without regard to case and accents. */
  assert_found (f->session, "", "Jean-Pierre O'Brien|José Álvarez|Renée Müller|Sophie Bakker|Sophie de Vries|Zoë Jansen");
  assert_found (f->session, "   ", "Jean-Pierre O'Brien|José Álvarez|Renée Müller|Sophie Bakker|Sophie de Vries|Zoë Jansen");

  /* Case and diacritics do not matter, in either direction. */
  assert_found (f->session, "jose", "José Álvarez");
  assert_found (f->session, "JOSÉ", "José Álvarez");
  assert_found (f->session, "alvarez", "José Álvarez");
  assert_found (f->session, "ZOE", "Zoë Jansen");
  assert_found (f->session, "zoë", "Zoë Jansen");
  assert_found (f->session, "MÜLLER", "Renée Müller");
  assert_found (f->session, "muller", "Renée Müller");
  assert_found (f->session, "renee", "Renée Müller");
  assert_found (f->session, "strasse", "Renée Müller");
  assert_found (f->session, "straße", "Renée Müller");

  /* By prefix, as one types. */
  assert_found (f->session, "s", "Jean-Pierre O'Brien|Renée Müller|Sophie Bakker|Sophie de Vries");
  assert_found (f->session, "so", "Sophie Bakker|Sophie de Vries");
  assert_found (f->session, "soph", "Sophie Bakker|Sophie de Vries");
  assert_found (f->session, "sophie", "Sophie Bakker|Sophie de Vries");
  assert_found (f->session, "sophiex", "");

  /* Every word must match, in any order. */
  assert_found (f->session, "sophie vries", "Sophie de Vries");
  assert_found (f->session, "vries sophie", "Sophie de Vries");
  assert_found (f->session, "  Sophie   VRIES  ", "Sophie de Vries");
  assert_found (f->session, "sophie jansen", "");
  assert_found (f->session, "sophie sophie", "Sophie Bakker|Sophie de Vries");

  /* Names with punctuation: as a whole and by their parts. */
  assert_found (f->session, "jean-pierre", "Jean-Pierre O'Brien");
  assert_found (f->session, "pierre", "Jean-Pierre O'Brien");
  assert_found (f->session, "o'brien", "Jean-Pierre O'Brien");
  assert_found (f->session, "brien", "Jean-Pierre O'Brien");

  /* A word is matched from its start only. */
  assert_found (f->session, "ophie", "");
  assert_found (f->session, "ries", "");
  assert_found (f->session, "ansen", "");
}

static void
test_details (TesoroTestFixture *f,
              gconstpointer      data)
{
  add_people (f->session);

  /* E-mail addresses: whole, by prefix and by their parts. */
  assert_found (f->session, "sophie@example.nl", "Sophie de Vries");
  assert_found (f->session, "sophie@ex", "Sophie de Vries");
  assert_found (f->session, "SOPHIE@EXAMPLE", "Sophie de Vries");
  assert_found (f->session, "example", "Sophie de Vries|Zoë Jansen");
  assert_found (f->session, "example.nl", "Sophie de Vries");
  assert_found (f->session, "@example.org", "Zoë Jansen");
  assert_found (f->session, "s.bakker", "Sophie Bakker");
  assert_found (f->session, "bakker-mail", "Sophie Bakker");
  assert_found (f->session, "xample", "");

  /* Phone numbers, however they are written. */
  assert_found (f->session, "06 12", "Sophie de Vries");
  assert_found (f->session, "0612", "Sophie de Vries");
  assert_found (f->session, "06-12 34", "Sophie de Vries");
  assert_found (f->session, "+31612", "Sophie de Vries");
  assert_found (f->session, "+31 6 12", "Sophie de Vries");
  assert_found (f->session, "0031 6 12", "Sophie de Vries");
  assert_found (f->session, "(06) 12345678", "Sophie de Vries");
  assert_found (f->session, "+31 6 98", "Zoë Jansen");
  assert_found (f->session, "06 98", "Zoë Jansen");
  assert_found (f->session, "0031698", "Zoë Jansen");
  assert_found (f->session, "+31 6", "Sophie de Vries|Zoë Jansen");
  assert_found (f->session, "030 123", "Sophie Bakker");
  assert_found (f->session, "+34 612", "José Álvarez");
  assert_found (f->session, "12345678", "");
  assert_found (f->session, "+44 6", "");

  /* Organisation and city. */
  assert_found (f->session, "bakkerij", "Sophie de Vries");
  assert_found (f->session, "bakker", "Sophie Bakker|Sophie de Vries");
  assert_found (f->session, "cafe", "José Álvarez");
  assert_found (f->session, "Café Olé", "José Álvarez");
  assert_found (f->session, "gmbh", "Renée Müller");
  assert_found (f->session, "utrecht", "Sophie de Vries");
  assert_found (f->session, "UTR", "Sophie de Vries");
  assert_found (f->session, "amersf", "Sophie Bakker");
  assert_found (f->session, "malaga", "José Álvarez");
  assert_found (f->session, "hertogenbosch", "Jean-Pierre O'Brien");
  assert_found (f->session, "'s-hertogenbosch", "Jean-Pierre O'Brien");
  assert_found (f->session, "sophie utrecht", "Sophie de Vries");
  assert_found (f->session, "sophie amersfoort", "Sophie Bakker");
  assert_found (f->session, "recht", "");
}

static void
test_after_update (TesoroTestFixture *f,
                   gconstpointer      data)
{
  g_autoptr(TesoroContact) sophie = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  add_people (f->session);
  ids = tesoro_test_session_ids (f->session, "sophie vries", FALSE);
  g_assert_cmpuint (ids->len, ==, 1);
  sophie = tesoro_session_get_contact (f->session, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);

  tesoro_contact_set_given_name (sophie, "Sofie");
  tesoro_contact_set_display_name (sophie, "Sofie de Vries");
  tesoro_contact_set_organization (sophie, "Vries Catering");
  g_ptr_array_set_size (tesoro_contact_get_emails (sophie), 0);
  tesoro_contact_add_email (sophie, "work", "sofie@catering.example", TRUE);
  g_ptr_array_set_size (tesoro_contact_get_phones (sophie), 0);
  tesoro_contact_add_phone (sophie, "work", "+31 20 5550000", TRUE);
  g_ptr_array_set_size (tesoro_contact_get_addresses (sophie), 0);
  g_assert_true (tesoro_session_update_contact (f->session, sophie, &error));
  g_assert_no_error (error);

  /* The old values are gone from the index, the new ones are in. */
  assert_found (f->session, "sophie", "Sophie Bakker");
  assert_found (f->session, "sophie vries", "");
  assert_found (f->session, "sophie@ex", "");
  assert_found (f->session, "bakkerij", "");
  assert_found (f->session, "06 12", "");
  assert_found (f->session, "utrecht", "");
  assert_found (f->session, "sofie", "Sofie de Vries");
  assert_found (f->session, "vries", "Sofie de Vries");
  assert_found (f->session, "catering", "Sofie de Vries");
  assert_found (f->session, "sofie@cat", "Sofie de Vries");
  assert_found (f->session, "020 555", "Sofie de Vries");
  assert_found (f->session, "", "Jean-Pierre O'Brien|José Álvarez|Renée Müller|Sofie de Vries|Sophie Bakker|Zoë Jansen");
}

static void
test_trash (TesoroTestFixture *f,
            gconstpointer      data)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gint64 zoe, jose;

  add_people (f->session);
  ids = tesoro_test_session_ids (f->session, "zoe", FALSE);
  zoe = g_array_index (ids, gint64, 0);
  g_clear_pointer (&ids, g_array_unref);
  ids = tesoro_test_session_ids (f->session, "jose", FALSE);
  jose = g_array_index (ids, gint64, 0);

  g_setenv ("TESORO_NOW", "2030-01-01T10:00:00Z", TRUE);
  g_assert_true (tesoro_session_trash_contact (f->session, zoe, &error));
  g_setenv ("TESORO_NOW", "2030-01-01T11:00:00Z", TRUE);
  g_assert_true (tesoro_session_trash_contact (f->session, jose, &error));
  g_unsetenv ("TESORO_NOW");
  g_assert_no_error (error);

  /* Trashed contacts are not in the normal search … */
  assert_found (f->session, "zoe", "");
  assert_found (f->session, "06 98", "");
  assert_found (f->session, "example", "Sophie de Vries");
  assert_found (f->session, "", "Jean-Pierre O'Brien|Renée Müller|Sophie Bakker|Sophie de Vries");

  /* … but in the trash's, newest first. */
  assert_found_in_trash (f->session, "zoe", "Zoë Jansen");
  assert_found_in_trash (f->session, "06 98", "Zoë Jansen");
  assert_found_in_trash (f->session, "example", "Zoë Jansen");
  assert_found_in_trash (f->session, "sophie", "");
  assert_found_in_trash (f->session, "", "José Álvarez|Zoë Jansen");

  g_assert_true (tesoro_session_restore_contact (f->session, zoe, &error));
  g_assert_no_error (error);
  assert_found (f->session, "zoe", "Zoë Jansen");
  assert_found_in_trash (f->session, "zoe", "");
}

/* Very long words are indexed and searched by their first 64 bytes, cut at a
 * character boundary on both sides, so that they are still found. */
static void
test_long_words (TesoroTestFixture *f,
                 gconstpointer      data)
{
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(GString) accented = g_string_new (NULL);
  g_autoptr(GString) kanji = g_string_new (NULL);
  g_autoptr(TesoroContact) a = NULL;
  g_autoptr(TesoroContact) b = NULL;
  g_autoptr(TesoroContact) c = NULL;
  g_autofree char *expected_a = NULL;
  g_autofree char *expected_b = NULL;
  g_autofree char *expected_c = NULL;

  for (guint i = 0; i < 10; i++)
    g_string_append (long_name, "Wolfeschlegelstein");
  for (guint i = 0; i < 45; i++)
    g_string_append (accented, "é");
  /* 3 bytes each: 64 bytes fall inside a character. */
  for (guint i = 0; i < 30; i++)
    g_string_append (kanji, "東");

  a = add_contact (f->session, long_name->str, "", "", NULL, NULL, NULL);
  b = add_contact (f->session, accented->str, "", "", NULL, NULL, NULL);
  c = add_contact (f->session, kanji->str, "", "", NULL, NULL, NULL);
  expected_a = g_strdup (long_name->str);
  expected_b = g_strdup (accented->str);
  expected_c = g_strdup (kanji->str);

  assert_found (f->session, long_name->str, expected_a);
  assert_found (f->session, "wolfeschlegelsteinwolfe", expected_a);
  assert_found (f->session, accented->str, expected_b);
  assert_found (f->session, "eeeee", expected_b);
  assert_found (f->session, kanji->str, expected_c);
  assert_found (f->session, "東東東", expected_c);
  g_string_append (long_name, "x");
  assert_found (f->session, long_name->str, expected_a);
  g_string_append (kanji, "x");
  assert_found (f->session, kanji->str, expected_c);
}

static void
test_parse_query (void)
{
  static const struct {
    const char *query;
    const char *prefixes;
  } cases[] = {
    { NULL, "" },
    { "", "" },
    { "  \t ", "" },
    { "Jose", "jose" },
    { "  José  Álvarez ", "jose alvarez" },
    { "jose JOSÉ", "jose" },
    { "sophie@", "sophie" },
    { "sophie@ex", "sophie@ex" },
    { "(hello)", "hello" },
    { "06 12", "0612" },
    { "06-12 34", "061234" },
    { "+31 6 12", "31612" },
    { "0031 6 12", "31612" },
    { "Straße", "strasse" },
    { "!!! ???", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) prefixes = tesoro_search_parse_query (cases[i].query);
      g_autofree char *joined = NULL;

      g_ptr_array_add (prefixes, NULL);
      joined = g_strjoinv (" ", (char **) prefixes->pdata);
      g_test_message ("“%s” → “%s”", cases[i].query, joined);
      g_assert_cmpstr (joined, ==, cases[i].prefixes);
    }
}

static void
test_prefix_end (void)
{
  g_autofree char *a = tesoro_search_prefix_end ("abc");
  g_autofree char *b = tesoro_search_prefix_end ("ab\xff");
  g_autofree char *c = tesoro_search_prefix_end ("\xc3\xa9");

  g_assert_cmpstr (a, ==, "abd");
  g_assert_cmpstr (b, ==, "ac");
  g_assert_cmpstr (c, ==, "\xc3\xaa");
  /* Every string with the prefix sorts below the end, bytewise. */
  g_assert_cmpint (strcmp ("abczzzz\xff\xff", a), <, 0);
  g_assert_cmpint (strcmp ("ab\xff\xff\xff", b), <, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/search/names", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_names, tesoro_test_fixture_teardown);
  g_test_add ("/search/details", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_details, tesoro_test_fixture_teardown);
  g_test_add ("/search/after-update", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_after_update, tesoro_test_fixture_teardown);
  g_test_add ("/search/trash", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_trash, tesoro_test_fixture_teardown);
  g_test_add ("/search/long-words", TesoroTestFixture, NULL,
              tesoro_test_fixture_setup, test_long_words, tesoro_test_fixture_teardown);
  g_test_add_func ("/search/parse-query", test_parse_query);
  g_test_add_func ("/search/prefix-end", test_prefix_end);

  return g_test_run ();
}
