/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-bulk-export.h"
#include "tesoro-export-dialog.h"

G_BEGIN_DECLS

/* For the tests: what the form says, and the export without the file chooser. */
void     _tesoro_export_dialog_get_options (TesoroExportDialog         *self,
                                            TesoroContactExportOptions *options,
                                            GArray                    **ids);
void     _tesoro_export_dialog_export_to   (TesoroExportDialog         *self,
                                            const char                 *path);

G_END_DECLS
