/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-vcard"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "format-test-streams.h"
#include "fuzz-common.h"
#include "tesoro-utils.h"
#include "tesoro-vcard.h"

/* Reads the input as vCards, checks that every text that comes out is
 * UTF-8, and that writing a card and reading it back is stable: the card
 * written again from what was read is the same text. */

#define MAX_CARDS 200

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_setup ();
  return 0;
}

static void
check_contact_text (TesoroContact *c)
{
  GPtrArray *a;

  FUZZ_CHECK (fuzz_text_ok (tesoro_contact_get_uid (c)) && fuzz_text_ok (tesoro_contact_get_given_name (c)) &&
              fuzz_text_ok (tesoro_contact_get_family_name (c)) && fuzz_text_ok (tesoro_contact_get_display_name (c)) &&
              fuzz_text_ok (tesoro_contact_get_organization (c)) && fuzz_text_ok (tesoro_contact_get_job_title (c)) &&
              fuzz_text_ok (tesoro_contact_get_birthday (c)) && fuzz_text_ok (tesoro_contact_get_updated_at (c)),
              "a name field is not UTF-8");
  FUZZ_CHECK (tesoro_contact_get_birthday (c) == NULL || tesoro_is_valid_date (tesoro_contact_get_birthday (c)),
              "birthday %s", tesoro_contact_get_birthday (c));
  FUZZ_CHECK (tesoro_contact_get_uid (c) == NULL || tesoro_is_valid_uid (tesoro_contact_get_uid (c)),
              "uid %s", tesoro_contact_get_uid (c));

  for (guint k = 0; k < 2; k++)
    {
      a = k == 0 ? tesoro_contact_get_emails (c) : tesoro_contact_get_phones (c);
      for (guint i = 0; i < a->len; i++)
        {
          TesoroDetail *d = a->pdata[i];
          FUZZ_CHECK (fuzz_text_ok (d->label) && fuzz_text_ok (d->value) && *d->value != '\0', "detail %u", i);
        }
    }
  a = tesoro_contact_get_addresses (c);
  for (guint i = 0; i < a->len; i++)
    {
      TesoroAddress *ad = a->pdata[i];
      FUZZ_CHECK (fuzz_text_ok (ad->label) && fuzz_text_ok (ad->street) && fuzz_text_ok (ad->postal_code) &&
                  fuzz_text_ok (ad->city) && fuzz_text_ok (ad->region) && fuzz_text_ok (ad->country),
                  "address %u", i);
    }
  a = tesoro_contact_get_tags (c);
  for (guint i = 0; i < a->len; i++)
    FUZZ_CHECK (fuzz_text_ok (a->pdata[i]), "tag %u", i);
  a = tesoro_contact_get_notes (c);
  for (guint i = 0; i < a->len; i++)
    FUZZ_CHECK (fuzz_text_ok (((TesoroNote *) a->pdata[i])->body) &&
                fuzz_text_ok (((TesoroNote *) a->pdata[i])->created_at), "note %u", i);
  a = tesoro_contact_get_custom_values (c);
  for (guint i = 0; i < a->len; i++)
    FUZZ_CHECK (fuzz_text_ok (((TesoroCustomValue *) a->pdata[i])->name) &&
                fuzz_text_ok (((TesoroCustomValue *) a->pdata[i])->value), "custom value %u", i);
}

static void
check_round_trip (TesoroContact      *contact,
                  TesoroVcardVersion  version)
{
  g_autofree char *first = tesoro_vcard_contact_to_string (contact, version);
  g_autoptr(TesoroVcardReader) reader = tesoro_vcard_reader_new_for_data (first, strlen (first), "written.vcf",
                                                                          TESORO_TEXT_ENCODING_AUTO);
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroVcardCard) card = tesoro_vcard_reader_next (reader, NULL, &error);
  g_autoptr(TesoroVcardCard) none = NULL;
  g_autofree char *second = NULL;

  FUZZ_CHECK (card != NULL, "what was written does not read back: %s\n%s",
              error != NULL ? error->message : "no card", first);
  FUZZ_CHECK (card->warnings->len == 0, "reading back warns: %s\n%s", (char *) card->warnings->pdata[0], first);
  none = tesoro_vcard_reader_next (reader, NULL, &error);
  FUZZ_CHECK (none == NULL && error == NULL, "more than one card read back");

  second = tesoro_vcard_contact_to_string (card->contact, version);
  FUZZ_CHECK (g_str_equal (first, second), "write → read → write differs:\n%s\n----\n%s", first, second);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const gsize trickles[] = { 0, 1, 3, 7, 64 };
  static const TesoroTextEncoding encodings[] = {
    TESORO_TEXT_ENCODING_AUTO, TESORO_TEXT_ENCODING_AUTO, TESORO_TEXT_ENCODING_AUTO,
    TESORO_TEXT_ENCODING_AUTO, TESORO_TEXT_ENCODING_UTF8, TESORO_TEXT_ENCODING_WINDOWS_1252,
    TESORO_TEXT_ENCODING_UTF16LE,
  };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(TesoroVcardReader) reader = NULL;
  gsize trickle = trickles[size % G_N_ELEMENTS (trickles)];
  guint n_cards = 0;

  if (trickle > 0)
    stream = format_test_trickle_stream_new (data, size, trickle);
  else
    stream = g_memory_input_stream_new_from_data (data, size, NULL);
  reader = tesoro_vcard_reader_new (stream, "fuzz.vcf",
                                    encodings[(size / G_N_ELEMENTS (trickles)) % G_N_ELEMENTS (encodings)]);

  while (n_cards < MAX_CARDS)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesoroVcardCard) card = tesoro_vcard_reader_next (reader, NULL, &error);

      if (card == NULL)
        {
          if (error == NULL)
            break;
          FUZZ_CHECK (g_str_has_prefix (error->message, "fuzz.vcf"), "message without the file: %s", error->message);
          FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "message is not UTF-8");
          if (!tesoro_vcard_reader_can_continue (reader))
            break;
          continue;
        }

      n_cards++;
      FUZZ_CHECK (card->line >= 1 && card->end_line > card->line, "lines %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
                  card->line, card->end_line);
      check_contact_text (card->contact);
      for (guint i = 0; i < card->warnings->len; i++)
        FUZZ_CHECK (fuzz_text_ok (card->warnings->pdata[i]) &&
                    g_str_has_prefix (card->warnings->pdata[i], "fuzz.vcf"), "warning %u", i);
      FUZZ_CHECK (card->warnings->len <= TESORO_VCARD_MAX_WARNINGS + 1, "%u warnings", card->warnings->len);
      for (guint i = 0; i < card->extra->len; i++)
        FUZZ_CHECK (fuzz_text_ok (((TesoroCustomValue *) card->extra->pdata[i])->value), "extra %u", i);

      check_round_trip (card->contact, TESORO_VCARD_VERSION_4_0);
      check_round_trip (card->contact, TESORO_VCARD_VERSION_3_0);
    }

  return 0;
}
