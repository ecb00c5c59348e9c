/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-csv"

#include "config.h"

#include "tesoro-csv.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-error.h"

/* The delimiter is detected from this much text at the start. */
#define SAMPLE_SIZE (64 * 1024)
/* …looking at this many records of it. */
#define SAMPLE_RECORDS 50
/* The writer hands its buffer to the stream when it holds this much. */
#define WRITE_BUFFER_SIZE (64 * 1024)

typedef enum
{
  STATE_RECORD_START,
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,
} ParseState;

typedef struct
{
  gsize    offset;
  gsize    length;
  gboolean quoted;
} Field;

struct _TesoroCsvReader
{
  TesoroTextReader  *text;
  TesoroCsvOptions   options;
  char              *display_name;

  gboolean           prepared;
  gboolean           at_eof;
  /* A lasting error: the file cannot be read further. */
  GError            *fatal;
  /* The last record had an error, but reading can go on after it. */
  gboolean           can_continue;

  /* Input: first the sample read for detection, then the text reader's chunks. */
  GString           *sample;
  const char        *chunk;
  gsize              chunk_len;
  gsize              chunk_pos;

  /* The parser. */
  ParseState         state;
  gboolean           after_cr;
  guint64            line;
  guint              column;
  guint64            quote_line;
  guint              quote_column;
  guint64            field_line;

  /* The record being built, then the record handed out. */
  GString           *buffer;
  GArray            *fields;
  gsize              field_start;
  gboolean           field_quoted;
  gboolean           discarding;
  GError            *record_error;
  guint64            record_line;
  guint64            record_number;

  char             **header;
  guint              expected;
  gboolean           expected_known;
  guint64            n_ragged;
  GArray            *ragged;
};

/* Options */

/**
 * tesoro_csv_options_init:
 * @options: options to fill in
 *
 * Sets @options to the defaults: detect encoding and delimiter, a header
 * row, and the default limits.
 */
void
tesoro_csv_options_init (TesoroCsvOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->encoding = TESORO_TEXT_ENCODING_AUTO;
  options->delimiter = 0;
  options->has_header = TRUE;
  options->max_field_bytes = TESORO_CSV_DEFAULT_MAX_FIELD_BYTES;
  options->max_record_bytes = TESORO_CSV_DEFAULT_MAX_RECORD_BYTES;
  options->max_fields = TESORO_CSV_DEFAULT_MAX_FIELDS;
}

/* Delimiters */

static gboolean
is_valid_delimiter (char c)
{
  return c == '\t' || (g_ascii_ispunct (c) && c != '"');
}

/**
 * tesoro_csv_delimiter_get_label:
 * @delimiter: a delimiter character
 *
 * Returns: the delimiter's name for people, translated (“Comma (,)”)
 */
const char *
tesoro_csv_delimiter_get_label (char delimiter)
{
  switch (delimiter)
    {
    case ',': return _("Comma (,)");
    case ';': return _("Semicolon (;)");
    case '\t': return _("Tab");
    case '|': return _("Vertical bar (|)");
    case 0: return _("Detect automatically");
    default: return _("Other");
    }
}

/**
 * tesoro_csv_delimiter_from_string:
 * @text: `,` `;` `|`, a tab character, or a name: `comma`, `semicolon`,
 *   `tab` (or `\t`), `pipe`; `auto` for detection
 * @delimiter: (out): the delimiter, 0 for `auto`
 * @error: return location for a #GError
 *
 * Returns: whether @text names a delimiter
 */
gboolean
tesoro_csv_delimiter_from_string (const char  *text,
                                  char        *delimiter,
                                  GError     **error)
{
  static const struct { const char *name; char c; } names[] = {
    { "comma", ',' }, { "semicolon", ';' }, { "tab", '\t' }, { "\\t", '\t' },
    { "pipe", '|' }, { "bar", '|' }, { "auto", 0 },
  };

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (delimiter != NULL, FALSE);

  if (strlen (text) == 1 && is_valid_delimiter (text[0]))
    {
      *delimiter = text[0];
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *delimiter = names[i].c;
        return TRUE;
      }

  {
    g_autofree char *shown = tesoro_text_excerpt (text, -1, 20);

    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                 _("“%s” is not a delimiter: use , ; | tab or auto"), shown);
  }
  return FALSE;
}

/* Counts the fields of the records in @sample as if @delimiter were the
 * delimiter, following quotes as the reader does. */
static guint
count_sample_fields (const char *sample,
                     gsize       length,
                     gboolean    complete,
                     char        delimiter,
                     guint      *counts,
                     guint       max_records)
{
  guint n_records = 0;
  guint n_fields = 1;
  gboolean in_quotes = FALSE;
  gboolean field_start = TRUE;
  gboolean record_empty = TRUE;

  for (gsize i = 0; i < length && n_records < max_records; i++)
    {
      char c = sample[i];

      if (in_quotes)
        {
          if (c == '"')
            {
              if (i + 1 < length && sample[i + 1] == '"')
                i++;
              else
                in_quotes = FALSE;
            }
          continue;
        }

      if (c == '\r' || c == '\n')
        {
          if (!record_empty)
            counts[n_records++] = n_fields;
          n_fields = 1;
          field_start = TRUE;
          record_empty = TRUE;
          continue;
        }

      record_empty = FALSE;
      if (c == delimiter)
        {
          n_fields++;
          field_start = TRUE;
        }
      else
        {
          if (c == '"' && field_start)
            in_quotes = TRUE;
          field_start = FALSE;
        }
    }

  /* The last record counts only if the sample is the whole file. */
  if (complete && !record_empty && !in_quotes && n_records < max_records)
    counts[n_records++] = n_fields;

  return n_records;
}

