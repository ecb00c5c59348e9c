/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-normalize"

#include "config.h"

#include <string.h>

#include "tesoro-error.h"
#include "tesoro-normalize.h"

/* Every date test runs on 15 June 2024, so that two-digit years and
 * "not in the future" give the same answers whenever the suite runs. */
#define PINNED_NOW "2024-06-15T12:00:00Z"

/* Names */

typedef struct
{
  const char *full;
  const char *given;
  const char *family;
  const char *prefix;
  const char *suffix;
} NameCase;

static void
test_names_split (void)
{
  static const NameCase cases[] = {
    /* Dutch particles stay with the family name. */
    { "Jan van der Berg", "Jan", "van der Berg", NULL, NULL },
    { "Anna de Vries", "Anna", "de Vries", NULL, NULL },
    { "Kees van 't Hek", "Kees", "van 't Hek", NULL, NULL },
    { "Kees van ’t Hek", "Kees", "van ’t Hek", NULL, NULL },
    { "Marie-José ter Horst", "Marie-José", "ter Horst", NULL, NULL },
    { "Pieter den Uyl", "Pieter", "den Uyl", NULL, NULL },
    { "Bart in 't Veld", "Bart", "in 't Veld", NULL, NULL },
    { "Sophie van den Broek-de Wit", "Sophie", "van den Broek-de Wit", NULL, NULL },
    { "Piet Jansen-van der Berg", "Piet", "Jansen-van der Berg", NULL, NULL },
    { "Jan Peter de Vries", "Jan Peter", "de Vries", NULL, NULL },
    { "Dirk-Jan de Graaf", "Dirk-Jan", "de Graaf", NULL, NULL },
    { "Johan te Velde", "Johan", "te Velde", NULL, NULL },
    { "Hendrik ten Cate", "Hendrik", "ten Cate", NULL, NULL },
    { "Ahmed el Amrani", "Ahmed", "el Amrani", NULL, NULL },
    { "J. van der Berg", "J.", "van der Berg", NULL, NULL },
    { "J.P. Balkenende", "J.P.", "Balkenende", NULL, NULL },
    { "J.van der Berg", "J.", "van der Berg", NULL, NULL },
    { "Jan Van Der Berg", "Jan", "Van Der Berg", NULL, NULL },
    { "JAN VAN DER BERG", "JAN", "VAN DER BERG", NULL, NULL },
    { "  Jan   van  der\tBerg  ", "Jan", "van der Berg", NULL, NULL },
    /* English names: the last word is the family name. */
    { "Mary Ann Smith", "Mary Ann", "Smith", NULL, NULL },
    { "John Smith", "John", "Smith", NULL, NULL },
    { "Mario D'Angelo", "Mario", "D'Angelo", NULL, NULL },
    { "Yo-Yo Ma", "Yo-Yo", "Ma", NULL, NULL },
    { "Van Morrison", "Van", "Morrison", NULL, NULL },
    /* Family name first, then a comma. */
    { "Smith, John", "John", "Smith", NULL, NULL },
    { "Berg, Jan van der", "Jan", "van der Berg", NULL, NULL },
    { "Berg van der, Jan", "Jan", "van der Berg", NULL, NULL },
    { "Vries, A. de", "A.", "de Vries", NULL, NULL },
    { "Veld, Bart in 't", "Bart", "in 't Veld", NULL, NULL },
    { "Smith, Mary Ann", "Mary Ann", "Smith", NULL, NULL },
    /* Titles and suffixes are set apart. */
    { "Dr. Jan de Vries", "Jan", "de Vries", "Dr.", NULL },
    { "Prof. dr. ir. Anna Bakker", "Anna", "Bakker", "Prof. dr. ir.", NULL },
    { "mr. drs. P. Jansen", "P.", "Jansen", "mr. drs.", NULL },
    { "de heer J. de Boer", "J.", "de Boer", "de heer", NULL },
    { "Dhr. Jansen", "", "Jansen", "Dhr.", NULL },
    { "Mevr. de Vries", "", "de Vries", "Mevr.", NULL },
    { "Mrs Smith", "", "Smith", "Mrs", NULL },
    { "John Smith Jr.", "John", "Smith", NULL, "Jr." },
    { "John Smith, Jr.", "John", "Smith", NULL, "Jr." },
    { "Anna Bakker MSc", "Anna", "Bakker", NULL, "MSc" },
    { "Henry Ford III", "Henry", "Ford", NULL, "III" },
    { "Smith, Dr. John", "John", "Smith", "Dr.", NULL },
    { "Dr. John Smith, PhD", "John", "Smith", "Dr.", "PhD" },
    /* One word, or only a family name. */
    { "Jan", "Jan", "", NULL, NULL },
    { "Madonna", "Madonna", "", NULL, NULL },
    { "van der Berg", "", "van der Berg", NULL, NULL },
    { "de Vries", "", "de Vries", NULL, NULL },
    { "De Vries", "", "De Vries", NULL, NULL },
    { "", "", "", NULL, NULL },
    { "   ", "", "", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TesoroNameParts) parts = tesoro_split_name (cases[i].full);

      g_test_message ("name “%s”", cases[i].full);
      g_assert_cmpstr (parts->given, ==, cases[i].given);
      g_assert_cmpstr (parts->family, ==, cases[i].family);
      g_assert_cmpstr (parts->prefix, ==, cases[i].prefix);
      g_assert_cmpstr (parts->suffix, ==, cases[i].suffix);
    }
}

