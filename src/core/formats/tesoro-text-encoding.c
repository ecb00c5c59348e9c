/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-text-encoding"

#include "config.h"

#include "tesoro-text-encoding.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-error.h"

/* Raw bytes are read in chunks of this size; the first chunk is also the
 * sample the encoding is detected from. */
#define CHUNK_SIZE (64 * 1024)
/* Room for an incomplete character carried over from the previous chunk. */
#define CARRY_SIZE 8

typedef enum
{
  DECODE_OK,
  DECODE_NUL,
  DECODE_INVALID_UTF8,
  DECODE_BAD_SURROGATE,
  DECODE_TRUNCATED,
} DecodeProblem;

struct _TesoroTextReader
{
  GInputStream          *stream;
  char                  *display_name;
  TesoroTextEncoding     requested;
  TesoroTextEncoding     encoding;
  TesoroTextReaderFlags  flags;

  gboolean               started;
  gboolean               eof;
  /* Detected, no byte order mark, and every byte so far was ASCII: UTF-8
   * and Windows-1252 would have given the same text, so the choice waits
   * for the first non-ASCII byte. */
  gboolean               tentative;
  gboolean               raw;
  GError                *error;

  guint8                *in;
  gsize                  in_len;
  gsize                  in_pos;
  GString               *out;
  guint64                bytes_read;

  /* Position of the next character handed over: for error messages. */
  guint                  line;
  guint                  column;
  gboolean               last_cr;
};

/* Windows-1252 0x80–0x9F. The five unassigned bytes map to the C1 control
 * characters of the same value, as the WHATWG encoding standard does, so
 * that no byte is ever lost. */
static const gunichar windows_1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static const struct
{
  TesoroTextEncoding  encoding;
  const char         *name;
} encoding_names[] = {
  { TESORO_TEXT_ENCODING_AUTO, "auto" },
  { TESORO_TEXT_ENCODING_UTF8, "utf-8" },
  { TESORO_TEXT_ENCODING_UTF8_BOM, "utf-8-bom" },
  { TESORO_TEXT_ENCODING_UTF16LE, "utf-16le" },
  { TESORO_TEXT_ENCODING_UTF16BE, "utf-16be" },
  { TESORO_TEXT_ENCODING_WINDOWS_1252, "windows-1252" },
};

/* Other names people (and other programs) use for the same encodings. */
static const struct
{
  const char         *alias;
  TesoroTextEncoding  encoding;
} encoding_aliases[] = {
  { "utf8", TESORO_TEXT_ENCODING_UTF8 },
  { "utf-8-sig", TESORO_TEXT_ENCODING_UTF8_BOM },
  { "utf-16", TESORO_TEXT_ENCODING_UTF16LE },
  { "utf16le", TESORO_TEXT_ENCODING_UTF16LE },
  { "utf16be", TESORO_TEXT_ENCODING_UTF16BE },
  { "cp1252", TESORO_TEXT_ENCODING_WINDOWS_1252 },
  { "windows1252", TESORO_TEXT_ENCODING_WINDOWS_1252 },
  { "latin1", TESORO_TEXT_ENCODING_WINDOWS_1252 },
  { "latin-1", TESORO_TEXT_ENCODING_WINDOWS_1252 },
  { "iso-8859-1", TESORO_TEXT_ENCODING_WINDOWS_1252 },
  { "iso8859-1", TESORO_TEXT_ENCODING_WINDOWS_1252 },
  { "ansi", TESORO_TEXT_ENCODING_WINDOWS_1252 },
};

/**
 * tesoro_text_encoding_to_string:
 *
 * Returns: the encoding's stable, machine-readable name: `auto`, `utf-8`,
 * `utf-8-bom`, `utf-16le`, `utf-16be` or `windows-1252` (as in
 * `tesoro-cli import --preview --json`)
 */
const char *
tesoro_text_encoding_to_string (TesoroTextEncoding encoding)
{
  for (guint i = 0; i < G_N_ELEMENTS (encoding_names); i++)
    if (encoding_names[i].encoding == encoding)
      return encoding_names[i].name;

  g_return_val_if_reached ("auto");
}