/**
 * tesoro_csv_detect_delimiter:
 * @sample: the start of the text, as UTF-8
 * @length: its length in bytes
 * @complete: whether @sample is the whole file (else its last, possibly
 *   cut off, record is not looked at)
 *
 * Finds the delimiter among `,` `;` tab and `|` that splits the records of
 * @sample into the same number of fields (more than one) most often. When
 * two do equally well, the earlier in that list wins; when none splits
 * anything, the answer is `,`.
 *
 * Returns: the delimiter
 */
char
tesoro_csv_detect_delimiter (const char *sample,
                             gsize       length,
                             gboolean    complete)
{
  const char *candidates = TESORO_CSV_DELIMITERS;
  char best = ',';
  guint best_score = 0;
  guint best_fields = 0;

  g_return_val_if_fail (sample != NULL || length == 0, ',');

  for (guint c = 0; candidates[c] != '\0'; c++)
    {
      guint counts[SAMPLE_RECORDS];
      guint n = count_sample_fields (sample, length, complete, candidates[c], counts, SAMPLE_RECORDS);
      guint modal = 0;
      guint modal_frequency = 0;

      for (guint i = 0; i < n; i++)
        {
          guint frequency = 0;

          for (guint j = 0; j < n; j++)
            frequency += counts[j] == counts[i];
          if (frequency > modal_frequency || (frequency == modal_frequency && counts[i] > modal))
            {
              modal = counts[i];
              modal_frequency = frequency;
            }
        }

      if (modal < 2)
        continue;
      if (modal_frequency > best_score || (modal_frequency == best_score && modal > best_fields))
        {
          best = candidates[c];
          best_score = modal_frequency;
          best_fields = modal;
        }
    }

  return best;
}

/* Reader: construction */

/**
 * tesoro_csv_reader_new:
 * @stream: the CSV text
 * @display_name: the file's name for messages (such as its base name)
 * @options: (nullable): how to read, or %NULL for the defaults
 *
 * Returns: (transfer full): a reader; call tesoro_csv_reader_prepare() to
 * learn the encoding, delimiter and header, then tesoro_csv_reader_next()
 * for each record
 */
TesoroCsvReader *
tesoro_csv_reader_new (GInputStream           *stream,
                       const char             *display_name,
                       const TesoroCsvOptions *options)
{
  TesoroCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (options == NULL || options->delimiter == 0 ||
                        is_valid_delimiter (options->delimiter), NULL);

  self = g_new0 (TesoroCsvReader, 1);
  if (options != NULL)
    self->options = *options;
  else
    tesoro_csv_options_init (&self->options);
  if (self->options.max_field_bytes == 0)
    self->options.max_field_bytes = TESORO_CSV_DEFAULT_MAX_FIELD_BYTES;
  if (self->options.max_record_bytes == 0)
    self->options.max_record_bytes = TESORO_CSV_DEFAULT_MAX_RECORD_BYTES;
  if (self->options.max_fields == 0)
    self->options.max_fields = TESORO_CSV_DEFAULT_MAX_FIELDS;

  self->display_name = g_strdup (display_name != NULL ? display_name : _("input"));
  self->text = tesoro_text_reader_new (stream, self->display_name, self->options.encoding,
                                       TESORO_TEXT_READER_NONE);
  self->sample = g_string_new (NULL);
  self->buffer = g_string_sized_new (4096);
  self->fields = g_array_new (FALSE, FALSE, sizeof (Field));
  self->ragged = g_array_new (FALSE, FALSE, sizeof (TesoroCsvRaggedRow));
  self->line = 1;

  return self;
}

/**
 * tesoro_csv_reader_new_for_file:
 * @file: a CSV file
 * @options: (nullable): how to read
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a reader of @file, or %NULL if it
 * cannot be opened. Messages name the file by its base name.
 */
TesoroCsvReader *
tesoro_csv_reader_new_for_file (GFile                   *file,
                                const TesoroCsvOptions  *options,
                                GCancellable            *cancellable,
                                GError                 **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = tesoro_text_open_file (file, &name, cancellable, error);
  return stream != NULL ? tesoro_csv_reader_new (stream, name, options) : NULL;
}

/**
 * tesoro_csv_reader_new_for_data:
 * @data: the CSV text; it must stay alive as long as the reader
 * @length: its length in bytes
 * @display_name: the name for messages
 * @options: (nullable): how to read
 *
 * Returns: (transfer full): a reader of @data
 */
