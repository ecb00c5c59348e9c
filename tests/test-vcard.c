/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-vcard"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tesoro-contact.h"
#include "format-test-streams.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"
#include "tesoro-vcard.h"

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif

/* Helpers */

static TesoroVcardReader *
open_corpus (const char *name)
{
  g_autofree char *path = g_build_filename (TESORO_TEST_DATA, "vcard", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  TesoroVcardReader *reader = tesoro_vcard_reader_new_for_file (file, TESORO_TEXT_ENCODING_AUTO, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

static GPtrArray *
read_cards (TesoroVcardReader  *reader,
            GError            **error)
{
  GPtrArray *cards = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_vcard_card_free);
  TesoroVcardCard *card;

  while ((card = tesoro_vcard_reader_next (reader, NULL, error)) != NULL)
    g_ptr_array_add (cards, card);

  return cards;
}

static GPtrArray *
read_string (const char  *text,
             GError     **error)
{
  g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new_for_data (text, strlen (text), "test.vcf",
                                                                          TESORO_TEXT_ENCODING_AUTO);
  return read_cards (reader, error);
}

static void
assert_detail (GPtrArray  *details,
               guint       index,
               const char *label,
               const char *value,
               gboolean    primary)
{
  const TesoroDetail *d;

  g_assert_cmpuint (index, <, details->len);
  d = details->pdata[index];
  g_assert_cmpstr (d->label, ==, label);
  g_assert_cmpstr (d->value, ==, value);
  g_assert_cmpint (d->primary, ==, primary);
}

static const char *
extra (TesoroVcardCard *card,
       const char      *name)
{
  for (guint i = 0; i < card->extra->len; i++)
    {
      const TesoroCustomValue *cv = card->extra->pdata[i];
      if (g_str_equal (cv->name, name))
        return cv->value;
    }
  return NULL;
}

static gboolean
has_warning (TesoroVcardCard *card,
             const char      *text)
{
  for (guint i = 0; i < card->warnings->len; i++)
    if (strstr (card->warnings->pdata[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static const char *
tag (TesoroContact *contact,
     guint          index)
{
  GPtrArray *tags = tesoro_contact_get_tags (contact);

  g_assert_cmpuint (index, <, tags->len);
  return tags->pdata[index];
}

/* Reading real-world files */

static void
test_read_google (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("google.vcf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_cards (reader, &error);
  TesoroVcardCard *card;
  TesoroContact *c;
  TesoroAddress *a;
  TesoroNote *note;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);

  card = cards->pdata[0];
  c = card->contact;
  g_assert_cmpuint (card->line, ==, 1);
  g_assert_cmpuint (card->end_line, ==, 18);
  g_assert_cmpint (card->version, ==, TESORO_VCARD_VERSION_3_0);
  g_assert_cmpstr (tesoro_contact_get_display_name (c), ==, "Sophie de Vries");
  g_assert_cmpstr (tesoro_contact_get_given_name (c), ==, "Sophie");
  g_assert_cmpstr (tesoro_contact_get_family_name (c), ==, "de Vries");
  g_assert_cmpstr (tesoro_contact_get_organization (c), ==, "Bakkerij De Vries");
  g_assert_cmpstr (tesoro_contact_get_job_title (c), ==, "Eigenaar");
  g_assert_cmpstr (tesoro_contact_get_birthday (c), ==, "1985-04-12");
  assert_detail (tesoro_contact_get_emails (c), 0, "work", "sophie@bakkerijdevries.nl", FALSE);
  assert_detail (tesoro_contact_get_emails (c), 1, "home", "sophie.devries@gmail.com", FALSE);
  assert_detail (tesoro_contact_get_phones (c), 0, "mobile", "+31 6 12345678", FALSE);
  assert_detail (tesoro_contact_get_phones (c), 1, "work", "030 123 4567", FALSE);
  g_assert_cmpuint (tesoro_contact_get_addresses (c)->len, ==, 1);
  a = tesoro_contact_get_addresses (c)->pdata[0];
  g_assert_cmpstr (a->label, ==, "work");
  g_assert_cmpstr (a->street, ==, "Dorpsstraat 1");
  g_assert_cmpstr (a->city, ==, "Utrecht");
  g_assert_cmpstr (a->region, ==, "Utrecht");
  g_assert_cmpstr (a->postal_code, ==, "3512 AB");
  g_assert_cmpstr (a->country, ==, "Nederland");
  g_assert_cmpuint (tesoro_contact_get_notes (c)->len, ==, 1);
  note = tesoro_contact_get_notes (c)->pdata[0];
  g_assert_cmpstr (note->body, ==, "Klant sinds 2019.\nVoorkeur: bellen na 14:00, niet op maandag.");
  g_assert_cmpuint (tesoro_contact_get_tags (c)->len, ==, 2);
  g_assert_cmpstr (tag (c, 0), ==, "myContacts");
  g_assert_cmpstr (tag (c, 1), ==, "Klanten");
  /* A property Tesoro has no field for is kept aside, unescaped. */
  g_assert_cmpstr (extra (card, "URL"), ==, "https://www.bakkerijdevries.nl");
  g_assert_null (extra (card, "PHOTO"));
  g_assert_true (tesoro_contact_validate (c, &error));
  g_assert_no_error (error);

  card = cards->pdata[1];
  g_assert_cmpuint (card->line, ==, 19);
  g_assert_cmpstr (tesoro_contact_get_given_name (card->contact), ==, "");
  g_assert_cmpstr (tesoro_contact_get_organization (card->contact), ==, "Fietsenmakerij De Wit");
  assert_detail (tesoro_contact_get_emails (card->contact), 0, "", "info@fietsenmakerijdewit.nl", FALSE);
}

static void
test_read_apple (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("apple-ios.vcf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_cards (reader, &error);
  TesoroVcardCard *card;
  TesoroContact *c;
  TesoroAddress *a;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  card = cards->pdata[0];
  c = card->contact;

  g_assert_cmpstr (tesoro_contact_get_given_name (c), ==, "Pieter");
  g_assert_cmpstr (tesoro_contact_get_family_name (c), ==, "Jansen");
  g_assert_cmpstr (tesoro_contact_get_organization (c), ==, "Jansen Installatietechniek B.V.");
  g_assert_cmpstr (extra (card, "DEPARTMENT"), ==, "Verkoop");
  g_assert_cmpstr (tesoro_contact_get_job_title (c), ==, "Accountmanager");
  assert_detail (tesoro_contact_get_emails (c), 0, "work", "pieter@jansen-installatie.nl", TRUE);
  assert_detail (tesoro_contact_get_emails (c), 1, "home", "p.jansen@ziggo.nl", FALSE);
  assert_detail (tesoro_contact_get_phones (c), 0, "mobile", "+31 6 23456789", TRUE);
  assert_detail (tesoro_contact_get_phones (c), 1, "work", "+31 20 555 0101", FALSE);
  /* Labels given by X-ABLabel in the property's group. */
  assert_detail (tesoro_contact_get_phones (c), 2, "Kantoor Amsterdam", "+31 6 98765432", FALSE);
  assert_detail (tesoro_contact_get_phones (c), 3, "other", "+31 30 600 7000", FALSE);
  a = tesoro_contact_get_addresses (c)->pdata[0];
  g_assert_cmpstr (a->street, ==, "Keizersgracht 123\nTweede verdieping");
  g_assert_cmpstr (a->postal_code, ==, "1015 CJ");
  /* Apple's made-up year 1604 means "no year". */
  g_assert_null (tesoro_contact_get_birthday (c));
  g_assert_cmpstr (extra (card, "BDAY"), ==, "--07-23");
  g_assert_true (has_warning (card, "apple-ios.vcf, line 18: "));
  g_assert_cmpuint (tesoro_contact_get_notes (c)->len, ==, 1);
  g_assert_cmpstr (tag (c, 0), ==, "Leveranciers");
  /* The folded base64 photo went by without a trace. */
  g_assert_null (extra (card, "PHOTO"));
  g_assert_cmpuint (card->end_line, ==, 59);
}

static void
test_read_android (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("android-2.1.vcf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_cards (reader, &error);
  TesoroContact *c;
  TesoroAddress *a;
  TesoroNote *note;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  c = ((TesoroVcardCard *) cards->pdata[0])->contact;
  g_assert_cmpint (((TesoroVcardCard *) cards->pdata[0])->version, ==, TESORO_VCARD_VERSION_2_1);

  /* Quoted-printable UTF-8. */
  g_assert_cmpstr (tesoro_contact_get_family_name (c), ==, "Müller");
  g_assert_cmpstr (tesoro_contact_get_given_name (c), ==, "Jürgen");
  g_assert_cmpstr (tesoro_contact_get_display_name (c), ==, "Jürgen Müller");
  /* Bare vCard 2.1 parameters: TEL;CELL;PREF. */
  assert_detail (tesoro_contact_get_phones (c), 0, "mobile", "+31612345678", TRUE);
  assert_detail (tesoro_contact_get_phones (c), 1, "work", "0301234567", FALSE);
  assert_detail (tesoro_contact_get_emails (c), 0, "home", "jurgen.muller@example.de", FALSE);
  a = tesoro_contact_get_addresses (c)->pdata[0];
  g_assert_cmpstr (a->label, ==, "home");
  g_assert_cmpstr (a->street, ==, "Straße 5");
  g_assert_cmpstr (a->city, ==, "Köln");
  g_assert_cmpstr (a->country, ==, "Deutschland");
  /* A soft line break joins the lines; =0D=0A is a real line break. */
  note = tesoro_contact_get_notes (c)->pdata[0];
  g_assert_cmpstr (note->body, ==, "Lange notitie die over meerdere regels gaat, met een zacht regeleinde en één accent.\r\nTweede regel.");
  g_assert_cmpuint (((TesoroVcardCard *) cards->pdata[0])->extra->len, ==, 0);

  /* The unindented base64 photo ended at the empty line. */
  c = ((TesoroVcardCard *) cards->pdata[1])->contact;
  g_assert_cmpuint (((TesoroVcardCard *) cards->pdata[1])->line, ==, 16);
  g_assert_cmpstr (tesoro_contact_get_given_name (c), ==, "Bram");
  assert_detail (tesoro_contact_get_phones (c), 0, "home", "038-4212121", FALSE);
  assert_detail (tesoro_contact_get_emails (c), 0, "", "bram@visser.nl", TRUE);
  assert_detail (tesoro_contact_get_emails (c), 1, "", "b.visser@werk.nl", FALSE);
}

static void
test_read_nokia (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("nokia-2.1-cp1252.vcf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_cards (reader, &error);
  TesoroVcardCard *card;
  TesoroContact *c;
  TesoroNote *note;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  card = cards->pdata[0];
  c = card->contact;
  /* CHARSET=WINDOWS-1252 */
  g_assert_cmpstr (tesoro_contact_get_family_name (c), ==, "Daniëls");
  g_assert_cmpstr (tesoro_contact_get_given_name (c), ==, "René");
  /* No CHARSET, not UTF-8: a 2.1 card is in the sender's code page. */
  g_assert_cmpstr (tesoro_contact_get_display_name (c), ==, "René Daniëls");
  /* CHARSET=ISO-8859-1 with quoted-printable (0x92 read as Windows does). */
  g_assert_cmpstr (tesoro_contact_get_organization (c), ==, "Café ’t Hoekje");
  assert_detail (tesoro_contact_get_phones (c), 0, "work", "+31503123456", FALSE);
  assert_detail (tesoro_contact_get_phones (c), 1, "mobile", "0612345670", FALSE);
  assert_detail (tesoro_contact_get_phones (c), 2, "fax", "+31503123457", FALSE);
  note = tesoro_contact_get_notes (c)->pdata[0];
  g_assert_cmpstr (note->body, ==, "Levering op dinsdag; betaalt met €.");
  g_assert_cmpstr (extra (card, "X-EPOCSECONDNAME"), ==, "Rene");
}

static void
test_read_outlook (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("outlook.vcf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_cards (reader, &error);
  TesoroVcardCard *card;
  TesoroContact *c;
  TesoroAddress *a;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  card = cards->pdata[0];
  c = card->contact;
  g_assert_cmpstr (tesoro_contact_get_family_name (c), ==, "Bakker");
  g_assert_cmpstr (tesoro_contact_get_given_name (c), ==, "Anna");
  g_assert_cmpstr (tesoro_contact_get_organization (c), ==, "Gemeente Utrecht");
  g_assert_cmpstr (extra (card, "DEPARTMENT"), ==, "Burgerzaken");
  g_assert_cmpstr (tesoro_contact_get_job_title (c), ==, "Teamleider");
  assert_detail (tesoro_contact_get_phones (c), 0, "work", "(030) 286 0000", FALSE);
  assert_detail (tesoro_contact_get_phones (c), 1, "mobile", "06-34567890", FALSE);
  a = tesoro_contact_get_addresses (c)->pdata[0];
  g_assert_cmpstr (a->street, ==, "Stadsplateau 1");
  g_assert_cmpstr (a->postal_code, ==, "3521 AZ");
  /* The quoted-printable LABEL with a soft line break did not spill over. */
  assert_detail (tesoro_contact_get_emails (c), 0, "", "a.bakker@utrecht.nl", TRUE);
  g_assert_cmpuint (tesoro_contact_get_emails (c)->len, ==, 1);
  g_assert_cmpstr (tesoro_contact_get_birthday (c), ==, "1981-03-14");
  g_assert_cmpstr (tesoro_contact_get_updated_at (c), ==, "2024-01-15T09:30:12Z");
  g_assert_cmpstr (extra (card, "X-MS-OL-DEFAULT-POSTAL-ADDRESS"), ==, "2");
  g_assert_cmpuint (card->warnings->len, ==, 0);
  g_assert_true (tesoro_contact_validate (c, &error));
}

static void
test_read_rfc6350 (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("rfc6350.vcf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_cards (reader, &error);
  g_autoptr(GString) expected_note = g_string_new ("Lange notitie: ");
  TesoroVcardCard *card;
  TesoroContact *c;
  TesoroNote *note;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  card = cards->pdata[0];
  c = card->contact;
  g_assert_cmpint (card->version, ==, TESORO_VCARD_VERSION_4_0);
  g_assert_cmpstr (tesoro_contact_get_uid (c), ==, "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
  g_assert_cmpstr (tesoro_contact_get_display_name (c), ==, "Dr. Emma Thompson");
  /* A capitalised additional name is a middle name. */
  g_assert_cmpstr (tesoro_contact_get_given_name (c), ==, "Emma Louise");
  g_assert_cmpstr (tesoro_contact_get_family_name (c), ==, "Thompson");
  /* PREF=1 beats PREF=2. */
  assert_detail (tesoro_contact_get_emails (c), 0, "work", "emma.thompson@northwind.co.uk", FALSE);
  assert_detail (tesoro_contact_get_emails (c), 1, "home", "emma.t@outlook.com", TRUE);
  /* tel: URIs, with TYPE="work,voice" and percent escapes. */
  assert_detail (tesoro_contact_get_phones (c), 0, "work", "+44-20-7946-0958", TRUE);
  assert_detail (tesoro_contact_get_phones (c), 1, "mobile", "+44 7700 900123", FALSE);
  g_assert_null (tesoro_contact_get_birthday (c));
  g_assert_cmpstr (extra (card, "BDAY"), ==, "--03-12");
  g_assert_cmpstr (extra (card, "ANNIVERSARY"), ==, "20090808");
  g_assert_cmpstr (extra (card, "KIND"), ==, "individual");
  g_assert_cmpstr (extra (card, "URL"), ==, "https://northwind.co.uk");
  g_assert_cmpstr (tag (c, 0), ==, "partners");
  g_assert_cmpstr (tag (c, 1), ==, "newsletter, monthly");
  for (guint i = 0; i < 6; i++)
    g_string_append (expected_note, "één, twee; drie\\vier — ");
  note = tesoro_contact_get_notes (c)->pdata[0];
  g_assert_cmpstr (note->body, ==, expected_note->str);
  g_assert_cmpstr (tesoro_contact_get_updated_at (c), ==, "2024-03-01T14:05:00Z");
  g_assert_true (tesoro_contact_validate (c, &error));
  g_assert_no_error (error);
}

static void
test_read_agent (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("agent-2.1.vcf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_cards (reader, &error);
  TesoroContact *c;

  g_assert_no_error (error);
  /* The vCard inside AGENT is not a contact of its own. */
  g_assert_cmpuint (cards->len, ==, 1);
  c = ((TesoroVcardCard *) cards->pdata[0])->contact;
  g_assert_cmpstr (tesoro_contact_get_display_name (c), ==, "Big Boss");
  g_assert_cmpuint (tesoro_contact_get_phones (c)->len, ==, 0);
  assert_detail (tesoro_contact_get_emails (c), 0, "", "big@boss.example", FALSE);
}

static const char *
or_none (const char *s)
{
  return s != NULL ? s : "(none)";
}

static void
append_contact (GString       *out,
                TesoroContact *c)
{
  GPtrArray *a;

  g_string_append_printf (out, "uid=%s given=%s family=%s display=%s org=%s title=%s bday=%s rev=%s\n",
                          or_none (tesoro_contact_get_uid (c)), tesoro_contact_get_given_name (c),
                          tesoro_contact_get_family_name (c), tesoro_contact_get_display_name (c),
                          tesoro_contact_get_organization (c), tesoro_contact_get_job_title (c),
                          or_none (tesoro_contact_get_birthday (c)), or_none (tesoro_contact_get_updated_at (c)));
  for (guint k = 0; k < 2; k++)
    {
      a = k == 0 ? tesoro_contact_get_emails (c) : tesoro_contact_get_phones (c);
      for (guint i = 0; i < a->len; i++)
        {
          TesoroDetail *d = a->pdata[i];
          g_string_append_printf (out, " %s [%s] %s%s\n", k == 0 ? "email" : "tel", d->label, d->value,
                                  d->primary ? " (primary)" : "");
        }
    }
  a = tesoro_contact_get_addresses (c);
  for (guint i = 0; i < a->len; i++)
    {
      TesoroAddress *ad = a->pdata[i];
      g_string_append_printf (out, " adr [%s] %s|%s|%s|%s|%s\n", ad->label, ad->street, ad->postal_code,
                              ad->city, ad->region, ad->country);
    }
  a = tesoro_contact_get_tags (c);
  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (out, " tag %s\n", (char *) a->pdata[i]);
  a = tesoro_contact_get_notes (c);
  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (out, " note %s\n", ((TesoroNote *) a->pdata[i])->body);
}

/* Everything a reader makes of a file, errors included, as text. */
static char *
transcript (TesoroVcardReader *reader)
{
  GString *out = g_string_new (NULL);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesoroVcardCard) card = tesoro_vcard_reader_next (reader, NULL, &error);

      if (card != NULL)
        {
          g_string_append_printf (out, "card %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT "\n", card->line, card->end_line);
          append_contact (out, card->contact);
          for (guint i = 0; i < card->warnings->len; i++)
            g_string_append_printf (out, " warning %s\n", (char *) card->warnings->pdata[i]);
          for (guint i = 0; i < card->extra->len; i++)
            g_string_append_printf (out, " extra %s=%s\n", ((TesoroCustomValue *) card->extra->pdata[i])->name,
                                    ((TesoroCustomValue *) card->extra->pdata[i])->value);
          continue;
        }
      if (error == NULL)
        break;
      g_string_append_printf (out, "error: %s\n", error->message);
      if (!tesoro_vcard_reader_can_continue (reader))
        break;
    }

  return g_string_free (out, FALSE);
}

/* However the stream cuts the file into pieces, every file of the corpus
 * reads the same. */
static void
test_read_trickle (void)
{
  g_autofree char *dir_path = g_build_filename (TESORO_TEST_DATA, "vcard", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *data = NULL;
      g_autofree char *expected = NULL;
      gsize length = 0;
      static const gsize sizes[] = { 1, 2, 3, 5, 8, 13, 4096 };

      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      {
        g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new_for_data (data, length, name,
                                                                                TESORO_TEXT_ENCODING_AUTO);
        expected = transcript (reader);
      }

      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        {
          g_autoptr(GInputStream) stream = format_test_trickle_stream_new (data, length, sizes[i]);
          g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new (stream, name, TESORO_TEXT_ENCODING_AUTO);
          g_autofree char *got = transcript (reader);

          g_assert_cmpstr (got, ==, expected);
        }
      n_files++;
    }

  g_assert_cmpuint (n_files, >=, 9);
}

/* Found by fuzz-vcard: text inside a quoted parameter value is no
 * parameter, so a fold after "=" there is no quoted-printable soft break. */
static void
test_read_quoted_params (void)
{
  const char *text =
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "TEL;X-TESORO-LABEL=\"x;ENCODING=QUOTED-PRINTABLE:y=\r\n"
    " z\":+31612345678\r\n"
    "NOTE;X-TESORO-CREATED=\"2024-01-01T00:00:00Z\";ENCODING=QUOTED-PRINTABLE:a=\r\n"
    "b\r\n"
    "X-TESORO-CUSTOM;X-FIELD=\"Klant\001nummer\":7\r\n"
    "END:VCARD\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_string (text, &error);
  TesoroContact *c;
  TesoroNote *note;

  g_assert_no_error (error);
  c = ((TesoroVcardCard *) cards->pdata[0])->contact;
  assert_detail (tesoro_contact_get_phones (c), 0, "x;ENCODING=QUOTED-PRINTABLE:y=z", "+31612345678", FALSE);
  /* A real quoted-printable parameter after a quoted one still counts. */
  note = tesoro_contact_get_notes (c)->pdata[0];
  g_assert_cmpstr (note->body, ==, "ab");
  g_assert_cmpstr (note->created_at, ==, "2024-01-01T00:00:00Z");
  /* Found by fuzz-vcard too: the writer cannot write control characters in
   * a parameter, so the reader does not keep them either. */
  g_assert_cmpstr (tesoro_contact_get_custom_value (c, "Klantnummer"), ==, "7");
}

/* Reading trouble */

static void
test_read_missing_end (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("missing-end.vcf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_cards (reader, &error);

  g_assert_cmpuint (cards->len, ==, 1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "missing-end.vcf, line 6: "));
  g_assert_nonnull (strstr (error->message, "END:VCARD"));
  g_assert_nonnull (strstr (error->message, "line 10"));
  g_assert_cmpuint (tesoro_vcard_reader_get_line (reader), ==, 6);
  g_assert_false (tesoro_vcard_reader_can_continue (reader));
}

static void
test_read_invalid_utf8 (void)
{
  g_autoptr(TesoroVcardReader) reader = open_corpus ("invalid-utf8.vcf");
  g_autoptr(GError) error = NULL;
  TesoroVcardCard *card;

  /* vCard 4.0 is UTF-8 by definition. */
  g_assert_null (tesoro_vcard_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "invalid-utf8.vcf, line 4, column 11: "));
  g_assert_true (tesoro_vcard_reader_can_continue (reader));
  g_assert_cmpuint (tesoro_vcard_reader_get_line (reader), ==, 1);
  g_clear_error (&error);

  card = tesoro_vcard_reader_next (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card);
  g_assert_cmpstr (tesoro_contact_get_display_name (card->contact), ==, "Next");
  tesoro_vcard_card_free (card);
}

static void
test_read_declared_utf8 (void)
{
  const char *text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8:Dani\xEBls;Ren\xE9\r\nEND:VCARD\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_string (text, &error);

  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "test.vcf, line 3, column 21: "));
}

static void
test_read_garbage (void)
{
  const char *text = "Name,Email\nJan,jan@example.nl\nBEGIN:VCARD\nVERSION:3.0\nFN:X\nEND:VCARD\n";
  g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new_for_data (text, strlen (text), "list.vcf",
                                                                          TESORO_TEXT_ENCODING_AUTO);
  g_autoptr(GError) error = NULL;
  TesoroVcardCard *card;

  g_assert_null (tesoro_vcard_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "list.vcf, line 1: expected BEGIN:VCARD"));
  g_assert_true (tesoro_vcard_reader_can_continue (reader));
  g_clear_error (&error);

  card = tesoro_vcard_reader_next (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card);
  g_assert_cmpuint (card->line, ==, 3);
  tesoro_vcard_card_free (card);
  g_assert_null (tesoro_vcard_reader_next (reader, NULL, &error));
  g_assert_no_error (error);

  /* Not a vCard at all. */
  {
    const char *csv = "given_name,family_name\nSophie,de Vries\n";
    g_autoptr(GPtrArray) cards = read_string (csv, &error);

    g_assert_cmpuint (cards->len, ==, 0);
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "test.vcf, line 1: expected BEGIN:VCARD"));
  }
}

static void
test_read_begin_without_end (void)
{
  const char *text = "BEGIN:VCARD\nVERSION:3.0\nFN:A\nBEGIN:VCARD\nVERSION:3.0\nFN:B\nEND:VCARD\n";
  g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new_for_data (text, strlen (text), "two.vcf",
                                                                          TESORO_TEXT_ENCODING_AUTO);
  g_autoptr(GError) error = NULL;
  TesoroVcardCard *card;

  g_assert_null (tesoro_vcard_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "two.vcf, line 1: "));
  g_assert_nonnull (strstr (error->message, "line 4"));
  g_assert_true (tesoro_vcard_reader_can_continue (reader));
  g_clear_error (&error);

  card = tesoro_vcard_reader_next (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (card->line, ==, 4);
  g_assert_cmpstr (tesoro_contact_get_display_name (card->contact), ==, "B");
  tesoro_vcard_card_free (card);
}

static void
test_read_folding (void)
{
  /* Folds with a space and with a tab; one fold inside a UTF-8 character
   * (folding counts octets, so some writers do that). */
  const char *text =
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Zo\xC3\r\n"
    " \xAB van\r\n"
    "\t Dijk\r\n"
    "NOTE:one\\, two\\; three\\\\ four\\nfive\\Nsix\r\n"
    "END:VCARD";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_string (text, &error);
  TesoroContact *c;
  TesoroNote *note;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  c = ((TesoroVcardCard *) cards->pdata[0])->contact;
  g_assert_cmpstr (tesoro_contact_get_display_name (c), ==, "Zoë van Dijk");
  note = tesoro_contact_get_notes (c)->pdata[0];
  g_assert_cmpstr (note->body, ==, "one, two; three\\ four\nfive\nsix");
}

static void
test_read_utf16 (void)
{
  const char *text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë 😀\r\nEND:VCARD\r\n";
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (text, -1, NULL, NULL, NULL);
  glong n = 0;
  GString *bytes = g_string_new ("\xFF\xFE");
  g_autoptr(TesoroVcardReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = NULL;

  while (utf16[n] != 0)
    {
      g_string_append_c (bytes, (char) (utf16[n] & 0xFF));
      g_string_append_c (bytes, (char) (utf16[n] >> 8));
      n++;
    }

  reader = tesoro_vcard_reader_new_for_data (bytes->str, bytes->len, "utf16.vcf", TESORO_TEXT_ENCODING_AUTO);
  cards = read_cards (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  g_assert_cmpstr (tesoro_contact_get_display_name (((TesoroVcardCard *) cards->pdata[0])->contact), ==, "Zoë 😀");
  g_assert_cmpint (tesoro_vcard_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_UTF16LE);
  g_string_free (bytes, TRUE);
}

static void
test_read_odd_values (void)
{
  const char *text =
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "N:Berg;Jan;van der;;\n"
    "EMAIL;TYPE=work:\n"
    "TEL;TYPE=cell:   \n"
    "ADR:;;;;;;\n"
    "BDAY:ooit in mei\n"
    "REV:gisteren\n"
    "UID:Google-Contact-12345\n"
    "this line is no property\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:a=3Db=ZZc=4\n"
    "X-CUSTOM;TYPE=x:value\n"
    "END:VCARD\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_string (text, &error);
  TesoroVcardCard *card;
  TesoroContact *c;

  g_assert_no_error (error);
  card = cards->pdata[0];
  c = card->contact;
  /* A lowercase additional name is a surname prefix. */
  g_assert_cmpstr (tesoro_contact_get_given_name (c), ==, "Jan");
  g_assert_cmpstr (tesoro_contact_get_family_name (c), ==, "van der Berg");
  g_assert_cmpuint (tesoro_contact_get_emails (c)->len, ==, 0);
  g_assert_cmpuint (tesoro_contact_get_phones (c)->len, ==, 0);
  g_assert_cmpuint (tesoro_contact_get_addresses (c)->len, ==, 0);
  g_assert_null (tesoro_contact_get_birthday (c));
  g_assert_cmpstr (extra (card, "BDAY"), ==, "ooit in mei");
  g_assert_null (tesoro_contact_get_updated_at (c));
  g_assert_null (tesoro_contact_get_uid (c));
  g_assert_cmpstr (extra (card, "UID"), ==, "Google-Contact-12345");
  g_assert_cmpstr (extra (card, "X-CUSTOM"), ==, "value");
  /* Invalid quoted-printable escapes are kept as they are. */
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (c)->pdata[0])->body, ==, "a=b=ZZc=4");
  g_assert_true (has_warning (card, "test.vcf, line 4: "));
  g_assert_true (has_warning (card, "test.vcf, line 5: "));
  g_assert_true (has_warning (card, "test.vcf, line 7: "));
  g_assert_true (has_warning (card, "test.vcf, line 8: "));
  g_assert_true (has_warning (card, "test.vcf, line 10: "));
}

static void
test_read_nul (void)
{
  static const char text[] = "BEGIN:VCARD\nVERSION:3.0\nFN:A\0B\nEND:VCARD\n";
  g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new_for_data (text, sizeof text - 1, "nul.vcf",
                                                                          TESORO_TEXT_ENCODING_AUTO);
  g_autoptr(GError) error = NULL;

  g_assert_null (tesoro_vcard_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "nul.vcf, line 3, column 5: "));
  g_assert_false (tesoro_vcard_reader_can_continue (reader));

  /* =00 in quoted-printable is a NUL too; only that card is refused. */
  {
    const char *qp = "BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE:A=00B\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:2.1\nFN:C\nEND:VCARD\n";
    g_autoptr(TesoroVcardReader) r = tesoro_vcard_reader_new_for_data (qp, strlen (qp), "qp.vcf",
                                                                       TESORO_TEXT_ENCODING_AUTO);
    TesoroVcardCard *card;

    g_clear_error (&error);
    g_assert_null (tesoro_vcard_reader_next (r, NULL, &error));
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "qp.vcf, line 3: "));
    g_assert_true (tesoro_vcard_reader_can_continue (r));
    g_clear_error (&error);
    card = tesoro_vcard_reader_next (r, NULL, &error);
    g_assert_nonnull (card);
    tesoro_vcard_card_free (card);
  }
}

typedef struct
{
  guint part;
  guint n_parts;
  const char *property;
} BigValueState;

static gboolean
generate_big_value (GString  *out,
                    gpointer  user_data)
{
  BigValueState *state = user_data;

  if (state->part == 0)
    g_string_append_printf (out, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\n%s:", state->property);
  else if (state->part <= state->n_parts)
    {
      /* 1 MiB per part, in folded lines of 75 octets. */
      for (guint i = 0; i < 1024 * 1024 / 77; i++)
        g_string_append (out, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n ");
    }
  else if (state->part == state->n_parts + 1)
    g_string_append (out, "QQ==\r\nEMAIL:big@example.nl\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:After\r\nEND:VCARD\r\n");
  else
    return FALSE;

  state->part++;
  return TRUE;
}

static void
test_read_big_values (void)
{
  glong before = format_test_peak_rss_kib ();
  glong grown;

  /* A 100 MB photo is skipped without being held. */
  {
    BigValueState state = { 0, 100, "PHOTO;ENCODING=b;TYPE=JPEG" };
    g_autoptr(GInputStream) stream = format_test_gen_stream_new (generate_big_value, &state);
    g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new (stream, "photo.vcf", TESORO_TEXT_ENCODING_AUTO);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) cards = read_cards (reader, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cards->len, ==, 2);
    assert_detail (tesoro_contact_get_emails (((TesoroVcardCard *) cards->pdata[0])->contact), 0, "", "big@example.nl", FALSE);
    g_assert_cmpuint (tesoro_vcard_reader_get_bytes_read (reader), >, 100 * 1000 * 1000);
  }

  /* A 100 MB note is an error naming the line; the next card is read. */
  {
    BigValueState state = { 0, 100, "NOTE" };
    g_autoptr(GInputStream) stream = format_test_gen_stream_new (generate_big_value, &state);
    g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new (stream, "note.vcf", TESORO_TEXT_ENCODING_AUTO);
    g_autoptr(GError) error = NULL;
    TesoroVcardCard *card;

    g_assert_null (tesoro_vcard_reader_next (reader, NULL, &error));
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, "note.vcf, line 4: "));
    g_assert_true (tesoro_vcard_reader_can_continue (reader));
    g_clear_error (&error);
    card = tesoro_vcard_reader_next (reader, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (tesoro_contact_get_display_name (card->contact), ==, "After");
    tesoro_vcard_card_free (card);
  }

  grown = format_test_peak_rss_kib () - before;
  g_test_message ("peak memory grew by %ld KiB reading two 100 MB values", grown);
#ifndef UNDER_ASAN
  g_assert_cmpint (grown, <, 48 * 1024);
#endif
}

static void
test_read_card_limits (void)
{
  /* More properties than a card may have. */
  {
    GString *text = g_string_new ("BEGIN:VCARD\r\nVERSION:3.0\r\n");
    g_autoptr(TesoroVcardReader) reader = NULL;
    g_autoptr(GError) error = NULL;
    TesoroVcardCard *card;

    for (guint i = 0; i < TESORO_VCARD_MAX_PROPERTIES + 10; i++)
      g_string_append (text, "X-A:1\r\n");
    g_string_append (text, "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Next\r\nEND:VCARD\r\n");

    reader = tesoro_vcard_reader_new_for_data (text->str, text->len, "wide.vcf", TESORO_TEXT_ENCODING_AUTO);
    g_assert_null (tesoro_vcard_reader_next (reader, NULL, &error));
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "wide.vcf, line 10002: the vCard that starts on line 1 has more than 10000 properties"));
    g_assert_true (tesoro_vcard_reader_can_continue (reader));
    g_clear_error (&error);
    card = tesoro_vcard_reader_next (reader, NULL, &error);
    g_assert_nonnull (card);
    g_assert_cmpstr (tesoro_contact_get_display_name (card->contact), ==, "Next");
    tesoro_vcard_card_free (card);
    g_string_free (text, TRUE);
  }

  /* A card larger than a card may be, in values each within bounds. */
  {
    GString *text = g_string_new ("BEGIN:VCARD\r\nVERSION:3.0\r\n");
    g_autoptr(TesoroVcardReader) reader = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *value = g_malloc (1024 * 1024 + 1);

    memset (value, 'x', 1024 * 1024);
    value[1024 * 1024] = '\0';
    for (guint i = 0; i < 17; i++)
      g_string_append_printf (text, "NOTE:%s\r\n", value);
    g_string_append (text, "END:VCARD\r\n");

    reader = tesoro_vcard_reader_new_for_data (text->str, text->len, "fat.vcf", TESORO_TEXT_ENCODING_AUTO);
    g_assert_null (tesoro_vcard_reader_next (reader, NULL, &error));
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "fat.vcf, line 18: the vCard that starts on line 1 is larger than "));
    g_string_free (text, TRUE);
  }

  /* At most so many warnings, and a count of the rest. */
  {
    GString *text = g_string_new ("BEGIN:VCARD\r\nVERSION:3.0\r\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) cards = NULL;
    TesoroVcardCard *card;

    for (guint i = 0; i < 150; i++)
      g_string_append (text, "BDAY:soon\r\n");
    g_string_append (text, "END:VCARD\r\n");
    cards = read_string (text->str, &error);
    g_assert_no_error (error);
    card = cards->pdata[0];
    g_assert_cmpuint (card->warnings->len, ==, TESORO_VCARD_MAX_WARNINGS + 1);
    g_assert_cmpstr (card->warnings->pdata[TESORO_VCARD_MAX_WARNINGS], ==, "test.vcf, line 1: 50 more problems in this card");
    g_string_free (text, TRUE);
  }
}

