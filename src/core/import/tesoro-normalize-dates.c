/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-normalize"

#include "config.h"

#include "tesoro-normalize-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-utils.h"

/* Dates */

/* Today's date in UTC, as tesoro_now_iso() has it (the tests pin it with
 * TESORO_NOW), without allocating: a birthday column asks for every row. */
static void
today (int *year,
       int *month,
       int *day)
{
  const char *pinned = g_getenv ("TESORO_NOW");
  GDate date;

  if (pinned != NULL && *pinned != '\0')
    {
      g_autofree char *now = tesoro_now_iso ();

      *year = atoi (now);
      *month = atoi (now + 5);
      *day = atoi (now + 8);
      return;
    }

  /* Day 719163 of GDate's count is 1 January 1970. */
  g_date_clear (&date, 1);
  g_date_set_julian (&date, 719163 + (guint32) (g_get_real_time () / G_USEC_PER_SEC / (24 * 60 * 60)));
  *year = g_date_get_year (&date);
  *month = g_date_get_month (&date);
  *day = g_date_get_day (&date);
}

/**
 * tesoro_date_is_blank:
 * @text: (nullable): a cell that should hold a date
 *
 * Returns: whether @text holds no date: empty, or one of the placeholders
 * exports write for "none" (`0/0/00` and `1/1/4501` from Outlook,
 * `0000-00-00` from databases)
 */
gboolean
tesoro_date_is_blank (const char *text)
{
  g_autofree char *normal = tesoro_normalize_space (text);
  gboolean digit = FALSE;
  gboolean nonzero = FALSE;

  if (*normal == '\0')
    return TRUE;

  if (g_str_equal (normal, "1/1/4501") || g_str_equal (normal, "4501-01-01"))
    return TRUE;

  for (const char *p = normal; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          digit = TRUE;
          nonzero |= *p != '0';
        }
      else if (*p != '-' && *p != '/' && *p != '.' && *p != ' ' && *p != ':')
        return FALSE;
    }

  return digit && !nonzero;
}

typedef struct
{
  const char *name;
  int month;
} MonthName;

/* English and Dutch month names and their usual abbreviations, folded. */
static const MonthName month_names[] = {
  { "january", 1 }, { "januari", 1 }, { "jan", 1 },
  { "february", 2 }, { "februari", 2 }, { "feb", 2 }, { "febr", 2 },
  { "march", 3 }, { "maart", 3 }, { "mar", 3 }, { "mrt", 3 },
  { "april", 4 }, { "apr", 4 },
  { "may", 5 }, { "mei", 5 },
  { "june", 6 }, { "juni", 6 }, { "jun", 6 },
  { "july", 7 }, { "juli", 7 }, { "jul", 7 },
  { "august", 8 }, { "augustus", 8 }, { "aug", 8 },
  { "september", 9 }, { "sep", 9 }, { "sept", 9 },
  { "october", 10 }, { "oktober", 10 }, { "oct", 10 }, { "okt", 10 },
  { "november", 11 }, { "nov", 11 },
  { "december", 12 }, { "dec", 12 },
};

static int
month_from_name (const char *word)
{
  g_autofree char *folded = tesoro_fold (word);

  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (g_str_equal (folded, month_names[i].name))
      return month_names[i].month;
  return 0;
}

typedef struct
{
  char     *text;
  gboolean  digits;
} DateToken;

/* Splits "12-mrt-1985" into 12 / mrt / 1985. Returns FALSE when @text holds
 * characters no date has. */
static gboolean
date_tokens (const char *text,
             GArray     *tokens)
{
  const char *p = text;

  while (*p)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c) || g_unichar_isalpha (c))
        {
          gboolean digits = g_ascii_isdigit (*p);
          const char *start = p;
          DateToken token;

          while (*p)
            {
              gunichar d = g_utf8_get_char (p);

              if (digits ? !g_ascii_isdigit (*p) : !g_unichar_isalpha (d))
                break;
              p = g_utf8_next_char (p);
            }
          if (digits && !g_ascii_isdigit (*start))
            return FALSE; /* digits of another script */
          token.text = g_strndup (start, p - start);
          token.digits = digits;
          g_array_append_val (tokens, token);
          continue;
        }

      if (c != '-' && c != '/' && c != '.' && c != ' ' && c != ',')
        return FALSE;
      p = g_utf8_next_char (p);
    }

  return TRUE;
}

static void
clear_date_token (gpointer data)
{
  DateToken *token = data;
  g_free (token->text);
}

/* Removes a time of day after the date: "1985-03-12T00:00:00Z",
 * "12-3-1985 0:00", "3/12/1985 12:00:00 AM". */
