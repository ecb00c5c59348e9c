/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tesoro-contact.h"
#include "tesoro-normalize.h"

G_BEGIN_DECLS

/*
 * Column mapping for imports: which Tesoro field each column of a CSV file
 * fills, guessed from the header row (English, Dutch, Google Contacts and
 * Outlook exports), changed by the user, saved as JSON, and applied to a
 * row to build a TesoroContact with the row's problems. No store access and
 * no file reading: the CSV/vCard readers supply headers and rows, the
 * import engine stores what comes out.
 *
 * Field specs
 * ===========
 * What a column maps to is written as a short string, the "spec". The same
 * strings are used in `--mapping FILE.json`, in the GUI's drop-downs (with
 * a translated label, see tesoro_import_spec_describe()) and as the values
 * of the JSON `mapping` of `tesoro-cli import --preview --json`.
 *
 *   ignore                    the column is not imported
 *   given_name                given name(s)
 *   middle_name               a middle name; made of particles only
 *                             ("van der") it joins the family name,
 *                             otherwise it follows the given name
 *   family_name_particle      Dutch "tussenvoegsel": put before the family
 *                             name ("van der" + "Berg" = "van der Berg")
 *   family_name               family name
 *   name                      a full name, split with tesoro_split_name()
 *                             when the row has no given or family name
 *                             column; as written, it also becomes the
 *                             display name (titles included), except in
 *                             the comma form "Berg, Jan van der", which
 *                             is shown as "Jan van der Berg"
 *   display_name              the name shown in lists
 *   organization, job_title   organisation and job title
 *   birthday                  a date, see tesoro_normalize_date()
 *   email[/LABEL][#N]         an e-mail address; LABEL is work, home or
 *                             other (the default)
 *   phone[/LABEL][#N]         a phone number; LABEL is mobile, work, home,
 *                             fax or other (the default)
 *   address[/LABEL][/PART][#N]
 *                             part of a postal address; LABEL is work,
 *                             home or other (the default); PART is street,
 *                             house_number, postal_code, city, region,
 *                             country, or full (the default: the whole
 *                             address in one cell)
 *   email/label[#N], phone/label[#N], address/label[#N]
 *                             a "type" column: its value ("Home", "Work",
 *                             "* Mobile", "Privé"…) labels the e-mail,
 *                             phone or address columns of the same group N
 *                             in the same row, overriding their LABEL
 *   note                      the text becomes a note on the contact
 *   tags                      tags separated by , or ; (Google's " ::: "
 *                             too; Google's system groups are dropped)
 *   lawful_basis              see tesoro_normalize_lawful_basis()
 *   consent                   marketing consent: yes/no, ja/nee,
 *                             true/false, 1/0, granted/withdrawn…
 *   custom/NAME               the custom field NAME (any text, kept as
 *                             written)
 *
 * `#N` (1 to 999) is a group number that ties columns together: Google's
 * "E-mail 1 - Type" is `email/label#1` and labels "E-mail 1 - Value",
 * `email/other#1`; the parts of one address share their label and group.
 * Keywords are read case-insensitively; tesoro_import_spec_to_string()
 * writes the canonical form (`email` is written `email/other`, `address`
 * is written `address/other/full`).
 *
 * Applying a mapping to a row
 * ===========================
 * Values are trimmed; empty cells are skipped. Several columns of one
 * field are combined: names with a space, organisation and job title with
 * ", ", custom fields with ", ", street lines with ", " (a house number
 * follows the street with a space); birthday, lawful basis, consent and
 * the other address parts take the first value. A cell of e-mail
 * addresses or phone numbers may hold several (`;` or Google's ` ::: `).
 * The first e-mail address and the first phone number are primary. An
 * address from `full` is used only when the same address has no other
 * part in the row (Google's "Formatted" repeats the parts). A row without
 * a person's name but with an organisation gets the organisation as its
 * display name.
 */