static gboolean
generate_cards (GString  *out,
                gpointer  user_data)
{
  guint *n = user_data;

  if (*n == 0)
    return FALSE;
  g_string_append_printf (out,
                          "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Persoon %u\r\nN:Achternaam %u;Persoon;;;\r\n"
                          "EMAIL;TYPE=work;PREF=1:persoon%u@voorbeeld.nl\r\nTEL;VALUE=uri;TYPE=cell:tel:+3161%07u\r\n"
                          "CATEGORIES:klant,nieuwsbrief\r\nEND:VCARD\r\n", *n, *n, *n, *n);
  (*n)--;
  return TRUE;
}

static void
test_read_many_cards (void)
{
  guint remaining = 200000;
  g_autoptr(GInputStream) stream = format_test_gen_stream_new (generate_cards, &remaining);
  g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new (stream, "many.vcf", TESORO_TEXT_ENCODING_AUTO);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  TesoroVcardCard *card;
  glong before = format_test_peak_rss_kib ();
  guint n = 0;

  while ((card = tesoro_vcard_reader_next (reader, NULL, &error)) != NULL)
    {
      g_assert_cmpuint (tesoro_contact_get_emails (card->contact)->len, ==, 1);
      tesoro_vcard_card_free (card);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 200000);
  g_test_message ("200,000 cards (%.0f MB) read in %.2f s; peak memory grew by %ld KiB",
                  tesoro_vcard_reader_get_bytes_read (reader) / 1e6, g_timer_elapsed (timer, NULL),
                  format_test_peak_rss_kib () - before);
#ifndef UNDER_ASAN
  g_assert_cmpint (format_test_peak_rss_kib () - before, <, 16 * 1024);
#endif
}

