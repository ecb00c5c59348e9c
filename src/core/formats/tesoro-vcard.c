/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-vcard"

#include "config.h"

#include "tesoro-vcard.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-utils.h"

/* Output lines are folded at this many octets (RFC 6350 §3.2). */
#define FOLD_OCTETS 75
#define WRITE_BUFFER_SIZE (64 * 1024)
/* A preference rank meaning "not preferred". */
#define NO_RANK G_MAXUINT

/* Where the pieces of an unfolded line came from, to name the physical
 * line and column of a problem. */
typedef struct
{
  gsize   offset;
  guint64 line;
  guint   skipped;
} Fold;

typedef struct
{
  char *name;   /* upper case */
  char *value;
} Param;

typedef struct
{
  char        *group;   /* nullable */
  char        *name;    /* upper case */
  GPtrArray   *params;  /* Param */
  const char  *value;   /* raw, inside the logical line */
  gsize        value_len;
  gsize        value_offset;
} Property;

typedef struct
{
  char **label;
  char  *group;
} GroupRef;

struct _TesoroVcardReader
{
  TesoroTextReader *text;
  char             *display_name;
  GError           *fatal;
  gboolean          at_eof;
  gboolean          can_continue;
  guint64           last_line;

  /* Input */
  const char       *chunk;
  gsize             chunk_len;
  gsize             chunk_pos;
  gboolean          after_cr;
  guint64           line;

  /* One physical line of lookahead, to see whether the next one continues. */
  GString          *peek;
  gboolean          have_peek;
  guint64           peek_line;
  gboolean          peek_overlong;

  /* The current logical (unfolded) line. */
  GString          *logical;
  guint64           logical_line;
  gboolean          logical_overlong;
  gboolean          logical_binary;
  GArray           *folds;

  /* A BEGIN:VCARD read while looking for the end of the previous card. */
  gboolean          pending_begin;
  guint64           pending_begin_line;

  /* The card being read. */
  TesoroVcardCard  *card;
  GError           *card_error;
  guint             n_properties;
  gsize             card_bytes;
  GArray           *email_ranks;
  GArray           *phone_ranks;
  GPtrArray        *group_refs;
  GHashTable       *group_labels;
  gboolean          agent_pending;
  guint             n_warnings;
};

static const char * const binary_properties[] = { "PHOTO", "LOGO", "SOUND", "KEY", NULL };

/* Versions */

const char *
tesoro_vcard_version_to_string (TesoroVcardVersion version)
{
  switch (version)
    {
    case TESORO_VCARD_VERSION_2_1: return "2.1";
    case TESORO_VCARD_VERSION_3_0: return "3.0";
    case TESORO_VCARD_VERSION_4_0: return "4.0";
    default: break;
    }

  g_return_val_if_reached ("4.0");
}

/**
 * tesoro_vcard_version_from_string:
 * @text: `2.1`, `3.0` or `4.0` (also `3` and `4`)
 * @version: (out): the version
 * @error: return location for a #GError
 *
 * Returns: whether @text names a vCard version Tesoro knows
 */
gboolean
tesoro_vcard_version_from_string (const char          *text,
                                  TesoroVcardVersion  *version,
                                  GError             **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (version != NULL, FALSE);

  if (g_str_equal (text, "2.1"))
    *version = TESORO_VCARD_VERSION_2_1;
  else if (g_str_equal (text, "3.0") || g_str_equal (text, "3"))
    *version = TESORO_VCARD_VERSION_3_0;
  else if (g_str_equal (text, "4.0") || g_str_equal (text, "4"))
    *version = TESORO_VCARD_VERSION_4_0;
  else
    {
      g_autofree char *shown = tesoro_text_excerpt (text, -1, 20);

      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” is not a vCard version: use 2.1, 3.0 or 4.0"), shown);
      return FALSE;
    }

  return TRUE;
}

/* Cards */

void
tesoro_vcard_card_free (TesoroVcardCard *card)
{
  if (card == NULL)
    return;

  g_clear_object (&card->contact);
  g_clear_pointer (&card->warnings, g_ptr_array_unref);
  g_clear_pointer (&card->extra, g_ptr_array_unref);
  g_free (card);
}

static void
param_free (Param *param)
{
  g_free (param->name);
  g_free (param->value);
  g_free (param);
}

static void
property_clear (Property *prop)
{
  g_clear_pointer (&prop->group, g_free);
  g_clear_pointer (&prop->name, g_free);
  g_clear_pointer (&prop->params, g_ptr_array_unref);
}

static void
group_ref_free (GroupRef *ref)
{
  g_free (ref->group);
  g_free (ref);
}

static inline guint
line_u (guint64 line)
{
  return (guint) MIN (line, G_MAXUINT);
}

/* Reader: construction */

/**
 * tesoro_vcard_reader_new:
 * @stream: the vCard file
 * @display_name: the file's name for messages
 * @encoding: the encoding, or %TESORO_TEXT_ENCODING_AUTO to go by the
 *   CHARSET of each property and the bytes themselves
 *
 * Returns: (transfer full): a reader; call tesoro_vcard_reader_next() for
 * each card
 */
TesoroVcardReader *
tesoro_vcard_reader_new (GInputStream       *stream,
                         const char         *display_name,
                         TesoroTextEncoding  encoding)
{
  TesoroVcardReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (TesoroVcardReader, 1);
  self->display_name = g_strdup (display_name != NULL ? display_name : _("input"));
  self->text = tesoro_text_reader_new (stream, self->display_name, encoding,
                                       TESORO_TEXT_READER_RAW_8BIT);
  self->peek = g_string_new (NULL);
  self->logical = g_string_new (NULL);
  self->folds = g_array_new (FALSE, FALSE, sizeof (Fold));
  self->line = 1;

  return self;
}

/**
 * tesoro_vcard_reader_new_for_file:
 *
 * Returns: (transfer full) (nullable): a reader of @file, or %NULL if it
 * cannot be opened. Messages name the file by its base name.
 */
TesoroVcardReader *
tesoro_vcard_reader_new_for_file (GFile               *file,
                                  TesoroTextEncoding   encoding,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = tesoro_text_open_file (file, &name, cancellable, error);
  return stream != NULL ? tesoro_vcard_reader_new (stream, name, encoding) : NULL;
}

/**
 * tesoro_vcard_reader_new_for_data:
 * @data: the vCard text; it must stay alive as long as the reader
 *
 * Returns: (transfer full): a reader of @data
 */
TesoroVcardReader *
tesoro_vcard_reader_new_for_data (const char          *data,
                                  gsize                length,
                                  const char          *display_name,
                                  TesoroTextEncoding   encoding)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  stream = g_memory_input_stream_new_from_data (data, length, NULL);
  return tesoro_vcard_reader_new (stream, display_name, encoding);
}

static void
card_reset (TesoroVcardReader *self)
{
  g_clear_pointer (&self->card, tesoro_vcard_card_free);
  g_clear_error (&self->card_error);
  g_clear_pointer (&self->email_ranks, g_array_unref);
  g_clear_pointer (&self->phone_ranks, g_array_unref);
  g_clear_pointer (&self->group_refs, g_ptr_array_unref);
  g_clear_pointer (&self->group_labels, g_hash_table_unref);
  self->n_properties = 0;
  self->card_bytes = 0;
  self->agent_pending = FALSE;
  self->n_warnings = 0;
}

void
tesoro_vcard_reader_free (TesoroVcardReader *self)
{
  if (self == NULL)
    return;

  card_reset (self);
  g_clear_pointer (&self->text, tesoro_text_reader_free);
  g_clear_error (&self->fatal);
  g_free (self->display_name);
  g_string_free (self->peek, TRUE);
  g_string_free (self->logical, TRUE);
  g_array_unref (self->folds);
  g_free (self);
}

/* Reader: physical lines */

static gboolean
ensure_input (TesoroVcardReader *self,
              GCancellable      *cancellable)
{
  return tesoro_text_reader_next_chunk (self->text, &self->chunk, &self->chunk_len, &self->chunk_pos, &self->at_eof,
                                        &self->fatal, cancellable);
}

/* Reads one physical line into @into (without its line break), keeping
 * at most TESORO_VCARD_MAX_LINE_BYTES of it. */
