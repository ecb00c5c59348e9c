/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-restriction"

#include "config.h"

#include "tesoro-audit-entry.h"
#include "tesoro-contact-json.h"
#include "tesoro-restriction.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Restriction of processing (Art. 18) and legal hold: two flags on the
 * contact that the rules (_tesoro_session_judge()) look at, each change an
 * edit of the contact and an entry in the accountability log.
 */

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/**
 * tesoro_session_set_restricted:
 *
 * Restricts processing of the contact (GDPR Art. 18) or lifts it. While
 * restricted, the contact cannot be changed and is left out of marketing
 * exports.
 */
gboolean
tesoro_session_set_restricted (TesoroSession  *self,
                               gint64          contact_id,
                               gboolean        restricted,
                               GError        **error)
{
  g_auto(TesoroContactState) state = { 0 };
  g_autofree char *now = tesoro_now_iso ();
  TesoroBackend *backend;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_RESTRICT, error))
    return FALSE;

  backend = _tesoro_session_get_backend (self);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (!tesoro_backend_get_contact_state (backend, contact_id, &state, error))
    return _tesoro_session_fail (self);

  if (!state.restricted == !restricted)
    return _tesoro_session_commit (self, error) || _tesoro_session_fail (self);

  if (!tesoro_backend_set_restricted (backend, contact_id, restricted, error) ||
      !tesoro_backend_touch_contact (backend, contact_id, now, now, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_RESTRICT, state.uid,
                              tesoro_json_object_new ("restricted", 'b', restricted, NULL), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  _tesoro_session_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return TRUE;
}

/**
 * tesoro_session_set_legal_hold:
 * @reason: (nullable): why the contact must be kept (stored on the contact,
 *   not in the audit log)
 *
 * Puts the contact on legal hold, or lifts it. A contact on hold is never
 * erased: not by retention, not from the trash, not by Delete Permanently.
 */
gboolean
tesoro_session_set_legal_hold (TesoroSession  *self,
                               gint64          contact_id,
                               gboolean        legal_hold,
                               const char     *reason,
                               GError        **error)
{
  g_auto(TesoroContactState) state = { 0 };
  g_autofree char *now = tesoro_now_iso ();
  const char *new_reason = legal_hold && has_text (reason) ? reason : NULL;
  TesoroBackend *backend;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_RESTRICT, error))
    return FALSE;

  if (!tesoro_check_text ("reason", reason, TESORO_MAX_SHORT_TEXT, error))
    return FALSE;

  backend = _tesoro_session_get_backend (self);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (!tesoro_backend_get_contact_state (backend, contact_id, &state, error))
    return _tesoro_session_fail (self);

  if (!state.legal_hold == !legal_hold && g_strcmp0 (state.legal_hold_reason, new_reason) == 0)
    return _tesoro_session_commit (self, error) || _tesoro_session_fail (self);

  if (!tesoro_backend_set_legal_hold (backend, contact_id, legal_hold, new_reason, error) ||
      !tesoro_backend_touch_contact (backend, contact_id, now, now, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_LEGAL_HOLD, state.uid,
                              tesoro_json_object_new ("legal_hold", 'b', legal_hold,
                                                      "reason_given", 'b', new_reason != NULL, NULL), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  _tesoro_session_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return TRUE;
}
