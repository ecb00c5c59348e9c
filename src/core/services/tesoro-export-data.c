/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-export-data"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tesoro-export-data-private.h"
#include "tesoro-contact-json.h"
#include "tesoro-csv.h"
#include "tesoro-audit-entry.h"
#include "tesoro-error.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

gboolean
tesoro_export_format_from_string (const char          *text,
                                  TesoroExportFormat  *format,
                                  GError             **error)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (g_strcmp0 (text, "csv") == 0)
    *format = TESORO_EXPORT_FORMAT_CSV;
  else if (g_strcmp0 (text, "json") == 0)
    *format = TESORO_EXPORT_FORMAT_JSON;
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.20s” is not an export format: use csv or json"), text != NULL ? text : "");
      return FALSE;
    }

  return TRUE;
}

const char *
tesoro_export_format_to_string (TesoroExportFormat format)
{
  return format == TESORO_EXPORT_FORMAT_JSON ? "json" : "csv";
}

/* The Export Data CSV */

typedef struct
{
  GString *out;
} CsvSheet;

static void
row (CsvSheet   *sheet,
     const char *section,
     guint       item,
     const char *field,
     const char *value)
{
  char item_text[16] = "";

  if (item > 0)
    g_snprintf (item_text, sizeof item_text, "%u", item);

  tesoro_csv_append_field (sheet->out, section, -1, ',', TRUE);
  g_string_append_c (sheet->out, ',');
  tesoro_csv_append_field (sheet->out, item_text, -1, ',', TRUE);
  g_string_append_c (sheet->out, ',');
  tesoro_csv_append_field (sheet->out, field, -1, ',', TRUE);
  g_string_append_c (sheet->out, ',');
  tesoro_csv_append_field (sheet->out, value != NULL ? value : "", -1, ',', TRUE);
  g_string_append (sheet->out, "\r\n");
}

static void
row_bool (CsvSheet   *sheet,
          const char *section,
          guint       item,
          const char *field,
          gboolean    value)
{
  row (sheet, section, item, field, value ? "true" : "false");
}

static void
details_rows (CsvSheet   *sheet,
              const char *section,
              GPtrArray  *details)
{
  for (guint i = 0; i < details->len; i++)
    {
      TesoroDetail *d = details->pdata[i];

      row (sheet, section, i + 1, "label", d->label);
      row (sheet, section, i + 1, "value", d->value);
      row_bool (sheet, section, i + 1, "primary", d->primary);
    }
}

/**
 * tesoro_export_contact_csv:
 * @contact: a whole contact, as tesoro_store_get_contact() returns it
 * @generated_at: (nullable): the time of the export, for its first rows
 *
 * Everything held about the person as one CSV file for a spreadsheet:
 * UTF-8 with a byte order mark, RFC 4180 with CR LF line ends, cells that
 * a spreadsheet would take for a formula neutralised with an apostrophe.
 * Long format: a header `section,item,field,value`, then one row per value;
 * `item` numbers the entries of multi-valued sections (1, 2, …).
 *
 * Returns: (transfer full): the file's bytes
 */
