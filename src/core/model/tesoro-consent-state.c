/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-consent"

#include "config.h"

#include "tesoro-consent-state.h"

G_DEFINE_BOXED_TYPE (TesoroConsentPurpose, tesoro_consent_purpose,
                     tesoro_consent_purpose_copy, tesoro_consent_purpose_free)

const char *
tesoro_consent_state_to_string (TesoroConsentState state)
{
  switch (state)
    {
    case TESORO_CONSENT_GRANTED:
      return "granted";
    case TESORO_CONSENT_WITHDRAWN:
      return "withdrawn";
    case TESORO_CONSENT_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * tesoro_consent_state_from_events:
 * @events: (element-type TesoroConsentEvent): a contact's consent ledger
 * @purpose: the purpose key
 * @latest: (out) (optional) (transfer none): the event that decides
 *
 * The current consent, derived from the ledger: the event with the newest
 * date decides; of events with the same date, the one recorded last.
 */
TesoroConsentState
tesoro_consent_state_from_events (GPtrArray           *events,
                                  const char          *purpose,
                                  TesoroConsentEvent **latest)
{
  TesoroConsentEvent *newest = NULL;

  g_return_val_if_fail (events != NULL, TESORO_CONSENT_UNKNOWN);
  g_return_val_if_fail (purpose != NULL, TESORO_CONSENT_UNKNOWN);

  for (guint i = 0; i < events->len; i++)
    {
      TesoroConsentEvent *c = events->pdata[i];
      int order;

      if (g_strcmp0 (c->purpose, purpose) != 0)
        continue;
      if (newest == NULL)
        {
          newest = c;
          continue;
        }
      order = g_strcmp0 (c->at, newest->at);
      if (order > 0 || (order == 0 && c->id >= newest->id))
        newest = c;
    }

  if (latest != NULL)
    *latest = newest;
  if (newest == NULL)
    return TESORO_CONSENT_UNKNOWN;
  return newest->granted ? TESORO_CONSENT_GRANTED : TESORO_CONSENT_WITHDRAWN;
}

TesoroConsentPurpose *
tesoro_consent_purpose_copy (const TesoroConsentPurpose *self)
{
  TesoroConsentPurpose *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TesoroConsentPurpose, 1);
  copy->key = g_strdup (self->key);
  copy->name = g_strdup (self->name);
  return copy;
}

void
tesoro_consent_purpose_free (TesoroConsentPurpose *self)
{
  if (self == NULL)
    return;
  g_free (self->key);
  g_free (self->name);
  g_free (self);
}
