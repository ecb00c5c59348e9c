/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-contact-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

/* Writing */

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_nullable (JsonBuilder *builder,
              const char  *key,
              const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL && *value != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_details (JsonBuilder *builder,
             const char  *key,
             GPtrArray   *details)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; i < details->len; i++)
    {
      TesoroDetail *d = details->pdata[i];

      json_builder_begin_object (builder);
      add_string (builder, "label", d->label);
      add_string (builder, "value", d->value);
      json_builder_set_member_name (builder, "primary");
      json_builder_add_boolean_value (builder, d->primary);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * tesoro_contact_to_json_node:
 *
 * Returns: (transfer full): @contact in DESIGN.md's contact JSON shape
 */
JsonNode *
tesoro_contact_to_json_node (TesoroContact *contact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  TesoroFieldGroups shown;
  GPtrArray *array;

  g_return_val_if_fail (TESORO_IS_CONTACT (contact), NULL);

  /* The keys of the groups hidden from the reader are absent. */
  shown = tesoro_contact_get_shown_groups (contact);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, tesoro_contact_get_id (contact));
  add_string (builder, "uid", tesoro_contact_get_uid (contact));
  if (shown & TESORO_FIELDS_NAME)
    {
      add_string (builder, "given_name", tesoro_contact_get_given_name (contact));
      add_string (builder, "family_name", tesoro_contact_get_family_name (contact));
      add_string (builder, "display_name", tesoro_contact_get_display_name (contact));
    }
  if (shown & TESORO_FIELDS_ORGANIZATION)
    {
      add_string (builder, "organization", tesoro_contact_get_organization (contact));
      add_string (builder, "job_title", tesoro_contact_get_job_title (contact));
    }
  if (shown & TESORO_FIELDS_BIRTHDAY)
    add_nullable (builder, "birthday", tesoro_contact_get_birthday (contact));
  if (shown & TESORO_FIELDS_CONSENT)
    add_nullable (builder, "lawful_basis", tesoro_contact_get_lawful_basis (contact));
  json_builder_set_member_name (builder, "restricted");
  json_builder_add_boolean_value (builder, tesoro_contact_get_restricted (contact));
  json_builder_set_member_name (builder, "legal_hold");
  json_builder_add_boolean_value (builder, tesoro_contact_get_legal_hold (contact));
  add_nullable (builder, "legal_hold_reason", tesoro_contact_get_legal_hold_reason (contact));

  if (shown & TESORO_FIELDS_EMAILS)
    add_details (builder, "emails", tesoro_contact_get_emails (contact));
  if (shown & TESORO_FIELDS_PHONES)
    add_details (builder, "phones", tesoro_contact_get_phones (contact));

  if (shown & TESORO_FIELDS_ADDRESSES)
    {
      array = tesoro_contact_get_addresses (contact);
      json_builder_set_member_name (builder, "addresses");
      json_builder_begin_array (builder);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroAddress *a = array->pdata[i];

          json_builder_begin_object (builder);
          add_string (builder, "label", a->label);
          add_string (builder, "street", a->street);
          add_string (builder, "postal_code", a->postal_code);
          add_string (builder, "city", a->city);
          add_string (builder, "region", a->region);
          add_string (builder, "country", a->country);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (shown & TESORO_FIELDS_TAGS)
    {
      array = tesoro_contact_get_tags (contact);
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint i = 0; i < array->len; i++)
        json_builder_add_string_value (builder, array->pdata[i]);
      json_builder_end_array (builder);
    }

  if (shown & TESORO_FIELDS_CUSTOM)
    {
      array = tesoro_contact_get_custom_values (contact);
      json_builder_set_member_name (builder, "custom_fields");
      json_builder_begin_object (builder);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroCustomValue *cv = array->pdata[i];
          add_string (builder, cv->name, cv->value);
        }
      json_builder_end_object (builder);
    }

  if (shown & TESORO_FIELDS_NOTES)
    {
      array = tesoro_contact_get_notes (contact);
      json_builder_set_member_name (builder, "notes");
      json_builder_begin_array (builder);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroNote *n = array->pdata[i];

          json_builder_begin_object (builder);
          add_string (builder, "body", n->body);
          add_string (builder, "created_at", n->created_at);
          add_nullable (builder, "author", n->author);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (shown & TESORO_FIELDS_MESSAGES)
    {
      array = tesoro_contact_get_messages (contact);
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroMessage *m = array->pdata[i];

          json_builder_begin_object (builder);
          add_string (builder, "direction", m->direction);
          add_string (builder, "address", m->address);
          add_string (builder, "subject", m->subject);
          add_string (builder, "body", m->body);
          add_string (builder, "at", m->at);
          add_nullable (builder, "author", m->author);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (shown & TESORO_FIELDS_TASKS)
    {
      array = tesoro_contact_get_tasks (contact);
      json_builder_set_member_name (builder, "tasks");
      json_builder_begin_array (builder);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroTask *t = array->pdata[i];

          json_builder_begin_object (builder);
          add_string (builder, "title", t->title);
          add_nullable (builder, "due", t->due);
          json_builder_set_member_name (builder, "done");
          json_builder_add_boolean_value (builder, t->done);
          add_nullable (builder, "done_at", t->done_at);
          add_string (builder, "created_at", t->created_at);
          add_nullable (builder, "author", t->author);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (shown & TESORO_FIELDS_ACTIVITIES)
    {
      array = tesoro_contact_get_activities (contact);
      json_builder_set_member_name (builder, "activities");
      json_builder_begin_array (builder);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroActivity *a = array->pdata[i];

          json_builder_begin_object (builder);
          add_string (builder, "kind", a->kind);
          add_string (builder, "summary", a->summary);
          add_string (builder, "at", a->at);
          add_nullable (builder, "author", a->author);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (shown & TESORO_FIELDS_CONSENT)
    {
      array = tesoro_contact_get_consent (contact);
      json_builder_set_member_name (builder, "consent");
      json_builder_begin_array (builder);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroConsentEvent *c = array->pdata[i];

          json_builder_begin_object (builder);
          add_string (builder, "purpose", c->purpose);
          json_builder_set_member_name (builder, "granted");
          json_builder_add_boolean_value (builder, c->granted);
          add_string (builder, "at", c->at);
          add_string (builder, "source", c->source);
          add_string (builder, "evidence", c->evidence);
          add_nullable (builder, "recorded_by", c->recorded_by);
          add_nullable (builder, "recorded_at", c->recorded_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  add_nullable (builder, "created_at", tesoro_contact_get_created_at (contact));
  add_nullable (builder, "updated_at", tesoro_contact_get_updated_at (contact));
  add_nullable (builder, "last_activity_at", tesoro_contact_get_last_activity_at (contact));
  add_nullable (builder, "trashed_at", tesoro_contact_get_trashed_at (contact));

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
tesoro_json_to_string (JsonNode *node,
                       gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}

char *
tesoro_contact_to_json (TesoroContact *contact,
                        gboolean       pretty)
{
  g_autoptr(JsonNode) node = tesoro_contact_to_json_node (contact);

  return tesoro_json_to_string (node, pretty);
}

/* Reading: every value is checked for its type, and every error names the
 * field ("emails[1].value") so that the user can find it. */

static const char *
type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);
        if (t == G_TYPE_STRING) return "a string";
        if (t == G_TYPE_BOOLEAN) return "a boolean";
        return "a number";
      }
    default: return "something else";
    }
}

static gboolean
type_error (const char  *path,
            const char  *expected,
            JsonNode    *node,
            GError     **error)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
               _("Field “%s” must be %s, not %s"), path, expected, type_name (node));
  return FALSE;
}