/**
 * tesoro_text_encoding_get_label:
 *
 * Returns: the encoding's name for people, translated
 */
const char *
tesoro_text_encoding_get_label (TesoroTextEncoding encoding)
{
  switch (encoding)
    {
    case TESORO_TEXT_ENCODING_AUTO: return _("Detect automatically");
    case TESORO_TEXT_ENCODING_UTF8: return _("UTF-8");
    case TESORO_TEXT_ENCODING_UTF8_BOM: return _("UTF-8 with byte order mark");
    case TESORO_TEXT_ENCODING_UTF16LE: return _("UTF-16 (little-endian)");
    case TESORO_TEXT_ENCODING_UTF16BE: return _("UTF-16 (big-endian)");
    case TESORO_TEXT_ENCODING_WINDOWS_1252: return _("Western (Windows-1252)");
    default: break;
    }

  g_return_val_if_reached ("");
}

/**
 * tesoro_text_encoding_from_string:
 * @name: an encoding name such as `utf-8`, `UTF8`, `windows-1252`, `cp1252`,
 *   `latin1` or `auto` (case does not matter)
 * @encoding: (out): the encoding
 * @error: return location for a #GError
 *
 * Returns: whether @name names an encoding Tesoro reads
 */
gboolean
tesoro_text_encoding_from_string (const char          *name,
                                  TesoroTextEncoding  *encoding,
                                  GError             **error)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (encoding != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (encoding_names); i++)
    if (g_ascii_strcasecmp (name, encoding_names[i].name) == 0)
      {
        *encoding = encoding_names[i].encoding;
        return TRUE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (encoding_aliases); i++)
    if (g_ascii_strcasecmp (name, encoding_aliases[i].alias) == 0)
      {
        *encoding = encoding_aliases[i].encoding;
        return TRUE;
      }

  {
    g_autofree char *shown = tesoro_text_excerpt (name, -1, 40);

    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                 _("Unknown encoding “%s”: use auto, utf-8, utf-16le, utf-16be or windows-1252"),
                 shown);
  }
  return FALSE;
}

/* How many bytes a UTF-8 sequence starting with @lead has; 0 if @lead
 * cannot start one. */
static guint
utf8_sequence_length (guint8 lead)
{
  if (lead < 0x80)
    return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    return 2;
  if (lead >= 0xE0 && lead <= 0xEF)
    return 3;
  if (lead >= 0xF0 && lead <= 0xF4)
    return 4;
  return 0;
}

/* Whether @data (which g_utf8_validate_len() stopped at) is the beginning
 * of a valid sequence that the end of the buffer cut off. */
static gboolean
is_incomplete_utf8 (const guint8 *data,
                    gsize         length)
{
  guint need;

  if (length == 0)
    return FALSE;
  need = utf8_sequence_length (data[0]);
  if (need <= 1 || length >= need)
    return FALSE;

  for (gsize i = 1; i < length; i++)
    if ((data[i] & 0xC0) != 0x80)
      return FALSE;

  /* The second byte is restricted for these leads; check it when present. */
  if (length >= 2)
    {
      if (data[0] == 0xE0 && data[1] < 0xA0)
        return FALSE;
      if (data[0] == 0xED && data[1] > 0x9F)
        return FALSE;
      if (data[0] == 0xF0 && data[1] < 0x90)
        return FALSE;
      if (data[0] == 0xF4 && data[1] > 0x8F)
        return FALSE;
    }

  return TRUE;
}

/* Whether @data is valid UTF-8, allowing a character cut off at the end
 * unless @at_eof. NUL bytes are not UTF-8 text. */
static gboolean
looks_like_utf8 (const guint8 *data,
                 gsize         length,
                 gboolean      at_eof)
{
  const char *end = NULL;

  if (g_utf8_validate_len ((const char *) data, length, &end))
    return TRUE;

  if (at_eof || *end == '\0')
    return FALSE;

  return is_incomplete_utf8 ((const guint8 *) end, length - (gsize) ((const guint8 *) end - data));
}

/* Detects the encoding of a sample; @at_eof says the sample is the whole
 * file, so that a character cut off at its end is invalid. */
