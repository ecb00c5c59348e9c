/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-fields"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tesoro-audit-entry.h"
#include "tesoro-contact-groups.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-fields.h"
#include "tesoro-retention.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Data minimisation: which fields are switched off, switching them, erasing
 * a field's values, and the minimisation report. The other services ask
 * here which fields are off (editing refuses new values of them, the import
 * drops them, File → Export leaves them out).
 */

#define KEY_DISABLED_FIELDS "privacy.disabled_fields"

G_DEFINE_BOXED_TYPE (TesoroFieldInfo, tesoro_field_info, tesoro_field_info_copy, tesoro_field_info_free)

TesoroFieldInfo *
tesoro_field_info_copy (const TesoroFieldInfo *self)
{
  TesoroFieldInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->key = g_strdup (self->key);
  copy->label = g_strdup (self->label);
  return copy;
}

void
tesoro_field_info_free (TesoroFieldInfo *self)
{
  if (self == NULL)
    return;
  g_free (self->key);
  g_free (self->label);
  g_free (self);
}

void
tesoro_minimisation_report_free (TesoroMinimisationReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->rare_fields, g_ptr_array_unref);
  g_free (report);
}

/* The setting */

static GStrv
parse_keys (const char *text)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          TesoroDataField field;

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING &&
              tesoro_data_field_parse_key (json_node_get_string (element), &field, NULL) &&
              tesoro_data_field_is_switchable (field))
            g_strv_builder_add (keys, json_node_get_string (element));
        }
    }
  else if (text != NULL)
    g_warning ("Ignoring the setting %s: it is not a JSON array of field keys", KEY_DISABLED_FIELDS);

  return g_strv_builder_end (keys);
}

/**
 * tesoro_session_get_disabled_fields:
 *
 * Returns: (transfer full): the keys of the fields switched off (empty when
 * none); what the other services and the front ends leave out
 */
GStrv
tesoro_session_get_disabled_fields (TesoroSession  *self,
                                    GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  text = tesoro_backend_get_setting (_tesoro_session_get_backend (self), KEY_DISABLED_FIELDS, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return parse_keys (text);
}

/**
 * tesoro_session_is_field_enabled:
 * @key: a field key
 *
 * Returns: whether the field @key is on (also when the setting cannot be
 * read)
 */
gboolean
tesoro_session_is_field_enabled (TesoroSession *self,
                                 const char    *key)
{
  g_auto(GStrv) disabled = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), TRUE);

  disabled = tesoro_session_get_disabled_fields (self, NULL);
  return !tesoro_data_field_keys_contain ((const char * const *) disabled, key);
}

static gboolean
parse_switchable (const char       *key,
                  TesoroDataField  *field,
                  char            **custom_name,
                  GError          **error)
{
  if (!tesoro_data_field_parse_key (key, field, custom_name))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%.80s” is not a field: write a key such as birthday, phones or custom:NAME (see fields list)"),
                   key != NULL ? key : "");
      return FALSE;
    }
  if (!tesoro_data_field_is_switchable (*field))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The field “%s” cannot be switched off or erased: every contact needs it"),
                   tesoro_data_field_get_label (*field));
      g_clear_pointer (custom_name, g_free);
      return FALSE;
    }
  return TRUE;
}

static gboolean
may_read_fields (TesoroSession  *self,
                 GError        **error)
{
  /* The privacy officer reads the report; the administrator changes the
   * fields. */
  return tesoro_session_can (self, TESORO_PERMISSION_SETTINGS) ||
         tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error);
}

static char *
label_of (TesoroDataField  field,
          const char      *custom_name)
{
  return g_strdup (field == TESORO_DATA_FIELD_CUSTOM ? custom_name : tesoro_data_field_get_label (field));
}

/**
 * tesoro_session_list_fields:
 *
 * The fields of a contact (not the history): the name, the lawful basis,
 * the optional fields and every custom field the database has or that is
 * switched off, with whether each is on and how many contacts have a value.
 * Needs the "settings" or the "requests" permission.
 *
 * Returns: (transfer full) (element-type TesoroFieldInfo): the fields
 */
