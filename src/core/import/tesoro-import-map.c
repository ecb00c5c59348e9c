/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import-map"

#include "config.h"

#include "tesoro-import-map.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tesoro-data-field.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

struct _TesoroImportMapping
{
  gatomicrefcount     ref_count;
  guint               n_columns;
  char              **headers;      /* n_columns entries, each nullable; NULL without a header row */
  TesoroImportSpec  **specs;        /* n_columns entries, never NULL */
  TesoroImportMatch  *matches;      /* n_columns entries */
  char               *default_country;
  TesoroDateOrder     date_order;
  gboolean            normalize_phones;
  char               *consent_source;
  char               *fixed_lawful_basis;
  TesoroConsentAnswer fixed_consent;
  char              **disabled;     /* field keys switched off (tesoro-data-field.h), or NULL */
};

G_DEFINE_BOXED_TYPE (TesoroImportSpec, tesoro_import_spec,
                     tesoro_import_spec_copy, tesoro_import_spec_free)
G_DEFINE_BOXED_TYPE (TesoroImportMapping, tesoro_import_mapping,
                     tesoro_import_mapping_ref, tesoro_import_mapping_unref)

/* Headers longer than this are not offered as custom field names. */
#define MAX_CUSTOM_NAME_FROM_HEADER 100

/* Field names */

static const struct
{
  TesoroImportField  field;
  const char        *name;
} simple_fields[] = {
  { TESORO_IMPORT_IGNORE, "ignore" },
  { TESORO_IMPORT_GIVEN_NAME, "given_name" },
  { TESORO_IMPORT_MIDDLE_NAME, "middle_name" },
  { TESORO_IMPORT_FAMILY_NAME_PARTICLE, "family_name_particle" },
  { TESORO_IMPORT_FAMILY_NAME, "family_name" },
  { TESORO_IMPORT_NAME, "name" },
  { TESORO_IMPORT_DISPLAY_NAME, "display_name" },
  { TESORO_IMPORT_ORGANIZATION, "organization" },
  { TESORO_IMPORT_JOB_TITLE, "job_title" },
  { TESORO_IMPORT_BIRTHDAY, "birthday" },
  { TESORO_IMPORT_NOTE, "note" },
  { TESORO_IMPORT_TAGS, "tags" },
  { TESORO_IMPORT_LAWFUL_BASIS, "lawful_basis" },
  { TESORO_IMPORT_CONSENT, "consent" },
};

/* Other spellings accepted when parsing; never written. */
static const struct
{
  const char        *alias;
  TesoroImportField  field;
} field_aliases[] = {
  { "first_name", TESORO_IMPORT_GIVEN_NAME },
  { "last_name", TESORO_IMPORT_FAMILY_NAME },
  { "surname", TESORO_IMPORT_FAMILY_NAME },
  { "tussenvoegsel", TESORO_IMPORT_FAMILY_NAME_PARTICLE },
  { "full_name", TESORO_IMPORT_NAME },
  { "organisation", TESORO_IMPORT_ORGANIZATION },
  { "company", TESORO_IMPORT_ORGANIZATION },
  { "notes", TESORO_IMPORT_NOTE },
  { "tag", TESORO_IMPORT_TAGS },
  { "skip", TESORO_IMPORT_IGNORE },
  { "none", TESORO_IMPORT_IGNORE },
};

static const char * const address_part_names[] = {
  [TESORO_ADDRESS_PART_NONE] = NULL,
  [TESORO_ADDRESS_PART_FULL] = "full",
  [TESORO_ADDRESS_PART_STREET] = "street",
  [TESORO_ADDRESS_PART_HOUSE_NUMBER] = "house_number",
  [TESORO_ADDRESS_PART_POSTAL_CODE] = "postal_code",
  [TESORO_ADDRESS_PART_CITY] = "city",
  [TESORO_ADDRESS_PART_REGION] = "region",
  [TESORO_ADDRESS_PART_COUNTRY] = "country",
};

static TesoroDetailKind
detail_kind (TesoroImportField field)
{
  switch (field)
    {
    case TESORO_IMPORT_EMAIL:
    case TESORO_IMPORT_EMAIL_LABEL:
      return TESORO_DETAIL_EMAIL;
    case TESORO_IMPORT_PHONE:
    case TESORO_IMPORT_PHONE_LABEL:
      return TESORO_DETAIL_PHONE;
    case TESORO_IMPORT_ADDRESS:
    case TESORO_IMPORT_ADDRESS_LABEL:
    default:
      return TESORO_DETAIL_ADDRESS;
    }
}

static gboolean
is_label_field (TesoroImportField field)
{
  return field == TESORO_IMPORT_EMAIL_LABEL || field == TESORO_IMPORT_PHONE_LABEL ||
         field == TESORO_IMPORT_ADDRESS_LABEL;
}

/* The field (tesoro-data-field.h) a spec fills, as a key; NULL for the
 * name, the lawful basis, consent, notes and "ignore", which are never
 * switched off. */
static char *
spec_field_key (const TesoroImportSpec *spec)
{
  switch (spec->field)
    {
    case TESORO_IMPORT_ORGANIZATION: return g_strdup (tesoro_data_field_to_key (TESORO_DATA_FIELD_ORGANIZATION));
    case TESORO_IMPORT_JOB_TITLE: return g_strdup (tesoro_data_field_to_key (TESORO_DATA_FIELD_JOB_TITLE));
    case TESORO_IMPORT_BIRTHDAY: return g_strdup (tesoro_data_field_to_key (TESORO_DATA_FIELD_BIRTHDAY));
    case TESORO_IMPORT_EMAIL:
    case TESORO_IMPORT_EMAIL_LABEL: return g_strdup (tesoro_data_field_to_key (TESORO_DATA_FIELD_EMAILS));
    case TESORO_IMPORT_PHONE:
    case TESORO_IMPORT_PHONE_LABEL: return g_strdup (tesoro_data_field_to_key (TESORO_DATA_FIELD_PHONES));
    case TESORO_IMPORT_ADDRESS:
    case TESORO_IMPORT_ADDRESS_LABEL: return g_strdup (tesoro_data_field_to_key (TESORO_DATA_FIELD_ADDRESSES));
    case TESORO_IMPORT_TAGS: return g_strdup (tesoro_data_field_to_key (TESORO_DATA_FIELD_TAGS));
    case TESORO_IMPORT_CUSTOM: return tesoro_data_field_custom_key (spec->custom_name);
    default: return NULL;
    }
}

static gboolean
spec_is_disabled (TesoroImportMapping    *self,
                  const TesoroImportSpec *spec)
{
  g_autofree char *key = NULL;

  if (self->disabled == NULL)
    return FALSE;
  key = spec_field_key (spec);
  return tesoro_data_field_keys_contain ((const char * const *) self->disabled, key);
}

/* Columns mapped to a field that is switched off are not imported. */
static void
drop_disabled (TesoroImportMapping *self)
{
  for (guint i = 0; i < self->n_columns; i++)
    if (spec_is_disabled (self, self->specs[i]))
      {
        tesoro_import_spec_free (self->specs[i]);
        self->specs[i] = tesoro_import_spec_new (TESORO_IMPORT_IGNORE);
        self->matches[i] = TESORO_IMPORT_MATCH_SKIPPED;
      }
}

/* Field specs */

/**
 * tesoro_import_spec_new:
 * @field: what the column holds
 *
 * Returns: (transfer full): a spec for @field with the default label
 * ("other") and part ("full") where it takes them
 */
TesoroImportSpec *
tesoro_import_spec_new (TesoroImportField field)
{
  TesoroImportSpec *spec = g_new0 (TesoroImportSpec, 1);

  spec->field = field;
  if (field == TESORO_IMPORT_EMAIL || field == TESORO_IMPORT_PHONE || field == TESORO_IMPORT_ADDRESS)
    spec->label = g_strdup ("other");
  if (field == TESORO_IMPORT_ADDRESS)
    spec->part = TESORO_ADDRESS_PART_FULL;

  return spec;
}

/**
 * tesoro_import_spec_copy:
 *
 * Returns: (transfer full): a copy of @spec
 */
TesoroImportSpec *
tesoro_import_spec_copy (const TesoroImportSpec *spec)
{
  TesoroImportSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_new0 (TesoroImportSpec, 1);
  copy->field = spec->field;
  copy->label = g_strdup (spec->label);
  copy->part = spec->part;
  copy->custom_name = g_strdup (spec->custom_name);
  copy->group = spec->group;

  return copy;
}

/**
 * tesoro_import_spec_free:
 * @spec: (nullable): a spec
 */
void
tesoro_import_spec_free (TesoroImportSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->label);
  g_free (spec->custom_name);
  g_free (spec);
}

/**
 * tesoro_import_spec_equal:
 *
 * Returns: whether @a and @b map a column to the same thing
 */
gboolean
tesoro_import_spec_equal (const TesoroImportSpec *a,
                          const TesoroImportSpec *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->field == b->field && g_strcmp0 (a->label, b->label) == 0 && a->part == b->part &&
         g_strcmp0 (a->custom_name, b->custom_name) == 0 && a->group == b->group;
}

static gboolean
spec_error (GError     **error,
            const char  *text,
            const char  *why)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("“%.80s” is not a field Tesoro can import into: %s"), text, why);
  return FALSE;
}

static const char *
find_label (TesoroDetailKind  kind,
            const char       *text)
{
  const char * const *labels = tesoro_detail_labels (kind);

  for (guint i = 0; labels[i] != NULL; i++)
    if (g_ascii_strcasecmp (labels[i], text) == 0)
      return labels[i];
  return NULL;
}

/**
 * tesoro_import_spec_parse:
 * @text: a field spec such as `given_name`, `email/work`, `phone/label#1`,
 *   `address/home/postal_code` or `custom/Klantnummer` (see the syntax at
 *   the top of tesoro-import-map.h)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the spec, or %NULL with @error set
 * to a message that quotes @text and says what is wrong
 */
TesoroImportSpec *
tesoro_import_spec_parse (const char  *text,
                          GError     **error)
{
  g_autoptr(TesoroImportSpec) spec = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *body = NULL;
  g_auto(GStrv) segments = NULL;
  const char *hash;
  guint n_segments;
  guint group = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL) || strlen (text) > TESORO_MAX_SHORT_TEXT + 16)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("A field of the mapping is not valid text or is too long"));
      return NULL;
    }

  normal = tesoro_normalize_space (text);

  /* custom/NAME: the name is taken as written. */
  if (g_ascii_strncasecmp (normal, "custom/", 7) == 0)
    {
      g_autofree char *name = tesoro_normalize_space (normal + 7);

      if (*name == '\0')
        {
          spec_error (error, text, _("a custom field needs a name after “custom/”"));
          return NULL;
        }
      if (!tesoro_check_text ("custom", name, TESORO_MAX_SHORT_TEXT, error))
        return NULL;
      spec = tesoro_import_spec_new (TESORO_IMPORT_CUSTOM);
      spec->custom_name = g_steal_pointer (&name);
      return g_steal_pointer (&spec);
    }

  hash = strrchr (normal, '#');
  if (hash != NULL)
    {
      const char *digits = hash + 1;
      char *end = NULL;
      guint64 n;

      if (*digits == '\0' || strspn (digits, "0123456789") != strlen (digits) || strlen (digits) > 4)
        {
          spec_error (error, text, _("a group after “#” is a number from 1 to 999"));
          return NULL;
        }
      n = g_ascii_strtoull (digits, &end, 10);
      if (n < 1 || n > TESORO_IMPORT_MAX_GROUP)
        {
          spec_error (error, text, _("a group after “#” is a number from 1 to 999"));
          return NULL;
        }
      group = (guint) n;
      body = g_strndup (normal, hash - normal);
    }
  else
    body = g_strdup (normal);

  g_strstrip (body);
  segments = g_strsplit (body, "/", -1);
  n_segments = g_strv_length (segments);
  for (guint i = 0; i < n_segments; i++)
    g_strstrip (segments[i]);

  if (n_segments == 0 || *segments[0] == '\0')
    {
      spec_error (error, text, _("it is empty"));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (simple_fields) && spec == NULL; i++)
    if (g_ascii_strcasecmp (segments[0], simple_fields[i].name) == 0)
      spec = tesoro_import_spec_new (simple_fields[i].field);
  for (guint i = 0; i < G_N_ELEMENTS (field_aliases) && spec == NULL; i++)
    if (g_ascii_strcasecmp (segments[0], field_aliases[i].alias) == 0)
      spec = tesoro_import_spec_new (field_aliases[i].field);

  if (spec != NULL)
    {
      if (n_segments > 1)
        {
          spec_error (error, text, _("this field takes no label or part after “/”"));
          return NULL;
        }
      if (group != 0)
        {
          spec_error (error, text, _("only e-mail, phone and address fields take a group"));
          return NULL;
        }
      return g_steal_pointer (&spec);
    }

  if (g_ascii_strcasecmp (segments[0], "email") == 0 || g_ascii_strcasecmp (segments[0], "e-mail") == 0 ||
      g_ascii_strcasecmp (segments[0], "phone") == 0)
    {
      gboolean email = g_ascii_strcasecmp (segments[0], "phone") != 0;
      TesoroDetailKind kind = email ? TESORO_DETAIL_EMAIL : TESORO_DETAIL_PHONE;

      if (n_segments > 2)
        {
          spec_error (error, text, _("write one label after “/”, such as email/work"));
          return NULL;
        }
      if (n_segments == 2 && g_ascii_strcasecmp (segments[1], "label") == 0)
        {
          spec = tesoro_import_spec_new (email ? TESORO_IMPORT_EMAIL_LABEL : TESORO_IMPORT_PHONE_LABEL);
        }
      else
        {
          const char *label = n_segments == 2 ? find_label (kind, segments[1]) : "other";

          if (label == NULL)
            {
              g_autofree char *known = g_strjoinv (", ", (GStrv) tesoro_detail_labels (kind));
              g_autofree char *why = g_strdup_printf (_("the label must be one of %s"), known);

              spec_error (error, text, why);
              return NULL;
            }
          spec = tesoro_import_spec_new (email ? TESORO_IMPORT_EMAIL : TESORO_IMPORT_PHONE);
          g_free (spec->label);
          spec->label = g_strdup (label);
        }
      spec->group = group;
      return g_steal_pointer (&spec);
    }

  if (g_ascii_strcasecmp (segments[0], "address") == 0)
    {
      const char *label = "other";
      TesoroAddressPart part = TESORO_ADDRESS_PART_FULL;
      guint next = 1;

      if (n_segments == 2 && g_ascii_strcasecmp (segments[1], "label") == 0)
        {
          spec = tesoro_import_spec_new (TESORO_IMPORT_ADDRESS_LABEL);
          spec->group = group;
          return g_steal_pointer (&spec);
        }

      if (next < n_segments && find_label (TESORO_DETAIL_ADDRESS, segments[next]) != NULL)
        label = find_label (TESORO_DETAIL_ADDRESS, segments[next++]);

      if (next < n_segments)
        {
          part = TESORO_ADDRESS_PART_NONE;
          for (guint i = 1; i < G_N_ELEMENTS (address_part_names); i++)
            if (g_ascii_strcasecmp (segments[next], address_part_names[i]) == 0)
              part = i;
          if (part == TESORO_ADDRESS_PART_NONE)
            {
              spec_error (error, text,
                          _("an address takes a label (work, home, other) and a part (street, house_number, postal_code, city, region, country, full)"));
              return NULL;
            }
          next++;
        }

      if (next < n_segments)
        {
          spec_error (error, text, _("write address/LABEL/PART, such as address/work/city"));
          return NULL;
        }

      spec = tesoro_import_spec_new (TESORO_IMPORT_ADDRESS);
      g_free (spec->label);
      spec->label = g_strdup (label);
      spec->part = part;
      spec->group = group;
      return g_steal_pointer (&spec);
    }

  spec_error (error, text, _("unknown field name"));
  return NULL;
}