static TesoroTextEncoding
detect (const guint8 *data,
        gsize         length,
        gboolean      at_eof,
        gsize        *bom_length)
{
  gsize bom = 0;
  TesoroTextEncoding encoding;

  if (length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      bom = 3;
      encoding = TESORO_TEXT_ENCODING_UTF8_BOM;
    }
  else if (length >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    {
      bom = 2;
      encoding = TESORO_TEXT_ENCODING_UTF16LE;
    }
  else if (length >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    {
      bom = 2;
      encoding = TESORO_TEXT_ENCODING_UTF16BE;
    }
  else if (looks_like_utf8 (data, length, at_eof))
    encoding = TESORO_TEXT_ENCODING_UTF8;
  else
    encoding = TESORO_TEXT_ENCODING_WINDOWS_1252;

  if (bom_length != NULL)
    *bom_length = bom;

  return encoding;
}

/**
 * tesoro_text_encoding_detect:
 * @data: the first bytes of a file (a sample; 64 KiB is plenty)
 * @length: the length of @data
 * @bom_length: (out) (optional): the length of the byte order mark, or 0
 *
 * Detects the encoding as Tesoro's importer does: a byte order mark for
 * UTF-8 or UTF-16 decides; otherwise text that is valid UTF-8 is UTF-8
 * (pure ASCII included) and anything else is Windows-1252. A character cut
 * off at the end of the sample does not count against UTF-8.
 *
 * Returns: the encoding, never %TESORO_TEXT_ENCODING_AUTO
 */
TesoroTextEncoding
tesoro_text_encoding_detect (const guint8 *data,
                             gsize         length,
                             gsize        *bom_length)
{
  g_return_val_if_fail (data != NULL || length == 0, TESORO_TEXT_ENCODING_UTF8);

  return detect (data, length, FALSE, bom_length);
}


static inline void
append_unichar (GString  *out,
                gunichar  c)
{
  char buf[6];
  int n = g_unichar_to_utf8 (c, buf);

  g_string_append_len (out, buf, n);
}

/**
 * tesoro_text_encoding_windows_1252_to_utf8:
 * @data: Windows-1252 text (NUL bytes are converted like any other byte)
 * @length: its length in bytes
 * @out_length: (out) (optional): the length of the result
 *
 * Returns: (transfer full): @data as UTF-8. Every byte has a meaning, so
 * this never fails.
 */
char *
tesoro_text_encoding_windows_1252_to_utf8 (const char *data,
                                           gsize       length,
                                           gsize      *out_length)
{
  GString *out;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  out = g_string_sized_new (length + length / 8 + 1);
  for (gsize i = 0; i < length; i++)
    {
      guint8 b = (guint8) data[i];

      if (b < 0x80)
        g_string_append_c (out, (char) b);
      else if (b < 0xA0)
        append_unichar (out, windows_1252_high[b - 0x80]);
      else
        append_unichar (out, b);
    }

  if (out_length != NULL)
    *out_length = out->len;

  return g_string_free (out, FALSE);
}

/**
 * tesoro_text_excerpt:
 * @text: text from a file, in any state
 * @length: its length in bytes, or -1 if NUL-terminated
 * @max_chars: the most characters to keep
 *
 * Makes a piece of input fit to quote in a message: valid UTF-8 (bytes
 * that are not are read as Windows-1252), control characters shown as
 * spaces, cut at a character boundary with “…” when longer than @max_chars.
 *
 * Returns: (transfer full): the excerpt
 */
char *
tesoro_text_excerpt (const char *text,
                     gssize      length,
                     guint       max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize len;
  guint n = 0;

  g_return_val_if_fail (text != NULL || length <= 0, NULL);

  if (text == NULL)
    return g_strdup ("");

  len = length < 0 ? strlen (text) : (gsize) length;
  /* Only the start matters; 4 bytes per character at most. */
  len = MIN (len, (gsize) max_chars * 4 + 4);
  if (g_utf8_validate_len (text, len, NULL))
    valid = g_strndup (text, len);
  else
    {
      const char *end = NULL;

      /* A character cut off by the length above is no reason to convert. */
      g_utf8_validate_len (text, len, &end);
      if (is_incomplete_utf8 ((const guint8 *) end, len - (gsize) (end - text)))
        valid = g_strndup (text, (gsize) (end - text));
      else
        valid = tesoro_text_encoding_windows_1252_to_utf8 (text, len, NULL);
    }

  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
      n++;
    }

  return g_string_free (out, FALSE);
}

/* TesoroTextReader */

/**
 * tesoro_text_reader_new:
 * @stream: the input, read from its current position
 * @display_name: the file's name as the user knows it, for messages
 * @encoding: the encoding, or %TESORO_TEXT_ENCODING_AUTO to detect it
 * @flags: #TesoroTextReaderFlags
 *
 * Returns: (transfer full): a new reader; free it with tesoro_text_reader_free()
 */
TesoroTextReader *
tesoro_text_reader_new (GInputStream          *stream,
                        const char            *display_name,
                        TesoroTextEncoding     encoding,
                        TesoroTextReaderFlags  flags)
{
  TesoroTextReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (encoding >= TESORO_TEXT_ENCODING_AUTO &&
                        encoding <= TESORO_TEXT_ENCODING_WINDOWS_1252, NULL);

  self = g_new0 (TesoroTextReader, 1);
  self->stream = g_object_ref (stream);
  self->display_name = g_strdup (display_name != NULL ? display_name : _("input"));
  self->requested = encoding;
  self->encoding = encoding;
  self->flags = flags;
  self->in = g_malloc (CHUNK_SIZE + CARRY_SIZE);
  self->out = g_string_sized_new (CHUNK_SIZE * 2);
  self->line = 1;

  return self;
}

void
tesoro_text_reader_free (TesoroTextReader *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_clear_error (&self->error);
  g_free (self->display_name);
  g_free (self->in);
  g_string_free (self->out, TRUE);
  g_free (self);
}

/**
 * tesoro_text_reader_get_encoding:
 *
 * Returns: the encoding in use: the one chosen, or (after the first read)
 * the one detected. While every byte read so far is ASCII, a detected
 * encoding is reported as UTF-8; it becomes Windows-1252 if the first
 * non-ASCII text is not UTF-8.
 */
TesoroTextEncoding
tesoro_text_reader_get_encoding (TesoroTextReader *self)
{
  g_return_val_if_fail (self != NULL, TESORO_TEXT_ENCODING_AUTO);

  if (self->encoding == TESORO_TEXT_ENCODING_AUTO && self->started)
    return TESORO_TEXT_ENCODING_UTF8;

  return self->encoding;
}

/**
 * tesoro_text_reader_is_raw:
 *
 * Returns: whether the reader hands over bytes unconverted (see
 * %TESORO_TEXT_READER_RAW_8BIT); they may then be in any 8-bit encoding
 */
gboolean
tesoro_text_reader_is_raw (TesoroTextReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->raw;
}

const char *
tesoro_text_reader_get_display_name (TesoroTextReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display_name;
}

/**
 * tesoro_text_reader_get_bytes_read:
 *
 * Returns: how many bytes of the stream have been read, for progress
 */
guint64
tesoro_text_reader_get_bytes_read (TesoroTextReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes_read;
}

/* Reads more, keeping the bytes not yet decoded: once, or (for the sample
 * the encoding is detected from) until the buffer is full or the stream
 * ends. */
static gboolean
fill (TesoroTextReader  *self,
      gboolean           full,
      GCancellable      *cancellable,
      GError           **error)
{
  gsize keep = self->in_len - self->in_pos;

  if (keep > 0 && self->in_pos > 0)
    memmove (self->in, self->in + self->in_pos, keep);
  self->in_pos = 0;
  self->in_len = keep;

  while (!self->eof && self->in_len < CHUNK_SIZE)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n;

      /* Not every stream looks at the cancellable itself. */
      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        n = -1;
      else
        n = g_input_stream_read (self->stream, self->in + self->in_len,
                                 CHUNK_SIZE + CARRY_SIZE - self->in_len,
                                 cancellable, &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled"));
          else
            g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                         _("Could not read %s: %s"), self->display_name, local_error->message);
          return FALSE;
        }
      if (n == 0)
        self->eof = TRUE;
      self->in_len += n;
      self->bytes_read += n;
      if (!full && n > 0)
        break;
    }

  return TRUE;
}