GBytes *
tesoro_export_contact_csv (TesoroContact *contact,
                           const char    *generated_at)
{
  CsvSheet sheet = { g_string_sized_new (16384) };
  g_autofree char *id = NULL;
  GPtrArray *array;

  g_return_val_if_fail (TESORO_IS_CONTACT (contact), NULL);

  g_string_append (sheet.out, "\xEF\xBB\xBF");
  g_string_append (sheet.out, "section,item,field,value\r\n");

  row (&sheet, "export", 0, "format", "Tesoro Export Data CSV " TESORO_EXPORT_CSV_VERSION);
  row (&sheet, "export", 0, "generator", "Tesoro " PACKAGE_VERSION);
  row (&sheet, "export", 0, "generated_at", generated_at);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, tesoro_contact_get_id (contact));
  row (&sheet, "contact", 0, "id", id);
  row (&sheet, "contact", 0, "uid", tesoro_contact_get_uid (contact));
  row (&sheet, "contact", 0, "given_name", tesoro_contact_get_given_name (contact));
  row (&sheet, "contact", 0, "family_name", tesoro_contact_get_family_name (contact));
  row (&sheet, "contact", 0, "display_name", tesoro_contact_get_display_name (contact));
  row (&sheet, "contact", 0, "organization", tesoro_contact_get_organization (contact));
  row (&sheet, "contact", 0, "job_title", tesoro_contact_get_job_title (contact));
  row (&sheet, "contact", 0, "birthday", tesoro_contact_get_birthday (contact));
  row (&sheet, "contact", 0, "lawful_basis", tesoro_contact_get_lawful_basis (contact));
  row_bool (&sheet, "contact", 0, "restricted", tesoro_contact_get_restricted (contact));
  row_bool (&sheet, "contact", 0, "legal_hold", tesoro_contact_get_legal_hold (contact));
  row (&sheet, "contact", 0, "legal_hold_reason", tesoro_contact_get_legal_hold_reason (contact));
  row (&sheet, "contact", 0, "marketing_consent", tesoro_contact_get_consent_state (contact));
  row (&sheet, "contact", 0, "created_at", tesoro_contact_get_created_at (contact));
  row (&sheet, "contact", 0, "updated_at", tesoro_contact_get_updated_at (contact));
  row (&sheet, "contact", 0, "last_activity_at", tesoro_contact_get_last_activity_at (contact));
  row (&sheet, "contact", 0, "trashed_at", tesoro_contact_get_trashed_at (contact));

  details_rows (&sheet, "emails", tesoro_contact_get_emails (contact));
  details_rows (&sheet, "phones", tesoro_contact_get_phones (contact));

  array = tesoro_contact_get_addresses (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroAddress *a = array->pdata[i];

      row (&sheet, "addresses", i + 1, "label", a->label);
      row (&sheet, "addresses", i + 1, "street", a->street);
      row (&sheet, "addresses", i + 1, "postal_code", a->postal_code);
      row (&sheet, "addresses", i + 1, "city", a->city);
      row (&sheet, "addresses", i + 1, "region", a->region);
      row (&sheet, "addresses", i + 1, "country", a->country);
    }

  array = tesoro_contact_get_custom_values (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroCustomValue *cv = array->pdata[i];

      row (&sheet, "custom_fields", i + 1, "name", cv->name);
      row (&sheet, "custom_fields", i + 1, "value", cv->value);
    }

  array = tesoro_contact_get_tags (contact);
  for (guint i = 0; i < array->len; i++)
    row (&sheet, "tags", i + 1, "name", array->pdata[i]);

  array = tesoro_contact_get_notes (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroNote *n = array->pdata[i];

      row (&sheet, "notes", i + 1, "body", n->body);
      row (&sheet, "notes", i + 1, "created_at", n->created_at);
      row (&sheet, "notes", i + 1, "author", n->author);
    }

  array = tesoro_contact_get_messages (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroMessage *m = array->pdata[i];

      row (&sheet, "messages", i + 1, "direction", m->direction);
      row (&sheet, "messages", i + 1, "address", m->address);
      row (&sheet, "messages", i + 1, "subject", m->subject);
      row (&sheet, "messages", i + 1, "body", m->body);
      row (&sheet, "messages", i + 1, "at", m->at);
      row (&sheet, "messages", i + 1, "author", m->author);
    }

  array = tesoro_contact_get_tasks (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroTask *t = array->pdata[i];

      row (&sheet, "tasks", i + 1, "title", t->title);
      row (&sheet, "tasks", i + 1, "due", t->due);
      row_bool (&sheet, "tasks", i + 1, "done", t->done);
      row (&sheet, "tasks", i + 1, "done_at", t->done_at);
      row (&sheet, "tasks", i + 1, "created_at", t->created_at);
      row (&sheet, "tasks", i + 1, "author", t->author);
    }

  array = tesoro_contact_get_activities (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroActivity *a = array->pdata[i];

      row (&sheet, "activities", i + 1, "kind", a->kind);
      row (&sheet, "activities", i + 1, "summary", a->summary);
      row (&sheet, "activities", i + 1, "at", a->at);
      row (&sheet, "activities", i + 1, "author", a->author);
    }

  array = tesoro_contact_get_consent (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroConsentEvent *c = array->pdata[i];

      row (&sheet, "consent", i + 1, "purpose", c->purpose);
      row_bool (&sheet, "consent", i + 1, "granted", c->granted);
      row (&sheet, "consent", i + 1, "at", c->at);
      row (&sheet, "consent", i + 1, "source", c->source);
      row (&sheet, "consent", i + 1, "evidence", c->evidence);
      row (&sheet, "consent", i + 1, "recorded_by", c->recorded_by);
      row (&sheet, "consent", i + 1, "recorded_at", c->recorded_at);
    }

  return g_string_free_to_bytes (sheet.out);
}

