/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-bulk-export"

#include "config.h"

#include "tesoro-bulk-export.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-atomic-file.h"
#include "tesoro-audit-entry.h"
#include "tesoro-bulk-private.h"
#include "tesoro-consent-state.h"
#include "tesoro-contact-json.h"
#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-import-map.h"
#include "tesoro-contact-groups.h"
#include "tesoro-fields.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * File → Export… and the marketing list: many contacts into one file. A
 * million contacts must be written in about the time SQLite's own CSV
 * output takes, so the CSV comes from the backend's export scan (flat rows,
 * not one object per contact) and its cells go straight into one buffer.
 */

const char *
tesoro_contact_format_to_string (TesoroContactFormat format)
{
  switch (format)
    {
    case TESORO_CONTACT_FORMAT_CSV:
      return "csv";
    case TESORO_CONTACT_FORMAT_VCARD:
      return "vcard";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tesoro_contact_format_from_string (const char           *text,
                                   TesoroContactFormat  *format,
                                   GError              **error)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (g_strcmp0 (text, "csv") == 0)
    *format = TESORO_CONTACT_FORMAT_CSV;
  else if (g_strcmp0 (text, "vcard") == 0 || g_strcmp0 (text, "vcf") == 0)
    *format = TESORO_CONTACT_FORMAT_VCARD;
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Unknown export format “%s”: use csv or vcard"), text != NULL ? text : "");
      return FALSE;
    }
  return TRUE;
}

/**
 * tesoro_contact_export_options_init:
 *
 * CSV, with the delimiter and byte order mark of
 * tesoro_contact_export_csv_defaults() for the user's language; vCard
 * 4.0; restricted contacts left out.
 */
void
tesoro_contact_export_options_init (TesoroContactExportOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->format = TESORO_CONTACT_FORMAT_CSV;
  tesoro_contact_export_csv_defaults (NULL, &options->delimiter, &options->bom);
  options->vcard_version = TESORO_VCARD_VERSION_4_0;
  options->include_restricted = FALSE;
}

/* Cancelling */

static gboolean
cancelled (GCancellable  *cancellable,
           GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("The export was cancelled: no file was written"));
  return TRUE;
}

/* The CSV layout */

static char *
spec_string (TesoroImportField  field,
             const char        *label,
             TesoroAddressPart  part,
             const char        *custom_name,
             guint              group)
{
  g_autoptr(TesoroImportSpec) spec = tesoro_import_spec_new (field);

  /* The new spec may come with a default label already. */
  if (label != NULL)
    tesoro_set_str (&spec->label, label);
  if (part != TESORO_ADDRESS_PART_NONE)
    spec->part = part;
  if (custom_name != NULL)
    tesoro_set_str (&spec->custom_name, custom_name);
  spec->group = group;
  return tesoro_import_spec_to_string (spec);
}

static const TesoroAddressPart address_parts[] = {
  TESORO_ADDRESS_PART_STREET,
  TESORO_ADDRESS_PART_POSTAL_CODE,
  TESORO_ADDRESS_PART_CITY,
  TESORO_ADDRESS_PART_REGION,
  TESORO_ADDRESS_PART_COUNTRY,
};

/* The single-valued columns, each with its field group and its field
 * (switched off, a field has no column). */
static const struct
{
  TesoroImportField field;
  TesoroFieldGroups group;
  TesoroDataField   data_field;
} scalars[] = {
  { TESORO_IMPORT_GIVEN_NAME, TESORO_FIELDS_NAME, TESORO_DATA_FIELD_NAME },
  { TESORO_IMPORT_FAMILY_NAME, TESORO_FIELDS_NAME, TESORO_DATA_FIELD_NAME },
  { TESORO_IMPORT_DISPLAY_NAME, TESORO_FIELDS_NAME, TESORO_DATA_FIELD_NAME },
  { TESORO_IMPORT_ORGANIZATION, TESORO_FIELDS_ORGANIZATION, TESORO_DATA_FIELD_ORGANIZATION },
  { TESORO_IMPORT_JOB_TITLE, TESORO_FIELDS_ORGANIZATION, TESORO_DATA_FIELD_JOB_TITLE },
  { TESORO_IMPORT_BIRTHDAY, TESORO_FIELDS_BIRTHDAY, TESORO_DATA_FIELD_BIRTHDAY },
  { TESORO_IMPORT_LAWFUL_BASIS, TESORO_FIELDS_CONSENT, TESORO_DATA_FIELD_LAWFUL_BASIS },
  { TESORO_IMPORT_CONSENT, TESORO_FIELDS_CONSENT, TESORO_DATA_FIELD_LAWFUL_BASIS },
};

