/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-requests"

#include "config.h"

#include "tesoro-requests.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-consent.h"
#include "tesoro-contact-json.h"
#include "tesoro-erasure.h"
#include "tesoro-error.h"
#include "tesoro-language.h"
#include "tesoro-response-package.h"
#include "tesoro-restriction.h"
#include "tesoro-retention.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/* Helpers */

static gboolean
has_text (const char *s)
{
  if (s == NULL)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return TRUE;
  return FALSE;
}

static TesoroRequest *
load (TesoroSession  *self,
      gint64          id,
      GError        **error)
{
  g_autoptr(GPtrArray) rows = tesoro_backend_list_requests (_tesoro_session_get_backend (self), id, error);

  if (rows == NULL)
    return NULL;
  return g_steal_pointer (&rows->pdata[0]);
}

/* Loads an open request to change it (a closed one is refused). */
static TesoroRequest *
load_open (TesoroSession  *self,
           gint64          id,
           GError        **error)
{
  g_autoptr(TesoroRequest) request = load (self, id, error);

  if (request == NULL)
    return NULL;
  if (tesoro_request_is_closed (request))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Request %" PRId64 " is closed (%s) and cannot be changed."),
                   id, tesoro_request_status_get_label (request->status));
      return NULL;
    }
  return g_steal_pointer (&request);
}

static JsonNode *
details_of (TesoroRequest *request)
{
  return tesoro_json_object_new ("request", 's', request->uid,
                                 "kind", 's', tesoro_request_kind_to_string (request->kind),
                                 "status", 's', tesoro_request_status_to_string (request->status),
                                 "contacts", 'i', (gint64) request->contact_uids->len,
                                 NULL);
}

/* Saves @request and records @action, in the transaction open or in one of
 * its own. @extra (taken) members are added to the audit details. */
