/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_USERS_PAGE (tesoro_users_page_get_type ())

G_DECLARE_FINAL_TYPE (TesoroUsersPage, tesoro_users_page, TESORO, USERS_PAGE, AdwPreferencesPage)

GtkWidget *tesoro_users_page_new (TesoroSession *session,
                                  gboolean       roles);

G_END_DECLS
