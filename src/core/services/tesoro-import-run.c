/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import-run"

#include "config.h"

#include "tesoro-import-run.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-audit-entry.h"
#include "tesoro-bulk-private.h"
#include "tesoro-consent.h"
#include "tesoro-consent-state.h"
#include "tesoro-contact-groups.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-import-match.h"
#include "tesoro-import-merge.h"
#include "tesoro-fields.h"
#include "tesoro-import-private.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * The import service: what the import session reads (import/), checked
 * against the database and stored through the session, in one transaction;
 * the history of imports and Undo Import. Rows go through the session's
 * insert path, so they are validated, indexed and stamped with the acting
 * user like every other contact.
 */

/* The e-mail addresses of the database are held in memory for matching
 * when there are at most this many (about 100 MB). */
#define MAX_PREFILTER_EMAILS 4000000

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/* Remembered mappings */

/* The mapping used last time for this header layout, if any. */
static TesoroImportMapping *
lookup_remembered_cb (TesoroImportMapping *automatic,
                      gpointer             user_data)
{
  TesoroSession *session = user_data;
  g_autofree char *key = _tesoro_import_mapping_key (automatic);
  g_autofree char *value = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(TesoroImportMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  value = tesoro_backend_get_setting (_tesoro_session_get_backend (session), key, NULL);
  if (value == NULL)
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, value, -1, &error))
    {
      g_warning ("Ignoring the remembered import mapping %s: %s", key, error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "mapping"))
    return NULL;

  mapping = tesoro_import_mapping_copy (automatic);
  if (!tesoro_import_mapping_load_json (mapping, json_object_get_member (json_node_get_object (root), "mapping"),
                                        &error))
    {
      g_warning ("Ignoring the remembered import mapping %s: %s", key, error->message);
      return NULL;
    }

  return g_steal_pointer (&mapping);
}

static gboolean
remember_mapping (TesoroSession        *session,
                  TesoroImportMapping  *mapping,
                  GError              **error)
{
  g_autofree char *key = _tesoro_import_mapping_key (mapping);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mapping");
  json_builder_add_value (builder, tesoro_import_mapping_to_json (mapping));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = tesoro_json_to_string (root, FALSE);

  return tesoro_backend_set_setting (_tesoro_session_get_backend (session), key, text, error);
}

/* The name of a custom field as the database compares them (case-blind
 * in ASCII, spaces as the import writes them). */
static char *
custom_name_key (const char *name)
{
  g_autofree char *spaced = tesoro_normalize_space (name);

  return g_ascii_strdown (spaced, -1);
}

/* Whether a remembered mapping names a custom field that is not in
 * @fields (or cannot be read, and so is of no use either). */
static gboolean
mapping_names_missing_field (const char *text,
                             GHashTable *fields)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) values = NULL;
  JsonNode *root, *mapping;

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return TRUE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (mapping = json_object_get_member (json_node_get_object (root), "mapping")) == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (mapping))
    values = json_object_get_values (json_node_get_object (mapping));
  else if (JSON_NODE_HOLDS_ARRAY (mapping))
    values = json_array_get_elements (json_node_get_array (mapping));
  else
    return TRUE;

  for (GList *l = values; l != NULL; l = l->next)
    {
      g_autoptr(TesoroImportSpec) spec = NULL;
      g_autofree char *key = NULL;
      const char *spec_text;

      if (JSON_NODE_HOLDS_NULL (l->data))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (l->data) || json_node_get_value_type (l->data) != G_TYPE_STRING)
        return TRUE;
      spec_text = json_node_get_string (l->data);
      spec = tesoro_import_spec_parse (spec_text, NULL);
      if (spec == NULL)
        return TRUE;
      if (spec->field != TESORO_IMPORT_CUSTOM)
        continue;
      key = custom_name_key (spec->custom_name != NULL ? spec->custom_name : "");
      if (!g_hash_table_contains (fields, key))
        return TRUE;
    }

  return FALSE;
}

/**
 * _tesoro_session_delete_unused_names:
 *
 * Inside the caller's transaction, after contacts or values went: deletes
 * the tags and custom fields no contact uses any more, and forgets the
 * remembered import mappings that name a custom field which is gone. The
 * name of a field only the erased person had may itself say something
 * about them ("Jan's family"), and a remembered mapping would keep it.
 */
