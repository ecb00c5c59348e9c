/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-breach.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * The breach log as the session keeps it (GDPR Art. 33(5) and 34): record
 * a breach, then what was done about it — the supervisory authority
 * notified (or why not), the people affected informed (or why not), and
 * corrections of the facts — each appended, never changed. Only roles with
 * the "requests" permission (Administrator, Privacy Officer) read or write
 * the log. Every entry is one transaction and an entry in the
 * accountability log that names the breach by its uid, never its text.
 *
 * Moments are taken in any form tesoro_normalize_timestamp() reads; front
 * ends parse what a person types (tesoro_parse_local_datetime()) first.
 */

TesoroBreach *tesoro_session_record_breach           (TesoroSession            *self,
                                                      const TesoroBreachFacts  *facts,
                                                      GError                  **error);
TesoroBreach *tesoro_session_record_breach_authority (TesoroSession            *self,
                                                      gint64                    breach_id,
                                                      gboolean                  notified,
                                                      const char               *at,
                                                      const char               *text,
                                                      GError                  **error);
TesoroBreach *tesoro_session_record_breach_people    (TesoroSession            *self,
                                                      gint64                    breach_id,
                                                      gboolean                  informed,
                                                      const char               *at,
                                                      const char               *text,
                                                      GError                  **error);
TesoroBreach *tesoro_session_correct_breach          (TesoroSession            *self,
                                                      gint64                    breach_id,
                                                      const TesoroBreachFacts  *facts,
                                                      TesoroBreachFields        fields,
                                                      GError                  **error);
GPtrArray    *tesoro_session_list_breaches           (TesoroSession            *self,
                                                      GError                  **error);
TesoroBreach *tesoro_session_get_breach              (TesoroSession            *self,
                                                      gint64                    breach_id,
                                                      GError                  **error);

G_END_DECLS