TesoroCsvReader *
tesoro_csv_reader_new_for_data (const char             *data,
                                gsize                   length,
                                const char             *display_name,
                                const TesoroCsvOptions *options)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  stream = g_memory_input_stream_new_from_data (data, length, NULL);
  return tesoro_csv_reader_new (stream, display_name, options);
}

void
tesoro_csv_reader_free (TesoroCsvReader *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->text, tesoro_text_reader_free);
  g_clear_error (&self->fatal);
  g_clear_error (&self->record_error);
  g_free (self->display_name);
  g_string_free (self->sample, TRUE);
  g_string_free (self->buffer, TRUE);
  g_array_unref (self->fields);
  g_array_unref (self->ragged);
  g_strfreev (self->header);
  g_free (self);
}

/* Reader: input */

/* Makes sure there is input at chunk_pos; FALSE at the end or on error. */
static gboolean
ensure_input (TesoroCsvReader  *self,
              GCancellable     *cancellable)
{
  return tesoro_text_reader_next_chunk (self->text, &self->chunk, &self->chunk_len, &self->chunk_pos, &self->at_eof,
                                        &self->fatal, cancellable);
}

/* Reader: the record being built */

static void
record_reset (TesoroCsvReader *self)
{
  g_string_truncate (self->buffer, 0);
  g_array_set_size (self->fields, 0);
  g_clear_error (&self->record_error);
  self->field_start = 0;
  self->field_quoted = FALSE;
  self->discarding = FALSE;
}

/* Records the first problem of a record. The rest of the record is read
 * (so that reading can go on after it) but not kept. */
G_GNUC_PRINTF (2, 3)
static void
record_fail (TesoroCsvReader *self,
             const char      *format,
             ...)
{
  va_list args;

  if (self->record_error != NULL)
    return;

  va_start (args, format);
  self->record_error = g_error_new_valist (TESORO_ERROR, TESORO_ERROR_PARSE, format, args);
  va_end (args);

  self->discarding = TRUE;
  g_string_truncate (self->buffer, 0);
  g_array_set_size (self->fields, 0);
  self->field_start = 0;
}

static void
field_begin (TesoroCsvReader *self,
             gboolean         quoted)
{
  self->field_start = self->buffer->len;
  self->field_quoted = quoted;
  self->field_line = self->line;
}

static void
append (TesoroCsvReader *self,
        const char      *text,
        gsize            length)
{
  gsize field_length;

  if (self->discarding)
    return;

  field_length = self->buffer->len - self->field_start + length;
  if (field_length > self->options.max_field_bytes)
    {
      g_autofree char *limit = g_format_size (self->options.max_field_bytes);

      record_fail (self, _("%s, line %u, field %u: the field is longer than %s, more than any contact detail needs; the file may be damaged"),
                   self->display_name, (guint) MIN (self->field_line, G_MAXUINT),
                   self->fields->len + 1, limit);
      return;
    }
  if (self->buffer->len + length + self->fields->len > self->options.max_record_bytes)
    {
      g_autofree char *limit = g_format_size (self->options.max_record_bytes);

      record_fail (self, _("%s, line %u: the record is longer than %s; the file may be damaged"),
                   self->display_name, (guint) MIN (self->record_line, G_MAXUINT), limit);
      return;
    }

  g_string_append_len (self->buffer, text, length);
}

static void
field_end (TesoroCsvReader *self)
{
  Field field;

  if (self->discarding)
    return;

  if (self->fields->len >= self->options.max_fields)
    {
      record_fail (self, _("%s, line %u: the record has more than %u fields; the file may be damaged or use another delimiter"),
                   self->display_name, (guint) MIN (self->record_line, G_MAXUINT),
                   self->options.max_fields);
      return;
    }

  field.offset = self->field_start;
  field.length = self->buffer->len - self->field_start;
  field.quoted = self->field_quoted;
  g_string_append_c (self->buffer, '\0');
  g_array_append_val (self->fields, field);
}

static inline void
advance_column (TesoroCsvReader *self,
                const char      *text,
                gsize            length)
{
  guint n = 0;

  for (gsize i = 0; i < length; i++)
    n += ((guint8) text[i] & 0xC0) != 0x80;
  self->column += n;
}

static inline void
new_line (TesoroCsvReader *self)
{
  self->line++;
  self->column = 0;
}

static inline guint
line_u (guint64 line)
{
  return (guint) MIN (line, G_MAXUINT);
}

/* Reads one record into buffer/fields. Returns TRUE when a record was
 * read (possibly with record_error set), FALSE at the end of the file or
 * on a fatal error. */
