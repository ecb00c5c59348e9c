/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-records"

#include "config.h"

#include "tesoro-records.h"

G_DEFINE_BOXED_TYPE (TesoroDetail, tesoro_detail, tesoro_detail_copy, tesoro_detail_free)
G_DEFINE_BOXED_TYPE (TesoroAddress, tesoro_address, tesoro_address_copy, tesoro_address_free)
G_DEFINE_BOXED_TYPE (TesoroCustomValue, tesoro_custom_value, tesoro_custom_value_copy, tesoro_custom_value_free)
G_DEFINE_BOXED_TYPE (TesoroNote, tesoro_note, tesoro_note_copy, tesoro_note_free)
G_DEFINE_BOXED_TYPE (TesoroMessage, tesoro_message, tesoro_message_copy, tesoro_message_free)
G_DEFINE_BOXED_TYPE (TesoroTask, tesoro_task, tesoro_task_copy, tesoro_task_free)
G_DEFINE_BOXED_TYPE (TesoroActivity, tesoro_activity, tesoro_activity_copy, tesoro_activity_free)
G_DEFINE_BOXED_TYPE (TesoroConsentEvent, tesoro_consent_event, tesoro_consent_event_copy, tesoro_consent_event_free)

/* Details */

TesoroDetail *
tesoro_detail_new (const char *label,
                   const char *value,
                   gboolean    primary)
{
  TesoroDetail *self = g_new0 (TesoroDetail, 1);

  self->label = g_strdup (label != NULL ? label : "");
  self->value = g_strdup (value != NULL ? value : "");
  self->primary = !!primary;

  return self;
}

TesoroDetail *
tesoro_detail_copy (const TesoroDetail *self)
{
  return tesoro_detail_new (self->label, self->value, self->primary);
}

void
tesoro_detail_free (TesoroDetail *self)
{
  if (self == NULL)
    return;
  g_free (self->label);
  g_free (self->value);
  g_free (self);
}

/* Addresses */

TesoroAddress *
tesoro_address_new (void)
{
  return g_new0 (TesoroAddress, 1);
}

TesoroAddress *
tesoro_address_copy (const TesoroAddress *self)
{
  TesoroAddress *copy = tesoro_address_new ();

  copy->label = g_strdup (self->label);
  copy->street = g_strdup (self->street);
  copy->postal_code = g_strdup (self->postal_code);
  copy->city = g_strdup (self->city);
  copy->region = g_strdup (self->region);
  copy->country = g_strdup (self->country);

  return copy;
}

void
tesoro_address_free (TesoroAddress *self)
{
  if (self == NULL)
    return;
  g_free (self->label);
  g_free (self->street);
  g_free (self->postal_code);
  g_free (self->city);
  g_free (self->region);
  g_free (self->country);
  g_free (self);
}

static gboolean
is_blank (const char *s)
{
  return s == NULL || *s == '\0';
}

gboolean
tesoro_address_is_empty (const TesoroAddress *self)
{
  return is_blank (self->street) && is_blank (self->postal_code) && is_blank (self->city) &&
         is_blank (self->region) && is_blank (self->country);
}

/**
 * tesoro_address_format:
 *
 * Returns: (transfer full): the address on lines, as written on an envelope
 * in the Netherlands (street; postal code and city; region; country)
 */
char *
tesoro_address_format (const TesoroAddress *self)
{
  GString *out = g_string_new (NULL);
  g_autofree char *city_line = NULL;

  if (!is_blank (self->postal_code) && !is_blank (self->city))
    city_line = g_strdup_printf ("%s  %s", self->postal_code, self->city);
  else
    city_line = g_strdup (!is_blank (self->postal_code) ? self->postal_code : self->city);

  const char *lines[] = { self->street, city_line, self->region, self->country };
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      if (is_blank (lines[i]))
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, lines[i]);
    }

  return g_string_free (out, FALSE);
}

/* Custom values */

TesoroCustomValue *
tesoro_custom_value_new (const char *name,
                         const char *value)
{
  TesoroCustomValue *self = g_new0 (TesoroCustomValue, 1);

  self->name = g_strdup (name);
  self->value = g_strdup (value != NULL ? value : "");

  return self;
}

