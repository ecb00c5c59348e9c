/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-request"

#include "config.h"

#include "tesoro-request.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "tesoro-error.h"

static const struct
{
  const char *key;
  const char *label;
  const char *article;
} kinds[] = {
  [TESORO_REQUEST_ACCESS]        = { "access",        N_("Access"),        "15" },
  [TESORO_REQUEST_RECTIFICATION] = { "rectification", N_("Rectification"), "16" },
  [TESORO_REQUEST_ERASURE]       = { "erasure",       N_("Erasure"),       "17" },
  [TESORO_REQUEST_RESTRICTION]   = { "restriction",   N_("Restriction"),   "18" },
  [TESORO_REQUEST_PORTABILITY]   = { "portability",   N_("Portability"),   "20" },
  [TESORO_REQUEST_OBJECTION]     = { "objection",     N_("Objection"),     "21" },
};

static const struct
{
  const char *key;
  const char *label;
} statuses[] = {
  [TESORO_REQUEST_OPEN]             = { "open",             N_("Open") },
  [TESORO_REQUEST_WAITING_IDENTITY] = { "waiting-identity", N_("Waiting for identity") },
  [TESORO_REQUEST_EXTENDED]         = { "extended",         N_("Extended") },
  [TESORO_REQUEST_DONE]             = { "done",             N_("Done") },
  [TESORO_REQUEST_REFUSED]          = { "refused",          N_("Refused") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == TESORO_REQUEST_N_KINDS);

TesoroRequest *
tesoro_request_new (void)
{
  TesoroRequest *request = g_new0 (TesoroRequest, 1);

  request->contact_uids = g_ptr_array_new_with_free_func (g_free);
  request->language = g_strdup ("en");
  request->evidence = g_strdup ("{}");
  return request;
}

void
tesoro_request_free (TesoroRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->uid);
  g_free (request->received_on);
  g_free (request->channel);
  g_free (request->requester);
  g_free (request->language);
  g_free (request->identity_method);
  g_free (request->identity_by);
  g_free (request->identity_at);
  g_free (request->extension_reason);
  g_free (request->extended_at);
  g_free (request->outcome);
  g_free (request->refusal_reason);
  g_free (request->evidence);
  g_free (request->notes);
  g_free (request->created_at);
  g_free (request->created_by);
  g_free (request->closed_at);
  g_free (request->scrubbed_at);
  g_clear_pointer (&request->contact_uids, g_ptr_array_unref);
  g_free (request);
}

TesoroRequest *
tesoro_request_copy (const TesoroRequest *request)
{
  TesoroRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_new0 (TesoroRequest, 1);
  *copy = *request;
  copy->uid = g_strdup (request->uid);
  copy->received_on = g_strdup (request->received_on);
  copy->channel = g_strdup (request->channel);
  copy->requester = g_strdup (request->requester);
  copy->language = g_strdup (request->language);
  copy->identity_method = g_strdup (request->identity_method);
  copy->identity_by = g_strdup (request->identity_by);
  copy->identity_at = g_strdup (request->identity_at);
  copy->extension_reason = g_strdup (request->extension_reason);
  copy->extended_at = g_strdup (request->extended_at);
  copy->outcome = g_strdup (request->outcome);
  copy->refusal_reason = g_strdup (request->refusal_reason);
  copy->evidence = g_strdup (request->evidence);
  copy->notes = g_strdup (request->notes);
  copy->created_at = g_strdup (request->created_at);
  copy->created_by = g_strdup (request->created_by);
  copy->closed_at = g_strdup (request->closed_at);
  copy->scrubbed_at = g_strdup (request->scrubbed_at);
  copy->contact_uids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < request->contact_uids->len; i++)
    g_ptr_array_add (copy->contact_uids, g_strdup (request->contact_uids->pdata[i]));
  return copy;
}

const char *
tesoro_request_kind_to_string (TesoroRequestKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), NULL);
  return kinds[kind].key;
}

gboolean
tesoro_request_kind_from_string (const char         *text,
                                 TesoroRequestKind  *kind,
                                 GError            **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (text, kinds[i].key) == 0)
      {
        *kind = i;
        return TRUE;
      }

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("Unknown kind of request “%s”: use access, rectification, erasure, "
                 "restriction, portability or objection."),
               text != NULL ? text : "");
  return FALSE;
}