/* Writing */

static TesoroContact *
sample_contact (void)
{
  TesoroContact *c = tesoro_contact_new ();
  TesoroAddress *a = tesoro_address_new ();
  TesoroNote *note = tesoro_note_new ();

  tesoro_contact_set_uid (c, "0b6f2c1e-3c1d-4e55-9a61-7d3f0f1c2b3a");
  tesoro_contact_set_given_name (c, "Sophie");
  tesoro_contact_set_family_name (c, "de Vries");
  tesoro_contact_set_display_name (c, "Sophie de Vries");
  tesoro_contact_set_organization (c, "Bakkerij De Vries; Zonen");
  tesoro_contact_set_job_title (c, "Eigenaar");
  tesoro_contact_set_birthday (c, "1985-04-12");
  tesoro_contact_set_updated_at (c, "2024-03-01T14:05:00Z");
  tesoro_contact_add_email (c, "work", "sophie@example.nl", TRUE);
  tesoro_contact_add_email (c, "Kantoor \"Oost\"", "s.devries@example.com", FALSE);
  tesoro_contact_add_phone (c, "mobile", "+31612345678", TRUE);
  tesoro_contact_add_phone (c, "home", "030 123 45 67", FALSE);
  tesoro_contact_add_phone (c, "", "+31301234567", FALSE);
  a->label = g_strdup ("work");
  a->street = g_strdup ("Dorpsstraat 1\nachterom");
  a->postal_code = g_strdup ("1234 AB");
  a->city = g_strdup ("Utrecht");
  a->region = g_strdup ("");
  a->country = g_strdup ("NL");
  g_ptr_array_add (tesoro_contact_get_addresses (c), a);
  g_ptr_array_add (tesoro_contact_get_tags (c), g_strdup ("klant"));
  g_ptr_array_add (tesoro_contact_get_tags (c), g_strdup ("A, B"));
  note->body = g_strdup ("Bel na 14:00;\nniet op maandag, \\ graag.");
  note->created_at = g_strdup ("2024-02-01T09:00:00Z");
  g_ptr_array_add (tesoro_contact_get_notes (c), note);
  tesoro_contact_set_custom_value (c, "Klantnummer", "A-1001");

  return c;
}

