/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-csv"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tesoro-csv.h"
#include "format-test-streams.h"
#include "tesoro-error.h"
#include "tesoro-text-encoding.h"

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif

/* Helpers */

static char *
data_path (const char *name)
{
  return g_build_filename (TESORO_TEST_DATA, "csv", name, NULL);
}

static TesoroCsvReader *
open_corpus (const char             *name,
             const TesoroCsvOptions *options)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  TesoroCsvReader *reader;

  reader = tesoro_csv_reader_new_for_file (file, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);

  return reader;
}

/* Reads every record; returns them as a GPtrArray of strvs. Stops at the
 * first error, which it returns in @error. */
static GPtrArray *
read_all (TesoroCsvReader  *reader,
          GError          **error)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  while (tesoro_csv_reader_next (reader, NULL, error))
    g_ptr_array_add (rows, tesoro_csv_reader_dup_fields (reader));

  return rows;
}

static void
assert_row (GPtrArray  *rows,
            guint       index,
            const char *first,
            ...)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  const char * const *row;
  va_list args;

  g_assert_cmpuint (index, <, rows->len);
  row = rows->pdata[index];

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_ptr_array_add (expected, (gpointer) s);
  va_end (args);
  g_ptr_array_add (expected, NULL);

  g_assert_cmpstrv (row, (const char * const *) expected->pdata);
}

/* Encoding */

static void
test_encoding_detect (void)
{
  gsize bom = 99;

  g_assert_cmpint (tesoro_text_encoding_detect ((const guint8 *) "abc", 3, &bom), ==, TESORO_TEXT_ENCODING_UTF8);
  g_assert_cmpuint (bom, ==, 0);
  g_assert_cmpint (tesoro_text_encoding_detect ((const guint8 *) "\xEF\xBB\xBF" "a", 4, &bom), ==, TESORO_TEXT_ENCODING_UTF8_BOM);
  g_assert_cmpuint (bom, ==, 3);
  g_assert_cmpint (tesoro_text_encoding_detect ((const guint8 *) "\xFF\xFE" "a\0", 4, &bom), ==, TESORO_TEXT_ENCODING_UTF16LE);
  g_assert_cmpuint (bom, ==, 2);
  g_assert_cmpint (tesoro_text_encoding_detect ((const guint8 *) "\xFE\xFF\0a", 4, &bom), ==, TESORO_TEXT_ENCODING_UTF16BE);
  g_assert_cmpint (tesoro_text_encoding_detect ((const guint8 *) "Zo\xC3\xAB", 4, NULL), ==, TESORO_TEXT_ENCODING_UTF8);
  g_assert_cmpint (tesoro_text_encoding_detect ((const guint8 *) "Zo\xEB x", 5, NULL), ==, TESORO_TEXT_ENCODING_WINDOWS_1252);
  /* A character cut off by the end of the sample is not held against UTF-8. */
  g_assert_cmpint (tesoro_text_encoding_detect ((const guint8 *) "Zo\xC3", 3, NULL), ==, TESORO_TEXT_ENCODING_UTF8);
}

static void
test_encoding_names (void)
{
  TesoroTextEncoding encoding = TESORO_TEXT_ENCODING_AUTO;
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_text_encoding_from_string ("UTF-8", &encoding, NULL));
  g_assert_cmpint (encoding, ==, TESORO_TEXT_ENCODING_UTF8);
  g_assert_true (tesoro_text_encoding_from_string ("cp1252", &encoding, NULL));
  g_assert_cmpint (encoding, ==, TESORO_TEXT_ENCODING_WINDOWS_1252);
  g_assert_true (tesoro_text_encoding_from_string ("latin1", &encoding, NULL));
  g_assert_cmpint (encoding, ==, TESORO_TEXT_ENCODING_WINDOWS_1252);
  g_assert_true (tesoro_text_encoding_from_string ("utf-16be", &encoding, NULL));
  g_assert_cmpint (encoding, ==, TESORO_TEXT_ENCODING_UTF16BE);
  g_assert_false (tesoro_text_encoding_from_string ("ebcdic", &encoding, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ebcdic"));

  for (TesoroTextEncoding e = TESORO_TEXT_ENCODING_AUTO; e <= TESORO_TEXT_ENCODING_WINDOWS_1252; e++)
    {
      TesoroTextEncoding back;
      g_assert_true (tesoro_text_encoding_from_string (tesoro_text_encoding_to_string (e), &back, NULL));
      g_assert_cmpint (back, ==, e);
    }
}

static void
test_encoding_windows_1252 (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("windows-1252.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);

  g_assert_no_error (error);
  g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_WINDOWS_1252);
  g_assert_cmpint (tesoro_csv_reader_get_delimiter (reader), ==, ';');
  g_assert_cmpuint (rows->len, ==, 1);
  assert_row (rows, 0, "René", "Daniëls", "Café ’t Hoekje", "€ 1,50", NULL);
}

static void
test_encoding_utf16 (void)
{
  const char *files[] = { "utf16le-bom.csv", "utf16be-bom.csv" };
  TesoroTextEncoding expected[] = { TESORO_TEXT_ENCODING_UTF16LE, TESORO_TEXT_ENCODING_UTF16BE };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(TesoroCsvReader) reader = open_corpus (files[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = read_all (reader, &error);
      const char * const header[] = { "Voornaam", "Achternaam", "Notitie", NULL };

      g_assert_no_error (error);
      g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, expected[i]);
      g_assert_cmpint (tesoro_csv_reader_get_delimiter (reader), ==, '\t');
      g_assert_cmpstrv (tesoro_csv_reader_get_header (reader), header);
      g_assert_cmpuint (rows->len, ==, 1);
      /* A character outside the BMP comes as a surrogate pair. */
      assert_row (rows, 0, "Zoë", "Müller", "Koffie ☕ en 😀", NULL);
    }
}

static void
test_encoding_utf16_errors (void)
{
  struct { const char *data; gsize len; const char *where; } cases[] = {
    /* An unpaired low surrogate on line 2, column 2. */
    { "\xFF\xFE" "a\0\n\0b\0\x00\xDC" "c\0", 12, "line 2, column 2" },
    /* A high surrogate followed by no low one. */
    { "\xFF\xFE" "a\0\x3D\xD8" "b\0", 8, "line 1, column 2" },
    /* An odd number of bytes: the file was cut off. */
    { "\xFF\xFE" "a\0b", 5, "line 1, column 2" },
    /* U+0000 is a NUL. */
    { "\xFE\xFF\0a\0\0", 6, "line 1, column 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TesoroCsvReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      TesoroCsvOptions options;

      tesoro_csv_options_init (&options);
      options.has_header = FALSE;
      reader = tesoro_csv_reader_new_for_data (cases[i].data, cases[i].len, "bad.csv", &options);
      rows = read_all (reader, &error);
      g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "bad.csv, "));
      g_assert_nonnull (strstr (error->message, cases[i].where));
      g_assert_false (tesoro_csv_reader_can_continue (reader));
    }
}