static gboolean
check_keys (JsonObject         *object,
            const char         *path,
            const char * const *allowed,
            GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;

      if (!g_strv_contains (allowed, key))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);

          if (path != NULL)
            g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                         _("Unknown field “%s.%.60s” (known fields: %s)"), path, key, list);
          else
            g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                         _("Unknown field “%.60s” (known fields: %s)"), key, list);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
member_path (const char *parent,
             const char *key)
{
  return parent != NULL ? g_strdup_printf ("%s.%s", parent, key) : g_strdup (key);
}

/* Reads an optional string member: absent or null leave *out as it is. */
static gboolean
get_string (JsonObject  *object,
            const char  *parent,
            const char  *key,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = member_path (parent, key);
      return type_error (path, "a string", node, error);
    }

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_boolean (JsonObject  *object,
             const char  *parent,
             const char  *key,
             gboolean    *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *path = member_path (parent, key);
      return type_error (path, "true or false", node, error);
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_timestamp (JsonObject  *object,
               const char  *parent,
               const char  *key,
               gboolean     date_only_ok,
               char       **out,
               GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  char *normalized;

  if (!get_string (object, parent, key, &text, error))
    return FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;

  normalized = tesoro_normalize_timestamp (text, date_only_ok, &local_error);
  if (normalized == NULL)
    {
      g_autofree char *path = member_path (parent, key);
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, "%s: %s", path, local_error->message);
      return FALSE;
    }

  g_free (*out);
  *out = normalized;
  return TRUE;
}

