/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-gdpr"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-gdpr.h"
#include "tesoro-contact-json.h"
#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-store-private.h"
#include "tesoro-utils.h"

#define KEY_RETENTION_ENABLED "retention.enabled"
#define KEY_RETENTION_YEARS   "retention.years"
#define KEY_TRASH_EXPIRY_DAYS "trash.expiry_days"

#define DEFAULT_RETENTION_YEARS   5
#define DEFAULT_TRASH_EXPIRY_DAYS 30
#define MAX_RETENTION_YEARS       100
#define MAX_TRASH_EXPIRY_DAYS     3650

/* Above this many erased contacts one "reset" replaces the per-contact
 * change notifications. */
#define MAX_SINGLE_NOTIFICATIONS 64

struct _TesoroErasureReceipt
{
  GObject             parent_instance;

  gint64              id;
  char               *contact_uid;
  char               *erased_at;
  char               *erased_by;
  char               *method;
  char               *reason;
  TesoroLinkedCounts  counts;
  gboolean            index_purged;
  gboolean            files_purged;
};

G_DEFINE_FINAL_TYPE (TesoroErasureReceipt, tesoro_erasure_receipt, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (TesoroConsentPurpose, tesoro_consent_purpose,
                     tesoro_consent_purpose_copy, tesoro_consent_purpose_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_CONTACT_UID,
  PROP_ERASED_AT,
  PROP_ERASED_BY,
  PROP_METHOD,
  PROP_REASON,
  PROP_INDEX_PURGED,
  PROP_FILES_PURGED,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const method_names[] = { "manual", "trash", "retention", "batch" };

/* The kinds of linked records, in the order a person reads them. */
typedef struct
{
  const char *key;
  gsize       offset;
} CountKind;

static const CountKind count_kinds[] = {
  { "notes", G_STRUCT_OFFSET (TesoroLinkedCounts, notes) },
  { "messages", G_STRUCT_OFFSET (TesoroLinkedCounts, messages) },
  { "tasks", G_STRUCT_OFFSET (TesoroLinkedCounts, tasks) },
  { "activities", G_STRUCT_OFFSET (TesoroLinkedCounts, activities) },
  { "consent_events", G_STRUCT_OFFSET (TesoroLinkedCounts, consent_events) },
  { "emails", G_STRUCT_OFFSET (TesoroLinkedCounts, emails) },
  { "phones", G_STRUCT_OFFSET (TesoroLinkedCounts, phones) },
  { "addresses", G_STRUCT_OFFSET (TesoroLinkedCounts, addresses) },
  { "custom_fields", G_STRUCT_OFFSET (TesoroLinkedCounts, custom_fields) },
  { "tags", G_STRUCT_OFFSET (TesoroLinkedCounts, tags) },
};

/* One phrase per kind of count_kinds[], with its plural forms. */
static char *
describe_count (guint kind,
                guint n)
{
  switch (kind)
    {
    case 0: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note", "%u notes", n), n);
    case 1: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message", "%u messages", n), n);
    case 2: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task", "%u tasks", n), n);
    case 3: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u activity", "%u activities", n), n);
    case 4: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u consent record", "%u consent records", n), n);
    case 5: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u e-mail address", "%u e-mail addresses", n), n);
    case 6: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u phone number", "%u phone numbers", n), n);
    case 7: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u address", "%u addresses", n), n);
    case 8: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u custom field", "%u custom fields", n), n);
    case 9: return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u tag", "%u tags", n), n);
    default: g_assert_not_reached ();
    }
}

#define COUNT_AT(counts, kind) G_STRUCT_MEMBER (guint, (counts), (kind)->offset)

/* Helpers */

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

static gboolean
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
               _("There is no contact with id %" PRId64), id);
  return FALSE;
}

static gboolean
fail_transaction (TesoroDb *db)
{
  if (tesoro_db_in_transaction (db))
    tesoro_db_rollback (db);
  return FALSE;
}

/* Reads the uid (and flags) of a contact; FALSE with NOT_FOUND if none. */
static gboolean
read_contact_state (TesoroStore  *self,
                    gint64        id,
                    char        **uid,
                    gboolean     *restricted,
                    gboolean     *legal_hold,
                    char        **hold_reason,
                    GError      **error)
{
  TesoroDb *db = _tesoro_store_get_db (self);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tesoro_db_prepare (db,
                            "SELECT uid, restricted, legal_hold, legal_hold_reason FROM contacts WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return not_found (error, id);
    }

  if (uid != NULL)
    *uid = tesoro_db_column_dup (stmt, 0);
  if (restricted != NULL)
    *restricted = sqlite3_column_int (stmt, 1);
  if (legal_hold != NULL)
    *legal_hold = sqlite3_column_int (stmt, 2);
  if (hold_reason != NULL)
    *hold_reason = tesoro_db_column_dup (stmt, 3);
  sqlite3_reset (stmt);

  return TRUE;
}

static JsonNode *
build_details (const char *first_key,
               ...) G_GNUC_NULL_TERMINATED;

/* Builds a details object from (key, type, value) triples: 's' a string
 * (NULL gives null), 'i' a gint64, 'b' a gboolean, 'n' a JsonNode taken. */
static JsonNode *
build_details (const char *first_key,
               ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      int type = va_arg (args, int);

      json_builder_set_member_name (builder, key);
      switch (type)
        {
        case 's':
          {
            const char *value = va_arg (args, const char *);
            if (value != NULL)
              json_builder_add_string_value (builder, value);
            else
              json_builder_add_null_value (builder);
          }
          break;
        case 'i':
          json_builder_add_int_value (builder, va_arg (args, gint64));
          break;
        case 'b':
          json_builder_add_boolean_value (builder, va_arg (args, gboolean));
          break;
        case 'n':
          json_builder_add_value (builder, va_arg (args, JsonNode *));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  va_end (args);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
audit (TesoroStore  *self,
       const char   *action,
       const char   *uid,
       JsonNode     *details,
       GError      **error)
{
  g_autoptr(JsonNode) owned = details;

  return tesoro_store_append_audit (self, action, uid, owned, error) > 0;
}

/* Linked counts */

/**
 * tesoro_linked_counts_total:
 *
 * Returns: the number of linked records, not counting search index entries
 */
guint
tesoro_linked_counts_total (const TesoroLinkedCounts *counts)
{
  guint total = 0;

  g_return_val_if_fail (counts != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (count_kinds); i++)
    total += COUNT_AT (counts, &count_kinds[i]);

  return total;
}

/**
 * tesoro_linked_counts_describe:
 *
 * Returns: (transfer full): "3 notes, 2 messages, 1 task" (the kinds there
 * are, in a person's order), or "no linked records"
 */
char *
tesoro_linked_counts_describe (const TesoroLinkedCounts *counts)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (counts != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (count_kinds); i++)
    {
      guint n = COUNT_AT (counts, &count_kinds[i]);
      g_autofree char *phrase = NULL;

      if (n == 0)
        continue;
      phrase = describe_count (i, n);
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, phrase);
    }

  if (text->len == 0)
    g_string_append (text, _("no linked records"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * tesoro_linked_counts_to_json_node:
 *
 * Returns: (transfer full): `{"notes": 3, …, "search_terms": 12}`
 */
JsonNode *
tesoro_linked_counts_to_json_node (const TesoroLinkedCounts *counts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (counts != NULL, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (count_kinds); i++)
    {
      json_builder_set_member_name (builder, count_kinds[i].key);
      json_builder_add_int_value (builder, COUNT_AT (counts, &count_kinds[i]));
    }
  json_builder_set_member_name (builder, "search_terms");
  json_builder_add_int_value (builder, counts->search_terms);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
counts_from_json (TesoroLinkedCounts *counts,
                  const char         *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  memset (counts, 0, sizeof *counts);
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (count_kinds); i++)
    COUNT_AT (counts, &count_kinds[i]) = json_object_get_int_member_with_default (object, count_kinds[i].key, 0);
  counts->search_terms = json_object_get_int_member_with_default (object, "search_terms", 0);
}

/* TesoroErasureReceipt */

static void
tesoro_erasure_receipt_finalize (GObject *object)
{
  TesoroErasureReceipt *self = (TesoroErasureReceipt *) object;

  g_free (self->contact_uid);
  g_free (self->erased_at);
  g_free (self->erased_by);
  g_free (self->method);
  g_free (self->reason);

  G_OBJECT_CLASS (tesoro_erasure_receipt_parent_class)->finalize (object);
}

static void
tesoro_erasure_receipt_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TesoroErasureReceipt *self = TESORO_ERASURE_RECEIPT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CONTACT_UID:
      g_value_set_string (value, self->contact_uid);
      break;
    case PROP_ERASED_AT:
      g_value_set_string (value, self->erased_at);
      break;
    case PROP_ERASED_BY:
      g_value_set_string (value, self->erased_by);
      break;
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_INDEX_PURGED:
      g_value_set_boolean (value, self->index_purged);
      break;
    case PROP_FILES_PURGED:
      g_value_set_boolean (value, self->files_purged);
      break;
    case PROP_SUMMARY:
      g_value_take_string (value, tesoro_linked_counts_describe (&self->counts));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_erasure_receipt_class_init (TesoroErasureReceiptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tesoro_erasure_receipt_finalize;
  object_class->get_property = tesoro_erasure_receipt_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTACT_UID] =
    g_param_spec_string ("contact-uid", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERASED_AT] =
    g_param_spec_string ("erased-at", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERASED_BY] =
    g_param_spec_string ("erased-by", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INDEX_PURGED] =
    g_param_spec_boolean ("index-purged", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILES_PURGED] =
    g_param_spec_boolean ("files-purged", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tesoro_erasure_receipt_init (TesoroErasureReceipt *self)
{
}

gint64
tesoro_erasure_receipt_get_id (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), 0);
  return self->id;
}

const char *
tesoro_erasure_receipt_get_contact_uid (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), NULL);
  return self->contact_uid;
}

