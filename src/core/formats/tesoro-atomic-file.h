/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TesoroAtomicFile:
 *
 * A file written in the destination's folder, without a name (O_TMPFILE)
 * where the file system allows it, else under a temporary name derived from
 * the destination's, and put in place only when complete and flushed to
 * disk. Until then the destination is untouched; a failed or abandoned write
 * leaves nothing behind, and what a killed process left is removed by the
 * next write into that folder and at start-up
 * (tesoro_atomic_file_clean_unfinished()). New files are readable by their
 * owner only (mode 0600): they hold personal data.
 */
typedef struct _TesoroAtomicFile TesoroAtomicFile;

TesoroAtomicFile *tesoro_atomic_file_new           (const char         *path,
                                                    GError            **error);
GOutputStream    *tesoro_atomic_file_get_stream    (TesoroAtomicFile   *self);
const char       *tesoro_atomic_file_get_path      (TesoroAtomicFile   *self);
gboolean          tesoro_atomic_file_commit        (TesoroAtomicFile   *self,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
void              tesoro_atomic_file_free          (TesoroAtomicFile   *self);
gboolean          tesoro_write_file_atomically     (const char         *path,
                                                    const void         *data,
                                                    gsize               length,
                                                    GError            **error);

guint             tesoro_atomic_file_clean_folder  (const char         *dir);
guint             tesoro_atomic_file_clean_unfinished (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroAtomicFile, tesoro_atomic_file_free)

G_END_DECLS
