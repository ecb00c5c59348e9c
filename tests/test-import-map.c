/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import-map"

#include "config.h"

#include <string.h>

#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-import-map.h"

#define PINNED_NOW "2024-06-15T12:00:00Z"

/* Real header rows, as the programs write them. */

/* Google Contacts, "Google CSV" export before 2023 */
static const char * const google_old_headers[] = {
  "Name", "Given Name", "Additional Name", "Family Name", "Yomi Name", "Given Name Yomi",
  "Additional Name Yomi", "Family Name Yomi", "Name Prefix", "Name Suffix", "Initials", "Nickname",
  "Short Name", "Maiden Name", "Birthday", "Gender", "Location", "Billing Information",
  "Directory Server", "Mileage", "Occupation", "Hobby", "Sensitivity", "Priority", "Subject", "Notes",
  "Language", "Photo", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Type",
  "E-mail 2 - Value", "Phone 1 - Type", "Phone 1 - Value", "Phone 2 - Type", "Phone 2 - Value",
  "Address 1 - Type", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
  "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country",
  "Address 1 - Extended Address", "Organization 1 - Type", "Organization 1 - Name",
  "Organization 1 - Yomi Name", "Organization 1 - Title", "Organization 1 - Department",
  "Organization 1 - Symbol", "Organization 1 - Location", "Organization 1 - Job Description",
  "Website 1 - Type", "Website 1 - Value",
};

static const char * const google_old_specs[] = {
  "name", "given_name", "middle_name", "family_name", "ignore", "ignore",
  "ignore", "ignore", "custom/Name Prefix", "custom/Name Suffix", "ignore", "custom/Nickname",
  "ignore", "custom/Maiden Name", "birthday", "ignore", "ignore", "ignore",
  "ignore", "ignore", "job_title", "ignore", "ignore", "ignore", "ignore", "note",
  "custom/Language", "ignore", "tags", "email/label#1", "email/other#1", "email/label#2",
  "email/other#2", "phone/label#1", "phone/other#1", "phone/label#2", "phone/other#2",
  "address/label#1", "address/other/full#1", "address/other/street#1", "address/other/city#1",
  "address/other/street#1", "address/other/region#1", "address/other/postal_code#1", "address/other/country#1",
  "address/other/street#1", "ignore", "organization",
  "ignore", "job_title", "custom/Department",
  "ignore", "ignore", "ignore",
  "ignore", "custom/Website",
};

/* Google Contacts, export since 2023 */
static const char * const google_new_headers[] = {
  "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
  "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name",
  "Organization Title", "Organization Department", "Birthday", "Notes", "Photo", "Labels",
  "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value", "Phone 1 - Label",
  "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value", "Address 1 - Label", "Address 1 - Formatted",
  "Address 1 - Street", "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region",
  "Address 1 - Postal Code", "Address 1 - Country", "Address 1 - Extended Address",
  "Website 1 - Label", "Website 1 - Value",
};

static const char * const google_new_specs[] = {
  "given_name", "middle_name", "family_name", "ignore", "ignore",
  "ignore", "custom/Name Prefix", "custom/Name Suffix", "custom/Nickname", "ignore", "organization",
  "job_title", "custom/Organization Department", "birthday", "note", "ignore", "tags",
  "email/label#1", "email/other#1", "email/label#2", "email/other#2", "phone/label#1",
  "phone/other#1", "phone/label#2", "phone/other#2", "address/label#1", "address/other/full#1",
  "address/other/street#1", "address/other/city#1", "address/other/street#1", "address/other/region#1",
  "address/other/postal_code#1", "address/other/country#1", "address/other/street#1",
  "ignore", "custom/Website",
};

/* Outlook (Microsoft 365 / Outlook 2016 and later), "Comma Separated Values" */
static const char * const outlook_headers[] = {
  "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
  "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
  "Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3",
  "Home City", "Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2",
  "Other Street 3", "Other City", "Other State", "Other Postal Code", "Other Country/Region",
  "Assistant's Phone", "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone",
  "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax",
  "Other Phone", "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone", "Telex", "Account",
  "Anniversary", "Assistant's Name", "Billing Information", "Birthday", "Business Address PO Box",
  "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type", "E-mail Display Name",
  "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type",
  "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box", "Initials",
  "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
  "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private",
  "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page",
};

static const char * const outlook_specs[] = {
  "custom/Title", "given_name", "middle_name", "family_name", "custom/Suffix", "organization", "custom/Department", "job_title",
  "address/work/street", "address/work/street", "address/work/street", "address/work/city", "address/work/region",
  "address/work/postal_code", "address/work/country", "address/home/street", "address/home/street", "address/home/street",
  "address/home/city", "address/home/region", "address/home/postal_code", "address/home/country", "address/other/street", "address/other/street",
  "address/other/street", "address/other/city", "address/other/region", "address/other/postal_code", "address/other/country",
  "ignore", "phone/fax", "phone/work", "phone/work", "phone/other", "phone/mobile",
  "phone/work", "phone/fax", "phone/home", "phone/home", "phone/other", "phone/mobile", "phone/fax",
  "phone/other", "phone/other", "phone/other", "phone/other", "phone/other", "ignore", "ignore",
  "custom/Anniversary", "ignore", "ignore", "birthday", "address/work/street",
  "tags", "ignore", "ignore", "email/other", "ignore", "ignore",
  "email/other", "ignore", "ignore", "email/other", "ignore",
  "ignore", "ignore", "ignore", "ignore", "address/home/street", "ignore",
  "ignore", "tags", "custom/Language", "ignore", "ignore", "ignore", "note",
  "ignore", "ignore", "address/other/street", "ignore", "ignore",
  "ignore", "ignore", "ignore", "custom/User 1", "custom/User 2", "custom/User 3", "custom/User 4", "custom/Web Page",
};

/* A Dutch member list as a small organisation keeps it in Excel. */
static const char * const dutch_headers[] = {
  "Klantnummer", "Voornaam", "Tussenvoegsel", "Achternaam", "Bedrijf", "Functie", "E-mailadres",
  "Telefoonnummer", "Mobiel", "Straat", "Huisnummer", "Postcode", "Plaats", "Provincie", "Land",
  "Geboortedatum", "Opmerkingen", "Tags", "Toestemming nieuwsbrief", "Grondslag",
};

static const char * const dutch_specs[] = {
  "custom/Klantnummer", "given_name", "family_name_particle", "family_name", "organization", "job_title", "email/other",
  "phone/other", "phone/mobile", "address/other/street", "address/other/house_number", "address/other/postal_code",
  "address/other/city", "address/other/region", "address/other/country",
  "birthday", "note", "tags", "ignore", "lawful_basis",
};

static void
assert_guess (const char * const *headers,
              const char * const *specs,
              guint               n)
{
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, n);

  g_assert_cmpuint (tesoro_import_mapping_get_n_columns (mapping), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *spec = tesoro_import_mapping_dup_spec_string (mapping, i);

      g_test_message ("column “%s”", headers[i]);
      g_assert_cmpstr (spec, ==, specs[i]);
      /* Every column is either mapped, or recognised and skipped on purpose. */
      if (g_str_equal (specs[i], "ignore"))
        g_assert_cmpint (tesoro_import_mapping_get_match (mapping, i), !=, TESORO_IMPORT_MATCH_KNOWN);
      else
        g_assert_cmpint (tesoro_import_mapping_get_match (mapping, i), ==, TESORO_IMPORT_MATCH_KNOWN);
    }
}

/* Field specs */

static void
test_spec_parse (void)
{
  static const struct
  {
    const char *text;
    const char *canonical;
  } cases[] = {
    { "ignore", "ignore" }, { "given_name", "given_name" }, { "Given_Name", "given_name" },
    { "first_name", "given_name" }, { "middle_name", "middle_name" },
    { "family_name_particle", "family_name_particle" }, { "tussenvoegsel", "family_name_particle" },
    { "family_name", "family_name" }, { "name", "name" }, { "display_name", "display_name" },
    { "organization", "organization" }, { "organisation", "organization" }, { "job_title", "job_title" },
    { "birthday", "birthday" }, { "note", "note" }, { "notes", "note" }, { "tags", "tags" },
    { "lawful_basis", "lawful_basis" }, { "consent", "consent" },
    { "email", "email/other" }, { "e-mail", "email/other" }, { "email/work", "email/work" },
    { "EMAIL/Home", "email/home" }, { "email/other#2", "email/other#2" }, { "email/label", "email/label" },
    { "email/label#1", "email/label#1" }, { " email / work ", "email/work" },
    { "phone", "phone/other" }, { "phone/mobile", "phone/mobile" }, { "phone/fax", "phone/fax" },
    { "phone/work#12", "phone/work#12" }, { "phone/label#3", "phone/label#3" },
    { "address", "address/other/full" }, { "address/work", "address/work/full" },
    { "address/street", "address/other/street" }, { "address/work/street", "address/work/street" },
    { "address/home/postal_code", "address/home/postal_code" }, { "address/other/city", "address/other/city" },
    { "address/work/region", "address/work/region" }, { "address/home/country", "address/home/country" },
    { "address/home/house_number", "address/home/house_number" }, { "address/work/full", "address/work/full" },
    { "address/other/street#1", "address/other/street#1" }, { "address/label#1", "address/label#1" },
    { "custom/Klantnummer", "custom/Klantnummer" }, { "Custom/Lid sinds", "custom/Lid sinds" },
    { "custom/  KvK  nummer ", "custom/KvK nummer" }, { "custom/Nummer #2", "custom/Nummer #2" },
    { "custom/a/b", "custom/a/b" },
  };
  static const struct
  {
    const char *text;
    const char *hint;
  } invalid[] = {
    { "", "empty" }, { "voornaam", "unknown field" }, { "email/mobile", "label" },
    { "phone/private", "label" }, { "email/work/extra", "one label" }, { "given_name/work", "no label" },
    { "address/work/street/2", "address/LABEL/PART" }, { "address/work/floor", "part" },
    { "email#0", "1 to 999" }, { "email#1000", "1 to 999" }, { "email#", "1 to 999" },
    { "email#x", "1 to 999" }, { "birthday#1", "group" }, { "custom/", "name" }, { "custom/   ", "name" },
    { "custom/a\x01" "b", "control" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesoroImportSpec) spec = NULL;
      g_autoptr(TesoroImportSpec) again = NULL;
      g_autofree char *text = NULL;

      g_test_message ("spec “%s”", cases[i].text);
      spec = tesoro_import_spec_parse (cases[i].text, &error);
      g_assert_no_error (error);
      text = tesoro_import_spec_to_string (spec);
      g_assert_cmpstr (text, ==, cases[i].canonical);

      /* The canonical form reads back as the same spec. */
      again = tesoro_import_spec_parse (text, &error);
      g_assert_no_error (error);
      g_assert_true (tesoro_import_spec_equal (spec, again));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesoroImportSpec) spec = NULL;

      g_test_message ("spec “%s”", invalid[i].text);
      spec = tesoro_import_spec_parse (invalid[i].text, &error);
      g_assert_null (spec);
      g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
      g_test_message ("  → %s", error->message);
      g_assert_nonnull (strstr (error->message, invalid[i].hint));
    }
}