const char *
tesoro_erasure_receipt_get_erased_at (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), NULL);
  return self->erased_at;
}

const char *
tesoro_erasure_receipt_get_erased_by (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), NULL);
  return self->erased_by;
}

/**
 * tesoro_erasure_receipt_get_method:
 *
 * Returns: "manual", "trash", "retention" or "batch"
 */
const char *
tesoro_erasure_receipt_get_method (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), NULL);
  return self->method;
}

const char *
tesoro_erasure_receipt_get_reason (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), NULL);
  return self->reason;
}

const TesoroLinkedCounts *
tesoro_erasure_receipt_get_counts (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), NULL);
  return &self->counts;
}

/**
 * tesoro_erasure_receipt_get_index_purged:
 *
 * Returns: whether the contact's search index entries were checked gone
 */
gboolean
tesoro_erasure_receipt_get_index_purged (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), FALSE);
  return self->index_purged;
}

/**
 * tesoro_erasure_receipt_get_files_purged:
 *
 * Returns: whether the write-ahead log was checkpointed and truncated after
 * the erasure, so that no copy of the data remains in the database files
 */
gboolean
tesoro_erasure_receipt_get_files_purged (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), FALSE);
  return self->files_purged;
}

/**
 * tesoro_erasure_method_get_label:
 * @method: (nullable): how a contact was erased, as in
 *   tesoro_erasure_receipt_get_method()
 *
 * Returns: (nullable): the translated wording of @method; @method itself when
 *   it is not a known one
 */
const char *
tesoro_erasure_method_get_label (const char *method)
{
  if (g_strcmp0 (method, "manual") == 0)
    return _("Delete Permanently");
  if (g_strcmp0 (method, "trash") == 0)
    return _("Emptying the trash");
  if (g_strcmp0 (method, "retention") == 0)
    return _("Retention period");
  if (g_strcmp0 (method, "batch") == 0)
    return _("Permanent deletion of a selection");
  return method;
}

/**
 * tesoro_erasure_receipt_to_text:
 *
 * Returns: (transfer full): the receipt as a person reads it, to show or to
 * save as a file; it holds no personal data
 */
char *
tesoro_erasure_receipt_to_text (TesoroErasureReceipt *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *counts = NULL;

  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), NULL);

  when = tesoro_format_timestamp_local (self->erased_at);
  counts = tesoro_linked_counts_describe (&self->counts);

  g_string_append_printf (text, "%s\n\n", _("Erasure receipt"));
  g_string_append_printf (text, "%-24s %" G_GINT64_FORMAT "\n", _("Receipt:"), self->id);
  g_string_append_printf (text, "%-24s %s\n", _("Contact uid:"), self->contact_uid);
  g_string_append_printf (text, "%-24s %s (%s)\n", _("Erased at:"), when, self->erased_at);
  g_string_append_printf (text, "%-24s %s\n", _("Erased by:"), self->erased_by);
  g_string_append_printf (text, "%-24s %s\n", _("Method:"), tesoro_erasure_method_get_label (self->method));
  g_string_append_printf (text, "%-24s %s\n", _("Reason:"), has_text (self->reason) ? self->reason : _("(none given)"));
  g_string_append_printf (text, "%-24s %s\n", _("Erased with the contact:"), counts);
  g_string_append_printf (text, "%-24s %s\n", _("Search index:"),
                          self->index_purged ? _("purged") : _("NOT confirmed purged"));
  g_string_append_printf (text, "%-24s %s\n", _("Database files:"),
                          self->files_purged ? _("purged (log checkpointed and truncated)")
                                             : _("NOT yet purged: another program held the database open"));
  g_string_append_printf (text, "\n%s\n",
                          _("This receipt holds no personal data: the person is named only by the random "
                            "uid their record had."));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * tesoro_erasure_receipt_to_json_node:
 *
 * Returns: (transfer full): the receipt as a JSON object
 */
JsonNode *
tesoro_erasure_receipt_to_json_node (TesoroErasureReceipt *self)
{
  g_return_val_if_fail (TESORO_IS_ERASURE_RECEIPT (self), NULL);

  return build_details ("id", 'i', self->id,
                        "contact_uid", 's', self->contact_uid,
                        "erased_at", 's', self->erased_at,
                        "erased_by", 's', self->erased_by,
                        "method", 's', self->method,
                        "reason", 's', self->reason,
                        "counts", 'n', tesoro_linked_counts_to_json_node (&self->counts),
                        "index_purged", 'b', self->index_purged,
                        "files_purged", 'b', self->files_purged,
                        NULL);
}

const char *
tesoro_erasure_method_to_string (TesoroErasureMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (method_names), "manual");
  return method_names[method];
}

/* Erasure */

static gboolean
count_linked (TesoroStore         *self,
              gint64               id,
              TesoroLinkedCounts  *counts,
              GError             **error)
{
  TesoroDb *db = _tesoro_store_get_db (self);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tesoro_db_prepare (db,
                            "SELECT (SELECT count(*) FROM contact_emails WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM contact_phones WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM contact_addresses WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM contact_custom_values WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM contact_tags WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM notes WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM messages WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM tasks WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM activities WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM consent_events WHERE contact_id = ?1),"
                            " (SELECT count(*) FROM search_terms INDEXED BY search_terms_by_contact"
                            "   WHERE contact_id = ?1)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc != SQLITE_ROW)
    return FALSE;

  counts->emails = sqlite3_column_int (stmt, 0);
  counts->phones = sqlite3_column_int (stmt, 1);
  counts->addresses = sqlite3_column_int (stmt, 2);
  counts->custom_fields = sqlite3_column_int (stmt, 3);
  counts->tags = sqlite3_column_int (stmt, 4);
  counts->notes = sqlite3_column_int (stmt, 5);
  counts->messages = sqlite3_column_int (stmt, 6);
  counts->tasks = sqlite3_column_int (stmt, 7);
  counts->activities = sqlite3_column_int (stmt, 8);
  counts->consent_events = sqlite3_column_int (stmt, 9);
  counts->search_terms = sqlite3_column_int (stmt, 10);
  sqlite3_reset (stmt);

  return TRUE;
}

/**
 * tesoro_store_count_linked:
 * @counts: (out caller-allocates): the counts
 *
 * Counts what goes with a contact when it is erased, for the confirmation.
 */
gboolean
tesoro_store_count_linked (TesoroStore         *self,
                           gint64               contact_id,
                           TesoroLinkedCounts  *counts,
                           GError             **error)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  return read_contact_state (self, contact_id, NULL, NULL, NULL, NULL, error) &&
         count_linked (self, contact_id, counts, error);
}

