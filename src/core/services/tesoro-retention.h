/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-receipt.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * Retention: contacts inactive for longer than the retention period are
 * erased (off by default); the trash expires after a number of days. The
 * settings of both, the preview, the run, and the housekeeping that runs
 * them at start-up and daily.
 */

/* Settings of the privacy officer */

/**
 * TesoroGdprSettings:
 * @retention_enabled: whether contacts inactive for longer than
 *   @retention_years are erased automatically (off by default)
 * @retention_years: the retention period, 1 to 100 years (default 5)
 * @trash_expiry_days: contacts stay this many days in the trash before they
 *   are erased (default 30; 0 keeps them until the trash is emptied)
 * @request_retention_years: a closed data-subject request is kept this many
 *   years, 1 to 100 (default 3), then erased with a receipt; 0 when saving
 *   keeps what is stored
 */
typedef struct
{
  gboolean retention_enabled;
  guint    retention_years;
  guint    trash_expiry_days;
  guint    request_retention_years;
} TesoroGdprSettings;

gboolean    tesoro_session_get_gdpr_settings    (TesoroSession             *self,
                                                 TesoroGdprSettings        *settings,
                                                 GError                   **error);
gboolean    tesoro_session_set_gdpr_settings    (TesoroSession             *self,
                                                 const TesoroGdprSettings  *settings,
                                                 GError                   **error);

/* Retention */
char       *tesoro_retention_cutoff           (guint                      years);
GPtrArray  *tesoro_session_find_retention_candidates (TesoroSession        *self,
                                                      guint                 years,
                                                      GError              **error);
gboolean    tesoro_session_apply_retention      (TesoroSession             *self,
                                                 guint                      years,
                                                 GCancellable              *cancellable,
                                                 TesoroErasureProgressFunc  progress,
                                                 gpointer                   user_data,
                                                 GPtrArray                **receipts,
                                                 GError                   **error);
gboolean    tesoro_session_run_housekeeping     (TesoroSession             *self,
                                                 GCancellable              *cancellable,
                                                 GPtrArray                **receipts,
                                                 GError                   **error);

G_END_DECLS