/* Which scalar columns are written: visible to the reader and not
 * switched off. */
static guint
scalar_columns (TesoroFieldGroups   visible,
                const char * const *disabled)
{
  guint columns = 0;

  for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
    if ((visible & scalars[i].group) &&
        !tesoro_data_field_keys_contain (disabled, tesoro_data_field_to_key (scalars[i].data_field)))
      columns |= 1u << i;
  return columns;
}

/* The columns of the groups hidden from the reader, and of the fields
 * switched off, are left out: a layout without e-mail addresses has none,
 * and so on. */
static GPtrArray *
header_row (TesoroExportLayout *layout,
            TesoroFieldGroups   visible,
            guint               columns)
{
  GPtrArray *header = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
    if (columns & (1u << i))
      g_ptr_array_add (header, spec_string (scalars[i].field, NULL, TESORO_ADDRESS_PART_NONE, NULL, 0));

  for (guint n = 1; n <= layout->n_emails; n++)
    {
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_EMAIL_LABEL, NULL, TESORO_ADDRESS_PART_NONE, NULL, n));
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_EMAIL, "other", TESORO_ADDRESS_PART_NONE, NULL, n));
    }
  for (guint n = 1; n <= layout->n_phones; n++)
    {
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_PHONE_LABEL, NULL, TESORO_ADDRESS_PART_NONE, NULL, n));
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_PHONE, "other", TESORO_ADDRESS_PART_NONE, NULL, n));
    }
  for (guint n = 1; n <= layout->n_addresses; n++)
    {
      g_ptr_array_add (header, spec_string (TESORO_IMPORT_ADDRESS_LABEL, NULL, TESORO_ADDRESS_PART_NONE, NULL, n));
      for (guint p = 0; p < G_N_ELEMENTS (address_parts); p++)
        g_ptr_array_add (header, spec_string (TESORO_IMPORT_ADDRESS, "other", address_parts[p], NULL, n));
    }

  if (visible & TESORO_FIELDS_TAGS)
    g_ptr_array_add (header, spec_string (TESORO_IMPORT_TAGS, NULL, TESORO_ADDRESS_PART_NONE, NULL, 0));
  for (guint i = 0; i < layout->custom_names->len; i++)
    g_ptr_array_add (header, spec_string (TESORO_IMPORT_CUSTOM, NULL, TESORO_ADDRESS_PART_NONE,
                                          layout->custom_names->pdata[i], 0));

  return header;
}

/* Writing CSV rows. The cells go straight into one buffer: most are
 * plain text or empty, and only those that need it go through
 * tesoro_csv_append_field() (quoting, formula neutralising), so that the
 * rules stay in one place (tesoro-csv.c). */

#define OUT_BUFFER_SIZE (256 * 1024)

typedef struct
{
  GOutputStream *stream;
  GString       *buf;
  char           delimiter;
  gboolean       first;      /* no cell in this row yet */
  guint64        bytes;
  guint8         special[256];   /* bytes that make a cell need quotes */
} Out;

static void
out_init (Out           *o,
          GOutputStream *stream,
          GString       *buf,
          char           delimiter)
{
  memset (o, 0, sizeof *o);
  o->stream = stream;
  o->buf = buf;
  o->delimiter = delimiter;
  o->first = TRUE;
  o->special[(guint8) delimiter] = 1;
  o->special['"'] = 1;
  o->special['\n'] = 1;
  o->special['\r'] = 1;
}

/* g_string_append_len() without its checks, for the hot path. */
static inline void
buf_append (GString    *buf,
            const char *data,
            gsize       len)
{
  if (G_UNLIKELY (buf->len + len + 1 > buf->allocated_len))
    {
      g_string_append_len (buf, data, len);
      return;
    }
  memcpy (buf->str + buf->len, data, len);
  buf->len += len;
  buf->str[buf->len] = '\0';
}

