/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-import"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-common.h"

/*
 * DESIGN.md budgets, measured side by side in one run on the same file:
 *
 *   - CSV import of 1,000,000 rows, validated and searchable, within 2× of
 *     `sqlite3 .import` into an equivalent schema with the same kind of
 *     search index: a (term, contact_id) WITHOUT ROWID table with an index
 *     by contact, filled from the imported table by SQL (every word of the
 *     names, organisation, city and e-mail address, the whole address, its
 *     domain, and the phone number's digits);
 *   - peak memory of the import (ru_maxrss of the tesoro-cli process)
 *     under 300 MB;
 *   - CSV export of 1,000,000 contacts within 2× of `sqlite3 -csv` of the
 *     same table.
 *
 * The file is generated here (7 columns, about 100 MB for a million rows)
 * into a temporary folder. TESORO_BENCH_COUNT makes it smaller for a quick
 * run. Prints figures and a table for the README; never fails on time.
 */

#define DEFAULT_ROWS 1000000

static const char * const given_names[] = {
  "Sophie", "Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Tess", "Finn", "Zoë", "Noah",
  "Anna", "Bram", "Lotte", "Jesse", "Fleur", "Thijs", "Sanne", "Ruben", "Oliver", "Amelia", "George",
  "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Grace", "Siobhán", "Renée", "José", "Anouk",
};
static const char * const family_names[] = {
  "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
  "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
  "Dekker", "Brouwer", "Smith", "Jones", "Taylor", "Brown", "Williams", "O'Brien", "Murphy", "Patel",
};
static const char * const cities[] = {
  "Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Tilburg", "Almere",
  "Breda", "Nijmegen", "Haarlem", "Arnhem", "Zwolle", "Leiden", "London", "Manchester", "Leeds",
};
static const char * const org_kinds[] = {
  "Bakkerij %s", "%s Installatietechniek", "%s Advies", "Bouwbedrijf %s", "%s & Zn.", "%s Logistiek B.V.",
  "%s Media", "Fietsenwinkel %s", "%s Consulting Ltd",
};
static const char * const domains[] = {
  "gmail.com", "outlook.com", "hotmail.nl", "ziggo.nl", "kpnmail.nl", "icloud.com", "proton.me",
};

static char *
slug (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

/* A contact CSV as an office keeps it: 7 columns, Dutch phone numbers
 * written locally, dates in ISO. Unique e-mail addresses. */
static void
generate_csv (const char *path,
              guint       rows)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  FILE *out = fopen (path, "w");

  if (out == NULL)
    g_error ("Cannot write %s: %s", path, g_strerror (errno));

  fputs ("First Name,Last Name,E-mail Address,Mobile Phone,Company,City,Birthday\r\n", out);
  for (guint i = 0; i < rows; i++)
    {
      const char *given = given_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_names))];
      const char *family = family_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (family_names))];
      const char *last_word = strrchr (family, ' ') != NULL ? strrchr (family, ' ') + 1 : family;
      g_autofree char *given_slug = slug (given);
      g_autofree char *family_slug = slug (family);
      g_autoptr(GString) org = g_string_new (org_kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (org_kinds))]);

      g_string_replace (org, "%s", last_word, 1);

      fprintf (out, "%s,%s,%s.%s%u@%s,06-%08d,%s,%s,%04d-%02d-%02d\r\n",
               given, family, given_slug, family_slug, i,
               domains[g_rand_int_range (rand, 0, G_N_ELEMENTS (domains))],
               g_rand_int_range (rand, 10000000, 99999999),
               org->str,
               cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))],
               g_rand_int_range (rand, 1950, 2004), g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
    }

  if (fclose (out) != 0)
    g_error ("Cannot write %s: %s", path, g_strerror (errno));
}

typedef struct
{
  double wall_s;
  double cpu_s;
  long   max_rss_kb;
  int    status;
} Run;

/* Runs @argv with standard input and output from/to files, and measures
 * wall time, CPU time (user + system) and peak memory of that process. */
static Run
run (const char * const *argv,
     const char         *stdin_path,
     const char         *stdout_path)
{
  struct rusage usage = { 0 };
  Run r = { 0 };
  gint64 start = g_get_monotonic_time ();
  int status = 0;
  pid_t pid;

  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      int in = open (stdin_path != NULL ? stdin_path : "/dev/null", O_RDONLY);
      int out = open (stdout_path != NULL ? stdout_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);

      if (in < 0 || out < 0 || dup2 (in, 0) < 0 || dup2 (out, 1) < 0)
        _exit (126);
      execvp (argv[0], (char * const *) argv);
      _exit (127);
    }

  if (wait4 (pid, &status, 0, &usage) < 0)
    g_error ("wait4: %s", g_strerror (errno));

  r.wall_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  r.cpu_s = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  r.max_rss_kb = usage.ru_maxrss;
  r.status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  if (r.status != 0)
    g_printerr ("%s exited with status %d\n", argv[0], r.status);
  return r;
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    g_error ("%s", error->message);
}