/**
 * TesoroImportField:
 * @TESORO_IMPORT_IGNORE: not imported
 * @TESORO_IMPORT_GIVEN_NAME: given name
 * @TESORO_IMPORT_MIDDLE_NAME: middle name
 * @TESORO_IMPORT_FAMILY_NAME_PARTICLE: the particles of the family name
 * @TESORO_IMPORT_FAMILY_NAME: family name
 * @TESORO_IMPORT_NAME: a full name to split
 * @TESORO_IMPORT_DISPLAY_NAME: display name
 * @TESORO_IMPORT_ORGANIZATION: organisation
 * @TESORO_IMPORT_JOB_TITLE: job title
 * @TESORO_IMPORT_BIRTHDAY: birthday
 * @TESORO_IMPORT_EMAIL: an e-mail address
 * @TESORO_IMPORT_EMAIL_LABEL: the label of the e-mail addresses of a group
 * @TESORO_IMPORT_PHONE: a phone number
 * @TESORO_IMPORT_PHONE_LABEL: the label of the phone numbers of a group
 * @TESORO_IMPORT_ADDRESS: part of a postal address
 * @TESORO_IMPORT_ADDRESS_LABEL: the label of the address of a group
 * @TESORO_IMPORT_NOTE: a note
 * @TESORO_IMPORT_TAGS: tags
 * @TESORO_IMPORT_LAWFUL_BASIS: the lawful basis
 * @TESORO_IMPORT_CONSENT: marketing consent
 * @TESORO_IMPORT_CUSTOM: a custom field
 */
typedef enum
{
  TESORO_IMPORT_IGNORE,
  TESORO_IMPORT_GIVEN_NAME,
  TESORO_IMPORT_MIDDLE_NAME,
  TESORO_IMPORT_FAMILY_NAME_PARTICLE,
  TESORO_IMPORT_FAMILY_NAME,
  TESORO_IMPORT_NAME,
  TESORO_IMPORT_DISPLAY_NAME,
  TESORO_IMPORT_ORGANIZATION,
  TESORO_IMPORT_JOB_TITLE,
  TESORO_IMPORT_BIRTHDAY,
  TESORO_IMPORT_EMAIL,
  TESORO_IMPORT_EMAIL_LABEL,
  TESORO_IMPORT_PHONE,
  TESORO_IMPORT_PHONE_LABEL,
  TESORO_IMPORT_ADDRESS,
  TESORO_IMPORT_ADDRESS_LABEL,
  TESORO_IMPORT_NOTE,
  TESORO_IMPORT_TAGS,
  TESORO_IMPORT_LAWFUL_BASIS,
  TESORO_IMPORT_CONSENT,
  TESORO_IMPORT_CUSTOM,
} TesoroImportField;

/**
 * TesoroAddressPart:
 * @TESORO_ADDRESS_PART_NONE: not an address part
 * @TESORO_ADDRESS_PART_FULL: the whole address in one cell
 * @TESORO_ADDRESS_PART_STREET: street (several street columns are joined)
 * @TESORO_ADDRESS_PART_HOUSE_NUMBER: house number, appended to the street
 * @TESORO_ADDRESS_PART_POSTAL_CODE: postal code
 * @TESORO_ADDRESS_PART_CITY: city
 * @TESORO_ADDRESS_PART_REGION: region, state or province
 * @TESORO_ADDRESS_PART_COUNTRY: country
 */
typedef enum
{
  TESORO_ADDRESS_PART_NONE,
  TESORO_ADDRESS_PART_FULL,
  TESORO_ADDRESS_PART_STREET,
  TESORO_ADDRESS_PART_HOUSE_NUMBER,
  TESORO_ADDRESS_PART_POSTAL_CODE,
  TESORO_ADDRESS_PART_CITY,
  TESORO_ADDRESS_PART_REGION,
  TESORO_ADDRESS_PART_COUNTRY,
} TesoroAddressPart;

/* The highest group number a spec may carry. */
#define TESORO_IMPORT_MAX_GROUP 999