/**
 * tesoro_import_spec_to_string:
 *
 * Returns: (transfer full): the canonical spec string, which
 * tesoro_import_spec_parse() reads back as an equal spec
 */
char *
tesoro_import_spec_to_string (const TesoroImportSpec *spec)
{
  GString *out;

  g_return_val_if_fail (spec != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (simple_fields); i++)
    if (spec->field == simple_fields[i].field)
      return g_strdup (simple_fields[i].name);

  if (spec->field == TESORO_IMPORT_CUSTOM)
    return g_strconcat ("custom/", spec->custom_name ? spec->custom_name : "", NULL);

  out = g_string_new (NULL);
  switch (spec->field)
    {
    case TESORO_IMPORT_EMAIL:
      g_string_append_printf (out, "email/%s", spec->label ? spec->label : "other");
      break;
    case TESORO_IMPORT_EMAIL_LABEL:
      g_string_append (out, "email/label");
      break;
    case TESORO_IMPORT_PHONE:
      g_string_append_printf (out, "phone/%s", spec->label ? spec->label : "other");
      break;
    case TESORO_IMPORT_PHONE_LABEL:
      g_string_append (out, "phone/label");
      break;
    case TESORO_IMPORT_ADDRESS:
      g_string_append_printf (out, "address/%s/%s", spec->label ? spec->label : "other",
                              address_part_names[spec->part != TESORO_ADDRESS_PART_NONE
                                                 ? spec->part : TESORO_ADDRESS_PART_FULL]);
      break;
    case TESORO_IMPORT_ADDRESS_LABEL:
      g_string_append (out, "address/label");
      break;
    default:
      g_string_append (out, "ignore");
      break;
    }

  if (spec->group > 0)
    g_string_append_printf (out, "#%u", spec->group);

  return g_string_free (out, FALSE);
}

/**
 * tesoro_import_spec_canonicalize:
 * @text: a field spec
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): @text in canonical form
 * (`Email` → `email/other`), or %NULL with @error set
 */
char *
tesoro_import_spec_canonicalize (const char  *text,
                                 GError     **error)
{
  g_autoptr(TesoroImportSpec) spec = tesoro_import_spec_parse (text, error);

  return spec != NULL ? tesoro_import_spec_to_string (spec) : NULL;
}

static const char *
translated_label (const char *label)
{
  if (g_strcmp0 (label, "work") == 0)
    return C_("detail label", "work");
  if (g_strcmp0 (label, "home") == 0)
    return C_("detail label", "home");
  if (g_strcmp0 (label, "mobile") == 0)
    return C_("detail label", "mobile");
  if (g_strcmp0 (label, "fax") == 0)
    return C_("detail label", "fax");
  return C_("detail label", "other");
}

static const char *
address_part_label (TesoroAddressPart part)
{
  switch (part)
    {
    case TESORO_ADDRESS_PART_STREET:
      return _("street");
    case TESORO_ADDRESS_PART_HOUSE_NUMBER:
      return _("house number");
    case TESORO_ADDRESS_PART_POSTAL_CODE:
      return _("postal code");
    case TESORO_ADDRESS_PART_CITY:
      return _("city");
    case TESORO_ADDRESS_PART_REGION:
      return _("region or province");
    case TESORO_ADDRESS_PART_COUNTRY:
      return _("country");
    case TESORO_ADDRESS_PART_FULL:
    case TESORO_ADDRESS_PART_NONE:
    default:
      return _("whole address in one cell");
    }
}

/**
 * tesoro_import_spec_describe:
 *
 * Returns: (transfer full): what @spec means, in the user's language, for
 * a drop-down or a preview: "Given name", "E-mail (work)", "Address
 * (home): postal code", "Custom field “Klantnummer”"; a group is shown as
 * " [1]"
 */
char *
tesoro_import_spec_describe (const TesoroImportSpec *spec)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  switch (spec->field)
    {
    case TESORO_IMPORT_IGNORE:
      text = g_strdup (_("Do not import"));
      break;
    case TESORO_IMPORT_GIVEN_NAME:
      text = g_strdup (_("Given name"));
      break;
    case TESORO_IMPORT_MIDDLE_NAME:
      text = g_strdup (_("Middle name"));
      break;
    case TESORO_IMPORT_FAMILY_NAME_PARTICLE:
      text = g_strdup (_("Family name particle (van, de, ter…)"));
      break;
    case TESORO_IMPORT_FAMILY_NAME:
      text = g_strdup (_("Family name"));
      break;
    case TESORO_IMPORT_NAME:
      text = g_strdup (_("Full name (split into given and family name)"));
      break;
    case TESORO_IMPORT_DISPLAY_NAME:
      text = g_strdup (_("Display name"));
      break;
    case TESORO_IMPORT_ORGANIZATION:
      text = g_strdup (_("Organisation"));
      break;
    case TESORO_IMPORT_JOB_TITLE:
      text = g_strdup (_("Job title"));
      break;
    case TESORO_IMPORT_BIRTHDAY:
      text = g_strdup (_("Birthday"));
      break;
    case TESORO_IMPORT_EMAIL:
      /* Translators: %s is a label such as “work” */
      text = g_strdup_printf (_("E-mail (%s)"), translated_label (spec->label));
      break;
    case TESORO_IMPORT_EMAIL_LABEL:
      text = g_strdup (_("Label of the e-mail address (home, work…)"));
      break;
    case TESORO_IMPORT_PHONE:
      /* Translators: %s is a label such as “mobile” */
      text = g_strdup_printf (_("Phone (%s)"), translated_label (spec->label));
      break;
    case TESORO_IMPORT_PHONE_LABEL:
      text = g_strdup (_("Label of the phone number (mobile, work…)"));
      break;
    case TESORO_IMPORT_ADDRESS:
      /* Translators: the first %s is a label such as “work”, the second a part such as “city” */
      text = g_strdup_printf (_("Address (%s): %s"), translated_label (spec->label),
                              address_part_label (spec->part));
      break;
    case TESORO_IMPORT_ADDRESS_LABEL:
      text = g_strdup (_("Label of the address (home, work…)"));
      break;
    case TESORO_IMPORT_NOTE:
      text = g_strdup (_("Note"));
      break;
    case TESORO_IMPORT_TAGS:
      text = g_strdup (_("Tags (separated by , or ;)"));
      break;
    case TESORO_IMPORT_LAWFUL_BASIS:
      text = g_strdup (_("Lawful basis"));
      break;
    case TESORO_IMPORT_CONSENT:
      text = g_strdup (_("Marketing consent (yes or no)"));
      break;
    case TESORO_IMPORT_CUSTOM:
    default:
      text = g_strdup_printf (_("Custom field “%s”"), spec->custom_name ? spec->custom_name : "");
      break;
    }

  if (spec->group > 0)
    return g_strdup_printf ("%s [%u]", text, spec->group);

  return g_steal_pointer (&text);
}

/* Choices for a drop-down */

void
tesoro_import_choice_free (TesoroImportChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->spec);
  g_free (choice->label);
  g_free (choice->section);
  g_free (choice);
}

static void
add_choice (GPtrArray  *choices,
            const char *spec_text,
            const char *section)
{
  g_autoptr(TesoroImportSpec) spec = tesoro_import_spec_parse (spec_text, NULL);
  TesoroImportChoice *choice;

  g_return_if_fail (spec != NULL);

  choice = g_new0 (TesoroImportChoice, 1);
  choice->spec = tesoro_import_spec_to_string (spec);
  choice->label = tesoro_import_spec_describe (spec);
  choice->section = g_strdup (section);
  g_ptr_array_add (choices, choice);
}

/**
 * tesoro_import_list_choices:
 * @custom_names: (nullable) (array zero-terminated=1): names of custom
 *   fields to offer (those the database has, and the column's own header)
 *
 * The fields a column can be mapped to, in the order a drop-down shows
 * them, with translated labels and section headings. "Do not import" is
 * first. Groups (`#N`) are not listed: a front end adds a column's current
 * spec when it is not among these (tesoro_import_mapping_list_choices()
 * does).
 *
 * Returns: (transfer full) (element-type TesoroImportChoice): the choices
 */
GPtrArray *
tesoro_import_list_choices (const char * const *custom_names)
{
  GPtrArray *choices = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_choice_free);
  static const char * const parts[] = { "full", "street", "house_number", "postal_code", "city", "region", "country", NULL };
  const char *section;

  add_choice (choices, "ignore", _("Other"));

  section = _("Name");
  add_choice (choices, "given_name", section);
  add_choice (choices, "middle_name", section);
  add_choice (choices, "family_name_particle", section);
  add_choice (choices, "family_name", section);
  add_choice (choices, "name", section);
  add_choice (choices, "display_name", section);

  section = _("Work");
  add_choice (choices, "organization", section);
  add_choice (choices, "job_title", section);

  section = _("Personal");
  add_choice (choices, "birthday", section);

  section = _("E-mail");
  for (const char * const *l = tesoro_detail_labels (TESORO_DETAIL_EMAIL); *l; l++)
    {
      g_autofree char *spec = g_strconcat ("email/", *l, NULL);
      add_choice (choices, spec, section);
    }
  add_choice (choices, "email/label", section);

  section = _("Phone");
  for (const char * const *l = tesoro_detail_labels (TESORO_DETAIL_PHONE); *l; l++)
    {
      g_autofree char *spec = g_strconcat ("phone/", *l, NULL);
      add_choice (choices, spec, section);
    }
  add_choice (choices, "phone/label", section);

  section = _("Address");
  for (const char * const *l = tesoro_detail_labels (TESORO_DETAIL_ADDRESS); *l; l++)
    for (guint p = 0; parts[p] != NULL; p++)
      {
        g_autofree char *spec = g_strconcat ("address/", *l, "/", parts[p], NULL);
        add_choice (choices, spec, section);
      }
  add_choice (choices, "address/label", section);

  section = _("Other");
  add_choice (choices, "note", section);
  add_choice (choices, "tags", section);
  add_choice (choices, "lawful_basis", section);
  add_choice (choices, "consent", section);

  if (custom_names != NULL)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      section = _("Custom fields");
      for (guint i = 0; custom_names[i] != NULL; i++)
        {
          g_autofree char *name = tesoro_normalize_space (custom_names[i]);
          g_autofree char *spec = NULL;
          g_autofree char *folded = NULL;

          if (*name == '\0' || strlen (name) > TESORO_MAX_SHORT_TEXT)
            continue;
          folded = tesoro_fold (name);
          if (g_hash_table_contains (seen, folded))
            continue;
          g_hash_table_add (seen, g_steal_pointer (&folded));
          spec = g_strconcat ("custom/", name, NULL);
          add_choice (choices, spec, section);
        }
    }

  return choices;
}

/* Headers */

/**
 * tesoro_import_header_key:
 * @header: (nullable): a column header
 *
 * Returns: (transfer full): @header folded for matching: lower case,
 * without accents, and without anything but letters and digits
 * ("E-mail 1 - Value" → "email1value", "Telefoon­nummer" →
 * "telefoonnummer")
 */
