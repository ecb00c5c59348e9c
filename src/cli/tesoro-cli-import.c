/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-cli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tesoro-batch.h"
#include "tesoro-cli-private.h"
#include "tesoro-contact-json.h"
#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-bulk-export.h"
#include "tesoro-import-run.h"
#include "tesoro-utils.h"
#include "tesoro-vcard.h"

/* The bulk verbs: import, export, batch. */

static void
add_member_int (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_member_string (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_strv (JsonBuilder        *builder,
          const char * const *values)
{
  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* import --preview --json: what the reader saw. */
static int
preview_json (TesoroImportSession *import,
              TesoroTextEncoding   requested_encoding)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (tesoro_import_session_get_path (import));
  gboolean csv = tesoro_import_session_get_format (import) == TESORO_IMPORT_FORMAT_CSV;
  char delimiter[2] = { tesoro_import_session_get_delimiter (import), 0 };

  json_builder_begin_object (builder);
  add_member_string (builder, "format", csv ? "csv" : "vcard");
  add_member_string (builder, "encoding", tesoro_text_encoding_to_string (tesoro_import_session_get_encoding (import)));
  add_member_string (builder, "delimiter", csv ? delimiter : NULL);
  json_builder_set_member_name (builder, "header");
  if (tesoro_import_session_get_header (import) != NULL)
    add_strv (builder, tesoro_import_session_get_header (import));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "rows");
  if (csv)
    {
      g_autoptr(TesoroCsvReader) reader = NULL;
      TesoroCsvOptions options;
      guint64 n = 0;

      tesoro_csv_options_init (&options);
      options.encoding = tesoro_import_session_get_encoding (import);
      options.delimiter = tesoro_import_session_get_delimiter (import);
      options.has_header = tesoro_import_session_get_has_header (import);
      reader = tesoro_csv_reader_new_for_file (file, &options, NULL, &error);
      if (reader == NULL)
        return _tesoro_cli_fail (g_steal_pointer (&error));

      json_builder_begin_array (builder);
      while (tesoro_csv_reader_next (reader, NULL, &error))
        {
          json_builder_begin_array (builder);
          for (guint i = 0; i < tesoro_csv_reader_get_n_fields (reader); i++)
            json_builder_add_string_value (builder, tesoro_csv_reader_get_field (reader, i, NULL));
          json_builder_end_array (builder);
          n++;
        }
      if (error != NULL)
        return _tesoro_cli_fail (g_steal_pointer (&error));
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "ragged");
      json_builder_begin_array (builder);
      {
        GArray *ragged = tesoro_csv_reader_get_ragged_rows (reader);

        for (guint i = 0; ragged != NULL && i < ragged->len; i++)
          {
            TesoroCsvRaggedRow *row = &g_array_index (ragged, TesoroCsvRaggedRow, i);

            json_builder_begin_object (builder);
            add_member_int (builder, "line", row->line);
            add_member_int (builder, "record", row->record);
            add_member_int (builder, "fields", row->n_fields);
            add_member_int (builder, "expected", row->expected);
            json_builder_end_object (builder);
          }
      }
      json_builder_end_array (builder);
      add_member_int (builder, "records", n);

      json_builder_set_member_name (builder, "mapping");
      json_builder_add_value (builder, tesoro_import_mapping_to_json (tesoro_import_session_get_mapping (import)));
    }
  else
    {
      g_autoptr(TesoroVcardReader) reader = NULL;
      TesoroVcardCard *card;
      guint64 n = 0;

      json_builder_add_null_value (builder);
      /* A vCard declares a charset per value: only a chosen encoding
       * overrides that. */
      reader = tesoro_vcard_reader_new_for_file (file, requested_encoding, NULL, &error);
      if (reader == NULL)
        return _tesoro_cli_fail (g_steal_pointer (&error));

      json_builder_set_member_name (builder, "cards");
      json_builder_begin_array (builder);
      while ((card = tesoro_vcard_reader_next (reader, NULL, &error)) != NULL)
        {
          json_builder_begin_object (builder);
          add_member_int (builder, "line", card->line);
          add_member_string (builder, "version", tesoro_vcard_version_to_string (card->version));
          json_builder_set_member_name (builder, "contact");
          json_builder_add_value (builder, tesoro_contact_to_json_node (card->contact));
          json_builder_set_member_name (builder, "warnings");
          json_builder_begin_array (builder);
          for (guint i = 0; card->warnings != NULL && i < card->warnings->len; i++)
            json_builder_add_string_value (builder, card->warnings->pdata[i]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          tesoro_vcard_card_free (card);
          n++;
        }
      if (error != NULL)
        return _tesoro_cli_fail (g_steal_pointer (&error));
      json_builder_end_array (builder);
      add_member_int (builder, "records", n);
      json_builder_set_member_name (builder, "mapping");
      json_builder_add_null_value (builder);
    }

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _tesoro_cli_print_json (root);
  return TESORO_CLI_OK;
}

static const char *
row_status_label (TesoroImportRowStatus status)
{
  switch (status)
    {
    case TESORO_IMPORT_ROW_NEW:
      return _("new");
    case TESORO_IMPORT_ROW_INVALID:
      return _("invalid");
    case TESORO_IMPORT_ROW_EXISTING:
      return _("existing");
    case TESORO_IMPORT_ROW_DUPLICATE:
      return _("duplicate");
    default:
      return "";
    }
}

/* import --preview: the mapping, the first rows as they will be stored,
 * and the totals. */
static int
preview_text (TesoroImportSession *import,
              TesoroSession         *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TesoroImportTotals totals;
  TesoroImportMapping *mapping = tesoro_import_session_get_mapping (import);

  g_print (_("Format: %s, encoding: %s"), tesoro_import_format_to_string (tesoro_import_session_get_format (import)),
           tesoro_text_encoding_get_label (tesoro_import_session_get_encoding (import)));
  if (tesoro_import_session_get_format (import) == TESORO_IMPORT_FORMAT_CSV)
    g_print (_(", delimiter: %s"), tesoro_csv_delimiter_get_label (tesoro_import_session_get_delimiter (import)));
  g_print ("\n");

  if (mapping != NULL)
    {
      g_print (tesoro_import_session_get_mapping_remembered (import) ? _("Columns (as last time):\n")
                                                                      : _("Columns:\n"));
      for (guint i = 0; i < tesoro_import_mapping_get_n_columns (mapping); i++)
        {
          g_autofree char *name = tesoro_import_mapping_dup_column_name (mapping, i);
          g_autofree char *spec = tesoro_import_mapping_dup_spec_string (mapping, i);
          g_autofree char *label = tesoro_import_spec_describe (tesoro_import_mapping_get_spec (mapping, i));

          g_print ("  %-30s → %s (%s)\n", name, label, spec);
        }
    }

  if (!tesoro_import_session_preview (import, session, 20, NULL, NULL, NULL, &rows, &totals, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  g_print (_("First rows:\n"));
  for (guint i = 0; i < rows->len; i++)
    {
      TesoroImportRow *row = rows->pdata[i];
      g_autofree char *problems = tesoro_import_row_describe_problems (row);
      g_autofree char *name = row->contact != NULL ? tesoro_contact_dup_best_name (row->contact) : g_strdup ("");

      g_print ("  %s %" PRIu64 ": %-10s %s%s%s\n", _("line"), row->line, row_status_label (row->status),
               name, *problems ? " — " : "", problems);
    }

  g_print (_("%" PRIu64 " rows: %" PRIu64 " valid, %" PRIu64 " invalid, %"
             PRIu64 " of existing contacts, %" PRIu64 " duplicates within the file\n"),
           totals.records, totals.valid, totals.invalid, totals.existing, totals.duplicates);
  return TESORO_CLI_OK;
}

static int
print_batches (TesoroSession *session,
               gboolean     json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batches = tesoro_session_list_import_batches (session, &error);
  g_autoptr(JsonBuilder) builder = NULL;

  if (batches == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (!json)
    {
      for (guint i = 0; i < batches->len; i++)
        {
          TesoroImportBatch *b = batches->pdata[i];

          g_print (_("%" PRId64 "\t%s\t%s\t%s\tcreated %" PRIu64 ", updated %" PRIu64
                     ", skipped %" PRIu64 ", invalid %" PRIu64 "%s\n"),
                   b->id, b->at, b->actor, b->format, b->created, b->updated, b->skipped, b->invalid,
                   b->undone_at != NULL ? _(" (undone)") : "");
        }
      return TESORO_CLI_OK;
    }

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < batches->len; i++)
    {
      TesoroImportBatch *b = batches->pdata[i];

      json_builder_begin_object (builder);
      add_member_int (builder, "id", b->id);
      add_member_string (builder, "at", b->at);
      add_member_string (builder, "actor", b->actor);
      add_member_string (builder, "format", b->format);
      add_member_int (builder, "records", b->records);
      add_member_int (builder, "created", b->created);
      add_member_int (builder, "updated", b->updated);
      add_member_int (builder, "skipped", b->skipped);
      add_member_int (builder, "invalid", b->invalid);
      add_member_string (builder, "undone_at", b->undone_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  {
    g_autoptr(JsonNode) root = json_builder_get_root (builder);
    _tesoro_cli_print_json (root);
  }
  return TESORO_CLI_OK;
}

int
_tesoro_cli_verb_import (TesoroCli  *cli,
                         int         argc,
                         char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("import FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroImportSession) import = NULL;
  g_autofree char *format_text = NULL, *encoding_text = NULL, *delimiter_text = NULL;
  g_autofree char *mapping_path = NULL, *match_text = NULL, *report = NULL;
  g_autofree char *country = NULL, *basis = NULL, *consent_text = NULL;
  gboolean preview = FALSE, json = FALSE, no_header = FALSE, skip_invalid = FALSE, dry_run = FALSE, list = FALSE;
  gint64 undo = 0;
  TesoroTextEncoding encoding = TESORO_TEXT_ENCODING_AUTO;
  TesoroImportResult result;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "preview", 'p', 0, G_OPTION_ARG_NONE, &preview, N_("Show what would be imported; change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (with --preview: the records exactly as read)"), NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, N_("csv or vcard (default: from the file)"), "FORMAT" },
    { "encoding", 'e', 0, G_OPTION_ARG_STRING, &encoding_text, N_("utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252 (default: detected)"), "E" },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter_text, N_("The CSV delimiter: , ; tab or | (default: detected)"), "D" },
    { "no-header", 0, 0, G_OPTION_ARG_NONE, &no_header, N_("The first row is data, not column names"), NULL },
    { "mapping", 'm', 0, G_OPTION_ARG_FILENAME, &mapping_path, N_("Column mapping as JSON (column → field spec)"), "FILE.json" },
    { "match", 0, 0, G_OPTION_ARG_STRING, &match_text, N_("Rows whose e-mail address exists: skip (default), update (fill empty fields) or create"), "POLICY" },
    { "country", 0, 0, G_OPTION_ARG_STRING, &country, N_("Country of phone numbers without a country code (default NL)"), "CC" },
    { "lawful-basis", 0, 0, G_OPTION_ARG_STRING, &basis, N_("Lawful basis for rows that have none"), "BASIS" },
    { "consent", 0, 0, G_OPTION_ARG_STRING, &consent_text, N_("Marketing consent for rows that have none: granted or withdrawn"), "ANSWER" },
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid, N_("Leave invalid rows out instead of stopping"), NULL },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report, N_("With --skip-invalid: write the rows left out and why to this CSV file"), "FILE" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Do everything, then roll back: print the counts, store nothing"), NULL },
    { "undo", 0, 0, G_OPTION_ARG_INT64, &undo, N_("Undo the import with this number (see --list)"), "BATCH" },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the imports"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Import contacts from a CSV or vCard file, in one transaction.\n"
                                  "Columns are mapped automatically from English and Dutch headers and from\n"
                                  "Google Contacts and Outlook exports; the mapping is remembered per layout."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status))
    return status;

  if (undo != 0 || list)
    {
      guint64 removed = 0, restored = 0;

      if (!_tesoro_cli_check_arguments (context, argc, 0, &status))
        return status;
      if ((session = _tesoro_cli_open_session (cli, &error)) == NULL)
        return _tesoro_cli_fail (g_steal_pointer (&error));
      if (list)
        return print_batches (session, json);
      if (!tesoro_session_undo_import (session, undo, NULL, NULL, NULL, &removed, &restored, &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));
      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (builder);
          add_member_int (builder, "batch", undo);
          add_member_int (builder, "removed", removed);
          add_member_int (builder, "restored", restored);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          _tesoro_cli_print_json (root);
        }
      else
        g_print (_("Import %" PRId64 " undone: %" PRIu64 " contacts removed, %" PRIu64
                   " restored\n"), undo, removed, restored);
      return TESORO_CLI_OK;
    }

  if (!_tesoro_cli_check_arguments (context, argc, 1, &status))
    return status;
  if (report != NULL && !skip_invalid)
    return _tesoro_cli_usage (context, _("--report needs --skip-invalid"));

  import = tesoro_import_session_new (argv[1]);

  if (format_text != NULL)
    {
      TesoroImportFormat format;

      if (!tesoro_import_format_from_string (format_text, &format, &error))
        return _tesoro_cli_usage (context, error->message);
      tesoro_import_session_set_format (import, format);
    }
  if (encoding_text != NULL)
    {
      if (!tesoro_text_encoding_from_string (encoding_text, &encoding, &error))
        return _tesoro_cli_usage (context, error->message);
      tesoro_import_session_set_encoding (import, encoding);
    }
  if (delimiter_text != NULL)
    {
      char delimiter;

      if (!tesoro_csv_delimiter_from_string (delimiter_text, &delimiter, &error))
        return _tesoro_cli_usage (context, error->message);
      tesoro_import_session_set_delimiter (import, delimiter);
    }
  tesoro_import_session_set_has_header (import, !no_header);
  if (match_text != NULL)
    {
      TesoroImportExisting existing;

      if (!tesoro_import_existing_from_string (match_text, &existing, &error))
        return _tesoro_cli_usage (context, error->message);
      tesoro_import_session_set_existing (import, existing);
    }
  if (country != NULL && !tesoro_import_session_set_default_country (import, country, &error))
    return _tesoro_cli_usage (context, error->message);
  if (basis != NULL && !tesoro_import_session_set_lawful_basis (import, basis, &error))
    return _tesoro_cli_usage (context, error->message);
  if (consent_text != NULL)
    {
      if (g_str_equal (consent_text, "granted"))
        tesoro_import_session_set_consent (import, TESORO_CONSENT_ANSWER_GRANTED);
      else if (g_str_equal (consent_text, "withdrawn"))
        tesoro_import_session_set_consent (import, TESORO_CONSENT_ANSWER_WITHDRAWN);
      else
        return _tesoro_cli_usage (context, _("--consent must be granted or withdrawn"));
    }
  tesoro_import_session_set_skip_invalid (import, skip_invalid, report);
  tesoro_import_session_set_dry_run (import, dry_run);

  if ((session = _tesoro_cli_open_session (cli, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (!tesoro_import_session_prepare (import, session, NULL, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));
  if (mapping_path != NULL && !tesoro_import_session_load_mapping_file (import, mapping_path, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (preview)
    return json ? preview_json (import, encoding) : preview_text (import, session);

  if (!tesoro_import_session_run (import, session, NULL, NULL, NULL, &result, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_member_int (builder, "records", result.records);
      add_member_int (builder, "created", result.created);
      add_member_int (builder, "updated", result.updated);
      add_member_int (builder, "skipped", result.skipped);
      add_member_int (builder, "restricted", result.restricted);
      add_member_int (builder, "invalid", result.invalid);
      json_builder_set_member_name (builder, "batch");
      if (result.batch_id > 0)
        json_builder_add_int_value (builder, result.batch_id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "dry_run");
      json_builder_add_boolean_value (builder, dry_run);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      _tesoro_cli_print_json (root);
    }
  else
    {
      g_print (_("%s: %" PRIu64 " created, %" PRIu64 " updated, %" PRIu64
                 " skipped, %" PRIu64 " invalid\n"),
               dry_run ? _("Dry run (nothing stored)") : _("Imported"),
               result.created, result.updated, result.skipped, result.invalid);
      if (result.restricted > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " row matched a restricted contact and was skipped\n",
                              "%" PRIu64 " rows matched restricted contacts and were skipped\n",
                              result.restricted),
                 result.restricted);
      if (report != NULL && result.invalid > 0)
        g_print (_("The rows left out are listed in %s\n"), report);
      if (result.batch_id > 0)
        g_print (_("Undo with: tesoro-cli import --undo %" PRId64 "\n"), result.batch_id);
    }

  return TESORO_CLI_OK;
}

/* export */

int
_tesoro_cli_verb_export (TesoroCli  *cli,
                         int         argc,
                         char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("export --output FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *output = NULL, *format_text = NULL, *delimiter_text = NULL, *search = NULL;
  g_autofree char *version_text = NULL;
  gboolean bom = FALSE, include_restricted = FALSE, json = FALSE;
  TesoroContactExportOptions options;
  TesoroContactExportResult result;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write (replaced atomically)"), "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, N_("csv (default) or vcard"), "FORMAT" },
    { "vcard-version", 0, 0, G_OPTION_ARG_STRING, &version_text, N_("4.0 (default) or 3.0"), "V" },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter_text, N_("The CSV delimiter: , (default) or ;"), "D" },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom, N_("Start the CSV file with a byte order mark (for Excel)"), NULL },
    { "search", 'q', 0, G_OPTION_ARG_STRING, &search, N_("Only the contacts matching the search"), "Q" },
    { "include-restricted", 0, 0, G_OPTION_ARG_NONE, &include_restricted, N_("Export restricted contacts too"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the counts as JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Export contacts (not in the trash) to a CSV or vCard file. The CSV has a header\n"
                                  "row of field specs, which Tesoro's import maps back exactly, and is safe from\n"
                                  "formula injection. Restricted contacts are left out unless asked for."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) || !_tesoro_cli_check_arguments (context, argc, 0, &status))
    return status;
  if (output == NULL)
    return _tesoro_cli_usage (context, _("--output FILE is required"));

  tesoro_contact_export_options_init (&options);
  options.delimiter = ',';
  options.bom = bom;
  options.include_restricted = include_restricted;
  if (format_text != NULL && !tesoro_contact_format_from_string (format_text, &options.format, &error))
    return _tesoro_cli_usage (context, error->message);
  if (version_text != NULL && !tesoro_vcard_version_from_string (version_text, &options.vcard_version, &error))
    return _tesoro_cli_usage (context, error->message);
  if (delimiter_text != NULL)
    {
      if (g_str_equal (delimiter_text, ",") || g_str_equal (delimiter_text, "comma"))
        options.delimiter = ',';
      else if (g_str_equal (delimiter_text, ";") || g_str_equal (delimiter_text, "semicolon"))
        options.delimiter = ';';
      else
        return _tesoro_cli_usage (context, _("--delimiter must be , or ;"));
    }

  if ((session = _tesoro_cli_open_session (cli, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (search != NULL)
    {
      ids = tesoro_session_search_ids (session, search, FALSE, &error);
      if (ids == NULL)
        return _tesoro_cli_fail (g_steal_pointer (&error));
    }

  if (!tesoro_session_export_contacts (session, ids != NULL ? (const gint64 *) ids->data : NULL,
                                       ids != NULL ? (gssize) ids->len : -1, &options, output,
                                       NULL, NULL, NULL, &result, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_member_int (builder, "exported", result.exported);
      add_member_int (builder, "restricted", result.restricted);
      add_member_int (builder, "bytes", result.bytes);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      _tesoro_cli_print_json (root);
    }
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %" PRIu64 " contact to %s\n",
                            "Exported %" PRIu64 " contacts to %s\n", result.exported),
               result.exported, output);
      if (result.restricted > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "%" PRIu64 " restricted contact was left out (--include-restricted)\n",
                              "%" PRIu64 " restricted contacts were left out (--include-restricted)\n",
                              result.restricted),
                 result.restricted);
    }

  return TESORO_CLI_OK;
}

/* batch */

static GArray *
parse_ids (const char  *text,
           GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      guint64 value;
      gint64 id;

      if (*part == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (part, 10, 1, G_MAXINT64, &value, NULL))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("“%.40s” in --ids is not a contact id"), part);
          return NULL;
        }
      id = (gint64) value;
      g_array_append_val (ids, id);
    }

  if (ids->len == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("--ids names no contact"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

int
_tesoro_cli_verb_batch (TesoroCli  *cli,
                        int         argc,
                        char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("batch");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(TesoroBatchUndo) undo = NULL;
  g_autofree char *search = NULL, *ids_text = NULL, *add_tag = NULL, *remove_tag = NULL, *set = NULL;
  g_autofree char *field = NULL;
  gboolean trash = FALSE, json = FALSE;
  TesoroBatchAction action = TESORO_BATCH_ADD_TAG;
  const char *argument = NULL, *value = NULL;
  TesoroBatchResult result;
  TesoroSession *session;
  guint n_actions;
  int status;
  GOptionEntry entries[] = {
    { "search", 'q', 0, G_OPTION_ARG_STRING, &search, N_("The contacts matching the search"), "Q" },
    { "ids", 'i', 0, G_OPTION_ARG_STRING, &ids_text, N_("The contacts with these ids"), "1,2,3" },
    { "add-tag", 0, 0, G_OPTION_ARG_STRING, &add_tag, N_("Add this tag"), "T" },
    { "remove-tag", 0, 0, G_OPTION_ARG_STRING, &remove_tag, N_("Remove this tag"), "T" },
    { "set", 0, 0, G_OPTION_ARG_STRING, &set, N_("Set organization, city, lawful_basis or custom/NAME (empty VALUE clears)"), "FIELD=VALUE" },
    { "trash", 0, 0, G_OPTION_ARG_NONE, &trash, N_("Move to the trash"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the counts as JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Change many contacts at once, in one transaction, recorded in the audit log.\n"
                                  "Restricted contacts are not changed. For permanent deletion use delete --permanent."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) || !_tesoro_cli_check_arguments (context, argc, 0, &status))
    return status;

  if ((search != NULL) == (ids_text != NULL))
    return _tesoro_cli_usage (context, _("Give exactly one of --search Q and --ids 1,2,3"));
  n_actions = (add_tag != NULL) + (remove_tag != NULL) + (set != NULL) + (trash != FALSE);
  if (n_actions != 1)
    return _tesoro_cli_usage (context, _("Give exactly one of --add-tag, --remove-tag, --set and --trash"));

  if (add_tag != NULL)
    {
      action = TESORO_BATCH_ADD_TAG;
      argument = add_tag;
    }
  else if (remove_tag != NULL)
    {
      action = TESORO_BATCH_REMOVE_TAG;
      argument = remove_tag;
    }
  else if (set != NULL)
    {
      const char *eq = strchr (set, '=');

      if (eq == NULL)
        return _tesoro_cli_usage (context, _("--set wants FIELD=VALUE"));
      field = g_strndup (set, eq - set);
      action = TESORO_BATCH_SET_FIELD;
      argument = field;
      value = eq + 1;
      if (!tesoro_batch_check_field (argument, value, NULL, &error))
        return _tesoro_cli_usage (context, error->message);
    }
  else
    action = TESORO_BATCH_TRASH;

  if (ids_text != NULL && (ids = parse_ids (ids_text, &error)) == NULL)
    return _tesoro_cli_usage (context, error->message);

  if ((session = _tesoro_cli_open_session (cli, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  if (search != NULL && (ids = tesoro_session_search_ids (session, search, FALSE, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (!tesoro_session_batch_edit (session, (const gint64 *) ids->data, ids->len, action, argument, value,
                                  NULL, NULL, NULL, &result, &undo, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_member_string (builder, "action", tesoro_batch_action_to_string (action));
      add_member_int (builder, "changed", result.changed);
      add_member_int (builder, "unchanged", result.unchanged);
      add_member_int (builder, "restricted", result.restricted);
      add_member_int (builder, "missing", result.missing);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      _tesoro_cli_print_json (root);
    }
  else
    {
      g_print (_("%u changed, %u already so, %u restricted (not changed), %u not found or in the trash\n"),
               result.changed, result.unchanged, result.restricted, result.missing);
    }

  return TESORO_CLI_OK;
}