static gboolean
read_physical (TesoroVcardReader *self,
               GString           *into,
               guint64           *line,
               gboolean          *overlong,
               GCancellable      *cancellable)
{
  gboolean any = FALSE;

  g_string_truncate (into, 0);
  *overlong = FALSE;
  *line = self->line;

  for (;;)
    {
      const char *p, *end, *stop;

      if (!ensure_input (self, cancellable))
        {
          if (self->fatal != NULL)
            return FALSE;
          if (any)
            self->line++;
          return any;
        }

      p = self->chunk + self->chunk_pos;
      end = self->chunk + self->chunk_len;

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (*p == '\n')
            {
              self->chunk_pos++;
              continue;
            }
        }

      for (stop = p; stop < end && *stop != '\n' && *stop != '\r'; stop++)
        ;

      if (stop > p)
        {
          any = TRUE;
          if (into->len + (gsize) (stop - p) > TESORO_VCARD_MAX_LINE_BYTES)
            *overlong = TRUE;
          else
            g_string_append_len (into, p, stop - p);
        }

      if (stop < end)
        {
          self->after_cr = *stop == '\r';
          self->chunk_pos = (gsize) (stop + 1 - self->chunk);
          self->line++;
          return TRUE;
        }

      self->chunk_pos = self->chunk_len;
    }
}

static gboolean
peek_physical (TesoroVcardReader *self,
               GCancellable      *cancellable)
{
  if (!self->have_peek)
    self->have_peek = read_physical (self, self->peek, &self->peek_line,
                                     &self->peek_overlong, cancellable);
  return self->have_peek;
}

/* Reader: logical lines */

static gboolean
token_is (const char *token,
          gsize       length,
          const char *word)
{
  return strlen (word) == length && g_ascii_strncasecmp (token, word, length) == 0;
}

/* Looks at the name and parameters of a property line (everything before
 * the first colon outside quotes): is its value quoted-printable, base64,
 * or binary data Tesoro skips? Quoted parameter values are not looked into. */
static void
classify (const char *line,
          gsize       length,
          gboolean   *qp,
          gboolean   *base64,
          gboolean   *binary)
{
  gsize i = 0;
  gsize name_start = 0;

  *qp = *base64 = *binary = FALSE;

  while (i < length && line[i] != ';' && line[i] != ':')
    {
      if (line[i] == '.')
        name_start = i + 1;
      i++;
    }
  for (guint k = 0; binary_properties[k] != NULL; k++)
    if (token_is (line + name_start, i - name_start, binary_properties[k]))
      *binary = TRUE;

  while (i < length && line[i] == ';')
    {
      gsize start = ++i;
      gsize eq = G_MAXSIZE;
      gboolean quoted = FALSE;

      while (i < length && (quoted || (line[i] != ';' && line[i] != ':')))
        {
          if (line[i] == '"')
            quoted = !quoted;
          else if (line[i] == '=' && !quoted && eq == G_MAXSIZE)
            eq = i;
          i++;
        }

      if (eq == G_MAXSIZE)
        {
          /* vCard 2.1 bare parameter */
          *qp |= token_is (line + start, i - start, "QUOTED-PRINTABLE");
          *base64 |= token_is (line + start, i - start, "BASE64") || token_is (line + start, i - start, "B");
        }
      else if (token_is (line + start, eq - start, "ENCODING"))
        {
          const char *value = line + eq + 1;
          gsize n = i - eq - 1;

          *qp |= token_is (value, n, "QUOTED-PRINTABLE");
          *base64 |= token_is (value, n, "BASE64") || token_is (value, n, "B");
        }
    }
}

static gboolean
is_base64_line (const char *line,
                gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = line[i];

      if (!g_ascii_isalnum (c) && c != '+' && c != '/' && c != '=' && c != ' ' && c != '\t')
        return FALSE;
    }

  return TRUE;
}

static void
logical_append (TesoroVcardReader *self,
                const char        *text,
                gsize              length,
                guint64            line,
                guint              skipped)
{
  Fold fold = { self->logical->len, line, skipped };

  if (self->logical->len + length > TESORO_VCARD_MAX_LINE_BYTES)
    {
      self->logical_overlong = TRUE;
      return;
    }

  g_array_append_val (self->folds, fold);
  g_string_append_len (self->logical, text, length);
}

/* Reads the next logical line: a physical line with its folded
 * continuations, quoted-printable soft line breaks, and (for binary
 * values) the base64 lines that follow, which are skipped. */
static gboolean
read_logical (TesoroVcardReader *self,
              GCancellable      *cancellable)
{
  gboolean qp, base64, binary;

  if (!peek_physical (self, cancellable))
    return FALSE;

  g_string_truncate (self->logical, 0);
  g_array_set_size (self->folds, 0);
  self->logical_line = self->peek_line;
  self->logical_overlong = FALSE;

  classify (self->peek->str, self->peek->len, &qp, &base64, &binary);
  self->logical_binary = binary;
  if (binary)
    {
      /* Keep the name and parameters only: the value is never used. */
      const char *colon = memchr (self->peek->str, ':', self->peek->len);
      gsize keep = colon != NULL ? (gsize) (colon - self->peek->str) + 1 : self->peek->len;

      logical_append (self, self->peek->str, keep, self->peek_line, 0);
    }
  else
    {
      self->logical_overlong = self->peek_overlong;
      logical_append (self, self->peek->str, self->peek->len, self->peek_line, 0);
    }
  self->have_peek = FALSE;

  while (peek_physical (self, cancellable))
    {
      const char *p = self->peek->str;
      gsize n = self->peek->len;

      if (qp && !binary && self->logical->len > 0 &&
          self->logical->str[self->logical->len - 1] == '=')
        {
          /* A quoted-printable soft line break: the next line goes on. */
          g_string_truncate (self->logical, self->logical->len - 1);
          self->logical_overlong |= self->peek_overlong;
          logical_append (self, p, n, self->peek_line, 0);
        }
      else if (n > 0 && (p[0] == ' ' || p[0] == '\t'))
        {
          if (!binary)
            {
              self->logical_overlong |= self->peek_overlong;
              logical_append (self, p + 1, n - 1, self->peek_line, 1);
            }
        }
      else if (base64 && n > 0 && is_base64_line (p, n))
        {
          /* vCard 2.1 base64 data need not be indented. */
          if (!binary)
            logical_append (self, p, n, self->peek_line, 0);
        }
      else if (base64 && n == 0)
        {
          /* …and ends with an empty line. */
          self->have_peek = FALSE;
          break;
        }
      else
        break;

      self->have_peek = FALSE;
    }

  return self->fatal == NULL || self->logical->len > 0;
}

/* The physical line and column of byte @offset of the logical line. */
static void
locate (TesoroVcardReader *self,
        gsize              offset,
        guint64           *line,
        guint             *column)
{
  const Fold *fold = NULL;
  guint n = 0;

  for (guint i = 0; i < self->folds->len; i++)
    {
      const Fold *f = &g_array_index (self->folds, Fold, i);
      if (f->offset <= offset)
        fold = f;
    }

  if (fold == NULL)
    {
      *line = self->logical_line;
      *column = 1;
      return;
    }

  for (gsize i = fold->offset; i < offset && i < self->logical->len; i++)
    n += ((guint8) self->logical->str[i] & 0xC0) != 0x80;

  *line = fold->line;
  *column = n + fold->skipped + 1;
}

/* Reader: problems */

G_GNUC_PRINTF (3, 4)
static void
card_warn (TesoroVcardReader *self,
           guint64            line,
           const char        *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (self->card == NULL)
    return;
  if (++self->n_warnings > TESORO_VCARD_MAX_WARNINGS)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (self->card->warnings,
                   g_strdup_printf (_("%s, line %u: %s"), self->display_name, line_u (line), message));
}

/* The first error of a card: the card is read to its end, then refused. */
G_GNUC_PRINTF (2, 3)
static void
card_fail (TesoroVcardReader *self,
           const char        *format,
           ...)
{
  va_list args;

  if (self->card_error != NULL)
    return;

  va_start (args, format);
  self->card_error = g_error_new_valist (TESORO_ERROR, TESORO_ERROR_PARSE, format, args);
  va_end (args);
}

/* Reader: properties */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

/* Undoes RFC 6868 parameter value encoding: ^n, ^^ and ^'. Control
 * characters other than tab have no place in a parameter and are dropped,
 * as the writer drops them. */
static char *
decode_param_value (const char *text,
                    gsize       length)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if ((guchar) text[i] < 0x20 && text[i] != '\t')
        continue;
      if (text[i] == '^' && i + 1 < length)
        {
          char next = text[i + 1];

          if (next == 'n' || next == 'N')
            {
              g_string_append_c (out, '\n');
              i++;
              continue;
            }
          if (next == '^')
            {
              g_string_append_c (out, '^');
              i++;
              continue;
            }
          if (next == '\'')
            {
              g_string_append_c (out, '"');
              i++;
              continue;
            }
        }
      g_string_append_c (out, text[i]);
    }

  return g_string_free (out, FALSE);
}