static void
test_spec_fields (void)
{
  g_autoptr(TesoroImportSpec) a = tesoro_import_spec_parse ("address/home/postal_code#2", NULL);
  g_autoptr(TesoroImportSpec) b = tesoro_import_spec_parse ("custom/Klantnummer", NULL);
  g_autoptr(TesoroImportSpec) c = tesoro_import_spec_parse ("phone/label#4", NULL);
  g_autoptr(TesoroImportSpec) copy = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (a->field, ==, TESORO_IMPORT_ADDRESS);
  g_assert_cmpstr (a->label, ==, "home");
  g_assert_cmpint (a->part, ==, TESORO_ADDRESS_PART_POSTAL_CODE);
  g_assert_cmpuint (a->group, ==, 2);
  g_assert_cmpint (b->field, ==, TESORO_IMPORT_CUSTOM);
  g_assert_cmpstr (b->custom_name, ==, "Klantnummer");
  g_assert_cmpint (c->field, ==, TESORO_IMPORT_PHONE_LABEL);
  g_assert_cmpuint (c->group, ==, 4);

  copy = tesoro_import_spec_copy (a);
  g_assert_true (tesoro_import_spec_equal (a, copy));
  g_assert_false (tesoro_import_spec_equal (a, b));

  canonical = tesoro_import_spec_canonicalize ("Email", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (canonical, ==, "email/other");
  g_assert_null (tesoro_import_spec_canonicalize ("nonsense", NULL));
}

static void
test_spec_describe (void)
{
  static const struct
  {
    const char *spec;
    const char *label;
  } cases[] = {
    { "ignore", "Do not import" },
    { "given_name", "Given name" },
    { "family_name_particle", "Family name particle (van, de, ter…)" },
    { "name", "Full name (split into given and family name)" },
    { "email/work", "E-mail (work)" },
    { "phone/mobile", "Phone (mobile)" },
    { "address/home/postal_code", "Address (home): postal code" },
    { "address/work/full", "Address (work): whole address in one cell" },
    { "email/label#1", "Label of the e-mail address (home, work…) [1]" },
    { "email/other#2", "E-mail (other) [2]" },
    { "custom/Klantnummer", "Custom field “Klantnummer”" },
    { "consent", "Marketing consent (yes or no)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TesoroImportSpec) spec = tesoro_import_spec_parse (cases[i].spec, NULL);
      g_autofree char *label = tesoro_import_spec_describe (spec);

      g_assert_cmpstr (label, ==, cases[i].label);
    }
}

static gboolean
choices_have (GPtrArray  *choices,
              const char *spec)
{
  for (guint i = 0; i < choices->len; i++)
    if (g_str_equal (((TesoroImportChoice *) choices->pdata[i])->spec, spec))
      return TRUE;
  return FALSE;
}

static void
test_choices (void)
{
  const char *custom[] = { "Klantnummer", "Lid sinds", "klantnummer", "", NULL };
  const char *headers[] = { "E-mail 1 - Type", "E-mail 1 - Value", "Ledenpas" };
  g_autoptr(GPtrArray) choices = tesoro_import_list_choices (custom);
  g_autoptr(GPtrArray) column_choices = NULL;
  g_autoptr(TesoroImportMapping) mapping = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  static const char * const required[] = {
    "ignore", "given_name", "middle_name", "family_name_particle", "family_name", "name", "display_name",
    "organization", "job_title", "birthday", "email/work", "email/home", "email/other", "email/label",
    "phone/mobile", "phone/work", "phone/home", "phone/fax", "phone/other", "phone/label",
    "address/work/full", "address/work/street", "address/work/house_number", "address/work/postal_code",
    "address/work/city", "address/work/region", "address/work/country", "address/home/street",
    "address/other/country", "address/label", "note", "tags", "lawful_basis", "consent",
    "custom/Klantnummer", "custom/Lid sinds", NULL
  };

  g_assert_cmpstr (((TesoroImportChoice *) choices->pdata[0])->spec, ==, "ignore");
  for (guint i = 0; required[i] != NULL; i++)
    {
      g_test_message ("choice %s", required[i]);
      g_assert_true (choices_have (choices, required[i]));
    }

  for (guint i = 0; i < choices->len; i++)
    {
      TesoroImportChoice *choice = choices->pdata[i];
      g_autoptr(TesoroImportSpec) spec = tesoro_import_spec_parse (choice->spec, NULL);

      /* Every choice is a valid canonical spec, listed once, with a label. */
      g_assert_nonnull (spec);
      g_assert_false (g_hash_table_contains (seen, choice->spec));
      g_hash_table_add (seen, choice->spec);
      g_assert_cmpstr (choice->label, !=, "");
      g_assert_cmpstr (choice->section, !=, "");
    }
  /* "klantnummer" is the same custom field as "Klantnummer". */
  g_assert_false (choices_have (choices, "custom/klantnummer"));

  mapping = tesoro_import_mapping_new_auto (headers, G_N_ELEMENTS (headers));
  column_choices = tesoro_import_mapping_list_choices (mapping, 0, NULL);
  g_assert_true (choices_have (column_choices, "email/label#1"));
  g_assert_true (choices_have (column_choices, "custom/E-mail 1 - Type"));
  g_clear_pointer (&column_choices, g_ptr_array_unref);
  column_choices = tesoro_import_mapping_list_choices (mapping, 2, custom);
  g_assert_true (choices_have (column_choices, "custom/Ledenpas"));
  g_assert_true (choices_have (column_choices, "custom/Klantnummer"));
}

/* Headers */

static void
test_header_keys (void)
{
  static const struct
  {
    const char *header;
    const char *key;
  } cases[] = {
    { "E-mail 1 - Value", "email1value" }, { "e_mail adres", "emailadres" },
    { "  Telefoon\xc2\xadnummer ", "telefoonnummer" }, { "Categorieën", "categorieen" },
    { "CATÉGORIE", "categorie" }, { "Business Country/Region", "businesscountryregion" },
    { "Assistant's Phone", "assistantsphone" }, { "", "" }, { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = tesoro_import_header_key (cases[i].header);
      g_assert_cmpstr (key, ==, cases[i].key);
    }
}

static void
test_signature (void)
{
  const char *a[] = { "Voornaam", "Achternaam", "E-mailadres" };
  const char *b[] = { "VOORNAAM", " achter naam", "E-mail adres" };
  const char *c[] = { "Achternaam", "Voornaam", "E-mailadres" };
  const char *d[] = { "Voornaam", "Achternaam", "E-mailadres", "Telefoon" };
  g_autofree char *sa = tesoro_import_layout_signature (a, 3);
  g_autofree char *sb = tesoro_import_layout_signature (b, 3);
  g_autofree char *sc = tesoro_import_layout_signature (c, 3);
  g_autofree char *sd = tesoro_import_layout_signature (d, 4);
  g_autofree char *s3 = tesoro_import_layout_signature (NULL, 3);
  g_autofree char *s4 = tesoro_import_layout_signature (NULL, 4);
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new (a, 3);
  g_autofree char *sm = tesoro_import_mapping_get_signature (mapping);

  g_assert_cmpuint (strlen (sa), ==, 64);
  g_assert_cmpuint (strspn (sa, "0123456789abcdef"), ==, 64);
  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sa, !=, sc);
  g_assert_cmpstr (sa, !=, sd);
  g_assert_cmpstr (s3, !=, s4);
  g_assert_cmpstr (s3, !=, sa);
  g_assert_cmpstr (sm, ==, sa);
  /* Stable across releases, so that a remembered mapping is found again: the
   * SHA-256 of "tesoro-layout-1\n3\nvoornaam\nachternaam\nemailadres\n". */
  g_assert_cmpstr (sa, ==, "fa26382e00272489b51f767cab3f504bd33fe2445ae3ebf7a348ae7642e9405c");
}

/* Automatic mapping */

static void
test_guess_google_old (void)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (google_old_headers) == G_N_ELEMENTS (google_old_specs));
  assert_guess (google_old_headers, google_old_specs, G_N_ELEMENTS (google_old_headers));
}