static gboolean
collect_strings (TesoroDb    *db,
                 const char  *sql,
                 gint64       id,
                 GPtrArray   *into,
                 GError     **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    for (int c = 0; c < sqlite3_column_count (stmt); c++)
      if (has_text (tesoro_db_column_text (stmt, c)))
        g_ptr_array_add (into, tesoro_db_column_dup (stmt, c));
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/* A reason is free text and could name the person ("request of jan@…").
 * The receipt and the log must not: the contact's names, e-mail addresses
 * and phone numbers are cut out of it. */
static char *
redact_reason (TesoroStore  *self,
               gint64        id,
               const char   *reason,
               GError      **error)
{
  TesoroDb *db = _tesoro_store_get_db (self);
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *result = NULL;

  if (!has_text (reason))
    return g_strdup ("");

  if (!collect_strings (db, "SELECT given_name, family_name, display_name FROM contacts WHERE id = ?1",
                        id, needles, error) ||
      !collect_strings (db, "SELECT value FROM contact_emails WHERE contact_id = ?1", id, needles, error) ||
      !collect_strings (db, "SELECT value FROM contact_phones WHERE contact_id = ?1", id, needles, error))
    return NULL;

  /* Longest first, so that "Jan de Vries" goes before "Jan". */
  for (guint i = 0; i < needles->len; i++)
    for (guint j = i + 1; j < needles->len; j++)
      if (strlen (needles->pdata[j]) > strlen (needles->pdata[i]))
        {
          gpointer tmp = needles->pdata[i];
          needles->pdata[i] = needles->pdata[j];
          needles->pdata[j] = tmp;
        }

  result = g_strdup (reason);
  for (guint i = 0; i < needles->len; i++)
    {
      const char *needle = needles->pdata[i];
      g_autofree char *escaped = NULL;
      g_autoptr(GRegex) regex = NULL;
      char *replaced;

      if (g_utf8_strlen (needle, -1) < 2)
        continue;
      escaped = g_regex_escape_string (needle, -1);
      regex = g_regex_new (escaped, G_REGEX_CASELESS, 0, NULL);
      if (regex == NULL)
        continue;
      replaced = g_regex_replace_literal (regex, result, -1, 0, "[…]", 0, NULL);
      if (replaced != NULL)
        {
          g_free (result);
          result = replaced;
        }
    }

  return g_steal_pointer (&result);
}

/* Tags and custom fields that no contact uses any more: what only the
 * erased person had may itself say something about them ("Jan's family"),
 * and so may what they had before an edit. Nothing else needs them. */
static gboolean
delete_unused_names (TesoroDb  *db,
                     GError   **error)
{
  return tesoro_db_exec (db,
                         "DELETE FROM tags WHERE NOT EXISTS"
                         " (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = tags.id);"
                         "DELETE FROM custom_fields WHERE NOT EXISTS"
                         " (SELECT 1 FROM contact_custom_values v WHERE v.field_id = custom_fields.id);",
                         error);
}

/* Erases one contact inside the caller's transaction. */
static TesoroErasureReceipt *
erase_one (TesoroStore          *self,
           gint64                id,
           const char           *reason,
           TesoroErasureMethod   method,
           const char           *now,
           GError              **error)
{
  TesoroDb *db = _tesoro_store_get_db (self);
  g_autoptr(TesoroErasureReceipt) receipt = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *clean_reason = NULL;
  g_autofree char *counts_text = NULL;
  g_autoptr(JsonNode) counts_node = NULL;
  TesoroLinkedCounts after;
  gboolean legal_hold = FALSE;
  sqlite3_stmt *stmt;

  if (!read_contact_state (self, id, &uid, NULL, &legal_hold, NULL, error))
    return NULL;

  if (legal_hold)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Contact %" PRId64 " is on legal hold and cannot be deleted permanently: "
                     "lift the hold first"), id);
      return NULL;
    }

  receipt = g_object_new (TESORO_TYPE_ERASURE_RECEIPT, NULL);
  if (!count_linked (self, id, &receipt->counts, error))
    return NULL;

  clean_reason = redact_reason (self, id, reason, error);
  if (clean_reason == NULL)
    return NULL;

  /* ON DELETE CASCADE takes every linked row with it, the search index
   * included; secure_delete overwrites them where they were. */
  stmt = tesoro_db_prepare (db, "DELETE FROM contacts WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!tesoro_db_step_done (db, stmt, error))
    return NULL;

  if (!count_linked (self, id, &after, error))
    return NULL;
  if (tesoro_linked_counts_total (&after) != 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_DATABASE,
                   _("Records of contact %" PRId64 " remained after it was deleted; "
                     "nothing was changed (are foreign keys off?)"), id);
      return NULL;
    }

  receipt->contact_uid = g_steal_pointer (&uid);
  receipt->erased_at = g_strdup (now);
  receipt->erased_by = g_strdup (tesoro_store_get_actor (self));
  receipt->method = g_strdup (tesoro_erasure_method_to_string (method));
  receipt->reason = g_steal_pointer (&clean_reason);
  receipt->index_purged = after.search_terms == 0;

  counts_node = tesoro_linked_counts_to_json_node (&receipt->counts);
  counts_text = tesoro_json_to_string (counts_node, FALSE);

  stmt = tesoro_db_prepare (db,
                            "INSERT INTO erasure_receipts (contact_uid, erased_at, erased_by, method, reason,"
                            " counts, index_purged, files_purged) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
                            error);
  if (stmt == NULL)
    return NULL;
  tesoro_db_bind_text (stmt, 1, receipt->contact_uid);
  tesoro_db_bind_text (stmt, 2, receipt->erased_at);
  tesoro_db_bind_text (stmt, 3, receipt->erased_by);
  tesoro_db_bind_text (stmt, 4, receipt->method);
  tesoro_db_bind_text (stmt, 5, receipt->reason);
  tesoro_db_bind_text (stmt, 6, counts_text);
  sqlite3_bind_int (stmt, 7, receipt->index_purged);
  if (!tesoro_db_step_done (db, stmt, error))
    return NULL;
  receipt->id = sqlite3_last_insert_rowid (tesoro_db_get_handle (db));

  if (!audit (self, TESORO_AUDIT_ERASE, receipt->contact_uid,
              build_details ("method", 's', receipt->method,
                             "reason", 's', receipt->reason,
                             "receipt", 'i', receipt->id,
                             "counts", 'n', json_node_copy (counts_node),
                             "index_purged", 'b', receipt->index_purged,
                             NULL),
              error))
    return NULL;

  return g_steal_pointer (&receipt);
}

/**
 * tesoro_store_purge_files:
 *
 * Checkpoints the write-ahead log into the database and truncates it, so
 * that no page image of erased data stays in the `-wal` file. Erasure does
 * this itself; call it again when a receipt says the files were not purged
 * because another connection was reading.
 */
gboolean
tesoro_store_purge_files (TesoroStore  *self,
                          GError      **error)
{
  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (tesoro_store_is_read_only (self))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_READ_ONLY,
                   _("The database “%s” is open read-only"), tesoro_store_get_path (self));
      return FALSE;
    }

  return tesoro_db_checkpoint_truncate (_tesoro_store_get_db (self), error);
}

typedef struct
{
  const char          *select_sql;    /* picks the ids inside the transaction; ?1 is select_param */
  const char          *select_param;
  const gint64        *ids;
  guint                n_ids;
  const char          *reason;
  TesoroErasureMethod  method;
  const char          *summary_action; /* an audit entry for the run, or NULL */
  JsonNode            *summary;        /* its details (an object; "erased" is added) */
  gboolean             summary_always; /* even when nothing was erased */
} ErasureRun;

