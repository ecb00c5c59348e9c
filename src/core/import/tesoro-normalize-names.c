/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-normalize"

#include "config.h"

#include "tesoro-normalize-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-utils.h"

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
  return _tesoro_normalize_in_list (folded, name_particles);
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
  return _tesoro_normalize_in_list (folded, name_titles);
}

static gboolean
is_suffix (const char *word)
{
  g_autofree char *folded = fold_without_dots (word);
  g_autofree char *plain = NULL;
  GString *s;

  if (_tesoro_normalize_in_list (folded, name_suffixes))
    return TRUE;

  s = g_string_new (NULL);
  for (const char *p = word; *p; p++)
    if (*p != '.')
      g_string_append_c (s, *p);
  plain = g_string_free (s, FALSE);

  return _tesoro_normalize_in_list (plain, name_suffixes_upper);
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

  return _tesoro_normalize_in_list (folded, names);
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
