/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TesoroTextEncoding:
 * @TESORO_TEXT_ENCODING_AUTO: detect: a byte order mark decides; without
 *   one, text that is valid UTF-8 is UTF-8 and anything else Windows-1252
 * @TESORO_TEXT_ENCODING_UTF8: UTF-8 without a byte order mark
 * @TESORO_TEXT_ENCODING_UTF8_BOM: UTF-8 that starts with a byte order mark
 * @TESORO_TEXT_ENCODING_UTF16LE: UTF-16, little-endian (with a byte order mark)
 * @TESORO_TEXT_ENCODING_UTF16BE: UTF-16, big-endian (with a byte order mark)
 * @TESORO_TEXT_ENCODING_WINDOWS_1252: Windows-1252 (a superset of ISO-8859-1
 *   printable characters), what Excel writes on Western European Windows
 *
 * The encodings of the files Tesoro imports. A byte order mark is always
 * removed from the text, whichever encoding was chosen.
 */
typedef enum
{
  TESORO_TEXT_ENCODING_AUTO,
  TESORO_TEXT_ENCODING_UTF8,
  TESORO_TEXT_ENCODING_UTF8_BOM,
  TESORO_TEXT_ENCODING_UTF16LE,
  TESORO_TEXT_ENCODING_UTF16BE,
  TESORO_TEXT_ENCODING_WINDOWS_1252,
} TesoroTextEncoding;

const char         *tesoro_text_encoding_to_string   (TesoroTextEncoding   encoding);
const char         *tesoro_text_encoding_get_label   (TesoroTextEncoding   encoding);
gboolean            tesoro_text_encoding_from_string (const char          *name,
                                                      TesoroTextEncoding  *encoding,
                                                      GError             **error);
TesoroTextEncoding  tesoro_text_encoding_detect      (const guint8        *data,
                                                      gsize                length,
                                                      gsize               *bom_length);
char               *tesoro_text_encoding_windows_1252_to_utf8 (const char *data,
                                                               gsize       length,
                                                               gsize      *out_length);
char               *tesoro_text_excerpt              (const char          *text,
                                                      gssize               length,
                                                      guint                max_chars);

/**
 * TesoroTextReaderFlags:
 * @TESORO_TEXT_READER_NONE: convert everything to UTF-8
 * @TESORO_TEXT_READER_RAW_8BIT: when the encoding is detected (not chosen)
 *   and the file has no UTF-16 byte order mark, hand over the bytes as they
 *   are instead of converting them. The vCard reader uses this because a
 *   vCard 2.1 file declares a CHARSET per property.
 */
typedef enum
{
  TESORO_TEXT_READER_NONE = 0,
  TESORO_TEXT_READER_RAW_8BIT = 1 << 0,
} TesoroTextReaderFlags;

/**
 * TesoroTextReader:
 *
 * Reads a text file from a #GInputStream in chunks and hands it over as
 * UTF-8, so that a file of any size is read in constant memory. It detects
 * or applies the encoding, removes a byte order mark, and refuses NUL bytes
 * and text that is not valid in its encoding with an error that names the
 * file, the line and the column. Lines end in LF, CR LF or CR.
 */
typedef struct _TesoroTextReader TesoroTextReader;

TesoroTextReader   *tesoro_text_reader_new           (GInputStream          *stream,
                                                      const char            *display_name,
                                                      TesoroTextEncoding     encoding,
                                                      TesoroTextReaderFlags  flags);
void                tesoro_text_reader_free          (TesoroTextReader      *self);
gssize              tesoro_text_reader_read          (TesoroTextReader      *self,
                                                      const char           **chunk,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
gboolean            tesoro_text_reader_next_chunk    (TesoroTextReader      *self,
                                                      const char           **chunk,
                                                      gsize                 *length,
                                                      gsize                 *position,
                                                      gboolean              *at_eof,
                                                      GError               **fatal,
                                                      GCancellable          *cancellable);
TesoroTextEncoding  tesoro_text_reader_get_encoding  (TesoroTextReader      *self);
gboolean            tesoro_text_reader_is_raw        (TesoroTextReader      *self);
const char         *tesoro_text_reader_get_display_name (TesoroTextReader   *self);
guint64             tesoro_text_reader_get_bytes_read (TesoroTextReader     *self);

GInputStream       *tesoro_text_open_file            (GFile                 *file,
                                                      char                 **display_name,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
char               *tesoro_text_decode               (const char            *data,
                                                      gsize                  length,
                                                      const char            *display_name,
                                                      TesoroTextEncoding     encoding,
                                                      TesoroTextEncoding    *detected,
                                                      gsize                 *out_length,
                                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroTextReader, tesoro_text_reader_free)

G_END_DECLS
