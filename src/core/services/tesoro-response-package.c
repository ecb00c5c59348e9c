/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-response-package"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>

#include "tesoro-response-package.h"
#include "tesoro-atomic-file.h"
#include "tesoro-audit-entry.h"
#include "tesoro-consent.h"
#include "tesoro-contact-groups.h"
#include "tesoro-error.h"
#include "tesoro-export-data-private.h"
#include "tesoro-retention.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"
#include "tesoro-vcard.h"
#include "tesoro-zip.h"

/*
 * The response package to an access or portability request: the person's
 * Export Data files and vCard per contact, and a README that answers
 * Art. 15(1)(a)–(h) from what Tesoro holds and is set to do. The zip
 * (tesoro-zip.h) goes into a TesoroAtomicFile, so that PATH gets the whole
 * package or nothing.
 */

/* Lines of the README are wrapped here: Notepad does not wrap by itself. */
#define README_WIDTH 76

/* The facts the README states, gathered before it is written. */
typedef struct
{
  GPtrArray          *contacts;     /* TesoroContact, whole */
  GPtrArray          *purposes;     /* TesoroConsentPurpose */
  GPtrArray          *batches;      /* TesoroImportBatch, newest first */
  GPtrArray          *recipients;   /* char *, from the setting */
  char               *authority;    /* NULL: the default */
  TesoroGdprSettings  gdpr;
  const char         *now;
} Facts;

static void
facts_clear (Facts *facts)
{
  g_clear_pointer (&facts->contacts, g_ptr_array_unref);
  g_clear_pointer (&facts->purposes, g_ptr_array_unref);
  g_clear_pointer (&facts->batches, g_ptr_array_unref);
  g_clear_pointer (&facts->recipients, g_ptr_array_unref);
  g_clear_pointer (&facts->authority, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Facts, facts_clear)

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* The setting privacy.recipients: a JSON array of strings. A value that is
 * not one is an error, never "no recipients": the README would tell the
 * person something untrue. */
static GPtrArray *
read_recipients (TesoroBackend  *backend,
                 GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = tesoro_backend_get_setting (backend, TESORO_SETTING_PRIVACY_RECIPIENTS, &local_error);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (text == NULL || *text == '\0')
    return g_steal_pointer (&recipients);

  root = json_from_string (text, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    goto invalid;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *name;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        goto invalid;
      name = json_node_get_string (element);
      if (has_text (name))
        g_ptr_array_add (recipients, g_strstrip (g_strdup (name)));
    }
  return g_steal_pointer (&recipients);

invalid:
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("The setting “%s” is not a list of recipients (a JSON array of strings)"),
               TESORO_SETTING_PRIVACY_RECIPIENTS);
  return NULL;
}