static void
test_write_4_0 (void)
{
  g_autoptr(TesoroContact) c = sample_contact ();
  g_autofree char *text = tesoro_vcard_contact_to_string (c, TESORO_VCARD_VERSION_4_0);

  g_assert_cmpstr (text, ==,
                   "BEGIN:VCARD\r\n"
                   "VERSION:4.0\r\n"
                   "UID:urn:uuid:0b6f2c1e-3c1d-4e55-9a61-7d3f0f1c2b3a\r\n"
                   "FN:Sophie de Vries\r\n"
                   "N:de Vries;Sophie;;;\r\n"
                   "ORG:Bakkerij De Vries\\; Zonen\r\n"
                   "TITLE:Eigenaar\r\n"
                   "EMAIL;TYPE=work;PREF=1:sophie@example.nl\r\n"
                   "EMAIL;X-TESORO-LABEL=\"Kantoor ^'Oost^'\":s.devries@example.com\r\n"
                   "TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+31612345678\r\n"
                   "TEL;VALUE=text;TYPE=home:030 123 45 67\r\n"
                   "TEL;VALUE=uri:tel:+31301234567\r\n"
                   "ADR;TYPE=work:;;Dorpsstraat 1\\nachterom;Utrecht;;1234 AB;NL\r\n"
                   "BDAY:19850412\r\n"
                   "CATEGORIES:klant,A\\, B\r\n"
                   "NOTE;X-TESORO-CREATED=\"2024-02-01T09:00:00Z\":Bel na 14:00\\;\\nniet op maanda\r\n"
                   " g\\, \\\\ graag.\r\n"
                   "X-TESORO-CUSTOM;X-FIELD=\"Klantnummer\":A-1001\r\n"
                   "REV:20240301T140500Z\r\n"
                   "END:VCARD\r\n");
}

