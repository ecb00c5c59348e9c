/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-bench"

#include "config.h"

#include "bench-common.h"
#include "bench-window.h"
#include "tesoro-window-private.h"

/*
 * Resident memory with the whole list open (budget: at most 60 MB more than
 * the same GUI on an empty database).
 *
 * First the real `tesoro` binary is started on the demo database and on an
 * empty one, with the cairo renderer and with GTK's default (GL) renderer,
 * and its VmRSS read after the first frame and again three seconds later,
 * when the work a start sets off in the background (preparing one-letter
 * searches in a large list, the housekeeping) is done. Then the
 * window runs in this process on the demo database and is scrolled to the
 * middle and to the end of the list and through many pages, reading VmRSS
 * after each.
 */

#define RUNS 3
#define SETTLE_MS 3000
#define SCROLL_PAGES 400

typedef struct
{
  double first_frame_mb;
  double settled_mb;
  double anon_mb;
  double file_mb;
} Reading;

static Reading
measure (const char *db_path,
         const char *renderer)
{
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) settled = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) anon = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) file = g_array_new (FALSE, FALSE, sizeof (double));
  Reading reading;

  for (int run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      BenchGui gui;
      double v;

      if (!bench_gui_spawn (&gui, db_path, renderer, FALSE, &error))
        g_error ("Cannot start tesoro on %s: %s", db_path, error->message);
      g_usleep (SETTLE_MS * 1000);

      v = gui.rss_kb / 1024.0;
      g_array_append_val (first, v);
      v = bench_rss_kb (gui.pid) / 1024.0;
      g_array_append_val (settled, v);
      v = bench_status_kb (gui.pid, "RssAnon") / 1024.0;
      g_array_append_val (anon, v);
      v = (bench_status_kb (gui.pid, "RssFile") + bench_status_kb (gui.pid, "RssShmem")) / 1024.0;
      g_array_append_val (file, v);
      bench_gui_stop (&gui);
    }

  reading.first_frame_mb = bench_median (first);
  reading.settled_mb = bench_median (settled);
  reading.anon_mb = bench_median (anon);
  reading.file_mb = bench_median (file);
  return reading;
}

static void
print_reading (const char *label,
               Reading     r)
{
  g_print ("    %-16s %6.1f MB at the first frame, %6.1f MB after %d ms (anonymous %.1f MB, files and shared %.1f MB)\n",
           label, r.first_frame_mb, r.settled_mb, SETTLE_MS, r.anon_mb, r.file_mb);
}

static double
rss_mb (void)
{
  return bench_rss_kb (0) / 1024.0;
}

static void
scroll_to (BenchWindow *bw,
           guint        position)
{
  guint64 paints = bw->paints;

  gtk_widget_activate_action (GTK_WIDGET (_tesoro_window_get_list_view (bw->window)),
                              "list.scroll-to-item", "u", position);
  bench_window_wait_paint (bw, paints, 10 * G_USEC_PER_SEC);
  bench_window_run_for (bw, 300);
}

static void
in_process (BenchDatabase *db)
{
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  BenchWindow *bw;
  GtkListView *list_view;
  GtkAdjustment *adjustment;
  guint n;
  double base, open, middle, end, paged, top;

  gtk_init ();
  adw_init ();
  base = rss_mb ();

  bw = bench_window_open (db->path);
  open = rss_mb ();
  list_view = _tesoro_window_get_list_view (bw->window);
  n = g_list_model_get_n_items (G_LIST_MODEL (_tesoro_window_get_contact_list (bw->window)));

  scroll_to (bw, n / 2);
  middle = rss_mb ();
  scroll_to (bw, n - 1);
  end = rss_mb ();

  /* Page down from the middle, one frame per page, as a user flings through
   * the list. */
  scroll_to (bw, n / 2);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));
  for (guint page = 0; page < SCROLL_PAGES; page++)
    {
      guint64 paints = bw->paints;
      gint64 start = g_get_monotonic_time ();
      double ms;

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                            gtk_adjustment_get_page_size (adjustment));
      bench_window_wait_paint (bw, paints, 10 * G_USEC_PER_SEC);
      ms = (bw->last_paint_us - start) / 1000.0;
      g_array_append_val (frames, ms);
      bench_window_run_for (bw, 20);
    }
  bench_window_run_for (bw, 300);
  paged = rss_mb ();
  scroll_to (bw, 0);
  top = rss_mb ();

  g_print ("\nIn this process, the window on %u contacts (GSK_RENDERER=%s):\n", n,
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "(default)");
  g_print ("  %6.1f MB before the window (GTK initialised)\n", base);
  g_print ("  %6.1f MB with the window open                        (+%.1f MB)\n", open, open - base);
  g_print ("  %6.1f MB scrolled to the middle (row %u)            (+%.1f MB)\n", middle, n / 2, middle - base);
  g_print ("  %6.1f MB scrolled to the end (row %u)              (+%.1f MB)\n", end, n - 1, end - base);
  g_print ("  %6.1f MB after paging down %u pages from the middle (+%.1f MB)\n", paged, SCROLL_PAGES, paged - base);
  g_print ("  %6.1f MB back at the top                             (+%.1f MB)\n", top, top - base);
  g_print ("  paging down: %u frames, p50 %.1f ms, p95 %.1f ms, max %.1f ms from the scroll to the painted frame\n",
           frames->len, bench_percentile (frames, 50), bench_percentile (frames, 95), bench_max (frames));
  g_print ("RESULT memory-in-process count=%u open-mb=%.1f middle-mb=%.1f end-mb=%.1f paged-mb=%.1f growth-mb=%.1f\n",
           n, open, middle, end, paged, MAX (MAX (middle, end), paged) - open);

  bench_window_close (bw);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(BenchDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *empty = NULL;
  const char *renderers[] = { "cairo", NULL };

  bench_init ("Resident memory with the whole list open (budget: at most 60 MB more than on an empty database)");
  if (!bench_gui_available ())
    return 77;

  db = bench_get_database (bench_get_count ());
  dir = g_dir_make_tmp ("tesoro-bench-XXXXXX", &error);
  g_assert_no_error (error);
  empty = bench_make_empty_database (dir);

  g_print ("\nThe tesoro binary, VmRSS, median of %d starts each:\n", RUNS);
  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      const char *name = renderers[r] != NULL ? renderers[r] : "default";
      g_autofree char *label = g_strdup_printf ("%u contacts", db->count);
      Reading full = measure (db->path, renderers[r]);
      Reading none = measure (empty, renderers[r]);
      double diff = full.settled_mb - none.settled_mb;

      g_print ("  GSK_RENDERER=%s:\n", name);
      print_reading (label, full);
      print_reading ("empty database", none);
      g_print ("    difference: %+.1f MB at the first frame, %+.1f MB settled (budget: at most +60 MB)\n",
               full.first_frame_mb - none.first_frame_mb, diff);
      g_print ("RESULT memory renderer=%s count=%u full-mb=%.1f empty-mb=%.1f difference-mb=%.1f budget-mb=60 %s\n",
               name, db->count, full.settled_mb, none.settled_mb, diff, diff <= 60 ? "within-budget" : "OVER-BUDGET");
    }

  bench_remove_tmp_dir (dir);

  in_process (db);
  return 0;
}
