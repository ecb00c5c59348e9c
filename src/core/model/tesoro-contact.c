/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-contact"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-contact.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

struct _TesoroContact
{
  GObject    parent_instance;

  gint64     id;
  char      *uid;
  char      *given_name;
  char      *family_name;
  char      *display_name;
  char      *organization;
  char      *job_title;
  char      *birthday;
  char      *lawful_basis;
  char      *legal_hold_reason;
  char      *created_at;
  char      *updated_at;
  char      *last_activity_at;
  char      *trashed_at;
  char      *primary_email;
  char      *consent_state;
  gboolean   restricted;
  gboolean   legal_hold;
  TesoroFieldGroups shown;   /* what the reader may see (tesoro-contact-groups.c) */

  GPtrArray *emails;         /* TesoroDetail */
  GPtrArray *phones;         /* TesoroDetail */
  GPtrArray *addresses;      /* TesoroAddress */
  GPtrArray *custom_values;  /* TesoroCustomValue */
  GPtrArray *tags;           /* char * */
  GPtrArray *notes;          /* TesoroNote */
  GPtrArray *messages;       /* TesoroMessage */
  GPtrArray *tasks;          /* TesoroTask */
  GPtrArray *activities;     /* TesoroActivity */
  GPtrArray *consent;        /* TesoroConsentEvent */
};