static void
test_write_3_0 (void)
{
  g_autoptr(TesoroContact) c = sample_contact ();
  g_autofree char *text = tesoro_vcard_contact_to_string (c, TESORO_VCARD_VERSION_3_0);

  g_assert_nonnull (strstr (text, "\r\nVERSION:3.0\r\n"));
  g_assert_nonnull (strstr (text, "\r\nEMAIL;TYPE=work,pref:sophie@example.nl\r\n"));
  g_assert_nonnull (strstr (text, "\r\nTEL;TYPE=cell,pref:+31612345678\r\n"));
  g_assert_nonnull (strstr (text, "\r\nTEL;TYPE=home:030 123 45 67\r\n"));
  g_assert_nonnull (strstr (text, "\r\nBDAY:1985-04-12\r\n"));
  g_assert_nonnull (strstr (text, "\r\nREV:2024-03-01T14:05:00Z\r\n"));
  g_assert_null (strstr (text, "PREF=1"));
  g_assert_null (strstr (text, "tel:"));
}

static void
assert_lines_folded (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      /* A fold never splits a UTF-8 character. */
      if (lines[i][0] == ' ')
        g_assert_true (((guint8) lines[i][1] & 0xC0) != 0x80);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_null (strchr (lines[i], '\r'));
    }
}

