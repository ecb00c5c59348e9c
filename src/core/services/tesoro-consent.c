/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-consent"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-audit-entry.h"
#include "tesoro-consent.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * The consent ledger and its purposes. The ledger is append-only: consent
 * is given or withdrawn by adding an event, never by changing one.
 */

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/**
 * tesoro_session_list_consent_purposes:
 *
 * Returns: (transfer full) (element-type TesoroConsentPurpose): the purposes
 * consent can be recorded for, in the order they were added
 */
GPtrArray *
tesoro_session_list_consent_purposes (TesoroSession  *self,
                                      GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  return tesoro_backend_list_purposes (_tesoro_session_get_backend (self), error);
}

static gboolean
is_valid_purpose_key (const char *key)
{
  gsize len = key != NULL ? strlen (key) : 0;

  if (len == 0 || len > 64 || !g_ascii_isalnum (key[0]))
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

/**
 * tesoro_session_add_consent_purpose:
 * @key: the stable key: lower-case letters, digits and hyphens ("newsletter")
 * @name: the name people see ("Newsletter")
 */
gboolean
tesoro_session_add_consent_purpose (TesoroSession  *self,
                                    const char     *key,
                                    const char     *name,
                                    GError        **error)
{
  g_autofree char *now = tesoro_now_iso ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_SETTINGS, error))
    return FALSE;

  if (!is_valid_purpose_key (key))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.64s” is not a purpose key: use lower-case letters, digits and hyphens "
                     "(such as “newsletter”), at most 64"), key != NULL ? key : "");
      return FALSE;
    }
  if (!has_text (name))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The purpose has no name"));
      return FALSE;
    }
  if (!tesoro_check_text ("name", name, TESORO_MAX_SHORT_TEXT, error))
    return FALSE;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (!tesoro_backend_insert_purpose (_tesoro_session_get_backend (self), key, name, now, &local_error))
    {
      if (g_error_matches (local_error, TESORO_ERROR, TESORO_ERROR_EXISTS))
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The purpose “%s” already exists"), key);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return _tesoro_session_fail (self);
    }

  if (!_tesoro_session_audit (self, TESORO_AUDIT_PURPOSE_ADDED, NULL,
                              tesoro_json_object_new ("purpose", 's', key, "name", 's', name, NULL), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  return TRUE;
}

/* The name of purpose @key, or an error listing the purposes there are. */
static char *
purpose_name (TesoroSession  *self,
              const char     *key,
              GError        **error)
{
  g_autoptr(GPtrArray) purposes = tesoro_session_list_consent_purposes (self, error);
  g_autoptr(GString) known = g_string_new (NULL);

  if (purposes == NULL)
    return NULL;

  for (guint i = 0; i < purposes->len; i++)
    {
      TesoroConsentPurpose *p = purposes->pdata[i];

      if (g_str_equal (p->key, key))
        return g_strdup (p->name);
      g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", p->key);
    }

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("“%.64s” is not a consent purpose (known purposes: %s)"), key, known->str);
  return NULL;
}

/**
 * tesoro_session_record_consent:
 * @purpose: a purpose key (see tesoro_session_list_consent_purposes())
 * @granted: %TRUE when consent is given, %FALSE when it is withdrawn
 * @at: (nullable): when the person gave or withdrew it; %NULL means now
 * @source: how it was obtained: "web form", "phone call", …
 * @evidence: (nullable): a note on the evidence
 *
 * Appends an event to the contact's consent ledger, recorded by the actor;
 * the ledger is never changed. A withdrawal also adds a "system" activity
 * to the contact's history. Works on restricted contacts too: recording a
 * withdrawal must always be possible.
 *
 * Returns: the event's id, or -1 with @error set
 */