static gboolean
parse_record (TesoroCsvReader *self,
              GCancellable    *cancellable)
{
  const char delimiter = self->options.delimiter;

  record_reset (self);
  self->state = STATE_RECORD_START;

  for (;;)
    {
      const char *p, *end;

      if (!ensure_input (self, cancellable))
        break;

      p = self->chunk + self->chunk_pos;
      end = self->chunk + self->chunk_len;

      while (p < end)
        {
          char c = *p;

          /* The LF of a CR LF pair belongs to the line break already counted. */
          if (self->after_cr)
            {
              self->after_cr = FALSE;
              if (c == '\n')
                {
                  if (self->state == STATE_QUOTED)
                    append (self, "\n", 1);
                  p++;
                  continue;
                }
            }

          switch (self->state)
            {
            case STATE_RECORD_START:
              if (c == '\r' || c == '\n')
                {
                  /* An empty line: not a record. */
                  self->after_cr = c == '\r';
                  new_line (self);
                  p++;
                  continue;
                }
              self->record_line = self->line;
              self->record_number++;
              self->state = STATE_FIELD_START;
              G_GNUC_FALLTHROUGH;

            case STATE_FIELD_START:
              if (c == '"')
                {
                  field_begin (self, TRUE);
                  self->quote_line = self->line;
                  self->quote_column = self->column + 1;
                  self->column++;
                  self->state = STATE_QUOTED;
                  p++;
                  continue;
                }
              field_begin (self, FALSE);
              self->state = STATE_UNQUOTED;
              G_GNUC_FALLTHROUGH;

            case STATE_UNQUOTED:
              {
                const char *run = p;

                while (p < end && *p != delimiter && *p != '"' && *p != '\r' && *p != '\n')
                  p++;
                append (self, run, p - run);
                advance_column (self, run, p - run);
                if (p == end)
                  continue;

                c = *p++;
                if (c == delimiter)
                  {
                    self->column++;
                    field_end (self);
                    self->state = STATE_FIELD_START;
                    /* A delimiter at the end of the line ends an empty field. */
                  }
                else if (c == '"')
                  {
                    self->column++;
                    record_fail (self, _("%s, line %u, column %u (field %u): a quote inside a field that does not start with one; put the whole field in quotes and double the quote (\"\")"),
                                 self->display_name, line_u (self->line), self->column,
                                 self->fields->len + 1);
                    append (self, "\"", 1);
                  }
                else
                  {
                    field_end (self);
                    self->after_cr = c == '\r';
                    new_line (self);
                    goto record_done;
                  }
              }
              continue;

            case STATE_QUOTED:
              {
                const char *run = p;

                while (p < end && *p != '"' && *p != '\r' && *p != '\n')
                  p++;
                append (self, run, p - run);
                advance_column (self, run, p - run);
                if (p == end)
                  continue;

                c = *p++;
                if (c == '"')
                  {
                    self->column++;
                    self->state = STATE_QUOTE_IN_QUOTED;
                  }
                else
                  {
                    /* A line break inside the field is part of its text. */
                    append (self, &c, 1);
                    self->after_cr = c == '\r';
                    new_line (self);
                  }
              }
              continue;

            case STATE_QUOTE_IN_QUOTED:
              p++;
              if (c == '"')
                {
                  self->column++;
                  append (self, "\"", 1);
                  self->state = STATE_QUOTED;
                }
              else if (c == delimiter)
                {
                  self->column++;
                  field_end (self);
                  self->state = STATE_FIELD_START;
                }
              else if (c == '\r' || c == '\n')
                {
                  field_end (self);
                  self->after_cr = c == '\r';
                  new_line (self);
                  goto record_done;
                }
              else
                {
                  record_fail (self, _("%s, line %u, column %u (field %u): text after the closing quote of a quoted field; a quote inside a quoted field must be doubled (\"\")"),
                               self->display_name, line_u (self->line), self->column + 1,
                               self->fields->len + 1);
                  /* Read on as if the text belonged to the field. */
                  self->state = STATE_UNQUOTED;
                  p--;
                }
              continue;

            default:
              g_assert_not_reached ();
            }
        }

      self->chunk_pos = self->chunk_len;
      continue;

    record_done:
      self->chunk_pos = (gsize) (p - self->chunk);
      return TRUE;
    }

  if (self->fatal != NULL)
    return FALSE;

  /* The end of the file ends the last record, with or without a line break. */
  switch (self->state)
    {
    case STATE_RECORD_START:
      return FALSE;

    case STATE_FIELD_START:
      field_begin (self, FALSE);
      field_end (self);
      return TRUE;

    case STATE_UNQUOTED:
    case STATE_QUOTE_IN_QUOTED:
      field_end (self);
      return TRUE;

    case STATE_QUOTED:
      g_set_error (&self->fatal, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s, line %u, column %u (field %u): the quoted field that starts here is never closed; the file may be truncated, or a quote is missing"),
                   self->display_name, line_u (self->quote_line), self->quote_column,
                   self->fields->len + 1);
      return FALSE;

    default:
      g_assert_not_reached ();
    }
}

static void
note_ragged (TesoroCsvReader *self)
{
  TesoroCsvRaggedRow row;

  if (!self->expected_known)
    {
      self->expected = self->fields->len;
      self->expected_known = TRUE;
      return;
    }

  if (self->fields->len == self->expected)
    return;

  self->n_ragged++;
  if (self->ragged->len >= TESORO_CSV_MAX_RAGGED_REPORTED)
    return;

  row.line = self->record_line;
  row.record = self->record_number;
  row.n_fields = self->fields->len;
  row.expected = self->expected;
  g_array_append_val (self->ragged, row);
}

/* Reader: public API */

