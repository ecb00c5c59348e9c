/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-bulk.h"
#include "tesoro-import-map.h"
#include "tesoro-normalize.h"
#include "tesoro-import-batch.h"
#include "tesoro-text-encoding.h"

G_BEGIN_DECLS

/*
 * The import session: CSV and vCard files read as contacts. Preparing,
 * previewing and running it against a database is the import service's
 * (tesoro-import-run.h).
 *
 * A #TesoroImportSession is configured with the file and the user's
 * choices, prepared (format, encoding and delimiter detected, header read,
 * column mapping chosen), previewed, and run:
 *
 *   session = tesoro_import_session_new ("/home/anna/klanten.csv");
 *   tesoro_import_session_prepare (import, session, NULL, &error);
 *   ... show tesoro_import_session_get_mapping (session), let the user
 *       change it with tesoro_import_mapping_set_spec () ...
 *   tesoro_import_session_preview (session, store, 20, cancellable,
 *                                  progress, data, &rows, &totals, &error);
 *   tesoro_import_session_set_existing (session, TESORO_IMPORT_EXISTING_UPDATE);
 *   tesoro_import_session_run (session, worker_store, cancellable,
 *                              progress, data, &result, &error);
 *   ... later: tesoro_session_undo_import (store, result.batch_id, ...);
 *
 * Threads: a session is not locked. Configure it on one thread, then hand
 * it to a worker (GTask) and do not touch it until the worker is done.
 * prepare() reads only the start of the file and may run on the main
 * thread; preview() with totals and run() read the whole file and belong
 * on a worker with a session of its own (tesoro_session_open_another()).
 *
 * The run is one transaction: a cancel, an error, or a process killed half
 * way leaves the database as it was. Every imported contact goes through
 * the session's insert path, so it is validated, indexed for search, and
 * stamped with the acting user. One entry goes into the accountability
 * log per import (action "import": the counts and the format, never the
 * file name or any personal data); the created and updated contacts are
 * recorded in the import batch for Undo Import, and that record goes with
 * a contact when it is erased.
 */

/**
 * TesoroImportFormat:
 * @TESORO_IMPORT_FORMAT_AUTO: decide from the file name (`.csv`, `.tsv`,
 *   `.txt`, `.vcf`, `.vcard`) and otherwise from the content (a file that
 *   starts with `BEGIN:VCARD` is a vCard file)
 * @TESORO_IMPORT_FORMAT_CSV: comma- (or `;`, tab, `|`) separated values
 * @TESORO_IMPORT_FORMAT_VCARD: vCard 2.1, 3.0 or 4.0
 */
typedef enum
{
  TESORO_IMPORT_FORMAT_AUTO,
  TESORO_IMPORT_FORMAT_CSV,
  TESORO_IMPORT_FORMAT_VCARD,
} TesoroImportFormat;

const char *tesoro_import_format_to_string   (TesoroImportFormat   format);
gboolean    tesoro_import_format_from_string (const char          *text,
                                              TesoroImportFormat  *format,
                                              GError             **error);

/**
 * TesoroImportExisting:
 * @TESORO_IMPORT_EXISTING_SKIP: a row whose e-mail address belongs to a
 *   contact already in the database (not in the trash) is not imported
 * @TESORO_IMPORT_EXISTING_UPDATE: such a row fills the empty fields of that
 *   contact: empty names, organisation, job title, birthday and lawful
 *   basis are set; e-mail addresses, phone numbers and tags it lacks are
 *   added; addresses only when it has none; custom fields it has no value
 *   for are set; a note is added unless the contact has one with the same
 *   text; consent is recorded only when the contact has no marketing
 *   consent on record (an import never overrides a withdrawal). Nothing
 *   that has a value is overwritten. A restricted contact (GDPR Art. 18) is
 *   left alone and the row counted as skipped.
 * @TESORO_IMPORT_EXISTING_CREATE: such a row becomes a new contact anyway
 *
 * What to do with a row whose e-mail address matches an existing contact
 * (compared without regard to case). Rows of the same file match each
 * other too: with SKIP, the second row with an address is skipped.
 */
typedef enum
{
  TESORO_IMPORT_EXISTING_SKIP,
  TESORO_IMPORT_EXISTING_UPDATE,
  TESORO_IMPORT_EXISTING_CREATE,
} TesoroImportExisting;