static void
add_param (Property   *prop,
           const char *name,
           gsize       name_len,
           const char *value,
           gsize       value_len)
{
  Param *param = g_new0 (Param, 1);

  param->name = g_ascii_strup (name, name_len);
  param->value = decode_param_value (value, value_len);
  /* Parameter values have no CHARSET of their own: UTF-8 if they are,
   * else the old default. */
  if (!g_utf8_validate (param->value, -1, NULL))
    {
      char *converted = tesoro_text_encoding_windows_1252_to_utf8 (param->value, strlen (param->value), NULL);
      g_free (param->value);
      param->value = converted;
    }
  g_ptr_array_add (prop->params, param);
}

/* vCard 2.1 allows parameters without a name: TEL;WORK;VOICE:… */
static void
add_bare_param (Property   *prop,
                const char *value,
                gsize       value_len)
{
  static const char * const encodings[] = { "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT", NULL };
  const char *name = "TYPE";

  for (guint i = 0; encodings[i] != NULL; i++)
    if (strlen (encodings[i]) == value_len && g_ascii_strncasecmp (value, encodings[i], value_len) == 0)
      name = "ENCODING";

  add_param (prop, name, strlen (name), value, value_len);
}

/* Splits a logical line into group, name, parameters and value. */
static gboolean
parse_property (const char *line,
                gsize       length,
                Property   *prop)
{
  gsize i = 0;
  gsize dot = G_MAXSIZE;

  memset (prop, 0, sizeof *prop);

  while (i < length && is_name_char (line[i]))
    {
      if (line[i] == '.')
        dot = i;
      i++;
    }
  if (i == 0 || i == length || (line[i] != ';' && line[i] != ':'))
    return FALSE;

  if (dot != G_MAXSIZE)
    {
      if (dot == 0 || dot + 1 == i)
        return FALSE;
      prop->group = g_strndup (line, dot);
      prop->name = g_ascii_strup (line + dot + 1, i - dot - 1);
    }
  else
    prop->name = g_ascii_strup (line, i);

  prop->params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_free);

  while (i < length && line[i] == ';')
    {
      gsize name_start = ++i;
      gsize name_len;

      while (i < length && line[i] != '=' && line[i] != ';' && line[i] != ':')
        i++;
      if (i == length)
        return FALSE;
      name_len = i - name_start;

      if (line[i] != '=')
        {
          if (name_len > 0)
            add_bare_param (prop, line + name_start, name_len);
          continue;
        }

      /* name=value[,value…], each value quoted or not. */
      do
        {
          gsize value_start;

          i++;
          if (i < length && line[i] == '"')
            {
              value_start = ++i;
              while (i < length && line[i] != '"')
                i++;
              if (i == length)
                return FALSE;
              add_param (prop, line + name_start, name_len, line + value_start, i - value_start);
              i++;
            }
          else
            {
              value_start = i;
              while (i < length && line[i] != ',' && line[i] != ';' && line[i] != ':')
                i++;
              if (i == length)
                return FALSE;
              add_param (prop, line + name_start, name_len, line + value_start, i - value_start);
            }
        }
      while (i < length && line[i] == ',');

      if (i == length || (line[i] != ';' && line[i] != ':'))
        return FALSE;
    }

  if (i == length || line[i] != ':')
    return FALSE;

  prop->value_offset = i + 1;
  prop->value = line + i + 1;
  prop->value_len = length - i - 1;

  return TRUE;
}

static const char *
get_param (const Property *prop,
           const char     *name)
{
  for (guint i = 0; i < prop->params->len; i++)
    {
      const Param *param = prop->params->pdata[i];
      if (g_str_equal (param->name, name))
        return param->value;
    }

  return NULL;
}

/* Whether a TYPE parameter (in any of its spellings) includes @type.
 * TYPE values may themselves hold commas when quoted (TYPE="work,voice"). */
static gboolean
has_type (const Property *prop,
          const char     *type)
{
  gsize n = strlen (type);

  for (guint i = 0; i < prop->params->len; i++)
    {
      const Param *param = prop->params->pdata[i];
      const char *p;

      if (!g_str_equal (param->name, "TYPE"))
        continue;

      for (p = param->value; *p != '\0'; )
        {
          const char *comma = strchr (p, ',');
          gsize len = comma != NULL ? (gsize) (comma - p) : strlen (p);

          if (len == n && g_ascii_strncasecmp (p, type, n) == 0)
            return TRUE;
          if (comma == NULL)
            break;
          p = comma + 1;
        }
    }

  return FALSE;
}

static gboolean
is_charset (const char *charset,
            const char *name)
{
  return charset != NULL && g_ascii_strcasecmp (charset, name) == 0;
}

static guint8
hex_value (char c)
{
  return (guint8) g_ascii_xdigit_value (c);
}

/* Decodes quoted-printable (soft line breaks are already joined). A "="
 * that does not start a valid escape is kept, as most readers do. */
static GString *
decode_quoted_printable (const char *text,
                         gsize       length)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '=' && i + 2 < length && g_ascii_isxdigit (text[i + 1]) &&
          g_ascii_isxdigit (text[i + 2]))
        {
          g_string_append_c (out, (char) (hex_value (text[i + 1]) << 4 | hex_value (text[i + 2])));
          i += 2;
        }
      else
        g_string_append_c (out, text[i]);
    }

  return out;
}

/* The value's text as UTF-8, decoded by ENCODING and CHARSET; NULL (with
 * the card failed) when it cannot be. */
static char *
decode_value (TesoroVcardReader *self,
              const Property    *prop)
{
  const char *encoding = get_param (prop, "ENCODING");
  const char *charset = get_param (prop, "CHARSET");
  g_autoptr(GString) bytes = NULL;
  gboolean transformed = FALSE;
  const char *end = NULL;

  if (encoding != NULL && g_ascii_strcasecmp (encoding, "QUOTED-PRINTABLE") == 0)
    {
      bytes = decode_quoted_printable (prop->value, prop->value_len);
      transformed = TRUE;
    }
  else if (encoding != NULL && (g_ascii_strcasecmp (encoding, "B") == 0 ||
                                g_ascii_strcasecmp (encoding, "BASE64") == 0))
    {
      g_autofree char *copy = g_strndup (prop->value, prop->value_len);
      gsize decoded_len = 0;
      guchar *decoded = g_base64_decode (copy, &decoded_len);

      bytes = g_string_new_len ((const char *) decoded, decoded_len);
      g_free (decoded);
      transformed = TRUE;
    }
  else
    bytes = g_string_new_len (prop->value, prop->value_len);

  if (memchr (bytes->str, '\0', bytes->len) != NULL)
    {
      card_fail (self, _("%s, line %u: the %s value contains a NUL byte"),
                 self->display_name, line_u (self->logical_line), prop->name);
      return NULL;
    }

  /* Text the reader already converted is UTF-8 whatever CHARSET says. */
  if (!transformed && !tesoro_text_reader_is_raw (self->text))
    return g_string_free (g_steal_pointer (&bytes), FALSE);

  if (charset == NULL || is_charset (charset, "UTF-8") || is_charset (charset, "UTF8"))
    {
      if (g_utf8_validate_len (bytes->str, bytes->len, &end))
        return g_string_free (g_steal_pointer (&bytes), FALSE);

      /* Declared UTF-8 (by CHARSET, or by vCard 4.0 itself) must be UTF-8. */
      if (charset != NULL || self->card->version == TESORO_VCARD_VERSION_4_0)
        {
          guint64 line = self->logical_line;
          guint column = 0;

          if (!transformed)
            locate (self, prop->value_offset + (gsize) (end - bytes->str), &line, &column);

          if (column > 0)
            card_fail (self, _("%s, line %u, column %u: the %s value is not valid UTF-8 although the card says it is; choose the file’s real encoding (for example Windows-1252)"),
                       self->display_name, line_u (line), column, prop->name);
          else
            card_fail (self, _("%s, line %u: the %s value is not valid UTF-8 although the card says it is"),
                       self->display_name, line_u (line), prop->name);
          return NULL;
        }

      /* Older cards without a CHARSET are in the sender's 8-bit code page. */
      return tesoro_text_encoding_windows_1252_to_utf8 (bytes->str, bytes->len, NULL);
    }

  if (is_charset (charset, "WINDOWS-1252") || is_charset (charset, "CP1252") ||
      is_charset (charset, "ISO-8859-1") || is_charset (charset, "ISO8859-1") ||
      is_charset (charset, "LATIN1") || is_charset (charset, "US-ASCII") ||
      is_charset (charset, "ASCII"))
    return tesoro_text_encoding_windows_1252_to_utf8 (bytes->str, bytes->len, NULL);

  {
    g_autoptr(GError) local_error = NULL;
    gsize converted_len = 0;
    char *converted = g_convert (bytes->str, bytes->len, "UTF-8", charset, NULL,
                                 &converted_len, &local_error);

    if (converted != NULL && memchr (converted, '\0', converted_len) == NULL)
      return converted;
    g_free (converted);

    g_autofree char *shown = tesoro_text_excerpt (charset, -1, 40);

    card_warn (self, self->logical_line,
               _("the character set “%s” of %s is unknown or does not fit the text; read as %s"),
               shown, prop->name,
               g_utf8_validate_len (bytes->str, bytes->len, NULL) ? "UTF-8" : "Windows-1252");
    if (g_utf8_validate_len (bytes->str, bytes->len, NULL))
      return g_string_free (g_steal_pointer (&bytes), FALSE);
    return tesoro_text_encoding_windows_1252_to_utf8 (bytes->str, bytes->len, NULL);
  }
}

