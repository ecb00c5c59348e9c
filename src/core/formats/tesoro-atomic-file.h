/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TesoroAtomicFile:
 *
 * A file written under a temporary name in the same folder and renamed over
 * the destination only when complete and flushed to disk. Until then the
 * destination is untouched; a failed or abandoned write leaves nothing
 * behind. New files are readable by their owner only (mode 0600): they hold
 * personal data.
 */
typedef struct _TesoroAtomicFile TesoroAtomicFile;

TesoroAtomicFile *tesoro_atomic_file_new           (const char         *path,
                                                    GError            **error);
GOutputStream    *tesoro_atomic_file_get_stream    (TesoroAtomicFile   *self);
gboolean          tesoro_atomic_file_commit        (TesoroAtomicFile   *self,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
void              tesoro_atomic_file_free          (TesoroAtomicFile   *self);
gboolean          tesoro_write_file_atomically     (const char         *path,
                                                    const void         *data,
                                                    gsize               length,
                                                    GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroAtomicFile, tesoro_atomic_file_free)

G_END_DECLS
