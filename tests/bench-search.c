/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-bench"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <time.h>

#include "bench-common.h"
#include "bench-window.h"
#include "tesoro-contact-row.h"
#include "tesoro-window-private.h"

/*
 * Search as you type (budget: one keystroke to an updated list under 50 ms
 * at the 95th percentile, at 1,000,000 contacts).
 *
 * The real window runs in this process on the demo database. Queries are
 * typed into its search entry one character at a time, as a user types, and
 * then deleted again one character at a time. Each keystroke is timed from
 * the moment the entry's text changes until the list model has taken the
 * new query, a frame showing the new list has been painted and the main
 * loop has nothing left to do. Between keystrokes the loop runs for a
 * typist's pause, so that no keystroke waits for the previous one's work;
 * the first key comes two seconds after the window showed. The processor
 * time of the GUI thread is measured too: on a shared machine it shows what
 * a keystroke cost whatever else was running.
 */

#define TYPING_PAUSE_MS 120
#define START_PAUSE_MS 2000
#define KEYSTROKE_TIMEOUT_US (10 * G_USEC_PER_SEC)

/* Names, e-mail fragments, phone fragments, cities, organisations, several
 * words, diacritics typed without them — as the demo data has them. */
static const char * const queries[] = {
  "Sophie de Vries",
  "jansen",
  "jose",
  "van den berg",
  "sven.smit4",
  "kpnmail",
  "06 12",
  "+31 6 30",
  "Utrecht",
  "bakkerij de",
  "emma bakker",
  "zoe",
  "Amsterdam",
  "o'brien",
  "thomas wright",
};

typedef struct
{
  char   *text;
  double  model_ms;   /* until the list model had the new query */
  double  total_ms;   /* until the new list was painted and the loop idle */
  double  cpu_ms;     /* processor time of this thread meanwhile */
  guint   n_items;
  guint   rows_made;  /* row widgets the list view made for it */
} Keystroke;

static void
keystroke_clear (Keystroke *k)
{
  g_free (k->text);
}

static gint64 query_notified_us;

static guint rows_made;

/* Counts the row widgets the list view makes (each is realized once). */
static gboolean
on_realize_hook (GSignalInvocationHint *hint,
                 guint                  n_values,
                 const GValue          *values,
                 gpointer               data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (g_value_get_object (&values[0]), GPOINTER_TO_SIZE (data)))
    rows_made++;
  return TRUE;
}

static void
on_query_notify_cb (GObject    *list,
                    GParamSpec *pspec,
                    gpointer    data)
{
  query_notified_us = g_get_monotonic_time ();
}

/* Processor time of this thread: what a keystroke cost, whatever else the
 * machine was doing. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static Keystroke
type (BenchWindow       *bw,
      GtkEditable       *entry,
      TesoroContactList *list,
      const char        *text)
{
  Keystroke k = { g_strdup (text), -1, -1, -1, 0, 0 };
  const char *current;
  guint wake;
  guint64 paints;
  gint64 start, end, cpu_start;

  bench_window_run_for (bw, TYPING_PAUSE_MS);
  bench_window_drain (bw);

  query_notified_us = 0;
  rows_made = 0;
  cpu_start = thread_cpu_us ();
  start = g_get_monotonic_time ();
  end = start + KEYSTROKE_TIMEOUT_US;

  /* One key: a character typed at the end, or Backspace. (Replacing the
   * whole text would empty the entry first, which searches at once.) */
  current = gtk_editable_get_text (entry);
  if (g_str_has_prefix (text, current))
    {
      int position = (int) g_utf8_strlen (current, -1);

      gtk_editable_insert_text (entry, text + strlen (current), -1, &position);
    }
  else
    gtk_editable_delete_text (entry, g_utf8_strlen (text, -1), -1);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, text);

  /* The entry hands the text to the list from the main loop. */
  wake = g_timeout_add (50, wake_up_cb, NULL);
  while (query_notified_us == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  if (query_notified_us == 0)
    {
      g_printerr ("“%s”: the list did not take the query within %d s\n", text,
                  (int) (KEYSTROKE_TIMEOUT_US / G_USEC_PER_SEC));
      return k;
    }
  k.model_ms = (query_notified_us - start) / 1000.0;
  k.n_items = g_list_model_get_n_items (G_LIST_MODEL (list));

  /* Then the list view lays out and draws the rows it now shows. */
  paints = bw->paints;
  if (bw->last_paint_us >= query_notified_us)
    paints--;
  if (!bench_window_wait_paint (bw, paints, KEYSTROKE_TIMEOUT_US))
    {
      g_printerr ("“%s”: no frame was painted within %d s\n", text,
                  (int) (KEYSTROKE_TIMEOUT_US / G_USEC_PER_SEC));
      return k;
    }
  bench_window_drain (bw);
  k.total_ms = (g_get_monotonic_time () - start) / 1000.0;
  k.cpu_ms = (thread_cpu_us () - cpu_start) / 1000.0;
  k.rows_made = rows_made;

  return k;
}

