/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-contact-list"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tesoro-contact-list.h"
#include "tesoro-search.h"

/*
 * The contact list as a lazy GListModel: it holds the ids of the visible
 * contacts in display order (8 bytes each) and loads the few rows on screen
 * in pages, never one object per contact for the whole table.
 *
 * For the contacts view it also holds every contact's rank in name order.
 * A search is then one range scan of the search index per word, marking the
 * ranks of the matches in a bitset; reading the bitset in order gives the
 * matches already sorted, with no sort and no join in SQL.
 *
 * Changes to single contacts are applied in place and announced with exact
 * items-changed signals (one for an insert or a removal, two for a move).
 */

#define PAGE_SIZE 64
#define CACHE_LIMIT 4096
#define SPLIT_REPLACEMENT (4 * PAGE_SIZE)   /* see replace_ids() */
#define KEPT_MATCHES 8                      /* see compute_ids() */
#define SCAN_INITIALS_FROM 10000            /* contacts; see start_scanning_initials() */
#define RELEASE_DELAY_MS 1000               /* see release_memory_later() */
#define SCAN_DELAY_MS 500                   /* see start_scanning_initials() */
#define NO_POSITION G_MAXUINT

struct _TesoroContactList
{
  GObject      parent_instance;

  TesoroSession *session;
  gulong       changed_handler;
  gboolean     trash;
  char        *query;
  GPtrArray   *prefixes;    /* folded search prefixes, possibly empty */

  GArray      *all_ids;     /* gint64: every listed contact in name order (not in trash mode) */
  GArray      *rank_of;     /* guint32 indexed by id: rank + 1, or 0 when not listed */
  GArray      *ids;         /* gint64: the visible contacts, in order */

  GHashTable  *cache;       /* id → TesoroContact (summary) */
  GQueue       matches;     /* PrefixMatches of recent prefixes, newest first */
  GPtrArray   *initials;    /* PrefixMatches of every one-character prefix, or NULL */
  guint        scan_source; /* starts the scan for initials */
  GCancellable *scanning;   /* the scan for initials, while it runs */
  GHashTable  *changed;     /* ids of contacts changed meanwhile */
  guint        release_source;
};

static void tesoro_contact_list_model_init (GListModelInterface *iface);
static void forget_matches                 (TesoroContactList   *self);
static void start_scanning_initials        (TesoroContactList   *self);
static void update_matches                 (TesoroContactList   *self,
                                            gint64               id);