gboolean
_tesoro_session_delete_unused_names (TesoroSession  *self,
                                     GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  g_autoptr(GHashTable) fields = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) keys = NULL;

  if (!tesoro_backend_delete_unused_names (backend, error))
    return FALSE;

  keys = tesoro_backend_list_setting_keys (backend, TESORO_IMPORT_MAPPING_KEY_PREFIX, error);
  if (keys == NULL)
    return FALSE;
  if (keys[0] == NULL)
    return TRUE;

  names = tesoro_backend_list_names (backend, TESORO_NAME_CUSTOM_FIELD, error);
  if (names == NULL)
    return FALSE;
  fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_add (fields, custom_name_key (names[i]));

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *value = tesoro_backend_get_setting (backend, keys[i], &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (value != NULL && mapping_names_missing_field (value, fields) &&
          !tesoro_backend_set_setting (backend, keys[i], NULL, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_import_session_prepare:
 * @session: (nullable): the session whose remembered mappings to use
 *
 * Reads the start of the file: detects the format, the encoding and the
 * delimiter (unless set), reads the header row and the first records, and
 * sets up the column mapping — the one used last time for a file with the
 * same header row, else the automatic one. Quick enough for the main
 * thread. Call it again after changing the format, encoding, delimiter or
 * header setting; the lawful basis, consent and other choices are kept.
 */
gboolean
tesoro_import_session_prepare (TesoroImportSession  *self,
                               TesoroSession        *session,
                               GCancellable         *cancellable,
                               GError              **error)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (session == NULL || TESORO_IS_SESSION (session), FALSE);

  /* Columns of fields the organisation switched off are not imported. */
  if (session != NULL)
    {
      g_auto(GStrv) disabled = tesoro_session_get_disabled_fields (session, error);

      if (disabled == NULL)
        return FALSE;
      tesoro_import_session_set_disabled_fields (self, (const char * const *) disabled);
    }

  return _tesoro_import_session_prepare_file (self, session != NULL ? lookup_remembered_cb : NULL, session,
                                              cancellable, error);
}

/* Matching existing contacts */

/* The contact (not in the trash) that has one of @contact's e-mail
 * addresses — or, for a vCard, its uid — or 0; -1 on error. */
static gint64
find_existing (TesoroSession  *session,
               TesoroContact  *contact,
               GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (session);
  GPtrArray *emails = tesoro_contact_get_emails (contact);
  gint64 found = 0;

  if (has_text (tesoro_contact_get_uid (contact)))
    {
      found = tesoro_backend_find_by_uid (backend, tesoro_contact_get_uid (contact), FALSE, error);
      if (found != 0)
        return found;
    }

  for (guint i = 0; i < emails->len && found == 0; i++)
    found = tesoro_backend_find_by_email (backend, ((TesoroDetail *) emails->pdata[i])->value, error);

  return found;
}

static void
add_email_cb (const char *value,
              gpointer    user_data)
{
  tesoro_email_set_add (user_data, value);
}

/* For the run: the e-mail addresses already in the database, to which the
 * imported ones are added; or, for a very large database, a set that knows
 * it does not hold them all. */
static TesoroEmailSet *
email_prefilter_new (TesoroSession  *session,
                     GError        **error)
{
  g_autoptr(TesoroEmailSet) all = tesoro_email_set_new (TRUE);
  gboolean complete = FALSE;

  if (!tesoro_backend_foreach_email (_tesoro_session_get_backend (session), MAX_PREFILTER_EMAILS, &complete,
                                     add_email_cb, all, error))
    return NULL;

  return complete ? g_steal_pointer (&all) : tesoro_email_set_new (FALSE);
}

/* Preview */

/**
 * tesoro_import_session_preview:
 * @session: the session to compare e-mail addresses with (for rows of
 *   existing contacts); a worker's own session when @totals is wanted
 * @max_rows: how many rows to return
 * @progress: (nullable): called with bytes read and the file size
 * @rows: (out) (transfer full) (element-type TesoroImportRow): the first
 *   @max_rows rows as they will be stored, each with its problems
 * @totals: (out caller-allocates) (optional): totals over the whole file;
 *   %NULL to read only the first rows
 *
 * Reads the file as the import would, without storing anything. A record
 * that cannot be read but after which reading can go on (a stray quote, a
 * field that is too long) is an invalid row; an error that ends the
 * reading (an unterminated quote at the end of the file, invalid text, a
 * NUL byte) is returned as an error naming the file, line and column.
 */
gboolean
tesoro_import_session_preview (TesoroImportSession  *self,
                               TesoroSession        *session,
                               guint                 max_rows,
                               GCancellable         *cancellable,
                               TesoroProgressFunc    progress,
                               gpointer              user_data,
                               GPtrArray           **rows,
                               TesoroImportTotals   *totals,
                               GError              **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_row_free);
  g_autoptr(TesoroEmailSet) seen = tesoro_email_set_new (FALSE);
  TesoroImportTotals counts = { 0 };
  TesoroBulkProgress prog = { progress, user_data, 0, 0 };
  Source src;
  int rc;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (TESORO_IS_SESSION (session), FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  if (!tesoro_session_require (session, TESORO_PERMISSION_IMPORT, error))
    return FALSE;

  *rows = NULL;
  if (!self->prepared)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The import has not been prepared"));
      return FALSE;
    }

  if (!_tesoro_import_source_open (&src, self, cancellable, error))
    {
      _tesoro_import_source_clear (&src);
      _tesoro_import_translate_cancel (error);
      return FALSE;
    }
  prog.total = src.file_size;

  while ((rc = _tesoro_import_source_next (&src, cancellable, error)) > 0)
    {
      TesoroImportRowStatus status;
      gint64 existing_id = 0;

      if (g_cancellable_is_cancelled (cancellable))
        {
          _tesoro_import_source_clear (&src);
          return _tesoro_import_cancelled_error (error);
        }

      counts.records++;
      if (src.ragged)
        counts.ragged++;

      if (src.problems->len > 0)
        {
          status = TESORO_IMPORT_ROW_INVALID;
          counts.invalid++;
        }
      else
        {
          counts.valid++;
          tesoro_contact_take_fields (src.contact, NULL, tesoro_import_session_get_disabled_fields (self));
          existing_id = find_existing (session, src.contact, error);
          if (existing_id < 0)
            {
              _tesoro_import_source_clear (&src);
              return FALSE;
            }
          if (existing_id > 0)
            {
              status = TESORO_IMPORT_ROW_EXISTING;
              counts.existing++;
              tesoro_email_set_add_contact (seen, src.contact);
            }
          else if (tesoro_email_set_add_contact (seen, src.contact))
            {
              status = TESORO_IMPORT_ROW_DUPLICATE;
              counts.duplicates++;
            }
          else
            status = TESORO_IMPORT_ROW_NEW;
        }

      if (result->len < max_rows)
        {
          TesoroImportRow *row = g_new0 (TesoroImportRow, 1);

          row->line = src.line;
          row->record = src.record;
          if (src.csv != NULL && !src.broken)
            row->values = tesoro_csv_reader_dup_fields (src.csv);
          row->contact = src.broken ? NULL : g_object_ref (src.contact);
          row->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_import_problem_free);
          for (guint i = 0; i < src.problems->len; i++)
            g_ptr_array_add (row->problems, _tesoro_import_problem_copy (src.problems->pdata[i]));
          row->status = status;
          row->existing_id = existing_id;
          g_ptr_array_add (result, row);
        }
      else if (totals == NULL)
        break;

      if ((counts.records & 255) == 0)
        _tesoro_bulk_progress_report (&prog, _tesoro_import_source_bytes_read (&src), FALSE);
    }

  if (rc < 0)
    {
      _tesoro_import_source_clear (&src);
      return FALSE;
    }

  _tesoro_bulk_progress_report (&prog, prog.total, TRUE);
  _tesoro_import_source_clear (&src);

  if (totals != NULL)
    *totals = counts;
  *rows = g_steal_pointer (&result);
  return TRUE;
}