static void
out_cell (Out        *o,
          const char *value,
          gsize       len)
{
  gboolean plain = TRUE;

  if (!o->first)
    buf_append (o->buf, &o->delimiter, 1);
  o->first = FALSE;

  if (len == 0)
    return;

  /* What a spreadsheet could take for a formula, an apostrophe that
   * protects one, or a byte order mark takes the careful path. */
  switch (value[0])
    {
    case '=': case '+': case '-': case '@': case '\t': case '\r': case '\'': case '\xef':
      plain = FALSE;
      break;
    default:
      for (gsize i = 0; i < len; i++)
        if (o->special[(guint8) value[i]])
          {
            plain = FALSE;
            break;
          }
      break;
    }

  if (plain)
    buf_append (o->buf, value, len);
  else
    tesoro_csv_append_field (o->buf, value, len, o->delimiter, TRUE);
}

static void
out_text (Out        *o,
          const char *text)
{
  /* Text from the storage holds no NUL. */
  out_cell (o, text != NULL ? text : "", text != NULL ? strlen (text) : 0);
}

static gboolean
out_flush (Out           *o,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize written = 0;

  if (o->buf->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (o->stream, o->buf->str, o->buf->len, &written, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cancelled (cancellable, error);
      else
        /* The file's stream names the file and the reason. */
        g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_IO, local_error->message);
      return FALSE;
    }
  o->bytes += written;
  g_string_truncate (o->buf, 0);
  return TRUE;
}

static gboolean
out_end_row (Out           *o,
             GCancellable  *cancellable,
             GError       **error)
{
  buf_append (o->buf, "\r\n", 2);
  o->first = TRUE;
  return o->buf->len < OUT_BUFFER_SIZE || out_flush (o, cancellable, error);
}


/* The primary e-mail address or phone first, then the others in their
 * order, then empty cells up to @n_columns. */
static void
write_details (Out    *o,
               GArray *details,
               guint   n_columns)
{
  guint written = 0;
  int primary = -1;

  for (guint i = 0; i < details->len && primary < 0; i++)
    if (g_array_index (details, TesoroRowDetail, i).primary)
      primary = i;

  if (primary > 0)
    {
      TesoroRowDetail *d = &g_array_index (details, TesoroRowDetail, primary);

      out_text (o, d->label);
      out_text (o, d->value);
      written++;
    }
  for (guint i = 0; i < details->len; i++)
    {
      TesoroRowDetail *d = &g_array_index (details, TesoroRowDetail, i);

      if ((int) i == primary && primary > 0)
        continue;
      out_text (o, d->label);
      out_text (o, d->value);
      written++;
    }
  for (; written < n_columns; written++)
    {
      out_cell (o, "", 0);
      out_cell (o, "", 0);
    }
}

typedef struct
{
  Out                 out;
  TesoroExportLayout *layout;
  TesoroFieldGroups   visible;
  guint               columns;
  GString            *tags;
  GCancellable       *cancellable;
  TesoroBulkProgress *progress;
  TesoroContactExportResult *result;
} CsvExport;