G_DEFINE_FINAL_TYPE_WITH_CODE (TesoroContactList, tesoro_contact_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, tesoro_contact_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_TRASH,
  PROP_QUERY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REPLACING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static inline gint64
id_at (GArray *array,
       guint   position)
{
  return g_array_index (array, gint64, position);
}

static guint32
rank_of (TesoroContactList *self,
         gint64             id)
{
  if (id <= 0 || (guint64) id >= self->rank_of->len)
    return 0;
  return g_array_index (self->rank_of, guint32, id);
}

static void
rebuild_ranks (TesoroContactList *self,
               guint              from)
{
  gint64 max_id = 0;

  /* Only the entries from @from on can be new: the rank array already
   * covers the ids before. */
  for (guint i = from; i < self->all_ids->len; i++)
    max_id = MAX (max_id, id_at (self->all_ids, i));

  if ((guint64) max_id + 1 > self->rank_of->len)
    {
      guint old_len = self->rank_of->len;

      g_array_set_size (self->rank_of, max_id + 1 + max_id / 8);
      memset (&g_array_index (self->rank_of, guint32, old_len), 0,
              (self->rank_of->len - old_len) * sizeof (guint32));
    }

  for (guint i = from; i < self->all_ids->len; i++)
    g_array_index (self->rank_of, guint32, id_at (self->all_ids, i)) = i + 1;
}

static void
load_all (TesoroContactList *self)
{
  g_autoptr(GError) error = NULL;
  GArray *ids;

  g_clear_pointer (&self->all_ids, g_array_unref);
  g_array_set_size (self->rank_of, 0);
  forget_matches (self);

  if (self->trash)
    return;

  ids = tesoro_session_list_ids (self->session, FALSE, &error);
  if (ids == NULL)
    {
      g_warning ("Cannot list contacts: %s", error->message);
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  self->all_ids = ids;
  rebuild_ranks (self, 0);
  start_scanning_initials (self);
}

/* Searching
 *
 * Each prefix is one range scan of the search index, which marks the
 * matching contacts in a bitset indexed by contact id. Ids are small
 * integers, so the bitset is small (140 kB for a million contacts) and stays
 * in the processor's cache while the scan marks it at random, which the rank
 * array, 32 times larger, would not. The bitsets of the last few prefixes
 * are kept: as a user types and deletes, the same prefixes come back ("s",
 * "so", "s").
 *
 * A search starts with one character, whose scan is the longest (at a million
 * contacts a sixth of the index, 50 to 300 ms). So in a large list a worker
 * thread, on its own connection, scans every one-character prefix of digits
 * and letters once the list is loaded, and those bitsets are kept too. A
 * change to a contact updates the kept bitsets for that contact.
 *
 * The matches of all prefixes are then read in display order: many by
 * walking all_ids, a few by sorting their ranks. */

typedef struct
{
  char    *prefix;
  guint32 *bits;        /* indexed by contact id, n_words long */
  guint    n_words;
} PrefixMatches;

static void
prefix_matches_free (PrefixMatches *matches)
{
  g_free (matches->prefix);
  g_free (matches->bits);
  g_free (matches);
}

static PrefixMatches *
prefix_matches_new (const char *prefix,
                    guint       n_words)
{
  PrefixMatches *matches = g_new0 (PrefixMatches, 1);

  matches->prefix = g_strdup (prefix);
  matches->bits = g_new0 (guint32, n_words);
  matches->n_words = n_words;
  return matches;
}

static void
forget_matches (TesoroContactList *self)
{
  g_queue_clear_full (&self->matches, (GDestroyNotify) prefix_matches_free);
  g_clear_pointer (&self->initials, g_ptr_array_unref);
  g_clear_handle_id (&self->scan_source, g_source_remove);
  if (self->scanning != NULL)
    g_cancellable_cancel (self->scanning);
  g_clear_object (&self->scanning);
  g_hash_table_remove_all (self->changed);
}

typedef struct
{
  guint32 *bits;
  guint    n_words;
} MarkData;

static void
mark_match (gint64   id,
            gpointer user_data)
{
  MarkData *data = user_data;

  /* Ids beyond the rank array are not listed (in the trash, say). */
  if (id > 0 && (guint64) id < (guint64) data->n_words * 32)
    data->bits[id / 32] |= 1u << (id % 32);
}

/* The contacts matching @prefix, from the kept ones or from the index. */
static const guint32 *
lookup_matches (TesoroContactList *self,
                const char        *prefix,
                guint              n_words)
{
  g_autoptr(GError) error = NULL;
  PrefixMatches *matches;
  MarkData data;

  for (guint i = 0; self->initials != NULL && i < self->initials->len; i++)
    {
      matches = self->initials->pdata[i];
      if (g_str_equal (matches->prefix, prefix) && matches->n_words == n_words)
        return matches->bits;
    }

  for (GList *l = self->matches.head; l != NULL; l = l->next)
    {
      matches = l->data;
      if (g_str_equal (matches->prefix, prefix) && matches->n_words == n_words)
        {
          g_queue_unlink (&self->matches, l);
          g_queue_push_head_link (&self->matches, l);
          return matches->bits;
        }
    }

  matches = prefix_matches_new (prefix, n_words);
  data.bits = matches->bits;
  data.n_words = n_words;
  if (!tesoro_session_foreach_match (self->session, prefix, mark_match, &data, &error))
    g_warning ("Cannot search: %s", error->message);

  g_queue_push_head (&self->matches, matches);
  while (self->matches.length > KEPT_MATCHES)
    prefix_matches_free (g_queue_pop_tail (&self->matches));

  return matches->bits;
}

static void
update_bit (TesoroContactList *self,
            PrefixMatches     *matches,
            gint64             id,
            GPtrArray         *one)
{
  guint32 bit;

  if (id <= 0 || (guint64) id >= (guint64) matches->n_words * 32)
    return;

  bit = 1u << (id % 32);
  g_ptr_array_index (one, 0) = matches->prefix;
  if (tesoro_session_contact_matches (self->session, id, one, NULL))
    matches->bits[id / 32] |= bit;
  else
    matches->bits[id / 32] &= ~bit;
}

/* Contact @id changed: its bits follow. */
static void
update_matches (TesoroContactList *self,
                gint64             id)
{
  g_autoptr(GPtrArray) one = g_ptr_array_sized_new (1);

  g_ptr_array_add (one, NULL);
  for (GList *l = self->matches.head; l != NULL; l = l->next)
    update_bit (self, l->data, id, one);
  for (guint i = 0; self->initials != NULL && i < self->initials->len; i++)
    update_bit (self, self->initials->pdata[i], id, one);

  /* The scan may have read the contact before it changed. */
  if (self->scanning != NULL)
    g_hash_table_add (self->changed, g_memdup2 (&id, sizeof id));
}

static const char initials[] = "0123456789abcdefghijklmnopqrstuvwxyz";

typedef struct
{
  TesoroSession *session;   /* the worker's own, as the list's user */
  guint      n_words;
  GPtrArray *initials;   /* PrefixMatches */
  GWeakRef   list;
} ScanData;

static void
scan_data_free (ScanData *data)
{
  g_clear_object (&data->session);
  g_clear_pointer (&data->initials, g_ptr_array_unref);
  g_weak_ref_clear (&data->list);
  g_free (data);
}

static void
scan_initials_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ScanData *data = task_data;
  TesoroSession *session = data->session;
  GError *error = NULL;

  for (const char *c = initials; *c != '\0'; c++)
    {
      char prefix[2] = { *c, '\0' };
      PrefixMatches *matches = prefix_matches_new (prefix, data->n_words);
      MarkData mark = { matches->bits, data->n_words };

      g_ptr_array_add (data->initials, matches);
      if (g_task_return_error_if_cancelled (task))
        return;
      if (!tesoro_session_foreach_match (session, prefix, mark_match, &mark, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
initials_scanned_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ScanData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(TesoroContactList) self = g_weak_ref_get (&data->list);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer id;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot prepare the search: %s", error->message);
      return;
    }

  /* A reload or a bigger id space since the scan started wants another. */
  if (self == NULL || self->scanning != g_task_get_cancellable (G_TASK (result)))
    return;

  g_clear_object (&self->scanning);
  self->initials = g_steal_pointer (&data->initials);
  g_hash_table_iter_init (&iter, self->changed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    update_matches (self, *(gint64 *) id);
  g_hash_table_remove_all (self->changed);
}

static gboolean
scan_initials_cb (gpointer user_data)
{
  TesoroContactList *self = user_data;
  g_autoptr(GTask) task = NULL;
  ScanData *data;

  g_autoptr(GError) error = NULL;
  TesoroSession *session;

  self->scan_source = 0;

  /* The search of the worker sees what the list's user may see. */
  session = tesoro_session_open_another (self->session, TRUE, &error);
  if (session == NULL)
    {
      g_debug ("Cannot prepare the search: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  self->scanning = g_cancellable_new ();

  data = g_new0 (ScanData, 1);
  data->session = session;
  data->n_words = MAX ((self->rank_of->len + 31) / 32, 1);
  data->initials = g_ptr_array_new_with_free_func ((GDestroyNotify) prefix_matches_free);
  g_weak_ref_init (&data->list, self);

  task = g_task_new (NULL, self->scanning, initials_scanned_cb, NULL);
  g_task_set_source_tag (task, scan_initials_cb);
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);
  g_task_run_in_thread (task, scan_initials_thread);

  return G_SOURCE_REMOVE;
}

/* In a large list, scans the search index for every one-character prefix in
 * a worker thread (see "Searching" above) — a little later, so that the
 * scan does not compete with showing the window for the processor. */
static void
start_scanning_initials (TesoroContactList *self)
{
  if (self->trash || self->all_ids->len < SCAN_INITIALS_FROM)
    return;

  forget_matches (self);
  self->scan_source = g_timeout_add (SCAN_DELAY_MS, scan_initials_cb, self);
}

static int
compare_ranks (gconstpointer a,
               gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* The visible ids for the current query, in display order. */
static GArray *
compute_ids (TesoroContactList *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint32 *bits = NULL;
  guint n_words, n_matches = 0;
  GArray *ids;

  if (self->trash)
    {
      ids = tesoro_session_search_ids (self->session, self->query, TRUE, &error);
      if (ids == NULL)
        {
          g_warning ("Cannot list the trash: %s", error->message);
          ids = g_array_new (FALSE, FALSE, sizeof (gint64));
        }
      return ids;
    }

  if (self->prefixes->len == 0)
    {
      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->all_ids->len);
      g_array_append_vals (ids, self->all_ids->data, self->all_ids->len);
      return ids;
    }

  /* Every listed id is below the length of the rank array. */
  n_words = MAX ((self->rank_of->len + 31) / 32, 1);
  bits = g_memdup2 (lookup_matches (self, self->prefixes->pdata[0], n_words), n_words * sizeof (guint32));
  for (guint p = 1; p < self->prefixes->len; p++)
    {
      const guint32 *word_bits = lookup_matches (self, self->prefixes->pdata[p], n_words);

      for (guint w = 0; w < n_words; w++)
        bits[w] &= word_bits[w];
    }
  for (guint w = 0; w < n_words; w++)
    n_matches += __builtin_popcount (bits[w]);

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_matches);
  if (n_matches > self->all_ids->len / 32)
    {
      for (guint i = 0; i < self->all_ids->len; i++)
        {
          gint64 id = id_at (self->all_ids, i);

          if (bits[id / 32] & (1u << (id % 32)))
            g_array_append_val (ids, id);
        }
    }
  else
    {
      g_autoptr(GArray) ranks = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_matches);

      for (guint w = 0; w < n_words; w++)
        for (guint32 word = bits[w]; word != 0; word &= word - 1)
          {
            guint32 rank = rank_of (self, (gint64) w * 32 + __builtin_ctz (word));

            if (rank > 0)
              g_array_append_val (ranks, rank);
          }
      g_array_sort (ranks, compare_ranks);
      for (guint i = 0; i < ranks->len; i++)
        g_array_append_val (ids, g_array_index (self->all_ids, gint64, g_array_index (ranks, guint32, i) - 1));
    }

  return ids;
}

/* A search of a large list frees arrays of megabytes. glibc then keeps
 * blocks of that size in its heap (its threshold for giving memory back to
 * the system grows to the largest block freed), and the resident memory
 * would creep up with every search: return it once the user pauses, as doing
 * it at every keystroke costs a few milliseconds each time. */
static gboolean
release_memory_cb (gpointer user_data)
{
  TesoroContactList *self = user_data;

  self->release_source = 0;
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
release_memory_later (TesoroContactList *self,
                      gsize              freed)
{
  if (freed < 1024 * 1024)
    return;

  g_clear_handle_id (&self->release_source, g_source_remove);
  self->release_source = g_timeout_add (RELEASE_DELAY_MS, release_memory_cb, self);
}

/* Replaces the visible ids, announcing the one changed range.
 *
 * GTK 4.8's list view is the main reader, and two of its habits decide how a
 * large change is announced:
 *
 * - When one signal removes a row that it or the selection follows (the
 *   focused or selected row, the row the scroll position is anchored to) and
 *   adds others, it looks for that row among the added ones by calling
 *   get_item() on every added position: for a search over a million
 *   contacts, a million loads, seconds per keystroke. So when more than a few
 *   pages are removed or added in one change, the new items are inserted
 *   before the old ones first and the old ones removed after: neither signal
 *   makes it search, and when the old ones go the list already holds the new
 *   ones, so that a view looking for its selected contact finds it.
 *
 * - It keeps about 200 row widgets around the rows on screen. The widgets of
 *   removed rows are destroyed and rows that come into that range get new
 *   ones, but when the view scrolls, the rows that leave the range give their
 *   widgets to those that enter it. So before old rows go (and after new rows
 *   come), ::replacing tells the view where the rows it should show now are:
 *   scrolling there turns two hundred destroyed and created widgets into two
 *   hundred rebound ones. (A small change that both removes and adds is one
 *   signal and has no ::replacing; it costs GTK little.) */
static void
replace_ids (TesoroContactList *self,
             GArray            *new_ids)
{
  GArray *old_ids = self->ids;
  guint old_n = old_ids->len;
  guint new_n = new_ids->len;
  guint prefix = 0, suffix = 0;
  guint removed, added;
  gsize freed;

  while (prefix < old_n && prefix < new_n && id_at (old_ids, prefix) == id_at (new_ids, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         id_at (old_ids, old_n - 1 - suffix) == id_at (new_ids, new_n - 1 - suffix))
    suffix++;
  removed = old_n - prefix - suffix;
  added = new_n - prefix - suffix;

  /* A large change that starts among the rows a view keeps at the top is
   * announced from the top, so that the view can move onto the new rows as
   * a whole (see ::replacing). */
  if ((removed > SPLIT_REPLACEMENT || added > SPLIT_REPLACEMENT) && prefix > 0 && prefix <= SPLIT_REPLACEMENT)
    {
      removed += prefix;
      added += prefix;
      prefix = 0;
    }

  if (removed > 0 && added > 0 && (added > SPLIT_REPLACEMENT || removed > SPLIT_REPLACEMENT))
    {
      /* In between, the list holds the new items followed by the old. */
      GArray *both = g_array_sized_new (FALSE, FALSE, sizeof (gint64), old_n + added);

      g_array_append_vals (both, new_ids->data, prefix + added);
      g_array_append_vals (both, &g_array_index (old_ids, gint64, prefix), removed + suffix);
      self->ids = both;
      g_array_unref (old_ids);
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, 0, added);
      g_signal_emit (self, signals[REPLACING], 0, prefix, added, removed);
      old_ids = both;
      prefix += added;
      added = 0;
    }
  else if (added == 0 && removed > 0)
    g_signal_emit (self, signals[REPLACING], 0, prefix, 0, removed);

  self->ids = new_ids;
  freed = old_ids->len * sizeof (gint64);
  g_array_unref (old_ids);

  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
  if (removed == 0 && added > 0)
    g_signal_emit (self, signals[REPLACING], 0, prefix, added, 0);
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  release_memory_later (self, freed);
}

/* Position of @id in the visible list, or NO_POSITION. */
static guint
find_position (TesoroContactList *self,
               gint64             id)
{
  guint32 rank;
  guint lo = 0, hi;

  if (self->trash)
    {
      for (guint i = 0; i < self->ids->len; i++)
        if (id_at (self->ids, i) == id)
          return i;
      return NO_POSITION;
    }

  rank = rank_of (self, id);
  if (rank == 0)
    return NO_POSITION;

  /* The visible ids are in rank order. */
  hi = self->ids->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      guint32 r = rank_of (self, id_at (self->ids, mid));

      if (r < rank)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo < self->ids->len && id_at (self->ids, lo) == id ? lo : NO_POSITION;
}

static int
compare_keys (const char *key_a,
              gint64      id_a,
              const char *key_b,
              gint64      id_b)
{
  /* The order of SQLite's BINARY collation, as in ORDER BY sort_key, id. */
  int c = strcmp (key_a, key_b);

  if (c != 0)
    return c;
  return id_a < id_b ? -1 : id_a > id_b;
}

/* Where a contact with @key belongs in all_ids, found with a few lookups. */
static guint
insertion_rank (TesoroContactList *self,
                gint64             id,
                const char        *key)
{
  guint lo = 0, hi = self->all_ids->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      gint64 mid_id = id_at (self->all_ids, mid);
      g_autofree char *mid_key = tesoro_session_get_sort_key (self->session, mid_id, NULL, NULL);

      if (mid_key == NULL || compare_keys (mid_key, mid_id, key, id) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
apply_change (TesoroContactList *self,
              gint64             id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gboolean trashed = FALSE;
  gboolean listed;
  guint old_position, new_position = NO_POSITION;
  guint32 old_rank;

  guint rank_of_len = self->rank_of->len;

  g_hash_table_remove (self->cache, &id);

  if (self->trash)
    {
      replace_ids (self, compute_ids (self));
      return;
    }

  old_position = find_position (self, id);
  old_rank = rank_of (self, id);

  key = tesoro_session_get_sort_key (self->session, id, &trashed, &error);
  listed = key != NULL && !trashed;

  /* Keep every contact's rank in step. */
  if (old_rank > 0)
    {
      g_array_remove_index (self->all_ids, old_rank - 1);
      g_array_index (self->rank_of, guint32, id) = 0;
    }
  if (listed)
    {
      guint rank = insertion_rank (self, id, key);

      g_array_insert_val (self->all_ids, rank, id);
      rebuild_ranks (self, MIN (rank, old_rank > 0 ? old_rank - 1 : rank));
    }
  else if (old_rank > 0)
    rebuild_ranks (self, old_rank - 1);

  /* The kept matches follow; a bigger id space means bigger bitsets. */
  if (self->rank_of->len == rank_of_len)
    update_matches (self, id);
  else
    {
      forget_matches (self);
      start_scanning_initials (self);
    }

  if (old_position != NO_POSITION)
    g_array_remove_index (self->ids, old_position);

  if (listed && (self->prefixes->len == 0 ||
                 tesoro_session_contact_matches (self->session, id, self->prefixes, NULL)))
    {
      guint32 rank = rank_of (self, id);
      guint lo = 0, hi = self->ids->len;

      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (rank_of (self, id_at (self->ids, mid)) < rank)
            lo = mid + 1;
          else
            hi = mid;
        }
      new_position = lo;
    }

  /* A handler of items-changed may read the model: each signal is emitted
   * when the model is in the state it announces, so a move is a removal
   * announced before the insertion is made. */
  if (old_position != NO_POSITION && old_position == new_position)
    {
      g_array_insert_val (self->ids, new_position, id);
      g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 1);
    }
  else
    {
      if (old_position != NO_POSITION)
        g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 0);
      if (new_position != NO_POSITION)
        {
          g_array_insert_val (self->ids, new_position, id);
          g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);
        }
      if ((old_position == NO_POSITION) != (new_position == NO_POSITION))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void
on_contact_changed_cb (TesoroSession       *session,
                       gint64             id,
                       int                change,
                       TesoroContactList *self)
{
  g_assert (TESORO_IS_CONTACT_LIST (self));

  if (change == TESORO_CHANGE_RESET)
    tesoro_contact_list_reload (self);
  else
    apply_change (self, id);
}

/* The cache hands out the same object for a contact as long as something
 * holds it (a row of the list view): GTK recognises the rows it can keep by
 * their item. What only the cache holds can go. */
static gboolean
cache_entry_is_unused (gpointer key,
                       gpointer value,
                       gpointer user_data)
{
  return g_atomic_int_get (&G_OBJECT (value)->ref_count) == 1;
}

/* GListModel */

static GType
tesoro_contact_list_get_item_type (GListModel *model)
{
  return TESORO_TYPE_CONTACT;
}

static guint
tesoro_contact_list_get_n_items (GListModel *model)
{
  return TESORO_CONTACT_LIST (model)->ids->len;
}

static gpointer
tesoro_contact_list_get_item (GListModel *model,
                              guint       position)
{
  TesoroContactList *self = TESORO_CONTACT_LIST (model);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  TesoroContact *contact;
  gint64 id;
  guint start, n;

  if (position >= self->ids->len)
    return NULL;

  id = id_at (self->ids, position);
  contact = g_hash_table_lookup (self->cache, &id);
  if (contact != NULL)
    return g_object_ref (contact);

  if (g_hash_table_size (self->cache) > CACHE_LIMIT)
    g_hash_table_foreach_remove (self->cache, cache_entry_is_unused, NULL);

  start = position - position % PAGE_SIZE;
  n = MIN (PAGE_SIZE, self->ids->len - start);
  page = tesoro_session_load_summaries (self->session, &g_array_index (self->ids, gint64, start), n, &error);
  if (page == NULL)
    {
      g_warning ("Cannot load contacts: %s", error->message);
      return NULL;
    }

  for (guint i = 0; i < page->len; i++)
    {
      TesoroContact *c = page->pdata[i];
      gint64 c_id = tesoro_contact_get_id (c);

      /* A contact already handed out stays the same object. */
      if (!g_hash_table_contains (self->cache, &c_id))
        g_hash_table_insert (self->cache, g_memdup2 (&c_id, sizeof c_id), g_object_ref (c));
    }

  contact = g_hash_table_lookup (self->cache, &id);
  if (contact == NULL)
    {
      /* Deleted behind our back (another process): show an empty row until
       * the list is reloaded, rather than a hole in the model. */
      contact = tesoro_contact_new ();
      tesoro_contact_set_id (contact, id);
      return contact;
    }

  return g_object_ref (contact);
}

static void
tesoro_contact_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tesoro_contact_list_get_item_type;
  iface->get_n_items = tesoro_contact_list_get_n_items;
  iface->get_item = tesoro_contact_list_get_item;
}

/* GObject */

static void
tesoro_contact_list_constructed (GObject *object)
{
  TesoroContactList *self = (TesoroContactList *) object;

  G_OBJECT_CLASS (tesoro_contact_list_parent_class)->constructed (object);

  g_assert (TESORO_IS_SESSION (self->session));

  self->changed_handler = g_signal_connect_object (self->session, "contact-changed",
                                                   G_CALLBACK (on_contact_changed_cb), self, 0);
  load_all (self);
  g_array_unref (self->ids);
  self->ids = compute_ids (self);
}

static void
tesoro_contact_list_dispose (GObject *object)
{
  TesoroContactList *self = (TesoroContactList *) object;

  if (self->session != NULL)
    g_clear_signal_handler (&self->changed_handler, self->session);
  g_clear_object (&self->session);
  if (self->cache != NULL)
    g_hash_table_remove_all (self->cache);
  g_clear_handle_id (&self->scan_source, g_source_remove);
  if (self->scanning != NULL)
    g_cancellable_cancel (self->scanning);
  g_clear_object (&self->scanning);
  g_clear_handle_id (&self->release_source, g_source_remove);

  G_OBJECT_CLASS (tesoro_contact_list_parent_class)->dispose (object);
}

static void
tesoro_contact_list_finalize (GObject *object)
{
  TesoroContactList *self = (TesoroContactList *) object;

  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->prefixes, g_ptr_array_unref);
  g_clear_pointer (&self->all_ids, g_array_unref);
  g_clear_pointer (&self->rank_of, g_array_unref);
  g_clear_pointer (&self->ids, g_array_unref);
  forget_matches (self);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->changed, g_hash_table_unref);

  G_OBJECT_CLASS (tesoro_contact_list_parent_class)->finalize (object);
}

static void
tesoro_contact_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TesoroContactList *self = TESORO_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->session);
      break;
    case PROP_TRASH:
      g_value_set_boolean (value, self->trash);
      break;
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_contact_list_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TesoroContactList *self = TESORO_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->session = g_value_dup_object (value);
      break;
    case PROP_TRASH:
      self->trash = g_value_get_boolean (value);
      break;
    case PROP_QUERY:
      tesoro_contact_list_set_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_contact_list_class_init (TesoroContactListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tesoro_contact_list_constructed;
  object_class->dispose = tesoro_contact_list_dispose;
  object_class->finalize = tesoro_contact_list_finalize;
  object_class->get_property = tesoro_contact_list_get_property;
  object_class->set_property = tesoro_contact_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("session", NULL, NULL, TESORO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRASH] =
    g_param_spec_boolean ("trash", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TesoroContactList::replacing:
   * @position: where the change starts
   * @n_new: how many new items there are from @position on
   * @n_old: how many old items follow them, about to be removed
   *
   * Emitted during a large change (a search, a reload) when the new items
   * are in and the old ones not yet removed. A list view that shows the
   * changed part should scroll to @position if there are new items, else to
   * @position + @n_old, the first item after the old ones: it then gives the
   * old rows' widgets to the rows it shows now instead of destroying and
   * creating them (GTK 4.8's list view keeps about 200 rows).
   */
  signals[REPLACING] =
    g_signal_new ("replacing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
tesoro_contact_list_init (TesoroContactList *self)
{
  self->prefixes = g_ptr_array_new_with_free_func (g_free);
  self->rank_of = g_array_new (FALSE, TRUE, sizeof (guint32));
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->changed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* Public API */

/**
 * tesoro_contact_list_new:
 * @trash: list the trash instead of the contacts
 *
 * Returns: (transfer full): a list that follows @session's changes
 */
TesoroContactList *
tesoro_contact_list_new (TesoroSession *session,
                         gboolean     trash)
{
  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  return g_object_new (TESORO_TYPE_CONTACT_LIST, "session", session, "trash", trash, NULL);
}

TesoroSession *
tesoro_contact_list_get_session (TesoroContactList *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_LIST (self), NULL);
  return self->session;
}

gboolean
tesoro_contact_list_get_trash (TesoroContactList *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_LIST (self), FALSE);
  return self->trash;
}

const char *
tesoro_contact_list_get_query (TesoroContactList *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_LIST (self), NULL);
  return self->query;
}

/**
 * tesoro_contact_list_set_query:
 * @query: (nullable): the search; empty or %NULL lists everything
 *
 * Filters the list. Only the range that differs is announced.
 */
void
tesoro_contact_list_set_query (TesoroContactList *self,
                               const char        *query)
{
  g_autoptr(GPtrArray) prefixes = NULL;
  gboolean same_prefixes;

  g_return_if_fail (TESORO_IS_CONTACT_LIST (self));

  if (query != NULL && *query == '\0')
    query = NULL;
  if (g_strcmp0 (self->query, query) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (query);

  prefixes = tesoro_search_parse_query (query);
  same_prefixes = prefixes->len == self->prefixes->len;
  for (guint i = 0; same_prefixes && i < prefixes->len; i++)
    same_prefixes = g_str_equal (prefixes->pdata[i], self->prefixes->pdata[i]);

  g_ptr_array_unref (self->prefixes);
  self->prefixes = g_steal_pointer (&prefixes);

  /* "jose " and "jose" search the same. */
  if (!same_prefixes)
    replace_ids (self, compute_ids (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

/**
 * tesoro_contact_list_get_total:
 *
 * Returns: how many contacts (or trashed contacts) there are, searched or not
 */
guint
tesoro_contact_list_get_total (TesoroContactList *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_LIST (self), 0);

  if (self->trash)
    return (guint) MAX (0, tesoro_session_count_contacts (self->session, TRUE, NULL));
  return self->all_ids->len;
}

gint64
tesoro_contact_list_get_id (TesoroContactList *self,
                            guint              position)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_LIST (self), 0);

  if (position >= self->ids->len)
    return 0;
  return id_at (self->ids, position);
}

/**
 * tesoro_contact_list_find:
 *
 * Returns: the position of contact @id, or %G_MAXUINT if it is not listed
 */
guint
tesoro_contact_list_find (TesoroContactList *self,
                          gint64             id)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_LIST (self), NO_POSITION);
  return find_position (self, id);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  guint pa = *(const guint *) a, pb = *(const guint *) b;

  return pa < pb ? -1 : pa > pb;
}

/* Announces the rows at @positions (sorted) as changed, one signal for each
 * run of adjacent ones, so that a view asks for their items again. */
static void
announce_changed (TesoroContactList *self,
                  GArray            *positions)
{
  guint i = 0;

  while (i < positions->len)
    {
      guint first = g_array_index (positions, guint, i);
      guint n = 1;

      while (i + n < positions->len && g_array_index (positions, guint, i + n) == first + n)
        n++;
      g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
      i += n;
    }
}

/**
 * tesoro_contact_list_reload:
 *
 * Reads the whole list again, after changes to many contacts at once.
 * The rows a view shows are announced as changed even where the order
 * stayed the same (a batch Set Field changes an organisation in place), so
 * that no row keeps showing what was there before.
 */
void
tesoro_contact_list_reload (TesoroContactList *self)
{
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (TESORO_IS_CONTACT_LIST (self));

  /* What something besides the cache holds is on a view's row. */
  g_hash_table_iter_init (&iter, self->cache);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!cache_entry_is_unused (key, value, NULL))
      g_array_append_val (shown, *(gint64 *) key);

  g_hash_table_remove_all (self->cache);
  load_all (self);
  replace_ids (self, compute_ids (self));

  for (guint i = 0; i < shown->len; i++)
    {
      guint position = find_position (self, g_array_index (shown, gint64, i));

      if (position != NO_POSITION)
        g_array_append_val (positions, position);
    }
  g_array_sort (positions, compare_positions);
  announce_changed (self, positions);
}