static gboolean
select_ids (TesoroDb    *db,
            const char  *sql,
            const char  *param,
            GArray      *into,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (tesoro_db_get_handle (db), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (db, error, rc, NULL);
      return FALSE;
    }
  if (param != NULL)
    tesoro_db_bind_text (stmt, 1, param);
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (into, id);
    }
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
run_erasure (TesoroStore                *self,
             ErasureRun                 *run,
             GCancellable               *cancellable,
             TesoroErasureProgressFunc   progress,
             gpointer                    user_data,
             GPtrArray                 **out_receipts,
             GError                    **error)
{
  TesoroDb *db = _tesoro_store_get_db (self);
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = tesoro_now_iso ();
  gboolean outermost = !tesoro_db_in_transaction (db);
  gboolean files_purged = FALSE;

  if (out_receipts != NULL)
    *out_receipts = NULL;

  /* A power cut right after the user was told "erased" must not bring the
   * person back: the commit is synced fully. */
  if (outermost)
    tesoro_db_exec (db, "PRAGMA synchronous = FULL", NULL);

  if (!_tesoro_store_begin_write (self, error))
    goto failed;

  if (run->select_sql != NULL)
    {
      if (!select_ids (db, run->select_sql, run->select_param, ids, error))
        goto failed;
    }
  else
    g_array_append_vals (ids, run->ids, run->n_ids);

  for (guint i = 0; i < ids->len; i++)
    {
      TesoroErasureReceipt *receipt;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED,
                       _("Cancelled: no contact was deleted"));
          goto failed;
        }

      receipt = erase_one (self, g_array_index (ids, gint64, i), run->reason, run->method, now, error);
      if (receipt == NULL)
        goto failed;
      g_ptr_array_add (receipts, receipt);

      if (progress != NULL)
        progress (i + 1, ids->len, user_data);
    }

  if (ids->len > 0 && !delete_unused_names (db, error))
    goto failed;

  if (run->summary_action != NULL && (ids->len > 0 || run->summary_always))
    {
      JsonNode *details = json_node_copy (run->summary);

      json_object_set_int_member (json_node_get_object (details), "erased", ids->len);
      if (!audit (self, run->summary_action, NULL, details, error))
        goto failed;
    }

  if (!tesoro_db_commit (db, error))
    goto failed;

  if (outermost)
    {
      tesoro_db_exec (db, "PRAGMA synchronous = NORMAL", NULL);
      files_purged = receipts->len > 0 && tesoro_db_checkpoint_truncate (db, NULL);
    }

  if (files_purged)
    {
      TesoroErasureReceipt *first = receipts->pdata[0];
      TesoroErasureReceipt *last = receipts->pdata[receipts->len - 1];
      sqlite3_stmt *stmt;

      /* The receipts say so; this small write holds no personal data, and
       * the log is truncated once more so that it stays empty. */
      stmt = tesoro_db_prepare (db, "UPDATE erasure_receipts SET files_purged = 1 WHERE id BETWEEN ?1 AND ?2", NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, first->id);
          sqlite3_bind_int64 (stmt, 2, last->id);
          if (tesoro_db_step_done (db, stmt, NULL))
            {
              for (guint i = 0; i < receipts->len; i++)
                ((TesoroErasureReceipt *) receipts->pdata[i])->files_purged = TRUE;
              tesoro_db_checkpoint_truncate (db, NULL);
            }
        }
    }

  if (ids->len > MAX_SINGLE_NOTIFICATIONS)
    _tesoro_store_emit_changed (self, 0, TESORO_CHANGE_RESET);
  else
    for (guint i = 0; i < ids->len; i++)
      _tesoro_store_emit_changed (self, g_array_index (ids, gint64, i), TESORO_CHANGE_ERASED);

  if (out_receipts != NULL)
    *out_receipts = g_steal_pointer (&receipts);

  return TRUE;

failed:
  fail_transaction (db);
  if (outermost)
    tesoro_db_exec (db, "PRAGMA synchronous = NORMAL", NULL);
  return FALSE;
}

/**
 * tesoro_store_erase_contact:
 * @reason: (nullable): why, as the user gave it; the contact's names,
 *   e-mail addresses and phone numbers are removed from it
 * @method: how (for the receipt)
 * @receipt: (out) (optional) (transfer full): the erasure receipt
 *
 * Permanent Delete (DESIGN.md rule 1): the contact and everything linked to
 * it, in one transaction; tags and custom fields nobody else uses go too.
 * An erasure receipt and an audit entry record the event without personal
 * data. Afterwards the write-ahead log is checkpointed and truncated.
 * A contact on legal hold is refused.
 */
gboolean
tesoro_store_erase_contact (TesoroStore           *self,
                            gint64                 contact_id,
                            const char            *reason,
                            TesoroErasureMethod    method,
                            TesoroErasureReceipt **receipt,
                            GError               **error)
{
  g_autoptr(GPtrArray) receipts = NULL;
  ErasureRun run = { NULL, };

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (receipt != NULL)
    *receipt = NULL;

  run.ids = &contact_id;
  run.n_ids = 1;
  run.reason = reason;
  run.method = method;

  if (!run_erasure (self, &run, NULL, NULL, NULL, &receipts, error))
    return FALSE;

  if (receipt != NULL)
    *receipt = g_object_ref (receipts->pdata[0]);
  return TRUE;
}

/**
 * tesoro_store_erase_contacts:
 * @ids: (array length=n_ids): the contacts
 * @reason: (nullable): why, for every receipt
 * @cancellable: (nullable): stops before the end; then nothing is erased
 * @progress: (nullable) (scope call): called after each contact
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *   one receipt per contact
 *
 * Erases many contacts in one transaction with one checkpoint. If one of
 * them cannot be erased (missing, on legal hold), none is.
 */
gboolean
tesoro_store_erase_contacts (TesoroStore                *self,
                             const gint64               *ids,
                             guint                       n_ids,
                             const char                 *reason,
                             TesoroErasureMethod         method,
                             GCancellable               *cancellable,
                             TesoroErasureProgressFunc   progress,
                             gpointer                    user_data,
                             GPtrArray                 **receipts,
                             GError                    **error)
{
  ErasureRun run = { NULL, };

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  run.ids = ids;
  run.n_ids = n_ids;
  run.reason = reason;
  run.method = method;

  return run_erasure (self, &run, cancellable, progress, user_data, receipts, error);
}

static TesoroErasureReceipt *
receipt_from_row (sqlite3_stmt *stmt)
{
  TesoroErasureReceipt *receipt = g_object_new (TESORO_TYPE_ERASURE_RECEIPT, NULL);

  receipt->id = sqlite3_column_int64 (stmt, 0);
  receipt->contact_uid = tesoro_db_column_dup (stmt, 1);
  receipt->erased_at = tesoro_db_column_dup (stmt, 2);
  receipt->erased_by = tesoro_db_column_dup (stmt, 3);
  receipt->method = tesoro_db_column_dup (stmt, 4);
  receipt->reason = tesoro_db_column_dup (stmt, 5);
  counts_from_json (&receipt->counts, tesoro_db_column_text (stmt, 6));
  receipt->index_purged = sqlite3_column_int (stmt, 7);
  receipt->files_purged = sqlite3_column_int (stmt, 8);

  return receipt;
}

/**
 * tesoro_store_list_erasure_receipts:
 *
 * Returns: (transfer full) (element-type TesoroErasureReceipt): every
 * receipt, newest first
 */
GPtrArray *
tesoro_store_list_erasure_receipts (TesoroStore  *self,
                                    GError      **error)
{
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  db = _tesoro_store_get_db (self);
  stmt = tesoro_db_prepare (db,
                            "SELECT id, contact_uid, erased_at, erased_by, method, reason, counts, index_purged,"
                            " files_purged FROM erasure_receipts ORDER BY id DESC",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (receipts, receipt_from_row (stmt));
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&receipts) : NULL;
}

/**
 * tesoro_store_get_erasure_receipt:
 *
 * Returns: (transfer full) (nullable): the receipt
 */
TesoroErasureReceipt *
tesoro_store_get_erasure_receipt (TesoroStore  *self,
                                  gint64        receipt_id,
                                  GError      **error)
{
  TesoroErasureReceipt *receipt = NULL;
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  db = _tesoro_store_get_db (self);
  stmt = tesoro_db_prepare (db,
                            "SELECT id, contact_uid, erased_at, erased_by, method, reason, counts, index_purged,"
                            " files_purged FROM erasure_receipts WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, receipt_id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    receipt = receipt_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
                 _("There is no erasure receipt with id %" PRId64), receipt_id);

  return receipt;
}

/* Trash */

static char *
iso_ago (gint64 days,
         gint   years)
{
  g_autofree char *now_iso = tesoro_now_iso ();
  g_autoptr(GDateTime) now = tesoro_date_time_from_iso (now_iso);
  g_autoptr(GDateTime) then = NULL;

  if (years > 0)
    then = g_date_time_add_years (now, -years);
  else
    then = g_date_time_add_days (now, -(gint) days);

  return tesoro_iso_from_date_time (then);
}

