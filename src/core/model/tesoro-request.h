/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A data-subject request (GDPR Art. 15–21) and its legal clock (Art. 12(3)):
 * the answer is due one month after receipt, extendable once by two further
 * months with a recorded reason.
 */

typedef enum
{
  TESORO_REQUEST_ACCESS,
  TESORO_REQUEST_RECTIFICATION,
  TESORO_REQUEST_ERASURE,
  TESORO_REQUEST_RESTRICTION,
  TESORO_REQUEST_PORTABILITY,
  TESORO_REQUEST_OBJECTION,
} TesoroRequestKind;

typedef enum
{
  TESORO_REQUEST_OPEN,
  TESORO_REQUEST_WAITING_IDENTITY,
  TESORO_REQUEST_EXTENDED,
  TESORO_REQUEST_DONE,
  TESORO_REQUEST_REFUSED,
} TesoroRequestStatus;

#define TESORO_REQUEST_N_KINDS 6

/**
 * TesoroRequest:
 * @received_on: the date the request was received, YYYY-MM-DD
 * @requester: who asked, as they identified themselves (personal data:
 *   empty once the linked contact was erased, see @scrubbed_at)
 * @identity_verified: whether the requester's identity was checked, and
 *   @identity_method, @identity_by, @identity_at how, by whom, when
 * @contact_uids: (element-type utf8): the contacts the request is about
 *   (by uid, which outlives an erased contact); empty with @no_data_held
 *   when Tesoro holds nothing about the requester
 * @evidence: a JSON object of what the response produced (a package's
 *   digest, erasure receipt ids, changed field names), never values
 */
typedef struct
{
  gint64               id;
  char                *uid;
  TesoroRequestKind    kind;
  char                *received_on;
  char                *channel;
  char                *requester;
  char                *language;
  gboolean             identity_verified;
  char                *identity_method;
  char                *identity_by;
  char                *identity_at;
  TesoroRequestStatus  status;
  char                *extension_reason;
  char                *extended_at;
  char                *outcome;
  char                *refusal_reason;
  gboolean             no_data_held;
  char                *evidence;
  char                *notes;
  char                *created_at;
  char                *created_by;
  char                *closed_at;
  char                *scrubbed_at;
  GPtrArray           *contact_uids;
} TesoroRequest;

TesoroRequest *tesoro_request_new   (void);
void           tesoro_request_free  (TesoroRequest *request);
TesoroRequest *tesoro_request_copy  (const TesoroRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroRequest, tesoro_request_free)

const char *tesoro_request_kind_to_string     (TesoroRequestKind    kind);
gboolean    tesoro_request_kind_from_string   (const char          *text,
                                               TesoroRequestKind   *kind,
                                               GError             **error);
const char *tesoro_request_kind_get_label     (TesoroRequestKind    kind);
const char *tesoro_request_kind_get_article   (TesoroRequestKind    kind);
const char *tesoro_request_status_to_string   (TesoroRequestStatus  status);
gboolean    tesoro_request_status_from_string (const char          *text,
                                               TesoroRequestStatus *status,
                                               GError             **error);
const char *tesoro_request_status_get_label   (TesoroRequestStatus  status);

gboolean    tesoro_request_is_closed          (const TesoroRequest *request);

/* The clock */
GDate      *tesoro_date_add_months            (const GDate         *date,
                                               guint                months);
GDate      *tesoro_request_get_deadline       (const TesoroRequest *request);
char       *tesoro_request_get_deadline_iso   (const TesoroRequest *request);
gint        tesoro_request_days_left          (const TesoroRequest *request,
                                               GDateTime           *now);
gboolean    tesoro_request_is_overdue         (const TesoroRequest *request,
                                               GDateTime           *now);
char       *tesoro_request_describe_clock     (const TesoroRequest *request,
                                               GDateTime           *now);

G_END_DECLS
