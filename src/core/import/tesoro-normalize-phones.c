/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-normalize"

#include "config.h"

#include "tesoro-normalize-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-utils.h"

/* Phone numbers */

typedef enum
{
  LENGTH_OK,
  LENGTH_SHORT,     /* fewer digits than any valid number */
  LENGTH_LONG,      /* more digits than any valid number */
  LENGTH_BETWEEN,   /* between two valid lengths, but neither */
  LENGTH_WRONG,     /* the right length, but no number starts like that */
} LengthCheck;

typedef struct
{
  const char *iso;
  const char *name;
  const char *calling_code;
  char        trunk;           /* national trunk prefix digit, or 0 for none */
  const char *international;   /* the international call prefix */
  guint32     lengths;         /* bit n: n digits after the country code are valid */
  LengthCheck (*check) (const char *nsn);
} PhoneCountry;

#define LEN(n)          (1u << (n))
#define LENS(from, to)  ((((1u << ((to) + 1)) - 1)) & ~((1u << (from)) - 1))

static LengthCheck
check_mask (guint32 mask,
            gsize   len)
{
  guint min = 0, max = 0;

  if (len < 32 && (mask & (1u << len)) != 0)
    return LENGTH_OK;
  for (guint i = 0; i < 32; i++)
    if (mask & (1u << i))
      {
        if (min == 0)
          min = i;
        max = i;
      }
  if (len < min)
    return LENGTH_SHORT;
  if (len > max)
    return LENGTH_LONG;
  return LENGTH_BETWEEN;
}

/* The Netherlands: 9 digits after the 0, except free and paid service
 * numbers (0800, 090x: 7 to 10) and machine numbers (097: 11). */
static LengthCheck
check_nl (const char *nsn)
{
  gsize len = strlen (nsn);

  if (g_str_has_prefix (nsn, "800") || g_str_has_prefix (nsn, "900") ||
      g_str_has_prefix (nsn, "906") || g_str_has_prefix (nsn, "909"))
    return check_mask (LENS (7, 10), len);
  if (g_str_has_prefix (nsn, "97"))
    return check_mask (LEN (11), len);
  if (nsn[0] == '0')
    return LENGTH_WRONG;
  return check_mask (LEN (9), len);
}

/* Belgium: 8 digits, or 9 for mobile numbers (04xx). */
static LengthCheck
check_be (const char *nsn)
{
  gsize len = strlen (nsn);

  if (len == 9 && nsn[0] != '4')
    return LENGTH_WRONG;
  return check_mask (LENS (8, 9), len);
}

/* North America: a three-digit area code that does not start with 0 or 1,
 * then seven digits. */
static LengthCheck
check_nanp (const char *nsn)
{
  LengthCheck check = check_mask (LEN (10), strlen (nsn));

  if (check == LENGTH_OK && (nsn[0] == '0' || nsn[0] == '1'))
    return LENGTH_WRONG;
  return check;
}

static const PhoneCountry phone_countries[] = {
  { "NL", N_("Netherlands"),    "31",  '0', "00",  LEN (9), check_nl },
  { "BE", N_("Belgium"),        "32",  '0', "00",  LENS (8, 9), check_be },
  { "DE", N_("Germany"),        "49",  '0', "00",  LENS (6, 13), NULL },
  { "FR", N_("France"),         "33",  '0', "00",  LEN (9), NULL },
  { "GB", N_("United Kingdom"), "44",  '0', "00",  LEN (7) | LENS (9, 10), NULL },
  { "IE", N_("Ireland"),        "353", '0', "00",  LENS (7, 10), NULL },
  { "ES", N_("Spain"),          "34",  0,   "00",  LEN (9), NULL },
  { "IT", N_("Italy"),          "39",  0,   "00",  LENS (6, 11), NULL },
  { "AT", N_("Austria"),        "43",  '0', "00",  LENS (4, 13), NULL },
  { "CH", N_("Switzerland"),    "41",  '0', "00",  LEN (9), NULL },
  { "LU", N_("Luxembourg"),     "352", 0,   "00",  LENS (4, 11), NULL },
  { "DK", N_("Denmark"),        "45",  0,   "00",  LEN (8), NULL },
  { "SE", N_("Sweden"),         "46",  '0', "00",  LENS (6, 10), NULL },
  { "NO", N_("Norway"),         "47",  0,   "00",  LEN (5) | LEN (8), NULL },
  { "FI", N_("Finland"),        "358", '0', "00",  LENS (5, 12), NULL },
  { "PL", N_("Poland"),         "48",  0,   "00",  LEN (9), NULL },
  { "PT", N_("Portugal"),       "351", 0,   "00",  LEN (9), NULL },
  { "US", N_("United States"),  "1",   '1', "011", LEN (10), check_nanp },
  { "CA", N_("Canada"),         "1",   '1', "011", LEN (10), check_nanp },
};