/**
 * tesoro_store_empty_trash:
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *
 * Erases every contact in the trash (method "trash"), except those on legal
 * hold, in one transaction.
 */
gboolean
tesoro_store_empty_trash (TesoroStore                *self,
                          GCancellable               *cancellable,
                          TesoroErasureProgressFunc   progress,
                          gpointer                    user_data,
                          GPtrArray                 **receipts,
                          GError                    **error)
{
  g_autoptr(JsonNode) summary = NULL;
  ErasureRun run = { NULL, };
  gint64 held;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  held = tesoro_db_query_int (_tesoro_store_get_db (self),
                              "SELECT count(*) FROM contacts WHERE trashed_at IS NOT NULL AND legal_hold = 1",
                              error);
  if (held < 0)
    return FALSE;

  summary = build_details ("kept_on_legal_hold", 'i', held, NULL);
  run.select_sql = "SELECT id FROM contacts WHERE trashed_at IS NOT NULL AND legal_hold = 0"
                   " ORDER BY trashed_at, id";
  run.reason = _("Emptied the trash");
  run.method = TESORO_ERASURE_TRASH;
  run.summary_action = TESORO_AUDIT_EMPTY_TRASH;
  run.summary = summary;
  run.summary_always = TRUE;

  return run_erasure (self, &run, cancellable, progress, user_data, receipts, error);
}

/**
 * tesoro_store_expire_trash:
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *
 * Erases the contacts that have been in the trash for longer than the
 * trash expiry setting (except those on legal hold).
 */
gboolean
tesoro_store_expire_trash (TesoroStore   *self,
                           GCancellable  *cancellable,
                           GPtrArray    **receipts,
                           GError       **error)
{
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *cutoff = NULL;
  g_autofree char *reason = NULL;
  TesoroGdprSettings settings;
  ErasureRun run = { NULL, };

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (receipts != NULL)
    *receipts = NULL;
  if (!tesoro_store_get_gdpr_settings (self, &settings, error))
    return FALSE;
  if (settings.trash_expiry_days == 0)
    {
      if (receipts != NULL)
        *receipts = g_ptr_array_new_with_free_func (g_object_unref);
      return TRUE;
    }

  cutoff = iso_ago (settings.trash_expiry_days, 0);
  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In the trash for more than %u day",
                                         "In the trash for more than %u days", settings.trash_expiry_days),
                            settings.trash_expiry_days);
  summary = build_details ("days", 'i', (gint64) settings.trash_expiry_days, "cutoff", 's', cutoff, NULL);

  run.select_sql = "SELECT id FROM contacts WHERE trashed_at IS NOT NULL AND trashed_at < ?1 AND legal_hold = 0"
                   " ORDER BY trashed_at, id";
  run.select_param = cutoff;
  run.reason = reason;
  run.method = TESORO_ERASURE_TRASH;
  run.summary_action = TESORO_AUDIT_TRASH_EXPIRY;
  run.summary = summary;

  return run_erasure (self, &run, cancellable, NULL, NULL, receipts, error);
}

/* Settings */

static gboolean
read_setting_uint (TesoroDb    *db,
                   const char  *key,
                   guint        fallback,
                   guint        max,
                   guint       *value,
                   GError     **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, "SELECT value FROM settings WHERE key = ?1", error);
  guint64 parsed;
  int rc;

  if (stmt == NULL)
    return FALSE;
  tesoro_db_bind_text (stmt, 1, key);
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;

  *value = fallback;
  if (rc == SQLITE_ROW &&
      g_ascii_string_to_unsigned (tesoro_db_column_text (stmt, 0), 10, 0, max, &parsed, NULL))
    *value = (guint) parsed;
  sqlite3_reset (stmt);

  return TRUE;
}

/**
 * tesoro_store_get_gdpr_settings:
 * @settings: (out caller-allocates): the settings (defaults where unset)
 */
gboolean
tesoro_store_get_gdpr_settings (TesoroStore         *self,
                                TesoroGdprSettings  *settings,
                                GError             **error)
{
  TesoroDb *db;
  guint enabled = 0;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  db = _tesoro_store_get_db (self);
  if (!read_setting_uint (db, KEY_RETENTION_ENABLED, 0, 1, &enabled, error) ||
      !read_setting_uint (db, KEY_RETENTION_YEARS, DEFAULT_RETENTION_YEARS, MAX_RETENTION_YEARS,
                          &settings->retention_years, error) ||
      !read_setting_uint (db, KEY_TRASH_EXPIRY_DAYS, DEFAULT_TRASH_EXPIRY_DAYS, MAX_TRASH_EXPIRY_DAYS,
                          &settings->trash_expiry_days, error))
    return FALSE;

  if (settings->retention_years == 0)
    settings->retention_years = DEFAULT_RETENTION_YEARS;
  settings->retention_enabled = enabled != 0;
  return TRUE;
}

static gboolean
write_setting (TesoroStore  *self,
               const char   *key,
               guint         value,
               guint         old_value,
               GError      **error)
{
  TesoroDb *db = _tesoro_store_get_db (self);
  g_autofree char *text = g_strdup_printf ("%u", value);
  sqlite3_stmt *stmt;

  if (value == old_value)
    return TRUE;

  stmt = tesoro_db_prepare (db,
                            "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;
  tesoro_db_bind_text (stmt, 1, key);
  tesoro_db_bind_text (stmt, 2, text);
  if (!tesoro_db_step_done (db, stmt, error))
    return FALSE;

  return audit (self, TESORO_AUDIT_SETTINGS, NULL, build_details ("key", 's', key, "value", 's', text, NULL), error);
}

/**
 * tesoro_store_set_gdpr_settings:
 *
 * Saves the retention and trash settings; each change is audited.
 */
gboolean
tesoro_store_set_gdpr_settings (TesoroStore               *self,
                                const TesoroGdprSettings  *settings,
                                GError                   **error)
{
  TesoroGdprSettings old;
  TesoroDb *db;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (settings->retention_years < 1 || settings->retention_years > MAX_RETENTION_YEARS)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The retention period must be between 1 and %d years"), MAX_RETENTION_YEARS);
      return FALSE;
    }
  if (settings->trash_expiry_days > MAX_TRASH_EXPIRY_DAYS)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Contacts can stay in the trash for at most %d days (0 keeps them until the trash is emptied)"),
                   MAX_TRASH_EXPIRY_DAYS);
      return FALSE;
    }

  db = _tesoro_store_get_db (self);
  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  if (!tesoro_store_get_gdpr_settings (self, &old, error) ||
      !write_setting (self, KEY_RETENTION_ENABLED, settings->retention_enabled ? 1 : 0,
                      old.retention_enabled ? 1 : 0, error) ||
      !write_setting (self, KEY_RETENTION_YEARS, settings->retention_years, old.retention_years, error) ||
      !write_setting (self, KEY_TRASH_EXPIRY_DAYS, settings->trash_expiry_days, old.trash_expiry_days, error) ||
      !tesoro_db_commit (db, error))
    return fail_transaction (db);

  return TRUE;
}

/* Retention */

/**
 * tesoro_retention_cutoff:
 * @years: the retention period
 *
 * Returns: (transfer full): the moment @years calendar years before now;
 * a contact whose last activity is older is inactive for longer
 */
char *
tesoro_retention_cutoff (guint years)
{
  return iso_ago (0, (gint) MAX (years, 1));
}

static gboolean
check_years (guint    years,
             GError **error)
{
  if (years >= 1 && years <= MAX_RETENTION_YEARS)
    return TRUE;

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("The retention period must be between 1 and %d years"), MAX_RETENTION_YEARS);
  return FALSE;
}

#define RETENTION_SELECT \
  "SELECT id FROM contacts INDEXED BY contacts_by_activity" \
  " WHERE last_activity_at < ?1 AND legal_hold = 0 ORDER BY last_activity_at, id"

/**
 * tesoro_store_find_retention_candidates:
 * @years: the retention period
 *
 * The preview of retention: contacts inactive for more than @years (no
 * note, message, task, activity or edit since; see last_activity_at) and not
 * on legal hold, in the trash or not, longest inactive first.
 *
 * Returns: (transfer full) (element-type TesoroContact): summaries with id,
 * uid, display name, organisation, last activity, restriction and trash state
 */