/* Undoes text escapes: \\ \, \; \: and \n (or \N) for a line break. */
static char *
unescape (const char *text,
          gsize       length)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '\\' && i + 1 < length)
        {
          char next = text[++i];

          if (next == 'n' || next == 'N')
            g_string_append_c (out, '\n');
          else
            g_string_append_c (out, next);
        }
      else
        g_string_append_c (out, text[i]);
    }

  return g_string_free (out, FALSE);
}

/* Splits @text at @separator where it is not escaped, leaving escapes in
 * the pieces. */
static GPtrArray *
split_escaped (const char *text,
               char        separator)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == separator)
        {
          g_ptr_array_add (parts, g_strndup (start, p - start));
          start = p + 1;
        }
    }
  g_ptr_array_add (parts, g_strndup (start, p - start));

  return parts;
}

/* A component of a structured value, its list items (separated by
 * unescaped commas) unescaped and joined with @joiner. */
static char *
component_text (TesoroVcardReader *self,
                GPtrArray         *components,
                guint              index,
                const char        *joiner)
{
  g_autoptr(GPtrArray) items = NULL;
  GString *out;

  if (index >= components->len)
    return g_strdup ("");

  /* vCard 2.1 has no lists inside components: a comma is a comma. */
  if (self->card->version == TESORO_VCARD_VERSION_2_1)
    return unescape (components->pdata[index], strlen (components->pdata[index]));

  items = split_escaped (components->pdata[index], ',');
  out = g_string_new (NULL);
  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *item = unescape (items->pdata[i], strlen (items->pdata[i]));

      if (*item == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, joiner);
      g_string_append (out, item);
    }

  return g_string_free (out, FALSE);
}

static char *
text_value (const char *decoded)
{
  return unescape (decoded, strlen (decoded));
}

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

static void
add_extra (TesoroVcardReader *self,
           const char        *name,
           const char        *value)
{
  if (has_text (value))
    g_ptr_array_add (self->card->extra, tesoro_custom_value_new (name, value));
}

/* The label Tesoro uses for a property's TYPE parameters. */
static char *
label_for (const Property *prop,
           gboolean        phone)
{
  const char *own = get_param (prop, "X-TESORO-LABEL");

  if (own != NULL)
    return g_strdup (own);

  if (phone)
    {
      if (has_type (prop, "cell") || has_type (prop, "mobile") || has_type (prop, "iphone"))
        return g_strdup ("mobile");
      if (has_type (prop, "fax"))
        return g_strdup ("fax");
      if (has_type (prop, "pager"))
        return g_strdup ("pager");
    }
  if (has_type (prop, "work"))
    return g_strdup ("work");
  if (has_type (prop, "home"))
    return g_strdup ("home");
  if (phone && has_type (prop, "main"))
    return g_strdup ("main");
  if (has_type (prop, "other"))
    return g_strdup ("other");

  return g_strdup ("");
}

/* The preference rank: PREF=n (vCard 4.0), TYPE=pref or a bare PREF (older). */
static guint
rank_for (const Property *prop)
{
  const char *pref = get_param (prop, "PREF");

  if (pref != NULL)
    {
      guint64 n = 0;

      if (g_ascii_string_to_unsigned (pref, 10, 1, 100, &n, NULL))
        return (guint) n;
      return 100;
    }

  return has_type (prop, "pref") ? 1 : NO_RANK;
}

static void
remember_group (TesoroVcardReader *self,
                const Property    *prop,
                char             **label)
{
  GroupRef *ref;

  if (prop->group == NULL)
    return;

  if (self->group_refs == NULL)
    self->group_refs = g_ptr_array_new_with_free_func ((GDestroyNotify) group_ref_free);
  ref = g_new0 (GroupRef, 1);
  ref->label = label;
  ref->group = g_ascii_strdown (prop->group, -1);
  g_ptr_array_add (self->group_refs, ref);
}

/* Apple writes its labels as item1.X-ABLabel:_$!<Mobile>!$_ or as the
 * user's own word. */
static char *
apple_label (const char *text)
{
  if (g_str_has_prefix (text, "_$!<") && g_str_has_suffix (text, ">!$_") && strlen (text) >= 8)
    {
      g_autofree char *inner = g_strndup (text + 4, strlen (text) - 8);
      char *down = g_ascii_strdown (inner, -1);

      if (g_str_equal (down, "mobile") || g_str_equal (down, "iphone"))
        {
          g_free (down);
          return g_strdup ("mobile");
        }
      if (g_str_has_suffix (down, "fax"))
        {
          g_free (down);
          return g_strdup ("fax");
        }
      return down;
    }

  return g_strdup (text);
}

/* 2024-03-01, 20240301, 1985-04-12T00:00:00Z → 2024-03-01; a birthday
 * without a year (--0312, --03-12) → --03-12 with *no_year set. */
static char *
parse_date (const char *text,
            gboolean   *no_year)
{
  g_autofree char *date = NULL;
  const char *t;
  gsize len;

  *no_year = FALSE;
  t = strchr (text, 'T');
  date = t != NULL ? g_strndup (text, t - text) : g_strdup (text);
  g_strstrip (date);
  len = strlen (date);

  if (len == 10 && tesoro_is_valid_date (date))
    return g_steal_pointer (&date);

  if (len == 8 && strspn (date, "0123456789") == 8)
    {
      g_autofree char *iso = g_strdup_printf ("%.4s-%.2s-%.2s", date, date + 4, date + 6);
      if (tesoro_is_valid_date (iso))
        return g_steal_pointer (&iso);
      return NULL;
    }

  if (g_str_has_prefix (date, "--"))
    {
      char mm[3] = { 0 }, dd[3] = { 0 };

      if (len == 6 && strspn (date + 2, "0123456789") == 4)
        {
          memcpy (mm, date + 2, 2);
          memcpy (dd, date + 4, 2);
        }
      else if (len == 7 && date[4] == '-' && g_ascii_isdigit (date[2]) && g_ascii_isdigit (date[3]) &&
               g_ascii_isdigit (date[5]) && g_ascii_isdigit (date[6]))
        {
          memcpy (mm, date + 2, 2);
          memcpy (dd, date + 5, 2);
        }
      else
        return NULL;

      /* 2000 is a leap year: 29 February is a valid birthday. */
      if (!g_date_valid_dmy (atoi (dd), atoi (mm), 2000))
        return NULL;
      *no_year = TRUE;
      return g_strdup_printf ("--%s-%s", mm, dd);
    }

  return NULL;
}

/* REV: 20240301T140500Z, 2024-03-01T14:05:00Z, 2024-03-01 → Tesoro's
 * 2024-03-01T14:05:00Z. */
