/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-bench"

#include "config.h"

#include <glib/gstdio.h>

#include "bench-common.h"

/*
 * `tesoro-cli demo` throughput: realistic contacts with linked history
 * (e-mail addresses, phones, an address, notes, messages, tasks, activities,
    * consent) written and indexed for search, in contacts per second.
 *
 * The 1,000,000-contact figure is the generation of the database the other
 * benchmarks share: measured now if it had to be generated, else as recorded
 * when it was (TESORO_BENCH_REGENERATE=1 generates it again). A fresh run of
 * 100,000 contacts into an empty database is measured every time.
 */

#define FRESH_COUNT 100000

int
main (int    argc,
      char **argv)
{
  g_autoptr(BenchDatabase) db = NULL;
  g_autoptr(BenchDatabase) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *fresh_path = NULL;
  guint count = bench_get_count ();
  guint fresh_count = MIN (count, FRESH_COUNT);

  bench_init ("tesoro-cli demo throughput");

  if (g_strcmp0 (g_getenv ("TESORO_BENCH_REGENERATE"), "1") == 0)
    {
      g_autoptr(BenchDatabase) old = bench_get_database (count);
      g_autofree char *info = g_strconcat (old->path, ".info", NULL);

      /* Invalidating the record makes bench_get_database() start over. */
      g_remove (info);
    }

  dir = g_dir_make_tmp ("tesoro-bench-XXXXXX", &error);
  g_assert_no_error (error);
  fresh_path = g_build_filename (dir, "demo.db", NULL);
  fresh = bench_generate_database (fresh_path, fresh_count, 1);
  bench_remove_tmp_dir (dir);

  db = bench_get_database (count);

  g_print ("\nSummary:\n");
  g_print ("  %7u contacts into an empty database: %6.1f s, %6.0f contacts/s (%.1f s CPU, peak RSS %ld MB), measured now\n",
           fresh->count, fresh->seconds, fresh->count / fresh->seconds, fresh->cpu_seconds, fresh->max_rss_kb / 1024);
  g_print ("  %7u contacts into an empty database: %6.1f s, %6.0f contacts/s (%.1f s CPU, peak RSS %ld MB), %s %s\n",
           db->count, db->seconds, db->count / db->seconds, db->cpu_seconds, db->max_rss_kb / 1024,
           db->cached ? "recorded when generated on" : "measured now,", db->generated_at);
  g_print ("RESULT demo count=%u seconds=%.1f contacts-per-second=%.0f cpu-seconds=%.1f %s\n",
           db->count, db->seconds, db->count / db->seconds, db->cpu_seconds, db->cached ? "cached" : "fresh");
  g_print ("RESULT demo count=%u seconds=%.1f contacts-per-second=%.0f cpu-seconds=%.1f fresh\n",
           fresh->count, fresh->seconds, fresh->count / fresh->seconds, fresh->cpu_seconds);

  return 0;
}