/**
 * tesoro_export_contact_json:
 *
 * Returns: (transfer full): the contact in DESIGN.md's contact JSON, byte for
 * byte what `tesoro-cli show --json` prints
 */
GBytes *
tesoro_export_contact_json (TesoroContact *contact)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  char *file;

  g_return_val_if_fail (TESORO_IS_CONTACT (contact), NULL);

  node = tesoro_contact_to_json_node (contact);
  text = tesoro_json_to_string (node, TRUE);
  file = g_strconcat (text, "\n", NULL);

  return g_bytes_new_take (file, strlen (file));
}

/**
 * _tesoro_export_data_render:
 * @format: which of the two files
 * @generated_at: the time of the export, for the CSV's first rows
 *
 * Returns: (transfer full): the bytes of the Export Data file of @contact
 */
GBytes *
_tesoro_export_data_render (TesoroContact      *contact,
                            TesoroExportFormat  format,
                            const char         *generated_at)
{
  return format == TESORO_EXPORT_FORMAT_JSON ? tesoro_export_contact_json (contact)
                                             : tesoro_export_contact_csv (contact, generated_at);
}

/**
 * _tesoro_session_require_export_data:
 *
 * Whether the acting user may hand a person everything held about them:
 * the "export-data" permission, and a role that sees every field, since
 * such an export is always complete.
 */
gboolean
_tesoro_session_require_export_data (TesoroSession  *self,
                                     GError        **error)
{
  if (!tesoro_session_require (self, TESORO_PERMISSION_EXPORT_DATA, error))
    return FALSE;
  if (!tesoro_role_sees_everything (tesoro_session_get_role (self)))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
                   _("The role “%s” does not see every field, and an export of a person’s data is always complete"),
                   tesoro_role_get_display_name (tesoro_session_get_role (self)));
      return FALSE;
    }
  return TRUE;
}

/**
 * tesoro_session_export_data:
 * @format: CSV (for a person) or JSON (DESIGN.md's contact JSON, Art. 20)
 * @path: the file to write; it is replaced atomically
 *
 * Export Data: everything held about the contact, written to @path, and
 * the export recorded in the audit log (by uid and format; never the path,
 * whose name may well be the person's).
 */
gboolean
tesoro_session_export_data (TesoroSession       *self,
                            gint64               contact_id,
                            TesoroExportFormat   format,
                            const char          *path,
                            GError             **error)
{
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *now = tesoro_now_iso ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *details;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!_tesoro_session_require_export_data (self, error))
    return FALSE;

  /* The export is the view: one entry, below. */
  contact = _tesoro_session_load_whole (self, contact_id, error);
  if (contact == NULL)
    return FALSE;

  bytes = _tesoro_export_data_render (contact, format, now);

  if (!tesoro_write_file_atomically (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return FALSE;

  /* An export that is not in the log did not happen: take the file back. */
  details = _tesoro_session_view_details (self, TESORO_FIELDS_ALL);
  json_object_set_string_member (json_node_get_object (details), "format", tesoro_export_format_to_string (format));
  json_object_set_int_member (json_node_get_object (details), "bytes", (gint64) g_bytes_get_size (bytes));
  if (!_tesoro_session_audit (self, TESORO_AUDIT_EXPORT_DATA, tesoro_contact_get_uid (contact), details, &local_error))
    {
      g_unlink (path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}
