/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-atomic-file.h"
#include "tesoro-csv.h"
#include "tesoro-import.h"
#include "tesoro-vcard.h"

G_BEGIN_DECLS

/* For the import service (services/tesoro-import-run.c), which runs what
 * the import session reads. */

struct _TesoroImportSession
{
  GObject               parent_instance;

  char                 *path;
  char                 *display_name;

  /* What the caller asked for, and what prepare() found. */
  TesoroImportFormat    format_requested;
  TesoroImportFormat    format;
  TesoroTextEncoding    encoding_requested;
  TesoroTextEncoding    encoding;
  char                  delimiter_requested;
  char                  delimiter;
  gboolean              has_header;
  gboolean              prepared;

  char                **header;
  guint                 n_columns;
  GPtrArray            *sample;      /* GStrv of the first records */
  TesoroImportMapping  *mapping;
  gboolean              mapping_remembered;
  gboolean              own_format;

  char                 *country;
  char                 *lawful_basis;
  TesoroConsentAnswer   consent;
  TesoroImportExisting  existing;
  gboolean              skip_invalid;
  char                 *report_path;
  gboolean              dry_run;
  char                **disabled_fields;
};

/* One pass over the file, record by record, as contacts. */
typedef struct
{
  TesoroImportSession *session;
  TesoroCsvReader     *csv;
  TesoroVcardReader   *vcard;
  guint64              file_size;

  GPtrArray           *values;     /* const char *: the fields given to the mapping */
  GPtrArray           *owned;      /* char *: fields changed on the way (unneutralised) */

  /* The current record. */
  guint64              line;
  guint64              record;
  gboolean             broken;     /* could not be read: no contact */
  gboolean             ragged;
  TesoroContact       *contact;
  GPtrArray           *problems;
} Source;

/* The remembered mapping for a header layout: a mapping like @automatic,
 * or NULL. */
typedef TesoroImportMapping *(*TesoroMappingLookup) (TesoroImportMapping *automatic,
                                                     gpointer             user_data);

/* The settings key of a remembered mapping: this prefix and the layout
 * signature. */
#define TESORO_IMPORT_MAPPING_KEY_PREFIX "import-mapping:"

char    *_tesoro_import_mapping_key          (TesoroImportMapping  *mapping);
gboolean _tesoro_import_session_prepare_file (TesoroImportSession  *self,
                                              TesoroMappingLookup   lookup,
                                              gpointer              lookup_data,
                                              GCancellable         *cancellable,
                                              GError              **error);

gboolean _tesoro_import_source_open          (Source               *src,
                                              TesoroImportSession  *session,
                                              GCancellable         *cancellable,
                                              GError              **error);
int      _tesoro_import_source_next          (Source               *src,
                                              GCancellable         *cancellable,
                                              GError              **error);
guint64  _tesoro_import_source_bytes_read    (Source               *src);
void     _tesoro_import_source_clear         (Source               *src);
void     _tesoro_import_set_row_error        (Source               *src,
                                              GError              **error);
gboolean _tesoro_import_cancelled_error      (GError              **error);
void     _tesoro_import_translate_cancel     (GError              **error);
TesoroImportProblem *_tesoro_import_problem_copy (const TesoroImportProblem *p);

/* The report of invalid rows. */
typedef struct
{
  TesoroAtomicFile *file;
  TesoroCsvWriter  *writer;
} Report;

gboolean _tesoro_import_report_open          (Report               *report,
                                              const char           *path,
                                              GError              **error);
gboolean _tesoro_import_report_add           (Report               *report,
                                              Source               *src,
                                              GCancellable         *cancellable,
                                              GError              **error);
gboolean _tesoro_import_report_commit        (Report               *report,
                                              GCancellable         *cancellable,
                                              GError              **error);
void     _tesoro_import_report_clear         (Report               *report);

G_END_DECLS