static void
test_guess_google_new (void)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (google_new_headers) == G_N_ELEMENTS (google_new_specs));
  assert_guess (google_new_headers, google_new_specs, G_N_ELEMENTS (google_new_headers));
}

static void
test_guess_outlook (void)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (outlook_headers) == G_N_ELEMENTS (outlook_specs));
  assert_guess (outlook_headers, outlook_specs, G_N_ELEMENTS (outlook_headers));
}

static void
test_guess_dutch (void)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (dutch_headers) == G_N_ELEMENTS (dutch_specs));
  g_autoptr(TesoroImportMapping) mapping = NULL;

  /* "Toestemming nieuwsbrief" is not a header Tesoro knows: ignored, and
   * unknown rather than skipped, so that the GUI can point at it. */
  mapping = tesoro_import_mapping_new_auto (dutch_headers, G_N_ELEMENTS (dutch_headers));
  g_assert_cmpint (tesoro_import_mapping_get_match (mapping, 18), ==, TESORO_IMPORT_MATCH_NONE);
  for (guint i = 0; i < G_N_ELEMENTS (dutch_headers); i++)
    if (i != 18)
      {
        g_autofree char *spec = tesoro_import_mapping_dup_spec_string (mapping, i);

        g_test_message ("column “%s”", dutch_headers[i]);
        g_assert_cmpstr (spec, ==, dutch_specs[i]);
      }
}

static void
test_guess_variants (void)
{
  static const struct
  {
    const char *header;
    const char *spec;
  } cases[] = {
    /* English */
    { "First Name", "given_name" }, { "first_name", "given_name" }, { "FIRSTNAME", "given_name" },
    { "Last name", "family_name" }, { "Surname", "family_name" }, { "Full Name", "name" },
    { "Email", "email/other" }, { "E-mail", "email/other" }, { "e-mail address", "email/other" },
    { "Work Email", "email/work" }, { "Personal Email", "email/home" }, { "Phone", "phone/other" },
    { "Mobile Phone", "phone/mobile" }, { "Cell", "phone/mobile" }, { "Work Phone", "phone/work" },
    { "Company", "organization" }, { "Job Title", "job_title" }, { "Street Address", "address/other/street" },
    { "ZIP code", "address/other/postal_code" }, { "City", "address/other/city" },
    { "State", "address/other/region" }, { "Country", "address/other/country" },
    { "Date of Birth", "birthday" }, { "Comments", "note" }, { "Tags", "tags" },
    { "Lawful basis", "lawful_basis" }, { "Marketing consent", "consent" }, { "Newsletter", "consent" },
    { "Customer ID", "custom/Customer ID" }, { "Website", "custom/Website" },
    /* Dutch, with the spellings people use */
    { "Voornaam", "given_name" }, { "VOORNAAM", "given_name" }, { "Achternaam", "family_name" },
    { "Tussenvoegsel", "family_name_particle" }, { "Naam", "name" }, { "Volledige naam", "name" },
    { "E-mailadres", "email/other" }, { "E-MAILADRES", "email/other" }, { "e mail adres", "email/other" },
    { "Emailadres", "email/other" }, { "E-mail", "email/other" }, { "Telefoonnummer", "phone/other" },
    { "Telefoon nummer", "phone/other" }, { "Telefoon", "phone/other" }, { "Mobiel", "phone/mobile" },
    { "Mobiele telefoon", "phone/mobile" }, { "Mobiel nummer", "phone/mobile" }, { "GSM", "phone/mobile" },
    { "Telefoon werk", "phone/work" }, { "Telefoon privé", "phone/home" }, { "Telefoon prive", "phone/home" },
    { "Zakelijk e-mailadres", "email/work" }, { "Privé e-mail", "email/home" },
    { "Bedrijf", "organization" }, { "Bedrijfsnaam", "organization" }, { "Organisatie", "organization" },
    { "Functie", "job_title" }, { "Adres", "address/other/full" }, { "Straat", "address/other/street" },
    { "Huisnummer", "address/other/house_number" }, { "Toevoeging", "address/other/house_number" },
    { "Postcode", "address/other/postal_code" }, { "Plaats", "address/other/city" },
    { "Woonplaats", "address/other/city" }, { "Provincie", "address/other/region" },
    { "Land", "address/other/country" }, { "Bezoekadres", "address/work/full" },
    { "Geboortedatum", "birthday" }, { "Opmerkingen", "note" }, { "Notities", "note" },
    { "Tags", "tags" }, { "Labels", "tags" }, { "Categorieën", "tags" }, { "Categorieen", "tags" },
    { "Groepen", "tags" }, { "Grondslag", "lawful_basis" }, { "Toestemming", "consent" },
    { "Nieuwsbrief", "consent" }, { "Klantnummer", "custom/Klantnummer" },
    { "Klant nr.", "custom/Klant nr." }, { "KvK-nummer", "custom/KvK-nummer" },
    { "Afdeling", "custom/Afdeling" }, { "Titel", "custom/Titel" },
    /* the Dutch Outlook */
    { "Werkadres, straat", "address/work/street" }, { "Werkadres, postcode", "address/work/postal_code" },
    { "Huisadres, plaats", "address/home/city" }, { "Telefoon op werk", "phone/work" },
    { "Mobiele telefoon", "phone/mobile" }, { "E-mailadres 2", "email/other" },
    /* Tesoro's own spec strings as headers */
    { "given_name", "given_name" }, { "email/work", "email/work" }, { "address/home/city", "address/home/city" },
    { "custom/Lid sinds", "custom/Lid sinds" },
  };
  static const char * const unknown[] = { "Kleur", "Column1", "", "   ", "#", "E-mail 1 - Colour", "Phone 0 - Value" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TesoroImportMatch match;
      g_autoptr(TesoroImportSpec) spec = tesoro_import_guess_spec (cases[i].header, &match);
      g_autofree char *text = tesoro_import_spec_to_string (spec);

      g_test_message ("header “%s”", cases[i].header);
      g_assert_cmpstr (text, ==, cases[i].spec);
      g_assert_cmpint (match, ==, TESORO_IMPORT_MATCH_KNOWN);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      TesoroImportMatch match;
      g_autoptr(TesoroImportSpec) spec = tesoro_import_guess_spec (unknown[i], &match);

      g_test_message ("header “%s”", unknown[i]);
      g_assert_cmpint (spec->field, ==, TESORO_IMPORT_IGNORE);
      g_assert_cmpint (match, ==, TESORO_IMPORT_MATCH_NONE);
    }
}

static char *
guess_column (const char * const *headers,
              guint               n,
              guint               column)
{
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, n);
  return tesoro_import_mapping_dup_spec_string (mapping, column);
}

static void
test_guess_context (void)
{
  const char *title_alone[] = { "Name", "Title", "Email" };
  const char *title_outlook[] = { "Title", "First Name", "Last Name", "Job Title" };
  const char *flemish[] = { "Naam", "Voornaam", "E-mail" };
  const char *naam_alone[] = { "Naam", "E-mail" };
  const char *naam_full[] = { "Naam", "Voornaam", "Achternaam" };
  const char *initials_alone[] = { "Voorletters", "Tussenvoegsel", "Achternaam" };
  const char *initials_extra[] = { "Voornaam", "Voorletters", "Achternaam" };
  const char *adres_street[] = { "Adres", "Postcode", "Plaats" };
  const char *adres_full[] = { "Naam", "Adres" };
  const char *formatted[] = { "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City" };
  g_autofree char *s1 = guess_column (title_alone, 3, 1);
  g_autofree char *s2 = guess_column (title_outlook, 4, 0);
  g_autofree char *s3 = guess_column (flemish, 3, 0);
  g_autofree char *s4 = guess_column (naam_alone, 2, 0);
  g_autofree char *s5 = guess_column (naam_full, 3, 0);
  g_autofree char *s6 = guess_column (initials_alone, 3, 0);
  g_autofree char *s7 = guess_column (initials_extra, 3, 1);
  g_autofree char *s8 = guess_column (adres_street, 3, 0);
  g_autofree char *s9 = guess_column (adres_full, 2, 1);
  g_autofree char *s10 = guess_column (formatted, 3, 0);

  g_assert_cmpstr (s1, ==, "job_title");
  g_assert_cmpstr (s2, ==, "custom/Title");
  g_assert_cmpstr (s3, ==, "family_name");
  g_assert_cmpstr (s4, ==, "name");
  g_assert_cmpstr (s5, ==, "name");
  g_assert_cmpstr (s6, ==, "given_name");
  g_assert_cmpstr (s7, ==, "ignore");
  g_assert_cmpstr (s8, ==, "address/other/street");
  g_assert_cmpstr (s9, ==, "address/other/full");
  g_assert_cmpstr (s10, ==, "address/other/full#1");
}

/* Applying a mapping */

static TesoroContact *
apply_row (TesoroImportMapping  *mapping,
           const char * const   *values,
           guint                 n,
           GPtrArray           **problems)
{
  TesoroContact *contact = tesoro_import_mapping_apply (mapping, values, n, problems);

  g_assert_nonnull (contact);
  g_assert_nonnull (*problems);
  for (guint i = 0; i < (*problems)->len; i++)
    {
      TesoroImportProblem *p = (*problems)->pdata[i];
      g_test_message ("problem: column %d (%s), value “%s”: %s", p->column, p->column_name, p->value, p->message);
    }
  return contact;
}