G_DEFINE_FINAL_TYPE (TesoroContact, tesoro_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_UID,
  PROP_GIVEN_NAME,
  PROP_FAMILY_NAME,
  PROP_DISPLAY_NAME,
  PROP_ORGANIZATION,
  PROP_JOB_TITLE,
  PROP_BIRTHDAY,
  PROP_LAWFUL_BASIS,
  PROP_LEGAL_HOLD_REASON,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_LAST_ACTIVITY_AT,
  PROP_TRASHED_AT,
  PROP_PRIMARY_EMAIL,
  PROP_CONSENT_STATE,
  PROP_RESTRICTED,
  PROP_LEGAL_HOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char * const tesoro_lawful_bases[] = {
  "consent",
  "contract",
  "legal_obligation",
  "vital_interests",
  "public_task",
  "legitimate_interests",
  NULL
};

static const struct
{
  const char *basis;
  const char *label;
} basis_labels[] = {
  { "consent", N_("Consent") },
  { "contract", N_("Contract") },
  { "legal_obligation", N_("Legal obligation") },
  { "vital_interests", N_("Vital interests") },
  { "public_task", N_("Public task") },
  { "legitimate_interests", N_("Legitimate interests") },
};

/**
 * tesoro_lawful_basis_get_msgid:
 * @basis: (nullable): one of #tesoro_lawful_bases
 *
 * Returns: (nullable): the untranslated name of @basis, for a document in a
 *   chosen language (tesoro_translate()); @basis itself when it is not a
 *   known basis, %NULL for %NULL
 */
const char *
tesoro_lawful_basis_get_msgid (const char *basis)
{
  if (basis == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (basis_labels); i++)
    if (g_str_equal (basis, basis_labels[i].basis))
      return basis_labels[i].label;
  return basis;
}

/**
 * tesoro_lawful_basis_get_label:
 * @basis: (nullable): one of #tesoro_lawful_bases
 *
 * The translated name of a lawful basis, as shown to a user.
 *
 * Returns: (nullable): the label; @basis itself when it is not a known basis,
 *   and %NULL when @basis is %NULL (callers word "not set" for their context)
 */
const char *
tesoro_lawful_basis_get_label (const char *basis)
{
  const char *msgid = tesoro_lawful_basis_get_msgid (basis);

  return msgid == NULL || msgid == basis ? msgid : _(msgid);
}

/* The string properties map onto struct fields, so that one getter, one
 * setter and one notification path serve them all. */
static char **
string_field (TesoroContact *self,
              guint          prop_id)
{
  switch (prop_id)
    {
    case PROP_UID: return &self->uid;
    case PROP_GIVEN_NAME: return &self->given_name;
    case PROP_FAMILY_NAME: return &self->family_name;
    case PROP_DISPLAY_NAME: return &self->display_name;
    case PROP_ORGANIZATION: return &self->organization;
    case PROP_JOB_TITLE: return &self->job_title;
    case PROP_BIRTHDAY: return &self->birthday;
    case PROP_LAWFUL_BASIS: return &self->lawful_basis;
    case PROP_LEGAL_HOLD_REASON: return &self->legal_hold_reason;
    case PROP_CREATED_AT: return &self->created_at;
    case PROP_UPDATED_AT: return &self->updated_at;
    case PROP_LAST_ACTIVITY_AT: return &self->last_activity_at;
    case PROP_TRASHED_AT: return &self->trashed_at;
    case PROP_PRIMARY_EMAIL: return &self->primary_email;
    case PROP_CONSENT_STATE: return &self->consent_state;
    default: return NULL;
    }
}

/* Names, organisation and job title are never NULL: empty is "not set". */
static gboolean
is_text_property (guint prop_id)
{
  return prop_id >= PROP_GIVEN_NAME && prop_id <= PROP_JOB_TITLE;
}

static void
set_string (TesoroContact *self,
            guint          prop_id,
            const char    *value)
{
  char **field = string_field (self, prop_id);

  if (value == NULL && is_text_property (prop_id))
    value = "";

  if (tesoro_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* GObject */

static void
tesoro_contact_finalize (GObject *object)
{
  TesoroContact *self = (TesoroContact *) object;

  for (guint prop_id = PROP_UID; prop_id <= PROP_CONSENT_STATE; prop_id++)
    g_clear_pointer (string_field (self, prop_id), g_free);

  g_clear_pointer (&self->emails, g_ptr_array_unref);
  g_clear_pointer (&self->phones, g_ptr_array_unref);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_pointer (&self->custom_values, g_ptr_array_unref);
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->activities, g_ptr_array_unref);
  g_clear_pointer (&self->consent, g_ptr_array_unref);

  G_OBJECT_CLASS (tesoro_contact_parent_class)->finalize (object);
}

static void
tesoro_contact_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TesoroContact *self = TESORO_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_RESTRICTED:
      g_value_set_boolean (value, self->restricted);
      break;
    case PROP_LEGAL_HOLD:
      g_value_set_boolean (value, self->legal_hold);
      break;
    case PROP_UID ... PROP_CONSENT_STATE:
      g_value_set_string (value, *string_field (self, prop_id));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_contact_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TesoroContact *self = TESORO_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID:
      tesoro_contact_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_RESTRICTED:
      tesoro_contact_set_restricted (self, g_value_get_boolean (value));
      break;
    case PROP_LEGAL_HOLD:
      tesoro_contact_set_legal_hold (self, g_value_get_boolean (value));
      break;
    case PROP_UID ... PROP_CONSENT_STATE:
      set_string (self, prop_id, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_contact_class_init (TesoroContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const struct { guint id; const char *name; } strings[] = {
    { PROP_UID, "uid" },
    { PROP_GIVEN_NAME, "given-name" },
    { PROP_FAMILY_NAME, "family-name" },
    { PROP_DISPLAY_NAME, "display-name" },
    { PROP_ORGANIZATION, "organization" },
    { PROP_JOB_TITLE, "job-title" },
    { PROP_BIRTHDAY, "birthday" },
    { PROP_LAWFUL_BASIS, "lawful-basis" },
    { PROP_LEGAL_HOLD_REASON, "legal-hold-reason" },
    { PROP_CREATED_AT, "created-at" },
    { PROP_UPDATED_AT, "updated-at" },
    { PROP_LAST_ACTIVITY_AT, "last-activity-at" },
    { PROP_TRASHED_AT, "trashed-at" },
    { PROP_PRIMARY_EMAIL, "primary-email" },
    { PROP_CONSENT_STATE, "consent-state" },
  };

  object_class->finalize = tesoro_contact_finalize;
  object_class->get_property = tesoro_contact_get_property;
  object_class->set_property = tesoro_contact_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESTRICTED] =
    g_param_spec_boolean ("restricted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEGAL_HOLD] =
    g_param_spec_boolean ("legal-hold", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    properties[strings[i].id] =
      g_param_spec_string (strings[i].name, NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tesoro_contact_init (TesoroContact *self)
{
  for (guint prop_id = PROP_GIVEN_NAME; prop_id <= PROP_JOB_TITLE; prop_id++)
    *string_field (self, prop_id) = g_strdup ("");

  self->shown = TESORO_FIELDS_ALL;
  self->emails = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_detail_free);
  self->phones = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_detail_free);
  self->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_address_free);
  self->custom_values = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_custom_value_free);
  self->tags = g_ptr_array_new_with_free_func (g_free);
  self->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_note_free);
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_message_free);
  self->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_task_free);
  self->activities = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_activity_free);
  self->consent = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_consent_event_free);
}

/* Public API */

