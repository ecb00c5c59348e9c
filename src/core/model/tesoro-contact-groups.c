/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-contact"

#include "config.h"

#include "tesoro-contact-groups.h"

/*
 * Which of a contact's data belongs to which group (tesoro-field-groups.h):
 * the name is the given, family and display names; the organisation is
 * the organisation and job title; the consent group is the lawful basis,
 * the consent history and the consent state derived from it. Everything
 * else is one field or one list.
 */

static GPtrArray *
list_of (TesoroContact     *self,
         TesoroFieldGroups  group)
{
  switch (group)
    {
    case TESORO_FIELDS_EMAILS: return tesoro_contact_get_emails (self);
    case TESORO_FIELDS_PHONES: return tesoro_contact_get_phones (self);
    case TESORO_FIELDS_ADDRESSES: return tesoro_contact_get_addresses (self);
    case TESORO_FIELDS_CUSTOM: return tesoro_contact_get_custom_values (self);
    case TESORO_FIELDS_TAGS: return tesoro_contact_get_tags (self);
    case TESORO_FIELDS_NOTES: return tesoro_contact_get_notes (self);
    case TESORO_FIELDS_MESSAGES: return tesoro_contact_get_messages (self);
    case TESORO_FIELDS_TASKS: return tesoro_contact_get_tasks (self);
    case TESORO_FIELDS_ACTIVITIES: return tesoro_contact_get_activities (self);
    case TESORO_FIELDS_CONSENT: return tesoro_contact_get_consent (self);
    default: return NULL;
    }
}

/**
 * tesoro_contact_hide_groups:
 * @hidden: the groups the reader may not see
 *
 * Removes the data of @hidden from this copy of the contact and records
 * that they are not shown (tesoro_contact_get_shown_groups()).
 */
void
tesoro_contact_hide_groups (TesoroContact     *self,
                            TesoroFieldGroups  hidden)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));

  hidden &= TESORO_FIELDS_ALL;
  if (hidden == 0)
    return;

  if (hidden & TESORO_FIELDS_NAME)
    {
      tesoro_contact_set_given_name (self, "");
      tesoro_contact_set_family_name (self, "");
      tesoro_contact_set_display_name (self, "");
    }
  if (hidden & TESORO_FIELDS_ORGANIZATION)
    {
      tesoro_contact_set_organization (self, "");
      tesoro_contact_set_job_title (self, "");
    }
  if (hidden & TESORO_FIELDS_EMAILS)
    tesoro_contact_set_primary_email (self, NULL);
  if (hidden & TESORO_FIELDS_BIRTHDAY)
    tesoro_contact_set_birthday (self, NULL);
  if (hidden & TESORO_FIELDS_CONSENT)
    {
      tesoro_contact_set_lawful_basis (self, NULL);
      tesoro_contact_set_consent_state (self, NULL);
    }

  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    {
      TesoroFieldGroups group = 1u << i;
      GPtrArray *list = (hidden & group) ? list_of (self, group) : NULL;

      if (list != NULL)
        g_ptr_array_set_size (list, 0);
    }

  tesoro_contact_set_shown_groups (self, tesoro_contact_get_shown_groups (self) & ~hidden);
}

/**
 * tesoro_contact_hide_custom:
 * @name: a custom field the reader may not see
 *
 * Removes that custom field's value from this copy of the contact.
 */