static gboolean
store (TesoroSession  *self,
       TesoroRequest  *request,
       const char     *action,
       JsonNode       *extra,
       GError        **error)
{
  g_autoptr(JsonNode) owned_extra = extra;
  JsonNode *details = details_of (request);

  if (extra != NULL)
    {
      JsonObject *object = json_node_get_object (extra);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (json_node_get_object (details), l->data,
                                json_node_copy (json_object_get_member (object, l->data)));
    }

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    {
      json_node_unref (details);
      return FALSE;
    }
  if (!tesoro_backend_save_request (_tesoro_session_get_backend (self), request, error) ||
      !_tesoro_session_audit (self, action, NULL, details, error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}

/* The uids of @ids, which must be contacts (in the trash or not). */
static gboolean
uids_of (TesoroSession  *self,
         const gint64   *ids,
         guint           n_ids,
         GPtrArray      *uids,
         GError        **error)
{
  for (guint i = 0; i < n_ids; i++)
    {
      g_auto(TesoroContactState) state = { 0 };

      if (!tesoro_backend_get_contact_state (_tesoro_session_get_backend (self), ids[i], &state, error))
        return FALSE;
      g_ptr_array_add (uids, g_steal_pointer (&state.uid));
    }
  return TRUE;
}

/* Today in the user's time zone (the test suite pins the clock with
 * TESORO_NOW, as tesoro_now_iso() says). */
static char *
today_iso (void)
{
  g_autofree char *iso = tesoro_now_iso ();
  g_autoptr(GDateTime) utc = tesoro_date_time_from_iso (iso);
  g_autoptr(GDateTime) now = utc != NULL ? g_date_time_to_local (utc) : g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
normalize_received (const char  *text,
                    GError     **error)
{
  g_autofree char *iso = NULL;
  g_autofree char *today = today_iso ();
  g_autoptr(GError) local_error = NULL;
  char *date;

  if (!has_text (text))
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Received: the date the request was received is required."));
      return NULL;
    }
  iso = tesoro_normalize_timestamp (text, TRUE, &local_error);
  if (iso == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Received: %s"), local_error->message);
      return NULL;
    }
  date = g_strndup (iso, 10);
  if (strcmp (date, today) > 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Received: %s is in the future."), date);
      g_free (date);
      return NULL;
    }
  return date;
}

/* Requests */

/**
 * tesoro_session_add_request:
 *
 * Records a request as received. Its clock starts on @draft's received_on.
 *
 * Returns: (transfer full): the request as stored
 */
TesoroRequest *
tesoro_session_add_request (TesoroSession             *self,
                            const TesoroRequestDraft  *draft,
                            GError                   **error)
{
  g_autoptr(TesoroRequest) request = NULL;
  TesoroLanguage language = TESORO_LANGUAGE_ENGLISH;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;

  if ((guint) draft->kind >= TESORO_REQUEST_N_KINDS)
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Kind: unknown kind of request."));
      return NULL;
    }
  if (!has_text (draft->requester))
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Requester: say who made the request, as they identified themselves."));
      return NULL;
    }
  if (!tesoro_check_text (_("Requester"), draft->requester, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text (_("Channel"), draft->channel, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text (_("Notes"), draft->notes, TESORO_MAX_LONG_TEXT, error))
    return NULL;
  if (draft->language != NULL && !tesoro_language_from_string (draft->language, &language, error))
    return NULL;

  request = tesoro_request_new ();
  request->uid = tesoro_uuid_new ();
  request->kind = draft->kind;
  request->received_on = normalize_received (draft->received_on, error);
  if (request->received_on == NULL)
    return NULL;
  request->channel = g_strstrip (g_strdup (draft->channel != NULL ? draft->channel : ""));
  request->requester = g_strstrip (g_strdup (draft->requester));
  g_free (request->language);
  request->language = g_strdup (tesoro_language_to_string (language));
  request->notes = g_strdup (draft->notes != NULL ? draft->notes : "");
  request->status = TESORO_REQUEST_OPEN;
  request->created_at = tesoro_now_iso ();
  request->created_by = g_strdup (tesoro_session_get_actor (self));

  if (!uids_of (self, draft->contact_ids, draft->n_contact_ids, request->contact_uids, error) ||
      !store (self, request, TESORO_AUDIT_REQUEST_ADDED, NULL, error))
    return NULL;

  return g_steal_pointer (&request);
}

static gint
compare_requests (gconstpointer a,
                  gconstpointer b)
{
  const TesoroRequest *x = *(TesoroRequest * const *) a;
  const TesoroRequest *y = *(TesoroRequest * const *) b;
  gboolean x_closed = tesoro_request_is_closed (x);
  gboolean y_closed = tesoro_request_is_closed (y);
  g_autofree char *x_deadline = NULL;
  g_autofree char *y_deadline = NULL;
  int cmp;

  /* Open ones first, the most urgent on top; then the closed ones, the
   * latest closed first. */
  if (x_closed != y_closed)
    return x_closed ? 1 : -1;
  if (x_closed)
    {
      cmp = g_strcmp0 (y->closed_at, x->closed_at);
      return cmp != 0 ? cmp : (x->id < y->id ? 1 : -1);
    }

  x_deadline = tesoro_request_get_deadline_iso (x);
  y_deadline = tesoro_request_get_deadline_iso (y);
  cmp = g_strcmp0 (x_deadline, y_deadline);
  if (cmp != 0)
    return cmp;
  return x->id < y->id ? -1 : (x->id > y->id);
}

/**
 * tesoro_session_list_requests:
 * @overdue_only: only the open requests past their deadline at @now
 * @now: (nullable): the moment, in the user's time zone (default: now)
 *
 * Returns: (transfer full) (element-type TesoroRequest): the requests by
 *   deadline: open ones first, the most urgent on top, then the closed ones
 */
GPtrArray *
tesoro_session_list_requests (TesoroSession  *self,
                              gboolean        overdue_only,
                              GDateTime      *now,
                              GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) local_now = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;

  rows = tesoro_backend_list_requests (_tesoro_session_get_backend (self), 0, error);
  if (rows == NULL)
    return NULL;

  if (now == NULL)
    now = local_now = g_date_time_new_now_local ();
  if (overdue_only)
    for (guint i = rows->len; i > 0; i--)
      if (!tesoro_request_is_overdue (rows->pdata[i - 1], now))
        g_ptr_array_remove_index (rows, i - 1);

  g_ptr_array_sort (rows, compare_requests);
  return g_steal_pointer (&rows);
}

/**
 * tesoro_session_get_request:
 *
 * Returns: (transfer full): request @request_id
 */
TesoroRequest *
tesoro_session_get_request (TesoroSession  *self,
                            gint64          request_id,
                            GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;
  return load (self, request_id, error);
}

/**
 * tesoro_session_count_requests_due:
 * @within_days: how far ahead to look (7 for the start-up toast)
 *
 * Returns: how many open requests are overdue or due within @within_days
 *   of @now (the user's time zone); 0 also without the permission
 */
guint
tesoro_session_count_requests_due (TesoroSession  *self,
                                   guint           within_days,
                                   GDateTime      *now,
                                   GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  guint due = 0;

  g_return_val_if_fail (TESORO_IS_SESSION (self), 0);

  if (!tesoro_session_can (self, TESORO_PERMISSION_REQUESTS))
    return 0;
  rows = tesoro_backend_list_requests (_tesoro_session_get_backend (self), 0, error);
  if (rows == NULL)
    return 0;

  if (now == NULL)
    now = local_now = g_date_time_new_now_local ();
  for (guint i = 0; i < rows->len; i++)
    if (!tesoro_request_is_closed (rows->pdata[i]) &&
        tesoro_request_days_left (rows->pdata[i], now) <= (gint) within_days)
      due++;
  return due;
}

/**
 * tesoro_session_resolve_request_contacts:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the request's
 *   contacts that still exist (an erased one has left only its uid)
 */
GArray *
tesoro_session_resolve_request_contacts (TesoroSession        *self,
                                         const TesoroRequest  *request,
                                         GError              **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;

  for (guint i = 0; i < request->contact_uids->len; i++)
    {
      gint64 id = tesoro_backend_find_by_uid (_tesoro_session_get_backend (self),
                                              request->contact_uids->pdata[i], TRUE, error);

      if (id < 0)
        return NULL;
      if (id > 0)
        g_array_append_val (ids, id);
    }
  return g_steal_pointer (&ids);
}

/**
 * tesoro_session_link_request:
 * @no_data_held: Tesoro holds nothing about the requester (then
 *   @contact_ids must be empty)
 *
 * Sets which contacts the request is about.
 */
gboolean
tesoro_session_link_request (TesoroSession  *self,
                             gint64          request_id,
                             const gint64   *contact_ids,
                             guint           n_contact_ids,
                             gboolean        no_data_held,
                             GError        **error)
{
  g_autoptr(TesoroRequest) request = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return FALSE;
  if (no_data_held && n_contact_ids > 0)
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Contacts: a request about linked contacts cannot also say that no data is held."));
      return FALSE;
    }

  request = load_open (self, request_id, error);
  if (request == NULL)
    return FALSE;
  g_ptr_array_set_size (request->contact_uids, 0);
  request->no_data_held = no_data_held;
  return uids_of (self, contact_ids, n_contact_ids, request->contact_uids, error) &&
         store (self, request, TESORO_AUDIT_REQUEST_CHANGED, NULL, error);
}

