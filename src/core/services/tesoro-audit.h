/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tesoro-audit-entry.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * The accountability log as the session keeps it: entries are appended as
 * the acting user, now, by the services (and any caller that records an
 * event of its own); reading and checking the chain are here. See tesoro-audit-entry.h for the entries
 * and the hash chain.
 */

gint64      tesoro_session_append_audit  (TesoroSession            *self,
                                          const char               *action,
                                          const char               *contact_uid,
                                          JsonNode                 *details,
                                          GError                  **error);
GPtrArray  *tesoro_session_list_audit    (TesoroSession            *self,
                                          const TesoroAuditFilter  *filter,
                                          GError                  **error);
gboolean    tesoro_session_verify_audit  (TesoroSession            *self,
                                          GCancellable             *cancellable,
                                          gint64                   *n_entries,
                                          gint64                   *first_broken_id,
                                          char                    **head_hash,
                                          GError                  **error);

gboolean    tesoro_session_write_audit_csv (TesoroSession          *self,
                                            GPtrArray              *entries,
                                            const char             *path,
                                            GError                **error);

G_END_DECLS