const char *tesoro_import_existing_to_string   (TesoroImportExisting   existing);
gboolean    tesoro_import_existing_from_string (const char            *text,
                                                TesoroImportExisting  *existing,
                                                GError               **error);

/**
 * TesoroImportRowStatus:
 * @TESORO_IMPORT_ROW_NEW: valid; becomes a new contact
 * @TESORO_IMPORT_ROW_INVALID: has problems; stops the import, or is left
 *   out and reported with skip-invalid
 * @TESORO_IMPORT_ROW_EXISTING: valid, and its e-mail address belongs to a
 *   contact already in the database (see @existing_id); the
 *   #TesoroImportExisting policy decides
 * @TESORO_IMPORT_ROW_DUPLICATE: valid, and its e-mail address occurs on an
 *   earlier row of the same file; the policy decides as for EXISTING
 *
 * How a previewed row would be treated.
 */
typedef enum
{
  TESORO_IMPORT_ROW_NEW,
  TESORO_IMPORT_ROW_INVALID,
  TESORO_IMPORT_ROW_EXISTING,
  TESORO_IMPORT_ROW_DUPLICATE,
} TesoroImportRowStatus;

/**
 * TesoroImportRow:
 * @line: the line of the file the record (or vCard) starts on, from 1
 * @record: the record's number among the data records, from 1
 * @values: (array zero-terminated=1): the fields exactly as read (CSV), or
 *   %NULL for a vCard
 * @contact: the contact as it will be stored (no id yet), or %NULL when
 *   the record could not be read at all
 * @problems: (element-type TesoroImportProblem): what is wrong with the
 *   row; empty when it can be imported. A problem's column is the CSV
 *   column (from 0), or -1 for the row as a whole.
 * @status: how the row would be treated
 * @existing_id: with %TESORO_IMPORT_ROW_EXISTING, the id of the contact
 *   whose e-mail address matches; 0 otherwise
 *
 * One row of a preview.
 */
typedef struct
{
  guint64                line;
  guint64                record;
  char                 **values;
  TesoroContact         *contact;
  GPtrArray             *problems;
  TesoroImportRowStatus  status;
  gint64                 existing_id;
} TesoroImportRow;

#define TESORO_TYPE_IMPORT_ROW (tesoro_import_row_get_type ())

GType            tesoro_import_row_get_type (void) G_GNUC_CONST;
TesoroImportRow *tesoro_import_row_copy     (const TesoroImportRow *row);
void             tesoro_import_row_free     (TesoroImportRow       *row);
char            *tesoro_import_row_describe_problems (const TesoroImportRow *row);

/**
 * TesoroImportTotals:
 * @records: data records in the file (the header not counted)
 * @valid: records without problems
 * @invalid: records with at least one problem
 * @existing: valid records whose e-mail address belongs to a contact in
 *   the database
 * @duplicates: valid records whose e-mail address occurs on an earlier
 *   record of the file
 * @ragged: records with more or fewer fields than the header (a record
 *   with more non-empty fields than the header is invalid; missing fields
 *   count as empty)
 *
 * Totals over the whole file, from tesoro_import_session_preview().
 */
typedef struct
{
  guint64 records;
  guint64 valid;
  guint64 invalid;
  guint64 existing;
  guint64 duplicates;
  guint64 ragged;
} TesoroImportTotals;

/**
 * TesoroImportResult:
 * @records: data records read
 * @created: contacts created
 * @updated: existing contacts whose empty fields were filled
 *   (%TESORO_IMPORT_EXISTING_UPDATE)
 * @skipped: valid rows not imported: they matched an existing contact
 *   under %TESORO_IMPORT_EXISTING_SKIP, or under UPDATE matched a
 *   restricted contact or had nothing to add
 * @restricted: of @skipped, the rows that matched a restricted contact
 * @invalid: invalid rows left out (only with skip-invalid; without it the
 *   first invalid row is an error and nothing is stored)
 * @batch_id: the import batch, for tesoro_session_undo_import(); 0 after a
 *   dry run
 *
 * What tesoro_import_session_run() did.
 */
typedef struct
{
  guint64 records;
  guint64 created;
  guint64 updated;
  guint64 skipped;
  guint64 restricted;
  guint64 invalid;
  gint64  batch_id;
} TesoroImportResult;

