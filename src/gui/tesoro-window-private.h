/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-contact-list.h"
#include "tesoro-contact-pane.h"
#include "tesoro-window.h"

G_BEGIN_DECLS

/* For the window's other files and for the tests, which drive the window as
 * a user would and look at what it shows. */

GtkListView        *_tesoro_window_get_list_view     (TesoroWindow *self);
GtkSearchEntry     *_tesoro_window_get_search_entry  (TesoroWindow *self);
TesoroContactPane  *_tesoro_window_get_contact_pane  (TesoroWindow *self);
TesoroContactList  *_tesoro_window_get_contact_list  (TesoroWindow *self);
AdwToastOverlay    *_tesoro_window_get_toast_overlay (TesoroWindow *self);
const char         *_tesoro_window_get_list_page     (TesoroWindow *self);
const char         *_tesoro_window_get_count_text    (TesoroWindow *self);
gboolean            _tesoro_window_select_contact    (TesoroWindow *self,
                                                      gint64        id);
void                _tesoro_window_show_toast        (TesoroWindow *self,
                                                      AdwToast     *toast);
AdwToast           *_tesoro_window_get_last_toast    (TesoroWindow *self);

G_END_DECLS
