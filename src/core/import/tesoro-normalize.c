/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-normalize"

#include "config.h"

#include "tesoro-normalize.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-utils.h"

/* Values longer than this are not names, dates or phone numbers: refuse
 * them before doing any work on them. */
#define MAX_VALUE_BYTES 1024

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
static char *
compact_fold (const char *text,
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

static gboolean
str_in_list (const char         *needle,
             const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (needle, list[i]))
      return TRUE;
  return FALSE;
}

static gboolean
too_long (const char  *text,
          GError     **error)
{
  if (strlen (text) <= MAX_VALUE_BYTES)
    return FALSE;

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_TOO_LARGE,
               _("“%.40s…” is too long to be read as one value"), text);
  return TRUE;
}

/* Names */

/* Particles of family names, folded, with the apostrophe written '. Dutch
 * first ("van der Berg", "in 't Veld", "ter Horst"), then those of the
 * neighbouring languages and of names common in the Netherlands and
 * Belgium ("el Amrani", "da Silva", "von Trapp"). */
static const char * const name_particles[] = {
  "van", "de", "der", "den", "het", "'t", "te", "ter", "ten", "in", "op", "onder",
  "aan", "bij", "uit", "voor", "over", "tot", "van't", "vande", "vander", "vanden",
  "'s", "d'", "l'", "la", "le", "les", "du", "des", "da", "di", "del", "della",
  "dos", "das", "do", "von", "zu", "vom", "zum", "zur", "el", "al", "bin", "ibn",
  NULL
};

/* Titles before a name, folded, without dots. */
static const char * const name_titles[] = {
  "dr", "drs", "ir", "ing", "mr", "mrs", "ms", "miss", "mx", "prof", "dhr", "mevr",
  "mw", "mevrouw", "heer", "sir", "dame", "rev", "ds", "hr", "herr", "frau", "mme",
  "mlle", "mgr", "dipl", "bc", "lic",
  NULL
};

/* Suffixes after a name, folded, without dots. */
static const char * const name_suffixes[] = {
  "jr", "sr", "ii", "iii", "iv", "phd", "md", "msc", "bsc", "mba", "llm", "llb",
  "esq", "mphil", "dds", "cpa", "obe", "mbe", "cbe", "qc", "kc",
  NULL
};

/* Suffixes that are also ordinary words or names ("Ma", "Ra"): only when
 * written in capitals. */
static const char * const name_suffixes_upper[] = {
  "MA", "BA", "RA", "RC", "AA",
  NULL
};

static char *
fold_without_dots (const char *word)
{
  g_autofree char *folded = tesoro_fold (word);
  GString *out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p; p++)
    if (*p != '.')
      g_string_append_c (out, *p);

  return g_string_free (out, FALSE);
}

static char *
fold_particle (const char *word)
{
  g_autofree char *folded = tesoro_fold (word);
  GString *out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x2019 || c == 0x2018 || c == '`' || c == 0x00B4)
        c = '\'';
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * tesoro_is_name_particle:
 * @word: one word
 *
 * Returns: whether @word is a particle that belongs to a family name, such
 * as "van", "der", "'t", "ter" or "de" (in any case)
 */
gboolean
tesoro_is_name_particle (const char *word)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (word != NULL, FALSE);

  folded = fold_particle (word);
  return str_in_list (folded, name_particles);
}

/**
 * tesoro_is_name_particles:
 * @words: words separated by spaces
 *
 * Returns: whether @words has at least one word and all are name
 * particles ("van der", "in 't")
 */