gboolean
tesoro_session_set_request_notes (TesoroSession  *self,
                                  gint64          request_id,
                                  const char     *notes,
                                  GError        **error)
{
  g_autoptr(TesoroRequest) request = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error) ||
      !tesoro_check_text (_("Notes"), notes, TESORO_MAX_LONG_TEXT, error))
    return FALSE;

  request = load (self, request_id, error);
  if (request == NULL)
    return FALSE;
  if (request->scrubbed_at != NULL)
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("The contact of this request was erased; its notes went with it."));
      return FALSE;
    }
  g_free (request->notes);
  request->notes = g_strdup (notes != NULL ? notes : "");
  return store (self, request, TESORO_AUDIT_REQUEST_CHANGED, NULL, error);
}

/**
 * tesoro_session_wait_for_identity:
 *
 * The request waits until the requester proves who they are.
 */
gboolean
tesoro_session_wait_for_identity (TesoroSession  *self,
                                  gint64          request_id,
                                  GError        **error)
{
  g_autoptr(TesoroRequest) request = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return FALSE;
  request = load_open (self, request_id, error);
  if (request == NULL)
    return FALSE;
  if (request->identity_verified)
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("The requester’s identity is already verified."));
      return FALSE;
    }
  request->status = TESORO_REQUEST_WAITING_IDENTITY;
  return store (self, request, TESORO_AUDIT_REQUEST_CHANGED, NULL, error);
}

