/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-contact.h"

G_BEGIN_DECLS

/*
 * Files Tesoro writes for people: the Export Data of one contact (CSV and
 * JSON) and atomic writing, so that a crash never leaves half a file. The
 * CSV cells themselves are written by tesoro-csv.h (RFC 4180, formula
 * neutralising), shared with the contact import/export.
 */

typedef enum
{
  TESORO_EXPORT_FORMAT_CSV,
  TESORO_EXPORT_FORMAT_JSON,
} TesoroExportFormat;

gboolean          tesoro_export_format_from_string (const char         *text,
                                                    TesoroExportFormat *format,
                                                    GError            **error);
const char       *tesoro_export_format_to_string   (TesoroExportFormat  format);

/* The Export Data CSV: one row per value, columns section,item,field,value
 * (see the README for the layout). */
#define TESORO_EXPORT_CSV_VERSION "1"

GBytes           *tesoro_export_contact_csv        (TesoroContact      *contact,
                                                    const char         *generated_at);
GBytes           *tesoro_export_contact_json       (TesoroContact      *contact);

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