static void
assert_same_contact (TesoroContact *a,
                     TesoroContact *b)
{
  GPtrArray *x, *y;

  g_assert_cmpstr (tesoro_contact_get_uid (a), ==, tesoro_contact_get_uid (b));
  g_assert_cmpstr (tesoro_contact_get_given_name (a), ==, tesoro_contact_get_given_name (b));
  g_assert_cmpstr (tesoro_contact_get_family_name (a), ==, tesoro_contact_get_family_name (b));
  g_assert_cmpstr (tesoro_contact_get_display_name (a), ==, tesoro_contact_get_display_name (b));
  g_assert_cmpstr (tesoro_contact_get_organization (a), ==, tesoro_contact_get_organization (b));
  g_assert_cmpstr (tesoro_contact_get_job_title (a), ==, tesoro_contact_get_job_title (b));
  g_assert_cmpstr (tesoro_contact_get_birthday (a), ==, tesoro_contact_get_birthday (b));
  g_assert_cmpstr (tesoro_contact_get_updated_at (a), ==, tesoro_contact_get_updated_at (b));

  for (guint k = 0; k < 2; k++)
    {
      x = k == 0 ? tesoro_contact_get_emails (a) : tesoro_contact_get_phones (a);
      y = k == 0 ? tesoro_contact_get_emails (b) : tesoro_contact_get_phones (b);
      g_assert_cmpuint (x->len, ==, y->len);
      for (guint i = 0; i < x->len; i++)
        {
          const TesoroDetail *p = x->pdata[i], *q = y->pdata[i];
          g_assert_cmpstr (p->label, ==, q->label);
          g_assert_cmpstr (p->value, ==, q->value);
          g_assert_cmpint (p->primary, ==, q->primary);
        }
    }

  x = tesoro_contact_get_addresses (a);
  y = tesoro_contact_get_addresses (b);
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    {
      const TesoroAddress *p = x->pdata[i], *q = y->pdata[i];
      g_assert_cmpstr (p->label, ==, q->label);
      g_assert_cmpstr (p->street, ==, q->street);
      g_assert_cmpstr (p->postal_code, ==, q->postal_code);
      g_assert_cmpstr (p->city, ==, q->city);
      g_assert_cmpstr (p->region, ==, q->region);
      g_assert_cmpstr (p->country, ==, q->country);
    }

  x = tesoro_contact_get_tags (a);
  y = tesoro_contact_get_tags (b);
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    g_assert_cmpstr (x->pdata[i], ==, y->pdata[i]);

  x = tesoro_contact_get_notes (a);
  y = tesoro_contact_get_notes (b);
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    {
      const TesoroNote *p = x->pdata[i], *q = y->pdata[i];
      g_assert_cmpstr (p->body, ==, q->body);
      g_assert_cmpstr (p->created_at, ==, q->created_at);
    }

  x = tesoro_contact_get_custom_values (a);
  y = tesoro_contact_get_custom_values (b);
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    {
      const TesoroCustomValue *p = x->pdata[i], *q = y->pdata[i];
      g_assert_cmpstr (p->name, ==, q->name);
      g_assert_cmpstr (p->value, ==, q->value);
    }
}