static gboolean
has_prefix (const guint8 *data,
            gsize         length,
            const char   *magic,
            gsize         magic_length)
{
  return length >= magic_length && memcmp (data, magic, magic_length) == 0;
}

static gboolean
start (TesoroTextReader  *self,
       GCancellable      *cancellable,
       GError           **error)
{
  TesoroTextEncoding detected;
  gsize bom = 0;

  self->started = TRUE;
  if (!fill (self, TRUE, cancellable, error))
    return FALSE;

  /* People pick the spreadsheet itself rather than a CSV saved from it.
   * Both formats have NUL bytes right after their signature; text never. */
  if (has_prefix (self->in, self->in_len, "PK\003\004", 4) &&
      memchr (self->in, 0, MIN (self->in_len, 64)) != NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s is a ZIP archive (such as an Excel .xlsx or LibreOffice .ods workbook), not a text file: save it as CSV first"),
                   self->display_name);
      return FALSE;
    }
  if (has_prefix (self->in, self->in_len, "\320\317\021\340\241\261\032\341", 8) &&
      memchr (self->in, 0, MIN (self->in_len, 64)) != NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s is an Office document (such as an Excel .xls workbook), not a text file: save it as CSV first"),
                   self->display_name);
      return FALSE;
    }

  detected = detect (self->in, self->in_len, self->eof, &bom);

  if (self->requested == TESORO_TEXT_ENCODING_AUTO)
    {
      self->encoding = detected;
      if (detected == TESORO_TEXT_ENCODING_UTF8)
        {
          /* Valid UTF-8 with no byte above 0x7F proves nothing yet. */
          gboolean ascii = TRUE;

          for (gsize i = 0; i < self->in_len && ascii; i++)
            ascii = self->in[i] < 0x80;
          if (ascii && !self->eof)
            {
              self->tentative = TRUE;
              self->encoding = TESORO_TEXT_ENCODING_AUTO;
            }
        }
      if ((self->flags & TESORO_TEXT_READER_RAW_8BIT) != 0 &&
          detected != TESORO_TEXT_ENCODING_UTF16LE &&
          detected != TESORO_TEXT_ENCODING_UTF16BE)
        {
          self->raw = TRUE;
          self->tentative = FALSE;
        }
    }
  else
    {
      /* A byte order mark is dropped only when it belongs to the encoding
       * chosen; otherwise it is text like any other. */
      if (detected == TESORO_TEXT_ENCODING_UTF8_BOM &&
          (self->requested == TESORO_TEXT_ENCODING_UTF8 || self->requested == TESORO_TEXT_ENCODING_UTF8_BOM))
        ;
      else if (detected == TESORO_TEXT_ENCODING_UTF16LE && self->requested == TESORO_TEXT_ENCODING_UTF16LE)
        ;
      else if (detected == TESORO_TEXT_ENCODING_UTF16BE && self->requested == TESORO_TEXT_ENCODING_UTF16BE)
        ;
      else
        bom = 0;
    }

  self->in_pos = bom;

  return TRUE;
}

