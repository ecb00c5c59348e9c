/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import"

#include "config.h"

#include "tesoro-import.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-audit.h"
#include "tesoro-bulk-private.h"
#include "tesoro-contact-json.h"
#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-export-contacts.h"
#include "tesoro-export.h"
#include "tesoro-gdpr.h"
#include "tesoro-store-private.h"
#include "tesoro-utils.h"
#include "tesoro-vcard.h"

/*
 * The import engine. It is part of the store layer (it includes
 * tesoro-store-private.h): rows go through the store's own insert path,
 * inside one transaction that this file opens and commits.
 */

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
};

G_DEFINE_FINAL_TYPE (TesoroImportSession, tesoro_import_session, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (TesoroImportRow, tesoro_import_row, tesoro_import_row_copy, tesoro_import_row_free)
G_DEFINE_BOXED_TYPE (TesoroImportBatch, tesoro_import_batch, tesoro_import_batch_copy, tesoro_import_batch_free)

/* How many raw records prepare() keeps for the File step, and how many it
 * reads to guess the order of day and month in dates. */
#define SAMPLE_RECORDS      20
#define DATE_SAMPLE_RECORDS 1000

/* Bytes of the file looked at to tell vCard from CSV. */
#define SNIFF_BYTES 4096

/* The page cache of the import's connection during a run, in KiB (SQLite's
 * negative cache_size; the PRAGMA below spells the same number). A
 * million contacts make a database of about 1 GB, mostly indexes written at
 * random places; a cache of 160 MB keeps most of their inner pages and
 * spills less, while the import stays within its 300 MB budget. */
#define RUN_CACHE_KIB (160 * 1024)

/* The settings key of a remembered mapping: this prefix and the layout
 * signature (tesoro_import_layout_signature()). */
#define MAPPING_KEY_PREFIX "import-mapping:"

#define AUDIT_IMPORT      "import"
#define AUDIT_IMPORT_UNDO "import-undo"

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/* Enums */

const char *
tesoro_import_format_to_string (TesoroImportFormat format)
{
  switch (format)
    {
    case TESORO_IMPORT_FORMAT_AUTO:
      return "auto";
    case TESORO_IMPORT_FORMAT_CSV:
      return "csv";
    case TESORO_IMPORT_FORMAT_VCARD:
      return "vcard";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tesoro_import_format_from_string (const char          *text,
                                  TesoroImportFormat  *format,
                                  GError             **error)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (text != NULL && (g_ascii_strcasecmp (text, "csv") == 0 || g_ascii_strcasecmp (text, "tsv") == 0))
    *format = TESORO_IMPORT_FORMAT_CSV;
  else if (text != NULL && (g_ascii_strcasecmp (text, "vcard") == 0 || g_ascii_strcasecmp (text, "vcf") == 0))
    *format = TESORO_IMPORT_FORMAT_VCARD;
  else if (text != NULL && g_ascii_strcasecmp (text, "auto") == 0)
    *format = TESORO_IMPORT_FORMAT_AUTO;
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Unknown import format “%s”: use csv or vcard"), text != NULL ? text : "");
      return FALSE;
    }

  return TRUE;
}

const char *
tesoro_import_existing_to_string (TesoroImportExisting existing)
{
  switch (existing)
    {
    case TESORO_IMPORT_EXISTING_SKIP:
      return "skip";
    case TESORO_IMPORT_EXISTING_UPDATE:
      return "update";
    case TESORO_IMPORT_EXISTING_CREATE:
      return "create";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tesoro_import_existing_from_string (const char            *text,
                                    TesoroImportExisting  *existing,
                                    GError               **error)
{
  g_return_val_if_fail (existing != NULL, FALSE);

  if (g_strcmp0 (text, "skip") == 0)
    *existing = TESORO_IMPORT_EXISTING_SKIP;
  else if (g_strcmp0 (text, "update") == 0)
    *existing = TESORO_IMPORT_EXISTING_UPDATE;
  else if (g_strcmp0 (text, "create") == 0)
    *existing = TESORO_IMPORT_EXISTING_CREATE;
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Unknown choice “%s” for existing contacts: use skip, update or create"),
                   text != NULL ? text : "");
      return FALSE;
    }

  return TRUE;
}

/* Rows */

static TesoroImportProblem *
problem_copy (const TesoroImportProblem *p)
{
  TesoroImportProblem *copy = g_new0 (TesoroImportProblem, 1);

  copy->column = p->column;
  copy->column_name = g_strdup (p->column_name);
  copy->value = g_strdup (p->value);
  copy->message = g_strdup (p->message);
  return copy;
}

static TesoroImportProblem *
problem_new (int         column,
             const char *column_name,
             const char *value,
             const char *message)
{
  TesoroImportProblem *p = g_new0 (TesoroImportProblem, 1);

  p->column = column;
  p->column_name = g_strdup (column_name);
  p->value = g_strdup (value);
  p->message = g_strdup (message);
  return p;
}

/**
 * tesoro_import_row_copy:
 *
 * Returns: (transfer full): a deep copy of @row (the contact is shared)
 */
TesoroImportRow *
tesoro_import_row_copy (const TesoroImportRow *row)
{
  TesoroImportRow *copy;

  g_return_val_if_fail (row != NULL, NULL);

  copy = g_new0 (TesoroImportRow, 1);
  copy->line = row->line;
  copy->record = row->record;
  copy->values = g_strdupv (row->values);
  copy->contact = row->contact != NULL ? g_object_ref (row->contact) : NULL;
  copy->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_problem_free);
  if (row->problems != NULL)
    for (guint i = 0; i < row->problems->len; i++)
      g_ptr_array_add (copy->problems, problem_copy (row->problems->pdata[i]));
  copy->status = row->status;
  copy->existing_id = row->existing_id;
  return copy;
}

void
tesoro_import_row_free (TesoroImportRow *row)
{
  if (row == NULL)
    return;
  g_strfreev (row->values);
  g_clear_object (&row->contact);
  g_clear_pointer (&row->problems, g_ptr_array_unref);
  g_free (row);
}

/**
 * tesoro_import_row_describe_problems:
 *
 * Returns: (transfer full): the row's problems in one line, for a tooltip
 * or a cell; "" when it has none
 */
char *
tesoro_import_row_describe_problems (const TesoroImportRow *row)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (row != NULL, NULL);

  if (row->problems != NULL)
    for (guint i = 0; i < row->problems->len; i++)
      {
        TesoroImportProblem *p = row->problems->pdata[i];

        if (text->len > 0)
          g_string_append (text, "; ");
        if (p->column_name != NULL)
          g_string_append_printf (text, _("%s: %s"), p->column_name, p->message);
        else
          g_string_append (text, p->message);
      }

  return g_string_free (text, FALSE);
}

/* Batches */

TesoroImportBatch *
tesoro_import_batch_copy (const TesoroImportBatch *batch)
{
  TesoroImportBatch *copy;

  g_return_val_if_fail (batch != NULL, NULL);

  copy = g_memdup2 (batch, sizeof *batch);
  copy->at = g_strdup (batch->at);
  copy->actor = g_strdup (batch->actor);
  copy->format = g_strdup (batch->format);
  copy->undone_at = g_strdup (batch->undone_at);
  return copy;
}

void
tesoro_import_batch_free (TesoroImportBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->at);
  g_free (batch->actor);
  g_free (batch->format);
  g_free (batch->undone_at);
  g_free (batch);
}

/* GObject */

static void
tesoro_import_session_finalize (GObject *object)
{
  TesoroImportSession *self = (TesoroImportSession *) object;

  g_free (self->path);
  g_free (self->display_name);
  g_strfreev (self->header);
  g_clear_pointer (&self->sample, g_ptr_array_unref);
  g_clear_pointer (&self->mapping, tesoro_import_mapping_unref);
  g_free (self->country);
  g_free (self->lawful_basis);
  g_free (self->report_path);

  G_OBJECT_CLASS (tesoro_import_session_parent_class)->finalize (object);
}

static void
tesoro_import_session_class_init (TesoroImportSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tesoro_import_session_finalize;
}

static void
tesoro_import_session_init (TesoroImportSession *self)
{
  self->has_header = TRUE;
  self->country = g_strdup (TESORO_DEFAULT_PHONE_COUNTRY);
  self->existing = TESORO_IMPORT_EXISTING_SKIP;
}

/* Configuration */

/**
 * tesoro_import_session_new:
 * @path: the file to import
 *
 * Returns: (transfer full): a session with the defaults: format, encoding
 * and delimiter detected, a header row, phone numbers of the Netherlands,
 * no fixed lawful basis or consent, rows of existing contacts skipped,
 * invalid rows an error
 */
TesoroImportSession *
tesoro_import_session_new (const char *path)
{
  TesoroImportSession *self;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);

  self = g_object_new (TESORO_TYPE_IMPORT_SESSION, NULL);
  self->path = g_strdup (path);
  self->display_name = g_path_get_basename (path);
  return self;
}

const char *
tesoro_import_session_get_path (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return self->path;
}

/**
 * tesoro_import_session_get_display_name:
 *
 * Returns: the file's base name, as errors and the consent source name it
 */
const char *
tesoro_import_session_get_display_name (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return self->display_name;
}

static void
unprepare (TesoroImportSession *self)
{
  self->prepared = FALSE;
}

void
tesoro_import_session_set_format (TesoroImportSession *self,
                                  TesoroImportFormat   format)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));
  self->format_requested = format;
  unprepare (self);
}

/**
 * tesoro_import_session_get_format:
 *
 * Returns: the format found by prepare(), or the one asked for before it
 */
TesoroImportFormat
tesoro_import_session_get_format (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), TESORO_IMPORT_FORMAT_AUTO);
  return self->prepared ? self->format : self->format_requested;
}

void
tesoro_import_session_set_encoding (TesoroImportSession *self,
                                    TesoroTextEncoding   encoding)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));
  self->encoding_requested = encoding;
  unprepare (self);
}

TesoroTextEncoding
tesoro_import_session_get_encoding (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), TESORO_TEXT_ENCODING_AUTO);
  return self->prepared ? self->encoding : self->encoding_requested;
}

/**
 * tesoro_import_session_set_delimiter:
 * @delimiter: `,` `;` tab or `|`, or 0 to detect it
 */