TesoroCustomValue *
tesoro_custom_value_copy (const TesoroCustomValue *self)
{
  return tesoro_custom_value_new (self->name, self->value);
}

void
tesoro_custom_value_free (TesoroCustomValue *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->value);
  g_free (self);
}

/* Notes */

TesoroNote *
tesoro_note_new (void)
{
  return g_new0 (TesoroNote, 1);
}

TesoroNote *
tesoro_note_copy (const TesoroNote *self)
{
  TesoroNote *copy = tesoro_note_new ();

  copy->id = self->id;
  copy->body = g_strdup (self->body);
  copy->created_at = g_strdup (self->created_at);
  copy->author = g_strdup (self->author);

  return copy;
}

void
tesoro_note_free (TesoroNote *self)
{
  if (self == NULL)
    return;
  g_free (self->body);
  g_free (self->created_at);
  g_free (self->author);
  g_free (self);
}

/* Messages */

TesoroMessage *
tesoro_message_new (void)
{
  return g_new0 (TesoroMessage, 1);
}

TesoroMessage *
tesoro_message_copy (const TesoroMessage *self)
{
  TesoroMessage *copy = tesoro_message_new ();

  copy->id = self->id;
  copy->direction = g_strdup (self->direction);
  copy->address = g_strdup (self->address);
  copy->subject = g_strdup (self->subject);
  copy->body = g_strdup (self->body);
  copy->at = g_strdup (self->at);
  copy->author = g_strdup (self->author);

  return copy;
}

void
tesoro_message_free (TesoroMessage *self)
{
  if (self == NULL)
    return;
  g_free (self->direction);
  g_free (self->address);
  g_free (self->subject);
  g_free (self->body);
  g_free (self->at);
  g_free (self->author);
  g_free (self);
}

/* Tasks */

TesoroTask *
tesoro_task_new (void)
{
  return g_new0 (TesoroTask, 1);
}

TesoroTask *
tesoro_task_copy (const TesoroTask *self)
{
  TesoroTask *copy = tesoro_task_new ();

  copy->id = self->id;
  copy->title = g_strdup (self->title);
  copy->due = g_strdup (self->due);
  copy->done = self->done;
  copy->done_at = g_strdup (self->done_at);
  copy->created_at = g_strdup (self->created_at);
  copy->author = g_strdup (self->author);

  return copy;
}

void
tesoro_task_free (TesoroTask *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->due);
  g_free (self->done_at);
  g_free (self->created_at);
  g_free (self->author);
  g_free (self);
}

/* Activities */

TesoroActivity *
tesoro_activity_new (void)
{
  return g_new0 (TesoroActivity, 1);
}

TesoroActivity *
tesoro_activity_copy (const TesoroActivity *self)
{
  TesoroActivity *copy = tesoro_activity_new ();

  copy->id = self->id;
  copy->kind = g_strdup (self->kind);
  copy->summary = g_strdup (self->summary);
  copy->at = g_strdup (self->at);
  copy->author = g_strdup (self->author);

  return copy;
}

void
tesoro_activity_free (TesoroActivity *self)
{
  if (self == NULL)
    return;
  g_free (self->kind);
  g_free (self->summary);
  g_free (self->at);
  g_free (self->author);
  g_free (self);
}

/* Consent events */

TesoroConsentEvent *
tesoro_consent_event_new (void)
{
  return g_new0 (TesoroConsentEvent, 1);
}

TesoroConsentEvent *
tesoro_consent_event_copy (const TesoroConsentEvent *self)
{
  TesoroConsentEvent *copy = tesoro_consent_event_new ();

  copy->id = self->id;
  copy->purpose = g_strdup (self->purpose);
  copy->granted = self->granted;
  copy->at = g_strdup (self->at);
  copy->source = g_strdup (self->source);
  copy->evidence = g_strdup (self->evidence);
  copy->recorded_by = g_strdup (self->recorded_by);
  copy->recorded_at = g_strdup (self->recorded_at);

  return copy;
}

void
tesoro_consent_event_free (TesoroConsentEvent *self)
{
  if (self == NULL)
    return;
  g_free (self->purpose);
  g_free (self->at);
  g_free (self->source);
  g_free (self->evidence);
  g_free (self->recorded_by);
  g_free (self->recorded_at);
  g_free (self);
}
