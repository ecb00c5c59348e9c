/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-contact.h"
#include "tesoro-request.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * The privacy office's requests: data-subject requests with the legal clock
 * (tesoro-request.h), their identity check, extension, response and
 * closing. Only who holds TESORO_PERMISSION_REQUESTS (Administrator,
 * Privacy Officer) sees or handles them. Every change is one transaction
 * with an entry in the accountability log (request uid, kind, counts; never
 * what the requester wrote).
 */

#define TESORO_AUDIT_REQUEST_ADDED     "request-added"
#define TESORO_AUDIT_REQUEST_CHANGED   "request-changed"
#define TESORO_AUDIT_REQUEST_VERIFIED  "request-verified"
#define TESORO_AUDIT_REQUEST_EXTENDED  "request-extended"
#define TESORO_AUDIT_REQUEST_RESPONDED "request-responded"
#define TESORO_AUDIT_REQUEST_CLOSED    "request-closed"
#define TESORO_AUDIT_REQUEST_ERASED    "request-erased"

/**
 * TesoroRequestDraft:
 * @received_on: YYYY-MM-DD (or any date tesoro_normalize_timestamp()
 *   accepts); not in the future
 * @language: "en" or "nl": the language of the response
 * @contact_ids: (array length=n_contact_ids): the contacts it is about
 *
 * What a new request is made of.
 */
typedef struct
{
  TesoroRequestKind  kind;
  const char        *received_on;
  const char        *channel;
  const char        *requester;
  const char        *language;
  const char        *notes;
  const gint64      *contact_ids;
  guint              n_contact_ids;
} TesoroRequestDraft;

TesoroRequest *tesoro_session_add_request      (TesoroSession             *self,
                                                const TesoroRequestDraft  *draft,
                                                GError                   **error);
GPtrArray     *tesoro_session_list_requests    (TesoroSession             *self,
                                                gboolean                   overdue_only,
                                                GDateTime                 *now,
                                                GError                   **error);
TesoroRequest *tesoro_session_get_request      (TesoroSession             *self,
                                                gint64                     request_id,
                                                GError                   **error);
guint          tesoro_session_count_requests_due (TesoroSession           *self,
                                                  guint                    within_days,
                                                  GDateTime               *now,
                                                  GError                 **error);
GArray        *tesoro_session_resolve_request_contacts (TesoroSession     *self,
                                                        const TesoroRequest *request,
                                                        GError           **error);

gboolean       tesoro_session_link_request     (TesoroSession             *self,
                                                gint64                     request_id,
                                                const gint64              *contact_ids,
                                                guint                      n_contact_ids,
                                                gboolean                   no_data_held,
                                                GError                   **error);
gboolean       tesoro_session_set_request_notes (TesoroSession            *self,
                                                 gint64                    request_id,
                                                 const char               *notes,
                                                 GError                  **error);
gboolean       tesoro_session_wait_for_identity (TesoroSession            *self,
                                                 gint64                    request_id,
                                                 GError                  **error);
gboolean       tesoro_session_verify_request   (TesoroSession             *self,
                                                gint64                     request_id,
                                                const char                *method,
                                                GError                   **error);
gboolean       tesoro_session_extend_request   (TesoroSession             *self,
                                                gint64                     request_id,
                                                const char                *reason,
                                                GError                   **error);
gboolean       tesoro_session_close_request    (TesoroSession             *self,
                                                gint64                     request_id,
                                                const char                *refusal_reason,
                                                GError                   **error);

/* One-click responses: each closes the request as done and records its
 * evidence. Access and portability write the response package to @path;
 * erasure, restriction and objection act on the linked contacts. */
gboolean       tesoro_session_respond_to_request (TesoroSession           *self,
                                                  gint64                   request_id,
                                                  const char              *path,
                                                  GError                 **error);
gboolean       tesoro_session_respond_rectification (TesoroSession        *self,
                                                     gint64                request_id,
                                                     TesoroContact        *edited,
                                                     GError              **error);

/* Request retention (its period is in TesoroGdprSettings) */
gboolean       tesoro_session_expire_requests  (TesoroSession             *self,
                                                GPtrArray                **receipts,
                                                GError                   **error);

G_END_DECLS