void
tesoro_import_session_set_delimiter (TesoroImportSession *self,
                                     char                 delimiter)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));
  self->delimiter_requested = delimiter;
  unprepare (self);
}

char
tesoro_import_session_get_delimiter (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), 0);
  return self->prepared ? self->delimiter : self->delimiter_requested;
}

void
tesoro_import_session_set_has_header (TesoroImportSession *self,
                                      gboolean             has_header)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));
  self->has_header = !!has_header;
  unprepare (self);
}

gboolean
tesoro_import_session_get_has_header (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), TRUE);
  return self->has_header;
}

gboolean
tesoro_import_session_is_prepared (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  return self->prepared;
}

/**
 * tesoro_import_session_get_header:
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the header
 * row of a CSV file, or %NULL without one (or for a vCard file)
 */
const char * const *
tesoro_import_session_get_header (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return (const char * const *) self->header;
}

guint
tesoro_import_session_get_n_columns (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), 0);
  return self->n_columns;
}

/**
 * tesoro_import_session_get_sample:
 *
 * Returns: (transfer none) (nullable) (element-type GStrv): the first
 * records of a CSV file exactly as read, for the File step
 */
GPtrArray *
tesoro_import_session_get_sample (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return self->sample;
}

/**
 * tesoro_import_session_get_mapping:
 *
 * Returns: (transfer none) (nullable): the column mapping of a prepared CSV
 * import; change it in place with tesoro_import_mapping_set_spec()
 */
TesoroImportMapping *
tesoro_import_session_get_mapping (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return self->mapping;
}

static char *
consent_source (TesoroImportSession *self)
{
  return g_strdup_printf ("import: %s", self->display_name);
}

/* The session's choices, carried over to its mapping. */
static void
configure_mapping (TesoroImportSession *self)
{
  g_autofree char *source = NULL;

  if (self->mapping == NULL)
    return;

  source = consent_source (self);
  tesoro_import_mapping_set_default_country (self->mapping, self->country, NULL);
  tesoro_import_mapping_set_fixed_lawful_basis (self->mapping, self->lawful_basis, NULL);
  tesoro_import_mapping_set_fixed_consent (self->mapping, self->consent);
  tesoro_import_mapping_set_consent_source (self->mapping, source);
  /* Tesoro's own export holds numbers Tesoro accepted; normalising them
   * again would change how they are written and break the round trip. */
  tesoro_import_mapping_set_normalize_phones (self->mapping, !self->own_format);
}

/**
 * tesoro_import_session_set_mapping:
 * @mapping: a mapping with as many columns as the file
 *
 * Replaces the column mapping (the session keeps a reference; the
 * session's country, lawful basis and consent are applied to it).
 */
gboolean
tesoro_import_session_set_mapping (TesoroImportSession  *self,
                                   TesoroImportMapping  *mapping,
                                   GError              **error)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);

  if (self->prepared && tesoro_import_mapping_get_n_columns (mapping) != self->n_columns)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The mapping has %u columns, but “%s” has %u"),
                   tesoro_import_mapping_get_n_columns (mapping), self->display_name, self->n_columns);
      return FALSE;
    }

  tesoro_import_mapping_ref (mapping);
  g_clear_pointer (&self->mapping, tesoro_import_mapping_unref);
  self->mapping = mapping;
  self->mapping_remembered = FALSE;
  configure_mapping (self);
  return TRUE;
}

/**
 * tesoro_import_session_load_mapping_file:
 * @path: a JSON file as tesoro_import_mapping_to_json() writes it (an
 *   object of column header or "#N" → spec, or an array of specs)
 *
 * Applies a saved mapping to the columns of the prepared file.
 */
gboolean
tesoro_import_session_load_mapping_file (TesoroImportSession  *self,
                                         const char           *path,
                                         GError              **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TesoroImportMapping) mapping = NULL;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!self->prepared || self->mapping == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("A column mapping applies to CSV files only"));
      return FALSE;
    }

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("Cannot read the mapping “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  mapping = tesoro_import_mapping_copy (self->mapping);
  if (!tesoro_import_mapping_load_json (mapping, json_parser_get_root (parser), error))
    {
      g_prefix_error (error, _("Mapping “%s”: "), path);
      return FALSE;
    }

  return tesoro_import_session_set_mapping (self, mapping, error);
}

/**
 * tesoro_import_session_get_mapping_remembered:
 *
 * Returns: whether the mapping is the one used last time for a file with
 * the same header row
 */
gboolean
tesoro_import_session_get_mapping_remembered (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  return self->mapping_remembered;
}

/**
 * tesoro_import_session_get_own_format:
 *
 * Returns: whether every column header is a field spec, as in the CSV
 * files Tesoro exports; phone numbers are then kept as written
 */
gboolean
tesoro_import_session_get_own_format (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  return self->own_format;
}

/**
 * tesoro_import_session_set_default_country:
 * @country: an ISO 3166 code ("NL", "BE", "GB", …) that
 *   tesoro_phone_country_is_supported()
 *
 * The country of phone numbers written without a country code.
 */
gboolean
tesoro_import_session_set_default_country (TesoroImportSession  *self,
                                           const char           *country,
                                           GError              **error)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (country != NULL, FALSE);

  upper = g_ascii_strup (country, -1);
  if (!tesoro_phone_country_is_supported (upper))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” is not a country Tesoro knows phone numbers of"), country);
      return FALSE;
    }

  tesoro_set_str (&self->country, upper);
  configure_mapping (self);
  return TRUE;
}

const char *
tesoro_import_session_get_default_country (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return self->country;
}

/**
 * tesoro_import_session_set_lawful_basis:
 * @basis: (nullable): a lawful basis (see tesoro_normalize_lawful_basis())
 *   for every row that has none of its own, or %NULL
 */
gboolean
tesoro_import_session_set_lawful_basis (TesoroImportSession  *self,
                                        const char           *basis,
                                        GError              **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);

  if (has_text (basis))
    {
      normalized = tesoro_normalize_lawful_basis (basis, error);
      if (normalized == NULL)
        return FALSE;
    }

  tesoro_set_str (&self->lawful_basis, normalized);
  configure_mapping (self);
  return TRUE;
}

const char *
tesoro_import_session_get_lawful_basis (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return self->lawful_basis;
}

/**
 * tesoro_import_session_set_consent:
 * @consent: marketing consent for every row without an answer of its own
 *
 * The consent is recorded with the source "import: FILENAME".
 */
void
tesoro_import_session_set_consent (TesoroImportSession *self,
                                   TesoroConsentAnswer  consent)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));
  self->consent = consent;
  configure_mapping (self);
}

TesoroConsentAnswer
tesoro_import_session_get_consent (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), TESORO_CONSENT_ANSWER_NONE);
  return self->consent;
}

/**
 * tesoro_import_session_dup_consent_source:
 *
 * Returns: (transfer full): "import: " and the file's base name
 */
char *
tesoro_import_session_dup_consent_source (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return consent_source (self);
}

void
tesoro_import_session_set_existing (TesoroImportSession  *self,
                                    TesoroImportExisting  existing)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));
  self->existing = existing;
}

TesoroImportExisting
tesoro_import_session_get_existing (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), TESORO_IMPORT_EXISTING_SKIP);
  return self->existing;
}

/**
 * tesoro_import_session_set_skip_invalid:
 * @skip_invalid: leave invalid rows out instead of stopping at the first
 * @report_path: (nullable): where to write the report of what was left out
 *   and why: a CSV file with the columns line, column, value and problem,
 *   written atomically, readable by its owner only
 */
void
tesoro_import_session_set_skip_invalid (TesoroImportSession *self,
                                        gboolean             skip_invalid,
                                        const char          *report_path)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));
  self->skip_invalid = !!skip_invalid;
  tesoro_set_str (&self->report_path, has_text (report_path) ? report_path : NULL);
}

gboolean
tesoro_import_session_get_skip_invalid (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  return self->skip_invalid;
}

const char *
tesoro_import_session_get_report_path (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return self->report_path;
}

/**
 * tesoro_import_session_set_dry_run:
 *
 * A dry run does everything a run does, counts included, and then rolls
 * it all back: nothing is stored, nothing remembered, nothing audited. The
 * report of invalid rows is still written.
 */
void
tesoro_import_session_set_dry_run (TesoroImportSession *self,
                                   gboolean             dry_run)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));
  self->dry_run = !!dry_run;
}

gboolean
tesoro_import_session_get_dry_run (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  return self->dry_run;
}

/* Errors */

static gboolean
cancelled_error (GError **error)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("The import was cancelled: nothing was imported"));
  return FALSE;
}

/* GIO reports cancellation in its own domain; the callers get Tesoro's. */
static void
translate_cancel (GError **error)
{
  if (error != NULL && *error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      cancelled_error (error);
    }
}

/* Preparing */

static TesoroImportFormat
format_from_name (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return TESORO_IMPORT_FORMAT_AUTO;
  if (g_ascii_strcasecmp (dot, ".vcf") == 0 || g_ascii_strcasecmp (dot, ".vcard") == 0)
    return TESORO_IMPORT_FORMAT_VCARD;
  if (g_ascii_strcasecmp (dot, ".csv") == 0 || g_ascii_strcasecmp (dot, ".tsv") == 0 ||
      g_ascii_strcasecmp (dot, ".txt") == 0)
    return TESORO_IMPORT_FORMAT_CSV;
  return TESORO_IMPORT_FORMAT_AUTO;
}

static TesoroImportFormat
format_from_content (const char    *path,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *decoded = NULL;
  char buffer[SNIFF_BYTES];
  gsize length = 0;
  const char *p;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return TESORO_IMPORT_FORMAT_AUTO;
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, sizeof buffer, &length, cancellable, error))
    return TESORO_IMPORT_FORMAT_AUTO;

  /* UTF-16 text is looked at as UTF-8. */
  if (length >= 2 && (((guchar) buffer[0] == 0xff && (guchar) buffer[1] == 0xfe) ||
                      ((guchar) buffer[0] == 0xfe && (guchar) buffer[1] == 0xff)))
    {
      gsize even = length & ~(gsize) 1;

      decoded = g_convert (buffer + 2, even - 2, "UTF-8",
                           (guchar) buffer[0] == 0xff ? "UTF-16LE" : "UTF-16BE", NULL, &length, NULL);
      if (decoded == NULL)
        return TESORO_IMPORT_FORMAT_CSV;
      p = decoded;
    }
  else
    {
      p = buffer;
      if (length >= 3 && memcmp (buffer, "\xef\xbb\xbf", 3) == 0)
        {
          p += 3;
          length -= 3;
        }
    }

  while (length > 0 && g_ascii_isspace (*p))
    {
      p++;
      length--;
    }

  if (length >= 11 && g_ascii_strncasecmp (p, "BEGIN:VCARD", 11) == 0)
    return TESORO_IMPORT_FORMAT_VCARD;
  return TESORO_IMPORT_FORMAT_CSV;
}