/* The contact keeps empty names as "". */
static void
assert_text (const char *got,
             const char *want)
{
  g_assert_cmpstr (got != NULL ? got : "", ==, want != NULL ? want : "");
}

static TesoroDetail *
detail (GPtrArray *array,
        guint      index)
{
  g_assert_cmpuint (index, <, array->len);
  return array->pdata[index];
}

static void
test_apply_dutch (void)
{
  const char *row[] = {
    "A-1001", " Jan ", "van der", "Berg", "Bakkerij Van der Berg", "Eigenaar", "Jan@BakkerijVanDerBerg.NL",
    "020-1234567", "06-12345678", "Dorpsstraat", "12", "1234 AB", "Utrecht", "Utrecht", "Nederland",
    "12-03-1975", "Levert elke vrijdag.\nBellen na 10 uur.", "klant; vip", "ja", "Uitvoering overeenkomst",
  };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (dutch_headers, G_N_ELEMENTS (dutch_headers));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *addresses, *notes, *tags, *consent;
  TesoroAddress *address;

  G_STATIC_ASSERT (G_N_ELEMENTS (row) == G_N_ELEMENTS (dutch_headers));
  g_assert_true (tesoro_import_mapping_set_spec (mapping, 18, "consent", &error));
  g_assert_no_error (error);
  tesoro_import_mapping_set_consent_source (mapping, "import: leden.csv");

  contact = apply_row (mapping, row, G_N_ELEMENTS (row), &problems);
  g_assert_cmpuint (problems->len, ==, 0);

  g_assert_cmpstr (tesoro_contact_get_given_name (contact), ==, "Jan");
  g_assert_cmpstr (tesoro_contact_get_family_name (contact), ==, "van der Berg");
  assert_text (tesoro_contact_get_display_name (contact), NULL);
  g_assert_cmpstr (tesoro_contact_get_organization (contact), ==, "Bakkerij Van der Berg");
  g_assert_cmpstr (tesoro_contact_get_job_title (contact), ==, "Eigenaar");
  g_assert_cmpstr (tesoro_contact_get_birthday (contact), ==, "1975-03-12");
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (contact), ==, "contract");

  g_assert_cmpuint (tesoro_contact_get_emails (contact)->len, ==, 1);
  g_assert_cmpstr (detail (tesoro_contact_get_emails (contact), 0)->value, ==, "Jan@bakkerijvanderberg.nl");
  g_assert_cmpstr (detail (tesoro_contact_get_emails (contact), 0)->label, ==, "other");
  g_assert_true (detail (tesoro_contact_get_emails (contact), 0)->primary);

  g_assert_cmpuint (tesoro_contact_get_phones (contact)->len, ==, 2);
  g_assert_cmpstr (detail (tesoro_contact_get_phones (contact), 0)->value, ==, "+31201234567");
  g_assert_cmpstr (detail (tesoro_contact_get_phones (contact), 0)->label, ==, "other");
  g_assert_true (detail (tesoro_contact_get_phones (contact), 0)->primary);
  g_assert_cmpstr (detail (tesoro_contact_get_phones (contact), 1)->value, ==, "+31612345678");
  g_assert_cmpstr (detail (tesoro_contact_get_phones (contact), 1)->label, ==, "mobile");
  g_assert_false (detail (tesoro_contact_get_phones (contact), 1)->primary);

  addresses = tesoro_contact_get_addresses (contact);
  g_assert_cmpuint (addresses->len, ==, 1);
  address = addresses->pdata[0];
  g_assert_cmpstr (address->label, ==, "other");
  g_assert_cmpstr (address->street, ==, "Dorpsstraat 12");
  g_assert_cmpstr (address->postal_code, ==, "1234 AB");
  g_assert_cmpstr (address->city, ==, "Utrecht");
  g_assert_cmpstr (address->region, ==, "Utrecht");
  g_assert_cmpstr (address->country, ==, "Nederland");

  notes = tesoro_contact_get_notes (contact);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (((TesoroNote *) notes->pdata[0])->body, ==, "Levert elke vrijdag.\nBellen na 10 uur.");

  tags = tesoro_contact_get_tags (contact);
  g_assert_cmpuint (tags->len, ==, 2);
  g_assert_cmpstr (tags->pdata[0], ==, "klant");
  g_assert_cmpstr (tags->pdata[1], ==, "vip");

  g_assert_cmpstr (tesoro_contact_get_custom_value (contact, "Klantnummer"), ==, "A-1001");

  consent = tesoro_contact_get_consent (contact);
  g_assert_cmpuint (consent->len, ==, 1);
  g_assert_cmpstr (((TesoroConsentEvent *) consent->pdata[0])->purpose, ==, "marketing-email");
  g_assert_true (((TesoroConsentEvent *) consent->pdata[0])->granted);
  g_assert_cmpstr (((TesoroConsentEvent *) consent->pdata[0])->source, ==, "import: leden.csv");
  g_assert_nonnull (strstr (((TesoroConsentEvent *) consent->pdata[0])->evidence, "Toestemming nieuwsbrief"));

  g_assert_true (tesoro_contact_validate (contact, &error));
  g_assert_no_error (error);
}

static void
test_apply_google (void)
{
  const char *row[G_N_ELEMENTS (google_old_headers)] = { NULL };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (google_old_headers, G_N_ELEMENTS (google_old_headers));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  GPtrArray *emails, *phones, *addresses, *tags;
  TesoroAddress *address;

  for (guint i = 0; i < G_N_ELEMENTS (row); i++)
    row[i] = "";
  row[0] = "Sophie van den Broek-de Wit";
  row[1] = "Sophie";
  row[3] = "van den Broek-de Wit";
  row[11] = "Fie";
  row[14] = "--04-12";
  row[15] = "female";
  row[20] = "Architect";
  row[25] = "Ontmoet op de Vakbeurs 2023";
  row[28] = "* myContacts ::: Klanten ::: * starred";
  row[29] = "* Work";
  row[30] = "sophie@broek-architecten.nl";
  row[31] = "Home";
  row[32] = "sophie.vdbroek@gmail.com ::: s.broek@ziggo.nl";
  row[33] = "Mobile";
  row[34] = "+31 6 2345 6789";
  row[35] = "Work";
  row[36] = "030 234 5678 ::: 030 234 5600";
  row[37] = "Work";
  row[38] = "Oudegracht 200\n3511 NS Utrecht\nNL";
  row[39] = "Oudegracht 200";
  row[40] = "Utrecht";
  row[43] = "3511 NS";
  row[44] = "NL";
  row[47] = "Broek Architecten";
  row[49] = "Architect";
  row[55] = "https://broek-architecten.nl";

  contact = apply_row (mapping, row, G_N_ELEMENTS (row), &problems);
  g_assert_cmpuint (problems->len, ==, 0);

  g_assert_cmpstr (tesoro_contact_get_given_name (contact), ==, "Sophie");
  g_assert_cmpstr (tesoro_contact_get_family_name (contact), ==, "van den Broek-de Wit");
  g_assert_cmpstr (tesoro_contact_get_display_name (contact), ==, "Sophie van den Broek-de Wit");
  g_assert_cmpstr (tesoro_contact_get_birthday (contact), ==, "1604-04-12");
  g_assert_cmpstr (tesoro_contact_get_organization (contact), ==, "Broek Architecten");
  /* "Occupation" and "Organization 1 - Title" say the same */
  g_assert_cmpstr (tesoro_contact_get_job_title (contact), ==, "Architect");
  g_assert_cmpstr (tesoro_contact_get_custom_value (contact, "Nickname"), ==, "Fie");
  g_assert_cmpstr (tesoro_contact_get_custom_value (contact, "Website"), ==, "https://broek-architecten.nl");

  emails = tesoro_contact_get_emails (contact);
  g_assert_cmpuint (emails->len, ==, 3);
  g_assert_cmpstr (detail (emails, 0)->value, ==, "sophie@broek-architecten.nl");
  g_assert_cmpstr (detail (emails, 0)->label, ==, "work");
  g_assert_true (detail (emails, 0)->primary);
  g_assert_cmpstr (detail (emails, 1)->value, ==, "sophie.vdbroek@gmail.com");
  g_assert_cmpstr (detail (emails, 1)->label, ==, "home");
  g_assert_cmpstr (detail (emails, 2)->value, ==, "s.broek@ziggo.nl");
  g_assert_cmpstr (detail (emails, 2)->label, ==, "home");

  phones = tesoro_contact_get_phones (contact);
  g_assert_cmpuint (phones->len, ==, 3);
  g_assert_cmpstr (detail (phones, 0)->value, ==, "+31623456789");
  g_assert_cmpstr (detail (phones, 0)->label, ==, "mobile");
  g_assert_cmpstr (detail (phones, 1)->value, ==, "+31302345678");
  g_assert_cmpstr (detail (phones, 1)->label, ==, "work");
  g_assert_cmpstr (detail (phones, 2)->value, ==, "+31302345600");

  /* The parts win over "Formatted", which repeats them. */
  addresses = tesoro_contact_get_addresses (contact);
  g_assert_cmpuint (addresses->len, ==, 1);
  address = addresses->pdata[0];
  g_assert_cmpstr (address->label, ==, "work");
  g_assert_cmpstr (address->street, ==, "Oudegracht 200");
  g_assert_cmpstr (address->postal_code, ==, "3511 NS");
  g_assert_cmpstr (address->city, ==, "Utrecht");
  g_assert_cmpstr (address->country, ==, "NL");

  tags = tesoro_contact_get_tags (contact);
  g_assert_cmpuint (tags->len, ==, 1);
  g_assert_cmpstr (tags->pdata[0], ==, "Klanten");

  g_assert_cmpuint (tesoro_contact_get_notes (contact)->len, ==, 1);
  g_assert_true (tesoro_contact_validate (contact, NULL));
}