static void
test_names_particles (void)
{
  static const struct
  {
    const char *particles;
    const char *family;
    const char *joined;
  } joins[] = {
    { "van der", "Berg", "van der Berg" },
    { "van der", "van der Berg", "van der Berg" },
    { "Van der", "van der Berg", "van der Berg" },
    { "de", "Vries", "de Vries" },
    { " in 't ", " Veld", "in 't Veld" },
    { "", "Berg", "Berg" },
    { NULL, "Berg", "Berg" },
    { "van", "", "van" },
    { "van", "Vanderbilt", "van Vanderbilt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (joins); i++)
    {
      g_autofree char *joined = tesoro_join_family_name (joins[i].particles, joins[i].family);
      g_assert_cmpstr (joined, ==, joins[i].joined);
    }

  g_assert_true (tesoro_is_name_particle ("van"));
  g_assert_true (tesoro_is_name_particle ("Van"));
  g_assert_true (tesoro_is_name_particle ("'t"));
  g_assert_true (tesoro_is_name_particle ("’t"));
  g_assert_true (tesoro_is_name_particle ("ter"));
  g_assert_false (tesoro_is_name_particle ("Berg"));
  g_assert_false (tesoro_is_name_particle ("Jan"));
  g_assert_true (tesoro_is_name_particles ("van der"));
  g_assert_true (tesoro_is_name_particles ("in 't"));
  g_assert_false (tesoro_is_name_particles ("van Berg"));
  g_assert_false (tesoro_is_name_particles (""));
}

/* Dates */

typedef struct
{
  const char      *text;
  TesoroDateFlags  flags;
  const char      *iso;
} DateCase;

static void
test_dates_valid (void)
{
  static const DateCase cases[] = {
    { "2024-03-01", 0, "2024-03-01" },
    { "1985-03-12T00:00:00Z", 0, "1985-03-12" },
    { "1985-03-12 00:00:00", 0, "1985-03-12" },
    { "2024/03/01", 0, "2024-03-01" },
    { "01-03-2024", 0, "2024-03-01" },
    { "1-3-2024", 0, "2024-03-01" },
    { "01/03/2024", 0, "2024-03-01" },
    { "1/3/2024", 0, "2024-03-01" },
    { "01.03.2024", 0, "2024-03-01" },
    { " 12-3-1985 ", 0, "1985-03-12" },
    { "12-3-1985 0:00", 0, "1985-03-12" },
    { "20240301", 0, "2024-03-01" },
    { "29-02-2024", 0, "2024-02-29" },
    { "--03-12", 0, "1604-03-12" },
    { "--0312", 0, "1604-03-12" },
    { "--02-29", TESORO_DATE_BIRTHDAY, "1604-02-29" },
    /* month first, as written in the United States */
    { "12/25/1980", TESORO_DATE_MONTH_FIRST, "1980-12-25" },
    { "3/12/1985 12:00:00 AM", TESORO_DATE_MONTH_FIRST, "1985-03-12" },
    { "2024-03-01", TESORO_DATE_MONTH_FIRST, "2024-03-01" },
    /* month names, English and Dutch */
    { "1 maart 2024", 0, "2024-03-01" },
    { "12 March 1985", 0, "1985-03-12" },
    { "March 12, 1985", 0, "1985-03-12" },
    { "12-Mar-85", TESORO_DATE_BIRTHDAY, "1985-03-12" },
    { "12 mrt. 1985", 0, "1985-03-12" },
    { "3 okt 1990", 0, "1990-10-03" },
    { "17 mei 1972", 0, "1972-05-17" },
    /* two-digit years: birthdays lie in the past (today is 15 June 2024) */
    { "1-3-24", TESORO_DATE_BIRTHDAY, "2024-03-01" },
    { "15-6-24", TESORO_DATE_BIRTHDAY, "2024-06-15" },
    { "16-6-24", TESORO_DATE_BIRTHDAY, "1924-06-16" },
    { "1-7-24", TESORO_DATE_BIRTHDAY, "1924-07-01" },
    { "1-3-85", TESORO_DATE_BIRTHDAY, "1985-03-01" },
    { "31-12-99", TESORO_DATE_BIRTHDAY, "1999-12-31" },
    { "1-1-00", TESORO_DATE_BIRTHDAY, "2000-01-01" },
    /* …other dates lie within 20 years ahead */
    { "1-3-44", 0, "2044-03-01" },
    { "1-3-45", 0, "1945-03-01" },
    { "1-7-24", 0, "2024-07-01" },
    { "2030-01-01", 0, "2030-01-01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = NULL;

      g_test_message ("date “%s”", cases[i].text);
      iso = tesoro_normalize_date (cases[i].text, cases[i].flags, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (iso, ==, cases[i].iso);
    }
}

static void
test_dates_invalid (void)
{
  static const DateCase cases[] = {
    { "31-02-2024", 0, NULL },
    { "29-02-2023", 0, NULL },
    { "31/04/2024", 0, NULL },
    { "2024-02-30", 0, NULL },
    { "2024-13-01", 0, NULL },
    { "32-01-2000", 0, NULL },
    { "00-01-2000", 0, NULL },
    { "12/25/1980", 0, NULL },
    { "25/12/1980", TESORO_DATE_MONTH_FIRST, NULL },
    { "--02-30", 0, NULL },
    { "--13-01", 0, NULL },
    { "2030-01-01", TESORO_DATE_BIRTHDAY, NULL },
    { "16-06-2024", TESORO_DATE_BIRTHDAY, NULL },
    { "hello", 0, NULL },
    { "12-03", 0, NULL },
    { "1985", 0, NULL },
    { "120385", 0, NULL },
    { "1-3-985", 0, NULL },
    { "1 Smarch 1985", 0, NULL },
    { "12-03-1985 or so", 0, NULL },
    { "=1+1", 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = NULL;

      g_test_message ("date “%s”", cases[i].text);
      iso = tesoro_normalize_date (cases[i].text, cases[i].flags, &error);
      g_assert_null (iso);
      g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
      /* The message names the value, so that the user can find it. */
      g_assert_nonnull (strstr (error->message, cases[i].text));
    }
}

static void
test_dates_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;

  iso = tesoro_normalize_date ("31-02-2024", 0, &error);
  g_assert_null (iso);
  g_assert_nonnull (strstr (error->message, "no day 31"));
  g_clear_error (&error);

  /* A US date read day-first points at the date order. */
  iso = tesoro_normalize_date ("12/25/1980", 0, &error);
  g_assert_null (iso);
  g_assert_nonnull (strstr (error->message, "month 25"));
  g_assert_nonnull (strstr (error->message, "12/31/2024"));
  g_clear_error (&error);

  iso = tesoro_normalize_date ("2030-01-01", TESORO_DATE_BIRTHDAY, &error);
  g_assert_null (iso);
  g_assert_nonnull (strstr (error->message, "future"));
  g_clear_error (&error);

  iso = tesoro_normalize_date ("", 0, &error);
  g_assert_null (iso);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
}

/* Without TESORO_NOW, "today" is the real date (UTC). */
static void
test_dates_real_clock (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) future = g_date_time_add_days (now, 2);
  g_autofree char *past_text = g_date_time_format (past, "%d-%m-%Y");
  g_autofree char *past_iso = g_date_time_format (past, "%Y-%m-%d");
  g_autofree char *future_text = g_date_time_format (future, "%d-%m-%Y");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("TESORO_NOW");
  a = tesoro_normalize_date (past_text, TESORO_DATE_BIRTHDAY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, past_iso);
  b = tesoro_normalize_date (future_text, TESORO_DATE_BIRTHDAY, &error);
  g_assert_null (b);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_setenv ("TESORO_NOW", PINNED_NOW, TRUE);
}

static void
test_dates_blank (void)
{
  static const char * const blank[] = { "", "   ", "0/0/00", "00-00-0000", "0000-00-00", "1/1/4501", NULL };
  static const char * const not_blank[] = { "1-1-2000", "x", "0/0/01", NULL };

  for (guint i = 0; blank[i] != NULL; i++)
    g_assert_true (tesoro_date_is_blank (blank[i]));
  for (guint i = 0; not_blank[i] != NULL; i++)
    g_assert_false (tesoro_date_is_blank (not_blank[i]));
  g_assert_true (tesoro_date_is_blank (NULL));
}

static void
test_dates_guess_order (void)
{
  const char *us[] = { "1/2/1990", "12/25/1980", "", "3/4/1975", NULL };
  const char *eu[] = { "1-2-1990", "25-12-1980", NULL };
  const char *unknown[] = { "1/2/1990", "3/4/1975", "1990-12-25", NULL };
  const char *mixed[] = { "25/12/1980", "12/25/1980", NULL };

  g_assert_cmpint (tesoro_guess_date_order (us, -1), ==, TESORO_DATE_ORDER_MONTH_FIRST);
  g_assert_cmpint (tesoro_guess_date_order (eu, -1), ==, TESORO_DATE_ORDER_DAY_FIRST);
  g_assert_cmpint (tesoro_guess_date_order (unknown, -1), ==, TESORO_DATE_ORDER_UNKNOWN);
  g_assert_cmpint (tesoro_guess_date_order (mixed, -1), ==, TESORO_DATE_ORDER_UNKNOWN);
  g_assert_cmpint (tesoro_guess_date_order (us, 1), ==, TESORO_DATE_ORDER_UNKNOWN);
  g_assert_cmpint (tesoro_guess_date_order (NULL, 0), ==, TESORO_DATE_ORDER_UNKNOWN);
}

/* Phone numbers */

typedef struct
{
  const char *country;
  const char *text;
  const char *e164;
} PhoneCase;

static void
test_phones_valid (void)
{
  static const PhoneCase cases[] = {
    /* The Netherlands, the default */
    { NULL, "06-12345678", "+31612345678" },
    { NULL, "020 123 4567", "+31201234567" },
    { NULL, "0031 6 1234 5678", "+31612345678" },
    { NULL, "+31 (0)6 1234 5678", "+31612345678" },
    { NULL, "+31 (0) 20 123 4567", "+31201234567" },
    { NULL, "0031 (0)20 1234567", "+31201234567" },
    { NULL, "(020) 123-4567", "+31201234567" },
    { NULL, "(0)20 1234567", "+31201234567" },
    { NULL, "+31612345678", "+31612345678" },
    { NULL, "+31 06 12345678", "+31612345678" },
    { NULL, "06 1234 5678", "+31612345678" },
    { NULL, "06.12.34.56.78", "+31612345678" },
    { NULL, "020/1234567", "+31201234567" },
    { NULL, " 010 – 123 45 67 ", "+31101234567" },
    { NULL, "0800-1234", "+318001234" },
    { NULL, "0900 123 4567", "+319001234567" },
    { NULL, "tel:+31-20-1234567", "+31201234567" },
    /* a spreadsheet ate the 0 or the + */
    { NULL, "612345678", "+31612345678" },
    { NULL, "31612345678", "+31612345678" },
    { NULL, "32470123456", "+32470123456" },
    /* extensions are kept */
    { NULL, "020-1234567 x123", "+31201234567;ext=123" },
    { NULL, "020 123 4567 ext. 45", "+31201234567;ext=45" },
    { NULL, "020 1234567 toestel 12", "+31201234567;ext=12" },
    { NULL, "020 1234567 #12", "+31201234567;ext=12" },
    { NULL, "+31201234567;ext=7", "+31201234567;ext=7" },
    /* international numbers, whatever the default */
    { NULL, "+32 470 12 34 56", "+32470123456" },
    { NULL, "+49 30 12345678", "+493012345678" },
    { NULL, "+44 20 7946 0018", "+442079460018" },
    { NULL, "+44 (0)20 7946 0018", "+442079460018" },
    { NULL, "+1 (555) 234-5678", "+15552345678" },
    { NULL, "+353 1 234 5678", "+35312345678" },
    { NULL, "+352 26 12 34 56", "+35226123456" },
    { NULL, "+81 3-1234-5678", "+81312345678" },
    { "US", "+31 6 12345678", "+31612345678" },
    /* other default countries */
    { "BE", "0470 12 34 56", "+32470123456" },
    { "BE", "02 123 45 67", "+3221234567" },
    { "BE", "0032 470 12 34 56", "+32470123456" },
    { "DE", "030 12345678", "+493012345678" },
    { "DE", "0171 1234567", "+491711234567" },
    { "DE", "030/1234567", "+49301234567" },
    { "FR", "01 23 45 67 89", "+33123456789" },
    { "FR", "06 12 34 56 78", "+33612345678" },
    { "GB", "020 7946 0018", "+442079460018" },
    { "GB", "07700 900123", "+447700900123" },
    { "IE", "01 234 5678", "+35312345678" },
    { "IE", "087 123 4567", "+353871234567" },
    { "ES", "912 345 678", "+34912345678" },
    { "IT", "06 1234 5678", "+390612345678" },
    { "IT", "333 123 4567", "+393331234567" },
    { "AT", "01 234 5678", "+4312345678" },
    { "CH", "044 123 45 67", "+41441234567" },
    { "LU", "26 12 34 56", "+35226123456" },
    { "DK", "32 12 34 56", "+4532123456" },
    { "SE", "08-123 456 78", "+46812345678" },
    { "NO", "22 12 34 56", "+4722123456" },
    { "FI", "09 1234 5678", "+358912345678" },
    { "PL", "22 123 45 67", "+48221234567" },
    { "PT", "213 456 789", "+351213456789" },
    { "US", "(555) 234-5678", "+15552345678" },
    { "US", "1-555-234-5678", "+15552345678" },
    { "US", "011 31 6 12345678", "+31612345678" },
    { "CA", "416-555-0123", "+14165550123" },
    { "nl", "06-12345678", "+31612345678" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = NULL;

      g_test_message ("phone “%s” (%s)", cases[i].text, cases[i].country ? cases[i].country : "default");
      e164 = tesoro_normalize_phone (cases[i].text, cases[i].country, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (e164, ==, cases[i].e164);
    }
}

typedef struct
{
  const char *country;
  const char *text;
  const char *hint;
} PhoneErrorCase;

static void
test_phones_invalid (void)
{
  static const PhoneErrorCase cases[] = {
    { NULL, "06-1234567", "too few" },
    { NULL, "06-123456789", "too many" },
    { NULL, "020-123456", "too few" },
    { NULL, "12345", "too few" },
    { NULL, "0800-FLOWERS", "letters" },
    { NULL, "bel mij", "letters" },
    { NULL, "06-12345678 (privé)", "letters" },
    { NULL, "+", "letters" },
    { NULL, "++31612345678", "letters" },
    { NULL, "06+12345678", "letters" },
    { NULL, "3.16123E+10", "letters" },
    { NULL, "+999 1234", "too few" },
    { NULL, "+99912345678901234", "too many" },
    { NULL, "06-12345678 / 020-1234567", "too many" },
    { NULL, "020-1234567 x", "letters" },
    { NULL, "+31 6 1234 567", "too few" },
    { "BE", "0612 34 56 78", "not a valid" },
    { "US", "(055) 234-5678", "not a valid" },
    { "FR", "01 23 45 67", "too few" },
    { "NO", "22 12 34", "right number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = NULL;
      g_autofree char *shown = NULL;

      g_test_message ("phone “%s”", cases[i].text);
      e164 = tesoro_normalize_phone (cases[i].text, cases[i].country, &error);
      g_assert_null (e164);
      g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
      g_test_message ("  → %s", error->message);
      /* The message names the value (white space tidied) and the trouble. */
      shown = g_strstrip (g_strdup (cases[i].text));
      g_assert_nonnull (strstr (error->message, shown));
      g_assert_nonnull (strstr (error->message, cases[i].hint));
    }
}

/* The digit forms erasure uses to find a number in a reason. */
static void
test_phones_digit_forms (void)
{
  g_auto(GStrv) nl = tesoro_phone_digit_forms ("06 98765432", NULL);
  g_auto(GStrv) intl = tesoro_phone_digit_forms ("+31 (0)20 123 4567 x12", NULL);
  g_auto(GStrv) unknown = tesoro_phone_digit_forms ("12-34", NULL);
  g_auto(GStrv) none = tesoro_phone_digit_forms ("n/a", NULL);

  g_assert_cmpstrv (nl, ((const char * const[]) { "00310698765432", "0031698765432", "310698765432",
                                                   "31698765432", "0698765432", "698765432", NULL }));
  g_assert_true (g_strv_contains ((const char * const *) intl, "0201234567"));
  g_assert_true (g_strv_contains ((const char * const *) intl, "31201234567"));
  g_assert_false (g_strv_contains ((const char * const *) intl, "3102012345671"));
  g_assert_cmpstrv (unknown, ((const char * const[]) { "1234", NULL }));
  g_assert_cmpstrv (none, ((const char * const[]) { NULL }));
}

static void
test_phones_countries (void)
{
  const char * const *countries = tesoro_phone_countries ();
  static const char * const required[] = {
    "NL", "BE", "DE", "FR", "GB", "IE", "ES", "IT", "AT", "CH", "LU", "DK", "SE", "NO", "FI",
    "PL", "PT", "US", "CA", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;

  for (guint i = 0; required[i] != NULL; i++)
    {
      g_assert_true (g_strv_contains (countries, required[i]));
      g_assert_true (tesoro_phone_country_is_supported (required[i]));
      g_assert_nonnull (tesoro_phone_country_get_name (required[i]));
    }
  g_assert_cmpstr (tesoro_phone_country_get_name ("NL"), ==, "Netherlands");
  g_assert_false (tesoro_phone_country_is_supported ("XX"));
  g_assert_null (tesoro_phone_country_get_name ("XX"));

  e164 = tesoro_normalize_phone ("06-12345678", "XX", &error);
  g_assert_null (e164);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "XX"));
}

static void
test_countries (void)
{
  static const struct
  {
    const char *text;
    const char *iso;
  } cases[] = {
    { "Nederland", "NL" }, { "The Netherlands", "NL" }, { "NL", "NL" }, { "Holland", "NL" },
    { "België", "BE" }, { "Belgique", "BE" }, { "Duitsland", "DE" }, { "UK", "GB" },
    { "United Kingdom", "GB" }, { "Verenigde Staten", "US" }, { "U.S.A.", "US" },
    { "Österreich", "AT" }, { "Atlantis", NULL }, { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *iso = tesoro_normalize_country (cases[i].text);
      g_assert_cmpstr (iso, ==, cases[i].iso);
    }
}

/* E-mail addresses */

static void
test_emails (void)
{
  static const struct
  {
    const char *text;
    const char *email;
  } cases[] = {
    { "  Jan@Example.NL ", "Jan@example.nl" },
    { "jan@example.nl", "jan@example.nl" },
    { "Jan Jansen <jan@example.nl>", "jan@example.nl" },
    { "\"Jansen, Jan\" <Jan@EXAMPLE.nl>", "Jan@example.nl" },
    { "<info@bakkerij.nl>", "info@bakkerij.nl" },
    { "mailto:info@Bakkerij.NL", "info@bakkerij.nl" },
    { "MAILTO:info@bakkerij.nl?subject=Hallo", "info@bakkerij.nl" },
    { "jan@example.nl (Jan Jansen)", "jan@example.nl" },
    { "'jan@example.nl';", "jan@example.nl" },
    { "jan@example.nl.", "jan@example.nl" },
    { "\xc2\xa0sophie.de.vries@bakkerij-devries.nl\xe2\x80\x8b", "sophie.de.vries@bakkerij-devries.nl" },
    { "Sophie@Café.NL", "Sophie@café.nl" },
  };
  static const char * const invalid[] = {
    "jan@", "@example.nl", "jan example.nl", "jan@@example.nl", "Jan Jansen",
    "jan @example.nl", "Jan <jan@example.nl", "jan@localhost", "jan@example..nl", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *email = NULL;

      g_test_message ("e-mail “%s”", cases[i].text);
      email = tesoro_normalize_email (cases[i].text, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (email, ==, cases[i].email);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *email = NULL;

      g_test_message ("e-mail “%s”", invalid[i]);
      email = tesoro_normalize_email (invalid[i], &error);
      g_assert_null (email);
      g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, invalid[i]));
    }
}

static void
assert_strv (GStrv               got,
             const char * const *want)
{
  g_assert_cmpuint (g_strv_length (got), ==, g_strv_length ((GStrv) want));
  for (guint i = 0; want[i] != NULL; i++)
    g_assert_cmpstr (got[i], ==, want[i]);
}

static void
test_email_lists (void)
{
  g_auto(GStrv) a = tesoro_split_email_list ("a@example.nl; b@example.nl");
  g_auto(GStrv) b = tesoro_split_email_list ("a@example.nl ::: b@example.nl");
  g_auto(GStrv) c = tesoro_split_email_list ("\"Jansen, Piet\" <piet@example.nl>");
  g_auto(GStrv) d = tesoro_split_email_list ("Jansen, Piet <piet@example.nl>");
  g_auto(GStrv) e = tesoro_split_email_list ("a@example.nl, b@example.nl\nc@example.nl");
  g_auto(GStrv) f = tesoro_split_email_list ("  ");
  g_auto(GStrv) g = tesoro_split_email_list ("Piet <piet@example.nl>, Kees <kees@example.nl>");

  assert_strv (a, (const char *[]) { "a@example.nl", "b@example.nl", NULL });
  assert_strv (b, (const char *[]) { "a@example.nl", "b@example.nl", NULL });
  assert_strv (c, (const char *[]) { "\"Jansen, Piet\" <piet@example.nl>", NULL });
  assert_strv (d, (const char *[]) { "Jansen, Piet <piet@example.nl>", NULL });
  assert_strv (e, (const char *[]) { "a@example.nl", "b@example.nl", "c@example.nl", NULL });
  assert_strv (f, (const char *[]) { NULL });
  assert_strv (g, (const char *[]) { "Piet <piet@example.nl>", "Kees <kees@example.nl>", NULL });
}

/* Tags, labels, answers */

static void
assert_tags (const char         *text,
             const char * const *want)
{
  g_autoptr(GPtrArray) tags = tesoro_split_tags (text);

  g_test_message ("tags “%s”", text);
  g_assert_cmpuint (tags->len, ==, g_strv_length ((GStrv) want));
  for (guint i = 0; want[i] != NULL; i++)
    g_assert_cmpstr (tags->pdata[i], ==, want[i]);
}

static void
test_tags (void)
{
  assert_tags ("klant, vip; nieuwsbrief", (const char *[]) { "klant", "vip", "nieuwsbrief", NULL });
  assert_tags ("Klant;Leverancier", (const char *[]) { "Klant", "Leverancier", NULL });
  assert_tags ("* myContacts ::: Klanten ::: * starred", (const char *[]) { "Klanten", NULL });
  assert_tags ("Klanten ::: * myContacts", (const char *[]) { "Klanten", NULL });
  assert_tags ("System Group: My Contacts, Familie", (const char *[]) { "Familie", NULL });
  assert_tags ("klant, Klant, KLANT", (const char *[]) { "klant", NULL });
  assert_tags ("Café, cafe", (const char *[]) { "Café", NULL });
  assert_tags ("  Goede   klant  ", (const char *[]) { "Goede klant", NULL });
  assert_tags ("a\nb\r\nc", (const char *[]) { "a", "b", "c", NULL });
  assert_tags ("", (const char *[]) { NULL });
  assert_tags (" , ; ", (const char *[]) { NULL });
  assert_tags ("* myContacts", (const char *[]) { NULL });
}

static void
test_labels (void)
{
  static const struct
  {
    TesoroDetailKind kind;
    const char *text;
    const char *label;
  } cases[] = {
    { TESORO_DETAIL_EMAIL, "* Home", "home" },
    { TESORO_DETAIL_EMAIL, "Work", "work" },
    { TESORO_DETAIL_EMAIL, "Other", "other" },
    { TESORO_DETAIL_EMAIL, "Privé", "home" },
    { TESORO_DETAIL_EMAIL, "Zakelijk", "work" },
    { TESORO_DETAIL_EMAIL, "Mobile", "other" },
    { TESORO_DETAIL_EMAIL, "Something else", "other" },
    { TESORO_DETAIL_EMAIL, "", NULL },
    { TESORO_DETAIL_EMAIL, "  ", NULL },
    { TESORO_DETAIL_PHONE, "Mobile", "mobile" },
    { TESORO_DETAIL_PHONE, "* Mobile", "mobile" },
    { TESORO_DETAIL_PHONE, "Mobiel", "mobile" },
    { TESORO_DETAIL_PHONE, "GSM", "mobile" },
    { TESORO_DETAIL_PHONE, "CELL", "mobile" },
    { TESORO_DETAIL_PHONE, "Work Fax", "fax" },
    { TESORO_DETAIL_PHONE, "Home", "home" },
    { TESORO_DETAIL_PHONE, "HOME,VOICE", "home" },
    { TESORO_DETAIL_PHONE, "Werk", "work" },
    { TESORO_DETAIL_PHONE, "Thuis", "home" },
    { TESORO_DETAIL_PHONE, "Main", "other" },
    { TESORO_DETAIL_ADDRESS, "Home", "home" },
    { TESORO_DETAIL_ADDRESS, "Work", "work" },
    { TESORO_DETAIL_ADDRESS, "Bezoekadres", "work" },
    { TESORO_DETAIL_ADDRESS, "Mobile", "other" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("label “%s”", cases[i].text);
      g_assert_cmpstr (tesoro_normalize_detail_label (cases[i].kind, cases[i].text), ==, cases[i].label);
    }

  g_assert_true (g_strv_contains (tesoro_detail_labels (TESORO_DETAIL_PHONE), "mobile"));
  g_assert_false (g_strv_contains (tesoro_detail_labels (TESORO_DETAIL_EMAIL), "mobile"));
}

static void
test_consent (void)
{
  static const char * const yes[] = { "yes", "Yes", " JA ", "j", "true", "1", "granted", "Opt-in", "✓", "x", "aangemeld", NULL };
  static const char * const no[] = { "no", "Nee", "n", "FALSE", "0", "withdrawn", "ingetrokken", "opt-out", "afgemeld", NULL };
  TesoroConsentAnswer answer;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; yes[i] != NULL; i++)
    {
      g_assert_true (tesoro_parse_consent (yes[i], &answer, NULL));
      g_assert_cmpint (answer, ==, TESORO_CONSENT_ANSWER_GRANTED);
    }
  for (guint i = 0; no[i] != NULL; i++)
    {
      g_assert_true (tesoro_parse_consent (no[i], &answer, NULL));
      g_assert_cmpint (answer, ==, TESORO_CONSENT_ANSWER_WITHDRAWN);
    }

  g_assert_true (tesoro_parse_consent ("", &answer, NULL));
  g_assert_cmpint (answer, ==, TESORO_CONSENT_ANSWER_NONE);
  g_assert_true (tesoro_parse_consent (NULL, &answer, NULL));
  g_assert_cmpint (answer, ==, TESORO_CONSENT_ANSWER_NONE);

  g_assert_false (tesoro_parse_consent ("misschien", &answer, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "misschien"));
}

static void
test_lawful_basis (void)
{
  static const struct
  {
    const char *text;
    const char *basis;
  } cases[] = {
    { "consent", "consent" },
    { "Toestemming", "consent" },
    { "contract", "contract" },
    { "Uitvoering overeenkomst", "contract" },
    { "legal_obligation", "legal_obligation" },
    { "Wettelijke verplichting", "legal_obligation" },
    { "vital interests", "vital_interests" },
    { "Taak van algemeen belang", "public_task" },
    { "Legitimate interests", "legitimate_interests" },
    { "Gerechtvaardigd belang", "legitimate_interests" },
    { "6(1)(f)", "legitimate_interests" },
    { "Art. 6(1)(b)", "contract" },
  };
  static const char * const invalid[] = { "whatever", "a", "", "klant" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *basis = tesoro_normalize_lawful_basis (cases[i].text, NULL);
      g_assert_cmpstr (basis, ==, cases[i].basis);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *basis = tesoro_normalize_lawful_basis (invalid[i], &error);

      g_assert_null (basis);
      g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
    }
}

/* Addresses */

static void
test_address_lines (void)
{
  static const struct
  {
    const char *text;
    const char *street, *postal_code, *city, *region, *country;
  } cases[] = {
    { "Dorpsstraat 1, 1234 AB Utrecht", "Dorpsstraat 1", "1234 AB", "Utrecht", NULL, NULL },
    { "Dorpsstraat 1\n1234 AB Utrecht\nNederland", "Dorpsstraat 1", "1234 AB", "Utrecht", NULL, "Nederland" },
    { "Dorpsstraat 1 1234 AB Utrecht", "Dorpsstraat 1", "1234 AB", "Utrecht", NULL, NULL },
    { "Postbus 123, 3500AC Utrecht", "Postbus 123", "3500AC", "Utrecht", NULL, NULL },
    { "Rue de la Loi 16, 1000 Bruxelles, Belgique", "Rue de la Loi 16", "1000", "Bruxelles", NULL, "Belgique" },
    { "Unter den Linden 1, D-10117 Berlin", "Unter den Linden 1", "D-10117", "Berlin", NULL, NULL },
    { "10 Downing Street, London SW1A 2AA, United Kingdom", "10 Downing Street", "SW1A 2AA", "London", NULL, "United Kingdom" },
    { "1600 Pennsylvania Avenue NW, Washington, DC 20500, USA", "1600 Pennsylvania Avenue NW", "20500", "Washington", "DC", "USA" },
    { "Keizersgracht 100 hs, 1015 AA Amsterdam, Noord-Holland, NL", "Keizersgracht 100 hs", "1015 AA", "Amsterdam", "Noord-Holland", "NL" },
    { "Ergens achter de duinen", "Ergens achter de duinen", NULL, NULL, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TesoroAddress) a = tesoro_parse_address_line (cases[i].text);

      g_test_message ("address “%s”", cases[i].text);
      g_assert_cmpstr (a->street, ==, cases[i].street);
      g_assert_cmpstr (a->postal_code, ==, cases[i].postal_code);
      g_assert_cmpstr (a->city, ==, cases[i].city);
      g_assert_cmpstr (a->region, ==, cases[i].region);
      g_assert_cmpstr (a->country, ==, cases[i].country);
    }
}

static void
test_space (void)
{
  g_autofree char *a = tesoro_normalize_space ("  a \t b\n\nc\xc2\xa0 ");
  g_autofree char *e = tesoro_normalize_space (" a\x0b\x0c b\r\n");
  g_autofree char *b = tesoro_normalize_space (NULL);
  g_autofree char *c = tesoro_normalize_space ("\xef\xbb\xbfJan");
  g_autofree char *d = tesoro_normalize_space ("Jan\xff");

  g_assert_cmpstr (a, ==, "a b c");
  g_assert_cmpstr (e, ==, "a b");
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpstr (c, ==, "Jan");
  g_assert_true (g_utf8_validate (d, -1, NULL));
}

/* Hostile input: long, binary or odd values give errors, not crashes. */
static void
test_hostile (void)
{
  g_autofree char *huge = g_strnfill (100000, '9');
  g_autofree char *huge_name = g_strnfill (100000, 'a');
  const char binary[] = "06\xff\xfe" "12345678";
  g_autoptr(GError) error = NULL;
  g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL;
  g_autoptr(TesoroNameParts) parts = NULL;
  g_autoptr(TesoroAddress) address = NULL;
  g_autoptr(GPtrArray) tags = NULL;

  r1 = tesoro_normalize_phone (huge, NULL, &error);
  g_assert_null (r1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_TOO_LARGE);
  g_clear_error (&error);

  r2 = tesoro_normalize_date (huge, 0, &error);
  g_assert_null (r2);
  g_assert_nonnull (error);
  g_clear_error (&error);

  r3 = tesoro_normalize_email (huge, &error);
  g_assert_null (r3);
  g_assert_nonnull (error);
  g_clear_error (&error);

  r4 = tesoro_normalize_phone (binary, NULL, &error);
  g_assert_null (r4);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  parts = tesoro_split_name (huge_name);
  g_assert_nonnull (parts->given);
  address = tesoro_parse_address_line (huge_name);
  g_assert_nonnull (address->street);
  tags = tesoro_split_tags (huge_name);
  g_assert_cmpuint (tags->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TESORO_NOW", PINNED_NOW, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/normalize/names/split", test_names_split);
  g_test_add_func ("/normalize/names/particles", test_names_particles);
  g_test_add_func ("/normalize/dates/valid", test_dates_valid);
  g_test_add_func ("/normalize/dates/invalid", test_dates_invalid);
  g_test_add_func ("/normalize/dates/messages", test_dates_messages);
  g_test_add_func ("/normalize/dates/blank", test_dates_blank);
  g_test_add_func ("/normalize/dates/real-clock", test_dates_real_clock);
  g_test_add_func ("/normalize/dates/guess-order", test_dates_guess_order);
  g_test_add_func ("/normalize/phones/valid", test_phones_valid);
  g_test_add_func ("/normalize/phones/invalid", test_phones_invalid);
  g_test_add_func ("/normalize/phones/countries", test_phones_countries);
  g_test_add_func ("/normalize/phones/digit-forms", test_phones_digit_forms);
  g_test_add_func ("/normalize/countries", test_countries);
  g_test_add_func ("/normalize/emails/clean", test_emails);
  g_test_add_func ("/normalize/emails/lists", test_email_lists);
  g_test_add_func ("/normalize/tags", test_tags);
  g_test_add_func ("/normalize/labels", test_labels);
  g_test_add_func ("/normalize/consent", test_consent);
  g_test_add_func ("/normalize/lawful-basis", test_lawful_basis);
  g_test_add_func ("/normalize/addresses", test_address_lines);
  g_test_add_func ("/normalize/space", test_space);
  g_test_add_func ("/normalize/hostile", test_hostile);

  return g_test_run ();
}