typedef gboolean (*ReadItemFunc) (TesoroContact  *contact,
                                  JsonObject     *object,
                                  const char     *path,
                                  GError        **error);

static gboolean
read_array (TesoroContact  *contact,
            JsonObject     *root,
            const char     *key,
            ReadItemFunc    read_item,
            GError        **error)
{
  JsonNode *node = json_object_get_member (root, key);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return type_error (key, "an array", node, error);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("%s[%u]", key, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return type_error (path, "an object", element, error);
      if (!read_item (contact, json_node_get_object (element), path, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_detail (GPtrArray   *details,
             JsonObject  *object,
             const char  *path,
             GError     **error)
{
  static const char * const keys[] = { "label", "value", "primary", NULL };
  g_autoptr(TesoroDetail) detail = tesoro_detail_new (NULL, NULL, FALSE);

  if (!check_keys (object, path, keys, error) ||
      !get_string (object, path, "label", &detail->label, error) ||
      !get_string (object, path, "value", &detail->value, error) ||
      !get_boolean (object, path, "primary", &detail->primary, error))
    return FALSE;

  g_strstrip (detail->value);
  if (*detail->value == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s.value” is empty"), path);
      return FALSE;
    }

  g_ptr_array_add (details, g_steal_pointer (&detail));
  return TRUE;
}

static gboolean
read_email (TesoroContact  *contact,
            JsonObject     *object,
            const char     *path,
            GError        **error)
{
  return read_detail (tesoro_contact_get_emails (contact), object, path, error);
}

static gboolean
read_phone (TesoroContact  *contact,
            JsonObject     *object,
            const char     *path,
            GError        **error)
{
  return read_detail (tesoro_contact_get_phones (contact), object, path, error);
}

static gboolean
read_address (TesoroContact  *contact,
              JsonObject     *object,
              const char     *path,
              GError        **error)
{
  static const char * const keys[] = { "label", "street", "postal_code", "city", "region", "country", NULL };
  g_autoptr(TesoroAddress) a = tesoro_address_new ();

  if (!check_keys (object, path, keys, error) ||
      !get_string (object, path, "label", &a->label, error) ||
      !get_string (object, path, "street", &a->street, error) ||
      !get_string (object, path, "postal_code", &a->postal_code, error) ||
      !get_string (object, path, "city", &a->city, error) ||
      !get_string (object, path, "region", &a->region, error) ||
      !get_string (object, path, "country", &a->country, error))
    return FALSE;

  g_ptr_array_add (tesoro_contact_get_addresses (contact), g_steal_pointer (&a));
  return TRUE;
}

static gboolean
read_note (TesoroContact  *contact,
           JsonObject     *object,
           const char     *path,
           GError        **error)
{
  static const char * const keys[] = { "body", "created_at", "author", NULL };
  g_autoptr(TesoroNote) n = tesoro_note_new ();

  if (!check_keys (object, path, keys, error) ||
      !get_string (object, path, "body", &n->body, error) ||
      !get_timestamp (object, path, "created_at", FALSE, &n->created_at, error) ||
      !get_string (object, path, "author", &n->author, error))
    return FALSE;

  g_ptr_array_add (tesoro_contact_get_notes (contact), g_steal_pointer (&n));
  return TRUE;
}

static gboolean
read_message (TesoroContact  *contact,
              JsonObject     *object,
              const char     *path,
              GError        **error)
{
  static const char * const keys[] = { "direction", "address", "subject", "body", "at", "author", NULL };
  g_autoptr(TesoroMessage) m = tesoro_message_new ();

  if (!check_keys (object, path, keys, error) ||
      !get_string (object, path, "direction", &m->direction, error) ||
      !get_string (object, path, "address", &m->address, error) ||
      !get_string (object, path, "subject", &m->subject, error) ||
      !get_string (object, path, "body", &m->body, error) ||
      !get_timestamp (object, path, "at", FALSE, &m->at, error) ||
      !get_string (object, path, "author", &m->author, error))
    return FALSE;

  g_ptr_array_add (tesoro_contact_get_messages (contact), g_steal_pointer (&m));
  return TRUE;
}

static gboolean
read_task (TesoroContact  *contact,
           JsonObject     *object,
           const char     *path,
           GError        **error)
{
  static const char * const keys[] = { "title", "due", "done", "done_at", "created_at", "author", NULL };
  g_autoptr(TesoroTask) t = tesoro_task_new ();

  if (!check_keys (object, path, keys, error) ||
      !get_string (object, path, "title", &t->title, error) ||
      !get_timestamp (object, path, "due", TRUE, &t->due, error) ||
      !get_boolean (object, path, "done", &t->done, error) ||
      !get_timestamp (object, path, "done_at", FALSE, &t->done_at, error) ||
      !get_timestamp (object, path, "created_at", FALSE, &t->created_at, error) ||
      !get_string (object, path, "author", &t->author, error))
    return FALSE;

  g_ptr_array_add (tesoro_contact_get_tasks (contact), g_steal_pointer (&t));
  return TRUE;
}

static gboolean
read_activity (TesoroContact  *contact,
               JsonObject     *object,
               const char     *path,
               GError        **error)
{
  static const char * const keys[] = { "kind", "summary", "at", "author", NULL };
  g_autoptr(TesoroActivity) a = tesoro_activity_new ();

  if (!check_keys (object, path, keys, error) ||
      !get_string (object, path, "kind", &a->kind, error) ||
      !get_string (object, path, "summary", &a->summary, error) ||
      !get_timestamp (object, path, "at", FALSE, &a->at, error) ||
      !get_string (object, path, "author", &a->author, error))
    return FALSE;

  g_ptr_array_add (tesoro_contact_get_activities (contact), g_steal_pointer (&a));
  return TRUE;
}

static gboolean
read_consent (TesoroContact  *contact,
              JsonObject     *object,
              const char     *path,
              GError        **error)
{
  static const char * const keys[] = { "purpose", "granted", "at", "source", "evidence", "recorded_by",
                                       "recorded_at", NULL };
  g_autoptr(TesoroConsentEvent) c = tesoro_consent_event_new ();
  JsonNode *granted = json_object_get_member (object, "granted");

  if (granted == NULL || JSON_NODE_HOLDS_NULL (granted))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “%s.granted” is missing (true or false)"), path);
      return FALSE;
    }

  if (!check_keys (object, path, keys, error) ||
      !get_string (object, path, "purpose", &c->purpose, error) ||
      !get_boolean (object, path, "granted", &c->granted, error) ||
      !get_timestamp (object, path, "at", FALSE, &c->at, error) ||
      !get_string (object, path, "source", &c->source, error) ||
      !get_string (object, path, "evidence", &c->evidence, error) ||
      !get_string (object, path, "recorded_by", &c->recorded_by, error) ||
      !get_timestamp (object, path, "recorded_at", FALSE, &c->recorded_at, error))
    return FALSE;

  g_ptr_array_add (tesoro_contact_get_consent (contact), g_steal_pointer (&c));
  return TRUE;
}

static gboolean
read_tags (TesoroContact  *contact,
           JsonObject     *root,
           GError        **error)
{
  JsonNode *node = json_object_get_member (root, "tags");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return type_error ("tags", "an array of strings", node, error);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("tags[%u]", i);
      g_autofree char *tag = NULL;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return type_error (path, "a string", element, error);

      tag = g_strstrip (g_strdup (json_node_get_string (element)));
      if (!tesoro_contact_has_tag (contact, tag))
        g_ptr_array_add (tesoro_contact_get_tags (contact), g_steal_pointer (&tag));
    }

  return TRUE;
}

static gboolean
read_custom_fields (TesoroContact  *contact,
                    JsonObject     *root,
                    GError        **error)
{
  JsonNode *node = json_object_get_member (root, "custom_fields");
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return type_error ("custom_fields", "an object of names and texts", node, error);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);
      g_autofree char *path = g_strdup_printf ("custom_fields.%.60s", name);

      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return type_error (path, "a string", value, error);

      g_ptr_array_add (tesoro_contact_get_custom_values (contact),
                       tesoro_custom_value_new (name, json_node_get_string (value)));
    }

  return TRUE;
}