static void
csv_options (TesoroImportSession *self,
             TesoroCsvOptions    *options)
{
  tesoro_csv_options_init (options);
  options->encoding = self->encoding_requested;
  options->delimiter = self->delimiter_requested;
  options->has_header = self->has_header;
}

static TesoroCsvReader *
open_csv (TesoroImportSession  *self,
          gboolean              detected,
          GCancellable         *cancellable,
          GError              **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  TesoroCsvOptions options;

  csv_options (self, &options);
  if (detected)
    {
      /* Read with what prepare() found, so that every pass agrees. */
      options.encoding = self->encoding;
      options.delimiter = self->delimiter;
    }

  return tesoro_csv_reader_new_for_file (file, &options, cancellable, error);
}

/* Everything headers alone can say: is the file Tesoro's own export? */
static gboolean
headers_are_specs (char  **header,
                   guint   n_columns)
{
  if (header == NULL || n_columns == 0)
    return FALSE;

  for (guint i = 0; i < n_columns; i++)
    {
      g_autoptr(TesoroImportSpec) spec = tesoro_import_spec_parse (header[i], NULL);
      g_autofree char *canonical = NULL;

      if (spec == NULL || spec->field == TESORO_IMPORT_IGNORE)
        return FALSE;
      canonical = tesoro_import_spec_to_string (spec);
      if (g_strcmp0 (canonical, header[i]) != 0)
        return FALSE;
    }

  return TRUE;
}

static char *
mapping_key (TesoroImportMapping *mapping)
{
  g_autofree char *signature = tesoro_import_mapping_get_signature (mapping);

  return g_strconcat (MAPPING_KEY_PREFIX, signature, NULL);
}

/* The mapping used last time for this header layout, if any. */
static TesoroImportMapping *
lookup_remembered (TesoroStore         *store,
                   TesoroImportMapping *automatic)
{
  g_autofree char *key = mapping_key (automatic);
  g_autofree char *value = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(TesoroImportMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;
  TesoroDb *db = _tesoro_store_get_db (store);
  sqlite3_stmt *stmt;
  JsonNode *root;

  if (db == NULL)
    return NULL;

  stmt = tesoro_db_prepare (db, "SELECT value FROM settings WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  tesoro_db_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = tesoro_db_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (value == NULL)
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, value, -1, &error))
    {
      g_warning ("Ignoring the remembered import mapping %s: %s", key, error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "mapping"))
    return NULL;

  mapping = tesoro_import_mapping_copy (automatic);
  if (!tesoro_import_mapping_load_json (mapping, json_object_get_member (json_node_get_object (root), "mapping"),
                                        &error))
    {
      g_warning ("Ignoring the remembered import mapping %s: %s", key, error->message);
      return NULL;
    }

  return g_steal_pointer (&mapping);
}

static gboolean
remember_mapping (TesoroStore          *store,
                  TesoroImportMapping  *mapping,
                  GError              **error)
{
  g_autofree char *key = mapping_key (mapping);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  TesoroDb *db = _tesoro_store_get_db (store);
  sqlite3_stmt *stmt;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mapping");
  json_builder_add_value (builder, tesoro_import_mapping_to_json (mapping));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = tesoro_json_to_string (root, FALSE);

  stmt = tesoro_db_prepare (db,
                            "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;
  tesoro_db_bind_text (stmt, 1, key);
  tesoro_db_bind_text (stmt, 2, text);
  return tesoro_db_step_done (db, stmt, error);
}

static void
guess_date_order (TesoroImportMapping *mapping,
                  GPtrArray           *records)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  guint n_columns = tesoro_import_mapping_get_n_columns (mapping);

  for (guint c = 0; c < n_columns; c++)
    {
      if (tesoro_import_mapping_get_spec (mapping, c)->field != TESORO_IMPORT_BIRTHDAY)
        continue;
      for (guint r = 0; r < records->len; r++)
        {
          char **fields = records->pdata[r];

          if (g_strv_length (fields) > c)
            g_ptr_array_add (values, fields[c]);
        }
    }

  if (values->len > 0)
    tesoro_import_mapping_set_date_order (mapping,
                                          tesoro_guess_date_order ((const char * const *) values->pdata,
                                                                   values->len));
}

static gboolean
prepare_csv (TesoroImportSession  *self,
             TesoroStore          *store,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(TesoroImportMapping) automatic = NULL;
  g_autoptr(TesoroImportMapping) remembered = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *header;

  reader = open_csv (self, FALSE, cancellable, error);
  if (reader == NULL)
    return FALSE;
  if (!tesoro_csv_reader_prepare (reader, cancellable, error))
    return FALSE;

  self->encoding = tesoro_csv_reader_get_encoding (reader);
  self->delimiter = tesoro_csv_reader_get_delimiter (reader);

  /* The first records: for the File step, for a file without a header (the
   * number of columns), and for the order of dates. */
  while (records->len < DATE_SAMPLE_RECORDS)
    {
      if (!tesoro_csv_reader_next (reader, cancellable, &local_error))
        {
          if (local_error == NULL)
            break;
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          /* A bad record is shown by the preview; the File step shows what
           * could be read before it. */
          if (!tesoro_csv_reader_can_continue (reader))
            break;
          g_clear_error (&local_error);
          continue;
        }
      g_ptr_array_add (records, tesoro_csv_reader_dup_fields (reader));
    }

  header = tesoro_csv_reader_get_header (reader);
  if (self->has_header && (header == NULL || header[0] == NULL))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE, _("“%s” is empty"), self->display_name);
      return FALSE;
    }

  g_strfreev (self->header);
  self->header = self->has_header ? g_strdupv ((char **) header) : NULL;
  if (self->header != NULL)
    self->n_columns = g_strv_length (self->header);
  else
    {
      self->n_columns = 0;
      for (guint i = 0; i < records->len; i++)
        self->n_columns = MAX (self->n_columns, g_strv_length (records->pdata[i]));
      if (self->n_columns == 0)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE, _("“%s” is empty"), self->display_name);
          return FALSE;
        }
    }

  g_clear_pointer (&self->sample, g_ptr_array_unref);
  self->sample = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < records->len && i < SAMPLE_RECORDS; i++)
    g_ptr_array_add (self->sample, g_strdupv (records->pdata[i]));

  self->own_format = headers_are_specs (self->header, self->n_columns);

  automatic = tesoro_import_mapping_new_auto ((const char * const *) self->header, self->n_columns);
  guess_date_order (automatic, records);
  if (store != NULL)
    remembered = lookup_remembered (store, automatic);

  g_clear_pointer (&self->mapping, tesoro_import_mapping_unref);
  self->mapping_remembered = remembered != NULL;
  self->mapping = remembered != NULL ? g_steal_pointer (&remembered) : g_steal_pointer (&automatic);
  configure_mapping (self);

  return TRUE;
}

static gboolean
prepare_vcard (TesoroImportSession  *self,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(TesoroVcardReader) reader = NULL;
  g_autoptr(TesoroVcardCard) card = NULL;
  g_autoptr(GError) local_error = NULL;

  reader = tesoro_vcard_reader_new_for_file (file, self->encoding_requested, cancellable, error);
  if (reader == NULL)
    return FALSE;

  /* The first card tells the encoding; a bad one is for the preview. */
  card = tesoro_vcard_reader_next (reader, cancellable, &local_error);
  if (local_error != NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->encoding = tesoro_vcard_reader_get_encoding (reader);
  self->delimiter = 0;
  g_clear_pointer (&self->header, g_strfreev);
  self->n_columns = 0;
  g_clear_pointer (&self->sample, g_ptr_array_unref);
  g_clear_pointer (&self->mapping, tesoro_import_mapping_unref);
  self->mapping_remembered = FALSE;
  self->own_format = FALSE;

  return TRUE;
}

/**
 * tesoro_import_session_prepare:
 * @store: (nullable): the store whose remembered mappings to use
 *
 * Reads the start of the file: detects the format, the encoding and the
 * delimiter (unless set), reads the header row and the first records, and
 * sets up the column mapping — the one used last time for a file with the
 * same header row, else the automatic one. Quick enough for the main
 * thread. Call it again after changing the format, encoding, delimiter or
 * header setting; the lawful basis, consent and other choices are kept.
 */
gboolean
tesoro_import_session_prepare (TesoroImportSession  *self,
                               TesoroStore          *store,
                               GCancellable         *cancellable,
                               GError              **error)
{
  gboolean ok;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (store == NULL || TESORO_IS_STORE (store), FALSE);

  self->prepared = FALSE;

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("“%s” does not exist"), self->path);
      return FALSE;
    }
  if (g_file_test (self->path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO, _("“%s” is a folder, not a file"), self->path);
      return FALSE;
    }

  self->format = self->format_requested;
  if (self->format == TESORO_IMPORT_FORMAT_AUTO)
    self->format = format_from_name (self->display_name);
  if (self->format == TESORO_IMPORT_FORMAT_AUTO)
    {
      self->format = format_from_content (self->path, cancellable, error);
      if (self->format == TESORO_IMPORT_FORMAT_AUTO)
        {
          translate_cancel (error);
          return FALSE;
        }
    }

  if (self->format == TESORO_IMPORT_FORMAT_CSV)
    ok = prepare_csv (self, store, cancellable, error);
  else
    ok = prepare_vcard (self, cancellable, error);

  if (!ok)
    {
      translate_cancel (error);
      return FALSE;
    }

  self->prepared = TRUE;
  return TRUE;
}

/* Reading records */

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