/* A file whose first 64 KiB are ASCII decides its encoding at the first
 * byte above 0x7F, wherever that is. */
static void
test_encoding_late_decision (void)
{
  GString *data = g_string_new ("name,city\n");
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  while (data->len < 200 * 1024)
    g_string_append (data, "Jan,Utrecht\n");
  g_string_append (data, "Ren\xE9,Li\xE8ge\n");

  reader = tesoro_csv_reader_new_for_data (data->str, data->len, "late.csv", NULL);
  rows = read_all (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_WINDOWS_1252);
  assert_row (rows, rows->len - 1, "René", "Liège", NULL);
  g_clear_pointer (&reader, tesoro_csv_reader_free);

  /* The same with UTF-8 stays UTF-8. */
  g_string_truncate (data, data->len - strlen ("Ren\xE9,Li\xE8ge\n"));
  g_string_append (data, "René,Liège\n");
  g_clear_pointer (&rows, g_ptr_array_unref);
  reader = tesoro_csv_reader_new_for_data (data->str, data->len, "late.csv", NULL);
  rows = read_all (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_UTF8);
  assert_row (rows, rows->len - 1, "René", "Liège", NULL);

  g_string_free (data, TRUE);
}

static void
test_encoding_invalid_utf8 (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("invalid-utf8.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);

  /* The BOM declares UTF-8; the Windows-1252 é on line 3 is not. */
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "invalid-utf8.csv, line 3, column 9: "));
  g_assert_nonnull (strstr (error->message, "E9"));
  /* What came before the problem was read. */
  g_assert_cmpuint (rows->len, ==, 1);
  assert_row (rows, 0, "Zoë", "Utrecht", NULL);
  g_assert_false (tesoro_csv_reader_can_continue (reader));
  /* The error is final. */
  g_clear_error (&error);
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
}

static void
test_encoding_forced (void)
{
  TesoroCsvOptions options;
  g_autoptr(GError) error = NULL;

  /* Forced UTF-8 on a Windows-1252 file: an error at the first é. */
  {
    g_autoptr(TesoroCsvReader) reader = NULL;
    g_autoptr(GPtrArray) rows = NULL;

    tesoro_csv_options_init (&options);
    options.encoding = TESORO_TEXT_ENCODING_UTF8;
    reader = open_corpus ("windows-1252.csv", &options);
    rows = read_all (reader, &error);
    g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "windows-1252.csv, line 2, column 4: "));
    g_clear_error (&error);
  }

  /* Forced Windows-1252 on a UTF-8 file: mojibake, as asked. */
  {
    g_autoptr(TesoroCsvReader) reader = NULL;
    g_autoptr(GPtrArray) rows = NULL;

    options.encoding = TESORO_TEXT_ENCODING_WINDOWS_1252;
    reader = open_corpus ("bom-utf8.csv", &options);
    rows = read_all (reader, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_WINDOWS_1252);
    /* The BOM is not Windows-1252's, so it is text: "ï»¿Voornaam". */
    g_assert_cmpstr (tesoro_csv_reader_get_header (reader)[0], ==, "ï»¿Voornaam");
    assert_row (rows, 0, "ZoÃ«", "MÃ¼ller", "â€™s-Hertogenbosch", NULL);
  }
}

static void
test_encoding_nul (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("nul-byte.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);

  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "nul-byte.csv, line 2, column 4: "));
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_assert_cmpuint (rows->len, ==, 0);
}

static void
test_encoding_workbook (void)
{
  static const char xlsx[] = "PK\003\004\024\000\006\000\010\000\000\000!\000";
  g_autoptr(TesoroCsvReader) reader = tesoro_csv_reader_new_for_data (xlsx, sizeof xlsx - 1, "klanten.xlsx", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (tesoro_csv_reader_prepare (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "klanten.xlsx"));
  g_assert_nonnull (strstr (error->message, "save it as CSV"));
}

static void
test_encoding_decode (void)
{
  g_autoptr(GError) error = NULL;
  TesoroTextEncoding detected;
  gsize len = 0;
  g_autofree char *text = tesoro_text_decode ("\xFE\xFF\0Z\0o\0\xEB", 8, "x", TESORO_TEXT_ENCODING_AUTO,
                                              &detected, &len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Zoë");
  g_assert_cmpuint (len, ==, 4);
  g_assert_cmpint (detected, ==, TESORO_TEXT_ENCODING_UTF16BE);
}

/* Reading */

static void
test_read_rfc4180 (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("rfc4180.csv", NULL);
  g_autoptr(GError) error = NULL;
  const char * const header[] = { "given_name", "family_name", "email", NULL };
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_true (tesoro_csv_reader_prepare (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tesoro_csv_reader_get_delimiter (reader), ==, ',');
  g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_UTF8);
  g_assert_cmpstrv (tesoro_csv_reader_get_header (reader), header);

  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 2);
  g_assert_cmpuint (tesoro_csv_reader_get_record_number (reader), ==, 1);
  g_assert_cmpuint (tesoro_csv_reader_get_n_fields (reader), ==, 3);
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 1, NULL), ==, "de Vries");

  rows = read_all (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_row (rows, 0, "Jan", "Jansen", "jan@example.nl", NULL);
  g_assert_cmpuint (tesoro_csv_reader_get_n_ragged (reader), ==, 0);
  g_assert_cmpuint (tesoro_csv_reader_get_bytes_read (reader), ==, 92);
}