GPtrArray *
tesoro_session_list_fields (TesoroSession  *self,
                            GError        **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_field_info_free);
  g_autoptr(GPtrArray) counts = NULL;
  g_auto(GStrv) disabled = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!may_read_fields (self, error) ||
      (disabled = tesoro_session_get_disabled_fields (self, error)) == NULL ||
      (counts = tesoro_backend_count_field_values (_tesoro_session_get_backend (self), error)) == NULL)
    return NULL;

  for (guint i = 0; i < counts->len; i++)
    {
      TesoroFieldCount *c = counts->pdata[i];
      g_autofree char *custom_name = NULL;
      TesoroFieldInfo *info;
      TesoroDataField field;

      if (!tesoro_data_field_parse_key (c->key, &field, &custom_name) || tesoro_data_field_is_record (field))
        continue;

      info = g_new0 (TesoroFieldInfo, 1);
      info->key = g_strdup (c->key);
      info->label = label_of (field, custom_name);
      info->personal = tesoro_data_field_is_personal (field);
      info->switchable = tesoro_data_field_is_switchable (field);
      info->enabled = !tesoro_data_field_keys_contain ((const char * const *) disabled, c->key);
      info->count = c->count;
      g_ptr_array_add (fields, info);
    }

  /* A custom field switched off and erased is no longer in the database,
   * but it is still off. */
  for (guint i = 0; disabled[i] != NULL; i++)
    {
      g_autofree char *custom_name = NULL;
      TesoroDataField field;
      gboolean listed = FALSE;
      TesoroFieldInfo *info;

      for (guint j = 0; j < fields->len && !listed; j++)
        listed = g_ascii_strcasecmp (((TesoroFieldInfo *) fields->pdata[j])->key, disabled[i]) == 0;
      if (listed || !tesoro_data_field_parse_key (disabled[i], &field, &custom_name))
        continue;

      info = g_new0 (TesoroFieldInfo, 1);
      info->key = g_strdup (disabled[i]);
      info->label = label_of (field, custom_name);
      info->personal = tesoro_data_field_is_personal (field);
      info->switchable = TRUE;
      info->enabled = FALSE;
      g_ptr_array_add (fields, info);
    }

  return g_steal_pointer (&fields);
}

static gboolean
write_disabled (TesoroSession       *self,
                const char * const  *keys,
                GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; keys[i] != NULL; i++)
    json_builder_add_string_value (builder, keys[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = tesoro_json_to_string (root, FALSE);

  return tesoro_backend_set_setting (_tesoro_session_get_backend (self), KEY_DISABLED_FIELDS, text, error);
}

/**
 * tesoro_session_set_field_enabled:
 * @key: a field key ("birthday", "custom:Klantnummer")
 *
 * Switches a field off or on again (the "settings" permission), with an
 * entry in the accountability log. Switching a field off keeps its values:
 * tesoro_session_erase_field_values() erases them.
 */
gboolean
tesoro_session_set_field_enabled (TesoroSession  *self,
                                  const char     *key,
                                  gboolean        enabled,
                                  GError        **error)
{
  g_autofree char *custom_name = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) disabled = NULL;
  g_auto(GStrv) keys = NULL;
  TesoroDataField field;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_SETTINGS, error) ||
      !parse_switchable (key, &field, &custom_name, error))
    return FALSE;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  disabled = tesoro_session_get_disabled_fields (self, error);
  if (disabled == NULL)
    return _tesoro_session_fail (self);
  if (tesoro_data_field_keys_contain ((const char * const *) disabled, key) == !enabled)
    {
      /* Nothing changes; nothing to record. */
      return _tesoro_session_commit (self, error) || _tesoro_session_fail (self);
    }

  for (guint i = 0; disabled[i] != NULL; i++)
    if (!tesoro_data_field_keys_contain ((const char * const[]) { key, NULL }, disabled[i]))
      g_strv_builder_add (builder, disabled[i]);
  if (!enabled)
    g_strv_builder_add (builder, key);
  keys = g_strv_builder_end (builder);

  if (!write_disabled (self, (const char * const *) keys, error) ||
      !_tesoro_session_audit (self, enabled ? TESORO_AUDIT_FIELD_ON : TESORO_AUDIT_FIELD_OFF, NULL,
                              tesoro_json_object_new ("field", 's', key, NULL), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  /* The lists and forms show other fields now. */
  _tesoro_session_emit_changed (self, 0, TESORO_CHANGE_RESET);
  return TRUE;
}

/**
 * tesoro_session_count_field_values:
 * @key: a field key
 *
 * Returns: how many contacts have a value of @key (for the confirmation
 * of an erasure), or -1 with @error set
 */
gint64
tesoro_session_count_field_values (TesoroSession  *self,
                                   const char     *key,
                                   GError        **error)
{
  g_autoptr(GPtrArray) counts = NULL;
  TesoroDataField field;

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);

  if (!may_read_fields (self, error))
    return -1;
  if (!tesoro_data_field_parse_key (key, &field, NULL))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("“%.80s” is not a field"), key != NULL ? key : "");
      return -1;
    }

  counts = tesoro_backend_count_field_values (_tesoro_session_get_backend (self), error);
  if (counts == NULL)
    return -1;
  for (guint i = 0; i < counts->len; i++)
    {
      TesoroFieldCount *c = counts->pdata[i];

      if (tesoro_data_field_keys_contain ((const char * const[]) { key, NULL }, c->key))
        return c->count;
    }
  return 0;
}