static void
source_clear (Source *src)
{
  g_clear_pointer (&src->csv, tesoro_csv_reader_free);
  g_clear_pointer (&src->vcard, tesoro_vcard_reader_free);
  g_clear_pointer (&src->values, g_ptr_array_unref);
  g_clear_pointer (&src->owned, g_ptr_array_unref);
  g_clear_object (&src->contact);
  g_clear_pointer (&src->problems, g_ptr_array_unref);
}

static gboolean
source_open (Source               *src,
             TesoroImportSession  *session,
             GCancellable         *cancellable,
             GError              **error)
{
  GStatBuf st;

  memset (src, 0, sizeof *src);
  src->session = session;
  src->values = g_ptr_array_new ();
  src->owned = g_ptr_array_new_with_free_func (g_free);
  src->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_problem_free);

  if (g_stat (session->path, &st) == 0)
    src->file_size = st.st_size;

  if (session->format == TESORO_IMPORT_FORMAT_CSV)
    {
      src->csv = open_csv (session, TRUE, cancellable, error);
      if (src->csv == NULL || !tesoro_csv_reader_prepare (src->csv, cancellable, error))
        return FALSE;
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (session->path);

      src->vcard = tesoro_vcard_reader_new_for_file (file, session->encoding_requested, cancellable, error);
      if (src->vcard == NULL)
        return FALSE;
    }

  return TRUE;
}

static guint64
source_bytes_read (Source *src)
{
  return src->csv != NULL ? tesoro_csv_reader_get_bytes_read (src->csv)
                          : tesoro_vcard_reader_get_bytes_read (src->vcard);
}

static void
add_problem (Source     *src,
             int         column,
             const char *value,
             const char *message)
{
  g_autofree char *column_name = NULL;

  if (column >= 0 && src->session->mapping != NULL &&
      (guint) column < tesoro_import_mapping_get_n_columns (src->session->mapping))
    column_name = tesoro_import_mapping_dup_column_name (src->session->mapping, column);
  else if (column >= 0)
    column_name = g_strdup_printf (_("column %d"), column + 1);

  g_ptr_array_add (src->problems, problem_new (column, column_name, value, message));
}

static void
read_csv_record (Source *src)
{
  TesoroCsvReader *reader = src->csv;
  TesoroImportMapping *mapping = src->session->mapping;
  guint n_fields = tesoro_csv_reader_get_n_fields (reader);
  guint expected = tesoro_csv_reader_get_expected_n_fields (reader);
  GPtrArray *new_problems = NULL;

  g_ptr_array_set_size (src->values, 0);
  g_ptr_array_set_size (src->owned, 0);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *field = tesoro_csv_reader_get_field (reader, i, NULL);

      /* What a spreadsheet-safe export (Tesoro's or another's) protected
       * against formulas comes back as it was. */
      if (field[0] == '\'')
        {
          char *plain = tesoro_csv_unneutralize (field);

          g_ptr_array_add (src->owned, plain);
          field = plain;
        }
      g_ptr_array_add (src->values, (gpointer) field);
    }

  src->ragged = tesoro_csv_reader_is_ragged (reader);

  src->contact = tesoro_import_mapping_apply (mapping, (const char * const *) src->values->pdata,
                                              src->values->len, &new_problems);
  g_ptr_array_extend_and_steal (src->problems, new_problems);

  /* Missing fields count as empty; extra ones would be lost. */
  if (src->ragged && n_fields > expected)
    for (guint i = expected; i < n_fields; i++)
      if (*(const char *) src->values->pdata[i] != '\0')
        {
          g_autofree char *message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The row has %u fields, but the header has %u column: the extra values would be lost",
                                          "The row has %u fields, but the header has %u columns: the extra values would be lost",
                                          expected),
                             n_fields, expected);
          add_problem (src, -1, NULL, message);
          break;
        }
}

static gboolean
is_no_year_bday (const char *value)
{
  /* --MM-DD or --MMDD */
  return value != NULL && g_str_has_prefix (value, "--") &&
         ((strlen (value) == 7 && g_ascii_isdigit (value[2]) && g_ascii_isdigit (value[3]) && value[4] == '-' &&
           g_ascii_isdigit (value[5]) && g_ascii_isdigit (value[6])) ||
          (strlen (value) == 6 && g_ascii_isdigit (value[2]) && g_ascii_isdigit (value[3]) &&
           g_ascii_isdigit (value[4]) && g_ascii_isdigit (value[5])));
}

static void
read_vcard_card (Source          *src,
                 TesoroVcardCard *card)
{
  TesoroImportSession *session = src->session;
  TesoroContact *contact = g_object_ref (card->contact);
  g_autoptr(GError) error = NULL;

  src->line = card->line;
  src->contact = contact;

  /* Timestamps are the store's; REV says when the card changed, not when
   * the contact came into this database. */
  tesoro_contact_set_created_at (contact, NULL);
  tesoro_contact_set_updated_at (contact, NULL);
  tesoro_contact_set_last_activity_at (contact, NULL);

  /* A birthday without a year is kept in the year Tesoro uses for that
   * (TESORO_DATE_NO_YEAR), as the writer turns it back into --MMDD. */
  for (guint i = 0; card->extra != NULL && i < card->extra->len; i++)
    {
      TesoroCustomValue *extra = card->extra->pdata[i];

      if (g_strcmp0 (extra->name, "BDAY") == 0 && is_no_year_bday (extra->value) &&
          !has_text (tesoro_contact_get_birthday (contact)))
        {
          const char *digits = extra->value + 2;
          g_autofree char *date = strlen (extra->value) == 7
            ? g_strdup_printf ("%d-%.2s-%.2s", TESORO_DATE_NO_YEAR, digits, digits + 3)
            : g_strdup_printf ("%d-%.2s-%.2s", TESORO_DATE_NO_YEAR, digits, digits + 2);

          if (tesoro_is_valid_date (date))
            tesoro_contact_set_birthday (contact, date);
        }
    }

  if (!has_text (tesoro_contact_get_lawful_basis (contact)) && session->lawful_basis != NULL)
    tesoro_contact_set_lawful_basis (contact, session->lawful_basis);

  if (session->consent != TESORO_CONSENT_ANSWER_NONE)
    {
      TesoroConsentEvent *event = tesoro_consent_event_new ();

      event->purpose = g_strdup (TESORO_PURPOSE_MARKETING_EMAIL);
      event->granted = session->consent == TESORO_CONSENT_ANSWER_GRANTED;
      event->source = consent_source (session);
      event->evidence = g_strdup (_("Imported: set for the whole import"));
      g_ptr_array_add (tesoro_contact_get_consent (contact), event);
    }

  if (!has_text (tesoro_contact_get_given_name (contact)) &&
      !has_text (tesoro_contact_get_family_name (contact)) &&
      !has_text (tesoro_contact_get_display_name (contact)) &&
      tesoro_contact_get_emails (contact)->len == 0)
    add_problem (src, -1, NULL, _("The card has neither a name nor an e-mail address"));
  else if (!tesoro_contact_validate (contact, &error))
    add_problem (src, -1, NULL, error->message);
}

/*
 * Reads the next record. Returns 1 when there is one (possibly broken:
 * src->broken, with its problem), 0 at the end of the file, -1 on an error
 * that ends the reading.
 */
static int
source_next (Source        *src,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_clear_object (&src->contact);
  g_ptr_array_set_size (src->problems, 0);
  src->broken = FALSE;
  src->ragged = FALSE;

  if (src->csv != NULL)
    {
      if (tesoro_csv_reader_next (src->csv, cancellable, &local_error))
        {
          src->record++;
          src->line = tesoro_csv_reader_get_line (src->csv);
          read_csv_record (src);
          return 1;
        }
      if (local_error == NULL)
        return 0;
      if (tesoro_csv_reader_can_continue (src->csv))
        {
          src->record++;
          src->line = tesoro_csv_reader_get_line (src->csv);
          src->broken = TRUE;
          add_problem (src, -1, NULL, local_error->message);
          return 1;
        }
    }
  else
    {
      g_autoptr(TesoroVcardCard) card = tesoro_vcard_reader_next (src->vcard, cancellable, &local_error);

      if (card != NULL)
        {
          src->record++;
          read_vcard_card (src, card);
          return 1;
        }
      if (local_error == NULL)
        return 0;
      if (tesoro_vcard_reader_can_continue (src->vcard))
        {
          src->record++;
          src->line = tesoro_vcard_reader_get_line (src->vcard);
          src->broken = TRUE;
          add_problem (src, -1, NULL, local_error->message);
          return 1;
        }
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  translate_cancel (error);
  return -1;
}

/* The error of an invalid row when invalid rows are not skipped. */
static void
set_row_error (Source  *src,
               GError **error)
{
  TesoroImportProblem *p = src->problems->pdata[0];
  const char *name = src->session->display_name;

  if (src->broken)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                 _("%s%s Nothing was imported; choose to skip invalid rows to import the rest."), p->message,
                 g_str_has_suffix (p->message, ".") ? "" : ".");
  else if (p->column_name != NULL)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                 _("%s, line %" PRIu64 ", column “%s”: %s. Nothing was imported; choose to skip "
                   "invalid rows to import the rest."),
                 name, src->line, p->column_name, p->message);
  else
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                 _("%s, line %" PRIu64 ": %s. Nothing was imported; choose to skip invalid rows "
                   "to import the rest."),
                 name, src->line, p->message);
}

/* Matching existing contacts */

/* The contact (not in the trash) that has one of @contact's e-mail
 * addresses — or, for a vCard, its uid — or 0; -1 on error. */
static gint64
find_existing (TesoroDb       *db,
               TesoroContact  *contact,
               GError        **error)
{
  GPtrArray *emails = tesoro_contact_get_emails (contact);
  sqlite3_stmt *stmt;
  gint64 found = 0;

  if (has_text (tesoro_contact_get_uid (contact)))
    {
      stmt = tesoro_db_prepare (db, "SELECT id FROM contacts WHERE uid = ?1 AND trashed_at IS NULL", error);
      if (stmt == NULL)
        return -1;
      tesoro_db_bind_text (stmt, 1, tesoro_contact_get_uid (contact));
      if (tesoro_db_step (db, stmt, error) == SQLITE_ROW)
        found = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (found > 0)
        return found;
    }

  for (guint i = 0; i < emails->len; i++)
    {
      TesoroDetail *d = emails->pdata[i];
      int rc;

      stmt = tesoro_db_prepare (db,
                                "SELECT min (e.contact_id) FROM contact_emails e"
                                " JOIN contacts c ON c.id = e.contact_id"
                                " WHERE e.value = ?1 COLLATE NOCASE AND c.trashed_at IS NULL",
                                error);
      if (stmt == NULL)
        return -1;
      tesoro_db_bind_text (stmt, 1, d->value);
      rc = tesoro_db_step (db, stmt, error);
      if (rc < 0)
        return -1;
      if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        found = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (found > 0)
        return found;
    }

  return 0;
}