static gboolean
write_csv_row_cb (const TesoroExportRow  *row,
                  gpointer                user_data,
                  GError                **error)
{
  CsvExport *e = user_data;
  Out *o = &e->out;
  TesoroExportLayout *layout = e->layout;
  guint n;

  if ((e->result->exported & 1023) == 0)
    _tesoro_bulk_progress_report (e->progress, e->result->exported, FALSE);

  {
    /* In the order of scalars[]. */
    const char *values[G_N_ELEMENTS (scalars)] = {
      row->given_name, row->family_name, row->display_name, row->organization, row->job_title,
      row->birthday, row->lawful_basis, row->consent,
    };

    for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
      if (e->columns & (1u << i))
        out_text (o, values[i]);
  }

  if (e->visible & TESORO_FIELDS_EMAILS)
    write_details (o, row->emails, layout->n_emails);
  if (e->visible & TESORO_FIELDS_PHONES)
    write_details (o, row->phones, layout->n_phones);

  for (n = 0; (e->visible & TESORO_FIELDS_ADDRESSES) && n < row->addresses->len; n++)
    {
      TesoroRowAddress *a = &g_array_index (row->addresses, TesoroRowAddress, n);

      out_text (o, a->label);
      out_text (o, a->street);
      out_text (o, a->postal_code);
      out_text (o, a->city);
      out_text (o, a->region);
      out_text (o, a->country);
    }
  for (; n < layout->n_addresses; n++)
    for (int col = 0; col < 6; col++)
      out_cell (o, "", 0);

  g_string_truncate (e->tags, 0);
  for (guint i = 0; i < row->tags->len; i++)
    {
      if (e->tags->len > 0)
        g_string_append (e->tags, ", ");
      g_string_append (e->tags, row->tags->pdata[i]);
    }
  if (e->visible & TESORO_FIELDS_TAGS)
    out_cell (o, e->tags->str, e->tags->len);

  /* Custom values by the layout's (sorted) names. */
  for (guint i = 0; i < layout->custom_names->len; i++)
    {
      const char *value = "";

      for (guint j = 0; j + 1 < row->custom->len; j += 2)
        if (g_str_equal (row->custom->pdata[j], layout->custom_names->pdata[i]))
          value = row->custom->pdata[j + 1];
      out_cell (o, value, strlen (value));
    }

  e->result->exported++;
  return out_end_row (o, e->cancellable, error);
}

static gboolean
export_csv (TesoroSession                    *session,
            GArray                           *ids,
            const TesoroContactExportOptions *options,
            GOutputStream                    *stream,
            GCancellable                     *cancellable,
            TesoroBulkProgress               *progress,
            TesoroContactExportResult        *result,
            GError                          **error)
{
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GString) tags = g_string_new (NULL);
  g_autoptr(GString) buf = g_string_sized_new (OUT_BUFFER_SIZE + 64 * 1024);
  TesoroBackend *backend = _tesoro_session_get_backend (session);
  TesoroExportLayout layout = { 0 };
  CsvExport e = { { 0 }, &layout, _tesoro_session_visible (session), 0, tags, cancellable, progress, result };
  g_auto(GStrv) disabled = NULL;
  gboolean ok = FALSE;
  guint64 restricted = 0;

  if (!tesoro_backend_get_export_layout (backend, ids, options->include_restricted, &layout, error))
    goto out;

  /* Fields switched off are not exported (Export Data of a person still
   * holds them: it is all that is held). Their groups, where a field is a
   * group, are left out as if hidden. */
  disabled = tesoro_session_get_disabled_fields (session, error);
  if (disabled == NULL)
    goto out;
  e.columns = scalar_columns (e.visible, (const char * const *) disabled);
  for (guint f = TESORO_DATA_FIELD_EMAILS; f <= TESORO_DATA_FIELD_TAGS; f++)
    if (tesoro_data_field_keys_contain ((const char * const *) disabled, tesoro_data_field_to_key (f)))
      e.visible &= ~tesoro_data_field_get_group (f);

  /* Mail-merge templates like to find these columns even when empty. */
  layout.n_emails = (e.visible & TESORO_FIELDS_EMAILS) ? MAX (layout.n_emails, 1) : 0;
  layout.n_phones = (e.visible & TESORO_FIELDS_PHONES) ? MAX (layout.n_phones, 1) : 0;
  layout.n_addresses = (e.visible & TESORO_FIELDS_ADDRESSES) ? MAX (layout.n_addresses, 1) : 0;

  /* Custom fields hidden from the reader have no column. */
  for (guint i = layout.custom_names->len; i > 0; i--)
    {
      g_autofree char *key = tesoro_data_field_custom_key (layout.custom_names->pdata[i - 1]);

      if (tesoro_session_get_custom_access (session, layout.custom_names->pdata[i - 1]) == TESORO_ACCESS_HIDDEN ||
          tesoro_data_field_keys_contain ((const char * const *) disabled, key))
        g_ptr_array_remove_index (layout.custom_names, i - 1);
    }

  out_init (&e.out, stream, buf, options->delimiter);
  if (options->bom)
    g_string_append (buf, "\xef\xbb\xbf");
  header = header_row (&layout, e.visible, e.columns);
  for (guint i = 0; i < header->len; i++)
    out_cell (&e.out, header->pdata[i], strlen (header->pdata[i]));
  if (!out_end_row (&e.out, cancellable, error) ||
      !tesoro_backend_scan_export_rows (backend, ids, options->include_restricted, &restricted, cancellable,
                                        write_csv_row_cb, &e, error) ||
      !out_flush (&e.out, cancellable, error))
    goto out;

  if (ids == NULL)
    result->restricted += restricted;
  result->bytes = e.out.bytes;
  ok = TRUE;

