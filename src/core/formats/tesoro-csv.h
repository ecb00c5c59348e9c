/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-text-encoding.h"

G_BEGIN_DECLS

/* Defaults of #TesoroCsvOptions: generous for contact data, small enough
 * that a hostile file cannot exhaust memory. */
#define TESORO_CSV_DEFAULT_MAX_FIELD_BYTES  (1024 * 1024)
#define TESORO_CSV_DEFAULT_MAX_RECORD_BYTES (8 * 1024 * 1024)
#define TESORO_CSV_DEFAULT_MAX_FIELDS       10000
/* The delimiters detected, in the order preferred when the data is ambiguous. */
#define TESORO_CSV_DELIMITERS ",;\t|"

/**
 * TesoroCsvOptions:
 * @encoding: the encoding, or %TESORO_TEXT_ENCODING_AUTO to detect it
 * @delimiter: `,` `;` tab or `|` (any other ASCII punctuation works too),
 *   or 0 to detect it from the first 64 KiB
 * @has_header: whether the first record is a header row
 * @max_field_bytes: the longest field accepted (0: the default, 1 MiB)
 * @max_record_bytes: the longest record accepted (0: the default, 8 MiB)
 * @max_fields: the most fields a record may have (0: the default, 10,000)
 *
 * How to read a CSV file. Initialise with tesoro_csv_options_init().
 */
typedef struct
{
  TesoroTextEncoding  encoding;
  char                delimiter;
  gboolean            has_header;
  gsize               max_field_bytes;
  gsize               max_record_bytes;
  guint               max_fields;
} TesoroCsvOptions;

void tesoro_csv_options_init (TesoroCsvOptions *options);

/**
 * TesoroCsvRaggedRow:
 * @line: the physical line the record starts on (1-based)
 * @record: the record's number among the data records (1-based; the
 *   header is not counted)
 * @n_fields: how many fields the record has
 * @expected: how many fields the header (or the first record) has
 *
 * A record whose number of fields differs from the header's. It is still
 * read; the importer decides what to do with it.
 */
typedef struct
{
  guint64 line;
  guint64 record;
  guint   n_fields;
  guint   expected;
} TesoroCsvRaggedRow;

/* At most this many ragged rows are kept for the report; all are counted. */
#define TESORO_CSV_MAX_RAGGED_REPORTED 1000

/**
 * TesoroCsvReader:
 *
 * A streaming RFC 4180 reader that also reads the common dialects: `,` `;`
 * tab or `|` as delimiter, CR LF, LF or CR line ends, a byte order mark,
 * any of the encodings of #TesoroTextEncoding. Memory use does not grow
 * with the file: one record is held at a time.
 *
 * Fields come out exactly as they are in the file: quotes removed and
 * doubled quotes undone, nothing trimmed, line breaks inside quoted fields
 * kept as they were. Empty lines between records are skipped.
 *
 * Every error names the file and the physical line (a line break inside a
 * quoted field starts a new line, as in a text editor), and the column or
 * field where it applies.
 */
typedef struct _TesoroCsvReader TesoroCsvReader;

TesoroCsvReader    *tesoro_csv_reader_new             (GInputStream            *stream,
                                                       const char              *display_name,
                                                       const TesoroCsvOptions  *options);
TesoroCsvReader    *tesoro_csv_reader_new_for_file    (GFile                   *file,
                                                       const TesoroCsvOptions  *options,
                                                       GCancellable            *cancellable,
                                                       GError                 **error);
TesoroCsvReader    *tesoro_csv_reader_new_for_data    (const char              *data,
                                                       gsize                    length,
                                                       const char              *display_name,
                                                       const TesoroCsvOptions  *options);
void                tesoro_csv_reader_free            (TesoroCsvReader         *self);

gboolean            tesoro_csv_reader_prepare         (TesoroCsvReader         *self,
                                                       GCancellable            *cancellable,
                                                       GError                 **error);
gboolean            tesoro_csv_reader_next            (TesoroCsvReader         *self,
                                                       GCancellable            *cancellable,
                                                       GError                 **error);
gboolean            tesoro_csv_reader_can_continue    (TesoroCsvReader         *self);

guint               tesoro_csv_reader_get_n_fields    (TesoroCsvReader         *self);
const char         *tesoro_csv_reader_get_field       (TesoroCsvReader         *self,
                                                       guint                    index,
                                                       gsize                   *length);
gboolean            tesoro_csv_reader_get_field_quoted (TesoroCsvReader        *self,
                                                        guint                    index);
