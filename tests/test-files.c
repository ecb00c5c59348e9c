/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test-files"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tesoro-test-utils.h"

/*
 * The files Tesoro leaves on disk, through the real tesoro-cli: what a
 * killed export leaves in the folder it wrote to, a --db in a folder that
 * does not exist, and errors that name the file and the reason. (The mode
 * of a new database and its -wal and -shm is /store/open/mode.)
 */

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = tesoro_test_make_dir ();
  f->db = g_build_filename (f->dir, "tesoro.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tesoro_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static void
assert_cli_ok (TesoroCliResult *r)
{
  if (r->status != 0)
    g_error ("tesoro-cli failed (%d): %s", r->status, r->err);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* The names in @dir, sorted. */
static GPtrArray *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static char *
join_names (GPtrArray *names)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (s, "%s“%s”", i > 0 ? ", " : "", (char *) names->pdata[i]);
  return g_string_free (s, FALSE);
}

/* Asserts that @dir holds nothing but @target, complete (equal to @full). */
static void
assert_only_complete (const char *dir,
                      const char *target,
                      GBytes     *full)
{
  g_autoptr(GPtrArray) names = list_dir (dir);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_str_equal (name, target))
        {
          g_autoptr(GBytes) contents = tesoro_test_read_file (path);

          g_assert_true (g_bytes_equal (contents, full));
        }
      else
        {
          g_autofree char *all = join_names (names);

          g_error ("left in %s after the kill: %s", dir, all);
        }
    }
}