/* Updating existing contacts */

/* The import's record of an updated contact: its fields before, and the
 * history rows the import added. Personal data: it goes with the contact.
 * A contact updated by two rows keeps its state from before the first, and
 * collects the history rows of both. */
static gboolean
record_update (TesoroBackend  *backend,
               gint64          batch_id,
               gint64          contact_id,
               const char     *old_text,
               TesoroContact  *before,
               GArray         *note_ids,
               GArray         *consent_ids,
               GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) old_root = old_text != NULL ? json_from_string (old_text, NULL) : NULL;
  JsonObject *old = old_root != NULL && JSON_NODE_HOLDS_OBJECT (old_root) ? json_node_get_object (old_root) : NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contact");
  if (old != NULL && json_object_has_member (old, "contact"))
    json_builder_add_value (builder, json_node_copy (json_object_get_member (old, "contact")));
  else
    json_builder_add_value (builder, tesoro_contact_to_json_node (before));

  for (guint k = 0; k < 2; k++)
    {
      const char *member = k == 0 ? "notes" : "consent";
      GArray *ids = k == 0 ? note_ids : consent_ids;

      json_builder_set_member_name (builder, member);
      json_builder_begin_array (builder);
      if (old != NULL && json_object_has_member (old, member))
        {
          JsonArray *earlier = json_object_get_array_member (old, member);

          for (guint i = 0; earlier != NULL && i < json_array_get_length (earlier); i++)
            json_builder_add_int_value (builder, json_array_get_int_element (earlier, i));
        }
      for (guint i = 0; i < ids->len; i++)
        json_builder_add_int_value (builder, g_array_index (ids, gint64, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = tesoro_json_to_string (root, FALSE);

  return tesoro_backend_put_import_item (backend, batch_id, contact_id, FALSE, text, error);
}

typedef enum
{
  UPDATE_DONE,
  UPDATE_NOTHING,
  UPDATE_RESTRICTED,
} UpdateOutcome;

/* Fills the empty fields of contact @id from @incoming, inside the run's
 * transaction. */
static gboolean
update_existing (TesoroImportSession  *self,
                 TesoroSession        *session,
                 gint64                batch_id,
                 gint64                id,
                 TesoroContact        *incoming,
                 UpdateOutcome        *outcome,
                 GError              **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (session);
  g_autoptr(TesoroContact) existing = NULL;
  g_autoptr(TesoroContact) target = NULL;
  g_autoptr(TesoroContact) before = NULL;
  g_autoptr(GArray) note_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) consent_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *previous = NULL;
  gboolean created_here = FALSE;
  gboolean changed;
  GPtrArray *array;

  existing = _tesoro_session_load_whole (session, id, error);
  if (existing == NULL)
    return FALSE;

  if (tesoro_contact_get_restricted (existing))
    {
      *outcome = UPDATE_RESTRICTED;
      return TRUE;
    }

  before = tesoro_contact_copy (existing);
  tesoro_import_merge_strip_history (before);
  /* The import fills in what the importing user sees; what it may not
   * change is refused by the update. */
  target = tesoro_contact_copy (before);
  _tesoro_session_mask (session, target);

  changed = tesoro_import_merge_fill (target, incoming);
  if (changed && !tesoro_session_update_contact (session, target, error))
    return FALSE;

  array = tesoro_contact_get_notes (incoming);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroNote *n = array->pdata[i];
      gint64 note_id;

      if (!has_text (n->body) || tesoro_import_merge_has_note (existing, n->body))
        continue;
      note_id = tesoro_session_add_note (session, id, n->body, error);
      if (note_id < 0)
        return FALSE;
      g_array_append_val (note_ids, note_id);
    }

  /* An import never overrides what the person said: consent is recorded
   * only for a contact with no marketing consent on record. */
  array = tesoro_contact_get_consent (incoming);
  for (guint i = 0; i < array->len && !tesoro_import_merge_has_consent (existing); i++)
    {
      TesoroConsentEvent *c = array->pdata[i];
      gint64 event_id;

      if (g_strcmp0 (c->purpose, TESORO_PURPOSE_MARKETING_EMAIL) != 0)
        continue;
      event_id = tesoro_session_record_consent (session, id, c->purpose, c->granted, NULL, c->source, c->evidence,
                                                error);
      if (event_id < 0)
        return FALSE;
      g_array_append_val (consent_ids, event_id);
      break;
    }

  if (!changed && note_ids->len == 0 && consent_ids->len == 0)
    {
      *outcome = UPDATE_NOTHING;
      return TRUE;
    }

  /* A contact this import created goes as a whole on Undo. */
  if (!tesoro_backend_get_import_item (backend, batch_id, id, &created_here, &previous, error) ||
      (!created_here && !record_update (backend, batch_id, id, previous, before, note_ids, consent_ids, error)))
    return FALSE;

  *outcome = UPDATE_DONE;
  return TRUE;
}