gboolean
tesoro_is_name_particles (const char *words)
{
  g_autofree char *normal = NULL;
  g_auto(GStrv) split = NULL;

  g_return_val_if_fail (words != NULL, FALSE);

  normal = tesoro_normalize_space (words);
  if (*normal == '\0')
    return FALSE;

  split = g_strsplit (normal, " ", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (!tesoro_is_name_particle (split[i]))
      return FALSE;

  return TRUE;
}

static gboolean
is_title (const char *word)
{
  g_autofree char *folded = fold_without_dots (word);
  return str_in_list (folded, name_titles);
}

static gboolean
is_suffix (const char *word)
{
  g_autofree char *folded = fold_without_dots (word);
  g_autofree char *plain = NULL;
  GString *s;

  if (str_in_list (folded, name_suffixes))
    return TRUE;

  s = g_string_new (NULL);
  for (const char *p = word; *p; p++)
    if (*p != '.')
      g_string_append_c (s, *p);
  plain = g_string_free (s, FALSE);

  return str_in_list (plain, name_suffixes_upper);
}

/* "Broek-de" in "van den Broek-de Wit": a double family name whose second
 * part starts with a particle. */
static gboolean
ends_with_hyphen_particle (const char *word)
{
  const char *hyphen = strrchr (word, '-');

  return hyphen != NULL && hyphen != word && hyphen[1] != '\0' &&
         tesoro_is_name_particle (hyphen + 1);
}

/* Splits into words; "J.van" (initial glued to a particle) becomes "J."
 * and "van". */
static GPtrArray *
split_words (const char *text)
{
  g_autofree char *normal = tesoro_normalize_space (text);
  g_auto(GStrv) split = g_strsplit (normal, " ", -1);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; split[i] != NULL; i++)
    {
      const char *dot = strrchr (split[i], '.');

      if (*split[i] == '\0')
        continue;
      if (dot != NULL && dot != split[i] && dot[1] != '\0' && tesoro_is_name_particle (dot + 1))
        {
          g_ptr_array_add (words, g_strndup (split[i], dot + 1 - split[i]));
          g_ptr_array_add (words, g_strdup (dot + 1));
        }
      else
        g_ptr_array_add (words, g_strdup (split[i]));
    }

  return words;
}

static char *
join_words (GPtrArray *words,
            guint      from,
            guint      to)
{
  GString *out = g_string_new (NULL);

  for (guint i = from; i < to && i < words->len; i++)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words->pdata[i]);
    }

  return g_string_free (out, FALSE);
}

static void
append_part (char       **part,
             const char  *text,
             gboolean     at_front)
{
  char *joined;

  if (text == NULL || *text == '\0')
    return;
  if (*part == NULL || **part == '\0')
    joined = g_strdup (text);
  else if (at_front)
    joined = g_strconcat (text, " ", *part, NULL);
  else
    joined = g_strconcat (*part, " ", text, NULL);
  g_free (*part);
  *part = joined;
}

/* Moves leading titles of @words into @prefix; keeps at least @keep words. */
static void
take_titles (GPtrArray  *words,
             guint       keep,
             char      **prefix)
{
  while (words->len > keep)
    {
      const char *first = words->pdata[0];

      /* "de heer Jansen": "de" is a particle too, so check the pair first. */
      if (words->len > keep + 1 && tesoro_is_name_particle (first) &&
          g_ascii_strcasecmp (first, "de") == 0 && is_title (words->pdata[1]) &&
          g_ascii_strcasecmp (words->pdata[1], "heer") == 0)
        {
          g_autofree char *pair = join_words (words, 0, 2);

          append_part (prefix, pair, FALSE);
          g_ptr_array_remove_range (words, 0, 2);
          continue;
        }

      if (!is_title (first))
        break;
      append_part (prefix, first, FALSE);
      g_ptr_array_remove_index (words, 0);
    }
}

/* Moves trailing suffixes of @words into @suffix; keeps at least @keep words. */
static void
take_suffixes (GPtrArray  *words,
               guint       keep,
               char      **suffix)
{
  while (words->len > keep && is_suffix (words->pdata[words->len - 1]))
    {
      append_part (suffix, words->pdata[words->len - 1], TRUE);
      g_ptr_array_remove_index (words, words->len - 1);
    }
}

static gboolean
all_suffixes (const char *text)
{
  g_autoptr(GPtrArray) words = split_words (text);

  if (words->len == 0)
    return FALSE;
  for (guint i = 0; i < words->len; i++)
    if (!is_suffix (words->pdata[i]))
      return FALSE;
  return TRUE;
}

/* Given names that are also particles, so that "Van Morrison" and "Del
 * Shannon" keep a given name. */
static gboolean
particle_is_also_given_name (const char *word)
{
  static const char * const names[] = { "van", "del", "el", "al", "bin", "do", "da", "di", NULL };
  g_autofree char *folded = fold_particle (word);

  return str_in_list (folded, names);
}