static char *
parse_timestamp (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  GString *iso;
  gsize len = strlen (copy);

  if (len == 0 || len > 40)
    return NULL;

  if (strchr (copy, '-') != NULL || strchr (copy, ':') != NULL)
    {
      if (len == 10)
        {
          g_autofree char *midnight = g_strconcat (copy, "T00:00:00Z", NULL);
          return tesoro_normalize_timestamp (midnight, FALSE, NULL);
        }
      return tesoro_normalize_timestamp (copy, FALSE, NULL);
    }

  /* The basic format: insert the separators. */
  if (len < 8 || strspn (copy, "0123456789") < 8)
    return NULL;
  iso = g_string_new (NULL);
  g_string_append_printf (iso, "%.4s-%.2s-%.2s", copy, copy + 4, copy + 6);
  if (len == 8)
    g_string_append (iso, "T00:00:00Z");
  else if (copy[8] == 'T' && len >= 15 && strspn (copy + 9, "0123456789") >= 6)
    {
      g_string_append_printf (iso, "T%.2s:%.2s:%.2s", copy + 9, copy + 11, copy + 13);
      g_string_append (iso, copy + 15);
      if (len == 15)
        g_string_append_c (iso, 'Z');
    }
  else
    {
      g_string_free (iso, TRUE);
      return NULL;
    }

  {
    char *result = tesoro_normalize_timestamp (iso->str, FALSE, NULL);
    g_string_free (iso, TRUE);
    return result;
  }
}

/* Removes a "tel:" URI's scheme and percent-escapes. */
static char *
phone_from_uri (const char *value)
{
  const char *number = value;
  g_autofree char *unescaped = NULL;

  if (g_ascii_strncasecmp (value, "tel:", 4) == 0)
    number = value + 4;

  unescaped = g_uri_unescape_string (number, NULL);
  if (unescaped != NULL && g_utf8_validate (unescaped, -1, NULL))
    return g_steal_pointer (&unescaped);

  return g_strdup (number);
}

static void
apply_property (TesoroVcardReader *self,
                Property          *prop)
{
  TesoroContact *contact = self->card->contact;
  g_autofree char *decoded = NULL;
  const char *name = prop->name;
  guint64 line = self->logical_line;

  if (g_str_equal (name, "BEGIN") || g_str_equal (name, "END") || g_str_equal (name, "PRODID") ||
      g_str_equal (name, "LABEL") || g_strv_contains (binary_properties, name))
    return;

  decoded = decode_value (self, prop);
  if (decoded == NULL)
    return;

  if (g_str_equal (name, "VERSION"))
    {
      g_autofree char *version = g_strstrip (g_strdup (decoded));

      if (!tesoro_vcard_version_from_string (version, &self->card->version, NULL))
        {
          g_autofree char *shown = tesoro_text_excerpt (version, -1, 10);
          card_warn (self, line, _("unknown vCard version “%s”; read as 3.0"), shown);
        }
    }
  else if (g_str_equal (name, "FN"))
    {
      g_autofree char *fn = text_value (decoded);
      tesoro_contact_set_display_name (contact, fn);
    }
  else if (g_str_equal (name, "N"))
    {
      g_autoptr(GPtrArray) parts = split_escaped (decoded, ';');
      g_autofree char *family = component_text (self, parts, 0, " ");
      g_autofree char *given = component_text (self, parts, 1, " ");
      g_autofree char *additional = component_text (self, parts, 2, " ");

      /* A lowercase "additional name" is a surname prefix ("van der")
       * put in the wrong box; a real middle name is capitalised. */
      if (*additional != '\0')
        {
          g_autofree char *down = g_utf8_strdown (additional, -1);

          if (g_str_equal (down, additional))
            {
              char *joined = *family != '\0' ? g_strjoin (" ", additional, family, NULL) : g_strdup (additional);
              g_free (family);
              family = joined;
            }
          else
            {
              char *joined = *given != '\0' ? g_strjoin (" ", given, additional, NULL) : g_strdup (additional);
              g_free (given);
              given = joined;
            }
        }

      tesoro_contact_set_family_name (contact, family);
      tesoro_contact_set_given_name (contact, given);
    }
  else if (g_str_equal (name, "ORG"))
    {
      g_autoptr(GPtrArray) parts = split_escaped (decoded, ';');
      g_autofree char *org = component_text (self, parts, 0, ", ");
      g_autofree char *department = component_text (self, parts, 1, ", ");

      tesoro_contact_set_organization (contact, org);
      add_extra (self, "DEPARTMENT", department);
    }
  else if (g_str_equal (name, "TITLE"))
    {
      g_autofree char *title = text_value (decoded);
      tesoro_contact_set_job_title (contact, title);
    }
  else if (g_str_equal (name, "EMAIL"))
    {
      g_autofree char *value = g_strstrip (text_value (decoded));
      g_autofree char *label = NULL;
      TesoroDetail *detail;
      guint rank;

      if (*value == '\0')
        {
          card_warn (self, line, _("an empty e-mail address was left out"));
          return;
        }
      label = label_for (prop, FALSE);
      tesoro_contact_add_email (contact, label, value, FALSE);
      detail = g_ptr_array_index (tesoro_contact_get_emails (contact),
                                  tesoro_contact_get_emails (contact)->len - 1);
      rank = rank_for (prop);
      g_array_append_val (self->email_ranks, rank);
      remember_group (self, prop, &detail->label);
    }
  else if (g_str_equal (name, "TEL"))
    {
      g_autofree char *value = NULL;
      g_autofree char *label = NULL;
      const char *value_type = get_param (prop, "VALUE");
      TesoroDetail *detail;
      guint rank;

      if (value_type != NULL ? g_ascii_strcasecmp (value_type, "uri") == 0 :
                               g_ascii_strncasecmp (decoded, "tel:", 4) == 0)
        value = phone_from_uri (decoded);
      else
        value = text_value (decoded);
      g_strstrip (value);
      if (*value == '\0')
        {
          card_warn (self, line, _("an empty phone number was left out"));
          return;
        }
      label = label_for (prop, TRUE);
      tesoro_contact_add_phone (contact, label, value, FALSE);
      detail = g_ptr_array_index (tesoro_contact_get_phones (contact),
                                  tesoro_contact_get_phones (contact)->len - 1);
      rank = rank_for (prop);
      g_array_append_val (self->phone_ranks, rank);
      remember_group (self, prop, &detail->label);
    }
  else if (g_str_equal (name, "ADR"))
    {
      g_autoptr(GPtrArray) parts = split_escaped (decoded, ';');
      g_autoptr(TesoroAddress) address = tesoro_address_new ();
      g_autofree char *po_box = component_text (self, parts, 0, ", ");
      g_autofree char *extended = component_text (self, parts, 1, ", ");
      g_autofree char *street = component_text (self, parts, 2, ", ");
      GString *lines = g_string_new (street);

      if (*extended != '\0')
        g_string_append_printf (lines, "%s%s", lines->len > 0 ? "\n" : "", extended);
      if (*po_box != '\0')
        g_string_append_printf (lines, "%s%s", lines->len > 0 ? "\n" : "", po_box);

      address->label = label_for (prop, FALSE);
      address->street = g_string_free (lines, FALSE);
      address->city = component_text (self, parts, 3, " ");
      address->region = component_text (self, parts, 4, " ");
      address->postal_code = component_text (self, parts, 5, " ");
      address->country = component_text (self, parts, 6, " ");

      if (tesoro_address_is_empty (address))
        {
          card_warn (self, line, _("an empty address was left out"));
          return;
        }
      remember_group (self, prop, &address->label);
      g_ptr_array_add (tesoro_contact_get_addresses (contact), g_steal_pointer (&address));
    }
  else if (g_str_equal (name, "BDAY"))
    {
      g_autofree char *text = text_value (decoded);
      const char *omit_year = get_param (prop, "X-APPLE-OMIT-YEAR");
      gboolean no_year = FALSE;
      g_autofree char *date = parse_date (text, &no_year);

      /* Apple marks a birthday without a year with a made-up year. */
      if (date != NULL && !no_year && omit_year != NULL && g_str_has_prefix (date, omit_year) &&
          strlen (omit_year) == 4)
        {
          char *short_date = g_strdup_printf ("--%s", date + 5);
          g_free (date);
          date = short_date;
          no_year = TRUE;
        }

      if (date == NULL)
        {
          g_autofree char *shown = tesoro_text_excerpt (text, -1, 40);

          card_warn (self, line, _("the birthday “%s” is not a date Tesoro can read; it was kept as BDAY"), shown);
          add_extra (self, "BDAY", text);
        }
      else if (no_year)
        {
          card_warn (self, line, _("the birthday %s has no year, and Tesoro stores only full dates; it was kept as BDAY"), date);
          add_extra (self, "BDAY", date);
        }
      else
        tesoro_contact_set_birthday (contact, date);
    }
  else if (g_str_equal (name, "NOTE"))
    {
      g_autoptr(TesoroNote) note = tesoro_note_new ();
      const char *created = get_param (prop, "X-TESORO-CREATED");

      note->body = text_value (decoded);
      if (created != NULL)
        note->created_at = tesoro_normalize_timestamp (created, FALSE, NULL);
      if (*note->body != '\0')
        g_ptr_array_add (tesoro_contact_get_notes (contact), g_steal_pointer (&note));
    }
  else if (g_str_equal (name, "CATEGORIES"))
    {
      g_autoptr(GPtrArray) items = split_escaped (decoded, ',');

      for (guint i = 0; i < items->len; i++)
        {
          g_autofree char *tag = g_strstrip (text_value (items->pdata[i]));

          if (*tag != '\0' && !tesoro_contact_has_tag (contact, tag))
            g_ptr_array_add (tesoro_contact_get_tags (contact), g_steal_pointer (&tag));
        }
    }
  else if (g_str_equal (name, "UID"))
    {
      g_autofree char *text = g_strstrip (text_value (decoded));
      const char *uuid = text;

      if (g_ascii_strncasecmp (uuid, "urn:uuid:", 9) == 0)
        uuid += 9;
      if (tesoro_is_valid_uid (uuid))
        {
          g_autofree char *down = g_ascii_strdown (uuid, -1);
          tesoro_contact_set_uid (contact, down);
        }
      else
        add_extra (self, "UID", text);
    }
  else if (g_str_equal (name, "REV"))
    {
      g_autofree char *text = text_value (decoded);
      g_autofree char *iso = parse_timestamp (text);

      if (iso != NULL)
        tesoro_contact_set_updated_at (contact, iso);
      else
        {
          g_autofree char *shown = tesoro_text_excerpt (text, -1, 40);
          card_warn (self, line, _("the revision date “%s” is not a timestamp; it was left out"), shown);
        }
    }
  else if (g_str_equal (name, "X-ABLABEL"))
    {
      g_autofree char *text = text_value (decoded);

      if (prop->group != NULL && *text != '\0')
        {
          if (self->group_labels == NULL)
            self->group_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_replace (self->group_labels, g_ascii_strdown (prop->group, -1), apple_label (text));
        }
    }
  else if (g_str_equal (name, "X-TESORO-CUSTOM"))
    {
      const char *field = get_param (prop, "X-FIELD");
      g_autofree char *text = text_value (decoded);

      if (has_text (field))
        tesoro_contact_set_custom_value (contact, field, text);
      else
        add_extra (self, name, text);
    }
  else if (g_str_equal (name, "AGENT"))
    {
      /* vCard 2.1 may put a whole vCard in AGENT, on the lines that follow. */
      self->agent_pending = prop->value_len == 0;
    }
  else
    {
      g_autofree char *text = text_value (decoded);
      add_extra (self, name, text);
    }
}

