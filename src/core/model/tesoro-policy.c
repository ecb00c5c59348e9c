/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-policy"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tesoro-policy.h"
#include "tesoro-utils.h"

struct _TesoroRole
{
  GObject            parent_instance;

  char              *key;
  char              *name;
  gboolean           builtin;
  guint32            permissions;
  TesoroFieldAccess  access[TESORO_N_FIELD_GROUPS];
  GHashTable        *custom;      /* field name → TesoroFieldAccess, overriding the custom group */
};

G_DEFINE_FINAL_TYPE (TesoroRole, tesoro_role, G_TYPE_OBJECT)

typedef struct
{
  const char *key;
  const char *label;
} Named;

static const Named permissions[TESORO_N_PERMISSIONS] = {
  { "view", N_("View contacts") },
  { "edit", N_("Edit contacts") },
  { "history", N_("Add to the history") },
  { "import", N_("Import") },
  { "bulk-export", N_("Export contacts") },
  { "export-data", N_("Export Data of a person") },
  { "erase", N_("Delete permanently") },
  { "batch-edit", N_("Change many contacts at once") },
  { "restrict", N_("Restrict processing and legal hold") },
  { "consent", N_("Record consent") },
  { "audit-log", N_("Read the audit log") },
  { "receipts", N_("Read the erasure receipts") },
  { "retention", N_("Run retention") },
  { "settings", N_("Change the settings") },
  { "users", N_("Manage users and roles") },
  { "requests", N_("Handle data-subject requests") },
};

static const Named field_groups[TESORO_N_FIELD_GROUPS] = {
  { "name", N_("Name") },
  { "organization", N_("Organisation and job title") },
  { "emails", N_("E-mail addresses") },
  { "phones", N_("Phone numbers") },
  { "addresses", N_("Addresses") },
  { "birthday", N_("Birthday") },
  { "custom", N_("Custom fields") },
  { "tags", N_("Tags") },
  { "notes", N_("Notes") },
  { "messages", N_("Messages") },
  { "tasks", N_("Tasks") },
  { "activities", N_("Calls and meetings") },
  { "consent", N_("Consent and lawful basis") },
};

static const char * const access_keys[] = { "hidden", "read", "write" };

/* Permissions, field groups, access */

const char *
tesoro_permission_to_key (TesoroPermission permission)
{
  g_return_val_if_fail (permission < TESORO_N_PERMISSIONS, NULL);
  return permissions[permission].key;
}

gboolean
tesoro_permission_from_key (const char       *key,
                            TesoroPermission *permission)
{
  for (guint i = 0; i < TESORO_N_PERMISSIONS; i++)
    if (g_strcmp0 (key, permissions[i].key) == 0)
      {
        *permission = i;
        return TRUE;
      }
  return FALSE;
}

const char *
tesoro_permission_get_label (TesoroPermission permission)
{
  g_return_val_if_fail (permission < TESORO_N_PERMISSIONS, NULL);
  return _(permissions[permission].label);
}

const char *
tesoro_field_access_to_key (TesoroFieldAccess access)
{
  g_return_val_if_fail (access <= TESORO_ACCESS_WRITE, NULL);
  return access_keys[access];
}