/**
 * tesoro_session_verify_request:
 * @method: how the identity was checked ("replied from the e-mail address
 *   on file", "passport shown at the desk")
 *
 * Records that the requester's identity was verified, by whom and when.
 */
gboolean
tesoro_session_verify_request (TesoroSession  *self,
                               gint64          request_id,
                               const char     *method,
                               GError        **error)
{
  g_autoptr(TesoroRequest) request = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return FALSE;
  if (!has_text (method))
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Method: say how the requester’s identity was checked."));
      return FALSE;
    }
  if (!tesoro_check_text (_("Method"), method, TESORO_MAX_SHORT_TEXT, error))
    return FALSE;

  request = load_open (self, request_id, error);
  if (request == NULL)
    return FALSE;

  request->identity_verified = TRUE;
  g_free (request->identity_method);
  request->identity_method = g_strstrip (g_strdup (method));
  g_free (request->identity_by);
  request->identity_by = g_strdup (tesoro_session_get_actor (self));
  g_free (request->identity_at);
  request->identity_at = tesoro_now_iso ();
  if (request->status == TESORO_REQUEST_WAITING_IDENTITY)
    request->status = request->extended_at != NULL ? TESORO_REQUEST_EXTENDED : TESORO_REQUEST_OPEN;
  return store (self, request, TESORO_AUDIT_REQUEST_VERIFIED, NULL, error);
}

/**
 * tesoro_session_extend_request:
 * @reason: why (Art. 12(3): the complexity and number of the requests)
 *
 * Extends the deadline once, by two further months.
 */
gboolean
tesoro_session_extend_request (TesoroSession  *self,
                               gint64          request_id,
                               const char     *reason,
                               GError        **error)
{
  g_autoptr(TesoroRequest) request = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return FALSE;
  if (!has_text (reason))
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Reason: an extension needs a reason, which the requester must be told."));
      return FALSE;
    }
  if (!tesoro_check_text (_("Reason"), reason, TESORO_MAX_SHORT_TEXT, error))
    return FALSE;

  request = load_open (self, request_id, error);
  if (request == NULL)
    return FALSE;
  if (request->extended_at != NULL)
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("This request was extended already: the deadline can be extended only once."));
      return FALSE;
    }

  request->extended_at = tesoro_now_iso ();
  g_free (request->extension_reason);
  request->extension_reason = g_strstrip (g_strdup (reason));
  request->status = TESORO_REQUEST_EXTENDED;
  return store (self, request, TESORO_AUDIT_REQUEST_EXTENDED, NULL, error);
}

static void
mark_closed (TesoroRequest       *request,
             TesoroRequestStatus  status,
             const char          *outcome)
{
  request->status = status;
  g_free (request->closed_at);
  request->closed_at = tesoro_now_iso ();
  if (outcome != NULL)
    {
      g_free (request->outcome);
      request->outcome = g_strdup (outcome);
    }
}

/**
 * tesoro_session_close_request:
 * @refusal_reason: (nullable): refuses the request with this reason
 *   (Art. 12(4): the requester is told why); %NULL closes it as done
 */
gboolean
tesoro_session_close_request (TesoroSession  *self,
                              gint64          request_id,
                              const char     *refusal_reason,
                              GError        **error)
{
  g_autoptr(TesoroRequest) request = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return FALSE;
  if (refusal_reason != NULL && !has_text (refusal_reason))
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Reason: a refusal needs a reason, which the requester must be told."));
      return FALSE;
    }
  if (!tesoro_check_text (_("Reason"), refusal_reason, TESORO_MAX_SHORT_TEXT, error))
    return FALSE;

  request = load_open (self, request_id, error);
  if (request == NULL)
    return FALSE;

  if (refusal_reason != NULL)
    {
      g_free (request->refusal_reason);
      request->refusal_reason = g_strstrip (g_strdup (refusal_reason));
      mark_closed (request, TESORO_REQUEST_REFUSED, "refused");
    }
  else
    mark_closed (request, TESORO_REQUEST_DONE, has_text (request->outcome) ? NULL : "closed");

  return store (self, request, TESORO_AUDIT_REQUEST_CLOSED, NULL, error);
}

/* Responses */

