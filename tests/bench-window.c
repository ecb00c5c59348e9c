/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-bench"

#include "config.h"

#include "bench-window.h"

static void
on_after_paint_cb (GdkFrameClock *clock,
                   BenchWindow   *bw)
{
  bw->paints++;
  bw->last_paint_us = g_get_monotonic_time ();
}

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * bench_window_open:
 *
 * Starts Tesoro on @db_path as `tesoro` does (the application opens the
 * database at start-up and its activation shows the window) and waits for
 * the window's first frame.
 *
 * Returns: (transfer full): the running application and its window
 */
BenchWindow *
bench_window_open (const char *db_path)
{
  BenchWindow *bw = g_new0 (BenchWindow, 1);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + 120 * G_USEC_PER_SEC;

  g_setenv ("TESORO_DB", db_path, TRUE);
  g_unsetenv ("TESORO_BENCH_REPORT");

  bw->app = tesoro_application_new ();
  if (!g_application_register (G_APPLICATION (bw->app), NULL, &error))
    g_error ("Cannot register the application: %s", error->message);
  g_application_activate (G_APPLICATION (bw->app));

  bw->window = TESORO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (bw->app)));
  g_assert (TESORO_IS_WINDOW (bw->window));
  g_object_ref (bw->window);

  while (!gtk_widget_get_realized (GTK_WIDGET (bw->window)))
    {
      if (g_get_monotonic_time () > end)
        g_error ("The window was not shown within 120 s");
      g_main_context_iteration (NULL, TRUE);
    }
  bw->clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (bw->window)));
  g_signal_connect (bw->clock, "after-paint", G_CALLBACK (on_after_paint_cb), bw);

  if (!bench_window_wait_paint (bw, 0, 120 * G_USEC_PER_SEC))
    g_error ("The window did not paint within 120 s");
  bw->open_ms = (bw->last_paint_us - start) / 1000.0;
  bench_window_run_for (bw, 200);

  return bw;
}

void
bench_window_close (BenchWindow *bw)
{
  g_signal_handlers_disconnect_by_func (bw->clock, on_after_paint_cb, bw);
  g_clear_object (&bw->clock);
  gtk_window_destroy (GTK_WINDOW (bw->window));
  bench_window_drain (bw);
  g_clear_object (&bw->window);
  g_clear_object (&bw->app);
  g_free (bw);
}

/* Runs the main loop until a frame after frame number @after has been
 * painted, for at most @timeout_us. */
gboolean
bench_window_wait_paint (BenchWindow *bw,
                         guint64      after,
                         gint64       timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;
  /* Wakes the loop now and then, so that a frame that never comes ends in
   * a timeout rather than a hang. */
  guint wake = g_timeout_add (50, wake_up_cb, NULL);
  gboolean painted;

  while (!(painted = bw->paints > after) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
  return painted;
}

/* Runs the main loop for @ms milliseconds, as time passes between a user's
 * actions. */
void
bench_window_run_for (BenchWindow *bw,
                      guint        ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Dispatches everything that is ready now. */
void
bench_window_drain (BenchWindow *bw)
{
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}