static char *
strip_time (const char *text)
{
  g_auto(GStrv) words = NULL;
  GString *out;

  if (strlen (text) > 10 && g_ascii_isdigit (text[0]) && text[4] == '-' && text[7] == '-' &&
      (text[10] == 'T' || text[10] == ' ') && strchr (text + 10, ':') != NULL)
    return g_strndup (text, 10);

  words = g_strsplit (text, " ", -1);
  out = g_string_new (NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (i > 0 && (strchr (words[i], ':') != NULL ||
                    g_ascii_strcasecmp (words[i], "AM") == 0 ||
                    g_ascii_strcasecmp (words[i], "PM") == 0))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }

  return g_string_free (out, FALSE);
}

static gboolean
parse_number (const char *text,
              int        *value)
{
  if (strlen (text) > 4)
    return FALSE;
  *value = atoi (text);
  return TRUE;
}

/**
 * tesoro_normalize_date:
 * @text: a date as written in an imported file
 * @flags: the order of day and month, and whether it is a birthday
 * @error: return location for a #GError
 *
 * Reads a date in the forms found in spreadsheets and address book exports:
 * ISO `2024-03-01` (also with a time after it), `01-03-2024`, `1/3/2024`,
 * `01.03.2024`, `1-3-24`, `20240301`, `1 maart 2024`, `1 March 2024`,
 * `March 1, 2024`, `01-Mar-24`, and Google's `--03-01` without a year
 * (stored with the year %TESORO_DATE_NO_YEAR).
 *
 * A two-digit year is read as the year that keeps the date no more than 20
 * years ahead of this year and no more than 79 years back (in 2024, `44` is
 * 2044 and `45` is 1945); for a birthday, as the year that puts the date on
 * or before today, but not more than 100 years back. A birthday may not lie in the
 * future. Dates that do not exist (`31-02-2024`) are refused.
 *
 * Returns: (transfer full) (nullable): the date as `YYYY-MM-DD`, or %NULL
 * with @error set to a message that quotes @text
 */
char *
tesoro_normalize_date (const char       *text,
                       TesoroDateFlags   flags,
                       GError          **error)
{
  g_autofree char *normal = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(GArray) tokens = NULL;
  int y = 0, m = 0, d = 0;
  int cy, cm, cd;
  gboolean two_digit_year = FALSE;
  gboolean no_year = FALSE;
  gboolean month_first = (flags & TESORO_DATE_MONTH_FIRST) != 0;
  gboolean birthday = (flags & TESORO_DATE_BIRTHDAY) != 0;

  g_return_val_if_fail (text != NULL, NULL);

  normal = tesoro_normalize_space (text);
  if (*normal == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The date is empty"));
      return NULL;
    }
  if (_tesoro_normalize_too_long (normal, error))
    return NULL;

  today (&cy, &cm, &cd);
  plain = strip_time (normal);

  if (g_str_has_prefix (plain, "--"))
    {
      /* --MM-DD (Google) or --MMDD (vCard 4) */
      const char *p = plain + 2;

      if (strlen (p) == 5 && g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && p[2] == '-' &&
          g_ascii_isdigit (p[3]) && g_ascii_isdigit (p[4]))
        {
          m = atoi (p);
          d = atoi (p + 3);
        }
      else if (strlen (p) == 4 && strspn (p, "0123456789") == 4)
        {
          m = (p[0] - '0') * 10 + (p[1] - '0');
          d = (p[2] - '0') * 10 + (p[3] - '0');
        }
      else
        goto not_a_date;
      y = TESORO_DATE_NO_YEAR;
      no_year = TRUE;
      goto check;
    }

  if (strspn (plain, "0123456789") == strlen (plain))
    {
      if (strlen (plain) != 8)
        goto not_a_date;
      /* 20240301 */
      y = (plain[0] - '0') * 1000 + (plain[1] - '0') * 100 + (plain[2] - '0') * 10 + (plain[3] - '0');
      m = (plain[4] - '0') * 10 + (plain[5] - '0');
      d = (plain[6] - '0') * 10 + (plain[7] - '0');
      goto check;
    }

  tokens = g_array_new (FALSE, TRUE, sizeof (DateToken));
  g_array_set_clear_func (tokens, clear_date_token);
  if (!date_tokens (plain, tokens) || tokens->len != 3)
    goto not_a_date;

  {
    DateToken *t = (DateToken *) (void *) tokens->data;
    int name_index = -1;

    for (guint i = 0; i < 3; i++)
      if (!t[i].digits)
        {
          if (name_index >= 0)
            goto not_a_date;
          name_index = i;
        }

    if (name_index < 0)
      {
        gsize la = strlen (t[0].text), lb = strlen (t[1].text), lc = strlen (t[2].text);
        int a, b, c;

        if (!parse_number (t[0].text, &a) || !parse_number (t[1].text, &b) || !parse_number (t[2].text, &c))
          goto not_a_date;

        if (la == 4 && lb <= 2 && lc <= 2)
          {
            y = a;
            m = b;
            d = c;
          }
        else if (la <= 2 && lb <= 2 && (lc == 4 || lc == 2))
          {
            y = c;
            two_digit_year = lc == 2;
            d = month_first ? b : a;
            m = month_first ? a : b;
          }
        else
          goto not_a_date;
      }
    else
      {
        int year_index, day_index;
        gsize ly;

        m = month_from_name (t[name_index].text);
        if (m == 0)
          goto not_a_date;

        if (name_index == 1)
          {
            /* 1 maart 2024, 01-Mar-24 */
            day_index = 0;
            year_index = 2;
          }
        else if (name_index == 0)
          {
            /* March 1, 2024 */
            day_index = 1;
            year_index = 2;
          }
        else
          goto not_a_date;

        ly = strlen (t[year_index].text);
        if (strlen (t[day_index].text) > 2 || (ly != 4 && ly != 2))
          goto not_a_date;
        d = atoi (t[day_index].text);
        y = atoi (t[year_index].text);
        two_digit_year = ly == 2;
      }
  }

  if (two_digit_year)
    {
      int century_year = 2000 + y;

      /* A birthday is the latest date not after today: 1-7-24 read on
       * 15 June 2024 is 1924. */
      if (birthday)
        y = (century_year > cy || (century_year == cy && (m > cm || (m == cm && d > cd))))
            ? century_year - 100 : century_year;
      else
        y = century_year > cy + 20 ? century_year - 100 : century_year;
    }

check:
  if (y < 1 || y > 9999)
    goto not_a_date;

  if (m < 1 || m > 12)
    {
      if (!month_first && m > 12 && d >= 1 && d <= 12)
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("“%s” is not a valid date: there is no month %d (if the file writes the month before the day, as in 12/31/2024, choose that order)"),
                     normal, m);
      else if (month_first && m > 12 && d >= 1 && d <= 12)
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("“%s” is not a valid date: there is no month %d (if the file writes the day before the month, as in 31-12-2024, choose that order)"),
                     normal, m);
      else
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("“%s” is not a valid date: there is no month %d"), normal, m);
      return NULL;
    }

  if (d < 1 || !g_date_valid_dmy (d, m, y))
    {
      if (no_year)
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("“%s” is not a valid date: month %d has no day %d"), normal, m, d);
      else
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("“%s” is not a valid date: month %d of %d has no day %d"), normal, m, y, d);
      return NULL;
    }

  if (birthday && !no_year && (y > cy || (y == cy && (m > cm || (m == cm && d > cd)))))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” lies in the future and cannot be a birthday"), normal);
      return NULL;
    }

  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);