static void
test_apply_google_formatted_only (void)
{
  const char *headers[] = { "First Name", "Last Name", "Address 1 - Label", "Address 1 - Formatted", "Address 2 - Label", "Address 2 - Formatted" };
  const char *row[] = { "Kees", "van 't Hek", "Home", "Kerkstraat 5, 2011 AB Haarlem", "Work", "Postbus 99\n1000 AA Amsterdam" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 6);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = apply_row (mapping, row, 6, &problems);
  GPtrArray *addresses = tesoro_contact_get_addresses (contact);
  TesoroAddress *home, *work;

  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (addresses->len, ==, 2);
  home = addresses->pdata[0];
  work = addresses->pdata[1];
  g_assert_cmpstr (home->label, ==, "home");
  g_assert_cmpstr (home->street, ==, "Kerkstraat 5");
  g_assert_cmpstr (home->postal_code, ==, "2011 AB");
  g_assert_cmpstr (home->city, ==, "Haarlem");
  g_assert_cmpstr (work->label, ==, "work");
  g_assert_cmpstr (work->street, ==, "Postbus 99");
  g_assert_cmpstr (work->city, ==, "Amsterdam");
}

static void
test_apply_outlook (void)
{
  const char *row[G_N_ELEMENTS (outlook_headers)] = { NULL };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (outlook_headers, G_N_ELEMENTS (outlook_headers));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  GPtrArray *addresses, *phones, *emails, *tags;
  TesoroAddress *work;

  for (guint i = 0; i < G_N_ELEMENTS (row); i++)
    row[i] = "";
  row[0] = "Dhr.";
  row[1] = "Pieter";
  row[2] = "den";            /* Dutch Outlook users put the particle here */
  row[3] = "Uyl";
  row[5] = "Gemeente Utrecht";
  row[6] = "Burgerzaken";
  row[7] = "Teamleider";
  row[8] = "Stadsplateau 1";
  row[9] = "Kamer 4.12";
  row[11] = "Utrecht";
  row[13] = "3521 AZ";
  row[14] = "Nederland";
  row[31] = "(030) 286 00 00";
  row[40] = "06 1122 3344";
  row[49] = "0/0/00";        /* Outlook's "no anniversary" */
  row[52] = "17-5-1968";
  row[54] = "Gemeente;Relatie";
  row[57] = "p.denuyl@utrecht.nl";
  row[58] = "SMTP";
  row[59] = "Pieter den Uyl (p.denuyl@utrecht.nl)";
  row[66] = "Unspecified";
  row[77] = "Voorkeur voor bellen";
  row[81] = "Normal";
  row[82] = "False";
  row[84] = "Normal";

  contact = apply_row (mapping, row, G_N_ELEMENTS (row), &problems);
  g_assert_cmpuint (problems->len, ==, 0);

  g_assert_cmpstr (tesoro_contact_get_given_name (contact), ==, "Pieter");
  g_assert_cmpstr (tesoro_contact_get_family_name (contact), ==, "den Uyl");
  g_assert_cmpstr (tesoro_contact_get_custom_value (contact, "Title"), ==, "Dhr.");
  g_assert_cmpstr (tesoro_contact_get_custom_value (contact, "Department"), ==, "Burgerzaken");
  /* Outlook's "no date" is no value */
  g_assert_null (tesoro_contact_get_custom_value (contact, "Anniversary"));
  g_assert_cmpstr (tesoro_contact_get_job_title (contact), ==, "Teamleider");
  g_assert_cmpstr (tesoro_contact_get_birthday (contact), ==, "1968-05-17");

  addresses = tesoro_contact_get_addresses (contact);
  g_assert_cmpuint (addresses->len, ==, 1);
  work = addresses->pdata[0];
  g_assert_cmpstr (work->label, ==, "work");
  g_assert_cmpstr (work->street, ==, "Stadsplateau 1, Kamer 4.12");
  g_assert_cmpstr (work->postal_code, ==, "3521 AZ");

  phones = tesoro_contact_get_phones (contact);
  g_assert_cmpuint (phones->len, ==, 2);
  g_assert_cmpstr (detail (phones, 0)->value, ==, "+31302860000");
  g_assert_cmpstr (detail (phones, 0)->label, ==, "work");
  g_assert_cmpstr (detail (phones, 1)->value, ==, "+31611223344");
  g_assert_cmpstr (detail (phones, 1)->label, ==, "mobile");

  emails = tesoro_contact_get_emails (contact);
  g_assert_cmpuint (emails->len, ==, 1);
  g_assert_cmpstr (detail (emails, 0)->value, ==, "p.denuyl@utrecht.nl");

  tags = tesoro_contact_get_tags (contact);
  g_assert_cmpuint (tags->len, ==, 2);
  g_assert_cmpstr (tags->pdata[1], ==, "Relatie");

  g_assert_cmpuint (tesoro_contact_get_custom_values (contact)->len, ==, 2);
}

static void
test_apply_name_split (void)
{
  const char *headers[] = { "Naam", "E-mail" };
  const char *rows[][2] = {
    { "Jan van der Berg", "jan@example.nl" },
    { "Berg, Jan van der", "" },
    { "Dr. Anna de Vries", "" },
    { "Vries, Dr. Anna de", "" },
    { "Madonna", "" },
    { "", "info@bakkerij.nl" },
  };
  static const char *expected[][3] = {
    { "Jan", "van der Berg", "Jan van der Berg" },
    { "Jan", "van der Berg", NULL },
    { "Anna", "de Vries", "Dr. Anna de Vries" },
    { "Anna", "de Vries", "Dr. Anna de Vries" },
    { "Madonna", NULL, "Madonna" },
    { NULL, NULL, NULL },
  };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 2);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(TesoroContact) contact = apply_row (mapping, rows[i], 2, &problems);

      g_assert_cmpuint (problems->len, ==, 0);
      assert_text (tesoro_contact_get_given_name (contact), expected[i][0]);
      assert_text (tesoro_contact_get_family_name (contact), expected[i][1]);
      assert_text (tesoro_contact_get_display_name (contact), expected[i][2]);
    }
}

