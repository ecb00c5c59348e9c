/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_CONSENT_DIALOG (tesoro_consent_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TesoroConsentDialog, tesoro_consent_dialog, TESORO, CONSENT_DIALOG, AdwWindow)

TesoroConsentDialog *tesoro_consent_dialog_new (TesoroSession   *session,
                                                TesoroContact *contact,
                                                gboolean       granted);

G_END_DECLS
