/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import-match"

#include "config.h"

#include "tesoro-import-match.h"

/*
 * Matching rows to contacts by e-mail address, in memory: a set of 64-bit
 * hashes of folded addresses, so that a million rows fit in a few tens of
 * MB. Most rows of a big import match nothing; the set answers them without
 * a query, and a hash that is found is checked against the database.
 */

struct _TesoroEmailSet
{
  GHashTable *hashes;
  gboolean    complete;
};

static gpointer
email_key (const char *email)
{
  g_autofree char *folded = g_utf8_casefold (email, -1);
  guint64 h = 14695981039346656037ULL;

  for (const guchar *p = (const guchar *) folded; *p != '\0'; p++)
    {
      h ^= *p;
      h *= 1099511628211ULL;
    }
  /* 0 is not a valid key of a GHashTable set with NULL values. */
  return GSIZE_TO_POINTER ((gsize) (h | 1));
}

/**
 * tesoro_email_set_new:
 * @complete: whether the set will hold every address there is (then an
 *   address it lacks is known to be new)
 */
TesoroEmailSet *
tesoro_email_set_new (gboolean complete)
{
  TesoroEmailSet *set = g_new0 (TesoroEmailSet, 1);

  set->hashes = g_hash_table_new (g_direct_hash, g_direct_equal);
  set->complete = complete;
  return set;
}

void
tesoro_email_set_free (TesoroEmailSet *set)
{
  if (set == NULL)
    return;
  g_hash_table_unref (set->hashes);
  g_free (set);
}

void
tesoro_email_set_add (TesoroEmailSet *set,
                      const char     *email)
{
  g_hash_table_add (set->hashes, email_key (email));
}

/**
 * tesoro_email_set_add_contact:
 *
 * Adds the contact's addresses.
 *
 * Returns: whether one of them was in the set already (a row of the file
 *   that repeats an earlier one)
 */
gboolean
tesoro_email_set_add_contact (TesoroEmailSet *set,
                              TesoroContact  *contact)
{
  GPtrArray *emails = tesoro_contact_get_emails (contact);
  gboolean duplicate = FALSE;

  for (guint i = 0; i < emails->len; i++)
    {
      gpointer key = email_key (((TesoroDetail *) emails->pdata[i])->value);

      if (g_hash_table_contains (set->hashes, key))
        duplicate = TRUE;
      else
        g_hash_table_add (set->hashes, key);
    }

  return duplicate;
}

/**
 * tesoro_email_set_may_know:
 *
 * Returns: whether one of the contact's addresses may belong to a contact
 *   of the set: %FALSE only when that is certain not to be so
 */
gboolean
tesoro_email_set_may_know (TesoroEmailSet *set,
                           TesoroContact  *contact)
{
  GPtrArray *emails = tesoro_contact_get_emails (contact);

  if (!set->complete)
    return TRUE;
  for (guint i = 0; i < emails->len; i++)
    if (g_hash_table_contains (set->hashes, email_key (((TesoroDetail *) emails->pdata[i])->value)))
      return TRUE;
  return FALSE;
}
