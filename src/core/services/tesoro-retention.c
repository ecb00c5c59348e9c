/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-retention"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tesoro-audit-entry.h"
#include "tesoro-contact-json.h"
#include "tesoro-erasure.h"
#include "tesoro-error.h"
#include "tesoro-retention.h"
#include "tesoro-requests.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Retention and the trash expiry: their settings, the preview of who would
 * be erased, the run, and the housekeeping that runs both.
 */

#define KEY_RETENTION_ENABLED "retention.enabled"
#define KEY_RETENTION_YEARS   "retention.years"
#define KEY_TRASH_EXPIRY_DAYS "trash.expiry_days"
#define KEY_REQUEST_RETENTION_YEARS "privacy.request_retention_years"

#define DEFAULT_RETENTION_YEARS   5
#define DEFAULT_TRASH_EXPIRY_DAYS 30
#define MAX_RETENTION_YEARS       100
#define MAX_TRASH_EXPIRY_DAYS     3650
#define DEFAULT_REQUEST_RETENTION_YEARS 3

/* Settings */

static gboolean
read_setting_uint (TesoroBackend  *backend,
                   const char     *key,
                   guint           fallback,
                   guint           max,
                   guint          *value,
                   GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = tesoro_backend_get_setting (backend, key, &local_error);
  guint64 parsed;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *value = fallback;
  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, max, &parsed, NULL))
    *value = (guint) parsed;
  return TRUE;
}

/**
 * tesoro_session_get_gdpr_settings:
 * @settings: (out caller-allocates): the settings (defaults where unset)
 */
gboolean
tesoro_session_get_gdpr_settings (TesoroSession       *self,
                                  TesoroGdprSettings  *settings,
                                  GError             **error)
{
  TesoroBackend *backend;
  guint enabled = 0;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  backend = _tesoro_session_get_backend (self);
  if (!read_setting_uint (backend, KEY_RETENTION_ENABLED, 0, 1, &enabled, error) ||
      !read_setting_uint (backend, KEY_RETENTION_YEARS, DEFAULT_RETENTION_YEARS, MAX_RETENTION_YEARS,
                          &settings->retention_years, error) ||
      !read_setting_uint (backend, KEY_TRASH_EXPIRY_DAYS, DEFAULT_TRASH_EXPIRY_DAYS, MAX_TRASH_EXPIRY_DAYS,
                          &settings->trash_expiry_days, error) ||
      !read_setting_uint (backend, KEY_REQUEST_RETENTION_YEARS, DEFAULT_REQUEST_RETENTION_YEARS, MAX_RETENTION_YEARS,
                          &settings->request_retention_years, error))
    return FALSE;

  if (settings->retention_years == 0)
    settings->retention_years = DEFAULT_RETENTION_YEARS;
  if (settings->request_retention_years == 0)
    settings->request_retention_years = DEFAULT_REQUEST_RETENTION_YEARS;
  settings->retention_enabled = enabled != 0;
  return TRUE;
}

static gboolean
write_setting (TesoroSession  *self,
               const char     *key,
               guint           value,
               guint           old_value,
               GError        **error)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  if (value == old_value)
    return TRUE;

  return tesoro_backend_set_setting (_tesoro_session_get_backend (self), key, text, error) &&
         _tesoro_session_audit (self, TESORO_AUDIT_SETTINGS, NULL,
                                tesoro_json_object_new ("key", 's', key, "value", 's', text, NULL), error);
}

/**
 * tesoro_session_set_gdpr_settings:
 *
 * Saves the retention, trash and request retention settings; each change
 * is audited.
 */
gboolean
tesoro_session_set_gdpr_settings (TesoroSession             *self,
                                  const TesoroGdprSettings  *settings,
                                  GError                   **error)
{
  TesoroGdprSettings old;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_SETTINGS, error))
    return FALSE;

  if (settings->retention_years < 1 || settings->retention_years > MAX_RETENTION_YEARS)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The retention period must be between 1 and %d years"), MAX_RETENTION_YEARS);
      return FALSE;
    }
  if (settings->request_retention_years > MAX_RETENTION_YEARS)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Closed requests must be kept between 1 and %d years"), MAX_RETENTION_YEARS);
      return FALSE;
    }
  if (settings->trash_expiry_days > MAX_TRASH_EXPIRY_DAYS)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Contacts can stay in the trash for at most %d days (0 keeps them until the trash is emptied)"),
                   MAX_TRASH_EXPIRY_DAYS);
      return FALSE;
    }

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (!tesoro_session_get_gdpr_settings (self, &old, error) ||
      !write_setting (self, KEY_RETENTION_ENABLED, settings->retention_enabled ? 1 : 0,
                      old.retention_enabled ? 1 : 0, error) ||
      !write_setting (self, KEY_RETENTION_YEARS, settings->retention_years, old.retention_years, error) ||
      !write_setting (self, KEY_TRASH_EXPIRY_DAYS, settings->trash_expiry_days, old.trash_expiry_days, error) ||
      !write_setting (self, KEY_REQUEST_RETENTION_YEARS,
                      settings->request_retention_years > 0 ? settings->request_retention_years
                                                            : old.request_retention_years,
                      old.request_retention_years, error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  return TRUE;
}

/* Retention */

/**
 * tesoro_retention_cutoff:
 * @years: the retention period
 *
 * Returns: (transfer full): the moment @years calendar years before now;
 * a contact whose last activity is older is inactive for longer
 */
char *
tesoro_retention_cutoff (guint years)
{
  return tesoro_iso_ago (0, (gint) MAX (years, 1));
}

static gboolean
check_years (guint    years,
             GError **error)
{
  if (years >= 1 && years <= MAX_RETENTION_YEARS)
    return TRUE;

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("The retention period must be between 1 and %d years"), MAX_RETENTION_YEARS);
  return FALSE;
}