/**
 * tesoro_contact_new_from_json_node:
 * @node: a JSON object in the contact shape
 * @error: return location for a #GError naming the field at fault
 *
 * Reads a contact, checking every type; the contact's own rules are checked
 * by tesoro_contact_validate(), which the store calls.
 *
 * Returns: (transfer full) (nullable): the contact
 */
TesoroContact *
tesoro_contact_new_from_json_node (JsonNode  *node,
                                   GError   **error)
{
  static const char * const keys[] = {
    "id", "uid", "given_name", "family_name", "display_name", "organization",
    "job_title", "birthday", "lawful_basis", "restricted", "legal_hold",
    "legal_hold_reason", "emails", "phones", "addresses", "tags", "custom_fields",
    "notes", "messages", "tasks", "activities", "consent", "created_at",
    "updated_at", "last_activity_at", "trashed_at", NULL
  };
  g_autoptr(TesoroContact) contact = tesoro_contact_new ();
  JsonObject *object;
  JsonNode *id_node;
  char *strings[7] = { NULL, };
  char *stamps[4] = { NULL, };
  gboolean restricted = FALSE, legal_hold = FALSE;
  gboolean ok;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("A contact must be a JSON object, not %s"), type_name (node));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!check_keys (object, NULL, keys, error))
    return NULL;

  id_node = json_object_get_member (object, "id");
  if (id_node != NULL && !JSON_NODE_HOLDS_NULL (id_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (id_node) || json_node_get_value_type (id_node) != G_TYPE_INT64 ||
          json_node_get_int (id_node) < 0)
        {
          type_error ("id", "a whole number", id_node, error);
          return NULL;
        }
      tesoro_contact_set_id (contact, json_node_get_int (id_node));
    }

  ok = get_string (object, NULL, "uid", &strings[0], error) &&
       get_string (object, NULL, "given_name", &strings[1], error) &&
       get_string (object, NULL, "family_name", &strings[2], error) &&
       get_string (object, NULL, "display_name", &strings[3], error) &&
       get_string (object, NULL, "organization", &strings[4], error) &&
       get_string (object, NULL, "job_title", &strings[5], error) &&
       get_string (object, NULL, "legal_hold_reason", &strings[6], error) &&
       get_timestamp (object, NULL, "created_at", FALSE, &stamps[0], error) &&
       get_timestamp (object, NULL, "updated_at", FALSE, &stamps[1], error) &&
       get_timestamp (object, NULL, "last_activity_at", FALSE, &stamps[2], error) &&
       get_timestamp (object, NULL, "trashed_at", FALSE, &stamps[3], error) &&
       get_boolean (object, NULL, "restricted", &restricted, error) &&
       get_boolean (object, NULL, "legal_hold", &legal_hold, error);

  if (ok)
    {
      g_autofree char *birthday = NULL;
      g_autofree char *basis = NULL;

      ok = get_string (object, NULL, "birthday", &birthday, error) &&
           get_string (object, NULL, "lawful_basis", &basis, error);
      if (ok && birthday != NULL && *birthday != '\0')
        tesoro_contact_set_birthday (contact, birthday);
      if (ok && basis != NULL && *basis != '\0')
        tesoro_contact_set_lawful_basis (contact, basis);
    }

  if (ok)
    {
      for (guint i = 1; i <= 5; i++)
        if (strings[i] != NULL)
          g_strstrip (strings[i]);

      tesoro_contact_set_uid (contact, strings[0]);
      tesoro_contact_set_given_name (contact, strings[1]);
      tesoro_contact_set_family_name (contact, strings[2]);
      tesoro_contact_set_display_name (contact, strings[3]);
      tesoro_contact_set_organization (contact, strings[4]);
      tesoro_contact_set_job_title (contact, strings[5]);
      tesoro_contact_set_legal_hold_reason (contact, strings[6]);
      tesoro_contact_set_created_at (contact, stamps[0]);
      tesoro_contact_set_updated_at (contact, stamps[1]);
      tesoro_contact_set_last_activity_at (contact, stamps[2]);
      tesoro_contact_set_trashed_at (contact, stamps[3]);
      tesoro_contact_set_restricted (contact, restricted);
      tesoro_contact_set_legal_hold (contact, legal_hold);
    }

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_free (strings[i]);
  for (guint i = 0; i < G_N_ELEMENTS (stamps); i++)
    g_free (stamps[i]);

  if (!ok ||
      !read_array (contact, object, "emails", read_email, error) ||
      !read_array (contact, object, "phones", read_phone, error) ||
      !read_array (contact, object, "addresses", read_address, error) ||
      !read_tags (contact, object, error) ||
      !read_custom_fields (contact, object, error) ||
      !read_array (contact, object, "notes", read_note, error) ||
      !read_array (contact, object, "messages", read_message, error) ||
      !read_array (contact, object, "tasks", read_task, error) ||
      !read_array (contact, object, "activities", read_activity, error) ||
      !read_array (contact, object, "consent", read_consent, error))
    return NULL;

  return g_steal_pointer (&contact);
}

