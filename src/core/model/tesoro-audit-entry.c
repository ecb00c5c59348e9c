/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-audit-entry"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-audit-entry.h"
#include "tesoro-breach.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

#define HASH_VERSION "tesoro-audit-1"

struct _TesoroAuditEntry
{
  GObject  parent_instance;

  gint64   id;
  char    *at;
  char    *actor;
  char    *action;
  char    *contact_uid;
  char    *details;
  char    *prev_hash;
  char    *hash;
};

G_DEFINE_FINAL_TYPE (TesoroAuditEntry, tesoro_audit_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_AT,
  PROP_ACTOR,
  PROP_ACTION,
  PROP_CONTACT_UID,
  PROP_DETAILS,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * tesoro_audit_compute_hash:
 *
 * The hash of an entry of the chain. The canonical form that is hashed has
 * every field length-prefixed, so that no two different entries give the
 * same input.
 *
 * Returns: (transfer full): the SHA-256, in hex
 */
char *
tesoro_audit_compute_hash (const char *prev_hash,
                           gint64      id,
                           const char *at,
                           const char *actor,
                           const char *action,
                           const char *contact_uid,
                           const char *details)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *fields[] = { HASH_VERSION, prev_hash, id_text, at, actor, action, contact_uid, details };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *prefix = NULL;

      if (fields[i] == NULL)
        {
          g_checksum_update (checksum, (const guchar *) "~;", 2);
          continue;
        }
      prefix = g_strdup_printf ("%" G_GSIZE_FORMAT ":", strlen (fields[i]));
      g_checksum_update (checksum, (const guchar *) prefix, -1);
      g_checksum_update (checksum, (const guchar *) fields[i], -1);
      g_checksum_update (checksum, (const guchar *) ";", 1);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

/* TesoroAuditEntry */

static void
tesoro_audit_entry_finalize (GObject *object)
{
  TesoroAuditEntry *self = (TesoroAuditEntry *) object;

  g_free (self->at);
  g_free (self->actor);
  g_free (self->action);
  g_free (self->contact_uid);
  g_free (self->details);
  g_free (self->prev_hash);
  g_free (self->hash);

  G_OBJECT_CLASS (tesoro_audit_entry_parent_class)->finalize (object);
}

static void
tesoro_audit_entry_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TesoroAuditEntry *self = TESORO_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_AT:
      g_value_set_string (value, self->at);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_CONTACT_UID:
      g_value_set_string (value, self->contact_uid);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    case PROP_DESCRIPTION:
      g_value_take_string (value, tesoro_audit_entry_describe (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_audit_entry_class_init (TesoroAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tesoro_audit_entry_finalize;
  object_class->get_property = tesoro_audit_entry_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AT] =
    g_param_spec_string ("at", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTACT_UID] =
    g_param_spec_string ("contact-uid", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAILS] =
    g_param_spec_string ("details", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tesoro_audit_entry_init (TesoroAuditEntry *self)
{
}

gint64
tesoro_audit_entry_get_id (TesoroAuditEntry *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), 0);
  return self->id;
}

const char *
tesoro_audit_entry_get_at (TesoroAuditEntry *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);
  return self->at;
}

const char *
tesoro_audit_entry_get_actor (TesoroAuditEntry *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);
  return self->actor;
}

const char *
tesoro_audit_entry_get_action (TesoroAuditEntry *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);
  return self->action;
}

/**
 * tesoro_audit_entry_get_contact_uid:
 *
 * Returns: (nullable): the uid of the contact the entry is about
 */
const char *
tesoro_audit_entry_get_contact_uid (TesoroAuditEntry *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);
  return self->contact_uid;
}

/**
 * tesoro_audit_entry_get_details:
 *
 * Returns: the details, a JSON object as text
 */
const char *
tesoro_audit_entry_get_details (TesoroAuditEntry *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);
  return self->details;
}

const char *
tesoro_audit_entry_get_prev_hash (TesoroAuditEntry *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);
  return self->prev_hash;
}

const char *
tesoro_audit_entry_get_hash (TesoroAuditEntry *self)
{
  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);
  return self->hash;
}

