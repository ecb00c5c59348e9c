/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-atomic-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tesoro-atomic-file.h"
#include "tesoro-error.h"

/* Atomic files */

struct _TesoroAtomicFile
{
  char              *path;
  char              *temp_path;
  GFileOutputStream *stream;
  gboolean           committed;
};

static gboolean
set_io_error (GError     **error,
              const char  *path,
              GError      *cause)
{
  g_set_error (error, TESORO_ERROR,
               g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? TESORO_ERROR_CANCELLED : TESORO_ERROR_IO,
               _("Cannot write “%s”: %s"), path, cause->message);
  return FALSE;
}

/**
 * tesoro_atomic_file_new:
 * @path: the file to write (or replace)
 *
 * Returns: (transfer full) (nullable): the file, with its temporary twin
 * created and open for writing
 */
TesoroAtomicFile *
tesoro_atomic_file_new (const char  *path,
                        GError     **error)
{
  g_autoptr(TesoroAtomicFile) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO, _("Cannot write “%s”: it is a folder"), path);
      return NULL;
    }

  self = g_new0 (TesoroAtomicFile, 1);
  self->path = g_strdup (path);
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);

  for (int attempt = 0; self->stream == NULL; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GFile) file = NULL;
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", base, g_random_int ());

      g_free (self->temp_path);
      self->temp_path = g_build_filename (dir, name, NULL);
      file = g_file_new_for_path (self->temp_path);
      self->stream = g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, &local_error);
      if (self->stream == NULL &&
          (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || attempt >= 100))
        {
          g_clear_pointer (&self->temp_path, g_free);
          set_io_error (error, path, local_error);
          return NULL;
        }
    }

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
  return G_OUTPUT_STREAM (self->stream);
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
  g_autofree char *dir = NULL;
  int saved_errno;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->committed, FALSE);

  if (!g_output_stream_close (G_OUTPUT_STREAM (self->stream), cancellable, &local_error))
    return set_io_error (error, self->path, local_error);

  /* The data must be on disk before the rename makes it the file; else a
   * crash could leave an empty file under the final name. */
  sync_path (self->temp_path);

  if (g_rename (self->temp_path, self->path) != 0)
    {
      saved_errno = errno;
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                   _("Cannot write “%s”: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }

  self->committed = TRUE;
  dir = g_path_get_dirname (self->path);
  sync_path (dir);

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

  if (self->stream != NULL && !g_output_stream_is_closed (G_OUTPUT_STREAM (self->stream)))
    g_output_stream_close (G_OUTPUT_STREAM (self->stream), NULL, NULL);
  if (!self->committed && self->temp_path != NULL)
    g_unlink (self->temp_path);

  g_clear_object (&self->stream);
  g_free (self->temp_path);
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
