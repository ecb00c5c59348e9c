/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-contact.h"

G_BEGIN_DECLS

gboolean tesoro_import_merge_fill          (TesoroContact *target,
                                            TesoroContact *incoming);
void     tesoro_import_merge_strip_history (TesoroContact *contact);
gboolean tesoro_import_merge_has_note      (TesoroContact *contact,
                                            const char    *body);
gboolean tesoro_import_merge_has_consent   (TesoroContact *contact);

G_END_DECLS