/* Advances the position over text handed over. */
static void
track (TesoroTextReader *self,
       const char       *text,
       gsize             length)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = (guint8) text[i];

      if (c == '\n')
        {
          if (!self->last_cr)
            self->line++;
          self->column = 0;
          self->last_cr = FALSE;
        }
      else if (c == '\r')
        {
          self->line++;
          self->column = 0;
          self->last_cr = TRUE;
        }
      else
        {
          if ((c & 0xC0) != 0x80)
            self->column++;
          self->last_cr = FALSE;
        }
    }
}

/* Sets the reader's lasting error for a problem in the text, at the
 * position of the next character. */
static void
set_problem (TesoroTextReader *self,
             DecodeProblem     problem,
             const guint8     *bytes,
             gsize             n_bytes)
{
  const char *enc = tesoro_text_encoding_get_label (self->encoding == TESORO_TEXT_ENCODING_AUTO ?
                                                    TESORO_TEXT_ENCODING_UTF8 : self->encoding);
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < MIN (n_bytes, 4); i++)
    g_string_append_printf (hex, "%s%02X", i > 0 ? " " : "", bytes[i]);

  switch (problem)
    {
    case DECODE_NUL:
      g_set_error (&self->error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s, line %u, column %u: the file contains a NUL byte, so it is not a text file (or it is UTF-16 without a byte order mark)"),
                   self->display_name, self->line, self->column + 1);
      break;

    case DECODE_INVALID_UTF8:
      g_set_error (&self->error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s, line %u, column %u: the bytes %s are not valid %s; choose the file’s real encoding (for example Windows-1252)"),
                   self->display_name, self->line, self->column + 1, hex->str, enc);
      break;

    case DECODE_BAD_SURROGATE:
      g_set_error (&self->error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s, line %u, column %u: the bytes %s are not valid %s (an unpaired surrogate)"),
                   self->display_name, self->line, self->column + 1, hex->str, enc);
      break;

    case DECODE_TRUNCATED:
      g_set_error (&self->error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s, line %u, column %u: the file ends in the middle of a character; it may be truncated"),
                   self->display_name, self->line, self->column + 1);
      break;

    case DECODE_OK:
    default:
      g_assert_not_reached ();
    }

  g_string_free (hex, TRUE);
}