char *
tesoro_import_header_key (const char *header)
{
  g_autofree char *folded = NULL;
  GString *out;

  if (header == NULL)
    return g_strdup ("");

  folded = tesoro_fold (header);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * tesoro_import_layout_signature:
 * @headers: (nullable) (array length=n_columns): the header row, or %NULL
 *   for a file without one
 * @n_columns: the number of columns
 *
 * A stable fingerprint of a header layout, under which an importer can
 * remember the mapping the user chose: the SHA-256 of the headers' keys
 * (tesoro_import_header_key()) in order, so that "E-mail Address" and
 * "e-mail address" give the same layout and another column order does not.
 * Without a header row, only the number of columns counts.
 *
 * Returns: (transfer full): 64 hexadecimal digits
 */
char *
tesoro_import_layout_signature (const char * const *headers,
                                guint               n_columns)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *count = g_strdup_printf ("tesoro-layout-1\n%u\n", n_columns);

  g_checksum_update (checksum, (const guchar *) count, -1);
  if (headers != NULL)
    for (guint i = 0; i < n_columns; i++)
      {
        g_autofree char *key = tesoro_import_header_key (headers[i]);

        g_checksum_update (checksum, (const guchar *) key, -1);
        g_checksum_update (checksum, (const guchar *) "\n", 1);
      }
  else
    g_checksum_update (checksum, (const guchar *) "no-header\n", -1);

  return g_strdup (g_checksum_get_string (checksum));
}

/* Recognising headers */

/* Special values of the rule table, resolved against the other columns. */
#define RULE_SKIP     "!skip"      /* recognised, not kept on purpose */
#define RULE_CUSTOM   "!custom"    /* custom/<the header as written> */
#define RULE_TITLE    "?title"     /* honorific when there is a job title column, else job title */
#define RULE_NAME     "?name"      /* family name next to a given name column, else full name */
#define RULE_INITIALS "?initials"  /* given name when there is no given name column, else skipped */

typedef struct
{
  const char *header;
  const char *spec;
} HeaderRule;

/* Headers as written by people and programs; matched by
 * tesoro_import_header_key(), so case, accents, spaces and punctuation do
 * not matter. */
static const HeaderRule header_rules[] = {
  /* names */
  { "First Name", "given_name" }, { "Given Name", "given_name" }, { "Forename", "given_name" },
  { "Voornaam", "given_name" }, { "Voornamen", "given_name" }, { "Prénom", "given_name" },
  { "Vorname", "given_name" }, { "First", "given_name" },
  { "Middle Name", "middle_name" }, { "Additional Name", "middle_name" },
  { "Middelste naam", "middle_name" }, { "Tweede voornaam", "middle_name" },
  { "Tussenvoegsel", "family_name_particle" }, { "Tussenvoegsels", "family_name_particle" },
  { "Voorvoegsel", "family_name_particle" }, { "Voorvoegsels", "family_name_particle" },
  { "Last Name", "family_name" }, { "Family Name", "family_name" }, { "Surname", "family_name" },
  { "Achternaam", "family_name" }, { "Familienaam", "family_name" }, { "Geslachtsnaam", "family_name" },
  { "Nachname", "family_name" }, { "Last", "family_name" },
  { "Name", RULE_NAME }, { "Naam", RULE_NAME },
  { "Full Name", "name" }, { "Volledige naam", "name" }, { "Contact Name", "name" },
  { "Contactpersoon", "name" }, { "Naam contactpersoon", "name" }, { "Contact", "name" },
  { "Display Name", "display_name" }, { "Weergavenaam", "display_name" },
  { "Title", RULE_TITLE },
  { "Titel", RULE_CUSTOM }, { "Titulatuur", RULE_CUSTOM }, { "Aanhef", RULE_CUSTOM },
  { "Salutation", RULE_CUSTOM }, { "Name Prefix", RULE_CUSTOM }, { "Name Suffix", RULE_CUSTOM },
  { "Suffix", RULE_CUSTOM }, { "Achtervoegsel", RULE_CUSTOM },
  { "Nickname", RULE_CUSTOM }, { "Roepnaam", RULE_CUSTOM }, { "Bijnaam", RULE_CUSTOM },
  { "Maiden Name", RULE_CUSTOM }, { "Meisjesnaam", RULE_CUSTOM },
  { "Initials", RULE_INITIALS }, { "Initialen", RULE_INITIALS }, { "Voorletters", RULE_INITIALS },
  { "File As", RULE_SKIP }, { "Opslaan als", RULE_SKIP }, { "Short Name", RULE_SKIP },
  { "Yomi Name", RULE_SKIP }, { "Given Name Yomi", RULE_SKIP }, { "Additional Name Yomi", RULE_SKIP },
  { "Family Name Yomi", RULE_SKIP }, { "Name Yomi", RULE_SKIP },
  { "Phonetic First Name", RULE_SKIP }, { "Phonetic Middle Name", RULE_SKIP },
  { "Phonetic Last Name", RULE_SKIP },

  /* birthday and other dates */
  { "Birthday", "birthday" }, { "Birth Date", "birthday" }, 
  { "Date of Birth", "birthday" }, { "DOB", "birthday" }, { "Geboortedatum", "birthday" },
  { "Geb. datum", "birthday" }, { "Geboren", "birthday" }, { "Verjaardag", "birthday" },
  { "Geburtstag", "birthday" }, { "Geboortedag", "birthday" },
  { "Anniversary", RULE_CUSTOM }, { "Jubileum", RULE_CUSTOM },

  /* work */
  { "Organization", "organization" }, { "Organisation", "organization" }, { "Company", "organization" },
  { "Company Name", "organization" }, { "Organization Name", "organization" },
  { "Organisation Name", "organization" }, { "Bedrijf", "organization" },
  { "Bedrijfsnaam", "organization" }, { "Organisatie", "organization" }, { "Firma", "organization" },
  { "Werkgever", "organization" }, { "Employer", "organization" }, { "Account Name", "organization" },
  { "Instelling", "organization" },
  { "Job Title", "job_title" },  { "Position", "job_title" },
  { "Functie", "job_title" }, { "Functietitel", "job_title" }, { "Functienaam", "job_title" },
  { "Beroep", "job_title" }, { "Occupation", "job_title" }, { "Profession", "job_title" },
  { "Organization Title", "job_title" },
  { "Department", RULE_CUSTOM }, { "Afdeling", RULE_CUSTOM }, { "Organization Department", RULE_CUSTOM },
  { "Manager's Name", RULE_SKIP }, { "Naam manager", RULE_SKIP },
  { "Assistant's Name", RULE_SKIP }, { "Naam assistent", RULE_SKIP },
  { "Assistant's Phone", RULE_SKIP }, { "Telefoon assistent", RULE_SKIP },
  { "Office Location", RULE_SKIP }, { "Kantoorlocatie", RULE_SKIP },
  { "Organizational ID Number", RULE_SKIP },

  /* e-mail */
  { "Email", "email/other" },  { "Mail", "email/other" },
  { "Email Address", "email/other" }, 
  { "E-mailadres", "email/other" }, { "Mailadres", "email/other" }, 
  { "Primary Email", "email/other" }, { "Other Email", "email/other" }, { "Email 2", "email/other" },
  { "Email 3", "email/other" }, { "E-mail 2 Address", "email/other" },
  { "E-mail 3 Address", "email/other" }, { "E-mailadres 2", "email/other" },
  { "E-mailadres 3", "email/other" }, { "E-mail 2, adres", "email/other" },
  { "E-mail 3, adres", "email/other" },
  { "Work Email", "email/work" }, { "Business Email", "email/work" }, { "Email Work", "email/work" },
  { "E-mail werk", "email/work" }, { "Werk e-mail", "email/work" },
  { "Zakelijk e-mailadres", "email/work" }, { "Zakelijke e-mail", "email/work" },
  { "E-mail zakelijk", "email/work" }, { "Zakelijk e-mail", "email/work" },
  { "Home Email", "email/home" }, { "Personal Email", "email/home" }, { "Private Email", "email/home" },
  { "Email Home", "email/home" }, { "Privé e-mail", "email/home" }, { "E-mail privé", "email/home" },
  { "Privé e-mailadres", "email/home" }, { "Persoonlijk e-mailadres", "email/home" },
  { "E-mail Type", RULE_SKIP },
   { "E-mailtype 2", RULE_SKIP }, { "E-mailtype 3", RULE_SKIP },
  { "E-mail Display Name", RULE_SKIP }, { "E-mail 2 Display Name", RULE_SKIP },
  { "E-mail 3 Display Name", RULE_SKIP }, { "Weergavenaam e-mail", RULE_SKIP },
  { "Weergavenaam e-mail 2", RULE_SKIP }, { "Weergavenaam e-mail 3", RULE_SKIP },

  /* phones */
  { "Phone", "phone/other" }, { "Telephone", "phone/other" }, { "Phone Number", "phone/other" },
  { "Telephone Number", "phone/other" }, { "Tel", "phone/other" }, { "Telnr", "phone/other" },
   { "Telefoon", "phone/other" }, { "Telefoonnummer", "phone/other" },
  { "Telefon", "phone/other" }, { "Primary Phone", "phone/other" }, { "Other Phone", "phone/other" },
  { "Hoofdtelefoon", "phone/other" }, { "Andere telefoon", "phone/other" },
  { "Callback", "phone/other" }, { "Terugbellen", "phone/other" }, { "Pager", "phone/other" },
  { "ISDN", "phone/other" }, { "Radio Phone", "phone/other" }, { "Radiotelefoon", "phone/other" },
  { "TTY/TDD Phone", "phone/other" }, { "Teksttelefoon", "phone/other" },
  { "Mobile", "phone/mobile" }, { "Mobile Phone", "phone/mobile" }, { "Mobile Number", "phone/mobile" },
  { "Cell", "phone/mobile" }, { "Cell Phone", "phone/mobile" }, 
  { "Mobiel", "phone/mobile" }, { "Mobiele telefoon", "phone/mobile" },
  { "Mobiel nummer", "phone/mobile" }, { "Mobiele nummer", "phone/mobile" },
  { "Telefoon mobiel", "phone/mobile" }, { "GSM", "phone/mobile" }, { "GSM-nummer", "phone/mobile" },
  { "Handy", "phone/mobile" }, { "Car Phone", "phone/mobile" }, { "Autotelefoon", "phone/mobile" },
  { "Work Phone", "phone/work" }, { "Business Phone", "phone/work" }, { "Business Phone 2", "phone/work" },
  { "Office Phone", "phone/work" }, { "Company Main Phone", "phone/work" },
  { "Telefoon werk", "phone/work" }, { "Werk telefoon", "phone/work" }, { "Telefoon op werk", "phone/work" },
  { "Telefoon op werk 2", "phone/work" }, { "Hoofdtelefoon bedrijf", "phone/work" },
  { "Zakelijk telefoonnummer", "phone/work" }, { "Telefoon zakelijk", "phone/work" },
  { "Doorkiesnummer", "phone/work" }, { "Direct", "phone/work" },
  { "Home Phone", "phone/home" }, { "Home Phone 2", "phone/home" }, { "Private Phone", "phone/home" },
  { "Personal Phone", "phone/home" }, { "Telefoon thuis", "phone/home" },
  { "Telefoon thuis 2", "phone/home" }, { "Thuis telefoon", "phone/home" },
  { "Telefoon privé", "phone/home" }, { "Privé telefoon", "phone/home" },
  { "Privé telefoonnummer", "phone/home" },
  { "Fax", "phone/fax" }, { "Faxnummer", "phone/fax" }, { "Fax Number", "phone/fax" },
  { "Telefax", "phone/fax" }, { "Business Fax", "phone/fax" }, { "Home Fax", "phone/fax" },
  { "Other Fax", "phone/fax" }, { "Fax op werk", "phone/fax" }, { "Fax thuis", "phone/fax" },
  { "Andere fax", "phone/fax" },
  { "Telex", RULE_SKIP },

  /* addresses (generic; Outlook's are added from a pattern below) */
  { "Street", "address/other/street" }, { "Street Address", "address/other/street" },
  { "Straat", "address/other/street" }, { "Straatnaam", "address/other/street" },
  { "Address 1", "address/other/street" }, { "Address 2", "address/other/street" },
  { "Address Line 1", "address/other/street" }, { "Address Line 2", "address/other/street" },
  { "Adresregel 1", "address/other/street" }, { "Adresregel 2", "address/other/street" },
  { "Straat en huisnummer", "address/other/street" }, { "Postbus", "address/other/street" },
  { "Huisnummer", "address/other/house_number" }, { "Huisnr", "address/other/house_number" },
  { "House Number", "address/other/house_number" }, { "Nr", "address/other/house_number" },
  { "Toevoeging", "address/other/house_number" },
  { "Huisnummertoevoeging", "address/other/house_number" },
  
  { "Postcode", "address/other/postal_code" }, { "Postal Code", "address/other/postal_code" },
  { "Zip", "address/other/postal_code" }, { "Zip Code", "address/other/postal_code" },
   { "PLZ", "address/other/postal_code" },
  { "City", "address/other/city" }, { "Town", "address/other/city" }, { "Plaats", "address/other/city" },
  { "Woonplaats", "address/other/city" }, { "Stad", "address/other/city" },
  { "Vestigingsplaats", "address/other/city" }, { "Plaatsnaam", "address/other/city" },
  { "Gemeente", "address/other/city" }, { "Ort", "address/other/city" },
  { "State", "address/other/region" }, { "Province", "address/other/region" },
  { "Region", "address/other/region" }, { "Provincie", "address/other/region" },
  { "County", "address/other/region" }, { "Regio", "address/other/region" },
  { "Province Code", "address/other/region" }, { "State Code", "address/other/region" },
  { "Country", "address/other/country" }, { "Land", "address/other/country" },
  { "Country/Region", "address/other/country" }, { "Country Code", "address/other/country" },
  { "Landcode", "address/other/country" },
  { "Address", "address/other/full" }, { "Adres", "address/other/full" },
  { "Full Address", "address/other/full" }, { "Volledig adres", "address/other/full" },
  { "Postal Address", "address/other/full" }, { "Postadres", "address/other/full" },
  { "Correspondentieadres", "address/other/full" },
  { "Home Address", "address/home/full" }, { "Huisadres", "address/home/full" },
  { "Woonadres", "address/home/full" }, { "Privéadres", "address/home/full" },
  
  { "Work Address", "address/work/full" }, { "Business Address", "address/work/full" },
  { "Werkadres", "address/work/full" }, { "Bezoekadres", "address/work/full" },
  { "Vestigingsadres", "address/work/full" }, { "Kantooradres", "address/work/full" },
  { "Bedrijfsadres", "address/work/full" },

  /* notes and tags */
  { "Notes", "note" }, { "Note", "note" }, { "Comments", "note" }, { "Comment", "note" },
  { "Remarks", "note" }, { "Opmerkingen", "note" }, { "Opmerking", "note" }, { "Notities", "note" },
  { "Notitie", "note" }, { "Memo", "note" }, { "Toelichting", "note" }, { "Bijzonderheden", "note" },
  { "Tags", "tags" }, { "Tag", "tags" }, { "Labels", "tags" }, { "Label", "tags" },
  { "Categories", "tags" }, { "Category", "tags" }, { "Categorie", "tags" },
  { "Categorieën", "tags" }, { "Groups", "tags" }, { "Group", "tags" }, { "Groep", "tags" },
  { "Groepen", "tags" }, { "Group Membership", "tags" }, { "Keywords", "tags" },
  { "Trefwoorden", "tags" }, { "Lists", "tags" },

  /* GDPR */
  { "Lawful Basis", "lawful_basis" }, { "Legal Basis", "lawful_basis" }, { "Grondslag", "lawful_basis" },
  { "Rechtsgrond", "lawful_basis" }, { "Wettelijke grondslag", "lawful_basis" },
  { "Verwerkingsgrondslag", "lawful_basis" }, { "Grondslag verwerking", "lawful_basis" },
  { "Consent", "consent" }, { "Marketing Consent", "consent" }, { "Email Consent", "consent" },
  { "Toestemming", "consent" }, { "Marketing toestemming", "consent" }, { "Nieuwsbrief", "consent" },
  { "Newsletter", "consent" }, { "Opt-in", "consent" }, { "Accepts Email Marketing", "consent" },
  { "Accepts Marketing", "consent" }, { "AVG toestemming", "consent" }, { "GDPR Consent", "consent" },
  { "Nieuwsbrief aanmelding", "consent" }, { "Aangemeld nieuwsbrief", "consent" },

  /* known values without a field of their own: custom fields */
  { "Klantnummer", RULE_CUSTOM }, { "Klantnr", RULE_CUSTOM }, { "Customer Number", RULE_CUSTOM },
  { "Customer ID", RULE_CUSTOM }, { "Customer No", RULE_CUSTOM }, { "Debiteurnummer", RULE_CUSTOM },
  { "Debiteurnr", RULE_CUSTOM }, { "Relatienummer", RULE_CUSTOM }, { "Relatienr", RULE_CUSTOM },
  { "Lidnummer", RULE_CUSTOM }, { "Lidnr", RULE_CUSTOM }, { "Member Number", RULE_CUSTOM },
  { "Membership Number", RULE_CUSTOM }, { "KvK", RULE_CUSTOM }, { "KvK-nummer", RULE_CUSTOM },
  { "Chamber of Commerce", RULE_CUSTOM }, { "BTW-nummer", RULE_CUSTOM }, { "VAT Number", RULE_CUSTOM },
  { "VAT ID", RULE_CUSTOM }, { "Website", RULE_CUSTOM }, { "Web Page", RULE_CUSTOM },
  { "Webpagina", RULE_CUSTOM }, { "Homepage", RULE_CUSTOM }, { "URL", RULE_CUSTOM },
   { "Personal Web Page", RULE_CUSTOM }, { "IBAN", RULE_CUSTOM },
  { "Rekeningnummer", RULE_CUSTOM }, { "LinkedIn", RULE_CUSTOM }, { "Language", RULE_CUSTOM },
  { "Taal", RULE_CUSTOM }, { "User 1", RULE_CUSTOM }, { "User 2", RULE_CUSTOM },
  { "User 3", RULE_CUSTOM }, { "User 4", RULE_CUSTOM }, { "Gebruiker 1", RULE_CUSTOM },
  { "Gebruiker 2", RULE_CUSTOM }, { "Gebruiker 3", RULE_CUSTOM }, { "Gebruiker 4", RULE_CUSTOM },

  /* bookkeeping of the exporting program, and data a CRM should not keep */
  { "Account", RULE_SKIP }, { "Billing Information", RULE_SKIP }, { "Factuurinformatie", RULE_SKIP },
  { "Directory Server", RULE_SKIP }, { "Adreslijstserver", RULE_SKIP },
  { "Internet Free Busy", RULE_SKIP }, { "Mileage", RULE_SKIP }, { "Reisafstand", RULE_SKIP },
  { "Priority", RULE_SKIP }, { "Prioriteit", RULE_SKIP }, { "Private", RULE_SKIP }, { "Privé", RULE_SKIP },
  { "Sensitivity", RULE_SKIP }, { "Gevoeligheid", RULE_SKIP }, { "Location", RULE_SKIP },
  { "Locatie", RULE_SKIP }, { "Subject", RULE_SKIP }, { "Photo", RULE_SKIP }, { "Foto", RULE_SKIP },
  { "Gender", RULE_SKIP }, { "Geslacht", RULE_SKIP }, { "Government ID Number", RULE_SKIP },
  { "BSN", RULE_SKIP }, { "Burgerservicenummer", RULE_SKIP }, { "Spouse", RULE_SKIP },
  { "Partner", RULE_SKIP }, { "Echtgenoot", RULE_SKIP }, { "Children", RULE_SKIP },
  { "Kinderen", RULE_SKIP }, { "Referred By", RULE_SKIP }, { "Verwezen door", RULE_SKIP },
  { "Hobby", RULE_SKIP }, { "Hobby's", RULE_SKIP },
};