TesoroContact *
tesoro_contact_new (void)
{
  return g_object_new (TESORO_TYPE_CONTACT, NULL);
}

static void
copy_array (GPtrArray  *dest,
            GPtrArray  *src,
            GBoxedCopyFunc copy)
{
  for (guint i = 0; i < src->len; i++)
    g_ptr_array_add (dest, copy (src->pdata[i]));
}

/**
 * tesoro_contact_copy:
 *
 * Returns: (transfer full): a deep copy, for editing without touching the
 * contact the rest of the application shows
 */
TesoroContact *
tesoro_contact_copy (TesoroContact *self)
{
  TesoroContact *copy;

  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);

  copy = tesoro_contact_new ();
  copy->id = self->id;
  copy->restricted = self->restricted;
  copy->legal_hold = self->legal_hold;
  copy->shown = self->shown;
  for (guint prop_id = PROP_UID; prop_id <= PROP_CONSENT_STATE; prop_id++)
    {
      g_free (*string_field (copy, prop_id));
      *string_field (copy, prop_id) = g_strdup (*string_field (self, prop_id));
    }

  copy_array (copy->emails, self->emails, (GBoxedCopyFunc) tesoro_detail_copy);
  copy_array (copy->phones, self->phones, (GBoxedCopyFunc) tesoro_detail_copy);
  copy_array (copy->addresses, self->addresses, (GBoxedCopyFunc) tesoro_address_copy);
  copy_array (copy->custom_values, self->custom_values, (GBoxedCopyFunc) tesoro_custom_value_copy);
  copy_array (copy->tags, self->tags, (GBoxedCopyFunc) g_strdup);
  copy_array (copy->notes, self->notes, (GBoxedCopyFunc) tesoro_note_copy);
  copy_array (copy->messages, self->messages, (GBoxedCopyFunc) tesoro_message_copy);
  copy_array (copy->tasks, self->tasks, (GBoxedCopyFunc) tesoro_task_copy);
  copy_array (copy->activities, self->activities, (GBoxedCopyFunc) tesoro_activity_copy);
  copy_array (copy->consent, self->consent, (GBoxedCopyFunc) tesoro_consent_event_copy);

  return copy;
}

/**
 * tesoro_contact_get_shown_groups:
 *
 * Returns: the field groups the reader may see: all of them, unless the
 * session hid some (tesoro_contact_hide_groups()); a front end shows only
 * these, and does not show the others as empty
 */
TesoroFieldGroups
tesoro_contact_get_shown_groups (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), 0);
  return self->shown;
}

void
tesoro_contact_set_shown_groups (TesoroContact     *self,
                                 TesoroFieldGroups  groups)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));
  self->shown = groups & TESORO_FIELDS_ALL;
}

gint64
tesoro_contact_get_id (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), 0);
  return self->id;
}

void
tesoro_contact_set_id (TesoroContact *self,
                       gint64         id)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gboolean
tesoro_contact_get_restricted (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), FALSE);
  return self->restricted;
}

void
tesoro_contact_set_restricted (TesoroContact *self,
                               gboolean       value)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));

  value = !!value;
  if (self->restricted == value)
    return;
  self->restricted = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESTRICTED]);
}

gboolean
tesoro_contact_get_legal_hold (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), FALSE);
  return self->legal_hold;
}

void
tesoro_contact_set_legal_hold (TesoroContact *self,
                               gboolean       value)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));

  value = !!value;
  if (self->legal_hold == value)
    return;
  self->legal_hold = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEGAL_HOLD]);
}

#define STRING_ACCESSORS(name, PROP)                                   \
  const char *                                                         \
  tesoro_contact_get_##name (TesoroContact *self)                      \
  {                                                                    \
    g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);             \
    return self->name;                                                 \
  }                                                                    \
  void                                                                 \
  tesoro_contact_set_##name (TesoroContact *self,                      \
                             const char    *value)                     \
  {                                                                    \
    g_return_if_fail (TESORO_IS_CONTACT (self));                       \
    set_string (self, PROP, value);                                    \
  }