/* The decoders below convert from self->in[in_pos..in_len) into self->out,
 * stop at the first problem (leaving in_pos at the bytes at fault) and
 * return it. They leave an incomplete character at the end of the buffer
 * for the next round unless the stream has ended. */

static DecodeProblem
decode_raw (TesoroTextReader *self)
{
  const guint8 *p = self->in + self->in_pos;
  gsize n = self->in_len - self->in_pos;
  const guint8 *nul = memchr (p, 0, n);

  if (nul != NULL)
    n = (gsize) (nul - p);
  g_string_append_len (self->out, (const char *) p, n);
  self->in_pos += n;

  return nul != NULL ? DECODE_NUL : DECODE_OK;
}

static DecodeProblem
decode_windows_1252 (TesoroTextReader *self)
{
  const guint8 *p = self->in + self->in_pos;
  const guint8 *end = self->in + self->in_len;

  while (p < end)
    {
      const guint8 *run = p;

      while (p < end && *p < 0x80 && *p != 0)
        p++;
      g_string_append_len (self->out, (const char *) run, p - run);
      if (p == end)
        break;
      if (*p == 0)
        {
          self->in_pos = (gsize) (p - self->in);
          return DECODE_NUL;
        }
      append_unichar (self->out, *p < 0xA0 ? windows_1252_high[*p - 0x80] : *p);
      p++;
    }

  self->in_pos = self->in_len;
  return DECODE_OK;
}

static DecodeProblem
decode_utf8 (TesoroTextReader *self)
{
  const guint8 *p = self->in + self->in_pos;
  gsize n = self->in_len - self->in_pos;
  const char *end = NULL;
  gsize good;

  if (g_utf8_validate_len ((const char *) p, n, &end))
    {
      g_string_append_len (self->out, (const char *) p, n);
      self->in_pos = self->in_len;
      return DECODE_OK;
    }

  good = (gsize) ((const guint8 *) end - p);
  g_string_append_len (self->out, (const char *) p, good);
  self->in_pos += good;

  if (*end == '\0')
    return DECODE_NUL;
  if (is_incomplete_utf8 ((const guint8 *) end, n - good))
    return self->eof ? DECODE_TRUNCATED : DECODE_OK;

  return DECODE_INVALID_UTF8;
}

/* Detected encoding, all ASCII so far: pass ASCII on, and decide at the
 * first byte above 0x7F from what follows it. */