static JsonObject *
parse_details (const char *details)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (details == NULL || !json_parser_load_from_data (parser, details, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static const char *
details_string (JsonObject *details,
                const char *key)
{
  JsonNode *node = details != NULL ? json_object_get_member (details, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static gint64
details_int (JsonObject *details,
             const char *key)
{
  JsonNode *node = details != NULL ? json_object_get_member (details, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static gboolean
details_bool (JsonObject *details,
              const char *key)
{
  JsonNode *node = details != NULL ? json_object_get_member (details, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  return json_node_get_boolean (node);
}

/**
 * tesoro_audit_entry_describe:
 *
 * Returns: (transfer full): one sentence saying what happened, for a list
 * of entries (the contact is named by its uid, as stored)
 */
char *
tesoro_audit_entry_describe (TesoroAuditEntry *self)
{
  g_autoptr(JsonObject) details = NULL;
  const char *uid;
  const char *a;

  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);

  details = parse_details (self->details);
  uid = self->contact_uid != NULL ? self->contact_uid : "";
  a = self->action;

  if (g_str_equal (a, TESORO_AUDIT_ERASE))
    return g_strdup_printf (_("Permanently deleted contact %s (%s)"), uid, details_string (details, "method"));
  if (g_str_equal (a, TESORO_AUDIT_EXPORT_DATA))
    return g_strdup_printf (_("Exported the data of contact %s as %s"), uid, details_string (details, "format"));
  if (g_str_equal (a, TESORO_AUDIT_RESPONSE_PACKAGE))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrote the response package of a request (%d contact)",
                                         "Wrote the response package of a request (%d contacts)",
                                         details_int (details, "count")),
                            (int) details_int (details, "count"));
  if (g_str_equal (a, TESORO_AUDIT_EXPORT_MARKETING))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported the marketing list (%d contact)",
                                         "Exported the marketing list (%d contacts)",
                                         details_int (details, "contacts")),
                            (int) details_int (details, "contacts"));
  if (g_str_equal (a, TESORO_AUDIT_CONSENT_GRANTED))
    return g_strdup_printf (_("Recorded consent of contact %s for “%s”"), uid, details_string (details, "purpose"));
  if (g_str_equal (a, TESORO_AUDIT_CONSENT_WITHDRAWN))
    return g_strdup_printf (_("Recorded the withdrawal of consent of contact %s for “%s”"),
                            uid, details_string (details, "purpose"));
  if (g_str_equal (a, TESORO_AUDIT_RESTRICT))
    return g_strdup_printf (details_bool (details, "restricted") ? _("Restricted the processing of contact %s")
                                                                 : _("Lifted the restriction of contact %s"), uid);
  if (g_str_equal (a, TESORO_AUDIT_LEGAL_HOLD))
    return g_strdup_printf (details_bool (details, "legal_hold") ? _("Put contact %s on legal hold")
                                                                 : _("Lifted the legal hold of contact %s"), uid);
  if (g_str_equal (a, TESORO_AUDIT_LAWFUL_BASIS))
    return g_strdup_printf (_("Changed the lawful basis of contact %s from “%s” to “%s”"), uid,
                            *details_string (details, "from") ? details_string (details, "from") : _("not set"),
                            *details_string (details, "to") ? details_string (details, "to") : _("not set"));
  if (g_str_equal (a, TESORO_AUDIT_RETENTION_RUN))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Retention run (%d years): %d contact deleted",
                                         "Retention run (%d years): %d contacts deleted",
                                         details_int (details, "erased")),
                            (int) details_int (details, "years"), (int) details_int (details, "erased"));
  if (g_str_equal (a, TESORO_AUDIT_TRASH_EXPIRY))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Trash expiry (%d days): %d contact deleted",
                                         "Trash expiry (%d days): %d contacts deleted",
                                         details_int (details, "erased")),
                            (int) details_int (details, "days"), (int) details_int (details, "erased"));
  if (g_str_equal (a, TESORO_AUDIT_EMPTY_TRASH))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Emptied the trash: %d contact deleted",
                                         "Emptied the trash: %d contacts deleted",
                                         details_int (details, "erased")),
                            (int) details_int (details, "erased"));
  if (g_str_equal (a, TESORO_AUDIT_SETTINGS))
    return g_strdup_printf (_("Changed the setting “%s” to “%s”"),
                            details_string (details, "key"), details_string (details, "value"));
  if (g_str_equal (a, TESORO_AUDIT_PURPOSE_ADDED))
    return g_strdup_printf (_("Added the consent purpose “%s”"), details_string (details, "purpose"));
  if (g_str_equal (a, TESORO_AUDIT_BREACH_RECORDED))
    return g_strdup_printf (_("Recorded personal data breach %s"), details_string (details, "breach"));
  if (g_str_equal (a, TESORO_AUDIT_BREACH_EVENT))
    /* Translators: what was recorded ("Authority notified") and the breach's uid */
    return g_strdup_printf (_("%s: personal data breach %s"),
                            tesoro_breach_event_kind_get_label (details_string (details, "kind")),
                            details_string (details, "breach"));
  if (g_str_equal (a, TESORO_AUDIT_FIELD_OFF))
    return g_strdup_printf (_("Switched the field “%s” off"), details_string (details, "field"));
  if (g_str_equal (a, TESORO_AUDIT_FIELD_ON))
    return g_strdup_printf (_("Switched the field “%s” on"), details_string (details, "field"));
  if (g_str_equal (a, TESORO_AUDIT_FIELD_ERASED))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Erased the values of the field “%s” of %d contact",
                                         "Erased the values of the field “%s” of %d contacts",
                                         details_int (details, "erased")),
                            details_string (details, "field"), (int) details_int (details, "erased"));
  if (g_str_equal (a, TESORO_AUDIT_REGISTER_EXPORT))
    return g_strdup_printf (_("Exported the register of processing as %s (%s)"),
                            details_string (details, "format"), details_string (details, "language"));

  return g_strdup_printf ("%s %s", a, uid);
}