static const PhoneCountry *
phone_country_by_iso (const char *iso)
{
  if (iso == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (phone_countries); i++)
    if (g_ascii_strcasecmp (iso, phone_countries[i].iso) == 0)
      return &phone_countries[i];
  return NULL;
}

/* Country calling codes have no code that is the start of another, so the
 * first that matches is the one. */
static const PhoneCountry *
phone_country_by_calling_code (const char *digits)
{
  for (guint i = 0; i < G_N_ELEMENTS (phone_countries); i++)
    if (g_str_has_prefix (digits, phone_countries[i].calling_code))
      return &phone_countries[i];
  return NULL;
}

static LengthCheck
check_nsn (const PhoneCountry *country,
           const char         *nsn)
{
  if (country->check != NULL)
    return country->check (nsn);
  return check_mask (country->lengths, strlen (nsn));
}

/**
 * tesoro_phone_countries:
 *
 * Returns: (transfer none): the ISO 3166 codes of the countries whose
 * phone numbers tesoro_normalize_phone() knows, %NULL-terminated
 */
const char * const *
tesoro_phone_countries (void)
{
  static const char * const codes[] = {
    "NL", "BE", "DE", "FR", "GB", "IE", "ES", "IT", "AT", "CH", "LU", "DK", "SE", "NO", "FI",
    "PL", "PT", "US", "CA", NULL
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (codes) == G_N_ELEMENTS (phone_countries) + 1);

  return codes;
}

/**
 * tesoro_phone_country_is_supported:
 * @country: (nullable): an ISO 3166 code, in any case
 *
 * Returns: whether tesoro_normalize_phone() knows the numbers of @country
 */
gboolean
tesoro_phone_country_is_supported (const char *country)
{
  return phone_country_by_iso (country) != NULL;
}

/**
 * tesoro_phone_country_get_name:
 * @country: an ISO 3166 code such as "NL"
 *
 * Returns: (nullable): the country's name in the user's language, or %NULL
 * when tesoro_phone_countries() does not list it
 */
const char *
tesoro_phone_country_get_name (const char *country)
{
  const PhoneCountry *pc = phone_country_by_iso (country);

  return pc != NULL ? _(pc->name) : NULL;
}

static char *
phone_error (GError            **error,
             const char         *text,
             LengthCheck         check,
             const PhoneCountry *country)
{
  if (country == NULL)
    {
      if (check == LENGTH_LONG)
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("“%s” has too many digits for an international phone number"), text);
      else
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("“%s” has too few digits for an international phone number"), text);
      return NULL;
    }

  switch (check)
    {
    case LENGTH_SHORT:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” has too few digits for a phone number with country code +%s (%s)"),
                   text, country->calling_code, _(country->name));
      break;

    case LENGTH_LONG:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” has too many digits for a phone number with country code +%s (%s)"),
                   text, country->calling_code, _(country->name));
      break;

    case LENGTH_BETWEEN:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” does not have the right number of digits for a phone number with country code +%s (%s)"),
                   text, country->calling_code, _(country->name));
      break;

    case LENGTH_WRONG:
    case LENGTH_OK:
    default:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” is not a valid phone number with country code +%s (%s)"),
                   text, country->calling_code, _(country->name));
      break;
    }

  return NULL;
}

/* Reads the extension after a number ("x123", "ext. 123", "toestel 12",
 * "#12", ",12", ";ext=12"). Returns FALSE when @rest is something else. */