static gboolean
gather_facts (TesoroSession  *self,
              Facts          *facts,
              GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  g_autoptr(GError) local_error = NULL;

  if (!tesoro_session_get_gdpr_settings (self, &facts->gdpr, error))
    return FALSE;
  if ((facts->recipients = read_recipients (backend, error)) == NULL)
    return FALSE;

  facts->authority = tesoro_backend_get_setting (backend, TESORO_SETTING_PRIVACY_AUTHORITY, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (facts->authority != NULL && !has_text (g_strstrip (facts->authority)))
    g_clear_pointer (&facts->authority, g_free);

  if (facts->contacts->len == 0)
    return TRUE;

  facts->purposes = tesoro_session_list_consent_purposes (self, error);
  if (facts->purposes == NULL)
    return FALSE;
  facts->batches = tesoro_backend_list_import_batches (backend, 0, error);
  return facts->batches != NULL;
}

/* The README */

typedef struct
{
  GString          *out;
  TesoroTranslator *t;
  Facts            *facts;
} Readme;

#define TR(msgid) tesoro_translate (readme->t, (msgid))

/* Appends @text wrapped at README_WIDTH characters; the first line starts
 * with @first, the others with as many spaces. */
static void
append_wrapped (Readme     *readme,
                const char *first,
                const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  glong indent = g_utf8_strlen (first, -1);
  glong column = indent;

  g_string_append (readme->out, first);
  for (guint i = 0, on_line = 0; words[i] != NULL; i++)
    {
      glong length = g_utf8_strlen (words[i], -1);

      if (*words[i] == '\0')
        continue;
      if (on_line > 0 && column + 1 + length > README_WIDTH)
        {
          g_string_append (readme->out, "\r\n");
          for (glong s = 0; s < indent; s++)
            g_string_append_c (readme->out, ' ');
          column = indent;
          on_line = 0;
        }
      if (on_line > 0)
        {
          g_string_append_c (readme->out, ' ');
          column++;
        }
      g_string_append (readme->out, words[i]);
      column += length;
      on_line++;
    }
  g_string_append (readme->out, "\r\n");
}

static void
paragraph (Readme     *readme,
           const char *text)
{
  append_wrapped (readme, "", text);
  g_string_append (readme->out, "\r\n");
}

/* One item of a list; the list ends with end_list(). */
static void
item (Readme     *readme,
      const char *text)
{
  append_wrapped (readme, "  - ", text);
}

static void
end_list (Readme *readme)
{
  g_string_append (readme->out, "\r\n");
}

static void
heading (Readme     *readme,
         const char *text,
         char        underline)
{
  glong length = g_utf8_strlen (text, -1);

  g_string_append (readme->out, text);
  g_string_append (readme->out, "\r\n");
  for (glong i = 0; i < length; i++)
    g_string_append_c (readme->out, underline);
  g_string_append (readme->out, "\r\n\r\n");
}

/* "2024-03-01" of "2024-03-01T14:05:00Z" */
static char *
date_of (const char *iso)
{
  return g_strndup (iso != NULL ? iso : "", 10);
}

static void
write_title (Readme *readme)
{
  g_autofree char *date = date_of (readme->facts->now);
  g_autofree char *made = NULL;

  heading (readme, TR (N_("Your personal data: our answer to your request")), '=');
  made = g_strdup_printf (TR (N_("This package answers your request for access to your personal data and for a "
                                 "copy of it, under Articles 15 and 20 of the General Data Protection Regulation "
                                 "(GDPR). It was made on %s from our contact register.")), date);
  paragraph (readme, made);
}

static void
write_files (Readme *readme)
{
  guint n = readme->facts->contacts->len;
  g_autofree char *count = NULL;

  heading (readme, TR (N_("What the files hold")), '-');
  count = g_strdup_printf (n == 1 ? TR (N_("We hold one record about you. Its folder is named “contact-” "
                                           "followed by the record’s identifier, a random code, and holds "
                                           "three files:"))
                                  : TR (N_("We hold %u records about you (the same person may have been "
                                           "entered more than once). Each has a folder named “contact-” "
                                           "followed by the record’s identifier, a random code, holding "
                                           "three files:")),
                           n);
  paragraph (readme, count);
  item (readme, TR (N_("data.csv: everything we hold in the record, one value per row (section, item, field, "
                       "value), for a spreadsheet such as LibreOffice Calc or Microsoft Excel.")));
  item (readme, TR (N_("data.json: the same data in JSON, a machine-readable format that you can give to "
                       "another organisation (Article 20 GDPR, data portability).")));
  item (readme, TR (N_("contact.vcf: your contact details as a vCard (version 4.0), which address books and "
                       "phones can import.")));
  end_list (readme);
  paragraph (readme, TR (N_("README.txt, this letter, says what we hold about you, why, and what your rights "
                            "are.")));
}

/* (a) The lawful basis, in words a person can look up. */
static const char *
lawful_basis_text (Readme     *readme,
                   const char *basis)
{
  if (g_strcmp0 (basis, "consent") == 0)
    return TR (N_("your consent (Article 6(1)(a) GDPR)"));
  if (g_strcmp0 (basis, "contract") == 0)
    return TR (N_("a contract with you, or steps you asked for before entering into one (Article 6(1)(b) GDPR)"));
  if (g_strcmp0 (basis, "legal_obligation") == 0)
    return TR (N_("a legal obligation we are subject to (Article 6(1)(c) GDPR)"));
  if (g_strcmp0 (basis, "vital_interests") == 0)
    return TR (N_("the protection of your vital interests or those of another person (Article 6(1)(d) GDPR)"));
  if (g_strcmp0 (basis, "public_task") == 0)
    return TR (N_("a task carried out in the public interest or in the exercise of official authority "
                  "(Article 6(1)(e) GDPR)"));
  if (g_strcmp0 (basis, "legitimate_interests") == 0)
    return TR (N_("our legitimate interests (Article 6(1)(f) GDPR)"));
  return basis;
}

static const char *
purpose_name (Readme                     *readme,
              const TesoroConsentPurpose *purpose)
{
  /* The built-in purpose is stored with its English name. */
  if (g_strcmp0 (purpose->key, TESORO_PURPOSE_MARKETING_EMAIL) == 0)
    return TR (N_("Marketing e-mail"));
  return has_text (purpose->name) ? purpose->name : purpose->key;
}

static void
write_purposes (Readme        *readme,
                TesoroContact *contact)
{
  const char *basis = tesoro_contact_get_lawful_basis (contact);
  GPtrArray *purposes = readme->facts->purposes;
  g_autofree char *text = NULL;

  heading (readme, TR (N_("Why we hold your data (Article 15(1)(a))")), '.');
  paragraph (readme, TR (N_("We keep your data to manage our relationship with you: to know how to reach you and "
                            "what we discussed and agreed with you.")));
  if (has_text (basis))
    text = g_strdup_printf (TR (N_("The lawful basis recorded for processing your data is %s.")),
                            lawful_basis_text (readme, basis));
  else
    text = g_strdup (TR (N_("No lawful basis is recorded for this record.")));
  paragraph (readme, text);

  if (purposes->len > 0)
    {
      paragraph (readme, TR (N_("We ask for your consent before using your data for these purposes; your choice "
                                "as it stands today:")));
      for (guint i = 0; i < purposes->len; i++)
        {
          TesoroConsentPurpose *purpose = purposes->pdata[i];
          TesoroConsentEvent *latest = NULL;
          TesoroConsentState state = tesoro_consent_state_from_events (tesoro_contact_get_consent (contact),
                                                                       purpose->key, &latest);
          g_autofree char *date = latest != NULL ? date_of (latest->at) : NULL;
          g_autofree char *line = NULL;

          if (state == TESORO_CONSENT_GRANTED)
            line = g_strdup_printf (TR (N_("%s: you gave your consent on %s.")), purpose_name (readme, purpose), date);
          else if (state == TESORO_CONSENT_WITHDRAWN)
            line = g_strdup_printf (TR (N_("%s: you withdrew your consent on %s.")),
                                    purpose_name (readme, purpose), date);
          else
            line = g_strdup_printf (TR (N_("%s: you have not given your consent.")), purpose_name (readme, purpose));
          item (readme, line);
        }
      end_list (readme);
    }

  if (tesoro_contact_get_restricted (contact))
    paragraph (readme, TR (N_("The processing of this record is restricted (Article 18 GDPR): we store the data "
                              "but do not otherwise use it.")));
}

/* (b) What each field group holds, for the person it is about; in the
 * order of tesoro-field-groups.h. */
static const char * const category_texts[TESORO_N_FIELD_GROUPS] = {
  N_("Your name"),
  N_("The organisation you work for and your job title"),
  N_("E-mail addresses"),
  N_("Phone numbers"),
  N_("Postal addresses"),
  N_("Your date of birth"),
  N_("Further details our organisation records (custom fields)"),
  N_("Tags: labels we use to group contacts"),
  N_("Notes about you"),
  N_("A log of e-mails and other messages exchanged with you"),
  N_("Tasks concerning you"),
  N_("A log of calls and meetings with you"),
  N_("Your consent choices and the lawful basis recorded for your data"),
};

static void
write_categories (Readme        *readme,
                  TesoroContact *contact)
{
  TesoroFieldGroups filled = tesoro_contact_get_filled_groups (contact);

  heading (readme, TR (N_("The personal data we hold (Article 15(1)(b))")), '.');
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    if (filled & tesoro_field_group_nth (i))
      item (readme, TR (category_texts[i]));
  item (readme, TR (N_("When the record was made and last changed")));
  end_list (readme);
}

static const char *
import_format_text (Readme     *readme,
                    const char *format)
{
  if (g_strcmp0 (format, "vcard") == 0)
    return TR (N_("a vCard file"));
  return TR (N_("a CSV file"));
}

/* (g) Where the data came from: the imports that created or updated the
 * record, and the files they named in the consent ledger ("import: …"). */
static gboolean
write_source (Readme         *readme,
              TesoroSession  *session,
              TesoroContact  *contact,
              GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (session);
  GPtrArray *batches = readme->facts->batches;
  GPtrArray *consent = tesoro_contact_get_consent (contact);
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  guint imports = 0;

  heading (readme, TR (N_("Where your data came from (Article 15(1)(g))")), '.');

  /* Oldest first, as the record's story goes. */
  for (guint i = batches->len; i-- > 0;)
    {
      TesoroImportBatch *batch = batches->pdata[i];
      g_autofree char *previous = NULL;
      g_autofree char *date = NULL;
      g_autofree char *number = NULL;
      g_autofree char *line = NULL;
      gboolean created;

      if (batch->undone_at != NULL)
        continue;
      if (!tesoro_backend_get_import_item (backend, batch->id, tesoro_contact_get_id (contact), &created, &previous,
                                           error))
        return FALSE;
      /* An update always keeps what it replaced; neither means no record. */
      if (!created && previous == NULL)
        continue;

      date = date_of (batch->at);
      number = g_strdup_printf ("%" G_GINT64_FORMAT, batch->id);
      line = g_strdup_printf (created ? TR (N_("On %s your record was made by importing %s (import %s)."))
                                      : TR (N_("On %s your record was updated by importing %s (import %s).")),
                              date, import_format_text (readme, batch->format), number);
      item (readme, line);
      imports++;
    }
  if (imports > 0)
    end_list (readme);

  for (guint i = 0; i < consent->len; i++)
    {
      TesoroConsentEvent *c = consent->pdata[i];
      const char *name;

      if (c->source == NULL || !g_str_has_prefix (c->source, "import: "))
        continue;
      name = c->source + strlen ("import: ");
      if (has_text (name) && !g_ptr_array_find_with_equal_func (files, name, g_str_equal, NULL))
        g_ptr_array_add (files, (gpointer) name);
    }
  if (files->len > 0)
    {
      g_autofree char *list = NULL;
      g_autofree char *text = NULL;

      g_ptr_array_add (files, NULL);
      list = g_strjoinv (", ", (char **) files->pdata);
      text = g_strdup_printf (TR (N_("The imported files recorded with your data: %s.")), list);
      paragraph (readme, text);
    }
  else if (imports == 0)
    paragraph (readme, TR (N_("Your data was entered by our organisation; it was not imported from another "
                              "source.")));
  return TRUE;
}

static gboolean
write_record (Readme         *readme,
              TesoroSession  *session,
              TesoroContact  *contact,
              GError        **error)
{
  g_autofree char *title = g_strdup_printf (TR (N_("Your record contact-%s")), tesoro_contact_get_uid (contact));

  heading (readme, title, '-');
  write_purposes (readme, contact);
  write_categories (readme, contact);
  if (!write_source (readme, session, contact, error))
    return FALSE;
  if (tesoro_contact_get_legal_hold (contact))
    paragraph (readme, TR (N_("This record is on legal hold: it is kept, and not deleted automatically, for as "
                              "long as the hold lasts.")));
  return TRUE;
}

/* (c) */
static void
write_recipients (Readme *readme)
{
  GPtrArray *recipients = readme->facts->recipients;

  heading (readme, TR (N_("Who receives your data (Article 15(1)(c))")), '-');
  if (recipients->len == 0)
    {
      paragraph (readme, TR (N_("We do not share your data with anyone outside our organisation.")));
      return;
    }
  paragraph (readme, TR (N_("Besides our own organisation, these recipients (or categories of recipients) "
                            "receive your data:")));
  for (guint i = 0; i < recipients->len; i++)
    item (readme, recipients->pdata[i]);
  end_list (readme);
}

/* (d) The retention Tesoro is actually set to apply. */
static void
write_retention (Readme *readme)
{
  const TesoroGdprSettings *gdpr = &readme->facts->gdpr;
  g_autofree char *retention = NULL;
  g_autofree char *trash = NULL;

  heading (readme, TR (N_("How long we keep your data (Article 15(1)(d))")), '-');
  /* Two forms rather than ngettext: a document's language is not the
   * catalogue's, and English and Dutch both have one singular form. */
  if (gdpr->retention_enabled)
    retention = g_strdup_printf (gdpr->retention_years == 1
                                 ? TR (N_("Our retention period is %u year: a record with no contact or activity for "
                                          "%u year is deleted automatically."))
                                 : TR (N_("Our retention period is %u years: a record with no contact or activity "
                                          "for %u years is deleted automatically.")),
                                 gdpr->retention_years, gdpr->retention_years);
  else
    retention = g_strdup (TR (N_("We have set no fixed retention period: we keep your data for as long as we need "
                                 "it for the purposes above, and delete it when you ask us to, unless the law "
                                 "requires us to keep it.")));
  paragraph (readme, retention);

  if (gdpr->trash_expiry_days > 0)
    trash = g_strdup_printf (gdpr->trash_expiry_days == 1
                             ? TR (N_("A deleted record first goes to our trash, from which it is deleted "
                                      "permanently after %u day."))
                             : TR (N_("A deleted record first goes to our trash, from which it is deleted "
                                      "permanently after %u days.")),
                             gdpr->trash_expiry_days);
  else
    trash = g_strdup (TR (N_("A deleted record first goes to our trash, where it stays until the trash is "
                             "emptied; then it is deleted permanently.")));
  paragraph (readme, trash);
}

/* (e) */
static void
write_rights (Readme *readme)
{
  heading (readme, TR (N_("Your rights (Article 15(1)(e))")), '-');
  paragraph (readme, TR (N_("You have the right to ask us for:")));
  item (readme, TR (N_("rectification (Article 16 GDPR): correcting data that is wrong and completing data that "
                       "is incomplete;")));
  item (readme, TR (N_("erasure (Article 17 GDPR): deleting your data;")));
  item (readme, TR (N_("restriction of processing (Article 18 GDPR): keeping your data but not using it "
                       "otherwise;")));
  item (readme, TR (N_("the transfer of your data to you or to another organisation (Article 20 GDPR): "
                       "data.json and contact.vcf are made for that.")));
  end_list (readme);
  paragraph (readme, TR (N_("You also have the right to object to the processing of your data (Article 21 "
                            "GDPR), and at any time to its use for direct marketing. Where we rely on your "
                            "consent you may withdraw it at any time; that does not affect what we did with it "
                            "before.")));
  paragraph (readme, TR (N_("To use any of these rights, contact us in the same way as you made this request.")));
}

/* (f) */
static void
write_complaint (Readme *readme)
{
  const char *authority = readme->facts->authority;
  g_autofree char *text = NULL;

  heading (readme, TR (N_("Complaints (Article 15(1)(f))")), '-');
  if (authority == NULL)
    authority = TR (N_("the Dutch Data Protection Authority (Autoriteit Persoonsgegevens)"));
  text = g_strdup_printf (TR (N_("You have the right to lodge a complaint with a supervisory authority: %s.")),
                          authority);
  paragraph (readme, text);
}

/* (h) */
static void
write_automated (Readme *readme)
{
  heading (readme, TR (N_("Automated decisions (Article 15(1)(h))")), '-');
  paragraph (readme, TR (N_("We take no decisions about you based solely on automated processing, and we do not "
                            "use your data for profiling (Article 22 GDPR).")));
}

static GBytes *
build_readme (TesoroSession   *session,
              Facts           *facts,
              TesoroLanguage   language,
              GError         **error)
{
  g_autoptr(TesoroTranslator) t = tesoro_translator_begin (language);
  g_autoptr(GString) out = g_string_sized_new (8192);
  Readme r = { out, t, facts };
  Readme *readme = &r;

  write_title (readme);
  if (facts->contacts->len == 0)
    {
      paragraph (readme, TR (N_("We have searched our contact register and hold no personal data about you. This "
                                "package therefore holds no other file than this letter.")));
      write_complaint (readme);
      return g_string_free_to_bytes (g_steal_pointer (&out));
    }

  write_files (readme);
  for (guint i = 0; i < facts->contacts->len; i++)
    if (!write_record (readme, session, facts->contacts->pdata[i], error))
      return NULL;
  write_recipients (readme);
  write_retention (readme);
  write_rights (readme);
  write_complaint (readme);
  write_automated (readme);

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

#undef TR

/* The zip */

typedef struct
{
  char   *name;
  GBytes *bytes;
} Member;

static void
member_free (Member *member)
{
  g_free (member->name);
  g_bytes_unref (member->bytes);
  g_free (member);
}

static void
add_member (GPtrArray *members,
            char      *name,
            GBytes    *bytes)
{
  Member *member = g_new0 (Member, 1);

  member->name = name;
  member->bytes = bytes;
  g_ptr_array_add (members, member);
}

/* Writes @members as a zip into @file's temporary twin, @size bytes; the
 * caller commits it. */
static gboolean
write_zip (TesoroAtomicFile  *file,
           const char        *path,
           GPtrArray         *members,
           const char        *now,
           gsize             *size,
           GError           **error)
{
  g_autoptr(GDateTime) moment = tesoro_date_time_from_iso (now);
  g_autoptr(TesoroZipWriter) zip = tesoro_zip_writer_new (tesoro_atomic_file_get_stream (file), path,
                                                          moment != NULL ? g_date_time_to_unix (moment) : 0);

  for (guint i = 0; i < members->len; i++)
    {
      const Member *member = members->pdata[i];

      if (!tesoro_zip_writer_add (zip, member->name, member->bytes, error))
        return FALSE;
    }
  if (!tesoro_zip_writer_close (zip, error))
    return FALSE;

  *size = tesoro_zip_writer_get_size (zip);
  return TRUE;
}

/* The audit entry: the contacts by uid, the counts; never a value, never
 * the path (whose name may well be the person's). */
static JsonNode *
audit_details (TesoroSession  *self,
               GPtrArray      *contacts,
               GPtrArray      *members,
               TesoroLanguage  language,
               gsize           bytes)
{
  JsonNode *details = _tesoro_session_view_details (self, contacts->len > 0 ? TESORO_FIELDS_ALL : 0);
  JsonObject *object = json_node_get_object (details);
  JsonArray *uids = json_array_new ();

  for (guint i = 0; i < contacts->len; i++)
    json_array_add_string_element (uids, tesoro_contact_get_uid (contacts->pdata[i]));
  json_object_set_array_member (object, "contacts", uids);
  json_object_set_int_member (object, "count", contacts->len);
  json_object_set_int_member (object, "files", members->len);
  json_object_set_int_member (object, "bytes", (gint64) bytes);
  json_object_set_string_member (object, "language", tesoro_language_to_string (language));
  return details;
}

static GPtrArray *
load_contacts (TesoroSession  *self,
               const gint64   *contact_ids,
               guint           n_contact_ids,
               GError        **error)
{
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < n_contact_ids; i++)
    {
      TesoroContact *contact;

      if (!g_hash_table_add (seen, (gpointer) &contact_ids[i]))
        continue;
      contact = _tesoro_session_load_whole (self, contact_ids[i], error);
      if (contact == NULL)
        return NULL;
      g_ptr_array_add (contacts, contact);
    }
  return g_steal_pointer (&contacts);
}

/**
 * tesoro_session_write_response_package:
 * @contact_ids: (array length=n_contact_ids): the requester's contacts;
 *   none when nothing is held about them
 * @language: the language of the README
 * @path: the .zip to write; it is replaced atomically, readable by its
 *   owner only
 *
 * Writes the response to an access or portability request (GDPR Art. 15
 * and 20): per contact `contact-UID/data.csv` and `contact-UID/data.json`
 * (the Export Data files, byte for byte) and `contact-UID/contact.vcf`
 * (vCard 4.0), and a `README.txt` in @language with what each file holds
 * and the information of Art. 15(1)(a)–(h). With no contacts, the README
 * says that no personal data about the requester is held.
 *
 * Needs what Export Data needs (the "export-data" permission and a role
 * that sees every field). One audit entry records the package; the file
 * and the entry are there both or neither.
 */
gboolean
tesoro_session_write_response_package (TesoroSession   *self,
                                       const gint64    *contact_ids,
                                       guint            n_contact_ids,
                                       TesoroLanguage   language,
                                       const char      *path,
                                       GError         **error)
{
  g_auto(Facts) facts = { 0 };
  g_autofree char *now = tesoro_now_iso ();
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  g_autoptr(TesoroAtomicFile) file = NULL;
  GBytes *readme;
  gsize size = 0;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (contact_ids != NULL || n_contact_ids == 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!_tesoro_session_require_export_data (self, error))
    return FALSE;

  facts.now = now;
  facts.contacts = load_contacts (self, contact_ids, n_contact_ids, error);
  if (facts.contacts == NULL || !gather_facts (self, &facts, error))
    return FALSE;

  readme = build_readme (self, &facts, language, error);
  if (readme == NULL)
    return FALSE;
  add_member (members, g_strdup ("README.txt"), readme);
  for (guint i = 0; i < facts.contacts->len; i++)
    {
      TesoroContact *contact = facts.contacts->pdata[i];
      const char *uid = tesoro_contact_get_uid (contact);
      char *vcard = tesoro_vcard_contact_to_string (contact, TESORO_VCARD_VERSION_4_0);

      add_member (members, g_strdup_printf ("contact-%s/data.csv", uid),
                  _tesoro_export_data_render (contact, TESORO_EXPORT_FORMAT_CSV, now));
      add_member (members, g_strdup_printf ("contact-%s/data.json", uid),
                  _tesoro_export_data_render (contact, TESORO_EXPORT_FORMAT_JSON, now));
      add_member (members, g_strdup_printf ("contact-%s/contact.vcf", uid),
                  g_bytes_new_take (vcard, strlen (vcard)));
    }

  file = tesoro_atomic_file_new (path, error);
  if (file == NULL || !write_zip (file, path, members, now, &size, error))
    return FALSE;

  /* A package that is not in the log was not sent: the entry and the file
   * are committed together, the file first, so that a failed rename leaves
   * no entry and a failed entry takes the file back. */
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_RESPONSE_PACKAGE,
                              facts.contacts->len == 1 ? tesoro_contact_get_uid (facts.contacts->pdata[0]) : NULL,
                              audit_details (self, facts.contacts, members, language, size), error) ||
      !tesoro_atomic_file_commit (file, NULL, error))
    return _tesoro_session_fail (self);
  if (!_tesoro_session_commit (self, error))
    {
      g_unlink (path);
      return _tesoro_session_fail (self);
    }
  return TRUE;
}
