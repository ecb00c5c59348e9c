/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-normalize"

#include "config.h"

#include "tesoro-normalize-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-utils.h"

/* Text helpers */

static gboolean
is_space_char (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x2007 || c == 0x202F ||
         g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

static gboolean
is_invisible_char (gunichar c)
{
  /* zero-width space, joiners, word joiner, byte order mark */
  return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF;
}

/**
 * tesoro_normalize_space:
 * @text: (nullable): text, valid UTF-8 or not
 *
 * Returns: (transfer full): @text without leading and trailing white space,
 * with every run of white space (including line breaks and no-break
 * spaces) turned into one space, and without zero-width characters and
 * byte order marks. Invalid UTF-8 is repaired. %NULL gives "".
 */
char *
tesoro_normalize_space (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean pending_space = FALSE;

  if (text == NULL)
    return g_strdup ("");

  /* Most imported values are plain ASCII: a million rows call this ten
   * million times, so keep that path free of Unicode lookups. */
  {
    const guchar *p = (const guchar *) text;

    while (*p != 0 && *p < 0x80)
      p++;
    if (*p == 0)
      {
        char *ascii = g_malloc (p - (const guchar *) text + 1);
        gsize o = 0;

        for (const guchar *q = (const guchar *) text; *q; q++)
          {
            if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '\v' || *q == '\f')
              {
                pending_space = o > 0;
                continue;
              }
            if (pending_space)
              ascii[o++] = ' ';
            pending_space = FALSE;
            ascii[o++] = (char) *q;
          }
        ascii[o] = '\0';
        return ascii;
      }
  }

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_invisible_char (c))
        continue;
      if (is_space_char (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Folds @text and keeps only its letters and digits: "E-mail Adres" and
 * "e_mailadres" both become "emailadres". Apostrophes are kept when
 * @keep_apostrophe, for name particles such as 't and d'. */
char *
_tesoro_normalize_compact_fold (const char *text,
                                gboolean    keep_apostrophe)
{
  g_autofree char *folded = tesoro_fold (text);
  GString *out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
      else if (keep_apostrophe && (c == '\'' || c == 0x2019 || c == 0x2018 || c == '`' || c == 0x00B4))
        g_string_append_c (out, '\'');
    }

  return g_string_free (out, FALSE);
}

gboolean
_tesoro_normalize_in_list (const char         *needle,
                           const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (needle, list[i]))
      return TRUE;
  return FALSE;
}

gboolean
_tesoro_normalize_too_long (const char  *text,
                            GError     **error)
{
  if (strlen (text) <= MAX_VALUE_BYTES)
    return FALSE;

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_TOO_LARGE,
               _("“%.40s…” is too long to be read as one value"), text);
  return TRUE;
}

/* E-mail addresses */

/**
 * tesoro_normalize_email:
 * @text: an e-mail address as found in an imported file
 * @error: return location for a #GError
 *
 * Cleans up an address: white space around it, `mailto:`, a name around
 * it (`Jan Jansen <jan@example.nl>`, `jan@example.nl (Jan)`), quotes and
 * trailing punctuation; the domain is written in lower case (the part
 * before the @ is kept as is: it may be case-sensitive).
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with @error
 * set to a message that quotes @text
 */
