/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-csv"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "format-test-streams.h"
#include "fuzz-common.h"
#include "tesoro-csv.h"

/* Reads the input as CSV with options chosen from its length (so that the
 * seed files read as they are), checks what comes out, writes the records
 * with TesoroCsvWriter and checks that they read back unchanged. */

#define MAX_RECORDS 2000

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_setup ();
  return 0;
}

static GInputStream *
make_stream (const uint8_t *data,
             size_t         size,
             gsize          trickle)
{
  if (trickle > 0)
    return format_test_trickle_stream_new (data, size, trickle);
  return g_memory_input_stream_new_from_data (data, size, NULL);
}

static void
check_round_trip (GPtrArray            *records,
                  char                  delimiter,
                  TesoroCsvWriterFlags  flags)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(TesoroCsvWriter) writer = tesoro_csv_writer_new (out, delimiter, flags);
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  TesoroCsvOptions options;
  gsize size;

  for (guint r = 0; r < records->len; r++)
    FUZZ_CHECK (tesoro_csv_writer_write_row (writer, records->pdata[r], -1, NULL, &error), "%s", error->message);
  FUZZ_CHECK (tesoro_csv_writer_flush (writer, NULL, &error), "%s", error->message);
  FUZZ_CHECK (g_output_stream_close (out, NULL, &error), "%s", error->message);

  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  tesoro_csv_options_init (&options);
  options.delimiter = delimiter;
  options.has_header = FALSE;
  reader = tesoro_csv_reader_new_for_data (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                           size, "round-trip.csv", &options);

  for (guint r = 0; r < records->len; r++)
    {
      char **expected = records->pdata[r];
      guint n = g_strv_length (expected);

      FUZZ_CHECK (tesoro_csv_reader_next (reader, NULL, &error), "record %u did not read back: %s",
                  r, error != NULL ? error->message : "end of file");
      FUZZ_CHECK (tesoro_csv_reader_get_n_fields (reader) == n, "record %u: %u fields, wrote %u",
                  r, tesoro_csv_reader_get_n_fields (reader), n);
      for (guint f = 0; f < n; f++)
        {
          const char *got = tesoro_csv_reader_get_field (reader, f, NULL);
          g_autofree char *value = (flags & TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS) ?
                                   tesoro_csv_unneutralize (got) : g_strdup (got);

          FUZZ_CHECK (g_str_equal (value, expected[f]), "record %u field %u: wrote \"%s\", read \"%s\"",
                      r, f, expected[f], value);
        }
    }
  FUZZ_CHECK (!tesoro_csv_reader_next (reader, NULL, &error) && error == NULL, "more records than written");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char delimiters[] = { 0, ',', ';', '\t', '|' };
  static const gsize trickles[] = { 0, 1, 3, 7, 64 };
  static const TesoroTextEncoding encodings[] = {
    TESORO_TEXT_ENCODING_AUTO, TESORO_TEXT_ENCODING_AUTO, TESORO_TEXT_ENCODING_AUTO,
    TESORO_TEXT_ENCODING_UTF8, TESORO_TEXT_ENCODING_WINDOWS_1252,
    TESORO_TEXT_ENCODING_UTF16LE, TESORO_TEXT_ENCODING_UTF16BE,
  };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  TesoroCsvOptions options;
  gsize sel = size;
  TesoroCsvWriterFlags flags;

  tesoro_csv_options_init (&options);
  options.delimiter = delimiters[sel % G_N_ELEMENTS (delimiters)];
  sel /= G_N_ELEMENTS (delimiters);
  stream = make_stream (data, size, trickles[sel % G_N_ELEMENTS (trickles)]);
  sel /= G_N_ELEMENTS (trickles);
  options.encoding = encodings[sel % G_N_ELEMENTS (encodings)];
  options.has_header = (size / 7) % 2 == 0;
  /* Small limits, so that the fuzzer reaches them. */
  options.max_field_bytes = 200;
  options.max_record_bytes = 2000;
  options.max_fields = 40;
  flags = (size % 3 == 0 ? TESORO_CSV_WRITER_BOM : 0) |
          (size % 2 == 0 ? TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS : 0);

  reader = tesoro_csv_reader_new (stream, "fuzz.csv", &options);

  if (tesoro_csv_reader_prepare (reader, NULL, &error))
    {
      const char * const *header = tesoro_csv_reader_get_header (reader);

      FUZZ_CHECK (tesoro_csv_reader_get_delimiter (reader) != 0, "no delimiter after prepare");
      for (guint i = 0; header != NULL && header[i] != NULL; i++)
        FUZZ_CHECK (fuzz_text_ok (header[i]), "header %u is not UTF-8", i);
      if (header != NULL && header[0] != NULL)
        g_ptr_array_add (records, g_strdupv ((char **) header));
    }
  else
    FUZZ_CHECK (g_str_has_prefix (error->message, "fuzz.csv"), "message without the file: %s", error->message);
  g_clear_error (&error);

  for (;;)
    {
      if (tesoro_csv_reader_next (reader, NULL, &error))
        {
          guint n = tesoro_csv_reader_get_n_fields (reader);

          FUZZ_CHECK (n >= 1 && n <= options.max_fields, "%u fields", n);
          FUZZ_CHECK (tesoro_csv_reader_get_line (reader) >= 1, "no line");
          for (guint i = 0; i < n; i++)
            {
              gsize len = 0;
              const char *field = tesoro_csv_reader_get_field (reader, i, &len);

              FUZZ_CHECK (strlen (field) == len, "field %u has a NUL", i);
              FUZZ_CHECK (len <= options.max_field_bytes, "field %u is %zu bytes", i, len);
              FUZZ_CHECK (g_utf8_validate (field, len, NULL), "field %u is not UTF-8", i);
            }
          if (records->len < MAX_RECORDS)
            g_ptr_array_add (records, tesoro_csv_reader_dup_fields (reader));
          continue;
        }

      if (error == NULL)
        break;
      FUZZ_CHECK (g_str_has_prefix (error->message, "fuzz.csv"), "message without the file: %s", error->message);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "message is not UTF-8");
      if (!tesoro_csv_reader_can_continue (reader))
        break;
      g_clear_error (&error);
    }

  check_round_trip (records, tesoro_csv_reader_get_delimiter (reader) != 0 ?
                             tesoro_csv_reader_get_delimiter (reader) : ',', flags);

  return 0;
}
