/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_CONTACT_PANE (tesoro_contact_pane_get_type ())

G_DECLARE_FINAL_TYPE (TesoroContactPane, tesoro_contact_pane, TESORO, CONTACT_PANE, GtkWidget)

TesoroSession   *tesoro_contact_pane_get_session   (TesoroContactPane *self);
void           tesoro_contact_pane_set_session   (TesoroContactPane *self,
                                                  TesoroSession       *session);
TesoroContact *tesoro_contact_pane_get_contact (TesoroContactPane *self);
void           tesoro_contact_pane_set_contact (TesoroContactPane *self,
                                                TesoroContact     *contact);
AdwViewStack  *tesoro_contact_pane_get_stack   (TesoroContactPane *self);

G_END_DECLS