char *
tesoro_normalize_email (const char  *text,
                        GError     **error)
{
  g_autofree char *normal = NULL;
  g_autofree char *work = NULL;
  g_autofree char *domain = NULL;
  char *at;
  char *lt;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  normal = tesoro_normalize_space (text);
  if (*normal == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The e-mail address is empty"));
      return NULL;
    }
  if (_tesoro_normalize_too_long (normal, error))
    return NULL;

  work = g_strdup (normal);

  /* "Jan Jansen <jan@example.nl>" */
  lt = strrchr (work, '<');
  if (lt != NULL)
    {
      char *gt = strchr (lt, '>');

      if (gt == NULL)
        goto invalid;
      *gt = '\0';
      memmove (work, lt + 1, strlen (lt + 1) + 1);
    }
  else
    {
      /* "jan@example.nl (Jan Jansen)" */
      char *paren = strchr (work, '(');

      if (paren != NULL && strchr (paren, ')') != NULL && paren > work)
        *paren = '\0';
    }

  g_strstrip (work);
  if (g_ascii_strncasecmp (work, "mailto:", 7) == 0)
    {
      char *query;

      memmove (work, work + 7, strlen (work + 7) + 1);
      query = strchr (work, '?');
      if (query != NULL)
        *query = '\0';
    }

  /* Quotes and punctuation around it: "'jan@example.nl';" */
  len = strlen (work);
  while (len > 0 && strchr ("\"'.,;:>", work[len - 1]) != NULL)
    work[--len] = '\0';
  {
    gsize skip = strspn (work, "\"'<");
    memmove (work, work + skip, strlen (work + skip) + 1);
  }
  g_strstrip (work);

  at = strrchr (work, '@');
  if (at == NULL)
    goto invalid;

  domain = g_utf8_strdown (at + 1, -1);
  at[1] = '\0';
  {
    g_autofree char *joined = g_strconcat (work, domain, NULL);

    if (!tesoro_is_valid_email (joined))
      goto invalid;
    return g_steal_pointer (&joined);
  }

invalid:
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("“%s” is not a valid e-mail address"), normal);
  return NULL;
}

/**
 * tesoro_split_email_list:
 * @text: a cell that may hold several addresses
 *
 * Splits a cell such as `a@example.nl; b@example.nl` or Google's
 * `a@example.nl ::: b@example.nl` into its addresses. Commas and
 * semicolons inside quotes or angle brackets do not split, and when a
 * piece would hold no @ the cell is taken whole (`"Jansen, Piet"
 * <piet@example.nl>` stays one address).
 *
 * Returns: (transfer full): the pieces, not yet normalised; empty when
 * @text is blank
 */
GStrv
tesoro_split_email_list (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *whole = NULL;
  GString *current = g_string_new (NULL);
  gboolean quoted = FALSE;
  gboolean angle = FALSE;
  gboolean all_have_at = TRUE;

  if (text == NULL)
    text = "";

  for (const char *p = text; ; p++)
    {
      gboolean split = FALSE;

      if (*p == '\0')
        split = TRUE;
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == '<' && !quoted)
        angle = TRUE;
      else if (*p == '>' && !quoted)
        angle = FALSE;
      else if (!quoted && !angle &&
               (*p == ',' || *p == ';' || *p == '\n' || *p == '\r' || g_str_has_prefix (p, ":::")))
        split = TRUE;

      if (split)
        {
          g_autofree char *piece = tesoro_normalize_space (current->str);

          if (*piece != '\0')
            {
              all_have_at &= strchr (piece, '@') != NULL;
              g_ptr_array_add (pieces, g_steal_pointer (&piece));
            }
          g_string_truncate (current, 0);
          if (*p == '\0')
            break;
          if (*p == ':')
            p += 2;
          continue;
        }
      g_string_append_c (current, *p);
    }
  g_string_free (current, TRUE);

  if (pieces->len > 1 && !all_have_at)
    {
      whole = tesoro_normalize_space (text);
      g_strv_builder_add (builder, whole);
    }
  else
    for (guint i = 0; i < pieces->len; i++)
      g_strv_builder_add (builder, pieces->pdata[i]);

  return g_strv_builder_end (builder);
}

/* Tags */

/**
 * tesoro_split_tags:
 * @text: a cell of tags or groups
 *
 * Splits tags separated by `,` or `;` (also line breaks and Google's
 * ` ::: `), trims them, drops duplicates (ignoring case and accents; the
 * first spelling wins) and drops the system groups of Google Contacts
 * (`* myContacts`, `* starred`, `System Group: My Contacts`).
 *
 * Returns: (transfer full) (element-type utf8): the tags, possibly none
 */
