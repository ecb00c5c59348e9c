/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-bench"

#include "config.h"

#include "bench-common.h"

#include <errno.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tesoro-session.h"

/*
 * The 1,000,000-contact database takes minutes to generate, so it is kept in
 * the build directory (tests/bench-1m.db) with a key file beside it that
 * records how it was made and how long that took; it is reused as long as
 * the key file matches and the database still holds exactly that many
 * contacts.
 */

#define DEFAULT_COUNT 1000000
#define SEED 1
#define GUI_TIMEOUT_US (120 * G_USEC_PER_SEC)

void
bench_database_free (BenchDatabase *db)
{
  if (db == NULL)
    return;
  g_free (db->path);
  g_free (db->generated_at);
  g_free (db);
}

/* TESORO_BENCH_COUNT overrides the size (for a quick run); 1,000,000 is
 * what the budgets are stated for. */
guint
bench_get_count (void)
{
  const char *env = g_getenv ("TESORO_BENCH_COUNT");
  guint64 count;

  if (env == NULL || !g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT32, &count, NULL))
    return DEFAULT_COUNT;
  return (guint) count;
}

static char *
database_name (guint count)
{
  if (count % 1000000 == 0)
    return g_strdup_printf ("bench-%um.db", count / 1000000);
  if (count % 1000 == 0)
    return g_strdup_printf ("bench-%uk.db", count / 1000);
  return g_strdup_printf ("bench-%u.db", count);
}

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal", ".info" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/**
 * bench_generate_database:
 *
 * Runs the real `tesoro-cli demo --count @count --seed @seed` on @path (which
 * must not exist yet) and measures it.
 */
BenchDatabase *
bench_generate_database (const char *path,
                         guint       count,
                         guint32     seed)
{
  const char *cli = g_getenv ("TESORO_CLI");
  g_autofree char *count_arg = g_strdup_printf ("%u", count);
  g_autofree char *seed_arg = g_strdup_printf ("%u", seed);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *argv[] = { cli, "--db", path, "demo", "--count", count_arg, "--seed", seed_arg, NULL };
  struct rusage before, after;
  BenchDatabase *db;
  gint64 start;
  int status;

  if (cli == NULL)
    g_error ("TESORO_CLI is not set: run the benchmarks through meson (make bench)");

  g_print ("Generating %u demo contacts (seed %u) with %s into %s …\n", count, seed, cli, path);

  getrusage (RUSAGE_CHILDREN, &before);
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    g_error ("Cannot run %s: %s", cli, error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tesoro-cli demo failed: %s\n%s", error->message, err);

  db = g_new0 (BenchDatabase, 1);
  db->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  getrusage (RUSAGE_CHILDREN, &after);
  db->cpu_seconds = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
                    (after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
                    ((after.ru_utime.tv_usec - before.ru_utime.tv_usec) +
                     (after.ru_stime.tv_usec - before.ru_stime.tv_usec)) / 1e6;
  db->max_rss_kb = after.ru_maxrss;
  db->path = g_strdup (path);
  db->count = count;
  db->seed = seed;
  db->generated_at = g_date_time_format_iso8601 (now);

  g_print ("  %s", out);
  g_print ("  generated in %.1f s (%.0f contacts/s), %.1f s of CPU, peak RSS %ld MB\n",
           db->seconds, count / db->seconds, db->cpu_seconds, db->max_rss_kb / 1024);

  return db;
}

static gboolean
database_is_valid (const char *path,
                   guint       count)
{
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;

  session = tesoro_session_open (path, TESORO_SESSION_FLAGS_NONE, &error);
  if (session == NULL)
    {
      g_print ("  cached %s cannot be used: %s\n", path, error->message);
      return FALSE;
    }
  if (tesoro_session_count_contacts (session, FALSE, NULL) != count ||
      tesoro_session_count_contacts (session, TRUE, NULL) != 0)
    {
      g_print ("  cached %s no longer holds exactly %u contacts\n", path, count);
      return FALSE;
    }

  return TRUE;
}

/**
 * bench_get_database:
 *
 * Returns: (transfer full): the demo database of @count contacts in the
 * build directory, generated now or by an earlier run
 */
BenchDatabase *
bench_get_database (guint count)
{
  const char *dir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *name = database_name (count);
  g_autofree char *path = g_build_filename (dir != NULL ? dir : ".", name, NULL);
  g_autofree char *info_path = g_strconcat (path, ".info", NULL);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  BenchDatabase *db;

  if (g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL) &&
      g_key_file_get_uint64 (info, "demo", "count", NULL) == count &&
      g_key_file_get_uint64 (info, "demo", "seed", NULL) == SEED &&
      database_is_valid (path, count))
    {
      db = g_new0 (BenchDatabase, 1);
      db->path = g_steal_pointer (&path);
      db->count = count;
      db->seed = SEED;
      db->seconds = g_key_file_get_double (info, "demo", "seconds", NULL);
      db->cpu_seconds = g_key_file_get_double (info, "demo", "cpu-seconds", NULL);
      db->max_rss_kb = g_key_file_get_int64 (info, "demo", "max-rss-kb", NULL);
      db->generated_at = g_key_file_get_string (info, "demo", "generated-at", NULL);
      db->cached = TRUE;
      g_print ("Using the cached demo database %s (%u contacts, generated %s in %.1f s)\n",
               db->path, count, db->generated_at, db->seconds);
      return db;
    }

  remove_database (path);
  db = bench_generate_database (path, count, SEED);

  g_key_file_set_uint64 (info, "demo", "count", count);
  g_key_file_set_uint64 (info, "demo", "seed", SEED);
  g_key_file_set_double (info, "demo", "seconds", db->seconds);
  g_key_file_set_double (info, "demo", "cpu-seconds", db->cpu_seconds);
  g_key_file_set_int64 (info, "demo", "max-rss-kb", db->max_rss_kb);
  g_key_file_set_string (info, "demo", "generated-at", db->generated_at);
  if (!g_key_file_save_to_file (info, info_path, &error))
    g_warning ("Cannot record how %s was made: %s", path, error->message);

  return db;
}

/* An initialised database without contacts, in @dir. */
char *
bench_make_empty_database (const char *dir)
{
  char *path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(TesoroSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = tesoro_session_open (path, TESORO_SESSION_FLAGS_NONE, &error);
  if (session == NULL)
    g_error ("Cannot create %s: %s", path, error->message);

  return path;
}

/* Removes a g_dir_make_tmp() folder of the benchmark and the files in it. */
void
bench_remove_tmp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

/* Machine */

static char *
first_line_with (const char *file,
                 const char *key)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (file, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], key))
      {
        const char *value = lines[i] + strlen (key);

        while (*value == ' ' || *value == '\t' || *value == ':' || *value == '=' || *value == '"')
          value++;
        return g_strstrip (g_strdelimit (g_strdup (value), "\"", ' '));
      }

  return NULL;
}