/**
 * TesoroImportSpec:
 * @field: what the column holds
 * @label: for e-mail, phone and address: the label ("work", "mobile", …);
 *   %NULL otherwise
 * @part: for an address: which part
 * @custom_name: for a custom field: its name
 * @group: 0, or the group that ties value columns to their label column
 *
 * A parsed field spec; see the syntax above.
 */
typedef struct
{
  TesoroImportField  field;
  char              *label;
  TesoroAddressPart  part;
  char              *custom_name;
  guint              group;
} TesoroImportSpec;

#define TESORO_TYPE_IMPORT_SPEC (tesoro_import_spec_get_type ())

GType             tesoro_import_spec_get_type   (void) G_GNUC_CONST;
TesoroImportSpec *tesoro_import_spec_new        (TesoroImportField        field);
TesoroImportSpec *tesoro_import_spec_parse      (const char              *text,
                                                 GError                 **error);
TesoroImportSpec *tesoro_import_spec_copy       (const TesoroImportSpec  *spec);
void              tesoro_import_spec_free       (TesoroImportSpec        *spec);
gboolean          tesoro_import_spec_equal      (const TesoroImportSpec  *a,
                                                 const TesoroImportSpec  *b);
char             *tesoro_import_spec_to_string  (const TesoroImportSpec  *spec);
char             *tesoro_import_spec_describe   (const TesoroImportSpec  *spec);
char             *tesoro_import_spec_canonicalize (const char            *text,
                                                   GError               **error);

/**
 * TesoroImportChoice:
 * @spec: a canonical field spec
 * @label: what to show in a drop-down, in the user's language
 * @section: the heading it belongs under ("Name", "E-mail", …), translated
 *
 * One entry of the list of fields a column can be mapped to.
 */
typedef struct
{
  char *spec;
  char *label;
  char *section;
} TesoroImportChoice;

GPtrArray        *tesoro_import_list_choices    (const char * const      *custom_names);
void              tesoro_import_choice_free     (TesoroImportChoice      *choice);

/* Headers */

char             *tesoro_import_header_key      (const char              *header);
char             *tesoro_import_layout_signature (const char * const     *headers,
                                                  guint                   n_columns);

/**
 * TesoroImportMatch:
 * @TESORO_IMPORT_MATCH_NONE: the header is unknown: the column is ignored
 *   (a front end may offer `custom/HEADER`)
 * @TESORO_IMPORT_MATCH_KNOWN: the header was recognised and mapped
 * @TESORO_IMPORT_MATCH_SKIPPED: the header was recognised as one whose
 *   content Tesoro does not keep on purpose: derived from other columns
 *   (Outlook's "E-mail Display Name", "Initials"), bookkeeping of the
 *   exporting program ("Sensitivity", "Priority", Google's "Yomi" names),
 *   or personal data of other people and of special categories that a CRM
 *   should not collect (data minimisation: "Spouse", "Children", "Gender",
 *   "Government ID Number")
 * @TESORO_IMPORT_MATCH_USER: set by the user or by a mapping file
 *
 * How a column's mapping came about.
 */
typedef enum
{
  TESORO_IMPORT_MATCH_NONE,
  TESORO_IMPORT_MATCH_KNOWN,
  TESORO_IMPORT_MATCH_SKIPPED,
  TESORO_IMPORT_MATCH_USER,
} TesoroImportMatch;

TesoroImportSpec *tesoro_import_guess_spec      (const char              *header,
                                                 TesoroImportMatch       *match);

/* Mappings */

typedef struct _TesoroImportMapping TesoroImportMapping;

#define TESORO_TYPE_IMPORT_MAPPING (tesoro_import_mapping_get_type ())

GType                tesoro_import_mapping_get_type       (void) G_GNUC_CONST;
TesoroImportMapping *tesoro_import_mapping_new            (const char * const    *headers,
                                                           guint                  n_columns);
TesoroImportMapping *tesoro_import_mapping_new_auto       (const char * const    *headers,
                                                           guint                  n_columns);
