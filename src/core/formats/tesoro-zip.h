/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TesoroZipWriter:
 *
 * Writes a .zip archive (deflate, CRC-32, zip64 where a member needs it) to
 * a #GOutputStream, one member at a time, through libarchive. Members are
 * regular files readable by their owner only, all with the same time.
 * Pair it with a #TesoroAtomicFile to get a whole archive or none.
 */
typedef struct _TesoroZipWriter TesoroZipWriter;

TesoroZipWriter *tesoro_zip_writer_new          (GOutputStream    *stream,
                                                 const char       *display_name,
                                                 gint64            mtime);
gboolean         tesoro_zip_writer_add          (TesoroZipWriter  *self,
                                                 const char       *name,
                                                 GBytes           *bytes,
                                                 GError          **error);
gboolean         tesoro_zip_writer_close        (TesoroZipWriter  *self,
                                                 GError          **error);
guint64          tesoro_zip_writer_get_size     (TesoroZipWriter  *self);
void             tesoro_zip_writer_free         (TesoroZipWriter  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroZipWriter, tesoro_zip_writer_free)

G_END_DECLS