static void
test_apply_flemish (void)
{
  const char *headers[] = { "Naam", "Voornaam", "GSM", "E-mail" };
  const char *row[] = { "Vandenbroucke", "Lieve", "0470 12 34 56", "lieve@telenet.be" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 4);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_import_mapping_set_default_country (mapping, "be", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_import_mapping_get_default_country (mapping), ==, "BE");

  contact = apply_row (mapping, row, 4, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (tesoro_contact_get_given_name (contact), ==, "Lieve");
  g_assert_cmpstr (tesoro_contact_get_family_name (contact), ==, "Vandenbroucke");
  g_assert_cmpstr (detail (tesoro_contact_get_phones (contact), 0)->value, ==, "+32470123456");

  g_assert_false (tesoro_import_mapping_set_default_country (mapping, "XX", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_cmpstr (tesoro_import_mapping_get_default_country (mapping), ==, "BE");
}

static void
test_apply_problems (void)
{
  const char *headers[] = { "Voornaam", "Achternaam", "E-mail", "Telefoon", "Geboortedatum", "Toestemming", "Grondslag" };
  const char *bad[] = { "Piet", "Jansen", "piet@@example", "06-1234", "31-02-1980", "misschien", "omdat het kan" };
  const char *nobody[] = { "", "", "", "020-1234567", "", "", "" };
  const char *only_bad_email[] = { "", "", "geen e-mail", "", "", "", "" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, G_N_ELEMENTS (headers));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  TesoroImportProblem *p;

  contact = apply_row (mapping, bad, G_N_ELEMENTS (bad), &problems);
  g_assert_cmpuint (problems->len, ==, 5);
  /* in column order, each naming its column and quoting its value */
  p = problems->pdata[0];
  g_assert_cmpint (p->column, ==, 2);
  g_assert_cmpstr (p->column_name, ==, "E-mail");
  g_assert_cmpstr (p->value, ==, "piet@@example");
  g_assert_nonnull (strstr (p->message, "piet@@example"));
  p = problems->pdata[1];
  g_assert_cmpint (p->column, ==, 3);
  g_assert_cmpstr (p->column_name, ==, "Telefoon");
  g_assert_nonnull (strstr (p->message, "too few digits"));
  p = problems->pdata[2];
  g_assert_cmpint (p->column, ==, 4);
  g_assert_nonnull (strstr (p->message, "31-02-1980"));
  p = problems->pdata[3];
  g_assert_cmpint (p->column, ==, 5);
  g_assert_nonnull (strstr (p->message, "misschien"));
  p = problems->pdata[4];
  g_assert_cmpint (p->column, ==, 6);
  g_assert_nonnull (strstr (p->message, "omdat het kan"));
  /* What could be read is still there, for the preview. */
  g_assert_cmpstr (tesoro_contact_get_family_name (contact), ==, "Jansen");
  g_assert_cmpuint (tesoro_contact_get_emails (contact)->len, ==, 0);
  g_assert_null (tesoro_contact_get_birthday (contact));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, nobody, G_N_ELEMENTS (nobody), &problems);
  g_assert_cmpuint (problems->len, ==, 1);
  p = problems->pdata[0];
  g_assert_cmpint (p->column, ==, -1);
  g_assert_null (p->column_name);
  g_assert_nonnull (strstr (p->message, "neither a name nor an e-mail"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, only_bad_email, G_N_ELEMENTS (only_bad_email), &problems);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpint (((TesoroImportProblem *) problems->pdata[0])->column, ==, 2);
  g_assert_cmpint (((TesoroImportProblem *) problems->pdata[1])->column, ==, -1);
}

static void
test_apply_organization_only (void)
{
  const char *headers[] = { "Bedrijf", "Telefoon" };
  const char *row[] = { "Bakkerij De Vries", "0318-123456" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 2);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = apply_row (mapping, row, 2, &problems);

  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (tesoro_contact_get_display_name (contact), ==, "Bakkerij De Vries");
  g_assert_cmpstr (tesoro_contact_get_organization (contact), ==, "Bakkerij De Vries");
  assert_text (tesoro_contact_get_given_name (contact), NULL);
  g_assert_cmpstr (detail (tesoro_contact_get_phones (contact), 0)->value, ==, "+31318123456");
}

static void
test_apply_fixed_values (void)
{
  const char *headers[] = { "E-mail", "Nieuwsbrief" };
  const char *with_answer[] = { "a@example.nl", "nee" };
  const char *without_answer[] = { "b@example.nl", "" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 2);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  TesoroConsentEvent *event;

  g_assert_true (tesoro_import_mapping_set_fixed_lawful_basis (mapping, "Gerechtvaardigd belang", &error));
  g_assert_no_error (error);
  tesoro_import_mapping_set_fixed_consent (mapping, TESORO_CONSENT_ANSWER_GRANTED);
  tesoro_import_mapping_set_consent_source (mapping, "import: nieuwsbrief.csv");

  contact = apply_row (mapping, with_answer, 2, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (tesoro_contact_get_lawful_basis (contact), ==, "legitimate_interests");
  event = tesoro_contact_get_consent (contact)->pdata[0];
  g_assert_false (event->granted);
  g_assert_cmpstr (event->source, ==, "import: nieuwsbrief.csv");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, without_answer, 2, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (tesoro_contact_get_consent (contact)->len, ==, 1);
  event = tesoro_contact_get_consent (contact)->pdata[0];
  g_assert_true (event->granted);
  g_assert_nonnull (strstr (event->evidence, "whole import"));

  g_assert_false (tesoro_import_mapping_set_fixed_lawful_basis (mapping, "because", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (tesoro_import_mapping_set_fixed_lawful_basis (mapping, NULL, &error));
  tesoro_import_mapping_set_fixed_consent (mapping, TESORO_CONSENT_ANSWER_NONE);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, without_answer, 2, &problems);
  g_assert_null (tesoro_contact_get_lawful_basis (contact));
  g_assert_cmpuint (tesoro_contact_get_consent (contact)->len, ==, 0);
}

static void
test_apply_us_dates (void)
{
  const char *headers[] = { "First Name", "Last Name", "Birthday", "Mobile Phone" };
  const char *row[] = { "Mary Ann", "Smith", "3/12/1985", "(555) 234-5678" };
  const char *values[] = { "3/12/1985", "12/25/1990", "7/4/1970" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 4);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  TesoroDateOrder order = tesoro_guess_date_order (values, G_N_ELEMENTS (values));

  g_assert_cmpint (order, ==, TESORO_DATE_ORDER_MONTH_FIRST);
  tesoro_import_mapping_set_date_order (mapping, order);
  g_assert_cmpint (tesoro_import_mapping_get_date_order (mapping), ==, TESORO_DATE_ORDER_MONTH_FIRST);
  g_assert_true (tesoro_import_mapping_set_default_country (mapping, "US", NULL));

  contact = apply_row (mapping, row, 4, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (tesoro_contact_get_birthday (contact), ==, "1985-03-12");
  g_assert_cmpstr (detail (tesoro_contact_get_phones (contact), 0)->value, ==, "+15552345678");
  g_assert_cmpstr (tesoro_contact_get_given_name (contact), ==, "Mary Ann");
}

static void
test_apply_combining (void)
{
  const char *headers[] = {
    "Voornaam", "Achternaam", "Middle Name", "E-mail", "E-mail 2", "Straat", "Huisnummer", "Toevoeging",
    "Postcode", "Plaats", "Telefoon", "Tags", "Labels", "Klantnummer", "custom/Klantnummer", "Phones",
  };
  const char *row[] = {
    "Anna", "Vries", "de", "anna@example.nl; Anna <ANNA@EXAMPLE.NL>", "anna@example.nl", "Kerkstraat", "5", "A",
    "1234AB", "Delft", "015-2123456", "klant, vip", "VIP; nieuwsbrief", "K-1", "K-1", "",
  };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, G_N_ELEMENTS (headers));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  TesoroAddress *address;
  GPtrArray *tags;

  G_STATIC_ASSERT (G_N_ELEMENTS (row) == G_N_ELEMENTS (headers));
  contact = apply_row (mapping, row, G_N_ELEMENTS (row), &problems);
  g_assert_cmpuint (problems->len, ==, 0);

  /* a middle name of particles joins the family name */
  g_assert_cmpstr (tesoro_contact_get_family_name (contact), ==, "de Vries");
  /* the same address three times is one address */
  g_assert_cmpuint (tesoro_contact_get_emails (contact)->len, ==, 1);
  address = tesoro_contact_get_addresses (contact)->pdata[0];
  g_assert_cmpstr (address->street, ==, "Kerkstraat 5A");
  tags = tesoro_contact_get_tags (contact);
  g_assert_cmpuint (tags->len, ==, 3);
  g_assert_cmpstr (tesoro_contact_get_custom_value (contact, "Klantnummer"), ==, "K-1");
}

static void
test_apply_ragged (void)
{
  const char *headers[] = { "Voornaam", "Achternaam", "E-mail", "Telefoon" };
  const char *short_row[] = { "Jan", "Jansen" };
  const char *long_row[] = { "Jan", "Jansen", "jan@example.nl", "", "extra", "more" };
  const char *null_row[] = { "Jan", NULL, NULL, NULL };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 4);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;

  contact = apply_row (mapping, short_row, 2, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (tesoro_contact_get_family_name (contact), ==, "Jansen");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, long_row, 6, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (tesoro_contact_get_emails (contact)->len, ==, 1);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, null_row, 4, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, NULL, 0, &problems);
  g_assert_cmpuint (problems->len, ==, 1);
}

static void
test_apply_hostile (void)
{
  const char *headers[] = { "Voornaam", "Opmerkingen", "Telefoon" };
  g_autofree char *huge = g_strnfill (2 * 1024 * 1024, 'x');
  const char *invalid_utf8[] = { "Jan\xff\xfe", "ok", "" };
  const char *control[] = { "Jan\x01", "", "" };
  const char *too_long[] = { "Jan", huge, "" };
  const char *note_lines[] = { "Jan", "  regel 1\r\nregel 2  ", "" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 3);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  TesoroImportProblem *p;

  contact = apply_row (mapping, invalid_utf8, 3, &problems);
  g_assert_cmpuint (problems->len, >=, 1);
  p = problems->pdata[0];
  g_assert_cmpint (p->column, ==, 0);
  g_assert_nonnull (strstr (p->message, "UTF-8"));
  g_assert_nonnull (strstr (p->message, "Voornaam"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, control, 3, &problems);
  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_nonnull (strstr (((TesoroImportProblem *) problems->pdata[0])->message, "control"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, too_long, 3, &problems);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpint (((TesoroImportProblem *) problems->pdata[0])->column, ==, 1);
  g_assert_nonnull (strstr (((TesoroImportProblem *) problems->pdata[0])->message, "too long"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&contact);

  contact = apply_row (mapping, note_lines, 3, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (((TesoroNote *) tesoro_contact_get_notes (contact)->pdata[0])->body, ==, "regel 1\r\nregel 2");
}

static void
test_apply_phones_kept (void)
{
  const char *headers[] = { "E-mail", "Telefoon" };
  const char *row[] = { "a@example.nl", "  020 - 123 45 67 " };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, 2);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;

  tesoro_import_mapping_set_normalize_phones (mapping, FALSE);
  contact = apply_row (mapping, row, 2, &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (detail (tesoro_contact_get_phones (contact), 0)->value, ==, "020 - 123 45 67");
}

/* Saved mappings */

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_json_error (TesoroImportMapping *mapping,
                   const char          *json,
                   const char          *hint)
{
  g_autoptr(JsonNode) node = parse_json (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) before = tesoro_import_mapping_to_json (mapping);
  g_autoptr(JsonNode) after = NULL;

  g_test_message ("mapping %s", json);
  g_assert_false (tesoro_import_mapping_load_json (mapping, node, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_test_message ("  → %s", error->message);
  g_assert_nonnull (strstr (error->message, hint));
  /* all or nothing */
  after = tesoro_import_mapping_to_json (mapping);
  g_assert_true (json_node_equal (before, after));
}

static void
test_json (void)
{
  const char *headers[] = { "Voornaam", "Achternaam", "E-mail", "Kleur", "Nummer", "Nummer", "" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, G_N_ELEMENTS (headers));
  g_autoptr(TesoroImportMapping) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *spec = NULL;

  node = parse_json ("{\"E-mail\": \"email/work\", \"kleur\": \"custom/Kleur\", \"#5\": \"custom/Lidnummer\","
                     " \"#7\": null, \"achter naam\": \"family_name\"}");
  g_assert_true (tesoro_import_mapping_load_json (mapping, node, &error));
  g_assert_no_error (error);
  spec = tesoro_import_mapping_dup_spec_string (mapping, 2);
  g_assert_cmpstr (spec, ==, "email/work");
  g_clear_pointer (&spec, g_free);
  spec = tesoro_import_mapping_dup_spec_string (mapping, 3);
  g_assert_cmpstr (spec, ==, "custom/Kleur");
  g_clear_pointer (&spec, g_free);
  spec = tesoro_import_mapping_dup_spec_string (mapping, 4);
  g_assert_cmpstr (spec, ==, "custom/Lidnummer");
  g_clear_pointer (&spec, g_free);
  /* columns the file does not name keep their guess */
  spec = tesoro_import_mapping_dup_spec_string (mapping, 0);
  g_assert_cmpstr (spec, ==, "given_name");
  g_assert_cmpint (tesoro_import_mapping_get_match (mapping, 0), ==, TESORO_IMPORT_MATCH_KNOWN);
  g_assert_cmpint (tesoro_import_mapping_get_match (mapping, 2), ==, TESORO_IMPORT_MATCH_USER);

  /* Saved and loaded into a fresh mapping, it is the same mapping. */
  saved = tesoro_import_mapping_to_json (mapping);
  json_generator_set_root (generator, saved);
  text = json_generator_to_data (generator, NULL);
  g_test_message ("saved: %s", text);
  g_assert_nonnull (strstr (text, "\"Voornaam\":\"given_name\""));
  g_assert_nonnull (strstr (text, "\"#5\":\"custom/Lidnummer\""));
  g_assert_nonnull (strstr (text, "\"#6\":\"ignore\""));
  g_assert_nonnull (strstr (text, "\"#7\":\"ignore\""));
  copy = tesoro_import_mapping_new (headers, G_N_ELEMENTS (headers));
  g_assert_true (tesoro_import_mapping_load_json (copy, saved, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    g_assert_true (tesoro_import_spec_equal (tesoro_import_mapping_get_spec (mapping, i),
                                             tesoro_import_mapping_get_spec (copy, i)));

  /* an array: one spec per column from the first */
  g_clear_pointer (&node, json_node_unref);
  node = parse_json ("[\"name\", \"ignore\", \"email\"]");
  g_assert_true (tesoro_import_mapping_load_json (copy, node, &error));
  g_assert_no_error (error);
  g_clear_pointer (&spec, g_free);
  spec = tesoro_import_mapping_dup_spec_string (copy, 0);
  g_assert_cmpstr (spec, ==, "name");

  assert_json_error (mapping, "{\"Telefoon\": \"phone\"}", "does not have");
  assert_json_error (mapping, "{\"Nummer\": \"custom/Nummer\"}", "several columns");
  assert_json_error (mapping, "{\"#9\": \"email\"}", "has 7 columns");
  assert_json_error (mapping, "{\"#0\": \"email\"}", "has 7 columns");
  assert_json_error (mapping, "{\"Voornaam\": \"voornaam\"}", "Voornaam");
  assert_json_error (mapping, "{\"Voornaam\": 3}", "not a text");
  assert_json_error (mapping, "{\"Voornaam\": \"name\", \"E-mail\": \"bad/spec\"}", "E-mail");
  assert_json_error (mapping, "{\"Voornaam\": \"name\", \"#1\": \"given_name\"}", "twice");
  assert_json_error (mapping, "[1, 2, 3, 4, 5, 6, 7, 8]", "has 8 columns");
  assert_json_error (mapping, "\"given_name\"", "JSON object");
}

static void
test_check (void)
{
  const char *headers[] = { "Kleur", "Telefoon", "E-mail 1 - Type", "Geboren", "Geboortedatum" };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, G_N_ELEMENTS (headers));
  g_autoptr(GError) error = NULL;

  /* no name, e-mail or organisation */
  g_assert_false (tesoro_import_mapping_check (mapping, &error));
  g_assert_nonnull (strstr (error->message, "No column"));
  g_clear_error (&error);

  /* A type column with nothing to label is not guessed as one… */
  g_assert_cmpint (tesoro_import_mapping_get_spec (mapping, 2)->field, ==, TESORO_IMPORT_IGNORE);
  g_assert_cmpint (tesoro_import_mapping_get_match (mapping, 2), ==, TESORO_IMPORT_MATCH_SKIPPED);

  /* …and set by hand, it is refused. */
  g_assert_true (tesoro_import_mapping_set_spec (mapping, 0, "name", NULL));
  g_assert_true (tesoro_import_mapping_set_spec (mapping, 2, "email/label#1", NULL));
  g_assert_false (tesoro_import_mapping_check (mapping, &error));
  g_assert_nonnull (strstr (error->message, "E-mail 1 - Type"));
  g_clear_error (&error);

  /* two birthdays */
  g_assert_true (tesoro_import_mapping_set_spec (mapping, 2, "ignore", NULL));
  g_assert_false (tesoro_import_mapping_check (mapping, &error));
  g_assert_nonnull (strstr (error->message, "Geboren"));
  g_assert_nonnull (strstr (error->message, "Geboortedatum"));
  g_clear_error (&error);

  g_assert_true (tesoro_import_mapping_set_spec (mapping, 4, "custom/Geboortedatum", NULL));
  g_assert_true (tesoro_import_mapping_check (mapping, &error));
  g_assert_no_error (error);

  /* a bad spec changes nothing */
  g_assert_false (tesoro_import_mapping_set_spec (mapping, 0, "voornaam", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_cmpint (tesoro_import_mapping_get_spec (mapping, 0)->field, ==, TESORO_IMPORT_NAME);
}

static void
test_mapping_basics (void)
{
  const char *headers[] = { "Voornaam", NULL, "  " };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new (headers, 3);
  g_autoptr(TesoroImportMapping) none = tesoro_import_mapping_new_auto (NULL, 2);
  g_autoptr(TesoroImportMapping) copy = NULL;
  g_autofree char *n0 = tesoro_import_mapping_dup_column_name (mapping, 0);
  g_autofree char *n1 = tesoro_import_mapping_dup_column_name (mapping, 1);
  g_autofree char *n2 = tesoro_import_mapping_dup_column_name (mapping, 2);
  g_autofree char *s0 = tesoro_import_mapping_dup_spec_string (mapping, 0);

  g_assert_cmpstr (n0, ==, "Voornaam");
  g_assert_cmpstr (n1, ==, "column 2");
  g_assert_cmpstr (n2, ==, "column 3");
  /* new() guesses nothing */
  g_assert_cmpstr (s0, ==, "ignore");
  g_assert_cmpstr (tesoro_import_mapping_get_default_country (mapping), ==, "NL");
  g_assert_cmpint (tesoro_import_mapping_get_date_order (mapping), ==, TESORO_DATE_ORDER_UNKNOWN);

  tesoro_import_mapping_guess (mapping);
  g_clear_pointer (&s0, g_free);
  s0 = tesoro_import_mapping_dup_spec_string (mapping, 0);
  g_assert_cmpstr (s0, ==, "given_name");

  copy = tesoro_import_mapping_copy (mapping);
  g_assert_true (tesoro_import_mapping_set_spec (mapping, 0, "family_name", NULL));
  g_assert_cmpint (tesoro_import_mapping_get_spec (copy, 0)->field, ==, TESORO_IMPORT_GIVEN_NAME);

  g_assert_null (tesoro_import_mapping_get_header (none, 0));
  g_assert_cmpint (tesoro_import_mapping_get_spec (none, 1)->field, ==, TESORO_IMPORT_IGNORE);

  g_assert_true (g_type_is_a (TESORO_TYPE_IMPORT_MAPPING, G_TYPE_BOXED));
  g_assert_true (g_type_is_a (TESORO_TYPE_IMPORT_SPEC, G_TYPE_BOXED));
}

/* The sample exports written for the import tests */

static gboolean
has_name_or_email (TesoroContact *contact)
{
  const char *given = tesoro_contact_get_given_name (contact);
  const char *family = tesoro_contact_get_family_name (contact);
  const char *display = tesoro_contact_get_display_name (contact);

  return (given != NULL && *given != '\0') || (family != NULL && *family != '\0') ||
         (display != NULL && *display != '\0') || tesoro_contact_get_emails (contact)->len > 0;
}

typedef struct
{
  const char *file;
  const char * const *skipped;   /* headers that may stay unmapped */
} SampleFile;

static void
test_sample_file (gconstpointer data)
{
  const SampleFile *sample = data;
  g_autofree char *path = g_build_filename (TESORO_TEST_DATA, "csv", sample->file, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(TesoroImportMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) unmapped = g_string_new (NULL);
  TesoroCsvOptions options;
  const char * const *header;
  guint n_columns, n_rows = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf ("%s does not exist yet", path);
      g_test_skip (message);
      return;
    }

  tesoro_csv_options_init (&options);
  reader = tesoro_csv_reader_new_for_file (file, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tesoro_csv_reader_prepare (reader, NULL, &error));
  g_assert_no_error (error);
  header = tesoro_csv_reader_get_header (reader);
  n_columns = tesoro_csv_reader_get_expected_n_fields (reader);
  g_assert_nonnull (header);
  g_assert_cmpuint (n_columns, >, 5);

  mapping = tesoro_import_mapping_new_auto (header, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      g_autofree char *spec = tesoro_import_mapping_dup_spec_string (mapping, i);

      g_test_message ("%s: “%s” → %s", sample->file, header[i], spec);
      if (g_str_equal (spec, "ignore"))
        {
          g_string_append_printf (unmapped, "%s“%s”", unmapped->len ? ", " : "", header[i]);
          /* Only the columns that carry nothing Tesoro keeps may stay unmapped. */
          g_assert_true (g_strv_contains (sample->skipped, header[i]));
          g_assert_cmpint (tesoro_import_mapping_get_match (mapping, i), ==, TESORO_IMPORT_MATCH_SKIPPED);
        }
    }
  g_test_message ("%s: not mapped: %s", sample->file, unmapped->len ? unmapped->str : "none");
  g_assert_true (tesoro_import_mapping_check (mapping, &error));
  g_assert_no_error (error);

  /* Every row makes a valid contact with a name or an e-mail address. */
  while (tesoro_csv_reader_next (reader, NULL, &error))
    {
      g_auto(GStrv) fields = tesoro_csv_reader_dup_fields (reader);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(TesoroContact) contact = NULL;

      contact = apply_row (mapping, (const char * const *) fields, g_strv_length (fields), &problems);
      g_autofree char *best = tesoro_contact_dup_best_name (contact);
      GPtrArray *custom = tesoro_contact_get_custom_values (contact);

      g_test_message ("%s line %" G_GUINT64_FORMAT ": %s, %u problems", sample->file,
                      tesoro_csv_reader_get_line (reader), best, problems->len);
      /* The samples are clean exports: they import without a problem. */
      g_assert_cmpuint (problems->len, ==, 0);
      g_assert_true (has_name_or_email (contact));
      g_assert_true (tesoro_contact_validate (contact, NULL));
      for (guint i = 0; i < custom->len; i++)
        g_assert_false (tesoro_date_is_blank (((TesoroCustomValue *) custom->pdata[i])->value));
      n_rows++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, >, 0);
}

/* Data minimisation: a column that maps to a field switched off is not
 * imported, however the mapping came about. */
static void
test_disabled_fields (void)
{
  const char *headers[] = { "Voornaam", "Geboortedatum", "E-mail", "Klantnummer" };
  const char *row[] = { "Jan", "12-03-1975", "jan@example.nl", "K-1" };
  const char * const disabled[] = { "birthday", "custom:klantnummer", NULL };
  g_autoptr(TesoroImportMapping) mapping = tesoro_import_mapping_new_auto (headers, G_N_ELEMENTS (headers));
  g_autoptr(TesoroImportMapping) copy = NULL;
  g_autoptr(GPtrArray) choices = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gboolean offers_birthday = FALSE, offers_email = FALSE;

  g_assert_cmpint (tesoro_import_mapping_get_spec (mapping, 1)->field, ==, TESORO_IMPORT_BIRTHDAY);
  g_assert_cmpint (tesoro_import_mapping_get_spec (mapping, 3)->field, ==, TESORO_IMPORT_CUSTOM);

  tesoro_import_mapping_set_disabled_fields (mapping, disabled);
  g_assert_cmpint (tesoro_import_mapping_get_spec (mapping, 0)->field, ==, TESORO_IMPORT_GIVEN_NAME);
  g_assert_cmpint (tesoro_import_mapping_get_spec (mapping, 1)->field, ==, TESORO_IMPORT_IGNORE);
  g_assert_cmpint (tesoro_import_mapping_get_match (mapping, 1), ==, TESORO_IMPORT_MATCH_SKIPPED);
  g_assert_cmpint (tesoro_import_mapping_get_spec (mapping, 2)->field, ==, TESORO_IMPORT_EMAIL);
  g_assert_cmpint (tesoro_import_mapping_get_spec (mapping, 3)->field, ==, TESORO_IMPORT_IGNORE);

  /* Not offered, and not accepted when asked for. */
  choices = tesoro_import_mapping_list_choices (mapping, 1, NULL);
  for (guint i = 0; i < choices->len; i++)
    {
      const char *spec = ((TesoroImportChoice *) choices->pdata[i])->spec;

      offers_birthday |= g_str_equal (spec, "birthday");
      offers_email |= g_str_equal (spec, "email/work");
    }
  g_assert_false (offers_birthday);
  g_assert_true (offers_email);
  g_assert_false (tesoro_import_mapping_set_spec (mapping, 1, "birthday", &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "switched off"));
  g_clear_error (&error);

  /* A saved mapping that names it maps it to "Do not import" too, and a
   * copy keeps the rule. */
  copy = tesoro_import_mapping_copy (mapping);
  g_assert_true (json_parser_load_from_data (parser, "{\"Geboortedatum\": \"birthday\"}", -1, NULL));
  g_assert_true (tesoro_import_mapping_load_json (copy, json_parser_get_root (parser), &error));
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_import_mapping_get_spec (copy, 1)->field, ==, TESORO_IMPORT_IGNORE);

  contact = tesoro_import_mapping_apply (copy, row, G_N_ELEMENTS (row), &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (tesoro_contact_get_given_name (contact), ==, "Jan");
  g_assert_null (tesoro_contact_get_birthday (contact));
  g_assert_null (tesoro_contact_get_custom_value (contact, "Klantnummer"));
  g_assert_cmpuint (tesoro_contact_get_emails (contact)->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const google_skipped[] = {
    "Yomi Name", "Given Name Yomi", "Additional Name Yomi", "Family Name Yomi", "Phonetic First Name",
    "Phonetic Middle Name", "Phonetic Last Name", "Initials", "Short Name", "File As", "Gender",
    "Location", "Billing Information", "Directory Server", "Mileage", "Hobby", "Sensitivity",
    "Priority", "Subject", "Photo", "Organization 1 - Type", "Organization 1 - Yomi Name",
    "Organization 1 - Symbol", "Organization 1 - Location", "Organization 1 - Job Description",
    "Website 1 - Type", "Website 1 - Label", NULL
  };
  static const char * const outlook_skipped[] = {
    "Assistant's Phone", "Telex", "Account", "Assistant's Name", "Billing Information", "Children",
    "Directory Server", "E-mail Type", "E-mail Display Name", "E-mail 2 Type", "E-mail 2 Display Name",
    "E-mail 3 Type", "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Initials",
    "Internet Free Busy", "Location", "Manager's Name", "Mileage", "Office Location",
    "Organizational ID Number", "Priority", "Private", "Referred By", "Sensitivity", "Spouse", NULL
  };
  static const SampleFile google = { "google-contacts.csv", google_skipped };
  static const SampleFile outlook = { "outlook.csv", outlook_skipped };

  g_setenv ("TESORO_NOW", PINNED_NOW, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-map/spec/parse", test_spec_parse);
  g_test_add_func ("/import-map/spec/fields", test_spec_fields);
  g_test_add_func ("/import-map/spec/describe", test_spec_describe);
  g_test_add_func ("/import-map/choices", test_choices);
  g_test_add_func ("/import-map/headers/keys", test_header_keys);
  g_test_add_func ("/import-map/headers/signature", test_signature);
  g_test_add_func ("/import-map/guess/google-old", test_guess_google_old);
  g_test_add_func ("/import-map/guess/google-new", test_guess_google_new);
  g_test_add_func ("/import-map/guess/outlook", test_guess_outlook);
  g_test_add_func ("/import-map/guess/dutch", test_guess_dutch);
  g_test_add_func ("/import-map/guess/variants", test_guess_variants);
  g_test_add_func ("/import-map/guess/context", test_guess_context);
  g_test_add_func ("/import-map/apply/dutch", test_apply_dutch);
  g_test_add_func ("/import-map/apply/google", test_apply_google);
  g_test_add_func ("/import-map/apply/google-formatted", test_apply_google_formatted_only);
  g_test_add_func ("/import-map/apply/outlook", test_apply_outlook);
  g_test_add_func ("/import-map/apply/name-split", test_apply_name_split);
  g_test_add_func ("/import-map/apply/flemish", test_apply_flemish);
  g_test_add_func ("/import-map/apply/problems", test_apply_problems);
  g_test_add_func ("/import-map/apply/organization-only", test_apply_organization_only);
  g_test_add_func ("/import-map/apply/fixed-values", test_apply_fixed_values);
  g_test_add_func ("/import-map/apply/us-dates", test_apply_us_dates);
  g_test_add_func ("/import-map/apply/combining", test_apply_combining);
  g_test_add_func ("/import-map/apply/ragged", test_apply_ragged);
  g_test_add_func ("/import-map/apply/hostile", test_apply_hostile);
  g_test_add_func ("/import-map/apply/phones-kept", test_apply_phones_kept);
  g_test_add_func ("/import-map/json", test_json);
  g_test_add_func ("/import-map/check", test_check);
  g_test_add_func ("/import-map/basics", test_mapping_basics);
  g_test_add_func ("/import-map/disabled-fields", test_disabled_fields);
  g_test_add_data_func ("/import-map/samples/google-contacts", &google, test_sample_file);
  g_test_add_data_func ("/import-map/samples/outlook", &outlook, test_sample_file);

  return g_test_run ();
}
