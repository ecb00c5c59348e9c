/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * Restriction of processing (GDPR Art. 18): a restricted contact cannot be
 * changed and is left out of marketing. Legal hold: a contact on hold is
 * never erased, not by retention, not from the trash, not by hand.
 */

/* Restriction of processing (Art. 18) and legal hold */
gboolean    tesoro_session_set_restricted       (TesoroSession             *self,
                                                 gint64                     contact_id,
                                                 gboolean                   restricted,
                                                 GError                   **error);
gboolean    tesoro_session_set_legal_hold       (TesoroSession             *self,
                                                 gint64                     contact_id,
                                                 gboolean                   legal_hold,
                                                 const char                *reason,
                                                 GError                   **error);

G_END_DECLS