/* Marks as primary the most preferred detail, if any is. */
static void
apply_ranks (GPtrArray *details,
             GArray    *ranks)
{
  guint best = NO_RANK;
  guint best_index = 0;

  for (guint i = 0; i < ranks->len && i < details->len; i++)
    {
      guint rank = g_array_index (ranks, guint, i);
      if (rank < best)
        {
          best = rank;
          best_index = i;
        }
    }

  if (best != NO_RANK)
    ((TesoroDetail *) details->pdata[best_index])->primary = TRUE;
}

static void
card_begin (TesoroVcardReader *self,
            guint64            line)
{
  card_reset (self);
  self->card = g_new0 (TesoroVcardCard, 1);
  self->card->contact = tesoro_contact_new ();
  self->card->line = line;
  self->card->version = TESORO_VCARD_VERSION_3_0;
  self->card->warnings = g_ptr_array_new_with_free_func (g_free);
  self->card->extra = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_custom_value_free);
  self->email_ranks = g_array_new (FALSE, FALSE, sizeof (guint));
  self->phone_ranks = g_array_new (FALSE, FALSE, sizeof (guint));
  self->last_line = line;
}

static TesoroVcardCard *
card_finish (TesoroVcardReader *self,
             guint64            end_line)
{
  TesoroVcardCard *card = g_steal_pointer (&self->card);

  card->end_line = end_line;

  if (self->group_refs != NULL && self->group_labels != NULL)
    for (guint i = 0; i < self->group_refs->len; i++)
      {
        GroupRef *ref = self->group_refs->pdata[i];
        const char *label = g_hash_table_lookup (self->group_labels, ref->group);

        if (label != NULL)
          tesoro_set_str (ref->label, label);
      }

  apply_ranks (tesoro_contact_get_emails (card->contact), self->email_ranks);
  apply_ranks (tesoro_contact_get_phones (card->contact), self->phone_ranks);

  if (self->n_warnings > TESORO_VCARD_MAX_WARNINGS)
    g_ptr_array_add (card->warnings,
                     g_strdup_printf (_("%s, line %u: %u more problems in this card"),
                                      self->display_name, line_u (card->line),
                                      self->n_warnings - TESORO_VCARD_MAX_WARNINGS));

  card_reset (self);

  return card;
}

static gboolean
is_line (const char *line,
         gsize       length,
         const char *keyword)
{
  gsize n = strlen (keyword);

  /* Trailing spaces are common enough to forgive. */
  while (length > 0 && (line[length - 1] == ' ' || line[length - 1] == '\t'))
    length--;

  return length == n && g_ascii_strncasecmp (line, keyword, n) == 0;
}

/* Skips a vCard nested in a vCard 2.1 AGENT property, up to its END:VCARD. */
static void
skip_nested (TesoroVcardReader *self,
             GCancellable      *cancellable)
{
  guint depth = 1;

  while (depth > 0 && read_logical (self, cancellable))
    {
      if (is_line (self->logical->str, self->logical->len, "BEGIN:VCARD"))
        depth++;
      else if (is_line (self->logical->str, self->logical->len, "END:VCARD"))
        depth--;
    }
}

/**
 * tesoro_vcard_reader_next:
 * @self: a #TesoroVcardReader
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the next card. A problem in one card (a value that is not valid
 * UTF-8, a line that is too long, text where a card should begin) is an
 * error naming the line, after which tesoro_vcard_reader_can_continue()
 * is %TRUE and the next call reads the next card. A card without END:VCARD
 * at the end of the file, invalid text in the file's encoding and read
 * errors are final.
 *
 * Returns: (transfer full) (nullable): the card, or %NULL at the end of the
 * file (with @error unset) or on an error
 */