GPtrArray *
tesoro_store_find_retention_candidates (TesoroStore  *self,
                                        guint         years,
                                        GError      **error)
{
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *cutoff = NULL;
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  if (!check_years (years, error))
    return NULL;

  cutoff = tesoro_retention_cutoff (years);
  db = _tesoro_store_get_db (self);
  stmt = tesoro_db_prepare (db,
                            "SELECT id, uid, display_name, organization, last_activity_at, trashed_at, restricted"
                            " FROM contacts INDEXED BY contacts_by_activity"
                            " WHERE last_activity_at < ?1 AND legal_hold = 0 ORDER BY last_activity_at, id",
                            error);
  if (stmt == NULL)
    return NULL;
  tesoro_db_bind_text (stmt, 1, cutoff);

  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      TesoroContact *contact = tesoro_contact_new ();

      tesoro_contact_set_id (contact, sqlite3_column_int64 (stmt, 0));
      tesoro_contact_set_uid (contact, tesoro_db_column_text (stmt, 1));
      tesoro_contact_set_display_name (contact, tesoro_db_column_text (stmt, 2));
      tesoro_contact_set_organization (contact, tesoro_db_column_text (stmt, 3));
      tesoro_contact_set_last_activity_at (contact, tesoro_db_column_text (stmt, 4));
      tesoro_contact_set_trashed_at (contact, tesoro_db_column_text (stmt, 5));
      tesoro_contact_set_restricted (contact, sqlite3_column_int (stmt, 6));
      g_ptr_array_add (contacts, contact);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&contacts) : NULL;
}

/**
 * tesoro_store_apply_retention:
 * @years: the retention period
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *
 * Erases the contacts tesoro_store_find_retention_candidates() lists, at the
 * moment of the call, each with a receipt (method "retention"), and records
 * the run in the audit log (also when nobody was due).
 */
gboolean
tesoro_store_apply_retention (TesoroStore                *self,
                              guint                       years,
                              GCancellable               *cancellable,
                              TesoroErasureProgressFunc   progress,
                              gpointer                    user_data,
                              GPtrArray                 **receipts,
                              GError                    **error)
{
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *cutoff = NULL;
  g_autofree char *cutoff_date = NULL;
  g_autofree char *reason = NULL;
  ErasureRun run = { NULL, };

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (receipts != NULL)
    *receipts = NULL;
  if (!check_years (years, error))
    return FALSE;

  cutoff = tesoro_retention_cutoff (years);
  cutoff_date = g_strndup (cutoff, 10);
  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Inactive for more than %u year (no activity since %s)",
                                         "Inactive for more than %u years (no activity since %s)", years),
                            years, cutoff_date);
  summary = build_details ("years", 'i', (gint64) years, "cutoff", 's', cutoff, NULL);

  run.select_sql = RETENTION_SELECT;
  run.select_param = cutoff;
  run.reason = reason;
  run.method = TESORO_ERASURE_RETENTION;
  run.summary_action = TESORO_AUDIT_RETENTION_RUN;
  run.summary = summary;
  run.summary_always = TRUE;

  return run_erasure (self, &run, cancellable, progress, user_data, receipts, error);
}

/**
 * tesoro_store_run_housekeeping:
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *
 * What runs at start-up and daily: the trash expiry, and retention when it
 * is enabled, as the settings say.
 */
gboolean
tesoro_store_run_housekeeping (TesoroStore   *self,
                               GCancellable  *cancellable,
                               GPtrArray    **receipts,
                               GError       **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expired = NULL;
  TesoroGdprSettings settings;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (receipts != NULL)
    *receipts = NULL;

  if (!tesoro_store_get_gdpr_settings (self, &settings, error) ||
      !tesoro_store_expire_trash (self, cancellable, &expired, error))
    return FALSE;
  g_ptr_array_extend_and_steal (all, g_steal_pointer (&expired));

  if (settings.retention_enabled)
    {
      g_autoptr(GPtrArray) retained = NULL;

      if (!tesoro_store_apply_retention (self, settings.retention_years, cancellable, NULL, NULL, &retained, error))
        return FALSE;
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&retained));
    }

  if (receipts != NULL)
    *receipts = g_steal_pointer (&all);
  return TRUE;
}

/* Consent */

const char *
tesoro_consent_state_to_string (TesoroConsentState state)
{
  switch (state)
    {
    case TESORO_CONSENT_GRANTED:
      return "granted";
    case TESORO_CONSENT_WITHDRAWN:
      return "withdrawn";
    case TESORO_CONSENT_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * tesoro_consent_state_from_events:
 * @events: (element-type TesoroConsentEvent): a contact's consent ledger
 * @purpose: the purpose key
 * @latest: (out) (optional) (transfer none): the event that decides
 *
 * The current consent, derived from the ledger: the event with the newest
 * date decides; of events with the same date, the one recorded last.
 */
TesoroConsentState
tesoro_consent_state_from_events (GPtrArray           *events,
                                  const char          *purpose,
                                  TesoroConsentEvent **latest)
{
  TesoroConsentEvent *newest = NULL;

  g_return_val_if_fail (events != NULL, TESORO_CONSENT_UNKNOWN);
  g_return_val_if_fail (purpose != NULL, TESORO_CONSENT_UNKNOWN);

  for (guint i = 0; i < events->len; i++)
    {
      TesoroConsentEvent *c = events->pdata[i];
      int order;

      if (g_strcmp0 (c->purpose, purpose) != 0)
        continue;
      if (newest == NULL)
        {
          newest = c;
          continue;
        }
      order = g_strcmp0 (c->at, newest->at);
      if (order > 0 || (order == 0 && c->id >= newest->id))
        newest = c;
    }

  if (latest != NULL)
    *latest = newest;
  if (newest == NULL)
    return TESORO_CONSENT_UNKNOWN;
  return newest->granted ? TESORO_CONSENT_GRANTED : TESORO_CONSENT_WITHDRAWN;
}

TesoroConsentPurpose *
tesoro_consent_purpose_copy (const TesoroConsentPurpose *self)
{
  TesoroConsentPurpose *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TesoroConsentPurpose, 1);
  copy->key = g_strdup (self->key);
  copy->name = g_strdup (self->name);
  return copy;
}

void
tesoro_consent_purpose_free (TesoroConsentPurpose *self)
{
  if (self == NULL)
    return;
  g_free (self->key);
  g_free (self->name);
  g_free (self);
}

/**
 * tesoro_store_list_consent_purposes:
 *
 * Returns: (transfer full) (element-type TesoroConsentPurpose): the purposes
 * consent can be recorded for, in the order they were added
 */
GPtrArray *
tesoro_store_list_consent_purposes (TesoroStore  *self,
                                    GError      **error)
{
  g_autoptr(GPtrArray) purposes = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_consent_purpose_free);
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  db = _tesoro_store_get_db (self);
  stmt = tesoro_db_prepare (db, "SELECT key, name FROM consent_purposes ORDER BY created_at, key", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      TesoroConsentPurpose *purpose = g_new0 (TesoroConsentPurpose, 1);

      purpose->key = tesoro_db_column_dup (stmt, 0);
      purpose->name = tesoro_db_column_dup (stmt, 1);
      g_ptr_array_add (purposes, purpose);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&purposes) : NULL;
}

static gboolean
is_valid_purpose_key (const char *key)
{
  gsize len = key != NULL ? strlen (key) : 0;

  if (len == 0 || len > 64 || !g_ascii_isalnum (key[0]))
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

/**
 * tesoro_store_add_consent_purpose:
 * @key: the stable key: lower-case letters, digits and hyphens ("newsletter")
 * @name: the name people see ("Newsletter")
 */
gboolean
tesoro_store_add_consent_purpose (TesoroStore  *self,
                                  const char   *key,
                                  const char   *name,
                                  GError      **error)
{
  g_autofree char *now = tesoro_now_iso ();
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (!is_valid_purpose_key (key))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.64s” is not a purpose key: use lower-case letters, digits and hyphens "
                     "(such as “newsletter”), at most 64"), key != NULL ? key : "");
      return FALSE;
    }
  if (!has_text (name))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The purpose has no name"));
      return FALSE;
    }
  if (!tesoro_check_text ("name", name, TESORO_MAX_SHORT_TEXT, error))
    return FALSE;

  db = _tesoro_store_get_db (self);
  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  stmt = tesoro_db_prepare (db, "INSERT INTO consent_purposes (key, name, created_at) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return fail_transaction (db);
  tesoro_db_bind_text (stmt, 1, key);
  tesoro_db_bind_text (stmt, 2, name);
  tesoro_db_bind_text (stmt, 3, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The purpose “%s” already exists"), key);
      return fail_transaction (db);
    }
  if (rc != SQLITE_DONE)
    {
      tesoro_db_set_error (db, error, rc, NULL);
      return fail_transaction (db);
    }

  if (!audit (self, TESORO_AUDIT_PURPOSE_ADDED, NULL,
              build_details ("purpose", 's', key, "name", 's', name, NULL), error) ||
      !tesoro_db_commit (db, error))
    return fail_transaction (db);

  return TRUE;
}