static double
file_mb (const char *path)
{
  GStatBuf st;
  return g_stat (path, &st) == 0 ? st.st_size / (1024.0 * 1024.0) : 0;
}

static void
remove_db (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/* The equivalent schema: the 7 columns, and a search index like Tesoro's. */
#define BASE_SCHEMA \
  "PRAGMA journal_mode = WAL;\n" \
  "CREATE TABLE contacts (given TEXT, family TEXT, email TEXT, phone TEXT, organization TEXT, city TEXT," \
  " birthday TEXT);\n" \
  "CREATE TABLE terms (term TEXT NOT NULL, contact_id INTEGER NOT NULL, PRIMARY KEY (term, contact_id))" \
  " WITHOUT ROWID;\n" \
  "CREATE INDEX terms_by_contact ON terms (contact_id);\n"

#define BASE_INDEX \
  "BEGIN;\n" \
  "WITH RECURSIVE words (id, rest, word) AS (\n" \
  "  SELECT rowid, lower (given || ' ' || family || ' ' || organization || ' ' || city || ' ' ||\n" \
  "                      replace (replace (replace (email, '@', ' '), '.', ' '), '-', ' ')) || ' ', NULL\n" \
  "  FROM contacts\n" \
  "  UNION ALL\n" \
  "  SELECT id, substr (rest, instr (rest, ' ') + 1), substr (rest, 1, instr (rest, ' ') - 1)\n" \
  "  FROM words WHERE rest <> '')\n" \
  "INSERT OR IGNORE INTO terms (term, contact_id) SELECT word, id FROM words WHERE word <> '';\n" \
  "INSERT OR IGNORE INTO terms (term, contact_id) SELECT lower (email), rowid FROM contacts;\n" \
  "INSERT OR IGNORE INTO terms (term, contact_id)\n" \
  "  SELECT lower (substr (email, instr (email, '@') + 1)), rowid FROM contacts;\n" \
  "INSERT OR IGNORE INTO terms (term, contact_id) SELECT replace (phone, '-', ''), rowid FROM contacts;\n" \
  "INSERT OR IGNORE INTO terms (term, contact_id) SELECT '31' || substr (replace (phone, '-', ''), 2), rowid\n" \
  "  FROM contacts;\n" \
  "COMMIT;\n"

static const char *
sqlite3_binary (void)
{
  const char *env = g_getenv ("SQLITE3");
  return env != NULL ? env : "sqlite3";
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *csv = NULL, *base_db = NULL, *plain_db = NULL, *tesoro_db = NULL;
  g_autofree char *script = NULL, *plain_script = NULL, *index_script = NULL;
  g_autofree char *base_out = NULL, *tesoro_out = NULL, *sqlite_path = NULL;
  g_autofree char *base_count = NULL;
  const char *cli = g_getenv ("TESORO_CLI");
  const char *env = g_getenv ("TESORO_BENCH_COUNT");
  guint64 rows = DEFAULT_ROWS;
  Run plain, base, base_idx, tesoro, sq_export, t_export;
  double base_total;
  gint64 start;

  bench_init ("CSV import and export");

  if (env != NULL && !g_ascii_string_to_unsigned (env, 10, 1, 100000000, &rows, NULL))
    g_error ("TESORO_BENCH_COUNT=%s is not a number of rows", env);
  if (cli == NULL)
    g_error ("TESORO_CLI is not set (run through meson test --benchmark)");
  sqlite_path = g_find_program_in_path (sqlite3_binary ());
  if (sqlite_path == NULL)
    {
      g_print ("SKIP: the sqlite3 command-line tool is not installed (Debian package sqlite3)\n");
      return 77;
    }

  dir = g_dir_make_tmp ("tesoro-bench-import-XXXXXX", &error);
  g_assert_no_error (error);
  csv = g_build_filename (dir, "contacts.csv", NULL);
  base_db = g_build_filename (dir, "sqlite.db", NULL);
  plain_db = g_build_filename (dir, "plain.db", NULL);
  tesoro_db = g_build_filename (dir, "tesoro.db", NULL);
  script = g_build_filename (dir, "import.sql", NULL);
  plain_script = g_build_filename (dir, "plain.sql", NULL);
  index_script = g_build_filename (dir, "index.sql", NULL);
  base_out = g_build_filename (dir, "sqlite-export.csv", NULL);
  tesoro_out = g_build_filename (dir, "tesoro-export.csv", NULL);

  start = g_get_monotonic_time ();
  generate_csv (csv, rows);
  g_print ("generated %" G_GUINT64_FORMAT " rows, 7 columns, %.1f MB in %.1f s\n", rows, file_mb (csv),
           (g_get_monotonic_time () - start) / 1e6);

  /* The file is read once before timing, so that every run finds it in
   * the page cache. */
  {
    g_autofree char *contents = NULL;
    gsize length;
    g_file_get_contents (csv, &contents, &length, NULL);
  }

  /* sqlite3: plain .import, then .import with the search index. */
  {
    g_autofree char *text = g_strdup_printf (BASE_SCHEMA ".import --csv --skip 1 '%s' contacts\n", csv);
    write_text (plain_script, text);
    write_text (script, text);
    write_text (index_script, BASE_INDEX);
  }

  {
    const char *args[] = { sqlite_path, "-bail", plain_db, NULL };
    plain = run (args, plain_script, NULL);
  }
  remove_db (plain_db);
  {
    const char *args[] = { sqlite_path, "-bail", base_db, NULL };
    base = run (args, script, NULL);
    base_idx = run (args, index_script, NULL);
  }
  base_total = base.wall_s + base_idx.wall_s;

  /* Tesoro: the CLI, as a user would run it; default settings (rows of
   * existing e-mail addresses skipped, so every row is looked up). */
  {
    const char *args[] = { cli, "--db", tesoro_db, "import", csv, NULL };
    tesoro = run (args, NULL, NULL);
  }

  /* Export of the same data. */
  {
    const char *args[] = { sqlite_path, "-csv", "-header", base_db, "SELECT * FROM contacts", NULL };
    sq_export = run (args, NULL, base_out);
  }
  {
    const char *args[] = { cli, "--db", tesoro_db, "export", "--output", tesoro_out, NULL };
    t_export = run (args, NULL, NULL);
  }

  g_print ("\n%-46s %9s %9s %10s\n", "", "wall s", "CPU s", "peak RSS");
  g_print ("%-46s %9.2f %9.2f %7.0f MB\n", "sqlite3 .import (no index)", plain.wall_s, plain.cpu_s,
           plain.max_rss_kb / 1024.0);
  g_print ("%-46s %9.2f %9.2f %7.0f MB\n", "sqlite3 .import + search index", base_total,
           base.cpu_s + base_idx.cpu_s, MAX (base.max_rss_kb, base_idx.max_rss_kb) / 1024.0);
  g_print ("%-46s %9.2f %9.2f %7.0f MB\n", "tesoro-cli import (validated, searchable)", tesoro.wall_s,
           tesoro.cpu_s, tesoro.max_rss_kb / 1024.0);
  g_print ("%-46s %9.2f %9.2f %7.0f MB\n", "sqlite3 -csv export", sq_export.wall_s, sq_export.cpu_s,
           sq_export.max_rss_kb / 1024.0);
  g_print ("%-46s %9.2f %9.2f %7.0f MB\n", "tesoro-cli export (CSV)", t_export.wall_s, t_export.cpu_s,
           t_export.max_rss_kb / 1024.0);
  g_print ("\nimport: %.2f× sqlite3 with the index (budget 2×); peak memory %.0f MB (budget 300 MB)\n",
           tesoro.wall_s / base_total, tesoro.max_rss_kb / 1024.0);
  g_print ("export: %.2f× sqlite3 -csv (budget 2×)\n", t_export.wall_s / sq_export.wall_s);
  g_print ("sizes: sqlite3 database %.0f MB, Tesoro database %.0f MB; exports %.0f MB and %.0f MB\n",
           file_mb (base_db), file_mb (tesoro_db), file_mb (base_out), file_mb (tesoro_out));

  g_print ("\nREADME table (%" G_GUINT64_FORMAT " rows):\n\n", rows);
  g_print ("| what | DESIGN.md reference | sqlite3, this run | Tesoro, this run | ratio | budget |\n");
  g_print ("|---|---|---|---|---|---|\n");
  g_print ("| CSV import, plain `.import` | 2.0 s | %.1f s | | | |\n", plain.wall_s);
  g_print ("| CSV import with search index | 9.4 s (FTS5) | %.1f s | %.1f s | %.2f× | 2× |\n",
           base_total, tesoro.wall_s, tesoro.wall_s / base_total);
  g_print ("| peak memory of the import | | | %.0f MB | | 300 MB |\n", tesoro.max_rss_kb / 1024.0);
  g_print ("| CSV export | 1.0 s | %.1f s | %.1f s | %.2f× | 2× |\n", sq_export.wall_s, t_export.wall_s,
           t_export.wall_s / sq_export.wall_s);

  base_count = g_strdup_printf ("%d%d%d%d%d%d", plain.status, base.status, base_idx.status, tesoro.status,
                                sq_export.status, t_export.status);

  if (g_getenv ("TESORO_BENCH_KEEP") == NULL)
    bench_remove_tmp_dir (dir);
  else
    g_print ("kept %s\n", dir);

  return g_str_equal (base_count, "000000") ? 0 : 1;
}