#define TESORO_TYPE_IMPORT_SESSION (tesoro_import_session_get_type ())

G_DECLARE_FINAL_TYPE (TesoroImportSession, tesoro_import_session, TESORO, IMPORT_SESSION, GObject)

TesoroImportSession *tesoro_import_session_new              (const char           *path);
const char          *tesoro_import_session_get_path         (TesoroImportSession  *self);
const char          *tesoro_import_session_get_display_name (TesoroImportSession  *self);

/* What the file is; set before prepare(). After prepare() the getters
 * return what was detected. */
void                 tesoro_import_session_set_format       (TesoroImportSession  *self,
                                                             TesoroImportFormat    format);
TesoroImportFormat   tesoro_import_session_get_format       (TesoroImportSession  *self);
void                 tesoro_import_session_set_encoding     (TesoroImportSession  *self,
                                                             TesoroTextEncoding    encoding);
TesoroTextEncoding   tesoro_import_session_get_encoding     (TesoroImportSession  *self);
void                 tesoro_import_session_set_delimiter    (TesoroImportSession  *self,
                                                             char                  delimiter);
char                 tesoro_import_session_get_delimiter    (TesoroImportSession  *self);
void                 tesoro_import_session_set_has_header   (TesoroImportSession  *self,
                                                             gboolean              has_header);
gboolean             tesoro_import_session_get_has_header   (TesoroImportSession  *self);

gboolean             tesoro_import_session_is_prepared      (TesoroImportSession  *self);

/* The columns (CSV only; after prepare()). */
const char * const  *tesoro_import_session_get_header       (TesoroImportSession  *self);
guint                tesoro_import_session_get_n_columns    (TesoroImportSession  *self);
GPtrArray           *tesoro_import_session_get_sample       (TesoroImportSession  *self);
TesoroImportMapping *tesoro_import_session_get_mapping      (TesoroImportSession  *self);
void                 tesoro_import_session_set_disabled_fields (TesoroImportSession *self,
                                                                const char * const  *keys);
const char * const  *tesoro_import_session_get_disabled_fields (TesoroImportSession *self);
gboolean             tesoro_import_session_set_mapping      (TesoroImportSession  *self,
                                                             TesoroImportMapping  *mapping,
                                                             GError              **error);
gboolean             tesoro_import_session_load_mapping_file (TesoroImportSession *self,
                                                              const char          *path,
                                                              GError             **error);
gboolean             tesoro_import_session_get_mapping_remembered (TesoroImportSession *self);
gboolean             tesoro_import_session_get_own_format   (TesoroImportSession  *self);

/* How rows become contacts. */
gboolean             tesoro_import_session_set_default_country (TesoroImportSession *self,
                                                                const char          *country,
                                                                GError             **error);
const char          *tesoro_import_session_get_default_country (TesoroImportSession *self);
gboolean             tesoro_import_session_set_lawful_basis (TesoroImportSession  *self,
                                                             const char           *basis,
                                                             GError              **error);
const char          *tesoro_import_session_get_lawful_basis (TesoroImportSession  *self);
void                 tesoro_import_session_set_consent      (TesoroImportSession  *self,
                                                             TesoroConsentAnswer   consent);
TesoroConsentAnswer  tesoro_import_session_get_consent      (TesoroImportSession  *self);
char                *tesoro_import_session_dup_consent_source (TesoroImportSession *self);
void                 tesoro_import_session_set_existing     (TesoroImportSession  *self,
                                                             TesoroImportExisting  existing);
TesoroImportExisting tesoro_import_session_get_existing     (TesoroImportSession  *self);
void                 tesoro_import_session_set_skip_invalid (TesoroImportSession  *self,
                                                             gboolean              skip_invalid,
                                                             const char           *report_path);
gboolean             tesoro_import_session_get_skip_invalid (TesoroImportSession  *self);
const char          *tesoro_import_session_get_report_path  (TesoroImportSession  *self);
void                 tesoro_import_session_set_dry_run      (TesoroImportSession  *self,
                                                             gboolean              dry_run);
gboolean             tesoro_import_session_get_dry_run      (TesoroImportSession  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroImportRow, tesoro_import_row_free)

G_END_DECLS