static gboolean
check_respondable (TesoroRequest  *request,
                   GError        **error)
{
  if (!request->identity_verified)
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Verify the requester’s identity before responding: "
                             "personal data must go only to the person it is about."));
      return FALSE;
    }
  if (request->contact_uids->len == 0 && !request->no_data_held)
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Link the request to the requester’s contacts first, "
                             "or record that no data is held about them."));
      return FALSE;
    }
  return TRUE;
}

static void
set_evidence (TesoroRequest *request,
              JsonNode      *evidence)
{
  g_free (request->evidence);
  request->evidence = tesoro_json_to_string (evidence, FALSE);
}

static gboolean
respond_package (TesoroSession  *self,
                 TesoroRequest  *request,
                 GArray         *ids,
                 const char     *path,
                 GError        **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(JsonNode) evidence = NULL;
  g_autofree char *data = NULL;
  TesoroLanguage language = TESORO_LANGUAGE_ENGLISH;
  gsize length = 0;

  if (path == NULL)
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("Output: choose where to save the response package."));
      return FALSE;
    }

  tesoro_language_from_string (request->language, &language, NULL);
  if (!tesoro_session_write_response_package (self, (const gint64 *) ids->data, ids->len, language, path, error))
    return FALSE;

  /* The evidence is the package's digest: which file went out can be
   * proved later without keeping a copy of the data. */
  if (!g_file_get_contents (path, &data, &length, error))
    return FALSE;
  g_checksum_update (checksum, (const guchar *) data, length);

  evidence = tesoro_json_object_new ("package_sha256", 's', g_checksum_get_string (checksum),
                                     "package_bytes", 'i', (gint64) length,
                                     "contacts", 'i', (gint64) ids->len,
                                     "language", 's', tesoro_language_to_string (language),
                                     NULL);
  set_evidence (request, evidence);
  mark_closed (request, TESORO_REQUEST_DONE,
               request->no_data_held && ids->len == 0 ? "no-data-held" : "package");
  return store (self, request, TESORO_AUDIT_REQUEST_RESPONDED,
                tesoro_json_object_new ("outcome", 's', request->outcome, NULL), error);
}