/* Starts a benchmark program: the locale, and the date and machine. */
void
bench_init (const char *title)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M %Z");
  g_autofree char *cpu = first_line_with ("/proc/cpuinfo", "model name");
  g_autofree char *os = first_line_with ("/etc/os-release", "PRETTY_NAME");
  struct utsname uts;

  setlocale (LC_ALL, "");
  if (uname (&uts) != 0)
    strcpy (uts.release, "?");

  g_print ("\n== %s ==\n", title);
  g_print ("date: %s\n", date);
  g_print ("machine: %s, %d cores, %ld MB RAM; %s, Linux %s\n",
           cpu != NULL ? cpu : "unknown CPU", g_get_num_processors (),
           bench_status_kb (-1, "MemTotal") / 1024, os != NULL ? os : "unknown OS", uts.release);
  g_print ("display: %s, GSK_RENDERER=%s\n",
           g_getenv ("DISPLAY") != NULL ? g_getenv ("DISPLAY") : "(none)",
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "(default)");
}

/* /proc */

/**
 * bench_status_kb:
 * @pid: a process, 0 for this one, -1 for /proc/meminfo
 * @field: a field of /proc/PID/status given in kB, such as "VmRSS"
 *
 * Returns: its value in kB, or -1
 */
glong
bench_status_kb (GPid        pid,
                 const char *field)
{
  g_autofree char *file = NULL;
  g_autofree char *key = g_strconcat (field, ":", NULL);
  g_autofree char *value = NULL;

  if (pid < 0)
    file = g_strdup ("/proc/meminfo");
  else if (pid == 0)
    file = g_strdup ("/proc/self/status");
  else
    file = g_strdup_printf ("/proc/%d/status", (int) pid);

  value = first_line_with (file, key);
  return value != NULL ? strtol (value, NULL, 10) : -1;
}