static void
test_read_quoted (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("quoted.csv", NULL);
  g_autoptr(GError) error = NULL;
  guint64 lines[4];
  guint n = 0;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  while (tesoro_csv_reader_next (reader, NULL, &error))
    {
      lines[n++] = tesoro_csv_reader_get_line (reader);
      g_ptr_array_add (rows, tesoro_csv_reader_dup_fields (reader));
    }
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);

  assert_row (rows, 0, "Vries, Sophie de", "Zegt: \"bel me na 14:00\"", "Utrecht", NULL);
  /* Line breaks inside quotes are kept exactly, LF and CR LF alike. */
  assert_row (rows, 1, "Jan", "Regel 1\nRegel 2", "Amsterdam", NULL);
  assert_row (rows, 2, "Piet", "Windows\r\nregeleinde", "Den Haag", NULL);
  assert_row (rows, 3, "\"Quoted\"", ",", "\"", NULL);

  /* Physical lines: a quoted line break starts a new line. */
  g_assert_cmpuint (lines[0], ==, 2);
  g_assert_cmpuint (lines[1], ==, 3);
  g_assert_cmpuint (lines[2], ==, 5);
  g_assert_cmpuint (lines[3], ==, 7);
}

static void
test_read_empty_fields (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("empty-fields.csv", NULL);
  g_autoptr(GError) error = NULL;
  gsize len = 99;

  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (tesoro_csv_reader_get_n_fields (reader), ==, 4);
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 0, &len), ==, "");
  g_assert_cmpuint (len, ==, 0);
  g_assert_false (tesoro_csv_reader_get_field_quoted (reader, 0));
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 1, NULL), ==, "");
  g_assert_true (tesoro_csv_reader_get_field_quoted (reader, 1));
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 2, NULL), ==, "x");
  g_assert_false (tesoro_csv_reader_get_field_quoted (reader, 2));
  /* A delimiter at the end of the line ends an empty last field. */
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 3, NULL), ==, "");
  g_assert_false (tesoro_csv_reader_get_field_quoted (reader, 3));

  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (tesoro_csv_reader_get_n_fields (reader), ==, 4);
  g_assert_true (tesoro_csv_reader_get_field_quoted (reader, 0));
  g_assert_false (tesoro_csv_reader_get_field_quoted (reader, 1));
  g_assert_true (tesoro_csv_reader_get_field_quoted (reader, 3));

  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

static void
test_read_line_ends (void)
{
  const char *files[] = { "crlf.csv", "lf.csv", "cr.csv" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(TesoroCsvReader) reader = open_corpus (files[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      const char * const header[] = { "given_name", "family_name", "city", NULL };

      g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
      g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 2);
      rows = read_all (reader, &error);
      g_assert_no_error (error);
      g_assert_cmpstrv (tesoro_csv_reader_get_header (reader), header);
      g_assert_cmpuint (rows->len, ==, 1);
      assert_row (rows, 0, "Bram", "Visser", "Zwolle", NULL);
      g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 3);
    }
}

static void
test_read_bom (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("bom-utf8.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);
  const char * const header[] = { "Voornaam", "Achternaam", "Plaats", NULL };

  g_assert_no_error (error);
  g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_UTF8_BOM);
  g_assert_cmpint (tesoro_csv_reader_get_delimiter (reader), ==, ';');
  /* The byte order mark is not part of the first header. */
  g_assert_cmpstrv (tesoro_csv_reader_get_header (reader), header);
  assert_row (rows, 0, "Zoë", "Müller", "’s-Hertogenbosch", NULL);
}