not_a_date:
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("“%s” is not a date Tesoro can read (write it as 2024-03-01, 01-03-2024 or 1/3/2024)"),
               normal);
  return NULL;
}

/**
 * tesoro_guess_date_order:
 * @values: (array length=n_values): dates as written in a column
 * @n_values: the number of @values, or -1 if %NULL-terminated
 *
 * Looks for a value that shows the order of day and month, such as
 * `25/12/1980` (day first) or `12/25/1980` (month first).
 *
 * Returns: the order the values show, or %TESORO_DATE_ORDER_UNKNOWN when
 * none shows it or they disagree
 */
TesoroDateOrder
tesoro_guess_date_order (const char * const *values,
                         gssize              n_values)
{
  gboolean day_first = FALSE;
  gboolean month_first = FALSE;

  g_return_val_if_fail (values != NULL || n_values == 0, TESORO_DATE_ORDER_UNKNOWN);

  for (gsize i = 0; n_values < 0 ? values[i] != NULL : i < (gsize) n_values; i++)
    {
      g_autofree char *normal = NULL;
      g_autofree char *plain = NULL;
      g_autoptr(GArray) tokens = NULL;
      DateToken *t;
      int a, b;

      if (values[i] == NULL || strlen (values[i]) > 64)
        continue;
      normal = tesoro_normalize_space (values[i]);
      plain = strip_time (normal);
      tokens = g_array_new (FALSE, TRUE, sizeof (DateToken));
      g_array_set_clear_func (tokens, clear_date_token);
      if (!date_tokens (plain, tokens) || tokens->len != 3)
        continue;
      t = (DateToken *) (void *) tokens->data;
      if (!t[0].digits || !t[1].digits || !t[2].digits ||
          strlen (t[0].text) > 2 || strlen (t[1].text) > 2)
        continue;
      a = atoi (t[0].text);
      b = atoi (t[1].text);
      if (a > 12 && a <= 31 && b >= 1 && b <= 12)
        day_first = TRUE;
      else if (b > 12 && b <= 31 && a >= 1 && a <= 12)
        month_first = TRUE;
    }

  if (day_first == month_first)
    return TESORO_DATE_ORDER_UNKNOWN;
  return day_first ? TESORO_DATE_ORDER_DAY_FIRST : TESORO_DATE_ORDER_MONTH_FIRST;
}
