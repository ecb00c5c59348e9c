/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_CONTACT_EDITOR (tesoro_contact_editor_get_type ())

G_DECLARE_FINAL_TYPE (TesoroContactEditor, tesoro_contact_editor, TESORO, CONTACT_EDITOR, AdwWindow)

TesoroContactEditor *tesoro_contact_editor_new (TesoroSession   *session,
                                                TesoroContact *contact);
void                 tesoro_contact_editor_set_rectification (TesoroContactEditor *self,
                                                              gint64               request_id);

G_END_DECLS