static GSubprocess *
spawn_cli (const char * const *argv,
           const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_unsetenv (launcher, "TESORO_DB");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  g_ptr_array_add (args, (char *) g_getenv ("TESORO_CLI"));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Point 4: kill -9 in the middle of `tesoro-cli export`, 20 times. With
 * @data, the file system is taken to lack O_TMPFILE: the temporary file
 * then has a name, and the next start of Tesoro or the next export into
 * the folder must remove it. */
static void
test_export_killed (Fixture       *f,
                    gconstpointer  data)
{
  gboolean named = GPOINTER_TO_INT (data);
  g_autofree char *out_dir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *out = g_build_filename (out_dir, "contacts.csv", NULL);
  g_autofree char *ref = g_build_filename (f->dir, "reference.csv", NULL);
  g_autofree char *state = g_build_filename (f->dir, "state", NULL);
  g_autofree char *other_state = g_build_filename (f->dir, "other-state", NULL);
  g_autofree char *state_env = g_strdup_printf ("XDG_STATE_HOME=%s", state);
  g_autofree char *other_state_env = g_strdup_printf ("XDG_STATE_HOME=%s", other_state);
  const char *env[] = { state_env, named ? "TESORO_TEST_NO_O_TMPFILE=1" : NULL, NULL };
  const char *other_env[] = { other_state_env, named ? "TESORO_TEST_NO_O_TMPFILE=1" : NULL, NULL };
  const char *export_argv[] = { "--db", f->db, "export", "--output", out, NULL };
  const char *start_argv[] = { "--db", f->db, "list", "--limit", "1", NULL };
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(GBytes) full = NULL;
  gint64 started;
  gint64 duration_us;
  guint killed_while_running = 0;
  guint left_behind = 0;

  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  r = tesoro_test_cli (f->db, NULL, "demo", "--count", "4000", NULL);
  assert_cli_ok (r);
  g_clear_pointer (&r, tesoro_cli_result_free);

  started = g_get_monotonic_time ();
  r = tesoro_test_cli (f->db, NULL, "export", "--output", ref, NULL);
  assert_cli_ok (r);
  duration_us = g_get_monotonic_time () - started;
  full = tesoro_test_read_file (ref);
  g_test_message ("a whole export takes %" G_GINT64_FORMAT " ms, %" G_GSIZE_FORMAT " bytes",
                  duration_us / 1000, g_bytes_get_size (full));

  for (int i = 0; i < 20; i++)
    {
      g_autoptr(GSubprocess) process = spawn_cli (export_argv, env);
      g_autoptr(GPtrArray) names = NULL;
      /* Most kills early, in the writing; some late, around the rename. */
      gint64 delay = g_test_rand_int_range (0, (gint32) (duration_us * 11 / 10));

      g_usleep (delay);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      if (g_subprocess_get_if_signaled (process))
        killed_while_running++;

      names = list_dir (out_dir);
      if (!named)
        {
          assert_only_complete (out_dir, "contacts.csv", full);
          continue;
        }

      for (guint n = 0; n < names->len; n++)
        if (!g_str_equal (names->pdata[n], "contacts.csv"))
          left_behind++;

      if (i % 2 == 0)
        {
          /* Start-up finds the folder from its own records. */
          g_autoptr(GSubprocess) start = spawn_cli (start_argv, env);
          g_autoptr(GError) error = NULL;

          g_subprocess_wait_check (start, NULL, &error);
          g_assert_no_error (error);
          assert_only_complete (out_dir, "contacts.csv", full);
        }
      else
        {
          /* Another export into the folder, by a Tesoro that has no record
           * of it (another user account, the records lost). */
          g_autofree char *other = g_build_filename (out_dir, "other.csv", NULL);
          const char *other_argv[] = { "--db", f->db, "export", "--output", other, NULL };
          g_autoptr(GSubprocess) next = spawn_cli (other_argv, other_env);
          g_autoptr(GError) error = NULL;

          g_subprocess_wait_check (next, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpint (g_unlink (other), ==, 0);
          assert_only_complete (out_dir, "contacts.csv", full);
        }
    }

  g_test_message ("%u of 20 killed while running; %u temporary files left behind and removed",
                  killed_while_running, left_behind);
  /* Else the loop proved nothing. */
  g_assert_cmpuint (killed_while_running, >=, 5);
  if (named)
    g_assert_cmpuint (left_behind, >, 0);
}

/* Point 4: what earlier versions left (random names, 0600) goes too; a
 * temporary file that a live writer holds locked, or one that is not
 * private, stays. */
static void
test_export_cleans_left_files (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "contacts.csv", NULL);
  g_autofree char *legacy = g_build_filename (f->dir, ".contacts.csv.1a2b3c4d.part", NULL);
  g_autofree char *not_private = g_build_filename (f->dir, ".notes.txt.0badf00d.part", NULL);
  g_autofree char *in_use = g_build_filename (f->dir, ".tesoro-0123456789abcdef.part", NULL);
  g_autofree char *abandoned = g_build_filename (f->dir, ".tesoro-fedcba9876543210-3.part", NULL);
  g_autoptr(TesoroCliResult) r = NULL;
  int fd;

  r = tesoro_test_cli (f->db, NULL, "demo", "--count", "10", NULL);
  assert_cli_ok (r);
  g_clear_pointer (&r, tesoro_cli_result_free);

  tesoro_test_write_file (legacy, "Sophie de Vries", -1);
  g_assert_cmpint (g_chmod (legacy, 0600), ==, 0);
  tesoro_test_write_file (not_private, "someone else's", -1);
  g_assert_cmpint (g_chmod (not_private, 0644), ==, 0);
  tesoro_test_write_file (abandoned, "Sophie de Vries", -1);
  g_assert_cmpint (g_chmod (abandoned, 0600), ==, 0);
  fd = g_open (in_use, O_WRONLY | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  r = tesoro_test_cli (f->db, NULL, "export", "--output", out, NULL);
  assert_cli_ok (r);

  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (legacy, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (abandoned, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (not_private, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (in_use, G_FILE_TEST_EXISTS));
  close (fd);
}

/* Point 6: --db in a folder that does not exist is refused (no folder, no
 * database made) unless the verb is init. */
static void
test_db_missing_folder (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "no", "such", "folder", NULL);
  g_autofree char *top = g_build_filename (f->dir, "no", NULL);
  g_autofree char *db = g_build_filename (missing, "x.db", NULL);
  g_autoptr(TesoroCliResult) r = NULL;

  r = tesoro_test_cli (db, NULL, "list", NULL);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, db));
  g_assert_nonnull (strstr (r->err, "does not exist"));
  g_assert_false (g_file_test (top, G_FILE_TEST_EXISTS));
  g_clear_pointer (&r, tesoro_cli_result_free);

  /* TESORO_DB is an explicit path too. */
  {
    g_autofree char *env_db = g_strdup_printf ("TESORO_DB=%s", db);
    const char *argv[] = { "list", NULL };
    const char *env[] = { env_db, NULL };

    r = tesoro_test_cli_argv (argv, env, NULL, FALSE);
    g_assert_cmpint (r->status, ==, 1);
    g_assert_nonnull (strstr (r->err, db));
    g_assert_false (g_file_test (top, G_FILE_TEST_EXISTS));
    g_clear_pointer (&r, tesoro_cli_result_free);
  }

  r = tesoro_test_cli (db, NULL, "init", NULL);
  assert_cli_ok (r);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&r, tesoro_cli_result_free);

  r = tesoro_test_cli (db, NULL, "list", NULL);
  assert_cli_ok (r);
  g_clear_pointer (&r, tesoro_cli_result_free);

  /* The default location's folder is still made when missing. */
  {
    g_autofree char *data_home = g_build_filename (f->dir, "data-home", NULL);
    g_autofree char *data_env = g_strdup_printf ("XDG_DATA_HOME=%s", data_home);
    g_autofree char *default_db = g_build_filename (data_home, "tesoro", "tesoro.db", NULL);
    const char *argv[] = { "list", NULL };
    const char *env[] = { data_env, NULL };

    r = tesoro_test_cli_argv (argv, env, NULL, FALSE);
    assert_cli_ok (r);
    g_assert_true (g_file_test (default_db, G_FILE_TEST_IS_REGULAR));
  }
}