TesoroVcardCard *
tesoro_vcard_reader_next (TesoroVcardReader  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  guint64 garbage_line = 0;

  g_return_val_if_fail (self != NULL, NULL);

  self->can_continue = FALSE;

  if (self->pending_begin)
    {
      self->pending_begin = FALSE;
      card_begin (self, self->pending_begin_line);
    }

  while (read_logical (self, cancellable))
    {
      const char *text = self->logical->str;
      gsize len = self->logical->len;
      Property prop;

      if (self->card == NULL)
        {
          if (is_line (text, len, "BEGIN:VCARD"))
            {
              if (garbage_line > 0)
                {
                  self->pending_begin = TRUE;
                  self->pending_begin_line = self->logical_line;
                  break;
                }
              card_begin (self, self->logical_line);
            }
          else if (len > 0 && !is_line (text, len, "") && garbage_line == 0)
            garbage_line = self->logical_line;
          continue;
        }

      if (is_line (text, len, "END:VCARD"))
        {
          if (self->card_error != NULL)
            {
              self->last_line = self->card->line;
              g_propagate_error (error, g_steal_pointer (&self->card_error));
              card_reset (self);
              self->can_continue = TRUE;
              return NULL;
            }
          return card_finish (self, self->logical_line);
        }

      if (is_line (text, len, "BEGIN:VCARD"))
        {
          if (self->agent_pending && self->card->version == TESORO_VCARD_VERSION_2_1)
            {
              self->agent_pending = FALSE;
              skip_nested (self, cancellable);
              continue;
            }

          /* The card before this one was never closed. */
          if (self->card_error == NULL)
            card_fail (self, _("%s, line %u: the vCard that starts here has no END:VCARD before the next BEGIN:VCARD (line %u)"),
                       self->display_name, line_u (self->card->line), line_u (self->logical_line));
          self->last_line = self->card->line;
          self->pending_begin = TRUE;
          self->pending_begin_line = self->logical_line;
          g_propagate_error (error, g_steal_pointer (&self->card_error));
          card_reset (self);
          self->can_continue = TRUE;
          return NULL;
        }

      self->agent_pending = FALSE;

      if (self->card_error != NULL || len == 0 || is_line (text, len, ""))
        continue;

      if (++self->n_properties > TESORO_VCARD_MAX_PROPERTIES)
        {
          card_fail (self, _("%s, line %u: the vCard that starts on line %u has more than %u properties; the file may be damaged"),
                     self->display_name, line_u (self->logical_line), line_u (self->card->line),
                     TESORO_VCARD_MAX_PROPERTIES);
          continue;
        }
      self->card_bytes += len;
      if (self->card_bytes > TESORO_VCARD_MAX_CARD_BYTES)
        {
          g_autofree char *limit = g_format_size (TESORO_VCARD_MAX_CARD_BYTES);
          card_fail (self, _("%s, line %u: the vCard that starts on line %u is larger than %s; the file may be damaged"),
                     self->display_name, line_u (self->logical_line), line_u (self->card->line), limit);
          continue;
        }

      if (self->logical_overlong)
        {
          g_autofree char *limit = g_format_size (TESORO_VCARD_MAX_LINE_BYTES);
          card_fail (self, _("%s, line %u: the property is longer than %s; the file may be damaged"),
                     self->display_name, line_u (self->logical_line), limit);
          continue;
        }

      if (!parse_property (text, len, &prop))
        {
          /* A line that is no property: say so, read on. */
          g_autofree char *shown = tesoro_text_excerpt (text, len, 30);

          card_warn (self, self->logical_line, _("“%s” is not a vCard property; it was left out"), shown);
          property_clear (&prop);
          continue;
        }

      apply_property (self, &prop);
      property_clear (&prop);
    }

  if (self->fatal != NULL)
    {
      g_propagate_error (error, g_error_copy (self->fatal));
      return NULL;
    }

  if (garbage_line > 0)
    {
      self->last_line = garbage_line;
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s, line %u: expected BEGIN:VCARD; this is not a vCard, or the text before the next card is damaged"),
                   self->display_name, line_u (garbage_line));
      self->can_continue = self->pending_begin;
      return NULL;
    }

  if (self->card != NULL)
    {
      self->last_line = self->card->line;
      g_set_error (&self->fatal, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("%s, line %u: the vCard that starts here has no END:VCARD; the file ends at line %u and may be truncated"),
                   self->display_name, line_u (self->card->line), line_u (self->line > 1 ? self->line - 1 : 1));
      card_reset (self);
      g_propagate_error (error, g_error_copy (self->fatal));
      return NULL;
    }

  return NULL;
}

/**
 * tesoro_vcard_reader_can_continue:
 *
 * Returns: whether the error of the last tesoro_vcard_reader_next()
 * concerned that card only, so that reading can go on
 */
gboolean
tesoro_vcard_reader_can_continue (TesoroVcardReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->can_continue;
}

/**
 * tesoro_vcard_reader_get_line:
 *
 * Returns: the line where the last card read (or refused) starts
 */
guint64
tesoro_vcard_reader_get_line (TesoroVcardReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->last_line;
}

TesoroTextEncoding
tesoro_vcard_reader_get_encoding (TesoroVcardReader *self)
{
  g_return_val_if_fail (self != NULL, TESORO_TEXT_ENCODING_AUTO);
  return tesoro_text_reader_get_encoding (self->text);
}

guint64
tesoro_vcard_reader_get_bytes_read (TesoroVcardReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return tesoro_text_reader_get_bytes_read (self->text);
}

/* Writing */

/* Appends text escaped for a vCard value: backslash, comma, semicolon and
 * line breaks (CR LF, CR or LF all become \n). */
static void
append_escaped (GString    *out,
                const char *text)
{
  if (text == NULL)
    return;

  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\': g_string_append (out, "\\\\"); break;
        case ',': g_string_append (out, "\\,"); break;
        case ';': g_string_append (out, "\\;"); break;
        case '\r':
          if (p[1] == '\n')
            p++;
          G_GNUC_FALLTHROUGH;
        case '\n': g_string_append (out, "\\n"); break;
        default: g_string_append_c (out, *p); break;
        }
    }
}