static TesoroContact *
read_back (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = read_string (text, &error);
  TesoroVcardCard *card;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  card = cards->pdata[0];
  g_assert_cmpuint (card->warnings->len, ==, 0);
  g_assert_cmpuint (card->extra->len, ==, 0);

  return g_object_ref (card->contact);
}

static void
test_round_trip (void)
{
  TesoroVcardVersion versions[] = { TESORO_VCARD_VERSION_4_0, TESORO_VCARD_VERSION_3_0 };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autoptr(TesoroContact) c = sample_contact ();
      g_autofree char *text = tesoro_vcard_contact_to_string (c, versions[v]);
      g_autoptr(TesoroContact) back = read_back (text);
      g_autoptr(GError) error = NULL;

      assert_lines_folded (text);
      assert_same_contact (c, back);
      g_assert_true (tesoro_contact_validate (back, &error));
      g_assert_no_error (error);
    }
}

static char *
random_text (GRand    *rand,
             gboolean  allow_edges)
{
  static const char * const pieces[] = {
    "a", "Zoë", "€", "😀", "ß", ",", ";", ":", "\\", "\\n", "\n", "\"", "^", "'", "=", " ", "van der", "tel:",
    "日本語", "\t", "=0D", "BEGIN:VCARD", "END:VCARD",
  };
  GString *out = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 1, 40);

  for (guint i = 0; i < n; i++)
    g_string_append (out, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);

  if (!allow_edges)
    {
      /* Values that are trimmed or must not be empty. */
      g_strstrip (out->str);
      g_string_set_size (out, strlen (out->str));
      if (out->len == 0 || g_str_has_prefix (out->str, "tel:"))
        g_string_prepend (out, "x");
    }

  return g_string_free (out, FALSE);
}

/* Write → read gives the same contact, field by field, for contacts full
 * of characters that need escaping, quoting or folding. */