/**
 * tesoro_csv_reader_prepare:
 * @self: a #TesoroCsvReader
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Detects the encoding and (unless given) the delimiter from the start of
 * the file, and reads the header row if there is one. tesoro_csv_reader_next()
 * calls this itself; call it first to show what was detected.
 *
 * Returns: whether the file could be read so far
 */
gboolean
tesoro_csv_reader_prepare (TesoroCsvReader  *self,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->prepared)
    {
      if (self->fatal != NULL && self->header == NULL && self->options.has_header)
        {
          g_propagate_error (error, g_error_copy (self->fatal));
          return FALSE;
        }
      return TRUE;
    }
  self->prepared = TRUE;

  /* Read the sample; the parser then starts on it. */
  while (self->sample->len < SAMPLE_SIZE)
    {
      const char *chunk;
      gssize n = tesoro_text_reader_read (self->text, &chunk, cancellable, &self->fatal);

      if (n < 0)
        break;
      if (n == 0)
        {
          self->at_eof = TRUE;
          break;
        }
      g_string_append_len (self->sample, chunk, n);
    }

  if (self->options.delimiter == 0)
    self->options.delimiter = tesoro_csv_detect_delimiter (self->sample->str, self->sample->len,
                                                           self->at_eof);

  self->chunk = self->sample->str;
  self->chunk_len = self->sample->len;
  self->chunk_pos = 0;

  if (self->sample->len == 0 && self->fatal != NULL)
    {
      g_propagate_error (error, g_error_copy (self->fatal));
      return FALSE;
    }

  if (self->options.has_header)
    {
      GPtrArray *names = g_ptr_array_new ();

      if (parse_record (self, cancellable))
        {
          if (self->record_error != NULL)
            {
              /* The header's problem comes first in the file, before any
               * problem further on that reading the sample ran into. */
              g_ptr_array_free (names, TRUE);
              g_clear_error (&self->fatal);
              g_set_error_literal (&self->fatal, TESORO_ERROR, TESORO_ERROR_PARSE,
                                   self->record_error->message);
              g_propagate_error (error, g_error_copy (self->fatal));
              return FALSE;
            }
          for (guint i = 0; i < self->fields->len; i++)
            g_ptr_array_add (names, g_strdup (tesoro_csv_reader_get_field (self, i, NULL)));
          self->expected = self->fields->len;
          self->expected_known = TRUE;
          /* Data records are counted from 1 after the header. */
          self->record_number = 0;
        }
      else if (self->fatal != NULL)
        {
          g_ptr_array_free (names, TRUE);
          g_propagate_error (error, g_error_copy (self->fatal));
          return FALSE;
        }
      g_ptr_array_add (names, NULL);
      self->header = (char **) g_ptr_array_free (names, FALSE);
      record_reset (self);
    }

  return TRUE;
}

/**
 * tesoro_csv_reader_next:
 * @self: a #TesoroCsvReader
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the next record; its fields are then available through
 * tesoro_csv_reader_get_field() until the next call.
 *
 * On an error in one record (a stray quote, a field that is too long),
 * the error names the line, and tesoro_csv_reader_can_continue() says
 * that the next call reads on after that record. Errors that make the rest
 * of the file unreadable (an unterminated quoted field at the end, invalid
 * text in the encoding, a NUL byte, a read error) are final.
 *
 * Returns: %TRUE if a record was read; %FALSE at the end of the file (with
 * @error unset) or on an error
 */
gboolean
tesoro_csv_reader_next (TesoroCsvReader  *self,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  self->can_continue = FALSE;

  if (!tesoro_csv_reader_prepare (self, cancellable, error))
    return FALSE;

  if (!parse_record (self, cancellable))
    {
      record_reset (self);
      if (self->fatal != NULL)
        {
          g_propagate_error (error, g_error_copy (self->fatal));
          return FALSE;
        }
      return FALSE;
    }

  if (self->record_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->record_error));
      record_reset (self);
      self->can_continue = TRUE;
      return FALSE;
    }

  note_ragged (self);

  return TRUE;
}

/**
 * tesoro_csv_reader_can_continue:
 *
 * Returns: whether the error of the last tesoro_csv_reader_next() concerned
 * that record only, so that reading can go on with the next one
 */
gboolean
tesoro_csv_reader_can_continue (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->can_continue;
}

guint
tesoro_csv_reader_get_n_fields (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->fields->len;
}

/**
 * tesoro_csv_reader_get_field:
 * @self: a #TesoroCsvReader
 * @index: the field's index, from 0
 * @length: (out) (optional): its length in bytes
 *
 * Returns: (transfer none): the field's text, valid until the next record
 * is read; always valid UTF-8 without NUL bytes
 */
const char *
tesoro_csv_reader_get_field (TesoroCsvReader *self,
                             guint            index,
                             gsize           *length)
{
  const Field *field;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);

  field = &g_array_index (self->fields, Field, index);
  if (length != NULL)
    *length = field->length;

  return self->buffer->str + field->offset;
}

/**
 * tesoro_csv_reader_get_field_quoted:
 *
 * Returns: whether the field was in quotes: tells `""` (an empty text)
 * from nothing at all
 */