static void
split_comma_form (TesoroNameParts *parts,
                  const char      *family_text,
                  const char      *given_text)
{
  g_autoptr(GPtrArray) family = split_words (family_text);
  g_autoptr(GPtrArray) given = split_words (given_text);
  g_autofree char *moved = NULL;
  g_autofree char *core = NULL;
  guint start;

  take_titles (given, 0, &parts->prefix);
  take_titles (family, 1, &parts->prefix);
  take_suffixes (family, 1, &parts->suffix);
  take_suffixes (given, 0, &parts->suffix);

  /* "Berg, Jan van der": the particles written after the given name. */
  start = given->len;
  while (start > 0 && tesoro_is_name_particle (given->pdata[start - 1]))
    start--;
  if (start == 0 && given->len > 0)
    start = 1; /* "Berg, Van": keep something as the given name */
  moved = join_words (given, start, given->len);

  /* "Berg van der, Jan": the particles written after the family name. */
  {
    guint end = family->len;
    g_autofree char *trailing = NULL;
    g_autofree char *rest = NULL;

    while (end > 1 && tesoro_is_name_particle (family->pdata[end - 1]))
      end--;
    trailing = join_words (family, end, family->len);
    rest = join_words (family, 0, end);
    core = tesoro_join_family_name (trailing, rest);
  }

  g_free (parts->family);
  parts->family = tesoro_join_family_name (moved, core);
  g_free (parts->given);
  parts->given = join_words (given, 0, start);
}

static void
split_plain_form (TesoroNameParts *parts,
                  const char      *text)
{
  g_autoptr(GPtrArray) words = split_words (text);
  gboolean had_title;
  guint start;

  take_titles (words, 1, &parts->prefix);
  had_title = parts->prefix != NULL;
  take_suffixes (words, 1, &parts->suffix);

  g_clear_pointer (&parts->given, g_free);
  g_clear_pointer (&parts->family, g_free);

  if (words->len == 0)
    {
      parts->given = g_strdup ("");
      parts->family = g_strdup ("");
      return;
    }

  if (words->len == 1)
    {
      /* "Jan" is a given name; "Dhr. Jansen" is a family name. */
      parts->given = g_strdup (had_title ? "" : words->pdata[0]);
      parts->family = g_strdup (had_title ? words->pdata[0] : "");
      return;
    }

  /* A name that starts with a particle is a family name alone: "van der
   * Berg", "Mevr. de Vries", "De Vries" — but "Van Morrison". */
  if (tesoro_is_name_particle (words->pdata[0]))
    {
      const char *first = words->pdata[0];
      gboolean lower = g_unichar_islower (g_utf8_get_char (first));

      if (had_title || lower ||
          (words->len >= 3 && tesoro_is_name_particle (words->pdata[1])) ||
          (words->len == 2 && !particle_is_also_given_name (first)))
        {
          parts->given = g_strdup ("");
          parts->family = join_words (words, 0, words->len);
          return;
        }
    }

  /* The family name starts at the first particle after the first word
   * ("Jan van der Berg", "Sophie van den Broek-de Wit") or at a double name
   * joined by a particle ("Piet Jansen-van der Berg"); without one, it is
   * the last word ("Mary Ann Smith": Mary Ann / Smith). */
  start = words->len - 1;
  for (guint i = 1; i + 1 < words->len; i++)
    {
      if (tesoro_is_name_particle (words->pdata[i]) || ends_with_hyphen_particle (words->pdata[i]))
        {
          start = i;
          break;
        }
    }

  parts->given = join_words (words, 0, start);
  parts->family = join_words (words, start, words->len);
}

/**
 * tesoro_split_name:
 * @full_name: a person's name as written in one field
 *
 * Splits a full name into given and family name.
 *
 * - The family name is the last word, together with the particles before
 *   it: "Jan van der Berg" is Jan / van der Berg, "Bart in 't Veld" is
 *   Bart / in 't Veld, "Sophie van den Broek-de Wit" is Sophie / van den
 *   Broek-de Wit. Everything before it is the given name: "Mary Ann Smith"
 *   is Mary Ann / Smith (a double English family name without a particle
 *   cannot be told from a middle name; Google Contacts and Outlook decide
 *   the same way).
 * - "Smith, John" and "Berg, Jan van der" (family name first, then a
 *   comma) are read as such: John / Smith, Jan / van der Berg.
 * - Titles before the name ("Dr.", "Prof. dr.", "Dhr.", "de heer", "Mevr.")
 *   and suffixes after it ("Jr.", "III", "MSc", "PhD") go into @prefix and
 *   @suffix, not into the name parts. "Dhr. Jansen" is a family name.
 * - One word alone is a given name; words that start with a lower-case
 *   particle are a family name alone ("van der Berg", "de Vries").
 *
 * Capitalisation is kept as written.
 *
 * Returns: (transfer full): the parts; free with tesoro_name_parts_free()
 */