/* Appends a parameter value in quotes, RFC 6868-encoded. */
static void
append_param_value (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '^': g_string_append (out, "^^"); break;
        case '"': g_string_append (out, "^'"); break;
        case '\r':
          if (p[1] == '\n')
            p++;
          G_GNUC_FALLTHROUGH;
        case '\n': g_string_append (out, "^n"); break;
        default:
          if ((guchar) *p >= 0x20 || *p == '\t')
            g_string_append_c (out, *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

/* Writes one content line folded at 75 octets, never inside a UTF-8
 * character, ending in CR LF. */
static void
append_folded (GString    *out,
               const char *line,
               gsize       length)
{
  gsize pos = 0;
  gsize room = FOLD_OCTETS;

  while (length - pos > room)
    {
      gsize cut = pos + room;

      while (cut > pos && ((guint8) line[cut] & 0xC0) == 0x80)
        cut--;
      if (cut == pos)
        cut = pos + room;
      g_string_append_len (out, line + pos, cut - pos);
      g_string_append (out, "\r\n ");
      pos = cut;
      room = FOLD_OCTETS - 1;
    }

  g_string_append_len (out, line + pos, length - pos);
  g_string_append (out, "\r\n");
}

static void
end_line (GString *out,
          GString *line)
{
  append_folded (out, line->str, line->len);
  g_string_truncate (line, 0);
}

static const char *
email_type (const char *label)
{
  if (g_strcmp0 (label, "work") == 0)
    return "work";
  if (g_strcmp0 (label, "home") == 0)
    return "home";
  return NULL;
}

static const char *
phone_type (const char *label)
{
  if (g_strcmp0 (label, "mobile") == 0)
    return "cell";
  if (g_strcmp0 (label, "fax") == 0)
    return "fax";
  if (g_strcmp0 (label, "pager") == 0)
    return "pager";
  return email_type (label);
}

/* TYPE for a known label, X-TESORO-LABEL for any other, and the
 * preference: PREF=1 in 4.0, TYPE=pref before. */
static void
append_label_params (GString            *line,
                     const char         *label,
                     const char         *type,
                     gboolean            primary,
                     TesoroVcardVersion  version)
{
  if (type != NULL)
    {
      g_string_append_printf (line, ";TYPE=%s", type);
      if (primary && version < TESORO_VCARD_VERSION_4_0)
        g_string_append (line, ",pref");
    }
  else
    {
      if (has_text (label))
        {
          g_string_append (line, ";X-TESORO-LABEL=");
          append_param_value (line, label);
        }
      if (primary && version < TESORO_VCARD_VERSION_4_0)
        g_string_append (line, ";TYPE=pref");
    }

  if (primary && version >= TESORO_VCARD_VERSION_4_0)
    g_string_append (line, ";PREF=1");
}

/* Whether a phone number can be written as a tel: URI as it is. */
static gboolean
is_tel_uri_safe (const char *number)
{
  if (!has_text (number))
    return FALSE;
  for (const char *p = number; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr ("+-.()*#", *p) == NULL)
      return FALSE;
  return TRUE;
}

static char *
compact_timestamp (const char *iso)
{
  GString *out = g_string_new (NULL);

  for (const char *p = iso; *p != '\0'; p++)
    if (*p != '-' && *p != ':')
      g_string_append_c (out, *p);

  return g_string_free (out, FALSE);
}

/**
 * tesoro_vcard_append_contact:
 * @out: where to append
 * @contact: the contact
 * @version: %TESORO_VCARD_VERSION_4_0 or %TESORO_VCARD_VERSION_3_0
 *
 * Appends @contact as one vCard: UID, FN, N, ORG, TITLE, EMAIL, TEL, ADR,
 * BDAY, CATEGORIES (the tags), NOTE (each note), X-TESORO-CUSTOM (each
 * custom field) and REV (updated_at), escaped and folded. Labels other
 * than work/home/mobile/fax/pager travel as X-TESORO-LABEL, so that
 * Tesoro reads back exactly what it wrote. Line breaks in values are
 * written as \n and come back as LF.
 */
void
tesoro_vcard_append_contact (GString            *out,
                             TesoroContact      *contact,
                             TesoroVcardVersion  version)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *fn = NULL;
  const char *value;
  GPtrArray *array;

  g_return_if_fail (out != NULL);
  g_return_if_fail (TESORO_IS_CONTACT (contact));
  g_return_if_fail (version == TESORO_VCARD_VERSION_3_0 || version == TESORO_VCARD_VERSION_4_0);

  g_string_append (out, "BEGIN:VCARD\r\n");
  g_string_append_printf (out, "VERSION:%s\r\n", tesoro_vcard_version_to_string (version));

  value = tesoro_contact_get_uid (contact);
  if (has_text (value))
    {
      g_string_append (line, "UID:urn:uuid:");
      g_string_append (line, value);
      end_line (out, line);
    }

  fn = tesoro_contact_dup_best_name (contact);
  g_string_append (line, "FN:");
  append_escaped (line, fn);
  end_line (out, line);

  g_string_append (line, "N:");
  append_escaped (line, tesoro_contact_get_family_name (contact));
  g_string_append_c (line, ';');
  append_escaped (line, tesoro_contact_get_given_name (contact));
  g_string_append (line, ";;;");
  end_line (out, line);

  value = tesoro_contact_get_organization (contact);
  if (has_text (value))
    {
      g_string_append (line, "ORG:");
      append_escaped (line, value);
      end_line (out, line);
    }

  value = tesoro_contact_get_job_title (contact);
  if (has_text (value))
    {
      g_string_append (line, "TITLE:");
      append_escaped (line, value);
      end_line (out, line);
    }

  array = tesoro_contact_get_emails (contact);
  for (guint i = 0; i < array->len; i++)
    {
      const TesoroDetail *d = array->pdata[i];

      g_string_append (line, "EMAIL");
      append_label_params (line, d->label, email_type (d->label), d->primary, version);
      g_string_append_c (line, ':');
      append_escaped (line, d->value);
      end_line (out, line);
    }

  array = tesoro_contact_get_phones (contact);
  for (guint i = 0; i < array->len; i++)
    {
      const TesoroDetail *d = array->pdata[i];
      gboolean uri = version >= TESORO_VCARD_VERSION_4_0 && is_tel_uri_safe (d->value);

      g_string_append (line, "TEL");
      /* A number that looks like a URI must say it is text to come back
       * as it was. */
      if (version >= TESORO_VCARD_VERSION_4_0)
        g_string_append (line, uri ? ";VALUE=uri" : ";VALUE=text");
      else if (g_ascii_strncasecmp (d->value, "tel:", 4) == 0)
        g_string_append (line, ";VALUE=text");
      append_label_params (line, d->label, phone_type (d->label), d->primary, version);
      g_string_append_c (line, ':');
      if (uri)
        {
          g_string_append (line, "tel:");
          g_string_append (line, d->value);
        }
      else
        append_escaped (line, d->value);
      end_line (out, line);
    }

  array = tesoro_contact_get_addresses (contact);
  for (guint i = 0; i < array->len; i++)
    {
      const TesoroAddress *a = array->pdata[i];

      g_string_append (line, "ADR");
      append_label_params (line, a->label, email_type (a->label), FALSE, version);
      g_string_append (line, ":;;");
      append_escaped (line, a->street);
      g_string_append_c (line, ';');
      append_escaped (line, a->city);
      g_string_append_c (line, ';');
      append_escaped (line, a->region);
      g_string_append_c (line, ';');
      append_escaped (line, a->postal_code);
      g_string_append_c (line, ';');
      append_escaped (line, a->country);
      end_line (out, line);
    }

  value = tesoro_contact_get_birthday (contact);
  if (has_text (value) && tesoro_is_valid_date (value))
    {
      if (version >= TESORO_VCARD_VERSION_4_0)
        g_string_append_printf (line, "BDAY:%.4s%.2s%.2s", value, value + 5, value + 8);
      else
        g_string_append_printf (line, "BDAY:%s", value);
      end_line (out, line);
    }

  array = tesoro_contact_get_tags (contact);
  if (array->len > 0)
    {
      g_string_append (line, "CATEGORIES:");
      for (guint i = 0; i < array->len; i++)
        {
          if (i > 0)
            g_string_append_c (line, ',');
          append_escaped (line, array->pdata[i]);
        }
      end_line (out, line);
    }

  array = tesoro_contact_get_notes (contact);
  for (guint i = 0; i < array->len; i++)
    {
      const TesoroNote *note = array->pdata[i];

      if (!has_text (note->body))
        continue;
      g_string_append (line, "NOTE");
      if (has_text (note->created_at))
        {
          g_string_append (line, ";X-TESORO-CREATED=");
          append_param_value (line, note->created_at);
        }
      g_string_append_c (line, ':');
      append_escaped (line, note->body);
      end_line (out, line);
    }

  array = tesoro_contact_get_custom_values (contact);
  for (guint i = 0; i < array->len; i++)
    {
      const TesoroCustomValue *cv = array->pdata[i];

      if (!has_text (cv->name) || !has_text (cv->value))
        continue;
      g_string_append (line, "X-TESORO-CUSTOM;X-FIELD=");
      append_param_value (line, cv->name);
      g_string_append_c (line, ':');
      append_escaped (line, cv->value);
      end_line (out, line);
    }

  value = tesoro_contact_get_updated_at (contact);
  if (has_text (value))
    {
      g_autofree char *normalized = tesoro_normalize_timestamp (value, FALSE, NULL);

      if (normalized != NULL)
        {
          if (version >= TESORO_VCARD_VERSION_4_0)
            {
              g_autofree char *compact = compact_timestamp (normalized);
              g_string_append_printf (line, "REV:%s", compact);
            }
          else
            g_string_append_printf (line, "REV:%s", normalized);
          end_line (out, line);
        }
    }

  g_string_append (out, "END:VCARD\r\n");
}

/**
 * tesoro_vcard_contact_to_string:
 *
 * Returns: (transfer full): @contact as one vCard
 */
char *
tesoro_vcard_contact_to_string (TesoroContact      *contact,
                                TesoroVcardVersion  version)
{
  GString *out = g_string_new (NULL);

  tesoro_vcard_append_contact (out, contact, version);
  return g_string_free (out, FALSE);
}

struct _TesoroVcardWriter
{
  GOutputStream      *stream;
  TesoroVcardVersion  version;
  GString            *buffer;
};

/**
 * tesoro_vcard_writer_new:
 * @stream: where to write
 * @version: %TESORO_VCARD_VERSION_4_0 (the default elsewhere) or
 *   %TESORO_VCARD_VERSION_3_0
 *
 * Returns: (transfer full): a writer; call tesoro_vcard_writer_flush() at the end
 */
TesoroVcardWriter *
tesoro_vcard_writer_new (GOutputStream      *stream,
                         TesoroVcardVersion  version)
{
  TesoroVcardWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (version == TESORO_VCARD_VERSION_3_0 || version == TESORO_VCARD_VERSION_4_0, NULL);

  self = g_new0 (TesoroVcardWriter, 1);
  self->stream = g_object_ref (stream);
  self->version = version;
  self->buffer = g_string_sized_new (WRITE_BUFFER_SIZE + 4096);

  return self;
}

void
tesoro_vcard_writer_free (TesoroVcardWriter *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_string_free (self->buffer, TRUE);
  g_free (self);
}

static gboolean
vcard_write_out (TesoroVcardWriter  *self,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->buffer->len == 0)
    return TRUE;

  if (!g_output_stream_write_all (self->stream, self->buffer->str, self->buffer->len,
                                  NULL, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled"));
      else
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                     _("Could not write the vCard file: %s"), local_error->message);
      return FALSE;
    }

  g_string_truncate (self->buffer, 0);
  return TRUE;
}

/**
 * tesoro_vcard_writer_add:
 *
 * Writes @contact as one vCard.
 *
 * Returns: whether writing (of a full buffer) succeeded
 */
gboolean
tesoro_vcard_writer_add (TesoroVcardWriter  *self,
                         TesoroContact      *contact,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (TESORO_IS_CONTACT (contact), FALSE);

  tesoro_vcard_append_contact (self->buffer, contact, self->version);
  if (self->buffer->len >= WRITE_BUFFER_SIZE)
    return vcard_write_out (self, cancellable, error);

  return TRUE;
}

/**
 * tesoro_vcard_writer_flush:
 *
 * Writes out what is buffered; call it at the end, before closing the stream.
 *
 * Returns: whether writing succeeded
 */
gboolean
tesoro_vcard_writer_flush (TesoroVcardWriter  *self,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return vcard_write_out (self, cancellable, error) &&
         g_output_stream_flush (self->stream, cancellable, error);
}
