/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tesoro-records.h"

G_BEGIN_DECLS

/*
 * Consent as the ledger gives it: the purposes it is recorded for, and the
 * current state per purpose, derived from the append-only ledger.
 */

#define TESORO_PURPOSE_MARKETING_EMAIL "marketing-email"

typedef enum
{
  TESORO_CONSENT_UNKNOWN,
  TESORO_CONSENT_GRANTED,
  TESORO_CONSENT_WITHDRAWN,
} TesoroConsentState;

const char *tesoro_consent_state_to_string    (TesoroConsentState state);
TesoroConsentState tesoro_consent_state_from_events (GPtrArray           *events,
                                                     const char          *purpose,
                                                     TesoroConsentEvent **latest);

/**
 * TesoroConsentPurpose:
 * @key: the stable key, as stored in the ledger ("marketing-email")
 * @name: the name shown to people ("Marketing e-mail")
 */
typedef struct
{
  char *key;
  char *name;
} TesoroConsentPurpose;

#define TESORO_TYPE_CONSENT_PURPOSE (tesoro_consent_purpose_get_type ())

GType                 tesoro_consent_purpose_get_type (void) G_GNUC_CONST;
TesoroConsentPurpose *tesoro_consent_purpose_copy  (const TesoroConsentPurpose *self);
void                  tesoro_consent_purpose_free  (TesoroConsentPurpose       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroConsentPurpose, tesoro_consent_purpose_free)

G_END_DECLS
