/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-batch"

#include "config.h"

#include "tesoro-batch.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-audit.h"
#include "tesoro-bulk-private.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-normalize.h"
#include "tesoro-store-private.h"
#include "tesoro-utils.h"

/*
 * Batch edit, part of the store layer. Each change is made with direct SQL
 * (a selection may be every contact) and the search index of a contact is
 * rewritten when a field it indexes (organisation, city) changed.
 */

#define AUDIT_BATCH_EDIT "batch-edit"
#define AUDIT_BATCH_UNDO "batch-undo"

/* Above this many changed contacts the store emits one RESET rather than a
 * signal per contact. */
#define MAX_SIGNALS 1000

typedef enum
{
  FIELD_ORGANIZATION,
  FIELD_CITY,
  FIELD_LAWFUL_BASIS,
  FIELD_CUSTOM,
} Field;

/* What one contact was like before the change. */
typedef struct
{
  gint64    id;
  char     *before;        /* the previous value (NULL: none) */
  gint64    position;      /* REMOVE_TAG: where the tag was */
  gboolean  had_address;   /* city: whether the contact had an address */
} Change;

struct _TesoroBatchUndo
{
  gatomicrefcount    ref_count;
  TesoroBatchAction  action;
  char              *argument;   /* tag, or field */
  char              *value;      /* SET_FIELD: the value set (NULL: cleared) */
  char              *stamp;      /* TRASH: the trashed_at written */
  GArray            *changes;    /* Change */
  gboolean           done;
};

G_DEFINE_BOXED_TYPE (TesoroBatchUndo, tesoro_batch_undo, tesoro_batch_undo_ref, tesoro_batch_undo_unref)

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

static void
change_clear (gpointer data)
{
  Change *c = data;
  g_free (c->before);
}

static TesoroBatchUndo *
undo_new (TesoroBatchAction  action,
          const char        *argument,
          const char        *value)
{
  TesoroBatchUndo *undo = g_new0 (TesoroBatchUndo, 1);

  g_atomic_ref_count_init (&undo->ref_count);
  undo->action = action;
  undo->argument = g_strdup (argument);
  undo->value = g_strdup (value);
  undo->changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_array_set_clear_func (undo->changes, change_clear);
  return undo;
}

TesoroBatchUndo *
tesoro_batch_undo_ref (TesoroBatchUndo *undo)
{
  g_return_val_if_fail (undo != NULL, NULL);
  g_atomic_ref_count_inc (&undo->ref_count);
  return undo;
}

void
tesoro_batch_undo_unref (TesoroBatchUndo *undo)
{
  g_return_if_fail (undo != NULL);

  if (!g_atomic_ref_count_dec (&undo->ref_count))
    return;
  g_free (undo->argument);
  g_free (undo->value);
  g_free (undo->stamp);
  g_array_unref (undo->changes);
  g_free (undo);
}

TesoroBatchAction
tesoro_batch_undo_get_action (TesoroBatchUndo *undo)
{
  g_return_val_if_fail (undo != NULL, TESORO_BATCH_ADD_TAG);
  return undo->action;
}

/**
 * tesoro_batch_undo_get_n_contacts:
 *
 * Returns: how many contacts the batch changed (and Undo would put back)
 */
guint
tesoro_batch_undo_get_n_contacts (TesoroBatchUndo *undo)
{
  g_return_val_if_fail (undo != NULL, 0);
  return undo->changes->len;
}

/**
 * tesoro_batch_undo_is_done:
 *
 * Returns: whether tesoro_store_batch_undo() has already been applied
 */
gboolean
tesoro_batch_undo_is_done (TesoroBatchUndo *undo)
{
  g_return_val_if_fail (undo != NULL, FALSE);
  return undo->done;
}