static void
test_read_no_final_newline (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("no-final-newline.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  assert_row (rows, 1, "Jan", "Jansen", NULL);

  /* The same for a quoted last field and for an empty last field. */
  {
    const char *data[] = { "a,b\n1,\"2\"", "a,b\n1,", "a,b\n1,\"\"" };
    const char *last[] = { "2", "", "" };

    for (guint i = 0; i < G_N_ELEMENTS (data); i++)
      {
        g_autoptr(TesoroCsvReader) r = tesoro_csv_reader_new_for_data (data[i], strlen (data[i]), "x.csv", NULL);
        g_autoptr(GPtrArray) got = read_all (r, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (got->len, ==, 1);
        assert_row (got, 0, "1", last[i], NULL);
      }
  }
}

static void
test_read_delimiters (void)
{
  struct { const char *file; char delimiter; } cases[] = {
    { "semicolon.csv", ';' }, { "tab.tsv", '\t' }, { "pipe.csv", '|' }, { "rfc4180.csv", ',' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TesoroCsvReader) reader = open_corpus (cases[i].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = read_all (reader, &error);

      g_assert_no_error (error);
      g_assert_cmpint (tesoro_csv_reader_get_delimiter (reader), ==, cases[i].delimiter);
      g_assert_cmpuint (tesoro_csv_reader_get_n_ragged (reader), ==, 0);
      g_assert_cmpuint (rows->len, ==, 2);
    }

  /* Decimal commas do not fool detection. */
  {
    g_autoptr(TesoroCsvReader) reader = open_corpus ("semicolon.csv", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) rows = read_all (reader, &error);

    assert_row (rows, 0, "Sophie", "de Vries", "sophie@example.nl", "1,50", NULL);
  }

  /* The user may override what was detected. */
  {
    g_autoptr(TesoroCsvReader) reader = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) rows = NULL;
    TesoroCsvOptions options;

    tesoro_csv_options_init (&options);
    options.delimiter = ',';
    reader = open_corpus ("semicolon.csv", &options);
    rows = read_all (reader, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tesoro_csv_reader_get_delimiter (reader), ==, ',');
    assert_row (rows, 0, "Sophie;de Vries;sophie@example.nl;1", "50", NULL);
  }
}

static void
test_detect_delimiter (void)
{
  struct { const char *sample; gboolean complete; char expected; } cases[] = {
    { "a,b,c\n1,2,3\n", TRUE, ',' },
    { "a;b;c\n1;2;3\n", TRUE, ';' },
    { "a\tb\n1\t2\n", TRUE, '\t' },
    { "a|b\n1|2\n", TRUE, '|' },
    { "Naam;Bedrag\nJan;1,50\nPiet;2\n", TRUE, ';' },
    /* Delimiters inside quotes do not count. */
    { "name,note\n\"a;b;c\",x\n\"d;e\",y\n", TRUE, ',' },
    { "name;note\n\"a,b,c\";x\n\"d,e\";y\n", TRUE, ';' },
    /* One column: nothing splits, so the answer is a comma. */
    { "email\na@example.nl\nb@example.nl\n", TRUE, ',' },
    { "", TRUE, ',' },
    /* A cut-off last record is not looked at. */
    { "a;b\n1;2\n3;4\n5,6,7,8,9", FALSE, ';' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (tesoro_csv_detect_delimiter (cases[i].sample, strlen (cases[i].sample),
                                                  cases[i].complete), ==, cases[i].expected);
}

static void
test_delimiter_names (void)
{
  char d = 'x';
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_csv_delimiter_from_string (";", &d, NULL));
  g_assert_cmpint (d, ==, ';');
  g_assert_true (tesoro_csv_delimiter_from_string ("tab", &d, NULL));
  g_assert_cmpint (d, ==, '\t');
  g_assert_true (tesoro_csv_delimiter_from_string ("\\t", &d, NULL));
  g_assert_cmpint (d, ==, '\t');
  g_assert_true (tesoro_csv_delimiter_from_string ("auto", &d, NULL));
  g_assert_cmpint (d, ==, 0);
  g_assert_false (tesoro_csv_delimiter_from_string ("\"", &d, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_INVALID);
  g_assert_cmpstr (tesoro_csv_delimiter_get_label (';'), ==, "Semicolon (;)");
}

static void
test_read_ragged (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("ragged.csv", NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;
  GArray *ragged;
  TesoroCsvRaggedRow *row;
  g_autofree char *message = NULL;
  gboolean flags[4];
  guint n = 0;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  while (tesoro_csv_reader_next (reader, NULL, &error))
    {
      flags[n++] = tesoro_csv_reader_is_ragged (reader);
      g_ptr_array_add (rows, tesoro_csv_reader_dup_fields (reader));
    }
  g_assert_no_error (error);

  /* Ragged rows are still read, whole. */
  g_assert_cmpuint (rows->len, ==, 4);
  assert_row (rows, 1, "Jan", "Jansen", NULL);
  assert_row (rows, 2, "Piet", "Pietersen", "piet@example.nl", "extra", NULL);
  g_assert_false (flags[0]);
  g_assert_true (flags[1]);
  g_assert_true (flags[2]);
  g_assert_false (flags[3]);

  g_assert_cmpuint (tesoro_csv_reader_get_expected_n_fields (reader), ==, 3);
  g_assert_cmpuint (tesoro_csv_reader_get_n_ragged (reader), ==, 2);
  ragged = tesoro_csv_reader_get_ragged_rows (reader);
  g_assert_cmpuint (ragged->len, ==, 2);
  row = &g_array_index (ragged, TesoroCsvRaggedRow, 0);
  g_assert_cmpuint (row->line, ==, 3);
  g_assert_cmpuint (row->record, ==, 2);
  g_assert_cmpuint (row->n_fields, ==, 2);
  g_assert_cmpuint (row->expected, ==, 3);
  message = tesoro_csv_ragged_row_describe (reader, row);
  g_assert_cmpstr (message, ==, "ragged.csv, line 3: the row has 2 fields, the header 3");
  row = &g_array_index (ragged, TesoroCsvRaggedRow, 1);
  g_assert_cmpuint (row->line, ==, 4);
  g_assert_cmpuint (row->n_fields, ==, 4);

  g_ptr_array_unref (rows);
}

static void
test_read_no_header (void)
{
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TesoroCsvOptions options;

  tesoro_csv_options_init (&options);
  options.has_header = FALSE;
  reader = open_corpus ("no-header.csv", &options);
  rows = read_all (reader, &error);
  g_assert_no_error (error);
  g_assert_null (tesoro_csv_reader_get_header (reader));
  g_assert_cmpuint (rows->len, ==, 2);
  assert_row (rows, 0, "Sophie", "de Vries", "sophie@example.nl", NULL);
  /* Without a header the first record sets the expected width. */
  g_assert_cmpuint (tesoro_csv_reader_get_expected_n_fields (reader), ==, 3);

  /* An empty file has an empty header. */
  {
    g_autoptr(TesoroCsvReader) empty = tesoro_csv_reader_new_for_data ("", 0, "empty.csv", NULL);

    g_assert_true (tesoro_csv_reader_prepare (empty, NULL, &error));
    g_assert_nonnull (tesoro_csv_reader_get_header (empty));
    g_assert_cmpuint (g_strv_length ((char **) tesoro_csv_reader_get_header (empty)), ==, 0);
    g_assert_false (tesoro_csv_reader_next (empty, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_read_blank_lines (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("blank-lines.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 3);
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 1, NULL), ==, "2");
  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 5);
  g_assert_cmpuint (tesoro_csv_reader_get_record_number (reader), ==, 2);
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tesoro_csv_reader_get_n_ragged (reader), ==, 0);
}

static void
test_read_verbatim (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("spaces.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);

  g_assert_no_error (error);
  assert_row (rows, 0, "  leading", " trailing  ", NULL);
  assert_row (rows, 1, " quoted ", " x ", NULL);
}

static void
test_read_stray_quote (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("stray-quote.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "stray-quote.csv, line 3, column 14 (field 2): "));
  g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 3);
  /* The problem concerns that record only: reading goes on. */
  g_assert_true (tesoro_csv_reader_can_continue (reader));
  g_clear_error (&error);

  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 0, NULL), ==, "Piet");
  g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 4);
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

static void
test_read_after_quote (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("after-quote.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "after-quote.csv, line 2, column 9 (field 1): "));
  g_assert_true (tesoro_csv_reader_can_continue (reader));
  g_clear_error (&error);
  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 0, NULL), ==, "Jan");
}

static void
test_read_truncated (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("truncated.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);

  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "truncated.csv, line 3, column 5 (field 2): "));
  g_assert_nonnull (strstr (error->message, "truncated"));
  g_assert_false (tesoro_csv_reader_can_continue (reader));
}

static void
test_read_line_numbers (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("multiline-then-error.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);

  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "multiline-then-error.csv, line 5, column 7 (field 2): "));
}

/* The input arrives in chunks of 64 KiB: line breaks, quotes and UTF-8
 * characters that straddle a chunk boundary read like any other. */
static void
test_read_chunk_boundaries (void)
{
  const char *tricky[] = {
    "\"a\"\"b\",\"c\r\nd\",é€😀\r\n",
    "x,\"\"\r\n",
    "\"\",\"\"\"\"\r\r\n",
  };

  for (guint t = 0; t < G_N_ELEMENTS (tricky); t++)
    for (guint shift = 0; shift < 24; shift++)
      {
        GString *data = g_string_new ("h1,h2,h3\n");
        g_autoptr(TesoroCsvReader) reader = NULL;
        g_autoptr(TesoroCsvReader) reference = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) rows = NULL;
        g_autoptr(GPtrArray) small = NULL;
        gsize target = 64 * 1024 - 12 + shift;
        GString *filler = g_string_new (NULL);

        /* Fill to just before the boundary with one long field. */
        g_string_append (filler, "f,");
        while (data->len + filler->len + 2 < target)
          g_string_append_c (filler, 'z');
        g_string_append (filler, "\n");
        g_string_append (data, filler->str);
        for (guint k = 0; k < 4; k++)
          g_string_append (data, tricky[t]);

        reader = tesoro_csv_reader_new_for_data (data->str, data->len, "b.csv", NULL);
        rows = read_all (reader, &error);
        g_assert_no_error (error);

        /* The same records without the filler, all in one chunk. */
        {
          GString *plain = g_string_new ("h1,h2,h3\n");

          for (guint k = 0; k < 4; k++)
            g_string_append (plain, tricky[t]);
          reference = tesoro_csv_reader_new_for_data (plain->str, plain->len, "b.csv", NULL);
          small = read_all (reference, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (rows->len, ==, small->len + 1);
          for (guint r = 0; r < small->len; r++)
            g_assert_cmpstrv (rows->pdata[r + 1], small->pdata[r]);
          g_string_free (plain, TRUE);
        }

        g_string_free (filler, TRUE);
        g_string_free (data, TRUE);
      }
}

/* Everything a reader makes of a file, errors included, as text. */
static char *
transcript (TesoroCsvReader *reader)
{
  GString *out = g_string_new (NULL);

  for (;;)
    {
      g_autoptr(GError) error = NULL;

      if (tesoro_csv_reader_next (reader, NULL, &error))
        {
          g_string_append_printf (out, "%" G_GUINT64_FORMAT ":", tesoro_csv_reader_get_line (reader));
          for (guint i = 0; i < tesoro_csv_reader_get_n_fields (reader); i++)
            g_string_append_printf (out, "[%s%s]", tesoro_csv_reader_get_field_quoted (reader, i) ? "q" : "",
                                    tesoro_csv_reader_get_field (reader, i, NULL));
          g_string_append_c (out, '\n');
          continue;
        }
      if (error == NULL)
        break;
      g_string_append_printf (out, "error: %s\n", error->message);
      if (!tesoro_csv_reader_can_continue (reader))
        break;
    }

  g_string_append_printf (out, "delimiter %d, encoding %s, ragged %" G_GUINT64_FORMAT "\n",
                          tesoro_csv_reader_get_delimiter (reader),
                          tesoro_text_encoding_to_string (tesoro_csv_reader_get_encoding (reader)),
                          tesoro_csv_reader_get_n_ragged (reader));
  return g_string_free (out, FALSE);
}

/* However the stream cuts the file into pieces — one byte at a time
 * included — every file of the corpus reads the same. */
static void
test_read_trickle (void)
{
  g_autofree char *dir_path = g_build_filename (TESORO_TEST_DATA, "csv", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *data = NULL;
      g_autofree char *expected = NULL;
      gsize length = 0;
      static const gsize sizes[] = { 1, 2, 3, 5, 8, 13, 4096 };

      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      {
        g_autoptr(TesoroCsvReader) reader = tesoro_csv_reader_new_for_data (data, length, name, NULL);
        expected = transcript (reader);
      }

      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        {
          g_autoptr(GInputStream) stream = format_test_trickle_stream_new (data, length, sizes[i]);
          g_autoptr(TesoroCsvReader) reader = tesoro_csv_reader_new (stream, name, NULL);
          g_autofree char *got = transcript (reader);

          g_assert_cmpstr (got, ==, expected);
        }
      n_files++;
    }

  g_assert_cmpuint (n_files, >=, 25);
}

/* Limits */

typedef struct
{
  guint   part;
  guint   n_parts;
} HugeFieldState;

static gboolean
generate_huge_field (GString  *out,
                     gpointer  user_data)
{
  HugeFieldState *state = user_data;

  if (state->part == 0)
    g_string_append (out, "name,note\nJan,\"");
  else if (state->part <= state->n_parts)
    {
      /* 1 MiB of text per part: 1024 lines of 1 KiB. */
      static char line[1024];

      if (line[0] == '\0')
        {
          for (guint i = 0; i < sizeof line - 1; i++)
            line[i] = "Lorem ipsum dolor sit amet, "[i % 28];
          line[sizeof line - 1] = '\n';
        }
      for (guint i = 0; i < 1024; i++)
        g_string_append_len (out, line, sizeof line);
    }
  else if (state->part == state->n_parts + 1)
    g_string_append (out, "\"\nPiet,ok\n");
  else
    return FALSE;

  state->part++;
  return TRUE;
}

static void
test_limit_huge_field (void)
{
  HugeFieldState state = { 0, 100 };
  g_autoptr(GInputStream) stream = format_test_gen_stream_new (generate_huge_field, &state);
  g_autoptr(TesoroCsvReader) reader = tesoro_csv_reader_new (stream, "huge.csv", NULL);
  g_autoptr(GError) error = NULL;
  glong before = format_test_peak_rss_kib ();
  glong grown;

  /* A 100 MB field: refused with file, line and field, without holding it. */
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "huge.csv, line 2, field 2: "));
  /* g_format_size() puts a no-break space between number and unit. */
  g_assert_nonnull (strstr (error->message, "1.0\xC2\xA0MB"));
  g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 2);
  g_assert_true (tesoro_csv_reader_can_continue (reader));
  g_clear_error (&error);

  /* The record after it is read: the field's 102,400 line breaks count. */
  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 0, NULL), ==, "Piet");
  g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 2 + 100 * 1024 + 1);
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tesoro_csv_reader_get_bytes_read (reader), >, 100 * 1024 * 1024);

  grown = format_test_peak_rss_kib () - before;
  g_test_message ("peak memory grew by %ld KiB reading a 100 MB field", grown);