static char *
purpose_name (TesoroDb    *db,
              const char  *key,
              GError     **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, "SELECT name FROM consent_purposes WHERE key = ?1", error);
  char *name = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  tesoro_db_bind_text (stmt, 1, key);
  rc = tesoro_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    name = tesoro_db_column_dup (stmt, 0);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      stmt = tesoro_db_prepare (db, "SELECT key FROM consent_purposes ORDER BY created_at, key", NULL);
      while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", tesoro_db_column_text (stmt, 0));
      if (stmt != NULL)
        sqlite3_reset (stmt);

      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.64s” is not a consent purpose (known purposes: %s)"), key, known->str);
    }

  return name;
}

/**
 * tesoro_store_record_consent:
 * @purpose: a purpose key (see tesoro_store_list_consent_purposes())
 * @granted: %TRUE when consent is given, %FALSE when it is withdrawn
 * @at: (nullable): when the person gave or withdrew it; %NULL means now
 * @source: how it was obtained: "web form", "phone call", …
 * @evidence: (nullable): a note on the evidence
 *
 * Appends an event to the contact's consent ledger, recorded by the actor;
 * the ledger is never changed. A withdrawal also adds a "system" activity
 * to the contact's history. Works on restricted contacts too: recording a
 * withdrawal must always be possible.
 *
 * Returns: the event's id, or -1 with @error set
 */
gint64
tesoro_store_record_consent (TesoroStore  *self,
                             gint64        contact_id,
                             const char   *purpose,
                             gboolean      granted,
                             const char   *at,
                             const char   *source,
                             const char   *evidence,
                             GError      **error)
{
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *when = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *name = NULL;
  TesoroDb *db;
  sqlite3_stmt *stmt;
  gint64 actor_id;
  gint64 event_id;

  g_return_val_if_fail (TESORO_IS_STORE (self), -1);

  if (!has_text (purpose))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("No consent purpose given"));
      return -1;
    }
  if (!has_text (source))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Say where the consent comes from (the source, such as “web form” or “phone call”)"));
      return -1;
    }
  if (!tesoro_check_text ("source", source, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text ("evidence", evidence, TESORO_MAX_LONG_TEXT, error))
    return -1;

  when = has_text (at) ? tesoro_normalize_timestamp (at, FALSE, error) : g_strdup (now);
  if (when == NULL)
    return -1;
  {
    g_autoptr(GDateTime) when_dt = tesoro_date_time_from_iso (when);
    g_autoptr(GDateTime) now_dt = tesoro_date_time_from_iso (now);

    if (when_dt != NULL && now_dt != NULL && g_date_time_difference (when_dt, now_dt) > G_TIME_SPAN_DAY)
      {
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("The date of the consent (%s) is in the future"), when);
        return -1;
      }
  }

  db = _tesoro_store_get_db (self);
  if (!_tesoro_store_begin_write (self, error))
    return -1;

  actor_id = _tesoro_store_get_actor_id (self, error);
  if (actor_id < 0 ||
      !read_contact_state (self, contact_id, &uid, NULL, NULL, NULL, error) ||
      (name = purpose_name (db, purpose, error)) == NULL)
    goto failed;

  stmt = tesoro_db_prepare (db,
                            "INSERT INTO consent_events (contact_id, purpose, granted, at, source, evidence,"
                            " recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  tesoro_db_bind_text (stmt, 2, purpose);
  sqlite3_bind_int (stmt, 3, granted ? 1 : 0);
  tesoro_db_bind_text (stmt, 4, when);
  tesoro_db_bind_text (stmt, 5, source);
  tesoro_db_bind_text_or_empty (stmt, 6, evidence);
  sqlite3_bind_int64 (stmt, 7, actor_id);
  tesoro_db_bind_text (stmt, 8, now);
  if (!tesoro_db_step_done (db, stmt, error))
    goto failed;
  event_id = sqlite3_last_insert_rowid (tesoro_db_get_handle (db));

  if (!granted)
    {
      g_autofree char *summary = g_strdup_printf (_("Consent withdrawn: %s (source: %s)"), name, source);

      stmt = tesoro_db_prepare (db,
                                "INSERT INTO activities (contact_id, kind, summary, at, created_by)"
                                " VALUES (?1, 'system', ?2, ?3, ?4)",
                                error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, contact_id);
      tesoro_db_bind_text (stmt, 2, summary);
      tesoro_db_bind_text (stmt, 3, when);
      sqlite3_bind_int64 (stmt, 4, actor_id);
      if (!tesoro_db_step_done (db, stmt, error))
        goto failed;
    }

  if (!_tesoro_store_touch_contact (self, contact_id, when, FALSE, error) ||
      !audit (self, granted ? TESORO_AUDIT_CONSENT_GRANTED : TESORO_AUDIT_CONSENT_WITHDRAWN, uid,
              build_details ("purpose", 's', purpose, "at", 's', when, "event", 'i', event_id, NULL),
              error) ||
      !tesoro_db_commit (db, error))
    goto failed;

  _tesoro_store_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return event_id;

failed:
  fail_transaction (db);
  return -1;
}

/**
 * tesoro_store_get_consent_state:
 * @state: (out): the current consent for @purpose
 * @latest: (out) (optional) (transfer full) (nullable): the event that decides
 */