static void
test_round_trip_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (6350);

  for (guint round = 0; round < 300; round++)
    {
      TesoroVcardVersion version = round % 2 ? TESORO_VCARD_VERSION_3_0 : TESORO_VCARD_VERSION_4_0;
      g_autoptr(TesoroContact) c = tesoro_contact_new ();
      g_autofree char *text = NULL;
      g_autoptr(TesoroContact) back = NULL;
      g_autofree char *uid = tesoro_uuid_new ();
      static const char * const labels[] = { "work", "home", "mobile", "fax", "pager", "other", "", "Kantoor" };
      g_autofree char *given = random_text (rand, TRUE);
      g_autofree char *family = random_text (rand, TRUE);
      g_autofree char *display = random_text (rand, TRUE);
      g_autofree char *org = random_text (rand, TRUE);
      g_autofree char *title = random_text (rand, TRUE);

      tesoro_contact_set_uid (c, uid);
      tesoro_contact_set_given_name (c, given);
      tesoro_contact_set_family_name (c, family);
      tesoro_contact_set_display_name (c, display);
      tesoro_contact_set_organization (c, org);
      tesoro_contact_set_job_title (c, title);

      for (guint i = 0, n = g_rand_int_range (rand, 0, 4); i < n; i++)
        {
          g_autofree char *value = random_text (rand, FALSE);
          tesoro_contact_add_email (c, labels[g_rand_int_range (rand, 0, 8)], value, i == 1);
        }
      for (guint i = 0, n = g_rand_int_range (rand, 0, 4); i < n; i++)
        {
          g_autofree char *value = g_rand_boolean (rand) ? random_text (rand, FALSE) :
                                   g_strdup_printf ("+3161%07d", g_rand_int_range (rand, 0, 9999999));
          tesoro_contact_add_phone (c, labels[g_rand_int_range (rand, 0, 8)], value, i == 0);
        }
      for (guint i = 0, n = g_rand_int_range (rand, 0, 3); i < n; i++)
        {
          TesoroAddress *a = tesoro_address_new ();

          a->label = g_strdup (labels[g_rand_int_range (rand, 0, 8)]);
          a->street = random_text (rand, FALSE);
          a->postal_code = random_text (rand, FALSE);
          a->city = random_text (rand, FALSE);
          a->region = random_text (rand, FALSE);
          a->country = random_text (rand, FALSE);
          g_ptr_array_add (tesoro_contact_get_addresses (c), a);
        }
      for (guint i = 0, n = g_rand_int_range (rand, 0, 4); i < n; i++)
        {
          char *t = random_text (rand, FALSE);
          char *unique = g_strdup_printf ("%u %s", i, t);

          g_free (t);
          g_ptr_array_add (tesoro_contact_get_tags (c), unique);
        }
      for (guint i = 0, n = g_rand_int_range (rand, 0, 3); i < n; i++)
        {
          TesoroNote *note = tesoro_note_new ();

          note->body = random_text (rand, TRUE);
          if (g_rand_boolean (rand))
            note->created_at = g_strdup ("2023-12-31T23:59:59Z");
          g_ptr_array_add (tesoro_contact_get_notes (c), note);
        }
      if (g_rand_boolean (rand))
        {
          g_autofree char *name = random_text (rand, FALSE);
          g_autofree char *value = random_text (rand, TRUE);

          /* Custom field names do not hold line breaks. */
          g_strdelimit (name, "\n\t", ' ');
          tesoro_contact_set_custom_value (c, name, value);
        }
      if (g_rand_boolean (rand))
        tesoro_contact_set_birthday (c, "2000-02-29");

      text = tesoro_vcard_contact_to_string (c, version);
      assert_lines_folded (text);
      back = read_back (text);
      assert_same_contact (c, back);
    }
}

static void
test_writer_stream (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(TesoroVcardWriter) writer = tesoro_vcard_writer_new (out, TESORO_VCARD_VERSION_4_0);
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroVcardReader) reader = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  gsize size;

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(TesoroContact) c = sample_contact ();
      g_autofree char *uid = tesoro_uuid_new ();

      tesoro_contact_set_uid (c, uid);
      g_assert_true (tesoro_vcard_writer_add (writer, c, NULL, &error));
    }
  g_assert_true (tesoro_vcard_writer_flush (writer, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_no_error (error);

  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  reader = tesoro_vcard_reader_new_for_data (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                             size, "all.vcf", TESORO_TEXT_ENCODING_AUTO);
  cards = read_cards (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1000);
  g_assert_cmpuint (((TesoroVcardCard *) cards->pdata[999])->line, ==, 999 * 20 + 1);
}

static void
test_versions (void)
{
  TesoroVcardVersion v;
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_vcard_version_from_string ("3.0", &v, NULL));
  g_assert_cmpint (v, ==, TESORO_VCARD_VERSION_3_0);
  g_assert_true (tesoro_vcard_version_from_string ("4", &v, NULL));
  g_assert_cmpint (v, ==, TESORO_VCARD_VERSION_4_0);
  g_assert_false (tesoro_vcard_version_from_string ("5.0", &v, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_cmpstr (tesoro_vcard_version_to_string (TESORO_VCARD_VERSION_2_1), ==, "2.1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vcard/read/google", test_read_google);
  g_test_add_func ("/vcard/read/apple", test_read_apple);
  g_test_add_func ("/vcard/read/android-2.1", test_read_android);
  g_test_add_func ("/vcard/read/nokia-windows-1252", test_read_nokia);
  g_test_add_func ("/vcard/read/outlook", test_read_outlook);
  g_test_add_func ("/vcard/read/rfc6350", test_read_rfc6350);
  g_test_add_func ("/vcard/read/agent", test_read_agent);
  g_test_add_func ("/vcard/read/folding", test_read_folding);
  g_test_add_func ("/vcard/read/utf-16", test_read_utf16);
  g_test_add_func ("/vcard/read/odd-values", test_read_odd_values);
  g_test_add_func ("/vcard/read/trickle", test_read_trickle);
  g_test_add_func ("/vcard/read/quoted-params", test_read_quoted_params);
  g_test_add_func ("/vcard/trouble/missing-end", test_read_missing_end);
  g_test_add_func ("/vcard/trouble/invalid-utf-8", test_read_invalid_utf8);
  g_test_add_func ("/vcard/trouble/declared-utf-8", test_read_declared_utf8);
  g_test_add_func ("/vcard/trouble/garbage", test_read_garbage);
  g_test_add_func ("/vcard/trouble/begin-without-end", test_read_begin_without_end);
  g_test_add_func ("/vcard/trouble/nul", test_read_nul);
  g_test_add_func ("/vcard/trouble/big-values", test_read_big_values);
  g_test_add_func ("/vcard/trouble/card-limits", test_read_card_limits);
  g_test_add_func ("/vcard/read/many-cards", test_read_many_cards);
  g_test_add_func ("/vcard/write/4.0", test_write_4_0);
  g_test_add_func ("/vcard/write/3.0", test_write_3_0);
  g_test_add_func ("/vcard/write/stream", test_writer_stream);
  g_test_add_func ("/vcard/write/versions", test_versions);
  g_test_add_func ("/vcard/round-trip/sample", test_round_trip);
  g_test_add_func ("/vcard/round-trip/random", test_round_trip_random);

  return g_test_run ();
}
