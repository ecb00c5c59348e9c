/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_FIELDS_PAGE (tesoro_fields_page_get_type ())

G_DECLARE_FINAL_TYPE (TesoroFieldsPage, tesoro_fields_page, TESORO, FIELDS_PAGE, AdwPreferencesPage)

GtkWidget *tesoro_fields_page_new (TesoroSession *session);

/* For the widget tests. */
GtkSwitch        *_tesoro_fields_page_get_switch       (TesoroFieldsPage *self,
                                                        const char       *key);
GtkButton        *_tesoro_fields_page_get_erase_button (TesoroFieldsPage *self,
                                                        const char       *key);
AdwMessageDialog *_tesoro_fields_page_get_dialog       (TesoroFieldsPage *self);
const char       *_tesoro_fields_page_get_report_text  (TesoroFieldsPage *self);
gboolean          _tesoro_fields_page_is_busy          (TesoroFieldsPage *self);

G_END_DECLS
