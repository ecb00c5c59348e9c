/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Shared by the benchmarks (tests/bench-*.c): the cached demo database, the
 * real tesoro binary spawned under the headless display, /proc readings and
 * percentiles. Benchmarks print figures; they never assert on time.
 */

/* How a demo database was made (see bench_get_database()). */
typedef struct
{
  char   *path;
  guint   count;
  guint32 seed;
  double  seconds;        /* wall time of `tesoro-cli demo` */
  double  cpu_seconds;    /* user + system time of that process */
  glong   max_rss_kb;     /* its peak resident memory */
  char   *generated_at;   /* ISO 8601, when it was generated */
  gboolean cached;        /* reused from an earlier run */
} BenchDatabase;

void           bench_database_free        (BenchDatabase *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchDatabase, bench_database_free)

guint          bench_get_count            (void);
BenchDatabase *bench_get_database         (guint          count);
BenchDatabase *bench_generate_database    (const char    *path,
                                           guint          count,
                                           guint32        seed);
char          *bench_make_empty_database  (const char    *dir);

/* A copy with a second user whose role sees no e-mail address. */
#define BENCH_ADMIN_PASSWORD "Bench-beheer-2026"
#define BENCH_ROLE_LOGIN     "bench"
#define BENCH_ROLE_PASSWORD  "Lezer-zonder-mail-1"
char          *bench_get_role_database    (BenchDatabase *db);
void           bench_remove_tmp_dir       (const char    *dir);

void           bench_init                 (const char    *title);
glong          bench_rss_kb               (GPid           pid);
glong          bench_status_kb            (GPid           pid,
                                           const char    *field);

/* Statistics over a GArray of doubles (sorted in place). */
double         bench_percentile           (GArray        *values,
                                           double         p);
double         bench_median               (GArray        *values);
double         bench_min                  (GArray        *values);
double         bench_max                  (GArray        *values);

/* The real GUI, spawned (see the report hook in src/gui/tesoro-window.c). */
typedef struct
{
  GPid    pid;
  gint64  spawned_us;        /* g_get_monotonic_time() just before spawning */
  double  spawn_to_frame_ms; /* from spawning to the end of the first frame */
  double  first_frame_ms;    /* as the app measured it, from its process start */
  glong   rss_kb;            /* VmRSS at the first frame */
  guint   items;             /* length of the contact list */
  guint   rows;              /* row widgets on screen */
  int     stdout_fd;
} BenchGui;

gboolean       bench_gui_spawn            (BenchGui      *gui,
                                           const char    *db_path,
                                           const char    *renderer,
                                           gboolean       quit,
                                           GError       **error);
void           bench_gui_stop             (BenchGui      *gui);
gboolean       bench_gui_available        (void);

G_END_DECLS