static DecodeProblem
decode_tentative (TesoroTextReader *self)
{
  const guint8 *p = self->in + self->in_pos;
  const guint8 *end = self->in + self->in_len;
  const guint8 *q = p;

  while (q < end && *q < 0x80 && *q != 0)
    q++;
  g_string_append_len (self->out, (const char *) p, q - p);
  self->in_pos = (gsize) (q - self->in);

  if (q == end)
    return DECODE_OK;
  if (*q == 0)
    return DECODE_NUL;

  /* Only a character cut off by the buffer: wait for more. */
  if (!self->eof && is_incomplete_utf8 (q, (gsize) (end - q)))
    return DECODE_OK;

  self->tentative = FALSE;
  self->encoding = looks_like_utf8 (q, (gsize) (end - q), self->eof) ?
                   TESORO_TEXT_ENCODING_UTF8 : TESORO_TEXT_ENCODING_WINDOWS_1252;
  g_debug ("%s: detected %s at byte %" G_GUINT64_FORMAT, self->display_name,
           tesoro_text_encoding_to_string (self->encoding),
           self->bytes_read - (guint64) (self->in_len - self->in_pos));

  return self->encoding == TESORO_TEXT_ENCODING_UTF8 ? decode_utf8 (self) : decode_windows_1252 (self);
}

static DecodeProblem
decode_utf16 (TesoroTextReader *self,
              gboolean          big_endian)
{
  const guint8 *p = self->in + self->in_pos;
  const guint8 *end = self->in + self->in_len;

  while (end - p >= 2)
    {
      guint16 unit = big_endian ? (guint16) (p[0] << 8 | p[1]) : (guint16) (p[1] << 8 | p[0]);
      gunichar c;
      gsize used = 2;

      if (unit == 0)
        {
          self->in_pos = (gsize) (p - self->in);
          return DECODE_NUL;
        }

      if (unit >= 0xD800 && unit <= 0xDBFF)
        {
          guint16 low;

          if (end - p < 4)
            {
              if (!self->eof)
                break;
              self->in_pos = (gsize) (p - self->in);
              return DECODE_TRUNCATED;
            }
          low = big_endian ? (guint16) (p[2] << 8 | p[3]) : (guint16) (p[3] << 8 | p[2]);
          if (low < 0xDC00 || low > 0xDFFF)
            {
              self->in_pos = (gsize) (p - self->in);
              return DECODE_BAD_SURROGATE;
            }
          c = 0x10000 + (((gunichar) unit - 0xD800) << 10) + ((gunichar) low - 0xDC00);
          used = 4;
        }
      else if (unit >= 0xDC00 && unit <= 0xDFFF)
        {
          self->in_pos = (gsize) (p - self->in);
          return DECODE_BAD_SURROGATE;
        }
      else
        c = unit;

      if (c < 0x80)
        g_string_append_c (self->out, (char) c);
      else
        append_unichar (self->out, c);
      p += used;
    }

  self->in_pos = (gsize) (p - self->in);
  if (self->eof && p < end)
    return DECODE_TRUNCATED;

  return DECODE_OK;
}

static DecodeProblem
decode (TesoroTextReader *self)
{
  if (self->raw)
    return decode_raw (self);
  if (self->tentative)
    return decode_tentative (self);

  switch (self->encoding)
    {
    case TESORO_TEXT_ENCODING_UTF8:
    case TESORO_TEXT_ENCODING_UTF8_BOM:
      return decode_utf8 (self);
    case TESORO_TEXT_ENCODING_UTF16LE:
      return decode_utf16 (self, FALSE);
    case TESORO_TEXT_ENCODING_UTF16BE:
      return decode_utf16 (self, TRUE);
    case TESORO_TEXT_ENCODING_WINDOWS_1252:
      return decode_windows_1252 (self);
    case TESORO_TEXT_ENCODING_AUTO:
    default:
      g_assert_not_reached ();
    }
}

/**
 * tesoro_text_reader_read:
 * @self: a #TesoroTextReader
 * @chunk: (out) (transfer none): the next piece of text, valid until the
 *   next call; not NUL-terminated
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Hands over the next piece of text. Text up to a problem is handed over
 * first; the following call reports the problem, naming the line and
 * column. After an error every call fails with the same error.
 *
 * Returns: the length of @chunk; 0 at the end of the file; -1 on error
 */
