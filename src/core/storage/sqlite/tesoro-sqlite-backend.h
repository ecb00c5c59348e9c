/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-backend.h"

G_BEGIN_DECLS

/*
 * The embedded default: one SQLite file on the user's machine. The file is
 * created when missing (in a folder that exists), migrated to the latest schema,
 * and refused, untouched, when it is not Tesoro's or comes from a newer
 * Tesoro. A file that cannot be written opens read-only.
 */

#define TESORO_TYPE_SQLITE_BACKEND (tesoro_sqlite_backend_get_type ())

G_DECLARE_FINAL_TYPE (TesoroSqliteBackend, tesoro_sqlite_backend, TESORO, SQLITE_BACKEND, GObject)

TesoroBackend *tesoro_sqlite_backend_open (const char  *path,
                                           gboolean     read_only,
                                           GError     **error);

G_END_DECLS
