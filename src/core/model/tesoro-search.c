/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-search"

#include "config.h"

#include <string.h>

#include "tesoro-search.h"
#include "tesoro-utils.h"

/* Country calling codes whose numbers are also written nationally with a
 * leading 0, so that "06 12" finds "+31 6 12…". */
static const char * const trunk_zero_codes[] = {
  "31", "32", "33", "39", "41", "43", "44", "46", "47", "48", "49", "30",
  "351", "352", "353", "358", "420", "421", "36", "40", "359", "385", "386",
  NULL
};

static void
add_token (GHashTable *tokens,
           guint       group,
           const char *token,
           gssize      len)
{
  const char *end;

  if (len < 0)
    len = strlen (token);
  if (len == 0)
    return;

  if (len > TESORO_MAX_TOKEN)
    {
      /* Cut at a character boundary. */
      end = g_utf8_find_prev_char (token, token + TESORO_MAX_TOKEN + 1);
      len = end != NULL ? end - token : TESORO_MAX_TOKEN;
    }

  {
    g_autofree char *key = g_strndup (token, len);
    gpointer groups;

    /* A token of several fields carries all their groups. */
    if (g_hash_table_lookup_extended (tokens, key, NULL, &groups))
      g_hash_table_insert (tokens, g_steal_pointer (&key), GUINT_TO_POINTER (GPOINTER_TO_UINT (groups) | group));
    else
      g_hash_table_insert (tokens, g_steal_pointer (&key), GUINT_TO_POINTER (group));
  }
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c);
}

/* Adds each run of letters and digits, and, when a whitespace-separated word
 * has punctuation inside ("jean-pierre", "o'brien"), the whole word too. */
