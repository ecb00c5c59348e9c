/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-preferences-window.h"
#include "tesoro-retention-preview.h"

G_BEGIN_DECLS

/* For the widget tests. */
TesoroRetentionPreview *_tesoro_preferences_window_get_preview    (TesoroPreferencesWindow *self);
AdwToast               *_tesoro_preferences_window_get_last_toast (TesoroPreferencesWindow *self);
gboolean                _tesoro_preferences_window_save_pending   (TesoroPreferencesWindow *self);
char                   *_tesoro_purpose_key_from_name             (const char              *name);

G_END_DECLS