TesoroNameParts *
tesoro_split_name (const char *full_name)
{
  TesoroNameParts *parts = g_new0 (TesoroNameParts, 1);
  g_autofree char *normal = tesoro_normalize_space (full_name);
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) split = NULL;

  parts->given = g_strdup ("");
  parts->family = g_strdup ("");

  if (*normal == '\0' || strlen (normal) > TESORO_MAX_SHORT_TEXT)
    {
      if (*normal != '\0')
        {
          g_free (parts->given);
          parts->given = g_steal_pointer (&normal);
        }
      return parts;
    }

  split = g_strsplit (normal, ",", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      g_autofree char *piece = tesoro_normalize_space (split[i]);

      if (*piece != '\0')
        g_ptr_array_add (pieces, g_steal_pointer (&piece));
    }

  /* "John Smith, Jr." and "Jan Jansen, MSc": a comma before suffixes. */
  while (pieces->len > 1 && all_suffixes (pieces->pdata[pieces->len - 1]))
    {
      append_part (&parts->suffix, pieces->pdata[pieces->len - 1], TRUE);
      g_ptr_array_remove_index (pieces, pieces->len - 1);
    }

  if (pieces->len >= 2)
    {
      g_autofree char *given = join_words (pieces, 1, pieces->len);
      split_comma_form (parts, pieces->pdata[0], given);
    }
  else if (pieces->len == 1)
    split_plain_form (parts, pieces->pdata[0]);

  return parts;
}

/**
 * tesoro_name_parts_free:
 * @parts: (nullable): parts from tesoro_split_name()
 */
void
tesoro_name_parts_free (TesoroNameParts *parts)
{
  if (parts == NULL)
    return;
  g_free (parts->given);
  g_free (parts->family);
  g_free (parts->prefix);
  g_free (parts->suffix);
  g_free (parts);
}

/**
 * tesoro_join_family_name:
 * @particles: (nullable): a Dutch "tussenvoegsel" such as "van der"
 * @family_name: (nullable): the family name without it, such as "Berg"
 *
 * Returns: (transfer full): "van der Berg"; when @family_name already
 * starts with @particles it is returned as is
 */
char *
tesoro_join_family_name (const char *particles,
                         const char *family_name)
{
  g_autofree char *p = tesoro_normalize_space (particles);
  g_autofree char *f = tesoro_normalize_space (family_name);
  g_autofree char *pf = NULL;
  g_autofree char *ff = NULL;
  gsize plen;

  if (*p == '\0')
    return g_steal_pointer (&f);
  if (*f == '\0')
    return g_steal_pointer (&p);

  pf = fold_particle (p);
  ff = fold_particle (f);
  plen = strlen (pf);
  if (g_str_has_prefix (ff, pf) && ff[plen] == ' ')
    return g_steal_pointer (&f);

  return g_strconcat (p, " ", f, NULL);
}

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
  if (too_long (normal, error))
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
  if (too_long (normal, error))
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

  key = compact_fold (text, FALSE);
  if (*key == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (country_names); i++)
    {
      g_auto(GStrv) names = g_strsplit (country_names[i].names, "|", -1);

      if (str_in_list (key, (const char * const *) names))
        return g_strdup (country_names[i].iso);
    }

  return NULL;
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
  if (too_long (normal, error))
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

  key = compact_fold (text, FALSE);
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
      key = compact_fold (normal, FALSE);
      if (str_in_list (key, granted))
        {
          *answer = TESORO_CONSENT_ANSWER_GRANTED;
          return TRUE;
        }
      if (str_in_list (key, withdrawn))
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
      key = compact_fold (normal, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
        {
          g_auto(GStrv) keys = g_strsplit (bases[i].keys, "|", -1);

          if (str_in_list (key, (const char * const *) keys))
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
