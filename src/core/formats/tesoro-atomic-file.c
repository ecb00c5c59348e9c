/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-atomic-file"
/* O_TMPFILE */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tesoro-atomic-file.h"
#include "tesoro-error.h"

/*
 * How a file comes into place without a half-written copy ever having a
 * name, even when Tesoro is killed (kill -9, a power cut) in the middle:
 *
 * - Where the file system supports it, the contents go into an unnamed file
 *   (O_TMPFILE) in the destination's folder, which the kernel discards if
 *   the process dies. Only when it is complete and on disk is it given the
 *   destination's name with linkat() (through /proc/self/fd: linking the
 *   descriptor itself, AT_EMPTY_PATH, needs CAP_DAC_READ_SEARCH). linkat()
 *   never replaces a file, so an existing destination is replaced by linking
 *   to a temporary name first and renaming that over it.
 * - Elsewhere, and for that short last step, the temporary file has a name
 *   derived from the destination's (a hash: it names nobody), so that what
 *   a killed Tesoro left behind can be found again: the next write into
 *   that folder removes it, and so does Tesoro's start-up, which finds the
 *   folder in a small record under $XDG_STATE_HOME/tesoro/unfinished.
 *   While a temporary file is being written its writer holds a lock on it
 *   (flock), so that nobody removes a file still in use.
 */

struct _TesoroAtomicFile
{
  char          *path;
  char          *dir;
  char          *temp_path;     /* the named temporary file, if there is one */
  char          *record_path;   /* its record for start-up, if there is one */
  int            fd;            /* the contents; locked while we write */
  gboolean       anonymous;     /* fd is an O_TMPFILE with no name yet */
  GOutputStream *stream;
  gboolean       committed;
};

/* The stream into the file: write(2) on its descriptor, with errors that
 * name the destination (a full disk is reported as “Cannot write
 * “/home/…/contacts.csv”: No space left on device”, not about a descriptor). */

#define TESORO_TYPE_ATOMIC_STREAM (tesoro_atomic_stream_get_type ())
G_DECLARE_FINAL_TYPE (TesoroAtomicStream, tesoro_atomic_stream, TESORO, ATOMIC_STREAM, GOutputStream)

struct _TesoroAtomicStream
{
  GOutputStream  parent_instance;
  int            fd;     /* not owned */
  char          *path;
};

G_DEFINE_FINAL_TYPE (TesoroAtomicStream, tesoro_atomic_stream, G_TYPE_OUTPUT_STREAM)

static gssize
tesoro_atomic_stream_write (GOutputStream  *stream,
                            const void     *buffer,
                            gsize           count,
                            GCancellable   *cancellable,
                            GError        **error)
{
  TesoroAtomicStream *self = TESORO_ATOMIC_STREAM (stream);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  for (;;)
    {
      gssize written = write (self->fd, buffer, MIN (count, (gsize) G_MAXSSIZE));
      int saved_errno = errno;

      if (written >= 0)
        return written;
      if (saved_errno == EINTR)
        continue;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), self->path, g_strerror (saved_errno));
      return -1;
    }
}

static void
tesoro_atomic_stream_finalize (GObject *object)
{
  TesoroAtomicStream *self = TESORO_ATOMIC_STREAM (object);

  g_free (self->path);
  G_OBJECT_CLASS (tesoro_atomic_stream_parent_class)->finalize (object);
}

static void
tesoro_atomic_stream_class_init (TesoroAtomicStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tesoro_atomic_stream_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = tesoro_atomic_stream_write;
}

static void
tesoro_atomic_stream_init (TesoroAtomicStream *self)
{
  self->fd = -1;
}

static GOutputStream *
tesoro_atomic_stream_new (int         fd,
                          const char *path)
{
  TesoroAtomicStream *self = g_object_new (TESORO_TYPE_ATOMIC_STREAM, NULL);

  self->fd = fd;
  self->path = g_strdup (path);
  return G_OUTPUT_STREAM (self);
}

/* Atomic files */

#define TEMP_PREFIX ".tesoro-"
#define TEMP_SUFFIX ".part"

