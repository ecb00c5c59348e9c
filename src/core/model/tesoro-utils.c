/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-utils"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-utils.h"

/**
 * tesoro_uuid_new:
 *
 * Returns: (transfer full): a random version 4 UUID. Contacts are known by
 * this rather than by anything personal, so that an erased person can be
 * referred to in the accountability log.
 */
char *
tesoro_uuid_new (void)
{
  return g_uuid_string_random ();
}

char *
tesoro_iso_from_date_time (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (dt != NULL, NULL);

  utc = g_date_time_to_utc (dt);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * tesoro_now_iso:
 *
 * Returns: (transfer full): the current time in UTC, as `2024-03-01T14:05:00Z`.
 * The test suite may pin the clock with `TESORO_NOW`.
 */
char *
tesoro_now_iso (void)
{
  g_autoptr(GDateTime) now = NULL;
  const char *pinned = g_getenv ("TESORO_NOW");

  if (pinned != NULL && *pinned != '\0')
    {
      char *normalized = tesoro_normalize_timestamp (pinned, TRUE, NULL);
      if (normalized != NULL)
        return normalized;
    }

  now = g_date_time_new_now_utc ();
  return tesoro_iso_from_date_time (now);
}

/**
 * tesoro_date_time_from_iso:
 * @iso: a date (`2024-03-01`) or a timestamp
 *
 * Returns: (transfer full) (nullable): the moment, in UTC; a date alone
 * means midnight UTC of that day.
 */
GDateTime *
tesoro_date_time_from_iso (const char *iso)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  if (iso == NULL)
    return NULL;

  if (strlen (iso) == 10 && tesoro_is_valid_date (iso))
    {
      int y = 0, m = 0, d = 0;

      if (sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return NULL;
      return g_date_time_new (utc, y, m, d, 0, 0, 0);
    }

  return g_date_time_new_from_iso8601 (iso, utc);
}

/**
 * tesoro_is_valid_date:
 * @text: text to check
 *
 * Returns: whether @text is a calendar date written `YYYY-MM-DD`.
 */
gboolean
tesoro_is_valid_date (const char *text)
{
  int y, m, d;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  for (int i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }

  y = atoi (text);
  m = atoi (text + 5);
  d = atoi (text + 8);

  return y >= 1 && g_date_valid_dmy (d, m, y);
}

/**
 * tesoro_normalize_timestamp:
 * @text: an ISO 8601 date or date-time
 * @allow_date_only: whether `2024-03-01` alone is accepted (and kept as is)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the timestamp in Tesoro's stored form:
 * a date as given, or a date-time converted to UTC (`2024-03-01T14:05:00Z`).
 */
char *
tesoro_normalize_timestamp (const char  *text,
                            gboolean     allow_date_only,
                            GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The date is empty"));
      return NULL;
    }

  if (strlen (text) == 10 && tesoro_is_valid_date (text))
    {
      if (allow_date_only)
        return g_strdup (text);
      dt = tesoro_date_time_from_iso (text);
      return tesoro_iso_from_date_time (dt);
    }

  if (strlen (text) < 64)
    dt = g_date_time_new_from_iso8601 (text, utc);

  if (dt == NULL || g_date_time_get_year (dt) < 1)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.40s” is not a date in ISO 8601 form (such as 2024-03-01 or 2024-03-01T14:05:00Z)"),
                   text);
      return NULL;
    }

  return tesoro_iso_from_date_time (dt);
}

/**
 * tesoro_format_timestamp_local:
 * @iso: a stored date or timestamp
 *
 * Returns: (transfer full): @iso for display in the user's locale and time zone.
 */
char *
tesoro_format_timestamp_local (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL || *iso == '\0')
    return g_strdup ("");

  dt = tesoro_date_time_from_iso (iso);
  if (dt == NULL)
    return g_strdup (iso);

  /* Month names follow the locale ("1 maart 2024"); the day-month-year
   * order is the one both English in Europe and Dutch use. */
  if (strlen (iso) == 10)
    return g_date_time_format (dt, "%-d %B %Y");

  local = g_date_time_to_local (dt);
  return g_date_time_format (local, "%-d %b %Y, %H:%M");
}

/**
 * tesoro_format_local_input:
 * @iso: (nullable): a stored timestamp, or %NULL for now
 *
 * Returns: (transfer full): the moment as a person types it in a form,
 * in local time: `2024-03-01 15:05`
 */