#ifndef UNDER_ASAN
  g_assert_cmpint (grown, <, 32 * 1024);
#endif
}

static void
test_limit_configurable (void)
{
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  TesoroCsvOptions options;
  const char *data = "a,b\nshort,0123456789A\nok,ok\n";

  tesoro_csv_options_init (&options);
  options.max_field_bytes = 10;
  reader = tesoro_csv_reader_new_for_data (data, strlen (data), "small.csv", &options);
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "small.csv, line 2, field 2: "));
  g_clear_error (&error);
  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 0, NULL), ==, "ok");
}

static void
test_limit_record (void)
{
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  TesoroCsvOptions options;
  const char *data = "a,b,c\nshort,row,ok\n0123456789,0123456789,0123456789\nlast,row,ok\n";

  tesoro_csv_options_init (&options);
  options.max_record_bytes = 24;
  reader = tesoro_csv_reader_new_for_data (data, strlen (data), "rows.csv", &options);
  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "rows.csv, line 3: the record is longer than "));
  g_assert_true (tesoro_csv_reader_can_continue (reader));
  g_clear_error (&error);
  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 0, NULL), ==, "last");
}

static void
test_limit_fields (void)
{
  GString *data = g_string_new ("a\n");
  g_autoptr(TesoroCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_c (data, ',');
  g_string_append (data, "\nlast\n");

  reader = tesoro_csv_reader_new_for_data (data->str, data->len, "wide.csv", NULL);
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "wide.csv, line 2: "));
  g_assert_nonnull (strstr (error->message, "10000 fields"));
  g_clear_error (&error);
  g_assert_true (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 0, NULL), ==, "last");

  g_string_free (data, TRUE);
}