out:
  tesoro_export_layout_clear (&layout);
  return ok;
}

static gboolean
export_vcard (TesoroSession                    *session,
              GArray                           *ids,
              const TesoroContactExportOptions *options,
              GOutputStream                    *stream,
              GCancellable                     *cancellable,
              TesoroBulkProgress               *progress,
              TesoroContactExportResult        *result,
              GError                          **error)
{
  g_autoptr(TesoroVcardWriter) writer = tesoro_vcard_writer_new (stream, options->vcard_version);
  g_auto(GStrv) disabled = tesoro_session_get_disabled_fields (session, error);

  if (disabled == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(TesoroContact) contact = NULL;

      if ((i & 255) == 0)
        {
          if (cancelled (cancellable, error))
            return FALSE;
          _tesoro_bulk_progress_report (progress, i, FALSE);
        }

      /* The export is one entry in the audit of views, not one per
       * contact. */
      contact = _tesoro_session_load_whole (session, g_array_index (ids, gint64, i), error);
      if (contact == NULL)
        return FALSE;
      _tesoro_session_mask (session, contact);
      tesoro_contact_take_fields (contact, NULL, (const char * const *) disabled);
      if (!tesoro_vcard_writer_add (writer, contact, cancellable, error))
        return FALSE;
      result->exported++;
    }

  return tesoro_vcard_writer_flush (writer, cancellable, error);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* The ids to export, ascending: the contacts of @ids that exist and are
 * not in the trash, restricted ones (Art. 18) only if asked; or every
 * contact not in the trash. */
static GArray *
select_ids (TesoroSession                    *self,
            const gint64                     *ids,
            gssize                            n_ids,
            const TesoroContactExportOptions *options,
            TesoroContactExportResult        *result,
            GError                          **error)
{
  g_autoptr(GArray) sorted = NULL;
  g_autoptr(GArray) selected = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (n_ids < 0)
    {
      TesoroContactQuery query;
      g_autoptr(GArray) all = NULL;

      tesoro_contact_query_init (&query);
      query.trash = 0;
      all = tesoro_backend_select_contacts (_tesoro_session_get_backend (self), &query, error);
      if (all == NULL)
        return NULL;
      ids = (const gint64 *) all->data;
      n_ids = all->len;
      sorted = g_steal_pointer (&all);
    }
  else
    {
      sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
      g_array_append_vals (sorted, ids, n_ids);
      g_array_sort (sorted, compare_ids);
    }

  for (guint i = 0; i < sorted->len; i++)
    {
      gint64 id = g_array_index (sorted, gint64, i);
      g_auto(TesoroContactState) state = { 0 };
      g_autoptr(GError) local_error = NULL;

      if (i > 0 && id == g_array_index (sorted, gint64, i - 1))
        continue;
      if (!tesoro_backend_get_contact_state (_tesoro_session_get_backend (self), id, &state, &local_error))
        {
          if (!g_error_matches (local_error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          result->missing++;
        }
      else if (state.trashed_at != NULL)
        result->missing++;
      else if (state.restricted && !options->include_restricted)
        result->restricted++;
      else
        g_array_append_val (selected, id);
    }

  return g_steal_pointer (&selected);
}

/**
 * tesoro_session_export_contacts:
 * @ids: (array length=n_ids) (nullable): the contacts to export, in any
 *   order (duplicates are written once); %NULL with @n_ids -1 for all
 *   contacts not in the trash
 * @n_ids: the number of @ids, or -1
 * @options: the format and its settings
 * @path: the file to write (replaced if it exists)
 * @progress: (nullable): called with contacts written and the number to
 *   write
 * @result: (out caller-allocates) (optional): what was written
 *
 * Writes the contacts to @path atomically: until the new file is
 * complete and on disk, @path stays as it was, and a cancel or an error
 * leaves no file behind. The contacts are read in one read transaction,
 * so the file is a consistent snapshot even while others write. See the
 * file comment of tesoro-bulk-export.h for the layout.
 */
gboolean
tesoro_session_export_contacts (TesoroSession                    *self,
                                const gint64                     *ids,
                                gssize                            n_ids,
                                const TesoroContactExportOptions *options,
                                const char                       *path,
                                GCancellable                     *cancellable,
                                TesoroProgressFunc                progress,
                                gpointer                          user_data,
                                TesoroContactExportResult        *result,
                                GError                          **error)
{
  g_autoptr(TesoroAtomicFile) file = NULL;
  g_autoptr(GArray) selected = NULL;
  g_autoptr(GError) local_error = NULL;
  TesoroContactExportResult r = { 0 };
  TesoroBulkProgress prog = { progress, user_data, 0, 0 };
  TesoroBackend *backend;
  TesoroContactQuery all;
  gboolean ok;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids <= 0, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_BULK_EXPORT, error))
    return FALSE;

  if (result != NULL)
    memset (result, 0, sizeof *result);

  if (options->format == TESORO_CONTACT_FORMAT_CSV && options->delimiter != ',' && options->delimiter != ';' &&
      options->delimiter != '\t')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The delimiter of an exported CSV file must be a comma or a semicolon"));
      return FALSE;
    }
  if (options->format == TESORO_CONTACT_FORMAT_VCARD && options->vcard_version == TESORO_VCARD_VERSION_2_1)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Tesoro writes vCard 4.0 or 3.0, not 2.1"));
      return FALSE;
    }

  backend = _tesoro_session_get_backend (self);

  /* One snapshot for the whole file. */
  if (!tesoro_backend_begin_read (backend, error))
    return FALSE;

  file = tesoro_atomic_file_new (path, error);
  if (file == NULL)
    goto failed;

  if (options->format == TESORO_CONTACT_FORMAT_CSV && n_ids < 0)
    {
      /* Every contact: no list of ids first, one pass over the tables. */
      tesoro_contact_query_init (&all);
      prog.total = tesoro_backend_count_contacts (backend, &all, error);
      if ((gint64) prog.total < 0)
        goto failed;
      ok = export_csv (self, NULL, options, tesoro_atomic_file_get_stream (file), cancellable, &prog, &r, error);
    }
  else
    {
      selected = select_ids (self, ids, n_ids, options, &r, error);
      if (selected == NULL)
        goto failed;
      prog.total = selected->len;

      if (options->format == TESORO_CONTACT_FORMAT_CSV)
        ok = export_csv (self, selected, options, tesoro_atomic_file_get_stream (file), cancellable, &prog, &r,
                         error);
      else
        ok = export_vcard (self, selected, options, tesoro_atomic_file_get_stream (file), cancellable, &prog, &r,
                           error);
    }
  if (!ok)
    goto failed;

  if (!tesoro_backend_commit (backend, error))
    goto failed;

  if (cancelled (cancellable, error))
    goto failed;

  /* Accountability, and the audit of views: how many, chosen how, in what
   * format, which field groups; nothing about whom. The entry is written
   * before the file is put in place, so that no export escapes the log. */
  if (!tesoro_session_is_read_only (self))
    {
      JsonNode *details = _tesoro_session_view_details (self, _tesoro_session_visible (self));
      JsonObject *object = json_node_get_object (details);

      json_object_set_string_member (object, "format", tesoro_contact_format_to_string (options->format));
      json_object_set_int_member (object, "count", (gint64) r.exported);
      json_object_set_int_member (object, "restricted_left_out", (gint64) r.restricted);
      json_object_set_string_member (object, "selection", n_ids < 0 ? "all" : "chosen");
      json_object_set_boolean_member (object, "include_restricted", options->include_restricted);
      if (!_tesoro_session_audit (self, TESORO_AUDIT_EXPORT_CONTACTS, NULL, details, error))
        goto failed;
    }

  if (!tesoro_atomic_file_commit (file, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cancelled (cancellable, error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }
  if (r.bytes == 0)
    {
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        r.bytes = st.st_size;
    }

  _tesoro_bulk_progress_report (&prog, prog.total, TRUE);
  if (result != NULL)
    *result = r;
  return TRUE;

failed:
  _tesoro_session_fail (self);
  if (error != NULL && *error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      cancelled (cancellable, error);
    }
  return FALSE;
}

/* The marketing list */

typedef struct
{
  TesoroCsvWriter *writer;
  GCancellable    *cancellable;
  gboolean         names;      /* the reader may see names */
  guint            count;
} Marketing;

static gboolean
marketing_row_cb (gint64               id,
                  const char          *display_name,
                  const char          *primary_email,
                  gboolean             restricted,
                  TesoroConsentState   state,
                  gpointer             user_data,
                  GError             **error)
{
  Marketing *m = user_data;
  const char *fields[2] = { display_name, primary_email };

  /* Purpose limitation (DESIGN.md rule 4). */
  if (state != TESORO_CONSENT_GRANTED || restricted || primary_email == NULL)
    return TRUE;

  if (!tesoro_csv_writer_write_row (m->writer, m->names ? fields : fields + 1, m->names ? 2 : 1,
                                    m->cancellable, error))
    return FALSE;
  m->count++;
  return TRUE;
}

/**
 * tesoro_session_export_marketing:
 * @path: the CSV file to write; it is replaced atomically
 * @n_exported: (out) (optional): how many contacts it lists
 *
 * The marketing list (purpose limitation, DESIGN.md rule 4): name and
 * primary e-mail address of the contacts whose current consent for
 * marketing e-mail is granted, who are not restricted and not in the trash.
 * Contacts without an e-mail address are left out. The export is audited.
 * A reader who may not see names gets the addresses alone; one who may not
 * see e-mail addresses or consent gets no list.
 */
gboolean
tesoro_session_export_marketing (TesoroSession  *self,
                                 const char     *path,
                                 GCancellable   *cancellable,
                                 guint          *n_exported,
                                 GError        **error)
{
  static const char * const header[] = { "name", "email" };
  g_autoptr(TesoroAtomicFile) file = NULL;
  g_autoptr(TesoroCsvWriter) writer = NULL;
  g_autoptr(GError) local_error = NULL;
  Marketing m = { NULL, cancellable, FALSE, 0 };
  TesoroFieldGroups visible;
  JsonNode *details;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_BULK_EXPORT, error))
    return FALSE;

  visible = _tesoro_session_visible (self);
  if ((visible & (TESORO_FIELDS_EMAILS | TESORO_FIELDS_CONSENT)) != (TESORO_FIELDS_EMAILS | TESORO_FIELDS_CONSENT))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
                   _("The marketing list is made of e-mail addresses and consent, which the role “%s” may not see"),
                   tesoro_role_get_display_name (tesoro_session_get_role (self)));
      return FALSE;
    }
  m.names = (visible & TESORO_FIELDS_NAME) != 0;

  if (n_exported != NULL)
    *n_exported = 0;

  file = tesoro_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  writer = tesoro_csv_writer_new (tesoro_atomic_file_get_stream (file), ',',
                                  TESORO_CSV_WRITER_BOM | TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS);
  m.writer = writer;
  if (!tesoro_csv_writer_write_row (writer, m.names ? header : header + 1, m.names ? 2 : 1, cancellable, error) ||
      !tesoro_backend_scan_consent (_tesoro_session_get_backend (self), TESORO_PURPOSE_MARKETING_EMAIL,
                                    marketing_row_cb, &m, error) ||
      !tesoro_csv_writer_flush (writer, cancellable, error) ||
      !tesoro_atomic_file_commit (file, cancellable, error))
    return FALSE;

  details = _tesoro_session_view_details (self, m.names ? TESORO_FIELDS_NAME | TESORO_FIELDS_EMAILS
                                                      : TESORO_FIELDS_EMAILS);
  json_object_set_string_member (json_node_get_object (details), "purpose", TESORO_PURPOSE_MARKETING_EMAIL);
  json_object_set_int_member (json_node_get_object (details), "contacts", (gint64) m.count);
  if (!_tesoro_session_audit (self, TESORO_AUDIT_EXPORT_MARKETING, NULL, details, &local_error))
    {
      g_unlink (path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (n_exported != NULL)
    *n_exported = m.count;
  return TRUE;
}