/* Outlook's address columns: "Business Street 2", "Home Postal Code",
 * "Other Country/Region", and those of the Dutch Outlook ("Werkadres,
 * plaats"). */
static const struct
{
  const char *prefix;
  const char *label;
} outlook_address_prefixes[] = {
  { "Business", "work" }, { "Home", "home" }, { "Other", "other" },
  { "Werkadres", "work" }, { "Huisadres", "home" }, { "Ander adres", "other" },
};

static const struct
{
  const char *suffix;
  const char *part;
} outlook_address_suffixes[] = {
  { "Street", "street" }, { "Street 2", "street" }, { "Street 3", "street" },
  { "Address PO Box", "street" }, { "PO Box", "street" }, { "City", "city" }, { "State", "region" },
  { "Postal Code", "postal_code" }, { "Country/Region", "country" }, { "Country", "country" },
  { "straat", "street" }, { "straat 2", "street" }, { "straat 3", "street" }, { "postbus", "street" },
  { "plaats", "city" }, { "provincie", "region" }, { "postcode", "postal_code" },
  { "land/regio", "country" }, { "land", "country" },
};

static GHashTable *
header_rule_table (void)
{
  static GHashTable *table = NULL;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      for (guint i = 0; i < G_N_ELEMENTS (header_rules); i++)
        {
          char *key = tesoro_import_header_key (header_rules[i].header);

          g_assert (!g_hash_table_contains (t, key));
          g_hash_table_insert (t, key, g_strdup (header_rules[i].spec));
        }

      for (guint i = 0; i < G_N_ELEMENTS (outlook_address_prefixes); i++)
        for (guint j = 0; j < G_N_ELEMENTS (outlook_address_suffixes); j++)
          {
            g_autofree char *header = g_strconcat (outlook_address_prefixes[i].prefix, " ",
                                                   outlook_address_suffixes[j].suffix, NULL);
            char *key = tesoro_import_header_key (header);

            g_hash_table_replace (t, key, g_strdup_printf ("address/%s/%s",
                                                           outlook_address_prefixes[i].label,
                                                           outlook_address_suffixes[j].part));
          }

      g_once_init_leave (&table, t);
    }

  return table;
}

/* Google Contacts: "E-mail 1 - Value", "Phone 2 - Type", "Address 1 -
 * Postal Code", "Organization 1 - Title", "Website 1 - Value". */
static char *
guess_google (const char  *key,
              const char **rule)
{
  static const struct
  {
    const char *kind;
    const char *part;
    const char *spec;   /* the group is added as #N */
  } google[] = {
    { "email", "value", "email/other" },
    { "email", "type", "email/label" },
    { "email", "label", "email/label" },
    { "phone", "value", "phone/other" },
    { "phone", "type", "phone/label" },
    { "phone", "label", "phone/label" },
    { "address", "type", "address/label" },
    { "address", "label", "address/label" },
    { "address", "formatted", "address/other/full" },
    { "address", "street", "address/other/street" },
    { "address", "pobox", "address/other/street" },
    { "address", "extendedaddress", "address/other/street" },
    { "address", "city", "address/other/city" },
    { "address", "region", "address/other/region" },
    { "address", "postalcode", "address/other/postal_code" },
    { "address", "country", "address/other/country" },
    { "organization", "name", "organization" },
    { "organization", "title", "job_title" },
    { "organization", "department", RULE_CUSTOM },
    { "organization", "type", RULE_SKIP },
    { "organization", "label", RULE_SKIP },
    { "organization", "yominame", RULE_SKIP },
    { "organization", "phoneticname", RULE_SKIP },
    { "organization", "symbol", RULE_SKIP },
    { "organization", "location", RULE_SKIP },
    { "organization", "jobdescription", RULE_SKIP },
    { "website", "value", RULE_CUSTOM },
    { "website", "type", RULE_SKIP },
    { "website", "label", RULE_SKIP },
    { "relation", "type", RULE_SKIP },
    { "relation", "label", RULE_SKIP },
    { "relation", "value", RULE_SKIP },
  };
  const char *kinds[] = { "email", "phone", "address", "organization", "website", "relation", NULL };

  for (guint k = 0; kinds[k] != NULL; k++)
    {
      const char *p;
      const char *digits;
      guint group = 0;

      if (!g_str_has_prefix (key, kinds[k]))
        continue;
      digits = p = key + strlen (kinds[k]);
      while (g_ascii_isdigit (*p) && p - digits < 4)
        group = group * 10 + (guint) (*p++ - '0');
      if (p == digits || group < 1 || group > TESORO_IMPORT_MAX_GROUP || g_ascii_isdigit (*p))
        return NULL;

      for (guint i = 0; i < G_N_ELEMENTS (google); i++)
        {
          if (!g_str_equal (google[i].kind, kinds[k]) || !g_str_equal (google[i].part, p))
            continue;

          if (google[i].spec[0] == '!')
            {
              *rule = google[i].spec;
              if (g_str_equal (google[i].spec, RULE_CUSTOM))
                {
                  /* "Website 1 - Value" is the custom field "Website";
                   * "Organization 2 - Department", "Department 2". */
                  const char *name = g_str_equal (kinds[k], "website") ? "Website" : "Department";

                  return group == 1 ? g_strdup (name) : g_strdup_printf ("%s %u", name, group);
                }
              return NULL;
            }

          *rule = NULL;
          if (strchr (google[i].spec, '/') == NULL)
            return g_strdup (google[i].spec);
          return g_strdup_printf ("%s#%u", google[i].spec, group);
        }

      return NULL;
    }

  return NULL;
}

typedef enum
{
  CONTEXT_NONE,
  CONTEXT_TITLE,
  CONTEXT_NAME,
  CONTEXT_INITIALS,
} ContextRule;

/* Guesses one header on its own. For headers whose meaning depends on the
 * other columns, *context says which rule resolves it; the spec returned
 * is then the one to use when the rule does not apply. */
