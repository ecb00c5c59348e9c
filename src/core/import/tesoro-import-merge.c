/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import-merge"

#include "config.h"

#include "tesoro-consent-state.h"
#include "tesoro-import-merge.h"

/*
 * Merging into an existing contact: what an import does with a row whose
 * e-mail address belongs to a contact already there (and what the merging
 * of duplicates builds on). Pure functions of contacts: no storage.
 */

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

typedef struct
{
  const char *(*get) (TesoroContact *);
  void        (*set) (TesoroContact *, const char *);
} ScalarField;

static const ScalarField scalar_fields[] = {
  { tesoro_contact_get_given_name, tesoro_contact_set_given_name },
  { tesoro_contact_get_family_name, tesoro_contact_set_family_name },
  { tesoro_contact_get_organization, tesoro_contact_set_organization },
  { tesoro_contact_get_job_title, tesoro_contact_set_job_title },
  { tesoro_contact_get_birthday, tesoro_contact_set_birthday },
  { tesoro_contact_get_lawful_basis, tesoro_contact_set_lawful_basis },
};

static gboolean
has_detail (GPtrArray  *details,
            const char *value,
            gboolean    ignore_case)
{
  for (guint i = 0; i < details->len; i++)
    {
      const char *v = ((TesoroDetail *) details->pdata[i])->value;

      if (ignore_case ? g_ascii_strcasecmp (v, value) == 0 : g_strcmp0 (v, value) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * tesoro_import_merge_fill:
 * @target: the contact to fill
 * @incoming: the contact to take values from
 *
 * Fills what @target lacks from @incoming: empty names, organisation, job
 * title, birthday and lawful basis are set; e-mail addresses, phone numbers
 * and tags it lacks are added; addresses only when it has none; custom
 * fields it has no value for are set. Nothing that has a value is
 * overwritten.
 *
 * Returns: whether the contact's own fields changed (the history is for
 *   the caller)
 */
gboolean
tesoro_import_merge_fill (TesoroContact *target,
                          TesoroContact *incoming)
{
  gboolean changed = FALSE;
  GPtrArray *array;

  for (guint i = 0; i < G_N_ELEMENTS (scalar_fields); i++)
    if (!has_text (scalar_fields[i].get (target)) && has_text (scalar_fields[i].get (incoming)))
      {
        scalar_fields[i].set (target, scalar_fields[i].get (incoming));
        changed = TRUE;
      }

  array = tesoro_contact_get_emails (incoming);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroDetail *d = array->pdata[i];

      if (!has_detail (tesoro_contact_get_emails (target), d->value, TRUE))
        {
          tesoro_contact_add_email (target, d->label, d->value, FALSE);
          changed = TRUE;
        }
    }

  array = tesoro_contact_get_phones (incoming);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroDetail *d = array->pdata[i];

      if (!has_detail (tesoro_contact_get_phones (target), d->value, FALSE))
        {
          tesoro_contact_add_phone (target, d->label, d->value, FALSE);
          changed = TRUE;
        }
    }

  array = tesoro_contact_get_addresses (incoming);
  if (tesoro_contact_get_addresses (target)->len == 0 && array->len > 0)
    {
      for (guint i = 0; i < array->len; i++)
        g_ptr_array_add (tesoro_contact_get_addresses (target), tesoro_address_copy (array->pdata[i]));
      changed = TRUE;
    }

  array = tesoro_contact_get_custom_values (incoming);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroCustomValue *cv = array->pdata[i];

      if (!has_text (tesoro_contact_get_custom_value (target, cv->name)) && has_text (cv->value))
        {
          tesoro_contact_set_custom_value (target, cv->name, cv->value);
          changed = TRUE;
        }
    }

  array = tesoro_contact_get_tags (incoming);
  for (guint i = 0; i < array->len; i++)
    if (!tesoro_contact_has_tag (target, array->pdata[i]))
      {
        g_ptr_array_add (tesoro_contact_get_tags (target), g_strdup (array->pdata[i]));
        changed = TRUE;
      }

  return changed;
}

/**
 * tesoro_import_merge_strip_history:
 *
 * Empties the contact's history, leaving its own fields and details.
 */
void
tesoro_import_merge_strip_history (TesoroContact *contact)
{
  g_ptr_array_set_size (tesoro_contact_get_notes (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_messages (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_tasks (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_activities (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_consent (contact), 0);
}

/**
 * tesoro_import_merge_has_note:
 *
 * Returns: whether the contact has a note with exactly this text
 */
gboolean
tesoro_import_merge_has_note (TesoroContact *contact,
                              const char    *body)
{
  GPtrArray *notes = tesoro_contact_get_notes (contact);

  for (guint i = 0; i < notes->len; i++)
    if (g_strcmp0 (((TesoroNote *) notes->pdata[i])->body, body) == 0)
      return TRUE;
  return FALSE;
}

/**
 * tesoro_import_merge_has_consent:
 *
 * Returns: whether the contact's ledger has marketing consent on record
 *   (an import never overrides what the person said)
 */
gboolean
tesoro_import_merge_has_consent (TesoroContact *contact)
{
  GPtrArray *events = tesoro_contact_get_consent (contact);

  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((TesoroConsentEvent *) events->pdata[i])->purpose, TESORO_PURPOSE_MARKETING_EMAIL) == 0)
      return TRUE;
  return FALSE;
}