static int
compare_slowest (gconstpointer a,
                 gconstpointer b)
{
  const Keystroke *x = a, *y = b;

  return x->total_ms < y->total_ms ? 1 : x->total_ms > y->total_ms ? -1 : 0;
}

/* Types every query into the window's search and deletes it again, and
 * prints the figures, as RESULT @result_name. Returns the keystrokes that
 * timed out. */
static guint
run_searches (BenchWindow *bw,
              guint        count,
              const char  *result_name)
{
  g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (Keystroke));
  g_autoptr(GArray) totals = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) models = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) draws = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (double));
  guint total_rows_made = 0;
  GtkEditable *entry;
  TesoroContactList *list;
  glong rss_open, rss_after;
  guint failed = 0;
  gulong handler;

  g_array_set_clear_func (keystrokes, (GDestroyNotify) keystroke_clear);

  rss_open = bench_rss_kb (0);
  list = _tesoro_window_get_contact_list (bw->window);
  handler = g_signal_connect (list, "notify::query", G_CALLBACK (on_query_notify_cb), NULL);

  /* A user looks at the window for a moment before searching: in a large
   * list, the first second or so after start-up goes to preparing the
   * one-letter searches in the background (see tesoro-contact-list.c). Then
   * Ctrl+F. */
  bench_window_run_for (bw, START_PAUSE_MS);
  gtk_widget_activate_action (GTK_WIDGET (bw->window), "win.search", NULL);
  bench_window_run_for (bw, 300);
  entry = GTK_EDITABLE (_tesoro_window_get_search_entry (bw->window));
  g_print ("\n%-20s %9s %9s %9s %9s %6s\n", "text after keystroke", "total ms", "model ms", "CPU ms", "matches", "rows");
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      const char *query = queries[q];
      glong n_chars = g_utf8_strlen (query, -1);

      /* Type it, then delete it again, one character at a time. */
      for (glong i = 1; i <= 2 * n_chars; i++)
        {
          glong len = i <= n_chars ? i : 2 * n_chars - i;
          g_autofree char *text = g_utf8_substring (query, 0, len);
          Keystroke k = type (bw, entry, list, text);
          g_autofree char *shown = g_strdup_printf ("“%s”", text);

          g_print ("%-22s %9.1f %9.1f %9.1f %9u %6u\n", shown, k.total_ms, k.model_ms, k.cpu_ms, k.n_items, k.rows_made);
          if (k.total_ms < 0)
            {
              failed++;
              keystroke_clear (&k);
              continue;
            }
          g_array_append_val (keystrokes, k);
          g_array_append_val (totals, k.total_ms);
          g_array_append_val (models, k.model_ms);
          g_array_append_val (cpus, k.cpu_ms);
          total_rows_made += k.rows_made;
          {
            double draw = k.total_ms - k.model_ms;
            g_array_append_val (draws, draw);
          }
        }
    }
  /* The list gives memory back once typing pauses. */
  bench_window_run_for (bw, 1500);
  rss_after = bench_rss_kb (0);

  g_print ("\n(total: from the key to the end of the frame that shows the new list, the main loop idle;\n"
           " model: until the list model holds the results; CPU: processor time of the GUI thread;\n"
           " rows: row widgets the list view had to make)\n");
  g_print ("\n%u keystrokes measured (%u timed out), typing pause %d ms, first key %d ms after the window showed, %u contacts:\n",
           keystrokes->len, failed, TYPING_PAUSE_MS, START_PAUSE_MS, count);
  g_print ("  keystroke to updated list on screen: p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
           bench_percentile (totals, 50), bench_percentile (totals, 95), bench_max (totals));
  g_print ("    of which the list model (search):   p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
           bench_percentile (models, 50), bench_percentile (models, 95), bench_max (models));
  g_print ("    and the list view (layout, rows, paint): p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
           bench_percentile (draws, 50), bench_percentile (draws, 95), bench_max (draws));
  g_print ("  processor time of the GUI thread per keystroke: p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
           bench_percentile (cpus, 50), bench_percentile (cpus, 95), bench_max (cpus));
  g_print ("  row widgets made: %u in all\n", total_rows_made);

  g_array_sort (keystrokes, compare_slowest);
  g_print ("  slowest keystrokes:\n");
  for (guint i = 0; i < MIN (10, keystrokes->len); i++)
    {
      Keystroke *k = &g_array_index (keystrokes, Keystroke, i);
      g_autofree char *shown = g_strdup_printf ("“%s”", k->text);

      g_print ("    %-20s %7.1f ms (model %.1f ms, CPU %.1f ms), %u matches, %u rows made\n",
               shown, k->total_ms, k->model_ms, k->cpu_ms, k->n_items, k->rows_made);
    }

  g_print ("  resident memory: %ld MB with the window open, %ld MB after the searches (and a pause)\n",
           rss_open / 1024, rss_after / 1024);
  g_print ("RESULT %s count=%u keystrokes=%u p50-ms=%.1f p95-ms=%.1f max-ms=%.1f model-p95-ms=%.1f cpu-p95-ms=%.1f budget-p95-ms=50 %s\n",
           result_name, count, keystrokes->len, bench_percentile (totals, 50), bench_percentile (totals, 95),
           bench_max (totals), bench_percentile (models, 95), bench_percentile (cpus, 95),
           bench_percentile (totals, 95) < 50 ? "within-budget" : "OVER-BUDGET");

  g_signal_handler_disconnect (list, handler);
  return failed;
}

