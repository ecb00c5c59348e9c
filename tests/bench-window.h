/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-application.h"
#include "tesoro-window.h"

G_BEGIN_DECLS

/*
 * The real application and window inside the benchmark process, on a given
 * database, driven through the main loop by hand. Frames are counted so that
 * a benchmark can wait until a change is on screen.
 */

typedef struct
{
  TesoroApplication *app;
  TesoroWindow      *window;
  GdkFrameClock     *clock;
  guint64            paints;         /* frames painted so far */
  gint64             last_paint_us;  /* g_get_monotonic_time() at the end of the last one */
  double             open_ms;        /* from starting the application to its first frame */
} BenchWindow;

BenchWindow *bench_window_open        (const char  *db_path);
void         bench_window_close       (BenchWindow *bw);
gboolean     bench_window_wait_paint  (BenchWindow *bw,
                                       guint64      after,
                                       gint64       timeout_us);
void         bench_window_run_for     (BenchWindow *bw,
                                       guint        ms);
void         bench_window_drain       (BenchWindow *bw);

G_END_DECLS
