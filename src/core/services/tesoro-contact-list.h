/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_CONTACT_LIST (tesoro_contact_list_get_type ())

G_DECLARE_FINAL_TYPE (TesoroContactList, tesoro_contact_list, TESORO, CONTACT_LIST, GObject)

TesoroContactList *tesoro_contact_list_new          (TesoroSession       *session,
                                                     gboolean           trash);
TesoroSession       *tesoro_contact_list_get_session    (TesoroContactList *self);
gboolean           tesoro_contact_list_get_trash    (TesoroContactList *self);
const char        *tesoro_contact_list_get_query    (TesoroContactList *self);
void               tesoro_contact_list_set_query    (TesoroContactList *self,
                                                     const char        *query);
guint              tesoro_contact_list_get_total    (TesoroContactList *self);
gint64             tesoro_contact_list_get_id       (TesoroContactList *self,
                                                     guint              position);
guint              tesoro_contact_list_find         (TesoroContactList *self,
                                                     gint64             id);
void               tesoro_contact_list_reload       (TesoroContactList *self);

G_END_DECLS