/* Inactive for longer than the retention period and not on legal hold, in
 * the trash or not, longest inactive first. */
static void
retention_query (TesoroContactQuery *query,
                 const char         *cutoff)
{
  tesoro_contact_query_init (query);
  query->legal_hold = 0;
  query->inactive_before = cutoff;
  query->order = TESORO_ORDER_ACTIVITY;
}

/**
 * tesoro_session_find_retention_candidates:
 * @years: the retention period
 *
 * The preview of retention: contacts inactive for more than @years (no
 * note, message, task, activity or edit since; see last_activity_at) and not
 * on legal hold, in the trash or not, longest inactive first.
 *
 * Returns: (transfer full) (element-type TesoroContact): summaries with id,
 * uid, display name, organisation, last activity, restriction and trash state
 */
GPtrArray *
tesoro_session_find_retention_candidates (TesoroSession  *self,
                                          guint           years,
                                          GError        **error)
{
  g_autofree char *cutoff = NULL;
  g_autoptr(GArray) ids = NULL;
  TesoroContactQuery query;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_RETENTION, error))
    return NULL;

  if (!check_years (years, error))
    return NULL;

  cutoff = tesoro_retention_cutoff (years);
  retention_query (&query, cutoff);
  ids = tesoro_backend_select_contacts (_tesoro_session_get_backend (self), &query, error);
  if (ids == NULL)
    return NULL;

  return tesoro_session_load_summaries (self, (const gint64 *) ids->data, ids->len, error);
}

/**
 * tesoro_session_apply_retention:
 * @years: the retention period
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *
 * Erases the contacts tesoro_session_find_retention_candidates() lists, at
 * the moment of the call, each with a receipt (method "retention"), and
 * records the run in the audit log (also when nobody was due).
 */
gboolean
tesoro_session_apply_retention (TesoroSession              *self,
                                guint                       years,
                                GCancellable               *cancellable,
                                TesoroErasureProgressFunc   progress,
                                gpointer                    user_data,
                                GPtrArray                 **receipts,
                                GError                    **error)
{
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *cutoff = NULL;
  g_autofree char *cutoff_date = NULL;
  g_autofree char *reason = NULL;
  TesoroContactQuery query;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_RETENTION, error))
    return FALSE;

  if (receipts != NULL)
    *receipts = NULL;
  if (!check_years (years, error))
    return FALSE;

  cutoff = tesoro_retention_cutoff (years);
  cutoff_date = g_strndup (cutoff, 10);
  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Inactive for more than %u year (no activity since %s)",
                                         "Inactive for more than %u years (no activity since %s)", years),
                            years, cutoff_date);
  summary = tesoro_json_object_new ("years", 'i', (gint64) years, "cutoff", 's', cutoff, NULL);

  retention_query (&query, cutoff);
  return _tesoro_session_erase_query (self, &query, reason, TESORO_ERASURE_RETENTION, TESORO_AUDIT_RETENTION_RUN,
                                      summary, TRUE, cancellable, progress, user_data, receipts, error);
}

/**
 * tesoro_session_run_housekeeping:
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *
 * What runs at start-up and daily: the trash expiry, and retention when it
 * is enabled, as the settings say. It carries out what the administrator
 * set, whoever is signed in, so it needs no permission of theirs.
 */
gboolean
tesoro_session_run_housekeeping (TesoroSession  *self,
                                 GCancellable   *cancellable,
                                 GPtrArray     **receipts,
                                 GError        **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expired = NULL;
  TesoroGdprSettings settings;
  gboolean ok;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (receipts != NULL)
    *receipts = NULL;
  if (!tesoro_session_is_signed_in (self))
    return tesoro_session_require (self, TESORO_PERMISSION_VIEW, error);

  self->policy++;
  ok = tesoro_session_get_gdpr_settings (self, &settings, error) &&
       tesoro_session_expire_trash (self, cancellable, &expired, error);
  if (ok)
    g_ptr_array_extend_and_steal (all, g_steal_pointer (&expired));

  if (ok && settings.retention_enabled)
    {
      g_autoptr(GPtrArray) retained = NULL;

      ok = tesoro_session_apply_retention (self, settings.retention_years, cancellable, NULL, NULL, &retained, error);
      if (ok)
        g_ptr_array_extend_and_steal (all, g_steal_pointer (&retained));
    }
  /* Closed requests past their own retention period go too. */
  if (ok)
    {
      g_autoptr(GPtrArray) requests = NULL;

      ok = tesoro_session_expire_requests (self, &requests, error);
      if (ok)
        g_ptr_array_extend_and_steal (all, g_steal_pointer (&requests));
    }
  self->policy--;

  if (ok && receipts != NULL)
    *receipts = g_steal_pointer (&all);
  return ok;
}