typedef struct
{
  guint n;
  guint total;
} RowsState;

static gboolean
generate_rows (GString  *out,
               gpointer  user_data)
{
  RowsState *state = user_data;

  if (state->n == 0)
    g_string_append (out, "given_name,family_name,email,phone,city,organization,note\r\n");
  if (state->n >= state->total)
    return FALSE;

  g_string_append_printf (out,
                          "Voornaam%u,\"van der Achternaam%u\",persoon%u@voorbeeld.nl,+3161%07u,Utrecht,"
                          "Bedrijf %u B.V.,\"Notitie, met \"\"quotes\"\"\"\r\n",
                          state->n, state->n, state->n, state->n % 10000000, state->n % 5000);
  state->n++;
  return TRUE;
}

static void
test_million_rows (void)
{
  RowsState state = { 0, 1000000 };
  g_autoptr(GInputStream) stream = format_test_gen_stream_new (generate_rows, &state);
  g_autoptr(TesoroCsvReader) reader = tesoro_csv_reader_new (stream, "million.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  glong before = format_test_peak_rss_kib ();
  guint64 n = 0;
  glong grown;
  gsize len = 0;

  while (tesoro_csv_reader_next (reader, NULL, &error))
    {
      if (n == 999999)
        {
          g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 2, &len), ==, "persoon999999@voorbeeld.nl");
          g_assert_cmpstr (tesoro_csv_reader_get_field (reader, 6, NULL), ==, "Notitie, met \"quotes\"");
        }
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1000000);
  g_assert_cmpuint (tesoro_csv_reader_get_line (reader), ==, 1000001);
  g_assert_cmpuint (tesoro_csv_reader_get_n_ragged (reader), ==, 0);

  grown = format_test_peak_rss_kib () - before;
  g_test_message ("1,000,000 rows (%.0f MB) read in %.2f s; peak memory grew by %ld KiB",
                  tesoro_csv_reader_get_bytes_read (reader) / 1e6, g_timer_elapsed (timer, NULL), grown);
#ifndef UNDER_ASAN
  g_assert_cmpint (grown, <, 16 * 1024);
#endif
}

static void
test_read_cancel (void)
{
  RowsState state = { 0, 100000 };
  g_autoptr(GInputStream) stream = format_test_gen_stream_new (generate_rows, &state);
  g_autoptr(TesoroCsvReader) reader = tesoro_csv_reader_new (stream, "cancel.csv", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint n = 0;

  while (tesoro_csv_reader_next (reader, cancellable, &error))
    if (++n == 1000)
      g_cancellable_cancel (cancellable);

  /* Reading stops within one chunk of 64 KiB, for good. */
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED);
  g_assert_cmpuint (n, <, 2000);
  g_assert_false (tesoro_csv_reader_can_continue (reader));
  g_clear_error (&error);
  g_assert_false (tesoro_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/contacten.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroCsvReader) reader = tesoro_csv_reader_new_for_file (file, NULL, NULL, &error);

  g_assert_null (reader);
  g_assert_error (error, TESORO_ERROR, TESORO_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "contacten.csv"));
}

/* Real-world exports */

static void
test_google_contacts (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("google-contacts.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);
  const char * const *header;

  g_assert_no_error (error);
  header = tesoro_csv_reader_get_header (reader);
  g_assert_cmpuint (g_strv_length ((char **) header), ==, 56);
  g_assert_cmpstr (header[0], ==, "Name");
  g_assert_cmpstr (header[1], ==, "Given Name");
  g_assert_cmpstr (header[30], ==, "E-mail 1 - Value");
  g_assert_cmpint (tesoro_csv_reader_get_delimiter (reader), ==, ',');
  g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_UTF8);
  g_assert_cmpuint (rows->len, ==, 7);
  g_assert_cmpuint (tesoro_csv_reader_get_n_ragged (reader), ==, 0);
  g_assert_cmpstr (((char **) rows->pdata[0])[30], ==, "sophie@bakkerijdevries.nl");
  g_assert_cmpstr (((char **) rows->pdata[0])[38], ==, "Dorpsstraat 1\n3512 AB Utrecht\nNetherlands");
  g_assert_cmpstr (((char **) rows->pdata[3])[1], ==, "Zoë");
  g_assert_cmpstr (((char **) rows->pdata[4])[25], ==, "Offerte 2024-031 verstuurd; \"akkoord\" per telefoon.");
}

