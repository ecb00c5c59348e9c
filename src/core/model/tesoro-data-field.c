/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-data-field"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-data-field.h"

/*
 * Personal data is what relates to the person; the lawful basis is a fact
 * about the processing, not about them. Everything linked to a contact
 * otherwise is personal data (GDPR Art. 4(1)): custom fields too.
 */

static const struct
{
  const char        *key;
  const char        *label;
  gboolean           personal;
  gboolean           switchable;
  TesoroFieldGroups  group;
} fields[TESORO_N_BUILTIN_DATA_FIELDS] = {
  [TESORO_DATA_FIELD_NAME] = { "name", N_("Name"), TRUE, FALSE, TESORO_FIELDS_NAME },
  [TESORO_DATA_FIELD_ORGANIZATION] = { "organization", N_("Organisation"), TRUE, TRUE, TESORO_FIELDS_ORGANIZATION },
  [TESORO_DATA_FIELD_JOB_TITLE] = { "job_title", N_("Job title"), TRUE, TRUE, TESORO_FIELDS_ORGANIZATION },
  [TESORO_DATA_FIELD_BIRTHDAY] = { "birthday", N_("Birthday"), TRUE, TRUE, TESORO_FIELDS_BIRTHDAY },
  [TESORO_DATA_FIELD_EMAILS] = { "emails", N_("E-mail addresses"), TRUE, TRUE, TESORO_FIELDS_EMAILS },
  [TESORO_DATA_FIELD_PHONES] = { "phones", N_("Phone numbers"), TRUE, TRUE, TESORO_FIELDS_PHONES },
  [TESORO_DATA_FIELD_ADDRESSES] = { "addresses", N_("Addresses"), TRUE, TRUE, TESORO_FIELDS_ADDRESSES },
  [TESORO_DATA_FIELD_TAGS] = { "tags", N_("Tags"), TRUE, TRUE, TESORO_FIELDS_TAGS },
  [TESORO_DATA_FIELD_LAWFUL_BASIS] = { "lawful_basis", N_("Lawful basis"), FALSE, FALSE, TESORO_FIELDS_CONSENT },
  [TESORO_DATA_FIELD_NOTES] = { "notes", N_("Notes"), TRUE, FALSE, TESORO_FIELDS_NOTES },
  [TESORO_DATA_FIELD_MESSAGES] = { "messages", N_("Messages"), TRUE, FALSE, TESORO_FIELDS_MESSAGES },
  [TESORO_DATA_FIELD_TASKS] = { "tasks", N_("Tasks"), TRUE, FALSE, TESORO_FIELDS_TASKS },
  [TESORO_DATA_FIELD_ACTIVITIES] = { "activities", N_("Calls and meetings"), TRUE, FALSE, TESORO_FIELDS_ACTIVITIES },
  [TESORO_DATA_FIELD_CONSENT] = { "consent", N_("Consent history"), TRUE, FALSE, TESORO_FIELDS_CONSENT },
};

/**
 * tesoro_data_field_to_key:
 *
 * Returns: the key of a built-in field ("birthday"); "custom" for
 * %TESORO_DATA_FIELD_CUSTOM, whose keys are made by
 * tesoro_data_field_custom_key()
 */
const char *
tesoro_data_field_to_key (TesoroDataField field)
{
  g_return_val_if_fail (field <= TESORO_DATA_FIELD_CUSTOM, NULL);
  return field == TESORO_DATA_FIELD_CUSTOM ? "custom" : fields[field].key;
}

/**
 * tesoro_data_field_parse_key:
 * @key: "birthday", "custom:Klantnummer", …
 * @field: (out): the field
 * @custom_name: (out) (optional) (transfer full): the custom field's name,
 *   %NULL for a built-in field
 *
 * Returns: whether @key names a field
 */