void
tesoro_contact_hide_custom (TesoroContact *self,
                            const char    *name)
{
  tesoro_contact_set_custom_value (self, name, NULL);
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/**
 * tesoro_contact_get_filled_groups:
 *
 * Returns: the groups in which this copy of the contact holds a value: the
 * categories of personal data actually held about the person
 */
TesoroFieldGroups
tesoro_contact_get_filled_groups (TesoroContact *self)
{
  TesoroFieldGroups filled = 0;

  g_return_val_if_fail (TESORO_IS_CONTACT (self), 0);

  if (has_text (tesoro_contact_get_given_name (self)) || has_text (tesoro_contact_get_family_name (self)) ||
      has_text (tesoro_contact_get_display_name (self)))
    filled |= TESORO_FIELDS_NAME;
  if (has_text (tesoro_contact_get_organization (self)) || has_text (tesoro_contact_get_job_title (self)))
    filled |= TESORO_FIELDS_ORGANIZATION;
  if (has_text (tesoro_contact_get_birthday (self)))
    filled |= TESORO_FIELDS_BIRTHDAY;
  if (has_text (tesoro_contact_get_lawful_basis (self)))
    filled |= TESORO_FIELDS_CONSENT;

  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    {
      TesoroFieldGroups group = 1u << i;
      GPtrArray *list = list_of (self, group);

      if (list != NULL && list->len > 0)
        filled |= group;
    }

  return filled;
}

/* Equality, group by group */

static gboolean
same_details (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      TesoroDetail *x = a->pdata[i], *y = b->pdata[i];

      if (g_strcmp0 (x->label, y->label) != 0 || g_strcmp0 (x->value, y->value) != 0 ||
          !x->primary != !y->primary)
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_addresses (GPtrArray *a,
                GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      TesoroAddress *x = a->pdata[i], *y = b->pdata[i];

      if (g_strcmp0 (x->label, y->label) != 0 || g_strcmp0 (x->street, y->street) != 0 ||
          g_strcmp0 (x->postal_code, y->postal_code) != 0 || g_strcmp0 (x->city, y->city) != 0 ||
          g_strcmp0 (x->region, y->region) != 0 || g_strcmp0 (x->country, y->country) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_strings (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (a->pdata[i], b->pdata[i]) != 0)
      return FALSE;
  return TRUE;
}

/* An empty text and no text are the same value. */
static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static gboolean
same_custom (TesoroContact *a,
             TesoroContact *b,
             const char    *name)
{
  return same_text (tesoro_contact_get_custom_value (a, name), tesoro_contact_get_custom_value (b, name));
}

/**
 * tesoro_contact_diff_custom:
 *
 * Returns: (transfer full): the custom fields whose values differ between
 * @a and @b, by their names in @a (else @b)
 */
GStrv
tesoro_contact_diff_custom (TesoroContact *a,
                            TesoroContact *b)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  TesoroContact *sides[2] = { a, b };

  g_return_val_if_fail (TESORO_IS_CONTACT (a) && TESORO_IS_CONTACT (b), NULL);

  for (guint s = 0; s < 2; s++)
    {
      GPtrArray *values = tesoro_contact_get_custom_values (sides[s]);

      for (guint i = 0; i < values->len; i++)
        {
          TesoroCustomValue *cv = values->pdata[i];

          /* A field on both sides is named once, from @a. */
          if (s == 1 && tesoro_contact_get_custom_value (a, cv->name) != NULL)
            continue;
          if (!same_custom (a, b, cv->name))
            g_strv_builder_add (names, cv->name);
        }
    }

  return g_strv_builder_end (names);
}

/**
 * tesoro_contact_diff_groups:
 *
 * Returns: the groups of %TESORO_FIELDS_EDITABLE whose data differ between
 * @a and @b (the custom group when any custom field differs)
 */
TesoroFieldGroups
tesoro_contact_diff_groups (TesoroContact *a,
                            TesoroContact *b)
{
  TesoroFieldGroups diff = 0;
  g_auto(GStrv) custom = NULL;

  g_return_val_if_fail (TESORO_IS_CONTACT (a) && TESORO_IS_CONTACT (b), 0);

  if (!same_text (tesoro_contact_get_given_name (a), tesoro_contact_get_given_name (b)) ||
      !same_text (tesoro_contact_get_family_name (a), tesoro_contact_get_family_name (b)) ||
      !same_text (tesoro_contact_get_display_name (a), tesoro_contact_get_display_name (b)))
    diff |= TESORO_FIELDS_NAME;
  if (!same_text (tesoro_contact_get_organization (a), tesoro_contact_get_organization (b)) ||
      !same_text (tesoro_contact_get_job_title (a), tesoro_contact_get_job_title (b)))
    diff |= TESORO_FIELDS_ORGANIZATION;
  if (!same_details (tesoro_contact_get_emails (a), tesoro_contact_get_emails (b)))
    diff |= TESORO_FIELDS_EMAILS;
  if (!same_details (tesoro_contact_get_phones (a), tesoro_contact_get_phones (b)))
    diff |= TESORO_FIELDS_PHONES;
  if (!same_addresses (tesoro_contact_get_addresses (a), tesoro_contact_get_addresses (b)))
    diff |= TESORO_FIELDS_ADDRESSES;
  if (!same_text (tesoro_contact_get_birthday (a), tesoro_contact_get_birthday (b)))
    diff |= TESORO_FIELDS_BIRTHDAY;
  custom = tesoro_contact_diff_custom (a, b);
  if (custom[0] != NULL)
    diff |= TESORO_FIELDS_CUSTOM;
  if (!same_strings (tesoro_contact_get_tags (a), tesoro_contact_get_tags (b)))
    diff |= TESORO_FIELDS_TAGS;
  if (!same_text (tesoro_contact_get_lawful_basis (a), tesoro_contact_get_lawful_basis (b)))
    diff |= TESORO_FIELDS_CONSENT;

  return diff;
}

/* Taking groups from another copy */

static void
take_list (GPtrArray      *dest,
           GPtrArray      *src,
           GBoxedCopyFunc  copy)
{
  g_ptr_array_set_size (dest, 0);
  for (guint i = 0; i < src->len; i++)
    g_ptr_array_add (dest, copy (src->pdata[i]));
}

/**
 * tesoro_contact_take_groups:
 * @from: another copy of the same contact
 * @groups: groups of %TESORO_FIELDS_EDITABLE to take
 *
 * Replaces the data of @groups with those of @from: for a change that may
 * touch only some groups, the others taken from the stored contact.
 */
void
tesoro_contact_take_groups (TesoroContact     *self,
                            TesoroContact     *from,
                            TesoroFieldGroups  groups)
{
  g_return_if_fail (TESORO_IS_CONTACT (self) && TESORO_IS_CONTACT (from));

  if (groups & TESORO_FIELDS_NAME)
    {
      tesoro_contact_set_given_name (self, tesoro_contact_get_given_name (from));
      tesoro_contact_set_family_name (self, tesoro_contact_get_family_name (from));
      tesoro_contact_set_display_name (self, tesoro_contact_get_display_name (from));
    }
  if (groups & TESORO_FIELDS_ORGANIZATION)
    {
      tesoro_contact_set_organization (self, tesoro_contact_get_organization (from));
      tesoro_contact_set_job_title (self, tesoro_contact_get_job_title (from));
    }
  if (groups & TESORO_FIELDS_EMAILS)
    take_list (tesoro_contact_get_emails (self), tesoro_contact_get_emails (from),
               (GBoxedCopyFunc) tesoro_detail_copy);
  if (groups & TESORO_FIELDS_PHONES)
    take_list (tesoro_contact_get_phones (self), tesoro_contact_get_phones (from),
               (GBoxedCopyFunc) tesoro_detail_copy);
  if (groups & TESORO_FIELDS_ADDRESSES)
    take_list (tesoro_contact_get_addresses (self), tesoro_contact_get_addresses (from),
               (GBoxedCopyFunc) tesoro_address_copy);
  if (groups & TESORO_FIELDS_BIRTHDAY)
    tesoro_contact_set_birthday (self, tesoro_contact_get_birthday (from));
  if (groups & TESORO_FIELDS_CUSTOM)
    take_list (tesoro_contact_get_custom_values (self), tesoro_contact_get_custom_values (from),
               (GBoxedCopyFunc) tesoro_custom_value_copy);
  if (groups & TESORO_FIELDS_TAGS)
    take_list (tesoro_contact_get_tags (self), tesoro_contact_get_tags (from), (GBoxedCopyFunc) g_strdup);
  if (groups & TESORO_FIELDS_CONSENT)
    tesoro_contact_set_lawful_basis (self, tesoro_contact_get_lawful_basis (from));
}

/**
 * tesoro_contact_take_custom:
 * @name: a custom field
 *
 * Replaces the value of custom field @name with that of @from.
 */
void
tesoro_contact_take_custom (TesoroContact *self,
                            TesoroContact *from,
                            const char    *name)
{
  g_return_if_fail (TESORO_IS_CONTACT (self) && TESORO_IS_CONTACT (from));
  tesoro_contact_set_custom_value (self, name, tesoro_contact_get_custom_value (from, name));
}

/* One field at a time */

static const char *
scalar_of (TesoroContact   *self,
           TesoroDataField  field)
{
  switch (field)
    {
    case TESORO_DATA_FIELD_ORGANIZATION: return tesoro_contact_get_organization (self);
    case TESORO_DATA_FIELD_JOB_TITLE: return tesoro_contact_get_job_title (self);
    case TESORO_DATA_FIELD_BIRTHDAY: return tesoro_contact_get_birthday (self);
    case TESORO_DATA_FIELD_LAWFUL_BASIS: return tesoro_contact_get_lawful_basis (self);
    default: return NULL;
    }
}

/**
 * tesoro_contact_has_field:
 *
 * Returns: whether this copy of the contact has a value of @field (for the
 * name: any of its parts; for a list: at least one entry)
 */
gboolean
tesoro_contact_has_field (TesoroContact   *self,
                          TesoroDataField  field,
                          const char      *custom_name)
{
  const char *text;
  GPtrArray *list;

  g_return_val_if_fail (TESORO_IS_CONTACT (self), FALSE);

  switch (field)
    {
    case TESORO_DATA_FIELD_NAME:
      return !same_text (tesoro_contact_get_given_name (self), NULL) ||
             !same_text (tesoro_contact_get_family_name (self), NULL) ||
             !same_text (tesoro_contact_get_display_name (self), NULL);
    case TESORO_DATA_FIELD_ORGANIZATION:
    case TESORO_DATA_FIELD_JOB_TITLE:
    case TESORO_DATA_FIELD_BIRTHDAY:
    case TESORO_DATA_FIELD_LAWFUL_BASIS:
      text = scalar_of (self, field);
      return text != NULL && *text != '\0';
    case TESORO_DATA_FIELD_CUSTOM:
      text = custom_name != NULL ? tesoro_contact_get_custom_value (self, custom_name) : NULL;
      return text != NULL && *text != '\0';
    default:
      list = list_of (self, tesoro_data_field_get_group (field));
      return list != NULL && list->len > 0;
    }
}

/**
 * tesoro_contact_field_differs:
 *
 * Returns: whether @self and @other have different values of @field (only
 * the fields, not the records of the history, are compared)
 */
gboolean
tesoro_contact_field_differs (TesoroContact   *self,
                              TesoroContact   *other,
                              TesoroDataField  field,
                              const char      *custom_name)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self) && TESORO_IS_CONTACT (other), FALSE);

  switch (field)
    {
    case TESORO_DATA_FIELD_ORGANIZATION:
    case TESORO_DATA_FIELD_JOB_TITLE:
    case TESORO_DATA_FIELD_BIRTHDAY:
    case TESORO_DATA_FIELD_LAWFUL_BASIS:
      return !same_text (scalar_of (self, field), scalar_of (other, field));
    case TESORO_DATA_FIELD_EMAILS:
    case TESORO_DATA_FIELD_PHONES:
      return !same_details (list_of (self, tesoro_data_field_get_group (field)),
                            list_of (other, tesoro_data_field_get_group (field)));
    case TESORO_DATA_FIELD_ADDRESSES:
      return !same_addresses (tesoro_contact_get_addresses (self), tesoro_contact_get_addresses (other));
    case TESORO_DATA_FIELD_TAGS:
      return !same_strings (tesoro_contact_get_tags (self), tesoro_contact_get_tags (other));
    case TESORO_DATA_FIELD_CUSTOM:
      return custom_name != NULL && !same_custom (self, other, custom_name);
    case TESORO_DATA_FIELD_NAME:
      return (tesoro_contact_diff_groups (self, other) & TESORO_FIELDS_NAME) != 0;
    default:
      return FALSE;
    }
}