static gboolean
parse_extension (const char  *rest,
                 char       **extension)
{
  static const char * const markers[] = {
    ";ext=", "extension", "toestel", "ext", "tst", "x", "#", ",", ";", NULL
  };
  g_autofree char *lower = g_ascii_strdown (rest, -1);
  const char *p = lower;
  const char *start;

  for (guint i = 0; markers[i] != NULL; i++)
    if (g_str_has_prefix (p, markers[i]))
      {
        p += strlen (markers[i]);
        break;
      }
  if (p == lower)
    return FALSE;

  while (*p == '.' || *p == ':' || *p == ' ' || *p == '=')
    p++;
  start = p;
  while (g_ascii_isdigit (*p))
    p++;
  if (p == start || p - start > 7)
    return FALSE;
  *extension = g_strndup (start, p - start);
  while (*p == ' ')
    p++;

  return *p == '\0';
}

/**
 * tesoro_normalize_phone:
 * @text: a phone number as written in an imported file
 * @default_country: (nullable): the ISO 3166 code of the country of numbers
 *   written without a country code; %NULL for the Netherlands
 * @error: return location for a #GError
 *
 * Turns a phone number into its international E.164 form: `06-12345678`
 * becomes `+31612345678` and `(020) 123-4567` becomes `+31201234567` with
 * the Netherlands as default country, as do `0031 6 1234 5678` and
 * `+31 (0)6 1234 5678` anywhere. The national trunk prefix (0, or 1 in
 * North America) is dropped; a number whose leading 0 a spreadsheet ate
 * (`612345678`) or whose + it ate (`31612345678`) is repaired when the
 * length leaves no doubt. An extension is kept in RFC 3966 form:
 * `020-1234567 x12` becomes `+31201234567;ext=12`.
 *
 * The number of digits is checked for the countries of
 * tesoro_phone_countries(); numbers of other countries are checked
 * against the 15-digit E.164 limit only.
 *
 * Returns: (transfer full) (nullable): the number, or %NULL with @error
 * set to a message that quotes @text: letters, too few or too many digits
 */