/**
 * tesoro_session_erase_field_values:
 * @key: a field that may be switched off
 *
 * Erases every value of the field from every contact (the trash included)
 * in one durable transaction: the rows are overwritten in the database file
 * (secure_delete and the scrubbing VFS), the search index of those contacts
 * is brought up to date, and the write-ahead log is purged afterwards, so
 * that the values cannot be recovered from the files. Needs the "settings"
 * and the "erase" permissions; the accountability log records the field and
 * the count, never a value.
 *
 * Returns: how many contacts had a value, or -1 with @error set
 */
gint64
tesoro_session_erase_field_values (TesoroSession  *self,
                                   const char     *key,
                                   GError        **error)
{
  TesoroBackend *backend;
  g_autofree char *custom_name = NULL;
  g_autoptr(GArray) ids = NULL;
  TesoroDataField field;
  gboolean outermost;

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);

  if (!tesoro_session_require (self, TESORO_PERMISSION_SETTINGS, error) ||
      !tesoro_session_require (self, TESORO_PERMISSION_ERASE, error) ||
      !parse_switchable (key, &field, &custom_name, error))
    return -1;

  backend = _tesoro_session_get_backend (self);
  outermost = !tesoro_backend_in_transaction (backend);

  /* A power cut right after "erased" must not bring the values back. */
  if (!_tesoro_session_begin (self, TESORO_WRITE_DURABLE, error))
    return -1;

  ids = tesoro_backend_erase_field_values (backend, field, custom_name, error);
  if (ids == NULL ||
      (ids->len > 0 && !_tesoro_session_delete_unused_names (self, error)) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_FIELD_ERASED, NULL,
                              tesoro_json_object_new ("field", 's', key, "erased", 'i', (gint64) ids->len, NULL),
                              error) ||
      !_tesoro_session_commit (self, error))
    {
      _tesoro_session_fail (self);
      return -1;
    }

  /* The old pages are still in the write-ahead log until it is
   * checkpointed into the (scrubbed) file and truncated. */
  if (outermost && ids->len > 0 && !tesoro_backend_purge (backend, NULL))
    g_warning ("The database files could not be purged yet after erasing “%s”: another connection is reading", key);

  _tesoro_session_emit_changes (self, ids, TESORO_CHANGE_UPDATED);
  return ids->len;
}

/* Enforcement, for the other services */

static gboolean
set_switched_off (const char  *key,
                  GError     **error)
{
  g_autofree char *custom_name = NULL;
  TesoroDataField field;

  tesoro_data_field_parse_key (key, &field, &custom_name);
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("The field “%s” is switched off (Preferences → Fields): Tesoro no longer keeps it, so it cannot be given a value"),
               field == TESORO_DATA_FIELD_CUSTOM ? custom_name : tesoro_data_field_get_label (field));
  return FALSE;
}

