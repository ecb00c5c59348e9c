/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

#define TESORO_TYPE_RETENTION_PREVIEW (tesoro_retention_preview_get_type ())

G_DECLARE_FINAL_TYPE (TesoroRetentionPreview, tesoro_retention_preview, TESORO, RETENTION_PREVIEW, AdwBin)

TesoroRetentionPreview *tesoro_retention_preview_new         (TesoroSession            *session);
void                    tesoro_retention_preview_run         (TesoroRetentionPreview *self,
                                                              guint                   years);
GListModel             *tesoro_retention_preview_get_model   (TesoroRetentionPreview *self);
gboolean                tesoro_retention_preview_get_loading (TesoroRetentionPreview *self);
guint                   tesoro_retention_preview_get_years   (TesoroRetentionPreview *self);

G_END_DECLS