STRING_ACCESSORS (uid, PROP_UID)
STRING_ACCESSORS (given_name, PROP_GIVEN_NAME)
STRING_ACCESSORS (family_name, PROP_FAMILY_NAME)
STRING_ACCESSORS (display_name, PROP_DISPLAY_NAME)
STRING_ACCESSORS (organization, PROP_ORGANIZATION)
STRING_ACCESSORS (job_title, PROP_JOB_TITLE)
STRING_ACCESSORS (birthday, PROP_BIRTHDAY)
STRING_ACCESSORS (lawful_basis, PROP_LAWFUL_BASIS)
STRING_ACCESSORS (legal_hold_reason, PROP_LEGAL_HOLD_REASON)
STRING_ACCESSORS (created_at, PROP_CREATED_AT)
STRING_ACCESSORS (updated_at, PROP_UPDATED_AT)
STRING_ACCESSORS (last_activity_at, PROP_LAST_ACTIVITY_AT)
STRING_ACCESSORS (trashed_at, PROP_TRASHED_AT)
STRING_ACCESSORS (consent_state, PROP_CONSENT_STATE)

#undef STRING_ACCESSORS

static const TesoroDetail *
find_primary (GPtrArray *details)
{
  for (guint i = 0; i < details->len; i++)
    {
      const TesoroDetail *detail = details->pdata[i];
      if (detail->primary)
        return detail;
    }

  return details->len > 0 ? details->pdata[0] : NULL;
}

/**
 * tesoro_contact_get_primary_email:
 *
 * Returns: (nullable): the primary e-mail address: the one marked primary,
 * else the first; for a contact loaded only for the list, the stored summary
 */
const char *
tesoro_contact_get_primary_email (TesoroContact *self)
{
  const TesoroDetail *detail;

  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);

  detail = find_primary (self->emails);
  if (detail != NULL)
    return detail->value;

  return self->primary_email;
}

void
tesoro_contact_set_primary_email (TesoroContact *self,
                                  const char    *value)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));
  set_string (self, PROP_PRIMARY_EMAIL, value);
}

const char *
tesoro_contact_get_primary_phone (TesoroContact *self)
{
  const TesoroDetail *detail;

  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);

  detail = find_primary (self->phones);
  return detail != NULL ? detail->value : NULL;
}

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/**
 * tesoro_contact_dup_best_name:
 *
 * Returns: (transfer full): the name to show: the display name, else given
 * and family name, else the organisation, else the primary e-mail address,
 * else the primary phone number; never %NULL
 */
char *
tesoro_contact_dup_best_name (TesoroContact *self)
{
  const char *email;
  const char *phone;

  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);

  if (has_text (self->display_name))
    return g_strdup (self->display_name);

  if (has_text (self->given_name) || has_text (self->family_name))
    {
      if (has_text (self->given_name) && has_text (self->family_name))
        return g_strdup_printf ("%s %s", self->given_name, self->family_name);
      return g_strdup (has_text (self->given_name) ? self->given_name : self->family_name);
    }

  if (has_text (self->organization))
    return g_strdup (self->organization);

  email = tesoro_contact_get_primary_email (self);
  if (has_text (email))
    return g_strdup (email);

  phone = tesoro_contact_get_primary_phone (self);
  if (has_text (phone))
    return g_strdup (phone);

  return g_strdup ("");
}

GPtrArray *
tesoro_contact_get_emails (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->emails;
}

GPtrArray *
tesoro_contact_get_phones (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->phones;
}

GPtrArray *
tesoro_contact_get_addresses (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->addresses;
}

GPtrArray *
tesoro_contact_get_custom_values (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->custom_values;
}

GPtrArray *
tesoro_contact_get_tags (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->tags;
}

GPtrArray *
tesoro_contact_get_notes (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->notes;
}

GPtrArray *
tesoro_contact_get_messages (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->messages;
}

GPtrArray *
tesoro_contact_get_tasks (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->tasks;
}

GPtrArray *
tesoro_contact_get_activities (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->activities;
}

GPtrArray *
tesoro_contact_get_consent (TesoroContact *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);
  return self->consent;
}

void
tesoro_contact_add_email (TesoroContact *self,
                          const char    *label,
                          const char    *value,
                          gboolean       primary)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));
  g_ptr_array_add (self->emails, tesoro_detail_new (label, value, primary));
}

void
tesoro_contact_add_phone (TesoroContact *self,
                          const char    *label,
                          const char    *value,
                          gboolean       primary)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));
  g_ptr_array_add (self->phones, tesoro_detail_new (label, value, primary));
}

const char *
tesoro_contact_get_custom_value (TesoroContact *self,
                                 const char    *name)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), NULL);

  for (guint i = 0; i < self->custom_values->len; i++)
    {
      TesoroCustomValue *cv = self->custom_values->pdata[i];
      if (g_ascii_strcasecmp (cv->name, name) == 0)
        return cv->value;
    }

  return NULL;
}

/**
 * tesoro_contact_set_custom_value:
 * @value: (nullable): the value; %NULL or empty removes the field
 */