gboolean
tesoro_field_access_from_key (const char        *key,
                              TesoroFieldAccess *access)
{
  for (guint i = 0; i < G_N_ELEMENTS (access_keys); i++)
    if (g_strcmp0 (key, access_keys[i]) == 0)
      {
        *access = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * tesoro_field_group_nth:
 * @index: 0 to %TESORO_N_FIELD_GROUPS - 1
 *
 * Returns: the group's bit
 */
TesoroFieldGroups
tesoro_field_group_nth (guint index)
{
  g_return_val_if_fail (index < TESORO_N_FIELD_GROUPS, 0);
  return 1u << index;
}

static guint
group_index (TesoroFieldGroups group)
{
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    if (group == (1u << i))
      return i;
  g_return_val_if_reached (0);
}

const char *
tesoro_field_group_to_key (TesoroFieldGroups group)
{
  return field_groups[group_index (group)].key;
}

gboolean
tesoro_field_group_from_key (const char        *key,
                             TesoroFieldGroups *group)
{
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    if (g_strcmp0 (key, field_groups[i].key) == 0)
      {
        *group = 1u << i;
        return TRUE;
      }
  return FALSE;
}

const char *
tesoro_field_group_get_label (TesoroFieldGroups group)
{
  return _(field_groups[group_index (group)].label);
}

/* TesoroRole */

static void
tesoro_role_finalize (GObject *object)
{
  TesoroRole *self = (TesoroRole *) object;

  g_free (self->key);
  g_free (self->name);
  g_hash_table_unref (self->custom);

  G_OBJECT_CLASS (tesoro_role_parent_class)->finalize (object);
}

static void
tesoro_role_class_init (TesoroRoleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tesoro_role_finalize;
}

static void
tesoro_role_init (TesoroRole *self)
{
  self->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * tesoro_role_new:
 *
 * A role that may do nothing and sees nothing, to be given permissions and
 * field access.
 */
TesoroRole *
tesoro_role_new (const char *key,
                 const char *name,
                 gboolean    builtin)
{
  TesoroRole *self = g_object_new (TESORO_TYPE_ROLE, NULL);

  self->key = g_strdup (key);
  self->name = g_strdup (name);
  self->builtin = builtin;
  return self;
}

static void
set_all_access (TesoroRole        *self,
                TesoroFieldAccess  access)
{
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    self->access[i] = access;
}

static void
allow (TesoroRole             *self,
       const TesoroPermission *list,
       guint                   n)
{
  for (guint i = 0; i < n; i++)
    tesoro_role_set_permission (self, list[i], TRUE);
}

/**
 * tesoro_role_new_builtin:
 * @key: one of the `TESORO_ROLE_…` keys
 *
 * A built-in role as a fresh database has it.
 *
 * Returns: (transfer full) (nullable): the role, or %NULL for another key
 */
TesoroRole *
tesoro_role_new_builtin (const char *key)
{
  static const TesoroPermission officer[] = {
    TESORO_PERMISSION_VIEW, TESORO_PERMISSION_EXPORT_DATA,
    TESORO_PERMISSION_ERASE, TESORO_PERMISSION_RESTRICT, TESORO_PERMISSION_CONSENT, TESORO_PERMISSION_AUDIT_LOG,
    TESORO_PERMISSION_RECEIPTS, TESORO_PERMISSION_RETENTION, TESORO_PERMISSION_REQUESTS,
  };
  static const TesoroPermission sales[] = {
    TESORO_PERMISSION_VIEW, TESORO_PERMISSION_EDIT, TESORO_PERMISSION_HISTORY, TESORO_PERMISSION_IMPORT,
    TESORO_PERMISSION_CONSENT,
  };
  static const TesoroPermission read_only[] = { TESORO_PERMISSION_VIEW };
  TesoroRole *self;

  if (g_strcmp0 (key, TESORO_ROLE_ADMINISTRATOR) == 0)
    {
      self = tesoro_role_new (key, N_("Administrator"), TRUE);
      self->permissions = (1u << TESORO_N_PERMISSIONS) - 1;
      set_all_access (self, TESORO_ACCESS_WRITE);
    }
  else if (g_strcmp0 (key, TESORO_ROLE_PRIVACY_OFFICER) == 0)
    {
      /* Sees everything, changes only what privacy work changes. */
      self = tesoro_role_new (key, N_("Privacy Officer"), TRUE);
      allow (self, officer, G_N_ELEMENTS (officer));
      set_all_access (self, TESORO_ACCESS_READ);
      tesoro_role_set_access (self, TESORO_FIELDS_CONSENT, TESORO_ACCESS_WRITE);
    }
  else if (g_strcmp0 (key, TESORO_ROLE_SALES) == 0)
    {
      /* What sales needs of a person: not their birthday. */
      self = tesoro_role_new (key, N_("Sales"), TRUE);
      allow (self, sales, G_N_ELEMENTS (sales));
      set_all_access (self, TESORO_ACCESS_WRITE);
      tesoro_role_set_access (self, TESORO_FIELDS_BIRTHDAY, TESORO_ACCESS_HIDDEN);
    }
  else if (g_strcmp0 (key, TESORO_ROLE_READ_ONLY) == 0)
    {
      self = tesoro_role_new (key, N_("Read-only"), TRUE);
      allow (self, read_only, G_N_ELEMENTS (read_only));
      set_all_access (self, TESORO_ACCESS_READ);
      tesoro_role_set_access (self, TESORO_FIELDS_BIRTHDAY, TESORO_ACCESS_HIDDEN);
    }
  else
    return NULL;

  return self;
}

TesoroRole *
tesoro_role_copy (TesoroRole *self)
{
  TesoroRole *copy;
  GHashTableIter iter;
  gpointer name, access;

  g_return_val_if_fail (TESORO_IS_ROLE (self), NULL);

  copy = tesoro_role_new (self->key, self->name, self->builtin);
  copy->permissions = self->permissions;
  memcpy (copy->access, self->access, sizeof copy->access);
  g_hash_table_iter_init (&iter, self->custom);
  while (g_hash_table_iter_next (&iter, &name, &access))
    g_hash_table_insert (copy->custom, g_strdup (name), access);
  return copy;
}

const char *
tesoro_role_get_key (TesoroRole *self)
{
  g_return_val_if_fail (TESORO_IS_ROLE (self), NULL);
  return self->key;
}

const char *
tesoro_role_get_name (TesoroRole *self)
{
  g_return_val_if_fail (TESORO_IS_ROLE (self), NULL);
  return self->name;
}

/**
 * tesoro_role_get_display_name:
 *
 * Returns: the name to show: a built-in role's name translated
 */
const char *
tesoro_role_get_display_name (TesoroRole *self)
{
  g_return_val_if_fail (TESORO_IS_ROLE (self), NULL);
  return self->builtin ? _(self->name) : self->name;
}

gboolean
tesoro_role_is_builtin (TesoroRole *self)
{
  g_return_val_if_fail (TESORO_IS_ROLE (self), FALSE);
  return self->builtin;
}

gboolean
tesoro_role_has_permission (TesoroRole       *self,
                            TesoroPermission  permission)
{
  g_return_val_if_fail (TESORO_IS_ROLE (self), FALSE);
  g_return_val_if_fail (permission < TESORO_N_PERMISSIONS, FALSE);
  return (self->permissions & (1u << permission)) != 0;
}

void
tesoro_role_set_permission (TesoroRole       *self,
                            TesoroPermission  permission,
                            gboolean          allowed)
{
  g_return_if_fail (TESORO_IS_ROLE (self));
  g_return_if_fail (permission < TESORO_N_PERMISSIONS);

  if (allowed)
    self->permissions |= 1u << permission;
  else
    self->permissions &= ~(1u << permission);
}

TesoroFieldAccess
tesoro_role_get_access (TesoroRole        *self,
                        TesoroFieldGroups  group)
{
  g_return_val_if_fail (TESORO_IS_ROLE (self), TESORO_ACCESS_HIDDEN);
  return self->access[group_index (group)];
}

void
tesoro_role_set_access (TesoroRole        *self,
                        TesoroFieldGroups  group,
                        TesoroFieldAccess  access)
{
  g_return_if_fail (TESORO_IS_ROLE (self));
  self->access[group_index (group)] = access;
}

/**
 * tesoro_role_get_custom_access:
 *
 * Returns: the access to the custom field @field_name: its own, else that
 * of the custom fields group
 */
TesoroFieldAccess
tesoro_role_get_custom_access (TesoroRole *self,
                               const char *field_name)
{
  gpointer access;

  g_return_val_if_fail (TESORO_IS_ROLE (self), TESORO_ACCESS_HIDDEN);

  if (field_name != NULL)
    {
      g_autofree char *folded = g_utf8_casefold (field_name, -1);

      if (g_hash_table_lookup_extended (self->custom, folded, NULL, &access))
        return GPOINTER_TO_INT (access);
    }
  return tesoro_role_get_access (self, TESORO_FIELDS_CUSTOM);
}

void
tesoro_role_set_custom_access (TesoroRole        *self,
                               const char        *field_name,
                               TesoroFieldAccess  access)
{
  g_return_if_fail (TESORO_IS_ROLE (self));
  g_return_if_fail (field_name != NULL);
  g_hash_table_insert (self->custom, g_utf8_casefold (field_name, -1), GINT_TO_POINTER (access));
}

/**
 * tesoro_role_list_custom_fields:
 *
 * Returns: (transfer full): the custom fields with an access of their own
 * (their names case-folded), sorted
 */
static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
tesoro_role_list_custom_fields (TesoroRole *self)
{
  g_autofree const char **names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  g_return_val_if_fail (TESORO_IS_ROLE (self), NULL);

  names = (const char **) g_hash_table_get_keys_as_array (self->custom, &n);
  g_qsort_with_data (names, n, sizeof (char *), compare_names, NULL);
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, names[i]);
  return g_strv_builder_end (builder);
}

static TesoroFieldGroups
groups_with (TesoroRole        *self,
             TesoroFieldAccess  at_least)
{
  TesoroFieldGroups groups = 0;

  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    if (self->access[i] >= at_least)
      groups |= 1u << i;
  return groups;
}

TesoroFieldGroups
tesoro_role_get_visible (TesoroRole *self)
{
  g_return_val_if_fail (TESORO_IS_ROLE (self), 0);
  return groups_with (self, TESORO_ACCESS_READ);
}

TesoroFieldGroups
tesoro_role_get_writable (TesoroRole *self)
{
  g_return_val_if_fail (TESORO_IS_ROLE (self), 0);
  return groups_with (self, TESORO_ACCESS_WRITE);
}

/**
 * tesoro_role_sees_everything:
 *
 * Whether no field group and no custom field is hidden from the role: what
 * Export Data (which is always complete) requires.
 */
gboolean
tesoro_role_sees_everything (TesoroRole *self)
{
  GHashTableIter iter;
  gpointer access;

  g_return_val_if_fail (TESORO_IS_ROLE (self), FALSE);

  if (tesoro_role_get_visible (self) != TESORO_FIELDS_ALL)
    return FALSE;
  g_hash_table_iter_init (&iter, self->custom);
  while (g_hash_table_iter_next (&iter, NULL, &access))
    if (GPOINTER_TO_INT (access) == TESORO_ACCESS_HIDDEN)
      return FALSE;
  return TRUE;
}

/**
 * tesoro_role_get_hidden_custom:
 *
 * Returns: (transfer full): the custom fields hidden from the role by an
 * access of their own (case-folded names)
 */
GStrv
tesoro_role_get_hidden_custom (TesoroRole *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer name, access;

  g_return_val_if_fail (TESORO_IS_ROLE (self), NULL);

  g_hash_table_iter_init (&iter, self->custom);
  while (g_hash_table_iter_next (&iter, &name, &access))
    if (GPOINTER_TO_INT (access) == TESORO_ACCESS_HIDDEN)
      g_strv_builder_add (builder, name);
  return g_strv_builder_end (builder);
}

/* Stored form: the permissions as their keys separated by spaces, the
 * field access as a JSON object of group keys ("custom:NAME" for one custom
 * field) to access keys. Unknown keys, from a newer Tesoro, are skipped. */

char *
tesoro_role_permissions_to_string (TesoroRole *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (TESORO_IS_ROLE (self), NULL);

  for (guint i = 0; i < TESORO_N_PERMISSIONS; i++)
    if (tesoro_role_has_permission (self, i))
      {
        if (text->len > 0)
          g_string_append_c (text, ' ');
        g_string_append (text, permissions[i].key);
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
tesoro_role_set_permissions_from_string (TesoroRole *self,
                                         const char *text)
{
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (TESORO_IS_ROLE (self));

  self->permissions = 0;
  keys = g_strsplit (text != NULL ? text : "", " ", -1);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      TesoroPermission permission;

      if (tesoro_permission_from_key (keys[i], &permission))
        tesoro_role_set_permission (self, permission, TRUE);
    }
}

char *
tesoro_role_fields_to_string (TesoroRole *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) custom = NULL;

  g_return_val_if_fail (TESORO_IS_ROLE (self), NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    {
      json_builder_set_member_name (builder, field_groups[i].key);
      json_builder_add_string_value (builder, access_keys[self->access[i]]);
    }
  custom = tesoro_role_list_custom_fields (self);
  for (guint i = 0; custom[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat ("custom:", custom[i], NULL);

      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, access_keys[tesoro_role_get_custom_access (self, custom[i])]);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * tesoro_role_set_fields_from_string:
 *
 * Reads the field access stored with tesoro_role_fields_to_string(); a
 * group it does not name is hidden.
 *
 * Returns: %FALSE if @text is not such a JSON object
 */
gboolean
tesoro_role_set_fields_from_string (TesoroRole  *self,
                                    const char  *text,
                                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  g_return_val_if_fail (TESORO_IS_ROLE (self), FALSE);

  if (!json_parser_load_from_data (parser, text != NULL ? text : "", -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "the field access of role “%s” is not a JSON object", self->key);
      return FALSE;
    }

  set_all_access (self, TESORO_ACCESS_HIDDEN);
  g_hash_table_remove_all (self->custom);
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      TesoroFieldAccess access;
      TesoroFieldGroups group;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING ||
          !tesoro_field_access_from_key (json_node_get_string (value), &access))
        continue;
      if (g_str_has_prefix (key, "custom:") && key[7] != '\0')
        tesoro_role_set_custom_access (self, key + 7, access);
      else if (tesoro_field_group_from_key (key, &group))
        tesoro_role_set_access (self, group, access);
    }
  return TRUE;
}
