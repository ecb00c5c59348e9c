/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-audit"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-audit.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-store-private.h"
#include "tesoro-utils.h"

#define HASH_VERSION "tesoro-audit-1"
#define HEAD_KEY     "audit.head"

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

/* The canonical form that is hashed: every field length-prefixed, so that
 * no two different entries give the same input. */
static char *
compute_hash (const char *prev_hash,
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

/* Reads the head of the chain from the settings: "ID HASH". */
static gboolean
read_head (TesoroDb   *db,
           gboolean   *found,
           gint64     *id,
           char      **hash,
           GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  stmt = tesoro_db_prepare (db, "SELECT value FROM settings WHERE key = '" HEAD_KEY "'", error);
  if (stmt == NULL)
    return FALSE;
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      const char *value = tesoro_db_column_text (stmt, 0);
      const char *space = value != NULL ? strchr (value, ' ') : NULL;
      guint64 parsed = 0;

      *found = TRUE;
      *id = -1;
      if (space != NULL)
        {
          g_autofree char *number = g_strndup (value, space - value);

          if (g_ascii_string_to_unsigned (number, 10, 1, G_MAXINT64, &parsed, NULL))
            {
              *id = (gint64) parsed;
              *hash = g_strdup (space + 1);
            }
        }
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/**
 * tesoro_store_append_audit:
 * @action: what happened, one of the `TESORO_AUDIT_…` names
 * @contact_uid: (nullable): the uid of the contact it concerns
 * @details: (nullable): a JSON object with no personal data in it
 *
 * Appends an entry to the accountability log, as the store's actor, now.
 * Inside a transaction of the caller it becomes part of it.
 *
 * Returns: the entry's id, or -1 with @error set
 */
gint64
tesoro_store_append_audit (TesoroStore  *self,
                           const char   *action,
                           const char   *contact_uid,
                           JsonNode     *details,
                           GError      **error)
{
  TesoroDb *db;
  g_autofree char *details_text = NULL;
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *head = NULL;
  sqlite3_stmt *stmt;
  gboolean head_found = FALSE;
  gint64 prev_id = 0;
  gint64 id;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), -1);
  g_return_val_if_fail (action != NULL && *action != '\0', -1);
  g_return_val_if_fail (details == NULL || JSON_NODE_HOLDS_OBJECT (details), -1);

  db = _tesoro_store_get_db (self);
  details_text = details != NULL ? tesoro_json_to_string (details, FALSE) : g_strdup ("{}");

  if (!_tesoro_store_begin_write (self, error))
    return -1;

  /* The chain continues from the recorded head, not from whatever entry is
   * newest now: had the newest entries been removed, the next entry would
   * otherwise hide that. */
  if (!read_head (db, &head_found, &prev_id, &prev_hash, error))
    goto failed;

  if (!head_found || prev_id < 0)
    {
      g_clear_pointer (&prev_hash, g_free);
      prev_id = 0;
      stmt = tesoro_db_prepare (db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", error);
      if (stmt == NULL)
        goto failed;
      rc = tesoro_db_step (db, stmt, error);
      if (rc < 0)
        goto failed;
      if (rc == SQLITE_ROW)
        {
          prev_id = sqlite3_column_int64 (stmt, 0);
          prev_hash = tesoro_db_column_dup (stmt, 1);
        }
      sqlite3_reset (stmt);
    }

  if (prev_hash == NULL)
    prev_hash = g_strdup (TESORO_AUDIT_GENESIS_HASH);

  /* Ids only grow, even past removed entries. */
  id = MAX (prev_id, tesoro_db_query_int (db, "SELECT ifnull (max (id), 0) FROM audit_log", NULL)) + 1;
  hash = compute_hash (prev_hash, id, now, tesoro_store_get_actor (self), action, contact_uid, details_text);

  stmt = tesoro_db_prepare (db,
                            "INSERT INTO audit_log (id, at, actor, action, contact_uid, details, prev_hash, hash)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  tesoro_db_bind_text (stmt, 2, now);
  tesoro_db_bind_text (stmt, 3, tesoro_store_get_actor (self));
  tesoro_db_bind_text (stmt, 4, action);
  tesoro_db_bind_text (stmt, 5, contact_uid);
  tesoro_db_bind_text (stmt, 6, details_text);
  tesoro_db_bind_text (stmt, 7, prev_hash);
  tesoro_db_bind_text (stmt, 8, hash);
  if (!tesoro_db_step_done (db, stmt, error))
    goto failed;

  head = g_strdup_printf ("%" G_GINT64_FORMAT " %s", id, hash);
  stmt = tesoro_db_prepare (db,
                            "INSERT INTO settings (key, value) VALUES ('" HEAD_KEY "', ?1)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    goto failed;
  tesoro_db_bind_text (stmt, 1, head);
  if (!tesoro_db_step_done (db, stmt, error) || !tesoro_db_commit (db, error))
    goto failed;

  return id;

failed:
  if (tesoro_db_in_transaction (db))
    tesoro_db_rollback (db);
  g_prefix_error (error, _("Cannot write to the audit log: "));
  return -1;
}

static TesoroAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  TesoroAuditEntry *entry = g_object_new (TESORO_TYPE_AUDIT_ENTRY, NULL);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->at = tesoro_db_column_dup (stmt, 1);
  entry->actor = tesoro_db_column_dup (stmt, 2);
  entry->action = tesoro_db_column_dup (stmt, 3);
  entry->contact_uid = tesoro_db_column_dup (stmt, 4);
  entry->details = tesoro_db_column_dup (stmt, 5);
  entry->prev_hash = tesoro_db_column_dup (stmt, 6);
  entry->hash = tesoro_db_column_dup (stmt, 7);

  return entry;
}

/**
 * tesoro_store_list_audit:
 * @filter: (nullable): which entries; %NULL for all, oldest first
 *
 * Returns: (transfer full) (element-type TesoroAuditEntry): the entries
 */
GPtrArray *
tesoro_store_list_audit (TesoroStore              *self,
                         const TesoroAuditFilter  *filter,
                         GError                  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = g_string_new ("SELECT id, at, actor, action, contact_uid, details, prev_hash, hash"
                                         " FROM audit_log WHERE 1");
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  TesoroAuditFilter all;
  TesoroDb *db;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), NULL);

  if (filter == NULL)
    {
      tesoro_audit_filter_init (&all);
      filter = &all;
    }

  if (filter->since != NULL && *filter->since != '\0' &&
      (since = tesoro_normalize_timestamp (filter->since, FALSE, error)) == NULL)
    return NULL;
  if (filter->until != NULL && *filter->until != '\0' &&
      (until = tesoro_normalize_timestamp (filter->until, FALSE, error)) == NULL)
    return NULL;

  db = _tesoro_store_get_db (self);

  if (filter->action != NULL)
    g_string_append (sql, " AND action = ?1");
  if (filter->contact_uid != NULL)
    g_string_append (sql, " AND contact_uid = ?2");
  if (since != NULL)
    g_string_append (sql, " AND at >= ?3");
  if (until != NULL)
    g_string_append (sql, " AND at < ?4");
  g_string_append (sql, filter->newest_first ? " ORDER BY id DESC" : " ORDER BY id");
  if (filter->limit > 0)
    g_string_append_printf (sql, " LIMIT %u", filter->limit);

  rc = sqlite3_prepare_v2 (tesoro_db_get_handle (db), sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (db, error, rc, NULL);
      return NULL;
    }
  if (filter->action != NULL)
    tesoro_db_bind_text (stmt, 1, filter->action);
  if (filter->contact_uid != NULL)
    tesoro_db_bind_text (stmt, 2, filter->contact_uid);
  if (since != NULL)
    tesoro_db_bind_text (stmt, 3, since);
  if (until != NULL)
    tesoro_db_bind_text (stmt, 4, until);

  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&entries);
}