static void
test_outlook (void)
{
  g_autoptr(TesoroCsvReader) reader = open_corpus ("outlook.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all (reader, &error);
  const char * const *header;

  g_assert_no_error (error);
  header = tesoro_csv_reader_get_header (reader);
  g_assert_cmpuint (g_strv_length ((char **) header), ==, 92);
  g_assert_cmpstr (header[1], ==, "First Name");
  g_assert_cmpstr (header[57], ==, "E-mail Address");
  g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_WINDOWS_1252);
  g_assert_cmpuint (rows->len, ==, 5);
  g_assert_cmpuint (tesoro_csv_reader_get_n_ragged (reader), ==, 0);
  g_assert_cmpstr (((char **) rows->pdata[2])[1], ==, "René");
  g_assert_cmpstr (((char **) rows->pdata[2])[3], ==, "Daniëls");
  g_assert_cmpstr (((char **) rows->pdata[2])[77], ==, "Levering elke dinsdag.\r\nSleutel bij de buren (nr. 9).");
  g_assert_cmpstr (((char **) rows->pdata[3])[3], ==, "O'Connor");
}

/* Writing */

static char *
write_rows (const char * const * const *rows,
            char                        delimiter,
            TesoroCsvWriterFlags        flags)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(TesoroCsvWriter) writer = tesoro_csv_writer_new (out, delimiter, flags);
  g_autoptr(GError) error = NULL;
  gsize size;
  char *data;

  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_assert_true (tesoro_csv_writer_write_row (writer, rows[i], -1, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (tesoro_csv_writer_flush (writer, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_no_error (error);

  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  data = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  data = g_realloc (data, size + 1);
  data[size] = '\0';

  return data;
}

static void
test_write_quoting (void)
{
  const char *r0[] = { "name", "note", "city", NULL };
  const char *r1[] = { "Vries, Sophie de", "Zegt \"hoi\"", "Utrecht", NULL };
  const char *r2[] = { "Jan", "een\ntwee", "", NULL };
  const char *r3[] = { "a;b", " spaced ", "\r", NULL };
  const char * const *rows[] = { r0, r1, r2, r3, NULL };
  g_autofree char *csv = write_rows (rows, ',', TESORO_CSV_WRITER_NONE);

  g_assert_cmpstr (csv, ==,
                   "name,note,city\r\n"
                   "\"Vries, Sophie de\",\"Zegt \"\"hoi\"\"\",Utrecht\r\n"
                   "Jan,\"een\ntwee\",\r\n"
                   "a;b, spaced ,\"\r\"\r\n");
}

static void
test_write_bom_semicolon (void)
{
  const char *r0[] = { "Naam", "Bedrag", NULL };
  const char *r1[] = { "Zoë", "1,50", NULL };
  const char *r2[] = { "a;b", NULL };
  const char *r3[] = { "", NULL };
  const char * const *rows[] = { r0, r1, r2, r3, NULL };
  g_autofree char *csv = write_rows (rows, ';', TESORO_CSV_WRITER_BOM);

  /* A row of one empty field is "", or a reader would see no record. */
  g_assert_cmpstr (csv, ==, "\xEF\xBB\xBFNaam;Bedrag\r\nZoë;1,50\r\n\"a;b\"\r\n\"\"\r\n");
}

static void
test_write_neutralize (void)
{
  const char *r0[] = { "=1+1", "+31612345678", "-5", "@SUM(A1)", "\tx", "\rx", "safe", "'quoted", "'=x", NULL };
  const char * const *rows[] = { r0, NULL };
  g_autofree char *csv = write_rows (rows, ',', TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS);
  const char *samples[] = { "=1+1", "+31", "-", "@", "\t", "\r", "", "'", "''", "'=", "''+x", "a=b", "'a", "x'=", NULL };

  g_assert_cmpstr (csv, ==, "'=1+1,'+31612345678,'-5,'@SUM(A1),'\tx,\"'\rx\",safe,'quoted,''=x\r\n");

  /* Neutralising is undone exactly, whatever the value was. */
  for (guint i = 0; samples[i] != NULL; i++)
    {
      g_autofree char *safe = tesoro_csv_neutralize (samples[i]);
      g_autofree char *back = tesoro_csv_unneutralize (safe);

      g_assert_cmpstr (back, ==, samples[i]);
      g_assert_false (safe[0] == '=' || safe[0] == '+' || safe[0] == '-' || safe[0] == '@' ||
                      safe[0] == '\t' || safe[0] == '\r');
    }

  /* A cell from elsewhere that merely starts with an apostrophe stays. */
  {
    g_autofree char *kept = tesoro_csv_unneutralize ("'s-Hertogenbosch");
    g_assert_cmpstr (kept, ==, "'s-Hertogenbosch");
  }
}

static char *
random_cell (GRand *rand)
{
  static const char * const pieces[] = {
    "a", "Zoë", "€", "😀", ",", ";", "\t", "|", "\"", "\"\"", "\r", "\n", "\r\n", " ", "'", "=", "+", "-", "@",
    "\xEF\xBB\xBF", "x y", "van der", "\\",
  };
  GString *cell = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, 6);

  for (guint i = 0; i < n; i++)
    g_string_append (cell, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);

  return g_string_free (cell, FALSE);
}

/* What the writer writes, the reader reads back unchanged — with every
 * delimiter, with and without BOM and formula neutralising. */
static void
test_write_round_trip (void)
{
  static const char delimiters[] = { ',', ';', '\t', '|' };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);

  for (guint round = 0; round < 200; round++)
    {
      char delimiter = delimiters[round % G_N_ELEMENTS (delimiters)];
      TesoroCsvWriterFlags flags = (round & 1 ? TESORO_CSV_WRITER_BOM : 0) |
                                   (round & 2 ? TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS : 0);
      guint n_rows = g_rand_int_range (rand, 1, 8);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      g_autoptr(TesoroCsvReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) back = NULL;
      g_autofree char *csv = NULL;
      TesoroCsvOptions options;

      for (guint r = 0; r < n_rows; r++)
        {
          guint n_fields = g_rand_int_range (rand, 1, 6);
          char **row = g_new0 (char *, n_fields + 1);

          for (guint f = 0; f < n_fields; f++)
            row[f] = random_cell (rand);
          g_ptr_array_add (rows, row);
        }
      g_ptr_array_add (rows, NULL);
      csv = write_rows ((const char * const * const *) rows->pdata, delimiter, flags);
      g_ptr_array_remove_index (rows, rows->len - 1);

      tesoro_csv_options_init (&options);
      options.has_header = FALSE;
      options.delimiter = delimiter;
      reader = tesoro_csv_reader_new_for_data (csv, strlen (csv), "round.csv", &options);
      back = read_all (reader, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (back->len, ==, rows->len);

      for (guint r = 0; r < rows->len; r++)
        {
          char **expected = rows->pdata[r];
          char **got = back->pdata[r];

          g_assert_cmpuint (g_strv_length (got), ==, g_strv_length (expected));
          for (guint f = 0; expected[f] != NULL; f++)
            {
              g_autofree char *value = (flags & TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS) ?
                                       tesoro_csv_unneutralize (got[f]) : g_strdup (got[f]);
              g_assert_cmpstr (value, ==, expected[f]);
            }
        }
    }
}

/* A contact table as Tesoro exports it reads back with the delimiter and
 * encoding detected. */
static void
test_write_round_trip_detected (void)
{
  const char *r0[] = { "given_name", "family_name", "email", "note", NULL };
  const char *r1[] = { "Sophie", "de Vries", "sophie@example.nl", "Bel; niet mailen, \"graag\"", NULL };
  const char *r2[] = { "Zoë", "Müller", "zoe@example.de", "", NULL };
  const char * const *rows[] = { r0, r1, r2, NULL };

  for (guint i = 0; i < 2; i++)
    {
      char delimiter = i == 0 ? ',' : ';';
      g_autofree char *csv = write_rows (rows, delimiter, TESORO_CSV_WRITER_BOM);
      g_autoptr(TesoroCsvReader) reader = tesoro_csv_reader_new_for_data (csv, strlen (csv), "export.csv", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) back = read_all (reader, &error);

      g_assert_no_error (error);
      g_assert_cmpint (tesoro_csv_reader_get_delimiter (reader), ==, delimiter);
      g_assert_cmpint (tesoro_csv_reader_get_encoding (reader), ==, TESORO_TEXT_ENCODING_UTF8_BOM);
      g_assert_cmpstrv (tesoro_csv_reader_get_header (reader), r0);
      g_assert_cmpstrv (back->pdata[0], r1);
      g_assert_cmpstrv (back->pdata[1], r2);
    }
}

static void
test_write_buffering (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(TesoroCsvWriter) writer = tesoro_csv_writer_new (out, ',', TESORO_CSV_WRITER_NONE);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 10000; i++)
    {
      tesoro_csv_writer_add_field (writer, "Sophie");
      tesoro_csv_writer_add_field (writer, NULL);
      tesoro_csv_writer_add_field (writer, "sophie@example.nl");
      g_assert_true (tesoro_csv_writer_end_row (writer, NULL, &error));
    }
  /* Full buffers went out while writing; the rest goes on flush. */
  g_assert_cmpuint (tesoro_csv_writer_get_bytes_written (writer), >, 0);
  g_assert_true (tesoro_csv_writer_flush (writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tesoro_csv_writer_get_bytes_written (writer), ==, 10000 * strlen ("Sophie,,sophie@example.nl\r\n"));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==,
                    10000 * strlen ("Sophie,,sophie@example.nl\r\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/encoding/detect", test_encoding_detect);
  g_test_add_func ("/csv/encoding/names", test_encoding_names);
  g_test_add_func ("/csv/encoding/windows-1252", test_encoding_windows_1252);
  g_test_add_func ("/csv/encoding/utf-16", test_encoding_utf16);
  g_test_add_func ("/csv/encoding/utf-16-errors", test_encoding_utf16_errors);
  g_test_add_func ("/csv/encoding/late-decision", test_encoding_late_decision);
  g_test_add_func ("/csv/encoding/invalid-utf-8", test_encoding_invalid_utf8);
  g_test_add_func ("/csv/encoding/forced", test_encoding_forced);
  g_test_add_func ("/csv/encoding/nul", test_encoding_nul);
  g_test_add_func ("/csv/encoding/workbook", test_encoding_workbook);
  g_test_add_func ("/csv/encoding/decode", test_encoding_decode);
  g_test_add_func ("/csv/read/rfc4180", test_read_rfc4180);
  g_test_add_func ("/csv/read/quoted", test_read_quoted);
  g_test_add_func ("/csv/read/empty-fields", test_read_empty_fields);
  g_test_add_func ("/csv/read/line-ends", test_read_line_ends);
  g_test_add_func ("/csv/read/bom", test_read_bom);
  g_test_add_func ("/csv/read/no-final-newline", test_read_no_final_newline);
  g_test_add_func ("/csv/read/delimiters", test_read_delimiters);
  g_test_add_func ("/csv/read/detect-delimiter", test_detect_delimiter);
  g_test_add_func ("/csv/read/delimiter-names", test_delimiter_names);
  g_test_add_func ("/csv/read/ragged", test_read_ragged);
  g_test_add_func ("/csv/read/no-header", test_read_no_header);
  g_test_add_func ("/csv/read/blank-lines", test_read_blank_lines);
  g_test_add_func ("/csv/read/verbatim", test_read_verbatim);
  g_test_add_func ("/csv/read/stray-quote", test_read_stray_quote);
  g_test_add_func ("/csv/read/after-quote", test_read_after_quote);
  g_test_add_func ("/csv/read/truncated", test_read_truncated);
  g_test_add_func ("/csv/read/line-numbers", test_read_line_numbers);
  g_test_add_func ("/csv/read/chunk-boundaries", test_read_chunk_boundaries);
  g_test_add_func ("/csv/read/trickle", test_read_trickle);
  g_test_add_func ("/csv/read/missing-file", test_missing_file);
  g_test_add_func ("/csv/read/cancel", test_read_cancel);
  g_test_add_func ("/csv/limits/huge-field", test_limit_huge_field);
  g_test_add_func ("/csv/limits/configurable", test_limit_configurable);
  g_test_add_func ("/csv/limits/fields", test_limit_fields);
  g_test_add_func ("/csv/limits/record", test_limit_record);
  g_test_add_func ("/csv/limits/million-rows", test_million_rows);
  g_test_add_func ("/csv/exports/google-contacts", test_google_contacts);
  g_test_add_func ("/csv/exports/outlook", test_outlook);
  g_test_add_func ("/csv/write/quoting", test_write_quoting);
  g_test_add_func ("/csv/write/bom-semicolon", test_write_bom_semicolon);
  g_test_add_func ("/csv/write/neutralize", test_write_neutralize);
  g_test_add_func ("/csv/write/round-trip", test_write_round_trip);
  g_test_add_func ("/csv/write/round-trip-detected", test_write_round_trip_detected);
  g_test_add_func ("/csv/write/buffering", test_write_buffering);

  return g_test_run ();
}