gboolean
tesoro_data_field_parse_key (const char       *key,
                             TesoroDataField  *field,
                             char            **custom_name)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (custom_name != NULL)
    *custom_name = NULL;
  if (key == NULL)
    return FALSE;

  if (g_str_has_prefix (key, TESORO_DATA_FIELD_CUSTOM_PREFIX))
    {
      const char *name = key + strlen (TESORO_DATA_FIELD_CUSTOM_PREFIX);

      if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
        return FALSE;
      *field = TESORO_DATA_FIELD_CUSTOM;
      if (custom_name != NULL)
        *custom_name = g_strdup (name);
      return TRUE;
    }

  for (guint i = 0; i < TESORO_N_BUILTIN_DATA_FIELDS; i++)
    if (g_str_equal (key, fields[i].key))
      {
        *field = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * tesoro_data_field_custom_key:
 *
 * Returns: (transfer full): the key of the custom field @name
 */
char *
tesoro_data_field_custom_key (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  return g_strconcat (TESORO_DATA_FIELD_CUSTOM_PREFIX, name, NULL);
}

/**
 * tesoro_data_field_get_msgid:
 *
 * Returns: the untranslated label, for a document in a chosen language
 * (tesoro_translate())
 */
const char *
tesoro_data_field_get_msgid (TesoroDataField field)
{
  g_return_val_if_fail (field < TESORO_N_BUILTIN_DATA_FIELDS, NULL);
  return fields[field].label;
}

/**
 * tesoro_data_field_get_label:
 *
 * Returns: the label in the user's language
 */
const char *
tesoro_data_field_get_label (TesoroDataField field)
{
  return _(tesoro_data_field_get_msgid (field));
}

gboolean
tesoro_data_field_is_personal (TesoroDataField field)
{
  g_return_val_if_fail (field <= TESORO_DATA_FIELD_CUSTOM, TRUE);
  return field == TESORO_DATA_FIELD_CUSTOM || fields[field].personal;
}

/**
 * tesoro_data_field_is_switchable:
 *
 * Returns: whether the organisation may switch the field off: every field
 * but the name and the lawful basis; no record of the history
 */
gboolean
tesoro_data_field_is_switchable (TesoroDataField field)
{
  g_return_val_if_fail (field <= TESORO_DATA_FIELD_CUSTOM, FALSE);
  return field == TESORO_DATA_FIELD_CUSTOM || fields[field].switchable;
}

/**
 * tesoro_data_field_is_record:
 *
 * Returns: whether @field is a kind of record of the history (notes,
 * messages, tasks, activities, consent) rather than a field
 */
gboolean
tesoro_data_field_is_record (TesoroDataField field)
{
  return field >= TESORO_DATA_FIELD_NOTES && field < TESORO_DATA_FIELD_CUSTOM;
}

/**
 * tesoro_data_field_get_group:
 *
 * Returns: the field group that field-level security puts @field in
 */
TesoroFieldGroups
tesoro_data_field_get_group (TesoroDataField field)
{
  g_return_val_if_fail (field <= TESORO_DATA_FIELD_CUSTOM, 0);
  return field == TESORO_DATA_FIELD_CUSTOM ? TESORO_FIELDS_CUSTOM : fields[field].group;
}

/**
 * tesoro_data_field_keys_contain:
 * @keys: (nullable) (array zero-terminated=1): field keys
 *
 * Returns: whether @key is among @keys; custom field names are compared
 * without regard to case, as the database keeps them
 */
gboolean
tesoro_data_field_keys_contain (const char * const *keys,
                                const char         *key)
{
  gboolean custom;

  if (keys == NULL || key == NULL)
    return FALSE;

  custom = g_str_has_prefix (key, TESORO_DATA_FIELD_CUSTOM_PREFIX);
  for (guint i = 0; keys[i] != NULL; i++)
    if (custom ? g_ascii_strcasecmp (keys[i], key) == 0 : g_str_equal (keys[i], key))
      return TRUE;
  return FALSE;
}

TesoroFieldCount *
tesoro_field_count_new (const char *key,
                        gint64      count)
{
  TesoroFieldCount *self = g_new0 (TesoroFieldCount, 1);

  self->key = g_strdup (key);
  self->count = count;
  return self;
}

void
tesoro_field_count_free (TesoroFieldCount *self)
{
  if (self == NULL)
    return;
  g_free (self->key);
  g_free (self);
}