char *
tesoro_normalize_phone (const char  *text,
                        const char  *default_country,
                        GError     **error)
{
  const PhoneCountry *home;
  const PhoneCountry *country = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *main_part = NULL;
  g_autofree char *extension = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *nsn = NULL;
  gboolean plus = FALSE;
  gboolean international = FALSE;
  char *result;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  home = phone_country_by_iso (default_country != NULL ? default_country : TESORO_DEFAULT_PHONE_COUNTRY);
  if (home == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Tesoro does not know the phone numbers of country “%s”"), default_country);
      return NULL;
    }

  normal = tesoro_normalize_space (text);
  if (*normal == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The phone number is empty"));
      return NULL;
    }
  if (_tesoro_normalize_too_long (normal, error))
    return NULL;

  p = normal;
  if (g_ascii_strncasecmp (p, "tel:", 4) == 0)
    p += 4;
  else if (g_ascii_strncasecmp (p, "callto:", 7) == 0)
    p += 7;

  /* The number ends at the first letter or extension mark. */
  {
    const char *end = p;

    while (*end && !g_ascii_isalpha (*end) && *end != '#' && *end != ';' && *end != ',')
      end++;
    main_part = g_strndup (p, end - p);
    if (*end != '\0' && !parse_extension (end, &extension))
      goto not_a_number;
  }

  /* Keep the digits and a leading +; drop the national (0) written inside
   * an international number ("+31 (0)6 …", "0031 (0)20 …"). */
  for (const char *q = main_part; *q; )
    {
      gunichar c = g_utf8_get_char (q);

      if (g_ascii_isdigit (*q))
        {
          g_string_append_c (digits, *q);
          q++;
          continue;
        }
      if (c == '+')
        {
          if (plus || digits->len > 0)
            goto not_a_number;
          plus = TRUE;
          q++;
          continue;
        }
      if (c == '(')
        {
          const char *r = q + 1;

          while (*r == ' ')
            r++;
          if (*r == '0')
            {
              r++;
              while (*r == ' ')
                r++;
              if (*r == ')' && (plus || digits->len > 0))
                {
                  q = r + 1;
                  continue;
                }
            }
          q++;
          continue;
        }
      if (c == ')' || c == '-' || c == '.' || c == '/' || c == ' ' || c == 0x2013 || c == 0x2010 ||
          c == 0x2011 || c == 0x2012)
        {
          q = g_utf8_next_char (q);
          continue;
        }
      goto not_a_number;
    }

  if (digits->len == 0)
    goto not_a_number;

  if (plus)
    international = TRUE;
  else if (g_str_has_prefix (digits->str, home->international))
    {
      g_string_erase (digits, 0, strlen (home->international));
      international = TRUE;
    }
  else if (!g_str_equal (home->international, "00") && g_str_has_prefix (digits->str, "00"))
    {
      g_string_erase (digits, 0, 2);
      international = TRUE;
    }

  if (international)
    {
      g_autoptr(GString) rest = NULL;
      LengthCheck check;

      country = phone_country_by_calling_code (digits->str);
      if (country == NULL)
        {
          if (digits->len < 8)
            return phone_error (error, normal, LENGTH_SHORT, NULL);
          if (digits->len > 15)
            return phone_error (error, normal, LENGTH_LONG, NULL);
          nsn = digits->str;
          goto done;
        }

      rest = g_string_new (digits->str + strlen (country->calling_code));
      /* "+31 06 …": the trunk 0 written after the country code. */
      if (country->trunk == '0' && rest->str[0] == '0')
        g_string_erase (rest, 0, 1);
      check = check_nsn (country, rest->str);
      if (check != LENGTH_OK)
        return phone_error (error, normal, check, country);
      g_string_assign (digits, rest->str);
      nsn = digits->str;
      goto done;
    }

  /* A national number. */
  {
    LengthCheck check;

    country = home;
    if (home->trunk != 0 && digits->str[0] == home->trunk)
      {
        check = check_nsn (home, digits->str + 1);
        if (check == LENGTH_OK)
          {
            nsn = digits->str + 1;
            goto done;
          }
        return phone_error (error, normal, check, home);
      }

    check = check_nsn (home, digits->str);
    if (check == LENGTH_OK)
      {
        nsn = digits->str;
        goto done;
      }

    /* A spreadsheet that took "+31612345678" for a number wrote
     * 31612345678: accept it when it is a valid international number. */
    {
      const PhoneCountry *other = phone_country_by_calling_code (digits->str);

      if (other != NULL && check_nsn (other, digits->str + strlen (other->calling_code)) == LENGTH_OK)
        {
          country = other;
          nsn = digits->str + strlen (other->calling_code);
          goto done;
        }
    }

    return phone_error (error, normal, check, home);
  }

done:
  if (country != NULL)
    result = g_strconcat ("+", country->calling_code, nsn, NULL);
  else
    result = g_strconcat ("+", nsn, NULL);

  if (extension != NULL)
    {
      char *with_extension = g_strconcat (result, ";ext=", extension, NULL);

      g_free (result);
      result = with_extension;
    }

  return result;

not_a_number:
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("“%s” is not a phone number: it holds letters or signs that do not belong in one"),
               normal);
  return NULL;
}

