/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import"

#include "config.h"

#include "tesoro-import-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-atomic-file.h"
#include "tesoro-consent-state.h"
#include "tesoro-contact-json.h"
#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"
#include "tesoro-vcard.h"

/*
 * The import session: its configuration, the file's format, encoding and
 * columns, and the reading of its records as contacts. What is done with
 * them — the preview against the database, the run, Undo Import — is the
 * import service's (services/tesoro-import-run.c).
 */


G_DEFINE_FINAL_TYPE (TesoroImportSession, tesoro_import_session, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (TesoroImportRow, tesoro_import_row, tesoro_import_row_copy, tesoro_import_row_free)

/* How many raw records prepare() keeps for the File step, and how many it
 * reads to guess the order of day and month in dates. */
#define SAMPLE_RECORDS      20
#define DATE_SAMPLE_RECORDS 1000

/* Bytes of the file looked at to tell vCard from CSV. */
#define SNIFF_BYTES 4096

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

TesoroImportProblem *
_tesoro_import_problem_copy (const TesoroImportProblem *p)
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
      g_ptr_array_add (copy->problems, _tesoro_import_problem_copy (row->problems->pdata[i]));
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
  g_strfreev (self->disabled_fields);

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
  tesoro_import_mapping_set_disabled_fields (self->mapping, (const char * const *) self->disabled_fields);
}

/**
 * tesoro_import_session_set_disabled_fields:
 * @keys: (nullable) (array zero-terminated=1): the fields switched off
 *
 * Columns that map to these fields are not imported (see
 * tesoro_import_mapping_set_disabled_fields()); the import run drops the
 * values of a vCard's too. The session's own prepare sets them.
 */
void
tesoro_import_session_set_disabled_fields (TesoroImportSession *self,
                                           const char * const  *keys)
{
  g_return_if_fail (TESORO_IS_IMPORT_SESSION (self));

  g_strfreev (self->disabled_fields);
  self->disabled_fields = g_strdupv ((char **) keys);
  configure_mapping (self);
}

/**
 * tesoro_import_session_get_disabled_fields:
 *
 * Returns: (transfer none) (nullable): the fields switched off
 */
const char * const *
tesoro_import_session_get_disabled_fields (TesoroImportSession *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), NULL);
  return (const char * const *) self->disabled_fields;
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

gboolean
_tesoro_import_cancelled_error (GError **error)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("The import was cancelled: nothing was imported"));
  return FALSE;
}

/* GIO reports cancellation in its own domain; the callers get Tesoro's. */
void
_tesoro_import_translate_cancel (GError **error)
{
  if (error != NULL && *error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      _tesoro_import_cancelled_error (error);
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

char *
_tesoro_import_mapping_key (TesoroImportMapping *mapping)
{
  g_autofree char *signature = tesoro_import_mapping_get_signature (mapping);

  return g_strconcat (TESORO_IMPORT_MAPPING_KEY_PREFIX, signature, NULL);
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
             TesoroMappingLookup   lookup,
             gpointer              lookup_data,
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
  if (lookup != NULL)
    remembered = lookup (automatic, lookup_data);

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
 * _tesoro_import_session_prepare_file:
 * @lookup: (nullable): finds the mapping used last time for a header layout
 *
 * Reads the start of the file: detects the format, the encoding and the
 * delimiter (unless set), reads the header row and the first records, and
 * sets up the column mapping — the one @lookup remembers for a file with the
 * same header row, else the automatic one. Quick enough for the main
 * thread.
 */
gboolean
_tesoro_import_session_prepare_file (TesoroImportSession  *self,
                                     TesoroMappingLookup   lookup,
                                     gpointer              lookup_data,
                                     GCancellable         *cancellable,
                                     GError              **error)
{
  gboolean ok;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);

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
          _tesoro_import_translate_cancel (error);
          return FALSE;
        }
    }

  if (self->format == TESORO_IMPORT_FORMAT_CSV)
    ok = prepare_csv (self, lookup, lookup_data, cancellable, error);
  else
    ok = prepare_vcard (self, cancellable, error);

  if (!ok)
    {
      _tesoro_import_translate_cancel (error);
      return FALSE;
    }

  self->prepared = TRUE;
  return TRUE;
}

/* Reading records */


void
_tesoro_import_source_clear (Source *src)
{
  g_clear_pointer (&src->csv, tesoro_csv_reader_free);
  g_clear_pointer (&src->vcard, tesoro_vcard_reader_free);
  g_clear_pointer (&src->values, g_ptr_array_unref);
  g_clear_pointer (&src->owned, g_ptr_array_unref);
  g_clear_object (&src->contact);
  g_clear_pointer (&src->problems, g_ptr_array_unref);
}

gboolean
_tesoro_import_source_open (Source               *src,
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

guint64
_tesoro_import_source_bytes_read (Source *src)
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
int
_tesoro_import_source_next (Source        *src,
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
  _tesoro_import_translate_cancel (error);
  return -1;
}

/* The error of an invalid row when invalid rows are not skipped. */
void
_tesoro_import_set_row_error (Source  *src,
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

/* The report of invalid rows */


void
_tesoro_import_report_clear (Report *report)
{
  g_clear_pointer (&report->writer, tesoro_csv_writer_free);
  g_clear_pointer (&report->file, tesoro_atomic_file_free);
}

gboolean
_tesoro_import_report_open (Report      *report,
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

gboolean
_tesoro_import_report_add (Report        *report,
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

gboolean
_tesoro_import_report_commit (Report        *report,
               GCancellable  *cancellable,
               GError       **error)
{
  return tesoro_csv_writer_flush (report->writer, cancellable, error) &&
         tesoro_atomic_file_commit (report->file, cancellable, error);
}