static gboolean
set_io_error (GError     **error,
              const char  *path,
              GError      *cause)
{
  /* The stream's own errors name the file already. */
  if (strstr (cause->message, path) != NULL)
    g_set_error_literal (error, TESORO_ERROR,
                         g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? TESORO_ERROR_CANCELLED
                                                                                    : TESORO_ERROR_IO,
                         cause->message);
  else
    g_set_error (error, TESORO_ERROR,
                 g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? TESORO_ERROR_CANCELLED : TESORO_ERROR_IO,
                 _("Cannot write “%s”: %s"), path, cause->message);
  return FALSE;
}

static gboolean
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
               _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* Temporary names */

/* The temporary name for @base, and its @n-th alternative when another
 * Tesoro is writing the same file at the same time. */
static char *
temp_name (const char *base,
           guint       n)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, base, -1);

  hash[16] = '\0';
  return n == 0 ? g_strdup_printf (TEMP_PREFIX "%s" TEMP_SUFFIX, hash)
                : g_strdup_printf (TEMP_PREFIX "%s-%u" TEMP_SUFFIX, hash, n);
}

static gboolean
is_hex (const char *s,
        gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
      return FALSE;
  return TRUE;
}

/* Whether @name is one of our temporary names; @legacy for the random ones
 * (".NAME.XXXXXXXX.part") that Tesoro wrote before. */
static gboolean
is_temp_name (const char *name,
              gboolean   *legacy)
{
  gsize len = strlen (name);
  const char *p;

  *legacy = FALSE;
  if (!g_str_has_suffix (name, TEMP_SUFFIX))
    return FALSE;

  if (g_str_has_prefix (name, TEMP_PREFIX) && len >= strlen (TEMP_PREFIX) + 16 + strlen (TEMP_SUFFIX) &&
      is_hex (name + strlen (TEMP_PREFIX), 16))
    {
      p = name + strlen (TEMP_PREFIX) + 16;
      if (g_str_equal (p, TEMP_SUFFIX))
        return TRUE;
      if (*p++ != '-' || !g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
      return g_str_equal (p, TEMP_SUFFIX);
    }

  /* .NAME.XXXXXXXX.part */
  if (name[0] == '.' && len > 1 + 1 + 1 + 8 + strlen (TEMP_SUFFIX))
    {
      p = name + len - strlen (TEMP_SUFFIX) - 8;
      if (p[-1] == '.' && is_hex (p, 8))
        {
          *legacy = TRUE;
          return TRUE;
        }
    }
  return FALSE;
}

/* Removes @path if it is an abandoned temporary file of ours: a regular
 * file of this user that nobody holds a lock on. */
static gboolean
remove_if_abandoned (const char *path,
                     gboolean    legacy)
{
  struct stat st, again;
  gboolean removed = FALSE;
  int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

  if (fd < 0)
    return FALSE;

  /* Tesoro made its temporary files private (0600); anything else with
   * such a name is left alone. */
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == geteuid () &&
      (!legacy || (st.st_mode & 077) == 0) &&
      flock (fd, LOCK_EX | LOCK_NB) == 0 &&
      lstat (path, &again) == 0 && again.st_ino == st.st_ino && again.st_dev == st.st_dev)
    removed = g_unlink (path) == 0;

  close (fd);
  return removed;
}

/**
 * tesoro_atomic_file_clean_folder:
 * @dir: a folder
 *
 * Removes the temporary files that an interrupted write into @dir left
 * behind (none are left by a write that ends, however it ends, but a
 * killed process cannot clean up). Files another process is still writing
 * are left alone.
 *
 * Returns: how many were removed
 */
guint
tesoro_atomic_file_clean_folder (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;
  guint removed = 0;

  g_return_val_if_fail (dir != NULL, 0);

  handle = g_dir_open (dir, 0, NULL);
  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      gboolean legacy;

      if (is_temp_name (name, &legacy))
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);

          if (remove_if_abandoned (path, legacy))
            {
              g_debug ("Removed the abandoned temporary file %s", path);
              removed++;
            }
        }
    }

  return removed;
}

/* Records for start-up */

static char *
records_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "tesoro", "unfinished", NULL);
}

/* Notes that @temp_path may be left behind if we are killed: only its
 * folder and its (hashed) name, never the destination's name. */