TesoroImportMapping *tesoro_import_mapping_ref            (TesoroImportMapping   *self);
void                 tesoro_import_mapping_unref          (TesoroImportMapping   *self);
TesoroImportMapping *tesoro_import_mapping_copy           (TesoroImportMapping   *self);

void                 tesoro_import_mapping_guess          (TesoroImportMapping   *self);
guint                tesoro_import_mapping_get_n_columns  (TesoroImportMapping   *self);
const char          *tesoro_import_mapping_get_header     (TesoroImportMapping   *self,
                                                           guint                  column);
char                *tesoro_import_mapping_dup_column_name (TesoroImportMapping  *self,
                                                            guint                 column);
const TesoroImportSpec *tesoro_import_mapping_get_spec    (TesoroImportMapping   *self,
                                                           guint                  column);
char                *tesoro_import_mapping_dup_spec_string (TesoroImportMapping  *self,
                                                            guint                 column);
TesoroImportMatch    tesoro_import_mapping_get_match      (TesoroImportMapping   *self,
                                                           guint                  column);
gboolean             tesoro_import_mapping_set_spec       (TesoroImportMapping   *self,
                                                           guint                  column,
                                                           const char            *spec,
                                                           GError               **error);
char                *tesoro_import_mapping_get_signature  (TesoroImportMapping   *self);
GPtrArray           *tesoro_import_mapping_list_choices   (TesoroImportMapping   *self,
                                                           guint                  column,
                                                           const char * const    *custom_names);

void                 tesoro_import_mapping_set_disabled_fields (TesoroImportMapping *self,
                                                                const char * const  *keys);
gboolean             tesoro_import_mapping_set_default_country (TesoroImportMapping *self,
                                                                const char          *country,
                                                                GError             **error);
const char          *tesoro_import_mapping_get_default_country (TesoroImportMapping *self);
void                 tesoro_import_mapping_set_date_order (TesoroImportMapping   *self,
                                                           TesoroDateOrder        order);
TesoroDateOrder      tesoro_import_mapping_get_date_order (TesoroImportMapping   *self);
void                 tesoro_import_mapping_set_normalize_phones (TesoroImportMapping *self,
                                                                 gboolean             normalize);
void                 tesoro_import_mapping_set_consent_source (TesoroImportMapping *self,
                                                               const char          *source);
gboolean             tesoro_import_mapping_set_fixed_lawful_basis (TesoroImportMapping *self,
                                                                   const char          *basis,
                                                                   GError             **error);
void                 tesoro_import_mapping_set_fixed_consent (TesoroImportMapping *self,
                                                              TesoroConsentAnswer  answer);

gboolean             tesoro_import_mapping_check          (TesoroImportMapping   *self,
                                                           GError               **error);

gboolean             tesoro_import_mapping_load_json      (TesoroImportMapping   *self,
                                                           JsonNode              *node,
                                                           GError               **error);
JsonNode            *tesoro_import_mapping_to_json        (TesoroImportMapping   *self);

/**
 * TesoroImportProblem:
 * @column: the column at fault (0-based), or -1 for the row as a whole
 * @column_name: the column's header, or "column N" when it has none;
 *   %NULL for the row as a whole
 * @value: the value at fault, or %NULL
 * @message: what is wrong, in the user's language, quoting the value
 *
 * Something in a row that keeps it from being imported as it is.
 */
typedef struct
{
  int   column;
  char *column_name;
  char *value;
  char *message;
} TesoroImportProblem;

void                 tesoro_import_problem_free           (TesoroImportProblem   *problem);

TesoroContact       *tesoro_import_mapping_apply          (TesoroImportMapping   *self,
                                                           const char * const    *values,
                                                           guint                  n_values,
                                                           GPtrArray            **problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroImportSpec, tesoro_import_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroImportChoice, tesoro_import_choice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroImportMapping, tesoro_import_mapping_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroImportProblem, tesoro_import_problem_free)

G_END_DECLS
