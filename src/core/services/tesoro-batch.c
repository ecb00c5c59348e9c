/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-batch"

#include "config.h"

#include "tesoro-batch.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-audit-entry.h"
#include "tesoro-bulk-private.h"
#include "tesoro-error.h"
#include "tesoro-normalize.h"
#include "tesoro-data-field.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Batch edit. A selection may be every contact, so each change is made
 * field by field (the backend's typed operations), not by loading and
 * saving whole contacts; the search index of a contact is rewritten when a
 * field it indexes (organisation, city) changed. Whether a contact may be
 * changed is the session's one decision (_tesoro_session_judge()).
 */

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
 * Returns: whether tesoro_session_batch_undo() has already been applied
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

/* The value of the field now; for the city, also how many addresses the
 * contact has (a city is set on the first, or on a new one). */
static gboolean
read_field (TesoroBackend  *backend,
            gint64          id,
            Field           kind,
            gint64          field_id,
            char          **value,
            guint          *n_addresses,
            GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = NULL;
  *n_addresses = 0;

  switch (kind)
    {
    case FIELD_ORGANIZATION:
    case FIELD_LAWFUL_BASIS:
      *value = tesoro_backend_get_scalar (backend, id,
                                          kind == FIELD_ORGANIZATION ? TESORO_SCALAR_ORGANIZATION
                                                                     : TESORO_SCALAR_LAWFUL_BASIS,
                                          &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    case FIELD_CITY:
      return tesoro_backend_get_first_city (backend, id, value, n_addresses, error);
    case FIELD_CUSTOM:
    default:
      return tesoro_backend_get_custom_value (backend, id, field_id, value, error);
    }
}

/* Writes @value (NULL: empty) into the field. For the city, @had_address
 * says whether to change the first address or to add one (or, when
 * @value is NULL and !@had_address, to remove the one added). */
static gboolean
write_field (TesoroSession  *session,
             gint64          id,
             Field           kind,
             gint64          field_id,
             const char     *value,
             gboolean        had_address,
             GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (session);

  switch (kind)
    {
    case FIELD_ORGANIZATION:
      return tesoro_backend_set_scalar (backend, id, TESORO_SCALAR_ORGANIZATION, value, error) &&
             tesoro_backend_reindex_contact (backend, id, error);

    case FIELD_LAWFUL_BASIS:
      {
        g_auto(TesoroContactState) state = { 0 };

        return tesoro_backend_get_contact_state (backend, id, &state, error) &&
               _tesoro_session_audit_lawful_basis (session, id, state.lawful_basis, state.uid, value, error) &&
               tesoro_backend_set_scalar (backend, id, TESORO_SCALAR_LAWFUL_BASIS, value, error);
      }

    case FIELD_CITY:
      if (had_address || value != NULL)
        {
          if (!tesoro_backend_set_first_city (backend, id, value, !had_address, error))
            return FALSE;
        }
      /* Undo of an address that the batch added. */
      else if (!tesoro_backend_remove_addresses (backend, id, error))
        return FALSE;
      return tesoro_backend_reindex_contact (backend, id, error);

    case FIELD_CUSTOM:
    default:
      return tesoro_backend_set_custom_value (backend, id, field_id, value, error);
    }
}

static gboolean
write_audit (TesoroSession      *session,
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

  return _tesoro_session_audit (session, audit_action, NULL, json_builder_get_root (builder), error);
}

static void
emit_changes (TesoroSession *session,
              GArray        *changes,
              TesoroChange   change)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), changes->len);

  for (guint i = 0; i < changes->len; i++)
    g_array_append_val (ids, g_array_index (changes, Change, i).id);
  _tesoro_session_emit_changes (session, ids, change);
}

/* Batch edit */