gint64
tesoro_session_record_consent (TesoroSession  *self,
                               gint64          contact_id,
                               const char     *purpose,
                               gboolean        granted,
                               const char     *at,
                               const char     *source,
                               const char     *evidence,
                               GError        **error)
{
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *when = NULL;
  g_autofree char *name = NULL;
  g_auto(TesoroContactState) state = { 0 };
  TesoroBackend *backend;
  TesoroConsentEvent event = { 0 };
  gint64 event_id;

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);

  if (!tesoro_session_require (self, TESORO_PERMISSION_CONSENT, error) || !_tesoro_session_may_write_groups (self, TESORO_FIELDS_CONSENT, error))
    return -1;

  if (!has_text (purpose))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("No consent purpose given"));
      return -1;
    }
  if (!has_text (source))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Say where the consent comes from (the source, such as “web form” or “phone call”)"));
      return -1;
    }
  if (!tesoro_check_text ("source", source, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text ("evidence", evidence, TESORO_MAX_LONG_TEXT, error))
    return -1;

  when = has_text (at) ? tesoro_normalize_timestamp (at, FALSE, error) : g_strdup (now);
  if (when == NULL)
    return -1;
  {
    g_autoptr(GDateTime) when_dt = tesoro_date_time_from_iso (when);
    g_autoptr(GDateTime) now_dt = tesoro_date_time_from_iso (now);

    if (when_dt != NULL && now_dt != NULL && g_date_time_difference (when_dt, now_dt) > G_TIME_SPAN_DAY)
      {
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("The date of the consent (%s) is in the future"), when);
        return -1;
      }
  }

  backend = _tesoro_session_get_backend (self);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return -1;

  if (!tesoro_backend_get_contact_state (backend, contact_id, &state, error) ||
      (name = purpose_name (self, purpose, error)) == NULL)
    {
      _tesoro_session_fail (self);
      return -1;
    }

  event.purpose = (char *) purpose;
  event.granted = granted;
  event.at = when;
  event.source = (char *) source;
  event.evidence = (char *) evidence;
  event.recorded_at = now;
  event_id = tesoro_backend_insert_history (backend, contact_id, TESORO_RECORD_CONSENT, &event, error);
  if (event_id < 0)
    {
      _tesoro_session_fail (self);
      return -1;
    }

  if (!granted)
    {
      g_autofree char *summary = g_strdup_printf (_("Consent withdrawn: %s (source: %s)"), name, source);
      TesoroActivity activity = { 0, (char *) "system", summary, when, NULL };

      if (tesoro_backend_insert_history (backend, contact_id, TESORO_RECORD_ACTIVITY, &activity, error) < 0)
        {
          _tesoro_session_fail (self);
          return -1;
        }
    }

  if (!tesoro_backend_touch_contact (backend, contact_id, when, NULL, error) ||
      !_tesoro_session_audit (self, granted ? TESORO_AUDIT_CONSENT_GRANTED : TESORO_AUDIT_CONSENT_WITHDRAWN,
                              state.uid,
                              tesoro_json_object_new ("purpose", 's', purpose, "at", 's', when,
                                                      "event", 'i', event_id, NULL),
                              error) ||
      !_tesoro_session_commit (self, error))
    {
      _tesoro_session_fail (self);
      return -1;
    }

  _tesoro_session_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return event_id;
}

/**
 * tesoro_session_get_consent_state:
 * @state: (out): the current consent for @purpose
 * @latest: (out) (optional) (transfer full) (nullable): the event that decides
 */
gboolean
tesoro_session_get_consent_state (TesoroSession        *self,
                                  gint64                contact_id,
                                  const char           *purpose,
                                  TesoroConsentState   *state,
                                  TesoroConsentEvent  **latest,
                                  GError              **error)
{
  g_auto(TesoroContactState) contact = { 0 };
  g_autoptr(TesoroConsentEvent) event = NULL;
  TesoroBackend *backend;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (purpose != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  *state = TESORO_CONSENT_UNKNOWN;
  if (latest != NULL)
    *latest = NULL;

  backend = _tesoro_session_get_backend (self);
  if (!tesoro_backend_get_contact_state (backend, contact_id, &contact, error) ||
      !tesoro_backend_get_latest_consent (backend, contact_id, purpose, &event, error))
    return FALSE;

  if (event != NULL)
    *state = event->granted ? TESORO_CONSENT_GRANTED : TESORO_CONSENT_WITHDRAWN;
  if (latest != NULL)
    *latest = g_steal_pointer (&event);
  return TRUE;
}