static void
add_form (GPtrArray  *forms,
          const char *form)
{
  if (form == NULL || *form == '\0')
    return;
  for (guint i = 0; i < forms->len; i++)
    if (g_str_equal (forms->pdata[i], form))
      return;
  g_ptr_array_add (forms, g_strdup (form));
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = strlen (*(const char * const *) a);
  gsize lb = strlen (*(const char * const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

/**
 * tesoro_phone_digit_forms:
 * @text: a phone number as stored
 * @default_country: (nullable): as for tesoro_normalize_phone()
 *
 * The strings of digits the same number may be written as, to recognise
 * it in free text whatever its punctuation: the digits as stored; the
 * international form (`31698765432`) with and without the international
 * prefix (`0031…`) and with the trunk prefix kept after the country code
 * (`+31 (0)6…`); the national form with the trunk prefix (`0698765432`);
 * and the national significant number (`698765432`). An extension is left
 * out.
 *
 * Returns: (transfer full): the forms, longest first, each once; empty when
 * @text has no digits
 */
GStrv
tesoro_phone_digit_forms (const char *text,
                          const char *default_country)
{
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autofree char *e164 = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p && *p != ';' && *p != 'x' && *p != 'X' && *p != '#'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  add_form (forms, digits->str);

  e164 = tesoro_normalize_phone (text, default_country, NULL);
  if (e164 != NULL)
    {
      char *ext = strchr (e164, ';');
      const char *intl = e164 + 1;
      const PhoneCountry *country;

      if (ext != NULL)
        *ext = '\0';
      add_form (forms, intl);
      {
        g_autofree char *prefixed = g_strconcat ("00", intl, NULL);
        add_form (forms, prefixed);
      }

      country = phone_country_by_calling_code (intl);
      if (country != NULL)
        {
          const char *nsn = intl + strlen (country->calling_code);

          add_form (forms, nsn);
          if (country->trunk != 0)
            {
              char trunk[2] = { country->trunk, '\0' };
              g_autofree char *national = g_strconcat (trunk, nsn, NULL);
              g_autofree char *with_trunk = g_strconcat (country->calling_code, trunk, nsn, NULL);
              g_autofree char *prefixed = g_strconcat ("00", with_trunk, NULL);

              add_form (forms, national);
              add_form (forms, with_trunk);
              add_form (forms, prefixed);
            }
          if (!g_str_equal (country->international, "00"))
            {
              g_autofree char *prefixed = g_strconcat (country->international, intl, NULL);
              add_form (forms, prefixed);
            }
        }
    }

  g_ptr_array_sort (forms, longest_first);
  g_ptr_array_add (forms, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&forms), FALSE);
}

/* Countries */

typedef struct
{
  const char *iso;
  const char *names; /* compact folded names, separated by | */
} CountryNames;

static const CountryNames country_names[] = {
  { "NL", "nl|nld|netherlands|thenetherlands|nederland|holland|paysbas|niederlande" },
  { "BE", "be|bel|belgium|belgie|belgique|belgien" },
  { "DE", "de|deu|germany|duitsland|deutschland|allemagne" },
  { "FR", "fr|fra|france|frankrijk|frankreich" },
  { "GB", "gb|gbr|uk|unitedkingdom|greatbritain|england|scotland|wales|northernireland|verenigdkoninkrijk|grootbrittannie|engeland|schotland" },
  { "IE", "ie|irl|ireland|ierland|eire|republicofireland" },
  { "ES", "es|esp|spain|spanje|espana" },
  { "IT", "it|ita|italy|italie|italia" },
  { "AT", "at|aut|austria|oostenrijk|osterreich" },
  { "CH", "ch|che|switzerland|zwitserland|schweiz|suisse|svizzera" },
  { "LU", "lu|lux|luxembourg|luxemburg" },
  { "DK", "dk|dnk|denmark|denemarken|danmark" },
  { "SE", "se|swe|sweden|zweden|sverige" },
  { "NO", "no|nor|norway|noorwegen|norge" },
  { "FI", "fi|fin|finland|suomi" },
  { "PL", "pl|pol|poland|polen|polska" },
  { "PT", "pt|prt|portugal" },
  { "US", "us|usa|unitedstates|unitedstatesofamerica|america|verenigdestaten|verenigdestatenvanamerika" },
  { "CA", "ca|can|canada" },
};

/**
 * tesoro_normalize_country:
 * @text: a country as written in an address ("Nederland", "The
 *   Netherlands", "NL", "België", "UK")
 *
 * Knows the countries of tesoro_phone_countries() by their codes and their
 * English, Dutch and own names.
 *
 * Returns: (transfer full) (nullable): the ISO 3166 code, or %NULL when the
 * country is not one of those
 */
char *
tesoro_normalize_country (const char *text)
{
  g_autofree char *key = NULL;

  if (text == NULL || strlen (text) > 64)
    return NULL;

  key = _tesoro_normalize_compact_fold (text, FALSE);
  if (*key == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (country_names); i++)
    {
      g_auto(GStrv) names = g_strsplit (country_names[i].names, "|", -1);

      if (_tesoro_normalize_in_list (key, (const char * const *) names))
        return g_strdup (country_names[i].iso);
    }

  return NULL;
}