static TesoroImportSpec *
guess_header (const char        *header,
              TesoroImportMatch *match,
              ContextRule       *context)
{
  g_autofree char *key = NULL;
  g_autofree char *custom_name = NULL;
  const char *rule = NULL;
  g_autofree char *google = NULL;
  TesoroImportSpec *spec;

  *match = TESORO_IMPORT_MATCH_NONE;
  *context = CONTEXT_NONE;

  if (header == NULL || strlen (header) > 1024)
    return tesoro_import_spec_new (TESORO_IMPORT_IGNORE);

  key = tesoro_import_header_key (header);
  if (*key == '\0')
    return tesoro_import_spec_new (TESORO_IMPORT_IGNORE);

  rule = g_hash_table_lookup (header_rule_table (), key);
  if (rule == NULL)
    {
      const char *google_rule = NULL;

      google = guess_google (key, &google_rule);
      if (google_rule != NULL)
        {
          rule = google_rule;
          if (g_str_equal (google_rule, RULE_CUSTOM))
            custom_name = g_steal_pointer (&google);
        }
      else
        rule = google;
    }

  if (rule == NULL)
    {
      /* A header that is itself a spec ("given_name", "email/work",
       * "custom/Klantnummer"), as Tesoro's own exports may write. */
      g_autofree char *trimmed = tesoro_normalize_space (header);

      if (strchr (trimmed, ' ') == NULL || g_ascii_strncasecmp (trimmed, "custom/", 7) == 0)
        {
          spec = tesoro_import_spec_parse (trimmed, NULL);
          if (spec != NULL && spec->field != TESORO_IMPORT_IGNORE)
            {
              *match = TESORO_IMPORT_MATCH_KNOWN;
              return spec;
            }
          g_clear_pointer (&spec, tesoro_import_spec_free);
        }
      return tesoro_import_spec_new (TESORO_IMPORT_IGNORE);
    }

  if (g_str_equal (rule, RULE_SKIP))
    {
      *match = TESORO_IMPORT_MATCH_SKIPPED;
      return tesoro_import_spec_new (TESORO_IMPORT_IGNORE);
    }

  *match = TESORO_IMPORT_MATCH_KNOWN;

  if (g_str_equal (rule, RULE_CUSTOM))
    {
      if (custom_name == NULL)
        custom_name = tesoro_normalize_space (header);
      if (strlen (custom_name) > MAX_CUSTOM_NAME_FROM_HEADER)
        {
          *match = TESORO_IMPORT_MATCH_NONE;
          return tesoro_import_spec_new (TESORO_IMPORT_IGNORE);
        }
      spec = tesoro_import_spec_new (TESORO_IMPORT_CUSTOM);
      spec->custom_name = g_steal_pointer (&custom_name);
      return spec;
    }

  if (g_str_equal (rule, RULE_TITLE))
    {
      *context = CONTEXT_TITLE;
      return tesoro_import_spec_new (TESORO_IMPORT_JOB_TITLE);
    }
  if (g_str_equal (rule, RULE_NAME))
    {
      *context = CONTEXT_NAME;
      return tesoro_import_spec_new (TESORO_IMPORT_NAME);
    }
  if (g_str_equal (rule, RULE_INITIALS))
    {
      *context = CONTEXT_INITIALS;
      return tesoro_import_spec_new (TESORO_IMPORT_GIVEN_NAME);
    }

  spec = tesoro_import_spec_parse (rule, NULL);
  g_assert (spec != NULL);
  return spec;
}

/**
 * tesoro_import_guess_spec:
 * @header: a column header
 * @match: (out) (optional): whether the header was recognised
 *
 * Guesses what a column holds from its header alone. A mapping guesses
 * better (tesoro_import_mapping_new_auto()): some headers mean different
 * things next to other columns ("Title" is a job title, unless there is
 * also a "Job Title" column; Flemish "Naam" next to "Voornaam" is the
 * family name).
 *
 * Returns: (transfer full): the spec; `ignore` when the header is unknown
 */
TesoroImportSpec *
tesoro_import_guess_spec (const char        *header,
                          TesoroImportMatch *match)
{
  TesoroImportMatch m;
  ContextRule context;
  TesoroImportSpec *spec = guess_header (header, &m, &context);

  if (match != NULL)
    *match = m;
  return spec;
}

/* Mappings */

/**
 * tesoro_import_mapping_new:
 * @headers: (nullable) (array length=n_columns): the header row, or %NULL
 *   when the file has none
 * @n_columns: the number of columns
 *
 * Returns: (transfer full): a mapping that ignores every column; the
 * default phone country is the Netherlands and dates are read day first
 */