const char *
tesoro_batch_action_to_string (TesoroBatchAction action)
{
  switch (action)
    {
    case TESORO_BATCH_ADD_TAG:
      return "add-tag";
    case TESORO_BATCH_REMOVE_TAG:
      return "remove-tag";
    case TESORO_BATCH_SET_FIELD:
      return "set-field";
    case TESORO_BATCH_TRASH:
      return "trash";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Fields */

static gboolean
parse_field (const char  *field,
             Field       *kind,
             const char **custom_name,
             GError     **error)
{
  *custom_name = NULL;

  if (g_strcmp0 (field, TESORO_BATCH_FIELD_ORGANIZATION) == 0)
    *kind = FIELD_ORGANIZATION;
  else if (g_strcmp0 (field, TESORO_BATCH_FIELD_CITY) == 0)
    *kind = FIELD_CITY;
  else if (g_strcmp0 (field, TESORO_BATCH_FIELD_LAWFUL_BASIS) == 0)
    *kind = FIELD_LAWFUL_BASIS;
  else if (field != NULL && g_str_has_prefix (field, TESORO_BATCH_FIELD_CUSTOM) &&
           has_text (field + strlen (TESORO_BATCH_FIELD_CUSTOM)))
    {
      *kind = FIELD_CUSTOM;
      *custom_name = field + strlen (TESORO_BATCH_FIELD_CUSTOM);
      if (!tesoro_check_text ("custom field", *custom_name, 256, error))
        return FALSE;
    }
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” cannot be set for a selection: choose organization, city, lawful_basis "
                     "or custom/NAME"),
                   field != NULL ? field : "");
      return FALSE;
    }

  return TRUE;
}

/**
 * tesoro_batch_check_field:
 * @field: "organization", "city" (of the first address), "lawful_basis" or
 *   "custom/NAME"
 * @value: (nullable): the new value; %NULL or "" clears the field
 * @normalized: (out) (optional) (transfer full) (nullable): the value as it
 *   will be stored (white space tidied, a lawful basis in its canonical
 *   form), %NULL to clear
 *
 * Checks a Set Field before it is applied, for the dialog that asks.
 */
gboolean
tesoro_batch_check_field (const char  *field,
                          const char  *value,
                          char       **normalized,
                          GError     **error)
{
  g_autofree char *result = NULL;
  const char *custom_name;
  Field kind;

  if (normalized != NULL)
    *normalized = NULL;

  if (!parse_field (field, &kind, &custom_name, error))
    return FALSE;

  if (kind == FIELD_CUSTOM)
    {
      if (value != NULL)
        {
          result = g_strdup (value);
          g_strstrip (result);
        }
    }
  else if (value != NULL)
    result = tesoro_normalize_space (value);

  if (result != NULL && *result == '\0')
    g_clear_pointer (&result, g_free);

  if (result != NULL)
    {
      if (kind == FIELD_LAWFUL_BASIS)
        {
          char *basis = tesoro_normalize_lawful_basis (result, error);

          if (basis == NULL)
            return FALSE;
          g_free (result);
          result = basis;
        }
      else if (!tesoro_check_text (field, result, kind == FIELD_CUSTOM ? TESORO_MAX_LONG_TEXT : TESORO_MAX_SHORT_TEXT,
                                   error))
        return FALSE;
    }

  if (normalized != NULL)
    *normalized = g_steal_pointer (&result);
  return TRUE;
}

/**
 * tesoro_batch_describe_field:
 *
 * Returns: (transfer full): the field's name for people ("Organisation",
 * "City", "Lawful basis", or the custom field's name)
 */
char *
tesoro_batch_describe_field (const char *field)
{
  if (g_strcmp0 (field, TESORO_BATCH_FIELD_ORGANIZATION) == 0)
    return g_strdup (_("Organisation"));
  if (g_strcmp0 (field, TESORO_BATCH_FIELD_CITY) == 0)
    return g_strdup (_("City"));
  if (g_strcmp0 (field, TESORO_BATCH_FIELD_LAWFUL_BASIS) == 0)
    return g_strdup (_("Lawful basis"));
  if (field != NULL && g_str_has_prefix (field, TESORO_BATCH_FIELD_CUSTOM))
    return g_strdup (field + strlen (TESORO_BATCH_FIELD_CUSTOM));
  return g_strdup (field != NULL ? field : "");
}

/**
 * tesoro_batch_undo_describe:
 *
 * Returns: (transfer full): what the batch did, for an Undo toast
 * ("Tag “klant” added to 12 contacts")
 */
char *
tesoro_batch_undo_describe (TesoroBatchUndo *undo)
{
  guint n;

  g_return_val_if_fail (undo != NULL, NULL);

  n = undo->changes->len;
  switch (undo->action)
    {
    case TESORO_BATCH_ADD_TAG:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tag “%s” added to %u contact",
                                           "Tag “%s” added to %u contacts", n),
                              undo->argument, n);
    case TESORO_BATCH_REMOVE_TAG:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tag “%s” removed from %u contact",
                                           "Tag “%s” removed from %u contacts", n),
                              undo->argument, n);
    case TESORO_BATCH_SET_FIELD:
      {
        g_autofree char *name = tesoro_batch_describe_field (undo->argument);

        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s changed for %u contact",
                                             "%s changed for %u contacts", n),
                                name, n);
      }
    case TESORO_BATCH_TRASH:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact moved to the trash",
                                           "%u contacts moved to the trash", n),
                              n);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Helpers */