static void
add_words (GHashTable *tokens,
           guint       group,
           const char *folded)
{
  const char *p = folded;

  while (*p)
    {
      const char *word_start;
      const char *word_end;
      gboolean has_inner_punct = FALSE;
      const char *run_start = NULL;

      while (*p && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      word_start = p;
      while (*p && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      word_end = p;

      for (const char *q = word_start; q <= word_end; q = (q < word_end ? g_utf8_next_char (q) : q + 1))
        {
          gboolean word = q < word_end && is_word_char (g_utf8_get_char (q));

          if (word && run_start == NULL)
            run_start = q;
          else if (!word && run_start != NULL)
            {
              add_token (tokens, group, run_start, q - run_start);
              if (q < word_end)
                has_inner_punct = TRUE;
              run_start = NULL;
            }
          else if (!word && q < word_end && q > word_start)
            has_inner_punct = TRUE;
        }

      if (has_inner_punct)
        {
          /* Trim punctuation at both ends of the whole word. */
          const char *s = word_start;
          const char *e = word_end;

          while (s < e && !is_word_char (g_utf8_get_char (s)))
            s = g_utf8_next_char (s);
          while (e > s && !is_word_char (g_utf8_get_char (g_utf8_prev_char (e))))
            e = g_utf8_prev_char (e);
          if (e > s)
            add_token (tokens, group, s, e - s);
        }
    }
}

static char *
digits_of (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  return g_string_free (digits, FALSE);
}

static void
add_phone (GHashTable *tokens,
           guint       group,
           const char *text)
{
  g_autofree char *digits = digits_of (text);
  const char *p = text;

  if (*digits == '\0')
    return;

  while (*p == ' ')
    p++;

  add_token (tokens, group, digits, -1);

  /* "+31 6 1234…" or "0031 6 1234…": also index the national form "06 1234…". */
  if (*p == '+' || g_str_has_prefix (digits, "00"))
    {
      const char *intl = *p == '+' ? digits : digits + 2;

      if (*p != '+')
        add_token (tokens, group, intl, -1);

      for (guint i = 0; trunk_zero_codes[i] != NULL; i++)
        {
          if (g_str_has_prefix (intl, trunk_zero_codes[i]))
            {
              g_autofree char *national = g_strconcat ("0", intl + strlen (trunk_zero_codes[i]), NULL);
              add_token (tokens, group, national, -1);
              break;
            }
        }
    }
}

/**
 * tesoro_search_add_tokens:
 * @tokens: a #GHashTable of token strings to the #TesoroFieldGroups they
 *   come from (as GUINT_TO_POINTER()), to add to
 * @text: (nullable): the field's text
 * @kind: how @text is split into tokens
 * @group: the field group @text belongs to
 *
 * Adds the search tokens of @text to @tokens, each marked with @group (a
 * token already there gains @group), so that a search can leave out the
 * fields hidden from its reader.
 */
void
tesoro_search_add_tokens (GHashTable        *tokens,
                          const char        *text,
                          TesoroTokenKind    kind,
                          TesoroFieldGroups  group)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (tokens != NULL);

  if (text == NULL || *text == '\0')
    return;

  if (kind == TESORO_TOKEN_PHONE)
    {
      add_phone (tokens, group, text);
      return;
    }

  folded = tesoro_fold (text);

  if (kind == TESORO_TOKEN_EMAIL)
    {
      const char *at;

      g_strstrip (folded);
      add_token (tokens, group, folded, -1);
      /* The domain as a whole, so that "example.nl" or "bakker-mail" finds
       * everyone at that organisation. */
      at = strrchr (folded, '@');
      if (at != NULL)
        add_token (tokens, group, at + 1, -1);
    }

  add_words (tokens, group, folded);
}

static gboolean
looks_like_phone (const char *query)
{
  gboolean digit = FALSE;

  for (const char *p = query; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (strchr (" +-()./", *p) == NULL)
        return FALSE;
    }

  return digit;
}

/**
 * tesoro_search_parse_query:
 * @query: what the user typed
 *
 * Splits @query into the folded prefixes that must all match. A query of
 * digits and phone punctuation is one prefix of digits, so "06 12" and
 * "+31 6 12" both find "+31 6 12345678".
 *
 * Returns: (transfer full) (element-type utf8): the prefixes, possibly none
 */
GPtrArray *
tesoro_search_parse_query (const char *query)
{
  GPtrArray *prefixes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  if (query == NULL)
    return prefixes;

  valid = g_utf8_make_valid (query, -1);
  g_strstrip (valid);
  if (*valid == '\0')
    return prefixes;

  if (looks_like_phone (valid))
    {
      g_autofree char *digits = digits_of (valid);
      const char *start = digits;

      if (g_str_has_prefix (valid, "00"))
        start += 2;
      if (*start != '\0')
        g_ptr_array_add (prefixes, g_strndup (start, TESORO_MAX_TOKEN));
      return prefixes;
    }

  folded = tesoro_fold (valid);
  words = g_strsplit_set (folded, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      char *s = words[i];
      char *e;
      gboolean duplicate = FALSE;

      while (*s && !is_word_char (g_utf8_get_char (s)))
        s = g_utf8_next_char (s);
      e = s + strlen (s);
      /* Trailing punctuation is kept only if the word has a letter after
       * punctuation already ("sophie@", no; "sophie@ex", yes). */
      while (e > s && !is_word_char (g_utf8_get_char (g_utf8_prev_char (e))))
        e = g_utf8_prev_char (e);
      if (e == s)
        continue;
      *e = '\0';

      if (strlen (s) > TESORO_MAX_TOKEN)
        {
          const char *cut = g_utf8_find_prev_char (s, s + TESORO_MAX_TOKEN + 1);
          s[cut - s] = '\0';
        }

      for (guint j = 0; j < prefixes->len; j++)
        if (g_str_equal (prefixes->pdata[j], s))
          duplicate = TRUE;
      if (!duplicate)
        g_ptr_array_add (prefixes, g_strdup (s));
    }

  return prefixes;
}

/**
 * tesoro_search_prefix_end:
 * @prefix: a non-empty folded prefix
 *
 * Returns: (transfer full): the smallest string greater than every string
 * that starts with @prefix, for a `token >= prefix AND token < end` range scan.
 */
char *
tesoro_search_prefix_end (const char *prefix)
{
  gsize len = strlen (prefix);
  char *end = g_strndup (prefix, len);

  /* Bytes compare as unsigned in SQLite's BINARY collation: increment the last
   * byte that is not 0xff and cut there. */
  while (len > 0)
    {
      if ((guchar) end[len - 1] != 0xff)
        {
          end[len - 1] = (char) ((guchar) end[len - 1] + 1);
          end[len] = '\0';
          return end;
        }
      len--;
    }

  g_free (end);
  return g_strdup ("\xff\xff\xff\xff");
}