void
tesoro_contact_set_custom_value (TesoroContact *self,
                                 const char    *name,
                                 const char    *value)
{
  g_return_if_fail (TESORO_IS_CONTACT (self));
  g_return_if_fail (name != NULL);

  for (guint i = 0; i < self->custom_values->len; i++)
    {
      TesoroCustomValue *cv = self->custom_values->pdata[i];
      if (g_ascii_strcasecmp (cv->name, name) == 0)
        {
          if (value == NULL || *value == '\0')
            g_ptr_array_remove_index (self->custom_values, i);
          else
            tesoro_set_str (&cv->value, value);
          return;
        }
    }

  if (value != NULL && *value != '\0')
    g_ptr_array_add (self->custom_values, tesoro_custom_value_new (name, value));
}

gboolean
tesoro_contact_has_tag (TesoroContact *self,
                        const char    *tag)
{
  g_return_val_if_fail (TESORO_IS_CONTACT (self), FALSE);

  for (guint i = 0; i < self->tags->len; i++)
    if (g_utf8_collate (self->tags->pdata[i], tag) == 0 ||
        g_ascii_strcasecmp (self->tags->pdata[i], tag) == 0)
      return TRUE;

  return FALSE;
}

gboolean
tesoro_is_lawful_basis (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; tesoro_lawful_bases[i] != NULL; i++)
    if (g_str_equal (text, tesoro_lawful_bases[i]))
      return TRUE;
  return FALSE;
}

static gboolean
check_short (const char  *field,
             const char  *value,
             GError     **error)
{
  return tesoro_check_text (field, value, TESORO_MAX_SHORT_TEXT, error);
}

static gboolean
check_long (const char  *field,
            const char  *value,
            GError     **error)
{
  return tesoro_check_text (field, value, TESORO_MAX_LONG_TEXT, error);
}