typedef enum
{
  STATE_MISSING,
  STATE_TRASHED,
  STATE_RESTRICTED,
  STATE_WRITABLE,
} ContactState;

static gboolean
contact_state (TesoroDb      *db,
               gint64         id,
               ContactState  *state,
               GError       **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, "SELECT restricted, trashed_at FROM contacts WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE)
    *state = STATE_MISSING;
  else if (sqlite3_column_int (stmt, 0))
    *state = STATE_RESTRICTED;
  else if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    *state = STATE_TRASHED;
  else
    *state = STATE_WRITABLE;
  sqlite3_reset (stmt);
  return TRUE;
}

/* The id of the row named @name that @select_sql (a literal, "SELECT id …
 * WHERE name = ?1") finds: first made by @insert_sql when @create. 0 when
 * there is none, -1 on error. */
static gint64
find_named (TesoroDb    *db,
            const char  *insert_sql,
            const char  *select_sql,
            const char  *name,
            gboolean     create,
            GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (create)
    {
      stmt = tesoro_db_prepare (db, insert_sql, error);
      if (stmt == NULL)
        return -1;
      tesoro_db_bind_text (stmt, 1, name);
      if (!tesoro_db_step_done (db, stmt, error))
        return -1;
    }

  stmt = tesoro_db_prepare (db, select_sql, error);
  if (stmt == NULL)
    return -1;
  tesoro_db_bind_text (stmt, 1, name);
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

static gint64
find_tag (TesoroDb    *db,
          const char  *name,
          gboolean     create,
          GError     **error)
{
  return find_named (db,
                     "INSERT INTO tags (name) VALUES (?1) ON CONFLICT DO NOTHING",
                     "SELECT id FROM tags WHERE name = ?1",
                     name, create, error);
}

static gint64
find_custom_field (TesoroDb    *db,
                   const char  *name,
                   gboolean     create,
                   GError     **error)
{
  return find_named (db,
                     "INSERT INTO custom_fields (name) VALUES (?1) ON CONFLICT DO NOTHING",
                     "SELECT id FROM custom_fields WHERE name = ?1",
                     name, create, error);
}

/* What of a contact the search index holds, for _tesoro_store_index_contact(). */
static gboolean
reindex (TesoroStore  *store,
         gint64        id,
         GError      **error)
{
  TesoroDb *db = _tesoro_store_get_db (store);
  g_autoptr(TesoroContact) contact = tesoro_contact_new ();
  sqlite3_stmt *stmt;
  int rc;

  tesoro_contact_set_id (contact, id);

  stmt = tesoro_db_prepare (db,
                            "SELECT given_name, family_name, display_name, organization FROM contacts WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      tesoro_contact_set_given_name (contact, tesoro_db_column_text (stmt, 0));
      tesoro_contact_set_family_name (contact, tesoro_db_column_text (stmt, 1));
      tesoro_contact_set_display_name (contact, tesoro_db_column_text (stmt, 2));
      tesoro_contact_set_organization (contact, tesoro_db_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  stmt = tesoro_db_prepare (db, "SELECT value FROM contact_emails WHERE contact_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    tesoro_contact_add_email (contact, NULL, tesoro_db_column_text (stmt, 0), FALSE);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  stmt = tesoro_db_prepare (db, "SELECT value FROM contact_phones WHERE contact_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    tesoro_contact_add_phone (contact, NULL, tesoro_db_column_text (stmt, 0), FALSE);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  stmt = tesoro_db_prepare (db, "SELECT city FROM contact_addresses WHERE contact_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = tesoro_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      TesoroAddress *a = tesoro_address_new ();

      a->city = tesoro_db_column_dup (stmt, 0);
      g_ptr_array_add (tesoro_contact_get_addresses (contact), a);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  return _tesoro_store_index_contact (store, contact, error);
}

/* Reading and writing one field */

static gboolean
read_field (TesoroDb    *db,
            gint64       id,
            Field        kind,
            gint64       field_id,
            char       **value,
            gboolean    *has_address,
            GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *value = NULL;
  *has_address = FALSE;

  switch (kind)
    {
    case FIELD_ORGANIZATION:
      stmt = tesoro_db_prepare (db, "SELECT nullif (organization, '') FROM contacts WHERE id = ?1", error);
      break;
    case FIELD_LAWFUL_BASIS:
      stmt = tesoro_db_prepare (db, "SELECT lawful_basis FROM contacts WHERE id = ?1", error);
      break;
    case FIELD_CITY:
      stmt = tesoro_db_prepare (db,
                                "SELECT nullif (city, '') FROM contact_addresses WHERE contact_id = ?1"
                                " ORDER BY position, id LIMIT 1",
                                error);
      break;
    case FIELD_CUSTOM:
    default:
      stmt = tesoro_db_prepare (db,
                                "SELECT value FROM contact_custom_values WHERE contact_id = ?1 AND field_id = ?2",
                                error);
      break;
    }
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (kind == FIELD_CUSTOM)
    sqlite3_bind_int64 (stmt, 2, field_id);
  rc = tesoro_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      *value = tesoro_db_column_dup (stmt, 0);
      *has_address = kind == FIELD_CITY;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Writes @value (NULL: empty) into the field. For the city, @had_address
 * says whether to change the first address or to add one (or, when
 * @value is NULL and !@had_address, to remove the one added). */
static gboolean
write_field (TesoroStore  *store,
             gint64        id,
             Field         kind,
             gint64        field_id,
             const char   *value,
             gboolean      had_address,
             GError      **error)
{
  TesoroDb *db = _tesoro_store_get_db (store);
  sqlite3_stmt *stmt;

  switch (kind)
    {
    case FIELD_ORGANIZATION:
      stmt = tesoro_db_prepare (db, "UPDATE contacts SET organization = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      tesoro_db_bind_text_or_empty (stmt, 2, value);
      return tesoro_db_step_done (db, stmt, error) && reindex (store, id, error);

    case FIELD_LAWFUL_BASIS:
      if (!_tesoro_gdpr_audit_lawful_basis (store, id, value, error))
        return FALSE;
      stmt = tesoro_db_prepare (db, "UPDATE contacts SET lawful_basis = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      tesoro_db_bind_text (stmt, 2, value);
      return tesoro_db_step_done (db, stmt, error);

    case FIELD_CITY:
      if (had_address)
        {
          stmt = tesoro_db_prepare (db,
                                    "UPDATE contact_addresses SET city = ?2 WHERE id ="
                                    " (SELECT id FROM contact_addresses WHERE contact_id = ?1"
                                    "  ORDER BY position, id LIMIT 1)",
                                    error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          tesoro_db_bind_text_or_empty (stmt, 2, value);
        }
      else if (value != NULL)
        {
          stmt = tesoro_db_prepare (db,
                                    "INSERT INTO contact_addresses (contact_id, position, label, city)"
                                    " VALUES (?1, 0, 'other', ?2)",
                                    error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          tesoro_db_bind_text (stmt, 2, value);
        }
      else
        {
          /* Undo of an address that the batch added. */
          stmt = tesoro_db_prepare (db, "DELETE FROM contact_addresses WHERE contact_id = ?1", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
        }
      return tesoro_db_step_done (db, stmt, error) && reindex (store, id, error);

    case FIELD_CUSTOM:
    default:
      if (value == NULL)
        {
          stmt = tesoro_db_prepare (db, "DELETE FROM contact_custom_values WHERE contact_id = ?1 AND field_id = ?2",
                                    error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int64 (stmt, 2, field_id);
        }
      else
        {
          stmt = tesoro_db_prepare (db,
                                    "INSERT INTO contact_custom_values (contact_id, field_id, position, value)"
                                    " VALUES (?1, ?2, (SELECT ifnull (max (position) + 1, 0)"
                                    "  FROM contact_custom_values WHERE contact_id = ?1), ?3)"
                                    " ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value",
                                    error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int64 (stmt, 2, field_id);
          tesoro_db_bind_text (stmt, 3, value);
        }
      return tesoro_db_step_done (db, stmt, error);
    }
}

static gboolean
delete_unused (TesoroDb    *db,
               const char  *sql,
               gint64       id,
               GError     **error)
{
  sqlite3_stmt *stmt = tesoro_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return tesoro_db_step_done (db, stmt, error);
}

static gboolean
write_audit (TesoroStore        *store,
             const char         *audit_action,
             TesoroBatchAction   action,
             const char         *field,
             const char         *k1,
             guint               v1,
             const char         *k2,
             guint               v2,
             const char         *k3,
             guint               v3,
             const char         *k4,
             guint               v4,
             GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  const char *keys[] = { k1, k2, k3, k4 };
  guint values[] = { v1, v2, v3, v4 };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, tesoro_batch_action_to_string (action));
  if (field != NULL)
    {
      /* The name of a custom field may say something about the people who
       * have it; only its kind is logged. */
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, g_str_has_prefix (field, TESORO_BATCH_FIELD_CUSTOM) ? "custom" : field);
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i] != NULL)
      {
        json_builder_set_member_name (builder, keys[i]);
        json_builder_add_int_value (builder, values[i]);
      }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return tesoro_store_append_audit (store, audit_action, NULL, details, error) >= 0;
}

static void
emit_changes (TesoroStore  *store,
              GArray       *changes,
              TesoroChange  change)
{
  if (changes->len == 0)
    return;
  if (changes->len > MAX_SIGNALS)
    {
      _tesoro_store_emit_changed (store, 0, TESORO_CHANGE_RESET);
      return;
    }
  for (guint i = 0; i < changes->len; i++)
    _tesoro_store_emit_changed (store, g_array_index (changes, Change, i).id, change);
}

/* Batch edit */

/**
 * tesoro_store_batch_edit:
 * @ids: (array length=n_ids): the contacts
 * @action: what to do
 * @argument: (nullable): the tag (ADD_TAG, REMOVE_TAG) or the field
 *   (SET_FIELD: see tesoro_batch_check_field()); %NULL for TRASH
 * @value: (nullable): the new value for SET_FIELD; %NULL or "" clears it
 * @progress: (nullable): called with contacts done and @n_ids
 * @result: (out caller-allocates) (optional): the counts
 * @undo: (out) (optional) (transfer full): the undo record; %NULL when
 *   nothing changed
 *
 * Applies one change to every contact of the selection, in one
 * transaction, and writes one entry in the accountability log.
 * Restricted contacts are skipped (counted in @result), as are contacts
 * that do not exist or are in the trash.
 */
gboolean
tesoro_store_batch_edit (TesoroStore        *self,
                         const gint64       *ids,
                         guint               n_ids,
                         TesoroBatchAction   action,
                         const char         *argument,
                         const char         *value,
                         GCancellable       *cancellable,
                         TesoroProgressFunc  progress,
                         gpointer            user_data,
                         TesoroBatchResult  *result,
                         TesoroBatchUndo   **undo,
                         GError            **error)
{
  g_autoptr(TesoroBatchUndo) record = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *now = tesoro_now_iso ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  TesoroBatchResult r = { 0 };
  TesoroBulkProgress prog = { progress, user_data, n_ids, 0 };
  const char *custom_name = NULL;
  Field kind = FIELD_ORGANIZATION;
  gint64 name_id = 0;
  TesoroDb *db;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (result != NULL)
    memset (result, 0, sizeof *result);
  if (undo != NULL)
    *undo = NULL;

  /* Arguments first: nothing is started for a bad one. */
  switch (action)
    {
    case TESORO_BATCH_ADD_TAG:
    case TESORO_BATCH_REMOVE_TAG:
      tag = argument != NULL ? tesoro_normalize_space (argument) : NULL;
      if (!has_text (tag))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The tag is empty"));
          return FALSE;
        }
      if (!tesoro_check_text ("tag", tag, 256, error))
        return FALSE;
      break;
    case TESORO_BATCH_SET_FIELD:
      if (!parse_field (argument, &kind, &custom_name, error) ||
          !tesoro_batch_check_field (argument, value, &normalized, error))
        return FALSE;
      break;
    case TESORO_BATCH_TRASH:
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  record = undo_new (action, action == TESORO_BATCH_SET_FIELD ? argument : tag, normalized);
  record->stamp = g_strdup (now);

  db = _tesoro_store_get_db (self);
  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  if (action == TESORO_BATCH_ADD_TAG || action == TESORO_BATCH_REMOVE_TAG)
    {
      name_id = find_tag (db, tag, action == TESORO_BATCH_ADD_TAG, error);
      if (name_id < 0)
        goto failed;

      /* Tags are matched without regard to case: Undo needs the tag as it
       * is stored ("klant" for a removal asked as "KLANT"). */
      if (name_id > 0)
        {
          stmt = tesoro_db_prepare (db, "SELECT name FROM tags WHERE id = ?1", error);
          if (stmt == NULL)
            goto failed;
          sqlite3_bind_int64 (stmt, 1, name_id);
          if (tesoro_db_step (db, stmt, error) == SQLITE_ROW)
            tesoro_set_str (&record->argument, tesoro_db_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
    }
  else if (action == TESORO_BATCH_SET_FIELD && kind == FIELD_CUSTOM)
    {
      name_id = find_custom_field (db, custom_name, normalized != NULL, error);
      if (name_id < 0)
        goto failed;
    }

  for (guint i = 0; i < n_ids; i++)
    {
      gint64 id = ids[i];
      ContactState state;
      Change change = { id, NULL, 0, FALSE };
      gboolean changed = FALSE;

      if ((i & 255) == 0)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: no contact was changed"));
              goto failed;
            }
          _tesoro_bulk_progress_report (&prog, i, FALSE);
        }

      if (g_hash_table_contains (seen, &ids[i]))
        continue;
      g_hash_table_add (seen, (gpointer) &ids[i]);

      if (!contact_state (db, id, &state, error))
        goto failed;
      if (state == STATE_MISSING || (state == STATE_TRASHED && action != TESORO_BATCH_TRASH))
        {
          r.missing++;
          continue;
        }
      if (state == STATE_RESTRICTED)
        {
          r.restricted++;
          continue;
        }

      switch (action)
        {
        case TESORO_BATCH_ADD_TAG:
          stmt = tesoro_db_prepare (db,
                                    "INSERT INTO contact_tags (contact_id, tag_id, position)"
                                    " VALUES (?1, ?2, (SELECT ifnull (max (position) + 1, 0)"
                                    "  FROM contact_tags WHERE contact_id = ?1))"
                                    " ON CONFLICT DO NOTHING",
                                    error);
          if (stmt == NULL)
            goto failed;
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int64 (stmt, 2, name_id);
          if (!tesoro_db_step_done (db, stmt, error))
            goto failed;
          changed = sqlite3_changes (tesoro_db_get_handle (db)) > 0;
          break;

        case TESORO_BATCH_REMOVE_TAG:
          if (name_id == 0)
            break;
          stmt = tesoro_db_prepare (db, "SELECT position FROM contact_tags WHERE contact_id = ?1 AND tag_id = ?2",
                                    error);
          if (stmt == NULL)
            goto failed;
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int64 (stmt, 2, name_id);
          {
            int rc = tesoro_db_step (db, stmt, error);

            if (rc < 0)
              goto failed;
            if (rc == SQLITE_ROW)
              {
                change.position = sqlite3_column_int64 (stmt, 0);
                changed = TRUE;
              }
            sqlite3_reset (stmt);
          }
          if (changed)
            {
              stmt = tesoro_db_prepare (db, "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag_id = ?2", error);
              if (stmt == NULL)
                goto failed;
              sqlite3_bind_int64 (stmt, 1, id);
              sqlite3_bind_int64 (stmt, 2, name_id);
              if (!tesoro_db_step_done (db, stmt, error))
                goto failed;
            }
          break;

        case TESORO_BATCH_SET_FIELD:
          if (!read_field (db, id, kind, name_id, &change.before, &change.had_address, error))
            goto failed;
          if (kind == FIELD_CITY && !change.had_address)
            {
              /* No address yet: is there an address without a city? */
              gint64 n = 0;

              stmt = tesoro_db_prepare (db, "SELECT count (*) FROM contact_addresses WHERE contact_id = ?1", error);
              if (stmt == NULL)
                goto failed;
              sqlite3_bind_int64 (stmt, 1, id);
              if (tesoro_db_step (db, stmt, error) == SQLITE_ROW)
                n = sqlite3_column_int64 (stmt, 0);
              sqlite3_reset (stmt);
              change.had_address = n > 0;
            }
          if (g_strcmp0 (change.before, normalized) == 0 || (kind == FIELD_CUSTOM && name_id == 0))
            break;
          if (!write_field (self, id, kind, name_id, normalized, change.had_address, error))
            goto failed;
          changed = TRUE;
          break;

        case TESORO_BATCH_TRASH:
          if (state == STATE_TRASHED)
            break;
          stmt = tesoro_db_prepare (db, "UPDATE contacts SET trashed_at = ?2 WHERE id = ?1 AND trashed_at IS NULL",
                                    error);
          if (stmt == NULL)
            goto failed;
          sqlite3_bind_int64 (stmt, 1, id);
          tesoro_db_bind_text (stmt, 2, now);
          if (!tesoro_db_step_done (db, stmt, error))
            goto failed;
          changed = TRUE;
          break;

        default:
          break;
        }

      if (!changed)
        {
          g_free (change.before);
          r.unchanged++;
          continue;
        }

      if (action != TESORO_BATCH_TRASH && !_tesoro_store_touch_contact (self, id, NULL, TRUE, error))
        {
          g_free (change.before);
          goto failed;
        }
      g_array_append_val (record->changes, change);
      r.changed++;
    }

  if (action == TESORO_BATCH_REMOVE_TAG && name_id > 0 &&
      !delete_unused (db, "DELETE FROM tags WHERE id = ?1 AND NOT EXISTS"
                          " (SELECT 1 FROM contact_tags WHERE tag_id = ?1)", name_id, error))
    goto failed;
  if (action == TESORO_BATCH_SET_FIELD && kind == FIELD_CUSTOM && name_id > 0 &&
      !delete_unused (db, "DELETE FROM custom_fields WHERE id = ?1 AND NOT EXISTS"
                          " (SELECT 1 FROM contact_custom_values WHERE field_id = ?1)", name_id, error))
    goto failed;

  if (!write_audit (self, AUDIT_BATCH_EDIT, action, action == TESORO_BATCH_SET_FIELD ? argument : NULL,
                    "changed", r.changed, "unchanged", r.unchanged, "restricted", r.restricted,
                    "missing", r.missing, error))
    goto failed;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: no contact was changed"));
      goto failed;
    }

  if (!tesoro_db_commit (db, error))
    goto failed;

  _tesoro_bulk_progress_report (&prog, n_ids, TRUE);
  emit_changes (self, record->changes, action == TESORO_BATCH_TRASH ? TESORO_CHANGE_TRASHED : TESORO_CHANGE_UPDATED);

  if (result != NULL)
    *result = r;
  if (undo != NULL && record->changes->len > 0)
    *undo = g_steal_pointer (&record);
  return TRUE;

failed:
  if (tesoro_db_in_transaction (db))
    tesoro_db_rollback (db);
  return FALSE;
}

/* Undo */

/**
 * tesoro_store_batch_undo:
 * @undo: the record of a batch edit
 * @n_restored: (out) (optional): contacts put back as they were
 * @n_left: (out) (optional): contacts left as they are, because they
 *   changed again since the batch (or became restricted, or were erased)
 *
 * Puts back what the batch edit changed, in one transaction, audited.
 * A contact whose value is no longer the one the batch set was changed by
 * someone since; it is left alone. An undo record can be applied once.
 */
gboolean
tesoro_store_batch_undo (TesoroStore      *self,
                         TesoroBatchUndo  *undo,
                         GCancellable     *cancellable,
                         guint            *n_restored,
                         guint            *n_left,
                         GError          **error)
{
  g_autoptr(GArray) restored = g_array_new (FALSE, TRUE, sizeof (Change));
  const char *custom_name = NULL;
  Field kind = FIELD_ORGANIZATION;
  gint64 name_id = 0;
  guint left = 0;
  TesoroDb *db;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TESORO_IS_STORE (self), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (n_restored != NULL)
    *n_restored = 0;
  if (n_left != NULL)
    *n_left = 0;

  if (undo->done)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("This change has already been undone"));
      return FALSE;
    }

  if (undo->action == TESORO_BATCH_SET_FIELD && !parse_field (undo->argument, &kind, &custom_name, error))
    return FALSE;

  db = _tesoro_store_get_db (self);
  if (!_tesoro_store_begin_write (self, error))
    return FALSE;

  if (undo->action == TESORO_BATCH_ADD_TAG || undo->action == TESORO_BATCH_REMOVE_TAG)
    {
      name_id = find_tag (db, undo->argument, undo->action == TESORO_BATCH_REMOVE_TAG, error);
      if (name_id < 0)
        goto failed;
    }
  else if (undo->action == TESORO_BATCH_SET_FIELD && kind == FIELD_CUSTOM)
    {
      name_id = find_custom_field (db, custom_name, TRUE, error);
      if (name_id < 0)
        goto failed;
    }

  for (guint i = 0; i < undo->changes->len; i++)
    {
      Change *c = &g_array_index (undo->changes, Change, i);
      ContactState state;
      gboolean ok = FALSE;

      if ((i & 255) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: nothing was undone"));
          goto failed;
        }

      if (!contact_state (db, c->id, &state, error))
        goto failed;
      if (state == STATE_MISSING || state == STATE_RESTRICTED ||
          (state == STATE_TRASHED) != (undo->action == TESORO_BATCH_TRASH))
        {
          left++;
          continue;
        }

      switch (undo->action)
        {
        case TESORO_BATCH_ADD_TAG:
          stmt = tesoro_db_prepare (db, "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag_id = ?2", error);
          if (stmt == NULL)
            goto failed;
          sqlite3_bind_int64 (stmt, 1, c->id);
          sqlite3_bind_int64 (stmt, 2, name_id);
          if (!tesoro_db_step_done (db, stmt, error))
            goto failed;
          ok = sqlite3_changes (tesoro_db_get_handle (db)) > 0;
          break;

        case TESORO_BATCH_REMOVE_TAG:
          stmt = tesoro_db_prepare (db,
                                    "INSERT INTO contact_tags (contact_id, tag_id, position) VALUES (?1, ?2, ?3)"
                                    " ON CONFLICT DO NOTHING",
                                    error);
          if (stmt == NULL)
            goto failed;
          sqlite3_bind_int64 (stmt, 1, c->id);
          sqlite3_bind_int64 (stmt, 2, name_id);
          sqlite3_bind_int64 (stmt, 3, c->position);
          if (!tesoro_db_step_done (db, stmt, error))
            goto failed;
          ok = sqlite3_changes (tesoro_db_get_handle (db)) > 0;
          break;

        case TESORO_BATCH_SET_FIELD:
          {
            g_autofree char *current = NULL;
            gboolean has_address = FALSE;

            if (!read_field (db, c->id, kind, name_id, &current, &has_address, error))
              goto failed;
            if (g_strcmp0 (current, undo->value) != 0)
              break;
            if (!write_field (self, c->id, kind, name_id, c->before, c->had_address, error))
              goto failed;
            ok = TRUE;
          }
          break;

        case TESORO_BATCH_TRASH:
          stmt = tesoro_db_prepare (db, "UPDATE contacts SET trashed_at = NULL WHERE id = ?1 AND trashed_at = ?2",
                                    error);
          if (stmt == NULL)
            goto failed;
          sqlite3_bind_int64 (stmt, 1, c->id);
          tesoro_db_bind_text (stmt, 2, undo->stamp);
          if (!tesoro_db_step_done (db, stmt, error))
            goto failed;
          ok = sqlite3_changes (tesoro_db_get_handle (db)) > 0;
          break;

        default:
          break;
        }

      if (!ok)
        {
          left++;
          continue;
        }
      if (undo->action != TESORO_BATCH_TRASH && !_tesoro_store_touch_contact (self, c->id, NULL, TRUE, error))
        goto failed;
      {
        Change done = { c->id, NULL, 0, FALSE };
        g_array_append_val (restored, done);
      }
    }

  if (undo->action == TESORO_BATCH_ADD_TAG && name_id > 0 &&
      !delete_unused (db, "DELETE FROM tags WHERE id = ?1 AND NOT EXISTS"
                          " (SELECT 1 FROM contact_tags WHERE tag_id = ?1)", name_id, error))
    goto failed;
  if (undo->action == TESORO_BATCH_SET_FIELD && kind == FIELD_CUSTOM && name_id > 0 &&
      !delete_unused (db, "DELETE FROM custom_fields WHERE id = ?1 AND NOT EXISTS"
                          " (SELECT 1 FROM contact_custom_values WHERE field_id = ?1)", name_id, error))
    goto failed;

  if (!write_audit (self, AUDIT_BATCH_UNDO, undo->action,
                    undo->action == TESORO_BATCH_SET_FIELD ? undo->argument : NULL,
                    "restored", restored->len, "left", left, NULL, 0, NULL, 0, error))
    goto failed;

  if (!tesoro_db_commit (db, error))
    goto failed;

  undo->done = TRUE;
  emit_changes (self, restored, undo->action == TESORO_BATCH_TRASH ? TESORO_CHANGE_RESTORED : TESORO_CHANGE_UPDATED);

  if (n_restored != NULL)
    *n_restored = restored->len;
  if (n_left != NULL)
    *n_left = left;
  return TRUE;

failed:
  if (tesoro_db_in_transaction (db))
    tesoro_db_rollback (db);
  return FALSE;
}