TesoroImportMapping *
tesoro_import_mapping_new (const char * const *headers,
                           guint               n_columns)
{
  TesoroImportMapping *self = g_new0 (TesoroImportMapping, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->n_columns = n_columns;
  self->specs = g_new0 (TesoroImportSpec *, MAX (n_columns, 1));
  self->matches = g_new0 (TesoroImportMatch, MAX (n_columns, 1));
  for (guint i = 0; i < n_columns; i++)
    self->specs[i] = tesoro_import_spec_new (TESORO_IMPORT_IGNORE);

  if (headers != NULL)
    {
      self->headers = g_new0 (char *, n_columns + 1);
      for (guint i = 0; i < n_columns; i++)
        if (headers[i] != NULL)
          self->headers[i] = g_utf8_make_valid (headers[i], -1);
    }

  self->default_country = g_strdup (TESORO_DEFAULT_PHONE_COUNTRY);
  self->date_order = TESORO_DATE_ORDER_UNKNOWN;
  self->normalize_phones = TRUE;

  return self;
}

/**
 * tesoro_import_mapping_new_auto:
 * @headers: (nullable) (array length=n_columns): the header row, or %NULL
 * @n_columns: the number of columns
 *
 * Returns: (transfer full): a mapping guessed from @headers, see
 * tesoro_import_mapping_guess()
 */
TesoroImportMapping *
tesoro_import_mapping_new_auto (const char * const *headers,
                                guint               n_columns)
{
  TesoroImportMapping *self = tesoro_import_mapping_new (headers, n_columns);

  tesoro_import_mapping_guess (self);
  return self;
}

/**
 * tesoro_import_mapping_ref:
 *
 * Returns: (transfer full): @self, with one more reference
 */
TesoroImportMapping *
tesoro_import_mapping_ref (TesoroImportMapping *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * tesoro_import_mapping_unref:
 *
 * Drops a reference; the last one frees the mapping.
 */
void
tesoro_import_mapping_unref (TesoroImportMapping *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  for (guint i = 0; i < self->n_columns; i++)
    tesoro_import_spec_free (self->specs[i]);
  g_free (self->specs);
  g_free (self->matches);
  if (self->headers != NULL)
    for (guint i = 0; i < self->n_columns; i++)
      g_free (self->headers[i]);
  g_free (self->headers);
  g_free (self->default_country);
  g_free (self->consent_source);
  g_free (self->fixed_lawful_basis);
  g_strfreev (self->disabled);
  g_free (self);
}

/**
 * tesoro_import_mapping_copy:
 *
 * Returns: (transfer full): an independent copy, for a worker thread or
 * for undoing the user's changes
 */
TesoroImportMapping *
tesoro_import_mapping_copy (TesoroImportMapping *self)
{
  TesoroImportMapping *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = tesoro_import_mapping_new ((const char * const *) self->headers, self->n_columns);
  for (guint i = 0; i < self->n_columns; i++)
    {
      tesoro_import_spec_free (copy->specs[i]);
      copy->specs[i] = tesoro_import_spec_copy (self->specs[i]);
      copy->matches[i] = self->matches[i];
    }
  tesoro_set_str (&copy->default_country, self->default_country);
  copy->date_order = self->date_order;
  copy->normalize_phones = self->normalize_phones;
  tesoro_set_str (&copy->consent_source, self->consent_source);
  tesoro_set_str (&copy->fixed_lawful_basis, self->fixed_lawful_basis);
  copy->fixed_consent = self->fixed_consent;
  copy->disabled = g_strdupv (self->disabled);

  return copy;
}

static gboolean
column_has_value_for_label (TesoroImportMapping *self,
                            guint                column)
{
  TesoroImportSpec *label = self->specs[column];
  TesoroImportField value_field = label->field == TESORO_IMPORT_EMAIL_LABEL ? TESORO_IMPORT_EMAIL
                                  : label->field == TESORO_IMPORT_PHONE_LABEL ? TESORO_IMPORT_PHONE
                                  : TESORO_IMPORT_ADDRESS;

  for (guint i = 0; i < self->n_columns; i++)
    if (self->specs[i]->field == value_field && self->specs[i]->group == label->group)
      return TRUE;
  return FALSE;
}

static gboolean
any_column_is (TesoroImportMapping *self,
               TesoroImportField    field,
               const ContextRule   *contexts)
{
  for (guint i = 0; i < self->n_columns; i++)
    if (self->specs[i]->field == field && (contexts == NULL || contexts[i] == CONTEXT_NONE))
      return TRUE;
  return FALSE;
}

static gboolean
address_has_part (TesoroImportMapping *self,
                  const char          *label,
                  guint                group,
                  TesoroAddressPart    part)
{
  for (guint i = 0; i < self->n_columns; i++)
    {
      TesoroImportSpec *s = self->specs[i];

      if (s->field == TESORO_IMPORT_ADDRESS && s->part == part && s->group == group &&
          g_strcmp0 (s->label, label) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * tesoro_import_mapping_guess:
 *
 * Maps every column from its header: English and Dutch headers ("First
 * Name", "Voornaam", "E-mailadres", "Telefoonnummer", "Postcode",
 * "Plaats"…), the columns of Google Contacts exports (old and new) and of
 * Outlook exports (English and Dutch). Case, accents, spacing and
 * punctuation do not matter. Unknown headers are ignored; known values
 * without a field of their own ("Klantnummer", "Website", "Department")
 * become custom fields named after the header.
 *
 * Some headers are read in the light of the others: "Title" is the
 * honorific (a custom field) when another column is the job title, and
 * the job title otherwise; "Naam"/"Name" is the family name when there is
 * a given name column but no family name column (as in Flemish lists),
 * and a full name otherwise; "Initials"/"Voorletters" are the given name
 * only when no column holds given names; a one-cell address column
 * ("Adres") next to a postal code or city column of the same address,
 * without a street column, is the street.
 *
 * Columns the user set (%TESORO_IMPORT_MATCH_USER) are guessed again too.
 */
void
tesoro_import_mapping_guess (TesoroImportMapping *self)
{
  g_autofree ContextRule *contexts = NULL;
  gboolean has_job_title, has_given, has_family;

  g_return_if_fail (self != NULL);

  contexts = g_new0 (ContextRule, MAX (self->n_columns, 1));
  for (guint i = 0; i < self->n_columns; i++)
    {
      tesoro_import_spec_free (self->specs[i]);
      self->specs[i] = guess_header (self->headers ? self->headers[i] : NULL,
                                     &self->matches[i], &contexts[i]);
    }

  has_job_title = any_column_is (self, TESORO_IMPORT_JOB_TITLE, contexts);
  has_given = any_column_is (self, TESORO_IMPORT_GIVEN_NAME, contexts);
  has_family = any_column_is (self, TESORO_IMPORT_FAMILY_NAME, contexts);

  for (guint i = 0; i < self->n_columns; i++)
    {
      TesoroImportSpec *spec = self->specs[i];

      switch (contexts[i])
        {
        case CONTEXT_TITLE:
          if (has_job_title && self->headers != NULL && self->headers[i] != NULL)
            {
              /* Outlook: "Title" is Mr./Dr., "Job Title" the job. */
              tesoro_import_spec_free (spec);
              spec = self->specs[i] = tesoro_import_spec_new (TESORO_IMPORT_CUSTOM);
              spec->custom_name = tesoro_normalize_space (self->headers[i]);
            }
          break;

        case CONTEXT_NAME:
          if (has_given && !has_family)
            spec->field = TESORO_IMPORT_FAMILY_NAME;
          break;

        case CONTEXT_INITIALS:
          if (has_given)
            {
              spec->field = TESORO_IMPORT_IGNORE;
              self->matches[i] = TESORO_IMPORT_MATCH_SKIPPED;
            }
          break;

        case CONTEXT_NONE:
        default:
          break;
        }
    }

  /* A type column with nothing to label carries nothing: Outlook's
   * "E-mail 2 Type" (always "SMTP") reads like Google's "E-mail 2 - Type". */
  for (guint i = 0; i < self->n_columns; i++)
    if (is_label_field (self->specs[i]->field) && !column_has_value_for_label (self, i))
      {
        self->specs[i]->field = TESORO_IMPORT_IGNORE;
        self->matches[i] = TESORO_IMPORT_MATCH_SKIPPED;
      }

  for (guint i = 0; i < self->n_columns; i++)
    {
      TesoroImportSpec *spec = self->specs[i];

      if (spec->field == TESORO_IMPORT_ADDRESS && spec->part == TESORO_ADDRESS_PART_FULL &&
          (address_has_part (self, spec->label, spec->group, TESORO_ADDRESS_PART_POSTAL_CODE) ||
           address_has_part (self, spec->label, spec->group, TESORO_ADDRESS_PART_CITY)) &&
          !address_has_part (self, spec->label, spec->group, TESORO_ADDRESS_PART_STREET))
        spec->part = TESORO_ADDRESS_PART_STREET;
    }

  drop_disabled (self);
}

/**
 * tesoro_import_mapping_get_n_columns:
 *
 * Returns: the number of columns the mapping maps
 */
guint
tesoro_import_mapping_get_n_columns (TesoroImportMapping *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_columns;
}

/**
 * tesoro_import_mapping_get_header:
 *
 * Returns: (nullable): the header of @column as read (made valid UTF-8),
 * or %NULL when the file has no header row
 */
const char *
tesoro_import_mapping_get_header (TesoroImportMapping *self,
                                  guint                column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->headers != NULL ? self->headers[column] : NULL;
}

/**
 * tesoro_import_mapping_dup_column_name:
 *
 * Returns: (transfer full): how to name @column to the user: its header,
 * or "column 3" (counting from 1) when it has none
 */
char *
tesoro_import_mapping_dup_column_name (TesoroImportMapping *self,
                                       guint                column)
{
  g_autofree char *header = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  if (self->headers != NULL && self->headers[column] != NULL)
    {
      header = tesoro_normalize_space (self->headers[column]);
      if (*header != '\0')
        {
          if (strlen (header) > 80)
            {
              const char *end = g_utf8_find_prev_char (header, header + 80);
              return g_strdup_printf ("%.*s…", (int) (end - header), header);
            }
          return g_steal_pointer (&header);
        }
    }

  return g_strdup_printf (_("column %u"), column + 1);
}

/**
 * tesoro_import_mapping_get_spec:
 * @column: the column, from 0
 *
 * Returns: (transfer none): what @column is mapped to; never %NULL
 */
const TesoroImportSpec *
tesoro_import_mapping_get_spec (TesoroImportMapping *self,
                                guint                column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->specs[column];
}

/**
 * tesoro_import_mapping_dup_spec_string:
 * @column: the column, from 0
 *
 * Returns: (transfer full): the canonical spec @column is mapped to
 */
char *
tesoro_import_mapping_dup_spec_string (TesoroImportMapping *self,
                                       guint                column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return tesoro_import_spec_to_string (self->specs[column]);
}

/**
 * tesoro_import_mapping_get_match:
 * @column: the column, from 0
 *
 * Returns: how the mapping of @column came about: guessed from a known
 * header, skipped on purpose, unknown, or set by the user
 */
TesoroImportMatch
tesoro_import_mapping_get_match (TesoroImportMapping *self,
                                 guint                column)
{
  g_return_val_if_fail (self != NULL, TESORO_IMPORT_MATCH_NONE);
  g_return_val_if_fail (column < self->n_columns, TESORO_IMPORT_MATCH_NONE);

  return self->matches[column];
}

/**
 * tesoro_import_mapping_set_spec:
 * @column: the column, from 0
 * @spec: a field spec
 * @error: return location for a #GError
 *
 * Maps @column to @spec, as the user chose.
 *
 * Returns: whether @spec was valid (nothing changes otherwise)
 */
gboolean
tesoro_import_mapping_set_spec (TesoroImportMapping  *self,
                                guint                 column,
                                const char           *spec,
                                GError              **error)
{
  TesoroImportSpec *parsed;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (column < self->n_columns, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  parsed = tesoro_import_spec_parse (spec, error);
  if (parsed == NULL)
    return FALSE;
  if (spec_is_disabled (self, parsed))
    {
      g_autofree char *label = tesoro_import_spec_describe (parsed);

      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The field “%s” is switched off (Preferences → Fields): it cannot be imported"), label);
      tesoro_import_spec_free (parsed);
      return FALSE;
    }

  tesoro_import_spec_free (self->specs[column]);
  self->specs[column] = parsed;
  self->matches[column] = TESORO_IMPORT_MATCH_USER;

  return TRUE;
}

/**
 * tesoro_import_mapping_get_signature:
 *
 * Returns: (transfer full): tesoro_import_layout_signature() of the
 * mapping's headers
 */
char *
tesoro_import_mapping_get_signature (TesoroImportMapping *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return tesoro_import_layout_signature ((const char * const *) self->headers, self->n_columns);
}

/**
 * tesoro_import_mapping_list_choices:
 * @column: the column whose drop-down is filled
 * @custom_names: (nullable) (array zero-terminated=1): the custom fields
 *   the database has
 *
 * Returns: (transfer full) (element-type TesoroImportChoice): the choices
 * of tesoro_import_list_choices(), plus the column's current spec when it
 * is not among them (a group such as `email/label#1`) and a custom field
 * named after the column's header
 */
GPtrArray *
tesoro_import_mapping_list_choices (TesoroImportMapping *self,
                                    guint                column,
                                    const char * const  *custom_names)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) all_names = NULL;
  g_autofree char *current = NULL;
  GPtrArray *choices;
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  if (custom_names != NULL)
    g_strv_builder_addv (names, (const char **) custom_names);
  if (self->specs[column]->field == TESORO_IMPORT_CUSTOM)
    g_strv_builder_add (names, self->specs[column]->custom_name);
  if (self->headers != NULL && self->headers[column] != NULL &&
      strlen (self->headers[column]) <= MAX_CUSTOM_NAME_FROM_HEADER)
    {
      g_autofree char *header = tesoro_normalize_space (self->headers[column]);

      if (*header != '\0')
        g_strv_builder_add (names, header);
    }
  all_names = g_strv_builder_end (names);

  choices = tesoro_import_list_choices ((const char * const *) all_names);
  for (guint i = choices->len; i > 0 && self->disabled != NULL; i--)
    {
      g_autoptr(TesoroImportSpec) choice = tesoro_import_spec_parse (((TesoroImportChoice *) choices->pdata[i - 1])->spec,
                                                                     NULL);

      if (choice != NULL && spec_is_disabled (self, choice))
        g_ptr_array_remove_index (choices, i - 1);
    }
  current = tesoro_import_spec_to_string (self->specs[column]);
  for (guint i = 0; i < choices->len && !found; i++)
    found = g_str_equal (((TesoroImportChoice *) choices->pdata[i])->spec, current);

  if (!found)
    {
      TesoroImportChoice *choice = g_new0 (TesoroImportChoice, 1);
      const TesoroImportSpec *spec = self->specs[column];

      choice->spec = g_steal_pointer (&current);
      choice->label = tesoro_import_spec_describe (spec);
      choice->section = g_strdup (spec->field == TESORO_IMPORT_EMAIL || spec->field == TESORO_IMPORT_EMAIL_LABEL
                                  ? _("E-mail")
                                  : spec->field == TESORO_IMPORT_PHONE || spec->field == TESORO_IMPORT_PHONE_LABEL
                                  ? _("Phone")
                                  : spec->field == TESORO_IMPORT_ADDRESS || spec->field == TESORO_IMPORT_ADDRESS_LABEL
                                  ? _("Address") : _("Other"));
      /* After "Do not import", so that it shows near the top. */
      g_ptr_array_insert (choices, 1, choice);
    }

  return choices;
}

/**
 * tesoro_import_mapping_set_disabled_fields:
 * @keys: (nullable) (array zero-terminated=1): the keys of the fields the
 *   organisation switched off (data minimisation; see tesoro-data-field.h)
 *
 * From now on a column that maps to one of these fields maps to "Do not
 * import" (%TESORO_IMPORT_MATCH_SKIPPED), whether guessed, remembered or
 * loaded from a file; choosing one is refused, and the choices no longer
 * offer them.
 */
void
tesoro_import_mapping_set_disabled_fields (TesoroImportMapping *self,
                                           const char * const  *keys)
{
  g_return_if_fail (self != NULL);

  g_strfreev (self->disabled);
  self->disabled = keys != NULL && keys[0] != NULL ? g_strdupv ((char **) keys) : NULL;
  drop_disabled (self);
}

/**
 * tesoro_import_mapping_set_default_country:
 * @country: an ISO 3166 code from tesoro_phone_countries()
 * @error: return location for a #GError
 *
 * Sets the country of phone numbers written without a country code.
 *
 * Returns: whether Tesoro knows @country's phone numbers
 */
gboolean
tesoro_import_mapping_set_default_country (TesoroImportMapping  *self,
                                           const char           *country,
                                           GError              **error)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (country != NULL, FALSE);

  if (!tesoro_phone_country_is_supported (country))
    {
      g_autofree char *known = g_strjoinv (", ", (GStrv) tesoro_phone_countries ());

      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Tesoro does not know the phone numbers of country “%.20s”; it knows %s"),
                   country, known);
      return FALSE;
    }

  upper = g_ascii_strup (country, -1);
  tesoro_set_str (&self->default_country, upper);
  return TRUE;
}

/**
 * tesoro_import_mapping_get_default_country:
 *
 * Returns: the ISO 3166 code of the country of phone numbers written
 * without a country code (by default "NL")
 */
const char *
tesoro_import_mapping_get_default_country (TesoroImportMapping *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->default_country;
}

/**
 * tesoro_import_mapping_set_date_order:
 * @order: how to read dates such as 01/02/2024; %TESORO_DATE_ORDER_UNKNOWN
 *   reads them day first
 */
void
tesoro_import_mapping_set_date_order (TesoroImportMapping *self,
                                      TesoroDateOrder      order)
{
  g_return_if_fail (self != NULL);

  self->date_order = order;
}

/**
 * tesoro_import_mapping_get_date_order:
 *
 * Returns: the order of day and month dates are read in
 */
TesoroDateOrder
tesoro_import_mapping_get_date_order (TesoroImportMapping *self)
{
  g_return_val_if_fail (self != NULL, TESORO_DATE_ORDER_UNKNOWN);

  return self->date_order;
}

/**
 * tesoro_import_mapping_set_normalize_phones:
 * @normalize: whether phone numbers are turned into E.164 (the default);
 *   when %FALSE they are kept as written (white space tidied)
 */
void
tesoro_import_mapping_set_normalize_phones (TesoroImportMapping *self,
                                            gboolean             normalize)
{
  g_return_if_fail (self != NULL);

  self->normalize_phones = !!normalize;
}

/**
 * tesoro_import_mapping_set_consent_source:
 * @source: (nullable): the source recorded with imported consent, such as
 *   "import: klanten.csv"
 */
void
tesoro_import_mapping_set_consent_source (TesoroImportMapping *self,
                                          const char          *source)
{
  g_return_if_fail (self != NULL);

  tesoro_set_str (&self->consent_source, source);
}

/**
 * tesoro_import_mapping_set_fixed_lawful_basis:
 * @basis: (nullable): a lawful basis for every row whose lawful basis
 *   column is empty (or that has none); %NULL for none
 * @error: return location for a #GError
 *
 * Returns: whether @basis is a lawful basis (see
 * tesoro_normalize_lawful_basis())
 */
gboolean
tesoro_import_mapping_set_fixed_lawful_basis (TesoroImportMapping  *self,
                                              const char           *basis,
                                              GError              **error)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (basis != NULL)
    {
      normal = tesoro_normalize_lawful_basis (basis, error);
      if (normal == NULL)
        return FALSE;
    }

  tesoro_set_str (&self->fixed_lawful_basis, normal);
  return TRUE;
}

/**
 * tesoro_import_mapping_set_fixed_consent:
 * @answer: the marketing consent recorded for every row whose consent
 *   column is empty (or that has none); %TESORO_CONSENT_ANSWER_NONE for
 *   none
 */
void
tesoro_import_mapping_set_fixed_consent (TesoroImportMapping *self,
                                         TesoroConsentAnswer  answer)
{
  g_return_if_fail (self != NULL);

  self->fixed_consent = answer;
}

/**
 * tesoro_import_mapping_check:
 * @error: return location for a #GError
 *
 * Checks that the mapping can make contacts: some column holds a name or
 * an e-mail address (or an organisation), every label column has value
 * columns of the same group, and no two columns fill the same one-value
 * field (birthday, lawful basis, consent) where the second would be
 * dropped without a word.
 *
 * Returns: whether the mapping can be used; %FALSE with @error set to a
 * message that names the column
 */
gboolean
tesoro_import_mapping_check (TesoroImportMapping  *self,
                             GError              **error)
{
  gboolean identity = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->n_columns; i++)
    {
      TesoroImportField field = self->specs[i]->field;

      identity |= field == TESORO_IMPORT_GIVEN_NAME || field == TESORO_IMPORT_FAMILY_NAME ||
                  field == TESORO_IMPORT_NAME || field == TESORO_IMPORT_DISPLAY_NAME ||
                  field == TESORO_IMPORT_EMAIL || field == TESORO_IMPORT_ORGANIZATION;
    }

  if (!identity)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("No column is mapped to a name, an organisation or an e-mail address, so the imported contacts could not be told apart"));
      return FALSE;
    }

  for (guint i = 0; i < self->n_columns; i++)
    {
      TesoroImportField field = self->specs[i]->field;

      if (is_label_field (field) && !column_has_value_for_label (self, i))
        {
          g_autofree char *name = tesoro_import_mapping_dup_column_name (self, i);
          g_autofree char *spec = tesoro_import_spec_to_string (self->specs[i]);

          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("Column “%s” is mapped to “%s”, but no column holds the values it labels (give them the same group, such as #1)"),
                       name, spec);
          return FALSE;
        }

      if (field == TESORO_IMPORT_BIRTHDAY || field == TESORO_IMPORT_LAWFUL_BASIS ||
          field == TESORO_IMPORT_CONSENT)
        for (guint j = 0; j < i; j++)
          if (self->specs[j]->field == field)
            {
              g_autofree char *first = tesoro_import_mapping_dup_column_name (self, j);
              g_autofree char *second = tesoro_import_mapping_dup_column_name (self, i);
              g_autofree char *spec = tesoro_import_spec_to_string (self->specs[i]);

              g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Columns “%s” and “%s” are both mapped to “%s”, which holds one value"),
                           first, second, spec);
              return FALSE;
            }
    }

  return TRUE;
}

/* JSON */

static int
find_column (TesoroImportMapping  *self,
             const char           *key,
             GError              **error)
{
  g_autofree char *wanted = NULL;
  int found = -1;
  guint n_found = 0;

  /* "#3": the third column */
  if (key[0] == '#' && key[1] != '\0' && strspn (key + 1, "0123456789") == strlen (key + 1))
    {
      guint64 n = strlen (key + 1) <= 6 ? g_ascii_strtoull (key + 1, NULL, 10) : 0;

      if (n >= 1 && n <= self->n_columns)
        return (int) n - 1;
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The mapping names column %s, but the file has %u columns"), key, self->n_columns);
      return -1;
    }

  if (self->headers != NULL)
    {
      for (guint i = 0; i < self->n_columns; i++)
        if (g_strcmp0 (self->headers[i], key) == 0)
          {
            found = (int) i;
            n_found++;
          }

      if (n_found == 0)
        {
          wanted = tesoro_import_header_key (key);
          for (guint i = 0; i < self->n_columns && *wanted != '\0'; i++)
            {
              g_autofree char *have = tesoro_import_header_key (self->headers[i]);

              if (g_str_equal (have, wanted))
                {
                  found = (int) i;
                  n_found++;
                }
            }
        }
    }

  if (n_found == 1)
    return found;

  /* "3" alone, when no header is called that */
  if (n_found == 0 && *key != '\0' && strspn (key, "0123456789") == strlen (key) && strlen (key) <= 6)
    {
      guint64 n = g_ascii_strtoull (key, NULL, 10);

      if (n >= 1 && n <= self->n_columns)
        return (int) n - 1;
    }

  if (n_found > 1)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                 _("The mapping names the column “%.80s”, but the file has several columns of that name; name them by number instead (“#1”, “#2”…)"),
                 key);
  else
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                 _("The mapping names the column “%.80s”, which the file does not have"), key);
  return -1;
}

