/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-zip"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <glib/gi18n-lib.h>

#include "tesoro-error.h"
#include "tesoro-zip.h"

/*
 * Zip archives through libarchive: a well-kept implementation of the format
 * (deflate, CRC-32, zip64) rather than one of Tesoro's own. libarchive
 * writes through a callback into the caller's stream.
 */

struct _TesoroZipWriter
{
  struct archive *archive;
  GOutputStream  *stream;
  char           *display_name;
  time_t          mtime;
  guint64         size;
  gboolean        opened;
  gboolean        closed;
  GError         *stream_error;   /* why the stream refused, for the message */
};

static la_ssize_t
write_cb (struct archive *archive,
          void           *user_data,
          const void     *buffer,
          size_t          length)
{
  TesoroZipWriter *self = user_data;
  gsize written = 0;

  if (self->stream_error == NULL &&
      g_output_stream_write_all (self->stream, buffer, length, &written, NULL, &self->stream_error))
    {
      self->size += written;
      return (la_ssize_t) written;
    }

  archive_set_error (archive, EIO, "%s", self->stream_error->message);
  return -1;
}

static gboolean
set_error (TesoroZipWriter  *self,
           GError          **error)
{
  const char *reason = self->stream_error != NULL ? self->stream_error->message
                                                  : archive_error_string (self->archive);

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO, _("Cannot write “%s”: %s"), self->display_name,
               reason != NULL ? reason : g_strerror (EIO));
  return FALSE;
}

/* Opened on the first member, so that creating a writer cannot fail. */
static gboolean
ensure_open (TesoroZipWriter  *self,
             GError          **error)
{
  if (self->opened)
    return TRUE;

  /* libarchive pads the last block by default (a tape habit): bytes after
   * a zip's end record would make it unreadable to some tools. */
  if (archive_write_set_format_zip (self->archive) != ARCHIVE_OK ||
      archive_write_set_options (self->archive, "zip:compression=deflate") != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block (self->archive, 1) != ARCHIVE_OK ||
      archive_write_open (self->archive, self, NULL, write_cb, NULL) != ARCHIVE_OK)
    return set_error (self, error);

  self->opened = TRUE;
  return TRUE;
}

/**
 * tesoro_zip_writer_new:
 * @stream: where the archive goes
 * @display_name: the file's name, for error messages
 * @mtime: the time of every member, in seconds since 1970 (UTC)
 */
TesoroZipWriter *
tesoro_zip_writer_new (GOutputStream *stream,
                       const char    *display_name,
                       gint64         mtime)
{
  TesoroZipWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (TesoroZipWriter, 1);
  self->archive = archive_write_new ();
  self->stream = g_object_ref (stream);
  self->display_name = g_strdup (display_name != NULL ? display_name : "");
  self->mtime = (time_t) mtime;
  return self;
}

/**
 * tesoro_zip_writer_add:
 * @name: the member's path inside the archive ("folder/file.txt"), UTF-8
 * @bytes: its contents
 */
gboolean
tesoro_zip_writer_add (TesoroZipWriter  *self,
                       const char       *name,
                       GBytes           *bytes,
                       GError          **error)
{
  struct archive_entry *entry;
  gsize size = 0;
  const char *data;
  gboolean ok;

  g_return_val_if_fail (self != NULL && !self->closed, FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!ensure_open (self, error))
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  entry = archive_entry_new ();
  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0600);
  archive_entry_set_size (entry, (la_int64_t) size);
  archive_entry_set_mtime (entry, self->mtime, 0);

  ok = archive_write_header (self->archive, entry) == ARCHIVE_OK;
  for (gsize done = 0; ok && done < size;)
    {
      la_ssize_t n = archive_write_data (self->archive, data + done, size - done);

      ok = n > 0;
      if (ok)
        done += (gsize) n;
    }
  ok = ok && archive_write_finish_entry (self->archive) == ARCHIVE_OK;
  archive_entry_free (entry);

  return ok || set_error (self, error);
}

/**
 * tesoro_zip_writer_close:
 *
 * Writes the archive's central directory. The stream stays open.
 */
gboolean
tesoro_zip_writer_close (TesoroZipWriter  *self,
                         GError          **error)
{
  g_return_val_if_fail (self != NULL && !self->closed, FALSE);

  if (!ensure_open (self, error))
    return FALSE;
  self->closed = TRUE;
  if (archive_write_close (self->archive) != ARCHIVE_OK)
    return set_error (self, error);
  return TRUE;
}

/* The bytes written to the stream so far. */
guint64
tesoro_zip_writer_get_size (TesoroZipWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

void
tesoro_zip_writer_free (TesoroZipWriter *self)
{
  if (self == NULL)
    return;

  /* An archive not closed is abandoned: its bytes are the caller's to
   * throw away (a TesoroAtomicFile not committed). */
  if (self->opened && !self->closed)
    archive_write_fail (self->archive);
  archive_write_free (self->archive);
  g_object_unref (self->stream);
  g_clear_error (&self->stream_error);
  g_free (self->display_name);
  g_free (self);
}