/**
 * tesoro_contact_clear_field:
 *
 * Removes the value of @field from this copy of the contact (the name and
 * the records of the history are left alone).
 */
void
tesoro_contact_clear_field (TesoroContact   *self,
                            TesoroDataField  field,
                            const char      *custom_name)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));

  switch (field)
    {
    case TESORO_DATA_FIELD_ORGANIZATION:
      tesoro_contact_set_organization (self, "");
      break;
    case TESORO_DATA_FIELD_JOB_TITLE:
      tesoro_contact_set_job_title (self, "");
      break;
    case TESORO_DATA_FIELD_BIRTHDAY:
      tesoro_contact_set_birthday (self, NULL);
      break;
    case TESORO_DATA_FIELD_EMAILS:
      g_ptr_array_set_size (tesoro_contact_get_emails (self), 0);
      tesoro_contact_set_primary_email (self, NULL);
      break;
    case TESORO_DATA_FIELD_PHONES:
    case TESORO_DATA_FIELD_ADDRESSES:
    case TESORO_DATA_FIELD_TAGS:
      g_ptr_array_set_size (list_of (self, tesoro_data_field_get_group (field)), 0);
      break;
    case TESORO_DATA_FIELD_CUSTOM:
      if (custom_name != NULL)
        tesoro_contact_set_custom_value (self, custom_name, NULL);
      break;
    default:
      break;
    }
}

