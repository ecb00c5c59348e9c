/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tesoro-contact.h"

G_BEGIN_DECLS

#define TESORO_TYPE_CONTACT_ROW (tesoro_contact_row_get_type ())

G_DECLARE_FINAL_TYPE (TesoroContactRow, tesoro_contact_row, TESORO, CONTACT_ROW, GtkWidget)

TesoroContact *tesoro_contact_row_get_contact (TesoroContactRow *self);
void           tesoro_contact_row_set_contact (TesoroContactRow *self,
                                               TesoroContact    *contact);

G_END_DECLS