glong
bench_rss_kb (GPid pid)
{
  return bench_status_kb (pid, "VmRSS");
}

/* Statistics */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The nearest-rank percentile: the smallest value that at least @p per cent
 * of the values do not exceed. */
double
bench_percentile (GArray *values,
                  double  p)
{
  guint rank;

  g_return_val_if_fail (values != NULL && values->len > 0, 0);

  g_array_sort (values, compare_doubles);
  rank = (guint) MAX (1, (guint) (p / 100.0 * values->len + 0.999999));
  return g_array_index (values, double, MIN (rank, values->len) - 1);
}

double
bench_median (GArray *values)
{
  g_return_val_if_fail (values != NULL && values->len > 0, 0);

  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}

double
bench_min (GArray *values)
{
  return bench_percentile (values, 0);
}

double
bench_max (GArray *values)
{
  return bench_percentile (values, 100);
}

/* The GUI */

gboolean
bench_gui_available (void)
{
  const char *gui = g_getenv ("TESORO_GUI");

  if (gui == NULL || !g_file_test (gui, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("The GUI is not built (-Dgui=false): nothing to measure.\n");
      return FALSE;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("No display: run the benchmarks under build-aux/headless.sh (make bench).\n");
      return FALSE;
    }
  return TRUE;
}

static double
field_value (const char *line,
             const char *key)
{
  const char *p = strstr (line, key);

  return p != NULL ? g_ascii_strtod (p + strlen (key), NULL) : -1;
}

/* Reads what the child writes to @fd until the report line, for at most
 * GUI_TIMEOUT_US. */
static char *
read_report (int     fd,
             GError **error)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  gint64 end = g_get_monotonic_time () + GUI_TIMEOUT_US;

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      char chunk[512];
      const char *line;
      gssize n;
      int timeout_ms = (int) ((end - g_get_monotonic_time ()) / 1000);

      if ((line = strstr (buffer->str, "tesoro-bench:")) != NULL && strchr (line, '\n') != NULL)
        return g_strndup (line, strchr (line, '\n') - line);

      if (timeout_ms <= 0 || poll (&pfd, 1, timeout_ms) <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "tesoro did not report its first frame within %d s", (int) (GUI_TIMEOUT_US / G_USEC_PER_SEC));
          return NULL;
        }
      n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                       "tesoro exited without reporting its first frame (output: “%s”)", buffer->str);
          return NULL;
        }
      g_string_append_len (buffer, chunk, n);
    }
}

/**
 * bench_gui_spawn:
 * @renderer: (nullable): GSK_RENDERER for the child, or %NULL for GTK's default
 * @quit: let the app quit after its first frame (else bench_gui_stop() ends it)
 *
 * Starts the real tesoro on @db_path and waits for its first frame.
 */
gboolean
bench_gui_spawn (BenchGui    *gui,
                 const char  *db_path,
                 const char  *renderer,
                 gboolean     quit,
                 GError     **error)
{
  const char *argv[] = { g_getenv ("TESORO_GUI"), NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *line = NULL;

  memset (gui, 0, sizeof *gui);
  gui->stdout_fd = -1;

  envp = g_environ_setenv (envp, "TESORO_DB", db_path, TRUE);
  envp = g_environ_setenv (envp, "TESORO_BENCH_REPORT", "1", TRUE);
  envp = quit ? g_environ_setenv (envp, "TESORO_BENCH_QUIT", "1", TRUE)
              : g_environ_unsetenv (envp, "TESORO_BENCH_QUIT");
  envp = renderer != NULL ? g_environ_setenv (envp, "GSK_RENDERER", renderer, TRUE)
                          : g_environ_unsetenv (envp, "GSK_RENDERER");
  /* Run it as a user would, without the test suite's debugging aids. */
  envp = g_environ_unsetenv (envp, "G_DEBUG");
  envp = g_environ_unsetenv (envp, "MALLOC_CHECK_");
  envp = g_environ_unsetenv (envp, "G_SLICE");

  gui->spawned_us = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &gui->pid, NULL, &gui->stdout_fd, NULL, error))
    return FALSE;

  line = read_report (gui->stdout_fd, error);
  if (line == NULL)
    {
      bench_gui_stop (gui);
      return FALSE;
    }

  gui->spawn_to_frame_ms = (field_value (line, "monotonic-us=") - gui->spawned_us) / 1000.0;
  gui->first_frame_ms = field_value (line, "first-frame-ms=");
  gui->rss_kb = (glong) field_value (line, "rss-kb=");
  gui->items = (guint) field_value (line, "items=");
  gui->rows = (guint) field_value (line, "rows=");

  if (quit)
    {
      gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
      int status;

      while (waitpid (gui->pid, &status, WNOHANG) == 0)
        {
          if (g_get_monotonic_time () > end)
            {
              g_printerr ("tesoro did not quit after its first frame: stopping it\n");
              kill (gui->pid, SIGKILL);
              waitpid (gui->pid, &status, 0);
              break;
            }
          g_usleep (5000);
        }
      g_spawn_close_pid (gui->pid);
      gui->pid = 0;
      g_close (gui->stdout_fd, NULL);
      gui->stdout_fd = -1;
    }

  return TRUE;
}