static gboolean
check_timestamp (const char  *field,
                 const char  *value,
                 gboolean     date_only_ok,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *normalized = NULL;

  if (value == NULL || *value == '\0')
    return TRUE;

  normalized = tesoro_normalize_timestamp (value, date_only_ok, &local_error);
  if (normalized == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   "%s: %s", field, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_contact_validate:
 * @error: return location for a #GError naming the field at fault
 *
 * Checks the rules every stored contact obeys: a name or an e-mail address,
 * e-mail addresses that look like ones, dates that are dates, a known lawful
 * basis, and no value too long to be real.
 *
 * Returns: whether the contact may be stored
 */
gboolean
tesoro_contact_validate (TesoroContact  *self,
                         GError        **error)
{
  gboolean has_email = FALSE;

  g_return_val_if_fail (TESORO_IS_CONTACT (self), FALSE);

  if (!check_short ("given_name", self->given_name, error) ||
      !check_short ("family_name", self->family_name, error) ||
      !check_short ("display_name", self->display_name, error) ||
      !check_short ("organization", self->organization, error) ||
      !check_short ("job_title", self->job_title, error) ||
      !check_short ("legal_hold_reason", self->legal_hold_reason, error))
    return FALSE;

  if (self->uid != NULL && !tesoro_is_valid_uid (self->uid))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “uid”: “%.40s” is not a UUID"), self->uid);
      return FALSE;
    }

  if (has_text (self->birthday) && !tesoro_is_valid_date (self->birthday))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “birthday”: “%.40s” is not a date of the form 2024-03-01"),
                   self->birthday);
      return FALSE;
    }

  if (self->lawful_basis != NULL && !tesoro_is_lawful_basis (self->lawful_basis))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “lawful_basis”: “%.40s” is not one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests"),
                   self->lawful_basis);
      return FALSE;
    }

  if (!check_timestamp ("created_at", self->created_at, FALSE, error) ||
      !check_timestamp ("updated_at", self->updated_at, FALSE, error) ||
      !check_timestamp ("last_activity_at", self->last_activity_at, FALSE, error))
    return FALSE;

  for (guint i = 0; i < self->emails->len; i++)
    {
      TesoroDetail *d = self->emails->pdata[i];
      g_autofree char *field = g_strdup_printf ("emails[%u]", i);

      if (!check_short (field, d->label, error) || !check_short (field, d->value, error))
        return FALSE;
      if (!tesoro_is_valid_email (d->value))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("Field “%s”: “%.80s” is not a valid e-mail address"), field, d->value);
          return FALSE;
        }
      has_email = TRUE;
    }

  for (guint i = 0; i < self->phones->len; i++)
    {
      TesoroDetail *d = self->phones->pdata[i];
      g_autofree char *field = g_strdup_printf ("phones[%u]", i);
      gboolean digit = FALSE;

      if (!check_short (field, d->label, error) || !check_short (field, d->value, error))
        return FALSE;
      for (const char *p = d->value; *p; p++)
        digit |= g_ascii_isdigit (*p);
      if (!digit)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("Field “%s”: “%.80s” is not a phone number"), field, d->value);
          return FALSE;
        }
    }

  for (guint i = 0; i < self->addresses->len; i++)
    {
      TesoroAddress *a = self->addresses->pdata[i];
      g_autofree char *field = g_strdup_printf ("addresses[%u]", i);

      if (!check_short (field, a->label, error) || !check_short (field, a->street, error) ||
          !check_short (field, a->postal_code, error) || !check_short (field, a->city, error) ||
          !check_short (field, a->region, error) || !check_short (field, a->country, error))
        return FALSE;
    }

  for (guint i = 0; i < self->custom_values->len; i++)
    {
      TesoroCustomValue *cv = self->custom_values->pdata[i];
      g_autofree char *field = g_strdup_printf ("custom_fields.%.40s", cv->name);

      if (!has_text (cv->name))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("A custom field has no name"));
          return FALSE;
        }
      if (!check_short ("custom_fields", cv->name, error) || !check_long (field, cv->value, error))
        return FALSE;
    }

  for (guint i = 0; i < self->tags->len; i++)
    {
      const char *tag = self->tags->pdata[i];

      if (!has_text (tag))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("A tag is empty"));
          return FALSE;
        }
      if (!check_short ("tags", tag, error))
        return FALSE;
    }

  for (guint i = 0; i < self->notes->len; i++)
    {
      TesoroNote *n = self->notes->pdata[i];
      g_autofree char *field = g_strdup_printf ("notes[%u]", i);

      if (!has_text (n->body))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s”: the note is empty"), field);
          return FALSE;
        }
      if (!check_long (field, n->body, error) || !check_timestamp (field, n->created_at, FALSE, error))
        return FALSE;
    }

  for (guint i = 0; i < self->messages->len; i++)
    {
      TesoroMessage *m = self->messages->pdata[i];
      g_autofree char *field = g_strdup_printf ("messages[%u]", i);

      if (m->direction == NULL || (!g_str_equal (m->direction, "in") && !g_str_equal (m->direction, "out")))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("Field “%s.direction” must be “in” or “out”"), field);
          return FALSE;
        }
      if (!check_short (field, m->address, error) || !check_short (field, m->subject, error) ||
          !check_long (field, m->body, error) || !check_timestamp (field, m->at, FALSE, error))
        return FALSE;
    }

  for (guint i = 0; i < self->tasks->len; i++)
    {
      TesoroTask *t = self->tasks->pdata[i];
      g_autofree char *field = g_strdup_printf ("tasks[%u]", i);

      if (!has_text (t->title))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s.title” is empty"), field);
          return FALSE;
        }
      if (!check_short (field, t->title, error) || !check_timestamp (field, t->due, TRUE, error) ||
          !check_timestamp (field, t->created_at, FALSE, error) || !check_timestamp (field, t->done_at, FALSE, error))
        return FALSE;
    }

  for (guint i = 0; i < self->activities->len; i++)
    {
      TesoroActivity *a = self->activities->pdata[i];
      g_autofree char *field = g_strdup_printf ("activities[%u]", i);

      if (!has_text (a->kind))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s.kind” is empty"), field);
          return FALSE;
        }
      if (!check_short (field, a->kind, error) || !check_long (field, a->summary, error) ||
          !check_timestamp (field, a->at, FALSE, error))
        return FALSE;
    }

  for (guint i = 0; i < self->consent->len; i++)
    {
      TesoroConsentEvent *c = self->consent->pdata[i];
      g_autofree char *field = g_strdup_printf ("consent[%u]", i);

      if (!has_text (c->purpose))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s.purpose” is empty"), field);
          return FALSE;
        }
      if (!check_short (field, c->purpose, error) || !check_short (field, c->source, error) ||
          !check_long (field, c->evidence, error) || !check_timestamp (field, c->at, FALSE, error))
        return FALSE;
    }

  if (!has_text (self->given_name) && !has_text (self->family_name) &&
      !has_text (self->display_name) && !has_email)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("A contact needs a name or an e-mail address"));
      return FALSE;
    }

  return TRUE;
}
