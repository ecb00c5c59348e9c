/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-breaches.h"

G_BEGIN_DECLS

/**
 * TesoroBreachDuties:
 * @TESORO_BREACH_AUTHORITY: notifying the supervisory authority (Art. 33)
 * @TESORO_BREACH_PEOPLE: informing the people affected (Art. 34)
 */
typedef enum
{
  TESORO_BREACH_AUTHORITY,
  TESORO_BREACH_PEOPLE,
} TesoroBreachDuties;

#define TESORO_TYPE_BREACH_EVENT_DIALOG (tesoro_breach_event_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TesoroBreachEventDialog, tesoro_breach_event_dialog, TESORO, BREACH_EVENT_DIALOG, AdwWindow)

TesoroBreachEventDialog *tesoro_breach_event_dialog_new       (TesoroSession           *session,
                                                               TesoroBreach            *breach,
                                                               TesoroBreachDuties       duty);
const char              *tesoro_breach_event_dialog_get_error (TesoroBreachEventDialog *self);

G_END_DECLS