/**
 * tesoro_contact_take_field:
 * @from: another copy of the same contact
 *
 * Replaces the value of @field with that of @from.
 */
void
tesoro_contact_take_field (TesoroContact   *self,
                           TesoroContact   *from,
                           TesoroDataField  field,
                           const char      *custom_name)
{
  g_return_if_fail (TESORO_IS_CONTACT (self) && TESORO_IS_CONTACT (from));

  switch (field)
    {
    case TESORO_DATA_FIELD_ORGANIZATION:
      tesoro_contact_set_organization (self, tesoro_contact_get_organization (from));
      break;
    case TESORO_DATA_FIELD_JOB_TITLE:
      tesoro_contact_set_job_title (self, tesoro_contact_get_job_title (from));
      break;
    case TESORO_DATA_FIELD_CUSTOM:
      if (custom_name != NULL)
        tesoro_contact_take_custom (self, from, custom_name);
      break;
    case TESORO_DATA_FIELD_BIRTHDAY:
    case TESORO_DATA_FIELD_EMAILS:
    case TESORO_DATA_FIELD_PHONES:
    case TESORO_DATA_FIELD_ADDRESSES:
    case TESORO_DATA_FIELD_TAGS:
      tesoro_contact_take_groups (self, from, tesoro_data_field_get_group (field));
      break;
    default:
      break;
    }
}