GPtrArray *
tesoro_split_tags (const char *text)
{
  GPtrArray *tags = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) work = NULL;
  g_auto(GStrv) pieces = NULL;

  if (text == NULL)
    return tags;

  work = g_string_new (text);
  g_string_replace (work, ":::", ";", 0);
  for (gsize i = 0; i < work->len; i++)
    if (work->str[i] == ',' || work->str[i] == '\n' || work->str[i] == '\r')
      work->str[i] = ';';

  pieces = g_strsplit (work->str, ";", -1);
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_autofree char *tag = tesoro_normalize_space (pieces[i]);
      g_autofree char *folded = NULL;

      if (*tag == '\0' || tag[0] == '*')
        continue;
      folded = tesoro_fold (tag);
      if (g_str_has_prefix (folded, "system group:"))
        continue;
      if (g_hash_table_contains (seen, folded))
        continue;
      g_hash_table_add (seen, g_steal_pointer (&folded));
      g_ptr_array_add (tags, g_steal_pointer (&tag));
    }

  return tags;
}

/* Labels */

static const char * const email_labels[] = { "work", "home", "other", NULL };
static const char * const phone_labels[] = { "mobile", "work", "home", "fax", "other", NULL };
static const char * const address_labels[] = { "work", "home", "other", NULL };

/**
 * tesoro_detail_labels:
 * @kind: e-mail, phone or address
 *
 * Returns: (transfer none): the labels Tesoro gives that kind of detail,
 * %NULL-terminated, the last being "other"
 */
const char * const *
tesoro_detail_labels (TesoroDetailKind kind)
{
  switch (kind)
    {
    case TESORO_DETAIL_EMAIL:
      return email_labels;
    case TESORO_DETAIL_PHONE:
      return phone_labels;
    case TESORO_DETAIL_ADDRESS:
    default:
      return address_labels;
    }
}