gboolean
tesoro_csv_reader_get_field_quoted (TesoroCsvReader *self,
                                    guint            index)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->fields->len, FALSE);

  return g_array_index (self->fields, Field, index).quoted;
}

/**
 * tesoro_csv_reader_dup_fields:
 *
 * Returns: (transfer full): the current record's fields
 */
char **
tesoro_csv_reader_dup_fields (TesoroCsvReader *self)
{
  char **fields;

  g_return_val_if_fail (self != NULL, NULL);

  fields = g_new (char *, self->fields->len + 1);
  for (guint i = 0; i < self->fields->len; i++)
    {
      const Field *field = &g_array_index (self->fields, Field, i);
      fields[i] = g_strndup (self->buffer->str + field->offset, field->length);
    }
  fields[self->fields->len] = NULL;

  return fields;
}

/**
 * tesoro_csv_reader_get_line:
 *
 * Returns: the physical line the current record (or the record the last
 * error concerned) starts on, from 1
 */
guint64
tesoro_csv_reader_get_line (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->record_line;
}

/**
 * tesoro_csv_reader_get_record_number:
 *
 * Returns: the number of the current record among the data records (the
 * header not counted), from 1
 */
guint64
tesoro_csv_reader_get_record_number (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->record_number;
}

/**
 * tesoro_csv_reader_is_ragged:
 *
 * Returns: whether the current record has another number of fields than
 * the header (or, without a header, the first record)
 */
gboolean
tesoro_csv_reader_is_ragged (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->expected_known && self->fields->len > 0 && self->fields->len != self->expected;
}

/**
 * tesoro_csv_reader_get_header:
 *
 * Returns: (transfer none) (nullable): the header row's fields, after
 * tesoro_csv_reader_prepare(); %NULL when the options say there is no
 * header; empty for an empty file
 */
const char * const *
tesoro_csv_reader_get_header (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->header;
}

/**
 * tesoro_csv_reader_get_expected_n_fields:
 *
 * Returns: the number of fields of the header, or without one of the first
 * record; 0 before that is known
 */
guint
tesoro_csv_reader_get_expected_n_fields (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->expected;
}

/**
 * tesoro_csv_reader_get_delimiter:
 *
 * Returns: the delimiter given or (after tesoro_csv_reader_prepare())
 * detected; 0 before detection
 */
char
tesoro_csv_reader_get_delimiter (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->options.delimiter;
}

/**
 * tesoro_csv_reader_get_encoding:
 *
 * Returns: the encoding given or detected (see tesoro_text_reader_get_encoding())
 */
TesoroTextEncoding
tesoro_csv_reader_get_encoding (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, TESORO_TEXT_ENCODING_AUTO);
  return tesoro_text_reader_get_encoding (self->text);
}

const char *
tesoro_csv_reader_get_display_name (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display_name;
}

/**
 * tesoro_csv_reader_get_bytes_read:
 *
 * Returns: how many bytes of the file have been read, for a progress bar
 * (the reader reads ahead up to 64 KiB)
 */
guint64
tesoro_csv_reader_get_bytes_read (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return tesoro_text_reader_get_bytes_read (self->text);
}

/**
 * tesoro_csv_reader_get_n_ragged:
 *
 * Returns: how many records so far had another number of fields than expected
 */
guint64
tesoro_csv_reader_get_n_ragged (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_ragged;
}

/**
 * tesoro_csv_reader_get_ragged_rows:
 *
 * Returns: (transfer none) (element-type TesoroCsvRaggedRow): the first
 * %TESORO_CSV_MAX_RAGGED_REPORTED ragged records, in file order
 */
GArray *
tesoro_csv_reader_get_ragged_rows (TesoroCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ragged;
}

/**
 * tesoro_csv_ragged_row_describe:
 * @self: the reader that reported @row
 * @row: a ragged row
 *
 * Returns: (transfer full): a sentence for the user, naming file and line
 */
char *
tesoro_csv_ragged_row_describe (const TesoroCsvReader    *self,
                                const TesoroCsvRaggedRow *row)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row != NULL, NULL);

  if (self->header == NULL)
    return g_strdup_printf (_("%s, line %u: the row has %u fields, the first row %u"),
                            self->display_name, line_u (row->line), row->n_fields, row->expected);

  return g_strdup_printf (_("%s, line %u: the row has %u fields, the header %u"),
                          self->display_name, line_u (row->line), row->n_fields, row->expected);
}

/* Writing */

struct _TesoroCsvWriter
{
  GOutputStream        *stream;
  char                  delimiter;
  TesoroCsvWriterFlags  flags;
  GString              *buffer;
  gsize                 row_start;
  guint                 n_in_row;
  gboolean              started;
  guint64               bytes_written;
};