char              **tesoro_csv_reader_dup_fields      (TesoroCsvReader         *self);
guint64             tesoro_csv_reader_get_line        (TesoroCsvReader         *self);
guint64             tesoro_csv_reader_get_record_number (TesoroCsvReader       *self);
gboolean            tesoro_csv_reader_is_ragged       (TesoroCsvReader         *self);

const char * const *tesoro_csv_reader_get_header      (TesoroCsvReader         *self);
guint               tesoro_csv_reader_get_expected_n_fields (TesoroCsvReader   *self);
char                tesoro_csv_reader_get_delimiter   (TesoroCsvReader         *self);
TesoroTextEncoding  tesoro_csv_reader_get_encoding    (TesoroCsvReader         *self);
const char         *tesoro_csv_reader_get_display_name (TesoroCsvReader        *self);
guint64             tesoro_csv_reader_get_bytes_read  (TesoroCsvReader         *self);
guint64             tesoro_csv_reader_get_n_ragged    (TesoroCsvReader         *self);
GArray             *tesoro_csv_reader_get_ragged_rows (TesoroCsvReader         *self);
char               *tesoro_csv_ragged_row_describe    (const TesoroCsvReader   *self,
                                                       const TesoroCsvRaggedRow *row);

char                tesoro_csv_detect_delimiter       (const char              *sample,
                                                       gsize                    length,
                                                       gboolean                 complete);
const char         *tesoro_csv_delimiter_get_label    (char                     delimiter);
gboolean            tesoro_csv_delimiter_from_string  (const char              *text,
                                                       char                    *delimiter,
                                                       GError                 **error);

/* Writing */

/**
 * TesoroCsvWriterFlags:
 * @TESORO_CSV_WRITER_NONE: plain RFC 4180
 * @TESORO_CSV_WRITER_BOM: start with a UTF-8 byte order mark, so that Excel
 *   recognises UTF-8
 * @TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS: put an apostrophe before a cell
 *   that starts with `=` `+` `-` `@`, tab or CR, so that a spreadsheet shows
 *   it as text instead of running it as a formula (CSV injection). See
 *   tesoro_csv_neutralize() and tesoro_csv_unneutralize().
 */
typedef enum
{
  TESORO_CSV_WRITER_NONE = 0,
  TESORO_CSV_WRITER_BOM = 1 << 0,
  TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS = 1 << 1,
} TesoroCsvWriterFlags;

/**
 * TesoroCsvWriter:
 *
 * Writes RFC 4180 CSV to a #GOutputStream: CR LF line ends, fields quoted
 * only when they must be, buffered so that a million rows cost a few
 * thousand writes. What it writes, #TesoroCsvReader reads back unchanged.
 */
typedef struct _TesoroCsvWriter TesoroCsvWriter;

TesoroCsvWriter *tesoro_csv_writer_new       (GOutputStream         *stream,
                                              char                   delimiter,
                                              TesoroCsvWriterFlags   flags);
void             tesoro_csv_writer_free      (TesoroCsvWriter       *self);
void             tesoro_csv_writer_add_field (TesoroCsvWriter       *self,
                                              const char            *value);
gboolean         tesoro_csv_writer_end_row   (TesoroCsvWriter       *self,
                                              GCancellable          *cancellable,
                                              GError               **error);
gboolean         tesoro_csv_writer_write_row (TesoroCsvWriter       *self,
                                              const char * const    *fields,
                                              gssize                 n_fields,
                                              GCancellable          *cancellable,
                                              GError               **error);
gboolean         tesoro_csv_writer_flush     (TesoroCsvWriter       *self,
                                              GCancellable          *cancellable,
                                              GError               **error);
guint64          tesoro_csv_writer_get_bytes_written (TesoroCsvWriter *self);

void             tesoro_csv_append_field     (GString               *out,
                                              const char            *value,
                                              gssize                 length,
                                              char                   delimiter,
                                              gboolean               neutralize);
gboolean         tesoro_csv_needs_neutralizing (const char          *value);
char            *tesoro_csv_neutralize       (const char            *value);
char            *tesoro_csv_unneutralize     (const char            *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroCsvReader, tesoro_csv_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroCsvWriter, tesoro_csv_writer_free)

/* The delimiter and byte order mark that open correctly in Excel for a
 * user of @language (%NULL: the user's). */
void        tesoro_contact_export_csv_defaults (const char *language,
                                                char       *delimiter,
                                                gboolean   *bom);

G_END_DECLS