/* Deeper than any contact (four levels) by far, shallow enough for the
 * recursive parser of json-glib, which overflows the stack on a few
 * hundred thousand nested brackets. */
#define MAX_JSON_DEPTH 64

/* Refuses what json-glib would mishandle: nesting deep enough to crash it,
 * and a "\u0000" escape, which it decodes into a NUL that silently cuts the
 * string short. */
static gboolean
check_json_text (const char  *data,
                 gsize        length,
                 GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  guint line = 1, column = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      column++;
      if (c == '\n')
        {
          line++;
          column = 0;
        }
      else if (in_string)
        {
          if (c == '\\')
            {
              if (i + 5 < length && memcmp (data + i + 1, "u0000", 5) == 0)
                {
                  g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                               _("Line %u, column %u: a text contains a NUL character (\\u0000), which is not allowed"),
                               line, column);
                  return FALSE;
                }
              /* Whatever is escaped, a quote or a backslash included. */
              i++;
              column++;
            }
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            {
              g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                           _("Line %u, column %u: the JSON is nested more than %d levels deep"),
                           line, column, MAX_JSON_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/**
 * tesoro_contact_new_from_json:
 * @data: JSON text
 * @length: its length, or -1 when NUL-terminated
 *
 * Returns: (transfer full) (nullable): the contact, or %NULL with @error
 * naming the line and column of a syntax error or the field at fault
 */
TesoroContact *
tesoro_contact_new_from_json (const char  *data,
                              gssize       length,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (length < 0)
    length = strlen (data);

  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("The JSON text contains a NUL byte at offset %zu"),
                   (gsize) ((const char *) memchr (data, '\0', length) - data));
      return NULL;
    }

  if (!check_json_text (data, length, error))
    return NULL;

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE,
                   _("Malformed JSON: %s"), local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PARSE, _("The JSON text is empty"));
      return NULL;
    }

  return tesoro_contact_new_from_json_node (json_parser_get_root (parser), error);
}

/**
 * tesoro_json_object_new:
 * @first_key: the first member's name, followed by its type and value, and
 *   further (name, type, value) triples, ended by %NULL
 *
 * Builds a JSON object from (key, type, value) triples: 's' a string (NULL
 * gives null), 'i' a gint64, 'b' a gboolean, 'n' a JsonNode taken.
 *
 * Returns: (transfer full): the object
 */
JsonNode *
tesoro_json_object_new (const char *first_key,
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