/**
 * tesoro_audit_entry_to_json_node:
 *
 * Returns: (transfer full): the entry as a JSON object; details as an object
 */
JsonNode *
tesoro_audit_entry_to_json_node (TesoroAuditEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (TESORO_IS_AUDIT_ENTRY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, self->at);
  json_builder_set_member_name (builder, "actor");
  json_builder_add_string_value (builder, self->actor);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, self->action);
  json_builder_set_member_name (builder, "contact_uid");
  if (self->contact_uid != NULL)
    json_builder_add_string_value (builder, self->contact_uid);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "details");
  if (json_parser_load_from_data (parser, self->details, -1, NULL) && json_parser_get_root (parser) != NULL)
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_string_value (builder, self->details);
  json_builder_set_member_name (builder, "prev_hash");
  json_builder_add_string_value (builder, self->prev_hash);
  json_builder_set_member_name (builder, "hash");
  json_builder_add_string_value (builder, self->hash);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Public API */

void
tesoro_audit_filter_init (TesoroAuditFilter *filter)
{
  g_return_if_fail (filter != NULL);
  memset (filter, 0, sizeof *filter);
}

/**
 * tesoro_audit_entry_new:
 *
 * An entry as the storage holds it.
 *
 * Returns: (transfer full): the entry
 */
TesoroAuditEntry *
tesoro_audit_entry_new (gint64      id,
                        const char *at,
                        const char *actor,
                        const char *action,
                        const char *contact_uid,
                        const char *details,
                        const char *prev_hash,
                        const char *hash)
{
  TesoroAuditEntry *entry = g_object_new (TESORO_TYPE_AUDIT_ENTRY, NULL);

  entry->id = id;
  entry->at = g_strdup (at);
  entry->actor = g_strdup (actor);
  entry->action = g_strdup (action);
  entry->contact_uid = g_strdup (contact_uid);
  entry->details = g_strdup (details);
  entry->prev_hash = g_strdup (prev_hash);
  entry->hash = g_strdup (hash);

  return entry;
}