/* Running */

static JsonNode *
counts_to_json (TesoroImportSession      *self,
                const TesoroImportResult *r)
{
  return tesoro_json_object_new ("format", 's', tesoro_import_format_to_string (self->format),
                                 "records", 'i', (gint64) r->records,
                                 "created", 'i', (gint64) r->created,
                                 "updated", 'i', (gint64) r->updated,
                                 "skipped", 'i', (gint64) r->skipped,
                                 "restricted", 'i', (gint64) r->restricted,
                                 "invalid", 'i', (gint64) r->invalid,
                                 "existing", 's', tesoro_import_existing_to_string (self->existing),
                                 NULL);
}

/*
 * The uid of an imported contact: a UUID of version 7 (RFC 9562), whose
 * first 48 bits are the time in milliseconds and the rest random. It is as
 * stable and as free of personal data as a random one, and says no more
 * than the contact's created_at; but a million of them arrive in order, so
 * the uid index grows at its end instead of being written at random places.
 */
typedef struct
{
  GRand   *rand;
  guint64  last_ms;
  guint    counter;
} UidMaker;

static char *
uid_make (UidMaker *maker)
{
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint8 b[16];

  /* Monotonic within a millisecond: a 12-bit counter in rand_a. */
  if (ms <= maker->last_ms)
    {
      ms = maker->last_ms;
      if (++maker->counter >= 0x1000)
        {
          ms++;
          maker->counter = g_rand_int_range (maker->rand, 0, 0x800);
        }
    }
  else
    maker->counter = g_rand_int_range (maker->rand, 0, 0x800);
  maker->last_ms = ms;

  for (int i = 0; i < 6; i++)
    b[i] = (ms >> (8 * (5 - i))) & 0xff;
  b[6] = 0x70 | ((maker->counter >> 8) & 0x0f);
  b[7] = maker->counter & 0xff;
  for (int i = 8; i < 16; i += 4)
    {
      guint32 r = g_rand_int (maker->rand);
      memcpy (b + i, &r, 4);
    }
  b[8] = 0x80 | (b[8] & 0x3f);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Inside the transaction of run(): everything but the commit. */
static gboolean
run_rows (TesoroImportSession  *self,
          TesoroSession        *session,
          Source               *src,
          Report               *report,
          gint64                batch_id,
          GCancellable         *cancellable,
          TesoroBulkProgress   *prog,
          TesoroImportResult   *r,
          GError              **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (session);
  g_autofree char *now = tesoro_now_iso ();
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(TesoroEmailSet) known = NULL;
  UidMaker uids = { rand, 0, 0 };
  g_auto(GStrv) disabled = NULL;
  int rc;

  /* What a vCard (or a mapping made elsewhere) brings of a field that is
   * switched off is dropped. */
  disabled = tesoro_session_get_disabled_fields (session, error);
  if (disabled == NULL)
    return FALSE;

  if (self->existing != TESORO_IMPORT_EXISTING_CREATE)
    {
      known = email_prefilter_new (session, error);
      if (known == NULL)
        return FALSE;
    }

  while ((rc = _tesoro_import_source_next (src, cancellable, error)) > 0)
    {
      gint64 existing_id = 0;

      if (g_cancellable_is_cancelled (cancellable))
        return _tesoro_import_cancelled_error (error);

      r->records++;
      if ((r->records & 255) == 0)
        _tesoro_bulk_progress_report (prog, _tesoro_import_source_bytes_read (src), FALSE);

      if (src->problems->len > 0)
        {
          if (!self->skip_invalid)
            {
              _tesoro_import_set_row_error (src, error);
              return FALSE;
            }
          r->invalid++;
          if (report->writer != NULL && !_tesoro_import_report_add (report, src, cancellable, error))
            return FALSE;
          continue;
        }

      tesoro_contact_take_fields (src->contact, NULL, (const char * const *) disabled);

      if (self->existing != TESORO_IMPORT_EXISTING_CREATE &&
          (has_text (tesoro_contact_get_uid (src->contact)) || tesoro_email_set_may_know (known, src->contact)))
        {
          existing_id = find_existing (session, src->contact, error);
          if (existing_id < 0)
            return FALSE;
        }

      if (existing_id > 0 && self->existing == TESORO_IMPORT_EXISTING_SKIP)
        {
          r->skipped++;
          continue;
        }

      if (existing_id > 0)
        {
          UpdateOutcome outcome = UPDATE_NOTHING;

          if (!update_existing (self, session, batch_id, existing_id, src->contact, &outcome, error))
            return FALSE;
          if (outcome == UPDATE_DONE)
            tesoro_email_set_add_contact (known, src->contact);
          switch (outcome)
            {
            case UPDATE_DONE:
              r->updated++;
              break;
            case UPDATE_RESTRICTED:
              r->restricted++;
              r->skipped++;
              break;
            case UPDATE_NOTHING:
            default:
              r->skipped++;
              break;
            }
          continue;
        }

      /* A vCard's uid names one contact; a second one gets its own. */
      if (has_text (tesoro_contact_get_uid (src->contact)))
        {
          gint64 taken = tesoro_backend_find_by_uid (backend, tesoro_contact_get_uid (src->contact), TRUE, error);

          if (taken < 0)
            return FALSE;
          if (taken > 0)
            tesoro_contact_set_uid (src->contact, NULL);
        }
      if (!has_text (tesoro_contact_get_uid (src->contact)))
        {
          g_autofree char *uid = uid_make (&uids);
          tesoro_contact_set_uid (src->contact, uid);
        }

      if (!_tesoro_session_may_write (session, NULL, src->contact, error) ||
          !_tesoro_session_insert_contact (session, src->contact, now, error))
        {
          g_prefix_error (error, _("%s, line %" PRIu64 ": "), self->display_name, src->line);
          return FALSE;
        }
      if (!tesoro_backend_put_import_item (backend, batch_id, tesoro_contact_get_id (src->contact), TRUE, NULL,
                                           error))
        return FALSE;
      if (known != NULL)
        tesoro_email_set_add_contact (known, src->contact);
      r->created++;
    }

  return rc == 0;
}

static TesoroFieldGroups
group_of_field (TesoroImportField field)
{
  switch (field)
    {
    case TESORO_IMPORT_GIVEN_NAME:
    case TESORO_IMPORT_MIDDLE_NAME:
    case TESORO_IMPORT_FAMILY_NAME_PARTICLE:
    case TESORO_IMPORT_FAMILY_NAME:
    case TESORO_IMPORT_NAME:
    case TESORO_IMPORT_DISPLAY_NAME:
      return TESORO_FIELDS_NAME;
    case TESORO_IMPORT_ORGANIZATION:
    case TESORO_IMPORT_JOB_TITLE:
      return TESORO_FIELDS_ORGANIZATION;
    case TESORO_IMPORT_BIRTHDAY:
      return TESORO_FIELDS_BIRTHDAY;
    case TESORO_IMPORT_EMAIL:
    case TESORO_IMPORT_EMAIL_LABEL:
      return TESORO_FIELDS_EMAILS;
    case TESORO_IMPORT_PHONE:
    case TESORO_IMPORT_PHONE_LABEL:
      return TESORO_FIELDS_PHONES;
    case TESORO_IMPORT_ADDRESS:
    case TESORO_IMPORT_ADDRESS_LABEL:
      return TESORO_FIELDS_ADDRESSES;
    case TESORO_IMPORT_NOTE:
      return TESORO_FIELDS_NOTES;
    case TESORO_IMPORT_TAGS:
      return TESORO_FIELDS_TAGS;
    case TESORO_IMPORT_LAWFUL_BASIS:
    case TESORO_IMPORT_CONSENT:
      return TESORO_FIELDS_CONSENT;
    case TESORO_IMPORT_CUSTOM:
      return TESORO_FIELDS_CUSTOM;
    case TESORO_IMPORT_IGNORE:
    default:
      return 0;
    }
}

/* Refuses, before anything is read, a mapping that puts a column into a
 * field the importing user may not write. */
static gboolean
check_mapping_access (TesoroImportSession  *self,
                      TesoroSession        *session,
                      GError              **error)
{
  guint n = self->mapping != NULL ? tesoro_import_mapping_get_n_columns (self->mapping) : 0;

  for (guint i = 0; i < n; i++)
    {
      const TesoroImportSpec *spec = tesoro_import_mapping_get_spec (self->mapping, i);
      TesoroFieldGroups group = spec != NULL ? group_of_field (spec->field) : 0;
      gboolean ok;

      if (group == 0)
        continue;
      if (group == TESORO_FIELDS_CUSTOM)
        ok = _tesoro_session_may_write_custom (session, spec->custom_name, error);
      else
        ok = _tesoro_session_may_write_groups (session, group, error);
      if (!ok)
        {
          g_autofree char *column = tesoro_import_mapping_dup_column_name (self->mapping, i);

          g_prefix_error (error, _("%s, column “%s”: "), self->display_name, column);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * tesoro_import_session_run:
 * @session: the session to import into; on a worker thread, one of its own
 * @progress: (nullable): called with bytes read and the file size
 * @result: (out caller-allocates): what was done
 *
 * Imports the file in one transaction: a cancel, an error or a process
 * killed half way leaves the database as it was. Without skip-invalid the
 * first invalid row is an error (TESORO_ERROR_INVALID) naming the file,
 * line and column, and nothing is stored. With it, invalid rows are left
 * out and, if a report path was given, listed in the report.
 *
 * On success the mapping is remembered for files with the same header
 * row, one entry is written to the accountability log, and the session
 * emits "contact-changed" with %TESORO_CHANGE_RESET.
 */
gboolean
tesoro_import_session_run (TesoroImportSession  *self,
                           TesoroSession        *session,
                           GCancellable         *cancellable,
                           TesoroProgressFunc    progress,
                           gpointer              user_data,
                           TesoroImportResult   *result,
                           GError              **error)
{
  TesoroImportResult r = { 0 };
  TesoroBulkProgress prog = { progress, user_data, 0, 0 };
  Report report = { 0 };
  Source src = { 0 };
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *details_text = NULL;
  gboolean report_written = FALSE;
  TesoroBackend *backend;

  g_return_val_if_fail (TESORO_IS_IMPORT_SESSION (self), FALSE);
  g_return_val_if_fail (TESORO_IS_SESSION (session), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (!self->prepared)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The import has not been prepared"));
      return FALSE;
    }
  if (self->mapping != NULL && !tesoro_import_mapping_check (self->mapping, error))
    return FALSE;
  if (!tesoro_session_require (session, TESORO_PERMISSION_IMPORT, error) ||
      !check_mapping_access (self, session, error))
    return FALSE;

  backend = _tesoro_session_get_backend (session);
  if (tesoro_backend_in_transaction (backend))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_BUSY,
                   _("Another change is being saved on this connection; try the import again"));
      return FALSE;
    }

  if (!_tesoro_import_source_open (&src, self, cancellable, error))
    {
      _tesoro_import_source_clear (&src);
      _tesoro_import_translate_cancel (error);
      return FALSE;
    }
  prog.total = src.file_size;

  if (self->skip_invalid && self->report_path != NULL && !_tesoro_import_report_open (&report, self->report_path, error))
    {
      _tesoro_import_source_clear (&src);
      _tesoro_import_report_clear (&report);
      return FALSE;
    }

  if (!_tesoro_session_begin (session, TESORO_WRITE_BULK, error))
    goto failed;

  r.batch_id = tesoro_backend_insert_import_batch (backend, now, tesoro_session_get_actor (session),
                                                   tesoro_import_format_to_string (self->format), error);
  if (r.batch_id < 0 ||
      !run_rows (self, session, &src, &report, r.batch_id, cancellable, &prog, &r, error))
    goto failed;

  details = counts_to_json (self, &r);
  details_text = tesoro_json_to_string (details, FALSE);
  if (!tesoro_backend_finish_import_batch (backend, r.batch_id, details_text, NULL, error))
    goto failed;

  json_object_set_int_member (json_node_get_object (details), "batch", r.batch_id);
  if (!_tesoro_session_audit (session, TESORO_AUDIT_IMPORT, NULL, g_steal_pointer (&details), error))
    goto failed;

  if (self->mapping != NULL && !remember_mapping (session, self->mapping, error))
    goto failed;

  if (g_cancellable_is_cancelled (cancellable))
    {
      _tesoro_import_cancelled_error (error);
      goto failed;
    }

  /* The report is complete before the import is: a failure to write it
   * stops the import. */
  if (report.writer != NULL)
    {
      if (!_tesoro_import_report_commit (&report, cancellable, error))
        goto failed;
      report_written = TRUE;
    }

  if (self->dry_run)
    {
      tesoro_backend_rollback (backend);
      r.batch_id = 0;
    }
  else if (!_tesoro_session_commit (session, error))
    goto failed;

  _tesoro_bulk_progress_report (&prog, prog.total, TRUE);
  _tesoro_import_source_clear (&src);
  _tesoro_import_report_clear (&report);

  if (!self->dry_run && (r.created > 0 || r.updated > 0))
    _tesoro_session_emit_changed (session, 0, TESORO_CHANGE_RESET);

  *result = r;
  return TRUE;

failed:
  _tesoro_session_fail (session);
  if (report_written)
    g_unlink (self->report_path);
  _tesoro_import_source_clear (&src);
  _tesoro_import_report_clear (&report);
  _tesoro_import_translate_cancel (error);
  return FALSE;
}

/* Import batches and Undo Import */

/**
 * tesoro_session_list_import_batches:
 *
 * Returns: (transfer full) (element-type TesoroImportBatch): the imports,
 * newest first
 */
GPtrArray *
tesoro_session_list_import_batches (TesoroSession  *self,
                                    GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_IMPORT, error))
    return NULL;
  return tesoro_backend_list_import_batches (_tesoro_session_get_backend (self), 0, error);
}