/**
 * _tesoro_session_refuse_disabled:
 * @stored: (nullable): the contact as stored; %NULL for a new one
 * @wanted: the contact about to be saved
 *
 * Returns: %FALSE, with an error naming the field, when @wanted brings a
 * new or changed value of a field that is switched off
 */
gboolean
_tesoro_session_refuse_disabled (TesoroSession  *self,
                                 TesoroContact  *stored,
                                 TesoroContact  *wanted,
                                 GError        **error)
{
  g_auto(GStrv) disabled = tesoro_session_get_disabled_fields (self, error);
  g_autofree char *key = NULL;

  if (disabled == NULL)
    return FALSE;

  key = tesoro_contact_find_new_value (wanted, stored, (const char * const *) disabled);
  return key == NULL || set_switched_off (key, error);
}

/**
 * _tesoro_session_refuse_disabled_key:
 * @key: the field a change gives values (a batch edit)
 *
 * Returns: %FALSE, with an error naming the field, when @key is off
 */
gboolean
_tesoro_session_refuse_disabled_key (TesoroSession  *self,
                                     const char     *key,
                                     GError        **error)
{
  g_auto(GStrv) disabled = tesoro_session_get_disabled_fields (self, error);

  if (disabled == NULL)
    return FALSE;
  return !tesoro_data_field_keys_contain ((const char * const *) disabled, key) || set_switched_off (key, error);
}

/* The minimisation report */

/**
 * tesoro_session_get_minimisation_report:
 *
 * What Tesoro holds without much use: fields that are on but almost never
 * filled, contacts without a lawful basis, contacts inactive for longer than
 * the retention period, and contacts whose lawful basis is consent without
 * consent for any purpose. Counts only. Needs the "settings" or the
 * "requests" permission.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
TesoroMinimisationReport *
tesoro_session_get_minimisation_report (TesoroSession  *self,
                                        GError        **error)
{
  g_autoptr(TesoroMinimisationReport) report = g_new0 (TesoroMinimisationReport, 1);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) bases = NULL;
  g_autofree char *cutoff = NULL;
  TesoroBackend *backend;
  TesoroContactQuery query;
  TesoroGdprSettings settings;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!may_read_fields (self, error))
    return NULL;

  backend = _tesoro_session_get_backend (self);
  if (!tesoro_backend_begin_read (backend, error))
    return NULL;

  report->rare_fields = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_field_info_free);
  tesoro_contact_query_init (&query);
  query.trash = -1;
  report->n_contacts = tesoro_backend_count_contacts (backend, &query, error);
  if (report->n_contacts < 0 ||
      (fields = tesoro_session_list_fields (self, error)) == NULL ||
      (bases = tesoro_backend_count_lawful_bases (backend, error)) == NULL ||
      !tesoro_session_get_gdpr_settings (self, &settings, error))
    goto failed;

  for (guint i = 0; i < fields->len && report->n_contacts > 0; i++)
    {
      TesoroFieldInfo *info = fields->pdata[i];

      if (info->switchable && info->enabled && info->count * 100 < report->n_contacts * TESORO_RARE_FIELD_PERCENT)
        g_ptr_array_add (report->rare_fields, tesoro_field_info_copy (info));
    }

  for (guint i = 0; i < bases->len; i++)
    if (*((TesoroFieldCount *) bases->pdata[i])->key == '\0')
      report->n_without_basis = ((TesoroFieldCount *) bases->pdata[i])->count;

  report->retention_years = settings.retention_years;
  cutoff = tesoro_retention_cutoff (settings.retention_years);
  query.inactive_before = cutoff;
  report->n_inactive = tesoro_backend_count_contacts (backend, &query, error);
  if (report->n_inactive < 0)
    goto failed;

  report->n_without_consent = tesoro_backend_count_without_consent (backend, error);
  if (report->n_without_consent < 0)
    goto failed;

  if (!tesoro_backend_commit (backend, error))
    return NULL;
  return g_steal_pointer (&report);

failed:
  tesoro_backend_rollback (backend);
  return NULL;
}
