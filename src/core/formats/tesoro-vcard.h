/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-contact.h"
#include "tesoro-text-encoding.h"

G_BEGIN_DECLS

typedef enum
{
  TESORO_VCARD_VERSION_2_1,
  TESORO_VCARD_VERSION_3_0,
  TESORO_VCARD_VERSION_4_0,
} TesoroVcardVersion;

const char *tesoro_vcard_version_to_string   (TesoroVcardVersion   version);
gboolean    tesoro_vcard_version_from_string (const char          *text,
                                              TesoroVcardVersion  *version,
                                              GError             **error);

/* Limits of the reader: a property value (after unfolding) longer than
 * this is an error, except for photos, logos, sounds and keys, which are
 * skipped whatever their size; a card may hold this many properties and
 * this many bytes in all. */
#define TESORO_VCARD_MAX_LINE_BYTES   (4 * 1024 * 1024)
#define TESORO_VCARD_MAX_PROPERTIES   10000
#define TESORO_VCARD_MAX_CARD_BYTES   (16 * 1024 * 1024)
/* At most this many warnings are kept per card. */
#define TESORO_VCARD_MAX_WARNINGS     100

/**
 * TesoroVcardCard:
 * @contact: the contact: names (N; FN as display name — the given and
 *   family name stay empty when the card has no N), organisation (first
 *   component of ORG), job title (TITLE), birthday (BDAY, when it has a
 *   year), e-mail addresses, phone numbers and addresses with their labels
 *   (`work`, `home`, `mobile`, `fax`, `pager`, `other`, or the card's own)
 *   and the preferred one of each marked primary, tags (CATEGORIES), notes
 *   (NOTE), custom fields written by Tesoro (X-TESORO-CUSTOM), uid (UID,
 *   when it is a UUID) and updated_at (REV)
 * @line: the line of BEGIN:VCARD, from 1
 * @end_line: the line of END:VCARD
 * @version: the card's VERSION (3.0 when it has none)
 * @warnings: (element-type utf8): problems that did not stop the card from
 *   being read, each naming the file and line (a birthday without a year,
 *   a property without a value, …)
 * @extra: (element-type TesoroCustomValue): what Tesoro has no field for,
 *   named by the vCard property: `NICKNAME`, `URL`, `ROLE`, `X-…`, …;
 *   also `DEPARTMENT` (the second component of ORG), `BDAY` (a birthday
 *   without a year, as `--03-12`) and `UID` (a UID that is not a UUID)
 *
 * One card read from a vCard file.
 */
typedef struct
{
  TesoroContact      *contact;
  guint64             line;
  guint64             end_line;
  TesoroVcardVersion  version;
  GPtrArray          *warnings;
  GPtrArray          *extra;
} TesoroVcardCard;

void tesoro_vcard_card_free (TesoroVcardCard *card);

/**
 * TesoroVcardReader:
 *
 * Reads vCard 2.1, 3.0 and 4.0 files one card at a time, so that a file of
 * any size is read in constant memory: folded lines, quoted-printable
 * values with soft line breaks, CHARSET parameters, escaped text, TYPE
 * parameters in all their forms, groups (`item1.EMAIL`, with Apple's
 * X-ABLabel), several cards per file. Photos and other binary values are
 * skipped without being held in memory.
 *
 * Without a chosen encoding, the bytes of each value are decoded by the
 * property's CHARSET, else as UTF-8, else (vCard 2.1 and 3.0 only) as
 * Windows-1252; invalid UTF-8 where UTF-8 is declared is an error naming
 * the line and column.
 */
typedef struct _TesoroVcardReader TesoroVcardReader;

TesoroVcardReader  *tesoro_vcard_reader_new          (GInputStream        *stream,
                                                      const char          *display_name,
                                                      TesoroTextEncoding   encoding);
TesoroVcardReader  *tesoro_vcard_reader_new_for_file (GFile               *file,
                                                      TesoroTextEncoding   encoding,
                                                      GCancellable        *cancellable,
                                                      GError             **error);
TesoroVcardReader  *tesoro_vcard_reader_new_for_data (const char          *data,
                                                      gsize                length,
                                                      const char          *display_name,
                                                      TesoroTextEncoding   encoding);
void                tesoro_vcard_reader_free         (TesoroVcardReader   *self);
TesoroVcardCard    *tesoro_vcard_reader_next         (TesoroVcardReader   *self,
                                                      GCancellable        *cancellable,
                                                      GError             **error);
gboolean            tesoro_vcard_reader_can_continue (TesoroVcardReader   *self);
guint64             tesoro_vcard_reader_get_line     (TesoroVcardReader   *self);
TesoroTextEncoding  tesoro_vcard_reader_get_encoding (TesoroVcardReader   *self);
guint64             tesoro_vcard_reader_get_bytes_read (TesoroVcardReader *self);

/* Writing */

void                tesoro_vcard_append_contact      (GString             *out,
                                                      TesoroContact       *contact,
                                                      TesoroVcardVersion   version);
char               *tesoro_vcard_contact_to_string   (TesoroContact       *contact,
                                                      TesoroVcardVersion   version);

/**
 * TesoroVcardWriter:
 *
 * Writes contacts as vCards to a #GOutputStream, buffered.
 */
typedef struct _TesoroVcardWriter TesoroVcardWriter;

TesoroVcardWriter  *tesoro_vcard_writer_new          (GOutputStream       *stream,
                                                      TesoroVcardVersion   version);
void                tesoro_vcard_writer_free         (TesoroVcardWriter   *self);
gboolean            tesoro_vcard_writer_add          (TesoroVcardWriter   *self,
                                                      TesoroContact       *contact,
                                                      GCancellable        *cancellable,
                                                      GError             **error);
gboolean            tesoro_vcard_writer_flush        (TesoroVcardWriter   *self,
                                                      GCancellable        *cancellable,
                                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroVcardCard, tesoro_vcard_card_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroVcardReader, tesoro_vcard_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroVcardWriter, tesoro_vcard_writer_free)

G_END_DECLS