/**
 * tesoro_session_batch_edit:
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
static gboolean
may_change (TesoroSession      *self,
            TesoroBatchAction   action,
            Field               kind,
            const char         *custom_name,
            GError            **error)
{
  switch (action)
    {
    case TESORO_BATCH_ADD_TAG:
    case TESORO_BATCH_REMOVE_TAG:
      return _tesoro_session_may_write_groups (self, TESORO_FIELDS_TAGS, error);
    case TESORO_BATCH_TRASH:
      return tesoro_session_require (self, TESORO_PERMISSION_EDIT, error);
    case TESORO_BATCH_SET_FIELD:
    default:
      break;
    }

  switch (kind)
    {
    case FIELD_ORGANIZATION:
      return _tesoro_session_may_write_groups (self, TESORO_FIELDS_ORGANIZATION, error);
    case FIELD_CITY:
      return _tesoro_session_may_write_groups (self, TESORO_FIELDS_ADDRESSES, error);
    case FIELD_LAWFUL_BASIS:
      return _tesoro_session_may_write_groups (self, TESORO_FIELDS_CONSENT, error);
    case FIELD_CUSTOM:
    default:
      return _tesoro_session_may_write_custom (self, custom_name, error);
    }
}

gboolean
tesoro_session_batch_edit (TesoroSession      *self,
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
  TesoroBackend *backend;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_BATCH_EDIT, error))
    return FALSE;

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

  /* Field-level security: what the batch changes must be writable. */
  if (!may_change (self, action, kind, custom_name, error))
    return FALSE;

  /* Data minimisation: no new values of a field that is switched off. */
  if (action == TESORO_BATCH_ADD_TAG || (action == TESORO_BATCH_SET_FIELD && has_text (normalized)))
    {
      g_autofree char *key = action == TESORO_BATCH_ADD_TAG ? g_strdup (tesoro_data_field_to_key (TESORO_DATA_FIELD_TAGS))
                             : kind == FIELD_CUSTOM ? tesoro_data_field_custom_key (custom_name)
                             : g_strdup (tesoro_data_field_to_key (kind == FIELD_ORGANIZATION ? TESORO_DATA_FIELD_ORGANIZATION
                                                                   : kind == FIELD_CITY ? TESORO_DATA_FIELD_ADDRESSES
                                                                   : TESORO_DATA_FIELD_LAWFUL_BASIS));

      if (!_tesoro_session_refuse_disabled_key (self, key, error))
        return FALSE;
    }

  record = undo_new (action, action == TESORO_BATCH_SET_FIELD ? argument : tag, normalized);
  record->stamp = g_strdup (now);

  backend = _tesoro_session_get_backend (self);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (action == TESORO_BATCH_ADD_TAG || action == TESORO_BATCH_REMOVE_TAG)
    {
      g_autofree char *stored = NULL;

      /* Tags are matched without regard to case: Undo needs the tag as it
       * is stored ("klant" for a removal asked as "KLANT"). */
      name_id = tesoro_backend_find_name (backend, TESORO_NAME_TAG, tag, action == TESORO_BATCH_ADD_TAG,
                                          &stored, error);
      if (name_id < 0)
        return _tesoro_session_fail (self);
      if (stored != NULL)
        tesoro_set_str (&record->argument, stored);
    }
  else if (action == TESORO_BATCH_SET_FIELD && kind == FIELD_CUSTOM)
    {
      name_id = tesoro_backend_find_name (backend, TESORO_NAME_CUSTOM_FIELD, custom_name, normalized != NULL,
                                          NULL, error);
      if (name_id < 0)
        return _tesoro_session_fail (self);
    }

  for (guint i = 0; i < n_ids; i++)
    {
      gint64 id = ids[i];
      g_auto(TesoroContactState) state = { 0 };
      Change change = { id, NULL, 0, FALSE };
      gboolean changed = FALSE;
      TesoroVerdict verdict;

      if ((i & 255) == 0)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: no contact was changed"));
              return _tesoro_session_fail (self);
            }
          _tesoro_bulk_progress_report (&prog, i, FALSE);
        }

      if (g_hash_table_contains (seen, &ids[i]))
        continue;
      g_hash_table_add (seen, (gpointer) &ids[i]);

      verdict = _tesoro_session_judge (self, id, action == TESORO_BATCH_TRASH ? TESORO_INTENT_TRASH
                                                                              : TESORO_INTENT_EDIT,
                                       &state, error);
      if (verdict == TESORO_VERDICT_FAILED)
        return _tesoro_session_fail (self);
      if (verdict == TESORO_VERDICT_MISSING || verdict == TESORO_VERDICT_TRASHED)
        {
          r.missing++;
          continue;
        }
      if (verdict == TESORO_VERDICT_RESTRICTED)
        {
          r.restricted++;
          continue;
        }

      switch (action)
        {
        case TESORO_BATCH_ADD_TAG:
          if (!tesoro_backend_add_tag (backend, id, name_id, -1, &changed, error))
            return _tesoro_session_fail (self);
          break;

        case TESORO_BATCH_REMOVE_TAG:
          if (name_id == 0)
            break;
          if (!tesoro_backend_get_tag_position (backend, id, name_id, &change.position, error))
            return _tesoro_session_fail (self);
          if (change.position >= 0 && !tesoro_backend_remove_tag (backend, id, name_id, &changed, error))
            return _tesoro_session_fail (self);
          break;

        case TESORO_BATCH_SET_FIELD:
          {
            guint n_addresses = 0;

            if (!read_field (backend, id, kind, name_id, &change.before, &n_addresses, error))
              return _tesoro_session_fail (self);
            change.had_address = n_addresses > 0;
            if (g_strcmp0 (change.before, normalized) == 0 || (kind == FIELD_CUSTOM && name_id == 0))
              break;
            if (!write_field (self, id, kind, name_id, normalized, change.had_address, error))
              {
                g_free (change.before);
                return _tesoro_session_fail (self);
              }
            changed = TRUE;
          }
          break;

        case TESORO_BATCH_TRASH:
          if (state.trashed_at != NULL)
            break;
          if (!tesoro_backend_set_trashed (backend, id, TRUE, now, &changed, error))
            return _tesoro_session_fail (self);
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

      if (action != TESORO_BATCH_TRASH && !tesoro_backend_touch_contact (backend, id, now, now, error))
        {
          g_free (change.before);
          return _tesoro_session_fail (self);
        }
      g_array_append_val (record->changes, change);
      r.changed++;
    }

  if (action == TESORO_BATCH_REMOVE_TAG && name_id > 0 &&
      !tesoro_backend_delete_name_if_unused (backend, TESORO_NAME_TAG, name_id, error))
    return _tesoro_session_fail (self);
  if (action == TESORO_BATCH_SET_FIELD && kind == FIELD_CUSTOM && name_id > 0 &&
      !tesoro_backend_delete_name_if_unused (backend, TESORO_NAME_CUSTOM_FIELD, name_id, error))
    return _tesoro_session_fail (self);

  if (!write_audit (self, TESORO_AUDIT_BATCH_EDIT, action, action == TESORO_BATCH_SET_FIELD ? argument : NULL,
                    "changed", r.changed, "unchanged", r.unchanged, "restricted", r.restricted,
                    "missing", r.missing, error))
    return _tesoro_session_fail (self);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: no contact was changed"));
      return _tesoro_session_fail (self);
    }

  if (!_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  _tesoro_bulk_progress_report (&prog, n_ids, TRUE);
  emit_changes (self, record->changes, action == TESORO_BATCH_TRASH ? TESORO_CHANGE_TRASHED : TESORO_CHANGE_UPDATED);

  if (result != NULL)
    *result = r;
  if (undo != NULL && record->changes->len > 0)
    *undo = g_steal_pointer (&record);
  return TRUE;
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
tesoro_session_batch_undo (TesoroSession    *self,
                           TesoroBatchUndo  *undo,
                           GCancellable     *cancellable,
                           guint            *n_restored,
                           guint            *n_left,
                           GError          **error)
{
  g_autoptr(GArray) restored = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autofree char *now = tesoro_now_iso ();
  const char *custom_name = NULL;
  Field kind = FIELD_ORGANIZATION;
  gint64 name_id = 0;
  guint left = 0;
  TesoroBackend *backend;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_BATCH_EDIT, error))
    return FALSE;

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

  backend = _tesoro_session_get_backend (self);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (undo->action == TESORO_BATCH_ADD_TAG || undo->action == TESORO_BATCH_REMOVE_TAG)
    name_id = tesoro_backend_find_name (backend, TESORO_NAME_TAG, undo->argument,
                                        undo->action == TESORO_BATCH_REMOVE_TAG, NULL, error);
  else if (undo->action == TESORO_BATCH_SET_FIELD && kind == FIELD_CUSTOM)
    name_id = tesoro_backend_find_name (backend, TESORO_NAME_CUSTOM_FIELD, custom_name, TRUE, NULL, error);
  if (name_id < 0)
    return _tesoro_session_fail (self);

  for (guint i = 0; i < undo->changes->len; i++)
    {
      Change *c = &g_array_index (undo->changes, Change, i);
      g_auto(TesoroContactState) state = { 0 };
      TesoroVerdict verdict;
      gboolean ok = FALSE;

      if ((i & 255) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: nothing was undone"));
          return _tesoro_session_fail (self);
        }

      /* A contact changed since in a way that forbids it (restricted,
       * erased, trashed or restored) is left as it is. */
      verdict = _tesoro_session_judge (self, c->id, undo->action == TESORO_BATCH_TRASH ? TESORO_INTENT_TRASH
                                                                                       : TESORO_INTENT_EDIT,
                                       &state, error);
      if (verdict == TESORO_VERDICT_FAILED)
        return _tesoro_session_fail (self);
      if (verdict != TESORO_VERDICT_ALLOWED ||
          (undo->action == TESORO_BATCH_TRASH && state.trashed_at == NULL))
        {
          left++;
          continue;
        }

      switch (undo->action)
        {
        case TESORO_BATCH_ADD_TAG:
          if (!tesoro_backend_remove_tag (backend, c->id, name_id, &ok, error))
            return _tesoro_session_fail (self);
          break;

        case TESORO_BATCH_REMOVE_TAG:
          if (!tesoro_backend_add_tag (backend, c->id, name_id, c->position, &ok, error))
            return _tesoro_session_fail (self);
          break;

        case TESORO_BATCH_SET_FIELD:
          {
            g_autofree char *current = NULL;
            guint n_addresses = 0;

            if (!read_field (backend, c->id, kind, name_id, &current, &n_addresses, error))
              return _tesoro_session_fail (self);
            if (g_strcmp0 (current, undo->value) != 0)
              break;
            if (!write_field (self, c->id, kind, name_id, c->before, c->had_address, error))
              return _tesoro_session_fail (self);
            ok = TRUE;
          }
          break;

        case TESORO_BATCH_TRASH:
          if (!tesoro_backend_set_trashed (backend, c->id, FALSE, undo->stamp, &ok, error))
            return _tesoro_session_fail (self);
          break;

        default:
          break;
        }

      if (!ok)
        {
          left++;
          continue;
        }
      if (undo->action != TESORO_BATCH_TRASH && !tesoro_backend_touch_contact (backend, c->id, now, now, error))
        return _tesoro_session_fail (self);
      {
        Change done = { c->id, NULL, 0, FALSE };
        g_array_append_val (restored, done);
      }
    }

  if (undo->action == TESORO_BATCH_ADD_TAG && name_id > 0 &&
      !tesoro_backend_delete_name_if_unused (backend, TESORO_NAME_TAG, name_id, error))
    return _tesoro_session_fail (self);
  if (undo->action == TESORO_BATCH_SET_FIELD && kind == FIELD_CUSTOM && name_id > 0 &&
      !tesoro_backend_delete_name_if_unused (backend, TESORO_NAME_CUSTOM_FIELD, name_id, error))
    return _tesoro_session_fail (self);

  if (!write_audit (self, TESORO_AUDIT_BATCH_UNDO, undo->action,
                    undo->action == TESORO_BATCH_SET_FIELD ? undo->argument : NULL,
                    "restored", restored->len, "left", left, NULL, 0, NULL, 0, error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  undo->done = TRUE;
  emit_changes (self, restored, undo->action == TESORO_BATCH_TRASH ? TESORO_CHANGE_RESTORED : TESORO_CHANGE_UPDATED);

  if (n_restored != NULL)
    *n_restored = restored->len;
  if (n_left != NULL)
    *n_left = left;
  return TRUE;
}