static char *
write_record (const char *temp_path)
{
  g_autofree char *dir = records_dir ();
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, temp_path, -1);
  g_autofree char *record = NULL;
  g_autofree char *contents = NULL;
  gssize written;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return NULL;

  hash[32] = '\0';
  record = g_build_filename (dir, hash, NULL);
  contents = g_strdup_printf ("%s\n", temp_path);
  fd = open (record, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return NULL;
  written = write (fd, contents, strlen (contents));
  close (fd);
  if (written != (gssize) strlen (contents))
    {
      g_unlink (record);
      return NULL;
    }
  return g_steal_pointer (&record);
}

/**
 * tesoro_atomic_file_clean_unfinished:
 *
 * At start-up: removes what writes that were killed left behind, in every
 * folder they were writing to (see tesoro_atomic_file_clean_folder()).
 *
 * Returns: how many files were removed
 */
guint
tesoro_atomic_file_clean_unfinished (void)
{
  g_autofree char *dir = records_dir ();
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint removed = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *record = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *folder = NULL;

      if (!g_file_get_contents (record, &contents, NULL, NULL))
        continue;
      g_strchomp (contents);
      if (!g_path_is_absolute (contents))
        {
          g_unlink (record);
          continue;
        }
      folder = g_path_get_dirname (contents);
      removed += tesoro_atomic_file_clean_folder (folder);
      /* Still there: another Tesoro is writing it. */
      if (!g_file_test (contents, G_FILE_TEST_EXISTS))
        g_unlink (record);
    }

  return removed;
}

/* Writing */

static gboolean
use_tmpfile (void)
{
  /* The tests take the other path through this switch. */
  return g_getenv ("TESORO_TEST_NO_O_TMPFILE") == NULL;
}

/* Creates and locks the temporary file for @self->path under its name, or
 * its first alternative not in use. */
static int
create_named (TesoroAtomicFile  *self,
              const char        *base,
              GError           **error)
{
  for (guint n = 0; ; n++)
    {
      g_autofree char *name = temp_name (base, n);
      g_autofree char *temp_path = g_build_filename (self->dir, name, NULL);
      struct stat st, again;
      int fd;

      g_clear_pointer (&self->record_path, g_free);
      self->record_path = write_record (temp_path);
      fd = open (temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0)
        {
          int saved_errno = errno;

          if (self->record_path != NULL)
            g_unlink (self->record_path);
          if (saved_errno == EEXIST && n < 100)
            continue;
          set_errno_error (error, self->path, saved_errno);
          return -1;
        }

      /* A cleaner could have taken it between the open and the lock. */
      if (flock (fd, LOCK_EX | LOCK_NB) == 0 && fstat (fd, &st) == 0 && lstat (temp_path, &again) == 0 &&
          st.st_ino == again.st_ino && st.st_dev == again.st_dev)
        {
          self->temp_path = g_steal_pointer (&temp_path);
          return fd;
        }
      close (fd);
      if (n >= 100)
        {
          set_errno_error (error, self->path, EEXIST);
          return -1;
        }
    }
}

/**
 * tesoro_atomic_file_new:
 * @path: the file to write (or replace)
 *
 * Returns: (transfer full) (nullable): the file, open for writing
 */
TesoroAtomicFile *
tesoro_atomic_file_new (const char  *path,
                        GError     **error)
{
  g_autoptr(TesoroAtomicFile) self = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO, _("Cannot write “%s”: it is a folder"), path);
      return NULL;
    }

  self = g_new0 (TesoroAtomicFile, 1);
  self->fd = -1;
  self->path = g_strdup (path);
  self->dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);

  /* What an earlier, killed, write into this folder left behind. */
  tesoro_atomic_file_clean_folder (self->dir);

  if (use_tmpfile () && g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      self->fd = open (self->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
      if (self->fd >= 0)
        {
          self->anonymous = TRUE;
          flock (self->fd, LOCK_EX | LOCK_NB);
        }
    }

  if (self->fd < 0)
    {
      self->fd = create_named (self, base, error);
      if (self->fd < 0)
        return NULL;
    }

  /* The descriptor stays open (and locked) until the file has its name. */
  self->stream = tesoro_atomic_stream_new (self->fd, path);
  return g_steal_pointer (&self);
}