/* A uid that is already taken cannot be stored twice. */
static gboolean
uid_taken (TesoroDb      *db,
           const char    *uid,
           gboolean      *taken,
           GError       **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, "SELECT 1 FROM contacts WHERE uid = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  tesoro_db_bind_text (stmt, 1, uid);
  rc = tesoro_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  *taken = rc == SQLITE_ROW;
  return TRUE;
}

/* E-mail addresses seen on earlier rows of the file, by a 64-bit hash of
 * the folded address: a million rows fit in a few tens of MB. */
static gpointer
email_key (const char *email)
{
  g_autofree char *folded = g_utf8_casefold (email, -1);
  guint64 h = 14695981039346656037ULL;

  for (const guchar *p = (const guchar *) folded; *p != '\0'; p++)
    {
      h ^= *p;
      h *= 1099511628211ULL;
    }
  /* 0 is not a valid key of a GHashTable set with NULL values. */
  return GSIZE_TO_POINTER ((gsize) (h | 1));
}

static gboolean
seen_before (GHashTable    *seen,
             TesoroContact *contact)
{
  GPtrArray *emails = tesoro_contact_get_emails (contact);
  gboolean duplicate = FALSE;

  for (guint i = 0; i < emails->len; i++)
    {
      gpointer key = email_key (((TesoroDetail *) emails->pdata[i])->value);

      if (g_hash_table_contains (seen, key))
        duplicate = TRUE;
      else
        g_hash_table_add (seen, key);
    }

  return duplicate;
}

/* For the run: the e-mail addresses already in the database or imported
 * so far, by hash. Most rows of a big import match nothing; this answers
 * them without a query. A hash that is found is checked with the query. */
#define MAX_PREFILTER_EMAILS 4000000