const char *
tesoro_request_kind_get_label (TesoroRequestKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), NULL);
  return _(kinds[kind].label);
}

const char *
tesoro_request_kind_get_article (TesoroRequestKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), NULL);
  return kinds[kind].article;
}

const char *
tesoro_request_status_to_string (TesoroRequestStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (statuses), NULL);
  return statuses[status].key;
}

gboolean
tesoro_request_status_from_string (const char           *text,
                                   TesoroRequestStatus  *status,
                                   GError              **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (text, statuses[i].key) == 0)
      {
        *status = i;
        return TRUE;
      }

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("Unknown request status “%s”."), text != NULL ? text : "");
  return FALSE;
}

const char *
tesoro_request_status_get_label (TesoroRequestStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (statuses), NULL);
  return _(statuses[status].label);
}

gboolean
tesoro_request_is_closed (const TesoroRequest *request)
{
  g_return_val_if_fail (request != NULL, FALSE);
  return request->status == TESORO_REQUEST_DONE || request->status == TESORO_REQUEST_REFUSED;
}

/* The clock */

/**
 * tesoro_date_add_months:
 *
 * A period in months ends on the same date of the month it reaches, or on
 * that month's last day when it has no such date (31 January + 1 month =
 * 28 or 29 February), as EU Regulation 1182/71 on time limits counts them.
 */
GDate *
tesoro_date_add_months (const GDate *date,
                        guint        months)
{
  GDate *result;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  result = g_date_copy (date);
  /* g_date_add_months() keeps the day, or clamps it to the last day of a
   * shorter month: the rule above. */
  g_date_add_months (result, months);
  return result;
}

static GDate *
parse_date (const char *iso)
{
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_date_new_dmy (d, m, y);
}

/**
 * tesoro_request_get_deadline:
 *
 * The last day to answer: one month after receipt, and when extended two
 * further months after that (Art. 12(3)), each by tesoro_date_add_months().
 */
GDate *
tesoro_request_get_deadline (const TesoroRequest *request)
{
  g_autoptr(GDate) received = NULL;
  GDate *deadline;

  g_return_val_if_fail (request != NULL, NULL);

  received = parse_date (request->received_on);
  if (received == NULL)
    return NULL;

  deadline = tesoro_date_add_months (received, 1);
  if (request->extended_at != NULL)
    {
      GDate *extended = tesoro_date_add_months (deadline, 2);

      g_date_free (deadline);
      deadline = extended;
    }
  return deadline;
}

char *
tesoro_request_get_deadline_iso (const TesoroRequest *request)
{
  g_autoptr(GDate) deadline = tesoro_request_get_deadline (request);

  if (deadline == NULL)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (deadline),
                          g_date_get_month (deadline), g_date_get_day (deadline));
}

/**
 * tesoro_request_days_left:
 * @now: the moment, in the time zone of the person who looks (the user's)
 *
 * Whole days from @now's date to the deadline: 0 on the last day, negative
 * once the deadline's day has ended in @now's time zone.
 */
gint
tesoro_request_days_left (const TesoroRequest *request,
                          GDateTime           *now)
{
  g_autoptr(GDate) deadline = tesoro_request_get_deadline (request);
  g_autoptr(GDate) today = NULL;

  g_return_val_if_fail (now != NULL, 0);

  if (deadline == NULL)
    return 0;

  today = g_date_new_dmy (g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                          g_date_time_get_year (now));
  return g_date_days_between (today, deadline);
}

gboolean
tesoro_request_is_overdue (const TesoroRequest *request,
                           GDateTime           *now)
{
  g_return_val_if_fail (request != NULL, FALSE);

  return !tesoro_request_is_closed (request) && tesoro_request_days_left (request, now) < 0;
}

/**
 * tesoro_request_describe_clock:
 *
 * "12 days left", "Due today", "Overdue by 3 days", or for a closed request
 * its outcome ("Done", "Refused").
 */
char *
tesoro_request_describe_clock (const TesoroRequest *request,
                               GDateTime           *now)
{
  gint days;

  g_return_val_if_fail (request != NULL, NULL);

  if (tesoro_request_is_closed (request))
    return g_strdup (tesoro_request_status_get_label (request->status));

  days = tesoro_request_days_left (request, now);
  if (days == 0)
    return g_strdup (_("Due today"));
  if (days < 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Overdue by %d day", "Overdue by %d days", -days), -days);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day left", "%d days left", days), days);
}