/**
 * tesoro_session_get_import_batch:
 *
 * Returns: (transfer full) (nullable): the import, or %NULL with
 * TESORO_ERROR_NOT_FOUND
 */
TesoroImportBatch *
tesoro_session_get_import_batch (TesoroSession  *self,
                                 gint64          batch_id,
                                 GError        **error)
{
  g_autoptr(GPtrArray) batches = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_IMPORT, error))
    return NULL;

  batches = tesoro_backend_list_import_batches (_tesoro_session_get_backend (self), MAX (batch_id, 1), error);
  return batches != NULL ? tesoro_import_batch_copy (batches->pdata[0]) : NULL;
}

static GArray *
json_ids (JsonObject *object,
          const char *member)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 id = json_array_get_int_element (array, i);
          g_array_append_val (ids, id);
        }
    }

  return ids;
}

/* Puts an updated contact back as it was; with no error but *@restored
 * FALSE when it may not be changed any more (restricted or in the trash). */
static gboolean
restore_updated (TesoroSession  *session,
                 gint64          contact_id,
                 const char     *previous,
                 gboolean       *restored,
                 GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (session);
  g_autoptr(JsonNode) root = json_from_string (previous, NULL);
  g_autoptr(TesoroContact) before = NULL;
  g_autoptr(GArray) note_ids = NULL;
  g_autoptr(GArray) consent_ids = NULL;
  JsonObject *object;

  *restored = FALSE;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "contact"))
    return TRUE;

  switch (_tesoro_session_judge (session, contact_id, TESORO_INTENT_EDIT, NULL, error))
    {
    case TESORO_VERDICT_ALLOWED:
      break;
    case TESORO_VERDICT_FAILED:
      return FALSE;
    default:
      return TRUE;
    }

  before = tesoro_contact_new_from_json_node (json_object_get_member (object, "contact"), error);
  if (before == NULL)
    return FALSE;
  tesoro_contact_set_id (before, contact_id);
  if (!tesoro_session_update_contact (session, before, error))
    return FALSE;

  note_ids = json_ids (object, "notes");
  consent_ids = json_ids (object, "consent");
  for (guint i = 0; i < note_ids->len; i++)
    if (!tesoro_backend_delete_history (backend, contact_id, TESORO_RECORD_NOTE,
                                        g_array_index (note_ids, gint64, i), error))
      return FALSE;
  for (guint i = 0; i < consent_ids->len; i++)
    if (!tesoro_backend_delete_history (backend, contact_id, TESORO_RECORD_CONSENT,
                                        g_array_index (consent_ids, gint64, i), error))
      return FALSE;

  *restored = TRUE;
  return TRUE;
}