/* Point 6: a database its user may not open: the message names the file and
 * the reason. */
static void
test_db_permission_message (Fixture       *f,
                            gconstpointer  data)
{
  const char *argv[] = { "--db", f->db, "list", NULL };
  g_autoptr(TesoroCliResult) r = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root, to run tesoro-cli as another user");
      return;
    }

  r = tesoro_test_cli (f->db, NULL, "init", NULL);
  assert_cli_ok (r);
  g_clear_pointer (&r, tesoro_cli_result_free);
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (f->db, 0600), ==, 0);

  r = tesoro_test_cli_argv (argv, NULL, NULL, TRUE);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, f->db));
  g_assert_nonnull (strstr (r->err, g_strerror (EACCES)));
}

static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { 256 * 1024, 256 * 1024 };

  /* An ignored signal stays ignored across exec: the write fails with EFBIG
   * instead of killing the process, as a full disk would fail it. */
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

/* Point 6: a write that fails in the middle of File → Export names the file. */
static void
test_export_write_error (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "contacts.csv", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(TesoroCliResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  r = tesoro_test_cli (f->db, NULL, "demo", "--count", "3000", NULL);
  assert_cli_ok (r);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "TESORO_DB");
  g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TESORO_CLI"), "--db", f->db, "export",
                                         "--output", out, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, out));
  g_assert_nonnull (strstr (err, g_strerror (EFBIG)));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/files/export-killed", test_export_killed, GINT_TO_POINTER (FALSE));
  ADD ("/files/export-killed-named", test_export_killed, GINT_TO_POINTER (TRUE));
  ADD ("/files/export-cleans-left-files", test_export_cleans_left_files, NULL);
  ADD ("/files/db-missing-folder", test_db_missing_folder, NULL);
  ADD ("/files/db-permission-message", test_db_permission_message, NULL);
  ADD ("/files/export-write-error", test_export_write_error, NULL);
#undef ADD

  return g_test_run ();
}
