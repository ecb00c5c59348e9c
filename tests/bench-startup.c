/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-bench"

#include "config.h"

#include "bench-common.h"

/*
 * Cold start to a usable window (budget: under 1 s at 1,000,000 contacts).
 *
 * Spawns the real `tesoro` binary on the demo database and on an empty one
 * and takes the time from the spawn to the end of the first frame the window
 * paints with the contact list in it (reported by the window when
 * TESORO_BENCH_REPORT is set). The page cache cannot be dropped without
 * root, so these are warm starts: one unmeasured start first makes them all
 * equally warm.
 */

#define RUNS 5

typedef struct
{
  GArray *spawn_ms;
  GArray *app_ms;
  GArray *rss_kb;
  guint   items;
  guint   rows;
} Series;

static Series
measure (const char *label,
         const char *db_path,
         const char *renderer)
{
  Series series = {
    g_array_new (FALSE, FALSE, sizeof (double)),
    g_array_new (FALSE, FALSE, sizeof (double)),
    g_array_new (FALSE, FALSE, sizeof (double)),
  };

  g_print ("\n%s, GSK_RENDERER=%s:\n", label, renderer != NULL ? renderer : "(GTK's default)");

  for (int run = 0; run <= RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      BenchGui gui;
      double rss;

      if (!bench_gui_spawn (&gui, db_path, renderer, TRUE, &error))
        g_error ("Cannot start tesoro on %s: %s", db_path, error->message);

      if (run == 0)
        {
          g_print ("  warm-up   %7.0f ms (not counted)\n", gui.spawn_to_frame_ms);
          continue;
        }

      rss = gui.rss_kb / 1024.0;
      g_array_append_val (series.spawn_ms, gui.spawn_to_frame_ms);
      g_array_append_val (series.app_ms, gui.first_frame_ms);
      g_array_append_val (series.rss_kb, rss);
      series.items = gui.items;
      series.rows = gui.rows;
      g_print ("  run %d     %7.0f ms from spawn to first frame (app: %.0f ms since process start),"
               " %u contacts listed, %u rows drawn, RSS %.0f MB\n",
               run, gui.spawn_to_frame_ms, gui.first_frame_ms, gui.items, gui.rows, rss);
    }

  g_print ("  => min %.0f ms, median %.0f ms, max %.0f ms\n",
           bench_min (series.spawn_ms), bench_median (series.spawn_ms), bench_max (series.spawn_ms));
  return series;
}

static void
series_clear (Series *series)
{
  g_array_unref (series->spawn_ms);
  g_array_unref (series->app_ms);
  g_array_unref (series->rss_kb);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(BenchDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *label = NULL;
  const char *renderers[] = { "cairo", NULL };
  Series full[G_N_ELEMENTS (renderers)];
  Series none[G_N_ELEMENTS (renderers)];
  Series role;
  g_autofree char *role_path = NULL;
  g_autofree char *role_label = NULL;

  bench_init ("Cold start to a usable window (budget: under 1 s)");
  if (!bench_gui_available ())
    return 77;

  db = bench_get_database (bench_get_count ());
  dir = g_dir_make_tmp ("tesoro-bench-XXXXXX", &error);
  g_assert_no_error (error);
  empty = bench_make_empty_database (dir);
  label = g_strdup_printf ("%u contacts", db->count);

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      full[r] = measure (label, db->path, renderers[r]);
      none[r] = measure ("Empty database", empty, renderers[r]);
    }

  /* Field-level security: the same contacts for a second user whose role
   * sees no e-mail address, signing in (one Argon2id check) as the window
   * opens. */
  role_path = bench_get_role_database (db);
  role_label = g_strdup_printf ("%u contacts, signed in as a role without e-mail addresses", db->count);
  g_setenv ("TESORO_BENCH_LOGIN", BENCH_ROLE_LOGIN, TRUE);
  g_setenv ("TESORO_BENCH_PASSWORD", BENCH_ROLE_PASSWORD, TRUE);
  role = measure (role_label, role_path, renderers[0]);
  g_unsetenv ("TESORO_BENCH_LOGIN");
  g_unsetenv ("TESORO_BENCH_PASSWORD");

  g_print ("\nSummary (warm page cache, %d runs each, time from spawning tesoro to the end of its first frame):\n", RUNS);
  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      const char *name = renderers[r] != NULL ? renderers[r] : "default";

      g_print ("  %-14s %s: min %5.0f ms, median %5.0f ms;  empty database: min %5.0f ms, median %5.0f ms\n",
               name, label, bench_min (full[r].spawn_ms), bench_median (full[r].spawn_ms),
               bench_min (none[r].spawn_ms), bench_median (none[r].spawn_ms));
      g_print ("RESULT startup renderer=%s count=%u median-ms=%.0f min-ms=%.0f empty-median-ms=%.0f budget-ms=1000 %s\n",
               name, db->count, bench_median (full[r].spawn_ms), bench_min (full[r].spawn_ms),
               bench_median (none[r].spawn_ms), bench_median (full[r].spawn_ms) < 1000 ? "within-budget" : "OVER-BUDGET");
      series_clear (&full[r]);
      series_clear (&none[r]);
    }

  g_print ("RESULT startup-role renderer=%s count=%u median-ms=%.0f min-ms=%.0f budget-ms=1000 %s\n",
           renderers[0], db->count, bench_median (role.spawn_ms), bench_min (role.spawn_ms),
           bench_median (role.spawn_ms) < 1000 ? "within-budget" : "OVER-BUDGET");
  series_clear (&role);

  bench_remove_tmp_dir (dir);
  return 0;
}