/**
 * tesoro_session_undo_import:
 * @batch_id: the import, from #TesoroImportResult or
 *   tesoro_session_list_import_batches()
 * @progress: (nullable): called with contacts done and the number to do
 * @n_removed: (out) (optional): contacts removed
 * @n_restored: (out) (optional): contacts put back as they were
 *
 * Undoes an import in one transaction: removes the contacts it created
 * (those still in the database, in the trash or not) and puts the fields
 * of the contacts it updated back as they were, removing the notes and
 * consent it added. Contacts that are restricted or in the trash now are
 * not changed back. One entry goes into the accountability log; the
 * batch's record of the contacts is removed.
 */
gboolean
tesoro_session_undo_import (TesoroSession       *self,
                            gint64               batch_id,
                            GCancellable        *cancellable,
                            TesoroProgressFunc   progress,
                            gpointer             user_data,
                            guint64             *n_removed,
                            guint64             *n_restored,
                            GError             **error)
{
  g_autoptr(TesoroImportBatch) batch = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) previous = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *now = tesoro_now_iso ();
  TesoroBulkProgress prog = { progress, user_data, 0, 0 };
  guint64 restored = 0, done = 0;
  gint64 removed;
  TesoroBackend *backend;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_IMPORT, error))
    return FALSE;

  if (n_removed != NULL)
    *n_removed = 0;
  if (n_restored != NULL)
    *n_restored = 0;

  backend = _tesoro_session_get_backend (self);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  batch = tesoro_session_get_import_batch (self, batch_id, error);
  if (batch == NULL)
    return _tesoro_session_fail (self);
  if (batch->undone_at != NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Import %" PRId64 " has already been undone"), batch_id);
      return _tesoro_session_fail (self);
    }
  prog.total = batch->remaining_created + batch->remaining_updated;

  /* Updated contacts first, one by one. */
  if (!tesoro_backend_list_import_updates (backend, batch_id, ids, previous, error))
    return _tesoro_session_fail (self);

  for (guint i = 0; i < ids->len; i++)
    {
      gboolean ok = FALSE;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: the import was not undone"));
          return _tesoro_session_fail (self);
        }
      if (!restore_updated (self, g_array_index (ids, gint64, i), previous->pdata[i], &ok, error))
        return _tesoro_session_fail (self);
      if (ok)
        restored++;
      _tesoro_bulk_progress_report (&prog, ++done, FALSE);
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: the import was not undone"));
      return _tesoro_session_fail (self);
    }

  /* Then the created ones, all at once; tags and custom fields only those
   * contacts had go too, as on erasure. */
  removed = tesoro_backend_delete_import_created (backend, batch_id, error);
  if (removed < 0 ||
      (removed > 0 && !_tesoro_session_delete_unused_names (self, error)) ||
      !tesoro_backend_finish_import_batch (backend, batch_id, NULL, now, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_IMPORT_UNDO, NULL,
                              tesoro_json_object_new ("batch", 'i', batch_id, "removed", 'i', removed,
                                                      "restored", 'i', (gint64) restored, NULL),
                              error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  _tesoro_bulk_progress_report (&prog, prog.total, TRUE);
  _tesoro_session_emit_changed (self, 0, TESORO_CHANGE_RESET);

  if (n_removed != NULL)
    *n_removed = removed;
  if (n_restored != NULL)
    *n_restored = restored;
  return TRUE;
}

/**
 * tesoro_session_list_custom_field_names:
 *
 * Returns: (transfer full): the names of the custom fields in the
 * database, sorted, for tesoro_import_mapping_list_choices()
 */
GStrv
tesoro_session_list_custom_field_names (TesoroSession  *self,
                                        GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  return tesoro_backend_list_names (_tesoro_session_get_backend (self), TESORO_NAME_CUSTOM_FIELD, error);
}
