/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-consent-state.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * The consent ledger: append-only per contact and purpose; the current
 * state is derived from it (tesoro-consent-state.h). Recording a
 * withdrawal is always possible, also for a restricted contact.
 */

/* Consent */

GPtrArray  *tesoro_session_list_consent_purposes (TesoroSession            *self,
                                                  GError                  **error);
gboolean    tesoro_session_add_consent_purpose  (TesoroSession             *self,
                                                 const char                *key,
                                                 const char                *name,
                                                 GError                   **error);
gint64      tesoro_session_record_consent       (TesoroSession             *self,
                                                 gint64                     contact_id,
                                                 const char                *purpose,
                                                 gboolean                   granted,
                                                 const char                *at,
                                                 const char                *source,
                                                 const char                *evidence,
                                                 GError                   **error);
gboolean    tesoro_session_get_consent_state    (TesoroSession             *self,
                                                 gint64                     contact_id,
                                                 const char                *purpose,
                                                 TesoroConsentState        *state,
                                                 TesoroConsentEvent       **latest,
                                                 GError                   **error);

G_END_DECLS
