/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-receipt"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-contact-json.h"
#include "tesoro-receipt.h"
#include "tesoro-utils.h"

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

static const char * const method_names[] = { "manual", "trash", "retention", "batch", "request", "request-retention" };

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


static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
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
 * Returns: "manual", "trash", "retention", "batch", "request" or
 *   "request-retention"
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
  if (g_strcmp0 (method, "request") == 0)
    return _("Erasure request");
  if (g_strcmp0 (method, "request-retention") == 0)
    return _("Retention period of a closed request");
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

  return tesoro_json_object_new ("id", 'i', self->id,
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

/**
 * tesoro_erasure_receipt_new:
 * @counts: what was erased with the contact
 *
 * A receipt as the storage holds it (or is about to store it: @id 0).
 *
 * Returns: (transfer full): the receipt
 */
TesoroErasureReceipt *
tesoro_erasure_receipt_new (gint64                    id,
                            const char               *contact_uid,
                            const char               *erased_at,
                            const char               *erased_by,
                            const char               *method,
                            const char               *reason,
                            const TesoroLinkedCounts *counts,
                            gboolean                  index_purged,
                            gboolean                  files_purged)
{
  TesoroErasureReceipt *self = g_object_new (TESORO_TYPE_ERASURE_RECEIPT, NULL);

  self->id = id;
  self->contact_uid = g_strdup (contact_uid);
  self->erased_at = g_strdup (erased_at);
  self->erased_by = g_strdup (erased_by);
  self->method = g_strdup (method);
  self->reason = g_strdup (reason);
  if (counts != NULL)
    self->counts = *counts;
  self->index_purged = index_purged;
  self->files_purged = files_purged;
  return self;
}

/* For the storage, once it has stored the receipt or purged the files. */
void
_tesoro_erasure_receipt_set_id (TesoroErasureReceipt *self,
                                gint64                id)
{
  g_return_if_fail (TESORO_IS_ERASURE_RECEIPT (self));
  self->id = id;
}

void
_tesoro_erasure_receipt_set_files_purged (TesoroErasureReceipt *self,
                                          gboolean              files_purged)
{
  g_return_if_fail (TESORO_IS_ERASURE_RECEIPT (self));
  self->files_purged = files_purged;
}

/**
 * tesoro_linked_counts_from_json:
 * @text: (nullable): what tesoro_linked_counts_to_json_node() wrote
 * @counts: (out caller-allocates): the counts; zero where @text has none
 */
void
tesoro_linked_counts_from_json (const char         *text,
                                TesoroLinkedCounts *counts)
{
  counts_from_json (counts, text);
}