static TesoroImportSpec *
spec_from_json (JsonNode    *value,
                const char  *column,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  TesoroImportSpec *spec;

  if (JSON_NODE_HOLDS_NULL (value))
    return tesoro_import_spec_new (TESORO_IMPORT_IGNORE);

  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The mapping of column “%.80s” is not a text such as \"given_name\" or \"email/work\""),
                   column);
      return NULL;
    }

  spec = tesoro_import_spec_parse (json_node_get_string (value), &local_error);
  if (spec == NULL)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                 _("The mapping of column “%.80s”: %s"), column, local_error->message);
  return spec;
}

/**
 * tesoro_import_mapping_load_json:
 * @node: a mapping as read from a `--mapping` file: an object whose keys
 *   are column headers (matched exactly, else as
 *   tesoro_import_header_key() does) or column numbers (`"#1"` is the
 *   first column; `"1"` too, unless a header is called "1") and whose
 *   values are field specs or null (ignore); or an array of specs, one per
 *   column from the first
 * @error: return location for a #GError
 *
 * Applies a saved mapping. Columns the mapping does not name keep what
 * they had (usually the automatic guess). All or nothing: on error the
 * mapping is unchanged.
 *
 * Returns: whether @node was a valid mapping for these columns
 */
gboolean
tesoro_import_mapping_load_json (TesoroImportMapping  *self,
                                 JsonNode             *node,
                                 GError              **error)
{
  g_autoptr(GPtrArray) specs = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  specs = g_ptr_array_new_full (self->n_columns, (GDestroyNotify) tesoro_import_spec_free);
  g_ptr_array_set_size (specs, self->n_columns);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *key = l->data;
          TesoroImportSpec *spec;
          int column = find_column (self, key, error);

          if (column < 0)
            return FALSE;
          if (specs->pdata[column] != NULL)
            {
              g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("The mapping names column “%.80s” twice"), key);
              return FALSE;
            }
          spec = spec_from_json (json_object_get_member (object, key), key, error);
          if (spec == NULL)
            return FALSE;
          specs->pdata[column] = spec;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint length = json_array_get_length (array);

      if (length > self->n_columns)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("The mapping has %u columns, but the file has %u"), length, self->n_columns);
          return FALSE;
        }
      for (guint i = 0; i < length; i++)
        {
          g_autofree char *name = g_strdup_printf ("#%u", i + 1);

          specs->pdata[i] = spec_from_json (json_array_get_element (array, i), name, error);
          if (specs->pdata[i] == NULL)
            return FALSE;
        }
    }
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("A mapping is a JSON object such as {\"Voornaam\": \"given_name\", \"E-mail\": \"email/work\"}"));
      return FALSE;
    }

  for (guint i = 0; i < self->n_columns; i++)
    if (specs->pdata[i] != NULL)
      {
        tesoro_import_spec_free (self->specs[i]);
        self->specs[i] = g_steal_pointer (&specs->pdata[i]);
        self->matches[i] = TESORO_IMPORT_MATCH_USER;
      }
  /* A remembered or saved mapping may name a field switched off since. */
  drop_disabled (self);

  return TRUE;
}

/**
 * tesoro_import_mapping_to_json:
 *
 * Returns: (transfer full): the mapping as an object of header → spec,
 * in column order, that tesoro_import_mapping_load_json() reads back;
 * columns without a header, or whose header another column shares, are
 * named by number ("#3")
 */
JsonNode *
tesoro_import_mapping_to_json (TesoroImportMapping *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < self->n_columns; i++)
    {
      g_autofree char *spec = tesoro_import_spec_to_string (self->specs[i]);
      g_autofree char *key = NULL;
      gboolean unique = self->headers != NULL && self->headers[i] != NULL && *self->headers[i] != '\0' &&
                        self->headers[i][0] != '#' && strspn (self->headers[i], "0123456789") != strlen (self->headers[i]);

      for (guint j = 0; j < self->n_columns && unique; j++)
        if (j != i && g_strcmp0 (self->headers[j], self->headers[i]) == 0)
          unique = FALSE;

      key = unique ? g_strdup (self->headers[i]) : g_strdup_printf ("#%u", i + 1);
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, spec);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Applying a mapping to a row */

void
tesoro_import_problem_free (TesoroImportProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->column_name);
  g_free (problem->value);
  g_free (problem->message);
  g_free (problem);
}

typedef struct
{
  TesoroImportField  field;
  guint              group;
  const char        *label;   /* static */
} RowLabel;

typedef struct
{
  const char *label;   /* the spec's, borrowed from the mapping */
  guint       group;
  GString    *street;
  GString    *house_number;
  char       *postal_code;
  char       *city;
  char       *region;
  char       *country;
  char       *full;
} AddressBuilder;

static void
address_builder_free (AddressBuilder *builder)
{
  g_string_free (builder->street, TRUE);
  g_string_free (builder->house_number, TRUE);
  g_free (builder->postal_code);
  g_free (builder->city);
  g_free (builder->region);
  g_free (builder->country);
  g_free (builder->full);
  g_free (builder);
}

typedef struct
{
  TesoroImportMapping *mapping;
  GPtrArray           *problems;
  GArray              *labels;
  GPtrArray           *addresses;
  GString             *given;
  GString             *middle;
  GString             *particle;
  GString             *family;
  GString             *organization;
  GString             *job_title;
  char                *full_name;
  char                *display_name;
  char                *birthday;
  char                *lawful_basis;
  TesoroConsentAnswer  consent;
  int                  consent_column;
  char                *consent_value;
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->labels, g_array_unref);
  g_clear_pointer (&row->addresses, g_ptr_array_unref);
  g_string_free (row->given, TRUE);
  g_string_free (row->middle, TRUE);
  g_string_free (row->particle, TRUE);
  g_string_free (row->family, TRUE);
  g_string_free (row->organization, TRUE);
  g_string_free (row->job_title, TRUE);
  g_free (row->full_name);
  g_free (row->display_name);
  g_free (row->birthday);
  g_free (row->lawful_basis);
  g_free (row->consent_value);
}

static void
add_problem (Row        *row,
             int         column,
             const char *value,
             const char *message)
{
  TesoroImportProblem *problem = g_new0 (TesoroImportProblem, 1);

  problem->column = column;
  if (column >= 0)
    problem->column_name = tesoro_import_mapping_dup_column_name (row->mapping, column);
  if (value != NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (value, MIN (strlen (value), 200));
      problem->value = g_steal_pointer (&valid);
    }
  problem->message = g_strdup (message);
  g_ptr_array_add (row->problems, problem);
}

/* Appends @value to @list unless it is there already (ignoring case and
 * accents). */
static void
append_distinct (GString    *list,
                 const char *value,
                 const char *separator)
{
  if (list->len > 0)
    {
      g_autofree char *have = tesoro_fold (list->str);
      g_autofree char *want = tesoro_fold (value);
      g_auto(GStrv) items = g_strsplit (have, separator, -1);

      if (g_strv_contains ((const char * const *) items, want))
        return;
      g_string_append (list, separator);
    }
  g_string_append (list, value);
}

static const char *
row_label (Row               *row,
           TesoroImportField  label_field,
           guint              group)
{
  for (guint i = 0; i < row->labels->len; i++)
    {
      RowLabel *l = &g_array_index (row->labels, RowLabel, i);

      if (l->field == label_field && l->group == group)
        return l->label;
    }
  return NULL;
}

static AddressBuilder *
row_address (Row        *row,
             const char *label,
             guint       group)
{
  AddressBuilder *builder;

  for (guint i = 0; i < row->addresses->len; i++)
    {
      builder = row->addresses->pdata[i];
      if (builder->group == group && g_strcmp0 (builder->label, label) == 0)
        return builder;
    }

  builder = g_new0 (AddressBuilder, 1);
  builder->label = label;
  builder->group = group;
  builder->street = g_string_new (NULL);
  builder->house_number = g_string_new (NULL);
  g_ptr_array_add (row->addresses, builder);
  return builder;
}

static void
set_first (char       **field,
           const char  *value)
{
  if (*field == NULL)
    *field = g_strdup (value);
}

static void
add_address_part (Row                    *row,
                  const TesoroImportSpec *spec,
                  const char             *value)
{
  AddressBuilder *builder = row_address (row, spec->label, spec->group);

  switch (spec->part)
    {
    case TESORO_ADDRESS_PART_STREET:
      if (builder->street->len > 0)
        g_string_append (builder->street, ", ");
      g_string_append (builder->street, value);
      break;

    case TESORO_ADDRESS_PART_HOUSE_NUMBER:
      /* "12" and "A" make "12A"; "12" and "bis" make "12 bis". */
      if (builder->house_number->len > 0 && !(strlen (value) <= 2 || value[0] == '-' || value[0] == '/'))
        g_string_append_c (builder->house_number, ' ');
      g_string_append (builder->house_number, value);
      break;

    case TESORO_ADDRESS_PART_POSTAL_CODE:
      set_first (&builder->postal_code, value);
      break;

    case TESORO_ADDRESS_PART_CITY:
      set_first (&builder->city, value);
      break;

    case TESORO_ADDRESS_PART_REGION:
      set_first (&builder->region, value);
      break;

    case TESORO_ADDRESS_PART_COUNTRY:
      set_first (&builder->country, value);
      break;

    case TESORO_ADDRESS_PART_FULL:
    case TESORO_ADDRESS_PART_NONE:
    default:
      set_first (&builder->full, value);
      break;
    }
}

static gboolean
detail_present (GPtrArray  *details,
                const char *value)
{
  for (guint i = 0; i < details->len; i++)
    if (g_ascii_strcasecmp (((TesoroDetail *) details->pdata[i])->value, value) == 0)
      return TRUE;
  return FALSE;
}

static void
add_emails (Row                    *row,
            TesoroContact          *contact,
            guint                   column,
            const TesoroImportSpec *spec,
            const char             *text)
{
  g_auto(GStrv) pieces = tesoro_split_email_list (text);
  const char *label = row_label (row, TESORO_IMPORT_EMAIL_LABEL, spec->group);
  GPtrArray *emails = tesoro_contact_get_emails (contact);

  if (label == NULL)
    label = spec->label != NULL ? spec->label : "other";

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *email = tesoro_normalize_email (pieces[i], &error);

      if (email == NULL)
        {
          add_problem (row, column, pieces[i], error->message);
          continue;
        }
      if (!detail_present (emails, email))
        tesoro_contact_add_email (contact, label, email, emails->len == 0);
    }
}

static void
add_phones (Row                    *row,
            TesoroContact          *contact,
            guint                   column,
            const TesoroImportSpec *spec,
            const char             *text)
{
  g_autoptr(GString) work = g_string_new (text);
  g_auto(GStrv) pieces = NULL;
  const char *label = row_label (row, TESORO_IMPORT_PHONE_LABEL, spec->group);
  GPtrArray *phones = tesoro_contact_get_phones (contact);

  if (label == NULL)
    label = spec->label != NULL ? spec->label : "other";

  /* Google writes several numbers as "a ::: b". */
  g_string_replace (work, ":::", "\n", 0);
  pieces = g_strsplit (work->str, "\n", -1);

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *piece = tesoro_normalize_space (pieces[i]);
      g_autofree char *phone = NULL;

      if (*piece == '\0')
        continue;

      if (row->mapping->normalize_phones)
        {
          phone = tesoro_normalize_phone (piece, row->mapping->default_country, &error);
          if (phone == NULL)
            {
              add_problem (row, column, piece, error->message);
              continue;
            }
        }
      else
        phone = g_steal_pointer (&piece);

      if (!detail_present (phones, phone))
        tesoro_contact_add_phone (contact, label, phone, phones->len == 0);
    }
}

static void
add_tags (TesoroContact *contact,
          const char    *text)
{
  g_autoptr(GPtrArray) tags = tesoro_split_tags (text);
  GPtrArray *have = tesoro_contact_get_tags (contact);

  for (guint i = 0; i < tags->len; i++)
    if (!tesoro_contact_has_tag (contact, tags->pdata[i]))
      g_ptr_array_add (have, g_strdup (tags->pdata[i]));
}

static void
add_custom (TesoroContact *contact,
            const char    *name,
            const char    *value)
{
  const char *have = tesoro_contact_get_custom_value (contact, name);

  if (have != NULL && *have != '\0')
    {
      g_autofree char *joined = NULL;

      if (g_str_equal (have, value))
        return;
      joined = g_strconcat (have, ", ", value, NULL);
      tesoro_contact_set_custom_value (contact, name, joined);
    }
  else
    tesoro_contact_set_custom_value (contact, name, value);
}

