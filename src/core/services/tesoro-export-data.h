/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-atomic-file.h"
#include "tesoro-contact.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * Export Data (GDPR Art. 15 and 20): everything held about one person, as
 * CSV for them to read and as JSON for portability, written atomically
 * (tesoro-atomic-file.h) and audited. The CSV cells themselves are written
 * by tesoro-csv.h (RFC 4180, formula neutralising).
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

gboolean          tesoro_session_export_data       (TesoroSession      *self,
                                                    gint64              contact_id,
                                                    TesoroExportFormat  format,
                                                    const char         *path,
                                                    GError            **error);

G_END_DECLS