gboolean
tesoro_store_get_consent_state (TesoroStore          *self,
                                gint64                contact_id,
                                const char           *purpose,
                                TesoroConsentState   *state,
                                TesoroConsentEvent  **latest,
                                GError              **error)
{
  TesoroDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (purpose != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  *state = TESORO_CONSENT_UNKNOWN;
  if (latest != NULL)
    *latest = NULL;

  if (!read_contact_state (self, contact_id, NULL, NULL, NULL, NULL, error))
    return FALSE;

  db = _tesoro_store_get_db (self);
  stmt = tesoro_db_prepare (db,
                            "SELECT c.id, c.granted, c.at, c.source, c.evidence, u.login, c.recorded_at"
                            " FROM consent_events c LEFT JOIN users u ON u.id = c.recorded_by"
                            " WHERE c.contact_id = ?1 AND c.purpose = ?2 ORDER BY c.at DESC, c.id DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  tesoro_db_bind_text (stmt, 2, purpose);
  rc = tesoro_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *state = sqlite3_column_int (stmt, 1) ? TESORO_CONSENT_GRANTED : TESORO_CONSENT_WITHDRAWN;
      if (latest != NULL)
        {
          TesoroConsentEvent *event = tesoro_consent_event_new ();

          event->id = sqlite3_column_int64 (stmt, 0);
          event->purpose = g_strdup (purpose);
          event->granted = sqlite3_column_int (stmt, 1);
          event->at = tesoro_db_column_dup (stmt, 2);
          event->source = tesoro_db_column_dup (stmt, 3);
          event->evidence = tesoro_db_column_dup (stmt, 4);
          event->recorded_by = tesoro_db_column_dup (stmt, 5);
          event->recorded_at = tesoro_db_column_dup (stmt, 6);
          *latest = event;
        }
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Restriction and legal hold */

/**
 * tesoro_store_set_restricted:
 *
 * Restricts processing of the contact (GDPR Art. 18) or lifts it. While
 * restricted, the contact cannot be changed and is left out of marketing
 * exports.
 */
gboolean
tesoro_store_set_restricted (TesoroStore  *self,
                             gint64        contact_id,
                             gboolean      restricted,
                             GError      **error)
{
  g_autofree char *uid = NULL;
  gboolean current = FALSE;
  TesoroDb *db;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  db = _tesoro_store_get_db (self);
  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  if (!read_contact_state (self, contact_id, &uid, &current, NULL, NULL, error))
    return fail_transaction (db);

  if (!current == !restricted)
    return tesoro_db_commit (db, error) || fail_transaction (db);

  stmt = tesoro_db_prepare (db, "UPDATE contacts SET restricted = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return fail_transaction (db);
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int (stmt, 2, restricted ? 1 : 0);

  if (!tesoro_db_step_done (db, stmt, error) ||
      !_tesoro_store_touch_contact (self, contact_id, NULL, TRUE, error) ||
      !audit (self, TESORO_AUDIT_RESTRICT, uid, build_details ("restricted", 'b', restricted, NULL), error) ||
      !tesoro_db_commit (db, error))
    return fail_transaction (db);

  _tesoro_store_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return TRUE;
}

/**
 * tesoro_store_set_legal_hold:
 * @reason: (nullable): why the contact must be kept (stored on the contact,
 *   not in the audit log)
 *
 * Puts the contact on legal hold, or lifts it. A contact on hold is never
 * erased: not by retention, not from the trash, not by Delete Permanently.
 */
gboolean
tesoro_store_set_legal_hold (TesoroStore  *self,
                             gint64        contact_id,
                             gboolean      legal_hold,
                             const char   *reason,
                             GError      **error)
{
  g_autofree char *uid = NULL;
  g_autofree char *current_reason = NULL;
  const char *new_reason = legal_hold && has_text (reason) ? reason : NULL;
  gboolean current = FALSE;
  TesoroDb *db;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (!tesoro_check_text ("reason", reason, TESORO_MAX_SHORT_TEXT, error))
    return FALSE;

  db = _tesoro_store_get_db (self);
  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  if (!read_contact_state (self, contact_id, &uid, NULL, &current, &current_reason, error))
    return fail_transaction (db);

  if (!current == !legal_hold && g_strcmp0 (current_reason, new_reason) == 0)
    return tesoro_db_commit (db, error) || fail_transaction (db);

  stmt = tesoro_db_prepare (db, "UPDATE contacts SET legal_hold = ?2, legal_hold_reason = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return fail_transaction (db);
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int (stmt, 2, legal_hold ? 1 : 0);
  tesoro_db_bind_text (stmt, 3, new_reason);

  if (!tesoro_db_step_done (db, stmt, error) ||
      !_tesoro_store_touch_contact (self, contact_id, NULL, TRUE, error) ||
      !audit (self, TESORO_AUDIT_LEGAL_HOLD, uid,
              build_details ("legal_hold", 'b', legal_hold, "reason_given", 'b', new_reason != NULL, NULL), error) ||
      !tesoro_db_commit (db, error))
    return fail_transaction (db);

  _tesoro_store_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return TRUE;
}

/**
 * _tesoro_gdpr_audit_lawful_basis:
 * @new_basis: (nullable): the basis about to be stored
 *
 * Called by tesoro_store_update_contact() inside its transaction, before
 * the contact row changes: records a change of lawful basis.
 */
gboolean
_tesoro_gdpr_audit_lawful_basis (TesoroStore  *self,
                                 gint64        contact_id,
                                 const char   *new_basis,
                                 GError      **error)
{
  TesoroDb *db = _tesoro_store_get_db (self);
  g_autofree char *uid = NULL;
  g_autofree char *old_basis = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = tesoro_db_prepare (db, "SELECT uid, lawful_basis FROM contacts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      uid = tesoro_db_column_dup (stmt, 0);
      old_basis = tesoro_db_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (!has_text (new_basis))
    new_basis = NULL;
  if (uid == NULL || g_strcmp0 (old_basis, new_basis) == 0)
    return TRUE;

  return audit (self, TESORO_AUDIT_LAWFUL_BASIS, uid,
                build_details ("from", 's', old_basis, "to", 's', new_basis, NULL), error);
}

/* Export */

/**
 * tesoro_store_export_data:
 * @format: CSV (for a person) or JSON (DESIGN.md's contact JSON, Art. 20)
 * @path: the file to write; it is replaced atomically
 *
 * Export Data: everything held about the contact, written to @path, and
 * the export recorded in the audit log (by uid and format; never the path,
 * whose name may well be the person's).
 */
gboolean
tesoro_store_export_data (TesoroStore         *self,
                          gint64               contact_id,
                          TesoroExportFormat   format,
                          const char          *path,
                          GError             **error)
{
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *now = tesoro_now_iso ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  contact = tesoro_store_get_contact (self, contact_id, error);
  if (contact == NULL)
    return FALSE;

  bytes = format == TESORO_EXPORT_FORMAT_JSON ? tesoro_export_contact_json (contact)
                                              : tesoro_export_contact_csv (contact, now);

  if (!tesoro_write_file_atomically (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return FALSE;

  /* An export that is not in the log did not happen: take the file back. */
  if (!audit (self, TESORO_AUDIT_EXPORT_DATA, tesoro_contact_get_uid (contact),
              build_details ("format", 's', tesoro_export_format_to_string (format),
                             "bytes", 'i', (gint64) g_bytes_get_size (bytes), NULL),
              &local_error))
    {
      g_unlink (path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_store_export_marketing:
 * @path: the CSV file to write; it is replaced atomically
 * @n_exported: (out) (optional): how many contacts it lists
 *
 * The marketing list (purpose limitation, DESIGN.md rule 4): name and
 * primary e-mail address of the contacts whose current consent for
 * marketing e-mail is granted, who are not restricted and not in the trash.
 * Contacts without an e-mail address are left out. The export is audited.
 */
gboolean
tesoro_store_export_marketing (TesoroStore   *self,
                               const char    *path,
                               GCancellable  *cancellable,
                               guint         *n_exported,
                               GError       **error)
{
  static const char * const header[] = { "name", "email" };
  g_autoptr(TesoroAtomicFile) file = NULL;
  g_autoptr(TesoroCsvWriter) writer = NULL;
  g_autoptr(GError) local_error = NULL;
  TesoroDb *db;
  sqlite3_stmt *stmt = NULL;
  guint count = 0;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (n_exported != NULL)
    *n_exported = 0;

  file = tesoro_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  writer = tesoro_csv_writer_new (tesoro_atomic_file_get_stream (file), ',',
                                  TESORO_CSV_WRITER_BOM | TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS);
  if (!tesoro_csv_writer_write_row (writer, header, G_N_ELEMENTS (header), cancellable, error))
    return FALSE;

  db = _tesoro_store_get_db (self);
  rc = sqlite3_prepare_v2 (tesoro_db_get_handle (db),
                           "SELECT c.display_name, (SELECT value FROM contact_emails e WHERE e.contact_id = c.id"
                           "   ORDER BY e.is_primary DESC, e.position LIMIT 1) AS email"
                           " FROM contacts c INDEXED BY contacts_by_name"
                           " WHERE c.trashed_at IS NULL AND c.restricted = 0"
                           " AND (SELECT ce.granted FROM consent_events ce WHERE ce.contact_id = c.id"
                           "      AND ce.purpose = '" TESORO_PURPOSE_MARKETING_EMAIL "'"
                           "      ORDER BY ce.at DESC, ce.id DESC LIMIT 1) = 1"
                           " AND email IS NOT NULL"
                           " ORDER BY c.sort_key, c.id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (db, error, rc, NULL);
      return FALSE;
    }

  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *fields[2] = { tesoro_db_column_text (stmt, 0), tesoro_db_column_text (stmt, 1) };

      if (!tesoro_csv_writer_write_row (writer, fields, 2, cancellable, error))
        goto out;
      count++;
    }
  if (rc != SQLITE_DONE)
    goto out;

  if (!tesoro_csv_writer_flush (writer, cancellable, error) ||
      !tesoro_atomic_file_commit (file, cancellable, error))
    goto out;

  if (!audit (self, TESORO_AUDIT_EXPORT_MARKETING, NULL,
              build_details ("purpose", 's', TESORO_PURPOSE_MARKETING_EMAIL, "contacts", 'i', (gint64) count, NULL),
              &local_error))
    {
      g_unlink (path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }

  if (n_exported != NULL)
    *n_exported = count;
  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  return ok;
}