static void
add_note (TesoroContact *contact,
          const char    *text)
{
  TesoroNote *note = tesoro_note_new ();

  note->body = g_strdup (text);
  g_ptr_array_add (tesoro_contact_get_notes (contact), note);
}

static void
apply_value (Row                    *row,
             TesoroContact          *contact,
             guint                   column,
             const TesoroImportSpec *spec,
             const char             *text)
{
  g_autoptr(GError) error = NULL;

  switch (spec->field)
    {
    case TESORO_IMPORT_GIVEN_NAME:
      append_distinct (row->given, text, " ");
      break;

    case TESORO_IMPORT_MIDDLE_NAME:
      append_distinct (row->middle, text, " ");
      break;

    case TESORO_IMPORT_FAMILY_NAME_PARTICLE:
      append_distinct (row->particle, text, " ");
      break;

    case TESORO_IMPORT_FAMILY_NAME:
      append_distinct (row->family, text, " ");
      break;

    case TESORO_IMPORT_NAME:
      set_first (&row->full_name, text);
      break;

    case TESORO_IMPORT_DISPLAY_NAME:
      set_first (&row->display_name, text);
      break;

    case TESORO_IMPORT_ORGANIZATION:
      append_distinct (row->organization, text, ", ");
      break;

    case TESORO_IMPORT_JOB_TITLE:
      append_distinct (row->job_title, text, ", ");
      break;

    case TESORO_IMPORT_BIRTHDAY:
      {
        TesoroDateFlags flags = TESORO_DATE_BIRTHDAY;
        g_autofree char *date = NULL;

        if (tesoro_date_is_blank (text) || row->birthday != NULL)
          break;
        if (row->mapping->date_order == TESORO_DATE_ORDER_MONTH_FIRST)
          flags |= TESORO_DATE_MONTH_FIRST;
        date = tesoro_normalize_date (text, flags, &error);
        if (date == NULL)
          add_problem (row, column, text, error->message);
        else
          row->birthday = g_steal_pointer (&date);
      }
      break;

    case TESORO_IMPORT_EMAIL:
      add_emails (row, contact, column, spec, text);
      break;

    case TESORO_IMPORT_PHONE:
      add_phones (row, contact, column, spec, text);
      break;

    case TESORO_IMPORT_ADDRESS:
      add_address_part (row, spec, text);
      break;

    case TESORO_IMPORT_NOTE:
      add_note (contact, text);
      break;

    case TESORO_IMPORT_TAGS:
      add_tags (contact, text);
      break;

    case TESORO_IMPORT_LAWFUL_BASIS:
      {
        g_autofree char *basis = NULL;

        if (row->lawful_basis != NULL)
          break;
        basis = tesoro_normalize_lawful_basis (text, &error);
        if (basis == NULL)
          add_problem (row, column, text, error->message);
        else
          row->lawful_basis = g_steal_pointer (&basis);
      }
      break;

    case TESORO_IMPORT_CONSENT:
      {
        TesoroConsentAnswer answer;

        if (row->consent != TESORO_CONSENT_ANSWER_NONE)
          break;
        if (!tesoro_parse_consent (text, &answer, &error))
          add_problem (row, column, text, error->message);
        else if (answer != TESORO_CONSENT_ANSWER_NONE)
          {
            row->consent = answer;
            row->consent_column = (int) column;
            row->consent_value = g_strdup (text);
          }
      }
      break;

    case TESORO_IMPORT_CUSTOM:
      /* Outlook writes "0/0/00" for an empty date such as "Anniversary";
       * a plain "0" is a value, though. */
      if (strpbrk (text, "-/.") != NULL && tesoro_date_is_blank (text))
        break;
      add_custom (contact, spec->custom_name, text);
      break;

    case TESORO_IMPORT_IGNORE:
    case TESORO_IMPORT_EMAIL_LABEL:
    case TESORO_IMPORT_PHONE_LABEL:
    case TESORO_IMPORT_ADDRESS_LABEL:
    default:
      break;
    }
}

static char *
string_or_null (GString *s)
{
  return s->len > 0 ? g_strdup (s->str) : NULL;
}

static void
finish_names (Row           *row,
              TesoroContact *contact)
{
  g_autofree char *given = string_or_null (row->given);
  g_autofree char *family = string_or_null (row->family);
  g_autofree char *organization = string_or_null (row->organization);

  if (row->particle->len > 0)
    {
      char *joined = tesoro_join_family_name (row->particle->str, family);

      g_free (family);
      family = joined;
    }

  if (row->middle->len > 0)
    {
      if (tesoro_is_name_particles (row->middle->str))
        {
          /* Dutch users of Outlook put "van der" in "Middle Name". */
          char *joined = tesoro_join_family_name (row->middle->str, family);

          g_free (family);
          family = joined;
        }
      else
        {
          char *joined = given != NULL ? g_strconcat (given, " ", row->middle->str, NULL)
                                       : g_strdup (row->middle->str);

          g_free (given);
          given = joined;
        }
    }

  if (row->full_name != NULL)
    {
      g_autoptr(TesoroNameParts) parts = tesoro_split_name (row->full_name);

      if (given == NULL && family == NULL)
        {
          if (*parts->given != '\0')
            given = g_strdup (parts->given);
          if (*parts->family != '\0')
            family = g_strdup (parts->family);
        }

      if (strchr (row->full_name, ',') == NULL)
        {
          /* The name as the file writes it, titles included ("Dr. Anna de
           * Vries"), is the display name. */
          set_first (&row->display_name, row->full_name);
        }
      else if (parts->prefix != NULL || parts->suffix != NULL)
        {
          /* "Vries, Dr. Anna de" is shown as "Dr. Anna de Vries"; without
           * titles the store composes the display name itself. */
          g_autoptr(GString) shown = g_string_new (NULL);
          const char *pieces[] = { parts->prefix, parts->given, parts->family, parts->suffix };

          for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
            if (pieces[i] != NULL && *pieces[i] != '\0')
              g_string_append_printf (shown, "%s%s", shown->len > 0 ? " " : "", pieces[i]);
          set_first (&row->display_name, shown->str);
        }
    }

  /* A company without a contact person is known by its name. */
  if (given == NULL && family == NULL && row->display_name == NULL && organization != NULL)
    row->display_name = g_strdup (organization);

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  tesoro_contact_set_display_name (contact, row->display_name);
  tesoro_contact_set_organization (contact, organization);
  if (row->job_title->len > 0)
    tesoro_contact_set_job_title (contact, row->job_title->str);
}

static void
finish_addresses (Row           *row,
                  TesoroContact *contact)
{
  for (guint i = 0; i < row->addresses->len; i++)
    {
      AddressBuilder *b = row->addresses->pdata[i];
      const char *label = row_label (row, TESORO_IMPORT_ADDRESS_LABEL, b->group);
      gboolean has_parts = b->street->len > 0 || b->house_number->len > 0 || b->postal_code != NULL ||
                           b->city != NULL || b->region != NULL || b->country != NULL;
      TesoroAddress *address;

      if (has_parts)
        {
          address = tesoro_address_new ();
          if (b->street->len > 0 && b->house_number->len > 0)
            address->street = g_strconcat (b->street->str, " ", b->house_number->str, NULL);
          else if (b->street->len > 0 || b->house_number->len > 0)
            address->street = g_strdup (b->street->len > 0 ? b->street->str : b->house_number->str);
          address->postal_code = g_strdup (b->postal_code);
          address->city = g_strdup (b->city);
          address->region = g_strdup (b->region);
          address->country = g_strdup (b->country);
        }
      else if (b->full != NULL)
        address = tesoro_parse_address_line (b->full);
      else
        continue;

      if (tesoro_address_is_empty (address))
        {
          tesoro_address_free (address);
          continue;
        }

      g_free (address->label);
      address->label = g_strdup (label != NULL ? label : b->label != NULL ? b->label : "other");
      g_ptr_array_add (tesoro_contact_get_addresses (contact), address);
    }
}

static void
finish_consent (Row           *row,
                TesoroContact *contact)
{
  TesoroImportMapping *mapping = row->mapping;
  TesoroConsentAnswer answer = row->consent;
  TesoroConsentEvent *event;

  if (answer == TESORO_CONSENT_ANSWER_NONE)
    answer = mapping->fixed_consent;
  if (answer == TESORO_CONSENT_ANSWER_NONE)
    return;

  event = tesoro_consent_event_new ();
  event->purpose = g_strdup ("marketing-email");
  event->granted = answer == TESORO_CONSENT_ANSWER_GRANTED;
  event->source = g_strdup (mapping->consent_source != NULL ? mapping->consent_source : "import");
  if (row->consent != TESORO_CONSENT_ANSWER_NONE)
    {
      g_autofree char *column = tesoro_import_mapping_dup_column_name (mapping, row->consent_column);

      event->evidence = g_strdup_printf (_("Imported: column “%s” said “%s”"), column, row->consent_value);
    }
  else
    event->evidence = g_strdup (_("Imported: set for the whole import"));
  g_ptr_array_add (tesoro_contact_get_consent (contact), event);
}

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/**
 * tesoro_import_mapping_apply:
 * @values: (array length=n_values): the fields of one record, as read
 * @n_values: how many; missing fields count as empty, extra ones are
 *   ignored (the reader reports ragged rows)
 * @problems: (out) (transfer full) (element-type TesoroImportProblem):
 *   what is wrong with the row; empty when it can be imported
 *
 * Builds the contact a row describes, normalising every value (names
 * split and joined, dates to ISO, phone numbers to E.164 with the
 * mapping's default country, e-mail addresses cleaned, tags split, a
 * consent event with the mapping's source). A value that cannot be read
 * is left out of the contact and reported as a problem quoting it; a row
 * with neither a name nor an e-mail address is a problem too. The contact
 * has no id and no timestamps: the store gives them.
 *
 * Safe to call from a worker thread while no one changes the mapping.
 *
 * Returns: (transfer full): the contact, as far as it could be built
 */
TesoroContact *
tesoro_import_mapping_apply (TesoroImportMapping  *self,
                             const char * const   *values,
                             guint                 n_values,
                             GPtrArray           **problems)
{
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  Row row = { 0 };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (values != NULL || n_values == 0, NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  contact = tesoro_contact_new ();
  row.mapping = self;
  row.problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_problem_free);
  row.labels = g_array_new (FALSE, FALSE, sizeof (RowLabel));
  row.addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) address_builder_free);
  row.given = g_string_new (NULL);
  row.middle = g_string_new (NULL);
  row.particle = g_string_new (NULL);
  row.family = g_string_new (NULL);
  row.organization = g_string_new (NULL);
  row.job_title = g_string_new (NULL);
  row.consent_column = -1;

  /* Label columns first: they label values in columns before them too. */
  for (guint i = 0; i < self->n_columns && i < n_values; i++)
    {
      const TesoroImportSpec *spec = self->specs[i];
      RowLabel label;

      if (!is_label_field (spec->field) || values[i] == NULL || strlen (values[i]) > 256)
        continue;
      label.label = tesoro_normalize_detail_label (detail_kind (spec->field), values[i]);
      if (label.label == NULL)
        continue;
      label.field = spec->field;
      label.group = spec->group;
      g_array_append_val (row.labels, label);
    }

  for (guint i = 0; i < self->n_columns && i < n_values; i++)
    {
      const TesoroImportSpec *spec = self->specs[i];
      gboolean long_text = spec->field == TESORO_IMPORT_NOTE || spec->field == TESORO_IMPORT_CUSTOM;
      g_autofree char *text = NULL;
      g_autofree char *column_name = NULL;

      if (spec->field == TESORO_IMPORT_IGNORE || is_label_field (spec->field) || values[i] == NULL)
        continue;

      if (*values[i] == '\0')
        continue;

      if (!tesoro_check_text ("", values[i], long_text ? TESORO_MAX_LONG_TEXT : TESORO_MAX_SHORT_TEXT, NULL))
        {
          /* Invalid UTF-8, a control character, or far too long. */
          column_name = tesoro_import_mapping_dup_column_name (self, i);
          tesoro_check_text (column_name, values[i], long_text ? TESORO_MAX_LONG_TEXT : TESORO_MAX_SHORT_TEXT,
                             &error);
          add_problem (&row, (int) i, NULL, error->message);
          g_clear_error (&error);
          continue;
        }

      if (long_text)
        {
          /* Notes and custom values keep their line breaks. */
          text = g_strdup (values[i]);
          g_strstrip (text);
        }
      else
        text = tesoro_normalize_space (values[i]);

      if (*text == '\0')
        continue;

      apply_value (&row, contact, i, spec, text);
    }

  finish_names (&row, contact);
  finish_addresses (&row, contact);
  finish_consent (&row, contact);
  if (row.birthday != NULL)
    tesoro_contact_set_birthday (contact, row.birthday);
  tesoro_contact_set_lawful_basis (contact, row.lawful_basis != NULL ? row.lawful_basis
                                                                     : self->fixed_lawful_basis);

  if (!has_text (tesoro_contact_get_given_name (contact)) &&
      !has_text (tesoro_contact_get_family_name (contact)) &&
      !has_text (tesoro_contact_get_display_name (contact)) &&
      tesoro_contact_get_emails (contact)->len == 0)
    add_problem (&row, -1, NULL, _("The row has neither a name nor an e-mail address"));
  else if (row.problems->len == 0 && !tesoro_contact_validate (contact, &error))
    add_problem (&row, -1, NULL, error->message);

  *problems = g_steal_pointer (&row.problems);
  row_clear (&row);

  return g_steal_pointer (&contact);
}