static gboolean
contains_any (const char         *haystack,
              const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (haystack, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * tesoro_normalize_detail_label:
 * @kind: e-mail, phone or address
 * @text: (nullable): a label as written in a file: "Work", "* Home",
 *   "Mobiel", "Privé", "Work Fax", "Thuis", "Zakelijk", "HOME,VOICE"
 *
 * Returns: (nullable): one of tesoro_detail_labels(), "other" when @text
 * means none of them, %NULL when @text is empty
 */
const char *
tesoro_normalize_detail_label (TesoroDetailKind  kind,
                               const char       *text)
{
  static const char * const fax[] = { "fax", NULL };
  static const char * const mobile[] = { "mobi", "cell", "gsm", "handy", "portable", "iphone", NULL };
  static const char * const home[] = { "home", "thuis", "prive", "private", "personal", "persoonlijk",
                                       "huis", "woon", "residence", NULL };
  static const char * const work[] = { "work", "werk", "business", "zakelijk", "office", "kantoor",
                                       "bedrijf", "company", "job", "bezoek", "vestiging", NULL };
  g_autofree char *key = NULL;

  if (text == NULL || strlen (text) > 256)
    return text == NULL ? NULL : "other";

  key = _tesoro_normalize_compact_fold (text, FALSE);
  if (*key == '\0')
    return NULL;

  if (kind == TESORO_DETAIL_PHONE)
    {
      if (contains_any (key, fax))
        return "fax";
      if (contains_any (key, mobile))
        return "mobile";
    }
  if (contains_any (key, home))
    return "home";
  if (contains_any (key, work))
    return "work";

  return "other";
}

/* Consent and lawful basis */

/**
 * tesoro_parse_consent:
 * @text: (nullable): an answer from a consent column
 * @answer: (out): the answer
 * @error: return location for a #GError
 *
 * Reads yes/no answers in English and Dutch: yes, y, ja, j, true, waar, 1,
 * x, ✓, granted, given, gegeven, opt-in, subscribed, aangemeld, akkoord;
 * no, n, nee, false, onwaar, 0, withdrawn, ingetrokken, refused,
 * geweigerd, opt-out, unsubscribed, afgemeld. An empty cell is no answer.
 *
 * Returns: whether @text was an answer; %FALSE with @error set otherwise
 */
gboolean
tesoro_parse_consent (const char          *text,
                      TesoroConsentAnswer *answer,
                      GError             **error)
{
  static const char * const granted[] = {
    "yes", "y", "ja", "j", "true", "waar", "1", "x", "granted", "given", "gegeven", "toestemming",
    "optin", "optedin", "subscribed", "aangemeld", "ingeschreven", "akkoord", "ok", "consent",
    "consented", "agreed", "accepted", NULL
  };
  static const char * const withdrawn[] = {
    "no", "n", "nee", "false", "onwaar", "0", "withdrawn", "ingetrokken", "refused", "denied",
    "geweigerd", "optout", "optedout", "unsubscribed", "afgemeld", "uitgeschreven",
    "geentoestemming", "nietakkoord", "declined", NULL
  };
  g_autofree char *normal = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (answer != NULL, FALSE);

  *answer = TESORO_CONSENT_ANSWER_NONE;
  normal = tesoro_normalize_space (text);
  if (*normal == '\0')
    return TRUE;

  if (g_str_equal (normal, "✓") || g_str_equal (normal, "✔") || g_str_equal (normal, "☑"))
    {
      *answer = TESORO_CONSENT_ANSWER_GRANTED;
      return TRUE;
    }
  if (g_str_equal (normal, "✗") || g_str_equal (normal, "✘") || g_str_equal (normal, "-"))
    {
      *answer = TESORO_CONSENT_ANSWER_WITHDRAWN;
      return TRUE;
    }

  if (strlen (normal) <= 64)
    {
      key = _tesoro_normalize_compact_fold (normal, FALSE);
      if (_tesoro_normalize_in_list (key, granted))
        {
          *answer = TESORO_CONSENT_ANSWER_GRANTED;
          return TRUE;
        }
      if (_tesoro_normalize_in_list (key, withdrawn))
        {
          *answer = TESORO_CONSENT_ANSWER_WITHDRAWN;
          return TRUE;
        }
    }

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("“%.60s” is not a consent answer: write yes or no (ja/nee, true/false, 1/0, granted/withdrawn)"),
               normal);
  return FALSE;
}

/**
 * tesoro_normalize_lawful_basis:
 * @text: a lawful basis as written in a file: one of Tesoro's names
 *   (`legitimate_interests`), its English or Dutch wording ("Legitimate
 *   interests", "Gerechtvaardigd belang", "Uitvoering overeenkomst") or the
 *   article (`6(1)(f)`)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): one of #tesoro_lawful_bases, or
 * %NULL with @error set
 */
char *
tesoro_normalize_lawful_basis (const char  *text,
                               GError     **error)
{
  static const struct
  {
    const char *basis;
    const char *keys;
  } bases[] = {
    { "consent", "consent|toestemming|61a|art61a" },
    { "contract", "contract|contractual|overeenkomst|uitvoeringovereenkomst|uitvoeringvaneenovereenkomst|uitvoeringvandeovereenkomst|performanceofacontract|61b|art61b" },
    { "legal_obligation", "legalobligation|legal|wettelijkeverplichting|wettelijk|wettelijkeplicht|61c|art61c" },
    { "vital_interests", "vitalinterests|vitalinterest|vitaalbelang|vitalebelangen|61d|art61d" },
    { "public_task", "publictask|algemeenbelang|taakvanalgemeenbelang|publiekrechtelijketaak|publieketaak|61e|art61e" },
    { "legitimate_interests", "legitimateinterests|legitimateinterest|gerechtvaardigdbelang|gerechtvaardigdebelangen|61f|art61f" },
  };
  g_autofree char *normal = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  normal = tesoro_normalize_space (text);
  if (*normal != '\0' && strlen (normal) <= 128)
    {
      key = _tesoro_normalize_compact_fold (normal, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
        {
          g_auto(GStrv) keys = g_strsplit (bases[i].keys, "|", -1);

          if (_tesoro_normalize_in_list (key, (const char * const *) keys))
            return g_strdup (bases[i].basis);
        }
    }

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("“%.60s” is not a lawful basis: write consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests"),
               normal);
  return NULL;
}

/* Addresses */

enum
{
  ADDRESS_NL_POSTAL_CITY,
  ADDRESS_POSTAL_CITY,
  ADDRESS_CITY_UK_POSTAL,
  ADDRESS_CITY_EIRCODE,
  ADDRESS_CITY_STATE_ZIP,
  ADDRESS_STATE_ZIP,
  ADDRESS_NL_ONE_LINE,
  N_ADDRESS_PATTERNS
};

static GRegex **
address_patterns (void)
{
  static const char * const patterns[N_ADDRESS_PATTERNS] = {
    /* 1234 AB Utrecht (the Netherlands) */
    [ADDRESS_NL_POSTAL_CITY] = "^([0-9]{4} ?[A-Za-z]{2})\\s+(\\D.*)$",
    /* 1000 Brussel, D-10115 Berlin, 75001 Paris, 1010 Wien, L-1111 Luxembourg */
    [ADDRESS_POSTAL_CITY] = "^((?:[A-Z]{1,2}-)?[0-9]{4,5})\\s+(\\D.*)$",
    /* London SW1A 2AA (United Kingdom) */
    [ADDRESS_CITY_UK_POSTAL] = "^(\\D.*?)\\s+([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$",
    /* Dublin D02 X285 (Ireland, Eircode) */
    [ADDRESS_CITY_EIRCODE] = "^(\\D.*?)\\s+([AC-FHKNPRTV-Y][0-9]{2}[0-9W]? ?[0-9AC-FHKNPRTV-Y]{4})$",
    /* Springfield IL 62704, Toronto ON M5V 3L9 */
    [ADDRESS_CITY_STATE_ZIP] = "^(\\D.*?)\\s+([A-Z]{2})\\s+([0-9]{5}(?:-[0-9]{4})?|[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9])$",
    /* IL 62704 (the city in the piece before) */
    [ADDRESS_STATE_ZIP] = "^([A-Z]{2})\\s+([0-9]{5}(?:-[0-9]{4})?)$",
    /* Dorpsstraat 1 1234 AB Utrecht, without commas */
    [ADDRESS_NL_ONE_LINE] = "^(.*\\d.*?)\\s+([0-9]{4} ?[A-Z]{2})\\s+(\\D.*)$",
  };
  static GRegex *compiled[N_ADDRESS_PATTERNS];
  static gsize initialized = 0;

  /* Compiled once: a million-row import calls this for every address. */
  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < N_ADDRESS_PATTERNS; i++)
        {
          compiled[i] = g_regex_new (patterns[i], G_REGEX_OPTIMIZE, G_REGEX_MATCH_DEFAULT, NULL);
          g_assert (compiled[i] != NULL);
        }
      g_once_init_leave (&initialized, 1);
    }

  return compiled;
}

