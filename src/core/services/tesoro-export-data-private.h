/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-export-data.h"

G_BEGIN_DECLS

/* For the services that hand a person their data in another wrapping (the
 * response package, tesoro-response-package.c): the same permission, the
 * same files, byte for byte. */

gboolean  _tesoro_session_require_export_data (TesoroSession      *self,
                                               GError            **error);
GBytes   *_tesoro_export_data_render          (TesoroContact      *contact,
                                               TesoroExportFormat  format,
                                               const char         *generated_at);

G_END_DECLS
