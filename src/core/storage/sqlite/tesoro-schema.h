/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-db.h"
#include "tesoro-sqlite-backend.h"

G_BEGIN_DECLS

/* 'TESR': marks a SQLite file as Tesoro's, so that another program's
 * database is refused instead of being "migrated". */
#define TESORO_SCHEMA_APPLICATION_ID 0x54455352

int      _tesoro_schema_latest_version (void);
int      _tesoro_schema_get_version    (TesoroDb     *db,
                                        GError      **error);
gboolean _tesoro_schema_check          (TesoroDb     *db,
                                        gboolean     *needs_migration,
                                        GError      **error);
gboolean _tesoro_schema_migrate        (TesoroSqliteBackend *backend,
                                        GError      **error);

G_END_DECLS