static gboolean
broken (GError    **error,
        gint64     *first_broken_id,
        gint64      id,
        const char *message)
{
  if (first_broken_id != NULL)
    *first_broken_id = id;
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, "%s", message);
  return FALSE;
}

/**
 * tesoro_store_verify_audit:
 * @cancellable: (nullable): to stop a long check
 * @n_entries: (out) (optional): how many entries were checked
 * @first_broken_id: (out) (optional): the id of the first entry that does
 *   not verify (altered, or following a removed one; for removed newest
 *   entries, the id the head names), or 0
 * @head_hash: (out) (optional) (transfer full): the hash of the newest entry,
 *   to note elsewhere: a later check can then prove the log was not rewritten
 *
 * Recomputes the hash chain.
 *
 * Returns: %TRUE if the whole log verifies. Otherwise %FALSE with @error
 *   set: %TESORO_ERROR_INVALID (with @first_broken_id > 0) when the log has
 *   been tampered with, another code when it could not be read
 */
gboolean
tesoro_store_verify_audit (TesoroStore   *self,
                           GCancellable  *cancellable,
                           gint64        *n_entries,
                           gint64        *first_broken_id,
                           char         **head_hash,
                           GError       **error)
{
  g_autofree char *expected_prev = g_strdup (TESORO_AUDIT_GENESIS_HASH);
  g_autofree char *anchor_hash = NULL;
  TesoroDb *db;
  sqlite3_stmt *stmt = NULL;
  gboolean anchor_found = FALSE;
  gint64 anchor_id = 0;
  gint64 last_id = 0;
  gint64 count = 0;
  gboolean own_transaction;
  int rc;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);

  if (n_entries != NULL)
    *n_entries = 0;
  if (first_broken_id != NULL)
    *first_broken_id = 0;
  if (head_hash != NULL)
    *head_hash = NULL;

  db = _tesoro_store_get_db (self);

  /* One read transaction, so that entries appended meanwhile by another
   * connection do not make the head and the rows disagree. */
  own_transaction = sqlite3_get_autocommit (tesoro_db_get_handle (db)) != 0;
  if (own_transaction && !tesoro_db_exec (db, "BEGIN", error))
    return FALSE;

  if (!read_head (db, &anchor_found, &anchor_id, &anchor_hash, error))
    goto failed;

  rc = sqlite3_prepare_v2 (tesoro_db_get_handle (db),
                           "SELECT id, at, actor, action, contact_uid, details, prev_hash, hash"
                           " FROM audit_log ORDER BY id", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (db, error, rc, NULL);
      goto failed;
    }

  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *prev_hash = tesoro_db_column_text (stmt, 6);
      const char *hash = tesoro_db_column_text (stmt, 7);
      g_autofree char *computed = NULL;

      if (++count % 4096 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      if (g_strcmp0 (prev_hash, expected_prev) != 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("The audit log does not verify: entry %" PRId64 " does not follow the "
                               "entry before it (an entry was removed or changed)"), id);
          broken (error, first_broken_id, id, message);
          goto failed;
        }

      computed = compute_hash (prev_hash, id, tesoro_db_column_text (stmt, 1), tesoro_db_column_text (stmt, 2),
                               tesoro_db_column_text (stmt, 3), tesoro_db_column_text (stmt, 4),
                               tesoro_db_column_text (stmt, 5));
      if (g_strcmp0 (computed, hash) != 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("The audit log does not verify: entry %" PRId64 " has been altered"), id);
          broken (error, first_broken_id, id, message);
          goto failed;
        }

      g_free (expected_prev);
      expected_prev = g_strdup (hash);
      last_id = id;
    }
  if (rc != SQLITE_DONE)
    goto failed;

  if (count > 0 && (!anchor_found || anchor_id != last_id || g_strcmp0 (anchor_hash, expected_prev) != 0))
    {
      gint64 missing = anchor_found && anchor_id > last_id ? anchor_id : last_id;
      g_autofree char *message = NULL;

      if (anchor_found && anchor_id > last_id)
        message = g_strdup_printf (_("The audit log does not verify: it ends at entry %" PRId64
                                     ", but entry %" PRId64 " was written (entries were removed)"),
                                   last_id, anchor_id);
      else
        message = g_strdup_printf (_("The audit log does not verify: its recorded head does not match entry %"
                                     PRId64), last_id);
      broken (error, first_broken_id, missing, message);
      goto failed;
    }

  if (count == 0 && anchor_found)
    {
      broken (error, first_broken_id, MAX (anchor_id, 1),
              _("The audit log does not verify: all its entries were removed"));
      goto failed;
    }

  sqlite3_finalize (stmt);
  if (own_transaction)
    tesoro_db_exec (db, "COMMIT", NULL);

  if (n_entries != NULL)
    *n_entries = count;
  if (head_hash != NULL)
    *head_hash = g_steal_pointer (&expected_prev);

  return TRUE;

failed:
  sqlite3_finalize (stmt);
  if (own_transaction && !sqlite3_get_autocommit (tesoro_db_get_handle (db)))
    tesoro_db_exec (db, "ROLLBACK", NULL);
  if (n_entries != NULL)
    *n_entries = count;
  return FALSE;
}