static GHashTable *
email_prefilter_new (TesoroDb  *db,
                     GError   **error)
{
  g_autoptr(GHashTable) set = NULL;
  sqlite3_stmt *stmt;
  gint64 n;
  int rc;

  n = tesoro_db_query_int (db, "SELECT count (*) FROM contact_emails", error);
  if (n < 0)
    return NULL;
  set = g_hash_table_new (g_direct_hash, g_direct_equal);
  if (n > MAX_PREFILTER_EMAILS)
    return g_steal_pointer (&set);   /* used as "unknown": see email_maybe_known() */

  stmt = tesoro_db_prepare (db, "SELECT value FROM contact_emails", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    g_hash_table_add (set, email_key (tesoro_db_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  /* A marker that the set is complete. */
  g_hash_table_add (set, GSIZE_TO_POINTER (2));
  return g_steal_pointer (&set);
}

static gboolean
email_maybe_known (GHashTable    *set,
                   TesoroContact *contact)
{
  GPtrArray *emails = tesoro_contact_get_emails (contact);

  if (!g_hash_table_contains (set, GSIZE_TO_POINTER (2)))
    return TRUE;
  for (guint i = 0; i < emails->len; i++)
    if (g_hash_table_contains (set, email_key (((TesoroDetail *) emails->pdata[i])->value)))
      return TRUE;
  return FALSE;
}

static void
email_remember (GHashTable    *set,
                TesoroContact *contact)
{
  GPtrArray *emails = tesoro_contact_get_emails (contact);

  for (guint i = 0; i < emails->len; i++)
    g_hash_table_add (set, email_key (((TesoroDetail *) emails->pdata[i])->value));
}

/* Preview */

/**
 * tesoro_import_session_preview:
 * @store: the store to compare e-mail addresses with (for rows of
 *   existing contacts); a worker's own store when @totals is wanted
 * @max_rows: how many rows to return
 * @progress: (nullable): called with bytes read and the file size
 * @rows: (out) (transfer full) (element-type TesoroImportRow): the first
 *   @max_rows rows as they will be stored, each with its problems
 * @totals: (out caller-allocates) (optional): totals over the whole file;
 *   %NULL to read only the first rows
 *
 * Reads the file as the import would, without storing anything. A record
 * that cannot be read but after which reading can go on (a stray quote, a
 * field that is too long) is an invalid row; an error that ends the
 * reading (an unterminated quote at the end of the file, invalid text, a
 * NUL byte) is returned as an error naming the file, line and column.
 */
gboolean
tesoro_import_session_preview (TesoroImportSession  *self,
                               TesoroStore          *store,
                               guint                 max_rows,
                               GCancellable         *cancellable,
                               TesoroProgressFunc    progress,
                               gpointer              user_data,
                               GPtrArray           **rows,
                               TesoroImportTotals   *totals,
                               GError              **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_row_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  TesoroImportTotals counts = { 0 };
  TesoroBulkProgress prog = { progress, user_data, 0, 0 };
  TesoroDb *db;
  Source src;
  int rc;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (TESORO_IS_STORE (store), FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  *rows = NULL;
  if (!self->prepared)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The import has not been prepared"));
      return FALSE;
    }

  db = _tesoro_store_get_db (store);
  if (!source_open (&src, self, cancellable, error))
    {
      source_clear (&src);
      translate_cancel (error);
      return FALSE;
    }
  prog.total = src.file_size;

  while ((rc = source_next (&src, cancellable, error)) > 0)
    {
      TesoroImportRowStatus status;
      gint64 existing_id = 0;

      if (g_cancellable_is_cancelled (cancellable))
        {
          source_clear (&src);
          return cancelled_error (error);
        }

      counts.records++;
      if (src.ragged)
        counts.ragged++;

      if (src.problems->len > 0)
        {
          status = TESORO_IMPORT_ROW_INVALID;
          counts.invalid++;
        }
      else
        {
          counts.valid++;
          existing_id = find_existing (db, src.contact, error);
          if (existing_id < 0)
            {
              source_clear (&src);
              return FALSE;
            }
          if (existing_id > 0)
            {
              status = TESORO_IMPORT_ROW_EXISTING;
              counts.existing++;
              seen_before (seen, src.contact);
            }
          else if (seen_before (seen, src.contact))
            {
              status = TESORO_IMPORT_ROW_DUPLICATE;
              counts.duplicates++;
            }
          else
            status = TESORO_IMPORT_ROW_NEW;
        }

      if (result->len < max_rows)
        {
          TesoroImportRow *row = g_new0 (TesoroImportRow, 1);

          row->line = src.line;
          row->record = src.record;
          if (src.csv != NULL && !src.broken)
            row->values = tesoro_csv_reader_dup_fields (src.csv);
          row->contact = src.broken ? NULL : g_object_ref (src.contact);
          row->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_problem_free);
          for (guint i = 0; i < src.problems->len; i++)
            g_ptr_array_add (row->problems, problem_copy (src.problems->pdata[i]));
          row->status = status;
          row->existing_id = existing_id;
          g_ptr_array_add (result, row);
        }
      else if (totals == NULL)
        break;

      if ((counts.records & 255) == 0)
        _tesoro_bulk_progress_report (&prog, source_bytes_read (&src), FALSE);
    }

  if (rc < 0)
    {
      source_clear (&src);
      return FALSE;
    }

  _tesoro_bulk_progress_report (&prog, prog.total, TRUE);
  source_clear (&src);

  if (totals != NULL)
    *totals = counts;
  *rows = g_steal_pointer (&result);
  return TRUE;
}

/* Filling the empty fields of an existing contact */

typedef struct
{
  const char *(*get) (TesoroContact *);
  void        (*set) (TesoroContact *, const char *);
} ScalarField;

static const ScalarField scalar_fields[] = {
  { tesoro_contact_get_given_name, tesoro_contact_set_given_name },
  { tesoro_contact_get_family_name, tesoro_contact_set_family_name },
  { tesoro_contact_get_organization, tesoro_contact_set_organization },
  { tesoro_contact_get_job_title, tesoro_contact_set_job_title },
  { tesoro_contact_get_birthday, tesoro_contact_set_birthday },
  { tesoro_contact_get_lawful_basis, tesoro_contact_set_lawful_basis },
};

static gboolean
has_detail (GPtrArray  *details,
            const char *value,
            gboolean    ignore_case)
{
  for (guint i = 0; i < details->len; i++)
    {
      const char *v = ((TesoroDetail *) details->pdata[i])->value;

      if (ignore_case ? g_ascii_strcasecmp (v, value) == 0 : g_strcmp0 (v, value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Fills what @target lacks from @incoming. Returns whether the contact's
 * own fields changed (the history is for the caller). */
static gboolean
fill_fields (TesoroContact *target,
             TesoroContact *incoming)
{
  gboolean changed = FALSE;
  GPtrArray *array;

  for (guint i = 0; i < G_N_ELEMENTS (scalar_fields); i++)
    if (!has_text (scalar_fields[i].get (target)) && has_text (scalar_fields[i].get (incoming)))
      {
        scalar_fields[i].set (target, scalar_fields[i].get (incoming));
        changed = TRUE;
      }

  array = tesoro_contact_get_emails (incoming);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroDetail *d = array->pdata[i];

      if (!has_detail (tesoro_contact_get_emails (target), d->value, TRUE))
        {
          tesoro_contact_add_email (target, d->label, d->value, FALSE);
          changed = TRUE;
        }
    }

  array = tesoro_contact_get_phones (incoming);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroDetail *d = array->pdata[i];

      if (!has_detail (tesoro_contact_get_phones (target), d->value, FALSE))
        {
          tesoro_contact_add_phone (target, d->label, d->value, FALSE);
          changed = TRUE;
        }
    }

  array = tesoro_contact_get_addresses (incoming);
  if (tesoro_contact_get_addresses (target)->len == 0 && array->len > 0)
    {
      for (guint i = 0; i < array->len; i++)
        g_ptr_array_add (tesoro_contact_get_addresses (target), tesoro_address_copy (array->pdata[i]));
      changed = TRUE;
    }

  array = tesoro_contact_get_custom_values (incoming);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroCustomValue *cv = array->pdata[i];

      if (!has_text (tesoro_contact_get_custom_value (target, cv->name)) && has_text (cv->value))
        {
          tesoro_contact_set_custom_value (target, cv->name, cv->value);
          changed = TRUE;
        }
    }

  array = tesoro_contact_get_tags (incoming);
  for (guint i = 0; i < array->len; i++)
    if (!tesoro_contact_has_tag (target, array->pdata[i]))
      {
        g_ptr_array_add (tesoro_contact_get_tags (target), g_strdup (array->pdata[i]));
        changed = TRUE;
      }

  return changed;
}

static void
strip_history (TesoroContact *contact)
{
  g_ptr_array_set_size (tesoro_contact_get_notes (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_messages (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_tasks (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_activities (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_consent (contact), 0);
}

static gboolean
has_note (TesoroContact *contact,
          const char    *body)
{
  GPtrArray *notes = tesoro_contact_get_notes (contact);

  for (guint i = 0; i < notes->len; i++)
    if (g_strcmp0 (((TesoroNote *) notes->pdata[i])->body, body) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_consent (TesoroContact *contact)
{
  GPtrArray *events = tesoro_contact_get_consent (contact);

  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((TesoroConsentEvent *) events->pdata[i])->purpose, TESORO_PURPOSE_MARKETING_EMAIL) == 0)
      return TRUE;
  return FALSE;
}

/* The import's record of an updated contact: its fields before, and the
 * history rows the import added. Personal data: it goes with the contact
 * (ON DELETE CASCADE). */
static gboolean
record_update (TesoroDb       *db,
               gint64          batch_id,
               gint64          contact_id,
               TesoroContact  *before,
               GArray         *note_ids,
               GArray         *consent_ids,
               GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) old_root = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* A contact updated by two rows keeps its state from before the first,
   * and collects the history rows of both. */
  stmt = tesoro_db_prepare (db, "SELECT previous FROM import_items WHERE batch_id = ?1 AND contact_id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    old_root = json_from_string (tesoro_db_column_text (stmt, 0), NULL);
  sqlite3_reset (stmt);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contact");
  if (old_root != NULL && JSON_NODE_HOLDS_OBJECT (old_root) &&
      json_object_has_member (json_node_get_object (old_root), "contact"))
    json_builder_add_value (builder, json_node_copy (json_object_get_member (json_node_get_object (old_root), "contact")));
  else
    json_builder_add_value (builder, tesoro_contact_to_json_node (before));

  for (guint k = 0; k < 2; k++)
    {
      const char *member = k == 0 ? "notes" : "consent";
      GArray *ids = k == 0 ? note_ids : consent_ids;

      json_builder_set_member_name (builder, member);
      json_builder_begin_array (builder);
      if (old_root != NULL && JSON_NODE_HOLDS_OBJECT (old_root) &&
          json_object_has_member (json_node_get_object (old_root), member))
        {
          JsonArray *old = json_object_get_array_member (json_node_get_object (old_root), member);

          for (guint i = 0; old != NULL && i < json_array_get_length (old); i++)
            json_builder_add_int_value (builder, json_array_get_int_element (old, i));
        }
      for (guint i = 0; i < ids->len; i++)
        json_builder_add_int_value (builder, g_array_index (ids, gint64, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = tesoro_json_to_string (root, FALSE);

  stmt = tesoro_db_prepare (db,
                            "INSERT INTO import_items (batch_id, contact_id, action, previous)"
                            " VALUES (?1, ?2, 'updated', ?3)"
                            " ON CONFLICT (batch_id, contact_id) DO UPDATE SET previous = excluded.previous",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  tesoro_db_bind_text (stmt, 3, text);
  return tesoro_db_step_done (db, stmt, error);
}

typedef enum
{
  UPDATE_DONE,
  UPDATE_NOTHING,
  UPDATE_RESTRICTED,
} UpdateOutcome;

/* Fills the empty fields of contact @id from @incoming, inside the run's
 * transaction. */
static gboolean
update_existing (TesoroImportSession  *self,
                 TesoroStore          *store,
                 gint64                batch_id,
                 gint64                id,
                 gboolean              created_here,
                 TesoroContact        *incoming,
                 UpdateOutcome        *outcome,
                 GError              **error)
{
  TesoroDb *db = _tesoro_store_get_db (store);
  g_autoptr(TesoroContact) existing = NULL;
  g_autoptr(TesoroContact) target = NULL;
  g_autoptr(TesoroContact) before = NULL;
  g_autoptr(GArray) note_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) consent_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean changed;
  GPtrArray *array;

  existing = tesoro_store_get_contact (store, id, error);
  if (existing == NULL)
    return FALSE;

  if (tesoro_contact_get_restricted (existing))
    {
      *outcome = UPDATE_RESTRICTED;
      return TRUE;
    }

  before = tesoro_contact_copy (existing);
  strip_history (before);
  target = tesoro_contact_copy (before);

  changed = fill_fields (target, incoming);
  if (changed && !tesoro_store_update_contact (store, target, error))
    return FALSE;

  array = tesoro_contact_get_notes (incoming);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroNote *n = array->pdata[i];
      gint64 note_id;

      if (!has_text (n->body) || has_note (existing, n->body))
        continue;
      note_id = tesoro_store_add_note (store, id, n->body, error);
      if (note_id < 0)
        return FALSE;
      g_array_append_val (note_ids, note_id);
    }

  /* An import never overrides what the person said: consent is recorded
   * only for a contact with no marketing consent on record. */
  array = tesoro_contact_get_consent (incoming);
  for (guint i = 0; i < array->len && !has_consent (existing); i++)
    {
      TesoroConsentEvent *c = array->pdata[i];
      gint64 event_id;

      if (g_strcmp0 (c->purpose, TESORO_PURPOSE_MARKETING_EMAIL) != 0)
        continue;
      event_id = tesoro_store_record_consent (store, id, c->purpose, c->granted, NULL, c->source, c->evidence,
                                              error);
      if (event_id < 0)
        return FALSE;
      g_array_append_val (consent_ids, event_id);
      break;
    }

  if (!changed && note_ids->len == 0 && consent_ids->len == 0)
    {
      *outcome = UPDATE_NOTHING;
      return TRUE;
    }

  /* A contact this import created goes as a whole on Undo. */
  if (!created_here && !record_update (db, batch_id, id, before, note_ids, consent_ids, error))
    return FALSE;

  *outcome = UPDATE_DONE;
  return TRUE;
}

/* The report of invalid rows */

typedef struct
{
  TesoroAtomicFile *file;
  TesoroCsvWriter  *writer;
} Report;

static void
report_clear (Report *report)
{
  g_clear_pointer (&report->writer, tesoro_csv_writer_free);
  g_clear_pointer (&report->file, tesoro_atomic_file_free);
}

static gboolean
report_open (Report      *report,
             const char  *path,
             GError     **error)
{
  static const char * const header[] = { "line", "column", "value", "problem" };
  char delimiter = ',';
  gboolean bom = TRUE;

  report->file = tesoro_atomic_file_new (path, error);
  if (report->file == NULL)
    return FALSE;

  /* People open it in a spreadsheet. */
  tesoro_contact_export_csv_defaults (NULL, &delimiter, &bom);
  report->writer = tesoro_csv_writer_new (tesoro_atomic_file_get_stream (report->file), delimiter,
                                          TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS |
                                          (bom ? TESORO_CSV_WRITER_BOM : 0));
  return tesoro_csv_writer_write_row (report->writer, header, G_N_ELEMENTS (header), NULL, error);
}

static gboolean
report_add (Report        *report,
            Source        *src,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *line = g_strdup_printf ("%" PRIu64, src->line);

  for (guint i = 0; i < src->problems->len; i++)
    {
      TesoroImportProblem *p = src->problems->pdata[i];
      g_autofree char *value = p->value != NULL ? tesoro_text_excerpt (p->value, -1, 200) : NULL;
      const char *fields[] = { line, p->column_name != NULL ? p->column_name : "", value != NULL ? value : "",
                               p->message };

      if (!tesoro_csv_writer_write_row (report->writer, fields, G_N_ELEMENTS (fields), cancellable, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
report_commit (Report        *report,
               GCancellable  *cancellable,
               GError       **error)
{
  return tesoro_csv_writer_flush (report->writer, cancellable, error) &&
         tesoro_atomic_file_commit (report->file, cancellable, error);
}

/* Running */

static JsonNode *
counts_to_json (TesoroImportSession      *self,
                const TesoroImportResult *r)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, tesoro_import_format_to_string (self->format));
  json_builder_set_member_name (builder, "records");
  json_builder_add_int_value (builder, r->records);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, r->created);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, r->updated);
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, r->skipped);
  json_builder_set_member_name (builder, "restricted");
  json_builder_add_int_value (builder, r->restricted);
  json_builder_set_member_name (builder, "invalid");
  json_builder_add_int_value (builder, r->invalid);
  json_builder_set_member_name (builder, "existing");
  json_builder_add_string_value (builder, tesoro_import_existing_to_string (self->existing));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/*
 * The uid of an imported contact: a UUID of version 7 (RFC 9562), whose
 * first 48 bits are the time in milliseconds and the rest random. It is as
 * stable and as free of personal data as a random one, and says no more
 * than the contact's created_at; but a million of them arrive in order, so
 * the uid index grows at its end instead of being written at random places.
 */
typedef struct
{
  GRand   *rand;
  guint64  last_ms;
  guint    counter;
} UidMaker;

static char *
uid_make (UidMaker *maker)
{
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint8 b[16];

  /* Monotonic within a millisecond: a 12-bit counter in rand_a. */
  if (ms <= maker->last_ms)
    {
      ms = maker->last_ms;
      if (++maker->counter >= 0x1000)
        {
          ms++;
          maker->counter = g_rand_int_range (maker->rand, 0, 0x800);
        }
    }
  else
    maker->counter = g_rand_int_range (maker->rand, 0, 0x800);
  maker->last_ms = ms;

  for (int i = 0; i < 6; i++)
    b[i] = (ms >> (8 * (5 - i))) & 0xff;
  b[6] = 0x70 | ((maker->counter >> 8) & 0x0f);
  b[7] = maker->counter & 0xff;
  for (int i = 8; i < 16; i += 4)
    {
      guint32 r = g_rand_int (maker->rand);
      memcpy (b + i, &r, 4);
    }
  b[8] = 0x80 | (b[8] & 0x3f);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static gboolean
insert_created_item (TesoroDb  *db,
                     gint64     batch_id,
                     gint64     contact_id,
                     GError   **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db,
                                          "INSERT INTO import_items (batch_id, contact_id, action)"
                                          " VALUES (?1, ?2, 'created')",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  return tesoro_db_step_done (db, stmt, error);
}

/* Inside the transaction of run(): everything but the commit. */
static gboolean
run_rows (TesoroImportSession  *self,
          TesoroStore          *store,
          Source               *src,
          Report               *report,
          gint64                batch_id,
          GCancellable         *cancellable,
          TesoroBulkProgress   *prog,
          TesoroImportResult   *r,
          GError              **error)
{
  TesoroDb *db = _tesoro_store_get_db (store);
  g_autofree char *now = tesoro_now_iso ();
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(GHashTable) known = NULL;
  UidMaker uids = { rand, 0, 0 };
  gint64 max_id_before;
  int rc;

  max_id_before = tesoro_db_query_int (db, "SELECT ifnull (max (id), 0) FROM contacts", error);
  if (max_id_before < 0)
    return FALSE;

  if (self->existing != TESORO_IMPORT_EXISTING_CREATE)
    {
      known = email_prefilter_new (db, error);
      if (known == NULL)
        return FALSE;
    }

  while ((rc = source_next (src, cancellable, error)) > 0)
    {
      gint64 existing_id = 0;

      if (g_cancellable_is_cancelled (cancellable))
        return cancelled_error (error);

      r->records++;
      if ((r->records & 255) == 0)
        _tesoro_bulk_progress_report (prog, source_bytes_read (src), FALSE);

      if (src->problems->len > 0)
        {
          if (!self->skip_invalid)
            {
              set_row_error (src, error);
              return FALSE;
            }
          r->invalid++;
          if (report->writer != NULL && !report_add (report, src, cancellable, error))
            return FALSE;
          continue;
        }

      if (self->existing != TESORO_IMPORT_EXISTING_CREATE &&
          (has_text (tesoro_contact_get_uid (src->contact)) || email_maybe_known (known, src->contact)))
        {
          existing_id = find_existing (db, src->contact, error);
          if (existing_id < 0)
            return FALSE;
        }

      if (existing_id > 0 && self->existing == TESORO_IMPORT_EXISTING_SKIP)
        {
          r->skipped++;
          continue;
        }

      if (existing_id > 0)
        {
          UpdateOutcome outcome = UPDATE_NOTHING;

          if (!update_existing (self, store, batch_id, existing_id, existing_id > max_id_before,
                                src->contact, &outcome, error))
            return FALSE;
          if (outcome == UPDATE_DONE)
            email_remember (known, src->contact);
          switch (outcome)
            {
            case UPDATE_DONE:
              r->updated++;
              break;
            case UPDATE_RESTRICTED:
              r->restricted++;
              r->skipped++;
              break;
            case UPDATE_NOTHING:
            default:
              r->skipped++;
              break;
            }
          continue;
        }

      /* A vCard's uid names one contact; a second one gets its own. */
      if (has_text (tesoro_contact_get_uid (src->contact)))
        {
          gboolean taken = FALSE;

          if (!uid_taken (db, tesoro_contact_get_uid (src->contact), &taken, error))
            return FALSE;
          if (taken)
            tesoro_contact_set_uid (src->contact, NULL);
        }
      if (!has_text (tesoro_contact_get_uid (src->contact)))
        {
          g_autofree char *uid = uid_make (&uids);
          tesoro_contact_set_uid (src->contact, uid);
        }

      if (!_tesoro_store_insert_contact (store, src->contact, now, error))
        {
          g_prefix_error (error, _("%s, line %" PRIu64 ": "), self->display_name, src->line);
          return FALSE;
        }
      if (!insert_created_item (db, batch_id, tesoro_contact_get_id (src->contact), error))
        return FALSE;
      if (known != NULL)
        email_remember (known, src->contact);
      r->created++;
    }

  return rc == 0;
}

/**
 * tesoro_import_session_run:
 * @store: the store to import into; on a worker thread, one of its own
 * @progress: (nullable): called with bytes read and the file size
 * @result: (out caller-allocates): what was done
 *
 * Imports the file in one transaction: a cancel, an error or a process
 * killed half way leaves the database as it was. Without skip-invalid the
 * first invalid row is an error (TESORO_ERROR_INVALID) naming the file,
 * line and column, and nothing is stored. With it, invalid rows are left
 * out and, if a report path was given, listed in the report.
 *
 * On success the mapping is remembered for files with the same header
 * row, one entry is written to the accountability log, and the store
 * emits "contact-changed" with %TESORO_CHANGE_RESET.
 */
gboolean
tesoro_import_session_run (TesoroImportSession  *self,
                           TesoroStore          *store,
                           GCancellable         *cancellable,
                           TesoroProgressFunc    progress,
                           gpointer              user_data,
                           TesoroImportResult   *result,
                           GError              **error)
{
  TesoroImportResult r = { 0 };
  TesoroBulkProgress prog = { progress, user_data, 0, 0 };
  Report report = { 0 };
  Source src = { 0 };
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *details_text = NULL;
  g_autofree char *old_cache = NULL;
  gboolean report_written = FALSE;
  TesoroDb *db;
  sqlite3_stmt *stmt;
  gint64 cache_size;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (TESORO_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (!self->prepared)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The import has not been prepared"));
      return FALSE;
    }
  if (self->mapping != NULL && !tesoro_import_mapping_check (self->mapping, error))
    return FALSE;

  db = _tesoro_store_get_db (store);
  if (tesoro_db_in_transaction (db))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_BUSY,
                   _("Another change is being saved on this connection; try the import again"));
      return FALSE;
    }

  if (!source_open (&src, self, cancellable, error))
    {
      source_clear (&src);
      translate_cancel (error);
      return FALSE;
    }
  prog.total = src.file_size;

  if (self->skip_invalid && self->report_path != NULL && !report_open (&report, self->report_path, error))
    {
      source_clear (&src);
      report_clear (&report);
      return FALSE;
    }

  /* A larger page cache for the run keeps the search index in memory. */
  cache_size = tesoro_db_query_int (db, "PRAGMA cache_size", NULL);
  if (cache_size != 0 && cache_size > -RUN_CACHE_KIB)
    {
      old_cache = g_strdup_printf ("PRAGMA cache_size = %" PRId64, cache_size);
      tesoro_db_exec (db, "PRAGMA cache_size = -163840", NULL);
    }

  if (!_tesoro_store_begin_write (store, error))
    goto failed;

  /* Foreign keys are checked at the commit rather than after each
   * statement: a statement that cannot abort half-way needs no statement
   * journal, which would otherwise copy every page an insert touches. A
   * violation still fails the commit, and the pragma ends with the
   * transaction. */
  if (!tesoro_db_exec (db, "PRAGMA defer_foreign_keys = ON", error))
    goto failed;

  stmt = tesoro_db_prepare (db,
                            "INSERT INTO import_batches (at, actor, format, counts) VALUES (?1, ?2, ?3, '{}')",
                            error);
  if (stmt == NULL)
    goto failed;
  tesoro_db_bind_text (stmt, 1, now);
  tesoro_db_bind_text (stmt, 2, tesoro_store_get_actor (store));
  tesoro_db_bind_text (stmt, 3, tesoro_import_format_to_string (self->format));
  if (!tesoro_db_step_done (db, stmt, error))
    goto failed;
  r.batch_id = sqlite3_last_insert_rowid (tesoro_db_get_handle (db));

  _tesoro_store_set_bulk_index (store, TRUE);
  if (!run_rows (self, store, &src, &report, r.batch_id, cancellable, &prog, &r, error) ||
      !_tesoro_store_flush_index (store, error))
    goto failed;
  _tesoro_store_set_bulk_index (store, FALSE);

  details = counts_to_json (self, &r);
  details_text = tesoro_json_to_string (details, FALSE);
  stmt = tesoro_db_prepare (db, "UPDATE import_batches SET counts = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, r.batch_id);
  tesoro_db_bind_text (stmt, 2, details_text);
  if (!tesoro_db_step_done (db, stmt, error))
    goto failed;

  json_object_set_int_member (json_node_get_object (details), "batch", r.batch_id);
  if (tesoro_store_append_audit (store, AUDIT_IMPORT, NULL, details, error) < 0)
    goto failed;

  if (self->mapping != NULL && !remember_mapping (store, self->mapping, error))
    goto failed;

  if (g_cancellable_is_cancelled (cancellable))
    {
      cancelled_error (error);
      goto failed;
    }

  /* The report is complete before the import is: a failure to write it
   * stops the import. */
  if (report.writer != NULL)
    {
      if (!report_commit (&report, cancellable, error))
        goto failed;
      report_written = TRUE;
    }

  if (self->dry_run)
    {
      tesoro_db_rollback (db);
      r.batch_id = 0;
    }
  else if (!tesoro_db_commit (db, error))
    goto failed;

  if (old_cache != NULL)
    tesoro_db_exec (db, old_cache, NULL);
  _tesoro_bulk_progress_report (&prog, prog.total, TRUE);
  source_clear (&src);
  report_clear (&report);

  if (!self->dry_run && (r.created > 0 || r.updated > 0))
    _tesoro_store_emit_changed (store, 0, TESORO_CHANGE_RESET);

  *result = r;
  return TRUE;

failed:
  if (tesoro_db_in_transaction (db))
    tesoro_db_rollback (db);
  _tesoro_store_set_bulk_index (store, FALSE);
  if (old_cache != NULL)
    tesoro_db_exec (db, old_cache, NULL);
  if (report_written)
    g_unlink (self->report_path);
  source_clear (&src);
  report_clear (&report);
  translate_cancel (error);
  return FALSE;
}

/* Import batches and Undo Import */

static TesoroImportBatch *
read_batch (sqlite3_stmt *stmt)
{
  TesoroImportBatch *batch = g_new0 (TesoroImportBatch, 1);
  g_autoptr(JsonNode) counts = json_from_string (tesoro_db_column_text (stmt, 4), NULL);

  batch->id = sqlite3_column_int64 (stmt, 0);
  batch->at = tesoro_db_column_dup (stmt, 1);
  batch->actor = tesoro_db_column_dup (stmt, 2);
  batch->format = tesoro_db_column_dup (stmt, 3);
  batch->undone_at = tesoro_db_column_dup (stmt, 5);
  batch->remaining_created = sqlite3_column_int64 (stmt, 6);
  batch->remaining_updated = sqlite3_column_int64 (stmt, 7);

  if (counts != NULL && JSON_NODE_HOLDS_OBJECT (counts))
    {
      JsonObject *o = json_node_get_object (counts);

      batch->records = json_object_get_int_member_with_default (o, "records", 0);
      batch->created = json_object_get_int_member_with_default (o, "created", 0);
      batch->updated = json_object_get_int_member_with_default (o, "updated", 0);
      batch->skipped = json_object_get_int_member_with_default (o, "skipped", 0);
      batch->invalid = json_object_get_int_member_with_default (o, "invalid", 0);
    }

  return batch;
}

#define BATCH_COLUMNS \
  "SELECT b.id, b.at, b.actor, b.format, b.counts, b.undone_at," \
  " (SELECT count (*) FROM import_items i WHERE i.batch_id = b.id AND i.action = 'created')," \
  " (SELECT count (*) FROM import_items i WHERE i.batch_id = b.id AND i.action = 'updated')" \
  " FROM import_batches b"

/**
 * tesoro_store_list_import_batches:
 *
 * Returns: (transfer full) (element-type TesoroImportBatch): the imports,
 * newest first
 */
GPtrArray *
tesoro_store_list_import_batches (TesoroStore  *self,
                                  GError      **error)
{
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_batch_free);
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  db = _tesoro_store_get_db (self);
  stmt = tesoro_db_prepare (db, BATCH_COLUMNS " ORDER BY b.id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (batches, read_batch (stmt));
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&batches) : NULL;
}

/**
 * tesoro_store_get_import_batch:
 *
 * Returns: (transfer full) (nullable): the import, or %NULL with
 * TESORO_ERROR_NOT_FOUND
 */
TesoroImportBatch *
tesoro_store_get_import_batch (TesoroStore  *self,
                               gint64        batch_id,
                               GError      **error)
{
  TesoroImportBatch *batch = NULL;
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  db = _tesoro_store_get_db (self);
  stmt = tesoro_db_prepare (db, BATCH_COLUMNS " WHERE b.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW)
    batch = read_batch (stmt);
  sqlite3_reset (stmt);

  if (batch == NULL)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
                 _("There is no import with number %" PRId64), batch_id);
  return batch;
}

static gboolean
delete_ids (TesoroDb    *db,
            const char  *sql,
            GArray      *ids,
            gint64       contact_id,
            GError     **error)
{
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *stmt = tesoro_db_prepare (db, sql, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      sqlite3_bind_int64 (stmt, 2, contact_id);
      if (!tesoro_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static GArray *
json_ids (JsonObject *object,
          const char *member)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 id = json_array_get_int_element (array, i);
          g_array_append_val (ids, id);
        }
    }

  return ids;
}

/* Puts an updated contact back as it was; FALSE with no error when it
 * cannot be changed any more (restricted or in the trash). */
static gboolean
restore_updated (TesoroStore  *store,
                 gint64        contact_id,
                 const char   *previous,
                 gboolean     *restored,
                 GError      **error)
{
  TesoroDb *db = _tesoro_store_get_db (store);
  g_autoptr(JsonNode) root = json_from_string (previous, NULL);
  g_autoptr(TesoroContact) before = NULL;
  g_autoptr(GArray) note_ids = NULL;
  g_autoptr(GArray) consent_ids = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;

  *restored = FALSE;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "contact"))
    return TRUE;

  if (!_tesoro_store_check_writable_contact (store, contact_id, &local_error))
    {
      if (g_error_matches (local_error, TESORO_ERROR, TESORO_ERROR_DATABASE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  before = tesoro_contact_new_from_json_node (json_object_get_member (object, "contact"), error);
  if (before == NULL)
    return FALSE;
  tesoro_contact_set_id (before, contact_id);
  if (!tesoro_store_update_contact (store, before, error))
    return FALSE;

  note_ids = json_ids (object, "notes");
  consent_ids = json_ids (object, "consent");
  if (!delete_ids (db, "DELETE FROM notes WHERE id = ?1 AND contact_id = ?2", note_ids, contact_id, error) ||
      !delete_ids (db, "DELETE FROM consent_events WHERE id = ?1 AND contact_id = ?2", consent_ids, contact_id,
                   error))
    return FALSE;

  *restored = TRUE;
  return TRUE;
}

/**
 * tesoro_store_undo_import:
 * @batch_id: the import, from #TesoroImportResult or
 *   tesoro_store_list_import_batches()
 * @progress: (nullable): called with contacts done and the number to do
 * @n_removed: (out) (optional): contacts removed
 * @n_restored: (out) (optional): contacts put back as they were
 *
 * Undoes an import in one transaction: removes the contacts it created
 * (those still in the database, in the trash or not) and puts the fields
 * of the contacts it updated back as they were, removing the notes and
 * consent it added. Contacts that are restricted or in the trash now are
 * not changed back. One entry goes into the accountability log; the
 * batch's record of the contacts is removed.
 */
gboolean
tesoro_store_undo_import (TesoroStore         *self,
                          gint64               batch_id,
                          GCancellable        *cancellable,
                          TesoroProgressFunc   progress,
                          gpointer             user_data,
                          guint64             *n_removed,
                          guint64             *n_restored,
                          GError             **error)
{
  g_autoptr(TesoroImportBatch) batch = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = tesoro_now_iso ();
  TesoroBulkProgress prog = { progress, user_data, 0, 0 };
  guint64 removed = 0, restored = 0, done = 0;
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (n_removed != NULL)
    *n_removed = 0;
  if (n_restored != NULL)
    *n_restored = 0;

  db = _tesoro_store_get_db (self);
  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  batch = tesoro_store_get_import_batch (self, batch_id, error);
  if (batch == NULL)
    goto failed;
  if (batch->undone_at != NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Import %" PRId64 " has already been undone"), batch_id);
      goto failed;
    }
  prog.total = batch->remaining_created + batch->remaining_updated;

  /* Updated contacts first, one by one. */
  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GPtrArray) previous = g_ptr_array_new_with_free_func (g_free);

    stmt = tesoro_db_prepare (db,
                              "SELECT contact_id, previous FROM import_items"
                              " WHERE batch_id = ?1 AND action = 'updated' ORDER BY contact_id",
                              error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, batch_id);
    while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (ids, id);
        g_ptr_array_add (previous, tesoro_db_column_dup (stmt, 1));
      }
    sqlite3_reset (stmt);
    if (rc < 0)
      goto failed;

    for (guint i = 0; i < ids->len; i++)
      {
        gboolean ok = FALSE;

        if (g_cancellable_is_cancelled (cancellable))
          {
            g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: the import was not undone"));
            goto failed;
          }
        if (!restore_updated (self, g_array_index (ids, gint64, i), previous->pdata[i], &ok, error))
          goto failed;
        if (ok)
          restored++;
        _tesoro_bulk_progress_report (&prog, ++done, FALSE);
      }
  }

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: the import was not undone"));
      goto failed;
    }

  /* Then the created ones, all at once: ON DELETE CASCADE takes their
   * details, history and search terms with them. */
  stmt = tesoro_db_prepare (db,
                            "DELETE FROM contacts WHERE id IN"
                            " (SELECT contact_id FROM import_items WHERE batch_id = ?1 AND action = 'created')",
                            error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  if (!tesoro_db_step_done (db, stmt, error))
    goto failed;
  removed = sqlite3_changes (tesoro_db_get_handle (db));

  /* Tags and custom fields only those contacts had go too, as on erasure. */
  if (removed > 0 &&
      !tesoro_db_exec (db,
                       "DELETE FROM tags WHERE NOT EXISTS"
                       " (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = tags.id);"
                       "DELETE FROM custom_fields WHERE NOT EXISTS"
                       " (SELECT 1 FROM contact_custom_values v WHERE v.field_id = custom_fields.id);",
                       error))
    goto failed;

  stmt = tesoro_db_prepare (db, "DELETE FROM import_items WHERE batch_id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  if (!tesoro_db_step_done (db, stmt, error))
    goto failed;

  stmt = tesoro_db_prepare (db, "UPDATE import_batches SET undone_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  tesoro_db_bind_text (stmt, 2, now);
  if (!tesoro_db_step_done (db, stmt, error))
    goto failed;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "batch");
  json_builder_add_int_value (builder, batch_id);
  json_builder_set_member_name (builder, "removed");
  json_builder_add_int_value (builder, removed);
  json_builder_set_member_name (builder, "restored");
  json_builder_add_int_value (builder, restored);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  if (tesoro_store_append_audit (self, AUDIT_IMPORT_UNDO, NULL, details, error) < 0)
    goto failed;

  if (!tesoro_db_commit (db, error))
    goto failed;

  _tesoro_bulk_progress_report (&prog, prog.total, TRUE);
  _tesoro_store_emit_changed (self, 0, TESORO_CHANGE_RESET);

  if (n_removed != NULL)
    *n_removed = removed;
  if (n_restored != NULL)
    *n_restored = restored;
  return TRUE;

failed:
  if (tesoro_db_in_transaction (db))
    tesoro_db_rollback (db);
  return FALSE;
}

/**
 * tesoro_store_list_custom_field_names:
 *
 * Returns: (transfer full): the names of the custom fields in the
 * database, sorted, for tesoro_import_mapping_list_choices()
 */
GStrv
tesoro_store_list_custom_field_names (TesoroStore  *self,
                                      GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  db = _tesoro_store_get_db (self);
  stmt = tesoro_db_prepare (db, "SELECT name FROM custom_fields ORDER BY name COLLATE NOCASE", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (builder, tesoro_db_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? g_strv_builder_end (builder) : NULL;
}