static gboolean
respond_erasure (TesoroSession  *self,
                 TesoroRequest  *request,
                 GArray         *ids,
                 GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(TesoroRequest) after = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *reason = g_strdup_printf ("Art. 17 request %s", request->uid);
  gboolean outermost = !tesoro_backend_in_transaction (backend);

  /* One durable transaction: the contacts go, their requests are scrubbed,
   * and this request records the receipts and closes. */
  if (!_tesoro_session_begin (self, TESORO_WRITE_DURABLE, error))
    return FALSE;

  if (!tesoro_session_erase_contacts (self, (const gint64 *) ids->data, ids->len, reason,
                                      TESORO_ERASURE_REQUEST, NULL, NULL, NULL, &receipts, error))
    return _tesoro_session_fail (self);

  /* Reloaded: erasing scrubbed what the request said of the person. */
  after = load (self, request->id, error);
  if (after == NULL)
    return _tesoro_session_fail (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "receipts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < receipts->len; i++)
    json_builder_add_int_value (builder, tesoro_erasure_receipt_get_id (receipts->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  {
    g_autoptr(JsonNode) evidence = json_builder_get_root (builder);

    set_evidence (after, evidence);
  }
  mark_closed (after, TESORO_REQUEST_DONE, ids->len == 0 ? "no-data-held" : "erased");

  if (!store (self, after, TESORO_AUDIT_REQUEST_RESPONDED,
              tesoro_json_object_new ("outcome", 's', after->outcome,
                                      "erased", 'i', (gint64) receipts->len, NULL),
              error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  if (outermost)
    _tesoro_session_purge_erased (self, receipts);
  return TRUE;
}

/* Restriction (Art. 18) restricts the contacts; an objection (Art. 21)
 * withdraws every consent purpose — they are all marketing — and so keeps
 * the person out of marketing from now on. */
static gboolean
respond_on_contacts (TesoroSession  *self,
                     TesoroRequest  *request,
                     GArray         *ids,
                     GError        **error)
{
  g_autoptr(GPtrArray) purposes = NULL;
  g_autofree char *source = NULL;
  g_autofree char *now = tesoro_now_iso ();
  guint withdrawn = 0;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (request->kind == TESORO_REQUEST_OBJECTION)
    {
      purposes = tesoro_backend_list_purposes (_tesoro_session_get_backend (self), error);
      if (purposes == NULL)
        return _tesoro_session_fail (self);
      source = g_strdup_printf ("Art. 21 objection, request %s", request->uid);
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (request->kind == TESORO_REQUEST_RESTRICTION)
        {
          if (!tesoro_session_set_restricted (self, id, TRUE, error))
            return _tesoro_session_fail (self);
          continue;
        }

      for (guint p = 0; p < purposes->len; p++)
        {
          const char *key = ((TesoroConsentPurpose *) purposes->pdata[p])->key;

          if (tesoro_session_record_consent (self, id, key, FALSE, now, source, NULL, error) < 0)
            return _tesoro_session_fail (self);
          withdrawn++;
        }
    }

  {
    g_autoptr(JsonNode) evidence =
      tesoro_json_object_new (request->kind == TESORO_REQUEST_RESTRICTION ? "restricted" : "consents_withdrawn",
                              'i', (gint64) (request->kind == TESORO_REQUEST_RESTRICTION ? ids->len : withdrawn),
                              NULL);

    set_evidence (request, evidence);
  }
  mark_closed (request, TESORO_REQUEST_DONE,
               ids->len == 0 ? "no-data-held"
                             : request->kind == TESORO_REQUEST_RESTRICTION ? "restricted" : "marketing-stopped");

  if (!store (self, request, TESORO_AUDIT_REQUEST_RESPONDED,
              tesoro_json_object_new ("outcome", 's', request->outcome, NULL), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}

/**
 * tesoro_session_respond_to_request:
 * @path: (nullable): for access and portability, where the response
 *   package (a .zip) is written
 *
 * The one-click response: access and portability write the response
 * package; erasure erases the linked contacts permanently (the receipts
 * stay with the request); restriction restricts them; an objection
 * withdraws their marketing consent. Then the request is done. The
 * requester's identity must be verified first. Rectification is answered
 * with tesoro_session_respond_rectification().
 */
gboolean
tesoro_session_respond_to_request (TesoroSession  *self,
                                   gint64          request_id,
                                   const char     *path,
                                   GError        **error)
{
  g_autoptr(TesoroRequest) request = NULL;
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return FALSE;

  request = load_open (self, request_id, error);
  if (request == NULL || !check_respondable (request, error))
    return FALSE;
  ids = tesoro_session_resolve_request_contacts (self, request, error);
  if (ids == NULL)
    return FALSE;

  switch (request->kind)
    {
    case TESORO_REQUEST_ACCESS:
    case TESORO_REQUEST_PORTABILITY:
      return respond_package (self, request, ids, path, error);
    case TESORO_REQUEST_ERASURE:
      return respond_erasure (self, request, ids, error);
    case TESORO_REQUEST_RESTRICTION:
    case TESORO_REQUEST_OBJECTION:
      return respond_on_contacts (self, request, ids, error);
    case TESORO_REQUEST_RECTIFICATION:
    default:
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("A rectification is answered by correcting the contact: "
                             "open it from the request and save the corrections."));
      return FALSE;
    }
}

/* The names of the top-level members that differ between two contacts'
 * JSON: which fields a rectification changed, without their values. */
static JsonNode *
changed_fields (TesoroContact *before,
                TesoroContact *after)
{
  g_autoptr(JsonNode) a = tesoro_contact_to_json_node (before);
  g_autoptr(JsonNode) b = tesoro_contact_to_json_node (after);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GList) members = json_object_get_members (json_node_get_object (b));
  static const char * const ignored[] = { "updated_at", "edited_at", "last_activity_at", "id", "uid", NULL };

  json_builder_begin_array (builder);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *x = json_object_get_member (json_node_get_object (a), l->data);
      JsonNode *y = json_object_get_member (json_node_get_object (b), l->data);

      if (g_strv_contains (ignored, l->data))
        continue;
      if (x == NULL || !json_node_equal (x, y))
        json_builder_add_string_value (builder, l->data);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/**
 * tesoro_session_respond_rectification:
 * @edited: the linked contact as corrected
 *
 * Saves the corrections and closes the rectification request, recording
 * which fields changed (their names, not their values).
 */
gboolean
tesoro_session_respond_rectification (TesoroSession  *self,
                                      gint64          request_id,
                                      TesoroContact  *edited,
                                      GError        **error)
{
  g_autoptr(TesoroRequest) request = NULL;
  g_autoptr(TesoroContact) before = NULL;
  g_autoptr(TesoroContact) after = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(JsonNode) evidence = NULL;
  const char *uid;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (TESORO_IS_CONTACT (edited), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return FALSE;

  request = load_open (self, request_id, error);
  if (request == NULL || !check_respondable (request, error))
    return FALSE;
  if (request->kind != TESORO_REQUEST_RECTIFICATION)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Request %" PRId64 " is not a rectification request."), request_id);
      return FALSE;
    }
  uid = tesoro_contact_get_uid (edited);
  if (uid == NULL || !g_ptr_array_find_with_equal_func (request->contact_uids, uid, g_str_equal, NULL))
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                           _("The corrected contact is not one the request is about."));
      return FALSE;
    }

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  before = _tesoro_session_load_whole (self, tesoro_contact_get_id (edited), error);
  if (before == NULL || !tesoro_session_update_contact (self, edited, error))
    return _tesoro_session_fail (self);
  after = _tesoro_session_load_whole (self, tesoro_contact_get_id (edited), error);
  if (after == NULL)
    return _tesoro_session_fail (self);

  changed = changed_fields (before, after);
  evidence = tesoro_json_object_new ("changed_fields", 'n', json_node_copy (changed), NULL);
  set_evidence (request, evidence);
  mark_closed (request, TESORO_REQUEST_DONE, "rectified");

  if (!store (self, request, TESORO_AUDIT_REQUEST_RESPONDED,
              tesoro_json_object_new ("outcome", 's', request->outcome,
                                      "changed_fields", 'n', json_node_copy (changed), NULL),
              error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}

/* Request retention */

/**
 * tesoro_session_expire_requests:
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *   one per erased request
 *
 * Requests are personal data too: a request closed longer ago than the
 * request retention period is erased like a contact, with a receipt that
 * carries the request's uid. Part of the housekeeping.
 */
gboolean
tesoro_session_expire_requests (TesoroSession  *self,
                                GPtrArray     **receipts,
                                GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *cutoff = NULL;
  g_autofree char *now = tesoro_now_iso ();
  TesoroLinkedCounts none = { 0 };
  TesoroGdprSettings settings;
  guint years;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (receipts != NULL)
    *receipts = NULL;
  if (!tesoro_session_require (self, TESORO_PERMISSION_RETENTION, error) ||
      !tesoro_session_get_gdpr_settings (self, &settings, error))
    return FALSE;

  years = settings.request_retention_years;
  cutoff = tesoro_retention_cutoff (years);

  if (!_tesoro_session_begin (self, TESORO_WRITE_DURABLE, error))
    return FALSE;
  ids = tesoro_backend_select_closed_requests (backend, cutoff, error);
  if (ids == NULL)
    return _tesoro_session_fail (self);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(TesoroRequest) request = load (self, g_array_index (ids, gint64, i), error);
      g_autoptr(TesoroErasureReceipt) receipt = NULL;

      if (request == NULL || !tesoro_backend_delete_request (backend, request->id, error))
        return _tesoro_session_fail (self);

      receipt = tesoro_erasure_receipt_new (0, request->uid, now, tesoro_session_get_actor (self),
                                            tesoro_erasure_method_to_string (TESORO_ERASURE_REQUEST_RETENTION),
                                            "", &none, TRUE, FALSE);
      if (!tesoro_backend_insert_receipt (backend, receipt, error) ||
          !_tesoro_session_audit (self, TESORO_AUDIT_REQUEST_ERASED, NULL,
                                  tesoro_json_object_new ("request", 's', request->uid,
                                                          "kind", 's', tesoro_request_kind_to_string (request->kind),
                                                          "receipt", 'i', tesoro_erasure_receipt_get_id (receipt),
                                                          "retention_years", 'i', (gint64) years,
                                                          NULL),
                                  error))
        return _tesoro_session_fail (self);
      g_ptr_array_add (made, g_steal_pointer (&receipt));
    }

  if (!_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  _tesoro_session_purge_erased (self, made);

  if (receipts != NULL)
    *receipts = g_steal_pointer (&made);
  return TRUE;
}