static gboolean
match_postal_city (const char  *piece,
                   char       **postal_code,
                   char       **city,
                   char       **region)
{
  GRegex **patterns = address_patterns ();

  for (guint i = 0; i < ADDRESS_NL_ONE_LINE; i++)
    {
      g_autoptr(GMatchInfo) info = NULL;

      if (!g_regex_match (patterns[i], piece, G_REGEX_MATCH_DEFAULT, &info))
        continue;

      switch (i)
        {
        case ADDRESS_NL_POSTAL_CITY:
        case ADDRESS_POSTAL_CITY:
          *postal_code = g_match_info_fetch (info, 1);
          *city = g_match_info_fetch (info, 2);
          break;
        case ADDRESS_CITY_UK_POSTAL:
        case ADDRESS_CITY_EIRCODE:
          *city = g_match_info_fetch (info, 1);
          *postal_code = g_match_info_fetch (info, 2);
          break;
        case ADDRESS_CITY_STATE_ZIP:
          *city = g_match_info_fetch (info, 1);
          *region = g_match_info_fetch (info, 2);
          *postal_code = g_match_info_fetch (info, 3);
          break;
        case ADDRESS_STATE_ZIP:
        default:
          *region = g_match_info_fetch (info, 1);
          *postal_code = g_match_info_fetch (info, 2);
          break;
        }
      return TRUE;
    }

  return FALSE;
}