gssize
tesoro_text_reader_read (TesoroTextReader  *self,
                         const char       **chunk,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (chunk != NULL, -1);

  *chunk = NULL;

  if (self->error == NULL && !self->started)
    start (self, cancellable, &self->error);

  while (self->error == NULL)
    {
      DecodeProblem problem;
      const guint8 *at;

      g_string_truncate (self->out, 0);

      if (self->in_len - self->in_pos < CARRY_SIZE && !self->eof)
        {
          if (!fill (self, FALSE, cancellable, &self->error))
            break;
        }

      if (self->in_pos == self->in_len && self->eof)
        return 0;

      problem = decode (self);
      at = self->in + self->in_pos;
      track (self, self->out->str, self->out->len);

      if (problem != DECODE_OK)
        set_problem (self, problem, at, self->in_len - self->in_pos);

      if (self->out->len > 0)
        {
          *chunk = self->out->str;
          return (gssize) self->out->len;
        }
    }

  if (error != NULL)
    *error = g_error_copy (self->error);

  return -1;
}

/**
 * tesoro_text_decode:
 * @data: the whole text
 * @length: its length in bytes
 * @display_name: the name for messages
 * @encoding: the encoding, or %TESORO_TEXT_ENCODING_AUTO
 * @detected: (out) (optional): the encoding used
 * @out_length: (out) (optional): the length of the result
 * @error: return location for a #GError
 *
 * Converts a whole text to UTF-8 as #TesoroTextReader does, for inputs
 * small enough to hold in memory twice.
 *
 * Returns: (transfer full) (nullable): the text as UTF-8
 */
char *
tesoro_text_decode (const char          *data,
                    gsize                length,
                    const char          *display_name,
                    TesoroTextEncoding   encoding,
                    TesoroTextEncoding  *detected,
                    gsize               *out_length,
                    GError             **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(TesoroTextReader) reader = NULL;
  GString *out;
  const char *chunk;
  gssize n;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  stream = g_memory_input_stream_new_from_data (data, length, NULL);
  reader = tesoro_text_reader_new (stream, display_name, encoding, TESORO_TEXT_READER_NONE);
  out = g_string_sized_new (length + 1);

  while ((n = tesoro_text_reader_read (reader, &chunk, NULL, error)) > 0)
    g_string_append_len (out, chunk, n);

  if (n < 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  if (detected != NULL)
    *detected = tesoro_text_reader_get_encoding (reader);
  if (out_length != NULL)
    *out_length = out->len;

  return g_string_free (out, FALSE);
}

/**
 * tesoro_text_reader_next_chunk:
 * @chunk: (inout): the chunk being read, as the reader gave it
 * @length: (inout): its length
 * @position: (inout): how far it has been read
 * @at_eof: (inout): whether the input has ended
 * @fatal: (inout): the error that ended the input, if any
 *
 * The input of the CSV and vCard readers: makes sure there is text at
 * @position, reading the next chunk when the current one is used up.
 *
 * Returns: %FALSE at the end of the input or after an error (in @fatal)
 */
gboolean
tesoro_text_reader_next_chunk (TesoroTextReader  *self,
                               const char       **chunk,
                               gsize             *length,
                               gsize             *position,
                               gboolean          *at_eof,
                               GError           **fatal,
                               GCancellable      *cancellable)
{
  gssize n;

  if (*position < *length)
    return TRUE;
  if (*at_eof || *fatal != NULL)
    return FALSE;

  n = tesoro_text_reader_read (self, chunk, cancellable, fatal);
  if (n <= 0)
    {
      *chunk = NULL;
      *length = *position = 0;
      if (n == 0)
        *at_eof = TRUE;
      return FALSE;
    }

  *length = (gsize) n;
  *position = 0;
  return TRUE;
}

/**
 * tesoro_text_open_file:
 * @display_name: (out) (transfer full): the name messages give the file
 *   (its base name)
 *
 * Opens @file for one of the readers, with an error a person can act on.
 *
 * Returns: (transfer full) (nullable): the stream
 */
GInputStream *
tesoro_text_open_file (GFile         *file,
                       char         **display_name,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GFileInputStream *stream;

  *display_name = g_file_get_basename (file);
  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                   _("Could not open %s: %s"), *display_name, local_error->message);
      return NULL;
    }
  return G_INPUT_STREAM (stream);
}