static inline gboolean
is_formula_start (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/**
 * tesoro_csv_needs_neutralizing:
 * @value: a cell's text
 *
 * Whether tesoro_csv_neutralize() changes @value: it starts with `=` `+`
 * `-` `@`, tab or CR — possibly after apostrophes, so that the apostrophe
 * added can always be told from one that was there.
 *
 * Returns: %TRUE if a spreadsheet could take @value for a formula
 */
gboolean
tesoro_csv_needs_neutralizing (const char *value)
{
  if (value == NULL)
    return FALSE;
  while (*value == '\'')
    value++;
  return is_formula_start (*value);
}

/**
 * tesoro_csv_neutralize:
 * @value: a cell's text
 *
 * Protects against CSV injection as OWASP recommends: a cell a spreadsheet
 * would take for a formula gets an apostrophe in front, which makes it text.
 * tesoro_csv_unneutralize() undoes this exactly.
 *
 * Returns: (transfer full): the text to write
 */
char *
tesoro_csv_neutralize (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  if (tesoro_csv_needs_neutralizing (value))
    return g_strconcat ("'", value, NULL);

  return g_strdup (value);
}

/**
 * tesoro_csv_unneutralize:
 * @value: a cell's text as read from a CSV file Tesoro wrote with
 *   %TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS
 *
 * Undoes tesoro_csv_neutralize(): removes the apostrophe added in front of
 * a cell that starts with `=` `+` `-` `@`, tab or CR (after that apostrophe
 * and any that were in the value). Use it when importing Tesoro's own
 * exports; a file from elsewhere should be read as it is.
 *
 * Returns: (transfer full): the original text
 */
char *
tesoro_csv_unneutralize (const char *value)
{
  const char *p;

  g_return_val_if_fail (value != NULL, NULL);

  p = value;
  while (*p == '\'')
    p++;
  if (p > value && is_formula_start (*p))
    return g_strdup (value + 1);

  return g_strdup (value);
}

/**
 * tesoro_csv_append_field:
 * @out: where to append
 * @value: the field's text (UTF-8)
 * @length: its length, or -1 if NUL-terminated
 * @delimiter: the delimiter of the file
 * @neutralize: whether to apply tesoro_csv_neutralize()
 *
 * Appends one field as RFC 4180 wants it: in quotes, with quotes doubled,
 * if it contains the delimiter, a quote, a line break, or starts with a
 * byte order mark; as it is otherwise. The delimiter between fields and
 * the line end are the caller's.
 */
void
tesoro_csv_append_field (GString    *out,
                         const char *value,
                         gssize      length,
                         char        delimiter,
                         gboolean    neutralize)
{
  gboolean quote = FALSE;
  gsize len;

  g_return_if_fail (out != NULL);
  g_return_if_fail (value != NULL);

  len = length < 0 ? strlen (value) : (gsize) length;

  for (gsize i = 0; i < len && !quote; i++)
    {
      char c = value[i];
      quote = c == delimiter || c == '"' || c == '\r' || c == '\n';
    }
  if (len >= 3 && memcmp (value, "\xEF\xBB\xBF", 3) == 0)
    quote = TRUE;

  if (neutralize)
    {
      gsize i = 0;

      while (i < len && value[i] == '\'')
        i++;
      neutralize = i < len && is_formula_start (value[i]);
    }

  if (!quote)
    {
      if (neutralize)
        g_string_append_c (out, '\'');
      g_string_append_len (out, value, len);
      return;
    }

  g_string_append_c (out, '"');
  if (neutralize)
    g_string_append_c (out, '\'');
  for (gsize i = 0; i < len; )
    {
      const char *quote_at = memchr (value + i, '"', len - i);
      gsize run = quote_at != NULL ? (gsize) (quote_at - (value + i)) + 1 : len - i;

      g_string_append_len (out, value + i, run);
      if (quote_at != NULL)
        g_string_append_c (out, '"');
      i += run;
    }
  g_string_append_c (out, '"');
}

/**
 * tesoro_csv_writer_new:
 * @stream: where to write
 * @delimiter: `,` or `;` (tab and `|` work too)
 * @flags: #TesoroCsvWriterFlags
 *
 * Returns: (transfer full): a writer. Call tesoro_csv_writer_flush() at
 * the end; freeing the writer does not write what is still buffered.
 */
TesoroCsvWriter *
tesoro_csv_writer_new (GOutputStream        *stream,
                       char                  delimiter,
                       TesoroCsvWriterFlags  flags)
{
  TesoroCsvWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (is_valid_delimiter (delimiter), NULL);

  self = g_new0 (TesoroCsvWriter, 1);
  self->stream = g_object_ref (stream);
  self->delimiter = delimiter;
  self->flags = flags;
  self->buffer = g_string_sized_new (WRITE_BUFFER_SIZE + 4096);

  return self;
}

void
tesoro_csv_writer_free (TesoroCsvWriter *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_string_free (self->buffer, TRUE);
  g_free (self);
}

static void
writer_start (TesoroCsvWriter *self)
{
  if (self->started)
    return;
  self->started = TRUE;
  if (self->flags & TESORO_CSV_WRITER_BOM)
    g_string_append (self->buffer, "\xEF\xBB\xBF");
  self->row_start = self->buffer->len;
}

/**
 * tesoro_csv_writer_add_field:
 * @self: a #TesoroCsvWriter
 * @value: (nullable): the field's text; %NULL is written as empty
 *
 * Adds a field to the current row.
 */
void
tesoro_csv_writer_add_field (TesoroCsvWriter *self,
                             const char      *value)
{
  g_return_if_fail (self != NULL);

  writer_start (self);
  if (self->n_in_row > 0)
    g_string_append_c (self->buffer, self->delimiter);
  tesoro_csv_append_field (self->buffer, value != NULL ? value : "", -1, self->delimiter,
                           (self->flags & TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS) != 0);
  self->n_in_row++;
}

static gboolean
writer_write_out (TesoroCsvWriter  *self,
                  GCancellable     *cancellable,
                  GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize written = 0;

  if (self->buffer->len == 0)
    return TRUE;

  if (!g_output_stream_write_all (self->stream, self->buffer->str, self->buffer->len,
                                  &written, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled"));
      else
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                     _("Could not write the CSV file: %s"), local_error->message);
      return FALSE;
    }

  self->bytes_written += written;
  g_string_truncate (self->buffer, 0);
  self->row_start = 0;

  return TRUE;
}

/**
 * tesoro_csv_writer_end_row:
 * @self: a #TesoroCsvWriter
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Ends the current row with CR LF. A row of one empty field is written as
 * `""`, because an empty line is no record to a reader.
 *
 * Returns: whether writing (of a full buffer) succeeded
 */
gboolean
tesoro_csv_writer_end_row (TesoroCsvWriter  *self,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  writer_start (self);
  if (self->buffer->len == self->row_start)
    g_string_append (self->buffer, "\"\"");
  g_string_append (self->buffer, "\r\n");
  self->n_in_row = 0;
  self->row_start = self->buffer->len;

  if (self->buffer->len >= WRITE_BUFFER_SIZE)
    return writer_write_out (self, cancellable, error);

  return TRUE;
}

/**
 * tesoro_csv_writer_write_row:
 * @self: a #TesoroCsvWriter
 * @fields: the fields
 * @n_fields: their number, or -1 if @fields is %NULL-terminated
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes a whole row.
 *
 * Returns: whether writing succeeded
 */
gboolean
tesoro_csv_writer_write_row (TesoroCsvWriter     *self,
                             const char * const  *fields,
                             gssize               n_fields,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (fields != NULL || n_fields == 0, FALSE);

  for (gssize i = 0; n_fields < 0 ? fields[i] != NULL : i < n_fields; i++)
    tesoro_csv_writer_add_field (self, fields[i]);

  return tesoro_csv_writer_end_row (self, cancellable, error);
}

/**
 * tesoro_csv_writer_flush:
 *
 * Writes out what is buffered (a row not yet ended stays in the buffer).
 * Call it at the end, before closing the stream.
 *
 * Returns: whether writing succeeded
 */
gboolean
tesoro_csv_writer_flush (TesoroCsvWriter  *self,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_autofree char *partial = NULL;
  gsize partial_len;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  writer_start (self);

  partial_len = self->buffer->len - self->row_start;
  if (partial_len > 0)
    {
      partial = g_strndup (self->buffer->str + self->row_start, partial_len);
      g_string_truncate (self->buffer, self->row_start);
    }

  ok = writer_write_out (self, cancellable, error);

  if (partial != NULL)
    g_string_append_len (self->buffer, partial, partial_len);

  return ok && g_output_stream_flush (self->stream, cancellable, error);
}

/**
 * tesoro_csv_writer_get_bytes_written:
 *
 * Returns: how many bytes reached the stream so far
 */
guint64
tesoro_csv_writer_get_bytes_written (TesoroCsvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes_written;
}

/* Languages whose spreadsheets write decimals with a comma, and so expect
 * `;` between CSV fields (Excel takes the list separator of the region). */
static const char * const semicolon_languages[] = {
  "nl", "de", "fr", "es", "it", "pt", "da", "sv", "nb", "nn", "no", "fi", "is", "pl", "cs", "sk",
  "sl", "hr", "sr", "bs", "hu", "ro", "bg", "ru", "uk", "be", "el", "tr", "lt", "lv", "et", "ca",
  "gl", "eu", "id", "vi", NULL,
};

/**
 * tesoro_contact_export_csv_defaults:
 * @language: (nullable): a language or locale name ("nl", "nl_BE.UTF-8",
 *   "en_GB"), or %NULL for the user's (g_get_language_names())
 * @delimiter: (out): `;` for languages that write decimals with a comma
 *   (Dutch, German, French, …), `,` otherwise (English, …)
 * @bom: (out): always %TRUE: Excel reads a CSV file without one in the
 *   Windows code page and garbles every accented letter
 *
 * The CSV settings that open correctly in Excel for a user of @language.
 */
void
tesoro_contact_export_csv_defaults (const char *language,
                                    char       *delimiter,
                                    gboolean   *bom)
{
  g_autofree char *code = NULL;
  gsize length;

  g_return_if_fail (delimiter != NULL);
  g_return_if_fail (bom != NULL);

  if (language == NULL)
    language = g_get_language_names ()[0];

  length = strcspn (language, "_.@-");
  code = g_ascii_strdown (language, length);

  *delimiter = ',';
  *bom = TRUE;
  if (g_strv_contains (semicolon_languages, code))
    *delimiter = ';';
}