static char *
join_pieces (GPtrArray *pieces,
             guint      from,
             guint      to)
{
  GString *out = g_string_new (NULL);

  for (guint i = from; i < to && i < pieces->len; i++)
    {
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, pieces->pdata[i]);
    }

  return g_string_free (out, FALSE);
}

/**
 * tesoro_parse_address_line:
 * @text: a whole address in one cell: "Dorpsstraat 1, 1234 AB Utrecht",
 *   Google's multi-line "Formatted" address, "10 Downing Street, London
 *   SW1A 2AA, United Kingdom", "Rue de la Loi 16, 1000 Bruxelles, Belgique"
 *
 * Splits an address on its commas and line breaks and finds the piece with
 * the postal code and the city; what comes before is the street, what
 * comes after is the region, a known country at the end is the country (as
 * written). When no postal code is found, the whole address becomes the
 * street, so nothing is lost.
 *
 * Returns: (transfer full): the address, without a label
 */
TesoroAddress *
tesoro_parse_address_line (const char *text)
{
  TesoroAddress *address = tesoro_address_new ();
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) work = NULL;
  g_auto(GStrv) split = NULL;
  guint end;
  int found = -1;

  if (text == NULL || strlen (text) > TESORO_MAX_SHORT_TEXT)
    {
      address->street = tesoro_normalize_space (text);
      return address;
    }

  work = g_string_new (text);
  for (gsize i = 0; i < work->len; i++)
    if (work->str[i] == '\n' || work->str[i] == '\r')
      work->str[i] = ',';
  split = g_strsplit (work->str, ",", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      g_autofree char *piece = tesoro_normalize_space (split[i]);

      if (*piece != '\0')
        g_ptr_array_add (pieces, g_steal_pointer (&piece));
    }

  if (pieces->len == 0)
    return address;

  end = pieces->len;
  if (pieces->len > 1)
    {
      g_autofree char *iso = tesoro_normalize_country (pieces->pdata[pieces->len - 1]);

      if (iso != NULL)
        {
          address->country = g_strdup (pieces->pdata[pieces->len - 1]);
          end--;
        }
    }

  for (guint i = end; i > 0 && found < 0; i--)
    {
      g_autofree char *postal = NULL;
      g_autofree char *city = NULL;
      g_autofree char *region = NULL;

      if (!match_postal_city (pieces->pdata[i - 1], &postal, &city, &region))
        continue;
      if (i - 1 == 0 && end > 1)
        continue; /* "1234 AB Utrecht" is never the street line */

      found = i - 1;
      address->postal_code = g_steal_pointer (&postal);
      if (city == NULL && found > 0)
        {
          /* "Springfield, IL 62704": the city is the piece before. */
          city = g_strdup (pieces->pdata[found - 1]);
          g_ptr_array_remove_index (pieces, found - 1);
          found--;
          end--;
        }
      address->city = g_steal_pointer (&city);
      address->region = g_steal_pointer (&region);
    }

  if (found < 0 && end == 1)
    {
      /* "Dorpsstraat 1 1234 AB Utrecht": a Dutch address without commas. */
      g_autoptr(GMatchInfo) info = NULL;

      if (g_regex_match (address_patterns ()[ADDRESS_NL_ONE_LINE], pieces->pdata[0],
                         G_REGEX_MATCH_DEFAULT, &info))
        {
          address->street = g_match_info_fetch (info, 1);
          address->postal_code = g_match_info_fetch (info, 2);
          address->city = g_match_info_fetch (info, 3);
          return address;
        }
    }

  if (found < 0)
    {
      g_autofree char *all = join_pieces (pieces, 0, end);

      address->street = g_steal_pointer (&all);
      if (address->country != NULL && *address->street == '\0')
        g_clear_pointer (&address->street, g_free);
      return address;
    }

  address->street = join_pieces (pieces, 0, found);
  if ((guint) found + 1 < end)
    {
      g_autofree char *rest = join_pieces (pieces, found + 1, end);

      if (address->region == NULL)
        address->region = g_steal_pointer (&rest);
    }
  if (*address->street == '\0')
    g_clear_pointer (&address->street, g_free);

  return address;
}