/* The role's searches run in a process of their own (this program again,
 * with --role): GtkApplication keeps its D-Bus name and object path for the
 * life of a process, so a second Tesoro cannot start in the first one's. */
static guint
run_role_process (const char *self_path)
{
  const char *argv[] = { self_path, "--role", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, &status, &error))
    g_error ("Cannot run %s --role: %s", self_path, error->message);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(BenchDatabase) db = NULL;
  g_autofree char *role_path = NULL;
  gboolean role_only = argc > 1 && g_str_equal (argv[1], "--role");
  BenchWindow *bw;
  glong rss_before;
  guint failed;

  if (role_only)
    setlocale (LC_ALL, "");
  else
    bench_init ("Search as you type (budget: p95 under 50 ms per keystroke)");
  if (!bench_gui_available ())
    return 77;

  db = bench_get_database (bench_get_count ());
  role_path = bench_get_role_database (db);

  gtk_init ();
  adw_init ();
  rss_before = bench_rss_kb (0);
  /* The signal and the row type exist once their classes are made. */
  g_type_class_unref (g_type_class_ref (GTK_TYPE_WIDGET));
  g_type_ensure (TESORO_TYPE_CONTACT_ROW);
  g_signal_add_emission_hook (g_signal_lookup ("realize", GTK_TYPE_WIDGET), 0, on_realize_hook,
                              GSIZE_TO_POINTER (TESORO_TYPE_CONTACT_ROW), NULL);

  if (role_only)
    {
      /* A role that sees no e-mail address: every index scan leaves out the
       * terms of e-mail addresses, and a hidden address never makes a match. */
      bw = bench_window_open (role_path);
      _tesoro_window_sign_in (bw->window, BENCH_ROLE_LOGIN, BENCH_ROLE_PASSWORD);
      bench_window_run_for (bw, 500);
      g_print ("\nAs a user whose role sees no e-mail address (%s):\n", _tesoro_window_get_page (bw->window));
      failed = run_searches (bw, db->count, "search-role");
      bench_window_close (bw);
      return failed > 0 ? 1 : 0;
    }

  /* The administrator, who sees everything: the search index is read
   * without a field filter. */
  bw = bench_window_open (db->path);
  g_print ("Window open on %u contacts in %.0f ms (in this process, with the database already warm), %ld MB before\n",
           g_list_model_get_n_items (G_LIST_MODEL (_tesoro_window_get_contact_list (bw->window))), bw->open_ms,
           rss_before / 1024);
  g_print ("\nAs the administrator:\n");
  failed = run_searches (bw, db->count, "search");
  bench_window_close (bw);

  failed += run_role_process (argv[0]);
  return failed > 0 ? 1 : 0;
}