char *
tesoro_format_local_input (const char *iso)
{
  g_autoptr(GDateTime) dt = iso != NULL ? tesoro_date_time_from_iso (iso) : g_date_time_new_now_utc ();
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (dt);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/**
 * tesoro_parse_local_datetime:
 * @text: `2024-03-01 15:05` (local time), `2024-03-01` (local midnight), or
 *   an ISO 8601 timestamp with a zone
 *
 * Returns: (transfer full) (nullable): the moment in stored form (UTC)
 */
char *
tesoro_parse_local_datetime (const char  *text,
                             GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *copy = NULL;
  int y, mo, d, h = 0, mi = 0;
  char extra;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The date is empty"));
      return NULL;
    }

  copy = g_strstrip (g_strdup (text));

  if (sscanf (copy, "%4d-%2d-%2d %2d:%2d%c", &y, &mo, &d, &h, &mi, &extra) == 5 ||
      (sscanf (copy, "%4d-%2d-%2d%c", &y, &mo, &d, &extra) == 3 && strlen (copy) == 10))
    {
      if (g_date_valid_dmy (d, mo, y) && h >= 0 && h < 24 && mi >= 0 && mi < 60)
        dt = g_date_time_new (local, y, mo, d, h, mi, 0);
    }
  else if (strlen (copy) < 64)
    dt = g_date_time_new_from_iso8601 (copy, local);

  if (dt == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.40s” is not a date and time such as 2024-03-01 14:05"), text);
      return NULL;
    }

  return tesoro_iso_from_date_time (dt);
}

static gboolean
is_domain_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '-' || c == '.';
}

/**
 * tesoro_is_valid_email:
 * @text: text to check
 *
 * A practical check, not RFC 5322: one `@`, a non-empty local part without
 * spaces or control characters, and a domain of at least two labels.
 *
 * Returns: whether @text looks like an e-mail address
 */
gboolean
tesoro_is_valid_email (const char *text)
{
  const char *at;
  const char *domain;
  gsize len;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  len = strlen (text);
  if (len < 3 || len > 254)
    return FALSE;

  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (at - text > 64)
    return FALSE;

  for (const char *p = text; p < at; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == '"' || c == '(' ||
          c == ')' || c == ',' || c == ':' || c == ';' || c == '<' || c == '>' ||
          c == '[' || c == ']' || c == '\\')
        return FALSE;
    }
  if (text[0] == '.' || at[-1] == '.' || strstr (text, "..") != NULL)
    return FALSE;

  domain = at + 1;
  if (*domain == '\0' || *domain == '.' || *domain == '-' ||
      strchr (domain, '.') == NULL || g_str_has_suffix (domain, ".") ||
      strstr (domain, ".-") != NULL || strstr (domain, "-.") != NULL)
    return FALSE;

  for (const char *p = domain; *p; p = g_utf8_next_char (p))
    if (!is_domain_char (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

gboolean
tesoro_is_valid_uid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text);
}

static gboolean
is_plain_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/**
 * tesoro_fold:
 * @text: UTF-8 text
 *
 * Folds @text for searching and sorting: case-folded, with diacritics
 * removed, so that "jose" matches "José" and "zoe" matches "Zoë".
 *
 * Returns: (transfer full): the folded text
 */
char *
tesoro_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *stripped;

  if (text == NULL)
    return g_strdup ("");

  /* Most contact data is plain ASCII: keep that path cheap. */
  if (is_plain_ascii (text))
    return g_ascii_strdown (text, -1);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      return tesoro_fold (valid);
    }

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  stripped = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      g_string_append_unichar (stripped, c);
    }

  folded = g_utf8_casefold (stripped->str, stripped->len);
  g_string_free (stripped, TRUE);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

/**
 * tesoro_check_text:
 * @field: the field's name, for the message
 * @value: (nullable): the value
 * @max_bytes: the longest accepted value
 * @error: return location for a #GError
 *
 * Checks that @value is valid UTF-8 without NUL bytes and not too long.
 *
 * Returns: whether @value is acceptable
 */
gboolean
tesoro_check_text (const char  *field,
                   const char  *value,
                   gsize        max_bytes,
                   GError     **error)
{
  gsize len;

  if (value == NULL)
    return TRUE;

  len = strlen (value);
  if (len > max_bytes)
    {
      g_autofree char *size = g_format_size (len);
      g_autofree char *limit = g_format_size (max_bytes);

      g_set_error (error, TESORO_ERROR, TESORO_ERROR_TOO_LARGE,
                   _("Field “%s” is too long (%s; at most %s)"), field, size, limit);
      return FALSE;
    }

  if (!g_utf8_validate (value, len, NULL))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “%s” is not valid UTF-8 text"), field);
      return FALSE;
    }

  for (const char *p = value; *p; p++)
    {
      if ((guchar) *p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t')
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("Field “%s” contains a control character"), field);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * tesoro_iso_ago:
 * @days: days before now (when @years is 0)
 * @years: calendar years before now
 *
 * Returns: (transfer full): that moment, as tesoro_now_iso() writes it
 */
char *
tesoro_iso_ago (gint64 days,
                gint   years)
{
  g_autofree char *now_iso = tesoro_now_iso ();
  g_autoptr(GDateTime) now = tesoro_date_time_from_iso (now_iso);
  g_autoptr(GDateTime) then = NULL;

  if (years > 0)
    then = g_date_time_add_years (now, -years);
  else
    then = g_date_time_add_days (now, -(gint) days);

  return tesoro_iso_from_date_time (then);
}