/**
 * tesoro_atomic_file_get_stream:
 *
 * Returns: (transfer none): where to write the contents
 */
GOutputStream *
tesoro_atomic_file_get_stream (TesoroAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->stream;
}

/**
 * tesoro_atomic_file_get_path:
 *
 * Returns: the destination
 */
const char *
tesoro_atomic_file_get_path (TesoroAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

static void
sync_path (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Gives the unnamed file @self->fd the name @target. */
static int
link_anonymous (TesoroAtomicFile *self,
                const char       *target)
{
  char proc_path[64];

  g_snprintf (proc_path, sizeof proc_path, "/proc/self/fd/%d", self->fd);
  return linkat (AT_FDCWD, proc_path, AT_FDCWD, target, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
}

/**
 * tesoro_atomic_file_commit:
 *
 * Flushes the contents to disk and puts the file in place.
 */
gboolean
tesoro_atomic_file_commit (TesoroAtomicFile  *self,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->committed, FALSE);

  if (!g_output_stream_close (self->stream, cancellable, &local_error))
    return set_io_error (error, self->path, local_error);

  /* The data must be on disk before the file has its name; else a crash
   * could leave an empty file under the final name. */
  if (fsync (self->fd) != 0)
    return set_errno_error (error, self->path, errno);

  if (self->anonymous)
    {
      int saved_errno = link_anonymous (self, self->path);

      if (saved_errno == EEXIST)
        {
          /* Replacing a file takes a name of its own first: rename() does
           * replace, linkat() does not. */
          base = g_path_get_basename (self->path);
          for (guint n = 0; saved_errno == EEXIST && n <= 100; n++)
            {
              g_autofree char *name = temp_name (base, n);

              g_clear_pointer (&self->temp_path, g_free);
              self->temp_path = g_build_filename (self->dir, name, NULL);
              g_clear_pointer (&self->record_path, g_free);
              self->record_path = write_record (self->temp_path);
              saved_errno = link_anonymous (self, self->temp_path);
              if (saved_errno != 0 && self->record_path != NULL)
                g_unlink (self->record_path);
            }
          if (saved_errno != 0)
            g_clear_pointer (&self->temp_path, g_free);
        }
      else if (saved_errno == 0)
        self->committed = TRUE;

      if (saved_errno != 0)
        return set_errno_error (error, self->path, saved_errno);
    }

  if (!self->committed && g_rename (self->temp_path, self->path) != 0)
    return set_errno_error (error, self->path, errno);

  self->committed = TRUE;
  if (self->record_path != NULL)
    g_unlink (self->record_path);
  sync_path (self->dir);

  return TRUE;
}

/**
 * tesoro_atomic_file_free:
 *
 * Frees @self; a file not committed is discarded (the destination stays as
 * it was).
 */
void
tesoro_atomic_file_free (TesoroAtomicFile *self)
{
  if (self == NULL)
    return;

  if (self->stream != NULL && !g_output_stream_is_closed (self->stream))
    g_output_stream_close (self->stream, NULL, NULL);
  if (!self->committed && self->temp_path != NULL)
    g_unlink (self->temp_path);
  if (!self->committed && self->record_path != NULL)
    g_unlink (self->record_path);
  /* Closing the descriptor of an unnamed file discards it. */
  if (self->fd >= 0)
    close (self->fd);

  g_clear_object (&self->stream);
  g_free (self->record_path);
  g_free (self->temp_path);
  g_free (self->dir);
  g_free (self->path);
  g_free (self);
}

/**
 * tesoro_write_file_atomically:
 *
 * Writes @data to @path through a #TesoroAtomicFile.
 */
gboolean
tesoro_write_file_atomically (const char  *path,
                              const void  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(TesoroAtomicFile) file = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  file = tesoro_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;

  if (!g_output_stream_write_all (tesoro_atomic_file_get_stream (file), data, length, NULL, NULL, &local_error))
    return set_io_error (error, path, local_error);

  return tesoro_atomic_file_commit (file, NULL, error);
}