/**
 * tesoro_contact_find_new_value:
 * @stored: (nullable): the contact as stored; %NULL for a new one
 * @keys: (array zero-terminated=1): field keys
 *
 * Returns: (transfer full) (nullable): the key of the first field of @keys
 * to which @self brings a value that @stored does not have (a new or
 * changed value; removing one is no new value), or %NULL
 */
char *
tesoro_contact_find_new_value (TesoroContact      *self,
                               TesoroContact      *stored,
                               const char * const *keys)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *custom_name = NULL;
      TesoroDataField field;

      if (!tesoro_data_field_parse_key (keys[i], &field, &custom_name) ||
          !tesoro_contact_has_field (self, field, custom_name))
        continue;
      if (stored == NULL || tesoro_contact_field_differs (self, stored, field, custom_name))
        return g_strdup (keys[i]);
    }
  return NULL;
}

/**
 * tesoro_contact_take_fields:
 * @from: (nullable): another copy of the same contact; %NULL clears them
 * @keys: (array zero-terminated=1): field keys
 *
 * Gives the fields of @keys the values of @from (or none).
 */
void
tesoro_contact_take_fields (TesoroContact      *self,
                            TesoroContact      *from,
                            const char * const *keys)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *custom_name = NULL;
      TesoroDataField field;

      if (!tesoro_data_field_parse_key (keys[i], &field, &custom_name))
        continue;
      if (from != NULL)
        tesoro_contact_take_field (self, from, field, custom_name);
      else
        tesoro_contact_clear_field (self, field, custom_name);
    }
}