/* Ends a GUI started with bench_gui_spawn() (if it still runs). */
void
bench_gui_stop (BenchGui *gui)
{
  if (gui->pid > 0)
    {
      int status;

      kill (gui->pid, SIGTERM);
      waitpid (gui->pid, &status, 0);
      g_spawn_close_pid (gui->pid);
      gui->pid = 0;
    }
  if (gui->stdout_fd >= 0)
    {
      g_close (gui->stdout_fd, NULL);
      gui->stdout_fd = -1;
    }
}

/* Runs tesoro-cli with @args on @path, or fails the benchmark. */
static void
run_cli (const char         *path,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (char *) g_getenv ("TESORO_CLI"));
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("tesoro-cli %s failed: %s\n%s", args[0], error->message, err != NULL ? err : "");
}

/**
 * bench_get_role_database:
 * @db: the demo database
 *
 * A copy of @db with a second user, BENCH_ROLE_LOGIN, whose role sees no
 * e-mail address (field-level security at work); the administrator signs in
 * with BENCH_ADMIN_PASSWORD. Made once, next to @db, and reused.
 *
 * Returns: (transfer full): its path
 */
char *
bench_get_role_database (BenchDatabase *db)
{
  g_autofree char *path = g_strconcat (db->path, ".role.db", NULL);
  g_autofree char *stamp = g_strconcat (path, ".info", NULL);
  g_autofree char *dir = g_path_get_dirname (db->path);
  g_autofree char *admin_pw = g_build_filename (dir, "bench-admin.pw", NULL);
  g_autofree char *role_pw = g_build_filename (dir, "bench-role.pw", NULL);
  g_autofree char *expected = g_strdup_printf ("%s %u", db->generated_at, db->count);
  g_autofree char *recorded = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (db->path);
  g_autoptr(GFile) to = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  const char *me = g_get_user_name ();

  if (g_file_get_contents (stamp, &recorded, NULL, NULL) && g_str_equal (recorded, expected) &&
      g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  g_print ("Copying %s for a second user whose role sees no e-mail address …\n", db->path);
  remove_database (path);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("Cannot copy %s: %s", db->path, error->message);
  g_file_set_contents (admin_pw, BENCH_ADMIN_PASSWORD "\n", -1, NULL);
  g_file_set_contents (role_pw, BENCH_ROLE_PASSWORD "\n", -1, NULL);

  {
    const char *passwd[] = { "users", "passwd", me, "--password-file", admin_pw, NULL };
    const char *add_role[] = { "--user", me, "--password-file", admin_pw, "roles", "add", "no-email",
                               "--name", "No e-mail", NULL };
    const char *set_role[] = { "--user", me, "--password-file", admin_pw, "roles", "set", "no-email",
                               "--field", "emails=hidden", NULL };
    const char *add_user[] = { "--user", me, "--password-file", admin_pw, "users", "add", BENCH_ROLE_LOGIN,
                               "--role", "no-email", "--password-file", role_pw, NULL };
    run_cli (path, passwd);
    run_cli (path, (const char * const *) add_role);
    run_cli (path, (const char * const *) set_role);
    run_cli (path, (const char * const *) add_user);
  }

  g_file_set_contents (stamp, expected, -1, NULL);
  return g_steal_pointer (&path);
}
